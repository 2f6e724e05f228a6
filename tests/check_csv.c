/* check_csv.c - the CSV reader and writer: each awkward case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "error.h"
#include "testlib.h"
#include "xmalloc.h"

/*
 * Describe every record of an input, one a line: "LINE-ENDLINE:" then
 * each field in brackets (CR and LF shown as \r and \n), or for a
 * malformed record "LINE-ENDLINE! BADLINE:BADCOL:FIELD why" before its
 * fields.  The error of the last malformed record goes to lasterr.
 */
static void
describe(struct csv_reader *rd, struct buf *out, struct buf *lasterr)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct csv_row	*row;
	size_t		 i, j;
	int		 r;

	buf_reset(out);
	buf_add(out, "", 0);
	while ((r = csv_read(rd, &row, &err)) != 0) {
		if (r < 0 && err.code != NCEN_EPARSE) {
			buf_addf(out, "EIO %s\n", ncen_err_msg(&err));
			break;
		}
		buf_addf(out, "%u-%u", row->line, row->endline);
		if (r < 0) {
			buf_addf(out, "! %u:%u:%zu %s", row->badline,
			    row->badcol, row->badfield, buf_cstr(&row->why));
			if (lasterr != NULL) {
				buf_reset(lasterr);
				buf_adds(lasterr, ncen_err_msg(&err));
			}
		} else
			buf_addc(out, ':');
		for (i = 0; i < row->n; i++) {
			buf_addc(out, '[');
			for (j = 0; j < row->len[i]; j++) {
				if (row->f[i][j] == '\r')
					buf_adds(out, "\\r");
				else if (row->f[i][j] == '\n')
					buf_adds(out, "\\n");
				else
					buf_addc(out, row->f[i][j]);
			}
			buf_addc(out, ']');
		}
		buf_addc(out, '\n');
	}
	ncen_err_free(&err);
}

/* Describe an input given as a string. */
static char *
describe_str(const char *text, size_t len)
{
	struct csv_reader	*rd = csv_open_mem(text, len, "t.csv");
	struct buf		 out = BUF_INIT;

	describe(rd, &out, NULL);
	csv_close(rd);
	return buf_detach(&out);
}

