/*
 * check_draft.c - drafts of unsaved typing (store-draft.c): put, get,
 * replace, list by user, delete; values kept as typed (not validated),
 * with the record as the edit found it;
 * the spool file written without the store and moved into drafts.db;
 * a malformed spool file is left in place and named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-draft.h"
#include "store.h"
#include "testlib.h"

static char		*home;
static struct schema	*schema;
static struct store	*store;

/* A fresh data directory. */
static void
setup(void)
{
	test_store_open(&home, &schema, &store);
}

/* Close and remove it. */
static void
teardown(void)
{
	test_store_close(home, schema, store);
}

/* A draft of user for entity/id with one typed value. */
static struct store_draft *
draft(const char *user, const char *entity, uint64_t id, const char *field,
    const char *value)
{
	struct store_draft	*d = calloc(1, sizeof *d);

	ck_assert_ptr_nonnull(d);
	d->user = strdup(user);
	d->entity = strdup(entity);
	d->id = id;
	d->version = id != 0 ? 3 : 0;
	d->field = 2;
	d->started = 1795774440;	/* 2026-11-27 10:14 UTC */
	d->saved = d->started + 60;
	d->rec = record_new(schema_form_find(schema, entity));
	ck_assert(record_set(d->rec, field, value, NULL) == NCEN_OK);
	return d;
}

