/*
 * check_workflow.c - the case workflow: every step the table allows,
 * every refusal with its message (the role matrix cell by cell),
 * required fields at submission and not while drafting, the history,
 * version conflicts; and workflow_shareable().
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* 2026-11-27T09:00:00Z: steps in tests happen then, so `at` is known. */
#define WHEN	1795770000

static char		*home;
static struct schema	*schema;
static struct store	*store;

/* A fresh data directory with the build tree's forms. */
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

/* Store a record (store_txn_fn). */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, arg, "carol", err);
}

/* Store a case in a status, complete or not; returns its id. */
static uint64_t
make_case(const char *status, int complete)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = record_new(schema_form_find(schema, "case"));
	uint64_t	 id;

	record_set(r, "status", status, NULL);
	record_set(r, "office", "FRCDG01", NULL);
	record_set(r, "country", "FR", NULL);
	record_set(r, "direction", "IMP", NULL);
	if (complete)
		record_set(r, "date", "2026-11-05", NULL);
	ck_assert_msg(store_run(store, put_fn, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	id = r->id;
	record_free(r);
	ncen_err_free(&err);
	return id;
}

/* Read a case back. */
static struct record *
get_case(uint64_t id)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = NULL;

	ck_assert_msg(store_get(store, "case", id, &r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
	return r;
}

/* Take a step; returns the code, the message in msg (may be NULL). */
static int
step(uint64_t id, const char *action, const char *user, const char *role,
    const char *reason, uint32_t version, struct workflow_result *res,
    struct buf *msg)
{
	struct workflow_request	 req;
	struct workflow_result	 dummy;
	struct ncen_err		 err = NCEN_ERR_INIT;
	int			 rc;

	memset(&req, 0, sizeof req);
	req.case_id = id;
	req.action = action;
	req.user = user;
	req.role = role;
	req.reason = reason;
	req.version = version;
	req.when = WHEN;
	rc = workflow_apply(store, &req, res != NULL ? res : &dummy, &err);
	if (msg != NULL) {
		buf_reset(msg);
		buf_adds(msg, ncen_err_msg(&err));
	}
	ncen_err_free(&err);
	return rc;
}

/* Collect a case's history as "from>to user role reason" lines. */
static int
history_line(const struct record *r, void *arg)
{
	const char	*reason = record_get(r, "reason");

	buf_addf(arg, "%s>%s %s %s %s %s\n", record_get(r, "from"),
	    record_get(r, "to"), record_get(r, "user"), record_get(r, "role"),
	    record_get(r, "at"), reason != NULL ? reason : "-");
	return 0;
}

/* The history of a case as text. */
static void
history(uint64_t id, struct buf *out)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	buf_reset(out);
	ck_assert_msg(workflow_history(store, id, history_line, out, &err) ==
	    NCEN_OK, "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* The whole way: submit, validate, close, with versions and statuses. */
START_TEST(test_forward)
{
	struct workflow_result	 res;
	struct buf		 msg = BUF_INIT;
	struct record		*r;
	uint64_t		 id = make_case("draft", 1);

	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 1, &res,
	    &msg), NCEN_OK);
	ck_assert_str_eq(res.from, "draft");
	ck_assert_str_eq(res.to, "submitted");
	ck_assert_uint_eq(res.version, 2);
	ck_assert_uint_ne(res.transition, 0);
	ck_assert_int_eq(step(id, "validate", "sue", "supervisor", NULL, 2,
	    &res, &msg), NCEN_OK);
	ck_assert_str_eq(res.to, "validated");
	r = get_case(id);
	ck_assert_str_eq(workflow_status(r), "validated");
	ck_assert_uint_eq(r->version, 3);
	ck_assert_str_eq(r->muser, "sue");
	ck_assert_int_eq(workflow_shareable(r), 1);
	record_free(r);
	ck_assert_int_eq(step(id, "close", "sue", "supervisor", NULL, 0, &res,
	    &msg), NCEN_OK);
	r = get_case(id);
	ck_assert_str_eq(workflow_status(r), "closed");
	ck_assert_int_eq(workflow_shareable(r), 1);
	record_free(r);
	buf_free(&msg);
}
END_TEST

/* Numbering: the next of its office and year, at the first step or in a
 * transaction that calls workflow_number; a case with one keeps it. */
static int
number_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = arg;
	int		 error;

	if ((error = workflow_number(t, r, err)) != NCEN_OK)
		return error;
	return store_put(t, r, "carol", err);
}

