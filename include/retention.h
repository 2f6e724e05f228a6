/*
 * retention.h - what the forms' retain lines say is due, and applying it.
 *
 * A form's retain line (ncen-forms(5), struct schema_retain) says how
 * long its records are kept and what then happens to them.  A record of
 * a "case-closed" form is due when every one of its cases is closed and
 * the last of them closed more than the period ago: its cases are the
 * cases it is linked to and those its ref:case fields name (a case is
 * its own), a case is closed when its status is "closed", and it closed
 * at the last workflow step to "closed" in its transitions (its last
 * change when it has none).  A record without cases, and every record
 * of a "modified" form, is due the period after its last change.  A
 * reference to a case that is not there counts for nothing.  Records
 * received from a partner (extra value icomm.origin) are left to that
 * partner's withdrawals, and a record already anonymised (extra value
 * retention.anonymised) is not due again for anonymising.
 *
 * retention_due_list() finds the closed cases through the case form's
 * status index and their steps through the transition form's case
 * index; the records of other forms are walked, each judged in a short
 * read transaction.  retention_apply() takes one due record in one
 * store_run() transaction (retried on deadlock): it judges it again
 * (NCEN_ECONFLICT, changing nothing, if it is no longer due; it may
 * have been edited or linked to an open case since), deletes or
 * anonymises it (SCHEMA_RETAIN_PLACEHOLDER in required nominal fields,
 * the extras replaced by retention.anonymised), deletes the records of
 * "retain with record" forms linked to it (attachments), and appends a
 * retention.delete or retention.anonymise audit entry.  The store's
 * change hooks do the rest: the caller attaches audit_attach() and
 * icomm_outbox_attach() as every writer does, so each change is audited
 * and a deleted shared case is withdrawn from the partners that hold it
 * (a shared case whose person was anonymised is queued again).  After
 * the commit, the file of each deleted attachment is removed when no
 * attachment record names its SHA-256 any more.
 *
 * An account given (NULL: the caller is trusted, as ncenctl without
 * --as) limits both to the records the role matrix lets it apply
 * retention to (AUTH_RETENTION) and that it sees (auth_sees: a
 * supervisor limited to offices, the cases of those offices and what is
 * linked to them); apply refuses another with NCEN_EINVALID.
 *
 * Times are seconds since the epoch, UTC.  retention_policy.now
 * replaces the clock (tests); retention_policy_env() sets it from
 * $NCEN_RETENTION_NOW (YYYY-MM-DD[THH:MM[:SS]]) so that the programs'
 * tests need not wait years.
 *
 * Contract: NCEN_OK or an ncen_code with a message (NCEN_ENOTFOUND for
 * an unknown form or a record gone, NCEN_EUSAGE for a form without a
 * retain line, NCEN_ECONFLICT, NCEN_EIO for a file that cannot be
 * removed, store errors).  A list owns its entries (retention_list_free;
 * a zeroed list may be freed); entity names are borrowed from the
 * store's schema.  Nothing here prints or exits.
 */
#ifndef NCEN_RETENTION_H
#define NCEN_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "schema.h"
#include "store.h"

struct auth_account;

#define RETENTION_MARK		"retention.anonymised"

/* Why a record is due. */
enum retention_why {
	RETENTION_WHY_CLOSED,		/* its cases closed */
	RETENTION_WHY_UNLINKED,		/* no case: its last change */
	RETENTION_WHY_MODIFIED,		/* its last change */
};

struct retention_due {
	const char			*entity;	/* the schema's */
	uint64_t			 id;
	uint32_t			 version;
	enum schema_retain_action	 action;
	enum retention_why		 why;
	size_t				 ncases;	/* its cases */
	int64_t				 since;		/* the period began */
	int64_t				 due;		/* and ended */
};

struct retention_list {
	struct retention_due	*v;
	size_t			 n;
};

struct retention_result {
	size_t		 attachments;	/* records deleted with it */
	size_t		 files;		/* their files removed */
};

struct retention_policy {
	int64_t		(*now)(void);	/* NULL: time(NULL) */
};

extern struct retention_policy	retention_policy;

int64_t	 retention_now(void);
/* Take the clock from $NCEN_RETENTION_NOW when it is a time. */
void	 retention_policy_env(void);
/* The end of a period begun at since (calendar years and months). */
int64_t	 retention_end(int64_t since, const struct schema_retain *);
/* "last case closed"... in English, for _() (static). */
const char *retention_why_text(enum retention_why);
/* "delete" or "anonymise" (static). */
const char *retention_action_name(enum schema_retain_action);

/*
 * What is due at now, of one form (entity) or of every form with a
 * retain line (NULL), in form then id order; cases come last, so that
 * what hangs on a case goes while the case is still there.
 */
int	 retention_due_list(struct store *, const struct auth_account *,
	     const char *entity, int64_t now, struct retention_list *,
	     struct ncen_err *);
void	 retention_list_free(struct retention_list *);
/* Delete or anonymise one due record under user (see above). */
int	 retention_apply(struct store *, const struct auth_account *,
	     const struct retention_due *, const char *user, int64_t now,
	     struct retention_result *, struct ncen_err *);

#endif
