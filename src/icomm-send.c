/*
 * icomm-send.c - the uploader: outbox entries into batches, POSTed with
 * mutual TLS, removed on the partner's signed receipt (icomm-send.h).
 */
#include <curl/curl.h>
#include <jansson.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "audit.h"
#include "buf.h"
#include "error.h"
#include "icomm-batch.h"
#include "icomm-project.h"
#include "icomm-pseudo.h"
#include "icomm-send.h"
#include "icomm-util.h"
#include "icomm.h"
#include "record.h"
#include "store-kv.h"
#include "store.h"
#include "workflow.h"
#include "xmalloc.h"

#define ICOMM_PACKED		"packed"	/* packed\0partner\0batch */
#define ICOMM_RECEIPT_MAX	(1024 * 1024)	/* bytes of a receipt */

/* Log one event through the caller's function. */
static void
icomm_send_log(const struct icomm_send_opts *o, int prio, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

static void
icomm_send_log(const struct icomm_send_opts *o, int prio, const char *fmt,
    ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;

	if (o == NULL || o->log == NULL)
		return;
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	o->log(prio, buf_cstr(&b), o->logarg);
	buf_free(&b);
}

struct icomm_level_q {
	const char		*partner;
	const struct icomm_entry *e;
	enum schema_share	 level;
};

/* The level an outbound agreement allows for an entry now. */
static int
icomm_send_level_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_level_q	*q = arg;
	char			**groups = NULL;
	size_t			 n = 0;
	int			 error = NCEN_OK;

	if (strcmp(q->e->entity, "case") == 0)
		error = icomm_case_groups(t, q->e->id, &groups, &n, err);
	if (error == NCEN_OK)
		error = icomm_agreement_level(t, q->partner, ICOMM_DIR_OUT,
		    groups, n, &q->level, err);
	icomm_strings_free(groups, n);
	return error;
}

/* What pack collects from the outbox. */
struct icomm_pack {
	struct store		*st;
	const char		*partner;
	json_t			*items;
	json_t			*entries;	/* remembered until the receipt */
	struct icomm_entry	**drop;
	size_t			 ndrop;
	uint64_t		*cited;		/* cases messages cite */
	size_t			 ncited;
	struct icomm_pseudo	 ps;		/* opened on first need */
	int			 psopen;
	int			 error;
	struct ncen_err		*err;
};

/*
 * A case's projection for the partner; at level cen its persons and
 * businesses go under their pseudonyms, so the node secret is read (or
 * made) the first time a batch needs it.
 */
static int
icomm_pack_case(struct icomm_pack *p, uint64_t id, enum schema_share level,
    json_t **item)
{
	int	error;

	if (level == SCHEMA_CEN && !p->psopen) {
		if ((error = icomm_pseudo_open(p->st, p->partner, &p->ps,
		    p->err)) != NCEN_OK)
			return error;
		p->psopen = 1;
	}
	return icomm_project_case(p->st, id, level, p->psopen ? &p->ps :
	    NULL, item, p->err);
}

/*
 * The cases a message cites travel as items of their own before it,
 * each under the agreement that covers it (and only if validated); a
 * citation that may not go is taken out of the message.
 */
