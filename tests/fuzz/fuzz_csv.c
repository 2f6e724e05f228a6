/*
 * fuzz_csv.c - libFuzzer target for the CSV reader and writer.
 *
 * The input is read as CSV from memory (exactly size bytes, so a read
 * past the end is caught) with the default limits and with tiny ones,
 * and again through a stdio stream, which must give the same records.
 * Every well-formed record is written back with the writer and read
 * again: the fields must come back byte for byte.  Build with
 * ./configure CC=clang --enable-fuzzing and run
 * tests/fuzz/fuzz_csv -dict=tests/fuzz/fuzz_csv.dict CORPUS.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "error.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Check a row's invariants; abort on a broken one. */
static void
fuzz_csv_row(const struct csv_row *row, int good)
{
	size_t	i;

	if (row->n == 0 || row->line == 0 || row->endline < row->line)
		abort();
	for (i = 0; i < row->n; i++) {
		if (row->f[i][row->len[i]] != '\0')
			abort();
		if (good && strlen(row->f[i]) != row->len[i])
			abort();
	}
	if (!good && (row->badline == 0 || row->badcol == 0 ||
	    row->why.len == 0))
		abort();
}

/* Write a well-formed row and read it back: the same fields. */
static void
fuzz_csv_again(const struct csv_row *row)
{
	struct csv_reader	*rd;
	struct csv_row		*back;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	/* A BOM that starts a file is not data: not a round trip. */
	if (row->len[0] >= 3 && memcmp(row->f[0], "\xef\xbb\xbf", 3) == 0)
		return;
	csv_write_row(&b, (const char *const *)row->f, row->len, row->n);
	rd = csv_open_mem(b.s, b.len, "again");
	if (csv_read(rd, &back, &err) != 1 || back->n != row->n)
		abort();
	for (i = 0; i < row->n; i++)
		if (back->len[i] != row->len[i] ||
		    memcmp(back->f[i], row->f[i], row->len[i]) != 0)
			abort();
	if (csv_read(rd, &back, &err) != 0)
		abort();
	csv_close(rd);
	buf_free(&b);
	ncen_err_free(&err);
}

/* Read everything with the given limits; the records as CSV in out. */
static void
fuzz_csv_read(struct csv_reader *rd, const struct csv_limits *lim,
    struct buf *out)
{
	struct csv_row	*row;
	struct ncen_err	 err = NCEN_ERR_INIT;
	int		 r;

	if (lim != NULL)
		csv_set_limits(rd, lim);
	while ((r = csv_read(rd, &row, &err)) != 0) {
		if (r < 0 && err.code != NCEN_EPARSE)
			break;
		fuzz_csv_row(row, r == 1);
		buf_addf(out, "%d %u %u:", r, row->line, row->endline);
		csv_write_row(out, (const char *const *)row->f, row->len,
		    row->n);
		if (r == 1 && lim == NULL)
			fuzz_csv_again(row);
	}
	ncen_err_free(&err);
}

/* Feed one input to the reader three ways, and the writer. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct csv_limits small = { 16, 4, 40 };
	struct csv_reader	*rd;
	struct buf		 a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
	char			*copy;
	FILE			*f;

	copy = xmemdup(data, size);
	rd = csv_open_mem(copy, size, "fuzz");
	fuzz_csv_read(rd, NULL, &a);
	csv_close(rd);

	rd = csv_open_mem(copy, size, "fuzz");
	fuzz_csv_read(rd, &small, &b);
	csv_close(rd);

	if (size != 0 && (f = fmemopen(copy, size, "r")) != NULL) {
		rd = csv_open_file(f, "fuzz");
		fuzz_csv_read(rd, NULL, &c);
		csv_close(rd);
		fclose(f);
		if (a.len != c.len || (a.len != 0 && memcmp(a.s, c.s, a.len)))
			abort();
	}
	buf_free(&a);
	buf_free(&b);
	buf_free(&c);
	free(copy);
	return 0;
}
