/*
 * attach-export.c - an attachment's file copied out to the
 * administrator's outgoing folder: the one place files leave ncen, a
 * setting of the data directory (never a path an officer types), each
 * copy checked against its SHA-256 and audited.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-kv.h"
#include "store.h"

/* Where the setting is kept (store-kv.h, the node's state). */
#define ATTACH_OUTBOX_KEY	"setting.attach-outbox"
#define ATTACH_NAME_MAX		80	/* characters kept of a file name */
#define ATTACH_TRIES		100	/* NAME, NAME-2 ... when taken */

/* One attach_outbox_set() or read in progress. */
struct attach_setting {
	const char	*user;
	const char	*dir;
	struct buf	*out;
};

/* Read the outgoing folder in a transaction (NCEN_ENOTFOUND: unset). */
static int
attach_outbox_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct attach_setting	*a = arg;

	buf_reset(a->out);
	return store_kv_get(t, STORE_KV_STATE, ATTACH_OUTBOX_KEY,
	    strlen(ATTACH_OUTBOX_KEY), 0, a->out, err);
}

/* The outgoing folder, into dir; NCEN_ENOTFOUND, said, when unset. */
int
attach_outbox_get(struct store *st, struct buf *dir, struct ncen_err *err)
{
	struct attach_setting	a;
	int			error;

	memset(&a, 0, sizeof a);
	a.out = dir;
	error = store_run(st, attach_outbox_txn, &a, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return ncen_err_set(err, NCEN_ENOTFOUND, _("no outgoing folder "
		    "for attachments is set (an administrator sets one: "
		    "ncenctl attach outbox DIR)"));
	}
	buf_cstr(dir);
	return error;
}

/* Write the setting and its audit entry. */
static int
attach_outbox_set_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct attach_setting	*a = arg;
	int			 error;

	if ((error = store_kv_put(t, STORE_KV_STATE, ATTACH_OUTBOX_KEY,
	    strlen(ATTACH_OUTBOX_KEY), a->dir, strlen(a->dir), err)) !=
	    NCEN_OK)
		return error;
	return audit_append(t, a->user, "setting.attach-outbox", "attachment",
	    a->dir, err);
}

/* Whether a folder is an absolute path to a directory we may write. */
static int
attach_outbox_check(const char *dir, struct ncen_err *err)
{
	struct stat	sb;

	if (dir == NULL || dir[0] != '/')
		return ncen_err_set(err, NCEN_EINVALID, _("the outgoing folder "
		    "must be an absolute path, not '%s'"), dir != NULL ? dir :
		    "");
	if (stat(dir, &sb) != 0)
		return ncen_err_set(err, NCEN_EINVALID, _("the outgoing folder %s: "
		    "%s"), dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return ncen_err_set(err, NCEN_EINVALID, _("the outgoing folder %s "
		    "is not a directory"), dir);
	if (access(dir, W_OK | X_OK) != 0)
		return ncen_err_set(err, NCEN_EINVALID, _("the outgoing folder %s: "
		    "%s"), dir, strerror(errno));
	return NCEN_OK;
}

/* Set the outgoing folder (an administrator's setting, audited). */
int
attach_outbox_set(struct store *st, const char *user, const char *dir,
    struct ncen_err *err)
{
	struct attach_setting	a;
	int			error;

	if ((error = attach_outbox_check(dir, err)) != NCEN_OK)
		return error;
	memset(&a, 0, sizeof a);
	a.user = user;
	a.dir = dir;
	return store_run(st, attach_outbox_set_txn, &a, err);
}

/*
 * The name of the copy: "attachment-ID-" and the original file name
 * with only letters, digits, '.', '-' and '_' kept (others '_', no
 * leading dot), or the SHA-256's start when it has none.
 */
static void
attach_export_name(const struct record *r, struct buf *b)
{
	const char	*v = record_get(r, "file_name"), *p;
	size_t		 n = 0;

	buf_addf(b, "attachment-%llu-", (unsigned long long)r->id);
	if (v == NULL || *v == '\0') {
		v = record_get(r, "sha256");
		buf_addf(b, "%.12s", v != NULL ? v : "file");
		return;
	}
	if ((p = strrchr(v, '/')) != NULL)
		v = p + 1;
	while (*v == '.')
		v++;
	for (; *v != '\0' && n < ATTACH_NAME_MAX; v++, n++)
		buf_addc(b, (*v >= 'a' && *v <= 'z') || (*v >= 'A' &&
		    *v <= 'Z') || (*v >= '0' && *v <= '9') || *v == '.' ||
		    *v == '-' || *v == '_' ? *v : '_');
	if (n == 0)
		buf_adds(b, "file");
}

/* Open a new file in dir named as the copy, NAME-2... if it is taken. */
static int
attach_export_open(const char *dir, const char *name, struct buf *path,
    int *fd, struct ncen_err *err)
{
	int	i;

	for (i = 1; i <= ATTACH_TRIES; i++) {
		buf_reset(path);
		if (i == 1)
			buf_addf(path, "%s/%s", dir, name);
		else
			buf_addf(path, "%s/%s-%d", dir, name, i);
		*fd = open(path->s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0640);
		if (*fd >= 0)
			return NCEN_OK;
		if (errno != EEXIST)
			return ncen_err_set(err, NCEN_EIO, "%s: %s", path->s,
			    strerror(errno));
	}
	return ncen_err_set(err, NCEN_EEXISTS, _("%s/%s: taken %d times "
	    "over; empty the outgoing folder"), dir, name, ATTACH_TRIES);
}

/*
 * Copy the stored file src to the new file fd, checking its SHA-256
 * against the record's (a damaged file is not exported).
 */
static int
attach_export_copy(const char *src, int fd, const char *dst,
    const char *sha256, struct ncen_err *err)
{
	EVP_MD_CTX	*ctx = NULL;
	unsigned char	 block[65536], md[EVP_MAX_MD_SIZE];
	char		 hex[65];
	unsigned int	 mdlen = 0, i;
	ssize_t		 n, w, off;
	int		 in, error = NCEN_OK;

	if ((in = open(src, O_RDONLY | O_CLOEXEC)) < 0)
		return ncen_err_set(err, NCEN_EIO, _("the stored file %s: %s"),
		    src, strerror(errno));
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		error = ncen_err_set(err, NCEN_EIO, _("SHA-256 could not be "
		    "started"));
		goto out;
	}
	while ((n = read(in, block, sizeof block)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error = ncen_err_set(err, NCEN_EIO, "%s: %s", src,
			    strerror(errno));
			goto out;
		}
		if (EVP_DigestUpdate(ctx, block, (size_t)n) != 1) {
			error = ncen_err_set(err, NCEN_EIO, _("SHA-256 "
			    "failed"));
			goto out;
		}
		for (off = 0; off < n; off += w)
			if ((w = write(fd, block + off, (size_t)(n - off))) <
			    0) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				error = ncen_err_set(err, NCEN_EIO, "%s: %s",
				    dst, strerror(errno));
				goto out;
			}
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
		error = ncen_err_set(err, NCEN_EIO, _("SHA-256 failed"));
		goto out;
	}
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	if (sha256 == NULL || strcmp(hex, sha256) != 0) {
		error = ncen_err_set(err, NCEN_ECHECK, _("its stored file "
		    "does not match its SHA-256 (ncenctl verify): %s"), src);
		goto out;
	}
	if (fsync(fd) != 0)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", dst,
		    strerror(errno));
