/* store-dump.c - records and links as line-oriented UTF-8 text (ncen-dump(5)). */
#include <db.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-dump.h"
#include "store-int.h"
#include "store.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

/* Problems listed before the rest are only counted. */
#define STORE_DUMP_MAXPROBLEMS	100

/* The end line of a version 2 dump, and its checksum's length in hex. */
#define STORE_DUMP_END		"end"
#define STORE_DUMP_HEXLEN	(2 * 32)

/* Where a record of the dump is, for lookups by entity and id. */
struct store_dump_key {
	const char	*entity;
	uint64_t	 id;
	size_t		 rec;
};

/* The parser's state. */
struct store_dump_parser {
	const struct schema	*schema;
	struct store_dump	*d;
	const char		*path;
	unsigned		 line;
	struct buf		*problems;
	size_t			 nproblems;
	struct ncen_err		*err;
	enum ncen_code		 code;
	store_dump_exists_fn	 exists;
	void			*arg;
	struct store_dump_key	*keys;		/* sorted, for refs */
	size_t			 nkeys;
	enum {
		STORE_DUMP_NONE,	/* no record to add fields to */
		STORE_DUMP_OPEN,	/* fields go to the last record */
		STORE_DUMP_BAD,		/* the record line was bad: skip */
	}			 state;
};

/* Append text with the dump's escapes: \\ \n \r \t and \xHH for controls. */
void
store_dump_escape(struct buf *b, const char *s, size_t len)
{
	unsigned char	c;
	size_t		i;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		switch (c) {
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				buf_addf(b, "\\x%02x", c);
			else
				buf_addc(b, c);
			break;
		}
	}
}

/* Append one record as its "record" line and its field lines. */
void
store_dump_record(const struct record *r, struct buf *b)
{
	const struct schema_form	*f = r->form;
	size_t				 i, j;

	buf_addf(b, "record %s %" PRIu64 " %" PRIu32 " %" PRId64 " ",
	    f->name, r->id, r->version, r->mtime);
	if (r->muser != NULL)
		store_dump_escape(b, r->muser, strlen(r->muser));
	buf_addc(b, '\n');
	for (i = 0; i < f->nfields; i++) {
		for (j = 0; j < r->fields[i].n; j++) {
			buf_addf(b, "field %s ", f->fields[i].name);
			store_dump_escape(b, r->fields[i].v[j],
			    strlen(r->fields[i].v[j]));
			buf_addc(b, '\n');
		}
	}
	for (i = 0; i < r->nextra; i++) {
		buf_addf(b, "extra %s ", r->extra[i].name);
		store_dump_escape(b, r->extra[i].value,
		    strlen(r->extra[i].value));
		buf_addc(b, '\n');
	}
}

/* Note a problem at the current line; the first one becomes the error. */
static void
store_dump_problem(struct store_dump_parser *p, unsigned line,
    enum ncen_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
store_dump_problem(struct store_dump_parser *p, unsigned line,
    enum ncen_code code, const char *fmt, ...)
{
	struct buf	msg = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (p->nproblems == 0) {
		p->code = code;
		ncen_err_set(p->err, code, "%s:%u: %s", p->path, line, msg.s);
	}
	if (p->nproblems < STORE_DUMP_MAXPROBLEMS && p->problems != NULL)
		buf_addf(p->problems, "%s:%u: %s\n", p->path, line, msg.s);
	else if (p->nproblems == STORE_DUMP_MAXPROBLEMS && p->problems != NULL)
		buf_addf(p->problems, _("%s: more problems not shown\n"),
		    p->path);
	p->nproblems++;
	buf_free(&msg);
}

/* Check a line is UTF-8 without control characters; 0 or a problem noted. */
static int
store_dump_check_line(struct store_dump_parser *p, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i, n, col = 1;

	for (i = 0; i < len; i += n, col++) {
		if ((n = utf8_len(u + i, len - i)) == 0) {
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("invalid UTF-8 at column %zu"), col);
			return -1;
		}
		if (u[i] < 0x20 || u[i] == 0x7f) {
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("control character 0x%02x at column %zu "
			    "(write it as an escape)"), u[i], col);
			return -1;
		}
	}
	return 0;
}

/* The value of a hexadecimal digit, -1 if it is not one. */
static int
store_dump_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode an escaped text into out; 0, or -1 with a problem noted. */
static int
store_dump_unescape(struct store_dump_parser *p, const char *s, size_t len,
    struct buf *out)
{
	size_t	i;
	int	hi, lo;

