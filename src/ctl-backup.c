/*
 * ctl-backup.c - ncenctl backup, restore and recover.
 *
 * A backup holds each import whole or not at all: it waits for the
 * imports under way and keeps new ones out while it copies
 * (ctl-journal.c); the journal of an import that died comes with it, and
 * restore rolls that import back.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store-backup.h"
#include "store.h"

/* Print what a library call reported it did. */
static void
ctl_backup_print(const struct buf *report)
{
	if (report->len != 0)
		fputs(report->s, stdout);
}

/* How long a backup waits for the imports under way, by default. */
#define CTL_BACKUP_WAIT	3600

/*
 * Hot backup of the data directory into a new directory, once no import
 * is under way (waiting at most --wait SECONDS for them).
 */
int
ctl_backup(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "wait", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	unsigned long	 wait = CTL_BACKUP_WAIT;
	char		*end;
	size_t		 njournals;
	int		 c, r, lockfd = -1;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'w')
			return ctl_usage(ctx->cmd, _("bad option"));
		errno = 0;
		wait = strtoul(optarg, &end, 10);
		if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
		    errno != 0 || wait > UINT_MAX)
			return ctl_usage(ctx->cmd, _("--wait %s: expected a "
			    "number of seconds"), optarg);
	}
	if (argc - optind < 1)
		return ctl_usage(ctx->cmd, _("no backup directory"));
	if (argc - optind > 1)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if (!ctl_is_dir(ctx->home)) {
		ctl_warn(_("backup: %s: no such data directory"), ctx->home);
		return 2;
	}
	if ((r = ctl_journal_lock_backup(ctx, (unsigned)wait, &lockfd)) != 0)
		return r;
	r = store_backup(ctx->home, ctx->keyfile, argv[optind], &report, &e);
	close(lockfd);		/* imports may go on */
	ctl_backup_print(&report);
	if (r != NCEN_OK) {
		r = ctl_report("backup", &e);
		goto out;
	}
	if ((njournals = ctl_journal_count(argv[optind])) != 0)
		printf(ngettext_("the backup holds the journal of %zu import "
		    "that died part way: restore rolls it back\n", "the backup "
		    "holds the journals of %zu imports that died part way: "
		    "restore rolls them back\n", njournals), njournals);
	printf(_("backup of %s in %s\n"), ctx->home, argv[optind]);
out:
	buf_free(&report);
	ncen_err_free(&e);
	return r;
}

/*
 * Roll back, in a restored data directory, the imports whose journals
 * the backup carried (they had died part way); 0 or the exit status.
 */
static int
ctl_backup_rollback(struct ctl_ctx *ctx)
{
	struct schema	*s = NULL;
	struct store	*st = NULL;
	size_t		 done = 0;
	int		 r;

	if (ctl_journal_count(ctx->home) == 0)
		return 0;
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	r = ctl_journal_rollback_all(ctx, st, &done);
	return ctl_close(ctx, s, st, r);
}

/* Restore a backup into the data directory, then verify the result. */
int
ctl_restore(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	struct schema	*s = NULL;
	int		 c, force = 0, r;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'f')
			return ctl_usage(ctx->cmd, _("bad option"));
		force = 1;
	}
	if (argc - optind != 1)
		return ctl_usage(ctx->cmd, argc == optind ?
		    "no backup directory" : "too many arguments");
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	r = store_backup_restore(argv[optind], ctx->home, ctx->keyfile, force,
	    &report, &e);
	ctl_backup_print(&report);
	buf_reset(&report);
	if (r != NCEN_OK) {
		r = ctl_report("restore", &e);
		goto out;
	}
	/* An import that died part way is not restored part way. */
	if ((r = ctl_backup_rollback(ctx)) != 0)
		goto out;
	if ((r = ctl_schema(ctx, &s)) != 0)
		goto out;
	r = store_verify(ctx->home, s, ctx->keyfile, &report, &e);
	if (r != NCEN_OK) {
		ctl_backup_print(&report);
		r = ctl_report("restore: verify", &e);
		goto out;
	}
	printf(_("restored %s from %s; verify found no problems\n"), ctx->home,
	    argv[optind]);
out:
	schema_free(s);
	buf_free(&report);
	ncen_err_free(&e);
	return r;
}

/* Run recovery, normal or catastrophic, with no other process running. */
int
ctl_recover(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "catastrophic", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err	e = NCEN_ERR_INIT;
	struct buf	report = BUF_INIT;
	int		c, catastrophic = 0, r;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c != 'c')
			return ctl_usage(ctx->cmd, _("bad option"));
		catastrophic = 1;
	}
	if (optind != argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if (!ctl_is_dir(ctx->home)) {
		ctl_warn(_("recover: %s: no such data directory"), ctx->home);
		return 2;
	}
	r = store_backup_recover(ctx->home, ctx->keyfile, catastrophic,
	    &report, &e);
	ctl_backup_print(&report);
	if (r != NCEN_OK)
		r = ctl_report("recover", &e);
	buf_free(&report);
	ncen_err_free(&e);
	return r;
}
