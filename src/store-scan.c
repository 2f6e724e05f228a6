/*
 * store-scan.c - whole-database walks for statistics: every record of a
 * form as stored bytes, and every link of a form's records, read with
 * Berkeley DB's bulk gets (DB_MULTIPLE_KEY) in short read-committed
 * transactions of STORE_SCAN_CHUNK entries, so that a walk over a
 * million cases neither decodes what it does not need nor holds locks
 * or the watchdog for long.  Each chunk is copied out and handed to the
 * callback outside any transaction.
 */
#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_SCAN_CHUNK	20000		/* entries per transaction */
#define STORE_SCAN_BULK		(1024 * 1024)	/* bytes per bulk get */

/* One chunk of a walk: entries copied out of the database. */
struct store_scan_chunk {
	DB		*db;
	const char	*file;
	struct buf	 start;		/* where a chunk positions itself */
	struct buf	 prefix;	/* keys must start with it ("" any) */
	struct buf	 lastkey;	/* the last entry read: the next */
	struct buf	 lastdata;	/* chunk starts after it */
	int		 dups;		/* links.db: duplicates are entries */
	struct buf	 out;		/* klen(4) key dlen(4) data ... */
	size_t		 n;
	size_t		 lastoff;	/* where out's last entry starts */
	int		 done;
	int		 past;		/* this chunk kept an entry: the
					   next ones follow it in order */
	void		*bulk;
};

/* Append one entry to a chunk's copy. */
static void
store_scan_keep(struct store_scan_chunk *c, const void *k, u_int32_t klen,
    const void *d, u_int32_t dlen)
{
	c->lastoff = c->out.len;
	buf_add_u32(&c->out, klen);
	buf_add(&c->out, k, klen);
	buf_add_u32(&c->out, dlen);
	buf_add(&c->out, d, dlen);
	c->n++;
}

/* After a chunk: the next one starts after its last entry. */
static void
store_scan_mark(struct store_scan_chunk *c)
{
	const unsigned char	*p = (const unsigned char *)c->out.s +
				    c->lastoff;
	uint32_t		 klen, dlen;

	if (c->n == 0)
		return;
	klen = buf_get_u32(p);
	dlen = buf_get_u32(p + 4 + klen);
	buf_reset(&c->lastkey);
	buf_add(&c->lastkey, p + 4, klen);
	buf_reset(&c->lastdata);
	buf_add(&c->lastdata, p + 8 + klen, dlen);
}

/* Berkeley DB's default order of keys and of duplicates: bytes, then length. */
static int
store_scan_cmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/*
 * Keep an entry unless it was read by an earlier chunk (at or before the
 * last one read) or lies past the prefix (then the walk is done).
 */
static void
store_scan_offer(struct store_scan_chunk *c, const void *k, u_int32_t klen,
    const void *d, u_int32_t dlen)
{
	int	kc;

	if (klen < c->prefix.len || memcmp(k, c->prefix.s, c->prefix.len) !=
	    0) {
		c->done = 1;
		return;
	}
	if (c->lastkey.len != 0 && !c->past) {
		kc = store_scan_cmp(k, klen, c->lastkey.s, c->lastkey.len);
		if (kc < 0 || (kc == 0 && (!c->dups || store_scan_cmp(d, dlen,
		    c->lastdata.s, c->lastdata.len) <= 0)))
			return;
	}
	store_scan_keep(c, k, klen, d, dlen);
	c->past = 1;
}

/* Read one chunk in a read-committed transaction (store_txn_run's fn). */
static int
store_scan_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_scan_chunk	*c = arg;
	DBC			*cur = NULL;
	DBT			 key, data, bd;
	void			*p;
	u_int32_t		 op;
	int			 ret, cret, error = NCEN_OK;

	/* A retried chunk starts again from the same place: lastkey and
	 * lastdata move only once a chunk is read (store_scan_mark). */
	buf_reset(&c->out);
	c->n = 0;
	c->done = 0;
	c->past = 0;
	if ((ret = c->db->cursor(c->db, t->txn, &cur, 0)) != 0) {
		return store_txn_dberr(t, ret, err, _("%s: cursor"), c->file);
	}
	/* Position on the first entry not yet read (or the last one). */
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	buf_reset(&c->start);
	if (c->lastkey.len != 0)
		buf_add(&c->start, c->lastkey.s, c->lastkey.len);
	else
		buf_add(&c->start, c->prefix.s, c->prefix.len);
	key.data = c->start.s;
	key.size = (u_int32_t)c->start.len;
	key.flags = DB_DBT_MALLOC;
	data.flags = DB_DBT_MALLOC;
	ret = cur->get(cur, &key, &data, key.size == 0 ? DB_FIRST :
	    DB_SET_RANGE);
	if (ret == 0) {
		store_scan_offer(c, key.data, key.size, data.data, data.size);
		free(key.data);
		free(data.data);
	} else if (ret == DB_NOTFOUND)
		c->done = 1;
	else {
		error = store_txn_dberr(t, ret, err, _("%s: reading"), c->file);
		goto out;
	}
	/* Then in bulk, many entries a call. */
	memset(&key, 0, sizeof key);
	memset(&bd, 0, sizeof bd);
	bd.data = c->bulk;
	bd.ulen = STORE_SCAN_BULK;
	bd.flags = DB_DBT_USERMEM;
	op = DB_NEXT | DB_MULTIPLE_KEY;
	while (!c->done && c->n < STORE_SCAN_CHUNK) {
		ret = cur->get(cur, &key, &bd, op);
		if (ret == DB_BUFFER_SMALL) {
			/* One entry bigger than the buffer: read it alone. */
			memset(&key, 0, sizeof key);
			memset(&data, 0, sizeof data);
			key.flags = DB_DBT_MALLOC;
			data.flags = DB_DBT_MALLOC;
			if ((ret = cur->get(cur, &key, &data, DB_NEXT)) == 0) {
				store_scan_offer(c, key.data, key.size,
				    data.data, data.size);
				free(key.data);
				free(data.data);
				memset(&key, 0, sizeof key);
				continue;
			}
		}
		if (ret == DB_NOTFOUND) {
			c->done = 1;
			break;
		}
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err, _("%s: reading"),
			    c->file);
			goto out;
		}
		DB_MULTIPLE_INIT(p, &bd);
		while (!c->done) {
			void		*k, *d;
			u_int32_t	 klen, dlen;

			DB_MULTIPLE_KEY_NEXT(p, &bd, k, klen, d, dlen);
			if (p == NULL)
				break;
			store_scan_offer(c, k, klen, d, dlen);
		}
	}
