/*
 * stats-print.c - a query's result as a plain-text table for a line
 * printer (what was asked, the table, what was added and at which
 * rates) or as CSV (a header, then one row per category: its code, the
 * seizure lines, then the other figures, the label last).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "i18n.h"
#include "stats.h"
#include "xmalloc.h"

/* One column: its heading and CSV name, and how a row fills it. */
struct stats_col {
	char	*head;
	char	*csv;
	int	 kind;		/* what the cell shows, below */
	size_t	 sum;		/* the sum it shows */
	int	 slot;
};

enum {
	STATS_COL_SEIZURES, STATS_COL_CASES, STATS_COL_PERSONS,
	STATS_COL_PREV, STATS_COL_CHANGE, STATS_COL_SUM, STATS_COL_UNSUMMED,
};

/* A sum's total as a decimal number. */
void
stats_format_sum(const struct stats_result *r, size_t i, __int128 v,
    struct buf *b)
{
	unsigned __int128	u, p = 1;
	__int128		d = r->div[i];
	char			digits[64];
	size_t			n = 0;
	unsigned		k;
	int			neg = v < 0;

	if (neg)
		v = -v;
	/* Round half away from zero to 10^-scale units. */
	v = (v + d / 2) / d;
	u = (unsigned __int128)v;
	for (k = 0; k < r->scale[i]; k++)
		p *= 10;
	do {
		digits[n++] = (char)('0' + (int)(u % 10));
		u /= 10;
	} while (u != 0 || n <= r->scale[i]);
	if (neg && v != 0)
		buf_addc(b, '-');
	while (n > 0) {
		buf_addc(b, digits[--n]);
		if (n == r->scale[i] && n != 0)
			buf_addc(b, '.');
	}
	(void)p;
}

/* The columns of a result. */
static struct stats_col *
stats_cols(const struct stats_result *r, size_t *ncols)
{
	const struct stats_query	*q = r->q;
	struct stats_col		*c = xcalloc(8 + 2 * q->nsums,
					    sizeof *c);
	struct buf			 h = BUF_INIT;
	size_t				 n = 0, i;

#define COL(hd, cs, k, s, sl) do {					\
	c[n].head = xstrdup(hd); c[n].csv = xstrdup(cs); c[n].kind = (k);	\
	c[n].sum = (s); c[n].slot = (sl); n++;				\
} while (0)
	COL(_("Seizures"), "seizures", STATS_COL_SEIZURES, 0, 0);
	COL(_("Cases"), "cases", STATS_COL_CASES, 0, 0);
	if (q->count == STATS_PERSONS)
		COL(_("Persons"), "persons", STATS_COL_PERSONS, 0, 0);
	if (q->compare) {
		buf_addf(&h, "%d", r->year - 1);
		COL(buf_cstr(&h), q->count == STATS_PERSONS ?
		    "persons_previous" : q->count == STATS_CASES ?
		    "cases_previous" : "seizures_previous", STATS_COL_PREV, 0,
		    1);
		COL(_("Change %"), "change_pct", STATS_COL_CHANGE, 0, 0);
	}
	for (i = 0; i < q->nsums; i++) {
		buf_reset(&h);
		if (q->sums[i].unit != NULL) {
			buf_addf(&h, "quantity_%s", q->sums[i].unit);
			COL(q->sums[i].unit, buf_cstr(&h), STATS_COL_SUM, i, 0);
			buf_addf(&h, "_other_units");
			COL(_("Other"), buf_cstr(&h), STATS_COL_UNSUMMED,
			    i, 0);
		} else {
			buf_addf(&h, "value_%s", r->currency != NULL ?
			    r->currency : "none");
			COL(r->currency != NULL ? r->currency : _("Value"),
			    buf_cstr(&h), STATS_COL_SUM, i, 0);
			buf_addf(&h, "_not_converted");
			COL(_("No rate"), buf_cstr(&h), STATS_COL_UNSUMMED, i,
			    0);
		}
	}
#undef COL
	buf_free(&h);
	*ncols = n;
	return c;
}

/* Free columns. */
static void
stats_cols_free(struct stats_col *c, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(c[i].head);
		free(c[i].csv);
	}
	free(c);
}

