/*
 * check_icomm.c - Icomm's library: projections (thousands of random
 * records of every form, and no byte of a field that is not cen ever
 * in a cen projection), the outbox a validation fills in its
 * transaction, pseudonyms at level cen and the node secret, and
 * batches sealed and read back (plain, enveloped, tampered, oversized,
 * signed by someone else, the signature verified before anything is
 * inflated).
 */
#include <sys/stat.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-project.h"
#include "icomm-pseudo.h"
#include "icomm-util.h"
#include "icomm.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "testlib.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define RANDOM_RECORDS	3000
#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

static char		*home;
static struct schema	*schema;
static struct store	*store;

/* A fresh data directory with the build tree's forms; steps queue. */
static void
setup(void)
{
	test_store_open(&home, &schema, &store);
	workflow_step_hook(icomm_outbox_step);
}

/* Close and remove it. */
static void
teardown(void)
{
	test_store_close(home, schema, store);
}

/* A small deterministic generator (xorshift64*). */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

/* A random value: 14 bytes of varied text, some of it UTF-8. */
static void
random_value(struct buf *b)
{
	static const char *const bits[] = {
		"a", "Z", "7", " ", "-", "é", "Ж", "'", "\"", "\\", ":", "x"
	};
	size_t	i;

	buf_reset(b);
	buf_addf(b, "%08llx", (unsigned long long)(rnd() & 0xffffffffULL));
	for (i = 0; i < 6; i++)
		buf_adds(b, bits[rnd() % (sizeof bits / sizeof bits[0])]);
}

/* Carry every reference (the projection keeps refs to carried records). */
static int
carry_all(const char *entity, uint64_t id, void *arg)
{
	(void)entity;
	(void)id;
	(void)arg;
	return 1;
}

/*
 * Random records of every form: a cen projection holds no other field,
 * and of a field with a pattern only the values that fit it.
 */
START_TEST(test_projection_cen_only)
{
	static const char *const fitting[] = {
		[SCHEMA_PATTERN_HS] = "090121",
		[SCHEMA_PATTERN_TIME] = "09:30",
		[SCHEMA_PATTERN_UTC_OFFSET] = "+05:30",
	};
	unsigned	*fit;
	struct buf	 v = BUF_INIT, out = BUF_INIT;
	struct record	*r;
	json_t		*j;
	char		*text;
	size_t		 n, f, k, nv, checked = 0;

	for (n = 0; n < RANDOM_RECORDS; n++) {
		const struct schema_form *form =
		    schema->forms[n % schema->nforms];
		char	**secret = NULL;
		size_t	  nsecret = 0;

		r = record_new(form);
		r->id = n + 1;
		r->version = 1;
		fit = xcalloc(form->nfields, sizeof *fit);
		for (f = 0; f < form->nfields; f++) {
			const struct schema_field *fd = &form->fields[f];

			nv = 1 + rnd() % 3;
			for (k = 0; k < nv; k++) {
				random_value(&v);
				if (fd->type == SCHEMA_REF) {
					buf_reset(&v);
					buf_addf(&v, "%llu", (unsigned long
					    long)(rnd() % 1000 + 1));
				}
				/* Half the values fit their pattern. */
				if (fd->pattern != SCHEMA_PATTERN_NONE &&
				    rnd() % 2 == 0) {
					buf_reset(&v);
					buf_adds(&v, fitting[fd->pattern]);
					fit[f]++;
				}
				record_add_value(r, f, v.s);
				if ((fd->share != SCHEMA_CEN &&
				    fd->type != SCHEMA_REF) ||
				    (fd->pattern != SCHEMA_PATTERN_NONE &&
				    !schema_pattern_fits(fd, v.s))) {
					secret = xreallocarray(secret,
					    nsecret + 1, sizeof *secret);
					secret[nsecret++] = xstrndup(v.s, 8);
				}
			}
		}
		j = icomm_project_record(r, SCHEMA_CEN, carry_all, NULL);
		text = json_dumps(j, JSON_COMPACT);
		ck_assert_ptr_nonnull(text);
		buf_reset(&out);
		buf_adds(&out, text);
		free(text);
		/* Each secret's random 8 hex digits, which JSON never escapes. */
		for (k = 0; k < nsecret; k++) {
			ck_assert_msg(strstr(out.s, secret[k]) == NULL,
			    "%s: a value of a field that is not cen went out: "
			    "%s in %s", form->name, secret[k], out.s);
			checked++;
			free(secret[k]);
		}
		free(secret);
		/* Only cen field names, and every one of them. */
		for (f = 0; f < form->nfields; f++) {
			json_t *fv = json_object_get(json_object_get(j,
			    "fields"), form->fields[f].name);

			if (form->fields[f].share != SCHEMA_CEN ||
			    (form->fields[f].pattern != SCHEMA_PATTERN_NONE &&
			    fit[f] == 0))
				ck_assert_msg(fv == NULL, "%s.%s went out",
				    form->name, form->fields[f].name);
			else
				ck_assert_msg(fv != NULL, "%s.%s is cen but "
				    "did not go", form->name,
				    form->fields[f].name);
			if (fv != NULL && fit[f] != 0)
				ck_assert_uint_eq(json_array_size(fv),
				    fit[f]);
		}
		free(fit);
		json_decref(j);
		record_free(r);
	}
	ck_assert_uint_gt(checked, RANDOM_RECORDS);
	buf_free(&v);
	buf_free(&out);
}
END_TEST

