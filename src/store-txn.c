/* store-txn.c - run a function in a transaction, retried on deadlock. */
#include <db.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store-int.h"
#include "store-wake.h"
#include "store.h"
#include "xmalloc.h"

/* Fill err from a failure inside a transaction, noting deadlocks and panics. */
int
(store_txn_dberr)(struct store_txn *t, int ret, struct ncen_err *err,
    const char *fmt, ...)
{
	struct buf	what = BUF_INIT;
	va_list		ap;
	int		error;

	/* These make the transaction unusable: store_txn_run decides. */
	if ((ret == DB_LOCK_DEADLOCK || ret == DB_LOCK_NOTGRANTED ||
	    ret == DB_RUNRECOVERY) && t->fatal != DB_RUNRECOVERY)
		t->fatal = ret;
	va_start(ap, fmt);
	buf_vaddf(&what, fmt, ap);
	va_end(ap);
	error = store_dberr(t->st, ret, err, "%s", buf_cstr(&what));
	buf_free(&what);
	return error;
}

/* Note a record's bookkeeping before a change, to set it back on abort. */
void
store_txn_hold(struct store_txn *t, struct record *r)
{
	struct store_undo	*u;

	if (r->holder != NULL)		/* already noted in this transaction */
		return;
	u = xcalloc(1, sizeof *u);
	u->r = r;
	u->id = r->id;
	u->version = r->version;
	u->mtime = r->mtime;
	u->muser = r->muser == NULL ? NULL : xstrdup(r->muser);
	u->next = t->undo;
	t->undo = u;
	r->holder = &u->r;
}

/* Forget a finished transaction's notes; set records back if it aborted. */
static void
store_txn_release(struct store_txn *t, int committed)
{
	struct store_undo	*u, *next;
	struct record		*r;

	for (u = t->undo; u != NULL; u = next) {
		next = u->next;
		if ((r = u->r) != NULL) {
			r->holder = NULL;
			if (!committed) {
				r->id = u->id;
				r->version = u->version;
				r->mtime = u->mtime;
				free(r->muser);
				r->muser = u->muser;
				u->muser = NULL;
			}
		}
		free(u->muser);
		free(u);
	}
	t->undo = NULL;
}

/*
 * Wait before another attempt after a deadlock: a random time in
 * [d/2, d], where d doubles with each attempt from 1 ms up to
 * STORE_BACKOFF_MAX_US, so that two processes that keep choosing each
 * other as victims drift apart instead of meeting again in step.
 */
static void
store_txn_backoff(struct store *st, int attempt)
{
	struct timespec	ts;
	uint64_t	x;
	long		d, us;

	if (st->rng == 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		st->rng = ((uint64_t)getpid() << 32) ^
		    (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^
		    (uint64_t)(uintptr_t)st;
		if (st->rng == 0)
			st->rng = 0x9e3779b97f4a7c15ULL;
	}
	/* xorshift64*. */
	x = st->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	st->rng = x;
	x *= 0x2545f4914f6cdd1dULL;

	d = attempt < 16 ? 1000L << attempt : STORE_BACKOFF_MAX_US;
	if (d > STORE_BACKOFF_MAX_US)
		d = STORE_BACKOFF_MAX_US;
	us = d / 2 + (long)(x % (uint64_t)(d / 2 + 1));
	ts.tv_sec = us / 1000000;
	ts.tv_nsec = (us % 1000000) * 1000;
	while (nanosleep(&ts, &ts) == -1)
		;
}

/*
 * Checkpoint when STORE_CKP_KB of log or STORE_CKP_MIN minutes have
 * passed since the last one; the question is asked of Berkeley DB at
 * most every STORE_CKP_CHECK seconds (it reads the log's state), not
 * after every commit.  A failure is not the caller's: the commit is
 * done and in the log, so store_run still answers success (a panicked
 * environment is reopened by the next call, and recovery replays the
 * log whatever the checkpoint did).
 */
static void
store_txn_checkpoint(struct store *st)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	if (st->ckp_checked != 0 &&
	    (int64_t)ts.tv_sec - st->ckp_checked < STORE_CKP_CHECK)
		return;
	st->ckp_checked = (int64_t)ts.tv_sec;
	store_watch_enter();
	if (st->env->txn_checkpoint(st->env, STORE_CKP_KB, STORE_CKP_MIN,
	    0) != 0)
		buf_reset(&st->dberr);
	store_watch_leave();
}

/*
 * Reopen the environment after a panic, again while the reopen itself
 * fails (another process may be recovering it at the same time, or
 * die and make the next one recover again), at most STORE_REOPENS
 * times per store_run with a growing pause; *reopens counts them.
 */
