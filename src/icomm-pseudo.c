/*
 * icomm-pseudo.c - per-partner pseudonyms of persons and businesses,
 * keyed with the node secret (see icomm-pseudo.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "icomm-pseudo.h"
#include "icomm-util.h"
#include "icomm.h"
#include "xmalloc.h"

/* The forms whose records the global database sees under a pseudonym. */
static const char *const icomm_pseudo_forms[] = { "person", "business" };

/* Whether records of a form travel under a pseudonym at level cen. */
int
icomm_pseudo_entity(const char *entity)
{
	size_t	i;

	for (i = 0; i < sizeof icomm_pseudo_forms /
	    sizeof icomm_pseudo_forms[0]; i++)
		if (strcmp(entity, icomm_pseudo_forms[i]) == 0)
			return 1;
	return 0;
}

/* The value of a hex digit, -1 if it is not a lower-case one. */
static int
icomm_pseudo_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Whether text is a pseudonym's shape: ICOMM_PSEUDO_BYTES * 2 hex. */
int
icomm_pseudo_valid(const char *s)
{
	size_t	i;

	if (s == NULL || strlen(s) != ICOMM_PSEUDO_BYTES * 2)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (icomm_pseudo_hex(s[i]) < 0)
			return 0;
	return 1;
}

/*
 * Make the secret file: written under a dot name (backups skip those)
 * then linked into place, so that of two processes making it at once
 * one wins and the other reads the winner's.
 */
static int
icomm_pseudo_make(const char *path, struct ncen_err *err)
{
	unsigned char	 r[ICOMM_SECRET_BYTES];
	struct buf	 tmp = BUF_INIT, text = BUF_INIT;
	const char	*slash = strrchr(path, '/');
	size_t		 i;
	ssize_t		 n;
	int		 fd = -1, error = NCEN_OK;

	if (RAND_bytes(r, sizeof r) != 1)
		return icomm_ossl_err(err, "%s: no random bytes", path);
	for (i = 0; i < sizeof r; i++)
		buf_addf(&text, "%02x", r[i]);
	buf_addc(&text, '\n');
	OPENSSL_cleanse(r, sizeof r);
	if (slash != NULL)
		buf_add(&tmp, path, (size_t)(slash - path + 1));
	buf_addf(&tmp, ".%s.%ld", slash != NULL ? slash + 1 : path,
	    (long)getpid());
	if ((fd = open(tmp.s, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1 ||
	    fchmod(fd, 0600) == -1) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", tmp.s,
		    strerror(errno));
		goto out;
	}
	n = write(fd, text.s, text.len);
	if (n < 0 || (size_t)n != text.len || fsync(fd) == -1) {
		error = ncen_err_set(err, NCEN_EIO, "%s: write failed: %s",
		    tmp.s, strerror(errno));
		goto out;
	}
	if (link(tmp.s, path) == -1 && errno != EEXIST)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", path,
		    strerror(errno));
out:
	if (fd != -1)
		close(fd);
	if (tmp.s != NULL)
		unlink(tmp.s);
	if (text.s != NULL)
		OPENSSL_cleanse(text.s, text.cap);
	buf_free(&text);
	buf_free(&tmp);
	return error;
}

/* Read this node's secret (made on first use) for a partner. */
int
icomm_pseudo_open(struct store *st, const char *partner,
    struct icomm_pseudo *ps, struct ncen_err *err)
{
	struct buf	 path = BUF_INIT, text = BUF_INIT;
	size_t		 i;
	int		 error, hi, lo;

	memset(ps, 0, sizeof *ps);
	icomm_node_path(st, ICOMM_SECRET_FILE, &path);
	error = icomm_read_file(path.s, 4096, &text, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		if ((error = icomm_pseudo_make(path.s, err)) == NCEN_OK)
			error = icomm_read_file(path.s, 4096, &text, err);
	}
	if (error != NCEN_OK)
		goto out;
	if (text.len != ICOMM_SECRET_BYTES * 2 + 1 ||
	    text.s[text.len - 1] != '\n') {
		error = ncen_err_set(err, NCEN_EINVALID, "%s: not %d hex "
		    "digits and a new line", path.s, ICOMM_SECRET_BYTES * 2);
		goto out;
	}
	for (i = 0; i < ICOMM_SECRET_BYTES; i++) {
		if ((hi = icomm_pseudo_hex(text.s[2 * i])) < 0 ||
		    (lo = icomm_pseudo_hex(text.s[2 * i + 1])) < 0) {
			error = ncen_err_set(err, NCEN_EINVALID, "%s: not %d "
			    "hex digits and a new line", path.s,
			    ICOMM_SECRET_BYTES * 2);
			goto out;
		}
		ps->key[i] = (unsigned char)(hi << 4 | lo);
	}
	ps->partner = xstrdup(partner);
out:
	if (text.s != NULL)
		OPENSSL_cleanse(text.s, text.cap);
	buf_free(&text);
	buf_free(&path);
	if (error != NCEN_OK)
		icomm_pseudo_close(ps);
	return error;
}

/* Wipe the secret. */
void
icomm_pseudo_close(struct icomm_pseudo *ps)
{
	OPENSSL_cleanse(ps->key, sizeof ps->key);
	free(ps->partner);
	ps->partner = NULL;
}

/* HMAC-SHA256(secret, partner NUL entity NUL id NUL), truncated, in hex. */
int
icomm_pseudo_id(const struct icomm_pseudo *ps, const char *entity,
    uint64_t id, struct buf *b, struct ncen_err *err)
{
	unsigned char	 mac[EVP_MAX_MD_SIZE];
	unsigned int	 maclen = 0;
	struct buf	 msg = BUF_INIT;
	size_t		 i;
	int		 error = NCEN_OK;

	buf_reset(b);
	buf_adds(&msg, ps->partner != NULL ? ps->partner : "");
	buf_addc(&msg, '\0');
	buf_adds(&msg, entity);
	buf_addc(&msg, '\0');
	buf_addf(&msg, "%llu", (unsigned long long)id);
	buf_addc(&msg, '\0');
	if (HMAC(EVP_sha256(), ps->key, sizeof ps->key,
	    (const unsigned char *)msg.s, msg.len, mac, &maclen) == NULL ||
	    maclen < ICOMM_PSEUDO_BYTES)
		error = icomm_ossl_err(err, "the pseudonym of %s %llu",
		    entity, (unsigned long long)id);
	else
		for (i = 0; i < ICOMM_PSEUDO_BYTES; i++)
			buf_addf(b, "%02x", mac[i]);
	OPENSSL_cleanse(mac, sizeof mac);
	buf_free(&msg);
	return error;
}
