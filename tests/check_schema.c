/*
 * check_schema.c - the forms language: parsing forms and code lists,
 * loading directories, and every error message with its position.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "schema.h"
#include "testlib.h"
#include "xmalloc.h"

/* Header lines most error cases start from. */
#define HDR2	"ncen-forms 1\nform t 1\n"
#define HDR	HDR2 "label en \"T\"\nlabel fr \"T\"\n"
#define FLD	HDR "field a text(3)\n  label en \"A\"\n  label fr \"A\"\n"
#define CHDR	"ncen-codes 1\nlist u 1\n"
#define TYPES	"a type (text(n), integer, decimal(p,s), date, datetime, " \
		"code:LIST, ref:ENTITY)"
#define NAMERULE "([a-z][a-z0-9_]*, at most 32 characters)"

/* Parse text of exactly len bytes (a copy without a NUL, for ASan). */
static int
parse_form(const char *path, const char *text, size_t len,
    struct schema_form **form, struct ncen_err *err)
{
	char	*copy = xmemdup(text, len);
	int	 r;

	r = schema_form_parse(path, copy, len, form, err);
	free(copy);
	return r;
}

/* The same for a code list. */
static int
parse_codes(const char *path, const char *text, size_t len,
    struct schema_codelist **list, struct ncen_err *err)
{
	char	*copy = xmemdup(text, len);
	int	 r;

	r = schema_codes_parse(path, copy, len, list, err);
	free(copy);
	return r;
}

/* One parser error: the input and the whole message it must give. */
struct parse_error {
	const char	*name;
	const char	*text;
	const char	*message;
};

