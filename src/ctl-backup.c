/* ctl-backup.c - ncenctl backup, restore and recover. */
#include <getopt.h>
#include <stdio.h>

#include "buf.h"
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

/* Hot backup of the data directory into a new directory. */
int
ctl_backup(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct buf	report = BUF_INIT;
	int		r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no backup directory"));
	if (argc > 2)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[2]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if (!ctl_is_dir(ctx->home)) {
		ctl_warn(_("backup: %s: no such data directory"), ctx->home);
		return 2;
	}
	r = store_backup(ctx->home, ctx->keyfile, argv[1], &report, &e);
	ctl_backup_print(&report);
	if (r != NCEN_OK)
		r = ctl_report("backup", &e);
	else
		printf(_("backup of %s in %s\n"), ctx->home, argv[1]);
	buf_free(&report);
	ncen_err_free(&e);
	return r;
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
