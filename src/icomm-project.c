/*
 * icomm-project.c - the projection of a case and its linked records to
 * the fields an agreement allows (see icomm-project.h).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "icomm-project.h"
#include "icomm-pseudo.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

/* The entities linked to a case that travel with it. */
static const char *const icomm_project_linked_forms[] = {
	"person", "business", "conveyance"
};

/* Whether records of a form travel with the cases they are linked to. */
int
icomm_project_linked(const char *entity)
{
	size_t	i;

	for (i = 0; i < sizeof icomm_project_linked_forms /
	    sizeof icomm_project_linked_forms[0]; i++)
		if (strcmp(entity, icomm_project_linked_forms[i]) == 0)
			return 1;
	return 0;
}

/* Whether a field of a sharing level may go under an agreement level. */
int
icomm_share_allows(enum schema_share level, enum schema_share field)
{
	if (field == SCHEMA_CEN)
		return level == SCHEMA_CEN || level == SCHEMA_PARTNER;
	if (field == SCHEMA_PARTNER)
		return level == SCHEMA_PARTNER;
	return 0;
}

/*
 * The reasons values travel with a wrong check digit (validate.h), for
 * the values the projection carries: {"FIELD": {"VALUE": "reason"}},
 * or NULL when there are none.
 */
static json_t *
icomm_project_checks(const struct record *r, json_t *fields)
{
	const char	*name, *dot;
	json_t		*checks = NULL, *per, *vals, *jv;
	struct buf	 fname = BUF_INIT;
	size_t		 i, j, plen = strlen(SCHEMA_CHECK_EXTRA);

	for (i = 0; i < r->nextra; i++) {
		name = r->extra[i].name;
		if (strncmp(name, SCHEMA_CHECK_EXTRA, plen) != 0 ||
		    (dot = strchr(name + plen, '.')) == NULL)
			continue;
		buf_reset(&fname);
		buf_add(&fname, name + plen, (size_t)(dot - (name + plen)));
		if ((vals = json_object_get(fields, fname.s)) == NULL)
			continue;
		json_array_foreach(vals, j, jv) {
			if (strcmp(json_string_value(jv), dot + 1) != 0)
				continue;
			if (checks == NULL)
				checks = json_object();
			if ((per = json_object_get(checks, fname.s)) == NULL) {
				per = json_object();
				json_object_set_new(checks, fname.s, per);
			}
			json_object_set_new(per, dot + 1,
			    json_string(r->extra[i].value));
			break;
		}
	}
	buf_free(&fname);
	return checks;
}

/*
 * Whether a value of a field may leave: a reference only to a record
 * the item carries; text with a pattern only when it fits it (a value
 * kept from before the field had its pattern does not); free text never
 * at level cen (the forms refuse it there, this is the last guard).
 */
static int
icomm_project_value(const struct schema_field *f, const char *v,
    enum schema_share level, int (*carried)(const char *, uint64_t, void *),
    void *arg)
{
	char	*end;

	if (f->type == SCHEMA_REF)
		return carried != NULL && carried(f->target, strtoull(v, &end,
		    10), arg);
	if (f->type != SCHEMA_TEXT)
		return 1;
	if (f->pattern == SCHEMA_PATTERN_NONE)
		return level != SCHEMA_CEN;
	return schema_pattern_fits(f, v);
}

/* One record's allowed fields. */
json_t *
icomm_project_record(const struct record *r, enum schema_share level,
    int (*carried)(const char *, uint64_t, void *), void *arg)
{
	const struct schema_field	*f;
	json_t				*fields, *vals, *out, *checks;
	size_t				 i, j;

	fields = json_object();
	for (i = 0; i < r->form->nfields; i++) {
		f = &r->form->fields[i];
		if (!icomm_share_allows(level, f->share) ||
		    r->fields[i].n == 0)
			continue;
		vals = json_array();
		for (j = 0; j < r->fields[i].n; j++) {
			if (!icomm_project_value(f, r->fields[i].v[j], level,
			    carried, arg))
				continue;
			json_array_append_new(vals,
			    json_string(r->fields[i].v[j]));
		}
		if (json_array_size(vals) == 0)
			json_decref(vals);
		else
			json_object_set_new(fields, f->name, vals);
	}
	out = json_pack("{s:s, s:I, s:I, s:o}", "entity", r->form->name,
	    "id", (json_int_t)r->id, "version", (json_int_t)r->version,
	    "fields", fields);
	if ((checks = icomm_project_checks(r, fields)) != NULL)
		json_object_set_new(out, "checks", checks);
	return out;
}

/* What a case's projection collects. */
struct icomm_project_run {
	struct store		*st;
	uint64_t		 case_id;
	enum schema_share	 level;
	struct record		**recs;
	size_t			 nrecs;
	struct store_link	*links;
	size_t			 nlinks;
	const struct icomm_pseudo *ps;		/* at level cen */
};

/* Whether the item carries a record (the case itself, for seizures). */
static int
icomm_project_carried(const char *entity, uint64_t id, void *arg)
{
	struct icomm_project_run	*p = arg;

	return strcmp(entity, "case") == 0 && id == p->case_id;
}

/* Keep a seizure of the case (store_record_fn). */
static int
icomm_project_seizure(const struct record *r, void *arg)
{
	struct icomm_project_run	*p = arg;

	p->recs = xreallocarray(p->recs, p->nrecs + 1, sizeof *p->recs);
	p->recs[p->nrecs++] = record_copy(r);
	return 0;
}