	buf_reset(out);
	buf_add(out, "", 0);
	for (i = 0; i < len; i++) {
		if (s[i] != '\\') {
			buf_addc(out, s[i]);
			continue;
		}
		if (++i == len)
			goto bad;
		switch (s[i]) {
		case '\\':
			buf_addc(out, '\\');
			break;
		case 'n':
			buf_addc(out, '\n');
			break;
		case 'r':
			buf_addc(out, '\r');
			break;
		case 't':
			buf_addc(out, '\t');
			break;
		case 'x':
			if (i + 2 >= len)
				goto bad;
			hi = store_dump_hex(s[i + 1]);
			lo = store_dump_hex(s[i + 2]);
			/* Only what the writer escapes: control characters. */
			if (hi < 0 || lo < 0 || (hi << 4 | lo) == 0 ||
			    ((hi << 4 | lo) >= 0x20 && (hi << 4 | lo) != 0x7f))
				goto bad;
			buf_addc(out, hi << 4 | lo);
			i += 2;
			break;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	store_dump_problem(p, p->line, NCEN_EPARSE,
	    _("bad escape at byte %zu (use \\\\ \\n \\r \\t or \\xHH)"), i);
	return -1;
}

/* Split the next space-separated word off *s; NULL when there is none. */
static const char *
store_dump_word(const char **s, const char *end, size_t *len)
{
	const char	*w = *s, *sp;

	if (w >= end)
		return NULL;
	if ((sp = memchr(w, ' ', (size_t)(end - w))) == NULL)
		sp = end;
	*len = (size_t)(sp - w);
	*s = sp < end ? sp + 1 : end;
	return *len == 0 ? NULL : w;
}

/* Parse an unsigned decimal number without sign or leading zeros. */
static int
store_dump_number(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	size_t	i;

	*v = 0;
	if (len == 0 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (*v > (max - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* Parse a signed decimal number (seconds since the epoch). */
static int
store_dump_signed(const char *s, size_t len, int64_t *v)
{
	uint64_t	u;

	if (len > 1 && s[0] == '-') {
		if (store_dump_number(s + 1, len - 1, (uint64_t)INT64_MAX + 1,
		    &u) != 0 || u == 0)
			return -1;
		*v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
		return 0;
	}
	if (store_dump_number(s, len, INT64_MAX, &u) != 0)
		return -1;
	*v = (int64_t)u;
	return 0;
}

/* Find the form an entity word names; NULL (problem noted) when none. */
static const struct schema_form *
store_dump_form(struct store_dump_parser *p, const char *w, size_t len)
{
	const struct schema_form	*f;
	char				*name = xstrndup(w, len);

	if ((f = schema_form_find(p->schema, name)) == NULL)
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("unknown entity '%s'"), name);
	free(name);
	return f;
}

/* A "record ENTITY ID VERSION MTIME MUSER" line. */
static void
store_dump_parse_record(struct store_dump_parser *p, const char *s,
    const char *end)
{
	const struct schema_form	*f;
	struct store_dump_rec		*dr;
	struct record			*r;
	struct buf			 muser = BUF_INIT;
	const char			*w;
	size_t				 len;
	uint64_t			 id, version;
	int64_t				 mtime;

	p->state = STORE_DUMP_BAD;
	if ((w = store_dump_word(&s, end, &len)) == NULL) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected an entity after 'record'"));
		return;
	}
	if ((f = store_dump_form(p, w, len)) == NULL)
		return;
	if ((w = store_dump_word(&s, end, &len)) == NULL ||
	    store_dump_number(w, len, UINT64_MAX, &id) != 0 || id == 0) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected a record id (a number from 1)"));
		return;
	}
	if ((w = store_dump_word(&s, end, &len)) == NULL ||
	    store_dump_number(w, len, UINT32_MAX, &version) != 0 ||
	    version == 0) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected a version (a number from 1)"));
		return;
	}
	if ((w = store_dump_word(&s, end, &len)) == NULL ||
	    store_dump_signed(w, len, &mtime) != 0) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected a time (seconds since 1970)"));
		return;
	}
	if (s == end && w + len == end) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected a space and the user after the time"));
		return;
	}
	if (store_dump_unescape(p, s, (size_t)(end - s), &muser) != 0)
		return;
	if (strlen(muser.s) != muser.len) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("the user holds a NUL byte"));
		buf_free(&muser);
		return;
	}

	r = record_new(f);
	r->id = id;
	r->version = (uint32_t)version;
	r->mtime = mtime;
	r->muser = muser.len == 0 ? NULL : xstrdup(muser.s);
	buf_free(&muser);
	p->d->recs = xreallocarray(p->d->recs, p->d->nrecs + 1,
	    sizeof *p->d->recs);
	dr = &p->d->recs[p->d->nrecs++];
	dr->rec = r;
	dr->line = p->line;
	dr->flines = xcalloc(f->nfields == 0 ? 1 : f->nfields,
	    sizeof *dr->flines);
	p->state = STORE_DUMP_OPEN;
}

