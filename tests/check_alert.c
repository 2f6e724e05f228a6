/*
 * check_alert.c - the rules language, the queue the saving transaction
 * writes, watch entries met through the search keys, counting rules,
 * each alert raised once, a case changed during its check checked
 * again, and decisions.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "auth.h"
#include "buf.h"
#include "record.h"
#include "rules.h"
#include "schema.h"
#include "store-kv.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

static char		*home;
static struct schema	*schema;
static struct store	*st;

/* A fresh store with the alerts' hook, as every program has it. */
static void
setup(void)
{
	test_store_open(&home, &schema, &st);
	alert_attach(st);
}

/* Close and remove the store. */
static void
teardown(void)
{
	test_store_close(home, schema, st);
}

struct put {
	struct record	*r;
};

/* Store a record (store_txn_fn). */
static int
put_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, ((struct put *)arg)->r, "bob", err);
}

/* Store a record of entity from "field=value" pairs; its id. */
static uint64_t
put(const char *entity, ...)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct put	 p;
	const char	*kv, *eq;
	char		*name;
	va_list		 ap;
	uint64_t	 id;

	p.r = record_new(schema_form_find(schema, entity));
	va_start(ap, entity);
	while ((kv = va_arg(ap, const char *)) != NULL) {
		eq = strchr(kv, '=');
		name = xstrndup(kv, (size_t)(eq - kv));
		ck_assert_int_eq(record_set(p.r, name, eq + 1, &e), NCEN_OK);
		free(name);
	}
	va_end(ap);
	ck_assert_msg(store_run(st, put_txn, &p, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	id = p.r->id;
	record_free(p.r);
	ncen_err_free(&e);
	return id;
}

struct lk {
	struct store_ref	 a, b;
	const char		*role;
};

/* Link two records (store_txn_fn). */
static int
link_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct lk	*l = arg;

	return store_link_add(t, l->a, l->b, l->role, err);
}

/* Link case c to a record with a role. */
static void
link_case(uint64_t c, const char *entity, uint64_t id, const char *role)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct lk	l;

	l.a.entity = "case";
	l.a.id = c;
	l.b.entity = entity;
	l.b.id = id;
	l.role = role;
	ck_assert_msg(store_run(st, link_txn, &l, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ncen_err_free(&e);
}

/* A case of FRCDG01 on a date. */
static uint64_t
kase(const char *date, const char *office)
{
	struct buf	d = BUF_INIT, o = BUF_INIT;
	uint64_t	id;

	buf_addf(&d, "date=%s", date);
	buf_addf(&o, "office=%s", office);
	id = put("case", buf_cstr(&d), buf_cstr(&o), "country=FR",
	    "direction=IMP", "status=draft", "officer=bob", NULL);
	buf_free(&d);
	buf_free(&o);
	return id;
}

/* Drain the queue; the number of alerts raised. */
static size_t
drain(void)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	size_t		checked, raised = 0;

	ck_assert_msg(alert_drain(st, 0, &checked, &raised, &e) == NCEN_OK,
	    "%s", ncen_err_msg(&e));
	ncen_err_free(&e);
	return raised;
}

/* How many cases wait to be checked. */
static uint64_t
pending(void)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	uint64_t	n;

	ck_assert(alert_pending(st, &n, &e) == NCEN_OK);
	ncen_err_free(&e);
	return n;
}

