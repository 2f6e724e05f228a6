/* match.c - folded, Latin, skeleton, number and date keys (match.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "match.h"
#include "xmalloc.h"

/*
 * Russian by the BGN/PCGN romanisation ("Кузнецов" -> "Kuznetsov", as
 * passports and partners' Latin spell it; ICU's Any-Latin would give
 * ISO 9 "Kuznecov"), every other script by Any-Latin, then ASCII.
 */
#define MATCH_TRANSLIT	"Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower"
/* The same for the eye: case and punctuation kept. */
#define MATCH_SHOW	"Russian-Latin/BGN; Any-Latin; Latin-ASCII"

/* Per process: opening a transliterator costs milliseconds. */
static UTransliterator	*match_trans;
static UTransliterator	*match_trans_show;
static const UNormalizer2 *match_nfkc;

/*
 * The skeleton rules, tried in order at each position of a Latin word
 * (the first that matches is replaced and the scan goes on after it).
 * They merge what transliterations of one sound differ by: German,
 * French, English and BGN spellings of the same consonant.  Then every
 * vowel (a e i o u y) and h is dropped, doubled letters are made one,
 * and a final f becomes v ("Ivanoff"), so that vowel choices and
 * doubled letters (typos) do not matter:
 *	Kuznetsov, Kouznetsov, Kusnezow, Kuznecov	-> ksnsv
 *	Mueller, Müller, Muller				-> mlr
 *	Schwarzenegger, Schwarzeneger			-> svrsngr
 *	Abdel Rahman, Abdulrahman, Abd al-Rahman, عبد الرحمن -> bdlrmn
 *	(joined: sound keys are made of 1 to 3 adjacent words too)
 */
static const struct {
	const char	*from;
	const char	*to;
} match_rules[] = {
	{ "tsch", "k" },	/* Tschernow */
	{ "dzh", "j" },		/* BGN Dzhamal */
	{ "sch", "s" },		/* Schmidt, Schwarz */
	{ "tch", "k" },		/* Tchernov */
	{ "ch", "k" },		/* Chernov, Michail */
	{ "kh", "k" },		/* Mikhail, Khalid */
	{ "ck", "k" },
	{ "ph", "f" },		/* Stephanos */
	{ "th", "t" },
	{ "dh", "d" },
	{ "gh", "g" },
	{ "sh", "s" },
	{ "zh", "j" },		/* Zhukov, Joukov */
	{ "dj", "j" },		/* Djamel */
	{ "ts", "s" },		/* Kuznetsov */
	{ "tz", "s" },
	{ "x", "ks" },		/* Alexander, Aleksandr */
	{ "q", "k" },
	{ "cov", "sov" },	/* ISO 9 Kuznecov */
	{ "ij", "i" },		/* Dmitrij, Dutch ij */
	{ "ce", "s" },
	{ "ci", "s" },
	{ "cy", "s" },
	{ "c", "k" },
	{ "w", "v" },		/* Kusnezow */
	{ "z", "s" },
};
#define MATCH_NRULES	(sizeof match_rules / sizeof match_rules[0])

