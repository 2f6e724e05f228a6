/*
 * alert.c - an account's alerts and its decisions on them (alert.h).
 *
 * An alert is for the account its owner field names, or for every
 * account with the role it names; and only where the account sees its
 * case (need to know, auth-see.c: an alert is a record of its case).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alert.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "xmalloc.h"

/* The decisions an analyst may record, and whether they need a reason. */
static const struct {
	const char	*state;
	int		 reason;
} alert_decisions[] = {
	{ "SEEN", 0 },
	{ "ACTED", 0 },
	{ "DISMISSED", 1 },
};
#define ALERT_NDECISIONS (sizeof alert_decisions / sizeof alert_decisions[0])

/* Whether an alert is addressed to an account (by name or by role). */
int
alert_for(const struct auth_account *a, const struct record *r)
{
	const char	*owner = record_get(r, "owner");
	unsigned	 bit;

	if (owner == NULL || a == NULL)
		return 0;
	if (strcmp(owner, a->name) == 0)
		return 1;
	bit = auth_role_bit(owner);
	return bit != 0 && (a->roles & bit) != 0;
}

struct alert_count {
	struct store			*st;
	const struct auth_account	*a;
	uint64_t			 n;
};

/* Count one new alert if it is the account's (store_record_fn). */
static int
alert_count_one(const struct record *r, void *arg)
{
	struct alert_count	*c = arg;

	if (alert_for(c->a, r) && auth_sees(c->st, NULL, c->a, r))
		c->n++;
	return 0;
}

/* How many new alerts an account has. */
int
alert_count_new(struct store *st, const struct auth_account *a,
    uint64_t *n, struct ncen_err *err)
{
	struct alert_count	c;
	int			rc;

	*n = 0;
	if (schema_form_find(store_schema(st), "alert") == NULL)
		return NCEN_OK;
	c.st = st;
	c.a = a;
	c.n = 0;
	rc = store_find(st, "alert", "state", "NEW", NULL, alert_count_one,
	    &c, err);
	*n = c.n;
	return rc;
}

struct alert_decide {
	struct store			*st;
	const struct auth_account	*a;
	uint64_t			 id;
	const char			*state;
	const char			*reason;
};

/* Record a decision on an alert (store_txn_fn). */
static int
alert_decide_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct alert_decide	*d = arg;
	struct record		*r = NULL;
	struct buf		 rec = BUF_INIT, det = BUF_INIT;
	char			 now[32];
	time_t			 tt = (time_t)audit_now();
	struct tm		 tm;
	int			 rc;

	if ((rc = store_txn_get(t, "alert", d->id, &r, err)) != NCEN_OK)
		goto out;
	if (!alert_for(d->a, r) || !auth_sees(d->st, t, d->a, r)) {
		rc = ncen_err_set(err, NCEN_EUSAGE, _("alert %llu is not for "
		    "account '%s'"), (unsigned long long)d->id, d->a->name);
		goto out;
	}
	gmtime_r(&tt, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", &tm);
	if ((rc = record_set(r, "state", d->state, err)) != NCEN_OK ||
	    (rc = record_set(r, "reason", d->reason, err)) != NCEN_OK ||
	    (rc = record_set(r, "handled_by", d->a->name, err)) != NCEN_OK ||
	    (rc = record_set(r, "handled", now, err)) != NCEN_OK ||
	    (rc = store_update(t, r, d->a->name, err)) != NCEN_OK)
		goto out;
	buf_addf(&rec, "alert:%llu", (unsigned long long)d->id);
	buf_addf(&det, "%s%s%s", d->state, d->reason != NULL ? ": " : "",
	    d->reason != NULL ? d->reason : "");
	rc = audit_append(t, d->a->name, "alert.decide", buf_cstr(&rec),
	    buf_cstr(&det), err);
out:
	record_free(r);
	buf_free(&rec);
	buf_free(&det);
	return rc;
}

/* Record an analyst's decision: SEEN, ACTED, DISMISSED with a reason. */
int
alert_decide(struct store *st, const struct auth_account *a, uint64_t id,
    const char *state, const char *reason, struct ncen_err *err)
{
	struct alert_decide	d;
	size_t			i;

	for (i = 0; i < ALERT_NDECISIONS; i++)
		if (strcmp(alert_decisions[i].state, state) == 0)
			break;
	if (i == ALERT_NDECISIONS)
		return ncen_err_set(err, NCEN_EUSAGE, _("expected SEEN, ACTED "
		    "or DISMISSED, found '%s'"), state);
	if (reason != NULL && *reason == '\0')
		reason = NULL;
	if (alert_decisions[i].reason && reason == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "%s",
		    _("a dismissed alert needs a reason"));
	d.st = st;
	d.a = a;
	d.id = id;
	d.state = state;
	d.reason = reason;
	return store_run(st, alert_decide_txn, &d, err);
}
