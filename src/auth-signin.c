/*
 * auth-signin.c - signing in with a key (SSH already checked it) or a
 * password: every attempt audited.  The two are separate credentials:
 * wrong passwords are counted, delay the next try (auth_delay) and
 * lock the password after too many, but never refuse the key; an
 * administrator's lock and a disabled account refuse both.
 */
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store.h"
#include "xmalloc.h"

/* One sign-in attempt, for its transaction. */
struct auth_signin {
	const char		*user;
	int			 how;		/* AUTH_SIGNIN_* */
	int			 good;		/* the password matched */
	int			 unchecked;	/* too soon: no hash */
	const unsigned char	*salt;		/* the salt it was checked with */
	struct auth_account	*account;	/* read in the transaction */
	struct ncen_err		 refusal;	/* committed, then returned */
};

enum {
	AUTH_SIGNIN_KEY,
	AUTH_SIGNIN_PASSWORD,
};

/*
 * A wrong password: count it, remember when, and lock the password
 * after the policy's failures (the lock's own audit entry first).
 * Sets *action and details to what the caller audits.
 */
static int
auth_signin_wrong(struct store_txn *t, struct auth_signin *s,
    struct auth_account *a, int64_t now, const char *rec,
    const char **action, struct buf *details, struct ncen_err *err)
{
	int	error;

	*action = "signin.fail";
	a->failures++;
	a->failed_at = now;
	buf_addf(details, "wrong password (%u in a row)", a->failures);
	ncen_err_set(&s->refusal, NCEN_EINVALID, _("wrong user name or "
	    "password"));
	if (a->failures < auth_policy.max_failures)
		return NCEN_OK;
	a->password_locked_until = now + auth_policy.lock_seconds;
	if ((error = audit_append(t, s->user, *action, rec, details->s,
	    err)) != NCEN_OK)
		return error;
	*action = "account.lock";
	buf_reset(details);
	buf_addf(details, "password locked for %u seconds after %u failed "
	    "sign-ins (the key still signs in)", auth_policy.lock_seconds,
	    a->failures);
	return NCEN_OK;
}

/* The transaction of a sign-in: check, count, lock, audit. */
static int
auth_signin_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct auth_signin	*s = arg;
	struct auth_account	*a = NULL;
	struct buf		 rec = BUF_INIT, details = BUF_INIT;
	struct ncen_err		 en = NCEN_ERR_INIT;
	const char		*action;
	int64_t			 now = auth_now();
	unsigned		 wait;
	int			 error, dirty = 0, pw = s->how ==
				     AUTH_SIGNIN_PASSWORD;

	ncen_err_clear(&s->refusal);
	auth_account_free(s->account);
	s->account = NULL;
	buf_addf(&rec, "account:%s", s->user);
	error = auth_account_txn_get(t, s->user, 1, &a, err);
	if (error == NCEN_ENOTFOUND) {
		/* Audited under the name tried; the caller learns no more. */
		ncen_err_set(&s->refusal, NCEN_EINVALID, "%s", s->how ==
		    AUTH_SIGNIN_KEY ? _("no such account") :
		    _("wrong user name or password"));
		error = audit_append(t, s->user, "signin.refused", rec.s,
		    "no such account", err);
		goto out;
	}
	if (error != NCEN_OK)
		goto out;
	/* A password lock that ran out forgets the failures that made it. */
	if (pw && a->password_locked_until != 0 &&
	    a->password_locked_until <= now) {
		a->password_locked_until = 0;
		a->failures = 0;
		a->failed_at = 0;
		dirty = 1;
	}
	wait = pw ? auth_password_wait(a, now) : 0;
	if (pw ? auth_password_usable(a, now, 0, &s->refusal) != NCEN_OK :
	    auth_account_usable(a, now, &s->refusal) != NCEN_OK) {
		/* The audit log reads the same for everyone: English. */
		action = "signin.refused";
		(void)(pw ? auth_password_usable(a, now, 1, &en) :
		    auth_account_usable_audit(a, now, &en));
		buf_adds(&details, ncen_err_msg(&en));
	} else if (!pw) {
		action = "signin.key";
		buf_adds(&details, "ssh key");
	} else if (wait != 0 || s->unchecked) {
		/* Too soon after a wrong one: neither checked nor counted. */
		wait = wait != 0 ? wait : 1;
		action = "signin.refused";
		buf_addf(&details, "password tried %u seconds too soon after "
		    "%u wrong ones in a row", wait, a->failures);
		ncen_err_set(&s->refusal, NCEN_EINVALID, _("too many wrong "
		    "passwords in a row: try again in %u s"), wait);
	} else if (s->good && s->salt != NULL &&
	    CRYPTO_memcmp(s->salt, a->salt, AUTH_SALT_LEN) == 0) {
		action = "signin.password";
		buf_adds(&details, a->must_change ? "password, must change it" :
		    "password");
		if (a->failures != 0 || a->failed_at != 0)
			dirty = 1;
		a->failures = 0;
		a->failed_at = 0;
	} else {
		dirty = 1;
		if ((error = auth_signin_wrong(t, s, a, now, rec.s, &action,
		    &details, err)) != NCEN_OK)
			goto out;
	}
	if (dirty) {
		a->modified = now;
		if ((error = auth_account_txn_put(t, a, err)) != NCEN_OK)
			goto out;
	}
	if ((error = audit_append(t, s->user, action, rec.s, details.s,
	    err)) != NCEN_OK)
		goto out;
	s->account = a;
	a = NULL;