/* The partner level lets partner and cen fields go, never local ones. */
START_TEST(test_projection_partner)
{
	struct record	*r = record_new(schema_form_find(schema, "person"));
	json_t		*j, *fields;

	record_set(r, "family_name", "Dupont", NULL);
	record_set(r, "sex", "1", NULL);
	record_set(r, "remarks", "nervous", NULL);
	j = icomm_project_record(r, SCHEMA_PARTNER, NULL, NULL);
	fields = json_object_get(j, "fields");
	ck_assert_ptr_nonnull(json_object_get(fields, "family_name"));
	ck_assert_ptr_nonnull(json_object_get(fields, "sex"));
	ck_assert_ptr_null(json_object_get(fields, "remarks"));
	json_decref(j);
	j = icomm_project_record(r, SCHEMA_CEN, NULL, NULL);
	fields = json_object_get(j, "fields");
	ck_assert_ptr_null(json_object_get(fields, "family_name"));
	ck_assert_ptr_nonnull(json_object_get(fields, "sex"));
	json_decref(j);
	ck_assert_int_eq(icomm_share_allows(SCHEMA_LOCAL, SCHEMA_CEN), 0);
	ck_assert_int_eq(icomm_share_allows(SCHEMA_CEN, SCHEMA_LOCAL), 0);
	record_free(r);
}
END_TEST

/* Store a record (store_txn_fn). */
static int
put_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	return store_put(t, arg, "carol", err);
}

/* Link a case to a person (store_txn_fn). */
static int
link_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_ref	*refs = arg;

	return store_link_add(t, refs[0], refs[1], "COURIER", err);
}

/* Count entries (icomm_entry_fn). */
static int
count_entry(const struct icomm_entry *e, void *arg)
{
	(*(size_t *)arg)++;
	ck_assert_str_eq(e->entity, "case");
	return 0;
}

