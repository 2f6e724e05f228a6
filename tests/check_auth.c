/*
 * check_auth.c - accounts and sign-in through the library: hashing,
 * wrong passwords, five failures lock the password (and each is
 * audited) but not the key, the lock running out (injected clock), the
 * growing delay between wrong passwords, must-change, the password
 * policy, key sign-in of locked and disabled accounts, version 1
 * records, deleting or disabling.
 */
#include <db.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "testlib.h"

#define PW	"long enough secret"
#define PW2	"another long secret"

static char		*home;
static struct schema	*schema;
static struct store	*store;
static int64_t		 clock_now = 1795770000;

/* The injected clock. */
static int64_t
fake_now(void)
{
	return clock_now;
}

/*
 * A fresh data directory; cheap hashes (the cost is benched, not
 * tested); no delay between wrong passwords but in the tests of it.
 */
static void
setup(void)
{
	test_store_open(&home, &schema, &store);
	auth_policy.iterations = 1000;
	auth_policy.delay_first = 0;
	auth_policy.now = fake_now;
	audit_set_clock(fake_now);
}

/* Close and remove it. */
static void
teardown(void)
{
	test_store_close(home, schema, store);
}

/* Count audit entries (audit_fn). */
static int
count_fn(const struct audit_entry *e, void *arg)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

/* How many entries have this action and user. */
static int
entries(const char *action, const char *user)
{
	struct audit_filter	f;
	struct ncen_err		err = NCEN_ERR_INIT;
	int			n = 0;

	memset(&f, 0, sizeof f);
	f.action = action;
	f.user = user;
	ck_assert(audit_scan(store, &f, count_fn, &n, &err) == NCEN_OK);
	ncen_err_free(&err);
	return n;
}

/* Sign in with a password; returns the code. */
static int
signin(const char *user, const char *pw, int *must_change)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;
	int			 rc;

	rc = auth_signin_password(store, user, pw, &a, &err);
	if (must_change != NULL && a != NULL)
		*must_change = a->must_change;
	auth_account_free(a);
	ncen_err_free(&err);
	return rc;
}

/* Add an account with a password. */
static void
add(const char *name, const char *roles, const char *pw)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_msg(auth_account_add(store, "admin1", name, roles, NULL, pw,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

START_TEST(test_hash_verify)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct auth_account	a;
	unsigned char		h[AUTH_HASH_LEN];

	memset(&a, 0, sizeof a);
	ck_assert(auth_account_set_password(&a, PW, &err) == NCEN_OK);
	ck_assert_uint_eq(a.iterations, 1000);
	ck_assert_int_eq(auth_verify(&a, PW, &err), 1);
	ck_assert_int_eq(auth_verify(&a, PW "x", &err), 0);
	ck_assert_int_eq(auth_verify(&a, "", &err), 0);
	/* The same password and salt give the same hash. */
	ck_assert(auth_hash(PW, a.salt, a.iterations, h, &err) == NCEN_OK);
	ck_assert_mem_eq(h, a.hash, AUTH_HASH_LEN);
	ck_assert_int_eq(auth_hash(PW, a.salt, 0, h, &err), NCEN_EUSAGE);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_right_and_wrong)
{
	int	must = -1;

	add("bob", "officer", PW);
	ck_assert_int_eq(signin("bob", PW, &must), NCEN_OK);
	ck_assert_int_eq(must, 1);	/* set by an admin: change it */
	ck_assert_int_eq(signin("bob", PW2, NULL), NCEN_EINVALID);
	ck_assert_int_eq(signin("nobody", PW, NULL), NCEN_EINVALID);
	ck_assert_int_eq(entries("signin.password", "bob"), 1);
	ck_assert_int_eq(entries("signin.fail", "bob"), 1);
	ck_assert_int_eq(entries("signin.refused", "nobody"), 1);
}
END_TEST

START_TEST(test_five_failures_lock)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;
	int			 i;

	add("bob", "officer", PW);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(signin("bob", "wrong password!!", NULL),
		    NCEN_EINVALID);
	ck_assert_int_eq(entries("signin.fail", "bob"), 5);
	ck_assert_int_eq(entries("account.lock", "bob"), 1);
	/* Locked: even the right password is refused, and says why. */
	ck_assert_int_eq(auth_signin_password(store, "bob", PW, &a, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
	    "the password of 'bob' is locked until"));
	ck_assert_int_eq(entries("signin.refused", "bob"), 1);
	/* The lock runs out. */
	clock_now += auth_policy.lock_seconds + 1;
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_OK);
	ck_assert_int_eq(auth_signin_key(store, "bob", &a, &err), NCEN_OK);
	ck_assert_uint_eq(a->failures, 0);
	ck_assert_int_eq(a->password_locked_until, 0);
	auth_account_free(a);
	ncen_err_free(&err);
}
END_TEST

