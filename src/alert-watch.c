/*
 * alert-watch.c - which watch entries a case's linked records meet
 * (alert.h): candidates from the watch form's search index under the
 * keys of the records' names and numbers, then each candidate checked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "match.h"
#include "record.h"
#include "store.h"
#include "xmalloc.h"

#define ALERT_WATCH_IDS		200	/* watch ids read under one key */
#define ALERT_WATCH_JW		0.92	/* a spelling close enough */

/* What each kind of watch entry is matched against. */
static const struct {
	const char	*kind;		/* watch_kind code */
	const char	*entity;	/* the linked record's form */
	const char	*fields[3];
	int		 names;		/* names, else numbers */
} alert_watch_kinds[] = {
	{ "PERSON", "person", { "family_name", "given_names", "aliases" }, 1 },
	{ "BUSINESS", "business", { "name", "other_names", NULL }, 1 },
	{ "DOCUMENT", "person", { "document_number", "other_documents",
	  NULL }, 0 },
	{ "PLATE", "conveyance", { "plate", NULL, NULL }, 0 },
	{ "IMO", "conveyance", { "imo", NULL, NULL }, 0 },
	{ "CONTAINER", "conveyance", { "container", NULL, NULL }, 0 },
	{ "VIN", "conveyance", { "vin", NULL, NULL }, 0 },
};
#define ALERT_WATCH_NKINDS \
	(sizeof alert_watch_kinds / sizeof alert_watch_kinds[0])

/* Keys gathered, then looked up. */
struct alert_watch_keys {
	struct buf	*k;
	size_t		 n;
};

/* Keep one key (store_search_key_fn). */
static void
alert_watch_key(const char *key, size_t len, void *arg)
{
	struct alert_watch_keys	*ks = arg;

	ks->k = xreallocarray(ks->k, ks->n + 1, sizeof *ks->k);
	buf_init(&ks->k[ks->n]);
	buf_add(&ks->k[ks->n], key, len);
	ks->n++;
}

/* Forget the keys. */
static void
alert_watch_keys_free(struct alert_watch_keys *ks)
{
	size_t	i;

	for (i = 0; i < ks->n; i++)
		buf_free(&ks->k[i]);
	free(ks->k);
	ks->k = NULL;
	ks->n = 0;
}

/* The Latin words of a record's name fields, space separated. */
static void
alert_watch_words(const struct record *r, const char *const *fields,
    struct buf *out)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	int		 idx;
	size_t		 f, v;

	for (f = 0; f < 3 && fields[f] != NULL; f++) {
		if ((idx = schema_field_index(r->form, fields[f])) < 0)
			continue;
		for (v = 0; v < r->fields[idx].n; v++) {
			buf_addc(out, ' ');
			if (match_latin(r->fields[idx].v[v],
			    strlen(r->fields[idx].v[v]), out, &e) != NCEN_OK)
				ncen_err_clear(&e);
		}
	}
	buf_addc(out, ' ');
	ncen_err_free(&e);
}

/* Whether one Latin word meets one of the words of "have". */
static int
alert_watch_word_met(const char *w, size_t wl, const char *have)
{
	struct buf	 a = BUF_INIT, b = BUF_INIT;
	const char	*p, *q;
	int		 met = 0;

	match_skeleton(w, wl, &a);
	for (p = have; *p != '\0' && !met; p = q) {
		while (*p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q == p)
			break;
		if ((size_t)(q - p) == wl && memcmp(p, w, wl) == 0)
			met = 1;
		else {
			buf_reset(&b);
			match_skeleton(p, (size_t)(q - p), &b);
			met = (a.len > 1 && a.len == b.len &&
			    memcmp(a.s, b.s, a.len) == 0) ||
			    match_jw(w, wl, p, (size_t)(q - p)) >=
			    ALERT_WATCH_JW;
		}
	}
	buf_free(&a);
	buf_free(&b);
	return met;
}

