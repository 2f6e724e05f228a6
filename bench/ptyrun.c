/*
 * bench/ptyrun.c - run a program on a pseudo-terminal, type a script of
 * keys at it and count the bytes it writes back, step by step.
 *
 * usage: ptyrun [-pq] [-t TERM] [-x COLS] [-y LINES] [-b BAUD] [-k MS]
 *            [-B KEYS] [-i MS] [-w SECONDS] [-m STEP,...] [-o FILE]
 *            SCRIPT CMD [ARG]...
 *
 * The program runs with TERM (vt100) on a COLSxLINES (80x24) terminal
 * whose speed is BAUD (9600), so that curses sees the line it would on
 * a serial console.  Each line of SCRIPT is one step:
 *
 *     NAME  KEYS  [EXPECT]
 *
 * KEYS are typed one key at a time, each once the output has been idle
 * for -k MS (100) since the one before, as a typist would (-k 0 types
 * a step's keys at once, ahead of the screen; -B KEYS types them in
 * bursts of KEYS keys, each burst at once, as a fast typist's keys reach
 * the program over a slow or distant line, several to a packet); "-"
 * types nothing (the first step: the program starting).  The step ends when
 * EXPECT (a word without blanks, looked for in the raw output of the
 * step; "-" or none for no word) has been seen and the output has been
 * idle for -i MS (300), or when the program exits.  Waiting for the
 * screen before the next key keeps the counts stable: curses skips
 * drawing while keys are pending.  In KEYS, ^X is a control key, \e
 * ESC (\e[B, Down, is typed as one key), \r Enter, \t Tab, \s a
 * blank, \xHH a byte, \^ and \\ themselves.
 * Blank lines and lines starting with # are ignored.
 *
 * With -p the output is read no faster than BAUD allows with 8N1 (ten
 * bits a byte, 960 bytes/s at 9600), as a serial line delivers it, and
 * "wait" is what the officer waits: for each key, from sending it to
 * the last byte of its answer delivered.  Without -p "wait" is the
 * program's own response time.
 *
 * It prints a table of steps: keys, bytes, line time at BAUD and wait.
 * With -m STEP,... it also prints the private memory of the program
 * (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup) once each
 * STEP has settled, with the CPU time it has had and waited for
 * (/proc/PID/schedstat).  The program must be CMD itself or exec it
 * (env does) for -m to see it.  -q prints for scripts instead:
 *
 *     step NAME KEYS BYTES WAIT-S EXPECT-S   (-1: EXPECT never seen)
 *     total KEYS BYTES WAIT-S
 *     memory STEP PRIVATE-KB CLEAN DIRTY RSS ANON DB-REGIONS FILES
 *     cpu STEP ON-CPU-MS WAITING-MS
 *
 * -o FILE keeps everything the program wrote.  Exit status: 0, 1 when
 * a step timed out (-w SECONDS, 30) or the program failed, 2 usage.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "xmalloc.h"

struct pr_step {
	char		*name;
	struct buf	 keys;		/* the bytes to type */
	char		*expect;	/* NULL: none */
	size_t		 nkeys;
	size_t		 bytes;		/* what the program wrote */
	double		 wait;		/* seconds waited for the answers */
	double		 seen;		/* seconds until expect, -1 never */
};

struct pr {
	int		 fd;		/* the pty's master side */
	pid_t		 pid;
	int		 baud;
	int		 paced;
	int		 burst;		/* keys typed at once (-B) */
	int		 ended;		/* the program closed the terminal */
	double		 free_at;	/* when the paced line is free */
	double		 last_out;	/* when the last byte was delivered */
	FILE		*log;
	struct buf	 out;		/* the current step's output */
};

