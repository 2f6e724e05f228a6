/*
 * stats-def.c - the statistics' data files: the predefined queries
 * (*.queries) and the exchange rates (exchange.rates), both in
 * ncen-queries(5), read with the forms' lexer so that a mistake is named
 * by file, line and column, then checked against the schema.
 *
 *	ncen-queries 1
 *	query by-commodity
 *	label en "Seizure lines by commodity group"
 *	count seizures
 *	group seizure.commodity
 *	sum quantity KGM
 *	sum value
 *
 *	ncen-rates 1
 *	currency EUR
 *	USD	2025-01-01	0.9611
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "stats.h"
#include "xmalloc.h"

#define STATS_NAME_MAX	40
#define STATS_TOP_MAX	1000
#define STATS_RATE_MAX	1000000000000LL	/* micro units: 10^6 of a unit */

/* The words of "count" and of the time units, as tables. */
static const struct {
	const char		*word;
	enum stats_count	 count;
} stats_counts[] = {
	{ "seizures", STATS_SEIZURES },
	{ "cases", STATS_CASES },
	{ "persons", STATS_PERSONS },
};

static const struct {
	const char		*word;
	enum stats_time		 time;
} stats_times[] = {
	{ "month", STATS_TIME_MONTH },
	{ "quarter", STATS_TIME_QUARTER },
	{ "year", STATS_TIME_YEAR },
};

static const struct {
	const char		*prefix;	/* "seizure." or a whole word */
	enum stats_dim		 dim;
	const char		*form;		/* whose field it is */
} stats_dims[] = {
	{ "seizure.", STATS_DIM_SEIZURE, "seizure" },
	{ "case.", STATS_DIM_CASE, "case" },
	{ "person.", STATS_DIM_PERSON, "person" },
	{ "role", STATS_DIM_ROLE, NULL },
	{ "route", STATS_DIM_ROUTE, NULL },
};

