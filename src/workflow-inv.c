/*
 * workflow-inv.c - an investigation's steps, as a table, applied in one
 * transaction with the step record that remembers them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "store-page.h"
#include "validate.h"
#include "workflow-inv.h"
#include "workflow.h"
#include "xmalloc.h"

/* Who may take a step. */
#define WINV_SUPERVISOR	0x01	/* a supervisor of its office */
#define WINV_ASSIGNED	0x02	/* an officer assigned to it */

/* "The status it had": assign and unassign leave the status as it is. */
#define WINV_SAME	"="

/*
 * Every step an investigation may take.  Closing leads to the outcome
 * the actor names (one of workflow_inv_outcomes); every closed status
 * may be reopened, back to active.
 */
static const struct winv_step {
	const char	*action;
	const char	*from;
	const char	*to;		/* NULL: the outcome named */
	unsigned	 who;
	int		 reason;	/* a reason is required */
} winv_steps[] = {
	{ "activate", "NEW", "OPEN", WINV_SUPERVISOR | WINV_ASSIGNED, 0 },
	{ "suspend", "OPEN", "SUSPENDED", WINV_SUPERVISOR | WINV_ASSIGNED, 1 },
	{ "resume", "SUSPENDED", "OPEN", WINV_SUPERVISOR | WINV_ASSIGNED, 0 },
	{ "close", "NEW", NULL, WINV_SUPERVISOR, 1 },
	{ "close", "OPEN", NULL, WINV_SUPERVISOR, 1 },
	{ "close", "SUSPENDED", NULL, WINV_SUPERVISOR, 1 },
	{ "reopen", "CLOSED-RESULT", "OPEN", WINV_SUPERVISOR, 1 },
	{ "reopen", "CLOSED-NFA", "OPEN", WINV_SUPERVISOR, 1 },
	{ "reopen", "REFERRED", "OPEN", WINV_SUPERVISOR, 1 },
	{ "assign", "NEW", WINV_SAME, WINV_SUPERVISOR, 0 },
	{ "assign", "OPEN", WINV_SAME, WINV_SUPERVISOR, 0 },
	{ "assign", "SUSPENDED", WINV_SAME, WINV_SUPERVISOR, 0 },
	{ "unassign", "NEW", WINV_SAME, WINV_SUPERVISOR, 0 },
	{ "unassign", "OPEN", WINV_SAME, WINV_SUPERVISOR, 0 },
	{ "unassign", "SUSPENDED", WINV_SAME, WINV_SUPERVISOR, 0 },
};

/* The actions, in the order a screen offers them. */
const char *const workflow_inv_actions[] = {
	"activate", "suspend", "resume", "close", "reopen", "assign",
	"unassign", NULL
};

/* What each action is called on a screen (translated when shown). */
static const struct {
	const char	*action;
	const char	*label;
} winv_labels[] = {
	{ "activate", N_("Start the investigation (active)") },
	{ "suspend", N_("Suspend it") },
	{ "resume", N_("Resume it (active again)") },
	{ "close", N_("Close it") },
	{ "reopen", N_("Reopen it") },
	{ "assign", N_("Assign an officer") },
	{ "unassign", N_("Unassign an officer") },
};

/* The statuses a close leads to. */
const char *const workflow_inv_outcomes[] = {
	"CLOSED-RESULT", "CLOSED-NFA", "REFERRED", NULL
};

/* Each status's stage, in words (translated when shown). */
static const struct {
	const char	*status;
	const char	*stage;
} winv_stages[] = {
	/* TRANSLATORS: an investigation's stage, in "investigation 3 is
	   %s". */
	{ "NEW", N_("opened") },
	{ "OPEN", N_("active") },
	{ "SUSPENDED", N_("suspended") },
	{ "CLOSED-RESULT", N_("closed") },
	{ "CLOSED-NFA", N_("closed") },
	{ "REFERRED", N_("closed") },
};