static int
icomm_pack_cites(struct icomm_pack *p, json_t *msg)
{
	struct icomm_level_q	 q;
	struct icomm_entry	 e;
	struct record		*c;
	json_t			*cites, *item, *keep;
	const char		*v;
	char			*end;
	uint64_t		 id;
	size_t			 i;
	int			 error = NCEN_OK;

	cites = json_object_get(json_object_get(msg, "fields"), "cites");
	keep = json_array();
	json_array_foreach(cites, i, item) {
		v = json_string_value(item);
		if (v == NULL || strncmp(v, "case:", 5) != 0 ||
		    (id = strtoull(v + 5, &end, 10)) == 0 || *end != '\0')
			continue;
		memset(&e, 0, sizeof e);
		e.entity = (char *)(uintptr_t)"case";
		e.id = id;
		q.partner = p->partner;
		q.e = &e;
		q.level = SCHEMA_LOCAL;
		c = NULL;
		error = store_get(p->st, "case", id, &c, p->err);
		if (error == NCEN_OK && workflow_shareable(c))
			error = store_run(p->st, icomm_send_level_txn, &q,
			    p->err);
		record_free(c);
		if (error == NCEN_ENOTFOUND) {
			ncen_err_clear(p->err);
			error = NCEN_OK;
			continue;
		}
		if (error != NCEN_OK)
			break;
		if (q.level == SCHEMA_LOCAL)
			continue;
		if ((error = icomm_pack_case(p, id, q.level, &item)) !=
		    NCEN_OK)
			break;
		json_array_append_new(p->items, item);
		p->cited = xreallocarray(p->cited, p->ncited + 1,
		    sizeof *p->cited);
		p->cited[p->ncited++] = id;
		json_array_append_new(keep, json_string(v));
	}
	if (json_array_size(keep) != 0)
		json_object_set(json_object_get(msg, "fields"), "cites", keep);
	else if (cites != NULL)
		json_object_del(json_object_get(msg, "fields"), "cites");
	json_decref(keep);
	return error;
}

/* One outbox entry into the batch (icomm_entry_fn). */
static int
icomm_pack_entry(const struct icomm_entry *e, void *arg)
{
	struct icomm_pack	*p = arg;
	struct icomm_level_q	 q;
	struct record		*r = NULL;
	json_t			*item = NULL, *one;
	int			 error = NCEN_OK;

	if (strcmp(e->kind, "withdraw") == 0) {
		item = json_pack("{s:s, s:s, s:I, s:I}", "kind", "withdraw",
		    "entity", e->entity, "id", (json_int_t)e->id, "version",
		    (json_int_t)e->version);
		goto add;
	}
	q.partner = p->partner;
	q.e = e;
	q.level = SCHEMA_LOCAL;
	if ((error = store_run(p->st, icomm_send_level_txn, &q, p->err)) !=
	    NCEN_OK)
		goto fail;
	if (q.level != SCHEMA_LOCAL && strcmp(e->entity, "case") == 0)
		error = icomm_pack_case(p, e->id, q.level, &item);
	else if (q.level != SCHEMA_LOCAL) {
		/* A message: itself, to the level allowed, and what it cites. */
		if ((error = store_get(p->st, e->entity, e->id, &r, p->err)) ==
		    NCEN_OK) {
			one = icomm_project_record(r, q.level, NULL, NULL);
			error = icomm_pack_cites(p, one);
		}
		if (error == NCEN_OK) {
			item = json_pack("{s:s, s:s, s:I, s:I, s:[o], s:[]}",
			    "kind", "message", "entity", e->entity, "id",
			    (json_int_t)e->id, "version",
			    (json_int_t)r->version, "records", one, "links");
		}
		record_free(r);
	}
	if (error == NCEN_ENOTFOUND || (error == NCEN_OK && item == NULL)) {
		/* Deleted since, or no agreement allows it any more. */
		ncen_err_clear(p->err);
		p->drop = xreallocarray(p->drop, p->ndrop + 1,
		    sizeof *p->drop);
		p->drop[p->ndrop] = xcalloc(1, sizeof **p->drop);
		p->drop[p->ndrop]->partner = xstrdup(e->partner);
		p->drop[p->ndrop]->entity = xstrdup(e->entity);
		p->drop[p->ndrop]->kind = xstrdup(e->kind);
		p->drop[p->ndrop]->id = e->id;
		p->drop[p->ndrop]->version = e->version;
		p->drop[p->ndrop]->rev = e->rev;
		p->ndrop++;
		return 0;
	}
	if (error != NCEN_OK)
		goto fail;
add:
	json_array_append_new(p->items, item);
	json_array_append_new(p->entries, json_pack("{s:s, s:I, s:s, s:I, "
	    "s:I}", "entity", e->entity, "id", (json_int_t)e->id, "kind",
	    e->kind, "version", (json_int_t)e->version, "rev",
	    (json_int_t)e->rev));
	return 0;
fail:
	p->error = error;
	return error;
}

