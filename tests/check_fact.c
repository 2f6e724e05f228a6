/*
 * check_fact.c - the statistics' facts (store-fact.c): built over the
 * records already there, kept exact by puts, updates, deletes, links and
 * unlinks, checked by verify (which finds a damaged row), built again
 * for a data directory that has none, and built right while another
 * process writes.
 */
#include <sys/wait.h>

#include <check.h>
#include <db.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "demo.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"

static char		*home;
static struct schema	*schema;	/* the build tree's forms */

/* Open the store, or fail the test. */
static struct store *
test_open(void)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;

	memset(&o, 0, sizeof o);
	o.home = home;
	o.create = 1;
	o.nosync = 1;
	if (store_open(&o, schema, &st, &err) != NCEN_OK)
		ck_abort_msg("store_open: %s", ncen_err_msg(&err));
	return st;
}

/* Close the store, or fail the test. */
static void
test_close(struct store *st)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	if (store_close(st, &err) != NCEN_OK)
		ck_abort_msg("store_close: %s", ncen_err_msg(&err));
}

/* Verify the closed directory: NCEN_OK or NCEN_ECHECK, with its report. */
static int
test_verify(struct buf *report)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	int		r;

	buf_reset(report);
	r = store_verify(home, schema, NULL, report, &err);
	if (r != NCEN_OK && r != NCEN_ECHECK)
		ck_abort_msg("store_verify: %s", ncen_err_msg(&err));
	ncen_err_free(&err);
	return r;
}

/* The first problem lines of a report (check's messages are short). */
static const char *
test_problems(const struct buf *report, struct buf *out)
{
	const char	*p = buf_cstr(report), *e;
	int		 n = 0;

	buf_reset(out);
	while ((p = strstr(p, "problem: ")) != NULL && n++ < 8) {
		e = strchr(p, '\n');
		buf_add(out, p, e != NULL ? (size_t)(e - p + 1) : strlen(p));
		p = e != NULL ? e : p + strlen(p);
	}
	return buf_cstr(out);
}

/* Close, verify that no problem is found, open again. */
static struct store *
test_clean(struct store *st, const char *after)
{
	struct buf	report = BUF_INIT, p = BUF_INIT;

	test_close(st);
	if (test_verify(&report) != NCEN_OK)
		ck_abort_msg("after %s:\n%s", after, test_problems(&report,
		    &p));
	ck_assert_ptr_nonnull(strstr(report.s, "facts.db: "));
	ck_assert_ptr_null(strstr(report.s, "no facts kept yet"));
	buf_free(&report);
	return test_open();
}

/* What a change does, in its transaction. */
struct test_change {
	const char	*what;	/* update, delete, link, unlink */
	struct record	*r;
	const char	*entity;
	uint64_t	 id, other;
	uint32_t	 version;
};

/* store_run callback: one change. */
static int
test_change_cb(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct test_change	*c = arg;
	struct store_ref	 a = { "case", c->id }, b = { "person", c->other };

	if (strcmp(c->what, "put") == 0)
		return store_put(t, c->r, "tester", err);
	if (strcmp(c->what, "update") == 0)
		return store_update(t, c->r, "tester", err);
	if (strcmp(c->what, "delete") == 0)
		return store_delete(t, c->entity, c->id, c->version, err);
	if (strcmp(c->what, "link") == 0)
		return store_link_add(t, a, b, "WITNESS", err);
	return store_link_remove(t, a, b, "WITNESS", err);
}

/* Run one change, or fail the test. */
static void
test_do(struct store *st, struct test_change *c)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	if (store_run(st, test_change_cb, c, &err) != NCEN_OK)
		ck_abort_msg("%s: %s", c->what, ncen_err_msg(&err));
}

/* What a walk of the facts looks for. */
struct test_find {
	struct store_fact_view	 v;
	size_t			 ncols;
	int			 col;
	uint64_t		 id;
	char			 value[64];
	int			 found;
	uint64_t		 rows;
};

/* Remember one column of one row (store_raw_fn). */
static int
test_find_fn(uint64_t id, const void *data, size_t size, void *arg)
{
	struct test_find	*f = arg;
	uint32_t		 i;

	f->rows++;
	if (id != f->id)
		return 0;
	ck_assert_int_eq(store_fact_view_parse(&f->v, f->ncols, data, size),
	    NCEN_OK);
	f->found = 1;
	f->value[0] = '\0';
	i = f->v.first[f->col];
	if (i < f->v.first[f->col + 1] && f->v.len[i] < sizeof f->value) {
		memcpy(f->value, f->v.s[i], f->v.len[i]);
		f->value[f->v.len[i]] = '\0';
	}
	return 0;
}

