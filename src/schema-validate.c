/*
 * schema-validate.c - values and records checked against their form.
 *
 * Each type has a row in one table: how typed text becomes its canonical
 * stored text (or why it cannot) and how a stored value becomes an index
 * key whose bytes sort in the value's natural order.  Reasons read
 * "expected ..., found ..."; nothing here prints, exits or reads past a
 * length it was given.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"
#include "validate.h"
#include "xmalloc.h"

#define SCHEMA_VALIDATE_QUOTEMAX	40

/* Check UTF-8 (RFC 3629: no overlongs, surrogates or past U+10FFFF). */
int
schema_utf8_check(const char *s, size_t len, size_t *nchars)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n = 0, k;

	for (; i < len; i += k, n++)
		if ((k = utf8_len(p + i, len - i)) == 0) {
			if (nchars != NULL)
				*nchars = i;
			return NCEN_EINVALID;
		}
	if (nchars != NULL)
		*nchars = n;
	return NCEN_OK;
}

/*
 * Append "expected WHAT, found 'IN'" to a reason, in the reader's
 * language (WHAT is translated already).
 */
static int
schema_validate_expected(struct buf *reason, const char *in, size_t len,
    const char *what)
{
	struct buf	found = BUF_INIT;
	size_t		bad;

	if (reason == NULL)
		return NCEN_EINVALID;
	if (len == 0)
		buf_adds(&found, _("nothing"));
	else if (schema_utf8_check(in, len, &bad) != NCEN_OK)
		buf_addf(&found, _("invalid UTF-8 at byte %zu"), bad);
	else
		buf_add_quoted(&found, in, len, SCHEMA_VALIDATE_QUOTEMAX);
	buf_addf(reason, _("expected %s, found %s"), what, buf_cstr(&found));
	buf_free(&found);
	return NCEN_EINVALID;
}

/* Read [-]digits as a signed 64-bit integer; 0 when it is not one. */
static int
schema_validate_int(const char *s, size_t len, int64_t *out, int *range)
{
	uint64_t	v = 0, max;
	size_t		i = 0;
	int		neg = 0;

	*range = 0;
	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == len)
		return 0;
	max = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v > (max - (uint64_t)(s[i] - '0')) / 10) {
			*range = 1;
			return 0;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 1;
}

/* Read digits as an unsigned 64-bit id; 0 when it is not one. */
static int
schema_validate_id(const char *s, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 1;
}

/* Why a decimal could not be read, for schema_validate_dec. */
enum schema_validate_decerr {
	SCHEMA_DEC_SYNTAX,
	SCHEMA_DEC_INT,		/* too many digits before the point */
	SCHEMA_DEC_FRAC,	/* too many digits after the point */
};

/*
 * Read [-]digits[(.|,)digits] as an integer scaled by 10^scale, with at
 * most prec-scale significant digits before the point; extra zeros after
 * the scale are accepted.  0 when it is not such a number.
 */
static int
schema_validate_dec(const char *s, size_t len, unsigned prec, unsigned scale,
    int64_t *out, enum schema_validate_decerr *why)
{
	int64_t	v = 0;
	size_t	i = 0, nint = 0, nfrac = 0, digits = 0;
	int	neg = 0, point = 0;

	*why = SCHEMA_DEC_SYNTAX;
	if (len > 0 && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < len; i++) {
		if ((s[i] == '.' || s[i] == ',') && !point) {
			point = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9') {
			*why = SCHEMA_DEC_SYNTAX;
			return 0;
		}
		digits++;
		if (!point) {
			if (nint == 0 && s[i] == '0')
				continue;	/* leading zeros count for nothing */
			if (++nint > prec - scale) {
				*why = SCHEMA_DEC_INT;
				continue;
			}
			v = v * 10 + (s[i] - '0');
		} else {
			if (++nfrac > scale) {
				if (s[i] != '0')
					*why = SCHEMA_DEC_FRAC;
				continue;
			}
			v = v * 10 + (s[i] - '0');
		}
	}
	if (digits == 0)
		return 0;
	if (nint > prec - scale) {
		*why = SCHEMA_DEC_INT;
		return 0;
	}
	if (*why == SCHEMA_DEC_FRAC)
		return 0;
	for (; nfrac < scale; nfrac++)
		v *= 10;
	*out = neg ? -v : v;
	return 1;
}

