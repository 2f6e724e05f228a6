/*
 * store-space.c - disk space and the environment's shared regions.
 *
 * Two things keep a full disk from breaking a data directory.  The
 * reserve (store-space.h) refuses new work while some space is still
 * free, so that log records and database pages always find room.  And
 * the environment's regions are not files: Berkeley DB would make its
 * __db.00* files sparse and map them, and a page first written into a
 * hole when the disk is full kills the process with SIGBUS.
 *
 * The regions live in System V shared memory (DB_SYSTEM_MEM), where a
 * full disk cannot reach them and where the decrypted pages of an
 * encrypted directory (the cache) and its key never touch the disk;
 * __db.001 only names the first segment.  The segments' base key comes
 * from the directory's device and inode, then the first slot with no
 * segment at all, so that two data directories never take each
 * other's (Berkeley DB deletes a segment it finds where it creates
 * one); the processes that join read the key from __db.001.  The last
 * process to close removes the segments, so that nothing outlives the
 * processes; after a crash, the next open (DB_REGISTER) recovers and
 * makes them anew.  A lock file keeps that removal and the opens apart.
 * Region files made by an older ncen are removed at the next open that
 * finds no process using them; until then they are allocated whole.
 */
#include <sys/file.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/types.h>

#include <ctype.h>
#include <db.h>
#include <signal.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store-int.h"
#include "store-space.h"
#include "store.h"

#define STORE_SPACE_DEFAULT	(64ULL * 1024 * 1024)	/* reserve bytes */
#define STORE_SPACE_FILE	"reserve"	/* DIR/reserve */
#define STORE_SPACE_ENV		"NCEN_RESERVE"
#define STORE_SPACE_LINE	64		/* bytes read of DIR/reserve */
#define STORE_SHM_BASE		0x10000000L	/* lowest base key */
#define STORE_SHM_SLOTS		0x00c00000L	/* base keys to choose from */
#define STORE_SHM_SPAN		64		/* keys per slot (regions) */
#define STORE_SHM_PROBES	32		/* slots tried before giving up */
#define STORE_SHM_REF_MAX	4096		/* __db.001 naming a segment */
#define STORE_SHM_REF_SIZE	(2 * sizeof(uintptr_t) + sizeof(int))
#define STORE_SHM_SWEEP		4		/* slots swept for orphans */
#define STORE_SHM_WAIT_MS	5000		/* longest wait for a removal */
#define STORE_CLOSE_LOCK	".close.lock"	/* closes take turns */
#define STORE_CLOSE_WAIT_MS	5000		/* longest wait for a close */

/* The suffixes of a reserve and their multipliers. */
static const struct {
	char		c;
	uint64_t	mult;
} store_space_units[] = {
	{ 'K', 1ULL << 10 },
	{ 'M', 1ULL << 20 },
	{ 'G', 1ULL << 30 },
	{ 'T', 1ULL << 40 },
};

/* Parse a reserve ("64M", "5%", "0") against a file system's size. */
static int
store_space_parse(const char *s, uint64_t fs_bytes, uint64_t *out)
{
	unsigned long long	 v;
	char			*end;
	size_t			 i;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end == '%') {
		if (v > 100)
			return -1;
		*out = fs_bytes / 100 * v;
		end++;
	} else {
		*out = v;
		for (i = 0; i < sizeof store_space_units /
		    sizeof store_space_units[0]; i++)
			if (toupper((unsigned char)*end) ==
			    store_space_units[i].c) {
				if (v > UINT64_MAX / store_space_units[i].mult)
					return -1;
				*out = v * store_space_units[i].mult;
				end++;
				if (toupper((unsigned char)*end) == 'B')
					end++;
				break;
			}
	}
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0' ? 0 : -1;
}

/* Add a size in words a person reads ("63.9 MB"). */
static void
store_space_human(struct buf *b, uint64_t n)
{
	if (n >= 1ULL << 30)
		buf_addf(b, "%.1f GB", (double)n / (1ULL << 30));
	else if (n >= 1ULL << 20)
		buf_addf(b, "%.1f MB", (double)n / (1ULL << 20));
	else if (n >= 1ULL << 10)
		buf_addf(b, "%.1f KB", (double)n / (1ULL << 10));
	else
		buf_addf(b, "%" PRIu64 " bytes", n);
}

