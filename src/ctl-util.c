/* ctl-util.c - what the ncenctl commands share: reporting, opening the store. */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alert.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "icomm.h"
#include "schema.h"
#include "store.h"

/* Print "ncenctl: MESSAGE" on stderr. */
void
ctl_warn(const char *fmt, ...)
{
	va_list	ap;

	fputs("ncenctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Print a command's usage line (its arguments in the reader's language). */
static void
ctl_usage_line(const struct ctl_cmd *c, FILE *f)
{
	/* gettext("") would be the catalogue's header: no arguments, none. */
	fprintf(f, _("usage: ncenctl [-d DIR] [-k KEYFILE] %s%s%s\n"),
	    c->name, *c->usage != '\0' ? " " : "",
	    *c->usage != '\0' ? _(c->usage) : "");
}

/* Report a usage error of a command with its usage line; returns 2. */
int
(ctl_usage)(const struct ctl_cmd *c, const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "ncenctl: %s: ", c->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ctl_usage_line(c, stderr);
	return 2;
}

/* Print a command's help: usage, summary and details. */
void
ctl_help(const struct ctl_cmd *c, FILE *f)
{
	ctl_usage_line(c, f);
	fprintf(f, "%s.\n", _(c->summary));
	if (c->help != NULL)
		fputs(_(c->help), f);
}

/* Report a library error as "ncenctl: WHAT: message"; returns the exit status. */
int
ctl_report(const char *what, const struct ncen_err *e)
{
	ctl_warn("%s: %s", what, ncen_err_msg(e));
	return ncen_err_exit(e->code);
}

/* Make sure a data directory was named; returns 0 or the exit status. */
int
ctl_need_home(struct ctl_ctx *ctx)
{
	if (ctx->home != NULL)
		return 0;
	ctl_warn(_("%s: no data directory: give -d DIR or set NCEN_HOME"),
	    ctx->cmd->name);
	return 2;
}

/* Whether a path is a directory. */
int
ctl_is_dir(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Whether a path is absent or an empty directory. */
int
ctl_is_empty_dir(const char *path)
{
	DIR		*d;
	struct dirent	*de;
	int		 empty = 1;

	if ((d = opendir(path)) == NULL)
		return errno == ENOENT;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* Load the schema of the data directory (DIR/forms); 0 or the exit status. */
int
ctl_schema(struct ctl_ctx *ctx, struct schema **sp)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	int		 r;

	*sp = NULL;
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	if (store_home_schema(ctx->home, sp, &e) != NCEN_OK) {
		/* No data directory, or broken forms: the store cannot be used. */
		ctl_report(ctx->cmd->name, &e);
		r = 2;
	}
	ncen_err_free(&e);
	return r;
}

/* The account --as named, once ctl_as() accepted it. */
static const char	*ctl_as_user;

/* Who ncenctl's changes are recorded under: --as USER, else the login. */
const char *
ctl_login(void)
{
	struct passwd	*pw;

	if (ctl_as_user != NULL)
		return ctl_as_user;
	if ((pw = getpwuid(getuid())) != NULL && pw->pw_name != NULL &&
	    *pw->pw_name != '\0')
		return pw->pw_name;
	return "ncenctl";
}

/*
 * A command run --as USER acts for that account: it must exist, may
 * sign in now, and one of its roles must allow the action (on record r
 * when given, so ownership, office limits and need to know count: a
 * record it may not see is refused like one it may not change).  From then on the
 * command's changes are audited under USER; *ap (if ap) gets the
 * account, the caller's to free.  0, or the exit status after saying
 * why (1 refused).
 */
int
ctl_as(struct ctl_ctx *ctx, struct store *st, const char *user,
    enum auth_action action, const struct record *r,
    struct auth_account **ap)
{
	struct auth_account	*a = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 roles = BUF_INIT;
	int			 status = 0;

	if (auth_account_get(st, user, &a, &e) != NCEN_OK ||
	    auth_account_usable(a, auth_now(), &e) != NCEN_OK) {
		status = ctl_report(ctx->cmd->name, &e);
		if (e.code == NCEN_ENOTFOUND || e.code == NCEN_EINVALID)
			status = 1;
	} else if (!auth_may(a, action, r) ||
	    (r != NULL && !auth_sees(st, NULL, a, r))) {
		auth_roles_format(a->roles, &roles);
		if (r != NULL)
			ctl_warn(_("%s: refused: account '%s' (%s) may not "
			    "%s on %s %" PRIu64 " (not its own, or not its "
			    "offices)"), ctx->cmd->name, user,
			    buf_cstr(&roles), auth_action_name(action),
			    r->form->name, r->id);
		else
			ctl_warn(_("%s: refused: account '%s' (%s) may not "
			    "%s"), ctx->cmd->name, user, buf_cstr(&roles),
			    auth_action_name(action));
		status = 1;
	} else {
		ctl_as_user = user;
		audit_attach(st, user);
		icomm_outbox_attach(st, user);
		alert_attach(st);
		if (ap != NULL) {
			*ap = a;
			a = NULL;
		}
	}
	auth_account_free(a);
	buf_free(&roles);
	ncen_err_free(&e);
	return status;
}

/* Whether a record is in the store: 1, 0, or -code on an error. */
int
ctl_exists(struct store *st, const char *entity, uint64_t id)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct record	*r = NULL;
	int		 rc;

	rc = store_get(st, entity, id, &r, &e);
	record_free(r);
	ncen_err_free(&e);
	if (rc == NCEN_OK)
		return 1;
	if (rc == NCEN_ENOTFOUND)
		return 0;
	return -rc;
}


/* A search index being built: a line on a terminal, redrawn. */
static void
ctl_progress(const char *file, uint64_t done, uint64_t total, int complete,
    void *arg)
{
	fprintf(stderr, _("\rncenctl: building %s: %" PRIu64 " of %" PRIu64
	    " records"), file, done, total);
	if (complete)
		fputc('\n', stderr);
	fflush(stderr);
}
/* Load the schema and open the store of the data directory; 0 or the exit status. */
int
ctl_open(struct ctl_ctx *ctx, struct schema **sp, struct store **stp)
{
	struct store_options	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	int			 r;

	*stp = NULL;
	if ((r = ctl_schema(ctx, sp)) != 0)
		return r;
	memset(&o, 0, sizeof o);
	o.home = ctx->home;
	o.keyfile = ctx->keyfile;
	o.watchdog = ctx->watchdog;
	store_set_progress(isatty(STDERR_FILENO) ? ctl_progress : NULL, NULL);
	if (store_open(&o, *sp, stp, &e) != NCEN_OK) {
		r = ctl_report(ctx->cmd->name, &e);
		schema_free(*sp);
		*sp = NULL;
		*stp = NULL;
	}
	/* Every change an ncenctl command makes is audited. */
	if (*stp != NULL) {
		audit_attach(*stp, ctl_login());
		/* and a change to a shared case queues it again. */
		icomm_outbox_attach(*stp, ctl_login());
		/* and a change to a case puts it on the alerts' queue. */
		alert_attach(*stp);
	}
	ncen_err_free(&e);
	return r;
}

/* Set while a command that succeeded closes the store (read by the watchdog). */
static atomic_int	ctl_closing_ok;

/* Commits before a command's one change, or -1 (ctl_one_change). */
static atomic_long	ctl_before_change = -1;

/*
 * A command whose change is one transaction says so before making it:
 * once a transaction commits after this, a stall (in the checkpoint
 * after the commit, reading back, closing) is a warning and exit 0, as
 * running the command again would make the change twice.
 */
void
ctl_one_change(void)
{
	atomic_store(&ctl_before_change, (long)store_committed());
}

/* Whether the command's one change has committed (see ctl_one_change). */
static int
ctl_changed(void)
{
	long	before = atomic_load(&ctl_before_change);

	return before >= 0 && store_committed() > (unsigned long)before;
}

/* Whether a command's work is done: it succeeded, or its change committed. */
int
ctl_closing_done(void)
{
	return atomic_load(&ctl_closing_ok) || ctl_changed();
}

/*
 * Whether the command's one change has committed but its log flush has
 * not returned (store_commit_in_doubt): other processes may see it
 * already, and it is kept if its log record reached the disk.
 */
int
ctl_change_in_doubt(void)
{
	return atomic_load(&ctl_before_change) >= 0 &&
	    store_commit_in_doubt();
}

/* The change committed and the command goes on (printing it). */
void
ctl_committed(void)
{
	atomic_store(&ctl_closing_ok, 1);
}

/*
 * Close the store and free the schema; returns status.  What a command
 * that succeeded committed is in the log: when closing fails (another
 * process died and the environment needs recovery, which the next open
 * runs) it is a warning and the status stays 0, so that 2 keeps
 * meaning that nothing changed.  What was printed is flushed first,
 * for a close that stalls and leaves through the watchdog.
 */
int
ctl_close(struct ctl_ctx *ctx, struct schema *s, struct store *st, int status)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	(void)fflush(stdout);
	if (status == 0)
		atomic_store(&ctl_closing_ok, 1);
	if (st != NULL && store_close(st, &e) != NCEN_OK) {
		if (status == 0)
			ctl_warn(_("%s: warning: %s; the command's work is "
			    "done and kept (recovery runs at the next start)"),
			    ctx->cmd->name, ncen_err_msg(&e));
		else
			(void)ctl_report(ctx->cmd->name, &e);
	}
	atomic_store(&ctl_closing_ok, 0);
	schema_free(s);
	ncen_err_free(&e);
	return status;
}
