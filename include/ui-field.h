/*
 * ui-field.h - what the form screen asks of one field: how wide its
 * input is, whether what the officer typed is acceptable (in words when
 * it is not), and how to describe it.
 *
 * The checks are the project's validator (schema_value_check); this
 * layer only words the refusals for an officer, in their language.
 * Strings appended to buffers are UTF-8; nothing here draws.
 */
#ifndef NCEN_UI_FIELD_H
#define NCEN_UI_FIELD_H

#include "buf.h"
#include "schema.h"
#include "ui.h"

/* Columns the input would like (a code: its longest code, at least 6). */
int	 ui_field_width(const struct schema *, const struct schema_field *);
/* Characters the input may hold (text(n): n). */
int	 ui_field_max(const struct schema_field *);
/*
 * Check typed text: 0 with the stored form in canon (empty text is no
 * value and passes), -1 with a sentence for the status line in msg.
 * References are checked for form only; their records by the caller.
 */
int	 ui_field_check(struct ui *, const struct schema_field *,
	     const char *typed, struct buf *canon, struct buf *msg);
/*
 * A checked value (check imo|iso6346) whose check digit is wrong: 1 with
 * the question asking why to keep it and the refusal if no reason is
 * given, else 0.
 */
int	 ui_field_digit(struct ui *, const struct schema_field *,
	     const char *value, struct buf *question, struct buf *refusal);
/* The field's label in the officer's language. */
const char *ui_field_label(struct ui *, const struct schema_field *);
/* Append what the field takes ("a date YYYY-MM-DD", ...). */
void	 ui_field_describe(struct ui *, const struct schema_field *,
	     struct buf *);
/* Append the label of a code of the field's list (nothing if unknown). */
void	 ui_field_code_label(struct ui *, const struct schema_field *,
	     const char *code, struct buf *);

#endif
