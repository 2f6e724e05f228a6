/*
 * schema-codes.c - the .codes language: one code list, and its lookups.
 *
 *	ncen-codes 1
 *	list transport 1
 *	# code	English			French
 *	1	"Maritime transport"	"Transport maritime"
 *
 * A code may end with "= FACTOR CODE": one of it is FACTOR of that other
 * code of the same list (KGM = 1000 GRM), which must not convert in its
 * turn; statistics sum quantities of units converting to the same code
 * together and never others (stats-unit.c).
 *
 * Codes are kept sorted (strcmp order) for binary search; a code given
 * twice is an error naming both lines.  Lists of thousands of codes are
 * fine: nothing here is worse than n log n.
 */
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "schema.h"
#include "xmalloc.h"

#define SCHEMA_CODES_MAXLEN	32

/* A code being read, with where it was for duplicate messages. */
struct schema_codes_entry {
	struct schema_code	 code;
	unsigned		 line, col;
	unsigned		 basecol;	/* the "= FACTOR CODE" target */
};

/* Is this a code: 1 to 32 letters, digits, '.', '-' or '_'? */
static int
schema_codes_valid(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > SCHEMA_CODES_MAXLEN)
		return 0;
	for (i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '-' ||
		    s[i] == '_')
			continue;
		return 0;
	}
	return 1;
}

/* Is this a conversion factor: digits with at most one '.', not zero? */
static int
schema_codes_factor(const char *s, size_t len)
{
	size_t	i, dots = 0, digits = 0, nonzero = 0;

	if (len == 0 || len > 24)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && dots++ == 0 && i > 0 && i + 1 < len)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		digits++;
		nonzero += s[i] != '0';
	}
	return digits > 0 && nonzero > 0;
}

