/* check_page.c - paged reads of a form's records (store-page.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-page.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

static char		*home;
static struct schema	*schema;
static struct store	*st;

/* A fresh data directory with the shipped forms for each test. */
static void
setup(void)
{
	test_store_open(&home, &schema, &st);
}

/* Close and remove it. */
static void
teardown(void)
{
	test_store_close(home, schema, st);
}

struct put_arg {
	const char	**names;
	size_t		  n;
};

/* Store one person per family name, ids 1.. in the order given. */
static int
put_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct put_arg	*a = varg;
	struct record	*r;
	size_t		 i;
	int		 error = NCEN_OK;

	for (i = 0; i < a->n && error == NCEN_OK; i++) {
		r = record_new(schema_form_find(schema, "person"));
		if ((error = record_set(r, "family_name", a->names[i], err)) ==
		    NCEN_OK)
			error = store_put(t, r, "test", err);
		record_free(r);
	}
	return error;
}

/* Store persons named name0, name1, ... */
static void
put_persons(const char **names, size_t n)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct put_arg	a = { names, n };

	ck_assert_msg(store_run(st, put_fn, &a, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* Store n persons named "P0000" ... in id order 1..n. */
static void
put_numbered(size_t n)
{
	const char	**names = xcalloc(n, sizeof *names);
	struct buf	 *bufs = xcalloc(n, sizeof *bufs);
	size_t		  i;

	for (i = 0; i < n; i++) {
		buf_addf(&bufs[i], "P%04zu", i);
		names[i] = buf_cstr(&bufs[i]);
	}
	put_persons(names, n);
	for (i = 0; i < n; i++)
		buf_free(&bufs[i]);
	free(bufs);
	free(names);
}

/* Read a page; abort on error. */
static void
page(const struct store_page_order *o, enum store_page_from from,
    const struct store_page_row *at, uint64_t skip, size_t n,
    struct store_page *p)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct store_page_query	q;

	memset(&q, 0, sizeof q);
	q.from = from;
	q.at = at;
	q.skip = skip;
	q.n = n;
	ck_assert_msg(store_page_read(st, o, &q, p, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* The family names of a page, joined by spaces. */
static char *
names_of(const struct store_page *p)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < p->n; i++)
		buf_addf(&b, "%s%s", i ? " " : "",
		    record_get(p->rows[i].rec, "family_name"));
	return buf_detach(&b);
}

/* Check a page's names and ends. */
static void
expect(const struct store_page *p, const char *want, int first, int last)
{
	char	*got = names_of(p);

	ck_assert_str_eq(got, want);
	ck_assert_int_eq(p->first, first);
	ck_assert_int_eq(p->last, last);
	free(got);
}

START_TEST(test_forwards)
{
	struct store_page_order	o = { "person", "family_name", NULL,
	    NULL, NULL, 0, NULL, 0 };
	struct store_page	p, q;

	put_numbered(10);
	page(&o, STORE_PAGE_START, NULL, 0, 4, &p);
	expect(&p, "P0000 P0001 P0002 P0003", 1, 0);
	page(&o, STORE_PAGE_AFTER, &p.rows[3], 0, 4, &q);
	expect(&q, "P0004 P0005 P0006 P0007", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_AFTER, &q.rows[3], 0, 4, &p);
	expect(&p, "P0008 P0009", 0, 1);
	store_page_free(&q);
	/* A reload from a row keeps it. */
	page(&o, STORE_PAGE_AT, &p.rows[1], 0, 4, &q);
	expect(&q, "P0009", 0, 1);
	store_page_free(&p);
	store_page_free(&q);
}
END_TEST

START_TEST(test_backwards)
{
	struct store_page_order	o = { "person", "family_name", NULL,
	    NULL, NULL, 0, NULL, 0 };
	struct store_page	p, q;

	put_numbered(10);
	page(&o, STORE_PAGE_END, NULL, 0, 4, &p);
	expect(&p, "P0006 P0007 P0008 P0009", 0, 1);
	page(&o, STORE_PAGE_BEFORE, &p.rows[0], 0, 4, &q);
	expect(&q, "P0002 P0003 P0004 P0005", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_BEFORE, &q.rows[0], 0, 4, &p);
	expect(&p, "P0000 P0001", 1, 0);
	store_page_free(&q);
	page(&o, STORE_PAGE_BEFORE, &p.rows[0], 0, 4, &q);
	expect(&q, "", 1, 1);
	store_page_free(&p);
	store_page_free(&q);
}
END_TEST

/* An order read backwards: newest first, every way of reading a page. */
START_TEST(test_desc)
{
	struct store_page_order	o = { "person", "family_name", NULL,
	    NULL, NULL };
	struct store_page	p, q;

	o.desc = 1;
	put_numbered(10);
	page(&o, STORE_PAGE_START, NULL, 0, 4, &p);
	expect(&p, "P0009 P0008 P0007 P0006", 1, 0);
	page(&o, STORE_PAGE_AFTER, &p.rows[3], 0, 4, &q);
	expect(&q, "P0005 P0004 P0003 P0002", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_AFTER, &q.rows[3], 0, 4, &p);
	expect(&p, "P0001 P0000", 0, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_BEFORE, &q.rows[0], 0, 4, &p);
	expect(&p, "P0009 P0008 P0007 P0006", 1, 0);
	store_page_free(&p);
	/* A reload from a row keeps it first, the older ones after it. */
	page(&o, STORE_PAGE_AT, &q.rows[1], 0, 4, &p);
	expect(&p, "P0004 P0003 P0002 P0001", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_AT, &q.rows[3], 0, 4, &p);
	expect(&p, "P0002 P0001 P0000", 0, 1);
	store_page_free(&p);
	store_page_free(&q);
	page(&o, STORE_PAGE_END, NULL, 0, 4, &p);
	expect(&p, "P0003 P0002 P0001 P0000", 0, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_SKIP, NULL, 3, 4, &p);
	expect(&p, "P0006 P0005 P0004 P0003", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_SKIP, NULL, 8, 4, &p);
	expect(&p, "P0001 P0000", 0, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_SKIP, NULL, 99, 4, &p);
	expect(&p, "P0003 P0002 P0001 P0000", 0, 1);
	store_page_free(&p);
}
END_TEST

START_TEST(test_id_order)
{
	struct store_page_order	o = { "person", NULL, NULL, NULL, NULL,
	    0, NULL, 0 };
	const char		*names[] = { "Zed", "Adams", "Mills" };
	struct store_page	p, q;
	struct ncen_err		err = NCEN_ERR_INIT;
	struct store_page_query	qu;
	uint64_t		n;

	put_persons(names, 3);
	page(&o, STORE_PAGE_START, NULL, 0, 2, &p);
	expect(&p, "Zed Adams", 1, 0);
	ck_assert_uint_eq(p.rows[0].id, 1);
	page(&o, STORE_PAGE_AFTER, &p.rows[1], 0, 2, &q);
	expect(&q, "Mills", 0, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_BEFORE, &q.rows[0], 0, 5, &p);
	expect(&p, "Zed Adams", 1, 0);
	store_page_free(&p);
	store_page_free(&q);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 3);
	/* Id order takes no prefix. */
	o.prefix = "1";
	memset(&qu, 0, sizeof qu);
	qu.n = 2;
	ck_assert_int_eq(store_page_read(st, &o, &qu, &p, &err), NCEN_EUSAGE);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_skip)
{
	struct store_page_order	o = { "person", "family_name", NULL,
	    NULL, NULL, 0, NULL, 0 };
	struct store_page	p;
	uint64_t		n;
	struct ncen_err		err = NCEN_ERR_INIT;

	put_numbered(10000);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 10000);
	/* Page 251 of 20 rows starts at entry 5000: past batches of keys. */
	page(&o, STORE_PAGE_SKIP, NULL, 5000, 3, &p);
	expect(&p, "P5000 P5001 P5002", 0, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_SKIP, NULL, 0, 2, &p);
	expect(&p, "P0000 P0001", 1, 0);
	store_page_free(&p);
	page(&o, STORE_PAGE_SKIP, NULL, 9999, 3, &p);
	expect(&p, "P9999", 0, 1);
	store_page_free(&p);
	/* Past the end: the last page. */
	page(&o, STORE_PAGE_SKIP, NULL, 20000, 3, &p);
	expect(&p, "P9997 P9998 P9999", 0, 1);
	store_page_free(&p);
	o.field = NULL;
	page(&o, STORE_PAGE_SKIP, NULL, 4321, 1, &p);
	expect(&p, "P4321", 0, 0);
	ck_assert_uint_eq(p.rows[0].id, 4322);
	store_page_free(&p);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_prefix)
{
	const char		*names[] = { "Ivanova", "Adams", "IVANOV",
	    "Ivory", "ivanovich", "Иванов", "Иваненко", "حداد", "Iva" };
	struct store_page_order	o = { "person", "family_name", "IVAN", NULL,
	    NULL, 0, NULL, 0 };
	struct store_page	p, q;
	struct ncen_err		err = NCEN_ERR_INIT;
	uint64_t		n;

	put_persons(names, sizeof names / sizeof names[0]);
	/* Case folded as the index is: IVAN finds Ivanov, ivanovich... */
	page(&o, STORE_PAGE_START, NULL, 0, 10, &p);
	expect(&p, "IVANOV Ivanova ivanovich", 1, 1);
	store_page_free(&p);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 3);
	page(&o, STORE_PAGE_START, NULL, 0, 2, &p);
	expect(&p, "IVANOV Ivanova", 1, 0);
	page(&o, STORE_PAGE_AFTER, &p.rows[1], 0, 2, &q);
	expect(&q, "ivanovich", 0, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_END, NULL, 0, 2, &p);
	expect(&p, "Ivanova ivanovich", 0, 1);
	store_page_free(&p);
	store_page_free(&q);
	/* Cyrillic and Arabic prefixes (bytes: no folding outside ASCII). */
	o.prefix = "Иван";
	page(&o, STORE_PAGE_START, NULL, 0, 10, &p);
	expect(&p, "Иваненко Иванов", 1, 1);
	store_page_free(&p);
	o.prefix = "حد";
	page(&o, STORE_PAGE_END, NULL, 0, 10, &p);
	expect(&p, "حداد", 1, 1);
	store_page_free(&p);
	/* Nothing starts with it. */
	o.prefix = "Q";
	page(&o, STORE_PAGE_START, NULL, 0, 10, &p);
	expect(&p, "", 1, 1);
	store_page_free(&p);
	page(&o, STORE_PAGE_END, NULL, 0, 10, &p);
	expect(&p, "", 1, 1);
	store_page_free(&p);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 0);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_empty)
{
	struct store_page_order	o = { "person", "family_name", NULL,
	    NULL, NULL, 0, NULL, 0 };
	struct store_page	p;
	struct ncen_err		err = NCEN_ERR_INIT;
	uint64_t		n = 7;

	page(&o, STORE_PAGE_START, NULL, 0, 5, &p);
	expect(&p, "", 1, 1);
	page(&o, STORE_PAGE_END, NULL, 0, 5, &p);
	expect(&p, "", 1, 1);
	page(&o, STORE_PAGE_SKIP, NULL, 10, 5, &p);
	expect(&p, "", 1, 1);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 0);
	o.field = NULL;
	page(&o, STORE_PAGE_END, NULL, 0, 5, &p);
	expect(&p, "", 1, 1);
	ncen_err_free(&err);
}
END_TEST