#define STATS_NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* A query name: a lower-case letter, then letters, digits and '-'. */
static int
stats_def_name(const char *s, size_t len)
{
	size_t	i;

	if (len == 0 || len > STATS_NAME_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Token i as a NUL-terminated copy. */
static char *
stats_def_tok(const struct schema_lex *lx, size_t i)
{
	return xstrndup(lx->tok[i].s, lx->tok[i].len);
}

/* Release one query's strings. */
static void
stats_query_clear(struct stats_query *q)
{
	size_t	i;
	int	lang;

	free(q->name);
	for (lang = 0; lang < SCHEMA_NLANG; lang++)
		free(q->label[lang]);
	free(q->field);
	for (i = 0; i < q->nsums; i++)
		free(q->sums[i].unit);
	free(q->sums);
	free(q->path);
}

/* "label LANG STRING" */
static int
stats_def_label(struct schema_lex *lx, struct stats_query *q)
{
	int	lang;

	if (schema_lex_is(lx, 1, "en"))
		lang = SCHEMA_EN;
	else if (schema_lex_is(lx, 1, "fr"))
		lang = SCHEMA_FR;
	else
		return schema_lex_expected(lx, 1, _("a language (en or fr)"));
	if (lx->ntok < 3 || !lx->tok[2].quoted || lx->tok[2].len == 0)
		return schema_lex_expected(lx, 2, _("a quoted label"));
	if (q->label[lang] != NULL)
		return schema_lex_expected(lx, 1, _("each language's label "
		    "once"));
	if (schema_lex_end(lx, 3) != 0)
		return -1;
	q->label[lang] = xstrdup(lx->tok[2].s);
	return 0;
}

/* "group DIM[.FIELD] [month|quarter|year]" */
static int
stats_def_group(struct schema_lex *lx, struct stats_query *q)
{
	const struct schema_tok	*t = &lx->tok[1];
	size_t			 i, j, plen;

	if (q->gline != 0)
		return schema_lex_expected(lx, 0, _("one group line a query"));
	if (lx->ntok < 2 || t->quoted)
		return schema_lex_expected(lx, 1, _("what to group by "
		    "(seizure.FIELD, case.FIELD, person.FIELD, role or "
		    "route)"));
	for (i = 0; i < STATS_NELEM(stats_dims); i++) {
		plen = strlen(stats_dims[i].prefix);
		if (stats_dims[i].form == NULL ? (t->len == plen &&
		    memcmp(t->s, stats_dims[i].prefix, plen) == 0) :
		    (t->len > plen && memcmp(t->s, stats_dims[i].prefix,
		    plen) == 0))
			break;
	}
	if (i == STATS_NELEM(stats_dims))
		return schema_lex_expected(lx, 1, _("what to group by "
		    "(seizure.FIELD, case.FIELD, person.FIELD, role or "
		    "route)"));
	q->dim = stats_dims[i].dim;
	if (stats_dims[i].form != NULL)
		q->field = xstrndup(t->s + plen, t->len - plen);
	q->gline = lx->line;
	q->gcol = t->col;
	if (lx->ntok > 2) {
		for (j = 0; j < STATS_NELEM(stats_times); j++)
			if (schema_lex_is(lx, 2, stats_times[j].word))
				break;
		if (j == STATS_NELEM(stats_times))
			return schema_lex_expected(lx, 2, _("month, quarter, "
			    "year or the end of the line"));
		q->time = stats_times[j].time;
	}
	return schema_lex_end(lx, 3);
}

/* "sum quantity UNIT" or "sum value" */
static int
stats_def_sum(struct schema_lex *lx, struct stats_query *q)
{
	struct stats_sum	s;
	size_t			end;

	memset(&s, 0, sizeof s);
	s.line = lx->line;
	if (schema_lex_is(lx, 1, "value"))
		end = 2;
	else if (schema_lex_is(lx, 1, "quantity")) {
		if (lx->ntok < 3 || lx->tok[2].quoted)
			return schema_lex_expected(lx, 2, _("a unit code"));
		s.col = lx->tok[2].col;
		end = 3;
	} else
		return schema_lex_expected(lx, 1, _("quantity UNIT or value"));
	if (schema_lex_end(lx, end) != 0)
		return -1;
	if (end == 3)
		s.unit = stats_def_tok(lx, 2);
	else
		s.col = lx->tok[1].col;
	q->sums = xreallocarray(q->sums, q->nsums + 1, sizeof *q->sums);
	q->sums[q->nsums++] = s;
	return 0;
}

/* One statement of a query. */
static int
stats_def_statement(struct schema_lex *lx, struct stats_query *q)
{
	unsigned long	v;
	size_t		i;

	if (schema_lex_is(lx, 0, "label"))
		return stats_def_label(lx, q);
	if (schema_lex_is(lx, 0, "group"))
		return stats_def_group(lx, q);
	if (schema_lex_is(lx, 0, "sum"))
		return stats_def_sum(lx, q);
	if (schema_lex_is(lx, 0, "count")) {
		for (i = 0; i < STATS_NELEM(stats_counts); i++)
			if (schema_lex_is(lx, 1, stats_counts[i].word))
				break;
		if (i == STATS_NELEM(stats_counts))
			return schema_lex_expected(lx, 1, _("seizures, cases "
			    "or persons"));
		q->count = stats_counts[i].count;
		return schema_lex_end(lx, 2);
	}
	if (schema_lex_is(lx, 0, "top")) {
		if (lx->ntok < 2 || lx->tok[1].quoted ||
		    !schema_lex_number(lx->tok[1].s, lx->tok[1].len,
		    STATS_TOP_MAX, &v) || v == 0)
			return schema_lex_expected(lx, 1, _("a number of "
			    "categories from 1 to 1000"));
		q->top = (unsigned)v;
		return schema_lex_end(lx, 2);
	}
	if (schema_lex_is(lx, 0, "compare")) {
		if (!schema_lex_is(lx, 1, "year"))
			return schema_lex_expected(lx, 1, _("year"));
		q->compare = 1;
		return schema_lex_end(lx, 2);
	}
	if (schema_lex_is(lx, 0, "chart")) {
		if (schema_lex_is(lx, 1, "bars"))
			q->chart = STATS_CHART_BARS;
		else if (schema_lex_is(lx, 1, "columns"))
			q->chart = STATS_CHART_COLUMNS;
		else
			return schema_lex_expected(lx, 1, _("bars or "
			    "columns"));
		return schema_lex_end(lx, 2);
	}
	return schema_lex_expected(lx, 0, _("query, label, count, group, "
	    "sum, top, compare or chart"));
}

/* A query must say what it groups by and have an English label. */
static int
stats_def_complete(struct schema_lex *lx, struct stats_query *q)
{
	if (q->gline != 0 && q->label[SCHEMA_EN] != NULL)
		return 0;
	lx->line = q->line;
	return schema_lex_error(lx, q->col, q->gline == 0 ?
	    _("expected a group line in query %s, found none") :
	    _("expected an English label in query %s, found none"), q->name);
}

/* Parse a queries file, adding its queries to def. */
int
stats_queries_parse(const char *path, const char *text, size_t len,
    struct stats_def *def, struct ncen_err *err)
{
	struct schema_lex	 lx;
	struct stats_query	*q = NULL;
	size_t			 first = def->nq, i;
	int			 r;

	schema_lex_init(&lx, path, text, len, err);
	if (schema_lex_magic(&lx, "ncen-queries") != 0)
		goto fail;
	while ((r = schema_lex_line(&lx)) == 1) {
		if (!schema_lex_is(&lx, 0, "query")) {
			if (q == NULL) {
				schema_lex_expected(&lx, 0, _("'query NAME'"));
				goto fail;
			}
			if (stats_def_statement(&lx, q) != 0)
				goto fail;
			continue;
		}
		if (q != NULL && stats_def_complete(&lx, q) != 0)
			goto fail;
		if (lx.ntok < 2 || lx.tok[1].quoted ||
		    !stats_def_name(lx.tok[1].s, lx.tok[1].len)) {
			schema_lex_expected(&lx, 1, _("a query name (a "
			    "lower-case letter, then letters, digits and '-')"));
			goto fail;
		}
		for (i = 0; i < def->nq; i++)
			if (strlen(def->q[i].name) == lx.tok[1].len &&
			    memcmp(def->q[i].name, lx.tok[1].s,
			    lx.tok[1].len) == 0)
				break;
		if (i < def->nq) {
			schema_lex_error(&lx, lx.tok[1].col, _("expected each "
			    "query name once, found '%s' again (the first is "
			    "at %s:%u)"), def->q[i].name, def->q[i].path,
			    def->q[i].line);
			goto fail;
		}
		if (schema_lex_end(&lx, 2) != 0)
			goto fail;
		def->q = xreallocarray(def->q, def->nq + 1, sizeof *def->q);
		q = &def->q[def->nq++];
		memset(q, 0, sizeof *q);
		q->name = stats_def_tok(&lx, 1);
		q->path = xstrdup(path);
		q->line = lx.line;
		q->col = lx.tok[1].col;
	}
	if (r < 0)
		goto fail;
	if (q == NULL) {
		schema_lex_expected(&lx, 0, _("at least one query"));
		goto fail;
	}
	if (stats_def_complete(&lx, q) != 0)
		goto fail;
	schema_lex_free(&lx);
	return NCEN_OK;
fail:
	/* Nothing of a bad file stays. */
	while (def->nq > first)
		stats_query_clear(&def->q[--def->nq]);
	schema_lex_free(&lx);
	return NCEN_EPARSE;
}

/* A valid date YYYY-MM-DD. */
static int
stats_def_date(const char *s, size_t len)
{
	static const int	days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
				    31, 30, 31 };
	int			y, m, d;
	size_t			i;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = atoi(s);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
	    y % 400 == 0));
}