#define WINV_NELEM(a) (sizeof (a) / sizeof (a)[0])

/* One workflow_inv_apply() in progress, for its transaction function. */
struct winv_run {
	const struct schema			*schema;
	const struct workflow_inv_request	*req;
	struct workflow_inv_result		*res;
	int64_t					 when;
};

/* The status of an investigation, NEW when it has none (borrowed). */
const char *
workflow_inv_status(const struct record *r)
{
	const char	*s = record_get(r, "status");

	return s == NULL || *s == '\0' ? WORKFLOW_INV_NEW : s;
}

/* A status's stage in the reader's words (an unknown code as it is). */
const char *
workflow_inv_stage(const char *status)
{
	size_t	i;

	for (i = 0; i < WINV_NELEM(winv_stages); i++)
		if (strcmp(status, winv_stages[i].status) == 0)
			return _(winv_stages[i].stage);
	return status;
}

/* The step an action takes from a status, or NULL. */
static const struct winv_step *
winv_find(const char *action, const char *status)
{
	size_t	i;

	for (i = 0; action != NULL && i < WINV_NELEM(winv_steps); i++)
		if (strcmp(winv_steps[i].action, action) == 0 &&
		    strcmp(winv_steps[i].from, status) == 0)
			return &winv_steps[i];
	return NULL;
}

/* Whether an action starts from the investigation's status. */
int
workflow_inv_can(const char *action, const struct record *r)
{
	return winv_find(action, workflow_inv_status(r)) != NULL;
}

/* Whether an action needs a reason. */
int
workflow_inv_needs_reason(const char *action)
{
	size_t	i;

	for (i = 0; action != NULL && i < WINV_NELEM(winv_steps); i++)
		if (strcmp(winv_steps[i].action, action) == 0)
			return winv_steps[i].reason;
	return 0;
}

/* Whether an action is in the table. */
int
workflow_inv_action_known(const char *action)
{
	size_t	i;

	for (i = 0; action != NULL && workflow_inv_actions[i] != NULL; i++)
		if (strcmp(workflow_inv_actions[i], action) == 0)
			return 1;
	return 0;
}

/* What an action is called on a screen, translated. */
const char *
workflow_inv_action_label(const char *action)
{
	size_t	i;

	for (i = 0; i < WINV_NELEM(winv_labels); i++)
		if (strcmp(winv_labels[i].action, action) == 0)
			return _(winv_labels[i].label);
	return action;
}

/* The outcome named, as the table's static string; NULL if it is none. */
static const char *
winv_outcome(const char *status)
{
	size_t	i;

	for (i = 0; status != NULL && workflow_inv_outcomes[i] != NULL; i++)
		if (strcmp(workflow_inv_outcomes[i], status) == 0)
			return workflow_inv_outcomes[i];
	return NULL;
}

/* Whether an account may be assigned to an investigation. */
int
workflow_inv_assignable(const struct auth_account *a)
{
	return a != NULL && !a->disabled && !a->locked &&
	    (a->roles & (AUTH_R_OFFICER | AUTH_R_SUPERVISOR)) != 0;
}

/* Whether a value is among a field's values. */
static int
winv_has(const struct record *r, const char *field, const char *value)
{
	int	k = schema_field_index(r->form, field);
	size_t	i;

	if (k < 0 || value == NULL)
		return 0;
	for (i = 0; i < r->fields[k].n; i++)
		if (strcmp(r->fields[k].v[i], value) == 0)
			return 1;
	return 0;
}

/* Whether the investigation lies in the account's offices. */
static int
winv_in_offices(const struct auth_account *a, const struct record *r)
{
	const char	*office = record_get(r, "office");
	size_t		 i;

	if (a->noffices == 0 || office == NULL || *office == '\0')
		return 1;
	for (i = 0; i < a->noffices; i++)
		if (strcmp(a->offices[i], office) == 0)
			return 1;
	return 0;
}

