/*
 * ctl-csv.c - ncenctl import, export, template and offices: records as CSV.
 *
 * A CSV file holds the records of one form: a header row of field names
 * (and optionally `id`), then one row per record.  The values of a
 * repeated field share one column, separated by ';' (a ';' or '\' inside
 * a value is written '\;' or '\\').  The pseudo-entity `links` holds the
 * links between records: from_entity,from_id,to_entity,to_id,role.
 *
 * Import is all or nothing.  The whole file is read and checked first
 * (every row against the form and the database), and nothing is written
 * if a row is wrong.  Then the rows are written in transactions of
 * CTL_CSV_BATCH records: one transaction for a whole file does not fit
 * the store's lock table past some 50000 records, and would stall every
 * officer's save for as long as it ran.  What makes the batches all or
 * nothing is a journal, DIR/import-PID-TIME.journal, that lists what
 * each batch wrote (with a hash of each record as written) and is
 * flushed to disk before that batch commits: a batch that fails, or a
 * signal, rolls back what the earlier ones wrote; a process that dies
 * leaves its journal, which the next import finds unlocked and rolls
 * back (or `ncenctl import --rollback`).  A record someone changed
 * since it was imported is left alone.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "csv.h"
#include "ctl.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define CTL_CSV_BATCH		1000	/* rows written per transaction */
#define CTL_CSV_UNDO_BATCH	500	/* rows rolled back per transaction */
#define CTL_CSV_MAXSHOWN	100	/* problems printed before counting */
#define CTL_CSV_SEP		';'	/* between values of a repeated field */
#define CTL_CSV_LINKS		"links"	/* the pseudo-entity of the links */
#define CTL_CSV_ROLE_MAX	64	/* bytes in a role (the store's) */
#define CTL_CSV_JMAGIC		"ncen-import-journal 1"
#define CTL_CSV_JPREFIX		"import-"
#define CTL_CSV_JSUFFIX		".journal"

/* What a column of an import holds. */
enum {
	CTL_CSV_COL_ID = -1,
	CTL_CSV_COL_FROM_ENTITY = -2,
	CTL_CSV_COL_FROM_ID = -3,
	CTL_CSV_COL_TO_ENTITY = -4,
	CTL_CSV_COL_TO_ID = -5,
	CTL_CSV_COL_ROLE = -6,
};

/* The columns of a links file, in the order export writes them. */
static const struct {
	const char	*name;
	int		 col;
} ctl_csv_link_cols[] = {
	{ "from_entity",	CTL_CSV_COL_FROM_ENTITY },
	{ "from_id",		CTL_CSV_COL_FROM_ID },
	{ "to_entity",		CTL_CSV_COL_TO_ENTITY },
	{ "to_id",		CTL_CSV_COL_TO_ID },
	{ "role",		CTL_CSV_COL_ROLE },
};
#define CTL_CSV_NLINKCOLS \
	(sizeof ctl_csv_link_cols / sizeof ctl_csv_link_cols[0])

/* Set by a signal during the writes of an import. */
static volatile sig_atomic_t	ctl_csv_signalled;

/* One slot of a set of byte strings (open addressing). */
struct ctl_csv_slot {
	size_t		 off, len;	/* the key in the set's keys */
	unsigned	 line;		/* where it was seen first */
	int		 used;
	int		 ok;		/* its row was accepted */
};

/* A set of byte strings with a line each: ids and links seen in a file. */
struct ctl_csv_set {
	struct buf		 keys;
	struct ctl_csv_slot	*slots;
	size_t			 cap, n;
};

/* The state of the progress line. */
struct ctl_csv_progress {
	int		 on;		/* standard error is a terminal */
	struct timespec	 start, last;
	size_t		 width;		/* of what is on the line */
};

/* A row that passed (or waits for the whole file to be read). */
struct ctl_csv_item {
	unsigned	 line;
	int		 state;		/* CTL_CSV_GOOD, _PENDING, _REJECTED */
	uint64_t	 id;		/* given id (0: new) or link from_id */
	uint64_t	 id2;		/* link to_id */
	const char	*e1, *e2;	/* link entities (schema names) */
	size_t		 off, len;	/* encoded record or role in data */
	size_t		 raw, rawlen;	/* pending rows: the row as CSV */
};

enum {
	CTL_CSV_GOOD,
	CTL_CSV_PENDING,
	CTL_CSV_REJECTED,
};

/* Everything an import keeps between reading, checking and writing. */
struct ctl_csv_import {
	struct ctl_ctx			*ctx;
	const struct schema		*s;
	struct store			*st;
	const struct schema_form	*form;		/* NULL: links */
	const char			*path;		/* for messages */
	const char			*user;
	const char			*override;	/* --override-check */
	int				 verbatim;	/* --raw: keep quotes */
	size_t				 nkept;		/* digits it kept */

	size_t				 ncols;
	int				*col;
	struct buf			 header;	/* of the rejects */
	int				 has_id;

	struct ctl_csv_item		*items;
	size_t				 nitems, itemcap;
	struct buf			 data, raw;
	struct ctl_csv_set		 ids, links;
	size_t				 nrows, nrejected, nskipped;

	size_t				 nproblems;
	struct buf			 why;		/* a row's problems */
	unsigned			 whyline;
	int				 deferred;	/* refs to rows ahead */
	int				 final;		/* all rows are read */

	const char			*rejpath;
	FILE				*rej;

	struct ctl_csv_progress		 prog;
	size_t				 fsize;		/* of the input, or 0 */

	/* Writing. */
	int				 jfd;
	char				*jpath;
	size_t				 next, end;	/* the batch */
	size_t				 written;
	struct buf			 jbuf;
};

/* Room for element n of a growing array: its capacity doubles. */
static void *
ctl_csv_grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap == 0 ? 64 : *cap * 2;
	return xreallocarray(p, *cap, size);
}