/* Keep only the persons whose id is even. */
static int
keep_even(const struct record *r, void *arg)
{
	(void)arg;
	return r->id % 2 == 0;
}

START_TEST(test_keep)
{
	struct store_page_order	o = { "person", NULL, NULL, NULL, NULL,
	    0, NULL, 0 };
	struct store_page_query	q;
	struct store_page	p;
	struct ncen_err		err = NCEN_ERR_INIT;

	put_numbered(20);
	memset(&q, 0, sizeof q);
	q.from = STORE_PAGE_START;
	q.n = 3;
	q.keep = keep_even;
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err), NCEN_OK);
	expect(&p, "P0001 P0003 P0005", 0, 0);	/* id 1 comes before */
	store_page_free(&p);
	q.from = STORE_PAGE_END;
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err), NCEN_OK);
	expect(&p, "P0015 P0017 P0019", 0, 1);
	store_page_free(&p);
	ncen_err_free(&err);
}
END_TEST

/* What a case put needs: an officer ("" for none) and a date each. */
struct case_arg {
	const char	**officers;
	const char	**dates;
	size_t		  n;
};

/* Store cases, ids 1.. in the order given. */
static int
case_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct case_arg	*a = varg;
	struct record	*r;
	size_t		 i;
	int		 error = NCEN_OK;

	for (i = 0; i < a->n && error == NCEN_OK; i++) {
		r = record_new(schema_form_find(schema, "case"));
		if ((error = record_set(r, "date", a->dates[i], err)) ==
		    NCEN_OK && (error = record_set(r, "office", "FRCDG01",
		    err)) == NCEN_OK && (error = record_set(r, "country", "FR",
		    err)) == NCEN_OK && (error = record_set(r, "direction",
		    "IMP", err)) == NCEN_OK && (error = record_set(r, "place",
		    a->dates[i], err)) == NCEN_OK && *a->officers[i] != '\0')
			error = record_set(r, "officer", a->officers[i], err);
		if (error == NCEN_OK)
			error = store_put(t, r, "test", err);
		record_free(r);
	}
	return error;
}

