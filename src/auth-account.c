/*
 * auth-account.c - accounts in accounts.db: their bytes, password
 * hashes, the delay and locks that refuse a sign-in, and the
 * administrator's changes (each audited in its transaction).
 *
 * The stored bytes are "key=value" lines after a version line.  Version
 * 1 had one lock for the whole account, locked_until: AUTH_V1_FOREVER
 * for an administrator's lock, else the end of the lock after too many
 * wrong passwords.  Version 2 keeps the two apart (locked, and
 * password_locked_until) and adds failed_at, the time of the last wrong
 * password; version 1 records are read as their meaning and written
 * back as version 2.
 */
#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <limits.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-kv.h"
#include "store.h"
#include "xmalloc.h"

#define AUTH_V1_FOREVER		INT64_MAX	/* locked_until of an admin */
#define AUTH_VERSION_LINE	"ncen-account 2\n"

struct auth_policy auth_policy = {
	AUTH_MAX_FAILURES, AUTH_LOCK_SECONDS, AUTH_DELAY_FIRST,
	AUTH_DELAY_MAX, AUTH_MIN_LENGTH, AUTH_ITERATIONS, NULL
};

/* The policy's settings from the environment, with their upper bounds. */
static const struct auth_policy_var {
	const char	*name;
	unsigned	*value;
	unsigned long	 max;
} auth_policy_vars[] = {
	{ "NCEN_LOCK_SECONDS", &auth_policy.lock_seconds, 30UL * 86400 },
	{ "NCEN_SIGNIN_DELAY", &auth_policy.delay_first, 3600 },
	{ "NCEN_SIGNIN_DELAY_MAX", &auth_policy.delay_max, 3600 },
};

/* Seconds since the epoch from the policy's clock. */
int64_t
auth_now(void)
{
	return auth_policy.now != NULL ? auth_policy.now() :
	    (int64_t)time(NULL);
}

/* Take the policy's times from the environment where they are numbers. */
void
auth_policy_env(void)
{
	const struct auth_policy_var	*p;
	const char			*v;
	char				*end;
	unsigned long			 n;
	size_t				 i;

	for (i = 0; i < sizeof auth_policy_vars / sizeof *auth_policy_vars;
	    i++) {
		p = &auth_policy_vars[i];
		if ((v = getenv(p->name)) == NULL || *v < '0' || *v > '9')
			continue;
		n = strtoul(v, &end, 10);
		if (*end == '\0' && n <= p->max)
			*p->value = (unsigned)n;
	}
}

/*
 * Seconds to wait after failures wrong passwords in a row: none for
 * none, then the policy's first delay doubled after each more, at most
 * its maximum.
 */
unsigned
auth_delay(uint32_t failures)
{
	unsigned	d = auth_policy.delay_first;
	uint32_t	i;

	if (failures == 0 || d == 0)
		return 0;
	for (i = 1; i < failures && d < auth_policy.delay_max; i++)
		d = d > UINT_MAX / 2 ? UINT_MAX : d * 2;
	return d < auth_policy.delay_max ? d : auth_policy.delay_max;
}

/* Seconds before the account's password may be tried again (0: now). */
unsigned
auth_password_wait(const struct auth_account *a, int64_t now)
{
	int64_t	until;

	if (a->failures == 0 || a->failed_at <= 0)
		return 0;
	until = a->failed_at + (int64_t)auth_delay(a->failures);
	return until > now ? (unsigned)(until - now) : 0;
}