/* Whether bytes are well-formed UTF-8 (no overlongs, surrogates, NUL). */
int
match_utf8(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, k;
	uint32_t		 c;

	while (i < len) {
		c = p[i];
		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, c &= 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, c &= 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, c &= 0x07;
		else
			return 0;
		if (i + n >= len)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 ||
		    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Whether bytes are all ASCII. */
static int
match_ascii(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/* Open the ICU objects once; NCEN_EVERSION if ICU lacks them. */
static int
match_open(struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	UChar		 id[sizeof MATCH_TRANSLIT];

	if (match_nfkc == NULL) {
		match_nfkc = unorm2_getNFKCCasefoldInstance(&ue);
		if (U_FAILURE(ue)) {
			match_nfkc = NULL;
			return ncen_err_set(err, NCEN_EVERSION, _("ICU has no "
			    "NFKC case folding: %s"), u_errorName(ue));
		}
	}
	if (match_trans == NULL) {
		u_uastrncpy(id, MATCH_TRANSLIT, (int32_t)sizeof id);
		match_trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0,
		    NULL, &ue);
		if (U_FAILURE(ue)) {
			match_trans = NULL;
			return ncen_err_set(err, NCEN_EVERSION, _("ICU has no "
			    "transliterator \"%s\": %s"), MATCH_TRANSLIT,
			    u_errorName(ue));
		}
	}
	return NCEN_OK;
}

/* Release the ICU objects (the next call opens them again). */
void
match_end(void)
{
	if (match_trans != NULL)
		utrans_close(match_trans);
	match_trans = NULL;
	if (match_trans_show != NULL)
		utrans_close(match_trans_show);
	match_trans_show = NULL;
	match_nfkc = NULL;	/* owned by ICU */
}

/* UTF-8 to UTF-16 in a fresh array of at least room units. */
static UChar *
match_to16(const char *s, size_t len, int32_t *n, int32_t *cap,
    struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	UChar		*u;

	*cap = (int32_t)len * 4 + 16;
	u = xreallocarray(NULL, (size_t)*cap, sizeof *u);
	u_strFromUTF8(u, *cap, n, s, (int32_t)len, &ue);
	if (U_FAILURE(ue)) {
		free(u);
		ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-8: %s"),
		    u_errorName(ue));
		return NULL;
	}
	return u;
}

/* UTF-16 to UTF-8 appended to out. */
static int
match_to8(const UChar *u, int32_t n, struct buf *out, struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	int32_t		 len = 0;
	char		*s;

	u_strToUTF8(NULL, 0, &len, u, n, &ue);
	if (ue != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ue))
		return ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-16: "
		    "%s"), u_errorName(ue));
	ue = U_ZERO_ERROR;
	s = xmalloc((size_t)len + 1);
	u_strToUTF8(s, len + 1, NULL, u, n, &ue);
	if (U_FAILURE(ue)) {
		free(s);
		return ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-16: "
		    "%s"), u_errorName(ue));
	}
	buf_add(out, s, (size_t)len);
	free(s);
	return NCEN_OK;
}

/* NFKC case folding of UTF-16 into a fresh array. */
static UChar *
match_nfkc16(const UChar *u, int32_t n, int32_t *outn, struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	UChar		*f;
	int32_t		 cap = n * 3 + 16, len;

	f = xreallocarray(NULL, (size_t)cap, sizeof *f);
	len = unorm2_normalize(match_nfkc, u, n, f, cap, &ue);
	if (ue == U_BUFFER_OVERFLOW_ERROR) {
		ue = U_ZERO_ERROR;
		cap = len + 1;
		f = xreallocarray(f, (size_t)cap, sizeof *f);
		len = unorm2_normalize(match_nfkc, u, n, f, cap, &ue);
	}
	if (U_FAILURE(ue)) {
		free(f);
		ncen_err_set(err, NCEN_EUSAGE, _("cannot normalise: %s"),
		    u_errorName(ue));
		return NULL;
	}
	*outn = len;
	return f;
}

/* NFKC with case folding, appended to out. */
int
match_fold(const char *s, size_t len, struct buf *out, struct ncen_err *err)
{
	UChar	*u, *f;
	int32_t	 n, cap, fn;
	size_t	 i;
	int	 error;

	if (!match_utf8(s, len))
		return ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-8"));
	if (match_ascii(s, len)) {
		for (i = 0; i < len; i++)
			buf_addc(out, tolower((unsigned char)s[i]));
		return NCEN_OK;
	}
	if ((error = match_open(err)) != NCEN_OK)
		return error;
	if ((u = match_to16(s, len, &n, &cap, err)) == NULL)
		return NCEN_EUSAGE;
	f = match_nfkc16(u, n, &fn, err);
	free(u);
	if (f == NULL)
		return NCEN_EUSAGE;
	error = match_to8(f, fn, out, err);
	free(f);
	return error;
}

/* ASCII text as words of [a-z0-9] separated by one space, to out. */
static void
match_words(const char *s, size_t len, struct buf *out)
{
	size_t	i;
	int	c, space = 0, any = 0;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (space && any)
				buf_addc(out, ' ');
			buf_addc(out, c);
			space = 0;
			any = 1;
		} else
			space = 1;
	}
}

