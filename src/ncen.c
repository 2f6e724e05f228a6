/*
 * ncen.c - the officer's terminal program: options, sign-in, then the
 * main menu (ui-*.c).
 *
 * Over SSH the forced command gives --as USER (the key already proved
 * who it is); on the console ncen asks for a user and password.  Errors
 * that stop ncen before or after curses go to stderr; while curses owns
 * the screen they go to the status line.
 *
 * This is the full program, ncen-session: the `ncen` officers run is a
 * small client (ncen-client.c) that hands its terminal to a session
 * server when one answers, else execs this.  With --server it is that
 * server (session-server.c), whose forked sessions come back to
 * ncen_session() with the forms it parsed.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include "alert.h"
#include "audit.h"
#include "auth.h"
#include "error.h"
#include "i18n.h"
#include "icomm.h"
#include "schema.h"
#include "session-server.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"

/* i18n.h included config.h, for HAVE_*. */
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT)
#include <malloc.h>
#endif

static struct ui	ncen_ui;

/*
 * Have malloc map buffers of 64 kB and more apart and give them back
 * when freed: left to itself, glibc raises that bound to the largest
 * buffer freed so far, after which a list's bulk reads (512 kB) come
 * from the heap and their pages stay with the session.  A hundred
 * sessions share one server.
 */
static void
ncen_malloc_tune(void)
{
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOPT)
	(void)mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, 64 * 1024);
#endif
}

/* Print the usage line and return the usage exit status. */
static int
ncen_usage(FILE *f)
{
	fprintf(f, "%s", _("usage: ncen [-d DIR] [--as USER] [--idle SECONDS]\n"
	    "       ncen --server [-d DIR]\n"
	    "       ncen --version\n"
	    "  -d DIR     data directory (else $NCEN_HOME)\n"
	    "  --as USER  the officer signing in (the SSH forced command);\n"
	    "             without it ncen asks for a user and password\n"
	    "  --idle SECONDS  lock after this long without a key (else\n"
	    "             $NCEN_IDLE, else 900; 0 never locks)\n"
	    "  --server   serve sessions of DIR to ncen clients\n"
	    "             (DIR/session.sock)\n"));
	return 2;
}

/*
 * The watchdog fired: another process died inside the library.  Save
 * the draft to the spool (the store no longer answers), leave curses
 * and say in words what to do: when a save had committed and only its
 * writing to disk stalled, it may or may not be kept, so the draft
 * offered at the next sign-in is to be checked against the list first.
 * The watchdog exits 75 after this.
 */
static void
ncen_stall(void *arg)
{
	struct ui	*u = arg;

	u->stalled = 1;
	if (u->on_hangup != NULL)
		u->on_hangup(u->hangup_arg);
	u->on_hangup = NULL;
	ui_stop(u);
	if (store_commit_in_doubt())
		fprintf(stderr, "%s\n", _("ncen: the database stopped "
		    "answering while your last save was being written to disk "
		    "(another program died while using it): it may or may not "
		    "have been kept. Your typing was saved; please sign in "
		    "again and look for the record before saving it again."));
	else
		fprintf(stderr, "%s\n", _("ncen: the database stopped "
		    "answering (another program died while using it); your "
		    "typing was saved. Please sign in again."));
}

/* Leave curses, report e on stderr, close the store, return status. */
static int
ncen_fail(struct ui *u, const char *user, struct ncen_err *e, int status)
{
	struct ncen_err	e2 = NCEN_ERR_INIT;

	ui_stop(u);
	if (user != NULL)
		fprintf(stderr, _("ncen: %s: sign-in refused: %s\n"), user,
		    ncen_err_msg(e));
	else
		fprintf(stderr, "ncen: %s\n", ncen_err_msg(e));
	if (u->st != NULL)
		(void)store_close(u->st, &e2);
	u->st = NULL;
	ncen_err_free(&e2);
	return status;
}

/*
 * Run the session server of home: 0 once stopped, 2 when it cannot
 * start (whatever stops it is the environment's fault, as for a session).
 */