/* Store n cases: every third is olga's, dated backwards from 2026-12-28. */
static void
put_cases(size_t n)
{
	struct ncen_err	  err = NCEN_ERR_INIT;
	struct case_arg	  a;
	struct buf	 *bufs = xcalloc(n, sizeof *bufs);
	size_t		  i;

	a.officers = xcalloc(n, sizeof *a.officers);
	a.dates = xcalloc(n, sizeof *a.dates);
	a.n = n;
	for (i = 0; i < n; i++) {
		a.officers[i] = i % 3 == 0 ? "olga" : i % 3 == 1 ? "pat" :
		    "olgan";
		buf_addf(&bufs[i], "2026-%02zu-%02zu", 12 - i / 28 % 12,
		    28 - i % 28);
		a.dates[i] = buf_cstr(&bufs[i]);
	}
	ck_assert_msg(store_run(st, case_fn, &a, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	for (i = 0; i < n; i++)
		buf_free(&bufs[i]);
	free(bufs);
	free(a.officers);
	free(a.dates);
	ncen_err_free(&err);
}

/* The ids of a page, joined by spaces. */
static char *
ids_of(const struct store_page *p)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < p->n; i++)
		buf_addf(&b, "%s%llu", i ? " " : "",
		    (unsigned long long)p->rows[i].id);
	return buf_detach(&b);
}

