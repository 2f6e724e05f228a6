/*
 * workflow.c - a case's status steps, as a table, applied in one
 * transaction with the transition record that remembers them.
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
#include "store-kv.h"
#include "store.h"
#include "store-page.h"
#include "validate.h"
#include "workflow.h"

#define WORKFLOW_R_OFFICER	0x01
#define WORKFLOW_R_SUPERVISOR	0x02
#define WORKFLOW_R_ANALYST	0x04
#define WORKFLOW_R_NCP		0x08
#define WORKFLOW_R_ADMIN	0x10

/* The roles until accounts land, with the article a message needs. */
static const struct {
	const char	*name;
	const char	*with_article;	/* translated when shown */
	unsigned	 bit;
} workflow_roles[] = {
	{ "officer",	N_("an officer"),	WORKFLOW_R_OFFICER },
	{ "supervisor",	N_("a supervisor"),	WORKFLOW_R_SUPERVISOR },
	{ "analyst",	N_("an analyst"),	WORKFLOW_R_ANALYST },
	{ "ncp",	N_("an ncp"),		WORKFLOW_R_NCP },
	{ "admin",	N_("an admin"),		WORKFLOW_R_ADMIN },
};

/*
 * The actions and the sentences of their refusals, whole so that a
 * language can put the words in its own order (translated when shown).
 */
static const struct {
	const char	*name;
	const char	*only_from;	/* the statuses it starts from */
	const char	*only_who;	/* the roles that may take it */
	const char	*incomplete;	/* what the form still lacks */
	const char	*reason;	/* the step needs a reason */
	const char	*again;		/* the end of a conflict message */
} workflow_actions[] = {
	{ "submit", N_("only a %s case can be submitted"),
	  N_("only %s can submit it"),
	  N_("it cannot be submitted until it is complete: %s"),
	  N_("submitting it needs a reason"),
	  N_("look at it again before you submit it") },
	{ "validate", N_("only a %s case can be validated"),
	  N_("only %s can validate it"),
	  N_("it cannot be validated until it is complete: %s"),
	  N_("validating it needs a reason"),
	  N_("look at it again before you validate it") },
	{ "close", N_("only a %s case can be closed"),
	  N_("only %s can close it"),
	  N_("it cannot be closed until it is complete: %s"),
	  N_("closing it needs a reason"),
	  N_("look at it again before you close it") },
	{ "reopen", N_("only a %s case can be reopened"),
	  N_("only %s can reopen it"),
	  N_("it cannot be reopened until it is complete: %s"),
	  N_("reopening it needs a reason"),
	  N_("look at it again before you reopen it") },
};

/*
 * Every step a case may take.  Reopening goes back to draft from any
 * status after it, so what changes is submitted and validated again
 * before it is shared.
 */
static const struct workflow_step {
	const char	*action;
	const char	*from;
	const char	*to;
	unsigned	 roles;
	int		 reason;	/* a reason is required */
	int		 check;		/* must pass SCHEMA_SUBMIT */
} workflow_steps[] = {
	{ "submit", "draft", "submitted",
	  WORKFLOW_R_OFFICER | WORKFLOW_R_SUPERVISOR, 0, 1 },
	{ "validate", "submitted", "validated", WORKFLOW_R_SUPERVISOR, 0, 1 },
	{ "close", "validated", "closed", WORKFLOW_R_SUPERVISOR, 0, 0 },
	{ "reopen", "submitted", "draft", WORKFLOW_R_SUPERVISOR, 1, 0 },
	{ "reopen", "validated", "draft", WORKFLOW_R_SUPERVISOR, 1, 0 },
	{ "reopen", "closed", "draft", WORKFLOW_R_SUPERVISOR, 1, 0 },
};

/*
 * The statuses in words, for messages: the stored codes are English,
 * what a person reads is translated.
 */
static const char *const workflow_status_words[] = {
	/* TRANSLATORS: a case's status, in "case 3 is %s" and in "only
	   a %s case can be submitted" (a list of them joined by "or"). */
	N_("draft"), N_("submitted"), N_("validated"), N_("closed"),
};

/* Statuses a case may be shared in (see workflow.h). */
static const char *workflow_shared[] = { "validated", "closed" };

