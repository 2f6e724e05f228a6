/*
 * store-watch.c - the watchdog around every database call.
 *
 * When a process is killed inside a Berkeley DB call, the others block
 * for ever on a mutex it held (a dead process must not freeze the
 * others: README, exit status 75; tests/ctl-survive.sh).  The store brackets each call with
 * store_watch_enter()/store_watch_leave(); a thread started by
 * store_watch_start() notices a call that has been inside longer than
 * the bound, runs the program's stall handler and leaves with
 * _exit(STORE_EXIT_STALL).
 *
 * Cost per call: the outermost enter reads CLOCK_MONOTONIC_COARSE (vDSO,
 * no system call) and stores a deadline; leave stores zero.  The thread
 * sleeps on a condition variable without a timeout while nothing is
 * inside, so an idle session never wakes up; the first enter after such
 * a sleep signals it (one futex call), after which it sleeps until the
 * current deadline and looks again.  Nothing here uses signals.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "store.h"

#define STORE_WATCH_DEFAULT	10
#define STORE_WATCH_NS		1000000000LL

static pthread_mutex_t	 store_watch_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 store_watch_cond;
static pthread_t	 store_watch_thread;
static int		 store_watch_started;	/* under the mutex */
static int		 store_watch_stopping;	/* under the mutex */
static int		 store_watch_atfork_done;

static store_stall_fn	 store_watch_fn;	/* under the mutex */
static void		*store_watch_arg;	/* under the mutex */

/* Nanoseconds a call may take; read at each outermost enter. */
static _Atomic int64_t	 store_watch_bound = STORE_WATCH_DEFAULT * STORE_WATCH_NS;
/* Monotonic time the current call must have left by, 0 when outside. */
static _Atomic int64_t	 store_watch_deadline;
/* How deeply calls are nested (only the program's own thread enters). */
static _Atomic int	 store_watch_depth;
/* Set while the thread sleeps without a timeout: enter must wake it. */
static _Atomic int	 store_watch_idle;

/* Read a monotonic clock in nanoseconds. */
static int64_t
store_watch_now(clockid_t clock)
{
	struct timespec	ts;

	if (clock_gettime(clock, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * STORE_WATCH_NS + ts.tv_nsec;
}

/* Append the decimal digits of n to a fixed buffer (no stdio, no malloc). */
static size_t
store_watch_putu(char *p, size_t at, size_t size, unsigned long n)
{
	char	digits[24];
	size_t	nd = 0;

	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n != 0 && nd < sizeof digits);
	while (nd > 0 && at < size)
		p[at++] = digits[--nd];
	return at;
}

/* Append a string to a fixed buffer. */
static size_t
store_watch_puts(char *p, size_t at, size_t size, const char *s)
{
	while (*s != '\0' && at < size)
		p[at++] = *s++;
	return at;
}

/* The call overran: run the handler or say so on fd 2, then leave. */
static void
store_watch_fire(void)
{
	store_stall_fn	 fn;
	void		*arg;
	char		 line[256];
	size_t		 n = 0;
	int64_t		 bound;
	ssize_t		 w;

	fn = store_watch_fn;
	arg = store_watch_arg;
	pthread_mutex_unlock(&store_watch_mutex);

	if (fn != NULL)
		fn(arg);
	else {
		bound = atomic_load(&store_watch_bound) / STORE_WATCH_NS;
		n = store_watch_puts(line, n, sizeof line,
		    "ncen: a database call has not returned for ");
		n = store_watch_putu(line, n, sizeof line, (unsigned long)bound);
		n = store_watch_puts(line, n, sizeof line, " s; another process "
		    "probably died inside the database library; sign in again "
		    "(recovery runs at the next start)\n");
		do
			w = write(2, line, n);
		while (w == -1 && errno == EINTR);
	}
	_exit(STORE_EXIT_STALL);
}

/* The watchdog thread: sleep while outside, else until the deadline. */
static void *
store_watch_main(void *unused)
{
	struct timespec	ts;
	int64_t		d, now;

	pthread_mutex_lock(&store_watch_mutex);
	while (!store_watch_stopping) {
		d = atomic_load(&store_watch_deadline);
		if (d == 0) {
			/*
			 * Announce the sleep, then look again: an enter that
			 * stored its deadline before seeing idle set is seen
			 * here, and one after it signals us under the mutex.
			 */
			atomic_store(&store_watch_idle, 1);
			if (atomic_load(&store_watch_deadline) == 0)
				pthread_cond_wait(&store_watch_cond,
				    &store_watch_mutex);
			atomic_store(&store_watch_idle, 0);
			continue;
		}
		now = store_watch_now(CLOCK_MONOTONIC);
		if (now >= d) {
			/* Still the same call, not a new one that just began? */
			if (atomic_load(&store_watch_deadline) == d)
				store_watch_fire();
			continue;
		}
		ts.tv_sec = d / STORE_WATCH_NS;
		ts.tv_nsec = d % STORE_WATCH_NS;
		pthread_cond_timedwait(&store_watch_cond, &store_watch_mutex,
		    &ts);
	}
	pthread_mutex_unlock(&store_watch_mutex);
	return NULL;
}

/* Before fork: hold the mutex so the child gets it in a known state. */
static void
store_watch_prefork(void)
{
	pthread_mutex_lock(&store_watch_mutex);
}

/* After fork, in the parent: carry on. */
static void
store_watch_postfork_parent(void)
{
	pthread_mutex_unlock(&store_watch_mutex);
}

/* After fork, in the child: the thread did not come along; forget it. */
static void
store_watch_postfork_child(void)
{
	store_watch_started = 0;
	store_watch_stopping = 0;
	atomic_store(&store_watch_idle, 0);
	atomic_store(&store_watch_deadline, 0);
	atomic_store(&store_watch_depth, 0);
	pthread_mutex_unlock(&store_watch_mutex);
}

/* Set the function the watchdog calls before exiting; NULL: the message. */
void
store_set_stall_handler(store_stall_fn fn, void *arg)
{
	pthread_mutex_lock(&store_watch_mutex);
	store_watch_fn = fn;
	store_watch_arg = arg;
	pthread_mutex_unlock(&store_watch_mutex);
}

/* Start the watchdog thread (once) with a bound in seconds, 0: default. */
int
store_watch_start(unsigned seconds, struct ncen_err *err)
{
	pthread_condattr_t	attr;
	int			error;

	if (seconds == 0)
		seconds = STORE_WATCH_DEFAULT;
	atomic_store(&store_watch_bound, (int64_t)seconds * STORE_WATCH_NS);

	pthread_mutex_lock(&store_watch_mutex);
	if (store_watch_started) {
		/* A new bound applies from the next call on. */
		pthread_cond_signal(&store_watch_cond);
		pthread_mutex_unlock(&store_watch_mutex);
		return NCEN_OK;
	}
	if (!store_watch_atfork_done) {
		error = pthread_atfork(store_watch_prefork,
		    store_watch_postfork_parent, store_watch_postfork_child);
		if (error != 0) {
			pthread_mutex_unlock(&store_watch_mutex);
			return ncen_err_set(err, NCEN_EIO,
			    _("watchdog: pthread_atfork: %s"), strerror(error));
		}
		store_watch_atfork_done = 1;
	}
	if ((error = pthread_condattr_init(&attr)) != 0 ||
	    (error = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC)) != 0 ||
	    (error = pthread_cond_init(&store_watch_cond, &attr)) != 0) {
		pthread_mutex_unlock(&store_watch_mutex);
		return ncen_err_set(err, NCEN_EIO,
		    _("watchdog: condition variable: %s"), strerror(error));
	}
	pthread_condattr_destroy(&attr);
	store_watch_stopping = 0;
	error = pthread_create(&store_watch_thread, NULL, store_watch_main,
	    NULL);
	if (error != 0) {
		pthread_cond_destroy(&store_watch_cond);
		pthread_mutex_unlock(&store_watch_mutex);
		return ncen_err_set(err, NCEN_EIO,
		    _("watchdog: cannot start its thread: %s"),
		    strerror(error));
	}
	store_watch_started = 1;
	pthread_mutex_unlock(&store_watch_mutex);
	return NCEN_OK;
}

