/*
 * attach.c - copy a file beside the database under its SHA-256 and
 * record it, linked to the record it belongs to.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "attach.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define ATTACH_FORM		"attachment"
#define ATTACH_MAGIC_MAX	16

/* Media types by their first bytes, and the kind of file each suggests. */
static const struct {
	const char	*magic;
	size_t		 len;
	const char	*type;
	const char	*kind;
} attach_magic[] = {
	{ "\xff\xd8\xff", 3, "image/jpeg", "PHOTO" },
	{ "\x89PNG\r\n\x1a\n", 8, "image/png", "PHOTO" },
	{ "II*\0", 4, "image/tiff", "PHOTO" },
	{ "MM\0*", 4, "image/tiff", "PHOTO" },
	{ "%PDF-", 5, "application/pdf", "DOCUMENT" },
	{ "GIF87a", 6, "image/gif", "PHOTO" },
	{ "GIF89a", 6, "image/gif", "PHOTO" },
};
#define ATTACH_OCTET		"application/octet-stream"
#define ATTACH_OCTET_KIND	"OTHER"

/* One attach_file() in progress, for its transaction function. */
struct attach_run {
	struct store_ref	 target;
	struct record		*rec;
	const char		*user;
};

/* The row of attach_magic matching the first bytes, or -1. */
static int
attach_magic_find(const unsigned char *p, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof attach_magic / sizeof attach_magic[0]; i++)
		if (len >= attach_magic[i].len &&
		    memcmp(p, attach_magic[i].magic, attach_magic[i].len) == 0)
			return (int)i;
	return -1;
}

/* The media type of a file from its first bytes. */
const char *
attach_media_type(const unsigned char *p, size_t len)
{
	int	i = attach_magic_find(p, len);

	return i == -1 ? ATTACH_OCTET : attach_magic[i].type;
}

/* Append where the file of a SHA-256 lives under a data directory. */
void
attach_path(const char *home, const char *sha256, struct buf *b)
{
	buf_addf(b, "%s/%s/%.2s/%s", home, ATTACH_DIR, sha256, sha256);
}

/* Make a directory unless it is there; NCEN_EIO naming it otherwise. */
static int
attach_mkdir(const char *dir, struct ncen_err *err)
{
	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		return ncen_err_set(err, NCEN_EIO, "%s: %s", dir,
		    strerror(errno));
	return NCEN_OK;
}

/* Flush a directory, so a rename in it survives a crash. */
static int
attach_sync_dir(const char *dir, struct ncen_err *err)
{
	int	fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return ncen_err_set(err, NCEN_EIO, "%s: %s", dir,
		    strerror(errno));
	if (fsync(fd) == -1) {
		(void)close(fd);
		return ncen_err_set(err, NCEN_EIO, _("%s: flushing: %s"), dir,
		    strerror(errno));
	}
	if (close(fd) == -1)
		return ncen_err_set(err, NCEN_EIO, "%s: %s", dir,
		    strerror(errno));
	return NCEN_OK;
}

/* Write all of a buffer to a descriptor. */
static int
attach_write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Copy the open file to a new temporary file in dir while hashing it:
 * the temporary file's path goes to tmp, the hex digest to hex, its
 * first bytes to magic.
 */