/* Inputs and what the reader must make of them. */
static const struct {
	const char	*name;
	const char	*in;
	const char	*want;
} cases[] = {
	{ "CR LF", "a,b,c\r\n1,2,3\r\n",
	  "1-1:[a][b][c]\n2-2:[1][2][3]\n" },
	{ "LF", "a,b\n1,2\n", "1-1:[a][b]\n2-2:[1][2]\n" },
	{ "lone CR", "a,b\r1,2\r", "1-1:[a][b]\n2-2:[1][2]\n" },
	{ "no line end at the end", "a,b\r\n1,2",
	  "1-1:[a][b]\n2-2:[1][2]\n" },
	{ "empty fields", ",,\r\n\"\"\r\n",
	  "1-1:[][][]\n2-2:[]\n" },
	{ "empty lines skipped", "\r\n\na,b\r\n\r\n\r\n1,2\n\n",
	  "3-3:[a][b]\n6-6:[1][2]\n" },
	{ "quoted comma and quotes", "\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n",
	  "1-1:[a,b][say \"hi\"][]\n" },
	{ "quoted line ends", "\"one\r\ntwo\nthree\rfour\",x\r\nnext,y\r\n",
	  "1-4:[one\\r\\ntwo\\nthree\\rfour][x]\n5-5:[next][y]\n" },
	{ "BOM at the start", "\xef\xbb\xbfid,name\r\n1,x\r\n",
	  "1-1:[id][name]\n2-2:[1][x]\n" },
	{ "BOM elsewhere is data", "a,\xef\xbb\xbf" "b\r\n",
	  "1-1:[a][\xef\xbb\xbf" "b]\n" },
	{ "only a BOM", "\xef\xbb\xbf", "" },
	{ "spaces are data", " a , b \r\n", "1-1:[ a ][ b ]\n" },
	{ "UTF-8", "caf\xc3\xa9,\xe2\x82\xac,\xf0\x9f\x98\x80\r\n",
	  "1-1:[caf\xc3\xa9][\xe2\x82\xac][\xf0\x9f\x98\x80]\n" },
	{ "stray quote, then the next record",
	  "a,b\"c,d\r\n1,2,3\r\n",
	  "1-1! 1:4:1 expected no quote inside a field without quotes, "
	  "found one (quote the whole field and double the quotes inside "
	  "it)[a][b\"c][d]\n2-2:[1][2][3]\n" },
	{ "text after a closing quote", "\"ab\"c,d\r\nx\r\n",
	  "1-1! 1:5:0 expected a comma or the end of the line after a "
	  "closing quote, found 'c'[abc][d]\n2-2:[x]\n" },
	{ "unterminated quote", "a,b\r\n1,\"open\r\nmore,stuff\r\n",
	  "1-1:[a][b]\n2-4! 2:3:1 expected a closing quote for the field "
	  "opened here, found the end of the file[1][open\\r\\nmore,stuff"
	  "\\r\\n]\n" },
	{ "invalid byte", "a,\xff" "b\r\nc\r\n",
	  "1-1! 1:3:1 expected UTF-8 text, found the byte 0xff[a][\xff" "b]"
	  "\n2-2:[c]\n" },
	{ "column counts characters", "\xc3\xa9t\xc3\xa9,\xc3\x28\r\n",
	  "1-1! 1:5:1 expected UTF-8 text, found the byte 0xc3[\xc3\xa9t"
	  "\xc3\xa9][\xc3(]\n" },
	{ "overlong", "\xc0\xaf\r\n",
	  "1-1! 1:1:0 expected UTF-8 text, found the byte 0xc0[\xc0\xaf]\n" },
	{ "surrogate", "x\xed\xa0\x80\r\n",
	  "1-1! 1:2:0 expected UTF-8 text, found the bytes 0xed 0xa0"
	  "[x\xed\xa0\x80]\n" },
	{ "cut at the end", "ok,\xe2\x82",
	  "1-1! 1:4:1 expected UTF-8 text, found the bytes 0xe2 0x82[ok]"
	  "[\xe2\x82]\n" },
	{ "cut by a comma", "\xe2\x82,x\r\n",
	  "1-1! 1:1:0 expected UTF-8 text, found the bytes 0xe2 0x82"
	  "[\xe2\x82][x]\n" },
	{ "error on a later line of a record", "\"a\nb\xff\",c\r\n",
	  "1-2! 2:2:0 expected UTF-8 text, found the byte 0xff[a\\nb\xff]"
	  "[c]\n" },
};

START_TEST(test_cases)
{
	const char	*in = cases[_i].in;
	char		*got;

	got = describe_str(in, strlen(in));
	ck_assert_msg(strcmp(got, cases[_i].want) == 0,
	    "%s:\ngot  %s\nwant %s", cases[_i].name, got, cases[_i].want);
	free(got);
}
END_TEST

START_TEST(test_nul)
{
	char	*got;

	got = describe_str("a\0b,c\r\nd\r\n", 10);
	ck_assert_str_eq(got, "1-1! 1:2:0 expected text, found a NUL byte"
	    "[ab][c]\n2-2:[d]\n");
	free(got);
}
END_TEST

START_TEST(test_error_message)
{
	struct csv_reader	*rd;
	struct buf		 out = BUF_INIT, err = BUF_INIT;
	const char		 in[] = "x\r\n\"never closed\r\n";

	rd = csv_open_mem(in, sizeof in - 1, "dir/t.csv");
	describe(rd, &out, &err);
	ck_assert_str_eq(err.s, "dir/t.csv:2:1: expected a closing quote for "
	    "the field opened here, found the end of the file");
	csv_close(rd);
	buf_free(&out);
	buf_free(&err);
}
END_TEST

/* A field of n bytes of 'x' between two small ones, as CSV. */
static char *
big_field(size_t n, int quoted, size_t *len)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	buf_adds(&b, "a,");
	if (quoted)
		buf_addc(&b, '"');
	buf_grow(&b, n + 16);
	for (i = 0; i < n; i++)
		buf_addc(&b, i % 1000 == 999 && quoted ? '\n' : 'x');
	if (quoted)
		buf_addc(&b, '"');
	buf_adds(&b, ",z\r\nnext\r\n");
	*len = b.len;
	return buf_detach(&b);
}

