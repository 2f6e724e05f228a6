/*
 * icomm-receive.c - the receiver: check a batch, store what it carries
 * in one transaction, answer a signed receipt (see icomm-receive.h).
 */
#include <jansson.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-project.h"
#include "icomm-pseudo.h"
#include "icomm-receive.h"
#include "icomm-util.h"
#include "icomm.h"
#include "record.h"
#include "schema.h"
#include "store-kv.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define ICOMM_SEEN	"seen"		/* seen\0sender\0entity\0remote id */
#define ICOMM_BATCHES	"batch"		/* batch\0sender\0batch id */

/* One batch being received. */
struct icomm_rx {
	struct store		*st;
	const struct schema	*schema;
	const json_t		*doc;
	const char		*sender;
	const char		*batch;
	const char		*user;
	int			 global;	/* this node: cen only */
	json_t			*items;		/* the receipt's */
	json_t			*old;		/* receipt of a batch seen */
	size_t			 stored, duplicates, withdrawn;
};

/* The registered certificate of a sender (icomm_cert_fn). */
static int
icomm_rx_cert(const char *sender, X509 **x, void *arg, struct ncen_err *err)
{
	struct icomm_rx		*rx = arg;
	struct store_partner	*p = NULL;
	int			 error;

	if ((error = icomm_partner_get(rx->st, sender, &p, err)) != NCEN_OK) {
		if (error == NCEN_ENOTFOUND)
			ncen_err_set(err, NCEN_ENOTFOUND, "unknown sender '%s':"
			    " not a registered partner", sender);
		return error;
	}
	error = icomm_cert_parse(p->cert, x, err);
	store_partner_free(p, 1);
	return error;
}

/* The key of a received record's mapping. */
static void
icomm_rx_seen_key(struct buf *k, const char *sender, const char *entity,
    const char *remote)
{
	icomm_key(k, ICOMM_SEEN, sender);
	buf_addc(k, '\0');
	buf_adds(k, entity);
	buf_addc(k, '\0');
	buf_adds(k, remote);
}

/* Set (or replace) an extra field of a record. */
static void
icomm_rx_extra(struct record *r, const char *name, const char *value)
{
	size_t	i;

	for (i = 0; i < r->nextra; i++)
		if (strcmp(r->extra[i].name, name) == 0) {
			free(r->extra[i].value);
			r->extra[i].value = xstrdup(value);
			return;
		}
	r->extra = xreallocarray(r->extra, r->nextra + 1, sizeof *r->extra);
	r->extra[r->nextra].name = xstrdup(name);
	r->extra[r->nextra].value = xstrdup(value);
	r->nextra++;
}

/* The local id of a record received from the sender, 0 if none. */
static int
icomm_rx_local(struct store_txn *t, struct icomm_rx *rx, const char *entity,
    const char *remote, uint64_t *local, uint32_t *version,
    struct ncen_err *err)
{
	struct buf	 k = BUF_INIT;
	json_t		*j = NULL;
	int		 error;

	*local = 0;
	if (version != NULL)
		*version = 0;
	icomm_rx_seen_key(&k, rx->sender, entity, remote);
	error = icomm_kv_get_json(t, STORE_KV_STATE, k.s, k.len, 1, &j, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	} else if (error == NCEN_OK) {
		*local = (uint64_t)icomm_json_int(j, "local");
		if (version != NULL)
			*version = (uint32_t)icomm_json_int(j, "version");
	}
	json_decref(j);
	buf_free(&k);
	return error;
}

/* A message's citation "entity:ID" (sender's id) as a local one, or "". */
static int
icomm_rx_cite(struct store_txn *t, struct icomm_rx *rx, const char *v,
    struct buf *out, struct ncen_err *err)
{
	const char	*colon = strchr(v, ':');
	struct buf	 ent = BUF_INIT;
	uint64_t	 local = 0;
	int		 error = NCEN_OK;

	buf_reset(out);
	if (colon != NULL) {
		buf_add(&ent, v, (size_t)(colon - v));
		error = icomm_rx_local(t, rx, ent.s, colon + 1, &local, NULL,
		    err);
	}
	if (error == NCEN_OK && local != 0)
		buf_addf(out, "%s:%llu", ent.s, (unsigned long long)local);
	buf_free(&ent);
	return error;
}

/* Add a receipt line for one record. */
static void
icomm_rx_outcome(struct icomm_rx *rx, const char *entity, const char *id,
    json_int_t version, const char *outcome)
{
	json_array_append_new(rx->items, json_pack("{s:s, s:s, s:I, s:s}",
	    "entity", entity, "id", id, "version", version, "outcome",
	    outcome));
}

/* A received record as a local one: fields checked, refs mapped. */
static int
icomm_rx_build(struct store_txn *t, struct icomm_rx *rx,
    const struct schema_form *form, const json_t *fields,
    enum schema_share level, const char *what, struct record *r,
    struct ncen_err *err)
{
	const struct schema_field	*f;
	const char			*name, *v;
	json_t				*vals, *jv;
	struct buf			 b = BUF_INIT;
	uint64_t			 local;
	size_t				 i, fi;
	int				 error = NCEN_OK;

