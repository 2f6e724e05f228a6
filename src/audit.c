/*
 * audit.c - the hash-chained audit log in audit.db, appended in the
 * transaction of the change it records (see audit.h).
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store-kv.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

/* Fixed part of the canonical bytes: seq(8) time(8). */
#define AUDIT_FIXED	16
#define AUDIT_STRINGS	4

static int64_t	(*audit_clock)(void);

/* Replace the clock (NULL: the system's). */
void
audit_set_clock(int64_t (*fn)(void))
{
	audit_clock = fn;
}

/* Seconds since the epoch, from the clock. */
int64_t
audit_now(void)
{
	return audit_clock != NULL ? audit_clock() : (int64_t)time(NULL);
}

/* The canonical bytes the hash covers: seq, time, four counted strings. */
void
audit_canonical(const struct audit_entry *a, struct buf *b)
{
	const char	*s[AUDIT_STRINGS];
	size_t		 i, len;

	s[0] = a->user;
	s[1] = a->action;
	s[2] = a->record;
	s[3] = a->details;
	buf_add_u64(b, a->seq);
	buf_add_u64(b, (uint64_t)a->time);
	for (i = 0; i < AUDIT_STRINGS; i++) {
		len = s[i] != NULL ? strlen(s[i]) : 0;
		buf_add_u32(b, (uint32_t)len);
		buf_add(b, s[i] != NULL ? s[i] : "", len);
	}
}

/* SHA-256(prev || canonical); NCEN_EIO if OpenSSL fails. */
int
audit_hash(const unsigned char prev[AUDIT_HASH_LEN], const struct buf *c,
    unsigned char out[AUDIT_HASH_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 n = 0;
	int		 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return NCEN_EIO;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, prev, AUDIT_HASH_LEN) == 1 &&
	    EVP_DigestUpdate(ctx, c->s != NULL ? c->s : "", c->len) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == AUDIT_HASH_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? NCEN_OK : NCEN_EIO;
}

/*
 * Parse stored bytes into an entry whose strings are copied into own
 * (NUL-terminated); the canonical part's length goes to *clen.
 */
static int
audit_decode(const unsigned char *p, size_t size, struct audit_entry *a,
    struct buf *own, size_t *clen)
{
	size_t	off = AUDIT_FIXED, len[AUDIT_STRINGS], start[AUDIT_STRINGS];
	size_t	i;

	memset(a, 0, sizeof *a);
	if (size < AUDIT_FIXED + 2 * AUDIT_HASH_LEN)
		return -1;
	a->seq = buf_get_u64(p);
	a->time = (int64_t)buf_get_u64(p + 8);
	for (i = 0; i < AUDIT_STRINGS; i++) {
		if (size - off < 4)
			return -1;
		len[i] = buf_get_u32(p + off);
		off += 4;
		if (size - off < len[i])
			return -1;
		start[i] = off;
		off += len[i];
	}
	if (size - off != 2 * AUDIT_HASH_LEN)
		return -1;
	*clen = off;
	memcpy(a->prev, p + off, AUDIT_HASH_LEN);
	memcpy(a->hash, p + off + AUDIT_HASH_LEN, AUDIT_HASH_LEN);
	buf_reset(own);
	for (i = 0; i < AUDIT_STRINGS; i++) {
		buf_add(own, p + start[i], len[i]);
		buf_addc(own, '\0');
	}
	/* Only now are own's bytes in place. */
	off = 0;
	a->user = own->s + off;
	off += len[0] + 1;
	a->action = own->s + off;
	off += len[1] + 1;
	a->record = own->s + off;
	off += len[2] + 1;
	a->details = own->s + off;
	return 0;
}

/*
 * The last entry's sequence number and hash (0 and zeros for none), its
 * key locked for writing: appenders queue here.
 */