/* Days in a month of the Gregorian calendar. */
static int
schema_validate_mdays(int year, int month)
{
	static const int	days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (month == 2 && ((year % 4 == 0 && year % 100 != 0) ||
	    year % 400 == 0))
		return 29;
	return days[month - 1];
}

/* Read n digits at s as a number, -1 when they are not all digits. */
static int
schema_validate_digits(const char *s, size_t n)
{
	int	v = 0;
	size_t	i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Check YYYY-MM-DD at s (10 bytes known to be there) against the calendar. */
static int
schema_validate_ymd(const char *s, struct buf *reason)
{
	int	y, m, d;

	y = schema_validate_digits(s, 4);
	m = schema_validate_digits(s + 5, 2);
	d = schema_validate_digits(s + 8, 2);
	if (y < 0 || m < 0 || d < 0 || s[4] != '-' || s[7] != '-')
		return -1;
	if (y == 0)
		return schema_validate_expected(reason, s, 4,
		    _("a year from 0001 to 9999"));
	if (m < 1 || m > 12)
		return schema_validate_expected(reason, s + 5, 2,
		    _("a month from 01 to 12"));
	if (d < 1 || d > schema_validate_mdays(y, m)) {
		struct buf	w = BUF_INIT;

		buf_addf(&w, _("a day from 01 to %d in %.7s"),
		    schema_validate_mdays(y, m), s);
		schema_validate_expected(reason, s + 8, 2, buf_cstr(&w));
		buf_free(&w);
		return NCEN_EINVALID;
	}
	return NCEN_OK;
}

/* date: YYYY-MM-DD, a real day. */
static int
schema_validate_check_date(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	int	r;

	if (len != 10 || (r = schema_validate_ymd(in, reason)) < 0)
		return schema_validate_expected(reason, in, len,
		    _("a date YYYY-MM-DD"));
	if (r != NCEN_OK)
		return r;
	buf_add(canon, in, len);
	return NCEN_OK;
}

/* datetime: YYYY-MM-DDTHH:MM[:SS] (a space for the T too); :00 is dropped. */
static int
schema_validate_check_datetime(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	const char	*what = _("a date and time YYYY-MM-DDTHH:MM[:SS]");
	int		 r, hh, mm, ss = 0;

	if ((len != 16 && len != 19) || (in[10] != 'T' && in[10] != ' ') ||
	    in[13] != ':' || (len == 19 && in[16] != ':'))
		return schema_validate_expected(reason, in, len, what);
	hh = schema_validate_digits(in + 11, 2);
	mm = schema_validate_digits(in + 14, 2);
	if (len == 19)
		ss = schema_validate_digits(in + 17, 2);
	if (hh < 0 || mm < 0 || ss < 0 ||
	    (r = schema_validate_ymd(in, reason)) < 0)
		return schema_validate_expected(reason, in, len, what);
	if (r != NCEN_OK)
		return r;
	if (hh > 23)
		return schema_validate_expected(reason, in + 11, 2,
		    _("an hour from 00 to 23"));
	if (mm > 59)
		return schema_validate_expected(reason, in + 14, 2,
		    _("a minute from 00 to 59"));
	if (ss > 59)
		return schema_validate_expected(reason, in + 17, 2,
		    _("a second from 00 to 59"));
	buf_add(canon, in, 10);
	buf_addc(canon, 'T');
	buf_add(canon, in + 11, 5);
	if (ss != 0)
		buf_add(canon, in + 16, 3);
	return NCEN_OK;
}

/* integer: [-]digits in the signed 64-bit range; written without zeros ahead. */
static int
schema_validate_check_integer(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	int64_t	v;
	int	range;

	if (!schema_validate_int(in, len, &v, &range))
		return schema_validate_expected(reason, in, len, range ?
		    _("a whole number from -9223372036854775808 to "
		    "9223372036854775807") :
		    _("a whole number (digits, with '-' if negative)"));
	buf_addf(canon, "%lld", (long long)v);
	return NCEN_OK;
}

/* Append a scaled integer as a decimal with scale digits after the point. */
static void
schema_validate_put_dec(struct buf *b, int64_t v, unsigned scale)
{
	uint64_t	u, p = 1;
	unsigned	i;

	for (i = 0; i < scale; i++)
		p *= 10;
	if (v < 0) {
		buf_addc(b, '-');
		u = (uint64_t)-(v + 1) + 1;
	} else
		u = (uint64_t)v;
	buf_addf(b, "%llu", (unsigned long long)(u / p));
	if (scale > 0)
		buf_addf(b, ".%0*llu", (int)scale, (unsigned long long)(u % p));
}

/* decimal(p,s): written with exactly s digits after a '.'. */
static int
schema_validate_check_decimal(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	enum schema_validate_decerr	 why;
	struct buf			 w = BUF_INIT;
	int64_t				 v;

	if (schema_validate_dec(in, len, f->size, f->scale, &v, &why)) {
		schema_validate_put_dec(canon, v, f->scale);
		return NCEN_OK;
	}
	switch (why) {
	case SCHEMA_DEC_INT:
		buf_addf(&w, _("at most %u digits before the decimal point"),
		    f->size - f->scale);
		break;
	case SCHEMA_DEC_FRAC:
		buf_addf(&w, _("at most %u digits after the decimal point"),
		    f->scale);
		break;
	default:
		buf_addf(&w, _("a number like %s"), f->scale == 0 ? "-12" :
		    "-12.5");
		break;
	}
	schema_validate_expected(reason, in, len, buf_cstr(&w));
	buf_free(&w);
	return NCEN_EINVALID;
}

/* Compare len bytes with a string, ignoring ASCII case. */
static int
schema_validate_same(const char *a, size_t len, const char *b)
{
	size_t		i;
	unsigned char	x, y;

	for (i = 0; i < len; i++) {
		x = (unsigned char)a[i];
		y = (unsigned char)b[i];
		if (y == '\0')
			return 0;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
	}
	return b[len] == '\0';
}

/* code:LIST: a code, else an English or French label, else a code in any case. */
static int
schema_validate_check_code(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	const struct schema_codelist	*list;
	const struct schema_code	*c = NULL;
	struct buf			 w = BUF_INIT;
	char				*v;
	size_t				 n, i;

	if ((list = schema_list_find(s, f->target)) == NULL) {
		if (reason != NULL)
			buf_addf(reason, _("expected a loaded code list '%s', "
			    "found none"), f->target);
		return NCEN_EINVALID;
	}
	v = xstrndup(in, len);
	if (strlen(v) != len)
		n = 0;
	else if ((c = schema_code_find(list, v)) != NULL)
		n = 1;
	else if ((n = schema_code_label_matches(list, v, &c)) == 0) {
		for (i = 0; i < list->ncodes; i++) {
			if (schema_validate_same(in, len, list->codes[i].code)) {
				c = &list->codes[i];
				n++;
			}
		}
	}
	free(v);
	if (n == 1) {
		buf_adds(canon, c->code);
		return NCEN_OK;
	}
	if (n > 1)
		buf_addf(&w, _("a code or a label of one code of list '%s' "
		    "(this one names %zu codes)"), f->target, n);
	else
		buf_addf(&w, _("a code or label of list '%s'"), f->target);
	schema_validate_expected(reason, in, len, buf_cstr(&w));
	buf_free(&w);
	return NCEN_EINVALID;
}

/* ref:ENTITY: a record id, a whole number from 1. */
static int
schema_validate_check_ref(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	uint64_t	id;

	if (!schema_validate_id(in, len, &id) || id == 0)
		return schema_validate_expected(reason, in, len,
		    _("a record id (a whole number from 1)"));
	buf_addf(canon, "%llu", (unsigned long long)id);
	return NCEN_OK;
}

/* text(n): valid UTF-8 without control characters, at most n characters. */
static int
schema_validate_check_text(const struct schema *s,
    const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	size_t	n, i;

	if (schema_utf8_check(in, len, &n) != NCEN_OK) {
		if (reason != NULL)
			buf_addf(reason, _("expected UTF-8 text, found the "
			    "invalid byte 0x%02x at byte %zu"),
			    (unsigned char)in[n], n);
		return NCEN_EINVALID;
	}
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)in[i];

		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
			if (reason != NULL)
				buf_addf(reason, _("expected text, found the "
				    "control character 0x%02x at byte %zu"),
				    c, i);
			return NCEN_EINVALID;
		}
	}
	if (n > f->size) {
		if (reason != NULL)
			buf_addf(reason, _("expected at most %u characters, "
			    "found %zu"), f->size, n);
		return NCEN_EINVALID;
	}
	buf_add(canon, in, len);
	return NCEN_OK;
}

