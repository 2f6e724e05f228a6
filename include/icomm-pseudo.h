/*
 * icomm-pseudo.h - pseudonyms for persons and businesses sent at cen
 * level (ncen-batch(5)).
 *
 * The global database counts repeat offenders: it must see the same
 * person come back, but never this node's record ids.  A person or
 * business projected at level cen is named by a pseudonym instead of
 * its id: HMAC-SHA256 keyed with the node secret over the partner's
 * node id, the entity and the record's id (each followed by a NUL
 * byte, the id in decimal), its first ICOMM_PSEUDO_BYTES bytes in
 * lower-case hex.  The same record gets the same pseudonym from the
 * same partner every time; two partners get unrelated ones, and
 * without the secret no one can go back to the id.
 *
 * The node secret is DIR/node.secret (ICOMM_SECRET_FILE): 32 random
 * bytes as 64 hex digits and a new line, mode 0600, made on first use
 * (two processes making it at once agree on one) and kept by backups
 * beside node.key.  Losing it changes every pseudonym.
 *
 * Contract: icomm_pseudo_open() returns NCEN_OK, or NCEN_EIO (the file
 * cannot be read or made) or NCEN_EINVALID (it is not 64 hex digits),
 * with a message naming the file; icomm_pseudo_id() returns NCEN_OK or
 * NCEN_EIO (OpenSSL failed); icomm_pseudo_close() wipes the key.
 * Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_PSEUDO_H
#define NCEN_ICOMM_PSEUDO_H

#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store.h"

#define ICOMM_SECRET_FILE	"node.secret"
#define ICOMM_SECRET_BYTES	32
#define ICOMM_PSEUDO_BYTES	16	/* 32 hex digits */

/* The secret and the partner pseudonyms are made for. */
struct icomm_pseudo {
	unsigned char	 key[ICOMM_SECRET_BYTES];
	char		*partner;
};

int	 icomm_pseudo_open(struct store *, const char *partner,
	     struct icomm_pseudo *, struct ncen_err *);
void	 icomm_pseudo_close(struct icomm_pseudo *);
/* Whether records of a form travel under a pseudonym at level cen. */
int	 icomm_pseudo_entity(const char *entity);
/* The pseudonym of a record, in hex, into b (emptied first). */
int	 icomm_pseudo_id(const struct icomm_pseudo *, const char *entity,
	     uint64_t id, struct buf *b, struct ncen_err *);
/* Whether text is a pseudonym's shape: ICOMM_PSEUDO_BYTES * 2 hex. */
int	 icomm_pseudo_valid(const char *);

#endif
