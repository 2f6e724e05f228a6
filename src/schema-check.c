/*
 * schema-check.c - the public identifiers a field may name with
 * `check NAME`: IMO ship numbers, ISO 6346 container numbers and ISO
 * 3779 vehicle identification numbers.
 *
 * Each rule has a row in one table: its name in form files, the shape
 * a value must have (a refusal, through schema_value_check) and, where
 * the standard has one, its check digit.  A wrong check digit is only a
 * warning: real documents carry typos, so a person may keep the value
 * with a reason, recorded with the record as the extra value
 * "check.FIELD.VALUE" (see validate.h).  Nothing here prints or exits.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "validate.h"
#include "xmalloc.h"

#define SCHEMA_CHECK_QUOTEMAX	40

/* The IMO number's check digit: the first six digits times 7..2, mod 10. */
static int
schema_check_imo_digit(const char *v)
{
	unsigned	sum = 0, i;

	for (i = 0; i < 6; i++)
		sum += (unsigned)(v[i] - '0') * (7 - i);
	return '0' + (int)(sum % 10);
}

/* ISO 6346 value of a character: digits as they are, A=10 skipping 11s. */
static unsigned
schema_check_iso6346_value(char c)
{
	unsigned	v = 10;
	char		l;

	if (c >= '0' && c <= '9')
		return (unsigned)(c - '0');
	for (l = 'A'; l < c; l++)
		if (++v % 11 == 0)
			v++;
	return v;
}

/* The container number's check digit: sum of value * 2^i, mod 11, mod 10. */
static int
schema_check_iso6346_digit(const char *v)
{
	unsigned	sum = 0, i;

	for (i = 0; i < 10; i++)
		sum += schema_check_iso6346_value(v[i]) << i;
	return '0' + (int)(sum % 11 % 10);
}

/* Whether c is one of the characters a pattern letter stands for. */
static int
schema_check_class(char pat, char c)
{
	switch (pat) {
	case '9':
		return c >= '0' && c <= '9';
	case 'A':
		return c >= 'A' && c <= 'Z';
	case 'C':	/* ISO 6346 equipment category */
		return c == 'U' || c == 'J' || c == 'Z';
	case 'V':	/* ISO 3779: no I, O or Q */
		return ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) &&
		    c != 'I' && c != 'O' && c != 'Q';
	}
	return 0;
}

/* Each rule: its name, its shape as a pattern, what it is, its digit. */
static const struct schema_check_rule {
	enum schema_check	 check;
	const char		*name;
	const char		*pattern;	/* of the canonical value */
	const char		*skip;		/* dropped from typed text */
	const char		*prefix;	/* may be typed first, dropped */
	const char		*what;		/* "an IMO number (...)" */
	const char		*noun;		/* in warnings */
	int			(*digit)(const char *);	/* of the last */
} schema_check_rules[] = {
	{ SCHEMA_CHECK_IMO, "imo", "9999999", " ", "IMO",
	  "an IMO number (seven digits, the last a check digit)",
	  "IMO number", schema_check_imo_digit },
	{ SCHEMA_CHECK_ISO6346, "iso6346", "AAAC9999999", " -", NULL,
	  "a container number (ISO 6346: four letters, the fourth U, J or "
	  "Z, then six digits and a check digit)",
	  "container number", schema_check_iso6346_digit },
	{ SCHEMA_CHECK_VIN, "vin", "VVVVVVVVVVVVVVVVV", NULL, NULL,
	  "a vehicle identification number (ISO 3779: seventeen letters and "
	  "digits, no I, O or Q)", "VIN", NULL },
};

#define SCHEMA_CHECK_NRULES \
	(sizeof schema_check_rules / sizeof schema_check_rules[0])

/* The row of a rule, or NULL. */
static const struct schema_check_rule *
schema_check_rule(enum schema_check check)
{
	size_t	k;

	for (k = 0; k < SCHEMA_CHECK_NRULES; k++)
		if (schema_check_rules[k].check == check)
			return &schema_check_rules[k];
	return NULL;
}

/* The name of a rule as form files write it, NULL for none. */
const char *
schema_check_name(enum schema_check check)
{
	const struct schema_check_rule	*r = schema_check_rule(check);

	return r != NULL ? r->name : NULL;
}

/* Find a rule by the len bytes of its name: 0, or -1 if there is none. */
int
schema_check_lookup(const char *s, size_t len, enum schema_check *out)
{
	size_t	k;

	for (k = 0; k < SCHEMA_CHECK_NRULES; k++) {
		if (strlen(schema_check_rules[k].name) == len &&
		    memcmp(schema_check_rules[k].name, s, len) == 0) {
			*out = schema_check_rules[k].check;
			return 0;
		}
	}
	return -1;
}

