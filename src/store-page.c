/*
 * store-page.c - a form's records a page at a time (store-page.h).
 *
 * A walk is a cursor on the order's database (the primary for id order,
 * the index file opened raw otherwise, whose entries are key -> id in
 * (key, id) order) that moves forwards or backwards from a position,
 * a batch of entries per short read-committed transaction: between
 * batches it remembers the last entry it examined and seeks past it in
 * the next one, as store_find does.  Skipping and counting read no
 * record (zero-length partial reads of the primary).
 *
 * A scoped order (store-page.h) in id order or in the scope field's
 * order is the same walk over the scope field's index, held to the one
 * key (exact).  In another field's order the walk collects the scope's
 * ids, their records give the sort field's keys, which are sorted in
 * memory, and the page is cut from them (store_page_sorted).  An order
 * held to given ids (need to know) is cut the same way from those ids,
 * in id order without reading a record for its key.
 */
#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store-page.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define STORE_PAGE_BATCH	4096	/* entries examined per transaction */

/* Where a walk is and what it collected, saved between attempts. */
struct store_page_state {
	int		 started;	/* pos names the last entry examined */
	int		 done;		/* the end of the order was reached */
	int		 hit;		/* skip: pos is the entry sought */
	uint64_t	 posid;
	uint64_t	 passed;	/* entries counted or skipped */
	uint64_t	 steps;		/* entries examined */
	size_t		 n;		/* rows collected */
	size_t		 nids;		/* ids collected */
};

struct store_page_walk {
	struct store_entity	*e;
	struct store_index	*ix;		/* NULL: id order */
	const char		*file;
	struct buf		 prefix;	/* index key prefix, may be empty */
	int			 exact;		/* only keys equal to prefix */
	int			 none;		/* the order is empty */

	/* A scope in another field's order: sorted in memory. */
	struct store_index	*six;		/* the sort field's index */
	struct buf		 sprefix;	/* its typed prefix's key */
	uint64_t		*ids;		/* collected: the scope's */
	size_t			 capids;
	int			 given;		/* ids given, not walked */

	const struct store_page_query *q;
	enum store_page_from	 from;		/* how the walk starts */
	const struct store_page_row *at;
	int			 dir;		/* 1 forwards, -1 backwards */
	int			 reading;	/* 0: only count entries */
	uint64_t		 limit;		/* skip: the entry sought */

	struct store_page_state	 s, saved;
	struct buf		 poskey, savedkey;
	struct store_page_row	*rows;		/* in walking order */
	size_t			 cap;
};

/* Release a row's record and key. */
static void
store_page_row_free(struct store_page_row *r)
{
	record_free(r->rec);
	r->rec = NULL;
	buf_free(&r->key);
}

