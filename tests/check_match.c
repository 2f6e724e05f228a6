/* check_match.c - the search keys (match.c), the search index and engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "match.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "testlib.h"

/* Apply a key function taking an error and compare with want. */
static void
key_is(int (*fn)(const char *, size_t, struct buf *, struct ncen_err *),
    const char *in, const char *want)
{
	struct buf	b = BUF_INIT;
	struct ncen_err	e = NCEN_ERR_INIT;

	ck_assert_msg(fn(in, strlen(in), &b, &e) == NCEN_OK, "%s: %s", in,
	    ncen_err_msg(&e));
	ck_assert_msg(strcmp(buf_cstr(&b), want) == 0, "%s -> \"%s\", want "
	    "\"%s\"", in, buf_cstr(&b), want);
	buf_free(&b);
	ncen_err_free(&e);
}

/* The skeleton of a Latin word. */
static void
skel_is(const char *in, const char *want)
{
	struct buf	b = BUF_INIT;

	match_skeleton(in, strlen(in), &b);
	ck_assert_msg(strcmp(buf_cstr(&b), want) == 0, "%s -> \"%s\", want "
	    "\"%s\"", in, buf_cstr(&b), want);
	buf_free(&b);
}

START_TEST(test_fold)
{
	key_is(match_fold, "MÜLLER", "müller");
	key_is(match_fold, "Müller", "müller");
	key_is(match_fold, "ＡＢＣ１２３", "abc123");
	key_is(match_fold, "Straße", "strasse");
	key_is(match_fold, "КУЗНЕЦОВ", "кузнецов");
}
END_TEST

START_TEST(test_latin)
{
	key_is(match_latin, "Кузнецов Дмитрий", "kuznetsov dmitriy");
	key_is(match_latin, "YILMAZ", "yilmaz");
	key_is(match_latin, "Yılmaz", "yilmaz");
	key_is(match_latin, "MÜLLER", "muller");
	key_is(match_latin, "Μαρία Παπαδοπούλου", "maria papadopoulou");
	key_is(match_latin, "王小明", "wang xiao ming");
	key_is(match_latin, "Արամ Պետրոսյան", "aram petrosyan");
	key_is(match_latin, "דוד כהן", "dwd khn");
	key_is(match_latin, "محمد", "mhmd");
	key_is(match_latin, "Abd al-Rahman", "abd al rahman");
	key_is(match_latin, "  Jean-Pierre  ", "jean pierre");
}
END_TEST

