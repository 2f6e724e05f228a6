/*
 * store-space.h - the disk space a data directory keeps in reserve.
 *
 * A data directory refuses new work once the free space of its file
 * system falls below a reserve, so that Berkeley DB never meets a full
 * disk in the middle of a write: the reserve is $NCEN_RESERVE, else the
 * first line of DIR/reserve, else 64 MB; a size in bytes with an
 * optional K, M, G or T suffix (powers of 1024), a percentage of the
 * file system ("5%"), or 0 for none.  It is read when the store opens.
 *
 * A transaction checks it before its first record or link written
 * (store_put, store_update, store_link_add... answer NCEN_ESPACE, and
 * store_run aborts: nothing changed), and so may a caller that knows
 * how much it is about to write (an import, before its first batch).
 * Bookkeeping (audit entries, counts, sign-ins) goes on below it, so
 * that reading stays possible.  Work that gives space back (rolling
 * back an import) may write records below it: store_space_exempt
 * marks it.  Once space is freed, the next
 * transaction runs: nothing needs repairing.
 *
 * Contract: nothing here prints or exits; errors come back as
 * NCEN_ESPACE (below the reserve) or NCEN_EUSAGE (a reserve that does
 * not parse), with a message naming the data directory, the free space
 * and the reserve.
 */
#ifndef NCEN_STORE_SPACE_H
#define NCEN_STORE_SPACE_H

#include <stdint.h>

#include "error.h"

struct store;

/* NCEN_OK when need more bytes leave the reserve free, else NCEN_ESPACE. */
int	 store_space_check(struct store *, uint64_t need, struct ncen_err *);
/* Let (on != 0) the store's transactions use the reserve, or stop. */
void	 store_space_exempt(struct store *, int on);
/* The reserve in bytes, as read when the store opened. */
uint64_t store_space_reserve(const struct store *);

#endif
