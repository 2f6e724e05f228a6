/*
 * ncen-client.c - the `ncen` that officers (and sshd's forced command)
 * run: a small program linked against libc alone.
 *
 * When a session server (`ncen --server -d DIR`, session-server.c)
 * answers on DIR/session.sock, the client hands it the terminal's
 * descriptors, its arguments and the environment a session reads, then
 * waits: it forwards the signals a terminal sends (SIGWINCH, SIGHUP,
 * SIGTERM, SIGINT, SIGQUIT) to the session and ends with the session's
 * status.  The session is forked from a server that has loaded the
 * libraries and parsed the forms, so a hundred sessions share those
 * pages instead of each making its own copy.
 *
 * Otherwise (no server, --version, --help, --server, a directory whose
 * socket path is too long, or a server that closes before starting the
 * session) the client execs the full program, ncen-session: next to
 * the client in a build tree, else in ../libexec/ncen from the client's
 * directory, else in NCEN_LIBEXECDIR.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "i18n.h"
#include "session.h"

#ifndef NCEN_LIBEXECDIR
#define NCEN_LIBEXECDIR "/usr/libexec/ncen"
#endif

extern char	**environ;

/* The signals passed on to the session, and whether one is pending. */
static const int		client_sigs[] = {
	SIGWINCH, SIGHUP, SIGTERM, SIGINT, SIGQUIT
};
#define CLIENT_NSIGS	(sizeof client_sigs / sizeof client_sigs[0])
static volatile sig_atomic_t	client_pending[CLIENT_NSIGS];

/* Note a signal to pass on. */
static void
client_signal(int sig)
{
	size_t	i;

	for (i = 0; i < CLIENT_NSIGS; i++)
		if (client_sigs[i] == sig)
			client_pending[i] = 1;
}

/* Bind the message catalogue, the first time a message is shown. */
static void
client_i18n(void)
{
	static int	done;

	if (!done)
		i18n_init();
	done = 1;
}

/*
 * Where the full program is, from the client's own directory: beside it
 * (a build tree), then as installed relative to it (a package unpacked
 * elsewhere, a prefix moved); then NCEN_LIBEXECDIR.
 */
static const char *const client_full_paths[] = {
	"/" SESSION_FULL,
	"/../libexec/ncen/" SESSION_FULL,
};

/*
 * Run the full program with our arguments; returns only on failure.  A
 * server binds every library symbol at start (LD_BIND_NOW): the tables
 * it fills are then shared by its sessions instead of being filled in
 * each, page by page, as functions are first called.
 */
static int
client_exec(char **argv, int server)
{
	char		self[PATH_MAX], *slash;
	struct buf	b = BUF_INIT;
	ssize_t		n;
	size_t		i;

	/* Lazily bound if this fails: more private pages, no harm. */
	if (server)
		(void)setenv("LD_BIND_NOW", "1", 1);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL)
			*slash = '\0';
		for (i = 0; slash != NULL && i < sizeof client_full_paths /
		    sizeof client_full_paths[0]; i++) {
			buf_reset(&b);
			buf_adds(&b, self);
			buf_adds(&b, client_full_paths[i]);
			if (access(buf_cstr(&b), X_OK) == 0)
				(void)execv(buf_cstr(&b), argv);
		}
	}
	buf_reset(&b);
	buf_addf(&b, "%s/%s", NCEN_LIBEXECDIR, SESSION_FULL);
	(void)execv(buf_cstr(&b), argv);
	client_i18n();
	fprintf(stderr, _("ncen: cannot run %s: %s\n"), buf_cstr(&b),
	    strerror(errno));
	buf_free(&b);
	return 2;
}

/* Whether the arguments ask for the session server. */
static int
client_server(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--server") == 0)
			return 1;
	return 0;
}

/* Whether these arguments ask for something other than a session. */
static int
client_direct(int argc, char **argv)
{
	static const char *const direct[] = {
		"--server", "--version", "--help", "-h"
	};
	int	i;
	size_t	j;

	for (i = 1; i < argc; i++)
		for (j = 0; j < sizeof direct / sizeof direct[0]; j++)
			if (strcmp(argv[i], direct[j]) == 0)
				return 1;
	return 0;
}

/* The data directory the arguments (-d DIR) or NCEN_HOME name, or NULL. */
static const char *
client_home(int argc, char **argv)
{
	const char	*home = getenv("NCEN_HOME");
	int		 i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
			home = argv[++i];
		else if (strncmp(argv[i], "-d", 2) == 0 && argv[i][2] != '\0')
			home = argv[i] + 2;
		else if ((strcmp(argv[i], "--as") == 0 ||
		    strcmp(argv[i], "--idle") == 0) && i + 1 < argc)
			i++;		/* a value, not an option */
	}
	return home != NULL && *home != '\0' ? home : NULL;
}

/* Connect to the server of home: the socket, or -1 (none answers). */
static int
client_connect(const char *home)
{
	struct sockaddr_un	sun;
	int			s, n;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	n = snprintf(sun.sun_path, sizeof sun.sun_path, "%s/%s", home,
	    SESSION_SOCKET);
	if (n < 0 || (size_t)n >= sizeof sun.sun_path)
		return -1;
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(s, (struct sockaddr *)&sun, sizeof sun) == -1) {
		(void)close(s);
		return -1;
	}
	return s;
}