/* Release what a page holds; it may be read into again. */
void
store_page_free(struct store_page *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		store_page_row_free(&p->rows[i]);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

/* Set a walk back to where the last committed batch left it. */
static void
store_page_rewind(struct store_page_walk *w)
{
	while (w->s.n > w->saved.n)
		store_page_row_free(&w->rows[--w->s.n]);
	w->s = w->saved;
	buf_reset(&w->poskey);
	buf_add(&w->poskey, w->savedkey.s, w->savedkey.len);
}

/* Keep where a batch that committed left the walk. */
static void
store_page_save(struct store_page_walk *w)
{
	w->saved = w->s;
	buf_reset(&w->savedkey);
	buf_add(&w->savedkey, w->poskey.s, w->poskey.len);
}

/* Whether an entry's key lies in the walk's prefix. */
static int
store_page_in(const struct store_page_walk *w, const DBT *key)
{
	if (w->exact)
		return key->size == w->prefix.len &&
		    memcmp(key->data, w->prefix.s, w->prefix.len) == 0;
	return w->prefix.len == 0 || (key->size >= w->prefix.len &&
	    memcmp(key->data, w->prefix.s, w->prefix.len) == 0);
}

/*
 * Read the entry the cursor is on or moves to; in id order the record
 * bytes only when the walk reads records (else a zero-length partial
 * read).  Berkeley DB's return code.
 */
static int
store_page_get(struct store_page_walk *w, DBC *c, DBT *key, DBT *data,
    u_int32_t op)
{
	memset(data, 0, sizeof *data);
	if (w->ix == NULL && !w->reading)
		data->flags = DB_DBT_PARTIAL;
	return c->get(c, key, data, op);
}

/*
 * Put the cursor on the first entry at or after (key, id): ret 0 there,
 * DB_NOTFOUND when there is none.
 */
static int
store_page_seek(struct store_page_walk *w, DBC *c, const void *k,
    size_t klen, uint64_t id, DBT *key, DBT *data)
{
	struct buf	 kb = BUF_INIT;
	unsigned char	 idk[8];
	int		 ret;

	memset(key, 0, sizeof *key);
	if (w->ix == NULL) {
		store_id_key(idk, id);
		key->data = idk;
		key->size = sizeof idk;
		return store_page_get(w, c, key, data, DB_SET_RANGE);
	}
	buf_add(&kb, k, klen);
	store_id_key(idk, id);
	key->data = kb.s;
	key->size = (u_int32_t)kb.len;
	memset(data, 0, sizeof *data);
	data->data = idk;
	data->size = sizeof idk;
	ret = c->get(c, key, data, DB_GET_BOTH_RANGE);
	if (ret == 0)		/* the key may still point at kb: read it back */
		ret = store_page_get(w, c, key, data, DB_CURRENT);
	else if (ret == DB_NOTFOUND) {
		/* No id that large under that key: the next key's first. */
		buf_addc(&kb, '\0');
		memset(key, 0, sizeof *key);
		key->data = kb.s;
		key->size = (u_int32_t)kb.len;
		ret = store_page_get(w, c, key, data, DB_SET_RANGE);
	}
	buf_free(&kb);
	return ret;
}

/* The cursor on the last entry before (key, id), or DB_NOTFOUND. */
static int
store_page_seek_before(struct store_page_walk *w, DBC *c, const void *k,
    size_t klen, uint64_t id, DBT *key, DBT *data)
{
	int	ret;

	ret = store_page_seek(w, c, k, klen, id, key, data);
	if (ret == 0)
		return store_page_get(w, c, key, data, DB_PREV);
	if (ret == DB_NOTFOUND) {
		memset(key, 0, sizeof *key);
		return store_page_get(w, c, key, data, DB_LAST);
	}
	return ret;
}

/* The cursor on the first entry after (key, id), or DB_NOTFOUND. */
static int
store_page_seek_after(struct store_page_walk *w, DBC *c, const void *k,
    size_t klen, uint64_t id, DBT *key, DBT *data)
{
	struct buf	kb = BUF_INIT;
	int		ret;

	if (id != UINT64_MAX)
		return store_page_seek(w, c, k, klen, id + 1, key, data);
	if (w->ix == NULL)
		return DB_NOTFOUND;
	buf_add(&kb, k, klen);
	buf_addc(&kb, '\0');
	ret = store_page_seek(w, c, kb.s, kb.len, 0, key, data);
	buf_free(&kb);
	return ret;
}

/* The cursor on the last entry of the walk's prefix (or of all). */
static int
store_page_seek_last(struct store_page_walk *w, DBC *c, DBT *key, DBT *data)
{
	struct buf	next = BUF_INIT;
	size_t		len = w->prefix.len;
	int		ret;

	if (w->exact) {
		/* The smallest key after the one: it and a NUL byte. */
		buf_add(&next, w->prefix.s, len);
		buf_addc(&next, '\0');
		ret = store_page_seek_before(w, c, next.s, next.len, 0, key,
		    data);
		buf_free(&next);
		return ret;
	}
	/* The smallest key after every key with the prefix, if any. */
	while (len > 0 && (unsigned char)w->prefix.s[len - 1] == 0xff)
		len--;
	if (len == 0) {
		memset(key, 0, sizeof *key);
		return store_page_get(w, c, key, data, DB_LAST);
	}
	buf_add(&next, w->prefix.s, len);
	next.s[len - 1] = (char)((unsigned char)next.s[len - 1] + 1);
	ret = store_page_seek_before(w, c, next.s, next.len, 0, key, data);
	buf_free(&next);
	return ret;
}

/* Put the cursor where this batch starts. */
static int
store_page_start(struct store_page_walk *w, DBC *c, DBT *key, DBT *data)
{
	const struct store_page_row	*at = w->at;

	if (w->s.started)
		return w->dir > 0 ?
		    store_page_seek_after(w, c, w->poskey.s, w->poskey.len,
		    w->s.posid, key, data) :
		    store_page_seek_before(w, c, w->poskey.s, w->poskey.len,
		    w->s.posid, key, data);
	switch (w->from) {
	case STORE_PAGE_END:
		return store_page_seek_last(w, c, key, data);
	case STORE_PAGE_AFTER:
		return store_page_seek_after(w, c, at->key.s, at->key.len,
		    at->id, key, data);
	case STORE_PAGE_BEFORE:
		return store_page_seek_before(w, c, at->key.s, at->key.len,
		    at->id, key, data);
	case STORE_PAGE_AT:
		return store_page_seek(w, c, at->key.s, at->key.len, at->id,
		    key, data);
	default:
		if (w->prefix.len == 0) {
			memset(key, 0, sizeof *key);
			return store_page_get(w, c, key, data, DB_FIRST);
		}
		return store_page_seek(w, c, w->prefix.s, w->prefix.len, 0,
		    key, data);
	}
}

/* Read an entry's record and keep it as a row if the caller wants it. */
static int
store_page_take(struct store_txn *t, struct store_page_walk *w, uint64_t id,
    const DBT *key, const DBT *data, struct ncen_err *err)
{
	struct store_entity	*e = w->e;
	struct store_page_row	*row;
	struct record		*r = NULL;
	unsigned char		 idk[8];
	DBT			 pk, pd;
	int			 ret, error;

	if (w->ix == NULL) {
		pd = *data;
	} else {
		store_id_key(idk, id);
		memset(&pk, 0, sizeof pk);
		memset(&pd, 0, sizeof pd);
		pk.data = idk;
		pk.size = sizeof idk;
		ret = e->db->get(e->db, t->txn, &pk, &pd, 0);
		if (ret == DB_NOTFOUND)
			return NCEN_OK;		/* an index entry going away */
		if (ret != 0)
			return store_txn_dberr(t, ret, err, _("%s: reading %s "
			    "%llu"), e->file, e->form->name,
			    (unsigned long long)id);
	}
	if ((error = record_decode(e->form, id, pd.data, pd.size, &r, err)) !=
	    NCEN_OK) {
		ncen_err_prefix(err, "%s: %s %llu: ", t->st->home,
		    e->form->name, (unsigned long long)id);
		return error;
	}
	if (w->q->keep != NULL && !w->q->keep(r, w->q->keeparg)) {
		record_free(r);
		return NCEN_OK;
	}
	if (w->s.n == w->cap) {
		w->cap = w->cap == 0 ? 32 : w->cap * 2;
		w->rows = xreallocarray(w->rows, w->cap, sizeof *w->rows);
	}
	row = &w->rows[w->s.n++];
	memset(row, 0, sizeof *row);
	row->rec = r;
	row->id = id;
	buf_add(&row->key, key->data, key->size);
	return NCEN_OK;
}

/*
 * The database a walk reads, asked of its entity or index at each
 * attempt: a reopen after a panic gives them new handles.
 */
static DB *
store_page_db(const struct store_page_walk *w)
{
	return w->ix != NULL ? w->ix->raw : w->e->db;
}

/* One batch of a walk, in a transaction of its own. */
static int
store_page_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_page_walk	*w = varg;
	DB			*db;
	DBC			*c = NULL;
	DBT			 key, data;
	uint64_t		 id, batch = 0;
	int			 ret, cret, error = NCEN_OK;

	store_page_rewind(w);
	db = store_page_db(w);
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), w->file);
	ret = store_page_start(w, c, &key, &data);
	for (;;) {
		if (ret == DB_NOTFOUND || (ret == 0 && !store_page_in(w,
		    &key))) {
			w->s.done = 1;
			break;
		}
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    w->file);
			break;
		}
		if (w->ix == NULL ? key.size != 8 : data.size != 8) {
			error = ncen_err_set(err, NCEN_EPARSE, _("%s: an entry "
			    "of %u bytes where an id of 8 was expected"),
			    w->file, w->ix == NULL ? key.size : data.size);
			break;
		}
		id = buf_get_u64(w->ix == NULL ? key.data : data.data);
		if (!w->reading && w->s.passed == w->limit) {
			w->s.hit = 1;	/* stop on it: the page starts here */
			w->s.started = 1;
			w->s.posid = id;
			buf_reset(&w->poskey);
			buf_add(&w->poskey, key.data, key.size);
			break;
		}
		w->s.started = 1;
		w->s.posid = id;
		buf_reset(&w->poskey);
		buf_add(&w->poskey, key.data, key.size);
		w->s.steps++;
		if (w->reading) {
			if ((error = store_page_take(t, w, id, &key, &data,
			    err)) != NCEN_OK)
				break;
			if (w->s.n == w->q->n)
				break;
		} else {
			w->s.passed++;
			if (w->six != NULL) {
				/* Collecting the scope's ids. */
				if (w->s.nids == w->capids) {
					w->capids = w->capids == 0 ? 256 :
					    w->capids * 2;
					w->ids = xreallocarray(w->ids,
					    w->capids, sizeof *w->ids);
				}
				w->ids[w->s.nids++] = id;
			}
		}
		if (++batch == STORE_PAGE_BATCH ||
		    (w->reading && w->s.steps >= STORE_PAGE_SCAN_MAX))
			break;
		ret = store_page_get(w, c, &key, &data, w->dir > 0 ? DB_NEXT :
		    DB_PREV);
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    w->file);
	return error;
}

