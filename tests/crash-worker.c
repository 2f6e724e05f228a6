/*
 * crash-worker.c - one process of the crash test (tests/crash.sh).
 *
 *   crash-worker init  -d DIR -f FORMS
 *   crash-worker run   -d DIR -f FORMS -n NAME [-c COUNT] [-t SECONDS]
 *                      [-s STOPFILE] [-p PAUSE_US] [-w WATCHDOG]
 *   crash-worker check -d DIR -f FORMS LOG...
 *
 * `run` inserts records through the real store, one per transaction,
 * each with a unique marker NAME-SEQ in an indexed field and a date
 * derived from SEQ in another.  Only after store_run() returned NCEN_OK
 * does it append "C ID MARKER" to DIR/../NAME.log (write(2), nothing
 * buffered, so SIGKILL loses nothing written); a record whose fate is
 * unknown (an error after which it may or may not have committed) is
 * logged "U MARKER" and its marker never reused.  A stall handler
 * writes the marker being inserted to NAME.spool and the worker's
 * figures to NAME.status; the watchdog then exits 75.  NAME.state is a
 * one-byte shared mapping that says where the process is ('r' inside
 * store_run, 'o' outside any store call, ...): read after a SIGKILL, it
 * tells whether the kill landed inside the library.  NCEN_ERECOVER is
 * met by reopening once more; a database error (NCEN_EDB, e.g. the store
 * gave up after repeated deadlocks) by spooling and exiting 75, as a
 * session would; any other error is a bug and exits 1.
 *
 * `check` opens the environment (recovering it), then looks every
 * committed record of the logs up by id (store_get) and through each
 * index (store_find), scans the primary for half-written or duplicated
 * records, closes and runs store_verify.  It prints one summary line and
 * exits 0 when everything holds, 1 otherwise.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

#define CRASH_NS	1000000000LL

/* The markers the logs name, sorted for lookups. */
struct crash_marks {
	char			**v;
	size_t			  n, cap;
};

struct crash {
	const char		*home;
	const char		*forms;
	const char		*name;
	const char		*entity;
	const char		*mfield;	/* indexed marker field */
	const char		*dfield;	/* indexed date field */
	unsigned long		 count;		/* 0: no limit */
	unsigned		 seconds;	/* 0: no limit */
	const char		*stopfile;
	unsigned		 pause_us;
	unsigned		 watchdog;

	struct schema		*schema;
	const struct schema_form *form;
	struct store		*store;
	struct store_options	 opts;

	int			 logfd;
	char			*logpath;
	char			*spoolpath;
	char			*statuspath;
	volatile char		*state;

	/* What is being inserted, read by the stall handler. */
	char			 marker[64];
	char			 date[16];
	volatile int		 inserting;
	uint64_t		 id;

	/* Markers of the commits the logs name (check). */
	struct crash_marks	 logged;

	/* Figures for the status file. */
	unsigned long		 commits;
	unsigned long		 unsure;
	unsigned long		 reopens;
	int64_t			 started;
	int64_t			 last;		/* last commit, or start */
	int64_t			 maxgap;
	int64_t			 callstart;
	int64_t			 maxcall;
};

/* Nanoseconds on the monotonic clock. */
static int64_t
crash_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * CRASH_NS + ts.tv_nsec;
}

/* Write all of a buffer to a file descriptor. */
static int
crash_write(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Print "crash-worker: NAME: message" on stderr. */
static void
crash_warn(const struct crash *c, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	buf_addf(&b, "crash-worker: %s: ", c->name != NULL ? c->name : "-");
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	buf_addc(&b, '\n');
	crash_write(2, b.s, b.len);
	buf_free(&b);
}

/* Write a whole file (created or replaced) with the given text. */
static void
crash_put_file(const char *path, int flags, const struct buf *b)
{
	int	fd;

	fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd == -1)
		return;
	crash_write(fd, b->s, b->len);
	close(fd);
}

/* Say where the process is in the shared state byte. */
static void
crash_where(struct crash *c, char where)
{
	if (c->state != NULL)
		*c->state = where;
}

/* Note the start of a store call, for the longest-call figure. */
static void
crash_call_begin(struct crash *c, char where)
{
	c->callstart = crash_now();
	crash_where(c, where);
}