/* A "field NAME VALUE" or "extra NAME VALUE" line of the current record. */
static void
store_dump_parse_field(struct store_dump_parser *p, const char *kw,
    const char *s, const char *end)
{
	struct store_dump_rec		*dr;
	const struct schema_field	*fd;
	struct record			*r;
	struct buf			 value = BUF_INIT, canon = BUF_INIT;
	struct buf			 reason = BUF_INIT;
	const char			*w;
	char				*name = NULL;
	size_t				 len;
	int				 i;

	if (p->state != STORE_DUMP_OPEN) {
		if (p->state == STORE_DUMP_NONE)
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("'%s' with no 'record' line before it"), kw);
		return;
	}
	dr = &p->d->recs[p->d->nrecs - 1];
	r = dr->rec;
	if ((w = store_dump_word(&s, end, &len)) == NULL ||
	    (s == end && w + len == end)) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected '%s NAME VALUE'"), kw);
		return;
	}
	name = xstrndup(w, len);
	if (store_dump_unescape(p, s, (size_t)(end - s), &value) != 0)
		goto out;
	if (strlen(value.s) != value.len) {
		store_dump_problem(p, p->line, NCEN_EINVALID,
		    _("%s: the value holds a NUL byte"), name);
		goto out;
	}
	if (strcmp(kw, "extra") == 0) {
		if (schema_field_find(r->form, name) != NULL) {
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("'%s' is a field of %s: write it as 'field'"),
			    name, r->form->name);
			goto out;
		}
		r->extra = xreallocarray(r->extra, r->nextra + 1,
		    sizeof *r->extra);
		r->extra[r->nextra].name = xstrdup(name);
		r->extra[r->nextra].value = xstrdup(value.s);
		r->nextra++;
		goto out;
	}
	if ((i = schema_field_index(r->form, name)) < 0) {
		store_dump_problem(p, p->line, NCEN_EINVALID,
		    _("form %s has no field '%s'"), r->form->name, name);
		goto out;
	}
	fd = &r->form->fields[i];
	if (r->fields[i].n != 0 && !fd->repeated) {
		store_dump_problem(p, p->line, NCEN_EINVALID,
		    _("%s: only one value allowed"), name);
		goto out;
	}
	if (value.len == 0) {
		store_dump_problem(p, p->line, NCEN_EINVALID,
		    _("%s: empty value (leave the line out)"), name);
		goto out;
	}
	if (schema_value_stored(p->schema, fd, value.s, &canon, &reason) !=
	    NCEN_OK) {
		store_dump_problem(p, p->line, NCEN_EINVALID, "%s: %s", name,
		    reason.len != 0 ? reason.s : _("invalid value"));
		goto out;
	}
	if (dr->flines[i] == 0)
		dr->flines[i] = p->line;
	record_add_value(r, (size_t)i, canon.len != 0 ? canon.s : value.s);
out:
	free(name);
	buf_free(&value);
	buf_free(&canon);
	buf_free(&reason);
}

/* A "link ENTITY ID ENTITY ID ROLE" line. */
static void
store_dump_parse_link(struct store_dump_parser *p, const char *s,
    const char *end)
{
	const struct schema_form	*f[2];
	struct store_dump_link		*l;
	struct buf			 role = BUF_INIT;
	const char			*w;
	size_t				 len;
	uint64_t			 id[2];
	int				 k;

	p->state = STORE_DUMP_NONE;	/* fields after a link are an error */
	for (k = 0; k < 2; k++) {
		if ((w = store_dump_word(&s, end, &len)) == NULL) {
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("expected 'link ENTITY ID ENTITY ID ROLE'"));
			return;
		}
		if ((f[k] = store_dump_form(p, w, len)) == NULL)
			return;
		if ((w = store_dump_word(&s, end, &len)) == NULL ||
		    store_dump_number(w, len, UINT64_MAX, &id[k]) != 0 ||
		    id[k] == 0) {
			store_dump_problem(p, p->line, NCEN_EPARSE,
			    _("expected a record id (a number from 1)"));
			return;
		}
	}
	if (store_dump_unescape(p, s, (size_t)(end - s), &role) != 0)
		return;
	if (role.len == 0 || strlen(role.s) != role.len) {
		store_dump_problem(p, p->line, NCEN_EPARSE,
		    _("expected a role after the two records"));
		buf_free(&role);
		return;
	}
	p->d->links = xreallocarray(p->d->links, p->d->nlinks + 1,
	    sizeof *p->d->links);
	l = &p->d->links[p->d->nlinks++];
	for (k = 0; k < 2; k++) {
		l->entity[k] = xstrdup(f[k]->name);
		l->id[k] = id[k];
	}
	l->role = buf_detach(&role);
	l->line = p->line;
}

