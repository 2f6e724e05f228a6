/*
 * check_report.c - the case report (report-case.c): its shape for a
 * line printer (80 columns, 66-line pages each under its header, form
 * feeds between them), labels in the reader's language, need to know
 * (an unseen case refused, an unseen linked record left out and
 * counted), its audit entry; and the statistical return stored as a
 * case and its seizure line (statcase.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "record.h"
#include "report.h"
#include "schema.h"
#include "statcase.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

/* Seizure lines of the big case: enough for several pages. */
#define NSEIZURES	30

static char		*home;
static struct schema	*schema;
static struct store	*st;
static uint64_t		 case_a, case_b, inv;

/* Set a field or fail the test. */
static void
set(struct record *r, const char *name, const char *value)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	ck_assert_msg(record_set(r, name, value, &e) == NCEN_OK, "%s.%s: %s",
	    r->form->name, name, ncen_err_msg(&e));
	ncen_err_free(&e);
}

/* Store one record (store_run's callback). */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	return store_put(t, arg, "test", e);
}

/* Store a record and free it; its id. */
static uint64_t
put(struct record *r)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	uint64_t	id;

	ck_assert_msg(store_run(st, put_fn, r, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	id = r->id;
	record_free(r);
	ncen_err_free(&e);
	return id;
}

/* Link a case to another record with a role (store_run's callback). */
static int
link_fn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct store_ref	*refs = arg;

	return store_link_add(t, refs[0], refs[1], "SUSPECT", e);
}