	if (!json_is_object(fields))
		return ncen_err_set(err, NCEN_EPARSE, "malformed: %s has no "
		    "\"fields\" object", what);
	for (fi = 0; fi < form->nfields; fi++)
		record_clear_field(r, fi);
	json_object_foreach((json_t *)(uintptr_t)fields, name, vals) {
		if ((f = schema_field_find(form, name)) == NULL) {
			error = ncen_err_set(err, NCEN_EINVALID, "%s: unknown "
			    "field '%s' in this node's form %s", what, name,
			    form->name);
			break;
		}
		if (rx->global && f->share != SCHEMA_CEN) {
			error = ncen_err_set(err, NCEN_EINVALID, "%s: field "
			    "%s is %s: this node is the global database and "
			    "takes cen fields only", what, name,
			    schema_share_name(f->share));
			break;
		}
		if (!icomm_share_allows(level, f->share)) {
			error = ncen_err_set(err, NCEN_EINVALID, "%s: field "
			    "%s (%s) is not allowed by the agreement (level "
			    "%s)", what, name, schema_share_name(f->share),
			    schema_share_name(level));
			break;
		}
		if (!json_is_array(vals) || json_array_size(vals) == 0 ||
		    (!f->repeated && json_array_size(vals) > 1)) {
			error = ncen_err_set(err, NCEN_EPARSE, "malformed: %s: "
			    "field %s needs %s", what, name, f->repeated ?
			    "an array of values" : "an array of one value");
			break;
		}
		fi = (size_t)(f - form->fields);
		json_array_foreach(vals, i, jv) {
			if ((v = json_string_value(jv)) == NULL) {
				error = ncen_err_set(err, NCEN_EPARSE,
				    "malformed: %s: a value of %s is not a "
				    "string", what, name);
				break;
			}
			if (strcmp(form->name, "message") == 0 &&
			    strcmp(name, "cites") == 0) {
				/* A citation names the sender's record. */
				if ((error = icomm_rx_cite(t, rx, v, &b, err)) !=
				    NCEN_OK)
					break;
				if (b.len == 0)
					continue;
				v = b.s;
			} else if (f->type == SCHEMA_REF) {
				if ((error = icomm_rx_local(t, rx, f->target,
				    v, &local, NULL, err)) != NCEN_OK)
					break;
				if (local == 0) {
					error = ncen_err_set(err,
					    NCEN_EINVALID, "%s: %s refers to "
					    "%s %s, which the batch does not "
					    "carry", what, name, f->target, v);
					break;
				}
				buf_reset(&b);
				buf_addf(&b, "%llu", (unsigned long long)local);
				v = b.s;
			}
			record_add_value(r, fi, v);
		}
		if (error != NCEN_OK)
			break;
	}
	buf_reset(&b);
	if (error == NCEN_OK && schema_validate(rx->schema, r, SCHEMA_DRAFT,
	    store_txn_ref_exists, t, &b) != NCEN_OK) {
		if (b.len > 0 && b.s[b.len - 1] == '\n')
			b.s[--b.len] = '\0';
		error = ncen_err_set(err, NCEN_EINVALID, "%s does not pass "
		    "this node's form: %s", what, buf_cstr(&b));
	}
	buf_free(&b);
	return error;
}

/*
 * The sender's reasons for values kept with a wrong check digit
 * ("checks": {"FIELD": {"VALUE": "reason"}}) replace the record's own:
 * a received record keeps its sender's overrides, for the values it
 * holds, and is never refused for a check digit.
 */
static int
icomm_rx_checks(const json_t *checks, const char *what, struct record *r,
    struct ncen_err *err)
{
	struct record	*none = record_new(r->form);
	const char	*field, *value;
	json_t		*per, *reason;
	int		 error = NCEN_OK;

	schema_check_take(r, none);
	record_free(none);
	if (checks == NULL)
		return NCEN_OK;
	if (!json_is_object(checks))
		return ncen_err_set(err, NCEN_EPARSE, "malformed: %s: "
		    "\"checks\" is not an object", what);
	json_object_foreach((json_t *)(uintptr_t)checks, field, per) {
		if (!json_is_object(per)) {
			error = ncen_err_set(err, NCEN_EPARSE, "malformed: "
			    "%s: \"checks\" of %s is not an object", what,
			    field);
			break;
		}
		json_object_foreach(per, value, reason) {
			if (!json_is_string(reason)) {
				error = ncen_err_set(err, NCEN_EPARSE,
				    "malformed: %s: the check reason of %s %s "
				    "is not a string", what, field, value);
				break;
			}
			schema_check_override_set(r, field, value,
			    json_string_value(reason));
		}
		if (error != NCEN_OK)
			break;
	}
	schema_check_prune(r);
	return error;
}

/*
 * What an item carries, as local records and links: after an update of
 * a case this node held, its links to the sender's records that the
 * item no longer carries are removed, and so are its seizures that the
 * item no longer carries (icomm_rx_sync).
 */
struct icomm_rx_link {
	struct store_ref	 a, b;
	char			*role;
};

struct icomm_rx_held {
	struct store_ref	*recs;
	size_t			 nrecs;
	struct icomm_rx_link	*links;
	size_t			 nlinks;
};

