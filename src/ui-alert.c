/*
 * ui-alert.c - Alerts: what the watch list and the rules raised for the
 * signed-in account, newest first, and the main menu's "Alerts (N new)".
 *
 * Enter opens the alert's case (ui_case), ^P the watch entry it came
 * from, ^A records the decision (seen, acted on, dismissed with a
 * reason) in one short transaction (alert_decide).  Only alerts for the
 * account (by name or role) in cases it sees are listed (need to know).
 * The menu's label first checks the cases saved since the last check
 * (alert_drain, a few at a time): the count moves on the next screen
 * change, and nothing is drawn while the officer is idle.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "xmalloc.h"

#define UI_ALERT_DRAIN	50	/* cases checked at a screen change */

struct ui_alert_row {
	uint64_t	 id, caseid, watch;
	char		*raised, *state, *source, *title;
};

/* Where the columns of a row start. */
enum { UI_AL_RAISED = 3, UI_AL_STATE = 20, UI_AL_SOURCE = 31,
    UI_AL_TITLE = 52 };

struct ui_alerts {
	struct ui		*u;
	struct ui_alert_row	*v;
	size_t			 n, cap, fresh;
};

/* The decisions offered, as alert_decide names them. */
static const struct {
	const char	*state;
	const char	*label;		/* N_() */
} ui_alert_decisions[] = {
	{ "SEEN", N_("Seen") },
	{ "ACTED", N_("Acted on") },
	{ "DISMISSED", N_("Dismissed (with a reason)") },
};
#define UI_ALERT_NDECISIONS \
	(sizeof ui_alert_decisions / sizeof ui_alert_decisions[0])

static const char ui_alert_help[] = N_(
    "Alerts: cases that touched an entry of the watch list or met an "
    "analytic rule, for you or your role, newest first.  A star marks a "
    "new one.\n\n"
    "Enter opens the case.  ^P opens the watch entry the alert came "
    "from.  ^A records your decision: seen, acted on, or dismissed with "
    "a reason.  A dismissed alert stays dismissed: the same rule or "
    "watch entry never raises a second alert on the same case.");

/* A field's value copied, "" when empty. */
static char *
ui_alerts_field(const struct record *r, const char *name)
{
	const char	*s = record_get(r, name);

	return xstrdup(s != NULL ? s : "");
}

/* Keep one alert of the account's (store_record_fn). */
static int
ui_alerts_collect(const struct record *r, void *arg)
{
	struct ui_alerts	*m = arg;
	struct ui_alert_row	*row;
	const char		*c = record_get(r, "case");
	const char		*src = record_get(r, "source");

	if (!alert_for(m->u->acct, r) || !ui_sees(m->u, r))
		return 0;
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 32 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	row = &m->v[m->n++];
	row->id = r->id;
	row->caseid = c != NULL ? strtoull(c, NULL, 10) : 0;
	row->watch = src != NULL && strncmp(src, "watch:", 6) == 0 ?
	    strtoull(src + 6, NULL, 10) : 0;
	row->raised = ui_alerts_field(r, "raised");
	row->state = ui_alerts_field(r, "state");
	row->source = ui_alerts_field(r, "source");
	row->title = ui_alerts_field(r, "title");
	if ((row->raised)[0] != '\0' && strlen(row->raised) > 16)
		row->raised[16] = '\0';
	if (row->raised[0] != '\0' && row->raised[10] == 'T')
		row->raised[10] = ' ';
	m->fresh += strcmp(row->state, "NEW") == 0;
	return 0;
}

/* Forget the loaded alerts. */
static void
ui_alerts_clear(struct ui_alerts *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].raised);
		free(m->v[i].state);
		free(m->v[i].source);
		free(m->v[i].title);
	}
	m->n = 0;
	m->fresh = 0;
}

/* (Re)read the alerts, newest first (ui_rows_screen.load). */
static size_t
ui_alerts_load(void *arg)
{
	struct ui_alerts	*m = arg;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ui_alert_row	 t;
	size_t			 i;

	ui_alerts_clear(m);
	if (schema_form_find(m->u->schema, "alert") != NULL &&
	    store_scan(m->u->st, "alert", ui_alerts_collect, m, &e) != NCEN_OK)
		ui_error(m->u, &e);
	ncen_err_free(&e);
	for (i = 0; i < m->n / 2; i++) {
		t = m->v[i];
		m->v[i] = m->v[m->n - 1 - i];
		m->v[m->n - 1 - i] = t;
	}
	return m->n;
}

/* A state code in the reader's words. */
static const char *
ui_alerts_state(const char *code)
{
	if (strcmp(code, "NEW") == 0)
		return _("new");
	if (strcmp(code, "SEEN") == 0)
		return _("seen");
	if (strcmp(code, "ACTED") == 0)
		return _("acted on");
	if (strcmp(code, "DISMISSED") == 0)
		return _("dismissed");
	return code;
}

