/*
 * icomm-outbox.c - the transactional outbox: workflow steps queue what
 * partners get, the store's change hook queues a shared case again when
 * it or what travels with it changes (see icomm.h), the uploader lists
 * and removes entries.
 */
#include <jansson.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "icomm-project.h"
#include "icomm-util.h"
#include "icomm.h"
#include "record.h"
#include "store-kv.h"
#include "store-outbox.h"
#include "store.h"
#include "workflow.h"
#include "xmalloc.h"


/* Free an entry. */
void
icomm_entry_free(struct icomm_entry *e)
{
	if (e == NULL)
		return;
	free(e->partner);
	free(e->entity);
	free(e->kind);
	free(e);
}

/* Free an array of strings. */
void
icomm_strings_free(char **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* An outbox key. */
static void
icomm_outbox_key(struct buf *k, const char *partner, const char *entity,
    uint64_t id)
{
	buf_reset(k);
	store_outbox_key_add(k, partner, entity, id);
}

/* Note that a record went to a partner (a reopen withdraws it there). */
int
icomm_outbox_shared(struct store_txn *t, const char *partner,
    const char *entity, uint64_t id, struct ncen_err *err)
{
	struct buf	k = BUF_INIT;
	int		error;

	store_outbox_shared_key(&k, partner, entity, id);
	error = store_kv_put(t, STORE_KV_STATE, k.s, k.len, "", 0, err);
	buf_free(&k);
	return error;
}

/* Queue a record or a withdrawal for a partner (store-outbox.c). */
int
icomm_outbox_queue(struct store_txn *t, const char *partner,
    const char *entity, uint64_t id, const char *kind, uint32_t version,
    const char *user, struct ncen_err *err)
{
	return store_outbox_queue(t, partner, entity, id, kind, version,
	    user, err);
}

/* Insert a string into a sorted unique array. */
static void
icomm_strings_add(char ***v, size_t *n, const char *s)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i], s) == 0)
			return;
		if (strcmp((*v)[i], s) > 0)
			break;
	}
	*v = xreallocarray(*v, *n + 1, sizeof **v);
	memmove(*v + i + 1, *v + i, (*n - i) * sizeof **v);
	(*v)[i] = xstrdup(s);
	(*n)++;
}

/* The ids of a case's seizures (by their case reference). */
int
icomm_case_seizures(struct store_txn *t, uint64_t case_id, uint64_t **ids,
    size_t *n, struct ncen_err *err)
{
	struct buf	v = BUF_INIT;
	int		error;

	buf_addf(&v, "%llu", (unsigned long long)case_id);
	error = store_txn_ids(t, "seizure", "case", v.s, ids, n, err);
	if (error == NCEN_ENOTFOUND) {
		/* Forms without seizures (or their case index): none. */
		ncen_err_clear(err);
		error = NCEN_OK;
	}
	buf_free(&v);
	return error;
}

/* The commodity groups of a case's seizures. */
int
icomm_case_groups(struct store_txn *t, uint64_t case_id, char ***groups,
    size_t *n, struct ncen_err *err)
{
	struct record	*r;
	uint64_t	*ids = NULL;
	size_t		 nids = 0, i;
	const char	*g;
	int		 error;

	*groups = NULL;
	*n = 0;
	error = icomm_case_seizures(t, case_id, &ids, &nids, err);
	for (i = 0; i < nids && error == NCEN_OK; i++) {
		r = NULL;
		if ((error = store_txn_get(t, "seizure", ids[i], &r, err)) ==
		    NCEN_OK && (g = record_get(r, "commodity")) != NULL &&
		    *g != '\0')
			icomm_strings_add(groups, n, g);
		record_free(r);
	}
	free(ids);
	return error;
}

struct icomm_step {
	struct store_txn	*t;
	const struct record	*c;
	const char		*action;
	const char		*user;
	char			**groups;
	size_t			 ngroups;
	struct ncen_err		*err;
	int			 error;
	struct buf		*partners;	/* collected ids */
	size_t			 npartners;
};

/* Collect a partner id (store_kv_fn). */
static int
icomm_step_partner(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct icomm_step	*s = arg;

	(void)v;
	(void)vl;
	s->partners = xreallocarray(s->partners, s->npartners + 1,
	    sizeof *s->partners);
	buf_init(&s->partners[s->npartners]);
	buf_add(&s->partners[s->npartners++], k, kl);
	return 0;
}

/* Collect the ids of every registered partner. */
static int
icomm_step_partners(struct store_txn *t, struct icomm_step *s,
    struct ncen_err *err)
{
	return store_kv_scan(t, STORE_KV_PARTNERS, "", 0, icomm_step_partner,
	    s, err);
}