/* Append a signed number as 8 big-endian bytes that sort numerically. */
static void
schema_validate_key_int64(struct buf *key, int64_t v)
{
	buf_add_u64(key, (uint64_t)v ^ ((uint64_t)1 << 63));
}

/* Key of an integer: 8 bytes, sign bit flipped. */
static void
schema_validate_key_integer(const struct schema_field *f, const char *v,
    size_t len, struct buf *key)
{
	int64_t	n;
	int	range;

	if (schema_validate_int(v, len, &n, &range))
		schema_validate_key_int64(key, n);
	else
		buf_add(key, v, len);
}

/* Key of a decimal: the value scaled to an integer, as for integers. */
static void
schema_validate_key_decimal(const struct schema_field *f, const char *v,
    size_t len, struct buf *key)
{
	enum schema_validate_decerr	why;
	int64_t				n;

	if (schema_validate_dec(v, len, f->size, f->scale, &n, &why))
		schema_validate_key_int64(key, n);
	else
		buf_add(key, v, len);
}

/* Key of a reference: the id as 8 big-endian bytes. */
static void
schema_validate_key_ref(const struct schema_field *f, const char *v,
    size_t len, struct buf *key)
{
	uint64_t	id;

	if (schema_validate_id(v, len, &id))
		buf_add_u64(key, id);
	else
		buf_add(key, v, len);
}

