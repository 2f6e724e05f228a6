/*
 * bench/store.c - the ncen store against SQLite on the same work.
 *
 *   bench/store [--sizes 10000,100000,1000000] [--dir DIR] [--forms DIR]
 *               [--only ncen|sqlite] [--cache MB]
 *               [--writers 1,2,4,8] [--writer-records N]
 *
 * For each size, each side runs in its own forked child (so that peak
 * RSS is its own) on a fresh directory: it inserts N generated cases,
 * each with 2 seizure lines and 2 persons linked to it, then looks
 * things up.  Both sides get the same values from the same seeded
 * generator, driven by the project's forms: one SQLite table per form
 * with a column per field, an index per `index` field, a links table
 * indexed both ways; WAL mode with synchronous=FULL, as durable as
 * Berkeley DB's synchronous commit.  The first min(10000, N/2) cases go
 * in one per transaction (durable commits); the rest 1000 per
 * transaction.  The table printed says ncen, sqlite and their ratio.
 *
 * Then concurrent writers (ncen only): for each count W of --writers,
 * W processes open one fresh store and, all started together, each put
 * N person records, one durable transaction per record; the table says
 * records per second over all of them (from the start to the last
 * commit), its ratio to one writer's, and the deadlocks retried.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
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
#include "store.h"
#include "xmalloc.h"

#define BENCH_SEED	0x6e63656e2d62656eULL
#define BENCH_BULK	1000		/* cases per bulk transaction */
#define BENCH_SAMPLE	10000		/* most cases committed one by one */
#define BENCH_GETS	20000		/* lookups by id */
#define BENCH_RANGES	200		/* date range queries (7 days) */
#define BENCH_CODES	20		/* lookups by office (~1% of cases) */
#define BENCH_NAMES	5000		/* lookups by family name */
#define BENCH_LINKS	5000		/* links of a case */
#define BENCH_DAYS	3652		/* case dates: 2015-01-01 on */
#define BENCH_WRITERS_MAX 16		/* counts in --writers */
#define BENCH_WRITER_N	2000		/* records per writer */

enum bench_row {
	ROW_DURABLE,
	ROW_BULK,
	ROW_GET,
	ROW_RANGE,
	ROW_CODE,
	ROW_NAME,
	ROW_LINKS,
	ROW_SIZE,
	ROW_RSS,
	ROW_N
};

/* What the table says in each row, and whether more is better. */
static const struct {
	const char	*label;
	int		 higher;
} bench_rows[ROW_N] = {
	{ "durable inserts, cases/s (1 per txn)", 1 },
	{ "bulk inserts, cases/s (1000 per txn)", 1 },
	{ "lookups by id, /s", 1 },
	{ "range on case.date (7 days), /s", 1 },
	{ "lookup by case.office, /s", 1 },
	{ "lookup by person.family_name, /s", 1 },
	{ "links of a case, /s", 1 },
	{ "size on disk, MB", 0 },
	{ "peak RSS, MB", 0 },
};

struct bench_result {
	double		 v[ROW_N];
	unsigned long	 durable_n;	/* cases in the durable sample */
	unsigned long	 range_rows;	/* rows met by all range queries */
	unsigned long	 code_rows;
	unsigned long	 name_rows;
	unsigned long	 link_rows;
	double		 logs_mb;	/* ncen: log files beside the data */
	int		 ok;
};

/* How a generated value looks, by form and field (else by type). */
enum bench_gen {
	GEN_DEFAULT,
	GEN_UNIQUE,		/* unique per record */
	GEN_POOL,		/* drawn from a pool of `pool` words */
	GEN_COUNTRY,		/* two capital letters, from 40 */
	GEN_CURRENCY,
	GEN_TIME,
	GEN_LONG,		/* free text, 200 to 400 characters */
	GEN_BIRTH,		/* dates 1940 to 2005 */
};

static const struct {
	const char	*form;
	const char	*field;
	enum bench_gen	 gen;
	unsigned	 pool;
} bench_gens[] = {
	{ "case", "number", GEN_UNIQUE, 0 },
	{ "case", "office", GEN_POOL, 100 },
	{ "case", "officer", GEN_POOL, 500 },
	{ "case", "time", GEN_TIME, 0 },
	{ "case", "narrative", GEN_LONG, 0 },
	{ "seizure", "hs", GEN_POOL, 500 },
	{ "seizure", "currency", GEN_CURRENCY, 0 },
	{ "person", "family_name", GEN_POOL, 20000 },
	{ "person", "given_names", GEN_POOL, 2000 },
	{ "person", "birth_date", GEN_BIRTH, 0 },
	{ "person", "document_number", GEN_UNIQUE, 0 },
};

static const char *bench_syllables[] = {
	"ka", "ro", "mi", "ta", "le", "su", "no", "bi", "za", "de", "fo",
	"gu", "ha", "ji", "ku", "lo", "ma", "ne", "pi", "ra", "se", "to",
	"vu", "wa", "ye", "zo", "ban", "kor", "mel", "tan", "dor", "fin",
	"gar", "hol", "lin", "mor", "nas", "pel", "ril", "sun",
};
#define BENCH_NSYL	(sizeof bench_syllables / sizeof bench_syllables[0])

static const char *bench_currencies[] = {
	"EUR", "USD", "XOF", "ZAR", "GBP", "CNY", "KES", "NGN", "INR", "BRL"
};

/* One form as the generator sees it: a generator per field. */
struct bench_form {
	const struct schema_form	*form;
	enum bench_gen			*gen;
	unsigned			*pool;
	const struct schema_codelist	**list;
	int				 ref_case;	/* field that refers to the case */
	struct buf			*val;		/* one value per field */
	sqlite3_stmt			*ins;
};

struct bench {
	const char		*forms;
	const char		*dir;
	size_t			 cachemb;
	struct schema		*schema;
	struct bench_form	 fcase, fseizure, fperson;
	uint64_t		 rng;		/* data generator */
	uint64_t		 qrng;		/* query generator */
	unsigned long		 uniq;
	uint64_t		*ids;		/* case ids, by case number */
	unsigned long		 n;

	/* ncen */
	struct store		*store;
	unsigned long		 from, to;	/* cases of this transaction */

	/* sqlite */
	sqlite3			*db;
	sqlite3_stmt		*link_ins, *get, *range, *code, *name, *links;
};

