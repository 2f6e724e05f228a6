/* check_store.c - the store: records, indices, links, processes, verify. */
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <db.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

static char		*home;
static struct schema	*schema;	/* fixtures/store/v1 */

/* Load forms from the fixtures: item from vN, person from v1. */
static struct schema *
test_schema(const char *itemdir)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct buf	 b = BUF_INIT;
	char		*paths[2];

	buf_addf(&b, "tests/fixtures/store/%s/item.form", itemdir);
	paths[0] = test_path(b.s);
	paths[1] = test_path("tests/fixtures/store/v1/person.form");
	if (schema_load_files((const char *const *)paths, 2, &s, &err) !=
	    NCEN_OK)
		ck_abort_msg("loading the forms: %s", ncen_err_msg(&err));
	free(paths[0]);
	free(paths[1]);
	buf_free(&b);
	ncen_err_free(&err);
	return s;
}

/* A fresh data directory and the v1 forms for each test. */
static void
setup(void)
{
	home = test_tmpdir();
	schema = test_schema("v1");
}

/* Remove the data directory. */
static void
teardown(void)
{
	test_rmdir(home);
	free(home);
	schema_free(schema);
}

/* Open the store of `home` (created) or fail the test. */
static struct store *
test_open_with(const struct schema *s, const char *keyfile)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;

	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = keyfile;
	o.create = 1;
	o.nosync = 1;
	if (store_open(&o, s, &st, &err) != NCEN_OK)
		ck_abort_msg("store_open: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return st;
}

/* Open with the v1 forms and no key. */
static struct store *
test_open(void)
{
	return test_open_with(schema, NULL);
}

/* Close or fail the test. */
static void
test_close(struct store *st)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	if (store_close(st, &err) != NCEN_OK)
		ck_abort_msg("store_close: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* A new record of a form with name=value pairs set. */
static struct record *
test_record(const struct schema *s, const char *form, ...)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r;
	const char	*name, *value;
	va_list		 ap;

	r = record_new(schema_form_find(s, form));
	ck_assert_ptr_nonnull(r->form);
	va_start(ap, form);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (strcmp(name, "tag") == 0) {
			record_add_value(r, (size_t)schema_field_index(r->form,
			    "tag"), value);
			continue;
		}
		ck_assert_int_eq(record_set(r, name, value, &err), NCEN_OK);
	}
	va_end(ap);
	ncen_err_free(&err);
	return r;
}

/* What a test's store_run callback works on. */
struct test_op {
	struct record	*r;
	const char	*user;
	const char	*entity;
	uint64_t	 id;
	uint32_t	 version;
	int		 calls;
	int		 fail;		/* return this after the work */
	struct store	*st;
};

/* store_run callback: put op->r. */
static int
test_put_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_op	*op = arg;
	int		 error;

	op->calls++;
	if ((error = store_put(t, op->r, op->user, err)) != NCEN_OK)
		return error;
	return op->fail;
}

/* store_run callback: update op->r. */
static int
test_update_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_op	*op = arg;
	int		 error;

	op->calls++;
	if ((error = store_update(t, op->r, op->user, err)) != NCEN_OK)
		return error;
	return op->fail;
}

/* store_run callback: delete op->entity op->id at op->version. */
static int
test_delete_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_op	*op = arg;

	op->calls++;
	return store_delete(t, op->entity, op->id, op->version, err);
}

/* Put a record as `user`, failing the test on error; returns its id. */
static uint64_t
test_put(struct store *st, struct record *r, const char *user)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct test_op	op;

	memset(&op, 0, sizeof op);
	op.r = r;
	op.user = user;
	if (store_run(st, test_put_cb, &op, &err) != NCEN_OK)
		ck_abort_msg("put: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return r->id;
}

/* Put an item with a number, a day, a count and up to two tags. */
static uint64_t
test_item(struct store *st, const char *number, const char *day,
    const char *count, const char *tag1, const char *tag2)
{
	struct record	*r;
	uint64_t	 id;

	r = test_record(schema, "item", "number", number, NULL);
	if (day != NULL)
		record_set(r, "day", day, NULL);
	if (count != NULL)
		record_set(r, "count", count, NULL);
	if (tag1 != NULL)
		record_add_value(r, 3, tag1);
	if (tag2 != NULL)
		record_add_value(r, 3, tag2);
	id = test_put(st, r, "tester");
	record_free(r);
	return id;
}

/* Collect the "number" of each record found, separated by spaces. */
static int
test_collect(const struct record *r, void *arg)
{
	struct buf	*b = arg;
	const char	*v = record_get(r, "number");

	if (b->len != 0)
		buf_addc(b, ' ');
	buf_adds(b, v == NULL ? "?" : v);
	return 0;
}

/* The numbers store_find gives, or "ERR: message". */
static char *
test_find(struct store *st, const char *field, const char *from,
    const char *to)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct buf	b = BUF_INIT;

	if (store_find(st, "item", field, from, to, test_collect, &b, &err) !=
	    NCEN_OK) {
		buf_reset(&b);
		buf_addf(&b, "ERR %s: %s", ncen_code_name(err.code),
		    ncen_err_msg(&err));
	}
	ncen_err_free(&err);
	return buf_detach(&b);
}

