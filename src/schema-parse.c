/*
 * schema-parse.c - the .form language: one entity's fields.
 *
 * A form file is line-oriented:
 *
 *	ncen-forms 1
 *	form case 1
 *	label en "Case"
 *	label fr "Affaire"
 *	field date date required index share cen
 *	  label en "Date of the event"
 *	  label fr "Date des faits"
 *	  help en "..."
 *	  at 3 2
 *
 * Statements are tables below (which statement, where it may appear,
 * who handles it), as are types and field attributes.  The line lexer
 * at the top is shared with schema-codes.c.  Every error is
 * "FILE:LINE:COL: expected ..., found ..."; nothing here prints, exits or
 * reads past the length it was given.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "schema.h"
#include "validate.h"
#include "xmalloc.h"

#define SCHEMA_PARSE_MAXFIELDS	1024
#define SCHEMA_PARSE_MAXVERSION	999999
#define SCHEMA_PARSE_MAXTEXT	65535
#define SCHEMA_PARSE_MAXPREC	18
#define SCHEMA_PARSE_MAXPOS	999
#define SCHEMA_PARSE_QUOTEMAX	40

/* What a name may be, said in messages (translated when shown). */
static const char schema_name_rule[] =
    N_("[a-z][a-z0-9_]*, at most 32 characters");
#define SCHEMA_TYPES "text(n), integer, decimal(p,s), date, datetime, " \
	"code:LIST, ref:ENTITY"

/* Language codes in label and help statements, by enum schema_lang. */
static const char *schema_parse_langs[SCHEMA_NLANG] = { "en", "fr" };

/* Set up a lexer over len bytes of text (not necessarily NUL-terminated). */
void
schema_lex_init(struct schema_lex *lx, const char *path, const char *text,
    size_t len, struct ncen_err *err)
{
	memset(lx, 0, sizeof *lx);
	lx->path = path != NULL ? path : "(input)";
	lx->text = text != NULL ? text : "";
	lx->len = text != NULL ? len : 0;
	lx->err = err;
	lx->endcol = 1;
}

/* Forget the tokens of the current line. */
static void
schema_lex_clear(struct schema_lex *lx)
{
	size_t	i;

	for (i = 0; i < lx->ntok; i++) {
		free(lx->tok[i].own);
		lx->tok[i].own = NULL;
	}
	lx->ntok = 0;
}

/* Release what the lexer holds. */
void
schema_lex_free(struct schema_lex *lx)
{
	if (lx != NULL)
		schema_lex_clear(lx);
}

/* Set a parse error "FILE:LINE:COL: message" at a column of the current line. */
int
schema_lex_error(struct schema_lex *lx, unsigned col, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ncen_err_set(lx->err, NCEN_EPARSE, "%s:%u:%u: %s", lx->path, lx->line,
	    col, buf_cstr(&b));
	buf_free(&b);
	return -1;
}

/* Describe token i of the line for a "found ..." message. */
void
schema_lex_found(struct schema_lex *lx, size_t i, struct buf *b)
{
	const struct schema_tok	*t;

	if (i >= lx->ntok) {
		buf_adds(b, lx->eof ? _("the end of the file") :
		    _("the end of the line"));
		return;
	}
	t = &lx->tok[i];
	if (t->quoted)
		buf_adds(b, _("the string "));
	buf_add_quoted(b, t->s, t->len, SCHEMA_PARSE_QUOTEMAX);
}

