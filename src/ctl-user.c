/*
 * ctl-user.c - ncenctl user: accounts, and their SSH keys in the service
 * account's authorized_keys; ncenctl audit: verify and show the log.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "store.h"
#include "xmalloc.h"

#define CTL_USER_ACTOR	ctl_login()
#define CTL_USER_MARK	" ncen:"	/* the comment that marks our lines */
#define CTL_USER_KEYMAX	16384

/* Key types an authorized_keys line may carry. */
static const char *const ctl_user_key_types[] = {
	"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "ssh-rsa", "sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
};

/* Read a password: the first line of standard input, without its newline. */
static int
ctl_user_read_password(struct buf *pw)
{
	int	c;

	buf_reset(pw);
	while ((c = getchar()) != EOF && c != '\n')
		buf_addc(pw, c);
	if (pw->len > 0 && pw->s[pw->len - 1] == '\r')
		pw->s[--pw->len] = '\0';
	return pw->len == 0 ? -1 : 0;
}

/* Print one account (auth_account_fn). */
static int
ctl_user_print(const struct auth_account *a, void *arg)
{
	struct buf	b = BUF_INIT;

	(void)arg;
	buf_addf(&b, "%-16s ", a->name);
	auth_account_describe(a, auth_now(), &b);
	puts(b.s);
	buf_free(&b);
	return 0;
}

/* The authorized_keys file: option, $NCEN_AUTHORIZED_KEYS, else ~/.ssh. */
static void
ctl_user_keys_path(const char *opt, struct buf *path)
{
	const char	*v = getenv("NCEN_AUTHORIZED_KEYS"), *home;
	struct passwd	*pw;

	if (opt != NULL)
		buf_adds(path, opt);
	else if (v != NULL && *v != '\0')
		buf_adds(path, v);
	else {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : getenv("HOME");
		buf_addf(path, "%s/.ssh/authorized_keys", home != NULL ?
		    home : "");
	}
}

/* Whether a path is fit for a forced command (no quoting needed). */
static int
ctl_user_plain_path(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("/._-+", *s) != NULL))
			return 0;
	return 1;
}

/*
 * The ncen to force: beside this ncenctl (a build tree), else the
 * installed one (ncenctl is in sbin, ncen in bin), else "ncen" on the
 * PATH.
 */
static void
ctl_user_ncen_path(const char *opt, struct buf *b)
{
	char	 self[PATH_MAX], *slash;
	ssize_t	 n;

	if (opt != NULL) {
		buf_adds(b, opt);
		return;
	}
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			buf_addf(b, "%s/ncen", self);
			if (access(b->s, X_OK) == 0)
				return;
			buf_reset(b);
		}
	}
	buf_addf(b, "%s/ncen", NCEN_BINDIR);
	if (access(b->s, X_OK) == 0)
		return;
	buf_reset(b);
	buf_adds(b, "ncen");
}

/*
 * Check a public key file's one line "TYPE BASE64 [comment]": the type
 * is one sshd takes and the base64 blob starts with the same type.
 * The normalized "TYPE BASE64" goes to key, its SHA256 fingerprint to fp.
 */
static int
ctl_user_key_parse(const char *file, struct buf *key, struct buf *fp,
    struct buf *why)
{
	FILE		*f;
	char		 line[CTL_USER_KEYMAX], *type, *b64, *save = NULL;
	unsigned char	*blob = NULL, md[EVP_MAX_MD_SIZE];
	unsigned char	 enc[64];
	unsigned int	 mdlen = 0;
	size_t		 i, b64len, tlen;
	int		 n, ok = 0;
	uint32_t	 len;

