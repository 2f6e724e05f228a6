/*
 * stats-run.c - run a predefined query: one walk of the cases (filters,
 * the case's categories), one of the seizure lines (the commodity
 * filter, counts and sums), and for the persons one of the cases' links
 * (and one of the persons when a person's field is grouped by).  Each
 * walk reads the statistics' facts (store-fact.c: a short row per
 * record with only the fields statistics use, kept by every change) in
 * bulk, in id order, and each field by its column; the facts are built
 * first if the data directory has none yet.  Units and rates are applied
 * here, so that changing them needs no rebuild.
 *
 * A case counts once in each category it has a line in (or, for a
 * case's own field without a commodity filter, in its categories even
 * with no line); a person once in each category; a seizure line once in
 * each category it belongs to.  The totals count each once overall.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "stats.h"
#include "store.h"
#include "xmalloc.h"

#define STATS_NONE	"(none)"		/* the category of an empty field */
#define STATS_NOIDX	UINT32_MAX
#define STATS_TCACHE	1024		/* months whose category is kept */

/* The fields a run reads, by their column in the facts. */
enum stats_col {
	SC_DATE, SC_DIRECTION, SC_STATUS, SC_OFFICE, SC_DEPARTURE,
	SC_TRANSIT, SC_DESTINATION, SC_CFIELD,
	SS_CASE, SS_COMMODITY, SS_TYPE, SS_QUANTITY, SS_UNIT, SS_VALUE,
	SS_CURRENCY, SS_SFIELD,
	SP_PFIELD,
	SC_NCOLS
};

/* Each of them: its form and field (NULL: the query's own field). */
static const struct {
	const char	*form;
	const char	*field;
} stats_cols[SC_NCOLS] = {
	{ "case", "date" }, { "case", "direction" }, { "case", "status" },
	{ "case", "office" }, { "case", "departure" }, { "case", "transit" },
	{ "case", "destination" }, { "case", NULL },
	{ "seizure", "case" }, { "seizure", "commodity" },
	{ "seizure", "commodity_type" }, { "seizure", "quantity" },
	{ "seizure", "unit" }, { "seizure", "value" },
	{ "seizure", "currency" }, { "seizure", NULL },
	{ "person", NULL },
};

/* Interned category codes, by open addressing. */
struct stats_cats {
	char		**code;
	size_t		 n, cap;
	uint32_t	*slot;		/* index + 1, 0: free */
	size_t		 nslot;
};

/* A (category, slot, thing) pair, for counting things once. */
struct stats_pair {
	uint32_t	 cat;
	uint32_t	 slot;
	uint64_t	 what;
};

/* A unit of the unit list: the code it converts to and its factor. */
struct stats_unit {
	const char	*code;
	uint32_t	 base;		/* index in the list */
	int64_t		 micro;		/* one of it, in 10^-6 of base */
};

struct stats_ctx {
	struct store		*st;
	const struct schema	*s;
	const struct stats_def	*def;
	const struct stats_query *q;
	const struct stats_filter *f;
	struct ncen_err		*err;
	struct store_fact_view	 view;
	int			 col[SC_NCOLS];
	size_t			 ncols[3];	/* case, seizure, person: the
						   columns a row is read to */
	int			 narrow[3];	/* narrow rows are enough */
	size_t			 lastci;	/* the last case found */
	struct stats_cats	 cats;
	/* Figures: 2 per category, nsums sums and unsummed counts each. */
	struct stats_fig	*figs;
	size_t			 nfigs;
	__int128		*sums;
	uint64_t		*unsummed;
	struct stats_fig	 total[2];
	/* The cases that pass, in id order. */
	uint64_t		*ids;
	uint32_t		*date;		/* YYYYMMDD */
	unsigned char		*slot;		/* 0, 1; 2: out */
	unsigned char		*matched;	/* has a line that counts */
	uint32_t		*coff;		/* their categories: cats[coff] */
	uint32_t		*ccat;
	size_t			 ncases, capcases, nccat, capccat;
	/* Persons grouped by their own field: ids and categories. */
	uint64_t		*pids;
	uint32_t		*poff, *pcat;
	size_t			 npers, nprcat, cappers, capprcat;
	/* Per case lines and sums (person categories count by case). */
	uint64_t		*clines;
	__int128		*csums;
	uint64_t		*cuns;
	/* Pairs counted once at the end. */
	struct stats_pair	*cpairs, *ppairs;
	size_t			 ncp, capcp, npp, cappp;
	uint32_t		*stamp;		/* last case + 1 per cat, slot */
	/* Units and the sums' units. */
	const struct schema_codelist *units;
	struct stats_unit	*unit;
	uint32_t		*sumbase;	/* per sum: base unit, or NOIDX */
	uint32_t		 tkey[STATS_TCACHE], tcat[STATS_TCACHE];
	const struct schema_code *lastunit;	/* stats_unit_of's memory */
	size_t			 lastunitlen;
	struct stats_rate	*rates;		/* copies with use counts */
	uint32_t		*ratefrom;
	/* Period and its previous year (compare). */
	uint32_t		 from, to, pfrom, pto;
	int			 year;
};

