/* icomm-status.c - the uploader's per-partner status, in icomm.db. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "icomm-util.h"
#include "icomm.h"
#include "store-kv.h"
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

/* A partner's status, with its outbox count. */
int
icomm_status_get(struct store *st, const char *partner,
    struct icomm_status **sp, struct ncen_err *err)
{
	struct icomm_status_op	 op;
	struct icomm_status	*s;
	const char		*e;
	int			 error;

	*sp = NULL;
	memset(&op, 0, sizeof op);
	op.partner = partner;
	if ((error = store_run(st, icomm_status_txn, &op, err)) != NCEN_OK)
		goto out;
	s = xcalloc(1, sizeof *s);
	s->partner = xstrdup(partner);
	s->inflight = (uint64_t)icomm_json_int(op.j, "inflight");
	s->last_success = icomm_json_int(op.j, "last_success");
	s->last_error_at = icomm_json_int(op.j, "last_error_at");
	if ((e = icomm_json_str(op.j, "last_error")) != NULL)
		s->last_error = xstrdup(e);
	s->failures = (unsigned)icomm_json_int(op.j, "failures");
	if ((error = icomm_outbox_count(st, partner, &s->queued, err)) !=
	    NCEN_OK) {
		icomm_status_free(s);
		goto out;
	}
	*sp = s;
out:
	json_decref(op.j);
	return error;
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
