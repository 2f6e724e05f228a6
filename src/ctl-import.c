/*
 * ctl-import.c - ncenctl import: records or links from a CSV file.
 *
 * The file holds the records of one form, or the links between records
 * (the pseudo-entity `links`), as ctl-csv.c describes.
 *
 * Import is all or nothing.  The whole file is read and checked first
 * (every row against the form and the database), and nothing is written
 * if a row is wrong (with --partial, the wrong rows go to a rejects file
 * with their reasons and the others are imported).  Then the rows are
 * written in transactions of CTL_IMPORT_BATCH records: one transaction
 * for a whole file does not fit the store's lock table past some 50000
 * records, and would stall every officer's save for as long as it ran.
 * The journal of ctl-journal.c makes the batches all or nothing.
 *
 * Cases owe the workflow their status and number (ctl-import-case.c),
 * a template's example row (its #example column filled) is refused, and
 * so are the workflow's own transition records: neither is data.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "csv.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store-space.h"
#include "statcase.h"
#include "store.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define CTL_IMPORT_BATCH	1000	/* rows written per transaction */
#define CTL_IMPORT_SPACE	12	/* disk bytes per byte of rows (measured) */
#define CTL_IMPORT_DUPS_SHOWN	5	/* records named for a duplicate row */

/* Set by a signal during the writes of an import. */
static volatile sig_atomic_t	ctl_import_signalled;

/* A row that passed (or waits for the whole file to be read). */
struct ctl_import_item {
	unsigned	 line;
	int		 state;		/* CTL_IMPORT_GOOD, ... */
	uint64_t	 id;		/* given id (0: new) or link from_id */
	uint64_t	 id2;		/* link to_id */
	const char	*e1, *e2;	/* link entities (schema names) */
	size_t		 off, len;	/* encoded record or role in data */
	size_t		 raw, rawlen;	/* pending rows: the row as CSV */
	unsigned	 steps;		/* a case's, to its status */
};

enum {
	CTL_IMPORT_GOOD,
	CTL_IMPORT_PENDING,
	CTL_IMPORT_REJECTED,
};

/* Everything an import keeps between reading, checking and writing. */
/* What --duplicates does with a row that a stored record probably is. */
enum ctl_import_dups {
	CTL_IMPORT_DUPS_REPORT = 0,	/* say so, import it */
	CTL_IMPORT_DUPS_REFUSE,		/* refuse the row */
	CTL_IMPORT_DUPS_NONE,		/* do not look */
};

static const char *const ctl_import_dups_names[] = {
	"report", "refuse", "none",
};

struct ctl_import_state {
	struct ctl_csv_input		 in;		/* the file */
	const struct schema		*s;
	struct store			*st;
	const struct schema_form	*form;		/* NULL: links */
	const char			*user;
	const char			*override;	/* --override-check */
	int				 verbatim;	/* --raw: keep quotes */
	size_t				 nkept;		/* digits it kept */

	size_t				 ncols;
	int				*col;
	struct buf			 header;	/* of the rejects */
	int				 has_id;
	int				 has_example;	/* a template's column */

	struct ctl_import_item		*items;
	size_t				 nitems, itemcap;
	struct buf			 data, raw;
	struct ctl_csv_set		 ids, links;
	size_t				 nrows, nrejected, nskipped;

	int				 deferred;	/* refs to rows ahead */
	int				 final;		/* all rows are read */

	const char			*rejpath;
	FILE				*rej;

	size_t				 fsize;		/* of the input, or 0 */

	struct ctl_import_case		*cases;		/* an import of cases */
	enum ctl_import_dups		 dups;		/* --duplicates */
	size_t				 ndups;		/* rows reported */

	/* Writing. */
	int				 jfd;
	char				*jpath;
	size_t				 next, end;	/* the batch */
	size_t				 written;
	struct buf			 jbuf;
	struct buf			 audit;		/* import.csv details */
	int				 audited;	/* in the last batch */
};

/* Copy a field with each CR LF turned into LF (spreadsheets write them). */
static void
ctl_import_unix(struct buf *b, const char *s, size_t len)
{
	size_t	i;

	buf_reset(b);
	for (i = 0; i < len; i++) {
		if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
			continue;
		buf_addc(b, s[i]);
	}
	buf_addc(b, '\0');
}

/* Write a rejected row and its reasons to the rejects file, if any. */
static void
ctl_import_reject(struct ctl_import_state *imp, const char *const *f,
    const size_t *len, size_t n)
{
	const char	**all;
	size_t		 *lens, i;
	struct buf	  b = BUF_INIT;

	imp->nrejected++;
	if (imp->rej == NULL)
		return;
	all = xcalloc(n + 1, sizeof *all);
	lens = xcalloc(n + 1, sizeof *lens);
	for (i = 0; i < n; i++) {
		all[i] = f[i];
		lens[i] = len[i];
	}
	all[n] = buf_cstr(&imp->in.why);
	lens[n] = imp->in.why.len;
	csv_write_row(&b, all, lens, n + 1);
	/* A failed write shows in ferror() when the file is closed. */
	(void)fwrite(b.s, 1, b.len, imp->rej);
	buf_free(&b);
	free(all);
	free(lens);
}

/* Write a pending row (kept as CSV) that the last check rejected. */
static void
ctl_import_reject_raw(struct ctl_import_state *imp,
    const struct ctl_import_item *it)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;

	rd = csv_open_mem(imp->raw.s + it->raw, it->rawlen, imp->in.path);
	if (csv_read(rd, &row, &e) != 0 && row != NULL)
		ctl_import_reject(imp, (const char *const *)row->f, row->len,
		    row->n);
	else
		imp->nrejected++;
	csv_close(rd);
	ncen_err_free(&e);
}