START_TEST(test_number)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r, *n;
	uint64_t	 a = make_case("draft", 1), b = make_case("draft", 1);
	uint64_t	 nodate = make_case("draft", 0);

	ck_assert_int_eq(step(b, "submit", "bob", "officer", NULL, 0, NULL,
	    NULL), NCEN_OK);
	ck_assert_int_eq(step(a, "submit", "bob", "officer", NULL, 0, NULL,
	    NULL), NCEN_OK);
	r = get_case(b);
	ck_assert_str_eq(record_get(r, "number"), "FR-CDG01-2026-000001");
	record_free(r);
	r = get_case(a);
	ck_assert_str_eq(record_get(r, "number"), "FR-CDG01-2026-000002");
	/* Another step keeps the number. */
	ck_assert_int_eq(step(a, "validate", "sue", "supervisor", NULL, 0,
	    NULL, NULL), NCEN_OK);
	record_free(r);
	r = get_case(a);
	ck_assert_str_eq(record_get(r, "number"), "FR-CDG01-2026-000002");
	record_free(r);
	/* Without a date there is no year: no number yet. */
	r = get_case(nodate);
	ck_assert_ptr_null(record_get(r, "number"));
	record_free(r);
	/* A new case stored through workflow_number takes the next; a
	 * case of another year starts again at 1. */
	n = record_new(schema_form_find(schema, "case"));
	record_set(n, "office", "FRCDG01", NULL);
	record_set(n, "date", "2026-12-01", NULL);
	ck_assert_msg(store_run(store, number_fn, n, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_str_eq(record_get(n, "number"), "FR-CDG01-2026-000003");
	record_free(n);
	n = record_new(schema_form_find(schema, "case"));
	record_set(n, "office", "FRCDG01", NULL);
	record_set(n, "date", "2027-01-02", NULL);
	ck_assert_msg(store_run(store, number_fn, n, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_str_eq(record_get(n, "number"), "FR-CDG01-2027-000001");
	record_free(n);
	ncen_err_free(&err);
}
END_TEST

/* A supervisor may submit too; reopening from each later status. */
START_TEST(test_reopen)
{
	static const char	*from[] = { "submitted", "validated", "closed" };
	struct workflow_result	 res;
	struct record		*r;
	uint64_t		 id;
	size_t			 i;

	for (i = 0; i < NELEM(from); i++) {
		id = make_case(from[i], 1);
		ck_assert_int_eq(step(id, "reopen", "sue", "supervisor",
		    "wrong weight", 0, &res, NULL), NCEN_OK);
		ck_assert_str_eq(res.from, from[i]);
		ck_assert_str_eq(res.to, "draft");
		r = get_case(id);
		ck_assert_str_eq(workflow_status(r), "draft");
		ck_assert_int_eq(workflow_shareable(r), 0);
		record_free(r);
		ck_assert_int_eq(step(id, "submit", "sue", "supervisor", NULL,
		    0, &res, NULL), NCEN_OK);
	}
}
END_TEST

/* Every refusal: its kind and message; the case stays as it was. */
static const struct {
	const char		*status;
	int			 complete;
	const char		*action;
	const char		*role;
	const char		*reason;
	enum workflow_refusal	 why;
	const char		*message;
} refusals[] = {
	{ "draft", 1, "validate", "supervisor", NULL, WORKFLOW_STATUS,
	  "case 1 is draft: only a submitted case can be validated" },
	{ "draft", 1, "close", "supervisor", NULL, WORKFLOW_STATUS,
	  "case 1 is draft: only a validated case can be closed" },
	{ "draft", 1, "reopen", "supervisor", "x", WORKFLOW_STATUS,
	  "case 1 is draft: only a submitted, validated or closed case can "
	  "be reopened" },
	{ "submitted", 1, "submit", "officer", NULL, WORKFLOW_STATUS,
	  "case 1 is submitted: only a draft case can be submitted" },
	{ "submitted", 1, "close", "supervisor", NULL, WORKFLOW_STATUS,
	  "case 1 is submitted: only a validated case can be closed" },
	{ "validated", 1, "validate", "supervisor", NULL, WORKFLOW_STATUS,
	  "case 1 is validated: only a submitted case can be validated" },
	{ "closed", 1, "close", "supervisor", NULL, WORKFLOW_STATUS,
	  "case 1 is closed: only a validated case can be closed" },
	{ "closed", 1, "submit", "officer", NULL, WORKFLOW_STATUS,
	  "case 1 is closed: only a draft case can be submitted" },
	{ "draft", 1, "submit", "analyst", NULL, WORKFLOW_ROLE,
	  "case 1 is draft: only an officer or a supervisor can submit it, "
	  "and who is an analyst" },
	{ "submitted", 1, "validate", "officer", NULL, WORKFLOW_ROLE,
	  "case 1 is submitted: only a supervisor can validate it, and who "
	  "is an officer" },
	{ "validated", 1, "close", "officer", NULL, WORKFLOW_ROLE,
	  "case 1 is validated: only a supervisor can close it, and who is "
	  "an officer" },
	{ "closed", 1, "reopen", "officer", "x", WORKFLOW_ROLE,
	  "case 1 is closed: only a supervisor can reopen it, and who is "
	  "an officer" },
	{ "closed", 1, "reopen", "supervisor", NULL, WORKFLOW_REASON,
	  "case 1 is closed: reopening it needs a reason" },
	{ "validated", 1, "reopen", "supervisor", "", WORKFLOW_REASON,
	  "case 1 is validated: reopening it needs a reason" },
	{ "draft", 0, "submit", "officer", NULL, WORKFLOW_INCOMPLETE,
	  "case 1 is draft: it cannot be submitted until it is complete: "
	  "date: expected a value (the field is required), found none" },
	{ "submitted", 0, "validate", "supervisor", NULL, WORKFLOW_INCOMPLETE,
	  "case 1 is submitted: it cannot be validated until it is "
	  "complete: date: expected a value" },
};

START_TEST(test_refusal)
{
	struct workflow_result	 res;
	struct buf		 msg = BUF_INIT, h = BUF_INIT;
	struct record		*before, *after;
	uint64_t		 id;

	id = make_case(refusals[_i].status, refusals[_i].complete);
	ck_assert_uint_eq(id, 1);
	before = get_case(id);
	ck_assert_int_eq(step(id, refusals[_i].action, "who",
	    refusals[_i].role, refusals[_i].reason, 0, &res, &msg),
	    NCEN_EINVALID);
	ck_assert_int_eq(res.refusal, refusals[_i].why);
	ck_assert_msg(strncmp(msg.s, refusals[_i].message,
	    strlen(refusals[_i].message)) == 0, "got '%s'", msg.s);
	after = get_case(id);
	ck_assert_int_eq(record_equal(before, after), 1);
	history(id, &h);
	ck_assert_uint_eq(h.len, 0);
	record_free(before);
	record_free(after);
	buf_free(&msg);
	buf_free(&h);
}
END_TEST

/* The role matrix, cell by cell: who may take each step. */
static const struct {
	const char	*action;
	const char	*from;
	const char	*allowed[5];	/* the roles that may, NULL-ended */
} matrix[] = {
	{ "submit", "draft", { "officer", "supervisor" } },
	{ "validate", "submitted", { "supervisor" } },
	{ "close", "validated", { "supervisor" } },
	{ "reopen", "submitted", { "supervisor" } },
	{ "reopen", "validated", { "supervisor" } },
	{ "reopen", "closed", { "supervisor" } },
};
static const char *roles[] = {
	"officer", "supervisor", "analyst", "ncp", "admin",
};

START_TEST(test_matrix)
{
	struct workflow_result	 res;
	size_t			 i, j, k;
	int			 allowed, rc;
	uint64_t		 id;

	for (i = 0; i < NELEM(matrix); i++) {
		for (j = 0; j < NELEM(roles); j++) {
			allowed = 0;
			for (k = 0; k < 5 && matrix[i].allowed[k] != NULL; k++)
				if (strcmp(matrix[i].allowed[k], roles[j]) == 0)
					allowed = 1;
			id = make_case(matrix[i].from, 1);
			rc = step(id, matrix[i].action, "u", roles[j], "r", 0,
			    &res, NULL);
			ck_assert_msg(rc == (allowed ? NCEN_OK : NCEN_EINVALID),
			    "%s from %s as %s: %d", matrix[i].action,
			    matrix[i].from, roles[j], rc);
			if (!allowed)
				ck_assert_int_eq(res.refusal, WORKFLOW_ROLE);
		}
	}
}
END_TEST

/* Required fields: a draft may lack them, submission may not. */
START_TEST(test_required_at_submit)
{
	struct workflow_result	 res;
	struct buf		 problems = BUF_INIT;
	struct record		*r;
	uint64_t		 id = make_case("draft", 0);

	r = get_case(id);
	ck_assert_int_eq(schema_validate(schema, r, SCHEMA_DRAFT, NULL, NULL,
	    &problems), NCEN_OK);
	ck_assert_int_eq(schema_validate(schema, r, SCHEMA_SUBMIT, NULL, NULL,
	    &problems), NCEN_EINVALID);
	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 0, &res,
	    NULL), NCEN_EINVALID);
	ck_assert_int_eq(res.refusal, WORKFLOW_INCOMPLETE);
	record_free(r);
	buf_free(&problems);
}
END_TEST

/* Update a record (store_txn_fn). */
static int
update_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_update(t, arg, "bob", err);
}

