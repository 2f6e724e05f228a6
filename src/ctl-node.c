/* ctl-node.c - ncenctl node: this node's Icomm identity. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "icomm.h"
#include "schema.h"
#include "store.h"

/* ncenctl node init --id ID [--role R] [--days N] | show. */
int
ctl_node(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "role", required_argument, NULL, 'r' },
		{ "days", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct icomm_node	*n = NULL;
	struct buf		 path = BUF_INIT;
	enum icomm_role		 role = ICOMM_NATIONAL;
	const char		*id = NULL, *action;
	unsigned long		 days = 3650;
	char			*end;
	int			 c, r;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "no action given");
	action = argv[1];
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'i':
			id = optarg;
			break;
		case 'r':
			if (store_role_parse(optarg, &role) != 0)
				return ctl_usage(ctx->cmd, "unknown role '%s' "
				    "(national, hub or global)", optarg);
			break;
		case 'D':
			days = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0')
				return ctl_usage(ctx->cmd, "bad --days '%s'",
				    optarg);
			break;
		default:
			return ctl_usage(ctx->cmd, "bad option");
		}
	}
	if (optind < argc - 1)
		return ctl_usage(ctx->cmd, "unexpected argument '%s'",
		    argv[optind + 1]);
	if (strcmp(action, "init") != 0 && strcmp(action, "show") != 0)
		return ctl_usage(ctx->cmd, "unknown action '%s'", action);
	if (strcmp(action, "init") == 0 && id == NULL)
		return ctl_usage(ctx->cmd, "--id ID is needed");
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (strcmp(action, "init") == 0) {
		if (icomm_node_init(st, ctl_login(), id, role,
		    days > 36500 ? 0 : (unsigned)days, &e) != NCEN_OK)
			r = ctl_report("node", &e);
		else {
			icomm_node_path(st, ICOMM_CERT_FILE, &path);
			printf("node %s (%s): certificate %s\n", id,
			    store_role_name(role), path.s);
		}
	} else if (icomm_node_get(st, &n, &e) != NCEN_OK)
		r = ctl_report("node", &e);
	else {
		icomm_node_path(st, ICOMM_CERT_FILE, &path);
		printf("node %s\nrole %s\ncertificate %s\n", n->id,
		    store_role_name(n->role), path.s);
	}
	icomm_node_free(n);
	buf_free(&path);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