/* Match the header row to the form's fields (or the link columns). */
static int
ctl_import_header(struct ctl_import_state *imp, const struct csv_row *row)
{
	struct ctl_csv_set	 seen = { BUF_INIT, NULL, 0, 0 };
	const char		*name, *reason = "reason";
	struct buf		 rname = BUF_INIT;
	size_t			 i, k;
	int			 added, bad = 0, c;

	imp->ncols = row->n;
	imp->col = xcalloc(row->n, sizeof *imp->col);
	for (i = 0; i < row->n; i++) {
		name = row->f[i];
		c = INT32_MIN;
		if (strcmp(name, CTL_CSV_EXAMPLE) == 0) {
			c = CTL_CSV_COL_EXAMPLE;
			imp->has_example = 1;
		} else if (imp->form == NULL) {
			for (k = 0; k < CTL_CSV_NLINKCOLS; k++)
				if (strcmp(name, ctl_csv_link_cols[k].name) ==
				    0)
					c = ctl_csv_link_cols[k].col;
		} else if (strcmp(name, "id") == 0) {
			c = CTL_CSV_COL_ID;
			imp->has_id = 1;
		} else if (schema_field_index(imp->form, name) >= 0)
			c = schema_field_index(imp->form, name);
		imp->col[i] = c;
		if (row->len[i] == 0) {
			ctl_csv_problem(&imp->in, row->line, NULL,
			    _("column %zu: "
			    "expected a field name, found an empty one"),
			    i + 1);
			bad = 1;
			continue;
		}
		ctl_csv_set_put(&seen, name, row->len[i], row->line, &added);
		if (!added) {
			ctl_csv_problem(&imp->in, row->line, name,
			    _("the column "
			    "appears twice"));
			bad = 1;
		} else if (c == INT32_MIN && imp->form == NULL) {
			ctl_csv_problem(&imp->in, row->line, name,
			    _("expected a "
			    "column of a links file (from_entity, from_id, "
			    "to_entity, to_id, role), found another"));
			bad = 1;
		} else if (c == INT32_MIN) {
			ctl_csv_problem(&imp->in, row->line, name,
			    _("form %s has "
			    "no such field%s"), imp->form->name,
			    strcmp(name, "reason") == 0 ? _(" (delete the "
			    "reason column of a rejects file before importing "
			    "it again)") : "");
			bad = 1;
		}
	}
	if (imp->form == NULL) {
		for (k = 0; k < CTL_CSV_NLINKCOLS; k++) {
			name = ctl_csv_link_cols[k].name;
			if (ctl_csv_set_get(&seen, name, strlen(name)) != NULL)
				continue;
			ctl_csv_problem(&imp->in, row->line, name,
			    _("expected this "
			    "column in a links file, found none"));
			bad = 1;
		}
	}
	/* The rejects file: the same columns and one more for the reasons. */
	buf_adds(&rname, reason);
	while (ctl_csv_set_get(&seen, rname.s, rname.len) != NULL)
		buf_addc(&rname, '_');
	for (i = 0; i < row->n; i++) {
		csv_write_field(&imp->header, row->f[i], row->len[i]);
		buf_addc(&imp->header, ',');
	}
	buf_add(&imp->header, rname.s, rname.len);
	buf_adds(&imp->header, "\r\n");
	if (imp->rej != NULL)
		(void)fputs(buf_cstr(&imp->header), imp->rej);
	buf_free(&rname);
	ctl_csv_set_free(&seen);
	return bad ? -1 : 0;
}

/* The name of a column of the file, for a message. */
static const char *
ctl_import_col_name(const struct ctl_import_state *imp, size_t c)
{
	int	col = imp->col[c];

	if (col == CTL_CSV_COL_EXAMPLE)
		return CTL_CSV_EXAMPLE;
	if (imp->form == NULL)
		return ctl_csv_link_cols[-col - 2].name;
	return col < 0 ? "id" : imp->form->fields[col].name;
}

/*
 * Refuse a template's example row (its marker column is not empty),
 * and rows of the workflow's own records; 1 if the row was refused.
 */
static int
ctl_import_not_data(struct ctl_import_state *imp, const struct csv_row *row)
{
	size_t	c;

	for (c = 0; imp->has_example && c < imp->ncols; c++)
		if (imp->col[c] == CTL_CSV_COL_EXAMPLE &&
		    !ctl_csv_blank(row->f[c], row->len[c]))
			break;
	if (imp->has_example && c < imp->ncols)
		ctl_csv_problem(&imp->in, row->line, NULL, _("this is a "
		    "template's example row: replace it with your data"));
	else if (imp->form != NULL &&
	    strcmp(imp->form->name, WORKFLOW_FORM) == 0)
		ctl_csv_problem(&imp->in, row->line, NULL, _("the workflow "
		    "writes its steps itself: import the cases with their "
		    "status instead"));
	else
		return 0;
	ctl_import_reject(imp, (const char *const *)row->f, row->len, row->n);
	return 1;
}

/* Whether a referenced record exists, in the store or the file. */
static int
ctl_import_ref(const char *entity, uint64_t id, void *arg)
{
	struct ctl_import_state	*imp = arg;
	struct ctl_csv_slot	*sl = NULL;
	unsigned char		 k[8];
	int			 same, rc;

	same = imp->form != NULL && imp->has_id &&
	    strcmp(entity, imp->form->name) == 0;
	if (same) {
		memcpy(k, &id, sizeof k);
		if ((sl = ctl_csv_set_get(&imp->ids, k, sizeof k)) != NULL &&
		    sl->ok)
			return 1;
	}
	if ((rc = ctl_exists(imp->st, entity, id)) != 0)
		return rc;
	if (same && sl == NULL && !imp->final) {
		/* Perhaps a row further down: check again at the end. */
		imp->deferred = 1;
		return 1;
	}
	return 0;
}

/* Fields whose values name accounts: each must be an account here. */
static const struct {
	const char	*entity;
	const char	*field;
} ctl_import_accounts[] = {
	{ "investigation", "officers" },
};

/*
 * Note each value of an account field that names no account (an
 * investigation assigned to "nobody-here"); -1 when there is one.
 */
static int
ctl_import_check_accounts(struct ctl_import_state *imp, const struct record *r,
    unsigned line)
{
	const struct record_values	*v;
	struct auth_account		*a;
	struct ncen_err			 e = NCEN_ERR_INIT;
	size_t				 i, j;
	int				 k, bad = 0, rc;

	for (i = 0; i < sizeof ctl_import_accounts /
	    sizeof ctl_import_accounts[0]; i++) {
		if (strcmp(r->form->name, ctl_import_accounts[i].entity) != 0 ||
		    (k = schema_field_index(r->form,
		    ctl_import_accounts[i].field)) < 0)
			continue;
		v = &r->fields[k];
		for (j = 0; j < v->n; j++) {
			a = NULL;
			rc = auth_account_get(imp->st, v->v[j], &a, &e);
			auth_account_free(a);
			ncen_err_clear(&e);
			if (rc == NCEN_OK)
				continue;
			ctl_csv_problem(&imp->in, line, NULL, rc ==
			    NCEN_ENOTFOUND ? _("%s: '%s' is no account "
			    "(ncenctl user list)") : _("%s: the account '%s' "
			    "could not be read"), ctl_import_accounts[i].field,
			    v->v[j]);
			bad = 1;
		}
	}
	ncen_err_free(&e);
	return bad ? -1 : 0;
}

