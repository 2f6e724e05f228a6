/*
 * ui-stats.c - Statistics (AUTH_STATS): the predefined queries of the
 * data directory (stats.h), one a line; ^F sets the filters, Enter runs
 * the selected query and shows its figures with a chart drawn in ASCII
 * (works on a vt100): horizontal bars for categories, a column chart
 * for a time series, using the whole width of wider terminals.  On the
 * figures, ^A switches between the table and the chart and ^W writes
 * the table as CSV to a file the user names.
 *
 * A supervisor limited to offices gets the figures of those offices
 * only, whatever the office filter says.  Statistics are aggregate:
 * nothing nominal is shown, so nothing here is audited.
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "stats.h"
#include "store.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "xmalloc.h"

#define UI_STATS_FIELD	32		/* characters of a filter */

struct ui_stats {
	struct ui		*u;
	struct stats_def	*def;
	struct buf		 fv[6];		/* from to office commodity
						   direction status */
	const char		*offices[64];
};

/* The filters, in the order ^F asks for them. */
static const char *const ui_stats_filters[6] = {
	N_("From date (YYYY-MM-DD, empty: the first case)"),
	N_("To date (YYYY-MM-DD, empty: the last case)"),
	N_("Office code (empty: any)"),
	N_("Commodity group or type code (empty: any)"),
	N_("Direction code (empty: any)"),
	N_("Status code (empty: any)"),
};

static const char ui_stats_help[] = N_(
    "Statistics: the predefined queries of this data directory (the "
    "administration adds its own in the forms' .queries files).  Enter "
    "runs the selected query; ^F sets the filters (period, office, "
    "commodity, direction, status), which stay for the next query.  "
    "Without filters every case counts, whatever its status.\n\n"
    "The figures show each category with a bar, or a column chart for "
    "months, quarters and years; ^A switches between the chart and the "
    "table, ^W writes the table as CSV to a file you name.  Quantities "
    "add up only in units that convert to each other; values in the "
    "reporting currency at the rates of exchange.rates.  A supervisor "
    "limited to offices sees the figures of those offices.");

/* The filter as the engine takes it, the account's offices applied. */
static void
ui_stats_filter(struct ui_stats *s, struct stats_filter *f)
{
	const struct auth_account	*a = s->u->acct;
	size_t				 i;

	memset(f, 0, sizeof *f);
	f->from = buf_cstr(&s->fv[0]);
	f->to = buf_cstr(&s->fv[1]);
	f->commodity = buf_cstr(&s->fv[3]);
	f->direction = buf_cstr(&s->fv[4]);
	f->status = buf_cstr(&s->fv[5]);
	f->lang = s->u->lang;
	if (s->fv[2].len != 0) {
		s->offices[0] = buf_cstr(&s->fv[2]);
		f->noffices = 1;
	}
	if (a->noffices != 0) {
		/* Its own offices, or the one of them asked for. */
		for (i = 0; i < a->noffices && f->noffices == 1; i++)
			if (strcmp(a->offices[i], s->offices[0]) == 0)
				break;
		if (f->noffices == 0 || i == a->noffices) {
			f->noffices = 0;
			for (i = 0; i < a->noffices && i < 64; i++)
				s->offices[f->noffices++] = a->offices[i];
		}
	}
	f->offices = s->offices;
}

/* One line saying which filters are set. */
static void
ui_stats_filter_line(struct ui_stats *s, struct buf *b)
{
	static const char *const names[6] = { N_("from"), N_("to"),
	    N_("office"), N_("commodity"), N_("direction"), N_("status") };
	size_t	i;

	buf_adds(b, _("Filters:"));
	for (i = 0; i < 6; i++)
		if (s->fv[i].len != 0)
			buf_addf(b, " %s %s", _(names[i]), buf_cstr(&s->fv[i]));
	if (b->len == strlen(_("Filters:")))
		buf_addf(b, " %s", _("none (every case)"));
}