/* Remember a batch's entries; drop the entries nothing allows, audited. */
struct icomm_pack_note {
	struct icomm_pack	*p;
	const char		*batch;
};

static int
icomm_pack_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_pack_note	*n = arg;
	struct icomm_pack	*p = n->p;
	struct buf		 k = BUF_INIT, rec = BUF_INIT, d = BUF_INIT;
	json_t			*j;
	size_t			 i;
	int			 error = NCEN_OK;

	if (p->ndrop != 0) {
		if ((error = icomm_outbox_txn_remove(t, p->drop, p->ndrop,
		    err)) != NCEN_OK)
			goto out;
		for (i = 0; i < p->ndrop && error == NCEN_OK; i++) {
			buf_reset(&rec);
			buf_reset(&d);
			buf_addf(&rec, "%s:%llu", p->drop[i]->entity,
			    (unsigned long long)p->drop[i]->id);
			buf_addf(&d, "not sent to %s: deleted, or no agreement "
			    "in force allows it", p->partner);
			error = audit_append(t, "icomm", "icomm.drop", rec.s,
			    d.s, err);
		}
	}
	/* Cited cases were shared: a reopen withdraws them there too. */
	for (i = 0; i < p->ncited && error == NCEN_OK; i++)
		error = icomm_outbox_shared(t, p->partner, "case",
		    p->cited[i], err);
	if (error != NCEN_OK || json_array_size(p->entries) == 0)
		goto out;
	icomm_key(&k, ICOMM_PACKED, p->partner);
	buf_addc(&k, '\0');
	buf_adds(&k, n->batch);
	j = json_pack("{s:O}", "entries", p->entries);
	error = icomm_kv_put_json(t, STORE_KV_STATE, k.s, k.len, j, err);
	json_decref(j);
out:
	buf_free(&k);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* A batch of up to max entries for a partner (see icomm-send.h). */
int
icomm_send_pack(struct store *st, const char *partner, size_t max,
    int encrypt, struct buf *der, struct buf *batch_id, size_t *nentries,
    struct ncen_err *err)
{
	struct icomm_pack	 p;
	struct icomm_pack_note	 note;
	struct icomm_key	 k;
	struct store_partner	*pt = NULL;
	struct buf		 created = BUF_INIT;
	X509			*to = NULL;
	json_t			*doc = NULL;
	size_t			 i;
	int			 error;

	*nentries = 0;
	buf_reset(der);
	memset(&p, 0, sizeof p);
	if ((error = icomm_key_load(st, &k, err)) != NCEN_OK)
		return error;
	if ((error = icomm_partner_get(st, partner, &pt, err)) != NCEN_OK)
		goto out;
	if (encrypt && (error = icomm_cert_parse(pt->cert, &to, err)) !=
	    NCEN_OK)
		goto out;
	p.st = st;
	p.partner = partner;
	p.items = json_array();
	p.entries = json_array();
	p.err = err;
	error = icomm_outbox_list(st, partner, max, icomm_pack_entry, &p,
	    err);
	if (error == NCEN_OK && p.error != NCEN_OK)
		error = p.error;
	if (error != NCEN_OK)
		goto out;
	icomm_batch_id(k.id, batch_id);
	note.p = &p;
	note.batch = batch_id->s;
	if ((p.ndrop != 0 || json_array_size(p.entries) != 0) &&
	    (error = store_run(st, icomm_pack_txn, &note, err)) != NCEN_OK)
		goto out;
	if ((*nentries = json_array_size(p.items)) == 0)
		goto out;
	icomm_time(&created, audit_now());
	doc = json_pack("{s:s, s:i, s:s, s:s, s:s, s:s, s:O}", "format",
	    ICOMM_BATCH_FORMAT, "version", ICOMM_BATCH_VERSION, "sender",
	    k.id, "receiver", partner, "batch", batch_id->s, "created",
	    created.s, "items", p.items);
	error = icomm_batch_seal(doc, &k, to, der, err);
out:
	json_decref(doc);
	json_decref(p.items);
	json_decref(p.entries);
	for (i = 0; i < p.ndrop; i++)
		icomm_entry_free(p.drop[i]);
	free(p.drop);
	free(p.cited);
	if (p.psopen)
		icomm_pseudo_close(&p.ps);
	X509_free(to);
	store_partner_free(pt, 1);
	icomm_key_free(&k);
	buf_free(&created);
	return error;
}