#define WORKFLOW_HOOKS	4

/* The step hooks (workflow_step_hook), in the order added. */
static workflow_step_fn	 workflow_hooks[WORKFLOW_HOOKS];
static size_t		 workflow_nhooks;

#define WORKFLOW_NELEM(a) (sizeof (a) / sizeof (a)[0])

/* Where the four-eyes setting is kept (store-kv.h, the node's state). */
#define WORKFLOW_FOUR_EYES_KEY	"setting.four-eyes"

/* One workflow_apply() in progress, for its transaction function. */
struct workflow_run {
	const struct schema		*schema;
	const struct workflow_request	*req;
	struct workflow_result		*res;
	int64_t				 when;
};

/* The action's row of workflow_actions, or -1. */
static int
workflow_action_index(const char *action)
{
	size_t	i;

	for (i = 0; action != NULL && i < WORKFLOW_NELEM(workflow_actions); i++)
		if (strcmp(workflow_actions[i].name, action) == 0)
			return (int)i;
	return -1;
}

/* The role's row of workflow_roles, or -1. */
static int
workflow_role_index(const char *role)
{
	size_t	i;

	for (i = 0; role != NULL && i < WORKFLOW_NELEM(workflow_roles); i++)
		if (strcmp(workflow_roles[i].name, role) == 0)
			return (int)i;
	return -1;
}

/* The step an action takes from a status, or NULL. */
static const struct workflow_step *
workflow_step_find(const char *action, const char *status)
{
	size_t	i;

	for (i = 0; i < WORKFLOW_NELEM(workflow_steps); i++)
		if (strcmp(workflow_steps[i].action, action) == 0 &&
		    strcmp(workflow_steps[i].from, status) == 0)
			return &workflow_steps[i];
	return NULL;
}

/* Whether an action can start from a case's status (see workflow.h). */
int
workflow_can(const char *action, const struct record *c)
{
	return workflow_step_find(action, workflow_status(c)) != NULL;
}

/* Whether an action needs a reason from whatever status it starts. */
int
workflow_needs_reason(const char *action)
{
	size_t	i;

	for (i = 0; i < WORKFLOW_NELEM(workflow_steps); i++)
		if (strcmp(workflow_steps[i].action, action) == 0 &&
		    workflow_steps[i].reason)
			return 1;
	return 0;
}

/* Whether an action name is in the table. */
int
workflow_action_known(const char *action)
{
	return workflow_action_index(action) != -1;
}

/* Whether a role name exists. */
int
workflow_role_known(const char *role)
{
	return workflow_role_index(role) != -1;
}

/* The status of a case record, "draft" when it has none (borrowed). */
const char *
workflow_status(const struct record *r)
{
	const char	*s = record_get(r, "status");

	return s == NULL || *s == '\0' ? WORKFLOW_DRAFT : s;
}

/* Whether a case may be shared: validated, or closed after validation. */
int
workflow_shareable(const struct record *r)
{
	const char	*s;
	size_t		 i;

	if (r == NULL || r->form == NULL || strcmp(r->form->name, "case") != 0)
		return 0;
	s = workflow_status(r);
	for (i = 0; i < WORKFLOW_NELEM(workflow_shared); i++)
		if (strcmp(s, workflow_shared[i]) == 0)
			return 1;
	return 0;
}

/* A status in the reader's words (a code it does not know as it is). */
static const char *
workflow_status_word(const char *status)
{
	size_t	i;

	for (i = 0; i < WORKFLOW_NELEM(workflow_status_words); i++)
		if (strcmp(status, workflow_status_words[i]) == 0)
			return _(workflow_status_words[i]);
	return status;
}

/*
 * Append a sentence of the table above, translated, with its one %s
 * replaced by arg (the table's strings are not printf formats here, so
 * the compiler need not trust them; msgfmt -c checks the translations).
 */
static void
workflow_fill(struct buf *b, const char *sentence, const char *arg)
{
	const char	*t = _(sentence), *p;

	if ((p = strstr(t, "%s")) == NULL) {
		buf_adds(b, t);
		return;
	}
	buf_add(b, t, (size_t)(p - t));
	buf_adds(b, arg);
	buf_adds(b, p + 2);
}

