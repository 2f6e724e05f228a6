/*
 * testlib.h - what every check program shares.
 *
 * test_run() runs a suite with the output chosen by the environment
 * (TAP under `make check`) and returns the exit status.  test_tmpdir()
 * makes a fresh directory under $TMPDIR (or /tmp) that the caller owns
 * and removes with test_rmdir().  test_path() joins the source tree's
 * top with a relative path ("tests/fixtures/forms"); test_builddir_path()
 * joins the build tree's top ($top_builddir, set by `make check`), where
 * what the build makes lives: the complete forms directory is
 * test_builddir_path("forms").
 */
#ifndef NCEN_TESTLIB_H
#define NCEN_TESTLIB_H

#include <check.h>

struct schema;
struct store;

int	 test_run(Suite *);
char	*test_tmpdir(void);
void	 test_rmdir(const char *);
char	*test_path(const char *);
char	*test_builddir_path(const char *);
char	*test_read_file(const char *, size_t *);
void	 test_store_open(char **, struct schema **, struct store **);
void	 test_store_close(char *, struct schema *, struct store *);

#endif
