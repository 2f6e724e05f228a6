/*
 * check_retention.c - retention periods: the retain line of the forms
 * language (accepted, and each refusal at its file, line and column),
 * calendar periods, the due list (closed cases by their last closing,
 * open cases keeping their records, unlinked records by their last
 * change, partners' and anonymised records left out, office limits),
 * and applying: anonymise, delete with a case's steps and attachments,
 * a record changed since it was listed, the audit entries.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "record.h"
#include "retention.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "workflow.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* 2026-11-27T09:00:00Z: the first closing in these tests. */
#define WHEN	1795770000
#define DAY	86400

static char		*home;
static struct schema	*schema;
static struct store	*store;

/* A fresh data directory with the build tree's forms, audited. */
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
	retention_policy.now = NULL;
}

/* The head of a form with one required text field, then its retain line. */
static const char form_head[] =
    "ncen-forms 1\n"
    "form x 1\n"
    "label en \"X\"\n"
    "label fr \"X\"\n";

/* A retain line and what the parse must say of it ("" accepted). */
static const struct {
	const char	*retain;	/* the line(s) after the labels */
	const char	*fields;	/* the fields after them */
	const char	*error;		/* "" or the whole message */
} retain_cases[] = {
	{ "retain 10y after case-closed anonymise\n", NULL, "" },
	{ "retain 6m after modified delete\n", NULL, "" },
	{ "retain 30d after modified anonymise\n", NULL, "" },
	{ "retain with record\n", NULL, "" },
	{ "retain 10w after modified delete\n", NULL,
	  "t.form:5:8: expected a period: a whole number from 1 to 999 then "
	  "y (years), m (months) or d (days), found '10w'" },
	{ "retain 0y after modified delete\n", NULL,
	  "t.form:5:8: expected a period: a whole number from 1 to 999 then "
	  "y (years), m (months) or d (days), found '0y'" },
	{ "retain 1000y after modified delete\n", NULL,
	  "t.form:5:8: expected a period: a whole number from 1 to 999 then "
	  "y (years), m (months) or d (days), found '1000y'" },
	{ "retain 10y from modified delete\n", NULL,
	  "t.form:5:12: expected 'after', found 'from'" },
	{ "retain 10y after closing delete\n", NULL,
	  "t.form:5:18: expected what the period runs from (case-closed, "
	  "modified), found 'closing'" },
	{ "retain 10y after modified shred\n", NULL,
	  "t.form:5:27: expected what then happens (delete, anonymise), "
	  "found 'shred'" },
	{ "retain 10y after modified delete now\n", NULL,
	  "t.form:5:34: expected the end of the line, found 'now'" },
	{ "retain 10y after modified\n", NULL,
	  "t.form:5:26: expected what then happens (delete, anonymise), "
	  "found the end of the line" },
	{ "retain with\n", NULL,
	  "t.form:5:12: expected 'record' after 'retain with', found the end "
	  "of the line" },
	{ "retain 1y after modified delete\nretain 2y after modified delete\n",
	  NULL, "t.form:6:1: expected one 'retain' (the first is at line 5), "
	  "found a second" },
	/* After a field it is no statement of the field's. */
	{ "", "field a text(20) required\n label en \"A\"\n label fr \"A\"\n"
	  "retain 1y after modified delete\n",
	  "t.form:8:1: expected a statement (label, help, heading, at, "
	  "field), found 'retain'" },
	/* A required nominal field must take the placeholder. */
	{ "retain 1y after modified anonymise\n",
	  "field a code:sex required\n label en \"A\"\n label fr \"A\"\n",
	  "t.form:5:1: expected 'anonymise' only where each required field "
	  "not 'share cen' is text of 10 characters or more, found field 'a' "
	  "(line 6)" },
	{ "retain 1y after modified anonymise\n",
	  "field a text(9) required share partner\n label en \"A\"\n"
	  " label fr \"A\"\n",
	  "t.form:5:1: expected 'anonymise' only where each required field "
	  "not 'share cen' is text of 10 characters or more, found field 'a' "
	  "(line 6)" },
	/* Required but cen: kept, so any type will do. */
	{ "retain 1y after modified anonymise\n",
	  "field a code:sex required share cen\n label en \"A\"\n"
	  " label fr \"A\"\n", "" },
};

