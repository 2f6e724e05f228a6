/*
 * alert-check.c - check one case against the watch entries and rules,
 * raise what it meets (each rule or watch entry once per case), and the
 * retro-hunt over existing cases (alert.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "audit.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store-kv.h"
#include "store.h"
#include "xmalloc.h"

#define ALERT_KEY_RAISED	"alert.k"	/* + source "\0" + case id */

/* Release findings. */
void
alert_findings_free(struct alert_findings *fs)
{
	size_t	i, j;

	for (i = 0; i < fs->n; i++) {
		free(fs->v[i].source);
		free(fs->v[i].title);
		free(fs->v[i].owner);
		free(fs->v[i].why);
		for (j = 0; j < fs->v[i].nmatched; j++)
			free(fs->v[i].matched[j]);
		free(fs->v[i].matched);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

/* Set a field of a new alert (values made here are always valid). */
static int
alert_check_set(struct record *r, const char *name, const char *v,
    struct ncen_err *err)
{
	if (v == NULL || *v == '\0')
		return NCEN_OK;
	return record_set(r, name, v, err);
}

/* Raise one finding unless its source already raised one on the case. */
static int
alert_check_raise_one(struct store_txn *t, const struct schema *schema,
    uint64_t caseid, const struct alert_found *f, size_t *raised,
    struct ncen_err *err)
{
	const struct schema_form *form;
	struct record	*r = NULL;
	struct buf	 k = BUF_INIT, v = BUF_INIT, d = BUF_INIT;
	char		 now[32];
	time_t		 tt = (time_t)audit_now();
	struct tm	 tm;
	size_t		 i;
	int		 rc, idx;

	buf_adds(&k, ALERT_KEY_RAISED);
	buf_add(&k, f->source, strlen(f->source) + 1);
	buf_add_u64(&k, caseid);
	rc = store_kv_get(t, STORE_KV_STATE, k.s, k.len, 1, &v, err);
	if (rc == NCEN_OK)
		goto out;		/* raised before: never twice */
	if (rc != NCEN_ENOTFOUND)
		goto out;
	ncen_err_clear(err);
	form = schema_form_find(schema, "alert");
	if (form == NULL) {
		rc = ncen_err_set(err, NCEN_ENOTFOUND, "%s",
		    _("this data directory has no alert form"));
		goto out;
	}
	gmtime_r(&tt, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", &tm);
	r = record_new(form);
	buf_addf(&d, "%llu", (unsigned long long)caseid);
	if ((rc = alert_check_set(r, "raised", now, err)) != NCEN_OK ||
	    (rc = alert_check_set(r, "state", "NEW", err)) != NCEN_OK ||
	    (rc = alert_check_set(r, "case", buf_cstr(&d), err)) != NCEN_OK ||
	    (rc = alert_check_set(r, "source", f->source, err)) != NCEN_OK ||
	    (rc = alert_check_set(r, "owner", f->owner, err)) != NCEN_OK)
		goto out;
	/* Free text is cut to its field (a title of a long reason). */
	if ((idx = schema_field_index(form, "title")) >= 0 && f->title != NULL)
		record_add_value(r, (size_t)idx, f->title);
	if ((idx = schema_field_index(form, "why")) >= 0 && f->why != NULL)
		record_add_value(r, (size_t)idx, f->why);
	if ((idx = schema_field_index(form, "matched")) >= 0)
		for (i = 0; i < f->nmatched; i++)
			record_add_value(r, (size_t)idx, f->matched[i]);
	if ((rc = store_put(t, r, ALERT_USER, err)) != NCEN_OK)
		goto out;
	buf_reset(&v);
	buf_add_u64(&v, r->id);
	if ((rc = store_kv_put(t, STORE_KV_STATE, k.s, k.len, v.s, v.len,
	    err)) != NCEN_OK)
		goto out;
	buf_reset(&d);
	buf_addf(&d, "%s case:%llu %s", f->source, (unsigned long long)caseid,
	    f->why != NULL ? f->why : "");
	buf_reset(&v);
	buf_addf(&v, "alert:%llu", (unsigned long long)r->id);
	if ((rc = audit_append(t, ALERT_USER, "alert.raise", buf_cstr(&v),
	    buf_cstr(&d), err)) != NCEN_OK)
		goto out;
	(*raised)++;
out:
	record_free(r);
	buf_free(&k);
	buf_free(&v);
	buf_free(&d);
	return rc;
}

/* Raise what a check found, in the caller's transaction. */
int
alert_raise(struct store_txn *t, const struct schema *schema,
    uint64_t caseid, const struct alert_findings *fs, size_t *raised,
    struct ncen_err *err)
{
	size_t	i;
	int	rc = NCEN_OK;

	for (i = 0; i < fs->n && rc == NCEN_OK; i++)
		rc = alert_check_raise_one(t, schema, caseid, &fs->v[i],
		    raised, err);
	return rc;
}

struct alert_check_txn {
	const struct schema		*schema;
	uint64_t			 caseid;
	const struct alert_findings	*fs;
	size_t				 raised;
};

/* Raise findings in a transaction of their own (store_txn_fn). */
static int
alert_check_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct alert_check_txn	*a = arg;

	a->raised = 0;
	return alert_raise(t, a->schema, a->caseid, a->fs, &a->raised, err);
}

/* What one case meets, found without any transaction. */
static int
alert_check_find(struct store *st, const struct rules *rs, uint64_t caseid,
    const char *rule, int watch, struct alert_findings *fs,
    struct ncen_err *err)
{
	struct alert_case	c;
	int			rc;

	if ((rc = alert_case_load(st, caseid, &c, err)) != NCEN_OK)
		return rc;
	if (watch)
		rc = alert_watch_case(st, caseid,
		    (const struct record *const *)c.linked, c.nlinked, fs,
		    err);
	if (rc == NCEN_OK)
		rc = alert_rule_case(st, rs, rule, &c, fs, err);
	alert_case_free(&c);
	return rc;
}

/* Check one case and raise what it meets. */
int
alert_check(struct store *st, const struct rules *rs, uint64_t caseid,
    const char *rule, int watch, size_t *raised, struct ncen_err *err)
{
	struct alert_findings	fs;
	struct alert_check_txn	a;
	int			rc;

	memset(&fs, 0, sizeof fs);
	rc = alert_check_find(st, rs, caseid, rule, watch, &fs, err);
	if (rc == NCEN_OK && fs.n != 0) {
		a.schema = store_schema(st);
		a.caseid = caseid;
		a.fs = &fs;
		a.raised = 0;
		rc = store_run(st, alert_check_txn, &a, err);
		if (rc == NCEN_OK && raised != NULL)
			*raised += a.raised;
	}
	alert_findings_free(&fs);
	return rc;
}

/* Keep a case's id (store_record_fn; a walk gives each once). */
static int
alert_check_id(const struct record *r, void *arg)
{
	struct store_ids	*ids = arg;

	if ((ids->n & (ids->n - 1)) == 0)
		ids->ids = xreallocarray(ids->ids, ids->n == 0 ? 1 : ids->n * 2,
		    sizeof *ids->ids);
	ids->ids[ids->n++] = r->id;
	return 0;
}

/* Retro-hunt: check the cases dated since a day, with progress. */
int
alert_hunt(struct store *st, const struct rules *rs, const char *since,
    const char *rule, int watch, alert_progress_fn progress, void *arg,
    uint64_t *checked, size_t *raised, struct ncen_err *err)
{
	struct store_ids	ids;
	size_t			i;
	int			rc;

	memset(&ids, 0, sizeof ids);
	*checked = 0;
	if (since != NULL)
		rc = store_find(st, "case", "date", since, "9999-12-31",
		    alert_check_id, &ids, err);
	else
		rc = store_scan(st, "case", alert_check_id, &ids, err);
	for (i = 0; rc == NCEN_OK && i < ids.n; i++) {
		rc = alert_check(st, rs, ids.ids[i], rule, watch, raised, err);
		if (rc == NCEN_ENOTFOUND) {	/* deleted meanwhile */
			ncen_err_clear(err);
			rc = NCEN_OK;
		}
		(*checked)++;
		if (progress != NULL && ((i + 1) % 1000 == 0 || i + 1 == ids.n))
			progress(i + 1, ids.n, arg);
	}
	store_ids_free(&ids);
	return rc;
}

struct alert_check_queued {
	const struct schema		*schema;
	const struct buf		*key;
	const struct buf		*stamp;
	uint64_t			 caseid;
	const struct alert_findings	*fs;
	size_t				 raised;
};

/*
 * Raise a queued case's findings and take it off the queue, unless
 * another checker did first (no entry: nothing to do) or it changed
 * since it was read (another stamp: raised, but left to check again).
 */
static int
alert_check_queued_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct alert_check_queued	*q = arg;
	struct buf			 v = BUF_INIT;
	int				 rc;

	q->raised = 0;
	rc = store_kv_get(t, STORE_KV_STATE, q->key->s, q->key->len, 1, &v,
	    err);
	if (rc == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		rc = NCEN_OK;
		goto out;
	}
	if (rc != NCEN_OK)
		goto out;
	if (q->fs != NULL && (rc = alert_raise(t, q->schema, q->caseid, q->fs,
	    &q->raised, err)) != NCEN_OK)
		goto out;
	if (v.len == q->stamp->len && memcmp(v.s, q->stamp->s, v.len) == 0)
		rc = store_kv_del(t, STORE_KV_STATE, q->key->s, q->key->len,
		    err);
out:
	buf_free(&v);
	return rc;
}

/* Check a case the queue holds under key with stamp, then dequeue it. */
int
alert_check_queued(struct store *st, const struct rules *rs,
    const struct buf *key, const struct buf *stamp, uint64_t caseid,
    size_t *raised, struct ncen_err *err)
{
	struct alert_findings		fs;
	struct alert_check_queued	q;
	int				rc;

	memset(&fs, 0, sizeof fs);
	memset(&q, 0, sizeof q);
	rc = alert_check_find(st, rs, caseid, NULL, 1, &fs, err);
	if (rc == NCEN_ENOTFOUND) {		/* the case was deleted */
		ncen_err_clear(err);
		rc = NCEN_OK;
	} else if (rc == NCEN_OK)
		q.fs = &fs;
	if (rc == NCEN_OK) {
		q.schema = store_schema(st);
		q.key = key;
		q.stamp = stamp;
		q.caseid = caseid;
		rc = store_run(st, alert_check_queued_txn, &q, err);
		if (rc == NCEN_OK && raised != NULL)
			*raised += q.raised;
	}
	alert_findings_free(&fs);
	return rc;
}
