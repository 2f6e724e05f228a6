/*
 * bench/alerts.c - what watch lists and rules cost: the time to save a
 * case, and the retro-hunt rate.
 *
 *   bench/alerts [--forms DIR] [--dir DIR] [--saves N] [--rounds R]
 *                [--hunt DATADIR | --hunt-cases N]
 *
 * Saves.  Four fresh stores: alerts off (no change hook, no entries, no
 * rules), then the alerts' hook on with 50 rules and 0, 100 and 10,000
 * watch entries.  A save is what ncen does when an officer saves a case
 * with its people: one durable transaction storing a case, two persons
 * (one in three in Cyrillic) and their two links, with the hooks every
 * program attaches (audit, outbox, and the alerts' queue when on).  The
 * stores take turns (R rounds of N/R saves each) so that the load of a
 * shared machine falls on all of them; printed: the median and mean
 * time of a save, the ratio to alerts off (goal: under 1.10), and, for
 * information, what the check that follows costs per case (alert_drain,
 * outside the save).
 *
 * Retro-hunt.  ncenctl rules run's loop (alert_hunt) with the same 50
 * rules and 100 watch entries over every case of DATADIR (the 1M-case
 * bench directory: copy forms/watch.form, alert.form, watch_kind.codes
 * and alert_state.codes into DATADIR/forms first; alerts it raises stay
 * there), else over --hunt-cases demo cases (default 20000) made here.
 * Printed: cases checked a second.
 */
#include <sys/stat.h>

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "audit.h"
#include "buf.h"
#include "demo.h"
#include "error.h"
#include "icomm.h"
#include "record.h"
#include "rules.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

#define BENCH_RULES	50

static const char *const bench_syll[] = { "ka", "lo", "mir", "vas", "ne",
	"tor", "za", "ri", "pel", "gon", "shu", "dan", "vi", "kor", "le" };
static const char *const bench_cyr[] = { "ка", "ло", "мир", "вас", "не",
	"тор", "за", "ри", "пел", "гон", "шу", "дан", "ви", "кор", "ле" };
#define BENCH_NSYLL	(sizeof bench_syll / sizeof bench_syll[0])

static const char *const bench_offices[] = { "FRCDG01", "FRCDG02",
	"FRHQ001", "FRLND01", "FRLND02", "FRMRS01", "FRMRS02", "FRPST01" };
static const char *const bench_goods[] = { "ALC", "CASH", "CULT", "DRUG",
	"ENV", "HEALTH", "IPR", "TOB", "WEAP" };

static uint64_t	bench_rng = 88172645463325252ULL;

/* xorshift64: the same names on every run. */
static unsigned
bench_rand(unsigned n)
{
	bench_rng ^= bench_rng << 13;
	bench_rng ^= bench_rng >> 7;
	bench_rng ^= bench_rng << 17;
	return (unsigned)(bench_rng % n);
}

/* A name of 2 or 3 syllables, in Latin or Cyrillic letters. */
static void
bench_name(struct buf *b, int cyrillic)
{
	unsigned	i, n = 2 + bench_rand(2), s;

	for (i = 0; i < n; i++) {
		s = bench_rand(BENCH_NSYLL);
		buf_adds(b, cyrillic ? bench_cyr[s] : bench_syll[s]);
	}
}

/* Seconds on the monotonic clock. */
static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fail loudly: a benchmark has nothing to recover. */
static void
bench_check(int rc, const struct ncen_err *e, const char *what)
{
	if (rc != NCEN_OK) {
		fprintf(stderr, "bench/alerts: %s: %s\n", what,
		    ncen_err_msg(e));
		exit(1);
	}
}

