/*
 * ui-search.c - one question, every kind of record: persons by family
 * name or alias, businesses by name, conveyances by any identifier,
 * cases and investigations by number.
 *
 * What is typed is looked up as a prefix in each index of the table
 * below (store-page.c: the keys that start with it, a page of each),
 * never by reading every record.  The results are one list, a line a
 * record (found once however many indexes found it); Enter opens one.
 * Records the account may not see (need to know, auth_see) are left
 * out but not kept secret: a line under the results says how many match
 * and in which offices' cases ("hit, no hit"), so that the officer can
 * ask there, and each such hidden match is audited.  Names show only
 * where the role may see them, and a results page that shows them is
 * audited.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-page.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "ui-view.h"
#include "xmalloc.h"

#define UI_SEARCH_EACH		50	/* records read per index */
#define UI_SEARCH_MAX		500	/* results kept */
#define UI_SEARCH_INPUT		80	/* characters of a question */

/* Where a search looks: a form's indexed field. */
static const struct {
	const char	*entity;
	const char	*field;
} ui_search_table[] = {
	{ "person", "family_name" },
	{ "person", "aliases" },
	{ "person", "document_number" },
	{ "business", "name" },
	{ "business", "other_names" },
	{ "business", "registration_number" },
	{ "conveyance", "name" },
	{ "conveyance", "plate" },
	{ "conveyance", "imo" },
	{ "conveyance", "flight" },
	{ "conveyance", "aircraft_registration" },
	{ "conveyance", "vin" },
	{ "conveyance", "container" },
	{ "conveyance", "tracking" },
	{ "case", "number" },
	{ "investigation", "number" },
};
#define UI_SEARCH_N (sizeof ui_search_table / sizeof ui_search_table[0])

struct ui_search_hit {
	const char	*entity;	/* the table's */
	const char	*field;		/* label of the field that found it */
	uint64_t	 id;
	char		*line;
};

struct ui_search {
	struct ui		*u;
	struct buf		 question;
	struct ui_search_hit	*hits;
	size_t			 n, cap;
	int			 more;		/* some index had more */
	size_t			 top, cur;
	/* Matches not shown (need to know): how many, where, which. */
	size_t			 hidden, unlinked;
	struct buf		 offices;	/* "FRMRS01, FRLEH01" */
	const char		*hidden_entity;	/* NULL: several kinds */
	struct buf		 hidden_recs;	/* "person:12\n" each */
	struct buf		 notice;
};

static const char ui_search_help[] = N_(
    "Type the start of a family name or alias, a company name, a "
    "plate, flight, IMO, VIN or container number, or a case number, and "
    "press Enter: every kind of record is searched at once (capitals or "
    "not, for Latin letters).\n\n"
    "Up and Down choose a record, PgUp and PgDn (^B, ^V) turn the page, "
    "Enter opens it.  ^F asks a new question.\n\n"
    "Records your roles may not see are left out; personal data shows "
    "as *** where your roles may not see it, and its display is "
    "recorded in the audit log.");

/* Whether a record was found already. */
static int
ui_search_seen(const struct ui_search *s, const char *entity, uint64_t id)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->hits[i].id == id && strcmp(s->hits[i].entity,
		    entity) == 0)
			return 1;
	return 0;
}

/* Whether a record was counted already as a hidden match. */
static int
ui_search_hidden_seen(const struct ui_search *s, const char *entity,
    uint64_t id)
{
	const char	*all = buf_cstr(&s->hidden_recs), *p;
	char		 key[96];

	snprintf(key, sizeof key, "%s:%llu\n", entity,
	    (unsigned long long)id);
	for (p = all; (p = strstr(p, key)) != NULL; p++)
		if (p == all || p[-1] == '\n')
			return 1;
	return 0;
}

/* Forget the results. */
static void
ui_search_clear(struct ui_search *s)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		free(s->hits[i].line);
	s->n = 0;
	s->more = 0;
	s->top = s->cur = 0;
	s->hidden = s->unlinked = 0;
	s->hidden_entity = NULL;
	buf_reset(&s->offices);
	buf_reset(&s->hidden_recs);
	buf_reset(&s->notice);
}

/* Whether an office is already named in a list "A, B". */
static int
ui_search_named(const struct buf *list, const char *office)
{
	const char	*p = buf_cstr(list);
	size_t		 len = strlen(office);

	for (; (p = strstr(p, office)) != NULL; p += len)
		if ((p == buf_cstr(list) || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ','))
			return 1;
	return 0;
}

/*
 * Whether the account sees a record found; if not, count it as a hidden
 * match and note where it lies.
 */
