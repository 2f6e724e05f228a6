/*
 * ui-pick.c - choose a code of a list, filtering as you type.
 *
 * Every code's code and label (in the officer's language) are lowered
 * into wide strings once; each key then filters that array in memory
 * (a code that starts with what was typed, or a label that contains it,
 * ignoring case in any script), so the 249 countries or a list of
 * thousands stay instant.  Only the filter line, the list rows and the
 * status line are redrawn as the filter changes.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "ui.h"
#include "ui-screens.h"
#include "xmalloc.h"

#define UI_PICK_FILTER_MAX	64	/* characters of a filter */
#define UI_PICK_CODE_COLS	12	/* widest code column */
#define UI_PICK_TOP		3	/* first row of the list */

struct ui_pick {
	const struct schema_codelist	*list;
	wchar_t				**lcode, **llabel;	/* lowered */
	size_t				*match, nmatch;
	wchar_t				 filter[UI_PICK_FILTER_MAX + 1];
	size_t				 nfilter;
	size_t				 top, cur;
	int				 codew;
};

static const char ui_pick_help[] = N_(
    "Type part of a code or of its label: the list keeps the codes that "
    "start with what you typed and those whose label contains it (capitals "
    "or not).  Up and Down move, PgUp and PgDn (^B, ^V) move a page, "
    "Backspace takes back a character.  Enter chooses the code shown in "
    "reverse; ^X goes back without choosing.");

/* A UTF-8 string as a lower-case wide string (bad bytes become '?'). */
static wchar_t *
ui_pick_lower(const char *s)
{
	mbstate_t	 ps;
	wchar_t		*w, wc;
	size_t		 n = strlen(s), i = 0, r;

	w = xcalloc(n + 1, sizeof *w);
	memset(&ps, 0, sizeof ps);
	while (n > 0) {
		r = mbrtowc(&wc, s, n, &ps);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			memset(&ps, 0, sizeof ps);
			wc = L'?';
			r = 1;
		}
		w[i++] = (wchar_t)towlower((wint_t)wc);
		s += r;
		n -= r;
	}
	w[i] = L'\0';
	return w;
}

/* Keep the codes the filter matches. */
static void
ui_pick_filter(struct ui_pick *p)
{
	wchar_t	f[UI_PICK_FILTER_MAX + 1];
	size_t	i;

	for (i = 0; i < p->nfilter; i++)
		f[i] = (wchar_t)towlower((wint_t)p->filter[i]);
	f[p->nfilter] = L'\0';
	p->nmatch = 0;
	for (i = 0; i < p->list->ncodes; i++)
		if (p->nfilter == 0 ||
		    wcsncmp(p->lcode[i], f, p->nfilter) == 0 ||
		    wcsstr(p->llabel[i], f) != NULL)
			p->match[p->nmatch++] = i;
	p->cur = p->top = 0;
}

/* Rows the list has on screen. */
static size_t
ui_pick_rows(void)
{
	int	rows = LINES - 2 - UI_PICK_TOP;

	return rows > 0 ? (size_t)rows : 1;
}

/* Draw the whole frame: title, key line, the column heads. */
static void
ui_pick_frame(struct ui *u, const char *title)
{
	static const enum ui_op	ops[] = { UI_OP_HELP, UI_OP_BACK };

	erase();
	ui_title(u, "%s", title);
	ui_keys(u, ops, sizeof ops / sizeof ops[0]);
}

/* Draw the filter line, the list rows and the count. */
static void
ui_pick_draw(struct ui *u, struct ui_pick *p)
{
	const struct schema_code	*c;
	struct buf			 b = BUF_INIT;
	size_t				 rows = ui_pick_rows(), i;
	int				 y;

	if (p->cur < p->top)
		p->top = p->cur;
	if (p->cur >= p->top + rows)
		p->top = p->cur - rows + 1;
	move(1, 0);
	clrtoeol();
	buf_addf(&b, "%s %ls", _("Filter:"), p->filter);
	ui_text_put(1, 1, buf_cstr(&b), COLS - 2, 0);
	for (i = p->top, y = UI_PICK_TOP; y < UI_PICK_TOP + (int)rows;
	    i++, y++) {
		move(y, 0);
		clrtoeol();
		if (i >= p->nmatch)
			continue;
		c = &p->list->codes[p->match[i]];
		ui_sel(u, y, i == p->cur);
		ui_text_put(y, 1, c->code, p->codew, 1);
		addstr("  ");
		ui_text_put(y, 1 + p->codew + 2, schema_label(c->label,
		    u->lang), COLS - p->codew - 4, i == p->cur);
		ui_sel_end(u, i == p->cur);
	}
	if (p->nmatch == 0)
		ui_status_error(u, _("No code of list %s matches '%ls'; "
		    "Backspace takes back a character."), p->list->name,
		    p->filter);
	else
		ui_status(u, _("%zu of %zu codes; Enter chooses %s"),
		    p->nmatch, p->list->ncodes,
		    p->list->codes[p->match[p->cur]].code);
	/* The cursor after the filter, where typing goes. */
	buf_reset(&b);
	buf_addf(&b, "%s %ls", _("Filter:"), p->filter);
	y = ui_text_width(buf_cstr(&b)) + 1;
	move(1, y < COLS - 1 ? y : COLS - 1);
	buf_free(&b);
}

/* Move the current row by delta, within the matches. */
static void
ui_pick_move(struct ui_pick *p, long delta)
{
	long	c = (long)p->cur + delta;

	if (p->nmatch == 0)
		return;
	if (c < 0)
		c = 0;
	if (c >= (long)p->nmatch)
		c = (long)p->nmatch - 1;
	p->cur = (size_t)c;
}

