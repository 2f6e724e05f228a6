/*
 * fuzz_search.c - libFuzzer target for search queries: arbitrary bytes
 * (valid UTF-8 or not) as a query against a small store of persons in
 * several scripts, with and without SEARCH_PREFIX, and through each key
 * function of match.c.  Invalid UTF-8 must be refused (NCEN_EUSAGE),
 * anything else answered; hits must be ranked and scored 0 to 100.
 * Build with ./configure CC=clang --enable-fuzzing and run
 * tests/fuzz/fuzz_search -dict=tests/fuzz/fuzz_search.dict CORPUS
 * (NCEN_FUZZ_FORMS names the forms directory, default the build's).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "match.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "xmalloc.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct store	*fuzz_st;
static struct schema	*fuzz_schema;

/* The persons of the store: family, given names, birth, document. */
static const char *const fuzz_persons[][4] = {
	{ "Кузнецов", "Дмитрий", "1997-10-23", "72 1234567" },
	{ "Müller", "Hans", "1970-03-05", "C01X00T47" },
	{ "عبد الرحمن", "محمد", "1988-01-09", "A1234567" },
	{ "王", "小明", "1995-05-05", "E12345678" },
	{ "Παπαδοπούλου", "Μαρία", "1992-12-24", "AE 123456" },
};

/* Store the persons (once). */
static int
fuzz_put(struct store_txn *t, void *arg, struct ncen_err *err)
{
	const struct schema_form	*form = arg;
	struct record			*r;
	size_t				 i;
	int				 error = NCEN_OK;

	for (i = 0; i < sizeof fuzz_persons / sizeof fuzz_persons[0] &&
	    error == NCEN_OK; i++) {
		r = record_new(form);
		if ((error = record_set(r, "family_name", fuzz_persons[i][0],
		    err)) == NCEN_OK && (error = record_set(r, "given_names",
		    fuzz_persons[i][1], err)) == NCEN_OK && (error = record_set(r,
		    "birth_date", fuzz_persons[i][2], err)) == NCEN_OK &&
		    (error = record_set(r, "document_number",
		    fuzz_persons[i][3], err)) == NCEN_OK)
			error = store_put(t, r, "fuzz", err);
		record_free(r);
	}
	return error;
}

/* Make the store in a fresh directory. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	const char		*forms = getenv("NCEN_FUZZ_FORMS");
	char			 dir[] = "/tmp/fuzz_search.XXXXXX";

	if (forms == NULL)
		forms = FUZZ_FORMS_DIR;
	if (mkdtemp(dir) == NULL || schema_load_dir(forms, &fuzz_schema,
	    &err) != NCEN_OK) {
		fprintf(stderr, "fuzz_search: %s\n", ncen_err_msg(&err));
		abort();
	}
	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.nosync = 1;
	if (store_open(&o, fuzz_schema, &fuzz_st, &err) != NCEN_OK ||
	    store_run(fuzz_st, fuzz_put, (void *)(uintptr_t)
	    schema_form_find(fuzz_schema, "person"), &err) != NCEN_OK) {
		fprintf(stderr, "fuzz_search: %s\n", ncen_err_msg(&err));
		abort();
	}
	ncen_err_free(&err);
	return 0;
}

/* One query. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct search_query	 q;
	struct search_result	 res;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT;
	char			*text, iso[11];
	size_t			 i;
	int			 error, valid, flags;

	/* Every key function on the bytes as they are. */
	valid = match_utf8((const char *)data, size);
	if ((match_fold((const char *)data, size, &b, &err) == NCEN_OK) !=
	    valid || (match_latin((const char *)data, size, &b, &err) ==
	    NCEN_OK) != valid)
		abort();
	if (match_compact((const char *)data, size, &b, &err) != NCEN_OK &&
	    valid)
		abort();
	buf_reset(&b);
	match_skeleton((const char *)data, size, &b);
	(void)match_date((const char *)data, size, iso);
	(void)match_jw((const char *)data, size, "kuznetsov", 9);
	buf_free(&b);

	text = xmalloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (flags = 0; flags <= SEARCH_PREFIX; flags += SEARCH_PREFIX) {
		memset(&q, 0, sizeof q);
		q.text = text;
		q.flags = flags;
		q.limit = 5;
		error = search_run(fuzz_st, &q, &res, &err);
		if (error != NCEN_OK && error != NCEN_EUSAGE)
			abort();
		/* Invalid UTF-8 (before any NUL) is never answered. */
		if (error == NCEN_OK && !match_utf8(text, strlen(text)))
			abort();
		for (i = 0; i < res.n; i++)
			if (res.hits[i].score < 0 || res.hits[i].score > 100 ||
			    (i > 0 && res.hits[i].score >
			    res.hits[i - 1].score) || res.hits[i].summary ==
			    NULL || res.hits[i].rec == NULL)
				abort();
		if (res.n > 5)
			abort();
		search_result_free(&res);
	}
	free(text);
	ncen_err_free(&err);
	return 0;
}