/* A user name: 1-32 of [a-z0-9._-], starting with a letter. */
int
auth_name_check(const char *name, struct ncen_err *err)
{
	size_t	i, len = name != NULL ? strlen(name) : 0;

	if (len == 0 || len > AUTH_NAME_MAX || !islower((unsigned char)*name))
		goto bad;
	for (i = 0; i < len; i++)
		if (!islower((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '.' &&
		    name[i] != '_' && name[i] != '-')
			goto bad;
	return NCEN_OK;
bad:
	return ncen_err_set(err, NCEN_EUSAGE, _("bad user name '%s': 1 to %d "
	    "lower-case letters, digits, '.', '_' or '-', starting with a "
	    "letter"), name != NULL ? name : "", AUTH_NAME_MAX);
}

/* Whether hay contains needle, ignoring ASCII case. */
static int
auth_account_contains(const char *hay, const char *needle)
{
	size_t	n = strlen(needle), i;

	for (i = 0; n != 0 && hay[i] != '\0'; i++)
		if (strncasecmp(hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The password policy: minimum length, not built on the user name. */
int
auth_password_check(const char *user, const char *pw, struct ncen_err *err)
{
	const unsigned char	*p;
	size_t			 chars = 0;

	if (pw == NULL)
		return ncen_err_set(err, NCEN_EINVALID, _("no password given"));
	for (p = (const unsigned char *)pw; *p != '\0'; p++)
		if ((*p & 0xc0) != 0x80)
			chars++;
	if (chars < auth_policy.min_length)
		return ncen_err_set(err, NCEN_EINVALID, _("the password is too "
		    "short: %zu characters, at least %zu are needed"), chars,
		    auth_policy.min_length);
	if (user != NULL && *user != '\0' &&
	    auth_account_contains(pw, user))
		return ncen_err_set(err, NCEN_EINVALID, _("the password "
		    "contains the user name"));
	return NCEN_OK;
}

/* PBKDF2-HMAC-SHA256 of a password. */
int
auth_hash(const char *pw, const unsigned char *salt, uint32_t iterations,
    unsigned char out[AUTH_HASH_LEN], struct ncen_err *err)
{
	if (iterations == 0 || iterations > INT32_MAX)
		return ncen_err_set(err, NCEN_EUSAGE, _("bad iteration count"));
	if (PKCS5_PBKDF2_HMAC(pw, (int)strlen(pw), salt, AUTH_SALT_LEN,
	    (int)iterations, EVP_sha256(), AUTH_HASH_LEN, out) != 1)
		return ncen_err_set(err, NCEN_EIO,
		    _("PKCS5_PBKDF2_HMAC failed"));
	return NCEN_OK;
}

/* 1 if the password is the account's, 0 if not, -code on failure. */
int
auth_verify(const struct auth_account *a, const char *pw,
    struct ncen_err *err)
{
	unsigned char	h[AUTH_HASH_LEN];
	int		error, same;

	if (a->iterations == 0 || pw == NULL)
		return 0;
	if ((error = auth_hash(pw, a->salt, a->iterations, h, err)) !=
	    NCEN_OK)
		return -error;
	same = CRYPTO_memcmp(h, a->hash, AUTH_HASH_LEN) == 0;
	OPENSSL_cleanse(h, sizeof h);
	return same;
}

/* Set a new password hash with a fresh salt (the policy's iterations). */
int
auth_account_set_password(struct auth_account *a, const char *pw,
    struct ncen_err *err)
{
	if (RAND_bytes(a->salt, AUTH_SALT_LEN) != 1)
		return ncen_err_set(err, NCEN_EIO, _("RAND_bytes failed"));
	a->iterations = auth_policy.iterations;
	return auth_hash(pw, a->salt, a->iterations, a->hash, err);
}

/* Free an account. */
void
auth_account_free(struct auth_account *a)
{
	size_t	i;

	if (a == NULL)
		return;
	for (i = 0; i < a->noffices; i++)
		free(a->offices[i]);
	free(a->offices);
	free(a->name);
	OPENSSL_cleanse(a->hash, sizeof a->hash);
	free(a);
}

/* Replace the account's offices with a comma-separated list. */
static void
auth_account_set_offices(struct auth_account *a, const char *list)
{
	const char	*p, *end;
	size_t		 i;

	for (i = 0; i < a->noffices; i++)
		free(a->offices[i]);
	free(a->offices);
	a->offices = NULL;
	a->noffices = 0;
	for (p = list; p != NULL && *p != '\0'; p = *end == ',' ? end + 1 :
	    end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if (end == p)
			continue;
		a->offices = xreallocarray(a->offices, a->noffices + 1,
		    sizeof *a->offices);
		a->offices[a->noffices++] = xstrndup(p, (size_t)(end - p));
	}
}

/* Append bytes as lower-case hex. */
static void
auth_account_hex(struct buf *b, const unsigned char *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		buf_addf(b, "%02x", p[i]);
}

/* Read exactly n bytes of hex; -1 if malformed. */
static int
auth_account_unhex(const char *s, unsigned char *p, size_t n)
{
	unsigned	v;
	size_t		i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[2 * i]) ||
		    !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		p[i] = (unsigned char)v;
	}
	return 0;
}

/* The stored bytes of an account: "key=value" lines. */
static void
auth_account_encode(const struct auth_account *a, struct buf *b)
{
	size_t	i;

	buf_adds(b, AUTH_VERSION_LINE "roles=");
	auth_roles_format(a->roles, b);
	buf_adds(b, "\noffices=");
	for (i = 0; i < a->noffices; i++)
		buf_addf(b, "%s%s", i == 0 ? "" : ",", a->offices[i]);
	buf_adds(b, "\nhash=");
	auth_account_hex(b, a->hash, AUTH_HASH_LEN);
	buf_adds(b, "\nsalt=");
	auth_account_hex(b, a->salt, AUTH_SALT_LEN);
	buf_addf(b, "\niterations=%u\nmust_change=%d\nlocked=%d\n"
	    "disabled=%d\nfailures=%u\nfailed_at=%lld\n"
	    "password_locked_until=%lld\ncreated=%lld\nmodified=%lld\n",
	    a->iterations, a->must_change, a->locked, a->disabled,
	    a->failures, (long long)a->failed_at,
	    (long long)a->password_locked_until, (long long)a->created,
	    (long long)a->modified);
}

/* Version 1's one lock, read as what it meant. */
static void
auth_account_v1_lock(struct auth_account *a, int64_t locked_until)
{
	if (locked_until == AUTH_V1_FOREVER)
		a->locked = 1;
	else if (locked_until > 0)
		a->password_locked_until = locked_until;
}

/* Parse one "key=value" line into the account; -1 if malformed. */
static int
auth_account_field(struct auth_account *a, const char *k, const char *v)
{
	char		*end;
	long long	 n = 0;

	if (strcmp(k, "roles") == 0)
		a->roles = *v == '\0' ? 0 : auth_roles_parse(v);
	else if (strcmp(k, "offices") == 0)
		auth_account_set_offices(a, v);
	else if (strcmp(k, "hash") == 0)
		return auth_account_unhex(v, a->hash, AUTH_HASH_LEN);
	else if (strcmp(k, "salt") == 0)
		return auth_account_unhex(v, a->salt, AUTH_SALT_LEN);
	else {
		n = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0')
			return -1;
		if (strcmp(k, "iterations") == 0)
			a->iterations = (uint32_t)n;
		else if (strcmp(k, "must_change") == 0)
			a->must_change = n != 0;
		else if (strcmp(k, "failures") == 0)
			a->failures = (uint32_t)n;
		else if (strcmp(k, "locked") == 0)
			a->locked = n != 0;
		else if (strcmp(k, "failed_at") == 0)
			a->failed_at = (int64_t)n;
		else if (strcmp(k, "password_locked_until") == 0)
			a->password_locked_until = (int64_t)n;
		else if (strcmp(k, "locked_until") == 0)	/* version 1 */
			auth_account_v1_lock(a, (int64_t)n);
		else if (strcmp(k, "disabled") == 0)
			a->disabled = n != 0;
		else if (strcmp(k, "created") == 0)
			a->created = (int64_t)n;
		else if (strcmp(k, "modified") == 0)
			a->modified = (int64_t)n;
		/* Unknown keys come from a newer version: ignored. */
	}
	return 0;
}

/* Parse an account's stored bytes. */
static int
auth_account_decode(const char *name, const void *data, size_t size,
    struct auth_account **ap, struct ncen_err *err)
{
	struct auth_account	*a;
	char			*text, *line, *next, *eq;
	size_t			 skip;

	*ap = NULL;
	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	a = xcalloc(1, sizeof *a);
	a->name = xstrdup(name);
	/* Version 1 or 2; a later one would be refused, not misread. */
	skip = strlen(AUTH_VERSION_LINE);
	if (strncmp(text, AUTH_VERSION_LINE, skip) != 0 &&
	    strncmp(text, "ncen-account 1\n", skip) != 0)
		goto bad;
	for (line = text + skip; *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			goto bad;
		*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			goto bad;
		*eq = '\0';
		if (auth_account_field(a, line, eq + 1) != 0)
			goto bad;
	}
	free(text);
	*ap = a;
	return NCEN_OK;
bad:
	free(text);
	auth_account_free(a);
	return ncen_err_set(err, NCEN_EPARSE, _("%s: account %s is malformed"),
	    store_kv_file(STORE_KV_ACCOUNTS), name);
}

/* Read an account in a transaction (rmw: lock it for writing). */
int
auth_account_txn_get(struct store_txn *t, const char *name, int rmw,
    struct auth_account **ap, struct ncen_err *err)
{
	struct buf	 data = BUF_INIT;
	int		 error;

	*ap = NULL;
	if (name == NULL || *name == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("no user name given"));
	error = store_kv_get(t, STORE_KV_ACCOUNTS, name, strlen(name), rmw,
	    &data, err);
	if (error == NCEN_ENOTFOUND)
		error = ncen_err_set(err, NCEN_ENOTFOUND, _("no account '%s'"),
		    name);
	else if (error == NCEN_OK)
		error = auth_account_decode(name, (unsigned char *)data.s,
		    data.len, ap, err);
	buf_free(&data);
	return error;
}

/* Write an account in a transaction. */
int
auth_account_txn_put(struct store_txn *t, const struct auth_account *a,
    struct ncen_err *err)
{
	struct buf	 b = BUF_INIT;
	int		 error;

	auth_account_encode(a, &b);
	error = store_kv_put(t, STORE_KV_ACCOUNTS, a->name, strlen(a->name),
	    b.s, b.len, err);
	buf_free(&b);
	return error;
}

/* Read an account (no transaction kept). */
static int
auth_account_get_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	void			**v = arg;
	struct auth_account	*a = NULL;
	int			 error;

	error = auth_account_txn_get(t, v[0], 0, &a, err);
	auth_account_free(*(struct auth_account **)v[1]);
	*(struct auth_account **)v[1] = a;
	return error;
}

/* Read an account by name; NCEN_ENOTFOUND if there is none. */
int
auth_account_get(struct store *st, const char *name,
    struct auth_account **ap, struct ncen_err *err)
{
	void	*v[2];
	int	 error;

	*ap = NULL;
	v[0] = (void *)(uintptr_t)name;
	v[1] = ap;
	if ((error = store_kv_read(st, auth_account_get_fn, v, err)) !=
	    NCEN_OK) {
		auth_account_free(*ap);
		*ap = NULL;
	}
	return error;
}

/*
 * Whether an account may sign in with its key, or with its password
 * too (password); the refusal says why, in the reader's language, or in
 * English for the audit log (english).
 */
static int
auth_account_refusal(const struct auth_account *a, int64_t now, int password,
    int english, struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	int		error;

	if (a->disabled)
		return ncen_err_set(err, NCEN_EINVALID, english ?
		    "account '%s' is disabled" :
		    _("account '%s' is disabled"), a->name);
	if (a->locked)
		return ncen_err_set(err, NCEN_EINVALID, english ?
		    "account '%s' is locked by an administrator" :
		    _("account '%s' is locked by an administrator"), a->name);
	if (password && a->password_locked_until > now) {
		audit_format_time(&b, a->password_locked_until);
		error = ncen_err_set(err, NCEN_EINVALID, english ?
		    "the password of '%s' is locked until %s after too many "
		    "failed sign-ins" :
		    _("the password of '%s' is locked until %s after too many "
		    "failed sign-ins"), a->name, b.s);
		buf_free(&b);
		return error;
	}
	return NCEN_OK;
}

/* Whether an account may sign in by key and act now; the refusal says why. */
int
auth_account_usable(const struct auth_account *a, int64_t now,
    struct ncen_err *err)
{
	return auth_account_refusal(a, now, 0, 0, err);
}

/* The same, its refusal in English, as the audit log keeps it. */
int
auth_account_usable_audit(const struct auth_account *a, int64_t now,
    struct ncen_err *err)
{
	return auth_account_refusal(a, now, 0, 1, err);
}

/* Whether the account's password may be tried now (its lock, not delay). */
int
auth_password_usable(const struct auth_account *a, int64_t now, int english,
    struct ncen_err *err)
{
	return auth_account_refusal(a, now, 1, english, err);
}

/* One administrator's change to one account, for its transaction. */
struct auth_op {
	const char			*actor;
	const char			*name;
	const char			*roles;
	const char			*offices;
	const char			*password;
	const struct auth_change	*change;
	const struct auth_account	*hashed;	/* the new password */
	int				 lock;
	int				 disable;	/* del: disable instead */
	int				 (*fn)(struct store_txn *,
					     struct auth_op *,
					     struct auth_account *,
					     struct buf *, struct ncen_err *);
	const char			*action;	/* audit action */
};

/* Add: the account must not exist. */
static int
auth_op_add(struct store_txn *t, struct auth_op *op, struct auth_account *a,
    struct buf *details, struct ncen_err *err)
{
	(void)t;
	if (a->created != 0)
		return ncen_err_set(err, NCEN_EEXISTS, _("account '%s' already "
		    "exists"), op->name);
	a->roles = auth_roles_parse(op->roles);
	auth_account_set_offices(a, op->offices);
	a->created = auth_now();
	if (op->password != NULL) {
		/* Set by an admin: the user chooses their own at sign-in. */
		memcpy(a->hash, op->hashed->hash, AUTH_HASH_LEN);
		memcpy(a->salt, op->hashed->salt, AUTH_SALT_LEN);
		a->iterations = op->hashed->iterations;
		a->must_change = 1;
	}
	buf_adds(details, "roles ");
	auth_roles_format(a->roles, details);
	if (a->noffices != 0)
		buf_addf(details, ", offices %s", op->offices);
	if (op->password != NULL)
		buf_adds(details, ", password set");
	return NCEN_OK;
}

/* Mod: roles and offices. */
static int
auth_op_mod(struct store_txn *t, struct auth_op *op, struct auth_account *a,
    struct buf *details, struct ncen_err *err)
{
	(void)t;
	(void)err;
	if (op->change->roles != NULL) {
		a->roles = auth_roles_parse(op->change->roles);
		buf_adds(details, "roles ");
		auth_roles_format(a->roles, details);
	}
	if (op->change->offices != NULL) {
		auth_account_set_offices(a, op->change->offices);
		buf_addf(details, "%soffices %s", details->len ? ", " : "",
		    *op->change->offices != '\0' ? op->change->offices :
		    "(all)");
	}
	return NCEN_OK;
}

/*
 * Lock (key and password, until unlocked), or unlock: the password's
 * lock and failures go too.
 */
static int
auth_op_lock(struct store_txn *t, struct auth_op *op, struct auth_account *a,
    struct buf *details, struct ncen_err *err)
{
	(void)t;
	(void)err;
	if (op->lock) {
		a->locked = 1;
		buf_adds(details, "locked by an administrator");
		return NCEN_OK;
	}
	buf_adds(details, a->password_locked_until > auth_now() ?
	    "unlocked, and its password" : "unlocked");
	a->locked = 0;
	a->password_locked_until = 0;
	a->failures = 0;
	a->failed_at = 0;
	return NCEN_OK;
}

/* Passwd: the admin's password (hashed outside), to be changed. */
static int
auth_op_passwd(struct store_txn *t, struct auth_op *op,
    struct auth_account *a, struct buf *details, struct ncen_err *err)
{
	const struct auth_account *h = op->hashed;

	(void)t;
	(void)err;
	memcpy(a->hash, h->hash, AUTH_HASH_LEN);
	memcpy(a->salt, h->salt, AUTH_SALT_LEN);
	a->iterations = h->iterations;
	a->must_change = 1;
	/* A new password starts afresh; an administrator's lock stays. */
	a->failures = 0;
	a->failed_at = 0;
	a->password_locked_until = 0;
	buf_adds(details, "password reset, to be changed at sign-in");
	return NCEN_OK;
}

/* Delete (op->disable 0) or disable (1) the account. */
static int
auth_op_del(struct store_txn *t, struct auth_op *op, struct auth_account *a,
    struct buf *details, struct ncen_err *err)
{
	int	error;

	if (op->disable) {
		a->disabled = 1;
		buf_adds(details, "disabled (records or audit entries name "
		    "it)");
		return NCEN_OK;
	}
	if ((error = store_kv_del(t, STORE_KV_ACCOUNTS, a->name,
	    strlen(a->name), err)) != NCEN_OK)
		return error;
	buf_adds(details, "deleted");
	return NCEN_OK;
}

/* The transaction of an administrator's change: read, change, audit. */
static int
auth_op_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct auth_op		*op = arg;
	struct auth_account	*a = NULL;
	struct buf		 details = BUF_INIT, rec = BUF_INIT;
	int			 error;

	error = auth_account_txn_get(t, op->name, 1, &a, err);
	if (error == NCEN_ENOTFOUND && op->fn == auth_op_add) {
		a = xcalloc(1, sizeof *a);
		a->name = xstrdup(op->name);
		error = NCEN_OK;
	} else if (error == NCEN_OK && op->fn == auth_op_add)
		a->created = a->created != 0 ? a->created : 1;
	if (error != NCEN_OK)
		goto out;
	if ((error = op->fn(t, op, a, &details, err)) != NCEN_OK)
		goto out;
	a->modified = auth_now();
	if (op->fn != auth_op_del || op->disable)
		if ((error = auth_account_txn_put(t, a, err)) != NCEN_OK)
			goto out;
	buf_addf(&rec, "account:%s", op->name);
	error = audit_append(t, op->actor, op->action, rec.s, details.s, err);
out:
	auth_account_free(a);
	buf_free(&details);
	buf_free(&rec);
	return error;
}

/* Run an administrator's change after checking the names. */
static int
auth_op_run(struct store *st, struct auth_op *op, struct ncen_err *err)
{
	if (op->actor == NULL || *op->actor == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("no actor named"));
	if (auth_name_check(op->name, err) != NCEN_OK)
		return NCEN_EUSAGE;
	return store_run(st, auth_op_txn, op, err);
}

/* Create an account; a password given must be changed at first sign-in. */
int
auth_account_add(struct store *st, const char *actor, const char *name,
    const char *roles, const char *offices, const char *password,
    struct ncen_err *err)
{
	struct auth_op		op;
	struct auth_account	h;
	int			error;

	if (auth_roles_parse(roles) == 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("bad roles '%s': a "
		    "comma-separated list of officer, supervisor, analyst, "
		    "ncp and admin"), roles != NULL ? roles : "");
	memset(&op, 0, sizeof op);
	memset(&h, 0, sizeof h);
	if (password != NULL) {
		if ((error = auth_password_check(name, password, err)) !=
		    NCEN_OK)
			return error;
		if ((error = auth_account_set_password(&h, password, err)) !=
		    NCEN_OK)
			return error;
	}
	op.actor = actor;
	op.name = name;
	op.roles = roles;
	op.offices = offices;
	op.password = password;
	op.hashed = &h;
	op.fn = auth_op_add;
	op.action = "account.add";
	error = auth_op_run(st, &op, err);
	OPENSSL_cleanse(&h, sizeof h);
	return error;
}

/* Change an account's roles or offices. */
int
auth_account_mod(struct store *st, const char *actor, const char *name,
    const struct auth_change *c, struct ncen_err *err)
{
	struct auth_op	op;

	if (c->roles != NULL && auth_roles_parse(c->roles) == 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("bad roles '%s': a "
		    "comma-separated list of officer, supervisor, analyst, "
		    "ncp and admin"), c->roles);
	if (c->roles == NULL && c->offices == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("nothing to change"));
	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.name = name;
	op.change = c;
	op.fn = auth_op_mod;
	op.action = "account.mod";
	return auth_op_run(st, &op, err);
}

/* Lock an account for ever, or unlock it. */
int
auth_account_lock(struct store *st, const char *actor, const char *name,
    int lock, struct ncen_err *err)
{
	struct auth_op	op;

	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.name = name;
	op.lock = lock;
	op.fn = auth_op_lock;
	op.action = lock ? "account.lock" : "account.unlock";
	return auth_op_run(st, &op, err);
}

/* An administrator sets a password that must be changed at sign-in. */
int
auth_account_passwd(struct store *st, const char *actor, const char *name,
    const char *password, struct ncen_err *err)
{
	struct auth_op		op;
	struct auth_account	h;
	int			error;

	memset(&h, 0, sizeof h);
	if ((error = auth_password_check(name, password, err)) != NCEN_OK ||
	    (error = auth_account_set_password(&h, password, err)) != NCEN_OK)
		return error;
	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.name = name;
	op.hashed = &h;
	op.fn = auth_op_passwd;
	op.action = "account.passwd";
	error = auth_op_run(st, &op, err);
	OPENSSL_cleanse(&h, sizeof h);
	return error;
}

/* Stop at the first audit entry naming the user (audit_fn). */
static int
auth_account_named_audit(const struct audit_entry *e, void *arg)
{
	(void)e;
	(void)arg;
	return 1;
}

/* Stop at the first record last changed by the user (store_record_fn). */
static int
auth_account_named_record(const struct record *r, void *arg)
{
	const char	*officer = record_get(r, "officer");

	return (r->muser != NULL && strcmp(r->muser, arg) == 0) ||
	    (officer != NULL && strcmp(officer, arg) == 0);
}

/* 1 if audit entries or records name the user, 0 if not, -code. */
static int
auth_account_named(struct store *st, const char *name, struct ncen_err *err)
{
	const struct schema	*s = store_schema(st);
	struct audit_filter	 f;
	size_t			 i;
	int			 r;

	memset(&f, 0, sizeof f);
	f.user = name;
	if ((r = audit_scan(st, &f, auth_account_named_audit,
	    (void *)(uintptr_t)name, err)) != NCEN_OK)
		return r == 1 ? 1 : -r;
	for (i = 0; i < s->nforms; i++)
		if ((r = store_scan(st, s->forms[i]->name,
		    auth_account_named_record, (void *)(uintptr_t)name,
		    err)) != NCEN_OK)
			return r == 1 ? 1 : -r;
	return 0;
}

/* Delete an account, or disable it when records or audit entries name it. */
int
auth_account_del(struct store *st, const char *actor, const char *name,
    int *disabled, struct ncen_err *err)
{
	struct auth_op	op;
	int		named;

	if (auth_name_check(name, err) != NCEN_OK)
		return NCEN_EUSAGE;
	if ((named = auth_account_named(st, name, err)) < 0)
		return -named;
	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.name = name;
	op.disable = named;
	op.fn = auth_op_del;
	op.action = named ? "account.disable" : "account.del";
	if (disabled != NULL)
		*disabled = named;
	return auth_op_run(st, &op, err);
}

/* What auth_account_list walks with. */
struct auth_list {
	auth_account_fn	 fn;
	void		*arg;
	struct buf	 last;		/* resume after this name */
	size_t		 n;		/* accounts of this batch */
	struct ncen_err	*err;
	int		 started, done, stop, error;
};

#define AUTH_LIST_BATCH	256

/* One account of a batch, after the last one of the batch before. */
static int
auth_account_list_pair(const void *key, size_t klen, const void *val,
    size_t vlen, void *arg)
{
	struct auth_list	*l = arg;
	struct auth_account	*a;
	struct buf		 name = BUF_INIT;

	if (l->started && klen == l->last.len &&
	    memcmp(key, l->last.s, klen) == 0)
		return 0;
	if (l->n++ == AUTH_LIST_BATCH) {
		l->done = 0;
		return STORE_KV_STOP;
	}
	buf_add(&name, key, klen);
	if ((l->error = auth_account_decode(name.s, val, vlen, &a,
	    l->err)) != NCEN_OK) {
		buf_free(&name);
		return l->error;
	}
	l->stop = l->fn(a, l->arg);
	auth_account_free(a);
	buf_reset(&l->last);
	buf_add(&l->last, name.s, name.len);
	buf_free(&name);
	l->started = 1;
	return l->stop != 0 ? STORE_KV_STOP : 0;
}

/* One batch of accounts in name order. */
static int
auth_account_list_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct auth_list	*l = arg;

	l->n = 0;
	l->done = 1;		/* unless the batch ends first */
	l->err = err;
	return store_kv_from(t, STORE_KV_ACCOUNTS, l->last.s, l->last.len,
	    auth_account_list_pair, l, err);
}

