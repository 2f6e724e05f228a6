/*
 * ctl-import-case.c - what an import of cases owes the workflow: a case
 * number unique and given when missing, and a status reached only
 * through the workflow's steps, by an account that may take them.
 *
 * Checking (while the file is read): a number given must be in no other
 * case, of the database or of the file; a status past draft names the
 * steps that lead to it (submitted: submit; validated: submit, validate;
 * closed: submit, validate, close), and the importing account (--as, else
 * the login's account) must be allowed each one on this case by the role
 * matrix, and the case must be complete, as the workflow will find it;
 * else the row is refused.  The record is then kept as a draft with the
 * number of steps to take.
 *
 * Writing (in the import's transaction of the row): the number given is
 * looked up again (another import may have taken it since the check, and
 * the index read makes two writers of one number conflict), a missing
 * one is made as ncen makes it (workflow_number: the next of the office
 * and year, past the numbers the file itself gives), the draft is stored
 * and each step taken by workflow_apply_txn() with its transition record,
 * audit entry and outbox entries, all in that transaction.  The journal
 * lists the case as it ends up and each transition, so a rollback undoes
 * them (ctl-journal.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-kv.h"
#include "store.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define CTL_IMPORT_CASE_MAXSTEPS	3
#define CTL_IMPORT_CASE_FOUND		(-1)	/* a walk's stop: no code */

/* The steps from draft to each status an import may ask for. */
static const struct {
	const char	*status;
	const char	*steps[CTL_IMPORT_CASE_MAXSTEPS];
	unsigned	 n;
} ctl_import_case_paths[] = {
	{ "draft",	{ NULL },				0 },
	{ "submitted",	{ "submit" },				1 },
	{ "validated",	{ "submit", "validate" },		2 },
	{ "closed",	{ "submit", "validate", "close" },	3 },
};

#define CTL_IMPORT_CASE_NPATHS \
	(sizeof ctl_import_case_paths / sizeof ctl_import_case_paths[0])

/* What an import of cases keeps between rows. */
struct ctl_import_case {
	struct store			*st;
	const struct schema		*s;
	const struct schema_form	*form;
	const struct auth_account	*acct;		/* NULL: see noacct */
	struct buf			 noacct;	/* why there is none */
	const char			*user;
	int				 numbered;	/* a number field */
	struct ctl_csv_set		 numbers;	/* given in the file */
};

/* Whether an import of this form is an import of cases. */
int
ctl_import_case_is(const struct schema_form *f)
{
	return f != NULL && strcmp(f->name, "case") == 0;
}

/* Start an import of cases; acct NULL with why when there is no account. */
struct ctl_import_case *
ctl_import_case_new(struct store *st, const struct schema_form *f,
    const struct auth_account *acct, const char *why, const char *user)
{
	struct ctl_import_case	*ic;
	const struct schema_field *fd;

	ic = xcalloc(1, sizeof *ic);
	ic->st = st;
	ic->s = store_schema(st);
	ic->form = f;
	ic->acct = acct;
	buf_adds(&ic->noacct, why != NULL ? why : "");
	ic->user = user;
	fd = schema_field_find(f, "number");
	ic->numbered = fd != NULL && fd->indexed;
	return ic;
}

/* Release it (not the account, which is the caller's). */
void
ctl_import_case_free(struct ctl_import_case *ic)
{
	if (ic == NULL)
		return;
	buf_free(&ic->noacct);
	ctl_csv_set_free(&ic->numbers);
	free(ic);
}

/* A number as the file set keeps it: ASCII letters in upper case. */
static void
ctl_import_case_fold(const char *v, struct buf *k)
{
	buf_reset(k);
	for (; *v != '\0'; v++)
		buf_addc(k, *v >= 'a' && *v <= 'z' ? *v - 'a' + 'A' : *v);
}

/* The first case found with a number (store_record_fn). */
static int
ctl_import_case_first(const struct record *r, void *arg)
{
	*(uint64_t *)arg = r->id;
	return CTL_IMPORT_CASE_FOUND;
}

/* Check a number given: unique in the file and the database; -1 if not. */
static int
ctl_import_case_number_check(struct ctl_import_case *ic,
    struct ctl_csv_input *in, unsigned line, const char *v)
{
	struct ctl_csv_slot	*sl;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 k = BUF_INIT;
	uint64_t		 id = 0;
	int			 added, rc, bad = 0;