/* A complete case with a drug seizure and a linked person; its id. */
static uint64_t
make_shared_case(void)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct record		*c, *s, *p;
	struct store_ref	 refs[2];
	struct buf		 b = BUF_INIT;
	uint64_t		 id;

	c = record_new(schema_form_find(schema, "case"));
	record_set(c, "date", "2026-11-05", NULL);
	record_set(c, "office", "FRCDG01", NULL);
	record_set(c, "country", "FR", NULL);
	record_set(c, "direction", "IMP", NULL);
	record_set(c, "narrative", "the dog found it", NULL);
	ck_assert_int_eq(store_run(store, put_fn, c, &err), NCEN_OK);
	id = c->id;
	buf_addf(&b, "%llu", (unsigned long long)id);
	s = record_new(schema_form_find(schema, "seizure"));
	record_set(s, "case", b.s, NULL);
	record_set(s, "commodity", "DRUG", NULL);
	record_set(s, "quantity", "3.200", NULL);
	record_set(s, "unit", "KGM", NULL);
	ck_assert_int_eq(store_run(store, put_fn, s, &err), NCEN_OK);
	p = record_new(schema_form_find(schema, "person"));
	record_set(p, "family_name", "Dupont", NULL);
	record_set(p, "sex", "1", NULL);
	ck_assert_int_eq(store_run(store, put_fn, p, &err), NCEN_OK);
	refs[0].entity = "case";
	refs[0].id = id;
	refs[1].entity = "person";
	refs[1].id = p->id;
	ck_assert_int_eq(store_run(store, link_fn, refs, &err), NCEN_OK);
	record_free(c);
	record_free(s);
	record_free(p);
	buf_free(&b);
	ncen_err_free(&err);
	return id;
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
	req.reason = "test";
	ck_assert_msg(workflow_apply(store, &req, NULL, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	ncen_err_free(&err);
}

/* Register a partner with an agreement. */
static void
partner(const char *id, enum icomm_role role, const char *groups,
    enum schema_share level)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store_partner	 p;
	struct store_agreement	 a;
	struct buf		 path = BUF_INIT, pem = BUF_INIT;
	char			*g = (char *)(uintptr_t)groups;

	icomm_node_path(store, ICOMM_CERT_FILE, &path);
	pem.s = test_read_file(path.s, &pem.len);
	memset(&p, 0, sizeof p);
	p.id = (char *)(uintptr_t)id;
	p.role = role;
	p.url = (char *)(uintptr_t)"https://127.0.0.1:1/icomm";
	p.cert = pem.s;
	ck_assert_msg(icomm_partner_add(store, "ncp", &p, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	memset(&a, 0, sizeof a);
	a.partner = (char *)(uintptr_t)id;
	a.basis = (char *)(uintptr_t)"test agreement";
	a.dir = ICOMM_DIR_IN | ICOMM_DIR_OUT;
	a.level = level;
	a.from = (char *)(uintptr_t)"2020-01-01";
	a.to = (char *)(uintptr_t)"2099-12-31";
	a.groups = groups != NULL ? &g : NULL;
	a.ngroups = groups != NULL;
	ck_assert_msg(icomm_agreement_add(store, "ncp", &a, &err) == NCEN_OK,
	    "%s", ncen_err_msg(&err));
	free(pem.s);
	buf_free(&path);
	ncen_err_free(&err);
}

/*
 * The id of the one record of an entity an item carries, as a string
 * (a pseudonym) in id, and what its link names after "ENTITY:" in link.
 */
static void
pseudo_of(const json_t *item, const char *entity, struct buf *id,
    struct buf *link)
{
	const char	*e, *to;
	json_t		*r, *l;
	size_t		 i, n = 0, plen = strlen(entity);

	buf_reset(id);
	buf_reset(link);
	json_array_foreach(json_object_get(item, "records"), i, r) {
		if ((e = json_string_value(json_object_get(r, "entity"))) ==
		    NULL || strcmp(e, entity) != 0)
			continue;
		ck_assert_msg(json_is_string(json_object_get(r, "id")),
		    "%s went with a number for its id", entity);
		buf_adds(id, json_string_value(json_object_get(r, "id")));
		n++;
	}
	ck_assert_uint_eq(n, 1);
	json_array_foreach(json_object_get(item, "links"), i, l) {
		to = json_string_value(json_object_get(l, "to"));
		if (to != NULL && strncmp(to, entity, plen) == 0 &&
		    to[plen] == ':')
			buf_adds(link, to + plen + 1);
	}
}

/* Validation queues for covering agreements only; reopening withdraws. */
START_TEST(test_outbox)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct icomm_pseudo ps;
	struct buf	 pid = BUF_INIT, again = BUF_INIT, link = BUF_INIT;
	struct icomm_entry *e[1];
	size_t		 n;
	uint64_t	 id, count;
	json_t		*item;
	char		*text;

	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	partner("DE-NODE", ICOMM_NATIONAL, "DRUG", SCHEMA_PARTNER);
	partner("GLOBAL", ICOMM_GLOBAL, NULL, SCHEMA_PARTNER);
	partner("IT-NODE", ICOMM_NATIONAL, "TOB", SCHEMA_PARTNER);
	id = make_shared_case();
	step(id, "submit");
	n = 0;
	ck_assert_int_eq(icomm_outbox_list(store, "DE-NODE", 0, count_entry,
	    &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 0);
	step(id, "validate");
	ck_assert_int_eq(icomm_outbox_count(store, "DE-NODE", &count, &err),
	    NCEN_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(icomm_outbox_count(store, "GLOBAL", &count, &err),
	    NCEN_OK);
	ck_assert_uint_eq(count, 1);
	ck_assert_int_eq(icomm_outbox_count(store, "IT-NODE", &count, &err),
	    NCEN_OK);
	ck_assert_uint_eq(count, 0);

	/* The partner gets the person's name; the global database not. */
	ck_assert_int_eq(icomm_project_case(store, id, SCHEMA_PARTNER, NULL,
	    &item, &err), NCEN_OK);
	text = json_dumps(item, JSON_COMPACT);
	ck_assert_ptr_nonnull(strstr(text, "Dupont"));
	ck_assert_ptr_nonnull(strstr(text, "COURIER"));
	ck_assert_ptr_null(strstr(text, "the dog found it"));
	free(text);
	json_decref(item);
	/* At level cen, no pseudonym key, no projection of a person. */
	ck_assert_int_eq(icomm_project_case(store, id, SCHEMA_CEN, NULL,
	    &item, &err), NCEN_EUSAGE);
	ck_assert_ptr_null(item);
	ck_assert_int_eq(icomm_pseudo_open(store, "GLOBAL", &ps, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_project_case(store, id, SCHEMA_CEN, &ps,
	    &item, &err), NCEN_OK);
	text = json_dumps(item, JSON_COMPACT);
	ck_assert_ptr_null(strstr(text, "Dupont"));
	ck_assert_ptr_nonnull(strstr(text, "\"sex\""));
	ck_assert_ptr_nonnull(strstr(text, "DRUG"));
	free(text);
	pseudo_of(item, "person", &pid, &link);
	ck_assert_msg(icomm_pseudo_valid(pid.s), "%s", pid.s);
	ck_assert_str_eq(buf_cstr(&link), pid.s);
	json_decref(item);
	icomm_pseudo_close(&ps);
	/* The same person, the same pseudonym, every time. */
	ck_assert_int_eq(icomm_pseudo_open(store, "GLOBAL", &ps, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_project_case(store, id, SCHEMA_CEN, &ps,
	    &item, &err), NCEN_OK);
	pseudo_of(item, "person", &again, &link);
	ck_assert_str_eq(again.s, pid.s);
	json_decref(item);
	icomm_pseudo_close(&ps);
	/* Another partner gets another one. */
	ck_assert_int_eq(icomm_pseudo_open(store, "WCO-2", &ps, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_project_case(store, id, SCHEMA_CEN, &ps,
	    &item, &err), NCEN_OK);
	pseudo_of(item, "person", &again, &link);
	ck_assert_msg(icomm_pseudo_valid(again.s), "%s", again.s);
	ck_assert_str_ne(again.s, pid.s);
	json_decref(item);
	icomm_pseudo_close(&ps);
	buf_free(&pid);
	buf_free(&again);
	buf_free(&link);

	/* Reopening queues a withdrawal where it was shared. */
	step(id, "reopen");
	n = 0;
	e[0] = NULL;
	ck_assert_int_eq(icomm_outbox_list(store, "DE-NODE", 0, count_entry,
	    &n, &err), NCEN_OK);
	ck_assert_uint_eq(n, 1);
	ncen_err_free(&err);
	(void)e;
}
END_TEST

/* The one entry of a partner's outbox (icomm_entry_fn keeps a copy). */
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

/* DE-NODE's one entry, or NULL if its outbox is empty. */
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

/* As if DE-NODE's receipt for that entry came: remove it if unchanged. */
static void
acknowledge(struct icomm_entry *e)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	ck_assert_int_eq(icomm_outbox_remove(store, &e, 1, &err), NCEN_OK);
	icomm_entry_free(e);
	ncen_err_free(&err);
}

/* Edit a record: one field set, stored in its own transaction. */
static int
edit_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r = arg;

	return store_update(t, r, "carol", err);
}

static void
edit(const char *entity, uint64_t id, const char *field, const char *v)
{
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct record	*r = NULL;

	ck_assert_int_eq(store_get(store, entity, id, &r, &err), NCEN_OK);
	ck_assert_int_eq(record_set(r, field, v, &err), NCEN_OK);
	ck_assert_msg(store_run(store, edit_fn, r, &err) == NCEN_OK, "%s",
	    ncen_err_msg(&err));
	record_free(r);
	ncen_err_free(&err);
}

/* Unlink a case and a person (store_txn_fn). */
static int
unlink_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct store_ref	*refs = arg;

	return store_link_remove(t, refs[0], refs[1], "COURIER", err);
}

/* The id of the person linked to a case (store_link_fn). */
static int
linked_person(const struct store_link *l, void *arg)
{
	if (strcmp(l->entity, "person") == 0)
		*(uint64_t *)arg = l->id;
	return 0;
}

/* The id of a seizure (store_record_fn). */
static int
seizure_id(const struct record *r, void *arg)
{
	*(uint64_t *)arg = r->id;
	return 0;
}

/*
 * With the outbox's change hook: a change to a shared case, or to what
 * travels with it, queues the case again for the partner that has it,
 * at the case's version, and each time with a new rev, so a receipt for
 * the batch packed before leaves it queued.  Changes to other records,
 * to a case not shared, or after a withdrawal queue nothing.
 */
START_TEST(test_outbox_changes)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_entry	*e, *e2;
	struct store_ref	 refs[2];
	struct record		*other, *c = NULL;
	struct buf		 v = BUF_INIT;
	uint64_t		 id, pid = 0, sid = 0;
	uint32_t		 cv;

	icomm_outbox_attach(store, "tester");
	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	partner("DE-NODE", ICOMM_NATIONAL, NULL, SCHEMA_PARTNER);
	id = make_shared_case();
	refs[0].entity = "case";
	refs[0].id = id;
	ck_assert_int_eq(store_links(store, refs[0], linked_person, &pid,
	    &err), NCEN_OK);
	ck_assert_uint_ne(pid, 0);
	/* A draft's person changes: nothing is shared yet. */
	edit("person", pid, "given_names", "Jean");
	ck_assert_ptr_null(de_entry());
	step(id, "submit");
	step(id, "validate");
	ck_assert_int_eq(store_get(store, "case", id, &c, &err), NCEN_OK);
	cv = c->version;
	record_free(c);
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->rev, 0);
	acknowledge(e);
	ck_assert_ptr_null(de_entry());

	/* The linked person changes: the case goes again, same version. */
	edit("person", pid, "family_name", "Durand");
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->kind, "record");
	ck_assert_str_eq(e->entity, "case");
	ck_assert_uint_eq(e->id, id);
	ck_assert_uint_eq(e->version, cv);
	/* Changed again while that entry was in flight: its receipt keeps it. */
	edit("person", pid, "given_names", "Jean Paul");
	e2 = de_entry();
	ck_assert_uint_eq(e2->rev, e->rev + 1);
	acknowledge(e);
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	icomm_entry_free(e);
	acknowledge(e2);
	ck_assert_ptr_null(de_entry());

	/* A person linked to no shared case: nothing. */
	other = record_new(schema_form_find(schema, "person"));
	record_set(other, "family_name", "Martin", NULL);
	ck_assert_int_eq(store_run(store, put_fn, other, &err), NCEN_OK);
	edit("person", other->id, "family_name", "Martin-Leroy");
	ck_assert_ptr_null(de_entry());

	/* Its seizure changes: the case goes again. */
	buf_addf(&v, "%llu", (unsigned long long)id);
	ck_assert_int_eq(store_find(store, "seizure", "case", v.s, NULL,
	    seizure_id, &sid, &err), NCEN_OK);
	ck_assert_uint_ne(sid, 0);
	edit("seizure", sid, "quantity", "3.300");
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->id, id);
	acknowledge(e);

	/* A link is removed, then another added: each queues the case. */
	refs[1].entity = "person";
	refs[1].id = pid;
	ck_assert_int_eq(store_run(store, unlink_fn, refs, &err), NCEN_OK);
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->id, id);
	acknowledge(e);
	refs[1].id = other->id;
	ck_assert_int_eq(store_run(store, link_fn, refs, &err), NCEN_OK);
	e = de_entry();
	ck_assert_ptr_nonnull(e);
	acknowledge(e);
	/* The person no longer linked changes: nothing. */
	edit("person", pid, "family_name", "Dupont");
	ck_assert_ptr_null(de_entry());

	/* Reopened: a withdrawal, which a later edit leaves as it is. */
	step(id, "reopen");
	e = de_entry();
	ck_assert_str_eq(e->kind, "withdraw");
	icomm_entry_free(e);
	edit("person", other->id, "family_name", "Martin");
	e = de_entry();
	ck_assert_str_eq(e->kind, "withdraw");
	acknowledge(e);
	edit("person", other->id, "family_name", "Martin-Leroy");
	ck_assert_ptr_null(de_entry());
	record_free(other);
	buf_free(&v);
	ncen_err_free(&err);
}
END_TEST

