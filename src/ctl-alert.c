/*
 * ctl-alert.c - ncenctl watch, rules and alerts: the watch list, the
 * analytic rules (ncen-rules(5)) and the alerts they raise.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "alert.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "rules.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

/* The options of watch add: field name, value. */
struct ctl_watch_opt {
	const char	*field;
	const char	*value;
};

struct ctl_watch_put {
	struct record	*r;
	const char	*user;
};

/* Store a new watch entry (store_txn_fn). */
static int
ctl_watch_put(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct ctl_watch_put	*p = arg;

	return store_put(t, p->r, p->user, err);
}

/* Delete a watch entry (store_txn_fn). */
static int
ctl_watch_del_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = NULL;
	uint64_t	 id = *(uint64_t *)arg;
	int		 rc;

	if ((rc = store_txn_get(t, "watch", id, &r, err)) == NCEN_OK)
		rc = store_delete(t, "watch", id, r->version, err);
	record_free(r);
	return rc;
}

/* Print one watch entry (store_record_fn). */
static int
ctl_watch_print(const struct record *r, void *arg)
{
	static const char *const cols[] = { "kind", "name", "birth_date",
	    "number", "owner", "until", "reason" };
	size_t		 i;
	const char	*v;

	(void)arg;
	printf("%" PRIu64, r->id);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		v = record_get(r, cols[i]);
		printf("\t%s", v != NULL ? v : "");
	}
	putchar('\n');
	return 0;
}

/* watch add|list|del: the watch list. */
int
ctl_watch(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "born", required_argument, NULL, 'b' },
		{ "number", required_argument, NULL, 'N' },
		{ "reason", required_argument, NULL, 'r' },
		{ "owner", required_argument, NULL, 'o' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_watch_opt		 opts[8];
	struct ctl_watch_put		 p;
	const struct schema_form	*form;
	const struct schema_field	*f;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct schema			*s = NULL;
	struct store			*st = NULL;
	struct buf			 canon = BUF_INIT, why = BUF_INIT;
	const char			*sub;
	size_t				 n = 0, i;
	uint64_t			 id;
	int				 c, r;

	memset(&p, 0, sizeof p);
	if (argc < 2)
		return ctl_usage(ctx->cmd, _("add, list or del?"));
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c == '?' || n == sizeof opts / sizeof opts[0])
			return ctl_usage(ctx->cmd, _("bad option"));
		for (i = 0; longopts[i].name != NULL; i++)
			if (longopts[i].val == c)
				break;
		opts[n].field = strcmp(longopts[i].name, "born") == 0 ?
		    "birth_date" : longopts[i].name;
		opts[n++].value = optarg;
	}
	if (strcmp(sub, "list") == 0) {
		if (optind != argc)
			return ctl_usage(ctx->cmd, _("list takes no argument"));
		if ((r = ctl_open(ctx, &s, &st)) != 0)
			goto out;
		if (store_scan(st, "watch", ctl_watch_print, NULL, &e) !=
		    NCEN_OK)
			r = ctl_report("watch", &e);
		goto out;
	}
	if (strcmp(sub, "del") == 0) {
		if (optind + 1 != argc || (id = ctl_parse_id(argv[optind])) ==
		    0)
			return ctl_usage(ctx->cmd, _("del needs one id"));
		if ((r = ctl_open(ctx, &s, &st)) != 0)
			goto out;
		if (store_run(st, ctl_watch_del_txn, &id, &e) != NCEN_OK)
			r = ctl_report("watch", &e);
		else
			printf(_("watch:%" PRIu64 " removed\n"), id);
		goto out;
	}
	if (strcmp(sub, "add") != 0)
		return ctl_usage(ctx->cmd, _("add, list or del?"));
	if (optind != argc)
		return ctl_usage(ctx->cmd, _("add takes options only"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if ((form = schema_form_find(s, "watch")) == NULL) {
		ctl_warn(_("watch: this data directory has no watch form"));
		r = 2;
		goto out;
	}
	p.r = record_new(form);
	p.user = ctl_login();
	for (i = 0; i < n; i++) {
		f = schema_field_find(form, opts[i].field);
		if (f == NULL || schema_value_check(s, f, opts[i].value, &canon,
		    &why) != NCEN_OK) {
			ctl_warn(_("watch: --%s: %s"), opts[i].field,
			    f == NULL ? _("not a field of the watch form") :
			    buf_cstr(&why));
			r = 2;
			goto out;
		}
		(void)record_set(p.r, f->name, buf_cstr(&canon), &e);
	}
	(void)record_set(p.r, STORE_CREATOR_FIELD, p.user, &e);
	buf_reset(&why);
	if (record_get(p.r, "kind") == NULL || record_get(p.r, "reason") ==
	    NULL || record_get(p.r, "owner") == NULL ||
	    (record_get(p.r, "name") == NULL &&
	    record_get(p.r, "number") == NULL)) {
		r = ctl_usage(ctx->cmd, _("add needs --kind, --reason, --owner "
		    "and --name or --number"));
		goto out;
	}
	if (store_run(st, ctl_watch_put, &p, &e) != NCEN_OK)
		r = ctl_report("watch", &e);
	else
		printf("watch:%" PRIu64 "\n", p.r->id);
out:
	record_free(p.r);
	buf_free(&canon);
	buf_free(&why);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

/* The SHA-256 of a file's bytes, in hex. */
static void
ctl_rules_digest(const struct buf *b, struct buf *hex)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	len = 0, i;

	if (EVP_Digest(b->s != NULL ? b->s : "", b->len, md, &len,
	    EVP_sha256(), NULL) != 1)
		len = 0;
	for (i = 0; i < len; i++)
		buf_addf(hex, "%02x", md[i]);
}

/* Read a whole file. */
static int
ctl_rules_read(const char *path, struct buf *b)
{
	char	 chunk[8192];
	FILE	*fp;
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL) {
		ctl_warn("rules: %s: %s", path, strerror(errno));
		return 2;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	n = (size_t)ferror(fp);
	fclose(fp);
	if (n != 0) {
		ctl_warn(_("rules: %s: cannot read it"), path);
		return 2;
	}
	return 0;
}

/* Write DIR/alert.rules whole: a new file renamed over the old. */
static int
ctl_rules_write(const char *home, const struct buf *b)
{
	struct buf	 tmp = BUF_INIT, dst = BUF_INIT;
	int		 fd, r = 0;

	buf_addf(&dst, "%s/%s", home, RULES_FILE);
	buf_addf(&tmp, "%s/%s.new", home, RULES_FILE);
	fd = open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_TRUNC, 0640);
	if (fd < 0 || (b->len != 0 && write(fd, b->s, b->len) !=
	    (ssize_t)b->len) || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(buf_cstr(&tmp), buf_cstr(&dst)) != 0) {
		ctl_warn(_("rules: %s: %s"), buf_cstr(&dst), strerror(errno));
		(void)unlink(buf_cstr(&tmp));
		r = 2;
	}
	buf_free(&tmp);
	buf_free(&dst);
	return r;
}