/* Exit with a message: the benchmark has nothing sensible left to do. */
static void __attribute__((noreturn, format(printf, 1, 2)))
bench_fatal(const char *fmt, ...)
{
	va_list	ap;

	fputs("bench/store: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Seconds on the monotonic clock. */
static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The next number of a xorshift64* generator. */
static uint64_t
bench_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A number below n. */
static unsigned long
bench_below(uint64_t *s, unsigned long n)
{
	return n == 0 ? 0 : (unsigned long)(bench_rand(s) % n);
}

/* Day number (since 1970-01-01) to YYYY-MM-DD (Hinnant's algorithm). */
static void
bench_civil(long z, struct buf *b)
{
	long		era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	buf_addf(b, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

/* A word made of syllables from a number: the same number, the same word. */
static void
bench_word(unsigned long k, int capital, struct buf *b)
{
	size_t	start = b->len;

	do {
		buf_adds(b, bench_syllables[k % BENCH_NSYL]);
		k /= BENCH_NSYL;
	} while (k != 0);
	if (b->len - start < 4)
		buf_adds(b, "ne");
	if (capital)
		b->s[start] = (char)(b->s[start] - 'a' + 'A');
}

/* Free text of about len characters. */
static void
bench_text(uint64_t *s, size_t len, struct buf *b)
{
	size_t	start = b->len;

	while (b->len - start < len) {
		if (b->len > start)
			buf_addc(b, ' ');
		bench_word(bench_below(s, 5000), 0, b);
	}
	b->len = start + len;
	b->s[b->len] = '\0';
	while (b->len > start && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
}

/* Fill one value of a field into b, as the generator table says. */
static void
bench_value(struct bench *bn, struct bench_form *bf, size_t i, uint64_t caseid,
    struct buf *b)
{
	const struct schema_field	*f = &bf->form->fields[i];
	const struct schema_codelist	*l = bf->list[i];
	uint64_t			*s = &bn->rng;
	unsigned long			 v;
	size_t				 len;

	buf_reset(b);
	if (f->type == SCHEMA_CODE) {
		/* A code is always one of its list, whatever the table says. */
		if (l != NULL && l->ncodes > 0)
			buf_adds(b, l->codes[bench_below(s, l->ncodes)].code);
		return;
	}
	switch (bf->gen[i]) {
	case GEN_UNIQUE:
		buf_addf(b, "ZA-%06lu-%04lu", ++bn->uniq % 1000000,
		    bench_below(s, 10000));
		if (b->len > f->size && f->size > 0)
			b->len = f->size, b->s[b->len] = '\0';
		return;
	case GEN_POOL:
		bench_word(bench_below(s, bf->pool[i]), 1, b);
		if (b->len > f->size && f->size > 0)
			b->len = f->size, b->s[b->len] = '\0';
		return;
	case GEN_COUNTRY:
		v = bench_below(s, 40);
		buf_addc(b, 'A' + (int)(v % 26));
		buf_addc(b, 'A' + (int)((v * 7) % 26));
		return;
	case GEN_CURRENCY:
		buf_adds(b, bench_currencies[bench_below(s, 10)]);
		return;
	case GEN_TIME:
		buf_addf(b, "%02lu:%02lu", bench_below(s, 24),
		    bench_below(s, 60));
		return;
	case GEN_LONG:
		bench_text(s, 200 + bench_below(s, 200), b);
		return;
	case GEN_BIRTH:
		bench_civil(-10957 + (long)bench_below(s, 23741), b);
		return;
	case GEN_DEFAULT:
		break;
	}
	switch (f->type) {
	case SCHEMA_TEXT:
		if (f->size == 2) {
			v = bench_below(s, 40);
			buf_addc(b, 'A' + (int)(v % 26));
			buf_addc(b, 'A' + (int)((v * 7) % 26));
			return;
		}
		len = 8 + bench_below(s, 24);
		if (f->size > 0 && len > f->size)
			len = f->size;
		bench_text(s, len, b);
		return;
	case SCHEMA_INTEGER:
		buf_addf(b, "%lu", 1 + bench_below(s, 1000));
		return;
	case SCHEMA_DECIMAL:
		/* At most p - s digits before the point, and 5. */
		for (v = 1, len = f->scale; len < f->size && v < 100000; len++)
			v *= 10;
		buf_addf(b, "%lu", bench_below(s, v));
		if (f->scale > 0) {
			buf_addc(b, '.');
			for (v = 0; v < f->scale; v++)
				buf_addc(b, '0' + (int)bench_below(s, 10));
		}
		return;
	case SCHEMA_DATE:
		bench_civil(16436 + (long)bench_below(s, BENCH_DAYS), b);
		return;
	case SCHEMA_DATETIME:
		bench_civil(16436 + (long)bench_below(s, BENCH_DAYS), b);
		buf_addf(b, "T%02lu:%02lu", bench_below(s, 24),
		    bench_below(s, 60));
		return;
	case SCHEMA_CODE:
		if (l != NULL && l->ncodes > 0)
			buf_adds(b, l->codes[bench_below(s, l->ncodes)].code);
		return;
	case SCHEMA_REF:
		if ((int)i == bf->ref_case)
			buf_addf(b, "%llu", (unsigned long long)caseid);
		return;
	}
}

/* A value to look a field up by, from the distribution it was filled from. */
static void
bench_query_value(struct bench *bn, const struct bench_form *bf, size_t i,
    struct buf *b)
{
	const struct schema_codelist	*l = bf->list[i];

	buf_reset(b);
	if (bf->form->fields[i].type == SCHEMA_CODE && l != NULL &&
	    l->ncodes > 0)
		buf_adds(b, l->codes[bench_below(&bn->qrng, l->ncodes)].code);
	else
		bench_word(bench_below(&bn->qrng, bf->pool[i]), 1, b);
}

/* Generate every field of one record into bf->val. */
static void
bench_values(struct bench *bn, struct bench_form *bf, uint64_t caseid)
{
	size_t	i;

	for (i = 0; i < bf->form->nfields; i++)
		bench_value(bn, bf, i, caseid, &bf->val[i]);
}

/* Set up the generator of one form. */
static void
bench_form_init(struct bench *bn, struct bench_form *bf, const char *name)
{
	const struct schema_field	*f;
	size_t				 i, j;

	memset(bf, 0, sizeof *bf);
	if ((bf->form = schema_form_find(bn->schema, name)) == NULL)
		bench_fatal("%s: no form %s", bn->forms, name);
	bf->gen = xcalloc(bf->form->nfields, sizeof *bf->gen);
	bf->pool = xcalloc(bf->form->nfields, sizeof *bf->pool);
	bf->list = xcalloc(bf->form->nfields, sizeof *bf->list);
	bf->val = xcalloc(bf->form->nfields, sizeof *bf->val);
	bf->ref_case = -1;
	for (i = 0; i < bf->form->nfields; i++) {
		f = &bf->form->fields[i];
		for (j = 0; j < sizeof bench_gens / sizeof bench_gens[0]; j++) {
			if (strcmp(bench_gens[j].form, name) == 0 &&
			    strcmp(bench_gens[j].field, f->name) == 0) {
				bf->gen[i] = bench_gens[j].gen;
				bf->pool[i] = bench_gens[j].pool;
			}
		}
		if (f->type == SCHEMA_CODE)
			bf->list[i] = schema_list_find(bn->schema, f->target);
		if (f->type == SCHEMA_REF && strcmp(f->target, "case") == 0 &&
		    bf->ref_case == -1)
			bf->ref_case = (int)i;
	}
}

/* Release the generator of one form. */
static void
bench_form_free(struct bench_form *bf)
{
	size_t	i;

	if (bf->form != NULL)
		for (i = 0; i < bf->form->nfields; i++)
			buf_free(&bf->val[i]);
	free(bf->gen);
	free(bf->pool);
	free(bf->list);
	free(bf->val);
}

/* The field index of a named field, or exit. */
static size_t
bench_field(const struct bench_form *bf, const char *name)
{
	int	i = schema_field_index(bf->form, name);

	if (i < 0)
		bench_fatal("form %s has no field %s", bf->form->name, name);
	return (size_t)i;
}

/* Sum the disk usage of the files in dir whose names pass the filter. */
static double
bench_du(const char *dir, int (*want)(const char *))
{
	struct buf	 p = BUF_INIT;
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	double		 total = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (!want(de->d_name))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.s, &sb) == 0 && S_ISREG(sb.st_mode))
			total += (double)sb.st_blocks * 512;
	}
	closedir(d);
	buf_free(&p);
	return total / (1024 * 1024);
}

/* Whether a name ends with a suffix. */
static int
bench_ends(const char *s, const char *suffix)
{
	size_t	ls = strlen(s), lx = strlen(suffix);

	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

/* ncen's data files: primaries, indices, links, sequences. */
static int
bench_is_ncen_data(const char *name)
{
	return bench_ends(name, ".db") || bench_ends(name, ".idx");
}

/* ncen's transaction logs. */
static int
bench_is_ncen_log(const char *name)
{
	return strncmp(name, "log.", 4) == 0;
}

/* SQLite's files: the database and its WAL. */
static int
bench_is_sqlite(const char *name)
{
	return strncmp(name, "bench.sqlite", 12) == 0;
}

/* ---- ncen ---- */

/* Store one generated record of a form; its id comes back. */
static int
bench_ncen_put(struct bench *bn, struct store_txn *txn, struct bench_form *bf,
    uint64_t caseid, uint64_t *id, struct ncen_err *err)
{
	struct record	*r;
	size_t		 i;
	int		 rc;

	bench_values(bn, bf, caseid);
	r = record_new(bf->form);
	for (i = 0; i < bf->form->nfields; i++)
		if (bf->val[i].len > 0)
			record_add_value(r, i, bf->val[i].s);
	rc = store_put(txn, r, "bench", err);
	*id = r->id;
	record_free(r);
	return rc;
}

/* The transaction: cases from..to, each with 2 seizures and 2 persons. */
static int
bench_ncen_txn(struct store_txn *txn, void *arg, struct ncen_err *err)
{
	struct bench		*bn = arg;
	struct store_ref	 c, p;
	unsigned long		 k, usave = bn->uniq;
	uint64_t		 id, pid, save = bn->rng;
	int			 j, rc;

	for (k = bn->from; k < bn->to; k++) {
		if ((rc = bench_ncen_put(bn, txn, &bn->fcase, 0, &id,
		    err)) != NCEN_OK)
			goto fail;
		bn->ids[k] = id;
		c.entity = "case";
		c.id = id;
		for (j = 0; j < 2; j++)
			if ((rc = bench_ncen_put(bn, txn, &bn->fseizure, id,
			    &pid, err)) != NCEN_OK)
				goto fail;
		for (j = 0; j < 2; j++) {
			if ((rc = bench_ncen_put(bn, txn, &bn->fperson, id,
			    &pid, err)) != NCEN_OK)
				goto fail;
			p.entity = "person";
			p.id = pid;
			if ((rc = store_link_add(txn, c, p, "SUSPECT",
			    err)) != NCEN_OK)
				goto fail;
		}
	}
	return NCEN_OK;
fail:
	/* A retry after a deadlock must generate the same values. */
	bn->rng = save;
	bn->uniq = usave;
	return rc;
}

/* Insert cases from..to in one store_run. */
static void
bench_ncen_insert(struct bench *bn, unsigned long from, unsigned long to)
{
	struct ncen_err	err = NCEN_ERR_INIT;

	bn->from = from;
	bn->to = to;
	if (store_run(bn->store, bench_ncen_txn, bn, &err) != NCEN_OK)
		bench_fatal("ncen: insert cases %lu-%lu: %s", from, to,
		    ncen_err_msg(&err));
}

/* A record met by a walk: count it. */
static int
bench_ncen_count(const struct record *r, void *arg)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* A link met by store_links: count it. */
static int
bench_ncen_count_link(const struct store_link *l, void *arg)
{
	(*(unsigned long *)arg)++;
	return 0;
}

/* The whole ncen side at one size. */
static void
bench_ncen(struct bench *bn, const char *dir, struct bench_result *res)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct buf		 b = BUF_INIT, to = BUF_INIT;
	struct record		*r;
	struct store_ref	 ref;
	unsigned long		 i, sample, n = bn->n;
	size_t			 office;
	double			 t;
	long			 day;

	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	o.cachesize = bn->cachemb * 1024 * 1024;
	if (store_open(&o, bn->schema, &bn->store, &err) != NCEN_OK)
		bench_fatal("ncen: open %s: %s", dir, ncen_err_msg(&err));

	sample = n / 2 < BENCH_SAMPLE ? n / 2 : BENCH_SAMPLE;
	res->durable_n = sample;
	t = bench_now();
	for (i = 0; i < sample; i++)
		bench_ncen_insert(bn, i, i + 1);
	res->v[ROW_DURABLE] = (double)sample / (bench_now() - t);
	t = bench_now();
	for (i = sample; i < n; i += BENCH_BULK)
		bench_ncen_insert(bn, i, i + BENCH_BULK < n ? i + BENCH_BULK : n);
	res->v[ROW_BULK] = (double)(n - sample) / (bench_now() - t);

	if (store_checkpoint(bn->store, &err) != NCEN_OK)
		bench_fatal("ncen: checkpoint: %s", ncen_err_msg(&err));
	res->v[ROW_SIZE] = bench_du(dir, bench_is_ncen_data);
	res->logs_mb = bench_du(dir, bench_is_ncen_log);

	t = bench_now();
	for (i = 0; i < BENCH_GETS; i++) {
		if (store_get(bn->store, "case", bn->ids[bench_below(&bn->qrng,
		    n)], &r, &err) != NCEN_OK)
			bench_fatal("ncen: get: %s", ncen_err_msg(&err));
		record_free(r);
	}
	res->v[ROW_GET] = BENCH_GETS / (bench_now() - t);

	t = bench_now();
	for (i = 0; i < BENCH_RANGES; i++) {
		day = 16436 + (long)bench_below(&bn->qrng, BENCH_DAYS - 7);
		buf_reset(&b);
		bench_civil(day, &b);
		buf_reset(&to);
		bench_civil(day + 6, &to);
		if (store_find(bn->store, "case", "date", b.s, to.s,
		    bench_ncen_count, &res->range_rows, &err) != NCEN_OK)
			bench_fatal("ncen: range: %s", ncen_err_msg(&err));
	}
	res->v[ROW_RANGE] = BENCH_RANGES / (bench_now() - t);

	office = bench_field(&bn->fcase, "office");
	t = bench_now();
	for (i = 0; i < BENCH_CODES; i++) {
		bench_query_value(bn, &bn->fcase, office, &b);
		if (store_find(bn->store, "case", "office", b.s, b.s,
		    bench_ncen_count, &res->code_rows, &err) != NCEN_OK)
			bench_fatal("ncen: office: %s", ncen_err_msg(&err));
	}
	res->v[ROW_CODE] = BENCH_CODES / (bench_now() - t);

	office = bench_field(&bn->fperson, "family_name");
	t = bench_now();
	for (i = 0; i < BENCH_NAMES; i++) {
		bench_query_value(bn, &bn->fperson, office, &b);
		if (store_find(bn->store, "person", "family_name", b.s, b.s,
		    bench_ncen_count, &res->name_rows, &err) != NCEN_OK)
			bench_fatal("ncen: name: %s", ncen_err_msg(&err));
	}
	res->v[ROW_NAME] = BENCH_NAMES / (bench_now() - t);

	t = bench_now();
	for (i = 0; i < BENCH_LINKS; i++) {
		ref.entity = "case";
		ref.id = bn->ids[bench_below(&bn->qrng, n)];
		if (store_links(bn->store, ref, bench_ncen_count_link,
		    &res->link_rows, &err) != NCEN_OK)
			bench_fatal("ncen: links: %s", ncen_err_msg(&err));
	}
	res->v[ROW_LINKS] = BENCH_LINKS / (bench_now() - t);

	if (store_close(bn->store, &err) != NCEN_OK)
		bench_fatal("ncen: close: %s", ncen_err_msg(&err));
	buf_free(&b);
	buf_free(&to);
	ncen_err_free(&err);
	res->ok = 1;
}

/* ---- concurrent writers ---- */

/* What one writer reports: its records, retries and last commit. */
struct bench_writer_result {
	unsigned long	 n;
	unsigned long	 retried;
	double		 end;
	int		 ok;
};

/* A writer's transaction: one person record. */
static int
bench_writer_txn(struct store_txn *txn, void *arg, struct ncen_err *err)
{
	struct bench	*bn = arg;
	unsigned long	 usave = bn->uniq;
	uint64_t	 id, save = bn->rng;
	int		 rc;

	if ((rc = bench_ncen_put(bn, txn, &bn->fperson, 0, &id, err)) !=
	    NCEN_OK) {
		/* A retry after a deadlock must generate the same values. */
		bn->rng = save;
		bn->uniq = usave;
	}
	return rc;
}

/*
 * One writer (a child): open the store, say so on ready, wait for the
 * start (go closed), put n records, report on out.
 */
static void
bench_writer(struct bench *bn, const char *dir, unsigned w, unsigned long n,
    int ready, int go, int out)
{
	struct store_options		o;
	struct bench_writer_result	r;
	struct ncen_err			err = NCEN_ERR_INIT;
	unsigned long			i;
	char				c = 'r';

	memset(&r, 0, sizeof r);
	memset(&o, 0, sizeof o);
	o.home = dir;
	o.cachesize = bn->cachemb * 1024 * 1024;
	bn->rng = BENCH_SEED ^ ((uint64_t)(w + 1) * 0x9e3779b97f4a7c15ULL);
	bn->uniq = (unsigned long)w * 100000000UL;
	if (store_open(&o, bn->schema, &bn->store, &err) != NCEN_OK)
		bench_fatal("writer %u: open %s: %s", w, dir,
		    ncen_err_msg(&err));
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 0)
		bench_fatal("writer %u: the start went wrong", w);
	for (i = 0; i < n; i++)
		if (store_run(bn->store, bench_writer_txn, bn, &err) != NCEN_OK)
			bench_fatal("writer %u: record %lu: %s", w, i,
			    ncen_err_msg(&err));
	r.end = bench_now();
	r.n = n;
	r.retried = store_retried();
	if (store_close(bn->store, &err) != NCEN_OK)
		bench_fatal("writer %u: close: %s", w, ncen_err_msg(&err));
	r.ok = 1;
	if (write(out, &r, sizeof r) != (ssize_t)sizeof r)
		_exit(1);
	ncen_err_free(&err);
	_exit(0);
}

/* Make a fresh data directory for the writers (the schema's databases). */
static void
bench_writers_dir(struct bench *bn, const char *dir)
{
	struct store_options	 o;
	struct ncen_err		 err = NCEN_ERR_INIT;
	struct store		*st = NULL;

	if (mkdir(dir, 0755) == -1)
		bench_fatal("%s: %s (use a fresh --dir)", dir, strerror(errno));
	memset(&o, 0, sizeof o);
	o.home = dir;
	o.create = 1;
	if (store_open(&o, bn->schema, &st, &err) != NCEN_OK ||
	    store_close(st, &err) != NCEN_OK)
		bench_fatal("ncen: %s: %s", dir, ncen_err_msg(&err));
	ncen_err_free(&err);
}

/*
 * W writers at once on a fresh directory: records per second from the
 * start to the last commit (*rate) and deadlocks retried (*retried).
 */
static int
bench_writers_run(struct bench *bn, unsigned w, unsigned long n,
    double *rate, unsigned long *retried)
{
	struct bench_writer_result	 r;
	struct buf			 dir = BUF_INIT;
	pid_t				 pids[BENCH_WRITERS_MAX];
	double				 start, end = 0;
	unsigned long			 total = 0;
	unsigned			 i;
	int				 ready[2], go[2], out[2], status;
	int				 failed = 0;
	char				 c;

	buf_addf(&dir, "%s/writers-%u", bn->dir, w);
	bench_writers_dir(bn, dir.s);
	*retried = 0;
	fflush(stdout);
	if (pipe(ready) == -1 || pipe(go) == -1 || pipe(out) == -1)
		bench_fatal("pipe: %s", strerror(errno));
	for (i = 0; i < w; i++) {
		if ((pids[i] = fork()) == -1)
			bench_fatal("fork: %s", strerror(errno));
		if (pids[i] == 0) {
			close(ready[0]);
			close(go[1]);
			close(out[0]);
			bench_writer(bn, dir.s, i, n, ready[1], go[0], out[1]);
		}
	}
	close(ready[1]);
	close(go[0]);
	close(out[1]);
	for (i = 0; i < w; i++)
		if (read(ready[0], &c, 1) != 1)
			failed = 1;
	start = bench_now();
	close(go[1]);			/* all start now */
	for (i = 0; i < w; i++) {
		if (read(out[0], &r, sizeof r) != (ssize_t)sizeof r || !r.ok) {
			failed = 1;
			continue;
		}
		total += r.n;
		*retried += r.retried;
		if (r.end > end)
			end = r.end;
	}
	for (i = 0; i < w; i++)
		if (waitpid(pids[i], &status, 0) != pids[i] ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	close(ready[0]);
	close(out[0]);
	buf_free(&dir);
	*rate = failed || end <= start ? 0 : (double)total / (end - start);
	return failed ? -1 : 0;
}

/* The table of concurrent writers, one row per count of writers. */
static int
bench_writers(struct bench *bn, const unsigned long *counts, size_t ncounts,
    unsigned long n)
{
	unsigned long	retried;
	double		rate, one = 0;
	size_t		i;
	int		failed = 0;

	printf("\nconcurrent writers: person records, one durable "
	    "transaction each, %lu per writer\n", n);
	printf("%-10s %12s %14s %18s\n", "writers", "records/s",
	    "x 1 writer", "deadlocks retried");
	for (i = 0; i < ncounts; i++) {
		if (bench_writers_run(bn, (unsigned)counts[i], n, &rate,
		    &retried) != 0) {
			printf("%-10lu %12s\n", counts[i], "failed");
			failed = 1;
			continue;
		}
		if (counts[i] == 1)
			one = rate;
		printf("%-10lu %12.0f", counts[i], rate);
		if (one > 0)
			printf(" %14.2f", rate / one);
		else
			printf(" %14s", "-");
		printf(" %18lu\n", retried);
		fflush(stdout);
	}
	return failed;
}

/* ---- SQLite ---- */

/* Run one statement; exit on failure. */
static void
bench_sql_exec(struct bench *bn, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(bn->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		bench_fatal("sqlite: %s: %s", sql, msg != NULL ? msg :
		    sqlite3_errmsg(bn->db));
}

/* Prepare one statement; exit on failure. */
static sqlite3_stmt *
bench_sql_prepare(struct bench *bn, const char *sql)
{
	sqlite3_stmt	*st;

	if (sqlite3_prepare_v2(bn->db, sql, -1, &st, NULL) != SQLITE_OK)
		bench_fatal("sqlite: %s: %s", sql, sqlite3_errmsg(bn->db));
	return st;
}

/* Whether a field is stored as an SQLite INTEGER. */
static int
bench_sql_int(const struct schema_field *f)
{
	return f->type == SCHEMA_INTEGER || f->type == SCHEMA_REF;
}

/* The table, its indices and its insert statement for one form. */
static void
bench_sql_table(struct bench *bn, struct bench_form *bf)
{
	const struct schema_form	*fm = bf->form;
	const struct schema_field	*f;
	struct buf			 b = BUF_INIT, ins = BUF_INIT;
	size_t				 i;

	buf_addf(&b, "CREATE TABLE \"%s\" (id INTEGER PRIMARY KEY, "
	    "version INTEGER NOT NULL, mtime INTEGER NOT NULL, muser TEXT",
	    fm->name);
	buf_addf(&ins, "INSERT INTO \"%s\" (version, mtime, muser", fm->name);
	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		buf_addf(&b, ", \"%s\" %s%s", f->name,
		    bench_sql_int(f) ? "INTEGER" : "TEXT",
		    f->type == SCHEMA_TEXT ? " COLLATE NOCASE" : "");
		buf_addf(&ins, ", \"%s\"", f->name);
	}
	buf_adds(&b, ")");
	buf_adds(&ins, ") VALUES (?, ?, ?");
	for (i = 0; i < fm->nfields; i++)
		buf_adds(&ins, ", ?");
	buf_adds(&ins, ")");
	bench_sql_exec(bn, b.s);
	for (i = 0; i < fm->nfields; i++) {
		f = &fm->fields[i];
		if (!f->indexed)
			continue;
		buf_reset(&b);
		buf_addf(&b, "CREATE INDEX \"%s_%s\" ON \"%s\" (\"%s\")",
		    fm->name, f->name, fm->name, f->name);
		bench_sql_exec(bn, b.s);
	}
	bf->ins = bench_sql_prepare(bn, ins.s);
	buf_free(&b);
	buf_free(&ins);
}

/* Step a statement that returns no row; exit on failure. */
static void
bench_sql_done(struct bench *bn, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		bench_fatal("sqlite: %s: %s", sqlite3_sql(st),
		    sqlite3_errmsg(bn->db));
	if (sqlite3_reset(st) != SQLITE_OK)
		bench_fatal("sqlite: reset: %s", sqlite3_errmsg(bn->db));
}

/* Bind one parameter; exit on failure. */
static void
bench_sql_check(struct bench *bn, int rc)
{
	if (rc != SQLITE_OK)
		bench_fatal("sqlite: bind: %s", sqlite3_errmsg(bn->db));
}

/* Insert one generated record of a form; its id comes back. */
static uint64_t
bench_sql_put(struct bench *bn, struct bench_form *bf, uint64_t caseid)
{
	const struct schema_field	*f;
	sqlite3_stmt			*st = bf->ins;
	size_t				 i;
	int				 p;

	bench_values(bn, bf, caseid);
	bench_sql_check(bn, sqlite3_bind_int(st, 1, 1));
	bench_sql_check(bn, sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL)));
	bench_sql_check(bn, sqlite3_bind_text(st, 3, "bench", 5, SQLITE_STATIC));
	for (i = 0; i < bf->form->nfields; i++) {
		f = &bf->form->fields[i];
		p = (int)i + 4;
		if (bf->val[i].len == 0)
			bench_sql_check(bn, sqlite3_bind_null(st, p));
		else if (bench_sql_int(f))
			bench_sql_check(bn, sqlite3_bind_int64(st, p,
			    strtoll(bf->val[i].s, NULL, 10)));
		else
			bench_sql_check(bn, sqlite3_bind_text(st, p,
			    bf->val[i].s, (int)bf->val[i].len, SQLITE_STATIC));
	}
	bench_sql_done(bn, st);
	return (uint64_t)sqlite3_last_insert_rowid(bn->db);
}

