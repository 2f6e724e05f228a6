/* check_record.c - the record codec: round trips, garbage, extra fields. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "testlib.h"
#include "xmalloc.h"

static char	n_number[] = "number", n_date[] = "date", n_alias[] = "alias",
		n_count[] = "count", n_note[] = "note", n_case[] = "case";
static struct schema_field	test_fields[] = {
	{ .name = n_number, .type = SCHEMA_TEXT, .size = 40 },
	{ .name = n_date, .type = SCHEMA_DATE },
	{ .name = n_alias, .type = SCHEMA_TEXT, .size = 40, .repeated = 1 },
	{ .name = n_count, .type = SCHEMA_INTEGER },
};
static struct schema_form	test_form = {
	.name = n_case, .version = 1, .fields = test_fields, .nfields = 4,
};
/* The same form after an edit: "alias" removed, "note" added. */
static struct schema_field	test_fields2[] = {
	{ .name = n_note, .type = SCHEMA_TEXT, .size = 80 },
	{ .name = n_count, .type = SCHEMA_INTEGER },
	{ .name = n_number, .type = SCHEMA_TEXT, .size = 40 },
	{ .name = n_date, .type = SCHEMA_DATE },
};
static struct schema_form	test_form2 = {
	.name = n_case, .version = 2, .fields = test_fields2, .nfields = 4,
};

/* A record with a bit of everything. */
static struct record *
test_record(void)
{
	struct record	*r = record_new(&test_form);

	r->id = 42;
	r->version = 3;
	r->mtime = 1795788300;
	r->muser = xstrdup("jdupont");
	record_add_value(r, 0, "CC-ABJ-2026-000042");
	record_add_value(r, 1, "2026-11-27");
	record_add_value(r, 2, "Le Grand");
	record_add_value(r, 2, "Mamadou \xc3\xa9t\xc3\xa9");
	record_add_value(r, 2, "");
	return r;
}

START_TEST(test_round_trip)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT;
	struct record	*r = test_record(), *d;

	record_encode(r, &b);
	ck_assert_int_eq(record_decode(&test_form, 42, b.s, b.len, &d, &err),
	    NCEN_OK);
	ck_assert(record_equal(r, d));
	ck_assert_str_eq(record_get(d, "alias"), "Le Grand");
	ck_assert_uint_eq(d->fields[2].n, 3);
	ck_assert_str_eq(d->fields[2].v[2], "");
	ck_assert_ptr_null(record_get(d, "count"));
	ck_assert_str_eq(d->muser, "jdupont");
	ck_assert_int_eq(d->mtime, 1795788300);
	ck_assert_uint_eq(d->version, 3);
	record_free(d);
	record_free(r);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_empty_record)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT;
	struct record	*r = record_new(&test_form), *d;

	record_encode(r, &b);
	ck_assert_int_eq(record_decode(&test_form, 0, b.s, b.len, &d, &err),
	    NCEN_OK);
	ck_assert(record_equal(r, d));
	ck_assert_ptr_null(d->muser);
	record_free(d);
	record_free(r);
	buf_free(&b);
}
END_TEST

