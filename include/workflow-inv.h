/*
 * workflow-inv.h - the life of an investigation: opened -> active ->
 * suspended -> closed (with results, without further action, or
 * referred), reopened, and officers assigned or unassigned, each step
 * with who, when and why.
 *
 * The statuses are the codes of investigation_status.codes (NEW is
 * opened, OPEN active, SUSPENDED suspended, CLOSED-RESULT, CLOSED-NFA
 * and REFERRED closed), so the investigations of a data directory made
 * before this workflow go on from where they stand.  The steps are a
 * table (workflow-inv.c): the action, the status it starts from and the
 * one it leads to, who may take it (a supervisor of the investigation's
 * office, or also an officer assigned to it), whether it needs a reason.
 *
 * workflow_inv_apply() runs one store_run() transaction: it reads the
 * investigation, refuses it if it changed since the version the actor
 * based the step on (NCEN_ECONFLICT), checks the table, writes the new
 * status or officers, gives the investigation its number when it has
 * none (INV-CC-OFFICE-YYYY-NNNNNN: the next of its office and opening
 * year), and appends an investigation_step record and an audit entry in
 * the same transaction.  Refusals are NCEN_EINVALID with a message
 * naming the investigation, its status, the step and why; an officer
 * to assign that is no account, a disabled one, or one neither officer
 * nor supervisor is refused the same way.  A missing investigation is
 * NCEN_ENOTFOUND; an unknown action NCEN_EUSAGE; forms without
 * investigation_step.form NCEN_ENOTFOUND (copy it into the data
 * directory's forms).
 *
 * Nothing here prints or exits; returned strings are static.
 */
#ifndef NCEN_WORKFLOW_INV_H
#define NCEN_WORKFLOW_INV_H

#include <stdint.h>

#include "error.h"
#include "record.h"
#include "store.h"

#define WORKFLOW_INV_FORM	"investigation_step"
#define WORKFLOW_INV_ENTITY	"investigation"
#define WORKFLOW_INV_NEW	"NEW"

struct auth_account;
struct buf;
struct schema;
struct store_txn;

struct workflow_inv_request {
	uint64_t			 id;		/* the investigation */
	uint32_t			 version;	/* 0: current */
	const char			*action;
	const struct auth_account	*account;	/* who takes it */
	const char			*reason;	/* NULL or "": none */
	const char			*outcome;	/* close: a closed status */
	const char			*officer;	/* assign, unassign */
	int64_t				 when;		/* 0: now */
};

struct workflow_inv_result {
	const char	*from;		/* static status codes */
	const char	*to;
	uint32_t	 version;	/* the investigation's new version */
	uint64_t	 step;		/* the step record */
};

int	 workflow_inv_apply(struct store *, const struct workflow_inv_request *,
	     struct workflow_inv_result *, struct ncen_err *);
/*
 * A new investigation stored by ncen or an import, inside the caller's
 * transaction and before store_put: status NEW when it has none, its
 * number when its office and opening date are in.  After store_put,
 * workflow_inv_opened() writes its first step ("open", by user); a data
 * directory without investigation_step.form keeps no step, silently.
 */
int	 workflow_inv_prepare(struct store_txn *, struct record *,
	     struct ncen_err *);
int	 workflow_inv_opened(struct store_txn *, const struct schema *,
	     const struct record *, const char *user, const char *role,
	     struct ncen_err *);
/* The status of an investigation (NEW when it has none). */
const char *workflow_inv_status(const struct record *);
/* Its stage in words, translated: opened, active, suspended, closed. */
const char *workflow_inv_stage(const char *status);
/* Whether the action starts from the investigation's status. */
int	 workflow_inv_can(const char *action, const struct record *);
int	 workflow_inv_needs_reason(const char *action);
int	 workflow_inv_action_known(const char *);
/* The actions in table order (NULL-terminated), and their labels. */
extern const char *const workflow_inv_actions[];
const char *workflow_inv_action_label(const char *action);
/* The statuses a close may lead to (NULL-terminated). */
extern const char *const workflow_inv_outcomes[];
/* Whether an account may be assigned: usable, officer or supervisor. */
int	 workflow_inv_assignable(const struct auth_account *);
/* The number INV-CC-OFFICE-YYYY-NNNNNN. */
void	 workflow_inv_number_format(struct buf *, const char *office,
	     int year, unsigned n);
/* The steps of an investigation in the order they were made. */
int	 workflow_inv_history(struct store *, uint64_t id, store_record_fn,
	     void *arg, struct ncen_err *);

#endif