/*
 * The shape of a field's identifier: typed text (trimmed, len bytes)
 * becomes the canonical value in canon (upper case, without the spaces
 * or hyphens people type between groups), or is refused with
 * "expected ..., found ..." in reason.  Fields without a rule pass as
 * they are.
 */
int
schema_check_shape(const struct schema_field *f, const char *in, size_t len,
    struct buf *canon, struct buf *reason)
{
	const struct schema_check_rule	*r = schema_check_rule(f->check);
	struct buf			 v = BUF_INIT;
	const char			*typed = in;
	size_t				 i, plen, typedlen = len;
	char				 c;
	int				 ok;

	if (r == NULL) {
		buf_add(canon, in, len);
		return NCEN_OK;
	}
	if (r->prefix != NULL && len >= (plen = strlen(r->prefix)) &&
	    strncasecmp(in, r->prefix, plen) == 0) {
		in += plen;
		len -= plen;
	}
	for (i = 0; i < len; i++) {
		c = in[i];
		if (r->skip != NULL && c != '\0' && strchr(r->skip, c) != NULL)
			continue;
		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		buf_addc(&v, c);
	}
	ok = v.len == strlen(r->pattern);
	for (i = 0; ok && i < v.len; i++)
		ok = schema_check_class(r->pattern[i], v.s[i]);
	if (!ok) {
		if (reason != NULL) {
			buf_addf(reason, "expected %s, found ", r->what);
			buf_add_quoted(reason, typed, typedlen,
			    SCHEMA_CHECK_QUOTEMAX);
		}
		buf_free(&v);
		return NCEN_EINVALID;
	}
	buf_add(canon, v.s, v.len);
	buf_free(&v);
	return NCEN_OK;
}

/*
 * The check digit of an identifier's characters before it (body holds
 * at least those: six digits, or ten characters of a container
 * number); '\0' for a rule without a check digit.
 */
char
schema_check_compute(enum schema_check check, const char *body)
{
	const struct schema_check_rule	*r = schema_check_rule(check);

	return r != NULL && r->digit != NULL ? (char)r->digit(body) : '\0';
}

/* 1 with the right digit in *want when a value's check digit is wrong. */
int
schema_check_digit(const struct schema_field *f, const char *value,
    char *want)
{
	const struct schema_check_rule	*r = schema_check_rule(f->check);
	size_t				 i, n;
	int				 d;

	if (r == NULL || r->digit == NULL || value == NULL ||
	    (n = strlen(value)) != strlen(r->pattern))
		return 0;
	for (i = 0; i < n; i++)
		if (!schema_check_class(r->pattern[i], value[i]))
			return 0;
	if ((d = r->digit(value)) == value[n - 1])
		return 0;
	if (want != NULL)
		*want = (char)d;
	return 1;
}

/* Append "the check digit of IMO number 9074728 should be 9, not 8". */
void
schema_check_warning(const struct schema_field *f, const char *value,
    char want, struct buf *b)
{
	const struct schema_check_rule	*r = schema_check_rule(f->check);
	size_t				 n = strlen(value);

	buf_addf(b, "the check digit of %s %s should be %c, not %c",
	    r != NULL ? r->noun : "value", value, want,
	    n > 0 ? value[n - 1] : '?');
}

/* The extra's name of a value's override: "check.FIELD.VALUE". */
static void
schema_check_extra_name(struct buf *b, const char *field, const char *value)
{
	buf_reset(b);
	buf_addf(b, "%s%s.%s", SCHEMA_CHECK_EXTRA, field, value);
}

/* Append each unoverridden wrong check digit as "FIELD: warning\n". */
size_t
schema_check_record(const struct record *rec, struct buf *warnings)
{
	const struct schema_field	*f;
	size_t				 i, j, n = 0;
	const char			*v;
	char				 want;

	if (rec == NULL || rec->form == NULL || rec->fields == NULL)
		return 0;
	for (i = 0; i < rec->form->nfields; i++) {
		f = &rec->form->fields[i];
		if (f->check == SCHEMA_CHECK_NONE)
			continue;
		for (j = 0; j < rec->fields[i].n; j++) {
			v = rec->fields[i].v[j];
			if (!schema_check_digit(f, v, &want) ||
			    schema_check_override(rec, f->name, v) != NULL)
				continue;
			n++;
			if (warnings == NULL)
				continue;
			buf_addf(warnings, "%s: ", f->name);
			schema_check_warning(f, v, want, warnings);
			buf_addc(warnings, '\n');
		}
	}
	return n;
}

