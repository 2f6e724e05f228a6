/* ctl-attach.c - ncenctl attach: store a file beside the database, linked to a record. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

/*
 * ncenctl attach outbox [DIR --as ADMIN]: show the administrator's
 * outgoing folder, or set it (audited), where ncen exports attachments.
 */
static int
ctl_attach_outbox(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	struct buf		 dir = BUF_INIT;
	int			 r;

	if (argc != 2 && !(argc == 5 && strcmp(argv[3], "--as") == 0))
		return ctl_usage(ctx->cmd, _("outbox takes nothing, or DIR "
		    "and --as ADMIN"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (argc == 2) {
		if (attach_outbox_get(st, &dir, &e) != NCEN_OK)
			r = ctl_report("attach", &e);
		else
			printf(_("outgoing folder: %s\n"), dir.s);
		goto out;
	}
	if (auth_account_get(st, argv[4], &acct, &e) != NCEN_OK ||
	    auth_account_usable(acct, auth_now(), &e) != NCEN_OK) {
		r = ctl_report("attach", &e);
		r = r == 2 ? 1 : r;
		goto out;
	}
	if (!auth_may(acct, AUTH_ACCOUNTS, NULL)) {
		ctl_warn(_("attach: outbox: only an administrator may set it, "
		    "and %s is not one"), argv[4]);
		r = 1;
		goto out;
	}
	ctl_one_change();
	if (attach_outbox_set(st, argv[4], argv[2], &e) != NCEN_OK)
		r = ctl_report("attach", &e);
	else {
		ctl_committed();
		printf(_("outgoing folder: %s\n"), argv[2]);
	}
out:
	auth_account_free(acct);
	buf_free(&dir);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* ncenctl attach ENTITY:ID FILE: copy the file in and record it. */
int
ctl_attach(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "caption", required_argument, NULL, 'c' },
		{ "kind", required_argument, NULL, 'k' },
		{ "as", required_argument, NULL, 'a' },
		{ "max-size", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct attach_options	 o;
	struct attach_result	 res;
	struct store_ref	 target;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct record		*rec = NULL;
	const char		*as = NULL;
	char			*entity = NULL, *colon;
	int			 c, r;

	if (argc >= 2 && strcmp(argv[1], "outbox") == 0)
		return ctl_attach_outbox(ctx, argc, argv);
	memset(&o, 0, sizeof o);
	o.user = ctl_login();
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o.caption = optarg;
			break;
		case 'k':
			o.kind = optarg;
			break;
		case 'a':
			o.user = as = optarg;
			break;
		case 'm':
			if ((o.maxsize = ctl_parse_id(optarg)) == 0)
				return ctl_usage(ctx->cmd, _("bad size '%s'"),
				    optarg);
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (argc - optind != 2)
		return ctl_usage(ctx->cmd, _("expected ENTITY:ID and FILE"));
	entity = xstrdup(argv[optind]);
	if ((colon = strchr(entity, ':')) == NULL || colon == entity ||
	    (target.id = ctl_parse_id(colon + 1)) == 0) {
		r = ctl_usage(ctx->cmd, _("expected ENTITY:ID (case:12), found "
		    "'%s'"), argv[optind]);
		free(entity);
		return r;
	}
	*colon = '\0';
	target.entity = entity;
	if ((r = ctl_open(ctx, &s, &st)) != 0) {
		free(entity);
		return r;
	}
	/* --as: the account must be one that may attach to this record. */
	if (as != NULL) {
		if (store_get(st, target.entity, target.id, &rec, &e) !=
		    NCEN_OK)
			r = ctl_report("attach", &e);
		else
			r = ctl_as(ctx, st, as, AUTH_ATTACH, rec, NULL);
	}
	if (r == 0)
		ctl_one_change();
	if (r == 0 && attach_file(st, target, argv[optind + 1], &o, &res,
	    &e) != NCEN_OK)
		r = ctl_report("attach", &e);
	else if (r == 0) {
		ctl_committed();
		printf(_("attachment %" PRIu64 ": %s %" PRIu64 ", %s, %" PRIu64
		    " bytes, sha256 %s%s\n"), res.id, target.entity, target.id,
		    res.media_type, res.size, res.sha256,
		    res.stored ? "" : _(" (content already stored)"));
	}
	record_free(rec);
	free(entity);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
