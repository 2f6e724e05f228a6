/*
 * check_forms.c - the shipped record set: the forms and code lists of
 * the build tree's forms/ (the source tree's files plus the country and
 * currency lists generated from iso-codes).
 *
 * Content rules every form directory we ship must keep, each a function
 * that writes one line per problem: no nominal field is cen; every form,
 * field and code has real English and French labels (and help in both
 * languages or neither); no label is shared by two codes of one list;
 * every code list is used; every commodity type belongs to a commodity
 * group and every group has types; entity codes and forms match.  Each
 * rule runs on the shipped forms, where it must find nothing, and on
 * tests/fixtures/content/bad, where it must find exactly the problems
 * planted there.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "schema.h"
#include "testlib.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/*
 * Words in a field's name that mark it as nominal data: about a person
 * or a company, or free text.  A "whole" word must be a whole word of
 * the name (between '_'), or that word and an 's'; the others match
 * anywhere in it.
 */
static const struct {
	const char	*word;
	int		 whole;
} nominal_words[] = {
	{ "name", 0 }, { "alias", 0 }, { "birth", 0 }, { "document", 0 },
	{ "passport", 0 }, { "identity", 0 }, { "address", 0 },
	{ "street", 0 }, { "postcode", 0 }, { "zip", 1 }, { "phone", 0 },
	{ "mobile", 0 }, { "fax", 1 }, { "email", 0 }, { "mail", 1 },
	{ "website", 0 }, { "url", 1 }, { "web", 1 }, { "plate", 0 },
	{ "vin", 1 }, { "registration", 0 }, { "tax", 1 }, { "vat", 1 },
	{ "eori", 0 }, { "trader", 0 }, { "company", 0 }, { "business", 0 },
	{ "carrier", 0 }, { "brand", 0 }, { "tracking", 0 },
	{ "account", 0 }, { "iban", 0 }, { "officer", 0 }, { "user", 0 },
	{ "author", 0 }, { "place", 0 }, { "narrative", 0 },
	{ "description", 0 }, { "remark", 0 }, { "comment", 0 },
	{ "note", 0 }, { "caption", 0 }, { "body", 1 }, { "subject", 0 },
	{ "summary", 0 }, { "title", 0 }, { "log", 1 }, { "text", 1 },
};

/* Forms whose records are about a person or a company. */
static const char *nominal_entities[] = { "person", "business" };

/* Labels that are not labels yet, compared ignoring ASCII case. */
static const char *placeholders[] = {
	"?", "-", "...", "xx", "xxx", "tbd", "todo", "fixme", "label", "en",
	"fr", "english", "french", "translate",
};

/* Words that mark a label as unfinished wherever they appear. */
static const char *unfinished[] = { "TODO", "FIXME", "XXX" };

/* Code lists no field uses, and why they are there all the same. */
static const char *unused_ok[][2] = {
	{ "role", "links between records carry a role of this list" },
};

/* Is word in the field name: anywhere, or as a whole word (plural too)? */
static int
name_has(const char *name, const char *word, int whole)
{
	size_t		 n = strlen(word), len;
	const char	*p, *e;

	if (!whole)
		return strstr(name, word) != NULL;
	for (p = name; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		if ((e = strchr(p, '_')) == NULL)
			e = p + strlen(p);
		len = (size_t)(e - p);
		if (strncmp(p, word, n) == 0 &&
		    (len == n || (len == n + 1 && p[n] == 's')))
			return 1;
	}
	return 0;
}

/* Does the field hold nominal data?  Then say why in why. */
static int
forms_nominal(const struct schema_field *f, struct buf *why)
{
	size_t	i;

	for (i = 0; i < NELEM(nominal_words); i++) {
		if (name_has(f->name, nominal_words[i].word,
		    nominal_words[i].whole)) {
			buf_addf(why, "its name has '%s'",
			    nominal_words[i].word);
			return 1;
		}
	}
	/* The loader refuses these at cen; other levels may ask too. */
	if (f->type == SCHEMA_TEXT && f->pattern == SCHEMA_PATTERN_NONE) {
		buf_addf(why, "free text: text(%u) without a pattern",
		    f->size);
		return 1;
	}
	if (f->type == SCHEMA_REF) {
		for (i = 0; i < NELEM(nominal_entities); i++) {
			if (strcmp(f->target, nominal_entities[i]) == 0) {
				buf_addf(why, "a reference to a %s",
				    f->target);
				return 1;
			}
		}
	}
	return 0;
}

/* Rule: no nominal field is cen.  One line per problem; the count. */
static size_t
rule_nominal(const struct schema *s, struct buf *out)
{
	const struct schema_field	*f;
	struct buf			 why = BUF_INIT;
	size_t				 i, j, n = 0;

	for (i = 0; i < s->nforms; i++) {
		for (j = 0; j < s->forms[i]->nfields; j++) {
			f = &s->forms[i]->fields[j];
			buf_reset(&why);
			if (f->share == SCHEMA_CEN && forms_nominal(f, &why)) {
				buf_addf(out, "%s.%s: nominal (%s) but shared "
				    "with cen\n", s->forms[i]->name, f->name,
				    why.s);
				n++;
			}
		}
	}
	buf_free(&why);
	return n;
}