/* Column (1-based, in characters) of byte off of a line starting at start. */
static unsigned
schema_lex_col(const struct schema_lex *lx, size_t start, size_t off)
{
	unsigned	col = 1;
	size_t		i;

	for (i = 0; i < off; i++)
		if (((unsigned char)lx->text[start + i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* Refuse control characters and invalid UTF-8 on a line, earliest first. */
static int
schema_lex_check(struct schema_lex *lx, size_t start, size_t n)
{
	const unsigned char	*p = (const unsigned char *)lx->text + start;
	size_t			 bad = n, i;

	if (schema_utf8_check((const char *)p, n, &bad) == NCEN_OK)
		bad = n;
	for (i = 0; i < bad; i++) {
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7f) {
			return schema_lex_error(lx, schema_lex_col(lx, start, i),
			    _("expected text, found control character 0x%02x"),
			    p[i]);
		}
	}
	if (bad < n) {
		return schema_lex_error(lx, schema_lex_col(lx, start, bad),
		    _("expected UTF-8 text, found the invalid byte 0x%02x "
		    "(byte %zu of the file)"), p[bad], start + bad);
	}
	return 0;
}

/* Escapes allowed in quoted strings: the letter after '\' and its byte. */
static const struct {
	char	 letter;
	char	 byte;
} schema_lex_escapes[] = {
	{ '"', '"' },
	{ '\\', '\\' },
	{ 'n', '\n' },
	{ 't', '\t' },
};

/* Read a quoted string starting at byte i of the line into token t. */
static int
schema_lex_string(struct schema_lex *lx, size_t start, size_t n, size_t *ip,
    struct schema_tok *t)
{
	const char	*p = lx->text + start;
	struct buf	 b = BUF_INIT;
	size_t		 j = *ip + 1, k, clen;

	for (;;) {
		if (j >= n) {
			buf_free(&b);
			return schema_lex_error(lx, schema_lex_col(lx, start, n),
			    _("expected '\"' to close the string begun at "
			    "column "
			    "%u, found the end of the line"), t->col);
		}
		if (p[j] == '"')
			break;
		if (p[j] != '\\') {
			buf_addc(&b, p[j++]);
			continue;
		}
		if (j + 1 >= n) {
			buf_free(&b);
			return schema_lex_error(lx,
			    schema_lex_col(lx, start, j + 1),
			    _("expected an escape (\\\", \\\\, \\n or \\t) "
			    "after "
			    "'\\', found the end of the line"));
		}
		for (k = 0; k < sizeof schema_lex_escapes /
		    sizeof schema_lex_escapes[0]; k++)
			if (schema_lex_escapes[k].letter == p[j + 1])
				break;
		if (k == sizeof schema_lex_escapes /
		    sizeof schema_lex_escapes[0]) {
			struct buf	f = BUF_INIT;

			clen = 1;
			while (j + 1 + clen < n &&
			    ((unsigned char)p[j + 1 + clen] & 0xc0) == 0x80)
				clen++;
			buf_add_quoted(&f, p + j + 1, clen,
			    SCHEMA_PARSE_QUOTEMAX);
			buf_free(&b);
			schema_lex_error(lx, schema_lex_col(lx, start, j + 1),
			    _("expected an escape (\\\", \\\\, \\n or \\t) "
			    "after "
			    "'\\', found %s"), buf_cstr(&f));
			buf_free(&f);
			return -1;
		}
		buf_addc(&b, schema_lex_escapes[k].byte);
		j += 2;
	}
	t->quoted = 1;
	t->len = b.len;
	t->own = buf_detach(&b);
	t->s = t->own;
	*ip = j + 1;
	return 0;
}

/* Split one checked line into words and quoted strings; # starts a comment. */
static int
schema_lex_split(struct schema_lex *lx, size_t start, size_t n)
{
	const char		*p = lx->text + start;
	struct schema_tok	*t;
	size_t			 i = 0, j;

	while (i < n) {
		if (p[i] == ' ' || p[i] == '\t') {
			i++;
			continue;
		}
		if (p[i] == '#')
			break;
		if (lx->ntok == SCHEMA_LEX_MAXTOK) {
			return schema_lex_error(lx, schema_lex_col(lx, start, i),
			    _("expected at most %d words on a line, found "
			    "more"),
			    SCHEMA_LEX_MAXTOK);
		}
		t = &lx->tok[lx->ntok++];
		memset(t, 0, sizeof *t);
		t->col = schema_lex_col(lx, start, i);
		if (p[i] == '"') {
			if (schema_lex_string(lx, start, n, &i, t) != 0)
				return -1;
			continue;
		}
		for (j = i; j < n; j++)
			if (p[j] == ' ' || p[j] == '\t' || p[j] == '"' ||
			    p[j] == '#')
				break;
		t->s = p + i;
		t->len = j - i;
		i = j;
	}
	return 0;
}

/* Read the next line that holds a word: 1 with tokens, 0 at the end, -1. */
int
schema_lex_line(struct schema_lex *lx)
{
	const char	*nl;
	size_t		 start, end, n;

	schema_lex_clear(lx);
	while (lx->pos < lx->len) {
		start = lx->pos;
		nl = memchr(lx->text + start, '\n', lx->len - start);
		end = nl != NULL ? (size_t)(nl - lx->text) : lx->len;
		lx->pos = nl != NULL ? end + 1 : lx->len;
		lx->line++;
		n = end - start;
		if (n > 0 && lx->text[end - 1] == '\r')
			n--;
		if (schema_lex_check(lx, start, n) != 0)
			return -1;
		lx->endcol = schema_lex_col(lx, start, n);
		if (schema_lex_split(lx, start, n) != 0)
			return -1;
		if (lx->ntok > 0)
			return 1;
	}
	if (!lx->eof) {
		lx->eof = 1;
		/* The end is on a line of its own after a final newline. */
		if (lx->len == 0 || lx->text[lx->len - 1] == '\n') {
			lx->line++;
			lx->endcol = 1;
		}
	}
	return 0;
}

/* Is this a name: [a-z][a-z0-9_]*, 1 to 32 characters? */
int
schema_lex_name(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > 32 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] < 'a' || s[i] > 'z') && (s[i] < '0' || s[i] > '9') &&
		    s[i] != '_')
			return 0;
	}
	return 1;
}

/* Read a whole number of decimal digits no greater than max. */
int
schema_lex_number(const char *s, size_t len, unsigned long max,
    unsigned long *out)
{
	unsigned long	v = 0;
	size_t		i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
		if (v > max)
			return 0;
	}
	*out = v;
	return 1;
}

/* The state of one form being parsed. */
struct schema_parse {
	struct schema_lex	 lx;
	struct schema_form	*form;
	size_t			 cap;
	struct schema_field	*field;		/* the open field, or NULL */
	unsigned		 formlabel[SCHEMA_NLANG];
	unsigned		 label[SCHEMA_NLANG];	/* line given, or 0 */
	unsigned		 help[SCHEMA_NLANG];
	unsigned		 heading[SCHEMA_NLANG];
	unsigned		 at;
};

/* Set an error "expected WHAT, found <token i>" at token i (or the end). */
int
schema_lex_expected(struct schema_lex *lx, size_t i, const char *what)
{
	struct buf	f = BUF_INIT;
	unsigned	col;

	col = i < lx->ntok ? lx->tok[i].col : lx->endcol;
	schema_lex_found(lx, i, &f);
	schema_lex_error(lx, col, _("expected %s, found %s"), what,
	    buf_cstr(&f));
	buf_free(&f);
	return -1;
}

/* Refuse anything after token i-1 on the line. */
int
schema_lex_end(struct schema_lex *lx, size_t i)
{
	if (i < lx->ntok)
		return schema_lex_expected(lx, i, _("the end of the line"));
	return 0;
}

/* Is token i the bare word w? */
int
schema_lex_is(const struct schema_lex *lx, size_t i, const char *w)
{
	const struct schema_tok	*t = &lx->tok[i];

	return i < lx->ntok && !t->quoted && t->len == strlen(w) &&
	    memcmp(t->s, w, t->len) == 0;
}