/* Note the end of a store call. */
static void
crash_call_end(struct crash *c)
{
	int64_t	d = crash_now() - c->callstart;

	crash_where(c, 'o');
	if (d > c->maxcall)
		c->maxcall = d;
	c->callstart = 0;
}

/* Write NAME.status: how it ended and the longest waits, in ms. */
static void
crash_status(struct crash *c, int status)
{
	struct buf	b = BUF_INIT;
	int64_t		now = crash_now(), gap, call;

	gap = now - c->last;
	if (gap < c->maxgap)
		gap = c->maxgap;
	call = c->callstart != 0 ? now - c->callstart : 0;
	if (call < c->maxcall)
		call = c->maxcall;
	buf_addf(&b, "%s exit=%d commits=%lu unsure=%lu reopens=%lu "
	    "maxgap_ms=%lld maxcall_ms=%lld run_ms=%lld\n", c->name, status,
	    c->commits, c->unsure, c->reopens, (long long)(gap / 1000000),
	    (long long)(call / 1000000),
	    (long long)((now - c->started) / 1000000));
	crash_put_file(c->statuspath, O_TRUNC, &b);
	buf_free(&b);
}

/* The stall handler (watchdog thread): spool the record, leave figures. */
static void
crash_stalled(void *arg)
{
	struct crash	*c = arg;
	struct buf	 b = BUF_INIT;

	if (c->inserting) {
		buf_addf(&b, "%s %s\n", c->marker, c->date);
		crash_put_file(c->spoolpath, O_APPEND, &b);
		buf_free(&b);
	}
	crash_status(c, STORE_EXIT_STALL);
}

/* A path beside the data directory: DIR/../NAME.SUFFIX. */
static char *
crash_path(const struct crash *c, const char *suffix)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%s/../%s.%s", c->home, c->name, suffix);
	return buf_detach(&b);
}

/* Map NAME.state, one byte the test reads after killing the process. */
static void
crash_map_state(struct crash *c)
{
	char	*path = crash_path(c, "state");
	void	*p;
	int	 fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd != -1 && write(fd, "s", 1) == 1) {
		p = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p != MAP_FAILED)
			c->state = p;
	}
	if (fd != -1)
		close(fd);
	free(path);
}

/* The date stored with record SEQ: any day, spread over twenty years. */
static void
crash_date(unsigned long seq, char *out, size_t size)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%04lu-%02lu-%02lu", 2000 + (seq / 336) % 20,
	    1 + (seq / 28) % 12, 1 + seq % 28);
	if (b.len < size)
		memcpy(out, b.s, b.len + 1);
	buf_free(&b);
}

/* Load the forms and find the entity and its two indexed fields. */
static int
crash_schema(struct crash *c, struct ncen_err *err)
{
	const struct schema_field	*f;
	int				 rc;

	if ((rc = schema_load_dir(c->forms, &c->schema, err)) != NCEN_OK)
		return rc;
	c->form = schema_form_find(c->schema, c->entity);
	if (c->form == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, "%s: no form %s",
		    c->forms, c->entity);
	f = schema_field_find(c->form, c->mfield);
	if (f == NULL || !f->indexed)
		return ncen_err_set(err, NCEN_ENOTFOUND, "%s: no indexed "
		    "field %s", c->entity, c->mfield);
	f = schema_field_find(c->form, c->dfield);
	if (f == NULL || !f->indexed || f->type != SCHEMA_DATE)
		return ncen_err_set(err, NCEN_ENOTFOUND, "%s: no indexed "
		    "date field %s", c->entity, c->dfield);
	return NCEN_OK;
}

/* Open the store, noting the time it took. */
static int
crash_open(struct crash *c, struct ncen_err *err)
{
	int	rc;

	crash_call_begin(c, 'p');
	rc = store_open(&c->opts, c->schema, &c->store, err);
	crash_call_end(c);
	if (rc != NCEN_OK)
		c->store = NULL;
	return rc;
}

/* Close the store if open; errors after a panic are expected, ignored. */
static void
crash_close(struct crash *c)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	if (c->store == NULL)
		return;
	crash_call_begin(c, 'c');
	store_close(c->store, &err);
	crash_call_end(c);
	c->store = NULL;
	ncen_err_free(&err);
}

