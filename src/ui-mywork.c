/*
 * ui-mywork.c - My work: what waits for the signed-in account, one row
 * each: the new alerts raised for it (one row, which opens the Alerts
 * screen), the investigations it is assigned to, its cases a supervisor
 * returned (who returned it and why), and its own drafts.
 *
 * Each kind of work is a row of a table (a source that reads its rows
 * through an index); another kind is another row.  Enter opens the
 * case screen or the investigation.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "workflow.h"
#include "xmalloc.h"

/* Where the columns of a row start. */
enum { UI_W_KIND = 2, UI_W_REF = 16, UI_W_WHAT = 39 };

struct ui_work_row {
	const char	*kind;		/* N_() */
	const char	*entity;
	uint64_t	 id;
	char		*ref, *what;
};

struct ui_work {
	struct ui		*u;
	struct ui_work_row	*v;
	size_t			 n;
	struct buf		 last;	/* a draft's last step, read */
};

static const char ui_work_help[] = N_(
    "My work: the new alerts raised for you, the investigations you are "
    "assigned to, your cases a supervisor returned to you (with the "
    "reason), and your drafts.\n\n"
    "Enter opens one (the alerts row opens the Alerts screen).  A returned case is a draft again: correct it and "
    "submit it (^A on the case screen).");

/* Add a row (ref and what are copied). */
static void
ui_work_add(struct ui_work *w, const char *kind, const char *entity,
    uint64_t id, const char *ref, const char *what)
{
	struct ui_work_row	*r;

	w->v = xreallocarray(w->v, w->n + 1, sizeof *w->v);
	r = &w->v[w->n++];
	r->kind = kind;
	r->entity = entity;
	r->id = id;
	r->ref = xstrdup(ref);
	r->what = xstrdup(what);
}

/* A record's number, or its id when it has none yet (into b). */
static void
ui_work_ref(const struct record *r, struct buf *b)
{
	const char	*v = record_get(r, "number");

	buf_reset(b);
	if (v != NULL && *v != '\0')
		buf_adds(b, v);
	else
		buf_addf(b, "%llu", (unsigned long long)r->id);
}

/* A code's label in the reader's language, else the code (into b). */
static void
ui_work_code(struct ui *u, const struct record *r, const char *name,
    struct buf *b)
{
	const struct schema_field	*f = schema_field_find(r->form, name);
	const struct schema_codelist	*l;
	const struct schema_code	*c;
	const char			*v = record_get(r, name);

	if (v == NULL)
		return;
	if (f != NULL && f->type == SCHEMA_CODE &&
	    (l = schema_list_find(u->schema, f->target)) != NULL &&
	    (c = schema_code_find(l, v)) != NULL)
		buf_adds(b, schema_label(c->label, u->lang));
	else
		buf_adds(b, v);
}

/* An investigation the account is assigned to (store_record_fn). */
static int
ui_work_investigation(const struct record *r, void *arg)
{
	struct ui_work	*w = arg;
	struct buf	 ref = BUF_INIT, what = BUF_INIT;
	const char	*title = record_get(r, "title");
	const char	*st = record_get(r, "status");

	/* A closed one waits for nobody. */
	if (st != NULL && (strncmp(st, "CLOSED", 6) == 0 ||
	    strcmp(st, "REFERRED") == 0))
		return 0;
	ui_work_ref(r, &ref);
	ui_work_code(w->u, r, "status", &what);
	buf_addf(&what, ": %s", title != NULL ? title : "");
	ui_work_add(w, N_("Investigation"), "investigation", r->id, ref.s,
	    what.s);
	buf_free(&ref);
	buf_free(&what);
	return 0;
}

