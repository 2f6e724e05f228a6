/*
 * ui-retention.c - Retention review: for supervisors (AUTH_RETENTION),
 * the records whose retention period is over (retention.h), one a
 * line; Enter opens one, ^A applies the period (delete or anonymise) to
 * the selected record or to every record listed, after a question.
 *
 * The list is what retention_due_list() says for the signed-in account
 * (a supervisor limited to offices sees the cases of those offices);
 * applying goes through retention_apply(), each record in its own
 * transaction, audited and withdrawn from partners by the store's
 * change hooks that ncen attaches at sign-in.  Nothing nominal is shown
 * here: the record itself is one Enter away, where its display is
 * audited.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "retention.h"
#include "schema.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"

struct ui_retention {
	struct ui		*u;
	struct retention_list	 l;
	int64_t			 now;
};

static const char ui_retention_help[] = N_(
    "Retention review: the records whose retention period is over, as "
    "the forms' retain lines set it (for example a person ten years after "
    "the last of its cases closed).  Each line gives the record, what "
    "happens to it (delete, or anonymise: its nominal fields are emptied "
    "and the record is kept for statistics), why it is due and since "
    "when.\n\n"
    "Enter opens the record.  ^A applies the retention period to the "
    "selected record or to every record listed, after a question: "
    "deleted and anonymised records cannot be brought back.  Each is "
    "audited, attachments go with their record, and a deleted case is "
    "withdrawn from the partners that hold it.  A record changed since "
    "the list was read (edited, or linked to an open case) is left as "
    "it is.  ^L reads the list again.");

/* A date (UTC) as YYYY-MM-DD. */
static void
ui_retention_date(int64_t t, struct buf *b)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		s[16];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%d", &tm) == 0)
		buf_addf(b, "%lld", (long long)t);
	else
		buf_adds(b, s);
}

/* What happens to a record, in words. */
static const char *
ui_retention_action(enum schema_retain_action a)
{
	return a == SCHEMA_RETAIN_ANONYMISE ? _("anonymise") : _("delete");
}

/* "Person 7": the form's label in the reader's language and the id. */
static void
ui_retention_name(struct ui *u, const struct retention_due *d,
    struct buf *b)
{
	const struct schema_form	*f = schema_form_find(u->schema,
					    d->entity);

	buf_addf(b, "%s %llu", f != NULL ? schema_label(f->label, u->lang) :
	    d->entity, (unsigned long long)d->id);
}

/* (Re)read what is due (ui_rows_screen.load). */
static size_t
ui_retention_load(void *arg)
{
	struct ui_retention	*r = arg;
	struct ncen_err		 e = NCEN_ERR_INIT;

	retention_list_free(&r->l);
	r->now = retention_now();
	if (retention_due_list(r->u->st, r->u->acct, NULL, r->now, &r->l,
	    &e) != NCEN_OK)
		ui_error(r->u, &e);
	ncen_err_free(&e);
	return r->l.n;
}

/* Title, headings, "nothing due" and key line (ui_rows_screen.frame). */
static void
ui_retention_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_ACTION,
	    UI_OP_REDRAW, UI_OP_BACK };
	struct ui_retention	*r = arg;
	struct buf		 b = BUF_INIT;

	ui_title(r->u, _("Retention review (%zu due)"), n);
	/* TRANSLATORS: column headings, at columns 2, 26 and 38. */
	buf_addf(&b, "%-24s%-12s%s", _("Record"), _("Action"),
	    _("Why, since"));
	ui_text_put(1, 2, buf_cstr(&b), COLS - 3, 1);
	if (n == 0)
		ui_text_put(3, 2, _("Nothing is due: no record's retention "
		    "period is over."), COLS - 3, 0);
	ui_keys(r->u, ops, sizeof ops / sizeof ops[0]);
	buf_free(&b);
}

/* Draw one due record on a row (ui_rows_screen.item). */
static void
ui_retention_item(void *arg, size_t i, int y, int sel)
{
	struct ui_retention		*r = arg;
	const struct retention_due	*d = &r->l.v[i];
	struct buf			 b = BUF_INIT;

	ui_sel(r->u, y, sel);
	ui_retention_name(r->u, d, &b);
	ui_text_put(y, 2, buf_cstr(&b), 23, 1);
	ui_text_put(y, 26, ui_retention_action(d->action), 11, 1);
	buf_reset(&b);
	buf_adds(&b, _(retention_why_text(d->why)));
	if (d->ncases > 1)
		buf_addf(&b, _(" (%zu)"), d->ncases);
	buf_adds(&b, ", ");
	ui_retention_date(d->since, &b);
	ui_text_put(y, 38, buf_cstr(&b), COLS - 39, 1);
	ui_sel_end(r->u, sel);
	buf_free(&b);
}