/* The reason a value was kept with a wrong check digit, or NULL. */
const char *
schema_check_override(const struct record *rec, const char *field,
    const char *value)
{
	struct buf	name = BUF_INIT;
	const char	*reason = NULL;
	size_t		 i;

	schema_check_extra_name(&name, field, value);
	for (i = 0; i < rec->nextra; i++)
		if (strcmp(rec->extra[i].name, name.s) == 0) {
			reason = rec->extra[i].value;
			break;
		}
	buf_free(&name);
	return reason;
}

/* Remove extra i of a record, keeping the others in order. */
static void
schema_check_extra_del(struct record *rec, size_t i)
{
	free(rec->extra[i].name);
	free(rec->extra[i].value);
	memmove(&rec->extra[i], &rec->extra[i + 1],
	    (rec->nextra - i - 1) * sizeof *rec->extra);
	rec->nextra--;
}

/* Set (or with a NULL or empty reason remove) a value's override. */
void
schema_check_override_set(struct record *rec, const char *field,
    const char *value, const char *reason)
{
	struct buf	name = BUF_INIT;
	size_t		i;

	schema_check_extra_name(&name, field, value);
	for (i = 0; i < rec->nextra; i++)
		if (strcmp(rec->extra[i].name, name.s) == 0)
			break;
	if (reason == NULL || *reason == '\0') {
		if (i < rec->nextra)
			schema_check_extra_del(rec, i);
	} else if (i < rec->nextra) {
		free(rec->extra[i].value);
		rec->extra[i].value = xstrdup(reason);
	} else {
		rec->extra = xreallocarray(rec->extra, rec->nextra + 1,
		    sizeof *rec->extra);
		rec->extra[rec->nextra].name = xstrdup(name.s);
		rec->extra[rec->nextra].value = xstrdup(reason);
		rec->nextra++;
	}
	buf_free(&name);
}

/* Whether extra name "check.FIELD.VALUE" still applies to the record. */
static int
schema_check_applies(const struct record *rec, const char *name)
{
	const struct schema_field	*f;
	const char			*p = name + strlen(SCHEMA_CHECK_EXTRA);
	const char			*dot = strchr(p, '.');
	size_t				 i, j;

	if (dot == NULL)
		return 0;
	for (i = 0; i < rec->form->nfields; i++) {
		f = &rec->form->fields[i];
		if (strlen(f->name) != (size_t)(dot - p) ||
		    memcmp(f->name, p, (size_t)(dot - p)) != 0)
			continue;
		for (j = 0; j < rec->fields[i].n; j++)
			if (strcmp(rec->fields[i].v[j], dot + 1) == 0)
				return 1;
	}
	return 0;
}

/*
 * Drop overrides of values the record no longer holds.  An override of
 * a value whose digit is right (a form without the check, a partner's
 * record) is kept: it is what was recorded.
 */
void
schema_check_prune(struct record *rec)
{
	size_t	i = 0;

	if (rec == NULL || rec->form == NULL || rec->fields == NULL)
		return;
	while (i < rec->nextra) {
		if (strncmp(rec->extra[i].name, SCHEMA_CHECK_EXTRA,
		    strlen(SCHEMA_CHECK_EXTRA)) == 0 &&
		    !schema_check_applies(rec, rec->extra[i].name))
			schema_check_extra_del(rec, i);
		else
			i++;
	}
}

/* Give a record the overrides of another (the edit's): only those. */
void
schema_check_take(struct record *to, const struct record *from)
{
	size_t	i, plen = strlen(SCHEMA_CHECK_EXTRA);

	for (i = to->nextra; i-- > 0;)
		if (strncmp(to->extra[i].name, SCHEMA_CHECK_EXTRA, plen) == 0)
			schema_check_extra_del(to, i);
	for (i = 0; i < from->nextra; i++) {
		if (strncmp(from->extra[i].name, SCHEMA_CHECK_EXTRA, plen) != 0)
			continue;
		to->extra = xreallocarray(to->extra, to->nextra + 1,
		    sizeof *to->extra);
		to->extra[to->nextra].name = xstrdup(from->extra[i].name);
		to->extra[to->nextra].value = xstrdup(from->extra[i].value);
		to->nextra++;
	}
	schema_check_prune(to);
}