/* Title, headings and key line (ui_rows_screen.frame). */
static void
ui_alerts_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_ACTION,
	    UI_OP_PICK, UI_OP_BACK };
	struct ui_alerts	*m = arg;
	struct ui		*u = m->u;

	ui_title(u, _("Alerts (%zu, %zu new)"), n, m->fresh);
	attron(A_BOLD);
	ui_text_put(1, UI_AL_RAISED, _("Raised"), UI_AL_STATE - UI_AL_RAISED,
	    1);
	ui_text_put(1, UI_AL_STATE, _("State"), UI_AL_SOURCE - UI_AL_STATE, 1);
	ui_text_put(1, UI_AL_SOURCE, _("From"), UI_AL_TITLE - UI_AL_SOURCE, 1);
	ui_text_put(1, UI_AL_TITLE, _("About"), COLS - UI_AL_TITLE - 1, 0);
	attroff(A_BOLD);
	if (n == 0)
		ui_text_put(2, UI_AL_RAISED, _("No alerts."), COLS - 4, 0);
	ui_keys(u, ops, sizeof ops / sizeof ops[0]);
}

/* One alert's row (ui_rows_screen.item). */
static void
ui_alerts_item(void *arg, size_t i, int y, int sel)
{
	struct ui_alerts	*m = arg;
	struct ui_alert_row	*r = &m->v[i];

	ui_sel(m->u, y, sel);
	mvaddstr(y, 1, strcmp(r->state, "NEW") == 0 ? "* " : "  ");
	ui_text_put(y, UI_AL_RAISED, r->raised, UI_AL_STATE - UI_AL_RAISED,
	    1);
	ui_text_put(y, UI_AL_STATE, ui_alerts_state(r->state),
	    UI_AL_SOURCE - UI_AL_STATE, 1);
	ui_text_put(y, UI_AL_SOURCE, r->source, UI_AL_TITLE - UI_AL_SOURCE,
	    1);
	ui_text_put(y, UI_AL_TITLE, r->title, COLS - UI_AL_TITLE - 1, 1);
	ui_sel_end(m->u, sel);
}

/* Ask for the decision on an alert and record it. */
static void
ui_alerts_decide(struct ui_alerts *m, const struct ui_alert_row *r)
{
	const char	*items[UI_ALERT_NDECISIONS];
	struct buf	 reason = BUF_INIT;
	struct ncen_err	 e = NCEN_ERR_INIT;
	size_t		 i;
	int		 c;

	for (i = 0; i < UI_ALERT_NDECISIONS; i++)
		items[i] = _(ui_alert_decisions[i].label);
	c = ui_link_choose(m->u, _("Decision on the alert"), items,
	    UI_ALERT_NDECISIONS);
	if (c < 0)
		return;
	if (strcmp(ui_alert_decisions[c].state, "DISMISSED") == 0 &&
	    (ui_prompt(m->u, _("Why is it dismissed?"), 400, 0, &reason) !=
	    1 || reason.len == 0)) {
		ui_status_error(m->u, "%s", _("Not dismissed: a dismissed "
		    "alert needs a reason."));
		buf_free(&reason);
		return;
	}
	if (alert_decide(m->u->st, m->u->acct, r->id,
	    ui_alert_decisions[c].state, buf_cstr(&reason), &e) != NCEN_OK)
		ui_error(m->u, &e);
	else
		ui_status(m->u, _("Alert %llu: %s."),
		    (unsigned long long)r->id, items[c]);
	buf_free(&reason);
	ncen_err_free(&e);
}

/* Enter opens the case, ^P the watch entry, ^A decides (act). */
static enum ui_rows_next
ui_alerts_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *rows)
{
	struct ui_alerts	*m = arg;
	struct ui_alert_row	*r;

	if (rows->n == 0)
		return UI_ROWS_STAY;
	r = &m->v[rows->cur];
	if (k->op == UI_OP_ACTION)
		ui_alerts_decide(m, r);
	else if (k->op == UI_OP_PICK) {
		if (r->watch == 0) {
			ui_status(m->u, _("Raised by %s: a rule, not a watch "
			    "entry (ncenctl rules list)."), r->source);
			return UI_ROWS_STAY;
		}
		ui_view(m->u, "watch", r->watch);
	} else if (k->op == UI_OP_NONE && r->caseid != 0)
		ui_case(m->u, r->caseid);
	else
		return UI_ROWS_STAY;
	return UI_ROWS_RELOAD;
}

/* The Alerts screen, until the analyst goes back. */
void
ui_alerts(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: alerts"), ui_alert_help, 2, 1,
		ui_alerts_load, ui_alerts_frame, ui_alerts_item,
		ui_alerts_act,
	};
	struct ui_alerts	m;

	memset(&m, 0, sizeof m);
	m.u = u;
	ui_rows(u, &screen, &m);
	ui_alerts_clear(&m);
	free(m.v);
}

/* The main menu's label: "Alerts (N new)", after checking saved cases. */
void
ui_alerts_label(struct ui *u, struct buf *b)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	uint64_t	n = 0;
	size_t		checked, raised = 0;

	(void)alert_drain(u->st, UI_ALERT_DRAIN, &checked, &raised, &e);
	ncen_err_clear(&e);
	if (alert_count_new(u->st, u->acct, &n, &e) != NCEN_OK || n == 0)
		buf_adds(b, _("Alerts"));
	else
		buf_addf(b, _("Alerts (%llu new)"), (unsigned long long)n);
	ncen_err_free(&e);
}