/* Each retain line: accepted with its parts, or refused where it is. */
START_TEST(test_parse)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct schema_form	*f = NULL;
	struct buf		 text = BUF_INIT;
	int			 rc;

	buf_adds(&text, form_head);
	buf_adds(&text, retain_cases[_i].retain);
	buf_adds(&text, retain_cases[_i].fields != NULL ?
	    retain_cases[_i].fields :
	    "field a text(20) required\n label en \"A\"\n label fr \"A\"\n");
	rc = schema_form_parse("t.form", text.s, text.len, &f, &err);
	if (*retain_cases[_i].error == '\0') {
		ck_assert_msg(rc == NCEN_OK, "%s: %s", retain_cases[_i].retain,
		    ncen_err_msg(&err));
		ck_assert_uint_eq(f->retain.line, 5);
	} else {
		ck_assert_int_eq(rc, NCEN_EPARSE);
		ck_assert_ptr_null(f);
		ck_assert_str_eq(ncen_err_msg(&err), retain_cases[_i].error);
	}
	schema_form_free(f);
	buf_free(&text);
	ncen_err_free(&err);
}
END_TEST

/* The parts of a retain line, and the shipped forms' lines. */
START_TEST(test_parse_parts)
{
	const struct schema_form	*f;

	f = schema_form_find(schema, "person");
	ck_assert_int_eq(f->retain.from, SCHEMA_RETAIN_CASE_CLOSED);
	ck_assert_uint_eq(f->retain.count, 10);
	ck_assert_int_eq(f->retain.unit, 'y');
	ck_assert_int_eq(f->retain.action, SCHEMA_RETAIN_ANONYMISE);
	f = schema_form_find(schema, "case");
	ck_assert_int_eq(f->retain.from, SCHEMA_RETAIN_CASE_CLOSED);
	ck_assert_int_eq(f->retain.action, SCHEMA_RETAIN_DELETE);
	ck_assert_int_eq(schema_form_find(schema, "seizure")->retain.action,
	    SCHEMA_RETAIN_DELETE);
	ck_assert_int_eq(schema_form_find(schema, "business")->retain.action,
	    SCHEMA_RETAIN_ANONYMISE);
	ck_assert_int_eq(schema_form_find(schema,
	    "conveyance")->retain.action, SCHEMA_RETAIN_ANONYMISE);
	ck_assert_int_eq(schema_form_find(schema, "attachment")->retain.from,
	    SCHEMA_RETAIN_WITH_RECORD);
	ck_assert_int_eq(schema_form_find(schema, "message")->retain.from,
	    SCHEMA_RETAIN_NONE);
}
END_TEST

/* Periods in calendar terms, leap days included. */
START_TEST(test_end)
{
	struct schema_retain	r;

	memset(&r, 0, sizeof r);
	r.count = 10;
	r.unit = 'y';
	ck_assert_int_eq(retention_end(audit_parse_time("2016-03-01T10:00"),
	    &r), audit_parse_time("2026-03-01T10:00"));
	r.count = 1;
	ck_assert_int_eq(retention_end(audit_parse_time("2016-02-29"), &r),
	    audit_parse_time("2017-03-01"));
	r.count = 6;
	r.unit = 'm';
	ck_assert_int_eq(retention_end(audit_parse_time("2026-09-15"), &r),
	    audit_parse_time("2027-03-15"));
	r.count = 30;
	r.unit = 'd';
	ck_assert_int_eq(retention_end(audit_parse_time("2026-12-15"), &r),
	    audit_parse_time("2027-01-14"));
}
END_TEST

/* Store a record (store_txn_fn). */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, arg, "carol", err);
}

/* Store a record made of name=value pairs; returns its id. */
static uint64_t
make(const char *entity, const char *const *kv)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = record_new(schema_form_find(schema, entity));
	uint64_t	 id;

	for (; kv[0] != NULL; kv += 2)
		ck_assert_msg(record_set(r, kv[0], kv[1], &err) == NCEN_OK,
		    "%s", ncen_err_msg(&err));
	ck_assert_msg(store_run(store, put_fn, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	id = r->id;
	record_free(r);
	ncen_err_free(&err);
	return id;
}

/* A complete draft case of an office. */
static uint64_t
make_case(const char *office)
{
	const char *const kv[] = { "status", "draft", "date", "2026-11-05",
	    "office", office, "country", "FR", "direction", "IMP", NULL };

	return make("case", kv);
}

/* A person with a name, nominal and cen fields. */
static uint64_t
make_person(const char *name)
{
	const char *const kv[] = { "family_name", name, "given_names",
	    "Jean", "birth_date", "1980-02-29", "sex", "1", "nationality",
	    "FR", "remarks", "seen at the airport", NULL };

	return make("person", kv);
}

/* Link a case to a record (store_txn_fn). */
struct link_arg {
	struct store_ref	a, b;
};

static int
link_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct link_arg	*l = arg;

	return store_link_add(t, l->a, l->b, "COURIER", err);
}