/* Insert cases from..to in one SQLite transaction. */
static void
bench_sql_insert(struct bench *bn, unsigned long from, unsigned long to)
{
	unsigned long	k;
	uint64_t	id, pid;
	int		j;

	bench_sql_exec(bn, "BEGIN");
	for (k = from; k < to; k++) {
		id = bench_sql_put(bn, &bn->fcase, 0);
		bn->ids[k] = id;
		for (j = 0; j < 2; j++)
			bench_sql_put(bn, &bn->fseizure, id);
		for (j = 0; j < 2; j++) {
			pid = bench_sql_put(bn, &bn->fperson, id);
			bench_sql_check(bn, sqlite3_bind_int64(bn->link_ins, 1,
			    (sqlite3_int64)id));
			bench_sql_check(bn, sqlite3_bind_int64(bn->link_ins, 2,
			    (sqlite3_int64)pid));
			bench_sql_done(bn, bn->link_ins);
		}
	}
	bench_sql_exec(bn, "COMMIT");
}

/* Step a query to the end, reading every column as ncen decodes every field. */
static unsigned long
bench_sql_rows(struct bench *bn, sqlite3_stmt *st)
{
	unsigned long	n = 0;
	int		i, rc, ncol = sqlite3_column_count(st);

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncol; i++)
			(void)sqlite3_column_text(st, i);
		n++;
	}
	if (rc != SQLITE_DONE)
		bench_fatal("sqlite: %s: %s", sqlite3_sql(st),
		    sqlite3_errmsg(bn->db));
	if (sqlite3_reset(st) != SQLITE_OK)
		bench_fatal("sqlite: reset: %s", sqlite3_errmsg(bn->db));
	return n;
}