/* Once the officer fills the field in, the submission goes through. */
START_TEST(test_complete_then_submit)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r;
	uint64_t	 id = make_case("draft", 0);

	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 0, NULL,
	    NULL), NCEN_EINVALID);
	r = get_case(id);
	record_set(r, "date", "2026-11-06", NULL);
	ck_assert_msg(store_run(store, update_fn, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, r->version,
	    NULL, NULL), NCEN_OK);
	record_free(r);
	ncen_err_free(&err);
}
END_TEST

/* Each step is remembered: who, in which role, when, from, to, why. */
START_TEST(test_history)
{
	struct buf	h = BUF_INIT;
	uint64_t	id = make_case("draft", 1), other = make_case("draft", 1);

	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 0, NULL,
	    NULL), NCEN_OK);
	ck_assert_int_eq(step(other, "submit", "ann", "officer", NULL, 0,
	    NULL, NULL), NCEN_OK);
	ck_assert_int_eq(step(id, "validate", "sue", "supervisor", NULL, 0,
	    NULL, NULL), NCEN_OK);
	ck_assert_int_eq(step(id, "reopen", "sue", "supervisor", "lab report",
	    0, NULL, NULL), NCEN_OK);
	ck_assert_int_eq(step(id, "validate", "sue", "supervisor", NULL, 0,
	    NULL, NULL), NCEN_EINVALID);
	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 0, NULL,
	    NULL), NCEN_OK);
	history(id, &h);
	ck_assert_str_eq(h.s,
	    "draft>submitted bob officer 2026-11-27T09:00 -\n"
	    "submitted>validated sue supervisor 2026-11-27T09:00 -\n"
	    "validated>draft sue supervisor 2026-11-27T09:00 lab report\n"
	    "draft>submitted bob officer 2026-11-27T09:00 -\n");
	history(other, &h);
	ck_assert_str_eq(h.s,
	    "draft>submitted ann officer 2026-11-27T09:00 -\n");
	buf_free(&h);
}
END_TEST