out:
	auth_account_free(a);
	buf_free(&rec);
	buf_free(&details);
	ncen_err_free(&en);
	return error;
}

/* Run a sign-in; a refusal is committed (audited), then returned. */
static int
auth_signin_run(struct store *st, struct auth_signin *s,
    struct auth_account **ap, struct ncen_err *err)
{
	int	error;

	if (ap != NULL)
		*ap = NULL;
	if (s->user == NULL || *s->user == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("no user name given"));
	if (auth_name_check(s->user, err) != NCEN_OK)
		return NCEN_EUSAGE;
	error = store_run(st, auth_signin_txn, s, err);
	if (error == NCEN_OK && s->refusal.code != NCEN_OK)
		error = ncen_err_set(err, s->refusal.code, "%s",
		    ncen_err_msg(&s->refusal));
	if (error == NCEN_OK && ap != NULL) {
		*ap = s->account;
		s->account = NULL;
	}
	auth_account_free(s->account);
	ncen_err_free(&s->refusal);
	return error;
}

/* Sign in over SSH: the key was checked by sshd; the account must be usable. */
int
auth_signin_key(struct store *st, const char *user,
    struct auth_account **ap, struct ncen_err *err)
{
	struct auth_signin	s;

	memset(&s, 0, sizeof s);
	s.user = user;
	s.how = AUTH_SIGNIN_KEY;
	return auth_signin_run(st, &s, ap, err);
}

/*
 * Sign in with a password: the slow hash runs outside any transaction,
 * and not at all for a password that may not be tried now (locked, or
 * too soon), which the transaction refuses again.
 */
int
auth_signin_password(struct store *st, const char *user, const char *pw,
    struct auth_account **ap, struct ncen_err *err)
{
	struct auth_signin	 s;
	struct auth_account	*a = NULL;
	unsigned char		 salt[AUTH_SALT_LEN];
	int64_t			 now = auth_now();
	int			 r, error, triable;

