/*
 * ncen-icomm.c - the Icomm uploader and receiver: options, then a call
 * into icomm-send.c or icomm-receive.c.  Run by a web server as a CGI
 * program (REQUEST_METHOD set) it receives the batch POSTed to it.
 */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-receive.h"
#include "icomm-send.h"
#include "icomm-util.h"
#include "icomm.h"
#include "schema.h"
#include "store.h"
#include "store-wake.h"

#define ICOMM_USER	"icomm"		/* who the audit log names */
#define ICOMM_CITES_MAX	16		/* --cite options of a message */

static volatile sig_atomic_t	icomm_stop;
static int			icomm_verbose;
static size_t			icomm_max = ICOMM_RECEIVE_MAX;	/* --max-size */

static void	icomm_usage(FILE *);

/* Say something on stderr (and to syslog when asked). */
static void
icomm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
icomm_warn(const char *fmt, ...)
{
	va_list	ap;

	fputs("ncen-icomm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The library's events go to syslog (and stderr with -v). */
static void
icomm_log(int prio, const char *msg, void *arg)
{
	(void)arg;
	syslog(prio, "%s", msg);
}

/* Signals only set the flag the loops poll. */
static void
icomm_signal(int sig)
{
	(void)sig;
	icomm_stop = 1;
}

/* Open the data directory's store. */
static int
icomm_open(const char *home, const char *keyfile, struct schema **s,
    struct store **st)
{
	struct store_options	o;
	struct ncen_err		e = NCEN_ERR_INIT;
	int			r = 0;

	if (home == NULL) {
		icomm_warn("no data directory: give -d DIR or set NCEN_HOME");
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = keyfile;
	if (store_home_open(&o, s, st, &e) != NCEN_OK) {
		icomm_warn("%s", ncen_err_msg(&e));
		r = ncen_err_exit(e.code);
	} else {
		audit_attach(*st, ICOMM_USER);
		icomm_outbox_attach(*st, ICOMM_USER);
		alert_attach(*st);
	}
	ncen_err_free(&e);
	return r;
}

/* Set while a command that succeeded closes the store. */
static atomic_int	icomm_closing_ok;

/*
 * A database call overran the watchdog.  When only the closing of a
 * command that succeeded stalled, its work is committed: say so and
 * exit 0 (running it again would queue a message twice); otherwise
 * say so and let the watchdog exit 75.
 */
static void
icomm_stall(void *arg)
{
	static const char	done[] = "ncen-icomm: warning: closing the "
	    "database did not finish in time (another process probably "
	    "died inside the database library); the work is done and kept: "
	    "do not run the command again\n";
	static const char	again[] = "ncen-icomm: a database call did not "
	    "return in time: another process probably died inside the "
	    "database library; run the command again (recovery runs at the "
	    "next start)\n";
	const char		*m = atomic_load(&icomm_closing_ok) ? done : again;
	size_t			 off, len = strlen(m);
	ssize_t			 w;

	(void)arg;
	for (off = 0; off < len; off += (size_t)w)
		if ((w = write(STDERR_FILENO, m + off, len - off)) == -1) {
			if (errno != EINTR)
				break;
			w = 0;
		}
	if (atomic_load(&icomm_closing_ok))
		_exit(0);
}

/*
 * Close the store, keeping the command's status: what a command that
 * succeeded committed is in the log, so a failure to close after it
 * (the environment needs recovery, which the next open runs) is only a
 * warning, and 2 keeps meaning that nothing changed.
 */
static int
icomm_close(struct schema *s, struct store *st, int r)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	(void)fflush(stdout);
	if (r == 0)
		atomic_store(&icomm_closing_ok, 1);
	if (st != NULL && store_close(st, &e) != NCEN_OK) {
		if (r == 0)
			icomm_warn("warning: %s; the work is done and kept "
			    "(recovery runs at the next start)",
			    ncen_err_msg(&e));
		else
			icomm_warn("%s", ncen_err_msg(&e));
	}
	atomic_store(&icomm_closing_ok, 0);
	schema_free(s);
	ncen_err_free(&e);
	return r;
}

/* Write bytes to a file ("-": standard output). */
static int
icomm_write(const char *path, const struct buf *b)
{
	FILE	*f = strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int	 ok;

	if (f == NULL) {
		icomm_warn("%s: %s", path, strerror(errno));
		return 2;
	}
	ok = fwrite(b->s, 1, b->len, f) == b->len;
	if (f != stdout)
		ok = fclose(f) == 0 && ok;
	else
		ok = fflush(f) == 0 && ok;
	if (!ok) {
		icomm_warn("%s: write failed", path);
		return 2;
	}
	return 0;
}

/* Check the cases a batch brought (or anyone saved) for alerts. */
static void
icomm_alerts(struct store *st)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	size_t		checked, raised = 0;

	if (alert_drain(st, 0, &checked, &raised, &e) != NCEN_OK)
		syslog(LOG_WARNING, "alerts: %s", ncen_err_msg(&e));
	else if (raised != 0)
		syslog(LOG_INFO, "alerts: %zu cases checked, %zu alerts raised",
		    checked, raised);
	ncen_err_free(&e);
}

/* CGI: the POSTed batch in, the signed receipt out. */
static int
icomm_cgi(const char *home, const char *keyfile)
{
	struct icomm_receive_opts	 o;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct schema			*s = NULL;
	struct store			*st = NULL;
	struct buf			 in = BUF_INIT, out = BUF_INIT;
	struct buf			 reason = BUF_INIT;
	const char			*m = getenv("REQUEST_METHOD");
	const char			*cl = getenv("CONTENT_LENGTH");
	char				 chunk[65536];
	unsigned long long		 want;
	size_t				 n;
	int				 accepted, r;

	openlog("ncen-icomm", LOG_PID, LOG_DAEMON);
	if (m == NULL || strcmp(m, "POST") != 0) {
		printf("Status: 405 Method Not Allowed\r\nAllow: POST\r\n"
		    "Content-Type: text/plain\r\n\r\nPOST a batch here.\n");
		return 0;
	}
	want = cl != NULL ? strtoull(cl, NULL, 10) : 0;
	/* Past the limit one byte is enough: icomm_receive refuses it. */
	if (want > icomm_max + 1ULL)
		want = icomm_max + 1ULL;
	while (in.len < want && (n = fread(chunk, 1, want - in.len <
	    sizeof chunk ? want - in.len : sizeof chunk, stdin)) > 0)
		buf_add(&in, chunk, n);
	if (home == NULL)
		home = getenv("NCEN_HOME");
	if (icomm_open(home, keyfile, &s, &st) != 0)
		goto fail;
	memset(&o, 0, sizeof o);
	o.client_cert = getenv("SSL_CLIENT_CERT");
	o.need_client = 1;
	o.max = icomm_max;
	o.user = ICOMM_USER;
	if (icomm_receive(st, in.s, in.len, &o, &out, &accepted, &reason,
	    &e) != NCEN_OK) {
		syslog(LOG_ERR, "cannot answer a batch: %s", ncen_err_msg(&e));
		goto fail;
	}
	if (accepted) {
		syslog(LOG_INFO, "batch accepted (%zu bytes)", in.len);
		icomm_alerts(st);
	} else
		syslog(LOG_NOTICE, "batch refused: %s", reason.s);
	printf("Status: 200 OK\r\nContent-Type: application/pkcs7-mime\r\n"
	    "Content-Length: %zu\r\n\r\n", out.len);
	fwrite(out.s, 1, out.len, stdout);
	r = icomm_close(s, st, 0);
	goto done;
fail:
	printf("Status: 500 Internal Server Error\r\nContent-Type: "
	    "text/plain\r\n\r\n%s\n", e.code != NCEN_OK ? ncen_err_msg(&e) :
	    "the receiver cannot open its data directory");
	r = icomm_close(s, st, 2);
done:
	fflush(stdout);
	buf_free(&in);
	buf_free(&out);
	buf_free(&reason);
	ncen_err_free(&e);
	return r;
}

/* What a command's options and operand give it. */
struct icomm_args {
	struct icomm_send_opts	 so;
	const char		*operand;	/* PARTNER or FILE, or NULL */
	const char		*out;		/* -o FILE */
	const char		*subject, *body, *as;
	char			*cites[ICOMM_CITES_MAX];
	size_t			 ncites;
	unsigned		 interval;	/* run: seconds between passes */
	int			 encrypt;
};

typedef int (*icomm_fn)(struct store *, struct icomm_args *);

/*
 * One row of the command table: adding a command is adding a row.
 * opts lists the short codes (icomm_longopts) of the options it takes;
 * need those of the ones it cannot do without.
 */
struct icomm_cmd {
	const char	*name;
	icomm_fn	 fn;
	int		 operand;	/* 1: one PARTNER or FILE */
	const char	*opts;
	const char	*need;
	const char	*usage;		/* after the name, for the usage */
};

/* Print one partner's status (icomm_partner_fn). */
static int
icomm_status_line(const struct store_partner *p, void *arg)
{
	struct store		*st = arg;
	struct icomm_status	*s = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 ok = BUF_INIT, bad = BUF_INIT;

	if (icomm_status_get(st, p->id, &s, &e) != NCEN_OK) {
		icomm_warn("%s: %s", p->id, ncen_err_msg(&e));
		ncen_err_free(&e);
		return 1;
	}
	icomm_time(&ok, s->last_success);
	icomm_time(&bad, s->last_error_at);
	printf("%s (%s, %s)\n  queued %" PRIu64 ", in flight %" PRIu64
	    "\n  last success %s\n  last error %s%s%s\n", p->id,
	    store_role_name(p->role), p->url, s->queued, s->inflight, ok.s,
	    bad.s, s->last_error != NULL ? ": " : "",
	    s->last_error != NULL ? s->last_error : "");
	if (s->failures != 0)
		printf("  %u failures in a row\n", s->failures);
	icomm_status_free(s);
	buf_free(&ok);
	buf_free(&bad);
	ncen_err_free(&e);
	return 0;
}

/* ncen-icomm status: one paragraph per partner. */
static int
icomm_cmd_status(struct store *st, struct icomm_args *a)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		r = 0;

	(void)a;
	if (icomm_partner_list(st, icomm_status_line, st, &e) != NCEN_OK) {
		icomm_warn("%s", ncen_err_msg(&e));
		r = 2;
	}
	ncen_err_free(&e);
	return r;
}