/* A copy of a reference (its entity freed by icomm_rx_held_free). */
static struct store_ref
icomm_rx_ref(const char *entity, uint64_t id)
{
	struct store_ref	r;

	r.entity = xstrdup(entity);
	r.id = id;
	return r;
}

/* Note a record the item carries. */
static void
icomm_rx_held_rec(struct icomm_rx_held *h, const char *entity, uint64_t id)
{
	h->recs = xreallocarray(h->recs, h->nrecs + 1, sizeof *h->recs);
	h->recs[h->nrecs++] = icomm_rx_ref(entity, id);
}

/* Note a link a -> b the item carries. */
static void
icomm_rx_held_link(struct icomm_rx_held *h, struct store_ref a,
    struct store_ref b, const char *role)
{
	h->links = xreallocarray(h->links, h->nlinks + 1, sizeof *h->links);
	h->links[h->nlinks].a = icomm_rx_ref(a.entity, a.id);
	h->links[h->nlinks].b = icomm_rx_ref(b.entity, b.id);
	h->links[h->nlinks++].role = xstrdup(role);
}

/* Free what an item carries. */
static void
icomm_rx_held_free(struct icomm_rx_held *h)
{
	size_t	i;

	for (i = 0; i < h->nrecs; i++)
		free((char *)(uintptr_t)h->recs[i].entity);
	for (i = 0; i < h->nlinks; i++) {
		free((char *)(uintptr_t)h->links[i].a.entity);
		free((char *)(uintptr_t)h->links[i].b.entity);
		free(h->links[i].role);
	}
	free(h->recs);
	free(h->links);
}

/* Whether two references name the same record. */
static int
icomm_rx_same(struct store_ref a, struct store_ref b)
{
	return a.id == b.id && strcmp(a.entity, b.entity) == 0;
}

/* Whether the item carries a record. */
static int
icomm_rx_carries(const struct icomm_rx_held *h, struct store_ref r)
{
	size_t	i;

	for (i = 0; i < h->nrecs; i++)
		if (icomm_rx_same(h->recs[i], r))
			return 1;
	return 0;
}

/* Whether the item carries a link of a and b with a role, either way. */
static int
icomm_rx_carries_link(const struct icomm_rx_held *h, struct store_ref a,
    struct store_ref b, const char *role)
{
	size_t	i;

	for (i = 0; i < h->nlinks; i++)
		if (strcmp(h->links[i].role, role) == 0 &&
		    ((icomm_rx_same(h->links[i].a, a) &&
		    icomm_rx_same(h->links[i].b, b)) ||
		    (icomm_rx_same(h->links[i].a, b) &&
		    icomm_rx_same(h->links[i].b, a))))
			return 1;
	return 0;
}

/* Store (or update, or skip as a duplicate) one received record. */
static int
icomm_rx_record(struct store_txn *t, struct icomm_rx *rx, const json_t *jr,
    const char *item_case, enum schema_share level, struct icomm_rx_held *h,
    struct ncen_err *err)
{
	const struct schema_form	*form;
	const char			*entity;
	struct record			*r = NULL;
	struct buf			 what = BUF_INIT, remote = BUF_INIT;
	struct buf			 k = BUF_INIT, v = BUF_INIT;
	json_int_t			 id, version;
	uint64_t			 local;
	uint32_t			 held;
	json_t				*map, *jid;
	int				 error;

	entity = icomm_json_str(jr, "entity");
	jid = json_object_get(jr, "id");
	id = json_integer_value(jid);
	version = json_integer_value(json_object_get(jr, "version"));
	/* The sender's id, or a person's or business's pseudonym (cen). */
	if (json_is_integer(jid) && id > 0)
		buf_addf(&remote, "%lld", (long long)id);
	else if (json_is_string(jid) &&
	    icomm_pseudo_valid(json_string_value(jid)))
		buf_adds(&remote, json_string_value(jid));
	if (entity == NULL || remote.len == 0 || version <= 0 ||
	    version > UINT32_MAX) {
		buf_free(&remote);
		return ncen_err_set(err, NCEN_EPARSE, "malformed: a record "
		    "without entity, id (a number, or a pseudonym of %d hex "
		    "digits) or version", ICOMM_PSEUDO_BYTES * 2);
	}
	buf_addf(&what, "%s:%s", entity, remote.s);
	if ((form = schema_form_find(rx->schema, entity)) == NULL) {
		error = ncen_err_set(err, NCEN_EINVALID, "%s: this node has no "
		    "form %s", what.s, entity);
		goto out;
	}
	if ((error = icomm_rx_local(t, rx, entity, remote.s, &local, &held,
	    err)) != NCEN_OK)
		goto out;
	if (local != 0 && held >= (uint32_t)version) {
		icomm_rx_outcome(rx, entity, remote.s, version, "duplicate");
		rx->duplicates++;
		icomm_rx_held_rec(h, entity, local);
		goto out;
	}
	if (local != 0) {
		if ((error = store_txn_get(t, entity, local, &r, err)) ==
		    NCEN_ENOTFOUND) {
			ncen_err_clear(err);
			local = 0;
		} else if (error != NCEN_OK)
			goto out;
	}
	if (r == NULL)
		r = record_new(form);
	if ((error = icomm_rx_build(t, rx, form, json_object_get(jr, "fields"),
	    level, what.s, r, err)) != NCEN_OK ||
	    (error = icomm_rx_checks(json_object_get(jr, "checks"), what.s, r,
	    err)) != NCEN_OK)
		goto out;
	if (strcmp(entity, "message") == 0 &&
	    ((error = record_set(r, "direction", "IN", err)) != NCEN_OK ||
	    (error = record_set(r, "node", rx->sender, err)) != NCEN_OK ||
	    (error = record_set(r, "batch", rx->batch, err)) != NCEN_OK))
		goto out;
	icomm_rx_extra(r, "icomm.origin", rx->sender);
	icomm_rx_extra(r, "icomm.origin_id", what.s);
	buf_addf(&v, "%lld", (long long)version);
	icomm_rx_extra(r, "icomm.origin_version", v.s);
	if (local != 0)
		error = store_update(t, r, rx->user, err);
	else
		error = store_put(t, r, rx->user, err);
	if (error != NCEN_OK)
		goto out;
	icomm_rx_seen_key(&k, rx->sender, entity, remote.s);
	map = json_pack("{s:I, s:I, s:s}", "local", (json_int_t)r->id,
	    "version", version, "case", item_case);
	error = icomm_kv_put_json(t, STORE_KV_STATE, k.s, k.len, map, err);
	json_decref(map);
	icomm_rx_outcome(rx, entity, remote.s, version, local != 0 ?
	    "updated" : "stored");
	rx->stored++;
	icomm_rx_held_rec(h, entity, r->id);
out:
	record_free(r);
	buf_free(&what);
	buf_free(&remote);
	buf_free(&k);
	buf_free(&v);
	return error;
}