/* The 50 rules: conditions of each kind, and counts. */
static void
bench_rules_text(struct buf *b)
{
	unsigned	i;

	buf_adds(b, "ncen-rules 1\n");
	for (i = 0; i < BENCH_RULES; i++) {
		buf_addf(b, "rule r%02u\n  title \"rule %u\"\n", i, i);
		switch (i % 5) {
		case 0:
			buf_addf(b, "  count 3 within 90 days by person\n");
			break;
		case 1:
			buf_addf(b, "  when case.office = %s\n  when "
			    "seizure.commodity = %s\n", bench_offices[i % 8],
			    bench_goods[i % 9]);
			break;
		case 2:
			buf_addf(b, "  when case.direction in IMP TRA\n  when "
			    "seizure.quantity >= %u\n", 100 * (i + 1));
			break;
		case 3:
			buf_addf(b, "  when case.transport = %u\n  when "
			    "case.date >= 2026-01-01\n", i % 10);
			break;
		default:
			buf_addf(b, "  count 2 of case.office within 365 days "
			    "by business\n");
			break;
		}
	}
}

/* Write the rules into a data directory. */
static void
bench_rules_install(const char *home)
{
	struct buf	 t = BUF_INIT, p = BUF_INIT;
	FILE		*fp;

	bench_rules_text(&t);
	buf_addf(&p, "%s/%s", home, RULES_FILE);
	if ((fp = fopen(buf_cstr(&p), "w")) == NULL ||
	    fwrite(t.s, 1, t.len, fp) != t.len || fclose(fp) != 0) {
		perror(buf_cstr(&p));
		exit(1);
	}
	buf_free(&t);
	buf_free(&p);
}

struct bench_watch {
	const struct schema_form	*form;
	unsigned			 n;
};

/* Add watch entries, 1000 a transaction (store_txn_fn). */
static int
bench_watch_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct bench_watch	*w = arg;
	struct record		*r;
	struct buf		 b = BUF_INIT;
	unsigned		 i;
	int			 rc = NCEN_OK;

	for (i = 0; i < w->n && rc == NCEN_OK; i++) {
		r = record_new(w->form);
		buf_reset(&b);
		if (i % 3 == 2) {
			record_set(r, "kind", "DOCUMENT", err);
			buf_addf(&b, "P%07u", bench_rand(10000000));
			record_set(r, "number", buf_cstr(&b), err);
		} else {
			record_set(r, "kind", "PERSON", err);
			bench_name(&b, 0);
			buf_addc(&b, ' ');
			bench_name(&b, 0);
			record_set(r, "name", buf_cstr(&b), err);
		}
		record_set(r, "reason", "bench", err);
		record_set(r, "owner", "analyst", err);
		rc = store_put(t, r, "bench", err);
		record_free(r);
	}
	buf_free(&b);
	return rc;
}

/* Open (making it) a store with n watch entries, and the rules. */
static struct store *
bench_open(const char *dir, const struct schema *s, unsigned nwatch,
    int alerts, int nosync)
{
	struct store_options	 o;
	struct store		*st;
	struct bench_watch	 w;
	struct ncen_err		 e = NCEN_ERR_INIT;
	unsigned		 left;

	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.nosync = nosync;
	bench_check(store_open(&o, s, &st, &e), &e, dir);
	audit_attach(st, "bench");
	icomm_outbox_attach(st, "bench");
	w.form = schema_form_find(s, "watch");
	for (left = nwatch; left > 0; left -= w.n) {
		w.n = left > 1000 ? 1000 : left;
		bench_check(store_run(st, bench_watch_txn, &w, &e), &e,
		    "watch entries");
	}
	if (alerts) {
		bench_rules_install(dir);
		alert_attach(st);
	}
	return st;
}

struct bench_save {
	const struct schema	*s;
	unsigned		 n;
};