/* Free what a step collected. */
static void
icomm_step_free(struct icomm_step *s)
{
	size_t	i;

	for (i = 0; i < s->npartners; i++)
		buf_free(&s->partners[i]);
	free(s->partners);
	icomm_strings_free(s->groups, s->ngroups);
}

/* Whether a case went to a partner (and was not withdrawn since). */
static int
icomm_outbox_was_shared(struct store_txn *t, const char *partner,
    uint64_t case_id, int *shared, struct ncen_err *err)
{
	struct buf	k = BUF_INIT, v = BUF_INIT;
	int		error;

	*shared = 0;
	store_outbox_shared_key(&k, partner, "case", case_id);
	error = store_kv_get(t, STORE_KV_STATE, k.s, k.len, 0, &v, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	} else if (error == NCEN_OK)
		*shared = 1;
	buf_free(&k);
	buf_free(&v);
	return error;
}

/* What a workflow step means for the outbox (see icomm.h). */
int
icomm_outbox_step(struct store_txn *t, const struct schema *schema,
    const struct record *c, const char *action, const char *user,
    struct ncen_err *err)
{
	struct icomm_step	 s;
	enum schema_share	 level;
	size_t			 i;
	int			 error, validate, shared;

	(void)schema;
	/* A partner's case is read-only here, and never shared onwards. */
	if (record_get(c, "icomm.origin") != NULL)
		return ncen_err_set(err, NCEN_EINVALID, "case %llu came from "
		    "%s through Icomm: it is read-only on this node",
		    (unsigned long long)c->id, record_get(c, "icomm.origin"));
	validate = strcmp(action, "validate") == 0;
	if (!validate && strcmp(action, "reopen") != 0)
		return NCEN_OK;
	memset(&s, 0, sizeof s);
	if ((error = icomm_step_partners(t, &s, err)) != NCEN_OK ||
	    s.npartners == 0)
		goto out;
	if (validate && (error = icomm_case_groups(t, c->id, &s.groups,
	    &s.ngroups, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < s.npartners && error == NCEN_OK; i++) {
		const char *p = buf_cstr(&s.partners[i]);

		if (validate) {
			error = icomm_agreement_level(t, p, ICOMM_DIR_OUT,
			    s.groups, s.ngroups, &level, err);
			if (error == NCEN_OK && level != SCHEMA_LOCAL)
				error = icomm_outbox_queue(t, p, "case", c->id,
				    "record", c->version, user, err);
			continue;
		}
		/* Reopened: withdraw it from every partner that got it. */
		if ((error = icomm_outbox_was_shared(t, p, c->id, &shared,
		    err)) == NCEN_OK && shared)
			error = icomm_outbox_queue(t, p, "case", c->id,
			    "withdraw", c->version, user, err);
	}
out:
	icomm_step_free(&s);
	return error;
}

/* Note the case a seizure belongs to (its case reference), if any. */
static void
icomm_touch_seizure(struct store_ids *c, const struct record *r)
{
	const char	*v;
	char		*end;
	uint64_t	 id;

	if (r != NULL && (v = record_get(r, "case")) != NULL &&
	    (id = strtoull(v, &end, 10)) != 0 && *end == '\0')
		store_ids_add(c, id);
}

/* Whether a record came from a partner: read-only, never shared on. */
static int
icomm_from_partner(const struct record *r)
{
	return r != NULL && record_get(r, "icomm.origin") != NULL;
}

/*
 * The cases a change touches, as a partner sees them: the case itself,
 * the case of a seizure (before and after), the cases a person,
 * business or conveyance is linked to, and the case of a link between
 * a case and one of those (icomm-project.c: what travels).
 */
static int
icomm_touched(struct store_txn *t, const struct store_change *ch,
    struct store_ids *c, struct ncen_err *err)
{
	struct store_ref	ref;

	if (strcmp(ch->action, "link") == 0 ||
	    strcmp(ch->action, "unlink") == 0) {
		if (strcmp(ch->entity, "case") == 0 &&
		    icomm_project_linked(ch->other.entity))
			store_ids_add(c, ch->id);
		else if (strcmp(ch->other.entity, "case") == 0 &&
		    icomm_project_linked(ch->entity))
			store_ids_add(c, ch->other.id);
		return NCEN_OK;
	}
	if (strcmp(ch->entity, "case") == 0)
		store_ids_add(c, ch->id);
	else if (strcmp(ch->entity, "seizure") == 0) {
		icomm_touch_seizure(c, ch->old);
		icomm_touch_seizure(c, ch->rec);
	} else if (icomm_project_linked(ch->entity) &&
	    strcmp(ch->action, "create") != 0) {
		/* A new record has no links yet. */
		ref.entity = ch->entity;
		ref.id = ch->id;
		return store_txn_links(t, ref, store_ids_link, c, err);
	}
	return NCEN_OK;
}

/* Queue one touched case again for every partner that holds it. */
static int
icomm_outbox_again(struct store_txn *t, const struct store_change *ch,
    uint64_t id, struct icomm_step *s, const char *user,
    struct ncen_err *err)
{
	struct record	*c = NULL;
	const char	*kind = "record";
	size_t		 i;
	int		 error = NCEN_OK, shared;

	if (strcmp(ch->entity, "case") == 0 && ch->id == id && ch->rec != NULL)
		c = record_copy(ch->rec);
	else if ((error = store_txn_get(t, "case", id, &c, err)) ==
	    NCEN_ENOTFOUND) {
		/* A seizure naming a case that is not there. */
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (error != NCEN_OK)
		goto out;
	if (strcmp(ch->entity, "case") == 0 && ch->id == id &&
	    strcmp(ch->action, "delete") == 0)
		kind = "withdraw";	/* a shared case deleted */
	else if (!workflow_shareable(c))
		goto out;		/* reopened: its step withdraws it */
	if (icomm_from_partner(c))
		goto out;
	for (i = 0; i < s->npartners && error == NCEN_OK; i++)
		if ((error = icomm_outbox_was_shared(t,
		    buf_cstr(&s->partners[i]), id, &shared, err)) == NCEN_OK &&
		    shared)
			error = icomm_outbox_queue(t, buf_cstr(&s->partners[i]),
			    "case", id, kind, c->version, user, err);
out:
	record_free(c);
	return error;
}

/*
 * The store's change hook (icomm.h): a committed change to what a
 * shared case carries queues it again, in the change's transaction.
 */
static int
icomm_outbox_hook(struct store_txn *t, const struct store_change *ch,
    void *arg, struct ncen_err *err)
{
	struct store_ids	 c;
	struct icomm_step	 s;
	const char		*user = ch->user != NULL ? ch->user : arg;
	size_t			 i;
	int			 error;

	if (icomm_from_partner(ch->rec) || icomm_from_partner(ch->old))
		return NCEN_OK;
	memset(&c, 0, sizeof c);
	c.entity = "case";
	memset(&s, 0, sizeof s);
	if ((error = icomm_touched(t, ch, &c, err)) != NCEN_OK || c.n == 0 ||
	    (error = icomm_step_partners(t, &s, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < c.n && s.npartners != 0 && error == NCEN_OK; i++)
		error = icomm_outbox_again(t, ch, c.ids[i], &s, user, err);
out:
	store_ids_free(&c);
	icomm_step_free(&s);
	return error;
}

/*
 * Queue cases on their workflow steps, and shared cases again on every
 * change to what they carry.
 */
void
icomm_outbox_attach(struct store *st, const char *user)
{
	workflow_step_hook(icomm_outbox_step);
	store_hook_add(st, icomm_outbox_hook, (void *)(uintptr_t)user);
}

struct icomm_outbox_scan {
	const char		*partner;
	size_t			 max;
	struct icomm_entry	**e;
	size_t			 n;
	int			 count_only;
	uint64_t		 count;
};

/* One outbox pair into an entry (store_kv_fn). */
static int
icomm_outbox_one(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct icomm_outbox_scan	*s = arg;
	struct icomm_entry		*e;
	struct ncen_err			 ignore = NCEN_ERR_INIT;
	const char			*p = k, *ent;
	size_t				 plen, elen;
	json_t				*j;

	if (s->max != 0 && s->n >= s->max)
		return 1;
	plen = strnlen(p, kl);
	if (plen + 1 >= kl)
		return 0;
	ent = p + plen + 1;
	elen = strnlen(ent, kl - plen - 1);
	if (plen + 1 + elen + 1 + 8 != kl)
		return 0;
	if (s->count_only) {
		s->count++;
		return 0;
	}
	if (icomm_json_load(v, vl, "outbox.db", &j, &ignore) != NCEN_OK) {
		ncen_err_free(&ignore);
		return 0;
	}
	e = xcalloc(1, sizeof *e);
	e->partner = xstrndup(p, plen);
	e->entity = xstrndup(ent, elen);
	e->id = buf_get_u64((const unsigned char *)ent + elen + 1);
	e->kind = xstrdup(icomm_json_str(j, "kind") != NULL ?
	    icomm_json_str(j, "kind") : "record");
	e->version = (uint32_t)icomm_json_int(j, "version");
	e->queued = icomm_json_int(j, "queued");
	e->rev = (uint32_t)icomm_json_int(j, "rev");
	json_decref(j);
	s->e = xreallocarray(s->e, s->n + 1, sizeof *s->e);
	s->e[s->n++] = e;
	return 0;
}

/* Scan a partner's outbox in a transaction. */
static int
icomm_outbox_scan_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_outbox_scan	*s = arg;
	struct buf			 k = BUF_INIT;
	size_t				 i;
	int				 error;

	for (i = 0; i < s->n; i++)
		icomm_entry_free(s->e[i]);
	s->n = 0;
	s->count = 0;
	icomm_key(&k, s->partner, "");
	error = store_kv_scan(t, STORE_KV_OUTBOX, k.s, k.len, icomm_outbox_one,
	    s, err);
	buf_free(&k);
	return error == 1 ? NCEN_OK : error;
}

/* At most max entries of a partner's outbox, in key order. */
int
icomm_outbox_list(struct store *st, const char *partner, size_t max,
    icomm_entry_fn fn, void *arg, struct ncen_err *err)
{
	struct icomm_outbox_scan	s;
	size_t				i;
	int				error;

	memset(&s, 0, sizeof s);
	s.partner = partner;
	s.max = max;
	error = store_run(st, icomm_outbox_scan_txn, &s, err);
	for (i = 0; i < s.n; i++) {
		if (error == NCEN_OK)
			error = fn(s.e[i], arg);
		icomm_entry_free(s.e[i]);
	}
	free(s.e);
	return error;
}

/* How many entries a partner's outbox holds. */
int
icomm_outbox_count(struct store *st, const char *partner, uint64_t *n,
    struct ncen_err *err)
{
	struct icomm_outbox_scan	s;
	int				error;

	memset(&s, 0, sizeof s);
	s.partner = partner;
	s.count_only = 1;
	error = store_run(st, icomm_outbox_scan_txn, &s, err);
	*n = s.count;
	return error;
}

struct icomm_outbox_rm {
	struct icomm_entry *const	*e;
	size_t				 n;
};

/* Delete the entries sent unless re-queued since (another version). */
static int
icomm_outbox_rm_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_outbox_rm	*r = arg;

	return icomm_outbox_txn_remove(t, r->e, r->n, err);
}

/* Remove entries inside a transaction, unless queued again since. */
int
icomm_outbox_txn_remove(struct store_txn *t, struct icomm_entry *const *e,
    size_t n, struct ncen_err *err)
{
	struct icomm_outbox_rm	 rr = { e, n }, *r = &rr;
	struct buf		 k = BUF_INIT;
	json_t			*j;
	size_t			 i;
	int			 error = NCEN_OK;

	for (i = 0; i < r->n && error == NCEN_OK; i++) {
		icomm_outbox_key(&k, r->e[i]->partner, r->e[i]->entity,
		    r->e[i]->id);
		j = NULL;
		error = icomm_kv_get_json(t, STORE_KV_OUTBOX, k.s, k.len, 1,
		    &j, err);
		if (error == NCEN_ENOTFOUND) {
			ncen_err_clear(err);
			error = NCEN_OK;
		} else if (error == NCEN_OK &&
		    (uint32_t)icomm_json_int(j, "version") == r->e[i]->version &&
		    (uint32_t)icomm_json_int(j, "rev") == r->e[i]->rev &&
		    strcmp(icomm_json_str(j, "kind") ? icomm_json_str(j,
		    "kind") : "", r->e[i]->kind) == 0)
			error = store_kv_del(t, STORE_KV_OUTBOX, k.s, k.len,
			    err);
		json_decref(j);
	}
	buf_free(&k);
	return error;
}

/* Remove entries the receiver acknowledged. */
int
icomm_outbox_remove(struct store *st, struct icomm_entry *const *e, size_t n,
    struct ncen_err *err)
{
	struct icomm_outbox_rm	r;

	r.e = e;
	r.n = n;
	return store_run(st, icomm_outbox_rm_txn, &r, err);
}

/* One icomm_message_write() in progress. */
struct icomm_msg_run {
	const struct schema		*schema;
	const char			*user;
	const struct icomm_message	*m;
	uint64_t			 id;
};

/* A new thread: 16 hex digits of randomness, unique across nodes. */
static int
icomm_msg_thread(struct buf *b, struct ncen_err *err)
{
	unsigned char	r[8];
	size_t		i;

	if (RAND_bytes(r, sizeof r) != 1)
		return ncen_err_set(err, NCEN_EIO, _("RAND_bytes failed"));
	for (i = 0; i < sizeof r; i++)
		buf_addf(b, "%02x", r[i]);
	return NCEN_OK;
}

/*
 * Whether an agreement in force lets a message go to the partner now;
 * refused in words (nothing is written) when none does.
 */
static int
icomm_msg_allowed(struct store_txn *t, const char *partner,
    struct ncen_err *err)
{
	enum schema_share	level = SCHEMA_LOCAL;
	int			error;

	if ((error = icomm_agreement_level(t, partner, ICOMM_DIR_OUT, NULL, 0,
	    &level, err)) != NCEN_OK)
		return error;
	if (level == SCHEMA_LOCAL)
		return ncen_err_set(err, NCEN_EINVALID, _("no agreement in "
		    "force lets a message go to %s: it is not written (the "
		    "NCP adds one: ncenctl agreement add)"), partner);
	return NCEN_OK;
}

/* The transaction of icomm_message_write(): thread, write, check. */
static int
icomm_msg_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_msg_run		*w = arg;
	const struct icomm_message	*m = w->m;
	struct store_message		 sm;
	struct record			*q = NULL;
	struct buf			 thread = BUF_INIT, subj = BUF_INIT;
	const char			*v;
	int				 error;

	memset(&sm, 0, sizeof sm);
	sm.partner = m->partner;
	sm.subject = m->subject;
	sm.body = m->body;
	sm.cites = m->cites;
	sm.ncites = m->ncites;
	if (m->reply_to != 0) {
		/* A reply: to where the message came from, in its thread. */
		if ((error = store_txn_get(t, "message", m->reply_to, &q,
		    err)) != NCEN_OK)
			goto out;
		v = record_get(q, "node");
		if (sm.partner != NULL && *sm.partner != '\0' && v != NULL &&
		    strcmp(sm.partner, v) != 0) {
			error = ncen_err_set(err, NCEN_EUSAGE, _("a reply to "
			    "message %llu goes to %s, not %s"),
			    (unsigned long long)m->reply_to, v, sm.partner);
			goto out;
		}
		sm.partner = v;
		if (sm.subject == NULL || *sm.subject == '\0') {
			v = record_get(q, "subject");
			if (v == NULL || strncmp(v, "Re: ", 4) != 0)
				buf_adds(&subj, "Re: ");
			buf_adds(&subj, v != NULL ? v : "");
			sm.subject = buf_cstr(&subj);
		}
		if ((v = record_get(q, "thread")) != NULL && *v != '\0')
			buf_adds(&thread, v);
		else
			sm.joins = m->reply_to;
	}
	if (thread.len == 0 && (error = icomm_msg_thread(&thread, err)) !=
	    NCEN_OK)
		goto out;
	sm.thread = buf_cstr(&thread);
	/* The partner named first, then whether anything lets it go. */
	if ((error = store_message_txn(t, w->schema, w->user, &sm,
	    &w->id, err)) != NCEN_OK)
		goto out;
	error = icomm_msg_allowed(t, sm.partner, err);
out:
	record_free(q);
	buf_free(&thread);
	buf_free(&subj);
	return error;
}

/* Write a message to a partner, or a reply, and queue it (icomm.h). */
int
icomm_message_write(struct store *st, const struct auth_account *a,
    const struct icomm_message *m, uint64_t *id, struct ncen_err *err)
{
	struct icomm_msg_run	w;
	int			error;

	*id = 0;
	if ((error = auth_account_usable(a, auth_now(), err)) != NCEN_OK)
		return error;
	if (!auth_may(a, AUTH_ICOMM, NULL))
		return ncen_err_set(err, NCEN_EINVALID, _("%s may not write to "
		    "partners: Icomm is for the ncp role"), a->name);
	w.schema = store_schema(st);
	w.user = a->name;
	w.m = m;
	w.id = 0;
	if ((error = store_run(st, icomm_msg_txn, &w, err)) == NCEN_OK)
		*id = w.id;
	return error;
}

/* Write a message to a partner and queue it (icomm_message_write). */
int
icomm_message_send(struct store *st, const struct auth_account *a,
    const char *partner, const char *subject, const char *body,
    char *const *cites, size_t ncites, uint64_t *id, struct ncen_err *err)
{
	struct icomm_message	m;

	memset(&m, 0, sizeof m);
	m.partner = partner;
	m.subject = subject;
	m.body = body;
	m.cites = cites;
	m.ncites = ncites;
	return icomm_message_write(st, a, &m, id, err);
}
