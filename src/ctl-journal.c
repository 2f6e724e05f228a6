/*
 * ctl-journal.c - the crash journal of ncenctl import, and its rollback.
 *
 * Import is all or nothing, but it writes in transactions of a thousand
 * records (ctl-import.c says why).  What makes the batches all or
 * nothing is a journal, DIR/import-PID-TIME.journal, that lists what
 * each batch wrote (with a hash of each record as written) and is
 * flushed to disk before that batch commits: a batch that fails, or a
 * signal, rolls back what the earlier ones wrote; a process that dies
 * leaves its journal, which the next import finds unlocked and rolls
 * back (or `ncenctl import --rollback`).  A record someone changed
 * since it was imported is left alone.  A case imported with a status
 * is listed as it ended up, then its transitions (undone first); what
 * its validation queued for partners and was not sent yet is taken back
 * with it.
 *
 * A backup must hold each import whole or not at all, so imports and
 * backups share a lock, DIR/locks/imports.lock (fcntl byte ranges, which
 * die with their process): byte 1 is held shared by every import for its
 * whole run (rollbacks of dead imports included) and exclusively by a
 * backup while it copies.  Byte 0 is a turnstile that imports cross on
 * their way in and a backup holds while it waits: new imports queue
 * behind a waiting backup instead of starving it.  A journal left by an
 * import that died is copied into the backup, and restore rolls it back.
 *
 * The lock file is not in the data directory itself: Berkeley DB's hot
 * backup opens every file there to see whether it is a database, and
 * closing any descriptor of a file drops all of the process's fcntl
 * locks on it, so the backup would let the imports in while it copies.
 */
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "buf.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store-kv.h"
#include "store-outbox.h"
#include "store-space.h"
#include "store.h"
#include "xmalloc.h"

#define CTL_JOURNAL_UNDO_BATCH	500	/* rows rolled back per transaction */
#define CTL_JOURNAL_MAGIC	"ncen-import-journal 1"
#define CTL_JOURNAL_PREFIX	"import-"
#define CTL_JOURNAL_SUFFIX	".journal"
#define CTL_JOURNAL_LOCKDIR	"locks"	/* DIR/locks: out of libdb's sight */
#define CTL_JOURNAL_LOCK	CTL_JOURNAL_LOCKDIR "/imports.lock"
#define CTL_JOURNAL_GATE	0	/* byte: the turnstile */
#define CTL_JOURNAL_RUN		1	/* byte: imports running */
#define CTL_JOURNAL_POLL_MS	100	/* between a backup's tries */

/* Take (or release) one byte of the lock; waitit blocks. 0 or -1 (errno). */
static int
ctl_journal_byte(int fd, int byte, short type, int waitit)
{
	struct flock	fl;
	int		r;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = byte;
	fl.l_len = 1;
	while ((r = fcntl(fd, waitit ? F_SETLKW : F_SETLK, &fl)) == -1 &&
	    errno == EINTR && waitit)
		continue;
	return r;
}

/* The process holding a byte of the lock against a type, or 0. */
static long
ctl_journal_holder(int fd, int byte, short type)
{
	struct flock	fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = byte;
	fl.l_len = 1;
	if (fcntl(fd, F_GETLK, &fl) == -1 || fl.l_type == F_UNLCK)
		return 0;
	return (long)fl.l_pid;
}

/*
 * Open DIR/locks/imports.lock, making DIR/locks: the descriptor, -1
 * with a warning, or -1 with errno ENOENT and no warning when there is
 * no data directory (the command's open says so better).
 */
static int
ctl_journal_lock_open(struct ctl_ctx *ctx)
{
	struct buf	path = BUF_INIT;
	int		fd = -1, saved;

	buf_addf(&path, "%s/%s", ctx->home, CTL_JOURNAL_LOCKDIR);
	if (mkdir(path.s, 0700) == 0 || errno == EEXIST) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", ctx->home, CTL_JOURNAL_LOCK);
		fd = open(path.s, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	}
	saved = errno;
	if (fd == -1 && saved != ENOENT)
		ctl_warn("%s: %s: %s", ctx->cmd->name, path.s,
		    strerror(saved));
	buf_free(&path);
	errno = saved;
	return fd;
}

/*
 * Hold the imports' lock shared for the whole of an import (or a
 * rollback), waiting behind a backup under way; 0 with *fd set (close
 * it to release), or the exit status.
 */
