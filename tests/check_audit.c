/*
 * check_audit.c - the audit log: entries commit and abort with the
 * change they record; record changes name their changed fields; the
 * chain verifies, and an entry edited, deleted or inserted with a raw
 * Berkeley DB handle is named by audit_verify(); filters.
 */
#include <db.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store-int.h"
#include "store.h"
#include "testlib.h"

static char		*home;
static struct schema	*schema;
static struct store	*store;

/* A fresh data directory, every change audited as "tester". */
static void
setup(void)
{
	test_store_open(&home, &schema, &store);
	audit_attach(store, "tester");
}

/* Close and remove it. */
static void
teardown(void)
{
	test_store_close(home, schema, store);
}

/* Store a case, then fail (abort) if arg says so. */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = record_new(schema_form_find(schema, "case"));
	int		 rc;

	record_set(r, "office", "FRCDG01", NULL);
	record_set(r, "narrative", "found in a spare tyre", NULL);
	rc = store_put(t, r, "bob", err);
	record_free(r);
	if (rc == NCEN_OK && arg != NULL)
		return ncen_err_set(err, NCEN_EINVALID, "abort on purpose");
	return rc;
}

/* Collect entries as "user action record details" lines (audit_fn). */
static int
collect_fn(const struct audit_entry *e, void *arg)
{
	buf_addf(arg, "%s %s %s %s\n", e->user, e->action, e->record,
	    e->details);
	return 0;
}

/* The log as lines, filtered. */
static void
show(const struct audit_filter *f, struct buf *b)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	buf_reset(b);
	ck_assert(audit_scan(store, f, collect_fn, b, &err) == NCEN_OK);
	ncen_err_free(&err);
}

/* Append n plain entries. */
static void
fill(int n)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	char		what[32];
	int		i;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof what, "entry %d", i + 1);
		ck_assert(audit_log(store, "amy", "test.entry", "", what,
		    &err) == NCEN_OK);
	}
	ncen_err_free(&err);
}

/* audit_verify()'s code and message. */
static int
verify(struct buf *msg)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	int		rc;

	rc = audit_verify(store, NULL, &err);
	buf_reset(msg);
	buf_adds(msg, ncen_err_msg(&err));
	ncen_err_free(&err);
	return rc;
}

/* Raw access to audit.db: get, put or del one key outside the library. */
static void
raw(uint64_t seq, const char *op, struct buf *bytes)
{
	DB		*db = store->audit;
	unsigned char	 k[8];
	DBT		 key, data;

	store_id_key(k, seq);
	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = 8;
	if (strcmp(op, "get") == 0) {
		data.flags = DB_DBT_MALLOC;
		ck_assert_int_eq(db->get(db, NULL, &key, &data, 0), 0);
		buf_reset(bytes);
		buf_add(bytes, data.data, data.size);
		free(data.data);
	} else if (strcmp(op, "put") == 0) {
		data.data = bytes->s;
		data.size = (u_int32_t)bytes->len;
		ck_assert_int_eq(db->put(db, NULL, &key, &data,
		    DB_AUTO_COMMIT), 0);
	} else
		ck_assert_int_eq(db->del(db, NULL, &key, DB_AUTO_COMMIT), 0);
}

START_TEST(test_same_transaction)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct buf	b = BUF_INIT;
	uint64_t	n = 9;

	ck_assert(store_run(store, put_fn, NULL, &err) == NCEN_OK);
	ck_assert_int_eq(store_run(store, put_fn, "abort", &err),
	    NCEN_EINVALID);
	show(NULL, &b);
	ck_assert_str_eq(b.s, "bob record.create case:1 version 1\n");
	ck_assert(audit_verify(store, &n, &err) == NCEN_OK);
	ck_assert_uint_eq(n, 1);
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

/* Update the case's narrative and date (store_txn_fn). */
static int
update_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = NULL;
	int		 rc;

	(void)arg;
	if ((rc = store_txn_get(t, "case", 1, &r, err)) != NCEN_OK)
		return rc;
	record_set(r, "narrative", "found in the fuel tank", NULL);
	record_set(r, "date", "2026-11-05", NULL);
	rc = store_update(t, r, "sue", err);
	record_free(r);
	return rc;
}

/* Delete case 1 at version 2 (store_txn_fn). */
static int
delete_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	(void)arg;
	return store_delete(t, "case", 1, 2, err);
}

START_TEST(test_changes)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct audit_filter	f;
	struct buf		b = BUF_INIT;

	ck_assert(store_run(store, put_fn, NULL, &err) == NCEN_OK);
	ck_assert(store_run(store, update_fn, NULL, &err) == NCEN_OK);
	ck_assert(store_run(store, delete_fn, NULL, &err) == NCEN_OK);
	memset(&f, 0, sizeof f);
	f.record = "case:1";
	show(&f, &b);
	ck_assert_str_eq(b.s, "bob record.create case:1 version 1\n"
	    "sue record.update case:1 changed: date,narrative (version 2)\n"
	    "tester record.delete case:1 version 2\n");
	f.record = NULL;
	f.action = "record.";
	f.user = "sue";
	show(&f, &b);
	ck_assert_str_eq(b.s,
	    "sue record.update case:1 changed: date,narrative (version 2)\n");
	f.user = NULL;
	f.action = "record";	/* no dot: exact */
	show(&f, &b);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_free(&b);
	ncen_err_free(&err);
}
END_TEST

