/*
 * audit.h - the tamper-evident audit log: who did what to which record.
 *
 * audit.db (a btree of store-kv.h) is keyed by the entry's sequence
 * number (8 bytes, big-endian, from 1 up without gaps).  An entry is its
 * canonical bytes (seq, time, user, action, record, details: fixed-width
 * integers and length-prefixed strings), then the previous entry's hash
 * and its own: hash = SHA-256(prev || canonical bytes), prev of the first
 * entry 32 zero bytes.  audit_append() reads the last entry locked for
 * writing (store_kv_last) in the caller's transaction, so appenders in several processes queue
 * behind each other and the chain stays linear; the entry commits or
 * aborts with the change it records.
 *
 * audit_attach() adds a change hook to the store so that every store_put,
 * store_update (with the names of the changed fields), store_delete and
 * link change appends an entry in its own transaction; user names the
 * actor for changes that do not name one (deletes, links) and is
 * borrowed (it must outlive the store).  Called again, it only changes
 * that user.
 *
 * audit_verify() recomputes the chain and names the first entry that was
 * changed, removed or inserted (NCEN_ECHECK, message in err).  The chain
 * cannot tell entries removed from its end, or entries appended with
 * correctly computed hashes by someone who can write the database files:
 * keep the files to the service account (README, Deployment).
 *
 * Times are seconds since the epoch, UTC; audit_set_clock() replaces the
 * clock (tests).  Entries given to audit_fn are borrowed for the call.
 * Nothing here prints or exits.
 */
#ifndef NCEN_AUDIT_H
#define NCEN_AUDIT_H

#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store.h"

#define AUDIT_HASH_LEN	32

struct audit_entry {
	uint64_t	 seq;
	int64_t		 time;
	const char	*user;
	const char	*action;	/* e.g. record.update, signin.fail */
	const char	*record;	/* "entity:id", "account:NAME" or "" */
	const char	*details;
	unsigned char	 prev[AUDIT_HASH_LEN];
	unsigned char	 hash[AUDIT_HASH_LEN];
};

/* Which entries audit_scan() gives; NULL or 0 fields match anything. */
struct audit_filter {
	const char	*user;
	const char	*record;
	const char	*action;	/* exact, or a prefix ending in '.' */
	int64_t		 since;		/* inclusive */
	int64_t		 until;		/* inclusive, 0: no end */
};

typedef int (*audit_fn)(const struct audit_entry *, void *arg);

int	 audit_append(struct store_txn *, const char *user,
	     const char *action, const char *record, const char *details,
	     struct ncen_err *);
/* audit_append() in a transaction of its own. */
int	 audit_log(struct store *, const char *user, const char *action,
	     const char *record, const char *details, struct ncen_err *);
void	 audit_attach(struct store *, const char *user);
int	 audit_verify(struct store *, uint64_t *entries, struct ncen_err *);
int	 audit_scan(struct store *, const struct audit_filter *, audit_fn,
	     void *arg, struct ncen_err *);
/* The canonical bytes of an entry and its hash (exposed for tests). */
void	 audit_canonical(const struct audit_entry *, struct buf *);
int	 audit_hash(const unsigned char prev[AUDIT_HASH_LEN],
	     const struct buf *canonical, unsigned char out[AUDIT_HASH_LEN]);
/* Parse "YYYY-MM-DD[THH:MM[:SS]]" (UTC) or seconds; -1 if malformed. */
int64_t	 audit_parse_time(const char *);
void	 audit_format_time(struct buf *, int64_t);
void	 audit_set_clock(int64_t (*)(void));
int64_t	 audit_now(void);

#endif
