/*
 * session-server.c - `ncen --server -d DIR`: load once what every
 * session makes alike, listen on DIR/session.sock, fork a session for
 * each client (session-child.c) and tell the client how it ended.
 *
 * What is loaded before any fork (the session_warm table): the parsed
 * forms and code lists of DIR/forms, ICU's transliterators, OpenSSL's
 * tables and error strings, the locale and the message catalogue; the
 * libraries' relocated data comes with the process.  No Berkeley DB
 * environment or handle is opened here: none may cross a fork.
 *
 * The forms are checked at each client (names, sizes, times and inodes
 * of DIR/forms): changed, they are parsed again before the fork; if
 * they no longer load, the client is refused with the parser's message
 * and the old copy is not used.
 *
 * Only the server's own uid is served (SO_PEERCRED), on a socket of
 * mode 0600 in the data directory.  Signal handlers set flags only;
 * the loop waits in ppoll() with them unblocked.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "i18n.h"		/* config.h first, for HAVE_* */
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOC_TRIM)
#include <malloc.h>
#endif
#include "buf.h"
#include "match.h"
#include "session-int.h"
#include "store.h"
#include "xmalloc.h"

struct session_kid {
	pid_t	pid;
	int	fd;		/* the client's socket, for the status */
};

struct session_server {
	const char		*home;
	struct buf		 path;		/* DIR/session.sock */
	int			 lfd;
	struct schema		*schema;
	uint64_t		 forms_sum;	/* what schema was parsed from */
	struct session_kid	*kids;
	size_t			 nkids, capkids;
	session_run_fn		 run;
};

static volatile sig_atomic_t	session_server_reap, session_server_stop;

/* Note a child's end, or a request to stop. */
static void
session_server_signal(int sig)
{
	if (sig == SIGCHLD)
		session_server_reap = 1;
	else
		session_server_stop = 1;
}

/* One line in the server's log (its stderr), with the time and pid. */
static void
session_server_log(const char *fmt, ...)
{
	char		when[32];
	time_t		now = time(NULL);
	struct tm	tm;
	va_list		ap;

	if (localtime_r(&now, &tm) == NULL ||
	    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		when[0] = '\0';
	fprintf(stderr, "%s ncen-session[%ld]: ", when, (long)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* ICU: the folding and transliterators that search and ASCII screens use. */
static int
session_warm_icu(struct ncen_err *err)
{
	static const char	 sample[] = "H\xc3\xa9l\xc3\xa8ne \xd0\x9a";
	struct buf		 out = BUF_INIT;
	int			 r;

	if ((r = match_fold(sample, sizeof sample - 1, &out, err)) ==
	    NCEN_OK &&
	    (r = match_latin(sample, sizeof sample - 1, &out, err)) ==
	    NCEN_OK)
		r = match_show(sample, sizeof sample - 1, &out, err);
	buf_free(&out);
	return r;
}

/* OpenSSL: its error strings and digest tables, and SHA-256 once. */
static int
session_warm_openssl(struct ncen_err *err)
{
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	len;

	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS,
	    NULL) != 1 ||
	    EVP_Digest("", 0, md, &len, EVP_sha256(), NULL) != 1)
		return ncen_err_set(err, NCEN_EIO, "%s", _("OpenSSL did not "
		    "initialise"));
	return NCEN_OK;
}

/* What every session makes alike, made once before any fork. */
static const struct session_warm {
	const char	*what;
	int		(*fn)(struct ncen_err *);
} session_warms[] = {
	{ "ICU", session_warm_icu },
	{ "OpenSSL", session_warm_openssl },
};

/* A fingerprint of DIR/forms: each entry's name, size, time and inode. */
static int
session_forms_sum(const char *home, uint64_t *sum, struct ncen_err *err)
{
	struct buf	 dir = BUF_INIT, f = BUF_INIT;
	struct dirent	*de;
	struct stat	 sb;
	uint64_t	 h = 1469598103934665603ULL;
	uint64_t	 v[5];
	DIR		*d;
	size_t		 i, j;
	int		 r = NCEN_OK;

	buf_addf(&dir, "%s/forms", home);
	if ((d = opendir(buf_cstr(&dir))) == NULL) {
		r = ncen_err_set(err, NCEN_EIO, "%s: %s", buf_cstr(&dir),
		    strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, "..") == 0)
			continue;	/* DIR itself changes with every log */
		buf_reset(&f);
		buf_addf(&f, "%s/%s", buf_cstr(&dir), de->d_name);
		if (stat(buf_cstr(&f), &sb) != 0)
			memset(&sb, 0, sizeof sb);	/* gone: differs */
		for (i = 0; de->d_name[i] != '\0'; i++)
			h = (h ^ (unsigned char)de->d_name[i]) *
			    1099511628211ULL;
		v[0] = (uint64_t)sb.st_size;
		v[1] = (uint64_t)sb.st_mtim.tv_sec;
		v[2] = (uint64_t)sb.st_mtim.tv_nsec;
		v[3] = (uint64_t)sb.st_ino;
		v[4] = (uint64_t)sb.st_ctim.tv_nsec;
		for (j = 0; j < sizeof v / sizeof v[0]; j++)
			h = (h ^ v[j]) * 1099511628211ULL;
	}
	if (closedir(d) != 0)
		r = ncen_err_set(err, NCEN_EIO, "%s: %s", buf_cstr(&dir),
		    strerror(errno));
	*sum = h;
out:
	buf_free(&dir);
	buf_free(&f);
	return r;
}

