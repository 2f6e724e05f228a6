/*
 * store-outbox.c - queuing in the outbox and writing messages, the part
 * of Icomm that ncen and ncen-icomm share (store-outbox.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-kv.h"
#include "store-outbox.h"
#include "store-wake.h"
#include "store.h"

#define STORE_OUTBOX_SHARED	"shared"	/* icomm.db: shared\0key */

/* Append partner "\0" entity "\0" id(8): an outbox key. */
void
store_outbox_key_add(struct buf *k, const char *partner, const char *entity,
    uint64_t id)
{
	buf_adds(k, partner);
	buf_addc(k, '\0');
	buf_adds(k, entity);
	buf_addc(k, '\0');
	buf_add_u64(k, id);
}

/* The key saying a record was queued for a partner: shared\0 + its key. */
void
store_outbox_shared_key(struct buf *k, const char *partner,
    const char *entity, uint64_t id)
{
	buf_reset(k);
	buf_adds(k, STORE_OUTBOX_SHARED);
	buf_addc(k, '\0');
	store_outbox_key_add(k, partner, entity, id);
}

/*
 * Write the outbox entry's JSON under its key.  rev counts the times
 * the entry was written again: a receipt removes an entry only at the
 * rev it packed, so a case queued again while its batch was in flight
 * (a linked record changed, the case's version not) is sent again.
 */
static int
store_outbox_put(struct store_txn *t, const struct buf *k, const char *kind,
    uint32_t version, struct ncen_err *err)
{
	struct buf	 old = BUF_INIT;
	json_int_t	 rev = 0;
	json_t		*j;
	char		*s;
	int		 error;

	error = store_kv_get(t, STORE_KV_OUTBOX, k->s, k->len, 1, &old, err);
	if (error == NCEN_OK) {
		j = json_loadb(old.s, old.len, 0, NULL);
		rev = json_integer_value(json_object_get(j, "rev")) + 1;
		json_decref(j);
	} else if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	}
	buf_free(&old);
	if (error != NCEN_OK)
		return error;
	j = json_pack("{s:s, s:I, s:I, s:I}", "kind", kind, "version",
	    (json_int_t)version, "queued", (json_int_t)audit_now(), "rev",
	    rev);
	s = j != NULL ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	if (s == NULL)
		return ncen_err_set(err, NCEN_EIO, _("cannot encode an "
		    "outbox entry"));
	error = store_kv_put(t, STORE_KV_OUTBOX, k->s, k->len, s, strlen(s),
	    err);
	free(s);
	if (error == NCEN_OK)
		store_txn_wake(t);
	return error;
}

