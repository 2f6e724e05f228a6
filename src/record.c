/* record.c - one record of a form, in memory and as stored bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "xmalloc.h"

/*
 * Stored bytes, codec 2 (written since the store's benchmark work):
 *
 *	"N" 0xC2		magic and codec
 *	varint			record version
 *	varint			mtime (int64 seconds since the epoch, as u64)
 *	varint len, bytes	muser
 *	varint			number of entries
 *	entries:
 *		varint len, bytes	field name (not empty)
 *		varint			number of values
 *		varint len, bytes	each value (UTF-8, no NUL)
 *
 * A varint is LEB128: 7 bits a byte, low bits first, the high bit set
 * on every byte but the last; at most 10 bytes, no overlong zeros.
 *
 * Codec 1 (still read: records stored before stay readable), all
 * numbers big-endian:
 *
 *	"NCRD"			magic
 *	u32			codec version (1)
 *	u32			record version
 *	u64			mtime
 *	u32 len, bytes		muser
 *	u32			number of entries
 *	entries:
 *		u32 len, bytes	field name
 *		u32		number of values
 *		u32 len, bytes	each value
 *
 * Form fields without values are not written; extra fields (names the
 * form does not know) are written back grouped by name.
 */
#define RECORD_MAGIC1	"NCRD"
#define RECORD_CODEC1	1
#define RECORD_MAGIC2_0	'N'
#define RECORD_MAGIC2_1	0xC2
#define RECORD_CODEC	2
#define RECORD_SPANS	128	/* values record_decode notes on its stack */

/* A reader over stored bytes that never goes past the end. */
struct record_reader {
	const unsigned char	*p;
	size_t			 left;
	size_t			 off;
	int			 codec;
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
	free(r->arena);
	free(r);
}

