/*
 * auth-see.c - need to know: which records an account may see (see
 * auth.h).  One table says how each form's records are reached from
 * the cases; auth_see decides one record, auth_see_ids lists a form's
 * visible records through the cases, and tests hold the two together.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

#define AUTH_SEE_CASE	"case"
#define AUTH_SEE_DEPTH	4	/* attachments of attachments... */

/* How a form's records are seen. */
enum auth_see_via {
	AUTH_SEE_SELF,		/* the role matrix on the record itself */
	AUTH_SEE_OWNER_CASE,	/* as the case its `field` names */
	AUTH_SEE_LINKS,		/* through the cases linked to it */
	AUTH_SEE_ATTACHED,	/* as the record it is attached to */
	AUTH_SEE_REFS,		/* its officers, or one of the cases named */
};

/* The forms whose records are not seen by the matrix alone. */
static const struct auth_see_rule {
	const char		*entity;
	enum auth_see_via	 via;
	const char		*field;
} auth_see_rules[] = {
	{ "case",		AUTH_SEE_SELF,		NULL },
	{ "seizure",		AUTH_SEE_OWNER_CASE,	"case" },
	{ "transition",		AUTH_SEE_OWNER_CASE,	"case" },
	{ "person",		AUTH_SEE_LINKS,		NULL },
	{ "business",		AUTH_SEE_LINKS,		NULL },
	{ "conveyance",		AUTH_SEE_LINKS,		NULL },
	{ "attachment",		AUTH_SEE_ATTACHED,	NULL },
	{ "investigation",	AUTH_SEE_REFS,		"cases" },
};

/* An attachment names its record by these fields. */
#define AUTH_SEE_ATT_ENTITY	"entity"
#define AUTH_SEE_ATT_RECORD	"record"
/* An investigation's officers. */
#define AUTH_SEE_OFFICERS	"officers"

/*
 * The rule of a form: from the table, else a form with a single
 * `ref:case` field is seen as that case, else the matrix.
 */
static struct auth_see_rule
auth_see_rule(const struct schema_form *f)
{
	struct auth_see_rule	r = { NULL, AUTH_SEE_SELF, NULL };
	size_t			i;

	for (i = 0; i < sizeof auth_see_rules / sizeof auth_see_rules[0]; i++)
		if (strcmp(auth_see_rules[i].entity, f->name) == 0)
			return auth_see_rules[i];
	for (i = 0; i < f->nfields; i++)
		if (f->fields[i].type == SCHEMA_REF && !f->fields[i].repeated &&
		    strcmp(f->fields[i].target, AUTH_SEE_CASE) == 0) {
			r.via = AUTH_SEE_OWNER_CASE;
			r.field = f->fields[i].name;
			break;
		}
	r.entity = f->name;
	return r;
}

/* Read a record, in t when given. */
static int
auth_see_get(struct store *st, struct store_txn *t, const char *entity,
    uint64_t id, struct record **r, struct ncen_err *err)
{
	if (t != NULL)
		return store_txn_get(t, entity, id, r, err);
	return store_get(st, entity, id, r, err);
}

/* Read a record's links, in t when given. */
static int
auth_see_links(struct store *st, struct store_txn *t, struct store_ref ref,
    store_link_fn fn, void *arg, struct ncen_err *err)
{
	if (t != NULL)
		return store_txn_links(t, ref, fn, arg, err);
	return store_links(st, ref, fn, arg, err);
}

static int auth_see_depth(struct store *, struct store_txn *,
    const struct auth_account *, const struct record *, struct auth_seen *,
    int, struct ncen_err *);

/* Decide by the case of this id: seen, or its office noted. */
static int
auth_see_case(struct store *st, struct store_txn *t,
    const struct auth_account *a, uint64_t id, struct auth_seen *s,
    struct ncen_err *err)
{
	struct record	*c = NULL;
	const char	*office;
	int		 error;

	error = auth_see_get(st, t, AUTH_SEE_CASE, id, &c, err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_free(err);
		return NCEN_OK;		/* a dangling reference shows nothing */
	}
	if (error != NCEN_OK)
		return error;
	if (auth_may(a, AUTH_VIEW, c))
		s->seen = 1;
	else if (s->office.len == 0 &&
	    (office = record_get(c, "office")) != NULL)
		buf_adds(&s->office, office);
	record_free(c);
	return NCEN_OK;
}

