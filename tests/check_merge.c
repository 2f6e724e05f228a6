/*
 * check_merge.c - merging two records of one person (merge.c): values
 * carried over (aliases, other documents, the note), links moved once,
 * attachments following, the audit entries, the pointer from the old
 * id, the Icomm update of a shared case; and every refusal leaving the
 * store as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "icomm.h"
#include "merge.h"
#include "record.h"
#include "schema.h"
#include "store-draft.h"
#include "store-partner.h"
#include "store.h"
#include "testlib.h"
#include "workflow.h"
#include "xmalloc.h"

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
}

/* Store a record (store_txn_fn). */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, arg, "carol", err);
}

/* Store a changed record (store_txn_fn). */
static int
update_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_update(t, arg, "carol", err);
}

/* Store a record made of name=value pairs; returns its id. */
static uint64_t
make(const char *entity, const char *const *kv)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = record_new(schema_form_find(schema, entity));
	uint64_t	 id;

	for (; kv[0] != NULL; kv += 2) {
		if (strcmp(kv[0], "+") == 0) {
			/* "+", "field=value": one more value. */
			const char	*eq = strchr(kv[1], '=');
			char		*name = xstrndup(kv[1],
			    (size_t)(eq - kv[1]));

			record_add_value(r, (size_t)schema_field_index(r->form,
			    name), eq + 1);
			free(name);
			continue;
		}
		ck_assert_msg(record_set(r, kv[0], kv[1], &err) == NCEN_OK,
		    "%s", ncen_err_msg(&err));
	}
	ck_assert_msg(store_run(store, put_fn, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	id = r->id;
	record_free(r);
	ncen_err_free(&err);
	return id;
}

/* A complete draft case. */
static uint64_t
make_case(void)
{
	const char *const kv[] = { "status", "draft", "date", "2026-11-05",
	    "office", "FRCDG01", "country", "FR", "direction", "IMP", NULL };

	return make("case", kv);
}

/* Link a -> b with a role (store_txn_fn). */
struct link_arg {
	struct store_ref	 a, b;
	const char		*role;
};

static int
link_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct link_arg	*l = arg;

	return store_link_add(t, l->a, l->b, l->role, err);
}