/* FNV-1a of a string. */
static uint64_t
stats_hash(const char *s, size_t len)
{
	uint64_t	h = 1469598103934665603ULL;
	size_t		i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Grow the figures to the number of categories. */
static void
stats_figs_grow(struct stats_ctx *c)
{
	size_t	old = c->nfigs, i, ns = c->q->nsums;

	if (c->cats.n <= old)
		return;
	c->nfigs = c->cats.cap;
	c->figs = xreallocarray(c->figs, c->nfigs * 2, sizeof *c->figs);
	c->sums = xreallocarray(c->sums, c->nfigs * 2 * (ns + 1),
	    sizeof *c->sums);
	c->unsummed = xreallocarray(c->unsummed, c->nfigs * 2 * (ns + 1),
	    sizeof *c->unsummed);
	c->stamp = xreallocarray(c->stamp, c->nfigs * 2, sizeof *c->stamp);
	memset(c->figs + old * 2, 0, (c->nfigs - old) * 2 * sizeof *c->figs);
	memset(c->sums + old * 2 * (ns + 1), 0, (c->nfigs - old) * 2 *
	    (ns + 1) * sizeof *c->sums);
	memset(c->unsummed + old * 2 * (ns + 1), 0, (c->nfigs - old) * 2 *
	    (ns + 1) * sizeof *c->unsummed);
	memset(c->stamp + old * 2, 0, (c->nfigs - old) * 2 *
	    sizeof *c->stamp);
	for (i = 0; i < c->nfigs * 2; i++) {
		c->figs[i].sum = c->sums + i * (ns + 1);
		c->figs[i].unsummed = c->unsummed + i * (ns + 1);
	}
}

/* The index of a category code, made on first sight. */
static uint32_t
stats_cat(struct stats_ctx *c, const char *s, size_t len)
{
	struct stats_cats	*m = &c->cats;
	size_t			 i, j;
	uint32_t		 k;

	if (len == 0) {
		s = STATS_NONE;
		len = strlen(STATS_NONE);
	}
	if (m->nslot == 0 || (m->n + 1) * 2 > m->nslot) {
		size_t	nslot = m->nslot == 0 ? 64 : m->nslot * 2;

		free(m->slot);
		m->slot = xcalloc(nslot, sizeof *m->slot);
		m->nslot = nslot;
		for (i = 0; i < m->n; i++) {
			j = stats_hash(m->code[i], strlen(m->code[i])) &
			    (nslot - 1);
			while (m->slot[j] != 0)
				j = (j + 1) & (nslot - 1);
			m->slot[j] = (uint32_t)i + 1;
		}
	}
	j = stats_hash(s, len) & (m->nslot - 1);
	while ((k = m->slot[j]) != 0) {
		if (strlen(m->code[k - 1]) == len &&
		    memcmp(m->code[k - 1], s, len) == 0)
			return k - 1;
		j = (j + 1) & (m->nslot - 1);
	}
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 32 : m->cap * 2;
		m->code = xreallocarray(m->code, m->cap, sizeof *m->code);
	}
	m->code[m->n] = xstrndup(s, len);
	m->slot[j] = (uint32_t)m->n + 1;
	m->n++;
	stats_figs_grow(c);
	return (uint32_t)m->n - 1;
}

/* A decimal text as an integer of 10^-scale units; 0 if it is not one. */
static int
stats_dec(const char *s, size_t len, unsigned scale, int64_t *v)
{
	int64_t		 n = 0;
	size_t		 i = 0;
	unsigned	 dec = 0;
	int		 neg = 0, dot = 0, digits = 0;

	if (len > 0 && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	for (; i < len; i++) {
		if (s[i] == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (s[i] < '0' || s[i] > '9' || n > INT64_MAX / 100)
			return 0;
		if (dot && dec == scale)
			continue;	/* more decimals than the scale */
		n = n * 10 + (s[i] - '0');
		dec += (unsigned)dot;
		digits++;
	}
	if (digits == 0)
		return 0;
	for (; dec < scale; dec++)
		n *= 10;
	*v = neg ? -n : n;
	return 1;
}

/* A date YYYY-MM-DD as YYYYMMDD, 0 if it is not one. */
static uint32_t
stats_date(const char *s, size_t len)
{
	uint32_t	v = 0;
	size_t		i;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7)
			continue;
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(s[i] - '0');
	}
	return v;
}

/* What a value walk collects: the first value, or all of them. */
struct stats_vals {
	const char	*s[16];
	size_t		 len[16];
	size_t		 n;
};

/* Collect one value (record_view_field's fn). */
static void
stats_val(const char *s, size_t len, void *arg)
{
	struct stats_vals	*v = arg;

	if (v->n < 16) {
		v->s[v->n] = s;
		v->len[v->n] = len;
		v->n++;
	}
}

/* The values of a field of the row in view. */
static void
stats_get(struct stats_ctx *c, enum stats_col which, struct stats_vals *v)
{
	int		col = c->col[which];
	uint32_t	i;

	v->n = 0;
	if (col < 0)
		return;
	for (i = c->view.first[col]; i < c->view.first[col + 1]; i++)
		stats_val(c->view.s[i], c->view.len[i], v);
}

/* Whether a value of a field equals w (w NULL or "": any). */
static int
stats_is(struct stats_ctx *c, enum stats_col field, const char *w)
{
	struct stats_vals	v;
	size_t			i;

	if (w == NULL || *w == '\0')
		return 1;
	stats_get(c, field, &v);
	for (i = 0; i < v.n; i++)
		if (v.len[i] == strlen(w) && memcmp(v.s[i], w, v.len[i]) == 0)
			return 1;
	return 0;
}

/* The time category of a date (compare: without the year). */
static void
stats_time_key(const struct stats_ctx *c, uint32_t d, struct buf *b)
{
	unsigned	y = d / 10000, m = d / 100 % 100;

	buf_reset(b);
	switch (c->q->time) {
	case STATS_TIME_MONTH:
		if (c->q->compare)
			buf_addf(b, "%02u", m);
		else
			buf_addf(b, "%04u-%02u", y, m);
		break;
	case STATS_TIME_QUARTER:
		if (c->q->compare)
			buf_addf(b, "Q%u", (m + 2) / 3);
		else
			buf_addf(b, "%04u-Q%u", y, (m + 2) / 3);
		break;
	default:
		buf_addf(b, "%04u", y);
		break;
	}
}