static int
attach_copy(int in, const char *path, const char *dir, uint64_t maxsize,
    struct buf *tmp, char hex[65], unsigned char *magic, size_t *nmagic,
    uint64_t *size, struct ncen_err *err)
{
	static const char	 digits[] = "0123456789abcdef";
	EVP_MD_CTX		*ctx = NULL;
	unsigned char		 block[65536], md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0, i;
	ssize_t			 n;
	int			 out = -1, error = NCEN_OK;

	*size = 0;
	*nmagic = 0;
	buf_addf(tmp, "%s/.tmp.XXXXXX", dir);
	if ((out = mkstemp(tmp->s)) == -1) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp->s,
		    strerror(errno));
		buf_reset(tmp);
		return error;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		error = ncen_err_set(err, NCEN_EIO, _("SHA-256: OpenSSL could "
		    "not start a digest"));
		goto out;
	}
	for (;;) {
		if ((n = read(in, block, sizeof block)) == -1) {
			if (errno == EINTR)
				continue;
			error = ncen_err_set(err, NCEN_EIO, "%s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if ((uint64_t)n > maxsize - *size) {
			error = ncen_err_set(err, NCEN_EINVALID, _("%s: larger "
			    "than the limit of %llu bytes"), path,
			    (unsigned long long)maxsize);
			goto out;
		}
		if (*nmagic < ATTACH_MAGIC_MAX) {
			i = (unsigned int)(ATTACH_MAGIC_MAX - *nmagic);
			if ((size_t)n < i)
				i = (unsigned int)n;
			memcpy(magic + *nmagic, block, i);
			*nmagic += i;
		}
		*size += (uint64_t)n;
		if (EVP_DigestUpdate(ctx, block, (size_t)n) != 1) {
			error = ncen_err_set(err, NCEN_EIO,
			    _("SHA-256: OpenSSL "
			    "failed on %s"), path);
			goto out;
		}
		if (attach_write_all(out, block, (size_t)n) == -1) {
			error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp->s,
			    strerror(errno));
			goto out;
		}
	}
	if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
		error = ncen_err_set(err, NCEN_EIO, _("SHA-256: OpenSSL failed "
		    "on %s"), path);
		goto out;
	}
	for (i = 0; i < mdlen; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 0xf];
	}
	hex[64] = '\0';
	if (fsync(out) == -1) {
		error = ncen_err_set(err, NCEN_EIO, _("%s: flushing: %s"),
		    tmp->s,
		    strerror(errno));
		goto out;
	}
out:
	EVP_MD_CTX_free(ctx);
	if (close(out) == -1 && error == NCEN_OK)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp->s,
		    strerror(errno));
	if (error != NCEN_OK) {
		(void)unlink(tmp->s);
		buf_reset(tmp);
	}
	return error;
}

