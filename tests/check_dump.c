/* check_dump.c - the dump format: escapes, the parser's errors, loading. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-dump.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

/* The header and one valid case, for building dumps in tests. */
#define CASE10 "ncen-dump 1\nrecord case 10 1 1795770000 carol\n" \
	"field date 2026-11-05\nfield office FRCDG01\nfield country FR\n" \
	"field direction IMP\n"

static struct schema	*schema;

/* Load the shipped forms once per test. */
static void
setup(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir = test_builddir_path("forms");

	ck_assert_msg(schema_load_dir(dir, &schema, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	free(dir);
}

/* Free the forms. */
static void
teardown(void)
{
	schema_free(schema);
	schema = NULL;
}

/* Parse a dump from a string; the problems go to *problems. */
static int
parse(const char *text, struct store_dump **d, struct buf *problems,
    struct ncen_err *err)
{
	return store_dump_parse(schema, "t.dump", text, strlen(text), NULL,
	    NULL, d, problems, err);
}

START_TEST(test_escape)
{
	struct buf	b = BUF_INIT;
	const char	in[] = "a\\b\nc\td\re\x01\x7f" "f \xc3\xa9";

	store_dump_escape(&b, in, sizeof in - 1);
	ck_assert_str_eq(b.s, "a\\\\b\\nc\\td\\re\\x01\\x7ff \xc3\xa9");
	buf_free(&b);
}
END_TEST

START_TEST(test_record_text)
{
	const struct schema_form	*f = schema_form_find(schema, "case");
	struct record			*r = record_new(f);
	struct buf			 b = BUF_INIT;

	r->id = 7;
	r->version = 3;
	r->mtime = -5;
	record_set(r, "office", "FR\nCDG", NULL);
	record_set(r, "transit", "PT", NULL);
	record_add_value(r, (size_t)schema_field_index(f, "transit"), "ES");
	store_dump_record(r, &b);
	ck_assert_str_eq(b.s, "record case 7 3 -5 \n"
	    "field office FR\\nCDG\nfield transit PT\nfield transit ES\n");
	record_free(r);
	buf_free(&b);
}
END_TEST

START_TEST(test_parse_good)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 problems = BUF_INIT;
	struct store_dump	*d = NULL;
	char			*path = test_path("tests/fixtures/ctl/small.dump");
	char			*text;
	size_t			 len;

	text = test_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(store_dump_parse(schema, path, text, len, NULL, NULL,
	    &d, &problems, &err) == NCEN_OK, "%s", buf_cstr(&problems));
	ck_assert_uint_eq(d->nrecs, 6);
	ck_assert_uint_eq(d->nlinks, 3);
	ck_assert_str_eq(d->recs[0].rec->form->name, "case");
	ck_assert_uint_eq(d->recs[0].rec->version, 2);
	ck_assert_str_eq(d->recs[0].rec->muser, "alice");
	ck_assert_str_eq(record_get(d->recs[3].rec, "given_names"),
	    "Se\xc3\xa1n \\ \"the back\\slash\"");
	ck_assert_str_eq(d->links[2].role, "OFFENDER");
	ck_assert_uint_eq(d->links[2].line, 52);
	ck_assert_uint_eq(d->version, 2);
	store_dump_free(d);
	free(text);
	free(path);
	buf_free(&problems);
	ncen_err_free(&err);
}
END_TEST

/* Bad dumps and the start of the message each must give. */
static const struct {
	const char	*text;
	const char	*want;
	enum ncen_code	 code;
} bad[] = {
	{ "", "t.dump:1: empty file", NCEN_EPARSE },
	{ "ncen-dump 3\n", "t.dump:1: not an ncen dump", NCEN_EPARSE },
	{ "ncen-dump 2\n", "t.dump:1: the dump does not end with its end line",
	  NCEN_EPARSE },
	{ "ncen-dump 2", "t.dump:1: the last line is cut short", NCEN_EPARSE },
	{ "ncen-dump 2\nend 0 0\n", "t.dump:2: bad end line", NCEN_EPARSE },
	{ "ncen-dump 2\nend 0 0 " "0000000000000000000000000000000000000000"
	  "000000000000000000000000\n", "t.dump:2: the SHA-256 of the lines",
	  NCEN_EPARSE },
	{ CASE10 "end 1 0 x\n", "t.dump:7: an end line must be the last",
	  NCEN_EPARSE },
	{ CASE10 "bogus\n", "t.dump:7: unknown line 'bogus'", NCEN_EPARSE },
	{ CASE10 " field x y\n", "t.dump:7: a line may not start", NCEN_EPARSE },
	{ CASE10 "field place a\\\n", "t.dump:7: bad escape", NCEN_EPARSE },
	{ CASE10 "field place a\\x41\n", "t.dump:7: bad escape", NCEN_EPARSE },
	{ CASE10 "field place a\\x0\n", "t.dump:7: bad escape", NCEN_EPARSE },
	{ CASE10 "field place \xc3\x28\n", "t.dump:7: invalid UTF-8",
	  NCEN_EPARSE },
	{ CASE10 "field place \xed\xa0\x80\n", "t.dump:7: invalid UTF-8",
	  NCEN_EPARSE },
	{ CASE10 "field place a\rb\n", "t.dump:7: control character 0x0d",
	  NCEN_EPARSE },
	{ CASE10 "field place\n", "t.dump:7: expected 'field NAME VALUE'",
	  NCEN_EPARSE },
	{ CASE10 "field place \n", "t.dump:7: place: empty value",
	  NCEN_EINVALID },
	{ CASE10 "field nope 1\n", "t.dump:7: form case has no field 'nope'",
	  NCEN_EINVALID },
	{ CASE10 "field date 2026-11-06\n", "t.dump:7: date: only one",
	  NCEN_EINVALID },
	{ CASE10 "field direction XXX\n", "t.dump:7: direction:",
	  NCEN_EINVALID },
	{ CASE10 "extra date x\n", "t.dump:7: 'date' is a field of case",
	  NCEN_EPARSE },
	{ "ncen-dump 1\nfield date 2026-11-05\n",
	  "t.dump:2: 'field' with no 'record' line before", NCEN_EPARSE },
	{ CASE10 "link case 10 case 11 X\nfield place P\n",
	  "t.dump:8: 'field' with no 'record' line before", NCEN_EPARSE },
	{ "ncen-dump 1\nrecord ship 1 1 0 x\n",
	  "t.dump:2: unknown entity 'ship'", NCEN_EPARSE },
	{ "ncen-dump 1\nrecord case 01 1 0 x\n", "t.dump:2: expected a record id",
	  NCEN_EPARSE },
	{ "ncen-dump 1\nrecord case 18446744073709551616 1 0 x\n",
	  "t.dump:2: expected a record id", NCEN_EPARSE },
	{ "ncen-dump 1\nrecord case 1 0 0 x\n", "t.dump:2: expected a version",
	  NCEN_EPARSE },
	{ "ncen-dump 1\nrecord case 1 1 1x x\n", "t.dump:2: expected a time",
	  NCEN_EPARSE },
	{ "ncen-dump 1\nrecord case 1 1 0\n", "t.dump:2: expected a space",
	  NCEN_EPARSE },
	{ CASE10 "record case 10 2 0 x\n",
	  "t.dump:7: case 10 appears twice (first at line 2)", NCEN_EINVALID },
	{ "ncen-dump 1\nrecord seizure 1 1 0 x\nfield case 5\n",
	  "t.dump:3: case: ", NCEN_EINVALID },
	{ CASE10 "link case 10 person 3 SUSPECT\n",
	  "t.dump:7: person 3: no such record", NCEN_EINVALID },
	{ CASE10 "link case 10 case 10 X\n", "t.dump:7: a record cannot be",
	  NCEN_EINVALID },
	{ CASE10 "link case 10 case 11\n", "t.dump:7: expected a role",
	  NCEN_EPARSE },
};

START_TEST(test_parse_bad)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 problems = BUF_INIT;
	struct store_dump	*d = NULL;
	int			 r;

	r = parse(bad[_i].text, &d, &problems, &err);
	ck_assert_ptr_null(d);
	ck_assert_msg(r == (int)bad[_i].code, "case %d: code %d, want %d (%s)",
	    _i, r, bad[_i].code, ncen_err_msg(&err));
	ck_assert_msg(strncmp(ncen_err_msg(&err), bad[_i].want,
	    strlen(bad[_i].want)) == 0, "case %d: got '%s', want '%s'", _i,
	    ncen_err_msg(&err), bad[_i].want);
	ck_assert_msg(strncmp(buf_cstr(&problems), bad[_i].want,
	    strlen(bad[_i].want)) == 0, "case %d: problems '%s'", _i,
	    buf_cstr(&problems));
	buf_free(&problems);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_parse_many_problems)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT, problems = BUF_INIT;
	struct store_dump	*d = NULL;
	size_t			 i, lines = 0;

	buf_adds(&text, "ncen-dump 1\n");
	for (i = 0; i < 150; i++)
		buf_adds(&text, "oops\n");
	ck_assert_int_eq(parse(text.s, &d, &problems, &err), NCEN_EPARSE);
	for (i = 0; i < problems.len; i++)
		lines += problems.s[i] == '\n';
	ck_assert_uint_eq(lines, 101);	/* 100, then "more not shown" */
	ck_assert_ptr_nonnull(strstr(problems.s, "t.dump:101: unknown line"));
	ck_assert_ptr_nonnull(strstr(problems.s, "more problems not shown"));
	buf_free(&text);
	buf_free(&problems);
	ncen_err_free(&err);
}
END_TEST

