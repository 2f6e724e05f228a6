/*
 * ui-list.c - a form's records as a paged list, and the same list as a
 * chooser.
 *
 * A page is read at a time (store-page.c) in the current order: one of
 * the form's indexed fields, or the record number; ^T goes to the next.
 * Typing filters the order to the keys that start with what was typed
 * (in number order it goes to that number instead); a name field goes
 * through the search keys, so that a name is found in any script and
 * spelling of case and accents ("kuz": Кузнецов).  The columns come
 * from the form: the sort field, then the indexed and short fields, as
 * many as fit, measured in terminal columns so that names in Latin,
 * Cyrillic and Arabic line up.  Moving the highlight redraws two rows;
 * a new page redraws the rows only.  Records the role may not see are
 * left out; nominal columns show only where the role may see them, and
 * every page that shows them is audited.  A role that sees only its own
 * records (an officer's cases) reads the list through the owner index,
 * a scope kept apart from the filter typed (store-page.h), so that its
 * pages cost what they show, not what the form holds.
 */
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "match.h"
#include "record.h"
#include "schema.h"
#include "store-page.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "ui-view.h"
#include "xmalloc.h"

#define UI_LIST_COLS_MAX	12
#define UI_LIST_SORTS_MAX	32
#define UI_LIST_TEXT_WIDTH	22	/* widest text column */
#define UI_LIST_FILTER_MAX	80	/* characters typed into a filter */
#define UI_LIST_PAUSE_MS	250	/* a typist's pause: filter the rows */
#define UI_LIST_CODES_NAMED	12	/* lists this short show labels */
#define UI_LIST_SPELLED_MAX	5000	/* records a name filter reads */
#define UI_LIST_NAME_WIDTH	12	/* if every label fits this */

/* A list's title, by form (the form's label otherwise). */
static const struct {
	const char	*entity;
	const char	*title;
} ui_list_titles[] = {
	{ "case", N_("Cases") },
	{ "person", N_("Persons") },
	{ "business", N_("Businesses") },
	{ "conveyance", N_("Conveyances") },
	{ "investigation", N_("Investigations") },
	{ "message", N_("Messages") },
	{ "seizure", N_("Seizures") },
	{ "attachment", N_("Attachments") },
	{ "transition", N_("Workflow steps") },
};

struct ui_list_col {
	const struct schema_field	*f;	/* NULL: the record number */
	size_t				 fi;
	int				 x, width;
};

struct ui_list {
	struct ui			*u;
	const char			*entity;
	const struct schema_form	*form;
	const char			*pick;	/* chooser's title, or NULL */
	int				 given;	/* need to know: only seen[] */
	uint64_t			*seen;
	size_t				 nseen;

	const struct schema_field	*sorts[UI_LIST_SORTS_MAX];
	size_t				 nsorts, sort;	/* NULL: by number */
	struct buf			 filter;
	int				 filtering;
	/* A name filter through the search keys: only these ids. */
	int				 spelled;
	uint64_t			*sids;
	size_t				 nsids;
	int				 stale;	/* rows not yet filtered */

	struct ui_list_col		 cols[UI_LIST_COLS_MAX];
	size_t				 ncols;

	struct store_page		 page;
	size_t				 cur;		/* highlighted row */
	uint64_t			 offset;	/* entry of row 0 */
	uint64_t			 total;		/* records of the form */
	uint64_t			 entries;	/* in the order */
	int				 rows;		/* rows a page */
	int				 newest;	/* by date: newest first */
};

static const char ui_list_help[] = N_(
    "The records of one kind, a page at a time.\n\n"
    "Up and Down move the highlight; PgUp and PgDn (^B, ^V) turn the "
    "page; Home and End go to the first and last page; ^O asks for a "
    "page number.  Enter opens the highlighted record.\n\n"
    "^T sorts by the next indexed field (the title says which; sorting "
    "by a field lists only the records that have a value in it, once "
    "per value).  Typing letters filters the list to the rows whose "
    "sort field starts with them (capitals or not; a name in any script: "
    "Kuz finds Кузнецов); "
    "Backspace takes a letter back and ^F clears the filter.  Sorted by "
    "number, typing a number goes to that record.\n\n"
    "^N creates a record, if your roles allow it.  Records your roles "
    "may not see are left out, and personal data shows as *** where "
    "your roles may not see it; every page that shows personal data is "
    "recorded in the audit log.");

/* The list's title word ("Persons"). */
static const char *
ui_list_title_of(struct ui_list *l)
{
	size_t	i;

	for (i = 0; i < sizeof ui_list_titles / sizeof ui_list_titles[0];
	    i++)
		if (strcmp(ui_list_titles[i].entity, l->entity) == 0)
			return _(ui_list_titles[i].title);
	return schema_label(l->form->label, l->u->lang);
}