/* Install a rules file in the data directory. */
static void
rules_file(const char *text)
{
	struct buf	 p = BUF_INIT;
	FILE		*fp;

	buf_addf(&p, "%s/%s", home, RULES_FILE);
	fp = fopen(buf_cstr(&p), "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
	buf_free(&p);
}

/* Each bad file: where the parser must say it is wrong. */
static const struct {
	const char	*text;
	const char	*where;
} bad_rules[] = {
	{ "", "r:1:1: expected the language line" },
	{ "ncen-rules 2\n", "r:1:12: expected language version 1" },
	{ "ncen-rules 1\ntitle \"x\"\n", "r:2:1: expected 'rule NAME'" },
	{ "ncen-rules 1\nrule A\n", "r:2:6: expected a rule name" },
	{ "ncen-rules 1\nrule a\n  title x\n", "r:3:9: expected a title" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when office = X\n",
	  "r:4:8: expected ENTITY.FIELD" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when vessel.name = X\n",
	  "r:4:8: expected case, seizure" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when case.date ~ X\n",
	  "r:4:18: expected an operator" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when case.date >= May\n",
	  "r:4:21: expected a date YYYY-MM-DD" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when seizure.quantity > 1 2\n",
	  "r:4:29: expected the end of the line" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when case.date =\n",
	  "r:4:19: expected a value" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  count 2 of person.name by person\n",
	  "r:4:14: expected case.FIELD" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  count 2 within 0 days by person\n",
	  "r:4:18: expected a number of days" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  count 2 within 9 weeks by person\n",
	  "r:4:20: expected 'days'" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  count 2 by seizure\n",
	  "r:4:14: expected person, business or conveyance" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  title \"y\"\n",
	  "r:4:3: 'title' is given twice in rule 'a'" },
	{ "ncen-rules 1\nrule a\n  when case.office = FRCDG01\n",
	  "r:2:6: rule 'a' has no title line" },
	{ "ncen-rules 1\nrule a\n  title \"x\"\n  when case.office = \"\xff\"\n",
	  "r:4:" },
};

START_TEST(test_rules_bad)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct rules	*rs = (struct rules *)1;
	const char	*t = bad_rules[_i].text;

	ck_assert_int_eq(rules_parse("r", t, strlen(t), schema, &rs, &e),
	    NCEN_EPARSE);
	ck_assert_ptr_null(rs);
	ck_assert_msg(strncmp(ncen_err_msg(&e), bad_rules[_i].where,
	    strlen(bad_rules[_i].where)) == 0, "file %d: %s", _i,
	    ncen_err_msg(&e));
	ncen_err_free(&e);
}
END_TEST

START_TEST(test_rules_good)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct rules		*rs = NULL;
	const struct rules_rule	*r;
	char			*path = test_path(
				    "tests/fixtures/alerts/sample.rules");

	ck_assert_msg(rules_load_file(path, schema, &rs, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ck_assert_uint_eq(rs->n, 3);
	r = rules_find(rs, "drugs_at_cdg");
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->nconds, 3);
	ck_assert_int_eq(r->conds[2].op, RULES_GE);
	ck_assert_str_eq(r->conds[2].field->name, "quantity");
	r = rules_find(rs, "owner_3_in_90");
	ck_assert_uint_eq(r->count.n, 3);
	ck_assert_uint_eq(r->count.days, 90);
	ck_assert_str_eq(r->count.by->name, "business");
	ck_assert_str_eq(r->count.role, "OWNER");
	ck_assert_str_eq(r->notify, "analyst");
	ck_assert_str_eq(rules_find(rs, "person_2_offices")->notify, "carl");
	ck_assert_str_eq(rules_find(rs, "person_2_offices")->count.of->name,
	    "office");
	rules_free(rs);
	/* No file in a data directory: no rules, no error. */
	ck_assert_int_eq(rules_load(home, schema, &rs, &e), NCEN_OK);
	ck_assert_uint_eq(rs->n, 0);
	rules_free(rs);
	free(path);
	ncen_err_free(&e);
}
END_TEST

START_TEST(test_queue)
{
	uint64_t	c, p;

	ck_assert_uint_eq(pending(), 0);
	c = kase("2026-06-01", "FRCDG01");
	ck_assert_uint_eq(pending(), 1);
	ck_assert_uint_eq(drain(), 0);
	ck_assert_uint_eq(pending(), 0);
	/* A new person is on no case: nothing; linking it queues the case. */
	p = put("person", "family_name=Smith", NULL);
	ck_assert_uint_eq(pending(), 0);
	link_case(c, "person", p, "WITNESS");
	ck_assert_uint_eq(pending(), 1);
	drain();
	/* A seizure line queues its case. */
	put("seizure", "case=1", "commodity=DRUG", "quantity=1.000",
	    "unit=KGM", NULL);
	ck_assert_uint_eq(pending(), 1);
	drain();
	/* A watch entry or an alert queues nothing. */
	put("watch", "kind=PERSON", "name=X", "reason=r", "owner=ann", NULL);
	ck_assert_uint_eq(pending(), 0);
}
END_TEST

/* The alerts stored, as "source case owner" lines. */
static int
alerts_line(const struct record *r, void *arg)
{
	buf_addf(arg, "%s %s %s %s\n", record_get(r, "source"),
	    record_get(r, "case"), record_get(r, "owner"),
	    record_get(r, "state"));
	return 0;
}

/* Every alert stored, one line each, into b. */
static void
alerts(struct buf *b)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	buf_reset(b);
	ck_assert(store_scan(st, "alert", alerts_line, b, &e) == NCEN_OK);
	buf_addc(b, '\0');
	ncen_err_free(&e);
}

