/*
 * auth.h - accounts, the role matrix and sign-in.
 *
 * Accounts live in accounts.db (a btree of store-kv.h), keyed by user
 * name.
 * An account has roles (a bit set of AUTH_R_*), an optional list of
 * customs offices it is limited to, a password hash (PBKDF2-HMAC-SHA256
 * with a random 16-byte salt and the iteration count it was made with),
 * and its sign-in state: a must-change flag (set when an admin sets the
 * password, so the first sign-in forces a change), an administrator's
 * lock, a disabled flag (an account that records or audit entries name
 * is disabled, never deleted), and the password's own state: wrong
 * passwords in a row, when the last was typed, and until when the
 * password is locked after too many.
 *
 * The key (SSH) and the password are separate credentials: wrong
 * passwords slow down and then lock the password only, so that someone
 * at a console cannot keep an officer out of his SSH sessions.  Only
 * an administrator's lock or a disabled account refuses the key.  After
 * each wrong password the next try must wait (auth_delay: doubling,
 * capped); the library refuses a try made sooner without checking it.
 *
 * The role matrix (auth-role.c) is one table: for each action and role,
 * no, own (only records whose `officer` is empty or the user) or yes;
 * an account with office limits may act only on records whose `office`
 * is one of them.  auth_may() answers for an account and an optional
 * record; the library (workflow.c) asks it before every step.
 *
 * Every change to an account and every sign-in, refused or not, appends
 * an audit entry in the same transaction (audit.h).  The policy (lock
 * time, failures, delays, minimum length, iterations, clock) is a
 * global the programs may set from the environment (auth_policy_env)
 * and tests change.
 *
 * Contract: functions return NCEN_OK or an ncen_code with a message:
 * NCEN_ENOTFOUND (no such account), NCEN_EEXISTS, NCEN_EINVALID (a
 * password refused by the policy, a refused sign-in: wrong password,
 * locked, disabled), NCEN_EUSAGE, NCEN_EIO (OpenSSL failed), or a store
 * error.  Accounts returned belong to the caller (auth_account_free).
 * Nothing here prints or exits.
 */
#ifndef NCEN_AUTH_H
#define NCEN_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "store.h"

#define AUTH_R_OFFICER		0x01
#define AUTH_R_SUPERVISOR	0x02
#define AUTH_R_ANALYST		0x04
#define AUTH_R_NCP		0x08
#define AUTH_R_ADMIN		0x10
#define AUTH_NROLES		5

#define AUTH_HASH_LEN		32
#define AUTH_SALT_LEN		16
#define AUTH_NAME_MAX		32

/* Every action the matrix decides; adding one is adding a row. */
enum auth_action {
	AUTH_VIEW,		/* see a record's non-personal fields */
	AUTH_VIEW_NOMINAL,	/* see its nominal (non-cen) fields */
	AUTH_CREATE,
	AUTH_EDIT,
	AUTH_SUBMIT,
	AUTH_VALIDATE,
	AUTH_CLOSE,
	AUTH_REOPEN,
	AUTH_EXPORT,
	AUTH_IMPORT,
	AUTH_LINK,
	AUTH_ATTACH,
	AUTH_ACCOUNTS,		/* manage accounts */
	AUTH_PARTNERS,		/* manage partners and agreements */
	AUTH_ICOMM,		/* send via Icomm */
	AUTH_AUDIT,		/* read the audit log, a record's history */
	AUTH_RETENTION,		/* review and apply retention periods */
	AUTH_MERGE,		/* merge two records of one person... */
	AUTH_STATS,		/* run the statistics (aggregate figures) */
	AUTH_NACTIONS
};

struct auth_account {
	char		*name;
	unsigned	 roles;
	char		**offices;		/* empty: every office */
	size_t		 noffices;
	unsigned char	 hash[AUTH_HASH_LEN];
	unsigned char	 salt[AUTH_SALT_LEN];
	uint32_t	 iterations;		/* 0: no password set */
	int		 must_change;
	int		 locked;		/* by an administrator */
	int		 disabled;
	uint32_t	 failures;		/* wrong passwords in a row */
	int64_t		 failed_at;		/* the last of them */
	int64_t		 password_locked_until;	/* 0: not locked */
	int64_t		 created, modified;
};