/* Check a record with schema_validate and note each problem it finds. */
static int
ctl_import_validate(struct ctl_import_state *imp, const struct record *r,
    unsigned line)
{
	struct buf	 problems = BUF_INIT;
	const char	*p, *nl;
	int		 rc;

	imp->deferred = 0;
	/* A statistical return is complete, or it is no return. */
	rc = schema_validate(imp->s, r, statcase_is(imp->form) ?
	    SCHEMA_SUBMIT : SCHEMA_DRAFT, ctl_import_ref, imp, &problems);
	if (rc == NCEN_OK) {
		buf_free(&problems);
		return ctl_import_check_accounts(imp, r, line);
	}
	if (problems.len == 0)
		ctl_csv_problem(&imp->in, line, NULL, "%s",
		    rc == NCEN_EINVALID ? _("invalid record") :
		    _("the database could not be read to check a reference"));
	for (p = buf_cstr(&problems); *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			ctl_csv_problem(&imp->in, line, NULL, "%.*s",
			    (int)(nl - p), p);
		if (*nl == '\n')
			nl++;
	}
	buf_free(&problems);
	return -1;
}

/* Read one column of a form's row into the record; -1 on a problem. */
static int
ctl_import_form_value(struct ctl_import_state *imp, const struct csv_row *row,
    size_t c, struct record *r, struct buf *tmp, struct buf *vals)
{
	const struct schema_field	*fd;
	struct buf			 canon = BUF_INIT, reason = BUF_INIT;
	const char			*v;
	size_t				 n, i, skip;
	int				 bad = 0;

	fd = &imp->form->fields[imp->col[c]];
	skip = imp->verbatim ? 0 : csv_unguard(row->f[c], row->len[c]);
	ctl_import_unix(tmp, row->f[c] + skip, row->len[c] - skip);
	if (fd->repeated)
		ctl_csv_split(tmp->s, tmp->len - 1, vals, &n);
	else {
		buf_reset(vals);
		buf_add(vals, tmp->s, tmp->len);
		n = 1;
	}
	for (v = vals->s, i = 0; i < n; i++, v += strlen(v) + 1) {
		if (ctl_csv_blank(v, strlen(v)))
			continue;
		if (schema_value_check(imp->s, fd, v, &canon, &reason) !=
		    NCEN_OK) {
			if (n > 1)
				ctl_csv_problem(&imp->in, row->line, fd->name,
				    _("value %zu: %s"), i + 1,
				    buf_cstr(&reason));
			else
				ctl_csv_problem(&imp->in, row->line, fd->name,
				    "%s", buf_cstr(&reason));
			bad = 1;
			continue;
		}
		if (canon.len != 0)
			record_add_value(r, (size_t)imp->col[c], canon.s);
	}
	buf_free(&canon);
	buf_free(&reason);
	return bad ? -1 : 0;
}

/*
 * Wrong check digits (fields with `check imo|iso6346`): each refuses the
 * row, naming its column and the digit it should be, unless the
 * administrator passed --override-check REASON, which is then kept with
 * the record for that value (validate.h) and so in the audit log.
 */
static int
ctl_import_digits(struct ctl_import_state *imp, const struct csv_row *row,
    struct record *r)
{
	const struct schema_field	*fd;
	struct buf			 w = BUF_INIT;
	size_t				 c, j;
	const char			*v;
	char				 want;
	int				 bad = 0, fi;

	for (c = 0; c < imp->ncols; c++) {
		if ((fi = imp->col[c]) < 0)
			continue;
		fd = &imp->form->fields[fi];
		for (j = 0; j < r->fields[fi].n; j++) {
			v = r->fields[fi].v[j];
			if (!schema_check_digit(fd, v, &want) ||
			    schema_check_override(r, fd->name, v) != NULL)
				continue;
			if (imp->override != NULL) {
				schema_check_override_set(r, fd->name, v,
				    imp->override);
				imp->nkept++;
				continue;
			}
			buf_reset(&w);
			schema_check_warning(fd, v, want, &w);
			ctl_csv_problem(&imp->in, row->line, fd->name,
			    _("column %zu: %s (--override-check REASON keeps "
			    "it)"), c + 1, w.s);
			bad = 1;
		}
	}
	buf_free(&w);
	return bad ? -1 : 0;
}

/*
 * --duplicates: look for stored records the row probably repeats
 * (search_duplicates); say which, and with refuse refuse the row (-1).
 */
static int
ctl_import_dups(struct ctl_import_state *imp, const struct record *r,
    unsigned line)
{
	struct store_search_ids	 ids;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 which = BUF_INIT;
	size_t			 i;
	int			 refused = 0;

	if (imp->dups == CTL_IMPORT_DUPS_NONE)
		return 0;
	if (search_duplicates(imp->st, r, &ids, &e) != NCEN_OK) {
		ctl_warn(_("import: %s:%u: looking for duplicates: %s"),
		    imp->in.path, line, ncen_err_msg(&e));
		ncen_err_free(&e);
		return 0;
	}
	for (i = 0; i < ids.n && i < CTL_IMPORT_DUPS_SHOWN; i++)
		buf_addf(&which, "%s%s:%llu", i == 0 ? "" : ", ",
		    r->form->name, (unsigned long long)ids.ids[i]);
	if (ids.n > CTL_IMPORT_DUPS_SHOWN)
		buf_addf(&which, _(" and %zu more"),
		    ids.n - CTL_IMPORT_DUPS_SHOWN);
	if (ids.n != 0 && imp->dups == CTL_IMPORT_DUPS_REFUSE) {
		ctl_csv_problem(&imp->in, line, NULL, _("probably already "
		    "recorded as %s (--duplicates refuse)"), buf_cstr(&which));
		refused = -1;
	} else if (ids.n != 0) {
		ctl_warn(_("import: %s:%u: probably already recorded as %s"),
		    imp->in.path, line, buf_cstr(&which));
		imp->ndups++;
	}
	store_search_ids_free(&ids);
	buf_free(&which);
	ncen_err_free(&e);	/* a retried read may have filled it */
	return refused;
}