/* A positive rate with at most 6 decimals, in micro units; 0 if not one. */
static int64_t
stats_def_micro(const char *s, size_t len)
{
	int64_t	v = 0;
	size_t	i, dec = 0;
	int	dot = 0;

	if (len == 0 || len > 24)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.' && !dot && i > 0 && i + 1 < len) {
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || (dot && ++dec > 6))
			return 0;
		v = v * 10 + (s[i] - '0');
		if (v > STATS_RATE_MAX)
			return 0;
	}
	while (dec++ < 6)
		v *= 10;
	return v > STATS_RATE_MAX ? 0 : v;
}

/* Order rates by currency, then date. */
static int
stats_rate_cmp(const void *a, const void *b)
{
	const struct stats_rate	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->currency, y->currency)) != 0)
		return c;
	return strcmp(x->from, y->from);
}

/* Release the rates of a def. */
static void
stats_rates_clear(struct stats_def *def)
{
	size_t	i;

	for (i = 0; i < def->nrates; i++) {
		free(def->rates[i].currency);
		free(def->rates[i].text);
	}
	free(def->rates);
	def->rates = NULL;
	def->nrates = 0;
	free(def->currency);
	def->currency = NULL;
	free(def->rates_path);
	def->rates_path = NULL;
}

/* Parse the rates file into def (replacing any rates it had). */
int
stats_rates_parse(const char *path, const char *text, size_t len,
    struct stats_def *def, struct ncen_err *err)
{
	struct schema_lex	 lx;
	struct stats_rate	*v = NULL, *rt;
	unsigned		*lines = NULL;
	size_t			 n = 0, i, j;
	int			 r;