/* The role in which the account may take the step, or NULL. */
static const char *
winv_role(const struct winv_step *s, const struct auth_account *a,
    const struct record *r)
{
	if (a == NULL || a->disabled)
		return NULL;
	if ((s->who & WINV_SUPERVISOR) && (a->roles & AUTH_R_SUPERVISOR) &&
	    winv_in_offices(a, r))
		return "supervisor";
	if ((s->who & WINV_ASSIGNED) && (a->roles & AUTH_R_OFFICER) &&
	    winv_has(r, "officers", a->name))
		return "officer";
	return NULL;
}

/* Refuse a step in words: "investigation 3 is active: ..."; EINVALID. */
static int
winv_refuse(const struct record *r, const char *text, struct ncen_err *err)
{
	const char	*status = workflow_inv_status(r);

	return ncen_err_set(err, NCEN_EINVALID, _("investigation %llu is %s "
	    "(%s): %s"), (unsigned long long)r->id, workflow_inv_stage(status),
	    status, text);
}

/* The number INV-CC-OFFICE-YYYY-NNNNNN from the office code CCOFFICE. */
void
workflow_inv_number_format(struct buf *b, const char *office, int year,
    unsigned n)
{
	if (strlen(office) > 2)
		buf_addf(b, "INV-%.2s-%s-%04d-%06u", office, office + 2, year,
		    n);
	else
		buf_addf(b, "INV-%s-%04d-%06u", office, year, n);
}

/*
 * Number an investigation that has none once its office and opening
 * date are in: the next of its office and year, read from the number
 * index in the caller's transaction (two supervisors cannot take the
 * same).  A form without an office field (a data directory of form
 * version 1) leaves it unnumbered.
 */
static int
winv_number(struct store_txn *t, struct record *r, struct ncen_err *err)
{
	struct buf	 prefix = BUF_INIT, last = BUF_INIT, num = BUF_INIT;
	const char	*v = record_get(r, "number");
	const char	*office = record_get(r, "office");
	const char	*date = record_get(r, "opened");
	unsigned long	 n = 0;
	size_t		 i;
	int		 year, error;

	if ((v != NULL && *v != '\0') || office == NULL || *office == '\0' ||
	    date == NULL || strlen(date) < 4 ||
	    schema_field_find(r->form, "number") == NULL)
		return NCEN_OK;
	year = atoi(date);
	workflow_inv_number_format(&prefix, office, year, 0);
	prefix.len -= 6;		/* "INV-CC-OFFICE-YYYY-" */
	prefix.s[prefix.len] = '\0';
	error = store_page_last_key(t, r->form->name, "number",
	    buf_cstr(&prefix), &last, err);
	if (error == NCEN_OK) {
		for (i = last.len; i > 0 && last.s[i - 1] >= '0' &&
		    last.s[i - 1] <= '9'; i--)
			;
		n = strtoul(buf_cstr(&last) + i, NULL, 10);
	} else if (error != NCEN_ENOTFOUND)
		goto out;
	ncen_err_clear(err);
	workflow_inv_number_format(&num, office, year, (unsigned)n + 1);
	error = record_set(r, "number", buf_cstr(&num), err);
out:
	buf_free(&prefix);
	buf_free(&last);
	buf_free(&num);
	return error;
}

/* Status NEW and a number for a new investigation (see workflow-inv.h). */
int
workflow_inv_prepare(struct store_txn *t, struct record *r,
    struct ncen_err *err)
{
	const char	*s = record_get(r, "status");
	int		 error;

	if ((s == NULL || *s == '\0') &&
	    (error = record_set(r, "status", WORKFLOW_INV_NEW, err)) !=
	    NCEN_OK)
		return error;
	return winv_number(t, r, err);
}