/* Whether every name word of a watch entry meets the record's names. */
static int
alert_watch_names(const struct record *w, const struct record *r,
    const char *const *fields)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 want = BUF_INIT, have = BUF_INIT;
	const char	*name = record_get(w, "name"), *p, *q;
	int		 met = 1, words = 0;

	if (name == NULL || match_latin(name, strlen(name), &want, &e) !=
	    NCEN_OK) {
		ncen_err_free(&e);
		return 0;
	}
	alert_watch_words(r, fields, &have);
	for (p = buf_cstr(&want); *p != '\0' && met; p = q) {
		while (*p == ' ')
			p++;
		for (q = p; *q != '\0' && *q != ' '; q++)
			;
		if (q == p)
			break;
		words++;
		met = alert_watch_word_met(p, (size_t)(q - p),
		    buf_cstr(&have));
	}
	buf_free(&want);
	buf_free(&have);
	ncen_err_free(&e);
	return met && words > 0;
}

/* Whether a watch entry's number is one of the number keys of a field. */
static int
alert_watch_number(const struct record *w, const struct record *r,
    const char *const *fields)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct alert_watch_keys	 ks;
	struct buf		 want = BUF_INIT;
	const char		*num = record_get(w, "number");
	size_t			 f, v, i;
	int			 idx, met = 0;

	memset(&ks, 0, sizeof ks);
	buf_addc(&want, 'n');
	if (num == NULL || match_compact(num, strlen(num), &want, &e) !=
	    NCEN_OK || want.len < 2) {
		buf_free(&want);
		ncen_err_free(&e);
		return 0;
	}
	for (f = 0; f < 3 && fields[f] != NULL && !met; f++) {
		if ((idx = schema_field_index(r->form, fields[f])) < 0)
			continue;
		for (v = 0; v < r->fields[idx].n; v++)
			store_search_value_keys(SCHEMA_SEARCH_NUMBER,
			    r->fields[idx].v[v], strlen(r->fields[idx].v[v]),
			    alert_watch_key, &ks);
		for (i = 0; i < ks.n && !met; i++)
			met = ks.k[i].len == want.len &&
			    memcmp(ks.k[i].s, want.s, want.len) == 0;
		alert_watch_keys_free(&ks);
	}
	buf_free(&want);
	ncen_err_free(&e);
	return met;
}

/* Today as YYYY-MM-DD (UTC). */
static void
alert_watch_today(char out[11])
{
	time_t		now = time(NULL);
	struct tm	tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Whether watch entry w meets record r: the kind's test, dates, expiry. */
static int
alert_watch_meets(const struct record *w, const struct record *r,
    struct buf *why)
{
	const char	*kind = record_get(w, "kind");
	const char	*until = record_get(w, "until");
	const char	*dob, *rdob;
	char		 today[11];
	size_t		 k;

	if (kind == NULL)
		return 0;
	alert_watch_today(today);
	if (until != NULL && *until != '\0' && strcmp(until, today) < 0)
		return 0;
	for (k = 0; k < ALERT_WATCH_NKINDS; k++)
		if (strcmp(alert_watch_kinds[k].kind, kind) == 0 &&
		    strcmp(alert_watch_kinds[k].entity, r->form->name) == 0)
			break;
	if (k == ALERT_WATCH_NKINDS)
		return 0;
	if (alert_watch_kinds[k].names) {
		if (!alert_watch_names(w, r, alert_watch_kinds[k].fields))
			return 0;
		dob = record_get(w, "birth_date");
		rdob = record_get(r, "birth_date");
		if (dob != NULL && *dob != '\0' && rdob != NULL &&
		    strcmp(dob, rdob) != 0)
			return 0;
		buf_addf(why, "%s %s", _("name"), record_get(w, "name"));
		if (dob != NULL && *dob != '\0')
			buf_addf(why, ", %s %s", rdob != NULL ? _("born") :
			    _("born (not recorded in the case)"), dob);
	} else {
		if (!alert_watch_number(w, r, alert_watch_kinds[k].fields))
			return 0;
		buf_addf(why, "%s %s", _("number"), record_get(w, "number"));
	}
	return 1;
}

/* Add a finding for watch entry w met by record r. */
static void
alert_watch_found(struct alert_findings *fs, const struct record *w,
    const struct record *r, const struct buf *why)
{
	struct alert_found	*f;
	struct buf		 b = BUF_INIT;
	const char		*owner = record_get(w, "owner");
	const char		*reason = record_get(w, "reason");

	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof *fs->v);
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof *f);
	buf_addf(&b, "watch:%llu", (unsigned long long)w->id);
	f->source = buf_detach(&b);
	f->title = xstrdup(reason != NULL ? reason : "");
	f->owner = xstrdup(owner != NULL ? owner : "analyst");
	buf_addf(&b, "%s:%llu: %s", r->form->name, (unsigned long long)r->id,
	    buf_cstr(why));
	f->why = buf_detach(&b);
	f->matched = xcalloc(2, sizeof *f->matched);
	buf_addf(&b, "%s:%llu", r->form->name, (unsigned long long)r->id);
	f->matched[0] = buf_detach(&b);
	buf_addf(&b, "watch:%llu", (unsigned long long)w->id);
	f->matched[1] = buf_detach(&b);
	f->nmatched = 2;
}