static const char *lang_names[SCHEMA_NLANG] = { "English", "French" };

/* What is wrong with a label or help text, or NULL when nothing is. */
static const char *
forms_bad_text(const char *s, struct buf *why)
{
	const char	*p;
	size_t		 i;

	if (s == NULL)
		return "missing";
	for (p = s; *p == ' ' || *p == '\t' || *p == '\n'; p++)
		;
	if (*p == '\0')
		return "blank";
	for (i = 0; i < NELEM(placeholders); i++)
		if (strcasecmp(s, placeholders[i]) == 0)
			goto placeholder;
	for (i = 0; i < NELEM(unfinished); i++)
		if (strstr(s, unfinished[i]) != NULL)
			goto placeholder;
	return NULL;

placeholder:
	buf_reset(why);
	buf_addf(why, "a placeholder ('%s')", s);
	return why->s;
}

/* Check both labels of one thing; what is its name in messages. */
static size_t
forms_check_labels(char *const label[SCHEMA_NLANG], const char *what,
    struct buf *out)
{
	struct buf	 why = BUF_INIT;
	const char	*bad;
	size_t		 n = 0;
	int		 l;

	for (l = 0; l < SCHEMA_NLANG; l++) {
		if ((bad = forms_bad_text(label[l], &why)) != NULL) {
			buf_addf(out, "%s: %s label is %s\n", what,
			    lang_names[l], bad);
			n++;
		}
	}
	buf_free(&why);
	return n;
}

/* Rule: real labels in both languages, help in both or neither. */
static size_t
rule_labels(const struct schema *s, struct buf *out)
{
	const struct schema_form	*fo;
	const struct schema_field	*f;
	const struct schema_codelist	*cl;
	struct buf			 what = BUF_INIT, why = BUF_INIT;
	const char			*bad;
	size_t				 i, j, n = 0;
	int				 l;

	for (i = 0; i < s->nforms; i++) {
		fo = s->forms[i];
		n += forms_check_labels(fo->label, fo->name, out);
		for (j = 0; j < fo->nfields; j++) {
			f = &fo->fields[j];
			buf_reset(&what);
			buf_addf(&what, "%s.%s", fo->name, f->name);
			n += forms_check_labels(f->label, what.s, out);
			if ((f->help[SCHEMA_EN] == NULL) !=
			    (f->help[SCHEMA_FR] == NULL)) {
				l = f->help[SCHEMA_EN] == NULL;
				buf_addf(out, "%s: help in %s but not in %s\n",
				    what.s, lang_names[l], lang_names[!l]);
				n++;
				continue;
			}
			for (l = 0; l < SCHEMA_NLANG && f->help[0] != NULL;
			    l++) {
				if ((bad = forms_bad_text(f->help[l], &why)) !=
				    NULL) {
					buf_addf(out, "%s: %s help is %s\n",
					    what.s, lang_names[l], bad);
					n++;
				}
			}
		}
	}
	for (i = 0; i < s->nlists; i++) {
		cl = s->lists[i];
		for (j = 0; j < cl->ncodes; j++) {
			buf_reset(&what);
			buf_addf(&what, "%s %s", cl->name, cl->codes[j].code);
			n += forms_check_labels(cl->codes[j].label, what.s,
			    out);
		}
	}
	buf_free(&what);
	buf_free(&why);
	return n;
}

/* Rule: in one list, no label (either language) belongs to two codes. */
static size_t
rule_duplicates(const struct schema_codelist *cl, struct buf *out)
{
	const struct schema_code	*a, *b;
	size_t				 i, j, n = 0;
	int				 la, lb, found;

	for (i = 0; i < cl->ncodes; i++) {
		a = &cl->codes[i];
		for (j = i + 1; j < cl->ncodes; j++) {
			b = &cl->codes[j];
			found = 0;
			for (la = 0; la < SCHEMA_NLANG && !found; la++) {
				for (lb = 0; lb < SCHEMA_NLANG && !found;
				    lb++) {
					if (strcasecmp(a->label[la],
					    b->label[lb]) == 0)
						found = 1;
				}
			}
			if (found) {
				buf_addf(out, "%s %s: a label of %s is also "
				    "one of %s\n", cl->name, b->code, b->code,
				    a->code);
				n++;
			}
		}
	}
	return n;
}

/* Rule: every code list is used by a field (or is known to be unused). */
static size_t
rule_lists_used(const struct schema *s, struct buf *out)
{
	const struct schema_form	*fo;
	size_t				 i, j, k, n = 0;
	int				 used;

	for (i = 0; i < s->nlists; i++) {
		used = 0;
		for (k = 0; k < NELEM(unused_ok); k++)
			if (strcmp(s->lists[i]->name, unused_ok[k][0]) == 0)
				used = 1;
		for (j = 0; j < s->nforms && !used; j++) {
			fo = s->forms[j];
			for (k = 0; k < fo->nfields && !used; k++)
				if (fo->fields[k].type == SCHEMA_CODE &&
				    strcmp(fo->fields[k].target,
				    s->lists[i]->name) == 0)
					used = 1;
		}
		if (!used) {
			buf_addf(out, "%s: no field uses this list\n",
			    s->lists[i]->name);
			n++;
		}
	}
	return n;
}