/* Every error message of the .form parser, one row each. */
static const struct parse_error form_errors[] = {
	{ "control character", "ncen-forms 1\x01\n",
	  "t.form:1:13: expected text, found control character 0x01" },
	{ "invalid UTF-8", HDR2 "label en \"\xc3\xa9\xff\"\n",
	  "t.form:3:12: expected UTF-8 text, found the invalid byte 0xff "
	  "(byte 34 of the file)" },
	{ "unterminated string", HDR2 "label en \"Case\n",
	  "t.form:3:15: expected '\"' to close the string begun at column 10, "
	  "found the end of the line" },
	{ "unknown escape", HDR2 "label en \"a\\qb\"\n",
	  "t.form:3:13: expected an escape (\\\", \\\\, \\n or \\t) after '\\', "
	  "found 'q'" },
	{ "escape at the end of the line", HDR2 "label en \"a\\\n",
	  "t.form:3:13: expected an escape (\\\", \\\\, \\n or \\t) after '\\', "
	  "found the end of the line" },
	{ "too many words", "ncen-forms 1 a b c d e f g h i j k l m n o\n",
	  "t.form:1:42: expected at most 16 words on a line, found more" },
	{ "no language line", "form t 1\n",
	  "t.form:1:1: expected the language line 'ncen-forms 1', found "
	  "'form'" },
	{ "empty file", "# nothing but a comment\n",
	  "t.form:2:1: expected the language line 'ncen-forms 1', found the "
	  "end of the file" },
	{ "no language version", "ncen-forms\n",
	  "t.form:1:11: expected a language version after 'ncen-forms', found "
	  "the end of the line" },
	{ "unknown language version", "ncen-forms 2\n",
	  "t.form:1:12: expected language version 1, found '2'" },
	{ "junk at the end of a line", "ncen-forms 1 x\n",
	  "t.form:1:14: expected the end of the line, found 'x'" },
	{ "no form declaration", "ncen-forms 1\nfield a text(3)\n",
	  "t.form:2:1: expected 'form NAME VERSION', found 'field'" },
	{ "bad form name", "ncen-forms 1\nform Case 1\n",
	  "t.form:2:6: expected a form name " NAMERULE ", found 'Case'" },
	{ "bad form version", "ncen-forms 1\nform t 0\n",
	  "t.form:2:8: expected a form version (a whole number from 1 to "
	  "999999), found '0'" },
	{ "unknown statement in a form", HDR2 "help en \"x\"\n",
	  "t.form:3:1: expected a statement (label, field, retain), found 'help'" },
	{ "unknown statement in a field", FLD "lable en \"x\"\n",
	  "t.form:8:1: expected a statement (label, help, heading, at, "
	  "field), found 'lable'" },
	{ "heading given twice", FLD "heading en \"X\"\nheading en \"Y\"\n",
	  "t.form:9:1: expected one 'heading en' (the first is at line 8), "
	  "found a second" },
	{ "bad field name", HDR "field Date date\n",
	  "t.form:5:7: expected a field name " NAMERULE ", found 'Date'" },
	{ "field name too long", HDR
	  "field abcdefghijklmnopqrstuvwxyz0123456 date\n",
	  "t.form:5:7: expected a field name " NAMERULE ", found "
	  "'abcdefghijklmnopqrstuvwxyz0123456'" },
	{ "duplicate field", FLD "field a date\n",
	  "t.form:8:7: expected a new field name ('a' is already defined at "
	  "line 5), found 'a'" },
	{ "unknown type", HDR "field a txt\n",
	  "t.form:5:9: expected " TYPES ", found 'txt'" },
	{ "text without a length", HDR "field a text\n",
	  "t.form:5:13: expected '(' and a length after 'text', found the end "
	  "of the type" },
	{ "text length out of range", HDR "field a text(0)\n",
	  "t.form:5:14: expected a text length from 1 to 65535, found '0'" },
	{ "text without ')'", HDR "field a text(40\n",
	  "t.form:5:16: expected ')' after the length, found the end of the "
	  "type" },
	{ "junk after a type", HDR "field a text(40)x\n",
	  "t.form:5:17: expected the end of the type, found 'x'" },
	{ "decimal without a precision", HDR "field a decimal\n",
	  "t.form:5:16: expected '(' and a precision after 'decimal', found "
	  "the end of the type" },
	{ "decimal precision out of range", HDR "field a decimal(19,2)\n",
	  "t.form:5:17: expected a precision from 1 to 18, found '19'" },
	{ "decimal without a scale", HDR "field a decimal(9)\n",
	  "t.form:5:18: expected ',' and a scale after the precision, found "
	  "')'" },
	{ "decimal scale above precision", HDR "field a decimal(9,10)\n",
	  "t.form:5:19: expected a scale from 0 to 9 (the precision), found "
	  "'10'" },
	{ "decimal without ')'", HDR "field a decimal(9,2\n",
	  "t.form:5:20: expected ')' after the scale, found the end of the "
	  "type" },
	{ "code without a list", HDR "field a code\n",
	  "t.form:5:13: expected ':' and a code list name after 'code', found "
	  "the end of the type" },
	{ "bad code list name", HDR "field a code:Unit\n",
	  "t.form:5:14: expected a code list name " NAMERULE ", found 'Unit'" },
	{ "ref without a form", HDR "field a ref\n",
	  "t.form:5:12: expected ':' and a form name after 'ref', found the "
	  "end of the type" },
	{ "bad ref form name", HDR "field a ref:\n",
	  "t.form:5:13: expected a form name " NAMERULE ", found the end of "
	  "the type" },
	{ "unknown attribute", HDR "field a date requird\n",
	  "t.form:5:14: expected a field attribute (required, index, "
	  "repeated, share LEVEL, check RULE, pattern NAME, search KIND), "
	  "found 'requird'" },
	{ "unknown search kind", HDR "field a text(7) search nam\n",
	  "t.form:5:24: expected a search kind (name, alias, number, date, "
	  "country), found 'nam'" },
	{ "search without a kind", HDR "field a text(7) search\n",
	  "t.form:5:23: expected a search kind (name, alias, number, date, "
	  "country), found the end of the line" },
	{ "search date on text", HDR "field a text(7) search date\n",
	  "t.form:5:24: expected 'search date' on a field of type date, found "
	  "it on a field of type text" },
	{ "search name on a code", HDR "field a code:unit search name\n",
	  "t.form:5:26: expected 'search name' on a field of type text, "
	  "found it on a field of type code" },
	{ "search twice", HDR "field a text(7) search name search alias\n",
	  "t.form:5:29: expected each attribute once ('search' is already "
	  "given at column 17), found 'search'" },
	{ "unknown check", HDR "field a text(7) check imo7\n",
	  "t.form:5:23: expected a check (imo, iso6346, vin), found 'imo7'" },
	{ "check without a rule", HDR "field a text(7) check\n",
	  "t.form:5:22: expected a check (imo, iso6346, vin), found the end "
	  "of the line" },
	{ "check on a date", HDR "field a date check imo\n",
	  "t.form:5:14: expected 'check' on a text field, found it on a field "
	  "of type date" },
	{ "unknown pattern", HDR "field a text(7) pattern hhmm\n",
	  "t.form:5:25: expected a pattern (hs, time, utc-offset), found "
	  "'hhmm'" },
	{ "pattern without a name", HDR "field a text(7) pattern\n",
	  "t.form:5:24: expected a pattern (hs, time, utc-offset), found the "
	  "end of the line" },
	{ "pattern on a code", HDR "field a code:u pattern hs\n",
	  "t.form:5:16: expected 'pattern' on a text field, found it on a "
	  "field of type code" },
	{ "pattern too long for its text", HDR "field a text(4) pattern "
	  "utc-offset\n",
	  "t.form:5:9: expected text(6) or longer for pattern utc-offset, "
	  "found text(4)" },
	{ "pattern and check", HDR "field a text(13) check imo pattern hs\n",
	  "t.form:5:28: expected 'check' or 'pattern', found both" },
	{ "check and pattern", HDR "field a text(13) pattern hs check imo\n",
	  "t.form:5:29: expected 'check' or 'pattern', found both" },
	{ "free text shared at cen", HDR "field a text(40) index share cen\n",
	  "t.form:5:24: expected a code, a number, a date or text with a "
	  "pattern (hs, time, utc-offset) for a field shared at level cen, "
	  "found free text (text(40)): it could carry a name to the global "
	  "database" },
	{ "a check is no pattern at cen", HDR "field a text(7) share cen "
	  "check imo\n",
	  "t.form:5:17: expected a code, a number, a date or text with a "
	  "pattern (hs, time, utc-offset) for a field shared at level cen, "
	  "found free text (text(7)): it could carry a name to the global "
	  "database" },
	{ "attribute twice", HDR "field a date index index\n",
	  "t.form:5:20: expected each attribute once ('index' is already "
	  "given at column 14), found 'index'" },
	{ "unknown sharing level", HDR "field a date share global\n",
	  "t.form:5:20: expected a sharing level (local, partner, cen), found "
	  "'global'" },
	{ "unknown language", HDR2 "label de \"x\"\n",
	  "t.form:3:7: expected a language (en, fr), found 'de'" },
	{ "label twice", HDR "label en \"U\"\n",
	  "t.form:5:1: expected one 'label en' (the first is at line 3), "
	  "found a second" },
	{ "help twice", FLD "help en \"x\"\nhelp en \"y\"\n",
	  "t.form:9:1: expected one 'help en' (the first is at line 8), found "
	  "a second" },
	{ "label not quoted", HDR2 "label en Case\n",
	  "t.form:3:10: expected a quoted label, found 'Case'" },
	{ "empty label", HDR2 "label en \"\"\n",
	  "t.form:3:10: expected a non-empty label, found the string ''" },
	{ "help not quoted", FLD "help en x\n",
	  "t.form:8:9: expected a quoted help text, found 'x'" },
	{ "empty help", FLD "help fr \"\"\n",
	  "t.form:8:9: expected a non-empty help text, found the string ''" },
	{ "bad row", FLD "at x 2\n",
	  "t.form:8:4: expected a row number from 0 to 999, found 'x'" },
	{ "bad column", FLD "at 2 1000\n",
	  "t.form:8:6: expected a column number from 0 to 999, found '1000'" },
	{ "at twice", FLD "at 1 1\nat 2 2\n",
	  "t.form:9:1: expected one 'at' (the first is at line 8), found a "
	  "second" },
	{ "field without English label", HDR "field a date\n  label fr \"A\"\n",
	  "t.form:5:7: expected 'label en' for field 'a', found none" },
	{ "field without French label",
	  HDR "field a date\n  label en \"A\"\nfield b date\n",
	  "t.form:5:7: expected 'label fr' for field 'a', found none" },
	{ "form without English label", HDR2 "label fr \"T\"\nfield a date\n",
	  "t.form:2:6: expected 'label en' for form 't', found none" },
	{ "form without French label", HDR2 "label en \"T\"\n",
	  "t.form:2:6: expected 'label fr' for form 't', found none" },
	{ "form without fields", HDR,
	  "t.form:5:1: expected at least one field in the form, found the "
	  "end of the file" },
};

