/*
 * store-outbox.h - the outbox and messages as records: what ncen and
 * ncen-icomm both write (they meet here, in the database, and never
 * call each other; the layers are in README, "Layout").
 *
 * outbox.db: partner "\0" entity "\0" id(8) -> {"kind", "version",
 * "queued", "rev"} (JSON; rev: how many times it was queued again before
 * it was sent).  icomm.db: "shared" "\0" + that key, for a record
 * queued for a partner (a reopen withdraws it there).  Partners are in
 * partners.db under their node id (store-kv.h).
 *
 * Contract: NCEN_OK or an ncen_code with a message: NCEN_EUSAGE,
 * NCEN_ENOTFOUND (no such partner, case or form), NCEN_EINVALID (the
 * account may not write to partners), store errors.  Queued entries
 * and messages are audited in their transaction.  Nothing here prints
 * or exits.
 */
#ifndef NCEN_STORE_OUTBOX_H
#define NCEN_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store.h"


/* Append partner "\0" entity "\0" id(8): an outbox key. */
void	 store_outbox_key_add(struct buf *, const char *partner,
	     const char *entity, uint64_t id);
/* The icomm.db key saying a record was queued for a partner. */
void	 store_outbox_shared_key(struct buf *, const char *partner,
	     const char *entity, uint64_t id);
/* Queue a record ("record") or withdrawal ("withdraw"), audited. */
int	 store_outbox_queue(struct store_txn *, const char *partner,
	     const char *entity, uint64_t id, const char *kind,
	     uint32_t version, const char *user, struct ncen_err *);
/* A message to write (store_message_txn). */
struct store_message {
	const char	*partner, *subject, *body;
	char *const	*cites;		/* "case:ID" each */
	size_t		 ncites;
	const char	*thread;	/* the thread it belongs to, or NULL */
	uint64_t	 joins;		/* a message put in the thread too (the
					   one answered, which had none); 0 */
};

/*
 * Write a message (direction OUT) to a registered partner and queue it,
 * in the caller's transaction, audited; whether the account may write
 * and an agreement lets it go is the caller's to check
 * (icomm_message_write).  Citations are "case:ID" of existing cases.
 */
int	 store_message_txn(struct store_txn *, const struct schema *,
	     const char *user, const struct store_message *, uint64_t *id,
	     struct ncen_err *);

#endif