START_TEST(test_version)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_int_eq(store_version_check(&err), NCEN_OK);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_open_close)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;
	struct buf		 sub = BUF_INIT;

	/* No directory, no create: a message naming it. */
	buf_addf(&sub, "%s/nothere", home);
	memset(&o, 0, sizeof o);
	o.home = sub.s;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_ENOTFOUND);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "nothere"));
	/* An empty directory is not a data directory without create. */
	o.home = home;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "not an ncen data "
	    "directory"));
	/* Created, closed, reopened without create. */
	o.home = sub.s;
	o.create = 1;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_str_eq(store_home(st), sub.s);
	ck_assert_ptr_eq(store_schema(st), schema);
	ck_assert_int_eq(store_checkpoint(st, &err), NCEN_OK);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);
	o.create = 0;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);
	ck_assert_int_eq(store_close(NULL, &err), NCEN_OK);

	/* A form named like one of the store's own files is refused. */
	{
		static char		 links[] = "links";
		struct schema_form	 f = { .name = links };
		struct schema_form	*fp = &f;
		struct schema		 bad = { .forms = &fp, .nforms = 1 };

		ck_assert_int_eq(store_open(&o, &bad, &st, &err), NCEN_EUSAGE);
		ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "may not be "
		    "named 'links'"));
	}
	buf_free(&sub);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_put_get)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st = test_open();
	struct record	*r, *got = NULL;
	uint64_t	 n;
	time_t		 now = time(NULL);

	r = test_record(schema, "item", "number", "A-1", "day", "2026-11-27",
	    "tag", "red", "tag", "blue", NULL);
	ck_assert_uint_eq(test_put(st, r, "jdupont"), 1);
	ck_assert_uint_eq(r->version, 1);
	ck_assert_str_eq(r->muser, "jdupont");
	ck_assert(r->mtime >= now && r->mtime <= now + 5);
	ck_assert_int_eq(store_get(st, "item", 1, &got, &err), NCEN_OK);
	ck_assert(record_equal(r, got));
	record_free(got);

	/* The second gets the next id; ids are per form. */
	record_free(r);
	r = test_record(schema, "item", "number", "A-2", NULL);
	ck_assert_uint_eq(test_put(st, r, "jdupont"), 2);
	record_free(r);
	r = test_record(schema, "person", "name", "Kouassi", NULL);
	ck_assert_uint_eq(test_put(st, r, "jdupont"), 1);
	record_free(r);

	ck_assert_int_eq(store_count(st, "item", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(store_count(st, "person", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 1);

	/* Missing record, unknown form. */
	ck_assert_int_eq(store_get(st, "item", 99, &got, &err), NCEN_ENOTFOUND);
	ck_assert_ptr_null(got);
	ck_assert_str_eq(ncen_err_msg(&err), "item 99 does not exist (it may "
	    "have been deleted)");
	ck_assert_int_eq(store_get(st, "nosuch", 1, &got, &err),
	    NCEN_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "no form named "
	    "'nosuch'"));

	/* A put with an id given, and the same id again. */
	r = test_record(schema, "item", "number", "A-50", NULL);
	r->id = 50;
	ck_assert_uint_eq(test_put(st, r, "importer"), 50);
	record_free(r);
	{
		struct test_op	op;

		memset(&op, 0, sizeof op);
		op.r = test_record(schema, "item", "number", "A-50b", NULL);
		op.r->id = 50;
		op.user = "importer";
		ck_assert_int_eq(store_run(st, test_put_cb, &op, &err),
		    NCEN_EEXISTS);
		ck_assert_str_eq(ncen_err_msg(&err), "item 50 already exists");
		/* Set back as it was: id kept, version 0. */
		ck_assert_uint_eq(op.r->id, 50);
		ck_assert_uint_eq(op.r->version, 0);
		ck_assert_ptr_null(op.r->muser);
		record_free(op.r);
	}
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_sequence_skips_imported)
{
	struct store	*st = test_open();
	struct record	*r;

	/* Imported ids 1..3 overtake the sequence: the next put skips them. */
	for (int i = 1; i <= 3; i++) {
		r = test_record(schema, "item", "number", "imported", NULL);
		r->id = (uint64_t)i;
		test_put(st, r, "importer");
		record_free(r);
	}
	ck_assert_uint_eq(test_item(st, "new", NULL, NULL, NULL, NULL), 4);
	ck_assert_uint_eq(test_item(st, "new2", NULL, NULL, NULL, NULL), 5);
	test_close(st);
}
END_TEST

START_TEST(test_update_conflict)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st = test_open();
	struct record	*mine, *theirs, *got = NULL;
	struct test_op	 op;

	test_item(st, "U-1", "2026-01-02", "7", NULL, NULL);
	ck_assert_int_eq(store_get(st, "item", 1, &mine, &err), NCEN_OK);
	ck_assert_int_eq(store_get(st, "item", 1, &theirs, &err), NCEN_OK);

	/* They save first. */
	record_set(theirs, "note", "checked twice", NULL);
	memset(&op, 0, sizeof op);
	op.r = theirs;
	op.user = "jdupont";
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(theirs->version, 2);
	ck_assert_str_eq(theirs->muser, "jdupont");

	/* My edit was based on version 1: refused, with who and when. */
	record_set(mine, "note", "my note", NULL);
	op.r = mine;
	op.user = "akone";
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err),
	    NCEN_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "item 1 was changed "
	    "by jdupont at 20"));
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), " UTC (version 2) "
	    "after you opened version 1; reopen it to see their changes"));
	ck_assert_uint_eq(mine->version, 1);
	ck_assert_ptr_null(strstr(ncen_err_msg(&err), "akone"));

	/* Nothing of mine was stored. */
	ck_assert_int_eq(store_get(st, "item", 1, &got, &err), NCEN_OK);
	ck_assert_str_eq(record_get(got, "note"), "checked twice");
	ck_assert_uint_eq(got->version, 2);

	/* Reopened, edited again: accepted as version 3, twice in a row. */
	record_set(got, "note", "my note", NULL);
	op.r = got;
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(got->version, 3);
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(got->version, 4);

	/* A transaction that fails after the update sets the record back. */
	op.fail = NCEN_EINVALID;
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err),
	    NCEN_EINVALID);
	ck_assert_uint_eq(got->version, 4);
	record_free(got);
	ck_assert_int_eq(store_get(st, "item", 1, &got, &err), NCEN_OK);
	ck_assert_uint_eq(got->version, 4);
	ck_assert_str_eq(got->muser, "akone");

	/* An update of something never stored. */
	op.fail = 0;
	op.r = test_record(schema, "item", "number", "X", NULL);
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_EUSAGE);
	op.r->id = 77;
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err),
	    NCEN_ENOTFOUND);
	record_free(op.r);
	/* And without a user. */
	op.r = got;
	op.user = NULL;
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_EUSAGE);

	record_free(got);
	record_free(mine);
	record_free(theirs);
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_delete)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st = test_open();
	struct record	*got = NULL;
	struct test_op	 op;
	char		*s;
	uint64_t	 n;

	test_item(st, "D-1", NULL, NULL, "gone", NULL);
	test_item(st, "D-2", NULL, NULL, "gone", NULL);
	memset(&op, 0, sizeof op);
	op.entity = "item";
	op.id = 1;
	op.version = 3;
	ck_assert_int_eq(store_run(st, test_delete_cb, &op, &err),
	    NCEN_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "after you opened "
	    "version 3; reopen it before deleting it"));
	op.version = 1;
	ck_assert_int_eq(store_run(st, test_delete_cb, &op, &err), NCEN_OK);
	ck_assert_int_eq(store_get(st, "item", 1, &got, &err), NCEN_ENOTFOUND);
	ck_assert_int_eq(store_run(st, test_delete_cb, &op, &err),
	    NCEN_ENOTFOUND);
	ck_assert_int_eq(store_count(st, "item", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 1);
	/* Its index entries went with it. */
	s = test_find(st, "tag", "gone", NULL);
	ck_assert_str_eq(s, "D-2");
	free(s);
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/* Counts: the records of a form and the entries of an index. */
static void
test_counts_are(struct store *st, uint64_t items, uint64_t tags,
    uint64_t days)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	uint64_t	n;

	ck_assert_int_eq(store_count(st, "item", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, items);
	ck_assert_int_eq(store_count_index(st, "item", "tag", &n, &err),
	    NCEN_OK);
	ck_assert_uint_eq(n, tags);
	ck_assert_int_eq(store_count_index(st, "item", "day", &n, &err),
	    NCEN_OK);
	ck_assert_uint_eq(n, days);
	ncen_err_free(&err);
}

/* The count test_bad_count under a key of counts.db (0: the entry gone). */
static uint64_t test_bad_count;
static int
test_put_count(DB *db, DB_TXN *txn, const char *k, u_int32_t klen, int del)
{
	DBT		key, data;
	unsigned char	v[8] = { 0 };

	v[7] = (unsigned char)test_bad_count;
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = (void *)(uintptr_t)k;
	key.size = klen;
	data.data = v;
	data.size = 8;
	if (del && test_bad_count == 0)
		return db->del(db, txn, &key, 0);
	return db->put(db, txn, &key, &data, 0);
}

/* Set counts.db's count of item to n behind the store's back. */
static int
test_set_count(DB *db, DB_TXN *txn)
{
	return test_put_count(db, txn, "item", 4, 0);
}

static void test_raw_edit(const char *, u_int32_t, int (*)(DB *, DB_TXN *));

/*
 * Kept counts follow every put, update and delete, not an aborted one,
 * are made on first use over records already there, stay right across
 * a reopen, and ncenctl verify compares them with the records.
 */
START_TEST(test_counts)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	struct store	*st = test_open();
	struct test_op	 op;
	struct record	*r = NULL;
	uint64_t	 n;

	/* Made on first use, over what is there. */
	test_item(st, "C-1", "2026-01-01", NULL, "a", "b");
	test_item(st, "C-2", NULL, NULL, NULL, NULL);
	test_counts_are(st, 2, 2, 1);
	/* Kept by a put, not by an aborted one. */
	test_item(st, "C-3", "2026-01-03", NULL, "c", NULL);
	test_counts_are(st, 3, 3, 2);
	memset(&op, 0, sizeof op);
	op.r = test_record(schema, "item", "number", "C-4", "day",
	    "2026-01-04", NULL);
	op.user = "tester";
	op.fail = NCEN_EINVALID;
	ck_assert_int_eq(store_run(st, test_put_cb, &op, &err), NCEN_EINVALID);
	record_free(op.r);
	test_counts_are(st, 3, 3, 2);
	/* An update that adds a day and drops a tag. */
	ck_assert_int_eq(store_get(st, "item", 1, &r, &err), NCEN_OK);
	record_clear_field(r, 3);
	record_add_value(r, 3, "a");
	memset(&op, 0, sizeof op);
	op.r = r;
	op.user = "tester";
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_OK);
	record_free(r);
	r = NULL;
	ck_assert_int_eq(store_get(st, "item", 2, &r, &err), NCEN_OK);
	record_set(r, "day", "2026-01-02", NULL);
	op.r = r;
	ck_assert_int_eq(store_run(st, test_update_cb, &op, &err), NCEN_OK);
	record_free(r);
	test_counts_are(st, 3, 2, 3);
	/* A delete. */
	memset(&op, 0, sizeof op);
	op.entity = "item";
	op.id = 3;
	op.version = 1;
	ck_assert_int_eq(store_run(st, test_delete_cb, &op, &err), NCEN_OK);
	test_counts_are(st, 2, 1, 2);
	test_close(st);

	st = test_open();
	test_counts_are(st, 2, 1, 2);
	test_item(st, "C-5", NULL, NULL, "e", NULL);
	test_counts_are(st, 3, 2, 2);
	test_close(st);
	if (store_verify(home, schema, NULL, &report, &err) != NCEN_OK)
		ck_abort_msg("store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&report));

	/* A wrong count is a problem verify names. */
	test_bad_count = 7;
	test_raw_edit("counts.db", 0, test_set_count);
	buf_reset(&report);
	ck_assert_int_eq(store_verify(home, schema, NULL, &report, &err),
	    NCEN_ECHECK);
	ck_assert_ptr_nonnull(strstr(report.s, "problem: counts.db: item: "
	    "the kept count is 7 but there are 3 records"));
	st = test_open();
	ck_assert_int_eq(store_count(st, "item", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 7);
	test_close(st);
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_find_exact_range)
{
	struct store	*st = test_open();
	char		*s;

	test_item(st, "N-3", "2026-02-10", "100", NULL, NULL);
	test_item(st, "n-1", "2025-12-31", "2", NULL, NULL);
	test_item(st, "N-2", "2026-01-05", "10", NULL, NULL);
	test_item(st, "N-4", "2026-01-05", "-5", NULL, NULL);
	test_item(st, "N-5", NULL, NULL, NULL, NULL);

	/* Exact, case-folded text. */
	s = test_find(st, "number", "N-1", NULL);
	ck_assert_str_eq(s, "n-1");
	free(s);
	s = test_find(st, "number", "N-9", NULL);
	ck_assert_str_eq(s, "");
	free(s);

	/* Dates: a range in calendar order; records in key then id order. */
	s = test_find(st, "day", "2026-01-01", "2026-12-31");
	ck_assert_str_eq(s, "N-2 N-4 N-3");
	free(s);
	s = test_find(st, "day", "2026-01-05", NULL);
	ck_assert_str_eq(s, "N-2 N-4");
	free(s);
	s = test_find(st, "day", "2025-01-01", "2026-01-05");
	ck_assert_str_eq(s, "n-1 N-2 N-4");
	free(s);

	/* Integers in numeric order, not text order. */
	s = test_find(st, "count", "-10", "1000");
	ck_assert_str_eq(s, "N-4 n-1 N-2 N-3");
	free(s);
	s = test_find(st, "count", "3", "99");
	ck_assert_str_eq(s, "N-2");
	free(s);
	s = test_find(st, "count", "10", "10");
	ck_assert_str_eq(s, "N-2");
	free(s);
	s = test_find(st, "count", "50", "3");
	ck_assert_str_eq(s, "");
	free(s);

	/* What cannot be searched is told in words. */
	s = test_find(st, "count", "ten", NULL);
	ck_assert_ptr_nonnull(strstr(s, "ERR invalid record: item.count: "
	    "'ten': "));
	free(s);
	s = test_find(st, "note", "x", NULL);
	ck_assert_ptr_nonnull(strstr(s, "ERR usage error: "));
	ck_assert_ptr_nonnull(strstr(s, "item.note is not an indexed field"));
	free(s);
	s = test_find(st, "nosuch", "x", NULL);
	ck_assert_ptr_nonnull(strstr(s, "ERR not found: "));
	free(s);
	test_close(st);
}
END_TEST

START_TEST(test_find_repeated)
{
	struct store	*st = test_open();
	char		*s;

	test_item(st, "R-1", NULL, NULL, "cocaine", "Cannabis");
	test_item(st, "R-2", NULL, NULL, "cannabis", NULL);
	test_item(st, "R-3", NULL, NULL, "tobacco", "tobacco");

	s = test_find(st, "tag", "cannabis", NULL);
	ck_assert_str_eq(s, "R-1 R-2");
	free(s);
	s = test_find(st, "tag", "cocaine", NULL);
	ck_assert_str_eq(s, "R-1");
	free(s);
	s = test_find(st, "tag", "tobacco", NULL);
	ck_assert_str_eq(s, "R-3");
	free(s);
	/* Both of R-1's tags in range: R-1 comes once. */
	s = test_find(st, "tag", "a", "d");
	ck_assert_str_eq(s, "R-1 R-2");
	free(s);
	test_close(st);
}
END_TEST

/* Stop a walk after two records. */
static int
test_stop_after_two(const struct record *r, void *arg)
{
	int	*n = arg;

	return ++*n == 2 ? 42 : 0;
}

START_TEST(test_scan_find_batches)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st = test_open();
	struct buf	 b = BUF_INIT, want = BUF_INIT;
	struct test_op	 op;
	char		 num[32], cnt[32];
	char		*s;
	int		 i, n = 0;

	/* More than a batch under one key, to walk across batches. */
	for (i = 1; i <= 300; i++) {
		snprintf(num, sizeof num, "B-%03d", i);
		snprintf(cnt, sizeof cnt, "%d", 301 - i);
		test_item(st, num, i % 2 == 0 ? "2026-03-01" : "2026-03-02",
		    cnt, "same", NULL);
		if (want.len != 0)
			buf_addc(&want, ' ');
		buf_adds(&want, num);
	}
	s = test_find(st, "tag", "same", NULL);
	ck_assert_str_eq(s, want.s);
	free(s);
	ck_assert_int_eq(store_scan(st, "item", test_collect, &b, &err),
	    NCEN_OK);
	ck_assert_str_eq(b.s, want.s);
	s = test_find(st, "day", "2026-03-02", NULL);
	ck_assert_uint_eq(strlen(s), 150 * 6 - 1);
	ck_assert(strncmp(s, "B-001 B-003 ", 12) == 0);
	free(s);

	/* One record per key across batches: counts 300 down to 1. */
	s = test_find(st, "count", "1", "300");
	ck_assert_uint_eq(strlen(s), 300 * 6 - 1);
	ck_assert(strncmp(s, "B-300 B-299 ", 12) == 0);
	ck_assert(strcmp(s + strlen(s) - 11, "B-002 B-001") == 0);
	free(s);

	/* A callback stops a walk with its own value. */
	ck_assert_int_eq(store_scan(st, "item", test_stop_after_two, &n, &err),
	    42);
	n = 0;
	ck_assert_int_eq(store_find(st, "item", "tag", "same", NULL,
	    test_stop_after_two, &n, &err), 42);

	/*
	 * Records read in bulk (ids close together) with gaps: every
	 * third one deleted, and the first and last of the run.
	 */
	memset(&op, 0, sizeof op);
	op.entity = "item";
	op.version = 1;
	buf_reset(&want);
	for (i = 1; i <= 300; i++) {
		snprintf(num, sizeof num, "B-%03d", i);
		if (i % 3 == 0 || i == 1 || i == 300) {
			op.id = (uint64_t)i;
			ck_assert_int_eq(store_run(st, test_delete_cb, &op,
			    &err), NCEN_OK);
			continue;
		}
		if (want.len != 0)
			buf_addc(&want, ' ');
		buf_adds(&want, num);
	}
	s = test_find(st, "tag", "same", NULL);
	ck_assert_str_eq(s, want.s);
	free(s);
	buf_free(&b);
	buf_free(&want);
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_index_added_later)
{
	struct store	*st = test_open();
	struct schema	*v2;
	char		*s;

	test_item(st, "L-1", NULL, NULL, NULL, NULL);
	{
		struct record	*r = test_record(schema, "item", "number",
		    "L-2", "note", "Hidden in a spare tyre", NULL);

		test_put(st, r, "tester");
		record_free(r);
	}
	test_close(st);

	/* The form now indexes "note": opening builds its index. */
	v2 = test_schema("v2");
	st = test_open_with(v2, NULL);
	{
		struct ncen_err	 err = NCEN_ERR_INIT;
		struct buf	 b = BUF_INIT;

		ck_assert_int_eq(store_find(st, "item", "note",
		    "hidden in a spare tyre", NULL, test_collect, &b, &err),
		    NCEN_OK);
		ck_assert_str_eq(buf_cstr(&b), "L-2");
		buf_free(&b);
		ncen_err_free(&err);
	}
	test_close(st);
	schema_free(v2);

	/* Back to v1: its records are still there, the old index unused. */
	st = test_open();
	s = test_find(st, "number", "L-2", NULL);
	ck_assert_str_eq(s, "L-2");
	free(s);
	test_close(st);
}
END_TEST

