/*
 * store-int.h - what the store-*.c files share; no other layer includes it.
 *
 * On-disk layout of a data directory (the Berkeley DB environment home):
 *
 *	__db.001, log.*		the name of the environment's regions (in
 *				shared memory, store-space.c) and log files
 *	.regions.lock		opens vs the last close's removal of them,
 *				writes vs a recovery (store-gate.c)
 *	reserve			the disk reserve, if set (store-space.h)
 *	seq.db			btree: entity name -> DB_SEQUENCE of its ids
 *	NAME.db			btree, one per form: 8-byte big-endian id ->
 *				record bytes (record.c's codec), 8 KB pages
 *				when made since STORE_PAGE_PRIMARY
 *	NAME-FIELD.idx		btree DB_DUPSORT, one per indexed field,
 *				kept by DB->associate: schema_index_key() of
 *				each value -> 8-byte big-endian id
 *	NAME.search.idx		btree DB_DUPSORT, one per form with fields
 *				marked `search`, kept by DB->associate:
 *				tagged match.h keys -> 8-byte big-endian id
 *				(store-search.c)
 *	links.db		btree DB_DUPSORT: entity "\0" id(8) ->
 *				dir role "\0" entity "\0" id(8), where dir
 *				is '>' (this record -> other) or '<' (other
 *				-> this record); each link is stored under
 *				both records in one transaction
 *	accounts.db		btree: user name -> account (auth-account.c)
 *	audit.db		btree: 8-byte big-endian seq -> entry (audit.c)
 *	counts.db		btree: form name ["\0" field] -> 8-byte
 *				big-endian count of its records [of its
 *				index's entries]; form name "\0>" -> of
 *				the links from its records; kept by every
 *				write (store-count.c)
 *	facts.db		btree: the statistics' facts, one short row
 *				per case, seizure line and person and one
 *				entry per link of a case to a person, kept
 *				by every write (store-fact.c); its state is
 *				in counts.db
 *	partners.db, agreements.db, outbox.db, icomm.db
 *				btrees of Icomm (store-kv.c, icomm-*.c)
 *	forms/			the forms, copied there by ncenctl init
 *
 * With a key file every database is encrypted (DB_ENCRYPT_AES).
 */
#ifndef NCEN_STORE_INT_H
#define NCEN_STORE_INT_H

#include <db.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"

#define STORE_RETRIES		20		/* attempts of a transaction */
#define STORE_REOPENS		8		/* reopens of one store_run */
#define STORE_LOG_MAX		(2U * 1024 * 1024)	/* bytes per log file */
#define STORE_CKP_KB		65536		/* log KB between checkpoints */
#define STORE_CKP_MIN		5		/* minutes between checkpoints */
#define STORE_CKP_CHECK		2		/* seconds between checks */
#define STORE_CACHE_DEFAULT	(64U * 1024 * 1024)	/* bytes of cache */
#define STORE_PAGE_PRIMARY	8192		/* page bytes of NAME.db */
#define STORE_PAGE_INDEX	8192		/* of indices and links.db */
#define STORE_LOG_BUF		(2U * 1024 * 1024)	/* log buffer bytes */
#define STORE_EARLY_RESERVE	(4ULL * STORE_LOG_BUF)	/* a reserve that
						   leaves the log room */
#define STORE_BACKOFF_MAX_US	200000		/* longest wait before a retry */
#define STORE_GATE_SLOT		25		/* bytes of a registry slot (libdb) */
#define STORE_BATCH		128		/* records per transaction */
#define STORE_FIND_WALK		16		/* id span per record read in bulk */
#define STORE_FIND_BULK_MIN	8		/* records worth a bulk read */
#define STORE_FIND_BULK		(256 * 1024)	/* bytes per bulk read */
#define STORE_LOCKS		100000		/* lock table size */
#define STORE_REG_WAIT_US	50000		/* recovery waits, twice, for
						   the others to see the panic */
#define STORE_SEQ_FILE		"seq.db"
#define STORE_LINKS_FILE	"links.db"
#define STORE_ACCOUNTS_FILE	"accounts.db"	/* auth-account.c */
#define STORE_AUDIT_FILE	"audit.db"	/* audit.c */
#define STORE_COUNTS_FILE	"counts.db"	/* store-count.c */
#define STORE_FACTS_FILE	"facts.db"	/* store-fact.c */
#define STORE_FACT_NFORMS	6		/* case, seizure, person;
						   wide then narrow */
#define STORE_KV_NDB		4		/* Icomm's btrees (store-kv.h) */
#define STORE_ROLE_MAX		64		/* bytes in a link's role */
#define STORE_LINK_OUT		'>'
#define STORE_LINK_IN		'<'

struct store_index {
	const struct schema_field *field;	/* NULL: the search index */
	const struct schema_form *form;
	int			 building;	/* search: not complete yet */
	uint64_t		 upto;		/* search: ids below it are in */
	struct record_view	*view;		/* the store's, shared */
	DB			*raw;		/* the file again, not associated */
	DB			*db;
	char			*file;		/* NAME-FIELD.idx */
};

