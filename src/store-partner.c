/*
 * store-partner.c - partners, their status and agreements, decoded
 * here once for ncen, ncenctl and ncen-icomm (store-partner.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-kv.h"
#include "store-partner.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
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
		return ncen_err_set(err, NCEN_EPARSE, _("%s: an entry is not a "
		    "JSON object"), file);
	}
	return NCEN_OK;
}

/* Free partners (p may be NULL). */
void
store_partner_free(struct store_partner *p, size_t n)
{
	size_t	i;

	for (i = 0; p != NULL && i < n; i++) {
		free(p[i].id);
		free(p[i].url);
		free(p[i].cert);
		free(p[i].tls_ca);
		free(p[i].last_error);
	}
	free(p);
}

/* Free agreements. */
void
store_agreement_free(struct store_agreement *a, size_t n)
{
	size_t	i, g;

	for (i = 0; i < n; i++) {
		free(a[i].partner);
		free(a[i].basis);
		for (g = 0; g < a[i].ngroups; g++)
			free(a[i].groups[g]);
		free(a[i].groups);
		free(a[i].from);
		free(a[i].to);
	}
	free(a);
}

static const char *const store_roles[] = { "national", "hub", "global" };

/* The name of a role. */
const char *
store_role_name(enum icomm_role r)
{
	return (unsigned)r < 3 ? store_roles[r] : "?";
}

/* Parse a role name; -1 if unknown. */
int
store_role_parse(const char *s, enum icomm_role *r)
{
	size_t	i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, store_roles[i]) == 0) {
			*r = (enum icomm_role)i;
			return 0;
		}
	return -1;
}

/* Decode a partner from its stored JSON into p (no status). */
static void
store_partner_from(struct store_partner *p, const char *id, size_t idlen,
    const json_t *j)
{
	const char	*s;

	memset(p, 0, sizeof *p);
	p->id = xstrndup(id, idlen);
	if (store_role_parse(json_string_value(json_object_get(j, "role")),
	    &p->role) != 0)
		p->role = ICOMM_NATIONAL;
	p->url = store_partner_str(j, "url");
	p->cert = store_partner_str(j, "cert");
	if ((s = json_string_value(json_object_get(j, "tls_ca"))) != NULL)
		p->tls_ca = xstrdup(s);
	p->added = store_partner_int(j, "added");
}

struct store_partner_op {
	int			 status;	/* read each one's status */
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
	json_t			*j;

	if ((op->error = store_partner_json(v, vl, "partners.db", &j,
	    op->err)) != NCEN_OK)
		return 1;
	op->v = xreallocarray(op->v, op->n + 1, sizeof *op->v);
	store_partner_from(&op->v[op->n++], k, kl, j);
	json_decref(j);
	return 0;
}

/* One partner in t (no status); NCEN_ENOTFOUND if unknown. */
int
store_partner_read(struct store_txn *t, const char *id,
    struct store_partner **pp, struct ncen_err *err)
{
	struct buf	 v = BUF_INIT;
	json_t		*j;
	int		 error;

	*pp = NULL;
	if ((error = store_kv_get(t, STORE_KV_PARTNERS, id, strlen(id), 0,
	    &v, err)) == NCEN_OK && (error = store_partner_json(v.s, v.len,
	    "partners.db", &j, err)) == NCEN_OK) {
		*pp = xcalloc(1, sizeof **pp);
		store_partner_from(*pp, id, strlen(id), j);
		json_decref(j);
	}
	buf_free(&v);
	return error;
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
	for (i = 0; op->status && i < op->n && error == NCEN_OK; i++)
		error = store_partner_status(t, &op->v[i], err);
	return error;
}

