/*
 * check_role.c - the role matrix cell by cell: every role and every
 * action, against a table written from the roles as ncenctl(8)
 * describes them (not copied from auth-role.c), then ownership and
 * office limits.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "record.h"
#include "schema.h"
#include "testlib.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/*
 * The roles: officer (own cases), supervisor
 * (validates), analyst (reads and reports on all), ncp (partners,
 * agreements, Icomm), admin (accounts).  A cell: 0 never, 1 on the
 * officer's own records only, 2 always.
 */
static const struct {
	const char	*action;
	int		 officer, supervisor, analyst, ncp, admin;
} expected[] = {
	{ "view",		1, 2, 2, 2, 0 },
	{ "view-nominal",	1, 2, 2, 2, 0 },
	{ "create",		2, 2, 0, 0, 0 },
	{ "edit",		1, 2, 0, 0, 0 },
	{ "submit",		1, 2, 0, 0, 0 },
	{ "validate",		0, 2, 0, 0, 0 },
	{ "close",		0, 2, 0, 0, 0 },
	{ "reopen",		0, 2, 0, 0, 0 },
	{ "export",		0, 2, 2, 2, 0 },
	{ "import",		0, 0, 0, 2, 2 },
	{ "link",		1, 2, 0, 0, 0 },	/* a change: as edit */
	{ "attach",		1, 2, 0, 0, 0 },
	{ "accounts",		0, 0, 0, 0, 2 },
	{ "partners",		0, 0, 0, 2, 0 },
	{ "icomm",		0, 0, 0, 2, 0 },
	{ "audit",		0, 2, 0, 0, 2 },
	{ "retention",		0, 2, 0, 0, 0 },
	{ "merge",		0, 2, 2, 2, 0 },
	{ "stats",		0, 2, 2, 2, 0 },
};

static const char *const roles[] = {
	"officer", "supervisor", "analyst", "ncp", "admin"
};

static struct schema	*schema;

