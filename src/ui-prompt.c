/*
 * ui-prompt.c - a one-line question asked on the status line.
 *
 * Used for passwords (shown as stars), page numbers, reasons and yes/no
 * questions.  Input is wide characters (UTF-8); at most maxchars of them
 * are taken and a longer paste is refused in words, not cut silently.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <wchar.h>
#include <wctype.h>

#include "buf.h"
#include "i18n.h"
#include "ui.h"
#include "xmalloc.h"

/*
 * Whether the question and a short answer fit the status line; if not
 * (a long question, or a translation longer than the English), the
 * question takes the status line and the answer the key line below.
 */
static int
ui_prompt_two_lines(const char *question, size_t maxchars)
{
	int	answer = maxchars < 20 ? (int)maxchars : 20;

	return ui_text_width(question) > COLS - 2 - answer;
}

/* Draw the question and what has been typed so far. */
static void
ui_prompt_draw(const char *question, const wchar_t *w, size_t n, int secret,
    size_t maxchars)
{
	struct buf	b = BUF_INIT;
	char		mb[MB_LEN_MAX + 1];
	size_t		i, len;
	int		qw, tw, x, y = LINES - 2;

	move(LINES - 2, 0);
	clrtoeol();
	attron(A_BOLD);
	ui_text_put(LINES - 2, 0, question, COLS - 1, 0);
	attroff(A_BOLD);
	qw = ui_text_width(question);
	x = qw + 1;
	if (ui_prompt_two_lines(question, maxchars)) {
		y = LINES - 1;
		x = 0;
		move(y, 0);
		clrtoeol();
	}
	for (i = 0; i < n; i++) {
		if (secret) {
			buf_addc(&b, '*');
			continue;
		}
		if ((len = wcrtomb(mb, w[i], NULL)) == (size_t)-1)
			buf_addc(&b, '?');
		else
			buf_add(&b, mb, len);
	}
	/* Show the end of a long answer: the part being typed. */
	tw = ui_text_width(buf_cstr(&b));
	if (tw > COLS - x - 1) {
		const char	*s = buf_cstr(&b);

		while (*s != '\0' && ui_text_width(s) > COLS - x - 1)
			s++;
		ui_text_put(y, x, s, COLS - x - 1, 0);
	} else
		ui_text_put(y, x, buf_cstr(&b), COLS - x - 1, 0);
	buf_free(&b);
}

/*
 * The terminal changed size under the question: the screen below it
 * was laid out for the old size and only its caller can lay it out
 * again, after the answer (ui_key then gives it the resize).  Until
 * then the question stands alone on a blank screen with its key line,
 * at the new size.
 */
static void
ui_prompt_resized(struct ui *u)
{
	static const enum ui_op	ops[] = { UI_OP_BACK };

	erase();
	ui_keys(u, ops, 1);
	clearok(curscr, TRUE);
}

/*
 * Ask a question; 1 with the answer in *answer (UTF-8) when the officer
 * presses Enter, 0 when they go back.
 */
int
ui_prompt(struct ui *u, const char *question, size_t maxchars, int secret,
    struct buf *answer)
{
	struct ui_keypress	 k;
	wchar_t			*w;
	char			 mb[MB_LEN_MAX + 1];
	size_t			 n = 0, i, len;
	cchar_t			*keys;
	int			 done = -1, over = 0, resized = 0;

	w = xcalloc(maxchars + 1, sizeof *w);
	buf_reset(answer);
	/* A two-line question borrows the key line: keep it to put back. */
	keys = xcalloc((size_t)COLS + 1, sizeof *keys);
	mvin_wchnstr(LINES - 1, 0, keys, COLS);
	curs_set(1);
	while (done < 0) {
		ui_prompt_draw(question, w, n, secret, maxchars);
		ui_key(u, &k);
		if (k.op == UI_OP_BACK)
			done = 0;
		else if (k.op == UI_OP_RESIZE) {
			ui_prompt_resized(u);
			resized = 1;
		}
		else if (k.op == UI_OP_REDRAW)
			continue;
		else if (k.op != UI_OP_NONE)
			beep();
		else if (!k.fkey && (k.key == '\r' || k.key == '\n'))
			done = 1;
		else if (k.fkey && (k.key == KEY_BACKSPACE ||
		    k.key == KEY_LEFT)) {
			if (n > 0)
				n--;
		} else if (k.fkey && k.key == KEY_ENTER)
			done = 1;
		else if (!k.fkey && k.key >= 0x20 && iswprint(k.key)) {
			if (n < maxchars)
				w[n++] = (wchar_t)k.key;
			else
				over = 1;
		} else
			beep();
	}
	curs_set(0);
	for (i = 0; i < n; i++)
		if ((len = wcrtomb(mb, w[i], NULL)) != (size_t)-1)
			buf_add(answer, mb, len);
	memset(w, 0, (maxchars + 1) * sizeof *w);
	free(w);
	move(LINES - 2, 0);
	clrtoeol();
	if (!resized && ui_prompt_two_lines(question, maxchars))
		mvadd_wchnstr(LINES - 1, 0, keys, COLS);
	free(keys);
	u->resized |= resized;
	if (over && done)
		ui_status_error(u, _("Only the first %zu characters were "
		    "taken; the rest was refused."), maxchars);
	return done;
}

/*
 * A yes/no question, answered by one key with no Enter after it: 1 for
 * yes (y, or the language's own letter: o for oui), 0 for no (n, Enter,
 * Back).  Any other key rings the bell and the question stays.
 */
int
ui_confirm(struct ui *u, const char *question)
{
	struct ui_keypress	 k;
	/* TRANSLATORS: the letters that mean "yes", lower case. */
	const char		*letters = _("y");
	cchar_t			*keys;
	int			 yes = -1, resized = 0;

	/* A two-line question borrows the key line: keep it to put back. */
	keys = xcalloc((size_t)COLS + 1, sizeof *keys);
	mvin_wchnstr(LINES - 1, 0, keys, COLS);
	curs_set(1);
	while (yes < 0) {
		ui_prompt_draw(question, NULL, 0, 0, 1);
		ui_key(u, &k);
		if (k.op == UI_OP_BACK)
			yes = 0;
		else if (k.op == UI_OP_RESIZE) {
			ui_prompt_resized(u);
			resized = 1;
		} else if (k.op == UI_OP_REDRAW)
			continue;
		else if (k.fkey && k.key == KEY_ENTER)
			yes = 0;
		else if (k.op != UI_OP_NONE || k.fkey)
			beep();
		else if (k.key < 0x80 && k.key != 0 && (k.key == 'y' ||
		    k.key == 'Y' || strchr(letters, (int)towlower(k.key)) !=
		    NULL))
			yes = 1;
		else if (k.key == 'n' || k.key == 'N' || k.key == '\r' ||
		    k.key == '\n')
			yes = 0;
		else
			beep();
	}
	curs_set(0);
	move(LINES - 2, 0);
	clrtoeol();
	if (!resized && ui_prompt_two_lines(question, 1))
		mvadd_wchnstr(LINES - 1, 0, keys, COLS);
	free(keys);
	u->resized |= resized;
	return yes;
}