int
ctl_journal_lock_import(struct ctl_ctx *ctx, int *fd)
{
	long	pid;

	if ((*fd = ctl_journal_lock_open(ctx)) == -1)
		return errno == ENOENT ? 0 : 2;
	if (ctl_journal_byte(*fd, CTL_JOURNAL_GATE, F_RDLCK, 0) == -1) {
		if (errno != EACCES && errno != EAGAIN)
			goto fail;
		pid = ctl_journal_holder(*fd, CTL_JOURNAL_GATE, F_RDLCK);
		ctl_warn(_("%s: waiting for the backup under way (process %ld) "
		    "to finish"), ctx->cmd->name, pid);
		if (ctl_journal_byte(*fd, CTL_JOURNAL_GATE, F_RDLCK, 1) == -1)
			goto fail;
	}
	if (ctl_journal_byte(*fd, CTL_JOURNAL_RUN, F_RDLCK, 1) == -1 ||
	    ctl_journal_byte(*fd, CTL_JOURNAL_GATE, F_UNLCK, 0) == -1)
		goto fail;
	return 0;
fail:
	ctl_warn("%s: %s/%s: %s", ctx->cmd->name, ctx->home, CTL_JOURNAL_LOCK,
	    strerror(errno));
	close(*fd);
	*fd = -1;
	return 2;
}

/* Sleep a little between two tries of a backup. */
static void
ctl_journal_nap(void)
{
	struct timespec	ts;

	ts.tv_sec = 0;
	ts.tv_nsec = CTL_JOURNAL_POLL_MS * 1000000L;
	nanosleep(&ts, NULL);
}

/*
 * Hold the imports' lock exclusively for a backup: no import runs (nor
 * starts) until *fd is closed.  Waits at most `wait` seconds for the
 * imports under way, saying so; 0, or the exit status (75 when an
 * import was still under way at the end, nothing held).
 */
int
ctl_journal_lock_backup(struct ctl_ctx *ctx, unsigned wait, int *fd)
{
	struct timespec	start, now;
	const int	bytes[2] = { CTL_JOURNAL_GATE, CTL_JOURNAL_RUN };
	long		pid = 0;
	int		k, told = 0;

	if ((*fd = ctl_journal_lock_open(ctx)) == -1)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (k = 0; k < 2;) {
		if (ctl_journal_byte(*fd, bytes[k], F_WRLCK, 0) == 0) {
			k++;
			continue;
		}
		if (errno != EACCES && errno != EAGAIN) {
			ctl_warn("%s: %s/%s: %s", ctx->cmd->name, ctx->home,
			    CTL_JOURNAL_LOCK, strerror(errno));
			close(*fd);
			*fd = -1;
			return 2;
		}
		pid = ctl_journal_holder(*fd, bytes[k], F_WRLCK);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec >= (time_t)wait)
			break;
		/* Past the turnstile, the imports under way hold it up. */
		if (k == 1 && !told && pid != 0 && (told = 1))
			ctl_warn(_("%s: waiting for the import under way "
			    "(process %ld) to finish, at most %u s (--wait)"),
			    ctx->cmd->name, pid, wait);
		ctl_journal_nap();
	}
	if (k == 2)
		return 0;
	ctl_warn(_("%s: an import is still under way (process %ld) after "
	    "%u s: no backup taken; try again later, or give a longer "
	    "--wait"), ctx->cmd->name, pid, wait);
	close(*fd);		/* releases the turnstile too */
	*fd = -1;
	return 75;
}

