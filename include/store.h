/*
 * store.h - the Berkeley DB transactional store shared by all programs.
 *
 * One environment per data directory: DB_INIT_TXN|LOCK|LOG|MPOOL,
 * DB_REGISTER|DB_RECOVER (any process may start after a crash), automatic
 * deadlock detection, optional AES encryption from a key file.  Each form
 * has a primary database (key: 8-byte big-endian id from a DB_SEQUENCE)
 * and one secondary index per `index` field, kept by DB->associate.
 * Links between records are stored both ways.
 *
 * Contract: every function returns NCEN_OK or an ncen_code and fills the
 * error with what and where; nothing here prints or exits, except the
 * watchdog (store-watch.c), which calls the program's stall handler when
 * a database call overruns (another process died inside the library).
 * Records returned belong to the caller (record_free()).  No function
 * keeps a transaction, cursor or lock open after it returns, except
 * inside store_run(), whose callback must not wait for a person.
 *
 * The schema given to store_open() is borrowed and must outlive the
 * store.  Walks (store_scan, store_find, store_links) call their
 * callback outside any transaction; a callback returns 0 to go on, and
 * anything else stops the walk and is returned as is (err untouched).
 * store_run() may call its fn several times (after a deadlock), so fn
 * must not have effects outside the transaction it is given; inside
 * fn use the store_txn_* / store_put ... functions, never the ones
 * taking a struct store (they answer NCEN_EUSAGE there).  store_put()
 * and store_update() set the record's id, version, mtime and muser at
 * once, and set them back if the transaction does not commit.
 * Berkeley DB panics (DB_RUNRECOVERY) are handled by closing and
 * reopening the environment (which recovers it) and trying again, up
 * to a few reopens per call when it panics again (another process
 * recovering at the same time), else NCEN_ERECOVER; the entities and
 * indices of the store keep their place in memory across a reopen.
 * A commit that succeeded is reported as success even when the
 * checkpoint after it fails.  store_run reports success once the
 * commit is on disk; a transaction that stored records or links while
 * the disk reserve was free commits (and releases its locks) before
 * the sync and waits for it after, so that concurrent writers share
 * syncs, and other processes may read its changes meanwhile.
 * store_close checkpoints when it is the last process out, else only
 * after STORE_CKP_KB of log or STORE_CKP_MIN minutes (store-int.h).
 * The on-disk layout is described in store-int.h.
 *
 * Cache: the environment's cache is shared by every process using the
 * data directory (it lives in the regions, in System V shared memory
 * (store-space.c), and counts in each process's resident memory only
 * for the pages it touches).  Its
 * size is fixed by the process that makes the regions (the first open
 * after a clean shutdown or a recovery): store_options.cachesize, else
 * 64 MB, which holds the hot part of a few hundred thousand cases on a
 * hub of 512 MB to 2 GB.  An administrator may override it, and the 2 MB
 * log buffer, with a DB_CONFIG file in the data directory (for example
 * "set_cachesize 0 134217728 1"), which Berkeley DB reads at every open.
 */
#ifndef NCEN_STORE_H
#define NCEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "record.h"
#include "schema.h"

struct store;
struct store_txn;

struct store_options {
	const char	*home;		/* data directory */
	const char	*keyfile;	/* AES key file, NULL: no encryption */
	int		 create;	/* create the environment if absent */
	int		 nosync;	/* commits not flushed (bulk loads, benches) */
	unsigned	 watchdog;	/* seconds a call may take, 0: default 10 */
	size_t		 cachesize;	/* bytes of cache, 0: 64 MB (see below) */
};

struct store_ref {
	const char	*entity;
	uint64_t	 id;
};

struct store_link {
	char		*role;
	char		*entity;	/* the other side */
	uint64_t	 id;
	int		 incoming;	/* 1: added as other -> this record */
};