/* The candidate watch ids of one linked record. */
static int
alert_watch_candidates(struct store *st, const struct record *r,
    struct store_ids *cand, struct ncen_err *err)
{
	struct alert_watch_keys		 ks;
	struct store_search_ids		 ids;
	size_t				 k, j, v, i, n;
	int				 idx, rc = NCEN_OK;

	memset(&ks, 0, sizeof ks);
	for (k = 0; k < ALERT_WATCH_NKINDS; k++) {
		if (strcmp(alert_watch_kinds[k].entity, r->form->name) != 0)
			continue;
		for (j = 0; j < 3 && alert_watch_kinds[k].fields[j] != NULL;
		    j++) {
			idx = schema_field_index(r->form,
			    alert_watch_kinds[k].fields[j]);
			if (idx < 0)
				continue;
			for (v = 0; v < r->fields[idx].n; v++)
				if (match_utf8(r->fields[idx].v[v],
				    strlen(r->fields[idx].v[v])))
					store_search_value_keys(
					    alert_watch_kinds[k].names ?
					    SCHEMA_SEARCH_NAME :
					    SCHEMA_SEARCH_NUMBER,
					    r->fields[idx].v[v],
					    strlen(r->fields[idx].v[v]),
					    alert_watch_key, &ks);
		}
	}
	for (i = 0; i < ks.n && rc == NCEN_OK; i++) {
		memset(&ids, 0, sizeof ids);
		rc = store_search_ids(st, "watch", ks.k[i].s, ks.k[i].len, 0,
		    ALERT_WATCH_IDS, &ids, err);
		for (n = 0; rc == NCEN_OK && n < ids.n; n++)
			store_ids_add(cand, ids.ids[n]);
		store_search_ids_free(&ids);
	}
	alert_watch_keys_free(&ks);
	return rc;
}

/* The watch entries a case's linked records meet, as findings. */
int
alert_watch_case(struct store *st, uint64_t caseid,
    const struct record *const *linked, size_t nlinked,
    struct alert_findings *fs, struct ncen_err *err)
{
	struct store_ids	 cand;
	struct record		*w;
	struct buf		 why = BUF_INIT;
	size_t			 i, c;
	int			 rc = NCEN_OK;

	(void)caseid;
	if (!store_search_has(st, "watch"))
		return NCEN_OK;
	for (i = 0; i < nlinked && rc == NCEN_OK; i++) {
		memset(&cand, 0, sizeof cand);
		rc = alert_watch_candidates(st, linked[i], &cand, err);
		for (c = 0; rc == NCEN_OK && c < cand.n; c++) {
			w = NULL;
			rc = store_get(st, "watch", cand.ids[c], &w, err);
			if (rc == NCEN_ENOTFOUND) {
				ncen_err_clear(err);
				rc = NCEN_OK;
				continue;
			}
			buf_reset(&why);
			if (rc == NCEN_OK && alert_watch_meets(w, linked[i],
			    &why))
				alert_watch_found(fs, w, linked[i], &why);
			record_free(w);
		}
		store_ids_free(&cand);
	}
	buf_free(&why);
	return rc;
}
