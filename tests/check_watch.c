/* check_watch.c - the watchdog around database calls (store-watch.c). */
#include <sys/wait.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

static char	*watch_marker;		/* file the stall handler writes */
static char	 watch_spooled[] = "spooled";

/* Seconds on the monotonic clock. */
static double
watch_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleep for a number of seconds, carrying on through interruptions. */
static void
watch_sleep(double s)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0)
		;
}

/* A stall handler that does nothing: the exit status says enough. */
static void
watch_quiet(void *arg)
{
}

/* Start the watchdog or fail the test. */
static void
watch_start(unsigned seconds)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_int_eq(store_watch_start(seconds, &err), NCEN_OK);
	ncen_err_free(&err);
}

/* The stall handler: leave a mark where the test can see it. */
static void
watch_handler(void *arg)
{
	int	fd;

	fd = open(watch_marker, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1)
		return;
	if (write(fd, arg, strlen(arg)) == -1)
		_exit(99);
	close(fd);
}

/* A call that overruns: never returns when the watchdog works. */
static void
watch_stall(double seconds)
{
	store_watch_enter();
	watch_sleep(seconds);
	store_watch_leave();
}

/* Run fn in a child; its exit status, or -1 for a signal, and how long. */
static int
watch_child(void (*fn)(void), double *elapsed)
{
	double	start = watch_now();
	pid_t	pid;
	int	status;

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		fn();
		_exit(0);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	*elapsed = watch_now() - start;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Child body: handler set, bound 1 s, a 5 s call. */
static void
watch_body_handler(void)
{
	store_set_stall_handler(watch_handler, watch_spooled);
	watch_start(1);
	watch_stall(5);
}

/* Child body: no handler, stderr to the marker file, a 5 s call. */
static void
watch_body_message(void)
{
	int	fd;

	fd = open(watch_marker, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd == -1 || dup2(fd, 2) == -1)
		_exit(98);
	close(fd);
	store_set_stall_handler(NULL, NULL);
	watch_start(1);
	watch_stall(5);
}

/* Make a fresh marker path in a fresh directory. */
static char *
watch_marker_new(void)
{
	struct buf	 b = BUF_INIT;
	char		*dir = test_tmpdir();

	buf_addf(&b, "%s/marker", dir);
	free(dir);
	return buf_detach(&b);
}

/* Remove the marker and its directory. */
static void
watch_marker_free(char *path)
{
	char	*slash = strrchr(path, '/');

	unlink(path);
	*slash = '\0';
	test_rmdir(path);
	free(path);
}

/* A call past the bound exits 75 (exit test). */
START_TEST(test_stall_exits)
{
	watch_marker = xstrdup("/dev/null");
	watch_body_handler();
	ck_abort_msg("the watchdog did not fire");
}
END_TEST

/*
 * Run a body that works for at least quiet seconds without overrunning
 * the 1 s bound, then stalls: the watchdog must fire once, at the stall
 * (not before: the handler's mark and the time say so).
 */
static void
watch_quiet_then_stall(void (*body)(void), double quiet)
{
	double	 elapsed;
	char	*got;
	int	 st;

	watch_marker = watch_marker_new();
	st = watch_child(body, &elapsed);
	ck_assert_int_eq(st, STORE_EXIT_STALL);
	got = test_read_file(watch_marker, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "spooled");
	ck_assert_msg(elapsed >= quiet + 0.9 && elapsed < quiet + 3.0,
	    "fired after %.2f s: want the stall's, after %.1f s and the "
	    "1 s bound", elapsed, quiet);
	free(got);
	watch_marker_free(watch_marker);
}

/* A call past the bound runs the handler, then exits 75, on time. */
START_TEST(test_stall_handler)
{
	watch_quiet_then_stall(watch_body_handler, 0.0);
}
END_TEST

/* With no handler, one line on fd 2 says what happened, then exit 75. */
START_TEST(test_stall_message)
{
	double	 elapsed;
	char	*got;
	int	 st;

	watch_marker = watch_marker_new();
	st = watch_child(watch_body_message, &elapsed);
	ck_assert_int_eq(st, STORE_EXIT_STALL);
	got = test_read_file(watch_marker, NULL);
	ck_assert_ptr_nonnull(got);
	ck_assert_str_eq(got, "ncen: a database call has not returned for 1 s; "
	    "another process probably died inside the database library; "
	    "sign in again (recovery runs at the next start)\n");
	free(got);
	watch_marker_free(watch_marker);
}
END_TEST

/* An inner leave does not end the outer call: it still gets caught. */
START_TEST(test_nested_outer_fires)
{
	store_set_stall_handler(watch_quiet, NULL);
	watch_start(1);
	store_watch_enter();
	store_watch_enter();
	store_watch_leave();
	watch_sleep(5);
	ck_abort_msg("the watchdog did not fire inside the outer call");
}
END_TEST

/* Child body: balanced nesting, short nested calls, then a stall. */
static void
watch_body_nested(void)
{
	double	end;

	store_set_stall_handler(watch_handler, watch_spooled);
	watch_start(1);
	store_watch_enter();
	store_watch_enter();
	watch_sleep(0.2);
	store_watch_leave();
	store_watch_leave();
	watch_sleep(1.5);
	end = watch_now() + 1.2;
	while (watch_now() < end) {
		store_watch_enter();
		store_watch_enter();
		watch_sleep(0.001);
		store_watch_leave();
		store_watch_leave();
	}
	watch_stall(5);
}

/* Child body: 2.5 s outside any call, then a stall. */
static void
watch_body_idle(void)
{
	store_set_stall_handler(watch_handler, watch_spooled);
	watch_start(1);
	watch_sleep(2.5);
	watch_stall(5);
}

/* Child body: 2 s of calls each under the bound, then a stall. */
static void
watch_body_short(void)
{
	double		end;
	unsigned long	n = 0;

	store_set_stall_handler(watch_handler, watch_spooled);
	watch_start(1);
	end = watch_now() + 2;
	while (watch_now() < end) {
		store_watch_enter();
		if (n++ % 1000 == 0)
			watch_sleep(0.3);
		store_watch_leave();
	}
	watch_stall(5);
}

/* Balanced nesting leaves nothing armed; nested short calls are fine. */
START_TEST(test_nested_balanced)
{
	watch_quiet_then_stall(watch_body_nested, 2.9);
}
END_TEST

/* Outside any call, the watchdog never fires, however long it waits. */
START_TEST(test_idle_never_fires)
{
	watch_quiet_then_stall(watch_body_idle, 2.5);
}
END_TEST

/* Many short calls, each well under the bound, add up to no stall. */
START_TEST(test_short_calls)
{
	watch_quiet_then_stall(watch_body_short, 2.0);
}
END_TEST

/* A second start changes the bound; the next call uses it. */
START_TEST(test_rebound)
{
	store_set_stall_handler(watch_quiet, NULL);
	watch_start(1);
	watch_start(3);
	watch_stall(1.6);
	watch_start(1);
	watch_stall(5);
	ck_abort_msg("the lowered bound did not apply");
}
END_TEST

/* After stop nothing is bounded; a new start works again. */
START_TEST(test_stop_restart)
{
	store_set_stall_handler(watch_quiet, NULL);
	watch_start(1);
	store_watch_stop();
	store_watch_stop();
	watch_stall(1.5);
	watch_start(1);
	watch_stall(5);
	ck_abort_msg("the restarted watchdog did not fire");
}
END_TEST

/* The suite: exit tests for the fatal path, plain ones for the rest. */
static Suite *
watch_suite(void)
{
	Suite	*s = suite_create("watch");
	TCase	*tc = tcase_create("watch");

	tcase_set_timeout(tc, 15);
	tcase_add_exit_test(tc, test_stall_exits, STORE_EXIT_STALL);
	tcase_add_test(tc, test_stall_handler);
	tcase_add_test(tc, test_stall_message);
	tcase_add_exit_test(tc, test_nested_outer_fires, STORE_EXIT_STALL);
	tcase_add_test(tc, test_nested_balanced);
	tcase_add_test(tc, test_idle_never_fires);
	tcase_add_test(tc, test_short_calls);
	tcase_add_exit_test(tc, test_rebound, STORE_EXIT_STALL);
	tcase_add_exit_test(tc, test_stop_restart, STORE_EXIT_STALL);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(watch_suite());
}
