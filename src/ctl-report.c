/*
 * ctl-report.c - ncenctl report: printable reports.  Each subcommand
 * lives in its own file (ctl-report-*.c); this table only dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

/* The subcommands of report: adding one is adding a row. */
static const struct {
	const char	*name;
	ctl_fn		 fn;
} ctl_report_subs[] = {
	{ "stats", ctl_report_stats },
};
#define CTL_REPORT_NSUBS (sizeof ctl_report_subs / sizeof ctl_report_subs[0])

/* ncenctl report SUBCOMMAND ...: run the subcommand named. */
int
ctl_report_cmd(struct ctl_ctx *ctx, int argc, char **argv)
{
	size_t	i;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("expected a report"));
	for (i = 0; i < CTL_REPORT_NSUBS; i++)
		if (strcmp(argv[1], ctl_report_subs[i].name) == 0)
			return ctl_report_subs[i].fn(ctx, argc - 1, argv + 1);
	return ctl_usage(ctx->cmd, _("unknown report '%s'"), argv[1]);
}