/* Order keys by entity then id. */
static int
store_dump_keycmp(const void *a, const void *b)
{
	const struct store_dump_key	*ka = a, *kb = b;
	int				 c;

	if ((c = strcmp(ka->entity, kb->entity)) != 0)
		return c;
	return ka->id < kb->id ? -1 : ka->id > kb->id;
}

/* Whether a record is in the dump, else outside it (callback); 1, 0 or -code. */
static int
store_dump_ref(const char *entity, uint64_t id, void *arg)
{
	struct store_dump_parser	*p = arg;
	struct store_dump_key		 k;

	memset(&k, 0, sizeof k);
	k.entity = entity;
	k.id = id;
	if (p->nkeys != 0 && bsearch(&k, p->keys, p->nkeys, sizeof *p->keys,
	    store_dump_keycmp) != NULL)
		return 1;
	if (p->exists == NULL)
		return 0;
	return p->exists(entity, id, p->arg);
}

/* The line a "FIELD: reason" problem of a record belongs to. */
static unsigned
store_dump_problem_line(const struct store_dump_rec *dr, const char *problem,
    size_t len)
{
	const struct schema_form	*f = dr->rec->form;
	size_t				 i, n;

	for (i = 0; i < f->nfields; i++) {
		n = strlen(f->fields[i].name);
		if (n < len && memcmp(problem, f->fields[i].name, n) == 0 &&
		    problem[n] == ':' && dr->flines[i] != 0)
			return dr->flines[i];
	}
	return dr->line;
}

/* Check what needs the whole dump: duplicates, records and links. */
static void
store_dump_check(struct store_dump_parser *p)
{
	struct store_dump	*d = p->d;
	struct buf		 problems = BUF_INIT;
	const char		*s, *nl;
	size_t			 i;
	int			 k, x;

	p->keys = xcalloc(d->nrecs == 0 ? 1 : d->nrecs, sizeof *p->keys);
	for (i = 0; i < d->nrecs; i++) {
		p->keys[i].entity = d->recs[i].rec->form->name;
		p->keys[i].id = d->recs[i].rec->id;
		p->keys[i].rec = i;
	}
	p->nkeys = d->nrecs;
	qsort(p->keys, p->nkeys, sizeof *p->keys, store_dump_keycmp);
	for (i = 1; i < p->nkeys; i++) {
		size_t	first, second;

		if (store_dump_keycmp(&p->keys[i - 1], &p->keys[i]) != 0)
			continue;
		first = p->keys[i - 1].rec;
		second = p->keys[i].rec;
		if (first > second) {
			first = second;
			second = p->keys[i - 1].rec;
		}
		store_dump_problem(p, d->recs[second].line, NCEN_EINVALID,
		    _("%s %" PRIu64 " appears twice (first at line %u)"),
		    p->keys[i].entity, p->keys[i].id, d->recs[first].line);
	}

	for (i = 0; i < d->nrecs; i++) {
		const struct record	*r = d->recs[i].rec;

		if (p->exists != NULL &&
		    (x = p->exists(r->form->name, r->id, p->arg)) != 0) {
			if (x < 0)
				store_dump_problem(p, d->recs[i].line,
				    (enum ncen_code)-x, _("%s %" PRIu64
				    ": cannot look it up"), r->form->name,
				    r->id);
			else
				store_dump_problem(p, d->recs[i].line,
				    NCEN_EINVALID,
				    _("%s %" PRIu64 " is already "
				    "in the database"), r->form->name, r->id);
			continue;
		}
		buf_reset(&problems);
		if (schema_validate(p->schema, r, SCHEMA_STORED, store_dump_ref,
		    p, &problems) == NCEN_OK)
			continue;
		if (problems.len == 0) {
			store_dump_problem(p, d->recs[i].line, NCEN_EINVALID,
			    _("%s %" PRIu64 ": invalid record"), r->form->name,
			    r->id);
			continue;
		}
		for (s = problems.s; *s != '\0'; s = nl) {
			if ((nl = strchr(s, '\n')) == NULL)
				nl = s + strlen(s);
			if (nl > s)
				store_dump_problem(p,
				    store_dump_problem_line(&d->recs[i], s,
				    (size_t)(nl - s)), NCEN_EINVALID,
				    "%.*s", (int)(nl - s), s);
			if (*nl == '\n')
				nl++;
		}
	}

	for (i = 0; i < d->nlinks; i++) {
		for (k = 0; k < 2; k++) {
			x = store_dump_ref(d->links[i].entity[k],
			    d->links[i].id[k], p);
			if (x == 1)
				continue;
			store_dump_problem(p, d->links[i].line, x < 0 ?
			    (enum ncen_code)-x : NCEN_EINVALID,
			    "%s %" PRIu64 ": %s", d->links[i].entity[k],
			    d->links[i].id[k], x < 0 ? _("cannot look it up") :
			    _("no such record in the dump or the database"));
		}
		if (strcmp(d->links[i].entity[0], d->links[i].entity[1]) == 0 &&
		    d->links[i].id[0] == d->links[i].id[1])
			store_dump_problem(p, d->links[i].line, NCEN_EINVALID,
			    _("a record cannot be linked to itself"));
	}
	buf_free(&problems);
}