/* Link a case to another record. */
static void
link(uint64_t caseid, const char *entity, uint64_t id)
{
	struct ncen_err		e = NCEN_ERR_INIT;
	struct store_ref	refs[2] = { { "case", caseid }, { entity, id } };

	ck_assert_msg(store_run(st, link_fn, refs, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ncen_err_free(&e);
}

/* A new record of a form. */
static struct record *
make(const char *entity)
{
	const struct schema_form	*f = schema_form_find(schema, entity);

	ck_assert_msg(f != NULL, "no form %s", entity);
	return record_new(f);
}

/* A case of an office and an officer. */
static uint64_t
make_case(const char *number, const char *office, const char *officer,
    const char *narrative)
{
	struct record	*r = make("case");

	set(r, "number", number);
	set(r, "date", "2026-11-05");
	set(r, "office", office);
	set(r, "country", "FR");
	set(r, "direction", "IMP");
	set(r, "transport", "4");
	set(r, "officer", officer);
	if (narrative != NULL)
		set(r, "narrative", narrative);
	return put(r);
}

/* The world: case A (off_a's) with many seizure lines, a person and an
 * investigation of case B (off_b's) linked to it. */
static void
setup(void)
{
	struct record	*r;
	char		 num[32];
	int		 i;

	test_store_open(&home, &schema, &st);
	case_a = make_case("FR-CDG01-2026-000001", "FRCDG01", "off_a",
	    "Une très longue histoire, écrite à la main par l'agent, "
	    "qui continue encore et encore pour remplir plusieurs lignes "
	    "du rapport imprimé, avec des accents partout: é è à ç ù. "
	    "Puis un mot sans fin: "
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ"
	    "KLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ. Fin.");
	case_b = make_case("FR-MRS01-2026-000001", "FRMRS01", "off_b", NULL);
	snprintf(num, sizeof num, "%llu", (unsigned long long)case_a);
	for (i = 0; i < NSEIZURES; i++) {
		r = make("seizure");
		set(r, "case", num);
		set(r, "commodity", "DRUG");
		set(r, "commodity_type", "DRUG-COC");
		set(r, "quantity", "1.5");
		set(r, "unit", "KGM");
		(void)put(r);
	}
	r = make("person");
	set(r, "family_name", "Okafor");
	link(case_a, "person", put(r));
	r = make("investigation");
	set(r, "title", "Operation Nightjar");
	set(r, "status", "OPEN");
	set(r, "opened", "2026-11-01");
	set(r, "officers", "off_b");
	snprintf(num, sizeof num, "%llu", (unsigned long long)case_b);
	set(r, "cases", num);
	inv = put(r);
	link(case_a, "investigation", inv);
}

/* Close it. */
static void
teardown(void)
{
	test_store_close(home, schema, st);
}

/* An officer's account, the caller's to free. */
static struct auth_account *
officer(const char *name)
{
	struct auth_account	*a = xcalloc(1, sizeof *a);

	a->name = xstrdup(name);
	a->roles = AUTH_R_OFFICER;
	return a;
}

/* Characters (not bytes) of a line. */
static size_t
width(const char *s, size_t len)
{
	size_t	i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* A report of case A by the service account. */
static void
report(uint64_t id, enum schema_lang lang, struct buf *out,
    struct report_result *res)
{
	struct report_opts	o;
	struct ncen_err		e = NCEN_ERR_INIT;

	memset(&o, 0, sizeof o);
	o.lang = lang;
	o.user = "tester";
	o.now = 1796000000;
	ck_assert_msg(report_case(st, id, &o, out, res, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ncen_err_free(&e);
}

/* Pages of 66 lines at most, each under its header, lines of 80 at most. */
START_TEST(test_report_shape)
{
	struct report_result	 res;
	struct buf		 out = BUF_INIT, head = BUF_INIT;
	const char		*s, *nl, *page;
	unsigned		 pages = 0, lines;
	size_t			 ff = 0;

	report(case_a, SCHEMA_EN, &out, &res);
	ck_assert_uint_ge(res.pages, 2);
	ck_assert_str_eq(buf_cstr(&res.number), "FR-CDG01-2026-000001");
	for (page = out.s; page != NULL; ) {
		pages++;
		buf_reset(&head);
		buf_addf(&head, "Case report FR-CDG01-2026-000001");
		ck_assert_msg(strncmp(page, head.s, head.len) == 0,
		    "page %u starts with: %.40s", pages, page);
		nl = strchr(page, '\n');
		buf_reset(&head);
		buf_addf(&head, "Page %u of %u\n", pages, res.pages);
		ck_assert_msg(nl != NULL && (size_t)(nl + 1 - page) >=
		    head.len && strncmp(nl + 1 - head.len, head.s, head.len)
		    == 0, "page %u's header ends with its number", pages);
		lines = 0;
		for (s = page; *s != '\0' && *s != '\f'; s = nl + 1) {
			ck_assert((nl = strchr(s, '\n')) != NULL);
			ck_assert_msg(width(s, (size_t)(nl - s)) <= REPORT_COLS,
			    "line wider than 80: %.*s", (int)(nl - s), s);
			lines++;
		}
		ck_assert_msg(lines <= REPORT_LINES, "page %u: %u lines",
		    pages, lines);
		if (*s == '\f') {
			ff++;
			page = s + 1;
		} else
			page = NULL;
	}
	ck_assert_uint_eq(pages, res.pages);
	ck_assert_uint_eq(ff, res.pages - 1);
	ck_assert_int_eq(res.nominal, 1);	/* the officer, the person */
	ck_assert_uint_eq(res.hidden, 0);
	ck_assert(strstr(out.s, "Seizure line 30 (record") != NULL);
	ck_assert(strstr(out.s, "Operation Nightjar") != NULL);
	/* The long word is cut, all of it kept. */
	ck_assert(strstr(out.s, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGH") != NULL);
	ck_assert(strstr(out.s, "Fin.") != NULL);
	report_result_free(&res);
	buf_free(&out);
	buf_free(&head);
}
END_TEST

/* A shorter page is honoured: more pages. */
START_TEST(test_report_page_length)
{
	struct report_opts	o;
	struct report_result	res, res2;
	struct buf		out = BUF_INIT, out2 = BUF_INIT;
	struct ncen_err		e = NCEN_ERR_INIT;

	report(case_a, SCHEMA_EN, &out, &res);
	memset(&o, 0, sizeof o);
	o.lines = 24;
	o.user = "tester";
	ck_assert(report_case(st, case_a, &o, &out2, &res2, &e) == NCEN_OK);
	ck_assert_uint_gt(res2.pages, res.pages);
	report_result_free(&res);
	report_result_free(&res2);
	buf_free(&out);
	buf_free(&out2);
	ncen_err_free(&e);
}
END_TEST

/* Labels in the reader's language, never the codes. */
START_TEST(test_report_labels)
{
	struct report_result	res;
	struct buf		out = BUF_INIT;

	report(case_a, SCHEMA_FR, &out, &res);
	ck_assert(strstr(out.s, "Bureau de douane:") != NULL);
	ck_assert(strstr(out.s, "Transport aérien") != NULL);
	ck_assert(strstr(out.s, "Cocaïne") != NULL);
	ck_assert(strstr(out.s, "FRCDG01") == NULL);
	ck_assert(strstr(out.s, "DRUG-COC") == NULL);
	report_result_free(&res);
	buf_reset(&out);
	report(case_a, SCHEMA_EN, &out, &res);
	ck_assert(strstr(out.s, "Customs office:") != NULL);
	ck_assert(strstr(out.s, "Air transport") != NULL);
	ck_assert(strstr(out.s, "Suspect: Person") != NULL);
	report_result_free(&res);
	buf_free(&out);
}
END_TEST

/* An officer sees her case, not the investigation of someone else's. */
START_TEST(test_report_need_to_know)
{
	struct auth_account	*a = officer("off_a"), *b = officer("off_b");
	struct report_opts	 o;
	struct report_result	 res;
	struct buf		 out = BUF_INIT;
	struct ncen_err		 e = NCEN_ERR_INIT;

	memset(&o, 0, sizeof o);
	o.acct = a;
	o.user = a->name;
	ck_assert_msg(report_case(st, case_a, &o, &out, &res, &e) == NCEN_OK,
	    "%s", ncen_err_msg(&e));
	ck_assert_uint_eq(res.hidden, 1);
	ck_assert(strstr(out.s, "Operation Nightjar") == NULL);
	ck_assert(strstr(out.s, "1 linked record is left out") != NULL);
	ck_assert(strstr(out.s, "Okafor") != NULL);
	report_result_free(&res);
	/* off_b does not see case A at all: nothing is written. */
	buf_reset(&out);
	o.acct = b;
	o.user = b->name;
	ck_assert_int_eq(report_case(st, case_a, &o, &out, &res, &e),
	    NCEN_EINVALID);
	ck_assert(strstr(ncen_err_msg(&e), "not yours to see") != NULL);
	ck_assert_uint_eq(out.len, 0);
	report_result_free(&res);
	ncen_err_clear(&e);
	ck_assert_int_eq(report_case(st, 999, &o, &out, &res, &e),
	    NCEN_ENOTFOUND);
	ck_assert_uint_eq(out.len, 0);
	report_result_free(&res);
	auth_account_free(a);
	auth_account_free(b);
	buf_free(&out);
	ncen_err_free(&e);
}
END_TEST

/* audit_scan callback: keep the last case.print entry's fields. */
static int
audit_keep(const struct audit_entry *a, void *arg)
{
	struct buf	*b = arg;

	buf_reset(b);
	buf_addf(b, "%s|%s|%s|%s", a->user, a->action, a->record, a->details);
	return 0;
}

/* The printing is audited: who, which case, how many pages. */
START_TEST(test_report_audit)
{
	struct report_result	res;
	struct audit_filter	f;
	struct buf		out = BUF_INIT, got = BUF_INIT, want = BUF_INIT;
	struct ncen_err		e = NCEN_ERR_INIT;

	report(case_a, SCHEMA_EN, &out, &res);
	ck_assert(report_case_audit(st, "off_a", case_a, "text", &res, &e) ==
	    NCEN_OK);
	memset(&f, 0, sizeof f);
	f.action = "case.print";
	ck_assert(audit_scan(st, &f, audit_keep, &got, &e) == NCEN_OK);
	buf_addf(&want, "off_a|case.print|case:%llu|number "
	    "FR-CDG01-2026-000001, text, %u pages, 0 linked records left out",
	    (unsigned long long)case_a, res.pages);
	ck_assert_str_eq(buf_cstr(&got), buf_cstr(&want));
	report_result_free(&res);
	buf_free(&out);
	buf_free(&got);
	buf_free(&want);
	ncen_err_free(&e);
}
END_TEST

/* What statcase_store is given and makes. */
struct statcase_arg {
	struct record	*ret;
	struct record	*made[2];
};

/* Store a return (store_run's callback). */
static int
statcase_fn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct statcase_arg	*a = arg;

	record_free(a->made[0]);
	record_free(a->made[1]);
	return statcase_store(t, schema, a->ret, "off_a", a->made, e);
}

/* A statistical return becomes a numbered case and its seizure line. */
START_TEST(test_statcase)
{
	struct statcase_arg	 a;
	struct record		*c, *s;
	struct ncen_err		 e = NCEN_ERR_INIT;
	char			 num[32];

	memset(&a, 0, sizeof a);
	a.ret = make(STATCASE_FORM);
	set(a.ret, "date", "2026-03-01");
	set(a.ret, "office", "FRCDG01");
	set(a.ret, "country", "FR");
	set(a.ret, "direction", "IMP");
	set(a.ret, "departure", "CO");
	set(a.ret, "detection", "XRAY");
	set(a.ret, "commodity", "DRUG");
	set(a.ret, "commodity_type", "DRUG-COC");
	set(a.ret, "quantity", "2.5");
	set(a.ret, "unit", "KGM");
	ck_assert_msg(store_run(st, statcase_fn, &a, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ck_assert(store_get(st, "case", a.made[0]->id, &c, &e) == NCEN_OK);
	ck_assert(store_get(st, "seizure", a.made[1]->id, &s, &e) == NCEN_OK);
	ck_assert_str_eq(record_get(c, "kind"), STATCASE_KIND);
	ck_assert_str_eq(record_get(c, "officer"), "off_a");
	ck_assert_str_eq(record_get(c, "departure"), "CO");
	ck_assert_str_eq(record_get(c, "detection"), "XRAY");
	ck_assert(strncmp(record_get(c, "number"), "FR-CDG01-2026-", 14) == 0);
	ck_assert(record_get(c, "status") == NULL);	/* a draft */
	ck_assert(record_get(c, "commodity") == NULL);
	snprintf(num, sizeof num, "%llu", (unsigned long long)c->id);
	ck_assert_str_eq(record_get(s, "case"), num);
	ck_assert_str_eq(record_get(s, "commodity_type"), "DRUG-COC");
	ck_assert_str_eq(record_get(s, "quantity"), "2.5");
	ck_assert(record_get(s, "date") == NULL);
	record_free(c);
	record_free(s);
	record_free(a.ret);
	record_free(a.made[0]);
	record_free(a.made[1]);
	ncen_err_free(&e);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("report");
	TCase	*tc = tcase_create("case");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_report_shape);
	tcase_add_test(tc, test_report_page_length);
	tcase_add_test(tc, test_report_labels);
	tcase_add_test(tc, test_report_need_to_know);
	tcase_add_test(tc, test_report_audit);
	tcase_add_test(tc, test_statcase);
	suite_add_tcase(s, tc);
	return test_run(s);
}
