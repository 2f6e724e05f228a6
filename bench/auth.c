/*
 * bench/auth.c - what sign-in and the audit log cost: the password KDF
 * (PBKDF2-HMAC-SHA256) and a whole password sign-in at the default
 * iteration count, and record puts with and without the audit hook.
 *
 * usage: bench/auth FORMSDIR [RECORDS] [--sync]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

static const struct schema_form	*bench_form;
static int			 bench_batch;

/* Seconds on the monotonic clock. */
static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Store bench_batch cases (store_txn_fn). */
static int
bench_put(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct record	*r;
	int		 i, rc = NCEN_OK;

	(void)arg;
	for (i = 0; i < bench_batch && rc == NCEN_OK; i++) {
		r = record_new(bench_form);
		record_set(r, "office", "FRCDG01", NULL);
		record_set(r, "date", "2026-11-05", NULL);
		rc = store_put(t, r, "bench", err);
		record_free(r);
	}
	return rc;
}

/* Put n cases one transaction each; microseconds per case. */
static double
bench_puts(struct store *st, int n, int batch)
{
	struct ncen_err	err = NCEN_ERR_INIT;
	double		t0 = bench_now();
	int		i;

	bench_batch = batch;
	for (i = 0; i < n; i += batch)
		if (store_run(st, bench_put, NULL, &err) != NCEN_OK) {
			fprintf(stderr, "bench: %s\n", ncen_err_msg(&err));
			exit(1);
		}
	ncen_err_free(&err);
	return (bench_now() - t0) * 1e6 / n;
}

int
main(int argc, char **argv)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct auth_account	 a, *got = NULL;
	char			 dir[] = "/tmp/ncen-bench-auth.XXXXXX", cmd[128];
	double			 t0, kdf, signin, plain, audited, plainb, audb;
	int			 i, n = argc > 2 ? atoi(argv[2]) : 2000;
	int			 sync = argc > 3 && strcmp(argv[3], "--sync") == 0;

	if (argc < 2 || n <= 0 || mkdtemp(dir) == NULL) {
		fprintf(stderr, "usage: bench/auth FORMSDIR [RECORDS] [--sync]\n");
		return 2;
	}
	if (schema_load_dir(argv[1], &s, &err) != NCEN_OK)
		goto fail;
	bench_form = schema_form_find(s, "case");
	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.nosync = !sync;
	if (store_open(&o, s, &st, &err) != NCEN_OK)
		goto fail;

	memset(&a, 0, sizeof a);
	t0 = bench_now();
	for (i = 0; i < 5; i++)
		if (auth_account_set_password(&a, "correct horse battery",
		    &err) != NCEN_OK)
			goto fail;
	kdf = (bench_now() - t0) / 5;
	if (auth_account_add(st, "bench", "bob", "officer", NULL,
	    "correct horse battery", &err) != NCEN_OK)
		goto fail;
	t0 = bench_now();
	for (i = 0; i < 5; i++) {
		if (auth_signin_password(st, "bob", "correct horse battery",
		    &got, &err) != NCEN_OK)
			goto fail;
		auth_account_free(got);
	}
	signin = (bench_now() - t0) / 5;

	plain = bench_puts(st, n, 1);
	plainb = bench_puts(st, n, 100);
	audit_attach(st, "bench");
	audited = bench_puts(st, n, 1);
	audb = bench_puts(st, n, 100);

	printf("PBKDF2-HMAC-SHA256, %u iterations: %.0f ms per hash\n",
	    auth_policy.iterations, kdf * 1e3);
	printf("password sign-in (hash + audited txn): %.0f ms\n",
	    signin * 1e3);
	printf("%-34s %10s %10s\n", "case put, commits", "no audit",
	    "audited");
	printf("%-34s %8.1f us %7.1f us\n", sync ? "1 per txn, durable" :
	    "1 per txn, nosync", plain, audited);
	printf("%-34s %8.1f us %7.1f us\n", sync ? "100 per txn, durable" :
	    "100 per txn, nosync", plainb, audb);
	if (store_close(st, &err) != NCEN_OK)
		goto fail;
	schema_free(s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : 1;
fail:
	fprintf(stderr, "bench: %s\n", ncen_err_msg(&err));
	return 1;
}
