/*
 * fuzz_forms.c - libFuzzer target for the forms language.
 *
 * The same bytes go to the .form parser and the .codes parser (exactly
 * size bytes, no NUL after them, so a read past the end is caught), then
 * as a typed value to the validator of every type and to the index key
 * builder.  Build with ./configure CC=clang --enable-fuzzing and run
 * tests/fuzz/fuzz_forms -dict=tests/fuzz/fuzz_forms.dict CORPUS.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "validate.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* One field of each type for the validator. */
static struct schema_field fuzz_forms_fields[] = {
	{ .type = SCHEMA_TEXT, .size = 40 },
	{ .type = SCHEMA_INTEGER },
	{ .type = SCHEMA_DECIMAL, .size = 18, .scale = 18 },
	{ .type = SCHEMA_DECIMAL, .size = 9, .scale = 3 },
	{ .type = SCHEMA_DECIMAL, .size = 18, .scale = 0 },
	{ .type = SCHEMA_DATE },
	{ .type = SCHEMA_DATETIME },
	{ .type = SCHEMA_CODE },
	{ .type = SCHEMA_REF },
	{ .type = SCHEMA_TEXT, .size = 13, .pattern = SCHEMA_PATTERN_HS },
	{ .type = SCHEMA_TEXT, .size = 5, .pattern = SCHEMA_PATTERN_TIME },
	{ .type = SCHEMA_TEXT, .size = 6,
	  .pattern = SCHEMA_PATTERN_UTC_OFFSET },
};

/* Feed one input to both parsers, the validator and the key builder. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct schema_form	*form = NULL;
	struct schema_codelist	*list = NULL;
	struct schema		 s;
	struct buf		 canon = BUF_INIT, reason = BUF_INIT;
	struct buf		 key = BUF_INIT;
	char			*copy, *value, *listname = NULL, name[] = "fuzz";
	size_t			 i;

	copy = xmemdup(data, size);
	if (schema_form_parse("fuzz.form", copy, size, &form, &err) ==
	    NCEN_OK && form == NULL)
		abort();
	if (schema_codes_parse("fuzz.codes", copy, size, &list, &err) ==
	    NCEN_OK && list == NULL)
		abort();
	if (list != NULL) {
		for (i = 1; i < list->ncodes; i++)
			if (strcmp(list->codes[i - 1].code,
			    list->codes[i].code) >= 0)
				abort();
		/* The fields below all name the list "fuzz". */
		listname = list->name;
		list->name = name;
	}

	/* The input as a typed value (up to its first NUL). */
	value = xstrndup(copy, size);
	memset(&s, 0, sizeof s);
	if (list != NULL) {
		s.lists = &list;
		s.nlists = 1;
	}
	for (i = 0; i < sizeof fuzz_forms_fields /
	    sizeof fuzz_forms_fields[0]; i++) {
		fuzz_forms_fields[i].name = name;
		fuzz_forms_fields[i].target = name;
		if (schema_value_check(&s, &fuzz_forms_fields[i], value,
		    &canon, &reason) == NCEN_OK) {
			buf_reset(&key);
			schema_index_key(&fuzz_forms_fields[i], canon.s,
			    canon.len, &key);
			/* What a pattern made of it fits the pattern. */
			if (canon.len != 0 &&
			    !schema_pattern_fits(&fuzz_forms_fields[i],
			    canon.s))
				abort();
		}
		(void)schema_value_stored(&s, &fuzz_forms_fields[i], value,
		    &canon, &reason);
		buf_reset(&key);
		schema_index_key(&fuzz_forms_fields[i], copy, size, &key);
	}

	if (list != NULL)
		list->name = listname;
	schema_codes_free(list);
	schema_form_free(form);
	buf_free(&canon);
	buf_free(&reason);
	buf_free(&key);
	ncen_err_free(&err);
	free(value);
	free(copy);
	return 0;
}