/* ncen-icomm receive FILE [-o RECEIPT]. */
static int
icomm_cmd_receive(struct store *st, struct icomm_args *a)
{
	struct icomm_receive_opts	 o;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 in = BUF_INIT, rc = BUF_INIT;
	struct buf			 reason = BUF_INIT;
	const char			*file = a->operand;
	int				 accepted, r = 0;

	if (icomm_read_file(file, icomm_max + 1, &in, &e) != NCEN_OK &&
	    e.code != NCEN_EINVALID) {
		icomm_warn("%s", ncen_err_msg(&e));
		r = 2;
		goto out;
	}
	ncen_err_clear(&e);
	memset(&o, 0, sizeof o);
	o.max = icomm_max;
	o.user = ICOMM_USER;
	if (icomm_receive(st, in.s, in.len, &o, &rc, &accepted, &reason, &e) !=
	    NCEN_OK) {
		icomm_warn("%s", ncen_err_msg(&e));
		r = 2;
		goto out;
	}
	if (accepted) {
		printf("%s: accepted\n", file);
		icomm_alerts(st);
	} else {
		icomm_warn("%s: refused: %s", file, reason.s);
		r = 1;
	}
	if (a->out != NULL && icomm_write(a->out, &rc) != 0)
		r = 2;
out:
	buf_free(&in);
	buf_free(&rc);
	buf_free(&reason);
	ncen_err_free(&e);
	return r;
}

