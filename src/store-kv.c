/*
 * store-kv.c - the store's plain btrees (Icomm's, the accounts, the
 * audit log) as key -> value maps inside a transaction, and an index
 * lookup for a transaction (see store-kv.h).
 */
#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-int.h"
#include "store-kv.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

const char *const store_kv_files[STORE_KV_NDB] = {
	"partners.db", "agreements.db", "outbox.db", "icomm.db"
};

/* The handle and file name of one of the plain btrees. */
static DB *
store_kv_handle(struct store *st, enum store_kv_db which)
{
	switch (which) {
	case STORE_KV_ACCOUNTS:
		return st->accounts;
	case STORE_KV_AUDIT:
		return st->audit;
	default:
		return st->kv[which];
	}
}

/* The file name of one of the plain btrees, for messages. */
const char *
store_kv_file(enum store_kv_db which)
{
	switch (which) {
	case STORE_KV_ACCOUNTS:
		return STORE_ACCOUNTS_FILE;
	case STORE_KV_AUDIT:
		return STORE_AUDIT_FILE;
	default:
		return store_kv_files[which];
	}
}

/* The btree's handle, or NCEN_EUSAGE when this store did not open it. */
static int
store_kv_open_db(struct store_txn *t, enum store_kv_db which, DB **db,
    struct ncen_err *err)
{
	if ((*db = store_kv_handle(t->st, which)) == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: not open"),
		    store_kv_file(which));
	return NCEN_OK;
}

/* Whether t is a real transaction (not a single unprotected read). */
int
store_kv_txn(const struct store_txn *t)
{
	return t->txn != NULL;
}

/* Run fn in a read-committed transaction (see store-kv.h). */
int
store_kv_read(struct store *st, store_txn_fn fn, void *arg,
    struct ncen_err *err)
{
	return store_txn_run(st, fn, arg, 1, err);
}

/* Fill a DBT with borrowed bytes. */
static void
store_kv_dbt(DBT *d, const void *p, size_t n)
{
	memset(d, 0, sizeof *d);
	d->data = (void *)(uintptr_t)p;
	d->size = (u_int32_t)n;
}

/* Read one value; NCEN_ENOTFOUND if the key is absent. */
int
store_kv_get(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, int rmw, struct buf *val, struct ncen_err *err)
{
	DB	*db;
	DBT	 k, d;
	int	 ret;

	if ((ret = store_kv_open_db(t, which, &db, err)) != NCEN_OK)
		return ret;
	store_kv_dbt(&k, key, klen);
	memset(&d, 0, sizeof d);
	d.flags = DB_DBT_MALLOC;
	ret = db->get(db, t->txn, &k, &d, rmw && t->txn != NULL ? DB_RMW : 0);
	if (ret == DB_NOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such entry"),
		    store_kv_file(which));
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: reading"),
		    store_kv_file(which));
	buf_reset(val);
	buf_add(val, d.data, d.size);
	free(d.data);
	return NCEN_OK;
}

/* Write one value with Berkeley DB's put flags. */
static int
store_kv_write(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, const void *val, size_t vlen, u_int32_t flags,
    struct ncen_err *err)
{
	DB	*db;
	DBT	 k, d;
	int	 ret;

	if ((ret = store_kv_open_db(t, which, &db, err)) != NCEN_OK)
		return ret;
	store_kv_dbt(&k, key, klen);
	store_kv_dbt(&d, val, vlen);
	ret = db->put(db, t->txn, &k, &d, flags);
	if (ret == DB_KEYEXIST)
		return ncen_err_set(err, NCEN_EEXISTS, _("%s: the entry is "
		    "there already"), store_kv_file(which));
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: writing"),
		    store_kv_file(which));
	return NCEN_OK;
}

/* Write one value (replacing any). */
int
store_kv_put(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, const void *val, size_t vlen, struct ncen_err *err)
{
	return store_kv_write(t, which, key, klen, val, vlen, 0, err);
}

/* Write one value under a new key; NCEN_EEXISTS if the key is there. */
int
store_kv_insert(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, const void *val, size_t vlen, struct ncen_err *err)
{
	return store_kv_write(t, which, key, klen, val, vlen, DB_NOOVERWRITE,
	    err);
}

/* Delete one key; NCEN_ENOTFOUND if it is absent. */
int
store_kv_del(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, struct ncen_err *err)
{
	DB	*db;
	DBT	 k;
	int	 ret;

	if ((ret = store_kv_open_db(t, which, &db, err)) != NCEN_OK)
		return ret;
	store_kv_dbt(&k, key, klen);
	ret = db->del(db, t->txn, &k, 0);
	if (ret == DB_NOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such entry"),
		    store_kv_file(which));
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: deleting"),
		    store_kv_file(which));
	return NCEN_OK;
}