/* Append a list of words joined by commas and a final "or". */
static void
workflow_or_list(struct buf *b, const char *const *words, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_adds(b, i + 1 == n ? _(" or ") : ", ");
		buf_adds(b, words[i]);
	}
}

/* Format seconds since the epoch as the UTC datetime stored. */
void
workflow_datetime(struct buf *b, int64_t when)
{
	time_t		t = (time_t)when;
	struct tm	tm;
	char		s[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		buf_adds(b, "1970-01-01T00:00:00");
		return;
	}
	buf_adds(b, s);
}

/*
 * Set a step record's "at" field to when, in the form the field stores
 * (a datetime leaves out seconds that are 0).
 */
int
workflow_step_at(const struct schema *s, struct record *r, int64_t when,
    struct ncen_err *err)
{
	const struct schema_field	*af;
	struct buf			 b = BUF_INIT, canon = BUF_INIT;
	int				 error;

	workflow_datetime(&b, when);
	if ((af = schema_field_find(r->form, "at")) != NULL &&
	    schema_value_check(s, af, b.s, &canon, NULL) == NCEN_OK) {
		buf_reset(&b);
		buf_adds(&b, buf_cstr(&canon));
	}
	error = record_set(r, "at", b.s, err);
	buf_free(&b);
	buf_free(&canon);
	return error;
}

/* Refuse a step: set the refusal and the message; returns NCEN_EINVALID. */
static int
workflow_refuse(struct workflow_run *w, enum workflow_refusal why,
    const char *status, const char *text, struct ncen_err *err)
{
	w->res->refusal = why;
	return ncen_err_set(err, NCEN_EINVALID, _("case %llu is %s: %s"),
	    (unsigned long long)w->req->case_id, workflow_status_word(status),
	    text);
}

/* The status refusal: which statuses the action starts from. */
static int
workflow_refuse_status(struct workflow_run *w, int action, const char *status,
    struct ncen_err *err)
{
	const char	*from[WORKFLOW_NELEM(workflow_steps)];
	struct buf	 b = BUF_INIT, list = BUF_INIT;
	size_t		 i, n = 0;
	int		 error;

	for (i = 0; i < WORKFLOW_NELEM(workflow_steps); i++)
		if (strcmp(workflow_steps[i].action,
		    workflow_actions[action].name) == 0)
			from[n++] = workflow_status_word(
			    workflow_steps[i].from);
	workflow_or_list(&list, from, n);
	workflow_fill(&b, workflow_actions[action].only_from, list.s);
	error = workflow_refuse(w, WORKFLOW_STATUS, status, b.s, err);
	buf_free(&b);
	buf_free(&list);
	return error;
}

/* The role refusal: which roles may take the step. */
static int
workflow_refuse_role(struct workflow_run *w, const struct workflow_step *s,
    int action, int role, struct ncen_err *err)
{
	const char	*who[WORKFLOW_NELEM(workflow_roles)];
	struct buf	 b = BUF_INIT, list = BUF_INIT;
	size_t		 i, n = 0;
	int		 error;

	for (i = 0; i < WORKFLOW_NELEM(workflow_roles); i++)
		if (s->roles & workflow_roles[i].bit)
			who[n++] = _(workflow_roles[i].with_article);
	workflow_or_list(&list, who, n);
	workflow_fill(&b, workflow_actions[action].only_who, list.s);
	buf_addf(&b, _(", and %s is %s"), w->req->user,
	    _(workflow_roles[role].with_article));
	error = workflow_refuse(w, WORKFLOW_ROLE, s->from, b.s, err);
	buf_free(&b);
	buf_free(&list);
	return error;
}

/* The role refusal when an account's roles decide (the role matrix). */
static int
workflow_refuse_account(struct workflow_run *w, int action, const char *status,
    struct ncen_err *err)
{
	const struct auth_account	*a = w->req->account;
	const char			*who[WORKFLOW_NELEM(workflow_roles)];
	struct buf			 b = BUF_INIT, list = BUF_INIT;
	unsigned			 allowed;
	size_t				 i, n = 0;
	int				 error;

