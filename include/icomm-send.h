/*
 * icomm-send.h - the uploader: the outbox of each partner in batches,
 * POSTed over HTTPS with mutual TLS, entries removed on a signed receipt.
 *
 * A pass takes each partner in turn (or one): up to `batch` outbox
 * entries become one batch (icomm_send_pack: each case projected to the
 * level its agreements allow at that moment; an entry no agreement
 * allows any more is dropped, audited; withdrawals always go), which is
 * POSTed to the partner's endpoint with this node's certificate as the
 * client certificate, the partner's server verified against its
 * registered CA (or node certificate) only, peer and host verification
 * always on.  Only a receipt signed by the partner's registered
 * certificate that names the batch and accepts it removes the entries
 * (icomm_send_receipt), and only entries not queued again since.  A
 * failure (connection, TLS, HTTP status, bad receipt) is retried after
 * an exponential back-off with jitter, the batch halved each time; a
 * batch the partner refuses is not retried in that pass (a person must
 * look: the reason is in the status) unless it was refused as
 * oversized, which halves it.  Every batch built is remembered in
 * icomm.db (packed\0partner\0batch) until its receipt arrives, so a
 * receipt carried back by hand (pack/receipt) removes the same entries.
 *
 * Contract: library code: the log callback gets each event in words
 * (with a syslog priority); nothing is printed.  Functions return
 * NCEN_OK or an ncen_code with a message.  A pass answers NCEN_OK when
 * every partner's outbox was emptied or had nothing, NCEN_ECHECK when
 * some partner failed (its status says why).  *stop (may be NULL) is
 * polled while waiting and between batches.
 */
#ifndef NCEN_ICOMM_SEND_H
#define NCEN_ICOMM_SEND_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "store.h"

#define ICOMM_SEND_BATCH	100	/* entries per batch */
#define ICOMM_SEND_TRIES	6	/* attempts per partner and pass */
#define ICOMM_SEND_BACKOFF_MS	1000	/* first back-off */
#define ICOMM_SEND_BACKOFF_MAX	300000	/* longest back-off, ms */
#define ICOMM_SEND_TIMEOUT	600	/* seconds per POST */

typedef void (*icomm_log_fn)(int priority, const char *msg, void *arg);

struct icomm_send_opts {
	const char		*partner;	/* only this one, NULL: all */
	size_t			 batch;		/* 0: ICOMM_SEND_BATCH */
	long long		 max_rate;	/* bytes/s up, 0: no cap */
	unsigned		 tries;		/* 0: ICOMM_SEND_TRIES */
	unsigned		 backoff_ms;	/* 0: ICOMM_SEND_BACKOFF_MS */
	unsigned		 timeout;	/* 0: ICOMM_SEND_TIMEOUT */
	icomm_log_fn		 log;
	void			*logarg;
	volatile sig_atomic_t	*stop;
};

struct icomm_send_stats {
	uint64_t	batches;	/* accepted */
	uint64_t	entries;	/* removed from the outbox */
	uint64_t	bytes_up;	/* HTTP request bodies and headers */
	uint64_t	bytes_down;
	uint64_t	failures;
};

int	 icomm_send_pass(struct store *, const struct icomm_send_opts *,
	     struct icomm_send_stats *, struct ncen_err *);
/* A batch of up to max entries for a partner; *nentries 0: nothing. */
int	 icomm_send_pack(struct store *, const char *partner, size_t max,
	     int encrypt, struct buf *der, struct buf *batch_id,
	     size_t *nentries, struct ncen_err *);
/*
 * Check a receipt (signed by its sender, a registered partner) and
 * remove the entries of the batch it accepts.  *accepted says whether
 * it did; reason gets the partner's refusal; *removed how many went.
 * want_batch (may be NULL) must be the batch it names.
 */
int	 icomm_send_receipt(struct store *, const void *, size_t,
	     const char *want_batch, int *accepted, struct buf *reason,
	     size_t *removed, struct ncen_err *);

#endif
