/*
 * store-draft.h - what an officer typed and has not saved yet.
 *
 * A dropped line must lose nothing: the form screen writes a draft each
 * time the officer leaves a field, and on a hang-up.  One draft per user
 * and (entity, record id), the id 0 standing for a new record, kept in
 * drafts.db in the data directory:
 *
 *	key	user "\0" entity "\0" id (8 bytes, big-endian)
 *	data	"NCDR", format (4), base version (4), current field (4),
 *		started (8), saved (8), the length of the typed values (4),
 *		the typed values as record_encode() bytes (not validated:
 *		what was typed), then the record as the edit found it
 *		(record_encode() bytes, or nothing), so that changes made
 *		meanwhile by others can be told from the officer's own
 *		(format 1 had the typed values only)
 *
 * When the store has stopped answering (another process died inside
 * Berkeley DB), store_draft_spool() writes the same bytes, with the key
 * in front, to DIR/spool/USER.draft instead (write, fsync, rename; no
 * database call), and store_draft_unspool() moves it into drafts.db at
 * the next sign-in.
 *
 * Contract: functions return NCEN_OK or an ncen_code with a message:
 * NCEN_ENOTFOUND (no such draft, or a form the schema lacks),
 * NCEN_EPARSE (malformed bytes), NCEN_EUSAGE (an empty or unsafe user
 * name), NCEN_EIO (the spool file), or a store error.  Drafts returned
 * belong to the caller (store_draft_free).  Nothing here prints or
 * exits; store_draft_list's callback runs outside any transaction.
 */
#ifndef NCEN_STORE_DRAFT_H
#define NCEN_STORE_DRAFT_H

#include <stdint.h>

#include "error.h"
#include "record.h"
#include "store.h"

#define STORE_DRAFTS_FILE	"drafts.db"
#define STORE_DRAFT_SPOOL	"spool"		/* DIR/spool/USER.draft */

struct store_draft {
	char		*user;
	char		*entity;
	uint64_t	 id;		/* the record edited; 0: a new one */
	uint32_t	 version;	/* its version when the edit began */
	uint32_t	 field;		/* the field that was current */
	int64_t		 started;	/* when the edit began (UTC seconds) */
	int64_t		 saved;		/* when the draft was last written */
	struct record	*rec;		/* the typed values */
	struct record	*base;		/* as the edit found it, or NULL */
};

typedef int (*store_draft_fn)(const struct store_draft *, void *arg);

int	 store_draft_put(struct store *, const struct store_draft *,
	     struct ncen_err *);
int	 store_draft_get(struct store *, const char *user, const char *entity,
	     uint64_t id, struct store_draft **, struct ncen_err *);
int	 store_draft_del(struct store *, const char *user, const char *entity,
	     uint64_t id, struct ncen_err *);
int	 store_draft_list(struct store *, const char *user, store_draft_fn,
	     void *arg, struct ncen_err *);
void	 store_draft_free(struct store_draft *);

/* The spool file outside the database (no store call at all). */
int	 store_draft_spool(const char *home, const struct store_draft *,
	     struct ncen_err *);
/* Move DIR/spool/USER.draft into drafts.db; *found says if there was one. */
int	 store_draft_unspool(struct store *, const char *user, int *found,
	     struct ncen_err *);

#endif
