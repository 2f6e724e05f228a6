/*
 * ui-term.c - the terminal: start and stop curses, read keys, draw the
 * title, status and key lines.
 *
 * Curses runs in raw mode so that every control key reaches the key
 * table (^C is Back, not an interrupt); SIGHUP, SIGTERM and SIGPIPE (and
 * SIGIO, which a session forked by the session server gets when its
 * client's socket closes: session-child.c) only set a flag, which ui_key() acts on between keys: it saves the draft
 * through the registered hook, leaves curses, closes the store and
 * exits.  Nothing is drawn while waiting.
 *
 * Typeahead: ui_key() brings the screen up to date (refresh) only when no
 * key is waiting on the terminal, so keys typed ahead or pasted are acted
 * on one after the other and their screens drawn once, when the input is
 * drained, and a fast typist on a slow line is not held back by echoes
 * and redraws nobody waits for.  Screens draw, then call ui_key(), and do
 * not refresh themselves.  Keys are read from a 1x1 window that is never
 * drawn in, because wgetch() refreshes the window it reads for (stdscr
 * would be refreshed after every key); ncurses' own typeahead check in
 * doupdate() looks only every five changed lines.
 */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"		/* config.h first, for HAVE_* */
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOC_TRIM)
#include <malloc.h>
#endif
#include "store.h"
#include "ui.h"
#include "xmalloc.h"

static volatile sig_atomic_t	ui_signalled;
static WINDOW			*ui_term_in;	/* keys are read for it */
static int			 ui_term_small;	/* too small: keys refused */

/* Note a hang-up or termination; ui_key() acts on it. */
static void
ui_term_signal(int sig)
{
	ui_signalled = sig;
}

/* Catch the signals that end a session, without SA_RESTART. */
static void
ui_term_signals(void)
{
	static const int	 sigs[] = { SIGHUP, SIGTERM, SIGPIPE, SIGIO };
	struct sigaction	 sa;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ui_term_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		(void)sigaction(sigs[i], &sa, NULL);
}

/* Whether the screen is at least 80x24. */
int
ui_size_ok(void)
{
	return COLS >= UI_MIN_COLS && LINES >= UI_MIN_LINES;
}

/* Start curses on the terminal; refuse one that is too small. */
int
ui_start(struct ui *u, struct ncen_err *e)
{
	const char	*term = getenv("TERM");
	int		 cols, lines;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ncen_err_set(e, NCEN_EUSAGE, "%s", _("ncen needs a "
		    "terminal: sign in with ssh -t, or on the console"));
	if (term == NULL || *term == '\0')
		return ncen_err_set(e, NCEN_EUSAGE, "%s", _("TERM is not "
		    "set: ncen cannot tell what terminal this is"));
	ui_text_init();
	if (newterm(NULL, stdout, stdin) == NULL)
		return ncen_err_set(e, NCEN_EUSAGE, _("the terminal type "
		    "'%s' is unknown here (try TERM=vt100)"), term);
	cols = COLS;
	lines = LINES;
	if (!ui_size_ok()) {
		endwin();
		return ncen_err_set(e, NCEN_EUSAGE, _("the terminal is "
		    "%dx%d; ncen needs at least %dx%d"), cols, lines,
		    UI_MIN_COLS, UI_MIN_LINES);
	}
	u->started = 1;
	raw();
	noecho();
	nonl();
	meta(stdscr, TRUE);
	/* Keys are read for ui_term_in only: its keypad, set once. */
	if ((ui_term_in = newwin(1, 1, 0, 0)) == NULL) {
		endwin();
		return ncen_err_set(e, NCEN_EUSAGE, "%s", _("curses could "
		    "not make a window (out of memory?)"));
	}
	keypad(ui_term_in, TRUE);
	meta(ui_term_in, TRUE);
	set_escdelay(250);
	u->color = has_colors() && getenv("NO_COLOR") == NULL;
	if (u->color && start_color() == OK) {
		use_default_colors();
		init_pair(1, COLOR_WHITE, COLOR_BLUE);	/* title, keys */
		init_pair(2, COLOR_RED, -1);		/* errors */
	} else
		u->color = 0;
	u->fkeys = tigetstr("kf1") != NULL && tigetstr("kf1") != (char *)-1;
	ui_term_signals();
	erase();
	return NCEN_OK;
}

/* Leave curses (the screen goes back to the shell). */
void
ui_stop(struct ui *u)
{
	if (u->started) {
		erase();
		refresh();
		endwin();
		if (ui_term_in != NULL)
			delwin(ui_term_in);
		ui_term_in = NULL;
		u->started = 0;
	}
	free(u->status);
	u->status = NULL;
}

/* Register (or clear, with NULL) what a hang-up must save. */
void
ui_set_hangup(struct ui *u, ui_hangup_fn fn, void *arg)
{
	u->on_hangup = fn;
	u->hangup_arg = arg;
}