typedef int (*store_txn_fn)(struct store_txn *, void *arg, struct ncen_err *);
typedef int (*store_record_fn)(const struct record *, void *arg);
typedef int (*store_link_fn)(const struct store_link *, void *arg);
typedef void (*store_stall_fn)(void *arg);

/*
 * The change hooks: a short list, called in the order added inside the
 * transaction of every store_put, store_update, store_delete,
 * store_link_add and store_link_remove (audit.c adds one that writes
 * the audit log, icomm-outbox.c one that queues shared cases again).
 * A put, an update or a link change calls them after it was written; a
 * delete before the record and its links are removed, so that a hook
 * can still read them.  An error from a hook fails the change.  old
 * and rec are NULL where they do not apply.  store_hook_add() with a
 * function already added replaces its argument; at most STORE_HOOKS
 * hooks.
 */
struct store_change {
	const char		*action;	/* create update delete link unlink */
	const char		*user;		/* NULL: not named (delete, links) */
	const char		*entity;
	uint64_t		 id;
	const struct record	*old;		/* update, delete: before */
	const struct record	*rec;		/* create, update: after */
	struct store_ref	 other;		/* link, unlink */
	const char		*role;		/* link, unlink */
};
typedef int (*store_change_fn)(struct store_txn *,
	     const struct store_change *, void *arg, struct ncen_err *);
#define STORE_HOOKS	4

/* store-env.c */
void	 store_hook_add(struct store *, store_change_fn, void *arg);
int	 store_version_check(struct ncen_err *);
/* The AES key of a key file: its first line, trimmed; not empty. */
int	 store_key_read(const char *keyfile, struct buf *key,
	     struct ncen_err *);
int	 store_open(const struct store_options *, const struct schema *,
	     struct store **, struct ncen_err *);
int	 store_close(struct store *, struct ncen_err *);
int	 store_checkpoint(struct store *, struct ncen_err *);
const struct schema *store_schema(const struct store *);
const char *store_home(const struct store *);

/* store-home.c: a data directory's own forms (DIR/forms), then its store. */
int	 store_home_schema(const char *home, struct schema **,
	     struct ncen_err *);
int	 store_home_open(const struct store_options *, struct schema **,
	     struct store **, struct ncen_err *);

/* store-txn.c: run fn in a transaction, retried on deadlock. */
int	 store_run(struct store *, store_txn_fn, void *arg, struct ncen_err *);
/*
 * How many read-write transactions this process has committed: a stall
 * handler (on the watchdog's thread) tells by it whether a change had
 * committed before what stalled (a checkpoint, a read, the close).
 */
unsigned long store_committed(void);
/*
 * Whether this process has a commit made and visible to others whose log
 * flush has not returned yet (store_run's early commit): a stall now
 * leaves it in doubt, kept if its log record reached the disk.
 */
int	 store_commit_in_doubt(void);
/* How many transactions of this process were retried after a deadlock. */
unsigned long store_retried(void);

/*
 * store-record.c.  store_put: a new record (id from the form's sequence
 * when 0, else NCEN_EEXISTS if taken), version 1.  store_update: the
 * record's version is the one the edit started from; NCEN_ECONFLICT
 * naming who changed it and when if it is no longer current.
 * store_delete: likewise, and removes the record's links.  store_find:
 * records whose indexed field lies in [from, to] as a person typed them
 * (to NULL: equal to from), in index then id order, each once.
 * store_scan: every record in id order.  Missing records and forms are
 * NCEN_ENOTFOUND with a message.
 */
/*
 * Who recorded a record (need to know, auth-see.c): a form's
 * STORE_CREATOR_FIELD.  ncen's forms fill it with the officer signed in
 * (a system field, never typed); an import, a dump or a partner's batch
 * carries it or not, as data; store_update keeps what was stored there.
 */
#define STORE_CREATOR_FIELD	"recorded_by"
int	 store_put(struct store_txn *, struct record *, const char *user,
	     struct ncen_err *);
int	 store_update(struct store_txn *, struct record *, const char *user,
	     struct ncen_err *);
