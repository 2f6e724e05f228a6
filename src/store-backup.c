/*
 * store-backup.c - hot backup, restore and recovery of a data directory:
 * the databases and logs, the forms, and what else a node needs to
 * resume (its Icomm identity, attachments, spooled drafts), each file
 * listed in the MANIFEST with its size and SHA-256.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <db.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-backup.h"
#include "store-draft.h"
#include "store-int.h"
#include "store.h"
#include "xmalloc.h"

#define STORE_BACKUP_ENV_FLAGS \
	(DB_CREATE | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL)

/* The library's own words about a failure, gathered while a handle is open. */
struct store_backup_env {
	DB_ENV		*env;
	struct buf	 msgs;
	const char	*keyfile;
};

/* Keep the library's error messages for the report (errcall). */
static void
store_backup_errcall(const DB_ENV *env, const char *pfx, const char *msg)
{
	struct store_backup_env	*be = env->app_private;

	if (be == NULL)
		return;
	if (be->msgs.len != 0)
		buf_adds(&be->msgs, "; ");
	buf_adds(&be->msgs, msg);
}

/* Turn a Berkeley DB failure into an error naming what failed. */
static int
store_backup_dberr(struct store_backup_env *be, int ret, struct ncen_err *e,
    const char *what, const char *path)
{
	enum ncen_code	code = NCEN_EDB;
	const char	*msgs = buf_cstr(&be->msgs);

	/* A wrong key shows up as a checksum failure or a panic. */
	if (be->keyfile != NULL && (ret == DB_RUNRECOVERY ||
	    strstr(msgs, "checksum") != NULL ||
	    strstr(msgs, "encrypt") != NULL ||
	    strstr(msgs, "password") != NULL))
		return ncen_err_set(e, NCEN_EKEY, _("%s: wrong encryption key "
		    "(%s)"), path, be->keyfile);
	/* An encrypted log read without a key has a foreign magic number. */
	if (be->keyfile == NULL && (strstr(msgs, "magic number") != NULL ||
	    strstr(msgs, "encrypt") != NULL))
		return ncen_err_set(e, NCEN_EKEY, _("%s: the data directory is "
		    "encrypted: give its key file"), path);
	if (ret == DB_RUNRECOVERY)
		code = NCEN_ERECOVER;
	if (*msgs != '\0')
		return ncen_err_set(e, code, "%s: %s: %s (%s)", path, what,
		    db_strerror(ret), msgs);
	return ncen_err_set(e, code, "%s: %s: %s", path, what,
	    db_strerror(ret));
}

static int	store_backup_env_close(struct store_backup_env *, const char *,
		    struct ncen_err *);

/* Open an environment handle on a directory with the given flags. */
static int
store_backup_env_open(struct store_backup_env *be, const char *home,
    const char *keyfile, u_int32_t flags, struct ncen_err *e)
{
	struct buf	key = BUF_INIT;
	struct store_space_env	se;
	int		ret, r = NCEN_OK, opened = 0;

	memset(be, 0, sizeof *be);
	be->keyfile = keyfile;
	if ((ret = db_env_create(&be->env, 0)) != 0) {
		be->env = NULL;
		return ncen_err_set(e, NCEN_EDB, "%s: db_env_create: %s", home,
		    db_strerror(ret));
	}
	be->env->app_private = be;
	be->env->set_errcall(be->env, store_backup_errcall);
	if (keyfile != NULL) {
		if ((r = store_key_read(keyfile, &key, e)) != NCEN_OK)
			goto out;
		if ((ret = be->env->set_encrypt(be->env, key.s,
		    DB_ENCRYPT_AES)) != 0) {
			r = store_backup_dberr(be, ret, e, "set_encrypt", home);
			goto out;
		}
	}
	/* The store's own sizes, in case this handle creates the regions. */
	if ((ret = be->env->set_lk_detect(be->env, DB_LOCK_DEFAULT)) != 0 ||
	    (ret = be->env->set_lk_max_locks(be->env, STORE_LOCKS)) != 0 ||
	    (ret = be->env->set_lk_max_objects(be->env, STORE_LOCKS)) != 0 ||
	    (ret = be->env->set_lk_max_lockers(be->env, STORE_LOCKS)) != 0 ||
	    (ret = be->env->set_lg_max(be->env, STORE_LOG_MAX)) != 0 ||
	    (ret = be->env->set_timeout(be->env, STORE_REG_WAIT_US,
	    DB_SET_REG_TIMEOUT)) != 0) {
		r = store_backup_dberr(be, ret, e, _("configuring"), home);
		goto out;
	}
	/* The waits for the regions lock count in the open's bound. */
	store_watch_enter();
	if ((r = store_space_env_config(be->env, home, &flags, &se,
	    e)) != NCEN_OK) {
		(void)store_space_env_done(home, &se, 0, NULL);
		store_watch_leave();
		goto out;
	}
	ret = be->env->open(be->env, home, flags, 0600);
	opened = ret == 0;
	r = store_space_env_done(home, &se, opened, e);
	store_watch_leave();
	if (ret != 0) {
		r = store_backup_dberr(be, ret, e, _("opening the environment"),
		    home);
		goto out;
	}
out:
	if (key.s != NULL)
		memset(key.s, 0, key.cap);
	buf_free(&key);
	if (r != NCEN_OK && opened)
		/* Opened, then failed: leave as a close does. */
		(void)store_backup_env_close(be, home, NULL);
	else if (r != NCEN_OK) {
		/*
		 * Not opened: it cannot checkpoint, and the regions may hold
		 * pages a close beside it left to the last process out; they
		 * stay, and the next open clears and recovers them.
		 */
		(void)be->env->close(be->env, 0);
		be->env = NULL;
		buf_free(&be->msgs);
	}
	return r;
}

