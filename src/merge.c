/* merge.c - two records of one person, business or conveyance made one (merge.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "attach.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "merge.h"
#include "record.h"
#include "schema.h"
#include "store-draft.h"
#include "store-kv.h"
#include "store.h"
#include "validate.h"
#include "xmalloc.h"

#define MERGE_MEMBERS	4	/* fields of a group at most */
#define MERGE_HOPS	32	/* merges merge_follow follows at most */
#define MERGE_KEY	"merged"

/* The forms whose records may be merged, and where notes go in each. */
static const struct {
	const char	*form;
	const char	*note;		/* a text field, NULL: none */
} merge_forms[] = {
	{ "person",	"remarks" },
	{ "business",	"remarks" },
	{ "conveyance",	"remarks" },
};

/*
 * Values that belong together: when any of them differs between the
 * records, OTHER's are joined (empty ones left out) into one value of
 * a repeated field of KEEP; else each is merged on its own.
 */
static const struct merge_group {
	const char	*form;
	const char	*fields[MERGE_MEMBERS];	/* in the joined order */
	const char	*to;
	const char	*sep;
} merge_groups[] = {
	{ "person", { "family_name", "given_names" }, "aliases", " " },
	{ "person", { "document_type", "document_number", "document_country",
	  "document_expiry" }, "other_documents", ", " },
	{ "business", { "name" }, "other_names", ", " },
};
#define NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* What one merge works on, inside its transaction. */
struct merge_op {
	const struct merge_request	*req;
	struct merge_result		*res;
	struct store			*st;
	struct record			*keep, *other, *merged;
	struct buf			 note;	/* "Label: value" lines */
	struct buf			 noted;	/* labels noted, for refusals */
};

/* The note field of a form, or NULL. */
static const char *
merge_note_field(const char *form)
{
	size_t	i;

	for (i = 0; i < NELEM(merge_forms); i++)
		if (strcmp(merge_forms[i].form, form) == 0)
			return merge_forms[i].note;
	return NULL;
}

/* Whether a form's records may be merged. */
int
merge_entity_ok(const char *entity)
{
	size_t	i;

	for (i = 0; entity != NULL && i < NELEM(merge_forms); i++)
		if (strcmp(merge_forms[i].form, entity) == 0)
			return 1;
	return 0;
}

/* Free what a result holds. */
void
merge_result_free(struct merge_result *res)
{
	if (res != NULL)
		buf_free(&res->summary);
}

/* The first value of a field by index, "" when none. */
static const char *
merge_value(const struct record *r, int i)
{
	if (i < 0 || r->fields[i].n == 0 || r->fields[i].v[0] == NULL)
		return "";
	return r->fields[i].v[0];
}

/* Whether a field holds a value. */
static int
merge_holds(const struct record *r, size_t i, const char *v)
{
	size_t	j;

	for (j = 0; j < r->fields[i].n; j++)
		if (strcmp(r->fields[i].v[j], v) == 0)
			return 1;
	return 0;
}