/* Key of text: ASCII letters in lower case, other bytes as they are. */
static void
schema_validate_key_text(const struct schema_field *f, const char *v,
    size_t len, struct buf *key)
{
	size_t	i;

	buf_grow(key, len);
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)v[i];

		buf_addc(key, c >= 'A' && c <= 'Z' ? c + 'a' - 'A' : c);
	}
}

/* Key of a value whose canonical text already sorts (ISO dates, codes). */
static void
schema_validate_key_bytes(const struct schema_field *f, const char *v,
    size_t len, struct buf *key)
{
	buf_add(key, v, len);
}

/* Each type: how to check typed text and how to key a stored value. */
static const struct schema_validate_type {
	enum schema_type	 type;
	int			(*check)(const struct schema *,
				    const struct schema_field *, const char *,
				    size_t, struct buf *, struct buf *);
	void			(*key)(const struct schema_field *,
				    const char *, size_t, struct buf *);
} schema_validate_types[] = {
	{ SCHEMA_TEXT, schema_validate_check_text, schema_validate_key_text },
	{ SCHEMA_INTEGER, schema_validate_check_integer,
	  schema_validate_key_integer },
	{ SCHEMA_DECIMAL, schema_validate_check_decimal,
	  schema_validate_key_decimal },
	{ SCHEMA_DATE, schema_validate_check_date, schema_validate_key_bytes },
	{ SCHEMA_DATETIME, schema_validate_check_datetime,
	  schema_validate_key_bytes },
	{ SCHEMA_CODE, schema_validate_check_code, schema_validate_key_bytes },
	{ SCHEMA_REF, schema_validate_check_ref, schema_validate_key_ref },
};