/* The speeds a terminal can be given, by bits per second. */
static const struct {
	int	 bps;
	speed_t	 speed;
} pr_speeds[] = {
	{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
	{ 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
	{ 115200, B115200 },
};

/* Seconds on the monotonic clock. */
static double
pr_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep until the monotonic clock reads t. */
static void
pr_sleep_until(double t)
{
	struct timespec	ts;
	double		d = t - pr_now();

	if (d <= 0)
		return;
	ts.tv_sec = (time_t)d;
	ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* What a backslash and a letter stand for in KEYS (\xHH apart). */
static const char pr_escapes[][2] = {
	{ 'e', 0x1b }, { 'r', '\r' }, { 'n', '\n' }, { 't', '\t' },
	{ 's', ' ' }, { '\\', '\\' }, { '^', '^' },
};

/* Turn a KEYS field into the bytes to type; -1 on a bad escape. */
static int
pr_keys(const char *s, struct buf *out)
{
	char	hex[3] = { 0, 0, 0 };
	size_t	i;

	if (strcmp(s, "-") == 0)
		return 0;
	for (; *s != '\0'; s++) {
		if (*s == '^' && s[1] != '\0') {
			buf_addc(out, s[1] == '?' ? 0x7f : s[1] & 0x1f);
			s++;
			continue;
		}
		if (*s != '\\') {
			buf_addc(out, *s);
			continue;
		}
		s++;
		if (*s == 'x' && isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			memcpy(hex, s + 1, 2);
			buf_addc(out, (int)strtol(hex, NULL, 16));
			s += 2;
			continue;
		}
		for (i = 0; i < sizeof pr_escapes / sizeof pr_escapes[0]; i++)
			if (pr_escapes[i][0] == *s)
				break;
		if (i == sizeof pr_escapes / sizeof pr_escapes[0])
			return -1;
		buf_addc(out, pr_escapes[i][1]);
	}
	return 0;
}

/*
 * The length of the key starting at s: a UTF-8 character stays whole, and
 * so does a cursor key's escape sequence (ESC [ or ESC O, then bytes up
 * to a final letter or ~), as a terminal sends it.
 */
static size_t
pr_keylen(const unsigned char *s, size_t left)
{
	size_t	n = 1;

	if (*s == 0x1b && left > 2 && (s[1] == '[' || s[1] == 'O')) {
		for (n = 2; n < left; n++)
			if (s[n] >= 0x40 && s[n] <= 0x7e)
				return n + 1;
		return n;
	}
	if (*s >= 0xc0)
		while (n < left && (s[n] & 0xc0) == 0x80)
			n++;
	return n;
}

/* Read SCRIPT into *steps; the count, or -1 after saying what is wrong. */
static int
pr_load(const char *path, struct pr_step **steps)
{
	FILE		*f;
	char		 line[4096], *name, *keys, *expect, *save;
	struct pr_step	*v = NULL, *st;
	size_t		 n = 0, k;
	int		 lineno = 0;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "ptyrun: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if ((name = strtok_r(line, " \t\r\n", &save)) == NULL ||
		    *name == '#')
			continue;
		keys = strtok_r(NULL, " \t\r\n", &save);
		expect = strtok_r(NULL, " \t\r\n", &save);
		v = xreallocarray(v, n + 1, sizeof *v);
		st = &v[n++];
		memset(st, 0, sizeof *st);
		st->name = xstrdup(name);
		st->seen = -1;
		if (expect != NULL && strcmp(expect, "-") != 0)
			st->expect = xstrdup(expect);
		if (keys != NULL && pr_keys(keys, &st->keys) == -1) {
			fprintf(stderr, "ptyrun: %s:%d: bad key escape in "
			    "'%s'\n", path, lineno, keys);
			fclose(f);
			return -1;
		}
		for (k = 0; k < st->keys.len; st->nkeys++)
			k += pr_keylen((unsigned char *)st->keys.s + k,
			    st->keys.len - k);
	}
	fclose(f);
	*steps = v;
	return (int)n;
}

/* Start argv on a new pty of cols x lines at speed, with TERM term. */
static int
pr_spawn(struct pr *p, char **argv, const char *term, int cols, int lines,
    speed_t speed)
{
	struct winsize	ws;
	struct termios	tio;

	memset(&ws, 0, sizeof ws);
	ws.ws_col = (unsigned short)cols;
	ws.ws_row = (unsigned short)lines;
	p->pid = forkpty(&p->fd, NULL, NULL, &ws);
	if (p->pid == -1) {
		fprintf(stderr, "ptyrun: forkpty: %s\n", strerror(errno));
		return -1;
	}
	if (p->pid == 0) {
		if (tcgetattr(STDIN_FILENO, &tio) == 0) {
			cfsetispeed(&tio, speed);
			cfsetospeed(&tio, speed);
			(void)tcsetattr(STDIN_FILENO, TCSANOW, &tio);
		}
		setenv("TERM", term, 1);
		unsetenv("LINES");
		unsetenv("COLUMNS");
		execvp(argv[0], argv);
		fprintf(stderr, "ptyrun: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return 0;
}

/*
 * Read what the program wrote until it has been idle for idle_ms and,
 * if need is set, the step's expect has been seen (when it has one);
 * paced, no faster than the line.  t0 is when the step began, since
 * when this wait did.  0 when settled, 1 when the program closed the
 * terminal, -1 after timeout seconds.
 */
static int
pr_settle(struct pr *p, struct pr_step *st, double t0, double since,
    int idle_ms, double timeout, int need)
{
	struct pollfd	pfd;
	char		chunk[4096];
	size_t		want;
	ssize_t		n;
	double		now;
	int		r;

	for (;;) {
		pfd.fd = p->fd;
		pfd.events = POLLIN;
		r = poll(&pfd, 1, idle_ms);
		if (r == -1 && errno == EINTR)
			continue;
		now = pr_now();
		if (r == 0) {
			if (!need || st->expect == NULL || st->seen >= 0)
				return 0;
			if (now - since > timeout)
				return -1;
			continue;
		}
		/* Paced: a small read lets the pty hold the rest back. */
		want = p->paced ? 16 : sizeof chunk;
		n = read(p->fd, chunk, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {		/* EIO: the program closed it */
			p->ended = 1;
			return 1;
		}
		st->bytes += (size_t)n;
		/* Flushed, so that the log shows how far the program got
		 * while it runs (bench/sessions waits on it). */
		if (p->log != NULL) {
			fwrite(chunk, 1, (size_t)n, p->log);
			fflush(p->log);
		}
		if (p->paced) {
			if (p->free_at < now)
				p->free_at = now;
			p->free_at += (double)n * 10.0 / p->baud;
			pr_sleep_until(p->free_at);
			p->last_out = p->free_at;
		} else
			p->last_out = now;
		if (st->expect != NULL && st->seen < 0) {
			buf_add(&p->out, chunk, (size_t)n);
			if (memmem(p->out.s, p->out.len, st->expect,
			    strlen(st->expect)) != NULL)
				st->seen = p->last_out - t0;
		}
	}
}

/* Run one step: type its keys one by one, then wait for the screen. */
static int
pr_step(struct pr *p, struct pr_step *st, double t0, int key_ms,
    int idle_ms, double timeout)
{
	const unsigned char	*k = (unsigned char *)st->keys.s;
	size_t			 left = st->keys.len, len;
	double			 sent = t0;
	int			 r = 0, i;

	buf_reset(&p->out);
	while (left > 0 && !p->ended) {
		/* -k 0: the whole step typed ahead at once; -B: a burst. */
		if (key_ms == 0)
			len = left;
		else
			for (i = 0, len = 0; i < p->burst && len < left; i++)
				len += pr_keylen(k + len, left - len);
		sent = pr_now();
		if (write(p->fd, k, len) != (ssize_t)len) {
			fprintf(stderr, "ptyrun: %s: cannot type: %s\n",
			    st->name, strerror(errno));
			return -1;
		}
		k += len;
		left -= len;
		p->last_out = sent;
		if (left == 0)
			break;
		/* Between keys: only until the output is idle. */
		r = pr_settle(p, st, t0, sent, key_ms, timeout, 0);
		st->wait += p->last_out - sent;
	}
	if (!p->ended) {
		r = pr_settle(p, st, t0, sent, idle_ms, timeout, 1);
		st->wait += p->last_out > sent ? p->last_out - sent : 0;
	}
	if (r == -1)
		fprintf(stderr, "ptyrun: %s: '%s' not seen within %.0f s\n",
		    st->name, st->expect, timeout);
	return r == -1 ? -1 : 0;
}

/* Which of pr_memory's parts a mapping of path (NULL: none) is in. */
static int
pr_mapping_part(const char *path)
{
	const char	*base;

	if (path == NULL || *path == '[')
		return 0;		/* heap, stack, anonymous */
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	if (strncmp(base, "__db.", 5) == 0 || strncmp(path, "/SYSV", 5) == 0)
		return 1;		/* Berkeley DB's shared regions (files,
					 * or System V shared memory) */
	return 2;			/* the program and its libraries */
}

/*
 * Print the program's private memory (Private_Clean + Private_Dirty of
 * /proc/PID/smaps_rollup), and from /proc/PID/smaps how much of it is
 * anonymous, in Berkeley DB's region files, or in the program and its
 * libraries: pages count as private while no other process maps them,
 * so the last two are shared once a second session runs.
 */
static void
pr_memory(pid_t pid, const char *step, int quiet)
{
	static const char *const keys[] = { "Rss:", "Pss:", "Private_Clean:",
	    "Private_Dirty:" };
	char		 path[64], line[4096], *name;
	long		 v[4] = { 0, 0, 0, 0 }, part[3] = { 0, 0, 0 };
	size_t		 i;
	int		 cur = 0;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "ptyrun: %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof line, f) != NULL)
		for (i = 0; i < 4; i++)
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				v[i] = strtol(line + strlen(keys[i]), NULL, 10);
	fclose(f);
	snprintf(path, sizeof path, "/proc/%ld/smaps", (long)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "Private_", 8) == 0)
				part[cur] += strtol(strchr(line, ':') + 1, NULL,
				    10);
			else if (isdigit((unsigned char)line[0]) ||
			    (line[0] >= 'a' && line[0] <= 'f')) {
				/* addr perms offset dev inode [path]; the
				 * fields below it start in upper case */
				line[strcspn(line, "\n")] = '\0';
				name = strchr(line, '/');
				if (name == NULL)
					name = strchr(line, '[');
				cur = pr_mapping_part(name);
			}
		}
		fclose(f);
	}
	if (quiet)
		printf("memory %s %ld %ld %ld %ld %ld %ld %ld\n", step,
		    v[2] + v[3], v[2], v[3], v[0], part[0], part[1], part[2]);
	else
		printf("memory at %s: private %ld kB (clean %ld + dirty %ld): "
		    "anonymous %ld, database regions %ld, program and "
		    "libraries %ld; rss %ld kB, pss %ld kB\n", step,
		    v[2] + v[3], v[2], v[3], part[0], part[1], part[2], v[0],
		    v[1]);
}

/*
 * Print the CPU time the program has had so far and how long it waited
 * for a CPU (/proc/PID/schedstat, nanoseconds): on a loaded machine the
 * wall time of a step is mostly the second.
 */
static void
pr_cpu(pid_t pid, const char *step, int quiet)
{
	char		 path[64];
	unsigned long long on = 0, waited = 0;
	FILE		*f;

	snprintf(path, sizeof path, "/proc/%ld/schedstat", (long)pid);
	if ((f = fopen(path, "r")) == NULL ||
	    fscanf(f, "%llu %llu", &on, &waited) != 2) {
		fprintf(stderr, "ptyrun: %s: cannot read it\n", path);
		if (f != NULL)
			fclose(f);
		return;
	}
	fclose(f);
	if (quiet)
		printf("cpu %s %.3f %.3f\n", step, (double)on / 1e6, (double)waited / 1e6);
	else
		printf("cpu at %s: %.1f ms on a CPU, %.1f ms waiting for "
		    "one\n", step, (double)on / 1e6, (double)waited / 1e6);
}

/* Whether name is one of the comma-separated list. */
static int
pr_listed(const char *list, const char *name)
{
	size_t		 len = strlen(name);
	const char	*s = list;

	for (;;) {
		if (strncmp(s, name, len) == 0 && (s[len] == ',' ||
		    s[len] == '\0'))
			return 1;
		if ((s = strchr(s, ',')) == NULL)
			return 0;
		s++;
	}
}

/* Print the usage line and return 2. */
static int
pr_usage(void)
{
	fprintf(stderr, "usage: ptyrun [-pq] [-t TERM] [-x COLS] [-y LINES] "
	    "[-b BAUD] [-k MS] [-B KEYS] [-i MS]\n"
	    "              [-w SECONDS] [-m STEP,...] [-o FILE] SCRIPT CMD "
	    "[ARG]...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct pr	 p;
	struct pr_step	*steps = NULL;
	const char	*term = "vt100", *memstep = NULL, *logpath = NULL;
	size_t		 i, bytes = 0, keys = 0;
	double		 t0, wait = 0, timeout = 30;
	speed_t		 speed = 0;
	int		 c, n, cols = 80, lines = 24, quiet = 0, status, r = 0;
	int		 key_ms = 100, idle_ms = 300;

	memset(&p, 0, sizeof p);
	p.baud = 9600;
	p.burst = 1;
	while ((c = getopt(argc, argv, "+B:b:i:k:m:o:pqt:w:x:y:")) != -1) {
		switch (c) {
		case 'B':
			p.burst = atoi(optarg);
			break;
		case 'b':
			p.baud = atoi(optarg);
			break;
		case 'i':
			idle_ms = atoi(optarg);
			break;
		case 'k':
			key_ms = atoi(optarg);
			break;
		case 'm':
			memstep = optarg;
			break;
		case 'o':
			logpath = optarg;
			break;
		case 'p':
			p.paced = 1;
			break;
		case 'q':
			quiet = 1;
			break;
		case 't':
			term = optarg;
			break;
		case 'w':
			timeout = atof(optarg);
			break;
		case 'x':
			cols = atoi(optarg);
			break;
		case 'y':
			lines = atoi(optarg);
			break;
		default:
			return pr_usage();
		}
	}
	for (i = 0; i < sizeof pr_speeds / sizeof pr_speeds[0]; i++)
		if (pr_speeds[i].bps == p.baud)
			speed = pr_speeds[i].speed;
	if (argc - optind < 2 || speed == 0 || cols <= 0 || lines <= 0 ||
	    idle_ms <= 0 || key_ms < 0 || p.burst <= 0)
		return pr_usage();
	if ((n = pr_load(argv[optind], &steps)) <= 0) {
		if (n == 0)
			fprintf(stderr, "ptyrun: %s: no steps\n", argv[optind]);
		return 2;
	}
	if (logpath != NULL && (p.log = fopen(logpath, "w")) == NULL) {
		fprintf(stderr, "ptyrun: %s: %s\n", logpath, strerror(errno));
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	t0 = pr_now();
	if (pr_spawn(&p, argv + optind + 1, term, cols, lines, speed) == -1)
		return 1;
	for (i = 0; i < (size_t)n && r == 0; i++) {
		if (p.ended) {
			fprintf(stderr, "ptyrun: the program ended before "
			    "step %s\n", steps[i].name);
			r = -1;
			break;
		}
		r = pr_step(&p, &steps[i], i == 0 ? t0 : pr_now(), key_ms,
		    idle_ms, timeout);
		if (r == 0 && memstep != NULL && !p.ended &&
		    pr_listed(memstep, steps[i].name)) {
			pr_memory(p.pid, steps[i].name, quiet);
			pr_cpu(p.pid, steps[i].name, quiet);
		}
	}
	if (!p.ended)
		kill(p.pid, SIGTERM);
	close(p.fd);
	while (waitpid(p.pid, &status, 0) == -1 && errno == EINTR)
		;
	if (p.log != NULL)
		fclose(p.log);

	if (!quiet)
		printf("%-24s %5s %8s %8s %8s\n", "step", "keys", "bytes",
		    "line s", "wait s");
	for (i = 0; i < (size_t)n; i++) {
		struct pr_step	*st = &steps[i];

		if (quiet)
			printf("step %s %zu %zu %.3f %.3f\n", st->name,
			    st->nkeys, st->bytes, st->wait, st->seen);
		else
			printf("%-24s %5zu %8zu %8.2f %8.2f\n", st->name,
			    st->nkeys, st->bytes,
			    (double)st->bytes * 10.0 / p.baud, st->wait);
		bytes += st->bytes;
		keys += st->nkeys;
		wait += st->wait;
		free(st->name);
		free(st->expect);
		buf_free(&st->keys);
	}
	if (quiet)
		printf("total %zu %zu %.3f\n", keys, bytes, wait);
	else
		printf("%-24s %5zu %8zu %8.2f %8.2f\n", "total", keys, bytes,
		    (double)bytes * 10.0 / p.baud, wait);
	free(steps);
	buf_free(&p.out);
	if (r == 0 && p.ended && !(WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)) {
		fprintf(stderr, "ptyrun: the program ended with status %d\n",
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		    WTERMSIG(status));
		r = -1;
	}
	return r == 0 ? 0 : 1;
}