/*
 * Call fn on the pairs from the first key at or after start in key order,
 * up to the first whose key does not begin with start when prefix is set.
 */
static int
store_kv_walk(struct store_txn *t, enum store_kv_db which, const void *start,
    size_t slen, int prefix, store_kv_fn fn, void *arg, struct ncen_err *err)
{
	DB	*db;
	DBC	*c = NULL;
	DBT	 k, d;
	int	 ret, cret, error = NCEN_OK;
	u_int32_t op = slen != 0 ? DB_SET_RANGE : DB_FIRST;

	if ((ret = store_kv_open_db(t, which, &db, err)) != NCEN_OK)
		return ret;
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    store_kv_file(which));
	for (;;) {
		/* Berkeley DB points k at its own copy of the key found. */
		store_kv_dbt(&k, start, slen);
		memset(&d, 0, sizeof d);
		ret = c->get(c, &k, &d, op);
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    store_kv_file(which));
			break;
		}
		op = DB_NEXT;
		if (prefix && (k.size < slen ||
		    memcmp(k.data, start, slen) != 0))
			break;
		if ((error = fn(k.data, k.size, d.data, d.size, arg)) != 0)
			break;
	}
	if ((cret = c->close(c)) != 0 && (error == NCEN_OK ||
	    error == STORE_KV_STOP))
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    store_kv_file(which));
	return error == STORE_KV_STOP ? NCEN_OK : error;
}

/* Call fn on every pair whose key starts with the prefix, in key order. */
int
store_kv_scan(struct store_txn *t, enum store_kv_db which, const void *prefix,
    size_t plen, store_kv_fn fn, void *arg, struct ncen_err *err)
{
	return store_kv_walk(t, which, prefix, plen, 1, fn, arg, err);
}

/* Call fn on every pair from the first key at or after start. */
int
store_kv_from(struct store_txn *t, enum store_kv_db which, const void *start,
    size_t slen, store_kv_fn fn, void *arg, struct ncen_err *err)
{
	return store_kv_walk(t, which, start, slen, 0, fn, arg, err);
}

/* The last key of a btree, empty if there is none. */
int
store_kv_last(struct store_txn *t, enum store_kv_db which, struct buf *key,
    struct ncen_err *err)
{
	DB	*db;
	DBC	*c = NULL;
	DBT	 k, d;
	int	 ret, cret, error = NCEN_OK;

	if ((ret = store_kv_open_db(t, which, &db, err)) != NCEN_OK)
		return ret;
	buf_reset(key);
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    store_kv_file(which));
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	ret = c->get(c, &k, &d, DB_LAST | (t->txn != NULL ? DB_RMW : 0));
	if (ret == 0)
		buf_add(key, k.data, k.size);
	else if (ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: reading"),
		    store_kv_file(which));
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    store_kv_file(which));
	return error;
}

/* The ids of the records whose indexed field equals a stored value. */
int
store_txn_ids(struct store_txn *t, const char *entity, const char *field,
    const char *value, uint64_t **ids, size_t *n, struct ncen_err *err)
{
	struct store_entity	*e;
	struct store_index	*ix = NULL;
	struct buf		 key = BUF_INIT;
	DBC			*c = NULL;
	DBT			 k, d;
	size_t			 i;
	int			 ret, cret, error = NCEN_OK;
	u_int32_t		 op = DB_SET;

	*ids = NULL;
	*n = 0;
	if ((e = store_entity_find(t->st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	for (i = 0; i < e->nidx; i++)
		if (strcmp(e->idx[i].field->name, field) == 0)
			ix = &e->idx[i];
	if (ix == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND,
		    _("%s.%s has no index"),
		    entity, field);
	schema_index_key(ix->field, value, strlen(value), &key);
	/* The raw handle: the index's own pairs, key -> primary id. */
	if ((ret = ix->raw->cursor(ix->raw, t->txn, &c, 0)) != 0) {
		buf_free(&key);
		return store_txn_dberr(t, ret, err, _("%s: cursor"), ix->file);
	}
	for (;;) {
		store_kv_dbt(&k, key.s, key.len);
		memset(&d, 0, sizeof d);
		ret = c->get(c, &k, &d, op);
		op = DB_NEXT_DUP;
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    ix->file);
			break;
		}
		if (d.size != 8)
			continue;
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = buf_get_u64(d.data);
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    ix->file);
	buf_free(&key);
	return error;
}

/* Whether a record exists, in the transaction (a schema_ref_fn). */
int
store_txn_ref_exists(const char *entity, uint64_t id, void *arg)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct record	*r = NULL;
	int		 rc;

	rc = store_txn_get(arg, entity, id, &r, &e);
	record_free(r);
	ncen_err_free(&e);
	if (rc == NCEN_OK)
		return 1;
	return rc == NCEN_ENOTFOUND ? 0 : -rc;
}