/* Ask for each filter in turn (Back keeps the rest as they were). */
static void
ui_stats_ask(struct ui_stats *s)
{
	struct buf	a = BUF_INIT;
	size_t		i;

	for (i = 0; i < 6; i++) {
		struct buf	q = BUF_INIT;

		buf_adds(&q, _(ui_stats_filters[i]));
		if (s->fv[i].len != 0)
			buf_addf(&q, _(" [now %s, a space clears]"),
			    buf_cstr(&s->fv[i]));
		buf_adds(&q, ": ");
		if (!ui_prompt(s->u, buf_cstr(&q), UI_STATS_FIELD, 0, &a)) {
			buf_free(&q);
			break;
		}
		buf_free(&q);
		if (a.len == 0)
			continue;
		buf_reset(&s->fv[i]);
		if (strspn(buf_cstr(&a), " ") != a.len)
			buf_adds(&s->fv[i], buf_cstr(&a));
		if (i < 2 && s->fv[i].len != 0 && (s->fv[i].len != 10 ||
		    s->fv[i].s[4] != '-' || s->fv[i].s[7] != '-')) {
			ui_status_error(s->u, _("%s: expected a date "
			    "YYYY-MM-DD."), buf_cstr(&s->fv[i]));
			buf_reset(&s->fv[i]);
			break;
		}
	}
	buf_free(&a);
}

/* Draw the table: code, label, figures. */
static void
ui_stats_table(struct ui_stats *s, const struct stats_result *r,
    size_t top)
{
	struct stats_filter	 f;
	struct buf		 text = BUF_INIT;
	const char		*p, *nl;
	int			 y = 1, line = 0;

	ui_stats_filter(s, &f);
	stats_print_text(r, &f, s->u->lang, COLS, &text);
	/* The printable report, scrolled: the title is on the top line. */
	for (p = buf_cstr(&text); *p != '\0' && y < LINES - 2;
	    p = *nl != '\0' ? nl + 1 : nl, line++) {
		struct buf	l = BUF_INIT;

		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (line == 0 || (size_t)line < top + 1)
			continue;
		buf_add(&l, p, (size_t)(nl - p));
		ui_text_put(y++, 0, buf_cstr(&l), COLS, 0);
		buf_free(&l);
	}
	buf_free(&text);
}

/* Draw horizontal bars, one category a line, from row top. */
static void
ui_stats_bars(const struct stats_result *r, size_t top)
{
	struct buf	b = BUF_INIT;
	uint64_t	max = 1, v;
	size_t		i;
	int		y, x, len, barw, codew = 8, labw;

	for (i = 0; i < r->nrows; i++) {
		if ((v = stats_main(r, &r->rows[i], 0)) > max)
			max = v;
		if ((int)strlen(r->rows[i].code) > codew)
			codew = (int)strlen(r->rows[i].code);
	}
	if (codew > 20)
		codew = 20;
	labw = COLS >= 100 ? 30 : 16;
	barw = COLS - codew - labw - 12;
	for (i = top, y = 2; i < r->nrows && y < LINES - 2; i++, y++) {
		v = stats_main(r, &r->rows[i], 0);
		ui_text_put(y, 0, r->rows[i].code, codew, 1);
		ui_text_put(y, codew + 1, r->rows[i].label != NULL ?
		    r->rows[i].label : "", labw, 1);
		buf_reset(&b);
		buf_addf(&b, "%9llu ", (unsigned long long)v);
		ui_text_put(y, codew + labw + 2, buf_cstr(&b), 10, 0);
		len = (int)(v * (uint64_t)barw / max);
		if (v > 0 && len == 0)
			len = 1;
		move(y, codew + labw + 12);
		for (x = 0; x < len; x++)
			addch('#');
	}
	buf_free(&b);
}