/* Every error message of the .codes parser, one row each. */
static const struct parse_error codes_errors[] = {
	{ "no language line", "ncen-forms 1\n",
	  "u.codes:1:1: expected the language line 'ncen-codes 1', found "
	  "'ncen-forms'" },
	{ "no list declaration", "ncen-codes 1\nform u 1\n",
	  "u.codes:2:1: expected 'list NAME VERSION', found 'form'" },
	{ "bad list name", "ncen-codes 1\nlist U 1\n",
	  "u.codes:2:6: expected a list name " NAMERULE ", found 'U'" },
	{ "bad list version", "ncen-codes 1\nlist u x\n",
	  "u.codes:2:8: expected a list version (a whole number from 1 to "
	  "999999), found 'x'" },
	{ "bad code", CHDR "K*M \"a\" \"b\"\n",
	  "u.codes:3:1: expected a code (letters, digits, '.', '-' or '_', at "
	  "most 32 characters), found 'K*M'" },
	{ "English label not quoted", CHDR "KGM Kilogram \"b\"\n",
	  "u.codes:3:5: expected a quoted English label, found 'Kilogram'" },
	{ "no French label", CHDR "KGM \"Kilogram\"\n",
	  "u.codes:3:15: expected a quoted French label, found the end of the "
	  "line" },
	{ "empty English label", CHDR "KGM \"\" \"b\"\n",
	  "u.codes:3:5: expected a non-empty English label, found the string "
	  "''" },
	{ "empty French label", CHDR "KGM \"a\" \"\"\n",
	  "u.codes:3:9: expected a non-empty French label, found the string "
	  "''" },
	{ "a third label", CHDR "KGM \"a\" \"b\" \"c\"\n",
	  "u.codes:3:13: expected the end of the line, found the string 'c'" },
	{ "duplicate code", CHDR "KGM \"a\" \"b\"\nGRM \"c\" \"d\"\n"
	  "  KGM \"e\" \"f\"\n",
	  "u.codes:5:3: expected each code once, found 'KGM' again (the "
	  "first is at line 3)" },
	{ "empty list", CHDR,
	  "u.codes:3:1: expected at least one code in the list, found the end "
	  "of the file" },
	{ "for without kinds", CHDR "SUSPECT \"a\" \"b\" for\n",
	  "u.codes:3:20: expected the kinds of record the code applies to "
	  "(names, the likely one's ending in '*'), found the end of the "
	  "line" },
	{ "a bad kind", CHDR "SUSPECT \"a\" \"b\" for person Boat\n",
	  "u.codes:3:28: expected a kind of record (a name, the likely one's "
	  "ending in '*'), found 'Boat'" },
	{ "words between the labels and for", CHDR
	  "SUSPECT \"a\" \"b\" x for person\n",
	  "u.codes:3:17: expected the end of the line, found 'x'" },
};

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* Each .form error row gives its exact message and no form. */
START_TEST(test_form_error)
{
	const struct parse_error	*e = &form_errors[_i];
	struct schema_form		*form = (void *)1;
	struct ncen_err			 err = NCEN_ERR_INIT;
	int				 r;

	r = parse_form("t.form", e->text, strlen(e->text), &form, &err);
	ck_assert_msg(r == NCEN_EPARSE, "%s: returned %d", e->name, r);
	ck_assert_msg(form == NULL, "%s: a form came back", e->name);
	ck_assert_msg(err.code == NCEN_EPARSE, "%s: code %d", e->name,
	    err.code);
	ck_assert_msg(strcmp(ncen_err_msg(&err), e->message) == 0,
	    "%s:\n got  %s\n want %s", e->name, ncen_err_msg(&err),
	    e->message);
	ncen_err_free(&err);
}
END_TEST

/* Each .codes error row gives its exact message and no list. */
START_TEST(test_codes_error)
{
	const struct parse_error	*e = &codes_errors[_i];
	struct schema_codelist		*list = (void *)1;
	struct ncen_err			 err = NCEN_ERR_INIT;
	int				 r;

	r = parse_codes("u.codes", e->text, strlen(e->text), &list, &err);
	ck_assert_msg(r == NCEN_EPARSE, "%s: returned %d", e->name, r);
	ck_assert_msg(list == NULL, "%s: a list came back", e->name);
	ck_assert_msg(strcmp(ncen_err_msg(&err), e->message) == 0,
	    "%s:\n got  %s\n want %s", e->name, ncen_err_msg(&err),
	    e->message);
	ncen_err_free(&err);
}
END_TEST

/* A NUL byte is a control character like any other. */
START_TEST(test_form_nul)
{
	static const char	 text[] = "ncen-forms 1\nform t\0 1\n";
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;

	ck_assert_int_eq(parse_form("t.form", text, sizeof text - 1, &form,
	    &err), NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err),
	    "t.form:2:7: expected text, found control character 0x00");
	ncen_err_free(&err);
}
END_TEST

/* More than 1024 fields is refused where the 1025th starts. */
START_TEST(test_form_too_many_fields)
{
	struct buf		 b = BUF_INIT;
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;
	int			 i;

	buf_adds(&b, HDR);
	for (i = 0; i < 1025; i++)
		buf_addf(&b, "field f%d integer\n label en \"x\"\n"
		    " label fr \"x\"\n", i);
	ck_assert_int_eq(parse_form("t.form", b.s, b.len, &form, &err),
	    NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "t.form:3077:1: expected at "
	    "most 1024 fields in a form, found more");
	ncen_err_free(&err);
	buf_free(&b);
}
END_TEST