/* Queue a record or a withdrawal for a partner, audited. */
int
store_outbox_queue(struct store_txn *t, const char *partner,
    const char *entity, uint64_t id, const char *kind, uint32_t version,
    const char *user, struct ncen_err *err)
{
	struct buf	 k = BUF_INIT, rec = BUF_INIT, d = BUF_INIT;
	int		 error;

	store_outbox_key_add(&k, partner, entity, id);
	error = store_outbox_put(t, &k, kind, version, err);
	if (error == NCEN_OK) {
		store_outbox_shared_key(&k, partner, entity, id);
		if (strcmp(kind, "withdraw") == 0) {
			error = store_kv_del(t, STORE_KV_STATE, k.s, k.len,
			    err);
			if (error == NCEN_ENOTFOUND)
				error = NCEN_OK;
		} else
			error = store_kv_put(t, STORE_KV_STATE, k.s, k.len,
			    "", 0, err);
	}
	if (error == NCEN_OK) {
		buf_addf(&rec, "%s:%llu", entity, (unsigned long long)id);
		buf_addf(&d, "%s for %s (version %u)", kind, partner, version);
		error = audit_append(t, user, "icomm.queue", rec.s, d.s, err);
	}
	buf_free(&k);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* The cases a message cites: "case:N" each, of cases that exist. */
static int
store_msg_cites(struct store_txn *t, struct record *r,
    const struct store_message *m, struct ncen_err *err)
{
	const char	*v;
	char		*end;
	uint64_t	 id;
	size_t		 i;
	int		 fi = schema_field_index(r->form, "cites"), rc;

	for (i = 0; i < m->ncites; i++) {
		v = m->cites[i];
		if (strncmp(v, "case:", 5) != 0 ||
		    (id = strtoull(v + 5, &end, 10)) == 0 || *end != '\0')
			return ncen_err_set(err, NCEN_EUSAGE, _("bad citation "
			    "'%s': a message cites cases as case:ID"), v);
		if ((rc = store_txn_ref_exists("case", id, t)) < 0)
			return -rc;
		if (rc == 0)
			return ncen_err_set(err, NCEN_ENOTFOUND,
			    _("the message "
			    "cites case %llu, which does not exist"),
			    (unsigned long long)id);
		if (fi < 0)
			return ncen_err_set(err, NCEN_ENOTFOUND,
			    _("the message "
			    "form has no cites field"));
		record_add_value(r, (size_t)fi, v);
	}
	return NCEN_OK;
}

/*
 * Put the message answered in the thread of its reply (it had none);
 * a form without the thread field (version 1) keeps no thread.
 */
static int
store_msg_join(struct store_txn *t, const struct store_message *m,
    const char *user, struct ncen_err *err)
{
	struct record	*r = NULL;
	int		 error;

	if (m->joins == 0 || m->thread == NULL)
		return NCEN_OK;
	if ((error = store_txn_get(t, "message", m->joins, &r, err)) !=
	    NCEN_OK)
		return error;
	if (schema_field_find(r->form, "thread") != NULL &&
	    (error = record_set(r, "thread", m->thread, err)) == NCEN_OK)
		error = store_update(t, r, user, err);
	record_free(r);
	return error;
}

/* Store a message and queue it, if the partner is registered. */
int
store_message_txn(struct store_txn *t, const struct schema *schema,
    const char *user, const struct store_message *m, uint64_t *id,
    struct ncen_err *err)
{
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 v = BUF_INIT;
	const char			*partner = m->partner != NULL ?
					     m->partner : "";
	time_t				 now = (time_t)audit_now();
	struct tm			 tm;
	char				 date[32];
	int				 error;

	*id = 0;
	error = store_kv_get(t, STORE_KV_PARTNERS, partner, strlen(partner),
	    0, &v, err);
	buf_free(&v);
	if (error == NCEN_ENOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("no partner '%s' "
		    "(ncenctl partner add)"), partner);
	if (error != NCEN_OK)
		return error;
	if (m->subject == NULL || *m->subject == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("a message needs a "
		    "subject"));
	if ((f = schema_form_find(schema, "message")) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no message form"));
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M", &tm) == 0)
		return ncen_err_set(err, NCEN_EIO, _("the clock cannot be "
		    "read as a date"));
	r = record_new(f);
	if ((error = record_set(r, "direction", "OUT", err)) == NCEN_OK &&
	    (error = record_set(r, "node", partner, err)) == NCEN_OK &&
	    (error = record_set(r, "date", date, err)) == NCEN_OK &&
	    (error = record_set(r, "subject", m->subject, err)) == NCEN_OK &&
	    (error = record_set(r, "body", m->body, err)) == NCEN_OK &&
	    (schema_field_find(f, "thread") == NULL ||
	    (error = record_set(r, "thread", m->thread, err)) == NCEN_OK) &&
	    (error = store_msg_cites(t, r, m, err)) == NCEN_OK &&
	    (error = store_msg_join(t, m, user, err)) == NCEN_OK &&
	    (error = store_put(t, r, user, err)) == NCEN_OK)
		error = store_outbox_queue(t, partner, "message", r->id,
		    "record", r->version, user, err);
	*id = r->id;
	record_free(r);
	return error;
}