/* Write a dump of a store into a string. */
static void
dump_to(struct store *st, struct buf *out)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*p = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&p, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(store_dump_write(st, NULL, 0, NULL, NULL, f, &err), NCEN_OK);
	ck_assert_int_eq(fclose(f), 0);
	buf_reset(out);
	buf_add(out, p, len);
	free(p);
}

/* A new record without an id, put in a transaction. */
static int
put_new(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, arg, "tester", err);
}

START_TEST(test_load_round_trip)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 problems = BUF_INIT, out = BUF_INIT;
	struct store_dump	*d = NULL, *d2 = NULL;
	struct store		*st = NULL;
	struct record		*r;
	char			*dir = test_tmpdir();
	char			*path = test_path("tests/fixtures/ctl/small.dump");
	char			*text;
	size_t			 len;

	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.nosync = 1;
	ck_assert_msg(store_open(&o, schema, &st, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	text = test_read_file(path, &len);
	ck_assert_int_eq(store_dump_parse(schema, path, text, len, NULL, NULL,
	    &d, &problems, &err), NCEN_OK);
	ck_assert_msg(store_dump_load(st, d, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));

	/* Loading it twice fails whole, naming the first record's line. */
	ck_assert_int_eq(store_dump_parse(schema, path, text, len, NULL, NULL,
	    &d2, &problems, &err), NCEN_OK);
	ck_assert_int_eq(store_dump_load(st, d2, &err), NCEN_EEXISTS);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "small.dump:2: "));

	dump_to(st, &out);
	ck_assert_ptr_nonnull(strstr(out.s, "record case 1 2 1795770000 alice\n"));
	ck_assert_ptr_nonnull(strstr(out.s, "link case 2 person 2 OFFENDER\n"));

	/* Ids were kept: a new case gets one past them. */
	r = record_new(schema_form_find(schema, "case"));
	record_set(r, "date", "2026-11-27", NULL);
	record_set(r, "office", "FRCDG01", NULL);
	record_set(r, "country", "FR", NULL);
	record_set(r, "direction", "IMP", NULL);
	ck_assert_msg(store_run(st, put_new, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_uint_gt(r->id, 2);
	record_free(r);

	ck_assert_int_eq(store_close(st, &err), NCEN_OK);
	store_dump_free(d);
	store_dump_free(d2);
	free(text);
	free(path);
	test_rmdir(dir);
	free(dir);
	buf_free(&problems);
	buf_free(&out);
	ncen_err_free(&err);
}
END_TEST

/* Parse a dump held in a buffer; the code, with *d freed. */
static int
parse_buf(const struct buf *text, struct buf *problems, struct ncen_err *err,
    unsigned *version)
{
	struct store_dump	*d = NULL;
	int			 r;

	buf_reset(problems);
	ncen_err_clear(err);
	r = store_dump_parse(schema, "t.dump", text->s, text->len, NULL, NULL,
	    &d, problems, err);
	ck_assert_int_eq(r == NCEN_OK, d != NULL);
	if (version != NULL && d != NULL)
		*version = d->version;
	store_dump_free(d);
	return r;
}

/* A dump of the fixture, as store_dump_write writes it, into out. */
static void
written_dump(struct buf *out)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 problems = BUF_INIT;
	struct store_dump	*d = NULL;
	struct store		*st = NULL;
	char			*dir = test_tmpdir();
	char			*path;
	char			*text;
	size_t			 len;

	path = test_path("tests/fixtures/ctl/small.dump");
	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.nosync = 1;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	text = test_read_file(path, &len);
	ck_assert_int_eq(store_dump_parse(schema, path, text, len, NULL, NULL,
	    &d, &problems, &err), NCEN_OK);
	ck_assert_int_eq(store_dump_load(st, d, &err), NCEN_OK);
	dump_to(st, out);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);
	store_dump_free(d);
	free(text);
	free(path);
	test_rmdir(dir);
	free(dir);
	buf_free(&problems);
	ncen_err_free(&err);
}

