/*
 * workflow.h - the life of a case: draft -> submitted -> validated ->
 * closed, and back to draft when a supervisor reopens it with a reason.
 *
 * The steps are a table (workflow.c): the action, the status it starts
 * from and the one it leads to, which roles may take it, whether it
 * needs a reason, and whether the case must then pass
 * schema_validate(SCHEMA_SUBMIT) (required fields are checked at
 * submission and again at validation, never while drafting).  A case
 * without a status is a draft.
 *
 * workflow_apply() runs one store_run() transaction: it reads the case,
 * refuses it if it changed since the version the actor based the step
 * on (NCEN_ECONFLICT), checks the table and the record, writes the new
 * status (store_update) and appends a transition record (who, in which
 * role, when in UTC, from, to, reason; transition.form) in the same
 * transaction, so the history is never out of step with the status.
 * Refusals are NCEN_EINVALID (the reason, which of enum workflow_refusal,
 * is in the result) with a message naming the case, its status, the
 * action and why: "case 12 is draft: only a submitted case can be
 * validated".  A missing case is NCEN_ENOTFOUND; an unknown action or
 * role, or an empty user, NCEN_EUSAGE; forms without transition.form
 * NCEN_ENOTFOUND.
 *
 * The signed-in account's roles decide (req->account); trusted callers
 * without one (the demo generator, tests) name the actor and the role
 * (officer, supervisor, analyst, ncp, admin).  Investigations have
 * their own steps (workflow-inv.h).  workflow_shareable(): a case may be
 * shared when it is
 * validated or closed (a case is closed only from validated, and
 * reopening takes it back to draft, so a closed case is one whose
 * validated content was not changed since).
 *
 * The workflow knows nothing of who else acts on a step: a layer above
 * it (Icomm's outbox, icomm.h) adds a step hook with
 * workflow_step_hook(), called inside the step's transaction after the
 * case and its transition are written and audited; an error from a hook
 * fails the step.  The hooks are the process's, added once each.
 *
 * Nothing here prints or exits; returned strings are static.
 */
#ifndef NCEN_WORKFLOW_H
#define NCEN_WORKFLOW_H

#include <stdint.h>

#include "error.h"
#include "record.h"
#include "store.h"

#define WORKFLOW_FORM		"transition"
#define WORKFLOW_DRAFT		"draft"

enum workflow_refusal {
	WORKFLOW_OK = 0,
	WORKFLOW_STATUS,	/* the action does not start from this status */
	WORKFLOW_ROLE,		/* the role may not take this step */
	WORKFLOW_REASON,	/* the step needs a reason */
	WORKFLOW_INCOMPLETE,	/* the case does not pass its form */
	WORKFLOW_FOUR_EYES,	/* its validator may not also close it */
};

struct workflow_request {
	uint64_t	 case_id;
	uint32_t	 version;	/* the step's base, 0: current */
	const char	*action;	/* submit, validate, close, reopen */
	const char	*user;
	const char	*role;		/* without account: trusted callers */
	const struct auth_account *account;	/* its roles decide (auth.h) */
	const char	*reason;	/* NULL or "": none */
	int64_t		 when;		/* seconds since the epoch, 0: now */
	int		 lines;		/* an incomplete case's problems one
					   a line (a pager), not "; " */
};

struct workflow_result {
	const char		*from;		/* static status names */
	const char		*to;
	uint32_t		 version;	/* the case's new version */
	uint64_t		 transition;	/* the transition record */
	enum workflow_refusal	 refusal;
};

struct store_txn;
struct auth_account;

/* A step hook: the case as written, the action and its actor. */
typedef int (*workflow_step_fn)(struct store_txn *, const struct schema *,
	     const struct record *c, const char *action, const char *user,
	     struct ncen_err *);
/* Call fn on every step from now on (once, however often it is added). */
void	 workflow_step_hook(workflow_step_fn);

int	 workflow_apply(struct store *, const struct workflow_request *,
	     struct workflow_result *, struct ncen_err *);
/*
 * The same step inside the caller's transaction, which store_run()
 * retries on deadlock and aborts on any error (an import writes a case
 * and the steps to its status at once: ncenctl import); the schema is the
 * store's.
 */
int	 workflow_apply_txn(struct store_txn *, const struct schema *,
	     const struct workflow_request *, struct workflow_result *,
	     struct ncen_err *);
/* The status of a case record (WORKFLOW_DRAFT when it has none). */
const char *workflow_status(const struct record *);
int	 workflow_shareable(const struct record *);
/* A step's stored time: the UTC datetime, and set into its "at" field. */
void	 workflow_datetime(struct buf *, int64_t when);
int	 workflow_step_at(const struct schema *, struct record *, int64_t,
	     struct ncen_err *);
/*
 * What a screen may offer before asking (workflow_apply still decides):
 * whether an action starts from the case's status, and whether it asks
 * for a reason.
 */
int	 workflow_can(const char *action, const struct record *);
int	 workflow_needs_reason(const char *action);
/* Whether an action name is in the table, and whether a role exists. */
int	 workflow_action_known(const char *);
int	 workflow_role_known(const char *);
/*
 * Write a transition record inside the caller's transaction (the demo
 * generator's history); the case's status is the caller's business.
 * *id (may be NULL) gets the transition's id.
 */
int	 workflow_note(struct store_txn *, const struct schema *,
	     uint64_t case_id, const char *from, const char *to,
	     const char *user, const char *role, int64_t when,
	     const char *reason, uint64_t *id, struct ncen_err *);
/*
 * The four-eyes rule, a setting of the data directory (off unless set):
 * when on, a case is closed by a supervisor other than the one who
 * validated it (workflow_apply refuses the validator, WORKFLOW_FOUR_EYES).
 * workflow_four_eyes reads it in a transaction (*on 1 or 0);
 * workflow_four_eyes_set writes it and audits the change.
 */
int	 workflow_four_eyes(struct store_txn *, int *on, struct ncen_err *);
int	 workflow_four_eyes_set(struct store *, const char *user, int on,
	     struct ncen_err *);
/* A case number CC-OFFICE-YYYY-NNNNNN from an office code and a year. */
void	 workflow_number_format(struct buf *, const char *office, int year,
	     unsigned n);
/* Number a case that has none (next of its office and year), in t. */
int	 workflow_number(struct store_txn *, struct record *,
	     struct ncen_err *);
/* The transitions of a case in the order they were made (store_find). */
int	 workflow_history(struct store *, uint64_t case_id, store_record_fn,
	     void *arg, struct ncen_err *);

#endif