/* The transaction: one new record with this marker and date. */
static int
crash_insert(struct store_txn *txn, void *arg, struct ncen_err *err)
{
	struct crash	*c = arg;
	struct record	*r;
	int		 rc;

	r = record_new(c->form);
	if ((rc = record_set(r, c->mfield, c->marker, err)) == NCEN_OK &&
	    (rc = record_set(r, c->dfield, c->date, err)) == NCEN_OK &&
	    (rc = store_put(txn, r, "crash", err)) == NCEN_OK)
		c->id = r->id;
	record_free(r);
	return rc;
}

/* Append one line to the log, unbuffered: it survives SIGKILL. */
static void
crash_log(struct crash *c, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	crash_where(c, 'l');
	crash_write(c->logfd, b.s, b.len);
	crash_where(c, 'o');
	buf_free(&b);
}

/* Whether the run is over: count, time or stop file. */
static int
crash_done(const struct crash *c, unsigned long seq)
{
	if (c->count != 0 && seq >= c->count)
		return 1;
	if (c->seconds != 0 &&
	    crash_now() - c->started >= (int64_t)c->seconds * CRASH_NS)
		return 1;
	if (c->stopfile != NULL && access(c->stopfile, F_OK) == 0)
		return 1;
	return 0;
}

/* Sleep up to pause_us microseconds, outside any store call. */
static void
crash_pause(const struct crash *c)
{
	struct timespec	ts;
	long		us;

	if (c->pause_us == 0)
		return;
	us = random() % (long)c->pause_us;
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

/* Give up cleanly: spool what was being inserted, figures, exit 75. */
static int
crash_give_up(struct crash *c, const struct ncen_err *err)
{
	struct buf	b = BUF_INIT;

	crash_warn(c, "giving up: %s", ncen_err_msg(err));
	if (c->inserting) {
		buf_addf(&b, "%s %s\n", c->marker, c->date);
		crash_put_file(c->spoolpath, O_APPEND, &b);
		buf_free(&b);
	}
	crash_close(c);
	crash_status(c, STORE_EXIT_STALL);
	return STORE_EXIT_STALL;
}

/* Write NAME.pid first thing, so that the test can kill us at once. */
static void
crash_pidfile(const struct crash *c)
{
	struct buf	 b = BUF_INIT;
	char		*path = crash_path(c, "pid");

	buf_addf(&b, "%ld\n", (long)getpid());
	crash_put_file(path, O_TRUNC, &b);
	buf_free(&b);
	free(path);
}

/* Insert one record; note the commit or the uncertainty. */
static int
crash_one(struct crash *c, unsigned long seq, struct ncen_err *err)
{
	struct buf	b = BUF_INIT;
	int64_t		now;
	int		rc;

	buf_addf(&b, "%s-%lu", c->name, seq);
	if (b.len >= sizeof c->marker) {
		buf_free(&b);
		return ncen_err_set(err, NCEN_EUSAGE, "name too long");
	}
	memcpy(c->marker, b.s, b.len + 1);
	buf_free(&b);
	crash_date(seq, c->date, sizeof c->date);
	c->inserting = 1;

	crash_call_begin(c, 'r');
	rc = store_run(c->store, crash_insert, c, err);
	crash_call_end(c);

	if (rc == NCEN_OK) {
		crash_log(c, "C %llu %s\n", (unsigned long long)c->id,
		    c->marker);
		c->inserting = 0;
		c->commits++;
		now = crash_now();
		if (now - c->last > c->maxgap)
			c->maxgap = now - c->last;
		c->last = now;
		return NCEN_OK;
	}
	/* It may or may not have committed: never reuse the marker. */
	crash_log(c, "U %s\n", c->marker);
	c->unsure++;
	return rc;
}

/* The run command: insert until done; 0 finished, 75 gave up, 1 failed. */
static int
crash_run(struct crash *c)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	unsigned long	 seq;
	uint64_t	 n;
	int		 rc, status = 1;

	crash_pidfile(c);
	crash_map_state(c);
	c->logpath = crash_path(c, "log");
	c->spoolpath = crash_path(c, "spool");
	c->statuspath = crash_path(c, "status");
	c->logfd = open(c->logpath, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (c->logfd == -1) {
		crash_warn(c, "%s: %s", c->logpath, strerror(errno));
		goto out;
	}
	c->started = c->last = crash_now();
	srandom((unsigned)getpid());

	if ((rc = crash_schema(c, &err)) != NCEN_OK) {
		crash_warn(c, "%s", ncen_err_msg(&err));
		goto out;
	}
	store_set_stall_handler(crash_stalled, c);
	if ((rc = crash_open(c, &err)) != NCEN_OK) {
		if (rc == NCEN_ERECOVER)
			status = crash_give_up(c, &err);
		else {
			crash_warn(c, "open: %s", ncen_err_msg(&err));
			crash_status(c, 1);
		}
		goto out;
	}
	/*
	 * Have the record count kept (made on first use) from the start,
	 * so that the kills test it too: the last check compares it.
	 */
	if ((rc = store_count(c->store, c->entity, &n, &err)) != NCEN_OK) {
		if (rc == NCEN_ERECOVER || rc == NCEN_EDB)
			status = crash_give_up(c, &err);
		else {
			crash_warn(c, "count: %s", ncen_err_msg(&err));
			crash_status(c, 1);
		}
		goto out;
	}

	for (seq = 0; !crash_done(c, seq); seq++) {
		crash_pause(c);
		if ((rc = crash_one(c, seq, &err)) == NCEN_OK)
			continue;
		if (rc == NCEN_EDB) {
			/* Busy or failed: leave cleanly, as a session would. */
			status = crash_give_up(c, &err);
			goto out;
		}
		if (rc != NCEN_ERECOVER) {
			crash_warn(c, "insert %s: %s: %s", c->marker,
			    ncen_code_name(err.code), ncen_err_msg(&err));
			crash_close(c);
			crash_status(c, 1);
			goto out;
		}
		/* The store reopened once itself; try once more, else leave. */
		crash_close(c);
		c->reopens++;
		if ((rc = crash_open(c, &err)) != NCEN_OK) {
			status = crash_give_up(c, &err);
			goto out;
		}
		c->inserting = 0;
	}
	c->inserting = 0;
	crash_close(c);
	crash_status(c, 0);
	status = 0;
out:
	store_set_stall_handler(NULL, NULL);
	ncen_err_free(&err);
	return status;
}

/* The init command: create the environment and databases, then close. */
static int
crash_init(struct crash *c)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	int		rc;

	if (mkdir(c->home, 0755) == -1 && errno != EEXIST) {
		crash_warn(c, "%s: %s", c->home, strerror(errno));
		return 1;
	}
	c->opts.create = 1;
	if ((rc = crash_schema(c, &err)) != NCEN_OK ||
	    (rc = crash_open(c, &err)) != NCEN_OK) {
		crash_warn(c, "%s", ncen_err_msg(&err));
		ncen_err_free(&err);
		return 1;
	}
	rc = store_close(c->store, &err);
	c->store = NULL;
	if (rc != NCEN_OK)
		crash_warn(c, "close: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return rc == NCEN_OK ? 0 : 1;
}

/* What check collects while looking records up. */
struct crash_found {
	struct crash		*c;
	uint64_t		 want;		/* id looked for */
	const char		*marker;
	unsigned long		 n;		/* records seen */
	unsigned long		 hits;		/* of which the wanted id */
	unsigned long		 problems;
	struct buf		*report;
};

/* A record met by store_find: count it and whether it is the one. */
static int
crash_found_one(const struct record *r, void *arg)
{
	struct crash_found	*f = arg;

	f->n++;
	if (r->id == f->want)
		f->hits++;
	return 0;
}

/* One record of the primary, as the scan met it. */
struct crash_seen {
	uint64_t		 id;
	char			*marker;	/* NULL when absent */
	char			*date;		/* NULL when absent */
};

/* What the scan collects: looked at after it, outside its transaction. */
struct crash_scan {
	const struct crash	*c;
	struct crash_seen	*v;
	size_t			 n, cap;
};

/* One primary record met by store_scan: keep its id, marker and date. */
static int
crash_scan_one(const struct record *r, void *arg)
{
	struct crash_scan	*s = arg;
	const char		*m, *d;

	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	m = record_get(r, s->c->mfield);
	d = record_get(r, s->c->dfield);
	s->v[s->n].id = r->id;
	s->v[s->n].marker = m != NULL ? xstrdup(m) : NULL;
	s->v[s->n].date = d != NULL ? xstrdup(d) : NULL;
	s->n++;
	return 0;
}

/* Check one scanned record: whole, and found once by its marker. */
static void
crash_scan_check(struct crash *c, const struct crash_seen *e,
    struct crash_found *f)
{
	struct crash_found	 g;
	struct ncen_err		 err = NCEN_ERR_INIT;
	const char		*m = e->marker, *d = e->date, *dash;
	char			 date[16];
	char			*end = NULL;
	unsigned long		 seq;

	dash = m != NULL ? strrchr(m, '-') : NULL;
	seq = dash != NULL ? strtoul(dash + 1, &end, 10) : 0;
	if (dash == NULL || dash[1] == '\0' || *end != '\0' || d == NULL) {
		buf_addf(f->report, "record %llu is half-written (marker %s, "
		    "date %s)\n", (unsigned long long)e->id,
		    m != NULL ? m : "none", d != NULL ? d : "none");
		f->problems++;
		return;
	}
	crash_date(seq, date, sizeof date);
	if (strcmp(d, date) != 0) {
		buf_addf(f->report, "record %llu (%s) has date %s, not %s\n",
		    (unsigned long long)e->id, m, d, date);
		f->problems++;
	}
	memset(&g, 0, sizeof g);
	g.want = e->id;
	if (store_find(c->store, c->entity, c->mfield, m, m, crash_found_one,
	    &g, &err) != NCEN_OK) {
		buf_addf(f->report, "find %s: %s\n", m, ncen_err_msg(&err));
		f->problems++;
	} else if (g.n != 1 || g.hits != 1) {
		buf_addf(f->report, "marker %s: %lu records in the index "
		    "(want 1, id %llu)\n", m, g.n, (unsigned long long)e->id);
		f->problems++;
	}
	ncen_err_free(&err);
}

/* Look one committed record up by id and through both indices. */
static void
crash_check_one(struct crash *c, uint64_t id, const char *marker,
    struct crash_found *tot)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct record		*r = NULL;
	struct crash_found	 g;
	const char		*m, *dash;
	char			 date[16];
	int			 rc;

	dash = strrchr(marker, '-');
	crash_date(dash != NULL ? strtoul(dash + 1, NULL, 10) : 0, date,
	    sizeof date);
	rc = store_get(c->store, c->entity, id, &r, &err);
	if (rc != NCEN_OK) {
		buf_addf(tot->report, "committed %s (id %llu) is missing: "
		    "%s\n", marker, (unsigned long long)id, ncen_err_msg(&err));
		tot->problems++;
		ncen_err_free(&err);
		return;
	}
	m = record_get(r, c->mfield);
	if (m == NULL || strcmp(m, marker) != 0) {
		buf_addf(tot->report, "id %llu holds marker %s, not %s\n",
		    (unsigned long long)id, m != NULL ? m : "none", marker);
		tot->problems++;
	}
	record_free(r);

	memset(&g, 0, sizeof g);
	g.want = id;
	rc = store_find(c->store, c->entity, c->mfield, marker, marker,
	    crash_found_one, &g, &err);
	if (rc != NCEN_OK || g.n != 1 || g.hits != 1) {
		buf_addf(tot->report, "committed %s (id %llu): %lu in the %s "
		    "index%s%s\n", marker, (unsigned long long)id, g.n,
		    c->mfield, rc != NCEN_OK ? ": " : "",
		    rc != NCEN_OK ? ncen_err_msg(&err) : "");
		tot->problems++;
	}
	memset(&g, 0, sizeof g);
	g.want = id;
	rc = store_find(c->store, c->entity, c->dfield, date, date,
	    crash_found_one, &g, &err);
	if (rc != NCEN_OK || g.hits != 1) {
		buf_addf(tot->report, "committed %s (id %llu) not found once "
		    "in the %s index under %s%s%s\n", marker,
		    (unsigned long long)id, c->dfield, date,
		    rc != NCEN_OK ? ": " : "",
		    rc != NCEN_OK ? ncen_err_msg(&err) : "");
		tot->problems++;
	}
	ncen_err_free(&err);
}