/* Rule: commodity types are GROUP-WORD of a group; groups have types. */
static size_t
rule_commodity(const struct schema *s, struct buf *out)
{
	const struct schema_codelist	*g, *t;
	struct buf			 group = BUF_INIT;
	const char			*code, *dash;
	size_t				 i, j, n = 0, ntypes;

	g = schema_list_find(s, "commodity");
	t = schema_list_find(s, "commodity_type");
	if (g == NULL || t == NULL) {
		buf_adds(out, "commodity, commodity_type: expected both "
		    "lists\n");
		return 1;
	}
	for (i = 0; i < t->ncodes; i++) {
		code = t->codes[i].code;
		if ((dash = strchr(code, '-')) == NULL || dash == code ||
		    dash[1] == '\0') {
			buf_addf(out, "commodity_type %s: expected "
			    "GROUP-WORD\n", code);
			n++;
			continue;
		}
		buf_reset(&group);
		buf_add(&group, code, (size_t)(dash - code));
		if (schema_code_find(g, group.s) == NULL) {
			buf_addf(out, "commodity_type %s: no group '%s' in "
			    "commodity\n", code, group.s);
			n++;
		}
	}
	for (i = 0; i < g->ncodes; i++) {
		code = g->codes[i].code;
		for (j = 0, ntypes = 0; j < t->ncodes; j++)
			if (strncmp(t->codes[j].code, code, strlen(code)) ==
			    0 && t->codes[j].code[strlen(code)] == '-')
				ntypes++;
		if (ntypes == 0) {
			buf_addf(out, "commodity %s: no commodity type\n",
			    code);
			n++;
		}
	}
	buf_free(&group);
	return n;
}

/* Rule: the entity list has one code per form, each naming a form. */
static size_t
rule_entities(const struct schema *s, struct buf *out)
{
	const struct schema_codelist	*e = schema_list_find(s, "entity");
	size_t				 i, n = 0;

	if (e == NULL) {
		buf_adds(out, "entity: expected the list\n");
		return 1;
	}
	for (i = 0; i < e->ncodes; i++) {
		if (schema_form_find(s, e->codes[i].code) == NULL) {
			buf_addf(out, "entity %s: names no form\n",
			    e->codes[i].code);
			n++;
		}
	}
	for (i = 0; i < s->nforms; i++) {
		if (schema_code_find(e, s->forms[i]->name) == NULL) {
			buf_addf(out, "form %s: no entity code\n",
			    s->forms[i]->name);
			n++;
		}
	}
	return n;
}

/*
 * Rule: each field of the statistical return is a case or seizure field
 * of the same name and type (statcase.c copies it there), and every
 * required field of those two forms is in the return, so the case it
 * makes is complete.
 */
static size_t
rule_statcase(const struct schema *s, struct buf *out)
{
	const struct schema_form	*st = schema_form_find(s, "statcase");
	const struct schema_form	*to[2];
	const struct schema_field	*f, *g;
	size_t				 i, j, n = 0;

	to[0] = schema_form_find(s, "case");
	to[1] = schema_form_find(s, "seizure");
	if (st == NULL || to[0] == NULL || to[1] == NULL) {
		buf_adds(out, "statcase: expected it, case and seizure\n");
		return 1;
	}
	for (i = 0; i < st->nfields; i++) {
		f = &st->fields[i];
		if ((g = schema_field_find(to[0], f->name)) == NULL)
			g = schema_field_find(to[1], f->name);
		if (g == NULL || g->type != f->type || g->size != f->size ||
		    g->scale != f->scale || (g->target == NULL) !=
		    (f->target == NULL) || (g->target != NULL &&
		    strcmp(g->target, f->target) != 0)) {
			buf_addf(out, "statcase.%s: no case or seizure field "
			    "of that name and type\n", f->name);
			n++;
		}
	}
	for (j = 0; j < 2; j++)
		for (i = 0; i < to[j]->nfields; i++) {
			g = &to[j]->fields[i];
			if (g->required && g->type != SCHEMA_REF &&
			    schema_field_find(st, g->name) == NULL) {
				buf_addf(out, "%s.%s: required, not in the "
				    "statistical return\n", to[j]->name,
				    g->name);
				n++;
			}
		}
	return n;
}

/* The forms directory under test, loaded once per test. */
static struct schema	*shipped;

/* Load the build tree's forms directory, or fail saying why. */
static void
setup_shipped(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir = test_builddir_path("forms");

	if (schema_load_dir(dir, &shipped, &err) != NCEN_OK)
		ck_abort_msg("loading %s: %s", dir, ncen_err_msg(&err));
	free(dir);
	ncen_err_free(&err);
}

/* Free the shipped forms. */
static void
teardown_shipped(void)
{
	schema_free(shipped);
	shipped = NULL;
}

