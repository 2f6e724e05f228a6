/*
 * bench/search.c - ncen's search against SQLite FTS5 (trigram) on the
 * same persons and the same variant queries.
 *
 *   bench/search [--sizes 100000,1000000] [--dir DIR] [--forms DIR]
 *                [--queries N]
 *
 * For each size N: N persons from a seeded generator (family names of
 * 2 to 4 syllables, a pool of 200 given names, a date of birth, a
 * passport number; one in three stored in Cyrillic letters), loaded
 * into a fresh ncen store (store_put, 1000 per transaction, nosync)
 * and into SQLite (a table and an FTS5 table with the trigram
 * tokenizer over family, given names and document).  Then Q queries
 * (default 1000), each a variant of one stored person, made in turn:
 * as stored; the Latin of a Cyrillic record (transliterated); a typo
 * (a letter doubled or dropped); given before family name; upper case.
 * Each side answers its 5 best: ncen search_run (limit 5), SQLite
 * `fts MATCH` of the query's words joined by OR (each at least 3
 * characters, quoted), ORDER BY rank LIMIT 5.  Printed: the median and
 * 95th percentile time of a query, and how many queries found their
 * person in the 5, with the load average.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include <ctype.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "xmalloc.h"

#define BENCH_SEED	0x7365617263686e63ULL
#define BENCH_BATCH	1000
#define BENCH_VARIANTS	5

static uint64_t	bench_rng;

/* The next number of a xorshift generator. */
static uint64_t
bench_next(void)
{
	bench_rng ^= bench_rng << 13;
	bench_rng ^= bench_rng >> 7;
	bench_rng ^= bench_rng << 17;
	return bench_rng;
}

static const char *const bench_cons[] = { "b", "d", "k", "l", "m", "n", "p",
    "r", "s", "t", "v", "z", "g", "f" };
static const char *const bench_vow[] = { "a", "e", "i", "o", "u" };
/* The same letters in Cyrillic. */
static const char *const bench_cons_cy[] = { "б", "д", "к", "л", "м", "н",
    "п", "р", "с", "т", "в", "з", "г", "ф" };
static const char *const bench_vow_cy[] = { "а", "э", "и", "о", "у" };
#define NCONS	(sizeof bench_cons / sizeof bench_cons[0])
#define NVOW	(sizeof bench_vow / sizeof bench_vow[0])

/* One generated person: Latin and stored spellings. */
struct bench_person {
	char	family[64], given[64];		/* Latin */
	char	sfamily[128], sgiven[128];	/* as stored */
	char	birth[11], doc[16];
	int	cyrillic;
};

/* A name of n syllables from seed s, Latin and Cyrillic. */
static void
bench_name(uint64_t s, int n, char *lat, size_t latsz, char *cy, size_t cysz)
{
	size_t	c, v;
	int	i;

	lat[0] = cy[0] = '\0';
	for (i = 0; i < n; i++) {
		c = (size_t)(s % NCONS);
		s /= NCONS;
		v = (size_t)(s % NVOW);
		s /= NVOW;
		strncat(lat, bench_cons[c], latsz - strlen(lat) - 1);
		strncat(lat, bench_vow[v], latsz - strlen(lat) - 1);
		strncat(cy, bench_cons_cy[c], cysz - strlen(cy) - 1);
		strncat(cy, bench_vow_cy[v], cysz - strlen(cy) - 1);
	}
	lat[0] = (char)toupper((unsigned char)lat[0]);
}

/* The person number i of the data set (the same every run). */
static void
bench_person(uint64_t i, struct bench_person *p)
{
	uint64_t	h = (i + 1) * 0x9e3779b97f4a7c15ULL;
	char		cy[128];

	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	bench_name(h, 2 + (int)(h >> 60) % 3, p->family, sizeof p->family,
	    p->sfamily, sizeof p->sfamily);
	bench_name((h >> 40) % 200 + 7, 2, p->given, sizeof p->given, cy,
	    sizeof cy);
	p->cyrillic = i % 3 == 0;
	if (!p->cyrillic) {
		snprintf(p->sfamily, sizeof p->sfamily, "%s", p->family);
		snprintf(p->sgiven, sizeof p->sgiven, "%s", p->given);
	} else {
		/* Capital first letter in Cyrillic: two bytes to upper. */
		snprintf(p->sgiven, sizeof p->sgiven, "%s", cy);
	}
	snprintf(p->birth, sizeof p->birth, "%04u-%02u-%02u",
	    1940U + (unsigned)(h % 60), 1U + (unsigned)((h >> 8) % 12),
	    1U + (unsigned)((h >> 16) % 28));
	snprintf(p->doc, sizeof p->doc, "%02u%07llu", (unsigned)((h >> 24) % 100),
	    (unsigned long long)(i % 10000000));
}

