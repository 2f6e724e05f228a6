/*
 * validate.h - checking values and records against their form.
 *
 * Contract: schema_value_check() turns what a person or a file typed into
 * the field's canonical stored text (a code label becomes its code,
 * "12.5" in a decimal(9,3) becomes "12.500", dates are checked against
 * the calendar) or explains why it cannot.  schema_validate() checks a
 * whole record: types, lengths (in characters, UTF-8 checked), required
 * fields (only in SCHEMA_SUBMIT mode), code membership, calendar dates
 * and that references name records that exist (through the caller's
 * callback, so this layer needs no database).  Every problem found is
 * appended to `problems`, one per line, as "FIELD: reason"; the return
 * is NCEN_OK or NCEN_EINVALID (or the callback's error).  The index key
 * of a value is byte-comparable in the field's natural order (numbers
 * numerically, text case-folded).  Nothing here exits or prints.
 *
 * Details callers rely on:
 * - schema_value_check() ignores space around the input, empties
 *   `canonical` and `reason` first (either may be NULL) and returns
 *   NCEN_OK or NCEN_EINVALID; reasons read "expected ..., found ...".
 * - schema_validate() treats an empty value ("") as no value, and
 *   refuses a value that is valid but not canonical ("amount: expected
 *   the stored form '12.500', found '12.5'"): records hold canonical
 *   text only.  A callback answering a negative -CODE makes it return
 *   CODE at once.  A record without a form gives NCEN_EUSAGE.
 * - schema_index_key() appends to `key` and reads exactly len bytes
 *   (values need not be NUL-terminated): integers and decimals (scaled
 *   to the field's scale) as 8 big-endian bytes with the sign bit
 *   flipped, references as the 8-byte big-endian id, dates, datetimes
 *   and codes as their text, text with ASCII letters in lower case.  A
 *   value that does not parse keys as its bytes.  For a lookup, pass
 *   what was typed through schema_value_check() first.
 * - schema_utf8_check() returns NCEN_OK with the number of characters
 *   in *nchars, or NCEN_EINVALID with the byte offset of the first
 *   invalid sequence in *nchars (nchars may be NULL).
 */
#ifndef NCEN_VALIDATE_H
#define NCEN_VALIDATE_H

#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"

enum schema_mode {
	SCHEMA_DRAFT,		/* drafting: required fields may be empty */
	SCHEMA_SUBMIT,		/* submission: everything must be there */
};

/* Answer 1 if ENTITY record ID exists, 0 if not, or an ncen_code < 0. */
typedef int (*schema_ref_fn)(const char *entity, uint64_t id, void *arg);

int	schema_value_check(const struct schema *, const struct schema_field *,
	    const char *in, struct buf *canonical, struct buf *reason);
int	schema_validate(const struct schema *, const struct record *,
	    enum schema_mode, schema_ref_fn, void *arg, struct buf *problems);
void	schema_index_key(const struct schema_field *, const char *value,
	    size_t len, struct buf *key);
int	schema_utf8_check(const char *, size_t, size_t *nchars);

#endif