/* Keep a link of the case to a record that travels (store_link_fn). */
static int
icomm_project_link(const struct store_link *l, void *arg)
{
	struct icomm_project_run	*p = arg;

	if (!icomm_project_linked(l->entity))
		return 0;
	p->links = xreallocarray(p->links, p->nlinks + 1, sizeof *p->links);
	p->links[p->nlinks].role = xstrdup(l->role);
	p->links[p->nlinks].entity = xstrdup(l->entity);
	p->links[p->nlinks].id = l->id;
	p->links[p->nlinks].incoming = l->incoming;
	p->nlinks++;
	return 0;
}

/*
 * How a linked record is named in the item: "ENTITY:ID", or at level
 * cen for a person or business "ENTITY:PSEUDONYM" (then its pseudonym
 * alone in *pseudo, else *pseudo is empty).
 */
static int
icomm_project_name(const struct icomm_project_run *p, const char *entity,
    uint64_t id, struct buf *name, struct buf *pseudo, struct ncen_err *err)
{
	int	error;

	buf_reset(name);
	buf_reset(pseudo);
	if (p->level != SCHEMA_CEN || !icomm_pseudo_entity(entity)) {
		buf_addf(name, "%s:%llu", entity, (unsigned long long)id);
		return NCEN_OK;
	}
	if (p->ps == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "%s %llu: no pseudonym "
		    "key for a projection at level cen", entity,
		    (unsigned long long)id);
	if ((error = icomm_pseudo_id(p->ps, entity, id, pseudo, err)) !=
	    NCEN_OK)
		return error;
	buf_addf(name, "%s:%s", entity, pseudo->s);
	return NCEN_OK;
}

/* One batch item: the case, its seizures and linked records, projected. */
int
icomm_project_case(struct store *st, uint64_t case_id,
    enum schema_share level, const struct icomm_pseudo *ps, json_t **item,
    struct ncen_err *err)
{
	struct icomm_project_run	 p;
	struct store_ref		 ref;
	struct record			*c = NULL, *r;
	struct buf			 v = BUF_INIT, a = BUF_INIT;
	struct buf			 cs = BUF_INIT, pseudo = BUF_INIT;
	json_t				*recs = NULL, *links = NULL, *one;
	size_t				 i, j;
	int				 error;

	*item = NULL;
	memset(&p, 0, sizeof p);
	p.st = st;
	p.case_id = case_id;
	p.level = level;
	p.ps = ps;
	if ((error = store_get(st, "case", case_id, &c, err)) != NCEN_OK)
		return error;
	buf_addf(&v, "%llu", (unsigned long long)case_id);
	buf_addf(&cs, "case:%llu", (unsigned long long)case_id);
	if (schema_form_find(store_schema(st), "seizure") != NULL &&
	    (error = store_find(st, "seizure", "case", v.s, NULL,
	    icomm_project_seizure, &p, err)) != NCEN_OK)
		goto out;
	ref.entity = "case";
	ref.id = case_id;
	if ((error = store_links(st, ref, icomm_project_link, &p, err)) !=
	    NCEN_OK)
		goto out;
	recs = json_array();
	links = json_array();
	json_array_append_new(recs, icomm_project_record(c, level, NULL,
	    NULL));
	for (i = 0; i < p.nrecs; i++)
		json_array_append_new(recs, icomm_project_record(p.recs[i],
		    level, icomm_project_carried, &p));
	for (i = 0; i < p.nlinks; i++) {
		if ((error = icomm_project_name(&p, p.links[i].entity,
		    p.links[i].id, &a, &pseudo, err)) != NCEN_OK)
			goto out;
		/* One record linked in two roles travels once. */
		for (j = 0; j < i; j++)
			if (p.links[j].id == p.links[i].id &&
			    strcmp(p.links[j].entity, p.links[i].entity) == 0)
				break;
		if (j == i) {
			r = NULL;
			if ((error = store_get(st, p.links[i].entity,
			    p.links[i].id, &r, err)) != NCEN_OK)
				goto out;
			one = icomm_project_record(r, level,
			    icomm_project_carried, &p);
			/* The global database never learns this node's id. */
			if (pseudo.len != 0)
				json_object_set_new(one, "id",
				    json_string(pseudo.s));
			json_array_append_new(recs, one);
			record_free(r);
		}
		json_array_append_new(links, json_pack("{s:s, s:s, s:s}",
		    "from", p.links[i].incoming ? a.s : cs.s,
		    "to", p.links[i].incoming ? cs.s : a.s,
		    "role", p.links[i].role));
	}
	*item = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o}", "kind", "record",
	    "entity", "case", "id", (json_int_t)case_id, "version",
	    (json_int_t)c->version, "records", recs, "links", links);
	recs = links = NULL;
out:
	json_decref(recs);
	json_decref(links);
	record_free(c);
	for (i = 0; i < p.nrecs; i++)
		record_free(p.recs[i]);
	free(p.recs);
	for (i = 0; i < p.nlinks; i++) {
		free(p.links[i].role);
		free(p.links[i].entity);
	}
	free(p.links);
	buf_free(&v);
	buf_free(&a);
	buf_free(&cs);
	buf_free(&pseudo);
	return error;
}