/* How many import journals a directory holds (a backup, say). */
size_t
ctl_journal_count(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	size_t		 n = 0, p = strlen(CTL_JOURNAL_PREFIX);
	size_t		 s = strlen(CTL_JOURNAL_SUFFIX), len;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len > p + s && strncmp(de->d_name, CTL_JOURNAL_PREFIX,
		    p) == 0 && strcmp(de->d_name + len - s,
		    CTL_JOURNAL_SUFFIX) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Flush what was written of the journal to disk; 0 or -1 (errno set). */
int
ctl_journal_sync(int fd, struct buf *b)
{
	size_t	off;
	ssize_t	w;

	for (off = 0; off < b->len; off += (size_t)w) {
		if ((w = write(fd, b->s + off, b->len - off)) == -1) {
			if (errno == EINTR) {
				w = 0;
				continue;
			}
			return -1;
		}
	}
	buf_reset(b);
	return fdatasync(fd);
}

/*
 * Create this import's journal: made under a temporary name and locked
 * before it is renamed, so that another import never sees it unlocked
 * while this one lives.
 */
int
ctl_journal_create(struct ctl_ctx *ctx, const char *file, int *jfd,
    char **jpath)
{
	struct buf	tmp = BUF_INIT, path = BUF_INIT, hdr = BUF_INIT;
	int		fd, saved;

	buf_addf(&tmp, "%s/.%s%ld.tmp", ctx->home, CTL_JOURNAL_PREFIX,
	    (long)getpid());
	buf_addf(&path, "%s/%s%ld-%lld%s", ctx->home, CTL_JOURNAL_PREFIX,
	    (long)getpid(), (long long)time(NULL), CTL_JOURNAL_SUFFIX);
	buf_addf(&hdr, "%s\nfile %s\n", CTL_JOURNAL_MAGIC, file);
	if ((fd = open(tmp.s, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0600)) == -1)
		goto fail;
	if (flock(fd, LOCK_EX) == -1 || ctl_journal_sync(fd, &hdr) != 0 ||
	    rename(tmp.s, path.s) == -1) {
		saved = errno;
		close(fd);
		unlink(tmp.s);
		errno = saved;
		goto fail;
	}
	ctl_csv_sync_dir(ctx->home);
	*jfd = fd;
	*jpath = buf_detach(&path);
	buf_free(&tmp);
	buf_free(&hdr);
	return 0;
fail:
	ctl_warn(_("import: %s: cannot make the import's journal: %s"), tmp.s,
	    strerror(errno));
	buf_free(&tmp);
	buf_free(&path);
	buf_free(&hdr);
	return 2;
}

/* Remove a finished journal (its import committed or was rolled back). */
void
ctl_journal_remove(const char *home, char **path, int *fd)
{
	if (*path != NULL) {
		unlink(*path);
		ctl_csv_sync_dir(home);
	}
	if (*fd != -1)
		close(*fd);
	free(*path);
	*path = NULL;
	*fd = -1;
}

/* What a rollback has to undo, read from a journal. */
struct ctl_journal_undo {
	char		**lines;
	size_t		  n, cap;
	size_t		  next, end;
	size_t		  records, links, kept;
	const char	 *user;
};

/* The hash of a record's stored bytes, as the journal keeps it. */
uint64_t
ctl_journal_hash(const struct record *r)
{
	struct buf	b = BUF_INIT;
	uint64_t	h;

	record_encode(r, &b);
	h = ctl_csv_hash(b.s, b.len);
	buf_free(&b);
	return h;
}

/* Append the journal line of a record as written. */
void
ctl_journal_note(struct buf *b, const struct record *r)
{
	buf_addf(b, "record %s %" PRIu64 " %016" PRIx64 "\n", r->form->name,
	    r->id, ctl_journal_hash(r));
}

/* Collect a partner's id (store_kv_fn). */
static int
ctl_journal_partner(const void *k, size_t kl, const void *v, size_t vl,
    void *arg)
{
	struct buf	*ids = arg;

	(void)v;
	(void)vl;
	buf_add(ids, k, kl);
	buf_addc(ids, '\0');
	return 0;
}

/*
 * Before a case the import made is removed: take back what it queued
 * for partners and was not sent yet (the partner never had it), with
 * the mark that it was shared, so that removing it queues no
 * withdrawal there; a partner that got it keeps its mark, and the
 * removal withdraws it (icomm.h).
 */
static int
ctl_journal_unqueue(struct store_txn *t, uint64_t id, struct ncen_err *e)
{
	struct buf	 ids = BUF_INIT, k = BUF_INIT, v = BUF_INIT;
	struct buf	 rec = BUF_INIT, d = BUF_INIT;
	const char	*p, *kind;
	json_t		*j;
	int		 rc, queued;

	if ((rc = store_kv_scan(t, STORE_KV_PARTNERS, "", 0,
	    ctl_journal_partner, &ids, e)) != NCEN_OK)
		goto out;
	for (p = ids.s; p != NULL && p < ids.s + ids.len; p += strlen(p) + 1) {
		buf_reset(&k);
		store_outbox_key_add(&k, p, "case", id);
		buf_reset(&v);
		rc = store_kv_get(t, STORE_KV_OUTBOX, k.s, k.len, 1, &v, e);
		if (rc == NCEN_ENOTFOUND) {
			ncen_err_clear(e);
			continue;
		}
		if (rc != NCEN_OK)
			goto out;
		j = json_loadb(v.s, v.len, 0, NULL);
		kind = json_string_value(json_object_get(j, "kind"));
		queued = kind != NULL && strcmp(kind, "record") == 0;
		json_decref(j);
		if (!queued)
			continue;	/* a withdrawal: it did get it */
		if ((rc = store_kv_del(t, STORE_KV_OUTBOX, k.s, k.len, e)) !=
		    NCEN_OK)
			goto out;
		store_outbox_shared_key(&k, p, "case", id);
		rc = store_kv_del(t, STORE_KV_STATE, k.s, k.len, e);
		if (rc == NCEN_ENOTFOUND) {
			ncen_err_clear(e);
			rc = NCEN_OK;
		}
		if (rc != NCEN_OK)
			goto out;
		buf_reset(&rec);
		buf_reset(&d);
		buf_addf(&rec, "case:%" PRIu64, id);
		buf_addf(&d, "for %s, not sent: its import is rolled back", p);
		if ((rc = audit_append(t, ctl_login(), "icomm.unqueue", rec.s,
		    d.s, e)) != NCEN_OK)
			goto out;
	}
	rc = NCEN_OK;
out:
	buf_free(&ids);
	buf_free(&k);
	buf_free(&v);
	buf_free(&rec);
	buf_free(&d);
	return rc;
}

/* Undo one journal line: delete a record or remove a link. */
static int
ctl_journal_undo_line(struct store_txn *t, struct ctl_journal_undo *u,
    const char *line, struct ncen_err *e)
{
	char		 ent[2][64], role[CTL_CSV_ROLE_MAX + 1];
	unsigned long long id[2], hash;
	struct store_ref a, b;
	struct record	*r = NULL;
	int		 rc, n;

	if (sscanf(line, "record %63s %llu %llx", ent[0], &id[0], &hash) ==
	    3) {
		rc = store_txn_get(t, ent[0], id[0], &r, e);
		if (rc == NCEN_ENOTFOUND)
			return NCEN_OK;	/* never committed, or undone */
		if (rc != NCEN_OK)
			return rc;
		if (ctl_journal_hash(r) != hash) {
			record_free(r);
			u->kept++;
			return NCEN_OK;	/* changed since: not ours to undo */
		}
		if (strcmp(ent[0], "case") == 0 &&
		    (rc = ctl_journal_unqueue(t, id[0], e)) != NCEN_OK) {
			record_free(r);
			return rc;
		}
		rc = store_delete(t, ent[0], id[0], r->version, e);
		record_free(r);
		if (rc == NCEN_OK)
			u->records++;
		return rc == NCEN_ENOTFOUND ? NCEN_OK : rc;
	}
	if (sscanf(line, "link %63s %llu %63s %llu %n", ent[0], &id[0], ent[1],
	    &id[1], &n) == 4 && strlen(line + n) <= CTL_CSV_ROLE_MAX) {
		memcpy(role, line + n, strlen(line + n) + 1);
		a.entity = ent[0];
		a.id = id[0];
		b.entity = ent[1];
		b.id = id[1];
		rc = store_link_remove(t, a, b, role, e);
		if (rc == NCEN_OK)
			u->links++;
		return rc == NCEN_ENOTFOUND ? NCEN_OK : rc;
	}
	return NCEN_OK;		/* the header, or a line cut by a crash */
}

/* Undo a batch of journal lines in one transaction. */
static int
ctl_journal_undo_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ctl_journal_undo	*u = arg;
	size_t			 i, records = u->records, links = u->links;
	size_t			 kept = u->kept;
	int			 rc;

	for (i = u->next; i < u->end; i++) {
		if ((rc = ctl_journal_undo_line(t, u, u->lines[i], e)) !=
		    NCEN_OK) {
			u->records = records;
			u->links = links;
			u->kept = kept;
			return rc;
		}
	}
	return NCEN_OK;
}