/* Whether a file name can go into the record as it is (UTF-8, printable). */
static int
attach_name_ok(const char *name)
{
	const unsigned char	*p;
	size_t			 nchars;

	if (*name == '\0' ||
	    schema_utf8_check(name, strlen(name), &nchars) != NCEN_OK ||
	    nchars > 255)
		return 0;
	for (p = (const unsigned char *)name; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/* Build and check the attachment record. */
static int
attach_record(const struct schema *s, struct store_ref target,
    const char *path, const struct attach_options *o, const char *hex,
    const char *type, const char *kind, uint64_t size, struct record **rp,
    struct ncen_err *err)
{
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 b = BUF_INIT, problems = BUF_INIT;
	const char			*base;
	int				 error;

	*rp = NULL;
	if ((f = schema_form_find(s, ATTACH_FORM)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("the forms of this "
		    "data directory have no %s form"), ATTACH_FORM);
	r = record_new(f);
	if ((base = strrchr(path, '/')) != NULL)
		base++;
	else
		base = path;
	buf_addf(&b, "%llu", (unsigned long long)target.id);
	if ((error = record_set(r, "entity", target.entity, err)) != NCEN_OK ||
	    (error = record_set(r, "record", b.s, err)) != NCEN_OK ||
	    (error = record_set(r, "kind", kind, err)) != NCEN_OK ||
	    (error = record_set(r, "sha256", hex, err)) != NCEN_OK ||
	    (error = record_set(r, "media_type", type, err)) != NCEN_OK ||
	    (error = record_set(r, "caption", o->caption, err)) != NCEN_OK ||
	    (error = record_set(r, "file_name", attach_name_ok(base) ? base :
	    NULL, err)) != NCEN_OK)
		goto out;
	buf_reset(&b);
	buf_addf(&b, "%llu", (unsigned long long)size);
	if ((error = record_set(r, "size", b.s, err)) != NCEN_OK)
		goto out;
	if (schema_validate(s, r, SCHEMA_SUBMIT, NULL, NULL, &problems) !=
	    NCEN_OK) {
		if (problems.len > 0 && problems.s[problems.len - 1] == '\n')
			problems.s[--problems.len] = '\0';
		error = ncen_err_set(err, NCEN_EINVALID, _("%s: the attachment "
		    "is refused: %s"), path, buf_cstr(&problems));
		goto out;
	}
	*rp = r;
	r = NULL;
out:
	record_free(r);
	buf_free(&b);
	buf_free(&problems);
	return error;
}

/* The transaction: the attachment record and its link, together. */
static int
attach_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct attach_run	*a = arg;
	struct store_ref	 ref;
	int			 error;

	a->rec->id = 0;
	if ((error = store_put(t, a->rec, a->user, err)) != NCEN_OK)
		return error;
	ref.entity = ATTACH_FORM;
	ref.id = a->rec->id;
	return store_link_add(t, a->target, ref, ATTACH_ROLE, err);
}

/* Whether the record to attach to exists: NCEN_OK or an error naming it. */
static int
attach_target(struct store *st, struct store_ref target, struct ncen_err *err)
{
	const struct schema	*s = store_schema(st);
	struct record		*r = NULL;
	int			 error;

	if (target.entity == NULL || schema_form_find(s, target.entity) ==
	    NULL || strcmp(target.entity, ATTACH_FORM) == 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("cannot attach a file "
		    "to a record of kind '%s'"),
		    target.entity != NULL ? target.entity : "");
	error = store_get(st, target.entity, target.id, &r, err);
	record_free(r);
	if (error == NCEN_ENOTFOUND)
		ncen_err_prefix(err, _("cannot attach to %s %llu: "),
		    target.entity, (unsigned long long)target.id);
	return error;
}

/* Attach a file to a record (see attach.h). */
int
attach_file(struct store *st, struct store_ref target, const char *path,
    const struct attach_options *o, struct attach_result *res,
    struct ncen_err *err)
{
	struct attach_run	 run;
	struct record		*rec = NULL;
	struct stat		 sb;
	struct buf		 dir = BUF_INIT, sub = BUF_INIT, tmp = BUF_INIT;
	struct buf		 final = BUF_INIT;
	unsigned char		 magic[ATTACH_MAGIC_MAX];
	const char		*kind;
	size_t			 nmagic;
	uint64_t		 maxsize, size;
	int			 fd = -1, m, error, stored = 0;

	memset(res, 0, sizeof *res);
	maxsize = o->maxsize != 0 ? o->maxsize : ATTACH_MAX_DEFAULT;
	if (o->user == NULL || *o->user == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, _("no user named for "
		    "the attachment"));
	if ((error = attach_target(st, target, err)) != NCEN_OK)
		return error;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return ncen_err_set(err, NCEN_EIO, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &sb) == -1) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		error = ncen_err_set(err, NCEN_EIO, _("%s: not a regular file"),
		    path);
		goto out;
	}
	if ((uint64_t)sb.st_size > maxsize) {
		error = ncen_err_set(err, NCEN_EINVALID, _("%s: %llu bytes, "
		    "over the limit of %llu bytes"), path,
		    (unsigned long long)sb.st_size,
		    (unsigned long long)maxsize);
		goto out;
	}
	buf_addf(&dir, "%s/%s", store_home(st), ATTACH_DIR);
	if ((error = attach_mkdir(dir.s, err)) != NCEN_OK ||
	    (error = attach_copy(fd, path, dir.s, maxsize, &tmp, res->sha256,
	    magic, &nmagic, &size, err)) != NCEN_OK)
		goto out;
	m = attach_magic_find(magic, nmagic);
	res->media_type = m == -1 ? ATTACH_OCTET : attach_magic[m].type;
	res->size = size;
	kind = o->kind != NULL ? o->kind :
	    m == -1 ? ATTACH_OCTET_KIND : attach_magic[m].kind;
	if ((error = attach_record(store_schema(st), target, path, o,
	    res->sha256, res->media_type, kind, size, &rec, err)) != NCEN_OK)
		goto out;

	/* Put the file in place: once per content. */
	buf_addf(&sub, "%s/%.2s", dir.s, res->sha256);
	attach_path(store_home(st), res->sha256, &final);
	if ((error = attach_mkdir(sub.s, err)) != NCEN_OK)
		goto out;
	if (lstat(final.s, &sb) == 0) {
		(void)unlink(tmp.s);
		buf_reset(&tmp);
	} else if (errno != ENOENT) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", final.s,
		    strerror(errno));
		goto out;
	} else {
		if (rename(tmp.s, final.s) == -1) {
			error = ncen_err_set(err, NCEN_EIO, "%s: %s", final.s,
			    strerror(errno));
			goto out;
		}
		buf_reset(&tmp);
		stored = 1;
		if ((error = attach_sync_dir(sub.s, err)) != NCEN_OK ||
		    (error = attach_sync_dir(dir.s, err)) != NCEN_OK)
			goto out;
	}

	run.target = target;
	run.rec = rec;
	run.user = o->user;
	if ((error = store_run(st, attach_txn, &run, err)) != NCEN_OK)
		goto out;
	res->id = rec->id;