/* A person, business or conveyance: through its cases, else its maker. */
static int
auth_see_linked(struct store *st, struct store_txn *t,
    const struct auth_account *a, const struct record *r, struct auth_seen *s,
    struct ncen_err *err)
{
	struct store_ids	 w = { AUTH_SEE_CASE, NULL, 0 };
	struct store_ref	 ref = { r->form->name, r->id };
	const char		*maker;
	size_t			 i;
	int			 error;

	if ((error = auth_see_links(st, t, ref, store_ids_link, &w, err)) !=
	    NCEN_OK)
		goto out;
	for (i = 0; i < w.n && !s->seen; i++)
		if ((error = auth_see_case(st, t, a, w.ids[i], s, err)) !=
		    NCEN_OK)
			goto out;
	if (w.n == 0 && (maker = record_get(r, STORE_CREATOR_FIELD)) != NULL &&
	    strcmp(maker, a->name) == 0)
		s->seen = 1;
out:
	store_ids_free(&w);
	return error;
}

/* An attachment: as the record it belongs to. */
static int
auth_see_attached(struct store *st, struct store_txn *t,
    const struct auth_account *a, const struct record *r, struct auth_seen *s,
    int depth, struct ncen_err *err)
{
	const char	*entity = record_get(r, AUTH_SEE_ATT_ENTITY);
	const char	*id = record_get(r, AUTH_SEE_ATT_RECORD);
	struct record	*owner = NULL;
	int		 error;

	if (entity == NULL || id == NULL || depth >= AUTH_SEE_DEPTH)
		return NCEN_OK;
	error = auth_see_get(st, t, entity, strtoull(id, NULL, 10), &owner,
	    err);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_free(err);
		return NCEN_OK;
	}
	if (error == NCEN_OK)
		error = auth_see_depth(st, t, a, owner, s, depth + 1, err);
	record_free(owner);
	return error;
}

/* An investigation: one of its officers, or through one of its cases. */
static int
auth_see_refs(struct store *st, struct store_txn *t,
    const struct auth_account *a, const struct record *r,
    const struct auth_see_rule *rule, struct auth_seen *s,
    struct ncen_err *err)
{
	const struct record_values	*v;
	int				 fi, error;
	size_t				 i;

	if ((fi = schema_field_index(r->form, AUTH_SEE_OFFICERS)) >= 0)
		for (v = &r->fields[fi], i = 0; i < v->n; i++)
			if (strcmp(v->v[i], a->name) == 0) {
				s->seen = 1;
				return NCEN_OK;
			}
	if ((fi = schema_field_index(r->form, rule->field)) < 0)
		return NCEN_OK;
	for (v = &r->fields[fi], i = 0; i < v->n && !s->seen; i++)
		if ((error = auth_see_case(st, t, a, strtoull(v->v[i], NULL,
		    10), s, err)) != NCEN_OK)
			return error;
	return NCEN_OK;
}

/* auth_see, with the depth of attachments followed. */
static int
auth_see_depth(struct store *st, struct store_txn *t,
    const struct auth_account *a, const struct record *r, struct auth_seen *s,
    int depth, struct ncen_err *err)
{
	struct auth_see_rule	 rule;
	const char		*ref;

	if (!auth_may(a, AUTH_VIEW, NULL))
		return NCEN_OK;
	if (auth_all(a, AUTH_VIEW)) {
		s->seen = 1;
		return NCEN_OK;
	}
	rule = auth_see_rule(r->form);
	switch (rule.via) {
	case AUTH_SEE_OWNER_CASE:
		if ((ref = record_get(r, rule.field)) == NULL)
			return NCEN_OK;
		return auth_see_case(st, t, a, strtoull(ref, NULL, 10), s,
		    err);
	case AUTH_SEE_LINKS:
		return auth_see_linked(st, t, a, r, s, err);
	case AUTH_SEE_ATTACHED:
		return auth_see_attached(st, t, a, r, s, depth, err);
	case AUTH_SEE_REFS:
		return auth_see_refs(st, t, a, r, &rule, s, err);
	default:
		s->seen = auth_may(a, AUTH_VIEW, r);
		if (!s->seen && (ref = record_get(r, "office")) != NULL)
			buf_adds(&s->office, ref);
		return NCEN_OK;
	}
}