/* The account as stored now. */
static struct auth_account *
account(const char *name)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;

	ck_assert_msg(auth_account_get(store, name, &a, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return a;
}

/* Its line in ncenctl user list. */
static char *
described(const char *name)
{
	struct auth_account	*a = account(name);
	struct buf		 b = BUF_INIT;

	auth_account_describe(a, clock_now, &b);
	auth_account_free(a);
	return buf_detach(&b);
}

/*
 * The key and the password are separate credentials: wrong passwords
 * lock the password and leave the key alone; an administrator's lock
 * refuses both, and unlocking frees both.
 */
START_TEST(test_key_survives_password_lock)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;
	char			*line;
	int			 i;

	add("bob", "officer", PW);
	for (i = 0; i < 5; i++)
		signin("bob", "wrong password!!", NULL);
	a = account("bob");
	ck_assert_int_eq(a->locked, 0);
	ck_assert_uint_eq(a->failures, 5);
	ck_assert(a->password_locked_until == clock_now +
	    auth_policy.lock_seconds);
	auth_account_free(a);
	ck_assert_msg(auth_signin_key(store, "bob", &a, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	ck_assert_str_eq(a->name, "bob");
	auth_account_free(a);
	ck_assert_int_eq(entries("signin.key", "bob"), 1);
	/* The key sign-in neither unlocks the password nor forgets. */
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_EINVALID);
	a = account("bob");
	ck_assert_uint_eq(a->failures, 5);
	ck_assert_int_gt(a->password_locked_until, clock_now);
	ck_assert_int_eq(auth_account_usable(a, clock_now, &err), NCEN_OK);
	ck_assert_int_eq(auth_password_usable(a, clock_now, 0, &err),
	    NCEN_EINVALID);
	auth_account_free(a);
	line = described("bob");
	ck_assert_ptr_nonnull(strstr(line, "  password-locked until "));
	ck_assert_ptr_null(strstr(line, "  locked"));
	ck_assert_ptr_nonnull(strstr(line, "failures=5"));
	free(line);
	/* An administrator's lock refuses the key and the password. */
	ck_assert(auth_account_lock(store, "admin1", "bob", 1, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(auth_signin_key(store, "bob", &a, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
	    "locked by an administrator"));
	clock_now += auth_policy.lock_seconds + 1;	/* password lock over */
	ck_assert_int_eq(auth_signin_password(store, "bob", PW, &a, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
	    "locked by an administrator"));
	line = described("bob");
	ck_assert_ptr_nonnull(strstr(line, "  locked"));
	ck_assert_ptr_null(strstr(line, "password-locked"));
	free(line);
	/* Unlocked: both again, and the failures forgotten. */
	clock_now -= auth_policy.lock_seconds + 1;
	ck_assert(auth_account_lock(store, "admin1", "bob", 0, &err) ==
	    NCEN_OK);
	a = account("bob");
	ck_assert_int_eq(a->locked, 0);
	ck_assert_uint_eq(a->failures, 0);
	ck_assert_int_eq(a->password_locked_until, 0);
	auth_account_free(a);
	ck_assert_int_eq(auth_signin_key(store, "bob", NULL, &err), NCEN_OK);
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_OK);
	ncen_err_free(&err);
}
END_TEST

/* The policy's delay: doubling from the first, capped, none if 0. */
START_TEST(test_delay_policy)
{
	static const unsigned	want[] = { 0, 1, 2, 4, 8, 16, 30, 30, 30 };
	unsigned		i;

	auth_policy.delay_first = AUTH_DELAY_FIRST;
	auth_policy.delay_max = AUTH_DELAY_MAX;
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		ck_assert_uint_eq(auth_delay(i), want[i]);
	ck_assert_uint_eq(auth_delay(UINT32_MAX), 30);
	auth_policy.delay_first = 3;
	auth_policy.delay_max = 10;
	ck_assert_uint_eq(auth_delay(1), 3);
	ck_assert_uint_eq(auth_delay(2), 6);
	ck_assert_uint_eq(auth_delay(3), 10);
	auth_policy.delay_max = 2;		/* the cap wins */
	ck_assert_uint_eq(auth_delay(1), 2);
	auth_policy.delay_first = 0;
	ck_assert_uint_eq(auth_delay(4), 0);
}
END_TEST

/* The environment sets the policy's times; nonsense is ignored. */
START_TEST(test_delay_env)
{
	setenv("NCEN_SIGNIN_DELAY", "2", 1);
	setenv("NCEN_SIGNIN_DELAY_MAX", "5", 1);
	setenv("NCEN_LOCK_SECONDS", "soon", 1);
	auth_policy.lock_seconds = 900;
	auth_policy_env();
	ck_assert_uint_eq(auth_policy.delay_first, 2);
	ck_assert_uint_eq(auth_policy.delay_max, 5);
	ck_assert_uint_eq(auth_policy.lock_seconds, 900);
	setenv("NCEN_SIGNIN_DELAY", "0", 1);
	setenv("NCEN_SIGNIN_DELAY_MAX", "99999", 1);	/* over an hour */
	auth_policy_env();
	ck_assert_uint_eq(auth_policy.delay_first, 0);
	ck_assert_uint_eq(auth_policy.delay_max, 5);
	unsetenv("NCEN_SIGNIN_DELAY");
	unsetenv("NCEN_SIGNIN_DELAY_MAX");
	unsetenv("NCEN_LOCK_SECONDS");
}
END_TEST

/*
 * After each wrong password the next try waits: one made sooner is
 * refused, even with the right password, neither checked nor counted,
 * and audited; once the wait is over the try counts again.
 */
START_TEST(test_delay_enforced)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;

	auth_policy.delay_first = 1;
	auth_policy.delay_max = 4;
	add("bob", "officer", PW);
	ck_assert_int_eq(signin("bob", "wrong password!!", NULL),
	    NCEN_EINVALID);
	a = account("bob");
	ck_assert_uint_eq(auth_password_wait(a, clock_now), 1);
	ck_assert_uint_eq(auth_password_wait(a, clock_now + 1), 0);
	auth_account_free(a);
	/* Too soon: the right password is refused, with the wait. */
	ck_assert_int_eq(auth_signin_password(store, "bob", PW, &a, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "try again in 1 s"));
	ck_assert_int_eq(entries("signin.refused", "bob"), 1);
	a = account("bob");
	ck_assert_uint_eq(a->failures, 1);	/* not counted */
	auth_account_free(a);
	/* A second wrong one doubles the wait. */
	clock_now += 1;
	ck_assert_int_eq(signin("bob", "wrong password!!", NULL),
	    NCEN_EINVALID);
	clock_now += 1;
	ck_assert_int_eq(auth_signin_password(store, "bob", PW, NULL, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "try again in 1 s"));
	clock_now += 1;
	ck_assert_int_eq(signin("bob", "wrong password!!", NULL),
	    NCEN_EINVALID);
	a = account("bob");
	ck_assert_uint_eq(a->failures, 3);
	ck_assert_uint_eq(auth_password_wait(a, clock_now), 4);
	auth_account_free(a);
	/* Capped at 4, and the key is never delayed. */
	clock_now += 4;
	ck_assert_int_eq(signin("bob", "wrong password!!", NULL),
	    NCEN_EINVALID);
	a = account("bob");
	ck_assert_uint_eq(auth_password_wait(a, clock_now), 4);
	auth_account_free(a);
	ck_assert_int_eq(auth_signin_key(store, "bob", NULL, &err), NCEN_OK);
	/* A wrong current password in a change counts, and waits too. */
	ck_assert_int_eq(auth_password_change(store, "bob", PW, PW2, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "try again in 4 s"));
	/* The right one after the wait signs in and forgets the failures. */
	clock_now += 4;
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_OK);
	a = account("bob");
	ck_assert_uint_eq(a->failures, 0);
	ck_assert_uint_eq(auth_password_wait(a, clock_now), 0);
	auth_account_free(a);
	ck_assert_int_eq(entries("signin.fail", "bob"), 4);
	ck_assert_int_eq(entries("signin.refused", "bob"), 2);
	ncen_err_free(&err);
}
END_TEST

