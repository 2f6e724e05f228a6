/*
 * ui-field.c - one field of a form as the officer meets it: the width of
 * its input, and what they typed checked by the project's validator
 * (schema_value_check), with refusals in words in their language.
 *
 * The rules live in schema-validate.c; here is only how to say that a
 * value breaks them, one table row per field type.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "ui-field.h"
#include "ui.h"
#include "validate.h"

#define UI_FIELD_CODE_MIN	6	/* room to start typing a label */
#define UI_FIELD_CODE_MAX	100	/* characters of a typed label */

/* How each type is described, and the width of its input. */
static const struct ui_field_type {
	enum schema_type	 type;
	int			 width;		/* 0: from the field */
	const char		*what;		/* for help */
} ui_field_types[] = {
	{ SCHEMA_TEXT, 0, N_("text") },
	{ SCHEMA_INTEGER, 12, N_("a whole number") },
	{ SCHEMA_DECIMAL, 0, N_("a number, with a point for decimals") },
	{ SCHEMA_DATE, 10, N_("a date YYYY-MM-DD") },
	{ SCHEMA_DATETIME, 16, N_("a date and time YYYY-MM-DD HH:MM") },
	{ SCHEMA_CODE, 0, N_("a code of a list (^P picks one)") },
	{ SCHEMA_REF, 10, N_("a record number (^P picks one)") },
};

/* The row of a type. */
static const struct ui_field_type *
ui_field_type(enum schema_type t)
{
	size_t	i;

	for (i = 0; i < sizeof ui_field_types / sizeof ui_field_types[0]; i++)
		if (ui_field_types[i].type == t)
			return &ui_field_types[i];
	return &ui_field_types[0];
}

/* Columns the input would like. */
int
ui_field_width(const struct schema *s, const struct schema_field *f)
{
	const struct schema_codelist	*l;
	size_t				 i;
	int				 w = UI_FIELD_CODE_MIN, cw;

	switch (f->type) {
	case SCHEMA_TEXT:
		return (int)f->size;
	case SCHEMA_DECIMAL:
		return (int)f->size + 2;
	case SCHEMA_CODE:
		if ((l = schema_list_find(s, f->target)) != NULL)
			for (i = 0; i < l->ncodes; i++)
				if ((cw = ui_text_width(l->codes[i].code)) > w)
					w = cw;
		return w;
	default:
		return ui_field_type(f->type)->width;
	}
}

/* Characters the input may hold. */
int
ui_field_max(const struct schema_field *f)
{
	switch (f->type) {
	case SCHEMA_TEXT:
		return (int)f->size;
	case SCHEMA_CODE:
		return UI_FIELD_CODE_MAX;
	case SCHEMA_DECIMAL:
		return (int)f->size + 2;
	case SCHEMA_DATETIME:
		return 19;
	case SCHEMA_INTEGER:
		return 20;
	default:
		return ui_field_type(f->type)->width;
	}
}

/* The field's label in the officer's language (its name if it has none). */
const char *
ui_field_label(struct ui *u, const struct schema_field *f)
{
	const char	*l = schema_label(f->label, u->lang);

	return l != NULL && *l != '\0' ? l : f->name;
}

/* How each identifier rule (check NAME) is said to an officer. */
static const struct ui_field_rule {
	enum schema_check	 check;
	const char		*what;		/* for help */
	const char		*refusal;	/* after "LABEL: 'TYPED' " */
} ui_field_rules[] = {
	{ SCHEMA_CHECK_IMO, N_("an IMO number: seven digits, the last a "
	  "check digit"), N_("is not an IMO number (seven digits)") },
	{ SCHEMA_CHECK_ISO6346, N_("a container number: four letters (the "
	  "fourth U, J or Z), six digits and a check digit"),
	  N_("is not a container number (4 letters, U/J/Z last, 7 digits)") },
	{ SCHEMA_CHECK_VIN, N_("a VIN: seventeen letters and digits, without "
	  "I, O or Q"), N_("is not a VIN (17 letters and digits, no I, O "
	  "or Q)") },
};

/* The row of a field's rule, or NULL. */
static const struct ui_field_rule *
ui_field_rule(const struct schema_field *f)
{
	size_t	i;

	for (i = 0; i < sizeof ui_field_rules / sizeof ui_field_rules[0]; i++)
		if (ui_field_rules[i].check == f->check)
			return &ui_field_rules[i];
	return NULL;
}

/*
 * Whether a stored value's check digit is wrong: 1 with the question
 * that asks for a reason to keep it and the refusal when none is given.
 */
int
ui_field_digit(struct ui *u, const struct schema_field *f, const char *value,
    struct buf *question, struct buf *refusal)
{
	size_t	n = strlen(value);
	char	want;

	if (!schema_check_digit(f, value, &want))
		return 0;
	buf_reset(question);
	buf_reset(refusal);
	buf_addf(question, _("Check digit should be %c, not %c; reason to keep "
	    "it:"), want, value[n - 1]);
	buf_addf(refusal, _("%s: check digit should be %c, not %c; fix it or "
	    "give a reason"), ui_field_label(u, f), want, value[n - 1]);
	return 1;
}