/* Read the first line of DIR/reserve into line; 0 if there is none. */
static int
store_space_file(const char *home, char *line, size_t size)
{
	struct buf	path = BUF_INIT;
	ssize_t		n;
	int		fd;

	buf_addf(&path, "%s/%s", home, STORE_SPACE_FILE);
	fd = open(path.s, O_RDONLY | O_NOCTTY);
	buf_free(&path);
	if (fd == -1)
		return 0;
	do
		n = read(fd, line, size - 1);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return 1;
}

/* Read the reserve of the store's data directory (store_open calls it). */
int
store_space_open(struct store *st, struct ncen_err *err)
{
	struct statvfs	 vfs;
	char		 line[STORE_SPACE_LINE];
	const char	*v, *from;
	uint64_t	 fs_bytes = 0;

	st->reserve = STORE_SPACE_DEFAULT;
	st->space_exempt = 0;
	if (statvfs(st->home, &vfs) == 0)
		fs_bytes = (uint64_t)vfs.f_blocks * vfs.f_frsize;
	if ((v = getenv(STORE_SPACE_ENV)) != NULL && *v != '\0')
		from = STORE_SPACE_ENV;
	else if (store_space_file(st->home, line, sizeof line)) {
		v = line;
		from = STORE_SPACE_FILE;
	} else
		return NCEN_OK;
	if (store_space_parse(v, fs_bytes, &st->reserve) != 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: the disk reserve "
		    "'%s' (from %s) is not a size: give bytes with K, M or G, "
		    "a percentage such as 5%%, or 0"), st->home, v,
		    from);
	return NCEN_OK;
}

/* NCEN_OK when need more bytes leave the reserve free, else NCEN_ESPACE. */
int
store_space_check(struct store *st, uint64_t need, struct ncen_err *err)
{
	struct statvfs	 vfs;
	struct buf	 avail = BUF_INIT, reserve = BUF_INIT;
	uint64_t	 free_bytes;
	int		 error = NCEN_OK;

	if (st->reserve == 0 || st->space_exempt)
		return NCEN_OK;
	if (statvfs(st->home, &vfs) != 0)
		return NCEN_OK;		/* cannot tell: Berkeley DB will say */
	free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	if (free_bytes >= st->reserve && free_bytes - st->reserve >= need)
		return NCEN_OK;
	store_space_human(&avail, free_bytes);
	store_space_human(&reserve, st->reserve);
	if (free_bytes < st->reserve)
		error = ncen_err_set(err, NCEN_ESPACE, _("%s: the disk is "
		    "nearly full: %s free, below the reserve of %s; nothing "
		    "was changed: free some space (or lower the reserve, "
		    "NCEN_RESERVE or %s/%s) and try again"), st->home,
		    buf_cstr(&avail), buf_cstr(&reserve), st->home,
		    STORE_SPACE_FILE);
	else {
		buf_reset(&avail);
		store_space_human(&avail, free_bytes);
		buf_adds(&avail, _(" free, "));
		store_space_human(&avail, need);
		error = ncen_err_set(err, NCEN_ESPACE, _("%s: not enough disk "
		    "space: %s needed, and the reserve of %s must stay "
		    "free; nothing was changed: free some space (or lower "
		    "the reserve, NCEN_RESERVE or %s/%s) and try again"),
		    st->home, buf_cstr(&avail), buf_cstr(&reserve), st->home,
		    STORE_SPACE_FILE);
	}
	buf_free(&avail);
	buf_free(&reserve);
	return error;
}

/*
 * Before a transaction's first record or link: the reserve, once.  A
 * reserve of at least STORE_EARLY_RESERVE that was free also says that
 * the log has room: store-txn.c may then commit before the sync.
 */
int
store_space_txn(struct store_txn *t, struct ncen_err *err)
{
	int	error;

	if (t->space_ok)
		return NCEN_OK;
	if ((error = store_space_check(t->st, 0, err)) == NCEN_OK) {
		t->space_ok = 1;
		t->roomy = !t->st->space_exempt &&
		    t->st->reserve >= STORE_EARLY_RESERVE;
	}
	return error;
}

/* Let (on != 0) the store's transactions use the reserve, or stop. */
void
store_space_exempt(struct store *st, int on)
{
	if (on)
		st->space_exempt++;
	else if (st->space_exempt > 0)
		st->space_exempt--;
}

/* The reserve in bytes, as read when the store opened. */
uint64_t
store_space_reserve(const struct store *st)
{
	return st->reserve;
}