/* Read a whole file into a buffer; -1 when it cannot be read. */
static int
crash_read(const char *path, struct buf *b)
{
	char	chunk[8192];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(b, chunk, (size_t)n);
	close(fd);
	return n == 0 ? 0 : -1;
}

/* Remember one marker. */
static void
crash_marks_add(struct crash_marks *m, const char *marker)
{
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 1024 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n++] = xstrdup(marker);
}

/* Compare two markers for qsort and bsearch. */
static int
crash_marks_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort a set for lookups (qsort wants a non-NULL array, even empty). */
static void
crash_marks_sort(struct crash_marks *m)
{
	if (m->n > 0)
		qsort(m->v, m->n, sizeof *m->v, crash_marks_cmp);
}

/* Whether a marker is in a sorted set. */
static int
crash_marks_has(const struct crash_marks *m, const char *marker)
{
	return m->n > 0 && bsearch(&marker, m->v, m->n, sizeof *m->v,
	    crash_marks_cmp) != NULL;
}

/* Forget every marker. */
static void
crash_marks_free(struct crash_marks *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
}

/* Check every committed record of one log; counts go into tot. */
static void
crash_check_log(struct crash *c, const char *path, struct crash_found *tot,
    unsigned long *committed, struct crash_marks *unsure)
{
	struct buf		 b = BUF_INIT;
	char			*line, *nl, *sp, *end;
	unsigned long long	 id;

	if (crash_read(path, &b) == -1) {
		buf_addf(tot->report, "%s: %s\n", path, strerror(errno));
		tot->problems++;
		return;
	}
	buf_addc(&b, '\0');
	for (line = b.s; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
		*nl = '\0';
		if (line[0] == 'U' && line[1] == ' ')
			crash_marks_add(unsure, line + 2);
		if (line[0] != 'C' || line[1] != ' ')
			continue;
		id = strtoull(line + 2, &end, 10);
		sp = end;
		if (*sp != ' ' || id == 0) {
			buf_addf(tot->report, "%s: bad line: %s\n", path, line);
			tot->problems++;
			continue;
		}
		crash_check_one(c, id, sp + 1, tot);
		crash_marks_add(&c->logged, sp + 1);
		(*committed)++;
	}
	buf_free(&b);
}

