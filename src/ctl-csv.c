/*
 * ctl-csv.c - what ncenctl's CSV commands share: see ctl-csv.h.
 *
 * A CSV file holds the records of one form: a header row of field names
 * (and optionally `id`), then one row per record.  The values of a
 * repeated field share one column, separated by ';' (a ';' or '\' inside
 * a value is written '\;' or '\\').  The pseudo-entity `links` holds the
 * links between records: from_entity,from_id,to_entity,to_id,role.
 * Import (ctl-import.c, ctl-journal.c) reads such files, export and
 * template (ctl-export.c) write them, offices (ctl-offices.c) reads the
 * list of customs offices.
 */
#include <sys/types.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "xmalloc.h"

/* The columns of a links file, in the order export writes them. */
const struct ctl_csv_linkcol ctl_csv_link_cols[CTL_CSV_NLINKCOLS] = {
	{ "from_entity",	CTL_CSV_COL_FROM_ENTITY },
	{ "from_id",		CTL_CSV_COL_FROM_ID },
	{ "to_entity",		CTL_CSV_COL_TO_ENTITY },
	{ "to_id",		CTL_CSV_COL_TO_ID },
	{ "role",		CTL_CSV_COL_ROLE },
};

/* Room for element n of a growing array: its capacity doubles. */
void *
ctl_csv_grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap == 0 ? 64 : *cap * 2;
	return xreallocarray(p, *cap, size);
}

/* FNV-1a: a 64-bit hash of bytes, for the sets and the journal. */
uint64_t
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
struct ctl_csv_slot *
ctl_csv_set_get(struct ctl_csv_set *set, const void *key, size_t len)
{
	struct ctl_csv_slot	*sl;

	if (set->cap == 0)
		return NULL;
	sl = ctl_csv_set_slot(set, key, len);
	return sl->used ? sl : NULL;
}

/* Add a key seen at a line; returns its slot, *added says if it is new. */
struct ctl_csv_slot *
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
void
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
void
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
void
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
void
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
int
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
int
ctl_csv_blank(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Parse a record id: a whole number from 1, spaces around allowed. */
int
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
void
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
void
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

/* Note a problem of a row (field may be NULL); print the first ones. */
void
ctl_csv_problem(struct ctl_csv_input *in, unsigned line, const char *field,
    const char *fmt, ...)
{
	struct buf	msg = BUF_INIT;
	va_list		ap;

	if (field != NULL)
		buf_addf(&msg, "%s: ", field);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (in->nproblems < CTL_CSV_MAXSHOWN) {
		ctl_csv_progress_clear(&in->prog);
		ctl_warn("%s: %s:%u: %s", in->ctx->cmd->name, in->path,
		    line, msg.s);
	}
	in->nproblems++;
	if (in->why.len == 0 || in->whyline != line) {
		if (in->why.len != 0)
			buf_adds(&in->why, "; ");
		buf_addf(&in->why, "line %u: ", line);
		in->whyline = line;
	} else
		buf_adds(&in->why, "; ");
	buf_add(&in->why, msg.s, msg.len);
	buf_free(&msg);
}

/* Make sure a directory's entries are on disk. */
void
ctl_csv_sync_dir(const char *dir)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) == -1)
		return;
	(void)fsync(fd);
	close(fd);
}