/* The registered certificate of a receipt's sender (icomm_cert_fn). */
static int
icomm_send_cert(const char *sender, X509 **x, void *arg,
    struct ncen_err *err)
{
	struct store_partner	*p = NULL;
	int			 error;

	if ((error = icomm_partner_get(arg, sender, &p, err)) != NCEN_OK)
		return error;
	error = icomm_cert_parse(p->cert, x, err);
	store_partner_free(p, 1);
	return error;
}

struct icomm_receipt_op {
	const char	*partner;
	const char	*batch;
	size_t		 removed;
	int		 found;
};

/* Remove the entries of an accepted batch, audited. */
static int
icomm_receipt_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct icomm_receipt_op	*op = arg;
	struct icomm_entry	**e = NULL;
	struct buf		 k = BUF_INIT, rec = BUF_INIT, d = BUF_INIT;
	json_t			*j = NULL, *je;
	size_t			 i, n = 0;
	int			 error;

	op->removed = 0;
	op->found = 0;
	icomm_key(&k, ICOMM_PACKED, op->partner);
	buf_addc(&k, '\0');
	buf_adds(&k, op->batch);
	error = icomm_kv_get_json(t, STORE_KV_STATE, k.s, k.len, 1, &j, err);
	if (error == NCEN_ENOTFOUND) {
		/* Its entries went already (a receipt seen twice). */
		ncen_err_clear(err);
		error = NCEN_OK;
		goto out;
	}
	if (error != NCEN_OK)
		goto out;
	op->found = 1;
	json_array_foreach(json_object_get(j, "entries"), i, je) {
		e = xreallocarray(e, n + 1, sizeof *e);
		e[n] = xcalloc(1, sizeof **e);
		e[n]->partner = xstrdup(op->partner);
		e[n]->entity = xstrdup(icomm_json_str(je, "entity") ?
		    icomm_json_str(je, "entity") : "");
		e[n]->kind = xstrdup(icomm_json_str(je, "kind") ?
		    icomm_json_str(je, "kind") : "");
		e[n]->id = (uint64_t)icomm_json_int(je, "id");
		e[n]->version = (uint32_t)icomm_json_int(je, "version");
		e[n]->rev = (uint32_t)icomm_json_int(je, "rev");
		n++;
	}
	if ((error = icomm_outbox_txn_remove(t, e, n, err)) != NCEN_OK ||
	    (error = store_kv_del(t, STORE_KV_STATE, k.s, k.len, err)) !=
	    NCEN_OK)
		goto out;
	op->removed = n;
	buf_addf(&rec, "partner:%s", op->partner);
	buf_addf(&d, "batch %s: %zu entries acknowledged", op->batch, n);
	error = audit_append(t, "icomm", "icomm.sent", rec.s, d.s, err);
out:
	for (i = 0; i < n; i++)
		icomm_entry_free(e[i]);
	free(e);
	json_decref(j);
	buf_free(&k);
	buf_free(&rec);
	buf_free(&d);
	return error;
}

