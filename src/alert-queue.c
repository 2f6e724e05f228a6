/*
 * alert-queue.c - the cases waiting to be checked (alert.h).
 *
 * The store's change hook writes "alert.q" + case id (8 bytes,
 * big-endian) -> a stamp (time, process and a counter) into icomm.db
 * in the transaction of every change to a case, to one of its seizure
 * lines, to a record linked to it, or to its links: the save only adds
 * that one write.  alert_drain() checks them afterwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "rules.h"
#include "store-kv.h"
#include "store.h"
#include "xmalloc.h"

#define ALERT_KEY_QUEUE		"alert.q"
#define ALERT_KEY_QUEUE_LEN	(sizeof ALERT_KEY_QUEUE - 1)

/* The forms whose changes touch the cases they are linked to. */
static const char *const alert_queue_linked[] = {
	"person", "business", "conveyance",
};

/* Whether a form's records are linked to cases and checked with them. */
static int
alert_queue_is_linked(const char *entity)
{
	size_t	i;

	for (i = 0; i < sizeof alert_queue_linked /
	    sizeof alert_queue_linked[0]; i++)
		if (strcmp(alert_queue_linked[i], entity) == 0)
			return 1;
	return 0;
}

/* Record that a case is to be checked, with a fresh stamp. */
static int
alert_queue_put(struct store_txn *t, uint64_t id, struct ncen_err *err)
{
	static uint32_t	 counter;
	struct timespec	 ts;
	struct buf	 k = BUF_INIT, v = BUF_INIT;
	int		 rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	buf_add(&k, ALERT_KEY_QUEUE, ALERT_KEY_QUEUE_LEN);
	buf_add_u64(&k, id);
	buf_add_u64(&v, (uint64_t)ts.tv_sec * 1000000000u +
	    (uint64_t)ts.tv_nsec);
	buf_add_u32(&v, (uint32_t)getpid());
	buf_add_u32(&v, ++counter);
	rc = store_kv_put(t, STORE_KV_STATE, k.s, k.len, v.s, v.len, err);
	buf_free(&k);
	buf_free(&v);
	return rc;
}

/* The case a seizure line belongs to, 0 if none. */
static uint64_t
alert_queue_seizure(const struct record *r)
{
	const char	*v;

	if (r == NULL || (v = record_get(r, "case")) == NULL)
		return 0;
	return strtoull(v, NULL, 10);
}

/* The cases a change touches. */
static int
alert_queue_touched(struct store_txn *t, const struct store_change *ch,
    struct store_ids *c, struct ncen_err *err)
{
	struct store_ref	ref;
	uint64_t		id;

	if (strcmp(ch->action, "link") == 0 ||
	    strcmp(ch->action, "unlink") == 0) {
		if (strcmp(ch->entity, "case") == 0)
			store_ids_add(c, ch->id);
		else if (strcmp(ch->other.entity, "case") == 0)
			store_ids_add(c, ch->other.id);
		return NCEN_OK;
	}
	if (strcmp(ch->action, "delete") == 0)
		return NCEN_OK;
	if (strcmp(ch->entity, "case") == 0)
		store_ids_add(c, ch->id);
	else if (strcmp(ch->entity, "seizure") == 0) {
		if ((id = alert_queue_seizure(ch->rec)) != 0)
			store_ids_add(c, id);
	} else if (alert_queue_is_linked(ch->entity) &&
	    strcmp(ch->action, "create") != 0) {
		ref.entity = ch->entity;
		ref.id = ch->id;
		return store_txn_links(t, ref, store_ids_link, c, err);
	}
	return NCEN_OK;
}

/* The store's change hook: the touched cases go on the queue. */
static int
alert_queue_hook(struct store_txn *t, const struct store_change *ch,
    void *arg, struct ncen_err *err)
{
	struct store_ids	c;
	size_t			i;
	int			rc;

	(void)arg;
	memset(&c, 0, sizeof c);
	c.entity = "case";
	rc = alert_queue_touched(t, ch, &c, err);
	for (i = 0; i < c.n && rc == NCEN_OK; i++)
		rc = alert_queue_put(t, c.ids[i], err);
	store_ids_free(&c);
	return rc;
}