struct auth_policy {
	unsigned	 max_failures;		/* in a row before a lock */
	unsigned	 lock_seconds;		/* how long the lock lasts */
	unsigned	 delay_first;		/* seconds after one wrong
						   password, doubled after
						   each more; 0: no delay */
	unsigned	 delay_max;		/* the longest delay */
	size_t		 min_length;		/* characters of a password */
	uint32_t	 iterations;		/* PBKDF2 for new hashes */
	int64_t		 (*now)(void);		/* NULL: time(NULL) */
};

#define AUTH_ITERATIONS		600000	/* OWASP 2023; ~0.4 s here */
#define AUTH_MAX_FAILURES	5
#define AUTH_LOCK_SECONDS	900
#define AUTH_DELAY_FIRST	1	/* 1, 2, 4, 8... seconds */
#define AUTH_DELAY_MAX		30
#define AUTH_MIN_LENGTH		12

extern struct auth_policy	auth_policy;

/* What auth_account_mod changes: NULL/-1 leave a field as it is. */
struct auth_change {
	const char	*roles;		/* "officer,supervisor" */
	const char	*offices;	/* "FRCDG01,FRLEH01", "" for none */
};

/* auth-role.c */
#define AUTH_OWNER_FIELD	"officer"	/* whose record it is ("own") */
int	 auth_may(const struct auth_account *, enum auth_action,
	     const struct record *);
/* The roles whose matrix cell for an action is not "no". */
unsigned auth_roles_allowed(enum auth_action);
/* The first of an account's roles that allows the action, or NULL. */
const char *auth_role_for(const struct auth_account *, enum auth_action,
	     const struct record *);
const char *auth_action_name(enum auth_action);
/*
 * The user name when an account may take the action only on its own
 * records (no role of its allows it on every record: an officer viewing
 * cases), so that a list can be read through the AUTH_OWNER_FIELD index;
 * NULL otherwise.  auth_may still decides each record.
 */
const char *auth_own_only(const struct auth_account *, enum auth_action);
/* Whether the account may take the action on every record (no limit). */
int	 auth_all(const struct auth_account *, enum auth_action);
int	 auth_action_find(const char *);
const char *auth_role_name(unsigned bit);
unsigned auth_role_bit(const char *);
/* "officer,analyst" -> bits; 0 if empty or a name is unknown. */
unsigned auth_roles_parse(const char *);
void	 auth_roles_format(unsigned, struct buf *);

/*
 * auth-see.c: need to know, the one rule every list, view, search,
 * picker, count, export and dump asks.  An account that sees every
 * record (auth_all AUTH_VIEW: an analyst, the NCP, a supervisor without
 * office limits) sees everything.  Otherwise a case is seen as the role
 * matrix says (an officer's own, a supervisor's offices'); a record that
 * belongs to a case (a `ref:case` field: seizures, transitions) as its
 * case; a person, business or conveyance when it is linked to a case
 * the account sees, or when the account recorded it (its
 * STORE_CREATOR_FIELD) and it is linked to no case yet; an attachment as
 * the record it belongs to; an investigation when the account is one
 * of its officers or sees one of its cases; anything else as the
 * matrix says.
 *
 * auth_see answers for one record, inside a transaction when t is given
 * (else with reads of its own, outside any): seen->seen 1 or 0, and for
 * a record hidden through its cases, seen->office an office of one of
 * them (hit, no hit: "a match exists in a case of office X"), "" when
 * none (an unlinked record of someone else's).  auth_see_ids lists the
 * ids of a form's records the account sees, ascending, without reading
 * the whole form (through its cases: the officer or office indexes and
 * their links); *all is set instead when the account sees every record
 * (ids then empty).  Both: NCEN_OK or a store error; the ids are the
 * caller's to free.
 */
struct auth_seen {
	int		 seen;
	struct buf	 office;	/* hidden: an office of its cases */
};
int	 auth_see(struct store *, struct store_txn *,
	     const struct auth_account *, const struct record *,
	     struct auth_seen *, struct ncen_err *);
/* Whether the account sees the record, errors counting as no. */
int	 auth_sees(struct store *, struct store_txn *,
	     const struct auth_account *, const struct record *);