/* Check a receipt and remove what it acknowledges (see icomm-send.h). */
int
icomm_send_receipt(struct store *st, const void *der, size_t len,
    const char *want_batch, int *accepted, struct buf *reason,
    size_t *removed, struct ncen_err *err)
{
	struct icomm_receipt_op	 op;
	struct icomm_node	*me = NULL;
	json_t			*doc = NULL;
	const char		*status;
	int			 error;

	*accepted = 0;
	*removed = 0;
	buf_reset(reason);
	if ((error = icomm_node_get(st, &me, err)) != NCEN_OK)
		return error;
	if ((error = icomm_batch_read(der, len, NULL, ICOMM_RECEIPT_FORMAT,
	    ICOMM_RECEIPT_MAX, icomm_send_cert, st, &doc, NULL, err)) !=
	    NCEN_OK) {
		ncen_err_prefix(err, "the receipt: ");
		goto out;
	}
	status = icomm_json_str(doc, "status");
	if (status == NULL || strcmp(status, "accepted") != 0) {
		/* A refusal may name no batch: the batch was unreadable. */
		buf_adds(reason, icomm_json_str(doc, "reason") != NULL ?
		    icomm_json_str(doc, "reason") : "refused, no reason given");
		goto out;
	}
	if (strcmp(icomm_json_str(doc, "receiver"), me->id) != 0 ||
	    (want_batch != NULL && strcmp(icomm_json_str(doc, "batch"),
	    want_batch) != 0)) {
		error = ncen_err_set(err, NCEN_EINVALID, "the receipt is for "
		    "batch %s of %s, not this one", icomm_json_str(doc,
		    "batch"), icomm_json_str(doc, "receiver"));
		goto out;
	}
	op.partner = icomm_json_str(doc, "sender");
	op.batch = icomm_json_str(doc, "batch");
	if ((error = store_run(st, icomm_receipt_txn, &op, err)) != NCEN_OK)
		goto out;
	*accepted = 1;
	*removed = op.removed;
out:
	json_decref(doc);
	icomm_node_free(me);
	return error;
}

/* Collect a response body, refusing more than a receipt may hold. */
static size_t
icomm_send_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (b->len + size * n > ICOMM_RECEIPT_MAX)
		return 0;
	buf_add(b, p, size * n);
	return size * n;
}

/* POST a batch; NCEN_OK with the body of a 200 answer, else why. */
static int
icomm_send_post(struct store *st, const struct store_partner *p,
    const struct buf *der, const struct icomm_send_opts *o,
    struct buf *body, struct icomm_send_stats *stats, struct ncen_err *err)
{
	struct curl_slist	*hdr = NULL;
	struct curl_blob	 ca;
	struct buf		 crt = BUF_INIT, key = BUF_INIT;
	char			 ebuf[CURL_ERROR_SIZE];
	curl_off_t		 up = 0, down = 0;
	long			 code = 0, hsize = 0, rsize = 0;
	CURL			*h;
	CURLcode		 rc;
	int			 error = NCEN_OK;

	buf_reset(body);
	if ((h = curl_easy_init()) == NULL)
		return ncen_err_set(err, NCEN_EIO, "curl_easy_init failed");
	icomm_node_path(st, ICOMM_CERT_FILE, &crt);
	icomm_node_path(st, ICOMM_KEY_FILE, &key);
	ca.data = p->tls_ca != NULL ? p->tls_ca : p->cert;
	ca.len = strlen(ca.data);
	ca.flags = CURL_BLOB_COPY;
	ebuf[0] = '\0';
	hdr = curl_slist_append(hdr, "Content-Type: application/pkcs7-mime");
	hdr = curl_slist_append(hdr, "Expect:");
	if ((rc = curl_easy_setopt(h, CURLOPT_URL, p->url)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https")) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_POST, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_POSTFIELDS, der->s)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)der->len)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSLCERT, crt.s)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSLKEY, key.s)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &ca)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_CAPATH, NULL)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_SSLVERSION,
	    (long)CURL_SSLVERSION_TLSv1_2)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L)) !=
	    CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)(o->timeout != 0 ?
	    o->timeout : ICOMM_SEND_TIMEOUT))) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_MAX_SEND_SPEED_LARGE,
	    (curl_off_t)o->max_rate)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEFUNCTION,
	    icomm_send_body)) != CURLE_OK ||
	    (rc = curl_easy_setopt(h, CURLOPT_WRITEDATA, body)) != CURLE_OK) {
		error = ncen_err_set(err, NCEN_EIO, "curl: %s",
		    curl_easy_strerror(rc));
		goto out;
	}
	rc = curl_easy_perform(h);
	if (curl_easy_getinfo(h, CURLINFO_SIZE_UPLOAD_T, &up) == CURLE_OK &&
	    curl_easy_getinfo(h, CURLINFO_SIZE_DOWNLOAD_T, &down) ==
	    CURLE_OK && curl_easy_getinfo(h, CURLINFO_HEADER_SIZE, &hsize) ==
	    CURLE_OK && curl_easy_getinfo(h, CURLINFO_REQUEST_SIZE, &rsize) ==
	    CURLE_OK && stats != NULL) {
		stats->bytes_up += (uint64_t)up + (uint64_t)rsize;
		stats->bytes_down += (uint64_t)down + (uint64_t)hsize;
	}
	if (rc != CURLE_OK) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", p->url,
		    ebuf[0] != '\0' ? ebuf : curl_easy_strerror(rc));
		goto out;
	}
	if (curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK ||
	    code != 200) {
		/* nginx and lighttpd answer a refused client certificate so. */
		error = ncen_err_set(err, NCEN_EIO, "%s: HTTP status %ld%s",
		    p->url, code, code == 400 || code == 403 ? " (the web "
		    "server refused this node's client certificate?)" : "");
		goto out;
	}
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	buf_free(&crt);
	buf_free(&key);
	return error;
}