/* The whole SQLite side at one size. */
static void
bench_sqlite(struct bench *bn, const char *dir, struct bench_result *res)
{
	struct buf	 b = BUF_INIT, to = BUF_INIT, path = BUF_INIT;
	unsigned long	 i, sample, n = bn->n;
	size_t		 field;
	double		 t;
	long		 day;

	buf_addf(&path, "%s/bench.sqlite", dir);
	if (sqlite3_open(path.s, &bn->db) != SQLITE_OK)
		bench_fatal("sqlite: open %s: %s", path.s,
		    sqlite3_errmsg(bn->db));
	bench_sql_exec(bn, "PRAGMA journal_mode=WAL");
	bench_sql_exec(bn, "PRAGMA synchronous=FULL");
	if (bn->cachemb > 0) {
		buf_addf(&b, "PRAGMA cache_size=-%zu", bn->cachemb * 1024);
		bench_sql_exec(bn, b.s);
	}
	bench_sql_table(bn, &bn->fcase);
	bench_sql_table(bn, &bn->fseizure);
	bench_sql_table(bn, &bn->fperson);
	bench_sql_exec(bn, "CREATE TABLE links (a_entity TEXT NOT NULL, "
	    "a_id INTEGER NOT NULL, b_entity TEXT NOT NULL, "
	    "b_id INTEGER NOT NULL, role TEXT NOT NULL)");
	bench_sql_exec(bn, "CREATE INDEX links_a ON links (a_entity, a_id)");
	bench_sql_exec(bn, "CREATE INDEX links_b ON links (b_entity, b_id)");
	bn->link_ins = bench_sql_prepare(bn, "INSERT INTO links VALUES "
	    "('case', ?, 'person', ?, 'SUSPECT')");
	bn->get = bench_sql_prepare(bn, "SELECT * FROM \"case\" WHERE id = ?");
	bn->range = bench_sql_prepare(bn, "SELECT * FROM \"case\" "
	    "WHERE date BETWEEN ? AND ?");
	bn->code = bench_sql_prepare(bn, "SELECT * FROM \"case\" "
	    "WHERE office = ?");
	bn->name = bench_sql_prepare(bn, "SELECT * FROM person "
	    "WHERE family_name = ?");
	bn->links = bench_sql_prepare(bn, "SELECT * FROM links WHERE "
	    "a_entity = 'case' AND a_id = ?1 UNION ALL SELECT * FROM links "
	    "WHERE b_entity = 'case' AND b_id = ?1");

	sample = n / 2 < BENCH_SAMPLE ? n / 2 : BENCH_SAMPLE;
	res->durable_n = sample;
	t = bench_now();
	for (i = 0; i < sample; i++)
		bench_sql_insert(bn, i, i + 1);
	res->v[ROW_DURABLE] = (double)sample / (bench_now() - t);
	t = bench_now();
	for (i = sample; i < n; i += BENCH_BULK)
		bench_sql_insert(bn, i, i + BENCH_BULK < n ? i + BENCH_BULK : n);
	res->v[ROW_BULK] = (double)(n - sample) / (bench_now() - t);

	bench_sql_exec(bn, "PRAGMA wal_checkpoint(TRUNCATE)");
	res->v[ROW_SIZE] = bench_du(dir, bench_is_sqlite);

	t = bench_now();
	for (i = 0; i < BENCH_GETS; i++) {
		bench_sql_check(bn, sqlite3_bind_int64(bn->get, 1,
		    (sqlite3_int64)bn->ids[bench_below(&bn->qrng, n)]));
		if (bench_sql_rows(bn, bn->get) != 1)
			bench_fatal("sqlite: get: no such case");
	}
	res->v[ROW_GET] = BENCH_GETS / (bench_now() - t);

	t = bench_now();
	for (i = 0; i < BENCH_RANGES; i++) {
		day = 16436 + (long)bench_below(&bn->qrng, BENCH_DAYS - 7);
		buf_reset(&b);
		bench_civil(day, &b);
		buf_reset(&to);
		bench_civil(day + 6, &to);
		bench_sql_check(bn, sqlite3_bind_text(bn->range, 1, b.s,
		    (int)b.len, SQLITE_STATIC));
		bench_sql_check(bn, sqlite3_bind_text(bn->range, 2, to.s,
		    (int)to.len, SQLITE_STATIC));
		res->range_rows += bench_sql_rows(bn, bn->range);
	}
	res->v[ROW_RANGE] = BENCH_RANGES / (bench_now() - t);

	field = bench_field(&bn->fcase, "office");
	t = bench_now();
	for (i = 0; i < BENCH_CODES; i++) {
		bench_query_value(bn, &bn->fcase, field, &b);
		bench_sql_check(bn, sqlite3_bind_text(bn->code, 1, b.s,
		    (int)b.len, SQLITE_STATIC));
		res->code_rows += bench_sql_rows(bn, bn->code);
	}
	res->v[ROW_CODE] = BENCH_CODES / (bench_now() - t);

	field = bench_field(&bn->fperson, "family_name");
	t = bench_now();
	for (i = 0; i < BENCH_NAMES; i++) {
		bench_query_value(bn, &bn->fperson, field, &b);
		bench_sql_check(bn, sqlite3_bind_text(bn->name, 1, b.s,
		    (int)b.len, SQLITE_STATIC));
		res->name_rows += bench_sql_rows(bn, bn->name);
	}
	res->v[ROW_NAME] = BENCH_NAMES / (bench_now() - t);

	t = bench_now();
	for (i = 0; i < BENCH_LINKS; i++) {
		bench_sql_check(bn, sqlite3_bind_int64(bn->links, 1,
		    (sqlite3_int64)bn->ids[bench_below(&bn->qrng, n)]));
		res->link_rows += bench_sql_rows(bn, bn->links);
	}
	res->v[ROW_LINKS] = BENCH_LINKS / (bench_now() - t);

	sqlite3_finalize(bn->fcase.ins);
	sqlite3_finalize(bn->fseizure.ins);
	sqlite3_finalize(bn->fperson.ins);
	sqlite3_finalize(bn->link_ins);
	sqlite3_finalize(bn->get);
	sqlite3_finalize(bn->range);
	sqlite3_finalize(bn->code);
	sqlite3_finalize(bn->name);
	sqlite3_finalize(bn->links);
	if (sqlite3_close(bn->db) != SQLITE_OK)
		bench_fatal("sqlite: close: %s", sqlite3_errmsg(bn->db));
	buf_free(&b);
	buf_free(&to);
	buf_free(&path);
	res->ok = 1;
}

