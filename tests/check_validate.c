/*
 * check_validate.c - values and records against their form: canonical
 * values per type, whole records in draft and submit modes, references
 * through a callback, UTF-8, and index keys in natural order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "schema.h"
#include "testlib.h"
#include "validate.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static struct schema		*schema;
static const struct schema_form	*item;

/* Load tests/fixtures/forms/validate once per test. */
static void
setup(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir = test_path("tests/fixtures/forms/validate");

	if (schema_load_dir(dir, &schema, &err) != NCEN_OK)
		ck_abort_msg("%s", ncen_err_msg(&err));
	item = schema_form_find(schema, "item");
	ck_assert_ptr_nonnull(item);
	free(dir);
}

/* Release the schema. */
static void
teardown(void)
{
	schema_free(schema);
	schema = NULL;
	item = NULL;
}

/* A field of the item form. */
static const struct schema_field *
field(const char *name)
{
	const struct schema_field	*f = schema_field_find(item, name);

	ck_assert_msg(f != NULL, "no field %s", name);
	return f;
}

/* One typed value: the field, the input, and the canonical text or reason. */
struct value_case {
	const char	*field;
	const char	*in;
	int		 ok;
	const char	*out;		/* canonical when ok, else the reason */
};

#define GOOD(f, in, out)	{ f, in, 1, out }
#define BAD(f, in, why)		{ f, in, 0, why }