/* Order entries by code, then by line (so the first definition comes first). */
static int
schema_codes_cmp_entry(const void *a, const void *b)
{
	const struct schema_codes_entry	*x = a, *y = b;
	int				 c;

	if ((c = strcmp(x->code.code, y->code.code)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Languages of the labels on a code line, in the order they are written. */
static const char *schema_codes_langs[SCHEMA_NLANG] = {
	N_("English"), N_("French")
};

/* Is this a kind: a name [a-z][a-z0-9_]*, with an optional '*'? */
static int
schema_codes_kind(const char *s, size_t len)
{
	size_t	i;

	if (len > 0 && s[len - 1] == '*')
		len--;
	if (len == 0 || len > 32 || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* Read "for KIND..." from token k to the end into *kinds ("a* b"). */
static int
schema_codes_kinds(struct schema_lex *lx, size_t k, char **kinds)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	if (k + 1 >= lx->ntok)
		return schema_lex_expected(lx, k + 1, _("the kinds of record "
		    "the code applies to (names, the likely one's ending "
		    "in '*')"));
	for (i = k + 1; i < lx->ntok; i++) {
		if (lx->tok[i].quoted ||
		    !schema_codes_kind(lx->tok[i].s, lx->tok[i].len)) {
			buf_free(&b);
			return schema_lex_expected(lx, i, _("a kind of record "
			    "(a name, the likely one's ending in '*')"));
		}
		if (b.len > 0)
			buf_addc(&b, ' ');
		buf_add(&b, lx->tok[i].s, lx->tok[i].len);
	}
	*kinds = buf_detach(&b);
	return 0;
}

static int	schema_codes_conversion(struct schema_lex *, size_t,
		    struct schema_codes_entry *);

/* Read one line "CODE "English" "French"" into an entry. */
static int
schema_codes_line(struct schema_lex *lx, struct schema_codes_entry *e)
{
	struct buf	w = BUF_INIT;
	size_t		i, k, ntok;
	int		lang, r;

	if (lx->tok[0].quoted ||
	    !schema_codes_valid(lx->tok[0].s, lx->tok[0].len)) {
		return schema_lex_expected(lx, 0, _("a code (letters, digits, "
		    "'.', '-' or '_', at most 32 characters)"));
	}
	for (lang = 0; lang < SCHEMA_NLANG; lang++) {
		i = 1 + (size_t)lang;
		buf_reset(&w);
		if (i >= lx->ntok || !lx->tok[i].quoted)
			buf_addf(&w, _("a quoted %s label"),
			    _(schema_codes_langs[lang]));
		else if (lx->tok[i].len == 0)
			buf_addf(&w, _("a non-empty %s label"),
			    _(schema_codes_langs[lang]));
		if (w.len != 0) {
			schema_lex_expected(lx, i, buf_cstr(&w));
			buf_free(&w);
			return -1;
		}
	}
	buf_free(&w);
	i = 1 + SCHEMA_NLANG;
	/* "for KIND..." ends the line: the kinds the code applies to. */
	for (k = i; k < lx->ntok && !schema_lex_is(lx, k, "for"); k++)
		;
	if (k < lx->ntok && schema_codes_kinds(lx, k, &e->code.kinds) != 0)
		return -1;
	ntok = lx->ntok;
	lx->ntok = k;
	r = schema_codes_conversion(lx, i, e);
	lx->ntok = ntok;
	if (r != 0) {
		free(e->code.kinds);	/* the line is refused whole */
		e->code.kinds = NULL;
		return -1;
	}
	e->code.code = xstrndup(lx->tok[0].s, lx->tok[0].len);
	for (lang = 0; lang < SCHEMA_NLANG; lang++)
		e->code.label[lang] = xstrdup(lx->tok[1 + lang].s);
	e->line = lx->line;
	e->col = lx->tok[0].col;
	return 0;
}

/* Read an optional "= FACTOR BASE" from token i to the end. */
static int
schema_codes_conversion(struct schema_lex *lx, size_t i,
    struct schema_codes_entry *e)
{
	if (i < lx->ntok && !lx->tok[i].quoted && lx->tok[i].len == 1 &&
	    lx->tok[i].s[0] == '=') {
		if (i + 1 >= lx->ntok || lx->tok[i + 1].quoted ||
		    !schema_codes_factor(lx->tok[i + 1].s, lx->tok[i + 1].len))
			return schema_lex_expected(lx, i + 1, _("a factor "
			    "(a positive decimal number, e.g. 1000 or "
			    "0.001)"));
		if (i + 2 >= lx->ntok || lx->tok[i + 2].quoted ||
		    !schema_codes_valid(lx->tok[i + 2].s, lx->tok[i + 2].len))
			return schema_lex_expected(lx, i + 2, _("the code it "
			    "converts to"));
		if (schema_lex_end(lx, i + 3) != 0)
			return -1;
		e->code.factor = xstrndup(lx->tok[i + 1].s,
		    lx->tok[i + 1].len);
		e->code.base = xstrndup(lx->tok[i + 2].s, lx->tok[i + 2].len);
		e->basecol = lx->tok[i + 2].col;
	} else if (schema_lex_end(lx, i) != 0)
		return -1;
	return 0;
}

/* Release the codes of entries not handed to a list. */
static void
schema_codes_free_entries(struct schema_codes_entry *e, size_t n)
{
	size_t	i;
	int	lang;

	for (i = 0; i < n; i++) {
		free(e[i].code.code);
		for (lang = 0; lang < SCHEMA_NLANG; lang++)
			free(e[i].code.label[lang]);
		free(e[i].code.factor);
		free(e[i].code.base);
		free(e[i].code.kinds);
	}
	free(e);
}

/* Sort the entries and refuse the first duplicate in file order. */
static int
schema_codes_sort(struct schema_lex *lx, struct schema_codes_entry *e,
    size_t n)
{
	const struct schema_codes_entry	*dup = NULL;
	size_t				 i;

	qsort(e, n, sizeof *e, schema_codes_cmp_entry);
	for (i = 1; i < n; i++) {
		if (strcmp(e[i - 1].code.code, e[i].code.code) != 0)
			continue;
		if (dup == NULL || e[i].line < dup->line)
			dup = &e[i];
	}
	if (dup == NULL)
		return 0;
	for (i = 1; &e[i] != dup; i++)
		;
	while (i > 0 && strcmp(e[i - 1].code.code, dup->code.code) == 0)
		i--;
	lx->line = dup->line;
	return schema_lex_error(lx, dup->col,
	    _("expected each code once, found "
	    "'%s' again (the first is at line %u)"), dup->code.code, e[i].line);
}

/* The entry of a code among sorted entries, or NULL. */
static const struct schema_codes_entry *
schema_codes_entry_find(const struct schema_codes_entry *e, size_t n,
    const char *code)
{
	size_t	lo = 0, hi = n, mid;
	int	c;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if ((c = strcmp(e[mid].code.code, code)) == 0)
			return &e[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Each "= FACTOR CODE" names another code of the list that converts no further. */
static int
schema_codes_bases(struct schema_lex *lx, struct schema_codes_entry *e,
    size_t n)
{
	const struct schema_codes_entry	*bad = NULL, *to;
	size_t				 i;

	for (i = 0; i < n; i++) {
		if (e[i].code.base == NULL)
			continue;
		to = schema_codes_entry_find(e, n, e[i].code.base);
		if ((to == NULL || to == &e[i] || to->code.base != NULL) &&
		    (bad == NULL || e[i].line < bad->line))
			bad = &e[i];
	}
	if (bad == NULL)
		return 0;
	lx->line = bad->line;
	return schema_lex_error(lx, bad->basecol, _("expected a code of this "
	    "list that converts to no other, found '%s'"), bad->code.base);
}

/* Parse one code list from len bytes of text; path names it in messages. */
int
schema_codes_parse(const char *path, const char *text, size_t len,
    struct schema_codelist **out, struct ncen_err *err)
{
	struct schema_lex		 lx;
	struct schema_codelist		*list;
	struct schema_codes_entry	*e = NULL;
	size_t				 n = 0, cap = 0, i;
	int				 r;

	*out = NULL;
	schema_lex_init(&lx, path, text, len, err);
	list = xcalloc(1, sizeof *list);
	list->path = xstrdup(lx.path);

	if (schema_lex_magic(&lx, "ncen-codes") != 0)
		goto fail;
	if (schema_lex_decl(&lx, "list", N_("list"), &list->name,
	    &list->version,
	    &list->line, &list->col) != 0)
		goto fail;
	while ((r = schema_lex_line(&lx)) == 1) {
		if (n == cap) {
			cap = cap == 0 ? 64 : cap * 2;
			e = xreallocarray(e, cap, sizeof *e);
		}
		memset(&e[n], 0, sizeof e[n]);
		if (schema_codes_line(&lx, &e[n]) != 0)
			goto fail;
		n++;
	}
	if (r < 0)
		goto fail;
	if (n == 0) {
		schema_lex_expected(&lx, 0, _("at least one code in the list"));
		goto fail;
	}
	if (schema_codes_sort(&lx, e, n) != 0 ||
	    schema_codes_bases(&lx, e, n) != 0)
		goto fail;
	list->codes = xreallocarray(NULL, n, sizeof *list->codes);
	for (i = 0; i < n; i++)
		list->codes[i] = e[i].code;
	list->ncodes = n;
	free(e);
	schema_lex_free(&lx);
	*out = list;
	return NCEN_OK;

fail:
	schema_codes_free_entries(e, n);
	schema_lex_free(&lx);
	schema_codes_free(list);
	return NCEN_EPARSE;
}

/* Release a code list and everything it owns. */
void
schema_codes_free(struct schema_codelist *list)
{
	size_t	i;
	int	lang;

	if (list == NULL)
		return;
	for (i = 0; i < list->ncodes; i++) {
		free(list->codes[i].code);
		for (lang = 0; lang < SCHEMA_NLANG; lang++)
			free(list->codes[i].label[lang]);
		free(list->codes[i].factor);
		free(list->codes[i].base);
		free(list->codes[i].kinds);
	}
	free(list->codes);
	free(list->name);
	free(list->path);
	free(list);
}

/*
 * Whether a code applies to a kind of record: 0 not, 1 it does, 2 it is
 * the likely one (marked '*'); a code without "for" applies to all.
 */
int
schema_code_applies(const struct schema_code *c, const char *kind)
{
	const char	*p, *end;
	size_t		 len = strlen(kind);

	if (c->kinds == NULL)
		return 1;
	for (p = c->kinds; *p != '\0'; p = *end == ' ' ? end + 1 : end) {
		if ((end = strchr(p, ' ')) == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) >= len && strncmp(p, kind, len) == 0) {
			if ((size_t)(end - p) == len)
				return 1;
			if ((size_t)(end - p) == len + 1 && p[len] == '*')
				return 2;
		}
	}
	return 0;
}

/* Compare a code looked for with a list entry, for bsearch. */
static int
schema_codes_cmp_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct schema_code *)elem)->code);
}

/* The entry for a code (exact, case-sensitive), or NULL. */
const struct schema_code *
schema_code_find(const struct schema_codelist *list, const char *code)
{
	if (list == NULL || code == NULL || list->ncodes == 0)
		return NULL;
	return bsearch(code, list->codes, list->ncodes, sizeof *list->codes,
	    schema_codes_cmp_key);
}

/* Compare two strings ignoring ASCII case. */
static int
schema_codes_same(const char *a, const char *b)
{
	unsigned char	x, y;

	for (;; a++, b++) {
		x = (unsigned char)*a;
		y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y)
			return 0;
		if (x == '\0')
			return 1;
	}
}

/*
 * How many codes have this label in any language (ASCII case ignored);
 * the first in code order goes to *first.
 */
size_t
schema_code_label_matches(const struct schema_codelist *list,
    const char *label, const struct schema_code **first)
{
	size_t	i, n = 0;
	int	lang;

	if (first != NULL)
		*first = NULL;
	if (list == NULL || label == NULL)
		return 0;
	for (i = 0; i < list->ncodes; i++) {
		for (lang = 0; lang < SCHEMA_NLANG; lang++) {
			if (list->codes[i].label[lang] != NULL &&
			    schema_codes_same(list->codes[i].label[lang], label))
				break;
		}
		if (lang == SCHEMA_NLANG)
			continue;
		if (n++ == 0 && first != NULL)
			*first = &list->codes[i];
	}
	return n;
}

/* The one code with this English or French label, or NULL (none or several). */
const struct schema_code *
schema_code_find_label(const struct schema_codelist *list, const char *label)
{
	const struct schema_code	*c;

	if (schema_code_label_matches(list, label, &c) != 1)
		return NULL;
	return c;
}
