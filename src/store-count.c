/*
 * store-count.c - kept counts: how many records a form has and how many
 * entries each of its indices has, in counts.db, changed in the same
 * transaction as every put, update and delete (store-record.c) and every
 * record a dump loads (store-dump.c), so that a list over a million
 * records shows its total without walking a million keys, and a crash
 * and recovery leave the counts as right as the records.
 *
 * Berkeley DB has no cheap exact count of its own for these databases:
 * DB->stat with DB_FAST_STAT is exact only for Recno and for a btree made
 * with DB_RECNUM (whose every write updates counts up the tree); for our
 * btrees it returns the count of the last full traversal.
 *
 * A count is made the first time it is asked for (a data directory from
 * before counts.db, a form or index added since, a restored backup that
 * lacked it): one transaction writes its key, walks the database read
 * committed, and writes the number.  A writer changes a count only when
 * its key is there, and only after its own write to the primary (and so
 * to the indices).  That order makes the walk exact: a writer that read
 * the count's key before the walk wrote it did not count itself, and its
 * entries were written before the walk began, so the walk counts them
 * (reading them, or waiting on the writer's page lock until it commits);
 * a writer after that waits on the key until the walk commits, and the
 * walk saw the writer's entries in their earlier state, so adding its
 * change is right; a writer in between holds a page the walk needs while
 * waiting for the key the walk holds, and the deadlock detector sends one
 * of them back to start again.  While a count is being made every writer
 * waits for it (counts.db is a page or two) and so does a reader of it:
 * about 3.5 s for the cases of a 1M directory on the development VM,
 * more on a cold spinning disk, where others' watchdogs may fire; so
 * after an upgrade make the counts while nobody works (open a list, or
 * ncenctl stats for the records' counts).
 *
 * Keys: the form's name for its records, name "\0" field for the entries
 * of an index; the value is a count as 8 bytes, big-endian.
 */
#include <sys/types.h>

#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_COUNT_RENEW	65536	/* entries walked per watchdog bound */

/* The key of a count: a form's records, or one index's entries. */
static void
store_count_key(struct buf *k, const struct store_entity *e,
    const struct store_index *ix)
{
	buf_reset(k);
	buf_adds(k, e->form->name);
	if (ix != NULL) {
		buf_addc(k, '\0');
		buf_adds(k, ix->field->name);
	}
}

/*
 * Read a count in the transaction (locked for writing with DB_RMW):
 * NCEN_OK and *found.
 */
static int
store_count_read(struct store_txn *t, const struct buf *k, u_int32_t flags,
    uint64_t *n, int *found, struct ncen_err *err)
{
	struct store	*st = t->st;
	unsigned char	 v[8];
	DBT		 key, data;
	int		 ret;

	*n = 0;
	*found = 0;
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k->s;
	key.size = (u_int32_t)k->len;
	data.data = v;
	data.ulen = sizeof v;
	data.flags = DB_DBT_USERMEM;
	ret = st->counts->get(st->counts, t->txn, &key, &data, flags);
	if (ret == DB_NOTFOUND)
		return NCEN_OK;
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: reading the count of "
		    "%s"), STORE_COUNTS_FILE, k->s);
	if (data.size != sizeof v)
		return ncen_err_set(err, NCEN_EPARSE, _("%s: the count of %s has "
		    "%u bytes, not 8"), STORE_COUNTS_FILE, k->s, data.size);
	*n = buf_get_u64(v);
	*found = 1;
	return NCEN_OK;
}

/* Write a count in the transaction. */
static int
store_count_write(struct store_txn *t, const struct buf *k, uint64_t n,
    struct ncen_err *err)
{
	struct store	*st = t->st;
	unsigned char	 v[8];
	DBT		 key, data;
	int		 ret;

	store_id_key(v, n);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k->s;
	key.size = (u_int32_t)k->len;
	data.data = v;
	data.size = sizeof v;
	if ((ret = st->counts->put(st->counts, t->txn, &key, &data, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: writing the count of "
		    "%s"), STORE_COUNTS_FILE, k->s);
	return NCEN_OK;
}

/* Add delta to a count if it is kept (its key is there). */
static int
store_count_add(struct store_txn *t, const struct buf *k, int64_t delta,
    struct ncen_err *err)
{
	uint64_t	n;
	int		found, error;