/* Whether memory lies in a record's arena (and must not be freed alone). */
static int
record_in_arena(const struct record *r, const void *p)
{
	uintptr_t	a = (uintptr_t)r->arena, x = (uintptr_t)p;

	return r->arena != NULL && x >= a && x < a + r->arenasize;
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
		if (!record_in_arena(r, rv->v[i]))
			free(rv->v[i]);
	if (!record_in_arena(r, rv->v))
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
	if (rv->v != NULL && record_in_arena(r, rv->v)) {
		/* An array record_decode made: move it out to grow it. */
		char	**v = xreallocarray(NULL, rv->n + 1, sizeof *v);

		memcpy(v, rv->v, rv->n * sizeof *v);
		rv->v = v;
	} else
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

/* Whether a form field is named by a name that is not NUL-terminated. */
static int
record_field_is(const struct schema_field *f, const char *name, size_t len)
{
	return f->name[0] == name[0] && strncmp(f->name, name, len) == 0 &&
	    f->name[len] == '\0';
}

/*
 * Find a form field by a name that is not NUL-terminated; -1 if none.
 * Stored fields come in form order, so the field after the one found
 * last (*hint) is tried first.
 */
static int
record_field_find(const struct schema_form *form, const char *name,
    size_t len, size_t *hint)
{
	size_t	i;

	if (form == NULL || len == 0)
		return -1;
	if (hint != NULL && *hint < form->nfields &&
	    record_field_is(&form->fields[*hint], name, len))
		return (int)(*hint)++;
	for (i = 0; i < form->nfields; i++)
		if (record_field_is(&form->fields[i], name, len)) {
			if (hint != NULL)
				*hint = i + 1;
			return (int)i;
		}
	return -1;
}

/* Find a form field by a name that is not NUL-terminated; -1 if none. */
static int
record_field_lookup(const struct schema_form *form, const char *name,
    size_t len)
{
	return record_field_find(form, name, len, NULL);
}

/* Set a field by name to one value (NULL or "" clears it). */
int
record_set(struct record *r, const char *name, const char *value,
    struct ncen_err *err)
{
	int	i;

	if ((i = record_field_lookup(r->form, name, strlen(name))) < 0)
		return ncen_err_set(err, NCEN_ENOTFOUND,
		    _("form %s has no field '%s'"),
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

/* Append a varint (LEB128). */
static void
record_put_varint(struct buf *b, uint64_t v)
{
	unsigned char	tmp[10];
	size_t		n = 0;

	while (v >= 0x80) {
		tmp[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (unsigned char)v;
	buf_add(b, tmp, n);
}

/* Append a length-prefixed byte string. */
static void
record_put_bytes(struct buf *b, const char *s, size_t len)
{
	record_put_varint(b, len);
	buf_add(b, s, len);
}

/* Turn a record into its stored bytes (appended to b), codec 2. */
void
record_encode(const struct record *r, struct buf *b)
{
	size_t	 i, j, k, n, nentries = 0;
	size_t	 len;

	for (i = 0; i < record_nfields(r); i++)
		if (r->fields[i].n != 0)
			nentries++;
	for (i = 0; i < r->nextra; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(r->extra[k].name, r->extra[i].name) == 0)
				break;
		if (k == i)
			nentries++;
	}

	buf_addc(b, RECORD_MAGIC2_0);
	buf_addc(b, RECORD_MAGIC2_1);
	record_put_varint(b, r->version);
	record_put_varint(b, (uint64_t)r->mtime);
	record_put_bytes(b, r->muser == NULL ? "" : r->muser,
	    r->muser == NULL ? 0 : strlen(r->muser));
	record_put_varint(b, nentries);

	for (i = 0; i < record_nfields(r); i++) {
		if (r->fields[i].n == 0)
			continue;
		record_put_bytes(b, r->form->fields[i].name,
		    strlen(r->form->fields[i].name));
		record_put_varint(b, r->fields[i].n);
		for (j = 0; j < r->fields[i].n; j++) {
			len = strlen(r->fields[i].v[j]);
			record_put_bytes(b, r->fields[i].v[j], len);
		}
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
		record_put_varint(b, n);
		for (k = i; k < r->nextra; k++)
			if (strcmp(r->extra[k].name, r->extra[i].name) == 0)
				record_put_bytes(b, r->extra[k].value,
				    strlen(r->extra[k].value));
	}
}

/* Read a 32-bit big-endian number (codec 1); 0 when the bytes run out. */
static int
record_read_u32be(struct record_reader *rd, uint32_t *v)
{
	if (rd->left < 4)
		return 0;
	*v = buf_get_u32(rd->p);
	rd->p += 4;
	rd->left -= 4;
	rd->off += 4;
	return 1;
}

/* Read a varint (codec 2); 0 when malformed or past max. */
static int
record_read_varint(struct record_reader *rd, uint64_t max, uint64_t *v)
{
	uint64_t	x = 0;
	unsigned	shift = 0;
	size_t		i;
	unsigned char	c;

	if (rd->left != 0 && rd->p[0] < 0x80) {
		if (rd->p[0] > max)
			return 0;
		*v = rd->p[0];
		rd->p++;
		rd->left--;
		rd->off++;
		return 1;
	}
	for (i = 0; i < rd->left && i < 10; i++) {
		c = rd->p[i];
		if (shift == 63 && (c & 0x7e) != 0)
			return 0;		/* more than 64 bits */
		x |= (uint64_t)(c & 0x7f) << shift;
		if ((c & 0x80) == 0) {
			if (c == 0 && i != 0)
				return 0;	/* overlong */
			if (x > max)
				return 0;
			*v = x;
			rd->p += i + 1;
			rd->left -= i + 1;
			rd->off += i + 1;
			return 1;
		}
		shift += 7;
	}
	return 0;
}

/* Read a count or length in the reader's codec; 0 when malformed. */
static int
record_read_u32(struct record_reader *rd, uint32_t *v)
{
	uint64_t	x;

	if (rd->codec == RECORD_CODEC1)
		return record_read_u32be(rd, v);
	if (!record_read_varint(rd, UINT32_MAX, &x))
		return 0;
	*v = (uint32_t)x;
	return 1;
}

/* Read a 64-bit number in the reader's codec; 0 when malformed. */
static int
record_read_u64(struct record_reader *rd, uint64_t *v)
{
	if (rd->codec != RECORD_CODEC1)
		return record_read_varint(rd, UINT64_MAX, v);
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

	if (rd->left >= 2 && rd->p[0] == RECORD_MAGIC2_0 &&
	    rd->p[1] == RECORD_MAGIC2_1) {
		rd->p += 2;
		rd->left -= 2;
		rd->off += 2;
		rd->codec = RECORD_CODEC;
	} else if (rd->left >= 4 && memcmp(rd->p, RECORD_MAGIC1, 4) == 0) {
		rd->p += 4;
		rd->left -= 4;
		rd->off += 4;
		rd->codec = RECORD_CODEC1;
		if (!record_read_u32be(rd, &codec))
			return ncen_err_set(err, NCEN_EPARSE,
			    _("stored record: truncated header"));
		if (codec != RECORD_CODEC1)
			return ncen_err_set(err, NCEN_EPARSE,
			    _("stored record: codec version %u, this program "
			    "reads %u and %u"), codec, RECORD_CODEC1,
			    RECORD_CODEC);
	} else
		return ncen_err_set(err, NCEN_EPARSE,
		    _("stored record: bad magic (not a record)"));
	if (!record_read_u32(rd, version) || !record_read_u64(rd, mtime) ||
	    !record_read_bytes(rd, muser, muserlen) ||
	    !record_read_u32(rd, nentries))
		return ncen_err_set(err, NCEN_EPARSE,
		    _("stored record: truncated or malformed header at byte "
		    "%zu"),
		    rd->off);
	return NCEN_OK;
}

/* The least bytes an entry takes in the reader's codec. */
static size_t
record_min_entry(const struct record_reader *rd)
{
	return rd->codec == RECORD_CODEC1 ? 8 : 3;
}

/* The least bytes a value takes in the reader's codec. */
static size_t
record_min_value(const struct record_reader *rd)
{
	return rd->codec == RECORD_CODEC1 ? 4 : 1;
}

/* A value of a form field met while decoding, before it is copied. */
struct record_span {
	const char	*s;
	size_t		 len;
	int		 field;
};

/* Turn stored bytes back into a record of a form. */
int
record_decode(const struct schema_form *form, uint64_t id, const void *data,
    size_t size, struct record **out, struct ncen_err *err)
{
	struct record_reader	 rd = { data, size, 0, 0 };
	struct record		*r = NULL;
	struct record_values	*rv;
	struct record_span	 stack[RECORD_SPANS], *sp = stack, *x;
	const char		*s, *name;
	char			*p, **vp;
	size_t			 len, namelen, bytes = 0, nsp = 0;
	size_t			 cap = RECORD_SPANS, i, hint = 0;
	uint32_t		 version, nentries, nvalues, k, j;
	uint64_t		 mtime;
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

	/* Do not trust the count: each entry takes a few bytes. */
	if (nentries > rd.left / record_min_entry(&rd)) {
		error = ncen_err_set(err, NCEN_EPARSE,
		    _("stored record: %u fields announced, only %zu bytes "
		    "left"),
		    nentries, rd.left);
		goto out;
	}
	/* Check everything and note where the values are. */
	for (k = 0; k < nentries; k++) {
		if (!record_read_bytes(&rd, &name, &namelen) || namelen == 0 ||
		    !record_read_u32(&rd, &nvalues) ||
		    nvalues > rd.left / record_min_value(&rd)) {
			error = ncen_err_set(err, NCEN_EPARSE,
			    _("stored record: malformed field %u at byte %zu"),
			    k + 1, rd.off);
			goto out;
		}
		f = record_field_find(form, name, namelen, &hint);
		for (j = 0; j < nvalues; j++) {
			if (!record_read_bytes(&rd, &s, &len)) {
				error = ncen_err_set(err, NCEN_EPARSE,
				    _("stored record: malformed value %u of "
				    "field '%.*s' at byte %zu"), j + 1,
				    (int)namelen, name, rd.off);
				goto out;
			}
			if (f < 0) {
				record_add_extra(r, name, namelen, s, len);
				continue;
			}
			if (nsp == cap) {
				cap *= 2;
				if (sp == stack) {
					sp = xreallocarray(NULL, cap,
					    sizeof *sp);
					memcpy(sp, stack, sizeof stack);
				} else
					sp = xreallocarray(sp, cap,
					    sizeof *sp);
			}
			sp[nsp].s = s;
			sp[nsp].len = len;
			sp[nsp].field = f;
			nsp++;
			bytes += len + 1;
		}
	}
	if (rd.left != 0) {
		error = ncen_err_set(err, NCEN_EPARSE,
		    _("stored record: %zu stray bytes after the last field at "
		    "byte %zu"), rd.left, rd.off);
		goto out;
	}

	/* One block for the value arrays and the values. */
	if (nsp != 0) {
		r->arenasize = nsp * sizeof(char *) + bytes;
		r->arena = xmalloc(r->arenasize);
		for (i = 0; i < nsp; i++)
			r->fields[sp[i].field].n++;
		vp = (char **)(void *)r->arena;
		for (i = 0; i < record_nfields(r); i++) {
			rv = &r->fields[i];
			if (rv->n != 0) {
				rv->v = vp;
				vp += rv->n;
			}
			rv->n = 0;
		}
		p = r->arena + nsp * sizeof(char *);
		for (i = 0; i < nsp; i++) {
			x = &sp[i];
			rv = &r->fields[x->field];
			memcpy(p, x->s, x->len);
			p[x->len] = '\0';
			rv->v[rv->n++] = p;
			p += x->len + 1;
		}
	}
	*out = r;
	r = NULL;
	error = NCEN_OK;
out:
	if (sp != stack)
		free(sp);
	record_free(r);
	return error;
}

/* Free what record_view_parse kept. */
void
record_view_free(struct record_view *v)
{
	free(v->copy);
	free(v->entries);
	free(v->values);
	memset(v, 0, sizeof *v);
}

/*
 * Check stored bytes and note where each field's values lie, in a copy
 * the view keeps; the same bytes again (the index callbacks of one put
 * see the same record once per index) are not parsed again.
 */
int
record_view_parse(struct record_view *v, const void *data, size_t size)
{
	struct record_reader	 rd;
	const char		*s, *name;
	size_t			 len, namelen;
	uint32_t		 version, nentries, nvalues, i, j;
	uint64_t		 mtime;

	if (v->valid && v->size == size && (size == 0 ||
	    memcmp(v->copy, data, size) == 0))
		return NCEN_OK;
	v->valid = 0;
	v->nentries = v->nvalues = 0;
	if (data == NULL)
		return NCEN_EPARSE;
	if (v->cap < size) {
		free(v->copy);
		v->copy = xmalloc(size);
		v->cap = size;
	}
	if (size != 0)
		memcpy(v->copy, data, size);
	v->size = size;
	rd.p = (const unsigned char *)v->copy;
	rd.left = size;
	rd.off = 0;
	rd.codec = 0;
	if (record_read_header(&rd, &version, &mtime, &s, &len, &nentries,
	    NULL) != NCEN_OK || nentries > rd.left / record_min_entry(&rd))
		return NCEN_EPARSE;
	for (i = 0; i < nentries; i++) {
		if (!record_read_bytes(&rd, &name, &namelen) || namelen == 0 ||
		    !record_read_u32(&rd, &nvalues) ||
		    nvalues > rd.left / record_min_value(&rd))
			return NCEN_EPARSE;
		if (v->nentries == v->entcap) {
			v->entcap = v->entcap == 0 ? 32 : v->entcap * 2;
			v->entries = xreallocarray(v->entries, v->entcap,
			    sizeof *v->entries);
		}
		v->entries[v->nentries].name = name;
		v->entries[v->nentries].namelen = namelen;
		v->entries[v->nentries].first = v->nvalues;
		v->entries[v->nentries].n = nvalues;
		v->nentries++;
		for (j = 0; j < nvalues; j++) {
			if (!record_read_bytes(&rd, &s, &len))
				return NCEN_EPARSE;
			if (v->nvalues == v->valcap) {
				v->valcap = v->valcap == 0 ? 64 :
				    v->valcap * 2;
				v->values = xreallocarray(v->values,
				    v->valcap, sizeof *v->values);
			}
			v->values[v->nvalues].s = s;
			v->values[v->nvalues].len = len;
			v->nvalues++;
		}
	}
	if (rd.left != 0)
		return NCEN_EPARSE;
	v->valid = 1;
	return NCEN_OK;
}

/* Call fn on each value of one named field of a parsed view. */
void
record_view_field(const struct record_view *v, const char *field,
    void (*fn)(const char *, size_t, void *), void *arg)
{
	size_t	i, j, fieldlen = strlen(field);

	if (!v->valid)
		return;
	for (i = 0; i < v->nentries; i++) {
		if (v->entries[i].namelen != fieldlen ||
		    memcmp(v->entries[i].name, field, fieldlen) != 0)
			continue;
		for (j = 0; j < v->entries[i].n; j++)
			fn(v->values[v->entries[i].first + j].s,
			    v->values[v->entries[i].first + j].len, arg);
	}
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
	struct record_view	v;
	size_t			i, j, fieldlen = strlen(field);
	const char		*base;

	memset(&v, 0, sizeof v);
	if (record_view_parse(&v, data, size) != NCEN_OK) {
		record_view_free(&v);
		return NCEN_EPARSE;
	}
	/* Hand out pointers into the caller's bytes, not the copy. */
	base = data;
	for (i = 0; fn != NULL && i < v.nentries; i++) {
		if (v.entries[i].namelen != fieldlen ||
		    memcmp(v.entries[i].name, field, fieldlen) != 0)
			continue;
		for (j = 0; j < v.entries[i].n; j++)
			fn(base + (v.values[v.entries[i].first + j].s -
			    v.copy), v.values[v.entries[i].first + j].len,
			    arg);
	}
	record_view_free(&v);
	return NCEN_OK;
}
