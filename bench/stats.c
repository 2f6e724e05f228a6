/*
 * bench/stats.c - the predefined statistics against SQLite.
 *
 *	bench/stats --forms DIR --dir WORK [--sizes 100000,1000000]
 *	    [--repeat N] [--keep] [--query NAME] [--no-sqlite]
 *
 * For each size N: a fresh data directory filled by the demo generator
 * (N cases with their seizures, persons and links, commits not flushed),
 * then every query of DIR/stats.queries run through the engine
 * (stats_run, no filter), best of --repeat runs (default 3); the same
 * records copied into an SQLite database (tables cases, seizures,
 * transits, persons, nationalities, links, indexed on the join keys)
 * and, for each query that has an SQL equivalent below, the GROUP BY
 * timed the same way.  Prints one row per query: ncen seconds, SQLite
 * seconds, the ratio, and the number of categories each side found (the
 * same, or the row is marked).  The load average is printed beside.
 * With --keep a data directory WORK/ncen-N that already holds N cases
 * (from an earlier run) is used as it is instead of being filled again.
 * --query times that query alone; --no-sqlite leaves SQLite out (both
 * for profiling).
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <errno.h>
#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "demo.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "stats.h"
#include "store.h"
#include "xmalloc.h"

/* The SQL of each query that has one (no filter, every case). */
static const struct {
	const char	*query;
	const char	*sql;
} bench_sql[] = {
	{ "by-commodity", "SELECT s.commodity, count(*), count(DISTINCT "
	  "s.case_id) FROM seizures s JOIN cases c ON c.id = s.case_id "
	  "GROUP BY s.commodity" },
	{ "by-commodity-type", "SELECT s.commodity_type, count(*), "
	  "count(DISTINCT s.case_id) FROM seizures s JOIN cases c ON c.id = "
	  "s.case_id GROUP BY s.commodity_type" },
	{ "by-month", "SELECT substr(c.date, 1, 7) m, count(s.id), "
	  "count(DISTINCT c.id) FROM cases c LEFT JOIN seizures s ON "
	  "s.case_id = c.id GROUP BY m" },
	{ "by-year", "SELECT substr(c.date, 1, 4) y, count(s.id), "
	  "count(DISTINCT c.id) FROM cases c LEFT JOIN seizures s ON "
	  "s.case_id = c.id GROUP BY y" },
	{ "by-office", "SELECT c.office, count(s.id), count(DISTINCT c.id) "
	  "FROM cases c LEFT JOIN seizures s ON s.case_id = c.id GROUP BY "
	  "c.office" },
	{ "by-departure", "SELECT c.departure, count(s.id), count(DISTINCT "
	  "c.id) FROM cases c LEFT JOIN seizures s ON s.case_id = c.id "
	  "GROUP BY c.departure" },
	{ "by-destination", "SELECT c.destination, count(s.id), "
	  "count(DISTINCT c.id) FROM cases c LEFT JOIN seizures s ON "
	  "s.case_id = c.id GROUP BY c.destination" },
	{ "by-route", "SELECT c.route, count(s.id), count(DISTINCT c.id) "
	  "FROM cases c LEFT JOIN seizures s ON s.case_id = c.id GROUP BY "
	  "c.route" },
	{ "by-transport", "SELECT c.transport, count(s.id), count(DISTINCT "
	  "c.id) FROM cases c LEFT JOIN seizures s ON s.case_id = c.id "
	  "GROUP BY c.transport" },
	{ "by-detection", "SELECT c.detection, count(s.id), count(DISTINCT "
	  "c.id) FROM cases c LEFT JOIN seizures s ON s.case_id = c.id "
	  "GROUP BY c.detection" },
	{ "by-concealment", "SELECT c.concealment, count(s.id), "
	  "count(DISTINCT c.id) FROM cases c LEFT JOIN seizures s ON "
	  "s.case_id = c.id GROUP BY c.concealment" },
	{ "persons-by-role", "SELECT l.role, count(DISTINCT l.person_id), "
	  "count(DISTINCT l.case_id) FROM links l JOIN cases c ON c.id = "
	  "l.case_id GROUP BY l.role" },
	{ "persons-by-nationality", "SELECT n.nationality, count(DISTINCT "
	  "l.person_id), count(DISTINCT l.case_id) FROM links l JOIN "
	  "nationalities n ON n.person_id = l.person_id GROUP BY "
	  "n.nationality" },
};
#define BENCH_NSQL (sizeof bench_sql / sizeof bench_sql[0])