/* Transliterated to Latin, lower case ASCII words, appended to out. */
int
match_latin(const char *s, size_t len, struct buf *out, struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	UChar		*u, *f;
	int32_t		 n, cap, fn, lim;
	struct buf	 b = BUF_INIT;
	int		 error;

	if (!match_utf8(s, len))
		return ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-8"));
	if (match_ascii(s, len)) {
		match_words(s, len, out);
		return NCEN_OK;
	}
	if ((error = match_open(err)) != NCEN_OK)
		return error;
	if ((u = match_to16(s, len, &n, &cap, err)) == NULL)
		return NCEN_EUSAGE;
	f = match_nfkc16(u, n, &fn, err);
	free(u);
	if (f == NULL)
		return NCEN_EUSAGE;
	/* Room for the Latin: a Han character may become six letters. */
	cap = fn * 8 + 16;
	f = xreallocarray(f, (size_t)cap, sizeof *f);
	lim = fn;
	utrans_transUChars(match_trans, f, &fn, cap, 0, &lim, &ue);
	if (U_FAILURE(ue)) {
		free(f);
		return ncen_err_set(err, NCEN_EUSAGE, _("cannot transliterate:"
		    " %s"), u_errorName(ue));
	}
	error = match_to8(f, fn, &b, err);
	free(f);
	if (error == NCEN_OK)
		match_words(b.s, b.len, out);
	buf_free(&b);
	return error;
}

/* Text as an ASCII terminal shows it (match.h), appended to out. */
int
match_show(const char *s, size_t len, struct buf *out, struct ncen_err *err)
{
	UErrorCode	 ue = U_ZERO_ERROR;
	UChar		 id[sizeof MATCH_SHOW];
	UChar		*u;
	int32_t		 n, cap, lim;
	int		 error;

	if (!match_utf8(s, len))
		return ncen_err_set(err, NCEN_EUSAGE, _("not valid UTF-8"));
	if (match_ascii(s, len)) {
		buf_add(out, s, len);
		return NCEN_OK;
	}
	if (match_trans_show == NULL) {
		u_uastrncpy(id, MATCH_SHOW, (int32_t)sizeof id);
		match_trans_show = utrans_openU(id, -1, UTRANS_FORWARD, NULL,
		    0, NULL, &ue);
		if (U_FAILURE(ue)) {
			match_trans_show = NULL;
			return ncen_err_set(err, NCEN_EVERSION, _("ICU has no "
			    "transliterator \"%s\": %s"), MATCH_SHOW,
			    u_errorName(ue));
		}
	}
	if ((u = match_to16(s, len, &n, &cap, err)) == NULL)
		return NCEN_EUSAGE;
	/* Room for the Latin: a Han character may become six letters. */
	cap = n * 8 + 16;
	u = xreallocarray(u, (size_t)cap, sizeof *u);
	lim = n;
	utrans_transUChars(match_trans_show, u, &n, cap, 0, &lim, &ue);
	if (U_FAILURE(ue)) {
		free(u);
		return ncen_err_set(err, NCEN_EUSAGE, _("cannot transliterate:"
		    " %s"), u_errorName(ue));
	}
	error = match_to8(u, n, out, err);
	free(u);
	return error;
}

/* Whether a letter is one the skeleton drops. */
static int
match_weak(int c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	    c == 'y' || c == 'h';
}

/* The consonant skeleton of a Latin word (lower case ASCII), to out. */
void
match_skeleton(const char *w, size_t len, struct buf *out)
{
	struct buf	 r = BUF_INIT;
	size_t		 i, j, k, flen, start = out->len;
	int		 last = 0, c;

	for (i = 0; i < len;) {
		for (j = 0; j < MATCH_NRULES; j++) {
			flen = strlen(match_rules[j].from);
			if (flen <= len - i && memcmp(w + i,
			    match_rules[j].from, flen) == 0)
				break;
		}
		if (j < MATCH_NRULES) {
			buf_adds(&r, match_rules[j].to);
			i += strlen(match_rules[j].from);
		} else
			buf_addc(&r, w[i++]);
	}
	for (k = 0; k < r.len; k++) {
		c = (unsigned char)r.s[k];
		if (match_weak(c) || c == last)
			continue;
		buf_addc(out, c);
		last = c;
	}
	if (out->len > start && out->s[out->len - 1] == 'f')
		out->s[out->len - 1] = 'v';
	/* All vowels ("Ai"): the word itself, so that it still has a key. */
	if (out->len == start)
		buf_add(out, w, len);
	buf_free(&r);
}

