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

/* Codec 1 bytes of test_record(), as records stored before codec 2 are. */
static void
test_codec1(struct buf *b)
{
	static const char	*alias[] = { "Le Grand", "Mamadou \xc3\xa9t\xc3\xa9",
				    "" };
	size_t			 i;

	buf_add(b, "NCRD", 4);
	buf_add_u32(b, 1);
	buf_add_u32(b, 3);
	buf_add_u64(b, 1795788300);
	buf_add_u32(b, 7);
	buf_add(b, "jdupont", 7);
	buf_add_u32(b, 3);
	buf_add_u32(b, 6);
	buf_add(b, "number", 6);
	buf_add_u32(b, 1);
	buf_add_u32(b, 18);
	buf_add(b, "CC-ABJ-2026-000042", 18);
	buf_add_u32(b, 4);
	buf_add(b, "date", 4);
	buf_add_u32(b, 1);
	buf_add_u32(b, 10);
	buf_add(b, "2026-11-27", 10);
	buf_add_u32(b, 5);
	buf_add(b, "alias", 5);
	buf_add_u32(b, 3);
	for (i = 0; i < 3; i++) {
		buf_add_u32(b, (uint32_t)strlen(alias[i]));
		buf_add(b, alias[i], strlen(alias[i]));
	}
}

START_TEST(test_codec1_read)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT, seen = BUF_INIT, again = BUF_INIT;
	struct record	*r = test_record(), *d, *d2;
	unsigned char	*copy;
	size_t		 n;

	/* Records stored with codec 1 read the same as with codec 2. */
	test_codec1(&b);
	ck_assert_int_eq(record_decode(&test_form, 42, b.s, b.len, &d, &err),
	    NCEN_OK);
	ck_assert(record_equal(r, d));
	ck_assert_int_eq(record_decode_field(b.s, b.len, "alias",
	    test_collect, &seen), NCEN_OK);
	ck_assert_str_eq(buf_cstr(&seen),
	    "Le Grand|Mamadou \xc3\xa9t\xc3\xa9||");
	/* Written back, it is codec 2, and smaller. */
	record_encode(d, &again);
	ck_assert_uint_lt(again.len, b.len);
	ck_assert_int_eq((unsigned char)again.s[0], 'N');
	ck_assert_int_eq((unsigned char)again.s[1], 0xc2);
	ck_assert_int_eq(record_decode(&test_form, 42, again.s, again.len,
	    &d2, &err), NCEN_OK);
	ck_assert(record_equal(r, d2));
	record_free(d2);
	/* Every prefix of codec 1 bytes is refused too. */
	for (n = 0; n < b.len; n++) {
		copy = xmemdup(b.s, n);
		ck_assert_int_eq(record_decode(&test_form, 1, copy, n, &d2,
		    &err), NCEN_EPARSE);
		free(copy);
	}
	record_free(d);
	record_free(r);
	buf_free(&b);
	buf_free(&seen);
	buf_free(&again);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_varint_garbage)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 b = BUF_INIT;
	struct record	*d;
	int		 i;

	/* Overlong and over-wide varints are refused. */
	buf_add(&b, "N\xc2\x81\x00", 4);	/* version 1, overlong */
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	buf_reset(&b);
	buf_add(&b, "N\xc2", 2);
	for (i = 0; i < 11; i++)
		buf_addc(&b, 0xff);
	buf_addc(&b, 0x01);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	/* A record version wider than 32 bits. */
	buf_reset(&b);
	buf_add(&b, "N\xc2\xff\xff\xff\xff\x10\x00\x00\x00", 10);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	/* A huge announced count of fields or values. */
	buf_reset(&b);
	buf_add(&b, "N\xc2\x01\x00\x00\xff\xff\xff\xff\x0f", 10);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	buf_reset(&b);
	buf_add(&b, "N\xc2\x01\x00\x00\x01\x05" "alias" "\xff\xff\x03", 15);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_EPARSE);
	/* The smallest well-formed record. */
	buf_reset(&b);
	buf_add(&b, "N\xc2\x01\x00\x00\x00", 6);
	ck_assert_int_eq(record_decode(&test_form, 1, b.s, b.len, &d, &err),
	    NCEN_OK);
	ck_assert_uint_eq(d->version, 1);
	record_free(d);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_view)
{
	struct record_view	 v;
	struct buf		 b = BUF_INIT, seen = BUF_INIT;
	struct record		*r = test_record(), *d;
	struct ncen_err		 err = NCEN_ERR_INIT;
	char			*p;

	memset(&v, 0, sizeof v);
	record_encode(r, &b);
	ck_assert_int_eq(record_view_parse(&v, b.s, b.len), NCEN_OK);
	record_view_field(&v, "alias", test_collect, &seen);
	ck_assert_str_eq(buf_cstr(&seen),
	    "Le Grand|Mamadou \xc3\xa9t\xc3\xa9||");
	/* The same bytes again: nothing parsed; changed bytes: parsed. */
	ck_assert_int_eq(record_view_parse(&v, b.s, b.len), NCEN_OK);
	p = memmem(b.s, b.len, "Le Grand", 8);
	ck_assert_ptr_nonnull(p);
	*p = 'M';
	ck_assert_int_eq(record_view_parse(&v, b.s, b.len), NCEN_OK);
	buf_reset(&seen);
	record_view_field(&v, "alias", test_collect, &seen);
	ck_assert_str_eq(buf_cstr(&seen),
	    "Me Grand|Mamadou \xc3\xa9t\xc3\xa9||");
	/* Garbage: an error, and the view answers nothing. */
	ck_assert_int_eq(record_view_parse(&v, b.s, b.len - 1), NCEN_EPARSE);
	buf_reset(&seen);
	record_view_field(&v, "date", test_collect, &seen);
	ck_assert_uint_eq(seen.len, 0);
	record_view_free(&v);

	/* Values of a decoded record can be cleared, added and freed. */
	buf_reset(&b);
	record_encode(r, &b);
	ck_assert_int_eq(record_decode(&test_form, 42, b.s, b.len, &d, &err),
	    NCEN_OK);
	record_add_value(d, 2, "Third");
	ck_assert_uint_eq(d->fields[2].n, 4);
	ck_assert_str_eq(d->fields[2].v[1], "Mamadou \xc3\xa9t\xc3\xa9");
	record_clear_field(d, 0);
	ck_assert_int_eq(record_set(d, "date", "2026-12-01", &err), NCEN_OK);
	ck_assert_str_eq(record_get(d, "date"), "2026-12-01");
	record_free(d);
	record_free(r);
	buf_free(&b);
	buf_free(&seen);
	ncen_err_free(&err);
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
	tcase_add_test(tc, test_codec1_read);
	tcase_add_test(tc, test_varint_garbage);
	tcase_add_test(tc, test_view);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(record_suite());
}