	ctl_import_case_fold(v, &k);
	sl = ctl_csv_set_put(&ic->numbers, k.s, k.len, line, &added);
	if (!added) {
		ctl_csv_problem(in, line, "number", _("'%s' appears twice "
		    "(first at line %u)"), v, sl->line);
		bad = 1;
	} else {
		rc = store_find(ic->st, ic->form->name, "number", v, NULL,
		    ctl_import_case_first, &id, &e);
		if (rc != NCEN_OK && rc != CTL_IMPORT_CASE_FOUND) {
			ctl_csv_problem(in, line, "number", "%s",
			    ncen_err_msg(&e));
			bad = 1;
		} else if (id != 0) {
			ctl_csv_problem(in, line, "number", _("'%s' is already "
			    "the number of case %llu"), v,
			    (unsigned long long)id);
			bad = 1;
		}
	}
	buf_free(&k);
	ncen_err_free(&e);
	return bad ? -1 : 0;
}

/* The row of ctl_import_case_paths of a status; *found 0 if none. */
static unsigned
ctl_import_case_path(const char *status, int *found)
{
	size_t	i;

	*found = 0;
	for (i = 0; i < CTL_IMPORT_CASE_NPATHS; i++)
		if (strcmp(ctl_import_case_paths[i].status, status) == 0) {
			*found = 1;
			return (unsigned)i;
		}
	return 0;
}

/* The steps of a path as "submit, validate". */
static void
ctl_import_case_steps(unsigned p, struct buf *b)
{
	unsigned	i;

	for (i = 0; i < ctl_import_case_paths[p].n; i++)
		buf_addf(b, "%s%s", i == 0 ? "" : ", ",
		    ctl_import_case_paths[p].steps[i]);
}

/*
 * Check that the importing account may take a case to its status and
 * that the case is complete as the workflow will want it; -1 if not.
 */
static int
ctl_import_case_status_check(struct ctl_import_case *ic,
    struct ctl_csv_input *in, unsigned line, const struct record *r,
    unsigned p, schema_ref_fn ref, void *refarg)
{
	struct buf	 steps = BUF_INIT, roles = BUF_INIT, problems = BUF_INIT;
	const char	*status = ctl_import_case_paths[p].status, *step, *nl;
	const char	*office = record_get(r, "office"), *q;
	unsigned	 i;
	int		 bad = 0, rc;

	ctl_import_case_steps(p, &steps);
	if (ic->acct == NULL) {
		ctl_csv_problem(in, line, "status", _("a case imported as %s "
		    "takes the workflow's steps (%s), which need an account: "
		    "%s; import it as a draft, or with --as USER"), status,
		    steps.s, buf_cstr(&ic->noacct));
		bad = 1;
		goto out;
	}
	for (i = 0; i < ctl_import_case_paths[p].n; i++) {
		step = ctl_import_case_paths[p].steps[i];
		if (auth_role_for(ic->acct, auth_action_find(step), r) !=
		    NULL)
			continue;
		buf_reset(&roles);
		auth_roles_format(ic->acct->roles, &roles);
		ctl_csv_problem(in, line, "status", _("a case imported as %s "
		    "takes the workflow's steps (%s), and account '%s' (%s) "
		    "may not %s a case of office %s; import it as a draft, "
		    "or as an account that may"), status, steps.s,
		    ic->acct->name, buf_cstr(&roles), step,
		    office != NULL ? office : _("(none)"));
		bad = 1;
		goto out;
	}
	rc = schema_validate(ic->s, r, SCHEMA_SUBMIT, ref, refarg, &problems);
	if (rc == NCEN_OK)
		goto out;
	bad = 1;
	if (problems.len == 0)
		ctl_csv_problem(in, line, "status", _("a case imported as %s "
		    "must be complete, and it could not be checked"), status);
	for (q = buf_cstr(&problems); *q != '\0'; q = nl) {
		if ((nl = strchr(q, '\n')) == NULL)
			nl = q + strlen(q);
		if (nl > q)
			ctl_csv_problem(in, line, "status", _("a case imported "
			    "as %s must be complete: %.*s"), status,
			    (int)(nl - q), q);
		if (*nl == '\n')
			nl++;
	}
out:
	buf_free(&steps);
	buf_free(&roles);
	buf_free(&problems);
	return bad ? -1 : 0;
}

/*
 * Check a case row (already checked as a draft) before anything is
 * written; on success the record is left a draft and *steps says where
 * the workflow takes it.  -1 when the row is refused (the problems
 * noted).
 */
int
ctl_import_case_check(struct ctl_import_case *ic, struct ctl_csv_input *in,
    unsigned line, struct record *r, unsigned *steps, schema_ref_fn ref,
    void *refarg)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	const char	*v;
	unsigned	 p;
	int		 bad = 0, found;

	*steps = 0;
	v = record_get(r, "number");
	if (ic->numbered && v != NULL && *v != '\0' &&
	    ctl_import_case_number_check(ic, in, line, v) != 0)
		bad = 1;
	if (schema_field_find(ic->form, "status") == NULL)
		return bad ? -1 : 0;
	p = ctl_import_case_path(workflow_status(r), &found);
	if (!found) {
		ctl_csv_problem(in, line, "status", _("expected draft, "
		    "submitted, validated or closed, found '%s'"),
		    workflow_status(r));
		return -1;
	}
	if (p != 0 && ctl_import_case_status_check(ic, in, line, r, p, ref,
	    refarg) != 0)
		bad = 1;
	if (bad)
		return -1;
	*steps = p;
	/* Stored a draft: the steps take it on (a draft stays as typed). */
	if (p != 0)
		(void)record_set(r, "status", NULL, &e);
	ncen_err_free(&e);
	return 0;
}