/* Check one row of a form's file and keep it, or note its problems. */
static void
ctl_import_form_row(struct ctl_import_state *imp, const struct csv_row *row)
{
	struct ctl_import_item	 it;
	struct ctl_csv_slot	*sl = NULL;
	struct record		*r;
	struct buf		 tmp = BUF_INIT, vals = BUF_INIT;
	unsigned char		 k[8];
	uint64_t		 id = 0;
	size_t			 c;
	unsigned		 steps = 0;
	int			 bad = 0, added, x;

	r = record_new(imp->form);
	for (c = 0; c < imp->ncols; c++) {
		if (imp->col[c] == CTL_CSV_COL_EXAMPLE)
			continue;
		if (imp->col[c] != CTL_CSV_COL_ID) {
			if (ctl_import_form_value(imp, row, c, r, &tmp,
			    &vals) != 0)
				bad = 1;
			continue;
		}
		if (ctl_csv_blank(row->f[c], row->len[c]))
			continue;
		if (ctl_csv_parse_id(row->f[c], &id) != 0) {
			ctl_csv_problem(&imp->in, row->line, "id",
			    _("expected a "
			    "record id (a whole number from 1), found '%s'"),
			    row->f[c]);
			bad = 1;
			continue;
		}
		memcpy(k, &id, sizeof k);
		sl = ctl_csv_set_put(&imp->ids, k, sizeof k, row->line, &added);
		if (!added) {
			ctl_csv_problem(&imp->in, row->line, "id", _("%" PRIu64
			    " appears twice (first at line %u)"), id, sl->line);
			sl = NULL;
			bad = 1;
		} else if ((x = ctl_exists(imp->st, imp->form->name,
		    id)) != 0) {
			ctl_csv_problem(&imp->in, row->line, "id", x > 0 ?
			    _("%s %" PRIu64 " is already in the database") :
			    _("%s %" PRIu64 ": the database could not be read"),
			    imp->form->name, id);
			bad = 1;
		}
	}
	r->id = id;
	if (!bad && ctl_import_validate(imp, r, row->line) != 0)
		bad = 1;
	if (!bad && ctl_import_digits(imp, row, r) != 0)
		bad = 1;
	if (!bad && imp->cases != NULL && ctl_import_case_check(imp->cases,
	    &imp->in, row->line, r, &steps, ctl_import_ref, imp) != 0)
		bad = 1;
	if (!bad && ctl_import_dups(imp, r, row->line) != 0)
		bad = 1;
	if (bad) {
		if (sl != NULL)
			sl->ok = 0;
		ctl_import_reject(imp, (const char *const *)row->f, row->len,
		    row->n);
		goto out;
	}
	memset(&it, 0, sizeof it);
	it.line = row->line;
	it.id = id;
	it.steps = steps;
	it.off = imp->data.len;
	record_encode(r, &imp->data);
	it.len = imp->data.len - it.off;
	it.state = CTL_IMPORT_GOOD;
	if (imp->deferred) {
		it.state = CTL_IMPORT_PENDING;
		it.raw = imp->raw.len;
		csv_write_row(&imp->raw, (const char *const *)row->f, row->len,
		    row->n);
		it.rawlen = imp->raw.len - it.raw;
	}
	imp->items = ctl_csv_grow(imp->items, imp->nitems, &imp->itemcap,
	    sizeof *imp->items);
	imp->items[imp->nitems++] = it;
out:
	record_free(r);
	buf_free(&tmp);
	buf_free(&vals);
}

/* Callback of store_links: whether the link being checked is there already. */
struct ctl_import_linkfind {
	const char	*entity;
	uint64_t	 id;
	const char	*role;
	int		 found;
};

static int
ctl_import_link_same(const struct store_link *l, void *arg)
{
	struct ctl_import_linkfind	*lf = arg;

	if (l->id == lf->id && strcmp(l->entity, lf->entity) == 0 &&
	    strcmp(l->role, lf->role) == 0)
		lf->found = 1;
	return 0;
}

/* Read an entity and an id column of a links row; -1 on a problem. */
static int
ctl_import_link_end(struct ctl_import_state *imp, const struct csv_row *row,
    size_t ce, size_t ci, const char **entity, uint64_t *id)
{
	const struct schema_form	*f;
	int				 x;

	*entity = NULL;
	if ((f = schema_form_find(imp->s, row->f[ce])) == NULL) {
		ctl_csv_problem(&imp->in, row->line, ctl_csv_link_cols[
		    -imp->col[ce] - 2].name, _("expected the name of a form, "
		    "found '%s'"), row->f[ce]);
		return -1;
	}
	*entity = f->name;
	if (ctl_csv_parse_id(row->f[ci], id) != 0) {
		ctl_csv_problem(&imp->in, row->line, ctl_csv_link_cols[
		    -imp->col[ci] - 2].name, _("expected a record id (a whole "
		    "number from 1), found '%s'"), row->f[ci]);
		return -1;
	}
	if ((x = ctl_exists(imp->st, f->name, *id)) > 0)
		return 0;
	ctl_csv_problem(&imp->in, row->line, ctl_csv_link_cols[-imp->col[ci] -
	    2].name, x == 0 ? _("no %s %" PRIu64 " in the database") :
	    _("%s %" PRIu64 ": the database could not be read"), f->name,
	    *id);
	return -1;
}

/* A link's role: a code of the role list (or its label), else as typed. */
static int
ctl_import_link_role(struct ctl_import_state *imp, const struct csv_row *row,
    size_t c, struct buf *role)
{
	struct schema_field	 fd;
	struct buf		 reason = BUF_INIT, canon = BUF_INIT;
	const char		*s = row->f[c];
	size_t			 len = row->len[c], i;
	int			 bad = 0;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	buf_reset(role);
	buf_add(role, s, len);
	buf_addc(role, '\0');
	role->len--;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			bad = 1;
	if (len == 0 || len > CTL_CSV_ROLE_MAX || bad) {
		ctl_csv_problem(&imp->in, row->line, "role",
		    _("expected a role of "
		    "1 to %d bytes without control characters, found '%s'"),
		    CTL_CSV_ROLE_MAX, role->s);
		return -1;
	}
	if (schema_list_find(imp->s, "role") == NULL)
		return 0;
	memset(&fd, 0, sizeof fd);
	fd.name = (char *)(uintptr_t)"role";
	fd.type = SCHEMA_CODE;
	fd.target = (char *)(uintptr_t)"role";
	if (schema_value_check(imp->s, &fd, role->s, &canon, &reason) !=
	    NCEN_OK) {
		ctl_csv_problem(&imp->in, row->line, "role", "%s",
		    buf_cstr(&reason));
		bad = 1;
	} else {
		buf_reset(role);
		buf_add(role, canon.s, canon.len);
	}
	buf_free(&canon);
	buf_free(&reason);
	return bad ? -1 : 0;
}