/* Keep the last step of a case (workflow_history's callback). */
static int
ui_work_last_step(const struct record *r, void *arg)
{
	struct ui_work	*w = arg;
	const char	*from = record_get(r, "from");
	const char	*to = record_get(r, "to");
	const char	*user = record_get(r, "user");
	const char	*reason = record_get(r, "reason");

	buf_reset(&w->last);
	/* Back to draft from a later status: a supervisor returned it. */
	if (from != NULL && strcmp(from, WORKFLOW_DRAFT) != 0 &&
	    to != NULL && strcmp(to, WORKFLOW_DRAFT) == 0)
		buf_addf(&w->last, "%s: %s", user != NULL ? user : "",
		    reason != NULL ? reason : "");
	return 0;
}

/* One of the account's own cases: returned, or a draft (record_fn). */
static int
ui_work_case(const struct record *r, void *arg)
{
	struct ui_work	*w = arg;
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 ref = BUF_INIT, what = BUF_INIT;
	const char	*date = record_get(r, "date");

	if (strcmp(workflow_status(r), WORKFLOW_DRAFT) != 0)
		return 0;
	buf_reset(&w->last);
	if (schema_form_find(w->u->schema, WORKFLOW_FORM) != NULL &&
	    workflow_history(w->u->st, r->id, ui_work_last_step, w, &e) !=
	    NCEN_OK)
		ui_error(w->u, &e);
	ncen_err_free(&e);
	ui_work_ref(r, &ref);
	if (w->last.len > 0) {
		buf_adds(&what, buf_cstr(&w->last));
		ui_work_add(w, N_("Returned"), "case", r->id, ref.s, what.s);
	} else {
		buf_addf(&what, "%s %s", date != NULL ? date : "",
		    record_get(r, "office") != NULL ? record_get(r, "office") :
		    "");
		ui_work_add(w, N_("Draft"), "case", r->id, ref.s, what.s);
	}
	buf_free(&ref);
	buf_free(&what);
	return 0;
}

/*
 * The kinds of work, in the order they are shown: each reads its rows
 * through one index keyed by the user name.  New alerts are one row
 * more (ui_work_alerts).
 */
static const struct ui_work_source {
	const char	*entity;
	const char	*field;		/* indexed, holds user names */
	store_record_fn	 fn;
} ui_work_sources[] = {
	{ "investigation", "officers", ui_work_investigation },
	{ "case", AUTH_OWNER_FIELD, ui_work_case },
};
#define UI_WORK_NSRC (sizeof ui_work_sources / sizeof ui_work_sources[0])

/* Forget the rows read. */
static void
ui_work_clear(struct ui_work *w)
{
	size_t	i;

	for (i = 0; i < w->n; i++) {
		free(w->v[i].ref);
		free(w->v[i].what);
	}
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

/* Alerts first, then investigations, returned cases, drafts. */
static int
ui_work_rank(const struct ui_work_row *r)
{
	if (strcmp(r->entity, "alert") == 0)
		return 0;
	if (strcmp(r->kind, N_("Investigation")) == 0)
		return 1;
	return strcmp(r->kind, N_("Returned")) == 0 ? 2 : 3;
}

/* The new alerts raised for the account, as one row (none: no row). */
static void
ui_work_alerts(struct ui_work *w)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 what = BUF_INIT, ref = BUF_INIT;
	uint64_t	 n = 0;

	if (schema_form_find(w->u->schema, "alert") == NULL ||
	    alert_count_new(w->u->st, w->u->acct, &n, &e) != NCEN_OK ||
	    n == 0) {
		ncen_err_free(&e);
		return;
	}
	buf_addf(&ref, "%llu", (unsigned long long)n);
	buf_addf(&what, ngettext_("%llu new alert: Enter opens them",
	    "%llu new alerts: Enter opens them", (unsigned long)n),
	    (unsigned long long)n);
	ui_work_add(w, N_("Alerts"), "alert", 0, ref.s, what.s);
	buf_free(&what);
	buf_free(&ref);
	ncen_err_free(&e);
}