/* Read a fixture into memory; the caller frees it. */
static char *
fixture(const char *rel, size_t *len, char **path)
{
	char	*p = test_path(rel), *text;

	text = test_read_file(p, len);
	ck_assert_msg(text != NULL, "cannot read %s", p);
	if (path != NULL)
		*path = p;
	else
		free(p);
	return text;
}

/* A good form comes back with every attribute as written. */
START_TEST(test_form_good)
{
	struct schema_form		*form;
	const struct schema_field	*f;
	struct ncen_err			 err = NCEN_ERR_INIT;
	char				*text, *path;
	size_t				 len;

	text = fixture("tests/fixtures/forms/good/sample.form", &len, &path);
	ck_assert_int_eq(parse_form(path, text, len, &form, &err), NCEN_OK);
	ck_assert_str_eq(form->name, "sample");
	ck_assert_uint_eq(form->version, 7);
	ck_assert_str_eq(form->label[SCHEMA_EN], "Sample");
	ck_assert_str_eq(form->label[SCHEMA_FR], "\xc3\x89" "chantillon");
	ck_assert_str_eq(form->path, path);
	ck_assert_uint_eq(form->line, 4);
	ck_assert_uint_eq(form->col, 6);
	ck_assert_uint_eq(form->nfields, 7);

	f = &form->fields[0];
	ck_assert_str_eq(f->name, "title");
	ck_assert_int_eq(f->type, SCHEMA_TEXT);
	ck_assert_uint_eq(f->size, 40);
	ck_assert_int_eq(f->required, 1);
	ck_assert_int_eq(f->indexed, 1);
	ck_assert_int_eq(f->repeated, 0);
	ck_assert_int_eq(f->share, SCHEMA_PARTNER);
	ck_assert_str_eq(f->label[SCHEMA_EN], "Title \"quoted\"");
	ck_assert_str_eq(f->label[SCHEMA_FR], "Titre \\ barre");
	ck_assert_str_eq(f->help[SCHEMA_EN], "Line one\nline two");
	ck_assert_str_eq(f->help[SCHEMA_FR], "Aide\tavec tabulation");
	ck_assert_int_eq(f->row, 3);
	ck_assert_int_eq(f->col, 2);
	ck_assert_uint_eq(f->line, 8);
	ck_assert_uint_eq(f->namecol, 7);
	ck_assert_uint_eq(f->typecol, 13);

	f = &form->fields[1];
	ck_assert_str_eq(f->name, "count");
	ck_assert_int_eq(f->type, SCHEMA_INTEGER);
	ck_assert_int_eq(f->repeated, 1);
	ck_assert_int_eq(f->required, 0);
	ck_assert_int_eq(f->indexed, 0);
	ck_assert_int_eq(f->share, SCHEMA_CEN);
	ck_assert_ptr_null(f->help[SCHEMA_EN]);
	ck_assert_ptr_null(f->help[SCHEMA_FR]);
	ck_assert_int_eq(f->row, -1);
	ck_assert_int_eq(f->col, -1);

	f = &form->fields[2];
	ck_assert_int_eq(f->type, SCHEMA_DECIMAL);
	ck_assert_uint_eq(f->size, 12);
	ck_assert_uint_eq(f->scale, 2);
	ck_assert_int_eq(f->share, SCHEMA_LOCAL);
	ck_assert_str_eq(f->label[SCHEMA_EN], "Amount");
	ck_assert_str_eq(f->label[SCHEMA_FR], "Montant");
	ck_assert_int_eq(f->row, 0);
	ck_assert_int_eq(f->col, 999);

	ck_assert_int_eq(form->fields[3].type, SCHEMA_DATE);
	ck_assert_int_eq(form->fields[4].type, SCHEMA_DATETIME);
	ck_assert_int_eq(form->fields[4].share, SCHEMA_LOCAL);

	f = &form->fields[5];
	ck_assert_int_eq(f->type, SCHEMA_CODE);
	ck_assert_str_eq(f->target, "unit");
	ck_assert(f->required && f->repeated && f->indexed);
	ck_assert_int_eq(f->share, SCHEMA_CEN);

	f = &form->fields[6];
	ck_assert_int_eq(f->type, SCHEMA_REF);
	ck_assert_str_eq(f->target, "person");
	ck_assert(f->required && f->indexed && !f->repeated);

	schema_form_free(form);
	free(text);
	free(path);
	ncen_err_free(&err);
}
END_TEST

/* CRLF line ends and a missing final newline are fine. */
START_TEST(test_form_crlf_no_newline)
{
	static const char	 text[] = "ncen-forms 1\r\nform t 1\r\n"
	    "label en \"T\"\r\nlabel fr \"T\"\r\nfield a date\r\n"
	    "label en \"A\"\r\nlabel fr \"A\"";
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;

	ck_assert_int_eq(parse_form("t.form", text, sizeof text - 1, &form,
	    &err), NCEN_OK);
	ck_assert_uint_eq(form->nfields, 1);
	ck_assert_str_eq(form->fields[0].label[SCHEMA_FR], "A");
	schema_form_free(form);
}
END_TEST

/* Positions in a CRLF file read from disk are those an editor shows. */
START_TEST(test_form_crlf_error)
{
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 want = BUF_INIT;
	char			*text, *path;
	size_t			 len;

	text = fixture("tests/fixtures/forms/bad/crlf.form", &len, &path);
	ck_assert_int_eq(schema_form_parse(path, text, len, &form, &err),
	    NCEN_EPARSE);
	buf_addf(&want, "%s:5:9: expected " TYPES ", found 'txt'", path);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	buf_free(&want);
	free(text);
	free(path);
	ncen_err_free(&err);
}
END_TEST

/* A Latin-1 file is refused at the byte that is not UTF-8. */
START_TEST(test_form_latin1)
{
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 want = BUF_INIT;
	char			*text, *path;
	size_t			 len;

	text = fixture("tests/fixtures/forms/bad/latin1.form", &len, &path);
	ck_assert_int_eq(schema_form_parse(path, text, len, &form, &err),
	    NCEN_EPARSE);
	buf_addf(&want, "%s:3:14: expected UTF-8 text, found the invalid byte "
	    "0xe9 (byte 35 of the file)", path);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	buf_free(&want);
	free(text);
	free(path);
	ncen_err_free(&err);
}
END_TEST

