/*
 * store-search.c - each form's search index: NAME.search.idx, a btree
 * DB_DUPSORT kept by DB->associate like the field indices, whose keys
 * are tagged tokens made by match.h from the fields the form marks
 * `search`, each -> 8-byte big-endian id:
 *
 *	'w' word	a name's word in Latin letters ("kuznetsov")
 *	's' skeleton	the skeleton of 1 to 3 adjacent words ("ksnsv")
 *	'n' number	a number field without separators ("ab123456"),
 *			and each of its words of 4 or more characters
 *	'd' date	a date field, YYYY-MM-DD
 *	"\0" (alone)	while the index is being built: the next id to
 *			index (see below); absent once it is complete
 *
 * Building.  A new search index (new data directory, new forms, or an
 * upgrade from a release without it) is made empty with its "\0" entry
 * in one transaction, associated at once (so changes from then on keep
 * it), then filled from the primary in batches of STORE_SEARCH_BATCH
 * records, each batch a short transaction that moves the "\0" entry on:
 * other writers wait for one batch at most, and a crash loses at most
 * the batch in flight (the next open goes on from the "\0" entry).
 * While it is built, the index holds exactly the keys of the records
 * below the "\0" id: a change reads that id in its own transaction
 * (store_search_prepare, so the builder's next batch waits for it) and
 * the callback leaves out records at or above it, which the builder
 * indexes when it gets there.  Searches answer NCEN_EBUSY meanwhile.
 */
#include <db.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "match.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_SEARCH_BATCH	500	/* records per build transaction */
#define STORE_SEARCH_SUFFIX	".search.idx"
#define STORE_SEARCH_NUMWORD	4	/* shortest word of a number keyed */

static store_progress_fn	 store_search_progress_fn;
static void			*store_search_progress_arg;

/* Who hears how a build goes (the program: a line on a terminal). */
void
store_set_progress(store_progress_fn fn, void *arg)
{
	store_search_progress_fn = fn;
	store_search_progress_arg = arg;
}

/* The file of a form's search index. */
char *
store_search_file(const char *form)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%s%s", form, STORE_SEARCH_SUFFIX);
	return buf_detach(&b);
}

/* Add one tagged key. */
static void
store_search_add(store_search_key_fn fn, void *arg, int tag, const char *s,
    size_t len)
{
	struct buf	k = BUF_INIT;

	if (len == 0)
		return;
	buf_addc(&k, tag);
	buf_add(&k, s, len > MATCH_WORD_MAX ? MATCH_WORD_MAX : len);
	fn(k.s, k.len, arg);
	buf_free(&k);
}

/* The keys of a name: its Latin words, the skeletons of 1-3 of them. */
static void
store_search_name(const char *v, size_t len, store_search_key_fn fn,
    void *arg)
{
	struct buf	 lat = BUF_INIT, join = BUF_INIT, sk = BUF_INIT;
	const char	*w[MATCH_WORDS_MAX];
	size_t		 wl[MATCH_WORDS_MAX], n = 0, i, j;
	char		*p, *end;

	if (match_latin(v, len, &lat, NULL) != NCEN_OK || lat.len == 0)
		goto out;
	for (p = lat.s, end = lat.s + lat.len; p != NULL && p < end &&
	    n < MATCH_WORDS_MAX;) {
		w[n] = p;
		p = memchr(p, ' ', (size_t)(end - p));
		wl[n] = (p == NULL ? (size_t)(end - w[n]) : (size_t)(p - w[n]));
		if (p != NULL)
			p++;
		n++;
	}
	for (i = 0; i < n; i++) {
		store_search_add(fn, arg, 'w', w[i], wl[i]);
		buf_reset(&join);
		for (j = i; j < n && j < i + MATCH_JOIN_MAX; j++) {
			buf_add(&join, w[j], wl[j]);
			buf_reset(&sk);
			match_skeleton(join.s, join.len, &sk);
			store_search_add(fn, arg, 's', sk.s, sk.len);
		}
	}
out:
	buf_free(&lat);
	buf_free(&join);
	buf_free(&sk);
}