	if (delta == 0)
		return NCEN_OK;
	if ((error = store_count_read(t, k, DB_RMW, &n, &found, err)) !=
	    NCEN_OK || !found)
		return error;
	if (delta < 0 && n < (uint64_t)-delta)
		return ncen_err_set(err, NCEN_ECHECK, _("%s: the count of %s "
		    "would go below zero (%llu, %lld); ncenctl verify tells "
		    "what is wrong"), STORE_COUNTS_FILE, k->s,
		    (unsigned long long)n, (long long)delta);
	return store_count_write(t, k, n + (uint64_t)delta, err);
}

/* How many index keys a record's encoded bytes give a field. */
static size_t
store_count_keys(const struct schema_field *f, const struct buf *b)
{
	struct store_keys	keys;
	size_t			n;

	if (b->len == 0)
		return 0;
	store_keys_get(f, b->s, b->len, &keys);
	n = keys.n;
	store_keys_free(&keys);
	return n;
}

/*
 * In a writer's transaction, after the record was written: change the
 * kept counts of its form for a record going from old to rec (old NULL:
 * a new record; rec NULL: a deleted one).
 */
int
store_count_change(struct store_txn *t, struct store_entity *e,
    const struct record *old, const struct record *rec,
    struct ncen_err *err)
{
	struct buf	k = BUF_INIT, ob = BUF_INIT, nb = BUF_INIT;
	size_t		i;
	int64_t		delta;
	int		error;

	store_count_key(&k, e, NULL);
	error = store_count_add(t, &k, (rec != NULL) - (old != NULL), err);
	if (old != NULL)
		record_encode(old, &ob);
	if (rec != NULL)
		record_encode(rec, &nb);
	for (i = 0; i < e->nidx && error == NCEN_OK; i++) {
		delta = (int64_t)store_count_keys(e->idx[i].field, &nb) -
		    (int64_t)store_count_keys(e->idx[i].field, &ob);
		store_count_key(&k, e, &e->idx[i]);
		error = store_count_add(t, &k, delta, err);
	}
	buf_free(&k);
	buf_free(&ob);
	buf_free(&nb);
	return error;
}

/* What a count's first making needs, kept across retries. */
struct store_count_make {
	struct store_entity	*e;
	struct store_index	*ix;		/* NULL: the records */
	struct buf		 key;
	uint64_t		 n;
};

/* Walk the database read committed and keep the count (see the top). */
static int
store_count_make_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_count_make	*m = arg;
	DB			*db = m->ix == NULL ? m->e->db : m->ix->raw;
	const char		*file = m->ix == NULL ? m->e->file :
				    m->ix->file;
	DBC			*c = NULL;
	DBT			 key, data;
	uint64_t		 n = 0;
	int			 ret, cret, found, error;

	m->n = 0;
	/* Made meanwhile by another process: take it. */
	if ((error = store_count_read(t, &m->key, DB_RMW, &m->n, &found,
	    err)) != NCEN_OK || found)
		return error;
	if ((error = store_count_write(t, &m->key, 0, err)) != NCEN_OK)
		return error;
	if ((ret = db->cursor(db, t->txn, &c, DB_READ_COMMITTED)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), file);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.flags = data.flags = DB_DBT_PARTIAL;	/* nothing read */
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0)
		if (++n % STORE_COUNT_RENEW == 0) {
			/* A long walk is not a stall: a new bound. */
			store_watch_leave();
			store_watch_enter();
		}
	if (ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: counting"), file);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    file);
	if (error == NCEN_OK && (error = store_count_write(t, &m->key, n,
	    err)) == NCEN_OK)
		m->n = n;
	return error;
}

/* Read a count with no transaction (one get); *found when kept. */
static int
store_count_peek_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_count_make	*m = arg;
	int			 found, error;

	error = store_count_read(t, &m->key, 0, &m->n, &found, err);
	if (error == NCEN_OK && !found)
		error = NCEN_ENOTFOUND;		/* store_count_of makes it */
	return error;
}

/* A kept count, made first if it is not kept yet. */
static int
store_count_of(struct store *st, struct store_entity *e,
    struct store_index *ix, uint64_t *count, struct ncen_err *err)
{
	struct store_count_make	m;
	struct ncen_err		quiet = NCEN_ERR_INIT;
	int			error;

	memset(&m, 0, sizeof m);
	m.e = e;
	m.ix = ix;
	store_count_key(&m.key, e, ix);
	error = store_txn_run(st, store_count_peek_fn, &m, STORE_TXN_NONE,
	    &quiet);
	ncen_err_free(&quiet);
	if (error != NCEN_OK)
		error = store_txn_run(st, store_count_make_fn, &m, 0, err);
	*count = error == NCEN_OK ? m.n : 0;
	buf_free(&m.key);
	return error;
}

/* The number of records of a form. */
int
store_count(struct store *st, const char *entity, uint64_t *count,
    struct ncen_err *err)
{
	struct store_entity	*e;

	*count = 0;
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_count: called "
		    "inside a transaction");
	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	return store_count_of(st, e, NULL, count, err);
}