START_TEST(test_skeleton)
{
	/* Variants meet. */
	skel_is("kuznetsov", "ksnsv");
	skel_is("kouznetsov", "ksnsv");
	skel_is("kusnezow", "ksnsv");
	skel_is("kuznetzov", "ksnsv");
	skel_is("mueller", "mlr");
	skel_is("muller", "mlr");
	skel_is("schwarzenegger", "svrsngr");
	skel_is("schwarzeneger", "svrsngr");
	skel_is("abdulrahman", "bdlrmn");
	skel_is("abdelrahman", "bdlrmn");
	skel_is("abdalrahman", "bdlrmn");
	skel_is("ivanoff", "vnv");
	skel_is("ivanov", "vnv");
	skel_is("mohammed", "md");
	skel_is("muhammad", "md");
	/* A word of vowels keeps itself. */
	skel_is("ai", "ai");
	/* Different names stay apart. */
	struct buf a = BUF_INIT, b = BUF_INIT;
	match_skeleton("petrov", 6, &a);
	match_skeleton("ivanov", 6, &b);
	ck_assert_str_ne(buf_cstr(&a), buf_cstr(&b));
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(test_compact)
{
	key_is(match_compact, "72 1234567", "721234567");
	key_is(match_compact, "+33 1 23-45.67 89", "33123456789");
	key_is(match_compact, "AB-123-CD", "ab123cd");
	key_is(match_compact, "IMO 9074729", "imo9074729");
}
END_TEST

START_TEST(test_date)
{
	char	iso[11];

	ck_assert(match_date("1997-10-23", 10, iso));
	ck_assert_str_eq(iso, "1997-10-23");
	ck_assert(match_date("23/10/1997", 10, iso));
	ck_assert_str_eq(iso, "1997-10-23");
	ck_assert(match_date("23.10.1997", 10, iso));
	ck_assert_str_eq(iso, "1997-10-23");
	ck_assert(match_date("3.1.2001", 8, iso));
	ck_assert_str_eq(iso, "2001-01-03");
	ck_assert(match_date("2000-02-29", 10, iso));
	ck_assert(!match_date("1999-02-29", 10, iso));
	ck_assert(!match_date("1997-13-01", 10, iso));
	ck_assert(!match_date("32/01/1997", 10, iso));
	ck_assert(!match_date("1997-10", 7, iso));
	ck_assert(!match_date("12345678", 8, iso));
	ck_assert(!match_date("23/10-1997", 10, iso));
	ck_assert(!match_date("", 0, iso));
}
END_TEST

START_TEST(test_jw)
{
	ck_assert(match_jw("martha", 6, "marhta", 6) > 0.96);
	ck_assert(match_jw("martha", 6, "marhta", 6) < 0.97);
	ck_assert(match_jw("abc", 3, "abc", 3) == 1.0);
	ck_assert(match_jw("abc", 3, "xyz", 3) == 0.0);
	ck_assert(match_jw("", 0, "", 0) == 1.0);
}
END_TEST

START_TEST(test_utf8)
{
	struct buf	b = BUF_INIT;
	struct ncen_err	e = NCEN_ERR_INIT;

	ck_assert(match_utf8("Кузнецов", strlen("Кузнецов")));
	ck_assert(!match_utf8("\xff", 1));
	ck_assert(!match_utf8("\xc0\xaf", 2));		/* overlong */
	ck_assert(!match_utf8("\xed\xa0\x80", 3));	/* surrogate */
	ck_assert(!match_utf8("\xe2\x82", 2));		/* cut short */
	ck_assert(!match_utf8("a\0b", 3));
	ck_assert_int_eq(match_latin("K\xffz", 3, &b, &e), NCEN_EUSAGE);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(match_fold("\xe2\x82", 2, &b, &e), NCEN_EUSAGE);
	buf_free(&b);
	ncen_err_free(&e);
}
END_TEST

/* Store a person with a family name and a date of birth. */
static int
put_person(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = arg;

	return store_put(t, r, "test", err);
}

START_TEST(test_search_index)
{
	struct store		*st;
	struct schema		*s;
	struct record		*r;
	struct search_query	 q;
	struct search_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	char			*home;

	test_store_open(&home, &s, &st);
	r = record_new(schema_form_find(s, "person"));
	ck_assert_int_eq(record_set(r, "family_name", "Кузнецов", &e),
	    NCEN_OK);
	ck_assert_int_eq(record_set(r, "birth_date", "1997-10-23", &e),
	    NCEN_OK);
	ck_assert_msg(store_run(st, put_person, r, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	memset(&q, 0, sizeof q);
	q.text = "kusnezow 23/10/1997";
	ck_assert_msg(search_run(st, &q, &res, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ck_assert_uint_eq(res.n, 1);
	ck_assert_str_eq(res.hits[0].entity, "person");
	ck_assert(res.hits[0].id == r->id);
	ck_assert(res.hits[0].why & SEARCH_WHY_SOUNDS);
	ck_assert(res.hits[0].why & SEARCH_WHY_DATE);
	ck_assert_int_ge(res.hits[0].score, 90);
	search_result_free(&res);
	/* Bad queries: refused, not crashed. */
	q.text = "\xff\xfe";
	ck_assert_int_eq(search_run(st, &q, &res, &e), NCEN_EUSAGE);
	q.text = " , ; ";
	ck_assert_int_eq(search_run(st, &q, &res, &e), NCEN_EUSAGE);
	q.text = "kuznetsov";
	q.entity = "nosuch";
	ck_assert_int_eq(search_run(st, &q, &res, &e), NCEN_ENOTFOUND);
	search_result_free(&res);
	record_free(r);
	test_store_close(home, s, st);
	ncen_err_free(&e);
}
END_TEST

/* The match suite. */
static Suite *
match_suite(void)
{
	Suite	*s = suite_create("match");
	TCase	*tc = tcase_create("keys");

	tcase_add_test(tc, test_fold);
	tcase_add_test(tc, test_latin);
	tcase_add_test(tc, test_skeleton);
	tcase_add_test(tc, test_compact);
	tcase_add_test(tc, test_date);
	tcase_add_test(tc, test_jw);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_search_index);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(match_suite());
}
