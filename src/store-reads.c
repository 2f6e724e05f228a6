/*
 * store-reads.c - the read marks of received messages (store-reads.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "store-kv.h"
#include "store-reads.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_READS_PREFIX	"read"

/* The key of a user's mark on a message. */
static void
store_reads_key(struct buf *k, const char *user, uint64_t id)
{
	buf_reset(k);
	buf_adds(k, STORE_READS_PREFIX);
	buf_addc(k, '\0');
	buf_adds(k, user);
	buf_addc(k, '\0');
	buf_add_u64(k, id);
}

/* Mark a message read by a user. */
int
store_reads_mark(struct store_txn *t, const char *user, uint64_t id,
    struct ncen_err *err)
{
	struct buf	k = BUF_INIT;
	int		error;

	store_reads_key(&k, user, id);
	error = store_kv_put(t, STORE_KV_STATE, k.s, k.len, "", 0, err);
	buf_free(&k);
	return error;
}

/* Whether a user has read a message: 1, 0, or -code. */
int
store_reads_seen(struct store_txn *t, const char *user, uint64_t id,
    struct ncen_err *err)
{
	struct buf	k = BUF_INIT, v = BUF_INIT;
	int		error;

	store_reads_key(&k, user, id);
	error = store_kv_get(t, STORE_KV_STATE, k.s, k.len, 0, &v, err);
	buf_free(&k);
	buf_free(&v);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return 0;
	}
	return error == NCEN_OK ? 1 : -error;
}

struct store_reads_ids {
	uint64_t	*v;
	size_t		 n, cap;
	const char	*user;
	uint64_t	 unread;
};

/* Keep a received message's id (store_record_fn). */
static int
store_reads_collect(const struct record *r, void *arg)
{
	struct store_reads_ids	*ids = arg;

	if (ids->n == ids->cap) {
		ids->cap = ids->cap == 0 ? 16 : ids->cap * 2;
		ids->v = xreallocarray(ids->v, ids->cap, sizeof *ids->v);
	}
	ids->v[ids->n++] = r->id;
	return 0;
}

/* Count the ids without the user's mark. */
static int
store_reads_count_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_reads_ids	*ids = arg;
	size_t			 i;
	int			 rc;

	ids->unread = 0;
	for (i = 0; i < ids->n; i++) {
		if ((rc = store_reads_seen(t, ids->user, ids->v[i], err)) < 0)
			return -rc;
		if (rc == 0)
			ids->unread++;
	}
	return NCEN_OK;
}

/* How many received messages the user has not read. */
int
store_reads_unread(struct store *st, const char *user, uint64_t *n,
    struct ncen_err *err)
{
	struct store_reads_ids	ids;
	int			error;

	memset(&ids, 0, sizeof ids);
	ids.user = user;
	*n = 0;
	error = store_find(st, "message", "direction", "IN", NULL,
	    store_reads_collect, &ids, err);
	if (error == NCEN_OK && ids.n > 0)
		error = store_run(st, store_reads_count_txn, &ids, err);
	if (error == NCEN_OK)
		*n = ids.unread;
	free(ids.v);
	return error;
}
