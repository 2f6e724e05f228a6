/*
 * alert-rule.c - which rules a case meets (alert.h, ncen-rules(5)).
 *
 * A rule's conditions are grouped by form: the case's must all hold on
 * the case; a seizure's must all hold on one seizure line of it; a
 * person's, business's or conveyance's on one record linked to it.
 * A count is then made over the cases of each record linked to the
 * checked case (linked with the role in each, when the rule names one),
 * dated in the window that ends at the checked case's date.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alert.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "rules.h"
#include "store.h"
#include "xmalloc.h"

/* Records found, copied. */
struct alert_recs {
	struct record	**v;
	size_t		  n;
};

/* Keep a copy of a seizure line found (store_record_fn). */
static int
alert_rule_keep(const struct record *r, void *arg)
{
	struct alert_recs	*rs = arg;

	rs->v = xreallocarray(rs->v, rs->n + 1, sizeof *rs->v);
	rs->v[rs->n++] = record_copy(r);
	return 0;
}

/* Keep the links of a case to persons, businesses and conveyances. */
struct alert_links {
	struct store_link	*v;
	size_t			 n;
};

/* Keep a link to a person, business or conveyance (store_link_fn). */
static int
alert_rule_link(const struct store_link *l, void *arg)
{
	struct alert_links	*ls = arg;

	if (strcmp(l->entity, "person") != 0 &&
	    strcmp(l->entity, "business") != 0 &&
	    strcmp(l->entity, "conveyance") != 0)
		return 0;
	ls->v = xreallocarray(ls->v, ls->n + 1, sizeof *ls->v);
	ls->v[ls->n].entity = xstrdup(l->entity);
	ls->v[ls->n].role = xstrdup(l->role != NULL ? l->role : "");
	ls->v[ls->n].id = l->id;
	ls->v[ls->n].incoming = l->incoming;
	ls->n++;
	return 0;
}

/* Read a case with its seizure lines and linked records. */
int
alert_case_load(struct store *st, uint64_t id, struct alert_case *ac,
    struct ncen_err *err)
{
	struct alert_links	 ls;
	struct alert_recs	 rs;
	struct store_ref	 ref;
	struct record		*r;
	struct buf		 idtext = BUF_INIT;
	size_t			 i;
	int			 rc;

