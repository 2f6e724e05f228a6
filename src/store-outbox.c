/*
 * store-outbox.c - queuing in the outbox and writing messages, the part
 * of Icomm that ncen and ncen-icomm share (store-outbox.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-kv.h"
#include "store-outbox.h"
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
		return ncen_err_set(err, NCEN_EIO, "cannot encode an "
		    "outbox entry");
	error = store_kv_put(t, STORE_KV_OUTBOX, k->s, k->len, s, strlen(s),
	    err);
	free(s);
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

struct store_msg_op {
	const char	*user, *partner, *subject, *body;
	char *const	*cites;
	size_t		 ncites;
	const struct schema *schema;
	uint64_t	 id;
};

/* The cases a message cites: "case:N" each, of cases that exist. */
static int
store_msg_cites(struct store_txn *t, struct record *r,
    const struct store_msg_op *op, struct ncen_err *err)
{
	const char	*v;
	char		*end;
	uint64_t	 id;
	size_t		 i;
	int		 fi = schema_field_index(r->form, "cites"), rc;

	for (i = 0; i < op->ncites; i++) {
		v = op->cites[i];
		if (strncmp(v, "case:", 5) != 0 ||
		    (id = strtoull(v + 5, &end, 10)) == 0 || *end != '\0')
			return ncen_err_set(err, NCEN_EUSAGE, "bad citation "
			    "'%s': a message cites cases as case:ID", v);
		if ((rc = store_txn_ref_exists("case", id, t)) < 0)
			return -rc;
		if (rc == 0)
			return ncen_err_set(err, NCEN_ENOTFOUND, "the message "
			    "cites case %llu, which does not exist",
			    (unsigned long long)id);
		if (fi < 0)
			return ncen_err_set(err, NCEN_ENOTFOUND, "the message "
			    "form has no cites field");
		record_add_value(r, (size_t)fi, v);
	}
	return NCEN_OK;
}

/* Store the message and queue it, if the partner is registered. */
static int
store_msg_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_msg_op		*op = arg;
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 v = BUF_INIT;
	time_t				 now = (time_t)audit_now();
	struct tm			 tm;
	char				 date[32];
	int				 error;

	error = store_kv_get(t, STORE_KV_PARTNERS, op->partner,
	    strlen(op->partner), 0, &v, err);
	buf_free(&v);
	if (error == NCEN_ENOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, "no partner '%s' "
		    "(ncenctl partner add)", op->partner);
	if (error != NCEN_OK)
		return error;
	if (op->subject == NULL || *op->subject == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, "a message needs a "
		    "subject");
	if ((f = schema_form_find(op->schema, "message")) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, "the forms of this "
		    "data directory have no message form");
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%dT%H:%M", &tm) == 0)
		return ncen_err_set(err, NCEN_EIO, "the clock cannot be "
		    "read as a date");
	r = record_new(f);
	if ((error = record_set(r, "direction", "OUT", err)) == NCEN_OK &&
	    (error = record_set(r, "node", op->partner, err)) == NCEN_OK &&
	    (error = record_set(r, "date", date, err)) == NCEN_OK &&
	    (error = record_set(r, "subject", op->subject, err)) == NCEN_OK &&
	    (error = record_set(r, "body", op->body, err)) == NCEN_OK &&
	    (error = store_msg_cites(t, r, op, err)) == NCEN_OK &&
	    (error = store_put(t, r, op->user, err)) == NCEN_OK)
		error = store_outbox_queue(t, op->partner, "message", r->id,
		    "record", r->version, op->user, err);
	op->id = r->id;
	record_free(r);
	return error;
}

/* Write a message to a partner and queue it, in one transaction. */
int
store_message_send(struct store *st, const struct auth_account *a,
    const char *partner, const char *subject, const char *body,
    char *const *cites, size_t ncites, uint64_t *id, struct ncen_err *err)
{
	struct store_msg_op	op;
	int			error;

	*id = 0;
	if ((error = auth_account_usable(a, auth_now(), err)) != NCEN_OK)
		return error;
	if (!auth_may(a, AUTH_ICOMM, NULL))
		return ncen_err_set(err, NCEN_EINVALID, "%s may not write to "
		    "partners: Icomm is for the ncp role", a->name);
	if (partner == NULL)
		partner = "";
	op.user = a->name;
	op.partner = partner;
	op.subject = subject;
	op.body = body;
	op.cites = cites;
	op.ncites = ncites;
	op.schema = store_schema(st);
	op.id = 0;
	error = store_run(st, store_msg_txn, &op, err);
	*id = op.id;
	return error;
}