/* A row's cell in a column. */
static void
stats_cell(const struct stats_result *r, const struct stats_row *row,
    const struct stats_col *c, struct buf *b)
{
	const struct stats_fig	*g = &row->fig[c->slot];
	uint64_t		 cur, prev;

	buf_reset(b);
	switch (c->kind) {
	case STATS_COL_SEIZURES:
		buf_addf(b, "%llu", (unsigned long long)g->seizures);
		break;
	case STATS_COL_CASES:
		buf_addf(b, "%llu", (unsigned long long)g->cases);
		break;
	case STATS_COL_PERSONS:
		buf_addf(b, "%llu", (unsigned long long)g->persons);
		break;
	case STATS_COL_PREV:
		buf_addf(b, "%llu", (unsigned long long)stats_main(r, row, 1));
		break;
	case STATS_COL_CHANGE:
		cur = stats_main(r, row, 0);
		prev = stats_main(r, row, 1);
		if (prev != 0) {
			long long	t = ((long long)cur - (long long)prev) *
					    2000 / (long long)prev;

			/* Tenths of a per cent, rounded half away from 0. */
			t = t < 0 ? (t - 1) / 2 : (t + 1) / 2;

			buf_addf(b, "%s%lld.%lld", t < 0 ? "-" : "+",
			    (t < 0 ? -t : t) / 10, (t < 0 ? -t : t) % 10);
		}
		break;
	case STATS_COL_SUM:
		stats_format_sum(r, c->sum, g->sum[c->sum], b);
		break;
	case STATS_COL_UNSUMMED:
		buf_addf(b, "%llu", (unsigned long long)g->unsummed[c->sum]);
		break;
	}
}

/* The CSV form: header, one row per category, then the total. */
void
stats_print_csv(const struct stats_result *r, struct buf *out)
{
	struct stats_col	*c;
	struct buf		 cell = BUF_INIT;
	const char		*lab;
	size_t			 n, i, j;

	c = stats_cols(r, &n);
	buf_adds(out, "code");
	for (j = 0; j < n; j++)
		buf_addf(out, ",%s", c[j].csv);
	buf_adds(out, ",label\r\n");
	for (i = 0; i <= r->nrows; i++) {
		const struct stats_row	*row = i < r->nrows ? &r->rows[i] :
					    &r->total;

		csv_write_guarded(out, row->code, strlen(row->code));
		for (j = 0; j < n; j++) {
			stats_cell(r, row, &c[j], &cell);
			buf_addc(out, ',');
			csv_write_field(out, cell.s != NULL ? cell.s : "", cell.len);
		}
		buf_addc(out, ',');
		lab = row->label != NULL ? row->label : i < r->nrows ? "" :
		    _("Total");
		csv_write_guarded(out, lab, strlen(lab));
		buf_adds(out, "\r\n");
	}
	buf_free(&cell);
	stats_cols_free(c, n);
}

/* Pad or clip text to a width (bytes of ASCII, characters of UTF-8). */
static void
stats_pad(struct buf *out, const char *s, size_t width, int right)
{
	size_t	len = 0, bytes = 0, n;

	while (s[bytes] != '\0' && len < width) {
		n = 1;
		while ((s[bytes + n] & 0xc0) == 0x80)
			n++;
		bytes += n;
		len++;
	}
	if (right)
		for (n = len; n < width; n++)
			buf_addc(out, ' ');
	buf_add(out, s, bytes);
	if (!right)
		for (n = len; n < width; n++)
			buf_addc(out, ' ');
}

/* The plain-text report: heading, filters, table, notes. */
void
stats_print_text(const struct stats_result *r, const struct stats_filter *f,
    enum schema_lang lang, int width, struct buf *out)
{
	static const struct stats_filter none;
	const struct stats_query	*q = r->q;
	struct stats_col		*c;
	struct buf			 cell = BUF_INIT;
	size_t				*w, n, i, j, codew = 4, labw, used;
	const char			*label = schema_label(
					    ((struct stats_query *)q)->label,
					    lang);