/* Nothing past len is read: the bytes after it do not count. */
START_TEST(test_form_len_respected)
{
	static const char	 text[] = HDR "field a date\nlabel en \"A\"\n"
	    "label fr \"A\"\nthis line is past the end";
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;
	size_t			 len = strlen(text) - strlen("this line is "
				    "past the end");

	ck_assert_int_eq(parse_form("t.form", text, len, &form, &err),
	    NCEN_OK);
	schema_form_free(form);
	/* Cut inside the last label: the string is not closed. */
	ck_assert_int_eq(parse_form("t.form", text, len - 3, &form, &err),
	    NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "t.form:7:11: expected '\"' to "
	    "close the string begun at column 10, found the end of the line");
	ncen_err_free(&err);
}
END_TEST

/* Long or odd text in a message is cut and its control bytes escaped. */
START_TEST(test_form_found_quoting)
{
	static const char	 text[] = HDR2 "label en \"T\"\nlabel fr \"T\"\n"
	    "field a 'quoted'\\and_far_too_long_to_show_in_full_in_a_message\n";
	struct schema_form	*form;
	struct ncen_err		 err = NCEN_ERR_INIT;

	ck_assert_int_eq(parse_form("t.form", text, strlen(text), &form,
	    &err), NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "t.form:5:9: expected " TYPES
	    ", found '\\'quoted\\'\\\\and_far_too_long_to_show_in_ful...'");
	ncen_err_free(&err);
}
END_TEST

/* A good code list comes back sorted, with its labels. */
START_TEST(test_codes_good)
{
	struct schema_codelist		*list;
	const struct schema_code	*c;
	struct ncen_err			 err = NCEN_ERR_INIT;
	char				*text, *path;
	size_t				 len;

	text = fixture("tests/fixtures/forms/good/unit.codes", &len, &path);
	ck_assert_int_eq(parse_codes(path, text, len, &list, &err), NCEN_OK);
	ck_assert_str_eq(list->name, "unit");
	ck_assert_uint_eq(list->version, 3);
	ck_assert_uint_eq(list->line, 3);
	ck_assert_uint_eq(list->ncodes, 4);
	ck_assert_str_eq(list->codes[0].code, "GRM");
	ck_assert_str_eq(list->codes[1].code, "H87");
	ck_assert_str_eq(list->codes[2].code, "KGM");
	ck_assert_str_eq(list->codes[3].code, "LTR");
	c = schema_code_find(list, "H87");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->label[SCHEMA_EN], "Piece");
	ck_assert_str_eq(c->label[SCHEMA_FR], "Pi\xc3\xa8" "ce");
	ck_assert_ptr_null(schema_code_find(list, "h87"));
	ck_assert_ptr_null(schema_code_find(list, "XXX"));
	schema_codes_free(list);
	free(text);
	free(path);
}
END_TEST

/* "for KIND..." says which kinds a code applies to, '*' the likely one. */
START_TEST(test_codes_kinds)
{
	static const char	 text[] = "ncen-codes 1\nlist role 1\n"
	    "CARRIER \"a\" \"b\" for conveyance* business\n"
	    "KGM \"k\" \"k\" = 1000 GRM for person\n"
	    "GRM \"g\" \"g\"\n";
	struct schema_codelist	*list;
	struct ncen_err		 err = NCEN_ERR_INIT;
	const struct schema_code *c, *k, *g;

	ck_assert_int_eq(parse_codes("role.codes", text, sizeof text - 1,
	    &list, &err), NCEN_OK);
	c = schema_code_find(list, "CARRIER");
	k = schema_code_find(list, "KGM");
	g = schema_code_find(list, "GRM");
	ck_assert_str_eq(c->kinds, "conveyance* business");
	ck_assert_int_eq(schema_code_applies(c, "conveyance"), 2);
	ck_assert_int_eq(schema_code_applies(c, "business"), 1);
	ck_assert_int_eq(schema_code_applies(c, "person"), 0);
	ck_assert_int_eq(schema_code_applies(c, "convey"), 0);
	ck_assert_int_eq(schema_code_applies(c, "business*"), 0);
	ck_assert_str_eq(k->base, "GRM");
	ck_assert_str_eq(k->factor, "1000");
	ck_assert_int_eq(schema_code_applies(k, "person"), 1);
	ck_assert_int_eq(schema_code_applies(k, "business"), 0);
	ck_assert_ptr_null(g->kinds);
	ck_assert_int_eq(schema_code_applies(g, "anything"), 1);
	schema_codes_free(list);
}
END_TEST

/* Labels find their code in either language, ASCII case ignored. */
START_TEST(test_codes_find_label)
{
	static const char		 text[] = CHDR
	    "KGM \"Kilogram\" \"Kilogramme\"\nL \"Litre\" \"Litre\"\n"
	    "C62 \"Unit\" \"Un\"\nNAR \"Unit\" \"Nombre\"\n";
	struct schema_codelist		*list;
	const struct schema_code	*c;
	struct ncen_err			 err = NCEN_ERR_INIT;

	ck_assert_int_eq(parse_codes("u.codes", text, strlen(text), &list,
	    &err), NCEN_OK);
	c = schema_code_find_label(list, "kilogramme");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->code, "KGM");
	ck_assert_str_eq(schema_code_find_label(list, "KILOGRAM")->code, "KGM");
	ck_assert_str_eq(schema_code_find_label(list, "Litre")->code, "L");
	ck_assert_uint_eq(schema_code_label_matches(list, "Litre", NULL), 1);
	ck_assert_ptr_null(schema_code_find_label(list, "Unit"));
	ck_assert_uint_eq(schema_code_label_matches(list, "unit", &c), 2);
	ck_assert_str_eq(c->code, "C62");
	ck_assert_ptr_null(schema_code_find_label(list, "Kilo"));
	schema_codes_free(list);
}
END_TEST