static int
ui_search_sees(struct ui_search *s, const struct record *r)
{
	struct auth_seen	 seen = { 0, BUF_INIT };
	struct ncen_err		 e = NCEN_ERR_INIT;

	if (auth_see(s->u->st, NULL, s->u->acct, r, &seen, &e) != NCEN_OK) {
		ui_error(s->u, &e);
		ncen_err_free(&e);
		buf_free(&seen.office);
		return 0;
	}
	if (!seen.seen) {
		if (s->hidden++ == 0)
			s->hidden_entity = r->form->name;
		else if (s->hidden_entity != NULL &&
		    strcmp(s->hidden_entity, r->form->name) != 0)
			s->hidden_entity = NULL;
		if (seen.office.len == 0)
			s->unlinked++;
		else if (!ui_search_named(&s->offices, buf_cstr(&seen.office))) {
			if (s->offices.len != 0)
				buf_adds(&s->offices, ", ");
			buf_add(&s->offices, seen.office.s, seen.office.len);
		}
		buf_addf(&s->hidden_recs, "%s:%llu\n", r->form->name,
		    (unsigned long long)r->id);
	}
	buf_free(&seen.office);
	return seen.seen;
}

/* The line that says what matched but is not shown, and its audit. */
static void
ui_search_hidden(struct ui_search *s)
{
	const struct schema_form	*form = NULL;
	struct ncen_err			 e = NCEN_ERR_INIT;
	const char			*what, *rec, *nl;
	struct buf			 one = BUF_INIT;
	size_t				 inc = s->hidden - s->unlinked;

	if (s->hidden == 0)
		return;
	if (s->hidden_entity != NULL)
		form = schema_form_find(s->u->schema, s->hidden_entity);
	what = form != NULL ? schema_label(form->label, s->u->lang) :
	    _("record");
	if (inc == 1 && s->unlinked == 0)
		buf_addf(&s->notice, _("1 %s in a case of %s matches: ask its "
		    "supervisor."), what, buf_cstr(&s->offices));
	else if (inc > 1)
		buf_addf(&s->notice, _("%zu more records in cases of %s match: "
		    "ask their supervisors."), inc, buf_cstr(&s->offices));
	if (s->unlinked != 0) {
		if (s->notice.len != 0)
			buf_adds(&s->notice, " ");
		buf_addf(&s->notice, ngettext_("%zu more, another officer's "
		    "and in no case yet.", "%zu more, other officers' and in "
		    "no case yet.", s->unlinked), s->unlinked);
	}
	/* Each hidden match is audited, as a hit the account asked for. */
	for (rec = buf_cstr(&s->hidden_recs); (nl = strchr(rec, '\n')) !=
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

/* Look the question up in every index of the table. */
static void
ui_search_run(struct ui_search *s)
{
	const struct schema_form	*form;
	const struct schema_field	*f;
	struct store_page_order		 o;
	struct store_page_query		 q;
	struct store_page		 p;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 line = BUF_INIT, shown = BUF_INIT;
	struct ui_search_hit		*h;
	size_t				 i, j;

	ui_search_clear(s);
	memset(&o, 0, sizeof o);
	memset(&q, 0, sizeof q);
	q.from = STORE_PAGE_START;
	q.n = UI_SEARCH_EACH;
	/* Every match is read: those not seen are counted (hit, no hit). */
	for (i = 0; i < UI_SEARCH_N && s->n < UI_SEARCH_MAX; i++) {
		if ((form = schema_form_find(s->u->schema,
		    ui_search_table[i].entity)) == NULL ||
		    (f = schema_field_find(form, ui_search_table[i].field)) ==
		    NULL || !f->indexed)
			continue;
		o.entity = form->name;
		o.field = f->name;
		o.prefix = buf_cstr(&s->question);
		if (store_page_read(s->u->st, &o, &q, &p, &e) != NCEN_OK) {
			ui_error(s->u, &e);
			ncen_err_clear(&e);
			continue;
		}
		if (!p.last)
			s->more = 1;
		for (j = 0; j < p.n && s->n < UI_SEARCH_MAX; j++) {
			if (ui_search_seen(s, form->name, p.rows[j].id) ||
			    ui_search_hidden_seen(s, form->name,
			    p.rows[j].id) || !ui_search_sees(s, p.rows[j].rec))
				continue;
			if (s->n == s->cap) {
				s->cap = s->cap == 0 ? 32 : s->cap * 2;
				s->hits = xreallocarray(s->hits, s->cap,
				    sizeof *s->hits);
			}
			h = &s->hits[s->n++];
			h->entity = ui_search_table[i].entity;
			h->field = schema_label(f->label, s->u->lang);
			h->id = p.rows[j].id;
			buf_reset(&line);
			if (ui_view_summary_line(s->u, p.rows[j].rec, &line))
				buf_addf(&shown, "%s:%llu\n", form->name,
				    (unsigned long long)h->id);
			h->line = buf_detach(&line);
		}
		store_page_free(&p);
	}
	ui_view_audit(s->u, &shown, "ncen listed it in search results");
	ui_search_hidden(s);
	buf_free(&line);
	buf_free(&shown);
	ncen_err_free(&e);
}

/* Draw result i (if shown) at its row. */
static void
ui_search_draw_row(struct ui_search *s, size_t i)
{
	const struct schema_form	*form;
	const struct ui_search_hit	*h;
	struct buf			 b = BUF_INIT;
	int				 y = 2 + (int)(i - s->top);

	if (i < s->top || y > ui_body_rows())
		return;
	move(y, 0);
	clrtoeol();
	if (i == s->n && s->notice.len != 0)
		ui_text_put(y, 1, buf_cstr(&s->notice), COLS - 2, 0);
	if (i >= s->n)
		return;
	h = &s->hits[i];
	form = schema_form_find(s->u->schema, h->entity);
	ui_sel(s->u, y, i == s->cur);
	if (i == s->cur && s->u->color)
		mvhline(y, 1, ' ', COLS - 1);
	buf_addf(&b, "%s %llu", form != NULL ? schema_label(form->label,
	    s->u->lang) : h->entity, (unsigned long long)h->id);
	ui_text_put(y, 1, buf_cstr(&b), 18, 0);
	ui_text_put(y, 20, h->field, 16, 0);
	ui_text_put(y, 37, h->line, COLS - 38, 0);
	ui_sel_end(s->u, i == s->cur);
	buf_free(&b);
}

/* The whole screen. */
static void
ui_search_draw(struct ui_search *s)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_FILTER,
				    UI_OP_BACK };
	int			 y;

	erase();
	ui_title(s->u, _("Search: %s"), buf_cstr(&s->question));
	ui_keys(s->u, ops, sizeof ops / sizeof ops[0]);
	attron(A_BOLD | A_UNDERLINE);
	ui_text_put(1, 1, _("Record"), 18, 0);
	ui_text_put(1, 20, _("Found by"), 16, 0);
	ui_text_put(1, 37, _("Summary"), COLS - 38, 0);
	attroff(A_BOLD | A_UNDERLINE);
	for (y = 0; y < ui_body_rows() - 1; y++)
		ui_search_draw_row(s, s->top + (size_t)y);
	if (s->n == 0)
		ui_status(s->u, "%s", _("Nothing found; ^F asks again."));
	else
		ui_status(s->u, _("%zu found%s."), s->n, s->more ?
		    _(" (the first of each kind; type more to narrow it)") :
		    "");
}