/* Retro-hunt progress: a line on a terminal, redrawn. */
static void
ctl_rules_progress(uint64_t done, uint64_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, _("\rncenctl: rules run: %" PRIu64 " of %" PRIu64
	    " cases"), done, total);
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* rules check FILE | install FILE | list | run [--since D] [--rule R]. */
int
ctl_rules(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "rule", required_argument, NULL, 'r' },
		{ "file", required_argument, NULL, 'f' },
		{ "no-watch", no_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct store	*st = NULL;
	struct rules	*rs = NULL;
	struct buf	 text = BUF_INIT, det = BUF_INIT;
	const char	*sub, *since = NULL, *rule = NULL, *file = NULL;
	uint64_t	 checked = 0;
	size_t		 raised = 0, i;
	int		 c, r = 0, watch = 1;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("check, install, list or run?"));
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			since = optarg;
			if (audit_parse_time(optarg) < 0)
				return ctl_usage(ctx->cmd, _("--since: expected "
				    "YYYY-MM-DD, found '%s'"), optarg);
			break;
		case 'r':
			rule = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'w':
			watch = 0;
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (strcmp(sub, "check") == 0 || strcmp(sub, "install") == 0) {
		if (optind + 1 != argc)
			return ctl_usage(ctx->cmd, _("%s needs one FILE"), sub);
		file = argv[optind];
		if ((r = ctl_schema(ctx, &s)) != 0)
			goto out;
		if ((r = ctl_rules_read(file, &text)) != 0)
			goto out;
		if (rules_parse(file, text.s != NULL ? text.s : "", text.len,
		    s, &rs, &e) != NCEN_OK) {
			fprintf(stderr, "%s\n", ncen_err_msg(&e));
			r = 1;
			goto out;
		}
		if (strcmp(sub, "check") == 0) {
			printf(_("%s: %zu rules: no problems found\n"), file,
			    rs->n);
			goto out;
		}
		schema_free(s);
		s = NULL;
		if ((r = ctl_open(ctx, &s, &st)) != 0)
			goto out;
		if ((r = ctl_rules_write(store_home(st), &text)) != 0)
			goto out;
		buf_addf(&det, "%zu rules, sha256 ", rs->n);
		ctl_rules_digest(&text, &det);
		if (audit_log(st, ctl_login(), "rules.install", "",
		    buf_cstr(&det), &e) != NCEN_OK)
			r = ctl_report("rules", &e);
		else
			printf(_("%zu rules installed\n"), rs->n);
		goto out;
	}
	if (optind != argc)
		return ctl_usage(ctx->cmd, _("%s takes options only"), sub);
	if (strcmp(sub, "list") != 0 && strcmp(sub, "run") != 0)
		return ctl_usage(ctx->cmd, _("check, install, list or run?"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if ((file != NULL ? rules_load_file(file, s, &rs, &e) :
	    rules_load(store_home(st), s, &rs, &e)) != NCEN_OK) {
		fprintf(stderr, "%s\n", ncen_err_msg(&e));
		r = 1;
		goto out;
	}
	if (strcmp(sub, "list") == 0) {
		for (i = 0; i < rs->n; i++)
			printf("%s\t%s\t%s\n", rs->v[i].name, rs->v[i].notify,
			    rs->v[i].title);
		goto out;
	}
	if (rule != NULL && rules_find(rs, rule) == NULL) {
		ctl_warn(_("rules: no rule '%s'"), rule);
		r = 2;
		goto out;
	}
	if (alert_hunt(st, rs, since, rule, watch, isatty(STDERR_FILENO) ?
	    ctl_rules_progress : NULL, NULL, &checked, &raised, &e) !=
	    NCEN_OK)
		r = ctl_report("rules", &e);
	printf(_("%" PRIu64 " cases checked, %zu alerts raised\n"), checked,
	    raised);
out:
	rules_free(rs);
	buf_free(&text);
	buf_free(&det);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}

struct ctl_alerts_list {
	struct store		*st;
	struct auth_account	*acct;
	const char		*state;
};

/* Print one alert (store_record_fn). */
static int
ctl_alerts_print(const struct record *r, void *arg)
{
	static const char *const cols[] = { "raised", "state", "case",
	    "source", "owner", "title", "why", "handled_by", "reason" };
	struct ctl_alerts_list	*l = arg;
	const char		*v;
	size_t			 i;

	if (l->state != NULL && ((v = record_get(r, "state")) == NULL ||
	    strcmp(v, l->state) != 0))
		return 0;
	if (l->acct != NULL && (!alert_for(l->acct, r) ||
	    !auth_sees(l->st, NULL, l->acct, r)))
		return 0;
	printf("%" PRIu64, r->id);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		v = record_get(r, cols[i]);
		printf("\t%s", v != NULL ? v : "");
	}
	putchar('\n');
	return 0;
}