int	 store_delete(struct store_txn *, const char *entity, uint64_t id,
	     uint32_t version, struct ncen_err *);
int	 store_get(struct store *, const char *entity, uint64_t id,
	     struct record **, struct ncen_err *);
int	 store_txn_get(struct store_txn *, const char *entity, uint64_t id,
	     struct record **, struct ncen_err *);
int	 store_scan(struct store *, const char *entity, store_record_fn,
	     void *arg, struct ncen_err *);
int	 store_find(struct store *, const char *entity, const char *field,
	     const char *from, const char *to, store_record_fn, void *arg,
	     struct ncen_err *);

/*
 * store-count.c: counts kept in the transaction of every change, made
 * on first use (one walk of the database, then never again).
 * store_count: a form's records; store_count_index: the entries of one
 * of its indices (a record once per key it has in it).
 */
int	 store_count(struct store *, const char *entity, uint64_t *,
	     struct ncen_err *);
int	 store_count_index(struct store *, const char *entity,
	     const char *field, uint64_t *, struct ncen_err *);
/*
 * store_count_links: the links from a form's records (each link counted
 * once, under the record it goes from), kept the same way but made when
 * the store opens (store_count_links_make), not on first use.
 */
int	 store_count_links(struct store *, const char *entity, uint64_t *,
	     struct ncen_err *);

/*
 * store-link.c: a link a -> b with a role is stored under both records;
 * the same link again (either way round) is NCEN_EEXISTS, a link to a
 * record that does not exist NCEN_ENOTFOUND.  Removing (either way
 * round) removes both sides.  store_links lists one record's links;
 * store_txn_links does so inside a transaction (all read before fn is
 * called, so fn may change them; fn's non-zero answer is returned).
 */
int	 store_link_add(struct store_txn *, struct store_ref,
	     struct store_ref, const char *role, struct ncen_err *);
int	 store_link_remove(struct store_txn *, struct store_ref,
	     struct store_ref, const char *role, struct ncen_err *);
/*
 * A set of ids, each once, that store_ids_link fills with the records of
 * one form linked to a record (its cases, say): set entity, then pass
 * the set as store_links' arg.  Zeroed to start; store_ids_free.
 */
struct store_ids {
	const char	*entity;	/* store_ids_link: the linked form */
	uint64_t	*ids;
	size_t		 n;
};
void	 store_ids_add(struct store_ids *, uint64_t);
int	 store_ids_link(const struct store_link *, void *ids);
void	 store_ids_free(struct store_ids *);
int	 store_links(struct store *, struct store_ref, store_link_fn,
	     void *arg, struct ncen_err *);
int	 store_txn_links(struct store_txn *, struct store_ref, store_link_fn,
	     void *arg, struct ncen_err *);

/*
 * store-scan.c: whole-database walks for statistics, in short
 * read-committed transactions; fn is called outside any transaction
 * (non-zero stops the walk and is returned).  store_scan_raw: every
 * record of a form as stored bytes (record_view_parse reads them), in
 * id order.  store_scan_links: every link of every record of a form,
 * with that record's id.
 */
typedef int (*store_raw_fn)(uint64_t id, const void *, size_t, void *arg);
typedef int (*store_links_raw_fn)(uint64_t id, const struct store_link *,
	     void *arg);
int	 store_scan_raw(struct store *, const char *entity, store_raw_fn,
	     void *arg, struct ncen_err *);
int	 store_scan_links(struct store *, const char *entity,
	     store_links_raw_fn, void *arg, struct ncen_err *);