/* Link a case to a record with a role. */
static void
link_case(uint64_t c, const char *entity, uint64_t id, const char *role)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	struct link_arg	l = { { "case", c }, { entity, id }, role };

	ck_assert_msg(store_run(store, link_fn, &l, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* One link as a line (store_link_fn). */
static int
link_line(const struct store_link *l, void *arg)
{
	buf_addf(arg, "%s %s %s:%llu\n", l->incoming ? "<-" : "->", l->role,
	    l->entity, (unsigned long long)l->id);
	return 0;
}

/* Count audit entries (audit_fn). */
static int
count_audit(const struct audit_entry *a, void *arg)
{
	(void)a;
	(*(unsigned *)arg)++;
	return 0;
}

/* How many audit entries match an action and a record (NULL: any). */
static unsigned
audit_count(const char *action, const char *rec)
{
	struct ncen_err		err = NCEN_ERR_INIT;
	struct audit_filter	f;
	unsigned		n = 0;

	memset(&f, 0, sizeof f);
	f.action = action;
	f.record = rec;
	ck_assert_int_eq(audit_scan(store, &f, count_audit, &n, &err),
	    NCEN_OK);
	ncen_err_free(&err);
	return n;
}

/* Everything a merge may change about two records, as text. */
static void
snapshot(const char *entity, uint64_t a, uint64_t b, struct buf *out)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct record		*r = NULL;
	struct store_ref	 ref;
	uint64_t		 ids[2] = { a, b }, to;
	size_t			 i;

	for (i = 0; i < 2; i++) {
		ref.entity = entity;
		ref.id = ids[i];
		if (store_get(store, entity, ids[i], &r, &err) == NCEN_OK) {
			buf_addf(out, "%s %llu v%u:", entity,
			    (unsigned long long)ids[i], r->version);
			record_encode(r, out);
			buf_addc(out, '\n');
		} else
			buf_addf(out, "%s %llu: %s\n", entity,
			    (unsigned long long)ids[i], ncen_err_msg(&err));
		record_free(r);
		r = NULL;
		ncen_err_clear(&err);
		ck_assert_int_eq(store_links(store, ref, link_line, out, &err),
		    NCEN_OK);
		ck_assert_int_eq(merge_follow(store, ref, &to, &err), NCEN_OK);
		buf_addf(out, "follows to %llu\n", (unsigned long long)to);
	}
	buf_addf(out, "audit %u\n", audit_count(NULL, NULL));
	ncen_err_free(&err);
}

/* An account in memory with roles (need to know asks nothing stored). */
static struct auth_account *
account(const char *name, unsigned roles)
{
	struct auth_account	*a = xcalloc(1, sizeof *a);

	a->name = xstrdup(name);
	a->roles = roles;
	return a;
}

/* A merge request of two persons, as a supervisor. */
static void
request(struct merge_request *req, uint64_t keep, uint64_t other)
{
	memset(req, 0, sizeof *req);
	req->keep.entity = "person";
	req->keep.id = keep;
	req->other.entity = "person";
	req->other.id = other;
	req->user = "sue";
	req->lang = SCHEMA_EN;
}

/* Whether a field of a record holds a value. */
static int
holds(const struct record *r, const char *field, const char *v)
{
	int	i = schema_field_index(r->form, field);
	size_t	j;

	ck_assert_int_ge(i, 0);
	for (j = 0; j < r->fields[i].n; j++)
		if (strcmp(r->fields[i].v[j], v) == 0)
			return 1;
	return 0;
}

/* Two persons, a case each, one shared, an attachment: the merge. */
START_TEST(test_merge_persons)
{
	const char *const kk[] = { "family_name", "KUZNETSOV",
	    "given_names", "Dmitri", "birth_date", "1980-01-01",
	    "document_type", "P", "document_number", "123456",
	    "document_country", "FR", "nationality", "FR",
	    "remarks", "nervous at the desk", NULL };
	const char *const ko[] = { "family_name", "KUZNETSOV",
	    "given_names", "Dmitriy", "birth_date", "1980-01-02",
	    "document_type", "P", "document_number", "765432",
	    "document_country", "RU", "nationality", "RU",
	    "+", "nationality=FR", "sex", "1", "phone", "+7 495 123 45 67",
	    "aliases", "DIMA", "remarks", "travels with a dog", NULL };
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct merge_request	 req;
	struct merge_result	 res;
	struct attach_options	 ao;
	struct attach_result	 ar;
	struct auth_account	*sup = account("sue", AUTH_R_SUPERVISOR);
	struct record		*r = NULL, *a = NULL;
	struct store_ref	 ref;
	struct buf		 links = BUF_INIT, path = BUF_INIT, want = BUF_INIT;
	uint64_t		 keep, other, c1, c2, to;
	FILE			*f;

	keep = make("person", kk);
	other = make("person", ko);
	c1 = make_case();
	c2 = make_case();
	link_case(c1, "person", keep, "SUSPECT");
	link_case(c1, "person", other, "SUSPECT");	/* the same link */
	link_case(c2, "person", other, "COURIER");
	buf_addf(&path, "%s/photo.png", home);
	ck_assert_ptr_nonnull(f = fopen(path.s, "w"));
	fputs("\x89PNG\r\n\x1a\nnot much of a photo", f);
	ck_assert_int_eq(fclose(f), 0);
	memset(&ao, 0, sizeof ao);
	ao.user = "carol";
	ref.entity = "person";
	ref.id = other;
	ck_assert_msg(attach_file(store, ref, path.s, &ao, &ar, &err) ==
	    NCEN_OK, "%s", ncen_err_msg(&err));

	request(&req, keep, other);
	req.account = sup;
	ck_assert_msg(merge_records(store, &req, &res, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_uint_eq(res.links, 2);	/* c2 and the attachment */
	ck_assert_uint_eq(res.doubles, 1);	/* c1 */
	ck_assert_uint_eq(res.attachments, 1);
	ck_assert_uint_eq(res.version, 2);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&res.summary), "Aliases"));

	/* OTHER is gone, and its id leads to KEEP. */
	ck_assert_int_eq(store_get(store, "person", other, &r, &err),
	    NCEN_ENOTFOUND);
	ncen_err_clear(&err);
	ck_assert_int_eq(merge_follow(store, ref, &to, &err), NCEN_OK);
	ck_assert_uint_eq(to, keep);

	/* Nothing of OTHER's is lost. */
	ck_assert_int_eq(store_get(store, "person", keep, &r, &err), NCEN_OK);
	ck_assert_str_eq(record_get(r, "given_names"), "Dmitri");
	ck_assert(holds(r, "aliases", "KUZNETSOV Dmitriy"));
	ck_assert(holds(r, "aliases", "DIMA"));
	ck_assert(holds(r, "other_documents", "P, 765432, RU"));
	ck_assert(holds(r, "nationality", "FR"));
	ck_assert(holds(r, "nationality", "RU"));
	ck_assert_str_eq(record_get(r, "sex"), "1");
	ck_assert(holds(r, "phone", "+7 495 123 45 67"));
	buf_addf(&want, "nervous at the desk\n\nMerged from person %llu:\n"
	    "Date of birth: 1980-01-02\ntravels with a dog",
	    (unsigned long long)other);
	ck_assert_str_eq(record_get(r, "remarks"), want.s);
	ck_assert_str_eq(r->muser, "sue");

	/* Links: c1 once, c2 moved, the attachment moved and renamed. */
	ref.id = keep;
	ck_assert_int_eq(store_links(store, ref, link_line, &links, &err),
	    NCEN_OK);
	buf_reset(&want);
	/* In links.db's order: the role, then the record. */
	buf_addf(&want, "<- COURIER case:%llu\n<- SUSPECT case:%llu\n"
	    "-> %s attachment:%llu\n", (unsigned long long)c2,
	    (unsigned long long)c1, ATTACH_ROLE, (unsigned long long)ar.id);
	ck_assert_str_eq(links.s, want.s);
	ck_assert_int_eq(store_get(store, "attachment", ar.id, &a, &err),
	    NCEN_OK);
	buf_reset(&want);
	buf_addf(&want, "%llu", (unsigned long long)keep);
	ck_assert_str_eq(record_get(a, "record"), want.s);
	ck_assert_str_eq(record_get(a, "entity"), "person");

	/* Audited on both records. */
	buf_reset(&want);
	buf_addf(&want, "person:%llu", (unsigned long long)other);
	ck_assert_uint_eq(audit_count("record.merge", want.s), 1);
	ck_assert_uint_eq(audit_count("record.delete", want.s), 1);
	buf_reset(&want);
	buf_addf(&want, "person:%llu", (unsigned long long)keep);
	ck_assert_uint_eq(audit_count("record.merge", want.s), 1);
	ck_assert_uint_eq(audit_count("record.update", want.s), 1);

	merge_result_free(&res);
	record_free(r);
	record_free(a);
	auth_account_free(sup);
	buf_free(&links);
	buf_free(&path);
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* A business's other name goes to other_names; a dry run changes nothing. */
START_TEST(test_merge_business_dry_run)
{
	const char *const kk[] = { "name", "ACME Trading", NULL };
	const char *const ko[] = { "name", "Acme Trading Ltd",
	    "tax_number", "FR123", NULL };
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct merge_request	 req;
	struct merge_result	 res;
	struct record		*r = NULL;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	uint64_t		 keep = make("business", kk);
	uint64_t		 other = make("business", ko);

	request(&req, keep, other);
	req.keep.entity = req.other.entity = "business";
	req.dry_run = 1;
	snapshot("business", keep, other, &before);
	ck_assert_msg(merge_records(store, &req, &res, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_uint_eq(res.values, 2);
	ck_assert_ptr_nonnull(strstr(buf_cstr(&res.summary),
	    "'Acme Trading Ltd' -> Other names"));
	snapshot("business", keep, other, &after);
	ck_assert_str_eq(after.s, before.s);
	merge_result_free(&res);

	req.dry_run = 0;
	ck_assert_msg(merge_records(store, &req, &res, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_int_eq(store_get(store, "business", keep, &r, &err),
	    NCEN_OK);
	ck_assert(holds(r, "other_names", "Acme Trading Ltd"));
	ck_assert_str_eq(record_get(r, "tax_number"), "FR123");
	merge_result_free(&res);
	record_free(r);
	buf_free(&before);
	buf_free(&after);
	ncen_err_free(&err);
}
END_TEST

/* What each refusal is given, and the code and words it must answer. */
enum refusal {
	R_SAME, R_FORMS, R_ENTITY, R_MISSING, R_VERSION, R_OFFICER,
	R_UNSEEN, R_DRAFT, R_NOTE, R_PARTNER
};

static const struct {
	enum refusal	 what;
	int		 code;
	const char	*says;
} refusals[] = {
	{ R_SAME,	NCEN_EUSAGE,	"into itself" },
	{ R_FORMS,	NCEN_EUSAGE,	"records of different forms" },
	{ R_ENTITY,	NCEN_EUSAGE,	"cannot merge case records" },
	{ R_MISSING,	NCEN_ENOTFOUND,	"" },
	{ R_VERSION,	NCEN_ECONFLICT,	"changed since version 7" },
	{ R_OFFICER,	NCEN_EINVALID,	"account 'olga' (officer) may not "
					"merge person" },
	{ R_UNSEEN,	NCEN_EINVALID,	"account 'sam' (supervisor) may not "
					"merge person" },
	{ R_DRAFT,	NCEN_ECONFLICT,	"is being edited by olga" },
	{ R_NOTE,	NCEN_EINVALID,	"Remarks would be longer than 2000" },
	{ R_PARTNER,	NCEN_EINVALID,	"came from partner DE-NODE" },
};

/* Refusals: the code and message, and the store as it was. */
START_TEST(test_merge_refusals)
{
	const char *const kk[] = { "family_name", "MÜLLER",
	    "given_names", "Hans", "birth_date", "1970-05-05", NULL };
	const char *const ko[] = { "family_name", "MUELLER",
	    "birth_date", "1971-05-05", "recorded_by", "carol", NULL };
	const char *const kb[] = { "name", "Müller GmbH", NULL };
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct merge_request	 req;
	struct merge_result	 res;
	struct auth_account	*acct = NULL;
	struct store_draft	 d;
	struct record		*r = NULL;
	struct buf		 before = BUF_INIT, after = BUF_INIT;
	struct buf		 big = BUF_INIT;
	uint64_t		 keep, other, biz, c;
	size_t			 i = (size_t)_i;

	keep = make("person", kk);
	other = make("person", ko);
	biz = make("business", kb);
	c = make_case();
	link_case(c, "person", other, "COURIER");
	request(&req, keep, other);
	switch (refusals[i].what) {
	case R_SAME:
		req.other.id = keep;
		break;
	case R_FORMS:
		req.other.entity = "business";
		req.other.id = biz;
		break;
	case R_ENTITY:
		req.keep.entity = req.other.entity = "case";
		req.keep.id = c;
		break;
	case R_MISSING:
		req.other.id = other + 100;
		break;
	case R_VERSION:
		req.other_version = 7;
		break;
	case R_OFFICER:
		req.account = acct = account("olga", AUTH_R_OFFICER);
		break;
	case R_UNSEEN:
		/* A supervisor of another office does not see the case. */
		req.account = acct = account("sam", AUTH_R_SUPERVISOR);
		acct->offices = xcalloc(1, sizeof *acct->offices);
		acct->offices[0] = xstrdup("FRLEH01");
		acct->noffices = 1;
		break;
	case R_DRAFT:
		ck_assert_int_eq(auth_account_add(store, "admin", "olga",
		    "officer", NULL, NULL, &err), NCEN_OK);
		ck_assert_int_eq(store_get(store, "person", other, &r, &err),
		    NCEN_OK);
		memset(&d, 0, sizeof d);
		d.user = (char *)(uintptr_t)"olga";
		d.entity = (char *)(uintptr_t)"person";
		d.id = other;
		d.version = r->version;
		d.rec = r;
		ck_assert_msg(store_draft_put(store, &d, &err) == NCEN_OK,
		    "%s", ncen_err_msg(&err));
		break;
	case R_NOTE:
		/* KEEP's remarks are full: the birth date has nowhere. */
		ck_assert_int_eq(store_get(store, "person", keep, &r, &err),
		    NCEN_OK);
		while (big.len < 1990)
			buf_adds(&big, "remarks ");
		ck_assert_int_eq(record_set(r, "remarks", big.s, &err),
		    NCEN_OK);
		ck_assert_int_eq(store_run(store, update_fn, r, &err),
		    NCEN_OK);
		break;
	case R_PARTNER:
		/* A partner's record, stored read-only with its origin. */
		r = record_new(schema_form_find(schema, "person"));
		ck_assert_int_eq(record_set(r, "family_name", "MULLER", &err),
		    NCEN_OK);
		r->extra = xcalloc(1, sizeof *r->extra);
		r->extra[0].name = xstrdup("icomm.origin");
		r->extra[0].value = xstrdup("DE-NODE");
		r->nextra = 1;
		ck_assert_int_eq(store_run(store, put_fn, r, &err), NCEN_OK);
		req.other.id = other = r->id;
		break;
	}
	snapshot("person", keep, other, &before);
	ck_assert_int_eq(merge_records(store, &req, &res, &err),
	    refusals[i].code);
	ck_assert_msg(strstr(ncen_err_msg(&err), refusals[i].says) != NULL,
	    "'%s' does not say '%s'", ncen_err_msg(&err), refusals[i].says);
	ck_assert_uint_eq(res.summary.len, 0);
	snapshot("person", keep, other, &after);
	ck_assert_str_eq(after.s, before.s);
	record_free(r);
	auth_account_free(acct);
	buf_free(&before);
	buf_free(&after);
	buf_free(&big);
	ncen_err_free(&err);
}
END_TEST


/* Register a partner with an agreement covering everything. */
static void
partner(const char *id)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_partner	 p;
	struct store_agreement	 a;
	struct buf		 path = BUF_INIT, pem = BUF_INIT;

	icomm_node_path(store, ICOMM_CERT_FILE, &path);
	pem.s = test_read_file(path.s, &pem.len);
	memset(&p, 0, sizeof p);
	p.id = (char *)(uintptr_t)id;
	p.role = ICOMM_NATIONAL;
	p.url = (char *)(uintptr_t)"https://127.0.0.1:1/icomm";
	p.cert = pem.s;
	ck_assert_msg(icomm_partner_add(store, "ncp", &p, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	memset(&a, 0, sizeof a);
	a.partner = (char *)(uintptr_t)id;
	a.basis = (char *)(uintptr_t)"test agreement";
	a.dir = ICOMM_DIR_IN | ICOMM_DIR_OUT;
	a.level = SCHEMA_PARTNER;
	a.from = (char *)(uintptr_t)"2020-01-01";
	a.to = (char *)(uintptr_t)"2099-12-31";
	ck_assert_msg(icomm_agreement_add(store, "ncp", &a, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	free(pem.s);
	buf_free(&path);
	ncen_err_free(&err);
}

/* Take a workflow step as a trusted caller. */
static void
step(uint64_t id, const char *action)
{
	struct workflow_request	req;
	struct ncen_err		err = NCEN_ERR_INIT;

	memset(&req, 0, sizeof req);
	req.case_id = id;
	req.action = action;
	req.user = "sue";
	req.role = strcmp(action, "submit") == 0 ? "officer" : "supervisor";
	ck_assert_msg(workflow_apply(store, &req, NULL, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* The one entry of a partner's outbox, copied (icomm_entry_fn). */
static int
keep_entry(const struct icomm_entry *e, void *arg)
{
	struct icomm_entry	**out = arg;

	ck_assert_ptr_null(*out);
	*out = xcalloc(1, sizeof **out);
	(*out)->partner = xstrdup(e->partner);
	(*out)->entity = xstrdup(e->entity);
	(*out)->kind = xstrdup(e->kind);
	(*out)->id = e->id;
	(*out)->version = e->version;
	(*out)->rev = e->rev;
	return 0;
}

/* DE-NODE's one entry, or NULL. */
static struct icomm_entry *
de_entry(void)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_entry	*e = NULL;

	ck_assert_int_eq(icomm_outbox_list(store, "DE-NODE", 0, keep_entry,
	    &e, &err), NCEN_OK);
	ncen_err_free(&err);
	return e;
}

/*
 * OTHER is linked to a case shared with a partner: the merge queues the
 * case again for it, in the merge's transaction (a refused merge does
 * not).
 */
START_TEST(test_merge_shared)
{
	const char *const kk[] = { "family_name", "DUPONT", NULL };
	const char *const ko[] = { "family_name", "DUPOND", NULL };
	const char *const ks[] = { "commodity", "DRUG", "quantity", "3.200",
	    "unit", "KGM", "case", NULL, NULL };
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct merge_request	 req;
	struct merge_result	 res;
	struct icomm_entry	*e, *e2;
	struct buf		 cid = BUF_INIT;
	const char		*seizure[9];
	uint64_t		 keep, other, c;
	size_t			 i;

	icomm_outbox_attach(store, "tester");
	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	partner("DE-NODE");
	keep = make("person", kk);
	other = make("person", ko);
	c = make_case();
	buf_addf(&cid, "%llu", (unsigned long long)c);
	for (i = 0; i < 9; i++)
		seizure[i] = ks[i];
	seizure[7] = cid.s;
	(void)make("seizure", seizure);
	link_case(c, "person", other, "COURIER");
	step(c, "submit");
	step(c, "validate");
	ck_assert_ptr_nonnull(e = de_entry());
	ck_assert_uint_eq(e->id, c);

	/* Refused (KEEP = OTHER): nothing queued again. */
	request(&req, other, other);
	ck_assert_int_eq(merge_records(store, &req, &res, &err), NCEN_EUSAGE);
	ncen_err_clear(&err);
	ck_assert_ptr_nonnull(e2 = de_entry());
	ck_assert_uint_eq(e2->rev, e->rev);
	icomm_entry_free(e2);

	request(&req, keep, other);
	ck_assert_msg(merge_records(store, &req, &res, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	ck_assert_ptr_nonnull(e2 = de_entry());
	ck_assert_str_eq(e2->entity, "case");
	ck_assert_uint_eq(e2->id, c);
	ck_assert_str_eq(e2->kind, "record");
	ck_assert_uint_gt(e2->rev, e->rev);
	icomm_entry_free(e);
	icomm_entry_free(e2);
	merge_result_free(&res);
	buf_free(&cid);
	ncen_err_free(&err);
}
END_TEST

Suite *
merge_suite(void)
{
	Suite	*s = suite_create("merge");
	TCase	*tc = tcase_create("merge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_merge_persons);
	tcase_add_test(tc, test_merge_business_dry_run);
	tcase_add_test(tc, test_merge_shared);
	tcase_add_loop_test(tc, test_merge_refusals, 0,
	    (int)(sizeof refusals / sizeof refusals[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_run(merge_suite());
}
