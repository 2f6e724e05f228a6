/*
 * store-partner.h - partner nodes, their uploader status and their
 * agreements as ncen, ncenctl and ncen-icomm read them: one decoder and
 * one typed struct each (ncen and ncen-icomm meet in the database; the
 * layers are in README, "Layout").
 *
 * Read from partners.db, agreements.db, outbox.db and the "status"
 * "\0" partner entries of icomm.db (store-kv.h), which ncenctl partner,
 * ncenctl agreement and ncen-icomm write.
 *
 * Contract: NCEN_OK or an ncen_code with a message (store errors,
 * NCEN_EPARSE for a stored entry that is not JSON, NCEN_ENOTFOUND and
 * NCEN_EEXISTS for an agreement unknown or ended already, NCEN_EUSAGE
 * for an agreement that is not complete or names unknown groups).  Arrays returned
 * are the caller's (the matching _free).  Nothing here prints or exits.
 */
#ifndef NCEN_STORE_PARTNER_H
#define NCEN_STORE_PARTNER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "schema.h"
#include "store.h"

/* A node's role in Icomm (ncenctl node init, ncenctl partner add). */
enum icomm_role {
	ICOMM_NATIONAL = 0,	/* a national node */
	ICOMM_HUB,		/* a hub collecting from remote posts */
	ICOMM_GLOBAL,		/* the global database: cen fields only */
};

/* A partner as stored in partners.db, and what the uploader noted. */
struct store_partner {
	char		*id;
	enum icomm_role	 role;
	char		*url;
	char		*cert;		/* PEM of the node certificate */
	char		*tls_ca;	/* PEM, or NULL: the cert itself */
	int64_t		 added;
	/* Status: store_partner_list with status, store_partner_status_get. */
	uint64_t	 queued;		/* outbox entries */
	uint64_t	 inflight;
	int64_t		 last_success;		/* 0: never */
	int64_t		 last_error_at;
	char		*last_error;		/* words, NULL if none */
	unsigned	 failures;		/* in a row */
};

/* An agreement as stored in agreements.db, decoded once for all. */
struct store_agreement {
	uint64_t	 id;
	char		*partner;
	char		*basis;
	unsigned	 dir;		/* 1 in, 2 out, 3 both (ICOMM_DIR_*) */
	char		**groups;	/* commodity codes; none: all */
	size_t		 ngroups;
	enum schema_share level;	/* SCHEMA_PARTNER or SCHEMA_CEN */
	char		*from, *to;	/* YYYY-MM-DD, inclusive */
	int64_t		 ended;		/* 0: not ended */
};

/* Every partner in id order; if status, with its status and outbox count. */
int	 store_partner_list(struct store *, int status, struct store_partner **,
	     size_t *, struct ncen_err *);
/* One partner, without status, in a transaction; NCEN_ENOTFOUND if unknown. */
int	 store_partner_read(struct store_txn *, const char *id,
	     struct store_partner **, struct ncen_err *);
void	 store_partner_free(struct store_partner *, size_t);
/* Parse national, hub or global; -1 if unknown.  And its name. */
int	 store_role_parse(const char *, enum icomm_role *);
const char *store_role_name(enum icomm_role);
/* The status and outbox count of the partner whose id p holds. */
int	 store_partner_status_get(struct store *, struct store_partner *,
	     struct ncen_err *);
/* The agreements with one partner (NULL: every one), in id order. */
int	 store_agreement_list(struct store *, const char *partner,
	     struct store_agreement **, size_t *, struct ncen_err *);
/* The same inside a transaction. */
int	 store_agreement_read(struct store_txn *, const char *partner,
	     struct store_agreement **, size_t *, struct ncen_err *);
void	 store_agreement_free(struct store_agreement *, size_t);
/* A new agreement: dir 1 in, 2 out, 3 both; level partner or cen. */
struct store_agreement_add {
	const char	*partner, *basis;
	unsigned	 dir;
	enum schema_share level;
	char *const	*groups;	/* commodity codes; none: all */
	size_t		 ngroups;
	const char	*from, *to;	/* YYYY-MM-DD, inclusive */
};

/* Check and add an agreement under the next id, audited; *id its id. */
int	 store_agreement_add(struct store *, const char *actor,
	     const struct store_agreement_add *, uint64_t *id,
	     struct ncen_err *);
/* Parse in, out or both (1, 2, 3); -1 if unknown.  And its name. */
int	 store_dir_parse(const char *, unsigned *);
const char *store_dir_name(unsigned);
/* End an agreement from now on, audited (icomm.agreement.end). */
int	 store_agreement_end(struct store *, const char *actor, uint64_t id,
	     struct ncen_err *);

#endif