/*
 * Number a case that has none, as ncen does, past the numbers that rows
 * further down the file give (they are written after this one).
 */
static int
ctl_import_case_number(struct ctl_import_case *ic, struct store_txn *t,
    struct record *r, struct ncen_err *err)
{
	struct buf	 k = BUF_INIT, num = BUF_INIT;
	const char	*v, *office, *date;
	unsigned long	 n;
	size_t		 i;
	int		 error;

	if ((error = workflow_number(t, r, err)) != NCEN_OK ||
	    (v = record_get(r, "number")) == NULL)
		return error;
	office = record_get(r, "office");
	date = record_get(r, "date");
	buf_adds(&num, v);
	for (;;) {
		ctl_import_case_fold(buf_cstr(&num), &k);
		if (ctl_csv_set_get(&ic->numbers, k.s, k.len) == NULL)
			break;
		i = num.len;
		while (i > 0 && num.s[i - 1] >= '0' && num.s[i - 1] <= '9')
			i--;
		n = strtoul(num.s + i, NULL, 10);
		buf_reset(&num);
		workflow_number_format(&num, office, atoi(date),
		    (unsigned)n + 1);
	}
	error = record_set(r, "number", buf_cstr(&num), err);
	buf_free(&k);
	buf_free(&num);
	return error;
}

/* Refuse a number another case took since the file was checked. */
static int
ctl_import_case_number_taken(struct ctl_import_case *ic, struct store_txn *t,
    const char *v, struct ncen_err *err)
{
	uint64_t	*ids = NULL;
	size_t		 n = 0;
	int		 error;

	error = store_txn_ids(t, ic->form->name, "number", v, &ids, &n, err);
	if (error == NCEN_OK && n != 0)
		error = ncen_err_set(err, NCEN_EEXISTS, _("number: '%s' is "
		    "already the number of case %llu (stored since the file "
		    "was checked)"), v, (unsigned long long)ids[0]);
	free(ids);
	return error;
}

/* Append the journal line of a record as it is now in the transaction. */
static int
ctl_import_case_note(struct store_txn *t, const char *entity, uint64_t id,
    struct buf *journal, struct ncen_err *err)
{
	struct record	*r = NULL;
	int		 error;

	if ((error = store_txn_get(t, entity, id, &r, err)) == NCEN_OK)
		ctl_journal_note(journal, r);
	record_free(r);
	return error;
}

/*
 * Write a case row in the caller's transaction: its number, the draft,
 * then each step to its status; the journal gets the case as it ends up
 * and each transition.
 */
int
ctl_import_case_write(struct ctl_import_case *ic, struct store_txn *t,
    struct record *r, unsigned steps, struct buf *journal,
    struct ncen_err *err)
{
	struct workflow_request	 req;
	struct workflow_result	 res;
	uint64_t		 trans[CTL_IMPORT_CASE_MAXSTEPS];
	const char		*v;
	unsigned		 i, n = ctl_import_case_paths[steps].n;
	int			 error;

	if (ic->numbered) {
		v = record_get(r, "number");
		if (v != NULL && *v != '\0')
			error = ctl_import_case_number_taken(ic, t, v, err);
		else
			error = ctl_import_case_number(ic, t, r, err);
		if (error != NCEN_OK)
			return error;
	}
	if ((error = store_put(t, r, ic->user, err)) != NCEN_OK)
		return error;
	for (i = 0; i < n; i++) {
		memset(&req, 0, sizeof req);
		req.case_id = r->id;
		req.action = ctl_import_case_paths[steps].steps[i];
		req.user = ic->user;
		req.account = ic->acct;
		if ((error = workflow_apply_txn(t, ic->s, &req, &res, err)) !=
		    NCEN_OK)
			return error;
		trans[i] = res.transition;
	}
	if (steps == 0) {
		ctl_journal_note(journal, r);
		return NCEN_OK;
	}
	/* The transitions after the case: a rollback undoes them first. */
	if ((error = ctl_import_case_note(t, ic->form->name, r->id, journal,
	    err)) != NCEN_OK)
		return error;
	for (i = 0; i < n; i++)
		if ((error = ctl_import_case_note(t, WORKFLOW_FORM, trans[i],
		    journal, err)) != NCEN_OK)
			return error;
	return NCEN_OK;
}