/* Split "entity:id" and map it to the local id. */
static int
icomm_rx_end(struct store_txn *t, struct icomm_rx *rx, const char *ref,
    struct store_ref *out, struct buf *entity, struct ncen_err *err)
{
	const char	*colon;
	uint64_t	 local;
	int		 error;

	if (ref == NULL || (colon = strchr(ref, ':')) == NULL)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: a link end "
		    "is not entity:id");
	buf_reset(entity);
	buf_add(entity, ref, (size_t)(colon - ref));
	if ((error = icomm_rx_local(t, rx, entity->s, colon + 1, &local, NULL,
	    err)) != NCEN_OK)
		return error;
	if (local == 0)
		return ncen_err_set(err, NCEN_EINVALID, "a link names %s, "
		    "which the batch does not carry", ref);
	out->entity = entity->s;
	out->id = local;
	return NCEN_OK;
}

/* The links of an item, between local records. */
static int
icomm_rx_links(struct store_txn *t, struct icomm_rx *rx, const json_t *links,
    struct icomm_rx_held *h, struct ncen_err *err)
{
	struct store_ref	 a, b;
	struct buf		 ea = BUF_INIT, eb = BUF_INIT;
	const char		*role;
	json_t			*l;
	size_t			 i;
	int			 error = NCEN_OK;

	json_array_foreach(links, i, l) {
		if ((role = icomm_json_str(l, "role")) == NULL) {
			error = ncen_err_set(err, NCEN_EPARSE, "malformed: a "
			    "link without a role");
			break;
		}
		if ((error = icomm_rx_end(t, rx, icomm_json_str(l, "from"), &a,
		    &ea, err)) != NCEN_OK ||
		    (error = icomm_rx_end(t, rx, icomm_json_str(l, "to"), &b,
		    &eb, err)) != NCEN_OK)
			break;
		error = store_link_add(t, a, b, role, err);
		if (error == NCEN_EEXISTS) {
			ncen_err_clear(err);
			error = NCEN_OK;
		}
		if (error != NCEN_OK)
			break;
		icomm_rx_held_link(h, a, b, role);
	}
	buf_free(&ea);
	buf_free(&eb);
	return error;
}

/* The commodity groups of the seizures an item carries. */
static void
icomm_rx_groups(const json_t *recs, char ***groups, size_t *n)
{
	const char	*e, *g;
	json_t		*r, *v;
	size_t		 i, j;

	*groups = NULL;
	*n = 0;
	json_array_foreach(recs, i, r) {
		if ((e = icomm_json_str(r, "entity")) == NULL ||
		    strcmp(e, "seizure") != 0)
			continue;
		v = json_object_get(json_object_get(r, "fields"), "commodity");
		if ((g = json_string_value(json_array_get(v, 0))) == NULL)
			continue;
		for (j = 0; j < *n; j++)
			if (strcmp((*groups)[j], g) == 0)
				break;
		if (j < *n)
			continue;
		*groups = xreallocarray(*groups, *n + 1, sizeof **groups);
		(*groups)[(*n)++] = xstrdup(g);
	}
}

/* Delete what came with a withdrawn case (store_kv_fn collects keys). */
struct icomm_rx_wd {
	const char	*remote_case;
	struct buf	*keys;
	uint64_t	*ids;
	char		**entities;
	size_t		 n;
};

