/*
 * ctl-export.c - ncenctl export and template: records as CSV.
 *
 * Export writes the records of one form (those that pass its --where,
 * --from and --to filters), or every link between records (the
 * pseudo-entity `links`), in the layout ctl-csv.c describes and import
 * reads back.  A cell a spreadsheet would run as a formula is
 * guarded (csv.h) unless --raw.  Template writes the header row and one
 * example row of a form, valid for import.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "csv.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

/* One filter of an export: FIELD between two bounds (NULL: open). */
struct ctl_export_cond {
	const struct schema_field	*fd;		/* NULL: the id */
	const char			*name;
	const char			*lo, *hi;	/* as typed */
	struct buf			 lokey, hikey;
	int				 eq;		/* --where */
};

/* A row of a filtered export, kept to be written in id order. */
struct ctl_export_row {
	uint64_t	 id;
	char		*text;
	size_t		 len;
};

/* What an export writes to, and how it filters. */
struct ctl_export_state {
	const struct schema_form	*form;
	struct ctl_export_cond		*conds;
	size_t				 nconds;
	FILE				*f;
	struct buf			 line, tmp;
	int				 failed;
	int				 keep;		/* sort them first */
	struct ctl_export_row		*rows;
	size_t				 nrows, rowcap;
	size_t				 count;
	uint64_t			*ids;		/* links: records */
	size_t				 nids, idcap;
	const char			*entity;	/* links: source's */
	uint64_t			 from;		/* links: its id */
	struct auth_account		*acct;		/* --as: its records */
	struct store			*st;		/* to ask what it sees */
	size_t				 refused;	/* not the account's */
	int				 raw;		/* --raw: no guard */
};

/* Compare two index keys as the store does: bytes, then length. */
static int
ctl_export_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Whether an index key lies within a filter's bounds. */
static int
ctl_export_in(const struct ctl_export_cond *c, const void *k, size_t len)
{
	if (c->lo != NULL && ctl_export_keycmp(k, len, c->lokey.s,
	    c->lokey.len) < 0)
		return 0;
	if (c->hi != NULL && ctl_export_keycmp(k, len, c->hikey.s,
	    c->hikey.len) > 0)
		return 0;
	return 1;
}