/*
 * Undo what a journal lists, links first, newest first, in small
 * transactions; the counts say what was removed and kept.
 */
static int
ctl_journal_undo_all(struct store *st, const char *text,
    struct ctl_journal_undo *u, struct ncen_err *e)
{
	const char	*p, *nl;
	char		**rev;
	size_t		  i;
	int		  rc = NCEN_OK, pass;

	for (p = text; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;		/* a last line cut short by a crash */
		u->lines = ctl_csv_grow(u->lines, u->n, &u->cap,
		    sizeof *u->lines);
		u->lines[u->n++] = xstrndup(p, (size_t)(nl - p));
	}
	rev = xcalloc(u->n + 1, sizeof *rev);
	for (pass = 0; pass < 2; pass++) {
		size_t	m = 0;

		for (i = u->n; i-- > 0;)
			if ((strncmp(u->lines[i], "link ", 5) == 0) ==
			    (pass == 0))
				rev[m++] = u->lines[i];
		for (i = 0; i < m && rc == NCEN_OK;
		    i += CTL_JOURNAL_UNDO_BATCH) {
			struct ctl_journal_undo	v = *u;

			v.lines = rev;
			v.next = i;
			v.end = i + CTL_JOURNAL_UNDO_BATCH < m ?
			    i + CTL_JOURNAL_UNDO_BATCH : m;
			/* A rollback gives space back: below the reserve too. */
			store_space_exempt(st, 1);
			rc = store_run(st, ctl_journal_undo_txn, &v, e);
			store_space_exempt(st, 0);
			u->records = v.records;
			u->links = v.links;
			u->kept = v.kept;
		}
	}
	free(rev);
	for (i = 0; i < u->n; i++)
		free(u->lines[i]);
	free(u->lines);
	u->lines = NULL;
	u->n = u->cap = 0;
	return rc;
}

