/* icomm-kv.c - JSON objects kept in Icomm's btrees (store-kv.h). */
#include <jansson.h>

#include "buf.h"
#include "error.h"
#include "icomm-util.h"
#include "store-kv.h"

/* Read a JSON object kept under a key. */
int
icomm_kv_get_json(struct store_txn *t, enum store_kv_db db, const void *key,
    size_t klen, int rmw, json_t **out, struct ncen_err *err)
{
	struct buf	v = BUF_INIT;
	int		error;

	*out = NULL;
	if ((error = store_kv_get(t, db, key, klen, rmw, &v, err)) == NCEN_OK)
		error = icomm_json_load(v.s, v.len, "a stored Icomm entry",
		    out, err);
	buf_free(&v);
	return error;
}

/* Write a JSON object under a key. */
int
icomm_kv_put_json(struct store_txn *t, enum store_kv_db db, const void *key,
    size_t klen, const json_t *j, struct ncen_err *err)
{
	struct buf	v = BUF_INIT;
	int		error;

	icomm_json_dump(j, &v);
	error = store_kv_put(t, db, key, klen, buf_cstr(&v), v.len, err);
	buf_free(&v);
	return error;
}
