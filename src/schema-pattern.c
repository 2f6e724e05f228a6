/*
 * schema-pattern.c - the strict shapes a text field may name with
 * `pattern NAME`: HS codes, times of day and UTC offsets.
 *
 * A text field shared at cen level must have one (schema-parse.c): free
 * text can carry a name, a value of one of these shapes cannot.  Each
 * shape has a row in one table: its name in form files, the longest
 * canonical value, what it is (for reasons) and the function that turns
 * typed text into the canonical value or refuses it.  A stored value
 * that no longer fits (a record made before the field had its pattern)
 * is kept when read back, but schema_pattern_fits() says so: Icomm never
 * sends it.  Nothing here prints or exits.
 */
#include <string.h>

#include "i18n.h"
#include "validate.h"

#define SCHEMA_PATTERN_QUOTEMAX	40

/* Read n digits at s as a number, -1 when they are not all digits. */
static int
schema_pattern_digits(const char *s, size_t n)
{
	int	v = 0;
	size_t	i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* hs: 4, 6, 8 or 10 digits; the dots and spaces people type go. */
static int
schema_pattern_hs(const char *in, size_t len, struct buf *canon)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++) {
		if (in[i] == '.' || in[i] == ' ')
			continue;
		if (in[i] < '0' || in[i] > '9')
			return -1;
		n++;
	}
	if (n != 4 && n != 6 && n != 8 && n != 10)
		return -1;
	for (i = 0; i < len; i++)
		if (in[i] != '.' && in[i] != ' ')
			buf_addc(canon, in[i]);
	return 0;
}

/* Read H:MM or HH:MM (hours 0 to maxh) into minutes; -1 if not one. */
static int
schema_pattern_hhmm(const char *in, size_t len, int maxh)
{
	const char	*colon = memchr(in, ':', len);
	size_t		 hl;
	int		 h, m;

	if (colon == NULL || (hl = (size_t)(colon - in)) < 1 || hl > 2 ||
	    len - hl - 1 != 2)
		return -1;
	h = schema_pattern_digits(in, hl);
	m = schema_pattern_digits(colon + 1, 2);
	if (h < 0 || m < 0 || h > maxh || m > 59)
		return -1;
	return h * 60 + m;
}

/* time: a time of day, HH:MM from 00:00 to 23:59 (H:MM is taken too). */
static int
schema_pattern_time(const char *in, size_t len, struct buf *canon)
{
	int	t = schema_pattern_hhmm(in, len, 23);

	if (t < 0)
		return -1;
	buf_addf(canon, "%02d:%02d", t / 60, t % 60);
	return 0;
}

/*
 * utc-offset: +HH:MM or -HH:MM from -12:00 to +14:00, minutes 00, 30 or
 * 45 (the offsets in use); -00:00 is +00:00.
 */
static int
schema_pattern_utc(const char *in, size_t len, struct buf *canon)
{
	int	t;

	if (len < 1 || (in[0] != '+' && in[0] != '-') ||
	    (t = schema_pattern_hhmm(in + 1, len - 1, 14)) < 0)
		return -1;
	if (t % 60 != 0 && t % 60 != 30 && t % 60 != 45)
		return -1;
	if ((in[0] == '-' && t > 12 * 60) || t > 14 * 60)
		return -1;
	buf_addf(canon, "%c%02d:%02d", in[0] == '-' && t != 0 ? '-' : '+',
	    t / 60, t % 60);
	return 0;
}

/* Each shape: its name, its longest value, what it is, its reader. */
static const struct schema_pattern_rule {
	enum schema_pattern	 pattern;
	const char		*name;
	unsigned		 max;		/* characters, canonical */
	const char		*what;
	int			(*canon)(const char *, size_t, struct buf *);
} schema_pattern_rules[] = {
	{ SCHEMA_PATTERN_HS, "hs", 10,
	  N_("an HS code (4, 6, 8 or 10 digits)"), schema_pattern_hs },
	{ SCHEMA_PATTERN_TIME, "time", 5,
	  N_("a time HH:MM from 00:00 to 23:59"), schema_pattern_time },
	{ SCHEMA_PATTERN_UTC_OFFSET, "utc-offset", 6,
	  N_("a UTC offset +HH:MM or -HH:MM from -12:00 to +14:00 "
	  "(minutes 00, 30 or 45)"), schema_pattern_utc },
};

#define SCHEMA_PATTERN_NRULES \
	(sizeof schema_pattern_rules / sizeof schema_pattern_rules[0])

/* The row of a shape, or NULL. */
static const struct schema_pattern_rule *
schema_pattern_rule(enum schema_pattern pattern)
{
	size_t	k;

	for (k = 0; k < SCHEMA_PATTERN_NRULES; k++)
		if (schema_pattern_rules[k].pattern == pattern)
			return &schema_pattern_rules[k];
	return NULL;
}

/* The name of a shape as form files write it, NULL for none. */
const char *
schema_pattern_name(enum schema_pattern pattern)
{
	const struct schema_pattern_rule	*r = schema_pattern_rule(pattern);

	return r != NULL ? r->name : NULL;
}

/* Find a shape by the len bytes of its name: 0, or -1 if there is none. */
int
schema_pattern_lookup(const char *s, size_t len, enum schema_pattern *out)
{
	size_t	k;

	for (k = 0; k < SCHEMA_PATTERN_NRULES; k++) {
		if (strlen(schema_pattern_rules[k].name) == len &&
		    memcmp(schema_pattern_rules[k].name, s, len) == 0) {
			*out = schema_pattern_rules[k].pattern;
			return 0;
		}
	}
	return -1;
}

/* The most characters a shape's canonical value has (0 for none). */
unsigned
schema_pattern_max(enum schema_pattern pattern)
{
	const struct schema_pattern_rule	*r = schema_pattern_rule(pattern);

	return r != NULL ? r->max : 0;
}

/*
 * The shape of a field's value: typed text (trimmed, len bytes) becomes
 * the canonical value in canon, or is refused with "expected ...,
 * found ..." in reason.  Fields without a pattern pass as they are.
 */
int
schema_pattern_shape(const struct schema_field *f, const char *in,
    size_t len, struct buf *canon, struct buf *reason)
{
	const struct schema_pattern_rule	*r = schema_pattern_rule(
						    f->pattern);
	struct buf				 v = BUF_INIT;

	if (r == NULL) {
		buf_add(canon, in, len);
		return NCEN_OK;
	}
	if (r->canon(in, len, &v) != 0) {
		if (reason != NULL) {
			struct buf	found = BUF_INIT;

			buf_add_quoted(&found, in, len,
			    SCHEMA_PATTERN_QUOTEMAX);
			buf_addf(reason, _("expected %s, found %s"),
			    _(r->what), buf_cstr(&found));
			buf_free(&found);
		}
		buf_free(&v);
		return NCEN_EINVALID;
	}
	buf_add(canon, v.s, v.len);
	buf_free(&v);
	return NCEN_OK;
}

/*
 * Whether a stored value fits its field's pattern exactly (it is the
 * canonical value of its shape); 1 for a field without a pattern.
 */
int
schema_pattern_fits(const struct schema_field *f, const char *value)
{
	struct buf	canon = BUF_INIT;
	size_t		len;
	int		fits;

	if (f->pattern == SCHEMA_PATTERN_NONE)
		return 1;
	if (value == NULL)
		return 0;
	len = strlen(value);
	fits = schema_pattern_shape(f, value, len, &canon, NULL) == NCEN_OK &&
	    canon.len == len && memcmp(canon.s, value, len) == 0;
	buf_free(&canon);
	return fits;
}