/* Sort rows by rank, newest record first within one (qsort). */
static int
ui_work_cmp(const void *a, const void *b)
{
	const struct ui_work_row	*x = a, *y = b;
	int				 rx = ui_work_rank(x);
	int				 ry = ui_work_rank(y);

	if (rx != ry)
		return rx - ry;
	return x->id > y->id ? -1 : x->id < y->id;
}

/* (Re)read every kind of work (ui_rows_screen.load). */
static size_t
ui_work_load(void *arg)
{
	struct ui_work			*w = arg;
	struct ncen_err			 e = NCEN_ERR_INIT;
	const struct schema_form	*f;
	const struct ui_work_source	*s;
	size_t				 i;

	ui_work_clear(w);
	for (i = 0; i < UI_WORK_NSRC; i++) {
		s = &ui_work_sources[i];
		if ((f = schema_form_find(w->u->schema, s->entity)) == NULL ||
		    schema_field_find(f, s->field) == NULL)
			continue;
		if (store_find(w->u->st, s->entity, s->field,
		    w->u->acct->name, NULL, s->fn, w, &e) != NCEN_OK &&
		    e.code != NCEN_ENOTFOUND)
			ui_error(w->u, &e);
		ncen_err_clear(&e);
	}
	ncen_err_free(&e);
	ui_work_alerts(w);
	if (w->n > 1)
		qsort(w->v, w->n, sizeof *w->v, ui_work_cmp);
	return w->n;
}

/* Title, headings and key line (ui_rows_screen.frame). */
static void
ui_work_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_BACK };
	struct ui_work		*w = arg;

	ui_title(w->u, _("My work (%zu)"), n);
	attron(A_BOLD);
	ui_text_put(1, UI_W_KIND, _("What"), UI_W_REF - UI_W_KIND, 1);
	ui_text_put(1, UI_W_REF, _("Number"), UI_W_WHAT - UI_W_REF, 1);
	ui_text_put(1, UI_W_WHAT, _("Where it stands"), COLS - UI_W_WHAT - 1,
	    0);
	attroff(A_BOLD);
	if (n == 0)
		ui_text_put(2, UI_W_KIND, _("Nothing waits for you."),
		    COLS - 4, 0);
	ui_keys(w->u, ops, sizeof ops / sizeof ops[0]);
}

/* One row (ui_rows_screen.item). */
static void
ui_work_item(void *arg, size_t i, int y, int sel)
{
	struct ui_work		*w = arg;
	struct ui_work_row	*r = &w->v[i];

	ui_sel(w->u, y, sel);
	ui_text_put(y, UI_W_KIND, _(r->kind), UI_W_REF - UI_W_KIND, 1);
	ui_text_put(y, UI_W_REF, r->ref, UI_W_WHAT - UI_W_REF, 1);
	ui_text_put(y, UI_W_WHAT, r->what, COLS - UI_W_WHAT - 1, 1);
	ui_sel_end(w->u, sel);
}

/* Enter opens the selected case or investigation (act). */
static enum ui_rows_next
ui_work_act(void *arg, const struct ui_keypress *k, const struct ui_rows *r)
{
	struct ui_work	*w = arg;

	if (k->op != UI_OP_NONE || r->n == 0)
		return UI_ROWS_STAY;
	if (strcmp(w->v[r->cur].entity, "alert") == 0)
		ui_alerts(w->u);
	else if (strcmp(w->v[r->cur].entity, "case") == 0)
		ui_case(w->u, w->v[r->cur].id);
	else
		ui_view(w->u, w->v[r->cur].entity, w->v[r->cur].id);
	return UI_ROWS_RELOAD;
}

/* My work, until the officer goes back. */
void
ui_mywork(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: my work"), ui_work_help, 2, 1,
		ui_work_load, ui_work_frame, ui_work_item, ui_work_act,
	};
	struct ui_work	w;

	memset(&w, 0, sizeof w);
	w.u = u;
	ui_rows(u, &screen, &w);
	ui_work_clear(&w);
	buf_free(&w.last);
}
