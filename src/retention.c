/*
 * retention.c - what the forms' retain lines say is due, and applying
 * it: delete or anonymise, audited, in one short transaction a record
 * (see retention.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "retention.h"
#include "schema.h"
#include "store-kv.h"
#include "store.h"
#include "workflow.h"
#include "xmalloc.h"

#define RETENTION_CLOSED	"closed"

struct retention_policy	retention_policy;

/* Seconds since the epoch from the policy's clock. */
int64_t
retention_now(void)
{
	return retention_policy.now != NULL ? retention_policy.now() :
	    (int64_t)time(NULL);
}

/* The time $NCEN_RETENTION_NOW gave, for the clock below. */
static int64_t	retention_env_time;

/* The clock $NCEN_RETENTION_NOW set. */
static int64_t
retention_env_now(void)
{
	return retention_env_time;
}

/* Take the clock from $NCEN_RETENTION_NOW when it is a time. */
void
retention_policy_env(void)
{
	const char	*v = getenv("NCEN_RETENTION_NOW");
	int64_t		 t;

	if (v == NULL || *v == '\0' || (t = audit_parse_time(v)) < 0)
		return;
	retention_env_time = t;
	retention_policy.now = retention_env_now;
}

/* The end of a period begun at since, in calendar terms (UTC). */
int64_t
retention_end(int64_t since, const struct schema_retain *r)
{
	time_t		t = (time_t)since;
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL)
		return INT64_MAX;
	switch (r->unit) {
	case 'y':
		tm.tm_year += (int)r->count;
		break;
	case 'm':
		tm.tm_mon += (int)r->count;
		break;
	default:
		tm.tm_mday += (int)r->count;
		break;
	}
	return (int64_t)timegm(&tm);
}

/* Why a record is due, in English for _(). */
static const char *const retention_whys[] = {
	[RETENTION_WHY_CLOSED] = N_("last case closed"),
	[RETENTION_WHY_UNLINKED] = N_("no case, last changed"),
	[RETENTION_WHY_MODIFIED] = N_("last changed"),
};

/* "its cases closed"... (static, untranslated). */
const char *
retention_why_text(enum retention_why w)
{
	if ((unsigned)w >= sizeof retention_whys / sizeof retention_whys[0])
		return "?";
	return retention_whys[w];
}

/* "delete" or "anonymise". */
const char *
retention_action_name(enum schema_retain_action a)
{
	return a == SCHEMA_RETAIN_ANONYMISE ? "anonymise" : "delete";
}

/* A closed case and when it closed. */
struct retention_closed {
	uint64_t	 id;
	int64_t		 at;
};

/* The closed cases, sorted by id, for the judgements of one list. */
struct retention_map {
	struct retention_closed	*v;
	size_t			 n;
	int			 indexed;	/* read through the index: all */
};

