/*
 * ctl-retention.c - ncenctl retention: list the records the forms'
 * retain lines make due, and apply (delete or anonymise) them.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "retention.h"
#include "store.h"

/* What the options asked. */
struct ctl_retention_opts {
	const char	*form;		/* --form, NULL: every form */
	const char	*as;		/* --as */
	int		 dry_run;
};

/*
 * Describe one due record: "person 7: anonymise, last case closed
 * 2015-03-01T10:00:00Z (2 cases), due 2025-03-01T10:00:00Z".
 */
static void
ctl_retention_describe(const struct retention_due *d, struct buf *b)
{
	buf_addf(b, "%s %" PRIu64 ": %s, %s ", d->entity, d->id,
	    retention_action_name(d->action), _(retention_why_text(d->why)));
	audit_format_time(b, d->since);
	if (d->ncases != 0)
		buf_addf(b, ngettext_(" (%zu case)", " (%zu cases)",
		    d->ncases), d->ncases);
	buf_adds(b, _(", due "));
	audit_format_time(b, d->due);
}

/* ncenctl retention list: print what is due. */
static int
ctl_retention_list(const struct retention_list *l)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	for (i = 0; i < l->n; i++) {
		buf_reset(&b);
		ctl_retention_describe(&l->v[i], &b);
		printf("%s\n", buf_cstr(&b));
	}
	if (l->n == 0)
		printf(_("nothing is due\n"));
	buf_free(&b);
	return 0;
}

/* ncenctl retention apply: each due record in its own transaction. */
static int
ctl_retention_apply(struct store *st, const struct auth_account *acct,
    const struct retention_list *l, int dry_run, int64_t now)
{
	struct retention_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT;
	size_t			 i, done = 0, skipped = 0;
	int			 status = 0, error;

	for (i = 0; i < l->n; i++) {
		buf_reset(&b);
		ctl_retention_describe(&l->v[i], &b);
		if (dry_run) {
			/* TRANSLATORS: %s describes the record and its due. */
			printf(_("would apply: %s\n"), buf_cstr(&b));
			continue;
		}
		error = retention_apply(st, acct, &l->v[i], ctl_login(), now,
		    &res, &e);
		if (error == NCEN_ECONFLICT || error == NCEN_ENOTFOUND ||
		    error == NCEN_EINVALID) {
			/* Changed or gone since the list: the others go on. */
			ctl_warn("retention: %s", ncen_err_msg(&e));
			ncen_err_clear(&e);
			skipped++;
			status = 1;
			continue;
		}
		if (error != NCEN_OK) {
			status = ctl_report("retention", &e);
			break;
		}
		printf(_("applied: %s"), buf_cstr(&b));
		if (res.attachments != 0)
			printf(_("; %zu attachments deleted, %zu files "
			    "removed"), res.attachments, res.files);
		putchar('\n');
		done++;
	}
	if (l->n == 0)
		printf(_("nothing is due\n"));
	else if (!dry_run)
		printf(_("%zu applied, %zu skipped\n"), done, skipped);
	buf_free(&b);
	ncen_err_free(&e);
	return status;
}

/* ncenctl retention list|apply [--form F] [--as USER] [--dry-run]. */
int
ctl_retention(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "form", required_argument, NULL, 'f' },
		{ "as", required_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_retention_opts	 o;
	struct retention_list		 l;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct schema			*s = NULL;
	struct store			*st = NULL;
	struct auth_account		*acct = NULL;
	const char			*sub;
	int64_t				 now;
	int				 c, r, apply;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("list or apply?"));
	sub = argv[1];
	if (strcmp(sub, "list") != 0 && strcmp(sub, "apply") != 0)
		return ctl_usage(ctx->cmd, _("unknown action '%s'"), sub);
	apply = strcmp(sub, "apply") == 0;
	memset(&o, 0, sizeof o);
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'f':
			o.form = optarg;
			break;
		case 'a':
			o.as = optarg;
			break;
		case 'n':
			o.dry_run = 1;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	optind++;	/* back to argv's numbering */
	if (optind < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind]);
	if (o.dry_run && !apply)
		return ctl_usage(ctx->cmd, _("--dry-run goes with apply"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (o.as != NULL &&
	    (r = ctl_as(ctx, st, o.as, AUTH_RETENTION, NULL, &acct)) != 0)
		return ctl_close(ctx, s, st, r);
	retention_policy_env();
	now = retention_now();
	memset(&l, 0, sizeof l);
	if (retention_due_list(st, acct, o.form, now, &l, &e) != NCEN_OK) {
		r = ctl_report("retention", &e);
		if (e.code == NCEN_EUSAGE || e.code == NCEN_ENOTFOUND)
			r = 2;
	} else if (apply)
		r = ctl_retention_apply(st, acct, &l, o.dry_run, now);
	else
		r = ctl_retention_list(&l);
	if (fflush(stdout) == EOF) {
		ctl_warn(_("retention: standard output: write failed"));
		r = 2;
	}
	retention_list_free(&l);
	auth_account_free(acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