/* Load a fixture directory that must load. */
static struct schema *
load_fixture(const char *rel)
{
	struct schema	*s = NULL;
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir = test_path(rel);

	if (schema_load_dir(dir, &s, &err) != NCEN_OK)
		ck_abort_msg("loading %s: %s", dir, ncen_err_msg(&err));
	free(dir);
	ncen_err_free(&err);
	return s;
}

/* The forms other code relies on, with their key fields. */
START_TEST(test_shipped_fields)
{
	static const struct {
		const char		*form, *field;
		enum schema_type	 type;
		const char		*target;	/* code list, form */
		int			 indexed;
	} needed[] = {
		{ "case", "date", SCHEMA_DATE, NULL, 1 },
		{ "case", "office", SCHEMA_CODE, "office", 1 },
		{ "case", "status", SCHEMA_CODE, "status", 1 },
		{ "case", "country", SCHEMA_CODE, "country", 0 },
		{ "case", "transit", SCHEMA_CODE, "country", 0 },
		{ "case", "concealment_location", SCHEMA_CODE,
		  "concealment_location", 0 },
		{ "case", "kind", SCHEMA_CODE, "case_kind", 1 },
		{ "seizure", "case", SCHEMA_REF, "case", 1 },
		{ "seizure", "commodity", SCHEMA_CODE, "commodity", 1 },
		{ "seizure", "commodity_type", SCHEMA_CODE, "commodity_type",
		  1 },
		{ "seizure", "hs", SCHEMA_TEXT, NULL, 1 },
		{ "seizure", "quantity", SCHEMA_DECIMAL, NULL, 0 },
		{ "seizure", "unit", SCHEMA_CODE, "unit", 0 },
		{ "seizure", "package_type", SCHEMA_CODE, "package", 0 },
		{ "seizure", "currency", SCHEMA_CODE, "currency", 0 },
		{ "person", "family_name", SCHEMA_TEXT, NULL, 1 },
		{ "person", "aliases", SCHEMA_TEXT, NULL, 1 },
		{ "person", "birth_date", SCHEMA_DATE, NULL, 1 },
		{ "person", "sex", SCHEMA_CODE, "sex", 0 },
		{ "person", "nationality", SCHEMA_CODE, "country", 1 },
		{ "person", "document_number", SCHEMA_TEXT, NULL, 1 },
		{ "business", "name", SCHEMA_TEXT, NULL, 1 },
		{ "business", "registration_number", SCHEMA_TEXT, NULL, 1 },
		{ "business", "kind", SCHEMA_CODE, "business_kind", 1 },
		{ "conveyance", "kind", SCHEMA_CODE, "conveyance_kind", 1 },
		{ "conveyance", "imo", SCHEMA_TEXT, NULL, 1 },
		{ "conveyance", "plate", SCHEMA_TEXT, NULL, 1 },
		{ "conveyance", "vin", SCHEMA_TEXT, NULL, 1 },
		{ "conveyance", "container", SCHEMA_TEXT, NULL, 1 },
		{ "conveyance", "flag", SCHEMA_CODE, "country", 1 },
		{ "investigation", "status", SCHEMA_CODE,
		  "investigation_status", 1 },
		{ "investigation", "opened", SCHEMA_DATE, NULL, 1 },
		{ "investigation", "officers", SCHEMA_TEXT, NULL, 1 },
		{ "investigation", "office", SCHEMA_CODE, "office", 1 },
		{ "investigation", "number", SCHEMA_TEXT, NULL, 1 },
		{ "investigation_step", "investigation", SCHEMA_REF,
		  "investigation", 1 },
		{ "investigation_step", "to", SCHEMA_CODE,
		  "investigation_status", 0 },
		{ "attachment", "entity", SCHEMA_CODE, "entity", 0 },
		{ "attachment", "sha256", SCHEMA_TEXT, NULL, 1 },
		{ "attachment", "size", SCHEMA_INTEGER, NULL, 0 },
		{ "message", "direction", SCHEMA_CODE, "message_direction", 1 },
		{ "message", "date", SCHEMA_DATETIME, NULL, 1 },
		{ "watch", "kind", SCHEMA_CODE, "watch_kind", 1 },
		{ "watch", "owner", SCHEMA_TEXT, NULL, 1 },
		{ "alert", "case", SCHEMA_REF, "case", 1 },
		{ "alert", "state", SCHEMA_CODE, "alert_state", 1 },
		{ "alert", "raised", SCHEMA_DATETIME, NULL, 1 },
	};
	static const char	*repeated[][2] = {
		{ "case", "transit" }, { "person", "aliases" },
		{ "person", "nationality" }, { "person", "phone" },
		{ "person", "email" }, { "investigation", "officers" },
		{ "message", "cites" }, { "alert", "matched" },
	};
	const struct schema_field	*f;
	size_t				 i;

	ck_assert_uint_eq(shipped->nforms, 13);
	for (i = 0; i < NELEM(needed); i++) {
		f = schema_field_find(schema_form_find(shipped,
		    needed[i].form), needed[i].field);
		ck_assert_msg(f != NULL, "%s.%s missing", needed[i].form,
		    needed[i].field);
		ck_assert_msg(f->type == needed[i].type, "%s.%s: type %s",
		    needed[i].form, needed[i].field,
		    schema_type_name(f->type));
		if (needed[i].target != NULL)
			ck_assert_str_eq(f->target, needed[i].target);
		if (needed[i].indexed)
			ck_assert_msg(f->indexed, "%s.%s not indexed",
			    needed[i].form, needed[i].field);
	}
	f = schema_field_find(schema_form_find(shipped, "attachment"),
	    "sha256");
	ck_assert_uint_eq(f->size, 64);
	for (i = 0; i < NELEM(repeated); i++) {
		f = schema_field_find(schema_form_find(shipped,
		    repeated[i][0]), repeated[i][1]);
		ck_assert_msg(f != NULL && f->repeated, "%s.%s not repeated",
		    repeated[i][0], repeated[i][1]);
	}
}
END_TEST

