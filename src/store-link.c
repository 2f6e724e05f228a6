/* store-link.c - links between records, stored under both of them. */
#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

/* The links.db key of a record: entity "\0" id(8). */
void
store_link_key(struct buf *b, const char *entity, uint64_t id)
{
	buf_reset(b);
	buf_adds(b, entity);
	buf_addc(b, '\0');
	buf_add_u64(b, id);
}

/* The links.db data of one side: dir role "\0" entity "\0" id(8). */
void
store_link_data(struct buf *b, int dir, const char *role, const char *entity,
    uint64_t id)
{
	buf_reset(b);
	buf_addc(b, dir);
	buf_adds(b, role);
	buf_addc(b, '\0');
	buf_adds(b, entity);
	buf_addc(b, '\0');
	buf_add_u64(b, id);
}

/* Split links.db data into a struct store_link; 0 if malformed. */
int
store_link_parse(const void *data, size_t size, struct store_link *l)
{
	const char	*p = data, *role, *entity, *end, *nul;

	memset(l, 0, sizeof *l);
	/* dir, a role of 1+ bytes, NUL, an entity of 1+ bytes, NUL, id. */
	if (size < 1 + 2 + 2 + 8 ||
	    (p[0] != STORE_LINK_OUT && p[0] != STORE_LINK_IN))
		return 0;
	role = p + 1;
	end = p + size - 8;		/* the id starts here */
	if (end[-1] != '\0' ||
	    (nul = memchr(role, '\0', (size_t)(end - role))) == NULL ||
	    nul == role || nul + 1 >= end - 1)
		return 0;
	entity = nul + 1;
	if (memchr(entity, '\0', (size_t)(end - 1 - entity)) != NULL)
		return 0;
	l->incoming = p[0] == STORE_LINK_IN;
	l->role = xstrndup(role, (size_t)(nul - role));
	l->entity = xstrndup(entity, (size_t)(end - 1 - entity));
	l->id = buf_get_u64((const unsigned char *)end);
	return 1;
}

/* Check one end of a link: a known form and a record that exists. */
static int
store_link_end(struct store_txn *t, struct store_ref ref,
    struct ncen_err *err)
{
	struct store_entity	*e;
	int			 r;

