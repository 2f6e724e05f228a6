/*
 * store-draft.c - drafts: typed values kept in drafts.db until saved,
 * and the spool file that holds one when the store stopped answering.
 *
 * drafts.db is opened inside each transaction and closed before it
 * ends (Berkeley DB finishes the close when the transaction resolves),
 * so no handle outlives a transaction and an environment reopened
 * after a panic needs nothing from this file.  The layout is in
 * store-draft.h.
 */
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-draft.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define DRAFT_MAGIC	"NCDR"
#define DRAFT_FORMAT	2
#define DRAFT_HEAD	(4 + 4 + 4 + 4 + 8 + 8)	/* bytes before the records */

/* A user name that is safe as a key prefix and a file name. */
static int
store_draft_user_ok(const char *user, struct ncen_err *err)
{
	if (user == NULL || *user == '\0' || *user == '.' ||
	    strchr(user, '/') != NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("drafts: '%s' is not a "
		    "user name a draft can be kept under"),
		    user == NULL ? "" : user);
	return NCEN_OK;
}

/* The key of a draft: user "\0" entity "\0" id(8). */
static void
store_draft_key(struct buf *k, const char *user, const char *entity,
    uint64_t id)
{
	buf_add(k, user, strlen(user) + 1);
	buf_add(k, entity, strlen(entity) + 1);
	buf_add_u64(k, id);
}

/* Split a key back into user, entity and id; -1 if malformed. */
static int
store_draft_key_parse(const unsigned char *p, size_t n, struct store_draft *d)
{
	const unsigned char	*u, *e;

	if ((u = memchr(p, '\0', n)) == NULL || u == p)
		return -1;
	if ((e = memchr(u + 1, '\0', n - (size_t)(u + 1 - p))) == NULL ||
	    e == u + 1 || (size_t)(e + 1 - p) + 8 != n)
		return -1;
	d->user = xstrdup((const char *)p);
	d->entity = xstrdup((const char *)u + 1);
	d->id = buf_get_u64(e + 1);
	return 0;
}

/* The stored bytes of a draft (without its key). */
static void
store_draft_encode(const struct store_draft *d, struct buf *b)
{
	struct buf	rec = BUF_INIT;

	buf_add(b, DRAFT_MAGIC, 4);
	buf_add_u32(b, DRAFT_FORMAT);
	buf_add_u32(b, d->version);
	buf_add_u32(b, d->field);
	buf_add_u64(b, (uint64_t)d->started);
	buf_add_u64(b, (uint64_t)d->saved);
	record_encode(d->rec, &rec);
	buf_add_u32(b, (uint32_t)rec.len);
	buf_add(b, rec.s, rec.len);
	if (d->base != NULL)
		record_encode(d->base, b);
	buf_free(&rec);
}

/* Read a draft's bytes; d->user, entity and id are already set. */
static int
store_draft_decode(const struct schema *s, const unsigned char *p, size_t n,
    struct store_draft *d, struct ncen_err *err)
{
	const struct schema_form	*form;
	uint32_t			 format = 0, len;
	int				 error;

	if (n >= DRAFT_HEAD && memcmp(p, DRAFT_MAGIC, 4) == 0)
		format = buf_get_u32(p + 4);
	len = (uint32_t)(n - DRAFT_HEAD);
	if (format == DRAFT_FORMAT && (len < 4 ||
	    (len = buf_get_u32(p + DRAFT_HEAD)) > n - DRAFT_HEAD - 4))
		format = 0;
	if (format != 1 && format != DRAFT_FORMAT)
		return ncen_err_set(err, NCEN_EPARSE, _("%s: the draft of %s "
		    "(%s %llu) is malformed"), STORE_DRAFTS_FILE, d->user,
		    d->entity, (unsigned long long)d->id);
	if ((form = schema_form_find(s, d->entity)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: the draft of "
		    "%s is a %s, a form this data directory no longer has"),
		    STORE_DRAFTS_FILE, d->user, d->entity);
	d->version = buf_get_u32(p + 8);
	d->field = buf_get_u32(p + 12);
	d->started = (int64_t)buf_get_u64(p + 16);
	d->saved = (int64_t)buf_get_u64(p + 24);
	if (format == 1)
		return record_decode(form, d->id, p + DRAFT_HEAD,
		    n - DRAFT_HEAD, &d->rec, err);
	p += DRAFT_HEAD + 4;
	n -= DRAFT_HEAD + 4;
	if ((error = record_decode(form, d->id, p, len, &d->rec, err)) !=
	    NCEN_OK || n == len)
		return error;
	return record_decode(form, d->id, p + len, n - len, &d->base, err);
}

/* Release a draft. */
void
store_draft_free(struct store_draft *d)
{
	if (d == NULL)
		return;
	free(d->user);
	free(d->entity);
	record_free(d->rec);
	record_free(d->base);
	free(d);
}