/* The check command: every logged commit present, indices, verify. */
static int
crash_check(struct crash *c, int nlogs, char **logs)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 report = BUF_INIT, vreport = BUF_INIT;
	struct crash_found	 tot;
	struct crash_scan	 scan;
	struct crash_marks	 unsure;
	unsigned long		 committed = 0, unsure_in = 0, unlogged = 0;
	uint64_t		 count = 0;
	size_t			 j;
	int			 i, rc;

	if ((rc = crash_schema(c, &err)) != NCEN_OK ||
	    (rc = crash_open(c, &err)) != NCEN_OK) {
		fprintf(stderr, "crash-worker: check: %s\n",
		    ncen_err_msg(&err));
		ncen_err_free(&err);
		return 1;
	}
	memset(&tot, 0, sizeof tot);
	memset(&unsure, 0, sizeof unsure);
	tot.c = c;
	tot.report = &report;
	for (i = 0; i < nlogs; i++)
		crash_check_log(c, logs[i], &tot, &committed, &unsure);
	crash_marks_sort(&c->logged);
	crash_marks_sort(&unsure);

	memset(&scan, 0, sizeof scan);
	scan.c = c;
	if (store_scan(c->store, c->entity, crash_scan_one, &scan,
	    &err) != NCEN_OK) {
		buf_addf(&report, "scan: %s\n", ncen_err_msg(&err));
		tot.problems++;
	}
	for (j = 0; j < scan.n; j++) {
		crash_scan_check(c, &scan.v[j], &tot);
		/* Present but not logged committed: which uncertainty? */
		if (scan.v[j].marker != NULL &&
		    !crash_marks_has(&c->logged, scan.v[j].marker)) {
			if (crash_marks_has(&unsure, scan.v[j].marker))
				unsure_in++;
			else
				unlogged++;
		}
		free(scan.v[j].marker);
		free(scan.v[j].date);
	}
	free(scan.v);
	if (store_count(c->store, c->entity, &count, &err) != NCEN_OK) {
		buf_addf(&report, "count: %s\n", ncen_err_msg(&err));
		tot.problems++;
	} else if (count != scan.n) {
		buf_addf(&report, "count says %llu records, the scan met %zu\n",
		    (unsigned long long)count, scan.n);
		tot.problems++;
	}
	if (store_close(c->store, &err) != NCEN_OK) {
		buf_addf(&report, "close: %s\n", ncen_err_msg(&err));
		tot.problems++;
	}
	c->store = NULL;
	if (store_verify(c->home, c->schema, NULL, &vreport, &err) !=
	    NCEN_OK) {
		buf_addf(&report, "store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&vreport));
		tot.problems++;
	}

	printf("committed %lu, in the primary %zu (%lu of them logged unsure, "
	    "%lu killed before logging), problems %lu\n", committed, scan.n,
	    unsure_in, unlogged, tot.problems);
	crash_marks_free(&c->logged);
	crash_marks_free(&unsure);
	if (report.len > 0)
		fputs(report.s, stdout);
	buf_free(&report);
	buf_free(&vreport);
	ncen_err_free(&err);
	return tot.problems == 0 ? 0 : 1;
}