START_TEST(test_times)
{
	struct audit_filter	f;
	struct buf		b = BUF_INIT;

	ck_assert_int_eq(audit_parse_time("2026-11-27"), 1795737600);
	ck_assert_int_eq(audit_parse_time("2026-11-27T09:00"), 1795770000);
	ck_assert_int_eq(audit_parse_time("2026-11-27T09:00:00Z"),
	    1795770000);
	ck_assert_int_eq(audit_parse_time("1795770000"), 1795770000);
	ck_assert_int_eq(audit_parse_time("yesterday"), -1);
	fill(1);
	memset(&f, 0, sizeof f);
	f.since = audit_now() + 3600;
	show(&f, &b);
	ck_assert_str_eq(buf_cstr(&b), "");
	f.since = 0;
	f.until = audit_now() + 3600;
	show(&f, &b);
	ck_assert_str_eq(b.s, "amy test.entry  entry 1\n");
	buf_free(&b);
}
END_TEST

START_TEST(test_untouched_verifies)
{
	struct buf	msg = BUF_INIT;

	ck_assert_int_eq(verify(&msg), NCEN_OK);	/* empty */
	fill(20);
	ck_assert_int_eq(verify(&msg), NCEN_OK);
	buf_free(&msg);
}
END_TEST

START_TEST(test_edited)
{
	struct buf	msg = BUF_INIT, bytes = BUF_INIT;
	char		*p;

	fill(10);
	raw(6, "get", &bytes);
	ck_assert_ptr_nonnull(p = memmem(bytes.s, bytes.len, "amy", 3));
	*p = 'e';	/* "emy" did it */
	raw(6, "put", &bytes);
	ck_assert_int_eq(verify(&msg), NCEN_ECHECK);
	ck_assert_str_eq(msg.s, "entry 6 was changed: its hash does not "
	    "match its content");
	buf_free(&msg);
	buf_free(&bytes);
}
END_TEST

START_TEST(test_removed)
{
	struct buf	msg = BUF_INIT;

	fill(10);
	raw(4, "del", NULL);
	ck_assert_int_eq(verify(&msg), NCEN_ECHECK);
	ck_assert_str_eq(msg.s, "entry 4 was removed (the chain goes from "
	    "entry 3 to 5)");
	buf_free(&msg);
}
END_TEST

START_TEST(test_removed_renumbered)
{
	struct buf	msg = BUF_INIT, bytes = BUF_INIT;
	uint64_t	i;

	fill(10);
	/* Remove entry 4 and move 5..10 down a key. */
	for (i = 5; i <= 10; i++) {
		raw(i, "get", &bytes);
		raw(i - 1, "put", &bytes);
	}
	raw(10, "del", NULL);
	ck_assert_int_eq(verify(&msg), NCEN_ECHECK);
	ck_assert_str_eq(msg.s, "entry 4 does not follow entry 3: an entry "
	    "was removed or inserted before it");
	buf_free(&msg);
	buf_free(&bytes);
}
END_TEST

START_TEST(test_inserted)
{
	struct buf		 msg = BUF_INIT, bytes = BUF_INIT, c = BUF_INIT;
	struct audit_entry	 a;
	uint64_t		 i;

	fill(10);
	/* Move 5..10 up a key, then forge a well-hashed entry 5. */
	for (i = 10; i >= 5; i--) {
		raw(i, "get", &bytes);
		raw(i + 1, "put", &bytes);
	}
	raw(4, "get", &bytes);
	memset(&a, 0, sizeof a);
	a.seq = 5;
	a.time = 1795770000;
	a.user = "mallory";
	a.action = "test.entry";
	a.record = "";
	a.details = "forged";
	memcpy(a.prev, bytes.s + bytes.len - AUDIT_HASH_LEN, AUDIT_HASH_LEN);
	audit_canonical(&a, &c);
	ck_assert(audit_hash(a.prev, &c, a.hash) == NCEN_OK);
	buf_add(&c, a.prev, AUDIT_HASH_LEN);
	buf_add(&c, a.hash, AUDIT_HASH_LEN);
	raw(5, "put", &c);
	ck_assert_int_eq(verify(&msg), NCEN_ECHECK);
	ck_assert_str_eq(msg.s, "entry 5 was inserted (entry 6 follows the "
	    "one before it)");
	buf_free(&msg);
	buf_free(&bytes);
	buf_free(&c);
}
END_TEST

START_TEST(test_appends_continue)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct buf	msg = BUF_INIT;
	uint64_t	n = 0;

	fill(3);
	ck_assert(store_run(store, put_fn, NULL, &err) == NCEN_OK);
	fill(2);
	ck_assert(audit_verify(store, &n, &err) == NCEN_OK);
	ck_assert_uint_eq(n, 6);
	buf_free(&msg);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("audit");
	TCase	*tc = tcase_create("audit");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_same_transaction);
	tcase_add_test(tc, test_changes);
	tcase_add_test(tc, test_times);
	tcase_add_test(tc, test_untouched_verifies);
	tcase_add_test(tc, test_edited);
	tcase_add_test(tc, test_removed);
	tcase_add_test(tc, test_removed_renumbered);
	tcase_add_test(tc, test_inserted);
	tcase_add_test(tc, test_appends_continue);
	suite_add_tcase(s, tc);
	return test_run(s);
}