/* Characters of UTF-8 text (continuation bytes not counted). */
static size_t
merge_chars(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* A field's label in the request's language. */
static const char *
merge_label(const struct merge_op *op, size_t i)
{
	return schema_label(op->merged->form->fields[i].label, op->req->lang);
}

/* Keep a value that has nowhere else to go for the note. */
static void
merge_note(struct merge_op *op, const char *label, const char *value)
{
	buf_addf(&op->note, "%s: %s\n", label, value);
	buf_addf(&op->noted, "%s%s", op->noted.len == 0 ? "" : ", ", label);
	op->res->noted++;
	op->res->values++;
}

/* Add a value to a repeated field of KEEP; 0 if it would not fit. */
static int
merge_add(struct merge_op *op, size_t to, const char *v, const char *from)
{
	const struct schema_field	*f = &op->merged->form->fields[to];

	if (merge_holds(op->merged, to, v))
		return 1;
	if (f->type == SCHEMA_TEXT && f->size != 0 && merge_chars(v) > f->size)
		return 0;
	record_add_value(op->merged, to, v);
	op->res->values++;
	/* TRANSLATORS: a value of the record merged away, where it goes. */
	buf_addf(&op->res->summary, _("%s '%s' -> %s\n"), from, v,
	    schema_label(f->label, op->req->lang));
	return 1;
}

/* One field of OTHER into KEEP (not the note field). */
static void
merge_field(struct merge_op *op, size_t i)
{
	const struct schema_field	*f = &op->merged->form->fields[i];
	const char			*ov, *kv;
	size_t				 j;

	if (op->other->fields[i].n == 0)
		return;
	if (f->repeated) {
		for (j = 0; j < op->other->fields[i].n; j++)
			(void)merge_add(op, i, op->other->fields[i].v[j],
			    merge_label(op, i));
		return;
	}
	ov = merge_value(op->other, (int)i);
	kv = merge_value(op->merged, (int)i);
	if (*ov == '\0' || strcmp(ov, kv) == 0)
		return;
	if (*kv == '\0') {
		record_add_value(op->merged, i, ov);
		op->res->values++;
		buf_addf(&op->res->summary, _("%s '%s' -> %s\n"),
		    merge_label(op, i), ov, merge_label(op, i));
		return;
	}
	merge_note(op, merge_label(op, i), ov);
}

/*
 * A group of fields: when one differs, OTHER's joined into the group's
 * repeated field (the note when too long); *done marks them handled.
 */
static void
merge_group(struct merge_op *op, const struct merge_group *g, int *done)
{
	const struct schema_form	*form = op->merged->form;
	struct buf			 joined = BUF_INIT, from = BUF_INIT;
	int				 idx[MERGE_MEMBERS], to, differs = 0;
	size_t				 k;
	const char			*ov, *kv;

	if ((to = schema_field_index(form, g->to)) < 0 ||
	    !form->fields[to].repeated)
		return;
	for (k = 0; k < MERGE_MEMBERS; k++) {
		idx[k] = g->fields[k] == NULL ? -1 :
		    schema_field_index(form, g->fields[k]);
		if (g->fields[k] != NULL && idx[k] < 0)
			return;		/* a form without the group */
		ov = merge_value(op->other, idx[k]);
		kv = merge_value(op->merged, idx[k]);
		if (*ov != '\0' && *kv != '\0' && strcmp(ov, kv) != 0)
			differs = 1;
	}
	if (!differs)
		return;
	for (k = 0; k < MERGE_MEMBERS; k++) {
		if (idx[k] < 0)
			continue;
		done[idx[k]] = 1;
		ov = merge_value(op->other, idx[k]);
		if (*ov == '\0')
			continue;
		buf_addf(&joined, "%s%s", joined.len == 0 ? "" : g->sep, ov);
		buf_addf(&from, "%s%s", from.len == 0 ? "" : ", ",
		    merge_label(op, (size_t)idx[k]));
	}
	if (!merge_add(op, (size_t)to, buf_cstr(&joined), buf_cstr(&from)))
		merge_note(op, buf_cstr(&from), buf_cstr(&joined));
	buf_free(&joined);
	buf_free(&from);
}

/* Extras of OTHER (fields the form no longer has, overrides) into KEEP. */
static void
merge_extras(struct merge_op *op)
{
	struct record	*m = op->merged;
	const char	*kv;
	size_t		 i;

	for (i = 0; i < op->other->nextra; i++) {
		kv = record_get(m, op->other->extra[i].name);
		if (kv != NULL) {
			if (strcmp(kv, op->other->extra[i].value) != 0)
				merge_note(op, op->other->extra[i].name,
				    op->other->extra[i].value);
			continue;
		}
		m->extra = xreallocarray(m->extra, m->nextra + 1,
		    sizeof *m->extra);
		m->extra[m->nextra].name = xstrdup(op->other->extra[i].name);
		m->extra[m->nextra].value = xstrdup(op->other->extra[i].value);
		m->nextra++;
		op->res->values++;
	}
}

/*
 * Write the note into KEEP's note field: its text, a heading naming
 * OTHER, the noted values, OTHER's own note.  Refused when the form has
 * no note field or the text would not fit.
 */
static int
merge_write_note(struct merge_op *op, struct ncen_err *err)
{
	const struct schema_form	*form = op->merged->form;
	const char			*name = merge_note_field(form->name);
	const char			*kv, *ov;
	struct buf			 text = BUF_INIT, canon = BUF_INIT;
	int				 i, add_other, error = NCEN_OK;

	i = name != NULL ? schema_field_index(form, name) : -1;
	ov = merge_value(op->other, i);
	kv = merge_value(op->merged, i);
	if (op->note.len == 0 && (*ov == '\0' || strcmp(ov, kv) == 0 ||
	    strstr(kv, ov) != NULL))
		return NCEN_OK;
	if (op->note.len == 0 && *kv == '\0') {
		/* Only OTHER has a note: it is copied as it is. */
		record_add_value(op->merged, (size_t)i, ov);
		op->res->values++;
		buf_addf(&op->res->summary, _("%s '%s' -> %s\n"),
		    merge_label(op, (size_t)i), ov, merge_label(op, (size_t)i));
		return NCEN_OK;
	}
	if (i < 0)
		return ncen_err_set(err, NCEN_EINVALID,
		    _("cannot merge %s %llu into %s %llu: %s differ and form "
		    "%s has no field to keep them in; make them agree first"),
		    op->other->form->name, (unsigned long long)op->other->id,
		    op->keep->form->name, (unsigned long long)op->keep->id,
		    buf_cstr(&op->noted), form->name);
	buf_adds(&text, kv);
	if (text.len != 0)
		buf_adds(&text, "\n\n");
	/* TRANSLATORS: heading of what a merged record kept in its remarks. */
	buf_addf(&text, _("Merged from %s %llu:\n"), op->other->form->name,
	    (unsigned long long)op->other->id);
	buf_add(&text, op->note.s, op->note.len);
	/* kv is freed below with the field: decide before. */
	add_other = *ov != '\0' && strstr(kv, ov) == NULL;
	if (add_other)
		buf_addf(&text, "%s\n", ov);
	while (text.len > 0 && text.s[text.len - 1] == '\n')
		text.s[--text.len] = '\0';
	/* As a person would have typed it (space around trimmed). */
	(void)schema_value_check(store_schema(op->st), &form->fields[i],
	    buf_cstr(&text), &canon, NULL);
	if (canon.len != 0) {
		buf_reset(&text);
		buf_add(&text, canon.s, canon.len);
	}
	if (form->fields[i].size != 0 &&
	    merge_chars(buf_cstr(&text)) > form->fields[i].size) {
		error = ncen_err_set(err, NCEN_EINVALID,
		    _("cannot merge %s %llu into %s %llu: %s would be longer "
		    "than %u characters with what has no other place (%s); "
		    "shorten it first"), op->other->form->name,
		    (unsigned long long)op->other->id, op->keep->form->name,
		    (unsigned long long)op->keep->id,
		    merge_label(op, (size_t)i), form->fields[i].size,
		    op->noted.len != 0 ? buf_cstr(&op->noted) :
		    merge_label(op, (size_t)i));
		goto out;
	}
	record_clear_field(op->merged, (size_t)i);
	record_add_value(op->merged, (size_t)i, buf_cstr(&text));
	if (op->noted.len != 0)
		buf_addf(&op->res->summary, _("%s -> %s\n"),
		    buf_cstr(&op->noted), merge_label(op, (size_t)i));
	if (add_other) {
		op->res->values++;
		buf_addf(&op->res->summary, _("%s -> %s\n"),
		    merge_label(op, (size_t)i), merge_label(op, (size_t)i));
	}
out:
	buf_free(&text);
	buf_free(&canon);
	return error;
}

/* Every value of OTHER into a copy of KEEP (op->merged). */
static int
merge_values(struct merge_op *op, struct ncen_err *err)
{
	const struct schema_form	*form = op->keep->form;
	const char			*note = merge_note_field(form->name);
	int				*done;
	size_t				 i;
	int				 error;

	done = xcalloc(form->nfields + 1, sizeof *done);
	for (i = 0; i < NELEM(merge_groups); i++)
		if (strcmp(merge_groups[i].form, form->name) == 0)
			merge_group(op, &merge_groups[i], done);
	for (i = 0; i < form->nfields; i++)
		if (!done[i] && (note == NULL ||
		    strcmp(form->fields[i].name, note) != 0))
			merge_field(op, i);
	merge_extras(op);
	free(done);
	error = merge_write_note(op, err);
	return error;
}

/* A link as read, with what the merge does with it. */
struct merge_links {
	struct store_link	*l;
	size_t			 n, cap;
};

/* Collect one link (store_link_fn). */
static int
merge_link_one(const struct store_link *l, void *arg)
{
	struct merge_links	*ls = arg;

	if (ls->n == ls->cap) {
		ls->cap = ls->cap == 0 ? 16 : ls->cap * 2;
		ls->l = xreallocarray(ls->l, ls->cap, sizeof *ls->l);
	}
	ls->l[ls->n].role = xstrdup(l->role);
	ls->l[ls->n].entity = xstrdup(l->entity);
	ls->l[ls->n].id = l->id;
	ls->l[ls->n].incoming = l->incoming;
	ls->n++;
	return 0;
}

/* Free collected links. */
static void
merge_links_free(struct merge_links *ls)
{
	size_t	i;

	for (i = 0; i < ls->n; i++) {
		free(ls->l[i].role);
		free(ls->l[i].entity);
	}
	free(ls->l);
	memset(ls, 0, sizeof *ls);
}

/* Whether KEEP has a link to the same record with the same role. */
static int
merge_has_link(const struct merge_links *ls, const struct store_link *l)
{
	size_t	i;

	for (i = 0; i < ls->n; i++)
		if (ls->l[i].id == l->id &&
		    strcmp(ls->l[i].entity, l->entity) == 0 &&
		    strcmp(ls->l[i].role, l->role) == 0)
			return 1;
	return 0;
}

/* An attachment of OTHER now names KEEP as its record. */
static int
merge_attachment(struct store_txn *t, struct merge_op *op, uint64_t id,
    struct ncen_err *err)
{
	struct record	*a = NULL;
	struct buf	 v = BUF_INIT;
	int		 error;

	if ((error = store_txn_get(t, "attachment", id, &a, err)) != NCEN_OK)
		return error;
	buf_addf(&v, "%llu", (unsigned long long)op->keep->id);
	if ((error = record_set(a, "entity", op->keep->form->name, err)) ==
	    NCEN_OK &&
	    (error = record_set(a, "record", buf_cstr(&v), err)) == NCEN_OK)
		error = store_update(t, a, op->req->user, err);
	record_free(a);
	buf_free(&v);
	return error;
}

/* Move one link of OTHER to KEEP (or drop it: a double, or between them). */
static int
merge_link(struct store_txn *t, struct merge_op *op,
    const struct merge_links *kl, const struct store_link *l,
    struct ncen_err *err)
{
	struct store_ref	 o, k, x;
	int			 write = !op->req->dry_run, error = NCEN_OK;
	int			 between, twice;

	o.entity = op->other->form->name;
	o.id = op->other->id;
	k.entity = op->keep->form->name;
	k.id = op->keep->id;
	x.entity = l->entity;
	x.id = l->id;
	between = strcmp(l->entity, k.entity) == 0 && l->id == k.id;
	twice = !between && merge_has_link(kl, l);
	if (write && (error = store_link_remove(t, l->incoming ? x : o,
	    l->incoming ? o : x, l->role, err)) != NCEN_OK)
		return error;
	if (between) {
		/* TRANSLATORS: a link between the two merged records goes. */
		buf_addf(&op->res->summary, _("link %s between them: "
		    "removed\n"), l->role);
		return NCEN_OK;
	}
	if (twice) {
		op->res->doubles++;
		buf_addf(&op->res->summary, _("link %s %s %llu: already "
		    "there\n"), l->role, l->entity, (unsigned long long)l->id);
		return NCEN_OK;
	}
	if (write && (error = store_link_add(t, l->incoming ? x : k,
	    l->incoming ? k : x, l->role, err)) != NCEN_OK)
		return error;
	op->res->links++;
	buf_addf(&op->res->summary, _("link %s %s %llu -> moved\n"), l->role,
	    l->entity, (unsigned long long)l->id);
	if (!l->incoming && strcmp(l->role, ATTACH_ROLE) == 0 &&
	    strcmp(l->entity, "attachment") == 0) {
		op->res->attachments++;
		if (write)
			error = merge_attachment(t, op, l->id, err);
	}
	return error;
}

/* Every link of OTHER to KEEP. */
static int
merge_links(struct store_txn *t, struct merge_op *op, struct ncen_err *err)
{
	struct merge_links	 ol, kl;
	struct store_ref	 r;
	size_t			 i;
	int			 error;

	memset(&ol, 0, sizeof ol);
	memset(&kl, 0, sizeof kl);
	r.entity = op->other->form->name;
	r.id = op->other->id;
	if ((error = store_txn_links(t, r, merge_link_one, &ol, err)) !=
	    NCEN_OK)
		goto out;
	r.entity = op->keep->form->name;
	r.id = op->keep->id;
	if ((error = store_txn_links(t, r, merge_link_one, &kl, err)) !=
	    NCEN_OK)
		goto out;
	for (i = 0; i < ol.n && error == NCEN_OK; i++)
		error = merge_link(t, op, &kl, &ol.l[i], err);
out:
	merge_links_free(&ol);
	merge_links_free(&kl);
	return error;
}

/* The key of a merge pointer: "merged" "\0" entity "\0" id(8). */
static void
merge_key(struct buf *k, const char *entity, uint64_t id)
{
	buf_reset(k);
	buf_adds(k, MERGE_KEY);
	buf_addc(k, '\0');
	buf_adds(k, entity);
	buf_addc(k, '\0');
	buf_add_u64(k, id);
}

/* Read a record of the merge and check it may take part. */
static int
merge_read(struct store_txn *t, struct merge_op *op, struct store_ref ref,
    uint32_t version, struct record **rp, struct ncen_err *err)
{
	const struct merge_request	*req = op->req;
	struct auth_seen		 seen = { 0, BUF_INIT };
	struct buf			 roles = BUF_INIT;
	int				 error;

	if ((error = store_txn_get(t, ref.entity, ref.id, rp, err)) !=
	    NCEN_OK)
		return error;
	if (version != 0 && (*rp)->version != version)
		return ncen_err_set(err, NCEN_ECONFLICT,
		    _("%s %llu changed since version %u (now version %u, by "
		    "%s): look at it again before merging"), ref.entity,
		    (unsigned long long)ref.id, version, (*rp)->version,
		    (*rp)->muser != NULL ? (*rp)->muser : "?");
	if (record_get(*rp, "icomm.origin") != NULL)
		return ncen_err_set(err, NCEN_EINVALID,
		    _("%s %llu came from partner %s and is read-only here: it "
		    "cannot be merged"), ref.entity, (unsigned long long)ref.id,
		    record_get(*rp, "icomm.origin"));
	if (req->account == NULL)
		return NCEN_OK;
	if (auth_may(req->account, AUTH_MERGE, *rp) &&
	    (error = auth_see(op->st, t, req->account, *rp, &seen, err)) ==
	    NCEN_OK && seen.seen)
		goto out;
	if (error == NCEN_OK) {
		auth_roles_format(req->account->roles, &roles);
		error = ncen_err_set(err, NCEN_EINVALID,
		    _("refused: account '%s' (%s) may not merge %s %llu"),
		    req->account->name, buf_cstr(&roles), ref.entity,
		    (unsigned long long)ref.id);
	}
out:
	buf_free(&seen.office);
	buf_free(&roles);
	return error;
}

/* The audit entries and the pointer OTHER -> KEEP. */
static int
merge_record(struct store_txn *t, struct merge_op *op, struct ncen_err *err)
{
	struct buf	 k = BUF_INIT, kr = BUF_INIT, or = BUF_INIT, d = BUF_INIT;
	unsigned char	 id[8];
	int		 error;
	size_t		 i;

	for (i = 0; i < 8; i++)
		id[i] = (unsigned char)(op->keep->id >> (56 - 8 * i));
	merge_key(&k, op->other->form->name, op->other->id);
	buf_addf(&kr, "%s:%llu", op->keep->form->name,
	    (unsigned long long)op->keep->id);
	buf_addf(&or, "%s:%llu", op->other->form->name,
	    (unsigned long long)op->other->id);
	/* The audit log keeps English. */
	buf_addf(&d, "into %s; %u values (%u in the note), %u links moved, "
	    "%u already there, %u attachments", buf_cstr(&kr),
	    op->res->values, op->res->noted, op->res->links,
	    op->res->doubles, op->res->attachments);
	if ((error = store_kv_put(t, STORE_KV_STATE, k.s, k.len, id,
	    sizeof id, err)) != NCEN_OK ||
	    (error = audit_append(t, op->req->user, "record.merge",
	    buf_cstr(&or), buf_cstr(&d), err)) != NCEN_OK)
		goto out;
	buf_reset(&d);
	buf_addf(&d, "from %s", buf_cstr(&or));
	error = audit_append(t, op->req->user, "record.merge", buf_cstr(&kr),
	    buf_cstr(&d), err);
out:
	buf_free(&k);
	buf_free(&kr);
	buf_free(&or);
	buf_free(&d);
	return error;
}

/* Forget what a try of the transaction made. */
static void
merge_op_reset(struct merge_op *op)
{
	record_free(op->keep);
	record_free(op->other);
	record_free(op->merged);
	op->keep = op->other = op->merged = NULL;
	buf_reset(&op->note);
	buf_reset(&op->noted);
	buf_reset(&op->res->summary);
	op->res->values = op->res->noted = op->res->links = 0;
	op->res->doubles = op->res->attachments = 0;
}

/* The merge in its transaction (store_txn_fn; may run again). */
static int
merge_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct merge_op	*op = arg;
	struct buf	 problems = BUF_INIT;
	uint32_t	 version;
	int		 error;

	merge_op_reset(op);
	if ((error = merge_read(t, op, op->req->keep, op->req->keep_version,
	    &op->keep, err)) != NCEN_OK ||
	    (error = merge_read(t, op, op->req->other, op->req->other_version,
	    &op->other, err)) != NCEN_OK)
		return error;
	op->merged = record_copy(op->keep);
	if ((error = merge_values(op, err)) != NCEN_OK)
		return error;
	if (schema_validate(store_schema(op->st), op->merged, SCHEMA_STORED,
	    store_txn_ref_exists, t, &problems) != NCEN_OK) {
		error = ncen_err_set(err, NCEN_EINVALID,
		    _("cannot merge %s %llu into %s %llu: the result would "
		    "not be valid: %s"), op->other->form->name,
		    (unsigned long long)op->other->id, op->keep->form->name,
		    (unsigned long long)op->keep->id, buf_cstr(&problems));
		buf_free(&problems);
		return error;
	}
	buf_free(&problems);
	version = op->other->version;
	if ((error = merge_links(t, op, err)) != NCEN_OK || op->req->dry_run)
		return error;
	if ((error = store_update(t, op->merged, op->req->user, err)) !=
	    NCEN_OK ||
	    (error = store_delete(t, op->other->form->name, op->other->id,
	    version, err)) != NCEN_OK)
		return error;
	op->res->version = op->merged->version;
	return merge_record(t, op, err);
}