START_TEST(test_one_megabyte_field)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;
	size_t			 len;
	char			*in = big_field(1024 * 1024, 1, &len);

	rd = csv_open_mem(in, len, "big.csv");
	ck_assert_int_eq(csv_read(rd, &row, &err), 1);
	ck_assert_uint_eq(row->n, 3);
	ck_assert_uint_eq(row->len[1], 1024 * 1024);
	ck_assert_uint_eq(row->line, 1);
	ck_assert_uint_eq(row->endline, 1 + 1024 * 1024 / 1000);
	ck_assert_str_eq(row->f[2], "z");
	ck_assert_int_eq(csv_read(rd, &row, &err), 1);
	ck_assert_str_eq(row->f[0], "next");
	ck_assert_uint_eq(row->line, 2 + 1024 * 1024 / 1000);
	ck_assert_int_eq(csv_read(rd, &row, &err), 0);
	csv_close(rd);
	free(in);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_field_limit)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;
	size_t			 len;
	char			*in = big_field(CSV_MAXFIELD + 10, 0, &len);

	rd = csv_open_mem(in, len, "huge.csv");
	ck_assert_int_eq(csv_read(rd, &row, &err), -1);
	ck_assert_int_eq(err.code, NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "huge.csv:1:4194307: expected "
	    "at most 4194304 bytes in a field, found more");
	ck_assert_uint_eq(row->badfield, 1);
	ck_assert_uint_eq(row->len[1], CSV_MAXFIELD);
	ck_assert_str_eq(row->f[2], "z");
	ck_assert_int_eq(csv_read(rd, &row, &err), 1);
	ck_assert_str_eq(row->f[0], "next");
	csv_close(rd);
	free(in);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_set_limits)
{
	static const struct csv_limits lim = { 3, 2, 0 }, rec = { 0, 0, 4 };
	struct csv_reader	*rd;
	struct buf		 out = BUF_INIT;
	const char		 in[] = "abc,de\r\nabcd\r\na,b,c\r\n";

	rd = csv_open_mem(in, sizeof in - 1, "t.csv");
	csv_set_limits(rd, &lim);
	describe(rd, &out, NULL);
	ck_assert_str_eq(out.s, "1-1:[abc][de]\n"
	    "2-2! 2:4:0 expected at most 3 bytes in a field, found more[abc]\n"
	    "3-3! 3:5:2 expected at most 2 fields, found more[a][b]\n");
	csv_close(rd);

	rd = csv_open_mem(in, sizeof in - 1, "t.csv");
	csv_set_limits(rd, &rec);
	describe(rd, &out, NULL);
	ck_assert_str_eq(out.s, "1-1! 1:6:1 expected at most 4 bytes in a "
	    "record, found more[abc][d]\n2-2:[abcd]\n3-3:[a][b][c]\n");
	csv_close(rd);
	buf_free(&out);
}
END_TEST

START_TEST(test_stream_chunks)
{
	struct csv_reader	*rd;
	struct buf		 in = BUF_INIT, out = BUF_INIT, mem = BUF_INIT;
	FILE			*f;
	size_t			 i;

	/* Put a CR LF, a quote pair and a UTF-8 character across 64 KiB. */
	buf_adds(&in, "\xef\xbb\xbfh\r\n");
	while (in.len < 65536 - 1)
		buf_addc(&in, 'x');
	buf_adds(&in, "\r\n\"q");
	while (in.len < 2 * 65536 - 1)
		buf_addc(&in, 'y');
	buf_adds(&in, "\"\"\"\r\n");
	while (in.len < 3 * 65536 - 1)
		buf_addc(&in, 'z');
	buf_adds(&in, "\xc3\xa9\r\nend");
	ck_assert_ptr_nonnull(f = tmpfile());
	ck_assert_uint_eq(fwrite(in.s, 1, in.len, f), in.len);
	rewind(f);
	rd = csv_open_file(f, "t.csv");
	describe(rd, &out, NULL);
	ck_assert_uint_eq(csv_offset(rd), in.len);
	csv_close(rd);
	fclose(f);
	rd = csv_open_mem(in.s, in.len, "t.csv");
	describe(rd, &mem, NULL);
	csv_close(rd);
	ck_assert_str_eq(out.s, mem.s);
	ck_assert(strncmp(out.s, "1-1:[h]\n2-2:[xxx", 16) == 0);
	for (i = 0; out.s[i] != '\0'; i++)
		ck_assert(out.s[i] != '!');
	ck_assert_ptr_nonnull(strstr(out.s, "\n3-3:[qyyy"));
	ck_assert_ptr_nonnull(strstr(out.s, "yyy\"]\n4-4:[zzz"));
	ck_assert_ptr_nonnull(strstr(out.s, "zz\xc3\xa9]\n5-5:[end]\n"));
	buf_free(&in);
	buf_free(&out);
	buf_free(&mem);
}
END_TEST