START_TEST(test_watch_scripts)
{
	struct buf	b = BUF_INIT;
	uint64_t	c1, c2, c3, c4, p;

	put("watch", "kind=PERSON", "name=Kuznetsov Dmitriy",
	    "birth_date=1980-03-02", "reason=wanted", "owner=ann", NULL);
	put("watch", "kind=DOCUMENT", "number=AB 1234567", "reason=forged",
	    "owner=carl", NULL);
	c1 = kase("2026-06-01", "FRCDG01");
	p = put("person", "family_name=Кузнецов", "given_names=Дмитрий",
	    "birth_date=1980-03-02", NULL);
	link_case(c1, "person", p, "COURIER");
	c2 = kase("2026-06-01", "FRCDG01");
	p = put("person", "family_name=Kuznetsov", "given_names=Dmitriy",
	    "birth_date=1981-03-02", NULL);
	link_case(c2, "person", p, "COURIER");
	c3 = kase("2026-06-01", "FRCDG01");
	p = put("person", "family_name=Kuznetsov", NULL);	/* one word */
	link_case(c3, "person", p, "COURIER");
	c4 = kase("2026-06-01", "FRCDG01");
	p = put("person", "family_name=Petrov", "document_number=ab-1234567",
	    NULL);
	link_case(c4, "person", p, "COURIER");
	ck_assert_uint_eq(drain(), 2);
	alerts(&b);
	ck_assert_str_eq(b.s, "watch:1 1 ann NEW\nwatch:2 4 carl NEW\n");
	(void)c2;
	(void)c3;
	buf_free(&b);
}
END_TEST

START_TEST(test_once)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct rules	*rs = NULL;
	struct buf	 b = BUF_INIT;
	size_t		 raised = 0;
	uint64_t	 c;

	rules_file("ncen-rules 1\nrule cdg\n  title \"CDG\"\n"
	    "  when case.office = FRCDG01\n");
	c = kase("2026-06-01", "FRCDG01");
	kase("2026-06-01", "FRMRS01");
	ck_assert_uint_eq(drain(), 1);
	ck_assert_int_eq(rules_load(home, schema, &rs, &e), NCEN_OK);
	ck_assert_int_eq(alert_check(st, rs, c, NULL, 1, &raised, &e),
	    NCEN_OK);
	ck_assert_uint_eq(raised, 0);
	ck_assert_int_eq(alert_hunt(st, rs, NULL, NULL, 1, NULL, NULL,
	    &(uint64_t){ 0 }, &raised, &e), NCEN_OK);
	ck_assert_uint_eq(raised, 0);
	alerts(&b);
	ck_assert_str_eq(b.s, "rule:cdg 1 analyst NEW\n");
	rules_free(rs);
	buf_free(&b);
	ncen_err_free(&e);
}
END_TEST

/* Read the queue entry of a case: key and stamp. */
static int
stamp_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct buf	*kv = arg;

	buf_reset(&kv[1]);
	return store_kv_get(t, STORE_KV_STATE, kv[0].s, kv[0].len, 0, &kv[1],
	    err);
}

START_TEST(test_changed_meanwhile)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct rules	*rs = NULL;
	struct buf	 kv[2] = { BUF_INIT, BUF_INIT }, old = BUF_INIT;
	size_t		 raised = 0;
	uint64_t	 c;

	c = kase("2026-06-01", "FRCDG01");
	buf_adds(&kv[0], "alert.q");
	buf_add_u64(&kv[0], c);
	ck_assert_int_eq(store_run(st, stamp_txn, kv, &e), NCEN_OK);
	buf_add(&old, kv[1].s, kv[1].len);
	/* The case changes after the checker read it: a new stamp. */
	kase("2026-06-02", "FRCDG01");
	put("seizure", "case=1", "commodity=DRUG", "quantity=1.000",
	    "unit=KGM", NULL);
	ck_assert_uint_eq(pending(), 2);
	rs = xcalloc(1, sizeof *rs);
	ck_assert_int_eq(alert_check_queued(st, rs, &kv[0], &old, c, &raised,
	    &e), NCEN_OK);
	ck_assert_uint_eq(pending(), 2);	/* left to check again */
	ck_assert_int_eq(store_run(st, stamp_txn, kv, &e), NCEN_OK);
	ck_assert_int_eq(alert_check_queued(st, rs, &kv[0], &kv[1], c, &raised,
	    &e), NCEN_OK);
	ck_assert_uint_eq(pending(), 1);
	/* Another checker did it first: nothing to do. */
	ck_assert_int_eq(alert_check_queued(st, rs, &kv[0], &kv[1], c, &raised,
	    &e), NCEN_OK);
	ck_assert_uint_eq(pending(), 1);
	rules_free(rs);
	buf_free(&kv[0]);
	buf_free(&kv[1]);
	buf_free(&old);
	ncen_err_free(&e);
}
END_TEST