/* A step based on an older version is refused, naming who changed it. */
START_TEST(test_conflict)
{
	struct buf	 msg = BUF_INIT, h = BUF_INIT;
	struct record	*r;
	uint64_t	 id = make_case("draft", 1);

	ck_assert_int_eq(step(id, "submit", "bob", "officer", NULL, 1, NULL,
	    &msg), NCEN_OK);
	/* Sue still looks at version 1. */
	ck_assert_int_eq(step(id, "reopen", "sue", "supervisor", "x", 1, NULL,
	    &msg), NCEN_ECONFLICT);
	ck_assert_msg(strstr(msg.s, "case 1 was changed by bob") != NULL &&
	    strstr(msg.s, "(version 2) after you opened version 1") != NULL,
	    "got '%s'", msg.s);
	r = get_case(id);
	ck_assert_uint_eq(r->version, 2);
	ck_assert_str_eq(workflow_status(r), "submitted");
	record_free(r);
	history(id, &h);
	ck_assert_str_eq(h.s,
	    "draft>submitted bob officer 2026-11-27T09:00 -\n");
	buf_free(&msg);
	buf_free(&h);
}
END_TEST

/* Usage errors: unknown action or role, no user, no such case. */
START_TEST(test_usage)
{
	struct buf	msg = BUF_INIT;
	uint64_t	id = make_case("draft", 1);

	ck_assert_int_eq(step(id, "approve", "bob", "officer", NULL, 0, NULL,
	    &msg), NCEN_EUSAGE);
	ck_assert_str_eq(msg.s, "unknown action 'approve' (submit, validate, "
	    "close or reopen)");
	ck_assert_int_eq(step(id, "submit", "bob", "chief", NULL, 0, NULL,
	    &msg), NCEN_EUSAGE);
	ck_assert_msg(strstr(msg.s, "unknown role 'chief'") != NULL, "%s",
	    msg.s);
	ck_assert_int_eq(step(id, "submit", "", "officer", NULL, 0, NULL,
	    &msg), NCEN_EUSAGE);
	ck_assert_int_eq(step(99, "submit", "bob", "officer", NULL, 0, NULL,
	    &msg), NCEN_ENOTFOUND);
	ck_assert_msg(strstr(msg.s, "99") != NULL, "%s", msg.s);
	ck_assert_int_eq(workflow_action_known("close"), 1);
	ck_assert_int_eq(workflow_action_known("history"), 0);
	ck_assert_int_eq(workflow_role_known("ncp"), 1);
	ck_assert_int_eq(workflow_role_known(NULL), 0);
	buf_free(&msg);
}
END_TEST