/* Collect links as "dir role entity id" lines. */
static int
test_link_collect(const struct store_link *l, void *arg)
{
	struct buf	*b = arg;

	buf_addf(b, "%s %s %s %llu\n", l->incoming ? "<" : ">", l->role,
	    l->entity, (unsigned long long)l->id);
	return 0;
}

/* What a link test's callback does. */
struct test_link_op {
	struct store_ref	 a, b;
	const char		*role;
	int			 remove;
};

/* store_run callback: add or remove a link. */
static int
test_link_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_link_op	*op = arg;

	if (op->remove)
		return store_link_remove(t, op->a, op->b, op->role, err);
	return store_link_add(t, op->a, op->b, op->role, err);
}

/* The links of a record as text. */
static char *
test_links(struct store *st, const char *entity, uint64_t id)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct store_ref	ref = { entity, id };
	struct buf		b = BUF_INIT;

	if (store_links(st, ref, test_link_collect, &b, &err) != NCEN_OK)
		buf_addf(&b, "ERR %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return buf_detach(&b);
}

START_TEST(test_links_both_ways)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = test_open();
	struct test_link_op	 op;
	struct record		*p;
	struct test_op		 del;
	char			*s;

	test_item(st, "K-1", NULL, NULL, NULL, NULL);
	test_item(st, "K-2", NULL, NULL, NULL, NULL);
	p = test_record(schema, "person", "name", "Diallo", NULL);
	test_put(st, p, "tester");
	record_free(p);

	memset(&op, 0, sizeof op);
	op.a.entity = "item";
	op.a.id = 1;
	op.b.entity = "person";
	op.b.id = 1;
	op.role = "owner";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	op.role = "courier";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	op.a.id = 2;
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);

	s = test_links(st, "item", 1);
	ck_assert_str_eq(s, "> courier person 1\n> owner person 1\n");
	free(s);
	s = test_links(st, "person", 1);
	ck_assert_str_eq(s, "< courier item 1\n< courier item 2\n"
	    "< owner item 1\n");
	free(s);

	/* The same link twice, or the other way round: already there. */
	op.a.id = 1;
	op.role = "owner";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_EEXISTS);
	ck_assert_str_eq(ncen_err_msg(&err), "item 1 is already linked to "
	    "person 1 as owner");
	{
		struct test_link_op	rev = op;

		rev.a = op.b;
		rev.b = op.a;
		ck_assert_int_eq(store_run(st, test_link_cb, &rev, &err),
		    NCEN_EEXISTS);
	}

	/* To a record that does not exist, or to itself. */
	op.b.id = 9;
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err),
	    NCEN_ENOTFOUND);
	ck_assert_str_eq(ncen_err_msg(&err), "cannot link person 9: it does "
	    "not exist");
	op.b = op.a;
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_EUSAGE);
	op.b.entity = "person";
	op.b.id = 1;
	op.role = "";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_EUSAGE);

	/* Removing takes both sides, from either end. */
	op.role = "owner";
	op.remove = 1;
	{
		struct test_link_op	rev = op;

		rev.a = op.b;
		rev.b = op.a;
		ck_assert_int_eq(store_run(st, test_link_cb, &rev, &err),
		    NCEN_OK);
	}
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err),
	    NCEN_ENOTFOUND);
	ck_assert_str_eq(ncen_err_msg(&err), "item 1 and person 1 are not "
	    "linked as owner");
	s = test_links(st, "item", 1);
	ck_assert_str_eq(s, "> courier person 1\n");
	free(s);

	/* Deleting a record removes its links on the other side too. */
	memset(&del, 0, sizeof del);
	del.entity = "item";
	del.id = 1;
	del.version = 1;
	ck_assert_int_eq(store_run(st, test_delete_cb, &del, &err), NCEN_OK);
	s = test_links(st, "person", 1);
	ck_assert_str_eq(s, "< courier item 2\n");
	free(s);
	s = test_links(st, "item", 1);
	ck_assert_str_eq(s, "");
	free(s);
	s = test_links(st, "nosuch", 1);
	ck_assert_ptr_nonnull(strstr(s, "ERR"));
	free(s);
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/* The kept count of links from a form's records. */
static uint64_t
test_links_count(struct store *st, const char *entity)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	uint64_t	n = 99;

	if (store_count_links(st, entity, &n, &err) != NCEN_OK)
		ck_abort_msg("store_count_links: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return n;
}