/* Whether a record passes every filter (a repeated field: any value). */
static int
ctl_export_match(struct ctl_export_state *x, const struct record *r)
{
	const struct ctl_export_cond	*c;
	const struct record_values	*rv;
	unsigned char			 k[8];
	size_t				 i, j;
	int				 hit;

	for (i = 0; i < x->nconds; i++) {
		c = &x->conds[i];
		if (c->fd == NULL) {
			buf_reset(&x->tmp);
			buf_add_u64(&x->tmp, r->id);
			memcpy(k, x->tmp.s, sizeof k);
			if (!ctl_export_in(c, k, sizeof k))
				return 0;
			continue;
		}
		rv = &r->fields[c->fd - x->form->fields];
		for (hit = 0, j = 0; j < rv->n && !hit; j++) {
			buf_reset(&x->tmp);
			schema_index_key(c->fd, rv->v[j], strlen(rv->v[j]),
			    &x->tmp);
			hit = ctl_export_in(c, x->tmp.s, x->tmp.len);
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/*
 * Append a record as a CSV row: its id, then each field in form order;
 * with guard, cells a spreadsheet would run as formulas get a quote in
 * front (csv.h), which import takes off again.
 */
static void
ctl_export_record_row(const struct record *r, struct buf *b, struct buf *tmp,
    int guard)
{
	void	(*put)(struct buf *, const char *, size_t) = guard ?
		    csv_write_guarded : csv_write_field;
	const struct schema_form	*f = r->form;
	const struct record_values	*rv;
	size_t				 i, j;

	buf_addf(b, "%" PRIu64, r->id);
	for (i = 0; i < f->nfields; i++) {
		buf_addc(b, ',');
		rv = &r->fields[i];
		if (!f->fields[i].repeated) {
			if (rv->n != 0)
				put(b, rv->v[0], strlen(rv->v[0]));
			continue;
		}
		buf_reset(tmp);
		for (j = 0; j < rv->n; j++) {
			if (j != 0)
				buf_addc(tmp, CTL_CSV_SEP);
			ctl_csv_join_value(tmp, rv->v[j]);
		}
		put(b, tmp->s == NULL ? "" : tmp->s, tmp->len);
	}
	buf_adds(b, "\r\n");
}

/* Write (or keep, to sort) one record that passes the filters. */
static int
ctl_export_record(const struct record *r, void *arg)
{
	struct ctl_export_state	*x = arg;
	struct ctl_export_row	*o;

	if (!ctl_export_match(x, r))
		return 0;
	/* --as: only what the account may export and see (need to know). */
	if (x->acct != NULL && (!auth_may(x->acct, AUTH_EXPORT, r) ||
	    !auth_sees(x->st, NULL, x->acct, r))) {
		x->refused++;
		return 0;
	}
	buf_reset(&x->line);
	ctl_export_record_row(r, &x->line, &x->tmp, !x->raw);
	x->count++;
	if (!x->keep) {
		if (fwrite(x->line.s, 1, x->line.len, x->f) != x->line.len) {
			x->failed = errno != 0 ? errno : EIO;
			return -1;
		}
		return 0;
	}
	x->rows = ctl_csv_grow(x->rows, x->nrows, &x->rowcap, sizeof *x->rows);
	o = &x->rows[x->nrows++];
	o->id = r->id;
	o->len = x->line.len;
	o->text = xmemdup(x->line.s, x->line.len);
	return 0;
}

/* Order kept rows by id. */
static int
ctl_export_row_cmp(const void *a, const void *b)
{
	const struct ctl_export_row	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Parse FIELD=VALUE of a filter option into a condition's bound. */
static int
ctl_export_cond_add(struct ctl_ctx *ctx, struct ctl_export_state *x,
    const struct schema *s, int opt, const char *arg)
{
	struct ctl_export_cond	*c = NULL;
	struct buf		 canon = BUF_INIT, reason = BUF_INIT;
	struct buf		 key = BUF_INIT;
	const struct schema_field *fd = NULL;
	const char		*eq, *value, *what;
	char			*name;
	uint64_t		 id;
	size_t			 i;
	int			 r = 0;

	what = opt == 'w' ? "--where" : opt == 'f' ? "--from" : "--to";
	if ((eq = strchr(arg, '=')) == NULL || eq == arg || eq[1] == '\0')
		return ctl_usage(ctx->cmd, _("%s %s: expected FIELD=VALUE"),
		    what,
		    arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	value = eq + 1;
	if (strcmp(name, "id") != 0 &&
	    (fd = schema_field_find(x->form, name)) == NULL) {
		r = ctl_usage(ctx->cmd, _("%s %s: form %s has no field '%s'"),
		    what, arg, x->form->name, name);
		goto out;
	}
	if (fd == NULL) {
		if (ctl_csv_parse_id(value, &id) != 0) {
			r = ctl_usage(ctx->cmd, _("%s %s: expected a record id "
			    "(a whole number from 1)"), what, arg);
			goto out;
		}
		buf_add_u64(&key, id);
	} else if (schema_value_check(s, fd, value, &canon, &reason) !=
	    NCEN_OK) {
		r = ctl_usage(ctx->cmd, "%s %s: %s", what, arg,
		    buf_cstr(&reason));
		goto out;
	} else
		schema_index_key(fd, canon.s, canon.len, &key);
	for (i = 0; i < x->nconds; i++)
		if (x->conds[i].fd == fd)
			c = &x->conds[i];
	if (c == NULL) {
		x->conds = xreallocarray(x->conds, x->nconds + 1,
		    sizeof *x->conds);
		c = &x->conds[x->nconds++];
		memset(c, 0, sizeof *c);
		c->fd = fd;
		c->name = fd != NULL ? fd->name : "id";
	}
	if ((opt != 't' && c->lo != NULL) || (opt != 'f' && c->hi != NULL)) {
		r = ctl_usage(ctx->cmd,
		    _("%s %s: a bound of %s is given twice"),
		    what, arg, c->name);
		goto out;
	}
	if (opt != 't') {
		c->lo = value;
		buf_add(&c->lokey, key.s, key.len);
	}
	if (opt != 'f') {
		c->hi = value;
		buf_add(&c->hikey, key.s, key.len);
	}
	c->eq = opt == 'w';
out:
	free(name);
	buf_free(&canon);
	buf_free(&reason);
	buf_free(&key);
	return r;
}

/* Remember a scanned record's id (export links). */
static int
ctl_export_id(const struct record *r, void *arg)
{
	struct ctl_export_state	*x = arg;

	if (x->acct != NULL && !auth_sees(x->st, NULL, x->acct, r))
		return 0;	/* --as: links between records it sees */
	x->ids = ctl_csv_grow(x->ids, x->nids, &x->idcap, sizeof *x->ids);
	x->ids[x->nids++] = r->id;
	return 0;
}

/* Whether --as's account sees the other end of a link (or no --as). */
static int
ctl_export_sees(struct ctl_export_state *x, const char *entity, uint64_t id)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct record	*r = NULL;
	int		 seen;

	if (x->acct == NULL)
		return 1;
	seen = store_get(x->st, entity, id, &r, &e) == NCEN_OK &&
	    auth_sees(x->st, NULL, x->acct, r);
	record_free(r);
	ncen_err_free(&e);
	return seen;
}

/* Write one link of a record, from its source side only. */
static int
ctl_export_link(const struct store_link *l, void *arg)
{
	struct ctl_export_state	*x = arg;
	const char		*f[5];
	char			 a[24], b[24];

	if (l->incoming || !ctl_export_sees(x, l->entity, l->id))
		return 0;
	snprintf(a, sizeof a, "%" PRIu64, x->from);
	snprintf(b, sizeof b, "%" PRIu64, l->id);
	f[0] = x->entity;
	f[1] = a;
	f[2] = l->entity;
	f[3] = b;
	f[4] = l->role;
	buf_reset(&x->line);
	csv_write_row(&x->line, f, NULL, 5);
	x->count++;
	if (fwrite(x->line.s, 1, x->line.len, x->f) != x->line.len) {
		x->failed = errno != 0 ? errno : EIO;
		return -1;
	}
	return 0;
}

/* Write every link once, by form name, then source id. */
static int
ctl_export_links(struct store *st, const struct schema *s,
    struct ctl_export_state *x, struct ncen_err *e)
{
	struct store_ref	 ref;
	size_t			 i, j;
	int			 rc;

	for (i = 0; i < s->nforms; i++) {
		x->entity = s->forms[i]->name;
		x->nids = 0;
		if ((rc = store_scan(st, x->entity, ctl_export_id, x, e)) !=
		    NCEN_OK)
			return rc;
		for (j = 0; j < x->nids; j++) {
			ref.entity = x->entity;
			ref.id = x->from = x->ids[j];
			rc = store_links(st, ref, ctl_export_link, x, e);
			if (rc != NCEN_OK)
				return rc;
		}
	}
	return NCEN_OK;
}

/* What the command line of an export asks for. */
struct ctl_export_args {
	const char	*out;		/* -o FILE, NULL: standard output */
	const char	*as;		/* --as ACCOUNT */
	const char	*entity;
	char		**opts;		/* the filters, as typed */
	int		*kinds;		/* 'w', 'f' or 't' for each */
	size_t		 nopts;
	int		 links;		/* the entity is CTL_CSV_LINKS */
};

/* Read the options and the entity; nonzero: the exit status. */
static int
ctl_export_args(struct ctl_ctx *ctx, int argc, char **argv,
    struct ctl_export_args *a, struct ctl_export_state *x)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "where", required_argument, NULL, 'w' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "as", required_argument, NULL, 'a' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	int	c;

	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			x->raw = 1;
			break;
		case 'o':
			a->out = optarg;
			break;
		case 'a':
			a->as = optarg;
			break;
		case 'w':
		case 'f':
		case 't':
			a->opts = xreallocarray(a->opts, a->nopts + 1,
			    sizeof *a->opts);
			a->kinds = xreallocarray(a->kinds, a->nopts + 1,
			    sizeof *a->kinds);
			/* getopt gives a value; "" is refused as a filter. */
			a->opts[a->nopts] = optarg != NULL ? optarg : "";
			a->kinds[a->nopts++] = c;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (argc == optind)
		return ctl_usage(ctx->cmd, _("expected an entity"));
	if (argc - optind != 1)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
	a->entity = argv[optind];
	a->links = strcmp(a->entity, CTL_CSV_LINKS) == 0;
	return 0;
}

/* The form (or links), the account and the filters; nonzero: status. */
static int
ctl_export_prepare(struct ctl_ctx *ctx, const struct schema *s,
    struct store *st, const struct ctl_export_args *a,
    struct ctl_export_state *x)
{
	size_t	i;
	int	r;

	x->st = st;
	if (a->as != NULL && (r = ctl_as(ctx, st, a->as, AUTH_EXPORT, NULL,
	    &x->acct)) != 0)
		return r;
	if (!a->links && (x->form = schema_form_find(s, a->entity)) == NULL)
		return ctl_usage(ctx->cmd, _("no form '%s' in %s/forms (nor "
		    "is it 'links')"), a->entity, ctx->home);
	if (a->links && a->nopts != 0)
		return ctl_usage(ctx->cmd, _("links take no filters"));
	for (i = 0; i < a->nopts; i++)
		if ((r = ctl_export_cond_add(ctx, x, s, a->kinds[i],
		    a->opts[i])) != 0)
			return r;
	return 0;
}

/* Close the output file, and remove it when the export failed. */
static void
ctl_export_discard(const struct ctl_export_args *a,
    struct ctl_export_state *x)
{
	if (a->out != NULL && x->f != NULL) {
		fclose(x->f);
		unlink(a->out);
	}
	x->f = NULL;
}

/*
 * Open the output and put the export in the audit log before a byte of
 * it goes out; nonzero: the exit status, nothing left open.
 */
static int
ctl_export_open(struct ctl_ctx *ctx, struct store *st,
    const struct ctl_export_args *a, struct ctl_export_state *x)
{
	static const struct { int kind; const char *name; } opt_names[] = {
		{ 'w', "where" }, { 'f', "from" }, { 't', "to" },
	};
	struct buf	 what = BUF_INIT;
	size_t		 i, j;
	int		 r;

	x->f = stdout;
	if (a->out != NULL && (x->f = fopen(a->out, "w")) == NULL) {
		ctl_warn(_("export: %s: %s"), a->out, strerror(errno));
		return 2;
	}
	buf_addf(&what, "to %s", a->out != NULL ? a->out : "standard output");
	for (i = 0; i < a->nopts; i++)
		for (j = 0; j < sizeof opt_names / sizeof opt_names[0]; j++)
			if (opt_names[j].kind == a->kinds[i])
				buf_addf(&what, " --%s %s", opt_names[j].name,
				    a->opts[i]);
	r = ctl_csv_audit(ctx, st, "export.csv", a->entity, what.s, 0);
	if (r != 0)
		ctl_export_discard(a, x);
	buf_free(&what);
	return r;
}

/* Write the header row: the link columns, or id and the form's fields. */
static void
ctl_export_header(const struct ctl_export_args *a, struct ctl_export_state *x)
{
	struct buf	 hdr = BUF_INIT;
	size_t		 i;

	if (a->links) {
		for (i = 0; i < CTL_CSV_NLINKCOLS; i++)
			buf_addf(&hdr, "%s%s", i == 0 ? "" : ",",
			    ctl_csv_link_cols[i].name);
	} else {
		buf_adds(&hdr, "id");
		for (i = 0; i < x->form->nfields; i++)
			buf_addf(&hdr, ",%s", x->form->fields[i].name);
	}
	buf_adds(&hdr, "\r\n");
	errno = 0;
	if (fwrite(hdr.s, 1, hdr.len, x->f) != hdr.len)
		x->failed = errno != 0 ? errno : EIO;
	buf_free(&hdr);
}

/* The filter an index answers: a --where or a --from/--to pair. */
static const struct ctl_export_cond *
ctl_export_drive(const struct ctl_export_state *x)
{
	size_t	i;

	for (i = 0; i < x->nconds; i++)
		if (x->conds[i].fd != NULL && x->conds[i].fd->indexed &&
		    x->conds[i].lo != NULL && x->conds[i].hi != NULL)
			return &x->conds[i];
	return NULL;
}

/* Write the records an index finds, in id order. */
static int
ctl_export_indexed(struct store *st, const struct ctl_export_cond *drive,
    struct ctl_export_state *x, struct ncen_err *e)
{
	size_t	i;
	int	rc;

	x->keep = 1;
	if ((rc = store_find(st, x->form->name, drive->name, drive->lo,
	    drive->eq ? NULL : drive->hi, ctl_export_record, x, e)) !=
	    NCEN_OK)
		return rc;
	if (x->nrows > 0)	/* none found: rows may be NULL */
		qsort(x->rows, x->nrows, sizeof *x->rows, ctl_export_row_cmp);
	for (i = 0; i < x->nrows && !x->failed; i++)
		if (fwrite(x->rows[i].text, 1, x->rows[i].len, x->f) !=
		    x->rows[i].len)
			x->failed = errno != 0 ? errno : EIO;
	return NCEN_OK;
}

/* Write the rows after the header; nonzero: the exit status. */
static int
ctl_export_rows(struct store *st, const struct schema *s,
    const struct ctl_export_args *a, struct ctl_export_state *x)
{
	struct ncen_err			 e = NCEN_ERR_INIT;
	const struct ctl_export_cond	*drive;
	int				 rc, r = 0;

	if (a->links)
		rc = ctl_export_links(st, s, x, &e);
	else if ((drive = ctl_export_drive(x)) != NULL)
		rc = ctl_export_indexed(st, drive, x, &e);
	else
		rc = store_scan(st, x->form->name, ctl_export_record, x, &e);
	/* A write that failed stops the walk: that is reported instead. */
	if (rc != NCEN_OK && !x->failed)
		r = ctl_report("export", &e);
	ncen_err_free(&e);
	return r;
}

/* Flush and close the output (removed if anything failed); the status. */
static int
ctl_export_close(const struct ctl_export_args *a, struct ctl_export_state *x,
    int r)
{
	if (x->f != NULL && fflush(x->f) == EOF && !x->failed)
		x->failed = errno != 0 ? errno : EIO;
	if (x->failed && r == 0) {
		ctl_warn(_("export: %s: %s"), a->out != NULL ? a->out :
		    _("standard output"), strerror(x->failed));
		r = 2;
	}
	if (a->out != NULL && x->f != NULL && fclose(x->f) == EOF && r == 0) {
		ctl_warn(_("export: %s: %s"), a->out, strerror(errno));
		r = 2;
	}
	if (a->out != NULL && x->f != NULL && r != 0)
		unlink(a->out);
	x->f = NULL;
	return r;
}

/* Say on stderr how much was written to a file and how much left out. */
static void
ctl_export_summary(const struct ctl_export_args *a,
    const struct ctl_export_state *x)
{
	if (a->out != NULL && a->links)
		fprintf(stderr, ngettext_("ncenctl: export: %zu link written "
		    "to %s\n", "ncenctl: export: %zu links written to %s\n",
		    x->count), x->count, a->out);
	else if (a->out != NULL)
		fprintf(stderr, ngettext_("ncenctl: export: %zu %s record "
		    "written to %s\n", "ncenctl: export: %zu %s records "
		    "written to %s\n", x->count), x->count, x->form->name,
		    a->out);
	if (x->refused != 0)
		fprintf(stderr, ngettext_("ncenctl: export: %zu record left "
		    "out: '%s' may not export it (not its own, or not its "
		    "offices)\n", "ncenctl: export: %zu records left out: "
		    "'%s' may not export them (not its own, or not its "
		    "offices)\n", x->refused), x->refused, a->as);
}

/* Free what an export kept. */
static void
ctl_export_free(struct ctl_export_args *a, struct ctl_export_state *x)
{
	size_t	i;

	auth_account_free(x->acct);
	for (i = 0; i < x->nconds; i++) {
		buf_free(&x->conds[i].lokey);
		buf_free(&x->conds[i].hikey);
	}
	free(x->conds);
	for (i = 0; i < x->nrows; i++)
		free(x->rows[i].text);
	free(x->rows);
	free(x->ids);
	free(a->opts);
	free(a->kinds);
	buf_free(&x->line);
	buf_free(&x->tmp);
}

/* export ENTITY [-o FILE] [--where F=V] [--from F=LO] [--to F=HI] ... */
int
ctl_export(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ctl_export_args	 a;
	struct ctl_export_state	 x;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	int			 r;

	memset(&a, 0, sizeof a);
	memset(&x, 0, sizeof x);
	if ((r = ctl_export_args(ctx, argc, argv, &a, &x)) != 0 ||
	    (r = ctl_open(ctx, &s, &st)) != 0 ||
	    (r = ctl_export_prepare(ctx, s, st, &a, &x)) != 0 ||
	    (r = ctl_export_open(ctx, st, &a, &x)) != 0)
		goto out;
	ctl_export_header(&a, &x);
	if (!x.failed)
		r = ctl_export_rows(st, s, &a, &x);
	if ((r = ctl_export_close(&a, &x, r)) == 0)
		ctl_export_summary(&a, &x);
out:
	ctl_export_free(&a, &x);
	return ctl_close(ctx, s, st, r);
}

/* An example value of a field for the template, valid for its form. */
static void
ctl_template_example(const struct schema *s, const struct schema_field *fd,
    int second, struct buf *b)
{
	const struct schema_codelist	*l;
	struct buf			 in = BUF_INIT;
	const char			*p, *label;
	struct tm			 tm;
	time_t				 now = time(NULL);
	unsigned			 i, n;

	switch (fd->type) {
	case SCHEMA_TEXT:
		label = schema_label(fd->label, SCHEMA_EN);
		if (label == NULL)
			label = fd->name;
		/* The label, cut to the field's size in characters. */
		for (p = label, n = 0; *p != '\0' && n < fd->size; n++) {
			do
				p++;
			while (((unsigned char)*p & 0xc0) == 0x80);
		}
		buf_add(&in, label, (size_t)(p - label));
		break;
	case SCHEMA_INTEGER:
		buf_adds(&in, second ? "2" : "1");
		break;
	case SCHEMA_DECIMAL:
		buf_adds(&in, "12");
		if (fd->scale != 0)
			buf_adds(&in, ".5");
		for (i = 1; i < fd->scale; i++)
			buf_addc(&in, '0');
		break;
	case SCHEMA_DATE:
	case SCHEMA_DATETIME:
		localtime_r(&now, &tm);
		buf_addf(&in, "%04d-%02d-%02d", tm.tm_year + 1900,
		    tm.tm_mon + 1, tm.tm_mday);
		if (fd->type == SCHEMA_DATETIME)
			buf_adds(&in, "T12:00");
		break;
	case SCHEMA_CODE:
		if ((l = schema_list_find(s, fd->target)) != NULL &&
		    l->ncodes != 0)
			buf_adds(&in, l->codes[second && l->ncodes > 1 ? 1 :
			    0].code);
		break;
	case SCHEMA_REF:
		buf_adds(&in, "1");
		break;
	}
	if (in.len != 0 && schema_value_check(s, fd, in.s, b, NULL) !=
	    NCEN_OK)
		buf_reset(b);
	buf_free(&in);
}

/*
 * template ENTITY: the header row and one example row, marked as such
 * in a first column of its own so that it never imports as data (a
 * case's number and status are left empty: the workflow gives them).
 */
int
ctl_template(struct ctl_ctx *ctx, int argc, char **argv)
{
	const struct schema_form	*form;
	const struct schema_field	*fd;
	struct schema			*s = NULL;
	struct buf			 b = BUF_INIT, v = BUF_INIT;
	struct buf			 v2 = BUF_INIT, joined = BUF_INIT;
	struct buf			 mark = BUF_INIT;
	size_t				 i;
	int				 r = 0;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("expected an entity"));
	if (argc > 2)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[2]);
	buf_adds(&b, CTL_CSV_EXAMPLE ",");
	csv_write_field(&mark, CTL_CSV_EXAMPLE_ROW,
	    strlen(CTL_CSV_EXAMPLE_ROW));
	buf_addc(&mark, ',');
	if (strcmp(argv[1], CTL_CSV_LINKS) == 0) {
		buf_adds(&b, "from_entity,from_id,to_entity,to_id,role\r\n");
		buf_add(&b, mark.s, mark.len);
		buf_adds(&b, "case,1,person,1,SUSPECT\r\n");
		goto write;
	}
	if ((r = ctl_schema(ctx, &s)) != 0)
		goto out;
	if ((form = schema_form_find(s, argv[1])) == NULL) {
		r = ctl_usage(ctx->cmd, _("no form '%s' in %s/forms (nor is it "
		    "'links')"), argv[1], ctx->home);
		goto out;
	}
	for (i = 0; i < form->nfields; i++)
		buf_addf(&b, "%s%s", i == 0 ? "" : ",", form->fields[i].name);
	buf_adds(&b, "\r\n");
	buf_add(&b, mark.s, mark.len);
	for (i = 0; i < form->nfields; i++) {
		fd = &form->fields[i];
		if (i != 0)
			buf_addc(&b, ',');
		/* What the workflow gives a case is left to it. */
		if (ctl_import_case_is(form) &&
		    (strcmp(fd->name, "number") == 0 ||
		    strcmp(fd->name, "status") == 0))
			continue;
		ctl_template_example(s, fd, 0, &v);
		if (!fd->repeated || v.len == 0) {
			csv_write_field(&b, v.s == NULL ? "" : v.s, v.len);
			continue;
		}
		/* Two values show the separator. */
		ctl_template_example(s, fd, 1, &v2);
		buf_reset(&joined);
		ctl_csv_join_value(&joined, v.s);
		if (v2.len != 0) {
			buf_addc(&joined, CTL_CSV_SEP);
			ctl_csv_join_value(&joined, v2.s);
		}
		csv_write_field(&b, joined.s, joined.len);
	}
	buf_adds(&b, "\r\n");
write:
	if (fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) == EOF) {
		ctl_warn(_("template: standard output: %s"), strerror(errno));
		r = 2;
	}
out:
	buf_free(&b);
	buf_free(&v);
	buf_free(&v2);
	buf_free(&joined);
	buf_free(&mark);
	schema_free(s);
	return r;
}