/* Seconds now. */
static double
bench_now(void)
{
	struct timeval	tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Die with a message. */
static void
bench_die(const char *what, const struct ncen_err *e)
{
	fprintf(stderr, "bench/stats: %s: %s\n", what, e != NULL ?
	    ncen_err_msg(e) : "");
	exit(1);
}

/* What the copy into SQLite needs. */
struct bench_copy {
	sqlite3		*db;
	sqlite3_stmt	*st;
	const char	*entity;
	struct record_view view;
	const char	*const *fields;
	size_t		 nfields;
	sqlite3_stmt	*extra;		/* transits, nationalities */
};

/* Collect the values of a field into a buffer, joined by '>' */
static void
bench_join(const char *s, size_t len, void *arg)
{
	struct buf	*b = arg;

	if (b->len != 0)
		buf_addc(b, '>');
	buf_add(b, s, len);
}

/* Copy one record into its table (store_raw_fn). */
static int
bench_copy_rec(uint64_t id, const void *data, size_t size, void *arg)
{
	struct bench_copy	*c = arg;
	struct buf		 b = BUF_INIT;
	size_t			 i;

	if (record_view_parse(&c->view, data, size) != NCEN_OK)
		return 1;
	sqlite3_reset(c->st);
	sqlite3_bind_int64(c->st, 1, (sqlite3_int64)id);
	for (i = 0; i < c->nfields; i++) {
		buf_reset(&b);
		if (strcmp(c->fields[i], "route") == 0) {
			record_view_field(&c->view, "departure", bench_join, &b);
			record_view_field(&c->view, "transit", bench_join, &b);
			record_view_field(&c->view, "destination", bench_join,
			    &b);
		} else
			record_view_field(&c->view, c->fields[i], bench_join,
			    &b);
		sqlite3_bind_text(c->st, (int)i + 2, buf_cstr(&b), -1,
		    SQLITE_TRANSIENT);
	}
	if (sqlite3_step(c->st) != SQLITE_DONE)
		return 1;
	if (c->extra != NULL) {
		buf_reset(&b);
		record_view_field(&c->view, strcmp(c->entity, "case") == 0 ?
		    "transit" : "nationality", bench_join, &b);
		if (b.len != 0) {
			char	*p, *save = NULL;

			for (p = strtok_r(b.s, ">", &save); p != NULL;
			    p = strtok_r(NULL, ">", &save)) {
				sqlite3_reset(c->extra);
				sqlite3_bind_int64(c->extra, 1,
				    (sqlite3_int64)id);
				sqlite3_bind_text(c->extra, 2, p, -1,
				    SQLITE_TRANSIENT);
				if (sqlite3_step(c->extra) != SQLITE_DONE)
					return 1;
			}
		}
	}
	buf_free(&b);
	return 0;
}

/* Copy one link of a case (store_links_raw_fn). */
static int
bench_copy_link(uint64_t id, const struct store_link *l, void *arg)
{
	struct bench_copy	*c = arg;

	if (strcmp(l->entity, "person") != 0)
		return 0;
	sqlite3_reset(c->st);
	sqlite3_bind_int64(c->st, 1, (sqlite3_int64)id);
	sqlite3_bind_int64(c->st, 2, (sqlite3_int64)l->id);
	sqlite3_bind_text(c->st, 3, l->role, -1, SQLITE_TRANSIENT);
	return sqlite3_step(c->st) != SQLITE_DONE;
}

/* Run SQL that returns nothing. */
static void
bench_exec(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench/stats: %s: %s\n", sql, msg);
		exit(1);
	}
}