	allowed = auth_roles_allowed(auth_action_find(
	    workflow_actions[action].name));
	for (i = 0; i < WORKFLOW_NELEM(workflow_roles); i++)
		if (allowed & workflow_roles[i].bit)
			who[n++] = _(workflow_roles[i].with_article);
	workflow_or_list(&list, who, n);
	workflow_fill(&b, workflow_actions[action].only_who, list.s);
	if ((allowed & a->roles) != 0)
		buf_addf(&b, _(", and %s may not (not its reporting officer, "
		    "or not in the account's offices)"), a->name);
	else {
		buf_reset(&list);
		n = 0;
		for (i = 0; i < WORKFLOW_NELEM(workflow_roles); i++)
			if (a->roles & workflow_roles[i].bit)
				buf_addf(&list, "%s%s", n++ == 0 ? "" :
				    _(" and "),
				    _(workflow_roles[i].with_article));
		if (n == 0)
			buf_adds(&list, _("in no role"));
		buf_addf(&b, _(", and %s is %s"), a->name, list.s);
	}
	error = workflow_refuse(w, WORKFLOW_ROLE, status, b.s, err);
	buf_free(&b);
	buf_free(&list);
	return error;
}

/* Add each line of a record's problems, prefixed "FORM line N: ". */
static void
workflow_prefix(struct buf *problems, const char *form, size_t n,
    const char *lines)
{
	const char	*nl;

	for (; *lines != '\0'; lines = nl) {
		if ((nl = strchr(lines, '\n')) == NULL)
			nl = lines + strlen(lines);
		buf_addf(problems, _("%s line %zu: %.*s\n"), form, n,
		    (int)(nl - lines), lines);
		if (*nl == '\n')
			nl++;
	}
}

/*
 * Check the records that belong to a case (those whose indexed
 * reference field names it, such as its seizure lines) as at
 * submission; their problems go to problems, each line prefixed with
 * the record's form and its place among the case's lines (id order, as
 * the case screen lists them).
 */
static int
workflow_check_lines(struct store_txn *t, const struct schema *schema,
    const struct record *c, struct buf *problems, struct ncen_err *err)
{
	const struct schema_form	*f;
	const struct schema_field	*fd;
	struct record			*r;
	struct buf			 id = BUF_INIT, one = BUF_INIT;
	uint64_t			*ids;
	size_t				 i, j, k, n;
	int				 rc = NCEN_OK, error = NCEN_OK;

	buf_addf(&id, "%llu", (unsigned long long)c->id);
	for (i = 0; i < schema->nforms && error == NCEN_OK; i++) {
		f = schema->forms[i];
		for (j = 0; j < f->nfields && error == NCEN_OK; j++) {
			fd = &f->fields[j];
			if (fd->type != SCHEMA_REF || !fd->indexed ||
			    strcmp(fd->target, c->form->name) != 0)
				continue;
			if ((error = store_txn_ids(t, f->name, fd->name, id.s,
			    &ids, &n, err)) != NCEN_OK)
				break;
			for (k = 0; k < n && error == NCEN_OK; k++) {
				r = NULL;
				if ((error = store_txn_get(t, f->name, ids[k],
				    &r, err)) != NCEN_OK)
					break;
				buf_reset(&one);
				rc = schema_validate(schema, r, SCHEMA_SUBMIT,
				    store_txn_ref_exists, t, &one);
				if (rc == NCEN_EINVALID)
					workflow_prefix(problems, f->name,
					    k + 1, one.s);
				else if (rc != NCEN_OK)
					error = ncen_err_set(err, rc,
					    _("%s %llu: "
					    "checking a reference failed"),
					    f->name, (unsigned long long)r->id);
				record_free(r);
			}
			free(ids);
		}
	}
	buf_free(&id);
	buf_free(&one);
	return error;
}

/*
 * Check the case and what belongs to it against their forms; an
 * incomplete case is refused.
 */
static int
workflow_check(struct workflow_run *w, struct store_txn *t,
    const struct record *c, int action, const char *status,
    struct ncen_err *err)
{
	struct buf	 problems = BUF_INIT, b = BUF_INIT;
	const char	*p, *nl;
	int		 rc, error;