/* One save: a case, two persons and their links (store_txn_fn). */
static int
bench_save_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct bench_save	*sv = arg;
	struct record		*c, *p;
	struct store_ref	 a, b;
	struct buf		 v = BUF_INIT;
	int			 rc, i;

	c = record_new(schema_form_find(sv->s, "case"));
	buf_addf(&v, "2026-%02u-%02u", 1 + sv->n % 12, 1 + sv->n % 28);
	record_set(c, "date", buf_cstr(&v), err);
	record_set(c, "office", bench_offices[sv->n % 8], err);
	record_set(c, "country", "FR", err);
	record_set(c, "direction", "IMP", err);
	record_set(c, "status", "draft", err);
	record_set(c, "officer", "bench", err);
	rc = store_put(t, c, "bench", err);
	a.entity = "case";
	a.id = c->id;
	for (i = 0; i < 2 && rc == NCEN_OK; i++) {
		p = record_new(schema_form_find(sv->s, "person"));
		buf_reset(&v);
		bench_name(&v, bench_rand(3) == 0);
		record_set(p, "family_name", buf_cstr(&v), err);
		buf_reset(&v);
		bench_name(&v, 0);
		record_set(p, "given_names", buf_cstr(&v), err);
		if ((rc = store_put(t, p, "bench", err)) == NCEN_OK) {
			b.entity = "person";
			b.id = p->id;
			rc = store_link_add(t, a, b, "SUSPECT", err);
		}
		record_free(p);
	}
	record_free(c);
	buf_free(&v);
	return rc;
}

/* Order two times (qsort). */
static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct bench_cfg {
	const char	*label;
	int		 alerts;
	unsigned	 nwatch;
	struct store	*st;
	double		*t;
	size_t		 n;
	double		 check;		/* seconds of alert_drain */
	size_t		 checked;
};

/* The retro-hunt's progress on a terminal. */
static void
bench_progress(uint64_t done, uint64_t total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r%llu of %llu", (unsigned long long)done,
	    (unsigned long long)total);
	if (done == total)
		fputc('\n', stderr);
}