/* The names of every account (auth_account_fn). */
struct merge_names {
	char	**v;
	size_t	  n, cap;
};

/* Collect one account's name. */
static int
merge_name_one(const struct auth_account *a, void *arg)
{
	struct merge_names	*nm = arg;

	if (nm->n == nm->cap) {
		nm->cap = nm->cap == 0 ? 16 : nm->cap * 2;
		nm->v = xreallocarray(nm->v, nm->cap, sizeof *nm->v);
	}
	nm->v[nm->n++] = xstrdup(a->name);
	return 0;
}

/* Whether one account has a draft of a record: NCEN_ECONFLICT if so. */
static int
merge_draft_of(struct store *st, const char *user, struct store_ref ref,
    struct ncen_err *err)
{
	struct store_draft	*d = NULL;
	int			 error;

	error = store_draft_get(st, user, ref.entity, ref.id, &d, err);
	store_draft_free(d);
	if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (error != NCEN_OK)
		return error;
	return ncen_err_set(err, NCEN_ECONFLICT,
	    _("%s %llu is being edited by %s (a draft not saved yet): save "
	    "or discard it before merging"), ref.entity,
	    (unsigned long long)ref.id, user);
}

/*
 * Refuse when either record has a draft of an edit under way (drafts
 * are kept per account: each account's are looked up).
 */