/* Set (or, test_bad_count 0, remove) counts.db's count of item's links. */
static int
test_set_links_count(DB *db, DB_TXN *txn)
{
	return test_put_count(db, txn, "item\0>", 6, 1);
}

/*
 * Kept counts of links: each link once, under the form it goes from;
 * kept by adds, removals and deletes (not by a refused add), made at
 * open when missing, and compared with links.db by verify.
 */
START_TEST(test_link_counts)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 report = BUF_INIT;
	struct store		*st = test_open();
	struct test_link_op	 op;
	struct test_op		 del;
	struct record		*p;

	test_item(st, "L-1", NULL, NULL, NULL, NULL);
	test_item(st, "L-2", NULL, NULL, NULL, NULL);
	p = test_record(schema, "person", "name", "Traore", NULL);
	test_put(st, p, "tester");
	record_free(p);
	ck_assert_uint_eq(test_links_count(st, "item"), 0);

	memset(&op, 0, sizeof op);
	op.a.entity = "item";
	op.a.id = 1;
	op.b.entity = "person";
	op.b.id = 1;
	op.role = "owner";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	op.role = "courier";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	op.a.id = 2;
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(test_links_count(st, "item"), 3);
	ck_assert_uint_eq(test_links_count(st, "person"), 0);
	/* Refused: the same link again. */
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_EEXISTS);
	ck_assert_uint_eq(test_links_count(st, "item"), 3);
	/* Removed from the other end. */
	op.remove = 1;
	op.a = op.b;
	op.b.entity = "item";
	op.b.id = 2;
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(test_links_count(st, "item"), 2);
	/* A link the other way, then item 1 deleted with its two. */
	op.remove = 0;
	op.role = "witness";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	ck_assert_uint_eq(test_links_count(st, "person"), 1);
	memset(&del, 0, sizeof del);
	del.entity = "item";
	del.id = 1;
	del.version = 1;
	ck_assert_int_eq(store_run(st, test_delete_cb, &del, &err), NCEN_OK);
	ck_assert_uint_eq(test_links_count(st, "item"), 0);
	ck_assert_uint_eq(test_links_count(st, "person"), 1);
	op.a.entity = "item";
	op.a.id = 2;
	op.b.entity = "person";
	op.b.id = 1;
	op.role = "owner";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	test_close(st);

	/* Missing (a directory from before them): made at open. */
	test_bad_count = 0;
	test_raw_edit("counts.db", 0, test_set_links_count);
	st = test_open();
	ck_assert_uint_eq(test_links_count(st, "item"), 1);
	ck_assert_uint_eq(test_links_count(st, "person"), 1);
	test_close(st);
	if (store_verify(home, schema, NULL, &report, &err) != NCEN_OK)
		ck_abort_msg("store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&report));

	/* A wrong count is a problem verify names. */
	test_bad_count = 9;
	test_raw_edit("counts.db", 0, test_set_links_count);
	buf_reset(&report);
	ck_assert_int_eq(store_verify(home, schema, NULL, &report, &err),
	    NCEN_ECHECK);
	ck_assert_ptr_nonnull(strstr(report.s, "problem: counts.db: item: "
	    "the kept count of links is 9 but there are 1"));
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

/* store_run callback: a read call that makes its own transaction (refused). */
static int
test_nested_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_op	*op = arg;
	struct record	*r = NULL;

	return store_get(op->st, "item", 1, &r, err);
}

START_TEST(test_nested)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st = test_open();
	struct test_op	 op;

	memset(&op, 0, sizeof op);
	op.st = st;
	ck_assert_int_eq(store_run(st, test_nested_cb, &op, &err), NCEN_EUSAGE);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "inside store_run"));
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/* Wait for a child; its exit status. */
static int
test_wait(pid_t pid)
{
	int	status;

	while (waitpid(pid, &status, 0) == -1)	/* -1: any child */
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Where a log write waits, once (test_commit_recovered): at the gate of
 * store-gate.c ('g') or past it, at the write itself ('w'); -1: none.
 */
static int	test_hold_at = -1, test_hold_go = -1, test_hold_where;

/* Whether a descriptor is open on a file whose name holds a string. */
static int
test_fd_is(int fd, const char *what)
{
	struct buf	 link = BUF_INIT;
	char		 target[PATH_MAX];
	ssize_t		 n;

	buf_addf(&link, "/proc/self/fd/%d", fd);
	n = readlink(link.s, target, sizeof target - 1);
	buf_free(&link);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	return strstr(target, what) != NULL;
}

/* Say so on test_hold_at and wait for a byte on test_hold_go, once. */
static void
test_hold(void)
{
	int	at = test_hold_at;
	char	ch;

	test_hold_at = -1;
	if (write(at, "w", 1) != 1 || read(test_hold_go, &ch, 1) != 1)
		_exit(98);
}

/*
 * In this program the first log write after test_hold_at is set (with
 * test_hold_where 'w') is held up there, as a process held up between
 * Berkeley DB's check for a panic and its write is; then it writes.
 */
ssize_t
pwrite(int fd, const void *data, size_t n, off_t off)
{
	static ssize_t	(*real)(int, const void *, size_t, off_t);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "pwrite");
	if (test_hold_at != -1 && test_hold_where == 'w' &&
	    test_fd_is(fd, "/log."))
		test_hold();
	return real(fd, data, n, off);
}

/*
 * Berkeley DB writes its pages and log records with pwrite; write() on
 * its files only zeroes a new log file, or tries a failed pwrite again
 * (seek and write), which must never store a write the gate refused.
 * Writes of anything but zeros into a data directory's files are
 * counted here.
 */
static int	test_file_writes;

ssize_t
write(int fd, const void *data, size_t n)
{
	static ssize_t		(*real)(int, const void *, size_t);
	const unsigned char	*p = data;
	size_t			 i;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "write");
	for (i = 0; i < n && p[i] == 0; i++)
		;
	if (i < n && (test_fd_is(fd, "/log.") || test_fd_is(fd, ".db")))
		test_file_writes++;
	return real(fd, data, n);
}

/* The same before the write's gate (its shared hold of .regions.lock). */
int
flock(int fd, int op)
{
	static int	(*real)(int, int);

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "flock");
	if (test_hold_at != -1 && test_hold_where == 'g' && op == LOCK_SH &&
	    test_fd_is(fd, ".regions.lock"))
		test_hold();
	return real(fd, op);
}

