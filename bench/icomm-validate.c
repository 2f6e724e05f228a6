/*
 * icomm-validate.c - bench/icomm's helper: take the first N cases of a
 * data directory to validated through the real workflow (reopening the
 * ones past it, submitting drafts; the demo's incomplete drafts are
 * skipped), which queues each for the partners whose agreements cover
 * it, and print how many and how long that took.
 *
 * usage: bench/icomm-validate DIR N
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "icomm.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "workflow.h"
#include "xmalloc.h"

struct ids {
	uint64_t	*v;
	size_t		 n, max;
};

/* Keep case ids up to max (store_record_fn). */
static int
collect(const struct record *r, void *arg)
{
	struct ids	*ids = arg;

	if (ids->n == ids->max)
		return 1;
	ids->v = xreallocarray(ids->v, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = r->id;
	return 0;
}

/* One workflow step as a trusted caller; 0 or the error. */
static int
step(struct store *st, uint64_t id, const char *action, struct ncen_err *e)
{
	struct workflow_request	req;

	memset(&req, 0, sizeof req);
	req.case_id = id;
	req.action = action;
	req.user = "bench";
	req.role = strcmp(action, "submit") == 0 ? "officer" : "supervisor";
	req.reason = "bench";
	return workflow_apply(st, &req, NULL, e);
}

int
main(int argc, char **argv)
{
	struct store_options	 o;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct record		*c;
	struct ids		 ids;
	struct timespec		 t0, t1;
	const char		*status;
	size_t			 i, done = 0, want;
	int			 rc;

	if (argc != 3) {
		fprintf(stderr, "usage: icomm-validate DIR N\n");
		return 2;
	}
	memset(&o, 0, sizeof o);
	o.home = argv[1];
	if (store_home_open(&o, &s, &st, &e) != NCEN_OK) {
		fprintf(stderr, "icomm-validate: %s\n", ncen_err_msg(&e));
		return 2;
	}
	/* Each step queues the case for the partners, as in ncen. */
	workflow_step_hook(icomm_outbox_step);
	memset(&ids, 0, sizeof ids);
	want = (size_t)strtoull(argv[2], NULL, 10);
	ids.max = SIZE_MAX;
	rc = store_scan(st, "case", collect, &ids, &e);
	if (rc != NCEN_OK && rc != 1) {
		fprintf(stderr, "icomm-validate: %s\n", ncen_err_msg(&e));
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < ids.n && done < want; i++) {
		c = NULL;
		if (store_get(st, "case", ids.v[i], &c, &e) != NCEN_OK)
			break;
		status = workflow_status(c);
		rc = NCEN_OK;
		if (strcmp(status, "validated") == 0 ||
		    strcmp(status, "closed") == 0)
			rc = step(st, c->id, "reopen", &e);
		if (rc == NCEN_OK && strcmp(status, "submitted") != 0)
			rc = step(st, c->id, "submit", &e);
		if (rc == NCEN_OK)
			rc = step(st, c->id, "validate", &e);
		record_free(c);
		if (rc == NCEN_OK)
			done++;
		else if (rc != NCEN_EINVALID) {
			fprintf(stderr, "icomm-validate: case %llu: %s\n",
			    (unsigned long long)ids.v[i], ncen_err_msg(&e));
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%zu %.3f\n", done, (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	free(ids.v);
	ncen_err_free(&e);
	store_close(st, &e);
	schema_free(s);
	return done == want ? 0 : 1;
}