/* Whether the account sees the record (see auth.h). */
int
auth_see(struct store *st, struct store_txn *t, const struct auth_account *a,
    const struct record *r, struct auth_seen *s, struct ncen_err *err)
{
	s->seen = 0;
	buf_reset(&s->office);
	if (a == NULL || r == NULL)
		return NCEN_OK;
	return auth_see_depth(st, t, a, r, s, 0, err);
}

/* Whether the account sees the record; a failed read counts as no. */
int
auth_sees(struct store *st, struct store_txn *t, const struct auth_account *a,
    const struct record *r)
{
	struct auth_seen	s = { 0, BUF_INIT };
	struct ncen_err		e = NCEN_ERR_INIT;
	int			seen;

	seen = auth_see(st, t, a, r, &s, &e) == NCEN_OK && s.seen;
	buf_free(&s.office);
	ncen_err_free(&e);
	return seen;
}

/* Ids gathered while walking, and what is needed to decide them. */
struct auth_see_set {
	struct store			*st;
	const struct auth_account	*a;
	const char			*entity;	/* for link walks */
	uint64_t			*ids;
	size_t				 n, cap;
	int				 error;
	struct ncen_err			*err;
};

/* Add an id to a set. */
static void
auth_see_add(struct auth_see_set *s, uint64_t id)
{
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 64 : s->cap * 2;
		s->ids = xreallocarray(s->ids, s->cap, sizeof *s->ids);
	}
	s->ids[s->n++] = id;
}

/* Order ids. */
static int
auth_see_idcmp(const void *va, const void *vb)
{
	uint64_t	a = *(const uint64_t *)va, b = *(const uint64_t *)vb;

	return a < b ? -1 : a > b;
}

/* Sort a set and drop the repeated ids. */
static void
auth_see_unique(struct auth_see_set *s)
{
	size_t	i, o = 0;

	if (s->n > 1)
		qsort(s->ids, s->n, sizeof *s->ids, auth_see_idcmp);
	for (i = 0; i < s->n; i++)
		if (o == 0 || s->ids[o - 1] != s->ids[i])
			s->ids[o++] = s->ids[i];
	s->n = o;
}

/* Keep a case the role matrix lets the account see. */
static int
auth_see_case_fn(const struct record *r, void *arg)
{
	struct auth_see_set	*s = arg;

	if (auth_may(s->a, AUTH_VIEW, r))
		auth_see_add(s, r->id);
	return 0;
}

/* Keep a record auth_see lets the account see. */
static int
auth_see_any_fn(const struct record *r, void *arg)
{
	struct auth_see_set	*s = arg;
	struct auth_seen	 seen = { 0, BUF_INIT };

	if ((s->error = auth_see(s->st, NULL, s->a, r, &seen, s->err)) ==
	    NCEN_OK && seen.seen)
		auth_see_add(s, r->id);
	buf_free(&seen.office);
	return s->error != NCEN_OK;
}

/* Whether some cases have no officer, so that its index misses them. */
static int
auth_see_unowned(struct store *st, int *some, struct ncen_err *err)
{
	uint64_t	records, owned;
	int		error;

	*some = 0;
	if ((error = store_count(st, AUTH_SEE_CASE, &records, err)) !=
	    NCEN_OK || (error = store_count_index(st, AUTH_SEE_CASE,
	    AUTH_OWNER_FIELD, &owned, err)) != NCEN_OK)
		return error;
	*some = owned < records;
	return NCEN_OK;
}

/*
 * The cases the account sees, found through the officer index (an
 * officer's own) or the office index (a supervisor's offices); every
 * case is read only when nothing narrower finds them all.
 */
static int
auth_see_cases(struct store *st, const struct auth_account *a,
    struct auth_see_set *s, struct ncen_err *err)
{
	const char	*own = auth_own_only(a, AUTH_VIEW);
	size_t		 i;
	int		 error, unowned;

	if (!auth_may(a, AUTH_VIEW, NULL))
		return NCEN_OK;
	if (own != NULL) {
		if ((error = auth_see_unowned(st, &unowned, err)) != NCEN_OK)
			return error;
		if (!unowned)
			return store_find(st, AUTH_SEE_CASE, AUTH_OWNER_FIELD,
			    own, NULL, auth_see_case_fn, s, err);
	} else if (a->noffices != 0) {
		for (i = 0; i < a->noffices; i++)
			if ((error = store_find(st, AUTH_SEE_CASE, "office",
			    a->offices[i], NULL, auth_see_case_fn, s, err)) !=
			    NCEN_OK)
				return error;
		return NCEN_OK;
	}
	return store_scan(st, AUTH_SEE_CASE, auth_see_case_fn, s, err);
}