/* Keep a mapping that belongs to the withdrawn case (store_kv_fn). */
static int
icomm_rx_wd_one(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct icomm_rx_wd	*w = arg;
	struct ncen_err		 ignore = NCEN_ERR_INIT;
	const char		*p = k;
	size_t			 off;
	json_t			*j;

	if (icomm_json_load(v, vl, "icomm.db", &j, &ignore) != NCEN_OK) {
		ncen_err_free(&ignore);
		return 0;
	}
	if (icomm_json_str(j, "case") != NULL &&
	    strcmp(icomm_json_str(j, "case"), w->remote_case) == 0) {
		/* seen \0 sender \0 entity \0 id */
		off = strlen(p) + 1;
		off += strnlen(p + off, kl - off) + 1;
		w->keys = xreallocarray(w->keys, w->n + 1, sizeof *w->keys);
		w->ids = xreallocarray(w->ids, w->n + 1, sizeof *w->ids);
		w->entities = xreallocarray(w->entities, w->n + 1,
		    sizeof *w->entities);
		buf_init(&w->keys[w->n]);
		buf_add(&w->keys[w->n], k, kl);
		w->ids[w->n] = (uint64_t)icomm_json_int(j, "local");
		w->entities[w->n] = off < kl ? xstrndup(p + off,
		    strnlen(p + off, kl - off)) : xstrdup("");
		w->n++;
	}
	json_decref(j);
	return 0;
}

/* The sender's id of a received record (icomm.origin_id), or NULL. */
static const char *
icomm_rx_remote(const struct record *r)
{
	const char	*o = record_get(r, "icomm.origin_id"), *colon;

	if (o == NULL || (colon = strchr(o, ':')) == NULL)
		return NULL;
	return colon + 1;
}

/* Whether a record came from the batch's sender. */
static int
icomm_rx_theirs(const struct icomm_rx *rx, const struct record *r)
{
	const char	*o = record_get(r, "icomm.origin");

	return o != NULL && strcmp(o, rx->sender) == 0;
}

/* A search for another case of the sender that links a record. */
struct icomm_rx_other {
	struct store_txn	*t;
	struct icomm_rx		*rx;
	uint64_t		 leaving;	/* the local case let go */
	struct buf		 remote;	/* the sender's id of one found */
	struct ncen_err		*err;
	int			 error;
};

/* Stop (-1) at a case of the sender other than the one let go. */
static int
icomm_rx_other_one(const struct store_link *l, void *arg)
{
	struct icomm_rx_other	*o = arg;
	struct record		*c = NULL;
	const char		*id;
	int			 found = 0;

	if (strcmp(l->entity, "case") != 0 || l->id == o->leaving)
		return 0;
	if ((o->error = store_txn_get(o->t, "case", l->id, &c, o->err)) !=
	    NCEN_OK)
		return o->error;
	if (icomm_rx_theirs(o->rx, c) && (id = icomm_rx_remote(c)) != NULL) {
		buf_adds(&o->remote, id);
		found = -1;
	}
	record_free(c);
	return found;
}

/*
 * Let go of a received record that came with a case (withdrawn, or
 * updated without it).  Mapped to another case, it is that case's; else
 * if another case of the sender still links it, it is mapped to that
 * one; else it is deleted with its mapping (and its links).
 */
static int
icomm_rx_release(struct store_txn *t, struct icomm_rx *rx,
    const struct record *r, const char *remote_case, uint64_t local_case,
    struct ncen_err *err)
{
	struct icomm_rx_other	 o;
	struct store_ref	 ref;
	struct buf		 k = BUF_INIT;
	const char		*remote = icomm_rx_remote(r), *mc;
	json_t			*map = NULL;
	int			 error;

	if (remote == NULL)
		return NCEN_OK;
	memset(&o, 0, sizeof o);
	icomm_rx_seen_key(&k, rx->sender, r->form->name, remote);
	error = icomm_kv_get_json(t, STORE_KV_STATE, k.s, k.len, 1, &map, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
		goto out;
	}
	if (error != NCEN_OK || ((mc = icomm_json_str(map, "case")) != NULL &&
	    strcmp(mc, remote_case) != 0))
		goto out;
	o.t = t;
	o.rx = rx;
	o.leaving = local_case;
	o.err = err;
	ref.entity = r->form->name;
	ref.id = r->id;
	error = store_txn_links(t, ref, icomm_rx_other_one, &o, err);
	if (error == -1)
		error = NCEN_OK;
	if (error != NCEN_OK)
		goto out;
	if (o.remote.len != 0) {
		json_object_set_new(map, "case", json_string(o.remote.s));
		error = icomm_kv_put_json(t, STORE_KV_STATE, k.s, k.len, map,
		    err);
	} else if ((error = store_delete(t, r->form->name, r->id, r->version,
	    err)) == NCEN_OK)
		error = store_kv_del(t, STORE_KV_STATE, k.s, k.len, err);
out:
	json_decref(map);
	buf_free(&o.remote);
	buf_free(&k);
	return error;
}

/* Read a record to let go of it; one gone already is no error. */
static int
icomm_rx_release_ref(struct store_txn *t, struct icomm_rx *rx,
    struct store_ref ref, const char *remote_case, uint64_t local_case,
    struct ncen_err *err)
{
	struct record	*r = NULL;
	int		 error;

