/*
 * icomm-partner.c - partner nodes and the agreements that allow sharing
 * with them, in partners.db and agreements.db, every change audited.
 */
#include <jansson.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
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

/* Whether PEM text holds at least one certificate OpenSSL can read. */
static int
icomm_partner_pem(const char *pem, const char *what, struct ncen_err *err)
{
	BIO	*b;
	X509	*x;

	if (pem == NULL || (b = BIO_new_mem_buf(pem, -1)) == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "no %s given", what);
	x = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (x == NULL)
		return icomm_ossl_err(err, "the %s is not a PEM certificate",
		    what);
	X509_free(x);
	return NCEN_OK;
}

struct icomm_partner_op {
	const char			*actor;
	const struct store_partner	*p;
	const char			*id;
	int				 del;
};

/* Add (or delete) a partner, audited. */
static int
icomm_partner_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_partner_op	*op = arg;
	struct buf		 v = BUF_INIT, rec = BUF_INIT, d = BUF_INIT;
	json_t			*j;
	int			 error;

	buf_addf(&rec, "partner:%s", op->id);
	error = store_kv_get(t, STORE_KV_PARTNERS, op->id, strlen(op->id), 1,
	    &v, err);
	if (op->del) {
		if (error == NCEN_ENOTFOUND)
			ncen_err_set(err, NCEN_ENOTFOUND, "no partner '%s'",
			    op->id);
		if (error == NCEN_OK)
			error = store_kv_del(t, STORE_KV_PARTNERS, op->id,
			    strlen(op->id), err);
		buf_adds(&d, "deleted");
	} else {
		if (error == NCEN_OK)
			error = ncen_err_set(err, NCEN_EEXISTS, "partner '%s' "
			    "exists already", op->id);
		else if (error == NCEN_ENOTFOUND) {
			j = json_pack("{s:s, s:s, s:s, s:I}", "role",
			    store_role_name(op->p->role), "url", op->p->url,
			    "cert", op->p->cert, "added",
			    (json_int_t)audit_now());
			if (op->p->tls_ca != NULL)
				json_object_set_new(j, "tls_ca",
				    json_string(op->p->tls_ca));
			error = icomm_kv_put_json(t, STORE_KV_PARTNERS, op->id,
			    strlen(op->id), j, err);
			json_decref(j);
			buf_addf(&d, "role %s, endpoint %s",
			    store_role_name(op->p->role), op->p->url);
		}
	}
	if (error == NCEN_OK)
		error = audit_append(t, op->actor, op->del ?
		    "icomm.partner.del" : "icomm.partner.add", rec.s, d.s, err);
	buf_free(&v);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* Register a partner node. */
int
icomm_partner_add(struct store *st, const char *actor,
    const struct store_partner *p, struct ncen_err *err)
{
	struct icomm_partner_op	op;
	int			error;

	if ((error = icomm_id_check(p->id, err)) != NCEN_OK)
		return error;
	if (p->url == NULL || strncmp(p->url, "https://", 8) != 0)
		return ncen_err_set(err, NCEN_EUSAGE, "partner %s: the "
		    "endpoint must be an https:// URL", p->id);
	if ((error = icomm_partner_pem(p->cert, "node certificate", err)) !=
	    NCEN_OK || (p->tls_ca != NULL && (error = icomm_partner_pem(
	    p->tls_ca, "TLS CA certificate", err)) != NCEN_OK))
		return error;
	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.p = p;
	op.id = p->id;
	return store_run(st, icomm_partner_txn, &op, err);
}

/* Remove a partner (its agreements stay, for the record). */
int
icomm_partner_del(struct store *st, const char *actor, const char *id,
    struct ncen_err *err)
{
	struct icomm_partner_op	op;

	memset(&op, 0, sizeof op);
	op.actor = actor;
	op.id = id;
	op.del = 1;
	return store_run(st, icomm_partner_txn, &op, err);
}

struct icomm_partner_get {
	const char		*id;
	struct store_partner	*p;
};

/* Read a partner in a transaction. */
static int
icomm_partner_get_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_partner_get	*g = arg;
	int				 error;

	store_partner_free(g->p, 1);
	error = store_partner_read(t, g->id, &g->p, err);
	if (error == NCEN_ENOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, "no partner '%s' "
		    "(ncenctl partner add)", g->id);
	return error;
}

/* A partner by id; NCEN_ENOTFOUND if unknown. */
int
icomm_partner_get(struct store *st, const char *id,
    struct store_partner **pp, struct ncen_err *err)
{
	struct icomm_partner_get	g;
	int				error;