START_TEST(test_read_error)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;
	FILE			*f;

	/* A stream open only for writing cannot be read. */
	ck_assert_ptr_nonnull(f = fopen("/dev/null", "w"));
	rd = csv_open_file(f, "w.csv");
	ck_assert_int_eq(csv_read(rd, &row, &err), -1);
	ck_assert_int_eq(err.code, NCEN_EIO);
	ck_assert(strncmp(ncen_err_msg(&err), "w.csv: read error: ", 19) == 0);
	csv_close(rd);
	fclose(f);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_empty_input)
{
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;

	rd = csv_open_mem("", 0, "e.csv");
	ck_assert_int_eq(csv_read(rd, &row, &err), 0);
	ck_assert_int_eq(csv_read(rd, &row, &err), 0);
	csv_close(rd);
	csv_close(NULL);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_needs_quotes)
{
	ck_assert_int_eq(csv_needs_quotes("", 0), 0);
	ck_assert_int_eq(csv_needs_quotes("plain text", 10), 0);
	ck_assert_int_eq(csv_needs_quotes("caf\xc3\xa9", 5), 0);
	ck_assert_int_eq(csv_needs_quotes("a,b", 3), 1);
	ck_assert_int_eq(csv_needs_quotes("a\"b", 3), 1);
	ck_assert_int_eq(csv_needs_quotes("a\nb", 3), 1);
	ck_assert_int_eq(csv_needs_quotes("a\rb", 3), 1);
	ck_assert_int_eq(csv_needs_quotes(" a", 2), 1);
	ck_assert_int_eq(csv_needs_quotes("a\t", 2), 1);
	ck_assert_int_eq(csv_needs_quotes("a;b\\c", 5), 0);
}
END_TEST

START_TEST(test_write)
{
	struct buf		 b = BUF_INIT;
	const char		*row[] = { "1", "a,b", "say \"hi\"",
				    "two\nlines", "", " edge" };
	const char		*one[] = { "" };
	const size_t		 lens[] = { 3 };
	const char		*nul[] = { "a\0b" };

	csv_write_row(&b, row, NULL, 6);
	ck_assert_str_eq(b.s, "1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,"
	    "\" edge\"\r\n");
	buf_reset(&b);
	csv_write_row(&b, one, NULL, 1);
	ck_assert_str_eq(b.s, "\"\"\r\n");
	buf_reset(&b);
	csv_write_field(&b, "\"", 1);
	ck_assert_str_eq(b.s, "\"\"\"\"");
	buf_reset(&b);
	csv_write_row(&b, nul, lens, 1);
	ck_assert_uint_eq(b.len, 5);
	ck_assert(memcmp(b.s, "a\0b\r\n", 5) == 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_round_trip)
{
	const char		*f[] = { "", "x", "a,b", "\"", "\"\"", "\r\n",
				    "line\nline", " sp ", "caf\xc3\xa9", ",",
				    "\xe2\x82\xac,\"\r" };
	const size_t		 n = sizeof f / sizeof f[0];
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i, k;

	/* Every field alone, and all of them in one record, twice. */
	for (i = 0; i < n; i++)
		csv_write_row(&b, &f[i], NULL, 1);
	csv_write_row(&b, f, NULL, n);
	csv_write_row(&b, f, NULL, n);
	rd = csv_open_mem(b.s, b.len, "rt.csv");
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(csv_read(rd, &row, &err), 1);
		ck_assert_uint_eq(row->n, 1);
		ck_assert_str_eq(row->f[0], f[i]);
	}
	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(csv_read(rd, &row, &err), 1);
		ck_assert_uint_eq(row->n, n);
		for (i = 0; i < n; i++)
			ck_assert_str_eq(row->f[i], f[i]);
	}
	ck_assert_int_eq(csv_read(rd, &row, &err), 0);
	csv_close(rd);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

/*
 * The formula guard: which fields get a quote in front, how they are
 * written, and that reading back and taking the guard off gives every
 * field as it was.
 */
