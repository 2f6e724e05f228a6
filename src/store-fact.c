/*
 * store-fact.c - the statistics' facts: in facts.db one short row per
 * case, seizure line and person holding only the values statistics can
 * group, filter or sum by, and one entry per link of a case to a person,
 * so that a query over a million cases reads some hundred megabytes in
 * key order instead of the records' gigabytes.
 *
 * A row keeps, for each column of its form (every field except long
 * text, see store_fact_kept), the values as stored: codes, dates,
 * decimals and units as text, not converted, so that a change of the
 * unit list or of the exchange rates needs no rebuild (the query
 * converts).  Keys: kind byte ('c' case, 's' seizure, 'p' person) and
 * the 8-byte big-endian id; links: 'l', the case's id, the person's id
 * and the role.
 *
 * The state lives in counts.db under STORE_FACT_STATE (writers already
 * read and lock counts.db in each change): absent (no facts), "B nonce
 * layout" (being built), "R layout" (ready).  Layout names the columns
 * of each form; a row is only read with the layout it was written with.
 * Every put, update, delete, loaded record (store-record.c,
 * store-dump.c) and links.db entry added or removed (store-link.c)
 * changes the facts in its own transaction while the state is B or R
 * with this process's layout; a writer with another layout (other
 * forms) removes the state, so the facts are built again on next use.
 *
 * Each record also has a narrow row ('C', 'S', 'P') with only its
 * indexed fields, for the walks that need no other.
 *
 * The build (store_fact_ready, on first use) writes B, removes whatever
 * facts.db holds (rows of another layout, or of records deleted while
 * the state was gone), then walks each form in batches of
 * STORE_FACT_BATCH records a transaction, in key order ('C', 'P', 'S',
 * 'c', the links 'l', 'p', 's') so pages fill, putting the row of each
 * record (and the entries of each case's person links) as read in that
 * transaction; a writer before or after a batch keeps its own record's
 * row right, so at the end every row is right, and the last transaction
 * writes R if the state is still its own B.  No batch holds writers for
 * longer than a few hundred records take.
 */
#include <db.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_FACT_STATE	"\001facts"	/* key in counts.db */
static char store_fact_state_key[] = STORE_FACT_STATE;
#define STORE_FACT_TEXT_MAX	16	/* longer text fields are left out */
#define STORE_FACT_BATCH	500	/* records per build transaction */
#define STORE_FACT_TRIES	5	/* builds tried before giving up */
#define STORE_FACT_LINK		'l'

/*
 * The forms that have facts, the kind byte of their keys, and whether
 * the row is the narrow one (indexed fields only) or the wide one.
 */
static const struct {
	const char	*form;
	char		 kind;
	int		 narrow;
} store_fact_forms[STORE_FACT_NFORMS] = {
	{ "case",	'c', 0 },
	{ "seizure",	's', 0 },
	{ "person",	'p', 0 },
	{ "case",	'C', 1 },
	{ "seizure",	'S', 1 },
	{ "person",	'P', 1 },
};

/*
 * Whether a field of a form is a column of its facts: codes, dates,
 * numbers, references and short text (an HS code); not names, document
 * numbers, addresses or narratives, which no statistic groups by and
 * which would make the facts a second copy of nominal data.
 */
static int
store_fact_kept(const struct schema_field *f)
{
	return !(f->type == SCHEMA_TEXT && f->size > STORE_FACT_TEXT_MAX);
}

/* Work out the columns of each form and the layout text (at open). */
void
store_fact_layout(struct store *st)
{
	const struct schema_form	*f;
	struct store_fact_form		*ff;
	size_t				 i, j;

	buf_reset(&st->fact_layout);
	for (i = 0; i < STORE_FACT_NFORMS; i++) {
		ff = &st->fact_forms[i];
		free(ff->cols);
		memset(ff, 0, sizeof *ff);
		ff->kind = store_fact_forms[i].kind;
		ff->narrow = store_fact_forms[i].narrow;
		if ((f = schema_form_find(st->schema,
		    store_fact_forms[i].form)) == NULL)
			continue;
		ff->form = f;
		ff->cols = xcalloc(f->nfields + 1, sizeof *ff->cols);
		buf_addf(&st->fact_layout, "%s%c%s:", i ? ";" : "", ff->kind,
		    f->name);
		for (j = 0; j < f->nfields; j++) {
			if (!store_fact_kept(&f->fields[j]) ||
			    (ff->narrow && !f->fields[j].indexed))
				continue;
			buf_addf(&st->fact_layout, "%s%s", ff->ncols ? "," : "",
			    f->fields[j].name);
			ff->cols[ff->ncols++] = j;
		}
	}
}

/* Whether a form has facts. */
static int
store_fact_has(const struct store *st, const struct schema_form *f)
{
	size_t	i;

	for (i = 0; i < STORE_FACT_NFORMS; i++)
		if (st->fact_forms[i].form == f && f != NULL)
			return 1;
	return 0;
}