static int
ncen_server(const char *home, session_run_fn run)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		r;

	if ((r = session_server_run(home, run, &e)) != NCEN_OK)
		fprintf(stderr, "ncen --server: %s\n", ncen_err_msg(&e));
	ncen_err_free(&e);
	return r == NCEN_OK ? 0 : 2;
}

/*
 * Options, sign-in, the main menu: a session.  loaded is the schema a
 * session server parsed (this is one of its forked sessions), or NULL.
 */
static int
ncen_session(int argc, char **argv, struct schema *loaded)
{
	static const struct option longopts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "idle", required_argument, NULL, 'i' },
		{ "server", no_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ui		*u = &ncen_ui;
	struct store_options	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*schema = NULL;
	const char		*home = getenv("NCEN_HOME"), *user = NULL;
	const char		*idle = NULL;
	int			 c, r = 0, status = -1, server = 0;

	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			home = optarg;
			break;
		case 'a':
			user = optarg;
			break;
		case 'i':
			idle = optarg;
			break;
		case 's':
			server = 1;
			break;
		case 'h':
			ncen_usage(stdout);
			return 0;
		case 'V':
			printf("ncen %s\n", PACKAGE_VERSION);
			return 0;
		default:
			return ncen_usage(stderr);
		}
	}
	if (optind != argc || home == NULL || *home == '\0' ||
	    (server && (loaded != NULL || user != NULL || idle != NULL))) {
		if (home == NULL || *home == '\0')
			fprintf(stderr, "%s\n", _("ncen: no data directory: "
			    "give -d DIR or set NCEN_HOME"));
		return ncen_usage(stderr);
	}
	if (server)
		return ncen_server(home, ncen_session);

	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = getenv("NCEN_KEYFILE");
	memset(u, 0, sizeof *u);
	u->lang = (enum schema_lang)i18n_lang();
	if (ui_signin_idle(u, idle, &e) != NCEN_OK) {
		status = ncen_fail(u, NULL, &e, 2);
		goto out;
	}
	if (loaded != NULL)
		r = session_child_home(home, &e);
	if (r == NCEN_OK && (r = store_version_check(&e)) == NCEN_OK)
		r = loaded != NULL ? store_open(&o, loaded, &u->st, &e) :
		    store_home_open(&o, &schema, &u->st, &e);
	if (r != NCEN_OK) {
		/* Whatever stops the opening is the environment's fault. */
		status = ncen_fail(u, NULL, &e, 2);
		goto out;
	}
	u->schema = loaded != NULL ? loaded : schema;
	store_set_stall_handler(ncen_stall, u);
	auth_policy_env();
	if (user != NULL &&
	    (r = auth_signin_key(u->st, user, &u->acct, &e)) != NCEN_OK) {
		status = ncen_fail(u, user, &e, 1);
		goto out;
	}
	if ((r = ui_start(u, &e)) != NCEN_OK) {
		status = ncen_fail(u, NULL, &e, 1);
		goto out;
	}
	session_child_ready();
	if (u->acct == NULL && (r = ui_signin(u, &e)) != NCEN_OK) {
		status = ncen_fail(u, NULL, &e, 1);
		goto out;
	}
	audit_attach(u->st, u->acct->name);
	icomm_outbox_attach(u->st, u->acct->name);
	alert_attach(u->st);
	ui_status(u, _("Signed in as %s."), u->acct->name);
	ui_form_drafts(u);
	ui_menu(u);
	ui_stop(u);
	/* What was saved is committed: a failed close is only a warning. */
	if (store_close(u->st, &e) != NCEN_OK)
		fprintf(stderr, _("ncen: %s: warning: %s; what you saved is "
		    "kept (recovery runs at the next start)\n"), home,
		    ncen_err_msg(&e));
	u->st = NULL;
out:
	schema_free(schema);
	auth_account_free(u->acct);
	ncen_err_free(&e);
	return status >= 0 ? status : ncen_err_exit(r);
}

int
main(int argc, char **argv)
{
	/* What ncen makes (regions, logs, attachments, drafts): ours alone. */
	umask(077);
	ncen_malloc_tune();
	i18n_init();
	return ncen_session(argc, argv, NULL);
}