/* Every partner in id order, with its status and outbox count if asked. */
int
store_partner_list(struct store *st, int status, struct store_partner **v,
    size_t *n, struct ncen_err *err)
{
	struct store_partner_op	op;
	int			error;

	memset(&op, 0, sizeof op);
	op.status = status;
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

/* Decode one agreement from its stored JSON into a. */
static void
store_agreement_from(struct store_agreement *a, uint64_t id, const json_t *j)
{
	const char	*s;
	json_t		*g;
	size_t		 i;

	memset(a, 0, sizeof *a);
	a->id = id;
	a->partner = store_partner_str(j, "partner");
	a->basis = store_partner_str(j, "basis");
	if (store_dir_parse(json_string_value(json_object_get(j, "dir")),
	    &a->dir) != 0)
		a->dir = 0;
	s = json_string_value(json_object_get(j, "level"));
	a->level = s != NULL && strcmp(s, "partner") == 0 ? SCHEMA_PARTNER :
	    SCHEMA_CEN;
	a->from = store_partner_str(j, "from");
	a->to = store_partner_str(j, "to");
	a->ended = store_partner_int(j, "ended");
	g = json_object_get(j, "groups");
	for (i = 0; i < json_array_size(g); i++) {
		if ((s = json_string_value(json_array_get(g, i))) == NULL)
			continue;
		a->groups = xreallocarray(a->groups, a->ngroups + 1,
		    sizeof *a->groups);
		a->groups[a->ngroups++] = xstrdup(s);
	}
}

/* Keep one agreement of the partner (store_kv_fn over agreements.db). */
static int
store_agreement_one(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct store_agreement_op	*op = arg;
	json_t				*j;
	const char			*s;

	if (kl != 8)
		return 0;
	if ((op->error = store_partner_json(v, vl, "agreements.db", &j,
	    op->err)) != NCEN_OK)
		return 1;
	s = json_string_value(json_object_get(j, "partner"));
	if (op->partner == NULL ||
	    (s != NULL && strcmp(s, op->partner) == 0)) {
		op->v = xreallocarray(op->v, op->n + 1, sizeof *op->v);
		store_agreement_from(&op->v[op->n++], buf_get_u64(k), j);
	}
	json_decref(j);
	return 0;
}

/* The agreements (with one partner, or all) in id order, in t. */
int
store_agreement_read(struct store_txn *t, const char *partner,
    struct store_agreement **v, size_t *n, struct ncen_err *err)
{
	struct store_agreement_op	op;
	int				error;

	memset(&op, 0, sizeof op);
	op.partner = partner;
	op.err = err;
	error = store_kv_scan(t, STORE_KV_AGREEMENTS, "", 0,
	    store_agreement_one, &op, err);
	if (op.error != NCEN_OK)
		error = op.error;
	if (error != NCEN_OK) {
		store_agreement_free(op.v, op.n);
		op.v = NULL;
		op.n = 0;
	}
	*v = op.v;
	*n = op.n;
	return error;
}

struct store_agreement_list_op {
	const char		*partner;
	struct store_agreement	*v;
	size_t			 n;
};

/* Read the agreements in a transaction of their own. */
static int
store_agreement_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_agreement_list_op	*op = arg;

	store_agreement_free(op->v, op->n);
	return store_agreement_read(t, op->partner, &op->v, &op->n, err);
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

/* The agreements (with one partner, or all), in id order. */
int
store_agreement_list(struct store *st, const char *partner,
    struct store_agreement **v, size_t *n, struct ncen_err *err)
{
	struct store_agreement_list_op	op;
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

/* Write agreement id as JSON and audit the change, in t. */
static int
store_agreement_write(struct store_txn *t, uint64_t id, const char *json,
    const char *actor, const char *action, const char *details,
    struct ncen_err *err)
{
	struct buf	k = BUF_INIT, rec = BUF_INIT;
	int		error;

	buf_add_u64(&k, id);
	if ((error = store_kv_put(t, STORE_KV_AGREEMENTS, k.s, k.len, json,
	    strlen(json), err)) == NCEN_OK) {
		buf_addf(&rec, "agreement:%llu", (unsigned long long)id);
		error = audit_append(t, actor, action, rec.s, details, err);
	}
	buf_free(&k);
	buf_free(&rec);
	return error;
}

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
		error = ncen_err_set(err, NCEN_ENOTFOUND,
		    _("no agreement %llu"),
		    (unsigned long long)op->id);
	if (error != NCEN_OK || (error = store_partner_json(v.s, v.len,
	    "a stored Icomm entry", &j, err)) != NCEN_OK)
		goto out;
	if (store_partner_int(j, "ended") != 0) {
		error = ncen_err_set(err, NCEN_EEXISTS, _("agreement %llu has "
		    "ended already"), (unsigned long long)op->id);
		goto out;
	}
	json_object_set_new(j, "ended", json_integer(audit_now()));
	partner = json_string_value(json_object_get(j, "partner"));
	buf_addf(&d, "ended (partner %s)", partner != NULL ? partner :
	    "(null)");
	if ((s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) == NULL) {
		error = ncen_err_set(err, NCEN_EIO, _("cannot encode agreement "
		    "%llu"), (unsigned long long)op->id);
		goto out;
	}
	error = store_agreement_write(t, op->id, s, op->actor,
	    "icomm.agreement.end", d.s, err);
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

static const char *const store_dirs[] = { "", "in", "out", "both" };

/* Parse in, out or both; -1 if unknown. */
int
store_dir_parse(const char *s, unsigned *dir)
{
	unsigned	i;

	for (i = 1; s != NULL && i < 4; i++)
		if (strcmp(s, store_dirs[i]) == 0) {
			*dir = i;
			return 0;
		}
	return -1;
}

/* The name of a direction. */
const char *
store_dir_name(unsigned dir)
{
	return dir < 4 ? store_dirs[dir] : "?";
}

/* The stored JSON of an agreement. */
static json_t *
store_agreement_json(const struct store_agreement_add *a)
{
	json_t	*j, *g;
	size_t	 i;

	g = json_array();
	for (i = 0; i < a->ngroups; i++)
		json_array_append_new(g, json_string(a->groups[i]));
	j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:I}",
	    "partner", a->partner, "basis", a->basis, "dir",
	    store_dir_name(a->dir), "level", a->level == SCHEMA_PARTNER ?
	    "partner" : "cen", "from", a->from, "to", a->to, "groups", g,
	    "ended", (json_int_t)0);
	return j;
}