	rc = schema_validate(w->schema, c, SCHEMA_SUBMIT, store_txn_ref_exists,
	    t, &problems);
	if (rc != NCEN_OK && rc != NCEN_EINVALID) {
		error = ncen_err_set(err, rc, _("case %llu: checking a "
		    "reference failed"), (unsigned long long)c->id);
		buf_free(&problems);
		return error;
	}
	if ((error = workflow_check_lines(t, w->schema, c, &problems, err)) !=
	    NCEN_OK) {
		buf_free(&problems);
		return error;
	}
	if (problems.len == 0) {
		buf_free(&problems);
		return NCEN_OK;
	}
	for (p = buf_cstr(&problems); *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (p != problems.s)
			buf_adds(&b, w->req->lines ? "\n" : "; ");
		buf_add(&b, p, (size_t)(nl - p));
		if (*nl == '\n')
			nl++;
	}
	buf_reset(&problems);
	workflow_fill(&problems, workflow_actions[action].incomplete,
	    buf_cstr(&b));
	error = workflow_refuse(w, WORKFLOW_INCOMPLETE, status, problems.s,
	    err);
	buf_free(&b);
	buf_free(&problems);
	return error;
}

/* Refuse a step based on a version of the case that is no longer current. */
static int
workflow_conflict(const struct record *c, uint32_t based, int action,
    struct ncen_err *err)
{
	struct buf	when = BUF_INIT;
	int		error;

	workflow_datetime(&when, c->mtime);
	error = ncen_err_set(err, NCEN_ECONFLICT, _("case %llu was changed "
	    "by %s at %s UTC (version %u) after you opened version %u; %s"),
	    (unsigned long long)c->id, c->muser != NULL ? c->muser :
	    _("someone"), when.s, c->version, based,
	    _(workflow_actions[action].again));
	buf_free(&when);
	return error;
}

/* Write a transition record inside the caller's transaction. */
int
workflow_note(struct store_txn *t, const struct schema *s, uint64_t case_id,
    const char *from, const char *to, const char *user, const char *role,
    int64_t when, const char *reason, uint64_t *id, struct ncen_err *err)
{
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 b = BUF_INIT, problems = BUF_INIT;
	int				 error;

	if ((f = schema_form_find(s, WORKFLOW_FORM)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form, where the workflow "
		    "records its steps (copy forms/%s.form into them)"),
		    WORKFLOW_FORM, WORKFLOW_FORM);
	r = record_new(f);
	buf_addf(&b, "%llu", (unsigned long long)case_id);
	if ((error = record_set(r, "case", b.s, err)) != NCEN_OK ||
	    (error = record_set(r, "from", from, err)) != NCEN_OK ||
	    (error = record_set(r, "to", to, err)) != NCEN_OK ||
	    (error = record_set(r, "user", user, err)) != NCEN_OK ||
	    (error = record_set(r, "role", role, err)) != NCEN_OK ||
	    (error = record_set(r, "reason", reason, err)) != NCEN_OK)
		goto out;
	if ((error = workflow_step_at(s, r, when, err)) != NCEN_OK)
		goto out;
	/* The case is the one being changed: no need to look it up. */
	if (schema_validate(s, r, SCHEMA_SUBMIT, NULL, NULL, &problems) !=
	    NCEN_OK) {
		error = ncen_err_set(err, NCEN_EINVALID, _("case %llu: the "
		    "record of this step is refused: %s"),
		    (unsigned long long)case_id, buf_cstr(&problems));
		goto out;
	}
	if ((error = store_put(t, r, user, err)) != NCEN_OK)
		goto out;
	if (id != NULL)
		*id = r->id;
out:
	record_free(r);
	buf_free(&b);
	buf_free(&problems);
	return error;
}

/* Read the four-eyes setting in a transaction (off when never set). */
int
workflow_four_eyes(struct store_txn *t, int *on, struct ncen_err *err)
{
	struct buf	v = BUF_INIT;
	int		error;

	*on = 0;
	error = store_kv_get(t, STORE_KV_STATE, WORKFLOW_FOUR_EYES_KEY,
	    strlen(WORKFLOW_FOUR_EYES_KEY), 0, &v, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	} else if (error == NCEN_OK)
		*on = v.len == 1 && v.s[0] == '1';
	buf_free(&v);
	return error;
}