/* Write a step record inside the caller's transaction. */
static int
winv_note(struct store_txn *t, const struct schema *s, uint64_t id,
    const char *action, const char *from, const char *to,
    const char *officer, const char *user, const char *role, int64_t when,
    const char *reason, uint64_t *step, struct ncen_err *err)
{
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 b = BUF_INIT, problems = BUF_INIT;
	int				 error;

	if ((f = schema_form_find(s, WORKFLOW_INV_FORM)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form, where an investigation's "
		    "steps are kept (copy forms/%s.form into them)"),
		    WORKFLOW_INV_FORM, WORKFLOW_INV_FORM);
	r = record_new(f);
	buf_addf(&b, "%llu", (unsigned long long)id);
	if ((error = record_set(r, "investigation", b.s, err)) != NCEN_OK ||
	    (error = record_set(r, "action", action, err)) != NCEN_OK ||
	    (error = record_set(r, "from", from, err)) != NCEN_OK ||
	    (error = record_set(r, "to", to, err)) != NCEN_OK ||
	    (error = record_set(r, "officer", officer, err)) != NCEN_OK ||
	    (error = record_set(r, "user", user, err)) != NCEN_OK ||
	    (error = record_set(r, "role", role, err)) != NCEN_OK ||
	    (error = record_set(r, "reason", reason != NULL && *reason != '\0' ?
	    reason : NULL, err)) != NCEN_OK)
		goto out;
	if ((error = workflow_step_at(s, r, when, err)) != NCEN_OK)
		goto out;
	/* The investigation is the one being changed: no lookup. */
	if (schema_validate(s, r, SCHEMA_SUBMIT, NULL, NULL, &problems) !=
	    NCEN_OK) {
		error = ncen_err_set(err, NCEN_EINVALID, _("investigation "
		    "%llu: the record of this step is refused: %s"),
		    (unsigned long long)id, buf_cstr(&problems));
		goto out;
	}
	if ((error = store_put(t, r, user, err)) == NCEN_OK && step != NULL)
		*step = r->id;
out:
	record_free(r);
	buf_free(&b);
	buf_free(&problems);
	return error;
}

/* The first step of a new investigation (see workflow-inv.h). */
int
workflow_inv_opened(struct store_txn *t, const struct schema *s,
    const struct record *r, const char *user, const char *role,
    struct ncen_err *err)
{
	if (schema_form_find(s, WORKFLOW_INV_FORM) == NULL)
		return NCEN_OK;
	return winv_note(t, s, r->id, "open", NULL, workflow_inv_status(r),
	    NULL, user, role, (int64_t)time(NULL), NULL, NULL, err);
}

/*
 * Check an officer to assign or unassign against the record and the
 * accounts; change the officers field.
 */
static int
winv_officer(struct winv_run *w, struct store_txn *t, struct record *r,
    struct ncen_err *err)
{
	const char		*who = w->req->officer;
	struct auth_account	*a = NULL;
	struct buf		 text = BUF_INIT;
	char			**keep;
	int			 k, error = NCEN_OK;
	size_t			 i, j, n;

	if (who == NULL || *who == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("investigation %llu: "
		    "no officer named to %s"), (unsigned long long)r->id,
		    w->req->action);
	if ((k = schema_field_index(r->form, "officers")) < 0)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the investigation "
		    "form of this data directory has no officers field"));
	if (strcmp(w->req->action, "unassign") == 0) {
		if (!winv_has(r, "officers", who)) {
			buf_addf(&text, _("%s is not assigned to it"), who);
			error = winv_refuse(r, text.s, err);
			goto out;
		}
		/* The values may live in the record's arena: copy, refill. */
		n = r->fields[k].n;
		keep = xcalloc(n, sizeof *keep);
		for (i = j = 0; i < n; i++)
			if (strcmp(r->fields[k].v[i], who) != 0)
				keep[j++] = xstrdup(r->fields[k].v[i]);
		record_clear_field(r, (size_t)k);
		for (i = 0; i < j; i++) {
			record_add_value(r, (size_t)k, keep[i]);
			free(keep[i]);
		}
		free(keep);
		goto out;
	}
	if (winv_has(r, "officers", who)) {
		buf_addf(&text, _("%s is already assigned to it"), who);
		error = winv_refuse(r, text.s, err);
		goto out;
	}
	error = auth_account_txn_get(t, who, 0, &a, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		buf_addf(&text, _("'%s' is no account (ncenctl user list)"),
		    who);
		error = winv_refuse(r, text.s, err);
		goto out;
	}
	if (error != NCEN_OK)
		goto out;
	if (!workflow_inv_assignable(a)) {
		buf_addf(&text, _("the account %s cannot be assigned (disabled, "
		    "locked, or neither officer nor supervisor)"), who);
		error = winv_refuse(r, text.s, err);
		goto out;
	}
	record_add_value(r, (size_t)k, who);