static int
audit_last(struct store_txn *t, uint64_t *seq,
    unsigned char hash[AUDIT_HASH_LEN], struct ncen_err *err)
{
	struct audit_entry	 last;
	struct buf		 key = BUF_INIT, val = BUF_INIT, own = BUF_INIT;
	size_t			 clen;
	int			 error;

	*seq = 0;
	memset(hash, 0, AUDIT_HASH_LEN);
	if ((error = store_kv_last(t, STORE_KV_AUDIT, &key, err)) != NCEN_OK ||
	    key.len == 0)
		goto out;
	if ((error = store_kv_get(t, STORE_KV_AUDIT, key.s, key.len, 1, &val,
	    err)) != NCEN_OK)
		goto out;
	if (key.len != 8 || audit_decode((unsigned char *)val.s, val.len,
	    &last, &own, &clen) != 0) {
		error = ncen_err_set(err, NCEN_ECHECK, _("%s: the last "
		    "entry is malformed (ncenctl audit verify)"),
		    store_kv_file(STORE_KV_AUDIT));
		goto out;
	}
	*seq = buf_get_u64((unsigned char *)key.s);
	memcpy(hash, last.hash, AUDIT_HASH_LEN);
out:
	buf_free(&key);
	buf_free(&val);
	buf_free(&own);
	return error;
}

/* Append one entry in the caller's transaction (see audit.h). */
int
audit_append(struct store_txn *t, const char *user, const char *action,
    const char *record, const char *details, struct ncen_err *err)
{
	struct audit_entry	 a;
	struct buf		 c = BUF_INIT, k = BUF_INIT;
	uint64_t		 seq;
	int			 error;

	if (!store_kv_txn(t))
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: an entry is "
		    "appended only inside a write transaction"),
		    store_kv_file(STORE_KV_AUDIT));
	memset(&a, 0, sizeof a);
	if ((error = audit_last(t, &seq, a.prev, err)) != NCEN_OK)
		return error;
	a.seq = seq + 1;
	a.time = audit_now();
	a.user = user != NULL ? user : "";
	a.action = action;
	a.record = record != NULL ? record : "";
	a.details = details != NULL ? details : "";
	audit_canonical(&a, &c);
	if (audit_hash(a.prev, &c, a.hash) != NCEN_OK) {
		error = ncen_err_set(err, NCEN_EIO, _("%s: SHA-256 failed"),
		    store_kv_file(STORE_KV_AUDIT));
		goto out;
	}
	buf_add(&c, a.prev, AUDIT_HASH_LEN);
	buf_add(&c, a.hash, AUDIT_HASH_LEN);
	buf_add_u64(&k, a.seq);
	error = store_kv_insert(t, STORE_KV_AUDIT, k.s, k.len, c.s, c.len,
	    err);
out:
	buf_free(&c);
	buf_free(&k);
	return error;
}

/* What audit_log() appends, for its transaction. */
struct audit_log_arg {
	const char	*user, *action, *record, *details;
};

/* The transaction of audit_log(). */
static int
audit_log_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct audit_log_arg	*l = arg;

	return audit_append(t, l->user, l->action, l->record, l->details, err);
}

/* Append one entry in a transaction of its own. */
int
audit_log(struct store *st, const char *user, const char *action,
    const char *record, const char *details, struct ncen_err *err)
{
	struct audit_log_arg	l;

	l.user = user;
	l.action = action;
	l.record = record;
	l.details = details;
	return store_run(st, audit_log_fn, &l, err);
}

/* Whether two value lists of a field differ. */
static int
audit_values_differ(const struct record_values *a,
    const struct record_values *b)
{
	size_t	i;

	if (a->n != b->n)
		return 1;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 1;
	return 0;
}

/* The names of the fields that differ between two versions of a record. */
static void
audit_changed(const struct record *old, const struct record *r,
    struct buf *b)
{
	const struct schema_form	*f = r->form;
	const struct record_values	 none = { NULL, 0 };
	const struct record_values	*ov;
	size_t				 i, n = 0;