struct store_agreement_add_op {
	const char				*actor;
	const struct store_agreement_add	*a;
	uint64_t				 id;
};

/* Add an agreement under the next id, audited. */
static int
store_agreement_add_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_agreement_add_op	*op = arg;
	const struct store_agreement_add *a = op->a;
	struct buf			 k = BUF_INIT, v = BUF_INIT;
	struct buf			 rec = BUF_INIT, d = BUF_INIT;
	json_t				*j = NULL;
	char				*s = NULL;
	int				 error;

	if ((error = store_kv_get(t, STORE_KV_PARTNERS, a->partner,
	    strlen(a->partner), 0, &v, err)) == NCEN_ENOTFOUND)
		error = ncen_err_set(err, NCEN_ENOTFOUND, _("no partner '%s' "
		    "(ncenctl partner add)"), a->partner);
	if (error != NCEN_OK ||
	    (error = store_kv_last(t, STORE_KV_AGREEMENTS, &k, err)) !=
	    NCEN_OK)
		goto out;
	op->id = k.len == 8 ? buf_get_u64((unsigned char *)k.s) + 1 : 1;
	j = store_agreement_json(a);
	if (j == NULL || (s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS)) ==
	    NULL) {
		error = ncen_err_set(err, NCEN_EIO, _("cannot encode an "
		    "agreement"));
		goto out;
	}
	buf_addf(&d, "partner %s, %s, level %s, %s to %s: %s", a->partner,
	    store_dir_name(a->dir), a->level == SCHEMA_PARTNER ? "partner" :
	    "cen", a->from, a->to, a->basis);
	error = store_agreement_write(t, op->id, s, op->actor,
	    "icomm.agreement.add", d.s, err);
out:
	free(s);
	json_decref(j);
	buf_free(&k);
	buf_free(&v);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* Whether a string is a calendar date YYYY-MM-DD. */
static int
store_date_ok(const struct schema *s, const char *d)
{
	struct schema_field	f;
	struct buf		c = BUF_INIT;
	int			ok;

	memset(&f, 0, sizeof f);
	f.name = (char *)(uintptr_t)"date";
	f.type = SCHEMA_DATE;
	ok = d != NULL && schema_value_check(s, &f, d, &c, NULL) == NCEN_OK &&
	    strcmp(buf_cstr(&c), d) == 0;
	buf_free(&c);
	return ok;
}

/* Add an agreement; *id gets its id. */
int
store_agreement_add(struct store *st, const char *actor,
    const struct store_agreement_add *a, uint64_t *id, struct ncen_err *err)
{
	const struct schema_codelist	*cl;
	struct store_agreement_add_op	 op;
	size_t				 i;
	int				 error;

	if (a->basis == NULL || *a->basis == '\0')
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("an agreement needs its "
		    "legal basis"));
	if (a->dir == 0 || a->dir > 3)
		return ncen_err_set(err, NCEN_EUSAGE, _("an agreement needs a "
		    "direction: in, out or both"));
	if (a->level != SCHEMA_PARTNER && a->level != SCHEMA_CEN)
		return ncen_err_set(err, NCEN_EUSAGE, _("the level must be "
		    "partner or cen"));
	if (!store_date_ok(store_schema(st), a->from) ||
	    !store_date_ok(store_schema(st), a->to) ||
	    strcmp(a->from, a->to) > 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("bad validity '%s' to "
		    "'%s': two dates YYYY-MM-DD, the first not after the "
		    "second"), a->from != NULL ? a->from : "",
		    a->to != NULL ? a->to : "");
	cl = schema_list_find(store_schema(st), "commodity");
	for (i = 0; i < a->ngroups; i++)
		if (cl == NULL || schema_code_find(cl, a->groups[i]) == NULL)
			return ncen_err_set(err, NCEN_EUSAGE, _("unknown "
			    "commodity group '%s' (see forms/commodity.codes)"),
			    a->groups[i]);
	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.a = a;
	error = store_run(st, store_agreement_add_txn, &op, err);
	if (error == NCEN_OK)
		*id = op.id;
	return error;
}