/* Milliseconds now. */
static double
bench_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* What the load batch puts. */
struct bench_load {
	const struct schema_form	*form;
	uint64_t			 from, to;
};

/* Put one batch of persons. */
static int
bench_put(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct bench_load	*l = arg;
	struct bench_person	 p;
	struct record		*r;
	uint64_t		 i;
	int			 error = NCEN_OK;

	for (i = l->from; i < l->to && error == NCEN_OK; i++) {
		bench_person(i, &p);
		r = record_new(l->form);
		r->id = i + 1;
		if ((error = record_set(r, "family_name", p.sfamily, err)) ==
		    NCEN_OK &&
		    (error = record_set(r, "given_names", p.sgiven, err)) ==
		    NCEN_OK &&
		    (error = record_set(r, "birth_date", p.birth, err)) ==
		    NCEN_OK)
			error = record_set(r, "document_number", p.doc, err);
		if (error == NCEN_OK)
			error = store_put(t, r, "bench", err);
		record_free(r);
	}
	return error;
}

/* Variant v of person i as a query. */
static void
bench_query(uint64_t i, int v, struct buf *q)
{
	struct bench_person	 p;
	char			 fam[64];
	size_t			 k, len;

	bench_person(i, &p);
	buf_reset(q);
	switch (v) {
	case 0:		/* as stored */
		buf_addf(q, "%s %s", p.sfamily, p.sgiven);
		break;
	case 1:		/* in Latin letters */
		buf_addf(q, "%s %s", p.family, p.given);
		break;
	case 2:		/* a typo: a letter doubled, or one dropped */
		len = strlen(p.family);
		k = 1 + (size_t)(bench_next() % (len - 1));
		if (bench_next() % 2) {
			memcpy(fam, p.family, k);
			fam[k] = p.family[k];
			snprintf(fam + k + 1, sizeof fam - k - 1, "%s",
			    p.family + k);
		} else {
			memcpy(fam, p.family, k);
			snprintf(fam + k, sizeof fam - k, "%s",
			    p.family + k + 1);
		}
		buf_addf(q, "%s %s", fam, p.given);
		break;
	case 3:		/* given name first */
		buf_addf(q, "%s %s", p.given, p.family);
		break;
	default:	/* upper case */
		buf_addf(q, "%s %s", p.family, p.given);
		for (k = 0; k < q->len; k++)
			q->s[k] = (char)toupper((unsigned char)q->s[k]);
		break;
	}
}

/* Compare doubles for qsort. */
static int
bench_dcmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Print median and 95th percentile of n times. */
static void
bench_pct(double *t, size_t n, double *med, double *p95)
{
	qsort(t, n, sizeof *t, bench_dcmp);
	*med = t[n / 2];
	*p95 = t[(n * 95) / 100 < n ? (n * 95) / 100 : n - 1];
}

/* Run an SQL statement that returns nothing; exit on failure. */
static void
bench_sql(sqlite3 *db, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "bench/search: sqlite: %s: %s\n", sql, msg);
		exit(2);
	}
}

/* The FTS5 query of a query: its words quoted, joined by OR. */
static void
bench_fts(const char *q, struct buf *out)
{
	const char	*p = q, *sp;
	size_t		 len;

	buf_reset(out);
	while (*p != '\0') {
		sp = strchr(p, ' ');
		len = sp == NULL ? strlen(p) : (size_t)(sp - p);
		if (len >= 3) {
			if (out->len != 0)
				buf_adds(out, " OR ");
			buf_addc(out, '"');
			buf_add(out, p, len);
			buf_addc(out, '"');
		}
		p += len;
		while (*p == ' ')
			p++;
	}
}