/* Berkeley DB's words while removing regions: not for anyone. */
static void
store_space_quiet(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	(void)pfx;
	(void)msg;
}

/* The size of DIR/__db.001, or -1 when there is none. */
static off_t
store_space_primary(const char *home)
{
	struct buf	path = BUF_INIT;
	struct stat	sb;
	off_t		size = -1;

	buf_addf(&path, "%s/__db.001", home);
	if (stat(path.s, &sb) == 0)
		size = sb.st_size;
	buf_free(&path);
	return size;
}

/*
 * Take the lock that keeps opens and the last close's removal apart:
 * shared to open, exclusive to remove (without waiting) or to clear a
 * stale reference (waiting).  Waiters wait at most STORE_SHM_WAIT_MS,
 * then go on without it (Berkeley DB then answers a panic, and
 * store_open tries again).  -1 when it is not held.
 */
static int
store_space_lock(const char *home, int exclusive, int waitit)
{
	struct buf	path = BUF_INIT;
	int		fd, i;

	buf_addf(&path, "%s/%s", home, STORE_SHM_LOCK);
	fd = open(path.s, O_RDWR | O_CREAT | O_NOCTTY | O_CLOEXEC, 0600);
	buf_free(&path);
	if (fd == -1)
		return -1;
	for (i = 0; i < STORE_SHM_WAIT_MS; i++) {
		if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR)
			break;
		if (!waitit)
			break;
		usleep(1000);
	}
	close(fd);
	return -1;
}

/* Remove an environment's regions unless a process still uses them. */
static int
store_space_remove(const char *home)
{
	DB_ENV	*env;
	int	 ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return ret;
	env->set_errcall(env, store_space_quiet);
	return env->remove(env, home, 0);	/* EBUSY: in use */
}

/* Whether no shared memory segment has one of a slot's keys. */
static int
store_space_slot_free(long base)
{
	int	i;

	for (i = 0; i < STORE_SHM_SPAN; i++)
		if (shmget((key_t)(base + i), 0, 0) != -1 || errno != ENOENT)
			return 0;
	return 1;
}

/*
 * The segment id __db.001 names (libdb 5.3's REGENV_REF: two offsets,
 * then the id), or -1.
 */
