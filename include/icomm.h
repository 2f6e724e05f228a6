/*
 * icomm.h - Icomm's data: this node's identity, partner nodes, the
 * agreements that allow sharing with them, the outbox and the uploader's
 * per-partner status.
 *
 * This node: DIR/node.key (P-256 private key, PEM, mode 0600) and
 * DIR/node.crt (its self-signed X.509 certificate, CN = node id), made
 * by icomm_node_init(); its id and role are also kept in icomm.db.
 * Partners (partners.db) are named by node id, with a role (national
 * node, hub, global database), the endpoint URL their receiver answers
 * at, their node certificate (PEM: it signs their batches and receipts,
 * and is the client certificate their uploader presents) and optionally
 * the CA that signed their web server's certificate (else their node
 * certificate is the server's).  Agreements (agreements.db) name a
 * partner, a legal basis, a direction, the commodity groups covered
 * (none: all), the highest sharing level (partner or cen) and validity
 * dates; "ending" one stamps it ended, it is never deleted.  Both are
 * decoded once, in the records layer (struct store_partner and struct
 * store_agreement, store-partner.h), for ncen-icomm, ncenctl and ncen.
 *
 * The outbox (outbox.db): icomm_outbox_step() is the workflow's step
 * hook (workflow_step_hook(), which icomm_outbox_attach() adds), called
 * inside the transaction of every workflow step.  Validating a case
 * queues it for each partner with an outbound agreement in force that
 * covers every commodity group of its seizures (a later validation,
 * after a reopen, queues it again: an update); reopening a case that was
 * shared queues a withdrawal for each partner it was queued for.  One
 * entry per partner and record: a newer step replaces an entry not yet
 * sent.  Each queued entry is audited (icomm.queue) in the transaction.
 * A case received from a partner (extra field icomm.origin) takes no
 * workflow step: it is read-only here and never shared onwards
 * (NCEN_EINVALID, and the step's transaction is aborted).
 *
 * icomm_outbox_attach() adds that step hook and the outbox's change hook
 * to the store (store.h; every program that writes adds it beside
 * audit_attach, and user names the actor of changes that name none): any change to a case
 * already shared with a partner (validated or closed, queued for that
 * partner and not withdrawn) or to what travels with it (its seizures,
 * the persons, businesses and conveyances linked to it, a link between
 * it and one of those, added or removed) queues the case again for each
 * such partner, kind "record" at the case's current version, in the
 * transaction of the change; deleting a shared case queues a
 * withdrawal.  The projection is taken when the batch is made, so the
 * partner gets the linked records' new versions.  An edit of a field
 * the partner does not see queues the case all the same.  A record
 * from a partner queues nothing.  Re-queuing an entry counts up its
 * "rev", so a receipt for a batch packed before the change leaves the
 * entry queued.
 *
 * Contract: functions return NCEN_OK or an ncen_code with a message:
 * NCEN_EUSAGE (bad id, role, date, level...), NCEN_ENOTFOUND,
 * NCEN_EEXISTS, NCEN_EIO (files, OpenSSL), store errors.  Structures
 * returned belong to the caller (the matching _free, which accepts
 * NULL).  Changes are audited in their own transaction under the actor
 * given.  Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_H
#define NCEN_ICOMM_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-partner.h"
#include "store.h"

#define ICOMM_ID_MAX		64	/* bytes of a node id */
#define ICOMM_KEY_FILE		"node.key"
#define ICOMM_CERT_FILE		"node.crt"

#define ICOMM_DIR_IN	0x1
#define ICOMM_DIR_OUT	0x2

struct icomm_node {
	char		*id;
	enum icomm_role	 role;
};

/* One outbox entry: a record (with what it carries) or a withdrawal. */
struct icomm_entry {
	char		*partner;
	char		*entity;
	uint64_t	 id;
	char		*kind;		/* "record" or "withdraw" */
	uint32_t	 version;	/* of the record when queued */
	int64_t		 queued;
	uint32_t	 rev;		/* times queued again since */
};

/* The uploader's view of one partner. */
struct icomm_status {
	char		*partner;
	uint64_t	 queued;	/* outbox entries */
	uint64_t	 inflight;	/* in the batch being sent */
	int64_t		 last_success;
	int64_t		 last_error_at;
	char		*last_error;	/* words, NULL if none */
	unsigned	 failures;	/* in a row */
};

typedef int (*icomm_partner_fn)(const struct store_partner *, void *);
typedef int (*icomm_agreement_fn)(const struct store_agreement *, void *);
typedef int (*icomm_entry_fn)(const struct icomm_entry *, void *);

/* icomm-node.c */
int	 icomm_id_check(const char *, struct ncen_err *);
int	 icomm_node_init(struct store *, const char *actor, const char *id,
	     enum icomm_role, unsigned days, struct ncen_err *);
int	 icomm_node_get(struct store *, struct icomm_node **,
	     struct ncen_err *);
void	 icomm_node_free(struct icomm_node *);
/* DIR/node.key and DIR/node.crt of the store's data directory. */
void	 icomm_node_path(const struct store *, const char *file,
	     struct buf *);