/* Each type, good and bad, one row per behaviour. */
static const struct value_case value_cases[] = {
	/* text(n): characters, not bytes; UTF-8 and controls checked. */
	GOOD("name", "abcde", "abcde"),
	GOOD("name", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"),
	GOOD("name", "  ab  ", "ab"),
	GOOD("name", "", ""),
	GOOD("notes", "line one\nline two\tend", "line one\nline two\tend"),
	BAD("name", "abcdef", "expected at most 5 characters, found 6"),
	BAD("name", "ab\xff", "expected UTF-8 text, found the invalid byte "
	    "0xff at byte 2"),
	BAD("name", "ab\xc3", "expected UTF-8 text, found the invalid byte "
	    "0xc3 at byte 2"),
	BAD("notes", "a\x1b[2J", "expected text, found the control character "
	    "0x1b at byte 1"),
	/* integer */
	GOOD("count", "-5", "-5"),
	GOOD("count", "007", "7"),
	GOOD("count", "-0", "0"),
	GOOD("count", " 42 ", "42"),
	GOOD("count", "9223372036854775807", "9223372036854775807"),
	GOOD("count", "-9223372036854775808", "-9223372036854775808"),
	BAD("count", "+5", "expected a whole number (digits, with '-' if "
	    "negative), found '+5'"),
	BAD("count", "12a", "expected a whole number (digits, with '-' if "
	    "negative), found '12a'"),
	BAD("count", "1.5", "expected a whole number (digits, with '-' if "
	    "negative), found '1.5'"),
	BAD("count", "-", "expected a whole number (digits, with '-' if "
	    "negative), found '-'"),
	BAD("count", "9223372036854775808", "expected a whole number from "
	    "-9223372036854775808 to 9223372036854775807, found "
	    "'9223372036854775808'"),
	BAD("count", "", "expected a value of type integer, found nothing"),
	BAD("count", "   ", "expected a value of type integer, found nothing"),
	/* decimal(9,3) */
	GOOD("amount", "12.5", "12.500"),
	GOOD("amount", "-3", "-3.000"),
	GOOD("amount", "1,5", "1.500"),
	GOOD("amount", "12.5000", "12.500"),
	GOOD("amount", ".5", "0.500"),
	GOOD("amount", "-0.000", "0.000"),
	GOOD("amount", "000123.5", "123.500"),
	GOOD("amount", "-123456.789", "-123456.789"),
	BAD("amount", "1234567", "expected at most 6 digits before the "
	    "decimal point, found '1234567'"),
	BAD("amount", "1.2345", "expected at most 3 digits after the decimal "
	    "point, found '1.2345'"),
	BAD("amount", "1.2.3", "expected a number like -12.5, found '1.2.3'"),
	BAD("amount", "1e3", "expected a number like -12.5, found '1e3'"),
	BAD("amount", "1234567x", "expected a number like -12.5, found "
	    "'1234567x'"),
	/* date: the calendar, leap years included */
	GOOD("day", "2024-02-29", "2024-02-29"),
	GOOD("day", "2000-02-29", "2000-02-29"),
	GOOD("day", "2026-12-31", "2026-12-31"),
	BAD("day", "2023-02-29", "expected a day from 01 to 28 in 2023-02, "
	    "found '29'"),
	BAD("day", "1900-02-29", "expected a day from 01 to 28 in 1900-02, "
	    "found '29'"),
	BAD("day", "2024-04-31", "expected a day from 01 to 30 in 2024-04, "
	    "found '31'"),
	BAD("day", "2024-13-01", "expected a month from 01 to 12, found '13'"),
	BAD("day", "0000-01-01", "expected a year from 0001 to 9999, found "
	    "'0000'"),
	BAD("day", "2024-1-1", "expected a date YYYY-MM-DD, found '2024-1-1'"),
	BAD("day", "27/11/2026", "expected a date YYYY-MM-DD, found "
	    "'27/11/2026'"),
	/* datetime */
	GOOD("moment", "2026-11-27T14:05", "2026-11-27T14:05"),
	GOOD("moment", "2026-11-27 14:05:00", "2026-11-27T14:05"),
	GOOD("moment", "2026-11-27T14:05:30", "2026-11-27T14:05:30"),
	BAD("moment", "2026-11-27T24:00", "expected an hour from 00 to 23, "
	    "found '24'"),
	BAD("moment", "2026-11-27T14:60", "expected a minute from 00 to 59, "
	    "found '60'"),
	BAD("moment", "2026-11-27T14:05:60", "expected a second from 00 to 59, "
	    "found '60'"),
	BAD("moment", "2026-02-30T10:00", "expected a day from 01 to 28 in "
	    "2026-02, found '30'"),
	BAD("moment", "2026-11-27", "expected a date and time "
	    "YYYY-MM-DDTHH:MM[:SS], found '2026-11-27'"),
	/* code: as a code, or by its English or French label */
	GOOD("unit", "KGM", "KGM"),
	GOOD("unit", "Kilogram", "KGM"),
	GOOD("unit", "gramme", "GRM"),
	GOOD("unit", "Pi\xc3\xa8" "ce", "H87"),
	GOOD("unit", "kgm", "KGM"),
	BAD("unit", "Unit", "expected a code or a label of one code of list "
	    "'unit' (this one names 2 codes), found 'Unit'"),
	BAD("unit", "Kilo", "expected a code or label of list 'unit', found "
	    "'Kilo'"),
	/* ref: a positive id */
	GOOD("owner", "12", "12"),
	GOOD("owner", "0012", "12"),
	GOOD("owner", "18446744073709551615", "18446744073709551615"),
	BAD("owner", "0", "expected a record id (a whole number from 1), "
	    "found '0'"),
	BAD("owner", "-1", "expected a record id (a whole number from 1), "
	    "found '-1'"),
	BAD("owner", "18446744073709551616", "expected a record id (a whole "
	    "number from 1), found '18446744073709551616'"),
	/* check imo|iso6346|vin: the shape is a refusal (the digit is not). */
	GOOD("imo", "9074729", "9074729"),
	GOOD("imo", "IMO 9176187", "9176187"),
	GOOD("imo", "imo9321483", "9321483"),
	GOOD("imo", "9074728", "9074728"),	/* wrong digit: a warning */
	BAD("imo", "907472", "expected an IMO number (seven digits, the last "
	    "a check digit), found '907472'"),
	BAD("imo", "90747290", "expected an IMO number (seven digits, the "
	    "last a check digit), found '90747290'"),
	BAD("imo", "9O74729", "expected an IMO number (seven digits, the last "
	    "a check digit), found '9O74729'"),
	GOOD("box", "CSQU3054383", "CSQU3054383"),
	GOOD("box", "csqu 305438-3", "CSQU3054383"),
	GOOD("box", "MSKU9070324", "MSKU9070324"),	/* wrong digit */
	BAD("box", "CSQX3054383", "expected a container number (ISO 6346: "
	    "four letters, the fourth U, J or Z, then six digits and a check "
	    "digit), found 'CSQX3054383'"),
	BAD("box", "CSQU305438", "expected a container number (ISO 6346: "
	    "four letters, the fourth U, J or Z, then six digits and a check "
	    "digit), found 'CSQU305438'"),
	BAD("box", "C5QU3054383", "expected a container number (ISO 6346: "
	    "four letters, the fourth U, J or Z, then six digits and a check "
	    "digit), found 'C5QU3054383'"),
	GOOD("vin", "1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),
	GOOD("vin", "wvwzzz1jzxw000001", "WVWZZZ1JZXW000001"),
	BAD("vin", "1M8GDM9AXKP04278O", "expected a vehicle identification "
	    "number (ISO 3779: seventeen letters and digits, no I, O or Q), "
	    "found '1M8GDM9AXKP04278O'"),
	BAD("vin", "1M8GDM9AXKP04278", "expected a vehicle identification "
	    "number (ISO 3779: seventeen letters and digits, no I, O or Q), "
	    "found '1M8GDM9AXKP04278'"),
	BAD("vin", "1M8GDM9AXKP0427-8", "expected a vehicle identification "
	    "number (ISO 3779: seventeen letters and digits, no I, O or Q), "
	    "found '1M8GDM9AXKP0427-8'"),
	/* pattern hs|time|utc-offset: a strict shape, a refusal. */
	GOOD("hs", "0901", "0901"),
	GOOD("hs", "0901.21", "090121"),
	GOOD("hs", " 0901 21 00 ", "09012100"),
	GOOD("hs", "0901.21.00.10", "0901210010"),
	BAD("hs", "090", "expected an HS code (4, 6, 8 or 10 digits), found "
	    "'090'"),
	BAD("hs", "09012", "expected an HS code (4, 6, 8 or 10 digits), found "
	    "'09012'"),
	BAD("hs", "Jean Dupont", "expected an HS code (4, 6, 8 or 10 "
	    "digits), found 'Jean Dupont'"),
	BAD("hs", "0901-21", "expected an HS code (4, 6, 8 or 10 digits), "
	    "found '0901-21'"),
	GOOD("at", "14:05", "14:05"),
	GOOD("at", "9:30", "09:30"),
	GOOD("at", "00:00", "00:00"),
	GOOD("at", "23:59", "23:59"),
	BAD("at", "24:00", "expected a time HH:MM from 00:00 to 23:59, found "
	    "'24:00'"),
	BAD("at", "12:60", "expected a time HH:MM from 00:00 to 23:59, found "
	    "'12:60'"),
	BAD("at", "9h30", "expected a time HH:MM from 00:00 to 23:59, found "
	    "'9h30'"),
	BAD("at", "1230", "expected a time HH:MM from 00:00 to 23:59, found "
	    "'1230'"),
	BAD("at", ":30", "expected a time HH:MM from 00:00 to 23:59, found "
	    "':30'"),
	GOOD("tz", "+01:00", "+01:00"),
	GOOD("tz", "+5:30", "+05:30"),
	GOOD("tz", "-12:00", "-12:00"),
	GOOD("tz", "+14:00", "+14:00"),
	GOOD("tz", "+05:45", "+05:45"),
	GOOD("tz", "-00:00", "+00:00"),
	BAD("tz", "-12:30", "expected a UTC offset +HH:MM or -HH:MM from "
	    "-12:00 to +14:00 (minutes 00, 30 or 45), found '-12:30'"),
	BAD("tz", "+14:30", "expected a UTC offset +HH:MM or -HH:MM from "
	    "-12:00 to +14:00 (minutes 00, 30 or 45), found '+14:30'"),
	BAD("tz", "+01:10", "expected a UTC offset +HH:MM or -HH:MM from "
	    "-12:00 to +14:00 (minutes 00, 30 or 45), found '+01:10'"),
	BAD("tz", "01:00", "expected a UTC offset +HH:MM or -HH:MM from "
	    "-12:00 to +14:00 (minutes 00, 30 or 45), found '01:00'"),
	BAD("tz", "CET", "expected a UTC offset +HH:MM or -HH:MM from "
	    "-12:00 to +14:00 (minutes 00, 30 or 45), found 'CET'"),
};

/* Each row of value_cases gives its canonical text or its reason. */
START_TEST(test_value)
{
	const struct value_case	*c = &value_cases[_i];
	struct buf		 canon = BUF_INIT, reason = BUF_INIT;
	int			 r;

	r = schema_value_check(schema, field(c->field), c->in, &canon,
	    &reason);
	if (c->ok) {
		ck_assert_msg(r == NCEN_OK, "%s '%s': %s", c->field, c->in,
		    buf_cstr(&reason));
		ck_assert_msg(strcmp(buf_cstr(&canon), c->out) == 0,
		    "%s '%s': got '%s', want '%s'", c->field, c->in,
		    buf_cstr(&canon), c->out);
	} else {
		ck_assert_msg(r == NCEN_EINVALID, "%s '%s' accepted as '%s'",
		    c->field, c->in, buf_cstr(&canon));
		ck_assert_msg(strcmp(buf_cstr(&reason), c->out) == 0,
		    "%s '%s':\n got  %s\n want %s", c->field, c->in,
		    buf_cstr(&reason), c->out);
	}
	buf_free(&canon);
	buf_free(&reason);
}
END_TEST

/* A code field whose list is not loaded says so. */
START_TEST(test_value_list_missing)
{
	struct schema_field	f = *field("unit");
	struct buf		reason = BUF_INIT;
	char			nope[] = "nope";

	f.target = nope;
	ck_assert_int_eq(schema_value_check(schema, &f, "KGM", NULL, &reason),
	    NCEN_EINVALID);
	ck_assert_str_eq(reason.s, "expected a loaded code list 'nope', "
	    "found none");
	buf_free(&reason);
}
END_TEST

/* The reasons buffer is emptied first, and NULL buffers are fine. */
START_TEST(test_value_buffers)
{
	struct buf	canon = BUF_INIT, reason = BUF_INIT;

	buf_adds(&canon, "old");
	buf_adds(&reason, "old");
	ck_assert_int_eq(schema_value_check(schema, field("count"), "3",
	    &canon, &reason), NCEN_OK);
	ck_assert_str_eq(canon.s, "3");
	ck_assert_str_eq(buf_cstr(&reason), "");
	ck_assert_int_eq(schema_value_check(schema, field("count"), "x", NULL,
	    NULL), NCEN_EINVALID);
	ck_assert_int_eq(schema_value_check(schema, field("count"), NULL,
	    &canon, NULL), NCEN_EINVALID);
	buf_free(&canon);
	buf_free(&reason);
}
END_TEST

/* UTF-8: characters counted, the first bad byte's offset given. */
START_TEST(test_utf8)
{
	static const struct {
		const char	*s;
		int		 ok;
		size_t		 n;	/* characters, or the bad offset */
	} cases[] = {
		{ "", 1, 0 },
		{ "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 1, 4 },
		{ "\xc0\xaf", 0, 0 },			/* overlong '/' */
		{ "\xe0\x80\xaf", 0, 0 },		/* overlong, 3 bytes */
		{ "ab\xed\xa0\x80", 0, 2 },		/* a surrogate */
		{ "\xf4\x90\x80\x80", 0, 0 },		/* past U+10FFFF */
		{ "abc\xe2\x82", 0, 3 },		/* cut short */
		{ "x\x80", 0, 1 },			/* lone continuation */
		{ "\xf5\x80\x80\x80", 0, 0 },
		{ "\xef\xbf\xbf\xf4\x8f\xbf\xbf", 1, 2 },	/* the edges */
	};
	size_t	i, n;
	int	r;

	for (i = 0; i < NELEM(cases); i++) {
		n = 999;
		r = schema_utf8_check(cases[i].s, strlen(cases[i].s), &n);
		ck_assert_msg(r == (cases[i].ok ? NCEN_OK : NCEN_EINVALID),
		    "case %zu: %d", i, r);
		ck_assert_msg(n == cases[i].n, "case %zu: n %zu", i, n);
	}
	/* The length is respected: a bad byte past it is not seen. */
	ck_assert_int_eq(schema_utf8_check("ab\xff", 2, &n), NCEN_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(schema_utf8_check("ab\xff", 3, NULL), NCEN_EINVALID);
}
END_TEST

/* Build an item record by hand-picked field values. */
static struct record *
make_item(const char *const *pairs)
{
	struct record	*r = record_new(item);
	int		 i;

	for (; pairs != NULL && pairs[0] != NULL; pairs += 2) {
		i = schema_field_index(item, pairs[0]);
		ck_assert_msg(i >= 0, "no field %s", pairs[0]);
		record_add_value(r, (size_t)i, pairs[1]);
	}
	return r;
}

/* Validate a record; return the code and leave the problems in *out. */
static int
validate(const char *const *pairs, enum schema_mode mode, schema_ref_fn fn,
    void *arg, struct buf *out)
{
	struct record	*r = make_item(pairs);
	int		 code;

	buf_reset(out);
	code = schema_validate(schema, r, mode, fn, arg, out);
	record_free(r);
	return code;
}

/* Required fields may be empty in a draft, not at submission. */
START_TEST(test_validate_required)
{
	const char	*empty[] = { "count", "3", NULL };
	const char	*blank[] = { "name", "", "day", "2026-11-27", NULL };
	const char	*full[] = { "name", "ab", "day", "2026-11-27", NULL };
	struct buf	 p = BUF_INIT;

	ck_assert_int_eq(validate(empty, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_OK);
	ck_assert_str_eq(buf_cstr(&p), "");
	ck_assert_int_eq(validate(empty, SCHEMA_SUBMIT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s,
	    "name: expected a value (the field is required), found none\n"
	    "day: expected a value (the field is required), found none\n");
	/* An empty value counts as no value. */
	ck_assert_int_eq(validate(blank, SCHEMA_SUBMIT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s,
	    "name: expected a value (the field is required), found none\n");
	ck_assert_int_eq(validate(full, SCHEMA_SUBMIT, NULL, NULL, &p),
	    NCEN_OK);
	buf_free(&p);
}
END_TEST

/* Several values only for repeated fields. */
START_TEST(test_validate_repeated)
{
	const char	*two[] = { "count", "1", "count", "2", NULL };
	const char	*units[] = { "unit", "KGM", "unit", "GRM", NULL };
	struct buf	 p = BUF_INIT;

	ck_assert_int_eq(validate(two, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s, "count: expected one value, found 2\n");
	ck_assert_int_eq(validate(units, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_OK);
	buf_free(&p);
}
END_TEST

/* Bad values are named by field (and by position in a repeated field). */
START_TEST(test_validate_values)
{
	const char	*bad[] = {
		"day", "2023-02-29",
		"notes", "fine", "notes", "bad\x01",
		"count", "x",
		NULL
	};
	struct buf	 p = BUF_INIT;

	ck_assert_int_eq(validate(bad, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s,
	    "count: expected a whole number (digits, with '-' if negative), "
	    "found 'x'\n"
	    "day: expected a day from 01 to 28 in 2023-02, found '29'\n"
	    "notes: value 2: expected text, found the control character 0x01 "
	    "at byte 3\n");
	buf_free(&p);
}
END_TEST

/* Stored values must be canonical: a label or "12.5" is refused. */
START_TEST(test_validate_canonical)
{
	const char	*typed[] = { "amount", "12.5", "unit", "Kilogram", NULL };
	const char	*stored[] = { "amount", "12.500", "unit", "KGM", NULL };
	struct buf	 p = BUF_INIT;

	ck_assert_int_eq(validate(typed, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s,
	    "amount: expected the stored form '12.500', found '12.5'\n"
	    "unit: expected the stored form 'KGM', found 'Kilogram'\n");
	ck_assert_int_eq(validate(stored, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_OK);
	buf_free(&p);
}
END_TEST

/*
 * A value that does not fit its pattern is refused by name in a draft
 * or at submission, but kept as it is when a record is read back
 * (SCHEMA_STORED, schema_value_stored): a record made before the field
 * had its pattern still loads.  schema_pattern_fits() tells them apart.
 */
START_TEST(test_validate_pattern)
{
	const char	*old[] = { "hs", "0901.21", "at", "9h30", "tz", "CET",
			    NULL };
	const char	*good[] = { "hs", "090121", "at", "09:30", "tz",
			    "+01:00", NULL };
	struct buf	 p = BUF_INIT, canon = BUF_INIT;

	ck_assert_int_eq(validate(old, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s,
	    "hs: expected the stored form '090121', found '0901.21'\n"
	    "at: expected a time HH:MM from 00:00 to 23:59, found '9h30'\n"
	    "tz: expected a UTC offset +HH:MM or -HH:MM from -12:00 to "
	    "+14:00 (minutes 00, 30 or 45), found 'CET'\n");
	ck_assert_int_eq(validate(old, SCHEMA_SUBMIT, NULL, NULL, &p),
	    NCEN_EINVALID);
	ck_assert_int_eq(validate(old, SCHEMA_STORED, NULL, NULL, &p),
	    NCEN_OK);
	ck_assert_uint_eq(p.len, 0);
	ck_assert_int_eq(validate(good, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_OK);

	/* Read back, a value stays as it is, never reshaped. */
	ck_assert_int_eq(schema_value_stored(schema, field("at"), "9h30",
	    &canon, &p), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&canon), "9h30");
	ck_assert_int_eq(schema_value_stored(schema, field("hs"), "0901.21",
	    &canon, &p), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&canon), "0901.21");
	ck_assert_int_eq(schema_value_stored(schema, field("hs"), " 090121 ",
	    &canon, &p), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&canon), "090121");
	/* What the type refuses is refused all the same. */
	ck_assert_int_eq(schema_value_stored(schema, field("at"), "123456",
	    &canon, &p), NCEN_EINVALID);
	ck_assert_str_eq(buf_cstr(&p), "expected at most 5 characters, "
	    "found 6");

	ck_assert(schema_pattern_fits(field("at"), "09:30"));
	ck_assert(!schema_pattern_fits(field("at"), "9:30"));
	ck_assert(!schema_pattern_fits(field("at"), "9h30"));
	ck_assert(!schema_pattern_fits(field("hs"), "0901.21"));
	ck_assert(schema_pattern_fits(field("hs"), "090121"));
	ck_assert(!schema_pattern_fits(field("tz"), NULL));
	ck_assert(schema_pattern_fits(field("name"), "anything"));
	buf_free(&p);
	buf_free(&canon);
}
END_TEST

/* Pattern names both ways, and what the loader kept. */
START_TEST(test_pattern_names)
{
	enum schema_pattern	k = SCHEMA_PATTERN_NONE;

	ck_assert_int_eq(schema_pattern_lookup("utc-offset", 10, &k), 0);
	ck_assert_int_eq(k, SCHEMA_PATTERN_UTC_OFFSET);
	ck_assert_int_eq(schema_pattern_lookup("hs", 2, &k), 0);
	ck_assert_int_eq(k, SCHEMA_PATTERN_HS);
	ck_assert_int_eq(schema_pattern_lookup("time", 3, &k), -1);
	ck_assert_int_eq(schema_pattern_lookup("hours", 5, &k), -1);
	ck_assert_str_eq(schema_pattern_name(SCHEMA_PATTERN_TIME), "time");
	ck_assert_ptr_null(schema_pattern_name(SCHEMA_PATTERN_NONE));
	ck_assert_uint_eq(schema_pattern_max(SCHEMA_PATTERN_UTC_OFFSET), 6);
	ck_assert_int_eq(field("at")->pattern, SCHEMA_PATTERN_TIME);
	ck_assert_int_eq(field("tz")->pattern, SCHEMA_PATTERN_UTC_OFFSET);
	ck_assert_int_eq(field("name")->pattern, SCHEMA_PATTERN_NONE);
}
END_TEST

/* What the reference callback was asked, and what it answers. */
struct refs {
	int		 calls;
	char		*entity;
	uint64_t	 id;
	int		 fail;
};

/* Person records 1 to 99 exist; anything else does not. */
static int
refs_exist(const char *entity, uint64_t id, void *arg)
{
	struct refs	*r = arg;

	r->calls++;
	free(r->entity);
	r->entity = xstrdup(entity);
	r->id = id;
	if (r->fail)
		return -NCEN_EDB;
	return strcmp(entity, "person") == 0 && id >= 1 && id < 100;
}

/* References are checked through the callback, with the entity name. */
START_TEST(test_validate_refs)
{
	const char	*known[] = { "owner", "12", NULL };
	const char	*unknown[] = { "owner", "500", NULL };
	struct refs	 r;
	struct buf	 p = BUF_INIT;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(validate(known, SCHEMA_DRAFT, refs_exist, &r, &p),
	    NCEN_OK);
	ck_assert_int_eq(r.calls, 1);
	ck_assert_str_eq(r.entity, "person");
	ck_assert_uint_eq(r.id, 12);
	ck_assert_int_eq(validate(unknown, SCHEMA_DRAFT, refs_exist, &r, &p),
	    NCEN_EINVALID);
	ck_assert_str_eq(p.s, "owner: expected the id of a person record, "
	    "found 500 (no such record)\n");
	/* Without a callback only the shape is checked. */
	ck_assert_int_eq(validate(unknown, SCHEMA_DRAFT, NULL, NULL, &p),
	    NCEN_OK);
	/* A failing callback's error comes back as it is. */
	r.fail = 1;
	ck_assert_int_eq(validate(known, SCHEMA_DRAFT, refs_exist, &r, &p),
	    NCEN_EDB);
	free(r.entity);
	buf_free(&p);
}
END_TEST

/* A record without a form is a usage error. */
START_TEST(test_validate_no_form)
{
	struct record	r;
	struct buf	p = BUF_INIT;

	memset(&r, 0, sizeof r);
	ck_assert_int_eq(schema_validate(schema, &r, SCHEMA_SUBMIT, NULL, NULL,
	    &p), NCEN_EUSAGE);
	ck_assert_int_eq(schema_validate(schema, NULL, SCHEMA_SUBMIT, NULL,
	    NULL, NULL), NCEN_EUSAGE);
	buf_free(&p);
}
END_TEST

/* The index key of a stored value. */
static void
key(const char *fname, const char *v, struct buf *k)
{
	buf_reset(k);
	schema_index_key(field(fname), v, strlen(v), k);
}

/* Are the keys of these stored values in strictly increasing order? */
static void
assert_order(const char *fname, const char *const *v, size_t n)
{
	struct buf	a = BUF_INIT, b = BUF_INIT;
	size_t		i, m;
	int		c;

	for (i = 1; i < n; i++) {
		key(fname, v[i - 1], &a);
		key(fname, v[i], &b);
		m = a.len < b.len ? a.len : b.len;
		c = memcmp(a.s, b.s, m);
		ck_assert_msg(c < 0 || (c == 0 && a.len < b.len),
		    "%s: key of '%s' not below key of '%s'", fname, v[i - 1],
		    v[i]);
	}
	buf_free(&a);
	buf_free(&b);
}

/* Integers: 8 bytes, sign bit flipped, so -5 < 3 < 10. */
START_TEST(test_key_integer)
{
	const char	*v[] = { "-9223372036854775808", "-10", "-5", "0", "3",
	    "10", "9223372036854775807" };
	struct buf	 k = BUF_INIT;

	assert_order("count", v, NELEM(v));
	key("count", "3", &k);
	ck_assert_uint_eq(k.len, 8);
	ck_assert_mem_eq(k.s, "\x80\0\0\0\0\0\0\x03", 8);
	buf_free(&k);
}
END_TEST

/* Decimals: the value scaled to an integer, so 2.5 < 10.25. */
START_TEST(test_key_decimal)
{
	const char	*v[] = { "-10.250", "-1.500", "-1.250", "0.000",
	    "2.500", "10.250", "999999.999" };
	struct buf	 k = BUF_INIT;

	assert_order("amount", v, NELEM(v));
	key("amount", "2.500", &k);
	ck_assert_uint_eq(k.len, 8);
	ck_assert_mem_eq(k.s, "\x80\0\0\0\0\0\x09\xc4", 8);	/* 2500 */
	buf_free(&k);
}
END_TEST

/* Dates and datetimes: their ISO text, which sorts. */
START_TEST(test_key_dates)
{
	const char	*d[] = { "1999-12-31", "2024-02-29", "2026-11-27" };
	const char	*t[] = { "2026-11-27T09:00", "2026-11-27T14:05",
	    "2026-11-27T14:05:30", "2026-11-27T14:06" };
	struct buf	 k = BUF_INIT;

	assert_order("day", d, NELEM(d));
	assert_order("moment", t, NELEM(t));
	key("day", "2026-11-27", &k);
	ck_assert_str_eq(k.s, "2026-11-27");
	buf_free(&k);
}
END_TEST

/* References: the id as 8 big-endian bytes, so 2 < 10. */
START_TEST(test_key_ref)
{
	const char	*v[] = { "1", "2", "10", "300", "18446744073709551615" };
	struct buf	 k = BUF_INIT;

	assert_order("owner", v, NELEM(v));
	key("owner", "10", &k);
	ck_assert_uint_eq(k.len, 8);
	ck_assert_mem_eq(k.s, "\0\0\0\0\0\0\0\x0a", 8);
	buf_free(&k);
}
END_TEST

/* Text: ASCII folded to lower case, other bytes left alone. */
START_TEST(test_key_text)
{
	struct buf	a = BUF_INIT, b = BUF_INIT;

	key("name", "Smith", &a);
	key("name", "SMITH", &b);
	ck_assert_str_eq(a.s, "smith");
	ck_assert_str_eq(b.s, "smith");
	key("name", "\xc3\x89ric", &a);
	ck_assert_str_eq(a.s, "\xc3\x89ric");
	key("unit", "KGM", &a);
	ck_assert_str_eq(a.s, "KGM");
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* Keys read only len bytes of a value that is not NUL-terminated. */
START_TEST(test_key_len)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	char		*v = xmemdup("12345", 5);

	schema_index_key(field("count"), v, 2, &a);
	key("count", "12", &b);
	ck_assert_mem_eq(a.s, b.s, 8);
	buf_reset(&a);
	schema_index_key(field("name"), v, 5, &a);
	ck_assert_str_eq(a.s, "12345");
	free(v);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* A value typed for a lookup keys like the stored value it names. */
START_TEST(test_key_lookup)
{
	static const struct {
		const char	*field, *typed, *stored;
	} cases[] = {
		{ "count", " 007 ", "7" },
		{ "amount", "12,5", "12.500" },
		{ "unit", "kilogramme", "KGM" },
		{ "moment", "2026-11-27 14:05:00", "2026-11-27T14:05" },
		{ "owner", "0042", "42" },
		{ "name", "SMITH", "smith" },
	};
	struct buf	canon = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	size_t		i;

	for (i = 0; i < NELEM(cases); i++) {
		ck_assert_int_eq(schema_value_check(schema,
		    field(cases[i].field), cases[i].typed, &canon, NULL),
		    NCEN_OK);
		buf_reset(&a);
		schema_index_key(field(cases[i].field), canon.s, canon.len, &a);
		key(cases[i].field, cases[i].stored, &b);
		ck_assert_msg(a.len == b.len && memcmp(a.s, b.s, a.len) == 0,
		    "%s: '%s' keys unlike '%s'", cases[i].field,
		    cases[i].typed, cases[i].stored);
	}
	buf_free(&canon);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

/* One identifier and what its check digit should be (0: it is right). */
struct digit_case {
	const char	*field;
	const char	*value;
	char		 want;
};

/* Real numbers pass; one changed digit is caught, with the right one. */
static const struct digit_case digit_cases[] = {
	{ "imo", "9074729", 0 },
	{ "imo", "9176187", 0 },
	{ "imo", "9321483", 0 },	/* Emma Maersk */
	{ "imo", "9811000", 0 },	/* Ever Given */
	{ "imo", "9074728", '9' },
	{ "imo", "9321484", '3' },
	{ "imo", "1234560", '7' },	/* 7+12+15+16+15+12 = 77 */
	{ "box", "CSQU3054383", 0 },
	{ "box", "MSKU9070323", 0 },
	{ "box", "HLXU8097060", 0 },	/* sum mod 11 is 10: digit 0 */
	{ "box", "CSQU3054384", '3' },
	{ "box", "TCLU2765150", '2' },
	{ "box", "MSKU9070324", '3' },
	{ "vin", "1M8GDM9AXKP042788", 0 },	/* shape only: no digit */
	{ "vin", "1M8GDM9AXKP042789", 0 },
	{ "name", "12345", 0 },			/* no check at all */
	{ "imo", "907472", 0 },			/* not of the shape */
};

START_TEST(test_check_digit)
{
	const struct digit_case	*c = &digit_cases[_i];
	char			 want = 0;

	ck_assert_msg(schema_check_digit(field(c->field), c->value, &want) ==
	    (c->want != 0), "%s %s", c->field, c->value);
	ck_assert_int_eq(want, c->want);
}
END_TEST

/* The names of the rules, as form files write them. */
START_TEST(test_check_names)
{
	enum schema_check	k = SCHEMA_CHECK_NONE;

	ck_assert_int_eq(schema_check_lookup("iso6346", 7, &k), 0);
	ck_assert_int_eq(k, SCHEMA_CHECK_ISO6346);
	ck_assert_str_eq(schema_check_name(SCHEMA_CHECK_IMO), "imo");
	ck_assert_str_eq(schema_check_name(SCHEMA_CHECK_VIN), "vin");
	ck_assert_ptr_null(schema_check_name(SCHEMA_CHECK_NONE));
	ck_assert_int_eq(schema_check_lookup("iso", 3, &k), -1);
	ck_assert_int_eq(field("imo")->check, SCHEMA_CHECK_IMO);
	ck_assert_int_eq(field("name")->check, SCHEMA_CHECK_NONE);
}
END_TEST

/*
 * A wrong check digit is a warning, not a refusal: the record validates,
 * schema_check_record() names it until an override with a reason is
 * set for that value, and the override goes when the value does.
 */
START_TEST(test_check_record)
{
	struct record	*r = record_new(item);
	struct buf	 w = BUF_INIT, p = BUF_INIT;
	struct ncen_err	 e = NCEN_ERR_INIT;
	int		 bi = schema_field_index(item, "box");

	ck_assert_int_eq(record_set(r, "name", "a", &e), NCEN_OK);
	ck_assert_int_eq(record_set(r, "day", "2026-11-27", &e), NCEN_OK);
	ck_assert_int_eq(record_set(r, "imo", "9074728", &e), NCEN_OK);
	record_add_value(r, (size_t)bi, "CSQU3054383");
	record_add_value(r, (size_t)bi, "TCLU2765150");
	ck_assert_int_eq(schema_validate(schema, r, SCHEMA_SUBMIT, NULL, NULL,
	    &p), NCEN_OK);
	ck_assert_uint_eq(schema_check_record(r, &w), 2);
	ck_assert_str_eq(buf_cstr(&w), "imo: the check digit of IMO number "
	    "9074728 should be 9, not 8\nbox: the check digit of container "
	    "number TCLU2765150 should be 2, not 0\n");

	schema_check_override_set(r, "imo", "9074728", "as on the bill of "
	    "lading");
	ck_assert_str_eq(schema_check_override(r, "imo", "9074728"),
	    "as on the bill of lading");
	ck_assert_ptr_null(schema_check_override(r, "imo", "9074729"));
	buf_reset(&w);
	ck_assert_uint_eq(schema_check_record(r, &w), 1);
	ck_assert_str_eq(buf_cstr(&w), "box: the check digit of container "
	    "number TCLU2765150 should be 2, not 0\n");
	schema_check_override_set(r, "box", "TCLU2765150", "painted so");
	ck_assert_uint_eq(schema_check_record(r, NULL), 0);
	/* It is the record's: stored bytes carry it. */
	{
		struct buf	 enc = BUF_INIT;
		struct record	*d = NULL;

		record_encode(r, &enc);
		ck_assert_int_eq(record_decode(item, 1, enc.s, enc.len, &d,
		    &e), NCEN_OK);
		ck_assert_str_eq(schema_check_override(d, "box",
		    "TCLU2765150"), "painted so");
		ck_assert_uint_eq(schema_check_record(d, NULL), 0);
		record_free(d);
		buf_free(&enc);
	}
	/* Fixing the value leaves nothing to override: prune drops it. */
	ck_assert_int_eq(record_set(r, "imo", "9074729", &e), NCEN_OK);
	schema_check_prune(r);
	ck_assert_ptr_null(schema_check_override(r, "imo", "9074728"));
	ck_assert_str_eq(schema_check_override(r, "box", "TCLU2765150"),
	    "painted so");
	ck_assert_uint_eq(r->nextra, 1);
	/* An empty reason removes an override. */
	schema_check_override_set(r, "box", "TCLU2765150", "");
	ck_assert_uint_eq(r->nextra, 0);
	ck_assert_uint_eq(schema_check_record(r, NULL), 1);
	record_free(r);
	buf_free(&w);
	buf_free(&p);
	ncen_err_free(&e);
}
END_TEST

/* The validate suite. */
static Suite *
validate_suite(void)
{
	Suite	*s = suite_create("validate");
	TCase	*tc;

	tc = tcase_create("values");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_value, 0, NELEM(value_cases));
	tcase_add_test(tc, test_value_list_missing);
	tcase_add_test(tc, test_value_buffers);
	tcase_add_test(tc, test_utf8);
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_validate_required);
	tcase_add_test(tc, test_validate_repeated);
	tcase_add_test(tc, test_validate_values);
	tcase_add_test(tc, test_validate_canonical);
	tcase_add_test(tc, test_validate_pattern);
	tcase_add_test(tc, test_pattern_names);
	tcase_add_test(tc, test_validate_refs);
	tcase_add_test(tc, test_validate_no_form);
	suite_add_tcase(s, tc);

	tc = tcase_create("check digits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_check_digit, 0, NELEM(digit_cases));
	tcase_add_test(tc, test_check_names);
	tcase_add_test(tc, test_check_record);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_key_integer);
	tcase_add_test(tc, test_key_decimal);
	tcase_add_test(tc, test_key_dates);
	tcase_add_test(tc, test_key_ref);
	tcase_add_test(tc, test_key_text);
	tcase_add_test(tc, test_key_len);
	tcase_add_test(tc, test_key_lookup);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(validate_suite());
}