	stats_rates_clear(def);
	schema_lex_init(&lx, path, text, len, err);
	if (schema_lex_magic(&lx, "ncen-rates") != 0)
		goto fail;
	if ((r = schema_lex_line(&lx)) < 0)
		goto fail;
	if (r == 0 || !schema_lex_is(&lx, 0, "currency")) {
		schema_lex_expected(&lx, 0, _("'currency CODE' (the "
		    "reporting currency)"));
		goto fail;
	}
	if (lx.ntok < 2 || lx.tok[1].quoted || lx.tok[1].len != 3) {
		schema_lex_expected(&lx, 1, _("a currency code (ISO 4217)"));
		goto fail;
	}
	if (schema_lex_end(&lx, 2) != 0)
		goto fail;
	def->currency = stats_def_tok(&lx, 1);
	while ((r = schema_lex_line(&lx)) == 1) {
		int64_t	micro;

		if (lx.tok[0].quoted || lx.tok[0].len != 3) {
			schema_lex_expected(&lx, 0, _("a currency code (ISO "
			    "4217)"));
			goto fail;
		}
		if (lx.ntok < 2 || lx.tok[1].quoted ||
		    !stats_def_date(lx.tok[1].s, lx.tok[1].len)) {
			schema_lex_expected(&lx, 1, _("the date the rate "
			    "applies from (YYYY-MM-DD)"));
			goto fail;
		}
		if (lx.ntok < 3 || lx.tok[2].quoted || (micro =
		    stats_def_micro(lx.tok[2].s, lx.tok[2].len)) == 0) {
			schema_lex_expected(&lx, 2, _("a rate (a positive "
			    "number, at most 6 decimals)"));
			goto fail;
		}
		if (schema_lex_end(&lx, 3) != 0)
			goto fail;
		if (lx.tok[0].len == 3 && memcmp(lx.tok[0].s, def->currency,
		    3) == 0) {
			schema_lex_expected(&lx, 0, _("a currency other than "
			    "the reporting one"));
			goto fail;
		}
		v = xreallocarray(v, n + 1, sizeof *v);
		lines = xreallocarray(lines, n + 1, sizeof *lines);
		rt = &v[n];
		memset(rt, 0, sizeof *rt);
		rt->currency = stats_def_tok(&lx, 0);
		memcpy(rt->from, lx.tok[1].s, 10);
		rt->micro = micro;
		rt->text = stats_def_tok(&lx, 2);
		lines[n++] = lx.line;
		for (i = 0; i + 1 < n; i++)
			if (stats_rate_cmp(&v[i], rt) == 0) {
				schema_lex_error(&lx, lx.tok[1].col,
				    _("expected one rate a currency and "
				    "date, found %s %s again (the first is at "
				    "line %u)"), rt->currency, rt->from,
				    lines[i]);
				goto fail;
			}
	}
	if (r < 0)
		goto fail;
	if (n > 1)
		qsort(v, n, sizeof *v, stats_rate_cmp);
	def->rates = v;
	def->nrates = n;
	def->rates_path = xstrdup(path);
	free(lines);
	schema_lex_free(&lx);
	return NCEN_OK;
fail:
	for (j = 0; j < n; j++) {
		free(v[j].currency);
		free(v[j].text);
	}
	free(v);
	free(lines);
	stats_rates_clear(def);
	schema_lex_free(&lx);
	return NCEN_EPARSE;
}

