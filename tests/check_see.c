/*
 * check_see.c - need to know cell by cell: for two offices, every role
 * and every kind of record, whether auth_see lets the account see it,
 * against a table written from the rule (visibility follows the cases),
 * and auth_see_ids listing exactly the records auth_see lets through.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "xmalloc.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])

/* The accounts: one per role, officers and a supervisor per office. */
static const struct {
	const char	*name;
	const char	*roles;
	const char	*office;	/* NULL: every office */
} accounts[] = {
	{ "off_cdg",	"officer",	"FRCDG01" },
	{ "off_mrs",	"officer",	"FRMRS01" },
	{ "sup_mrs",	"supervisor",	"FRMRS01" },
	{ "sup_nat",	"supervisor",	NULL },
	{ "ana",	"analyst",	NULL },
	{ "ncp",	"ncp",		NULL },
	{ "adm",	"admin",	NULL },
};
#define NACCOUNTS NELEM(accounts)

/*
 * The records, and who sees each, in the order of accounts[]: off_cdg,
 * off_mrs, sup_mrs, sup_nat, ana, ncp, adm.
 */
enum { CA, CB, SA, SB, PA, PB, PAB, PMINE, PORPHAN, BA, VB, TPA, TPB,
	IA, IB, NRECS };
static const struct {
	const char	*entity;
	const char	*what;
	int		 sees[NACCOUNTS];
} cells[NRECS] = {
	[CA] =	{ "case", "case A (FRCDG01, off_cdg's)", { 1, 0, 0, 1, 1, 1, 0 } },
	[CB] =	{ "case", "case B (FRMRS01, off_mrs's)", { 0, 1, 1, 1, 1, 1, 0 } },
	[SA] =	{ "seizure", "seizure of A",		{ 1, 0, 0, 1, 1, 1, 0 } },
	[SB] =	{ "seizure", "seizure of B",		{ 0, 1, 1, 1, 1, 1, 0 } },
	[PA] =	{ "person", "person linked to A",	{ 1, 0, 0, 1, 1, 1, 0 } },
	[PB] =	{ "person", "person linked to B",	{ 0, 1, 1, 1, 1, 1, 0 } },
	[PAB] =	{ "person", "person linked to A and B", { 1, 1, 1, 1, 1, 1, 0 } },
	[PMINE] = { "person", "unlinked, off_cdg made it", { 1, 0, 0, 1, 1, 1, 0 } },
	[PORPHAN] = { "person", "unlinked, off_mrs made it", { 0, 1, 0, 1, 1, 1, 0 } },
	[BA] =	{ "business", "business linked to A",	{ 1, 0, 0, 1, 1, 1, 0 } },
	[VB] =	{ "conveyance", "conveyance linked to B", { 0, 1, 1, 1, 1, 1, 0 } },
	[TPA] =	{ "attachment", "attachment of person A", { 1, 0, 0, 1, 1, 1, 0 } },
	[TPB] =	{ "attachment", "attachment of person B", { 0, 1, 1, 1, 1, 1, 0 } },
	[IA] =	{ "investigation", "off_cdg assigned",	{ 1, 0, 0, 1, 1, 1, 0 } },
	[IB] =	{ "investigation", "names case B",	{ 0, 1, 1, 1, 1, 1, 0 } },
};

static char		*home;
static struct schema	*schema;
static struct store	*st;
static uint64_t		 ids[NRECS];

/* Set a field or fail the test. */
static void
set(struct record *r, const char *name, const char *value)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	ck_assert_msg(record_set(r, name, value, &e) == NCEN_OK, "%s.%s: %s",
	    r->form->name, name, ncen_err_msg(&e));
	ncen_err_free(&e);
}

/* What put() stores. */
struct put_arg {
	struct record	*r;
	const char	*user;
};

/* Store one record (store_run's callback). */
static int
put_fn(struct store_txn *t, void *varg, struct ncen_err *e)
{
	struct put_arg	*a = varg;

	return store_put(t, a->r, a->user, e);
}