static int
store_space_ref_id(const char *home)
{
	struct buf	path = BUF_INIT;
	unsigned char	ref[STORE_SHM_REF_SIZE];
	int		fd, id = -1;
	ssize_t		n;

	buf_addf(&path, "%s/__db.001", home);
	fd = open(path.s, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	buf_free(&path);
	if (fd == -1)
		return -1;
	n = read(fd, ref, sizeof ref);
	close(fd);
	if (n == (ssize_t)sizeof ref)
		memcpy(&id, ref + 2 * sizeof(uintptr_t), sizeof id);
	return id;
}

/* The segment id DIR/__db.001 names, or -1 (store-gate.c checks it). */
int
store_space_ref(const char *home)
{
	return store_space_ref_id(home);
}

/*
 * Whether __db.001 names regions no process uses: a segment that is
 * gone, or one nobody is attached to.  Every process in an environment
 * stays attached to its first segment, so such regions are left over:
 * from a process killed while, as the last one out, it removed them
 * (the segments go before __db.001), or killed with nobody left beside
 * it.  When its registry names no dead process, libdb would not recover
 * them and every open would fail ("shmat: ... Invalid argument", or a
 * panic that stays); *base gets the segments' base key, or -1.
 */
static int
store_space_ref_unused(const char *home, long *base)
{
	struct shmid_ds	ds;
	int		id;

	*base = -1;
	if (store_space_primary(home) > STORE_SHM_REF_MAX ||
	    (id = store_space_ref_id(home)) == -1)
		return 0;		/* none, or region files (older ncen) */
	if (shmctl(id, IPC_STAT, &ds) == -1)
		return errno == EINVAL || errno == EIDRM;
	*base = (long)ds.shm_perm.__key;
	return ds.shm_nattch == 0;
}

/*
 * Clear regions no process uses (store_space_ref_unused), under the lock
 * held exclusively so that no open is under way: their segments go, and
 * __db.001 with the registry, so that the next open makes the regions
 * anew and runs recovery first (libdb recovers when it makes the
 * registry).
 */
static void
store_space_unstale(const char *home)
{
	struct buf	path = BUF_INIT;
	struct shmid_ds	ds;
	long		base;
	int		fd, i, id;

	if ((fd = store_space_lock(home, 1, 1)) == -1)
		return;
	if (store_space_ref_unused(home, &base)) {
		for (i = 0; base != -1 && i < STORE_SHM_SPAN; i++)
			if ((id = shmget((key_t)(base + i), 0, 0)) != -1 &&
			    shmctl(id, IPC_STAT, &ds) == 0 &&
			    ds.shm_nattch == 0)
				(void)shmctl(id, IPC_RMID, NULL);
		buf_addf(&path, "%s/__db.register", home);
		(void)unlink(path.s);
		buf_reset(&path);
		buf_addf(&path, "%s/__db.001", home);
		(void)unlink(path.s);
		buf_free(&path);
	}
	close(fd);
}

/*
 * Remove the segments of a slot left by a process killed while it made
 * an environment (before __db.001 named them): nobody attached, their
 * creator dead, and not the ones __db.001 names.
 */
static void
store_space_sweep(long base, int named)
{
	struct shmid_ds	ds;
	int		i, id, ids[STORE_SHM_SPAN], n = 0;

	if ((id = shmget((key_t)base, 0, 0)) == -1 || id == named)
		return;
	for (i = 0; i < STORE_SHM_SPAN; i++) {
		if ((id = shmget((key_t)(base + i), 0, 0)) == -1)
			continue;
		if (shmctl(id, IPC_STAT, &ds) != 0 || ds.shm_nattch != 0 ||
		    kill(ds.shm_cpid, 0) == 0 || errno != ESRCH)
			return;
		ids[n++] = id;
	}
	for (i = 0; i < n; i++)
		(void)shmctl(ids[i], IPC_RMID, NULL);
}

/*
 * The base key of a data directory's segments, or -1 if none is free;
 * orphans met on the way go.
 */
static long
store_space_shm_key(const char *home)
{
	struct stat	sb;
	uint64_t	h;
	long		slot, base, found = -1;
	int		i, named;

	if (stat(home, &sb) != 0)
		return -1;
	named = store_space_ref_id(home);
	h = (uint64_t)sb.st_dev * 0x9e3779b97f4a7c15ULL ^
	    (uint64_t)sb.st_ino * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 31;
	slot = (long)(h % (uint64_t)STORE_SHM_SLOTS);
	for (i = 0; i < STORE_SHM_PROBES; i++) {
		base = STORE_SHM_BASE + ((slot + (long)i * 7919) %
		    STORE_SHM_SLOTS) * STORE_SHM_SPAN;
		store_space_sweep(base, named);
		if (found == -1 && store_space_slot_free(base))
			found = base;
		if (found != -1 && i >= STORE_SHM_SWEEP)
			break;
	}
	return found;
}

/*
 * A close whose checkpoint failed (a full disk) may leave committed
 * pages in the shared cache only, their log records on disk: the last
 * process out leaves the regions (store_space_env_release is not
 * called) and this file says so.  Nobody uses them then, so the next
 * open finds them stale (store_space_ref_unused), clears them and
 * recovers, which writes those pages from the log; joining them would
 * also take over a log buffer whose write failed, which Berkeley DB
 * does not get over.  A checkpoint that succeeds removes the file.
 */
#define STORE_SPACE_PENDING	"checkpoint.pending"

/* Note, or forget (done), that a checkpoint is owed (see above). */
void
store_space_pending(const char *home, int done)
{
	struct buf	path = BUF_INIT;
	int		fd;

	buf_addf(&path, "%s/%s", home, STORE_SPACE_PENDING);
	if (done)
		(void)unlink(path.s);
	else if ((fd = open(path.s, O_WRONLY | O_CREAT | O_CLOEXEC,
	    0600)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	buf_free(&path);
}

/*
 * Before the environment opens: its regions go to shared memory, and
 * the open waits for a removal under way (se->lockfd, released by
 * store_space_env_done), holding the lock exclusively when it will
 * recover, so that no write of another process is under way meanwhile
 * (store-gate.c).  Region files left by an older ncen go first if no
 * process uses them; if one does, the open joins them as they are (and
 * store_space_env_done allocates them whole).
 */
int
store_space_env_config(DB_ENV *env, const char *home, u_int32_t *flags,
    struct store_space_env *se, struct ncen_err *err)
{
	long	key;
	int	ret;

	se->shmkey = -1;
	store_gate_install();
	store_gate_set(home, -1);	/* joined anew: not checked yet */
	if (store_space_ref_unused(home, &key))
		store_space_unstale(home);
	se->exclusive = store_gate_recovers(home);
	se->lockfd = store_space_lock(home, se->exclusive, 1);
	if (se->lockfd == -1)
		se->exclusive = 0;
	store_gate_hold(se->exclusive);
	if (store_space_primary(home) > STORE_SHM_REF_MAX &&
	    store_space_remove(home) != 0)
		return NCEN_OK;
	if ((key = store_space_shm_key(home)) == -1)
		return ncen_err_set(err, NCEN_EDB, _("%s: no free System V "
		    "shared memory key for the environment's regions (see "
		    "ipcs -m)"), home);
	if ((ret = env->set_shm_key(env, key)) != 0)
		return ncen_err_set(err, NCEN_EDB, "%s: set_shm_key: %s",
		    home, db_strerror(ret));
	*flags |= DB_SYSTEM_MEM;
	se->shmkey = key;
	return NCEN_OK;
}

/*
 * Remove the segments a failed open made and left behind (libdb 5.3
 * removes __db.001 after a wrong key, but neither the segments it
 * names nor its own mappings of them): the slot was free before the
 * open, and nobody else has attached to them since.
 */
static void
store_space_orphans(long base)
{
	struct shmid_ds	ds;
	pid_t		self = getpid();
	int		i, id;

	for (i = 0; i < STORE_SHM_SPAN; i++)
		if ((id = shmget((key_t)(base + i), 0, 0)) != -1 &&
		    shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_nattch == 0 ||
		    (ds.shm_cpid == self && ds.shm_lpid == self)))
			(void)shmctl(id, IPC_RMID, NULL);
}

/* Allocate one region file whole; an errno value, or 0. */
static int
store_space_alloc(const char *path)
{
	struct stat	sb;
	int		fd, error = 0;

	if ((fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : errno;
	if (fstat(fd, &sb) != 0)
		error = errno;
	/* Mode 0 keeps what is written and fills only the holes. */
	else if (sb.st_size > 0 && (uint64_t)sb.st_blocks * 512 <
	    (uint64_t)sb.st_size && fallocate(fd, 0, 0, sb.st_size) != 0)
		error = errno;
	close(fd);
	return error == EOPNOTSUPP ? 0 : error;
}

/* Allocate region files (__db.001, __db.002, ...) whole. */
static int
store_space_files(const char *home, struct ncen_err *err)
{
	struct buf	 path = BUF_INIT, avail = BUF_INIT;
	struct statvfs	 vfs;
	DIR		*d;
	struct dirent	*de;
	int		 e = 0, error = NCEN_OK;

	if ((d = opendir(home)) == NULL)
		return ncen_err_set(err, NCEN_EIO, "%s: %s", home,
		    strerror(errno));
	while ((de = readdir(d)) != NULL && e == 0) {
		if (strncmp(de->d_name, "__db.", 5) != 0 ||
		    strlen(de->d_name) != 8 ||
		    !isdigit((unsigned char)de->d_name[5]))
			continue;
		buf_reset(&path);
		buf_addf(&path, "%s/%s", home, de->d_name);
		e = store_space_alloc(path.s);
	}
	closedir(d);
	if (e == ENOSPC || e == EDQUOT) {
		if (statvfs(home, &vfs) == 0)
			store_space_human(&avail,
			    (uint64_t)vfs.f_bavail * vfs.f_frsize);
		error = ncen_err_set(err, NCEN_ESPACE, _("%s: the disk is "
		    "full (%s free): no room for the environment's region "
		    "file %s; free some space and try again"), home,
		    avail.len != 0 ? buf_cstr(&avail) : "?", path.s);
	} else if (e != 0)
		error = ncen_err_set(err, NCEN_EIO, _("%s: allocating the "
		    "region file %s: %s"), home, path.s, strerror(e));
	buf_free(&path);
	buf_free(&avail);
	return error;
}

/*
 * After the environment opened (or failed to): release the lock of
 * store_space_env_config, removing what a failed open left; regions that are files after all (joined
 * from an older ncen) are allocated whole, so that writing into them
 * never needs disk space.
 */
int
store_space_env_done(const char *home, struct store_space_env *se,
    int opened, struct ncen_err *err)
{
	if (!opened && se->shmkey != -1 && store_space_primary(home) < 0)
		store_space_orphans(se->shmkey);
	if (opened)
		store_gate_set(home, store_space_ref(home));
	if (se->lockfd != -1) {
		close(se->lockfd);
		se->lockfd = -1;
	}
	if (se->exclusive)
		store_gate_hold(0);
	se->exclusive = 0;
	if (!opened || store_space_primary(home) <= STORE_SHM_REF_MAX)
		return NCEN_OK;
	return store_space_files(home, err);
}

/*
 * After a close: the last process out removes the shared memory
 * segments (they hold the cache, decrypted with a key), unless
 * another process is opening the environment at that moment.  Only a
 * process that checkpointed just before its close may call it: a close
 * beside other processes may have left committed pages in the cache for
 * them (store_close), and whoever removes the regions must have written
 * them.
 */
void
store_space_env_release(const char *home)
{
	off_t	size;
	int	fd;

	size = store_space_primary(home);
	if (size < 0 || size > STORE_SHM_REF_MAX)
		return;
	if ((fd = store_space_lock(home, 1, 0)) == -1)
		return;
	store_gate_hold(1);
	(void)store_space_remove(home);	/* EBUSY: another still uses it */
	store_gate_hold(0);
	close(fd);
}

/*
 * Closes take turns (DIR/.close.lock, waited for up to
 * STORE_CLOSE_WAIT_MS if waitit, else tried once): a close that sees
 * other processes registered leaves its checkpoint to them, which holds
 * only if each of them decides after this close is over.  -1 when not
 * taken: the caller then checkpoints and leaves the regions in place
 * (a removal without the lock could come after a close that counted on
 * this process and left its pages unwritten; regions left with nobody
 * attached are stale, and the next open recovers them).  The wait is
 * bounded and short because no watchdog covers it: a session's sign-out
 * or a reopen after a panic must not hang behind another's checkpoint.
 */
int
store_space_close_lock(const char *home, int waitit)
{
	struct buf	path = BUF_INIT;
	int		fd, i;

	buf_addf(&path, "%s/%s", home, STORE_CLOSE_LOCK);
	fd = open(path.s, O_RDWR | O_CREAT | O_NOCTTY | O_CLOEXEC, 0600);
	buf_free(&path);
	if (fd == -1)
		return -1;
	for (i = 0; i < STORE_CLOSE_WAIT_MS; i++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if ((errno != EWOULDBLOCK && errno != EINTR) || !waitit)
			break;
		usleep(1000);
	}
	close(fd);
	return -1;
}

/* Let the close lock go (-1: not held). */
void
store_space_close_unlock(int fd)
{
	if (fd != -1)
		close(fd);
}

/*
 * With the close lock held: whether another process is registered in
 * the environment (DIR/__db.register, Berkeley DB's DB_REGISTER slots:
 * a pid, or 'X' once it left).  Such a process closes after this one
 * and checkpoints if it is the last, or, dead, makes the next open
 * recover.  Berkeley DB's own utilities do not register and do not
 * count.  0 when it cannot tell.
 *
 * The registry is read through *fdp, which the caller closes only after
 * the environment's close (store_space_shared_done): closing any
 * descriptor of a file drops every fcntl lock the process holds on it,
 * this process's own slot lock included, and the next process to open
 * would then take it for dead, recover and panic every other one.
 */
int
store_space_shared(const char *home, int *fdp)
{
	struct buf	 path = BUF_INIT;
	char		 slot[STORE_GATE_SLOT + 1];
	unsigned long	 pid;
	off_t		 pos;
	ssize_t		 n;
	int		 others = 0;

	buf_addf(&path, "%s/__db.register", home);
	*fdp = open(path.s, O_RDONLY | O_NOCTTY | O_CLOEXEC);
	buf_free(&path);
	if (*fdp == -1)
		return 0;
	for (pos = 0; !others; pos += STORE_GATE_SLOT) {
		n = pread(*fdp, slot, STORE_GATE_SLOT, pos);
		if (n != STORE_GATE_SLOT)
			break;
		slot[n] = '\0';
		if (slot[0] != 'X' && sscanf(slot, "%lu", &pid) == 1 &&
		    pid != 0 && pid != (unsigned long)getpid())
			others = 1;
	}
	return others;
}

/* Close the registry store_space_shared read, once the environment is. */
void
store_space_shared_done(int fd)
{
	if (fd != -1)
		close(fd);
}