/* Thousands of codes, written out of order, are sorted and all found. */
START_TEST(test_codes_many)
{
	struct buf		 b = BUF_INIT, c = BUF_INIT;
	struct schema_codelist	*list;
	struct ncen_err		 err = NCEN_ERR_INIT;
	int			 i;

	buf_adds(&b, CHDR);
	for (i = 9999; i >= 0; i--)
		buf_addf(&b, "C%04d \"Code %d\" \"Code %d (fr)\"\n", i, i, i);
	ck_assert_int_eq(parse_codes("u.codes", b.s, b.len, &list, &err),
	    NCEN_OK);
	ck_assert_uint_eq(list->ncodes, 10000);
	for (i = 1; i < 10000; i++)
		ck_assert(strcmp(list->codes[i - 1].code, list->codes[i].code) <
		    0);
	for (i = 0; i < 10000; i += 7) {
		buf_reset(&c);
		buf_addf(&c, "C%04d", i);
		ck_assert_ptr_nonnull(schema_code_find(list, c.s));
	}
	ck_assert_str_eq(schema_code_find_label(list, "code 1234 (FR)")->code,
	    "C1234");
	schema_codes_free(list);

	/* A duplicate deep in a big list names both lines. */
	buf_adds(&b, "C0042 \"again\" \"encore\"\n");
	ck_assert_int_eq(parse_codes("u.codes", b.s, b.len, &list, &err),
	    NCEN_EPARSE);
	ck_assert_str_eq(ncen_err_msg(&err), "u.codes:10003:1: expected each "
	    "code once, found 'C0042' again (the first is at line 9960)");
	ncen_err_free(&err);
	buf_free(&b);
	buf_free(&c);
}
END_TEST

/* Load a fixture directory; returns the code and fills the message. */
static int
load(const char *rel, struct schema **s, struct ncen_err *err, char **dir)
{
	char	*d = test_path(rel);
	int	 r;

	r = schema_load_dir(d, s, err);
	if (dir != NULL)
		*dir = d;
	else
		free(d);
	return r;
}

/* A directory loads sorted, ignoring other and hidden files. */
START_TEST(test_load_dir)
{
	struct schema			*s;
	const struct schema_form	*f;
	struct ncen_err			 err = NCEN_ERR_INIT;

	ck_assert_int_eq(load("tests/fixtures/forms/load", &s, &err, NULL),
	    NCEN_OK);
	ck_assert_uint_eq(s->nforms, 2);
	ck_assert_str_eq(s->forms[0]->name, "case");
	ck_assert_str_eq(s->forms[1]->name, "seizure");
	ck_assert_uint_eq(s->nlists, 2);
	ck_assert_str_eq(s->lists[0]->name, "direction");
	ck_assert_str_eq(s->lists[1]->name, "unit");
	f = schema_form_find(s, "seizure");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->version, 2);
	ck_assert_ptr_null(schema_form_find(s, "hidden"));
	ck_assert_ptr_null(schema_form_find(s, "person"));
	ck_assert_ptr_nonnull(schema_list_find(s, "unit"));
	ck_assert_ptr_null(schema_list_find(s, "units"));
	ck_assert_int_eq(schema_field_index(f, "unit"), 1);
	ck_assert_int_eq(schema_field_index(f, "nope"), -1);
	ck_assert_ptr_eq(schema_field_find(f, "case"), &f->fields[0]);
	ck_assert_ptr_null(schema_field_find(f, "nope"));
	schema_free(s);
	schema_free(NULL);
	ncen_err_free(&err);
}
END_TEST