/* The keys of a number: all of it compact, and each long word of it. */
static void
store_search_number(const char *v, size_t len, store_search_key_fn fn,
    void *arg)
{
	struct buf	 c = BUF_INIT;
	size_t		 i, start;

	if (match_compact(v, len, &c, NULL) != NCEN_OK) {
		buf_free(&c);
		return;
	}
	store_search_add(fn, arg, 'n', c.s, c.len);
	/* "P 12AB3456 FR": the number alone is found too. */
	for (i = 0, start = 0; i <= len; i++) {
		if (i < len && v[i] != ' ' && v[i] != ',' && v[i] != ';' &&
		    v[i] != '/' && v[i] != ':')
			continue;
		if (i - start >= STORE_SEARCH_NUMWORD && (start != 0 ||
		    i != len)) {
			buf_reset(&c);
			if (match_compact(v + start, i - start, &c, NULL) ==
			    NCEN_OK && c.len >= STORE_SEARCH_NUMWORD)
				store_search_add(fn, arg, 'n', c.s, c.len);
		}
		start = i + 1;
	}
	buf_free(&c);
}

/* Call fn on each key of one value of a field searched as kind. */
void
store_search_value_keys(enum schema_search kind, const char *v, size_t len,
    store_search_key_fn fn, void *arg)
{
	char	iso[11];

	switch (kind) {
	case SCHEMA_SEARCH_NAME:
	case SCHEMA_SEARCH_ALIAS:
		store_search_name(v, len, fn, arg);
		break;
	case SCHEMA_SEARCH_NUMBER:
		store_search_number(v, len, fn, arg);
		break;
	case SCHEMA_SEARCH_DATE:
		if (match_date(v, len, iso))
			store_search_add(fn, arg, 'd', iso, 10);
		break;
	default:
		break;
	}
}

/* Where keys of a record go, and which field's values come. */
struct store_search_ctx {
	struct store_keys		*keys;
	const struct schema_field	*field;
};

/* Keep one key. */
static void
store_search_keep(const char *k, size_t len, void *arg)
{
	struct store_keys	*keys = arg;
	struct buf		 b = BUF_INIT;

	buf_add(&b, k, len);
	keys->k = xreallocarray(keys->k, keys->n + 1, sizeof *keys->k);
	keys->k[keys->n++] = b;
}

/* One value of a searched field (record_view_field callback). */
static void
store_search_field(const char *v, size_t len, void *arg)
{
	struct store_search_ctx	*ctx = arg;

	if (len != 0 && match_utf8(v, len))
		store_search_value_keys(ctx->field->search, v, len,
		    store_search_keep, ctx->keys);
}

/* The search keys of stored record bytes, sorted, each once. */
void
store_search_keys(const struct schema_form *form, struct record_view *view,
    const void *data, size_t size, struct store_keys *keys)
{
	struct record_view	 own;
	struct store_search_ctx	 ctx;
	size_t			 i;

	keys->k = NULL;
	keys->n = 0;
	memset(&own, 0, sizeof own);
	if (view == NULL)
		view = &own;
	if (record_view_parse(view, data, size) == NCEN_OK) {
		ctx.keys = keys;
		for (i = 0; i < form->nfields; i++) {
			if (form->fields[i].search == SCHEMA_SEARCH_NONE)
				continue;
			ctx.field = &form->fields[i];
			record_view_field(view, form->fields[i].name,
			    store_search_field, &ctx);
		}
		store_keys_unique(keys);
	}
	record_view_free(&own);
}

/* Secondary callback: the search keys of a record, if indexed yet. */
static int
store_search_cb(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *result)
{
	struct store_index	*ix = sdb->app_private;
	struct store_keys	 keys;
	DBT			*multi;
	size_t			 i;

	if (ix->building && (pkey->size != 8 ||
	    buf_get_u64(pkey->data) >= ix->upto))
		return DB_DONOTINDEX;	/* the builder comes to it */
	store_search_keys(ix->form, ix->view, pdata->data, pdata->size,
	    &keys);
	if (keys.n == 0) {
		store_keys_free(&keys);
		return DB_DONOTINDEX;
	}
	memset(result, 0, sizeof *result);
	multi = xcalloc(keys.n, sizeof *multi);
	for (i = 0; i < keys.n; i++) {
		multi[i].size = (u_int32_t)keys.k[i].len;
		multi[i].data = buf_detach(&keys.k[i]);
		multi[i].flags = DB_DBT_APPMALLOC;
	}
	result->data = multi;
	result->size = (u_int32_t)keys.n;
	result->flags = DB_DBT_MULTIPLE | DB_DBT_APPMALLOC;
	store_keys_free(&keys);
	return 0;
}

