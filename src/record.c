/* record.c - one record of a form, in memory and as stored bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "xmalloc.h"

/*
 * Stored bytes, all numbers big-endian:
 *
 *	"NCRD"			magic
 *	u32			codec version (RECORD_CODEC)
 *	u32			record version
 *	u64			mtime (int64 seconds since the epoch)
 *	u32 len, bytes		muser
 *	u32			number of entries
 *	entries:
 *		u32 len, bytes	field name
 *		u32		number of values
 *		u32 len, bytes	each value (UTF-8, no NUL)
 *
 * Form fields without values are not written; extra fields (names the
 * form does not know) are written back grouped by name.
 */
#define RECORD_MAGIC	"NCRD"
#define RECORD_CODEC	1

/* A reader over stored bytes that never goes past the end. */
struct record_reader {
	const unsigned char	*p;
	size_t			 left;
	size_t			 off;
};

/* Make an empty record of a form (NULL: every field goes to extra). */
struct record *
record_new(const struct schema_form *form)
{
	struct record	*r = xcalloc(1, sizeof *r);

	r->form = form;
	if (form != NULL && form->nfields != 0)
		r->fields = xcalloc(form->nfields, sizeof *r->fields);
	return r;
}

/* Number of fields of a record's form. */
static size_t
record_nfields(const struct record *r)
{
	return r->form == NULL ? 0 : r->form->nfields;
}

/* Release a record and everything it owns. */
void
record_free(struct record *r)
{
	size_t	i;

	if (r == NULL)
		return;
	if (r->holder != NULL)
		*r->holder = NULL;
	for (i = 0; i < record_nfields(r); i++)
		record_clear_field(r, i);
	free(r->fields);
	for (i = 0; i < r->nextra; i++) {
		free(r->extra[i].name);
		free(r->extra[i].value);
	}
	free(r->extra);
	free(r->muser);
	free(r);
}

/* Make a deep copy of a record. */
struct record *
record_copy(const struct record *r)
{
	struct record	*c = record_new(r->form);
	size_t		 i, j;

	c->id = r->id;
	c->version = r->version;
	c->mtime = r->mtime;
	c->muser = r->muser == NULL ? NULL : xstrdup(r->muser);
	for (i = 0; i < record_nfields(r); i++)
		for (j = 0; j < r->fields[i].n; j++)
			record_add_value(c, i, r->fields[i].v[j]);
	if (r->nextra != 0) {
		c->extra = xcalloc(r->nextra, sizeof *c->extra);
		for (i = 0; i < r->nextra; i++) {
			c->extra[i].name = xstrdup(r->extra[i].name);
			c->extra[i].value = xstrdup(r->extra[i].value);
		}
		c->nextra = r->nextra;
	}
	return c;
}

/* Remove every value of one field. */
void
record_clear_field(struct record *r, size_t field)
{
	struct record_values	*rv;
	size_t			 i;

	if (field >= record_nfields(r))
		return;
	rv = &r->fields[field];
	for (i = 0; i < rv->n; i++)
		free(rv->v[i]);
	free(rv->v);
	rv->v = NULL;
	rv->n = 0;
}

/* Append a value to one field (a repeated field may hold several). */
void
record_add_value(struct record *r, size_t field, const char *value)
{
	struct record_values	*rv;

	if (field >= record_nfields(r) || value == NULL)
		return;
	rv = &r->fields[field];
	rv->v = xreallocarray(rv->v, rv->n + 1, sizeof *rv->v);
	rv->v[rv->n++] = xstrdup(value);
}

/* Append a value of a field the form does not know. */
static void
record_add_extra(struct record *r, const char *name, size_t namelen,
    const char *value, size_t len)
{
	r->extra = xreallocarray(r->extra, r->nextra + 1, sizeof *r->extra);
	r->extra[r->nextra].name = xstrndup(name, namelen);
	r->extra[r->nextra].value = xstrndup(value, len);
	r->nextra++;
}