/* ---- driver ---- */

/* Run one side at one size in a child; its results and peak RSS. */
static int
bench_side(struct bench *bn, const char *side, unsigned long n,
    struct bench_result *res)
{
	struct buf	 dir = BUF_INIT;
	struct rusage	 ru;
	ssize_t		 got;
	pid_t		 pid;
	int		 fds[2], status;

	memset(res, 0, sizeof *res);
	buf_addf(&dir, "%s/%s-%lu", bn->dir, side, n);
	if (mkdir(dir.s, 0755) == -1)
		bench_fatal("%s: %s (use a fresh --dir)", dir.s,
		    strerror(errno));
	fflush(stdout);
	if (pipe(fds) == -1)
		bench_fatal("pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		bench_fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		close(fds[0]);
		bn->n = n;
		bn->rng = BENCH_SEED;
		bn->qrng = BENCH_SEED ^ 0x5555555555555555ULL;
		bn->uniq = 0;
		bn->ids = xcalloc(n, sizeof *bn->ids);
		if (strcmp(side, "ncen") == 0)
			bench_ncen(bn, dir.s, res);
		else
			bench_sqlite(bn, dir.s, res);
		if (write(fds[1], res, sizeof *res) != (ssize_t)sizeof *res)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	got = read(fds[0], res, sizeof *res);
	close(fds[0]);
	if (wait4(pid, &status, 0, &ru) != pid)
		bench_fatal("wait4: %s", strerror(errno));
	buf_free(&dir);
	if (got != (ssize_t)sizeof *res || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0 || !res->ok) {
		res->ok = 0;
		return -1;
	}
	res->v[ROW_RSS] = (double)ru.ru_maxrss / 1024.0;
	return 0;
}

/* Print one number in the table's style. */
static void
bench_cell(int ok, double v)
{
	if (!ok)
		printf(" %12s", "-");
	else if (v >= 100)
		printf(" %12.0f", v);
	else
		printf(" %12.1f", v);
}

/* Print the table for one size. */
static void
bench_table(unsigned long n, const struct bench_result *a,
    const struct bench_result *s)
{
	int	r;
	double	ratio;

	printf("\n%lu cases (+%lu seizures, +%lu persons, +%lu links)\n", n,
	    2 * n, 2 * n, 2 * n);
	printf("%-40s %12s %12s %8s\n", "row", "ncen", "sqlite", "ratio");
	for (r = 0; r < ROW_N; r++) {
		printf("%-40s", bench_rows[r].label);
		bench_cell(a->ok, a->v[r]);
		bench_cell(s->ok, s->v[r]);
		if (a->ok && s->ok && s->v[r] > 0) {
			ratio = a->v[r] / s->v[r];
			printf(" %7.2f%s", ratio, (bench_rows[r].higher ?
			    ratio >= 1.0 : ratio <= 2.0) ? "" : " !");
		} else
			printf(" %8s", "-");
		printf("\n");
	}
	if (a->ok || s->ok) {
		const struct bench_result *x = a->ok ? a : s;

		printf("durable sample: the first %lu cases; rows met: range "
		    "%lu, office %lu, name %lu, links %lu\n", x->durable_n,
		    x->range_rows, x->code_rows, x->name_rows, x->link_rows);
	}
	if (a->ok)
		printf("ncen log files after a checkpoint: %.1f MB (not in "
		    "the size row)\n", a->logs_mb);
	fflush(stdout);
}

/* Parse --sizes: a comma-separated list of counts. */
static size_t
bench_sizes(const char *arg, unsigned long *v, size_t max)
{
	const char	*p = arg;
	char		*end;
	size_t		 n = 0;

	while (*p != '\0' && n < max) {
		v[n] = strtoul(p, &end, 10);
		if (end == p || v[n] == 0 || (*end != ',' && *end != '\0'))
			bench_fatal("--sizes: bad list: %s", arg);
		n++;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "dir", required_argument, NULL, 'd' },
		{ "forms", required_argument, NULL, 'f' },
		{ "only", required_argument, NULL, 'o' },
		{ "cache", required_argument, NULL, 'c' },
		{ "writers", required_argument, NULL, 'w' },
		{ "writer-records", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct bench		 bn;
	struct bench_result	 a, s;
	struct ncen_err		 err = NCEN_ERR_INIT;
	unsigned long		 sizes[16] = { 10000, 100000, 1000000 };
	unsigned long		 writers[BENCH_WRITERS_MAX] = { 1, 2, 4, 8 };
	unsigned long		 nwrite = BENCH_WRITER_N;
	size_t			 nsizes = 3, nwriters = 4, i;
	const char		*only = NULL;
	char			*tmp = NULL;
	int			 ch, failed = 0;

	memset(&bn, 0, sizeof bn);
	bn.forms = NCEN_FORMS_DIR;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			/* --sizes 0: only the table of writers. */
			nsizes = strcmp(optarg, "0") == 0 ? 0 :
			    bench_sizes(optarg, sizes, 16);
			break;
		case 'd':
			bn.dir = optarg;
			break;
		case 'f':
			bn.forms = optarg;
			break;
		case 'o':
			only = optarg;
			if (strcmp(only, "ncen") != 0 &&
			    strcmp(only, "sqlite") != 0)
				bench_fatal("--only ncen or --only sqlite");
			break;
		case 'c':
			bn.cachemb = strtoul(optarg, NULL, 10);
			break;
		case 'w':
			/* --writers 0: no table of writers. */
			nwriters = strcmp(optarg, "0") == 0 ? 0 :
			    bench_sizes(optarg, writers, BENCH_WRITERS_MAX);
			for (i = 0; i < nwriters; i++)
				if (writers[i] > BENCH_WRITERS_MAX)
					bench_fatal("--writers: at most %d",
					    BENCH_WRITERS_MAX);
			break;
		case 'n':
			if ((nwrite = strtoul(optarg, NULL, 10)) == 0)
				bench_fatal("--writer-records: not a count");
			break;
		default:
			fprintf(stderr, "usage: bench/store [--sizes N,...] "
			    "[--dir DIR] [--forms DIR] [--only ncen|sqlite] "
			    "[--cache MB] [--writers N,...] "
			    "[--writer-records N]\n");
			return 2;
		}
	}
	if (store_version_check(&err) != NCEN_OK)
		bench_fatal("%s", ncen_err_msg(&err));
	if (schema_load_dir(bn.forms, &bn.schema, &err) != NCEN_OK)
		bench_fatal("%s", ncen_err_msg(&err));
	if (bn.dir == NULL) {
		tmp = xstrdup("/tmp/ncen-bench.XXXXXX");
		if (mkdtemp(tmp) == NULL)
			bench_fatal("mkdtemp: %s", strerror(errno));
		bn.dir = tmp;
	} else if (mkdir(bn.dir, 0755) == -1 && errno != EEXIST)
		bench_fatal("%s: %s", bn.dir, strerror(errno));
	bench_form_init(&bn, &bn.fcase, "case");
	bench_form_init(&bn, &bn.fseizure, "seizure");
	bench_form_init(&bn, &bn.fperson, "person");
	(void)bench_field(&bn.fcase, "date");
	(void)bench_field(&bn.fcase, "office");
	(void)bench_field(&bn.fperson, "family_name");

