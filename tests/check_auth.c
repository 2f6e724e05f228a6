/*
 * check_auth.c - accounts and sign-in through the library: hashing,
 * wrong passwords, five failures lock (and each is audited), the lock
 * running out (injected clock), must-change, the password policy, key
 * sign-in of locked and disabled accounts, deleting or disabling.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "error.h"
#include "schema.h"
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

/* A fresh data directory; cheap hashes (the cost is benched, not tested). */
static void
setup(void)
{
	test_store_open(&home, &schema, &store);
	auth_policy.iterations = 1000;
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
	/* Locked: even the right password, and the key, are refused. */
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_EINVALID);
	ck_assert_int_eq(auth_signin_key(store, "bob", &a, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "locked until"));
	ck_assert_int_eq(entries("signin.refused", "bob"), 2);
	/* The lock runs out. */
	clock_now += auth_policy.lock_seconds + 1;
	ck_assert_int_eq(signin("bob", PW, NULL), NCEN_OK);
	ck_assert_int_eq(auth_signin_key(store, "bob", &a, &err), NCEN_OK);
	ck_assert_uint_eq(a->failures, 0);
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
	tcase_add_test(tc, test_lock_time_configurable);
	tcase_add_test(tc, test_must_change);
	tcase_add_test(tc, test_policy);
	tcase_add_test(tc, test_accounts);
	suite_add_tcase(s, tc);
	return test_run(s);
}
