/*
 * store-kv.h - the store's plain btrees (Icomm's, the accounts, the audit
 * log), as key -> value maps read and written inside a store_run()
 * transaction: the layers above the store use them without Berkeley DB.
 *
 *	accounts.db	user name -> account (auth-account.c)
 *	audit.db	8-byte big-endian seq -> entry (audit.c)
 *	partners.db	partner node id -> partner (icomm-partner.c writes,
 *			store-partner.c decodes)
 *	agreements.db	8-byte big-endian agreement id -> agreement
 *			(store-partner.c)
 *	outbox.db	partner "\0" entity "\0" id(8) -> queued entry
 *			(store-outbox.c)
 *	icomm.db	named state of the data directory, under prefixed
 *			keys: this node, per-partner status, what was shared
 *			and received (icomm-*.c, store-outbox.c), which
 *			record a merged one became (merge.c), the four-eyes
 *			setting (workflow.c), the alerts' queue and marks
 *			(alert-*.c), messages read (store-reads.c)
 *
 * store_txn_ids(): the ids of the records whose indexed field equals a
 * stored value, read inside a transaction (the seizures of a case, from
 * the validating transaction).
 *
 * Contract: every function returns NCEN_OK or an ncen_code with a
 * message (NCEN_ENOTFOUND for a missing key, store errors otherwise);
 * deadlocks mark the transaction so store_run() retries it.  Values
 * come back in the caller's struct buf; ids in an array the caller
 * frees.  A scan calls fn with the bytes of each pair whose key starts
 * with the prefix, in key order, and stops at fn's first non-zero
 * answer, which it returns (NCEN_OK for STORE_KV_STOP, a stop that is
 * no error).  NCEN_EUSAGE for a btree this store did not open.  Nothing
 * here prints or exits.
 */
#ifndef NCEN_STORE_KV_H
#define NCEN_STORE_KV_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store.h"

enum store_kv_db {
	STORE_KV_PARTNERS = 0,
	STORE_KV_AGREEMENTS,
	STORE_KV_OUTBOX,
	STORE_KV_STATE,
	STORE_KV_ACCOUNTS,	/* auth-account.c */
	STORE_KV_AUDIT,		/* audit.c */
};

/* What a store_kv_fn returns to end a walk without an error. */
#define STORE_KV_STOP	(-1)

typedef int (*store_kv_fn)(const void *key, size_t klen, const void *val,
	     size_t vlen, void *arg);

int	 store_kv_get(struct store_txn *, enum store_kv_db, const void *key,
	     size_t klen, int rmw, struct buf *val, struct ncen_err *);
int	 store_kv_put(struct store_txn *, enum store_kv_db, const void *key,
	     size_t klen, const void *val, size_t vlen, struct ncen_err *);
int	 store_kv_del(struct store_txn *, enum store_kv_db, const void *key,
	     size_t klen, struct ncen_err *);
int	 store_kv_scan(struct store_txn *, enum store_kv_db, const void *prefix,
	     size_t plen, store_kv_fn, void *arg, struct ncen_err *);
/* Write under a new key: NCEN_EEXISTS if the key is there already. */
int	 store_kv_insert(struct store_txn *, enum store_kv_db, const void *key,
	     size_t klen, const void *val, size_t vlen, struct ncen_err *);
/* Every pair from the first key at or after start (not just a prefix). */
int	 store_kv_from(struct store_txn *, enum store_kv_db, const void *start,
	     size_t slen, store_kv_fn, void *arg, struct ncen_err *);
/* The btree's file name, for messages. */
const char *store_kv_file(enum store_kv_db);
/* Whether t is a transaction (0: a single read outside any). */
int	 store_kv_txn(const struct store_txn *);
/* Run fn in a read-committed transaction (a walk in batches). */
int	 store_kv_read(struct store *, store_txn_fn, void *arg,
	     struct ncen_err *);
/* The last key of a btree (for the next id), 0 bytes if it is empty. */
int	 store_kv_last(struct store_txn *, enum store_kv_db, struct buf *key,
	     struct ncen_err *);
/*
 * Whether a record exists, read in the transaction given as arg: 1, 0,
 * or -code (a schema_ref_fn for schema_validate inside store_run).
 */
int	 store_txn_ref_exists(const char *entity, uint64_t id, void *txn);
int	 store_txn_ids(struct store_txn *, const char *entity,
	     const char *field, const char *value, uint64_t **ids, size_t *n,
	     struct ncen_err *);

#endif