/* Copy the store's cases, seizures, persons and links into SQLite. */
static void
bench_sqlite_load(struct store *st, sqlite3 *db)
{
	static const char *const cf[] = { "date", "office", "direction",
	    "status", "transport", "detection", "concealment",
	    "concealment_location", "departure", "destination", "route" };
	static const char *const sf[] = { "case", "commodity",
	    "commodity_type", "quantity", "unit", "value", "currency" };
	struct bench_copy	c;
	struct ncen_err		e = NCEN_ERR_INIT;

	bench_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "CREATE TABLE cases (id INTEGER PRIMARY KEY, date TEXT, office "
	    "TEXT, direction TEXT, status TEXT, transport TEXT, detection "
	    "TEXT, concealment TEXT, concealment_location TEXT, departure "
	    "TEXT, destination TEXT, route TEXT);"
	    "CREATE TABLE seizures (id INTEGER PRIMARY KEY, case_id INTEGER, "
	    "commodity TEXT, commodity_type TEXT, quantity NUMERIC, unit "
	    "TEXT, value NUMERIC, currency TEXT);"
	    "CREATE TABLE transits (case_id INTEGER, country TEXT);"
	    "CREATE TABLE persons (id INTEGER PRIMARY KEY, sex TEXT);"
	    "CREATE TABLE nationalities (person_id INTEGER, nationality "
	    "TEXT);"
	    "CREATE TABLE links (case_id INTEGER, person_id INTEGER, role "
	    "TEXT); BEGIN");
	memset(&c, 0, sizeof c);
	c.db = db;
	c.entity = "case";
	c.fields = cf;
	c.nfields = sizeof cf / sizeof cf[0];
	sqlite3_prepare_v2(db, "INSERT INTO cases VALUES (?,?,?,?,?,?,?,?,?,"
	    "?,?,?)", -1, &c.st, NULL);
	sqlite3_prepare_v2(db, "INSERT INTO transits VALUES (?,?)", -1,
	    &c.extra, NULL);
	if (store_scan_raw(st, "case", bench_copy_rec, &c, &e) != NCEN_OK)
		bench_die("copying the cases", &e);
	sqlite3_finalize(c.st);
	sqlite3_finalize(c.extra);
	c.entity = "seizure";
	c.fields = sf;
	c.nfields = sizeof sf / sizeof sf[0];
	c.extra = NULL;
	sqlite3_prepare_v2(db, "INSERT INTO seizures VALUES (?,?,?,?,?,?,?,"
	    "?)", -1, &c.st, NULL);
	if (store_scan_raw(st, "seizure", bench_copy_rec, &c, &e) != NCEN_OK)
		bench_die("copying the seizures", &e);
	sqlite3_finalize(c.st);
	c.entity = "person";
	c.fields = (const char *const []){ "sex" };
	c.nfields = 1;
	sqlite3_prepare_v2(db, "INSERT INTO persons VALUES (?,?)", -1, &c.st,
	    NULL);
	sqlite3_prepare_v2(db, "INSERT INTO nationalities VALUES (?,?)", -1,
	    &c.extra, NULL);
	if (store_scan_raw(st, "person", bench_copy_rec, &c, &e) != NCEN_OK)
		bench_die("copying the persons", &e);
	sqlite3_finalize(c.st);
	sqlite3_finalize(c.extra);
	sqlite3_prepare_v2(db, "INSERT INTO links VALUES (?,?,?)", -1, &c.st,
	    NULL);
	if (store_scan_links(st, "case", bench_copy_link, &c, &e) != NCEN_OK)
		bench_die("copying the links", &e);
	sqlite3_finalize(c.st);
	record_view_free(&c.view);
	bench_exec(db, "COMMIT; CREATE INDEX s_case ON seizures(case_id); "
	    "CREATE INDEX l_case ON links(case_id); CREATE INDEX n_person ON "
	    "nationalities(person_id); ANALYZE");
}

/* Time a GROUP BY: best of n, and how many groups. */
static double
bench_sqlite_run(sqlite3 *db, const char *sql, int n, size_t *groups)
{
	sqlite3_stmt	*st;
	double		 best = 1e9, t;
	int		 i;

	for (i = 0; i < n; i++) {
		t = bench_now();
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
			fprintf(stderr, "bench/stats: %s: %s\n", sql,
			    sqlite3_errmsg(db));
			exit(1);
		}
		*groups = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			(*groups)++;
		sqlite3_finalize(st);
		if ((t = bench_now() - t) < best)
			best = t;
	}
	return best;
}

/* One size: fill, time every query both ways, print the table. */
static const char *bench_only;	/* --query */
static int bench_nosqlite;	/* --no-sqlite */