/* Add the categories of the case in view to the case table. */
static void
stats_case_cats(struct stats_ctx *c, uint32_t d)
{
	struct stats_vals	v, t;
	struct buf		b = BUF_INIT;
	size_t			i;
	uint32_t		k;

	if (c->nccat + 20 > c->capccat) {
		c->capccat = c->capccat == 0 ? 4096 : c->capccat * 2;
		c->ccat = xreallocarray(c->ccat, c->capccat, sizeof *c->ccat);
	}
	if (c->q->dim == STATS_DIM_ROUTE) {
		stats_get(c, SC_DEPARTURE, &v);
		buf_add(&b, v.n ? v.s[0] : "?", v.n ? v.len[0] : 1);
		stats_get(c, SC_TRANSIT, &t);
		for (i = 0; i < t.n; i++) {
			buf_addc(&b, '>');
			buf_add(&b, t.s[i], t.len[i]);
		}
		stats_get(c, SC_DESTINATION, &v);
		buf_addc(&b, '>');
		buf_add(&b, v.n ? v.s[0] : "?", v.n ? v.len[0] : 1);
		c->ccat[c->nccat++] = stats_cat(c, b.s, b.len);
	} else if (c->q->time != STATS_TIME_NONE) {
		/* A month's category, made once (YYYYMM + 1 at its slot). */
		k = (d / 100) % STATS_TCACHE;
		if (c->tkey[k] != d / 100 + 1) {
			stats_time_key(c, d, &b);
			c->tkey[k] = d / 100 + 1;
			c->tcat[k] = stats_cat(c, b.s, b.len);
		}
		c->ccat[c->nccat++] = c->tcat[k];
	} else {
		stats_get(c, SC_CFIELD, &v);
		if (v.n == 0)
			c->ccat[c->nccat++] = stats_cat(c, "", 0);
		for (i = 0; i < v.n; i++)
			c->ccat[c->nccat++] = stats_cat(c, v.s[i], v.len[i]);
	}
	buf_free(&b);
}

/* The period a date falls in: 0 the period, 1 the year before, 2 none. */
static unsigned char
stats_period(const struct stats_ctx *c, uint32_t d)
{
	if (d >= c->from && d <= c->to)
		return 0;
	if (c->q->compare && d >= c->pfrom && d <= c->pto)
		return 1;
	return 2;
}

/* One stored case: filters, then remember it (store_raw_fn). */
static int
stats_case_fn(uint64_t id, const void *data, size_t size, void *arg)
{
	struct stats_ctx	*c = arg;
	const struct stats_filter *f = c->f;
	struct stats_vals	 v;
	uint32_t		 d;
	size_t			 i;

	if (store_fact_view_parse(&c->view, c->ncols[0], data, size) !=
	    NCEN_OK)
		return ncen_err_set(c->err, NCEN_EPARSE, _("case %llu: "
		    "malformed statistics' facts"), (unsigned long long)id);
	stats_get(c, SC_DATE, &v);
	d = v.n ? stats_date(v.s[0], v.len[0]) : 0;
	if (!c->q->compare && stats_period(c, d) != 0)
		return 0;
	if (!stats_is(c, SC_DIRECTION, f->direction) ||
	    !stats_is(c, SC_STATUS, f->status))
		return 0;
	if (f->noffices > 0) {
		for (i = 0; i < f->noffices; i++)
			if (stats_is(c, SC_OFFICE, f->offices[i]))
				break;
		if (i == f->noffices)
			return 0;
	}
	if (c->ncases == c->capcases) {
		c->capcases = c->capcases == 0 ? 4096 : c->capcases * 2;
		c->ids = xreallocarray(c->ids, c->capcases, sizeof *c->ids);
		c->date = xreallocarray(c->date, c->capcases,
		    sizeof *c->date);
		c->coff = xreallocarray(c->coff, c->capcases + 1,
		    sizeof *c->coff);
	}
	c->ids[c->ncases] = id;
	c->date[c->ncases] = d;
	c->coff[c->ncases] = (uint32_t)c->nccat;
	if (c->q->dim == STATS_DIM_CASE || c->q->dim == STATS_DIM_ROUTE)
		stats_case_cats(c, d);
	c->ncases++;
	c->coff[c->ncases] = (uint32_t)c->nccat;
	return 0;
}