/* One workflow_four_eyes_set() in progress. */
struct workflow_setting {
	const char	*user;
	int		 on;
};

/* Write the four-eyes setting and its audit entry. */
static int
workflow_four_eyes_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct workflow_setting	*w = arg;
	const char		*v = w->on ? "1" : "0";
	int			 error;

	if ((error = store_kv_put(t, STORE_KV_STATE, WORKFLOW_FOUR_EYES_KEY,
	    strlen(WORKFLOW_FOUR_EYES_KEY), v, 1, err)) != NCEN_OK)
		return error;
	return audit_append(t, w->user, "setting.four-eyes", "workflow",
	    w->on ? "on" : "off", err);
}

/* Turn the four-eyes rule on or off (see workflow.h). */
int
workflow_four_eyes_set(struct store *st, const char *user, int on,
    struct ncen_err *err)
{
	struct workflow_setting	w;

	w.user = user;
	w.on = on;
	return store_run(st, workflow_four_eyes_txn, &w, err);
}

/*
 * Who took the case to validated last, into who ("" when no step says):
 * its transitions, read in the caller's transaction.
 */
static int
workflow_validator(struct store_txn *t, uint64_t case_id, struct buf *who,
    struct ncen_err *err)
{
	struct record	*r;
	struct buf	 id = BUF_INIT;
	uint64_t	*ids = NULL;
	const char	*to, *user;
	size_t		 i, n = 0;
	int		 error;

	buf_reset(who);
	buf_addf(&id, "%llu", (unsigned long long)case_id);
	error = store_txn_ids(t, WORKFLOW_FORM, "case", id.s, &ids, &n, err);
	for (i = 0; i < n && error == NCEN_OK; i++) {
		r = NULL;
		if ((error = store_txn_get(t, WORKFLOW_FORM, ids[i], &r,
		    err)) != NCEN_OK)
			break;
		to = record_get(r, "to");
		user = record_get(r, "user");
		if (to != NULL && strcmp(to, "validated") == 0) {
			buf_reset(who);
			buf_adds(who, user != NULL ? user : "");
		}
		record_free(r);
	}
	free(ids);
	buf_free(&id);
	return error;
}

/*
 * The four-eyes rule: when it is on, the supervisor who validated a case
 * may not also close it.
 */
static int
workflow_check_four_eyes(struct workflow_run *w, struct store_txn *t,
    const char *status, struct ncen_err *err)
{
	struct buf	who = BUF_INIT, text = BUF_INIT;
	int		on, error;

	if (strcmp(w->req->action, "close") != 0)
		return NCEN_OK;
	if ((error = workflow_four_eyes(t, &on, err)) != NCEN_OK || !on)
		return error;
	if ((error = workflow_validator(t, w->req->case_id, &who, err)) !=
	    NCEN_OK)
		goto out;
	if (who.len > 0 && strcmp(who.s, w->req->user) == 0) {
		buf_addf(&text, _("%s validated it, and the four-eyes rule "
		    "needs another supervisor to close it"), who.s);
		error = workflow_refuse(w, WORKFLOW_FOUR_EYES, status, text.s,
		    err);
	}
out:
	buf_free(&who);
	buf_free(&text);
	return error;
}

/* Call fn on every step from now on (see workflow.h). */
void
workflow_step_hook(workflow_step_fn fn)
{
	size_t	i;

	for (i = 0; i < workflow_nhooks; i++)
		if (workflow_hooks[i] == fn)
			return;
	if (workflow_nhooks < WORKFLOW_HOOKS)
		workflow_hooks[workflow_nhooks++] = fn;
}

/* Tell every step hook of a step, in the step's transaction. */
static int
workflow_hooks_call(struct store_txn *t, const struct schema *s,
    const struct record *c, const char *action, const char *user,
    struct ncen_err *err)
{
	size_t	i;
	int	error;

	for (i = 0; i < workflow_nhooks; i++)
		if ((error = workflow_hooks[i](t, s, c, action, user, err)) !=
		    NCEN_OK)
			return error;
	return NCEN_OK;
}