/* The facts of an entity (by name), wide or narrow, or NULL. */
static const struct store_fact_form *
store_fact_find(const struct store *st, const char *entity, int narrow)
{
	size_t	i;

	for (i = 0; i < STORE_FACT_NFORMS; i++)
		if (st->fact_forms[i].form != NULL &&
		    st->fact_forms[i].narrow == narrow &&
		    strcmp(st->fact_forms[i].form->name, entity) == 0)
			return &st->fact_forms[i];
	return NULL;
}

/* Append a varint. */
static void
store_fact_varint(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		buf_addc(b, (int)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	buf_addc(b, (int)v);
}

/* Read a varint; 0 when malformed. */
static int
store_fact_getvar(const unsigned char **p, const unsigned char *end,
    uint64_t *v)
{
	unsigned	shift = 0;

	*v = 0;
	while (*p < end && shift < 64) {
		*v |= (uint64_t)(**p & 0x7f) << shift;
		if ((*(*p)++ & 0x80) == 0)
			return 1;
		shift += 7;
	}
	return 0;
}

/* The row of a record: per column, the count of values, then each. */
static void
store_fact_row(const struct store_fact_form *ff, const struct record *r,
    struct buf *b)
{
	const struct record_values	*v;
	size_t				 i, j, len;

	buf_reset(b);
	for (i = 0; i < ff->ncols; i++) {
		v = &r->fields[ff->cols[i]];
		store_fact_varint(b, v->n);
		for (j = 0; j < v->n; j++) {
			len = strlen(v->v[j]);
			store_fact_varint(b, len);
			buf_add(b, v->v[j], len);
		}
	}
}

/* The key of a record's row. */
static void
store_fact_key(struct buf *k, char kind, uint64_t id)
{
	buf_reset(k);
	buf_addc(k, kind);
	buf_add_u64(k, id);
}

/* The key of a link of a case to a person. */
static void
store_fact_link_key(struct buf *k, uint64_t cid, uint64_t pid,
    const char *role)
{
	store_fact_key(k, STORE_FACT_LINK, cid);
	buf_add_u64(k, pid);
	buf_adds(k, role);
}

/* Read the state in a transaction: *state 0 none, 'B' or 'R'. */
static int
store_fact_state(struct store_txn *t, struct buf *val, int *state,
    int *same, struct ncen_err *err)
{
	struct store	*st = t->st;
	DBT		 key, data;
	const char	*sp;
	int		 ret;

	*state = 0;
	*same = 0;
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = store_fact_state_key;
	key.size = sizeof store_fact_state_key - 1;
	data.flags = DB_DBT_MALLOC;
	ret = st->counts->get(st->counts, t->txn, &key, &data, 0);
	if (ret == DB_NOTFOUND)
		return NCEN_OK;
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: reading the state "
		    "of the statistics' facts"), STORE_COUNTS_FILE);
	buf_reset(val);
	buf_add(val, data.data, data.size);
	free(data.data);
	if (val->len < 2)
		return NCEN_OK;
	*state = val->s[0];
	/* "R layout", "B nonce layout" */
	sp = memchr(val->s + 2, ' ', val->len - 2);
	if (*state == 'R')
		sp = val->s + 1;
	if (sp != NULL && (size_t)(val->s + val->len - sp - 1) ==
	    st->fact_layout.len && memcmp(sp + 1, st->fact_layout.s,
	    st->fact_layout.len) == 0)
		*same = 1;
	return NCEN_OK;
}

/* Write (or with s NULL remove) the state in a transaction. */
static int
store_fact_state_set(struct store_txn *t, const struct buf *s,
    struct ncen_err *err)
{
	struct store	*st = t->st;
	DBT		 key, data;
	int		 ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = store_fact_state_key;
	key.size = sizeof store_fact_state_key - 1;
	if (s == NULL) {
		ret = st->counts->del(st->counts, t->txn, &key, 0);
		if (ret == DB_NOTFOUND)
			ret = 0;
	} else {
		data.data = s->s;
		data.size = (u_int32_t)s->len;
		ret = st->counts->put(st->counts, t->txn, &key, &data, 0);
	}
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: writing the state "
		    "of the statistics' facts"), STORE_COUNTS_FILE);
	return NCEN_OK;
}

/* Put (data non-NULL) or remove one entry of facts.db. */
static int
store_fact_write(struct store_txn *t, const struct buf *k,
    const struct buf *d, struct ncen_err *err)
{
	struct store	*st = t->st;
	DBT		 key, data;
	int		 ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k->s;
	key.size = (u_int32_t)k->len;
	if (d != NULL) {
		data.data = d->s;
		data.size = (u_int32_t)d->len;
		ret = st->facts->put(st->facts, t->txn, &key, &data, 0);
	} else if ((ret = st->facts->del(st->facts, t->txn, &key, 0)) ==
	    DB_NOTFOUND)
		ret = 0;
	if (ret != 0)
		return store_txn_dberr(t, ret, err, _("%s: writing a fact"),
		    STORE_FACTS_FILE);
	return NCEN_OK;
}