/* Is token i a bare name? */
static int
schema_parse_isname(const struct schema_lex *lx, size_t i)
{
	return i < lx->ntok && !lx->tok[i].quoted &&
	    schema_lex_name(lx->tok[i].s, lx->tok[i].len);
}

/* Read token i as a bare number up to max. */
static int
schema_parse_isnumber(const struct schema_lex *lx, size_t i,
    unsigned long max, unsigned long *v)
{
	return i < lx->ntok && !lx->tok[i].quoted &&
	    schema_lex_number(lx->tok[i].s, lx->tok[i].len, max, v);
}

/* Read the language line "MAGIC 1" that opens a form or code list. */
int
schema_lex_magic(struct schema_lex *lx, const char *magic)
{
	struct buf	w = BUF_INIT;
	unsigned long	v;
	int		r;

	if ((r = schema_lex_line(lx)) < 0)
		return -1;
	if (r == 0 || !schema_lex_is(lx, 0, magic)) {
		buf_addf(&w, _("the language line '%s 1'"), magic);
		schema_lex_expected(lx, 0, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (lx->ntok < 2 || lx->tok[1].quoted ||
	    !schema_lex_number(lx->tok[1].s, lx->tok[1].len, ~0UL, &v)) {
		buf_addf(&w, _("a language version after '%s'"), magic);
		schema_lex_expected(lx, 1, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (v != 1)
		return schema_lex_expected(lx, 1, _("language version 1"));
	return schema_lex_end(lx, 2);
}

/* Read "KEYWORD NAME VERSION" (form or list declaration). */
int
schema_lex_decl(struct schema_lex *lx, const char *keyword,
    const char *what, char **name, unsigned *version, unsigned *line,
    unsigned *col)
{
	struct buf	w = BUF_INIT;
	unsigned long	v;
	int		r;

	if ((r = schema_lex_line(lx)) < 0)
		return -1;
	if (r == 0 || !schema_lex_is(lx, 0, keyword)) {
		buf_addf(&w, _("'%s NAME VERSION'"), keyword);
		goto fail;
	}
	if (!schema_parse_isname(lx, 1)) {
		buf_addf(&w, _("a %s name (%s)"), _(what), _(schema_name_rule));
		schema_lex_expected(lx, 1, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (!schema_parse_isnumber(lx, 2, SCHEMA_PARSE_MAXVERSION, &v) ||
	    v == 0) {
		buf_addf(&w, _("a %s version (a whole number from 1 to %d)"),
		    _(what), SCHEMA_PARSE_MAXVERSION);
		schema_lex_expected(lx, 2, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (schema_lex_end(lx, 3) != 0)
		return -1;
	*name = xstrndup(lx->tok[1].s, lx->tok[1].len);
	*version = (unsigned)v;
	*line = lx->line;
	*col = lx->tok[1].col;
	return 0;

fail:
	schema_lex_expected(lx, 0, buf_cstr(&w));
	buf_free(&w);
	return -1;
}

/* Error at a character offset inside token i: expected WHAT, found rest. */
static int
schema_parse_in_token(struct schema_parse *, size_t, size_t, size_t,
    const char *, ...) __attribute__((format(printf, 5, 6)));

static int
schema_parse_in_token(struct schema_parse *p, size_t i, size_t off,
    size_t flen, const char *fmt, ...)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	struct buf		 w = BUF_INIT, f = BUF_INIT;
	unsigned		 col = t->col;
	size_t			 k;
	va_list			 ap;

	for (k = 0; k < off; k++)
		if (((unsigned char)t->s[k] & 0xc0) != 0x80)
			col++;
	va_start(ap, fmt);
	buf_vaddf(&w, fmt, ap);
	va_end(ap);
	if (flen == 0)
		buf_adds(&f, _("the end of the type"));
	else
		buf_add_quoted(&f, t->s + off, flen, SCHEMA_PARSE_QUOTEMAX);
	schema_lex_error(&p->lx, col, _("expected %s, found %s"), buf_cstr(&w),
	    buf_cstr(&f));
	buf_free(&w);
	buf_free(&f);
	return -1;
}

/* Length of the run of digits at s[off..len). */
static size_t
schema_parse_digits(const char *s, size_t off, size_t len)
{
	size_t	n = 0;

	while (off + n < len && s[off + n] >= '0' && s[off + n] <= '9')
		n++;
	return n;
}

/* Length of what follows off up to (not including) one of stop, or the end. */
static size_t
schema_parse_until(const char *s, size_t off, size_t len, const char *stop)
{
	size_t	n = 0;

	while (off + n < len && strchr(stop, s[off + n]) == NULL)
		n++;
	return n;
}

/* Refuse anything after a complete type. */
static int
schema_parse_type_end(struct schema_parse *p, size_t i, size_t off)
{
	const struct schema_tok	*t = &p->lx.tok[i];

	if (off < t->len)
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("the end of the type"));
	return 0;
}

/* A type with nothing after its name: integer, date, datetime. */
static int
schema_parse_type_plain(struct schema_parse *p, size_t i, size_t off,
    struct schema_field *f)
{
	return schema_parse_type_end(p, i, off);
}

/* text(n): at most n characters. */
static int
schema_parse_type_text(struct schema_parse *p, size_t i, size_t off,
    struct schema_field *f)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	unsigned long		 v;
	size_t			 n;

	if (off >= t->len || t->s[off] != '(')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("'(' and a length after 'text'"));
	off++;
	n = schema_parse_digits(t->s, off, t->len);
	if (!schema_lex_number(t->s + off, n, SCHEMA_PARSE_MAXTEXT, &v) ||
	    v == 0) {
		if (n == 0)
			n = schema_parse_until(t->s, off, t->len, ")");
		return schema_parse_in_token(p, i, off, n,
		    _("a text length from 1 to %d"), SCHEMA_PARSE_MAXTEXT);
	}
	off += n;
	if (off >= t->len || t->s[off] != ')')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("')' after the length"));
	f->size = (unsigned)v;
	return schema_parse_type_end(p, i, off + 1);
}

/* decimal(p,s): p digits in all, s of them after the point. */
static int
schema_parse_type_decimal(struct schema_parse *p, size_t i, size_t off,
    struct schema_field *f)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	unsigned long		 prec, scale;
	size_t			 n;

	if (off >= t->len || t->s[off] != '(')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("'(' and a precision after 'decimal'"));
	off++;
	n = schema_parse_digits(t->s, off, t->len);
	if (!schema_lex_number(t->s + off, n, SCHEMA_PARSE_MAXPREC, &prec) ||
	    prec == 0) {
		if (n == 0)
			n = schema_parse_until(t->s, off, t->len, ",)");
		return schema_parse_in_token(p, i, off, n,
		    _("a precision from 1 to %d"), SCHEMA_PARSE_MAXPREC);
	}
	off += n;
	if (off >= t->len || t->s[off] != ',')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("',' and a scale after the precision"));
	off++;
	n = schema_parse_digits(t->s, off, t->len);
	if (!schema_lex_number(t->s + off, n, prec, &scale)) {
		if (n == 0)
			n = schema_parse_until(t->s, off, t->len, ")");
		return schema_parse_in_token(p, i, off, n,
		    _("a scale from 0 to %lu (the precision)"), prec);
	}
	off += n;
	if (off >= t->len || t->s[off] != ')')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("')' after the scale"));
	f->size = (unsigned)prec;
	f->scale = (unsigned)scale;
	return schema_parse_type_end(p, i, off + 1);
}

