/*
 * search.h - find anyone: free text against the search index of every
 * form, ranked.
 *
 * A query is what a person types: names in any order and any script
 * ("Кузнецов Dmitriy", "kusnezow"), a document, phone, plate, IMO,
 * container number or VIN with or without its spaces, dashes and dots,
 * a date as 1997-10-23, 23/10/1997 or 23.10.1997, or several of these
 * at once.  The last word may be the start of a word still being typed
 * (SEARCH_PREFIX), so a screen can narrow as the user types.
 *
 * Candidates come from each form's search index (store-search.c: keys
 * made by match.h from the fields the forms mark `search`), never from
 * a walk of all records; each candidate is read and ranked by the score
 * described in search.c (0 to 100: name similarity on the keys, plus
 * agreement of date of birth, nationality and document number).
 *
 * Need to know: with an account, records it may not see (auth_see) are
 * left out of the hits and counted in the result instead (how many, in
 * which offices' cases, which records), so the caller can say "N more
 * match: ask ..." and audit them; without an account (NULL), every
 * record is seen.  Nothing here audits or prints.
 *
 * Contract: search_run fills the result (zeroed by it) and returns
 * NCEN_OK, or an ncen_code with the message: NCEN_EUSAGE for a query
 * that is not valid UTF-8 or has nothing to look for, NCEN_ENOTFOUND
 * for an entity that is not a form with searched fields, NCEN_EBUSY
 * while a form's search index is still being built by another process
 * (the message says how far), or a store error.  The result owns its
 * hits, their strings and records; search_result_free releases them and
 * accepts a zeroed result.  It never exits.
 */
#ifndef NCEN_SEARCH_H
#define NCEN_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "store.h"

#define SEARCH_LIMIT_DEFAULT	20	/* hits when the query says 0 */
#define SEARCH_LIMIT_MAX	500	/* hits at most */
#define SEARCH_QUERY_MAX	400	/* bytes of a query */

/* Why a hit matched: bits, named by search_why_text in this order. */
#define SEARCH_WHY_EXACT	0x001	/* a word as stored (case aside) */
#define SEARCH_WHY_TRANSLIT	0x002	/* same once in Latin letters */
#define SEARCH_WHY_SOUNDS	0x004	/* same skeleton (match.h) */
#define SEARCH_WHY_SPELLING	0x008	/* close spelling (a typo) */
#define SEARCH_WHY_PREFIX	0x010	/* the start of a word */
#define SEARCH_WHY_ALIAS	0x020	/* through an alias or other name */
#define SEARCH_WHY_DOCUMENT	0x040	/* a document, plate... number */
#define SEARCH_WHY_DATE		0x080	/* a date (of birth) */
#define SEARCH_WHY_COUNTRY	0x100	/* a nationality or country */

/* Flags of a query. */
#define SEARCH_PREFIX		0x01	/* the last word may be unfinished */

struct search_query {
	const char			*text;	/* UTF-8, as typed */
	const char			*entity; /* NULL: every form */
	const struct auth_account	*acct;	/* NULL: sees everything */
	size_t				 limit;	/* 0: SEARCH_LIMIT_DEFAULT */
	int				 flags;	/* SEARCH_PREFIX */
};

struct search_hit {
	const char			*entity; /* the schema's form name */
	uint64_t			 id;
	int				 score;	/* 0 to 100, higher first */
	unsigned			 why;	/* SEARCH_WHY_* bits */
	const struct schema_field	*field;	/* best matching field */
	char				*summary; /* one line, every field
						   as stored (not masked) */
	struct record			*rec;	/* for the caller's own
						   view of it */
};

struct search_result {
	struct search_hit	*hits;		/* best first */
	size_t			 n;
	int			 more;		/* more matched than limit */
	/* Matches the account may not see (need to know). */
	size_t			 hidden;	/* how many */
	size_t			 unlinked;	/* of them in no case */
	struct buf		 offices;	/* "FRMRS01, FRLEH01" */
	const char		*hidden_entity;	/* their form, NULL: several */
	struct buf		 hidden_recs;	/* "person:12\n" each */
};

int	 search_run(struct store *, const struct search_query *,
	     struct search_result *, struct ncen_err *);
void	 search_result_free(struct search_result *);

/*
 * search-dup.c: the records of r's form that r probably repeats, for
 * the question asked before a new record is saved or imported: one
 * sharing a number (a field searched as a number, once compact), or on
 * a form with a searched date (a person), the same date and the same
 * skeleton in every name field r fills.  r's own id is left out; ids
 * ascending in *out (free with store_search_ids_free); none when the
 * form has no search index.
 */
int	 search_duplicates(struct store *, const struct record *,
	     struct store_search_ids *, struct ncen_err *);

/*
 * The reasons of a why as a list "transliterated, alias": English words
 * (as ncenctl prints them) when translate is 0, else translated.
 */
void	 search_why_text(unsigned why, int translate, struct buf *);

#endif