/* icomm-partner.c */
int	 icomm_partner_add(struct store *, const char *actor,
	     const struct store_partner *, struct ncen_err *);
int	 icomm_partner_del(struct store *, const char *actor, const char *id,
	     struct ncen_err *);
int	 icomm_partner_get(struct store *, const char *id,
	     struct store_partner **, struct ncen_err *);
int	 icomm_partner_list(struct store *, icomm_partner_fn, void *,
	     struct ncen_err *);
int	 icomm_agreement_add(struct store *, const char *actor,
	     struct store_agreement *, struct ncen_err *);
int	 icomm_agreement_end(struct store *, const char *actor, uint64_t id,
	     struct ncen_err *);
int	 icomm_agreement_list(struct store *, icomm_agreement_fn, void *,
	     struct ncen_err *);
/* Whether an agreement is in force on a date (YYYY-MM-DD). */
int	 icomm_agreement_in_force(const struct store_agreement *,
	     const char *today);
/* Whether it covers every group given (an agreement without groups: all). */
int	 icomm_agreement_covers(const struct store_agreement *,
	     char *const *groups, size_t n);
/* Today's UTC date as YYYY-MM-DD (the clock of audit.h). */
void	 icomm_today(struct buf *);
/*
 * The highest level an in-force agreement with the partner in the
 * direction allows for these groups: SCHEMA_PARTNER, SCHEMA_CEN, or
 * SCHEMA_LOCAL when none (nothing may go).  A global partner or node
 * never gets more than SCHEMA_CEN.  In a transaction (outbox, receiver).
 */
int	 icomm_agreement_level(struct store_txn *, const char *partner,
	     unsigned dir, char *const *groups, size_t n,
	     enum schema_share *, struct ncen_err *);

/* icomm-outbox.c */
void	 icomm_entry_free(struct icomm_entry *);
int	 icomm_outbox_step(struct store_txn *, const struct schema *,
	     const struct record *c, const char *action, const char *user,
	     struct ncen_err *);
/* The change hook that queues shared cases again (see above). */
void	 icomm_outbox_attach(struct store *, const char *user);
/* Queue a record (or withdrawal) for a partner inside a transaction. */
int	 icomm_outbox_queue(struct store_txn *, const char *partner,
	     const char *entity, uint64_t id, const char *kind,
	     uint32_t version, const char *user, struct ncen_err *);
/* The ids of a case's seizures (none if the forms have no seizures). */
int	 icomm_case_seizures(struct store_txn *, uint64_t case_id,
	     uint64_t **ids, size_t *n, struct ncen_err *);
/* The commodity groups of a case's seizures, sorted and unique. */
int	 icomm_case_groups(struct store_txn *, uint64_t case_id,
	     char ***groups, size_t *n, struct ncen_err *);
void	 icomm_strings_free(char **, size_t);
/* At most max entries of a partner's outbox (0: all), in key order. */
int	 icomm_outbox_list(struct store *, const char *partner, size_t max,
	     icomm_entry_fn, void *, struct ncen_err *);
/* Remove entries sent, unless queued again since (version, kind, rev). */
int	 icomm_outbox_remove(struct store *, struct icomm_entry *const *,
	     size_t, struct ncen_err *);
int	 icomm_outbox_txn_remove(struct store_txn *,
	     struct icomm_entry *const *, size_t, struct ncen_err *);
/*
 * Write a message to a partner and queue it, in one transaction; the
 * account must be usable and its roles allow Icomm (the role matrix:
 * AUTH_ICOMM), else NCEN_EINVALID saying why.  It may cite cases
 * ("case:ID"): when sent, each travels before it as an item of its
 * own, under the agreement that covers it and only once validated;
 * a citation that may not go is left out of the message.
 */
struct auth_account;
/*
 * A message, or a reply (reply_to: the message answered; it goes to
 * that message's node, in its thread, its subject "Re: ..." when none is
 * given).  icomm_message_write refuses at once, in words and writing
 * nothing, a message no agreement in force lets go to the partner.
 */
struct icomm_message {
	const char	*partner, *subject, *body;
	char *const	*cites;
	size_t		 ncites;
	uint64_t	 reply_to;	/* 0: a new thread */
};
int	 icomm_message_write(struct store *, const struct auth_account *,
	     const struct icomm_message *, uint64_t *id, struct ncen_err *);
int	 icomm_message_send(struct store *, const struct auth_account *,
	     const char *partner, const char *subject, const char *body,
	     char *const *cites, size_t ncites, uint64_t *id,
	     struct ncen_err *);
/* Note that a record went to a partner (a reopen withdraws it there). */
int	 icomm_outbox_shared(struct store_txn *, const char *partner,
	     const char *entity, uint64_t id, struct ncen_err *);
int	 icomm_outbox_count(struct store *, const char *partner, uint64_t *,
	     struct ncen_err *);

/* icomm-status.c */
void	 icomm_status_free(struct icomm_status *);
int	 icomm_status_get(struct store *, const char *partner,
	     struct icomm_status **, struct ncen_err *);
/* Record an attempt: error NULL is a success. */
int	 icomm_status_note(struct store *, const char *partner,
	     uint64_t inflight, const char *error, struct ncen_err *);

#endif
