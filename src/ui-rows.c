/*
 * ui-rows.c - the loop of a screen of selectable items read whole (see
 * ui-rows.h): drawing what fits, moving the selection, help, reading
 * again; everything else is the screen's act().
 */
#include <curses.h>
#include <string.h>

#include "i18n.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-view.h"

/* How many items fit on the body below the first item's row. */
static size_t
ui_rows_fit(const struct ui_rows_screen *s)
{
	int	rows = (ui_body_rows() + 1 - s->first) / s->per;

	return rows > 0 ? (size_t)rows : 1;
}

/* Read the items and keep the selection inside them. */
static void
ui_rows_load(struct ui_rows *r, const struct ui_rows_screen *s, void *arg)
{
	r->n = s->load(arg);
	if (r->cur >= r->n)
		r->cur = r->n == 0 ? 0 : r->n - 1;
}

/* Draw the whole screen, scrolled so that the selection shows. */
static void
ui_rows_draw(struct ui *u, struct ui_rows *r, const struct ui_rows_screen *s,
    void *arg)
{
	size_t	fit = ui_rows_fit(s), i;
	int	y;

	erase();
	s->frame(arg, r->n);
	if (r->cur < r->top)
		r->top = r->cur;
	if (r->cur >= r->top + fit)
		r->top = r->cur - fit + 1;
	for (i = r->top, y = s->first; i < r->n && i < r->top + fit;
	    i++, y += s->per)
		s->item(arg, i, y, i == r->cur);
	if (u->status != NULL)
		ui_status(u, "%s", u->status);
}

/* Move the selection as a navigation key asks; 0 if it is not one. */
static int
ui_rows_move(struct ui_rows *r, const struct ui_rows_screen *s,
    enum ui_nav nav)
{
	size_t	fit = ui_rows_fit(s), last = r->n == 0 ? 0 : r->n - 1;

	switch (nav) {
	case UI_NAV_UP:
		r->cur -= r->cur > 0;
		return 1;
	case UI_NAV_DOWN:
		r->cur += r->cur < last;
		return 1;
	case UI_NAV_PGUP:
		r->cur = r->cur > fit ? r->cur - fit : 0;
		return 1;
	case UI_NAV_PGDN:
		r->cur = r->cur + fit < last ? r->cur + fit : last;
		return 1;
	case UI_NAV_HOME:
		r->cur = 0;
		return 1;
	case UI_NAV_END:
		r->cur = last;
		return 1;
	default:
		return 0;
	}
}

/* Run the screen until the officer goes back. */
void
ui_rows(struct ui *u, const struct ui_rows_screen *s, void *arg)
{
	struct ui_rows		r;
	struct ui_keypress	k;
	/* The loop draws every turn: nothing to draw here. */
	const struct ui_common	common = { s->help_title, s->help, NULL, NULL,
				    NULL };
	enum ui_common_res	c;
	enum ui_nav		nav;

	memset(&r, 0, sizeof r);
	ui_status(u, "%s", "");
	ui_rows_load(&r, s, arg);
	for (;;) {
		ui_rows_draw(u, &r, s, arg);
		ui_key(u, &k);
		nav = ui_view_nav(&k);
		if ((c = ui_common_key(u, &k, &common)) == UI_COMMON_BACK)
			break;
		if (c == UI_COMMON_DONE) {
			if (k.op == UI_OP_REDRAW)
				ui_rows_load(&r, s, arg);
		} else if (ui_rows_move(&r, s, nav))
			continue;
		else if ((k.op != UI_OP_NONE || (nav == UI_NAV_ENTER &&
		    r.n > 0)) && s->act(arg, &k, &r) == UI_ROWS_RELOAD)
			ui_rows_load(&r, s, arg);
	}
	ui_status(u, "%s", "");
}