/*
 * Whether this transaction's changes must keep the facts: 1 yes, 0 no;
 * a state of another layout is removed (the facts are built again).
 */
static int
store_fact_keeping(struct store_txn *t, int *keep, struct ncen_err *err)
{
	struct buf	val = BUF_INIT;
	int		state, same, error;

	*keep = 0;
	error = store_fact_state(t, &val, &state, &same, err);
	buf_free(&val);
	if (error != NCEN_OK || state == 0)
		return error;
	if (!same)
		return store_fact_state_set(t, NULL, err);
	*keep = 1;
	return NCEN_OK;
}

/* Keep a record's row after its put, update, delete (rec NULL) or load. */
int
store_fact_change(struct store_txn *t, struct store_entity *e,
    const struct record *rec, uint64_t id, struct ncen_err *err)
{
	const struct store_fact_form	*ff;
	struct buf			 k = BUF_INIT, d = BUF_INIT;
	size_t				 i;
	int				 keep, error;

	if (!store_fact_has(t->st, e->form))
		return NCEN_OK;
	if ((error = store_fact_keeping(t, &keep, err)) != NCEN_OK || !keep)
		return error;
	/* Its wide row and its narrow one. */
	for (i = 0; i < STORE_FACT_NFORMS && error == NCEN_OK; i++) {
		if ((ff = &t->st->fact_forms[i])->form != e->form)
			continue;
		store_fact_key(&k, ff->kind, id);
		if (rec != NULL)
			store_fact_row(ff, rec, &d);
		error = store_fact_write(t, &k, rec != NULL ? &d : NULL, err);
	}
	buf_free(&k);
	buf_free(&d);
	return error;
}

/* Whether a links.db entry under a record is a case's link to a person. */
static int
store_fact_is_link(const struct store *st, const char *from, const char *to)
{
	return st->fact_forms[0].form != NULL &&
	    st->fact_forms[2].form != NULL &&
	    strcmp(from, st->fact_forms[0].form->name) == 0 &&
	    strcmp(to, st->fact_forms[2].form->name) == 0;
}

/* Keep the facts of a links.db entry added (add 1) or removed. */
int
store_fact_link(struct store_txn *t, const char *from, uint64_t fid,
    const char *to, uint64_t tid, const char *role, int add,
    struct ncen_err *err)
{
	struct buf	k = BUF_INIT, d = BUF_INIT;
	int		keep, error;

	if (!store_fact_is_link(t->st, from, to))
		return NCEN_OK;
	if ((error = store_fact_keeping(t, &keep, err)) != NCEN_OK || !keep)
		return error;
	store_fact_link_key(&k, fid, tid, role);
	error = store_fact_write(t, &k, add ? &d : NULL, err);
	buf_free(&k);
	return error;
}

/*
 * The passes of a build, in the order of their keys ('C', 'P', 'S', 'c',
 * 'l', 'p', 's'),
 * so that every row is put past the last one and pages fill up: an index
 * in fact_forms, or STORE_FACT_LINKS for the links of the cases.
 */
#define STORE_FACT_LINKS	STORE_FACT_NFORMS
static const size_t store_fact_passes[] = { 3, 5, 4, 0, STORE_FACT_LINKS, 2,
    1 };

/* Where a build is. */
struct store_fact_build {
	struct buf	 mine;		/* the B state it wrote */
	size_t		 form;		/* index in fact_forms */
	uint64_t	 last;		/* the last id done */
	uint64_t	 next;		/* the last id of the batch just read */
	int		 done, ready, other;
};

/* The first transaction of a build: write its B state, or see R. */
static int
store_fact_build_start(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_build	*b = arg;
	struct buf		 val = BUF_INIT;
	int			 state, same, error;

	b->ready = 0;
	if ((error = store_fact_state(t, &val, &state, &same, err)) ==
	    NCEN_OK) {
		if (state == 'R' && same)
			b->ready = 1;
		else
			error = store_fact_state_set(t, &b->mine, err);
	}
	buf_free(&val);
	return error;
}

/* Put the facts of a case's links to persons, as read in t. */
static int
store_fact_build_links(struct store_txn *t, uint64_t cid,
    struct ncen_err *err)
{
	struct store		*st = t->st;
	struct store_link	 l;
	struct buf		 lk = BUF_INIT, k = BUF_INIT, d = BUF_INIT;
	DBC			*c = NULL;
	DBT			 key, data;
	u_int32_t		 op = DB_SET;
	int			 ret, cret, error = NCEN_OK;