static int
store_txn_reopen(struct store *st, int *reopens, struct ncen_err *err)
{
	int	error;

	for (;;) {
		if (*reopens >= STORE_REOPENS)
			return ncen_err_set(err, NCEN_ERECOVER,
			    _("%s: the database environment failed "
			    "again after recovery; another program "
			    "using it probably died; sign in again "
			    "(recovery runs at the next start)"),
			    st->home);
		if (*reopens > 0)
			store_txn_backoff(st, *reopens + 3);
		(*reopens)++;
		if ((error = store_env_reopen(st, err)) == NCEN_OK)
			return NCEN_OK;
		if (error == NCEN_EKEY)
			return error;
	}
}

/* Read-write transactions committed, for a stall handler to read. */
static atomic_ulong	store_txn_commits;

/* Set from an early commit until its log flush returns (a stall handler). */
static atomic_int	store_txn_doubt;

/* Attempts that ended in a deadlock and were tried again. */
static atomic_ulong	store_txn_retries;

/*
 * Whether the environment has panicked: another process recovered it.
 * Any call that enters the environment checks; this one is cheap.
 */
int
store_txn_panicked(struct store *st)
{
	u_int32_t	id;
	int		ret;

	if ((ret = st->env->lock_id(st->env, &id)) != 0)
		return ret == DB_RUNRECOVERY;
	(void)st->env->lock_id_free(st->env, id);
	return 0;
}

/*
 * A commit that Berkeley DB reported done though the log write holding
 * its commit record failed (a full disk, the record the first of a new
 * log file: libdb 5.3 then returns 0), and a second flush failed too,
 * or one committed before the sync whose log flush failed
 * (store_txn_attempt): it is not on disk, so it is reported as failed.
 * Its record stays in the log buffer and a later flush, once there is
 * room, may still write it (and after an early commit other processes
 * may have read it already): an import's journal undoes its batches
 * either way, and the caller is told the change may or may not be kept
 * (NCEN_ERECOVER with t->unsure, never run again).  Making the
 * environment panic instead would have the next open recover on a full
 * disk, which fails half way.
 */
static int
store_txn_unwritten(struct store_txn *t, int ret, struct ncen_err *err)
{
	t->unsure = 1;
	store_txn_dberr(t, ret, err, _("committing: the log could not be "
	    "written"));
	if (err != NULL)
		err->code = NCEN_ERECOVER;
	return NCEN_ERECOVER;
}

/*
 * One attempt: begin, fn, commit or abort.
 *
 * A commit is not known to be kept when one of its writes held the
 * write gate (store-gate.c) longer than a recovering open waits for it
 * and the environment has panicked since: that write may have landed
 * in the log after the recovery read it (the commit returns 0, and the
 * new environment writes over it).  Such a transaction is not counted
 * as committed, nor run again (it may be there): the caller gets
 * NCEN_ERECOVER with t->unsure set (an import then undoes its batches
 * by their journal).  A panic alone says nothing: the gate made the
 * commit's writes come before any recovery.
 */
static int
store_txn_attempt(struct store_txn *t, store_txn_fn fn, void *arg,
    int readonly, struct ncen_err *err)
{
	struct store	*st = t->st;
	DB_TXN		*txn;
	unsigned long	 late, failed;
	int		 ret, error, early;

	if (readonly == STORE_TXN_NONE) {
		/* One read, atomic on its own: no transaction to pay for. */
		t->txn = NULL;
		st->inrun = 1;
		error = fn(t, arg, err);
		st->inrun = 0;
		if (error == NCEN_OK && t->fatal != 0)
			error = store_dberr(st, t->fatal, err,
			    _("the read failed"));
		return error;
	}
	if ((ret = st->env->txn_begin(st->env, NULL, &t->txn,
	    readonly ? DB_READ_COMMITTED : 0)) != 0) {
		t->txn = NULL;
		return store_txn_dberr(t, ret, err,
		    _("beginning a transaction"));
	}
	st->inrun = 1;
	error = fn(t, arg, err);
	st->inrun = 0;
	txn = t->txn;
	t->txn = NULL;
	if (error == NCEN_OK && t->fatal != 0)
		/* fn ignored a deadlock or a panic: the work is lost. */
		error = store_dberr(st, t->fatal, err,
		    _("the transaction failed"));
	if (error != NCEN_OK) {
		/* An abort fails only when the environment panicked. */
		if (txn->abort(txn) != 0)
			t->fatal = DB_RUNRECOVERY;
		return error;
	}
	/*
	 * A durable commit that stored records or links while the disk
	 * reserve was free (store_space_txn: t->roomy) releases its locks
	 * first, then waits until the log is on disk.  With DB_TXN_SYNC a
	 * commit holds its locks through the fdatasync, so every writer
	 * that needs one of its pages (the last page of a primary, counts.db,
	 * the audit log's last entry) waits for that sync: one sync per
	 * commit, writers in single file.  Released first, the next
	 * transaction runs meanwhile, and the writers waiting in log_flush
	 * share a sync (Berkeley DB's group commit).  The caller hears of
	 * success only once the commit is durable.  Another process may
	 * read the change before that; what it commits after reading it
	 * comes later in the log, so its own flush makes this one durable
	 * too.  Without the reserve's room a commit syncs as before, and a
	 * full log disk aborts it (a commit made before the sync can no
	 * longer be taken back).
	 *
	 * Once committed, a failure is never run again: a flush that fails
	 * (or that libdb reports done though one of its writes failed,
	 * store_gate_failed, flushed once more) is reported as
	 * store_txn_unwritten does for a synced commit.
	 */
	early = !readonly && !st->nosync && t->roomy;
	late = store_gate_late();
	failed = store_gate_failed();
	if ((ret = txn->commit(txn, early ? DB_TXN_NOSYNC : 0)) != 0)
		return store_txn_dberr(t, ret, err, _("committing"));
	if (readonly)
		return NCEN_OK;
	if (early) {
		atomic_store(&store_txn_doubt, 1);
		ret = st->env->log_flush(st->env, NULL);
		atomic_store(&store_txn_doubt, 0);
		if (ret != 0)
			return store_txn_unwritten(t, ret, err);
	}
	if (store_gate_failed() != failed &&
	    (ret = st->env->log_flush(st->env, NULL)) != 0)
		return store_txn_unwritten(t, ret, err);
	if (store_gate_late() != late && store_txn_panicked(st)) {
		t->unsure = 1;
		return ncen_err_set(err, NCEN_ERECOVER, _("%s: another program "
		    "recovered the database environment while this change "
		    "was being committed: it may or may not have been kept"),
		    st->home);
	}
	atomic_fetch_add(&store_txn_commits, 1);
	return NCEN_OK;
}

