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
 *
 * Patterns (schema-pattern.c), for text fields with `pattern hs|time|
 * utc-offset`: the value's shape is part of schema_value_check(), a
 * refusal like any other (reasons read "expected an HS code (4, 6, 8 or
 * 10 digits), found '12AB'"), and its canonical text is the shape's
 * (digits only for HS codes, HH:MM, +HH:MM).  A record made before its
 * field had a pattern must still read back: schema_value_stored() is
 * schema_value_check() without the pattern (the value is kept as its
 * type reads it, never reshaped), and schema_validate() in SCHEMA_STORED
 * mode checks as SCHEMA_DRAFT does, patterns left out (dumps loaded
 * back).
 * schema_pattern_fits() answers whether a stored value is the canonical
 * value of its field's shape (1 for a field without a pattern): Icomm
 * sends no value that does not fit.
 *
 * Check digits (schema-check.c), for fields with `check imo|iso6346|vin`:
 * the shape of the identifier (seven digits; four letters, the fourth
 * U, J or Z, and seven digits; seventeen characters without I, O or Q)
 * is part of schema_value_check(), a refusal like any other.  A check
 * digit that does not match is not a refusal but a warning, which a
 * person may override with a reason: the override is kept with the
 * record as the extra value "check.FIELD.VALUE" = REASON (record.h
 * extras round-trip through storage, drafts and dumps), so it belongs
 * to that value and no other.
 * - schema_check_digit() answers 1 when a canonical value's check digit
 *   is wrong, with the digit it should be in *want, else 0 (no check,
 *   right digit, no check digit in the rule, or not of the shape).
 * - schema_check_compute() gives the check digit of an identifier's
 *   characters before it ('\0' for VINs, which have none here).
 * - schema_check_warning() appends "the check digit of IMO number
 *   9074728 should be 9, not 8".
 * - schema_check_record() appends "FIELD: WARNING\n" for each value
 *   whose check digit is wrong and that has no override, and answers
 *   how many.
 * - schema_check_override() gives a value's override reason (borrowed)
 *   or NULL; schema_check_override_set() sets it (a NULL or empty reason
 *   removes it); schema_check_prune() removes overrides of values the
 *   record no longer holds;
 *   schema_check_take() replaces a record's overrides with another's
 *   (then prunes).
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
	SCHEMA_STORED,		/* read back: as a draft, old shapes kept */
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

#define SCHEMA_CHECK_EXTRA	"check."	/* prefix of override extras */

int	schema_value_stored(const struct schema *,
	    const struct schema_field *, const char *in, struct buf *canonical,
	    struct buf *reason);
int	schema_pattern_shape(const struct schema_field *, const char *in,
	    size_t len, struct buf *canon, struct buf *reason);
int	schema_pattern_fits(const struct schema_field *, const char *value);

int	schema_check_shape(const struct schema_field *, const char *in,
	    size_t len, struct buf *canon, struct buf *reason);
int	schema_check_digit(const struct schema_field *, const char *value,
	    char *want);
char	schema_check_compute(enum schema_check, const char *body);
void	schema_check_warning(const struct schema_field *, const char *value,
	    char want, struct buf *);
size_t	schema_check_record(const struct record *, struct buf *warnings);
const char *schema_check_override(const struct record *, const char *field,
	    const char *value);
void	schema_check_override_set(struct record *, const char *field,
	    const char *value, const char *reason);
void	schema_check_prune(struct record *);
void	schema_check_take(struct record *to, const struct record *from);

#endif
