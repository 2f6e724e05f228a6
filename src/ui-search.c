/*
 * ui-search.c - find anyone: one line of free text, ranked hits of every
 * kind of record, narrowing as the officer types.
 *
 * The question is typed on the screen's first line and stays editable:
 * each key shows at once, and once the typist pauses (or presses Enter)
 * the question is asked of search.h (names in any order and script,
 * spellings that sound alike, documents, plates, dates; the last word
 * may be unfinished), and the hits are drawn, best first, each with its
 * score and why it matched.  Up and Down choose a hit, Enter opens it.
 *
 * Records the account may not see (need to know) are left out but not
 * kept secret: the line under the hits says how many match and in which
 * offices' cases ("hit, no hit"), so that the officer can ask there, and
 * each such hidden match is audited.  Names show only where the role may
 * see them, and a set of hits that shows them is audited.
 */
#include <curses.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "ui-view.h"
#include "xmalloc.h"

#define UI_SEARCH_LIMIT		200	/* hits asked for */
#define UI_SEARCH_INPUT		80	/* characters of a question */
#define UI_SEARCH_PAUSE_MS	250	/* a typist's pause: ask */
#define UI_SEARCH_TOP		3	/* screen row of the first hit */

/* Columns of a hit's row. */
#define UI_SEARCH_X_REC		1
#define UI_SEARCH_W_REC		16
#define UI_SEARCH_X_SCORE	18
#define UI_SEARCH_W_SCORE	3
#define UI_SEARCH_X_WHY		22
#define UI_SEARCH_W_WHY		21
#define UI_SEARCH_X_SUM		44

struct ui_search {
	struct ui		*u;
	struct buf		 question;	/* as typed */
	int			 stale;		/* hits not of the question */
	int			 asked;		/* a question was asked */
	struct search_result	 res;
	char			**lines;	/* each hit's summary, masked */
	size_t			 top, cur;
	struct buf		 notice;	/* hidden matches */
	struct buf		 problem;	/* why nothing was asked */
};

static const char ui_search_help[] = N_(
    "Type what you know: a name (family and given names in any order, "
    "in any script: Кузнецов finds Kuznetsov), a document, phone, "
    "plate, IMO, VIN or container number (spaces, dashes and dots do "
    "not matter), a date of birth (1997-10-23, 23/10/1997 or "
    "23.10.1997), or a case number; or several of these at once.  The "
    "hits narrow as you type; each says why it matched (transliterated, "
    "sounds like, spelling, alias, document...) and its score, the best "
    "first.\n\n"
    "Up and Down choose a hit, PgUp and PgDn (^B, ^V) turn the page, "
    "Enter opens it.  Backspace takes back a character and ^F clears "
    "the question.\n\n"
    "Records your roles may not see are left out: a line under the hits "
    "says how many match and where to ask.  Personal data shows as *** "
    "where your roles may not see it, and its display is recorded in "
    "the audit log.");

/* Forget the hits. */
static void
ui_search_clear(struct ui_search *s)
{
	size_t	i;

	for (i = 0; i < s->res.n; i++)
		free(s->lines[i]);
	free(s->lines);
	s->lines = NULL;
	search_result_free(&s->res);
	memset(&s->res, 0, sizeof s->res);
	s->top = s->cur = 0;
	buf_reset(&s->notice);
	buf_reset(&s->problem);
}