	memset(ac, 0, sizeof *ac);
	memset(&ls, 0, sizeof ls);
	memset(&rs, 0, sizeof rs);
	if ((rc = store_get(st, "case", id, &ac->c, err)) != NCEN_OK)
		return rc;
	ref.entity = "case";
	ref.id = id;
	if ((rc = store_links(st, ref, alert_rule_link, &ls, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < ls.n && rc == NCEN_OK; i++) {
		r = NULL;
		rc = store_get(st, ls.v[i].entity, ls.v[i].id, &r, err);
		if (rc == NCEN_ENOTFOUND) {
			ncen_err_clear(err);
			rc = NCEN_OK;
			continue;
		}
		if (rc != NCEN_OK)
			break;
		ac->linked = xreallocarray(ac->linked, ac->nlinked + 1,
		    sizeof *ac->linked);
		ac->roles = xreallocarray(ac->roles, ac->nlinked + 1,
		    sizeof *ac->roles);
		ac->linked[ac->nlinked] = r;
		ac->roles[ac->nlinked] = xstrdup(ls.v[i].role);
		ac->nlinked++;
	}
	if (rc == NCEN_OK && schema_form_find(store_schema(st), "seizure") !=
	    NULL) {
		buf_addf(&idtext, "%llu", (unsigned long long)id);
		rc = store_find(st, "seizure", "case", buf_cstr(&idtext), NULL,
		    alert_rule_keep, &rs, err);
		ac->seizures = rs.v;
		ac->nseizures = rs.n;
	}
out:
	buf_free(&idtext);
	for (i = 0; i < ls.n; i++) {
		free(ls.v[i].entity);
		free(ls.v[i].role);
	}
	free(ls.v);
	if (rc != NCEN_OK)
		alert_case_free(ac);
	return rc;
}

/* Release what alert_case_load read. */
void
alert_case_free(struct alert_case *ac)
{
	size_t	i;

	record_free(ac->c);
	for (i = 0; i < ac->nlinked; i++) {
		record_free(ac->linked[i]);
		free(ac->roles[i]);
	}
	for (i = 0; i < ac->nseizures; i++)
		record_free(ac->seizures[i]);
	free(ac->linked);
	free(ac->roles);
	free(ac->seizures);
	memset(ac, 0, sizeof *ac);
}

/* Compare one stored value with one rule value: <0, 0, >0. */
static int
alert_rule_cmp(const struct schema_field *f, const char *v, const char *w)
{
	double	a, b;

	if (f->type == SCHEMA_INTEGER || f->type == SCHEMA_DECIMAL) {
		a = strtod(v, NULL);
		b = strtod(w, NULL);
		return a < b ? -1 : a > b;
	}
	if (f->type == SCHEMA_DATE || f->type == SCHEMA_DATETIME)
		return strncmp(v, w, 10);
	return strcasecmp(v, w);
}

/* Whether one value satisfies a condition's operator and values. */
static int
alert_rule_value(const struct rules_cond *c, const char *v)
{
	size_t	i;
	int	d;

	if (c->op == RULES_EQ || c->op == RULES_IN) {
		for (i = 0; i < c->nvalues; i++)
			if (alert_rule_cmp(c->field, v, c->values[i]) == 0)
				return 1;
		return 0;
	}
	d = alert_rule_cmp(c->field, v, c->values[0]);
	switch (c->op) {
	case RULES_GE:
		return d >= 0;
	case RULES_LE:
		return d <= 0;
	case RULES_GT:
		return d > 0;
	case RULES_LT:
		return d < 0;
	default:
		return 0;
	}
}

/* Whether a record satisfies one condition. */
static int
alert_rule_cond(const struct rules_cond *c, const struct record *r)
{
	int	idx = schema_field_index(r->form, c->field->name);
	size_t	i, j;

	if (idx < 0)
		return c->op == RULES_NE;
	if (c->op == RULES_NE) {
		for (i = 0; i < r->fields[idx].n; i++)
			for (j = 0; j < c->nvalues; j++)
				if (alert_rule_cmp(c->field,
				    r->fields[idx].v[i], c->values[j]) == 0)
					return 0;
		return 1;
	}
	for (i = 0; i < r->fields[idx].n; i++)
		if (alert_rule_value(c, r->fields[idx].v[i]))
			return 1;
	return 0;
}

/* Whether a record satisfies all of a rule's conditions on its form. */
static int
alert_rule_all(const struct rules_rule *rule, const struct record *r)
{
	size_t	i;

	for (i = 0; i < rule->nconds; i++)
		if (strcmp(rule->conds[i].form->name, r->form->name) == 0 &&
		    !alert_rule_cond(&rule->conds[i], r))
			return 0;
	return 1;
}

/* Whether a rule names conditions on a form. */
static int
alert_rule_names(const struct rules_rule *rule, const char *form)
{
	size_t	i;

	for (i = 0; i < rule->nconds; i++)
		if (strcmp(rule->conds[i].form->name, form) == 0)
			return 1;
	return 0;
}

/* Whether some record of a list satisfies the conditions on its form. */
static int
alert_rule_some(const struct rules_rule *rule, const char *form,
    struct record *const *v, size_t n, const struct record **which)
{
	size_t	i;

	if (!alert_rule_names(rule, form))
		return 1;
	for (i = 0; i < n; i++)
		if (strcmp(v[i]->form->name, form) == 0 &&
		    alert_rule_all(rule, v[i])) {
			*which = v[i];
			return 1;
		}
	return 0;
}

/* Days since the epoch of YYYY-MM-DD, -1 if it is not one. */
static long
alert_rule_day(const char *s)
{
	struct tm	tm;

	if (s == NULL || strlen(s) < 10)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = atoi(s) - 1900;
	tm.tm_mon = atoi(s + 5) - 1;
	tm.tm_mday = atoi(s + 8);
	return (long)(timegm(&tm) / 86400);
}

/* A counting condition over the cases of one linked record. */
struct alert_count {
	const struct rules_count	*rc;
	long				 day;	/* the checked case's */
	struct store_ids		 cases;	/* counted */
	char				**values; /* distinct values of `of` */
	size_t				 nvalues;
};

/* Count one case if it lies in the window; keep its `of` value. */
static int
alert_rule_count_one(struct store *st, struct alert_count *ac,
    uint64_t id, struct ncen_err *err)
{
	struct record	*c = NULL;
	const char	*v;
	long		 d;
	size_t		 i;
	int		 rc;

	if ((rc = store_get(st, "case", id, &c, err)) == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (rc != NCEN_OK)
		return rc;
	if (ac->rc->days != 0) {
		d = alert_rule_day(record_get(c, "date"));
		if (d < 0 || ac->day < 0 || d > ac->day ||
		    ac->day - d > (long)ac->rc->days)
			goto out;
	}
	store_ids_add(&ac->cases, id);
	if (ac->rc->of != NULL && (v = record_get(c, ac->rc->of->name)) !=
	    NULL && *v != '\0') {
		for (i = 0; i < ac->nvalues; i++)
			if (strcmp(ac->values[i], v) == 0)
				break;
		if (i == ac->nvalues) {
			ac->values = xreallocarray(ac->values, ac->nvalues + 1,
			    sizeof *ac->values);
			ac->values[ac->nvalues++] = xstrdup(v);
		}
	}
out:
	record_free(c);
	return NCEN_OK;
}

/* Forget a count. */
static void
alert_rule_count_free(struct alert_count *ac)
{
	size_t	i;

	store_ids_free(&ac->cases);
	for (i = 0; i < ac->nvalues; i++)
		free(ac->values[i]);
	free(ac->values);
	ac->values = NULL;
	ac->nvalues = 0;
}

/* Add a finding for a rule. */
static struct alert_found *
alert_rule_found(struct alert_findings *fs, const struct rules_rule *rule)
{
	struct alert_found	*f;
	struct buf		 b = BUF_INIT;

	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof *fs->v);
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	buf_addf(&b, "rule:%s", rule->name);
	f->source = buf_detach(&b);
	f->title = xstrdup(rule->title);
	f->owner = xstrdup(rule->notify);
	return f;
}

/* Name a record among a finding's matched records. */
static void
alert_rule_match(struct alert_found *f, const char *entity, uint64_t id)
{
	struct buf	b = BUF_INIT;
	size_t		i;

	buf_addf(&b, "%s:%llu", entity, (unsigned long long)id);
	for (i = 0; i < f->nmatched; i++)
		if (strcmp(f->matched[i], buf_cstr(&b)) == 0) {
			buf_free(&b);
			return;
		}
	f->matched = xreallocarray(f->matched, f->nmatched + 1,
	    sizeof *f->matched);
	f->matched[f->nmatched++] = buf_detach(&b);
}

/* The cases a record is linked to, with the rule's role if it has one. */
struct alert_role_ids {
	struct store_ids	 ids;
	const char		*role;
};

/* Keep a linked case when its link has the role (store_link_fn). */
static int
alert_rule_role_link(const struct store_link *l, void *arg)
{
	struct alert_role_ids	*r = arg;

	if (r->role != NULL && (l->role == NULL || strcmp(l->role, r->role) !=
	    0))
		return 0;
	return store_ids_link(l, &r->ids);
}

/*
 * The counting condition: the first linked record whose cases reach
 * the count; 1 and the count filled, 0 when none does.
 */
static int
alert_rule_count(struct store *st, const struct rules_rule *rule,
    const struct alert_case *c, struct alert_count *out, size_t *which,
    struct ncen_err *err)
{
	const struct rules_count	*rc = &rule->count;
	struct alert_role_ids		 ri;
	struct store_ids		*idsp = &ri.ids;
	struct store_ref		 ref;
	size_t				 i, j, got;
	int				 e;

	for (i = 0; i < c->nlinked; i++) {
		if (strcmp(c->linked[i]->form->name, rc->by->name) != 0 ||
		    (rc->role != NULL && strcmp(rc->role, c->roles[i]) != 0))
			continue;
		memset(&ri, 0, sizeof ri);
		ri.ids.entity = "case";
		ri.role = rc->role;
		ref.entity = c->linked[i]->form->name;
		ref.id = c->linked[i]->id;
		if ((e = store_links(st, ref, alert_rule_role_link, &ri,
		    err)) != NCEN_OK) {
			store_ids_free(idsp);
			return -e;
		}
		memset(out, 0, sizeof *out);
		out->rc = rc;
		out->day = alert_rule_day(record_get(c->c, "date"));
		for (j = 0; j < idsp->n; j++)
			if ((e = alert_rule_count_one(st, out, idsp->ids[j],
			    err)) != NCEN_OK) {
				store_ids_free(idsp);
				alert_rule_count_free(out);
				return -e;
			}
		store_ids_free(idsp);
		got = rc->of != NULL ? out->nvalues : out->cases.n;
		if (got >= rc->n) {
			*which = i;
			return 1;
		}
		alert_rule_count_free(out);
	}
	return 0;
}

/* One rule against a case: a finding when it meets it. */
static int
alert_rule_one(struct store *st, const struct rules_rule *rule,
    const struct alert_case *c, struct alert_findings *fs,
    struct ncen_err *err)
{
	static const char *const linked[] = { "person", "business",
	    "conveyance" };
	const struct record	*hit[4] = { NULL, NULL, NULL, NULL };
	struct alert_count	 cnt;
	struct alert_found	*f;
	struct buf		 why = BUF_INIT;
	size_t			 i, which = 0;
	int			 r;

	if (!alert_rule_all(rule, c->c) ||
	    !alert_rule_some(rule, "seizure", c->seizures, c->nseizures,
	    &hit[3]))
		return NCEN_OK;
	for (i = 0; i < 3; i++)
		if (!alert_rule_some(rule, linked[i], c->linked, c->nlinked,
		    &hit[i]))
			return NCEN_OK;
	memset(&cnt, 0, sizeof cnt);
	if (rule->count.n != 0) {
		r = alert_rule_count(st, rule, c, &cnt, &which, err);
		if (r < 0)
			return -r;
		if (r == 0)
			return NCEN_OK;
	}
	f = alert_rule_found(fs, rule);
	alert_rule_match(f, "case", c->c->id);
	for (i = 0; i < 4; i++)
		if (hit[i] != NULL)
			alert_rule_match(f, hit[i]->form->name, hit[i]->id);
	if (rule->nconds != 0)
		buf_addf(&why, _("%zu conditions met"), rule->nconds);
	if (rule->count.n != 0) {
		alert_rule_match(f, c->linked[which]->form->name,
		    c->linked[which]->id);
		for (i = 0; i < cnt.cases.n; i++)
			alert_rule_match(f, "case", cnt.cases.ids[i]);
		if (why.len != 0)
			buf_adds(&why, "; ");
		if (rule->count.of != NULL)
			buf_addf(&why, _("%s:%llu in cases of %zu different "
			    "%s"), c->linked[which]->form->name,
			    (unsigned long long)c->linked[which]->id,
			    cnt.nvalues, rule->count.of->name);
		else
			buf_addf(&why, _("%s:%llu in %zu cases"),
			    c->linked[which]->form->name,
			    (unsigned long long)c->linked[which]->id,
			    cnt.cases.n);
		if (rule->count.days != 0)
			buf_addf(&why, _(" within %lu days"), rule->count.days);
		alert_rule_count_free(&cnt);
	}
	f->why = buf_detach(&why);
	return NCEN_OK;
}

/* The rules a case meets, as findings (rule NULL: every rule). */
int
alert_rule_case(struct store *st, const struct rules *rs, const char *rule,
    const struct alert_case *c, struct alert_findings *fs,
    struct ncen_err *err)
{
	size_t	i;
	int	rc = NCEN_OK;

	for (i = 0; rs != NULL && i < rs->n && rc == NCEN_OK; i++)
		if (rule == NULL || strcmp(rule, rs->v[i].name) == 0)
			rc = alert_rule_one(st, &rs->v[i], c, fs, err);
	return rc;
}