	store_link_key(&lk, st->fact_forms[0].form->name, cid);
	if ((ret = st->links->cursor(st->links, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
	for (;;) {
		memset(&key, 0, sizeof key);
		memset(&data, 0, sizeof data);
		key.data = lk.s;
		key.size = (u_int32_t)lk.len;
		ret = c->get(c, &key, &data, op);
		op = DB_NEXT_DUP;
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading "
			    "links"), STORE_LINKS_FILE);
			break;
		}
		if (!store_link_parse(data.data, data.size, &l))
			continue;
		if (store_fact_is_link(st, st->fact_forms[0].form->name,
		    l.entity)) {
			store_fact_link_key(&k, cid, l.id, l.role);
			error = store_fact_write(t, &k, &d, err);
		}
		free(l.role);
		free(l.entity);
		if (error != NCEN_OK)
			break;
	}
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
	buf_free(&lk);
	buf_free(&k);
	buf_free(&d);
	return error;
}

/* One batch of the links pass: the links of the next cases. */
static int
store_fact_build_lbatch(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_build	*b = arg;
	struct store		*st = t->st;
	struct buf		 start = BUF_INIT;
	DBC			*c = NULL;
	DBT			 key, data;
	uint64_t		 last = b->last, id;
	size_t			 n = 0, plen;
	int			 ret, cret, error = NCEN_OK;

	b->done = 0;
	store_link_key(&start, st->fact_forms[0].form->name, last + 1);
	plen = start.len - 8;
	if ((ret = st->links->cursor(st->links, t->txn, &c, 0)) != 0) {
		buf_free(&start);
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_LINKS_FILE);
	}
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = start.s;
	key.size = (u_int32_t)start.len;
	ret = last == UINT64_MAX ? DB_NOTFOUND : c->get(c, &key, &data,
	    DB_SET_RANGE);
	while (ret == 0 && n < STORE_FACT_BATCH) {
		if (key.size != plen + 8 || memcmp(key.data, start.s, plen) !=
		    0) {
			ret = DB_NOTFOUND;	/* past the cases' links */
			break;
		}
		id = buf_get_u64((const unsigned char *)key.data + plen);
		if ((error = store_fact_build_links(t, id, err)) != NCEN_OK)
			break;
		last = id;
		n++;
		memset(&data, 0, sizeof data);
		ret = c->get(c, &key, &data, DB_NEXT_NODUP);
	}
	if (error == NCEN_OK && ret != 0 && ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: reading links"),
		    STORE_LINKS_FILE);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_LINKS_FILE);
	buf_free(&start);
	if (error == NCEN_OK) {
		b->done = ret == DB_NOTFOUND;
		b->next = last;
	}
	return error;
}