/* Every account in name order; fn returns nonzero to stop. */
int
auth_account_list(struct store *st, auth_account_fn fn, void *arg,
    struct ncen_err *err)
{
	struct auth_list	l;
	int			error = NCEN_OK;

	memset(&l, 0, sizeof l);
	l.fn = fn;
	l.arg = arg;
	while (!l.done && error == NCEN_OK)
		error = store_kv_read(st, auth_account_list_fn, &l, err);
	buf_free(&l.last);
	return error == NCEN_OK && l.stop != 0 ? l.stop : error;
}

/*
 * Describe an account on one line after its name: its roles, offices
 * and state ("officer  offices=all  locked  failures=2"), as ncenctl user
 * list and ncen's Accounts screen show it.  "locked" is an
 * administrator's lock (key and password); "password-locked until"
 * follows wrong passwords and leaves the key alone.
 */
void
auth_account_describe(const struct auth_account *a, int64_t now,
    struct buf *b)
{
	size_t	i;

	auth_roles_format(a->roles, b);
	buf_adds(b, "  offices=");
	if (a->noffices == 0)
		buf_adds(b, "all");
	for (i = 0; i < a->noffices; i++)
		buf_addf(b, "%s%s", i == 0 ? "" : ",", a->offices[i]);
	if (a->disabled)
		buf_adds(b, "  disabled");
	if (a->locked)
		buf_adds(b, "  locked");
	if (a->password_locked_until > now) {
		buf_adds(b, "  password-locked until ");
		audit_format_time(b, a->password_locked_until);
	}
	if (a->iterations == 0)
		buf_adds(b, "  no-password");
	else if (a->must_change)
		buf_adds(b, "  must-change-password");
	if (a->failures != 0)
		buf_addf(b, "  failures=%u", a->failures);
}
