/*
 * fuzz_rules.c - libFuzzer target for the ncen-rules language.
 *
 * The bytes (exactly size of them, no NUL after) go to rules_parse()
 * checked against the build's forms: it must answer a rule set or a
 * FILE:LINE:COL message, never crash, leak or read past the end; a
 * rule set it answers must hold what the language promises (a title,
 * a condition or a count, values within bounds).  Build with
 * ./configure CC=clang --enable-fuzzing and run
 * tests/fuzz/fuzz_rules -dict=tests/fuzz/fuzz_rules.dict CORPUS.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "schema.h"
#include "xmalloc.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct schema	*fuzz_schema;

/* Load the forms the rules are checked against. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	const char	*forms = getenv("NCEN_FUZZ_FORMS");

	(void)argc;
	(void)argv;
	if (forms == NULL)
		forms = FUZZ_FORMS_DIR;
	if (schema_load_dir(forms, &fuzz_schema, &err) != NCEN_OK) {
		fprintf(stderr, "fuzz_rules: %s\n", ncen_err_msg(&err));
		abort();
	}
	ncen_err_free(&err);
	return 0;
}

/* Parse one input; check what a successful parse promises. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct rules	*rs = NULL;
	char		*copy = xmemdup(data, size);
	size_t		 i, j;
	int		 rc;

	rc = rules_parse("fuzz.rules", copy, size, fuzz_schema, &rs, &err);
	if (rc == NCEN_OK) {
		if (rs == NULL)
			abort();
		for (i = 0; i < rs->n; i++) {
			if (rs->v[i].title == NULL || rs->v[i].notify == NULL ||
			    (rs->v[i].nconds == 0 && rs->v[i].count.n == 0) ||
			    (rs->v[i].count.n != 0 && rs->v[i].count.by ==
			    NULL))
				abort();
			for (j = 0; j < rs->v[i].nconds; j++)
				if (rs->v[i].conds[j].nvalues == 0 ||
				    rs->v[i].conds[j].nvalues >
				    RULES_VALUES_MAX)
					abort();
		}
	} else if (rs != NULL || strncmp(ncen_err_msg(&err), "fuzz.rules:",
	    11) != 0)
		abort();
	rules_free(rs);
	ncen_err_free(&err);
	free(copy);
	return 0;
}