/* One batch of a build: the next records of a form, their rows. */
static int
store_fact_build_batch(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_build		*b = arg;
	struct store			*st = t->st;
	const struct store_fact_form	*ff = &st->fact_forms[b->form];
	struct store_entity		*e;
	struct record			*r = NULL;
	struct buf			 k = BUF_INIT, d = BUF_INIT;
	unsigned char			 start[8];
	DBC				*c = NULL;
	DBT				 key, data;
	uint64_t			 last = b->last, id;
	size_t				 n = 0;
	int				 ret, cret, error = NCEN_OK;

	b->done = 0;
	if ((e = store_entity_find(st, ff->form->name, err)) == NULL)
		return NCEN_ENOTFOUND;
	if ((ret = e->db->cursor(e->db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"), e->file);
	store_id_key(start, last + 1);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = start;
	key.size = sizeof start;
	ret = last == UINT64_MAX ? DB_NOTFOUND : c->get(c, &key, &data,
	    DB_SET_RANGE);
	while (ret == 0 && n < STORE_FACT_BATCH) {
		if (key.size != 8) {
			error = ncen_err_set(err, NCEN_EPARSE, _("%s: a key of "
			    "%u bytes (ids have 8)"), e->file, key.size);
			break;
		}
		id = buf_get_u64(key.data);
		if ((error = record_decode(ff->form, id, data.data, data.size,
		    &r, err)) != NCEN_OK)
			break;
		store_fact_key(&k, ff->kind, id);
		store_fact_row(ff, r, &d);
		record_free(r);
		r = NULL;
		if ((error = store_fact_write(t, &k, &d, err)) != NCEN_OK)
			break;
		last = id;
		n++;
		memset(&key, 0, sizeof key);
		memset(&data, 0, sizeof data);
		ret = c->get(c, &key, &data, DB_NEXT);
	}
	if (error == NCEN_OK && ret != 0 && ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: reading"), e->file);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    e->file);
	buf_free(&k);
	buf_free(&d);
	if (error == NCEN_OK) {
		/* Moved on only once committed: see store_fact_build_run. */
		b->done = ret == DB_NOTFOUND;
		b->next = last;
	}
	return error;
}

/* The last transaction of a build: R if the state is still its own. */
static int
store_fact_build_end(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_build	*b = arg;
	struct buf		 val = BUF_INIT, r = BUF_INIT;
	int			 state, same, error;

	b->ready = b->other = 0;
	if ((error = store_fact_state(t, &val, &state, &same, err)) !=
	    NCEN_OK)
		goto out;
	if (state == 'R' && same)
		b->ready = 1;
	else if (val.len == b->mine.len && (val.len == 0 ||
	    memcmp(val.s, b->mine.s, val.len) == 0)) {
		buf_addc(&r, 'R');
		buf_addc(&r, ' ');
		buf_add(&r, t->st->fact_layout.s, t->st->fact_layout.len);
		if ((error = store_fact_state_set(t, &r, err)) == NCEN_OK)
			b->ready = 1;
	} else
		b->other = state == 'B' && same;
out:
	buf_free(&val);
	buf_free(&r);
	return error;
}

/* One batch of the clearing: remove the first entries left. */
static int
store_fact_clear_batch(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_build	*b = arg;
	DBC			*c = NULL;
	DBT			 key, data;
	size_t			 n = 0;
	int			 ret, cret, error = NCEN_OK;

	b->done = 0;
	if ((ret = t->st->facts->cursor(t->st->facts, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_FACTS_FILE);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	data.flags = DB_DBT_PARTIAL;	/* the keys are enough */
	while (n < STORE_FACT_BATCH * 4 &&
	    (ret = c->get(c, &key, &data, DB_NEXT | DB_RMW)) == 0) {
		if ((ret = c->del(c, 0)) != 0)
			break;
		n++;
	}
	if (ret == DB_NOTFOUND)
		b->done = 1;
	else if (ret != 0)
		error = store_txn_dberr(t, ret, err, _("%s: removing a fact"),
		    STORE_FACTS_FILE);
	if ((cret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    STORE_FACTS_FILE);
	return error;
}

/*
 * Build every row once, in batches.  What facts.db holds is removed
 * first: rows of another layout, and rows of records deleted while no
 * facts were kept (the state gone), which no pass would see.
 */
static int
store_fact_build_run(struct store *st, struct store_fact_build *b,
    struct ncen_err *err)
{
	size_t	i;
	int	error, links;

	do {
		if ((error = store_txn_run(st, store_fact_clear_batch, b, 0,
		    err)) != NCEN_OK)
			return error;
	} while (!b->done);
	for (i = 0; i < sizeof store_fact_passes /
	    sizeof store_fact_passes[0]; i++) {
		b->form = store_fact_passes[i];
		links = b->form == STORE_FACT_LINKS;
		if (links ? !store_fact_is_link(st, st->fact_forms[0].form ==
		    NULL ? "" : st->fact_forms[0].form->name,
		    st->fact_forms[2].form == NULL ? "" :
		    st->fact_forms[2].form->name) :
		    st->fact_forms[b->form].form == NULL)
			continue;
		b->last = 0;
		do {
			if ((error = store_txn_run(st, links ?
			    store_fact_build_lbatch : store_fact_build_batch,
			    b, 0, err)) != NCEN_OK)
				return error;
			b->last = b->next;
		} while (!b->done);
	}
	return NCEN_OK;
}

/* Make sure the facts are there and ready, building them if not. */
int
store_fact_ready(struct store *st, int *built, struct ncen_err *err)
{
	struct store_fact_build	b;
	struct timespec		ts;
	int			tries, error = NCEN_OK;

	*built = 0;
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_fact_ready: called "
		    "inside a transaction");
	memset(&b, 0, sizeof b);
	for (tries = 0; tries < STORE_FACT_TRIES; tries++) {
		clock_gettime(CLOCK_REALTIME, &ts);
		buf_reset(&b.mine);
		buf_addf(&b.mine, "B %ld.%ld.%ld ", (long)getpid(),
		    (long)ts.tv_sec, (long)ts.tv_nsec);
		buf_add(&b.mine, st->fact_layout.s, st->fact_layout.len);
		if ((error = store_txn_run(st, store_fact_build_start, &b, 0,
		    err)) != NCEN_OK || b.ready)
			break;
		*built = 1;
		if ((error = store_fact_build_run(st, &b, err)) != NCEN_OK ||
		    (error = store_txn_run(st, store_fact_build_end, &b, 0,
		    err)) != NCEN_OK || b.ready)
			break;
		/* Another build took over: its rows are right too; wait. */
		if (b.other)
			sleep(1);
	}
	if (error == NCEN_OK && !b.ready)
		error = ncen_err_set(err, NCEN_EBUSY, _("%s: the statistics' "
		    "facts are being rebuilt by another process; try again"),
		    STORE_FACTS_FILE);
	buf_free(&b.mine);
	return error;
}

/* What a facts walk passes through store_scan_db. */
struct store_fact_scan {
	store_raw_fn		 fn;
	store_links_raw_fn	 lfn;
	void			*arg;
	char			*person;	/* the person form's name */
	struct ncen_err		*err;
};

/* Hand one row to the caller's function. */
static int
store_fact_scan_fn(const void *k, size_t klen, const void *d, size_t dlen,
    void *arg)
{
	struct store_fact_scan	*s = arg;

	if (klen != 9)
		return ncen_err_set(s->err, NCEN_EPARSE, _("%s: a key of %zu "
		    "bytes (rows have 9)"), STORE_FACTS_FILE, klen);
	return s->fn(buf_get_u64((const unsigned char *)k + 1), d, dlen,
	    s->arg);
}

/* Every row of a form's facts, in id order (store_fact_ready first). */
int
store_fact_scan(struct store *st, const char *entity, int narrow,
    store_raw_fn fn, void *arg, struct ncen_err *err)
{
	const struct store_fact_form	*ff;
	struct store_fact_scan		 s;

	if ((ff = store_fact_find(st, entity, narrow)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no facts are "
		    "kept for %s"), STORE_FACTS_FILE, entity);
	memset(&s, 0, sizeof s);
	s.fn = fn;
	s.arg = arg;
	s.err = err;
	return store_scan_db(st, st->facts, STORE_FACTS_FILE, &ff->kind, 1, 0,
	    store_fact_scan_fn, &s, err);
}

/* Hand one link of a case to a person to the caller's function. */
static int
store_fact_scan_link_fn(const void *k, size_t klen, const void *d,
    size_t dlen, void *arg)
{
	struct store_fact_scan	*s = arg;
	const unsigned char	*p = k;
	struct store_link	 l;
	int			 r;

	(void)d;
	(void)dlen;
	if (klen < 1 + 8 + 8 + 1)
		return ncen_err_set(s->err, NCEN_EPARSE, _("%s: a link key of "
		    "%zu bytes"), STORE_FACTS_FILE, klen);
	memset(&l, 0, sizeof l);
	l.role = xstrndup((const char *)p + 17, klen - 17);
	l.entity = s->person;
	l.id = buf_get_u64(p + 9);
	r = s->lfn(buf_get_u64(p + 1), &l, s->arg);
	free(l.role);
	return r;
}

/* Every link of a case to a person, by case id (store_fact_ready first). */
int
store_fact_scan_links(struct store *st, store_links_raw_fn fn, void *arg,
    struct ncen_err *err)
{
	struct store_fact_scan	s;
	char			kind = STORE_FACT_LINK;
	int			error;

	if (st->fact_forms[2].form == NULL)
		return NCEN_OK;
	memset(&s, 0, sizeof s);
	s.lfn = fn;
	s.arg = arg;
	s.person = xstrdup(st->fact_forms[2].form->name);
	s.err = err;
	error = store_scan_db(st, st->facts, STORE_FACTS_FILE, &kind, 1, 0,
	    store_fact_scan_link_fn, &s, err);
	free(s.person);
	return error;
}

/* The column of a form's facts (wide or narrow) holding a field, or -1. */
int
store_fact_col(const struct store *st, const char *entity, int narrow,
    const char *field)
{
	const struct store_fact_form	*ff;
	size_t				 j;

	if ((ff = store_fact_find(st, entity, narrow)) == NULL)
		return -1;
	for (j = 0; j < ff->ncols; j++)
		if (strcmp(ff->form->fields[ff->cols[j]].name, field) == 0)
			return (int)j;
	return -1;
}

/* The number of columns of a form's facts (0: none kept). */
size_t
store_fact_ncols(const struct store *st, const char *entity, int narrow)
{
	const struct store_fact_form	*ff;

	return (ff = store_fact_find(st, entity, narrow)) == NULL ? 0 :
	    ff->ncols;
}

/* Parse a row's first ncols columns (values point into the row). */
int
store_fact_view_parse(struct store_fact_view *v, size_t ncols,
    const void *data, size_t size)
{
	const unsigned char	*p = data, *end = p + size;
	uint64_t		 n, len, j;
	size_t			 i;

	if (v->capcols < ncols + 1) {
		v->capcols = ncols + 1;
		v->first = xreallocarray(v->first, v->capcols,
		    sizeof *v->first);
	}
	v->ncols = ncols;
	v->nvals = 0;
	for (i = 0; i < ncols; i++) {
		v->first[i] = (uint32_t)v->nvals;
		if (!store_fact_getvar(&p, end, &n) || n > size)
			return NCEN_EPARSE;
		for (j = 0; j < n; j++) {
			if (!store_fact_getvar(&p, end, &len) ||
			    len > (uint64_t)(end - p))
				return NCEN_EPARSE;
			if (v->nvals == v->cap) {
				v->cap = v->cap == 0 ? 64 : v->cap * 2;
				v->s = xreallocarray(v->s, v->cap,
				    sizeof *v->s);
				v->len = xreallocarray(v->len, v->cap,
				    sizeof *v->len);
			}
			v->s[v->nvals] = (const char *)p;
			v->len[v->nvals] = (size_t)len;
			v->nvals++;
			p += len;
		}
	}
	v->first[ncols] = (uint32_t)v->nvals;
	return NCEN_OK;
}

/* Release a view's arrays. */
void
store_fact_view_free(struct store_fact_view *v)
{
	free(v->first);
	free(v->s);
	free(v->len);
	memset(v, 0, sizeof *v);
}

/* What verifying the facts walks with. */
struct store_fact_check {
	struct store			*st;
	const struct store_fact_form	*ff;
	struct buf			*report;
	size_t				*problems;
	struct buf			 k, want, have;
	uint64_t			 n;
	struct ncen_err			*err;
};

/* Read one entry of facts.db outside a transaction: 1, 0, or -error. */
static int
store_fact_get(struct store *st, const struct buf *k, struct buf *d,
    struct ncen_err *err)
{
	DBT	key, data;
	int	ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k->s;
	key.size = (u_int32_t)k->len;
	data.flags = DB_DBT_MALLOC;
	store_watch_enter();
	ret = st->facts->get(st->facts, NULL, &key, &data, 0);
	store_watch_leave();
	if (ret == DB_NOTFOUND)
		return 0;
	if (ret != 0)
		return -store_dberr(st, ret, err, _("%s: reading a fact"),
		    STORE_FACTS_FILE);
	buf_reset(d);
	buf_add(d, data.data, data.size);
	free(data.data);
	return 1;
}

/* Check one record's row against the record (store_raw_fn). */
static int
store_fact_check_rec(uint64_t id, const void *data, size_t size, void *arg)
{
	struct store_fact_check	*c = arg;
	struct record		*r = NULL;
	int			 error, got;

	if ((error = record_decode(c->ff->form, id, data, size, &r,
	    c->err)) != NCEN_OK)
		return error;
	store_fact_row(c->ff, r, &c->want);
	record_free(r);
	store_fact_key(&c->k, c->ff->kind, id);
	c->n++;
	if ((got = store_fact_get(c->st, &c->k, &c->have, c->err)) < 0)
		return -got;
	if (got == 0 || c->have.len != c->want.len || memcmp(c->have.s,
	    c->want.s, c->want.len) != 0) {
		buf_addf(c->report, "problem: %s: %s %llu: %s%s\n",
		    STORE_FACTS_FILE, c->ff->form->name,
		    (unsigned long long)id, got == 0 ? "no fact row" :
		    "the fact row differs from the record", c->ff->narrow ?
		    " (narrow)" : "");
		(*c->problems)++;
	}
	return NCEN_OK;
}

/* Check one link's fact (store_links_raw_fn). */
static int
store_fact_check_link(uint64_t id, const struct store_link *l, void *arg)
{
	struct store_fact_check	*c = arg;
	int			 got;

	if (!store_fact_is_link(c->st, c->st->fact_forms[0].form->name,
	    l->entity))
		return NCEN_OK;
	store_fact_link_key(&c->k, id, l->id, l->role);
	/* A link both ways with one role has one fact: count it once. */
	if ((got = store_fact_get(c->st, &c->k, &c->have, c->err)) < 0)
		return -got;
	if (got == 0) {
		buf_addf(c->report, "problem: %s: %s %llu: no fact of its "
		    "link to %s %llu as %s\n", STORE_FACTS_FILE,
		    c->st->fact_forms[0].form->name, (unsigned long long)id,
		    l->entity, (unsigned long long)l->id, l->role);
		(*c->problems)++;
	}
	return NCEN_OK;
}

/* Collect the distinct link facts a case's links.db entries need. */
static int
store_fact_count_link(uint64_t id, const struct store_link *l, void *arg)
{
	struct store_fact_check	*c = arg;

	if (!store_fact_is_link(c->st, c->st->fact_forms[0].form->name,
	    l->entity))
		return NCEN_OK;
	store_fact_link_key(&c->k, id, l->id, l->role);
	buf_add_u32(&c->want, (uint32_t)c->k.len);
	buf_add(&c->want, c->k.s, c->k.len);
	return NCEN_OK;
}

/* Count the rows of one kind (store_raw_fn). */
static int
store_fact_count_row(uint64_t id, const void *data, size_t size, void *arg)
{
	(void)id;
	(void)data;
	(void)size;
	(*(uint64_t *)arg)++;
	return NCEN_OK;
}

/* Count the link facts (store_links_raw_fn). */
static int
store_fact_count_lrow(uint64_t id, const struct store_link *l, void *arg)
{
	(void)id;
	(void)l;
	(*(uint64_t *)arg)++;
	return NCEN_OK;
}

/* Order link keys held as length-prefixed entries (qsort). */
static int
store_fact_keycmp(const void *a, const void *b)
{
	const struct buf	*x = a, *y = b;
	size_t			 n = x->len < y->len ? x->len : y->len;
	int			 c = memcmp(x->s, y->s, n);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

/* Distinct links a walk of links.db needs facts for. */
static uint64_t
store_fact_distinct(struct buf *all)
{
	struct buf	*v = NULL;
	size_t		 n = 0, cap = 0, off = 0, i;
	uint64_t	 d = 0;
	uint32_t	 len;

	while (off + 4 <= all->len) {
		len = buf_get_u32((const unsigned char *)all->s + off);
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].s = all->s + off + 4;
		v[n].len = len;
		n++;
		off += 4 + len;
	}
	if (n > 1)
		qsort(v, n, sizeof *v, store_fact_keycmp);
	for (i = 0; i < n; i++)
		if (i == 0 || store_fact_keycmp(&v[i - 1], &v[i]) != 0)
			d++;
	free(v);
	return d;
}

/*
 * Verify the facts: every record's row and every case's person links,
 * and no row or link fact more than that.  Run while nobody writes.
 */
int
store_fact_verify(struct store *st, struct buf *report, size_t *problems,
    struct ncen_err *err)
{
	struct store_fact_check	 c;
	struct buf		 val = BUF_INIT;
	uint64_t		 rows, want;
	size_t			 i;
	int			 state = 0, same = 0, error = NCEN_OK;

	if ((error = store_fact_peek(st, &val, &state, &same, err)) != NCEN_OK)
		goto out;
	if (state != 'R' || !same) {
		buf_addf(report, _("%s: no facts kept yet (made by the first "
		    "statistics query)\n"), STORE_FACTS_FILE);
		goto out;
	}
	memset(&c, 0, sizeof c);
	c.st = st;
	c.report = report;
	c.problems = problems;
	c.err = err;
	for (i = 0; i < STORE_FACT_NFORMS && error == NCEN_OK; i++) {
		if ((c.ff = &st->fact_forms[i])->form == NULL)
			continue;
		c.n = 0;
		rows = 0;
		if ((error = store_scan_raw(st, c.ff->form->name,
		    store_fact_check_rec, &c, err)) != NCEN_OK ||
		    (error = store_fact_scan(st, c.ff->form->name,
		    c.ff->narrow, store_fact_count_row, &rows, err)) !=
		    NCEN_OK)
			break;
		if (rows != c.n) {
			buf_addf(report, "problem: %s: %llu %s%s rows for %llu "
			    "records\n", STORE_FACTS_FILE,
			    (unsigned long long)rows, c.ff->narrow ?
			    "narrow " : "", c.ff->form->name,
			    (unsigned long long)c.n);
			(*problems)++;
		}
		buf_addf(report, c.ff->narrow ? _("%s: %llu narrow %s rows "
		    "checked\n") : _("%s: %llu %s rows checked\n"),
		    STORE_FACTS_FILE, (unsigned long long)c.n,
		    c.ff->form->name);
	}
	if (error == NCEN_OK && st->fact_forms[0].form != NULL &&
	    st->fact_forms[2].form != NULL) {
		buf_reset(&c.want);
		rows = 0;
		if ((error = store_scan_links(st, st->fact_forms[0].form->name,
		    store_fact_check_link, &c, err)) == NCEN_OK &&
		    (error = store_scan_links(st,
		    st->fact_forms[0].form->name, store_fact_count_link, &c,
		    err)) == NCEN_OK &&
		    (error = store_fact_scan_links(st, store_fact_count_lrow,
		    &rows, err)) == NCEN_OK) {
			want = store_fact_distinct(&c.want);
			if (rows != want) {
				buf_addf(report, "problem: %s: %llu link facts "
				    "for %llu links of cases to persons\n",
				    STORE_FACTS_FILE, (unsigned long long)rows,
				    (unsigned long long)want);
				(*problems)++;
			}
			buf_addf(report, _("%s: %llu link facts checked\n"),
			    STORE_FACTS_FILE, (unsigned long long)want);
		}
	}
	buf_free(&c.k);
	buf_free(&c.want);
	buf_free(&c.have);
out:
	buf_free(&val);
	return error;
}

/* Read the state in its own read-only transaction. */
struct store_fact_peek_arg {
	struct buf	*val;
	int		*state, *same;
};

/* store_txn_run's fn for store_fact_peek. */
static int
store_fact_peek_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_fact_peek_arg	*a = arg;

	return store_fact_state(t, a->val, a->state, a->same, err);
}

/* The state of the facts: 0 none, 'B' being built, 'R' ready. */
int
store_fact_peek(struct store *st, struct buf *val, int *state, int *same,
    struct ncen_err *err)
{
	struct store_fact_peek_arg	a;

	a.val = val;
	a.state = state;
	a.same = same;
	return store_txn_run(st, store_fact_peek_fn, &a, 1, err);
}

/* Forget the state (facts.db was just made): they are built again. */
static int
store_fact_forget_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	(void)arg;
	return store_fact_state_set(t, NULL, err);
}

/* At open, when facts.db did not exist: no state may claim rows. */
int
store_fact_forget(struct store *st, struct ncen_err *err)
{
	return store_txn_run(st, store_fact_forget_fn, NULL, 0, err);
}