/* A number without separators or case, appended to out. */
int
match_compact(const char *s, size_t len, struct buf *out,
    struct ncen_err *err)
{
	struct buf	 f = BUF_INIT;
	size_t		 i;
	int		 c, error;

	if ((error = match_fold(s, len, &f, err)) != NCEN_OK) {
		buf_free(&f);
		return error;
	}
	for (i = 0; i < f.len; i++) {
		c = (unsigned char)f.s[i];
		if (c < 0x80 && !isalnum(c))
			continue;	/* space, dash, dot, slash, plus... */
		buf_addc(out, c);
	}
	buf_free(&f);
	return NCEN_OK;
}

/* Digits of s[0..n) as a number, or -1 (none, or more than 4). */
static int
match_num(const char *s, size_t n)
{
	size_t	i;
	int	v = 0;

	if (n == 0 || n > 4)		/* a year, month or day */
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* A date in one of the usual forms, as YYYY-MM-DD in iso; 1 if one. */
int
match_date(const char *s, size_t len, char iso[11])
{
	static const int	 mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	size_t			 a, b;
	int			 y, m, d, sep;

	/* Three runs of digits separated by one same separator. */
	for (a = 0; a < len && s[a] >= '0' && s[a] <= '9'; a++)
		;
	if (a == 0 || a >= len)
		return 0;
	sep = s[a];
	if (sep != '-' && sep != '/' && sep != '.')
		return 0;
	for (b = a + 1; b < len && s[b] >= '0' && s[b] <= '9'; b++)
		;
	if (b >= len || s[b] != sep || b == a + 1)
		return 0;
	if (a == 4) {			/* YYYY-MM-DD */
		y = match_num(s, 4);
		m = match_num(s + a + 1, b - a - 1);
		d = match_num(s + b + 1, len - b - 1);
		if (len - b - 1 > 2)
			return 0;
	} else if (a <= 2 && len - b - 1 == 4) {	/* DD/MM/YYYY */
		d = match_num(s, a);
		m = match_num(s + a + 1, b - a - 1);
		y = match_num(s + b + 1, 4);
	} else
		return 0;
	if (b - a - 1 > 2 || y < 1000 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0))
		return 0;
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
	return 1;
}

/* Jaro-Winkler similarity of two byte strings (0: nothing alike, 1: same). */
double
match_jw(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char	 am[MATCH_WORD_MAX * 2], bm[MATCH_WORD_MAX * 2];
	size_t		 i, j, lo, hi, win, m = 0, t = 0, p;
	double		 jaro;

	if (alen > sizeof am)
		alen = sizeof am;
	if (blen > sizeof bm)
		blen = sizeof bm;
	if (alen == 0 || blen == 0)
		return alen == blen ? 1.0 : 0.0;
	memset(am, 0, alen);
	memset(bm, 0, blen);
	win = (alen > blen ? alen : blen) / 2;
	win = win > 0 ? win - 1 : 0;
	for (i = 0; i < alen; i++) {
		lo = i > win ? i - win : 0;
		hi = i + win + 1 < blen ? i + win + 1 : blen;
		for (j = lo; j < hi; j++)
			if (!bm[j] && a[i] == b[j]) {
				am[i] = bm[j] = 1;
				m++;
				break;
			}
	}
	if (m == 0)
		return 0.0;
	for (i = 0, j = 0; i < alen; i++) {
		if (!am[i])
			continue;
		while (!bm[j])
			j++;
		if (a[i] != b[j])
			t++;
		j++;
	}
	jaro = ((double)m / (double)alen + (double)m / (double)blen +
	    ((double)m - (double)t / 2.0) / (double)m) / 3.0;
	for (p = 0; p < 4 && p < alen && p < blen && a[p] == b[p]; p++)
		;
	return jaro + (double)p * 0.1 * (1.0 - jaro);
}
