/* store-env.c - the Berkeley DB environment and the databases of a schema. */
#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-backup.h"
#include "store-int.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define STORE_KEY_MAX	4096	/* bytes read from a key file */
#define STORE_DBERR_MAX	2048	/* bytes of library messages kept */

static void	store_env_handles_close(struct store *);
static void	store_env_shutdown(struct store *);

/* Refuse to run with a libdb other than the one ncen was built with. */
int
store_version_check(struct ncen_err *err)
{
	int	major, minor, patch;

	db_version(&major, &minor, &patch);
	if (major != DB_VERSION_MAJOR || minor != DB_VERSION_MINOR ||
	    patch != DB_VERSION_PATCH)
		return ncen_err_set(err, NCEN_EVERSION, _("Berkeley DB library "
		    "mismatch: ncen was built with %d.%d.%d but runs with "
		    "%d.%d.%d; rebuild ncen against the installed libdb or "
		    "install the libdb it was built with"), DB_VERSION_MAJOR,
		    DB_VERSION_MINOR, DB_VERSION_PATCH, major, minor, patch);
	return NCEN_OK;
}

/* Keep Berkeley DB's own error text for the next error message. */
void
store_errcall(const DB_ENV *dbenv, const char *pfx, const char *msg)
{
	struct store	*st = dbenv == NULL ? NULL : dbenv->app_private;

	if (st == NULL || msg == NULL || st->dberr.len > STORE_DBERR_MAX)
		return;
	if (st->dberr.len != 0)
		buf_adds(&st->dberr, "; ");
	buf_adds(&st->dberr, msg);
}

/* Swallow Berkeley DB's informational messages: library code never prints. */
void
store_msgcall(const DB_ENV *dbenv, const char *msg)
{
}

/* Fill err from a Berkeley DB return value and the library's words. */
int
store_dberr(struct store *st, int ret, struct ncen_err *err,
    const char *fmt, ...)
{
	struct buf	 what = BUF_INIT;
	enum ncen_code	 code;
	va_list		 ap;

	va_start(ap, fmt);
	buf_vaddf(&what, fmt, ap);
	va_end(ap);

	switch (ret) {
	case DB_RUNRECOVERY:
		code = NCEN_ERECOVER;
		break;
	case DB_NOTFOUND:
		code = NCEN_ENOTFOUND;
		break;
	case DB_KEYEXIST:
		code = NCEN_EEXISTS;
		break;
	default:
		code = NCEN_EDB;
		break;
	}
	if (ret == DB_RUNRECOVERY)
		ncen_err_set(err, code, _("%s: %s: the database environment "
		    "needs recovery (another program using %s probably "
		    "died); sign in again, recovery runs at the next "
		    "start%s%s"),
		    st->home, buf_cstr(&what), st->home,
		    st->dberr.len != 0 ? " (Berkeley DB: " : "",
		    st->dberr.len != 0 ? buf_cstr(&st->dberr) : "");
	else
		ncen_err_set(err, code, "%s: %s: %s%s%s", st->home,
		    buf_cstr(&what), db_strerror(ret),
		    st->dberr.len != 0 ? " (Berkeley DB: " : "",
		    st->dberr.len != 0 ? buf_cstr(&st->dberr) : "");
	if (err != NULL && st->dberr.len != 0)
		buf_addc(&err->msg, ')');
	buf_reset(&st->dberr);
	buf_free(&what);
	return code;
}