	buf_adds(b, "changed:");
	for (i = 0; i < f->nfields; i++) {
		ov = old != NULL && old->form == f ? &old->fields[i] : &none;
		if (!audit_values_differ(ov, &r->fields[i]))
			continue;
		buf_addf(b, "%s%s", n++ == 0 ? " " : ",", f->fields[i].name);
	}
	if (n == 0)
		buf_adds(b, " nothing");
}

/*
 * One entry for each value a change keeps with a wrong check digit
 * that the old version did not (the override extras of validate.h):
 * the officer's or administrator's reason is in the trail.
 */
static int
audit_overrides(struct store_txn *t, const char *user, const char *rec,
    const struct record *old, const struct record *r, struct ncen_err *err)
{
	const char	*name, *p, *dot, *was;
	struct buf	 d = BUF_INIT;
	size_t		 i, plen = strlen(SCHEMA_CHECK_EXTRA);
	int		 error = NCEN_OK;

	for (i = 0; i < r->nextra && error == NCEN_OK; i++) {
		name = r->extra[i].name;
		if (strncmp(name, SCHEMA_CHECK_EXTRA, plen) != 0 ||
		    (dot = strchr(p = name + plen, '.')) == NULL)
			continue;
		if (old != NULL && (was = record_get(old, name)) != NULL &&
		    strcmp(was, r->extra[i].value) == 0)
			continue;
		buf_reset(&d);
		buf_addf(&d, "%.*s %s kept with a wrong check digit: %s",
		    (int)(dot - p), p, dot + 1, r->extra[i].value);
		error = audit_append(t, user, "record.check_override", rec,
		    d.s, err);
	}
	buf_free(&d);
	return error;
}

/* The store's hook: one entry per change, in the change's transaction. */
static int
audit_store_hook(struct store_txn *t, const struct store_change *c,
    void *arg, struct ncen_err *err)
{
	struct buf	 rec = BUF_INIT, details = BUF_INIT, action = BUF_INIT;
	const char	*user = c->user != NULL ? c->user : arg;
	int		 error;

	buf_addf(&rec, "%s:%llu", c->entity, (unsigned long long)c->id);
	buf_addf(&action, "record.%s", c->action);
	if (strcmp(c->action, "update") == 0 && c->rec != NULL) {
		audit_changed(c->old, c->rec, &details);
		buf_addf(&details, " (version %u)", c->rec->version);
	} else if (c->rec != NULL)
		buf_addf(&details, "version %u", c->rec->version);
	else if (c->old != NULL)
		buf_addf(&details, "version %u", c->old->version);
	else if (c->other.entity != NULL)
		buf_addf(&details, "%s %s:%llu as %s",
		    strcmp(c->action, "link") == 0 ? "to" : "from",
		    c->other.entity, (unsigned long long)c->other.id,
		    c->role != NULL ? c->role : "");
	error = audit_append(t, user, action.s, rec.s, buf_cstr(&details), err);
	if (error == NCEN_OK && c->rec != NULL)
		error = audit_overrides(t, user, rec.s, c->old, c->rec, err);
	buf_free(&rec);
	buf_free(&details);
	buf_free(&action);
	return error;
}

/* Audit every change made through this store (user: the default actor). */
void
audit_attach(struct store *st, const char *user)
{
	store_hook_add(st, audit_store_hook, (void *)(uintptr_t)user);
}

/* One walk over audit.db in key order, in batches of transactions. */
struct audit_walk {
	struct store	*st;
	int		 (*fn)(struct audit_walk *, uint64_t key,
			     const unsigned char *, size_t);
	uint64_t	 next;		/* first key of the next batch */
	size_t		 n;		/* entries of this batch */
	int		 done;
	struct ncen_err	*err;
	int		 error;		/* from fn */
	void		*arg;
};

#define AUDIT_BATCH	4096

/* One entry of a batch: the walk's fn, and the next batch's first key. */
static int
audit_walk_pair(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct audit_walk	*w = arg;
	uint64_t		 kv;

	if (w->n++ == AUDIT_BATCH) {
		w->done = 0;
		return STORE_KV_STOP;
	}
	kv = klen == 8 ? buf_get_u64(key) : 0;
	if ((w->error = w->fn(w, kv, val, vlen)) != 0)
		return STORE_KV_STOP;
	w->next = kv + 1;
	return kv == UINT64_MAX ? STORE_KV_STOP : 0;
}

