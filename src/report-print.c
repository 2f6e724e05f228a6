/*
 * report-print.c - what becomes of a report's text: PDF through groff,
 * a file in the reports directory, or a print command (see report.h).
 *
 * The programs run here (groff, the administrator's print command) read
 * the text from an unlinked temporary file and write their complaints
 * into another one, so that nothing reaches the terminal an ncen screen
 * owns and the first line of a complaint can go into the error.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "report.h"

/* What the child exits with when it could not run the program. */
#define REPORT_EXEC_FAILED	127

/*
 * The troff that makes a page of PDF of each page of text: Courier 10
 * on 12 points (66 lines fill 11 inches), an A4 page with margins, no
 * filling or adjusting.
 */
static const char report_troff_head[] =
    ".pl 11.69i\n.po 0.8i\n.ll 7i\n.ps 10\n.vs 12\n.ft CR\n.nf\n"
    ".de report-top\n'sp 0.3i\n..\n.wh 0 report-top\n";

/* A new unlinked temporary file holding data; its fd, or -1 (errno). */
static int
report_tmp(const void *data, size_t len)
{
	const char	*dir = getenv("TMPDIR");
	struct buf	 path = BUF_INIT;
	const char	*p = data;
	ssize_t		 w;
	int		 fd, saved;

	buf_addf(&path, "%s/ncen-report.XXXXXX", dir != NULL && *dir != '\0' ?
	    dir : "/tmp");
	if ((fd = mkstemp(path.s)) == -1) {
		buf_free(&path);
		return -1;
	}
	(void)unlink(path.s);
	buf_free(&path);
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			saved = errno;
			(void)close(fd);
			errno = saved;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (lseek(fd, 0, SEEK_SET) == -1) {
		saved = errno;
		(void)close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* The first line a program wrote into its complaints file. */
static void
report_complaint(int fd, struct buf *b)
{
	char	s[512];
	ssize_t	n;
	char	*nl;

	if (lseek(fd, 0, SEEK_SET) == -1 || (n = read(fd, s, sizeof s - 1)) <=
	    0)
		return;
	s[n] = '\0';
	if ((nl = strchr(s, '\n')) != NULL)
		*nl = '\0';
	buf_adds(b, s);
}

/*
 * Run argv with its standard input from in and its output into out,
 * complaints into a file of their own; its exit status, or -1 when it
 * could not be started (errno), REPORT_EXEC_FAILED when not found.
 */
static int
report_run(char *const argv[], int in, int out, struct buf *complaint)
{
	pid_t	pid;
	int	status, errfd, saved;

	if ((errfd = report_tmp("", 0)) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		saved = errno;
		(void)close(errfd);
		errno = saved;
		return -1;
	}
	if (pid == 0) {
		if (dup2(in, STDIN_FILENO) == -1 ||
		    dup2(out, STDOUT_FILENO) == -1 ||
		    dup2(errfd, STDERR_FILENO) == -1)
			_exit(REPORT_EXEC_FAILED);
		execvp(argv[0], argv);
		_exit(REPORT_EXEC_FAILED);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			saved = errno;
			(void)close(errfd);
			errno = saved;
			return -1;
		}
	report_complaint(errfd, complaint);
	(void)close(errfd);
	if (!WIFEXITED(status))
		return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

/* The text as troff input: escapes made literal, a page a form feed. */
static void
report_troff(const struct buf *text, struct buf *t)
{
	const char	*s = buf_cstr(text);
	int		 bol = 1;

	buf_adds(t, report_troff_head);
	for (; *s != '\0'; s++) {
		if (*s == '\f') {
			if (!bol)
				buf_addc(t, '\n');
			buf_adds(t, ".bp\n");
			bol = 1;
			continue;
		}
		/* A line starting with . or ' would be a request. */
		if (bol && (*s == '.' || *s == '\''))
			buf_adds(t, "\\&");
		if (*s == '\\')
			buf_adds(t, "\\e");
		else
			buf_addc(t, *s);
		bol = *s == '\n';
	}
}

/* Read a whole file from its start into b; 0 or errno. */
static int
report_slurp(int fd, struct buf *b)
{
	char	s[8192];
	ssize_t	n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return errno;
	while ((n = read(fd, s, sizeof s)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		buf_add(b, s, (size_t)n);
	}
	return 0;
}

/* Turn a report's text into PDF, into pdf (see report.h). */
int
report_pdf(const struct buf *text, struct buf *pdf, struct ncen_err *e)
{
	static char *const	 argv[] = { "groff", "-k", "-Tpdf", "-P-pa4",
	    NULL };
	struct buf		 t = BUF_INIT, why = BUF_INIT;
	int			 in, out = -1, rc, err, error = NCEN_OK;

	report_troff(text, &t);
	if ((in = report_tmp(t.s, t.len)) == -1 ||
	    (out = report_tmp("", 0)) == -1) {
		error = ncen_err_set(e, NCEN_EIO, _("a temporary file for "
		    "groff: %s"), strerror(errno));
		goto out;
	}
	rc = report_run(argv, in, out, &why);
	if (rc == -1)
		error = ncen_err_set(e, NCEN_EIO, _("running groff: %s"),
		    strerror(errno));
	else if (rc == REPORT_EXEC_FAILED || (rc != 0 &&
	    strstr(buf_cstr(&why), "DESC") != NULL))
		error = ncen_err_set(e, NCEN_ENOTFOUND, "%s", _("PDF needs "
		    "groff with its pdf device (Debian package groff); "
		    "--format text works without it"));
	else if (rc != 0)
		error = ncen_err_set(e, NCEN_EIO, _("groff failed (exit %d): "
		    "%s"), rc, buf_cstr(&why));
	else if ((err = report_slurp(out, pdf)) != 0)
		error = ncen_err_set(e, NCEN_EIO, _("reading what groff "
		    "wrote: %s"), strerror(err));
out:
	if (in != -1)
		(void)close(in);
	if (out != -1)
		(void)close(out);
	buf_free(&t);
	buf_free(&why);
	return error;
}

/* Where reports go (see report.h): a directory or "|COMMAND". */
void
report_destination(const char *home, struct buf *b)
{
	const char	*env = getenv("NCEN_PRINT");
	struct buf	 conf = BUF_INIT;
	FILE		*f;
	char		 line[1024];
	size_t		 n;

	buf_reset(b);
	if (env != NULL && *env != '\0') {
		buf_adds(b, env);
		return;
	}
	buf_addf(&conf, "%s/%s", home, REPORT_CONF);
	if ((f = fopen(conf.s, "r")) != NULL) {
		if (fgets(line, sizeof line, f) != NULL) {
			n = strcspn(line, "\r\n");
			line[n] = '\0';
			buf_adds(b, line);
		}
		(void)fclose(f);
	}
	buf_free(&conf);
	if (b->len == 0)
		buf_addf(b, "%s/%s", home, REPORT_DIR);
}

/* Pipe the text into a print command run by /bin/sh. */
static int
report_pipe(const char *cmd, const struct buf *text, struct buf *where,
    struct ncen_err *e)
{
	char		*argv[] = { "/bin/sh", "-c", NULL, NULL };
	struct buf	 why = BUF_INIT;
	int		 in, out = -1, rc, error = NCEN_OK;

	argv[2] = (char *)cmd;
	if ((in = report_tmp(text->s, text->len)) == -1 ||
	    (out = report_tmp("", 0)) == -1) {
		error = ncen_err_set(e, NCEN_EIO, _("a temporary file for "
		    "the print command: %s"), strerror(errno));
		if (in != -1)
			(void)close(in);
		return error;
	}
	rc = report_run(argv, in, out, &why);
	if (rc == -1)
		error = ncen_err_set(e, NCEN_EIO, _("running the print "
		    "command '%s': %s"), cmd, strerror(errno));
	else if (rc != 0)
		error = ncen_err_set(e, NCEN_EIO, _("the print command '%s' "
		    "failed (exit %d): %s"), cmd, rc, buf_cstr(&why));
	else
		buf_adds(where, cmd);
	(void)close(in);
	(void)close(out);
	buf_free(&why);
	return error;
}

/* Append a name fit for a file: what is not a letter, digit, . - _ is _. */
static void
report_name(struct buf *b, const char *name)
{
	const char	*s;

	for (s = name; *s != '\0'; s++)
		buf_addc(b, strchr("abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", *s) != NULL ||
		    (*s == '.' && s != name) ? *s : '_');
}

/* Write the text as a new file of a directory (made if missing). */
static int
report_file(const char *dir, const char *name, const struct buf *text,
    struct buf *where, struct ncen_err *e)
{
	struct buf	 path = BUF_INIT;
	const char	*p = text->s;
	size_t		 len = text->len;
	ssize_t		 w;
	unsigned	 n;
	int		 fd = -1, error = NCEN_OK;

	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		error = ncen_err_set(e, NCEN_EIO, _("%s: cannot make the "
		    "reports directory: %s"), dir, strerror(errno));
		goto out;
	}
	/* A new name each time: an earlier report is never overwritten. */
	for (n = 1; n < 1000 && fd == -1; n++) {
		buf_reset(&path);
		buf_addf(&path, "%s/", dir);
		report_name(&path, name);
		if (n > 1)
			buf_addf(&path, "-%u", n);
		buf_adds(&path, ".txt");
		if ((fd = open(path.s, O_WRONLY | O_CREAT | O_EXCL, 0600)) ==
		    -1 && errno != EEXIST) {
			error = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
			goto out;
		}
	}
	if (fd == -1) {
		error = ncen_err_set(e, NCEN_EIO, _("%s: too many reports of "
		    "that name"), dir);
		goto out;
	}
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			error = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
			    strerror(errno));
			(void)unlink(path.s);
			goto out;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		error = ncen_err_set(e, NCEN_EIO, "%s: %s", path.s,
		    strerror(errno));
		(void)unlink(path.s);
		goto out;
	}
	fd = -1;
	buf_adds(where, path.s);
out:
	if (fd != -1)
		(void)close(fd);
	buf_free(&path);
	return error;
}

/* Send a report where the administrator said (see report.h). */
int
report_deliver(const char *home, const char *name, const struct buf *text,
    struct buf *where, struct ncen_err *e)
{
	struct buf	dest = BUF_INIT;
	int		error;

	report_destination(home, &dest);
	buf_reset(where);
	if (dest.s[0] == '|')
		error = report_pipe(dest.s + 1, text, where, e);
	else
		error = report_file(dest.s, name, text, where, e);
	buf_free(&dest);
	return error;
}