/* The SHA-256 of some bytes, in lowercase hex; 0 or -1. */
static int
store_dump_sha256(const void *s, size_t len, struct buf *hex)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen, i;

	if (EVP_Digest(s, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen * 2 != STORE_DUMP_HEXLEN)
		return -1;
	buf_reset(hex);
	for (i = 0; i < mdlen; i++)
		buf_addf(hex, "%02x", md[i]);
	return 0;
}

/* The version a dump's first line names: 2, 1, or 0 when it is neither. */
static unsigned
store_dump_version(const char *text, size_t len)
{
	const char	*nl = memchr(text, '\n', len);
	size_t		 n = nl != NULL ? (size_t)(nl - text) : len;

	if (n == strlen(STORE_DUMP_MAGIC) && memcmp(text, STORE_DUMP_MAGIC,
	    n) == 0)
		return 2;
	if (n == strlen(STORE_DUMP_MAGIC_V1) &&
	    memcmp(text, STORE_DUMP_MAGIC_V1, n) == 0)
		return 1;
	return 0;
}

/*
 * Check the end line of a version 2 dump against the bytes before it:
 * it must be the last line, whole, and its SHA-256 theirs.  Sets where
 * the records end, the end line's number and its two counts; 0, or -1
 * with the problem noted.
 */
static int
store_dump_end(struct store_dump_parser *p, const char *text, size_t len,
    size_t *bodylen, unsigned *endline, uint64_t counts[2])
{
	struct buf	 hex = BUF_INIT;
	const char	*s, *end, *w;
	size_t		 i, start, wlen;
	unsigned	 line = 1;
	int		 k, r = -1;

	for (i = 0, start = 0; i < len; i++) {
		if (text[i] == '\n' && i + 1 < len) {
			line++;
			start = i + 1;
		}
	}
	*endline = line;
	if (text[len - 1] != '\n') {
		store_dump_problem(p, line, NCEN_EPARSE, _("the last line is "
		    "cut short and there is no end line: the dump is "
		    "truncated"));
		return -1;
	}
	s = text + start;
	end = text + len - 1;
	if ((w = store_dump_word(&s, end, &wlen)) == NULL ||
	    wlen != strlen(STORE_DUMP_END) || memcmp(w, STORE_DUMP_END,
	    wlen) != 0) {
		store_dump_problem(p, line, NCEN_EPARSE, _("the dump does not "
		    "end with its end line: it was cut short (or something "
		    "was added after its end)"));
		return -1;
	}
	for (k = 0; k < 2; k++) {
		if ((w = store_dump_word(&s, end, &wlen)) == NULL ||
		    store_dump_number(w, wlen, UINT64_MAX, &counts[k]) != 0)
			goto bad;
	}
	if ((w = store_dump_word(&s, end, &wlen)) == NULL || s != end ||
	    w + wlen != end || wlen != STORE_DUMP_HEXLEN)
		goto bad;
	for (i = 0; i < wlen; i++)
		if (store_dump_hex(w[i]) < 0 || (w[i] >= 'A' && w[i] <= 'F'))
			goto bad;
	if (store_dump_sha256(text, start, &hex) != 0) {
		store_dump_problem(p, line, NCEN_EIO,
		    _("cannot compute a SHA-256"));
		goto out;
	}
	if (memcmp(hex.s, w, wlen) != 0) {
		store_dump_problem(p, line, NCEN_EPARSE, _("the SHA-256 of the "
		    "lines before the end line is not the one it holds: the "
		    "dump was altered or damaged"));
		goto out;
	}
	*bodylen = start;
	r = 0;
	goto out;
bad:
	store_dump_problem(p, line, NCEN_EPARSE, _("bad end line (expected "
	    "'end RECORDS LINKS SHA256')"));
out:
	buf_free(&hex);
	return r;
}

/* Parse and check a whole dump; see store-dump.h. */
int
store_dump_parse(const struct schema *schema, const char *path,
    const char *text, size_t len, store_dump_exists_fn exists, void *arg,
    struct store_dump **dp, struct buf *problems, struct ncen_err *err)
{
	struct store_dump_parser	 p;
	const char			*s, *nl, *end = text + len, *kw;
	size_t				 kwlen, bodylen;
	uint64_t			 counts[2];
	unsigned			 endline = 0;

