/*
 * ui-invest.c - an investigation's steps from its record screen (^A):
 * start, suspend, resume, close (with its outcome), reopen, assign an
 * officer picked from the accounts (never typed), unassign one, and
 * read the steps taken.  workflow_inv_apply decides, based on the
 * version the screen read; a refusal is said in its words.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "workflow-inv.h"
#include "xmalloc.h"

#define UI_INVEST_REASON_MAX	500	/* the step form's reason */
#define UI_INVEST_ITEMS		16

/* The accounts that may be assigned, as a code list for the picker. */
struct ui_invest_accounts {
	struct schema_codelist	 list;
	size_t			 cap;
	const struct record	*inv;
	enum schema_lang	 lang;
};

/* Keep an account that may be assigned and is not yet (auth_account_fn). */
static int
ui_invest_account(const struct auth_account *a, void *arg)
{
	struct ui_invest_accounts	*l = arg;
	struct schema_code		*c;
	struct buf			 b = BUF_INIT;
	int				 k;
	size_t				 i;

	if (!workflow_inv_assignable(a))
		return 0;
	k = schema_field_index(l->inv->form, "officers");
	for (i = 0; k >= 0 && i < l->inv->fields[k].n; i++)
		if (strcmp(l->inv->fields[k].v[i], a->name) == 0)
			return 0;
	if (l->list.ncodes == l->cap) {
		l->cap = l->cap == 0 ? 16 : l->cap * 2;
		l->list.codes = xreallocarray(l->list.codes, l->cap,
		    sizeof *l->list.codes);
	}
	c = &l->list.codes[l->list.ncodes++];
	memset(c, 0, sizeof *c);
	c->code = xstrdup(a->name);
	auth_roles_format(a->roles, &b);
	for (i = 0; i < a->noffices; i++)
		buf_addf(&b, "%s%s", i == 0 ? ", " : " ", a->offices[i]);
	for (i = 0; i < SCHEMA_NLANG; i++)
		c->label[i] = xstrdup(buf_cstr(&b));
	buf_free(&b);
	return 0;
}

/* Free the picker's list of accounts. */
static void
ui_invest_accounts_free(struct ui_invest_accounts *l)
{
	size_t	i, j;

	for (i = 0; i < l->list.ncodes; i++) {
		free(l->list.codes[i].code);
		for (j = 0; j < SCHEMA_NLANG; j++)
			free(l->list.codes[i].label[j]);
	}
	free(l->list.codes);
}

/* Order accounts by name (qsort), as a code list is. */
static int
ui_invest_cmp(const void *a, const void *b)
{
	return strcmp(((const struct schema_code *)a)->code,
	    ((const struct schema_code *)b)->code);
}

/* Pick an account to assign: 1 with its name in who, 0 on Back. */
static int
ui_invest_pick_account(struct ui *u, const struct record *r, struct buf *who)
{
	struct ui_invest_accounts	l;
	struct ncen_err			e = NCEN_ERR_INIT;
	int				rc = 0;

	memset(&l, 0, sizeof l);
	l.list.name = (char *)"accounts";
	l.inv = r;
	l.lang = u->lang;
	if (auth_account_list(u->st, ui_invest_account, &l, &e) != NCEN_OK) {
		ui_error(u, &e);
		goto out;
	}
	if (l.list.ncodes == 0) {
		ui_status_error(u, "%s", _("No account can be assigned: every "
		    "officer and supervisor is assigned already, or none is "
		    "usable (ncenctl user list)."));
		goto out;
	}
	qsort(l.list.codes, l.list.ncodes, sizeof *l.list.codes,
	    ui_invest_cmp);
	rc = ui_pick_code(u, &l.list, NULL, who);
out:
	ui_invest_accounts_free(&l);
	ncen_err_free(&e);
	return rc;
}

/* Choose one of the officers assigned: 1 with the name, 0 on Back. */
static int
ui_invest_pick_assigned(struct ui *u, const struct record *r, struct buf *who)
{
	const char	*items[UI_INVEST_ITEMS];
	int		 k = schema_field_index(r->form, "officers"), i;
	size_t		 n = 0;

	for (n = 0; k >= 0 && n < r->fields[k].n && n < UI_INVEST_ITEMS; n++)
		items[n] = r->fields[k].v[n];
	if (n == 0) {
		ui_status_error(u, "%s", _("Nobody is assigned to this "
		    "investigation."));
		return 0;
	}
	if ((i = ui_link_choose(u, _("Unassign which officer?"), items, n)) <
	    0)
		return 0;
	buf_adds(who, items[i]);
	return 1;
}

/* Choose how the investigation is closed: 1 with the status code. */
static int
ui_invest_pick_outcome(struct ui *u, const char **outcome)
{
	const struct schema_codelist	*l;
	const struct schema_code	*c;
	const char			*items[UI_INVEST_ITEMS];
	size_t				 n;
	int				 i;

	l = schema_list_find(u->schema, "investigation_status");
	for (n = 0; workflow_inv_outcomes[n] != NULL; n++) {
		c = l != NULL ? schema_code_find(l, workflow_inv_outcomes[n]) :
		    NULL;
		items[n] = c != NULL ? schema_label(c->label, u->lang) :
		    workflow_inv_outcomes[n];
	}
	if ((i = ui_link_choose(u, _("Closed how?"), items, n)) < 0)
		return 0;
	*outcome = workflow_inv_outcomes[i];
	return 1;
}

