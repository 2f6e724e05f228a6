/*
 * stats.h - statistics: the predefined queries (data files, like the
 * forms), the exchange rates, and the engine that runs a query over the
 * store with filters.
 *
 * A data directory's DIR/forms holds the queries (every *.queries file,
 * ncen-queries(5)) and the rates (exchange.rates, in the same page);
 * stats_load() reads both and checks them against the schema.
 * Quantities are summed only in units the unit list says convert to the
 * unit asked for ("= FACTOR CODE" lines, ncen-forms(5)); the lines in
 * other units are counted apart, never added.  Values are summed in the
 * rates file's reporting currency with the rate in force on each case's
 * date; lines without a rate are counted apart, and the result lists
 * the rates it used.  Sums are exact (fixed point, 128-bit).
 *
 * Contract: functions return NCEN_OK or an ncen_code with the error
 * filled in (files: "FILE:LINE:COL: expected ..., found ..."); nothing
 * here prints or exits.  A struct stats_def and a struct stats_result
 * own everything in them (stats_def_free, stats_result_free); a result
 * borrows its query from the def it was run with.  stats_run reads
 * the store outside any transaction, in short read-committed chunks.
 */
#ifndef NCEN_STATS_H
#define NCEN_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"
#include "schema.h"
#include "store.h"

#define STATS_RATES_FILE	"exchange.rates"
#define STATS_QUERIES_SUFFIX	".queries"

/* What a query counts first (its chart and order follow it). */
enum stats_count {
	STATS_SEIZURES = 0,	/* seizure lines */
	STATS_CASES,		/* cases */
	STATS_PERSONS,		/* persons linked to the cases */
};

/* What the categories are. */
enum stats_dim {
	STATS_DIM_SEIZURE = 0,	/* a field of the seizure line */
	STATS_DIM_CASE,		/* a field of the case */
	STATS_DIM_PERSON,	/* a field of a person linked to the case */
	STATS_DIM_ROLE,		/* the role of a person in the case */
	STATS_DIM_ROUTE,	/* departure, transit..., destination */
};

enum stats_time {
	STATS_TIME_NONE = 0,
	STATS_TIME_MONTH,	/* 2026-03 */
	STATS_TIME_QUARTER,	/* 2026-Q1 */
	STATS_TIME_YEAR,	/* 2026 */
};

enum stats_chart {
	STATS_CHART_BARS = 0,	/* horizontal bars, one per category */
	STATS_CHART_COLUMNS,	/* a column chart (time series) */
};

/* "sum quantity UNIT" (unit set) or "sum value". */
struct stats_sum {
	char		*unit;		/* NULL: the value */
	unsigned	 line, col;
};

struct stats_query {
	char		*name;		/* by-commodity */
	char		*label[SCHEMA_NLANG];
	enum stats_count count;
	enum stats_dim	 dim;
	char		*field;		/* the field of dim, or NULL */
	enum stats_time	 time;
	struct stats_sum *sums;
	size_t		 nsums;
	unsigned	 top;		/* 0: every category */
	int		 compare;	/* year over year */
	enum stats_chart chart;
	char		*path;
	unsigned	 line, col;	/* its "query" line */
	unsigned	 gline, gcol;	/* its "group" line */
};

/* One rate: one of currency is rate (micro units) of the reporting one. */
struct stats_rate {
	char		*currency;
	char		 from[11];	/* YYYY-MM-DD */
	int64_t		 micro;
	char		*text;		/* as written */
	uint64_t	 used;		/* lines converted by it (per run) */
};

struct stats_def {
	struct stats_query *q;
	size_t		 nq;
	char		*currency;	/* reporting currency, NULL: no rates */
	char		*rates_path;
	struct stats_rate *rates;	/* sorted by currency, then date */
	size_t		 nrates;
};

/* Filters; NULL or empty: any. */
struct stats_filter {
	const char	*from, *to;	/* YYYY-MM-DD, inclusive (case date) */
	const char	*const *offices;	/* any of these */
	size_t		 noffices;
	const char	*commodity;	/* a group or a type code */
	const char	*direction;
	const char	*status;
	enum schema_lang lang;		/* of the categories' labels */
};

/* Figures of one category (index 1: the previous year, compare only). */
struct stats_fig {
	uint64_t	 seizures, cases, persons;
	__int128	*sum;		/* per query sum: see stats_format_sum */
	uint64_t	*unsummed;	/* per sum: lines not added to it */
};

struct stats_row {
	char		*code;
	const char	*label;		/* borrowed from the schema, or NULL */
	struct stats_fig fig[2];
};

struct stats_result {
	const struct stats_query *q;
	struct stats_row *rows;		/* in report order, top N only */
	size_t		 nrows;
	size_t		 hidden;	/* categories beyond top N */
	struct stats_row total;		/* every category of the period */
	int		 year;		/* compare: the year, else 0 */
	struct stats_rate *rates;	/* the rates used, copies */
	size_t		 nrates;
	char		*currency;
	/* A sum's total is v / div[i] in units of 10^-scale[i]. */
	int64_t		*div;
	unsigned	*scale;
	/* The units each quantity sum adds up (space-separated codes). */
	char		**units;
};

/* stats-def.c: the query files and the rates of a forms directory. */
int	 stats_queries_parse(const char *path, const char *text, size_t len,
	     struct stats_def *, struct ncen_err *);
int	 stats_rates_parse(const char *path, const char *text, size_t len,
	     struct stats_def *, struct ncen_err *);
int	 stats_def_check(struct stats_def *, const struct schema *,
	     struct ncen_err *);
int	 stats_load(const char *formsdir, const struct schema *,
	     struct stats_def **, struct ncen_err *);
void	 stats_def_free(struct stats_def *);
const struct stats_query *stats_query_find(const struct stats_def *,
	     const char *name);

/* stats-run.c: run a query. */
int	 stats_run(struct store *, const struct schema *,
	     const struct stats_def *, const struct stats_query *,
	     const struct stats_filter *, struct stats_result **,
	     struct ncen_err *);
void	 stats_result_free(struct stats_result *);

/* stats-print.c: the result as a table for a printer, or as CSV. */
void	 stats_format_sum(const struct stats_result *, size_t sum,
	     __int128 v, struct buf *);
void	 stats_print_text(const struct stats_result *,
	     const struct stats_filter *, enum schema_lang, int width,
	     struct buf *);
void	 stats_print_csv(const struct stats_result *, struct buf *);
/* The main figure of a row (what the query counts), for charts. */
uint64_t stats_main(const struct stats_result *, const struct stats_row *,
	     int slot);

#endif
