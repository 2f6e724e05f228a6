/*
 * csv.h - RFC 4180 comma-separated values: a streaming reader and a writer.
 *
 * The reader takes a stdio stream or a block of memory and gives one
 * record at a time.  It accepts what RFC 4180 describes and what
 * spreadsheets write around it: records end in CR LF, LF or a lone CR;
 * fields in double quotes may hold commas, line ends and doubled quotes
 * (""); a UTF-8 byte order mark at the very start is skipped; lines with
 * nothing on them are skipped (RFC 4180 has none; a record with one empty
 * field is written "" by the writer, so nothing is lost).  Every field
 * must be UTF-8 without NUL bytes.  Each record carries the physical line
 * it starts on (a quoted field may span lines).
 *
 * A malformed record (a quote inside an unquoted field, text after a
 * closing quote, invalid UTF-8, a NUL byte, a field or record over the
 * limits, a quoted field never closed) is still returned, with its
 * fields as far as they could be recovered, and the first problem is
 * described in the row (line, column in characters, field) and in the
 * error as "NAME:LINE:COL: reason"; the next call reads on from the
 * next record.  Limits: a field may hold csv_limits.maxfield bytes
 * (default 4 MiB), a record maxfields fields (default 4096) and
 * maxrecord bytes in all (default 64 MiB); beyond them the excess is
 * dropped, so memory stays bounded on any input.
 *
 * The writer quotes a field only when it must (a comma, a quote, a CR
 * or LF, or space at either end, which some programs trim) and ends
 * every record with CR LF, as RFC 4180 says and spreadsheets expect; a
 * record of one empty field is written as "" so that it is not an empty
 * line.
 *
 * Formula guard: a spreadsheet opening a cell that begins with =, +,
 * -, @, TAB or CR runs it as a formula (=HYPERLINK(...) in a narrative
 * becomes a live link).  csv_write_guarded() writes such a field with a
 * single quote in front (spreadsheets show the rest as text), and also
 * a field that begins with a quote, so that csv_unguard() can give back
 * exactly what was written: it drops a leading quote that is followed
 * by one of those characters or by another quote, and nothing else.
 * A field that is a plain number (-12.5) is not a formula and is
 * written as it is.
 *
 * Contract: csv_read() returns 1 and a row when a well-formed record
 * was read, 0 at the end, or -1 with the error set: NCEN_EPARSE for a
 * malformed record (the row is valid and reading may go on) or NCEN_EIO
 * when the stream failed (stop).  The row and its fields belong to the
 * reader and stay valid until the next csv_read() or csv_close().  The
 * reader never closes the stream it was given.  Nothing here prints or
 * exits.
 */
#ifndef NCEN_CSV_H
#define NCEN_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"

#define CSV_MAXFIELD	(4U * 1024 * 1024)	/* bytes in one field */
#define CSV_MAXFIELDS	4096			/* fields in one record */
#define CSV_MAXRECORD	(64U * 1024 * 1024)	/* bytes in one record */

struct csv_limits {
	size_t		 maxfield;
	size_t		 maxfields;
	size_t		 maxrecord;
};

struct csv_row {
	char		**f;		/* fields, each NUL-terminated */
	size_t		 *len;		/* their lengths in bytes */
	size_t		  n;		/* how many (at least 1) */
	unsigned	  line;		/* physical line the record starts on */
	unsigned	  endline;	/* physical line it ends on */
	int		  bad;		/* malformed: see below */
	unsigned	  badline;	/* where the first problem is */
	unsigned	  badcol;	/* column in characters, from 1 */
	size_t		  badfield;	/* field it is in, from 0 */
	struct buf	  why;		/* the problem in words */
};

struct csv_reader;

struct csv_reader *csv_open_file(FILE *, const char *name);
struct csv_reader *csv_open_mem(const void *, size_t, const char *name);
void		 csv_set_limits(struct csv_reader *, const struct csv_limits *);
int		 csv_read(struct csv_reader *, struct csv_row **,
		     struct ncen_err *);
size_t		 csv_offset(const struct csv_reader *);
void		 csv_close(struct csv_reader *);

int		 csv_needs_quotes(const char *, size_t);
void		 csv_write_field(struct buf *, const char *, size_t);
int		 csv_guard_needed(const char *, size_t);
void		 csv_write_guarded(struct buf *, const char *, size_t);
size_t		 csv_unguard(const char *, size_t);
void		 csv_write_row(struct buf *, const char *const *,
		     const size_t *, size_t);

#endif