	error = store_txn_get(t, ref.entity, ref.id, &r, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (error == NCEN_OK && icomm_rx_theirs(rx, r))
		error = icomm_rx_release(t, rx, r, remote_case, local_case,
		    err);
	record_free(r);
	return error;
}

/* Making a case held before match what an update carries. */
struct icomm_rx_sync {
	struct store_txn		*t;
	struct icomm_rx			*rx;
	const struct icomm_rx_held	*h;
	const char			*remote_case;
	struct store_ref		 c;	/* the local case */
	struct ncen_err			*err;
};

/* Remove a link to the sender's record that the update left out. */
static int
icomm_rx_sync_link(const struct store_link *l, void *arg)
{
	struct icomm_rx_sync	*y = arg;
	struct store_ref	 other;
	struct record		*r = NULL;
	int			 error;

	other.entity = l->entity;
	other.id = l->id;
	if (icomm_rx_carries_link(y->h, y->c, other, l->role))
		return 0;
	error = store_txn_get(y->t, l->entity, l->id, &r, y->err);
	if (error == NCEN_ENOTFOUND) {
		/* Deleted with an earlier link of the same record. */
		ncen_err_clear(y->err);
		return 0;
	}
	if (error == NCEN_OK && icomm_rx_theirs(y->rx, r)) {
		error = store_link_remove(y->t, y->c, other, l->role, y->err);
		if (error == NCEN_OK && !icomm_rx_carries(y->h, other))
			error = icomm_rx_release(y->t, y->rx, r,
			    y->remote_case, y->c.id, y->err);
	}
	record_free(r);
	return error;
}

/*
 * After an update of a case this node held: its links to the sender's
 * records and its seizures that the update no longer carries go (a
 * record let go is kept if another case of the sender uses it).
 */
static int
icomm_rx_sync(struct store_txn *t, struct icomm_rx *rx,
    const struct icomm_rx_held *h, const char *remote_case,
    uint64_t local_case, struct ncen_err *err)
{
	struct icomm_rx_sync	 y;
	struct store_ref	 ref;
	uint64_t		*ids = NULL;
	size_t			 n = 0, i;
	int			 error;

	y.t = t;
	y.rx = rx;
	y.h = h;
	y.remote_case = remote_case;
	y.c.entity = "case";
	y.c.id = local_case;
	y.err = err;
	if ((error = store_txn_links(t, y.c, icomm_rx_sync_link, &y, err)) !=
	    NCEN_OK)
		return error;
	error = icomm_case_seizures(t, local_case, &ids, &n, err);
	ref.entity = "seizure";
	for (i = 0; i < n && error == NCEN_OK; i++) {
		ref.id = ids[i];
		if (!icomm_rx_carries(h, ref))
			error = icomm_rx_release_ref(t, rx, ref, remote_case,
			    local_case, err);
	}
	free(ids);
	return error;
}

/*
 * Apply a withdrawal: the case goes, with its links and the records
 * that came with it, except those another case of the sender still
 * links (they are mapped to that case instead).
 */
static int
icomm_rx_withdraw(struct store_txn *t, struct icomm_rx *rx,
    const json_t *item, struct ncen_err *err)
{
	struct icomm_rx_wd	 w;
	struct buf		 prefix = BUF_INIT, remote = BUF_INIT;
	struct store_ref	 ref;
	struct record		*r = NULL;
	json_int_t		 id, version;
	uint64_t		 local;
	size_t			 i;
	int			 error;

	id = json_integer_value(json_object_get(item, "id"));
	version = json_integer_value(json_object_get(item, "version"));
	if (id <= 0)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: a withdrawal "
		    "without an id");
	buf_addf(&remote, "%lld", (long long)id);
	memset(&w, 0, sizeof w);
	w.remote_case = remote.s;
	icomm_key(&prefix, ICOMM_SEEN, rx->sender);
	buf_addc(&prefix, '\0');
	error = store_kv_scan(t, STORE_KV_STATE, prefix.s, prefix.len,
	    icomm_rx_wd_one, &w, err);
	/* The case first: its links go with it. */
	if (error == NCEN_OK)
		error = icomm_rx_local(t, rx, "case", remote.s, &local, NULL,
		    err);
	if (error == NCEN_OK && local != 0) {
		error = store_txn_get(t, "case", local, &r, err);
		if (error == NCEN_OK)
			error = store_delete(t, "case", local, r->version, err);
		else if (error == NCEN_ENOTFOUND) {
			ncen_err_clear(err);
			error = NCEN_OK;
		}
		record_free(r);
	}
	for (i = 0; i < w.n && error == NCEN_OK; i++) {
		ref.entity = w.entities[i];
		ref.id = w.ids[i];
		if (strcmp(ref.entity, "case") == 0 && ref.id == local)
			error = store_kv_del(t, STORE_KV_STATE, w.keys[i].s,
			    w.keys[i].len, err);
		else
			error = icomm_rx_release_ref(t, rx, ref, remote.s,
			    local, err);
	}
	if (error == NCEN_OK) {
		icomm_rx_outcome(rx, "case", remote.s, version, w.n != 0 ?
		    "withdrawn" : "not held");
		rx->withdrawn += w.n != 0;
	}
	for (i = 0; i < w.n; i++) {
		buf_free(&w.keys[i]);
		free(w.entities[i]);
	}
	free(w.keys);
	free(w.ids);
	free(w.entities);
	buf_free(&prefix);
	buf_free(&remote);
	return error;
}

