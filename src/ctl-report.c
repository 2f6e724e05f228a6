/*
 * ctl-report.c - ncenctl report: printable reports, one subcommand a
 * row of the table, each in its own file (report case:
 * ctl-report-case.c, report stats: ctl-report-stats.c).
 */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "i18n.h"

/* The reports: adding one is adding a row. */
static const struct {
	const char	*name;
	ctl_fn		 fn;
} ctl_reports_table[] = {
	{ "case", ctl_report_case },
	{ "stats", ctl_report_stats },
};

/* ncenctl report WHAT ...: run the report's own command. */
int
ctl_reports(struct ctl_ctx *ctx, int argc, char **argv)
{
	size_t	i;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no report named"));
	for (i = 0; i < sizeof ctl_reports_table /
	    sizeof ctl_reports_table[0]; i++)
		if (strcmp(argv[1], ctl_reports_table[i].name) == 0)
			return ctl_reports_table[i].fn(ctx, argc - 1, argv + 1);
	return ctl_usage(ctx->cmd, _("unknown report '%s'"), argv[1]);
}