/* Read the AES key of a key file: its first line, trimmed; not empty. */
int
store_key_read(const char *keyfile, struct buf *key, struct ncen_err *err)
{
	struct stat	 sb;
	char		 tmp[STORE_KEY_MAX];
	ssize_t		 n;
	size_t		 len = 0, start = 0;
	int		 fd = -1, error;

	buf_reset(key);
	if ((fd = open(keyfile, O_RDONLY | O_NOCTTY)) == -1) {
		error = ncen_err_set(err, NCEN_EKEY,
		    _("%s: cannot read the key "
		    "file: %s"), keyfile, strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		error = ncen_err_set(err, NCEN_EKEY,
		    _("%s: not a regular file"),
		    keyfile);
		goto out;
	}
	if (sb.st_mode & S_IRWXO) {
		error = ncen_err_set(err, NCEN_EKEY, _("%s: the key file is "
		    "open to other users (mode %04o); run chmod o-rwx %s"),
		    keyfile, (unsigned)(sb.st_mode & 07777), keyfile);
		goto out;
	}
	for (;;) {
		n = read(fd, tmp + len, sizeof tmp - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			error = ncen_err_set(err, NCEN_EKEY, "%s: %s", keyfile,
			    strerror(errno));
			goto out;
		}
		if (n == 0 || memchr(tmp + len, '\n', (size_t)n) != NULL) {
			len += (size_t)n;
			break;
		}
		len += (size_t)n;
		if (len == sizeof tmp)
			break;
	}
	/* The first line, without surrounding blanks. */
	for (n = 0; (size_t)n < len && tmp[n] != '\n'; n++)
		;
	len = (size_t)n;
	while (start < len && isspace((unsigned char)tmp[start]))
		start++;
	while (len > start && isspace((unsigned char)tmp[len - 1]))
		len--;
	if (len == start) {
		error = ncen_err_set(err, NCEN_EKEY, _("%s: the key is empty "
		    "(the key is the file's first line)"), keyfile);
		goto out;
	}
	if (memchr(tmp + start, '\0', len - start) != NULL) {
		error = ncen_err_set(err, NCEN_EKEY,
		    _("%s: the key holds a NUL "
		    "byte"), keyfile);
		goto out;
	}
	buf_add(key, tmp + start, len - start);
	error = NCEN_OK;
out:
	explicit_bzero(tmp, sizeof tmp);
	if (fd != -1)
		close(fd);
	return error;
}

/* Write an id as the 8-byte big-endian key of a primary database. */
void
store_id_key(unsigned char k[8], uint64_t id)
{
	int	i;

	for (i = 7; i >= 0; i--) {
		k[i] = (unsigned char)id;
		id >>= 8;
	}
}

/* Compare keys in Berkeley DB's default btree order (bytes, then length). */
int
store_keycmp(const void *a, size_t alen, const void *b, size_t blen)
{
	int	c;

	if ((c = memcmp(a, b, alen < blen ? alen : blen)) != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Order two keys for qsort. */
static int
store_keys_cmp(const void *va, const void *vb)
{
	const struct buf	*a = va, *b = vb;

	return store_keycmp(a->s, a->len, b->s, b->len);
}

/* What store_keys_add needs: where keys go and whose values they are. */
struct store_keys_ctx {
	struct store_keys		*keys;
	const struct schema_field	*field;
};

/* Collect one value's index key (record_decode_field callback). */
static void
store_keys_add(const char *value, size_t len, void *arg)
{
	struct store_keys_ctx	*ctx = arg;
	struct store_keys	*keys = ctx->keys;
	struct buf		 k = BUF_INIT;

	if (len == 0)
		return;
	schema_index_key(ctx->field, value, len, &k);
	if (k.len == 0) {
		buf_free(&k);
		return;
	}
	keys->k = xreallocarray(keys->k, keys->n + 1, sizeof *keys->k);
	keys->k[keys->n++] = k;
}

/* Sort keys and keep each once. */
void
store_keys_unique(struct store_keys *keys)
{
	size_t	i, j;

	if (keys->n < 2)
		return;
	qsort(keys->k, keys->n, sizeof *keys->k, store_keys_cmp);
	for (i = 1, j = 0; i < keys->n; i++) {
		if (store_keys_cmp(&keys->k[i], &keys->k[j]) == 0) {
			buf_free(&keys->k[i]);
			continue;
		}
		keys->k[++j] = keys->k[i];
	}
	keys->n = j + 1;
}

/* The index keys of one field of a stored record, sorted, each once. */
void
store_keys_get(const struct schema_field *field, const void *data,
    size_t size, struct store_keys *keys)
{
	struct store_keys_ctx	ctx = { keys, field };

	keys->k = NULL;
	keys->n = 0;
	if (record_decode_field(data, size, field->name, store_keys_add,
	    &ctx) != NCEN_OK) {
		/* Unreadable: no keys; store_verify reports the record. */
		store_keys_free(keys);
		return;
	}
	store_keys_unique(keys);
}

/* The same through a view that parses each record once for all indices. */
void
store_keys_view(const struct schema_field *field, struct record_view *view,
    const void *data, size_t size, struct store_keys *keys)
{
	struct store_keys_ctx	ctx = { keys, field };

	keys->k = NULL;
	keys->n = 0;
	if (record_view_parse(view, data, size) != NCEN_OK)
		return;		/* unreadable: no keys */
	record_view_field(view, field->name, store_keys_add, &ctx);
	store_keys_unique(keys);
}

/* The keys of any index of stored record bytes: a field's or search's. */
void
store_index_keys(const struct store_index *ix, const void *data,
    size_t size, struct store_keys *keys)
{
	if (ix->field == NULL)
		store_search_keys(ix->form, NULL, data, size, keys);
	else
		store_keys_get(ix->field, data, size, keys);
}

/* Release the keys of store_keys_get. */
void
store_keys_free(struct store_keys *keys)
{
	size_t	i;

	for (i = 0; i < keys->n; i++)
		buf_free(&keys->k[i]);
	free(keys->k);
	keys->k = NULL;
	keys->n = 0;
}

/* Secondary index callback: the keys of the indexed field's values. */
static int
store_env_index_cb(DB *sdb, const DBT *pkey, const DBT *pdata, DBT *result)
{
	struct store_index	*ix = sdb->app_private;
	struct store_keys	 keys;
	DBT			*multi;
	size_t			 i;

	if (ix->view != NULL)
		store_keys_view(ix->field, ix->view, pdata->data, pdata->size,
		    &keys);
	else
		store_keys_get(ix->field, pdata->data, pdata->size, &keys);
	if (keys.n == 0) {
		store_keys_free(&keys);
		return DB_DONOTINDEX;
	}
	memset(result, 0, sizeof *result);
	if (keys.n == 1) {
		result->size = (u_int32_t)keys.k[0].len;
		result->data = buf_detach(&keys.k[0]);
		result->flags = DB_DBT_APPMALLOC;
	} else {
		multi = xcalloc(keys.n, sizeof *multi);
		for (i = 0; i < keys.n; i++) {
			multi[i].size = (u_int32_t)keys.k[i].len;
			multi[i].data = buf_detach(&keys.k[i]);
			multi[i].flags = DB_DBT_APPMALLOC;
		}
		result->data = multi;
		result->size = (u_int32_t)keys.n;
		result->flags = DB_DBT_MULTIPLE | DB_DBT_APPMALLOC;
	}
	store_keys_free(&keys);
	return 0;
}

/* The entity of a form name, or NULL with NCEN_ENOTFOUND. */
struct store_entity *
store_entity_find(struct store *st, const char *name, struct ncen_err *err)
{
	size_t	i;

	for (i = 0; name != NULL && i < st->nents; i++)
		if (strcmp(st->ents[i].form->name, name) == 0)
			return &st->ents[i];
	ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no form named '%s'"), st->home,
	    name == NULL ? "(null)" : name);
	return NULL;
}

/* The index of an entity's field in *ix; NCEN_ENOTFOUND or NCEN_EUSAGE. */
int
store_index_find(struct store_entity *e, const char *field,
    struct store_index **ix, struct ncen_err *err)
{
	size_t	i;

	*ix = NULL;
	for (i = 0; i < e->nidx; i++)
		if (strcmp(e->idx[i].field->name, field) == 0) {
			*ix = &e->idx[i];
			return NCEN_OK;
		}
	return ncen_err_set(err, schema_field_find(e->form, field) == NULL ?
	    NCEN_ENOTFOUND : NCEN_EUSAGE, _("%s.%s is not an indexed field"),
	    e->form->name, field);
}

/* Remove the registry of an environment that has no regions left. */
static int
store_env_stale_registry(struct store *st, struct ncen_err *err)
{
	struct buf	region = BUF_INIT, reg = BUF_INIT;
	int		error = NCEN_OK;

	buf_addf(&region, "%s/__db.001", st->home);
	buf_addf(&reg, "%s/__db.register", st->home);
	if (access(region.s, F_OK) != 0 && errno == ENOENT &&
	    unlink(reg.s) != 0 && errno != ENOENT)
		error = ncen_err_set(err, NCEN_EIO,
		    _("%s: cannot remove a stale "
		    "%s: %s"), st->home, reg.s, strerror(errno));
	buf_free(&region);
	buf_free(&reg);
	return error;
}

/* Classify a failure to open the environment: a key problem or not. */
static int
store_env_open_error(struct store *st, int ret, struct ncen_err *err)
{
	const char	*m = buf_cstr(&st->dberr);

	/*
	 * store_env_probe has matched the key to the files already; what
	 * is left is a wrong key (a password the region refuses, or a log
	 * that fails its checksum once decrypted) or a missing one.
	 */
	if (st->key.len == 0 && (strstr(m, "ncrypt") != NULL ||
	    strstr(m, "magic number") != NULL)) {
		buf_reset(&st->dberr);
		return ncen_err_set(err, NCEN_EKEY,
		    _("%s: the data directory is "
		    "encrypted: give its key file"), st->home);
	}
	if (st->key.len != 0 && (ret == EPERM || ret == DB_RUNRECOVERY ||
	    strstr(m, "assword") != NULL || strstr(m, "checksum") != NULL ||
	    strstr(m, "ncrypt") != NULL)) {
		buf_reset(&st->dberr);
		return ncen_err_set(err, NCEN_EKEY,
		    _("%s: wrong encryption key "
		    "(key file %s)"), st->home, st->keyfile);
	}
	return store_dberr(st, ret, err, _("opening the environment"));
}

/*
 * Compare the key with the files before Berkeley DB sees them: the
 * generic meta page of seq.db (the first database made) names its
 * encryption algorithm in byte 24.  This gives clear messages, and
 * avoids a crash of libdb 5.3 when a key is given for a plain
 * environment whose regions must be made anew.  libdb 5.3.28 also
 * crashes (in __crypto_region_init) when a wrong key meets an
 * encrypted environment whose regions are gone (db_recover removes
 * them) but whose registry is still there; without the registry the
 * open runs recovery, which fails cleanly on a wrong key.  So with a
 * key and no regions, the stale registry goes.
 */
static int
store_env_probe(struct store *st, struct ncen_err *err)
{
	struct buf	path = BUF_INIT;
	unsigned char	meta[28];
	uint32_t	magic;
	ssize_t		n;
	int		fd, encrypted, error = NCEN_OK;

	buf_addf(&path, "%s/%s", st->home, STORE_SEQ_FILE);
	if ((fd = open(path.s, O_RDONLY)) == -1)
		goto out;		/* new, or Berkeley DB will say */
	do
		n = read(fd, meta, sizeof meta);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n != (ssize_t)sizeof meta)
		goto out;
	memcpy(&magic, meta + 12, sizeof magic);
	if (magic != 0x053162 && magic != 0x62310500)
		goto out;		/* not a btree: Berkeley DB will say */
	encrypted = meta[24] != 0;
	if (encrypted && st->key.len != 0 && (error =
	    store_env_stale_registry(st, err)) != NCEN_OK)
		goto out;
	if (encrypted && st->key.len == 0)
		error = ncen_err_set(err, NCEN_EKEY, _("%s: the data directory "
		    "is encrypted: give its key file"), st->home);
	else if (!encrypted && st->key.len != 0)
		error = ncen_err_set(err, NCEN_EKEY, _("%s: the data directory "
		    "is not encrypted, but a key file (%s) was given"),
		    st->home, st->keyfile);
out:
	buf_free(&path);
	return error;
}

/*
 * Open (creating if needed) one btree database of the environment;
 * pagesize (0: Berkeley DB's choice) counts only when it is created.
 */
int
store_env_db_open(struct store *st, DB_TXN *txn, DB **dbp, const char *file,
    u_int32_t dbflags, u_int32_t pagesize, struct ncen_err *err)
{
	DB	*db = NULL;
	int	 ret, error;

	*dbp = NULL;
	if ((ret = db_create(&db, st->env, 0)) != 0)
		return store_dberr(st, ret, err, "%s: db_create", file);
	if (dbflags != 0 && (ret = db->set_flags(db, dbflags)) != 0) {
		error = store_dberr(st, ret, err, "%s: set_flags", file);
		goto fail;
	}
	if (st->key.len != 0 && (ret = db->set_flags(db, DB_ENCRYPT)) != 0) {
		error = store_dberr(st, ret, err, "%s: set_flags(DB_ENCRYPT)",
		    file);
		goto fail;
	}
	if (pagesize != 0 && (ret = db->set_pagesize(db, pagesize)) != 0) {
		error = store_dberr(st, ret, err, "%s: set_pagesize", file);
		goto fail;
	}
	store_watch_enter();
	ret = db->open(db, txn, file, NULL, DB_BTREE,
	    DB_CREATE | (txn == NULL ? DB_AUTO_COMMIT : 0), 0);
	store_watch_leave();
	if (ret != 0) {
		/* The environment took the key: only a checksum blames it. */
		if (st->key.len != 0 &&
		    strstr(buf_cstr(&st->dberr), "checksum") != NULL) {
			buf_reset(&st->dberr);
			error = ncen_err_set(err, NCEN_EKEY, _("%s: %s: wrong "
			    "encryption key (key file %s)"), st->home, file,
			    st->keyfile);
		} else
			error = store_dberr(st, ret, err, _("opening %s"),
			    file);
		goto fail;
	}
	*dbp = db;
	return NCEN_OK;
fail:
	(void)db->close(db, 0);
	return error;
}

/* Open a form's sequence of ids in seq.db. */
static int
store_env_seq_open(struct store *st, struct store_entity *e,
    struct ncen_err *err)
{
	DB_SEQUENCE	*seq = NULL;
	DBT		 key;
	int		 ret, error;

	if ((ret = db_sequence_create(&seq, st->seqdb, 0)) != 0)
		return store_dberr(st, ret, err, "%s: db_sequence_create",
		    e->form->name);
	if ((ret = seq->initial_value(seq, 1)) != 0) {
		error = store_dberr(st, ret, err, "%s: sequence initial_value",
		    e->form->name);
		goto fail;
	}
	memset(&key, 0, sizeof key);
	key.data = e->form->name;
	key.size = (u_int32_t)strlen(e->form->name);
	store_watch_enter();
	ret = seq->open(seq, NULL, &key, DB_CREATE);
	store_watch_leave();
	if (ret != 0) {
		error = store_dberr(st, ret, err, _("%s: opening its sequence"),
		    e->form->name);
		goto fail;
	}
	e->seq = seq;
	return NCEN_OK;
fail:
	(void)seq->close(seq, 0);
	return error;
}

/* Whether a file of the environment exists already. */
int
store_env_exists(struct store *st, const char *file)
{
	struct buf	path = BUF_INIT;
	int		exists;

	buf_addf(&path, "%s/%s", st->home, file);
	exists = access(path.s, F_OK) == 0;
	buf_free(&path);
	return exists;
}

/*
 * Open a secondary index and associate it.  A new index is created and
 * built from its primary in one transaction (so a crash leaves no empty
 * index behind); an existing one is only associated, which takes no
 * lock that another process's transaction could hold up.
 */
static int
store_env_index_open(struct store *st, struct store_entity *e,
    struct store_index *ix, struct ncen_err *err)
{
	DB_TXN	*txn = NULL;
	int	 ret, error, exists;

	exists = store_env_exists(st, ix->file);
	store_watch_enter();
	if (!exists &&
	    (ret = st->env->txn_begin(st->env, NULL, &txn, 0)) != 0) {
		error = store_dberr(st, ret, err,
		    _("%s: beginning a transaction"),
		    ix->file);
		goto out;
	}
	if ((error = store_env_db_open(st, txn, &ix->db, ix->file, DB_DUPSORT,
	    STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto out;
	ix->db->app_private = ix;
	/* DB_CREATE: an index added to a form later is built here. */
	if ((ret = e->db->associate(e->db, txn, ix->db, store_env_index_cb,
	    exists ? 0 : DB_CREATE)) != 0) {
		error = store_dberr(st, ret, err,
		    _("%s: associating it with %s"),
		    ix->file, e->file);
		goto out;
	}
	if (txn != NULL) {
		ret = txn->commit(txn, 0);
		txn = NULL;
		if (ret != 0) {
			error = store_dberr(st, ret, err,
			    _("%s: committing its "
			    "build"), ix->file);
			goto out;
		}
	}
	/*
	 * The same file again, not associated: store_find reads index
	 * key -> id from it without a primary lookup per entry.
	 */
	if ((error = store_env_db_open(st, NULL, &ix->raw, ix->file,
	    DB_DUPSORT, STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto out;
	error = NCEN_OK;
out:
	if (error != NCEN_OK && ix->db != NULL) {
		(void)ix->db->close(ix->db, 0);
		ix->db = NULL;
	}
	if (txn != NULL)
		(void)txn->abort(txn);
	store_watch_leave();
	return error;
}

/* The file of a form's primary database, or of one of its indices. */
char *
store_env_file(const char *form, const char *field)
{
	struct buf	b = BUF_INIT;

	if (field == NULL)
		buf_addf(&b, "%s.db", form);
	else
		buf_addf(&b, "%s-%s.idx", form, field);
	return buf_detach(&b);
}

/* Make the table of entities and indices of the schema (no handles yet). */
static void
store_env_ents(struct store *st)
{
	const struct schema_form	*f;
	struct store_entity		*e;
	struct store_index		*ix;
	size_t				 i, j;

	st->nents = st->schema->nforms;
	st->ents = xcalloc(st->nents == 0 ? 1 : st->nents, sizeof *st->ents);
	for (i = 0; i < st->nents; i++) {
		f = st->schema->forms[i];
		e = &st->ents[i];
		e->form = f;
		e->file = store_env_file(f->name, NULL);
		for (j = 0; j < f->nfields; j++)
			if (f->fields[j].indexed)
				e->nidx++;
		if (e->nidx != 0)
			e->idx = xcalloc(e->nidx, sizeof *e->idx);
		e->nidx = 0;
		for (j = 0; j < f->nfields; j++) {
			if (!f->fields[j].indexed)
				continue;
			ix = &e->idx[e->nidx++];
			ix->field = &f->fields[j];
			ix->form = f;
			ix->view = &st->view;
			ix->file = store_env_file(f->name, f->fields[j].name);
		}
		if (schema_form_searched(f)) {
			ix = e->search = xcalloc(1, sizeof *e->search);
			ix->form = f;
			ix->view = &st->view;
			ix->file = store_search_file(f->name);
		}
	}
}

/*
 * Leave the regions after a failed open.  They may hold pages other
 * processes committed and left to the last one out (a close beside
 * others makes no checkpoint, see store_close), counting on this one,
 * registered since its open began: checkpoint, and remove them only if
 * that worked and the close lock was free.  The lock is not waited for
 * (a reopen after a panic runs outside the watchdog, up to
 * STORE_REOPENS times).  An environment that did not open cannot
 * checkpoint: its regions stay for the next process.
 */
static void
store_env_open_undo(struct store *st, int opened)
{
	int	fd, clean = 0;

	fd = store_space_close_lock(st->home, 0);
	if (opened) {
		store_watch_enter();
		clean = st->env->txn_checkpoint(st->env, 0, 0, 0) == 0;
		store_watch_leave();
		buf_reset(&st->dberr);
	}
	store_env_handles_close(st);
	if (clean && fd != -1)
		store_space_env_release(st->home);
	store_space_close_unlock(fd);
}

/*
 * Open the environment and every database of the schema.
 *
 * A process that finds a dead one in the registry recovers: it marks
 * the environment panicked, waits STORE_REG_WAIT_US twice for the
 * others to see that (Berkeley DB checks before each write), then
 * removes the regions and replays the log.  The wait is for a process
 * held up between that check and its write, whose write would land in
 * the log after the replay read it (store-txn.c says what a commit
 * does about it).
 */
static int
store_env_open(struct store *st, struct ncen_err *err)
{
	struct store_entity		*e;
	DB_ENV				*env = NULL;
	u_int32_t			 flags;
	size_t				 i, j;
	struct store_space_env		 se;
	int				 ret, error, opened = 0;

	buf_reset(&st->dberr);
	if ((error = store_env_probe(st, err)) != NCEN_OK)
		return error;
	if ((ret = db_env_create(&env, 0)) != 0)
		return ncen_err_set(err, NCEN_EDB, "%s: db_env_create: %s",
		    st->home, db_strerror(ret));
	st->env = env;
	env->app_private = st;
	env->set_errcall(env, store_errcall);
	env->set_msgcall(env, store_msgcall);
	if ((ret = env->set_lk_detect(env, DB_LOCK_DEFAULT)) != 0 ||
	    (ret = env->set_lk_max_locks(env, STORE_LOCKS)) != 0 ||
	    (ret = env->set_lk_max_objects(env, STORE_LOCKS)) != 0 ||
	    (ret = env->set_lk_max_lockers(env, STORE_LOCKS)) != 0 ||
	    (ret = env->set_lg_max(env, STORE_LOG_MAX)) != 0 ||
	    (ret = env->set_timeout(env, STORE_REG_WAIT_US,
	    DB_SET_REG_TIMEOUT)) != 0 ||
	    (ret = env->log_set_config(env, DB_LOG_AUTO_REMOVE, 1)) != 0) {
		error = store_dberr(st, ret, err,
		    _("configuring the environment"));
		goto fail;
	}
	/*
	 * The cache and the log buffer are fixed when the environment's
	 * regions are made (the first process after a clean shutdown or
	 * recovery); a DB_CONFIG file in the data directory overrides both.
	 */
	if ((ret = env->set_cachesize(env, (u_int32_t)(st->cachesize >> 30),
	    (u_int32_t)(st->cachesize & ((1U << 30) - 1)), 1)) != 0) {
		error = store_dberr(st, ret, err, _("setting the cache size"));
		goto fail;
	}
	if ((ret = env->set_lg_bsize(env, STORE_LOG_BUF)) != 0) {
		error = store_dberr(st, ret, err, _("setting the log buffer"));
		goto fail;
	}
	if (st->nosync &&
	    (ret = env->set_flags(env, DB_TXN_WRITE_NOSYNC, 1)) != 0) {
		error = store_dberr(st, ret, err,
		    "set_flags(DB_TXN_WRITE_NOSYNC)");
		goto fail;
	}
	if (st->key.len != 0 &&
	    (ret = env->set_encrypt(env, st->key.s, DB_ENCRYPT_AES)) != 0) {
		error = store_dberr(st, ret, err,
		    _("setting the encryption key"));
		goto fail;
	}

	/* DB_RECOVER needs DB_CREATE; store_open checked the directory. */
	flags = DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG |
	    DB_INIT_MPOOL | DB_REGISTER | DB_RECOVER;
	/* The waits for the regions lock count in the open's bound. */
	store_watch_enter();
	if ((error = store_space_env_config(env, st->home, &flags, &se,
	    err)) != NCEN_OK) {
		(void)store_space_env_done(st->home, &se, 0, NULL);
		store_watch_leave();
		goto fail;
	}
	ret = env->open(env, st->home, flags, 0600);
	error = store_space_env_done(st->home, &se, ret == 0, err);
	store_watch_leave();
	if (ret != 0) {
		error = store_env_open_error(st, ret, err);
		goto fail;
	}
	opened = 1;
	if (error != NCEN_OK)
		goto fail;

	if ((error = store_env_db_open(st, NULL, &st->seqdb, STORE_SEQ_FILE, 0,
	    STORE_PAGE_INDEX, err)) != NCEN_OK ||
	    (error = store_env_db_open(st, NULL, &st->links, STORE_LINKS_FILE,
	    DB_DUPSORT, STORE_PAGE_INDEX, err)) != NCEN_OK ||
	    (error = store_env_db_open(st, NULL, &st->accounts,
	    STORE_ACCOUNTS_FILE, 0, 0, err)) != NCEN_OK ||
	    (error = store_env_db_open(st, NULL, &st->audit, STORE_AUDIT_FILE,
	    0, STORE_PAGE_INDEX, err)) != NCEN_OK ||
	    (error = store_env_db_open(st, NULL, &st->counts,
	    STORE_COUNTS_FILE, 0, 0, err)) != NCEN_OK)
		goto fail;
	/* A facts.db made now holds no rows: see store_open. */
	st->fact_new = !store_env_exists(st, STORE_FACTS_FILE);
	if ((error = store_env_db_open(st, NULL, &st->facts, STORE_FACTS_FILE,
	    0, STORE_PAGE_INDEX, err)) != NCEN_OK)
		goto fail;
	for (i = 0; i < STORE_KV_NDB; i++)
		if ((error = store_env_db_open(st, NULL, &st->kv[i],
		    store_kv_files[i], 0, 0, err)) != NCEN_OK)
			goto fail;

	/* A reopen keeps the table: walks hold pointers into it. */
	if (st->ents == NULL)
		store_env_ents(st);
	for (i = 0; i < st->nents; i++) {
		e = &st->ents[i];
		if ((error = store_env_db_open(st, NULL, &e->db, e->file, 0,
		    STORE_PAGE_PRIMARY, err)) != NCEN_OK ||
		    (error = store_env_seq_open(st, e, err)) != NCEN_OK)
			goto fail;
		for (j = 0; j < e->nidx; j++)
			if ((error = store_env_index_open(st, e, &e->idx[j],
			    err)) != NCEN_OK)
				goto fail;
		if ((error = store_search_open(st, e, err)) != NCEN_OK)
			goto fail;
	}
	return NCEN_OK;
fail:
	store_env_open_undo(st, opened);
	return error;
}

/*
 * Close every handle, ignoring failures (a panicked environment fails
 * them); the table of entities stays, for the next open to fill again.
 */
static void
store_env_handles_close(struct store *st)
{
	struct store_entity	*e;
	size_t			 i, j;

	store_watch_enter();
	for (i = 0; i < st->nents; i++) {
		e = &st->ents[i];
		if (e->seq != NULL)
			(void)e->seq->close(e->seq, 0);
		e->seq = NULL;
		for (j = 0; j < e->nidx; j++) {
			if (e->idx[j].raw != NULL)
				(void)e->idx[j].raw->close(e->idx[j].raw, 0);
			if (e->idx[j].db != NULL)
				(void)e->idx[j].db->close(e->idx[j].db, 0);
			e->idx[j].raw = e->idx[j].db = NULL;
		}
		if (e->search != NULL) {
			if (e->search->raw != NULL)
				(void)e->search->raw->close(e->search->raw, 0);
			if (e->search->db != NULL)
				(void)e->search->db->close(e->search->db, 0);
			e->search->raw = e->search->db = NULL;
		}
		if (e->db != NULL)
			(void)e->db->close(e->db, 0);
		e->db = NULL;
	}
	if (st->links != NULL)
		(void)st->links->close(st->links, 0);
	if (st->accounts != NULL)
		(void)st->accounts->close(st->accounts, 0);
	if (st->audit != NULL)
		(void)st->audit->close(st->audit, 0);
	if (st->counts != NULL)
		(void)st->counts->close(st->counts, 0);
	if (st->facts != NULL)
		(void)st->facts->close(st->facts, 0);
	st->accounts = st->audit = st->counts = st->facts = NULL;
	for (i = 0; i < STORE_KV_NDB; i++) {
		if (st->kv[i] != NULL)
			(void)st->kv[i]->close(st->kv[i], 0);
		st->kv[i] = NULL;
	}
	if (st->seqdb != NULL)
		(void)st->seqdb->close(st->seqdb, 0);
	st->links = st->seqdb = NULL;
	if (st->env != NULL) {
		(void)st->env->close(st->env, 0);
		/* Its writes are over: none to check against it. */
		store_gate_set(st->home, -1);
	}
	st->env = NULL;
	store_watch_leave();
}

/* Close every handle and free the table of entities. */
static void
store_env_shutdown(struct store *st)
{
	struct store_entity	*e;
	size_t			 i, j;

	store_env_handles_close(st);
	for (i = 0; i < st->nents; i++) {
		e = &st->ents[i];
		for (j = 0; j < e->nidx; j++)
			free(e->idx[j].file);
		free(e->idx);
		if (e->search != NULL)
			free(e->search->file);
		free(e->search);
		free(e->file);
	}
	free(st->ents);
	st->ents = NULL;
	st->nents = 0;
	record_view_free(&st->view);
	for (i = 0; i < STORE_FACT_NFORMS; i++) {
		free(st->fact_forms[i].cols);
		st->fact_forms[i].cols = NULL;
	}
	buf_free(&st->fact_layout);
}

/*
 * Close and reopen after a panic: the reopen runs recovery if needed.
 * The entities and indices keep their place in memory (a walk holds
 * pointers to them); only their handles are new.
 */
int
store_env_reopen(struct store *st, struct ncen_err *err)
{
	int	error;

	store_env_handles_close(st);
	record_view_free(&st->view);
	if ((error = store_env_open(st, err)) != NCEN_OK)
		ncen_err_prefix(err, _("reopening after a database panic: "));
	return error;
}

/* Check that the data directory exists (making it if asked to). */
static int
store_env_home(const struct store_options *o, struct ncen_err *err)
{
	struct stat	 sb;
	struct buf	 seq = BUF_INIT;
	int		 error = NCEN_OK;

	if (stat(o->home, &sb) != 0) {
		if (errno != ENOENT || !o->create)
			return ncen_err_set(err, errno == ENOENT ?
			    NCEN_ENOTFOUND : NCEN_EIO, "%s: %s%s", o->home,
			    strerror(errno), errno == ENOENT ?
			    " (ncenctl init creates a data directory)" : "");
		if (mkdir(o->home, 0770) != 0)
			return ncen_err_set(err, NCEN_EIO,
			    _("%s: cannot create "
			    "the data directory: %s"), o->home,
			    strerror(errno));
		return NCEN_OK;
	}
	if (!S_ISDIR(sb.st_mode))
		return ncen_err_set(err, NCEN_EIO, _("%s: not a directory"),
		    o->home);
	buf_addf(&seq, "%s/%s", o->home, STORE_SEQ_FILE);
	if (!o->create && access(seq.s, F_OK) != 0)
		error = ncen_err_set(err, NCEN_ENOTFOUND, _("%s: not an ncen "
		    "data directory (no %s; ncenctl init creates one)"),
		    o->home,
		    STORE_SEQ_FILE);
	buf_free(&seq);
	return error;
}

/* Refuse forms whose files would be the store's own (seq.db, links.db). */
static int
store_env_names(const struct schema *schema, struct ncen_err *err)
{
	size_t	i;

	for (i = 0; i < schema->nforms; i++)
		if (strcmp(schema->forms[i]->name, "seq") == 0 ||
		    strcmp(schema->forms[i]->name, "links") == 0)
			return ncen_err_set(err, NCEN_EUSAGE,
			    _("%s: a form may "
			    "not be named '%s': its file would be the store's "
			    "own %s.db"), schema->forms[i]->path != NULL ?
			    schema->forms[i]->path : "(schema)",
			    schema->forms[i]->name, schema->forms[i]->name);
	return NCEN_OK;
}

/* Open the store of a data directory for a schema (borrowed). */
int
store_open(const struct store_options *o, const struct schema *schema,
    struct store **out, struct ncen_err *err)
{
	struct store	*st = NULL;
	int		 error;

	*out = NULL;
	if ((error = store_version_check(err)) != NCEN_OK)
		return error;
	if (o == NULL || o->home == NULL || *o->home == '\0' || schema == NULL)
		return ncen_err_set(err, NCEN_EUSAGE,
		    "store_open: no data directory or no schema");
	if ((error = store_env_names(schema, err)) != NCEN_OK)
		return error;
	if ((error = store_env_home(o, err)) != NCEN_OK)
		return error;

	st = xcalloc(1, sizeof *st);
	st->home = xstrdup(o->home);
	st->keyfile = o->keyfile == NULL ? NULL : xstrdup(o->keyfile);
	st->create = o->create;
	st->nosync = o->nosync;
	st->watchdog = o->watchdog == 0 ? 10 : o->watchdog;
	st->cachesize = o->cachesize == 0 ? STORE_CACHE_DEFAULT : o->cachesize;
	st->schema = schema;
	store_fact_layout(st);
	if (st->keyfile != NULL &&
	    (error = store_key_read(st->keyfile, &st->key, err)) != NCEN_OK)
		goto fail;
	if ((error = store_space_open(st, err)) != NCEN_OK)
		goto fail;
	if ((error = store_watch_start(st->watchdog, err)) != NCEN_OK)
		goto fail;
	/* A panic while opening (another process recovering): once more. */
	if ((error = store_env_open(st, err)) == NCEN_ERECOVER)
		error = store_env_open(st, err);
	if (error != NCEN_OK)
		goto fail;
	/* A search index new or half built (upgrade, crash): in batches. */
	if ((error = store_search_finish(st, err)) != NCEN_OK)
		goto fail;
	/* A missing facts.db (an older directory, a copy without it). */
	if (st->fact_new && (error = store_fact_forget(st, err)) != NCEN_OK)
		goto fail;
	/* Counts of links missing (an older directory, a new form). */
	if ((error = store_count_links_make(st, err)) != NCEN_OK)
		goto fail;
	*out = st;
	return NCEN_OK;
fail:
	store_env_shutdown(st);
	if (st->key.s != NULL)
		explicit_bzero(st->key.s, st->key.cap);
	buf_free(&st->key);
	buf_free(&st->dberr);
	free(st->keyfile);
	free(st->home);
	free(st);
	return error;
}

/* Checkpoint and remove the log files no longer needed. */
int
store_checkpoint(struct store *st, struct ncen_err *err)
{
	int	ret, error = NCEN_OK;

	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE,
		    "store_checkpoint: called inside a transaction");
	if (st->env == NULL && (error = store_env_reopen(st, err)) != NCEN_OK)
		return error;
	buf_reset(&st->dberr);
	store_watch_enter();
	if ((ret = st->env->txn_checkpoint(st->env, 0, 0, 0)) != 0)
		error = store_dberr(st, ret, err, _("checkpoint"));
	else if ((ret = st->env->log_archive(st->env, NULL,
	    DB_ARCH_REMOVE)) != 0)
		error = store_dberr(st, ret, err, _("removing old log files"));
	store_watch_leave();
	return error;
}

/*
 * The checkpoint of a close.  The last process out checkpoints: the
 * regions, and the cache in them, go with it, and a clean open does not
 * recover.  With the close lock held (held), a close that sees another
 * process registered leaves the checkpoint to it (*skipped): that one
 * decides after this close is over and checkpoints if it is the last,
 * or, killed, makes the next open recover.  Such a close checkpoints
 * only when STORE_CKP_KB of log or STORE_CKP_MIN minutes have passed
 * since the last checkpoint, which bounds recovery: a command that only
 * read (and audited it) costs its one commit.  *owed: a checkpoint
 * failed (a full disk) and the regions must stay (store-space.c).
 * *regfd: the registry as read, closed once the environment is.
 */
static int
store_close_checkpoint(struct store *st, int held, int *skipped, int *owed,
    int *regfd, struct ncen_err *err)
{
	int	ret;

	*skipped = *owed = 0;
	*regfd = -1;
	if (st->env == NULL) {
		/* Left already: a failed reopen (store_env_open_undo). */
		*skipped = 1;
		return NCEN_OK;
	}
	if ((*skipped = held && store_space_shared(st->home, regfd)))
		ret = st->env->txn_checkpoint(st->env, STORE_CKP_KB,
		    STORE_CKP_MIN, 0);
	else
		ret = st->env->txn_checkpoint(st->env, 0, 0, 0);
	if (ret != 0) {
		/* Committed pages may be in the cache only: the next
		 * open recovers them from the log (store-space.c). */
		if ((*owed = ret != DB_RUNRECOVERY))
			store_space_pending(st->home, 0);
		return store_dberr(st, ret, err, _("checkpoint at close"));
	}
	if (!*skipped)
		store_space_pending(st->home, 1);
	return NCEN_OK;
}

/*
 * Close one database handle, keeping the first error.  No sync: the log
 * has every committed change, and the last close's checkpoint wrote the
 * pages (a sync per file here paid an fdatasync per file written).
 */
static void
store_close_db(struct store *st, DB **dbp, const char *file, int *error,
    struct ncen_err *err)
{
	int	ret;

	if (*dbp == NULL)
		return;
	if ((ret = (*dbp)->close(*dbp, DB_NOSYNC)) != 0 && *error == NCEN_OK)
		*error = store_dberr(st, ret, err, _("%s: close"), file);
	*dbp = NULL;
}

/* Close the handles of every form: sequence, indices, primary. */
static void
store_close_entities(struct store *st, int *error, struct ncen_err *err)
{
	struct store_entity	*e;
	size_t			 i, j;
	int			 ret;

	for (i = 0; i < st->nents; i++) {
		e = &st->ents[i];
		if (e->seq != NULL && (ret = e->seq->close(e->seq, 0)) != 0 &&
		    *error == NCEN_OK)
			*error = store_dberr(st, ret, err, _("%s: closing its "
			    "sequence"), e->form->name);
		e->seq = NULL;
		for (j = 0; j < e->nidx; j++) {
			store_close_db(st, &e->idx[j].raw, e->idx[j].file,
			    error, err);
			store_close_db(st, &e->idx[j].db, e->idx[j].file,
			    error, err);
		}
		if (e->search != NULL) {
			store_close_db(st, &e->search->raw, e->search->file,
			    error, err);
			store_close_db(st, &e->search->db, e->search->file,
			    error, err);
		}
		store_close_db(st, &e->db, e->file, error, err);
	}
}

/* Close the store's own databases, seq.db last, then the environment. */
static void
store_close_files(struct store *st, int *error, struct ncen_err *err)
{
	const struct {
		DB		**dbp;
		const char	 *file;
	} files[] = {
		{ &st->links, STORE_LINKS_FILE },
		{ &st->accounts, STORE_ACCOUNTS_FILE },
		{ &st->audit, STORE_AUDIT_FILE },
		{ &st->counts, STORE_COUNTS_FILE },
		{ &st->facts, STORE_FACTS_FILE },
	};
	size_t	i;
	int	ret;

	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		store_close_db(st, files[i].dbp, files[i].file, error, err);
	for (i = 0; i < STORE_KV_NDB; i++)
		store_close_db(st, &st->kv[i], store_kv_files[i], error, err);
	store_close_db(st, &st->seqdb, STORE_SEQ_FILE, error, err);
	if (st->env != NULL && (ret = st->env->close(st->env, 0)) != 0 &&
	    *error == NCEN_OK)
		*error = store_dberr(st, ret, err,
		    _("closing the environment"));
	if (st->env != NULL)
		store_gate_set(st->home, -1);	/* its writes are over */
	st->env = NULL;
}

/* Free a closed store, the key wiped first. */
static void
store_close_free(struct store *st)
{
	if (st->key.s != NULL)
		explicit_bzero(st->key.s, st->key.cap);
	buf_free(&st->key);
	buf_free(&st->dberr);
	free(st->keyfile);
	free(st->home);
	free(st);
}

/*
 * Checkpoint if needed, close every handle and free the store.  Closes
 * take turns (the close lock, held from the checkpoint's decision until
 * the process has left the regions), so that each one that leaves its
 * checkpoint to the others sees only processes that decide after it.
 * Only a close that checkpointed, with the lock, removes the regions;
 * one that could not take it checkpoints and leaves them.  A store
 * whose environment is gone (a reopen failed) or panicked has no
 * checkpoint to make: it does not wait for the lock, which would only
 * hold up a process leaving after another one died.
 */
int
store_close(struct store *st, struct ncen_err *err)
{
	int	lockfd, skipped, owed, regfd, error, waitit;

	if (st == NULL)
		return NCEN_OK;
	buf_reset(&st->dberr);
	store_watch_enter();
	waitit = st->env != NULL && !store_txn_panicked(st);
	store_watch_leave();
	lockfd = st->env != NULL ? store_space_close_lock(st->home, waitit) :
	    -1;
	store_watch_enter();
	error = store_close_checkpoint(st, lockfd != -1, &skipped, &owed,
	    &regfd, err);
	store_close_entities(st, &error, err);
	store_close_files(st, &error, err);
	store_space_shared_done(regfd);
	if (!skipped && !owed && lockfd != -1)
		store_space_env_release(st->home);
	store_watch_leave();
	store_space_close_unlock(lockfd);
	store_env_shutdown(st);		/* frees what is left */
	store_watch_stop();
	store_close_free(st);
	return error;
}

/* Add a hook every change calls in its transaction (again: a new arg). */
void
store_hook_add(struct store *st, store_change_fn fn, void *arg)
{
	size_t	i;

	for (i = 0; i < st->nhooks; i++)
		if (st->hooks[i].fn == fn)
			break;
	if (i == st->nhooks) {
		/* A fixed few, added at start-up: more is a programming error. */
		if (st->nhooks == STORE_HOOKS)
			abort();
		st->nhooks++;
	}
	st->hooks[i].fn = fn;
	st->hooks[i].arg = arg;
}

/* Call every hook on a change, in the order added; stop at an error. */
int
store_hooks_call(struct store_txn *t, const struct store_change *c,
    struct ncen_err *err)
{
	size_t	i;
	int	error;

	for (i = 0; i < t->st->nhooks; i++)
		if ((error = t->st->hooks[i].fn(t, c, t->st->hooks[i].arg,
		    err)) != NCEN_OK)
			return error;
	return NCEN_OK;
}

/* The schema the store was opened with. */
const struct schema *
store_schema(const struct store *st)
{
	return st->schema;
}

/* The data directory. */
const char *
store_home(const struct store *st)
{
	return st->home;
}