/* Find a form field by a name that is not NUL-terminated; -1 if none. */
static int
record_field_lookup(const struct schema_form *form, const char *name,
    size_t len)
{
	size_t	i;

	if (form == NULL)
		return -1;
	for (i = 0; i < form->nfields; i++)
		if (strlen(form->fields[i].name) == len &&
		    memcmp(form->fields[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* Set a field by name to one value (NULL or "" clears it). */
int
record_set(struct record *r, const char *name, const char *value,
    struct ncen_err *err)
{
	int	i;

	if ((i = record_field_lookup(r->form, name, strlen(name))) < 0)
		return ncen_err_set(err, NCEN_ENOTFOUND,
		    "form %s has no field '%s'",
		    r->form == NULL ? "(none)" : r->form->name, name);
	record_clear_field(r, (size_t)i);
	if (value != NULL && *value != '\0')
		record_add_value(r, (size_t)i, value);
	return NCEN_OK;
}

/* The first value of a field (or of an extra field) by name, NULL if none. */
const char *
record_get(const struct record *r, const char *name)
{
	size_t	i;

	for (i = 0; i < record_nfields(r); i++) {
		if (strcmp(r->form->fields[i].name, name) != 0)
			continue;
		return r->fields[i].n == 0 ? NULL : r->fields[i].v[0];
	}
	for (i = 0; i < r->nextra; i++)
		if (strcmp(r->extra[i].name, name) == 0)
			return r->extra[i].value;
	return NULL;
}

/* Compare two strings where NULL equals "". */
static int
record_str_equal(const char *a, const char *b)
{
	return strcmp(a == NULL ? "" : a, b == NULL ? "" : b) == 0;
}

/* Whether two records are the same: form, bookkeeping, values and extras. */
int
record_equal(const struct record *a, const struct record *b)
{
	size_t	i, j;

	if (a->form != b->form && (a->form == NULL || b->form == NULL ||
	    strcmp(a->form->name, b->form->name) != 0 ||
	    a->form->nfields != b->form->nfields))
		return 0;
	if (a->id != b->id || a->version != b->version ||
	    a->mtime != b->mtime || !record_str_equal(a->muser, b->muser))
		return 0;
	for (i = 0; i < record_nfields(a); i++) {
		if (a->fields[i].n != b->fields[i].n)
			return 0;
		for (j = 0; j < a->fields[i].n; j++)
			if (strcmp(a->fields[i].v[j], b->fields[i].v[j]) != 0)
				return 0;
	}
	if (a->nextra != b->nextra)
		return 0;
	for (i = 0; i < a->nextra; i++)
		if (strcmp(a->extra[i].name, b->extra[i].name) != 0 ||
		    strcmp(a->extra[i].value, b->extra[i].value) != 0)
			return 0;
	return 1;
}

/* Append a length-prefixed byte string. */
static void
record_put_bytes(struct buf *b, const char *s, size_t len)
{
	buf_add_u32(b, (uint32_t)len);
	buf_add(b, s, len);
}

/* Turn a record into its stored bytes (appended to b). */
void
record_encode(const struct record *r, struct buf *b)
{
	size_t	 i, j, k, n, nentries = 0;
	size_t	 countpos;
	char	*cp;

	buf_add(b, RECORD_MAGIC, 4);
	buf_add_u32(b, RECORD_CODEC);
	buf_add_u32(b, r->version);
	buf_add_u64(b, (uint64_t)r->mtime);
	record_put_bytes(b, r->muser == NULL ? "" : r->muser,
	    r->muser == NULL ? 0 : strlen(r->muser));
	countpos = b->len;
	buf_add_u32(b, 0);

	for (i = 0; i < record_nfields(r); i++) {
		if (r->fields[i].n == 0)
			continue;
		record_put_bytes(b, r->form->fields[i].name,
		    strlen(r->form->fields[i].name));
		buf_add_u32(b, (uint32_t)r->fields[i].n);
		for (j = 0; j < r->fields[i].n; j++)
			record_put_bytes(b, r->fields[i].v[j],
			    strlen(r->fields[i].v[j]));
		nentries++;
	}
	for (i = 0; i < r->nextra; i++) {
		/* Group extras by name; the first of each name writes all. */
		for (k = 0; k < i; k++)
			if (strcmp(r->extra[k].name, r->extra[i].name) == 0)
				break;
		if (k != i)
			continue;
		for (n = 0, k = i; k < r->nextra; k++)
			if (strcmp(r->extra[k].name, r->extra[i].name) == 0)
				n++;
		record_put_bytes(b, r->extra[i].name, strlen(r->extra[i].name));
		buf_add_u32(b, (uint32_t)n);
		for (k = i; k < r->nextra; k++)
			if (strcmp(r->extra[k].name, r->extra[i].name) == 0)
				record_put_bytes(b, r->extra[k].value,
				    strlen(r->extra[k].value));
		nentries++;
	}

	cp = b->s + countpos;
	cp[0] = (char)(nentries >> 24);
	cp[1] = (char)(nentries >> 16);
	cp[2] = (char)(nentries >> 8);
	cp[3] = (char)nentries;
}

/* Read a 32-bit number; 0 when the bytes run out. */
static int
record_read_u32(struct record_reader *rd, uint32_t *v)
{
	if (rd->left < 4)
		return 0;
	*v = buf_get_u32(rd->p);
	rd->p += 4;
	rd->left -= 4;
	rd->off += 4;
	return 1;
}

/* Read a 64-bit number; 0 when the bytes run out. */
static int
record_read_u64(struct record_reader *rd, uint64_t *v)
{
	if (rd->left < 8)
		return 0;
	*v = buf_get_u64(rd->p);
	rd->p += 8;
	rd->left -= 8;
	rd->off += 8;
	return 1;
}

/* Read a length-prefixed string without NUL bytes; 0 when malformed. */
static int
record_read_bytes(struct record_reader *rd, const char **s, size_t *len)
{
	uint32_t	n;

	if (!record_read_u32(rd, &n) || n > rd->left)
		return 0;
	if (n != 0 && memchr(rd->p, '\0', n) != NULL)
		return 0;
	*s = (const char *)rd->p;
	*len = n;
	rd->p += n;
	rd->left -= n;
	rd->off += n;
	return 1;
}

/* Check the magic and codec version and read the header fields. */
static int
record_read_header(struct record_reader *rd, uint32_t *version,
    uint64_t *mtime, const char **muser, size_t *muserlen, uint32_t *nentries,
    struct ncen_err *err)
{
	uint32_t	codec;

	if (rd->left < 4 || memcmp(rd->p, RECORD_MAGIC, 4) != 0)
		return ncen_err_set(err, NCEN_EPARSE,
		    "stored record: bad magic (not a record)");
	rd->p += 4;
	rd->left -= 4;
	rd->off += 4;
	if (!record_read_u32(rd, &codec))
		return ncen_err_set(err, NCEN_EPARSE,
		    "stored record: truncated header");
	if (codec != RECORD_CODEC)
		return ncen_err_set(err, NCEN_EPARSE,
		    "stored record: codec version %u, this program reads %u",
		    codec, RECORD_CODEC);
	if (!record_read_u32(rd, version) || !record_read_u64(rd, mtime) ||
	    !record_read_bytes(rd, muser, muserlen) ||
	    !record_read_u32(rd, nentries))
		return ncen_err_set(err, NCEN_EPARSE,
		    "stored record: truncated or malformed header at byte %zu",
		    rd->off);
	return NCEN_OK;
}

/* Turn stored bytes back into a record of a form. */
int
record_decode(const struct schema_form *form, uint64_t id, const void *data,
    size_t size, struct record **out, struct ncen_err *err)
{
	struct record_reader	 rd = { data, size, 0 };
	struct record		*r = NULL;
	const char		*s, *name;
	size_t			 len, namelen;
	uint32_t		 version, nentries, nvalues, i, j;
	uint64_t		 mtime;
	char			*value;
	int			 f, error;

	*out = NULL;
	if (data == NULL && size != 0)
		return ncen_err_set(err, NCEN_EUSAGE, "record_decode: no data");
	if ((error = record_read_header(&rd, &version, &mtime, &s, &len,
	    &nentries, err)) != NCEN_OK)
		goto out;

	r = record_new(form);
	r->id = id;
	r->version = version;
	r->mtime = (int64_t)mtime;
	r->muser = len == 0 ? NULL : xstrndup(s, len);

	/* Each entry is at least 8 bytes: do not trust the count. */
	if (nentries > rd.left / 8) {
		error = ncen_err_set(err, NCEN_EPARSE,
		    "stored record: %u fields announced, only %zu bytes left",
		    nentries, rd.left);
		goto out;
	}
	for (i = 0; i < nentries; i++) {
		if (!record_read_bytes(&rd, &name, &namelen) || namelen == 0 ||
		    !record_read_u32(&rd, &nvalues) || nvalues > rd.left / 4) {
			error = ncen_err_set(err, NCEN_EPARSE,
			    "stored record: malformed field %u at byte %zu",
			    i + 1, rd.off);
			goto out;
		}
		f = record_field_lookup(form, name, namelen);
		for (j = 0; j < nvalues; j++) {
			if (!record_read_bytes(&rd, &s, &len)) {
				error = ncen_err_set(err, NCEN_EPARSE,
				    "stored record: malformed value %u of "
				    "field '%.*s' at byte %zu", j + 1,
				    (int)namelen, name, rd.off);
				goto out;
			}
			if (f < 0) {
				record_add_extra(r, name, namelen, s, len);
				continue;
			}
			value = xstrndup(s, len);
			record_add_value(r, (size_t)f, value);
			free(value);
		}
	}
	if (rd.left != 0) {
		error = ncen_err_set(err, NCEN_EPARSE,
		    "stored record: %zu stray bytes after the last field at "
		    "byte %zu", rd.left, rd.off);
		goto out;
	}
	*out = r;
	r = NULL;
	error = NCEN_OK;
out:
	record_free(r);
	return error;
}

/* Walk stored bytes, calling fn on one field's values (NULL: check only). */
static int
record_walk_field(const void *data, size_t size, const char *field,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	struct record_reader	 rd = { data, size, 0 };
	const char		*s, *name;
	size_t			 len, namelen, fieldlen = strlen(field);
	uint32_t		 version, nentries, nvalues, i, j;
	uint64_t		 mtime;
	int			 match;

	if (data == NULL || record_read_header(&rd, &version, &mtime, &s,
	    &len, &nentries, NULL) != NCEN_OK)
		return NCEN_EPARSE;
	if (nentries > rd.left / 8)
		return NCEN_EPARSE;
	for (i = 0; i < nentries; i++) {
		if (!record_read_bytes(&rd, &name, &namelen) || namelen == 0 ||
		    !record_read_u32(&rd, &nvalues) || nvalues > rd.left / 4)
			return NCEN_EPARSE;
		match = namelen == fieldlen &&
		    memcmp(name, field, fieldlen) == 0;
		for (j = 0; j < nvalues; j++) {
			if (!record_read_bytes(&rd, &s, &len))
				return NCEN_EPARSE;
			if (match && fn != NULL)
				fn(s, len, arg);
		}
	}
	return rd.left == 0 ? NCEN_OK : NCEN_EPARSE;
}

/*
 * Call fn on each value of one named field straight from stored bytes;
 * values point into the bytes and are not NUL-terminated.  Malformed
 * bytes give NCEN_EPARSE before fn is called at all.
 */
int
record_decode_field(const void *data, size_t size, const char *field,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	int	error;

	if ((error = record_walk_field(data, size, field, NULL, NULL)) != 0)
		return error;
	return record_walk_field(data, size, field, fn, arg);
}