/* Append a count with thousands separated ("1,234"). */
static void
ui_list_number(struct buf *b, uint64_t n)
{
	struct buf	digits = BUF_INIT;
	size_t		i;

	buf_addf(&digits, "%llu", (unsigned long long)n);
	for (i = 0; i < digits.len; i++) {
		if (i != 0 && (digits.len - i) % 3 == 0)
			/* TRANSLATORS: the thousands separator. */
			buf_adds(b, _(","));
		buf_addc(b, digits.s[i]);
	}
	buf_free(&digits);
}

/* The sort field shown in the title: its label, or "number". */
static const char *
ui_list_sort_label(struct ui_list *l)
{
	const struct schema_field	*f = l->sorts[l->sort];

	return f == NULL ? _("number") : schema_label(f->label, l->u->lang);
}

/*
 * Whether the order reads newest first: an officer's own cases (what he
 * recorded last is what he looks for) by date or by number.
 */
static int
ui_list_desc(const struct ui_list *l)
{
	const struct schema_field	*f = l->sorts[l->sort];

	return l->newest && (f == NULL || f->type == SCHEMA_DATE ||
	    f->type == SCHEMA_DATETIME);
}

/* The order read from the store: the sort field and the filter. */
static void
ui_list_order(struct ui_list *l, struct store_page_order *o)
{
	o->entity = l->entity;
	o->field = l->sorts[l->sort] == NULL ? NULL : l->sorts[l->sort]->name;
	o->prefix = l->sorts[l->sort] == NULL ? NULL : buf_cstr(&l->filter);
	o->scope_field = o->scope_value = NULL;
	o->given = l->given;
	o->ids = l->seen;
	o->nids = l->nseen;
	o->desc = ui_list_desc(l);
	if (l->spelled) {
		o->prefix = NULL;
		o->given = 1;
		o->ids = l->sids;
		o->nids = l->nsids;
	}
}

/* Order ids for qsort and bsearch. */
static int
ui_list_id_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether one of a record's values, in Latin letters, starts with pre. */
static int
ui_list_spelled_as(const struct record *r, size_t fi, const char *pre)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct buf	latin = BUF_INIT;
	size_t		i;
	int		yes = 0;

	for (i = 0; i < r->fields[fi].n && !yes; i++) {
		buf_reset(&latin);
		if (match_latin(r->fields[fi].v[i], strlen(r->fields[fi].v[i]),
		    &latin, &e) == NCEN_OK)
			yes = strncmp(buf_cstr(&latin), pre, strlen(pre)) == 0;
		ncen_err_clear(&e);
	}
	buf_free(&latin);
	ncen_err_free(&e);
	return yes;
}

/*
 * A filter on a name (a field searched as a name or alias) goes through
 * the search keys (match.h), so that it finds names in any script and
 * spelling of case and accents: "kuz" lists Кузнецов as it would
 * Kuznetsov.  The records whose word keys start with the filter's first
 * word are read (at most UI_LIST_SPELLED_MAX), and those whose field,
 * in Latin letters, starts with the whole filter kept (and seen, for
 * need to know).  0 when the filter does not go that way: the index's
 * byte prefix serves then.
 */
static int
ui_list_spell(struct ui_list *l)
{
	const struct schema_field	*f = l->sorts[l->sort];
	struct store_search_ids		 ids;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 latin = BUF_INIT, key = BUF_INIT;
	struct record			*r;
	const char			*sp;
	size_t				 i, fi;

	free(l->sids);
	l->sids = NULL;
	l->nsids = 0;
	l->spelled = 0;
	if (f == NULL || l->filter.len == 0 ||
	    (f->search != SCHEMA_SEARCH_NAME &&
	    f->search != SCHEMA_SEARCH_ALIAS) ||
	    !store_search_has(l->u->st, l->entity) ||
	    match_latin(l->filter.s, l->filter.len, &latin, &e) != NCEN_OK ||
	    latin.len == 0) {
		ncen_err_free(&e);
		buf_free(&latin);
		return 0;
	}
	fi = (size_t)(f - l->form->fields);
	buf_addc(&key, 'w');
	sp = strchr(buf_cstr(&latin), ' ');
	buf_add(&key, latin.s, sp != NULL ? (size_t)(sp - latin.s) :
	    latin.len);
	memset(&ids, 0, sizeof ids);
	if (store_search_ids(l->u->st, l->entity, key.s, key.len, 1,
	    UI_LIST_SPELLED_MAX, &ids, &e) != NCEN_OK) {
		ui_error(l->u, &e);
		ids.n = 0;
	}
	l->sids = xcalloc(ids.n + 1, sizeof *l->sids);
	for (i = 0; i < ids.n; i++) {
		if (l->given && (l->nseen == 0 || bsearch(&ids.ids[i],
		    l->seen, l->nseen, sizeof *l->seen,
		    ui_list_id_cmp) == NULL))
			continue;
		if (store_get(l->u->st, l->entity, ids.ids[i], &r, &e) !=
		    NCEN_OK) {
			ncen_err_clear(&e);
			continue;
		}
		if (ui_list_spelled_as(r, fi, buf_cstr(&latin)))
			l->sids[l->nsids++] = ids.ids[i];
		record_free(r);
	}
	qsort(l->sids, l->nsids, sizeof *l->sids, ui_list_id_cmp);
	l->spelled = 1;
	store_search_ids_free(&ids);
	ncen_err_free(&e);
	buf_free(&latin);
	buf_free(&key);
	return 1;
}

