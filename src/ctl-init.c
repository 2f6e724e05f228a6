/* ctl-init.c - ncenctl init: create a data directory and its databases. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store-backup.h"
#include "store.h"

#ifndef NCEN_FORMS_DIR
#define NCEN_FORMS_DIR "/usr/local/share/ncen/forms"
#endif

/* Bytes of randomness in a generated key (AES-128 is keyed from it). */
#define CTL_INIT_KEYBYTES	32

/* Remove one entry of a tree (nftw callback, depth first). */
static int
ctl_init_rm(const char *path, const struct stat *sb, int flag,
    struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) == -1 ? -1 : 0;
}

/* Undo a failed init: the data directory's contents, and it too if we made it. */
static void
ctl_init_undo(const char *home, int made)
{
	struct buf	 path = BUF_INIT;
	struct dirent	*de;
	DIR		*d;

	if (made) {
		nftw(home, ctl_init_rm, 16, FTW_DEPTH | FTW_PHYS);
		return;
	}
	if ((d = opendir(home)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name,
		    "..") == 0)
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", home, de->d_name);
		nftw(path.s, ctl_init_rm, 16, FTW_DEPTH | FTW_PHYS);
	}
	closedir(d);
	buf_free(&path);
}

/* Write a new random key file, mode 0600, refusing to replace one. */
static int
ctl_init_key(const char *path)
{
	unsigned char	raw[CTL_INIT_KEYBYTES];
	struct buf	hex = BUF_INIT;
	size_t		i, off;
	ssize_t		w;
	int		fd, r = 0;

	if (RAND_bytes(raw, sizeof raw) != 1) {
		ctl_warn(_("init: %s: no random bytes from OpenSSL"), path);
		return 2;
	}
	for (i = 0; i < sizeof raw; i++)
		buf_addf(&hex, "%02x", raw[i]);
	buf_addc(&hex, '\n');
	memset(raw, 0, sizeof raw);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		ctl_warn("init: %s: %s", path, strerror(errno));
		r = errno == EEXIST ? 1 : 2;
		goto out;
	}
	for (off = 0; off < hex.len; off += (size_t)w) {
		if ((w = write(fd, hex.s + off, hex.len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			ctl_warn("init: %s: %s", path, strerror(errno));
			r = 2;
			break;
		}
	}
	if (r == 0 && fsync(fd) == -1) {
		ctl_warn("init: %s: %s", path, strerror(errno));
		r = 2;
	}
	if (close(fd) == -1 && r == 0) {
		ctl_warn("init: %s: %s", path, strerror(errno));
		r = 2;
	}
	if (r != 0)
		unlink(path);
out:
	memset(hex.s, 0, hex.cap);
	buf_free(&hex);
	return r;
}

/* Where a generated key goes by default: DIR.key beside the data directory. */
static void
ctl_init_keypath(const char *home, struct buf *b)
{
	size_t	len = strlen(home);

	while (len > 1 && home[len - 1] == '/')
		len--;
	buf_add(b, home, len);
	buf_adds(b, ".key");
}

/* Create the data directory, copy and check the forms, create every database. */
int
ctl_init(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "forms", required_argument, NULL, 'f' },
		{ "encrypt", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_options	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct buf		 forms = BUF_INIT, keypath = BUF_INIT;
	const char		*from = NULL, *keyfile = ctx->keyfile;
	int			 c, encrypt = 0, made = 0, madekey = 0, r = 0;
	mode_t			 mask = (mode_t)-1;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			from = optarg;
			break;
		case 'e':
			encrypt = 1;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (optind != argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;

	/* Refuse before changing anything. */
	if (!ctl_is_empty_dir(ctx->home)) {
		ctl_warn(_("init: %s: already exists and is not empty "
		    "(nothing changed)"), ctx->home);
		return 1;
	}
	if (from == NULL) {
		if (!ctl_is_dir(NCEN_FORMS_DIR)) {
			ctl_warn(_("init: no forms: %s does not exist; give "
			    "--forms DIR (e.g. the source tree's forms/)"),
			    NCEN_FORMS_DIR);
			return 2;
		}
		from = NCEN_FORMS_DIR;
	}
	if (!ctl_is_dir(from)) {
		ctl_warn(_("init: %s: no such forms directory"), from);
		return 2;
	}
	if (schema_load_dir(from, &s, &e) != NCEN_OK) {
		r = ctl_report("init", &e);
		goto out;
	}
	schema_free(s);
	s = NULL;
	if (encrypt) {
		if (keyfile == NULL) {
			ctl_init_keypath(ctx->home, &keypath);
			keyfile = keypath.s;
		}
		if ((r = ctl_init_key(keyfile)) != 0)
			goto out;
		madekey = 1;
	} else if (keyfile != NULL && access(keyfile, R_OK) == -1) {
		ctl_warn(_("init: %s: %s (give --encrypt to make a new key)"),
		    keyfile, strerror(errno));
		r = 2;
		goto out;
	}

	/*
	 * Nominal data and the audit log: only the service account may
	 * read the directory, and what init creates in it is 0600.
	 */
	mask = umask(077);
	if (mkdir(ctx->home, 0700) == -1) {
		if (errno != EEXIST || chmod(ctx->home, 0700) == -1) {
			ctl_warn("init: %s: %s", ctx->home, strerror(errno));
			r = 2;
			goto out;
		}
	} else
		made = 1;
	buf_addf(&forms, "%s/forms", ctx->home);
	if (store_backup_copy_forms(from, forms.s, &e) != NCEN_OK ||
	    schema_load_dir(forms.s, &s, &e) != NCEN_OK) {
		r = ctl_report("init", &e);
		goto fail;
	}
	memset(&o, 0, sizeof o);
	o.home = ctx->home;
	o.keyfile = keyfile;
	o.create = 1;
	if (store_open(&o, s, &st, &e) != NCEN_OK) {
		r = ctl_report("init", &e);
		st = NULL;
		goto fail;
	}
	if (store_close(st, &e) != NCEN_OK) {
		r = ctl_report("init", &e);
		goto fail;
	}
	printf(_("created %s with %zu forms and %zu code lists from %s\n"),
	    ctx->home, s->nforms, s->nlists, from);
	if (madekey)
		printf(_("encryption key written to %s (mode 0600): keep a "
		    "copy apart from the data; without it the data is lost\n"),
		    keyfile);
	goto out;
fail:
	if (r == 1)
		r = 2;
	ctl_init_undo(ctx->home, made);
	if (madekey)
		unlink(keyfile);
out:
	if (mask != (mode_t)-1)
		umask(mask);
	schema_free(s);
	buf_free(&forms);
	buf_free(&keypath);
	ncen_err_free(&e);
	return r;
}
