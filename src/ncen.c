/*
 * ncen.c - the officer's program.
 *
 * Until the terminal screens land (the ncen terminal issue), ncen opens
 * the data directory read-only in spirit (it writes nothing) and prints
 * every record, entity by entity, with the form's labels in the
 * officer's language (French when LANG or LC_MESSAGES starts with "fr").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

struct ncen_print {
	enum schema_lang		 lang;
	unsigned long			 n;
	const struct auth_account	*acct;
	struct buf			 shown;	/* records with nominal fields */
};

/* Print the usage line and return the usage exit status. */
static int
ncen_usage(FILE *f)
{
	fprintf(f, "usage: ncen [-d DIR] [--as USER]\n"
	    "  -d DIR     data directory (else $NCEN_HOME)\n"
	    "  --as USER  the officer signing in\n");
	return 2;
}

/* The language of labels, from LC_ALL, LC_MESSAGES or LANG. */
static enum schema_lang
ncen_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return strncmp(v, "fr", 2) == 0 ? SCHEMA_FR : SCHEMA_EN;
	}
	return SCHEMA_EN;
}

/* Print one record: a heading line, then "label: value" per filled field. */
static int
ncen_print_record(const struct record *r, void *arg)
{
	struct ncen_print		*p = arg;
	const struct schema_form	*f = r->form;
	size_t				 i, j;

	size_t				 nominal = 0;
	int				 see;

	if (!auth_may(p->acct, AUTH_VIEW, r))
		return 0;
	see = auth_may(p->acct, AUTH_VIEW_NOMINAL, r);
	printf("%s %llu (version %u, %s)\n", schema_label(f->label, p->lang),
	    (unsigned long long)r->id, r->version,
	    r->muser != NULL ? r->muser : "-");
	for (i = 0; i < f->nfields; i++) {
		/* Nominal: any field not `cen` (DESIGN.md, sharing levels). */
		if (f->fields[i].share != SCHEMA_CEN) {
			if (!see || r->fields[i].n == 0)
				continue;
			nominal++;
		}
		for (j = 0; j < r->fields[i].n; j++)
			printf("    %s: %s\n",
			    schema_label(f->fields[i].label, p->lang),
			    r->fields[i].v[j]);
	}
	if (nominal != 0)
		buf_addf(&p->shown, "%s:%llu\n", f->name,
		    (unsigned long long)r->id);
	p->n++;
	return 0;
}

/* Audit each display of nominal fields listed in shown (one txn). */
static int
ncen_audit_shown(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ncen_print	*p = arg;
	struct buf		 rec = BUF_INIT;
	const char		*s, *nl;
	int			 r = NCEN_OK;

	for (s = buf_cstr(&p->shown); *s != '\0' && r == NCEN_OK; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		buf_reset(&rec);
		buf_add(&rec, s, (size_t)(nl - s));
		r = audit_append(t, p->acct->name, "view.nominal", rec.s,
		    "ncen printed its nominal fields", e);
	}
	buf_free(&rec);
	return r;
}

/* Print every record of every form the account may see. */
static int
ncen_print_all(struct store *st, const struct auth_account *acct,
    enum schema_lang lang, struct ncen_err *e)
{
	const struct schema	*s = store_schema(st);
	struct ncen_print	 p;
	size_t			 i;
	int			 r = NCEN_OK;

	memset(&p, 0, sizeof p);
	p.acct = acct;
	p.lang = lang;
	for (i = 0; i < s->nforms && r == NCEN_OK; i++) {
		p.n = 0;
		buf_reset(&p.shown);
		printf("== %s\n", schema_label(s->forms[i]->label, lang));
		if ((r = store_scan(st, s->forms[i]->name, ncen_print_record,
		    &p, e)) != NCEN_OK)
			break;
		if (p.shown.len != 0)
			r = store_run(st, ncen_audit_shown, &p, e);
		printf("   (%lu)\n\n", p.n);
	}
	buf_free(&p.shown);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_options	 o;
	struct ncen_err		 e = NCEN_ERR_INIT, e2 = NCEN_ERR_INIT;
	struct schema		*schema = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	const char		*home = getenv("NCEN_HOME"), *user = NULL;
	int			 c, r;

	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			home = optarg;
			break;
		case 'a':
			user = optarg;
			break;
		case 'h':
			ncen_usage(stdout);
			return 0;
		default:
			return ncen_usage(stderr);
		}
	}
	if (optind != argc || home == NULL || *home == '\0') {
		if (home == NULL || *home == '\0')
			fprintf(stderr, "ncen: no data directory: give -d DIR or set NCEN_HOME\n");
		return ncen_usage(stderr);
	}
	if (user == NULL) {
		fprintf(stderr, "ncen: console sign-in needs the terminal "
		    "screens, which this ncen does not have yet; sign in over "
		    "SSH (ncen --as USER)\n");
		return 1;
	}

	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = getenv("NCEN_KEYFILE");
	if ((r = store_version_check(&e)) != NCEN_OK ||
	    (r = store_home_open(&o, &schema, &st, &e)) != NCEN_OK) {
		/* Whatever stops the opening is the environment's fault. */
		fprintf(stderr, "ncen: %s\n", ncen_err_msg(&e));
		ncen_err_free(&e);
		return 2;
	}
	/* SSH forced --as: the account must exist and be usable. */
	auth_policy_env();
	if ((r = auth_signin_key(st, user, &acct, &e)) != NCEN_OK) {
		fprintf(stderr, "ncen: %s: sign-in refused: %s\n", user,
		    ncen_err_msg(&e));
		(void)store_close(st, &e2);
		schema_free(schema);
		ncen_err_free(&e);
		ncen_err_free(&e2);
		return 1;
	}
	audit_attach(st, acct->name);
	printf("Signed in as %s.\n\n", user);
	if ((r = ncen_print_all(st, acct, ncen_lang(), &e)) != NCEN_OK)
		fprintf(stderr, "ncen: %s: %s\n", home, ncen_err_msg(&e));
	if (st != NULL && store_close(st, &e2) != NCEN_OK) {
		fprintf(stderr, "ncen: %s: %s\n", home, ncen_err_msg(&e2));
		if (r == NCEN_OK)
			r = e2.code;
	}
	schema_free(schema);
	auth_account_free(acct);
	ncen_err_free(&e);
	ncen_err_free(&e2);
	return ncen_err_exit(r);
}