/* Note a linked record of the form sought. */
static int
auth_see_linkset_fn(const struct store_link *l, void *arg)
{
	struct auth_see_set	*s = arg;

	if (strcmp(l->entity, s->entity) == 0)
		auth_see_add(s, l->id);
	return 0;
}

/* Keep a record the account made that no case is linked to yet. */
static int
auth_see_made_fn(const struct record *r, void *arg)
{
	struct auth_see_set	*s = arg;
	struct store_ids	 w = { AUTH_SEE_CASE, NULL, 0 };
	struct store_ref	 ref = { r->form->name, r->id };
	const char		*maker = record_get(r, STORE_CREATOR_FIELD);

	if (maker == NULL || strcmp(maker, s->a->name) != 0)
		return 0;
	s->error = store_links(s->st, ref, store_ids_link, &w, s->err);
	if (s->error == NCEN_OK && w.n == 0)
		auth_see_add(s, r->id);
	store_ids_free(&w);
	return s->error != NCEN_OK;
}

/* Walk with fn; a walk stopped by fn returns the error fn noted. */
static int
auth_see_walked(struct auth_see_set *s, int ret)
{
	if (ret == NCEN_OK)
		return NCEN_OK;
	return s->error != NCEN_OK ? s->error : ret;
}

/* The ids of a form's records the account sees (see auth.h). */
int
auth_see_ids(struct store *st, const struct auth_account *a,
    const char *entity, uint64_t **ids, size_t *nids, int *all,
    struct ncen_err *err)
{
	struct auth_see_set	 cases, s;
	const struct schema_form *f;
	const struct schema_field *made;
	struct auth_see_rule	 rule;
	struct store_ref	 ref;
	char			 num[24];
	size_t			 i;
	int			 error = NCEN_OK;

	*ids = NULL;
	*nids = 0;
	*all = 0;
	if ((f = schema_form_find(store_schema(st), entity)) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("no form named "
		    "'%s'"), entity);
	if (auth_all(a, AUTH_VIEW)) {
		*all = 1;
		return NCEN_OK;
	}
	memset(&cases, 0, sizeof cases);
	memset(&s, 0, sizeof s);
	cases.st = s.st = st;
	cases.a = s.a = a;
	cases.err = s.err = err;
	s.entity = entity;
	rule = auth_see_rule(f);
	if (rule.via == AUTH_SEE_SELF && strcmp(entity, AUTH_SEE_CASE) == 0) {
		error = auth_see_cases(st, a, &s, err);
		goto out;
	}
	if ((rule.via == AUTH_SEE_OWNER_CASE || rule.via == AUTH_SEE_LINKS) &&
	    (error = auth_see_cases(st, a, &cases, err)) != NCEN_OK)
		goto out;
	switch (rule.via) {
	case AUTH_SEE_OWNER_CASE:
		for (i = 0; i < cases.n && error == NCEN_OK; i++) {
			snprintf(num, sizeof num, "%" PRIu64, cases.ids[i]);
			error = store_find(st, entity, rule.field, num, NULL,
			    auth_see_case_fn, &s, err);
		}
		break;
	case AUTH_SEE_LINKS:
		for (i = 0; i < cases.n && error == NCEN_OK; i++) {
			ref.entity = AUTH_SEE_CASE;
			ref.id = cases.ids[i];
			error = store_links(st, ref, auth_see_linkset_fn, &s,
			    err);
		}
		if (error == NCEN_OK && (made = schema_field_find(f,
		    STORE_CREATOR_FIELD)) != NULL)
			error = auth_see_walked(&s, made->indexed ?
			    store_find(st, entity, STORE_CREATOR_FIELD,
			    a->name, NULL, auth_see_made_fn, &s, err) :
			    store_scan(st, entity, auth_see_made_fn, &s, err));
		break;
	default:
		/* Few records, or no way through the cases: each decided. */
		error = auth_see_walked(&s, store_scan(st, entity,
		    auth_see_any_fn, &s, err));
		break;
	}
out:
	free(cases.ids);
	if (error != NCEN_OK) {
		free(s.ids);
		return error;
	}
	auth_see_unique(&s);
	*ids = s.ids;
	*nids = s.n;
	return NCEN_OK;
}