/* Open drafts.db in the transaction (created the first time). */
static int
store_draft_open(struct store_txn *t, DB **dbp, struct ncen_err *err)
{
	DB	*db;
	int	 ret;

	*dbp = NULL;
	if ((ret = db_create(&db, t->st->env, 0)) != 0)
		return store_txn_dberr(t, ret, err, "%s: db_create",
		    STORE_DRAFTS_FILE);
	if (t->st->key.len != 0 && (ret = db->set_flags(db, DB_ENCRYPT)) != 0) {
		(void)db->close(db, 0);
		return store_txn_dberr(t, ret, err, "%s: set_flags",
		    STORE_DRAFTS_FILE);
	}
	if ((ret = db->open(db, t->txn, STORE_DRAFTS_FILE, NULL, DB_BTREE,
	    DB_CREATE, 0600)) != 0) {
		(void)db->close(db, 0);
		return store_txn_dberr(t, ret, err, _("opening %s"),
		    STORE_DRAFTS_FILE);
	}
	*dbp = db;
	return NCEN_OK;
}

/* Close drafts.db, keeping the first error. */
static int
store_draft_close(struct store_txn *t, DB *db, int error,
    struct ncen_err *err)
{
	int	ret;

	if (db != NULL && (ret = db->close(db, 0)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, ret, err, _("closing %s"),
		    STORE_DRAFTS_FILE);
	return error;
}

struct store_draft_op {
	const struct store_draft *in;	/* put */
	const char		*user, *entity;
	uint64_t		 id;
	struct store_draft	*out;		/* get */
	struct store_draft	**all;		/* list */
	size_t			 n, cap;
};

/* Start an operation on the draft of user for (entity, id). */
static int
store_draft_op_start(struct store_draft_op *op, const char *user,
    const char *entity, uint64_t id, struct ncen_err *err)
{
	memset(op, 0, sizeof *op);
	op->user = user;
	op->entity = entity;
	op->id = id;
	return store_draft_user_ok(user, err);
}

/* Write one draft (replacing the one under the same key). */
static int
store_draft_put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_draft_op	*op = arg;
	const struct store_draft *d = op->in;
	struct buf		 k = BUF_INIT, v = BUF_INIT;
	DB			*db;
	DBT			 key, data;
	int			 ret, error;

	if ((error = store_draft_open(t, &db, err)) != NCEN_OK)
		return error;
	store_draft_key(&k, d->user, d->entity, d->id);
	store_draft_encode(d, &v);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k.s;
	key.size = (u_int32_t)k.len;
	data.data = v.s;
	data.size = (u_int32_t)v.len;
	if ((ret = db->put(db, t->txn, &key, &data, 0)) != 0)
		error = store_txn_dberr(t, ret, err, _("%s: writing the draft "
		    "of %s"), STORE_DRAFTS_FILE, d->user);
	buf_free(&k);
	buf_free(&v);
	return store_draft_close(t, db, error, err);
}

/* Keep the typed values of d (its record must be of entity's form). */
int
store_draft_put(struct store *st, const struct store_draft *d,
    struct ncen_err *err)
{
	struct store_draft_op	op;
	int			error;

	if ((error = store_draft_user_ok(d->user, err)) != NCEN_OK)
		return error;
	if (d->entity == NULL || d->rec == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, _("drafts: a draft needs "
		    "an entity and its values"));
	memset(&op, 0, sizeof op);
	op.in = d;
	return store_run(st, store_draft_put_fn, &op, err);
}

/* Read one draft. */
static int
store_draft_get_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_draft_op	*op = arg;
	struct store_draft	*d;
	struct buf		 k = BUF_INIT;
	DB			*db;
	DBT			 key, data;
	int			 ret, error;

	if ((error = store_draft_open(t, &db, err)) != NCEN_OK)
		return error;
	store_draft_key(&k, op->user, op->entity, op->id);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k.s;
	key.size = (u_int32_t)k.len;
	data.flags = DB_DBT_MALLOC;
	ret = db->get(db, t->txn, &key, &data, 0);
	if (ret == DB_NOTFOUND)
		error = ncen_err_set(err, NCEN_ENOTFOUND,
		    _("%s has no draft of "
		    "%s %llu"), op->user, op->entity,
		    (unsigned long long)op->id);
	else if (ret != 0)
		error = store_txn_dberr(t, ret, err, _("%s: reading the draft "
		    "of %s"), STORE_DRAFTS_FILE, op->user);
	else {
		d = xcalloc(1, sizeof *d);
		d->user = xstrdup(op->user);
		d->entity = xstrdup(op->entity);
		d->id = op->id;
		if ((error = store_draft_decode(t->st->schema, data.data,
		    data.size, d, err)) == NCEN_OK) {
			store_draft_free(op->out);
			op->out = d;
		} else
			store_draft_free(d);
		free(data.data);
	}
	buf_free(&k);
	return store_draft_close(t, db, error, err);
}