struct store_entity {
	const struct schema_form *form;
	DB			*db;
	char			*file;		/* NAME.db */
	DB_SEQUENCE		*seq;
	struct store_index	*idx;
	size_t			 nidx;
	struct store_index	*search;	/* NULL: no searched fields */
};

/* The facts of one form: its columns (field indices) and key byte. */
struct store_fact_form {
	const struct schema_form *form;		/* NULL: not in the schema */
	char			 kind;
	int			 narrow;	/* indexed fields only */
	size_t			*cols;
	size_t			 ncols;
};

struct store {
	char			*home;
	char			*keyfile;
	struct buf		 key;		/* AES password, "" for none */
	int			 create;
	int			 nosync;
	unsigned		 watchdog;
	size_t			 cachesize;
	const struct schema	*schema;

	DB_ENV			*env;
	DB			*seqdb;
	DB			*links;
	struct store_entity	*ents;		/* as many as schema forms */
	size_t			 nents;

	struct buf		 dberr;		/* Berkeley DB's own words */
	struct record_view	 view;		/* of the record being put */
	int64_t			 ckp_checked;	/* when a checkpoint was last due */
	uint64_t		 rng;		/* backoff jitter */
	int			 inrun;		/* inside a transaction's fn */

	/* auth and audit: their databases; the hooks on every change. */
	DB			*accounts;	/* STORE_ACCOUNTS_FILE */
	DB			*audit;		/* STORE_AUDIT_FILE */
	struct {
		store_change_fn	 fn;
		void		*arg;
	}			 hooks[STORE_HOOKS];
	size_t			 nhooks;

	DB			*counts;	/* STORE_COUNTS_FILE */

	/* The statistics' facts (store-fact.c). */
	DB			*facts;		/* STORE_FACTS_FILE */
	struct store_fact_form	 fact_forms[STORE_FACT_NFORMS];
	struct buf		 fact_layout;	/* the columns, as text */
	int			 fact_new;	/* facts.db made by this open */

	/* Icomm: partners, agreements, outbox, state (store-kv.c). */
	DB			*kv[STORE_KV_NDB];

	/* Disk space (store-space.c). */
	uint64_t		 reserve;	/* bytes kept free, 0: none */
	int			 space_exempt;	/* below the reserve too */
};

/* The old bookkeeping of a record changed in the current transaction. */
struct store_undo {
	struct record		*r;		/* NULL once record_free()d */
	uint64_t		 id;
	uint32_t		 version;
	int64_t			 mtime;
	char			*muser;
	struct store_undo	*next;
};

struct store_txn {
	struct store		*st;
	DB_TXN			*txn;
	int			 fatal;		/* deadlock or panic seen */
	int			 wake;		/* poke the uploader after the
						   commit (store-wake.h) */
	struct store_undo	*undo;
	int			 space_ok;	/* the reserve was checked */
	int			 unsure;	/* recovered under the commit */
	int			 roomy;		/* and holds STORE_EARLY_RESERVE:
						   commit before the sync */
};

/* The index keys of one field of a stored record, sorted and unique. */
struct store_keys {
	struct buf		*k;
	size_t			 n;
};

/* store-env.c */
int	 store_dberr(struct store *, int, struct ncen_err *, const char *, ...)
	     __attribute__((format(printf, 4, 5)));
int	 store_env_reopen(struct store *, struct ncen_err *);
char	*store_env_file(const char *, const char *);
/* store-backup.c: a directory's names in order, dot files left out. */
int	 store_backup_list(const char *dir, char ***names, size_t *n,
	     struct ncen_err *);
void	 store_backup_list_free(char **names, size_t n);
struct store_entity *store_entity_find(struct store *, const char *,
	     struct ncen_err *);
int	 store_index_find(struct store_entity *, const char *,
	     struct store_index **, struct ncen_err *);
void	 store_keys_get(const struct schema_field *, const void *, size_t,
	     struct store_keys *);
void	 store_keys_view(const struct schema_field *, struct record_view *,
	     const void *, size_t, struct store_keys *);
void	 store_keys_free(struct store_keys *);
void	 store_keys_unique(struct store_keys *);
/* The keys of any index: a field's, or the search index's. */
void	 store_index_keys(const struct store_index *, const void *, size_t,
	     struct store_keys *);
int	 store_env_exists(struct store *, const char *file);
int	 store_env_db_open(struct store *, DB_TXN *, DB **, const char *file,
	     u_int32_t dbflags, u_int32_t pagesize, struct ncen_err *);
int	 store_keycmp(const void *, size_t, const void *, size_t);
void	 store_id_key(unsigned char [8], uint64_t);
void	 store_errcall(const DB_ENV *, const char *, const char *);
void	 store_msgcall(const DB_ENV *, const char *);
int	 store_hooks_call(struct store_txn *, const struct store_change *,
	     struct ncen_err *);

