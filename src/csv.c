/*
 * csv.c - RFC 4180 comma-separated values: a streaming reader and a writer.
 *
 * The reader is a small state machine fed one byte at a time from a
 * window over the input (a 64 KiB chunk of a stream, or the whole block
 * of memory).  As it consumes a byte it keeps the physical line and the
 * column in characters, and decodes UTF-8 on the way, so every problem
 * can be named by line and column without a second pass.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "error.h"
#include "i18n.h"
#include "utf8.h"
#include "xmalloc.h"

#define CSV_CHUNK	65536

/* Where the parser is inside a record. */
enum csv_state {
	CSV_FIELD_START,	/* nothing of this field read yet */
	CSV_UNQUOTED,		/* inside a field without quotes */
	CSV_QUOTED,		/* inside "...", before the closing quote */
	CSV_QUOTE_SEEN,		/* a quote inside "...": "" or the end */
	CSV_AFTER_BAD,		/* text after a closing quote (reported) */
};

struct csv_reader {
	char			*name;
	FILE			*f;
	unsigned char		*chunk;		/* stream mode only */
	const unsigned char	*p, *end;	/* the unread window */
	int			 eof;		/* nothing more to read */
	int			 ioerr;		/* the stream failed (errno) */
	int			 started;	/* past a BOM, if any */
	size_t			 offset;	/* bytes consumed */
	unsigned		 line;		/* physical line, from 1 */
	unsigned		 col;		/* characters consumed on it */
	int			 lastcr;	/* the last byte was a CR */
	struct csv_limits	 lim;

	struct csv_row		 row;
	struct buf		 data;		/* fields, NUL-terminated */
	size_t			*offs;		/* where each field starts */
	size_t			 nalloc;	/* entries of offs */
	size_t			 rowalloc;	/* of the row's f, len */
	size_t			 nfields;	/* fields stored */
	size_t			 fieldno;	/* field being read, from 0 */
	size_t			 flen;		/* bytes in the current field */
	size_t			 rlen;		/* bytes in the record */

	/* The UTF-8 sequence being decoded. */
	unsigned		 u_need;	/* continuation bytes due */
	unsigned char		 u_lo, u_hi;	/* range of the next byte */
	unsigned char		 u_bytes[4];
	unsigned		 u_n;
	unsigned		 u_line, u_col;	/* where the sequence began */
};

/* Make a reader with the default limits, on no input yet. */
static struct csv_reader *
csv_new(const char *name)
{
	struct csv_reader	*rd;

	rd = xcalloc(1, sizeof *rd);
	rd->name = xstrdup(name != NULL ? name : "-");
	rd->line = 1;
	rd->lim.maxfield = CSV_MAXFIELD;
	rd->lim.maxfields = CSV_MAXFIELDS;
	rd->lim.maxrecord = CSV_MAXRECORD;
	return rd;
}

/* A reader over a stdio stream (which the caller keeps and closes). */
struct csv_reader *
csv_open_file(FILE *f, const char *name)
{
	struct csv_reader	*rd = csv_new(name);

	rd->f = f;
	rd->chunk = xmalloc(CSV_CHUNK);
	return rd;
}

/* A reader over a block of memory (which must outlive the reader). */
struct csv_reader *
csv_open_mem(const void *mem, size_t len, const char *name)
{
	struct csv_reader	*rd = csv_new(name);

	rd->p = mem;
	rd->end = rd->p + len;
	rd->eof = 1;
	return rd;
}

/* Change the limits; a zero keeps the current one. */
void
csv_set_limits(struct csv_reader *rd, const struct csv_limits *lim)
{
	if (lim->maxfield != 0)
		rd->lim.maxfield = lim->maxfield;
	if (lim->maxfields != 0)
		rd->lim.maxfields = lim->maxfields;
	if (lim->maxrecord != 0)
		rd->lim.maxrecord = lim->maxrecord;
}

/* How many bytes of the input have been read (for progress). */
size_t
csv_offset(const struct csv_reader *rd)
{
	return rd->offset;
}

/* Release a reader; the stream it was given stays open. */
void
csv_close(struct csv_reader *rd)
{
	if (rd == NULL)
		return;
	free(rd->name);
	free(rd->chunk);
	free(rd->offs);
	free(rd->row.f);
	free(rd->row.len);
	buf_free(&rd->row.why);
	buf_free(&rd->data);
	free(rd);
}