/* Run a walk's batches until it is done, hit or has its rows. */
static int
store_page_walk(struct store *st, struct store_page_walk *w,
    struct ncen_err *err)
{
	int	error;

	memset(&w->s, 0, sizeof w->s);
	memset(&w->saved, 0, sizeof w->saved);
	buf_reset(&w->poskey);
	buf_reset(&w->savedkey);
	for (;;) {
		if ((error = store_txn_run(st, store_page_fn, w, 1, err)) !=
		    NCEN_OK)
			return error;
		store_page_save(w);
		if (w->s.done || w->s.hit)
			return NCEN_OK;
		if (w->reading && (w->s.n == w->q->n ||
		    w->s.steps >= STORE_PAGE_SCAN_MAX))
			return NCEN_OK;
	}
}

/* Whether some entry of the order lies before (dir < 0) or after a row. */
struct store_page_probe {
	struct store_page_walk	*w;
	const struct store_page_row *row;
	int			 dir;
	int			 found;
};

/* store_page_edge's read. */
static int
store_page_probe_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_page_probe	*p = varg;
	struct store_page_walk	*w = p->w;
	DB			*db;
	DBC			*c = NULL;
	DBT			 key, data;
	int			 ret, cret, error = NCEN_OK;

	p->found = 0;
	db = store_page_db(w);
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), w->file);
	ret = p->dir > 0 ?
	    store_page_seek_after(w, c, p->row->key.s, p->row->key.len,
	    p->row->id, &key, &data) :
	    store_page_seek_before(w, c, p->row->key.s, p->row->key.len,
	    p->row->id, &key, &data);
	if (ret == 0)
		p->found = store_page_in(w, &key);
	else if (ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: reading"), w->file);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    w->file);
	return error;
}