/* Wait ms milliseconds, or less if asked to stop. */
static void
icomm_send_wait(const struct icomm_send_opts *o, unsigned ms)
{
	struct timespec	ts;

	while (ms > 0 && (o->stop == NULL || !*o->stop)) {
		ts.tv_sec = 0;
		ts.tv_nsec = (long)(ms < 100 ? ms : 100) * 1000000L;
		nanosleep(&ts, NULL);
		ms -= ms < 100 ? ms : 100;
	}
}

/* The back-off before attempt n (1, 2...): doubled each time, jittered. */
static unsigned
icomm_send_backoff(const struct icomm_send_opts *o, unsigned n)
{
	unsigned	base = o->backoff_ms != 0 ? o->backoff_ms :
			    ICOMM_SEND_BACKOFF_MS;
	unsigned	r = 0;
	uint64_t	ms = base;

	while (--n > 0 && ms < ICOMM_SEND_BACKOFF_MAX)
		ms *= 2;
	if (ms > ICOMM_SEND_BACKOFF_MAX)
		ms = ICOMM_SEND_BACKOFF_MAX;
	/* Full jitter on the upper half: between ms/2 and ms. */
	if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
		r = (unsigned)time(NULL);
	return (unsigned)(ms / 2 + r % (ms / 2 + 1));
}

/* Drain one partner's outbox; NCEN_ECHECK if it failed. */
static int
icomm_send_partner(struct store *st, const struct store_partner *p,
    const struct icomm_send_opts *o, struct icomm_send_stats *stats,
    struct ncen_err *err)
{
	struct ncen_err	 e = NCEN_ERR_INIT, ignore = NCEN_ERR_INIT;
	struct buf	 der = BUF_INIT, id = BUF_INIT, body = BUF_INIT;
	struct buf	 reason = BUF_INIT;
	size_t		 size = o->batch != 0 ? o->batch : ICOMM_SEND_BATCH;
	size_t		 n = 0, removed;
	unsigned	 tries = o->tries != 0 ? o->tries : ICOMM_SEND_TRIES;
	unsigned	 failed = 0;
	int		 accepted, error = NCEN_OK, fresh = 1;

