/* ctl-verify.c - ncenctl verify: check every database and index. */
#include <stdio.h>

#include "attach.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store.h"

/* Run the store's verification and print its report; exit 1 on problems. */
int
ctl_verify(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct buf	 report = BUF_INIT;
	int		 r;

	if (argc != 1)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[1]);
	if ((r = ctl_schema(ctx, &s)) != 0)
		return r;
	r = store_verify(ctx->home, s, ctx->keyfile, &report, &e);
	/* Then, on sound databases, the attachments' files beside them. */
	if (r == NCEN_OK)
		r = attach_verify(ctx->home, s, ctx->keyfile, &report, &e);
	if (report.len != 0)
		fputs(report.s, stdout);
	if (report.len != 0 && report.s[report.len - 1] != '\n')
		fputc('\n', stdout);
	if (fflush(stdout) == EOF) {
		ctl_warn(_("verify: standard output: write failed"));
		r = r == NCEN_OK ? NCEN_EIO : r;
	}
	if (r == NCEN_OK)
		printf(_("%s: no problems found\n"), ctx->home);
	else if (r == NCEN_ECHECK)
		ctl_warn("verify: %s", ncen_err_msg(&e));
	else
		ctl_report("verify", &e);
	schema_free(s);
	buf_free(&report);
	ncen_err_free(&e);
	return ncen_err_exit(r);
}