	g.id = id != NULL ? id : "";
	g.p = NULL;
	error = store_run(st, icomm_partner_get_txn, &g, err);
	*pp = error == NCEN_OK ? g.p : NULL;
	if (error != NCEN_OK)
		store_partner_free(g.p, 1);
	return error;
}

/* Every partner, in id order (store-partner.c decodes them). */
int
icomm_partner_list(struct store *st, icomm_partner_fn fn, void *arg,
    struct ncen_err *err)
{
	struct store_partner	*v;
	size_t			 n, i;
	int			 error;

	if ((error = store_partner_list(st, 0, &v, &n, err)) != NCEN_OK)
		return error;
	for (i = 0; i < n && error == NCEN_OK; i++)
		error = fn(&v[i], arg);
	store_partner_free(v, n);
	return error;
}

/* Add an agreement; a->id gets its id (store-partner.c). */
int
icomm_agreement_add(struct store *st, const char *actor,
    struct store_agreement *a, struct ncen_err *err)
{
	struct store_agreement_add	n;

	n.partner = a->partner;
	n.basis = a->basis;
	n.dir = a->dir;
	n.level = a->level;
	n.groups = a->groups;
	n.ngroups = a->ngroups;
	n.from = a->from;
	n.to = a->to;
	return store_agreement_add(st, actor, &n, &a->id, err);
}

/* End an agreement from now on (store-partner.c). */
int
icomm_agreement_end(struct store *st, const char *actor, uint64_t id,
    struct ncen_err *err)
{
	return store_agreement_end(st, actor, id, err);
}

/* Every agreement, in id order (store-partner.c decodes them). */
int
icomm_agreement_list(struct store *st, icomm_agreement_fn fn, void *arg,
    struct ncen_err *err)
{
	struct store_agreement	*v;
	size_t			 n, i;
	int			 error;

	if ((error = store_agreement_list(st, NULL, &v, &n, err)) != NCEN_OK)
		return error;
	for (i = 0; i < n && error == NCEN_OK; i++)
		error = fn(&v[i], arg);
	store_agreement_free(v, n);
	return error;
}

/* Today's UTC date. */
void
icomm_today(struct buf *b)
{
	icomm_time(b, audit_now());
	if (b->len >= 10 && strcmp(b->s, "never") != 0) {
		b->len = 10;
		b->s[10] = '\0';
	}
}

/* Whether an agreement is in force on a date. */
int
icomm_agreement_in_force(const struct store_agreement *a, const char *today)
{
	return a->ended == 0 && strcmp(a->from, today) <= 0 &&
	    strcmp(today, a->to) <= 0;
}

/* Whether it covers every group given. */
int
icomm_agreement_covers(const struct store_agreement *a, char *const *groups,
    size_t n)
{
	size_t	i, j;

	if (a->ngroups == 0)
		return 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < a->ngroups; j++)
			if (strcmp(groups[i], a->groups[j]) == 0)
				break;
		if (j == a->ngroups)
			return 0;
	}
	return 1;
}

/* The highest level agreements with a partner allow (see icomm.h). */
int
icomm_agreement_level(struct store_txn *t, const char *partner, unsigned dir,
    char *const *groups, size_t n, enum schema_share *level,
    struct ncen_err *err)
{
	struct store_agreement	*a = NULL;
	struct store_partner	*p = NULL;
	struct buf		 today = BUF_INIT;
	enum schema_share	 best = SCHEMA_LOCAL;
	size_t			 na = 0, i;
	int			 error;

	*level = SCHEMA_LOCAL;
	icomm_today(&today);
	error = store_agreement_read(t, partner, &a, &na, err);
	for (i = 0; i < na; i++)
		if ((a[i].dir & dir) != 0 &&
		    icomm_agreement_in_force(&a[i], today.s) &&
		    icomm_agreement_covers(&a[i], groups, n) &&
		    (best == SCHEMA_LOCAL || a[i].level == SCHEMA_PARTNER))
			best = a[i].level;
	store_agreement_free(a, na);
	if (error == NCEN_OK && best != SCHEMA_LOCAL) {
		/* The global database never gets more than cen fields. */
		error = store_partner_read(t, partner, &p, err);
		if (error == NCEN_OK && p->role == ICOMM_GLOBAL)
			best = SCHEMA_CEN;
		else if (error == NCEN_ENOTFOUND) {
			best = SCHEMA_LOCAL;
			error = NCEN_OK;
		}
	}
	if (error == NCEN_OK)
		*level = best;
	store_partner_free(p, 1);
	buf_free(&today);
	return error;
}