	if ((e = store_entity_find(t->st, ref.entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if ((r = store_record_exists(t, e, ref.id, err)) < 0)
		return -r;
	if (r == 0)
		return ncen_err_set(err, NCEN_ENOTFOUND,
		    _("cannot link %s %llu: "
		    "it does not exist"), ref.entity,
		    (unsigned long long)ref.id);
	return NCEN_OK;
}

/* Check a role: not empty, not too long, no control characters. */
static int
store_link_role(const char *role, struct ncen_err *err)
{
	const unsigned char	*p;

	if (role == NULL || *role == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("a link needs a role"));
	if (strlen(role) > STORE_ROLE_MAX)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("link role '%.20s...' is "
		    "longer than %d bytes"), role, STORE_ROLE_MAX);
	for (p = (const unsigned char *)role; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return ncen_err_set(err, NCEN_EUSAGE,
			    _("link role holds "
			    "a control character"));
	return NCEN_OK;
}

/* Build one links.db entry (key and data) and point the DBTs at it. */
static void
store_link_entry(struct buf *k, struct buf *d, DBT *key, DBT *data,
    const char *fentity, uint64_t fid, int dir, const char *role,
    const char *tentity, uint64_t tid)
{
	store_link_key(k, fentity, fid);
	store_link_data(d, dir, role, tentity, tid);
	memset(key, 0, sizeof *key);
	memset(data, 0, sizeof *data);
	key->data = k->s;
	key->size = (u_int32_t)k->len;
	data->data = d->s;
	data->size = (u_int32_t)d->len;
}

/* Put one side of a link; NCEN_EEXISTS if that side is there. */
static int
store_link_put(struct store_txn *t, struct store_ref from, int dir,
    const char *role, struct store_ref to, struct ncen_err *err)
{
	struct buf	k = BUF_INIT, d = BUF_INIT;
	DBT		key, data;
	int		ret, error = NCEN_OK;

	if ((error = store_space_txn(t, err)) != NCEN_OK)
		return error;
	store_link_entry(&k, &d, &key, &data, from.entity, from.id, dir, role,
	    to.entity, to.id);
	ret = t->st->links->put(t->st->links, t->txn, &key, &data,
	    DB_NODUPDATA);
	if (ret == DB_KEYEXIST)
		error = ncen_err_set(err, NCEN_EEXISTS, _("%s %llu is already "
		    "linked to %s %llu as %s"), from.entity,
		    (unsigned long long)from.id, to.entity,
		    (unsigned long long)to.id, role);
	else if (ret != 0)
		error = store_txn_dberr(t, ret, err, _("%s: adding a link"),
		    STORE_LINKS_FILE);
	else if ((error = store_fact_link(t, from.entity, from.id, to.entity,
	    to.id, role, 1, err)) == NCEN_OK)
		error = store_count_link(t, from.entity, d.s, d.len, 1, err);
	buf_free(&k);
	buf_free(&d);
	return error;
}

/* Whether one exact links.db entry is there: 1, 0, or an error code < 0. */
static int
store_link_has(struct store_txn *t, struct store_ref from, int dir,
    const char *role, struct store_ref to, struct ncen_err *err)
{
	struct buf	k = BUF_INIT, d = BUF_INIT;
	DBT		key, data;
	int		ret, r;

	store_link_entry(&k, &d, &key, &data, from.entity, from.id, dir, role,
	    to.entity, to.id);
	ret = t->st->links->get(t->st->links, t->txn, &key, &data,
	    DB_GET_BOTH);
	if (ret == 0)
		r = 1;
	else if (ret == DB_NOTFOUND)
		r = 0;
	else
		r = -store_txn_dberr(t, ret, err, _("%s: reading links"),
		    STORE_LINKS_FILE);
	buf_free(&k);
	buf_free(&d);
	return r;
}

/* Tell the change hooks about a link added or removed, in its txn. */
static int
store_link_change(struct store_txn *t, const char *action, struct store_ref a,
    struct store_ref b, const char *role, struct ncen_err *err)
{
	struct store_change	c;

	memset(&c, 0, sizeof c);
	c.action = action;
	c.entity = a.entity;
	c.id = a.id;
	c.other = b;
	c.role = role;
	return store_hooks_call(t, &c, err);
}

/* Link record a to record b with a role (a -> b), stored under both. */
int
store_link_add(struct store_txn *t, struct store_ref a, struct store_ref b,
    const char *role, struct ncen_err *err)
{
	int	error, r;

	if ((error = store_link_role(role, err)) != NCEN_OK)
		return error;
	if (a.entity == NULL || b.entity == NULL)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("a link needs two records"));
	if (strcmp(a.entity, b.entity) == 0 && a.id == b.id)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s %llu cannot be "
		    "linked to itself"), a.entity, (unsigned long long)a.id);
	if ((error = store_link_end(t, a, err)) != NCEN_OK ||
	    (error = store_link_end(t, b, err)) != NCEN_OK)
		return error;
	/* b -> a with the same role is the same link. */
	if ((r = store_link_has(t, a, STORE_LINK_IN, role, b, err)) < 0)
		return -r;
	if (r == 1)
		return ncen_err_set(err, NCEN_EEXISTS, _("%s %llu is already "
		    "linked to %s %llu as %s"), b.entity,
		    (unsigned long long)b.id, a.entity,
		    (unsigned long long)a.id, role);
	if ((error = store_link_put(t, a, STORE_LINK_OUT, role, b, err)) !=
	    NCEN_OK ||
	    (error = store_link_put(t, b, STORE_LINK_IN, role, a, err)) !=
	    NCEN_OK)
		return error;
	return store_link_change(t, "link", a, b, role, err);
}

/* Delete one exact links.db entry; NCEN_ENOTFOUND if absent. */
static int
store_link_del(struct store_txn *t, const char *fentity, uint64_t fid,
    int dir, const char *role, const char *tentity, uint64_t tid,
    struct ncen_err *err)
{
	struct buf	 k = BUF_INIT, d = BUF_INIT;
	DBC		*c = NULL;
	DBT		 key, data;
	int		 ret, cret, error = NCEN_OK;

