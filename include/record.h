/*
 * record.h - one record of a form, in memory and as stored bytes.
 *
 * A record holds, for each field of its form, zero or more values as
 * UTF-8 text in the field's canonical form (dates "2026-11-27", decimals
 * "12.500" with the form's scale, codes as codes, references as decimal
 * ids).  It also carries the bookkeeping the store maintains: id,
 * version (1 on creation, +1 per update), who changed it last and when.
 *
 * Stored bytes name fields by name, so editing a form (adding, removing
 * or reordering fields) needs no rebuild: values of fields the form no
 * longer has are kept in `extra` and written back unchanged.
 *
 * record_equal() compares everything: form, id, version, mtime, muser,
 * values and extras.
 *
 * Contract: a record owns its strings; record_free() releases them.
 * record_decode() returns NCEN_EPARSE on malformed bytes and never reads
 * past the given length.  Nothing here exits or prints.
 */
#ifndef NCEN_RECORD_H
#define NCEN_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "schema.h"

struct record_values {
	char			**v;
	size_t			  n;
};

struct record_extra {
	char			 *name;
	char			 *value;
};

struct record {
	const struct schema_form *form;
	uint64_t		  id;		/* 0 until stored */
	uint32_t		  version;	/* 0 until stored */
	int64_t			  mtime;	/* seconds since the epoch, UTC */
	char			 *muser;	/* who changed it last */
	struct record_values	 *fields;	/* form->nfields entries */
	struct record_extra	 *extra;
	size_t			  nextra;
	/*
	 * Private to the store: while a transaction that changed this
	 * record's bookkeeping is open, it points at the store's note of
	 * the old values (restored if the transaction aborts);
	 * record_free() clears it so the store never touches a freed record.
	 */
	struct record		**holder;
	/*
	 * Private to record.c: record_decode() puts the values it read and
	 * their arrays in one block; values in it are not freed one by one.
	 */
	char			 *arena;
	size_t			  arenasize;
};

struct record	*record_new(const struct schema_form *);
void		 record_free(struct record *);
struct record	*record_copy(const struct record *);
void		 record_clear_field(struct record *, size_t field);
void		 record_add_value(struct record *, size_t field, const char *);
int		 record_set(struct record *, const char *name, const char *value,
		     struct ncen_err *);
const char	*record_get(const struct record *, const char *name);
int		 record_equal(const struct record *, const struct record *);

/*
 * Stored form: header (magic, version, mtime, muser) then named fields,
 * lengths as varints (codec 2); record_decode also reads codec 1 (fixed
 * 4-byte lengths), which records stored before codec 2 use.
 */
void		 record_encode(const struct record *, struct buf *);
int		 record_decode(const struct schema_form *, uint64_t id,
		     const void *, size_t, struct record **, struct ncen_err *);
/*
 * Values of one named field straight from stored bytes (index callbacks):
 * fn gets each value (pointing into the bytes, not NUL-terminated).
 * Malformed bytes give NCEN_EPARSE before fn is called at all.
 */
int		 record_decode_field(const void *, size_t, const char *name,
		     void (*)(const char *, size_t, void *), void *arg);

/*
 * Where each field's values lie in stored bytes, parsed once for many
 * questions (the index callbacks of one put ask once per index).  The
 * view keeps its own copy of the bytes and parses again only when given
 * different bytes.  Start from a zeroed struct; record_view_free()
 * releases it.  record_view_parse: NCEN_EPARSE on malformed bytes (the
 * view then answers nothing).  record_view_field: fn on each value of a
 * named field, pointing into the view's copy, not NUL-terminated.
 */
struct record_view {
	char		*copy;
	size_t		 size, cap;
	int		 valid;
	struct {
		const char	*name;
		size_t		 namelen, first, n;
	}		*entries;
	size_t		 nentries, entcap;
	struct {
		const char	*s;
		size_t		 len;
	}		*values;
	size_t		 nvalues, valcap;
};

int		 record_view_parse(struct record_view *, const void *, size_t);
void		 record_view_field(const struct record_view *, const char *name,
		     void (*)(const char *, size_t, void *), void *arg);
void		 record_view_free(struct record_view *);

#endif
