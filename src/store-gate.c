/*
 * store-gate.c - no write into a data directory from an environment that
 * another process has recovered.
 *
 * A process that opens the environment and finds a dead one in the
 * registry recovers: it marks the environment panicked, removes its
 * regions and replays the log into new ones.  Berkeley DB checks for
 * the panic before each write, but a process held up between that
 * check and its write (stopped, or not scheduled on a busy machine)
 * writes afterwards: its log records land over those of the new
 * environment, and a later recovery stops there ("file has LSN past end
 * of log", records lost, a damaged database).
 *
 * So every write of Berkeley DB (its pwrite, store_gate_install) into
 * a data directory a store has open takes the directory's regions lock
 * (.regions.lock, store-space.c) shared, and checks under it that
 * __db.001 still names the environment the process joined: if not, the
 * write fails (EIO) and that process's environment panics, as it should.
 * An open that will recover holds the lock exclusively
 * (store_gate_recovers says so beforehand), so a write under way
 * finishes before the replay reads the log.
 */
#include <sys/file.h>
#include <sys/types.h>

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "store-int.h"
#include "xmalloc.h"

#define STORE_GATE_MAX		8	/* data directories open at once */
#define STORE_GATE_LATE_NS	4000000000LL	/* held so long: an open
						   may have gone on (5 s) */

/* A data directory whose writes are gated. */
struct store_gate {
	char	*home;		/* its real path, or NULL */
	int	 fd;		/* its regions lock, for the shared hold */
	int	 id;		/* the segment its environment joined, or -1 */
};

static struct store_gate	store_gate_tab[STORE_GATE_MAX];
static volatile int		store_gate_own;	/* holding it ourselves */
static unsigned long		store_gate_nlate;	/* late writes */
static unsigned long		store_gate_nfailed;	/* failed writes */
static __thread int		store_gate_refused = -1; /* see _seek */
static __thread int		store_gate_refused_errno;

/* Nanoseconds of the monotonic clock. */
static int64_t
store_gate_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The gate of the data directory holding a path, or NULL. */
static struct store_gate *
store_gate_of(const char *path)
{
	size_t	i, n;

	for (i = 0; i < STORE_GATE_MAX; i++) {
		if (store_gate_tab[i].home == NULL)
			continue;
		n = strlen(store_gate_tab[i].home);
		if (strncmp(path, store_gate_tab[i].home, n) == 0 &&
		    path[n] == '/')
			return &store_gate_tab[i];
	}
	return NULL;
}

/* The gate of the file a descriptor is open on, or NULL. */
static struct store_gate *
store_gate_fd(int fd)
{
	struct buf	 link = BUF_INIT;
	char		 target[PATH_MAX];
	ssize_t		 n;

	buf_addf(&link, "/proc/self/fd/%d", fd);
	n = readlink(link.s, target, sizeof target - 1);
	buf_free(&link);
	if (n <= 0)
		return NULL;
	target[n] = '\0';
	return store_gate_of(target);
}

/*
 * Before a write, its blocks are allocated (not the file's size): on a
 * full disk the write then fails whole (ENOSPC), where a plain write
 * may store part of a page or of a log record and leave a database file
 * whose size is not a multiple of its page size, or a log with a hole
 * (Berkeley DB makes each log file sparse, at its full size, so even a
 * write inside one may need a block).  0, or -1 with errno set.
 */
static int
store_gate_room(int fd, size_t len, off_t off)
{
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, off, (off_t)len) == 0 ||
	    errno != ENOSPC)
		return 0;	/* done, or not supported here */
	return -1;
}

/*
 * Berkeley DB's pwrite, gated as the file says.  A write that held the
 * gate longer than an open waits for it (a process stopped there) may
 * have landed after a recovery: it is counted (store_gate_late).  One
 * that found no room fails whole.  A write refused (stale, no room) or
 * failed has its descriptor noted for store_gate_seek: Berkeley DB
 * tries any failed pwrite again by seek and write(), ungated, which
 * would store a stale process's write after all, or what fits.  Each
 * is counted (store_gate_failed): a commit that Berkeley DB reports
 * done after one is flushed again, and reported unsure if that fails.
 */