/* FNV-1a: a 64-bit hash of bytes, for the sets and the journal. */
static uint64_t
ctl_csv_hash(const void *p, size_t len)
{
	const unsigned char	*s = p;
	uint64_t		 h = 0xcbf29ce484222325ULL;
	size_t			 i;

	for (i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Find a key's slot, or the empty slot where it would go. */
static struct ctl_csv_slot *
ctl_csv_set_slot(struct ctl_csv_set *set, const void *key, size_t len)
{
	struct ctl_csv_slot	*sl;
	size_t			 i;

	i = (size_t)ctl_csv_hash(key, len) & (set->cap - 1);
	for (;; i = (i + 1) & (set->cap - 1)) {
		sl = &set->slots[i];
		if (!sl->used)
			return sl;
		if (sl->len == len && memcmp(set->keys.s + sl->off, key, len) ==
		    0)
			return sl;
	}
}

/* The slot of a key, or NULL when it is not in the set. */
static struct ctl_csv_slot *
ctl_csv_set_get(struct ctl_csv_set *set, const void *key, size_t len)
{
	struct ctl_csv_slot	*sl;

	if (set->cap == 0)
		return NULL;
	sl = ctl_csv_set_slot(set, key, len);
	return sl->used ? sl : NULL;
}

/* Add a key seen at a line; returns its slot, *added says if it is new. */
static struct ctl_csv_slot *
ctl_csv_set_put(struct ctl_csv_set *set, const void *key, size_t len,
    unsigned line, int *added)
{
	struct ctl_csv_slot	*old, *sl;
	size_t			 oldcap, i;

	if (set->n * 2 >= set->cap) {
		old = set->slots;
		oldcap = set->cap;
		set->cap = oldcap == 0 ? 1024 : oldcap * 2;
		set->slots = xcalloc(set->cap, sizeof *set->slots);
		for (i = 0; i < oldcap; i++) {
			if (!old[i].used)
				continue;
			sl = ctl_csv_set_slot(set, set->keys.s + old[i].off,
			    old[i].len);
			*sl = old[i];
		}
		free(old);
	}
	sl = ctl_csv_set_slot(set, key, len);
	*added = !sl->used;
	if (!sl->used) {
		sl->used = 1;
		sl->off = set->keys.len;
		sl->len = len;
		sl->line = line;
		sl->ok = 1;
		buf_add(&set->keys, key, len);
		set->n++;
	}
	return sl;
}

/* Release a set. */
static void
ctl_csv_set_free(struct ctl_csv_set *set)
{
	buf_free(&set->keys);
	free(set->slots);
	memset(set, 0, sizeof *set);
}

/* Seconds from a to b. */
static double
ctl_csv_elapsed(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* Start the progress clock; the line is shown only on a terminal. */
static void
ctl_csv_progress_init(struct ctl_csv_progress *p)
{
	memset(p, 0, sizeof *p);
	p->on = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

/*
 * Rewrite the progress line in place, once the work has taken a second
 * and at most four times a second: a slow serial console pays for every
 * byte.
 */
static void
ctl_csv_progress(struct ctl_csv_progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ctl_csv_progress(struct ctl_csv_progress *p, const char *fmt, ...)
{
	struct timespec	 now;
	struct buf	 b = BUF_INIT;
	va_list		 ap;
	size_t		 w;

	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (ctl_csv_elapsed(&p->start, &now) < 1.0 ||
	    (p->width != 0 && ctl_csv_elapsed(&p->last, &now) < 0.25))
		return;
	p->last = now;
	buf_adds(&b, "\rncenctl: ");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	w = b.len - 1;
	while (b.len - 1 < p->width)
		buf_addc(&b, ' ');
	p->width = w;
	fputs(b.s, stderr);
	fflush(stderr);
	buf_free(&b);
}

/* Blank the progress line, if one is shown, before other messages. */
static void
ctl_csv_progress_clear(struct ctl_csv_progress *p)
{
	size_t	i;

	if (p->width == 0)
		return;
	fputc('\r', stderr);
	for (i = 0; i < p->width; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	p->width = 0;
}

/*
 * Append one entry of what a command did as a whole to the audit log
 * (the records it changed have their own); a failure is reported, and
 * the command's status becomes 2 if it was 0.
 */
static int
ctl_csv_audit(struct ctl_ctx *ctx, struct store *st, const char *action,
    const char *what, const char *details, int status)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		r;

	if (audit_log(st, ctl_login(), action, what, details, &e) !=
	    NCEN_OK) {
		r = ctl_report(ctx->cmd->name, &e);
		if (status == 0)
			status = r == 0 ? 2 : r;
	}
	ncen_err_free(&e);
	return status;
}

/* Whether a value is empty or only spaces and tabs. */
static int
ctl_csv_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Parse a record id: a whole number from 1, spaces around allowed. */
static int
ctl_csv_parse_id(const char *s, uint64_t *id)
{
	uint64_t	v = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0' || v == 0)
		return -1;
	*id = v;
	return 0;
}

/* Append a value of a repeated field with ';' and '\' escaped. */
static void
ctl_csv_join_value(struct buf *b, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == CTL_CSV_SEP || *v == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *v);
	}
}

/*
 * Split a repeated field's column into values at each unescaped ';'
 * ("\;" is a ';', "\\" a '\', any other '\' stays as it is); each value
 * is NUL-terminated in out, one after the other, and counted in *n.
 */
static void
ctl_csv_split(const char *s, size_t len, struct buf *out, size_t *n)
{
	size_t	i;

	buf_reset(out);
	*n = 1;
	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len &&
		    (s[i + 1] == CTL_CSV_SEP || s[i + 1] == '\\')) {
			buf_addc(out, s[++i]);
			continue;
		}
		if (s[i] == CTL_CSV_SEP) {
			buf_addc(out, '\0');
			(*n)++;
			continue;
		}
		buf_addc(out, s[i]);
	}
	buf_addc(out, '\0');
}

/* Copy a field with each CR LF turned into LF (spreadsheets write them). */
static void
ctl_csv_unix(struct buf *b, const char *s, size_t len)
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

/* Note a problem of a row (field may be NULL); print the first ones. */
static void
ctl_csv_problem(struct ctl_csv_import *imp, unsigned line, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
ctl_csv_problem(struct ctl_csv_import *imp, unsigned line, const char *field,
    const char *fmt, ...)
{
	struct buf	msg = BUF_INIT;
	va_list		ap;

	if (field != NULL)
		buf_addf(&msg, "%s: ", field);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (imp->nproblems < CTL_CSV_MAXSHOWN) {
		ctl_csv_progress_clear(&imp->prog);
		ctl_warn("%s: %s:%u: %s", imp->ctx->cmd->name, imp->path,
		    line, msg.s);
	}
	imp->nproblems++;
	if (imp->why.len == 0 || imp->whyline != line) {
		if (imp->why.len != 0)
			buf_adds(&imp->why, "; ");
		buf_addf(&imp->why, "line %u: ", line);
		imp->whyline = line;
	} else
		buf_adds(&imp->why, "; ");
	buf_add(&imp->why, msg.s, msg.len);
	buf_free(&msg);
}

/* Write a rejected row and its reasons to the rejects file, if any. */
static void
ctl_csv_reject(struct ctl_csv_import *imp, const char *const *f,
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
	all[n] = buf_cstr(&imp->why);
	lens[n] = imp->why.len;
	csv_write_row(&b, all, lens, n + 1);
	/* A failed write shows in ferror() when the file is closed. */
	(void)fwrite(b.s, 1, b.len, imp->rej);
	buf_free(&b);
	free(all);
	free(lens);
}

/* Write a pending row (kept as CSV) that the last check rejected. */
static void
ctl_csv_reject_raw(struct ctl_csv_import *imp, const struct ctl_csv_item *it)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;

	rd = csv_open_mem(imp->raw.s + it->raw, it->rawlen, imp->path);
	if (csv_read(rd, &row, &e) != 0 && row != NULL)
		ctl_csv_reject(imp, (const char *const *)row->f, row->len,
		    row->n);
	else
		imp->nrejected++;
	csv_close(rd);
	ncen_err_free(&e);
}

/* Match the header row to the form's fields (or the link columns). */
static int
ctl_csv_header(struct ctl_csv_import *imp, const struct csv_row *row)
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
		if (imp->form == NULL) {
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
			ctl_csv_problem(imp, row->line, NULL, "column %zu: "
			    "expected a field name, found an empty one",
			    i + 1);
			bad = 1;
			continue;
		}
		ctl_csv_set_put(&seen, name, row->len[i], row->line, &added);
		if (!added) {
			ctl_csv_problem(imp, row->line, name, "the column "
			    "appears twice");
			bad = 1;
		} else if (c == INT32_MIN && imp->form == NULL) {
			ctl_csv_problem(imp, row->line, name, "expected a "
			    "column of a links file (from_entity, from_id, "
			    "to_entity, to_id, role), found another");
			bad = 1;
		} else if (c == INT32_MIN) {
			ctl_csv_problem(imp, row->line, name, "form %s has "
			    "no such field%s", imp->form->name,
			    strcmp(name, "reason") == 0 ? " (delete the "
			    "reason column of a rejects file before importing "
			    "it again)" : "");
			bad = 1;
		}
	}
	if (imp->form == NULL) {
		for (k = 0; k < CTL_CSV_NLINKCOLS; k++) {
			name = ctl_csv_link_cols[k].name;
			if (ctl_csv_set_get(&seen, name, strlen(name)) != NULL)
				continue;
			ctl_csv_problem(imp, row->line, name, "expected this "
			    "column in a links file, found none");
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

/* Whether a referenced record exists, in the store or the file. */
static int
ctl_csv_ref(const char *entity, uint64_t id, void *arg)
{
	struct ctl_csv_import	*imp = arg;
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

/* Check a record with schema_validate and note each problem it finds. */
static int
ctl_csv_validate(struct ctl_csv_import *imp, const struct record *r,
    unsigned line)
{
	struct buf	 problems = BUF_INIT;
	const char	*p, *nl;
	int		 rc;

	imp->deferred = 0;
	rc = schema_validate(imp->s, r, SCHEMA_DRAFT, ctl_csv_ref, imp,
	    &problems);
	if (rc == NCEN_OK) {
		buf_free(&problems);
		return 0;
	}
	if (problems.len == 0)
		ctl_csv_problem(imp, line, NULL, "%s",
		    rc == NCEN_EINVALID ? "invalid record" :
		    "the database could not be read to check a reference");
	for (p = buf_cstr(&problems); *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			ctl_csv_problem(imp, line, NULL, "%.*s",
			    (int)(nl - p), p);
		if (*nl == '\n')
			nl++;
	}
	buf_free(&problems);
	return -1;
}

/* Read one column of a form's row into the record; -1 on a problem. */
static int
ctl_csv_form_value(struct ctl_csv_import *imp, const struct csv_row *row,
    size_t c, struct record *r, struct buf *tmp, struct buf *vals)
{
	const struct schema_field	*fd;
	struct buf			 canon = BUF_INIT, reason = BUF_INIT;
	const char			*v;
	size_t				 n, i, skip;
	int				 bad = 0;

	fd = &imp->form->fields[imp->col[c]];
	skip = imp->verbatim ? 0 : csv_unguard(row->f[c], row->len[c]);
	ctl_csv_unix(tmp, row->f[c] + skip, row->len[c] - skip);
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
				ctl_csv_problem(imp, row->line, fd->name,
				    "value %zu: %s", i + 1, buf_cstr(&reason));
			else
				ctl_csv_problem(imp, row->line, fd->name,
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
ctl_csv_digits(struct ctl_csv_import *imp, const struct csv_row *row,
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
			ctl_csv_problem(imp, row->line, fd->name, "column %zu: "
			    "%s (--override-check REASON keeps it)", c + 1,
			    w.s);
			bad = 1;
		}
	}
	buf_free(&w);
	return bad ? -1 : 0;
}

/* Check one row of a form's file and keep it, or note its problems. */
static void
ctl_csv_form_row(struct ctl_csv_import *imp, const struct csv_row *row)
{
	struct ctl_csv_item	 it;
	struct ctl_csv_slot	*sl = NULL;
	struct record		*r;
	struct buf		 tmp = BUF_INIT, vals = BUF_INIT;
	unsigned char		 k[8];
	uint64_t		 id = 0;
	size_t			 c;
	int			 bad = 0, added, x;

	r = record_new(imp->form);
	for (c = 0; c < imp->ncols; c++) {
		if (imp->col[c] != CTL_CSV_COL_ID) {
			if (ctl_csv_form_value(imp, row, c, r, &tmp, &vals) !=
			    0)
				bad = 1;
			continue;
		}
		if (ctl_csv_blank(row->f[c], row->len[c]))
			continue;
		if (ctl_csv_parse_id(row->f[c], &id) != 0) {
			ctl_csv_problem(imp, row->line, "id", "expected a "
			    "record id (a whole number from 1), found '%s'",
			    row->f[c]);
			bad = 1;
			continue;
		}
		memcpy(k, &id, sizeof k);
		sl = ctl_csv_set_put(&imp->ids, k, sizeof k, row->line, &added);
		if (!added) {
			ctl_csv_problem(imp, row->line, "id", "%" PRIu64
			    " appears twice (first at line %u)", id, sl->line);
			sl = NULL;
			bad = 1;
		} else if ((x = ctl_exists(imp->st, imp->form->name,
		    id)) != 0) {
			ctl_csv_problem(imp, row->line, "id", x > 0 ?
			    "%s %" PRIu64 " is already in the database" :
			    "%s %" PRIu64 ": the database could not be read",
			    imp->form->name, id);
			bad = 1;
		}
	}
	r->id = id;
	if (!bad && ctl_csv_validate(imp, r, row->line) != 0)
		bad = 1;
	if (!bad && ctl_csv_digits(imp, row, r) != 0)
		bad = 1;
	if (bad) {
		if (sl != NULL)
			sl->ok = 0;
		ctl_csv_reject(imp, (const char *const *)row->f, row->len,
		    row->n);
		goto out;
	}
	memset(&it, 0, sizeof it);
	it.line = row->line;
	it.id = id;
	it.off = imp->data.len;
	record_encode(r, &imp->data);
	it.len = imp->data.len - it.off;
	it.state = CTL_CSV_GOOD;
	if (imp->deferred) {
		it.state = CTL_CSV_PENDING;
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
struct ctl_csv_linkfind {
	const char	*entity;
	uint64_t	 id;
	const char	*role;
	int		 found;
};

static int
ctl_csv_link_same(const struct store_link *l, void *arg)
{
	struct ctl_csv_linkfind	*lf = arg;

	if (l->id == lf->id && strcmp(l->entity, lf->entity) == 0 &&
	    strcmp(l->role, lf->role) == 0)
		lf->found = 1;
	return 0;
}

/* Read an entity and an id column of a links row; -1 on a problem. */
static int
ctl_csv_link_end(struct ctl_csv_import *imp, const struct csv_row *row,
    size_t ce, size_t ci, const char **entity, uint64_t *id)
{
	const struct schema_form	*f;
	int				 x;

	*entity = NULL;
	if ((f = schema_form_find(imp->s, row->f[ce])) == NULL) {
		ctl_csv_problem(imp, row->line, ctl_csv_link_cols[
		    -imp->col[ce] - 2].name, "expected the name of a form, "
		    "found '%s'", row->f[ce]);
		return -1;
	}
	*entity = f->name;
	if (ctl_csv_parse_id(row->f[ci], id) != 0) {
		ctl_csv_problem(imp, row->line, ctl_csv_link_cols[
		    -imp->col[ci] - 2].name, "expected a record id (a whole "
		    "number from 1), found '%s'", row->f[ci]);
		return -1;
	}
	if ((x = ctl_exists(imp->st, f->name, *id)) > 0)
		return 0;
	ctl_csv_problem(imp, row->line, ctl_csv_link_cols[-imp->col[ci] -
	    2].name, x == 0 ? "no %s %" PRIu64 " in the database" :
	    "%s %" PRIu64 ": the database could not be read", f->name, *id);
	return -1;
}

/* A link's role: a code of the role list (or its label), else as typed. */
static int
ctl_csv_link_role(struct ctl_csv_import *imp, const struct csv_row *row,
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
		ctl_csv_problem(imp, row->line, "role", "expected a role of "
		    "1 to %d bytes without control characters, found '%s'",
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
		ctl_csv_problem(imp, row->line, "role", "%s",
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
ctl_csv_link_row(struct ctl_csv_import *imp, const struct csv_row *row)
{
	struct ctl_csv_linkfind	 lf;
	struct ctl_csv_item	 it;
	struct ctl_csv_slot	*sl;
	struct store_ref	 ref;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 role = BUF_INIT, key = BUF_INIT;
	size_t			 c, at[CTL_CSV_NLINKCOLS];
	int			 bad = 0, added, k, first;

	for (c = 0; c < imp->ncols; c++)
		at[-imp->col[c] - 2] = c;
	memset(&it, 0, sizeof it);
	if (ctl_csv_link_end(imp, row, at[0], at[1], &it.e1, &it.id) != 0)
		bad = 1;
	if (ctl_csv_link_end(imp, row, at[2], at[3], &it.e2, &it.id2) != 0)
		bad = 1;
	if (ctl_csv_link_role(imp, row, at[4], &role) != 0)
		bad = 1;
	if (bad)
		goto reject;
	if (strcmp(it.e1, it.e2) == 0 && it.id == it.id2) {
		ctl_csv_problem(imp, row->line, "to_id", "a record cannot be "
		    "linked to itself");
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
		ctl_csv_problem(imp, row->line, NULL, "the same link as "
		    "line %u", sl->line);
		goto reject;
	}
	ref.entity = it.e1;
	ref.id = it.id;
	memset(&lf, 0, sizeof lf);
	lf.entity = it.e2;
	lf.id = it.id2;
	lf.role = role.s;
	if (store_links(imp->st, ref, ctl_csv_link_same, &lf, &e) !=
	    NCEN_OK) {
		ctl_csv_problem(imp, row->line, NULL, "%s", ncen_err_msg(&e));
		goto reject;
	}
	if (lf.found) {
		ctl_csv_problem(imp, row->line, NULL, "%s %" PRIu64 " and %s "
		    "%" PRIu64 " are already linked as %s", it.e1, it.id,
		    it.e2, it.id2, role.s);
		goto reject;
	}
	it.line = row->line;
	it.state = CTL_CSV_GOOD;
	it.off = imp->data.len;
	buf_add(&imp->data, role.s, role.len);
	buf_addc(&imp->data, '\0');
	it.len = role.len;
	imp->items = ctl_csv_grow(imp->items, imp->nitems, &imp->itemcap,
	    sizeof *imp->items);
	imp->items[imp->nitems++] = it;
	goto out;
reject:
	ctl_csv_reject(imp, (const char *const *)row->f, row->len, row->n);
out:
	buf_free(&role);
	buf_free(&key);
	ncen_err_free(&e);
}

/* Check again the rows that referred to ids further down the file. */
static void
ctl_csv_recheck(struct ctl_csv_import *imp)
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
			struct ctl_csv_item	*it = &imp->items[i];

			if (it->state != CTL_CSV_PENDING)
				continue;
			if (record_decode(imp->form, it->id, imp->data.s +
			    it->off, it->len, &r, &e) != NCEN_OK) {
				ctl_csv_problem(imp, it->line, NULL, "%s",
				    ncen_err_msg(&e));
				r = NULL;
			} else {
				buf_reset(&imp->why);
				if (ctl_csv_validate(imp, r, it->line) == 0) {
					record_free(r);
					continue;
				}
			}
			record_free(r);
			it->state = CTL_CSV_REJECTED;
			memcpy(k, &it->id, sizeof k);
			if ((sl = ctl_csv_set_get(&imp->ids, k, sizeof k)) !=
			    NULL)
				sl->ok = 0;
			ctl_csv_reject_raw(imp, it);
			changed = 1;
		}
	} while (changed);
	for (i = 0; i < imp->nitems; i++)
		if (imp->items[i].state == CTL_CSV_PENDING)
			imp->items[i].state = CTL_CSV_GOOD;
	ncen_err_free(&e);
}

/* Read and check the whole file; 0, or the exit status. */
static int
ctl_csv_read(struct ctl_csv_import *imp, FILE *f)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;
	size_t			 c, est;
	int			 rc, r = 0, headed = 0;

	rd = csv_open_file(f, imp->path);
	for (;;) {
		rc = csv_read(rd, &row, &e);
		if (rc == 0)
			break;
		if (rc < 0 && e.code != NCEN_EPARSE) {
			ctl_csv_progress_clear(&imp->prog);
			r = ctl_report("import", &e);
			goto out;
		}
		buf_reset(&imp->why);
		if (!headed) {
			headed = 1;
			if (rc < 0 || ctl_csv_header(imp, row) != 0) {
				if (rc < 0)
					ctl_csv_problem(imp, row->badline, NULL,
					    "column %u: %s", row->badcol,
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
				ctl_csv_progress(&imp->prog, "checked %zu of "
				    "~%zu rows", imp->nrows, est);
			else
				ctl_csv_progress(&imp->prog, "checked %zu "
				    "rows", imp->nrows);
		}
		if (rc < 0) {
			/* A malformed record: name the column it is in. */
			if (row->badfield < imp->ncols)
				ctl_csv_problem(imp, row->badline,
				    imp->form == NULL && imp->col[
				    row->badfield] < 0 ? ctl_csv_link_cols[
				    -imp->col[row->badfield] - 2].name :
				    imp->col[row->badfield] < 0 ? "id" :
				    imp->form->fields[imp->col[
				    row->badfield]].name,
				    "column %u: %s", row->badcol,
				    buf_cstr(&row->why));
			else
				ctl_csv_problem(imp, row->badline, NULL,
				    "column %u: %s", row->badcol,
				    buf_cstr(&row->why));
			ctl_csv_reject(imp, (const char *const *)row->f,
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
			ctl_csv_problem(imp, row->line, NULL, "expected %zu "
			    "fields (as many as the header has), found %zu",
			    imp->ncols, row->n);
			ctl_csv_reject(imp, (const char *const *)row->f,
			    row->len, row->n);
			continue;
		}
		if (imp->form != NULL)
			ctl_csv_form_row(imp, row);
		else
			ctl_csv_link_row(imp, row);
	}
	if (!headed) {
		ctl_csv_problem(imp, 1, NULL, "expected a header row of "
		    "field names, found an empty file");
		r = 1;
		goto out;
	}
	if (imp->form != NULL && imp->has_id)
		ctl_csv_recheck(imp);
out:
	csv_close(rd);
	ncen_err_free(&e);
	return r;
}

/* Flush what was written of the journal to disk; 0 or -1 (errno set). */
static int
ctl_csv_journal_sync(int fd, struct buf *b)
{
	size_t	off;
	ssize_t	w;

	for (off = 0; off < b->len; off += (size_t)w) {
		if ((w = write(fd, b->s + off, b->len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			return -1;
		}
	}
	buf_reset(b);
	return fdatasync(fd);
}

/* Make sure a directory's entries are on disk. */
static void
ctl_csv_sync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		return;
	(void)fsync(fd);
	close(fd);
}

/*
 * Create this import's journal: made under a temporary name and locked
 * before it is renamed, so that another import never sees it unlocked
 * while this one lives.
 */
static int
ctl_csv_journal_create(struct ctl_csv_import *imp)
{
	struct buf	tmp = BUF_INIT, path = BUF_INIT, hdr = BUF_INIT;
	int		fd, saved;

	buf_addf(&tmp, "%s/.%s%ld.tmp", imp->ctx->home, CTL_CSV_JPREFIX,
	    (long)getpid());
	buf_addf(&path, "%s/%s%ld-%lld%s", imp->ctx->home, CTL_CSV_JPREFIX,
	    (long)getpid(), (long long)time(NULL), CTL_CSV_JSUFFIX);
	buf_addf(&hdr, "%s\nfile %s\n", CTL_CSV_JMAGIC, imp->path);
	if ((fd = open(tmp.s, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		goto fail;
	if (flock(fd, LOCK_EX) == -1 || ctl_csv_journal_sync(fd, &hdr) != 0 ||
	    rename(tmp.s, path.s) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp.s);
		errno = saved;
		goto fail;
	}
	ctl_csv_sync_dir(imp->ctx->home);
	imp->jfd = fd;
	imp->jpath = buf_detach(&path);
	buf_free(&tmp);
	buf_free(&hdr);
	return 0;
fail:
	ctl_warn("import: %s: cannot make the import's journal: %s", tmp.s,
	    strerror(errno));
	buf_free(&tmp);
	buf_free(&path);
	buf_free(&hdr);
	return 2;
}

/* Remove a finished journal (its import committed or was rolled back). */
static void
ctl_csv_journal_remove(const char *home, char **path, int *fd)
{
	if (*path != NULL) {
		unlink(*path);
		ctl_csv_sync_dir(home);
	}
	if (*fd != -1)
		close(*fd);
	free(*path);
	*path = NULL;
	*fd = -1;
}

/* What a rollback has to undo, read from a journal. */
struct ctl_csv_undo {
	char		**lines;
	size_t		  n, cap;
	size_t		  next, end;
	size_t		  records, links, kept;
	const char	 *user;
};

/* The hash of a record's stored bytes, as the journal keeps it. */
static uint64_t
ctl_csv_record_hash(const struct record *r)
{
	struct buf	b = BUF_INIT;
	uint64_t	h;

	record_encode(r, &b);
	h = ctl_csv_hash(b.s, b.len);
	buf_free(&b);
	return h;
}

/* Undo one journal line: delete a record or remove a link. */
static int
ctl_csv_undo_line(struct store_txn *t, struct ctl_csv_undo *u,
    const char *line, struct ncen_err *e)
{
	char		 ent[2][64], role[CTL_CSV_ROLE_MAX + 1];
	unsigned long long id[2], hash;
	struct store_ref a, b;
	struct record	*r = NULL;
	int		 rc, n;

	if (sscanf(line, "record %63s %llu %llx", ent[0], &id[0], &hash) ==
	    3) {
		rc = store_txn_get(t, ent[0], id[0], &r, e);
		if (rc == NCEN_ENOTFOUND)
			return NCEN_OK;	/* never committed, or undone */
		if (rc != NCEN_OK)
			return rc;
		if (ctl_csv_record_hash(r) != hash) {
			record_free(r);
			u->kept++;
			return NCEN_OK;	/* changed since: not ours to undo */
		}
		rc = store_delete(t, ent[0], id[0], r->version, e);
		record_free(r);
		if (rc == NCEN_OK)
			u->records++;
		return rc == NCEN_ENOTFOUND ? NCEN_OK : rc;
	}
	if (sscanf(line, "link %63s %llu %63s %llu %n", ent[0], &id[0], ent[1],
	    &id[1], &n) == 4 && strlen(line + n) <= CTL_CSV_ROLE_MAX) {
		memcpy(role, line + n, strlen(line + n) + 1);
		a.entity = ent[0];
		a.id = id[0];
		b.entity = ent[1];
		b.id = id[1];
		rc = store_link_remove(t, a, b, role, e);
		if (rc == NCEN_OK)
			u->links++;
		return rc == NCEN_ENOTFOUND ? NCEN_OK : rc;
	}
	return NCEN_OK;		/* the header, or a line cut by a crash */
}

/* Undo a batch of journal lines in one transaction. */
static int
ctl_csv_undo_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ctl_csv_undo	*u = arg;
	size_t			 i, records = u->records, links = u->links;
	size_t			 kept = u->kept;
	int			 rc;

	for (i = u->next; i < u->end; i++) {
		if ((rc = ctl_csv_undo_line(t, u, u->lines[i], e)) !=
		    NCEN_OK) {
			u->records = records;
			u->links = links;
			u->kept = kept;
			return rc;
		}
	}
	return NCEN_OK;
}

/*
 * Undo what a journal lists, links first, newest first, in small
 * transactions; the counts say what was removed and kept.
 */
static int
ctl_csv_undo(struct store *st, const char *text, struct ctl_csv_undo *u,
    struct ncen_err *e)
{
	const char	*p, *nl;
	char		**rev;
	size_t		  i;
	int		  rc = NCEN_OK, pass;

	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;		/* a last line cut short by a crash */
		u->lines = ctl_csv_grow(u->lines, u->n, &u->cap,
		    sizeof *u->lines);
		u->lines[u->n++] = xstrndup(p, (size_t)(nl - p));
	}
	rev = xcalloc(u->n + 1, sizeof *rev);
	for (pass = 0; pass < 2; pass++) {
		size_t	m = 0;

		for (i = u->n; i-- > 0;)
			if ((strncmp(u->lines[i], "link ", 5) == 0) ==
			    (pass == 0))
				rev[m++] = u->lines[i];
		for (i = 0; i < m && rc == NCEN_OK; i += CTL_CSV_UNDO_BATCH) {
			struct ctl_csv_undo	v = *u;

			v.lines = rev;
			v.next = i;
			v.end = i + CTL_CSV_UNDO_BATCH < m ?
			    i + CTL_CSV_UNDO_BATCH : m;
			rc = store_run(st, ctl_csv_undo_txn, &v, e);
			u->records = v.records;
			u->links = v.links;
			u->kept = v.kept;
		}
	}
	free(rev);
	for (i = 0; i < u->n; i++)
		free(u->lines[i]);
	free(u->lines);
	u->lines = NULL;
	u->n = u->cap = 0;
	return rc;
}

/* Read a journal file whole (from an open descriptor). */
static int
ctl_csv_journal_read(int fd, struct buf *b)
{
	char	tmp[8192];
	ssize_t	n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	while ((n = read(fd, tmp, sizeof tmp)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf_add(b, tmp, (size_t)n);
	}
	buf_add(b, "", 0);
	return 0;
}

/* Roll back one journal left by an import that died; 0 or the exit status. */
static int
ctl_csv_rollback_one(struct ctl_ctx *ctx, struct store *st, const char *path,
    size_t *done)
{
	struct ctl_csv_undo	 u;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT, msg = BUF_INIT;
	const char		*file, *nl;
	int			 fd, r = 0;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;	/* another import took it */
		ctl_warn("%s: %s: %s", ctx->cmd->name, path, strerror(errno));
		return 2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return 0;		/* an import under way */
	}
	if (access(path, F_OK) == -1) {
		close(fd);
		return 0;		/* rolled back while we waited */
	}
	if (ctl_csv_journal_read(fd, &text) == -1) {
		ctl_warn("%s: %s: %s", ctx->cmd->name, path, strerror(errno));
		close(fd);
		buf_free(&text);
		return 2;
	}
	memset(&u, 0, sizeof u);
	if (ctl_csv_undo(st, text.s, &u, &e) != NCEN_OK) {
		r = ctl_report(ctx->cmd->name, &e);
		ctl_warn("%s: %s: the interrupted import is not rolled back "
		    "yet; run ncenctl import --rollback again", ctx->cmd->name,
		    path);
		close(fd);
		goto out;
	}
	file = strstr(text.s, "\nfile ");
	if (file == NULL || (nl = strchr(file + 6, '\n')) == NULL) {
		file = "\nfile ?";
		nl = file + 7;
	}
	buf_addf(&msg, "an interrupted import of %.*s: %zu record%s and "
	    "%zu link%s removed%s", (int)(nl - file - 6), file + 6,
	    u.records, u.records == 1 ? "" : "s", u.links,
	    u.links == 1 ? "" : "s", u.kept != 0 ?
	    ", some kept (changed since)" : "");
	ctl_warn("%s: rolled back %s", ctx->cmd->name, msg.s);
	r = ctl_csv_audit(ctx, st, "import.rollback", "", msg.s, 0);
	unlink(path);
	ctl_csv_sync_dir(ctx->home);
	close(fd);
	(*done)++;
out:
	buf_free(&text);
	buf_free(&msg);
	ncen_err_free(&e);
	return r;
}

/* Whether a directory entry is an import journal (or one being made). */
static int
ctl_csv_is_journal(const char *name, int *tmp)
{
	size_t	n = strlen(name), p = strlen(CTL_CSV_JPREFIX);
	size_t	s = strlen(CTL_CSV_JSUFFIX);

	*tmp = 0;
	if (name[0] == '.' && strncmp(name + 1, CTL_CSV_JPREFIX, p) == 0 &&
	    n > p + 5 && strcmp(name + n - 4, ".tmp") == 0) {
		*tmp = 1;
		return 1;
	}
	return n > p + s && strncmp(name, CTL_CSV_JPREFIX, p) == 0 &&
	    strcmp(name + n - s, CTL_CSV_JSUFFIX) == 0;
}

/* Roll back every journal of the data directory that no live import holds. */
static int
ctl_csv_rollback_all(struct ctl_ctx *ctx, struct store *st, size_t *done)
{
	DIR		 *d;
	struct dirent	 *de;
	struct buf	  b = BUF_INIT;
	char		**paths = NULL;
	size_t		  n = 0, i;
	int		  r = 0, x, tmp, fd;

	if ((d = opendir(ctx->home)) == NULL) {
		ctl_warn("%s: %s: %s", ctx->cmd->name, ctx->home,
		    strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		if (!ctl_csv_is_journal(de->d_name, &tmp))
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s/%s", ctx->home, de->d_name);
		if (tmp) {
			/* Never renamed: nothing was written under it. */
			if ((fd = open(b.s, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				unlink(b.s);
			close(fd);
			continue;
		}
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = xstrdup(b.s);
	}
	closedir(d);
	buf_free(&b);
	for (i = 0; i < n; i++) {
		if (r == 0 && (x = ctl_csv_rollback_one(ctx, st, paths[i],
		    done)) != 0)
			r = x;
		free(paths[i]);
	}
	free(paths);
	return r;
}

/* Note a signal: the import stops between batches and rolls back. */
static void
ctl_csv_on_signal(int sig)
{
	(void)sig;
	ctl_csv_signalled = 1;
}

/* Write one batch of rows, listing each in the journal first. */
static int
ctl_csv_write_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ctl_csv_import	*imp = arg;
	struct ctl_csv_item	*it;
	struct record		*r;
	struct store_ref	 a, b;
	size_t			 i;
	int			 rc;

	buf_reset(&imp->jbuf);
	for (i = imp->next; i < imp->end; i++) {
		it = &imp->items[i];
		if (it->state != CTL_CSV_GOOD)
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
		if ((rc = store_put(t, r, imp->user, e)) != NCEN_OK) {
			record_free(r);
			goto fail;
		}
		buf_addf(&imp->jbuf, "record %s %" PRIu64 " %016" PRIx64 "\n",
		    imp->form->name, r->id, ctl_csv_record_hash(r));
		record_free(r);
	}
	/* On disk before the commit: a crash leaves nothing unlisted. */
	if (ctl_csv_journal_sync(imp->jfd, &imp->jbuf) != 0)
		return ncen_err_set(e, NCEN_EIO, "%s: writing the journal: %s",
		    imp->jpath, strerror(errno));
	return NCEN_OK;
fail:
	ncen_err_prefix(e, "%s:%u: ", imp->path, it->line);
	return rc;
}

/* Undo this import's own batches after a failure; 0 if all is undone. */
static int
ctl_csv_write_undo(struct ctl_csv_import *imp)
{
	struct ctl_csv_undo	 u;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT;
	int			 r = 0;

	memset(&u, 0, sizeof u);
	if (ctl_csv_journal_read(imp->jfd, &text) == -1) {
		ctl_warn("import: %s: %s", imp->jpath, strerror(errno));
		r = -1;
	} else if (ctl_csv_undo(imp->st, text.s, &u, &e) != NCEN_OK) {
		ctl_report("import", &e);
		r = -1;
	}
	if (r != 0) {
		ctl_warn("import: %s: not everything could be rolled back; "
		    "the journal %s stays, and ncenctl import --rollback "
		    "finishes the work", imp->path, imp->jpath);
		close(imp->jfd);	/* unlocks it for the next import */
		imp->jfd = -1;
		free(imp->jpath);
		imp->jpath = NULL;
	} else {
		ctl_csv_journal_remove(imp->ctx->home, &imp->jpath, &imp->jfd);
		buf_reset(&text);
		buf_addf(&text, "an import of %s that failed: %zu record%s "
		    "and %zu link%s removed%s", imp->path, u.records,
		    u.records == 1 ? "" : "s", u.links, u.links == 1 ? "" : "s",
		    u.kept != 0 ? ", some kept (changed since)" : "");
		(void)ctl_csv_audit(imp->ctx, imp->st, "import.rollback", "",
		    text.s, 0);
	}
	buf_free(&text);
	ncen_err_free(&e);
	return r;
}

/* Write the rows that passed, in batches; 0 or the exit status. */
static int
ctl_csv_write(struct ctl_csv_import *imp)
{
	struct sigaction	 sa, old[3];
	struct ncen_err		 e = NCEN_ERR_INIT;
	static const int	 sigs[3] = { SIGHUP, SIGINT, SIGTERM };
	size_t			 i, good = 0;
	int			 r = 0, k;

	for (i = 0; i < imp->nitems; i++)
		if (imp->items[i].state == CTL_CSV_GOOD)
			good++;
	if (good == 0)
		return 0;
	if ((r = ctl_csv_journal_create(imp)) != 0)
		return r;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ctl_csv_on_signal;
	sigemptyset(&sa.sa_mask);
	ctl_csv_signalled = 0;
	for (k = 0; k < 3; k++)
		sigaction(sigs[k], &sa, &old[k]);

	for (imp->next = 0; imp->next < imp->nitems; imp->next = imp->end) {
		if (ctl_csv_signalled) {
			ctl_csv_progress_clear(&imp->prog);
			ctl_warn("import: %s: interrupted", imp->path);
			r = 2;
			break;
		}
		imp->end = imp->next + CTL_CSV_BATCH < imp->nitems ?
		    imp->next + CTL_CSV_BATCH : imp->nitems;
		if (store_run(imp->st, ctl_csv_write_txn, imp, &e) !=
		    NCEN_OK) {
			ctl_csv_progress_clear(&imp->prog);
			r = ctl_report("import", &e);
			break;
		}
		for (i = imp->next; i < imp->end; i++)
			if (imp->items[i].state == CTL_CSV_GOOD)
				imp->written++;
		ctl_csv_progress(&imp->prog, "imported %zu of %zu rows",
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
		ctl_csv_journal_remove(imp->ctx->home, &imp->jpath, &imp->jfd);
	else if (ctl_csv_write_undo(imp) == 0)
		imp->written = 0;
	ctl_csv_progress_clear(&imp->prog);
	for (k = 0; k < 3; k++)
		sigaction(sigs[k], &old[k], NULL);
	ncen_err_free(&e);
	return r;
}

/* Open the rejects file of --partial; 0 or the exit status. */
static int
ctl_csv_rejects_open(struct ctl_csv_import *imp)
{
	if ((imp->rej = fopen(imp->rejpath, "w")) == NULL) {
		ctl_warn("import: %s: %s", imp->rejpath, strerror(errno));
		return 2;
	}
	return 0;
}

/* Finish the rejects file; 0 or the exit status. */
static int
ctl_csv_rejects_close(struct ctl_csv_import *imp, int keep)
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
		ctl_warn("import: %s: cannot write the rejected rows",
		    imp->rejpath);
		return 2;
	}
	return 0;
}

/* Release what an import holds. */
static void
ctl_csv_import_free(struct ctl_csv_import *imp)
{
	free(imp->col);
	free(imp->items);
	buf_free(&imp->header);
	buf_free(&imp->data);
	buf_free(&imp->raw);
	buf_free(&imp->why);
	buf_free(&imp->jbuf);
	ctl_csv_set_free(&imp->ids);
	ctl_csv_set_free(&imp->links);
	if (imp->jfd != -1)
		close(imp->jfd);
	free(imp->jpath);
}

/*
 * import [--partial REJECTS] [--override-check REASON] ENTITY FILE, or
 * import --rollback.
 */
int
ctl_import(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "partial", required_argument, NULL, 'p' },
		{ "rollback", no_argument, NULL, 'R' },
		{ "as", required_argument, NULL, 'a' },
		{ "override-check", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_csv_import	 imp;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct stat		 sb, rb;
	const char		*entity, *file, *as = NULL;
	FILE			*f = NULL;
	size_t			 done = 0;
	int			 c, r, rollback = 0;

	memset(&imp, 0, sizeof imp);
	memset(&sb, 0, sizeof sb);
	imp.jfd = -1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == 'p')
			imp.rejpath = optarg;
		else if (c == 'R')
			rollback = 1;
		else if (c == 'a')
			as = optarg;
		else if (c == 'o')
			imp.override = optarg;
		else if (c == 'r')
			imp.verbatim = 1;
		else
			return ctl_usage(ctx->cmd, "bad option");
	}
	if (imp.override != NULL && ctl_csv_blank(imp.override,
	    strlen(imp.override)))
		return ctl_usage(ctx->cmd, "--override-check needs a reason");
	if (rollback) {
		if (optind != argc || imp.rejpath != NULL)
			return ctl_usage(ctx->cmd, "--rollback takes nothing "
			    "else");
		if ((r = ctl_open(ctx, &s, &st)) != 0)
			return r;
		if (as != NULL && (r = ctl_as(ctx, st, as, AUTH_IMPORT,
		    NULL, NULL)) != 0)
			return ctl_close(ctx, s, st, r);
		if ((r = ctl_csv_rollback_all(ctx, st, &done)) == 0 &&
		    done == 0)
			printf("no interrupted import to roll back\n");
		return ctl_close(ctx, s, st, r);
	}
	if (argc - optind < 2)
		return ctl_usage(ctx->cmd, "expected an entity and a file");
	if (argc - optind > 2)
		return ctl_usage(ctx->cmd, "unexpected argument '%s'",
		    argv[optind + 2]);
	entity = argv[optind];
	file = argv[optind + 1];
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if (strcmp(file, "-") == 0) {
		f = stdin;
		imp.path = "stdin";
	} else if ((f = fopen(file, "r")) == NULL) {
		ctl_warn("import: %s: %s", file, strerror(errno));
		return 2;
	} else
		imp.path = file;
	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode))
		imp.fsize = (size_t)sb.st_size;
	if (imp.rejpath != NULL && stat(imp.rejpath, &rb) == 0 &&
	    rb.st_dev == sb.st_dev && rb.st_ino == sb.st_ino) {
		r = ctl_usage(ctx->cmd, "--partial %s: that is the file to "
		    "import", imp.rejpath);
		goto out;
	}
	ctl_csv_progress_init(&imp.prog);
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (as != NULL && (r = ctl_as(ctx, st, as, AUTH_IMPORT, NULL,
	    NULL)) != 0)
		goto out;
	imp.ctx = ctx;
	imp.s = s;
	imp.st = st;
	imp.user = ctl_login();
	if ((r = ctl_csv_rollback_all(ctx, st, &done)) != 0)
		goto out;
	if (strcmp(entity, CTL_CSV_LINKS) != 0 &&
	    (imp.form = schema_form_find(s, entity)) == NULL) {
		r = ctl_usage(ctx->cmd, "no form '%s' in %s/forms (nor is it "
		    "'links')", entity, ctx->home);
		goto out;
	}
	if (imp.rejpath != NULL && (r = ctl_csv_rejects_open(&imp)) != 0)
		goto out;

	r = ctl_csv_read(&imp, f);
	if (imp.nproblems > CTL_CSV_MAXSHOWN)
		ctl_warn("import: %s: ... and %zu more", imp.path,
		    imp.nproblems - CTL_CSV_MAXSHOWN);
	if (r != 0 || (imp.nrejected != 0 && imp.rej == NULL)) {
		ctl_csv_rejects_close(&imp, 0);
		if (r == 0) {
			ctl_warn("import: %s: %zu of %zu row%s refused: "
			    "nothing imported", imp.path, imp.nrejected,
			    imp.nrows, imp.nrows == 1 ? "" : "s");
			r = 1;
		} else
			ctl_warn("import: %s: nothing imported", imp.path);
		goto out;
	}
	if ((r = ctl_csv_write(&imp)) != 0) {
		ctl_csv_rejects_close(&imp, 0);
		ctl_warn("import: %s: nothing imported", imp.path);
		goto out;
	}
	if ((r = ctl_csv_rejects_close(&imp, 1)) != 0)
		goto out;
	buf_reset(&imp.why);
	buf_addf(&imp.why, "%zu row%s from %s, %zu rejected", imp.written,
	    imp.written == 1 ? "" : "s", imp.path, imp.nrejected);
	if (imp.nkept != 0)
		buf_addf(&imp.why, ", %zu wrong check digit%s kept: %s",
		    imp.nkept, imp.nkept == 1 ? "" : "s", imp.override);
	if ((r = ctl_csv_audit(ctx, st, "import.csv", entity,
	    buf_cstr(&imp.why), 0)) != 0)
		goto out;
	printf("imported %zu %s%s from %s", imp.written,
	    imp.form != NULL ? imp.form->name : "link",
	    imp.written == 1 ? (imp.form != NULL ? " record" : "") :
	    (imp.form != NULL ? " records" : "s"), imp.path);
	if (imp.nskipped != 0)
		printf(" (%zu empty row%s skipped)", imp.nskipped,
		    imp.nskipped == 1 ? "" : "s");
	printf("\n");
	if (imp.nkept != 0)
		printf("%zu wrong check digit%s kept with the reason: %s\n",
		    imp.nkept, imp.nkept == 1 ? "" : "s", imp.override);
	if (imp.nrejected != 0) {
		printf("%zu row%s rejected, written with the reasons to %s\n",
		    imp.nrejected, imp.nrejected == 1 ? "" : "s", imp.rejpath);
		r = 1;
	}
out:
	if (imp.rej != NULL)
		ctl_csv_rejects_close(&imp, 0);
	if (f != NULL && f != stdin)
		fclose(f);
	ctl_csv_import_free(&imp);
	return ctl_close(ctx, s, st, r);
}

/* One filter of an export: FIELD between two bounds (NULL: open). */
struct ctl_csv_cond {
	const struct schema_field	*fd;		/* NULL: the id */
	const char			*name;
	const char			*lo, *hi;	/* as typed */
	struct buf			 lokey, hikey;
	int				 eq;		/* --where */
};

/* A row of a filtered export, kept to be written in id order. */
struct ctl_csv_outrow {
	uint64_t	 id;
	char		*text;
	size_t		 len;
};

/* What an export writes to, and how it filters. */
struct ctl_csv_export {
	const struct schema_form	*form;
	struct ctl_csv_cond		*conds;
	size_t				 nconds;
	FILE				*f;
	struct buf			 line, tmp;
	int				 failed;
	int				 keep;		/* sort them first */
	struct ctl_csv_outrow		*rows;
	size_t				 nrows, rowcap;
	size_t				 count;
	uint64_t			*ids;		/* links: records */
	size_t				 nids, idcap;
	const char			*entity;	/* links: source's */
	uint64_t			 from;		/* links: its id */
	struct auth_account		*acct;		/* --as: its records */
	size_t				 refused;	/* not the account's */
	int				 raw;		/* --raw: no guard */
};

/* Compare two index keys as the store does: bytes, then length. */
static int
ctl_csv_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Whether an index key lies within a filter's bounds. */
static int
ctl_csv_in(const struct ctl_csv_cond *c, const void *k, size_t len)
{
	if (c->lo != NULL && ctl_csv_keycmp(k, len, c->lokey.s,
	    c->lokey.len) < 0)
		return 0;
	if (c->hi != NULL && ctl_csv_keycmp(k, len, c->hikey.s,
	    c->hikey.len) > 0)
		return 0;
	return 1;
}

/* Whether a record passes every filter (a repeated field: any value). */
static int
ctl_csv_match(struct ctl_csv_export *x, const struct record *r)
{
	const struct ctl_csv_cond	*c;
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
			if (!ctl_csv_in(c, k, sizeof k))
				return 0;
			continue;
		}
		rv = &r->fields[c->fd - x->form->fields];
		for (hit = 0, j = 0; j < rv->n && !hit; j++) {
			buf_reset(&x->tmp);
			schema_index_key(c->fd, rv->v[j], strlen(rv->v[j]),
			    &x->tmp);
			hit = ctl_csv_in(c, x->tmp.s, x->tmp.len);
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
ctl_csv_record_row(const struct record *r, struct buf *b, struct buf *tmp,
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
ctl_csv_export_record(const struct record *r, void *arg)
{
	struct ctl_csv_export	*x = arg;
	struct ctl_csv_outrow	*o;

	if (!ctl_csv_match(x, r))
		return 0;
	/* --as: only what the account may export (its own, its offices). */
	if (x->acct != NULL && !auth_may(x->acct, AUTH_EXPORT, r)) {
		x->refused++;
		return 0;
	}
	buf_reset(&x->line);
	ctl_csv_record_row(r, &x->line, &x->tmp, !x->raw);
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
ctl_csv_outrow_cmp(const void *a, const void *b)
{
	const struct ctl_csv_outrow	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* Parse FIELD=VALUE of a filter option into a condition's bound. */
static int
ctl_csv_cond_add(struct ctl_ctx *ctx, struct ctl_csv_export *x,
    const struct schema *s, int opt, const char *arg)
{
	struct ctl_csv_cond	*c = NULL;
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
		return ctl_usage(ctx->cmd, "%s %s: expected FIELD=VALUE", what,
		    arg);
	name = xstrndup(arg, (size_t)(eq - arg));
	value = eq + 1;
	if (strcmp(name, "id") != 0 &&
	    (fd = schema_field_find(x->form, name)) == NULL) {
		r = ctl_usage(ctx->cmd, "%s %s: form %s has no field '%s'",
		    what, arg, x->form->name, name);
		goto out;
	}
	if (fd == NULL) {
		if (ctl_csv_parse_id(value, &id) != 0) {
			r = ctl_usage(ctx->cmd, "%s %s: expected a record id "
			    "(a whole number from 1)", what, arg);
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
		r = ctl_usage(ctx->cmd, "%s %s: a bound of %s is given twice",
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
ctl_csv_export_id(const struct record *r, void *arg)
{
	struct ctl_csv_export	*x = arg;

	x->ids = ctl_csv_grow(x->ids, x->nids, &x->idcap, sizeof *x->ids);
	x->ids[x->nids++] = r->id;
	return 0;
}

/* Write one link of a record, from its source side only. */
static int
ctl_csv_export_link(const struct store_link *l, void *arg)
{
	struct ctl_csv_export	*x = arg;
	const char		*f[5];
	char			 a[24], b[24];

	if (l->incoming)
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
ctl_csv_export_links(struct store *st, const struct schema *s,
    struct ctl_csv_export *x, struct ncen_err *e)
{
	struct store_ref	 ref;
	size_t			 i, j;
	int			 rc;

	for (i = 0; i < s->nforms; i++) {
		x->entity = s->forms[i]->name;
		x->nids = 0;
		if ((rc = store_scan(st, x->entity, ctl_csv_export_id, x, e)) !=
		    NCEN_OK)
			return rc;
		for (j = 0; j < x->nids; j++) {
			ref.entity = x->entity;
			ref.id = x->from = x->ids[j];
			rc = store_links(st, ref, ctl_csv_export_link, x, e);
			if (rc != NCEN_OK)
				return rc;
		}
	}
	return NCEN_OK;
}

/* export ENTITY [-o FILE] [--where F=V] [--from F=LO] [--to F=HI] ... */
int
ctl_export(struct ctl_ctx *ctx, int argc, char **argv)
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
	struct ctl_csv_export	 x;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct buf		 hdr = BUF_INIT;
	const struct ctl_csv_cond *drive = NULL;
	const char		*out = NULL, *entity, *as = NULL;
	char			**opts = NULL;
	int			*kinds = NULL;
	size_t			 nopts = 0, i;
	int			 c, r = 0, links;

	memset(&x, 0, sizeof x);
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		if (c == 'r') {
			x.raw = 1;
			continue;
		}
		if (c == 'o' || c == 'a') {
			if (c == 'o')
				out = optarg;
			else
				as = optarg;
			continue;
		}
		if (c != 'w' && c != 'f' && c != 't') {
			r = ctl_usage(ctx->cmd, "bad option");
			goto out;
		}
		opts = xreallocarray(opts, nopts + 1, sizeof *opts);
		kinds = xreallocarray(kinds, nopts + 1, sizeof *kinds);
		opts[nopts] = optarg;
		kinds[nopts++] = c;
	}
	if (argc - optind != 1) {
		if (argc == optind)
			r = ctl_usage(ctx->cmd, "expected an entity");
		else
			r = ctl_usage(ctx->cmd, "unexpected argument '%s'",
			    argv[optind + 1]);
		goto out;
	}
	entity = argv[optind];
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (as != NULL && (r = ctl_as(ctx, st, as, AUTH_EXPORT, NULL,
	    &x.acct)) != 0)
		goto out;
	links = strcmp(entity, CTL_CSV_LINKS) == 0;
	if (!links && (x.form = schema_form_find(s, entity)) == NULL) {
		r = ctl_usage(ctx->cmd, "no form '%s' in %s/forms (nor is it "
		    "'links')", entity, ctx->home);
		goto out;
	}
	if (links && nopts != 0) {
		r = ctl_usage(ctx->cmd, "links take no filters");
		goto out;
	}
	for (i = 0; i < nopts; i++)
		if ((r = ctl_csv_cond_add(ctx, &x, s, kinds[i], opts[i])) != 0)
			goto out;
	if (out != NULL && (x.f = fopen(out, "w")) == NULL) {
		ctl_warn("export: %s: %s", out, strerror(errno));
		r = 2;
		goto out;
	}
	if (out == NULL)
		x.f = stdout;
	/* The export is in the audit log before a byte of it goes out. */
	buf_addf(&hdr, "to %s", out != NULL ? out : "standard output");
	for (i = 0; i < nopts; i++)
		buf_addf(&hdr, " --%s %s", kinds[i] == 'w' ? "where" :
		    kinds[i] == 'f' ? "from" : "to", opts[i]);
	if ((r = ctl_csv_audit(ctx, st, "export.csv", entity, hdr.s, 0)) !=
	    0) {
		if (out != NULL) {
			fclose(x.f);
			unlink(out);
		}
		x.f = NULL;
		goto out;
	}
	buf_reset(&hdr);

	if (links) {
		for (i = 0; i < CTL_CSV_NLINKCOLS; i++)
			buf_addf(&hdr, "%s%s", i == 0 ? "" : ",",
			    ctl_csv_link_cols[i].name);
	} else {
		buf_adds(&hdr, "id");
		for (i = 0; i < x.form->nfields; i++)
			buf_addf(&hdr, ",%s", x.form->fields[i].name);
	}
	buf_adds(&hdr, "\r\n");
	errno = 0;
	if (fwrite(hdr.s, 1, hdr.len, x.f) != hdr.len) {
		x.failed = errno != 0 ? errno : EIO;
		goto written;
	}
	if (links) {
		if (ctl_csv_export_links(st, s, &x, &e) != NCEN_OK &&
		    !x.failed)
			r = ctl_report("export", &e);
		goto written;
	}
	/* An index answers a --where or a --from/--to pair on its field. */
	for (i = 0; i < x.nconds && drive == NULL; i++)
		if (x.conds[i].fd != NULL && x.conds[i].fd->indexed &&
		    x.conds[i].lo != NULL && x.conds[i].hi != NULL)
			drive = &x.conds[i];
	if (drive != NULL) {
		x.keep = 1;
		if (store_find(st, x.form->name, drive->name, drive->lo,
		    drive->eq ? NULL : drive->hi, ctl_csv_export_record, &x,
		    &e) != NCEN_OK) {
			r = ctl_report("export", &e);
			goto written;
		}
		qsort(x.rows, x.nrows, sizeof *x.rows, ctl_csv_outrow_cmp);
		for (i = 0; i < x.nrows && !x.failed; i++)
			if (fwrite(x.rows[i].text, 1, x.rows[i].len, x.f) !=
			    x.rows[i].len)
				x.failed = errno != 0 ? errno : EIO;
	} else if (store_scan(st, x.form->name, ctl_csv_export_record, &x,
	    &e) != NCEN_OK && !x.failed)
		r = ctl_report("export", &e);
written:
	if (x.f != NULL && fflush(x.f) == EOF && !x.failed)
		x.failed = errno != 0 ? errno : EIO;
	if (x.failed && r == 0) {
		ctl_warn("export: %s: %s", out != NULL ? out :
		    "standard output", strerror(x.failed));
		r = 2;
	}
	if (out != NULL && x.f != NULL && fclose(x.f) == EOF && r == 0) {
		ctl_warn("export: %s: %s", out, strerror(errno));
		r = 2;
	}
	if (out != NULL && x.f != NULL && r != 0)
		unlink(out);
	if (r == 0 && out != NULL)
		fprintf(stderr, "ncenctl: export: %zu %s%s written to %s\n",
		    x.count, links ? "link" : x.form->name,
		    links ? (x.count == 1 ? "" : "s") :
		    (x.count == 1 ? " record" : " records"), out);
	if (r == 0 && x.refused != 0)
		fprintf(stderr, "ncenctl: export: %zu record%s left out: "
		    "'%s' may not export %s (not its own, or not its "
		    "offices)\n", x.refused, x.refused == 1 ? "" : "s", as,
		    x.refused == 1 ? "it" : "them");
out:
	auth_account_free(x.acct);
	for (i = 0; i < x.nconds; i++) {
		buf_free(&x.conds[i].lokey);
		buf_free(&x.conds[i].hikey);
	}
	free(x.conds);
	for (i = 0; i < x.nrows; i++)
		free(x.rows[i].text);
	free(x.rows);
	free(x.ids);
	free(opts);
	free(kinds);
	buf_free(&x.line);
	buf_free(&x.tmp);
	buf_free(&hdr);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* An example value of a field for the template, valid for its form. */
static void
ctl_csv_example(const struct schema *s, const struct schema_field *fd,
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

/* template ENTITY: the header row and one example row. */
int
ctl_template(struct ctl_ctx *ctx, int argc, char **argv)
{
	const struct schema_form	*form;
	const struct schema_field	*fd;
	struct schema			*s = NULL;
	struct buf			 b = BUF_INIT, v = BUF_INIT;
	struct buf			 v2 = BUF_INIT, joined = BUF_INIT;
	size_t				 i;
	int				 r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "expected an entity");
	if (argc > 2)
		return ctl_usage(ctx->cmd, "unexpected argument '%s'", argv[2]);
	if (strcmp(argv[1], CTL_CSV_LINKS) == 0) {
		printf("from_entity,from_id,to_entity,to_id,role\r\n"
		    "case,1,person,1,SUSPECT\r\n");
		return 0;
	}
	if ((r = ctl_schema(ctx, &s)) != 0)
		return r;
	if ((form = schema_form_find(s, argv[1])) == NULL) {
		r = ctl_usage(ctx->cmd, "no form '%s' in %s/forms (nor is it "
		    "'links')", argv[1], ctx->home);
		goto out;
	}
	for (i = 0; i < form->nfields; i++)
		buf_addf(&b, "%s%s", i == 0 ? "" : ",", form->fields[i].name);
	buf_adds(&b, "\r\n");
	for (i = 0; i < form->nfields; i++) {
		fd = &form->fields[i];
		if (i != 0)
			buf_addc(&b, ',');
		ctl_csv_example(s, fd, 0, &v);
		if (!fd->repeated || v.len == 0) {
			csv_write_field(&b, v.s == NULL ? "" : v.s, v.len);
			continue;
		}
		/* Two values show the separator. */
		ctl_csv_example(s, fd, 1, &v2);
		buf_reset(&joined);
		ctl_csv_join_value(&joined, v.s);
		if (v2.len != 0) {
			buf_addc(&joined, CTL_CSV_SEP);
			ctl_csv_join_value(&joined, v2.s);
		}
		csv_write_field(&b, joined.s, joined.len);
	}
	buf_adds(&b, "\r\n");
	if (fwrite(b.s, 1, b.len, stdout) != b.len || fflush(stdout) == EOF) {
		ctl_warn("template: standard output: %s", strerror(errno));
		r = 2;
	}
out:
	buf_free(&b);
	buf_free(&v);
	buf_free(&v2);
	buf_free(&joined);
	schema_free(s);
	return r;
}

/* A whole small file, NUL-terminated; NULL when it cannot be read. */
static char *
ctl_csv_slurp(const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	char		 tmp[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof tmp, f)) != 0)
		buf_add(&b, tmp, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	buf_add(&b, "", 0);
	*len = b.len;
	return buf_detach(&b);
}

/* One office read from the CSV. */
struct ctl_csv_office {
	char		*code;
	char		*label[SCHEMA_NLANG];
	unsigned	 line;
};

/* Order offices by code, as the .codes file keeps them. */
static int
ctl_csv_office_cmp(const void *a, const void *b)
{
	const struct ctl_csv_office	*x = a, *y = b;

	return strcmp(x->code, y->code);
}

/* Append a label as a .codes quoted string. */
static void
ctl_csv_codes_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Whether a code is what a .codes file accepts: [A-Za-z0-9._-]{1,32}. */
static int
ctl_csv_code_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '-' || s[i] == '_')
			continue;
		return 0;
	}
	return i >= 1 && i <= 32;
}

/* Read the offices CSV: code,en,fr; problems noted; 0 or the exit status. */
static int
ctl_csv_offices_read(struct ctl_csv_import *imp, FILE *f,
    struct ctl_csv_office **out, size_t *nout)
{
	static const char *const cols[] = { "code", "en", "fr" };
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ctl_csv_office	 o;
	struct ctl_csv_slot	*sl;
	struct buf		 v = BUF_INIT;
	int			 at[3] = { -1, -1, -1 }, rc, r = 0, headed = 0;
	int			 added, bad;
	size_t			 i, k, len, cap = 0;

	rd = csv_open_file(f, imp->path);
	while ((rc = csv_read(rd, &row, &e)) != 0) {
		if (rc < 0 && e.code != NCEN_EPARSE) {
			r = ctl_report("offices", &e);
			goto out;
		}
		if (rc < 0) {
			ctl_csv_problem(imp, row->badline, NULL, "column %u: "
			    "%s", row->badcol, buf_cstr(&row->why));
			if (!headed)
				goto out;
			continue;
		}
		if (!headed) {
			headed = 1;
			for (i = 0; i < row->n; i++) {
				for (k = 0; k < 3; k++)
					if (strcmp(row->f[i], cols[k]) == 0)
						break;
				if (k == 3 || at[k] != -1) {
					ctl_csv_problem(imp, row->line,
					    row->f[i], k == 3 ? "expected the "
					    "columns code, en and fr, found "
					    "another" : "the column appears "
					    "twice");
					continue;
				}
				at[k] = (int)i;
			}
			for (k = 0; k < 3; k++)
				if (at[k] == -1)
					ctl_csv_problem(imp, row->line, cols[k],
					    "expected this column, found none");
			if (imp->nproblems != 0)
				goto out;
			imp->ncols = row->n;
			continue;
		}
		for (i = 0; i < row->n; i++)
			if (!ctl_csv_blank(row->f[i], row->len[i]))
				break;
		if (i == row->n)
			continue;
		if (row->n != imp->ncols) {
			ctl_csv_problem(imp, row->line, NULL, "expected %zu "
			    "fields (as many as the header has), found %zu",
			    imp->ncols, row->n);
			continue;
		}
		memset(&o, 0, sizeof o);
		o.line = row->line;
		bad = 0;
		for (k = 0; k < 3; k++) {
			const char	*s = row->f[at[k]];

			len = row->len[at[k]];
			while (len > 0 && (*s == ' ' || *s == '\t')) {
				s++;
				len--;
			}
			while (len > 0 && (s[len - 1] == ' ' ||
			    s[len - 1] == '\t'))
				len--;
			buf_reset(&v);
			buf_add(&v, s, len);
			buf_addc(&v, '\0');
			for (i = 0; i < len; i++)
				if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
					break;
			if (k == 0 && !ctl_csv_code_ok(v.s)) {
				ctl_csv_problem(imp, row->line, "code",
				    "expected a code (letters, digits, '.', "
				    "'-' or '_', at most 32), found '%s'",
				    v.s);
				bad = 1;
			} else if (k != 0 && (len == 0 || i != len)) {
				ctl_csv_problem(imp, row->line, cols[k],
				    len == 0 ? "expected a label, found none" :
				    "expected a label on one line without "
				    "control characters, found one");
				bad = 1;
			} else if (k == 0)
				o.code = xstrdup(v.s);
			else
				o.label[k - 1] = xstrdup(v.s);
		}
		if (!bad) {
			sl = ctl_csv_set_put(&imp->ids, o.code,
			    strlen(o.code), row->line, &added);
			if (!added) {
				ctl_csv_problem(imp, row->line, "code", "'%s' "
				    "appears twice (first at line %u)", o.code,
				    sl->line);
				bad = 1;
			}
		}
		if (bad) {
			free(o.code);
			free(o.label[0]);
			free(o.label[1]);
			continue;
		}
		*out = ctl_csv_grow(*out, *nout, &cap, sizeof **out);
		(*out)[(*nout)++] = o;
	}
	if (!headed)
		ctl_csv_problem(imp, 1, NULL, "expected a header row "
		    "code,en,fr, found an empty file");
out:
	csv_close(rd);
	buf_free(&v);
	ncen_err_free(&e);
	if (r == 0 && imp->nproblems != 0)
		r = 1;
	return r;
}

/* Count records whose code:office fields hold a code (for removed codes). */
struct ctl_csv_uses {
	const struct schema_form	 *form;
	const struct schema_codelist	 *keep;		/* the new list */
	size_t				  n;
	char				 *example;
};

static int
ctl_csv_office_use(const struct record *r, void *arg)
{
	struct ctl_csv_uses		*u = arg;
	const struct schema_field	*fd;
	size_t				 i, j;

	for (i = 0; i < u->form->nfields; i++) {
		fd = &u->form->fields[i];
		if (fd->type != SCHEMA_CODE ||
		    strcmp(fd->target, "office") != 0)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			if (schema_code_find(u->keep, r->fields[i].v[j]) !=
			    NULL)
				continue;
			if (u->n++ == 0)
				u->example = xstrdup(r->fields[i].v[j]);
		}
	}
	return 0;
}

/* Refuse a list that drops codes records still use; 0 or the exit status. */
static int
ctl_csv_offices_used(const struct schema *s, struct store *st,
    const struct schema_codelist *list)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ctl_csv_uses	 u;
	size_t			 i, j;
	int			 r = 0, uses;

	for (i = 0; i < s->nforms && r == 0; i++) {
		uses = 0;
		for (j = 0; j < s->forms[i]->nfields; j++)
			if (s->forms[i]->fields[j].type == SCHEMA_CODE &&
			    strcmp(s->forms[i]->fields[j].target, "office") ==
			    0)
				uses = 1;
		if (!uses)
			continue;
		memset(&u, 0, sizeof u);
		u.form = s->forms[i];
		u.keep = list;
		if (store_scan(st, u.form->name, ctl_csv_office_use, &u, &e) !=
		    NCEN_OK)
			r = ctl_report("offices", &e);
		else if (u.n != 0) {
			ctl_warn("offices: %zu %s record%s use%s office codes "
			    "the new list leaves out (such as '%s'): keep "
			    "them in the list", u.n, u.form->name,
			    u.n == 1 ? "" : "s", u.n == 1 ? "s" : "",
			    u.example);
			r = 1;
		}
		free(u.example);
	}
	ncen_err_free(&e);
	return r;
}

/* Write the new list in a directory of its own; 0 or the exit status. */
static int
ctl_csv_offices_write(const char *tmpdir, const char *text, size_t len,
    struct buf *path)
{
	FILE	*f;
	int	 bad;

	buf_reset(path);
	buf_addf(path, "%s/office.codes", tmpdir);
	if ((f = fopen(path->s, "w")) == NULL) {
		ctl_warn("offices: %s: %s", path->s, strerror(errno));
		return 2;
	}
	bad = fwrite(text, 1, len, f) != len || fflush(f) == EOF ||
	    fsync(fileno(f)) == -1;
	if (fclose(f) == EOF)
		bad = 1;
	if (bad) {
		ctl_warn("offices: %s: %s", path->s, strerror(errno));
		return 2;
	}
	return 0;
}

/* Load DIR/forms with the new office.codes in place of the old one. */
static int
ctl_csv_offices_check(const char *forms, const char *newlist)
{
	struct ncen_err	  e = NCEN_ERR_INIT;
	struct schema	 *s = NULL;
	struct buf	  b = BUF_INIT;
	struct dirent	 *de;
	DIR		 *d;
	char		**paths = NULL;
	size_t		  n = 0, i, len;
	int		  r = 0;

	if ((d = opendir(forms)) == NULL) {
		ctl_warn("offices: %s: %s", forms, strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || strcmp(de->d_name,
		    "office.codes") == 0 || !((len > 5 && strcmp(de->d_name +
		    len - 5, ".form") == 0) || (len > 6 && strcmp(de->d_name +
		    len - 6, ".codes") == 0)))
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s/%s", forms, de->d_name);
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = xstrdup(b.s);
	}
	closedir(d);
	paths = xreallocarray(paths, n + 1, sizeof *paths);
	paths[n++] = xstrdup(newlist);
	if (schema_load_files((const char *const *)paths, n, &s, &e) !=
	    NCEN_OK) {
		ctl_warn("offices: the forms do not load with the new list: "
		    "%s", ncen_err_msg(&e));
		r = 1;
	}
	schema_free(s);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	buf_free(&b);
	ncen_err_free(&e);
	return r;
}

/* offices load FILE: the national list of customs offices from CSV. */
int
ctl_offices(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ctl_csv_import	 imp;
	struct ctl_csv_office	*offs = NULL;
	struct schema_codelist	*list = NULL, *old = NULL;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 forms = BUF_INIT, dst = BUF_INIT;
	struct buf		 text = BUF_INIT, tmpdir = BUF_INIT;
	struct buf		 newpath = BUF_INIT;
	char			*oldtext;
	size_t			 n = 0, i, oldlen;
	unsigned		 version = 1;
	FILE			*f = NULL;
	int			 r, made = 0;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "expected 'load FILE'");
	if (strcmp(argv[1], "load") != 0)
		return ctl_usage(ctx->cmd, "unknown subcommand '%s'", argv[1]);
	if (argc < 3)
		return ctl_usage(ctx->cmd, "expected a CSV file");
	if (argc > 3)
		return ctl_usage(ctx->cmd, "unexpected argument '%s'", argv[3]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	buf_addf(&forms, "%s/forms", ctx->home);
	buf_addf(&dst, "%s/office.codes", forms.s);
	if (!ctl_is_dir(forms.s)) {
		ctl_warn("offices: %s: no forms directory (ncenctl init "
		    "makes one)", forms.s);
		r = 2;
		goto out;
	}
	memset(&imp, 0, sizeof imp);
	imp.jfd = -1;
	imp.ctx = ctx;
	imp.path = strcmp(argv[2], "-") == 0 ? "stdin" : argv[2];
	if (strcmp(argv[2], "-") == 0)
		f = stdin;
	else if ((f = fopen(argv[2], "r")) == NULL) {
		ctl_warn("offices: %s: %s", argv[2], strerror(errno));
		r = 2;
		goto out;
	}
	r = ctl_csv_offices_read(&imp, f, &offs, &n);
	if (imp.nproblems > CTL_CSV_MAXSHOWN)
		ctl_warn("offices: %s: ... and %zu more", imp.path,
		    imp.nproblems - CTL_CSV_MAXSHOWN);
	ctl_csv_import_free(&imp);
	if (r == 0 && n == 0) {
		ctl_warn("offices: %s: expected at least one office, found "
		    "none", argv[2]);
		r = 1;
	}
	if (r != 0) {
		ctl_warn("offices: %s: nothing changed", argv[2]);
		goto out;
	}

	/* The list's version goes up by one from the one it replaces. */
	if ((oldtext = ctl_csv_slurp(dst.s, &oldlen)) != NULL) {
		if (schema_codes_parse(dst.s, oldtext, oldlen, &old, &e) ==
		    NCEN_OK)
			version = old->version + 1;
		free(oldtext);
		ncen_err_clear(&e);
	}
	qsort(offs, n, sizeof *offs, ctl_csv_office_cmp);
	buf_addf(&text, "ncen-codes 1\n# office.codes - the customs offices "
	    "of the administration.\n# Written by ncenctl offices load from "
	    "%s: edit that CSV and load it\n# again rather than this file.\n"
	    "list office %u\n", imp.path, version);
	for (i = 0; i < n; i++) {
		buf_addf(&text, "%s\t", offs[i].code);
		ctl_csv_codes_quote(&text, offs[i].label[SCHEMA_EN]);
		buf_addc(&text, '\t');
		ctl_csv_codes_quote(&text, offs[i].label[SCHEMA_FR]);
		buf_addc(&text, '\n');
	}
	if (schema_codes_parse(dst.s, text.s, text.len, &list, &e) !=
	    NCEN_OK) {
		r = ctl_report("offices", &e);
		goto out;
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if ((r = ctl_csv_offices_used(s, st, list)) != 0) {
		ctl_warn("offices: %s: nothing changed", argv[2]);
		goto out;
	}

	/* A new file beside the old one, checked, then renamed over it. */
	buf_addf(&tmpdir, "%s/.offices.XXXXXX", forms.s);
	if (mkdtemp(tmpdir.s) == NULL) {
		ctl_warn("offices: %s: %s", tmpdir.s, strerror(errno));
		r = 2;
		goto out;
	}
	made = 1;
	if ((r = ctl_csv_offices_write(tmpdir.s, text.s, text.len,
	    &newpath)) != 0)
		goto out;
	if ((r = ctl_csv_offices_check(forms.s, newpath.s)) != 0) {
		ctl_warn("offices: %s: nothing changed", argv[2]);
		goto out;
	}
	if (rename(newpath.s, dst.s) == -1) {
		ctl_warn("offices: %s: %s", dst.s, strerror(errno));
		r = 2;
		goto out;
	}
	ctl_csv_sync_dir(forms.s);
	buf_reset(&text);
	buf_addf(&text, "%zu office%s from %s, list version %u", n,
	    n == 1 ? "" : "s", imp.path, version);
	r = ctl_csv_audit(ctx, st, "codes.load", "office", text.s, 0);
	printf("loaded %zu office%s into %s (list version %u)\n", n,
	    n == 1 ? "" : "s", dst.s, version);
out:
	if (made) {
		if (newpath.len != 0)
			unlink(newpath.s);
		rmdir(tmpdir.s);
	}
	if (f != NULL && f != stdin)
		fclose(f);
	for (i = 0; i < n; i++) {
		free(offs[i].code);
		free(offs[i].label[0]);
		free(offs[i].label[1]);
	}
	free(offs);
	schema_codes_free(list);
	schema_codes_free(old);
	r = ctl_close(ctx, s, st, r);
	buf_free(&forms);
	buf_free(&dst);
	buf_free(&text);
	buf_free(&tmpdir);
	buf_free(&newpath);
	ncen_err_free(&e);
	return r;
}