/* Put a draft and free it. */
static void
put(struct store_draft *d)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_msg(store_draft_put(store, d, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
	store_draft_free(d);
}

/* Collect "entity id field-value" lines. */
static int
collect_fn(const struct store_draft *d, void *arg)
{
	buf_addf(arg, "%s %llu %u %s\n", d->entity, (unsigned long long)d->id,
	    d->version, record_get(d->rec, "family_name") != NULL ?
	    record_get(d->rec, "family_name") : record_get(d->rec, "place"));
	return 0;
}

START_TEST(test_put_get)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_draft	*d;

	/* Not a date, not canonical: a draft keeps what was typed. */
	d = draft("alice", "person", 0, "birth_date", "2026-02-30");
	record_set(d->rec, "family_name", "Иванова", NULL);
	put(d);
	ck_assert(store_draft_get(store, "alice", "person", 0, &d, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(d->user, "alice");
	ck_assert_str_eq(d->entity, "person");
	ck_assert_uint_eq(d->id, 0);
	ck_assert_uint_eq(d->field, 2);
	ck_assert_int_eq(d->started, 1795774440);
	ck_assert_str_eq(record_get(d->rec, "birth_date"), "2026-02-30");
	ck_assert_str_eq(record_get(d->rec, "family_name"), "Иванова");
	store_draft_free(d);

	ck_assert(store_draft_get(store, "bob", "person", 0, &d, &err) ==
	    NCEN_ENOTFOUND);
	ck_assert_ptr_null(d);
	ck_assert(strstr(ncen_err_msg(&err), "bob has no draft") != NULL);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_base)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_draft	*d = draft("alice", "person", 4, "family_name",
				    "Koné Edited");

	d->base = record_new(d->rec->form);
	record_set(d->base, "family_name", "Koné", NULL);
	d->base->version = 3;
	put(d);
	ck_assert(store_draft_get(store, "alice", "person", 4, &d, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(record_get(d->rec, "family_name"), "Koné Edited");
	ck_assert_ptr_nonnull(d->base);
	ck_assert_str_eq(record_get(d->base, "family_name"), "Koné");
	ck_assert_uint_eq(d->base->version, 3);
	store_draft_free(d);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_replace_and_del)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_draft	*d;

	put(draft("alice", "case", 7, "place", "Le Havre"));
	put(draft("alice", "case", 7, "place", "Marseille"));
	ck_assert(store_draft_get(store, "alice", "case", 7, &d, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(record_get(d->rec, "place"), "Marseille");
	ck_assert_uint_eq(d->version, 3);
	store_draft_free(d);
	ck_assert(store_draft_del(store, "alice", "case", 7, &err) == NCEN_OK);
	ck_assert(store_draft_get(store, "alice", "case", 7, &d, &err) ==
	    NCEN_ENOTFOUND);
	/* Deleting what is not there is fine. */
	ck_assert(store_draft_del(store, "alice", "case", 7, &err) == NCEN_OK);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_list_by_user)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct buf	b = BUF_INIT;

	put(draft("al", "case", 0, "place", "x"));	/* a prefix of alice */
	put(draft("alice", "person", 2, "family_name", "Dupont"));
	put(draft("alice", "case", 0, "place", "Calais"));
	put(draft("alice", "case", 9, "place", "Dunkerque"));
	put(draft("bob", "case", 0, "place", "Lille"));
	ck_assert(store_draft_list(store, "alice", collect_fn, &b, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(buf_cstr(&b), "case 0 0 Calais\ncase 9 3 Dunkerque\n"
	    "person 2 3 Dupont\n");
	buf_reset(&b);
	ck_assert(store_draft_list(store, "carol", collect_fn, &b, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_bad_user)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_draft	*d = draft("../x", "case", 0, "place", "x");

	ck_assert(store_draft_put(store, d, &err) == NCEN_EUSAGE);
	ck_assert(store_draft_spool(home, d, &err) == NCEN_EUSAGE);
	store_draft_free(d);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_spool)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_draft	*d = draft("alice", "person", 0, "family_name",
				    "Benali");
	struct buf		 path = BUF_INIT;
	struct stat		 sb;
	int			 found;

	record_add_value(d->rec, (size_t)schema_field_index(d->rec->form,
	    "nationality"), "DZ");
	record_add_value(d->rec, (size_t)schema_field_index(d->rec->form,
	    "nationality"), "FR");
	ck_assert_msg(store_draft_spool(home, d, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	store_draft_free(d);
	buf_addf(&path, "%s/spool/alice.draft", home);
	ck_assert(stat(path.s, &sb) == 0);
	ck_assert((sb.st_mode & 077) == 0);
	/* Not in drafts.db until unspooled. */
	ck_assert(store_draft_get(store, "alice", "person", 0, &d, &err) ==
	    NCEN_ENOTFOUND);
	ck_assert(store_draft_unspool(store, "bob", &found, &err) == NCEN_OK);
	ck_assert_int_eq(found, 0);
	ck_assert(store_draft_unspool(store, "alice", &found, &err) ==
	    NCEN_OK);
	ck_assert_int_eq(found, 1);
	ck_assert(stat(path.s, &sb) != 0);
	ck_assert(store_draft_get(store, "alice", "person", 0, &d, &err) ==
	    NCEN_OK);
	ck_assert_str_eq(record_get(d->rec, "family_name"), "Benali");
	ck_assert_uint_eq(d->rec->fields[schema_field_index(d->rec->form,
	    "nationality")].n, 2);
	store_draft_free(d);
	buf_free(&path);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_spool_malformed)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 path = BUF_INIT;
	struct stat	 sb;
	FILE		*f;
	int		 found;

	buf_addf(&path, "%s/spool", home);
	ck_assert(mkdir(path.s, 0700) == 0);
	buf_adds(&path, "/alice.draft");
	ck_assert_ptr_nonnull(f = fopen(path.s, "w"));
	ck_assert(fwrite("\0\0\0\3al\0garbage", 1, 14, f) == 14);
	fclose(f);
	ck_assert(store_draft_unspool(store, "alice", &found, &err) ==
	    NCEN_EPARSE);
	ck_assert_int_eq(found, 1);
	ck_assert(strstr(ncen_err_msg(&err), "alice.draft") != NULL);
	ck_assert(stat(path.s, &sb) == 0);
	buf_free(&path);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("draft");
	TCase	*tc = tcase_create("draft");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_put_get);
	tcase_add_test(tc, test_base);
	tcase_add_test(tc, test_replace_and_del);
	tcase_add_test(tc, test_list_by_user);
	tcase_add_test(tc, test_bad_user);
	tcase_add_test(tc, test_spool);
	tcase_add_test(tc, test_spool_malformed);
	suite_add_tcase(s, tc);
	return test_run(s);
}