/* Parse the forms (again, when they changed since the last parse). */
static int
session_server_forms(struct session_server *sv, struct ncen_err *err)
{
	struct schema	*s;
	uint64_t	 sum, after;
	int		 r;

	if ((r = session_forms_sum(sv->home, &sum, err)) != NCEN_OK)
		return r;
	if (sv->schema != NULL && sum == sv->forms_sum)
		return NCEN_OK;
	if ((r = store_home_schema(sv->home, &s, err)) != NCEN_OK) {
		ncen_err_prefix(err, "%s", _("the forms do not load: "));
		return r;
	}
	/* Changed while being read: the next client parses again. */
	if (session_forms_sum(sv->home, &after, err) != NCEN_OK ||
	    after != sum)
		sum = 0;
	if (sv->schema != NULL)
		session_server_log("%s", _("the forms changed: parsed again"));
	schema_free(sv->schema);
	sv->schema = s;
	sv->forms_sum = sum;
	return NCEN_OK;
}

/* Listen on DIR/session.sock (0600); refuse when a server answers. */
static int
session_server_listen(struct session_server *sv, struct ncen_err *err)
{
	struct sockaddr_un	sun;
	mode_t			old;
	int			s, r;

	buf_addf(&sv->path, "%s/%s", sv->home, SESSION_SOCKET);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (sv->path.len >= sizeof sun.sun_path)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: the path is "
		    "longer than a socket's (%zu bytes)"), buf_cstr(&sv->path),
		    sizeof sun.sun_path - 1);
	memcpy(sun.sun_path, sv->path.s, sv->path.len);
	if ((s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) == -1)
		return ncen_err_set(err, NCEN_EIO, "socket: %s",
		    strerror(errno));
	if (connect(s, (struct sockaddr *)&sun, sizeof sun) == 0) {
		(void)close(s);
		return ncen_err_set(err, NCEN_EEXISTS, _("%s: a session "
		    "server already answers there"), buf_cstr(&sv->path));
	}
	if (unlink(sun.sun_path) != 0 && errno != ENOENT) {
		r = ncen_err_set(err, NCEN_EIO, "%s: %s", sun.sun_path,
		    strerror(errno));
		goto fail;
	}
	old = umask(077);
	r = bind(s, (struct sockaddr *)&sun, sizeof sun);
	(void)umask(old);
	if (r != 0 || chmod(sun.sun_path, 0600) != 0 || listen(s, 64) != 0) {
		r = ncen_err_set(err, NCEN_EIO, "%s: %s", sun.sun_path,
		    strerror(errno));
		goto fail;
	}
	sv->lfd = s;
	return NCEN_OK;
fail:
	(void)close(s);
	return r;
}

/* Send a short text packet to a client; a gone client is no error. */
static void
session_server_say(int fd, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	(void)send(fd, b.s, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	buf_free(&b);
}

/* Tell each ended session's client its status, and forget it. */
static void
session_server_reaped(struct session_server *sv)
{
	pid_t	pid;
	size_t	i;
	int	st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < sv->nkids; i++) {
			if (sv->kids[i].pid != pid)
				continue;
			if (WIFSIGNALED(st))
				session_server_say(sv->kids[i].fd,
				    "signal %d", WTERMSIG(st));
			else
				session_server_say(sv->kids[i].fd, "exit %d",
				    WEXITSTATUS(st));
			(void)close(sv->kids[i].fd);
			sv->kids[i] = sv->kids[--sv->nkids];
			break;
		}
}

/* Refuse client fd in words: the log and the client both say why. */
static void
session_server_refuse(int fd, pid_t pid, const struct ncen_err *e)
{
	session_server_log(_("client %ld refused: %s"), (long)pid,
	    ncen_err_msg(e));
	session_server_say(fd, "refused %s", ncen_err_msg(e));
}