START_TEST(test_processes)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st;
	struct record	*r;
	pid_t		 pid[4];
	uint64_t	 n;
	char		 num[32];
	char		*s;
	int		 i, j;

	test_close(test_open());	/* create it */
	/* Four processes put 50 records each at the same time. */
	for (i = 0; i < 4; i++) {
		if ((pid[i] = fork()) == 0) {
			st = test_open();
			for (j = 0; j < 50; j++) {
				snprintf(num, sizeof num, "P%d-%02d", i, j);
				r = test_record(schema, "item", "number", num,
				    "tag", "shared", NULL);
				test_put(st, r, "worker");
				record_free(r);
			}
			test_close(st);
			_exit(0);
		}
		ck_assert_int_gt(pid[i], 0);
	}
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(test_wait(pid[i]), 0);

	st = test_open();
	ck_assert_int_eq(store_count(st, "item", &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 200);
	s = test_find(st, "tag", "shared", NULL);
	ck_assert_uint_eq(strlen(s), 200 * 6 - 1);
	free(s);
	/* Each number once (not ids 1..200: a retried put takes a new id). */
	{
		struct buf	b = BUF_INIT;

		ck_assert_int_eq(store_scan(st, "item", test_collect, &b,
		    &err), NCEN_OK);
		for (i = 0; i < 4; i++)
			for (j = 0; j < 50; j++) {
				snprintf(num, sizeof num, "P%d-%02d", i, j);
				ck_assert_ptr_nonnull(strstr(b.s, num));
			}
		buf_free(&b);
	}
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/* Two processes cross: each updates one record, then the other's. */
struct test_cross {
	const char	*first, *second;	/* forms, in this order */
	int		 tell, hear;		/* pipe ends */
	int		 calls;
};

/* Read, change, write one record of a form inside a transaction. */
static int
test_cross_touch(struct store_txn *t, const char *form, struct ncen_err *err)
{
	struct record	*r = NULL;
	const char	*field = strcmp(form, "item") == 0 ? "note" : "name";
	int		 error;

	if ((error = store_txn_get(t, form, 1, &r, err)) != NCEN_OK)
		return error;
	record_set(r, field, "touched", NULL);
	error = store_update(t, r, "crosser", err);
	record_free(r);
	return error;
}

/* store_run callback of a crossing process. */
static int
test_cross_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_cross	*c = arg;
	char			 ch = 'x';
	int			 error;

	c->calls++;
	if ((error = test_cross_touch(t, c->first, err)) != NCEN_OK)
		return error;
	if (c->calls == 1) {
		/* Both hold their first record before reaching further. */
		if (write(c->tell, &ch, 1) != 1 || read(c->hear, &ch, 1) != 1)
			return ncen_err_set(err, NCEN_EIO, "pipe");
	}
	return test_cross_touch(t, c->second, err);
}

START_TEST(test_deadlock_retry)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct test_cross	 c;
	struct store		*st;
	struct record		*r;
	int			 ab[2], ba[2], status[2], i;
	char			 ch;
	pid_t			 pid[2];

	st = test_open();
	test_item(st, "X-1", NULL, NULL, NULL, NULL);
	r = test_record(schema, "person", "name", "Traore", NULL);
	test_put(st, r, "tester");
	record_free(r);
	test_close(st);

	ck_assert_int_eq(pipe(ab), 0);
	ck_assert_int_eq(pipe(ba), 0);
	for (i = 0; i < 2; i++) {
		if ((pid[i] = fork()) != 0)
			continue;
		memset(&c, 0, sizeof c);
		c.first = i == 0 ? "item" : "person";
		c.second = i == 0 ? "person" : "item";
		c.tell = i == 0 ? ab[1] : ba[1];
		c.hear = i == 0 ? ba[0] : ab[0];
		st = test_open();
		/* Both are open before either begins. */
		if (write(c.tell, "r", 1) != 1 || read(c.hear, &ch, 1) != 1)
			_exit(101);
		if (store_run(st, test_cross_cb, &c, &err) != NCEN_OK) {
			fprintf(stderr, "cross %d: %s\n", i,
			    ncen_err_msg(&err));
			_exit(100);
		}
		test_close(st);
		_exit(c.calls);
	}
	status[0] = test_wait(pid[0]);
	status[1] = test_wait(pid[1]);
	/* One was chosen as the deadlock's victim and ran its fn again. */
	ck_assert_int_eq(status[0] + status[1], 3);

	st = test_open();
	ck_assert_int_eq(store_get(st, "item", 1, &r, &err), NCEN_OK);
	ck_assert_uint_eq(r->version, 3);
	record_free(r);
	ck_assert_int_eq(store_get(st, "person", 1, &r, &err), NCEN_OK);
	ck_assert_uint_eq(r->version, 3);
	record_free(r);
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/* The survivor of test_recover_after_death: 0 when all went well. */
static int
test_survivor(int ready, int go)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st;
	struct record	*r = NULL;
	char		 ch = 'o';

	st = test_open();
	test_item(st, "Z-1", NULL, NULL, NULL, NULL);
	if (write(ready, &ch, 1) != 1 || read(go, &ch, 1) != 1)
		return 1;
	/* Another process recovered the environment: ours panicked. */
	if (store_get(st, "item", 2, &r, &err) != NCEN_OK) {
		fprintf(stderr, "survivor: %s\n", ncen_err_msg(&err));
		return 2;
	}
	if (strcmp(record_get(r, "number"), "Z-2") != 0)
		return 3;
	record_free(r);
	if (test_item(st, "Z-3", NULL, NULL, NULL, NULL) != 3)
		return 4;
	test_close(st);
	ncen_err_free(&err);
	return 0;
}

START_TEST(test_recover_after_death)
{
	int	ready[2], go[2];
	pid_t	survivor, pid;
	char	ch;

	/*
	 * libdb 5.3 cannot free the handles of a panicked environment
	 * (DB->close and DB_SEQUENCE->close refuse), so the survivor keeps
	 * some 50 KB after its reopen; it runs in a child that leaves with
	 * _exit so LeakSanitizer does not count that known leak.
	 */
	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	test_close(test_open());
	if ((survivor = fork()) == 0)
		_exit(test_survivor(ready[1], go[0]));
	ck_assert_int_eq(read(ready[0], &ch, 1), 1);

	/* A process dies holding the environment open (between calls)... */
	if ((pid = fork()) == 0) {
		struct store	*mine = test_open();

		test_item(mine, "Z-2", NULL, NULL, NULL, NULL);
		_exit(0);
	}
	ck_assert_int_eq(test_wait(pid), 0);
	/* ... the next to open runs recovery, panicking the survivor ... */
	if ((pid = fork()) == 0) {
		test_close(test_open());
		_exit(0);
	}
	ck_assert_int_eq(test_wait(pid), 0);

	/* ... which reopens and carries on: nothing committed is lost. */
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(test_wait(survivor), 0);
}
END_TEST

/*
 * A commit whose log write is held up (past Berkeley DB's check for a
 * panic, at WHERE: see test_hold_where) while a process dies and the
 * next one to open recovers; the code store_run answered, times two,
 * plus one if it counted as committed.
 */
static int
test_commit_held(int where)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct test_op	 op;
	struct record	*r;
	unsigned char	 code;
	int		 at[2], go[2], run[2], res[2], rc;
	pid_t		 held, pid;
	char		 ch;

	ck_assert_int_eq(pipe(at), 0);
	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(run), 0);
	ck_assert_int_eq(pipe(res), 0);
	test_close(test_open());
	if ((held = fork()) == 0) {
		struct store	*mine = test_open();
		unsigned long	 before = store_committed();

		if (read(run[0], &ch, 1) != 1)
			_exit(97);
		r = test_record(schema, "item", "number", "HELD-1", NULL);
		memset(&op, 0, sizeof op);
		op.r = r;
		op.user = "tester";
		test_hold_go = go[0];
		test_hold_where = where;
		test_hold_at = at[1];
		rc = store_run(mine, test_put_cb, &op, &err);
		code = (unsigned char)(rc * 2 + (store_committed() > before));
		if (write(res[1], &code, 1) != 1)
			_exit(96);
		/* 95: a write the gate refused went in after all. */
		_exit(test_file_writes != 0 ? 95 : 0);
	}
	/* A process dies holding the environment open... */
	if ((pid = fork()) == 0) {
		test_open();
		_exit(0);
	}
	ck_assert_int_eq(test_wait(pid), 0);
	/* ... while the other's commit is at its log write ... */
	ck_assert_int_eq(write(run[1], "r", 1), 1);
	ck_assert_int_eq(read(at[0], &ch, 1), 1);
	/* ... and the next to open recovers the environment. */
	if ((pid = fork()) == 0) {
		test_close(test_open());
		_exit(0);
	}
	ck_assert_int_eq(test_wait(pid), 0);
	ck_assert_int_eq(write(go[1], "g", 1), 1);
	ck_assert_int_eq(read(res[0], &code, 1), 1);
	ck_assert_int_eq(test_wait(held), 0);
	close(at[0]);
	close(at[1]);
	close(go[0]);
	close(go[1]);
	close(run[0]);
	close(run[1]);
	close(res[0]);
	close(res[1]);
	return code;
}