START_TEST(test_counting)
{
	struct buf	b = BUF_INIT;
	uint64_t	owner, p, c;

	rules_file("ncen-rules 1\nrule own3\n  title \"own\"\n"
	    "  count 3 within 90 days by business role OWNER\n"
	    "rule offices\n  title \"two\"\n  notify carl\n"
	    "  count 2 of case.office by person\n");
	owner = put("business", "name=Acme", NULL);
	p = put("person", "family_name=Roe", NULL);
	c = kase("2026-01-01", "FRCDG01");
	link_case(c, "business", owner, "OWNER");
	link_case(c, "person", p, "SUSPECT");
	c = kase("2026-03-15", "FRCDG01");
	link_case(c, "business", owner, "CARRIER");	/* another role */
	ck_assert_uint_eq(drain(), 0);
	c = kase("2026-03-20", "FRCDG01");
	link_case(c, "business", owner, "OWNER");
	ck_assert_uint_eq(drain(), 0);			/* the second */
	c = kase("2026-03-25", "FRCDG01");
	link_case(c, "business", owner, "OWNER");
	ck_assert_uint_eq(drain(), 1);			/* the third */
	c = kase("2026-09-01", "FRCDG01");
	link_case(c, "business", owner, "OWNER");
	ck_assert_uint_eq(drain(), 0);			/* out of the window */
	c = kase("2026-09-02", "FRMRS01");
	link_case(c, "person", p, "SUSPECT");
	ck_assert_uint_eq(drain(), 1);			/* a second office */
	alerts(&b);
	ck_assert_str_eq(b.s, "rule:own3 4 analyst NEW\n"
	    "rule:offices 6 carl NEW\n");
	buf_free(&b);
}
END_TEST

START_TEST(test_decide)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct auth_account	 ann, bob;
	struct buf		 b = BUF_INIT;

	rules_file("ncen-rules 1\nrule cdg\n  title \"CDG\"\n  notify ann\n"
	    "  when case.office = FRCDG01\n");
	kase("2026-06-01", "FRCDG01");
	ck_assert_uint_eq(drain(), 1);
	memset(&ann, 0, sizeof ann);
	ann.name = "ann";
	ann.roles = auth_role_bit("analyst");
	bob = ann;
	bob.name = "bob";
	ck_assert_int_eq(alert_decide(st, &ann, 1, "DISMISSED", "", &e),
	    NCEN_EUSAGE);
	ncen_err_clear(&e);
	ck_assert_int_eq(alert_decide(st, &ann, 1, "GONE", NULL, &e),
	    NCEN_EUSAGE);
	ncen_err_clear(&e);
	ck_assert_int_eq(alert_decide(st, &bob, 1, "SEEN", NULL, &e),
	    NCEN_EUSAGE);
	ncen_err_clear(&e);
	alerts(&b);
	ck_assert_str_eq(b.s, "rule:cdg 1 ann NEW\n");
	ck_assert_int_eq(alert_decide(st, &ann, 1, "DISMISSED", "known", &e),
	    NCEN_OK);
	alerts(&b);
	ck_assert_str_eq(b.s, "rule:cdg 1 ann DISMISSED\n");
	/* Saved again, the case raises nothing new. */
	put("seizure", "case=1", "commodity=DRUG", "quantity=1.000",
	    "unit=KGM", NULL);
	ck_assert_uint_eq(drain(), 0);
	buf_free(&b);
	ncen_err_free(&e);
}
END_TEST

/* The suite: the language, then the checker. */
static Suite *
alert_suite(void)
{
	Suite	*s = suite_create("alert");
	TCase	*tc;

	tc = tcase_create("rules");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_rules_bad, 0, (int)NELEM(bad_rules));
	tcase_add_test(tc, test_rules_good);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_queue);
	tcase_add_test(tc, test_watch_scripts);
	tcase_add_test(tc, test_once);
	tcase_add_test(tc, test_changed_meanwhile);
	tcase_add_test(tc, test_counting);
	tcase_add_test(tc, test_decide);
	suite_add_tcase(s, tc);
	return s;
}

/* Run the suite. */
int
main(void)
{
	return test_run(alert_suite());
}