/* Close an environment handle opened by store_backup_env_open. */
static int
store_backup_env_close(struct store_backup_env *be, const char *home,
    struct ncen_err *e)
{
	int	ret, r = NCEN_OK, fd, clean;

	if (be->env == NULL)
		return NCEN_OK;
	/*
	 * Leave like store_close: others may have left their checkpoint
	 * to this process; the regions go only after one.
	 */
	fd = store_space_close_lock(home, 1);
	store_watch_enter();
	clean = be->env->txn_checkpoint(be->env, 0, 0, 0) == 0;
	ret = be->env->close(be->env, 0);
	store_watch_leave();
	if (ret != 0)
		r = store_backup_dberr(be, ret, e, _("closing the environment"),
		    home);
	be->env = NULL;
	if (clean && fd != -1)
		store_space_env_release(home);
	store_space_close_unlock(fd);
	buf_free(&be->msgs);
	return r;
}

/* Whether a file name is one of the store's own files (databases, logs). */
static int
store_backup_is_store_file(const char *name)
{
	size_t	len = strlen(name);

	if (strncmp(name, "log.", 4) == 0 || strncmp(name, "__db.", 5) == 0)
		return 1;
	if (len > 3 && strcmp(name + len - 3, ".db") == 0)
		return 1;
	if (len > 4 && strcmp(name + len - 4, ".idx") == 0)
		return 1;
	return 0;
}

/* Whether a name is a forms file (.form, .codes, .queries or .rates). */
static int
store_backup_is_forms_file(const char *name)
{
	size_t	len = strlen(name);

	return (len > 5 && strcmp(name + len - 5, ".form") == 0) ||
	    (len > 6 && strcmp(name + len - 6, ".codes") == 0) ||
	    (len > 8 && strcmp(name + len - 8, ".queries") == 0) ||
	    (len > 6 && strcmp(name + len - 6, ".rates") == 0);
}

/* Sort names (qsort). */
static int
store_backup_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of a directory's entries, without dot files. */
int
store_backup_list(const char *dir, char ***namesp, size_t *np,
    struct ncen_err *e)
{
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL;
	size_t		 n = 0;

