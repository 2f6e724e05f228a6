/* ctl-case.c - ncenctl case: take a case through its workflow, show its history. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "workflow.h"

/* Parse a record id: a decimal number from 1 up; 0 if it is not one. */
uint64_t
ctl_parse_id(const char *s)
{
	unsigned long long	 v;
	char			*end;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0')
		return 0;
	return (uint64_t)v;
}

/* Print one transition of a case's history (store_record_fn). */
static int
ctl_case_line(const struct record *r, void *arg)
{
	const char	*reason = record_get(r, "reason");
	const char	*role = record_get(r, "role");
	unsigned long	*n = arg;

	/* TRANSLATORS: a case's step: when, from, to (status codes), who. */
	printf(_("%s  %s -> %s  by %s"), record_get(r, "at"),
	    record_get(r, "from"), record_get(r, "to"), record_get(r, "user"));
	if (role != NULL)
		printf(" (%s)", role);
	if (reason != NULL)
		printf(": %s", reason);
	putchar('\n');
	(*n)++;
	return 0;
}

/* ncenctl case history ID: the case's status and each step it took. */
static int
ctl_case_history(struct ctl_ctx *ctx, uint64_t id)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct store	*st = NULL;
	struct record	*c = NULL;
	unsigned long	 n = 0;
	int		 r;

	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (store_get(st, "case", id, &c, &e) != NCEN_OK) {
		r = ctl_report("case", &e);
		goto out;
	}
	printf(_("case %" PRIu64 " is %s (version %u)\n"), id,
	    workflow_status(c), c->version);
	if (workflow_history(st, id, ctl_case_line, &n, &e) != NCEN_OK) {
		r = ctl_report("case", &e);
		goto out;
	}
	if (n == 0)
		printf(_("no workflow step recorded\n"));
	if (fflush(stdout) == EOF) {
		ctl_warn(_("case: standard output: write failed"));
		r = 2;
	}
out:
	record_free(c);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* The four-eyes transaction of "show": read the setting. */
static int
ctl_case_four_eyes_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	return workflow_four_eyes(t, arg, e);
}

/*
 * ncenctl case four-eyes [on|off --as ADMIN]: show the rule, or set it
 * (an administrator's setting of the data directory, audited).
 */
static int
ctl_case_four_eyes(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	const char		*user = NULL;
	int			 on = -1, r;

	if (argc == 5 && strcmp(argv[3], "--as") == 0)
		user = argv[4];
	else if (argc != 2)
		return ctl_usage(ctx->cmd, _("four-eyes takes nothing, or on "
		    "or off and --as USER"));
	if (argc == 5 && strcmp(argv[2], "on") == 0)
		on = 1;
	else if (argc == 5 && strcmp(argv[2], "off") == 0)
		on = 0;
	else if (argc == 5)
		return ctl_usage(ctx->cmd, _("four-eyes: on or off, not '%s'"),
		    argv[2]);
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (on == -1) {
		if (store_run(st, ctl_case_four_eyes_txn, &on, &e) != NCEN_OK)
			r = ctl_report("case", &e);
		else
			printf("%s\n", on ? _("four-eyes: on (the validator "
			    "of a case may not also close it)") :
			    _("four-eyes: off"));
		goto out;
	}
	if (auth_account_get(st, user, &acct, &e) != NCEN_OK ||
	    auth_account_usable(acct, auth_now(), &e) != NCEN_OK) {
		r = ctl_report("case", &e);
		r = r == 2 ? 1 : r;
		goto out;
	}
	if (!auth_may(acct, AUTH_ACCOUNTS, NULL)) {
		ctl_warn(_("case: four-eyes: only an administrator may change "
		    "it, and %s is not one"), user);
		r = 1;
		goto out;
	}
	ctl_one_change();
	if (workflow_four_eyes_set(st, user, on, &e) != NCEN_OK)
		r = ctl_report("case", &e);
	else {
		ctl_committed();
		printf("%s\n", on ? _("four-eyes: on (the validator of a case "
		    "may not also close it)") : _("four-eyes: off"));
	}
out:
	auth_account_free(acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* ncenctl case ACTION|history ID ...: one step of a case's workflow. */
int
ctl_case(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "role", required_argument, NULL, 'r' },
		{ "reason", required_argument, NULL, 'R' },
		{ "version", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct workflow_request	 req;
	struct workflow_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	const char		*action;
	uint64_t		 v;
	int			 c, r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no action given"));
	action = argv[1];
	if (strcmp(action, "four-eyes") == 0)
		return ctl_case_four_eyes(ctx, argc, argv);
	memset(&req, 0, sizeof req);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'a':
			req.user = optarg;
			break;
		case 'r':
			req.role = optarg;
			break;
		case 'R':
			req.reason = optarg;
			break;
		case 'v':
			if ((v = ctl_parse_id(optarg)) == 0 || v > UINT32_MAX)
				return ctl_usage(ctx->cmd,
				    _("bad version '%s'"),
				    optarg);
			req.version = (uint32_t)v;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	optind++;	/* back to argv's numbering */
	if (optind >= argc)
		return ctl_usage(ctx->cmd, _("no case id given"));
	if (optind + 1 < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
	if ((req.case_id = ctl_parse_id(argv[optind])) == 0)
		return ctl_usage(ctx->cmd, _("bad case id '%s'"), argv[optind]);
	if (strcmp(action, "history") == 0) {
		if (req.user != NULL || req.role != NULL ||
		    req.reason != NULL || req.version != 0)
			return ctl_usage(ctx->cmd,
			    _("history takes no option"));
		return ctl_case_history(ctx, req.case_id);
	}
	if (!workflow_action_known(action))
		return ctl_usage(ctx->cmd, _("unknown action '%s'"), action);
	req.action = action;
	if (req.user == NULL || *req.user == '\0')
		return ctl_usage(ctx->cmd, _("--as USER is needed"));
	if (req.role != NULL)
		return ctl_usage(ctx->cmd, _("--role is gone: the account's "
		    "roles decide (ncenctl user)"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	/* The account's roles decide, through the role matrix. */
	if (auth_account_get(st, req.user, &acct, &e) != NCEN_OK ||
	    auth_account_usable(acct, auth_now(), &e) != NCEN_OK) {
		r = ctl_report("case", &e);
		auth_account_free(acct);
		ncen_err_free(&e);
		return ctl_close(ctx, s, st, r == 2 ? 1 : r);
	}
	req.account = acct;
	ctl_one_change();
	if (workflow_apply(st, &req, &res, &e) != NCEN_OK)
		r = ctl_report("case", &e);
	else {
		ctl_committed();
		printf(_("case %" PRIu64 ": %s -> %s (version %u)\n"),
		    req.case_id, res.from, res.to, res.version);
	}
	auth_account_free(acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