/* code:LIST and ref:ENTITY: a colon and a name. */
static int
schema_parse_type_target(struct schema_parse *p, size_t i, size_t off,
    struct schema_field *f)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	const char		*what;

	what = f->type == SCHEMA_CODE ? _("a code list name") :
	    _("a form name");
	if (off >= t->len || t->s[off] != ':')
		return schema_parse_in_token(p, i, off, t->len - off,
		    _("':' and %s after '%s'"), what,
		    f->type == SCHEMA_CODE ? "code" : "ref");
	off++;
	if (!schema_lex_name(t->s + off, t->len - off))
		return schema_parse_in_token(p, i, off, t->len - off,
		    "%s (%s)", what, _(schema_name_rule));
	f->target = xstrndup(t->s + off, t->len - off);
	return 0;
}

/* Field types: the word that names them and what reads their arguments. */
static const struct schema_parse_type {
	const char		*name;
	enum schema_type	 type;
	int			(*args)(struct schema_parse *, size_t, size_t,
				    struct schema_field *);
} schema_parse_types[] = {
	{ "text",	SCHEMA_TEXT,		schema_parse_type_text },
	{ "integer",	SCHEMA_INTEGER,		schema_parse_type_plain },
	{ "decimal",	SCHEMA_DECIMAL,		schema_parse_type_decimal },
	{ "date",	SCHEMA_DATE,		schema_parse_type_plain },
	{ "datetime",	SCHEMA_DATETIME,	schema_parse_type_plain },
	{ "code",	SCHEMA_CODE,		schema_parse_type_target },
	{ "ref",	SCHEMA_REF,		schema_parse_type_target },
};

/* Read token i as a type. */
static int
schema_parse_type(struct schema_parse *p, size_t i, struct schema_field *f)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	struct buf		 w = BUF_INIT;
	size_t			 k, n = 0;
	int			 r;

	if (i < p->lx.ntok && !t->quoted) {
		while (n < t->len && t->s[n] >= 'a' && t->s[n] <= 'z')
			n++;
		for (k = 0; k < sizeof schema_parse_types /
		    sizeof schema_parse_types[0]; k++) {
			if (strlen(schema_parse_types[k].name) == n &&
			    memcmp(schema_parse_types[k].name, t->s, n) == 0) {
				f->type = schema_parse_types[k].type;
				f->typecol = t->col;
				return schema_parse_types[k].args(p, i, n, f);
			}
		}
	}
	buf_addf(&w, _("a type (%s)"), SCHEMA_TYPES);
	r = schema_lex_expected(&p->lx, i, buf_cstr(&w));
	buf_free(&w);
	return r;
}

/* The attribute "required". */
static int
schema_parse_attr_required(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	f->required = 1;
	return 0;
}

/* The attribute "index". */
static int
schema_parse_attr_index(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	f->indexed = 1;
	return 0;
}

/* The attribute "repeated". */
static int
schema_parse_attr_repeated(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	f->repeated = 1;
	return 0;
}

/* Sharing levels, by enum schema_share. */
static const char *schema_parse_shares[] = { "local", "partner", "cen" };

/* The attribute "share LEVEL". */
static int
schema_parse_attr_share(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	size_t	k;

	for (k = 0; k < sizeof schema_parse_shares /
	    sizeof schema_parse_shares[0]; k++) {
		if (schema_lex_is(&p->lx, *i, schema_parse_shares[k])) {
			f->share = (enum schema_share)k;
			(*i)++;
			return 0;
		}
	}
	return schema_lex_expected(&p->lx, *i,
	    _("a sharing level (local, partner, cen)"));
}