out:
	auth_account_free(a);
	buf_free(&text);
	return error;
}

/* Refuse a step based on a version that is no longer current. */
static int
winv_conflict(const struct record *r, uint32_t based, struct ncen_err *err)
{
	struct buf	when = BUF_INIT;
	int		error;

	workflow_datetime(&when, r->mtime);
	error = ncen_err_set(err, NCEN_ECONFLICT, _("investigation %llu was "
	    "changed by %s at %s UTC (version %u) after you opened version "
	    "%u; look at it again"), (unsigned long long)r->id,
	    r->muser != NULL ? r->muser : _("someone"), when.s, r->version,
	    based);
	buf_free(&when);
	return error;
}

/* Refuse an action that does not start from the status: say which do. */
static int
winv_refuse_status(const struct record *r, const char *action,
    struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	size_t		i, n = 0;
	int		error;

	buf_addf(&b, _("only an investigation that is "));
	for (i = 0; i < WINV_NELEM(winv_steps); i++)
		if (strcmp(winv_steps[i].action, action) == 0)
			buf_addf(&b, "%s%s", n++ == 0 ? "" : ", ",
			    winv_steps[i].from);
	buf_addf(&b, _(" can take the step %s"), action);
	error = winv_refuse(r, b.s, err);
	buf_free(&b);
	return error;
}

