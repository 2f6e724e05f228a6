/* ctl-dump.c - ncenctl dump and load: records and links as text (ncen-dump(5)). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-dump.h"
#include "store.h"
#include "xmalloc.h"

/* What a dump run --as keeps: what the account sees (need to know). */
struct ctl_dump_as {
	struct store		*st;
	struct auth_account	*acct;
	size_t			 hidden;
};

/* Keep a record the account sees (store_dump_write's keep). */
static int
ctl_dump_keep(const struct record *r, void *arg)
{
	struct ctl_dump_as	*a = arg;

	if (auth_sees(a->st, NULL, a->acct, r))
		return 1;
	a->hidden++;
	return 0;
}

/* Write records and links of the data directory as a dump. */
int
ctl_dump(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "as", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ctl_dump_as	 as;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	const char		*out = NULL, *user = NULL;
	FILE			*f = stdout;
	int			 c, i, r;

	memset(&as, 0, sizeof as);
	while ((c = getopt_long(argc, argv, "o:a:", longopts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == 'a')
			user = optarg;
		else
			return ctl_usage(ctx->cmd, _("bad option"));
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	as.st = st;
	/* --as: the account must be one that may export; it dumps what it sees. */
	if (user != NULL && (r = ctl_as(ctx, st, user, AUTH_EXPORT, NULL,
	    &as.acct)) != 0)
		goto out;
	for (i = optind; i < argc; i++) {
		if (schema_form_find(s, argv[i]) == NULL) {
			r = ctl_usage(ctx->cmd, _("no form '%s' in %s/forms"),
			    argv[i], ctx->home);
			goto out;
		}
	}
	if (out != NULL && (f = fopen(out, "w")) == NULL) {
		ctl_warn("dump: %s: %s", out, strerror(errno));
		r = 2;
		goto out;
	}
	if (store_dump_write(st, (const char *const *)argv + optind,
	    (size_t)(argc - optind), as.acct != NULL ? ctl_dump_keep : NULL,
	    &as, f, &e) != NCEN_OK)
		r = ctl_report("dump", &e);
	else if (as.hidden != 0)
		ctl_warn(ngettext_("dump: %zu record left out: account '%s' "
		    "may not see it (not in its cases)", "dump: %zu records "
		    "left out: account '%s' may not see them (not in its "
		    "cases)", as.hidden), as.hidden, user);
	if (out != NULL && fclose(f) == EOF && r == 0) {
		ctl_warn("dump: %s: %s", out, strerror(errno));
		r = 2;
	}
	if (out != NULL && r != 0)
		unlink(out);
out:
	auth_account_free(as.acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* Whether a record is in the store (store_dump_exists_fn). */
static int
ctl_dump_exists(const char *entity, uint64_t id, void *arg)
{
	return ctl_exists(arg, entity, id);
}

/* Read a whole file ("-": standard input) into a buffer. */
static int
ctl_dump_read(const char *path, struct buf *b)
{
	FILE	*f = stdin;
	char	 tmp[65536];
	size_t	 n;
	int	 r = 0;

	if (strcmp(path, "-") != 0 && (f = fopen(path, "r")) == NULL) {
		ctl_warn("load: %s: %s", path, strerror(errno));
		return 2;
	}
	while ((n = fread(tmp, 1, sizeof tmp, f)) != 0)
		buf_add(b, tmp, n);
	if (ferror(f)) {
		ctl_warn(_("load: %s: read error"), path);
		r = 2;
	}
	if (f != stdin)
		fclose(f);
	return r;
}

/*
 * How long the one transaction of a load may take before the watchdog
 * decides another process died: a minute, and a second for every 100
 * records or links (about ten times what a spinning disk needs).
 */
static unsigned
ctl_dump_watchdog(const struct buf *text)
{
	const char	*p = buf_cstr(text);
	unsigned long	 n = 0;

	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncmp(p, "record ", 7) == 0 || strncmp(p, "link ",
		    5) == 0)
			n++;
	}
	return n / 100 > 86400 ? 86400 + 60 : 60 + (unsigned)(n / 100);
}

/* Load a dump: check all of it against the forms, then store it in one transaction. */
int
ctl_load(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct store_dump	*d = NULL;
	struct buf		 text = BUF_INIT, problems = BUF_INIT;
	struct buf		 recs = BUF_INIT, links = BUF_INIT;
	const char		*p, *nl;
	int			 r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no dump file"));
	if (argc > 2)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[2]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if ((r = ctl_dump_read(argv[1], &text)) != 0)
		return r;
	ctx->watchdog = ctl_dump_watchdog(&text);
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (store_dump_parse(s, argv[1], buf_cstr(&text), text.len,
	    ctl_dump_exists, st, &d, &problems, &e) != NCEN_OK) {
		for (p = buf_cstr(&problems); *p != '\0'; p = nl + 1) {
			if ((nl = strchr(p, '\n')) == NULL)
				break;
			ctl_warn("load: %.*s", (int)(nl - p), p);
		}
		if (problems.len == 0)
			ctl_report("load", &e);
		ctl_warn(_("load: %s: nothing loaded"), argv[1]);
		r = ncen_err_exit(e.code);
		goto out;
	}
	if (d->version == 1)
		ctl_warn(_("load: %s: a version 1 dump has no end line: a "
		    "file cut short or altered cannot be told from a whole "
		    "one"), argv[1]);
	if (store_dump_load(st, d, &e) != NCEN_OK) {
		r = ctl_report("load", &e);
		ctl_warn(_("load: %s: nothing loaded"), argv[1]);
		goto out;
	}
	buf_addf(&recs, ngettext_("%zu record", "%zu records", d->nrecs),
	    d->nrecs);
	buf_addf(&links, ngettext_("%zu link", "%zu links", d->nlinks),
	    d->nlinks);
	/* TRANSLATORS: loaded 3 records and 1 link from FILE. */
	printf(_("loaded %s and %s from %s\n"), recs.s, links.s, argv[1]);
out:
	store_dump_free(d);
	buf_free(&text);
	buf_free(&problems);
	buf_free(&recs);
	buf_free(&links);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