/*
 * The records an account that does not see everything may see, read
 * through its cases (auth_see_ids), again each time the list is read
 * afresh: a link made or removed meanwhile changes them.
 */
static void
ui_list_scope(struct ui_list *l)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		all;

	free(l->seen);
	l->seen = NULL;
	l->nseen = 0;
	l->given = 0;
	if (auth_see_ids(l->u->st, l->u->acct, l->entity, &l->seen,
	    &l->nseen, &all, &e) != NCEN_OK) {
		ui_error(l->u, &e);
		l->given = 1;		/* nothing shown rather than all */
	} else
		l->given = !all;
	ncen_err_free(&e);
}

/*
 * Whether a code list's values show by name in a list column: a short
 * list whose labels all fit the column (status, direction); the width
 * they need, or 0 for codes.
 */
static int
ui_list_named(struct ui_list *l, const struct schema_codelist *cl)
{
	size_t	i;
	int	w = 0, cw;

	if (cl->ncodes > UI_LIST_CODES_NAMED)
		return 0;
	for (i = 0; i < cl->ncodes; i++)
		if ((cw = ui_text_width(schema_label(cl->codes[i].label,
		    l->u->lang))) > w)
			w = cw;
	return w <= UI_LIST_NAME_WIDTH ? w : 0;
}

/* The columns a field wants, from its type and size. */
static int
ui_list_width(struct ui_list *l, const struct schema_field *f)
{
	const struct schema_codelist	*cl;
	size_t				 i;
	int				 w = 4, cw;

	switch (f->type) {
	case SCHEMA_DATE:
		return 10;
	case SCHEMA_DATETIME:
		return 16;
	case SCHEMA_INTEGER:
	case SCHEMA_REF:
		return 8;
	case SCHEMA_DECIMAL:
		return f->size + 2 > 14 ? 14 : (int)f->size + 2;
	case SCHEMA_CODE:
		if ((cl = schema_list_find(l->u->schema, f->target)) == NULL)
			return w;
		if ((cw = ui_list_named(l, cl)) > 0)
			return cw > w ? cw : w;
		for (i = 0; i < cl->ncodes; i++)
			if ((cw = ui_text_width(cl->codes[i].code)) > w)
				w = cw;
		return w > 12 ? 12 : w;
	default:
		return f->size > UI_LIST_TEXT_WIDTH ? UI_LIST_TEXT_WIDTH :
		    f->size < 4 ? 4 : (int)f->size;
	}
}

/* Whether a field belongs in a list at all (short enough to read). */
static int
ui_list_short(const struct schema_field *f)
{
	return f->type != SCHEMA_TEXT || f->size <= 200;
}

/* Add a column if it fits; 0 when the line is full. */
static int
ui_list_col_add(struct ui_list *l, const struct schema_field *f, int *x)
{
	struct ui_list_col	*c;
	size_t			 i;
	int			 w;

	for (i = 0; i < l->ncols; i++)
		if (l->cols[i].f == f)
			return 1;
	if (l->ncols == UI_LIST_COLS_MAX)
		return 0;
	w = f == NULL ? 7 : ui_list_width(l, f);
	if (*x + w > COLS - 1) {
		/* A text column may take what is left, if that is enough. */
		if (f == NULL || f->type != SCHEMA_TEXT || COLS - 1 - *x < 8)
			return 1;
		w = COLS - 1 - *x;
	}
	c = &l->cols[l->ncols++];
	c->f = f;
	c->fi = f == NULL ? 0 : (size_t)(f - l->form->fields);
	c->x = *x;
	c->width = w;
	*x += w + 1;
	return 1;
}

/* Choose the columns: number, sort field, indexed fields, short ones. */
static void
ui_list_columns(struct ui_list *l)
{
	const struct schema_form	*form = l->form;
	size_t				 i;
	int				 x = 1;

	l->ncols = 0;
	(void)ui_list_col_add(l, NULL, &x);
	if (l->sorts[l->sort] != NULL)
		(void)ui_list_col_add(l, l->sorts[l->sort], &x);
	for (i = 0; i < form->nfields; i++)
		if (form->fields[i].indexed && !form->fields[i].repeated &&
		    form->fields[i].type != SCHEMA_REF)
			(void)ui_list_col_add(l, &form->fields[i], &x);
	for (i = 0; i < form->nfields; i++)
		if (ui_list_short(&form->fields[i]) &&
		    form->fields[i].type != SCHEMA_REF)
			(void)ui_list_col_add(l, &form->fields[i], &x);
}