/* The node's own certificate for any sender (icomm_cert_fn). */
static int
cert_self(const char *sender, X509 **x, void *arg, struct ncen_err *err)
{
	struct icomm_key	*k = arg;

	if (strcmp(sender, k->id) != 0)
		return ncen_err_set(err, NCEN_ENOTFOUND, "unknown sender %s",
		    sender);
	X509_up_ref(k->cert);
	*x = k->cert;
	return NCEN_OK;
}

/*
 * The node secret: made on first use (0600, 64 hex digits), the same
 * afterwards; a pseudonym is HMAC-SHA256 as ncen-batch(5) says, and a
 * damaged secret file is refused, not replaced.
 */
START_TEST(test_pseudo_secret)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_pseudo	 ps;
	struct buf		 path = BUF_INIT, id = BUF_INIT, want = BUF_INIT;
	struct stat		 sb;
	unsigned char		 key[ICOMM_SECRET_BYTES], mac[EVP_MAX_MD_SIZE];
	unsigned int		 maclen = 0;
	char			*text, msg[] = "GLOBAL\0person\0" "42";
	size_t			 len, i;
	FILE			*f;

	icomm_node_path(store, ICOMM_SECRET_FILE, &path);
	ck_assert_int_ne(access(path.s, F_OK), 0);
	ck_assert_int_eq(icomm_pseudo_open(store, "GLOBAL", &ps, &err),
	    NCEN_OK);
	ck_assert_int_eq(stat(path.s, &sb), 0);
	ck_assert_uint_eq(sb.st_mode & 0777, 0600);
	text = test_read_file(path.s, &len);
	ck_assert_uint_eq(len, 65);
	for (i = 0; i < ICOMM_SECRET_BYTES; i++)
		ck_assert_int_eq(sscanf(text + 2 * i, "%2hhx", &key[i]), 1);
	ck_assert_int_eq(icomm_pseudo_id(&ps, "person", 42, &id, &err),
	    NCEN_OK);
	ck_assert_ptr_nonnull(HMAC(EVP_sha256(), key, sizeof key,
	    (unsigned char *)msg, sizeof msg, mac, &maclen));
	for (i = 0; i < ICOMM_PSEUDO_BYTES; i++)
		buf_addf(&want, "%02x", mac[i]);
	ck_assert_str_eq(id.s, want.s);
	ck_assert(icomm_pseudo_valid(id.s));
	ck_assert(!icomm_pseudo_valid("42"));
	ck_assert(!icomm_pseudo_valid("0123456789ABCDEF0123456789abcdef"));
	icomm_pseudo_close(&ps);
	/* Opened again: the same secret, the same pseudonym. */
	ck_assert_int_eq(icomm_pseudo_open(store, "GLOBAL", &ps, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_pseudo_id(&ps, "person", 42, &want, &err),
	    NCEN_OK);
	ck_assert_str_eq(want.s, id.s);
	ck_assert_int_eq(icomm_pseudo_id(&ps, "business", 42, &want, &err),
	    NCEN_OK);
	ck_assert_str_ne(want.s, id.s);
	icomm_pseudo_close(&ps);
	/* Damaged: refused, and left as it is. */
	ck_assert_ptr_nonnull(f = fopen(path.s, "w"));
	fputs("not a secret\n", f);
	fclose(f);
	ck_assert_int_eq(icomm_pseudo_open(store, "GLOBAL", &ps, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "node.secret"));
	free(text);
	text = test_read_file(path.s, &len);
	ck_assert_str_eq(text, "not a secret\n");
	free(text);
	buf_free(&path);
	buf_free(&id);
	buf_free(&want);
	ncen_err_free(&err);
}
END_TEST