/* No nominal field of the shipped forms is cen, by rule and by name. */
START_TEST(test_shipped_nominal)
{
	static const char	*nominal[][2] = {
		{ "case", "place" }, { "case", "officer" },
		{ "case", "narrative" }, { "seizure", "description" },
		{ "seizure", "brand" }, { "person", "family_name" },
		{ "person", "given_names" }, { "person", "aliases" },
		{ "person", "birth_date" }, { "person", "birth_place" },
		{ "person", "birth_country" }, { "person", "document_type" },
		{ "person", "document_number" },
		{ "person", "document_country" },
		{ "person", "document_expiry" },
		{ "person", "other_documents" }, { "person", "address" },
		{ "person", "phone" }, { "person", "email" },
		{ "person", "occupation" }, { "person", "remarks" },
		{ "business", "name" }, { "business", "other_names" },
		{ "business", "registration_number" },
		{ "business", "tax_number" }, { "business", "trader_number" },
		{ "business", "address" }, { "business", "phone" },
		{ "business", "email" }, { "business", "website" },
		{ "business", "remarks" }, { "conveyance", "name" },
		{ "conveyance", "imo" }, { "conveyance", "flight" },
		{ "conveyance", "aircraft_registration" },
		{ "conveyance", "plate" }, { "conveyance", "vin" },
		{ "conveyance", "make_model" }, { "conveyance", "container" },
		{ "conveyance", "seal" }, { "conveyance", "tracking" },
		{ "conveyance", "carrier" }, { "conveyance", "remarks" },
		{ "attachment", "caption" }, { "attachment", "file_name" },
	};
	/* Forms of which nothing at all goes to cen. */
	static const char	*never_cen[] = {
		"investigation", "attachment", "message",
	};
	const struct schema_form	*fo;
	const struct schema_field	*f;
	struct buf			 out = BUF_INIT;
	size_t				 i, j;

	ck_assert_msg(rule_nominal(shipped, &out) == 0, "%s", out.s);
	for (i = 0; i < NELEM(nominal); i++) {
		f = schema_field_find(schema_form_find(shipped,
		    nominal[i][0]), nominal[i][1]);
		ck_assert_msg(f != NULL, "%s.%s missing", nominal[i][0],
		    nominal[i][1]);
		ck_assert_msg(f->share != SCHEMA_CEN, "%s.%s is cen",
		    nominal[i][0], nominal[i][1]);
	}
	for (i = 0; i < NELEM(never_cen); i++) {
		fo = schema_form_find(shipped, never_cen[i]);
		ck_assert_ptr_nonnull(fo);
		for (j = 0; j < fo->nfields; j++)
			ck_assert_msg(fo->fields[j].share != SCHEMA_CEN,
			    "%s.%s is cen", fo->name, fo->fields[j].name);
	}
	/* The projection to cen is not empty where it should not be. */
	f = schema_field_find(schema_form_find(shipped, "seizure"),
	    "quantity");
	ck_assert_int_eq(f->share, SCHEMA_CEN);
	f = schema_field_find(schema_form_find(shipped, "person"),
	    "nationality");
	ck_assert_int_eq(f->share, SCHEMA_CEN);
	buf_free(&out);
}
END_TEST

/* Every shipped label and help text is real, in English and French. */
START_TEST(test_shipped_labels)
{
	struct buf	 out = BUF_INIT;
	size_t		 i;

	ck_assert_msg(rule_labels(shipped, &out) == 0, "%s", out.s);
	/* Our own lists: a label names one code (the ISO ones may repeat). */
	for (i = 0; i < shipped->nlists; i++) {
		if (strcmp(shipped->lists[i]->name, "country") == 0 ||
		    strcmp(shipped->lists[i]->name, "currency") == 0)
			continue;
		rule_duplicates(shipped->lists[i], &out);
	}
	ck_assert_msg(out.len == 0, "%s", out.s);
	buf_free(&out);
}
END_TEST

