/*
 * store-wake.c - the named pipe that wakes the Icomm uploader when an
 * outbox entry was committed (see store-wake.h).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "store-int.h"
#include "store-wake.h"

/* The pipe's path in a data directory. */
static void
store_wake_path(struct buf *b, const char *home)
{
	buf_addf(b, "%s/%s", home, STORE_WAKE_FILE);
}

/* Mark the transaction: the uploader is to be woken once it commits. */
void
store_txn_wake(struct store_txn *t)
{
	t->wake = 1;
}

/*
 * Write one byte into the pipe without waiting: no uploader (ENXIO), no
 * pipe (ENOENT) or a pipe already full (EAGAIN) all mean there is
 * nothing more to do.
 */
void
store_wake_poke(const char *home)
{
	struct buf	path = BUF_INIT;
	ssize_t		w;
	int		fd;

	store_wake_path(&path, home);
	if ((fd = open(buf_cstr(&path), O_WRONLY | O_NONBLOCK | O_CLOEXEC)) !=
	    -1) {
		w = write(fd, "!", 1);	/* a failure is one of the above */
		(void)w;
		(void)close(fd);
	}
	buf_free(&path);
}

/*
 * Make the pipe (0600) if it is not there, and open it for reading
 * without waiting for a writer.  It is opened read-write so that this
 * process is always a writer too: otherwise, once a poker closes it,
 * poll would report a hang-up on every call.
 */
int
store_wake_open(const char *home, int *fd, struct ncen_err *err)
{
	struct buf	path = BUF_INIT;
	struct stat	sb;
	int		error = NCEN_OK;

	*fd = -1;
	store_wake_path(&path, home);
	if (mkfifo(buf_cstr(&path), 0600) == -1 && errno != EEXIST)
		error = ncen_err_set(err, NCEN_EIO, "%s: cannot make the "
		    "wake-up pipe: %s", buf_cstr(&path), strerror(errno));
	else if ((*fd = open(buf_cstr(&path), O_RDWR | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		error = ncen_err_set(err, NCEN_EIO, "%s: %s",
		    buf_cstr(&path), strerror(errno));
	else if (fstat(*fd, &sb) == -1 || !S_ISFIFO(sb.st_mode)) {
		error = ncen_err_set(err, NCEN_EIO, "%s: is not a named "
		    "pipe; remove it", buf_cstr(&path));
		(void)close(*fd);
		*fd = -1;
	}
	buf_free(&path);
	return error;
}

/* Read whatever the pokers wrote. */
static void
store_wake_drain(int fd)
{
	char	b[64];

	while (read(fd, b, sizeof b) > 0)
		;
}

/*
 * Wait until poked, *stop is set or seconds pass, looking at *stop at
 * least every tenth of a second (a signal may not interrupt poll).
 */
int
store_wake_wait(int fd, unsigned seconds, volatile sig_atomic_t *stop)
{
	struct pollfd	p;
	unsigned long	slices;

	for (slices = (unsigned long)seconds * 10; slices > 0; slices--) {
		if (stop != NULL && *stop)
			return 0;
		memset(&p, 0, sizeof p);
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 100) > 0 && (p.revents & POLLIN) != 0) {
			store_wake_drain(fd);
			return 1;
		}
	}
	return 0;
}