/* The transaction of workflow_inv_apply(): read, check, write, remember. */
static int
winv_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct winv_run				*w = arg;
	const struct workflow_inv_request	*req = w->req;
	const struct winv_step			*s;
	struct record				*r = NULL;
	struct buf				 b = BUF_INIT, rec = BUF_INIT;
	struct buf				 act = BUF_INIT;
	const char				*from, *to, *role;
	int					 staff, error;

	memset(w->res, 0, sizeof *w->res);
	if ((error = store_txn_get(t, WORKFLOW_INV_ENTITY, req->id, &r,
	    err)) != NCEN_OK)
		return error;
	if (req->version != 0 && r->version != req->version) {
		error = winv_conflict(r, req->version, err);
		goto out;
	}
	if ((s = winv_find(req->action, workflow_inv_status(r))) == NULL) {
		error = winv_refuse_status(r, req->action, err);
		goto out;
	}
	from = s->from;
	if ((role = winv_role(s, req->account, r)) == NULL) {
		buf_addf(&b, (s->who & WINV_ASSIGNED) ? _("only a supervisor of "
		    "its office or an officer assigned to it can take the step "
		    "%s, and %s is neither") : _("only a supervisor of its "
		    "office can take the step %s, and %s is not one"),
		    req->action, req->account->name);
		error = winv_refuse(r, b.s, err);
		goto out;
	}
	if (s->reason && (req->reason == NULL || *req->reason == '\0')) {
		buf_addf(&b, _("the step %s needs a reason"), req->action);
		error = winv_refuse(r, b.s, err);
		goto out;
	}
	if (s->to == NULL && winv_outcome(req->outcome) == NULL) {
		buf_addf(&b, _("closing it needs an outcome: CLOSED-RESULT, "
		    "CLOSED-NFA or REFERRED, not '%s'"), req->outcome != NULL ?
		    req->outcome : "");
		error = winv_refuse(r, b.s, err);
		goto out;
	}
	staff = s->to != NULL && strcmp(s->to, WINV_SAME) == 0;
	to = s->to == NULL ? winv_outcome(req->outcome) : staff ? from : s->to;
	if (staff &&
	    (error = winv_officer(w, t, r, err)) != NCEN_OK)
		goto out;
	if ((error = winv_number(t, r, err)) != NCEN_OK ||
	    (error = record_set(r, "status", to, err)) != NCEN_OK)
		goto out;
	/* Closing dates it; reopening takes the date away. */
	if (schema_field_find(r->form, "closed") != NULL) {
		buf_reset(&b);
		workflow_datetime(&b, w->when);
		b.len = 10;
		b.s[10] = '\0';
		if (strcmp(req->action, "close") == 0)
			error = record_set(r, "closed", b.s, err);
		else if (strcmp(req->action, "reopen") == 0)
			error = record_set(r, "closed", NULL, err);
		if (error != NCEN_OK)
			goto out;
	}
	if ((error = store_update(t, r, req->account->name, err)) != NCEN_OK ||
	    (error = winv_note(t, w->schema, r->id, req->action, from, to,
	    staff ? req->officer : NULL, req->account->name, role, w->when,
	    req->reason,
	    &w->res->step, err)) != NCEN_OK)
		goto out;
	buf_reset(&b);
	buf_addf(&b, "%s -> %s", from, to);
	if (staff)
		buf_addf(&b, " %s", req->officer);
	buf_addf(&rec, "investigation:%llu", (unsigned long long)r->id);
	buf_addf(&act, "investigation.%s", req->action);
	if ((error = audit_append(t, req->account->name, act.s, rec.s, b.s,
	    err)) != NCEN_OK)
		goto out;
	w->res->from = from;
	w->res->to = to;
	w->res->version = r->version;
out:
	record_free(r);
	buf_free(&b);
	buf_free(&rec);
	buf_free(&act);
	return error;
}

/* Take one step of an investigation's workflow (see workflow-inv.h). */
int
workflow_inv_apply(struct store *st, const struct workflow_inv_request *req,
    struct workflow_inv_result *res, struct ncen_err *err)
{
	struct workflow_inv_result	dummy;
	struct winv_run			w;

	if (res == NULL)
		res = &dummy;
	memset(res, 0, sizeof *res);
	if (!workflow_inv_action_known(req->action))
		return ncen_err_set(err, NCEN_EUSAGE, _("unknown step '%s' "
		    "(activate, suspend, resume, close, reopen, assign or "
		    "unassign)"), req->action != NULL ? req->action : "");
	if (req->account == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("investigation %llu: "
		    "no account named for the step"),
		    (unsigned long long)req->id);
	if (schema_form_find(store_schema(st), WORKFLOW_INV_FORM) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form, where an investigation's "
		    "steps are kept (copy forms/%s.form into them)"),
		    WORKFLOW_INV_FORM, WORKFLOW_INV_FORM);
	w.schema = store_schema(st);
	w.req = req;
	w.res = res;
	w.when = req->when != 0 ? req->when : (int64_t)time(NULL);
	return store_run(st, winv_txn, &w, err);
}

/* The steps of an investigation in the order they were made. */
int
workflow_inv_history(struct store *st, uint64_t id, store_record_fn fn,
    void *arg, struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	int		error;

	if (schema_form_find(store_schema(st), WORKFLOW_INV_FORM) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form: no steps are kept"),
		    WORKFLOW_INV_FORM);
	buf_addf(&b, "%llu", (unsigned long long)id);
	error = store_find(st, WORKFLOW_INV_FORM, "investigation", b.s, NULL,
	    fn, arg, err);
	buf_free(&b);
	return error;
}