	*namesp = NULL;
	*np = 0;
	if ((d = opendir(dir)) == NULL)
		return ncen_err_set(e, NCEN_EIO, "%s: %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n != 0)
		qsort(names, n, sizeof *names, store_backup_namecmp);
	*namesp = names;
	*np = n;
	return NCEN_OK;
}

/* Free a list of names. */
void
store_backup_list_free(char **names, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Copy one file to a new file of the given mode, flushed to disk. */
static int
store_backup_copy_file(const char *from, const char *to, mode_t mode,
    struct ncen_err *e)
{
	char	 tmp[65536];
	ssize_t	 n, w;
	size_t	 off;
	int	 in = -1, out = -1, r = NCEN_OK;

	if ((in = open(from, O_RDONLY)) == -1) {
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", from, strerror(errno));
		goto out;
	}
	if ((out = open(to, O_WRONLY | O_CREAT | O_EXCL, mode)) == -1) {
		r = ncen_err_set(e, errno == EEXIST ? NCEN_EEXISTS : NCEN_EIO,
		    "%s: %s", to, strerror(errno));
		goto out;
	}
	for (;;) {
		if ((n = read(in, tmp, sizeof tmp)) == -1) {
			if (errno == EINTR)
				continue;
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", from,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		for (off = 0; off < (size_t)n; off += (size_t)w) {
			if ((w = write(out, tmp + off, (size_t)n - off)) == -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				r = ncen_err_set(e, NCEN_EIO, "%s: %s", to,
				    strerror(errno));
				goto out;
			}
		}
	}
	if (fsync(out) == -1) {
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", to, strerror(errno));
		goto out;
	}
out:
	if (in != -1)
		close(in);
	if (out != -1 && close(out) == -1 && r == NCEN_OK)
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", to, strerror(errno));
	return r;
}

/* Make a directory (mode 0700) unless it is there already. */
static int
store_backup_mkdir(const char *dir, struct ncen_err *e)
{
	if (mkdir(dir, 0700) == -1 && errno != EEXIST)
		return ncen_err_set(e, NCEN_EIO, "%s: %s", dir,
		    strerror(errno));
	return NCEN_OK;
}

/*
 * What a node needs beside its databases, logs and forms to resume
 * where it was: its Icomm identity (the private key too: a backup is as
 * secret as the data directory), the secret its pseudonyms are keyed
 * with (restored, it names a person as before), the attached files
 * (attach.c keeps them, unencrypted, under attachments/XX/SHA256) and
 * the drafts spooled when the store stopped answering, and the journal
 * of an import that died part way (restore rolls it back: ncenctl
 * makes sure no import is under way while it backs up).  Names are the
 * owners' (icomm.h, icomm-pseudo.h, attach.h, ctl-journal.c); this
 * layer cannot include them.  A name with a '*' is a pattern.
 */
static const char *const store_backup_extras[] = {
	"node.key",		/* icomm.h ICOMM_KEY_FILE, mode 0600 */
	"node.crt",		/* icomm.h ICOMM_CERT_FILE */
	"node.secret",		/* icomm-pseudo.h ICOMM_SECRET_FILE, 0600 */
	"attachments",		/* attach.h ATTACH_DIR, a tree */
	STORE_DRAFT_SPOOL,	/* spool/USER.draft */
	"import-*.journal",	/* ctl-journal.c, of an import that died */
};

#define STORE_BACKUP_NEXTRAS \
	(sizeof store_backup_extras / sizeof store_backup_extras[0])

/* Called for each regular file (file) and, after its files, each directory. */
typedef int (*store_backup_walk_fn)(const char *base, const char *rel,
    const struct stat *, void *arg, struct ncen_err *);

/*
 * Walk base/rel: a regular file, or a directory whose entries are
 * walked in name order before it is given to dirfn (NULL: not given).
 * Dot names (temporary files being written) and anything that is
 * neither a file nor a directory are left out; a missing rel is none.
 */
static int
store_backup_walk(const char *base, const char *rel, store_backup_walk_fn
    filefn, store_backup_walk_fn dirfn, void *arg, struct ncen_err *e)
{
	struct buf	  path = BUF_INIT, sub = BUF_INIT;
	struct stat	  sb;
	char		**names = NULL;
	size_t		  n = 0, i;
	int		  r = NCEN_OK;

	buf_addf(&path, "%s/%s", base, rel);
	if (lstat(path.s, &sb) == -1) {
		if (errno != ENOENT)
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
		goto out;
	}
	if (S_ISREG(sb.st_mode)) {
		r = filefn(base, rel, &sb, arg, e);
		goto out;
	}
	if (!S_ISDIR(sb.st_mode))
		goto out;
	if ((r = store_backup_list(path.s, &names, &n, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < n && r == NCEN_OK; i++) {
		buf_reset(&sub);
		buf_addf(&sub, "%s/%s", rel, names[i]);
		r = store_backup_walk(base, sub.s, filefn, dirfn, arg, e);
	}
	if (r == NCEN_OK && dirfn != NULL)
		r = dirfn(base, rel, &sb, arg, e);
out:
	store_backup_list_free(names, n);
	buf_free(&path);
	buf_free(&sub);
	return r;
}

/* The names an extra stands for in a directory (a pattern: its matches). */
static int
store_backup_extra_names(const char *base, const char *extra, char ***namesp,
    size_t *np, struct ncen_err *e)
{
	char	**names = NULL;
	size_t	  n = 0, i, kept = 0;
	int	  r;

	if (strchr(extra, '*') == NULL) {
		*namesp = xcalloc(1, sizeof **namesp);
		(*namesp)[0] = xstrdup(extra);
		*np = 1;
		return NCEN_OK;
	}
	if ((r = store_backup_list(base, &names, &n, e)) != NCEN_OK)
		return r;
	for (i = 0; i < n; i++) {
		if (fnmatch(extra, names[i], FNM_PATHNAME) == 0)
			names[kept++] = names[i];
		else
			free(names[i]);
	}
	*namesp = names;
	*np = kept;
	return NCEN_OK;
}

/* Walk every extra of a directory, as store_backup_walk walks one. */
static int
store_backup_walk_extras(const char *base, store_backup_walk_fn filefn,
    store_backup_walk_fn dirfn, void *arg, struct ncen_err *e)
{
	char	**names;
	size_t	  n, i, j;
	int	  r = NCEN_OK;

	for (i = 0; i < STORE_BACKUP_NEXTRAS && r == NCEN_OK; i++) {
		if ((r = store_backup_extra_names(base, store_backup_extras[i],
		    &names, &n, e)) != NCEN_OK)
			break;
		for (j = 0; j < n && r == NCEN_OK; j++)
			r = store_backup_walk(base, names[j], filefn, dirfn,
			    arg, e);
		store_backup_list_free(names, n);
	}
	return r;
}

/* Make each missing directory of a relative path's parents (mode 0700). */
static int
store_backup_parents(const char *base, const char *rel, struct ncen_err *e)
{
	struct buf	 path = BUF_INIT;
	const char	*slash;
	int		 r = NCEN_OK;

	for (slash = strchr(rel, '/'); slash != NULL && r == NCEN_OK;
	    slash = strchr(slash + 1, '/')) {
		buf_reset(&path);
		buf_addf(&path, "%s/%.*s", base, (int)(slash - rel), rel);
		r = store_backup_mkdir(path.s, e);
	}
	buf_free(&path);
	return r;
}

/* What copying the extras into a backup counts. */
struct store_backup_copying {
	const char	*to;
	size_t		 files;
};

/* Copy one file of the extras, with its mode, under the same name. */
static int
store_backup_extra_copy(const char *base, const char *rel,
    const struct stat *sb, void *arg, struct ncen_err *e)
{
	struct store_backup_copying	*c = arg;
	struct buf			 from = BUF_INIT, to = BUF_INIT;
	int				 r;

	buf_addf(&from, "%s/%s", base, rel);
	buf_addf(&to, "%s/%s", c->to, rel);
	if ((r = store_backup_parents(c->to, rel, e)) == NCEN_OK &&
	    (r = store_backup_copy_file(from.s, to.s, sb->st_mode & 0777,
	    e)) == NCEN_OK)
		c->files++;
	buf_free(&from);
	buf_free(&to);
	return r;
}

/* Give a copied directory the mode of the one it copies. */
static int
store_backup_extra_dir(const char *base, const char *rel,
    const struct stat *sb, void *arg, struct ncen_err *e)
{
	struct store_backup_copying	*c = arg;
	struct buf			 to = BUF_INIT;
	int				 r = NCEN_OK;

	(void)base;
	buf_addf(&to, "%s/%s", c->to, rel);
	if ((r = store_backup_mkdir(to.s, e)) == NCEN_OK &&
	    chmod(to.s, sb->st_mode & 0777) == -1)
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", to.s, strerror(errno));
	buf_free(&to);
	return r;
}

/* Copy the node's identity, attachments and spooled drafts into a backup. */
static int
store_backup_copy_extras(const char *home, const char *dest,
    struct buf *report, struct ncen_err *e)
{
	struct store_backup_copying	c;
	char				**names;
	size_t				i, j, n;
	int				r = NCEN_OK;

	for (i = 0; i < STORE_BACKUP_NEXTRAS && r == NCEN_OK; i++) {
		if ((r = store_backup_extra_names(home, store_backup_extras[i],
		    &names, &n, e)) != NCEN_OK)
			break;
		for (j = 0; j < n && r == NCEN_OK; j++) {
			c.to = dest;
			c.files = 0;
			if ((r = store_backup_walk(home, names[j],
			    store_backup_extra_copy, store_backup_extra_dir, &c,
			    e)) == NCEN_OK && c.files != 0)
				buf_addf(report, "copied %s (%zu file%s)\n",
				    names[j], c.files, c.files == 1 ? "" : "s");
		}
		store_backup_list_free(names, n);
	}
	return r;
}

/* Remove one file of the extras from a data directory being replaced. */
static int
store_backup_extra_unlink(const char *base, const char *rel,
    const struct stat *sb, void *arg, struct ncen_err *e)
{
	struct buf	path = BUF_INIT;
	int		r = NCEN_OK;

	(void)arg;
	buf_addf(&path, "%s/%s", base, rel);
	/* A directory may keep a dead writer's temporary (dot) file. */
	if ((S_ISDIR(sb->st_mode) ? rmdir(path.s) : unlink(path.s)) == -1 &&
	    !(S_ISDIR(sb->st_mode) && errno == ENOTEMPTY))
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
	buf_free(&path);
	return r;
}

/* Copy the forms and code lists of one directory into another (made if absent). */
int
store_backup_copy_forms(const char *from, const char *to, struct ncen_err *e)
{
	struct buf	 src = BUF_INIT, dst = BUF_INIT;
	char		**names = NULL;
	size_t		 n = 0, i, copied = 0;
	int		 r;

	if ((r = store_backup_list(from, &names, &n, e)) != NCEN_OK)
		goto out;
	if ((r = store_backup_mkdir(to, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (!store_backup_is_forms_file(names[i]))
			continue;
		buf_reset(&src);
		buf_reset(&dst);
		buf_addf(&src, "%s/%s", from, names[i]);
		buf_addf(&dst, "%s/%s", to, names[i]);
		if ((r = store_backup_copy_file(src.s, dst.s, 0644, e)) !=
		    NCEN_OK)
			goto out;
		copied++;
	}
	if (copied == 0)
		r = ncen_err_set(e, NCEN_ENOTFOUND,
		    _("%s: no .form or .codes files"), from);
out:
	store_backup_list_free(names, n);
	buf_free(&src);
	buf_free(&dst);
	return r;
}

/* Whether another process has the environment open (DB_REGISTER's locks). */
int
store_backup_in_use(const char *home, struct ncen_err *e)
{
	struct buf	path = BUF_INIT;
	struct flock	fl;
	int		fd, r = NCEN_OK;

	buf_addf(&path, "%s/__db.register", home);
	if ((fd = open(path.s, O_RDWR)) == -1) {
		if (errno != ENOENT)
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
		goto out;
	}
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	if (fcntl(fd, F_GETLK, &fl) == -1)
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
	else if (fl.l_type != F_UNLCK)
		r = ncen_err_set(e, NCEN_EEXISTS,
		    _("%s: in use by process %ld: stop it first"), home,
		    (long)fl.l_pid);
	close(fd);
out:
	buf_free(&path);
	return r;
}

/* SHA-256 of a file in hex, and its size. */
static int
store_backup_hash(const char *path, struct buf *hex, off_t *size,
    struct ncen_err *e)
{
	EVP_MD_CTX	*ctx = NULL;
	unsigned char	 md[EVP_MAX_MD_SIZE], tmp[65536];
	unsigned int	 mdlen = 0, i;
	ssize_t		 n;
	int		 fd = -1, r = NCEN_OK;

	*size = 0;
	if ((fd = open(path, O_RDONLY)) == -1) {
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		r = ncen_err_set(e, NCEN_EIO, _("%s: SHA-256 unavailable"),
		    path);
		goto out;
	}
	while ((n = read(fd, tmp, sizeof tmp)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (EVP_DigestUpdate(ctx, tmp, (size_t)n) != 1) {
			r = ncen_err_set(e, NCEN_EIO, _("%s: SHA-256 failed"),
			    path);
			goto out;
		}
		*size += n;
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1) {
		r = ncen_err_set(e, NCEN_EIO, _("%s: SHA-256 failed"), path);
		goto out;
	}
	for (i = 0; i < mdlen; i++)
		buf_addf(hex, "%02x", md[i]);
out:
	EVP_MD_CTX_free(ctx);
	if (fd != -1)
		close(fd);
	return r;
}

/*
 * Add one file of a backup to the manifest text; a mode (not 0) is
 * written after the hash, in octal, for restore to give back.
 */
static int
store_backup_manifest_add(struct buf *m, const char *dir, const char *name,
    mode_t mode, struct ncen_err *e)
{
	struct buf	path = BUF_INIT, hex = BUF_INIT;
	off_t		size;
	int		r;

	buf_addf(&path, "%s/%s", dir, name);
	if ((r = store_backup_hash(path.s, &hex, &size, e)) == NCEN_OK) {
		buf_addf(m, "file %s %lld %s", name, (long long)size, hex.s);
		if (mode != 0)
			buf_addf(m, " %04o", (unsigned)mode);
		buf_addc(m, '\n');
	}
	buf_free(&path);
	buf_free(&hex);
	return r;
}

/* List one file of the extras in the manifest, with its mode. */
static int
store_backup_manifest_extra(const char *base, const char *rel,
    const struct stat *sb, void *arg, struct ncen_err *e)
{
	return store_backup_manifest_add(arg, base, rel, sb->st_mode & 0777,
	    e);
}

/* Write a file with the given contents, flushed; it must not exist. */
static int
store_backup_write(const char *path, const struct buf *b, struct ncen_err *e)
{
	size_t	off;
	ssize_t	w;
	int	fd, r = NCEN_OK;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1)
		return ncen_err_set(e, NCEN_EIO, "%s: %s", path,
		    strerror(errno));
	for (off = 0; off < b->len; off += (size_t)w) {
		if ((w = write(fd, b->s + off, b->len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path,
			    strerror(errno));
			break;
		}
	}
	if (r == NCEN_OK && fsync(fd) == -1)
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path, strerror(errno));
	if (close(fd) == -1 && r == NCEN_OK)
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path, strerror(errno));
	return r;
}

/* Write the manifest of a finished backup: every store and forms file. */
static int
store_backup_manifest(const char *home, const char *dest, struct ncen_err *e)
{
	struct buf	 m = BUF_INIT, forms = BUF_INIT, path = BUF_INIT;
	char		**names = NULL, **fnames = NULL, tbuf[32];
	size_t		 n = 0, fn = 0, i;
	time_t		 now = time(NULL);
	struct tm	 tm;
	int		 r;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(tbuf, sizeof tbuf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		tbuf[0] = '\0';
	buf_addf(&m, "ncen-backup 1\nsource %s\ntime %s\n", home, tbuf);
	if ((r = store_backup_list(dest, &names, &n, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (!store_backup_is_store_file(names[i]) ||
		    strncmp(names[i], "__db.", 5) == 0)
			continue;
		if ((r = store_backup_manifest_add(&m, dest, names[i], 0,
		    e)) != NCEN_OK)
			goto out;
	}
	buf_addf(&forms, "%s/forms", dest);
	if ((r = store_backup_list(forms.s, &fnames, &fn, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < fn; i++) {
		if (!store_backup_is_forms_file(fnames[i]))
			continue;
		buf_reset(&path);
		buf_addf(&path, "forms/%s", fnames[i]);
		if ((r = store_backup_manifest_add(&m, dest, path.s, 0, e)) !=
		    NCEN_OK)
			goto out;
	}
	if ((r = store_backup_walk_extras(dest, store_backup_manifest_extra,
	    NULL, &m, e)) != NCEN_OK)
		goto out;
	buf_reset(&path);
	buf_addf(&path, "%s/%s", dest, STORE_BACKUP_MANIFEST);
	r = store_backup_write(path.s, &m, e);
out:
	store_backup_list_free(names, n);
	store_backup_list_free(fnames, fn);
	buf_free(&m);
	buf_free(&forms);
	buf_free(&path);
	return r;
}

/* Remove the environment's region files from a directory no one uses. */
static int
store_backup_env_remove(const char *home, struct ncen_err *e)
{
	DB_ENV	*env;
	int	 ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return ncen_err_set(e, NCEN_EDB, "%s: db_env_create: %s", home,
		    db_strerror(ret));
	if ((ret = env->remove(env, home, 0)) != 0)
		return ncen_err_set(e, NCEN_EDB,
		    _("%s: removing the regions: %s"),
		    home, db_strerror(ret));
	return NCEN_OK;
}

/* Count the log files of a directory. */
static int
store_backup_count_logs(const char *dir, size_t *nlogs, struct ncen_err *e)
{
	char	**names = NULL;
	size_t	  n = 0, i;
	int	  r;

	*nlogs = 0;
	if ((r = store_backup_list(dir, &names, &n, e)) != NCEN_OK)
		return r;
	for (i = 0; i < n; i++)
		if (strncmp(names[i], "log.", 4) == 0)
			(*nlogs)++;
	store_backup_list_free(names, n);
	return NCEN_OK;
}

/* The bytes of a data directory's database and log files. */
static int
store_backup_size(const char *home, uint64_t *size, struct ncen_err *e)
{
	struct buf	  path = BUF_INIT;
	struct stat	  sb;
	char		**names = NULL;
	size_t		  n = 0, i;
	int		  r;

	*size = 0;
	if ((r = store_backup_list(home, &names, &n, e)) != NCEN_OK)
		return r;
	for (i = 0; i < n; i++) {
		if (!store_backup_is_store_file(names[i]))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", home, names[i]);
		if (stat(path.s, &sb) == 0)
			*size += (uint64_t)sb.st_size;
	}
	store_backup_list_free(names, n);
	buf_free(&path);
	return NCEN_OK;
}

/* Run recovery (catastrophic or not) in a directory no other process uses. */
static int
store_backup_run_recovery(const char *home, const char *keyfile,
    int catastrophic, struct ncen_err *e)
{
	struct store_backup_env	be;
	u_int32_t		flags = STORE_BACKUP_ENV_FLAGS;
	int			r, ret;

	flags |= catastrophic ? DB_RECOVER_FATAL : DB_RECOVER;
	if ((r = store_backup_env_open(&be, home, keyfile, flags, e)) !=
	    NCEN_OK)
		return r;
	/* Leave a checkpoint so the next open has little to replay. */
	if ((ret = be.env->txn_checkpoint(be.env, 0, 0, DB_FORCE)) != 0) {
		r = store_backup_dberr(&be, ret, e, _("checkpoint"), home);
		store_backup_env_close(&be, home, NULL);
		return r;
	}
	if ((r = store_backup_env_close(&be, home, e)) != NCEN_OK)
		return r;
	return store_backup_env_remove(home, e);
}

/* Take a hot backup of a data directory into a new or empty directory. */
int
store_backup(const char *home, const char *keyfile, const char *dest,
    struct buf *report, struct ncen_err *e)
{
	struct store_backup_env	 be;
	struct buf		 from = BUF_INIT, to = BUF_INIT;
	size_t			 nlogs;
	uint64_t		 size = 0;
	int			 r, ret, opened = 0;

	memset(&be, 0, sizeof be);
	if (access(dest, F_OK) == 0) {
		char	**names;
		size_t	  n;

		if ((r = store_backup_list(dest, &names, &n, e)) != NCEN_OK)
			return r;
		store_backup_list_free(names, n);
		if (n != 0)
			return ncen_err_set(e, NCEN_EEXISTS,
			    _("%s: not empty: a backup needs a new directory"),
			    dest);
	} else {
		if (mkdir(dest, 0700) == -1)
			return ncen_err_set(e, NCEN_EIO, "%s: %s", dest,
			    strerror(errno));
	}

	/*
	 * Join the running environment like any other process, under the
	 * watchdog: a process that died inside the library must not
	 * freeze the backup.  The copy gets a bound that grows with the
	 * size of the databases.
	 */
	if ((r = store_watch_start(0, e)) != NCEN_OK ||
	    (r = store_backup_size(home, &size, e)) != NCEN_OK)
		goto out;
	if ((r = store_backup_env_open(&be, home, keyfile,
	    STORE_BACKUP_ENV_FLAGS | DB_REGISTER | DB_RECOVER, e)) != NCEN_OK)
		goto out;
	opened = 1;
	store_watch_enter();
	ret = be.env->txn_checkpoint(be.env, 0, 0, DB_FORCE);
	store_watch_leave();
	if (ret != 0) {
		r = store_backup_dberr(&be, ret, e, _("checkpoint"), home);
		goto out;
	}
	/* Pages through the cache, then the logs; recovery keeps the bound. */
	if ((r = store_watch_start(60 + (unsigned)(size >> 20), e)) !=
	    NCEN_OK)
		goto out;
	store_watch_enter();
	ret = be.env->backup(be.env, dest, DB_CREATE);
	store_watch_leave();
	if (ret != 0) {
		r = store_backup_dberr(&be, ret, e, _("backup"), dest);
		goto out;
	}
	opened = 0;
	if ((r = store_backup_env_close(&be, home, e)) != NCEN_OK)
		goto out;
	buf_addf(report, _("copied the databases and logs of %s\n"), home);

	buf_addf(&from, "%s/forms", home);
	buf_addf(&to, "%s/forms", dest);
	if ((r = store_backup_copy_forms(from.s, to.s, e)) != NCEN_OK)
		goto out;
	buf_adds(report, _("copied the forms\n"));
	/* After the databases: every attachment they name is there. */
	if ((r = store_backup_copy_extras(home, dest, report, e)) != NCEN_OK)
		goto out;

	if ((r = store_backup_count_logs(dest, &nlogs, e)) != NCEN_OK)
		goto out;
	if ((r = store_backup_run_recovery(dest, keyfile, 1, e)) != NCEN_OK) {
		ncen_err_prefix(e, _("recovery of the backup: "));
		goto out;
	}
	buf_addf(report, ngettext_("ran catastrophic recovery over %zu log "
	    "file\n", "ran catastrophic recovery over %zu log files\n", nlogs),
	    nlogs);
	if ((r = store_backup_manifest(home, dest, e)) != NCEN_OK)
		goto out;
	buf_addf(report, _("wrote %s/%s\n"), dest, STORE_BACKUP_MANIFEST);
out:
	if (opened)
		store_backup_env_close(&be, home, NULL);
	buf_free(&from);
	buf_free(&to);
	return r;
}

/* Check every file a backup's manifest names against its size and hash. */
static int
store_backup_check(const char *backup, char ***filesp, mode_t **modesp,
    size_t *nfilesp, struct ncen_err *e)
{
	struct buf	  path = BUF_INIT, hex = BUF_INIT;
	char		 *text = NULL, *line, *next, *name, *size, *hash;
	char		 *mode, *end;
	char		**files = NULL;
	mode_t		 *modes = NULL;
	size_t		  nfiles = 0, lineno = 0;
	off_t		  got;
	FILE		 *f = NULL;
	long		  len;
	int		  r = NCEN_OK;

	*filesp = NULL;
	*nfilesp = 0;
	buf_addf(&path, "%s/%s", backup, STORE_BACKUP_MANIFEST);
	if ((f = fopen(path.s, "r")) == NULL) {
		r = ncen_err_set(e, errno == ENOENT ? NCEN_ENOTFOUND : NCEN_EIO,
		    _("%s: %s (not a backup made by ncenctl backup?)"), path.s,
		    strerror(errno));
		goto out;
	}
	if (fseek(f, 0, SEEK_END) == -1 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) == -1) {
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
		goto out;
	}
	text = xmalloc((size_t)len + 1);
	if (fread(text, 1, (size_t)len, f) != (size_t)len) {
		r = ncen_err_set(e, NCEN_EIO, _("%s: short read"), path.s);
		goto out;
	}
	text[len] = '\0';
	for (line = text; *line != '\0'; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) == NULL)
			next = line + strlen(line);
		else
			*next++ = '\0';
		if (lineno == 1) {
			if (strcmp(line, "ncen-backup 1") != 0) {
				r = ncen_err_set(e, NCEN_ECHECK,
				    _("%s:1: not an ncen backup manifest"),
				    path.s);
				goto out;
			}
			continue;
		}
		if (strncmp(line, "file ", 5) != 0)
			continue;
		name = line + 5;
		if ((size = strchr(name, ' ')) == NULL ||
		    (hash = strchr(size + 1, ' ')) == NULL) {
			r = ncen_err_set(e, NCEN_ECHECK, _("%s:%zu: bad line"),
			    path.s, lineno);
			goto out;
		}
		*size++ = '\0';
		*hash++ = '\0';
		if ((mode = strchr(hash, ' ')) != NULL) {
			*mode++ = '\0';
			if (strtoul(mode, &end, 8) > 0777 || *end != '\0' ||
			    end == mode) {
				r = ncen_err_set(e, NCEN_ECHECK,
				    _("%s:%zu: bad "
				    "mode"), path.s, lineno);
				goto out;
			}
		}
		if (strstr(name, "..") != NULL || *name == '/') {
			r = ncen_err_set(e, NCEN_ECHECK, _("%s:%zu: bad name"),
			    path.s, lineno);
			goto out;
		}
		buf_reset(&hex);
		buf_reset(&path);
		buf_addf(&path, "%s/%s", backup, name);
		if (access(path.s, F_OK) == -1 && errno == ENOENT) {
			r = ncen_err_set(e, NCEN_ECHECK, _("%s: named by the "
			    "manifest but missing (damaged backup)"), path.s);
			goto out;
		}
		if ((r = store_backup_hash(path.s, &hex, &got, e)) != NCEN_OK)
			goto out;
		if (strtoll(size, NULL, 10) != (long long)got ||
		    strcmp(hash, hex.s) != 0) {
			r = ncen_err_set(e, NCEN_ECHECK,
			    _("%s: does not match the manifest (damaged "
			    "backup)"),
			    path.s);
			goto out;
		}
		files = xreallocarray(files, nfiles + 1, sizeof *files);
		modes = xreallocarray(modes, nfiles + 1, sizeof *modes);
		modes[nfiles] = mode != NULL ? (mode_t)strtoul(mode, NULL, 8) :
		    0;
		files[nfiles++] = xstrdup(name);
		buf_reset(&path);
		buf_addf(&path, "%s/%s", backup, STORE_BACKUP_MANIFEST);
	}
	if (nfiles == 0)
		r = ncen_err_set(e, NCEN_ECHECK, _("%s: names no files"),
		    path.s);
out:
	if (f != NULL)
		fclose(f);
	free(text);
	buf_free(&path);
	buf_free(&hex);
	if (r != NCEN_OK) {
		store_backup_list_free(files, nfiles);
		free(modes);
		files = NULL;
		modes = NULL;
		nfiles = 0;
	}
	*filesp = files;
	*modesp = modes;
	*nfilesp = nfiles;
	return r;
}

/* Remove the store's files and forms from a data directory no one uses. */
static int
store_backup_clear(const char *home, struct ncen_err *e)
{
	struct buf	  path = BUF_INIT;
	char		**names = NULL;
	size_t		  n = 0, i;
	int		  r;

	if ((r = store_backup_list(home, &names, &n, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (!store_backup_is_store_file(names[i]))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", home, names[i]);
		if (unlink(path.s) == -1) {
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
			goto out;
		}
	}
	store_backup_list_free(names, n);
	names = NULL;
	buf_reset(&path);
	buf_addf(&path, "%s/forms", home);
	if (access(path.s, F_OK) == -1)
		goto out;
	if ((r = store_backup_list(path.s, &names, &n, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if (!store_backup_is_forms_file(names[i]))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/forms/%s", home, names[i]);
		if (unlink(path.s) == -1) {
			r = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
			goto out;
		}
	}
	r = store_backup_walk_extras(home, store_backup_extra_unlink,
	    store_backup_extra_unlink, NULL, e);
out:
	store_backup_list_free(names, names == NULL ? 0 : n);
	buf_free(&path);
	return r;
}

/* Restore a backup into a new or empty data directory (or over one, forced). */
int
store_backup_restore(const char *backup, const char *home,
    const char *keyfile, int force, struct buf *report, struct ncen_err *e)
{
	struct buf	  from = BUF_INIT, to = BUF_INIT;
	char		**files = NULL, **names = NULL;
	mode_t		 *modes = NULL, mode;
	size_t		  nfiles = 0, n = 0, i;
	int		  r;

	if ((r = store_backup_check(backup, &files, &modes, &nfiles, e)) !=
	    NCEN_OK)
		goto out;
	buf_addf(report, _("checked %zu files of %s against its manifest\n"),
	    nfiles, backup);

	if (access(home, F_OK) == 0) {
		if ((r = store_backup_list(home, &names, &n, e)) != NCEN_OK)
			goto out;
		if (n != 0 && !force) {
			r = ncen_err_set(e, NCEN_EEXISTS,
			    _("%s: not empty: give --force to replace it"),
			    home);
			goto out;
		}
		if (n != 0) {
			if ((r = store_backup_in_use(home, e)) != NCEN_OK)
				goto out;
			if ((r = store_backup_clear(home, e)) != NCEN_OK)
				goto out;
			buf_addf(report, _("removed the databases of %s\n"),
			    home);
		}
	} else if (mkdir(home, 0700) == -1) {
		r = ncen_err_set(e, NCEN_EIO, "%s: %s", home, strerror(errno));
		goto out;
	}
	buf_addf(&to, "%s/forms", home);
	if ((r = store_backup_mkdir(to.s, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < nfiles; i++) {
		buf_reset(&from);
		buf_reset(&to);
		buf_addf(&from, "%s/%s", backup, files[i]);
		buf_addf(&to, "%s/%s", home, files[i]);
		if ((mode = modes[i]) == 0)
			mode = strncmp(files[i], "forms/", 6) == 0 ? 0644 :
			    0600;
		if ((r = store_backup_parents(home, files[i], e)) != NCEN_OK ||
		    (r = store_backup_copy_file(from.s, to.s, mode, e)) !=
		    NCEN_OK)
			goto out;
	}
	buf_addf(report, _("copied them into %s\n"), home);
	if ((r = store_backup_run_recovery(home, keyfile, 1, e)) != NCEN_OK) {
		ncen_err_prefix(e, _("recovery of the restored copy: "));
		goto out;
	}
	buf_adds(report, _("ran catastrophic recovery\n"));
out:
	store_backup_list_free(files, nfiles);
	free(modes);
	store_backup_list_free(names, n);
	buf_free(&from);
	buf_free(&to);
	return r;
}

/* Run recovery on a data directory that no other process is using. */
int
store_backup_recover(const char *home, const char *keyfile, int catastrophic,
    struct buf *report, struct ncen_err *e)
{
	size_t	nlogs;
	int	r;

	if ((r = store_backup_in_use(home, e)) != NCEN_OK)
		return r;
	if ((r = store_backup_count_logs(home, &nlogs, e)) != NCEN_OK)
		return r;
	if ((r = store_backup_run_recovery(home, keyfile, catastrophic, e)) !=
	    NCEN_OK)
		return r;
	if (catastrophic)
		buf_addf(report, ngettext_("catastrophic recovery of %s done "
		    "(%zu log file)\n", "catastrophic recovery of %s done (%zu "
		    "log files)\n", nlogs), home, nlogs);
	else
		buf_addf(report,
		    ngettext_("normal recovery of %s done (%zu log "
		    "file)\n", "normal recovery of %s done (%zu log files)\n",
		    nlogs), home, nlogs);
	return NCEN_OK;
}
