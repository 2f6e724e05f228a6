/* icomm-status.c - the uploader's per-partner status, in icomm.db. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "icomm-util.h"
#include "icomm.h"
#include "store-kv.h"
#include "store-partner.h"
#include "store.h"
#include "xmalloc.h"

#define ICOMM_STATUS	"status"	/* icomm.db: status\0partner */

/* Free a status. */
void
icomm_status_free(struct icomm_status *s)
{
	if (s == NULL)
		return;
	free(s->partner);
	free(s->last_error);
	free(s);
}

struct icomm_status_op {
	const char	*partner;
	uint64_t	 inflight;
	const char	*error;
	int		 write;
	json_t		*j;
};

/* Read (and for a note, update) a partner's status. */
static int
icomm_status_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_status_op	*op = arg;
	struct buf		 k = BUF_INIT;
	int			 error;

	json_decref(op->j);
	op->j = NULL;
	icomm_key(&k, ICOMM_STATUS, op->partner);
	error = icomm_kv_get_json(t, STORE_KV_STATE, k.s, k.len, op->write,
	    &op->j, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		op->j = json_object();
		error = NCEN_OK;
	}
	if (error == NCEN_OK && op->write) {
		json_object_set_new(op->j, "inflight",
		    json_integer((json_int_t)op->inflight));
		if (op->error == NULL) {
			json_object_set_new(op->j, "last_success",
			    json_integer(audit_now()));
			json_object_set_new(op->j, "failures", json_integer(0));
		} else if (*op->error != '\0') {
			json_object_set_new(op->j, "last_error_at",
			    json_integer(audit_now()));
			json_object_set_new(op->j, "last_error",
			    json_string(op->error));
			json_object_set_new(op->j, "failures", json_integer(
			    icomm_json_int(op->j, "failures") + 1));
		}
		error = icomm_kv_put_json(t, STORE_KV_STATE, k.s, k.len, op->j,
		    err);
	}
	buf_free(&k);
	return error;
}

/* A partner's status, with its outbox count (store-partner.c). */
int
icomm_status_get(struct store *st, const char *partner,
    struct icomm_status **sp, struct ncen_err *err)
{
	struct store_partner	 p;
	struct icomm_status	*s;
	int			 error;

	*sp = NULL;
	memset(&p, 0, sizeof p);
	p.id = (char *)(uintptr_t)partner;
	if ((error = store_partner_status_get(st, &p, err)) != NCEN_OK) {
		free(p.last_error);
		return error;
	}
	s = xcalloc(1, sizeof *s);
	s->partner = xstrdup(partner);
	s->queued = p.queued;
	s->inflight = p.inflight;
	s->last_success = p.last_success;
	s->last_error_at = p.last_error_at;
	s->last_error = p.last_error;
	s->failures = p.failures;
	*sp = s;
	return NCEN_OK;
}

/*
 * Note an attempt: error NULL a success, "" only the batch in flight
 * (before sending), else the failure in words.
 */
int
icomm_status_note(struct store *st, const char *partner, uint64_t inflight,
    const char *error, struct ncen_err *err)
{
	struct icomm_status_op	op;
	int			rc;

	memset(&op, 0, sizeof op);
	op.partner = partner;
	op.inflight = inflight;
	op.error = error;
	op.write = 1;
	rc = store_run(st, icomm_status_txn, &op, err);
	json_decref(op.j);
	return rc;
}