/* Check a page's ids and ends. */
static void
expect_ids(const struct store_page *p, const char *want, int first,
    int last)
{
	char	*got = ids_of(p);

	ck_assert_str_eq(got, want);
	ck_assert_int_eq(p->first, first);
	ck_assert_int_eq(p->last, last);
	free(got);
}

/* Olga's own: her cases and those of nobody; counts its calls. */
static int
keep_olga(const struct record *r, void *arg)
{
	const char	*o = record_get(r, "officer");

	(*(int *)arg)++;
	return o == NULL || *o == '\0' || strcmp(o, "olga") == 0;
}

/* Read a page with keep_olga; its calls in *calls. */
static void
page_olga(const struct store_page_order *o, enum store_page_from from,
    const struct store_page_row *at, uint64_t skip, size_t n,
    struct store_page *p, int *calls)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct store_page_query	q;

	memset(&q, 0, sizeof q);
	q.from = from;
	q.at = at;
	q.skip = skip;
	q.n = n;
	q.keep = keep_olga;
	q.keeparg = calls;
	*calls = 0;
	ck_assert_msg(store_page_read(st, o, &q, p, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
}

/*
 * A scope (an officer's own cases) is read through the officer index:
 * a page reads its own rows only, in id order, in the officer order and
 * in another field's order (sorted in memory), with a typed prefix kept
 * apart from it; while some case has no officer it is read whole.
 */
START_TEST(test_scope)
{
	struct store_page_order	o = { "case", NULL, NULL, "officer", "olga",
	    0, NULL, 0 };
	struct store_page	p, q;
	struct ncen_err		err = NCEN_ERR_INIT;
	const char		*none[] = { "" }, *day[] = { "2027-01-01" };
	struct case_arg		a = { none, day, 1 };
	int			calls;
	uint64_t		n;

	put_cases(60);		/* olga: ids 1 4 7 ... 58, dates falling */
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 20);
	page_olga(&o, STORE_PAGE_START, NULL, 0, 4, &p, &calls);
	expect_ids(&p, "1 4 7 10", 1, 0);
	ck_assert_int_eq(calls, 4);	/* not a case of another officer */
	page_olga(&o, STORE_PAGE_AFTER, &p.rows[3], 0, 4, &q, &calls);
	expect_ids(&q, "13 16 19 22", 0, 0);
	store_page_free(&p);
	page_olga(&o, STORE_PAGE_BEFORE, &q.rows[0], 0, 4, &p, &calls);
	expect_ids(&p, "1 4 7 10", 1, 0);
	store_page_free(&p);
	store_page_free(&q);
	page_olga(&o, STORE_PAGE_END, NULL, 0, 3, &p, &calls);
	expect_ids(&p, "52 55 58", 0, 1);
	store_page_free(&p);
	page_olga(&o, STORE_PAGE_SKIP, NULL, 18, 4, &p, &calls);
	expect_ids(&p, "55 58", 0, 1);
	store_page_free(&p);
	/* A number typed: the row at or after it (no key given). */
	memset(&q, 0, sizeof q);
	q.rows = xcalloc(1, sizeof *q.rows);
	q.rows[0].id = 30;
	page_olga(&o, STORE_PAGE_AT, &q.rows[0], 0, 2, &p, &calls);
	expect_ids(&p, "31 34", 0, 0);
	store_page_free(&p);
	free(q.rows);

	/* By date: her cases in date order (ids fall as dates rise). */
	o.field = "date";
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 20);
	page_olga(&o, STORE_PAGE_START, NULL, 0, 3, &p, &calls);
	expect_ids(&p, "58 55 52", 1, 0);
	ck_assert_int_eq(calls, 3);
	page_olga(&o, STORE_PAGE_AFTER, &p.rows[2], 0, 3, &q, &calls);
	expect_ids(&q, "49 46 43", 0, 0);
	store_page_free(&p);
	page_olga(&o, STORE_PAGE_BEFORE, &q.rows[0], 0, 5, &p, &calls);
	expect_ids(&p, "58 55 52", 1, 0);
	store_page_free(&p);
	page_olga(&o, STORE_PAGE_AT, &q.rows[1], 0, 2, &p, &calls);
	expect_ids(&p, "46 43", 0, 0);
	store_page_free(&p);
	store_page_free(&q);
	page_olga(&o, STORE_PAGE_END, NULL, 0, 2, &p, &calls);
	expect_ids(&p, "4 1", 0, 1);
	store_page_free(&p);
	page_olga(&o, STORE_PAGE_SKIP, NULL, 19, 5, &p, &calls);
	expect_ids(&p, "1", 0, 1);
	store_page_free(&p);
	/* A prefix typed narrows the scope, apart from it. */
	o.prefix = "2026-12";	/* ids 1..28: hers are 1 4 .. 28 */
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 10);
	page_olga(&o, STORE_PAGE_START, NULL, 0, 20, &p, &calls);
	expect_ids(&p, "28 25 22 19 16 13 10 7 4 1", 1, 1);
	store_page_free(&p);

	/* By officer: her key only ("olgan" starts the same). */
	o.field = "officer";
	o.prefix = "OL";
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 20);
	o.prefix = "pa";
	page_olga(&o, STORE_PAGE_START, NULL, 0, 5, &p, &calls);
	expect_ids(&p, "", 1, 1);
	ck_assert_int_eq(calls, 0);
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 0);

	/* A case nobody owns: hers too, found by reading the whole form. */
	ck_assert_msg(store_run(st, case_fn, &a, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	o.field = NULL;
	o.prefix = NULL;
	page_olga(&o, STORE_PAGE_END, NULL, 0, 2, &p, &calls);
	expect_ids(&p, "58 61", 0, 1);
	store_page_free(&p);
	o.field = "date";
	page_olga(&o, STORE_PAGE_END, NULL, 0, 2, &p, &calls);
	expect_ids(&p, "1 61", 0, 1);
	store_page_free(&p);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_errors)
{
	struct store_page_order	o = { "person", "remarks", NULL, NULL, NULL,
	    0, NULL, 0 };
	struct store_page_query	q;
	struct store_page	p;
	struct ncen_err		err = NCEN_ERR_INIT;
	uint64_t		n;

	memset(&q, 0, sizeof q);
	q.n = 5;
	/* Not indexed, not a field, not a form. */
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err), NCEN_EUSAGE);
	o.field = "nosuch";
	ck_assert_int_eq(store_page_count(st, &o, &n, &err), NCEN_ENOTFOUND);
	o.entity = "nosuch";
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err),
	    NCEN_ENOTFOUND);
	/* A number field takes a whole number. */
	o.entity = "seizure";
	o.field = "case";
	o.prefix = "x1";
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err),
	    NCEN_EINVALID);
	o.prefix = "12";
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err), NCEN_OK);
	ck_assert_uint_eq(p.n, 0);
	store_page_free(&p);
	/* AFTER needs a row. */
	o.entity = "person";
	o.field = NULL;
	o.prefix = NULL;
	q.from = STORE_PAGE_AFTER;
	ck_assert_int_eq(store_page_read(st, &o, &q, &p, &err), NCEN_EUSAGE);
	ncen_err_free(&err);
}
END_TEST

/* The suite. */
static Suite *
page_suite(void)
{
	Suite	*s = suite_create("page");
	TCase	*tc = tcase_create("page");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_forwards);
	tcase_add_test(tc, test_backwards);
	tcase_add_test(tc, test_desc);
	tcase_add_test(tc, test_id_order);
	tcase_add_test(tc, test_skip);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_keep);
	tcase_add_test(tc, test_scope);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(page_suite());
}