	if (f == NULL)
		f = &none;
	buf_addf(out, "%s (%s)\n", label != NULL ? label : q->name, q->name);
	buf_addf(out, _("Period: %s to %s"), f->from != NULL && *f->from ?
	    f->from : _("the first case"), f->to != NULL && *f->to ? f->to :
	    _("the last case"));
	if (r->year != 0)
		buf_addf(out, _("; %d against %d"), r->year, r->year - 1);
	buf_addf(out, _("\nOffice: %s"), f->noffices == 0 ? _("any") :
	    f->offices[0]);
	for (i = 1; i < f->noffices; i++)
		buf_addf(out, ",%s", f->offices[i]);
	buf_addf(out, _("; commodity: %s; direction: %s; status: %s\n\n"),
	    f->commodity != NULL && *f->commodity ? f->commodity : _("any"),
	    f->direction != NULL && *f->direction ? f->direction : _("any"),
	    f->status != NULL && *f->status ? f->status : _("any"));
	c = stats_cols(r, &n);
	w = xcalloc(n + 1, sizeof *w);
	for (j = 0; j < n; j++)
		w[j] = strlen(c[j].head);
	for (i = 0; i <= r->nrows; i++) {
		const struct stats_row	*row = i < r->nrows ? &r->rows[i] :
					    &r->total;

		if (strlen(row->code) > codew)
			codew = strlen(row->code);
		for (j = 0; j < n; j++) {
			stats_cell(r, row, &c[j], &cell);
			if (cell.len > w[j])
				w[j] = cell.len;
		}
	}
	used = codew + 1;
	for (j = 0; j < n; j++)
		used += w[j] + 1;
	/* The label takes what the figures leave of the width. */
	labw = width > 0 && (size_t)width > used + 12 ? (size_t)width - used :
	    12;
	if (labw > 40)
		labw = 40;
	stats_pad(out, _("Code"), codew, 0);
	buf_addc(out, ' ');
	stats_pad(out, _("Label"), labw, 0);
	for (j = 0; j < n; j++) {
		buf_addc(out, ' ');
		stats_pad(out, c[j].head, w[j], 1);
	}
	buf_addc(out, '\n');
	for (i = 0; i <= r->nrows; i++) {
		const struct stats_row	*row = i < r->nrows ? &r->rows[i] :
					    &r->total;

		if (i == r->nrows) {
			for (j = 0; j < used + labw; j++)
				buf_addc(out, '-');
			buf_addc(out, '\n');
		}
		stats_pad(out, i < r->nrows ? row->code : _("Total"), codew,
		    0);
		buf_addc(out, ' ');
		stats_pad(out, row->label != NULL ? row->label : "", labw, 0);
		for (j = 0; j < n; j++) {
			stats_cell(r, row, &c[j], &cell);
			buf_addc(out, ' ');
			stats_pad(out, buf_cstr(&cell), w[j], 1);
		}
		buf_addc(out, '\n');
	}
	buf_addc(out, '\n');
	if (r->hidden > 0)
		buf_addf(out, ngettext_("%zu more category is left out (top "
		    "%u); the total counts it.\n", "%zu more categories are "
		    "left out (top %u); the total counts them.\n", r->hidden),
		    r->hidden, q->top);
	for (j = 0; j < q->nsums; j++) {
		if (q->sums[j].unit != NULL)
			buf_addf(out, _("Quantities in %s add up %s;\n"
			    "  lines in other units are not added (Other).\n"),
			    q->sums[j].unit, r->units[j]);
		else if (r->currency == NULL)
			buf_addf(out, "%s", _("Values: no rates file, no "
			    "reporting currency; no value is added.\n"));
		else {
			buf_addf(out, _("Values in %s; lines in another "
			    "currency without a rate in force\n"
			    "  on the case's date are not added (No rate).\n"),
			    r->currency);
			if (r->nrates == 0)
				buf_addf(out, "%s", _("No exchange rate was "
				    "needed.\n"));
			else
				buf_addf(out, "%s", _("Rates used (currency, "
				    "from, rate, lines):\n"));
			for (i = 0; i < r->nrates; i++)
				buf_addf(out, "  %s %s %s %s %llu\n",
				    r->rates[i].currency, r->rates[i].from,
				    r->rates[i].text, r->currency,
				    (unsigned long long)r->rates[i].used);
		}
	}
	free(w);
	buf_free(&cell);
	stats_cols_free(c, n);
}