START_TEST(test_end_line)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 whole = BUF_INIT, t = BUF_INIT, problems = BUF_INIT;
	const char	*endl;
	size_t		 i, body;
	unsigned	 version = 0;

	written_dump(&whole);
	ck_assert_int_eq(strncmp(whole.s, "ncen-dump 2\n", 12), 0);
	ck_assert_int_eq(parse_buf(&whole, &problems, &err, &version),
	    NCEN_OK);
	ck_assert_uint_eq(version, 2);
	endl = strstr(whole.s, "\nend 6 3 ");
	ck_assert_ptr_nonnull(endl);
	body = (size_t)(endl - whole.s) + 1;
	ck_assert_uint_eq(whole.len, body + strlen("end 6 3 \n") + 64);

	/* Cut anywhere, at a line boundary or inside a line: refused. */
	for (i = 0; i < whole.len; i++) {
		buf_reset(&t);
		buf_add(&t, whole.s, i);
		ck_assert_msg(parse_buf(&t, &problems, &err, NULL) ==
		    NCEN_EPARSE, "cut at %zu", i);
		/* Within the header, it is no dump at all. */
		ck_assert_msg(i < 12 || strstr(ncen_err_msg(&err),
		    "cut short") != NULL, "cut at %zu: %s", i,
		    ncen_err_msg(&err));
	}
	/* Any one byte changed: refused. */
	for (i = 0; i < whole.len - 1; i++) {
		buf_reset(&t);
		buf_add(&t, whole.s, whole.len);
		t.s[i] = t.s[i] == 'x' ? 'y' : 'x';
		ck_assert_msg(parse_buf(&t, &problems, &err, NULL) != NCEN_OK,
		    "byte %zu changed", i);
	}
	/* A count changed, the checksum right: refused, naming the line. */
	buf_reset(&t);
	buf_add(&t, whole.s, body);
	buf_adds(&t, "end 6 2 ");
	buf_add(&t, whole.s + body + 8, whole.len - body - 8);
	ck_assert_int_eq(parse_buf(&t, &problems, &err, NULL), NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "t.dump:53: the end line counts "
	    "6 records and 2 links, the dump holds 6 and 3: the dump was "
	    "altered");
	/* A line after the end: refused. */
	buf_reset(&t);
	buf_add(&t, whole.s, whole.len);
	buf_adds(&t, "# more\n");
	ck_assert_int_eq(parse_buf(&t, &problems, &err, NULL), NCEN_EPARSE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "t.dump:54: "));
	/* The end line missing: refused. */
	buf_reset(&t);
	buf_add(&t, whole.s, body);
	ck_assert_int_eq(parse_buf(&t, &problems, &err, NULL), NCEN_EPARSE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "t.dump:52: the "
	    "dump does not end with its end line"));
	/* Version 1, without an end line, is read and says so. */
	buf_reset(&t);
	buf_adds(&t, "ncen-dump 1");
	buf_add(&t, whole.s + 11, body - 11);
	ck_assert_int_eq(parse_buf(&t, &problems, &err, &version), NCEN_OK);
	ck_assert_uint_eq(version, 1);
	buf_free(&whole);
	buf_free(&t);
	buf_free(&problems);
	ncen_err_free(&err);
}
END_TEST

/* The dump suite. */
static Suite *
dump_suite(void)
{
	Suite	*s = suite_create("dump");
	TCase	*tc = tcase_create("text");
	TCase	*tl = tcase_create("load");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_record_text);
	tcase_add_test(tc, test_parse_good);
	tcase_add_loop_test(tc, test_parse_bad, 0,
	    (int)(sizeof bad / sizeof bad[0]));
	tcase_add_test(tc, test_parse_many_problems);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tl, setup, teardown);
	tcase_set_timeout(tl, 30);
	tcase_add_test(tl, test_load_round_trip);
	tcase_add_test(tl, test_end_line);
	suite_add_tcase(s, tl);
	return s;
}

int
main(void)
{
	return test_run(dump_suite());
}