static int
merge_drafts(struct store *st, const struct merge_request *req,
    struct ncen_err *err)
{
	struct merge_names	nm;
	size_t			i;
	int			error;

	memset(&nm, 0, sizeof nm);
	error = auth_account_list(st, merge_name_one, &nm, err);
	for (i = 0; i < nm.n && error == NCEN_OK; i++)
		if ((error = merge_draft_of(st, nm.v[i], req->keep, err)) ==
		    NCEN_OK)
			error = merge_draft_of(st, nm.v[i], req->other, err);
	for (i = 0; i < nm.n; i++)
		free(nm.v[i]);
	free(nm.v);
	return error;
}

/* Merge OTHER into KEEP (merge.h). */
int
merge_records(struct store *st, const struct merge_request *req,
    struct merge_result *res, struct ncen_err *err)
{
	struct merge_op	op;
	int		error;

	memset(res, 0, sizeof *res);
	if (strcmp(req->keep.entity, req->other.entity) != 0)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("cannot merge %s %llu into %s %llu: records of different "
		    "forms"), req->other.entity,
		    (unsigned long long)req->other.id, req->keep.entity,
		    (unsigned long long)req->keep.id);
	if (!merge_entity_ok(req->keep.entity))
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("cannot merge %s records: only persons, businesses and "
		    "conveyances are merged"), req->keep.entity);
	if (req->keep.id == req->other.id)
		return ncen_err_set(err, NCEN_EUSAGE,
		    _("cannot merge %s %llu into itself"), req->keep.entity,
		    (unsigned long long)req->keep.id);
	if ((error = merge_drafts(st, req, err)) != NCEN_OK)
		return error;
	memset(&op, 0, sizeof op);
	op.req = req;
	op.res = res;
	op.st = st;
	error = store_run(st, merge_txn, &op, err);
	record_free(op.keep);
	record_free(op.other);
	record_free(op.merged);
	if (error != NCEN_OK) {
		buf_free(&res->summary);
		memset(res, 0, sizeof *res);
	}
	buf_free(&op.note);
	buf_free(&op.noted);
	return error;
}