/* Link case c to a record. */
static void
link_case(uint64_t c, const char *entity, uint64_t id)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct link_arg	l = { { "case", c }, { entity, id } };

	ck_assert_msg(store_run(store, link_fn, &l, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* Take a workflow step at a given time. */
static void
step(uint64_t id, const char *action, int64_t when)
{
	struct workflow_request	 req;
	struct workflow_result	 res;
	struct ncen_err		 err = NCEN_ERR_INIT;

	memset(&req, 0, sizeof req);
	req.case_id = id;
	req.action = action;
	req.user = "sue";
	req.role = "supervisor";
	req.reason = strcmp(action, "reopen") == 0 ? "again" : NULL;
	req.when = when;
	ck_assert_msg(workflow_apply(store, &req, &res, &err) == NCEN_OK,
	    "%s %llu: %s", action, (unsigned long long)id, ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* Take a case to closed, closing at when. */
static void
close_case(uint64_t id, int64_t when)
{
	step(id, "submit", when - 2 * DAY);
	step(id, "validate", when - DAY);
	step(id, "close", when);
}

/* The due list at now (of one form or all), as "entity:id " words. */
static void
due(const char *entity, int64_t now, const struct auth_account *a,
    struct buf *out)
{
	struct retention_list	l;
	struct ncen_err		err = NCEN_ERR_INIT;
	size_t			i;

	ck_assert_msg(retention_due_list(store, a, entity, now, &l, &err) ==
	    NCEN_OK, "%s", ncen_err_msg(&err));
	buf_reset(out);
	for (i = 0; i < l.n; i++)
		buf_addf(out, "%s:%llu ", l.v[i].entity,
		    (unsigned long long)l.v[i].id);
	retention_list_free(&l);
	ncen_err_free(&err);
}

/* Ten years after t, in these forms' terms. */
static int64_t
ten_years(int64_t t)
{
	return retention_end(t, &schema_form_find(schema,
	    "person")->retain);
}

/*
 * A person is due when all its cases are closed, from the last closing;
 * an open case keeps it; the case's own seizures go with it; cases
 * come last in the list.
 */
START_TEST(test_due_closed)
{
	struct buf	 out = BUF_INIT;
	uint64_t	 c1, c2, c3, p1, p2, p3, s1;
	const char	*kv[] = { "case", NULL, "commodity", "DRUG",
	    "quantity", "2.000", "unit", "KGM", NULL };
	char		 id[24];

	c1 = make_case("FRCDG01");
	c2 = make_case("FRCDG01");
	c3 = make_case("FRCDG01");
	p1 = make_person("ONE");		/* c1 */
	p2 = make_person("TWO");		/* c1 and c2 */
	p3 = make_person("THREE");		/* c1 and c3, still open */
	link_case(c1, "person", p1);
	link_case(c1, "person", p2);
	link_case(c2, "person", p2);
	link_case(c1, "person", p3);
	link_case(c3, "person", p3);
	snprintf(id, sizeof id, "%llu", (unsigned long long)c1);
	kv[1] = id;
	s1 = make("seizure", kv);
	close_case(c1, WHEN);
	close_case(c2, WHEN + 365 * DAY);
	ck_assert_uint_eq(s1, 1);

	/* A day before ten years after c1 closed: nothing. */
	due(NULL, ten_years(WHEN) - 1, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	/* Then person 1, the seizure and case 1; person 2 waits for c2. */
	due(NULL, ten_years(WHEN), NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "person:1 seizure:1 case:1 ");
	due("person", ten_years(WHEN + 365 * DAY), NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "person:1 person:2 ");
	/* Person 3 is kept by its open case whatever the time. */
	due("person", ten_years(WHEN) * 2, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "person:1 person:2 ");
	(void)p3;
	buf_free(&out);
}
END_TEST

/* A reopened case counts from its last closing; reopened, it is open. */
START_TEST(test_due_reopened)
{
	struct buf	out = BUF_INIT;
	uint64_t	c, p;

	c = make_case("FRCDG01");
	p = make_person("ONE");
	link_case(c, "person", p);
	close_case(c, WHEN);
	step(c, "reopen", WHEN + 100 * DAY);
	due(NULL, ten_years(WHEN + 100 * DAY), NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	close_case(c, WHEN + 200 * DAY);
	due(NULL, ten_years(WHEN + 200 * DAY) - 1, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	due(NULL, ten_years(WHEN + 200 * DAY), NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "person:1 case:1 ");
	buf_free(&out);
}
END_TEST

/* An unlinked record counts from its last change; the clock override. */
START_TEST(test_due_unlinked)
{
	struct retention_list	 l;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 out = BUF_INIT;
	struct record		*r = NULL;
	uint64_t		 p;

	p = make_person("ALONE");
	ck_assert(store_get(store, "person", p, &r, &err) == NCEN_OK);
	due(NULL, ten_years(r->mtime) - 1, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	ck_assert_int_eq(retention_due_list(store, NULL, NULL,
	    ten_years(r->mtime), &l, &err), NCEN_OK);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].why, RETENTION_WHY_UNLINKED);
	ck_assert_int_eq(l.v[0].since, r->mtime);
	ck_assert_int_eq(l.v[0].due, ten_years(r->mtime));
	ck_assert_uint_eq(l.v[0].ncases, 0);
	ck_assert_uint_eq(l.v[0].version, 1);
	retention_list_free(&l);
	/* The clock tests set. */
	ck_assert_int_ge(retention_now(), r->mtime);
	setenv("NCEN_RETENTION_NOW", "2040-01-02", 1);
	retention_policy_env();
	unsetenv("NCEN_RETENTION_NOW");
	ck_assert_int_eq(retention_now(), audit_parse_time("2040-01-02"));
	record_free(r);
	buf_free(&out);
	ncen_err_free(&err);
}
END_TEST

/* Records from partners are theirs to withdraw; forms without periods. */
START_TEST(test_due_left_out)
{
	struct retention_list	 l;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 out = BUF_INIT;
	struct record		*r = record_new(schema_form_find(schema,
				    "person"));

	record_set(r, "family_name", "FROM DE", NULL);
	r->extra = xcalloc(1, sizeof *r->extra);
	r->extra[0].name = xstrdup("icomm.origin");
	r->extra[0].value = xstrdup("DE-NCEN");
	r->nextra = 1;
	ck_assert(store_run(store, put_fn, r, &err) == NCEN_OK);
	record_free(r);
	due(NULL, ten_years(WHEN) * 2, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	ck_assert_int_eq(retention_due_list(store, NULL, "message", WHEN, &l,
	    &err), NCEN_EUSAGE);
	ck_assert_int_eq(retention_due_list(store, NULL, "attachment", WHEN,
	    &l, &err), NCEN_EUSAGE);
	ck_assert_int_eq(retention_due_list(store, NULL, "nosuch", WHEN, &l,
	    &err), NCEN_ENOTFOUND);
	buf_free(&out);
	ncen_err_free(&err);
}
END_TEST

/*
 * A supervisor limited to an office reviews that office's cases and
 * what they link only; an officer nothing.
 */
START_TEST(test_due_offices)
{
	struct auth_account	 a;
	char			*offices[] = { "FRMRS01" };
	struct buf		 out = BUF_INIT;
	uint64_t		 c1, c2, p1, p2;

	c1 = make_case("FRCDG01");
	c2 = make_case("FRMRS01");
	p1 = make_person("AT CDG");
	p2 = make_person("AT MRS");
	link_case(c1, "person", p1);
	link_case(c2, "person", p2);
	close_case(c1, WHEN);
	close_case(c2, WHEN);
	memset(&a, 0, sizeof a);
	a.name = "sue";
	a.roles = AUTH_R_SUPERVISOR;
	a.offices = offices;
	a.noffices = 1;
	due("case", ten_years(WHEN), &a, &out);
	ck_assert_str_eq(buf_cstr(&out), "case:2 ");
	/* Need to know: the persons of its offices' cases only. */
	due("person", ten_years(WHEN), &a, &out);
	ck_assert_str_eq(buf_cstr(&out), "person:2 ");
	a.noffices = 0;
	due("case", ten_years(WHEN), &a, &out);
	ck_assert_str_eq(buf_cstr(&out), "case:1 case:2 ");
	a.roles = AUTH_R_OFFICER;
	due("case", ten_years(WHEN), &a, &out);
	ck_assert_str_eq(buf_cstr(&out), "");
	buf_free(&out);
}
END_TEST

/* Count audit entries (audit_fn). */
static int
count_entry(const struct audit_entry *e, void *arg)
{
	buf_addf(arg, "%s %s|", e->action, e->record);
	return 0;
}

/* Attach a file with given content to a record; its SHA-256 in sha. */
static void
attach(const char *entity, uint64_t id, const char *content, char *sha)
{
	struct attach_options	 o;
	struct attach_result	 res;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 path = BUF_INIT;
	struct store_ref	 ref = { entity, id };
	FILE			*f;

	buf_addf(&path, "%s/in.bin", home);
	ck_assert((f = fopen(buf_cstr(&path), "w")) != NULL);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
	memset(&o, 0, sizeof o);
	o.user = "carol";
	ck_assert_msg(attach_file(store, ref, buf_cstr(&path), &o, &res,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	memcpy(sha, res.sha256, 65);
	buf_free(&path);
	ncen_err_free(&err);
}

/* Whether the file of a SHA-256 is there. */
static int
file_there(const char *sha)
{
	struct buf	p = BUF_INIT;
	int		there;

	attach_path(home, sha, &p);
	there = access(buf_cstr(&p), F_OK) == 0;
	buf_free(&p);
	return there;
}

/*
 * Applying: the person anonymised (nominal fields emptied, the required
 * name the placeholder, cen fields, links kept, extras replaced), its
 * attachment deleted and its file removed while another record's
 * attachment keeps a shared one; the case deleted with its steps;
 * audited; not due again.
 */
START_TEST(test_apply)
{
	struct retention_list	 l;
	struct retention_result	 res;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 out = BUF_INIT;
	struct audit_filter	 af;
	struct record		*r = NULL;
	uint64_t		 c, c2, p, id;
	char			 sha1[65], sha2[65], sha3[65];
	int64_t			 now = ten_years(WHEN);
	const char		*at;
	size_t			 i;

	c = make_case("FRCDG01");
	c2 = make_case("FRCDG01");
	p = make_person("DUPONT");
	link_case(c, "person", p);
	close_case(c, WHEN);
	attach("person", p, "photo of Dupont", sha1);
	attach("person", p, "shared scan", sha2);
	attach("case", c2, "shared scan", sha3);
	ck_assert_str_eq(sha2, sha3);
	attach("case", c, "case photo", sha3);
	ck_assert_int_eq(retention_due_list(store, NULL, NULL, now, &l, &err),
	    NCEN_OK);
	ck_assert_uint_eq(l.n, 2);
	ck_assert_str_eq(l.v[0].entity, "person");
	ck_assert_int_eq(l.v[0].action, SCHEMA_RETAIN_ANONYMISE);
	ck_assert_int_eq(l.v[0].why, RETENTION_WHY_CLOSED);
	ck_assert_int_eq(l.v[0].since, WHEN);
	ck_assert_str_eq(l.v[1].entity, "case");
	ck_assert_int_eq(l.v[1].action, SCHEMA_RETAIN_DELETE);

	ck_assert_int_eq(retention_apply(store, NULL, &l.v[0], "", now, &res,
	    &err), NCEN_EUSAGE);
	ck_assert_msg(retention_apply(store, NULL, &l.v[0], "sue", now, &res,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	ck_assert_uint_eq(res.attachments, 2);
	ck_assert_uint_eq(res.files, 1);
	ck_assert(!file_there(sha1));
	ck_assert(file_there(sha2));		/* case 2 still has it */
	ck_assert(store_get(store, "person", p, &r, &err) == NCEN_OK);
	ck_assert_str_eq(record_get(r, "family_name"), "ANONYMISED");
	ck_assert_ptr_null(record_get(r, "given_names"));
	ck_assert_ptr_null(record_get(r, "birth_date"));
	ck_assert_ptr_null(record_get(r, "remarks"));
	ck_assert_str_eq(record_get(r, "sex"), "1");
	ck_assert_str_eq(record_get(r, "nationality"), "FR");
	ck_assert_uint_eq(r->nextra, 1);
	ck_assert_str_eq(r->extra[0].name, RETENTION_MARK);
	ck_assert_str_eq(r->muser, "sue");
	record_free(r);
	r = NULL;

	ck_assert_msg(retention_apply(store, NULL, &l.v[1], "sue", now, &res,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	ck_assert_uint_eq(res.attachments, 1);
	ck_assert_uint_eq(res.files, 1);
	ck_assert(!file_there(sha3));
	ck_assert_int_eq(store_get(store, "case", c, &r, &err),
	    NCEN_ENOTFOUND);
	/* Its steps went with it; case 2 and the attachment stay. */
	for (id = 1; id <= 3; id++)
		ck_assert_int_eq(store_get(store, WORKFLOW_FORM, id, &r, &err),
		    NCEN_ENOTFOUND);
	ck_assert_int_eq(store_get(store, "case", c2, &r, &err), NCEN_OK);
	record_free(r);
	r = NULL;
	/* The same entry again: the case is gone. */
	ck_assert_int_eq(retention_apply(store, NULL, &l.v[1], "sue", now,
	    &res, &err), NCEN_ENOTFOUND);
	retention_list_free(&l);

	/* Anonymised, unlinked now: not due again. */
	due(NULL, ten_years(now) * 2, NULL, &out);
	ck_assert_str_eq(buf_cstr(&out), "");

	memset(&af, 0, sizeof af);
	af.action = "retention.";
	buf_reset(&out);
	ck_assert(audit_scan(store, &af, count_entry, &out, &err) == NCEN_OK);
	ck_assert_str_eq(buf_cstr(&out), "retention.anonymise person:1|"
	    "retention.delete case:1|");
	af.action = "record.delete";
	buf_reset(&out);
	ck_assert(audit_scan(store, &af, count_entry, &out, &err) == NCEN_OK);
	for (i = 0, at = buf_cstr(&out); (at = strstr(at, "attachment:")) !=
	    NULL; at++)
		i++;
	ck_assert_uint_eq(i, 3);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "transition:3|"));
	ck_assert_ptr_nonnull(strstr(buf_cstr(&out), "case:1|"));
	ck_assert_int_eq(audit_verify(store, NULL, &err), NCEN_OK);
	buf_free(&out);
	ncen_err_free(&err);
}
END_TEST

/*
 * A record changed since it was listed, linked to an open case, is no
 * longer due: NCEN_ECONFLICT and nothing changes; nor may an account
 * without the right apply.
 */
START_TEST(test_apply_changed)
{
	struct retention_list	 l;
	struct retention_result	 res;
	struct auth_account	 a;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct record		*before = NULL, *after = NULL;
	uint64_t		 c, c2, p;
	int64_t			 now = ten_years(WHEN);

	c = make_case("FRCDG01");
	p = make_person("DUPONT");
	link_case(c, "person", p);
	close_case(c, WHEN);
	ck_assert_int_eq(retention_due_list(store, NULL, "person", now, &l,
	    &err), NCEN_OK);
	ck_assert_uint_eq(l.n, 1);

	memset(&a, 0, sizeof a);
	a.name = "bob";
	a.roles = AUTH_R_OFFICER;
	ck_assert_int_eq(retention_apply(store, &a, &l.v[0], "bob", now, &res,
	    &err), NCEN_EINVALID);

	c2 = make_case("FRCDG01");
	link_case(c2, "person", p);
	ck_assert(store_get(store, "person", p, &before, &err) == NCEN_OK);
	ck_assert_int_eq(retention_apply(store, NULL, &l.v[0], "sue", now,
	    &res, &err), NCEN_ECONFLICT);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "no longer due"));
	ck_assert(store_get(store, "person", p, &after, &err) == NCEN_OK);
	ck_assert(record_equal(before, after));
	record_free(before);
	record_free(after);
	retention_list_free(&l);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("retention");
	TCase	*tc = tcase_create("retention");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_parse, 0, NELEM(retain_cases));
	tcase_add_test(tc, test_parse_parts);
	tcase_add_test(tc, test_end);
	tcase_add_test(tc, test_due_closed);
	tcase_add_test(tc, test_due_reopened);
	tcase_add_test(tc, test_due_unlinked);
	tcase_add_test(tc, test_due_left_out);
	tcase_add_test(tc, test_due_offices);
	tcase_add_test(tc, test_apply);
	tcase_add_test(tc, test_apply_changed);
	suite_add_tcase(s, tc);
	return test_run(s);
}
