/*
 * ui-queue.c - the supervisor's queue: the submitted cases a supervisor
 * may validate (those of the offices the account is limited to, all
 * when it has no limit), oldest submission first, and the main menu's
 * "Cases to validate (N)" label.
 *
 * Enter opens the case screen to read it whole; ^A validates the
 * selected case or returns it to its officer with a reason (the
 * workflow's reopen from submitted, which My work shows the officer),
 * as workflow_apply decides, based on the version the queue read.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "workflow.h"
#include "xmalloc.h"

/* Where the columns of a row start. */
enum { UI_Q_NUM = 2, UI_Q_DATE = 26, UI_Q_OFFICE = 38, UI_Q_WHO = 48,
    UI_Q_WHEN = 62 };

struct ui_queue_row {
	uint64_t	 id;
	uint32_t	 version;
	int64_t		 submitted;	/* the case's last change: its step */
	char		*number, *date, *office, *officer;
};

struct ui_queue {
	struct ui		*u;
	struct ui_queue_row	*v;
	size_t			 n;
};

static const char ui_queue_help[] = N_(
    "Cases to validate: the submitted cases of your offices, the one "
    "waiting longest first.\n\n"
    "Enter opens a case to read it whole.  ^A validates the selected "
    "case, or returns it to its officer with a reason: the officer finds "
    "it in My work, corrects it and submits it again.");

/* Keep a submitted case the account may validate (store_record_fn). */
static int
ui_queue_collect(const struct record *r, void *arg)
{
	struct ui_queue		*q = arg;
	struct ui_queue_row	*row;
	const char		*v;

	if (!ui_sees(q->u, r) || !ui_may(q->u, AUTH_VALIDATE, r))
		return 0;
	q->v = xreallocarray(q->v, q->n + 1, sizeof *q->v);
	row = &q->v[q->n++];
	row->id = r->id;
	row->version = r->version;
	row->submitted = r->mtime;
	v = record_get(r, "number");
	row->number = xstrdup(v != NULL ? v : "");
	v = record_get(r, "date");
	row->date = xstrdup(v != NULL ? v : "");
	v = record_get(r, "office");
	row->office = xstrdup(v != NULL ? v : "");
	v = record_get(r, "officer");
	row->officer = xstrdup(v != NULL ? v : "");
	return 0;
}

/* Oldest submission first, then by id (qsort). */
static int
ui_queue_cmp(const void *a, const void *b)
{
	const struct ui_queue_row	*x = a, *y = b;

	if (x->submitted != y->submitted)
		return x->submitted < y->submitted ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Forget the rows read. */
static void
ui_queue_clear(struct ui_queue *q)
{
	size_t	i;

	for (i = 0; i < q->n; i++) {
		free(q->v[i].number);
		free(q->v[i].date);
		free(q->v[i].office);
		free(q->v[i].officer);
	}
	free(q->v);
	q->v = NULL;
	q->n = 0;
}

/* Read the queue through the status index; errors on the status line. */
static size_t
ui_queue_read(struct ui_queue *q)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	ui_queue_clear(q);
	if (store_find(q->u->st, "case", "status", "submitted", NULL,
	    ui_queue_collect, q, &e) != NCEN_OK && e.code != NCEN_ENOTFOUND)
		ui_error(q->u, &e);
	ncen_err_free(&e);
	if (q->n > 1)
		qsort(q->v, q->n, sizeof *q->v, ui_queue_cmp);
	return q->n;
}

/* (Re)read the queue (ui_rows_screen.load). */
static size_t
ui_queue_load(void *arg)
{
	return ui_queue_read(arg);
}

/* Title, headings and key line (ui_rows_screen.frame). */
static void
ui_queue_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_ACTION,
	    UI_OP_BACK };
	struct ui_queue		*q = arg;

	ui_title(q->u, _("Cases to validate (%zu)"), n);
	attron(A_BOLD);
	ui_text_put(1, UI_Q_NUM, _("Case"), UI_Q_DATE - UI_Q_NUM, 1);
	ui_text_put(1, UI_Q_DATE, _("Date"), UI_Q_OFFICE - UI_Q_DATE, 1);
	ui_text_put(1, UI_Q_OFFICE, _("Office"), UI_Q_WHO - UI_Q_OFFICE, 1);
	ui_text_put(1, UI_Q_WHO, _("Officer"), UI_Q_WHEN - UI_Q_WHO, 1);
	ui_text_put(1, UI_Q_WHEN, _("Submitted (UTC)"), COLS - UI_Q_WHEN - 1,
	    0);
	attroff(A_BOLD);
	if (n == 0)
		ui_text_put(2, UI_Q_NUM, _("No case waits for validation."),
		    COLS - 4, 0);
	ui_keys(q->u, ops, sizeof ops / sizeof ops[0]);
}