/* Whether an early commit of this process awaits its log flush. */
int
store_commit_in_doubt(void)
{
	return atomic_load(&store_txn_doubt);
}

/* How many read-write transactions this process committed (any thread). */
unsigned long
store_committed(void)
{
	return atomic_load(&store_txn_commits);
}

/* How many attempts of this process ended in a deadlock and were retried. */
unsigned long
store_retried(void)
{
	return atomic_load(&store_txn_retries);
}

/*
 * Run fn in a transaction; retry on deadlock, and reopen after a panic
 * (more than once if the environment panics again, within a bound).
 */
int
store_txn_run(struct store *st, store_txn_fn fn, void *arg, int readonly,
    struct ncen_err *err)
{
	struct store_txn	t;
	int			attempt, reopens = 0, error;

	if (st == NULL || fn == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "store_run: no store "
		    "or no function");
	if (st->inrun)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: a store call that "
		    "makes its own transaction was made inside store_run's "
		    "function (use the store_txn_* calls there)"), st->home);
	/* An earlier reopen failed: try again. */
	if (st->env == NULL &&
	    (error = store_txn_reopen(st, &reopens, err)) != NCEN_OK)
		return error;
	for (attempt = 0;; attempt++) {
		memset(&t, 0, sizeof t);
		t.st = st;
		if (err != NULL)
			ncen_err_clear(err);
		buf_reset(&st->dberr);

		store_watch_enter();
		error = store_txn_attempt(&t, fn, arg, readonly, err);
		store_watch_leave();
		store_txn_release(&t, error == NCEN_OK);

		if (t.unsure)
			return error;	/* not again: it may be there */
		if (error == NCEN_OK) {
			if (readonly)
				return NCEN_OK;
			if (t.wake)
				store_wake_poke(st->home);
			store_txn_checkpoint(st);
			return NCEN_OK;
		}
		if (t.fatal == DB_LOCK_DEADLOCK ||
		    t.fatal == DB_LOCK_NOTGRANTED) {
			if (attempt + 1 < STORE_RETRIES) {
				atomic_fetch_add(&store_txn_retries, 1);
				store_txn_backoff(st, attempt);
				continue;
			}
			return ncen_err_set(err, NCEN_EDB, _("%s: the database "
			    "stayed too busy: %d attempts ended in deadlock; "
			    "try again"), st->home, STORE_RETRIES);
		}
		if (t.fatal == DB_RUNRECOVERY) {
			if ((error = store_txn_reopen(st, &reopens, err)) !=
			    NCEN_OK) {
				if (error != NCEN_EKEY)
					error = NCEN_ERECOVER;
				if (err != NULL)
					err->code = error;
				return error;
			}
			attempt = -1;
			continue;
		}
		return error;
	}
}

/* Run fn in a read-write transaction, retried on deadlock. */
int
store_run(struct store *st, store_txn_fn fn, void *arg, struct ncen_err *err)
{
	return store_txn_run(st, fn, arg, 0, err);
}