	memset(&s, 0, sizeof s);
	s.user = user;
	s.how = AUTH_SIGNIN_PASSWORD;
	if (auth_name_check(user, err) != NCEN_OK)
		return NCEN_EUSAGE;
	error = auth_account_get(st, user, &a, err);
	if (error != NCEN_OK && error != NCEN_ENOTFOUND)
		return error;
	ncen_err_clear(err);
	triable = a != NULL && auth_password_usable(a, now, 0, NULL) ==
	    NCEN_OK;
	if (triable && auth_password_wait(a, now) != 0)
		s.unchecked = 1;
	else if (triable) {
		if ((r = auth_verify(a, pw, err)) < 0) {
			auth_account_free(a);
			return -r;
		}
		s.good = r;
		memcpy(salt, a->salt, sizeof salt);
		s.salt = salt;
	}
	auth_account_free(a);
	return auth_signin_run(st, &s, ap, err);
}

/* What a password change writes, for its transaction. */
struct auth_newpw {
	const char		*user;
	const unsigned char	*oldsalt;
	struct auth_account	*h;
};

/* The transaction of a password change. */
static int
auth_newpw_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct auth_newpw	*n = arg;
	struct auth_account	*a = NULL;
	struct buf		 rec = BUF_INIT;
	int			 error;

	if ((error = auth_account_txn_get(t, n->user, 1, &a, err)) != NCEN_OK)
		goto out;
	if (CRYPTO_memcmp(a->salt, n->oldsalt, AUTH_SALT_LEN) != 0) {
		error = ncen_err_set(err, NCEN_ECONFLICT, _("the password of "
		    "'%s' was changed meanwhile"), n->user);
		goto out;
	}
	memcpy(a->hash, n->h->hash, AUTH_HASH_LEN);
	memcpy(a->salt, n->h->salt, AUTH_SALT_LEN);
	a->iterations = n->h->iterations;
	a->must_change = 0;
	a->failures = 0;
	a->modified = auth_now();
	buf_addf(&rec, "account:%s", n->user);
	if ((error = auth_account_txn_put(t, a, err)) == NCEN_OK)
		error = audit_append(t, n->user, "account.password", rec.s,
		    "changed by its user", err);
out:
	auth_account_free(a);
	buf_free(&rec);
	return error;
}

/* The user changes their own password: the old one is checked first. */
int
auth_password_change(struct store *st, const char *user, const char *old,
    const char *pw, struct ncen_err *err)
{
	struct auth_account	*a = NULL, h;
	struct auth_newpw	 n;
	struct auth_signin	 s;
	unsigned char		 oldsalt[AUTH_SALT_LEN];
	unsigned		 w;
	int			 r, error;

	if ((error = auth_account_get(st, user, &a, err)) != NCEN_OK)
		return error;
	memcpy(oldsalt, a->salt, sizeof oldsalt);
	if ((error = auth_password_usable(a, auth_now(), 0, err)) != NCEN_OK)
		goto out;
	if ((w = auth_password_wait(a, auth_now())) != 0) {
		error = ncen_err_set(err, NCEN_EINVALID, _("too many wrong "
		    "passwords in a row: try again in %u s"), w);
		goto out;
	}
	if ((r = auth_verify(a, old, err)) < 0) {
		error = -r;
		goto out;
	}
	if (r == 0) {
		/* A wrong current password counts as a failed sign-in. */
		memset(&s, 0, sizeof s);
		s.user = user;
		s.how = AUTH_SIGNIN_PASSWORD;
		error = auth_signin_run(st, &s, NULL, err);
		if (error == NCEN_OK || error == NCEN_EINVALID)
			error = ncen_err_set(err, NCEN_EINVALID,
			    _("the current password is wrong"));
		goto out;
	}
	if (strcmp(old, pw) == 0) {
		error = ncen_err_set(err, NCEN_EINVALID, _("the new password "
		    "is the current one"));
		goto out;
	}
	if ((error = auth_password_check(user, pw, err)) != NCEN_OK)
		goto out;
	memset(&h, 0, sizeof h);
	if ((error = auth_account_set_password(&h, pw, err)) != NCEN_OK)
		goto out;
	n.user = user;
	n.oldsalt = oldsalt;
	n.h = &h;
	error = store_run(st, auth_newpw_txn, &n, err);
	OPENSSL_cleanse(&h, sizeof h);
out:
	auth_account_free(a);
	return error;
}