/* One item of the batch. */
static int
icomm_rx_item(struct store_txn *t, struct icomm_rx *rx, const json_t *item,
    struct ncen_err *err)
{
	const char		*kind = icomm_json_str(item, "kind");
	const json_t		*recs = json_object_get(item, "records");
	enum schema_share	 level;
	struct icomm_rx_held	 h;
	char			**groups = NULL;
	size_t			 ngroups = 0, i;
	struct buf		 cs = BUF_INIT;
	uint64_t		 held = 0;
	json_t			*r;
	int			 error, iscase;

	if (kind == NULL)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: an item "
		    "without a kind");
	if (strcmp(kind, "withdraw") == 0)
		return icomm_rx_withdraw(t, rx, item, err);
	if ((strcmp(kind, "record") != 0 && strcmp(kind, "message") != 0) ||
	    !json_is_array(recs) || json_array_size(recs) == 0)
		return ncen_err_set(err, NCEN_EPARSE, "malformed: an item of "
		    "kind '%s' without records", kind);
	memset(&h, 0, sizeof h);
	icomm_rx_groups(recs, &groups, &ngroups);
	error = icomm_agreement_level(t, rx->sender, ICOMM_DIR_IN, groups,
	    ngroups, &level, err);
	if (error == NCEN_OK && level == SCHEMA_LOCAL) {
		buf_adds(&cs, ngroups == 0 ? "(none)" : "");
		for (i = 0; i < ngroups; i++)
			buf_addf(&cs, "%s%s", i ? "," : "", groups[i]);
		error = ncen_err_set(err, NCEN_EINVALID, "no agreement: no "
		    "inbound agreement in force with %s covers %s %lld "
		    "(commodity groups %s)", rx->sender, kind,
		    (long long)json_integer_value(json_object_get(item, "id")),
		    cs.s);
	}
	buf_reset(&cs);
	buf_addf(&cs, "%lld", (long long)json_integer_value(
	    json_object_get(item, "id")));
	/* An update of a case held: what it no longer carries goes. */
	iscase = strcmp(kind, "record") == 0 && icomm_json_str(item,
	    "entity") != NULL && strcmp(icomm_json_str(item, "entity"),
	    "case") == 0;
	if (error == NCEN_OK && iscase)
		error = icomm_rx_local(t, rx, "case", cs.s, &held, NULL, err);
	json_array_foreach(recs, i, r) {
		if (error != NCEN_OK)
			break;
		error = icomm_rx_record(t, rx, r, cs.s, level, &h, err);
	}
	if (error == NCEN_OK)
		error = icomm_rx_links(t, rx, json_object_get(item, "links"),
		    &h, err);
	if (error == NCEN_OK && held != 0 &&
	    (error = icomm_rx_local(t, rx, "case", cs.s, &held, NULL, err)) ==
	    NCEN_OK && held != 0)
		error = icomm_rx_sync(t, rx, &h, cs.s, held, err);
	icomm_rx_held_free(&h);
	icomm_strings_free(groups, ngroups);
	buf_free(&cs);
	return error;
}

/* The transaction: a batch seen before, or every item, all or nothing. */
static int
icomm_rx_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_rx	*rx = arg;
	struct buf	 k = BUF_INIT, d = BUF_INIT, rec = BUF_INIT;
	json_t		*item, *seen = NULL;
	size_t		 i;
	int		 error;

	json_decref(rx->items);
	rx->items = json_array();
	json_decref(rx->old);
	rx->old = NULL;
	rx->stored = rx->duplicates = rx->withdrawn = 0;
	icomm_key(&k, ICOMM_BATCHES, rx->sender);
	buf_addc(&k, '\0');
	buf_adds(&k, rx->batch);
	error = icomm_kv_get_json(t, STORE_KV_STATE, k.s, k.len, 1, &seen,
	    err);
	if (error == NCEN_OK) {
		/* The same batch again (a lost receipt): the same answer. */
		rx->old = seen;
		buf_addf(&d, "batch %s again: nothing stored", rx->batch);
		goto audit;
	}
	if (error != NCEN_ENOTFOUND)
		goto out;
	ncen_err_clear(err);
	json_array_foreach(json_object_get(rx->doc, "items"), i, item)
		if ((error = icomm_rx_item(t, rx, item, err)) != NCEN_OK)
			goto out;
	seen = json_pack("{s:O}", "items", rx->items);
	error = icomm_kv_put_json(t, STORE_KV_STATE, k.s, k.len, seen, err);
	json_decref(seen);
	if (error != NCEN_OK)
		goto out;
	buf_addf(&d, "batch %s: %zu stored, %zu duplicates, %zu withdrawn",
	    rx->batch, rx->stored, rx->duplicates, rx->withdrawn);
audit:
	buf_addf(&rec, "partner:%s", rx->sender);
	error = audit_append(t, rx->user, "icomm.receive", rec.s, d.s, err);
out:
	buf_free(&k);
	buf_free(&d);
	buf_free(&rec);
	return error;
}