/* One size: load both sides, query both, print the rows. */
static void
bench_size(const char *dir, const struct schema *schema, uint64_t n,
    size_t nq)
{
	struct store_options	 o;
	struct store		*st;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct bench_load	 l;
	struct search_query	 sq;
	struct search_result	 res;
	struct bench_person	 p;
	struct buf		 path = BUF_INIT, q = BUF_INIT, f = BUF_INIT;
	sqlite3			*db;
	sqlite3_stmt		*ins, *sel;
	double			*tn, *ts, t0, loadn, loads, med, p95, la[3];
	size_t			 i, k, foundn[BENCH_VARIANTS] = { 0 },
				 founds[BENCH_VARIANTS] = { 0 }, tot_n = 0,
				 tot_s = 0;
	uint64_t		*who;
	int			 v, hit;

	buf_addf(&path, "%s/ncen-%llu", dir, (unsigned long long)n);
	memset(&o, 0, sizeof o);
	o.home = path.s;
	o.create = 1;
	o.nosync = 1;
	o.cachesize = 256U * 1024 * 1024;
	if (store_open(&o, schema, &st, &err) != NCEN_OK) {
		fprintf(stderr, "bench/search: %s\n", ncen_err_msg(&err));
		exit(2);
	}
	l.form = schema_form_find(schema, "person");
	t0 = bench_ms();
	for (l.from = 0; l.from < n; l.from = l.to) {
		l.to = l.from + BENCH_BATCH < n ? l.from + BENCH_BATCH : n;
		if (store_run(st, bench_put, &l, &err) != NCEN_OK) {
			fprintf(stderr, "bench/search: %s\n",
			    ncen_err_msg(&err));
			exit(2);
		}
	}
	loadn = bench_ms() - t0;

	buf_reset(&path);
	buf_addf(&path, "%s/sqlite-%llu.db", dir, (unsigned long long)n);
	if (sqlite3_open(path.s, &db) != SQLITE_OK) {
		fprintf(stderr, "bench/search: %s: cannot open\n", path.s);
		exit(2);
	}
	bench_sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
	    "CREATE TABLE person(id INTEGER PRIMARY KEY, family TEXT, "
	    "given TEXT, birth TEXT, doc TEXT);"
	    "CREATE VIRTUAL TABLE fts USING fts5(family, given, doc, "
	    "content='person', content_rowid='id', tokenize='trigram');");
	if (sqlite3_prepare_v2(db, "INSERT INTO person VALUES(?,?,?,?,?)", -1,
	    &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT rowid FROM fts WHERE fts MATCH ? "
	    "ORDER BY rank LIMIT 5", -1, &sel, NULL) != SQLITE_OK) {
		fprintf(stderr, "bench/search: %s\n", sqlite3_errmsg(db));
		exit(2);
	}
	t0 = bench_ms();
	bench_sql(db, "BEGIN");
	for (i = 0; i < n; i++) {
		bench_person(i, &p);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)i + 1);
		sqlite3_bind_text(ins, 2, p.sfamily, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 3, p.sgiven, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, p.birth, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, p.doc, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE) {
			fprintf(stderr, "bench/search: %s\n",
			    sqlite3_errmsg(db));
			exit(2);
		}
		sqlite3_reset(ins);
	}
	bench_sql(db, "INSERT INTO fts(fts) VALUES('rebuild'); COMMIT");
	loads = bench_ms() - t0;

	tn = xcalloc(nq, sizeof *tn);
	ts = xcalloc(nq, sizeof *ts);
	who = xcalloc(nq, sizeof *who);
	for (i = 0; i < nq; i++)
		who[i] = bench_next() % n;
	memset(&sq, 0, sizeof sq);
	sq.entity = "person";
	sq.limit = 5;
	/* Interleaved: each query on one side, then on the other. */
	for (i = 0; i < nq; i++) {
		v = (int)(i % BENCH_VARIANTS);
		bench_query(who[i], v, &q);
		sq.text = buf_cstr(&q);
		t0 = bench_ms();
		if (search_run(st, &sq, &res, &err) != NCEN_OK) {
			fprintf(stderr, "bench/search: %s: %s\n", sq.text,
			    ncen_err_msg(&err));
			exit(2);
		}
		tn[i] = bench_ms() - t0;
		for (k = 0, hit = 0; k < res.n; k++)
			if (res.hits[k].id == who[i] + 1)
				hit = 1;
		foundn[v] += (size_t)hit;
		tot_n += (size_t)hit;
		search_result_free(&res);

		bench_fts(buf_cstr(&q), &f);
		t0 = bench_ms();
		hit = 0;
		if (f.len != 0) {
			sqlite3_bind_text(sel, 1, buf_cstr(&f), -1,
			    SQLITE_STATIC);
			while (sqlite3_step(sel) == SQLITE_ROW)
				if ((uint64_t)sqlite3_column_int64(sel, 0) ==
				    who[i] + 1)
					hit = 1;
			sqlite3_reset(sel);
		}
		ts[i] = bench_ms() - t0;
		founds[v] += (size_t)hit;
		tot_s += (size_t)hit;
	}
	if (getloadavg(la, 3) != 3)
		la[0] = la[1] = la[2] = -1;
	printf("\n%llu persons (one in three in Cyrillic), %zu queries, "
	    "load average %.2f %.2f %.2f\n", (unsigned long long)n, nq,
	    la[0], la[1], la[2]);
	printf("%-40s %12s %12s\n", "row", "ncen", "sqlite");
	printf("%-40s %12.1f %12.1f\n", "load, s", loadn / 1e3, loads / 1e3);
	bench_pct(tn, nq, &med, &p95);
	printf("%-40s %12.2f", "query, median ms", med);
	bench_pct(ts, nq, &t0, &p95);
	printf(" %12.2f\n", t0);
	bench_pct(tn, nq, &med, &p95);
	printf("%-40s %12.2f", "query, 95th percentile ms", p95);
	bench_pct(ts, nq, &med, &p95);
	printf(" %12.2f\n", p95);
	{
		static const char *const names[BENCH_VARIANTS] = {
		    "found: as stored", "found: Latin of the stored",
		    "found: a typo", "found: given name first",
		    "found: upper case" };
		for (v = 0; v < BENCH_VARIANTS; v++)
			printf("%-40s %7zu/%-4zu %7zu/%-4zu\n", names[v],
			    foundn[v], nq / BENCH_VARIANTS, founds[v],
			    nq / BENCH_VARIANTS);
	}
	printf("%-40s %7zu/%-4zu %7zu/%-4zu\n", "found in the 5 best, all",
	    tot_n, nq, tot_s, nq);
	fflush(stdout);
	sqlite3_finalize(ins);
	sqlite3_finalize(sel);
	sqlite3_close(db);
	if (store_close(st, &err) != NCEN_OK)
		fprintf(stderr, "bench/search: %s\n", ncen_err_msg(&err));
	free(tn);
	free(ts);
	free(who);
	buf_free(&path);
	buf_free(&q);
	buf_free(&f);
	ncen_err_free(&err);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ "forms", required_argument, NULL, 'f' },
		{ "queries", required_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct ncen_err	 err = NCEN_ERR_INIT;
	struct schema	*schema = NULL;
	const char	*sizes = "100000,1000000", *dir = "bench-search",
			*forms = "forms";
	char		*s, *tok, *save = NULL;
	size_t		 nq = 1000;
	int		 c;

	while ((c = getopt_long(argc, argv, "s:d:f:q:", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 's': sizes = optarg; break;
		case 'd': dir = optarg; break;
		case 'f': forms = optarg; break;
		case 'q': nq = (size_t)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: bench/search [--sizes N,...] "
			    "[--dir DIR] [--forms DIR] [--queries N]\n");
			return 2;
		}
	}
	if (nq < BENCH_VARIANTS)
		nq = BENCH_VARIANTS;
	if (schema_load_dir(forms, &schema, &err) != NCEN_OK) {
		fprintf(stderr, "bench/search: %s\n", ncen_err_msg(&err));
		return 2;
	}
	if (mkdir(dir, 0700) != 0) {
		fprintf(stderr, "bench/search: %s: cannot make it (it must not "
		    "exist)\n", dir);
		return 2;
	}
	bench_rng = BENCH_SEED;
	s = xstrdup(sizes);
	for (tok = strtok_r(s, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save))
		bench_size(dir, schema, strtoull(tok, NULL, 10), nq);
	free(s);
	schema_free(schema);
	ncen_err_free(&err);
	return 0;
}