out:
	EVP_MD_CTX_free(ctx);
	close(in);
	return error;
}

/* One export's audit entry, written once the copy is whole. */
struct attach_export_note {
	const char	*user;
	uint64_t	 id;
	const char	*path;
};

/* The audit entry of an export. */
static int
attach_export_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct attach_export_note	*n = arg;
	struct buf			 rec = BUF_INIT, d = BUF_INIT;
	int				 error;

	buf_addf(&rec, "attachment:%llu", (unsigned long long)n->id);
	buf_addf(&d, "to %s", n->path);
	error = audit_append(t, n->user, "attachment.export", rec.s, d.s,
	    err);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* Whether the account may export the attachment: its record's rule. */
static int
attach_export_may(struct store *st, const struct auth_account *a,
    const struct record *r, struct ncen_err *err)
{
	struct record	*parent = NULL;
	const char	*entity = record_get(r, "entity");
	const char	*rid = record_get(r, "record");
	int		 error, may;

	if (entity == NULL || rid == NULL)
		return ncen_err_set(err, NCEN_EINVALID, _("attachment %llu "
		    "names no record"), (unsigned long long)r->id);
	if ((error = store_get(st, entity, strtoull(rid, NULL, 10), &parent,
	    err)) != NCEN_OK)
		return error;
	may = auth_may(a, AUTH_EXPORT, parent);
	record_free(parent);
	if (!may)
		return ncen_err_set(err, NCEN_EINVALID, _("%s may not export "
		    "the attachments of %s %s (supervisors of its office, "
		    "analysts and the NCP may)"), a->name, entity, rid);
	return NCEN_OK;
}

/* Copy an attachment's file to the outgoing folder (see attach.h). */
int
attach_export(struct store *st, const struct auth_account *a, uint64_t id,
    struct buf *out, struct ncen_err *err)
{
	struct attach_export_note	 n;
	struct record			*r = NULL;
	struct buf			 dir = BUF_INIT, name = BUF_INIT;
	struct buf			 src = BUF_INIT;
	const char			*sha;
	int				 fd = -1, error;

	buf_reset(out);
	if ((error = auth_account_usable(a, auth_now(), err)) != NCEN_OK ||
	    (error = store_get(st, "attachment", id, &r, err)) != NCEN_OK ||
	    (error = attach_export_may(st, a, r, err)) != NCEN_OK ||
	    (error = attach_outbox_get(st, &dir, err)) != NCEN_OK ||
	    (error = attach_outbox_check(buf_cstr(&dir), err)) != NCEN_OK)
		goto out;
	if ((sha = record_get(r, "sha256")) == NULL || strlen(sha) != 64) {
		error = ncen_err_set(err, NCEN_EINVALID, _("attachment %llu "
		    "has no SHA-256"), (unsigned long long)id);
		goto out;
	}
	attach_path(store_home(st), sha, &src);
	attach_export_name(r, &name);
	if ((error = attach_export_open(dir.s, name.s, out, &fd, err)) !=
	    NCEN_OK)
		goto out;
	error = attach_export_copy(src.s, fd, out->s, sha, err);
	if (close(fd) != 0 && error == NCEN_OK)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", out->s,
		    strerror(errno));
	if (error == NCEN_OK) {
		n.user = a->name;
		n.id = id;
		n.path = out->s;
		error = store_run(st, attach_export_txn, &n, err);
	}
	/* Nothing half-copied or unaudited is left in the folder. */
	if (error != NCEN_OK) {
		(void)unlink(out->s);
		buf_reset(out);
	}
out:
	record_free(r);
	buf_free(&dir);
	buf_free(&name);
	buf_free(&src);
	return error;
}