/* A wrong current password in a change counts as a failed sign-in. */
START_TEST(test_change_counts)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a;
	int			 i;

	add("bob", "officer", PW);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(auth_password_change(store, "bob",
		    "not the password", PW2, &err), NCEN_EINVALID);
	ck_assert_int_eq(entries("signin.fail", "bob"), 5);
	a = account("bob");
	ck_assert_int_gt(a->password_locked_until, clock_now);
	auth_account_free(a);
	ck_assert_int_eq(auth_password_change(store, "bob", PW, PW2, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "is locked until"));
	ncen_err_free(&err);
}
END_TEST

/* Put raw bytes as an account's record (version 1, as written before). */
static int
put_raw(struct store_txn *t, void *arg, struct ncen_err *err)
{
	const char	**kv = arg;
	DB		 *db = t->st->accounts;
	DBT		  key, data;
	int		  ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = (void *)(uintptr_t)kv[0];
	key.size = (u_int32_t)strlen(kv[0]);
	data.data = (void *)(uintptr_t)kv[1];
	data.size = (u_int32_t)strlen(kv[1]);
	if ((ret = db->put(db, t->txn, &key, &data, 0)) != 0)
		return ncen_err_set(err, NCEN_EDB, "put: %s", db_strerror(ret));
	return NCEN_OK;
}

