/*
 * statcase.c - a statistical return stored as a case and its seizure
 * line (see statcase.h).
 */
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "statcase.h"
#include "store.h"
#include "workflow.h"

/* What the case gets that the return does not say. */
static const struct {
	const char	*field;
	int		 user;		/* the user's name, else value */
	const char	*value;
} statcase_case_fill[] = {
	{ "kind", 0, STATCASE_KIND },
	{ "officer", 1, NULL },
};

/* Whether a form is the statistical return. */
int
statcase_is(const struct schema_form *f)
{
	return f != NULL && strcmp(f->name, STATCASE_FORM) == 0;
}

/* Whether two fields hold the same kind of value. */
static int
statcase_same(const struct schema_field *a, const struct schema_field *b)
{
	return a->type == b->type && a->size == b->size &&
	    a->scale == b->scale && (a->target == NULL) ==
	    (b->target == NULL) && (a->target == NULL ||
	    strcmp(a->target, b->target) == 0);
}

/* Copy each field of the return into the case or the seizure line. */
static int
statcase_split(const struct record *r, struct record *c, struct record *s,
    struct ncen_err *e)
{
	const struct schema_field	*f, *to;
	struct record			*dst;
	size_t				 i, j;
	int				 k;

	for (i = 0; i < r->form->nfields; i++) {
		f = &r->form->fields[i];
		dst = c;
		if ((k = schema_field_index(c->form, f->name)) < 0) {
			dst = s;
			k = schema_field_index(s->form, f->name);
		}
		to = k >= 0 ? &dst->form->fields[k] : NULL;
		if (to == NULL || !statcase_same(f, to))
			return ncen_err_set(e, NCEN_EINVALID, _("%s: field "
			    "'%s' is in neither the case nor the seizure form "
			    "with the same type"), r->form->path != NULL ?
			    r->form->path : r->form->name, f->name);
		for (j = 0; j < r->fields[i].n; j++)
			record_add_value(dst, (size_t)k, r->fields[i].v[j]);
	}
	return NCEN_OK;
}

/* Make the case and its seizure line of a return, in t. */
int
statcase_store(struct store_txn *t, const struct schema *sc,
    const struct record *r, const char *user, struct record *made[2],
    struct ncen_err *e)
{
	const struct schema_form	*cf, *sf;
	struct record			*c = NULL, *s = NULL;
	struct buf			 id = BUF_INIT;
	size_t				 i;
	int				 k, error;

	made[0] = made[1] = NULL;
	if ((cf = schema_form_find(sc, "case")) == NULL ||
	    (sf = schema_form_find(sc, "seizure")) == NULL)
		return ncen_err_set(e, NCEN_ENOTFOUND, "%s", _("a statistical "
		    "return needs the case and seizure forms"));
	c = record_new(cf);
	s = record_new(sf);
	if ((error = statcase_split(r, c, s, e)) != NCEN_OK)
		goto out;
	for (i = 0; i < sizeof statcase_case_fill /
	    sizeof statcase_case_fill[0]; i++)
		if ((k = schema_field_index(cf, statcase_case_fill[i].field)) >=
		    0 && c->fields[k].n == 0)
			record_add_value(c, (size_t)k, statcase_case_fill[i].user ?
			    user : statcase_case_fill[i].value);
	if ((error = workflow_number(t, c, e)) != NCEN_OK ||
	    (error = store_put(t, c, user, e)) != NCEN_OK)
		goto out;
	buf_addf(&id, "%" PRIu64, c->id);
	if ((error = record_set(s, "case", id.s, e)) != NCEN_OK ||
	    (error = store_put(t, s, user, e)) != NCEN_OK)
		goto out;
	made[0] = c;
	made[1] = s;
	c = s = NULL;
out:
	record_free(c);
	record_free(s);
	buf_free(&id);
	return error;
}
