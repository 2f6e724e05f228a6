/*
 * alert.h - watch lists, analytic rules and alerts.
 *
 * A case is checked against the watch entries (form `watch`) and the
 * data directory's rules (rules.h); what matches raises an alert (form
 * `alert`, a record of its case for need to know).
 *
 * When.  The save never waits for the check: alert_attach() adds a
 * store change hook that, in the saving transaction, records which case
 * changed (a key "alert.q" + id in icomm.db, STORE_KV_STATE, with a
 * fresh stamp).  alert_drain() checks the recorded cases afterwards,
 * each read outside any transaction, then raises what it found and
 * removes the entry in one short transaction of its own, and only if
 * the entry still holds the stamp it read (a case changed meanwhile is
 * checked again).  ncen drains after each screen change (a case saved
 * is checked as soon as the officer leaves the screen), ncen-icomm
 * after a received batch and in its run loop, ncenctl alerts check on
 * demand.  A checker killed at any point leaves the entry: the next
 * drain checks the case again.  Each (rule or watch entry, case) raises
 * at most one alert, ever (a key "alert.k" + source + id written with
 * it): nothing is lost or doubled, and a dismissed alert stays so.
 *
 * Watch entries match through the search keys (match.h): a person or
 * business entry's name words, in Latin letters, must each meet a name
 * word of a linked record (same word, same skeleton, or Jaro-Winkler
 * at least 0.92), and its date of birth, when given, the record's;
 * document, plate, IMO, container and VIN entries match the compact
 * number.  Candidates come from the watch form's search index, never a
 * walk of the list.
 *
 * Contract: every function returns NCEN_OK or an ncen_code with the
 * message; nothing here prints or exits.  Alerts, decisions and rule
 * changes are audited (alert.raise, alert.decide, rules.install).
 */
#ifndef NCEN_ALERT_H
#define NCEN_ALERT_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "rules.h"
#include "store.h"

#define ALERT_USER	"ncen-alerts"	/* who raises alerts */

/* What a check found: one alert to raise. */
struct alert_found {
	char		*source;	/* "rule:NAME" or "watch:ID" */
	char		*title;
	char		*owner;		/* account or role told */
	char		*why;
	char		**matched;	/* "ENTITY:ID" */
	size_t		 nmatched;
};

struct alert_findings {
	struct alert_found	*v;
	size_t			 n;
};
void	 alert_findings_free(struct alert_findings *);

/* alert-watch.c: the watch entries a case's linked records meet. */
int	 alert_watch_case(struct store *, uint64_t caseid,
	     const struct record *const *linked, size_t nlinked,
	     struct alert_findings *, struct ncen_err *);

/* alert-rule.c: the rules a case meets (rule NULL: every rule). */
struct alert_case {
	struct record	 *c;
	struct record	**linked;	/* persons, businesses... */
	char		**roles;	/* the link's role, each */
	size_t		  nlinked;
	struct record	**seizures;
	size_t		  nseizures;
};
int	 alert_case_load(struct store *, uint64_t id, struct alert_case *,
	     struct ncen_err *);
void	 alert_case_free(struct alert_case *);
int	 alert_rule_case(struct store *, const struct rules *,
	     const char *rule, const struct alert_case *,
	     struct alert_findings *, struct ncen_err *);

/* alert-check.c: check one case and raise what it meets. */
int	 alert_check(struct store *, const struct rules *, uint64_t caseid,
	     const char *rule, int watch, size_t *raised, struct ncen_err *);
/* What a check found, raised in a transaction (deduplicated). */
int	 alert_raise(struct store_txn *, const struct schema *,
	     uint64_t caseid, const struct alert_findings *, size_t *raised,
	     struct ncen_err *);
/* A queued case (alert-queue.c): checked, raised and dequeued. */
int	 alert_check_queued(struct store *, const struct rules *,
	     const struct buf *key, const struct buf *stamp, uint64_t caseid,
	     size_t *raised, struct ncen_err *);
/*
 * Retro-hunt: every case dated since (YYYY-MM-DD, NULL: all), against
 * one rule (NULL: every rule) and, when watch, the watch entries.
 */
typedef void (*alert_progress_fn)(uint64_t done, uint64_t total, void *);
int	 alert_hunt(struct store *, const struct rules *, const char *since,
	     const char *rule, int watch, alert_progress_fn, void *arg,
	     uint64_t *checked, size_t *raised, struct ncen_err *);

/* alert-queue.c: record changed cases; check them. */
void	 alert_attach(struct store *);
int	 alert_drain(struct store *, size_t max, size_t *checked,
	     size_t *raised, struct ncen_err *);
/* How many cases wait to be checked. */
int	 alert_pending(struct store *, uint64_t *, struct ncen_err *);

/* alert.c: the alerts of an account and its decisions. */
int	 alert_for(const struct auth_account *, const struct record *);
int	 alert_count_new(struct store *, const struct auth_account *,
	     uint64_t *, struct ncen_err *);
/* state SEEN, ACTED or DISMISSED (a reason needed for DISMISSED). */
int	 alert_decide(struct store *, const struct auth_account *,
	     uint64_t id, const char *state, const char *reason,
	     struct ncen_err *);

#endif