/* ncen-icomm receipt FILE. */
static int
icomm_cmd_receipt(struct store *st, struct icomm_args *a)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 in = BUF_INIT, reason = BUF_INIT;
	const char	*file = a->operand;
	size_t		 removed;
	int		 accepted, r = 0;

	if (icomm_read_file(file, 1 << 20, &in, &e) != NCEN_OK ||
	    icomm_send_receipt(st, in.s, in.len, NULL, &accepted, &reason,
	    &removed, &e) != NCEN_OK) {
		icomm_warn("%s: %s", file, ncen_err_msg(&e));
		r = e.code == NCEN_EINVALID || e.code == NCEN_EPARSE ? 1 : 2;
	} else if (accepted)
		printf("%s: accepted, %zu outbox entries done\n", file,
		    removed);
	else {
		icomm_warn("%s: refused: %s", file, reason.s);
		r = 1;
	}
	buf_free(&in);
	buf_free(&reason);
	ncen_err_free(&e);
	return r;
}

/* ncen-icomm send / run: passes over the outbox. */
static int
icomm_send_loop(struct store *st, struct icomm_args *a, int run)
{
	struct icomm_send_opts	*o = &a->so;
	struct icomm_send_stats	 stats;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct timespec		 t0, t1;
	int			 r = 0, rc, wake = -1;

	o->log = icomm_log;
	o->stop = &icomm_stop;
	/* run is woken by what is queued, or looks every interval. */
	if (run && store_wake_open(store_home(st), &wake, &e) != NCEN_OK) {
		icomm_warn("%s", ncen_err_msg(&e));
		ncen_err_free(&e);
		return 2;
	}
	do {
		memset(&stats, 0, sizeof stats);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		rc = icomm_send_pass(st, o, &stats, &e);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		r = rc == NCEN_OK ? 0 : rc == NCEN_ECHECK ? 1 : 2;
		if (rc != NCEN_OK)
			syslog(LOG_WARNING, "%s", ncen_err_msg(&e));
		if (!run) {
			if (rc != NCEN_OK)
				icomm_warn("%s", ncen_err_msg(&e));
			printf("%" PRIu64 " batches, %" PRIu64 " entries, %"
			    PRIu64 " bytes up, %" PRIu64 " bytes down, %"
			    PRIu64 " failures, %.3f s\n", stats.batches,
			    stats.entries, stats.bytes_up, stats.bytes_down,
			    stats.failures, (double)(t1.tv_sec - t0.tv_sec) +
			    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		}
		ncen_err_clear(&e);
		if (run)
			icomm_alerts(st);
		if (run && store_wake_wait(wake, a->interval, &icomm_stop))
			syslog(LOG_DEBUG, "woken: something was queued");
	} while (run && !icomm_stop);
	if (wake != -1)
		(void)close(wake);
	ncen_err_free(&e);
	return run ? 0 : r;
}

/* ncen-icomm send: one pass. */
static int
icomm_cmd_send(struct store *st, struct icomm_args *a)
{
	return icomm_send_loop(st, a, 0);
}

/* ncen-icomm run: passes until a signal. */
static int
icomm_cmd_run(struct store *st, struct icomm_args *a)
{
	return icomm_send_loop(st, a, 1);
}

/* ncen-icomm pack PARTNER -o FILE: a batch to carry by hand. */
static int
icomm_cmd_pack(struct store *st, struct icomm_args *a)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct buf	der = BUF_INIT, id = BUF_INIT;
	size_t		n;
	int		r = 0;

	if (icomm_send_pack(st, a->operand, a->so.batch != 0 ? a->so.batch :
	    ICOMM_SEND_BATCH, a->encrypt, &der, &id, &n, &e) != NCEN_OK) {
		icomm_warn("pack: %s", ncen_err_msg(&e));
		r = ncen_err_exit(e.code);
	} else if (n == 0)
		printf("nothing queued for %s\n", a->operand);
	else if ((r = icomm_write(a->out, &der)) == 0)
		printf("batch %s: %zu entries, %zu bytes in %s\n", id.s, n,
		    der.len, a->out);
	buf_free(&der);
	buf_free(&id);
	ncen_err_free(&e);
	return r;
}