int	 auth_see_ids(struct store *, const struct auth_account *,
	     const char *entity, uint64_t **ids, size_t *nids, int *all,
	     struct ncen_err *);

/* auth-account.c */
int64_t	 auth_now(void);
/*
 * Policy from the environment: $NCEN_LOCK_SECONDS, $NCEN_SIGNIN_DELAY
 * (the first delay, 0 for none) and $NCEN_SIGNIN_DELAY_MAX, in seconds.
 */
void	 auth_policy_env(void);
/* Seconds to wait after this many wrong passwords in a row. */
unsigned auth_delay(uint32_t failures);
/* Seconds before the account's password may be tried again (0: now). */
unsigned auth_password_wait(const struct auth_account *, int64_t now);
int	 auth_name_check(const char *, struct ncen_err *);
int	 auth_password_check(const char *user, const char *password,
	     struct ncen_err *);
int	 auth_hash(const char *password, const unsigned char *salt,
	     uint32_t iterations, unsigned char out[AUTH_HASH_LEN],
	     struct ncen_err *);
int	 auth_account_set_password(struct auth_account *, const char *,
	     struct ncen_err *);
/* 1 if the password is the account's, 0 if not, -code on failure. */
int	 auth_verify(const struct auth_account *, const char *password,
	     struct ncen_err *);
void	 auth_account_free(struct auth_account *);
int	 auth_account_get(struct store *, const char *name,
	     struct auth_account **, struct ncen_err *);
int	 auth_account_txn_get(struct store_txn *, const char *name, int rmw,
	     struct auth_account **, struct ncen_err *);
int	 auth_account_txn_put(struct store_txn *, const struct auth_account *,
	     struct ncen_err *);
int	 auth_account_add(struct store *, const char *actor, const char *name,
	     const char *roles, const char *offices, const char *password,
	     struct ncen_err *);
int	 auth_account_mod(struct store *, const char *actor, const char *name,
	     const struct auth_change *, struct ncen_err *);
/* lock: 1 lock (key and password), 0 unlock (and forget failures). */
int	 auth_account_lock(struct store *, const char *actor,
	     const char *name, int lock, struct ncen_err *);
/* An admin sets a password: the user must change it at sign-in. */
int	 auth_account_passwd(struct store *, const char *actor,
	     const char *name, const char *password, struct ncen_err *);
/* Delete, or disable if anything names it; *disabled says which. */
int	 auth_account_del(struct store *, const char *actor, const char *name,
	     int *disabled, struct ncen_err *);
typedef int (*auth_account_fn)(const struct auth_account *, void *arg);
int	 auth_account_list(struct store *, auth_account_fn, void *arg,
	     struct ncen_err *);
/* Roles, offices and state on one line (ncenctl user list, ncen). */
void	 auth_account_describe(const struct auth_account *, int64_t now,
	     struct buf *);
/*
 * Whether an account may sign in with its key and act now: not disabled,
 * not locked by an administrator (a locked password does not matter).
 */
int	 auth_account_usable(const struct auth_account *, int64_t now,
	     struct ncen_err *);
/* The same refusal in English, as the audit log keeps it. */
int	 auth_account_usable_audit(const struct auth_account *, int64_t now,
	     struct ncen_err *);
/*
 * Whether its password may be tried now: the account usable and the
 * password not locked after too many failures (the delay is apart:
 * auth_password_wait); english: the refusal as the audit log keeps it.
 */
int	 auth_password_usable(const struct auth_account *, int64_t now,
	     int english, struct ncen_err *);

/* auth-signin.c */
/* SSH already checked the key: refused only if locked or disabled. */
int	 auth_signin_key(struct store *, const char *user,
	     struct auth_account **, struct ncen_err *);
/*
 * A password: a wrong one counts, and too many lock the password; a
 * try before auth_password_wait() has run out is refused unchecked.
 */
int	 auth_signin_password(struct store *, const char *user,
	     const char *password, struct auth_account **, struct ncen_err *);
/* The user changes their own password (old one checked, and counted). */
int	 auth_password_change(struct store *, const char *user,
	     const char *old, const char *password, struct ncen_err *);

#endif
