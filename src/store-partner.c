/*
 * store-partner.c - partners, their status and agreements, read for
 * the terminal program (store-partner.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "store-kv.h"
#include "store-partner.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_PARTNER_STATUS	"status"	/* icomm.db: status\0id */

/* A string member copied, or "" when absent. */
static char *
store_partner_str(const json_t *j, const char *key)
{
	const char	*s = json_string_value(json_object_get(j, key));

	return xstrdup(s != NULL ? s : "");
}

/* An integer member, 0 when absent. */
static int64_t
store_partner_int(const json_t *j, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(j, key));
}

/* Parse stored JSON (an object), NCEN_EPARSE naming the file if not. */
static int
store_partner_json(const void *v, size_t vl, const char *file, json_t **j,
    struct ncen_err *err)
{
	*j = json_loadb(v, vl, 0, NULL);
	if (*j == NULL || !json_is_object(*j)) {
		json_decref(*j);
		*j = NULL;
		return ncen_err_set(err, NCEN_EPARSE, "%s: an entry is not a "
		    "JSON object", file);
	}
	return NCEN_OK;
}

/* Free partners. */
void
store_partner_free(struct store_partner *p, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(p[i].id);
		free(p[i].role);
		free(p[i].url);
		free(p[i].last_error);
	}
	free(p);
}

/* Free agreements. */
void
store_agreement_free(struct store_agreement *a, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(a[i].basis);
		free(a[i].dir);
		free(a[i].level);
		free(a[i].from);
		free(a[i].to);
		free(a[i].groups);
	}
	free(a);
}

struct store_partner_op {
	struct store_partner	*v;
	size_t			 n;
	struct ncen_err		*err;
	int			 error;
};

/* Keep one partner (store_kv_fn over partners.db). */
static int
store_partner_one(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct store_partner_op	*op = arg;
	struct store_partner	*p;
	json_t			*j;

	if ((op->error = store_partner_json(v, vl, "partners.db", &j,
	    op->err)) != NCEN_OK)
		return 1;
	op->v = xreallocarray(op->v, op->n + 1, sizeof *op->v);
	p = &op->v[op->n++];
	memset(p, 0, sizeof *p);
	p->id = xstrndup(k, kl);
	p->role = store_partner_str(j, "role");
	p->url = store_partner_str(j, "url");
	json_decref(j);
	return 0;
}

/* Count one outbox entry (store_kv_fn). */
static int
store_partner_count(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	(*(uint64_t *)arg)++;
	return 0;
}

/* A partner's status entry and outbox count, in the transaction. */
static int
store_partner_status(struct store_txn *t, struct store_partner *p,
    struct ncen_err *err)
{
	struct buf	 k = BUF_INIT, v = BUF_INIT;
	json_t		*j;
	const char	*s;
	int		 error;

	buf_adds(&k, STORE_PARTNER_STATUS);
	buf_addc(&k, '\0');
	buf_adds(&k, p->id);
	error = store_kv_get(t, STORE_KV_STATE, k.s, k.len, 0, &v, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	} else if (error == NCEN_OK &&
	    (error = store_partner_json(v.s, v.len, "icomm.db", &j, err)) ==
	    NCEN_OK) {
		p->inflight = (uint64_t)store_partner_int(j, "inflight");
		p->last_success = store_partner_int(j, "last_success");
		p->last_error_at = store_partner_int(j, "last_error_at");
		p->failures = (unsigned)store_partner_int(j, "failures");
		if ((s = json_string_value(json_object_get(j,
		    "last_error"))) != NULL)
			p->last_error = xstrdup(s);
		json_decref(j);
	}
	if (error == NCEN_OK) {
		buf_reset(&k);
		buf_adds(&k, p->id);
		buf_addc(&k, '\0');
		p->queued = 0;
		error = store_kv_scan(t, STORE_KV_OUTBOX, k.s, k.len,
		    store_partner_count, &p->queued, err);
	}
	buf_free(&k);
	buf_free(&v);
	return error;
}

/* Read every partner and its status. */
static int
store_partner_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_partner_op	*op = arg;
	size_t			 i;
	int			 error;

	store_partner_free(op->v, op->n);
	op->v = NULL;
	op->n = 0;
	op->err = err;
	op->error = NCEN_OK;
	error = store_kv_scan(t, STORE_KV_PARTNERS, "", 0, store_partner_one,
	    op, err);
	if (op->error != NCEN_OK)
		return op->error;
	for (i = 0; i < op->n && error == NCEN_OK; i++)
		error = store_partner_status(t, &op->v[i], err);
	return error;
}

/* Every partner in id order, with its status and outbox count. */
int
store_partner_list(struct store *st, struct store_partner **v, size_t *n,
    struct ncen_err *err)
{
	struct store_partner_op	op;
	int			error;

	memset(&op, 0, sizeof op);
	error = store_run(st, store_partner_txn, &op, err);
	if (error != NCEN_OK) {
		store_partner_free(op.v, op.n);
		op.v = NULL;
		op.n = 0;
	}
	*v = op.v;
	*n = op.n;
	return error;
}

struct store_agreement_op {
	const char		*partner;
	struct store_agreement	*v;
	size_t			 n;
	struct ncen_err		*err;
	int			 error;
};