/* The attribute "check RULE": the identifier a text field holds. */
static int
schema_parse_attr_check(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	struct schema_lex	*lx = &p->lx;

	if (f->type != SCHEMA_TEXT)
		return schema_lex_error(lx, lx->tok[*i - 1].col, _("expected "
		    "'check' on a text field, found it on a field of type %s"),
		    schema_type_name(f->type));
	if (f->pattern != SCHEMA_PATTERN_NONE)
		return schema_lex_error(lx, lx->tok[*i - 1].col, _("expected "
		    "'check' or 'pattern', found both"));
	if (*i >= lx->ntok || lx->tok[*i].quoted ||
	    schema_check_lookup(lx->tok[*i].s, lx->tok[*i].len,
	    &f->check) != 0)
		return schema_lex_expected(lx, *i,
		    _("a check (imo, iso6346, vin)"));
	(*i)++;
	return 0;
}

/* The attribute "pattern NAME": the strict shape of a text field. */
static int
schema_parse_attr_pattern(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	struct schema_lex	*lx = &p->lx;
	unsigned		 col = lx->tok[*i - 1].col;

	if (f->type != SCHEMA_TEXT)
		return schema_lex_error(lx, col, _("expected 'pattern' on a "
		    "text field, found it on a field of type %s"),
		    schema_type_name(f->type));
	if (f->check != SCHEMA_CHECK_NONE)
		return schema_lex_error(lx, col, _("expected 'check' or "
		    "'pattern', found both"));
	if (*i >= lx->ntok || lx->tok[*i].quoted ||
	    schema_pattern_lookup(lx->tok[*i].s, lx->tok[*i].len,
	    &f->pattern) != 0)
		return schema_lex_expected(lx, *i,
		    _("a pattern (hs, time, utc-offset)"));
	if (f->size < schema_pattern_max(f->pattern))
		return schema_lex_error(lx, f->typecol, _("expected text(%u) "
		    "or longer for pattern %s, found text(%u)"),
		    schema_pattern_max(f->pattern),
		    schema_pattern_name(f->pattern), f->size);
	(*i)++;
	return 0;
}

/* Search kinds, by enum schema_search, and the type each needs. */
static const struct {
	const char		*name;
	enum schema_type	 type;
} schema_parse_searches[] = {
	{ NULL,		SCHEMA_TEXT },
	{ "name",	SCHEMA_TEXT },
	{ "alias",	SCHEMA_TEXT },
	{ "number",	SCHEMA_TEXT },
	{ "date",	SCHEMA_DATE },
	{ "country",	SCHEMA_CODE },
};
#define SCHEMA_PARSE_NSEARCH \
	(sizeof schema_parse_searches / sizeof schema_parse_searches[0])

/* The name of a search kind, NULL for none. */
const char *
schema_search_name(enum schema_search k)
{
	if ((size_t)k >= SCHEMA_PARSE_NSEARCH)
		return NULL;
	return schema_parse_searches[k].name;
}

/* Whether a form has fields that search finds records by. */
int
schema_form_searched(const struct schema_form *form)
{
	size_t	i;

	for (i = 0; i < form->nfields; i++)
		if (form->fields[i].search != SCHEMA_SEARCH_NONE &&
		    form->fields[i].search != SCHEMA_SEARCH_COUNTRY)
			return 1;
	return 0;
}

/* The attribute "search KIND": how search reads the field. */
static int
schema_parse_attr_search(struct schema_parse *p, size_t *i,
    struct schema_field *f)
{
	struct schema_lex	*lx = &p->lx;
	size_t			 k;

	for (k = 1; k < SCHEMA_PARSE_NSEARCH; k++)
		if (*i < lx->ntok && !lx->tok[*i].quoted &&
		    schema_lex_is(lx, *i, schema_parse_searches[k].name))
			break;
	if (k == SCHEMA_PARSE_NSEARCH)
		return schema_lex_expected(lx, *i,
		    _("a search kind (name, alias, number, date, country)"));
	if (f->type != schema_parse_searches[k].type)
		return schema_lex_error(lx, lx->tok[*i].col, _("expected "
		    "'search %s' on a field of type %s, found it on a field "
		    "of type %s"), schema_parse_searches[k].name,
		    schema_type_name(schema_parse_searches[k].type),
		    schema_type_name(f->type));
	f->search = (enum schema_search)k;
	(*i)++;
	return 0;
}

/*
 * A field shared at cen level holds no free text: free text can carry
 * a name, and cen data goes to the global database.  col is where its
 * "share" is.
 */
static int
schema_parse_cen(struct schema_parse *p, const struct schema_field *f,
    unsigned col)
{
	struct buf	t = BUF_INIT;
	int		r;

	if (f->share != SCHEMA_CEN || f->type != SCHEMA_TEXT ||
	    f->pattern != SCHEMA_PATTERN_NONE)
		return 0;
	schema_field_type(f, &t);
	r = schema_lex_error(&p->lx, col, _("expected a code, a number, a "
	    "date or text with a pattern (hs, time, utc-offset) for a field "
	    "shared at level cen, found free text (%s): it could carry a "
	    "name to the global database"), buf_cstr(&t));
	buf_free(&t);
	return r;
}

/* Attributes after a field's type. */
static const struct schema_parse_attr {
	const char	*name;
	int		(*fn)(struct schema_parse *, size_t *,
			    struct schema_field *);
} schema_parse_attrs[] = {
	{ "required",	schema_parse_attr_required },
	{ "index",	schema_parse_attr_index },
	{ "repeated",	schema_parse_attr_repeated },
	{ "share",	schema_parse_attr_share },
	{ "check",	schema_parse_attr_check },
	{ "pattern",	schema_parse_attr_pattern },
	{ "search",	schema_parse_attr_search },
};

static const char schema_parse_attrs_what[] = N_("a field attribute "
    "(required, index, repeated, share LEVEL, check RULE, pattern NAME, "
    "search KIND)");