/* Free the lowered strings and the match array. */
static void
ui_pick_free(struct ui_pick *p)
{
	size_t	i;

	for (i = 0; i < p->list->ncodes; i++) {
		free(p->lcode[i]);
		free(p->llabel[i]);
	}
	free(p->lcode);
	free(p->llabel);
	free(p->match);
}

/* Start the filter from what the field held. */
static void
ui_pick_start(struct ui_pick *p, const char *start)
{
	wchar_t	*w;
	size_t	 i;

	if (start == NULL)
		return;
	while (*start == ' ')
		start++;
	w = ui_pick_lower(start);
	for (i = 0; w[i] != L'\0' && p->nfilter < UI_PICK_FILTER_MAX; i++)
		p->filter[p->nfilter++] = w[i];
	while (p->nfilter > 0 && p->filter[p->nfilter - 1] == L' ')
		p->nfilter--;
	p->filter[p->nfilter] = L'\0';
	free(w);
}

/*
 * Choose a code of list l: 1 with the code in *code, 0 on Back.  The
 * filter starts from start (what the field held), or empty when that
 * matches nothing.
 */
int
ui_pick_code(struct ui *u, const struct schema_codelist *l,
    const char *start, struct buf *code)
{
	return ui_pick_code_at(u, l, start, NULL, code);
}

/* Draw the frame again at the next turn (a ui_common draw). */
static void
ui_pick_reframe(void *frame)
{
	*(int *)frame = 1;
}

/* ui_pick_code with the highlight first on the code at (a likely one). */
int
ui_pick_code_at(struct ui *u, const struct schema_codelist *l,
    const char *start, const char *at, struct buf *code)
{
	struct ui_pick		 p;
	struct ui_keypress	 k;
	struct buf		 title = BUF_INIT;
	size_t			 i;
	int			 done = -1, frame = 1, w;
	const struct ui_common	 common = { N_("Help: picking a code"),
				     ui_pick_help, ui_pick_reframe, NULL,
				     &frame };
	enum ui_common_res	 c;

	memset(&p, 0, sizeof p);
	p.list = l;
	p.lcode = xcalloc(l->ncodes + 1, sizeof *p.lcode);
	p.llabel = xcalloc(l->ncodes + 1, sizeof *p.llabel);
	p.match = xcalloc(l->ncodes + 1, sizeof *p.match);
	p.codew = 4;
	for (i = 0; i < l->ncodes; i++) {
		p.lcode[i] = ui_pick_lower(l->codes[i].code);
		p.llabel[i] = ui_pick_lower(schema_label(l->codes[i].label,
		    u->lang));
		if ((w = ui_text_width(l->codes[i].code)) > p.codew)
			p.codew = w;
	}
	if (p.codew > UI_PICK_CODE_COLS)
		p.codew = UI_PICK_CODE_COLS;
	ui_pick_start(&p, start);
	ui_pick_filter(&p);
	if (p.nmatch == 0) {
		p.nfilter = 0;
		p.filter[0] = L'\0';
		ui_pick_filter(&p);
	}
	for (i = 0; at != NULL && i < p.nmatch; i++)
		if (strcmp(l->codes[p.match[i]].code, at) == 0) {
			ui_pick_move(&p, (long)i);
			break;
		}
	buf_addf(&title, _("Pick a code: list %s"), l->name);
	curs_set(1);
	while (done < 0) {
		if (frame) {
			ui_pick_frame(u, buf_cstr(&title));
			frame = 0;
		}
		ui_pick_draw(u, &p);
		ui_key(u, &k);
		if ((c = ui_common_key(u, &k, &common)) != UI_COMMON_OTHER) {
			if (c == UI_COMMON_BACK)
				done = 0;
			continue;
		}
		if (k.op != UI_OP_NONE) {
			beep();
			continue;
		}
		if (k.fkey) {
			switch (k.key) {
			case KEY_UP:
				ui_pick_move(&p, -1);
				break;
			case KEY_DOWN:
				ui_pick_move(&p, 1);
				break;
			case KEY_PPAGE:
				ui_pick_move(&p, -(long)ui_pick_rows());
				break;
			case KEY_NPAGE:
				ui_pick_move(&p, (long)ui_pick_rows());
				break;
			case KEY_HOME:
				ui_pick_move(&p, -(long)p.nmatch);
				break;
			case KEY_END:
				ui_pick_move(&p, (long)p.nmatch);
				break;
			case KEY_ENTER:
				if (p.nmatch > 0)
					done = 1;
				break;
			case KEY_BACKSPACE:
				if (p.nfilter > 0) {
					p.filter[--p.nfilter] = L'\0';
					ui_pick_filter(&p);
				}
				break;
			default:
				beep();
				break;
			}
			continue;
		}
		if (k.key == '\r' || k.key == '\n') {
			if (p.nmatch > 0)
				done = 1;
			else
				beep();
		} else if (k.key == 0x16)		/* ^V */
			ui_pick_move(&p, (long)ui_pick_rows());
		else if (k.key == 0x02)			/* ^B */
			ui_pick_move(&p, -(long)ui_pick_rows());
		else if (k.key >= 0x20 && iswprint(k.key) &&
		    p.nfilter < UI_PICK_FILTER_MAX) {
			p.filter[p.nfilter++] = (wchar_t)k.key;
			p.filter[p.nfilter] = L'\0';
			ui_pick_filter(&p);
		} else
			beep();
	}
	curs_set(0);
	if (done == 1) {
		buf_reset(code);
		buf_adds(code, l->codes[p.match[p.cur]].code);
	}
	ui_pick_free(&p);
	buf_free(&title);
	erase();
	return done;
}