/* Read a merge pointer in a transaction (store_txn_fn). */
struct merge_follow_op {
	struct store_ref	 ref;
	uint64_t		 to;
};

/* Follow the pointers from ref, at most MERGE_HOPS of them. */
static int
merge_follow_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct merge_follow_op	*f = arg;
	struct buf		 k = BUF_INIT, v = BUF_INIT;
	int			 hops, error = NCEN_OK;

	f->to = f->ref.id;
	for (hops = 0; hops < MERGE_HOPS; hops++) {
		merge_key(&k, f->ref.entity, f->to);
		buf_reset(&v);
		error = store_kv_get(t, STORE_KV_STATE, k.s, k.len, 0, &v, err);
		if (error == NCEN_ENOTFOUND) {
			ncen_err_clear(err);
			error = NCEN_OK;
			break;
		}
		if (error != NCEN_OK)
			break;
		if (v.len != 8) {
			error = ncen_err_set(err, NCEN_EPARSE,
			    _("icomm.db: malformed merge of %s %llu"),
			    f->ref.entity, (unsigned long long)f->to);
			break;
		}
		f->to = buf_get_u64((const unsigned char *)v.s);
	}
	buf_free(&k);
	buf_free(&v);
	return error;
}

/* The record an id became through merges (itself when none). */
int
merge_follow(struct store *st, struct store_ref ref, uint64_t *to,
    struct ncen_err *err)
{
	struct merge_follow_op	f;
	int			error;

	f.ref = ref;
	f.to = ref.id;
	error = store_run(st, merge_follow_txn, &f, err);
	*to = error == NCEN_OK ? f.to : ref.id;
	return error;
}