	store_link_entry(&k, &d, &key, &data, fentity, fid, dir, role, tentity,
	    tid);
	if ((ret = t->st->links->cursor(t->st->links, t->txn, &c, 0)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
		goto out;
	}
	ret = c->get(c, &key, &data, DB_GET_BOTH | DB_RMW);
	if (ret == DB_NOTFOUND)
		error = NCEN_ENOTFOUND;
	else if (ret != 0)
		error = store_txn_dberr(t, ret, err, _("%s: finding a link"),
		    STORE_LINKS_FILE);
	else if ((ret = c->del(c, 0)) != 0)
		error = store_txn_dberr(t, ret, err, _("%s: removing a link"),
		    STORE_LINKS_FILE);
	else if ((error = store_fact_link(t, fentity, fid, tentity, tid, role,
	    0, err)) == NCEN_OK)
		error = store_count_link(t, fentity, d.s, d.len, -1, err);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
out:
	buf_free(&k);
	buf_free(&d);
	return error;
}

/* Remove the link of a and b with a role (either way round), both sides. */
int
store_link_remove(struct store_txn *t, struct store_ref a, struct store_ref b,
    const char *role, struct ncen_err *err)
{
	int	error;

	if ((error = store_link_role(role, err)) != NCEN_OK)
		return error;
	if (a.entity == NULL || b.entity == NULL)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("a link needs two records"));
	error = store_link_del(t, a.entity, a.id, STORE_LINK_OUT, role,
	    b.entity, b.id, err);
	if (error == NCEN_OK)
		error = store_link_del(t, b.entity, b.id, STORE_LINK_IN, role,
		    a.entity, a.id, err);
	else if (error == NCEN_ENOTFOUND) {
		/* Added the other way round. */
		error = store_link_del(t, b.entity, b.id, STORE_LINK_OUT, role,
		    a.entity, a.id, err);
		if (error == NCEN_OK)
			error = store_link_del(t, a.entity, a.id, STORE_LINK_IN,
			    role, b.entity, b.id, err);
	}
	if (error == NCEN_ENOTFOUND)
		return ncen_err_set(err, NCEN_ENOTFOUND,
		    _("%s %llu and %s %llu "
		    "are not linked as %s"), a.entity, (unsigned long long)a.id,
		    b.entity, (unsigned long long)b.id, role);
	if (error == NCEN_OK)
		error = store_link_change(t, "unlink", a, b, role, err);
	return error;
}

/* Remove every link of a record on both sides (it is being deleted). */
int
store_link_purge(struct store_txn *t, const char *entity, uint64_t id,
    struct ncen_err *err)
{
	struct store_link	 l;
	struct buf		 k = BUF_INIT;
	DBC			*c = NULL;
	DBT			 key, data;
	u_int32_t		 op = DB_SET;
	char			 dir;
	int			 ret, cret, error = NCEN_OK;

	store_link_key(&k, entity, id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k.s;
	key.size = (u_int32_t)k.len;
	if ((ret = t->st->links->cursor(t->st->links, t->txn, &c, 0)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
		goto out;
	}
	for (;;) {
		ret = c->get(c, &key, &data, op | DB_RMW);
		op = DB_NEXT_DUP;
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading "
			    "links"), STORE_LINKS_FILE);
			break;
		}
		dir = data.size >= 1 ? *(const char *)data.data : '\0';
		if (store_link_parse(data.data, data.size, &l)) {
			/* The mirror entry under the other record. */
			error = store_link_del(t, l.entity, l.id, l.incoming ?
			    STORE_LINK_OUT : STORE_LINK_IN, l.role, entity, id,
			    err);
			if (error == NCEN_ENOTFOUND)
				error = NCEN_OK;	/* already one-sided */
			/* This side's entry goes below, and its fact now. */
			if (error == NCEN_OK)
				error = store_fact_link(t, entity, id, l.entity,
				    l.id, l.role, 0, err);
			free(l.role);
			free(l.entity);
			if (error != NCEN_OK)
				break;
		}
		if ((ret = c->del(c, 0)) != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: removing a "
			    "link"), STORE_LINKS_FILE);
			break;
		}
		if ((error = store_count_link(t, entity, &dir, 1, -1, err)) !=
		    NCEN_OK)
			break;
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
out:
	buf_free(&k);
	return error;
}

/* The links of one record, read in one transaction. */
struct store_links_arg {
	struct store_ref	 ref;
	struct store_link	*l;
	size_t			 n;
};