/* Check one row of a links file and keep it, or note its problems. */
static void
ctl_import_link_row(struct ctl_import_state *imp, const struct csv_row *row)
{
	struct ctl_import_linkfind	 lf;
	struct ctl_import_item	 it;
	struct ctl_csv_slot	*sl;
	struct store_ref	 ref;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 role = BUF_INIT, key = BUF_INIT;
	size_t			 c, at[CTL_CSV_NLINKCOLS];
	int			 bad = 0, added, k, first;

	/* The header has every link column (refused without one). */
	memset(at, 0, sizeof at);
	for (c = 0; c < imp->ncols; c++)
		if (imp->col[c] != CTL_CSV_COL_EXAMPLE)
			at[-imp->col[c] - 2] = c;
	memset(&it, 0, sizeof it);
	if (ctl_import_link_end(imp, row, at[0], at[1], &it.e1, &it.id) != 0)
		bad = 1;
	if (ctl_import_link_end(imp, row, at[2], at[3], &it.e2, &it.id2) != 0)
		bad = 1;
	if (ctl_import_link_role(imp, row, at[4], &role) != 0)
		bad = 1;
	if (bad)
		goto reject;
	if (strcmp(it.e1, it.e2) == 0 && it.id == it.id2) {
		ctl_csv_problem(&imp->in, row->line, "to_id",
		    _("a record cannot be "
		    "linked to itself"));
		goto reject;
	}
	/* The same link either way round is one link. */
	first = strcmp(it.e1, it.e2) < 0 || (strcmp(it.e1, it.e2) == 0 &&
	    it.id < it.id2);
	for (k = 0; k < 2; k++) {
		buf_adds(&key, (k == 0) == first ? it.e1 : it.e2);
		buf_addc(&key, '\0');
		buf_add_u64(&key, (k == 0) == first ? it.id : it.id2);
	}
	buf_add(&key, role.s, role.len);
	sl = ctl_csv_set_put(&imp->links, key.s, key.len, row->line, &added);
	if (!added) {
		ctl_csv_problem(&imp->in, row->line, NULL, _("the same link as "
		    "line %u"), sl->line);
		goto reject;
	}
	ref.entity = it.e1;
	ref.id = it.id;
	memset(&lf, 0, sizeof lf);
	lf.entity = it.e2;
	lf.id = it.id2;
	lf.role = role.s;
	if (store_links(imp->st, ref, ctl_import_link_same, &lf, &e) !=
	    NCEN_OK) {
		ctl_csv_problem(&imp->in, row->line, NULL, "%s",
		    ncen_err_msg(&e));
		goto reject;
	}
	if (lf.found) {
		ctl_csv_problem(&imp->in, row->line, NULL,
		    _("%s %" PRIu64 " and %s "
		    "%" PRIu64 " are already linked as %s"), it.e1, it.id,
		    it.e2, it.id2, role.s);
		goto reject;
	}
	it.line = row->line;
	it.state = CTL_IMPORT_GOOD;
	it.off = imp->data.len;
	buf_add(&imp->data, role.s, role.len);
	buf_addc(&imp->data, '\0');
	it.len = role.len;
	imp->items = ctl_csv_grow(imp->items, imp->nitems, &imp->itemcap,
	    sizeof *imp->items);
	imp->items[imp->nitems++] = it;
	goto out;
reject:
	ctl_import_reject(imp, (const char *const *)row->f, row->len, row->n);
out:
	buf_free(&role);
	buf_free(&key);
	ncen_err_free(&e);
}

/* Check again the rows that referred to ids further down the file. */
static void
ctl_import_recheck(struct ctl_import_state *imp)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct record	*r;
	struct ctl_csv_slot *sl;
	unsigned char	 k[8];
	size_t		 i;
	int		 changed;

	imp->final = 1;
	do {
		changed = 0;
		for (i = 0; i < imp->nitems; i++) {
			struct ctl_import_item	*it = &imp->items[i];

			if (it->state != CTL_IMPORT_PENDING)
				continue;
			if (record_decode(imp->form, it->id, imp->data.s +
			    it->off, it->len, &r, &e) != NCEN_OK) {
				ctl_csv_problem(&imp->in, it->line, NULL, "%s",
				    ncen_err_msg(&e));
				r = NULL;
			} else {
				buf_reset(&imp->in.why);
				if (ctl_import_validate(imp, r, it->line) ==
				    0) {
					record_free(r);
					continue;
				}
			}
			record_free(r);
			it->state = CTL_IMPORT_REJECTED;
			memcpy(k, &it->id, sizeof k);
			if ((sl = ctl_csv_set_get(&imp->ids, k, sizeof k)) !=
			    NULL)
				sl->ok = 0;
			ctl_import_reject_raw(imp, it);
			changed = 1;
		}
	} while (changed);
	for (i = 0; i < imp->nitems; i++)
		if (imp->items[i].state == CTL_IMPORT_PENDING)
			imp->items[i].state = CTL_IMPORT_GOOD;
	ncen_err_free(&e);
}

/* Read and check the whole file; 0, or the exit status. */
static int
ctl_import_read(struct ctl_import_state *imp, FILE *f)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;
	size_t			 c, est;
	int			 rc, r = 0, headed = 0;

	rd = csv_open_file(f, imp->in.path);
	for (;;) {
		rc = csv_read(rd, &row, &e);
		if (rc == 0)
			break;
		if (rc < 0 && e.code != NCEN_EPARSE) {
			ctl_csv_progress_clear(&imp->in.prog);
			r = ctl_report("import", &e);
			goto out;
		}
		buf_reset(&imp->in.why);
		if (!headed) {
			headed = 1;
			if (rc < 0 || ctl_import_header(imp, row) != 0) {
				if (rc < 0)
					ctl_csv_problem(&imp->in,
					    row->badline, NULL,
					    _("column %u: %s"), row->badcol,
					    buf_cstr(&row->why));
				r = 1;
				goto out;
			}
			continue;
		}
		imp->nrows++;
		if ((imp->nrows & 255) == 0) {
			est = csv_offset(rd) == 0 || imp->fsize == 0 ? 0 :
			    (size_t)((double)imp->nrows * (double)imp->fsize /
			    (double)csv_offset(rd));
			if (est != 0)
				ctl_csv_progress(&imp->in.prog,
				    _("checked %zu of "
				    "~%zu rows"), imp->nrows, est);
			else
				ctl_csv_progress(&imp->in.prog, _("checked %zu "
				    "rows"), imp->nrows);
		}
		if (rc < 0) {
			/* A malformed record: name the column it is in. */
			if (row->badfield < imp->ncols)
				ctl_csv_problem(&imp->in, row->badline,
				    ctl_import_col_name(imp, row->badfield),
				    _("column %u: %s"), row->badcol,
				    buf_cstr(&row->why));
			else
				ctl_csv_problem(&imp->in, row->badline, NULL,
				    _("column %u: %s"), row->badcol,
				    buf_cstr(&row->why));
			ctl_import_reject(imp, (const char *const *)row->f,
			    row->len, row->n);
			continue;
		}
		for (c = 0; c < row->n; c++)
			if (!ctl_csv_blank(row->f[c], row->len[c]))
				break;
		if (c == row->n) {
			/* ",,,": spreadsheets write them. */
			imp->nskipped++;
			continue;
		}
		if (row->n != imp->ncols) {
			ctl_csv_problem(&imp->in, row->line, NULL,
			    _("expected %zu "
			    "fields (as many as the header has), found %zu"),
			    imp->ncols, row->n);
			ctl_import_reject(imp, (const char *const *)row->f,
			    row->len, row->n);
			continue;
		}
		if (ctl_import_not_data(imp, row))
			continue;
		if (imp->form != NULL)
			ctl_import_form_row(imp, row);
		else
			ctl_import_link_row(imp, row);
	}
	if (!headed) {
		ctl_csv_problem(&imp->in, 1, NULL, _("expected a header row of "
		    "field names, found an empty file"));
		r = 1;
		goto out;
	}
	if (imp->form != NULL && imp->has_id)
		ctl_import_recheck(imp);