/* One case's row (ui_rows_screen.item). */
static void
ui_queue_item(void *arg, size_t i, int y, int sel)
{
	struct ui_queue		*q = arg;
	struct ui_queue_row	*r = &q->v[i];
	struct buf		 num = BUF_INIT;
	char			 when[32];
	time_t			 t = (time_t)r->submitted;
	struct tm		 tm;

	if (*r->number != '\0')
		buf_adds(&num, r->number);
	else
		buf_addf(&num, "%llu", (unsigned long long)r->id);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm) == 0)
		when[0] = '\0';
	ui_sel(q->u, y, sel);
	ui_text_put(y, UI_Q_NUM, num.s, UI_Q_DATE - UI_Q_NUM, 1);
	ui_text_put(y, UI_Q_DATE, r->date, UI_Q_OFFICE - UI_Q_DATE, 1);
	ui_text_put(y, UI_Q_OFFICE, r->office, UI_Q_WHO - UI_Q_OFFICE, 1);
	ui_text_put(y, UI_Q_WHO, r->officer, UI_Q_WHEN - UI_Q_WHO, 1);
	ui_text_put(y, UI_Q_WHEN, when, COLS - UI_Q_WHEN - 1, 1);
	ui_sel_end(q->u, sel);
	buf_free(&num);
}

/* ^A: validate the selected case, or return it with a reason. */
static void
ui_queue_act(struct ui_queue *q, size_t cur)
{
	const char		*labels[2];
	struct workflow_request	 req;
	struct workflow_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 reason = BUF_INIT;
	int			 k;

	labels[0] = _("Validate");
	labels[1] = _("Return to the officer (give a reason)");
	if ((k = ui_link_choose(q->u, _("Workflow step"), labels, 2)) < 0)
		return;
	if (k == 1 && (!ui_prompt(q->u, _("Why? "), 500, 0, &reason) ||
	    reason.len == 0)) {
		ui_status(q->u, "%s", _("Nothing was done: a reason is "
		    "needed."));
		buf_free(&reason);
		return;
	}
	memset(&req, 0, sizeof req);
	req.case_id = q->v[cur].id;
	req.version = q->v[cur].version;
	req.action = k == 0 ? "validate" : "reopen";
	req.user = q->u->acct->name;
	req.account = q->u->acct;
	req.reason = k == 1 ? buf_cstr(&reason) : NULL;
	req.lines = 1;
	if (workflow_apply(q->u->st, &req, &res, &e) != NCEN_OK) {
		if (res.refusal == WORKFLOW_INCOMPLETE)
			ui_pager(q->u, _("Why the case is not complete"),
			    buf_cstr(&e.msg));
		ui_error(q->u, &e);
	} else if (k == 0)
		ui_status(q->u, _("Case %llu validated."),
		    (unsigned long long)req.case_id);
	else
		ui_status(q->u, _("Case %llu returned to its officer."),
		    (unsigned long long)req.case_id);
	ncen_err_free(&e);
	buf_free(&reason);
}

/* Enter opens the case, ^A takes a step (act). */
static enum ui_rows_next
ui_queue_rows_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *r)
{
	struct ui_queue	*q = arg;

	if (r->n == 0)
		return UI_ROWS_STAY;
	if (k->op == UI_OP_ACTION)
		ui_queue_act(q, r->cur);
	else if (k->op == UI_OP_NONE)
		ui_case(q->u, q->v[r->cur].id);
	else
		return UI_ROWS_STAY;
	return UI_ROWS_RELOAD;
}

/* The supervisor's queue, until the supervisor goes back. */
void
ui_queue(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: cases to validate"), ui_queue_help, 2, 1,
		ui_queue_load, ui_queue_frame, ui_queue_item,
		ui_queue_rows_act,
	};
	struct ui_queue	q;

	memset(&q, 0, sizeof q);
	q.u = u;
	ui_rows(u, &screen, &q);
	ui_queue_clear(&q);
}

/* The main menu's label: "Cases to validate (N)". */
void
ui_queue_label(struct ui *u, struct buf *b)
{
	struct ui_queue	q;

	memset(&q, 0, sizeof q);
	q.u = u;
	buf_addf(b, _("Cases to validate (%zu)"), ui_queue_read(&q));
	ui_queue_clear(&q);
}