/* How many items numbered HELD-1 the store holds, and it verifies. */
static int
test_held_count(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT, found = BUF_INIT;
	struct store	*st = test_open();
	const char	*p;
	int		 n = 0;

	ck_assert_int_eq(store_find(st, "item", "number", "HELD-1", "HELD-1",
	    test_collect, &found, &err), NCEN_OK);
	for (p = found.s; p != NULL && (p = strstr(p, "HELD-1")) != NULL; p++)
		n++;
	test_close(st);
	if (store_verify(home, schema, NULL, &report, &err) != NCEN_OK)
		ck_abort_msg("store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&report));
	buf_free(&report);
	buf_free(&found);
	ncen_err_free(&err);
	return n;
}

/*
 * A process held up between Berkeley DB's check for a panic and its
 * log write, while another dies and a third recovers: its write would
 * land over the new environment's log (a later recovery then stops
 * there, "file has LSN past end of log").  The write's gate
 * (store-gate.c) refuses it, that environment panics, and store_run
 * commits the change once in the new one.
 */
START_TEST(test_commit_recovered)
{
	int	code = test_commit_held('g');

	ck_assert_int_eq(code / 2, NCEN_OK);
	ck_assert_int_eq(code % 2, 1);
	ck_assert_int_eq(test_held_count(), 1);
}
END_TEST

/*
 * Held up past the gate, at the write itself, longer than a recovery
 * waits for it (a stopped process): the write lands after the replay
 * read the log.  store_run must not answer that it committed (it did,
 * and the record was not there: an import said "imported 5000" and
 * held 4000); it answers NCEN_ERECOVER, not counted as committed.
 */
START_TEST(test_commit_recovered_late)
{
	int	code = test_commit_held('w');

	ck_assert_msg(code / 2 != NCEN_OK, "store_run answered that a commit "
	    "written after another process's recovery was done");
	ck_assert_int_eq(code / 2, NCEN_ERECOVER);
	ck_assert_int_eq(code % 2, 0);
}
END_TEST

/* The pipes between a survivor and the parent that recovers for it. */
struct test_again {
	int	 req;		/* survivor -> parent: 'r' recover, 'q' done */
	int	 done;		/* parent -> survivor: 'd' recovered */
	int	 calls;
	int	 times;		/* recover on the first `times` calls */
	int	 seen;
};

/* Have the parent make another process die and a third recover; 0 or -1. */
static int
test_again_recover(struct test_again *a)
{
	char	ch = 'r';

	if (write(a->req, &ch, 1) != 1 || read(a->done, &ch, 1) != 1)
		return -1;
	return ch == 'd' ? 0 : -1;
}

/* store_run callback: recovery by others on the first calls, then a read. */
static int
test_again_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_again	*a = arg;
	struct record		*r = NULL;
	int			 error;

	if (a->calls++ < a->times && test_again_recover(a) != 0)
		return ncen_err_set(err, NCEN_EIO, "no answer from the parent");
	if ((error = store_txn_get(t, "item", 1, &r, err)) == NCEN_OK)
		record_free(r);
	return error;
}

/* store_scan callback: collect numbers, recovery by others at 100 and 200. */
static int
test_again_walk(const struct record *r, void *arg)
{
	struct test_again	*a = arg;
	char			 want[16];

	snprintf(want, sizeof want, "A-%d", a->seen);
	if (strcmp(record_get(r, "number"), want) != 0)
		return -2;	/* out of order, or twice */
	if (++a->seen % 100 == 0 && test_again_recover(a) != 0)
		return -1;
	return 0;
}

/* The survivor of test_recover_again: 0 when all went well. */
static int
test_again_survivor(struct test_again *a)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st;
	char		 num[16];
	int		 i, rc = 0;

	st = test_open();
	for (i = 0; i < 300; i++) {
		snprintf(num, sizeof num, "A-%d", i);
		test_item(st, num, NULL, NULL, NULL, NULL);
	}
	/* Three panics in one store_run: three reopens, then success. */
	a->times = 3;
	if (store_run(st, test_again_cb, a, &err) != NCEN_OK) {
		fprintf(stderr, "again: %s\n", ncen_err_msg(&err));
		rc = 1;
	} else if (a->calls != 4)
		rc = 2;
	/* A walk across batches goes on after reopens, every record once. */
	else if (store_scan(st, "item", test_again_walk, a, &err) != NCEN_OK) {
		fprintf(stderr, "walk: %s\n", ncen_err_msg(&err));
		rc = 3;
	} else if (a->seen != 300)
		rc = 4;
	if (rc != 0)
		return rc;
	/* Panics without end: a bounded number of reopens, then ERECOVER. */
	a->calls = 0;
	a->times = 1000;
	if (store_run(st, test_again_cb, a, &err) != NCEN_ERECOVER)
		return 5;
	if (a->calls < 2 || a->calls > 10)
		return 6;
	/* Once the others stop dying, the same store works again. */
	if (test_item(st, "A-300", NULL, NULL, NULL, NULL) != 301)
		return 7;
	test_close(st);
	ncen_err_free(&err);
	return 0;
}

START_TEST(test_recover_again)
{
	struct test_again	 a;
	int			 req[2], done[2];
	pid_t			 survivor, pid;
	char			 ch;
	int			 n = 0;

	/* The survivor runs in a child for the reason test_recover_after_death says. */
	ck_assert_int_eq(pipe(req), 0);
	ck_assert_int_eq(pipe(done), 0);
	test_close(test_open());
	memset(&a, 0, sizeof a);
	a.req = req[1];
	a.done = done[0];
	if ((survivor = fork()) == 0) {
		ch = 'q';
		n = test_again_survivor(&a);
		(void)write(a.req, &ch, 1);
		_exit(n);
	}
	close(req[1]);
	close(done[0]);
	/* Each request: a process dies with the environment open, the next recovers. */
	while (read(req[0], &ch, 1) == 1 && ch == 'r') {
		if ((pid = fork()) == 0) {
			(void)test_open();
			_exit(0);
		}
		ck_assert_int_eq(test_wait(pid), 0);
		if ((pid = fork()) == 0) {
			test_close(test_open());
			_exit(0);
		}
		ck_assert_int_eq(test_wait(pid), 0);
		n++;
		ck_assert_int_eq(write(done[1], "d", 1), 1);
	}
	ck_assert_int_eq(test_wait(survivor), 0);
	ck_assert_int_ge(n, 3 + 2 + 2);
	close(req[0]);
	close(done[1]);
}
END_TEST

/*
 * Remove the environment's regions, as db_recover does (the library
 * removes the shared memory segments __db.001 names, then the files).
 */
static void
test_rm_regions(void)
{
	DB_ENV	*env;

	ck_assert_int_eq(db_env_create(&env, 0), 0);
	ck_assert_int_eq(env->remove(env, home, DB_FORCE), 0);
}

/* Write a key file with a mode. */
static char *
test_keyfile(const char *name, const char *text, mode_t mode)
{
	struct buf	 b = BUF_INIT;
	FILE		*f;

	buf_addf(&b, "%s.%s", home, name);
	f = fopen(b.s, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(chmod(b.s, mode), 0);
	return buf_detach(&b);
}

START_TEST(test_encryption)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;
	struct record		*r = NULL;
	struct buf		 key = BUF_INIT, grep = BUF_INIT;
	char			*good, *bad, *empty, *open, *data;
	size_t			 len;

	good = test_keyfile("good", "  correct horse battery  \nsecond\n",
	    0600);
	bad = test_keyfile("bad", "wrong horse\n", 0600);
	empty = test_keyfile("empty", " \n", 0600);
	open = test_keyfile("open", "correct horse battery\n", 0644);

	ck_assert_int_eq(store_key_read(good, &key, &err), NCEN_OK);
	ck_assert_str_eq(key.s, "correct horse battery");
	ck_assert_int_eq(store_key_read(empty, &key, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "the key is empty"));
	ck_assert_int_eq(store_key_read(open, &key, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "chmod o-rwx"));

	st = test_open_with(schema, good);
	test_item(st, "SECRET-NUMBER-1", NULL, NULL, NULL, NULL);
	test_close(st);
	/* Nothing readable on disk. */
	buf_addf(&grep, "%s/item.db", home);
	data = test_read_file(grep.s, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_ptr_null(memmem(data, len, "SECRET-NUMBER", 13));
	free(data);

	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = good;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_int_eq(store_get(st, "item", 1, &r, &err), NCEN_OK);
	ck_assert_str_eq(record_get(r, "number"), "SECRET-NUMBER-1");
	record_free(r);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);

	o.keyfile = bad;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "wrong encryption "
	    "key"));
	o.keyfile = NULL;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "encrypted: give "
	    "its key file"));
	o.keyfile = empty;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);

	/* The right key still works after those attempts. */
	o.keyfile = good;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);

	/* Regions removed (as db_recover leaves it): wrong key, then right. */
	test_rm_regions();
	o.keyfile = bad;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "wrong encryption "
	    "key"));
	test_rm_regions();
	o.keyfile = NULL;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	o.keyfile = good;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_int_eq(store_get(st, "item", 1, &r, &err), NCEN_OK);
	record_free(r);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);

	/* A process died: the next open recovers; a wrong key is still told. */
	if (fork() == 0) {
		st = test_open_with(schema, good);
		_exit(0);
	}
	ck_assert_int_eq(test_wait(-1), 0);
	o.keyfile = bad;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "wrong encryption "
	    "key"));
	o.keyfile = good;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_OK);
	ck_assert_int_eq(store_close(st, &err), NCEN_OK);

	unlink(good);
	unlink(bad);
	unlink(empty);
	unlink(open);
	free(good);
	free(bad);
	free(empty);
	free(open);
	buf_free(&key);
	buf_free(&grep);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_key_on_plain)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;
	char			*good;

	good = test_keyfile("good", "correct horse battery\n", 0600);
	test_close(test_open());
	memset(&o, 0, sizeof o);
	o.home = home;
	o.keyfile = good;
	ck_assert_int_eq(store_open(&o, schema, &st, &err), NCEN_EKEY);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "not encrypted"));
	/* And the plain store still opens. */
	test_close(test_open());
	unlink(good);
	free(good);
	ncen_err_free(&err);
}
END_TEST