/* Order closed cases by id (qsort, bsearch). */
static int
retention_closed_cmp(const void *a, const void *b)
{
	const struct retention_closed	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* What is done with each workflow step of a case. */
typedef int (*retention_step_fn)(struct store_txn *, const struct record *,
    void *, struct ncen_err *);

/* Call fn on each workflow step of a case, read in t (none: no form). */
static int
retention_steps(struct store_txn *t, uint64_t case_id, retention_step_fn fn,
    void *arg, struct ncen_err *err)
{
	struct record	*s;
	struct buf	 v = BUF_INIT;
	uint64_t	*ids = NULL;
	size_t		 n = 0, i;
	int		 error;

	buf_addf(&v, "%llu", (unsigned long long)case_id);
	error = store_txn_ids(t, WORKFLOW_FORM, "case", buf_cstr(&v), &ids, &n,
	    err);
	if (error == NCEN_ENOTFOUND) {
		/* No transition form (or index): no steps to read. */
		ncen_err_clear(err);
		error = NCEN_OK;
	}
	for (i = 0; i < n && error == NCEN_OK; i++) {
		s = NULL;
		if ((error = store_txn_get(t, WORKFLOW_FORM, ids[i], &s, err)) ==
		    NCEN_OK)
			error = fn(t, s, arg, err);
		record_free(s);
	}
	free(ids);
	buf_free(&v);
	return error;
}

/* The latest closing of a case seen so far (retention_closing_step). */
struct retention_closing {
	int64_t		 at;
	int		 seen;
};

/* Note a step to closed if it is the latest (a retention_step_fn). */
static int
retention_closing_step(struct store_txn *t, const struct record *s,
    void *arg, struct ncen_err *err)
{
	struct retention_closing	*c = arg;
	const char			*to, *when;
	int64_t				 w;

	(void)t;
	(void)err;
	if ((to = record_get(s, "to")) != NULL &&
	    strcmp(to, RETENTION_CLOSED) == 0 &&
	    (when = record_get(s, "at")) != NULL &&
	    (w = audit_parse_time(when)) >= 0 && (!c->seen || w > c->at)) {
		c->at = w;
		c->seen = 1;
	}
	return NCEN_OK;
}

/* Whether a case is closed and since when, read in t; *found 0: none. */
static int
retention_case(struct store_txn *t, uint64_t id, int *found, int *closed,
    int64_t *at, struct ncen_err *err)
{
	struct retention_closing	 cl;
	struct record			*c = NULL;
	int				 error;

	*found = *closed = 0;
	*at = 0;
	if ((error = store_txn_get(t, "case", id, &c, err)) ==
	    NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (error != NCEN_OK)
		return error;
	*found = 1;
	if (strcmp(workflow_status(c), RETENTION_CLOSED) == 0) {
		*closed = 1;
		cl.at = c->mtime;	/* no step recorded: its last change */
		cl.seen = 0;
		error = retention_steps(t, id, retention_closing_step, &cl,
		    err);
		*at = cl.at;
	}
	record_free(c);
	return error;
}

/* Collect a record's cases in t. */
static int
retention_cases_of(struct store_txn *t, const struct record *r,
    struct store_ids *c, struct ncen_err *err)
{
	const struct schema_form	*form = r->form;
	const struct schema_field	*f;
	struct store_ref		 ref;
	uint64_t			 id;
	char				*end;
	size_t				 i, j;

	if (strcmp(form->name, "case") == 0) {
		store_ids_add(c, r->id);
		return NCEN_OK;
	}
	for (i = 0; i < form->nfields; i++) {
		f = &form->fields[i];
		if (f->type != SCHEMA_REF || strcmp(f->target, "case") != 0)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			errno = 0;
			id = strtoull(r->fields[i].v[j], &end, 10);
			if (errno == 0 && *end == '\0' && id != 0)
				store_ids_add(c, id);
		}
	}
	ref.entity = form->name;
	ref.id = r->id;
	c->entity = "case";
	return store_txn_links(t, ref, store_ids_link, c, err);
}

/*
 * Judge a record at now in t: *due 1 and the entry filled when its
 * period is over.  map (may be NULL) holds the closed cases already
 * read; a case not in it is read in t.
 */
static int
retention_judge(struct store_txn *t, const struct record *r, int64_t now,
    const struct retention_map *map, struct retention_due *d, int *due,
    struct ncen_err *err)
{
	const struct schema_retain	*rt = &r->form->retain;
	struct store_ids		 c;
	struct retention_closed		 key, *hit;
	int64_t				 at, since = 0;
	size_t				 i, ncases = 0;
	int				 error = NCEN_OK, found, closed;

	*due = 0;
	if (rt->from != SCHEMA_RETAIN_CASE_CLOSED &&
	    rt->from != SCHEMA_RETAIN_MODIFIED)
		return NCEN_OK;
	if (record_get(r, "icomm.origin") != NULL ||
	    (rt->action == SCHEMA_RETAIN_ANONYMISE &&
	    record_get(r, RETENTION_MARK) != NULL))
		return NCEN_OK;
	memset(d, 0, sizeof *d);
	d->entity = r->form->name;
	d->id = r->id;
	d->version = r->version;
	d->action = rt->action;
	memset(&c, 0, sizeof c);
	if (rt->from == SCHEMA_RETAIN_CASE_CLOSED &&
	    (error = retention_cases_of(t, r, &c, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < c.n; i++) {
		key.id = c.ids[i];
		hit = map == NULL || map->n == 0 ? NULL : bsearch(&key, map->v,
		    map->n, sizeof *map->v, retention_closed_cmp);
		if (hit != NULL) {
			found = closed = 1;
			at = hit->at;
		} else if ((error = retention_case(t, c.ids[i], &found,
		    &closed, &at, err)) != NCEN_OK)
			goto out;
		if (!found)
			continue;	/* a reference to nothing */
		if (!closed)
			goto out;	/* a case still open keeps it */
		if (ncases++ == 0 || at > since)
			since = at;
	}
	d->ncases = ncases;
	if (ncases == 0) {
		since = r->mtime;
		d->why = rt->from == SCHEMA_RETAIN_MODIFIED ?
		    RETENTION_WHY_MODIFIED : RETENTION_WHY_UNLINKED;
	} else
		d->why = RETENTION_WHY_CLOSED;
	d->since = since;
	d->due = retention_end(since, rt);
	*due = d->due <= now;
out:
	store_ids_free(&c);
	return error;
}

/* Free a list's entries. */
void
retention_list_free(struct retention_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Ids collected by a walk. */
struct retention_ids {
	uint64_t	*v;
	size_t		 n;
};

/* Collect a record's id (store_record_fn). */
static int
retention_ids_add(const struct record *r, void *arg)
{
	struct retention_ids	*ids = arg;

	ids->v = xreallocarray(ids->v, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = r->id;
	return 0;
}

/* One case judged closed or not, for the map (store_run). */
struct retention_case_run {
	uint64_t	 id;
	int		 found, closed;
	int64_t		 at;
};

/* Read one case's state (store_txn_fn). */
static int
retention_case_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct retention_case_run	*c = arg;

	return retention_case(t, c->id, &c->found, &c->closed, &c->at, err);
}

/* Read the closed cases through the case form's status index. */
static int
retention_map_read(struct store *st, struct retention_map *m,
    struct ncen_err *err)
{
	const struct schema_form	*cf;
	const struct schema_field	*sf;
	struct retention_case_run	 c;
	struct retention_ids		 ids;
	size_t				 i;
	int				 error;

	memset(m, 0, sizeof *m);
	memset(&ids, 0, sizeof ids);
	if ((cf = schema_form_find(store_schema(st), "case")) == NULL ||
	    (sf = schema_field_find(cf, "status")) == NULL || !sf->indexed)
		return NCEN_OK;		/* judged one by one instead */
	m->indexed = 1;
	if ((error = store_find(st, "case", "status", RETENTION_CLOSED, NULL,
	    retention_ids_add, &ids, err)) != NCEN_OK)
		goto out;
	for (i = 0; i < ids.n; i++) {
		memset(&c, 0, sizeof c);
		c.id = ids.v[i];
		if ((error = store_run(st, retention_case_txn, &c, err)) !=
		    NCEN_OK)
			goto out;
		if (!c.closed)
			continue;	/* reopened since the index was read */
		m->v = xreallocarray(m->v, m->n + 1, sizeof *m->v);
		m->v[m->n].id = c.id;
		m->v[m->n++].at = c.at;
	}
	if (m->n > 1)
		qsort(m->v, m->n, sizeof *m->v, retention_closed_cmp);
out:
	free(ids.v);
	return error;
}

/* One record judged for a list (store_run). */
struct retention_judge_run {
	struct store			*st;
	const struct auth_account	*acct;
	const char			*entity;
	uint64_t			 id;
	int64_t				 now;
	const struct retention_map	*map;
	struct retention_due		 d;
	int				 due;
};

/*
 * Whether an account may apply retention to a record: the role matrix,
 * and need to know (what it cannot see, it cannot be asked to review).
 */
static int
retention_allowed(struct store *st, struct store_txn *t,
    const struct auth_account *a, const struct record *r)
{
	return a == NULL || (auth_may(a, AUTH_RETENTION, r) &&
	    auth_sees(st, t, a, r));
}

/* Read and judge one record (store_txn_fn); gone since: not due. */
static int
retention_judge_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct retention_judge_run	*j = arg;
	struct record			*r = NULL;
	int				 error;

	j->due = 0;
	if ((error = store_txn_get(t, j->entity, j->id, &r, err)) ==
	    NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		return NCEN_OK;
	}
	if (error == NCEN_OK && retention_allowed(j->st, t, j->acct, r))
		error = retention_judge(t, r, j->now, j->map, &j->d, &j->due,
		    err);
	record_free(r);
	return error;
}

/* Add the due records of one form to the list. */
static int
retention_form_due(struct store *st, const struct auth_account *acct,
    const struct schema_form *f, int64_t now, const struct retention_map *map,
    struct retention_list *l, struct ncen_err *err)
{
	struct retention_judge_run	 j;
	struct retention_ids		 ids;
	size_t				 i;
	int				 error = NCEN_OK;

	memset(&ids, 0, sizeof ids);
	if (strcmp(f->name, "case") == 0 &&
	    f->retain.from == SCHEMA_RETAIN_CASE_CLOSED && map->indexed) {
		/* Only closed cases can be due: the map has them all. */
		ids.v = xreallocarray(NULL, map->n + 1, sizeof *ids.v);
		for (i = 0; i < map->n; i++)
			ids.v[ids.n++] = map->v[i].id;
	} else if ((error = store_scan(st, f->name, retention_ids_add, &ids,
	    err)) != NCEN_OK)
		goto out;
	for (i = 0; i < ids.n; i++) {
		memset(&j, 0, sizeof j);
		j.st = st;
		j.acct = acct;
		j.entity = f->name;
		j.id = ids.v[i];
		j.now = now;
		j.map = map;
		if ((error = store_run(st, retention_judge_txn, &j, err)) !=
		    NCEN_OK)
			goto out;
		if (!j.due)
			continue;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		l->v[l->n++] = j.d;
	}
out:
	free(ids.v);
	return error;
}

/* Whether a form's records can be due on their own. */
static int
retention_form_listed(const struct schema_form *f)
{
	return f->retain.from == SCHEMA_RETAIN_CASE_CLOSED ||
	    f->retain.from == SCHEMA_RETAIN_MODIFIED;
}

/* What is due at now, of one form or of all, cases last. */
int
retention_due_list(struct store *st, const struct auth_account *acct,
    const char *entity, int64_t now, struct retention_list *l,
    struct ncen_err *err)
{
	const struct schema		*s = store_schema(st);
	const struct schema_form	*f;
	struct retention_map		 map;
	size_t				 i;
	int				 pass, error = NCEN_OK;

	memset(l, 0, sizeof *l);
	if (entity != NULL) {
		if ((f = schema_form_find(s, entity)) == NULL)
			return ncen_err_set(err, NCEN_ENOTFOUND,
			    _("no form '%s'"), entity);
		if (!retention_form_listed(f))
			return ncen_err_set(err, NCEN_EUSAGE,
			    _("form %s has no retention period (no retain "
			    "line, or its records go with another)"), entity);
	}
	if ((error = retention_map_read(st, &map, err)) != NCEN_OK)
		goto out;
	/* Cases last: what hangs on a case goes while it is there. */
	for (pass = 0; pass < 2 && error == NCEN_OK; pass++) {
		for (i = 0; i < s->nforms && error == NCEN_OK; i++) {
			f = s->forms[i];
			if (!retention_form_listed(f) ||
			    (strcmp(f->name, "case") == 0) != (pass == 1) ||
			    (entity != NULL && strcmp(f->name, entity) != 0))
				continue;
			error = retention_form_due(st, acct, f, now, &map, l,
			    err);
		}
	}
out:
	free(map.v);
	if (error != NCEN_OK)
		retention_list_free(l);
	return error;
}

/* What one application needs and collects (store_run may run it again). */
struct retention_apply_run {
	struct store			*st;
	const struct auth_account	*acct;
	const struct retention_due	*d;
	const char			*user;
	int64_t				 now;
	struct retention_result		*res;
	char				**shas;		/* files to look at */
	size_t				 nshas;
	struct store_link		*links;
	size_t				 nlinks;
};

/* Forget what an earlier try collected. */
static void
retention_apply_reset(struct retention_apply_run *a)
{
	size_t	i;

	for (i = 0; i < a->nshas; i++)
		free(a->shas[i]);
	free(a->shas);
	a->shas = NULL;
	a->nshas = 0;
	for (i = 0; i < a->nlinks; i++) {
		free(a->links[i].role);
		free(a->links[i].entity);
	}
	free(a->links);
	a->links = NULL;
	a->nlinks = 0;
}

/* Keep a link of the record (store_link_fn). */
static int
retention_link_keep(const struct store_link *l, void *arg)
{
	struct retention_apply_run	*a = arg;

	a->links = xreallocarray(a->links, a->nlinks + 1, sizeof *a->links);
	a->links[a->nlinks].role = xstrdup(l->role);
	a->links[a->nlinks].entity = xstrdup(l->entity);
	a->links[a->nlinks].id = l->id;
	a->links[a->nlinks++].incoming = l->incoming;
	return 0;
}

/* Delete the records of "retain with record" forms linked from it. */
static int
retention_dependents(struct store_txn *t, struct retention_apply_run *a,
    struct ncen_err *err)
{
	const struct schema_form	*f;
	struct store_ref		 ref;
	struct record			*r;
	const char			*sha;
	size_t				 i;
	int				 error;

	ref.entity = a->d->entity;
	ref.id = a->d->id;
	if ((error = store_txn_links(t, ref, retention_link_keep, a, err)) !=
	    NCEN_OK)
		return error;
	for (i = 0; i < a->nlinks; i++) {
		if (a->links[i].incoming)
			continue;
		r = NULL;
		if ((error = store_txn_get(t, a->links[i].entity,
		    a->links[i].id, &r, err)) != NCEN_OK) {
			record_free(r);
			return error;
		}
		f = r->form;
		if (f->retain.from != SCHEMA_RETAIN_WITH_RECORD) {
			record_free(r);
			continue;
		}
		if ((sha = record_get(r, "sha256")) != NULL && *sha != '\0') {
			a->shas = xreallocarray(a->shas, a->nshas + 1,
			    sizeof *a->shas);
			a->shas[a->nshas++] = xstrdup(sha);
		}
		error = store_delete(t, f->name, r->id, r->version, err);
		record_free(r);
		if (error != NCEN_OK)
			return error;
		a->res->attachments++;
	}
	return NCEN_OK;
}

/* Delete one workflow step (a retention_step_fn). */
static int
retention_step_delete(struct store_txn *t, const struct record *s,
    void *arg, struct ncen_err *err)
{
	(void)arg;
	return store_delete(t, WORKFLOW_FORM, s->id, s->version, err);
}

/* Delete a case's workflow steps with it. */
static int
retention_steps_delete(struct store_txn *t, uint64_t case_id,
    struct ncen_err *err)
{
	return retention_steps(t, case_id, retention_step_delete, NULL, err);
}

/*
 * Anonymise a record in t: fields not cen emptied, required ones the
 * placeholder, extras (values of fields the form no longer has, which
 * may be nominal) replaced by the mark.
 */
static int
retention_anonymise(struct store_txn *t, const struct record *r,
    const char *user, int64_t now, struct ncen_err *err)
{
	const struct schema_field	*f;
	struct record			*c;
	struct buf			 when = BUF_INIT;
	size_t				 i;
	int				 error;

	c = record_copy(r);
	for (i = 0; i < c->form->nfields; i++) {
		f = &c->form->fields[i];
		if (f->share == SCHEMA_CEN)
			continue;
		record_clear_field(c, i);
		if (f->required)
			record_add_value(c, i, SCHEMA_RETAIN_PLACEHOLDER);
	}
	for (i = 0; i < c->nextra; i++) {
		free(c->extra[i].name);
		free(c->extra[i].value);
	}
	audit_format_time(&when, now);
	c->extra = xreallocarray(c->extra, 1, sizeof *c->extra);
	c->extra[0].name = xstrdup(RETENTION_MARK);
	c->extra[0].value = buf_detach(&when);
	c->nextra = 1;
	error = store_update(t, c, user, err);
	record_free(c);
	return error;
}

/* Apply one due record (store_txn_fn). */
static int
retention_apply_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct retention_apply_run	*a = arg;
	const struct retention_due	*d = a->d;
	struct retention_due		 now;
	struct record			*r = NULL;
	struct buf			 what = BUF_INIT, why = BUF_INIT;
	int				 error, due;

	retention_apply_reset(a);
	a->res->attachments = a->res->files = 0;
	if ((error = store_txn_get(t, d->entity, d->id, &r, err)) != NCEN_OK)
		goto out;
	if (!retention_allowed(a->st, t, a->acct, r)) {
		error = ncen_err_set(err, NCEN_EINVALID, _("account '%s' may "
		    "not apply retention to %s %llu"), a->acct->name,
		    d->entity, (unsigned long long)d->id);
		goto out;
	}
	if ((error = retention_judge(t, r, a->now, NULL, &now, &due, err)) !=
	    NCEN_OK)
		goto out;
	if (!due) {
		error = ncen_err_set(err, NCEN_ECONFLICT, _("%s %llu is no "
		    "longer due: it changed, or a case of its is open, since "
		    "it was listed"), d->entity, (unsigned long long)d->id);
		goto out;
	}
	if ((error = retention_dependents(t, a, err)) != NCEN_OK)
		goto out;
	if (now.action == SCHEMA_RETAIN_ANONYMISE)
		error = retention_anonymise(t, r, a->user, a->now, err);
	else {
		if (strcmp(d->entity, "case") == 0)
			error = retention_steps_delete(t, d->id, err);
		if (error == NCEN_OK)
			error = store_delete(t, d->entity, d->id, r->version,
			    err);
	}
	if (error != NCEN_OK)
		goto out;
	buf_addf(&what, "%s:%llu", d->entity, (unsigned long long)d->id);
	buf_addf(&why, "%s (%zu cases) since ", retention_why_text(now.why),
	    now.ncases);
	audit_format_time(&why, now.since);
	buf_addf(&why, ", retain %u%c", r->form->retain.count,
	    r->form->retain.unit);
	if (a->res->attachments != 0)
		buf_addf(&why, ", %zu attachments", a->res->attachments);
	error = audit_append(t, a->user, now.action ==
	    SCHEMA_RETAIN_ANONYMISE ? "retention.anonymise" :
	    "retention.delete", buf_cstr(&what), buf_cstr(&why), err);
out:
	record_free(r);
	buf_free(&what);
	buf_free(&why);
	return error;
}

/* Note that a record names the SHA-256 and stop (store_record_fn). */
static int
retention_sha_used(const struct record *r, void *arg)
{
	(void)r;
	*(int *)arg = 1;
	return -1;
}

/* Remove the files no attachment record names any more. */
static int
retention_files(struct store *st, struct retention_apply_run *a,
    struct ncen_err *err)
{
	const struct schema	*s = store_schema(st);
	const struct schema_form *f = NULL;
	struct buf		 path = BUF_INIT;
	size_t			 i, k;
	int			 error = NCEN_OK, used;

	for (k = 0; k < s->nforms; k++)
		if (s->forms[k]->retain.from == SCHEMA_RETAIN_WITH_RECORD &&
		    schema_field_find(s->forms[k], "sha256") != NULL)
			f = s->forms[k];
	for (i = 0; i < a->nshas && f != NULL && error == NCEN_OK; i++) {
		if (strlen(a->shas[i]) != 64 ||
		    strspn(a->shas[i], "0123456789abcdef") != 64)
			continue;	/* not a name of ours: leave it */
		used = 0;
		error = store_find(st, f->name, "sha256", a->shas[i], NULL,
		    retention_sha_used, &used, err);
		if (used) {
			error = NCEN_OK;	/* the walk stopped at the first */
			continue;
		}
		if (error != NCEN_OK)
			break;
		buf_reset(&path);
		attach_path(store_home(st), a->shas[i], &path);
		if (unlink(buf_cstr(&path)) == 0)
			a->res->files++;
		else if (errno != ENOENT)
			error = ncen_err_set(err, NCEN_EIO, "%s: %s",
			    buf_cstr(&path), strerror(errno));
	}
	buf_free(&path);
	return error;
}

/* Delete or anonymise one due record, audited, in one transaction. */
int
retention_apply(struct store *st, const struct auth_account *acct,
    const struct retention_due *d, const char *user, int64_t now,
    struct retention_result *res, struct ncen_err *err)
{
	struct retention_apply_run	a;
	struct retention_result		mine;
	int				error;

	if (user == NULL || *user == '\0')
		return ncen_err_set(err, NCEN_EUSAGE, "retention_apply: no "
		    "user named");
	memset(&a, 0, sizeof a);
	a.st = st;
	a.acct = acct;
	a.d = d;
	a.user = user;
	a.now = now;
	memset(&mine, 0, sizeof mine);
	a.res = &mine;
	error = store_run(st, retention_apply_txn, &a, err);
	if (error == NCEN_OK)
		error = retention_files(st, &a, err);
	retention_apply_reset(&a);
	if (res != NULL)
		*res = mine;
	return error;
}