/* The number of entries of an index (a record once per key it has). */
int
store_count_index(struct store *st, const char *entity, const char *field,
    uint64_t *count, struct ncen_err *err)
{
	struct store_entity	*e;
	struct store_index	*ix;
	int			 error;

	*count = 0;
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_count_index: "
		    "called inside a transaction");
	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if ((error = store_index_find(e, field, &ix, err)) != NCEN_OK)
		return error;
	return store_count_of(st, e, ix, count, err);
}

/* Arguments of store_count_kept. */
struct store_count_kept_arg {
	struct buf	 key;
	uint64_t	 n;
	int		 found;
};

/* store_count_kept's read. */
static int
store_count_kept_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_count_kept_arg	*a = varg;

	return store_count_read(t, &a->key, 0, &a->n, &a->found, err);
}

/*
 * For store_verify: the kept count of a form's records (ix NULL) or of
 * an index's entries, without making it: *found 0 when none is kept.
 */
int
store_count_kept(struct store *st, struct store_entity *e,
    struct store_index *ix, uint64_t *count, int *found,
    struct ncen_err *err)
{
	struct store_count_kept_arg	a;
	int				error;

	memset(&a, 0, sizeof a);
	store_count_key(&a.key, e, ix);
	error = store_txn_run(st, store_count_kept_fn, &a, STORE_TXN_NONE,
	    err);
	*count = a.n;
	*found = a.found;
	buf_free(&a.key);
	return error;
}

/*
 * The kept counts of links: form name "\0>" -> how many links go from
 * the form's records (the '>' entries of links.db under them; the
 * mirror '<' entries are not counted, so each link counts once).  Kept
 * by store-link.c after its own write to links.db, when the key is
 * there, as the counts above; made for every form that lacks one when
 * the store opens (store_count_links_make), in one walk of links.db.
 */

/* The key of a form's count of links (no field name begins with '>'). */
static void
store_count_link_key(struct buf *k, const char *entity)
{
	buf_reset(k);
	buf_adds(k, entity);
	buf_addc(k, '\0');
	buf_addc(k, STORE_LINK_OUT);
}

/*
 * In a writer's transaction, after a links.db entry (its data) under a
 * record of entity was written (delta 1) or removed (-1).
 */
int
store_count_link(struct store_txn *t, const char *entity, const void *data,
    size_t size, int delta, struct ncen_err *err)
{
	struct buf	k = BUF_INIT;
	int		error;

	if (size < 1 || *(const char *)data != STORE_LINK_OUT)
		return NCEN_OK;
	store_count_link_key(&k, entity);
	error = store_count_add(t, &k, delta, err);
	buf_free(&k);
	return error;
}

/* What making the counts of links needs, kept across retries. */
struct store_count_links_arg {
	struct buf	 key;
	int		*missing;	/* by entity: no count kept */
	int		*want;		/* this attempt makes it */
	uint64_t	*n;
	size_t		 nmissing;
};

/* Read the kept count of links of every form with no transaction. */
static int
store_count_links_peek_fn(struct store_txn *t, void *arg,
    struct ncen_err *err)
{
	struct store_count_links_arg	*a = arg;
	size_t				 i;
	int				 found, error;

	a->nmissing = 0;
	for (i = 0; i < t->st->nents; i++) {
		store_count_link_key(&a->key, t->st->ents[i].form->name);
		if ((error = store_count_read(t, &a->key, 0, &a->n[i], &found,
		    err)) != NCEN_OK)
			return error;
		a->missing[i] = !found;
		a->nmissing += !found;
	}
	return NCEN_OK;
}

/* The entity of a links.db key (name "\0" id), or -1 if not a form. */
static ssize_t
store_count_links_entity(struct store *st, const DBT *key, ssize_t last)
{
	const char	*k = key->data;
	size_t		 i, len;

	len = strnlen(k, key->size);
	if (last >= 0 && strlen(st->ents[last].form->name) == len &&
	    memcmp(st->ents[last].form->name, k, len) == 0)
		return last;
	for (i = 0; i < st->nents; i++)
		if (strlen(st->ents[i].form->name) == len &&
		    memcmp(st->ents[i].form->name, k, len) == 0)
			return (ssize_t)i;
	return -1;
}

/* Walk links.db read committed, counting the '>' entries of each form. */
static int
store_count_links_walk(struct store_txn *t, struct store_count_links_arg *a,
    struct ncen_err *err)
{
	struct store	*st = t->st;
	DBC		*c = NULL;
	DBT		 key, data;
	uint64_t	 seen = 0;
	ssize_t		 i = -1;
	int		 ret, cret, error = NCEN_OK;