/* Compare a PEM certificate with another one. */
static int
icomm_rx_same_cert(const char *pem, X509 *registered)
{
	X509		*x = NULL;
	struct ncen_err	 ignore = NCEN_ERR_INIT;
	int		 same;

	if (icomm_cert_parse(pem, &x, &ignore) != NCEN_OK) {
		ncen_err_free(&ignore);
		return 0;
	}
	same = X509_cmp(x, registered) == 0;
	X509_free(x);
	return same;
}

/* Receive one batch, answer a signed receipt (see icomm-receive.h). */
int
icomm_receive(struct store *st, const void *batch, size_t len,
    const struct icomm_receive_opts *o, struct buf *receipt, int *accepted,
    struct buf *reason, struct ncen_err *err)
{
	struct icomm_rx		 rx;
	struct icomm_key	 k;
	struct icomm_node	*node = NULL;
	struct ncen_err		 why = NCEN_ERR_INIT, ignore = NCEN_ERR_INIT;
	struct buf		 id = BUF_INIT, created = BUF_INIT;
	struct buf		 rec = BUF_INIT;
	X509			*reg = NULL;
	json_t			*doc = NULL, *r = NULL, *peek = NULL;
	const char		*to;
	size_t			 max = o->max != 0 ? o->max :
				    ICOMM_RECEIVE_MAX;
	int			 error, ok = 0;

	*accepted = 0;
	buf_reset(reason);
	memset(&rx, 0, sizeof rx);
	if ((error = icomm_key_load(st, &k, err)) != NCEN_OK)
		return error;
	if ((error = icomm_node_get(st, &node, err)) != NCEN_OK) {
		icomm_key_free(&k);
		return error;
	}
	rx.st = st;
	rx.schema = store_schema(st);
	rx.user = o->user != NULL ? o->user : "icomm";
	rx.global = node->role == ICOMM_GLOBAL;
	if (len > max) {
		ncen_err_set(&why, NCEN_EINVALID, "oversized: the batch is "
		    "larger than %zu bytes, the most this node takes", max);
		goto answer;
	}
	if (icomm_batch_read(batch, len, &k, ICOMM_BATCH_FORMAT,
	    ICOMM_BATCH_MAX, icomm_rx_cert, &rx, &doc, &peek, &why) !=
	    NCEN_OK) {
		/* The refusal goes to whoever the batch claims it is from. */
		rx.sender = icomm_json_str(peek, "sender");
		rx.batch = icomm_json_str(peek, "batch");
		goto answer;
	}
	rx.doc = doc;
	rx.sender = icomm_json_str(doc, "sender");
	rx.batch = icomm_json_str(doc, "batch");
	to = icomm_json_str(doc, "receiver");
	if (strcmp(to, k.id) != 0) {
		ncen_err_set(&why, NCEN_EINVALID, "addressed to %s, not to "
		    "this node (%s)", to, k.id);
		goto answer;
	}
	if (o->client_cert != NULL || o->need_client) {
		if (icomm_rx_cert(rx.sender, &reg, &rx, &why) != NCEN_OK)
			goto answer;
		if (o->client_cert == NULL || *o->client_cert == '\0') {
			ncen_err_set(&why, NCEN_EINVALID, "wrong client "
			    "certificate: the web server passed none");
			goto answer;
		}
		if (!icomm_rx_same_cert(o->client_cert, reg)) {
			ncen_err_set(&why, NCEN_EINVALID, "wrong client "
			    "certificate: it is not the registered "
			    "certificate of %s", rx.sender);
			goto answer;
		}
	}
	if (store_run(st, icomm_rx_txn, &rx, &why) != NCEN_OK)
		goto answer;
	ok = 1;
answer:
	if (!ok) {
		buf_adds(reason, ncen_err_msg(&why));
		buf_addf(&rec, "partner:%s", rx.sender != NULL ? rx.sender :
		    "?");
		if (audit_log(st, rx.user, "icomm.refuse", rec.s, reason->s,
		    &ignore) != NCEN_OK)
			ncen_err_clear(&ignore);
	}
	icomm_batch_id(k.id, &id);
	icomm_time(&created, audit_now());
	r = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}",
	    "format", ICOMM_RECEIPT_FORMAT, "version", ICOMM_BATCH_VERSION,
	    "sender", k.id, "receiver", rx.sender != NULL ? rx.sender : "?",
	    "batch", rx.batch != NULL ? rx.batch : "?", "receipt", id.s,
	    "created", created.s, "status", ok ? "accepted" : "refused",
	    "reason", ok ? "" : reason->s, "items", ok ? (rx.old != NULL ?
	    json_incref(json_object_get(rx.old, "items")) :
	    json_incref(rx.items)) : json_array());
	error = icomm_batch_seal(r, &k, NULL, receipt, err);
	if (error == NCEN_OK)
		*accepted = ok;
	json_decref(r);
	json_decref(doc);
	json_decref(peek);
	json_decref(rx.items);
	json_decref(rx.old);
	X509_free(reg);
	icomm_node_free(node);
	icomm_key_free(&k);
	buf_free(&id);
	buf_free(&created);
	buf_free(&rec);
	ncen_err_free(&why);
	ncen_err_free(&ignore);
	return error;
}