/* The line that says what matched but is not shown, and its audit. */
static void
ui_search_hidden(struct ui_search *s)
{
	const struct search_result	*r = &s->res;
	const struct schema_form	*form = NULL;
	struct ncen_err			 e = NCEN_ERR_INIT;
	const char			*what, *rec, *nl;
	struct buf			 one = BUF_INIT;
	size_t				 inc = r->hidden - r->unlinked;

	if (r->hidden == 0)
		return;
	if (r->hidden_entity != NULL)
		form = schema_form_find(s->u->schema, r->hidden_entity);
	what = form != NULL ? schema_label(form->label, s->u->lang) :
	    _("record");
	if (inc == 1)
		buf_addf(&s->notice, _("1 %s in a case of %s matches: ask its "
		    "supervisor."), what, buf_cstr(&r->offices));
	else if (inc > 1)
		buf_addf(&s->notice, _("%zu more records in cases of %s match: "
		    "ask their supervisors."), inc, buf_cstr(&r->offices));
	if (r->unlinked != 0) {
		if (s->notice.len != 0)
			buf_adds(&s->notice, " ");
		buf_addf(&s->notice, ngettext_("%zu more, another officer's "
		    "and in no case yet.", "%zu more, other officers' and in "
		    "no case yet.", r->unlinked), r->unlinked);
	}
	/* Each hidden match is audited, as a hit the account asked for. */
	for (rec = buf_cstr(&r->hidden_recs); (nl = strchr(rec, '\n')) !=
	    NULL; rec = nl + 1) {
		buf_reset(&one);
		buf_add(&one, rec, (size_t)(nl - rec));
		if (audit_log(s->u->st, s->u->acct->name, "search.hidden",
		    buf_cstr(&one), "ncen search matched it; not shown "
		    "(need to know)", &e) != NCEN_OK) {
			ui_error(s->u, &e);
			ncen_err_clear(&e);
			break;
		}
	}
	buf_free(&one);
	ncen_err_free(&e);
}

/* Ask the question typed; the hits, their lines and the notice. */
static void
ui_search_run(struct ui_search *s)
{
	struct search_query	 q;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 line = BUF_INIT, shown = BUF_INIT;
	size_t			 i;
	int			 error;

	ui_search_clear(s);
	s->stale = 0;
	s->asked = s->question.len != 0;
	if (!s->asked)
		return;
	memset(&q, 0, sizeof q);
	q.text = buf_cstr(&s->question);
	q.acct = s->u->acct;
	q.limit = UI_SEARCH_LIMIT;
	q.flags = SEARCH_PREFIX;
	if ((error = search_run(s->u->st, &q, &s->res, &e)) != NCEN_OK) {
		/* A question with nothing to look for yet is no error. */
		buf_adds(&s->problem, buf_cstr(&e.msg));
		if (error != NCEN_EUSAGE)
			ui_error(s->u, &e);
		ncen_err_free(&e);
		memset(&s->res, 0, sizeof s->res);
		return;
	}
	s->lines = xcalloc(s->res.n + 1, sizeof *s->lines);
	for (i = 0; i < s->res.n; i++) {
		const struct search_hit	*h = &s->res.hits[i];

		buf_reset(&line);
		if (ui_view_summary_line(s->u, h->rec, &line))
			buf_addf(&shown, "%s:%llu\n", h->entity,
			    (unsigned long long)h->id);
		s->lines[i] = buf_detach(&line);
	}
	ui_view_audit(s->u, &shown, "ncen listed it in search results");
	ui_search_hidden(s);
	buf_free(&line);
	buf_free(&shown);
}

/* How many hits a page shows (the last body row holds the notice). */
static size_t
ui_search_rows(void)
{
	int	rows = ui_body_rows() - UI_SEARCH_TOP;

	return rows > 1 ? (size_t)rows : 1;
}

/* Draw hit i (if on the page) at its row. */
static void
ui_search_draw_row(struct ui_search *s, size_t i)
{
	const struct search_hit		*h;
	const struct schema_form	*form;
	struct buf			 b = BUF_INIT;
	int				 y;

	if (i < s->top || i >= s->top + ui_search_rows())
		return;
	y = UI_SEARCH_TOP + (int)(i - s->top);
	move(y, 0);
	clrtoeol();
	if (i >= s->res.n)
		return;
	h = &s->res.hits[i];
	form = schema_form_find(s->u->schema, h->entity);
	ui_sel(s->u, y, i == s->cur);
	if (i == s->cur && s->u->color)
		mvhline(y, 1, ' ', COLS - 1);
	buf_addf(&b, "%s %llu", form != NULL ? schema_label(form->label,
	    s->u->lang) : h->entity, (unsigned long long)h->id);
	ui_text_put(y, UI_SEARCH_X_REC, buf_cstr(&b), UI_SEARCH_W_REC, 0);
	buf_reset(&b);
	buf_addf(&b, "%3d", h->score);
	ui_text_put(y, UI_SEARCH_X_SCORE, buf_cstr(&b), UI_SEARCH_W_SCORE,
	    0);
	buf_reset(&b);
	search_why_text(h->why, 1, &b);
	ui_text_put(y, UI_SEARCH_X_WHY, buf_cstr(&b), UI_SEARCH_W_WHY, 0);
	ui_text_put(y, UI_SEARCH_X_SUM, s->lines[i], COLS - UI_SEARCH_X_SUM -
	    1, 0);
	ui_sel_end(s->u, i == s->cur);
	buf_free(&b);
}