/* Move the highlight, scrolling a page at a time. */
static void
ui_search_move(struct ui_search *s, long by)
{
	size_t	rows = (size_t)ui_body_rows() - 1, old = s->cur;
	long	to = (long)s->cur + by;

	if (s->n == 0 || to < 0 || to >= (long)s->n) {
		if (by == 1 || by == -1 || s->n == 0) {
			beep();
			return;
		}
		to = to < 0 ? 0 : (long)s->n - 1;
	}
	s->cur = (size_t)to;
	if (s->cur < s->top || s->cur >= s->top + rows) {
		s->top = s->cur - s->cur % rows;
		ui_search_draw(s);
		return;
	}
	ui_search_draw_row(s, old);
	ui_search_draw_row(s, s->cur);
}

/* Ask the question; 0 when the officer went back instead. */
static int
ui_search_ask(struct ui_search *s)
{
	struct buf	a = BUF_INIT;
	int		r;

	r = ui_prompt(s->u, _("Find (name, number, plate...):"),
	    UI_SEARCH_INPUT, 0, &a) == 1 && a.len != 0;
	if (r) {
		buf_reset(&s->question);
		buf_add(&s->question, a.s, a.len);
		ui_status(s->u, "%s", _("Searching..."));
		refresh();
		ui_search_run(s);
	}
	buf_free(&a);
	return r;
}

/* The search screen, until the officer goes back. */
void
ui_search(struct ui *u)
{
	struct ui_search	s;
	struct ui_keypress	k;
	int			done = 0;

	memset(&s, 0, sizeof s);
	s.u = u;
	ui_search_draw(&s);
	if (!ui_search_ask(&s))
		done = 1;
	else
		ui_search_draw(&s);
	while (!done) {
		ui_key(u, &k);
		switch (k.op) {
		case UI_OP_BACK:
			done = 1;
			break;
		case UI_OP_HELP:
			ui_help(u, _("Help: search"), _(ui_search_help));
			ui_search_draw(&s);
			break;
		case UI_OP_REDRAW:
			clearok(curscr, TRUE);
			ui_search_draw(&s);
			break;
		case UI_OP_RESIZE:
			s.top = 0;
			ui_search_draw(&s);
			break;
		case UI_OP_FILTER:
			(void)ui_search_ask(&s);
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
				ui_search_move(&s, ui_body_rows() - 1);
				break;
			case UI_NAV_PGUP:
				ui_search_move(&s, -(ui_body_rows() - 1));
				break;
			case UI_NAV_ENTER:
				if (s.n == 0) {
					beep();
					break;
				}
				ui_view(u, s.hits[s.cur].entity,
				    s.hits[s.cur].id);
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
	free(s.hits);
	buf_free(&s.question);
	buf_free(&s.offices);
	buf_free(&s.hidden_recs);
	buf_free(&s.notice);
	erase();
}