/* Record the cases each change of this store touches. */
void
alert_attach(struct store *st)
{
	if (schema_form_find(store_schema(st), "alert") != NULL)
		store_hook_add(st, alert_queue_hook, NULL);
}

/* Entries read off the queue. */
struct alert_queue_batch {
	struct buf	*keys, *stamps;
	size_t		 n, max;
	uint64_t	 count;		/* alert_pending */
};

/* Keep one queue entry (store_kv_fn); stop at max. */
static int
alert_queue_keep(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct alert_queue_batch	*b = arg;

	if (klen != ALERT_KEY_QUEUE_LEN + 8)
		return 0;
	if (b->max == 0) {
		b->count++;
		return 0;
	}
	if (b->n == b->max)
		return 1;
	b->keys = xreallocarray(b->keys, b->n + 1, sizeof *b->keys);
	b->stamps = xreallocarray(b->stamps, b->n + 1, sizeof *b->stamps);
	buf_init(&b->keys[b->n]);
	buf_init(&b->stamps[b->n]);
	buf_add(&b->keys[b->n], key, klen);
	buf_add(&b->stamps[b->n], val, vlen);
	b->n++;
	return 0;
}

/* Forget a batch. */
static void
alert_queue_batch_free(struct alert_queue_batch *b)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		buf_free(&b->keys[i]);
		buf_free(&b->stamps[i]);
	}
	free(b->keys);
	free(b->stamps);
	b->keys = b->stamps = NULL;
	b->n = 0;
}

/* Read the queue (store_txn_fn). */
static int
alert_queue_read(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct alert_queue_batch	*b = arg;
	int				 rc;

	alert_queue_batch_free(b);
	b->count = 0;
	rc = store_kv_scan(t, STORE_KV_STATE, ALERT_KEY_QUEUE,
	    ALERT_KEY_QUEUE_LEN, alert_queue_keep, b, err);
	return rc == 1 ? NCEN_OK : rc;
}

/* How many cases wait to be checked. */
int
alert_pending(struct store *st, uint64_t *n, struct ncen_err *err)
{
	struct alert_queue_batch	b;
	int				rc;

	memset(&b, 0, sizeof b);
	rc = store_run(st, alert_queue_read, &b, err);
	*n = b.count;
	return rc;
}

/* Check up to max queued cases (0: all of them), oldest key first. */
int
alert_drain(struct store *st, size_t max, size_t *checked, size_t *raised,
    struct ncen_err *err)
{
	struct alert_queue_batch	 b;
	struct rules			*rs = NULL;
	size_t				 i;
	int				 rc = NCEN_OK;

	*checked = 0;
	if (schema_form_find(store_schema(st), "alert") == NULL)
		return NCEN_OK;
	memset(&b, 0, sizeof b);
	for (;;) {
		b.max = max == 0 || max - *checked > 64 ? 64 : max - *checked;
		if (b.max == 0 || (rc = store_run(st, alert_queue_read, &b,
		    err)) != NCEN_OK || b.n == 0)
			break;
		if (rs == NULL && (rc = rules_load(store_home(st),
		    store_schema(st), &rs, err)) != NCEN_OK)
			break;
		for (i = 0; i < b.n && rc == NCEN_OK; i++) {
			rc = alert_check_queued(st, rs, &b.keys[i],
			    &b.stamps[i], buf_get_u64((const unsigned char *)
			    b.keys[i].s + ALERT_KEY_QUEUE_LEN), raised, err);
			(*checked)++;
		}
		if (rc != NCEN_OK)
			break;
	}
	alert_queue_batch_free(&b);
	rules_free(rs);
	return rc;
}