/* Every list is used, commodity types and entities hang together. */
START_TEST(test_shipped_lists)
{
	static const char	*lists[] = {
		"alert_state", "attachment_kind", "business_kind", "case_kind",
		"commodity",
		"commodity_type", "concealment", "concealment_location",
		"conveyance_kind", "country", "currency", "detection",
		"direction", "document", "entity", "investigation_status",
		"message_direction", "offence", "office", "outcome", "package",
		"penalty", "procedure", "provision", "role", "sex", "species",
		"status", "transport", "unit", "watch_kind",
	};
	const struct schema_form	*fo;
	struct buf			 out = BUF_INIT;
	size_t				 i, j;

	for (i = 0; i < NELEM(lists); i++)
		ck_assert_msg(schema_list_find(shipped, lists[i]) != NULL,
		    "no list %s", lists[i]);
	ck_assert_uint_eq(shipped->nlists, NELEM(lists));
	rule_lists_used(shipped, &out);
	rule_commodity(shipped, &out);
	rule_entities(shipped, &out);
	rule_statcase(shipped, &out);
	ck_assert_msg(out.len == 0, "%s", out.s);
	/* What the loader promises, checked again on the result. */
	for (i = 0; i < shipped->nforms; i++) {
		fo = shipped->forms[i];
		for (j = 0; j < fo->nfields; j++) {
			if (fo->fields[j].type == SCHEMA_CODE)
				ck_assert_ptr_nonnull(schema_list_find(shipped,
				    fo->fields[j].target));
			if (fo->fields[j].type == SCHEMA_REF)
				ck_assert_ptr_nonnull(schema_form_find(shipped,
				    fo->fields[j].target));
		}
	}
	buf_free(&out);
}
END_TEST

/* Assert that list has each code of a NULL-terminated array. */
static void
has_codes(const char *list, const char *const *codes)
{
	const struct schema_codelist	*cl = schema_list_find(shipped, list);

	ck_assert_msg(cl != NULL, "no list %s", list);
	for (; *codes != NULL; codes++)
		ck_assert_msg(schema_code_find(cl, *codes) != NULL,
		    "%s has no %s", list, *codes);
}

/* The codes the standards and the issue name are all there. */
START_TEST(test_shipped_codes)
{
	static const char *const groups[] = { "DRUG", "PREC", "TOB", "ALC",
	    "REV", "IPR", "HEALTH", "ENV", "CULT", "WEAP", "DUAL", "CASH",
	    NULL };
	static const char *const types[] = { "DRUG-HERB", "DRUG-RESIN",
	    "DRUG-COC", "DRUG-HER", "DRUG-METH", "DRUG-AMPH", "DRUG-MDMA",
	    "DRUG-NPS", "PREC-EPH", "PREC-ACAN", "TOB-CIG", "TOB-RAW",
	    "TOB-WATER", "ALC-SPIRIT", "IPR-CLOTHING", "HEALTH-MED",
	    "HEALTH-FOOD", "HEALTH-TOYS", "ENV-IVORY", "ENV-CITES-LIVE",
	    "ENV-WASTE", "ENV-ODS", "ENV-TIMBER", "CULT-ARCH",
	    "WEAP-FIREARM", "WEAP-AMMO", "WEAP-EXPL", "CASH-NOTES", NULL };
	static const char *const units[] = { "KGM", "GRM", "TNE", "LTR",
	    "MLT", "MTQ", "MTR", "H87", "C62", "PR", NULL };
	static const char *const packages[] = { "CT", "BX", "BG", "CN",
	    "PX", "NE", NULL };
	static const char *const transport[] = { "0", "1", "2", "3", "4",
	    "5", "6", "7", "8", "9", NULL };
	static const char *const sex[] = { "0", "1", "2", "9", NULL };
	static const char *const documents[] = { "P", "I", "A", "C", "V",
	    NULL };
	static const char *const directions[] = { "IMP", "EXP", "TRA", "TRS",
	    "INL", NULL };
	static const char *const roles[] = { "OFFENDER", "SUSPECT",
	    "COURIER", "OWNER", "CONSIGNOR", "CONSIGNEE", "DECLARANT",
	    "CARRIER", "WITNESS", NULL };
	static const char *const status[] = { "draft", "submitted",
	    "validated", "closed", NULL };
	static const char *const kinds[] = { "VESSEL", "AIRCRAFT", "VEHICLE",
	    "CONTAINER", "PARCEL", NULL };
	/* CITES species commonly seized (the seizure's species, cen). */
	static const char *const species[] = { "LOXAFR", "MANSPP",
	    "MANIDAE", "RHINOCEROTIDAE", "PANTIG", "CRONIL", "PSIERI",
	    "DALSPP", "PTESAN", "AQUSPP", "ANGANG", "TESTUDINIDAE", "OTHER",
	    NULL };
	const struct schema_code	*c;

	has_codes("commodity", groups);
	has_codes("commodity_type", types);
	has_codes("unit", units);
	has_codes("package", packages);
	has_codes("transport", transport);
	has_codes("sex", sex);
	has_codes("document", documents);
	has_codes("direction", directions);
	has_codes("role", roles);
	has_codes("status", status);
	has_codes("conveyance_kind", kinds);
	has_codes("species", species);
	/* A scientific name, typed as its label says, gives its code. */
	c = schema_code_find_label(schema_list_find(shipped, "species"),
	    "loxodonta africana (african elephant, ivory)");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->code, "LOXAFR");
	ck_assert_uint_ge(schema_list_find(shipped, "office")->ncodes, 1);
}
END_TEST