/* An error at a place of a file. */
static int
stats_def_at(struct ncen_err *, const char *, unsigned, unsigned,
    const char *, ...) __attribute__((format(printf, 5, 6)));

static int
stats_def_at(struct ncen_err *err, const char *path, unsigned line,
    unsigned col, const char *fmt, ...)
{
	struct buf	b = BUF_INIT;
	va_list		ap;
	int		r;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	r = ncen_err_set(err, NCEN_EPARSE, "%s:%u:%u: %s", path, line, col,
	    buf_cstr(&b));
	buf_free(&b);
	return r;
}

/* Check one query against the forms. */
static int
stats_def_check_query(const struct stats_query *q, const struct schema *s,
    struct ncen_err *err)
{
	const struct schema_form	*f = NULL;
	const struct schema_field	*fld = NULL;
	const struct schema_codelist	*units;
	const char			*form = NULL;
	size_t				 i;

	for (i = 0; i < STATS_NELEM(stats_dims); i++)
		if (stats_dims[i].dim == q->dim)
			form = stats_dims[i].form;
	if (form != NULL) {
		if ((f = schema_form_find(s, form)) == NULL ||
		    (fld = schema_field_find(f, q->field)) == NULL)
			return stats_def_at(err, q->path, q->gline, q->gcol,
			    _("expected a field of the %s form, found '%s'"),
			    form, q->field);
		if (fld->type == SCHEMA_DATE) {
			if (q->time == STATS_TIME_NONE)
				return stats_def_at(err, q->path, q->gline,
				    q->gcol, _("expected month, quarter or "
				    "year after the date field %s%s"),
				    q->field, "");
		} else if (q->time != STATS_TIME_NONE)
			return stats_def_at(err, q->path, q->gline, q->gcol,
			    _("expected a date field before a time unit, "
			    "found %s%s"), q->field, "");
		else if (fld->type != SCHEMA_CODE &&
		    fld->type != SCHEMA_TEXT)
			return stats_def_at(err, q->path, q->gline, q->gcol,
			    _("expected a code or text field, found %s%s"),
			    q->field, "");
		else if (fld->type == SCHEMA_TEXT && fld->size > 16)
			/* The statistics' facts leave long text out. */
			return stats_def_at(err, q->path, q->gline, q->gcol,
			    _("expected a code field or a text field of at "
			    "most 16 characters, found the longer %s%s"),
			    q->field, "");
	} else if (q->time != STATS_TIME_NONE)
		return stats_def_at(err, q->path, q->gline, q->gcol,
		    _("expected a date field before a time unit, found "
		    "%s%s"), q->dim == STATS_DIM_ROLE ? "role" : "route", "");
	if ((q->dim == STATS_DIM_PERSON || q->dim == STATS_DIM_ROLE) &&
	    q->count != STATS_PERSONS)
		return stats_def_at(err, q->path, q->gline, q->gcol,
		    _("expected 'count persons' in a query grouped by %s%s"),
		    q->dim == STATS_DIM_ROLE ? "role" : "a person's field",
		    "");
	if (q->count == STATS_PERSONS && q->nsums > 0)
		return stats_def_at(err, q->path, q->sums[0].line,
		    q->sums[0].col, _("expected no sum in a query that "
		    "counts persons%s%s"), "", "");
	if (q->compare && q->time != STATS_TIME_NONE &&
	    q->time != STATS_TIME_MONTH && q->time != STATS_TIME_QUARTER)
		return stats_def_at(err, q->path, q->gline, q->gcol,
		    _("expected months or quarters in a year-over-year "
		    "query, found %s%s"), "year", "");
	units = schema_list_find(s, "unit");
	for (i = 0; i < q->nsums; i++) {
		if (q->sums[i].unit == NULL)
			continue;
		if (units == NULL || schema_code_find(units,
		    q->sums[i].unit) == NULL)
			return stats_def_at(err, q->path, q->sums[i].line,
			    q->sums[i].col, _("expected a code of the unit "
			    "list, found '%s'%s"), q->sums[i].unit, "");
	}
	return NCEN_OK;
}