/* Store an account's bytes as they are. */
static void
raw(const char *name, const char *bytes)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	const char	*kv[2];

	kv[0] = name;
	kv[1] = bytes;
	ck_assert_msg(store_run(store, put_raw, (void *)kv, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

#define V1(lock)							\
	"ncen-account 1\nroles=officer\noffices=FRCDG01\n"		\
	"hash=0000000000000000000000000000000000000000000000000000000000000000\n" \
	"salt=00000000000000000000000000000000\niterations=0\n"	\
	"must_change=0\nfailures=5\nlocked_until=" lock "\n"		\
	"disabled=0\ncreated=1795000000\nmodified=1795000000\n"

/*
 * Version 1 records, written before the key and the password were
 * apart, read as what they meant: an administrator's lock stays a lock
 * of both, a lock after failures becomes the password's; a version
 * this build does not know is refused, not misread.
 */
START_TEST(test_v1_records)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a;
	char			*line;

	raw("ann", V1("9223372036854775807"));
	raw("ben", V1("1795770600"));
	raw("cat", V1("0"));
	raw("dan", "ncen-account 3\nroles=officer\n");
	a = account("ann");
	ck_assert_int_eq(a->locked, 1);
	ck_assert_int_eq(a->password_locked_until, 0);
	ck_assert_uint_eq(a->roles, AUTH_R_OFFICER);
	ck_assert_str_eq(a->offices[0], "FRCDG01");
	auth_account_free(a);
	ck_assert_int_eq(auth_signin_key(store, "ann", NULL, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
	    "locked by an administrator"));
	a = account("ben");
	ck_assert_int_eq(a->locked, 0);
	ck_assert_int_eq(a->password_locked_until, 1795770600);
	ck_assert_uint_eq(a->failures, 5);
	auth_account_free(a);
	ck_assert_int_eq(auth_signin_key(store, "ben", NULL, &err), NCEN_OK);
	line = described("ben");
	ck_assert_ptr_nonnull(strstr(line, "password-locked until"));
	free(line);
	a = account("cat");
	ck_assert_int_eq(a->locked, 0);
	ck_assert_int_eq(a->password_locked_until, 0);
	auth_account_free(a);
	ck_assert_int_eq(auth_account_get(store, "dan", &a, &err),
	    NCEN_EPARSE);
	/* Written back as version 2, the lock kept. */
	ck_assert(auth_account_lock(store, "admin1", "ben", 1, &err) ==
	    NCEN_OK);
	a = account("ben");
	ck_assert_int_eq(a->locked, 1);
	ck_assert_int_eq(a->password_locked_until, 1795770600);
	auth_account_free(a);
	a = account("ann");
	ck_assert_int_eq(a->locked, 1);
	auth_account_free(a);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_lock_time_configurable)
{
	unsigned	saved = auth_policy.lock_seconds;
	int		i;

	auth_policy.lock_seconds = 60;
	add("bob", "officer", PW);
	for (i = 0; i < 5; i++)
		signin("bob", "wrong password!!", NULL);
	clock_now += 30;
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_EINVALID);
	clock_now += 31;
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_OK);
	auth_policy.lock_seconds = saved;
}
END_TEST