/* A database call begins; the outermost one arms the deadline. */
void
store_watch_enter(void)
{
	int64_t	d;

	if (atomic_fetch_add_explicit(&store_watch_depth, 1,
	    memory_order_relaxed) != 0)
		return;
	d = store_watch_now(CLOCK_MONOTONIC_COARSE) +
	    atomic_load_explicit(&store_watch_bound, memory_order_relaxed);
	if (d == 0)
		d = 1;
	atomic_store(&store_watch_deadline, d);
	if (atomic_load(&store_watch_idle)) {
		pthread_mutex_lock(&store_watch_mutex);
		if (store_watch_started)
			pthread_cond_signal(&store_watch_cond);
		pthread_mutex_unlock(&store_watch_mutex);
	}
}

/* A database call returned; the outermost one disarms the deadline. */
void
store_watch_leave(void)
{
	int	depth;

	depth = atomic_fetch_sub_explicit(&store_watch_depth, 1,
	    memory_order_relaxed);
	if (depth <= 1) {
		if (depth < 1)	/* unbalanced leave: stay at zero */
			atomic_store_explicit(&store_watch_depth, 0,
			    memory_order_relaxed);
		atomic_store_explicit(&store_watch_deadline, 0,
		    memory_order_release);
	}
}

/* Stop the watchdog thread and wait for it; calls are no longer bounded. */
void
store_watch_stop(void)
{
	pthread_t	t;

	pthread_mutex_lock(&store_watch_mutex);
	if (!store_watch_started) {
		pthread_mutex_unlock(&store_watch_mutex);
		return;
	}
	store_watch_stopping = 1;
	pthread_cond_signal(&store_watch_cond);
	t = store_watch_thread;
	pthread_mutex_unlock(&store_watch_mutex);

	pthread_join(t, NULL);

	pthread_mutex_lock(&store_watch_mutex);
	pthread_cond_destroy(&store_watch_cond);
	store_watch_started = 0;
	store_watch_stopping = 0;
	atomic_store(&store_watch_idle, 0);
	pthread_mutex_unlock(&store_watch_mutex);
}