/* ncen-icomm message PARTNER --as USER --subject S: queue a message. */
static int
icomm_cmd_message(struct store *st, struct icomm_args *a)
{
	struct auth_account	*acct = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	uint64_t		 mid;
	int			 r = 0;

	if (auth_account_get(st, a->as, &acct, &e) != NCEN_OK ||
	    icomm_message_send(st, acct, a->operand, a->subject, a->body,
	    a->cites, a->ncites, &mid, &e) != NCEN_OK) {
		icomm_warn("message: %s", ncen_err_msg(&e));
		r = ncen_err_exit(e.code);
	} else
		printf("message %" PRIu64 " queued for %s\n", mid, a->operand);
	auth_account_free(acct);
	ncen_err_free(&e);
	return r;
}

/* Every command, with the options it takes. */
static const struct icomm_cmd icomm_cmds[] = {
	{ "send", icomm_cmd_send, 0, "pbmtBT", "",
	  "[--partner ID] [--batch N] [--max-rate BYTES] [--tries N]\n"
	  "       [--backoff MS] [--timeout S]   one pass over the outbox" },
	{ "run", icomm_cmd_run, 0, "pbmtBTi", "",
	  "[--interval S] [same options]   send, then again when something "
	  "is\n"
	  "                                      queued, or every S seconds" },
	{ "status", icomm_cmd_status, 0, "", "",
	  "                             per partner: queued, in flight,\n"
	  "                                      last success, last error" },
	{ "receive", icomm_cmd_receive, 1, "o", "",
	  "FILE [-o RECEIPT]           import a batch carried by hand" },
	{ "pack", icomm_cmd_pack, 1, "obe", "o",
	  "PARTNER -o FILE [--encrypt] [--batch N]  a batch to carry" },
	{ "receipt", icomm_cmd_receipt, 1, "", "",
	  "FILE                        the receipt of a packed batch" },
	{ "message", icomm_cmd_message, 1, "sMac", "as",
	  "PARTNER --as USER --subject S [--body TEXT]\n"
	  "       [--cite case:ID]...           cite validated cases" },
	{ NULL, NULL, 0, NULL, NULL, NULL }
};