/* The index of a passing case by id, or -1. */
static long
stats_case_find(struct stats_ctx *c, uint64_t id)
{
	size_t	lo = 0, hi = c->ncases, mid;

	/* Lines mostly follow their case: try where the last one was. */
	for (mid = c->lastci; mid < c->lastci + 2 && mid < c->ncases; mid++)
		if (c->ids[mid] == id) {
			c->lastci = mid;
			return c->slot[mid] < 2 ? (long)mid : -1;
		}
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c->ids[mid] == id) {
			c->lastci = mid;
			return c->slot[mid] < 2 ? (long)mid : -1;
		}
		if (c->ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Remember a (category, slot, thing) pair, skipping a repeat in a row. */
static void
stats_pair(struct stats_pair **v, size_t *n, size_t *cap, uint32_t cat,
    unsigned slot, uint64_t what)
{
	if (*n > 0 && (*v)[*n - 1].cat == cat && (*v)[*n - 1].slot == slot &&
	    (*v)[*n - 1].what == what)
		return;
	if (*n == *cap) {
		*cap = *cap == 0 ? 4096 : *cap * 2;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].cat = cat;
	(*v)[*n].slot = slot;
	(*v)[*n].what = what;
	(*n)++;
}

/* A case in a category: counted once at the end. */
static void
stats_case_in(struct stats_ctx *c, uint32_t cat, size_t ci)
{
	unsigned	slot = c->slot[ci];

	if (c->stamp[cat * 2 + slot] == ci + 1)
		return;
	c->stamp[cat * 2 + slot] = (uint32_t)ci + 1;
	stats_pair(&c->cpairs, &c->ncp, &c->capcp, cat, slot, ci);
}

/* The latest rate of a currency in force on a date, or NULL. */
static struct stats_rate *
stats_rate(struct stats_ctx *c, const char *cur, size_t len, uint32_t d)
{
	struct stats_rate	*best = NULL;
	size_t			 i;

	for (i = 0; i < c->def->nrates; i++) {
		if (strlen(c->rates[i].currency) != len ||
		    memcmp(c->rates[i].currency, cur, len) != 0)
			continue;
		if (c->ratefrom[i] <= d)
			best = &c->rates[i];
	}
	return best;
}

/* The unit of a line's code, remembered from the line before. */
static const struct schema_code *
stats_unit_of(struct stats_ctx *c, const char *s, size_t len)
{
	char	code[40];

	if (len >= sizeof code)
		return NULL;
	if (c->lastunit != NULL && len == c->lastunitlen &&
	    memcmp(s, c->lastunit->code, len) == 0)
		return c->lastunit;
	memcpy(code, s, len);
	code[len] = '\0';
	if ((c->lastunit = schema_code_find(c->units, code)) != NULL)
		c->lastunitlen = len;
	return c->lastunit;
}

/* What a seizure line adds to each of the ns sums; done[i] 0: not added. */
static void
stats_line_sums(struct stats_ctx *c, uint32_t d, size_t ns, __int128 *add,
    int *done)
{
	const struct schema_code	*u = NULL;
	struct stats_vals		 q, un, val, cur;
	struct stats_rate		*r = NULL;
	int64_t				 qn = 0, vn = 0;
	size_t				 i;
	int				 qok, vok, home = 0;

	stats_get(c, SS_QUANTITY, &q);
	stats_get(c, SS_UNIT, &un);
	stats_get(c, SS_VALUE, &val);
	stats_get(c, SS_CURRENCY, &cur);
	/* Each value parsed and looked up once, whatever the sums. */
	qok = q.n != 0 && stats_dec(q.s[0], q.len[0], 3, &qn);
	if (qok && un.n != 0 && c->units != NULL)
		u = stats_unit_of(c, un.s[0], un.len[0]);
	vok = val.n != 0 && stats_dec(val.s[0], val.len[0], 2, &vn);
	if (vok && cur.n != 0) {
		home = c->def->currency != NULL && cur.len[0] == 3 &&
		    memcmp(cur.s[0], c->def->currency, 3) == 0;
		if (!home)
			r = stats_rate(c, cur.s[0], cur.len[0], d);
	}
	for (i = 0; i < ns; i++) {
		add[i] = 0;
		done[i] = -1;		/* nothing to add */
		if (c->q->sums[i].unit != NULL) {
			if (!qok)
				continue;
			done[i] = 0;
			if (u == NULL || c->unit[u - c->units->codes].base !=
			    c->sumbase[i])
				continue;
			add[i] = (__int128)qn *
			    c->unit[u - c->units->codes].micro;
			done[i] = 1;
		} else {
			if (!vok)
				continue;
			done[i] = 0;
			if (home) {
				add[i] = (__int128)vn * 1000000;
				done[i] = 1;
			} else if (r != NULL) {
				add[i] = (__int128)vn * r->micro;
				r->used++;
				done[i] = 1;
			}
		}
	}
}

/* Add a line's sums to figures. */
static void
stats_fig_add(struct stats_fig *g, size_t ns, const __int128 *add,
    const int *done)
{
	size_t	i;

	g->seizures++;
	for (i = 0; i < ns; i++) {
		if (done[i] == 1)
			g->sum[i] += add[i];
		else if (done[i] == 0)
			g->unsummed[i]++;
	}
}

/* One stored seizure line (store_raw_fn). */
static int
stats_seizure_fn(uint64_t id, const void *data, size_t size, void *arg)
{
	struct stats_ctx	*c = arg;
	struct stats_vals	 v;
	__int128		 add[16];
	int			 done[16];
	uint32_t		 cat;
	uint64_t		 cid;
	unsigned		 slot;
	long			 ci;
	size_t			 i, ns = c->q->nsums;

	if (store_fact_view_parse(&c->view, c->ncols[1], data, size) !=
	    NCEN_OK)
		return ncen_err_set(c->err, NCEN_EPARSE, _("seizure %llu: "
		    "malformed statistics' facts"), (unsigned long long)id);
	stats_get(c, SS_CASE, &v);
	if (v.n == 0 || v.len[0] > 19)
		return 0;
	/* A reference is a decimal id (schema-validate.c). */
	for (i = 0, cid = 0; i < v.len[0] && v.s[0][i] >= '0' &&
	    v.s[0][i] <= '9'; i++)
		cid = cid * 10 + (uint64_t)(v.s[0][i] - '0');
	if (i != v.len[0])
		return 0;
	if ((ci = stats_case_find(c, cid)) < 0)
		return 0;
	if (c->f->commodity != NULL && *c->f->commodity != '\0' &&
	    !stats_is(c, SS_COMMODITY, c->f->commodity) &&
	    !stats_is(c, SS_TYPE, c->f->commodity))
		return 0;
	slot = c->slot[ci];
	c->matched[ci] = 1;
	stats_line_sums(c, c->date[ci], ns, add, done);
	stats_fig_add(&c->total[slot], ns, add, done);
	switch (c->q->dim) {
	case STATS_DIM_SEIZURE:
		stats_get(c, SS_SFIELD, &v);
		if (v.n == 0)
			stats_val("", 0, &v);
		for (i = 0; i < v.n; i++) {
			cat = stats_cat(c, v.s[i], v.len[i]);
			stats_fig_add(&c->figs[cat * 2 + slot], ns, add,
			    done);
			stats_case_in(c, cat, (size_t)ci);
		}
		break;
	case STATS_DIM_CASE:
	case STATS_DIM_ROUTE:
		for (i = c->coff[ci]; i < c->coff[ci + 1]; i++) {
			cat = c->ccat[i];
			stats_fig_add(&c->figs[cat * 2 + slot], ns, add,
			    done);
			stats_case_in(c, cat, (size_t)ci);
		}
		break;
	default:
		c->clines[ci]++;
		break;
	}
	return 0;
}

/* One stored person: remember its categories (store_raw_fn). */
static int
stats_person_fn(uint64_t id, const void *data, size_t size, void *arg)
{
	struct stats_ctx	*c = arg;
	struct stats_vals	 v;
	size_t			 i;

	if (store_fact_view_parse(&c->view, c->ncols[2], data, size) !=
	    NCEN_OK)
		return ncen_err_set(c->err, NCEN_EPARSE, _("person %llu: "
		    "malformed statistics' facts"), (unsigned long long)id);
	stats_get(c, SP_PFIELD, &v);
	if (v.n == 0)
		stats_val("", 0, &v);
	if (c->npers + 2 > c->cappers) {
		c->cappers = c->cappers == 0 ? 4096 : c->cappers * 2;
		c->pids = xreallocarray(c->pids, c->cappers, sizeof *c->pids);
		c->poff = xreallocarray(c->poff, c->cappers, sizeof *c->poff);
	}
	if (c->nprcat + v.n > c->capprcat) {
		c->capprcat = c->capprcat == 0 ? 4096 : c->capprcat * 2;
		if (c->capprcat < c->nprcat + v.n)
			c->capprcat = c->nprcat + v.n;
		c->pcat = xreallocarray(c->pcat, c->capprcat,
		    sizeof *c->pcat);
	}
	c->pids[c->npers] = id;
	c->poff[c->npers] = (uint32_t)c->nprcat;
	for (i = 0; i < v.n; i++)
		c->pcat[c->nprcat++] = stats_cat(c, v.s[i], v.len[i]);
	c->npers++;
	c->poff[c->npers] = (uint32_t)c->nprcat;
	return 0;
}

/* A person and a case in a category. */
static void
stats_person_in(struct stats_ctx *c, uint32_t cat, size_t ci, uint64_t pid)
{
	stats_pair(&c->cpairs, &c->ncp, &c->capcp, cat, c->slot[ci], ci);
	stats_pair(&c->ppairs, &c->npp, &c->cappp, cat, c->slot[ci], pid);
}

/* One link of a case (store_links_raw_fn). */
static int
stats_link_fn(uint64_t id, const struct store_link *l, void *arg)
{
	struct stats_ctx	*c = arg;
	size_t			 lo = 0, hi = c->npers, mid, i;
	long			 ci;
	int			 nofilter;

	if (strcmp(l->entity, "person") != 0 ||
	    (ci = stats_case_find(c, id)) < 0)
		return 0;
	nofilter = c->f->commodity == NULL || *c->f->commodity == '\0';
	if (!nofilter && !c->matched[ci])
		return 0;
	stats_pair(&c->ppairs, &c->npp, &c->cappp, UINT32_MAX, c->slot[ci],
	    l->id);
	switch (c->q->dim) {
	case STATS_DIM_ROLE:
		stats_person_in(c, stats_cat(c, l->role, strlen(l->role)),
		    (size_t)ci, l->id);
		break;
	case STATS_DIM_PERSON:
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (c->pids[mid] < l->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == c->npers || c->pids[lo] != l->id)
			return 0;
		for (i = c->poff[lo]; i < c->poff[lo + 1]; i++)
			stats_person_in(c, c->pcat[i], (size_t)ci, l->id);
		break;
	default:
		for (i = c->coff[ci]; i < c->coff[ci + 1]; i++)
			stats_person_in(c, c->ccat[i], (size_t)ci, l->id);
		break;
	}
	return 0;
}

/* Order pairs (qsort). */
static int
stats_pair_cmp(const void *a, const void *b)
{
	const struct stats_pair	*x = a, *y = b;

	if (x->cat != y->cat)
		return x->cat < y->cat ? -1 : 1;
	if (x->slot != y->slot)
		return x->slot < y->slot ? -1 : 1;
	return x->what < y->what ? -1 : x->what > y->what;
}

/*
 * Count distinct (category, slot, person) pairs when person ids are not
 * too far apart: bucket by category and slot (a counting sort), then a
 * stamp per person id drops a person already counted in the bucket.
 * 0 if the ids are too large for that (then qsort does it).
 */
static int
stats_persons_count(struct stats_ctx *c, const struct stats_pair *v,
    size_t n)
{
	struct stats_fig	*g;
	struct stats_pair	*w;
	uint32_t		*at, *stamp, b;
	uint64_t		 maxid = 0;
	size_t			 i, nb = c->nfigs * 2 + 2;

	for (i = 0; i < n; i++)
		if (v[i].what > maxid)
			maxid = v[i].what;
	if (maxid > 64 * 1024 * 1024 || maxid > 4 * (uint64_t)n + 1024)
		return 0;
	at = xcalloc(nb + 1, sizeof *at);
	for (i = 0; i < n; i++) {
		b = v[i].cat == UINT32_MAX ? (uint32_t)(nb - 2) + v[i].slot :
		    v[i].cat * 2 + v[i].slot;
		at[b + 1]++;
	}
	for (i = 1; i <= nb; i++)
		at[i] += at[i - 1];
	w = xreallocarray(NULL, n + 1, sizeof *w);
	for (i = 0; i < n; i++) {
		b = v[i].cat == UINT32_MAX ? (uint32_t)(nb - 2) + v[i].slot :
		    v[i].cat * 2 + v[i].slot;
		w[at[b]++] = v[i];
	}
	stamp = xcalloc(maxid + 1, sizeof *stamp);
	for (i = 0, b = 0; i < n; i++) {
		if (i == 0 || w[i].cat != w[i - 1].cat ||
		    w[i].slot != w[i - 1].slot)
			b++;
		if (stamp[w[i].what] == b)
			continue;
		stamp[w[i].what] = b;
		g = w[i].cat == UINT32_MAX ? &c->total[w[i].slot] :
		    &c->figs[w[i].cat * 2 + w[i].slot];
		g->persons++;
	}
	free(stamp);
	free(w);
	free(at);
	return 1;
}

/* Count distinct pairs into the figures (cases or persons). */
static void
stats_pairs_count(struct stats_ctx *c, struct stats_pair *v, size_t n,
    int persons)
{
	size_t	i;

	if (persons && stats_persons_count(c, v, n))
		return;
	if (n > 1)
		qsort(v, n, sizeof *v, stats_pair_cmp);
	for (i = 0; i < n; i++) {
		struct stats_fig	*g;

		if (i > 0 && stats_pair_cmp(&v[i - 1], &v[i]) == 0)
			continue;
		g = v[i].cat == UINT32_MAX ? &c->total[v[i].slot] :
		    &c->figs[v[i].cat * 2 + v[i].slot];
		if (persons)
			g->persons++;
		else
			g->cases++;
	}
}

/*
 * Leave each (category, slot, case) pair once: bucket the pairs by case
 * (a counting sort, linear where qsort was the run's largest cost), then
 * within a case drop a (category, slot) already seen for it.
 */
static void
stats_case_pairs_unique(struct stats_ctx *c)
{
	struct stats_pair	*v;
	uint32_t		*at;
	size_t			 i, n = 0, k;

	at = xcalloc(c->ncases + 2, sizeof *at);
	for (i = 0; i < c->ncp; i++)
		at[c->cpairs[i].what + 1]++;
	for (i = 1; i <= c->ncases + 1; i++)
		at[i] += at[i - 1];
	v = xreallocarray(NULL, c->ncp + 1, sizeof *v);
	for (i = 0; i < c->ncp; i++)
		v[at[c->cpairs[i].what]++] = c->cpairs[i];
	if (c->stamp != NULL)
		memset(c->stamp, 0, c->nfigs * 2 * sizeof *c->stamp);
	/* A pair names a category, so there are stamps whenever pairs. */
	for (i = 0; c->stamp != NULL && i < c->ncp; i++) {
		k = v[i].cat * 2 + v[i].slot;
		if (c->stamp[k] == v[i].what + 1)
			continue;
		c->stamp[k] = (uint32_t)v[i].what + 1;
		v[n++] = v[i];
	}
	free(c->cpairs);
	free(at);
	c->cpairs = v;
	c->ncp = n;
	c->capcp = c->ncp + 1;
}

/* The units' bases and factors, and each quantity sum's base. */
static int
stats_units(struct stats_ctx *c)
{
	const struct schema_code	*b, *u;
	size_t				 i;
	int64_t				 m;

	c->units = schema_list_find(c->s, "unit");
	c->sumbase = xcalloc(c->q->nsums + 1, sizeof *c->sumbase);
	if (c->units == NULL)
		return NCEN_OK;
	c->unit = xcalloc(c->units->ncodes, sizeof *c->unit);
	for (i = 0; i < c->units->ncodes; i++) {
		u = &c->units->codes[i];
		c->unit[i].code = u->code;
		c->unit[i].base = (uint32_t)i;
		c->unit[i].micro = 1000000;
		if (u->base == NULL ||
		    (b = schema_code_find(c->units, u->base)) == NULL)
			continue;
		if (!stats_dec(u->factor, strlen(u->factor), 6, &m) || m <= 0)
			return ncen_err_set(c->err, NCEN_EPARSE, _("%s: unit %s: "
			    "a factor of at most 6 decimals, below 10^12, "
			    "is needed"), c->units->path, u->code);
		c->unit[i].base = (uint32_t)(b - c->units->codes);
		c->unit[i].micro = m;
	}
	for (i = 0; i < c->q->nsums; i++) {
		c->sumbase[i] = STATS_NOIDX;
		if (c->q->sums[i].unit != NULL && (u = schema_code_find(
		    c->units, c->q->sums[i].unit)) != NULL)
			c->sumbase[i] = c->unit[u - c->units->codes].base;
	}
	return NCEN_OK;
}

/* Whether a filter is not set. */
static int
stats_unset(const char *w)
{
	return w == NULL || *w == '\0';
}

/* The column of each field the run reads (-1: none). */
static void
stats_columns(struct stats_ctx *c)
{
	static const char *const forms[3] = { "case", "seizure", "person" };
	const char	*field, *want[SC_NCOLS];
	size_t		 i, j;

	for (i = 0; i < SC_NCOLS; i++) {
		field = stats_cols[i].field;
		if (field == NULL && ((i == SC_CFIELD && c->q->dim ==
		    STATS_DIM_CASE) || (i == SS_SFIELD && c->q->dim ==
		    STATS_DIM_SEIZURE) || (i == SP_PFIELD && c->q->dim ==
		    STATS_DIM_PERSON)))
			field = c->q->field;
		/* Sums and filters only when asked for. */
		if ((i >= SS_QUANTITY && i <= SS_CURRENCY && c->q->nsums ==
		    0) || ((i == SS_COMMODITY || i == SS_TYPE) &&
		    stats_unset(c->f->commodity)) || (i == SC_DIRECTION &&
		    stats_unset(c->f->direction)) || (i == SC_STATUS &&
		    stats_unset(c->f->status)) || (i == SC_OFFICE &&
		    c->f->noffices == 0) || (i >= SC_DEPARTURE &&
		    i <= SC_DESTINATION && c->q->dim != STATS_DIM_ROUTE))
			field = NULL;
		want[i] = field;
	}
	/* A form's narrow rows when they hold every field it needs. */
	for (j = 0; j < 3; j++)
		c->narrow[j] = 1;
	for (i = 0; i < SC_NCOLS; i++)
		for (j = 0; j < 3; j++)
			if (want[i] != NULL && strcmp(stats_cols[i].form,
			    forms[j]) == 0 && store_fact_col(c->st, forms[j], 1,
			    want[i]) < 0)
				c->narrow[j] = 0;
	for (i = 0; i < SC_NCOLS; i++) {
		c->col[i] = -1;
		for (j = 0; j < 3; j++)
			if (want[i] != NULL && strcmp(stats_cols[i].form,
			    forms[j]) == 0)
				c->col[i] = store_fact_col(c->st, forms[j],
				    c->narrow[j], want[i]);
		/* Read each row only as far as its last column used. */
		for (j = 0; j < 3; j++)
			if (c->col[i] >= 0 && strcmp(stats_cols[i].form,
			    forms[j]) == 0 && (size_t)c->col[i] + 1 >
			    c->ncols[j])
				c->ncols[j] = (size_t)c->col[i] + 1;
	}
}

/* The period from the filter, and for compare the year before. */
static void
stats_periods(struct stats_ctx *c)
{
	uint32_t	d;
	size_t		i;

	c->from = c->f->from != NULL && *c->f->from != '\0' ?
	    stats_date(c->f->from, strlen(c->f->from)) : 0;
	c->to = c->f->to != NULL && *c->f->to != '\0' ?
	    stats_date(c->f->to, strlen(c->f->to)) : 99991231;
	if (!c->q->compare)
		return;
	if (c->f->to != NULL && *c->f->to != '\0')
		c->year = (int)(c->to / 10000);
	else if (c->from != 0)
		c->year = (int)(c->from / 10000);
	else {
		for (i = 0, d = 0; i < c->ncases; i++)
			if (c->date[i] > d)
				d = c->date[i];
		c->year = (int)(d / 10000);
	}
	if (c->from == 0)
		c->from = (uint32_t)c->year * 10000 + 101;
	if (c->f->to == NULL || *c->f->to == '\0')
		c->to = (uint32_t)c->year * 10000 + 1231;
	c->pfrom = c->from - 10000;
	c->pto = c->to - 10000;
}

/* Order of the rows: by time, or by the main figure then code. */
static const struct stats_result *stats_sort_res;

/* Compare rows (qsort). */
static int
stats_row_cmp(const void *a, const void *b)
{
	const struct stats_row	*x = a, *y = b;
	uint64_t		 mx, my;

	if (stats_sort_res->q->time == STATS_TIME_NONE) {
		mx = stats_main(stats_sort_res, x, 0);
		my = stats_main(stats_sort_res, y, 0);
		if (mx != my)
			return mx > my ? -1 : 1;
	}
	return strcmp(x->code, y->code);
}

/* The label of a category code, from the field's code list. */
static const char *
stats_label(const struct stats_ctx *c, const char *code,
    enum schema_lang lang)
{
	const struct schema_form	*f = NULL;
	const struct schema_field	*fld;
	const struct schema_codelist	*l;
	const struct schema_code	*k;

	if (c->q->dim == STATS_DIM_ROLE)
		l = schema_list_find(c->s, "role");
	else {
		if (c->q->dim == STATS_DIM_SEIZURE)
			f = schema_form_find(c->s, "seizure");
		else if (c->q->dim == STATS_DIM_CASE)
			f = schema_form_find(c->s, "case");
		else if (c->q->dim == STATS_DIM_PERSON)
			f = schema_form_find(c->s, "person");
		if (f == NULL || c->q->time != STATS_TIME_NONE ||
		    (fld = schema_field_find(f, c->q->field)) == NULL ||
		    fld->type != SCHEMA_CODE)
			return NULL;
		l = schema_list_find(c->s, fld->target);
	}
	if (l == NULL || (k = schema_code_find(l, code)) == NULL)
		return NULL;
	return schema_label(k->label, lang);
}

/* Copy figures into a row that owns its sums. */
static void
stats_row_set(struct stats_row *r, const struct stats_fig *g, size_t ns)
{
	int	s;

	for (s = 0; s < 2; s++) {
		r->fig[s] = g[s];
		r->fig[s].sum = xcalloc(ns + 1, sizeof *r->fig[s].sum);
		r->fig[s].unsummed = xcalloc(ns + 1,
		    sizeof *r->fig[s].unsummed);
		if (ns != 0) {
			memcpy(r->fig[s].sum, g[s].sum, ns *
			    sizeof *g[s].sum);
			memcpy(r->fig[s].unsummed, g[s].unsummed, ns *
			    sizeof *g[s].unsummed);
		}
	}
}

/* The codes of the units a quantity sum adds up. */
static char *
stats_sum_units(const struct stats_ctx *c, size_t i)
{
	struct buf	b = BUF_INIT;
	size_t		j;

	for (j = 0; c->units != NULL && j < c->units->ncodes; j++)
		if (c->unit[j].base == c->sumbase[i])
			buf_addf(&b, "%s%s", b.len ? " " : "", c->unit[j].code);
	return buf_detach(&b);
}

/* Make the result: rows in order, top N, totals, the rates used. */
static struct stats_result *
stats_result_make(struct stats_ctx *c, enum schema_lang lang)
{
	struct stats_result	*r = xcalloc(1, sizeof *r);
	size_t			 i, ns = c->q->nsums, keep;
	const struct schema_code *u;

	r->q = c->q;
	r->year = c->q->compare ? c->year : 0;
	r->rows = xcalloc(c->cats.n + 1, sizeof *r->rows);
	for (i = 0; i < c->cats.n; i++) {
		if (c->figs[i * 2].seizures + c->figs[i * 2].cases +
		    c->figs[i * 2].persons + c->figs[i * 2 + 1].seizures +
		    c->figs[i * 2 + 1].cases + c->figs[i * 2 + 1].persons == 0)
			continue;
		r->rows[r->nrows].code = xstrdup(c->cats.code[i]);
		r->rows[r->nrows].label = stats_label(c, c->cats.code[i],
		    lang);
		stats_row_set(&r->rows[r->nrows], &c->figs[i * 2], ns);
		r->nrows++;
	}
	stats_row_set(&r->total, c->total, ns);
	r->total.code = xstrdup("total");
	stats_sort_res = r;
	qsort(r->rows, r->nrows, sizeof *r->rows, stats_row_cmp);
	stats_sort_res = NULL;
	keep = c->q->top != 0 && c->q->top < r->nrows ? c->q->top : r->nrows;
	r->hidden = r->nrows - keep;
	while (r->nrows > keep) {
		struct stats_row	*x = &r->rows[--r->nrows];

		free(x->code);
		free(x->fig[0].sum);
		free(x->fig[0].unsummed);
		free(x->fig[1].sum);
		free(x->fig[1].unsummed);
	}
	r->div = xcalloc(ns + 1, sizeof *r->div);
	r->scale = xcalloc(ns + 1, sizeof *r->scale);
	r->units = xcalloc(ns + 1, sizeof *r->units);
	for (i = 0; i < ns; i++) {
		if (c->q->sums[i].unit == NULL) {
			r->div[i] = 1000000;
			r->scale[i] = 2;
			continue;
		}
		r->scale[i] = 3;
		r->div[i] = 1000000;
		if (c->units != NULL && (u = schema_code_find(c->units,
		    c->q->sums[i].unit)) != NULL)
			r->div[i] = c->unit[u - c->units->codes].micro;
		r->units[i] = stats_sum_units(c, i);
	}
	r->currency = c->def->currency != NULL ? xstrdup(c->def->currency) :
	    NULL;
	for (i = 0; i < c->def->nrates; i++) {
		if (c->rates[i].used == 0)
			continue;
		r->rates = xreallocarray(r->rates, r->nrates + 1,
		    sizeof *r->rates);
		r->rates[r->nrates] = c->rates[i];
		r->rates[r->nrates].currency = xstrdup(c->rates[i].currency);
		r->rates[r->nrates].text = xstrdup(c->rates[i].text);
		r->nrates++;
	}
	return r;
}

/* Release what a run gathered. */
static void
stats_ctx_free(struct stats_ctx *c)
{
	size_t	i;

	store_fact_view_free(&c->view);
	for (i = 0; i < c->cats.n; i++)
		free(c->cats.code[i]);
	free(c->cats.code);
	free(c->cats.slot);
	free(c->figs);
	free(c->sums);
	free(c->unsummed);
	free(c->total[0].sum);
	free(c->total[0].unsummed);
	free(c->total[1].sum);
	free(c->total[1].unsummed);
	free(c->ids);
	free(c->date);
	free(c->slot);
	free(c->matched);
	free(c->coff);
	free(c->ccat);
	free(c->pids);
	free(c->poff);
	free(c->pcat);
	free(c->clines);
	free(c->cpairs);
	free(c->ppairs);
	free(c->stamp);
	free(c->unit);
	free(c->sumbase);
	free(c->rates);
	free(c->ratefrom);
}

/* Run a query with filters over the store. */
int
stats_run(struct store *st, const struct schema *s,
    const struct stats_def *def, const struct stats_query *q,
    const struct stats_filter *f, struct stats_result **out,
    struct ncen_err *err)
{
	static const struct stats_filter none;
	struct stats_ctx	 c;
	size_t			 i, j, ns = q->nsums;
	int			 error, person, nofilter, built;

	*out = NULL;
	if (ns > 16)
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: at most 16 sums "
		    "a query"), q->name);
	memset(&c, 0, sizeof c);
	c.st = st;
	c.s = s;
	c.def = def;
	c.q = q;
	c.f = f != NULL ? f : &none;
	c.err = err;
	for (i = 0; i < 2; i++) {
		c.total[i].sum = xcalloc(ns + 1, sizeof *c.total[i].sum);
		c.total[i].unsummed = xcalloc(ns + 1,
		    sizeof *c.total[i].unsummed);
	}
	c.rates = xcalloc(def->nrates + 1, sizeof *c.rates);
	c.ratefrom = xcalloc(def->nrates + 1, sizeof *c.ratefrom);
	for (i = 0; i < def->nrates; i++) {
		c.rates[i] = def->rates[i];
		c.rates[i].used = 0;
		c.ratefrom[i] = stats_date(def->rates[i].from, 10);
	}
	if ((error = stats_units(&c)) != NCEN_OK ||
	    (error = store_fact_ready(st, &built, err)) != NCEN_OK)
		goto out;
	stats_columns(&c);
	if (!q->compare)
		stats_periods(&c);
	else
		c.to = 99991231;
	if ((error = store_fact_scan(st, "case", c.narrow[0], stats_case_fn, &c, err)) !=
	    NCEN_OK)
		goto out;
	c.slot = xcalloc(c.ncases + 1, 1);
	c.matched = xcalloc(c.ncases + 1, 1);
	if (q->compare) {
		stats_periods(&c);
		for (i = 0; i < c.ncases; i++)
			c.slot[i] = stats_period(&c, c.date[i]);
	}
	person = q->dim == STATS_DIM_PERSON || q->dim == STATS_DIM_ROLE ||
	    q->count == STATS_PERSONS;
	if (person)
		c.clines = xcalloc(c.ncases + 1, sizeof *c.clines);
	if (schema_form_find(s, "seizure") != NULL && (error =
	    store_fact_scan(st, "seizure", c.narrow[1],
	    stats_seizure_fn, &c, err)) !=
	    NCEN_OK)
		goto out;
	nofilter = c.f->commodity == NULL || *c.f->commodity == '\0';
	/* The cases of a case's own category count even without lines. */
	for (i = 0; i < c.ncases; i++) {
		if (c.slot[i] > 1 || (!nofilter && !c.matched[i]))
			continue;
		c.total[c.slot[i]].cases++;
		if (nofilter && !person && (q->dim == STATS_DIM_CASE ||
		    q->dim == STATS_DIM_ROUTE))
			for (j = c.coff[i]; j < c.coff[i + 1]; j++)
				stats_case_in(&c, c.ccat[j], i);
	}
	if (person) {
		if (q->dim == STATS_DIM_PERSON && (error = store_fact_scan(st,
		    "person", c.narrow[2], stats_person_fn, &c, err)) != NCEN_OK)
			goto out;
		if ((error = store_fact_scan_links(st, stats_link_fn, &c,
		    err)) != NCEN_OK)
			goto out;
		/* Lines follow the cases of each category. */
		stats_case_pairs_unique(&c);
		for (i = 0; i < c.ncp; i++)
			c.figs[c.cpairs[i].cat * 2 +
			    c.cpairs[i].slot].seizures +=
			    c.clines[c.cpairs[i].what];
		stats_pairs_count(&c, c.ppairs, c.npp, 1);
	}
	stats_case_pairs_unique(&c);
	for (i = 0; i < c.ncp; i++)
		c.figs[c.cpairs[i].cat * 2 + c.cpairs[i].slot].cases++;
	*out = stats_result_make(&c, c.f->lang);
out:
	stats_ctx_free(&c);
	return error;
}

/* The main figure of a row: what the query counts. */
uint64_t
stats_main(const struct stats_result *r, const struct stats_row *row,
    int slot)
{
	switch (r->q->count) {
	case STATS_CASES:
		return row->fig[slot].cases;
	case STATS_PERSONS:
		return row->fig[slot].persons;
	default:
		return row->fig[slot].seizures;
	}
}

/* Release a result. */
void
stats_result_free(struct stats_result *r)
{
	size_t	i;
	int	s;

	if (r == NULL)
		return;
	for (i = 0; i <= r->nrows; i++) {
		struct stats_row	*x = i < r->nrows ? &r->rows[i] :
					    &r->total;

		free(x->code);
		for (s = 0; s < 2; s++) {
			free(x->fig[s].sum);
			free(x->fig[s].unsummed);
		}
	}
	free(r->rows);
	for (i = 0; i < r->nrates; i++) {
		free(r->rates[i].currency);
		free(r->rates[i].text);
	}
	free(r->rates);
	free(r->currency);
	for (i = 0; r->units != NULL && i < r->q->nsums; i++)
		free(r->units[i]);
	free(r->units);
	free(r->div);
	free(r->scale);
	free(r);
}