/* The shipped forms load, with the fields other modules rely on. */
START_TEST(test_load_shipped)
{
	static const struct {
		const char		*form, *field;
		enum schema_type	 type;
		const char		*target;
	} needed[] = {
		{ "case", "date", SCHEMA_DATE, NULL },
		{ "case", "office", SCHEMA_CODE, "office" },
		{ "seizure", "case", SCHEMA_REF, "case" },
		{ "person", "family_name", SCHEMA_TEXT, NULL },
	};
	static const char		*nominal[][2] = {
		{ "case", "narrative" }, { "case", "officer" },
		{ "case", "place" }, { "seizure", "description" },
		{ "seizure", "brand" }, { "person", "family_name" },
		{ "person", "given_names" }, { "person", "aliases" },
		{ "person", "birth_date" }, { "person", "birth_place" },
		{ "person", "document_number" }, { "person", "address" },
		{ "person", "phone" }, { "person", "email" },
	};
	static const struct {
		const char		*form, *field;
		enum schema_pattern	 pattern;
	} patterned[] = {
		{ "case", "time", SCHEMA_PATTERN_TIME },
		{ "case", "utc_offset", SCHEMA_PATTERN_UTC_OFFSET },
		{ "seizure", "hs", SCHEMA_PATTERN_HS },
	};
	struct schema			*s;
	const struct schema_field	*f;
	struct ncen_err			 err = NCEN_ERR_INIT;
	size_t				 i;
	char				*dir;

	dir = test_builddir_path("forms");
	ck_assert_msg(schema_load_dir(dir, &s, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	free(dir);
	for (i = 0; i < NELEM(needed); i++) {
		f = schema_field_find(schema_form_find(s, needed[i].form),
		    needed[i].field);
		ck_assert_msg(f != NULL, "%s.%s missing", needed[i].form,
		    needed[i].field);
		ck_assert_int_eq(f->type, needed[i].type);
		ck_assert_msg(f->indexed, "%s.%s not indexed", needed[i].form,
		    needed[i].field);
		if (needed[i].target != NULL)
			ck_assert_str_eq(f->target, needed[i].target);
	}
	for (i = 0; i < NELEM(nominal); i++) {
		f = schema_field_find(schema_form_find(s, nominal[i][0]),
		    nominal[i][1]);
		ck_assert_msg(f != NULL, "%s.%s missing", nominal[i][0],
		    nominal[i][1]);
		ck_assert_msg(f->share != SCHEMA_CEN, "%s.%s is cen",
		    nominal[i][0], nominal[i][1]);
	}
	ck_assert_ptr_nonnull(schema_code_find(schema_list_find(s, "transport"),
	    "4"));
	ck_assert_ptr_nonnull(schema_code_find(schema_list_find(s, "unit"),
	    "KGM"));
	ck_assert_ptr_nonnull(schema_code_find(schema_list_find(s, "sex"), "9"));
	ck_assert_ptr_nonnull(schema_list_find(s, "role"));
	/* Every cen field is a code, number, date or patterned text. */
	for (i = 0; i < s->nforms; i++) {
		size_t	j;

		for (j = 0; j < s->forms[i]->nfields; j++) {
			f = &s->forms[i]->fields[j];
			ck_assert_msg(f->share != SCHEMA_CEN ||
			    f->type != SCHEMA_TEXT ||
			    f->pattern != SCHEMA_PATTERN_NONE,
			    "%s.%s is free text at cen", s->forms[i]->name,
			    f->name);
		}
	}
	for (i = 0; i < NELEM(patterned); i++) {
		f = schema_field_find(schema_form_find(s, patterned[i].form),
		    patterned[i].field);
		ck_assert_msg(f != NULL && f->share == SCHEMA_CEN &&
		    f->pattern == patterned[i].pattern, "%s.%s",
		    patterned[i].form, patterned[i].field);
	}
	f = schema_field_find(schema_form_find(s, "seizure"), "species");
	ck_assert_int_eq(f->type, SCHEMA_CODE);
	ck_assert_str_eq(f->target, "species");
	ck_assert_ptr_nonnull(schema_code_find(schema_list_find(s, "species"),
	    "LOXAFR"));
	schema_free(s);
}
END_TEST

/* One directory-load failure: where, the code, the message after DIR/. */
struct load_error {
	const char	*name;
	const char	*dir;
	int		 code;
	const char	*message;	/* after "DIR/" (or "DIR: ") */
};

/* Every cross-check and directory error of the loader, one row each. */
static const struct load_error load_errors[] = {
	{ "code list not loaded", "tests/fixtures/forms/load-badlist",
	  NCEN_EPARSE, "/case.form:8:17: expected a loaded code list "
	  "(direction, unit), found 'directon'" },
	{ "form not loaded", "tests/fixtures/forms/load-badref", NCEN_EPARSE,
	  "/seizure.form:5:12: expected a loaded form (case, seizure), found "
	  "'cas'" },
	{ "form named unlike its file", "tests/fixtures/forms/load-misname",
	  NCEN_EPARSE, "/case.form:2:6: expected form 'case' (the file's "
	  "name), found 'affaire'" },
	{ "list named unlike its file", "tests/fixtures/forms/load-listname",
	  NCEN_EPARSE, "/direction.codes:2:6: expected list 'direction' (the "
	  "file's name), found 'sens'" },
	{ "no form files", "tests/fixtures/forms/load-nocodes",
	  NCEN_ENOTFOUND, ": expected at least one .form file, found none" },
	{ "no such directory", "tests/fixtures/forms/no-such-dir",
	  NCEN_ENOTFOUND, ": cannot open the forms directory: No such file "
	  "or directory" },
};

/* Each loader error row gives its code and exact message. */
START_TEST(test_load_error)
{
	const struct load_error	*e = &load_errors[_i];
	struct schema		*s = (void *)1;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 want = BUF_INIT;
	char			*dir;

	ck_assert_int_eq(load(e->dir, &s, &err, &dir), e->code);
	ck_assert_ptr_null(s);
	buf_addf(&want, "%s%s", dir, e->message);
	ck_assert_msg(strcmp(ncen_err_msg(&err), want.s) == 0,
	    "%s:\n got  %s\n want %s", e->name, ncen_err_msg(&err), want.s);
	buf_free(&want);
	free(dir);
	ncen_err_free(&err);
}
END_TEST

/* Load a list of fixture files (relative to the source tree). */
static int
load_files(const char **rel, size_t n, struct schema **s,
    struct ncen_err *err, char **paths)
{
	size_t	i;

	for (i = 0; i < n; i++)
		paths[i] = test_path(rel[i]);
	return schema_load_files((const char *const *)paths, n, s, err);
}

/* Free what load_files made. */
static void
free_paths(char **paths, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(paths[i]);
}

/* The same form from two files is refused at the second in name order. */
START_TEST(test_load_duplicate_form)
{
	const char	*rel[] = {
		"tests/fixtures/forms/load/case.form",
		"tests/fixtures/forms/load/direction.codes",
		"tests/fixtures/forms/load-dup/case.form",
	};
	char		*paths[NELEM(rel)];
	struct schema	*s;
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 want = BUF_INIT;

	ck_assert_int_eq(load_files(rel, NELEM(rel), &s, &err, paths),
	    NCEN_EPARSE);
	/* "load-dup/" sorts before "load/" ('-' < '/'). */
	buf_addf(&want, "%s:2:6: expected a new form name, found 'case' "
	    "(already defined in %s)", paths[0], paths[2]);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	free_paths(paths, NELEM(rel));
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* The same code list from two files is refused likewise. */
START_TEST(test_load_duplicate_list)
{
	const char	*rel[] = {
		"tests/fixtures/forms/load/case.form",
		"tests/fixtures/forms/load/direction.codes",
		"tests/fixtures/forms/load/unit.codes",
		"tests/fixtures/forms/load-dup/unit.codes",
	};
	char		*paths[NELEM(rel)];
	struct schema	*s;
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 want = BUF_INIT;

	ck_assert_int_eq(load_files(rel, NELEM(rel), &s, &err, paths),
	    NCEN_EPARSE);
	buf_addf(&want, "%s:3:6: expected a new list name, found 'unit' "
	    "(already defined in %s)", paths[2], paths[3]);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	free_paths(paths, NELEM(rel));
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* A parse error in one file of a list comes back with that file's name. */
START_TEST(test_load_files_parse_error)
{
	const char	*rel[] = {
		"tests/fixtures/forms/load/case.form",
		"tests/fixtures/forms/bad/crlf.form",
	};
	char		*paths[NELEM(rel)];
	struct schema	*s;
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 want = BUF_INIT;

	ck_assert_int_eq(load_files(rel, NELEM(rel), &s, &err, paths),
	    NCEN_EPARSE);
	buf_addf(&want, "%s:5:9: expected " TYPES ", found 'txt'", paths[1]);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	free_paths(paths, NELEM(rel));
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* A missing file, a file of another kind, and no files at all. */
START_TEST(test_load_files_bad_names)
{
	const char	*missing[] = { "tests/fixtures/forms/load/nope.form" };
	const char	*other[] = { "tests/fixtures/forms/load/README" };
	char		*paths[1];
	struct schema	*s;
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 want = BUF_INIT;

	ck_assert_int_eq(load_files(missing, 1, &s, &err, paths),
	    NCEN_ENOTFOUND);
	buf_addf(&want, "%s: cannot open: No such file or directory",
	    paths[0]);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	free_paths(paths, 1);

	ck_assert_int_eq(load_files(other, 1, &s, &err, paths), NCEN_EUSAGE);
	buf_reset(&want);
	buf_addf(&want, "%s: expected a file named NAME.form or NAME.codes, "
	    "found another name", paths[0]);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);
	free_paths(paths, 1);

	ck_assert_int_eq(schema_load_files(NULL, 0, &s, &err),
	    NCEN_ENOTFOUND);
	ck_assert_str_eq(ncen_err_msg(&err),
	    "expected at least one .form file, found none");
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* A file that cannot be read, and one too large, are I/O errors. */
START_TEST(test_load_files_io)
{
	char		*tmp = test_tmpdir(), *path;
	const char	*paths[1];
	struct schema	*s;
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 p = BUF_INIT, want = BUF_INIT;
	FILE		*f;

	buf_addf(&p, "%s/dir.form", tmp);
	ck_assert_int_eq(mkdir(p.s, 0700), 0);
	paths[0] = p.s;
	ck_assert_int_eq(schema_load_files(paths, 1, &s, &err), NCEN_EIO);
	buf_addf(&want, "%s: cannot read: Is a directory", p.s);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);

	buf_reset(&p);
	buf_addf(&p, "%s/big.codes", tmp);
	path = p.s;
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), 16 * 1024 * 1024 + 1), 0);
	fclose(f);
	paths[0] = path;
	ck_assert_int_eq(schema_load_files(paths, 1, &s, &err), NCEN_EIO);
	buf_reset(&want);
	buf_addf(&want, "%s: expected at most 16777216 bytes, found more",
	    path);
	ck_assert_str_eq(ncen_err_msg(&err), want.s);

	test_rmdir(tmp);
	free(tmp);
	buf_free(&p);
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* Labels fall back to English; names of types and levels; full types. */
START_TEST(test_names)
{
	char			 cas[] = "Case", affaire[] = "Affaire";
	char			 unit[] = "unit";
	char			*both[SCHEMA_NLANG] = { cas, affaire };
	char			*en[SCHEMA_NLANG] = { cas, NULL };
	char			*none[SCHEMA_NLANG] = { NULL, NULL };
	struct schema_field	 f;
	struct buf		 b = BUF_INIT;

	ck_assert_str_eq(schema_label(both, SCHEMA_FR), "Affaire");
	ck_assert_str_eq(schema_label(en, SCHEMA_FR), "Case");
	ck_assert_str_eq(schema_label(none, SCHEMA_FR), "");
	ck_assert_str_eq(schema_type_name(SCHEMA_TEXT), "text");
	ck_assert_str_eq(schema_type_name(SCHEMA_DATETIME), "datetime");
	ck_assert_str_eq(schema_type_name(SCHEMA_REF), "ref");
	ck_assert_str_eq(schema_type_name((enum schema_type)99), "unknown");
	ck_assert_str_eq(schema_share_name(SCHEMA_LOCAL), "local");
	ck_assert_str_eq(schema_share_name(SCHEMA_PARTNER), "partner");
	ck_assert_str_eq(schema_share_name(SCHEMA_CEN), "cen");
	memset(&f, 0, sizeof f);
	f.type = SCHEMA_DECIMAL;
	f.size = 12;
	f.scale = 2;
	schema_field_type(&f, &b);
	ck_assert_str_eq(b.s, "decimal(12,2)");
	buf_reset(&b);
	f.type = SCHEMA_CODE;
	f.target = unit;
	schema_field_type(&f, &b);
	ck_assert_str_eq(b.s, "code:unit");
	buf_free(&b);
}
END_TEST

/* Free functions take NULL. */
START_TEST(test_free_null)
{
	schema_form_free(NULL);
	schema_codes_free(NULL);
	schema_free(NULL);
	ck_assert_ptr_null(schema_code_find(NULL, "x"));
	ck_assert_ptr_null(schema_form_find(NULL, "x"));
	ck_assert_ptr_null(schema_list_find(NULL, "x"));
	ck_assert_int_eq(schema_field_index(NULL, "x"), -1);
}
END_TEST

/* The schema suite. */
static Suite *
schema_suite(void)
{
	Suite	*s = suite_create("schema");
	TCase	*tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, test_form_error, 0, NELEM(form_errors));
	tcase_add_test(tc, test_form_nul);
	tcase_add_test(tc, test_form_too_many_fields);
	tcase_add_test(tc, test_form_good);
	tcase_add_test(tc, test_form_crlf_no_newline);
	tcase_add_test(tc, test_form_crlf_error);
	tcase_add_test(tc, test_form_latin1);
	tcase_add_test(tc, test_form_len_respected);
	tcase_add_test(tc, test_form_found_quoting);
	suite_add_tcase(s, tc);

	tc = tcase_create("codes");
	tcase_add_loop_test(tc, test_codes_error, 0, NELEM(codes_errors));
	tcase_add_test(tc, test_codes_good);
	tcase_add_test(tc, test_codes_find_label);
	tcase_add_test(tc, test_codes_kinds);
	tcase_add_test(tc, test_codes_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_dir);
	tcase_add_test(tc, test_load_shipped);
	tcase_add_loop_test(tc, test_load_error, 0, NELEM(load_errors));
	tcase_add_test(tc, test_load_duplicate_form);
	tcase_add_test(tc, test_load_duplicate_list);
	tcase_add_test(tc, test_load_files_parse_error);
	tcase_add_test(tc, test_load_files_bad_names);
	tcase_add_test(tc, test_load_files_io);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(schema_suite());
}