/* Check the open field is complete (both labels) and close it. */
static int
schema_parse_field_close(struct schema_parse *p)
{
	struct schema_field	*f = p->field;
	unsigned		 line = p->lx.line;
	int			 lang;

	if (f == NULL)
		return 0;
	for (lang = 0; lang < SCHEMA_NLANG; lang++) {
		if (f->label[lang] != NULL)
			continue;
		p->lx.line = f->line;
		schema_lex_error(&p->lx, f->namecol,
		    _("expected 'label %s' for field '%s', found none"),
		    schema_parse_langs[lang], f->name);
		p->lx.line = line;
		return -1;
	}
	p->field = NULL;
	return 0;
}

/* Check the form has both labels (before its first field, or at the end). */
static int
schema_parse_form_labels(struct schema_parse *p)
{
	struct schema_form	*form = p->form;
	unsigned		 line = p->lx.line;
	int			 lang;

	for (lang = 0; lang < SCHEMA_NLANG; lang++) {
		if (form->label[lang] != NULL)
			continue;
		p->lx.line = form->line;
		schema_lex_error(&p->lx, form->col,
		    _("expected 'label %s' for form '%s', found none"),
		    schema_parse_langs[lang], form->name);
		p->lx.line = line;
		return -1;
	}
	return 0;
}

/*
 * "field NAME TYPE [required] [index] [repeated] [share LEVEL]
 * [check RULE] [pattern NAME]".
 */
