/*
 * ctl-report-stats.c - ncenctl report stats [QUERY] [filters]
 * [--format text|csv] [-o FILE] [--as USER]: a predefined query as a
 * table for a printer or as CSV; without QUERY, the list of queries.
 * The query files and the rates are read and checked before the store
 * is opened: a bad file stops the report with its file, line and column.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "i18n.h"
#include "schema.h"
#include "stats.h"
#include "store.h"
#include "xmalloc.h"

/* What the options asked for. */
struct ctl_rs_opts {
	struct stats_filter	 f;
	const char		**offices;
	size_t			 noffices;
	const char		*format;
	const char		*out;
	const char		*as;
	const char		*query;
};

/* The language of labels, from LC_ALL, LC_MESSAGES or LANG (as ncen). */
static enum schema_lang
ctl_rs_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return strncmp(v, "fr", 2) == 0 ? SCHEMA_FR : SCHEMA_EN;
	}
	return SCHEMA_EN;
}

/* A filter's code must be in the list its field takes. */
static int
ctl_rs_code(struct ctl_ctx *ctx, const struct schema *s, const char *list,
    const char *what, const char *code)
{
	const struct schema_codelist	*l = schema_list_find(s, list);

	if (code == NULL || l == NULL || schema_code_find(l, code) != NULL)
		return 0;
	return ctl_usage(ctx->cmd, _("--%s %s: not a code of the %s list"),
	    what, code, list);
}

/* Check the filters against the code lists; a date must be one. */
static int
ctl_rs_check(struct ctl_ctx *ctx, const struct schema *s,
    struct ctl_rs_opts *o)
{
	const struct schema_codelist	*types;
	const char			*d[2] = { o->f.from, o->f.to };
	size_t				 i;
	int				 r;

	for (i = 0; i < 2; i++)
		if (d[i] != NULL && (strlen(d[i]) != 10 || d[i][4] != '-' ||
		    d[i][7] != '-' || strspn(d[i], "0123456789-") != 10))
			return ctl_usage(ctx->cmd, _("--%s %s: expected a "
			    "date YYYY-MM-DD"), i == 0 ? "from" : "to", d[i]);
	for (i = 0; i < o->noffices; i++)
		if ((r = ctl_rs_code(ctx, s, "office", "office",
		    o->offices[i])) != 0)
			return r;
	if ((r = ctl_rs_code(ctx, s, "direction", "direction",
	    o->f.direction)) != 0 || (r = ctl_rs_code(ctx, s, "status",
	    "status", o->f.status)) != 0)
		return r;
	types = schema_list_find(s, "commodity_type");
	if (o->f.commodity != NULL && (types == NULL ||
	    schema_code_find(types, o->f.commodity) == NULL))
		return ctl_rs_code(ctx, s, "commodity", "commodity",
		    o->f.commodity);
	return 0;
}

/* Add --office CODE[,CODE...]. */
static void
ctl_rs_offices(struct ctl_rs_opts *o, char *arg)
{
	char	*p, *save = NULL;

	for (p = strtok_r(arg, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save)) {
		o->offices = xreallocarray(o->offices, o->noffices + 1,
		    sizeof *o->offices);
		o->offices[o->noffices++] = p;
	}
}

/* An account limited to offices reports on those only. */
static int
ctl_rs_limit(struct ctl_ctx *ctx, const struct auth_account *a,
    struct ctl_rs_opts *o)
{
	size_t	i, j;

	if (a == NULL || a->noffices == 0)
		return 0;
	for (i = 0; i < o->noffices; i++) {
		for (j = 0; j < a->noffices; j++)
			if (strcmp(o->offices[i], a->offices[j]) == 0)
				break;
		if (j == a->noffices) {
			ctl_warn(_("report: refused: account '%s' is limited "
			    "to its offices, and %s is not one"), a->name,
			    o->offices[i]);
			return 1;
		}
	}
	if (o->noffices == 0) {
		for (j = 0; j < a->noffices; j++) {
			o->offices = xreallocarray(o->offices, o->noffices + 1,
			    sizeof *o->offices);
			o->offices[o->noffices++] = a->offices[j];
		}
	}
	return 0;
}

/* List the queries: name and label. */
static void
ctl_rs_list(const struct stats_def *def, struct buf *b)
{
	size_t	i;

	for (i = 0; i < def->nq; i++)
		buf_addf(b, "%-24s %s\n", def->q[i].name,
		    schema_label(def->q[i].label, ctl_rs_lang()));
}