/* Whether the order has an entry before (dir < 0) or after a row. */
static int
store_page_edge(struct store *st, struct store_page_walk *w,
    const struct store_page_row *row, int dir, int *found,
    struct ncen_err *err)
{
	struct store_page_probe	p;
	int			reading = w->reading, error;

	memset(&p, 0, sizeof p);
	p.w = w;
	p.row = row;
	p.dir = dir;
	w->reading = 0;		/* keys only */
	error = store_txn_run(st, store_page_probe_fn, &p, STORE_TXN_NONE,
	    err);
	w->reading = reading;
	*found = p.found;
	return error;
}

/*
 * The index key of a value as typed; for number fields, whose keys are
 * binary, only a whole value (so a prefix matches exactly).
 */
static int
store_page_key(struct store *st, const char *entity,
    const struct schema_field *f, const char *value, struct buf *key,
    struct ncen_err *err)
{
	struct buf	canon = BUF_INIT, why = BUF_INIT;
	int		error = NCEN_OK;

	switch (f->type) {
	case SCHEMA_INTEGER:
	case SCHEMA_DECIMAL:
	case SCHEMA_REF:
		if (schema_value_check(st->schema, f, value, &canon, &why) !=
		    NCEN_OK)
			error = ncen_err_set(err, NCEN_EINVALID, "%s.%s: '%s': "
			    "%s", entity, f->name, value, buf_cstr(&why));
		else
			schema_index_key(f, canon.s, canon.len, key);
		break;
	default:
		schema_index_key(f, value, strlen(value), key);
		break;
	}
	buf_free(&canon);
	buf_free(&why);
	return error;
}

/*
 * Whether a scope can be read through its index: every record of the
 * form has a key there (records without one cannot be found by it).
 */
static int
store_page_scope_whole(struct store *st, struct store_entity *e,
    struct store_index *ix, int *whole, struct ncen_err *err)
{
	uint64_t	records, entries;
	int		error;

	*whole = 0;
	if ((error = store_count(st, e->form->name, &records, err)) !=
	    NCEN_OK || (error = store_count_index(st, e->form->name,
	    ix->field->name, &entries, err)) != NCEN_OK)
		return error;
	*whole = entries == records;
	return NCEN_OK;
}

/*
 * Set a scope up: the walk goes over the scope field's index, held to
 * its one key; in another field's order it collects ids for sorting.
 * Left unscoped while records without a key in that index exist.
 */
static int
store_page_setup_scope(struct store *st, const struct store_page_order *o,
    struct store_page_walk *w, struct ncen_err *err)
{
	struct store_index	*scope, *sort = w->ix;
	struct buf		 typed = BUF_INIT;
	int			 whole, error;

	if ((error = store_index_find(w->e, o->scope_field, &scope, err)) !=
	    NCEN_OK)
		return error;
	if (scope->field->repeated)
		return ncen_err_set(err, NCEN_EUSAGE, "%s.%s: a repeated field "
		    "cannot scope a list", o->entity, o->scope_field);
	if ((error = store_page_scope_whole(st, w->e, scope, &whole, err)) !=
	    NCEN_OK || !whole)
		return error;
	if ((error = store_page_key(st, o->entity, scope->field,
	    o->scope_value, &typed, err)) != NCEN_OK || typed.len == 0)
		goto out;
	if (sort != NULL && sort != scope) {
		/* Another field's order: sorted in memory. */
		w->six = sort;
		buf_add(&w->sprefix, w->prefix.s, w->prefix.len);
	} else if (sort == scope && w->prefix.len != 0 &&
	    (typed.len < w->prefix.len ||
	    memcmp(typed.s, w->prefix.s, w->prefix.len) != 0))
		w->none = 1;	/* the scope's key does not start so */
	w->ix = scope;
	w->file = scope->file;
	w->exact = 1;
	buf_reset(&w->prefix);
	buf_add(&w->prefix, typed.s, typed.len);
out:
	buf_free(&typed);
	return error;
}

/* Hold a walk to the given ids: sorted in memory by the order's keys. */
static int
store_page_setup_given(const struct store_page_order *o,
    struct store_page_walk *w)
{
	w->given = 1;
	w->six = w->ix;
	buf_add(&w->sprefix, w->prefix.s, w->prefix.len);
	if (o->nids != 0) {
		w->ids = xreallocarray(NULL, o->nids, sizeof *w->ids);
		memcpy(w->ids, o->ids, o->nids * sizeof *w->ids);
	}
	w->capids = w->s.nids = o->nids;
	return NCEN_OK;
}

