/*
 * ui-text.c - UTF-8 text measured and drawn in terminal columns.
 *
 * Names come in Latin, Cyrillic and Arabic scripts (and CJK, which takes
 * two columns a character): lists and forms line up by columns, not by
 * bytes or characters, so every string is measured with wcwidth().
 * Arabic is drawn in logical order; the terminal does the shaping.
 *
 * A terminal that cannot show UTF-8 (LANG=C on a plain vt100 or a
 * serial console) gets every text with letters beyond ASCII
 * transliterated to ASCII (match_show) and marked with a leading '~',
 * so that "Кузнецов" reads "~Kuznetsov", not garbage.
 */
#include <curses.h>
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "error.h"
#include "match.h"
#include "ui.h"
#include "xmalloc.h"

static int	ui_text_ascii;		/* the terminal shows ASCII only */

/* Note whether the locale's terminal shows UTF-8 (after setlocale). */
void
ui_text_init(void)
{
	const char	*cs = nl_langinfo(CODESET);

	ui_text_ascii = cs == NULL || strcmp(cs, "UTF-8") != 0;
}

/* Whether text shows transliterated (ui_text_init found no UTF-8). */
int
ui_text_transliterated(void)
{
	return ui_text_ascii;
}

/*
 * The text as this terminal shows it: s itself, or on an ASCII terminal
 * (in tmp) its transliteration, marked with a '~' before the first word
 * that was not ASCII ("Family name: ~Kuznetsov"); anything left beyond
 * ASCII shows as '?'.
 */
const char *
ui_text_shown(const char *s, struct buf *tmp)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	const char	*p, *w;
	size_t		 i, start;

	if (!ui_text_ascii)
		return s;
	for (p = s; *p != '\0' && (unsigned char)*p < 0x80; p++)
		;
	if (*p == '\0')
		return s;
	for (w = p; w > s && w[-1] != ' '; w--)
		;
	buf_reset(tmp);
	buf_add(tmp, s, (size_t)(w - s));
	buf_addc(tmp, '~');
	start = tmp->len;
	if (match_show(w, strlen(w), tmp, &e) != NCEN_OK) {
		tmp->len = start;
		buf_adds(tmp, w);
	}
	ncen_err_free(&e);
	for (i = 0; i < tmp->len; i++)
		if ((unsigned char)tmp->s[i] >= 0x80)
			tmp->s[i] = '?';
	return buf_cstr(tmp);
}

/* Decode the next character of s (n bytes); 0 bytes used if malformed. */
static size_t
ui_text_next(const char *s, size_t n, wchar_t *wc)
{
	mbstate_t	ps;
	size_t		r;

	memset(&ps, 0, sizeof ps);
	r = mbrtowc(wc, s, n, &ps);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0)
		return 0;
	return r;
}

/* The columns of one character: control characters show as '?'. */
static int
ui_text_cw(wchar_t wc)
{
	int	w = wcwidth(wc);

	return w < 0 ? 1 : w;
}

/* The width of a UTF-8 string in columns (bad bytes count one each). */
int
ui_text_width(const char *s)
{
	struct buf	tmp = BUF_INIT;
	size_t		n, used;
	wchar_t		wc;
	int		w = 0;

	s = ui_text_shown(s, &tmp);
	n = strlen(s);

	while (n > 0) {
		if ((used = ui_text_next(s, n, &wc)) == 0) {
			w++;
			s++;
			n--;
			continue;
		}
		w += ui_text_cw(wc);
		s += used;
		n -= used;
	}
	buf_free(&tmp);
	return w;
}

/* Copy as much of s as fits in width columns into b (whole characters). */
void
ui_text_clip(const char *s, int width, struct buf *b)
{
	struct buf	tmp = BUF_INIT;
	size_t		n, used;
	wchar_t		wc;
	int		w = 0, cw;

	s = ui_text_shown(s, &tmp);
	n = strlen(s);

	while (n > 0) {
		if ((used = ui_text_next(s, n, &wc)) == 0) {
			wc = L'?';
			used = 1;
		}
		cw = ui_text_cw(wc);
		if (w + cw > width)
			break;
		if (wc < 0x20 || wc == 0x7f || wcwidth(wc) < 0)
			buf_addc(b, '?');
		else
			buf_add(b, s, used);
		w += cw;
		s += used;
		n -= used;
	}
	buf_free(&tmp);
}

/* Draw s at y,x in at most width columns, padded with blanks if pad. */
void
ui_text_put(int y, int x, const char *s, int width, int pad)
{
	struct buf	b = BUF_INIT;
	int		w;

	if (width <= 0)
		return;
	ui_text_clip(s, width, &b);
	mvaddstr(y, x, buf_cstr(&b));
	if (pad)
		for (w = ui_text_width(buf_cstr(&b)); w < width; w++)
			addch(' ');
	buf_free(&b);
}

/* Whether s (n bytes) is valid UTF-8 without control characters. */
int
ui_text_valid(const char *s, size_t n)
{
	size_t	used;
	wchar_t	wc;

	while (n > 0) {
		if ((used = ui_text_next(s, n, &wc)) == 0)
			return 0;
		if (wc < 0x20 || wc == 0x7f)
			return 0;
		s += used;
		n -= used;
	}
	return 1;
}