START_TEST(test_copy_set_equal)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = test_record(), *c;

	c = record_copy(r);
	ck_assert(record_equal(r, c));
	ck_assert_int_eq(record_set(c, "count", "12", &err), NCEN_OK);
	ck_assert(!record_equal(r, c));
	ck_assert_str_eq(record_get(c, "count"), "12");
	ck_assert_int_eq(record_set(c, "count", NULL, &err), NCEN_OK);
	ck_assert(record_equal(r, c));
	ck_assert_int_eq(record_set(c, "nope", "1", &err), NCEN_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "'nope'"));
	record_clear_field(c, 2);
	ck_assert_ptr_null(record_get(c, "alias"));
	record_clear_field(c, 99);	/* out of range: ignored */
	record_free(c);
	record_free(r);
	record_free(NULL);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_extra_kept)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT, b2 = BUF_INIT;
	struct record	*r = test_record(), *d, *back;

	/* Stored with the old form, read with the edited one. */
	record_encode(r, &b);
	ck_assert_int_eq(record_decode(&test_form2, 42, b.s, b.len, &d, &err),
	    NCEN_OK);
	ck_assert_str_eq(record_get(d, "number"), "CC-ABJ-2026-000042");
	ck_assert_ptr_null(record_get(d, "note"));
	ck_assert_uint_eq(d->nextra, 3);
	ck_assert_str_eq(d->extra[0].name, "alias");
	ck_assert_str_eq(d->extra[1].value, "Mamadou \xc3\xa9t\xc3\xa9");
	ck_assert_str_eq(record_get(d, "alias"), "Le Grand");

	/* Edited and written back: the extra values survive. */
	ck_assert_int_eq(record_set(d, "note", "seen twice", &err), NCEN_OK);
	record_encode(d, &b2);
	ck_assert_int_eq(record_decode(&test_form, 42, b2.s, b2.len, &back,
	    &err), NCEN_OK);
	ck_assert_uint_eq(back->fields[2].n, 3);
	ck_assert_str_eq(back->fields[2].v[1], "Mamadou \xc3\xa9t\xc3\xa9");
	ck_assert_uint_eq(back->nextra, 1);
	ck_assert_str_eq(back->extra[0].name, "note");
	ck_assert_str_eq(back->extra[0].value, "seen twice");
	record_free(back);
	record_free(d);
	record_free(r);
	buf_free(&b);
	buf_free(&b2);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_truncated)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT;
	struct record	*r = test_record(), *d;
	unsigned char	*copy;
	size_t		 n;

	record_encode(r, &b);
	/* Every prefix is refused, and read from a tight copy (ASan checks). */
	for (n = 0; n < b.len; n++) {
		copy = xmemdup(b.s, n);
		ck_assert_int_eq(record_decode(&test_form, 1, copy, n, &d,
		    &err), NCEN_EPARSE);
		ck_assert_ptr_null(d);
		ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
		    "stored record"));
		ck_assert_int_eq(record_decode_field(copy, n, "alias", NULL,
		    NULL), NCEN_EPARSE);
		free(copy);
	}
	/* Trailing bytes too. */
	buf_addc(&b, 'x');
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "stray"));
	record_free(r);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_garbage)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT;
	struct record	*r = test_record(), *d;
	unsigned char	*copy;
	size_t		 i;
	unsigned	 seed = 1;
	int		 error;

	ck_assert_int_eq(record_decode(&test_form, 1, "hello world", 11, &d,
	    &err), NCEN_EPARSE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "magic"));

	/* A huge announced count must not allocate or read beyond. */
	buf_add(&b, "NCRD", 4);
	buf_add_u32(&b, 1);
	buf_add_u32(&b, 1);
	buf_add_u64(&b, 0);
	buf_add_u32(&b, 0);
	buf_add_u32(&b, 0xffffffff);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	/* A newer codec. */
	buf_reset(&b);
	buf_add(&b, "NCRD", 4);
	buf_add_u32(&b, 9);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "codec version 9"));

	/* Flip bytes at random: never a crash, either OK or EPARSE. */
	buf_reset(&b);
	record_encode(r, &b);
	for (i = 0; i < 5000; i++) {
		copy = xmemdup(b.s, b.len);
		seed = seed * 1103515245 + 12345;
		copy[(seed >> 8) % b.len] ^= (unsigned char)(seed >> 20 | 1);
		error = record_decode(&test_form, 1, copy, b.len, &d, &err);
		ck_assert(error == NCEN_OK || error == NCEN_EPARSE);
		record_free(d);
		error = record_decode_field(copy, b.len, "alias", NULL, NULL);
		ck_assert(error == NCEN_OK || error == NCEN_EPARSE);
		free(copy);
	}
	/* A NUL inside a value is refused. */
	buf_reset(&b);
	buf_add(&b, "NCRD", 4);
	buf_add_u32(&b, 1);
	buf_add_u32(&b, 1);
	buf_add_u64(&b, 0);
	buf_add_u32(&b, 0);
	buf_add_u32(&b, 1);
	buf_add_u32(&b, 5);
	buf_add(&b, "alias", 5);
	buf_add_u32(&b, 1);
	buf_add_u32(&b, 3);
	buf_add(&b, "a\0b", 3);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	record_free(r);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

/* Collect values seen by record_decode_field. */
static void
test_collect(const char *s, size_t len, void *arg)
{
	struct buf	*b = arg;

	buf_add(b, s, len);
	buf_addc(b, '|');
}

START_TEST(test_decode_field)
{
	struct buf	 b = BUF_INIT, seen = BUF_INIT;
	struct record	*r = test_record();

	record_encode(r, &b);
	ck_assert_int_eq(record_decode_field(b.s, b.len, "alias",
	    test_collect, &seen), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&seen),
	    "Le Grand|Mamadou \xc3\xa9t\xc3\xa9||");
	buf_reset(&seen);
	ck_assert_int_eq(record_decode_field(b.s, b.len, "count",
	    test_collect, &seen), NCEN_OK);
	ck_assert_uint_eq(seen.len, 0);
	ck_assert_int_eq(record_decode_field(b.s, b.len, "date",
	    test_collect, &seen), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&seen), "2026-11-27|");
	/* A prefix of a name is not the name. */
	buf_reset(&seen);
	ck_assert_int_eq(record_decode_field(b.s, b.len, "dat",
	    test_collect, &seen), NCEN_OK);
	ck_assert_uint_eq(seen.len, 0);
	record_free(r);
	buf_free(&b);
	buf_free(&seen);
}
END_TEST

/* The record suite. */
static Suite *
record_suite(void)
{
	Suite	*s = suite_create("record");
	TCase	*tc = tcase_create("codec");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_empty_record);
	tcase_add_test(tc, test_copy_set_equal);
	tcase_add_test(tc, test_extra_kept);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_decode_field);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(record_suite());
}
