/* ctl-search.c - ncenctl search: find anyone, one ranked hit a line. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "search.h"
#include "store.h"

/* Audit each match hidden from --as's account, as ncen's Search does. */
static int
ctl_search_audit(struct store *st, const char *user,
    const struct search_result *res)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 one = BUF_INIT;
	const char	*rec, *nl;
	int		 r = 0;

	for (rec = buf_cstr(&res->hidden_recs); (nl = strchr(rec, '\n')) !=
	    NULL; rec = nl + 1) {
		buf_reset(&one);
		buf_add(&one, rec, (size_t)(nl - rec));
		if (audit_log(st, user, "search.hidden", buf_cstr(&one),
		    "ncenctl search matched it; not shown (need to know)",
		    &e) != NCEN_OK) {
			r = ctl_report("search", &e);
			break;
		}
	}
	buf_free(&one);
	ncen_err_free(&e);
	return r;
}

/* search [--entity E] [--limit N] [--as USER] QUERY...: print ranked hits. */
int
ctl_search(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "entity", required_argument, NULL, 'e' },
		{ "limit", required_argument, NULL, 'n' },
		{ "as", required_argument, NULL, 'a' },
		{ "prefix", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct search_query	 q;
	struct search_result	 res;
	struct auth_account	*acct = NULL;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct buf		 text = BUF_INIT, why = BUF_INIT;
	const char		*user = NULL;
	char			*end;
	unsigned long		 limit;
	size_t			 i;
	int			 c, r;

	memset(&q, 0, sizeof q);
	memset(&res, 0, sizeof res);
	while ((c = getopt_long(argc, argv, "e:n:a:p", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'e':
			q.entity = optarg;
			break;
		case 'n':
			limit = strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || limit == 0 ||
			    limit > SEARCH_LIMIT_MAX)
				return ctl_usage(ctx->cmd, _("--limit: expected "
				    "a number from 1 to %d, found '%s'"),
				    SEARCH_LIMIT_MAX, optarg);
			q.limit = (size_t)limit;
			break;
		case 'a':
			user = optarg;
			break;
		case 'p':
			q.flags |= SEARCH_PREFIX;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (optind >= argc)
		return ctl_usage(ctx->cmd, _("no query"));
	/* The words of the query, as one query ("Kuznetsov Dmitriy"). */
	for (i = (size_t)optind; i < (size_t)argc; i++) {
		if (text.len != 0)
			buf_addc(&text, ' ');
		buf_adds(&text, argv[i]);
	}
	q.text = buf_cstr(&text);
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	/* --as: an account that may view records; it finds what it sees. */
	if (user != NULL && (r = ctl_as(ctx, st, user, AUTH_VIEW, NULL,
	    &acct)) != 0)
		goto out;
	q.acct = acct;
	if (search_run(st, &q, &res, &e) != NCEN_OK) {
		r = ctl_report("search", &e);
		if (e.code == NCEN_EUSAGE || e.code == NCEN_ENOTFOUND)
			r = 2;
		goto out;
	}
	for (i = 0; i < res.n; i++) {
		buf_reset(&why);
		search_why_text(res.hits[i].why, 0, &why);
		printf("%s:%" PRIu64 "\t%d\t%s\t%s\n", res.hits[i].entity,
		    res.hits[i].id, res.hits[i].score, buf_cstr(&why),
		    res.hits[i].summary);
	}
	if (res.hidden != 0) {
		if (res.hidden > res.unlinked)
			ctl_warn(_("search: %zu more match in cases of %s: ask "
			    "their supervisors"), res.hidden - res.unlinked,
			    buf_cstr(&res.offices));
		if (res.unlinked != 0)
			ctl_warn(_("search: %zu more match, other officers' "
			    "and in no case yet"), res.unlinked);
		r = ctl_search_audit(st, user, &res);
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		ctl_warn(_("search: cannot write the results"));
		r = 2;
	}
out:
	search_result_free(&res);
	auth_account_free(acct);
	buf_free(&text);
	buf_free(&why);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