/* Replace signed DER by an EnvelopedData of it to two certificates. */
static void
envelope_two(struct buf *der, X509 *a, X509 *b)
{
	STACK_OF(X509)		*to;
	CMS_ContentInfo		*env;
	BIO			*in, *out;
	char			*p;
	long			 n;

	ck_assert_ptr_nonnull(to = sk_X509_new_null());
	ck_assert_int_ne(sk_X509_push(to, a), 0);
	ck_assert_int_ne(sk_X509_push(to, b), 0);
	ck_assert_ptr_nonnull(in = BIO_new_mem_buf(der->s, (int)der->len));
	ck_assert_ptr_nonnull(env = CMS_encrypt(to, in, EVP_aes_256_cbc(),
	    CMS_BINARY));
	ck_assert_ptr_nonnull(out = BIO_new(BIO_s_mem()));
	ck_assert_int_eq(i2d_CMS_bio(out, env), 1);
	n = BIO_get_mem_data(out, &p);
	buf_reset(der);
	buf_add(der, p, (size_t)n);
	BIO_free(out);
	BIO_free(in);
	CMS_ContentInfo_free(env);
	sk_X509_free(to);
}

/* A batch seals and reads back; tampering, size and keys are caught. */
START_TEST(test_batch_round_trip)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_key	 k, other;
	struct buf		 der = BUF_INIT, id = BUF_INIT;
	json_t			*doc, *back;
	char			*home2;
	struct schema		*s2;
	struct store		*st2;

	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	ck_assert_int_eq(icomm_key_load(store, &k, &err), NCEN_OK);
	icomm_batch_id(k.id, &id);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:[{s:s}]}",
	    "format", ICOMM_BATCH_FORMAT, "version", 1, "sender", k.id,
	    "receiver", "DE-NODE", "batch", id.s, "created",
	    "2026-11-27T10:00:00Z", "items", "kind", "message");
	ck_assert_int_eq(icomm_batch_seal(doc, &k, NULL, &der, &err),
	    NCEN_OK);
	ck_assert_msg(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	ck_assert(json_equal(doc, back));
	json_decref(back);

	/* Too large once inflated. */
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, 10, cert_self, &k, &back, NULL, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "oversized"));

	/* A receipt is not a batch. */
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_RECEIPT_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err), NCEN_EPARSE);

	/* Enveloped to this node: read with its key, refused without. */
	ck_assert_int_eq(icomm_batch_seal(doc, &k, k.cert, &der, &err),
	    NCEN_OK);
	ck_assert_msg(icomm_batch_read(der.s, der.len, &k,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err) == NCEN_OK, "%s", ncen_err_msg(&err));
	json_decref(back);
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL, &err),
	    NCEN_EINVALID);

	/* Signed by another key under this sender's name: bad signature. */
	test_store_open(&home2, &s2, &st2);
	ck_assert_int_eq(icomm_node_init(st2, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	ck_assert_int_eq(icomm_key_load(st2, &other, &err), NCEN_OK);
	ck_assert_int_eq(icomm_batch_seal(doc, &other, NULL, &der, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL, &err),
	    NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err), "bad signature"));

	/* Enveloped to two recipients: not as nodes encrypt, refused
	 * before any decryption. */
	ck_assert_int_eq(icomm_batch_seal(doc, &k, NULL, &der, &err),
	    NCEN_OK);
	envelope_two(&der, k.cert, other.cert);
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, &k,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err), NCEN_EINVALID);
	ck_assert_ptr_nonnull(strstr(ncen_err_msg(&err),
	    "not as ncen nodes encrypt"));
	ck_assert_ptr_null(back);

	/* Garbage is not CMS. */
	ck_assert_int_eq(icomm_batch_read("hello", 5, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL, &err),
	    NCEN_EPARSE);

	icomm_key_free(&other);
	test_store_close(home2, s2, st2);
	icomm_key_free(&k);
	json_decref(doc);
	buf_free(&der);
	buf_free(&id);
	ncen_err_free(&err);
}
END_TEST

