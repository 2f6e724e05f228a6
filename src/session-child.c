/*
 * session-child.c - a session the server forked: it takes the client's
 * terminal, working directory and environment, then runs ncen's main
 * path with the schema the server parsed (shared copy-on-write).
 *
 * The session leaves the server's session and process group (setsid),
 * so that the server stopping, or a signal to its group, leaves it
 * alone.  The terminal stays the client's controlling terminal: the
 * client forwards what the terminal sends it (SIGWINCH, SIGHUP,
 * SIGTERM).  A client killed outright closes its socket: the socket is
 * set to raise SIGIO, which ui-term.c takes as a hang-up once curses is
 * up (session_child_ready); until then SIGIO stays blocked.  At exit
 * the status goes to the client too, for when the server is gone.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "session-int.h"
#include "xmalloc.h"

#define SESSION_CHILD_CONN	3	/* the client's socket, in a session */

struct stat		session_home_sb;
static int		session_child_conn = -1;

/*
 * Tell the client the status the session exits with, once the terminal
 * is let go: what was written to it is all there before the client (and
 * the shell or sshd after it) ends.
 */
static void
session_child_exit(int status, void *arg)
{
	char	m[32];
	int	n, fd;

	(void)arg;
	(void)fflush(NULL);
	for (fd = 0; fd < 3; fd++)
		(void)close(fd);
	n = snprintf(m, sizeof m, "exit %d", status & 0xff);
	if (session_child_conn != -1 && n > 0)
		(void)send(session_child_conn, m, (size_t)n,
		    MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* In a session: refuse a data directory other than the server's. */
int
session_child_home(const char *home, struct ncen_err *err)
{
	struct stat	sb;

	if (stat(home, &sb) != 0 || sb.st_dev != session_home_sb.st_dev ||
	    sb.st_ino != session_home_sb.st_ino)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s is not the data "
		    "directory of the session server that answered"), home);
	return NCEN_OK;
}

/* In a session: curses is up, a closed client may now hang it up. */
void
session_child_ready(void)
{
	sigset_t	set;

	sigemptyset(&set);
	(void)sigaddset(&set, SIGIO);
	(void)sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* Refuse the session before it has the terminal: the client says why. */
static void
session_child_refuse(const char *what)
{
	char	m[256];
	int	n;

	n = snprintf(m, sizeof m, "refused %s: %s", what, strerror(errno));
	if (n > 0)
		(void)send(session_child_conn, m, (size_t)n, MSG_NOSIGNAL);
	_exit(2);
}

/* Signals as a fresh process has them; SIGIO blocked until curses. */
static void
session_child_signals(void)
{
	static const int	 sigs[] = {
		SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGIO
	};
	struct sigaction	 sa;
	sigset_t		 set;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		(void)sigaction(sigs[i], &sa, NULL);
	sigemptyset(&set);
	(void)sigaddset(&set, SIGIO);
	(void)sigprocmask(SIG_SETMASK, &set, NULL);
}

/*
 * Take the terminal and the working directory, put the client's socket
 * at SESSION_CHILD_CONN and close everything else (the listening socket,
 * the other sessions' sockets).  The server keeps its 0-2 open, so what
 * it received is above them.
 */
static void
session_child_fds(int conn, struct session_msg *sm)
{
	int	i;

	if (fchdir(sm->fds[3]) == -1)
		session_child_refuse(_("the client's working directory"));
	for (i = 0; i < 3; i++)
		if (dup2(sm->fds[i], i) == -1)
			session_child_refuse(_("the client's terminal"));
	if (conn != SESSION_CHILD_CONN &&
	    dup3(conn, SESSION_CHILD_CONN, O_CLOEXEC) == -1)
		session_child_refuse("dup3");
	session_child_conn = SESSION_CHILD_CONN;
	if (close_range(SESSION_CHILD_CONN + 1, ~0U, 0) == -1)
		session_child_refuse("close_range");
	for (i = 0; i < SESSION_NFDS; i++)
		sm->fds[i] = -1;
}

/* The client's variables, over the server's PATH, HOME and names. */
static void
session_child_env(struct session_msg *sm)
{
	static const char *const keep[] = {
		"PATH", "HOME", "USER", "LOGNAME", "SHELL"
	};
	char	*saved[sizeof keep / sizeof keep[0]];
	size_t	 i;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		saved[i] = getenv(keep[i]) != NULL ?
		    xstrdup(getenv(keep[i])) : NULL;
	if (clearenv() != 0)
		session_child_refuse("clearenv");
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (saved[i] != NULL && setenv(keep[i], saved[i], 1) != 0)
			session_child_refuse("setenv");
	for (i = 0; i < sm->nenv; i++)
		if (putenv(sm->env[i]) != 0)
			session_child_refuse("putenv");
	for (i = 0; i < sizeof keep / sizeof keep[0]; i++)
		free(saved[i]);
}

/* Become the session on the client's terminal; exits with its status. */
void
session_child_start(int conn, struct session_msg *sm, session_run_fn run,
    struct schema *schema)
{
	int	flags;

	session_child_conn = conn;
	session_child_signals();
	if (setsid() == -1)
		session_child_refuse("setsid");
	session_child_fds(conn, sm);
	session_child_env(sm);
	if (fcntl(SESSION_CHILD_CONN, F_SETOWN, getpid()) == -1 ||
	    (flags = fcntl(SESSION_CHILD_CONN, F_GETFL)) == -1 ||
	    fcntl(SESSION_CHILD_CONN, F_SETFL, flags | O_ASYNC) == -1)
		session_child_refuse("O_ASYNC");
	if (on_exit(session_child_exit, NULL) != 0)
		session_child_refuse("on_exit");
	umask(077);
	i18n_init();
	optind = 0;
	exit(run(sm->argc, sm->argv, schema));
}