out:
	if ((cret = cur->close(cur)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, cret, err, _("%s: closing a cursor"),
		    c->file);
	return error;
}

/*
 * Walk db from start over the keys beginning with prefix, chunk by
 * chunk; fn gets each key and data.  dups: a DB_DUPSORT database.
 */
int
store_scan_db(struct store *st, DB *db, const char *file,
    const void *prefix, size_t plen, int dups,
    int (*fn)(const void *, size_t, const void *, size_t, void *),
    void *arg, struct ncen_err *err)
{
	struct store_scan_chunk	 c;
	const unsigned char	*p;
	size_t			 i, off;
	int			 error = NCEN_OK;

	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, "store_scan_raw: called "
		    "inside a transaction");
	memset(&c, 0, sizeof c);
	c.db = db;
	c.file = file;
	c.dups = dups;
	buf_add(&c.prefix, prefix, plen);
	c.bulk = xmalloc(STORE_SCAN_BULK);
	for (;;) {
		if ((error = store_txn_run(st, store_scan_fn, &c, 1, err)) !=
		    NCEN_OK)
			break;
		store_scan_mark(&c);
		p = (const unsigned char *)c.out.s;
		for (i = 0, off = 0; i < c.n && error == NCEN_OK; i++) {
			uint32_t	klen, dlen;
			const void	*k, *d;

			klen = buf_get_u32(p + off);
			k = p + off + 4;
			off += 4 + klen;
			dlen = buf_get_u32(p + off);
			d = p + off + 4;
			off += 4 + dlen;
			error = fn(k, klen, d, dlen, arg);
		}
		if (error != NCEN_OK || c.done || c.n == 0)
			break;
	}
	buf_free(&c.start);
	buf_free(&c.prefix);
	buf_free(&c.lastkey);
	buf_free(&c.lastdata);
	buf_free(&c.out);
	free(c.bulk);
	return error;
}

/* What a records walk passes through store_scan_db. */
struct store_scan_rec {
	store_raw_fn	 fn;
	void		*arg;
	const char	*file;
	struct ncen_err	*err;
};

/* Hand one stored record to the caller's function. */
static int
store_scan_rec_fn(const void *k, size_t klen, const void *d, size_t dlen,
    void *arg)
{
	struct store_scan_rec	*r = arg;

	if (klen != 8)
		return ncen_err_set(r->err, NCEN_EPARSE, _("%s: a key of %zu "
		    "bytes (ids have 8)"), r->file, klen);
	return r->fn(buf_get_u64(k), d, dlen, r->arg);
}

/* Every record of a form as stored bytes, in id order. */
int
store_scan_raw(struct store *st, const char *entity, store_raw_fn fn,
    void *arg, struct ncen_err *err)
{
	struct store_entity	*e;
	struct store_scan_rec	 r;

	if ((e = store_entity_find(st, entity, err)) == NULL)
		return NCEN_ENOTFOUND;
	r.fn = fn;
	r.arg = arg;
	r.file = e->file;
	r.err = err;
	return store_scan_db(st, e->db, e->file, "", 0, 0,
	    store_scan_rec_fn, &r, err);
}

/* What a links walk passes through store_scan_db. */
struct store_scan_links {
	store_links_raw_fn	 fn;
	void			*arg;
	size_t			 plen;
	struct ncen_err		*err;
};

/* Hand one link to the caller's function. */
static int
store_scan_link_fn(const void *k, size_t klen, const void *d, size_t dlen,
    void *arg)
{
	struct store_scan_links	*s = arg;
	struct store_link	 l;
	int			 r;

	if (klen != s->plen + 8 || !store_link_parse(d, dlen, &l))
		return ncen_err_set(s->err, NCEN_EPARSE, _("%s: a malformed "
		    "link"), STORE_LINKS_FILE);
	r = s->fn(buf_get_u64((const unsigned char *)k + s->plen), &l,
	    s->arg);
	free(l.role);
	free(l.entity);
	return r;
}

/* Every link of every record of a form, by the record's id. */
int
store_scan_links(struct store *st, const char *entity,
    store_links_raw_fn fn, void *arg, struct ncen_err *err)
{
	struct store_scan_links	 s;
	struct buf		 prefix = BUF_INIT;
	int			 error;

	if (store_entity_find(st, entity, err) == NULL)
		return NCEN_ENOTFOUND;
	buf_adds(&prefix, entity);
	buf_addc(&prefix, '\0');
	s.fn = fn;
	s.arg = arg;
	s.plen = prefix.len;
	s.err = err;
	error = store_scan_db(st, st->links, STORE_LINKS_FILE, prefix.s,
	    prefix.len, 1, store_scan_link_fn, &s, err);
	buf_free(&prefix);
	return error;
}