/* Measure the saves, then the retro-hunt. */
int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "forms", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'd' },
		{ "saves", required_argument, NULL, 's' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "hunt", required_argument, NULL, 'h' },
		{ "hunt-cases", required_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench_cfg	 cfg[] = {
		{ "alerts off", 0, 0, NULL, NULL, 0, 0, 0 },
		{ "50 rules, 0 watch entries", 1, 0, NULL, NULL, 0, 0, 0 },
		{ "50 rules, 100 watch entries", 1, 100, NULL, NULL, 0, 0, 0 },
		{ "50 rules, 10000 watch entries", 1, 10000, NULL, NULL, 0, 0,
		  0 },
	};
	const size_t		 ncfg = sizeof cfg / sizeof cfg[0];
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL, *hs = NULL;
	struct store		*st;
	struct rules		*rs = NULL;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct bench_save	 sv;
	struct buf		 path = BUF_INIT;
	const char		*forms = "forms", *dir = "/var/tmp/ncen-bench-alerts";
	const char		*hunt = NULL;
	unsigned long		 saves = 1000, rounds = 5, huntcases = 20000;
	double			 t0, la[3], med0 = 0, med, mean;
	size_t			 i, k, r, raised = 0, checked;
	uint64_t		 hunted = 0;
	int			 c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': forms = optarg; break;
		case 'd': dir = optarg; break;
		case 's': saves = strtoul(optarg, NULL, 10); break;
		case 'r': rounds = strtoul(optarg, NULL, 10); break;
		case 'h': hunt = optarg; break;
		case 'c': huntcases = strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: bench/alerts [--forms DIR] "
			    "[--dir DIR] [--saves N] [--rounds R] [--hunt "
			    "DATADIR | --hunt-cases N]\n");
			return 2;
		}
	}
	if (rounds == 0 || saves < rounds)
		rounds = 1;
	bench_check(schema_load_dir(forms, &s, &e), &e, forms);
	if (mkdir(dir, 0700) != 0) {
		fprintf(stderr, "bench/alerts: %s: must not exist yet\n", dir);
		return 1;
	}
	for (k = 0; k < ncfg; k++) {
		buf_reset(&path);
		buf_addf(&path, "%s/save%zu", dir, k);
		cfg[k].st = bench_open(buf_cstr(&path), s, cfg[k].nwatch,
		    cfg[k].alerts, 0);
		cfg[k].t = xcalloc(saves, sizeof *cfg[k].t);
	}
	sv.s = s;
	for (r = 0; r < rounds; r++)
		for (k = 0; k < ncfg; k++) {
			for (i = 0; i < saves / rounds; i++) {
				sv.n = (unsigned)cfg[k].n;
				t0 = bench_now();
				bench_check(store_run(cfg[k].st, bench_save_txn,
				    &sv, &e), &e, "save");
				cfg[k].t[cfg[k].n++] = bench_now() - t0;
			}
			/* The check after the saves, as ncen does it. */
			t0 = bench_now();
			bench_check(alert_drain(cfg[k].st, 0, &checked,
			    &raised, &e), &e, "check");
			cfg[k].check += bench_now() - t0;
			cfg[k].checked += checked;
		}
	if (getloadavg(la, 3) != 3)
		la[0] = -1;
	printf("save of a case with 2 persons (durable), %zu saves each, "
	    "load %.1f\n", cfg[0].n, la[0]);
	printf("%-32s %9s %9s %7s %12s\n", "", "median ms", "mean ms",
	    "ratio", "check ms/case");
	for (k = 0; k < ncfg; k++) {
		for (i = 0, mean = 0; i < cfg[k].n; i++)
			mean += cfg[k].t[i];
		mean /= (double)cfg[k].n;
		qsort(cfg[k].t, cfg[k].n, sizeof *cfg[k].t, bench_cmp);
		med = cfg[k].t[cfg[k].n / 2];
		if (k == 0)
			med0 = med;
		printf("%-32s %9.3f %9.3f %7.3f%s %12.3f\n", cfg[k].label,
		    med * 1e3, mean * 1e3, med / med0, med / med0 > 1.10 ?
		    "!" : " ", cfg[k].checked != 0 ? cfg[k].check * 1e3 /
		    (double)cfg[k].checked : 0.0);
		bench_check(store_close(cfg[k].st, &e), &e, "close");
		free(cfg[k].t);
	}

	/* The retro-hunt. */
	if (hunt != NULL) {
		struct store_options	o;

		memset(&o, 0, sizeof o);
		o.home = hunt;
		bench_check(store_home_open(&o, &hs, &st, &e), &e, hunt);
		audit_attach(st, "bench");
	} else {
		buf_reset(&path);
		buf_addf(&path, "%s/hunt", dir);
		st = bench_open(buf_cstr(&path), s, 0, 0, 1);
		memset(&d, 0, sizeof d);
		d.cases = huntcases;
		d.seed = 1;
		d.user = "bench";
		bench_check(demo_generate(st, &d, &ds, &e), &e, "demo");
		hunt = buf_cstr(&path);
	}
	{
		struct bench_watch	w;

		w.form = schema_form_find(store_schema(st), "watch");
		if (w.form == NULL) {
			fprintf(stderr, "bench/alerts: %s has no watch form: "
			    "copy the new forms into its forms/\n", hunt);
			return 1;
		}
		w.n = 100;
		bench_check(store_run(st, bench_watch_txn, &w, &e), &e,
		    "watch");
	}
	bench_rules_install(hunt);
	bench_check(rules_load(hunt, store_schema(st), &rs, &e), &e, "rules");
	t0 = bench_now();
	raised = 0;
	bench_check(alert_hunt(st, rs, NULL, NULL, 1, isatty(2) ?
	    bench_progress : NULL, NULL, &hunted, &raised, &e), &e, "hunt");
	t0 = bench_now() - t0;
	if (getloadavg(la, 3) != 3)
		la[0] = -1;
	printf("retro-hunt over %s: %llu cases in %.1f s, %.0f cases/s, "
	    "%zu alerts raised, load %.1f\n", hunt,
	    (unsigned long long)hunted, t0, (double)hunted / t0, raised,
	    la[0]);
	rules_free(rs);
	bench_check(store_close(st, &e), &e, "close");
	schema_free(hs);
	schema_free(s);
	buf_free(&path);
	ncen_err_free(&e);
	return 0;
}