/* Store a record as a user; its id. */
static uint64_t
put(struct record *r, const char *user)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct put_arg	a = { r, user };
	uint64_t	id;

	ck_assert_msg(store_run(st, put_fn, &a, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	id = r->id;
	record_free(r);
	ncen_err_free(&e);
	return id;
}

/* Link two records (store_run's callback). */
static int
link_fn(struct store_txn *t, void *varg, struct ncen_err *e)
{
	struct store_ref	*refs = varg;

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

/* A case of an office and officer. */
static uint64_t
make_case(const char *office, const char *officer)
{
	struct record	*r = make("case");

	set(r, "office", office);
	set(r, "officer", officer);
	set(r, "date", "2026-11-02");
	set(r, "country", "FR");
	return put(r, officer);
}

/* A seizure of a case. */
static uint64_t
make_seizure(uint64_t caseid)
{
	struct record	*r = make("seizure");
	char		 num[24];

	snprintf(num, sizeof num, "%llu", (unsigned long long)caseid);
	set(r, "case", num);
	set(r, "commodity", "TOB");
	set(r, "quantity", "10");
	set(r, "unit", "KGM");
	return put(r, "test");
}

/* A record with one name, made by a user. */
static uint64_t
make_named(const char *entity, const char *field, const char *name,
    const char *user)
{
	struct record	*r = make(entity);

	set(r, field, name);
	set(r, STORE_CREATOR_FIELD, user);	/* as ncen's form sets it */
	return put(r, user);
}

/* An attachment of a person. */
static uint64_t
make_attachment(uint64_t person)
{
	struct record	*r = make("attachment");
	char		 num[24];

	snprintf(num, sizeof num, "%llu", (unsigned long long)person);
	set(r, "entity", "person");
	set(r, "record", num);
	set(r, "kind", "PHOTO");
	set(r, "sha256", "0000000000000000000000000000000000000000000000000000000000000000");
	return put(r, "test");
}

/* An investigation with an officer or a case. */
static uint64_t
make_investigation(const char *officer, uint64_t caseid)
{
	struct record	*r = make("investigation");
	char		 num[24];

	set(r, "title", "Test investigation");
	set(r, "status", "OPEN");
	set(r, "opened", "2026-11-02");
	if (officer != NULL)
		set(r, "officers", officer);
	if (caseid != 0) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)caseid);
		set(r, "cases", num);
	}
	return put(r, "test");
}

/* The world of the table: two cases, their records, unlinked ones. */
static void
setup(void)
{
	test_store_open(&home, &schema, &st);
	ids[CA] = make_case("FRCDG01", "off_cdg");
	ids[CB] = make_case("FRMRS01", "off_mrs");
	ids[SA] = make_seizure(ids[CA]);
	ids[SB] = make_seizure(ids[CB]);
	ids[PA] = make_named("person", "family_name", "Alpha", "off_cdg");
	ids[PB] = make_named("person", "family_name", "Bravo", "off_mrs");
	ids[PAB] = make_named("person", "family_name", "Both", "off_cdg");
	ids[PMINE] = make_named("person", "family_name", "Mine", "off_cdg");
	ids[PORPHAN] = make_named("person", "family_name", "Other", "off_mrs");
	ids[BA] = make_named("business", "name", "Acme", "off_mrs");
	ids[VB] = make_named("conveyance", "kind", "CONTAINER", "off_cdg");
	link(ids[CA], "person", ids[PA]);
	link(ids[CB], "person", ids[PB]);
	link(ids[CA], "person", ids[PAB]);
	link(ids[CB], "person", ids[PAB]);
	link(ids[CA], "business", ids[BA]);
	link(ids[CB], "conveyance", ids[VB]);
	ids[TPA] = make_attachment(ids[PA]);
	ids[TPB] = make_attachment(ids[PB]);
	ids[IA] = make_investigation("off_cdg", 0);
	ids[IB] = make_investigation(NULL, ids[CB]);
}

/* Close it. */
static void
teardown(void)
{
	test_store_close(home, schema, st);
}

/* An account of the table, the caller's to free. */
static struct auth_account *
account(size_t i)
{
	struct auth_account	*a = xcalloc(1, sizeof *a);

	a->name = xstrdup(accounts[i].name);
	a->roles = auth_roles_parse(accounts[i].roles);
	ck_assert(a->roles != 0);
	if (accounts[i].office != NULL) {
		a->offices = xcalloc(1, sizeof *a->offices);
		a->offices[0] = xstrdup(accounts[i].office);
		a->noffices = 1;
	}
	return a;
}

/* Every cell: auth_see on each record for each account. */
START_TEST(test_see_cells)
{
	struct auth_account	*a;
	struct auth_seen	 seen = { 0, BUF_INIT };
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct record		*r;
	size_t			 i, j;

	for (i = 0; i < NACCOUNTS; i++) {
		a = account(i);
		for (j = 0; j < NRECS; j++) {
			ck_assert_msg(store_get(st, cells[j].entity, ids[j],
			    &r, &e) == NCEN_OK, "%s", ncen_err_msg(&e));
			ck_assert_msg(auth_see(st, NULL, a, r, &seen, &e) ==
			    NCEN_OK, "%s", ncen_err_msg(&e));
			ck_assert_msg(seen.seen == cells[j].sees[i],
			    "%s sees %s (%s %llu): %d, expected %d",
			    accounts[i].name, cells[j].what, cells[j].entity,
			    (unsigned long long)ids[j], seen.seen,
			    cells[j].sees[i]);
			ck_assert_int_eq(auth_sees(st, NULL, a, r), seen.seen);
			record_free(r);
		}
		auth_account_free(a);
	}
	buf_free(&seen.office);
	ncen_err_free(&e);
}
END_TEST