/* The options of the commands, by their short codes (icomm_cmd.opts). */
static const struct option icomm_longopts[] = {
	{ "partner", required_argument, NULL, 'p' },
	{ "batch", required_argument, NULL, 'b' },
	{ "max-rate", required_argument, NULL, 'm' },
	{ "tries", required_argument, NULL, 't' },
	{ "backoff", required_argument, NULL, 'B' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "interval", required_argument, NULL, 'i' },
	{ "encrypt", no_argument, NULL, 'e' },
	{ "subject", required_argument, NULL, 's' },
	{ "body", required_argument, NULL, 'M' },
	{ "as", required_argument, NULL, 'a' },
	{ "cite", required_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* The usage message, from the command table. */
static void
icomm_usage(FILE *f)
{
	const struct icomm_cmd	*c;

	fputs("usage: ncen-icomm [-d DIR] [-k KEYFILE] [-v] "
	    "[--max-size BYTES] COMMAND\n"
	    "       ncen-icomm --version\n", f);
	for (c = icomm_cmds; c->name != NULL; c++)
		fprintf(f, "  %s %s\n", c->name, c->usage);
	fputs("Run by a web server (REQUEST_METHOD set), it receives the "
	    "batch\nPOSTed to it and answers the signed receipt "
	    "(ncen-icomm(8)).\n", f);
}

/* Parse a positive number option, or exit with usage. */
static unsigned long long
icomm_number(const char *opt, const char *v)
{
	unsigned long long	 n;
	char			*end;

	errno = 0;
	n = strtoull(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || errno != 0 || n == 0) {
		icomm_warn("%s: bad number '%s'", opt, v);
		icomm_usage(stderr);
		exit(2);
	}
	return n;
}

/* An option's name as typed ("-o", "--cite"), for messages. */
static void
icomm_optname(int ch, struct buf *b)
{
	const struct option	*o;

	for (o = icomm_longopts; o->name != NULL; o++)
		if (o->val == ch) {
			buf_addf(b, "--%s", o->name);
			return;
		}
	buf_addf(b, "-%c", ch);
}

/* Take one option of a command into its arguments; 0 or exit status. */
static int
icomm_cmd_opt(struct icomm_args *a, int ch, char *v)
{
	switch (ch) {
	case 'o': a->out = v; break;
	case 'p': a->so.partner = v; break;
	case 'b': a->so.batch = (size_t)icomm_number("--batch", v); break;
	case 'm': a->so.max_rate = (long long)icomm_number("--max-rate", v);
		break;
	case 't': a->so.tries = (unsigned)icomm_number("--tries", v); break;
	case 'B': a->so.backoff_ms = (unsigned)icomm_number("--backoff", v);
		break;
	case 'T': a->so.timeout = (unsigned)icomm_number("--timeout", v);
		break;
	case 'i': a->interval = (unsigned)icomm_number("--interval", v);
		break;
	case 'e': a->encrypt = 1; break;
	case 's': a->subject = v; break;
	case 'M': a->body = v; break;
	case 'a': a->as = v; break;
	case 'c':
		if (a->ncites == ICOMM_CITES_MAX) {
			icomm_warn("--cite: at most %d", ICOMM_CITES_MAX);
			return 2;
		}
		a->cites[a->ncites++] = v;
		break;
	}
	return 0;
}

/*
 * Parse a command's own options and operand (argv[0] is its name);
 * refuse an option another command takes, a missing one it needs.
 * Returns 0, or the exit status (-1: --help was asked).
 */
static int
icomm_cmd_args(const struct icomm_cmd *c, int argc, char **argv,
    struct icomm_args *a)
{
	struct buf	 name = BUF_INIT;
	const char	*p;
	int		 ch, r = 0, seen[128];

	memset(seen, 0, sizeof seen);
	optind = 0;	/* the command's options, afresh */
	while (r == 0 && (ch = getopt_long(argc, argv, "o:h", icomm_longopts,
	    NULL)) != -1) {
		if (ch == 'h')
			return -1;
		if (ch == '?' || ch < 0 || ch > 127)
			r = 2;
		else if (strchr(c->opts, ch) == NULL) {
			icomm_optname(ch, &name);
			icomm_warn("%s: %s is not an option of this command",
			    c->name, name.s);
			r = 2;
		} else {
			seen[ch] = 1;
			r = icomm_cmd_opt(a, ch, optarg);
		}
	}
	for (p = c->need; r == 0 && *p != '\0'; p++)
		if (!seen[(unsigned char)*p]) {
			icomm_optname(*p, &name);
			icomm_warn("%s: %s is needed", c->name, name.s);
			r = 2;
		}
	if (r == 0 && argc - optind != c->operand) {
		icomm_warn("%s: wrong arguments", c->name);
		r = 2;
	}
	if (r == 0 && c->operand)
		a->operand = argv[optind];
	if (r == 2)
		icomm_usage(stderr);
	buf_free(&name);
	return r;
}

/* Find a command by name. */
static const struct icomm_cmd *
icomm_find(const char *name)
{
	const struct icomm_cmd	*c;

	for (c = icomm_cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/*
 * Ignore SIGPIPE: a reader or a web server that goes away must not
 * kill us inside the database library (every other process would then
 * have to recover); writes fail with EPIPE instead, which is handled.
 * With stop, the ending signals only set the flag the loops poll.
 */
static void
icomm_signals(int stop)
{
	static const int	stops[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction	sa;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = icomm_signal;
	for (i = 0; stop && i < sizeof stops / sizeof stops[0]; i++)
		sigaction(stops[i], &sa, NULL);
}

/*
 * The global options, up to the command ("+"), over the environment's
 * home and key file; -1 to go on, else the exit status.
 */
static int
icomm_global_args(int argc, char **argv, const char **home,
    const char **keyfile)
{
	static const struct option globalopts[] = {
		{ "max-size", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	while ((ch = getopt_long(argc, argv, "+d:k:vh", globalopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd':
			*home = optarg;
			break;
		case 'k':
			*keyfile = optarg;
			break;
		case 'v':
			icomm_verbose = 1;
			break;
		case 'S':
			icomm_max = (size_t)icomm_number("--max-size", optarg);
			break;
		case 'h':
			icomm_usage(stdout);
			return 0;
		case 'V':
			printf("ncen-icomm %s\n", PACKAGE_VERSION);
			return 0;
		default:
			icomm_usage(stderr);
			return 2;
		}
	}
	if (*home != NULL && **home == '\0')
		*home = NULL;
	if (*keyfile != NULL && **keyfile == '\0')
		*keyfile = NULL;
	return -1;
}

/* The command named after the global options, or NULL (said why). */
static const struct icomm_cmd *
icomm_command(int argc, char **argv)
{
	const struct icomm_cmd	*c;

	if (optind >= argc) {
		icomm_warn("no command given");
		icomm_usage(stderr);
		return NULL;
	}
	if ((c = icomm_find(argv[optind])) == NULL) {
		icomm_warn("%s: unknown command", argv[optind]);
		icomm_usage(stderr);
	}
	return c;
}

/* Run a command on the opened store, with the log open. */
static int
icomm_run(const struct icomm_cmd *c, struct icomm_args *a, const char *home,
    const char *keyfile)
{
	struct schema	*s = NULL;
	struct store	*st = NULL;
	int		 r;

	openlog("ncen-icomm", LOG_PID | (icomm_verbose ? LOG_PERROR : 0),
	    LOG_DAEMON);
	icomm_signals(1);
	if ((r = icomm_open(home, keyfile, &s, &st)) != 0)
		return r;
	r = c->fn(st, a);
	closelog();
	return icomm_close(s, st, r);
}

/* ncen-icomm [GLOBAL OPTIONS] COMMAND [OPTIONS], or the receiver as a CGI. */
int
main(int argc, char **argv)
{
	struct icomm_args	 a;
	struct ncen_err		 e = NCEN_ERR_INIT;
	const struct icomm_cmd	*c;
	const char		*home = getenv("NCEN_HOME");
	const char		*keyfile = getenv("NCEN_KEYFILE");
	int			 r;

	/*
	 * What it makes (regions, logs, batches, receipts) is the data
	 * directory owner's alone, whatever umask the web server gives a
	 * CGI: the directory is 0700, so a CGI runs as its owner anyway.
	 */
	umask(077);
	icomm_signals(0);
	store_set_stall_handler(icomm_stall, NULL);
	if ((r = icomm_global_args(argc, argv, &home, &keyfile)) != -1)
		return r;
	if (store_version_check(&e) != NCEN_OK) {
		icomm_warn("%s", ncen_err_msg(&e));
		ncen_err_free(&e);
		return 2;
	}
	if (optind >= argc && getenv("REQUEST_METHOD") != NULL)
		return icomm_cgi(home, keyfile);
	if ((c = icomm_command(argc, argv)) == NULL)
		return 2;
	memset(&a, 0, sizeof a);
	a.interval = 60;
	if ((r = icomm_cmd_args(c, argc - optind, argv + optind, &a)) != 0) {
		if (r != -1)
			return r;
		icomm_usage(stdout);
		return 0;
	}
	return icomm_run(c, &a, home, keyfile);
}