/* Save the draft, leave curses, close the store and exit. */
void
ui_shutdown(struct ui *u, int status)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	if (u->on_hangup != NULL)
		u->on_hangup(u->hangup_arg);
	u->on_hangup = NULL;
	ui_stop(u);
	/* What was saved is committed: a failed close changes no status. */
	if (u->st != NULL)
		(void)store_close(u->st, &e);
	u->st = NULL;
	ncen_err_free(&e);
	exit(status);
}

/* Tell the officer the terminal is too small and wait for a bigger one. */
static void
ui_term_too_small(void)
{
	WINDOW	*w;

	/*
	 * On a window of its own: stdscr keeps what the screen showed
	 * (a form's fields live in it), to be drawn again once it fits.
	 */
	if ((w = newwin(0, 0, 0, 0)) == NULL)
		return;
	mvwprintw(w, 0, 0, _("The terminal is %dx%d; ncen needs %dx%d."),
	    COLS, LINES, UI_MIN_COLS, UI_MIN_LINES);
	wrefresh(w);
	delwin(w);
}

/*
 * Keys a terminal sends that its terminfo entry does not name (a vt100
 * entry has no Home, End, PgUp or PgDn, but the emulators officers use
 * send them): ESC [ or ESC O, parameters, then a final character.
 */
static const struct ui_term_seq {
	const char	*seq;		/* after ESC */
	int		 key;		/* KEY_* code */
} ui_term_seqs[] = {
	{ "[A", KEY_UP }, { "[B", KEY_DOWN }, { "[C", KEY_RIGHT },
	{ "[D", KEY_LEFT }, { "OA", KEY_UP }, { "OB", KEY_DOWN },
	{ "OC", KEY_RIGHT }, { "OD", KEY_LEFT },
	{ "[H", KEY_HOME }, { "OH", KEY_HOME }, { "[1~", KEY_HOME },
	{ "[7~", KEY_HOME }, { "[F", KEY_END }, { "OF", KEY_END },
	{ "[4~", KEY_END }, { "[8~", KEY_END }, { "[5~", KEY_PPAGE },
	{ "[6~", KEY_NPAGE }, { "[2~", KEY_IC }, { "[3~", KEY_DC },
	{ "[Z", KEY_BTAB },
	{ "OP", KEY_F(1) }, { "OQ", KEY_F(2) }, { "OR", KEY_F(3) },
	{ "OS", KEY_F(4) }, { "[11~", KEY_F(1) }, { "[12~", KEY_F(2) },
	{ "[13~", KEY_F(3) }, { "[14~", KEY_F(4) }, { "[15~", KEY_F(5) },
	{ "[17~", KEY_F(6) }, { "[18~", KEY_F(7) }, { "[19~", KEY_F(8) },
	{ "[20~", KEY_F(9) }, { "[21~", KEY_F(10) },
};

/* Read the rest of an escape sequence; 0 and *k when it is known. */
static int
ui_term_sequence(wint_t first, struct ui_keypress *k)
{
	char	seq[16];
	size_t	n = 0, i;
	wint_t	c;

	seq[n++] = (char)first;
	wtimeout(ui_term_in, 100);
	while (n < sizeof seq - 1) {
		if (wget_wch(ui_term_in, &c) != OK)
			break;
		seq[n++] = (char)c;
		if (c >= 0x40 && c <= 0x7e)
			break;		/* the final character */
	}
	seq[n] = '\0';
	for (i = 0; i < sizeof ui_term_seqs / sizeof ui_term_seqs[0]; i++)
		if (strcmp(seq, ui_term_seqs[i].seq) == 0) {
			k->fkey = 1;
			k->key = (wint_t)ui_term_seqs[i].key;
			if (k->key >= (wint_t)KEY_F(1) &&
			    k->key <= (wint_t)KEY_F(12))
				k->op = ui_key_function((int)(k->key -
				    KEY_F0));
			return 0;
		}
	return -1;
}

/*
 * Read one character from its UTF-8 bytes (getch gives bytes and KEY_*
 * codes).  get_wch() would swallow up to 144 bytes of typing after one
 * byte that is not UTF-8; here bad bytes come back as UI_KEY_BADBYTES
 * (KEY_CODE_YES) and the key after them is kept, so a screen can refuse
 * them in words and the next key still works.
 */