out:
	csv_close(rd);
	ncen_err_free(&e);
	return r;
}

/* Note a signal: the import stops between batches and rolls back. */
static void
ctl_import_on_signal(int sig)
{
	(void)sig;
	ctl_import_signalled = 1;
}

/* Write one batch of rows, listing each in the journal first. */
static int
ctl_import_write_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ctl_import_state	*imp = arg;
	struct ctl_import_item	*it;
	struct record		*r, *made[2];
	struct store_ref	 a, b;
	size_t			 i;
	int			 rc;

	buf_reset(&imp->jbuf);
	for (i = imp->next; i < imp->end; i++) {
		it = &imp->items[i];
		if (it->state != CTL_IMPORT_GOOD)
			continue;
		if (imp->form == NULL) {
			a.entity = it->e1;
			a.id = it->id;
			b.entity = it->e2;
			b.id = it->id2;
			if ((rc = store_link_add(t, a, b, imp->data.s + it->off,
			    e)) != NCEN_OK)
				goto fail;
			buf_addf(&imp->jbuf, "link %s %" PRIu64 " %s %" PRIu64
			    " %s\n", it->e1, it->id, it->e2, it->id2,
			    imp->data.s + it->off);
			continue;
		}
		if ((rc = record_decode(imp->form, it->id, imp->data.s +
		    it->off, it->len, &r, e)) != NCEN_OK)
			goto fail;
		if (statcase_is(imp->form)) {
			/* A case and its seizure line, in this transaction. */
			rc = statcase_store(t, imp->s, r, imp->user, made, e);
			record_free(r);
			if (rc != NCEN_OK)
				goto fail;
			ctl_journal_note(&imp->jbuf, made[0]);
			ctl_journal_note(&imp->jbuf, made[1]);
			record_free(made[0]);
			record_free(made[1]);
			continue;
		}
		if (imp->cases != NULL) {
			/* Its number and steps, in this transaction. */
			rc = ctl_import_case_write(imp->cases, t, r, it->steps,
			    &imp->jbuf, e);
			record_free(r);
			if (rc != NCEN_OK)
				goto fail;
			continue;
		}
		if ((rc = store_put(t, r, imp->user, e)) != NCEN_OK) {
			record_free(r);
			goto fail;
		}
		ctl_journal_note(&imp->jbuf, r);
		record_free(r);
	}
	/*
	 * The last batch carries the import's audit entry: once it
	 * commits the import is done, and nothing after it can fail
	 * in a way that would report a committed import as failed.
	 */
	if (imp->end == imp->nitems && (rc = audit_append(t, ctl_login(),
	    "import.csv", imp->form != NULL ? imp->form->name : CTL_CSV_LINKS,
	    buf_cstr(&imp->audit), e)) != NCEN_OK)
		return rc;
	/* On disk before the commit: a crash leaves nothing unlisted. */
	if (ctl_journal_sync(imp->jfd, &imp->jbuf) != 0)
		return ncen_err_set(e, NCEN_EIO,
		    _("%s: writing the journal: %s"),
		    imp->jpath, strerror(errno));
	return NCEN_OK;
fail:
	ncen_err_prefix(e, "%s:%u: ", imp->in.path, it->line);
	return rc;
}

/* What the import's audit entry says: rows written, rejected, kept. */
static void
ctl_import_audit_details(struct ctl_import_state *imp, size_t written)
{
	buf_reset(&imp->audit);
	buf_addf(&imp->audit, "%zu row%s from %s, %zu rejected", written,
	    written == 1 ? "" : "s", imp->in.path, imp->nrejected);
	if (imp->nkept != 0)
		buf_addf(&imp->audit, ", %zu wrong check digit%s kept: %s",
		    imp->nkept, imp->nkept == 1 ? "" : "s", imp->override);
}

/* Write the rows that passed, in batches; 0 or the exit status. */
static int
ctl_import_write(struct ctl_import_state *imp)
{
	struct sigaction	 sa, old[3];
	struct ncen_err		 e = NCEN_ERR_INIT;
	static const int	 sigs[3] = { SIGHUP, SIGINT, SIGTERM };
	size_t			 i, good = 0;
	int			 r = 0, k;

	for (i = 0; i < imp->nitems; i++)
		if (imp->items[i].state == CTL_IMPORT_GOOD)
			good++;
	if (good == 0)
		return 0;
	/*
	 * Room for the records, their indices and their log records
	 * (about twelve times the rows) beside the reserve, before the
	 * first batch: an import that would fill the disk is refused
	 * whole rather than rolled back half way.
	 */
	if (store_space_check(imp->st, (uint64_t)imp->data.len *
	    CTL_IMPORT_SPACE, &e) != NCEN_OK) {
		r = ctl_report("import", &e);
		ncen_err_free(&e);
		return r;
	}
	ctl_import_audit_details(imp, good);
	if ((r = ctl_journal_create(imp->in.ctx, imp->in.path,
	    &imp->jfd, &imp->jpath)) != 0)
		return r;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ctl_import_on_signal;
	sigemptyset(&sa.sa_mask);
	ctl_import_signalled = 0;
	for (k = 0; k < 3; k++)
		sigaction(sigs[k], &sa, &old[k]);

	for (imp->next = 0; imp->next < imp->nitems; imp->next = imp->end) {
		if (ctl_import_signalled) {
			ctl_csv_progress_clear(&imp->in.prog);
			ctl_warn(_("import: %s: interrupted"), imp->in.path);
			r = 2;
			break;
		}
		imp->end = imp->next + CTL_IMPORT_BATCH < imp->nitems ?
		    imp->next + CTL_IMPORT_BATCH : imp->nitems;
		if (store_run(imp->st, ctl_import_write_txn, imp, &e) !=
		    NCEN_OK) {
			ctl_csv_progress_clear(&imp->in.prog);
			r = ctl_report("import", &e);
			break;
		}
		for (i = imp->next; i < imp->end; i++)
			if (imp->items[i].state == CTL_IMPORT_GOOD)
				imp->written++;
		if (imp->end == imp->nitems)
			imp->audited = 1;
		ctl_csv_progress(&imp->in.prog, _("imported %zu of %zu rows"),
		    imp->written, good);
	}
	/*
	 * Every batch committed (and is on disk): the import stands.  The
	 * commits are flushed one by one rather than by one checkpoint at
	 * the end, which on a slow disk could outlast the watchdog after
	 * the last commit and have the next import roll back a whole
	 * import that had succeeded.
	 */
	if (r == 0)
		ctl_journal_remove(imp->in.ctx->home, &imp->jpath, &imp->jfd);
	else if (ctl_journal_undo_import(imp->in.ctx, imp->st,
	    imp->in.path, &imp->jfd, &imp->jpath) == 0)
		imp->written = 0;
	ctl_csv_progress_clear(&imp->in.prog);
	for (k = 0; k < 3; k++)
		sigaction(sigs[k], &old[k], NULL);
	ncen_err_free(&e);
	return r;
}

