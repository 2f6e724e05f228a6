/* store-record.c - records in their primary databases: put, update, find. */
#include <db.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

/* One stored record copied out of a transaction (into its batch's data). */
struct store_item {
	uint64_t	 id;
	size_t		 off;
	size_t		 size;
};

/* Records read in one short transaction, handed to a callback after it. */
struct store_batch {
	struct store_entity	*e;
	struct store_item	 items[STORE_BATCH];
	size_t			 n;
	struct buf		 data;		/* the items' bytes */
	int			 done;		/* nothing after these */

	/* store_scan: where to go on. */
	uint64_t		 next;

	/* store_find: the index, the range and where to go on. */
	struct store_index	*ix;
	struct buf		 from;
	struct buf		 to;		/* empty: exactly `from` */
	int			 started;
	struct buf		 lastkey;	/* last delivered */
	uint64_t		 lastid;
	struct buf		 nextkey;	/* last read by this attempt */
	size_t			 nread;		/* index entries it read */
	struct buf		 bulk;		/* bulk reads of the primary */
	uint64_t		 nextid;
};

/* Format a time for messages: "2026-11-27 14:05 UTC". */
static void
store_record_time(struct buf *b, int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;
	char		s[64];

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%d %H:%M UTC", &tm) == 0) {
		buf_addf(b, "@%lld", (long long)t);
		return;
	}
	buf_adds(b, s);
}

/* Release what a batch copied. */
static void
store_batch_clear(struct store_batch *b)
{
	buf_reset(&b->data);
	b->n = 0;
}

/* Copy one record into a batch. */
static void
store_batch_add(struct store_batch *b, uint64_t id, const DBT *data)
{
	struct store_item	*it = &b->items[b->n++];

	it->id = id;
	it->size = data->size;
	it->off = b->data.len;
	buf_add(&b->data, data->data, data->size);
}

/* Decode a record read from a primary, naming it on failure. */
static int
store_record_decode(struct store *st, struct store_entity *e, uint64_t id,
    const void *data, size_t size, struct record **r, struct ncen_err *err)
{
	int	error;

	if ((error = record_decode(e->form, id, data, size, r, err)) != NCEN_OK)
		ncen_err_prefix(err, "%s: %s %llu: ", st->home, e->form->name,
		    (unsigned long long)id);
	return error;
}

/*
 * Whether a record exists: 1, 0, or an error code < 0 with err set;
 * flags DB_RMW locks its page for writing.
 */
static int
store_record_probe(struct store_txn *t, struct store_entity *e, uint64_t id,
    u_int32_t flags, struct ncen_err *err)
{
	unsigned char	k[8];
	DBT		key, data;
	int		ret;

	store_id_key(k, id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	data.flags = DB_DBT_PARTIAL;	/* the key is enough */
	ret = e->db->get(e->db, t->txn, &key, &data, flags);
	if (ret == 0)
		return 1;
	if (ret == DB_NOTFOUND)
		return 0;
	return -store_txn_dberr(t, ret, err, _("%s: reading %s %llu"), e->file,
	    e->form->name, (unsigned long long)id);
}

/* Whether a record exists: 1, 0, or an error code < 0 with err set. */
int
store_record_exists(struct store_txn *t, struct store_entity *e, uint64_t id,
    struct ncen_err *err)
{
	return store_record_probe(t, e, id, 0, err);
}

/* Read the stored bytes of a record (DB_RMW to lock it for writing). */
static int
store_record_read(struct store_txn *t, struct store_entity *e, uint64_t id,
    u_int32_t flags, struct record **r, struct ncen_err *err)
{
	unsigned char	k[8];
	DBT		key, data;
	int		ret, error;

	*r = NULL;
	store_id_key(k, id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	data.flags = DB_DBT_MALLOC;
	ret = e->db->get(e->db, t->txn, &key, &data, flags);
	if (ret == DB_NOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s %llu does not "
		    "exist (it may have been deleted)"), e->form->name,
		    (unsigned long long)id);
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: reading %s %llu"),
		    e->file, e->form->name, (unsigned long long)id);
	error = store_record_decode(t->st, e, id, data.data, data.size, r,
	    err);
	free(data.data);
	return error;
}