static int
ui_term_getwch(wint_t *wc)
{
	char		b[4];
	wchar_t		w;
	mbstate_t	ps;
	int		c, n, need;

	untouchwin(ui_term_in);		/* never drawn: read, not refresh */
	if ((c = wgetch(ui_term_in)) == ERR)
		return ERR;
	*wc = (wint_t)c;
	if (c >= KEY_MIN)
		return KEY_CODE_YES;
	if (c < 0x80)
		return OK;
	need = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 :
	    c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	*wc = UI_KEY_BADBYTES;
	b[0] = (char)c;
	wtimeout(ui_term_in, 200);
	for (n = 1; n < need; n++) {
		if ((c = wgetch(ui_term_in)) == ERR)
			return KEY_CODE_YES;
		if (c >= KEY_MIN || (c & 0xc0) != 0x80) {
			ungetch(c);
			return KEY_CODE_YES;
		}
		b[n] = (char)c;
	}
	memset(&ps, 0, sizeof ps);
	if (need == 0 || mbrtowc(&w, b, (size_t)n, &ps) != (size_t)n)
		return KEY_CODE_YES;
	*wc = (wint_t)w;
	return OK;
}

/* Whether keys are waiting on the terminal (typed ahead, or pasted). */
static int
ui_term_pending(void)
{
	struct pollfd	pfd;

	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	return poll(&pfd, 1, 0) > 0 && (pfd.revents & POLLIN);
}

/*
 * Give the heap's free pages back before waiting for the officer: what
 * a screen read and freed (a list's rows, a record) would otherwise stay
 * with the session for as long as it sits there.
 */
static void
ui_term_trim(void)
{
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOC_TRIM)
	(void)malloc_trim(0);
#endif
}

/*
 * Wait for a key and say what it means.  The screen is brought up to
 * date first, unless more keys are already waiting.  Function keys,
 * control keys and ESC-digit pairs become operations through ui-key.c's
 * table; ESC < and ESC > are Home and End (a vt100 has neither key); a
 * resize comes back as UI_OP_RESIZE once the screen is big enough again.
 */
int
ui_key(struct ui *u, struct ui_keypress *k)
{
	wint_t	wc, next;
	int	r;

	for (;;) {
		memset(k, 0, sizeof *k);
		if (ui_signalled)
			ui_shutdown(u, 0);
		if (u->resized) {	/* taken by a question (ui-prompt.c) */
			u->resized = 0;
			k->op = UI_OP_RESIZE;
			return 0;
		}
		if (!ui_term_pending() && !ui_term_small) {
			refresh();
			ui_term_trim();
		}
		wtimeout(ui_term_in, u->idle != 0 ? (int)u->idle * 1000 : -1);
		r = ui_term_getwch(&wc);
		if (r == ERR) {
			if (ui_signalled)
				ui_shutdown(u, 0);
			if (errno == EINTR)
				continue;
			if (u->idle != 0 && u->on_idle != NULL) {
				u->on_idle(u);
				k->op = UI_OP_REDRAW;
				return 0;
			}
			if (!isatty(STDIN_FILENO))	/* the line is gone */
				ui_shutdown(u, 0);
			continue;
		}
		if (r == KEY_CODE_YES) {
			if (wc == KEY_RESIZE) {
				if (!ui_size_ok()) {
					ui_term_small = 1;
					ui_term_too_small();
					continue;
				}
				ui_term_small = 0;
				k->op = UI_OP_RESIZE;
				return 0;
			}
		}
		/* Keys typed at the "too small" message go nowhere. */
		if (ui_term_small) {
			beep();
			continue;
		}
		if (r == KEY_CODE_YES) {
			if (wc >= (wint_t)KEY_F(1) && wc <= (wint_t)KEY_F(12))
				k->op = ui_key_function((int)(wc - KEY_F0));
			k->fkey = 1;
			k->key = wc;
			return 0;
		}
		if (wc == 27) {
			wtimeout(ui_term_in, 1000);
			r = wget_wch(ui_term_in, &next);
			if (r == OK && (next == '[' || next == 'O')) {
				if (ui_term_sequence(next, k) == 0)
					return 0;
				continue;	/* unknown: ignored */
			}
			/* ESC < and ESC >: Home and End, which a vt100 lacks. */
			if (r == OK && (next == '<' || next == '>')) {
				k->fkey = 1;
				k->key = next == '<' ? KEY_HOME : KEY_END;
				return 0;
			}
			if (r == ERR || r == KEY_CODE_YES)
				k->op = UI_OP_BACK;
			else if ((k->op = ui_key_escape(next)) == UI_OP_NONE)
				k->op = UI_OP_BACK;
			return 0;
		}
		if (wc < 0x20 || wc == 0x7f) {
			k->op = ui_key_control(wc);
			if (wc == 0x7f || wc == 8) {
				k->op = UI_OP_NONE;
				k->fkey = 1;
				k->key = KEY_BACKSPACE;
				return 0;
			}
		}
		k->key = wc;
		return 0;
	}
}

/*
 * Wait up to ms for a key without taking it, the screen brought up to
 * date first: 1 when one came (or was waiting), 0 after a quiet pause.
 * A screen that redraws much for each key (a list's filter) waits for
 * the typist's pause this way, and draws once for a word, not a letter.
 */