/* Count a case's link facts to a person (store_links_raw_fn). */
static int
test_link_fn(uint64_t id, const struct store_link *l, void *arg)
{
	struct test_find	*f = arg;

	if (id == f->id && l->id == (uint64_t)f->col &&
	    strcmp(l->role, "WITNESS") == 0)
		f->found++;
	return 0;
}

/* The first value of a field in a record's wide or narrow row. */
static void
test_fact_value(struct store *st, const char *entity, int narrow,
    uint64_t id, const char *field, struct test_find *f)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	memset(f, 0, sizeof *f);
	f->id = id;
	f->ncols = store_fact_ncols(st, entity, narrow);
	ck_assert_int_ge(f->col = store_fact_col(st, entity, narrow, field),
	    0);
	ck_assert_int_eq(store_fact_scan(st, entity, narrow, test_find_fn, f,
	    &err), NCEN_OK);
	store_fact_view_free(&f->v);
}

/* Put a garbled row for case 1 (test_raw_edit's edit). */
static int
test_garble(DB *db, DB_TXN *txn)
{
	DBT		key, data;
	unsigned char	k[9] = { 'c', 0, 0, 0, 0, 0, 0, 0, 1 };

	memset(&key, 0, sizeof key);
	memset(&data, 0, sizeof data);
	key.data = k;
	key.size = sizeof k;
	data.data = (void *)(uintptr_t)"\001\001X";
	data.size = 3;
	return db->put(db, txn, &key, &data, 0);
}

/* Apply an edit to one database of the closed directory. */
static void
test_raw_edit(const char *file, int (*edit)(DB *, DB_TXN *))
{
	DB_ENV	*env;
	DB	*db;
	DB_TXN	*txn;

	ck_assert_int_eq(db_env_create(&env, 0), 0);
	ck_assert_int_eq(env->open(env, home, DB_CREATE | DB_INIT_TXN |
	    DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL | DB_REGISTER |
	    DB_RECOVER, 0), 0);
	ck_assert_int_eq(db_create(&db, env, 0), 0);
	ck_assert_int_eq(db->open(db, NULL, file, NULL, DB_BTREE,
	    DB_AUTO_COMMIT, 0), 0);
	ck_assert_int_eq(env->txn_begin(env, NULL, &txn, 0), 0);
	ck_assert_int_eq(edit(db, txn), 0);
	ck_assert_int_eq(txn->commit(txn, 0), 0);
	ck_assert_int_eq(db->close(db, 0), 0);
	ck_assert_int_eq(env->close(env, 0), 0);
}

/* Remove the facts' state from counts.db (test_raw_edit's edit). */
static int
test_drop_state(DB *db, DB_TXN *txn)
{
	DBT	key;

	memset(&key, 0, sizeof key);
	key.data = (void *)(uintptr_t)"\001facts";
	key.size = 6;
	return db->del(db, txn, &key, 0);
}

static void
setup(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*forms = test_builddir_path("forms");

	home = test_tmpdir();
	if (schema_load_dir(forms, &schema, &err) != NCEN_OK)
		ck_abort_msg("%s: %s", forms, ncen_err_msg(&err));
	free(forms);
}

static void
teardown(void)
{
	test_rmdir(home);
	free(home);
	schema_free(schema);
}

/*
 * Built over the demo's records on first use; then every kind of change
 * keeps them exact (verify compares each row with its record, and the
 * link facts with links.db), and a changed value shows in the row.
 */
