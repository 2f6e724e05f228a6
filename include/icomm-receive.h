/*
 * icomm-receive.h - the receiver: one batch in, one signed receipt out.
 *
 * icomm_receive() checks, in this order, and refuses the whole batch at
 * the first failure (the receipt's "reason" says which): its size, that
 * it is CMS this node can open, a document of the known format
 * addressed to this node, a sender registered as a partner whose
 * registered certificate signed it, that the client certificate the
 * web server saw (when given) is that same certificate, then in one
 * transaction each item: an inbound agreement in force with the sender
 * covering its commodity groups, every field allowed by that
 * agreement's level (on a global node: cen fields only), every record
 * valid against this node's forms (drafting rules: a projection leaves
 * fields out).  Records are stored with their origin (extra fields
 * icomm.origin, icomm.origin_id, icomm.origin_version: ncen treats them
 * as read-only) and references and links mapped to the local ids.
 * A record already held at that version or newer is a duplicate and
 * stored again never; a batch seen before is answered with its first
 * receipt.  An update of a case held removes its links to the sender's
 * records, and its seizures, that the update no longer carries.  A
 * withdrawal deletes the case, its seizures and links, and the records
 * that came with it unless another case of the sender still links them
 * (they are then mapped to that case).  Accepted or refused, the outcome is audited
 * (icomm.receive, icomm.refuse); a refused batch changes nothing else.
 *
 * Contract: NCEN_OK whenever a signed receipt was made (accepted says
 * which; reason has the refusal in words); an error only when no
 * receipt can be made (this node has no identity, OpenSSL failed).
 * Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_RECEIVE_H
#define NCEN_ICOMM_RECEIVE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "store.h"

#define ICOMM_RECEIVE_MAX	(16U * 1024 * 1024)	/* bytes of a batch */

struct icomm_receive_opts {
	const char	*client_cert;	/* PEM seen by the web server, or NULL */
	int		 need_client;	/* refuse when client_cert is NULL */
	size_t		 max;		/* bytes of a batch, 0: the default */
	const char	*user;		/* audited as, e.g. "icomm" */
};

int	 icomm_receive(struct store *, const void *batch, size_t len,
	     const struct icomm_receive_opts *, struct buf *receipt,
	     int *accepted, struct buf *reason, struct ncen_err *);

#endif
