/*
 * merge.h - two records of one person, business or conveyance made one.
 *
 * merge_records() merges OTHER into KEEP in one transaction:
 * - values: a value of OTHER that KEEP lacks is copied; a repeated
 *   field takes OTHER's values it does not hold yet; a value that
 *   differs goes where the form keeps such values (a table: a person's
 *   other name becomes an alias, another identity document an entry of
 *   other_documents as "type, number, country[, expiry]", a business's
 *   other name one of its other_names), and what has no such place is
 *   written into KEEP's note field (remarks) under a heading "Merged
 *   from ENTITY ID:" as "Label: value" lines, with OTHER's own remarks
 *   after them.  Values of fields the form no longer has (extras) are
 *   copied when KEEP lacks them and noted when they differ.  Nothing is
 *   dropped: when the note would outgrow its field, or the form has no
 *   note field, the merge is refused (NCEN_EINVALID naming the field).
 * - links: each link of OTHER moves to KEEP with its role and direction;
 *   one KEEP already has (same record, same role) is not doubled, and a
 *   link between the two records themselves goes.  Attachments move with
 *   their links (their `record` field names KEEP).
 * - OTHER is deleted, and a pointer OTHER -> KEEP is kept (icomm.db,
 *   key "merged" "\0" entity "\0" id(8)) so that merge_follow() takes
 *   an old id (a partner's, a note's) to the record it became, through
 *   several merges.
 * - audit: one "record.merge" entry on each record, naming the other,
 *   beside the store's own entries for the update, links and delete.
 *   Shared cases the records are linked to are queued again for their
 *   partners by the store's change hooks (icomm_outbox_attach) in the
 *   same transaction: the partner gets the case with KEEP in it.
 *
 * Refusals change nothing: a form that is not person, business or
 * conveyance, two entities, KEEP = OTHER (NCEN_EUSAGE); a missing record
 * (NCEN_ENOTFOUND); a version other than the one given, or a draft of
 * either record being edited by someone (NCEN_ECONFLICT naming who); a
 * partner's record (read-only here), an account whose roles do not
 * allow AUTH_MERGE or that does not see both records, a value with
 * nowhere to go (NCEN_EINVALID).
 *
 * Contract: NCEN_OK or an ncen_code with a message; the result's
 * summary (one line per thing moved, in the process's language) is the
 * caller's to free (merge_result_free).  With dry_run the same checks
 * (drafts included) and summary, nothing written.  Nothing here prints
 * or exits.
 */
#ifndef NCEN_MERGE_H
#define NCEN_MERGE_H

#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store.h"

struct auth_account;

struct merge_request {
	struct store_ref		 keep;
	struct store_ref		 other;
	uint32_t			 keep_version;	/* 0: as it is now */
	uint32_t			 other_version;	/* 0: as it is now */
	const struct auth_account	*account;	/* NULL: not checked */
	const char			*user;		/* for the audit */
	enum schema_lang		 lang;		/* labels in the note */
	int				 dry_run;
};

struct merge_result {
	unsigned	 values;	/* values of OTHER KEEP did not hold */
	unsigned	 noted;		/* of them, kept in the note field */
	unsigned	 links;		/* links moved to KEEP */
	unsigned	 doubles;	/* links KEEP had already */
	unsigned	 attachments;	/* of the links moved */
	uint32_t	 version;	/* KEEP's version after */
	struct buf	 summary;	/* what moves, one line each */
};

/* Whether a form's records may be merged (person, business, conveyance). */
int	 merge_entity_ok(const char *entity);
int	 merge_records(struct store *, const struct merge_request *,
	     struct merge_result *, struct ncen_err *);
void	 merge_result_free(struct merge_result *);
/* The record an id became through merges (itself when none). */
int	 merge_follow(struct store *, struct store_ref, uint64_t *to,
	     struct ncen_err *);

#endif