static int
schema_parse_field(struct schema_parse *p)
{
	struct schema_lex	*lx = &p->lx;
	struct schema_form	*form = p->form;
	struct schema_field	*f;
	unsigned		 seen[sizeof schema_parse_attrs /
				    sizeof schema_parse_attrs[0]];
	size_t			 i, k;

	if (p->field == NULL && form->nfields == 0 &&
	    schema_parse_form_labels(p) != 0)
		return -1;
	if (schema_parse_field_close(p) != 0)
		return -1;
	if (!schema_parse_isname(lx, 1))
	{
		struct buf	w = BUF_INIT;

		buf_addf(&w, _("a field name (%s)"), _(schema_name_rule));
		schema_lex_expected(lx, 1, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	for (k = 0; k < form->nfields; k++) {
		if (strlen(form->fields[k].name) == lx->tok[1].len &&
		    memcmp(form->fields[k].name, lx->tok[1].s,
		    lx->tok[1].len) == 0) {
			struct buf	w = BUF_INIT;

			buf_addf(&w, _("a new field name ('%s' is already "
			    "defined at line %u)"), form->fields[k].name,
			    form->fields[k].line);
			schema_lex_expected(lx, 1, buf_cstr(&w));
			buf_free(&w);
			return -1;
		}
	}
	if (form->nfields == SCHEMA_PARSE_MAXFIELDS) {
		return schema_lex_error(lx, lx->tok[0].col,
		    _("expected at most %d fields in a form, found more"),
		    SCHEMA_PARSE_MAXFIELDS);
	}
	if (form->nfields == p->cap) {
		p->cap = p->cap == 0 ? 16 : p->cap * 2;
		form->fields = xreallocarray(form->fields, p->cap,
		    sizeof *form->fields);
	}
	f = &form->fields[form->nfields++];
	memset(f, 0, sizeof *f);
	f->name = xstrndup(lx->tok[1].s, lx->tok[1].len);
	f->row = f->col = -1;
	f->share = SCHEMA_LOCAL;
	f->line = lx->line;
	f->namecol = lx->tok[1].col;
	p->field = f;
	memset(p->label, 0, sizeof p->label);
	memset(p->help, 0, sizeof p->help);
	memset(p->heading, 0, sizeof p->heading);
	p->at = 0;

	if (schema_parse_type(p, 2, f) != 0)
		return -1;
	memset(seen, 0, sizeof seen);
	i = 3;
	while (i < lx->ntok) {
		for (k = 0; k < sizeof schema_parse_attrs /
		    sizeof schema_parse_attrs[0]; k++)
			if (schema_lex_is(lx, i, schema_parse_attrs[k].name))
				break;
		if (k == sizeof schema_parse_attrs /
		    sizeof schema_parse_attrs[0])
			return schema_lex_expected(lx, i,
			    _(schema_parse_attrs_what));
		if (seen[k]) {
			struct buf	w = BUF_INIT;

			buf_addf(&w, _("each attribute once ('%s' is already "
			    "given at column %u)"), schema_parse_attrs[k].name,
			    seen[k]);
			schema_lex_expected(lx, i, buf_cstr(&w));
			buf_free(&w);
			return -1;
		}
		seen[k] = lx->tok[i].col;
		i++;
		if (schema_parse_attrs[k].fn(p, &i, f) != 0)
			return -1;
	}
	for (k = 0; k < sizeof schema_parse_attrs /
	    sizeof schema_parse_attrs[0]; k++)
		if (schema_parse_attrs[k].fn == schema_parse_attr_share)
			return schema_parse_cen(p, f, seen[k]);
	return 0;
}

/* Read "LANG STRING" after label or help into one of the slots. */
static int
schema_parse_text(struct schema_parse *p, const char *keyword,
    const char *what, char **slots, unsigned *given)
{
	struct schema_lex	*lx = &p->lx;
	struct buf		 w = BUF_INIT;
	int			 lang;

	for (lang = 0; lang < SCHEMA_NLANG; lang++)
		if (schema_lex_is(lx, 1, schema_parse_langs[lang]))
			break;
	if (lang == SCHEMA_NLANG)
		return schema_lex_expected(lx, 1, _("a language (en, fr)"));
	if (given[lang] != 0) {
		return schema_lex_error(lx, lx->tok[0].col,
		    _("expected one '%s %s' (the first is at line %u), found a "
		    "second"), keyword, schema_parse_langs[lang], given[lang]);
	}
	if (lx->ntok < 3 || !lx->tok[2].quoted) {
		buf_addf(&w, _("a quoted %s"), _(what));
		schema_lex_expected(lx, 2, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (lx->tok[2].len == 0) {
		buf_addf(&w, _("a non-empty %s"), _(what));
		schema_lex_expected(lx, 2, buf_cstr(&w));
		buf_free(&w);
		return -1;
	}
	if (schema_lex_end(lx, 3) != 0)
		return -1;
	slots[lang] = xstrdup(lx->tok[2].s);
	given[lang] = lx->line;
	return 0;
}

/* "label LANG STRING", for the form or the open field. */
static int
schema_parse_label(struct schema_parse *p)
{
	if (p->field != NULL)
		return schema_parse_text(p, "label", N_("label"),
		    p->field->label,
		    p->label);
	return schema_parse_text(p, "label", N_("label"), p->form->label,
	    p->formlabel);
}

/* "help LANG STRING", for the open field. */
static int
schema_parse_help(struct schema_parse *p)
{
	return schema_parse_text(p, "help", N_("help text"), p->field->help,
	    p->help);
}

/* "heading LANG STRING": the open field's short column heading. */
static int
schema_parse_heading(struct schema_parse *p)
{
	return schema_parse_text(p, "heading", N_("heading"),
	    p->field->heading, p->heading);
}

/* "at ROW COL": where the field would like to be on the screen. */
static int
schema_parse_at(struct schema_parse *p)
{
	struct schema_lex	*lx = &p->lx;
	unsigned long		 row, col;

	if (p->at != 0) {
		return schema_lex_error(lx, lx->tok[0].col,
		    _("expected one 'at' "
		    "(the first is at line %u), found a second"), p->at);
	}
	if (!schema_parse_isnumber(lx, 1, SCHEMA_PARSE_MAXPOS, &row))
		return schema_lex_expected(lx, 1,
		    _("a row number from 0 to 999"));
	if (!schema_parse_isnumber(lx, 2, SCHEMA_PARSE_MAXPOS, &col))
		return schema_lex_expected(lx, 2,
		    _("a column number from 0 to 999"));
	if (schema_lex_end(lx, 3) != 0)
		return -1;
	p->field->row = (int)row;
	p->field->col = (int)col;
	p->at = lx->line;
	return 0;
}

/* What may follow "after" in a retain line, by enum schema_retain_from. */
static const struct {
	const char		*name;
	enum schema_retain_from	 from;
} schema_parse_retain_froms[] = {
	{ "case-closed",	SCHEMA_RETAIN_CASE_CLOSED },
	{ "modified",		SCHEMA_RETAIN_MODIFIED },
};

/* What happens to a record when its time is up. */
static const struct {
	const char			*name;
	enum schema_retain_action	 action;
} schema_parse_retain_actions[] = {
	{ "delete",	SCHEMA_RETAIN_DELETE },
	{ "anonymise",	SCHEMA_RETAIN_ANONYMISE },
};

#define SCHEMA_PARSE_MAXPERIOD	999

/* Read token i as a period: 1 to 999 then y, m or d. */
static int
schema_parse_period(struct schema_parse *p, size_t i, struct schema_retain *r)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	unsigned long		 v;

	if (i >= p->lx.ntok || t->quoted || t->len < 2 ||
	    strchr("ymd", t->s[t->len - 1]) == NULL ||
	    !schema_lex_number(t->s, t->len - 1, SCHEMA_PARSE_MAXPERIOD, &v) ||
	    v == 0)
		return schema_lex_expected(&p->lx, i, _("a period: a whole "
		    "number from 1 to 999 then y (years), m (months) or d "
		    "(days)"));
	r->count = (unsigned)v;
	r->unit = t->s[t->len - 1];
	return 0;
}

/*
 * "retain PERIOD after case-closed|modified delete|anonymise", or
 * "retain with record": how long the form's records are kept (once,
 * before the first field).
 */
static int
schema_parse_retain(struct schema_parse *p)
{
	struct schema_lex	*lx = &p->lx;
	struct schema_retain	 r;
	size_t			 k;

	if (p->form->retain.line != 0)
		return schema_lex_error(lx, lx->tok[0].col,
		    _("expected one 'retain' (the first is at line %u), "
		    "found a second"), p->form->retain.line);
	memset(&r, 0, sizeof r);
	r.line = lx->line;
	r.col = lx->tok[0].col;
	if (schema_lex_is(lx, 1, "with")) {
		if (!schema_lex_is(lx, 2, "record"))
			return schema_lex_expected(lx, 2, _("'record' after "
			    "'retain with'"));
		if (schema_lex_end(lx, 3) != 0)
			return -1;
		r.from = SCHEMA_RETAIN_WITH_RECORD;
		p->form->retain = r;
		return 0;
	}
	if (schema_parse_period(p, 1, &r) != 0)
		return -1;
	if (!schema_lex_is(lx, 2, "after"))
		return schema_lex_expected(lx, 2, _("'after'"));
	for (k = 0; k < sizeof schema_parse_retain_froms /
	    sizeof schema_parse_retain_froms[0]; k++)
		if (schema_lex_is(lx, 3, schema_parse_retain_froms[k].name))
			r.from = schema_parse_retain_froms[k].from;
	if (r.from == SCHEMA_RETAIN_NONE)
		return schema_lex_expected(lx, 3,
		    _("what the period runs from (case-closed, modified)"));
	for (k = 0; k < sizeof schema_parse_retain_actions /
	    sizeof schema_parse_retain_actions[0]; k++)
		if (schema_lex_is(lx, 4, schema_parse_retain_actions[k].name))
			break;
	if (k == sizeof schema_parse_retain_actions /
	    sizeof schema_parse_retain_actions[0])
		return schema_lex_expected(lx, 4,
		    _("what then happens (delete, anonymise)"));
	r.action = schema_parse_retain_actions[k].action;
	if (schema_lex_end(lx, 5) != 0)
		return -1;
	p->form->retain = r;
	return 0;
}

/*
 * Anonymising puts SCHEMA_RETAIN_PLACEHOLDER in required nominal fields:
 * each must be a text field it fits in.
 */
static int
schema_parse_retain_check(struct schema_parse *p)
{
	const struct schema_form	*form = p->form;
	const struct schema_field	*f;
	size_t				 i;

	if (form->retain.from == SCHEMA_RETAIN_NONE ||
	    form->retain.from == SCHEMA_RETAIN_WITH_RECORD ||
	    form->retain.action != SCHEMA_RETAIN_ANONYMISE)
		return 0;
	for (i = 0; i < form->nfields; i++) {
		f = &form->fields[i];
		if (!f->required || f->share == SCHEMA_CEN ||
		    (f->type == SCHEMA_TEXT &&
		    f->size >= sizeof SCHEMA_RETAIN_PLACEHOLDER - 1))
			continue;
		p->lx.line = form->retain.line;
		return schema_lex_error(&p->lx, form->retain.col,
		    _("expected 'anonymise' only where each required field "
		    "not 'share cen' is text of %zu characters or more, "
		    "found field '%s' (line %u)"),
		    sizeof SCHEMA_RETAIN_PLACEHOLDER - 1, f->name, f->line);
	}
	return 0;
}

#define SCHEMA_PARSE_INFORM	0x1	/* before the first field */
#define SCHEMA_PARSE_INFIELD	0x2	/* after a field line */

/* Statements: the first word of a line, where it may be, its handler. */
static const struct schema_parse_stmt {
	const char	*name;
	int		 where;
	int		(*fn)(struct schema_parse *);
} schema_parse_stmts[] = {
	{ "label", SCHEMA_PARSE_INFORM|SCHEMA_PARSE_INFIELD, schema_parse_label },
	{ "help", SCHEMA_PARSE_INFIELD, schema_parse_help },
	{ "heading", SCHEMA_PARSE_INFIELD, schema_parse_heading },
	{ "at", SCHEMA_PARSE_INFIELD, schema_parse_at },
	{ "field", SCHEMA_PARSE_INFORM|SCHEMA_PARSE_INFIELD, schema_parse_field },
	{ "retain", SCHEMA_PARSE_INFORM, schema_parse_retain },
};

/* Run the statement on the current line. */
static int
schema_parse_statement(struct schema_parse *p)
{
	const struct schema_parse_stmt	*s;
	struct buf			 w = BUF_INIT;
	int				 where;
	size_t				 k;
	const char			*sep = "";

	where = p->field != NULL ? SCHEMA_PARSE_INFIELD : SCHEMA_PARSE_INFORM;
	for (k = 0; k < sizeof schema_parse_stmts /
	    sizeof schema_parse_stmts[0]; k++) {
		s = &schema_parse_stmts[k];
		if ((s->where & where) && schema_lex_is(&p->lx, 0, s->name))
			return s->fn(p);
	}
	buf_adds(&w, _("a statement ("));
	for (k = 0; k < sizeof schema_parse_stmts /
	    sizeof schema_parse_stmts[0]; k++) {
		s = &schema_parse_stmts[k];
		if (s->where & where) {
			buf_addf(&w, "%s%s", sep, s->name);
			sep = ", ";
		}
	}
	buf_adds(&w, ")");
	schema_lex_expected(&p->lx, 0, buf_cstr(&w));
	buf_free(&w);
	return -1;
}

/* Parse one form from len bytes of text; path names it in messages. */
int
schema_form_parse(const char *path, const char *text, size_t len,
    struct schema_form **out, struct ncen_err *err)
{
	struct schema_parse	 p;
	struct schema_form	*form;
	int			 r;

	*out = NULL;
	memset(&p, 0, sizeof p);
	schema_lex_init(&p.lx, path, text, len, err);
	form = p.form = xcalloc(1, sizeof *form);
	form->path = xstrdup(p.lx.path);

	if (schema_lex_magic(&p.lx, "ncen-forms") != 0)
		goto fail;
	if (schema_lex_decl(&p.lx, "form", N_("form"), &form->name,
	    &form->version, &form->line, &form->col) != 0)
		goto fail;
	while ((r = schema_lex_line(&p.lx)) == 1) {
		if (schema_parse_statement(&p) != 0)
			goto fail;
	}
	if (r < 0)
		goto fail;
	if (form->nfields == 0) {
		if (schema_parse_form_labels(&p) != 0)
			goto fail;
		schema_lex_expected(&p.lx, 0,
		    _("at least one field in the form"));
		goto fail;
	}
	if (schema_parse_field_close(&p) != 0)
		goto fail;
	if (schema_parse_retain_check(&p) != 0)
		goto fail;
	schema_lex_free(&p.lx);
	*out = form;
	return NCEN_OK;

fail:
	schema_lex_free(&p.lx);
	schema_form_free(form);
	return NCEN_EPARSE;
}

/* Release a form and everything it owns. */
void
schema_form_free(struct schema_form *form)
{
	size_t	i;
	int	lang;

	if (form == NULL)
		return;
	for (i = 0; i < form->nfields; i++) {
		free(form->fields[i].name);
		free(form->fields[i].target);
		for (lang = 0; lang < SCHEMA_NLANG; lang++) {
			free(form->fields[i].label[lang]);
			free(form->fields[i].help[lang]);
			free(form->fields[i].heading[lang]);
		}
	}
	free(form->fields);
	for (lang = 0; lang < SCHEMA_NLANG; lang++)
		free(form->label[lang]);
	free(form->name);
	free(form->path);
	free(form);
}