/* Word a refused text value. */
static void
ui_field_text_refusal(struct ui *u, const struct schema_field *f,
    const char *typed, struct buf *msg)
{
	const struct ui_field_rule	*r = ui_field_rule(f);
	struct buf			 shown = BUF_INIT;
	size_t				 n;

	if (schema_utf8_check(typed, strlen(typed), &n) != NCEN_OK ||
	    !ui_text_valid(typed, strlen(typed)))
		buf_addf(msg, _("%s: only text can be typed here; bytes that "
		    "are not UTF-8 text were refused"), ui_field_label(u, f));
	else if (n <= f->size && r != NULL) {
		ui_text_clip(typed, 20, &shown);
		/* TRANSLATORS: label, what was typed, why it is refused. */
		buf_addf(msg, _("%s: '%s' %s"), ui_field_label(u, f),
		    buf_cstr(&shown), _(r->refusal));
	} else
		buf_addf(msg, _("%s takes at most %u characters; %zu were "
		    "typed"), ui_field_label(u, f), f->size, n);
	buf_free(&shown);
}

/* Check what was typed; 0 with canon, or -1 with msg. */
int
ui_field_check(struct ui *u, const struct schema_field *f, const char *typed,
    struct buf *canon, struct buf *msg)
{
	const struct schema_codelist	*l;
	const struct schema_code	*first;
	struct buf			 shown = BUF_INIT;
	const char			*s;
	size_t				 n;

	buf_reset(canon);
	buf_reset(msg);
	for (s = typed; *s == ' '; s++)
		;
	if (*s == '\0')
		return 0;
	if (schema_value_check(u->schema, f, typed, canon, NULL) == NCEN_OK)
		return 0;
	/* Say it in words, quoting what was typed (clipped, printable). */
	ui_text_clip(s, 40, &shown);
	while (shown.len > 0 && shown.s[shown.len - 1] == ' ')
		shown.s[--shown.len] = '\0';
	switch (f->type) {
	case SCHEMA_TEXT:
		ui_field_text_refusal(u, f, typed, msg);
		break;
	case SCHEMA_CODE:
		l = schema_list_find(u->schema, f->target);
		n = schema_code_label_matches(l, s, &first);
		if (n > 1)
			buf_addf(msg, _("'%s' is the label of %zu codes of "
			    "list %s: type the code, or ^P to pick"),
			    buf_cstr(&shown), n, f->target);
		else
			buf_addf(msg, _("'%s' is not a code of list %s"),
			    buf_cstr(&shown), f->target);
		break;
	case SCHEMA_DECIMAL:
		buf_addf(msg, _("'%s' is not a number that fits here (at most "
		    "%u digits, %u after the point)"), buf_cstr(&shown),
		    f->size, f->scale);
		break;
	case SCHEMA_DATE:
		buf_addf(msg, _("%s is not a date: type YYYY-MM-DD, a day of "
		    "the calendar"), buf_cstr(&shown));
		break;
	case SCHEMA_DATETIME:
		buf_addf(msg, _("%s is not a date and time: type YYYY-MM-DD "
		    "HH:MM"), buf_cstr(&shown));
		break;
	case SCHEMA_INTEGER:
		buf_addf(msg, _("'%s' is not a whole number"),
		    buf_cstr(&shown));
		break;
	case SCHEMA_REF:
		buf_addf(msg, _("'%s' is not a record number"),
		    buf_cstr(&shown));
		break;
	}
	buf_free(&shown);
	buf_reset(canon);
	return -1;
}

/* Append what the field takes. */
void
ui_field_describe(struct ui *u, const struct schema_field *f, struct buf *b)
{
	(void)u;
	if (f->type == SCHEMA_TEXT && ui_field_rule(f) != NULL)
		buf_adds(b, _(ui_field_rule(f)->what));
	else if (f->type == SCHEMA_TEXT)
		buf_addf(b, _("text, at most %u characters"), f->size);
	else if (f->type == SCHEMA_CODE)
		buf_addf(b, _("a code of list %s (^P picks one)"), f->target);
	else if (f->type == SCHEMA_REF)
		buf_addf(b, _("a %s record (^P picks one)"), f->target);
	else
		buf_adds(b, _(ui_field_type(f->type)->what));
	if (f->repeated)
		buf_adds(b, _("; several values (^Y adds one, ^D removes "
		    "one)"));
}

/* Append the label of one code of the field's list. */
void
ui_field_code_label(struct ui *u, const struct schema_field *f,
    const char *code, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*c;
	const char			*label;

	if (f->type != SCHEMA_CODE || code == NULL || *code == '\0' ||
	    (l = schema_list_find(u->schema, f->target)) == NULL ||
	    (c = schema_code_find(l, code)) == NULL)
		return;
	if ((label = schema_label(c->label, u->lang)) != NULL)
		buf_adds(b, label);
}