START_TEST(test_guard)
{
	static const struct {
		const char	*in;
		const char	*out;	/* as written */
	} g[] = {
		{ "=HYPERLINK(\"http://x/\",\"y\")",
		  "\"'=HYPERLINK(\"\"http://x/\"\",\"\"y\"\")\"" },
		{ "+33 1 23", "'+33 1 23" },
		{ "-2+3", "'-2+3" },
		{ "@SUM(A1)", "'@SUM(A1)" },
		{ "\tcmd", "'\tcmd" },
		{ "\rcmd", "\"'\rcmd\"" },
		{ "'quoted", "''quoted" },
		{ "'=x", "''=x" },
		{ "-12.500", "-12.500" },	/* a number, not a formula */
		{ "-12", "-12" },
		{ "-", "'-" },
		{ "-1.", "'-1." },
		{ "a=b", "a=b" },
		{ "", "" },
		{ "plain", "plain" },
	};
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i, skip;

	for (i = 0; i < sizeof g / sizeof g[0]; i++) {
		buf_reset(&b);
		csv_write_guarded(&b, g[i].in, strlen(g[i].in));
		ck_assert_str_eq(buf_cstr(&b), g[i].out);
		buf_adds(&b, "\r\n");
		rd = csv_open_mem(b.s, b.len, "g.csv");
		if (b.len > 2) {
			ck_assert_int_eq(csv_read(rd, &row, &err), 1);
			skip = csv_unguard(row->f[0], row->len[0]);
			ck_assert_str_eq(row->f[0] + skip, g[i].in);
		}
		csv_close(rd);
	}
	/* Only the guard's own quote is taken off. */
	ck_assert_uint_eq(csv_unguard("'hello", 6), 0);
	ck_assert_uint_eq(csv_unguard("'", 1), 0);
	ck_assert_uint_eq(csv_unguard("'@x", 3), 1);
	ck_assert_int_eq(csv_guard_needed("-0.5", 4), 0);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_fixtures)
{
	static const struct {
		const char	*file;
		const char	*want;	/* in the description */
	} fx[] = {
		{ "tests/fixtures/csv/quotes.csv", "2-2:[1][Line \"one\", "
		  "quoted][a;b]" },
		{ "tests/fixtures/csv/crlf.csv", "3-4:[2][two\\r\\nlines]" },
		{ "tests/fixtures/csv/bom.csv", "1-1:[id][name]" },
		{ "tests/fixtures/csv/empty-lines.csv", "6-6:[2][second]" },
		{ "tests/fixtures/csv/bad-utf8.csv", "3-3! 3:7:1 " },
		{ "tests/fixtures/csv/stray-quote.csv", "3-3! 3:7:1 " },
		{ "tests/fixtures/csv/unterminated.csv", "3-5! 3:3:1 " },
		{ "tests/fixtures/csv/wrong-columns.csv",
		  "3-3:[2][b][c]\n4-4:[3]\n" },
	};
	struct csv_reader	*rd;
	struct buf		 out = BUF_INIT;
	char			*path, *text;
	size_t			 i, len;

	for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
		path = test_path(fx[i].file);
		text = test_read_file(path, &len);
		ck_assert_msg(text != NULL, "%s", path);
		rd = csv_open_mem(text, len, path);
		describe(rd, &out, NULL);
		ck_assert_msg(strstr(out.s, fx[i].want) != NULL, "%s:\n%s",
		    fx[i].file, out.s);
		csv_close(rd);
		free(text);
		free(path);
	}
	buf_free(&out);
}
END_TEST

/* The CSV suite. */
static Suite *
csv_suite(void)
{
	Suite	*s = suite_create("csv");
	TCase	*tr = tcase_create("read");
	TCase	*tw = tcase_create("write");

	tcase_add_loop_test(tr, test_cases, 0,
	    (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tr, test_nul);
	tcase_add_test(tr, test_error_message);
	tcase_add_test(tr, test_one_megabyte_field);
	tcase_add_test(tr, test_field_limit);
	tcase_add_test(tr, test_set_limits);
	tcase_add_test(tr, test_stream_chunks);
	tcase_add_test(tr, test_read_error);
	tcase_add_test(tr, test_empty_input);
	tcase_add_test(tr, test_fixtures);
	tcase_set_timeout(tr, 30);
	suite_add_tcase(s, tr);
	tcase_add_test(tw, test_needs_quotes);
	tcase_add_test(tw, test_write);
	tcase_add_test(tw, test_round_trip);
	tcase_add_test(tw, test_guard);
	suite_add_tcase(s, tw);
	return s;
}

int
main(void)
{
	return test_run(csv_suite());
}
