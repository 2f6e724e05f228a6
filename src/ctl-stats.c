/* ctl-stats.c - ncenctl stats: records by entity, links, log files, disk. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store.h"

/* Print a size in bytes the way people read it. */
static void
ctl_stats_size(const char *what, uint64_t n, uint64_t bytes)
{
	if (bytes >= 1024 * 1024)
		printf("%-12s %10" PRIu64 "  %.1f MiB\n", what, n,
		    (double)bytes / (1024 * 1024));
	else
		printf("%-12s %10" PRIu64 "  %.1f KiB\n", what, n,
		    (double)bytes / 1024);
}

/* Sum the files of the data directory: logs, databases, everything. */
static int
ctl_stats_files(const char *home)
{
	struct buf	 path = BUF_INIT;
	struct dirent	*de;
	struct stat	 sb;
	DIR		*d;
	uint64_t	 nlog = 0, logb = 0, ndb = 0, dbb = 0, nall = 0,
	    allb = 0;
	size_t		 len;

	if ((d = opendir(home)) == NULL) {
		ctl_warn("stats: %s: %s", home, strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", home, de->d_name);
		if (lstat(path.s, &sb) == -1 || !S_ISREG(sb.st_mode))
			continue;
		len = strlen(de->d_name);
		nall++;
		allb += (uint64_t)sb.st_blocks * 512;
		if (strncmp(de->d_name, "log.", 4) == 0) {
			nlog++;
			logb += (uint64_t)sb.st_size;
		} else if ((len > 3 && strcmp(de->d_name + len - 3,
		    ".db") == 0) ||
		    (len > 4 && strcmp(de->d_name + len - 4, ".idx") == 0)) {
			ndb++;
			dbb += (uint64_t)sb.st_size;
		}
	}
	closedir(d);
	buf_free(&path);
	ctl_stats_size(_("log files"), nlog, logb);
	ctl_stats_size(_("databases"), ndb, dbb);
	ctl_stats_size(_("on disk"), nall, allb);
	return 0;
}

/*
 * Print record counts by entity, links, log files and size on disk: all
 * of them counts the store keeps, so at a million cases as at ten.
 */
int
ctl_stats(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	uint64_t		 n, total = 0, links = 0;
	size_t			 i;
	int			 r;

	if (argc != 1)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[1]);
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	for (i = 0; i < s->nforms; i++) {
		if (store_count(st, s->forms[i]->name, &n, &e) != NCEN_OK) {
			r = ctl_report("stats", &e);
			goto out;
		}
		printf("%-12s %10" PRIu64 "\n", s->forms[i]->name, n);
		total += n;
	}
	printf("%-12s %10" PRIu64 "\n", _("records"), total);
	for (i = 0; i < s->nforms; i++) {
		if (store_count_links(st, s->forms[i]->name, &n, &e) !=
		    NCEN_OK) {
			r = ctl_report("stats", &e);
			goto out;
		}
		links += n;
	}
	printf("%-12s %10" PRIu64 "\n", _("links"), links);
	r = ctl_stats_files(ctx->home);
out:
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