/* Read a journal file whole (from an open descriptor). */
static int
ctl_journal_read(int fd, struct buf *b)
{
	char	tmp[8192];
	ssize_t	n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	while ((n = read(fd, tmp, sizeof tmp)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf_add(b, tmp, (size_t)n);
	}
	buf_add(b, "", 0);
	return 0;
}

/* Roll back one journal left by an import that died; 0 or the exit status. */
static int
ctl_journal_rollback_one(struct ctl_ctx *ctx, struct store *st,
    const char *path, size_t *done)
{
	struct ctl_journal_undo	 u;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT, msg = BUF_INIT;
	struct buf		 nrec = BUF_INIT, nlink = BUF_INIT;
	const char		*file, *nl;
	int			 fd, r = 0;

	if ((fd = open(path, O_RDWR | O_CLOEXEC)) == -1) {
		if (errno == ENOENT)
			return 0;	/* another import took it */
		ctl_warn("%s: %s: %s", ctx->cmd->name, path, strerror(errno));
		return 2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return 0;		/* an import under way */
	}
	if (access(path, F_OK) == -1) {
		close(fd);
		return 0;		/* rolled back while we waited */
	}
	if (ctl_journal_read(fd, &text) == -1) {
		ctl_warn("%s: %s: %s", ctx->cmd->name, path, strerror(errno));
		close(fd);
		buf_free(&text);
		return 2;
	}
	memset(&u, 0, sizeof u);
	if (ctl_journal_undo_all(st, text.s, &u, &e) != NCEN_OK) {
		r = ctl_report(ctx->cmd->name, &e);
		ctl_warn(_("%s: %s: the interrupted import is not rolled back "
		    "yet; run ncenctl import --rollback again"), ctx->cmd->name,
		    path);
		close(fd);
		goto out;
	}
	file = strstr(text.s, "\nfile ");
	if (file == NULL || (nl = strchr(file + 6, '\n')) == NULL) {
		file = "\nfile ?";
		nl = file + 7;
	}
	/* The administrator reads it in his language, the audit in English. */
	buf_addf(&nrec, ngettext_("%zu record", "%zu records", u.records),
	    u.records);
	buf_addf(&nlink, ngettext_("%zu link", "%zu links", u.links), u.links);
	ctl_warn(_("%s: rolled back an interrupted import of %.*s: %s and %s "
	    "removed%s"), ctx->cmd->name, (int)(nl - file - 6), file + 6,
	    nrec.s, nlink.s, u.kept != 0 ? _(", some kept (changed since)") :
	    "");
	buf_addf(&msg, "an interrupted import of %.*s: %zu record%s and "
	    "%zu link%s removed%s", (int)(nl - file - 6), file + 6,
	    u.records, u.records == 1 ? "" : "s", u.links,
	    u.links == 1 ? "" : "s", u.kept != 0 ?
	    ", some kept (changed since)" : "");
	r = ctl_csv_audit(ctx, st, "import.rollback", "", msg.s, 0);
	unlink(path);
	ctl_csv_sync_dir(ctx->home);
	close(fd);
	(*done)++;
out:
	buf_free(&text);
	buf_free(&msg);
	buf_free(&nrec);
	buf_free(&nlink);
	ncen_err_free(&e);
	return r;
}

/* Whether a directory entry is an import journal (or one being made). */
static int
ctl_journal_is_one(const char *name, int *tmp)
{
	size_t	n = strlen(name), p = strlen(CTL_JOURNAL_PREFIX);
	size_t	s = strlen(CTL_JOURNAL_SUFFIX);

	*tmp = 0;
	if (name[0] == '.' && strncmp(name + 1, CTL_JOURNAL_PREFIX, p) == 0 &&
	    n > p + 5 && strcmp(name + n - 4, ".tmp") == 0) {
		*tmp = 1;
		return 1;
	}
	return n > p + s && strncmp(name, CTL_JOURNAL_PREFIX, p) == 0 &&
	    strcmp(name + n - s, CTL_JOURNAL_SUFFIX) == 0;
}

/*
 * Whether the import that is making a journal under this temporary name
 * (.PREFIXPID.tmp) still runs: it creates the file before it can lock
 * it, so an unlocked one may be one being made, not one left behind.
 */
static int
ctl_journal_tmp_live(const char *name)
{
	char	*end;
	long	 pid;

	pid = strtol(name + 1 + strlen(CTL_JOURNAL_PREFIX), &end, 10);
	if (pid <= 0 || strcmp(end, ".tmp") != 0)
		return 0;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Roll back every journal of the data directory that no live import holds. */
int
ctl_journal_rollback_all(struct ctl_ctx *ctx, struct store *st, size_t *done)
{
	DIR		 *d;
	struct dirent	 *de;
	struct buf	  b = BUF_INIT;
	char		**paths = NULL;
	size_t		  n = 0, i;
	int		  r = 0, x, tmp, fd;

	if ((d = opendir(ctx->home)) == NULL) {
		ctl_warn("%s: %s: %s", ctx->cmd->name, ctx->home,
		    strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		if (!ctl_journal_is_one(de->d_name, &tmp))
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s/%s", ctx->home, de->d_name);
		if (tmp) {
			/* Never renamed: nothing was written under it. */
			if (ctl_journal_tmp_live(de->d_name) ||
			    (fd = open(b.s, O_RDONLY | O_CLOEXEC)) == -1)
				continue;
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				unlink(b.s);
			close(fd);
			continue;
		}
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = xstrdup(b.s);
	}
	closedir(d);
	buf_free(&b);
	for (i = 0; i < n; i++) {
		if (r == 0 && (x = ctl_journal_rollback_one(ctx, st, paths[i],
		    done)) != 0)
			r = x;
		free(paths[i]);
	}
	free(paths);
	return r;
}

/* Undo this import's own batches after a failure; 0 if all is undone. */
int
ctl_journal_undo_import(struct ctl_ctx *ctx, struct store *st, const char *file,
    int *jfd, char **jpath)
{
	struct ctl_journal_undo	 u;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT;
	int			 r = 0;

	memset(&u, 0, sizeof u);
	if (ctl_journal_read(*jfd, &text) == -1) {
		ctl_warn(_("import: %s: %s"), *jpath, strerror(errno));
		r = -1;
	} else if (ctl_journal_undo_all(st, text.s, &u, &e) != NCEN_OK) {
		ctl_report("import", &e);
		r = -1;
	}
	if (r != 0) {
		ctl_warn(_("import: %s: not everything could be rolled back; "
		    "the journal %s stays, and ncenctl import --rollback "
		    "finishes the work"), file, *jpath);
		close(*jfd);	/* unlocks it for the next import */
		*jfd = -1;
		free(*jpath);
		*jpath = NULL;
	} else {
		ctl_journal_remove(ctx->home, jpath, jfd);
		buf_reset(&text);
		buf_addf(&text, "an import of %s that failed: %zu record%s "
		    "and %zu link%s removed%s", file, u.records,
		    u.records == 1 ? "" : "s", u.links, u.links == 1 ? "" : "s",
		    u.kept != 0 ? ", some kept (changed since)" : "");
		(void)ctl_csv_audit(ctx, st, "import.rollback", "",
		    text.s, 0);
	}
	buf_free(&text);
	ncen_err_free(&e);
	return r;
}