/*
 * The signature is verified before anything is inflated or parsed: a
 * batch whose compressed content was altered so that it is no longer
 * zlib data, or no longer JSON, is a bad signature, not a decompression
 * or parse error, and nothing of it is read but the signer's name.  A
 * document that names another sender than its signer is refused too.
 */
START_TEST(test_batch_verify_first)
{
	static const struct {
		size_t		 at;		/* from the content's start */
		unsigned char	 x;
	} alter[] = {
		{ 0, 0x78 },	/* the zlib header: 0x78 becomes 0x00 */
		{ 1, 0xff },	/* its flags: the header check fails */
		{ 5, 0x55 },	/* inside the deflate data */
	};
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_key	 k;
	struct buf		 der = BUF_INIT, text = BUF_INIT, z = BUF_INIT;
	struct buf		 inflated = BUF_INIT;
	json_t			*doc, *back, *peek;
	unsigned char		*at;
	size_t			 i;

	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	ck_assert_int_eq(icomm_key_load(store, &k, &err), NCEN_OK);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:[{s:s}]}",
	    "format", ICOMM_BATCH_FORMAT, "version", 1, "sender", k.id,
	    "receiver", "DE-NODE", "batch", "b1", "created",
	    "2026-11-27T10:00:00Z", "items", "kind", "message");
	ck_assert_int_eq(icomm_batch_seal(doc, &k, NULL, &der, &err),
	    NCEN_OK);
	/* The signed content is the compressed document, inside the DER. */
	icomm_json_dump(doc, &text);
	ck_assert_int_eq(icomm_deflate(text.s, text.len, &z, &err), NCEN_OK);
	at = memmem(der.s, der.len, z.s, z.len);
	ck_assert_ptr_nonnull(at);
	for (i = 0; i < NELEM(alter); i++) {
		at[alter[i].at] ^= alter[i].x;
		/* What an unchecked reader would have made of it. */
		ck_assert_int_ne(icomm_inflate(at, z.len, ICOMM_BATCH_MAX,
		    &inflated, &err) == NCEN_OK && icomm_json_load(inflated.s,
		    inflated.len, "x", &back, &err) == NCEN_OK, 1);
		peek = NULL;
		back = NULL;
		ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
		    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back,
		    &peek, &err), NCEN_EINVALID);
		ck_assert_str_eq(ncen_err_msg(&err), "bad signature: not "
		    "signed by the registered certificate of FR-NODE");
		ck_assert_ptr_null(back);
		/* Only the signer's name, to address the refusal to. */
		ck_assert_ptr_nonnull(peek);
		ck_assert_uint_eq(json_object_size(peek), 1);
		ck_assert_str_eq(icomm_json_str(peek, "sender"), "FR-NODE");
		json_decref(peek);
		at[alter[i].at] ^= alter[i].x;
	}
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err), NCEN_OK);
	json_decref(back);

	/* Signed by FR-NODE, in DE-NODE's name. */
	json_object_set_new(doc, "sender", json_string("DE-NODE"));
	ck_assert_int_eq(icomm_batch_seal(doc, &k, NULL, &der, &err),
	    NCEN_OK);
	ck_assert_int_eq(icomm_batch_read(der.s, der.len, NULL,
	    ICOMM_BATCH_FORMAT, ICOMM_BATCH_MAX, cert_self, &k, &back, NULL,
	    &err), NCEN_EINVALID);
	ck_assert_str_eq(ncen_err_msg(&err), "bad signature: the document "
	    "names DE-NODE as its sender, but is signed by the registered "
	    "certificate of FR-NODE");
	icomm_key_free(&k);
	json_decref(doc);
	buf_free(&der);
	buf_free(&text);
	buf_free(&z);
	buf_free(&inflated);
	ncen_err_free(&err);
}
END_TEST