/* The orders the list offers: indexed fields (required ones first), id. */
static void
ui_list_sorts(struct ui_list *l)
{
	const struct schema_form	*form = l->form;
	size_t				 i, pass;

	l->nsorts = 0;
	/* Required single fields first: every record has them. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < form->nfields &&
		    l->nsorts < UI_LIST_SORTS_MAX - 1; i++) {
			const struct schema_field	*f = &form->fields[i];
			int				 all = f->required &&
							     !f->repeated;

			if (f->indexed && all == (pass == 0))
				l->sorts[l->nsorts++] = f;
		}
	l->sorts[l->nsorts++] = NULL;
	l->sort = 0;
}

/* Whether the role may see a record at all (store_page keep). */
static int
ui_list_keep(const struct record *r, void *arg)
{
	return ui_may(arg, AUTH_VIEW, r);
}

/* One cell's text: the value, or *** for nominal data refused. */
static int
ui_list_cell(struct ui_list *l, const struct ui_list_col *c,
    const struct record *r, int see, struct buf *b)
{
	const struct schema_codelist	*cl;
	const struct schema_code	*code;

	if (c->f == NULL) {
		buf_addf(b, "%llu", (unsigned long long)r->id);
		return 0;
	}
	if (r->fields[c->fi].n == 0)
		return 0;
	if (ui_view_nominal(c->f) && !see) {
		buf_adds(b, UI_VIEW_HIDDEN);
		return 0;
	}
	/* A short list's codes by name, in the officer's language. */
	if (c->f->type == SCHEMA_CODE && r->fields[c->fi].n == 1 &&
	    (cl = schema_list_find(l->u->schema, c->f->target)) != NULL &&
	    ui_list_named(l, cl) > 0 &&
	    (code = schema_code_find(cl, r->fields[c->fi].v[0])) != NULL) {
		buf_adds(b, schema_label(code->label, l->u->lang));
		return 0;
	}
	ui_view_value(l->u, r, c->fi, 0, b);
	return ui_view_nominal(c->f);
}

/* Draw row i of the page, highlighted or not. */
static void
ui_list_draw_row(struct ui_list *l, size_t i, int hi)
{
	const struct record	*r;
	struct buf		 b = BUF_INIT;
	size_t			 j;
	int			 y = 2 + (int)i, see;

	move(y, 0);
	clrtoeol();
	if (i >= l->page.n)
		return;
	r = l->page.rows[i].rec;
	see = ui_may(l->u, AUTH_VIEW_NOMINAL, r);
	ui_sel(l->u, y, hi);
	if (hi && l->u->color)
		mvhline(y, 1, ' ', COLS - 1);
	for (j = 0; j < l->ncols; j++) {
		buf_reset(&b);
		(void)ui_list_cell(l, &l->cols[j], r, see, &b);
		if (l->cols[j].f == NULL) {
			/* Numbers to the right of their column. */
			int	w = ui_text_width(buf_cstr(&b));

			ui_text_put(y, l->cols[j].x + (w < l->cols[j].width ?
			    l->cols[j].width - w : 0), buf_cstr(&b),
			    l->cols[j].width, 0);
		} else
			ui_text_put(y, l->cols[j].x, buf_cstr(&b),
			    l->cols[j].width, 0);
	}
	ui_sel_end(l->u, hi);
	buf_free(&b);
}

/* Audit the nominal data a new page shows, one entry per record. */
static void
ui_list_audit(struct ui_list *l)
{
	struct buf	shown = BUF_INIT, cell = BUF_INIT;
	size_t		i, j;
	int		see, nominal;

	for (i = 0; i < l->page.n; i++) {
		const struct record	*r = l->page.rows[i].rec;

		see = ui_may(l->u, AUTH_VIEW_NOMINAL, r);
		nominal = 0;
		for (j = 0; j < l->ncols && see; j++) {
			buf_reset(&cell);
			nominal |= ui_list_cell(l, &l->cols[j], r, see, &cell);
		}
		if (nominal)
			buf_addf(&shown, "%s:%llu\n", l->entity,
			    (unsigned long long)r->id);
	}
	ui_view_audit(l->u, &shown, "ncen listed its nominal fields");
	buf_free(&shown);
	buf_free(&cell);
}

/* The title: what is listed, how many, the order and the page. */
static void
ui_list_title(struct ui_list *l)
{
	struct buf	b = BUF_INIT;
	uint64_t	pages, page;

	buf_addf(&b, "%s (", l->pick != NULL && *l->pick != '\0' ? l->pick :
	    ui_list_title_of(l));
	ui_list_number(&b, l->total);
	buf_addf(&b, ")   %s %s", _("by"), ui_list_sort_label(l));
	if (ui_list_desc(l))
		buf_adds(&b, _(", newest first"));
	pages = l->entries == 0 ? 1 :
	    (l->entries + (uint64_t)l->rows - 1) / (uint64_t)l->rows;
	page = l->offset / (uint64_t)l->rows + 1;
	if (l->page.first && l->page.last)
		page = pages = 1;	/* all there is (the role may see) */
	else if (page > pages || (l->page.last && l->page.n != 0))
		page = l->page.first ? 1 : pages;
	buf_addf(&b, "   %s %llu/%llu", _("page"), (unsigned long long)page,
	    (unsigned long long)pages);
	ui_title(l->u, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* A column's heading: the field's short heading, else its label. */
static const char *
ui_list_heading(const struct ui_list *l, const struct schema_field *f)
{
	const char	*h;

	if (f == NULL)
		return _("No.");
	if (*(h = schema_label(f->heading, l->u->lang)) != '\0')
		return h;
	return schema_label(f->label, l->u->lang);
}

/*
 * The header row with each column's heading.  The blanks between the
 * headings take their attributes too: one attribute change for the row
 * instead of two around every gap (14 bytes each on a vt100).
 */
static void
ui_list_header(struct ui_list *l)
{
	size_t	j;
	int	x, end;

	move(1, 0);
	clrtoeol();
	attron(A_BOLD | A_UNDERLINE);
	if (l->ncols > 0) {
		end = l->cols[l->ncols - 1].x + l->cols[l->ncols - 1].width;
		for (x = l->cols[0].x; x < end && x < COLS; x++)
			mvaddch(1, x, ' ');
	}
	for (j = 0; j < l->ncols; j++) {
		const char	*label = ui_list_heading(l, l->cols[j].f);
		int		 w = ui_text_width(label);

		if (l->cols[j].f == NULL && w < l->cols[j].width)
			ui_text_put(1, l->cols[j].x + l->cols[j].width - w,
			    label, w, 0);
		else
			ui_text_put(1, l->cols[j].x, label, l->cols[j].width,
			    0);
	}
	attroff(A_BOLD | A_UNDERLINE);
}

/* The status line: the filter being typed, or where the list is. */
static void
ui_list_status(struct ui_list *l)
{
	if (l->filtering || l->filter.len != 0)
		ui_status(l->u, _("Filter (%s starts with): %s_"),
		    ui_list_sort_label(l), buf_cstr(&l->filter));
	else if (l->page.n == 0)
		ui_status(l->u, "%s", _("Nothing to show."));
	else if (l->pick != NULL)
		ui_status(l->u, "%s", _("Enter chooses the highlighted "
		    "record; ^X goes back without choosing."));
	else
		ui_status(l->u, "%s", "");
}

/* Redraw the rows of the page (not the frame). */
static void
ui_list_draw_rows(struct ui_list *l)
{
	int	i;

	for (i = 0; i < l->rows; i++)
		ui_list_draw_row(l, (size_t)i, (size_t)i == l->cur);
	ui_list_title(l);
	ui_list_status(l);
}

/* The whole screen. */
static void
ui_list_draw(struct ui_list *l)
{
	enum ui_op	ops[8];
	size_t		n = 0;

	erase();
	ops[n++] = UI_OP_HELP;
	if (ui_may(l->u, AUTH_CREATE, NULL))
		ops[n++] = UI_OP_NEW;
	ops[n++] = UI_OP_FILTER;
	ops[n++] = UI_OP_SORT;
	ops[n++] = UI_OP_GOTO;
	ops[n++] = UI_OP_BACK;
	ui_keys(l->u, ops, n);
	ui_list_header(l);
	ui_list_draw_rows(l);
}

/* Count the entries of the current order, and the records if total. */
static int
ui_list_count(struct ui_list *l, int total)
{
	struct store_page_order	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	const struct schema_field *f = l->sorts[l->sort];
	int			 ok = 1;

	/* The records of the scope, or of the form. */
	memset(&o, 0, sizeof o);
	ui_list_order(l, &o);
	o.field = o.prefix = NULL;
	o.given = l->given;		/* not the filter's ids */
	o.ids = l->seen;
	o.nids = l->nseen;
	if (total && store_page_count(l->u->st, &o, &l->total, &e) != NCEN_OK)
		ok = 0;
	ui_list_order(l, &o);
	if (ok && f == NULL)
		l->entries = l->total;
	else if (ok && l->filter.len == 0 && f->required && !f->repeated)
		l->entries = l->total;	/* every record has one key */
	else if (ok && store_page_count(l->u->st, &o, &l->entries, &e) !=
	    NCEN_OK)
		ok = 0;
	if (!ok) {
		ui_error(l->u, &e);
		l->entries = 0;
	}
	ncen_err_free(&e);
	return ok;
}


/*
 * Read a page: from START or END, AFTER or BEFORE the page shown, AT a
 * row (a reload, or a number typed) or after skipping to an entry.
 * Moving past an end keeps the page shown.  1 when a page was read.
 */
static int
ui_list_read(struct ui_list *l, enum store_page_from from,
    const struct store_page_row *at, uint64_t skip)
{
	struct store_page_order	 o;
	struct store_page_query	 q;
	struct store_page	 p;
	struct ncen_err		 e = NCEN_ERR_INIT;

	ui_list_order(l, &o);
	memset(&q, 0, sizeof q);
	q.from = from;
	q.skip = skip;
	q.n = (size_t)l->rows;
	q.keep = ui_list_keep;
	q.keeparg = l->u;
	if (from == STORE_PAGE_AFTER)
		at = l->page.n == 0 ? NULL : &l->page.rows[l->page.n - 1];
	else if (from == STORE_PAGE_BEFORE)
		at = l->page.n == 0 ? NULL : &l->page.rows[0];
	if ((from == STORE_PAGE_AFTER || from == STORE_PAGE_BEFORE ||
	    from == STORE_PAGE_AT) && at == NULL)
		return 0;
	q.at = at;
	if (store_page_read(l->u->st, &o, &q, &p, &e) != NCEN_OK) {
		ui_error(l->u, &e);
		ncen_err_free(&e);
		return 0;
	}
	ncen_err_free(&e);
	if (p.n == 0 && (from == STORE_PAGE_AFTER ||
	    from == STORE_PAGE_BEFORE)) {
		store_page_free(&p);
		return 0;
	}
	switch (from) {
	case STORE_PAGE_END:
		l->offset = l->entries > p.n ? l->entries - p.n : 0;
		break;
	case STORE_PAGE_AFTER:
		l->offset += l->page.n;
		break;
	case STORE_PAGE_BEFORE:
		l->offset = l->offset > p.n ? l->offset - p.n : 0;
		break;
	case STORE_PAGE_SKIP:
		l->offset = p.last && l->entries > p.n && skip >
		    l->entries - p.n ? l->entries - p.n : skip;
		break;
	case STORE_PAGE_AT:
		break;		/* a reload: where it was */
	default:
		l->offset = 0;
		break;
	}
	if (p.first)
		l->offset = 0;
	else if (p.last && l->entries >= p.n)
		l->offset = l->entries - p.n;
	store_page_free(&l->page);
	l->page = p;
	if (l->cur >= l->page.n)
		l->cur = l->page.n == 0 ? 0 : l->page.n - 1;
	ui_list_audit(l);
	return 1;
}

/* Rows a page has at this size (the body less the header), columns. */
static void
ui_list_size(struct ui_list *l)
{
	l->rows = ui_body_rows() - 1;
	ui_list_columns(l);
}

/* Start again from the first page of the order (new sort or filter). */
static void
ui_list_restart(struct ui_list *l, int total)
{
	struct store_page_row	at;

	ui_list_columns(l);
	if (total)
		ui_list_scope(l);
	(void)ui_list_spell(l);
	(void)ui_list_count(l, total);
	l->cur = 0;
	if (l->sorts[l->sort] == NULL && l->filter.len != 0) {
		/* Number order: the number typed is where to go. */
		memset(&at, 0, sizeof at);
		at.id = strtoull(buf_cstr(&l->filter), NULL, 10);
		if (ui_list_read(l, STORE_PAGE_AT, &at, 0)) {
			/* About as many records come before it. */
			if (!l->page.first && l->page.n != 0)
				l->offset = l->page.rows[0].id - 1;
			return;
		}
	}
	store_page_free(&l->page);
	(void)ui_list_read(l, STORE_PAGE_START, NULL, 0);
}

/* Read the page shown again from its first row, what is seen afresh. */
static void
ui_list_reload(struct ui_list *l)
{
	struct store_page_row	at;
	size_t			cur = l->cur;

	ui_list_scope(l);
	(void)ui_list_count(l, 1);
	if (l->page.n == 0) {
		(void)ui_list_read(l, STORE_PAGE_START, NULL, 0);
		return;
	}
	memset(&at, 0, sizeof at);
	buf_add(&at.key, l->page.rows[0].key.s, l->page.rows[0].key.len);
	at.id = l->page.rows[0].id;
	if (!ui_list_read(l, STORE_PAGE_AT, &at, 0) || l->page.n == 0)
		(void)ui_list_read(l, STORE_PAGE_START, NULL, 0);
	l->cur = cur < l->page.n ? cur : l->page.n == 0 ? 0 : l->page.n - 1;
	buf_free(&at.key);
}

/* Move the highlight by one row, turning the page at its ends. */
static void
ui_list_move(struct ui_list *l, int by)
{
	size_t	old = l->cur;

	if (by > 0 && l->cur + 1 < l->page.n)
		l->cur++;
	else if (by < 0 && l->cur > 0)
		l->cur--;
	else {
		if ((by > 0 ? l->page.last : l->page.first) ||
		    !ui_list_read(l, by > 0 ? STORE_PAGE_AFTER :
		    STORE_PAGE_BEFORE, NULL, 0)) {
			beep();
			return;
		}
		l->cur = by > 0 ? 0 : l->page.n - 1;
		ui_list_draw_rows(l);
		return;
	}
	/* Only the two rows that changed. */
	ui_list_draw_row(l, old, 0);
	ui_list_draw_row(l, l->cur, 1);
}

/* Turn a page forwards or backwards; Home and End go to the ends. */
static void
ui_list_turn(struct ui_list *l, enum store_page_from from)
{
	if ((from == STORE_PAGE_AFTER && l->page.last) ||
	    (from == STORE_PAGE_BEFORE && l->page.first) ||
	    !ui_list_read(l, from, NULL, 0)) {
		beep();
		return;
	}
	if (from == STORE_PAGE_START)
		l->cur = 0;
	else if (from == STORE_PAGE_END)
		l->cur = l->page.n == 0 ? 0 : l->page.n - 1;
	ui_list_draw_rows(l);
}

/* The number of pages of the order. */
static uint64_t
ui_list_pages(const struct ui_list *l)
{
	return l->entries == 0 ? 1 :
	    (l->entries + (uint64_t)l->rows - 1) / (uint64_t)l->rows;
}

/* ^O: ask for a page number and go there. */
static void
ui_list_goto(struct ui_list *l)
{
	struct buf	 a = BUF_INIT, q = BUF_INIT;
	uint64_t	 pages = ui_list_pages(l), p = 0;
	const char	*s;

	buf_addf(&q, _("Go to page (1-%llu):"), (unsigned long long)pages);
	if (ui_prompt(l->u, buf_cstr(&q), 20, 0, &a) == 1 && a.len != 0) {
		for (s = buf_cstr(&a); *s >= '0' && *s <= '9' &&
		    p < UINT64_MAX / 10; s++)
			p = p * 10 + (uint64_t)(*s - '0');
		if (*s != '\0' || p == 0 || p > pages)
			ui_status_error(l->u, _("There is no page '%s': type a "
			    "number from 1 to %llu."), buf_cstr(&a),
			    (unsigned long long)pages);
		else if (ui_list_read(l, STORE_PAGE_SKIP, NULL,
		    (p - 1) * (uint64_t)l->rows)) {
			l->cur = 0;
			ui_list_draw_rows(l);
		}
	} else
		ui_list_status(l);
	buf_free(&a);
	buf_free(&q);
}

/* A key typed into the filter (or, in number order, the number). */
static void
ui_list_type(struct ui_list *l, const struct ui_keypress *k)
{
	char	mb[MB_LEN_MAX + 1];
	size_t	len;

	if (k->fkey) {
		/* Backspace: take back one character (UTF-8 aware). */
		if (l->filter.len == 0) {
			beep();
			return;
		}
		while (l->filter.len > 0 &&
		    ((unsigned char)l->filter.s[--l->filter.len] & 0xc0) ==
		    0x80)
			;
		l->filter.s[l->filter.len] = '\0';
	} else {
		if (l->sorts[l->sort] == NULL &&
		    (k->key < '0' || k->key > '9')) {
			ui_status_error(l->u, "%s", _("Sorted by number: type "
			    "a number, or ^T to sort by a field to filter."));
			return;
		}
		if (ui_text_width(buf_cstr(&l->filter)) >= UI_LIST_FILTER_MAX ||
		    (len = wcrtomb(mb, (wchar_t)k->key, NULL)) == (size_t)-1) {
			beep();
			return;
		}
		buf_add(&l->filter, mb, len);
	}
	l->filtering = 1;
	l->stale = 1;
	ui_list_status(l);
}

/*
 * Read and draw the rows for the filter typed, once the typist pauses
 * (or another key comes): the typed text shows at once, the rows once.
 */
static void
ui_list_refilter(struct ui_list *l)
{
	if (!l->stale)
		return;
	l->stale = 0;
	ui_list_restart(l, 0);
	if (l->page.n == 0 && l->filter.len != 0 &&
	    l->sorts[l->sort] != NULL)
		beep();
	ui_list_draw_rows(l);
}

/* Whether a key goes into the filter (a character or Backspace). */
static int
ui_list_typing(const struct ui_keypress *k)
{
	if (k->op != UI_OP_NONE)
		return 0;
	if (ui_view_nav(k) == UI_NAV_ERASE)
		return 1;
	return !k->fkey && k->key >= 0x20 && iswprint((wint_t)k->key) &&
	    ui_view_nav(k) == UI_NAV_NONE;
}

/* Open a record (a case goes to the case screen), then read afresh. */
static void
ui_list_open(struct ui_list *l, uint64_t id)
{
	ui_view(l->u, l->entity, id);
	ui_list_reload(l);
	ui_list_draw(l);
}

/* Draw the list again (a ui_common draw). */
static void
ui_list_redraw(void *arg)
{
	ui_list_draw(arg);
}

/* Fit the list to a new terminal size (a ui_common resize). */
static int
ui_list_resize(void *arg)
{
	ui_list_size(arg);
	ui_list_reload(arg);
	return 1;
}

/*
 * Run the list; with pick set, Enter (or a record made with ^N) ends
 * it with 1 and *id; 0 on Back.
 */
static int
ui_list_run(struct ui *u, const char *entity, const char *pick,
    uint64_t *id)
{
	struct ui_list		 l;
	struct ui_keypress	 k;
	const struct ui_common	 common = { N_("Help: list"), ui_list_help,
				     ui_list_redraw, ui_list_resize, &l };
	enum ui_common_res	 c;
	uint64_t		 made;
	int			 done = -1;

	memset(&l, 0, sizeof l);
	l.u = u;
	l.entity = entity;
	l.pick = pick;
	if ((l.form = schema_form_find(u->schema, entity)) == NULL) {
		ui_status_error(u, _("This data directory has no %s form."),
		    entity);
		return 0;
	}
	ui_list_sorts(&l);
	l.newest = strcmp(entity, "case") == 0 &&
	    auth_own_only(u->acct, AUTH_VIEW) != NULL;
	ui_list_size(&l);
	ui_status(u, "%s", "");
	ui_list_restart(&l, 1);
	ui_list_draw(&l);
	while (done < 0) {
		if (l.stale && !ui_key_pause(u, UI_LIST_PAUSE_MS))
			ui_list_refilter(&l);
		ui_key(u, &k);
		if (!ui_list_typing(&k) && k.op != UI_OP_FILTER &&
		    k.op != UI_OP_BACK)
			ui_list_refilter(&l);
		if ((c = ui_common_key(u, &k, &common)) != UI_COMMON_OTHER) {
			if (c == UI_COMMON_BACK)
				done = 0;
			continue;
		}
		switch (k.op) {
		case UI_OP_SORT:
			l.sort = (l.sort + 1) % l.nsorts;
			buf_reset(&l.filter);
			l.filtering = 0;
			ui_list_restart(&l, 0);
			ui_list_draw(&l);
			break;
		case UI_OP_FILTER:
			/* ^F starts a filter, or ends the one typed. */
			if (l.filtering || l.filter.len != 0) {
				l.filtering = 0;
				if (l.filter.len != 0 || l.stale) {
					buf_reset(&l.filter);
					ui_list_restart(&l, 0);
				}
				l.stale = 0;
			} else
				l.filtering = 1;
			ui_list_draw_rows(&l);
			break;
		case UI_OP_GOTO:
			ui_list_goto(&l);
			break;
		case UI_OP_NEW:
			if (!ui_may(u, AUTH_CREATE, NULL)) {
				ui_status_error(u, "%s", _("Your roles may not "
				    "create records."));
				break;
			}
			if (ui_form_edit(u, entity, 0, &made) != 1) {
				ui_list_draw(&l);
				break;
			}
			if (pick != NULL) {
				*id = made;
				done = 1;
				break;
			}
			ui_list_open(&l, made);
			break;
		case UI_OP_NONE:
			switch (ui_view_nav(&k)) {
			case UI_NAV_DOWN:
				ui_list_move(&l, 1);
				break;
			case UI_NAV_UP:
				ui_list_move(&l, -1);
				break;
			case UI_NAV_PGDN:
				ui_list_turn(&l, STORE_PAGE_AFTER);
				break;
			case UI_NAV_PGUP:
				ui_list_turn(&l, STORE_PAGE_BEFORE);
				break;
			case UI_NAV_HOME:
				ui_list_turn(&l, STORE_PAGE_START);
				break;
			case UI_NAV_END:
				ui_list_turn(&l, STORE_PAGE_END);
				break;
			case UI_NAV_ENTER:
				if (l.page.n == 0)
					beep();
				else if (pick != NULL) {
					*id = l.page.rows[l.cur].id;
					done = 1;
				} else
					ui_list_open(&l,
					    l.page.rows[l.cur].id);
				break;
			case UI_NAV_ERASE:
				ui_list_type(&l, &k);
				break;
			default:
				if (!k.fkey && k.key >= 0x20 &&
				    iswprint((wint_t)k.key))
					ui_list_type(&l, &k);
				else
					beep();
				break;
			}
			break;
		default:
			beep();
			break;
		}
	}
	store_page_free(&l.page);
	free(l.seen);
	free(l.sids);
	buf_free(&l.filter);
	erase();
	return done;
}

/* A form's records, paged; Enter opens one. */
void
ui_list(struct ui *u, const char *entity)
{
	(void)ui_list_run(u, entity, NULL, NULL);
}

/* The same list as a chooser: 1 and *id when one is chosen. */
int
ui_list_pick(struct ui *u, const char *entity, const char *title,
    uint64_t *id)
{
	return ui_list_run(u, entity, title != NULL ? title : "", id) == 1;
}