/* Refill the window from the stream; 0, or -1 at the end or on failure. */
static int
csv_fill(struct csv_reader *rd)
{
	size_t	n;

	if (rd->eof)
		return -1;
	n = fread(rd->chunk, 1, CSV_CHUNK, rd->f);
	if (n < CSV_CHUNK) {
		rd->eof = 1;
		if (ferror(rd->f))
			rd->ioerr = errno != 0 ? errno : EIO;
	}
	rd->p = rd->chunk;
	rd->end = rd->chunk + n;
	return n == 0 ? -1 : 0;
}

/* The next byte without consuming it, or -1 at the end of the input. */
static int
csv_peek(struct csv_reader *rd)
{
	if (rd->p == rd->end && csv_fill(rd) != 0)
		return -1;
	if (!rd->started) {
		rd->started = 1;
		/* A byte order mark at the very start is not data. */
		if (rd->end - rd->p >= 3 && memcmp(rd->p, "\xef\xbb\xbf", 3) ==
		    0) {
			rd->p += 3;
			rd->offset += 3;
			if (rd->p == rd->end && csv_fill(rd) != 0)
				return -1;
		}
	}
	return *rd->p;
}

/* Note the first problem of the record being read, at a line and column. */
static void
csv_problem(struct csv_reader *rd, unsigned line, unsigned col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
csv_problem(struct csv_reader *rd, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list	ap;

	if (rd->row.bad)
		return;
	rd->row.bad = 1;
	rd->row.badline = line;
	rd->row.badcol = col == 0 ? 1 : col;
	rd->row.badfield = rd->fieldno;
	va_start(ap, fmt);
	buf_vaddf(&rd->row.why, fmt, ap);
	va_end(ap);
}

/* Report a UTF-8 sequence that went wrong, with the bytes seen so far. */
static void
csv_utf8_bad(struct csv_reader *rd)
{
	struct buf	b = BUF_INIT;
	unsigned	i;

	for (i = 0; i < rd->u_n; i++)
		buf_addf(&b, "%s0x%02x", i == 0 ? "" : " ", rd->u_bytes[i]);
	csv_problem(rd, rd->u_line, rd->u_col, ngettext_("expected UTF-8 text, "
	    "found the byte %s", "expected UTF-8 text, found the bytes %s",
	    rd->u_n), buf_cstr(&b));
	buf_free(&b);
	rd->u_need = 0;
	rd->u_n = 0;
}

/* Start decoding a character at byte c (the column is already counted). */
static void
csv_utf8_start(struct csv_reader *rd, unsigned char c)
{
	int	need;

	rd->u_lo = 0x80;
	rd->u_hi = 0xbf;
	rd->u_line = rd->line;
	rd->u_col = rd->col;
	rd->u_bytes[0] = c;
	rd->u_n = 1;
	if (c < 0x80) {
		if (c == 0)
			csv_problem(rd, rd->line, rd->col, _("expected text, "
			    "found a NUL byte"));
		rd->u_n = 0;
		return;
	}
	if ((need = utf8_lead(c, &rd->u_lo, &rd->u_hi)) > 0)
		rd->u_need = (unsigned)need;
	else
		csv_utf8_bad(rd);
}

/* Consume one byte: lines, columns and UTF-8 are kept up to date. */
static unsigned char
csv_next(struct csv_reader *rd)
{
	unsigned char	c = *rd->p++;

	rd->offset++;
	if (rd->u_need != 0) {
		if (c >= rd->u_lo && c <= rd->u_hi) {
			rd->u_bytes[rd->u_n++] = c;
			rd->u_lo = 0x80;
			rd->u_hi = 0xbf;
			if (--rd->u_need == 0)
				rd->u_n = 0;
			return c;
		}
		if (c >= 0x80)
			rd->u_bytes[rd->u_n++] = c;	/* shown, not kept */
		csv_utf8_bad(rd);	/* c starts something new */
	}
	rd->col++;
	csv_utf8_start(rd, c);
	if (c == '\n') {
		if (!rd->lastcr)
			rd->line++;
		rd->col = 0;
	} else if (c == '\r') {
		rd->line++;
		rd->col = 0;
	}
	rd->lastcr = c == '\r';
	return c;
}

/* Begin a new field of the record. */
static void
csv_field_begin(struct csv_reader *rd)
{
	rd->flen = 0;
	if (rd->nfields >= rd->lim.maxfields) {
		if (rd->nfields == rd->fieldno)
			csv_problem(rd, rd->line, rd->col + 1, _("expected at "
			    "most %zu fields, found more"), rd->lim.maxfields);
		return;
	}
	if (rd->nfields == rd->nalloc) {
		rd->nalloc = rd->nalloc == 0 ? 16 : rd->nalloc * 2;
		rd->offs = xreallocarray(rd->offs, rd->nalloc,
		    sizeof *rd->offs);
	}
	rd->offs[rd->nfields++] = rd->data.len;
}

/* End the current field: terminate it and count it. */
static void
csv_field_end(struct csv_reader *rd)
{
	if (rd->nfields == rd->fieldno + 1)
		buf_addc(&rd->data, '\0');
	rd->fieldno++;
}

/* Add a byte to the current field, within the limits. */
static void
csv_field_add(struct csv_reader *rd, unsigned char c)
{
	if (rd->nfields != rd->fieldno + 1 || c == '\0')
		return;		/* past the limit, or a NUL (reported) */
	if (rd->flen >= rd->lim.maxfield) {
		if (rd->flen == rd->lim.maxfield)
			csv_problem(rd, rd->line, rd->col, _("expected at most "
			    "%zu bytes in a field, found more"),
			    rd->lim.maxfield);
		rd->flen = rd->lim.maxfield + 1;
		return;
	}
	if (rd->rlen >= rd->lim.maxrecord) {
		csv_problem(rd, rd->line, rd->col, _("expected at most %zu "
		    "bytes in a record, found more"), rd->lim.maxrecord);
		return;
	}
	buf_addc(&rd->data, c);
	rd->flen++;
	rd->rlen++;
}

/* Point the row's fields into the data once the record is complete. */
static void
csv_row_finish(struct csv_reader *rd)
{
	struct csv_row	*row = &rd->row;
	size_t		 i;

	if (rd->rowalloc < rd->nalloc) {
		rd->rowalloc = rd->nalloc;
		row->f = xreallocarray(row->f, rd->nalloc, sizeof *row->f);
		row->len = xreallocarray(row->len, rd->nalloc,
		    sizeof *row->len);
	}
	for (i = 0; i < rd->nfields; i++) {
		row->f[i] = rd->data.s + rd->offs[i];
		row->len[i] = (i + 1 < rd->nfields ? rd->offs[i + 1] :
		    rd->data.len) - rd->offs[i] - 1;
	}
	row->n = rd->nfields;
	row->endline = rd->line;
}

/* Read one record; see csv.h. */
int
csv_read(struct csv_reader *rd, struct csv_row **rowp,
    struct ncen_err *err)
{
	struct csv_row	*row = &rd->row;
	enum csv_state	 state = CSV_FIELD_START;
	unsigned	 qline = 0, qcol = 0;
	int		 c, done = 0;

	*rowp = NULL;
	/* Empty lines between records are skipped. */
	while ((c = csv_peek(rd)) == '\n' || c == '\r')
		csv_next(rd);
	if (rd->ioerr != 0)
		goto ioerr;
	if (c == -1)
		return 0;

	buf_reset(&rd->data);
	buf_reset(&row->why);
	row->bad = 0;
	row->badline = row->badcol = 0;
	row->badfield = 0;
	row->line = rd->line;
	rd->nfields = rd->fieldno = 0;
	rd->rlen = 0;
	csv_field_begin(rd);

	while (!done) {
		if (csv_peek(rd) == -1) {
			if (rd->ioerr != 0)
				goto ioerr;
			if (rd->u_need != 0)
				csv_utf8_bad(rd);
			if (state == CSV_QUOTED)
				csv_problem(rd, qline, qcol, _("expected a "
				    "closing quote for the field opened here, "
				    "found the end of the file"));
			break;
		}
		c = csv_next(rd);
		switch (state) {
		case CSV_FIELD_START:
			if (c == '"') {
				state = CSV_QUOTED;
				qline = rd->line;
				qcol = rd->col;
				break;
			}
			state = CSV_UNQUOTED;
			/* FALLTHROUGH */
		case CSV_UNQUOTED:
		case CSV_AFTER_BAD:
			if (c == ',') {
				csv_field_end(rd);
				csv_field_begin(rd);
				state = CSV_FIELD_START;
			} else if (c == '\r' || c == '\n')
				done = 1;
			else {
				if (c == '"' && state == CSV_UNQUOTED)
					csv_problem(rd, rd->line, rd->col,
					    _("expected no quote inside a "
					    "field without quotes, found one "
					    "(quote the whole field and double "
					    "the quotes inside it)"));
				csv_field_add(rd, (unsigned char)c);
			}
			break;
		case CSV_QUOTED:
			if (c == '"')
				state = CSV_QUOTE_SEEN;
			else
				csv_field_add(rd, (unsigned char)c);
			break;
		case CSV_QUOTE_SEEN:
			if (c == '"') {
				csv_field_add(rd, '"');
				state = CSV_QUOTED;
			} else if (c == ',') {
				csv_field_end(rd);
				csv_field_begin(rd);
				state = CSV_FIELD_START;
			} else if (c == '\r' || c == '\n')
				done = 1;
			else {
				if (c >= 0x20 && c < 0x7f)
					csv_problem(rd, rd->line, rd->col,
					    _("expected a comma or the end of "
					    "the line after a closing quote, "
					    "found '%c'"), c);
				else
					csv_problem(rd, rd->line, rd->col,
					    _("expected a comma or the end of "
					    "the line after a closing quote, "
					    "found the byte 0x%02x"), c);
				csv_field_add(rd, (unsigned char)c);
				state = CSV_AFTER_BAD;
			}
			break;
		}
	}
	csv_field_end(rd);
	csv_row_finish(rd);
	if (done)
		row->endline--;		/* the line end was counted already */
	*rowp = row;
	if (row->bad) {
		ncen_err_set(err, NCEN_EPARSE, "%s:%u:%u: %s", rd->name,
		    row->badline, row->badcol, buf_cstr(&row->why));
		return -1;
	}
	return 1;

ioerr:
	ncen_err_set(err, NCEN_EIO, _("%s: read error: %s"), rd->name,
	    strerror(rd->ioerr));
	return -1;
}

/* Whether a field must be quoted: a comma, quote, line end or edge space. */
int
csv_needs_quotes(const char *s, size_t len)
{
	size_t	i;

	if (len == 0)
		return 0;
	if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' ||
	    s[len - 1] == '\t')
		return 1;
	for (i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

/* Append one field, quoted (with quotes doubled) only when it must be. */
void
csv_write_field(struct buf *b, const char *s, size_t len)
{
	const char	*q, *end = s + len;

	if (!csv_needs_quotes(s, len)) {
		buf_add(b, s, len);
		return;
	}
	buf_addc(b, '"');
	while ((q = memchr(s, '"', (size_t)(end - s))) != NULL) {
		buf_add(b, s, (size_t)(q - s) + 1);
		buf_addc(b, '"');
		s = q + 1;
	}
	buf_add(b, s, (size_t)(end - s));
	buf_addc(b, '"');
}

/* The first characters that make a spreadsheet read a cell as a formula. */
static const char csv_formula_start[] = "=+-@\t\r";

/* Whether a field is a plain number: [-]digits[.digits]. */
static int
csv_is_number(const char *s, size_t len)
{
	size_t	i = 0, digits = 0;
	int	point = 0;

	if (len > 0 && s[0] == '-')
		i = 1;
	for (; i < len; i++) {
		if (s[i] == '.' && !point && digits != 0)
			point = 1;
		else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else
			return 0;
	}
	return digits != 0 && s[len - 1] != '.';
}

/* Whether a field needs the formula guard's quote in front (see csv.h). */
int
csv_guard_needed(const char *s, size_t len)
{
	if (len == 0 || s[0] == '\0')
		return 0;
	if (s[0] == '\'')
		return 1;
	return strchr(csv_formula_start, s[0]) != NULL &&
	    !csv_is_number(s, len);
}

/* Append a field, with a quote in front when a spreadsheet would run it. */
void
csv_write_guarded(struct buf *b, const char *s, size_t len)
{
	struct buf	g = BUF_INIT;

	if (!csv_guard_needed(s, len)) {
		csv_write_field(b, s, len);
		return;
	}
	buf_addc(&g, '\'');
	buf_add(&g, s, len);
	csv_write_field(b, g.s, g.len);
	buf_free(&g);
}

/* How many bytes the guard put in front of a field read back: 0 or 1. */
size_t
csv_unguard(const char *s, size_t len)
{
	if (len >= 2 && s[0] == '\'' && s[1] != '\0' &&
	    (s[1] == '\'' || strchr(csv_formula_start, s[1]) != NULL))
		return 1;
	return 0;
}

/* Append a record: fields (lengths NULL: strlen) joined by commas, CR LF. */
void
csv_write_row(struct buf *b, const char *const *f, const size_t *len,
    size_t n)
{
	size_t	i, l;

	if (n == 1 && (len != NULL ? len[0] : strlen(f[0])) == 0) {
		buf_adds(b, "\"\"\r\n");	/* not an empty line */
		return;
	}
	for (i = 0; i < n; i++) {
		if (i != 0)
			buf_addc(b, ',');
		l = len != NULL ? len[i] : strlen(f[i]);
		csv_write_field(b, f[i], l);
	}
	buf_adds(b, "\r\n");
}