	if ((f = fopen(file, "r")) == NULL) {
		buf_addf(why, "%s: %s", file, strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof line, f) == NULL) {
		buf_addf(why, _("%s: empty"), file);
		fclose(f);
		return -1;
	}
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if ((type = strtok_r(line, " \t", &save)) == NULL ||
	    (b64 = strtok_r(NULL, " \t", &save)) == NULL) {
		buf_addf(why, _("%s: not a public key line (TYPE BASE64 "
		    "[COMMENT])"), file);
		return -1;
	}
	for (i = 0; i < sizeof ctl_user_key_types /
	    sizeof ctl_user_key_types[0]; i++)
		if (strcmp(type, ctl_user_key_types[i]) == 0)
			ok = 1;
	if (!ok) {
		buf_addf(why, _("%s: key type '%.40s' is not one sshd takes "
		    "(ssh-ed25519, ecdsa-sha2-*, ssh-rsa, sk-*)"), file, type);
		return -1;
	}
	b64len = strlen(b64);
	for (i = 0; i < b64len; i++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789+/=", b64[i]) == NULL)
			break;
	blob = xmalloc(b64len + 4);
	if (i != b64len || b64len % 4 != 0 || (n = EVP_DecodeBlock(blob,
	    (const unsigned char *)b64, (int)b64len)) < 4) {
		buf_addf(why, _("%s: the key is not valid base64"), file);
		free(blob);
		return -1;
	}
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	if (b64len >= 1 && b64[b64len - 1] == '=')
		n--;
	if (b64len >= 2 && b64[b64len - 2] == '=')
		n--;
	len = buf_get_u32(blob);
	tlen = strlen(type);
	if (len != tlen || (size_t)n < 4 + tlen + 4 ||
	    memcmp(blob + 4, type, tlen) != 0) {
		buf_addf(why, _("%s: the key's bytes do not hold a %s key"),
		    file, type);
		free(blob);
		return -1;
	}
	if (EVP_Digest(blob, (size_t)n, md, &mdlen, EVP_sha256(), NULL) != 1) {
		buf_addf(why, _("%s: SHA-256 failed"), file);
		free(blob);
		return -1;
	}
	free(blob);
	n = EVP_EncodeBlock(enc, md, (int)mdlen);
	while (n > 0 && enc[n - 1] == '=')
		n--;
	buf_adds(fp, "SHA256:");
	buf_add(fp, enc, (size_t)n);
	buf_addf(key, "%s %s", type, b64);
	return 0;
}

/* Whether a line of authorized_keys is ours for user (NULL: any user). */
static int
ctl_user_line_ours(const char *line, size_t len, const char *user)
{
	const char	*m;
	size_t		 ulen;

	if (len < 20 || (strncmp(line, "restrict,command=\"", 18) != 0 &&
	    strncmp(line, "restrict,pty,command=\"", 22) != 0))
		return 0;
	for (m = line + len; m > line && m[-1] != ' '; m--)
		;
	if (m == line || (size_t)(line + len - m) < 5 ||
	    strncmp(m - 1, CTL_USER_MARK, sizeof CTL_USER_MARK - 1) != 0)
		return 0;
	if (user == NULL)
		return 1;
	ulen = strlen(user);
	return (size_t)(line + len - m) == 5 + ulen &&
	    memcmp(m + 5, user, ulen) == 0;
}

/* Read the whole file into b; a missing file is empty. */
static int
ctl_user_read_file(const char *path, struct buf *b)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	n = (size_t)ferror(f);
	fclose(f);
	return n != 0 ? -1 : 0;
}

/* Replace a file at once: temp beside it, fsync, rename, fsync the dir. */
static int
ctl_user_write_file(const char *path, const struct buf *b, struct buf *why)
{
	struct buf	 tmp = BUF_INIT, dir = BUF_INIT;
	const char	*slash;
	size_t		 off;
	ssize_t		 w;
	int		 fd, dfd, r = -1;

	buf_addf(&tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp.s)) == -1) {
		buf_addf(why, "%s: %s", tmp.s, strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) != 0)
		goto fail;
	for (off = 0; off < b->len; off += (size_t)w)
		if ((w = write(fd, b->s + off, b->len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			goto fail;
		}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp.s, path) != 0)
		goto fail;
	if ((slash = strrchr(path, '/')) != NULL)
		buf_add(&dir, path, slash == path ? 1 : (size_t)(slash - path));
	else
		buf_adds(&dir, ".");
	if ((dfd = open(dir.s, O_RDONLY | O_DIRECTORY)) != -1) {
		(void)fsync(dfd);
		(void)close(dfd);
	}
	r = 0;
	goto out;