	while (o->stop == NULL || !*o->stop) {
		if (fresh) {
			if ((error = icomm_send_pack(st, p->id, size, 0, &der,
			    &id, &n, err)) != NCEN_OK)
				break;
			if (n == 0)
				break;
			fresh = 0;
		}
		(void)icomm_status_note(st, p->id, n, "", &ignore);
		ncen_err_clear(&ignore);
		icomm_send_log(o, LOG_INFO, "%s: sending batch %s (%zu "
		    "entries, %zu bytes)", p->id, id.s, n, der.len);
		ncen_err_clear(&e);
		buf_reset(&reason);
		if (icomm_send_post(st, p, &der, o, &body, stats, &e) ==
		    NCEN_OK && icomm_send_receipt(st, body.s, body.len, id.s,
		    &accepted, &reason, &removed, &e) == NCEN_OK && accepted) {
			stats->batches++;
			stats->entries += removed;
			failed = 0;
			fresh = 1;
			(void)icomm_status_note(st, p->id, 0, NULL, &ignore);
			ncen_err_clear(&ignore);
			icomm_send_log(o, LOG_INFO, "%s: batch %s accepted, "
			    "%zu entries done", p->id, id.s, removed);
			continue;
		}
		if (e.code == NCEN_OK)
			ncen_err_set(&e, NCEN_EINVALID, "refused by %s: %s",
			    p->id, reason.s);
		stats->failures++;
		(void)icomm_status_note(st, p->id, 0, ncen_err_msg(&e),
		    &ignore);
		ncen_err_clear(&ignore);
		icomm_send_log(o, LOG_WARNING, "%s: batch %s failed: %s", p->id,
		    id.s, ncen_err_msg(&e));
		/* A refusal needs a person, unless the batch was too big. */
		if (reason.len != 0 && strstr(reason.s, "oversized") == NULL) {
			error = NCEN_ECHECK;
			break;
		}
		if (++failed >= tries) {
			error = NCEN_ECHECK;
			break;
		}
		if (size > 1 && (reason.len != 0 || failed > 1)) {
			/* Smaller batches get through a bad link. */
			size = (size + 1) / 2;
			fresh = 1;
		}
		icomm_send_wait(o, icomm_send_backoff(o, failed));
	}
	if (error == NCEN_ECHECK)
		ncen_err_set(err, NCEN_ECHECK, "%s: %s", p->id,
		    ncen_err_msg(&e));
	buf_free(&der);
	buf_free(&id);
	buf_free(&body);
	buf_free(&reason);
	ncen_err_free(&e);
	ncen_err_free(&ignore);
	return error;
}

struct icomm_send_all {
	char	**ids;
	size_t	  n;
};

/* Collect partner ids (icomm_partner_fn). */
static int
icomm_send_collect(const struct store_partner *p, void *arg)
{
	struct icomm_send_all	*a = arg;

	a->ids = xreallocarray(a->ids, a->n + 1, sizeof *a->ids);
	a->ids[a->n++] = xstrdup(p->id);
	return 0;
}

/* One pass over every partner's outbox (see icomm-send.h). */
int
icomm_send_pass(struct store *st, const struct icomm_send_opts *o,
    struct icomm_send_stats *stats, struct ncen_err *err)
{
	struct icomm_send_all	 all;
	struct store_partner	*p;
	struct ncen_err		 e = NCEN_ERR_INIT;
	size_t			 i;
	int			 error = NCEN_OK, failed = 0;

	memset(&all, 0, sizeof all);
	if (o->partner != NULL)
		icomm_send_collect(&(struct store_partner){ .id =
		    (char *)(uintptr_t)o->partner }, &all);
	else if ((error = icomm_partner_list(st, icomm_send_collect, &all,
	    err)) != NCEN_OK)
		goto out;
	for (i = 0; i < all.n && (o->stop == NULL || !*o->stop); i++) {
		p = NULL;
		if ((error = icomm_partner_get(st, all.ids[i], &p, err)) !=
		    NCEN_OK)
			goto out;
		ncen_err_clear(&e);
		error = icomm_send_partner(st, p, o, stats, &e);
		store_partner_free(p, 1);
		if (error == NCEN_ECHECK) {
			failed++;
			if (failed == 1)
				ncen_err_set(err, NCEN_ECHECK, "%s",
				    ncen_err_msg(&e));
			error = NCEN_OK;
		} else if (error != NCEN_OK) {
			ncen_err_set(err, error, "%s", ncen_err_msg(&e));
			goto out;
		}
	}
	if (failed != 0)
		error = NCEN_ECHECK;
out:
	icomm_strings_free(all.ids, all.n);
	ncen_err_free(&e);
	return error;
}