int
ui_key_pause(struct ui *u, int ms)
{
	struct pollfd	pfd;
	int		r;

	(void)u;
	if (ui_term_pending())
		return 1;
	refresh();
	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	pfd.revents = 0;
	while ((r = poll(&pfd, 1, ms)) == -1 && errno == EINTR &&
	    !ui_signalled)
		;
	return r > 0;
}

/*
 * Mark row y as the selected one or not: a '>' (or a blank) in column 0,
 * and on a colour terminal the row in reverse video until ui_sel_end().
 * Without colour (vt100, a serial console) the marker alone shows the
 * selection, so that moving it rewrites two characters, not two rows.
 */
void
ui_sel(const struct ui *u, int y, int sel)
{
	if (sel && u->color)
		attron(A_REVERSE);
	mvaddstr(y, 0, sel ? ">" : " ");
}

/* End a row that ui_sel() began. */
void
ui_sel_end(const struct ui *u, int sel)
{
	if (sel && u->color)
		attroff(A_REVERSE);
}

/* Draw a whole-width line in the title or key-line style. */
static void
ui_term_bar(int y, const char *text, int style)
{
	move(y, 0);
	clrtoeol();
	if (style) {
		attron(A_REVERSE);
		mvhline(y, 0, ' ', COLS);
	}
	ui_text_put(y, 0, text, COLS, 0);
	if (style)
		attroff(A_REVERSE);
}

/* The title line: what the screen is, and who is signed in. */
void
ui_title(struct ui *u, const char *fmt, ...)
{
	struct buf	 b = BUF_INIT;
	va_list		 ap;
	int		 w;

	buf_adds(&b, " ncen  ");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	ui_term_bar(0, buf_cstr(&b), 1);
	if (u->acct != NULL) {
		w = ui_text_width(u->acct->name) + 1;
		attron(A_REVERSE);
		ui_text_put(0, COLS - w, u->acct->name, w - 1, 0);
		attroff(A_REVERSE);
	}
	buf_free(&b);
}

/* Put a message on the status line; it stays until the next one. */
static void
ui_term_vstatus(struct ui *u, int err, const char *fmt, va_list ap)
{
	struct buf	b = BUF_INIT;

	buf_vaddf(&b, fmt, ap);
	free(u->status);
	u->status = buf_detach(&b);
	u->status_err = err;
	move(LINES - 2, 0);
	clrtoeol();
	if (err)
		attron(u->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
	ui_text_put(LINES - 2, 0, u->status, COLS - 1, 0);
	if (err)
		attroff(u->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
	buf_free(&b);
}

/* Put a message on the status line. */
void
ui_status(struct ui *u, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ui_term_vstatus(u, 0, fmt, ap);
	va_end(ap);
}

/*
 * Show a library error in words on the status line.  An environment
 * that still needs recovery after the store reopened it several times
 * (other programs kept dying inside the library) ends the session the
 * clean way: the draft is kept, curses is left, the officer is told in
 * words to sign in again, and ncen exits 75 as ncen(1) says.
 */
void
ui_error(struct ui *u, const struct ncen_err *e)
{
	const char	*m = ncen_err_msg(e);

	if (m == NULL || *m == '\0')
		m = _("an unknown error");
	if (e->code == NCEN_ERECOVER) {
		u->stalled = 1;
		if (u->on_hangup != NULL)
			u->on_hangup(u->hangup_arg);
		u->on_hangup = NULL;
		ui_stop(u);
		fprintf(stderr, "ncen: %s\n%s\n", m, _("Your typing was "
		    "saved; it is offered at your next sign-in."));
		ui_shutdown(u, STORE_EXIT_STALL);
	}
	ui_status_error(u, "%s", m);
}

/* An error message on the status line (bold, red where there is colour). */
void
ui_status_error(struct ui *u, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	ui_term_vstatus(u, 1, fmt, ap);
	va_end(ap);
	beep();
}

/* The key line: the operations this screen offers, as ^K Label. */
void
ui_keys(struct ui *u, const enum ui_op *ops, size_t n)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	(void)u;
	for (i = 0; i < n; i++) {
		if (i != 0)
			buf_adds(&b, "  ");
		buf_addf(&b, "%s %s", ui_key_name(ops[i]),
		    ui_key_label(ops[i]));
	}
	ui_term_bar(LINES - 1, buf_cstr(&b), 0);
	buf_free(&b);
}

/* Blank the body rows (1 .. LINES-3). */
void
ui_clear_body(void)
{
	int	y;

	for (y = 1; y < LINES - 2; y++) {
		move(y, 0);
		clrtoeol();
	}
}

/* How many rows the body has. */
int
ui_body_rows(void)
{
	return LINES - 3;
}