static ssize_t
store_gate_pwrite(int fd, const void *data, size_t len, off_t off)
{
	struct store_gate	*g = NULL;
	ssize_t			 w;
	int64_t			 t0 = 0;
	int			 held = 0, saved;

	if (!store_gate_own && (g = store_gate_fd(fd)) != NULL) {
		while (!(held = flock(g->fd, LOCK_SH) == 0) && errno == EINTR)
			;
		t0 = store_gate_now();
		if (g->id != -1 && store_space_ref(g->home) != g->id) {
			if (held)
				(void)flock(g->fd, LOCK_UN);
			store_gate_refused = fd;
			store_gate_refused_errno = errno = EIO;	/* stale */
			store_gate_nfailed++;
			return -1;
		}
	}
	store_gate_refused = -1;	/* only the seek right after */
	if ((w = store_gate_room(fd, len, off)) == 0)
		w = pwrite(fd, data, len, off);
	saved = errno;
	if (w != (ssize_t)len) {
		store_gate_refused = fd;
		store_gate_refused_errno = w == -1 ? saved : ENOSPC;
		store_gate_nfailed++;
	}
	if (held) {
		if (store_gate_now() - t0 >= STORE_GATE_LATE_NS)
			store_gate_nlate++;
		(void)flock(g->fd, LOCK_UN);
	}
	errno = saved;
	return w;
}

/*
 * Berkeley DB's seek: the one before its write() after a pwrite that
 * was refused or failed fails too, with the pwrite's error, so that
 * nothing of that write is stored.  0, or -1 with errno set.
 */
static int
store_gate_seek(int fd, off_t off, int whence)
{
	if (fd == store_gate_refused) {
		store_gate_refused = -1;
		errno = store_gate_refused_errno;
		return -1;
	}
	return lseek(fd, off, whence) == -1 ? -1 : 0;
}

/* How many writes held the gate so long that a recovery may have gone on. */
unsigned long
store_gate_late(void)
{
	return store_gate_nlate;
}

/*
 * How many of Berkeley DB's writes failed or were cut short in this
 * process (a full disk): store_txn_attempt checks a commit against it.
 */
unsigned long
store_gate_failed(void)
{
	return store_gate_nfailed;
}

/* Route Berkeley DB's writes through the gate (once per process). */
void
store_gate_install(void)
{
	static int	done;

	if (!done && db_env_set_func_pwrite(store_gate_pwrite) == 0 &&
	    db_env_set_func_seek(store_gate_seek) == 0)
		done = 1;
}

/* Note that this process holds a regions lock exclusively (or no more). */
void
store_gate_hold(int on)
{
	store_gate_own = on;
}

/*
 * Whether an open of the environment will recover it, as libdb decides
 * with DB_REGISTER: no registry (or an empty one), a slot cut short, or
 * a process's slot that nobody holds locked (it died).
 */
int
store_gate_recovers(const char *home)
{
	struct buf	path = BUF_INIT;
	struct flock	fl;
	char		slot[STORE_GATE_SLOT];
	off_t		pos = 0;
	ssize_t		n;
	int		fd, dead = 0;

	buf_addf(&path, "%s/__db.register", home);
	fd = open(path.s, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	buf_free(&path);
	if (fd == -1)
		return 1;
	for (;; pos += STORE_GATE_SLOT) {
		n = pread(fd, slot, sizeof slot, pos);
		if (n == 0)
			break;
		if (n != (ssize_t)sizeof slot) {
			dead = 1;
			break;
		}
		if (slot[0] == 'X')
			continue;	/* empty */
		memset(&fl, 0, sizeof fl);
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = pos;
		fl.l_len = 1;
		if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK) {
			dead = 1;
			break;
		}
	}
	if (pos == 0 && n == 0)
		dead = 1;		/* empty: libdb recovers */
	close(fd);
	return dead;
}

/*
 * Gate the writes into a data directory, checked against the segment
 * id its environment joined (-1: not checked, while it opens and once
 * it closed: another environment of this process may then write
 * there, as ncenctl recover does); an entry stays for the life of the
 * process (a few directories at most).
 */
void
store_gate_set(const char *home, int id)
{
	struct store_gate	*g, *free_g = NULL;
	struct buf		 path = BUF_INIT;
	char			*real;
	size_t			 i;

	if ((real = realpath(home, NULL)) == NULL)
		return;
	for (i = 0; i < STORE_GATE_MAX; i++) {
		g = &store_gate_tab[i];
		if (g->home != NULL && strcmp(g->home, real) == 0)
			break;
		if (g->home == NULL && free_g == NULL)
			free_g = g;
	}
	if (i == STORE_GATE_MAX) {
		if ((g = free_g) == NULL) {
			free(real);
			return;		/* too many: left ungated */
		}
		buf_addf(&path, "%s/%s", real, STORE_SHM_LOCK);
		g->fd = open(path.s, O_RDWR | O_CREAT | O_NOCTTY | O_CLOEXEC,
		    0600);
		buf_free(&path);
		if (g->fd == -1) {
			free(real);
			return;
		}
		g->home = real;
		real = NULL;
	}
	free(real);
	g->id = id;
}
