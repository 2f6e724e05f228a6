/*
 * store-kv.c - Icomm's btrees as key -> value maps inside a transaction,
 * and an index lookup for a transaction (see store-kv.h).
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
	DB	*db = t->st->kv[which];
	DBT	 k, d;
	int	 ret;

	store_kv_dbt(&k, key, klen);
	memset(&d, 0, sizeof d);
	d.flags = DB_DBT_MALLOC;
	ret = db->get(db, t->txn, &k, &d, rmw && t->txn != NULL ? DB_RMW : 0);
	if (ret == DB_NOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such entry"),
		    store_kv_files[which]);
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: reading"),
		    store_kv_files[which]);
	buf_reset(val);
	buf_add(val, d.data, d.size);
	free(d.data);
	return NCEN_OK;
}

/* Write one value (replacing any). */
int
store_kv_put(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, const void *val, size_t vlen, struct ncen_err *err)
{
	DB	*db = t->st->kv[which];
	DBT	 k, d;
	int	 ret;

	store_kv_dbt(&k, key, klen);
	store_kv_dbt(&d, val, vlen);
	if ((ret = db->put(db, t->txn, &k, &d, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: writing"),
		    store_kv_files[which]);
	return NCEN_OK;
}

/* Delete one key; NCEN_ENOTFOUND if it is absent. */
int
store_kv_del(struct store_txn *t, enum store_kv_db which, const void *key,
    size_t klen, struct ncen_err *err)
{
	DB	*db = t->st->kv[which];
	DBT	 k;
	int	 ret;

	store_kv_dbt(&k, key, klen);
	ret = db->del(db, t->txn, &k, 0);
	if (ret == DB_NOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such entry"),
		    store_kv_files[which]);
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: deleting"),
		    store_kv_files[which]);
	return NCEN_OK;
}

/* Call fn on every pair whose key starts with the prefix, in key order. */
int
store_kv_scan(struct store_txn *t, enum store_kv_db which, const void *prefix,
    size_t plen, store_kv_fn fn, void *arg, struct ncen_err *err)
{
	DB	*db = t->st->kv[which];
	DBC	*c = NULL;
	DBT	 k, d;
	int	 ret, cret, error = NCEN_OK;
	u_int32_t op = plen != 0 ? DB_SET_RANGE : DB_FIRST;

	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    store_kv_files[which]);
	for (;;) {
		/* Berkeley DB points k at its own copy of the key found. */
		store_kv_dbt(&k, prefix, plen);
		memset(&d, 0, sizeof d);
		ret = c->get(c, &k, &d, op);
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    store_kv_files[which]);
			break;
		}
		op = DB_NEXT;
		if (k.size < plen || memcmp(k.data, prefix, plen) != 0)
			break;
		if ((error = fn(k.data, k.size, d.data, d.size, arg)) != 0)
			break;
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    store_kv_files[which]);
	return error;
}

/* The last key of a btree, empty if there is none. */
int
store_kv_last(struct store_txn *t, enum store_kv_db which, struct buf *key,
    struct ncen_err *err)
{
	DB	*db = t->st->kv[which];
	DBC	*c = NULL;
	DBT	 k, d;
	int	 ret, cret, error = NCEN_OK;

	buf_reset(key);
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    store_kv_files[which]);
	memset(&k, 0, sizeof k);
	memset(&d, 0, sizeof d);
	ret = c->get(c, &k, &d, DB_LAST | (t->txn != NULL ? DB_RMW : 0));
	if (ret == 0)
		buf_add(key, k.data, k.size);
	else if (ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: reading"),
		    store_kv_files[which]);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    store_kv_files[which]);
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
	DB			*raw;
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
	/* The raw handle: the index's own pairs, key -> primary id. */
	if ((error = store_index_raw(t->st, ix, &raw, err)) != NCEN_OK)
		return error;
	schema_index_key(ix->field, value, strlen(value), &key);
	if ((ret = raw->cursor(raw, t->txn, &c, 0)) != 0) {
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
