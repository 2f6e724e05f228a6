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

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

struct ncen_print {
	enum schema_lang	 lang;
	unsigned long		 n;
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

	printf("%s %llu (version %u, %s)\n", schema_label(f->label, p->lang),
	    (unsigned long long)r->id, r->version,
	    r->muser != NULL ? r->muser : "-");
	for (i = 0; i < f->nfields; i++) {
		for (j = 0; j < r->fields[i].n; j++)
			printf("    %s: %s\n",
			    schema_label(f->fields[i].label, p->lang),
			    r->fields[i].v[j]);
	}
	p->n++;
	return 0;
}

/* Print every record of every form. */
static int
ncen_print_all(struct store *st, enum schema_lang lang, struct ncen_err *e)
{
	const struct schema	*s = store_schema(st);
	struct ncen_print	 p;
	size_t			 i;
	int			 r;

	for (i = 0; i < s->nforms; i++) {
		p.lang = lang;
		p.n = 0;
		printf("== %s\n", schema_label(s->forms[i]->label, lang));
		if ((r = store_scan(st, s->forms[i]->name, ncen_print_record,
		    &p, e)) != NCEN_OK)
			return r;
		printf("   (%lu)\n\n", p.n);
	}
	return NCEN_OK;
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
	if (user != NULL)
		printf("Signed in as %s.\n\n", user);

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
	if ((r = ncen_print_all(st, ncen_lang(), &e)) != NCEN_OK)
		fprintf(stderr, "ncen: %s: %s\n", home, ncen_err_msg(&e));
	if (st != NULL && store_close(st, &e2) != NCEN_OK) {
		fprintf(stderr, "ncen: %s: %s\n", home, ncen_err_msg(&e2));
		if (r == NCEN_OK)
			r = e2.code;
	}
	schema_free(schema);
	ncen_err_free(&e);
	ncen_err_free(&e2);
	return ncen_err_exit(r);
}