/* Every byte of a sealed batch flipped in turn: never accepted as is. */
START_TEST(test_batch_tamper)
{
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct icomm_key	 k;
	struct buf		 der = BUF_INIT;
	json_t			*doc, *back;
	size_t			 i, accepted = 0;

	ck_assert_int_eq(icomm_node_init(store, "ncp", "FR-NODE",
	    ICOMM_NATIONAL, 30, &err), NCEN_OK);
	ck_assert_int_eq(icomm_key_load(store, &k, &err), NCEN_OK);
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:[]}",
	    "format", ICOMM_BATCH_FORMAT, "version", 1, "sender", k.id,
	    "receiver", "DE-NODE", "batch", "b1", "created",
	    "2026-11-27T10:00:00Z", "items");
	ck_assert_int_eq(icomm_batch_seal(doc, &k, NULL, &der, &err),
	    NCEN_OK);
	for (i = 0; i < der.len; i++) {
		der.s[i] ^= 0x01;
		if (icomm_batch_read(der.s, der.len, NULL, ICOMM_BATCH_FORMAT,
		    ICOMM_BATCH_MAX, cert_self, &k, &back, NULL, &err) == NCEN_OK) {
			/*
			 * Only bytes outside what is signed may change (the
			 * copy of the certificate the message carries, which
			 * is ignored: the registered one is pinned).
			 */
			ck_assert(json_equal(doc, back));
			json_decref(back);
			accepted++;
		}
		der.s[i] ^= 0x01;
	}
	ck_assert_uint_lt(accepted, der.len);
	icomm_key_free(&k);
	json_decref(doc);
	buf_free(&der);
	ncen_err_free(&err);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("icomm");
	TCase	*tc = tcase_create("icomm");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_projection_cen_only);
	tcase_add_test(tc, test_projection_partner);
	tcase_add_test(tc, test_outbox);
	tcase_add_test(tc, test_pseudo_secret);
	tcase_add_test(tc, test_outbox_changes);
	tcase_add_test(tc, test_batch_round_trip);
	tcase_add_test(tc, test_batch_tamper);
	tcase_add_test(tc, test_batch_verify_first);
	suite_add_tcase(s, tc);
	return test_run(s);
}