START_TEST(test_kept)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct test_change	 c;
	struct test_find	 f;
	struct buf		 report = BUF_INIT;
	struct store		*st = test_open();
	struct record		*r = NULL;
	int			 built;

	memset(&d, 0, sizeof d);
	d.cases = 30;
	d.seed = 7;
	ck_assert_int_eq(demo_generate(st, &d, &ds, &err), NCEN_OK);
	/* Not kept until asked for: verify says so, finds no problem. */
	test_close(st);
	ck_assert_int_eq(test_verify(&report), NCEN_OK);
	ck_assert_ptr_nonnull(strstr(report.s, "no facts kept yet"));
	st = test_open();
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 1);
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 0);
	test_fact_value(st, "case", 0, 1, "office", &f);
	ck_assert_int_eq(f.found, 1);
	ck_assert_uint_eq(f.rows, 30);
	test_fact_value(st, "case", 1, 1, "office", &f);
	ck_assert_uint_eq(f.rows, 30);
	/* The narrow row holds indexed fields only. */
	ck_assert_int_lt(store_fact_col(st, "case", 1, "transport"), 0);
	ck_assert_int_ge(store_fact_col(st, "case", 0, "transport"), 0);
	st = test_clean(st, "the build");

	/* An update: the row follows. */
	ck_assert_int_eq(store_get(st, "case", 1, &r, &err), NCEN_OK);
	ck_assert_int_eq(record_set(r, "office", "FRMRS02", &err), NCEN_OK);
	memset(&c, 0, sizeof c);
	c.what = "update";
	c.r = r;
	test_do(st, &c);
	record_free(r);
	test_fact_value(st, "case", 0, 1, "office", &f);
	ck_assert_str_eq(f.value, "FRMRS02");
	test_fact_value(st, "case", 1, 1, "office", &f);
	ck_assert_str_eq(f.value, "FRMRS02");
	st = test_clean(st, "an update");

	/* A new seizure line of case 1. */
	r = record_new(schema_form_find(schema, "seizure"));
	ck_assert_int_eq(record_set(r, "case", "1", &err), NCEN_OK);
	ck_assert_int_eq(record_set(r, "commodity", "DRUG", &err), NCEN_OK);
	ck_assert_int_eq(record_set(r, "commodity_type", "DRUG-COC", &err),
	    NCEN_OK);
	ck_assert_int_eq(record_set(r, "quantity", "12.500", &err), NCEN_OK);
	ck_assert_int_eq(record_set(r, "unit", "KGM", &err), NCEN_OK);
	memset(&c, 0, sizeof c);
	c.what = "put";
	c.r = r;
	test_do(st, &c);
	test_fact_value(st, "seizure", 0, r->id, "quantity", &f);
	ck_assert_str_eq(f.value, "12.500");
	test_fact_value(st, "seizure", 1, r->id, "commodity_type", &f);
	ck_assert_str_eq(f.value, "DRUG-COC");
	st = test_clean(st, "a put");

	/* Deleted: its row goes. */
	memset(&c, 0, sizeof c);
	c.what = "delete";
	c.entity = "seizure";
	c.id = r->id;
	c.version = 1;
	test_do(st, &c);
	test_fact_value(st, "seizure", 0, r->id, "quantity", &f);
	ck_assert_int_eq(f.found, 0);
	test_fact_value(st, "seizure", 1, r->id, "commodity_type", &f);
	ck_assert_int_eq(f.found, 0);
	record_free(r);
	st = test_clean(st, "a delete");

	/* A link of case 2 to person 1, then its removal. */
	memset(&c, 0, sizeof c);
	c.what = "link";
	c.id = 2;
	c.other = 1;
	test_do(st, &c);
	memset(&f, 0, sizeof f);
	f.id = 2;
	f.col = 1;
	ck_assert_int_eq(store_fact_scan_links(st, test_link_fn, &f, &err),
	    NCEN_OK);
	ck_assert_int_eq(f.found, 1);
	st = test_clean(st, "a link");
	c.what = "unlink";
	test_do(st, &c);
	f.found = 0;
	ck_assert_int_eq(store_fact_scan_links(st, test_link_fn, &f, &err),
	    NCEN_OK);
	ck_assert_int_eq(f.found, 0);
	st = test_clean(st, "an unlink");

	/* A case deleted with its links and a person with theirs. */
	ck_assert_int_eq(store_get(st, "case", 3, &r, &err), NCEN_OK);
	memset(&c, 0, sizeof c);
	c.what = "delete";
	c.entity = "case";
	c.id = 3;
	c.version = r->version;
	record_free(r);
	test_do(st, &c);
	st = test_clean(st, "a case's delete");
	ck_assert_int_eq(store_get(st, "person", 2, &r, &err), NCEN_OK);
	c.entity = "person";
	c.id = 2;
	c.version = r->version;
	record_free(r);
	test_do(st, &c);
	test_close(st);
	ck_assert_int_eq(test_verify(&report), NCEN_OK);

	/* A damaged row is a problem verify names. */
	test_raw_edit("facts.db", test_garble);
	ck_assert_int_eq(test_verify(&report), NCEN_ECHECK);
	ck_assert_ptr_nonnull(strstr(report.s, "problem: facts.db: case 1: "
	    "the fact row differs from the record"));
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

