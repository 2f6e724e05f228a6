/* ctl-merge.c - ncenctl merge: two records of one person, business or conveyance made one. */
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
#include "merge.h"
#include "store.h"

/*
 * A record named on the command line: ID, or ENTITY:ID (the entity must
 * then be the command's, else the records are of different forms: the
 * library says so).  0 if it is neither.
 */
static int
ctl_merge_ref(const char *entity, const char *arg, struct store_ref *ref,
    struct buf *name)
{
	const char	*colon = strchr(arg, ':');

	buf_reset(name);
	if (colon == NULL) {
		ref->entity = entity;
		ref->id = ctl_parse_id(arg);
		return ref->id != 0;
	}
	buf_add(name, arg, (size_t)(colon - arg));
	ref->entity = buf_cstr(name);
	ref->id = ctl_parse_id(colon + 1);
	return colon != arg && ref->id != 0;
}

/* ncenctl merge ENTITY KEEP OTHER: merge OTHER into KEEP. */
int
ctl_merge(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct merge_request	 req;
	struct merge_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 kname = BUF_INIT, oname = BUF_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	const char		*as = NULL;
	int			 c, r;

	memset(&req, 0, sizeof req);
	memset(&res, 0, sizeof res);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			as = optarg;
			break;
		case 'n':
			req.dry_run = 1;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (argc - optind != 3)
		return ctl_usage(ctx->cmd, _("expected ENTITY, KEEP and OTHER"));
	if (!merge_entity_ok(argv[optind]))
		return ctl_usage(ctx->cmd, _("cannot merge '%s' records: "
		    "expected person, business or conveyance"), argv[optind]);
	if (!ctl_merge_ref(argv[optind], argv[optind + 1], &req.keep,
	    &kname) ||
	    !ctl_merge_ref(argv[optind], argv[optind + 2], &req.other,
	    &oname)) {
		r = ctl_usage(ctx->cmd, _("bad record id '%s' or '%s': expected "
		    "ID or ENTITY:ID"), argv[optind + 1], argv[optind + 2]);
		goto done;
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto done;
	req.user = ctl_login();
	if (as != NULL) {
		/* The library checks the role and need to know on both. */
		if ((r = ctl_as(ctx, st, as, AUTH_MERGE, NULL, &acct)) != 0)
			goto out;
		req.account = acct;
		req.user = as;
	}
	if (!req.dry_run)
		ctl_one_change();
	if (merge_records(st, &req, &res, &e) != NCEN_OK) {
		r = ctl_report("merge", &e);
		goto out;
	}
	if (!req.dry_run)
		ctl_committed();
	fputs(buf_cstr(&res.summary), stdout);
	if (req.dry_run)
		printf(_("%s %" PRIu64 " would be merged into %s %" PRIu64
		    ": nothing changed (--dry-run)\n"), req.other.entity,
		    req.other.id, req.keep.entity, req.keep.id);
	else
		printf(_("%s %" PRIu64 " merged into %s %" PRIu64 " (version "
		    "%u): %u values, %u links moved, %u already there, %u "
		    "attachments\n"), req.other.entity, req.other.id,
		    req.keep.entity, req.keep.id, res.version, res.values,
		    res.links, res.doubles, res.attachments);
out:
	merge_result_free(&res);
	auth_account_free(acct);
	ncen_err_free(&e);
	r = ctl_close(ctx, s, st, r);
done:
	buf_free(&kname);
	buf_free(&oname);
	return r;
}