/* Keep one agreement of the partner (store_kv_fn over agreements.db). */
static int
store_agreement_one(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct store_agreement_op	*op = arg;
	struct store_agreement		*a;
	struct buf			 g = BUF_INIT;
	json_t				*j, *groups;
	const char			*s;
	size_t				 i;

	if ((op->error = store_partner_json(v, vl, "agreements.db", &j,
	    op->err)) != NCEN_OK)
		return 1;
	s = json_string_value(json_object_get(j, "partner"));
	if (kl != 8 || s == NULL || strcmp(s, op->partner) != 0) {
		json_decref(j);
		return 0;
	}
	op->v = xreallocarray(op->v, op->n + 1, sizeof *op->v);
	a = &op->v[op->n++];
	a->id = buf_get_u64(k);
	a->basis = store_partner_str(j, "basis");
	a->dir = store_partner_str(j, "dir");
	a->level = store_partner_str(j, "level");
	a->from = store_partner_str(j, "from");
	a->to = store_partner_str(j, "to");
	a->ended = store_partner_int(j, "ended");
	groups = json_object_get(j, "groups");
	for (i = 0; i < json_array_size(groups); i++)
		if ((s = json_string_value(json_array_get(groups, i))) !=
		    NULL)
			buf_addf(&g, "%s%s", g.len > 0 ? " " : "", s);
	a->groups = xstrdup(buf_cstr(&g));
	buf_free(&g);
	json_decref(j);
	return 0;
}

/* Read the partner's agreements. */
static int
store_agreement_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_agreement_op	*op = arg;
	int				 error;

	store_agreement_free(op->v, op->n);
	op->v = NULL;
	op->n = 0;
	op->err = err;
	op->error = NCEN_OK;
	error = store_kv_scan(t, STORE_KV_AGREEMENTS, "", 0,
	    store_agreement_one, op, err);
	return op->error != NCEN_OK ? op->error : error;
}

/* Read one partner's status (the partner need not be registered). */
static int
store_partner_status_txn(struct store_txn *t, void *arg,
    struct ncen_err *err)
{
	struct store_partner	*p = arg;

	free(p->last_error);
	p->last_error = NULL;
	return store_partner_status(t, p, err);
}

/* One partner's status and outbox count, into p (id set by the caller). */
int
store_partner_status_get(struct store *st, struct store_partner *p,
    struct ncen_err *err)
{
	return store_run(st, store_partner_status_txn, p, err);
}

/* The agreements with one partner, in id order. */
int
store_agreement_list(struct store *st, const char *partner,
    struct store_agreement **v, size_t *n, struct ncen_err *err)
{
	struct store_agreement_op	op;
	int				error;

	memset(&op, 0, sizeof op);
	op.partner = partner;
	error = store_run(st, store_agreement_txn, &op, err);
	if (error != NCEN_OK) {
		store_agreement_free(op.v, op.n);
		op.v = NULL;
		op.n = 0;
	}
	*v = op.v;
	*n = op.n;
	return error;
}

struct store_agreement_end_op {
	const char	*actor;
	uint64_t	 id;
};

/* Stamp an agreement ended now, audited (refused if it has ended). */
static int
store_agreement_end_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_agreement_end_op	*op = arg;
	struct buf			 k = BUF_INIT, v = BUF_INIT;
	struct buf			 rec = BUF_INIT, d = BUF_INIT;
	json_t				*j = NULL;
	const char			*partner;
	char				*s = NULL;
	int				 error;

	buf_add_u64(&k, op->id);
	error = store_kv_get(t, STORE_KV_AGREEMENTS, k.s, k.len, 1, &v, err);
	if (error == NCEN_ENOTFOUND)
		error = ncen_err_set(err, NCEN_ENOTFOUND, "no agreement %llu",
		    (unsigned long long)op->id);
	if (error != NCEN_OK || (error = store_partner_json(v.s, v.len,
	    "a stored Icomm entry", &j, err)) != NCEN_OK)
		goto out;
	if (store_partner_int(j, "ended") != 0) {
		error = ncen_err_set(err, NCEN_EEXISTS, "agreement %llu has "
		    "ended already", (unsigned long long)op->id);
		goto out;
	}
	json_object_set_new(j, "ended", json_integer(audit_now()));
	partner = json_string_value(json_object_get(j, "partner"));
	buf_addf(&d, "ended (partner %s)", partner != NULL ? partner :
	    "(null)");
	if ((s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		error = ncen_err_set(err, NCEN_EIO, "cannot encode agreement "
		    "%llu", (unsigned long long)op->id);
		goto out;
	}
	if ((error = store_kv_put(t, STORE_KV_AGREEMENTS, k.s, k.len, s,
	    strlen(s), err)) != NCEN_OK)
		goto out;
	buf_addf(&rec, "agreement:%llu", (unsigned long long)op->id);
	error = audit_append(t, op->actor, "icomm.agreement.end", rec.s, d.s,
	    err);
out:
	free(s);
	json_decref(j);
	buf_free(&k);
	buf_free(&v);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* End an agreement from now on. */
int
store_agreement_end(struct store *st, const char *actor, uint64_t id,
    struct ncen_err *err)
{
	struct store_agreement_end_op	op;

	op.actor = actor;
	op.id = id;
	return store_run(st, store_agreement_end_txn, &op, err);
}