/* Write the report where it goes. */
static int
ctl_rs_write(const char *out, const struct buf *b)
{
	FILE	*f = stdout;
	int	 bad;

	if (out != NULL && (f = fopen(out, "w")) == NULL) {
		ctl_warn(_("report: %s: %s"), out, strerror(errno));
		return 2;
	}
	bad = b->len != 0 && fwrite(b->s, 1, b->len, f) != b->len;
	bad |= fflush(f) != 0;
	if (out != NULL)
		bad |= fclose(f) != 0;
	if (bad) {
		ctl_warn(_("report: %s: %s"), out != NULL ? out :
		    _("standard output"), strerror(errno));
		if (out != NULL)
			unlink(out);
		return 2;
	}
	return 0;
}

/* ncenctl report stats: run a predefined query. */
int
ctl_report_stats(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "office", required_argument, NULL, 'O' },
		{ "commodity", required_argument, NULL, 'c' },
		{ "direction", required_argument, NULL, 'D' },
		{ "status", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'F' },
		{ "output", required_argument, NULL, 'o' },
		{ "as", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_rs_opts	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct stats_def	*def = NULL;
	struct stats_result	*res = NULL;
	struct auth_account	*acct = NULL;
	const struct stats_query *q = NULL;
	struct buf		 b = BUF_INIT;
	int			 c, r = 0;

	memset(&o, 0, sizeof o);
	o.format = "text";
	optind = 0;	/* this subcommand parses its own options afresh */
	while ((c = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': o.f.from = optarg; break;
		case 't': o.f.to = optarg; break;
		case 'O': ctl_rs_offices(&o, optarg); break;
		case 'c': o.f.commodity = optarg; break;
		case 'D': o.f.direction = optarg; break;
		case 's': o.f.status = optarg; break;
		case 'F': o.format = optarg; break;
		case 'o': o.out = optarg; break;
		case 'a': o.as = optarg; break;
		default:
			r = ctl_usage(ctx->cmd, _("bad option"));
			goto out;
		}
	}
	if (strcmp(o.format, "text") != 0 && strcmp(o.format, "csv") != 0) {
		r = ctl_usage(ctx->cmd, _("--format %s: expected text or csv"),
		    o.format);
		goto out;
	}
	if (argc - optind > 1) {
		r = ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
		goto out;
	}
	o.query = argc > optind ? argv[optind] : NULL;
	/* The queries and rates are checked before the store opens. */
	if ((r = ctl_schema(ctx, &s)) != 0)
		goto out;
	buf_addf(&b, "%s/forms", ctx->home);
	if (stats_load(b.s, s, &def, &e) != NCEN_OK) {
		/* The files are the environment: fix them and run again. */
		ctl_report("report", &e);
		r = 2;
		goto out;
	}
	buf_reset(&b);
	if (o.query == NULL) {
		ctl_rs_list(def, &b);
		r = ctl_rs_write(o.out, &b);
		goto out;
	}
	if ((q = stats_query_find(def, o.query)) == NULL) {
		r = ctl_usage(ctx->cmd, _("no query '%s' (ncenctl report "
		    "stats lists them)"), o.query);
		goto out;
	}
	if ((r = ctl_rs_check(ctx, s, &o)) != 0)
		goto out;
	schema_free(s);
	s = NULL;
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (o.as != NULL && ((r = ctl_as(ctx, st, o.as, AUTH_STATS, NULL,
	    &acct)) != 0 || (r = ctl_rs_limit(ctx, acct, &o)) != 0))
		goto close;
	o.f.offices = o.offices;
	o.f.noffices = o.noffices;
	o.f.lang = ctl_rs_lang();
	if (stats_run(st, s, def, q, &o.f, &res, &e) != NCEN_OK) {
		r = ctl_report("report", &e);
		goto close;
	}
	if (strcmp(o.format, "csv") == 0)
		stats_print_csv(res, &b);
	else
		stats_print_text(res, &o.f, ctl_rs_lang(), 80, &b);
	r = ctl_rs_write(o.out, &b);
close:
	r = ctl_close(ctx, s, st, r);
	s = NULL;
out:
	stats_result_free(res);
	stats_def_free(def);
	auth_account_free(acct);
	schema_free(s);
	free(o.offices);
	buf_free(&b);
	ncen_err_free(&e);
	return r;
}