/* Apply one due record; 1 done, 0 skipped (changed since), -1 failed. */
static int
ui_retention_one(struct ui_retention *r, const struct retention_due *d)
{
	struct retention_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	int			 error, done;

	error = retention_apply(r->u->st, r->u->acct, d, r->u->acct->name,
	    r->now, &res, &e);
	if (error == NCEN_OK)
		done = 1;
	else if (error == NCEN_ECONFLICT || error == NCEN_ENOTFOUND ||
	    error == NCEN_EINVALID)
		done = 0;
	else {
		ui_error(r->u, &e);
		done = -1;
	}
	ncen_err_free(&e);
	return done;
}

/* Apply the selected record, after a question. */
static void
ui_retention_selected(struct ui_retention *r, size_t cur)
{
	const struct retention_due	*d = &r->l.v[cur];
	struct buf			 q = BUF_INIT, name = BUF_INIT;
	int				 done;

	ui_retention_name(r->u, d, &name);
	if (d->action == SCHEMA_RETAIN_ANONYMISE)
		buf_addf(&q, _("Anonymise %s now? It cannot be undone. "
		    "(y/n)"), buf_cstr(&name));
	else
		buf_addf(&q, _("Delete %s now? It cannot be undone. (y/n)"),
		    buf_cstr(&name));
	if (!ui_confirm(r->u, buf_cstr(&q)))
		goto out;
	done = ui_retention_one(r, d);
	if (done == 1)
		ui_status(r->u, d->action == SCHEMA_RETAIN_ANONYMISE ?
		    _("%s anonymised.") : _("%s deleted."), buf_cstr(&name));
	else if (done == 0)
		ui_status_error(r->u, _("%s was left as it is: it changed "
		    "since the list was read."), buf_cstr(&name));
out:
	buf_free(&q);
	buf_free(&name);
}

/* Apply every record listed, after a question. */
static void
ui_retention_all(struct ui_retention *r)
{
	struct buf	q = BUF_INIT;
	size_t		i, applied = 0, skipped = 0;
	int		done = 0;

	buf_addf(&q, ngettext_("Apply retention to the %zu record listed? "
	    "It cannot be undone. (y/n)", "Apply retention to the %zu "
	    "records listed? It cannot be undone. (y/n)", r->l.n), r->l.n);
	if (!ui_confirm(r->u, buf_cstr(&q)))
		goto out;
	for (i = 0; i < r->l.n && done >= 0; i++) {
		if ((done = ui_retention_one(r, &r->l.v[i])) == 1)
			applied++;
		else if (done == 0)
			skipped++;
	}
	if (done >= 0)
		ui_status(r->u, _("%zu applied, %zu left as they were."),
		    applied, skipped);
out:
	buf_free(&q);
}

/* Enter opens the record, ^A applies (ui_rows_screen.act). */
static enum ui_rows_next
ui_retention_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *rows)
{
	struct ui_retention	*r = arg;
	const char		*what[2];
	int			 c;

	if (k->op == UI_OP_NONE) {
		ui_view(r->u, r->l.v[rows->cur].entity, r->l.v[rows->cur].id);
		return UI_ROWS_RELOAD;
	}
	if (k->op != UI_OP_ACTION)
		return UI_ROWS_STAY;
	if (rows->n == 0) {
		beep();
		return UI_ROWS_STAY;
	}
	what[0] = _("Apply to the selected record");
	what[1] = _("Apply to every record listed");
	if ((c = ui_link_choose(r->u, _("Retention"), what, 2)) == 0)
		ui_retention_selected(r, rows->cur);
	else if (c == 1)
		ui_retention_all(r);
	return UI_ROWS_RELOAD;
}

/* The Retention review screen, until the supervisor goes back. */
void
ui_retention(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: retention review"), ui_retention_help, 2, 1,
		ui_retention_load, ui_retention_frame, ui_retention_item,
		ui_retention_act,
	};
	struct ui_retention	r;

	memset(&r, 0, sizeof r);
	r.u = u;
	retention_policy_env();
	ui_rows(u, &screen, &r);
	retention_list_free(&r.l);
}
