/* ctl-demo.c - ncenctl demo: fill a data directory with a reproducible demo data set. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "demo.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store.h"

/* A batch was stored: redraw the progress line (on a terminal only). */
static void
ctl_demo_progress(uint64_t done, uint64_t total, void *arg)
{
	(void)arg;
	fputc('\r', stderr);
	fprintf(stderr, _("ncenctl: demo: %" PRIu64 "/%" PRIu64 " cases"),
	    done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ncenctl demo --cases N [--seed S] [--as USER]: generate and store the data set. */
int
ctl_demo(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "cases", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "as", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct demo_options	 o;
	struct demo_stats	 stats;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	const char		*as = NULL;
	uint64_t		 v;
	int			 c, r, have_cases = 0;

	memset(&o, 0, sizeof o);
	o.seed = 1;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
			if ((o.cases = ctl_parse_id(optarg)) == 0)
				return ctl_usage(ctx->cmd, _("bad number of "
				    "cases '%s'"), optarg);
			have_cases = 1;
			break;
		case 's':
			if (strcmp(optarg, "0") == 0)
				o.seed = 0;
			else if ((o.seed = ctl_parse_id(optarg)) == 0)
				return ctl_usage(ctx->cmd, _("bad seed '%s'"),
				    optarg);
			break;
		case 'b':
			if ((v = ctl_parse_id(optarg)) == 0 || v > 100000)
				return ctl_usage(ctx->cmd, _("bad batch '%s'"),
				    optarg);
			o.batch = (unsigned)v;
			break;
		case 'a':
			as = optarg;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (!have_cases)
		return ctl_usage(ctx->cmd, _("--cases N is needed"));
	if (optind < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind]);
	if (isatty(STDERR_FILENO))
		o.progress = ctl_demo_progress;
	/* A batch is one transaction: give it time on a slow disk. */
	if (ctx->watchdog == 0)
		ctx->watchdog = 120;
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	/* Demo data is a bulk load of records: the import cell decides. */
	if (as != NULL && (r = ctl_as(ctx, st, as, AUTH_IMPORT, NULL,
	    NULL)) != 0)
		return ctl_close(ctx, s, st, r);
	if (demo_generate(st, &o, &stats, &e) != NCEN_OK) {
		if (o.progress != NULL)
			fputc('\n', stderr);
		r = ctl_report("demo", &e);
	} else
		printf(_("%" PRIu64 " cases, %" PRIu64 " seizures, %" PRIu64
		    " persons, %" PRIu64 " businesses, %" PRIu64
		    " conveyances, %" PRIu64 " workflow steps, %" PRIu64
		    " links (seed %" PRIu64 ")\n"), stats.cases, stats.seizures,
		    stats.persons, stats.businesses, stats.conveyances,
		    stats.transitions, stats.links, o.seed);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