	printf("bench/store: forms %s, data under %s, cache %s\n", bn.forms,
	    bn.dir, bn.cachemb > 0 ? "set by --cache" : "each side's default");
	for (i = 0; i < nsizes; i++) {
		memset(&a, 0, sizeof a);
		memset(&s, 0, sizeof s);
		if ((only == NULL || strcmp(only, "ncen") == 0) &&
		    bench_side(&bn, "ncen", sizes[i], &a) != 0)
			failed = 1;
		if ((only == NULL || strcmp(only, "sqlite") == 0) &&
		    bench_side(&bn, "sqlite", sizes[i], &s) != 0)
			failed = 1;
		bench_table(sizes[i], &a, &s);
	}
	if (nsizes > 0)
		printf("\nratio = ncen / sqlite; \"!\" marks a row that "
		    "misses the target (speed >= 1, size <= 2)\n");
	if (nwriters > 0 && (only == NULL || strcmp(only, "ncen") == 0) &&
	    bench_writers(&bn, writers, nwriters, nwrite) != 0)
		failed = 1;
	bench_form_free(&bn.fcase);
	bench_form_free(&bn.fseizure);
	bench_form_free(&bn.fperson);
	schema_free(bn.schema);
	free(tmp);
	ncen_err_free(&err);
	return failed;
}