/* Send the arguments, the passed environment and the descriptors. */
static int
client_send(int s, int argc, char **argv)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE(SESSION_NFDS * sizeof(int))];
	} cm;
	struct buf	 b = BUF_INIT;
	struct msghdr	 msg;
	struct cmsghdr	*c;
	struct iovec	 iov;
	int		 fds[SESSION_NFDS], i, r = -1;
	char		**ep;

	if ((fds[3] = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	fds[0] = STDIN_FILENO;
	fds[1] = STDOUT_FILENO;
	fds[2] = STDERR_FILENO;
	buf_add(&b, SESSION_MAGIC, sizeof SESSION_MAGIC);
	for (i = 0; i < argc; i++) {
		buf_addc(&b, 'A');
		buf_add(&b, argv[i], strlen(argv[i]) + 1);
	}
	for (ep = environ; *ep != NULL; ep++)
		if (session_env_passed(*ep)) {
			buf_addc(&b, 'E');
			buf_add(&b, *ep, strlen(*ep) + 1);
		}
	if (b.len > SESSION_MSG_MAX)
		goto out;
	memset(&msg, 0, sizeof msg);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = b.s;
	iov.iov_len = b.len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof cm.buf;
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof fds);
	memcpy(CMSG_DATA(c), fds, sizeof fds);
	if (sendmsg(s, &msg, MSG_NOSIGNAL) == (ssize_t)b.len)
		r = 0;
out:
	(void)close(fds[3]);
	buf_free(&b);
	return r;
}

/* Catch the forwarded signals, blocked until ppoll() waits. */
static void
client_signals(sigset_t *old)
{
	struct sigaction	sa;
	sigset_t		set;
	size_t			i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = client_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (i = 0; i < CLIENT_NSIGS; i++) {
		(void)sigaction(client_sigs[i], &sa, NULL);
		(void)sigaddset(&set, client_sigs[i]);
	}
	(void)sigprocmask(SIG_BLOCK, &set, old);
}

/* End as the session ended: killed by sig, the same way. */
static int
client_die(int sig, const sigset_t *old)
{
	struct sigaction	sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	if (sig > 0 && sig < NSIG && sigaction(sig, &sa, NULL) == 0) {
		(void)sigprocmask(SIG_SETMASK, old, NULL);
		(void)raise(sig);
	}
	return 128 + (sig > 0 && sig < 128 ? sig : 0);
}

/*
 * Wait for the session, passing signals on; its status.  Before the
 * server says "started", a closed socket means no session began and the
 * full program is run instead (*direct set).
 */
static int
client_wait(int s, const sigset_t *old, int *direct)
{
	struct pollfd	pfd;
	char		msg[512];
	ssize_t		n;
	long		pid = 0, v;
	size_t		i;

	for (;;) {
		for (i = 0; i < CLIENT_NSIGS && pid > 0; i++)
			if (client_pending[i]) {
				client_pending[i] = 0;
				(void)kill((pid_t)pid, client_sigs[i]);
			}
		pfd.fd = s;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, old) == -1) {
			if (errno == EINTR)
				continue;
			client_i18n();
			fprintf(stderr, "ncen: poll: %s\n", strerror(errno));
			return 2;
		}
		if ((n = recv(s, msg, sizeof msg - 1, 0)) == -1) {
			if (errno == EINTR)
				continue;
			n = 0;		/* ECONNRESET: as closed */
		}
		if (n == 0) {
			if (pid == 0) {
				*direct = 1;
				return 0;
			}
			client_i18n();
			fprintf(stderr, "%s\n", _("ncen: the session ended "
			    "without its status (the session server had "
			    "stopped)"));
			return 70;
		}
		msg[n] = '\0';
		if (sscanf(msg, "started %ld", &v) == 1 && v > 0)
			pid = v;
		else if (sscanf(msg, "exit %ld", &v) == 1)
			return (int)(v & 0xff);
		else if (sscanf(msg, "signal %ld", &v) == 1)
			return client_die((int)v, old);
		else if (strncmp(msg, "refused ", 8) == 0) {
			client_i18n();
			fprintf(stderr, _("ncen: the session server refused: "
			    "%s\n"), msg + 8);
			return 2;
		}
	}
}

int
main(int argc, char **argv)
{
	const char	*home;
	sigset_t	 old;
	int		 s, status, direct = 0;

	if (argc < 1 || client_direct(argc, argv) ||
	    (home = client_home(argc, argv)) == NULL ||
	    (s = client_connect(home)) == -1)
		return client_exec(argv, client_server(argc, argv));
	client_signals(&old);
	if (client_send(s, argc, argv) == -1) {
		(void)close(s);
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		return client_exec(argv, 0);
	}
	status = client_wait(s, &old, &direct);
	(void)close(s);
	if (direct) {
		(void)sigprocmask(SIG_SETMASK, &old, NULL);
		return client_exec(argv, 0);
	}
	return status;
}
