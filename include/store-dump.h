/*
 * store-dump.h - records and links as line-oriented UTF-8 text (ncen-dump(5)).
 *
 *	ncen-dump 2
 *	record ENTITY ID VERSION MTIME MUSER
 *	field NAME VALUE
 *	extra NAME VALUE
 *	link ENTITY ID ENTITY ID ROLE
 *	end RECORDS LINKS SHA256
 *
 * Values, MUSER and ROLE are escaped (\\ \n \r \t \xHH); dump then load
 * into a fresh data directory then dump again gives the same bytes.  The
 * end line, last, counts the records and links written and holds the
 * SHA-256 of every byte before it, so that a dump cut short or altered
 * is refused whole.  Version 1 (no end line) is still read.
 *
 * Contract: store_dump_parse() reads a whole dump into memory and checks
 * its end line (version 2: counts and checksum, checked before anything
 * else), its syntax and every record against the forms (draft mode); each
 * problem is appended to `problems` as "FILE:LINE: what", one a line,
 * and the return is NCEN_EPARSE (syntax) or NCEN_EINVALID (records),
 * with the error holding the first problem.  store_dump_load() stores a
 * parsed dump in one transaction: all of it or, on any error, nothing.
 * store_dump_write() writes to a stdio stream (NCEN_EIO if that fails);
 * given a keep predicate (called outside any transaction), only the
 * records it keeps and the links between two of them, and its end line
 * counts what it wrote.
 * A struct store_dump owns everything in it; store_dump_free() releases
 * it.  Nothing here prints to the terminal or exits.
 */
#ifndef NCEN_STORE_DUMP_H
#define NCEN_STORE_DUMP_H

#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"

#define STORE_DUMP_MAGIC	"ncen-dump 2"
/* Version 1, still read: it has no end line. */
#define STORE_DUMP_MAGIC_V1	"ncen-dump 1"

struct store_dump_rec {
	struct record	*rec;
	unsigned	 line;		/* of its "record" line */
	unsigned	*flines;	/* of each field's first value, 0 none */
};

struct store_dump_link {
	char		*entity[2];
	uint64_t	 id[2];
	char		*role;
	unsigned	 line;
};

struct store_dump {
	char			*path;
	unsigned		 version;	/* 1: no end line checked */
	struct store_dump_rec	*recs;
	size_t			 nrecs;
	struct store_dump_link	*links;
	size_t			 nlinks;
};

/* Answers whether ENTITY ID exists outside the dump: 1, 0 or -code. */
typedef int (*store_dump_exists_fn)(const char *entity, uint64_t id,
	    void *arg);

int	store_dump_parse(const struct schema *, const char *path,
	    const char *text, size_t len, store_dump_exists_fn, void *arg,
	    struct store_dump **, struct buf *problems, struct ncen_err *);
void	store_dump_free(struct store_dump *);
int	store_dump_load(struct store *, const struct store_dump *,
	    struct ncen_err *);
int	store_dump_write(struct store *, const char *const *entities,
	    size_t nentities, store_record_fn keep, void *keeparg, FILE *,
	    struct ncen_err *);
void	store_dump_record(const struct record *, struct buf *);
void	store_dump_escape(struct buf *, const char *, size_t);

#endif