/* Release what a worker holds (the store is closed by then). */
static void
crash_free(struct crash *c)
{
	if (c->logfd != -1)
		close(c->logfd);
	c->logfd = -1;
	free(c->logpath);
	free(c->spoolpath);
	free(c->statuspath);
	c->logpath = c->spoolpath = c->statuspath = NULL;
	schema_free(c->schema);
	c->schema = NULL;
}

/* Print the usage and return 2. */
static int
crash_usage(void)
{
	fprintf(stderr, "usage: crash-worker init -d DIR -f FORMS\n"
	    "       crash-worker run -d DIR -f FORMS -n NAME [-c COUNT] "
	    "[-t SECONDS]\n"
	    "                    [-s STOPFILE] [-p PAUSE_US] [-w WATCHDOG]\n"
	    "       crash-worker check -d DIR -f FORMS LOG...\n"
	    "  -e ENTITY -m FIELD -D FIELD  the form, its indexed marker and "
	    "date fields\n");
	return 2;
}

int
main(int argc, char **argv)
{
	struct crash	 c;
	const char	*cmd;
	int		 ch, status;

	memset(&c, 0, sizeof c);
	c.entity = "item";
	c.mfield = "marker";
	c.dfield = "day";
	c.logfd = -1;
	if (argc < 2)
		return crash_usage();
	cmd = argv[1];
	argc--;
	argv++;
	while ((ch = getopt(argc, argv, "c:D:d:e:f:m:n:p:s:t:w:")) != -1) {
		switch (ch) {
		case 'c':
			c.count = strtoul(optarg, NULL, 10);
			break;
		case 'D':
			c.dfield = optarg;
			break;
		case 'd':
			c.home = optarg;
			break;
		case 'e':
			c.entity = optarg;
			break;
		case 'f':
			c.forms = optarg;
			break;
		case 'm':
			c.mfield = optarg;
			break;
		case 'n':
			c.name = optarg;
			break;
		case 'p':
			c.pause_us = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 's':
			c.stopfile = optarg;
			break;
		case 't':
			c.seconds = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			c.watchdog = (unsigned)strtoul(optarg, NULL, 10);
			break;
		default:
			return crash_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (c.home == NULL || c.forms == NULL)
		return crash_usage();
	c.opts.home = c.home;
	c.opts.watchdog = c.watchdog;
	if (strcmp(cmd, "init") == 0)
		status = crash_init(&c);
	else if (strcmp(cmd, "run") == 0 && c.name != NULL && argc == 0)
		status = crash_run(&c);
	else if (strcmp(cmd, "check") == 0)
		status = crash_check(&c, argc, argv);
	else
		status = crash_usage();
	crash_free(&c);
	return status;
}