fail:
	buf_addf(why, "%s: %s", path, strerror(errno));
	if (fd != -1)
		(void)close(fd);
	(void)unlink(tmp.s);
out:
	buf_free(&tmp);
	buf_free(&dir);
	return r;
}

/* Options of ncenctl user key. */
struct ctl_user_keyopt {
	const char	*keys;		/* --authorized-keys */
	const char	*ncen;		/* --ncen */
};

/* ncenctl user key add|del|list. */
static int
ctl_user_key(struct ctl_ctx *ctx, struct store *st,
    struct ctl_user_keyopt *ko, int argc, char **argv)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct auth_account	*a = NULL;
	struct buf		 path = BUF_INIT, old = BUF_INIT,
	    new = BUF_INIT;
	struct buf		 key = BUF_INIT, fp = BUF_INIT, why = BUF_INIT;
	struct buf		 ncen = BUF_INIT, rec = BUF_INIT,
	    home = BUF_INIT;
	const char		*sub, *user = NULL, *p, *nl;
	char			*real = NULL;
	size_t			 len, removed = 0;
	int			 r = 0, listing;

	if (argc < 1)
		return ctl_usage(ctx->cmd, _("user key: add, del or list?"));
	sub = argv[0];
	listing = strcmp(sub, "list") == 0;
	if (!listing && strcmp(sub, "add") != 0 && strcmp(sub, "del") != 0)
		return ctl_usage(ctx->cmd, _("user key: unknown '%s'"), sub);
	if (argc > 1)
		user = argv[1];
	if ((strcmp(sub, "add") == 0 && argc != 3) ||
	    (strcmp(sub, "del") == 0 && (argc < 2 || argc > 3)) ||
	    (listing && argc > 2))
		return ctl_usage(ctx->cmd, _("user key %s: wrong arguments"),
		    sub);
	ctl_user_keys_path(ko->keys, &path);
	if (user != NULL && auth_name_check(user, &e) != NCEN_OK) {
		r = ctl_report("user", &e);
		goto out;
	}
	if (!listing && auth_account_get(st, user, &a, &e) != NCEN_OK) {
		r = ctl_report("user", &e);
		goto out;
	}
	if (argc == 3 && ctl_user_key_parse(argv[2], &key, &fp, &why) != 0) {
		ctl_warn("user key %s: %s", sub, why.s);
		r = 1;
		goto out;
	}
	if (ctl_user_read_file(path.s, &old) != 0) {
		ctl_warn("user key: %s: %s", path.s, strerror(errno));
		r = 2;
		goto out;
	}
	for (p = buf_cstr(&old); *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		len = (size_t)(nl - p);
		if (*nl == '\n')
			nl++;
		if (listing) {
			if (ctl_user_line_ours(p, len, user))
				printf("%.*s\n", (int)len, p);
			continue;
		}
		/* Our line for this user (and this key, if named) goes. */
		if (ctl_user_line_ours(p, len, user) && (key.len == 0 ||
		    memmem(p, len, key.s, key.len) != NULL)) {
			removed++;
			continue;
		}
		buf_add(&new, p, len);
		buf_addc(&new, '\n');
	}
	if (listing)
		goto out;
	if (strcmp(sub, "add") == 0) {
		if ((real = realpath(ctx->home, NULL)) == NULL) {
			ctl_warn("user key: %s: %s", ctx->home,
			    strerror(errno));
			r = 2;
			goto out;
		}
		ctl_user_ncen_path(ko->ncen, &ncen);
		if (!ctl_user_plain_path(real) || !ctl_user_plain_path(ncen.s)) {
			ctl_warn(_("user key: %s or %s: a forced command needs "
			    "paths of letters, digits and /._-+"), real,
			    ncen.s);
			r = 2;
			goto out;
		}
		/* restrict: no forwarding; pty: the screens need one. */
		buf_addf(&new, "restrict,pty,command=\"%s -d %s --as %s\" "
		    "%s%s%s\n",
		    ncen.s, real, user, key.s, CTL_USER_MARK, user);
	} else if (removed == 0) {
		ctl_warn(_("user key del: %s has no such key in %s"), user,
		    path.s);
		r = 1;
		goto out;
	}
	if (ctl_user_write_file(path.s, &new, &why) != 0) {
		ctl_warn("user key: %s", why.s);
		r = 2;
		goto out;
	}
	buf_addf(&rec, "account:%s", user);
	buf_addf(&why, "%s %s", strcmp(sub, "add") == 0 ? "added" :
	    "removed", fp.len != 0 ? fp.s : "every key");
	if (audit_log(st, CTL_USER_ACTOR, strcmp(sub, "add") == 0 ?
	    "account.key.add" : "account.key.del", rec.s, why.s, &e) !=
	    NCEN_OK) {
		r = ctl_report("user", &e);
		goto out;
	}
	if (strcmp(sub, "add") == 0)
		printf(removed > 1 ?
		    _("%s: added key %s (and its duplicates)\n") :
		    _("%s: added key %s\n"), user, fp.s);
	else if (fp.len == 0)
		printf(_("%s: removed every key\n"), user);
	else
		printf(removed > 1 ?
		    _("%s: removed %s (and its duplicates)\n") :
		    _("%s: removed %s\n"), user, fp.s);