/* Fill a store with items, people and links for verify. */
static void
test_fill(struct store *st)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct test_link_op	 op;
	struct record		*p;

	test_item(st, "V-1", "2026-01-01", "1", "a", "b");
	test_item(st, "V-2", "2026-01-02", "2", NULL, NULL);
	test_item(st, "V-3", NULL, NULL, "c", NULL);
	p = test_record(schema, "person", "name", "Mensah", NULL);
	test_put(st, p, "tester");
	record_free(p);
	memset(&op, 0, sizeof op);
	op.a.entity = "item";
	op.a.id = 1;
	op.b.entity = "person";
	op.b.id = 1;
	op.role = "owner";
	ck_assert_int_eq(store_run(st, test_link_cb, &op, &err), NCEN_OK);
	ncen_err_free(&err);
}

START_TEST(test_verify_clean)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	struct store	*st = test_open();

	test_fill(st);
	test_close(st);
	if (store_verify(home, schema, NULL, &report, &err) != NCEN_OK)
		ck_abort_msg("store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&report));
	ck_assert_ptr_nonnull(strstr(report.s, "item.db: structure ok\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "item-tag.idx: structure ok\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "item.db: 3 records checked "
	    "against 4 indexes\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "item-tag.idx: 3 entries "
	    "checked\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "links.db: 2 entries "
	    "checked\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "no problems found"));
	ck_assert_ptr_null(strstr(report.s, "problem:"));
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

/* Change a database file behind the store's back, with a raw handle. */
static void
test_raw_edit(const char *file, u_int32_t dbflags,
    int (*edit)(DB *, DB_TXN *))
{
	DB_ENV	*env;
	DB	*db;
	DB_TXN	*txn;

	ck_assert_int_eq(db_env_create(&env, 0), 0);
	ck_assert_int_eq(env->open(env, home, DB_CREATE | DB_INIT_TXN |
	    DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_REGISTER |
	    DB_RECOVER, 0), 0);
	ck_assert_int_eq(db_create(&db, env, 0), 0);
	if (dbflags != 0)
		ck_assert_int_eq(db->set_flags(db, dbflags), 0);
	ck_assert_int_eq(db->open(db, NULL, file, NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	ck_assert_int_eq(env->txn_begin(env, NULL, &txn, 0), 0);
	ck_assert_int_eq(edit(db, txn), 0);
	ck_assert_int_eq(txn->commit(txn, 0), 0);
	ck_assert_int_eq(db->close(db, 0), 0);
	ck_assert_int_eq(env->close(env, 0), 0);
}

/* Remove the entry of item 1 under 'b' from item-tag.idx. */
static int
test_drop_tag(DB *db, DB_TXN *txn)
{
	DBC		*c;
	DBT		 key, data;
	unsigned char	 id[8] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	int		 ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = (void *)(uintptr_t)"b";
	key.size = 1;
	data.data = id;
	data.size = 8;
	if ((ret = db->cursor(db, txn, &c, 0)) != 0)
		return ret;
	if ((ret = c->get(c, &key, &data, DB_GET_BOTH)) == 0)
		ret = c->del(c, 0);
	c->close(c);
	return ret;
}

/* Add an entry pointing at item 9, which does not exist, and a wrong one. */
static int
test_bogus_tag(DB *db, DB_TXN *txn)
{
	DBT		 key, data;
	unsigned char	 id[8] = { 0, 0, 0, 0, 0, 0, 0, 9 };
	unsigned char	 id2[8] = { 0, 0, 0, 0, 0, 0, 0, 2 };
	int		 ret;

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = (void *)(uintptr_t)"zz";
	key.size = 2;
	data.data = id;
	data.size = 8;
	if ((ret = db->put(db, txn, &key, &data, 0)) != 0)
		return ret;
	data.data = id2;
	return db->put(db, txn, &key, &data, 0);
}

/* Remove the person's side of the link. */
static int
test_drop_link(DB *db, DB_TXN *txn)
{
	DBT		key;
	unsigned char	k[7 + 8] = "person";

	k[14] = 1;
	memset(&key, 0, sizeof key);
	key.data = k;
	key.size = sizeof k;
	return db->del(db, txn, &key, 0);
}

START_TEST(test_verify_broken)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	struct store	*st = test_open();

	test_fill(st);
	test_close(st);
	test_raw_edit("item-tag.idx", DB_DUPSORT, test_drop_tag);
	test_raw_edit("item-tag.idx", DB_DUPSORT, test_bogus_tag);
	test_raw_edit("links.db", DB_DUPSORT, test_drop_link);

	ck_assert_int_eq(store_verify(home, schema, NULL, &report, &err),
	    NCEN_ECHECK);
	ck_assert_str_eq(ncen_err_msg(&err) + strlen(home), ": 4 problems "
	    "found");
	ck_assert_ptr_nonnull(strstr(report.s, "problem: item-tag.idx: item 1 "
	    "is missing under key 'b'\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "problem: item-tag.idx: key "
	    "'zz' points at item 9, which does not exist\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "problem: item-tag.idx: key "
	    "'zz' points at item 2, whose tag does not have that value\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "problem: links.db: item 1 "
	    "links to person 1 as owner, but not the other way round\n"));
	ck_assert_ptr_nonnull(strstr(report.s, "item-tag.idx: structure "
	    "ok\n"));
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_verify_encrypted)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct buf	 report = BUF_INIT;
	struct store	*st;
	char		*good;

	good = test_keyfile("good", "correct horse battery\n", 0600);
	st = test_open_with(schema, good);
	test_fill(st);
	test_close(st);
	if (store_verify(home, schema, good, &report, &err) != NCEN_OK)
		ck_abort_msg("store_verify: %s\n%s", ncen_err_msg(&err),
		    buf_cstr(&report));
	ck_assert_ptr_nonnull(strstr(report.s, "no problems found"));
	ck_assert_int_eq(store_verify(home, schema, NULL, &report, &err),
	    NCEN_EKEY);
	unlink(good);
	free(good);
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

/* Write a whole file, or fail the test. */
static void
test_write_file(const char *path, const void *data, size_t len)
{
	FILE	*f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* The number of the item with id 1, or "" when there is none. */
static char *
test_item_one(struct store *st)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = NULL;
	char		*number;

	if (store_get(st, "item", 1, &r, &err) != NCEN_OK) {
		ncen_err_free(&err);
		return xstrdup("");
	}
	number = xstrdup(record_get(r, "number"));
	record_free(r);
	return number;
}

/*
 * __db.001 naming regions no process uses, with nothing in the registry
 * to make libdb recover: a segment that is gone (a process killed while,
 * as the last one out, it removed the regions: the segments go before
 * __db.001), then one that stayed, panicked, with nobody attached.  The
 * next open makes the regions anew, with recovery, and finds the data
 * (a gone segment failed every open: "shmat: ... Invalid argument").
 */
START_TEST(test_stale_regions)
{
	struct buf	 ref = BUF_INIT;
	struct store	*st;
	DB_ENV		*env;
	char		*saved, *number, ch;
	size_t		 len;
	int		 joined[2], closed[2];
	pid_t		 pid;

	buf_addf(&ref, "%s/__db.001", home);
	st = test_open();
	test_item(st, "STALE-1", NULL, NULL, NULL, NULL);
	saved = test_read_file(ref.s, &len);
	ck_assert_ptr_nonnull(saved);
	test_close(st);
	ck_assert_int_ne(access(ref.s, F_OK), 0);	/* removed at close */
	test_write_file(ref.s, saved, len);		/* names a gone one */
	free(saved);
	st = test_open();
	number = test_item_one(st);
	ck_assert_str_eq(number, "STALE-1");
	free(number);

	/*
	 * Panicked by a process that is gone, nobody attached: one that
	 * was still in it when the store closed (so the regions stayed)
	 * panics them and leaves.
	 */
	ck_assert_int_eq(pipe(joined), 0);
	ck_assert_int_eq(pipe(closed), 0);
	if ((pid = fork()) == 0) {
		/* Gone without closing: libdb frees nothing after a panic. */
		if (db_env_create(&env, 0) != 0 ||
		    env->open(env, home, DB_JOINENV, 0) != 0 ||
		    write(joined[1], "j", 1) != 1 ||
		    read(closed[0], &ch, 1) != 1 ||
		    env->set_flags(env, DB_PANIC_ENVIRONMENT, 1) != 0)
			_exit(1);
		_exit(0);
	}
	ck_assert_int_eq(read(joined[0], &ch, 1), 1);
	test_close(st);
	ck_assert_int_eq(access(ref.s, F_OK), 0);
	ck_assert_int_eq(write(closed[1], "c", 1), 1);
	ck_assert_int_eq(test_wait(pid), 0);
	close(joined[0]);
	close(joined[1]);
	close(closed[0]);
	close(closed[1]);
	ck_assert_int_eq(access(ref.s, F_OK), 0);
	st = test_open();
	number = test_item_one(st);
	ck_assert_str_eq(number, "STALE-1");
	free(number);
	test_close(st);
	buf_free(&ref);
}
END_TEST

/*
 * A store whose environment another process panicked closes without
 * waiting for the close lock (there is no checkpoint to make): here one
 * child has the store open, another holds the lock and panics the
 * regions, and the first one's close must not sit out the lock's wait
 * of several seconds.  Both leave with _exit: libdb frees nothing of a
 * panicked environment.
 */
START_TEST(test_close_panicked)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct store	*st;
	struct buf	 lock = BUF_INIT;
	struct timespec	 t0, t1;
	DB_ENV		*env;
	int		 opened[2], panicked[2], done[2], fd;
	pid_t		 closer, panicker;
	char		 ch;

	buf_addf(&lock, "%s/.close.lock", home);
	ck_assert_int_eq(pipe(opened), 0);
	ck_assert_int_eq(pipe(panicked), 0);
	ck_assert_int_eq(pipe(done), 0);
	if ((closer = fork()) == 0) {
		close(panicked[1]);	/* a panicker gone is seen */
		st = test_open();
		if (write(opened[1], "o", 1) != 1 ||
		    read(panicked[0], &ch, 1) != 1)
			_exit(2);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		(void)store_close(st, &err);	/* its checkpoint fails */
		clock_gettime(CLOCK_MONOTONIC, &t1);
		_exit(t1.tv_sec - t0.tv_sec < 2 ? 0 : 1);
	}
	ck_assert_int_eq(read(opened[0], &ch, 1), 1);
	if ((panicker = fork()) == 0) {
		fd = open(lock.s, O_RDWR | O_CREAT, 0600);
		if (fd == -1 || flock(fd, LOCK_EX) != 0 ||
		    db_env_create(&env, 0) != 0 ||
		    env->open(env, home, DB_JOINENV, 0) != 0 ||
		    env->set_flags(env, DB_PANIC_ENVIRONMENT, 1) != 0 ||
		    write(panicked[1], "p", 1) != 1 ||
		    read(done[0], &ch, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(panicked[1]);
	ck_assert_msg(test_wait(closer) == 0, "the close waited for the lock");
	ck_assert_int_eq(write(done[1], "d", 1), 1);
	ck_assert_int_eq(test_wait(panicker), 0);
	close(opened[0]);
	close(opened[1]);
	close(panicked[0]);
	close(done[0]);
	close(done[1]);
	buf_free(&lock);
}
END_TEST

/* What test_fill_cb puts, and where it fills the disk. */
struct test_fill {
	const char	*filler;	/* a file to write until ENOSPC */
	int		 n;		/* items to put first */
};

/*
 * store_run callback: put fill->n items (the reserve is checked, and
 * found free, at the first), then fill the disk, so that the commit's
 * log flush finds no room.
 */
static int
test_fill_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_fill	*fill = arg;
	struct record		*r;
	struct buf		 num = BUF_INIT;
	static char		 block[65536];
	int			 i, fd, error = NCEN_OK;

	for (i = 0; i < fill->n && error == NCEN_OK; i++) {
		buf_reset(&num);
		buf_addf(&num, "FULL-%d", i);
		r = test_record(schema, "item", "number", num.s, NULL);
		error = store_put(t, r, "tester", err);
		record_free(r);
	}
	buf_free(&num);
	if (error != NCEN_OK)
		return error;
	fd = open(fill->filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ne(fd, -1);
	memset(block, 'f', sizeof block);
	while (write(fd, block, sizeof block) > 0)
		;
	ck_assert_int_eq(errno, ENOSPC);
	close(fd);
	return NCEN_OK;
}

/*
 * A durable commit made before its sync (the reserve free and at least
 * 8 MB: the locks go at the commit, the log flush comes after) whose
 * flush finds the disk full is not reported as done: NCEN_ERECOVER and
 * not counted, as a synced commit whose log write failed.  Once there
 * is room again the store goes on.  Root only (a tmpfs of 24 MB in a
 * mount namespace of the test's own).
 */
START_TEST(test_early_commit_full)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;
	struct test_fill	 fill;
	struct buf		 fs = BUF_INIT, path = BUF_INIT;
	unsigned long		 committed;
	char			*number, *found;
	int			 code;

	if (geteuid() != 0 || unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		printf("# test_early_commit_full: not root, or no mount "
		    "namespace: not run\n");
		return;
	}
	buf_addf(&fs, "%s/fs", home);
	ck_assert_int_eq(mkdir(fs.s, 0700), 0);
	ck_assert_int_eq(mount("tmpfs", fs.s, "tmpfs", 0, "size=24m"), 0);
	buf_addf(&path, "%s/reserve", fs.s);
	test_write_file(path.s, "8M\n", 3);

	memset(&o, 0, sizeof o);
	o.home = fs.s;
	o.create = 1;			/* durable: no nosync */
	if (store_open(&o, schema, &st, &err) != NCEN_OK)
		ck_abort_msg("store_open: %s", ncen_err_msg(&err));
	committed = store_committed();
	test_item(st, "EARLY-1", NULL, NULL, NULL, NULL);
	ck_assert_uint_eq(store_committed(), committed + 1);

	buf_reset(&path);
	buf_addf(&path, "%s/filler", fs.s);
	fill.filler = path.s;
	fill.n = 40;
	committed = store_committed();
	code = store_run(st, test_fill_cb, &fill, &err);
	ck_assert_msg(code == NCEN_ERECOVER, "store_run: %s (%s)",
	    ncen_code_name(code), ncen_err_msg(&err));
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "the log could not "
	    "be written"));
	ck_assert_uint_eq(store_committed(), committed);
	ncen_err_clear(&err);

	/* Room again: the store goes on, and what said done is kept. */
	ck_assert_int_eq(unlink(path.s), 0);
	test_item(st, "EARLY-2", NULL, NULL, NULL, NULL);
	test_close(st);
	st = NULL;
	if (store_open(&o, schema, &st, &err) != NCEN_OK)
		ck_abort_msg("store_open again: %s", ncen_err_msg(&err));
	number = test_item_one(st);
	ck_assert_str_eq(number, "EARLY-1");
	free(number);
	found = test_find(st, "number", "EARLY-2", "EARLY-2");
	ck_assert_str_eq(found, "EARLY-2");
	free(found);
	test_close(st);
	ncen_err_free(&err);
	/* Detached: the write gate keeps the regions lock open. */
	ck_assert_int_eq(umount2(fs.s, MNT_DETACH), 0);
	buf_free(&fs);
	buf_free(&path);
}
END_TEST

/* The store suite. */
static Suite *
store_suite(void)
{
	Suite	*s = suite_create("store");
	TCase	*tc;

	tc = tcase_create("records");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_version);
	tcase_add_test(tc, test_open_close);
	tcase_add_test(tc, test_put_get);
	tcase_add_test(tc, test_sequence_skips_imported);
	tcase_add_test(tc, test_update_conflict);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_nested);
	tcase_add_test(tc, test_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("indices");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_find_exact_range);
	tcase_add_test(tc, test_find_repeated);
	tcase_add_test(tc, test_scan_find_batches);
	tcase_add_test(tc, test_index_added_later);
	suite_add_tcase(s, tc);

	tc = tcase_create("links");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_links_both_ways);
	tcase_add_test(tc, test_link_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("processes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_processes);
	tcase_add_test(tc, test_deadlock_retry);
	tcase_add_test(tc, test_recover_after_death);
	tcase_add_test(tc, test_recover_again);
	tcase_add_test(tc, test_commit_recovered);
	tcase_add_test(tc, test_commit_recovered_late);
	tcase_add_test(tc, test_stale_regions);
	tcase_add_test(tc, test_early_commit_full);
	tcase_add_test(tc, test_close_panicked);
	suite_add_tcase(s, tc);

	tc = tcase_create("encryption");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_encryption);
	tcase_add_test(tc, test_key_on_plain);
	suite_add_tcase(s, tc);

	tc = tcase_create("verify");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_verify_clean);
	tcase_add_test(tc, test_verify_broken);
	tcase_add_test(tc, test_verify_encrypted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(store_suite());
}