/* The draft of user for (entity, id); NCEN_ENOTFOUND when there is none. */
int
store_draft_get(struct store *st, const char *user, const char *entity,
    uint64_t id, struct store_draft **dp, struct ncen_err *err)
{
	struct store_draft_op	op;
	int			error;

	*dp = NULL;
	if ((error = store_draft_op_start(&op, user, entity, id, err)) !=
	    NCEN_OK)
		return error;
	if ((error = store_txn_run(st, store_draft_get_fn, &op, 1, err)) ==
	    NCEN_OK)
		*dp = op.out;
	else
		store_draft_free(op.out);
	return error;
}

/* Remove one draft (none there is not an error). */
static int
store_draft_del_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_draft_op	*op = arg;
	struct buf		 k = BUF_INIT;
	DB			*db;
	DBT			 key;
	int			 ret, error;

	if ((error = store_draft_open(t, &db, err)) != NCEN_OK)
		return error;
	store_draft_key(&k, op->user, op->entity, op->id);
	memset(&key, 0, sizeof key);
	key.data = k.s;
	key.size = (u_int32_t)k.len;
	ret = db->del(db, t->txn, &key, 0);
	if (ret != 0 && ret != DB_NOTFOUND)
		error = store_txn_dberr(t, ret, err, _("%s: removing the draft "
		    "of %s"), STORE_DRAFTS_FILE, op->user);
	buf_free(&k);
	return store_draft_close(t, db, error, err);
}

/* Forget user's draft of (entity, id). */
int
store_draft_del(struct store *st, const char *user, const char *entity,
    uint64_t id, struct ncen_err *err)
{
	struct store_draft_op	op;
	int			error;

	if ((error = store_draft_op_start(&op, user, entity, id, err)) !=
	    NCEN_OK)
		return error;
	return store_run(st, store_draft_del_fn, &op, err);
}

/* Forget what an earlier attempt of the list collected. */
static void
store_draft_list_reset(struct store_draft_op *op)
{
	size_t	i;

	for (i = 0; i < op->n; i++)
		store_draft_free(op->all[i]);
	op->n = 0;
}

/* Collect every draft of one user (key order: entity, then id). */
static int
store_draft_list_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_draft_op	*op = arg;
	struct store_draft	*d;
	DB			*db;
	DBC			*c = NULL;
	DBT			 key, data;
	size_t			 ulen = strlen(op->user) + 1;
	int			 ret, error;
	u_int32_t		 flag = DB_SET_RANGE;

	store_draft_list_reset(op);
	if ((error = store_draft_open(t, &db, err)) != NCEN_OK)
		return error;
	if ((ret = db->cursor(db, t->txn, &c, 0)) != 0) {
		error = store_txn_dberr(t, ret, err, _("%s: cursor"),
		    STORE_DRAFTS_FILE);
		goto out;
	}
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = xmemdup(op->user, ulen);
	key.size = (u_int32_t)ulen;
	key.flags = DB_DBT_REALLOC;
	data.flags = DB_DBT_REALLOC;
	for (;;) {
		ret = c->get(c, &key, &data, flag);
		flag = DB_NEXT;
		if (ret == DB_NOTFOUND)
			break;
		if (ret != 0) {
			error = store_txn_dberr(t, ret, err,
			    _("%s: reading the "
			    "drafts of %s"), STORE_DRAFTS_FILE, op->user);
			break;
		}
		if (key.size < ulen || memcmp(key.data, op->user, ulen) != 0)
			break;
		d = xcalloc(1, sizeof *d);
		if (store_draft_key_parse(key.data, key.size, d) != 0 ||
		    store_draft_decode(t->st->schema, data.data, data.size, d,
		    NULL) != NCEN_OK) {
			/* One unreadable draft must not hide the others. */
			store_draft_free(d);
			continue;
		}
		if (op->n == op->cap) {
			op->cap = op->cap == 0 ? 8 : op->cap * 2;
			op->all = xreallocarray(op->all, op->cap,
			    sizeof *op->all);
		}
		op->all[op->n++] = d;
	}
	free(key.data);
	free(data.data);
out:
	if (c != NULL && (ret = c->close(c)) != 0 && error == NCEN_OK)
		error = store_txn_dberr(t, ret, err, _("%s: closing a cursor"),
		    STORE_DRAFTS_FILE);
	return store_draft_close(t, db, error, err);
}

