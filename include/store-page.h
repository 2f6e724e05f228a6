/*
 * store-page.h - a form's records a page at a time, in one order.
 *
 * What a paged list over a million records needs without reading them
 * all: n records from the start, the end, just after or just before a
 * row already shown, from a row on (a reload), or after skipping k
 * entries (going to a page: the keys are skipped without reading the
 * records); and the number of entries in an order.
 *
 * An order is a form's primary (id order) or one of its indexed fields
 * (index key, then id), optionally limited to the entries whose key
 * starts with the key of what was typed (a prefix: text keys are folded
 * to lower case in ASCII as the index is, so "IVA" finds "Ivanov"); for
 * integer, decimal and reference fields, whose keys are numbers, the
 * typed value must be whole and is matched exactly.  A record appears
 * once per key it has in the index: a repeated field lists it once per
 * value, and a record without a value for the field is not in that
 * order at all.  Id order takes no prefix (NCEN_EUSAGE).
 *
 * A scope (scope_field, scope_value) is a fixed part of the order, apart
 * from the prefix typed: only the records whose key in scope_field's
 * index is scope_value's, and those with no value there (an officer's
 * own cases: hers and those nobody owns).  It is read through that index
 * so that its cost follows the scope, not the form: in id order and in
 * the scope field's order a page costs a page; in another field's order
 * every record of the scope is read once per call (its keys sorted in
 * memory).  While some records of the form have no value in the scope
 * field, which the index cannot find (the kept counts tell), the scope
 * is read as the whole order with keep deciding, as slow as without it.
 * The scope narrows, never decides: keep still says what is shown.
 *
 * Given ids (given, ids, nids) hold an order to those records instead,
 * for lists read through what decides need to know (auth_see_ids): the
 * ids are sorted by the order's keys in memory (in id order they are
 * the keys), so a page costs a read of each given record in another
 * field's order, and a count is exact without a walk.
 *
 * Pages come back in ascending order whatever the direction read.  A
 * keep callback (a pure predicate: it is called inside the read's short
 * transaction and must not wait for anything) leaves records out, e.g.
 * those a role may not see; at most STORE_PAGE_SCAN_MAX entries are
 * examined per call, so a page may come back short with neither `first`
 * nor `last` set when keep refuses nearly everything.  Counting and
 * skipping count entries, whatever keep would say.
 *
 * Contract: NCEN_OK or an ncen_code with a message (NCEN_ENOTFOUND for
 * an unknown form, NCEN_EUSAGE for a field that is not indexed,
 * NCEN_EINVALID for a number prefix that is not a number).  Reads run in
 * short read-committed transactions of at most a few thousand cursor
 * steps each; nothing is held when a call returns.  The page owns its
 * rows and records (store_page_free; a zeroed page may be freed).
 * Nothing here prints or exits.
 */
#ifndef NCEN_STORE_PAGE_H
#define NCEN_STORE_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "store.h"

#define STORE_PAGE_SCAN_MAX	65536	/* entries examined per read */

struct store_page_order {
	const char	*entity;
	const char	*field;		/* an indexed field; NULL: by id */
	const char	*prefix;	/* as typed; NULL or "": every entry */
	const char	*scope_field;	/* NULL, or a single indexed field: */
	const char	*scope_value;	/* only its records with this value */
	int		 given;		/* only the records of ids[]: */
	const uint64_t	*ids;		/* ascending (need to know, read */
	size_t		 nids;		/* through the cases: auth.h) */
	int		 desc;		/* read the order backwards: START is
					   its last entry (newest first) */
};

/* One entry of an order and its record. */
struct store_page_row {
	struct record	*rec;
	struct buf	 key;		/* index key; by id the 8-byte id key */
	uint64_t	 id;
};

struct store_page {
	struct store_page_row	*rows;
	size_t			 n;
	int			 first;		/* nothing before rows[0] */
	int			 last;		/* nothing after rows[n - 1] */
};

enum store_page_from {
	STORE_PAGE_START,	/* the first n */
	STORE_PAGE_END,		/* the last n */
	STORE_PAGE_AFTER,	/* the n after row `at` */
	STORE_PAGE_BEFORE,	/* the n before row `at` */
	STORE_PAGE_AT,		/* from row `at` on, itself included */
	STORE_PAGE_SKIP,	/* from entry `skip` (0 the first); past the
				   end: the last n */
};

typedef int (*store_page_keep_fn)(const struct record *, void *arg);

struct store_page_query {
	enum store_page_from		 from;
	const struct store_page_row	*at;	/* AFTER, BEFORE, AT */
	uint64_t			 skip;	/* SKIP */
	size_t				 n;	/* rows wanted, > 0 */
	store_page_keep_fn		 keep;	/* NULL: every record */
	void				*keeparg;
};

int	 store_page_read(struct store *, const struct store_page_order *,
	     const struct store_page_query *, struct store_page *,
	     struct ncen_err *);
/* The number of entries of an order (with its prefix). */
int	 store_page_count(struct store *, const struct store_page_order *,
	     uint64_t *, struct ncen_err *);
void	 store_page_free(struct store_page *);
/* In a transaction: the greatest index key of entity.field starting with
 * the value prefix (index-key form); NCEN_ENOTFOUND if none. */
int	 store_page_last_key(struct store_txn *, const char *entity,
	     const char *field, const char *prefix, struct buf *key,
	     struct ncen_err *);

#endif
