/*
 * search-dup.c - the records a new one probably repeats (search.h).
 *
 * Two rules, read from the form's `search` fields, both through exact
 * keys of the search index (store-search.c), so a check costs a few
 * index reads and never a walk of the form:
 *
 *	number	a value of a field searched as a number (a document,
 *		registration, IMO, VIN, plate...) that another record
 *		has too, once compact ("72 1234567" = "721234567");
 *	person	on a form with a date searched (a date of birth): the
 *		same date, and the same name in every name field the new
 *		record fills, by skeleton ("Kouznetsov" = "Kuznetsov" =
 *		"Кузнецов"), so that a spelling of the same person meets.
 *
 * A form without a searched date (a business, a conveyance) is matched
 * by its numbers only: two companies or vessels may share a name.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "xmalloc.h"

#define SEARCH_DUP_IDS		1000	/* ids read under one key */

/* The key of one tag kept from a value's keys: the first, or longest. */
struct search_dup_key {
	int		 tag;
	int		 longest;
	struct buf	 key;
};

/* Keep a value's key of the tag wanted (store_search_value_keys). */
static void
search_dup_keep(const char *key, size_t len, void *arg)
{
	struct search_dup_key	*k = arg;

	if (len < 2 || key[0] != k->tag)
		return;
	if (k->key.len != 0 && (!k->longest || len <= k->key.len))
		return;
	buf_reset(&k->key);
	buf_add(&k->key, key, len);
}

/* Order ids for qsort. */
static int
search_dup_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The ids under one exact key, ascending, without self. */
static int
search_dup_ids(struct store *st, const struct record *r,
    const struct buf *key, struct store_search_ids *out,
    struct ncen_err *err)
{
	size_t	i, j;
	int	error;

	memset(out, 0, sizeof *out);
	if ((error = store_search_ids(st, r->form->name, key->s, key->len, 0,
	    SEARCH_DUP_IDS, out, err)) != NCEN_OK)
		return error;
	if (out->n > 1)
		qsort(out->ids, out->n, sizeof *out->ids, search_dup_cmp);
	for (i = j = 0; i < out->n; i++)
		if (out->ids[i] != r->id && (j == 0 ||
		    out->ids[j - 1] != out->ids[i]))
			out->ids[j++] = out->ids[i];
	out->n = j;
	return NCEN_OK;
}

/* Keep in a only the ids also in b (both ascending). */
static void
search_dup_and(struct store_search_ids *a, const struct store_search_ids *b)
{
	size_t	i = 0, j = 0, n = 0;

	while (i < a->n && j < b->n) {
		if (a->ids[i] < b->ids[j])
			i++;
		else if (a->ids[i] > b->ids[j])
			j++;
		else {
			a->ids[n++] = a->ids[i];
			i++;
			j++;
		}
	}
	a->n = n;
}

/* Add b's ids to a (kept ascending, each once). */
static void
search_dup_or(struct store_search_ids *a, const struct store_search_ids *b)
{
	size_t	i, j;

	for (i = 0; i < b->n; i++) {
		if (a->n == a->cap) {
			a->cap = a->cap == 0 ? 16 : a->cap * 2;
			a->ids = xreallocarray(a->ids, a->cap, sizeof *a->ids);
		}
		a->ids[a->n++] = b->ids[i];
	}
	if (a->n > 1)
		qsort(a->ids, a->n, sizeof *a->ids, search_dup_cmp);
	for (i = j = 0; i < a->n; i++)
		if (j == 0 || a->ids[j - 1] != a->ids[i])
			a->ids[j++] = a->ids[i];
	a->n = j;
}

/*
 * The person rule: ids sharing the date and every name field's
 * skeleton; none when the record lacks the date or any name.
 */
static int
search_dup_person(struct store *st, const struct record *r,
    struct store_search_ids *out, struct ncen_err *err)
{
	const struct schema_form	*f = r->form;
	struct search_dup_key		 k;
	struct store_search_ids		 ids;
	size_t				 i;
	int				 error = NCEN_OK, dated = 0, named = 0;

	memset(out, 0, sizeof *out);
	memset(&k, 0, sizeof k);
	for (i = 0; i < f->nfields && error == NCEN_OK; i++) {
		const struct schema_field	*sf = &f->fields[i];

		if ((sf->search != SCHEMA_SEARCH_DATE &&
		    sf->search != SCHEMA_SEARCH_NAME) || r->fields[i].n == 0 ||
		    *r->fields[i].v[0] == '\0')
			continue;
		k.tag = sf->search == SCHEMA_SEARCH_DATE ? 'd' : 's';
		k.longest = k.tag == 's';
		buf_reset(&k.key);
		store_search_value_keys(sf->search, r->fields[i].v[0],
		    strlen(r->fields[i].v[0]), search_dup_keep, &k);
		if (k.key.len == 0)
			continue;
		if ((error = search_dup_ids(st, r, &k.key, &ids, err)) !=
		    NCEN_OK)
			break;
		if (!dated && !named)
			*out = ids;
		else {
			search_dup_and(out, &ids);
			store_search_ids_free(&ids);
		}
		if (k.tag == 'd')
			dated = 1;
		else
			named = 1;
	}
	if (error != NCEN_OK || !dated || !named)
		out->n = 0;
	buf_free(&k.key);
	return error;
}

/* The records of r's form that are probably r (search.h). */
int
search_duplicates(struct store *st, const struct record *r,
    struct store_search_ids *out, struct ncen_err *err)
{
	const struct schema_form	*f = r->form;
	struct search_dup_key		 k;
	struct store_search_ids		 ids;
	size_t				 i, v;
	int				 error = NCEN_OK, dates = 0;

	memset(out, 0, sizeof *out);
	memset(&ids, 0, sizeof ids);
	if (!store_search_has(st, f->name))
		return NCEN_OK;
	memset(&k, 0, sizeof k);
	k.tag = 'n';
	for (i = 0; i < f->nfields && error == NCEN_OK; i++) {
		if (f->fields[i].search == SCHEMA_SEARCH_DATE)
			dates = 1;
		if (f->fields[i].search != SCHEMA_SEARCH_NUMBER)
			continue;
		for (v = 0; v < r->fields[i].n && error == NCEN_OK; v++) {
			buf_reset(&k.key);
			store_search_value_keys(SCHEMA_SEARCH_NUMBER,
			    r->fields[i].v[v], strlen(r->fields[i].v[v]),
			    search_dup_keep, &k);
			if (k.key.len == 0)
				continue;
			if ((error = search_dup_ids(st, r, &k.key, &ids,
			    err)) == NCEN_OK)
				search_dup_or(out, &ids);
			store_search_ids_free(&ids);
		}
	}
	if (error == NCEN_OK && dates &&
	    (error = search_dup_person(st, r, &ids, err)) == NCEN_OK)
		search_dup_or(out, &ids);
	if (dates)
		store_search_ids_free(&ids);
	buf_free(&k.key);
	if (error != NCEN_OK)
		store_search_ids_free(out);
	return error;
}