/* Release the links read. */
static void
store_links_clear(struct store_links_arg *a)
{
	size_t	i;

	for (i = 0; i < a->n; i++) {
		free(a->l[i].role);
		free(a->l[i].entity);
	}
	free(a->l);
	a->l = NULL;
	a->n = 0;
}

/* Read every link of a record. */
static int
store_links_fn(struct store_txn *t, void *varg, struct ncen_err *err)
{
	struct store_links_arg	*a = varg;
	struct store_link	 l;
	struct buf		 k = BUF_INIT;
	DBC			*c = NULL;
	DBT			 key, data;
	u_int32_t		 op = DB_SET;
	int			 ret, cret, error = NCEN_OK;

	store_links_clear(a);
	store_link_key(&k, a->ref.entity, a->ref.id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k.s;
	key.size = (u_int32_t)k.len;
	if ((ret = t->st->links->cursor(t->st->links, t->txn, &c, 0)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
		goto out;
	}
	for (;;) {
		ret = c->get(c, &key, &data, op);
		op = DB_NEXT_DUP;
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading "
			    "links"), STORE_LINKS_FILE);
			break;
		}
		if (!store_link_parse(data.data, data.size, &l)) {
			error = ncen_err_set(err, NCEN_EPARSE, _("%s: a "
			    "malformed link of %s %llu"), STORE_LINKS_FILE,
			    a->ref.entity, (unsigned long long)a->ref.id);
			break;
		}
		a->l = xreallocarray(a->l, a->n + 1, sizeof *a->l);
		a->l[a->n++] = l;
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
out:
	buf_free(&k);
	return error;
}

/* Call fn on each link read; its first non-zero answer stops. */
static int
store_links_each(struct store_links_arg *a, store_link_fn fn, void *arg)
{
	size_t	i;
	int	r;

	for (i = 0; i < a->n; i++)
		if ((r = fn(&a->l[i], arg)) != 0)
			return r;
	return NCEN_OK;
}

/* Read a record's links (in t, else as one read) and call fn on each. */
static int
store_links_read(struct store *st, struct store_txn *t, struct store_ref ref,
    store_link_fn fn, void *arg, struct ncen_err *err)
{
	struct store_links_arg	a;
	int			error;

	if (store_entity_find(st, ref.entity, err) == NULL)
		return NCEN_ENOTFOUND;
	memset(&a, 0, sizeof a);
	a.ref = ref;
	/*
	 * Outside a transaction: one cursor over one key's entries, which
	 * every change writes in pairs inside its own transaction, so
	 * read-committed without a transaction of its own, like a single
	 * get.  Inside one, all are read before fn is called: fn may add or
	 * remove links of the record.
	 */
	if (t != NULL)
		error = store_links_fn(t, &a, err);
	else
		error = store_txn_run(st, store_links_fn, &a, STORE_TXN_NONE,
		    err);
	if (error == NCEN_OK)
		error = store_links_each(&a, fn, arg);
	store_links_clear(&a);
	return error;
}

/* Call fn on each link of a record, outside any transaction. */
int
store_links(struct store *st, struct store_ref ref, store_link_fn fn,
    void *arg, struct ncen_err *err)
{
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_links: called "
		    "inside a transaction");
	return store_links_read(st, NULL, ref, fn, arg, err);
}

/* Call fn on each link of a record, read in the caller's transaction. */
int
store_txn_links(struct store_txn *t, struct store_ref ref, store_link_fn fn,
    void *arg, struct ncen_err *err)
{
	return store_links_read(t->st, t, ref, fn, arg, err);
}

/* Add an id to a set unless it is there already. */
void
store_ids_add(struct store_ids *s, uint64_t id)
{
	size_t	i;

	for (i = 0; i < s->n; i++)
		if (s->ids[i] == id)
			return;
	s->ids = xreallocarray(s->ids, s->n + 1, sizeof *s->ids);
	s->ids[s->n++] = id;
}

/* Add a linked record of the set's form (a store_link_fn). */
int
store_ids_link(const struct store_link *l, void *arg)
{
	struct store_ids	*s = arg;

	if (s->entity != NULL && strcmp(l->entity, s->entity) == 0)
		store_ids_add(s, l->id);
	return 0;
}

/* Release a set's ids; it may be filled again. */
void
store_ids_free(struct store_ids *s)
{
	free(s->ids);
	s->ids = NULL;
	s->n = 0;
}