/* Call fn on each draft of user, outside any transaction. */
int
store_draft_list(struct store *st, const char *user, store_draft_fn fn,
    void *arg, struct ncen_err *err)
{
	struct store_draft_op	op;
	size_t			i;
	int			error, r = 0;

	if ((error = store_draft_op_start(&op, user, NULL, 0, err)) !=
	    NCEN_OK)
		return error;
	error = store_txn_run(st, store_draft_list_fn, &op, 1, err);
	for (i = 0; error == NCEN_OK && r == 0 && i < op.n; i++)
		r = fn(op.all[i], arg);
	store_draft_list_reset(&op);
	free(op.all);
	return error != NCEN_OK ? error : r;
}

/* DIR/spool/USER.draft, or its temporary name with suffix. */
static void
store_draft_spool_path(struct buf *p, const char *home, const char *user,
    const char *suffix)
{
	buf_addf(p, "%s/%s/%s.draft%s", home, STORE_DRAFT_SPOOL, user, suffix);
}

/* Write all of b to fd; -1 on failure (errno set). */
static int
store_draft_write_all(int fd, const struct buf *b)
{
	size_t	off = 0;
	ssize_t	w;

	while (off < b->len) {
		if ((w = write(fd, b->s + off, b->len - off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		off += (size_t)w;
	}
	return 0;
}

/*
 * Write a draft to DIR/spool/USER.draft without touching the database:
 * a temporary file, fsync, rename, fsync of the directory, so that the
 * file is either the old one or the whole new one.
 */
int
store_draft_spool(const char *home, const struct store_draft *d,
    struct ncen_err *err)
{
	struct buf	 dir = BUF_INIT, tmp = BUF_INIT, path = BUF_INIT;
	struct buf	 k = BUF_INIT, b = BUF_INIT;
	int		 fd = -1, dfd, error = NCEN_OK;

	if ((error = store_draft_user_ok(d->user, err)) != NCEN_OK)
		return error;
	buf_addf(&dir, "%s/%s", home, STORE_DRAFT_SPOOL);
	if (mkdir(dir.s, 0700) != 0 && errno != EEXIST) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", dir.s,
		    strerror(errno));
		goto out;
	}
	store_draft_spool_path(&tmp, home, d->user, ".tmp");
	store_draft_spool_path(&path, home, d->user, "");
	store_draft_key(&k, d->user, d->entity, d->id);
	buf_add_u32(&b, (uint32_t)k.len);
	buf_add(&b, k.s, k.len);
	store_draft_encode(d, &b);
	if ((fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) < 0 || store_draft_write_all(fd, &b) != 0 ||
	    fsync(fd) != 0) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp.s,
		    strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp.s,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.s, path.s) != 0) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
		goto out;
	}
	if ((dfd = open(dir.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(dfd);
		(void)close(dfd);
	}
out:
	if (fd >= 0) {
		(void)close(fd);
		(void)unlink(tmp.s);
	}
	buf_free(&dir);
	buf_free(&tmp);
	buf_free(&path);
	buf_free(&k);
	buf_free(&b);
	return error;
}

/* Read a whole file into b; -1 with errno on failure. */
static int
store_draft_read_file(const char *path, struct buf *b)
{
	char	chunk[4096];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			(void)close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	(void)close(fd);
	return 0;
}

/*
 * Move the spooled draft of user into drafts.db and remove the file.
 * A file that cannot be read as a draft is left where it is (named in
 * the error) so that an administrator can look at it.
 */
int
store_draft_unspool(struct store *st, const char *user, int *found,
    struct ncen_err *err)
{
	struct store_draft	 d;
	struct buf		 path = BUF_INIT, b = BUF_INIT;
	const unsigned char	*p;
	uint32_t		 klen;
	int			 error = NCEN_OK;

	*found = 0;
	if ((error = store_draft_user_ok(user, err)) != NCEN_OK)
		return error;
	memset(&d, 0, sizeof d);
	store_draft_spool_path(&path, store_home(st), user, "");
	if (store_draft_read_file(path.s, &b) != 0) {
		if (errno != ENOENT)
			error = ncen_err_set(err, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
		goto out;
	}
	*found = 1;
	p = (const unsigned char *)b.s;
	if (b.len < 4 || (klen = buf_get_u32(p)) > b.len - 4 ||
	    store_draft_key_parse(p + 4, klen, &d) != 0 ||
	    strcmp(d.user, user) != 0) {
		error = ncen_err_set(err, NCEN_EPARSE,
		    _("%s: not a draft of %s"),
		    path.s, user);
		goto out;
	}
	if ((error = store_draft_decode(st->schema, p + 4 + klen,
	    b.len - 4 - klen, &d, err)) != NCEN_OK) {
		ncen_err_prefix(err, "%s: ", path.s);
		goto out;
	}
	if ((error = store_draft_put(st, &d, err)) != NCEN_OK)
		goto out;
	if (unlink(path.s) != 0)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
out:
	free(d.user);
	free(d.entity);
	record_free(d.rec);
	record_free(d.base);
	buf_free(&path);
	buf_free(&b);
	return error;
}