/* Countries and currencies come whole from iso-codes, in both languages. */
START_TEST(test_shipped_iso)
{
	const struct schema_codelist	*c, *m;
	const struct schema_code	*k;
	size_t				 i;

	c = schema_list_find(shipped, "country");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_ge(c->ncodes, 240);
	for (i = 0; i < c->ncodes; i++)
		ck_assert_msg(strlen(c->codes[i].code) == 2 &&
		    c->codes[i].code[0] >= 'A' && c->codes[i].code[0] <= 'Z' &&
		    c->codes[i].code[1] >= 'A' && c->codes[i].code[1] <= 'Z',
		    "country code '%s'", c->codes[i].code);
	k = schema_code_find(c, "FR");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->label[SCHEMA_EN], "France");
	ck_assert_str_eq(k->label[SCHEMA_FR], "France");
	k = schema_code_find(c, "DE");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->label[SCHEMA_EN], "Germany");
	ck_assert_str_eq(k->label[SCHEMA_FR], "Allemagne");
	ck_assert_ptr_eq(schema_code_find_label(c, "allemagne"), k);
	k = schema_code_find(c, "CI");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->label[SCHEMA_EN], "C\xc3\xb4te d'Ivoire");

	m = schema_list_find(shipped, "currency");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_ge(m->ncodes, 150);
	ck_assert_ptr_nonnull(schema_code_find(m, "EUR"));
	ck_assert_ptr_nonnull(schema_code_find(m, "XOF"));
	k = schema_code_find(m, "USD");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->label[SCHEMA_EN], "US Dollar");
	ck_assert_str_ne(k->label[SCHEMA_FR], "US Dollar");
	for (i = 0; i < m->ncodes; i++)
		ck_assert_msg(strlen(m->codes[i].code) == 3,
		    "currency code '%s'", m->codes[i].code);
}
END_TEST

/* Does path name a form or code list file (NAME.form, NAME.codes)? */
static int
is_forms_file(const char *name)
{
	size_t	n = strlen(name);

	if (name[0] == '.')
		return 0;
	return (n > 5 && strcmp(name + n - 5, ".form") == 0) ||
	    (n > 6 && strcmp(name + n - 6, ".codes") == 0);
}

/*
 * The build tree's forms/ holds every file of the source tree's, byte
 * for byte (Makefile.am lists them all), plus the generated lists; an
 * out-of-tree build leaves the source tree without them.
 */
START_TEST(test_build_tree)
{
	static const char	*generated[] = { "country.codes",
	    "currency.codes" };
	char			*src = test_path("forms");
	char			*bld = test_builddir_path("forms");
	char			 rsrc[PATH_MAX], rbld[PATH_MAX];
	struct buf		 a = BUF_INIT, b = BUF_INIT;
	struct dirent		*de;
	struct stat		 st;
	DIR			*d;
	char			*x, *y;
	size_t			 xn, yn, i, nsrc = 0;

	ck_assert_ptr_nonnull(d = opendir(src));
	while ((de = readdir(d)) != NULL) {
		if (!is_forms_file(de->d_name))
			continue;
		for (i = 0; i < NELEM(generated); i++)
			if (strcmp(de->d_name, generated[i]) == 0)
				break;
		if (i < NELEM(generated))
			continue;	/* an in-tree build's own output */
		buf_reset(&a);
		buf_reset(&b);
		buf_addf(&a, "%s/%s", src, de->d_name);
		buf_addf(&b, "%s/%s", bld, de->d_name);
		x = test_read_file(a.s, &xn);
		y = test_read_file(b.s, &yn);
		ck_assert_msg(x != NULL, "cannot read %s", a.s);
		ck_assert_msg(y != NULL, "%s is not in the build tree (add it "
		    "to dist_forms_DATA)", a.s);
		ck_assert_msg(xn == yn && memcmp(x, y, xn) == 0,
		    "%s differs from %s", b.s, a.s);
		free(x);
		free(y);
		nsrc++;
	}
	closedir(d);
	ck_assert_uint_ge(nsrc, 8 + 20);
	ck_assert_ptr_nonnull(realpath(src, rsrc));
	ck_assert_ptr_nonnull(realpath(bld, rbld));
	for (i = 0; i < NELEM(generated); i++) {
		buf_reset(&b);
		buf_addf(&b, "%s/%s", bld, generated[i]);
		ck_assert_msg(stat(b.s, &st) == 0, "%s missing", b.s);
		buf_reset(&a);
		buf_addf(&a, "%s/%s", src, generated[i]);
		if (strcmp(rsrc, rbld) != 0)
			ck_assert_msg(stat(a.s, &st) != 0, "%s is in the "
			    "source tree of an out-of-tree build", a.s);
	}
	buf_free(&a);
	buf_free(&b);
	free(src);
	free(bld);
}
END_TEST

/* Each rule finds exactly what tests/fixtures/content/bad plants. */
/* The statistical return's rule catches a field of another type and a
 * required field the return lacks (on a changed copy of the forms). */
