/*
 * ctl-investigation.c - ncenctl investigation: take an investigation
 * through its workflow, assign officers, show its steps.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "workflow-inv.h"


/* Print one step of an investigation's history (store_record_fn). */
static int
ctl_inv_line(const struct record *r, void *arg)
{
	const char	*from = record_get(r, "from");
	const char	*officer = record_get(r, "officer");
	const char	*reason = record_get(r, "reason");
	const char	*role = record_get(r, "role");
	unsigned long	*n = arg;

	/* TRANSLATORS: a step: when, the step, from, to (status codes). */
	printf(_("%s  %s  %s -> %s"), record_get(r, "at"),
	    record_get(r, "action"), from != NULL ? from : "-",
	    record_get(r, "to"));
	if (officer != NULL)
		printf(" %s", officer);
	printf(_("  by %s"), record_get(r, "user"));
	if (role != NULL)
		printf(" (%s)", role);
	if (reason != NULL)
		printf(": %s", reason);
	putchar('\n');
	(*n)++;
	return 0;
}

/* ncenctl investigation history ID: its status and each step it took. */
static int
ctl_inv_history(struct ctl_ctx *ctx, uint64_t id)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct store	*st = NULL;
	struct record	*r = NULL;
	const char	*num, *status, *officers;
	unsigned long	 n = 0;
	int		 k, rc;
	size_t		 i;

	if ((rc = ctl_open(ctx, &s, &st)) != 0)
		return rc;
	if (store_get(st, WORKFLOW_INV_ENTITY, id, &r, &e) != NCEN_OK) {
		rc = ctl_report("investigation", &e);
		goto out;
	}
	num = record_get(r, "number");
	status = workflow_inv_status(r);
	printf(_("investigation %" PRIu64 " %s is %s (%s, version %u)\n"), id,
	    num != NULL ? num : _("(no number yet)"),
	    workflow_inv_stage(status), status, r->version);
	if ((k = schema_field_index(r->form, "officers")) >= 0) {
		printf("%s", _("assigned:"));
		for (i = 0; i < r->fields[k].n; i++)
			printf(" %s", r->fields[k].v[i]);
		officers = r->fields[k].n == 0 ? _(" nobody") : "";
		printf("%s\n", officers);
	}
	if (workflow_inv_history(st, id, ctl_inv_line, &n, &e) != NCEN_OK) {
		rc = ctl_report("investigation", &e);
		goto out;
	}
	if (n == 0)
		printf(_("no step recorded\n"));
	if (fflush(stdout) == EOF) {
		ctl_warn(_("investigation: standard output: write failed"));
		rc = 2;
	}
out:
	record_free(r);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, rc);
}

/*
 * ncenctl investigation ACTION ID --as USER [--reason TEXT] [--outcome
 * STATUS] [--officer USER] [--version N] | history ID.
 */
int
ctl_investigation(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'R' },
		{ "outcome", required_argument, NULL, 'o' },
		{ "officer", required_argument, NULL, 'O' },
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct workflow_inv_request	 req;
	struct workflow_inv_result	 res;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct schema			*s = NULL;
	struct store			*st = NULL;
	struct auth_account		*acct = NULL;
	const char			*action, *user = NULL;
	uint64_t			 v;
	int				 c, r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no step given"));
	action = argv[1];
	memset(&req, 0, sizeof req);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'a':
			user = optarg;
			break;
		case 'R':
			req.reason = optarg;
			break;
		case 'o':
			req.outcome = optarg;
			break;
		case 'O':
			req.officer = optarg;
			break;
		case 'v':
			if ((v = ctl_parse_id(optarg)) == 0 || v > UINT32_MAX)
				return ctl_usage(ctx->cmd,
				    _("bad version '%s'"), optarg);
			req.version = (uint32_t)v;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	optind++;	/* back to argv's numbering */
	if (optind >= argc)
		return ctl_usage(ctx->cmd, _("no investigation id given"));
	if (optind + 1 < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
	if ((req.id = ctl_parse_id(argv[optind])) == 0)
		return ctl_usage(ctx->cmd, _("bad investigation id '%s'"),
		    argv[optind]);
	if (strcmp(action, "history") == 0) {
		if (user != NULL || req.reason != NULL || req.outcome != NULL ||
		    req.officer != NULL || req.version != 0)
			return ctl_usage(ctx->cmd,
			    _("history takes no option"));
		return ctl_inv_history(ctx, req.id);
	}
	if (!workflow_inv_action_known(action))
		return ctl_usage(ctx->cmd, _("unknown step '%s'"), action);
	req.action = action;
	if (user == NULL || *user == '\0')
		return ctl_usage(ctx->cmd, _("--as USER is needed"));
	if ((strcmp(action, "assign") == 0 || strcmp(action, "unassign") ==
	    0) != (req.officer != NULL))
		return ctl_usage(ctx->cmd, _("--officer USER goes with assign "
		    "and unassign, and only with them"));
	if ((strcmp(action, "close") == 0) != (req.outcome != NULL))
		return ctl_usage(ctx->cmd, _("--outcome goes with close, and "
		    "only with it"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (auth_account_get(st, user, &acct, &e) != NCEN_OK ||
	    auth_account_usable(acct, auth_now(), &e) != NCEN_OK) {
		r = ctl_report("investigation", &e);
		r = r == 2 ? 1 : r;
		goto out;
	}
	req.account = acct;
	ctl_one_change();
	if (workflow_inv_apply(st, &req, &res, &e) != NCEN_OK)
		r = ctl_report("investigation", &e);
	else {
		ctl_committed();
		if (req.officer != NULL)
			printf(_("investigation %" PRIu64 ": %s %s "
			    "(version %u)\n"), req.id, action, req.officer,
			    res.version);
		else
			printf(_("investigation %" PRIu64 ": %s -> %s "
			    "(version %u)\n"), req.id, res.from, res.to,
			    res.version);
	}
out:
	auth_account_free(acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