/* Check the queries against the forms and the rates against the currencies. */
int
stats_def_check(struct stats_def *def, const struct schema *s,
    struct ncen_err *err)
{
	const struct schema_codelist	*cur = schema_list_find(s,
					    "currency");
	size_t				 i;
	int				 error;

	for (i = 0; i < def->nq; i++)
		if ((error = stats_def_check_query(&def->q[i], s, err)) !=
		    NCEN_OK)
			return error;
	if (cur == NULL || def->currency == NULL)
		return NCEN_OK;
	if (schema_code_find(cur, def->currency) == NULL)
		return ncen_err_set(err, NCEN_EPARSE, _("%s: the reporting "
		    "currency %s is not in the currency list"),
		    def->rates_path, def->currency);
	for (i = 0; i < def->nrates; i++)
		if (schema_code_find(cur, def->rates[i].currency) == NULL)
			return ncen_err_set(err, NCEN_EPARSE, _("%s: %s (rate "
			    "from %s) is not in the currency list"),
			    def->rates_path, def->rates[i].currency,
			    def->rates[i].from);
	return NCEN_OK;
}

/* Read a whole file. */
static int
stats_def_read(const char *path, struct buf *b, struct ncen_err *err)
{
	char	 chunk[8192];
	size_t	 n;
	FILE	*f;
	int	 bad;

	buf_reset(b);
	if ((f = fopen(path, "r")) == NULL)
		return ncen_err_set(err, errno == ENOENT ? NCEN_ENOTFOUND :
		    NCEN_EIO, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	bad = ferror(f);
	fclose(f);
	if (bad)
		return ncen_err_set(err, NCEN_EIO, _("%s: reading failed"),
		    path);
	return NCEN_OK;
}

/* Sort names (qsort). */
static int
stats_def_namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Load every *.queries file of a forms directory (in name order) and its
 * exchange.rates (optional), and check them against the schema.
 */
int
stats_load(const char *formsdir, const struct schema *s,
    struct stats_def **out, struct ncen_err *err)
{
	struct stats_def	*def = xcalloc(1, sizeof *def);
	struct buf		 path = BUF_INIT, text = BUF_INIT;
	struct dirent		*de;
	char			**names = NULL;
	size_t			 n = 0, i, len, slen = strlen(
				    STATS_QUERIES_SUFFIX);
	DIR			*d;
	int			 error = NCEN_OK;

	*out = NULL;
	if ((d = opendir(formsdir)) == NULL) {
		error = ncen_err_set(err, NCEN_EIO, "%s: %s", formsdir,
		    strerror(errno));
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= slen ||
		    strcmp(de->d_name + len - slen, STATS_QUERIES_SUFFIX) != 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, stats_def_namecmp);
	for (i = 0; i < n && error == NCEN_OK; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", formsdir, names[i]);
		if ((error = stats_def_read(path.s, &text, err)) == NCEN_OK)
			error = stats_queries_parse(path.s, text.s, text.len,
			    def, err);
	}
	if (error != NCEN_OK)
		goto out;
	if (def->nq == 0) {
		error = ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no *.queries "
		    "file (the predefined statistics)"), formsdir);
		goto out;
	}
	buf_reset(&path);
	buf_addf(&path, "%s/%s", formsdir, STATS_RATES_FILE);
	if ((error = stats_def_read(path.s, &text, err)) == NCEN_OK)
		error = stats_rates_parse(path.s, text.s, text.len, def, err);
	else if (error == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		error = NCEN_OK;
	}
	if (error == NCEN_OK)
		error = stats_def_check(def, s, err);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&path);
	buf_free(&text);
	if (error != NCEN_OK)
		stats_def_free(def);
	else
		*out = def;
	return error;
}

/* Release a def. */
void
stats_def_free(struct stats_def *def)
{
	size_t	i;

	if (def == NULL)
		return;
	for (i = 0; i < def->nq; i++)
		stats_query_clear(&def->q[i]);
	free(def->q);
	stats_rates_clear(def);
	free(def);
}

/* A query by name, or NULL. */
const struct stats_query *
stats_query_find(const struct stats_def *def, const char *name)
{
	size_t	i;

	for (i = 0; i < def->nq; i++)
		if (strcmp(def->q[i].name, name) == 0)
			return &def->q[i];
	return NULL;
}