/* Read the "\0" entry: 1 and *next while building, 0 when complete. */
static int
store_search_mark(DB *raw, DB_TXN *txn, u_int32_t flags, uint64_t *next,
    int *ret)
{
	unsigned char	z = 0;
	DBT		key, data;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = &z;
	key.size = 1;
	data.flags = DB_DBT_MALLOC;
	*ret = raw->get(raw, txn, &key, &data, flags);
	if (*ret == DB_NOTFOUND) {
		*ret = 0;
		return 0;
	}
	if (*ret != 0)
		return 0;
	*next = data.size == 8 ? buf_get_u64(data.data) : 0;
	free(data.data);
	return 1;
}

/* Write (or with done, remove) the "\0" entry. */
static int
store_search_mark_set(DB *raw, DB_TXN *txn, uint64_t next, int done)
{
	unsigned char	z = 0, k[8];
	DBT		key, data;
	int		ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = &z;
	key.size = 1;
	/* Remove the old entry: duplicates are sorted by id. */
	ret = raw->del(raw, txn, &key, 0);
	if (ret != 0 && ret != DB_NOTFOUND)
		return ret;
	if (done)
		return 0;
	store_id_key(k, next);
	data.data = k;
	data.size = 8;
	return raw->put(raw, txn, &key, &data, 0);
}

/*
 * Before a change of one of a form's records: while its search index is
 * built, read how far inside the change's transaction (the callback
 * needs it, and the builder's next batch waits for this transaction).
 */
int
store_search_prepare(struct store_txn *t, struct store_entity *e,
    struct ncen_err *err)
{
	struct store_index	*ix = e->search;
	uint64_t		 next = 0;
	int			 ret;

	if (ix == NULL || !ix->building)
		return NCEN_OK;
	if (!store_search_mark(ix->raw, t->txn, 0, &next, &ret)) {
		if (ret != 0)
			return store_txn_dberr(t, ret, err, _("%s: reading "
			    "how far it is built"), ix->file);
		ix->building = 0;
		ix->upto = UINT64_MAX;
		return NCEN_OK;
	}
	ix->upto = next;
	return NCEN_OK;
}

/* What one build batch needs and tells. */
struct store_search_batch {
	struct store_entity	*e;
	size_t			 done;		/* records indexed */
	int			 complete;
};