/* Open the rejects file of --partial; 0 or the exit status. */
static int
ctl_import_rejects_open(struct ctl_import_state *imp)
{
	if ((imp->rej = fopen(imp->rejpath, "w")) == NULL) {
		ctl_warn(_("import: %s: %s"), imp->rejpath, strerror(errno));
		return 2;
	}
	return 0;
}

/* Finish the rejects file; 0 or the exit status. */
static int
ctl_import_rejects_close(struct ctl_import_state *imp, int keep)
{
	int	bad;

	if (imp->rej == NULL)
		return 0;
	bad = ferror(imp->rej);
	if (fclose(imp->rej) == EOF)
		bad = 1;
	imp->rej = NULL;
	if (!keep || bad)
		unlink(imp->rejpath);
	if (keep && bad) {
		ctl_warn(_("import: %s: cannot write the rejected rows"),
		    imp->rejpath);
		return 2;
	}
	return 0;
}

/* Release what an import holds. */
static void
ctl_import_free(struct ctl_import_state *imp)
{
	free(imp->col);
	free(imp->items);
	buf_free(&imp->header);
	buf_free(&imp->data);
	buf_free(&imp->raw);
	buf_free(&imp->in.why);
	buf_free(&imp->jbuf);
	buf_free(&imp->audit);
	ctl_csv_set_free(&imp->ids);
	ctl_csv_set_free(&imp->links);
	ctl_import_case_free(imp->cases);
	if (imp->jfd != -1)
		close(imp->jfd);
	free(imp->jpath);
}

/*
 * Start an import of cases: the workflow's steps are taken as the
 * account of --as (*ap), else as the login's account if it has one and
 * it is usable (then kept in *ap), else refused with the reason why.
 */
static struct ctl_import_case *
ctl_import_case_start(struct store *st, const struct schema_form *f,
    struct auth_account **ap)
{
	struct ctl_import_case	*ic;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 why = BUF_INIT;

	if (*ap == NULL) {
		if (auth_account_get(st, ctl_login(), ap, &e) != NCEN_OK ||
		    auth_account_usable(*ap, auth_now(), &e) != NCEN_OK) {
			auth_account_free(*ap);
			*ap = NULL;
			if (e.code == NCEN_ENOTFOUND)
				buf_addf(&why, _("'%s' has no account"),
				    ctl_login());
			else
				buf_adds(&why, ncen_err_msg(&e));
		}
	}
	ic = ctl_import_case_new(st, f, *ap, buf_cstr(&why), ctl_login());
	buf_free(&why);
	ncen_err_free(&e);
	return ic;
}

/* What the command line of an import asks for, beside imp's options. */
struct ctl_import_args {
	const char	*as;		/* --as ACCOUNT */
	const char	*entity, *file;
	int		 rollback;	/* --rollback */
};

/* Read --duplicates' word into imp; nonzero: the exit status. */
static int
ctl_import_dups_opt(struct ctl_ctx *ctx, const char *word,
    struct ctl_import_state *imp)
{
	size_t	i;

	for (i = 0; i < sizeof ctl_import_dups_names /
	    sizeof ctl_import_dups_names[0]; i++)
		if (strcmp(word, ctl_import_dups_names[i]) == 0) {
			imp->dups = (enum ctl_import_dups)i;
			return 0;
		}
	return ctl_usage(ctx->cmd, _("--duplicates: expected report, refuse "
	    "or none, found '%s'"), word);
}

/* Read the options and arguments; nonzero: the exit status. */
static int
ctl_import_args(struct ctl_ctx *ctx, int argc, char **argv,
    struct ctl_import_args *a, struct ctl_import_state *imp)
{
	static const struct option longopts[] = {
		{ "partial", required_argument, NULL, 'p' },
		{ "rollback", no_argument, NULL, 'R' },
		{ "as", required_argument, NULL, 'a' },
		{ "override-check", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ "duplicates", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	int	c, r;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			imp->rejpath = optarg;
			break;
		case 'R':
			a->rollback = 1;
			break;
		case 'a':
			a->as = optarg;
			break;
		case 'o':
			imp->override = optarg;
			break;
		case 'r':
			imp->verbatim = 1;
			break;
		case 'D':
			if ((r = ctl_import_dups_opt(ctx, optarg, imp)) != 0)
				return r;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (imp->override != NULL && ctl_csv_blank(imp->override,
	    strlen(imp->override)))
		return ctl_usage(ctx->cmd,
		    _("--override-check needs a reason"));
	if (a->rollback)
		return optind != argc || imp->rejpath != NULL ?
		    ctl_usage(ctx->cmd, _("--rollback takes nothing else")) : 0;
	if (argc - optind < 2)
		return ctl_usage(ctx->cmd, _("expected an entity and a file"));
	if (argc - optind > 2)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 2]);
	a->entity = argv[optind];
	a->file = argv[optind + 1];
	return 0;
}

/* import --rollback: undo the imports a crash interrupted. */
static int
ctl_import_rollback(struct ctl_ctx *ctx, const char *as)
{
	struct schema	*s = NULL;
	struct store	*st = NULL;
	size_t		 done = 0;
	int		 r, lockfd = -1;

	/* Not while a backup copies: it would hold half of it. */
	if ((r = ctl_need_home(ctx)) != 0 ||
	    (r = ctl_journal_lock_import(ctx, &lockfd)) != 0)
		return r;
	if ((r = ctl_open(ctx, &s, &st)) == 0 &&
	    (as == NULL || (r = ctl_as(ctx, st, as, AUTH_IMPORT, NULL,
	    NULL)) == 0) &&
	    (r = ctl_journal_rollback_all(ctx, st, &done)) == 0 && done == 0)
		printf("%s\n", _("no interrupted import to roll back"));
	r = ctl_close(ctx, s, st, r);
	if (lockfd != -1)
		close(lockfd);
	return r;
}

/*
 * Open the file to import (- for standard input), and refuse a rejects
 * file that is that file; nonzero: the exit status.
 */
static int
ctl_import_input(struct ctl_ctx *ctx, const char *file,
    struct ctl_import_state *imp, FILE **fp)
{
	struct stat	sb, rb;

