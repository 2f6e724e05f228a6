/*
 * ctl-report-case.c - ncenctl report case: the printable report of one
 * case, as text for a line printer or as PDF (groff).
 *
 * --as ACCOUNT prints what that account may see (need to know, its
 * roles); without it, the service account prints everything.  A report
 * that shows nominal data is audited (case.print) before it is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "report.h"
#include "schema.h"
#include "store.h"

/* The formats a report is written in. */
static const char *const ctl_report_case_formats[] = { "text", "pdf" };

/* Write the whole text to fd; 0 or errno. */
static int
ctl_report_case_write(int fd, const struct buf *text)
{
	const char	*p = text->s;
	size_t		 len = text->len;
	ssize_t		 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write the report to -o FILE or standard output; 0 or the exit status. */
static int
ctl_report_case_out(const char *path, const struct buf *doc)
{
	int	fd = STDOUT_FILENO, r = 0, err;

	if (path != NULL && (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) == -1) {
		ctl_warn("report: %s: %s", path, strerror(errno));
		return 2;
	}
	if ((err = ctl_report_case_write(fd, doc)) != 0) {
		ctl_warn("report: %s: %s", path != NULL ? path :
		    _("standard output"), strerror(err));
		r = 2;
	}
	if (path != NULL && close(fd) == -1 && r == 0) {
		ctl_warn("report: %s: %s", path, strerror(errno));
		r = 2;
	}
	/* A report cut short is no report. */
	if (r != 0 && path != NULL)
		(void)unlink(path);
	return r;
}

/* ncenctl report case ID [--as USER] [--format text|pdf] [-o FILE]. */
int
ctl_report_case(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 }
	};
	struct report_opts	 o;
	struct report_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	*acct = NULL;
	struct record		*c = NULL;
	struct buf		 text = BUF_INIT, pdf = BUF_INIT;
	const char		*as = NULL, *out = NULL, *format = "text";
	uint64_t		 id;
	size_t			 i;
	int			 ch, r;

	memset(&res, 0, sizeof res);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "o:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			as = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	for (i = 0; i < sizeof ctl_report_case_formats /
	    sizeof ctl_report_case_formats[0]; i++)
		if (strcmp(format, ctl_report_case_formats[i]) == 0)
			break;
	if (i == sizeof ctl_report_case_formats /
	    sizeof ctl_report_case_formats[0])
		return ctl_usage(ctx->cmd, _("unknown format '%s' (text or "
		    "pdf)"), format);
	if (optind >= argc)
		return ctl_usage(ctx->cmd, _("no case id given"));
	if (optind + 1 < argc)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[optind + 1]);
	if ((id = ctl_parse_id(argv[optind])) == 0)
		return ctl_usage(ctx->cmd, _("bad case id '%s'"), argv[optind]);
	if (as != NULL && *as == '\0')
		return ctl_usage(ctx->cmd, _("--as needs an account"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		return r;
	if (store_get(st, "case", id, &c, &e) != NCEN_OK) {
		r = ctl_report("report", &e);
		if (e.code == NCEN_ENOTFOUND)
			r = 1;
		goto out;
	}
	/* The account must see the case; it is then who prints. */
	if (as != NULL && (r = ctl_as(ctx, st, as, AUTH_VIEW, c, &acct)) != 0)
		goto out;
	memset(&o, 0, sizeof o);
	o.acct = acct;
	o.lang = (enum schema_lang)i18n_lang();
	o.user = ctl_login();
	if (report_case(st, id, &o, &text, &res, &e) != NCEN_OK) {
		r = ctl_report("report", &e);
		goto out;
	}
	/* Made whole first: a PDF that cannot be made is no printing. */
	if (strcmp(format, "pdf") == 0 && report_pdf(&text, &pdf, &e) !=
	    NCEN_OK) {
		(void)ctl_report("report", &e);
		r = 2;
		goto out;
	}
	/* Nominal data leaves only once its printing is on record. */
	if (res.nominal && report_case_audit(st, ctl_login(), id, format,
	    &res, &e) != NCEN_OK) {
		r = ctl_report("report", &e);
		goto out;
	}
	r = ctl_report_case_out(out, strcmp(format, "pdf") == 0 ? &pdf :
	    &text);
	if (r == 0 && res.hidden > 0)
		ctl_warn(ngettext_("report: %zu linked record left out (not "
		    "seen by %s)", "report: %zu linked records left out (not "
		    "seen by %s)", res.hidden), res.hidden, ctl_login());
out:
	record_free(c);
	auth_account_free(acct);
	report_result_free(&res);
	buf_free(&text);
	buf_free(&pdf);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