/* Index the next batch of records and move the "\0" entry on. */
static int
store_search_batch_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_search_batch	*b = arg;
	struct store_entity		*e = b->e;
	struct store_index		*ix = e->search;
	struct store_keys		 keys;
	unsigned char			 k[8];
	DBC				*c = NULL;
	DBT				 key, data, sk;
	uint64_t			 next = 0, id = 0;
	size_t				 n = 0, i;
	int				 ret, error = NCEN_OK;

	b->done = 0;
	b->complete = 0;
	if (!store_search_mark(ix->raw, t->txn, DB_RMW, &next, &ret)) {
		if (ret != 0)
			return store_txn_dberr(t, ret, err, _("%s: reading "
			    "how far it is built"), ix->file);
		b->complete = 1;	/* another process finished it */
		return NCEN_OK;
	}
	if ((ret = e->db->cursor(e->db, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, "%s: cursor", e->file);
	store_id_key(k, next);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = 8;
	key.ulen = 8;
	key.flags = DB_DBT_USERMEM;
	ret = c->get(c, &key, &data, DB_SET_RANGE);
	while (ret == 0 && n < STORE_SEARCH_BATCH) {
		if (key.size == 8) {
			id = buf_get_u64(key.data);
			store_search_keys(e->form, NULL, data.data, data.size,
			    &keys);
			for (i = 0; i < keys.n && ret == 0; i++) {
				memset(&sk, 0, sizeof sk);
				sk.data = keys.k[i].s;
				sk.size = (u_int32_t)keys.k[i].len;
				ret = ix->raw->put(ix->raw, t->txn, &sk, &key,
				    0);
			}
			store_keys_free(&keys);
			if (ret != 0)
				break;
			n++;
		}
		ret = c->get(c, &key, &data, DB_NEXT);
	}
	if (ret != 0 && ret != DB_NOTFOUND) {
		error = store_txn_dberr(t, ret, err, _("%s: building it from "
		    "%s"), ix->file, e->file);
		goto out;
	}
	b->complete = ret == DB_NOTFOUND;
	if ((ret = store_search_mark_set(ix->raw, t->txn, id + 1,
	    b->complete)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: noting how far it "
		    "is built"), ix->file);
		goto out;
	}
	b->done = n;
out:
	if ((ret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, ret, err, "%s: cursor close",
		    e->file);
	return error;
}

/* Fill a form's search index in batches until it is complete. */
static int
store_search_build(struct store *st, struct store_entity *e,
    struct ncen_err *err)
{
	struct store_search_batch	 b;
	uint64_t			 total = 0, done = 0;
	int				 error;

	if (store_count(st, e->form->name, &total, NULL) != NCEN_OK)
		total = 0;
	memset(&b, 0, sizeof b);
	b.e = e;
	do {
		if ((error = store_txn_run(st, store_search_batch_fn, &b, 0,
		    err)) != NCEN_OK)
			return error;
		done += b.done;
		if (store_search_progress_fn != NULL)
			store_search_progress_fn(e->search->file, done,
			    total < done ? done : total, b.complete,
			    store_search_progress_arg);
	} while (!b.complete);
	e->search->building = 0;
	e->search->upto = UINT64_MAX;
	return NCEN_OK;
}

/* Make a new search index: empty but for its "\0" entry, in one txn. */
static int
store_search_create(struct store *st, struct store_index *ix,
    struct ncen_err *err)
{
	DB_TXN	*txn = NULL;
	DB	*db = NULL;
	int	 ret, error;

	store_watch_enter();
	if ((ret = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0) {
		error = store_dberr(st, ret, err, _("%s: beginning a "
		    "transaction"), ix->file);
		goto out;
	}
	if ((error = store_env_db_open(st, txn, &db, ix->file, DB_DUPSORT,
	    STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto out;
	if ((ret = store_search_mark_set(db, txn, 0, 0)) != 0) {
		error = store_dberr(st, ret, err, _("%s: noting how far it is "
		    "built"), ix->file);
		goto out;
	}
	ret = db->close(db, 0);
	db = NULL;
	if (ret != 0) {
		error = store_dberr(st, ret, err, _("%s: close"), ix->file);
		goto out;
	}
	ret = txn->commit(txn, 0);
	txn = NULL;
	if (ret != 0)
		error = store_dberr(st, ret, err, _("%s: committing it"),
		    ix->file);
out:
	if (db != NULL)
		(void)db->close(db, 0);
	if (txn != NULL)
		(void)txn->abort(txn);
	store_watch_leave();
	return error;
}

/*
 * Open a form's search index (making it when absent) and associate it;
 * whether it is still being built is read, not acted on (store_open
 * builds, store_search_finish).
 */
int
store_search_open(struct store *st, struct store_entity *e,
    struct ncen_err *err)
{
	struct store_index	*ix = e->search;
	uint64_t		 next = 0;
	int			 ret, error;

	if (ix == NULL)
		return NCEN_OK;
	if (!store_env_exists(st, ix->file) &&
	    (error = store_search_create(st, ix, err)) != NCEN_OK)
		return error;
	store_watch_enter();
	if ((error = store_env_db_open(st, NULL, &ix->db, ix->file,
	    DB_DUPSORT, STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto out;
	ix->db->app_private = ix;
	/* Built from the "\0" entry on, never here: no DB_CREATE. */
	ix->building = 1;
	ix->upto = 0;
	if ((ret = e->db->associate(e->db, NULL, ix->db, store_search_cb,
	    0)) != 0) {
		error = store_dberr(st, ret, err, _("%s: associating it with "
		    "%s"), ix->file, e->file);
		goto out;
	}
	if ((error = store_env_db_open(st, NULL, &ix->raw, ix->file,
	    DB_DUPSORT, STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto out;
	if (!store_search_mark(ix->raw, NULL, 0, &next, &ret)) {
		if (ret != 0) {
			error = store_dberr(st, ret, err, _("%s: reading how "
			    "far it is built"), ix->file);
			goto out;
		}
		ix->building = 0;
		ix->upto = UINT64_MAX;
	} else
		ix->upto = next;
	error = NCEN_OK;
out:
	if (error != NCEN_OK && ix->db != NULL) {
		(void)ix->db->close(ix->db, 0);
		ix->db = NULL;
	}
	store_watch_leave();
	return error;
}

/* Build every search index that is not complete (at store_open). */
int
store_search_finish(struct store *st, struct ncen_err *err)
{
	size_t	i;
	int	error;

	for (i = 0; i < st->nents; i++)
		if (st->ents[i].search != NULL &&
		    st->ents[i].search->building &&
		    (error = store_search_build(st, &st->ents[i], err)) !=
		    NCEN_OK)
			return error;
	return NCEN_OK;
}

/* What a read of one key or prefix needs. */
struct store_search_read {
	struct store_entity	*e;
	const void		*key;
	size_t			 len;
	int			 prefix;
	size_t			 max;
	struct store_search_ids	*out;
};

/* Read the ids under a key (or every key it starts) into out. */
static int
store_search_read_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_search_read	*r = arg;
	struct store_index		*ix = r->e->search;
	struct store_search_ids		*out = r->out;
	DBC				*c = NULL;
	DBT				 key, data;
	u_int32_t			 op;
	int				 ret, error = NCEN_OK;

	out->n = 0;
	out->more = 0;
	if ((ret = ix->raw->cursor(ix->raw, t->txn, &c, 0)) != 0)
		return store_txn_dberr(t, ret, err, "%s: cursor", ix->file);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = (void *)(uintptr_t)r->key;
	key.size = (u_int32_t)r->len;
	op = r->prefix ? DB_SET_RANGE : DB_SET;
	for (ret = c->get(c, &key, &data, op); ret == 0;
	    ret = c->get(c, &key, &data, r->prefix ? DB_NEXT : DB_NEXT_DUP)) {
		if (r->prefix && (key.size < r->len ||
		    memcmp(key.data, r->key, r->len) != 0))
			break;
		if (data.size != 8)
			continue;
		if (out->n == r->max) {
			out->more = 1;
			break;
		}
		if (out->n == out->cap) {
			out->cap = out->cap == 0 ? 256 : out->cap * 2;
			out->ids = xreallocarray(out->ids, out->cap,
			    sizeof *out->ids);
		}
		out->ids[out->n++] = buf_get_u64(data.data);
	}
	if (ret != 0 && ret != DB_NOTFOUND && out->more == 0)
		error = store_txn_dberr(t, ret, err, _("%s: reading"),
		    ix->file);
	if ((ret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, ret, err, "%s: cursor close",
		    ix->file);
	return error;
}

/* The ids under one search key, or under every key it starts. */
int
store_search_ids(struct store *st, const char *entity, const void *key,
    size_t len, int prefix, size_t max, struct store_search_ids *out,
    struct ncen_err *err)
{
	struct store_search_read	 r;
	struct store_entity		*e;

	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if (e->search == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: the form has "
		    "no searched fields"), entity);
	if (len == 0 || *(const char *)key == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, "store_search_ids: "
		    "no key");
	r.e = e;
	r.key = key;
	r.len = len;
	r.prefix = prefix;
	r.max = max;
	r.out = out;
	return store_txn_run(st, store_search_read_fn, &r, 1, err);
}

/* NCEN_OK when a form's search index is complete, else NCEN_EBUSY. */
int
store_search_ready(struct store *st, const char *entity,
    struct ncen_err *err)
{
	struct store_entity	*e;
	struct store_index	*ix;
	uint64_t		 next = 0;
	int			 ret, error = NCEN_OK;

	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	if ((ix = e->search) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: the form has "
		    "no searched fields"), entity);
	if (!ix->building)
		return NCEN_OK;
	if (st->env == NULL && (error = store_env_reopen(st, err)) !=
	    NCEN_OK)
		return error;
	store_watch_enter();
	if (store_search_mark(ix->raw, NULL, 0, &next, &ret))
		error = ncen_err_set(err, NCEN_EBUSY, _("%s: the search index "
		    "is being built (records from id %llu on are not in it "
		    "yet); try again in a moment"), entity,
		    (unsigned long long)next);
	else if (ret != 0)
		error = store_dberr(st, ret, err, _("%s: reading how far it "
		    "is built"), ix->file);
	else {
		ix->building = 0;
		ix->upto = UINT64_MAX;
	}
	store_watch_leave();
	return error;
}

/* Release the ids of store_search_ids. */
void
store_search_ids_free(struct store_search_ids *ids)
{
	free(ids->ids);
	memset(ids, 0, sizeof *ids);
}

/* Whether a form has a search index (it marks fields `search`). */
int
store_search_has(struct store *st, const char *entity)
{
	struct store_entity	*e;

	return (e = store_entity_find(st, entity, NULL)) != NULL &&
	    e->search != NULL;
}