/* Shareable: validated and closed cases only; nothing but cases. */
START_TEST(test_shareable)
{
	static const struct {
		const char	*status;
		int		 shareable;
	} cases[] = {
		{ NULL, 0 }, { "draft", 0 }, { "submitted", 0 },
		{ "validated", 1 }, { "closed", 1 },
	};
	struct record	*r;
	size_t		 i;

	for (i = 0; i < NELEM(cases); i++) {
		r = record_new(schema_form_find(schema, "case"));
		record_set(r, "status", cases[i].status, NULL);
		ck_assert_int_eq(workflow_shareable(r), cases[i].shareable);
		if (cases[i].status == NULL)
			ck_assert_str_eq(workflow_status(r), "draft");
		record_free(r);
	}
	r = record_new(schema_form_find(schema, "seizure"));
	ck_assert_int_eq(workflow_shareable(r), 0);
	ck_assert_int_eq(workflow_shareable(NULL), 0);
	record_free(r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("workflow");
	TCase	*tc = tcase_create("steps");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_forward);
	tcase_add_test(tc, test_number);
	tcase_add_test(tc, test_reopen);
	tcase_add_loop_test(tc, test_refusal, 0, NELEM(refusals));
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_required_at_submit);
	tcase_add_test(tc, test_complete_then_submit);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_conflict);
	tcase_add_test(tc, test_usage);
	tcase_add_test(tc, test_shareable);
	suite_add_tcase(s, tc);
	return test_run(s);
}