/* Append one step of the history to the pager's text (store_record_fn). */
static int
ui_invest_line(const struct record *r, void *arg)
{
	struct buf	*b = arg;
	const char	*from = record_get(r, "from");
	const char	*officer = record_get(r, "officer");
	const char	*reason = record_get(r, "reason");
	const char	*role = record_get(r, "role");

	buf_addf(b, "%s  %s  %s -> %s", record_get(r, "at"),
	    record_get(r, "action"), from != NULL ? from : "-",
	    record_get(r, "to"));
	if (officer != NULL)
		buf_addf(b, " %s", officer);
	buf_addf(b, _("  by %s"), record_get(r, "user"));
	if (role != NULL)
		buf_addf(b, " (%s)", role);
	if (reason != NULL)
		buf_addf(b, ": %s", reason);
	buf_addc(b, '\n');
	return 0;
}

/* The steps an investigation took, in the pager. */
static void
ui_invest_history(struct ui *u, const struct record *r)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 text = BUF_INIT, title = BUF_INIT;
	const char	*num = record_get(r, "number");

	if (workflow_inv_history(u->st, r->id, ui_invest_line, &text, &e) !=
	    NCEN_OK) {
		ui_error(u, &e);
		goto out;
	}
	if (text.len == 0)
		buf_adds(&text, _("No step recorded.\n"));
	buf_addf(&title, _("Steps of investigation %llu %s"),
	    (unsigned long long)r->id, num != NULL ? num : "");
	ui_pager(u, buf_cstr(&title), buf_cstr(&text));
out:
	buf_free(&text);
	buf_free(&title);
	ncen_err_free(&e);
}

/* Take one step: ask what it needs, apply it, say how it went. */
static int
ui_invest_step(struct ui *u, const struct record *r, const char *action)
{
	struct workflow_inv_request	 req;
	struct workflow_inv_result	 res;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 who = BUF_INIT, why = BUF_INIT;
	struct buf			 q = BUF_INIT;
	int				 done = 0;

	memset(&req, 0, sizeof req);
	req.id = r->id;
	req.version = r->version;
	req.action = action;
	req.account = u->acct;
	if (strcmp(action, "assign") == 0 &&
	    ui_invest_pick_account(u, r, &who) != 1)
		goto out;
	if (strcmp(action, "unassign") == 0 &&
	    ui_invest_pick_assigned(u, r, &who) != 1)
		goto out;
	if (strcmp(action, "close") == 0 &&
	    !ui_invest_pick_outcome(u, &req.outcome))
		goto out;
	req.officer = who.len > 0 ? who.s : NULL;
	if (workflow_inv_needs_reason(action)) {
		buf_addf(&q, _("%s: why? "), workflow_inv_action_label(action));
		if (ui_prompt(u, buf_cstr(&q), UI_INVEST_REASON_MAX, 0,
		    &why) != 1 || why.len == 0) {
			ui_status(u, "%s", _("Nothing changed: a reason is "
			    "needed."));
			goto out;
		}
		req.reason = why.s;
	}
	if (workflow_inv_apply(u->st, &req, &res, &e) != NCEN_OK) {
		if (e.code == NCEN_ERECOVER)
			ui_error(u, &e);
		else
			ui_status_error(u, _("Not done: %s"), ncen_err_msg(&e));
		goto out;
	}
	done = 1;
	if (req.officer != NULL)
		ui_status(u, _("Investigation %llu: %s %s (version %u)."),
		    (unsigned long long)r->id, action, req.officer,
		    res.version);
	else
		ui_status(u, _("Investigation %llu is %s now (%s)."),
		    (unsigned long long)r->id, workflow_inv_stage(res.to),
		    res.to);
out:
	buf_free(&who);
	buf_free(&why);
	buf_free(&q);
	ncen_err_free(&e);
	return done;
}

/*
 * ^A on an investigation: choose a step its status allows (or read its
 * steps) and take it; 1 when the investigation changed.
 */
int
ui_invest_action(struct ui *u, const struct record *r)
{
	const char	*items[UI_INVEST_ITEMS], *actions[UI_INVEST_ITEMS];
	size_t		 i, n = 0;
	int		 k;

	k = schema_field_index(r->form, "officers");
	for (i = 0; workflow_inv_actions[i] != NULL; i++)
		if (workflow_inv_can(workflow_inv_actions[i], r) &&
		    (strcmp(workflow_inv_actions[i], "unassign") != 0 ||
		    (k >= 0 && r->fields[k].n > 0))) {
			actions[n] = workflow_inv_actions[i];
			items[n++] = workflow_inv_action_label(
			    workflow_inv_actions[i]);
		}
	actions[n] = NULL;
	items[n++] = _("Steps taken (who, when, why)");
	if ((k = ui_link_choose(u, _("Investigation"), items, n)) < 0)
		return 0;
	if (actions[k] == NULL) {
		ui_invest_history(u, r);
		return 0;
	}
	return ui_invest_step(u, r, actions[k]);
}