/* Load the build tree's forms. */
static void
setup(void)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	char		*dir = test_builddir_path("forms");

	ck_assert_msg(schema_load_dir(dir, &schema, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	free(dir);
	ncen_err_free(&err);
}

/* Free them. */
static void
teardown(void)
{
	schema_free(schema);
}

/* A case of an office with a reporting officer (NULL: none). */
static struct record *
make_case(const char *office, const char *officer)
{
	struct record	*r = record_new(schema_form_find(schema, "case"));

	ck_assert(record_set(r, "office", office, NULL) == NCEN_OK);
	if (officer != NULL)
		ck_assert(record_set(r, "officer", officer, NULL) == NCEN_OK);
	return r;
}

/* The expected cell of a role (index) for an action (row). */
static int
cell(size_t row, size_t role)
{
	const int	v[] = { expected[row].officer, expected[row].supervisor,
	    expected[row].analyst, expected[row].ncp, expected[row].admin };

	return v[role];
}

START_TEST(test_every_action_named)
{
	size_t	i;

	ck_assert_uint_eq(NELEM(expected), AUTH_NACTIONS);
	for (i = 0; i < NELEM(expected); i++) {
		ck_assert_int_ge(auth_action_find(expected[i].action), 0);
		ck_assert_str_eq(auth_action_name((enum auth_action)
		    auth_action_find(expected[i].action)), expected[i].action);
	}
	ck_assert_int_eq(auth_action_find("fly"), -1);
}
END_TEST

/* Every role x every action, on no record, an own one, another's. */
START_TEST(test_matrix)
{
	struct auth_account	 a;
	struct record		*own, *other, *unassigned;
	size_t			 row, role;
	int			 action, c;

	own = make_case("FRCDG01", "bob");
	other = make_case("FRCDG01", "eve");
	unassigned = make_case("FRCDG01", NULL);
	for (row = 0; row < NELEM(expected); row++) {
		action = auth_action_find(expected[row].action);
		for (role = 0; role < NELEM(roles); role++) {
			memset(&a, 0, sizeof a);
			a.name = (char *)(uintptr_t)"bob";
			a.roles = auth_role_bit(roles[role]);
			c = cell(row, role);
			ck_assert_msg(auth_may(&a, action, NULL) == (c != 0),
			    "%s %s (in general)", roles[role],
			    expected[row].action);
			ck_assert_msg(auth_may(&a, action, own) == (c != 0),
			    "%s %s own", roles[role], expected[row].action);
			ck_assert_msg(auth_may(&a, action, unassigned) ==
			    (c != 0), "%s %s unassigned", roles[role],
			    expected[row].action);
			ck_assert_msg(auth_may(&a, action, other) == (c == 2),
			    "%s %s another's", roles[role],
			    expected[row].action);
			ck_assert_msg(((auth_roles_allowed(action) &
			    a.roles) != 0) == (c != 0), "%s %s allowed",
			    roles[role], expected[row].action);
		}
	}
	record_free(own);
	record_free(other);
	record_free(unassigned);
}
END_TEST

/* Several roles: any that allows it; the first such role is named. */
START_TEST(test_several_roles)
{
	struct auth_account	 a;

	memset(&a, 0, sizeof a);
	a.name = (char *)(uintptr_t)"amy";
	a.roles = AUTH_R_OFFICER | AUTH_R_ANALYST;
	ck_assert(auth_may(&a, AUTH_EXPORT, NULL));
	ck_assert_str_eq(auth_role_for(&a, AUTH_EXPORT, NULL), "analyst");
	ck_assert_str_eq(auth_role_for(&a, AUTH_SUBMIT, NULL), "officer");
	ck_assert(!auth_may(&a, AUTH_VALIDATE, NULL));
	a.roles = 0;
	ck_assert(!auth_may(&a, AUTH_VIEW, NULL));
	ck_assert(!auth_may(NULL, AUTH_VIEW, NULL));
}
END_TEST

/* Office limits: records of other offices are refused, for every action. */
START_TEST(test_offices)
{
	struct auth_account	 a;
	struct record		*mine, *theirs;
	char			*offices[] = { "FRCDG01", "FRLEH01" };
	size_t			 row;
	int			 action;

	mine = make_case("FRLEH01", NULL);
	theirs = make_case("FRMRS01", NULL);
	memset(&a, 0, sizeof a);
	a.name = (char *)(uintptr_t)"sue";
	a.roles = AUTH_R_SUPERVISOR;
	a.offices = offices;
	a.noffices = NELEM(offices);
	for (row = 0; row < NELEM(expected); row++) {
		action = auth_action_find(expected[row].action);
		ck_assert(auth_may(&a, action, mine) == (cell(row, 1) != 0));
		ck_assert_msg(!auth_may(&a, action, theirs), "%s",
		    expected[row].action);
	}
	record_free(mine);
	record_free(theirs);
}
END_TEST

/* A disabled account may do nothing. */
START_TEST(test_disabled)
{
	struct auth_account	a;

	memset(&a, 0, sizeof a);
	a.name = (char *)(uintptr_t)"old";
	a.roles = AUTH_R_SUPERVISOR | AUTH_R_ADMIN;
	a.disabled = 1;
	ck_assert(!auth_may(&a, AUTH_VIEW, NULL));
	ck_assert(!auth_may(&a, AUTH_ACCOUNTS, NULL));
}
END_TEST

START_TEST(test_roles_parse)
{
	struct buf	b = BUF_INIT;

	ck_assert_uint_eq(auth_roles_parse("officer,ncp"),
	    AUTH_R_OFFICER | AUTH_R_NCP);
	ck_assert_uint_eq(auth_roles_parse("officer,,ncp"), 0);
	ck_assert_uint_eq(auth_roles_parse("chief"), 0);
	ck_assert_uint_eq(auth_roles_parse(""), 0);
	auth_roles_format(AUTH_R_ADMIN | AUTH_R_SUPERVISOR, &b);
	ck_assert_str_eq(b.s, "supervisor,admin");
	buf_free(&b);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("role");
	TCase	*tc = tcase_create("role");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_action_named);
	tcase_add_test(tc, test_matrix);
	tcase_add_test(tc, test_several_roles);
	tcase_add_test(tc, test_offices);
	tcase_add_test(tc, test_disabled);
	tcase_add_test(tc, test_roles_parse);
	suite_add_tcase(s, tc);
	return test_run(s);
}