/* The question's line, with the cursor after it. */
static void
ui_search_draw_question(struct ui_search *s)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%s %s", _("Find:"), buf_cstr(&s->question));
	move(1, 0);
	clrtoeol();
	ui_text_put(1, 1, buf_cstr(&b), COLS - 3, 0);
	addstr("_");
	buf_free(&b);
}

/* The status line: how many, or what to do. */
static void
ui_search_draw_status(struct ui_search *s)
{
	if (s->stale || !s->asked)
		ui_status(s->u, "%s", _("Type a name, number, plate or date; "
		    "the hits follow as you type."));
	else if (s->problem.len != 0)
		ui_status(s->u, "%s", buf_cstr(&s->problem));
	else if (s->res.n == 0)
		ui_status(s->u, "%s", _("Nothing found; type more or other "
		    "words, ^F to start again."));
	else
		ui_status(s->u, _("%zu found%s; Enter opens the one marked."),
		    s->res.n, s->res.more ? _(" (the best ones)") : "");
}

/* The hits and the notice under them (not the frame). */
static void
ui_search_draw_hits(struct ui_search *s)
{
	size_t	i, rows = ui_search_rows();
	int	y = UI_SEARCH_TOP + (int)rows;

	for (i = 0; i < rows; i++)
		ui_search_draw_row(s, s->top + i);
	if (y <= ui_body_rows()) {
		move(y, 0);
		clrtoeol();
		if (s->notice.len != 0)
			ui_text_put(y, 1, buf_cstr(&s->notice), COLS - 2, 0);
	}
	ui_search_draw_status(s);
}

/* The whole screen. */
static void
ui_search_draw(struct ui_search *s)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_FILTER,
				    UI_OP_BACK };

	erase();
	ui_title(s->u, "%s", _("Search"));
	ui_keys(s->u, ops, sizeof ops / sizeof ops[0]);
	attron(A_BOLD | A_UNDERLINE);
	ui_text_put(2, UI_SEARCH_X_REC, _("Record"), UI_SEARCH_W_REC, 0);
	ui_text_put(2, UI_SEARCH_X_SCORE - 2, _("Score"),
	    UI_SEARCH_W_SCORE + 2, 0);
	ui_text_put(2, UI_SEARCH_X_WHY, _("Why"), UI_SEARCH_W_WHY, 0);
	ui_text_put(2, UI_SEARCH_X_SUM, _("Summary"), COLS - UI_SEARCH_X_SUM -
	    1, 0);
	attroff(A_BOLD | A_UNDERLINE);
	ui_search_draw_hits(s);
	ui_search_draw_question(s);
}

/* Move the mark, turning the page at its ends. */
static void
ui_search_move(struct ui_search *s, long by)
{
	size_t	rows = ui_search_rows(), old = s->cur;
	long	to = (long)s->cur + by;

	if (s->res.n == 0 || to < 0 || to >= (long)s->res.n) {
		if (by == 1 || by == -1 || s->res.n == 0) {
			beep();
			return;
		}
		to = to < 0 ? 0 : (long)s->res.n - 1;
	}
	s->cur = (size_t)to;
	if (s->cur < s->top || s->cur >= s->top + rows) {
		s->top = s->cur - s->cur % rows;
		ui_search_draw_hits(s);
	} else {
		ui_search_draw_row(s, old);
		ui_search_draw_row(s, s->cur);
	}
	ui_search_draw_question(s);
}

