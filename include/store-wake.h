/*
 * store-wake.h - waking the Icomm uploader when something is queued.
 *
 * `ncen-icomm run` makes the named pipe DIR/icomm.wake and waits on it
 * for at most its interval.  A transaction that writes an outbox entry
 * marks itself (store_txn_wake); once it has committed, store_run
 * writes one byte into the pipe if the uploader is there to read it.
 * Nobody there (open fails with ENXIO) or a full pipe is fine: the
 * uploader drains the whole outbox at its next pass anyway.  The pipe
 * carries no data, so a lost byte costs at most one interval.
 */
#ifndef NCEN_STORE_WAKE_H
#define NCEN_STORE_WAKE_H

#include <signal.h>

#include "error.h"

#define STORE_WAKE_FILE		"icomm.wake"

struct store_txn;

/* Mark the transaction: the uploader is to be woken once it commits. */
void	 store_txn_wake(struct store_txn *);
/* Write the byte (store-txn.c calls it after the commit). */
void	 store_wake_poke(const char *home);
/* The uploader's end: make the pipe if need be and open it. */
int	 store_wake_open(const char *home, int *fd, struct ncen_err *);
/*
 * Wait until poked, *stop is set or seconds pass; what was written is
 * drained.  1 when poked, 0 otherwise.
 */
int	 store_wake_wait(int fd, unsigned seconds,
	     volatile sig_atomic_t *stop);

#endif