/* The transaction of workflow_apply(): read, check, write, remember. */
static int
workflow_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct workflow_run		*w = arg;
	const struct workflow_request	*req = w->req;
	const struct workflow_step	*s = NULL;
	struct record			*c = NULL;
	struct buf			 why = BUF_INIT, rec = BUF_INIT;
	struct buf			 act = BUF_INIT;
	const char			*status, *rolename;
	int				 action, role, error;

	memset(w->res, 0, sizeof *w->res);
	action = workflow_action_index(req->action);
	role = workflow_role_index(req->role);
	if ((error = store_txn_get(t, "case", req->case_id, &c, err)) !=
	    NCEN_OK)
		return error;
	if (req->version != 0 && c->version != req->version) {
		error = workflow_conflict(c, req->version, action, err);
		goto out;
	}
	status = workflow_status(c);
	if ((s = workflow_step_find(req->action, status)) == NULL) {
		error = workflow_refuse_status(w, action, status, err);
		goto out;
	}
	w->res->from = s->from;
	rolename = req->role;
	if (req->account != NULL) {
		if ((rolename = auth_role_for(req->account, auth_action_find(
		    req->action), c)) == NULL) {
			error = workflow_refuse_account(w, action, s->from,
			    err);
			goto out;
		}
	} else if ((s->roles & workflow_roles[role].bit) == 0) {
		error = workflow_refuse_role(w, s, action, role, err);
		goto out;
	}
	if (s->reason && (req->reason == NULL || *req->reason == '\0')) {
		buf_adds(&why, _(workflow_actions[action].reason));
		error = workflow_refuse(w, WORKFLOW_REASON, s->from, why.s,
		    err);
		goto out;
	}
	if ((error = workflow_check_four_eyes(w, t, s->from, err)) != NCEN_OK)
		goto out;
	if (s->check && (error = workflow_check(w, t, c, action, s->from,
	    err)) != NCEN_OK)
		goto out;
	/* A case imported without a number gets one at its first step. */
	if ((error = workflow_number(t, c, err)) != NCEN_OK ||
	    (error = record_set(c, "status", s->to, err)) != NCEN_OK ||
	    (error = store_update(t, c, req->user, err)) != NCEN_OK)
		goto out;
	if ((error = workflow_note(t, w->schema, c->id, s->from, s->to,
	    req->user, rolename, w->when, s->reason ? req->reason : NULL,
	    &w->res->transition, err)) != NCEN_OK)
		goto out;
	buf_reset(&why);
	buf_addf(&why, "%s -> %s", s->from, s->to);
	buf_addf(&rec, "case:%llu", (unsigned long long)c->id);
	buf_addf(&act, "workflow.%s", req->action);
	if ((error = audit_append(t, req->user, act.s, rec.s, why.s, err)) !=
	    NCEN_OK)
		goto out;
	/* Icomm's outbox, say, is written in this same transaction. */
	if ((error = workflow_hooks_call(t, w->schema, c, req->action,
	    req->user, err)) != NCEN_OK)
		goto out;
	w->res->to = s->to;
	w->res->version = c->version;
out:
	record_free(c);
	buf_free(&why);
	buf_free(&rec);
	buf_free(&act);
	return error;
}

/* Refuse a request that names no known action, role or user. */
static int
workflow_request_check(const struct schema *s,
    const struct workflow_request *req, struct ncen_err *err)
{
	if (workflow_action_index(req->action) == -1)
		return ncen_err_set(err, NCEN_EUSAGE, _("unknown action '%s' "
		    "(submit, validate, close or reopen)"),
		    req->action != NULL ? req->action : "");
	if (req->account == NULL && workflow_role_index(req->role) == -1)
		return ncen_err_set(err, NCEN_EUSAGE, _("unknown role '%s' "
		    "(officer, supervisor, analyst, ncp or admin)"),
		    req->role != NULL ? req->role : "");
	if (req->user == NULL || *req->user == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("case %llu: no user "
		    "named for the step"), (unsigned long long)req->case_id);
	if (schema_form_find(s, WORKFLOW_FORM) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form, where the workflow "
		    "records its steps (copy forms/%s.form into them)"),
		    WORKFLOW_FORM, WORKFLOW_FORM);
	return NCEN_OK;
}