/* A key typed into the question (a character, or Backspace). */
static void
ui_search_type(struct ui_search *s, const struct ui_keypress *k)
{
	char	mb[MB_LEN_MAX + 1];
	size_t	len;

	if (k->fkey) {
		if (s->question.len == 0) {
			beep();
			return;
		}
		while (s->question.len > 0 &&
		    ((unsigned char)s->question.s[--s->question.len] &
		    0xc0) == 0x80)
			;
		s->question.s[s->question.len] = '\0';
	} else {
		if (ui_text_width(buf_cstr(&s->question)) >= UI_SEARCH_INPUT ||
		    (len = wcrtomb(mb, (wchar_t)k->key, NULL)) == (size_t)-1) {
			beep();
			return;
		}
		buf_add(&s->question, mb, len);
	}
	s->stale = 1;
	ui_search_draw_status(s);
	ui_search_draw_question(s);
}

/* Whether a key goes into the question. */
static int
ui_search_typing(const struct ui_keypress *k)
{
	enum ui_nav	nav = ui_view_nav(k);

	if (k->op != UI_OP_NONE)
		return 0;
	if (nav == UI_NAV_ERASE)
		return 1;
	return nav == UI_NAV_NONE && !k->fkey && k->key >= 0x20 &&
	    iswprint((wint_t)k->key);
}

/* Ask the question typed and show its hits. */
static void
ui_search_ask(struct ui_search *s)
{
	ui_search_run(s);
	ui_search_draw_hits(s);
	ui_search_draw_question(s);
}

/* Draw the screen again (a ui_common draw). */
static void
ui_search_redraw(void *arg)
{
	ui_search_draw(arg);
}

/* Keep the current hit on the page after a resize (a ui_common resize). */
static int
ui_search_resize(void *arg)
{
	struct ui_search	*s = arg;

	s->top = s->cur - s->cur % ui_search_rows();
	return 1;
}

/* The search screen, until the officer goes back. */
void
ui_search(struct ui *u)
{
	struct ui_search	s;
	struct ui_keypress	k;
	const struct ui_common	common = { N_("Help: search"),
				    ui_search_help, ui_search_redraw,
				    ui_search_resize, &s };
	enum ui_common_res	c;
	int			done = 0;

	memset(&s, 0, sizeof s);
	s.u = u;
	ui_status(u, "%s", "");
	ui_search_draw(&s);
	while (!done) {
		if (s.stale && !ui_key_pause(u, UI_SEARCH_PAUSE_MS))
			ui_search_ask(&s);
		ui_key(u, &k);
		if (ui_search_typing(&k)) {
			ui_search_type(&s, &k);
			continue;
		}
		if ((c = ui_common_key(u, &k, &common)) != UI_COMMON_OTHER) {
			done = c == UI_COMMON_BACK;
			continue;
		}
		switch (k.op) {
		case UI_OP_FILTER:
			/* ^F: a new question. */
			buf_reset(&s.question);
			ui_search_clear(&s);
			s.stale = s.asked = 0;
			ui_search_draw(&s);
			break;
		case UI_OP_NONE:
			switch (ui_view_nav(&k)) {
			case UI_NAV_DOWN:
				ui_search_move(&s, 1);
				break;
			case UI_NAV_UP:
				ui_search_move(&s, -1);
				break;
			case UI_NAV_PGDN:
				ui_search_move(&s, (long)ui_search_rows());
				break;
			case UI_NAV_PGUP:
				ui_search_move(&s, -(long)ui_search_rows());
				break;
			case UI_NAV_HOME:
				ui_search_move(&s, -(long)s.cur);
				break;
			case UI_NAV_END:
				ui_search_move(&s, (long)s.res.n - 1 -
				    (long)s.cur);
				break;
			case UI_NAV_ENTER:
				/* Enter asks a question not asked yet. */
				if (s.stale) {
					ui_search_ask(&s);
					break;
				}
				if (s.res.n == 0) {
					beep();
					break;
				}
				ui_view(u, s.res.hits[s.cur].entity,
				    s.res.hits[s.cur].id);
				ui_search_draw(&s);
				break;
			default:
				beep();
				break;
			}
			break;
		default:
			beep();
			break;
		}
	}
	ui_search_clear(&s);
	buf_free(&s.question);
	buf_free(&s.notice);
	buf_free(&s.problem);
	erase();
}