/* Draw a column chart of a time series: the latest that fit the width. */
static void
ui_stats_columns(const struct stats_result *r)
{
	struct buf	b = BUF_INIT;
	uint64_t	max = 1, v;
	size_t		i, first, fit;
	int		h, y, x, colw, height, left = 8;

	for (i = 0; i < r->nrows; i++)
		if ((v = stats_main(r, &r->rows[i], 0)) > max)
			max = v;
	colw = r->q->time == STATS_TIME_MONTH && !r->q->compare ? 8 :
	    r->q->time == STATS_TIME_QUARTER && !r->q->compare ? 8 : 5;
	fit = (size_t)((COLS - left) / colw);
	first = r->nrows > fit ? r->nrows - fit : 0;
	height = LINES - 7;
	buf_addf(&b, "%llu", (unsigned long long)max);
	ui_text_put(2, 0, buf_cstr(&b), left - 1, 0);
	ui_text_put(2 + height - 1, 0, "0", left - 1, 0);
	for (y = 0; y < height; y++)
		mvaddch(2 + y, left - 1, '|');
	for (i = first, x = left; i < r->nrows; i++, x += colw) {
		v = stats_main(r, &r->rows[i], 0);
		h = (int)(v * (uint64_t)height / max);
		if (v > 0 && h == 0)
			h = 1;
		for (y = 0; y < h; y++)
			mvaddstr(2 + height - 1 - y, x + 1, colw > 5 ? "####" :
			    "###");
		buf_reset(&b);
		buf_addf(&b, "%llu", (unsigned long long)v);
		ui_text_put(2 + height, x, buf_cstr(&b), colw, 0);
		ui_text_put(3 + height, x, r->rows[i].code, colw, 0);
	}
	if (first > 0) {
		buf_reset(&b);
		buf_addf(&b, _("(the last %zu of %zu)"), r->nrows - first,
		    r->nrows);
		ui_text_put(4 + height, left, buf_cstr(&b), COLS - left, 0);
	}
	buf_free(&b);
}

/* Write the table as CSV to a file the user names. */
static void
ui_stats_export(struct ui_stats *s, const struct stats_result *r)
{
	struct buf	 name = BUF_INIT, csv = BUF_INIT;
	FILE		*f;
	int		 bad;

	if (!ui_prompt(s->u, _("Write the table as CSV to the file: "), 200,
	    0, &name) || name.len == 0)
		goto out;
	stats_print_csv(r, &csv);
	if ((f = fopen(buf_cstr(&name), "w")) == NULL) {
		ui_status_error(s->u, _("%s: %s"), buf_cstr(&name),
		    strerror(errno));
		goto out;
	}
	bad = fwrite(csv.s, 1, csv.len, f) != csv.len;
	bad |= fclose(f) != 0;
	if (bad)
		ui_status_error(s->u, _("%s: %s"), buf_cstr(&name),
		    strerror(errno));
	else
		ui_status(s->u, ngettext_("%zu category written to %s.",
		    "%zu categories written to %s.", r->nrows), r->nrows,
		    buf_cstr(&name));
out:
	buf_free(&name);
	buf_free(&csv);
}

/* Show a result until the user goes back. */
static void
ui_stats_show(struct ui_stats *s, const struct stats_result *r)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_ACTION,
	    UI_OP_SAVE, UI_OP_BACK };
	struct ui_keypress	 k;
	/* The loop draws every turn: nothing to draw here. */
	const struct ui_common	 common = { N_("Help: statistics"),
				     ui_stats_help, NULL, NULL, NULL };
	enum ui_common_res	 c;
	struct buf		 b = BUF_INIT;
	const char		*label;
	size_t			 top = 0;
	int			 table = 0;

	label = schema_label(((struct stats_query *)r->q)->label,
	    s->u->lang);
	for (;;) {
		erase();
		ui_title(s->u, "%s", label != NULL ? label : r->q->name);
		buf_reset(&b);
		ui_stats_filter_line(s, &b);
		if (table)
			ui_stats_table(s, r, top);
		else {
			ui_text_put(1, 0, buf_cstr(&b), COLS, 0);
			if (r->nrows == 0)
				ui_text_put(3, 2, _("Nothing to count: no "
				    "case matches the filters."), COLS - 3, 0);
			else if (r->q->chart == STATS_CHART_COLUMNS)
				ui_stats_columns(r);
			else
				ui_stats_bars(r, top);
		}
		ui_keys(s->u, ops, sizeof ops / sizeof ops[0]);
		if (s->u->status != NULL)
			ui_status(s->u, "%s", s->u->status);
		ui_key(s->u, &k);
		ui_status(s->u, "%s", "");
		if ((c = ui_common_key(s->u, &k, &common)) == UI_COMMON_BACK)
			break;
		if (c == UI_COMMON_DONE)
			continue;
		if (k.op == UI_OP_ACTION) {
			table = !table;
			top = 0;
		} else if (k.op == UI_OP_SAVE)
			ui_stats_export(s, r);
		else if (k.op == UI_OP_NONE && k.fkey && k.key == KEY_DOWN)
			top++;
		else if (k.op == UI_OP_NONE && k.fkey && k.key == KEY_UP &&
		    top > 0)
			top--;
	}
	buf_free(&b);
}