START_TEST(test_statcase_rule)
{
	struct schema_form	*st = (struct schema_form *)schema_form_find(
	    shipped, "statcase");
	struct schema_field	*f;
	struct buf		 out = BUF_INIT;

	ck_assert(st != NULL);
	ck_assert_uint_eq(rule_statcase(shipped, &out), 0);
	f = (struct schema_field *)schema_field_find(st, "quantity");
	f->scale = 2;
	f = (struct schema_field *)schema_field_find(st, "country");
	free(f->name);
	f->name = xstrdup("pays");
	ck_assert_uint_eq(rule_statcase(shipped, &out), 3);
	ck_assert_str_eq(out.s, "statcase.pays: no case or seizure field of "
	    "that name and type\nstatcase.quantity: no case or seizure field "
	    "of that name and type\ncase.country: required, not in the "
	    "statistical return\n");
	buf_free(&out);
}
END_TEST

START_TEST(test_rules_catch)
{
	static const char	 nominal[] =
	    "leak.family_name: nominal (its name has 'name') but shared "
	    "with cen\n"
	    "leak.passport_no: nominal (its name has 'passport') but shared "
	    "with cen\n"
	    "leak.vin: nominal (its name has 'vin') but shared with cen\n"
	    "leak.trader_phones: nominal (its name has 'phone') but shared "
	    "with cen\n"
	    "leak.suspect: nominal (a reference to a person) but shared "
	    "with cen\n";
	static const char	 labels[] =
	    "leak: French label is a placeholder ('TODO')\n"
	    "leak.blank: English label is blank\n"
	    "leak.blank: French label is a placeholder ('xx')\n"
	    "leak.helpless: help in English but not in French\n"
	    "colour B: French label is a placeholder ('?')\n"
	    "colour G: English label is a placeholder ('FIXME green')\n";
	static const char	 others[] =
	    "colour S: a label of S is also one of R\n"
	    "unused: no field uses this list\n"
	    "commodity_type COCAINE: expected GROUP-WORD\n"
	    "commodity_type TOB-CIG: no group 'TOB' in commodity\n"
	    "commodity ALC: no commodity type\n"
	    "entity ghost: names no form\n"
	    "form person: no entity code\n";
	struct schema		*s = load_fixture("tests/fixtures/content/bad");
	struct buf		 out = BUF_INIT;
	size_t			 i, n;

	ck_assert_uint_eq(rule_nominal(s, &out), 5);
	ck_assert_str_eq(out.s, nominal);
	buf_reset(&out);
	ck_assert_uint_eq(rule_labels(s, &out), 6);
	ck_assert_str_eq(out.s, labels);
	buf_reset(&out);
	for (i = 0, n = 0; i < s->nlists; i++)
		n += rule_duplicates(s->lists[i], &out);
	n += rule_lists_used(s, &out);
	n += rule_commodity(s, &out);
	n += rule_entities(s, &out);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(out.s, others);
	schema_free(s);
	buf_free(&out);
}
END_TEST

/* The word matcher: whole words, plurals, and words inside others. */
START_TEST(test_name_has)
{
	ck_assert(name_has("vin", "vin", 1));
	ck_assert(name_has("car_vins", "vin", 1));
	ck_assert(name_has("vin_check", "vin", 1));
	ck_assert(!name_has("province", "vin", 1));
	ck_assert(!name_has("vinyl", "vin", 1));
	ck_assert(!name_has("catalog", "log", 1));
	ck_assert(name_has("filename", "name", 0));
	ck_assert(!name_has("flag", "log", 1));
}
END_TEST

/* A code list or form that is not there: the directory does not load. */
START_TEST(test_missing_targets)
{
	static const struct {
		const char	*dir, *found;
	} cases[] = {
		{ "tests/fixtures/content/nolist", "found 'office'" },
		{ "tests/fixtures/content/noref", "found 'owner'" },
	};
	struct schema	*s = NULL;
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		dir = test_path(cases[i].dir);
		ck_assert_int_eq(schema_load_dir(dir, &s, &err), NCEN_EPARSE);
		ck_assert_msg(strstr(ncen_err_msg(&err), cases[i].found) !=
		    NULL, "%s: %s", cases[i].dir, ncen_err_msg(&err));
		free(dir);
	}
	ncen_err_free(&err);
}
END_TEST

/* The forms suite. */
static Suite *
forms_suite(void)
{
	Suite	*s = suite_create("forms");
	TCase	*tc;

	tc = tcase_create("shipped");
	tcase_add_checked_fixture(tc, setup_shipped, teardown_shipped);
	tcase_add_test(tc, test_shipped_fields);
	tcase_add_test(tc, test_shipped_nominal);
	tcase_add_test(tc, test_shipped_labels);
	tcase_add_test(tc, test_shipped_lists);
	tcase_add_test(tc, test_statcase_rule);
	tcase_add_test(tc, test_shipped_codes);
	tcase_add_test(tc, test_shipped_iso);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, test_build_tree);
	tcase_add_test(tc, test_rules_catch);
	tcase_add_test(tc, test_name_has);
	tcase_add_test(tc, test_missing_targets);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(forms_suite());
}