/* Set a walk up for an order: its database, its prefix's key, its scope. */
static int
store_page_setup(struct store *st, const struct store_page_order *o,
    struct store_page_walk *w, struct ncen_err *err)
{
	int	error;

	memset(w, 0, sizeof *w);
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_page: called "
		    "inside a transaction");
	if ((w->e = store_entity_find(st, o->entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if (o->field == NULL || *o->field == '\0') {
		w->file = w->e->file;
		if (o->prefix != NULL && *o->prefix != '\0')
			return ncen_err_set(err, NCEN_EUSAGE,
			    _("%s: records in id order take no prefix"),
			    o->entity);
	} else {
		if ((error = store_index_find(w->e, o->field, &w->ix, err)) !=
		    NCEN_OK)
			return error;
		w->file = w->ix->file;
		if (o->prefix != NULL && *o->prefix != '\0' &&
		    (error = store_page_key(st, o->entity, w->ix->field,
		    o->prefix, &w->prefix, err)) != NCEN_OK)
			return error;
	}
	if (o->given)
		return store_page_setup_given(o, w);
	if (o->scope_field == NULL || o->scope_value == NULL ||
	    *o->scope_value == '\0')
		return NCEN_OK;
	return store_page_setup_scope(st, o, w, err);
}

/* Release a walk (its rows must have been handed over or freed). */
static void
store_page_walk_free(struct store_page_walk *w)
{
	while (w->s.n > 0)
		store_page_row_free(&w->rows[--w->s.n]);
	free(w->rows);
	w->rows = NULL;
	buf_free(&w->prefix);
	buf_free(&w->sprefix);
	free(w->ids);
	w->ids = NULL;
	buf_free(&w->poskey);
	buf_free(&w->savedkey);
}

/* Hand a walk's rows to a page, in ascending order. */
static void
store_page_hand(struct store_page_walk *w, struct store_page *p)
{
	struct store_page_row	tmp;
	size_t			i;

	p->rows = w->rows;
	p->n = w->s.n;
	w->rows = NULL;
	w->s.n = w->saved.n = 0;
	w->cap = 0;
	if (w->dir < 0)
		for (i = 0; i < p->n / 2; i++) {
			tmp = p->rows[i];
			p->rows[i] = p->rows[p->n - 1 - i];
			p->rows[p->n - 1 - i] = tmp;
		}
}

/* One entry of a scope sorted in memory: a sort key and its record. */
struct store_page_entry {
	struct buf	 key;
	uint64_t	 id;
};

/* A scope's entries in another field's order (store_page_sorted). */
struct store_page_sort {
	struct store_page_walk	*w;
	size_t			 next;		/* ids[next] is read next */
	struct store_page_entry	*ents;
	size_t			 n, cap;
};

/* Order entries by key, then id. */
static int
store_page_entry_cmp(const void *va, const void *vb)
{
	const struct store_page_entry	*a = va, *b = vb;
	int				 c;

	if ((c = store_keycmp(a->key.s, a->key.len, b->key.s, b->key.len)) !=
	    0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Add an entry to be sorted. */
static void
store_page_sort_add(struct store_page_sort *so, const void *key, size_t len,
    uint64_t id)
{
	if (so->n == so->cap) {
		so->cap = so->cap == 0 ? 64 : so->cap * 2;
		so->ents = xreallocarray(so->ents, so->cap, sizeof *so->ents);
	}
	memset(&so->ents[so->n].key, 0, sizeof so->ents[so->n].key);
	buf_add(&so->ents[so->n].key, key, len);
	so->ents[so->n++].id = id;
}

/* Read a batch of the scope's records and keep their sort keys. */
static int
store_page_sort_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_page_sort	*so = varg;
	struct store_page_walk	*w = so->w;
	struct store_entity	*e = w->e;
	struct store_keys	 keys;
	unsigned char		 idk[8];
	DBT			 key, data;
	size_t			 i, j, end, n = so->n;
	int			 ret;

	end = so->next + STORE_BATCH < w->s.nids ? so->next + STORE_BATCH :
	    w->s.nids;
	for (i = so->next; i < end; i++) {
		store_id_key(idk, w->ids[i]);
		if (w->six == NULL) {
			/* Id order: the key is the id's. */
			store_page_sort_add(so, idk, sizeof idk, w->ids[i]);
			continue;
		}
		memset(&key, 0, sizeof key);
		memset(&data, 0, sizeof data);
		key.data = idk;
		key.size = sizeof idk;
		if ((ret = e->db->get(e->db, t->txn, &key, &data, 0)) ==
		    DB_NOTFOUND)
			continue;	/* deleted meanwhile */
		if (ret != 0) {
			while (so->n > n)	/* this attempt's */
				buf_free(&so->ents[--so->n].key);
			return store_txn_dberr(t, ret, err, "%s: reading %s "
			    "%llu", e->file, e->form->name,
			    (unsigned long long)w->ids[i]);
		}
		store_keys_get(w->six->field, data.data, data.size, &keys);
		for (j = 0; j < keys.n; j++) {
			if (w->sprefix.len != 0 &&
			    (keys.k[j].len < w->sprefix.len ||
			    memcmp(keys.k[j].s, w->sprefix.s,
			    w->sprefix.len) != 0))
				continue;
			if (so->n == so->cap) {
				so->cap = so->cap == 0 ? 64 : so->cap * 2;
				so->ents = xreallocarray(so->ents, so->cap,
				    sizeof *so->ents);
			}
			so->ents[so->n].key = keys.k[j];
			so->ents[so->n++].id = w->ids[i];
			memset(&keys.k[j], 0, sizeof keys.k[j]);
		}
		store_keys_free(&keys);
	}
	return NCEN_OK;
}

/* Release the sorted entries. */
static void
store_page_sort_free(struct store_page_sort *so)
{
	while (so->n > 0)
		buf_free(&so->ents[--so->n].key);
	free(so->ents);
	so->ents = NULL;
	so->cap = 0;
}

/*
 * The scope's entries in the sort field's order: its ids from the scope
 * index (keys only), then a read of each record for its sort keys.
 */
static int
store_page_sort(struct store *st, struct store_page_walk *w,
    struct store_page_sort *so, struct ncen_err *err)
{
	int	error;

	memset(so, 0, sizeof *so);
	so->w = w;
	w->from = STORE_PAGE_START;
	w->dir = 1;
	w->reading = 0;
	w->limit = UINT64_MAX;
	if (!w->given && (error = store_page_walk(st, w, err)) != NCEN_OK)
		return error;
	while (so->next < w->s.nids) {
		if ((error = store_txn_run(st, store_page_sort_fn, so, 1,
		    err)) != NCEN_OK) {
			store_page_sort_free(so);
			return error;
		}
		so->next += STORE_BATCH;
	}
	if (so->n > 1)
		qsort(so->ents, so->n, sizeof *so->ents, store_page_entry_cmp);
	return NCEN_OK;
}

/* The first entry at or after (key, id); so->n when there is none. */
static size_t
store_page_sort_find(const struct store_page_sort *so,
    const struct store_page_row *at, int after)
{
	struct store_page_entry	probe;
	size_t			lo = 0, hi = so->n, mid;
	int			c;

	probe.key = at->key;
	probe.id = at->id;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = store_page_entry_cmp(&so->ents[mid], &probe);
		if (c < 0 || (after && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Read a page of a scope in another field's order, from the sorted keys. */
static int
store_page_sorted(struct store *st, struct store_page_walk *w,
    const struct store_page_query *q, struct store_page *p,
    struct ncen_err *err)
{
	struct store_page_sort	 so;
	struct store_page_row	*row;
	struct record		*r = NULL;
	size_t			 i, lo, hi, steps = 0;
	int			 dir = 1, error;

	if ((error = store_page_sort(st, w, &so, err)) != NCEN_OK)
		return error;
	/* Where the page starts (i, as a count from 1: 0 is before all). */
	switch (q->from) {
	case STORE_PAGE_END:
		i = so.n;
		dir = -1;
		break;
	case STORE_PAGE_AFTER:
		i = store_page_sort_find(&so, q->at, 1) + 1;
		break;
	case STORE_PAGE_BEFORE:
		i = store_page_sort_find(&so, q->at, 0);
		dir = -1;
		break;
	case STORE_PAGE_AT:
		i = store_page_sort_find(&so, q->at, 0) + 1;
		break;
	case STORE_PAGE_SKIP:
		if (q->skip < so.n)
			i = (size_t)q->skip + 1;
		else {
			i = so.n;
			dir = -1;
		}
		break;
	default:
		i = 1;
		break;
	}
	lo = SIZE_MAX;
	hi = 0;
	for (; i >= 1 && i <= so.n && w->s.n < q->n &&
	    steps < STORE_PAGE_SCAN_MAX; i += (size_t)dir, steps++) {
		error = store_get(st, w->e->form->name, so.ents[i - 1].id, &r,
		    err);
		if (error == NCEN_ENOTFOUND)
			continue;	/* deleted meanwhile */
		if (error != NCEN_OK)
			goto out;
		if (q->keep != NULL && !q->keep(r, q->keeparg)) {
			record_free(r);
			continue;
		}
		if (w->s.n == w->cap) {
			w->cap = w->cap == 0 ? 32 : w->cap * 2;
			w->rows = xreallocarray(w->rows, w->cap,
			    sizeof *w->rows);
		}
		row = &w->rows[w->s.n++];
		memset(row, 0, sizeof *row);
		row->rec = r;
		row->id = so.ents[i - 1].id;
		buf_add(&row->key, so.ents[i - 1].key.s, so.ents[i - 1].key.len);
		lo = i < lo ? i : lo;
		hi = i > hi ? i : hi;
	}
	w->dir = dir;
	store_page_hand(w, p);
	if (p->n == 0)
		p->first = p->last = 1;
	else {
		p->first = lo == 1;
		p->last = hi == so.n;
	}
	error = NCEN_OK;
out:
	store_page_sort_free(&so);
	return error;
}

/* Read a page of an order (see store-page.h). */
static int
store_page_read_asc(struct store *st, const struct store_page_order *o,
    const struct store_page_query *q, struct store_page *p,
    struct ncen_err *err)
{
	struct store_page_walk	 w;
	struct store_page_row	 target, scoped;
	int			 error, found, done;

	memset(p, 0, sizeof *p);
	memset(&target, 0, sizeof target);
	memset(&scoped, 0, sizeof scoped);
	if ((error = store_page_setup(st, o, &w, err)) != NCEN_OK)
		goto out;
	if (q->n == 0 || ((q->from == STORE_PAGE_AFTER ||
	    q->from == STORE_PAGE_BEFORE || q->from == STORE_PAGE_AT) &&
	    q->at == NULL)) {
		error = ncen_err_set(err, NCEN_EUSAGE, "store_page_read: no "
		    "rows asked for, or no row to start from");
		goto out;
	}
	w.q = q;
	w.from = q->from;
	w.at = q->at;
	if (w.none) {
		p->first = p->last = 1;
		goto out;
	}
	if (w.six != NULL || w.given) {
		error = store_page_sorted(st, &w, q, p, err);
		goto out;
	}
	if (w.exact && q->at != NULL) {
		/* A row of the scope: its key is the scope's. */
		buf_add(&scoped.key, w.prefix.s, w.prefix.len);
		scoped.id = q->at->id;
		w.at = &scoped;
	}
	if (q->from == STORE_PAGE_SKIP) {
		/* Find the entry the page starts at, keys only. */
		w.limit = q->skip;
		w.dir = 1;
		if ((error = store_page_walk(st, &w, err)) != NCEN_OK)
			goto out;
		if (w.s.hit) {
			buf_add(&target.key, w.poskey.s, w.poskey.len);
			target.id = w.s.posid;
			w.from = STORE_PAGE_AT;
			w.at = &target;
		} else
			w.from = STORE_PAGE_END;
	}
	w.dir = w.from == STORE_PAGE_END || w.from == STORE_PAGE_BEFORE ?
	    -1 : 1;
	w.reading = 1;
	if ((error = store_page_walk(st, &w, err)) != NCEN_OK)
		goto out;
	done = w.s.done;
	store_page_hand(&w, p);
	if (p->n == 0) {
		p->first = p->last = done;
		goto out;
	}
	/* What lies beyond each end of the page. */
	if ((error = store_page_edge(st, &w, &p->rows[0], -1, &found,
	    err)) != NCEN_OK)
		goto out;
	p->first = !found;
	if ((error = store_page_edge(st, &w, &p->rows[p->n - 1], 1, &found,
	    err)) != NCEN_OK)
		goto out;
	p->last = !found;
out:
	if (error != NCEN_OK)
		store_page_free(p);
	buf_free(&target.key);
	buf_free(&scoped.key);
	store_page_walk_free(&w);
	return error;
}

/* Count the entries of an order: kept counts, or keys only with a prefix. */
int
store_page_count(struct store *st, const struct store_page_order *o,
    uint64_t *count, struct ncen_err *err)
{
	struct store_page_walk	w;
	struct store_page_sort	so;
	int			error;

	*count = 0;
	if ((error = store_page_setup(st, o, &w, err)) != NCEN_OK || w.none)
		;
	else if (w.six != NULL || w.given) {
		/* A scope in another field's order, or given ids. */
		if ((error = store_page_sort(st, &w, &so, err)) == NCEN_OK)
			*count = so.n;
		store_page_sort_free(&so);
	} else if (!w.exact && w.prefix.len == 0) {
		/* The whole order: as many entries as its database. */
		error = w.ix == NULL ? store_count(st, o->entity, count, err) :
		    store_count_index(st, o->entity, w.ix->field->name, count,
		    err);
	} else {
		w.from = STORE_PAGE_START;
		w.dir = 1;
		w.limit = UINT64_MAX;
		if ((error = store_page_walk(st, &w, err)) == NCEN_OK)
			*count = w.s.passed;
	}
	store_page_walk_free(&w);
	return error;
}

/*
 * The greatest index key of entity.field that starts with prefix (given
 * as a value: it is turned into index-key form), read inside the
 * caller's transaction so that a number built from it is decided with
 * the write that uses it: two officers numbering cases at once conflict
 * on the index page and one of them is retried.  NCEN_ENOTFOUND when no
 * key has the prefix.
 */
int
store_page_last_key(struct store_txn *t, const char *entity,
    const char *field, const char *prefix, struct buf *key,
    struct ncen_err *err)
{
	struct store_entity	*e;
	struct store_index	*ix = NULL;
	struct buf		 k = BUF_INIT;
	DBC			*c = NULL;
	DBT			 dk, dd;
	size_t			 i;
	int			 ret, cret, error = NCEN_OK;

	if ((e = store_entity_find(t->st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	for (i = 0; i < e->nidx; i++)
		if (strcmp(e->idx[i].field->name, field) == 0)
			ix = &e->idx[i];
	if (ix == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s.%s is not an "
		    "indexed field"), entity, field);
	schema_index_key(ix->field, prefix, strlen(prefix), &k);
	/* Seek just past every key with the prefix, then step back. */
	buf_addc(&k, 0xff);
	if ((ret = ix->raw->cursor(ix->raw, t->txn, &c, 0)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: cursor"), ix->file);
		goto out;
	}
	memset(&dk, 0, sizeof dk);
	memset(&dd, 0, sizeof dd);
	dk.data = k.s;
	dk.size = (u_int32_t)k.len;
	dd.flags = DB_DBT_PARTIAL;	/* the ids are not needed */
	ret = c->get(c, &dk, &dd, DB_SET_RANGE);
	if (ret == 0)
		ret = c->get(c, &dk, &dd, DB_PREV_NODUP);
	else if (ret == DB_NOTFOUND)
		ret = c->get(c, &dk, &dd, DB_LAST);
	if (ret != 0 && ret != DB_NOTFOUND) {
		error = store_txn_dberr(t, ret, err, _("%s: read"), ix->file);
		goto out;
	}
	if (ret == DB_NOTFOUND || dk.size < k.len - 1 ||
	    memcmp(dk.data, k.s, k.len - 1) != 0) {
		error = ncen_err_set(err, NCEN_ENOTFOUND, _("no %s.%s starts "
		    "with %s"), entity, field, prefix);
		goto out;
	}
	buf_reset(key);
	buf_add(key, dk.data, dk.size);
out:
	if (c != NULL && (cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: cursor close"),
		    ix->file);
	buf_free(&k);
	return error;
}

/* Turn a page read forwards into the same rows backwards. */
static void
store_page_flip(struct store_page *p)
{
	struct store_page_row	t;
	size_t			i;
	int			f;

	for (i = 0; i < p->n / 2; i++) {
		t = p->rows[i];
		p->rows[i] = p->rows[p->n - 1 - i];
		p->rows[p->n - 1 - i] = t;
	}
	f = p->first;
	p->first = p->last;
	p->last = f;
}

/*
 * A page of an order read backwards (o->desc), from the same walk
 * forwards: START is the last entries, AFTER the ones before, AT a row
 * and those before it, SKIP counted from the end.
 */
static int
store_page_read_desc(struct store *st, const struct store_page_order *o,
    const struct store_page_query *q, struct store_page *p,
    struct ncen_err *err)
{
	struct store_page_query	 a = *q;
	struct store_page	 before, at;
	uint64_t		 total;
	size_t			 i, keep;
	int			 error;

	memset(p, 0, sizeof *p);
	switch (q->from) {
	case STORE_PAGE_START:
		a.from = STORE_PAGE_END;
		break;
	case STORE_PAGE_END:
		a.from = STORE_PAGE_START;
		break;
	case STORE_PAGE_AFTER:
		a.from = STORE_PAGE_BEFORE;
		break;
	case STORE_PAGE_BEFORE:
		a.from = STORE_PAGE_AFTER;
		break;
	case STORE_PAGE_SKIP:
		if ((error = store_page_count(st, o, &total, err)) != NCEN_OK)
			return error;
		if (q->skip >= total) {
			a.from = STORE_PAGE_START;	/* the last page */
			break;
		}
		a.skip = total - q->skip > q->n ? total - q->skip - q->n : 0;
		a.n = total - q->skip < q->n ? (size_t)(total - q->skip) : q->n;
		break;
	case STORE_PAGE_AT:
		/* The row itself, then those before it forwards. */
		a.n = 1;
		if ((error = store_page_read_asc(st, o, &a, &at, err)) !=
		    NCEN_OK)
			return error;
		a.from = STORE_PAGE_BEFORE;
		a.n = q->n;
		if ((error = store_page_read_asc(st, o, &a, &before, err)) !=
		    NCEN_OK) {
			store_page_free(&at);
			return error;
		}
		keep = before.n < q->n - at.n ? before.n : q->n - at.n;
		p->rows = xcalloc(keep + at.n + 1, sizeof *p->rows);
		for (i = 0; i < before.n; i++) {
			if (i >= before.n - keep)
				p->rows[p->n++] = before.rows[i];
			else
				store_page_row_free(&before.rows[i]);
		}
		for (i = 0; i < at.n; i++)
			p->rows[p->n++] = at.rows[i];
		p->first = before.first && keep == before.n;
		p->last = at.n == 0 ? 1 : at.last;
		free(before.rows);
		free(at.rows);
		store_page_flip(p);
		return NCEN_OK;
	}
	if ((error = store_page_read_asc(st, o, &a, p, err)) != NCEN_OK)
		return error;
	store_page_flip(p);
	return NCEN_OK;
}

/* A page of an order, forwards or backwards (see store-page.h). */
int
store_page_read(struct store *st, const struct store_page_order *o,
    const struct store_page_query *q, struct store_page *p,
    struct ncen_err *err)
{
	if (o->desc)
		return store_page_read_desc(st, o, q, p, err);
	return store_page_read_asc(st, o, q, p, err);
}