	memset(&sb, 0, sizeof sb);
	if (strcmp(file, "-") == 0) {
		*fp = stdin;
		imp->in.path = "stdin";
	} else if ((*fp = fopen(file, "r")) == NULL) {
		ctl_warn(_("import: %s: %s"), file, strerror(errno));
		return 2;
	} else
		imp->in.path = file;
	if (fstat(fileno(*fp), &sb) == 0 && S_ISREG(sb.st_mode))
		imp->fsize = (size_t)sb.st_size;
	if (imp->rejpath != NULL && stat(imp->rejpath, &rb) == 0 &&
	    rb.st_dev == sb.st_dev && rb.st_ino == sb.st_ino)
		return ctl_usage(ctx->cmd, _("--partial %s: that is the file "
		    "to import"), imp->rejpath);
	ctl_csv_progress_init(&imp->in.prog);
	return 0;
}

/*
 * Open the store, roll back interrupted imports under the lock, and
 * find the form; nonzero: the exit status.
 */
static int
ctl_import_start(struct ctl_ctx *ctx, const struct ctl_import_args *a,
    struct ctl_import_state *imp, struct auth_account **acct, int *lockfd,
    struct schema **sp, struct store **stp)
{
	size_t	done = 0;
	int	r;

	/*
	 * A backup copies all of an import or none: held while earlier
	 * imports are rolled back and from the first row written to the end.
	 */
	if ((r = ctl_journal_lock_import(ctx, lockfd)) != 0 ||
	    (r = ctl_open(ctx, sp, stp)) != 0)
		return r;
	if (a->as != NULL && (r = ctl_as(ctx, *stp, a->as, AUTH_IMPORT, NULL,
	    acct)) != 0)
		return r;
	imp->in.ctx = ctx;
	imp->s = *sp;
	imp->st = *stp;
	imp->user = ctl_login();
	if ((r = ctl_journal_rollback_all(ctx, *stp, &done)) != 0)
		return r;
	/*
	 * Reading the rows may take long (a pipe): a backup need not wait
	 * for it.  The lock is taken again before the first row is written.
	 */
	close(*lockfd);
	*lockfd = -1;
	if (strcmp(a->entity, CTL_CSV_LINKS) != 0 &&
	    (imp->form = schema_form_find(*sp, a->entity)) == NULL)
		return ctl_usage(ctx->cmd, _("no form '%s' in %s/forms (nor "
		    "is it 'links')"), a->entity, ctx->home);
	if (ctl_import_case_is(imp->form))
		imp->cases = ctl_import_case_start(*stp, imp->form, acct);
	if (imp->rejpath != NULL)
		return ctl_import_rejects_open(imp);
	return 0;
}

/*
 * Read every row, then write them all under the lock (nothing written
 * when a row is refused without --partial); nonzero: the exit status.
 */
static int
ctl_import_run(struct ctl_ctx *ctx, struct ctl_import_state *imp, FILE *f,
    int *lockfd)
{
	int	r;

	r = ctl_import_read(imp, f);
	if (imp->in.nproblems > CTL_CSV_MAXSHOWN)
		ctl_warn(_("import: %s: ... and %zu more"), imp->in.path,
		    imp->in.nproblems - CTL_CSV_MAXSHOWN);
	if (r == 0 && imp->nrejected != 0 && imp->rej == NULL) {
		ctl_import_rejects_close(imp, 0);
		ctl_warn(ngettext_("import: %s: %zu of %zu row refused: "
		    "nothing imported", "import: %s: %zu of %zu rows refused: "
		    "nothing imported", imp->nrows), imp->in.path,
		    imp->nrejected, imp->nrows);
		return 1;
	}
	if (r != 0 || (r = ctl_journal_lock_import(ctx, lockfd)) != 0 ||
	    (r = ctl_import_write(imp)) != 0) {
		ctl_import_rejects_close(imp, 0);
		ctl_warn(_("import: %s: nothing imported"), imp->in.path);
		return r;
	}
	return ctl_import_rejects_close(imp, 1);
}

/* Say what was imported; 1 when rows were rejected, else 0. */
static int
ctl_import_report(const struct ctl_import_state *imp)
{
	if (imp->form != NULL)
		printf(ngettext_("imported %zu %s record from %s",
		    "imported %zu %s records from %s", imp->written),
		    imp->written, imp->form->name, imp->in.path);
	else
		printf(ngettext_("imported %zu link from %s",
		    "imported %zu links from %s", imp->written), imp->written,
		    imp->in.path);
	if (imp->nskipped != 0)
		printf(ngettext_(" (%zu empty row skipped)",
		    " (%zu empty rows skipped)", imp->nskipped), imp->nskipped);
	printf("\n");
	if (imp->ndups != 0)
		printf(ngettext_("%zu of them probably already recorded (see "
		    "above; --duplicates refuse refuses such rows)\n",
		    "%zu of them probably already recorded (see above; "
		    "--duplicates refuse refuses such rows)\n", imp->ndups),
		    imp->ndups);
	if (imp->nkept != 0)
		printf("%zu wrong check digit%s kept with the reason: %s\n",
		    imp->nkept, imp->nkept == 1 ? "" : "s", imp->override);
	if (imp->nrejected == 0)
		return 0;
	printf(ngettext_("%zu row rejected, written with the reasons to %s\n",
	    "%zu rows rejected, written with the reasons to %s\n",
	    imp->nrejected), imp->nrejected, imp->rejpath);
	return 1;
}

/*
 * import [--partial REJECTS] [--override-check REASON] ENTITY FILE, or
 * import --rollback.
 */
int
ctl_import(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ctl_import_args	 a;
	struct ctl_import_state	 imp;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	FILE			*f = NULL;
	int			 r, lockfd = -1;

	memset(&a, 0, sizeof a);
	memset(&imp, 0, sizeof imp);
	imp.jfd = -1;
	if ((r = ctl_import_args(ctx, argc, argv, &a, &imp)) != 0)
		return r;
	if (a.rollback)
		return ctl_import_rollback(ctx, a.as);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if ((r = ctl_import_input(ctx, a.file, &imp, &f)) != 0 ||
	    (r = ctl_import_start(ctx, &a, &imp, &acct, &lockfd, &s,
	    &st)) != 0 ||
	    (r = ctl_import_run(ctx, &imp, f, &lockfd)) != 0)
		goto out;
	/* Nothing written: the audit entry has a transaction of its own. */
	if (!imp.audited) {
		ctl_import_audit_details(&imp, 0);
		if ((r = ctl_csv_audit(ctx, st, "import.csv", a.entity,
		    buf_cstr(&imp.audit), 0)) != 0)
			goto out;
	}
	r = ctl_import_report(&imp);
out:
	if (imp.rej != NULL)
		ctl_import_rejects_close(&imp, 0);
	if (f != NULL && f != stdin)
		fclose(f);
	ctl_import_free(&imp);
	auth_account_free(acct);
	r = ctl_close(ctx, s, st, r);
	if (lockfd != -1)
		close(lockfd);	/* after the last commit and its audit */
	return r;
}
