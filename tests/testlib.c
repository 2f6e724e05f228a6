/* testlib.c - what every check program shares. */
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>

#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

/* Run a suite; exit status 0 when every test passed. */
int
test_run(Suite *s)
{
	SRunner	*sr = srunner_create(s);
	int	 failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

/* Make a fresh temporary directory; the caller frees the name. */
char *
test_tmpdir(void)
{
	struct buf	 b = BUF_INIT;
	const char	*t = getenv("TMPDIR");

	buf_addf(&b, "%s/ncen-test.XXXXXX", t != NULL && *t != '\0' ? t : "/tmp");
	if (mkdtemp(b.s) == NULL) {
		perror("mkdtemp");
		abort();
	}
	return buf_detach(&b);
}

/* Remove one file or directory met by nftw, depth first. */
static int
test_rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	if (remove(path) != 0 && errno != ENOENT)
		perror(path);
	return 0;
}

/*
 * Remove the shared memory segments of a data directory, which
 * processes a test killed leave behind: its __db.001 names the first
 * by its id (after two words), whose key is the base of its slot's 64
 * keys (src/store-space.c).
 */
static void
test_shm_clean(const char *dir)
{
	struct buf	 path = BUF_INIT;
	struct shmid_ds	 ds;
	unsigned char	 ref[4097];		/* a reference, not a region */
	FILE		*f;
	key_t		 base;
	size_t		 n;
	int		 id = -1, i;

	buf_addf(&path, "%s/__db.001", dir);
	f = fopen(path.s, "rb");
	buf_free(&path);
	if (f == NULL)
		return;
	n = fread(ref, 1, sizeof ref, f);
	if (n >= 2 * sizeof(uintptr_t) + sizeof id && n < sizeof ref)
		memcpy(&id, ref + 2 * sizeof(uintptr_t), sizeof id);
	fclose(f);
	if (id == -1 || shmctl(id, IPC_STAT, &ds) != 0)
		return;
	base = ds.shm_perm.__key;
	for (i = 0; i < 64; i++)
		if ((id = shmget(base + i, 0, 0)) != -1)
			(void)shmctl(id, IPC_RMID, NULL);
}

/* Remove a directory tree (a data directory's segments too). */
void
test_rmdir(const char *dir)
{
	if (dir == NULL)
		return;
	test_shm_clean(dir);
	nftw(dir, test_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* A path inside the source tree; the caller frees it. */
char *
test_path(const char *rel)
{
	struct buf	 b = BUF_INIT;
	const char	*top = getenv("top_srcdir");

	buf_addf(&b, "%s/%s", top != NULL ? top : ".", rel);
	return buf_detach(&b);
}

/* A path inside the build tree; the caller frees it. */
char *
test_builddir_path(const char *rel)
{
	struct buf	 b = BUF_INIT;
	const char	*top = getenv("top_builddir");

	buf_addf(&b, "%s/%s", top != NULL ? top : ".", rel);
	return buf_detach(&b);
}

/* A whole file, NUL-terminated; NULL when it cannot be read. */
char *
test_read_file(const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	size_t		 n;
	FILE		*f = fopen(path, "rb");

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len != NULL)
		*len = b.len;
	return buf_detach(&b);
}

/* A fresh data directory with the build tree's forms, its store open. */
void
test_store_open(char **home, struct schema **schema, struct store **store)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	char			*dir = test_builddir_path("forms");

	*home = test_tmpdir();
	ck_assert_msg(schema_load_dir(dir, schema, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	memset(&o, 0, sizeof o);
	o.home = *home;
	o.create = 1;
	o.nosync = 1;
	ck_assert_msg(store_open(&o, *schema, store, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	free(dir);
	ncen_err_free(&err);
}

/* Close a store made by test_store_open() and remove its directory. */
void
test_store_close(char *home, struct schema *schema, struct store *store)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_msg(store_close(store, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	schema_free(schema);
	test_rmdir(home);
	free(home);
	ncen_err_free(&err);
}