/* Write a record's bytes under its id. */
static int
store_record_write(struct store_txn *t, struct store_entity *e,
    const struct record *r, u_int32_t flags, struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	unsigned char	k[8];
	DBT		key, data;
	int		ret, x, error = NCEN_OK;

	/* New work waits while the disk is below its reserve. */
	if ((error = store_space_txn(t, err)) != NCEN_OK ||
	    (error = store_search_prepare(t, e, err)) != NCEN_OK)
		return error;
	/*
	 * A new record: its page locked for writing first, then the put.
	 * DB_NOOVERWRITE read-locks the page and upgrades the lock to
	 * write: two writers appending to the same last page (ids from one
	 * sequence) then deadlock whenever they overlap.
	 */
	if (flags & DB_NOOVERWRITE) {
		if ((x = store_record_probe(t, e, r->id, DB_RMW, err)) < 0)
			return -x;
		if (x > 0)
			return ncen_err_set(err, NCEN_EEXISTS, _("%s %llu "
			    "already exists"), e->form->name,
			    (unsigned long long)r->id);
		flags &= ~(u_int32_t)DB_NOOVERWRITE;
	}
	record_encode(r, &b);
	store_id_key(k, r->id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	data.data = b.s;
	data.size = (u_int32_t)b.len;
	ret = e->db->put(e->db, t->txn, &key, &data, flags);
	if (ret == DB_KEYEXIST)
		error = ncen_err_set(err, NCEN_EEXISTS, _("%s %llu already "
		    "exists"), e->form->name, (unsigned long long)r->id);
	else if (ret != 0)
		error = store_txn_dberr(t, ret, err, _("%s: writing %s %llu"),
		    e->file, e->form->name, (unsigned long long)r->id);
	buf_free(&b);
	return error;
}

/* The largest id stored in a primary, 0 if empty. */
static int
store_record_last_id(struct store_txn *t, struct store_entity *e,
    uint64_t *id, struct ncen_err *err)
{
	DBC	*c = NULL;
	DBT	 key, data;
	int	 ret, cret, error = NCEN_OK;

	*id = 0;
	if ((ret = e->db->cursor(e->db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), e->file);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	data.flags = DB_DBT_PARTIAL;
	ret = c->get(c, &key, &data, DB_LAST);
	if (ret == 0 && key.size == 8)
		*id = buf_get_u64(key.data);
	else if (ret != 0 && ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: last record"),
		    e->file);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    e->file);
	return error;
}

/* Take the next id of a form from its sequence (its own small transaction). */
static int
store_record_next_id(struct store_txn *t, struct store_entity *e,
    int32_t delta, uint64_t *id, struct ncen_err *err)
{
	db_seq_t	v;
	int		ret;

	if ((ret = e->seq->get(e->seq, NULL, delta, &v, DB_TXN_NOSYNC)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: taking an id from "
		    "its sequence"), e->form->name);
	*id = (uint64_t)v + (uint64_t)(delta - 1);
	return NCEN_OK;
}

/* Check the caller's form and user; find the entity. */
static int
store_record_check(struct store_txn *t, struct record *r, const char *user,
    struct store_entity **e, struct ncen_err *err)
{
	if (r == NULL || r->form == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("no record or a record "
		    "without a form"));
	if (user == NULL || *user == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: no user named for "
		    "the change"), r->form->name);
	if ((*e = store_entity_find(t->st, r->form->name, err)) == NULL)
		return NCEN_ENOTFOUND;
	return NCEN_OK;
}

/* Set who changed a record last and when. */
static void
store_record_stamp(struct record *r, const char *user)
{
	free(r->muser);
	r->muser = xstrdup(user);
	r->mtime = (int64_t)time(NULL);
}

/* Set a record's STORE_CREATOR_FIELD, if its form has one, to a name. */
static void
store_record_creator_set(struct record *r, const char *name)
{
	const char	*now = record_get(r, STORE_CREATOR_FIELD);
	int		 fi;

	if ((fi = schema_field_index(r->form, STORE_CREATOR_FIELD)) < 0 ||
	    name == NULL || *name == '\0' ||
	    (now != NULL && strcmp(now, name) == 0))
		return;
	record_clear_field(r, (size_t)fi);
	record_add_value(r, (size_t)fi, name);
}