/* Check a request and set a run up for it; res may be NULL. */
static int
workflow_run_init(struct workflow_run *w, const struct schema *s,
    const struct workflow_request *req, struct workflow_result *res,
    struct workflow_result *dummy, struct ncen_err *err)
{
	if (res == NULL)
		res = dummy;
	memset(res, 0, sizeof *res);
	w->schema = s;
	w->req = req;
	w->res = res;
	w->when = req->when != 0 ? req->when : (int64_t)time(NULL);
	return workflow_request_check(s, req, err);
}

/* Take one step of a case's workflow (see workflow.h). */
int
workflow_apply(struct store *st, const struct workflow_request *req,
    struct workflow_result *res, struct ncen_err *err)
{
	struct workflow_run	w;
	struct workflow_result	dummy;
	int			error;

	if ((error = workflow_run_init(&w, store_schema(st), req, res, &dummy,
	    err)) != NCEN_OK)
		return error;
	return store_run(st, workflow_txn, &w, err);
}

/* Take one step inside the caller's transaction (see workflow.h). */
int
workflow_apply_txn(struct store_txn *t, const struct schema *s,
    const struct workflow_request *req, struct workflow_result *res,
    struct ncen_err *err)
{
	struct workflow_run	w;
	struct workflow_result	dummy;
	int			error;

	if ((error = workflow_run_init(&w, s, req, res, &dummy, err)) !=
	    NCEN_OK)
		return error;
	return workflow_txn(t, &w, err);
}

/* The transitions of a case in the order they were made. */
int
workflow_history(struct store *st, uint64_t case_id, store_record_fn fn,
    void *arg, struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	int		error;

	if (schema_form_find(store_schema(st), WORKFLOW_FORM) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form: no history is kept"),
		    WORKFLOW_FORM);
	buf_addf(&b, "%llu", (unsigned long long)case_id);
	error = store_find(st, WORKFLOW_FORM, "case", b.s, NULL, fn, arg, err);
	buf_free(&b);
	return error;
}

/* A case number: CC-OFFICE-YYYY-NNNNNN from the office code CCOFFICE. */
void
workflow_number_format(struct buf *b, const char *office, int year,
    unsigned n)
{
	if (strlen(office) > 2)
		buf_addf(b, "%.2s-%s-%04d-%06u", office, office + 2, year, n);
	else
		buf_addf(b, "%s-%04d-%06u", office, year, n);
}

/*
 * Give a case its number if it has none and its office and date are
 * there: the next of its office and year, read from the number index
 * in the caller's transaction (so two officers cannot take the same).
 * A case without an office or date keeps an empty number until it has
 * them (submission requires both).
 */
int
workflow_number(struct store_txn *t, struct record *r, struct ncen_err *err)
{
	struct buf	 prefix = BUF_INIT, last = BUF_INIT, num = BUF_INIT;
	const char	*v, *office = record_get(r, "office");
	const char	*date = record_get(r, "date");
	unsigned long	 n = 0;
	int		 year, error;

	v = record_get(r, "number");
	if ((v != NULL && *v != '\0') || office == NULL || *office == '\0' ||
	    date == NULL || strlen(date) < 4 ||
	    schema_field_find(r->form, "number") == NULL)
		return NCEN_OK;
	year = atoi(date);
	workflow_number_format(&prefix, office, year, 0);
	prefix.len -= 6;		/* "CC-OFFICE-YYYY-" */
	prefix.s[prefix.len] = '\0';
	error = store_page_last_key(t, r->form->name, "number",
	    buf_cstr(&prefix), &last, err);
	if (error == NCEN_OK) {
		/* The key ends in the digits of the last number. */
		size_t	i = last.len;

		while (i > 0 && last.s[i - 1] >= '0' && last.s[i - 1] <= '9')
			i--;
		n = strtoul(buf_cstr(&last) + i, NULL, 10);
	} else if (error != NCEN_ENOTFOUND)
		goto out;
	workflow_number_format(&num, office, year, (unsigned)n + 1);
	error = record_set(r, "number", buf_cstr(&num), err);
out:
	buf_free(&prefix);
	buf_free(&last);
	buf_free(&num);
	return error;
}