/* Read the queries (ui_rows_screen.load). */
static size_t
ui_stats_load(void *arg)
{
	struct ui_stats	*s = arg;
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 dir = BUF_INIT;

	stats_def_free(s->def);
	s->def = NULL;
	buf_addf(&dir, "%s/forms", store_home(s->u->st));
	if (stats_load(buf_cstr(&dir), s->u->schema, &s->def, &e) !=
	    NCEN_OK)
		ui_error(s->u, &e);
	ncen_err_free(&e);
	buf_free(&dir);
	return s->def != NULL ? s->def->nq : 0;
}

/* Title, filters and key line (ui_rows_screen.frame). */
static void
ui_stats_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_FILTER,
	    UI_OP_BACK };
	struct ui_stats		*s = arg;
	struct buf		 b = BUF_INIT;

	ui_title(s->u, _("Statistics (%zu queries)"), n);
	ui_stats_filter_line(s, &b);
	ui_text_put(1, 2, buf_cstr(&b), COLS - 3, 1);
	if (n == 0)
		ui_text_put(3, 2, _("No query: the forms have no .queries "
		    "file, or it has a mistake (see the status line)."),
		    COLS - 3, 0);
	ui_keys(s->u, ops, sizeof ops / sizeof ops[0]);
	buf_free(&b);
}

/* One query: its name and label (ui_rows_screen.item). */
static void
ui_stats_item(void *arg, size_t i, int y, int sel)
{
	struct ui_stats		*s = arg;
	const struct stats_query *q = &s->def->q[i];

	if (sel)
		attron(A_REVERSE);
	mvaddstr(y, 0, sel ? ">" : " ");
	ui_text_put(y, 2, q->name, 26, 1);
	ui_text_put(y, 29, schema_label(((struct stats_query *)q)->label,
	    s->u->lang), COLS - 30, 1);
	if (sel)
		attroff(A_REVERSE);
}

/* Enter runs the query, ^F sets the filters (ui_rows_screen.act). */
static enum ui_rows_next
ui_stats_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *rows)
{
	struct ui_stats		*s = arg;
	struct stats_filter	 f;
	struct stats_result	*r = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;

	if (k->op == UI_OP_FILTER) {
		ui_stats_ask(s);
		return UI_ROWS_STAY;
	}
	if (k->op != UI_OP_NONE || rows->n == 0)
		return UI_ROWS_STAY;
	ui_status(s->u, "%s", _("Counting..."));
	refresh();
	ui_stats_filter(s, &f);
	if (stats_run(s->u->st, s->u->schema, s->def, &s->def->q[rows->cur],
	    &f, &r, &e) != NCEN_OK)
		ui_error(s->u, &e);
	else {
		ui_status(s->u, "%s", "");
		ui_stats_show(s, r);
	}
	stats_result_free(r);
	ncen_err_free(&e);
	return UI_ROWS_STAY;
}

/* The Statistics screen, until the user goes back. */
void
ui_stats(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: statistics"), ui_stats_help, 2, 1,
		ui_stats_load, ui_stats_frame, ui_stats_item, ui_stats_act,
	};
	struct ui_stats	s;
	size_t		i;

	memset(&s, 0, sizeof s);
	s.u = u;
	ui_rows(u, &screen, &s);
	stats_def_free(s.def);
	for (i = 0; i < 6; i++)
		buf_free(&s.fv[i]);
}