/* The table row for a type, or NULL. */
static const struct schema_validate_type *
schema_validate_type(enum schema_type type)
{
	size_t	k;

	for (k = 0; k < sizeof schema_validate_types /
	    sizeof schema_validate_types[0]; k++)
		if (schema_validate_types[k].type == type)
			return &schema_validate_types[k];
	return NULL;
}

/* Is this byte space around a value (space, tab, CR, LF)? */
static int
schema_validate_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Typed text into a field's canonical stored text, or why not; with
 * keep, a field's pattern is not applied: a value read back stays as
 * the type reads it (it may have been stored before the field had its
 * pattern).
 */
static int
schema_value_run(const struct schema *s, const struct schema_field *f,
    const char *in, struct buf *canonical, struct buf *reason, int keep)
{
	const struct schema_validate_type	*t;
	struct buf				 tmp = BUF_INIT,
	    shaped = BUF_INIT;
	size_t					 len;
	int					 r;

	if (canonical != NULL)
		buf_reset(canonical);
	if (reason != NULL)
		buf_reset(reason);
	if (in == NULL)
		in = "";
	len = strlen(in);
	while (len > 0 && schema_validate_space(in[len - 1]))
		len--;
	while (len > 0 && schema_validate_space(in[0])) {
		in++;
		len--;
	}
	if ((t = schema_validate_type(f->type)) == NULL) {
		if (reason != NULL)
			buf_adds(reason, _("expected a field of a known type, "
			    "found another"));
		return NCEN_EINVALID;
	}
	if (len == 0 && f->type != SCHEMA_TEXT) {
		struct buf	w = BUF_INIT;

		buf_adds(&w, _("a value of type "));
		schema_field_type(f, &w);
		schema_validate_expected(reason, in, 0, buf_cstr(&w));
		buf_free(&w);
		return NCEN_EINVALID;
	}
	r = t->check(s, f, in, len, &tmp, reason);
	/* An identifier with a rule (check NAME) must have its shape. */
	if (r == NCEN_OK && tmp.len != 0 && f->check != SCHEMA_CHECK_NONE) {
		r = schema_check_shape(f, tmp.s, tmp.len, &shaped, reason);
		buf_reset(&tmp);
		buf_add(&tmp, shaped.s, shaped.len);
	}
	/* So must a value with a pattern, unless it is read back as it is. */
	if (r == NCEN_OK && tmp.len != 0 && !keep &&
	    f->pattern != SCHEMA_PATTERN_NONE) {
		buf_reset(&shaped);
		r = schema_pattern_shape(f, tmp.s, tmp.len, &shaped, reason);
		buf_reset(&tmp);
		buf_add(&tmp, shaped.s, shaped.len);
	}
	if (r == NCEN_OK && canonical != NULL && tmp.len != 0)
		buf_add(canonical, tmp.s, tmp.len);
	buf_free(&tmp);
	buf_free(&shaped);
	return r;
}

/*
 * Turn typed text into a field's canonical stored text, or say why not.
 * Space around the value is ignored; canonical and reason are emptied
 * first (either may be NULL).
 */
int
schema_value_check(const struct schema *s, const struct schema_field *f,
    const char *in, struct buf *canonical, struct buf *reason)
{
	return schema_value_run(s, f, in, canonical, reason, 0);
}

/* The same for a value read back: its pattern does not reshape it. */
int
schema_value_stored(const struct schema *s, const struct schema_field *f,
    const char *in, struct buf *canonical, struct buf *reason)
{
	return schema_value_run(s, f, in, canonical, reason, 1);
}

/* Append "FIELD: " and a reason as one line of problems. */
static void
schema_validate_problem(struct buf *problems, const struct schema_field *f,
    size_t n, size_t i, const char *reason)
{
	if (problems == NULL)
		return;
	buf_addf(problems, "%s: ", f->name);
	if (n > 1)
		buf_addf(problems, _("value %zu: "), i + 1);
	buf_addf(problems, "%s\n", reason);
}