/* One batch of the walk (a read-committed transaction). */
static int
audit_walk_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct audit_walk	*w = arg;
	struct buf		 k = BUF_INIT;
	int			 error;

	buf_add_u64(&k, w->next);
	w->n = 0;
	w->done = 1;		/* unless the batch ends first */
	error = store_kv_from(t, STORE_KV_AUDIT, k.s, k.len, audit_walk_pair,
	    w, err);
	buf_free(&k);
	return error;
}

/* Walk every entry; the walk's fn returns nonzero to stop. */
static int
audit_walk(struct audit_walk *w, struct ncen_err *err)
{
	int	error;

	w->next = 0;
	w->done = 0;
	w->error = 0;
	w->err = err;
	while (!w->done)
		if ((error = store_kv_read(w->st, audit_walk_fn, w, err)) !=
		    NCEN_OK)
			return error;
	return NCEN_OK;
}

/* What audit_verify() carries from one entry to the next. */
struct audit_check {
	unsigned char	 run[AUDIT_HASH_LEN];	/* hash of the last entry */
	unsigned char	 back[AUDIT_HASH_LEN];	/* of the one before it */
	uint64_t	 expect;		/* key the next entry should have */
	struct buf	 own, c;
};

/* Check one entry against the chain (audit_walk fn). */
static int
audit_verify_one(struct audit_walk *w, uint64_t kv, const unsigned char *p,
    size_t size)
{
	struct audit_check	*ck = w->arg;
	struct audit_entry	 a;
	unsigned char		 h[AUDIT_HASH_LEN];
	size_t			 clen;

	if (audit_decode(p, size, &a, &ck->own, &clen) != 0) {
		ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu was changed: "
		    "its bytes are malformed"), (unsigned long long)kv);
		return NCEN_ECHECK;
	}
	buf_reset(&ck->c);
	buf_add(&ck->c, p, clen);
	if (audit_hash(a.prev, &ck->c, h) != NCEN_OK) {
		ncen_err_set(w->err, NCEN_EIO, _("SHA-256 failed"));
		return NCEN_EIO;
	}
	if (memcmp(h, a.hash, AUDIT_HASH_LEN) != 0) {
		ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu was changed: "
		    "its hash does not match its content"),
		    (unsigned long long)kv);
		return NCEN_ECHECK;
	}
	if (memcmp(a.prev, ck->run, AUDIT_HASH_LEN) != 0) {
		if (kv > ck->expect && a.seq == kv)
			ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu was "
			    "removed (the chain goes from entry %llu to "
			    "%llu)"), (unsigned long long)ck->expect,
			    (unsigned long long)(ck->expect - 1),
			    (unsigned long long)kv);
		else if (ck->expect > 1 &&
		    memcmp(a.prev, ck->back, AUDIT_HASH_LEN) == 0)
			ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu was "
			    "inserted (entry %llu follows the one before it)"),
			    (unsigned long long)(kv - 1),
			    (unsigned long long)kv);
		else
			ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu does "
			    "not follow entry %llu: an entry was removed or "
			    "inserted before it"), (unsigned long long)kv,
			    (unsigned long long)(kv - 1));
		return NCEN_ECHECK;
	}
	if (a.seq != kv || kv != ck->expect) {
		ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu was changed: "
		    "it says it is entry %llu"), (unsigned long long)kv,
		    (unsigned long long)a.seq);
		return NCEN_ECHECK;
	}
	memcpy(ck->back, ck->run, AUDIT_HASH_LEN);
	memcpy(ck->run, a.hash, AUDIT_HASH_LEN);
	ck->expect = kv + 1;
	return 0;
}