/*
 * store-fact.c: the statistics' facts (facts.db): a short row per case,
 * seizure line and person with the values of every field but long text
 * (text longer than 16 characters), as stored, and an entry per link of
 * a case to a person; kept in the transaction of every change.  Each
 * record has two rows: the wide one, and a narrow one with only its
 * indexed fields (the case's date, office, status..., the seizure's
 * case and commodity), for the walks that need no more (narrow 1).
 * store_fact_ready builds them if they are not there (a directory from
 * before them, or other forms), in short transactions; *built says it
 * did.  store_fact_scan and store_fact_scan_links walk them like
 * store_scan_raw and store_scan_links (the link's entity is the person
 * form, incoming 0).  store_fact_col: the column of a field, -1 if the
 * facts do not keep it.  store_fact_view_parse: the values of the
 * row's first ncols columns (at most store_fact_ncols), column i's from
 * s[first[i]] to s[first[i + 1] - 1], pointing into the row;
 * NCEN_EPARSE on malformed bytes.  Start from a zeroed view.
 */
struct store_fact_view {
	size_t		 ncols, nvals, cap, capcols;
	uint32_t	*first;
	const char	**s;
	size_t		*len;
};
int	 store_fact_ready(struct store *, int *built, struct ncen_err *);
int	 store_fact_scan(struct store *, const char *entity, int narrow,
	     store_raw_fn, void *arg, struct ncen_err *);
int	 store_fact_scan_links(struct store *, store_links_raw_fn, void *arg,
	     struct ncen_err *);
int	 store_fact_col(const struct store *, const char *entity, int narrow,
	     const char *field);
size_t	 store_fact_ncols(const struct store *, const char *entity,
	     int narrow);
int	 store_fact_view_parse(struct store_fact_view *, size_t ncols,
	     const void *, size_t);
void	 store_fact_view_free(struct store_fact_view *);

/*
 * store-search.c: the search index of each form with fields marked
 * `search` (keys: match.h; layout and building: store-search.c).
 * store_search_value_keys: the keys of one value of a field searched as
 * kind (fn is called on each, maybe twice with the same).
 * store_search_ids: the ids under one key, or with prefix under every
 * key that starts with it, at most max (out->more then), read committed;
 * NCEN_ENOTFOUND for a form without a search index.  store_search_ready:
 * NCEN_OK, or NCEN_EBUSY while another process still builds the index.
 * store_set_progress: who hears how a build goes (on the opening
 * process's thread, after each batch; done == total at the end).
 */
typedef void (*store_search_key_fn)(const char *key, size_t len, void *arg);
typedef void (*store_progress_fn)(const char *file, uint64_t done,
	     uint64_t total, int complete, void *arg);
struct store_search_ids {
	uint64_t	*ids;
	size_t		 n, cap;
	int		 more;
};
void	 store_search_value_keys(enum schema_search, const char *, size_t,
	     store_search_key_fn, void *arg);
int	 store_search_ids(struct store *, const char *entity, const void *key,
	     size_t len, int prefix, size_t max, struct store_search_ids *,
	     struct ncen_err *);
void	 store_search_ids_free(struct store_search_ids *);
int	 store_search_ready(struct store *, const char *entity,
	     struct ncen_err *);
int	 store_search_has(struct store *, const char *entity);
void	 store_set_progress(store_progress_fn, void *arg);

/*
 * store-verify.c: DB->verify on every file, then each index checked
 * against its primary both ways and links checked for symmetry.  The
 * store must not be open in this process; run it when nobody writes.
 * Findings go to report one per line; NCEN_ECHECK if there were any.
 */
int	 store_verify(const char *home, const struct schema *,
	     const char *keyfile, struct buf *report, struct ncen_err *);

/*
 * store-watch.c: the watchdog around every database call.  The store
 * calls enter/leave around each call or transaction (they nest); when
 * one has not left within the bound, another process probably died
 * inside the library holding a mutex, so the watchdog thread calls the
 * program's stall handler (which spools unsaved work; it runs on the
 * watchdog thread, not in a signal handler) and then _exit(STORE_EXIT_STALL).
 */
#define STORE_EXIT_STALL	75
void	 store_set_stall_handler(store_stall_fn, void *arg);
int	 store_watch_start(unsigned seconds, struct ncen_err *);
void	 store_watch_enter(void);
void	 store_watch_leave(void);
void	 store_watch_stop(void);

#endif