/* Check the values of one field; returns -code on a callback error. */
static int
schema_validate_field(const struct schema *s, const struct schema_field *f,
    const struct record_values *rv, enum schema_mode mode,
    schema_ref_fn fn, void *arg, struct buf *problems)
{
	struct buf	 canon = BUF_INIT, reason = BUF_INIT;
	struct buf	 w = BUF_INIT, found = BUF_INIT;
	size_t		 i, n = 0, total = rv != NULL ? rv->n : 0;
	uint64_t	 id;
	int		 bad = 0, r;
	const char	*v;

	for (i = 0; i < total; i++)
		if (rv->v[i] != NULL && rv->v[i][0] != '\0')
			n++;
	if (n == 0 && mode == SCHEMA_SUBMIT && f->required) {
		schema_validate_problem(problems, f, 1, 0,
		    _("expected a value (the field is required), found none"));
		return 1;
	}
	if (n > 1 && !f->repeated) {
		buf_addf(&reason, _("expected one value, found %zu"), n);
		schema_validate_problem(problems, f, 1, 0, buf_cstr(&reason));
		bad = 1;
	}
	for (i = 0; i < total; i++) {
		if ((v = rv->v[i]) == NULL || *v == '\0')
			continue;
		if (schema_value_run(s, f, v, &canon, &reason,
		    mode == SCHEMA_STORED) != NCEN_OK) {
			schema_validate_problem(problems, f, total, i,
			    buf_cstr(&reason));
			bad = 1;
			continue;
		}
		if (strcmp(buf_cstr(&canon), v) != 0) {
			buf_reset(&reason);
			buf_add_quoted(&w, canon.s, canon.len,
			    SCHEMA_VALIDATE_QUOTEMAX);
			buf_add_quoted(&found, v, strlen(v),
			    SCHEMA_VALIDATE_QUOTEMAX);
			buf_addf(&reason, _("expected the stored form %s, "
			    "found %s"), buf_cstr(&w), buf_cstr(&found));
			buf_reset(&w);
			buf_reset(&found);
			schema_validate_problem(problems, f, total, i,
			    buf_cstr(&reason));
			bad = 1;
			continue;
		}
		if (f->type != SCHEMA_REF || fn == NULL ||
		    !schema_validate_id(canon.s, canon.len, &id))
			continue;
		if ((r = fn(f->target, id, arg)) < 0) {
			bad = r;
			break;
		}
		if (r == 0) {
			buf_reset(&reason);
			buf_addf(&reason, _("expected the id of a %s record, "
			    "found %llu (no such record)"), f->target,
			    (unsigned long long)id);
			schema_validate_problem(problems, f, total, i,
			    buf_cstr(&reason));
			bad = 1;
		}
	}
	buf_free(&canon);
	buf_free(&reason);
	buf_free(&w);
	buf_free(&found);
	return bad;
}

/* Check a whole record against its form; problems get one line each. */
int
schema_validate(const struct schema *s, const struct record *rec,
    enum schema_mode mode, schema_ref_fn fn, void *arg, struct buf *problems)
{
	const struct schema_form	*form;
	size_t				 i;
	int				 bad = 0, r;

	if (rec == NULL || (form = rec->form) == NULL) {
		if (problems != NULL)
			buf_addf(problems, "%s\n", _("record: expected a "
			    "record of a form, found none"));
		return NCEN_EUSAGE;
	}
	for (i = 0; i < form->nfields; i++) {
		r = schema_validate_field(s, &form->fields[i],
		    rec->fields != NULL ? &rec->fields[i] : NULL, mode, fn, arg,
		    problems);
		if (r < 0)
			return -r;
		if (r > 0)
			bad = 1;
	}
	return bad ? NCEN_EINVALID : NCEN_OK;
}

/*
 * Append the index key of a stored value: bytes that compare in the
 * field's natural order.  A value that is not canonical keys as its bytes.
 */
void
schema_index_key(const struct schema_field *f, const char *value, size_t len,
    struct buf *key)
{
	const struct schema_validate_type	*t;

	if (value == NULL)
		len = 0;
	if ((t = schema_validate_type(f->type)) == NULL) {
		buf_add(key, value, len);
		return;
	}
	t->key(f, value != NULL ? value : "", len, key);
}