/* Recompute the chain; NCEN_ECHECK naming the first bad entry. */
int
audit_verify(struct store *st, uint64_t *entries, struct ncen_err *err)
{
	struct audit_walk	w;
	struct audit_check	ck;
	int			error;

	memset(&w, 0, sizeof w);
	memset(&ck, 0, sizeof ck);
	ck.expect = 1;
	w.st = st;
	w.fn = audit_verify_one;
	w.arg = &ck;
	if ((error = audit_walk(&w, err)) == NCEN_OK)
		error = w.error;
	if (entries != NULL)
		*entries = ck.expect - 1;
	buf_free(&ck.own);
	buf_free(&ck.c);
	return error;
}

/* What audit_scan() carries. */
struct audit_scan_arg {
	const struct audit_filter	*f;
	audit_fn			 fn;
	void				*arg;
	struct buf			 own;
};

/* Whether an action matches a filter's: exact, or a prefix ending in '.'. */
static int
audit_action_match(const char *want, const char *action)
{
	size_t	n = strlen(want);

	if (n > 0 && want[n - 1] == '.')
		return strncmp(want, action, n) == 0;
	return strcmp(want, action) == 0;
}

/* Give one entry to the caller if it matches (audit_walk fn). */
static int
audit_scan_one(struct audit_walk *w, uint64_t kv, const unsigned char *p,
    size_t size)
{
	struct audit_scan_arg		*s = w->arg;
	const struct audit_filter	*f = s->f;
	struct audit_entry		 a;
	size_t				 clen;

	if (audit_decode(p, size, &a, &s->own, &clen) != 0) {
		ncen_err_set(w->err, NCEN_ECHECK, _("entry %llu is malformed "
		    "(ncenctl audit verify)"), (unsigned long long)kv);
		return NCEN_ECHECK;
	}
	if (f != NULL && ((f->user != NULL && strcmp(f->user, a.user) != 0) ||
	    (f->record != NULL && strcmp(f->record, a.record) != 0) ||
	    (f->action != NULL && !audit_action_match(f->action, a.action)) ||
	    (f->since != 0 && a.time < f->since) ||
	    (f->until != 0 && a.time > f->until)))
		return 0;
	return s->fn(&a, s->arg);
}

/* Every entry matching the filter, in order; fn returns nonzero to stop. */
int
audit_scan(struct store *st, const struct audit_filter *f, audit_fn fn,
    void *arg, struct ncen_err *err)
{
	struct audit_walk	w;
	struct audit_scan_arg	s;
	int			error;

	memset(&w, 0, sizeof w);
	memset(&s, 0, sizeof s);
	s.f = f;
	s.fn = fn;
	s.arg = arg;
	w.st = st;
	w.fn = audit_scan_one;
	w.arg = &s;
	if ((error = audit_walk(&w, err)) == NCEN_OK)
		error = w.error;
	buf_free(&s.own);
	return error;
}

/* Parse a time as typed: UTC date, datetime, or seconds; -1 if malformed. */
int64_t
audit_parse_time(const char *s)
{
	static const char *const fmts[] = {
		"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
		"%Y-%m-%d %H:%M", "%Y-%m-%d",
	};
	struct tm	 tm;
	const char	*end;
	char		*e;
	long long	 v;
	size_t		 i;

	if (s == NULL || *s == '\0')
		return -1;
	for (i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		memset(&tm, 0, sizeof tm);
		if ((end = strptime(s, fmts[i], &tm)) != NULL &&
		    (*end == '\0' || strcmp(end, "Z") == 0))
			return (int64_t)timegm(&tm);
	}
	v = strtoll(s, &e, 10);
	if (*s >= '0' && *s <= '9' && *e == '\0' && v >= 0)
		return (int64_t)v;
	return -1;
}

/* Format a time as "YYYY-MM-DDTHH:MM:SSZ". */
void
audit_format_time(struct buf *b, int64_t when)
{
	time_t		t = (time_t)when;
	struct tm	tm;
	char		s[32];

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		buf_addf(b, "%lld", (long long)when);
		return;
	}
	buf_adds(b, s);
}
