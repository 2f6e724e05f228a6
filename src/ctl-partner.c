/*
 * ctl-partner.c - ncenctl partner and agreement: the partner nodes Icomm
 * exchanges with, and the agreements that allow it.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "icomm-util.h"
#include "icomm.h"
#include "store-partner.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

#define CTL_PEM_MAX	(256 * 1024)

/* Print one partner (icomm_partner_fn). */
static int
ctl_partner_line(const struct store_partner *p, void *arg)
{
	(void)arg;
	printf("%s\t%s\t%s\n", p->id, store_role_name(p->role), p->url);
	return 0;
}

/* ncenctl partner add ID --role R --url URL --cert FILE [--tls-ca FILE] | list | del ID. */
int
ctl_partner(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "role", required_argument, NULL, 'r' },
		{ "url", required_argument, NULL, 'u' },
		{ "cert", required_argument, NULL, 'c' },
		{ "tls-ca", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_partner	 p;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct buf		 cert = BUF_INIT, ca = BUF_INIT;
	const char		*action, *certfile = NULL, *cafile = NULL;
	int			 c, r, nargs;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "no action given");
	action = argv[1];
	memset(&p, 0, sizeof p);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'r':
			if (store_role_parse(optarg, &p.role) != 0)
				return ctl_usage(ctx->cmd, "unknown role '%s' "
				    "(national, hub or global)", optarg);
			break;
		case 'u':
			p.url = optarg;
			break;
		case 'c':
			certfile = optarg;
			break;
		case 't':
			cafile = optarg;
			break;
		default:
			return ctl_usage(ctx->cmd, "bad option");
		}
	}
	nargs = argc - 1 - optind;
	if (strcmp(action, "list") == 0 ? nargs != 0 :
	    strcmp(action, "add") == 0 || strcmp(action, "del") == 0 ?
	    nargs != 1 : 1)
		return ctl_usage(ctx->cmd, "%s", strcmp(action, "add") != 0 &&
		    strcmp(action, "del") != 0 && strcmp(action, "list") != 0 ?
		    "unknown action" : "wrong number of arguments");
	if (nargs == 1)
		p.id = argv[optind + 1];
	if (strcmp(action, "add") == 0) {
		if (p.url == NULL || certfile == NULL)
			return ctl_usage(ctx->cmd, "--url and --cert are "
			    "needed");
		if (icomm_read_file(certfile, CTL_PEM_MAX, &cert, &e) !=
		    NCEN_OK || (cafile != NULL && icomm_read_file(cafile,
		    CTL_PEM_MAX, &ca, &e) != NCEN_OK)) {
			r = ctl_report("partner", &e);
			goto out;
		}
		p.cert = cert.s;
		p.tls_ca = cafile != NULL ? ca.s : NULL;
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (strcmp(action, "add") == 0) {
		if (icomm_partner_add(st, ctl_login(), &p, &e) != NCEN_OK)
			r = ctl_report("partner", &e);
	} else if (strcmp(action, "del") == 0) {
		if (icomm_partner_del(st, ctl_login(), p.id, &e) != NCEN_OK)
			r = ctl_report("partner", &e);
	} else if (icomm_partner_list(st, ctl_partner_line, NULL, &e) !=
	    NCEN_OK)
		r = ctl_report("partner", &e);
	r = ctl_close(ctx, s, st, r);
out:
	buf_free(&cert);
	buf_free(&ca);
	ncen_err_free(&e);
	return r;
}

/* Print one agreement (icomm_agreement_fn). */
static int
ctl_agreement_line(const struct store_agreement *a, void *arg)
{
	struct buf	today = BUF_INIT;
	size_t		i;

	(void)arg;
	icomm_today(&today);
	printf("%" PRIu64 "\t%s\t%s\t%s\t%s..%s\t", a->id, a->partner,
	    store_dir_name(a->dir), a->level == SCHEMA_PARTNER ? "partner" :
	    "cen", a->from, a->to);
	for (i = 0; i < a->ngroups; i++)
		printf("%s%s", i ? "," : "", a->groups[i]);
	printf("%s\t%s\t%s\n", a->ngroups == 0 ? "all" : "",
	    a->ended != 0 ? "ended" : icomm_agreement_in_force(a, today.s) ?
	    "in force" : "not in force", a->basis);
	buf_free(&today);
	return 0;
}