	if ((ret = st->links->cursor(st->links, t->txn, &c,
	    DB_READ_COMMITTED)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	data.flags = DB_DBT_PARTIAL;	/* the direction byte only */
	data.dlen = 1;
	while ((ret = c->get(c, &key, &data, DB_NEXT)) == 0) {
		if ((i = store_count_links_entity(st, &key, i)) >= 0 &&
		    a->want[i] && data.size >= 1 &&
		    *(const char *)data.data == STORE_LINK_OUT)
			a->n[i]++;
		if (++seen % STORE_COUNT_RENEW == 0) {
			/* A long walk is not a stall: a new bound. */
			store_watch_leave();
			store_watch_enter();
		}
	}
	if (ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: counting"),
		    STORE_LINKS_FILE);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
	return error;
}

/*
 * Make the missing counts of links: write their keys, walk, write the
 * numbers (the order that makes the walk exact: see the top).
 */
static int
store_count_links_make_fn(struct store_txn *t, void *arg,
    struct ncen_err *err)
{
	struct store_count_links_arg	*a = arg;
	struct store			*st = t->st;
	size_t				 i, nwant = 0;
	int				 found, error;

	for (i = 0; i < st->nents; i++) {
		a->want[i] = 0;
		if (!a->missing[i])
			continue;
		/* Made meanwhile by another process: leave it. */
		store_count_link_key(&a->key, st->ents[i].form->name);
		if ((error = store_count_read(t, &a->key, DB_RMW, &a->n[i],
		    &found, err)) != NCEN_OK)
			return error;
		if (found)
			continue;
		if ((error = store_count_write(t, &a->key, 0, err)) != NCEN_OK)
			return error;
		a->want[i] = 1;
		a->n[i] = 0;
		nwant++;
	}
	if (nwant == 0)
		return NCEN_OK;
	if ((error = store_count_links_walk(t, a, err)) != NCEN_OK)
		return error;
	for (i = 0; i < st->nents; i++) {
		if (!a->want[i])
			continue;
		store_count_link_key(&a->key, st->ents[i].form->name);
		if ((error = store_count_write(t, &a->key, a->n[i], err)) !=
		    NCEN_OK)
			return error;
	}
	return NCEN_OK;
}

/* Read (and make, if asked to and missing) the counts of links. */
static int
store_count_links_get(struct store *st, struct store_count_links_arg *a,
    int make, struct ncen_err *err)
{
	int	error;

	if ((error = store_txn_run(st, store_count_links_peek_fn, a,
	    STORE_TXN_NONE, err)) != NCEN_OK || a->nmissing == 0 || !make)
		return error;
	if ((error = store_txn_run(st, store_count_links_make_fn, a, 0,
	    err)) != NCEN_OK)
		return error;
	return store_txn_run(st, store_count_links_peek_fn, a, STORE_TXN_NONE,
	    err);
}

/* Set up (n: the entities) and free the arguments of the above. */
static void
store_count_links_init(struct store_count_links_arg *a, size_t n)
{
	memset(a, 0, sizeof *a);
	a->missing = xcalloc(n + 1, sizeof *a->missing);
	a->want = xcalloc(n + 1, sizeof *a->want);
	a->n = xcalloc(n + 1, sizeof *a->n);
}

/* Free the arguments of store_count_links_get. */
static void
store_count_links_done(struct store_count_links_arg *a)
{
	buf_free(&a->key);
	free(a->missing);
	free(a->want);
	free(a->n);
}

/*
 * At open: make the counts of links of the forms that have none (a
 * directory from before them, a form added since): one walk of
 * links.db, once; every writer waits for it meanwhile.
 */
int
store_count_links_make(struct store *st, struct ncen_err *err)
{
	struct store_count_links_arg	a;
	int				error;

	store_count_links_init(&a, st->nents);
	error = store_count_links_get(st, &a, 1, err);
	store_count_links_done(&a);
	return error;
}

/* The number of links from the records of a form. */
int
store_count_links(struct store *st, const char *entity, uint64_t *count,
    struct ncen_err *err)
{
	struct store_count_links_arg	 a;
	struct store_entity		*e;
	int				 error;

	*count = 0;
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_count_links: "
		    "called inside a transaction");
	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	store_count_links_init(&a, st->nents);
	if ((error = store_count_links_get(st, &a, 1, err)) == NCEN_OK)
		*count = a.n[e - st->ents];
	store_count_links_done(&a);
	return error;
}

/* For store_verify: the kept count of links of a form, without making it. */
int
store_count_links_kept(struct store *st, struct store_entity *e,
    uint64_t *count, int *found, struct ncen_err *err)
{
	struct store_count_links_arg	a;
	int				error;

	store_count_links_init(&a, st->nents);
	if ((error = store_count_links_get(st, &a, 0, err)) == NCEN_OK) {
		*count = a.n[e - st->ents];
		*found = !a.missing[e - st->ents];
	}
	store_count_links_done(&a);
	return error;
}