/* Check, read and start one client's session. */
static void
session_server_client(struct session_server *sv, int fd)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct session_msg	 sm;
	struct ucred		 cr;
	struct timeval		 tv = { 5, 0 };
	socklen_t		 len = sizeof cr;
	pid_t			 pid;

	session_msg_init(&sm);
	memset(&cr, 0, sizeof cr);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) != 0) {
		ncen_err_set(&e, NCEN_EIO, "SO_RCVTIMEO, SO_PEERCRED: %s",
		    strerror(errno));
		goto refuse;
	}
	if (cr.uid != geteuid()) {
		/*
		 * Its message read (and its descriptors closed) first: a
		 * socket closed with a message unread resets the client's,
		 * which would then never read why.
		 */
		(void)session_msg_read(fd, &sm, &e);
		ncen_err_clear(&e);
		ncen_err_set(&e, NCEN_EUSAGE, _("user %lu is not the "
		    "server's user (%lu): sessions run as the server's user "
		    "only"), (unsigned long)cr.uid, (unsigned long)geteuid());
		goto refuse;
	}
	if (session_msg_read(fd, &sm, &e) != NCEN_OK ||
	    session_server_forms(sv, &e) != NCEN_OK)
		goto refuse;
	if (sv->nkids == sv->capkids) {
		sv->capkids = sv->capkids == 0 ? 16 : sv->capkids * 2;
		sv->kids = xreallocarray(sv->kids, sv->capkids,
		    sizeof *sv->kids);
	}
	if ((pid = fork()) == -1) {
		ncen_err_set(&e, NCEN_EIO, "fork: %s", strerror(errno));
		goto refuse;
	}
	if (pid == 0)
		session_child_start(fd, &sm, sv->run, sv->schema);
	sv->kids[sv->nkids].pid = pid;
	sv->kids[sv->nkids++].fd = fd;
	session_server_say(fd, "started %ld", (long)pid);
	session_msg_free(&sm);
	return;
refuse:
	if (e.code == NCEN_OK)
		ncen_err_set(&e, NCEN_EIO, "%s", strerror(errno));
	session_server_refuse(fd, cr.pid, &e);
	session_msg_free(&sm);
	(void)close(fd);
	ncen_err_free(&e);
}

/* Catch SIGCHLD, SIGTERM, SIGINT and SIGHUP (blocked but in ppoll). */
static void
session_server_signals(sigset_t *old)
{
	static const int	 sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	struct sigaction	 sa;
	sigset_t		 set;
	size_t			 i;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = session_server_signal;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		(void)sigaction(sigs[i], &sa, NULL);
		(void)sigaddset(&set, sigs[i]);
	}
	sa.sa_handler = SIG_IGN;
	(void)sigaction(SIGPIPE, &sa, NULL);
	(void)sigprocmask(SIG_BLOCK, &set, old);
}

/* Keep descriptors 0-2 open, so that what is received lands above. */
static int
session_server_stdfds(struct ncen_err *err)
{
	int	fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 &&
		    open("/dev/null", O_RDWR) != fd)
			return ncen_err_set(err, NCEN_EIO, "/dev/null: %s",
			    strerror(errno));
	return NCEN_OK;
}

/* Load, listen and serve until SIGTERM or SIGINT. */
static int
session_server_loop(struct session_server *sv, struct ncen_err *err)
{
	struct pollfd	pfd;
	sigset_t	old;
	size_t		i;
	int		fd;

	session_server_signals(&old);
	session_server_log(_("serving %s on %s"), sv->home,
	    buf_cstr(&sv->path));
	while (!session_server_stop) {
		if (session_server_reap) {
			session_server_reap = 0;
			session_server_reaped(sv);
		}
#if defined(HAVE_MALLOC_H) && defined(HAVE_MALLOC_TRIM)
		(void)malloc_trim(0);	/* what sessions start from: small */
#endif
		pfd.fd = sv->lfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, &old) == -1) {
			if (errno == EINTR)
				continue;
			return ncen_err_set(err, NCEN_EIO, "poll: %s",
			    strerror(errno));
		}
		if ((fd = accept4(sv->lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno != EINTR && errno != ECONNABORTED)
				session_server_log("accept: %s",
				    strerror(errno));
			continue;
		}
		session_server_client(sv, fd);
	}
	session_server_log(_("stopping; %zu sessions go on"), sv->nkids);
	for (i = 0; i < sv->nkids; i++)
		(void)close(sv->kids[i].fd);
	(void)sigprocmask(SIG_SETMASK, &old, NULL);
	return NCEN_OK;
}

/* Serve sessions of data directory home until SIGTERM or SIGINT. */
int
session_server_run(const char *home, session_run_fn run,
    struct ncen_err *err)
{
	struct session_server	sv;
	size_t			i;
	int			r;

	memset(&sv, 0, sizeof sv);
	sv.home = home;
	sv.run = run;
	sv.lfd = -1;
	if (stat(home, &session_home_sb) != 0 ||
	    !S_ISDIR(session_home_sb.st_mode))
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such data "
		    "directory (ncenctl init makes one)"), home);
	if ((r = session_server_stdfds(err)) != NCEN_OK ||
	    (r = store_version_check(err)) != NCEN_OK ||
	    (r = session_server_forms(&sv, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < sizeof session_warms / sizeof session_warms[0]; i++)
		if ((r = session_warms[i].fn(err)) != NCEN_OK) {
			ncen_err_prefix(err, "%s: ", session_warms[i].what);
			goto out;
		}
	if ((r = session_server_listen(&sv, err)) != NCEN_OK)
		goto out;
	r = session_server_loop(&sv, err);
	if (unlink(buf_cstr(&sv.path)) != 0 && r == NCEN_OK)
		r = ncen_err_set(err, NCEN_EIO, "%s: %s", buf_cstr(&sv.path),
		    strerror(errno));
out:
	if (sv.lfd != -1)
		(void)close(sv.lfd);
	schema_free(sv.schema);
	free(sv.kids);
	buf_free(&sv.path);
	return r;
}