/* store-space.c: the reserve, and where the regions live. */
int	 store_space_open(struct store *, struct ncen_err *);
struct store_space_env {
	int			 lockfd;	/* held while opening, or -1 */
	int			 exclusive;	/* held so: the open recovers */
	long			 shmkey;	/* the segments' base key, or -1 */
};
int	 store_space_env_config(DB_ENV *, const char *home, u_int32_t *flags,
	     struct store_space_env *, struct ncen_err *);
int	 store_space_env_done(const char *home, struct store_space_env *,
	     int opened, struct ncen_err *);
void	 store_space_env_release(const char *home);
int	 store_space_close_lock(const char *home, int waitit);
void	 store_space_close_unlock(int fd);
int	 store_txn_panicked(struct store *);
int	 store_space_shared(const char *home, int *fdp);
void	 store_space_shared_done(int fd);
void	 store_space_pending(const char *home, int done);
int	 store_space_txn(struct store_txn *, struct ncen_err *);
int	 store_space_ref(const char *home);
#define STORE_SHM_LOCK		".regions.lock"	/* opens vs removal */

/* store-gate.c: no write from an environment recovered under us. */
void	 store_gate_install(void);
void	 store_gate_hold(int on);
int	 store_gate_recovers(const char *home);
void	 store_gate_set(const char *home, int id);
unsigned long store_gate_late(void);
unsigned long store_gate_failed(void);

/* store-txn.c */
/* readonly: 0 read-write, 1 read committed, STORE_TXN_NONE one read, no txn. */
#define STORE_TXN_NONE		2
int	 store_txn_run(struct store *, store_txn_fn, void *, int readonly,
	     struct ncen_err *);
int	 store_txn_dberr(struct store_txn *, int, struct ncen_err *,
	     const char *, ...) __attribute__((format(printf, 4, 5)));
void	 store_txn_hold(struct store_txn *, struct record *);
#ifdef __clang_analyzer__
/*
 * store_txn_dberr() never returns NCEN_OK: say so to clang's static
 * analyser, which reads one file at a time (.ci/analyze).  Its
 * definition puts its name in parentheses, out of the macro's reach.
 */
#define STORE_NOT_OK(call)	__extension__ ({ int r_ = (call);	\
	if (r_ == NCEN_OK)						\
		__builtin_unreachable();				\
	r_; })
#define store_txn_dberr(...)	STORE_NOT_OK((store_txn_dberr)(__VA_ARGS__))
#endif

/* store-record.c */
int	 store_record_exists(struct store_txn *, struct store_entity *,
	     uint64_t, struct ncen_err *);

/* store-count.c */
int	 store_count_change(struct store_txn *, struct store_entity *,
	     const struct record *old, const struct record *rec,
	     struct ncen_err *);
int	 store_count_kept(struct store *, struct store_entity *,
	     struct store_index *, uint64_t *, int *found, struct ncen_err *);
int	 store_count_link(struct store_txn *, const char *entity,
	     const void *data, size_t size, int delta, struct ncen_err *);
int	 store_count_links_make(struct store *, struct ncen_err *);
int	 store_count_links_kept(struct store *, struct store_entity *,
	     uint64_t *, int *found, struct ncen_err *);

/* store-fact.c */
void	 store_fact_layout(struct store *);
int	 store_fact_change(struct store_txn *, struct store_entity *,
	     const struct record *rec, uint64_t id, struct ncen_err *);
int	 store_fact_link(struct store_txn *, const char *from, uint64_t fid,
	     const char *to, uint64_t tid, const char *role, int add,
	     struct ncen_err *);
int	 store_fact_forget(struct store *, struct ncen_err *);
int	 store_fact_peek(struct store *, struct buf *, int *state, int *same,
	     struct ncen_err *);
int	 store_fact_verify(struct store *, struct buf *report,
	     size_t *problems, struct ncen_err *);

/* store-scan.c: walk db over the keys that begin with prefix. */
int	 store_scan_db(struct store *, DB *, const char *file,
	     const void *prefix, size_t plen, int dups,
	     int (*)(const void *, size_t, const void *, size_t, void *),
	     void *arg, struct ncen_err *);

/* store-kv.c: the file names of st->kv[]. */
extern const char *const store_kv_files[STORE_KV_NDB];

/* store-search.c */
char	*store_search_file(const char *form);
void	 store_search_keys(const struct schema_form *, struct record_view *,
	     const void *, size_t, struct store_keys *);
int	 store_search_open(struct store *, struct store_entity *,
	     struct ncen_err *);
int	 store_search_finish(struct store *, struct ncen_err *);
int	 store_search_prepare(struct store_txn *, struct store_entity *,
	     struct ncen_err *);

/* store-link.c */
int	 store_link_purge(struct store_txn *, const char *, uint64_t,
	     struct ncen_err *);
int	 store_link_parse(const void *, size_t, struct store_link *);
void	 store_link_key(struct buf *, const char *, uint64_t);
void	 store_link_data(struct buf *, int, const char *, const char *,
	     uint64_t);

#endif