/* alerts list [--state S] [--as USER] | check | decide ID STATE ... */
int
ctl_alerts(struct ctl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "as", required_argument, NULL, 'a' },
		{ "reason", required_argument, NULL, 'r' },
		{ "max", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_alerts_list	 l;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	const char		*sub, *user = NULL, *reason = NULL;
	size_t			 checked = 0, raised = 0, max = 0;
	uint64_t		 id, pending = 0;
	int			 c, r = 0;

	memset(&l, 0, sizeof l);
	if (argc < 2)
		return ctl_usage(ctx->cmd, _("list, check, pending or decide?"));
	sub = argv[1];
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			l.state = optarg;
			break;
		case 'a':
			user = optarg;
			break;
		case 'r':
			reason = optarg;
			break;
		case 'm':
			max = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			return ctl_usage(ctx->cmd, _("bad option"));
		}
	}
	if (strcmp(sub, "decide") == 0) {
		if (optind + 2 != argc || (id = ctl_parse_id(argv[optind])) ==
		    0)
			return ctl_usage(ctx->cmd, _("decide needs ID and "
			    "SEEN, ACTED or DISMISSED"));
		if (user == NULL)
			return ctl_usage(ctx->cmd, _("decide needs --as USER"));
		if ((r = ctl_open(ctx, &s, &st)) != 0 ||
		    (r = ctl_as(ctx, st, user, AUTH_VIEW, NULL, &l.acct)) != 0)
			goto out;
		if (alert_decide(st, l.acct, id, argv[optind + 1], reason,
		    &e) != NCEN_OK) {
			r = ctl_report("alerts", &e);
			if (e.code == NCEN_EUSAGE)
				r = 1;
		} else
			printf("alert:%" PRIu64 " %s\n", id, argv[optind + 1]);
		goto out;
	}
	if (optind != argc)
		return ctl_usage(ctx->cmd, _("%s takes options only"), sub);
	if (strcmp(sub, "check") == 0 || strcmp(sub, "pending") == 0) {
		if ((r = ctl_open(ctx, &s, &st)) != 0)
			goto out;
		if (strcmp(sub, "check") == 0 && alert_drain(st, max, &checked,
		    &raised, &e) != NCEN_OK)
			r = ctl_report("alerts", &e);
		else if (alert_pending(st, &pending, &e) != NCEN_OK)
			r = ctl_report("alerts", &e);
		else if (strcmp(sub, "pending") == 0)
			printf(_("%" PRIu64 " cases waiting\n"), pending);
		if (strcmp(sub, "check") == 0)
			printf(_("%zu cases checked, %zu alerts raised, %" PRIu64
			    " cases waiting\n"), checked, raised, pending);
		goto out;
	}
	if (strcmp(sub, "list") != 0)
		return ctl_usage(ctx->cmd, _("list, check, pending or decide?"));
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if (user != NULL && (r = ctl_as(ctx, st, user, AUTH_VIEW, NULL,
	    &l.acct)) != 0)
		goto out;
	l.st = st;
	if (store_scan(st, "alert", ctl_alerts_print, &l, &e) != NCEN_OK)
		r = ctl_report("alerts", &e);
out:
	auth_account_free(l.acct);
	ncen_err_free(&e);
	return ctl_close(ctx, s, st, r);
}