/* A hidden record says where it lies: an office of its cases. */
START_TEST(test_see_hidden_office)
{
	struct auth_account	*a = account(0);	/* off_cdg */
	struct auth_seen	 seen = { 0, BUF_INIT };
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct record		*r;

	ck_assert(store_get(st, "person", ids[PB], &r, &e) == NCEN_OK);
	ck_assert(auth_see(st, NULL, a, r, &seen, &e) == NCEN_OK);
	ck_assert_int_eq(seen.seen, 0);
	ck_assert_str_eq(buf_cstr(&seen.office), "FRMRS01");
	record_free(r);
	ck_assert(store_get(st, "person", ids[PORPHAN], &r, &e) == NCEN_OK);
	ck_assert(auth_see(st, NULL, a, r, &seen, &e) == NCEN_OK);
	ck_assert_int_eq(seen.seen, 0);
	ck_assert_str_eq(buf_cstr(&seen.office), "");
	record_free(r);
	auth_account_free(a);
	buf_free(&seen.office);
	ncen_err_free(&e);
}
END_TEST

/* What upd() changes. */
struct upd_arg {
	uint64_t	 id;
	const char	*user;
};

/* Clear a person's maker and store it again (store_run's callback). */
static int
upd_fn(struct store_txn *t, void *varg, struct ncen_err *e)
{
	struct upd_arg	*a = varg;
	struct record	*r = NULL;
	int		 error;

	if ((error = store_txn_get(t, "person", a->id, &r, e)) == NCEN_OK) {
		record_clear_field(r, (size_t)schema_field_index(r->form,
		    STORE_CREATOR_FIELD));
		error = store_update(t, r, a->user, e);
	}
	record_free(r);
	return error;
}

/* An edit by someone else never changes who recorded the record. */
START_TEST(test_see_maker_kept)
{
	struct upd_arg	 a = { 0, "off_mrs" };
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct record	*r = NULL;

	a.id = ids[PMINE];
	ck_assert_msg(store_run(st, upd_fn, &a, &e) == NCEN_OK, "%s",
	    ncen_err_msg(&e));
	ck_assert(store_get(st, "person", ids[PMINE], &r, &e) == NCEN_OK);
	ck_assert_int_eq(r->version, 2);
	ck_assert_str_eq(record_get(r, STORE_CREATOR_FIELD), "off_cdg");
	record_free(r);
	ncen_err_free(&e);
}
END_TEST

/* Order ids (bsearch). */
static int
idcmp(const void *va, const void *vb)
{
	uint64_t	a = *(const uint64_t *)va, b = *(const uint64_t *)vb;

	return a < b ? -1 : a > b;
}

/* auth_see_ids lists exactly the records the table says, per form. */
START_TEST(test_see_ids)
{
	static const char *const forms[] = { "case", "seizure", "person",
		"business", "conveyance", "attachment", "investigation" };
	struct auth_account	*a;
	struct ncen_err		 e = NCEN_ERR_INIT;
	uint64_t		*got;
	size_t			 i, j, k, n, want;
	int			 all, in;

	for (i = 0; i < NACCOUNTS; i++) {
		a = account(i);
		for (k = 0; k < NELEM(forms); k++) {
			ck_assert_msg(auth_see_ids(st, a, forms[k], &got, &n,
			    &all, &e) == NCEN_OK, "%s", ncen_err_msg(&e));
			want = 0;
			for (j = 0; j < NRECS; j++) {
				if (strcmp(cells[j].entity, forms[k]) != 0)
					continue;
				want += (size_t)cells[j].sees[i];
				if (all) {
					ck_assert_msg(cells[j].sees[i], "%s "
					    "sees all, not %s", accounts[i].name,
					    cells[j].what);
					continue;
				}
				in = n != 0 && bsearch(&ids[j], got, n,
				    sizeof *got, idcmp) != NULL;
				ck_assert_msg(in == cells[j].sees[i],
				    "%s: ids of %s: %s %s", accounts[i].name,
				    forms[k], cells[j].what, in ? "listed" :
				    "missing");
			}
			if (!all)
				ck_assert_msg(n == want, "%s: %zu %s listed, "
				    "%zu seen", accounts[i].name, n, forms[k],
				    want);
			free(got);
		}
		auth_account_free(a);
	}
	ncen_err_free(&e);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("see");
	TCase	*tc = tcase_create("see");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_see_cells);
	tcase_add_test(tc, test_see_hidden_office);
	tcase_add_test(tc, test_see_ids);
	tcase_add_test(tc, test_see_maker_kept);
	suite_add_tcase(s, tc);
	return test_run(s);
}