static void
bench_size(const char *forms, const char *work, uint64_t n, int repeat,
    int keep)
{
	struct store_options	 so;
	struct demo_options	 d;
	struct demo_stats	 ds;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct stats_def	*def = NULL;
	struct stats_result	*r;
	struct buf		 dir = BUF_INIT, path = BUF_INIT;
	sqlite3			*db;
	double			 t, best, sq, load[3];
	size_t			 i, j, groups;
	uint64_t		 have = 0;
	FILE			*f;
	int			 k;

	buf_addf(&dir, "%s/ncen-%llu", work, (unsigned long long)n);
	if (mkdir(dir.s, 0700) != 0 && errno != EEXIST) {
		perror(dir.s);
		exit(1);
	}
	if (schema_load_dir(forms, &s, &e) != NCEN_OK)
		bench_die(forms, &e);
	if (stats_load(forms, s, &def, &e) != NCEN_OK)
		bench_die("the queries", &e);
	memset(&so, 0, sizeof so);
	so.home = dir.s;
	so.create = 1;
	so.nosync = 1;
	so.watchdog = 600;
	if (store_open(&so, s, &st, &e) != NCEN_OK)
		bench_die(dir.s, &e);
	t = bench_now();
	if (keep && store_count(st, "case", &have, &e) != NCEN_OK)
		bench_die("counting the cases", &e);
	if (keep && have >= n)
		printf("%llu cases kept from an earlier run (counted in %.1f "
		    "s)\n", (unsigned long long)have, bench_now() - t);
	else {
		memset(&d, 0, sizeof d);
		d.cases = n;
		d.seed = 1;
		t = bench_now();
		if (demo_generate(st, &d, &ds, &e) != NCEN_OK)
			bench_die("demo", &e);
		printf("%llu cases (+%llu seizures, +%llu persons, +%llu "
		    "links), made in %.0f s\n", (unsigned long long)ds.cases,
		    (unsigned long long)ds.seizures,
		    (unsigned long long)ds.persons,
		    (unsigned long long)ds.links, bench_now() - t);
	}
	fflush(stdout);
	t = bench_now();
	{
		int	built;

		if (store_fact_ready(st, &built, &e) != NCEN_OK)
			bench_die("the statistics' facts", &e);
		if (built)
			printf("statistics' facts built in %.1f s\n",
			    bench_now() - t);
	}
	fflush(stdout);
	buf_addf(&path, "%s/sqlite-%llu.db", work, (unsigned long long)n);
	unlink(path.s);
	if (sqlite3_open(path.s, &db) != SQLITE_OK)
		bench_die(path.s, NULL);
	t = bench_now();
	if (!bench_nosqlite) {
		bench_sqlite_load(st, db);
		printf("copied into SQLite in %.0f s\n", bench_now() - t);
	}
	if ((f = fopen("/proc/loadavg", "r")) != NULL) {
		if (fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) == 3)
			printf("load average %.2f %.2f %.2f\n", load[0],
			    load[1], load[2]);
		fclose(f);
	}
	printf("%-26s %9s %9s %7s %10s\n", "query", "ncen s", "sqlite s",
	    "ratio", "groups");
	for (i = 0; i < def->nq; i++) {
		if (bench_only != NULL && strcmp(bench_only,
		    def->q[i].name) != 0)
			continue;
		best = 1e9;
		groups = 0;
		for (k = 0; k < repeat; k++) {
			t = bench_now();
			if (stats_run(st, s, def, &def->q[i], NULL, &r, &e) !=
			    NCEN_OK)
				bench_die(def->q[i].name, &e);
			if ((t = bench_now() - t) < best)
				best = t;
			groups = r->nrows + r->hidden;
			stats_result_free(r);
		}
		for (j = 0; j < BENCH_NSQL; j++)
			if (strcmp(bench_sql[j].query, def->q[i].name) == 0)
				break;
		if (j == BENCH_NSQL || bench_nosqlite) {
			printf("%-26s %9.3f %9s %7s %10zu\n", def->q[i].name,
			    best, "-", "-", groups);
			continue;
		}
		{
			size_t	sg = 0;

			sq = bench_sqlite_run(db, bench_sql[j].sql, repeat,
			    &sg);
			printf("%-26s %9.3f %9.3f %7.2f %10zu%s\n",
			    def->q[i].name, best, sq, sq / best, groups,
			    sg == groups ? "" : " (sqlite: other groups)");
		}
	}
	printf("ratio: sqlite time / ncen time (above 1: ncen is faster)\n");
	sqlite3_close(db);
	if (store_close(st, &e) != NCEN_OK)
		bench_die("close", &e);
	stats_def_free(def);
	schema_free(s);
	buf_free(&dir);
	buf_free(&path);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "forms", required_argument, NULL, 'f' },
		{ "dir", required_argument, NULL, 'd' },
		{ "sizes", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "keep", no_argument, NULL, 'k' },
		{ "query", required_argument, NULL, 'q' },
		{ "no-sqlite", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char	*forms = "forms", *work = NULL;
	char		*sizes = xstrdup("100000,1000000"), *p, *save = NULL;
	int		 c, repeat = 3, keep = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': forms = optarg; break;
		case 'd': work = optarg; break;
		case 's': free(sizes); sizes = xstrdup(optarg); break;
		case 'r': repeat = atoi(optarg); break;
		case 'k': keep = 1; break;
		case 'q': bench_only = optarg; break;
		case 'n': bench_nosqlite = 1; break;
		default:
			fprintf(stderr, "usage: bench/stats --forms DIR --dir "
			    "WORK [--sizes N,N] [--repeat N] [--keep] [--query NAME] [--no-sqlite]\n");
			return 2;
		}
	}
	if (work == NULL || repeat < 1) {
		fprintf(stderr, "usage: bench/stats --forms DIR --dir WORK "
		    "[--sizes N,N] [--repeat N] [--keep] [--query NAME] [--no-sqlite]\n");
		return 2;
	}
	mkdir(work, 0700);
	for (p = strtok_r(sizes, ",", &save); p != NULL;
	    p = strtok_r(NULL, ",", &save))
		bench_size(forms, work, strtoull(p, NULL, 10), repeat, keep);
	free(sizes);
	return 0;
}