out:
	free(real);
	auth_account_free(a);
	buf_free(&path);
	buf_free(&old);
	buf_free(&new);
	buf_free(&key);
	buf_free(&fp);
	buf_free(&why);
	buf_free(&ncen);
	buf_free(&rec);
	buf_free(&home);
	ncen_err_free(&e);
	return r;
}

/* ncenctl user ACTION ...: accounts and their keys. */
int
ctl_user(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "roles", required_argument, NULL, 'r' },
		{ "offices", required_argument, NULL, 'o' },
		{ "password-stdin", no_argument, NULL, 'p' },
		{ "authorized-keys", required_argument, NULL, 'k' },
		{ "ncen", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct auth_change	 ch;
	struct ctl_user_keyopt	 ko;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct buf		 pw = BUF_INIT;
	const char		*action, *name = NULL;
	int			 c, r, pwin = 0, disabled = 0, rc = NCEN_OK;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no action given"));
	action = argv[1];
	memset(&ch, 0, sizeof ch);
	memset(&ko, 0, sizeof ko);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'r':
			ch.roles = optarg;
			break;
		case 'o':
			ch.offices = optarg;
			break;
		case 'p':
			pwin = 1;
			break;
		case 'k':
			ko.keys = optarg;
			break;
		case 'n':
			ko.ncen = optarg;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	optind++;	/* back to argv's numbering */
	if (strcmp(action, "key") != 0 && strcmp(action, "list") != 0) {
		if (optind >= argc)
			return ctl_usage(ctx->cmd, _("no user name given"));
		if (optind + 1 < argc)
			return ctl_usage(ctx->cmd,
			    _("unexpected argument '%s'"),
			    argv[optind + 1]);
		name = argv[optind];
	}
	if (strcmp(action, "add") == 0 && ch.roles == NULL)
		return ctl_usage(ctx->cmd, _("user add needs --roles"));
	if ((strcmp(action, "passwd") == 0 || pwin) &&
	    ctl_user_read_password(&pw) != 0)
		return ctl_usage(ctx->cmd, _("no password on standard input"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto done;
	if (strcmp(action, "list") != 0 && strcmp(action, "key") != 0)
		ctl_one_change();
	if (strcmp(action, "add") == 0)
		rc = auth_account_add(st, CTL_USER_ACTOR, name, ch.roles,
		    ch.offices, pwin ? pw.s : NULL, &e);
	else if (strcmp(action, "mod") == 0)
		rc = auth_account_mod(st, CTL_USER_ACTOR, name, &ch, &e);
	else if (strcmp(action, "lock") == 0 || strcmp(action, "unlock") == 0)
		rc = auth_account_lock(st, CTL_USER_ACTOR, name,
		    strcmp(action, "lock") == 0, &e);
	else if (strcmp(action, "passwd") == 0)
		rc = auth_account_passwd(st, CTL_USER_ACTOR, name, pw.s, &e);
	else if (strcmp(action, "del") == 0)
		rc = auth_account_del(st, CTL_USER_ACTOR, name, &disabled, &e);
	else if (strcmp(action, "list") == 0)
		rc = auth_account_list(st, ctl_user_print, NULL, &e);
	else if (strcmp(action, "key") == 0)
		r = ctl_user_key(ctx, st, &ko, argc - optind, argv + optind);
	else {
		r = ctl_usage(ctx->cmd, _("unknown action '%s'"), action);
		goto close;
	}
	if (rc == NCEN_OK && r == 0 && strcmp(action, "list") != 0 &&
	    strcmp(action, "key") != 0)
		ctl_committed();	/* one transaction, done */
	if (rc != NCEN_OK)
		r = ctl_report("user", &e);
	else if (strcmp(action, "del") == 0)
		printf(disabled ? _("%s: disabled (records or audit entries "
		    "name it)\n") : _("%s: deleted\n"), name);
close:
	r = ctl_close(ctx, s, st, r);
done:
	if (pw.s != NULL)
		explicit_bzero(pw.s, pw.cap);
	buf_free(&pw);
	ncen_err_free(&e);
	return r;
}

/* Print one audit entry (audit_fn). */
static int
ctl_audit_print(const struct audit_entry *a, void *arg)
{
	struct buf	b = BUF_INIT;

	(*(unsigned long *)arg)++;
	buf_addf(&b, "%llu ", (unsigned long long)a->seq);
	audit_format_time(&b, a->time);
	buf_addf(&b, " %s %s %s", *a->user != '\0' ? a->user : "-",
	    a->action, *a->record != '\0' ? a->record : "-");
	if (*a->details != '\0')
		buf_addf(&b, " %s", a->details);
	puts(b.s);
	buf_free(&b);
	return 0;
}

/* ncenctl audit verify|show [filters]. */
int
ctl_audit(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "user", required_argument, NULL, 'u' },
		{ "record", required_argument, NULL, 'r' },
		{ "action", required_argument, NULL, 'a' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct audit_filter	 f;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	const char		*action;
	uint64_t		 n = 0;
	unsigned long		 shown = 0;
	int			 c, r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("verify or show?"));
	action = argv[1];
	memset(&f, 0, sizeof f);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'u':
			f.user = optarg;
			break;
		case 'r':
			f.record = optarg;
			break;
		case 'a':
			f.action = optarg;
			break;
		case 's':
		case 'U':
			if (audit_parse_time(optarg) < 0)
				return ctl_usage(ctx->cmd, _("bad time '%s' "
				    "(YYYY-MM-DD[THH:MM[:SS]], UTC)"), optarg);
			if (c == 's')
				f.since = audit_parse_time(optarg);
			else
				f.until = audit_parse_time(optarg);
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	optind++;
	if (optind < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind]);
	if (strcmp(action, "verify") != 0 && strcmp(action, "show") != 0)
		return ctl_usage(ctx->cmd, _("unknown action '%s'"), action);
	if (strcmp(action, "verify") == 0 && (f.user != NULL ||
	    f.record != NULL || f.action != NULL || f.since != 0 ||
	    f.until != 0))
		return ctl_usage(ctx->cmd, _("verify takes no filter"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (strcmp(action, "verify") == 0) {
		if (audit_verify(st, &n, &e) != NCEN_OK)
			r = ctl_report("audit verify", &e);
		else
			printf(_("audit: %llu entries, the chain is intact\n"),
			    (unsigned long long)n);
	} else if (audit_scan(st, &f, ctl_audit_print, &shown, &e) != NCEN_OK)
		r = ctl_report("audit show", &e);
	if (r == 0 && fflush(stdout) == EOF) {
		ctl_warn(_("audit: standard output: write failed"));
		r = 2;
	}
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