START_TEST(test_must_change)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	int		must = -1;

	add("bob", "officer", PW);
	ck_assert_int_eq(auth_password_change(store, "bob", "nope nope nope",
	    PW2, &err), NCEN_EINVALID);
	ck_assert_int_eq(auth_password_change(store, "bob", PW, PW, &err),
	    NCEN_EINVALID);
	ck_assert_int_eq(auth_password_change(store, "bob", PW, "short",
	    &err), NCEN_EINVALID);
	ck_assert_int_eq(auth_password_change(store, "bob", PW, PW2, &err),
	    NCEN_OK);
	ck_assert_int_eq(signin("bob", PW2, &must), NCEN_OK);
	ck_assert_int_eq(must, 0);
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_EINVALID);
	/* An admin reset forces a change again. */
	ck_assert(auth_account_passwd(store, "admin1", "bob", PW, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(signin("bob", PW, &must), NCEN_OK);
	ck_assert_int_eq(must, 1);
	ck_assert_int_eq(entries("account.passwd", "admin1"), 1);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_policy)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_int_eq(auth_password_check("bob", "short", &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "at least 12"));
	ck_assert_int_eq(auth_password_check("roberto", "my name is ROBERTO!",
	    &err), NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "user name"));
	ck_assert_int_eq(auth_password_check("bob", "ééééééééééé", &err),
	    NCEN_EINVALID);	/* 11 characters, 22 bytes */
	ck_assert_int_eq(auth_password_check("bob", PW, &err), NCEN_OK);
	ck_assert_int_eq(auth_account_add(store, "admin1", "roberto",
	    "officer", NULL, "roberto123456789", &err), NCEN_EINVALID);
	ck_assert_int_eq(auth_account_add(store, "admin1", "Bad Name",
	    "officer", NULL, NULL, &err), NCEN_EUSAGE);
	ck_assert_int_eq(auth_account_add(store, "admin1", "amy", "chief",
	    NULL, NULL, &err), NCEN_EUSAGE);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_accounts)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;
	struct auth_change	 ch;
	int			 disabled = -1;

	ck_assert(auth_account_add(store, "admin1", "amy", "analyst",
	    "FRCDG01", NULL, &err) == NCEN_OK);
	ck_assert_int_eq(auth_account_add(store, "admin1", "amy", "officer",
	    NULL, NULL, &err), NCEN_EEXISTS);
	memset(&ch, 0, sizeof ch);
	ch.roles = "analyst,ncp";
	ch.offices = "";
	ck_assert(auth_account_mod(store, "admin1", "amy", &ch, &err) ==
	    NCEN_OK);
	ck_assert(auth_account_get(store, "amy", &a, &err) == NCEN_OK);
	ck_assert_uint_eq(a->roles, AUTH_R_ANALYST | AUTH_R_NCP);
	ck_assert_uint_eq(a->noffices, 0);
	ck_assert_uint_eq(a->iterations, 0);	/* no password: no console */
	auth_account_free(a);
	ck_assert_int_eq(signin("amy", "", NULL), NCEN_EINVALID);
	/* Admin lock and unlock; key sign-in follows. */
	ck_assert(auth_account_lock(store, "admin1", "amy", 1, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(auth_signin_key(store, "amy", NULL, &err),
	    NCEN_EINVALID);
	ck_assert(auth_account_lock(store, "admin1", "amy", 0, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(auth_signin_key(store, "amy", NULL, &err), NCEN_OK);
	/* amy signed in: the audit names her, so del only disables. */
	ck_assert(auth_account_del(store, "admin1", "amy", &disabled, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(disabled, 1);
	ck_assert_int_eq(auth_signin_key(store, "amy", NULL, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "disabled"));
	/* Nobody names zed: deleted. */
	ck_assert(auth_account_add(store, "admin1", "zed", "officer", NULL,
	    NULL, &err) == NCEN_OK);
	ck_assert(auth_account_del(store, "admin1", "zed", &disabled, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(disabled, 0);
	ck_assert_int_eq(auth_account_get(store, "zed", &a, &err),
	    NCEN_ENOTFOUND);
	ck_assert_int_eq(auth_signin_key(store, "zed", NULL, &err),
	    NCEN_EINVALID);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("auth");
	TCase	*tc = tcase_create("auth");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_hash_verify);
	tcase_add_test(tc, test_right_and_wrong);
	tcase_add_test(tc, test_five_failures_lock);
	tcase_add_test(tc, test_key_survives_password_lock);
	tcase_add_test(tc, test_delay_policy);
	tcase_add_test(tc, test_delay_env);
	tcase_add_test(tc, test_delay_enforced);
	tcase_add_test(tc, test_change_counts);
	tcase_add_test(tc, test_v1_records);
	tcase_add_test(tc, test_lock_time_configurable);
	tcase_add_test(tc, test_must_change);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_accounts);
	suite_add_tcase(s, tc);
	return test_run(s);
}