out:
	if (fd != -1)
		(void)close(fd);
	if (tmp.len > 0)
		(void)unlink(tmp.s);
	if (error != NCEN_OK && error != NCEN_ERECOVER && stored) {
		/*
		 * Nothing refers to the new file: take it away again (not
		 * after a recovery, when the record may be there after all).
		 */
		(void)unlink(final.s);
		stored = 0;
	}
	res->stored = stored;
	record_free(rec);
	buf_free(&dir);
	buf_free(&sub);
	buf_free(&tmp);
	buf_free(&final);
	return error;
}

/* What attach_verify() walks with. */
struct attach_check {
	const char	*home;
	struct buf	*report;
	unsigned long	 problems;
};

/* Check one attachment record's file (store_record_fn). */
static int
attach_check_one(const struct record *r, void *arg)
{
	struct attach_check	*c = arg;
	const char		*hex = record_get(r, "sha256");
	const char		*size = record_get(r, "size");
	struct buf		 path = BUF_INIT;
	struct stat		 sb;
	size_t			 i;

	for (i = 0; hex != NULL && hex[i] != '\0'; i++)
		if (strchr("0123456789abcdef", hex[i]) == NULL)
			break;
	if (hex == NULL || i != 64 || hex[i] != '\0') {
		buf_addf(c->report, _("attachment %llu: no valid sha256\n"),
		    (unsigned long long)r->id);
		c->problems++;
		return 0;
	}
	attach_path(c->home, hex, &path);
	if (stat(path.s, &sb) == -1) {
		buf_addf(c->report, _("attachment %llu: %s: %s\n"),
		    (unsigned long long)r->id, path.s, strerror(errno));
		c->problems++;
	} else if (size != NULL &&
	    strtoull(size, NULL, 10) != (unsigned long long)sb.st_size) {
		buf_addf(c->report, _("attachment %llu: %s: %llu bytes, the "
		    "record says %s\n"), (unsigned long long)r->id, path.s,
		    (unsigned long long)sb.st_size, size);
		c->problems++;
	}
	buf_free(&path);
	return 0;
}

/* Check that every attachment's file is there with its size. */
int
attach_verify(const char *home, const struct schema *s, const char *keyfile,
    struct buf *report, struct ncen_err *err)
{
	struct store_options	 o;
	struct store		*st = NULL;
	struct attach_check	 c;
	struct ncen_err		 e2 = NCEN_ERR_INIT;
	int			 error;

	if (schema_form_find(s, ATTACH_FORM) == NULL)
		return NCEN_OK;
	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = keyfile;
	if ((error = store_open(&o, s, &st, err)) != NCEN_OK)
		return error;
	c.home = home;
	c.report = report;
	c.problems = 0;
	error = store_scan(st, ATTACH_FORM, attach_check_one, &c, err);
	if (store_close(st, error == NCEN_OK ? err : &e2) != NCEN_OK &&
	    error == NCEN_OK)
		error = err->code;
	ncen_err_free(&e2);
	if (error == NCEN_OK && c.problems > 0)
		error = ncen_err_set(err, NCEN_ECHECK, ngettext_("%lu "
		    "attachment file missing or damaged", "%lu attachment "
		    "files missing or damaged", c.problems), c.problems);
	return error;
}
