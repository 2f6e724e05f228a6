/*
 * store-reads.h - which received messages each user has read.
 *
 * Kept in icomm.db (store-kv.h) under "read" "\0" user "\0" id(8): a
 * mark is set when the user opens a message in ncen, never removed.
 * Messages received are the message records whose direction is IN.
 *
 * Contract: functions return NCEN_OK or an ncen_code with a message
 * (store errors); nothing here prints or exits.
 */
#ifndef NCEN_STORE_READS_H
#define NCEN_STORE_READS_H

#include <stdint.h>

#include "error.h"
#include "store.h"

/* Mark a message read by a user, inside a transaction. */
int	 store_reads_mark(struct store_txn *, const char *user, uint64_t id,
	     struct ncen_err *);
/* Whether a user has read a message: 1, 0, or -code. */
int	 store_reads_seen(struct store_txn *, const char *user, uint64_t id,
	     struct ncen_err *);
/* How many received messages the user has not read. */
int	 store_reads_unread(struct store *, const char *user, uint64_t *n,
	     struct ncen_err *);

#endif