/* A directory without facts.db (older, or copied without it) gets them. */
START_TEST(test_missing)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct buf		 report = BUF_INIT, path = BUF_INIT;
	struct store		*st = test_open();
	int			 built;

	memset(&d, 0, sizeof d);
	d.cases = 20;
	d.seed = 3;
	ck_assert_int_eq(demo_generate(st, &d, &ds, &err), NCEN_OK);
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 1);
	test_close(st);
	buf_addf(&path, "%s/facts.db", home);
	ck_assert_int_eq(unlink(path.s), 0);
	st = test_open();
	/* Not claimed ready over an empty file. */
	test_close(st);
	ck_assert_int_eq(test_verify(&report), NCEN_OK);
	ck_assert_ptr_nonnull(strstr(report.s, "no facts kept yet"));
	st = test_open();
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 1);
	st = test_clean(st, "the build of a directory without facts");
	test_close(st);
	buf_free(&report);
	buf_free(&path);
	ncen_err_free(&err);
}
END_TEST

/*
 * Rows left behind while no state said to keep them (a line deleted
 * then) are gone after the next build: it clears facts.db first.
 */
START_TEST(test_stale)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct test_change	 c;
	struct store		*st = test_open();
	int			 built;

	memset(&d, 0, sizeof d);
	d.cases = 20;
	d.seed = 9;
	ck_assert_int_eq(demo_generate(st, &d, &ds, &err), NCEN_OK);
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	test_close(st);
	test_raw_edit("counts.db", test_drop_state);
	st = test_open();
	memset(&c, 0, sizeof c);
	c.what = "delete";
	c.entity = "seizure";
	c.id = 1;
	c.version = 1;
	test_do(st, &c);
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 1);
	st = test_clean(st, "a rebuild over rows left behind");
	test_close(st);
	ncen_err_free(&err);
}
END_TEST

/*
 * In a child process: update cases, add and remove links and put lines
 * for as long as the parent builds (and a little more); exit 0 if every
 * change went through.
 */
static void
test_writer(int rounds)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = test_open();
	struct test_change	 c;
	struct record		*r;
	uint64_t		 id;
	int			 i;
	static const char *const offices[] = { "FRCDG01", "FRMRS01",
	    "FRLND01" };

	for (i = 0; i < rounds; i++) {
		id = 1 + (uint64_t)(i * 37) % 1500;
		if (store_get(st, "case", id, &r, &err) != NCEN_OK)
			_exit(1);
		if (record_set(r, "office", offices[i % 3], &err) != NCEN_OK)
			_exit(2);
		memset(&c, 0, sizeof c);
		c.what = "update";
		c.r = r;
		if (store_run(st, test_change_cb, &c, &err) != NCEN_OK)
			_exit(3);
		record_free(r);
		memset(&c, 0, sizeof c);
		c.what = i % 2 == 0 ? "link" : "unlink";
		c.id = 1 + (uint64_t)((i / 2) * 53) % 1500;
		c.other = 1 + (uint64_t)((i / 2) * 11) % 50;
		if (store_run(st, test_change_cb, &c, &err) != NCEN_OK &&
		    err.code != NCEN_EEXISTS)
			_exit(4);
		r = record_new(schema_form_find(schema, "seizure"));
		record_set(r, "case", "1499", NULL);
		record_set(r, "commodity", "DRUG", NULL);
		memset(&c, 0, sizeof c);
		c.what = "put";
		c.r = r;
		if (store_run(st, test_change_cb, &c, &err) != NCEN_OK)
			_exit(5);
		record_free(r);
	}
	if (store_close(st, &err) != NCEN_OK)
		_exit(6);
	_exit(0);
}

/* A build while another process changes records is right at its end. */
START_TEST(test_concurrent)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct buf		 report = BUF_INIT, p = BUF_INIT;
	struct store		*st = test_open();
	pid_t			 pid;
	int			 built, status;

	memset(&d, 0, sizeof d);
	d.cases = 1500;
	d.seed = 5;
	ck_assert_int_eq(demo_generate(st, &d, &ds, &err), NCEN_OK);
	if ((pid = fork()) == 0)
		test_writer(300);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(store_fact_ready(st, &built, &err), NCEN_OK);
	ck_assert_int_eq(built, 1);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "the writer failed: status %d", status);
	test_close(st);
	if (test_verify(&report) != NCEN_OK)
		ck_abort_msg("after a build beside a writer:\n%s",
		    test_problems(&report, &p));
	ck_assert_ptr_nonnull(strstr(report.s, "facts.db: 1500 case rows "
	    "checked"));
	buf_free(&report);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("fact");
	TCase	*tc = tcase_create("fact");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kept);
	tcase_add_test(tc, test_missing);
	tcase_add_test(tc, test_stale);
	tcase_add_test(tc, test_concurrent);
	suite_add_tcase(s, tc);
	return test_run(s);
}