/* Split "A,B" into the agreement's groups ("all" or "": none, meaning all). */
static void
ctl_agreement_groups(struct store_agreement *a, const char *list)
{
	const char	*p, *end;

	if (strcmp(list, "all") == 0)
		return;
	for (p = list; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		if (end == p)
			continue;
		a->groups = xreallocarray(a->groups, a->ngroups + 1,
		    sizeof *a->groups);
		a->groups[a->ngroups++] = xstrndup(p, (size_t)(end - p));
	}
}

/* ncenctl agreement add ... | list | end ID. */
int
ctl_agreement(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "partner", required_argument, NULL, 'p' },
		{ "basis", required_argument, NULL, 'b' },
		{ "dir", required_argument, NULL, 'd' },
		{ "groups", required_argument, NULL, 'g' },
		{ "level", required_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	struct store_agreement	 a;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	const char		*action, *level = NULL, *groups = "all";
	uint64_t		 id = 0;
	int			 c, r, nargs;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "no action given");
	action = argv[1];
	memset(&a, 0, sizeof a);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'p':
			a.partner = optarg;
			break;
		case 'b':
			a.basis = optarg;
			break;
		case 'd':
			if (store_dir_parse(optarg, &a.dir) != 0)
				return ctl_usage(ctx->cmd, "bad --dir '%s' "
				    "(in, out or both)", optarg);
			break;
		case 'g':
			groups = optarg;
			break;
		case 'l':
			level = optarg;
			break;
		case 'f':
			a.from = optarg;
			break;
		case 't':
			a.to = optarg;
			break;
		default:
			return ctl_usage(ctx->cmd, "bad option");
		}
	}
	nargs = argc - 1 - optind;
	if (strcmp(action, "add") != 0 && strcmp(action, "list") != 0 &&
	    strcmp(action, "end") != 0)
		return ctl_usage(ctx->cmd, "unknown action '%s'", action);
	if (nargs != (strcmp(action, "end") == 0))
		return ctl_usage(ctx->cmd, "wrong number of arguments");
	if (strcmp(action, "end") == 0 &&
	    (id = ctl_parse_id(argv[optind + 1])) == 0)
		return ctl_usage(ctx->cmd, "bad agreement id '%s'",
		    argv[optind + 1]);
	if (strcmp(action, "add") == 0) {
		if (a.partner == NULL || a.basis == NULL || a.dir == 0 ||
		    level == NULL || a.from == NULL || a.to == NULL)
			return ctl_usage(ctx->cmd, "add needs --partner, "
			    "--basis, --dir, --level, --from and --to");
		if (strcmp(level, "partner") == 0)
			a.level = SCHEMA_PARTNER;
		else if (strcmp(level, "cen") == 0)
			a.level = SCHEMA_CEN;
		else
			return ctl_usage(ctx->cmd, "bad --level '%s' (partner "
			    "or cen)", level);
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (strcmp(action, "add") == 0) {
		ctl_agreement_groups(&a, groups);
		if (icomm_agreement_add(st, ctl_login(), &a, &e) != NCEN_OK)
			r = ctl_report("agreement", &e);
		else
			printf("agreement %" PRIu64 "\n", a.id);
		icomm_strings_free(a.groups, a.ngroups);
	} else if (strcmp(action, "end") == 0) {
		if (icomm_agreement_end(st, ctl_login(), id, &e) != NCEN_OK)
			r = ctl_report("agreement", &e);
	} else if (icomm_agreement_list(st, ctl_agreement_line, NULL, &e) !=
	    NCEN_OK)
		r = ctl_report("agreement", &e);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
