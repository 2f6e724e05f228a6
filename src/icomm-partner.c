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
#include "xmalloc.h"

/* Free a partner. */
void
icomm_partner_free(struct icomm_partner *p)
{
	if (p == NULL)
		return;
	free(p->id);
	free(p->url);
	free(p->cert);
	free(p->tls_ca);
	free(p);
}

/* A partner from its stored JSON. */
static struct icomm_partner *
icomm_partner_from(const char *id, size_t idlen, const json_t *j)
{
	struct icomm_partner	*p = xcalloc(1, sizeof *p);
	const char		*s;

	p->id = xstrndup(id, idlen);
	if (icomm_role_parse(icomm_json_str(j, "role"), &p->role) != 0)
		p->role = ICOMM_NATIONAL;
	p->url = xstrdup((s = icomm_json_str(j, "url")) != NULL ? s : "");
	p->cert = xstrdup((s = icomm_json_str(j, "cert")) != NULL ? s : "");
	if ((s = icomm_json_str(j, "tls_ca")) != NULL)
		p->tls_ca = xstrdup(s);
	p->added = icomm_json_int(j, "added");
	return p;
}

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
	const struct icomm_partner	*p;
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
			    icomm_role_name(op->p->role), "url", op->p->url,
			    "cert", op->p->cert, "added",
			    (json_int_t)audit_now());
			if (op->p->tls_ca != NULL)
				json_object_set_new(j, "tls_ca",
				    json_string(op->p->tls_ca));
			error = icomm_kv_put_json(t, STORE_KV_PARTNERS, op->id,
			    strlen(op->id), j, err);
			json_decref(j);
			buf_addf(&d, "role %s, endpoint %s",
			    icomm_role_name(op->p->role), op->p->url);
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
    const struct icomm_partner *p, struct ncen_err *err)
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
	struct icomm_partner	*p;
};

/* Read a partner in a transaction. */
static int
icomm_partner_get_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_partner_get	*g = arg;
	json_t				*j = NULL;
	int				 error;

	icomm_partner_free(g->p);
	g->p = NULL;
	error = icomm_kv_get_json(t, STORE_KV_PARTNERS, g->id, strlen(g->id),
	    0, &j, err);
	if (error == NCEN_ENOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND, "no partner '%s' "
		    "(ncenctl partner add)", g->id);
	if (error == NCEN_OK)
		g->p = icomm_partner_from(g->id, strlen(g->id), j);
	json_decref(j);
	return error;
}

/* A partner by id; NCEN_ENOTFOUND if unknown. */
int
icomm_partner_get(struct store *st, const char *id,
    struct icomm_partner **pp, struct ncen_err *err)
{
	struct icomm_partner_get	g;
	int				error;

	g.id = id != NULL ? id : "";
	g.p = NULL;
	error = store_run(st, icomm_partner_get_txn, &g, err);
	*pp = error == NCEN_OK ? g.p : NULL;
	if (error != NCEN_OK)
		icomm_partner_free(g.p);
	return error;
}

/* Collected pairs of a scan, to call back outside the transaction. */
struct icomm_pairs {
	struct buf	*k, *v;
	size_t		 n;
};

/* Keep one pair (store_kv_fn). */
static int
icomm_pairs_add(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct icomm_pairs	*p = arg;

	p->k = xreallocarray(p->k, p->n + 1, sizeof *p->k);
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	buf_init(&p->k[p->n]);
	buf_init(&p->v[p->n]);
	buf_add(&p->k[p->n], k, kl);
	buf_add(&p->v[p->n], v, vl);
	p->n++;
	return 0;
}

/* Free collected pairs. */
static void
icomm_pairs_free(struct icomm_pairs *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		buf_free(&p->k[i]);
		buf_free(&p->v[i]);
	}
	free(p->k);
	free(p->v);
	memset(p, 0, sizeof *p);
}

struct icomm_pairs_scan {
	enum store_kv_db	 db;
	struct icomm_pairs	 pairs;
};

/* Collect every pair of a btree in a transaction. */
static int
icomm_pairs_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_pairs_scan	*s = arg;

	icomm_pairs_free(&s->pairs);
	return store_kv_scan(t, s->db, "", 0, icomm_pairs_add, &s->pairs,
	    err);
}

/* What a list call hands on: the caller's function and argument. */
struct icomm_list {
	void	*fn;
	void	*arg;
};

/* Every pair of a btree, decoded, given to each() outside the transaction. */
static int
icomm_pairs_each(struct store *st, enum store_kv_db db, const char *file,
    int (*each)(const struct buf *, json_t *, struct icomm_list *),
    struct icomm_list *l, struct ncen_err *err)
{
	struct icomm_pairs_scan	 s;
	json_t			*j;
	size_t			 i;
	int			 error;

	memset(&s, 0, sizeof s);
	s.db = db;
	if ((error = store_run(st, icomm_pairs_txn, &s, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < s.pairs.n && error == NCEN_OK; i++) {
		if ((error = icomm_json_load(s.pairs.v[i].s, s.pairs.v[i].len,
		    file, &j, err)) != NCEN_OK)
			break;
		error = each(&s.pairs.k[i], j, l);
		json_decref(j);
	}
out:
	icomm_pairs_free(&s.pairs);
	return error;
}

/* One partner of the list. */
static int
icomm_partner_each(const struct buf *k, json_t *j, struct icomm_list *l)
{
	struct icomm_partner	*p = icomm_partner_from(k->s, k->len, j);
	int			 error;

	error = ((icomm_partner_fn)l->fn)(p, l->arg);
	icomm_partner_free(p);
	return error;
}

/* Every partner, in id order. */
int
icomm_partner_list(struct store *st, icomm_partner_fn fn, void *arg,
    struct ncen_err *err)
{
	struct icomm_list	l = { (void *)fn, arg };

	return icomm_pairs_each(st, STORE_KV_PARTNERS, "partners.db",
	    icomm_partner_each, &l, err);
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
	struct buf		 today = BUF_INIT;
	json_t			*p = NULL;
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
		error = icomm_kv_get_json(t, STORE_KV_PARTNERS, partner,
		    strlen(partner), 0, &p, err);
		if (error == NCEN_OK) {
			if (strcmp(icomm_json_str(p, "role") ? icomm_json_str(p,
			    "role") : "", "global") == 0)
				best = SCHEMA_CEN;
		} else if (error == NCEN_ENOTFOUND) {
			best = SCHEMA_LOCAL;
			error = NCEN_OK;
		}
	}
	if (error == NCEN_OK)
		*level = best;
	json_decref(p);
	buf_free(&today);
	return error;
}