/* Tell the change hooks about a change, in its transaction. */
static int
store_record_change(struct store_txn *t, const char *action, const char *user,
    const char *entity, uint64_t id, const struct record *old,
    const struct record *r, struct ncen_err *err)
{
	struct store_change	c;

	memset(&c, 0, sizeof c);
	c.action = action;
	c.user = user;
	c.entity = entity;
	c.id = id;
	c.old = old;
	c.rec = r;
	return store_hooks_call(t, &c, err);
}

/* Store a new record: id from the sequence when 0, version 1. */
int
store_put(struct store_txn *t, struct record *r, const char *user,
    struct ncen_err *err)
{
	struct store_entity	*e;
	uint64_t		 last;
	int			 error, tries, given;

	if ((error = store_record_check(t, r, user, &e, err)) != NCEN_OK)
		return error;
	store_txn_hold(t, r);
	given = r->id != 0;
	if (!given && (error = store_record_next_id(t, e, 1, &r->id,
	    err)) != NCEN_OK)
		return error;
	r->version = 1;
	store_record_stamp(r, user);
	for (tries = 0;; tries++) {
		error = store_record_write(t, e, r, DB_NOOVERWRITE, err);
		if (error == NCEN_OK) {
			if ((error = store_count_change(t, e, NULL, r, err)) !=
			    NCEN_OK || (error = store_fact_change(t, e, r,
			    r->id, err)) != NCEN_OK)
				return error;
			return store_record_change(t, "create", user,
			    e->form->name, r->id, NULL, r, err);
		}
		if (error != NCEN_EEXISTS || given || tries > 0)
			return error;
		/*
		 * Records imported with their own ids overtook the
		 * sequence: move it past the largest id and try once more.
		 */
		if ((error = store_record_last_id(t, e, &last, err)) != NCEN_OK)
			return error;
		if (last < r->id || last - r->id >= INT32_MAX)
			return ncen_err_set(err, NCEN_EEXISTS, _("%s %llu "
			    "already exists and the sequence cannot skip "
			    "past %llu"),
			    e->form->name, (unsigned long long)r->id,
			    (unsigned long long)last);
		if ((error = store_record_next_id(t, e,
		    (int32_t)(last - r->id + 1), &r->id, err)) != NCEN_OK)
			return error;
	}
}

/* The message for an edit based on a version that is no longer current. */
static int
store_record_conflict(struct store_entity *e, const struct record *cur,
    uint32_t based, const char *what, struct ncen_err *err)
{
	struct buf	when = BUF_INIT;
	int		error;

	store_record_time(&when, cur->mtime);
	error = ncen_err_set(err, NCEN_ECONFLICT, _("%s %llu was changed by %s "
	    "at %s (version %u) after you opened version %u; %s"),
	    e->form->name, (unsigned long long)cur->id,
	    cur->muser != NULL ? cur->muser : _("someone"), buf_cstr(&when),
	    cur->version, based, what);
	buf_free(&when);
	return error;
}

/* Store an edited record if nobody changed it since its version was read. */
int
store_update(struct store_txn *t, struct record *r, const char *user,
    struct ncen_err *err)
{
	struct store_entity	*e;
	struct record		*cur = NULL;
	int			 error;

	if ((error = store_record_check(t, r, user, &e, err)) != NCEN_OK)
		return error;
	if (r->id == 0)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("%s: update of a record "
		    "never stored (use store_put)"), e->form->name);
	if ((error = store_record_read(t, e, r->id, DB_RMW, &cur, err)) !=
	    NCEN_OK)
		goto out;
	if (cur->version != r->version) {
		error = store_record_conflict(e, cur, r->version,
		    _("reopen it to see their changes"), err);
		goto out;
	}
	store_txn_hold(t, r);
	r->version = cur->version + 1;
	store_record_stamp(r, user);
	/* Who recorded it never changes once set. */
	store_record_creator_set(r, record_get(cur, STORE_CREATOR_FIELD));
	if ((error = store_record_write(t, e, r, 0, err)) == NCEN_OK &&
	    (error = store_count_change(t, e, cur, r, err)) == NCEN_OK &&
	    (error = store_fact_change(t, e, r, r->id, err)) == NCEN_OK)
		error = store_record_change(t, "update", user, e->form->name,
		    r->id, cur, r, err);