	*dp = NULL;
	memset(&p, 0, sizeof p);
	p.schema = schema;
	p.path = path;
	p.problems = problems;
	p.err = err;
	p.exists = exists;
	p.arg = arg;
	p.d = xcalloc(1, sizeof *p.d);
	p.d->path = xstrdup(path);
	p.state = STORE_DUMP_NONE;

	/* A cut or altered dump is refused before a line of it is read. */
	if ((p.d->version = store_dump_version(text, len)) == 2) {
		if (store_dump_end(&p, text, len, &bodylen, &endline,
		    counts) != 0)
			goto done;
		end = text + bodylen;
	}
	for (s = text; s < end; s = nl + 1) {
		p.line++;
		if ((nl = memchr(s, '\n', (size_t)(end - s))) == NULL)
			nl = end;
		if (store_dump_check_line(&p, s, (size_t)(nl - s)) != 0) {
			if (p.line == 1)
				break;
			continue;
		}
		if (p.line == 1) {
			if (p.d->version == 0) {
				store_dump_problem(&p, 1, NCEN_EPARSE,
				    _("not an ncen dump (the first line must "
				    "be "
				    "'%s')"), STORE_DUMP_MAGIC);
				break;
			}
			continue;
		}
		if (nl == s || *s == '#')
			continue;
		kw = store_dump_word(&s, nl, &kwlen);
		if (kw == NULL) {
			store_dump_problem(&p, p.line, NCEN_EPARSE,
			    _("a line may not start with a space"));
			continue;
		}
		if (kwlen == 6 && memcmp(kw, "record", 6) == 0)
			store_dump_parse_record(&p, s, nl);
		else if (kwlen == 5 && memcmp(kw, "field", 5) == 0)
			store_dump_parse_field(&p, "field", s, nl);
		else if (kwlen == 5 && memcmp(kw, "extra", 5) == 0)
			store_dump_parse_field(&p, "extra", s, nl);
		else if (kwlen == 4 && memcmp(kw, "link", 4) == 0)
			store_dump_parse_link(&p, s, nl);
		else if (kwlen == strlen(STORE_DUMP_END) &&
		    memcmp(kw, STORE_DUMP_END, kwlen) == 0)
			store_dump_problem(&p, p.line, NCEN_EPARSE,
			    _("an end line must be the last line"));
		else
			store_dump_problem(&p, p.line, NCEN_EPARSE,
			    _("unknown line '%.*s' (expected record, field, "
			    "extra or link)"), (int)(kwlen > 20 ? 20 : kwlen),
			    kw);
	}
	if (len == 0)
		store_dump_problem(&p, 1, NCEN_EPARSE, _("empty file"));
	if (p.nproblems == 0 && endline != 0 && (counts[0] != p.d->nrecs ||
	    counts[1] != p.d->nlinks))
		store_dump_problem(&p, endline, NCEN_EPARSE, _("the end line "
		    "counts %" PRIu64 " records and %" PRIu64 " links, the "
		    "dump holds %zu and %zu: the dump was altered"), counts[0],
		    counts[1], p.d->nrecs, p.d->nlinks);
	if (p.nproblems == 0)
		store_dump_check(&p);
done:
	free(p.keys);
	if (p.nproblems != 0) {
		store_dump_free(p.d);
		return p.code;
	}
	*dp = p.d;
	return NCEN_OK;
}

/* Release a parsed dump. */
void
store_dump_free(struct store_dump *d)
{
	size_t	i;

	if (d == NULL)
		return;
	for (i = 0; i < d->nrecs; i++) {
		record_free(d->recs[i].rec);
		free(d->recs[i].flines);
	}
	free(d->recs);
	for (i = 0; i < d->nlinks; i++) {
		free(d->links[i].entity[0]);
		free(d->links[i].entity[1]);
		free(d->links[i].role);
	}
	free(d->links);
	free(d->path);
	free(d);
}

/*
 * Store a record exactly as the dump has it: id, version, time and user
 * kept (store_put would make it version 1 of now).  The indices follow
 * through DB->associate; a later store_put moves the id sequence past
 * ids taken here.
 */
static int
store_dump_put(struct store_txn *t, const struct record *r,
    struct ncen_err *e)
{
	struct store_entity	*ent;
	struct buf		 b = BUF_INIT;
	unsigned char		 k[8];
	DBT			 key, data;
	int			 ret, rc;