out:
	record_free(cur);
	return error;
}

/* Delete a record (and its links) if it is still at the version shown. */
int
store_delete(struct store_txn *t, const char *entity, uint64_t id,
    uint32_t version, struct ncen_err *err)
{
	struct store_entity	*e;
	struct record		*cur = NULL;
	unsigned char		 k[8];
	DBT			 key;
	int			 ret, error;

	if ((e = store_entity_find(t->st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if ((error = store_record_read(t, e, id, DB_RMW, &cur, err)) != NCEN_OK)
		goto out;
	if (cur->version != version) {
		error = store_record_conflict(e, cur, version,
		    _("reopen it before deleting it"), err);
		goto out;
	}
	/* The hooks see the record and its links before they go. */
	if ((error = store_record_change(t, "delete", NULL, entity, id, cur,
	    NULL, err)) != NCEN_OK ||
	    (error = store_link_purge(t, entity, id, err)) != NCEN_OK)
		goto out;
	if ((error = store_search_prepare(t, e, err)) != NCEN_OK)
		goto out;
	store_id_key(k, id);
	memset(&key, 0, sizeof key);
	key.data = k;
	key.size = sizeof k;
	if ((ret = e->db->del(e->db, t->txn, &key, 0)) != 0)
		error = store_txn_dberr(t, ret, err, _("%s: deleting %s %llu"),
		    e->file, entity, (unsigned long long)id);
	else if ((error = store_count_change(t, e, cur, NULL, err)) ==
	    NCEN_OK)
		error = store_fact_change(t, e, NULL, id, err);
out:
	record_free(cur);
	return error;
}

/* Read one record inside a transaction. */
int
store_txn_get(struct store_txn *t, const char *entity, uint64_t id,
    struct record **r, struct ncen_err *err)
{
	struct store_entity	*e;

	*r = NULL;
	if ((e = store_entity_find(t->st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	return store_record_read(t, e, id, 0, r, err);
}

/* Arguments of store_get's transaction. */
struct store_get_arg {
	const char	 *entity;
	uint64_t	  id;
	struct record	**r;
};

/* store_get's transaction. */
static int
store_get_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_get_arg	*a = varg;

	record_free(*a->r);
	*a->r = NULL;
	return store_txn_get(t, a->entity, a->id, a->r, err);
}

/* Read one record in a short transaction of its own. */
int
store_get(struct store *st, const char *entity, uint64_t id,
    struct record **r, struct ncen_err *err)
{
	struct store_get_arg	a = { entity, id, r };
	int			error;

	*r = NULL;
	/* A single get is atomic: it needs no transaction of its own. */
	if ((error = store_txn_run(st, store_get_fn, &a, STORE_TXN_NONE,
	    err)) != NCEN_OK) {
		record_free(*r);
		*r = NULL;
	}
	return error;
}

/* Fill a batch with the next records of a primary in id order. */
static int
store_scan_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_batch	*b = varg;
	struct store_entity	*e = b->e;
	unsigned char		 k[8];
	DBC			*c = NULL;
	DBT			 key, data;
	u_int32_t		 op = DB_SET_RANGE;
	int			 ret, cret, error = NCEN_OK;

	store_batch_clear(b);
	b->done = 0;
	if ((ret = e->db->cursor(e->db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), e->file);
	store_id_key(k, b->next);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	while (b->n < STORE_BATCH) {
		if ((ret = c->get(c, &key, &data, op)) == DB_NOTFOUND) {
			b->done = 1;
			break;
		}
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    e->file);
			break;
		}
		op = DB_NEXT;
		if (key.size != 8) {
			error = ncen_err_set(err, NCEN_EPARSE, _("%s: a key of "
			    "%u bytes (ids have 8)"), e->file, key.size);
			break;
		}
		store_batch_add(b, buf_get_u64(key.data), &data);
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    e->file);
	return error;
}

/* Hand a batch's records to a callback; non-zero from it stops. */
static int
store_batch_deliver(struct store *st, struct store_batch *b,
    store_record_fn fn, void *arg, uint64_t **seen, size_t *nseen,
    struct ncen_err *err)
{
	struct record	*r;
	size_t		 i, lo, hi, mid;
	int		 error;

	for (i = 0; i < b->n; i++) {
		if (seen != NULL) {
			/* A record with several keys in range comes once. */
			lo = 0;
			hi = *nseen;
			while (lo < hi) {
				mid = (lo + hi) / 2;
				if ((*seen)[mid] < b->items[i].id)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < *nseen && (*seen)[lo] == b->items[i].id)
				continue;
			*seen = xreallocarray(*seen, *nseen + 1,
			    sizeof **seen);
			memmove(*seen + lo + 1, *seen + lo,
			    (*nseen - lo) * sizeof **seen);
			(*seen)[lo] = b->items[i].id;
			(*nseen)++;
		}
		if ((error = store_record_decode(st, b->e, b->items[i].id,
		    b->data.s + b->items[i].off, b->items[i].size, &r, err)) !=
		    NCEN_OK)
			return error;
		error = fn(r, arg);
		record_free(r);
		if (error != 0)
			return error;
	}
	return NCEN_OK;
}

/* Call fn on every record of a form in id order, outside any transaction. */
int
store_scan(struct store *st, const char *entity, store_record_fn fn,
    void *arg, struct ncen_err *err)
{
	struct store_batch	*b;
	int			 error;

	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_scan: called "
		    "inside a transaction");
	b = xcalloc(1, sizeof *b);
	if ((b->e = store_entity_find(st, entity, err)) == NULL) {
		error = NCEN_ENOTFOUND;
		goto out;
	}
	b->next = 0;
	for (;;) {
		if ((error = store_txn_run(st, store_scan_fn, b, 1, err)) !=
		    NCEN_OK)
			goto out;
		if (b->n != 0)
			b->next = b->items[b->n - 1].id + 1;
		if ((error = store_batch_deliver(st, b, fn, arg, NULL, NULL,
		    err)) != NCEN_OK)
			goto out;
		if (b->done || b->n == 0 || b->next == 0)
			break;
	}
	error = NCEN_OK;
out:
	store_batch_clear(b);
	buf_free(&b->data);
	free(b);
	return error;
}

/* Whether an index key is past the end of the range asked for. */
static int
store_find_past(const struct store_batch *b, const DBT *key)
{
	if (b->to.len == 0)
		return store_keycmp(key->data, key->size, b->from.s,
		    b->from.len) != 0;
	return store_keycmp(key->data, key->size, b->to.s, b->to.len) > 0;
}

/*
 * Read the records of ids[from..n) that lie close together (ascending,
 * no more than STORE_FIND_WALK apart on average) with bulk reads of
 * the primary: a few cursor calls return every record of the span, and
 * the ones asked for are kept.  Returns how far it got: the rest (a
 * record too big for the buffer) is read one by one.
 */
static int
store_find_bulk(struct store_txn *t, struct store_batch *b, DBC *c,
    const uint64_t *ids, size_t n, size_t *done, struct ncen_err *err)
{
	struct store_entity	*e = b->e;
	unsigned char		 k[8];
	DBT			 key, data, rec;
	u_int32_t		 op = DB_SET_RANGE | DB_MULTIPLE_KEY;
	uint64_t		 id;
	size_t			 i = 0;
	void			*p, *rk, *rd;
	u_int32_t		 rklen, rdlen;
	int			 ret;

	*done = 0;
	buf_reset(&b->bulk);
	buf_grow(&b->bulk, STORE_FIND_BULK);
	store_id_key(k, ids[0]);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	memset(&rec, 0, sizeof rec);
	key.data = k;
	key.size = key.ulen = sizeof k;
	key.flags = DB_DBT_USERMEM;
	data.data = b->bulk.s;
	data.ulen = STORE_FIND_BULK;
	data.flags = DB_DBT_USERMEM;
	while (i < n) {
		ret = c->get(c, &key, &data, op);
		op = DB_NEXT | DB_MULTIPLE_KEY;
		if (ret == DB_NOTFOUND) {
			i = n;		/* the rest were deleted meanwhile */
			break;
		}
		if (ret == DB_BUFFER_SMALL)
			break;
		if (ret != 0)
			return store_txn_dberr(t, ret, err, _("%s: reading"),
			    e->file);
		DB_MULTIPLE_INIT(p, &data);
		for (;;) {
			DB_MULTIPLE_KEY_NEXT(p, &data, rk, rklen, rd, rdlen);
			if (p == NULL)
				break;
			if (rklen != 8)
				return ncen_err_set(err, NCEN_EPARSE, _("%s: a "
				    "key of %u bytes (ids have 8)"), e->file,
				    rklen);
			id = buf_get_u64(rk);
			while (i < n && ids[i] < id)
				i++;	/* deleted meanwhile */
			if (i == n)
				break;
			if (ids[i] == id) {
				rec.data = rd;
				rec.size = rdlen;
				store_batch_add(b, id, &rec);
				i++;
			}
		}
	}
	*done = i;
	return NCEN_OK;
}

/*
 * Read the records of a batch's ids from the primary with one cursor:
 * in bulk when they lie close together (an equality on a code that many
 * records share), else one search each.  A record deleted since its
 * index entry was read is left out.
 */
static int
store_find_fetch(struct store_txn *t, struct store_batch *b,
    const uint64_t *ids, size_t n, struct ncen_err *err)
{
	struct store_entity	*e = b->e;
	unsigned char		 k[8];
	DBC			*c = NULL;
	DBT			 key, data;
	size_t			 i = 0;
	int			 ret, cret, error = NCEN_OK, sorted = 1;

	if ((ret = e->db->cursor(e->db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), e->file);
	for (i = 1; i < n && sorted; i++)
		sorted = ids[i] > ids[i - 1];
	i = 0;
	if (n >= STORE_FIND_BULK_MIN && sorted &&
	    ids[n - 1] - ids[0] <= (uint64_t)n * STORE_FIND_WALK)
		error = store_find_bulk(t, b, c, ids, n, &i, err);
	for (; error == NCEN_OK && i < n; i++) {
		store_id_key(k, ids[i]);
		memset(&key, 0, sizeof key);
		memset(&data, 0, sizeof data);
		key.data = k;
		key.size = sizeof k;
		ret = c->get(c, &key, &data, DB_SET);
		if (ret == DB_NOTFOUND)
			continue;
		if (ret != 0)
			error = store_txn_dberr(t, ret, err, _("%s: reading %s "
			    "%llu"), e->file, e->form->name,
			    (unsigned long long)ids[i]);
		else
			store_batch_add(b, ids[i], &data);
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    e->file);
	return error;
}

/* Fill a batch with the next records whose index key is in the range. */
static int
store_find_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_batch	*b = varg;
	struct store_index	*ix = b->ix;
	struct buf		 start = BUF_INIT;
	unsigned char		 k[8];
	uint64_t		 ids[STORE_BATCH];
	size_t			 n = 0;
	DBC			*c = NULL;
	DBT			 key, pkey;
	int			 ret, cret, error = NCEN_OK;

	store_batch_clear(b);
	b->done = 0;
	b->nread = 0;
	if ((ret = ix->raw->cursor(ix->raw, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), ix->file);
	memset(&key, 0, sizeof key);
	memset(&pkey, 0, sizeof pkey);
	if (!b->started) {
		buf_add(&start, b->from.s, b->from.len);
		key.data = start.s;
		key.size = (u_int32_t)start.len;
		ret = c->get(c, &key, &pkey, DB_SET_RANGE);
	} else {
		/* Just after the last (key, id) delivered. */
		buf_add(&start, b->lastkey.s, b->lastkey.len);
		store_id_key(k, b->lastid + 1);
		key.data = start.s;
		key.size = (u_int32_t)start.len;
		pkey.data = k;
		pkey.size = sizeof k;
		ret = b->lastid == UINT64_MAX ? DB_NOTFOUND :
		    c->get(c, &key, &pkey, DB_GET_BOTH_RANGE);
		if (ret == DB_NOTFOUND) {
			/* No more ids under that key: the next key. */
			buf_reset(&start);
			buf_add(&start, b->lastkey.s, b->lastkey.len);
			buf_addc(&start, '\0');
			memset(&pkey, 0, sizeof pkey);
			key.data = start.s;
			key.size = (u_int32_t)start.len;
			ret = c->get(c, &key, &pkey, DB_SET_RANGE);
		}
	}
	/* The ids first, from the index alone. */
	while (n < STORE_BATCH) {
		if (ret == DB_NOTFOUND) {
			b->done = 1;
			break;
		}
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    ix->file);
			break;
		}
		if (store_find_past(b, &key)) {
			b->done = 1;
			break;
		}
		if (pkey.size != 8) {
			error = ncen_err_set(err, NCEN_EPARSE, _("%s: an entry "
			    "pointing at a key of %u bytes"), ix->file,
			    pkey.size);
			break;
		}
		ids[n++] = buf_get_u64(pkey.data);
		buf_reset(&b->nextkey);
		buf_add(&b->nextkey, key.data, key.size);
		b->nextid = buf_get_u64(pkey.data);
		ret = c->get(c, &key, &pkey, DB_NEXT);
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    ix->file);
	buf_free(&start);
	b->nread = n;
	/* Then their records. */
	if (error == NCEN_OK && n != 0)
		error = store_find_fetch(t, b, ids, n, err);
	return error;
}

/* Turn a value as typed by a user into its index key. */
static int
store_find_key(struct store *st, struct store_entity *e,
    const struct schema_field *f, const char *in, struct buf *key,
    struct ncen_err *err)
{
	struct buf	canon = BUF_INIT, reason = BUF_INIT;
	int		error = NCEN_OK;

	if (schema_value_check(st->schema, f, in, &canon, &reason) != NCEN_OK)
		error = ncen_err_set(err, NCEN_EINVALID, "%s.%s: '%s': %s",
		    e->form->name, f->name, in, reason.len != 0 ?
		    buf_cstr(&reason) : _("not a valid value"));
	else
		schema_index_key(f, canon.s == NULL ? "" : canon.s, canon.len,
		    key);
	buf_free(&canon);
	buf_free(&reason);
	return error;
}

/* Call fn on each record whose indexed field is in [from, to] (or = from). */
int
store_find(struct store *st, const char *entity, const char *field,
    const char *from, const char *to, store_record_fn fn, void *arg,
    struct ncen_err *err)
{
	struct store_batch	*b;
	struct store_entity	*e;
	uint64_t		*seen = NULL;
	size_t			 i, nseen = 0;
	int			 error, last;

	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_find: called "
		    "inside a transaction");
	if (from == NULL || field == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "store_find: no field or "
		    "no value");
	b = xcalloc(1, sizeof *b);
	if ((e = b->e = store_entity_find(st, entity, err)) == NULL) {
		error = NCEN_ENOTFOUND;
		goto out;
	}
	for (i = 0; i < e->nidx; i++)
		if (strcmp(e->idx[i].field->name, field) == 0)
			b->ix = &e->idx[i];
	if (b->ix == NULL) {
		error = ncen_err_set(err, schema_field_find(e->form, field) ==
		    NULL ? NCEN_ENOTFOUND : NCEN_EUSAGE, _("%s: %s.%s is not "
		    "an indexed field"), st->home, entity, field);
		goto out;
	}
	if ((error = store_find_key(st, e, b->ix->field, from, &b->from,
	    err)) != NCEN_OK)
		goto out;
	if (to != NULL && (error = store_find_key(st, e, b->ix->field, to,
	    &b->to, err)) != NCEN_OK)
		goto out;
	if (b->from.len == 0 || (to != NULL && b->to.len == 0)) {
		error = ncen_err_set(err, NCEN_EINVALID, _("%s.%s: an empty "
		    "value finds nothing"), entity, field);
		goto out;
	}
	for (;;) {
		if ((error = store_txn_run(st, store_find_fn, b, 1, err)) !=
		    NCEN_OK)
			goto out;
		if (b->nread != 0) {
			/* Go on after what this batch read. */
			b->started = 1;
			buf_reset(&b->lastkey);
			buf_add(&b->lastkey, b->nextkey.s, b->nextkey.len);
			b->lastid = b->nextid;
		}
		last = b->done || b->nread == 0;
		if ((error = store_batch_deliver(st, b, fn, arg,
		    b->ix->field->repeated ? &seen : NULL, &nseen, err)) !=
		    NCEN_OK)
			goto out;
		if (last)
			break;
	}
	error = NCEN_OK;
out:
	store_batch_clear(b);
	buf_free(&b->data);
	buf_free(&b->bulk);
	buf_free(&b->from);
	buf_free(&b->to);
	buf_free(&b->lastkey);
	buf_free(&b->nextkey);
	free(b);
	free(seen);
	return error;
}