	if ((ent = store_entity_find(t->st, r->form->name, e)) == NULL)
		return NCEN_ENOTFOUND;
	if ((rc = store_record_exists(t, ent, r->id, e)) < 0)
		return -rc;
	if (rc == 1)
		return ncen_err_set(e, NCEN_EEXISTS, _("%s %" PRIu64 " is "
		    "already in the database"), r->form->name, r->id);
	if ((rc = store_search_prepare(t, ent, e)) != NCEN_OK)
		return rc;
	record_encode(r, &b);
	store_id_key(k, r->id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	data.data = b.s;
	data.size = (u_int32_t)b.len;
	ret = ent->db->put(ent->db, t->txn, &key, &data, DB_NOOVERWRITE);
	buf_free(&b);
	if (ret == DB_KEYEXIST)
		return ncen_err_set(e, NCEN_EEXISTS, _("%s %" PRIu64 " is "
		    "already in the database"), r->form->name, r->id);
	if (ret != 0)
		return store_txn_dberr(t, ret, e, _("%s: writing %s %" PRIu64),
		    ent->file, r->form->name, r->id);
	if ((rc = store_count_change(t, ent, NULL, r, e)) != NCEN_OK)
		return rc;
	return store_fact_change(t, ent, r, r->id, e);
}

/* Store every record and link of a dump in the transaction. */
static int
store_dump_load_txn(struct store_txn *txn, void *arg, struct ncen_err *e)
{
	const struct store_dump	*d = arg;
	struct store_ref	 a, b;
	size_t			 i;
	int			 rc;

	for (i = 0; i < d->nrecs; i++) {
		if ((rc = store_dump_put(txn, d->recs[i].rec, e)) != NCEN_OK) {
			ncen_err_prefix(e, "%s:%u: ", d->path, d->recs[i].line);
			return rc;
		}
	}
	for (i = 0; i < d->nlinks; i++) {
		a.entity = d->links[i].entity[0];
		a.id = d->links[i].id[0];
		b.entity = d->links[i].entity[1];
		b.id = d->links[i].id[1];
		if ((rc = store_link_add(txn, a, b, d->links[i].role, e)) !=
		    NCEN_OK) {
			ncen_err_prefix(e, "%s:%u: ", d->path,
			    d->links[i].line);
			return rc;
		}
	}
	return NCEN_OK;
}

/* Store a parsed dump in one transaction: everything or nothing. */
int
store_dump_load(struct store *st, const struct store_dump *d,
    struct ncen_err *e)
{
	return store_run(st, store_dump_load_txn, (void *)(uintptr_t)d, e);
}

/* What the writer gathers while scanning. */
struct store_dump_writer {
	FILE			*f;
	EVP_MD_CTX		*md;		/* of the bytes written */
	int			 mdfailed;
	struct buf		 b;
	struct store_ref	*refs;
	size_t			 nrefs;
	int			 failed;
	const char		*entity;	/* of the scan under way */
	/* links seen from the record being looked at */
	struct store_ref	 from;
	char			**links;
	size_t			 nlinks;
	const char *const	*entities;
	size_t			 nentities;
	store_record_fn		 keep;		/* NULL: every record */
	void			*keeparg;
	struct store_dump_key	*kept;		/* refs sorted, with keep */
};

/* Write bytes of the dump and add them to its checksum; 0 or -1. */
static int
store_dump_out(struct store_dump_writer *w, const char *s, size_t len)
{
	if (EVP_DigestUpdate(w->md, s, len) != 1) {
		w->mdfailed = 1;
		return -1;
	}
	if (fwrite(s, 1, len, w->f) != len) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

/* Write the end line: what was written, and the SHA-256 of it; 0 or -1. */
static int
store_dump_out_end(struct store_dump_writer *w)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen, i;

	if (EVP_DigestFinal_ex(w->md, md, &mdlen) != 1 ||
	    mdlen * 2 != STORE_DUMP_HEXLEN) {
		w->mdfailed = 1;
		return -1;
	}
	buf_reset(&w->b);
	buf_addf(&w->b, "%s %zu %zu ", STORE_DUMP_END, w->nrefs, w->nlinks);
	for (i = 0; i < mdlen; i++)
		buf_addf(&w->b, "%02x", md[i]);
	buf_addc(&w->b, '\n');
	if (fwrite(w->b.s, 1, w->b.len, w->f) != w->b.len) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

/* Write one scanned record and remember it for the links. */
static int
store_dump_write_record(const struct record *r, void *arg)
{
	struct store_dump_writer	*w = arg;

	if (w->keep != NULL && !w->keep(r, w->keeparg))
		return 0;
	buf_reset(&w->b);
	store_dump_record(r, &w->b);
	if (store_dump_out(w, w->b.s, w->b.len) != 0)
		return -1;
	w->refs = xreallocarray(w->refs, w->nrefs + 1, sizeof *w->refs);
	w->refs[w->nrefs].entity = r->form->name;
	w->refs[w->nrefs].id = r->id;
	w->nrefs++;
	return 0;
}

/* Whether an entity is among those being dumped. */
static int
store_dump_wanted(const struct store_dump_writer *w, const char *entity)
{
	size_t	i;

	for (i = 0; i < w->nentities; i++)
		if (strcmp(w->entities[i], entity) == 0)
			return 1;
	return 0;
}

/* Whether the other end of a link was written (always, without keep). */
static int
store_dump_kept(const struct store_dump_writer *w, const struct store_ref *b)
{
	struct store_dump_key	k = { b->entity, b->id, 0 };

	if (w->keep == NULL)
		return 1;
	if (w->nrefs == 0)
		return 0;
	return bsearch(&k, w->kept, w->nrefs, sizeof *w->kept,
	    store_dump_keycmp) != NULL;
}

/* Remember one link of the current record as its dump line. */
static int
store_dump_write_link(const struct store_link *l, void *arg)
{
	struct store_dump_writer	*w = arg;
	struct store_ref		 a = w->from, b;
	struct buf			 line = BUF_INIT;

	if (!store_dump_wanted(w, l->entity))
		return 0;
	b.entity = l->entity;
	b.id = l->id;
	/* Each link is stored under both records: write it from its source. */
	if (l->incoming || !store_dump_kept(w, &b))
		return 0;
	buf_addf(&line, "link %s %" PRIu64 " %s %" PRIu64 " ", a.entity,
	    a.id, b.entity, b.id);
	store_dump_escape(&line, l->role, strlen(l->role));
	buf_addc(&line, '\n');
	w->links = xreallocarray(w->links, w->nlinks + 1, sizeof *w->links);
	w->links[w->nlinks++] = buf_detach(&line);
	return 0;
}

/* Write the records of some entities (all when none) and their links. */
int
store_dump_write(struct store *st, const char *const *entities,
    size_t nentities, store_record_fn keep, void *keeparg, FILE *f,
    struct ncen_err *e)
{
	const struct schema		 *s = store_schema(st);
	struct store_dump_writer	  w;
	const char			**all = NULL;
	size_t				  i;
	int				  r = NCEN_OK;

	memset(&w, 0, sizeof w);
	w.f = f;
	if (nentities == 0) {
		all = xcalloc(s->nforms == 0 ? 1 : s->nforms, sizeof *all);
		for (i = 0; i < s->nforms; i++)
			all[i] = s->forms[i]->name;
		entities = all;
		nentities = s->nforms;
	}
	w.entities = entities;
	w.nentities = nentities;
	w.keep = keep;
	w.keeparg = keeparg;
	if ((w.md = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(w.md, EVP_sha256(), NULL) != 1) {
		r = ncen_err_set(e, NCEN_EIO, _("writing the dump: cannot "
		    "compute a SHA-256"));
		goto out;
	}
	if (store_dump_out(&w, STORE_DUMP_MAGIC "\n",
	    strlen(STORE_DUMP_MAGIC "\n")) != 0)
		goto ioerr;
	/* Forms in name order, records in id order, links by their source. */
	for (i = 0; i < s->nforms; i++) {
		if (!store_dump_wanted(&w, s->forms[i]->name))
			continue;
		w.entity = s->forms[i]->name;
		if ((r = store_scan(st, w.entity, store_dump_write_record, &w,
		    e)) != NCEN_OK) {
			if (w.failed || w.mdfailed)
				goto ioerr;
			goto out;
		}
		if (w.failed || w.mdfailed)
			goto ioerr;
	}
	if (keep != NULL && w.nrefs != 0) {
		w.kept = xcalloc(w.nrefs, sizeof *w.kept);
		for (i = 0; i < w.nrefs; i++) {
			w.kept[i].entity = w.refs[i].entity;
			w.kept[i].id = w.refs[i].id;
		}
		qsort(w.kept, w.nrefs, sizeof *w.kept, store_dump_keycmp);
	}
	for (i = 0; i < w.nrefs; i++) {
		w.from = w.refs[i];
		if ((r = store_links(st, w.refs[i], store_dump_write_link, &w,
		    e)) != NCEN_OK)
			goto out;
	}
	for (i = 0; i < w.nlinks; i++) {
		if (store_dump_out(&w, w.links[i], strlen(w.links[i])) != 0)
			goto ioerr;
	}
	if (store_dump_out_end(&w) != 0 || fflush(f) == EOF)
		goto ioerr;
	goto out;
ioerr:
	if (w.mdfailed)
		r = ncen_err_set(e, NCEN_EIO, _("writing the dump: cannot "
		    "compute a SHA-256"));
	else
		r = ncen_err_set(e, NCEN_EIO, _("writing the dump: %s"),
		    strerror(errno));
out:
	EVP_MD_CTX_free(w.md);
	for (i = 0; i < w.nlinks; i++)
		free(w.links[i]);
	free(w.links);
	free(w.refs);
	free(w.kept);
	free(all);
	buf_free(&w.b);
	return r;
}
