/*
 * search.c - free text against the search indexes, ranked (search.h).
 *
 * The query is split at spaces and commas into terms: a date
 * (match_date), a number (a word with a digit, made compact), or name
 * words (in Latin letters, a word in Han giving several).  Candidates
 * are the ids under the index keys of the terms (store-search.c: 'w'
 * word, 's' skeleton of 1 to 3 adjacent words, 'n' number, 'd' date;
 * the last word also as the start of a word or number when typing),
 * at most SEARCH_POSTINGS ids a key; the SEARCH_CANDIDATES that matched
 * most terms (then most by an exact key rather than a skeleton, shared
 * by many) are read and scored.
 *
 * The score, 0 to 100, is the mean over the query's terms of how well
 * each agrees with the record, times 100 - SEARCH_COVER_BONUS, plus up
 * to SEARCH_COVER_BONUS for covering all of the record's names (so
 * only a record matched exactly and wholly scores 100):
 *	name word	1 same Latin word; 0.97 the start of one (the last
 *			word, typing); 0.93 same skeleton ("sounds like");
 *			else 0.95 x Jaro-Winkler of the Latin words when it
 *			is at least 0.8 ("spelling"), or half of it.  A run
 *			of 2 or 3 query words may match one record word or
 *			run joined ("Abdul Rahman" / "Abdulrahman").
 *	two letters	1 when a country field (nationality) holds them
 *	number		1 same compact number (document, plate, phone...);
 *			0.95 its start (typing); 0.8 one typo (JW >= 0.9)
 *	date		1 same date (of birth); 0.6 day and month swapped
 * so a date of birth, document number or nationality given in the query
 * and different in the record pulls it down.  Ties go to the lower id.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "match.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "xmalloc.h"

#define SEARCH_TERMS		24	/* terms of a query used */
#define SEARCH_POSTINGS		20000	/* ids read under one key */
#define SEARCH_PREFIX_IDS	2000	/* ids read under a started word */
#define SEARCH_CANDIDATES	400	/* candidates read and scored */
#define SEARCH_COVER_BONUS	4	/* points for covering every name */
#define SEARCH_HIDDEN_MIN	50	/* score of a hidden match counted */

enum search_kind { SEARCH_T_NAME, SEARCH_T_NUMBER, SEARCH_T_DATE };

/* One term of the query. */
struct search_term {
	enum search_kind	 kind;
	char			*text;		/* Latin word, compact, ISO date */
	char			*skel;		/* name: its skeleton */
	char			*folded;	/* name: the typed word folded */
	int			 ascii;		/* typed in ASCII */
	int			 prefix;	/* the last word, being typed */
};

/* The query split into terms. */
struct search_terms {
	struct search_term	 t[SEARCH_TERMS];
	size_t			 n;
};

/* A candidate: which terms found it, and which by an exact key. */
struct search_cand {
	uint64_t	 id;
	uint32_t	 mask;
	uint32_t	 exact;		/* by a word, number or date key */
	unsigned	 nterms;
	unsigned	 nexact;
};

/* Candidates by id: open addressing. */
struct search_set {
	struct search_cand	*c;
	size_t			 n, cap;
};

/* Why the reasons are named so, in SEARCH_WHY_* order. */
static const struct {
	unsigned	 bit;
	const char	*name;
} search_whys[] = {
	{ SEARCH_WHY_EXACT,	N_("exact") },
	{ SEARCH_WHY_TRANSLIT,	N_("transliterated") },
	{ SEARCH_WHY_SOUNDS,	N_("sounds like") },
	{ SEARCH_WHY_SPELLING,	N_("spelling") },
	{ SEARCH_WHY_PREFIX,	N_("prefix") },
	{ SEARCH_WHY_ALIAS,	N_("alias") },
	{ SEARCH_WHY_DOCUMENT,	N_("document") },
	{ SEARCH_WHY_DATE,	N_("date") },
	{ SEARCH_WHY_COUNTRY,	N_("nationality") },
};

/* The reasons of a why as "transliterated, alias". */
void
search_why_text(unsigned why, int translate, struct buf *out)
{
	size_t	i;
	int	first = 1;

	for (i = 0; i < sizeof search_whys / sizeof search_whys[0]; i++) {
		if (!(why & search_whys[i].bit))
			continue;
		if (!first)
			buf_adds(out, ", ");
		buf_adds(out, translate ? _(search_whys[i].name) :
		    search_whys[i].name);
		first = 0;
	}
}

/* Forget the terms. */
static void
search_terms_free(struct search_terms *ts)
{
	size_t	i;

	for (i = 0; i < ts->n; i++) {
		free(ts->t[i].text);
		free(ts->t[i].skel);
		free(ts->t[i].folded);
	}
	ts->n = 0;
}

/* Add a term, unless there are enough. */
static struct search_term *
search_term_add(struct search_terms *ts, enum search_kind kind,
    const char *s, size_t len)
{
	struct search_term	*t;

	if (ts->n == SEARCH_TERMS)
		return NULL;
	t = &ts->t[ts->n++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->text = xstrndup(s, len);
	return t;
}

/* Whether bytes hold a digit. */
static int
search_has_digit(const char *s, size_t len)
{
	size_t	i;

	for (i = 0; i < len; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	return 0;
}

/* One typed word as terms: a date, a number, or name words. */
static int
search_word(struct search_terms *ts, const char *w, size_t len, int last,
    struct ncen_err *err)
{
	struct search_term	*t;
	struct buf		 b = BUF_INIT, f = BUF_INIT, sk = BUF_INIT;
	char			 iso[11];
	const char		*p, *end, *sp;
	size_t			 i;
	int			 error = NCEN_OK, ascii = 1;

	if (match_date(w, len, iso)) {
		if ((t = search_term_add(ts, SEARCH_T_DATE, iso, 10)) != NULL)
			t->prefix = last;
		return NCEN_OK;
	}
	for (i = 0; i < len; i++)
		if ((unsigned char)w[i] >= 0x80)
			ascii = 0;
	if (search_has_digit(w, len)) {
		if ((error = match_compact(w, len, &b, err)) == NCEN_OK &&
		    b.len != 0 && (t = search_term_add(ts, SEARCH_T_NUMBER,
		    b.s, b.len)) != NULL)
			t->prefix = last;
		goto out;
	}
	if ((error = match_latin(w, len, &b, err)) != NCEN_OK ||
	    (error = match_fold(w, len, &f, err)) != NCEN_OK || b.len == 0)
		goto out;
	for (p = b.s, end = b.s + b.len; p != NULL && p < end;) {
		sp = memchr(p, ' ', (size_t)(end - p));
		if ((t = search_term_add(ts, SEARCH_T_NAME, p, sp == NULL ?
		    (size_t)(end - p) : (size_t)(sp - p))) == NULL)
			break;
		buf_reset(&sk);
		match_skeleton(t->text, strlen(t->text), &sk);
		t->skel = buf_detach(&sk);
		t->folded = xstrndup(f.s, f.len);
		t->ascii = ascii;
		t->prefix = last && sp == NULL;
		p = sp == NULL ? NULL : sp + 1;
	}
out:
	buf_free(&b);
	buf_free(&f);
	buf_free(&sk);
	return error;
}

/* Split a query into terms; NCEN_EUSAGE when there is nothing to find. */
static int
search_parse(const char *q, int flags, struct search_terms *ts,
    struct ncen_err *err)
{
	size_t	len = strlen(q), i, start;
	int	error, last, sep;

	ts->n = 0;
	if (len > SEARCH_QUERY_MAX)
		return ncen_err_set(err, NCEN_EUSAGE, _("the query is too long "
		    "(%zu bytes, at most %d)"), len, SEARCH_QUERY_MAX);
	if (!match_utf8(q, len))
		return ncen_err_set(err, NCEN_EUSAGE, _("the query is not "
		    "valid UTF-8"));
	for (i = 0, start = 0; i <= len; i++) {
		sep = i == len || q[i] == ' ' || q[i] == '\t' || q[i] == ',' ||
		    q[i] == ';' || q[i] == '\n';
		if (!sep)
			continue;
		if (i > start) {
			last = (flags & SEARCH_PREFIX) && i == len;
			if ((error = search_word(ts, q + start, i - start,
			    last, err)) != NCEN_OK) {
				search_terms_free(ts);
				return error;
			}
		}
		start = i + 1;
	}
	if (ts->n == 0)
		return ncen_err_set(err, NCEN_EUSAGE, _("nothing to search for "
		    "in \"%s\": type a name, a number or a date"), q);
	return NCEN_OK;
}

/* The candidate of an id in the set, added when absent. */
static struct search_cand *
search_set_get(struct search_set *s, uint64_t id)
{
	struct search_cand	*old;
	size_t			 i, oldcap, h;

	if (2 * (s->n + 1) > s->cap) {
		old = s->c;
		oldcap = s->cap;
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		s->c = xcalloc(s->cap, sizeof *s->c);
		s->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].id != 0)
				*search_set_get(s, old[i].id) = old[i];
		free(old);
	}
	h = (size_t)((id * 0x9e3779b97f4a7c15ULL) >> 17) & (s->cap - 1);
	while (s->c[h].id != 0 && s->c[h].id != id)
		h = (h + 1) & (s->cap - 1);
	if (s->c[h].id == 0) {
		s->c[h].id = id;
		s->n++;
	}
	return &s->c[h];
}

/* Mark the ids under one key as found by term i. */
static int
search_key(struct store *st, const char *entity, int tag, const char *s,
    size_t i, int prefix, struct search_set *set, int *more,
    struct ncen_err *err)
{
	struct store_search_ids	 ids;
	struct buf		 k = BUF_INIT;
	struct search_cand	*c;
	size_t			 j;
	int			 error;

	memset(&ids, 0, sizeof ids);
	buf_addc(&k, tag);
	buf_add(&k, s, strlen(s) > MATCH_WORD_MAX ? MATCH_WORD_MAX :
	    strlen(s));
	error = store_search_ids(st, entity, k.s, k.len, prefix, prefix ?
	    SEARCH_PREFIX_IDS : SEARCH_POSTINGS, &ids, err);
	buf_free(&k);
	if (error != NCEN_OK)
		return error;
	if (ids.more)
		*more = 1;
	for (j = 0; j < ids.n; j++) {
		c = search_set_get(set, ids.ids[j]);
		if (!(c->mask & (1U << i))) {
			c->mask |= 1U << i;
			c->nterms++;
		}
		/* A skeleton is shared by many: exact keys read first. */
		if (tag != 's' && !(c->exact & (1U << i))) {
			c->exact |= 1U << i;
			c->nexact++;
		}
	}
	store_search_ids_free(&ids);
	return NCEN_OK;
}

/* The skeleton of name terms i..i+k-1 joined. */
static char *
search_join_skel(const struct search_terms *ts, size_t i, size_t k)
{
	struct buf	j = BUF_INIT, sk = BUF_INIT;
	size_t		n;

	for (n = i; n < i + k; n++)
		buf_adds(&j, ts->t[n].text);
	match_skeleton(j.s, j.len, &sk);
	buf_free(&j);
	return buf_detach(&sk);
}

/* Gather the candidates of every term from one form's index. */
static int
search_gather(struct store *st, const char *entity,
    const struct search_terms *ts, struct search_set *set, int *more,
    struct ncen_err *err)
{
	const struct search_term	*t;
	char				*sk;
	size_t				 i, k;
	int				 error = NCEN_OK;

	for (i = 0; i < ts->n && error == NCEN_OK; i++) {
		t = &ts->t[i];
		switch (t->kind) {
		case SEARCH_T_DATE:
			error = search_key(st, entity, 'd', t->text, i, 0, set,
			    more, err);
			break;
		case SEARCH_T_NUMBER:
			error = search_key(st, entity, 'n', t->text, i,
			    t->prefix, set, more, err);
			break;
		case SEARCH_T_NAME:
			if ((error = search_key(st, entity, 'w', t->text, i,
			    t->prefix, set, more, err)) != NCEN_OK)
				break;
			if (!t->prefix || strlen(t->text) >= 4)
				error = search_key(st, entity, 's', t->skel,
				    i, 0, set, more, err);
			/* Runs of name words joined ("abd al rahman"). */
			for (k = 2; k <= MATCH_JOIN_MAX && i + k <= ts->n &&
			    error == NCEN_OK; k++) {
				if (ts->t[i + k - 1].kind != SEARCH_T_NAME)
					break;
				sk = search_join_skel(ts, i, k);
				error = search_key(st, entity, 's', sk, i, 0,
				    set, more, err);
				free(sk);
			}
			break;
		}
	}
	return error;
}

/* One name unit of a record: a word, or a run of words joined. */
struct search_unit {
	char				*latin;
	char				*skel;
	int				 exact;	/* from a folded value */
	const struct schema_field	*field;
	size_t				 value;	/* which name value */
	size_t				 nwords;
};

/* A record's names as units, and the folded values they come from. */
struct search_names {
	struct search_unit	*u;
	size_t			 n;
	struct buf		*folded;	/* one per name value */
	size_t			 nvalues;
	size_t			 nprimary;	/* words of `name` fields */
};

/* Forget a record's names. */
static void
search_names_free(struct search_names *nm)
{
	size_t	i;

	for (i = 0; i < nm->n; i++) {
		free(nm->u[i].latin);
		free(nm->u[i].skel);
	}
	for (i = 0; i < nm->nvalues; i++)
		buf_free(&nm->folded[i]);
	free(nm->u);
	free(nm->folded);
	memset(nm, 0, sizeof *nm);
}

/* Add the units of one name value. */
static void
search_names_value(struct search_names *nm, const struct schema_field *f,
    const char *v)
{
	struct buf	 lat = BUF_INIT, join = BUF_INIT, sk = BUF_INIT;
	const char	*w[MATCH_WORDS_MAX], *p, *end;
	size_t		 wl[MATCH_WORDS_MAX], n = 0, i, j;
	struct search_unit *u;

	if (match_latin(v, strlen(v), &lat, NULL) != NCEN_OK)
		goto out;
	nm->folded = xreallocarray(nm->folded, nm->nvalues + 1,
	    sizeof *nm->folded);
	buf_init(&nm->folded[nm->nvalues]);
	if (match_fold(v, strlen(v), &nm->folded[nm->nvalues], NULL) !=
	    NCEN_OK)
		buf_reset(&nm->folded[nm->nvalues]);
	end = lat.s != NULL ? lat.s + lat.len : NULL;	/* none: no words */
	for (p = lat.s; p != NULL && p < end && n < MATCH_WORDS_MAX;) {
		w[n] = p;
		p = memchr(p, ' ', (size_t)(end - p));
		wl[n] = p == NULL ? (size_t)(end - w[n]) : (size_t)(p - w[n]);
		if (p != NULL)
			p++;
		n++;
	}
	if (f->search == SCHEMA_SEARCH_NAME)
		nm->nprimary += n;
	for (i = 0; i < n; i++) {
		buf_reset(&join);
		for (j = i; j < n && j < i + MATCH_JOIN_MAX; j++) {
			buf_add(&join, w[j], wl[j]);
			nm->u = xreallocarray(nm->u, nm->n + 1, sizeof *nm->u);
			u = &nm->u[nm->n++];
			u->latin = xstrndup(join.s, join.len);
			buf_reset(&sk);
			match_skeleton(join.s, join.len, &sk);
			u->skel = buf_detach(&sk);
			u->field = f;
			u->value = nm->nvalues;
			u->nwords = j - i + 1;
			u->exact = 0;
		}
	}
	nm->nvalues++;
out:
	buf_free(&lat);
	buf_free(&join);
	buf_free(&sk);
}

/* A record's name units. */
static void
search_names_get(const struct record *r, struct search_names *nm)
{
	const struct schema_form	*form = r->form;
	size_t				 i, j;

	memset(nm, 0, sizeof *nm);
	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].search != SCHEMA_SEARCH_NAME &&
		    form->fields[i].search != SCHEMA_SEARCH_ALIAS)
			continue;
		for (j = 0; j < r->fields[i].n; j++)
			if (match_utf8(r->fields[i].v[j],
			    strlen(r->fields[i].v[j])))
				search_names_value(nm, &form->fields[i],
				    r->fields[i].v[j]);
	}
}

/* Whether a folded value holds a folded word as one of its words. */
static int
search_has_word(const struct buf *value, const char *word)
{
	const char	*p = buf_cstr(value), *s;
	size_t		 len = strlen(word);

	for (s = p; (s = strstr(s, word)) != NULL; s++)
		if ((s == p || s[-1] == ' ' || s[-1] == '-') &&
		    (s[len] == '\0' || s[len] == ' ' || s[len] == '-'))
			return 1;
	return 0;
}

/* How well a query string matches a unit, and why. */
static double
search_unit_sim(const char *q, const char *qskel, int prefix,
    const struct search_unit *u, unsigned *why)
{
	double	jw;
	size_t	qlen = strlen(q), ulen = strlen(u->latin);

	*why = 0;
	if (qlen == ulen && memcmp(q, u->latin, qlen) == 0) {
		*why = SEARCH_WHY_EXACT;
		return 1.0;
	}
	if (prefix && qlen < ulen && memcmp(q, u->latin, qlen) == 0) {
		*why = SEARCH_WHY_PREFIX;
		return 0.97;
	}
	if (qskel != NULL && strcmp(qskel, u->skel) == 0) {
		*why = SEARCH_WHY_SOUNDS;
		return 0.93;
	}
	jw = match_jw(q, qlen, u->latin, ulen);
	if (jw >= 0.8) {
		*why = SEARCH_WHY_SPELLING;
		return 0.95 * jw;
	}
	return jw / 2;
}

/* The best unit for a query string; its similarity. */
static double
search_best_unit(const struct search_names *nm, const char *q,
    const char *qskel, int prefix, size_t nwords, size_t *best,
    unsigned *why)
{
	double		 s, top = 0;
	unsigned	 w;
	size_t		 i;

	*best = SIZE_MAX;
	*why = 0;
	for (i = 0; i < nm->n; i++) {
		/* A run of query words meets a run, a word a word... */
		if (nwords == 1 && nm->u[i].nwords > 1 && !prefix) {
			s = search_unit_sim(q, qskel, 0, &nm->u[i], &w);
			if (w != SEARCH_WHY_EXACT && w != SEARCH_WHY_SOUNDS)
				continue;	/* only whole joins */
		} else
			s = search_unit_sim(q, qskel, prefix, &nm->u[i], &w);
		if (s > top) {
			top = s;
			*best = i;
			*why = w;
		}
	}
	return top;
}

/* Exact or transliterated, for a Latin-equal match of a typed word. */
static unsigned
search_exactness(const struct search_names *nm, const struct search_unit *u,
    const struct search_term *t)
{
	if (t->folded != NULL && u->value < nm->nvalues &&
	    search_has_word(&nm->folded[u->value], t->folded))
		return SEARCH_WHY_EXACT;
	return SEARCH_WHY_TRANSLIT;
}

/* How well a number term agrees with the record's number fields. */
static double
search_number_sim(const struct record *r, const struct search_term *t)
{
	const struct schema_form	*form = r->form;
	struct buf			 c = BUF_INIT;
	double				 best = 0, s;
	size_t				 i, j, tl = strlen(t->text);

	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].search != SCHEMA_SEARCH_NUMBER)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			buf_reset(&c);
			if (match_compact(r->fields[i].v[j],
			    strlen(r->fields[i].v[j]), &c, NULL) != NCEN_OK)
				continue;
			s = 0;
			if (c.len == tl && memcmp(c.s, t->text, tl) == 0)
				s = 1.0;
			else if (tl >= 3 && memmem(c.s, c.len, t->text, tl) !=
			    NULL)
				s = t->prefix ? 0.95 : 0.9;
			else if (match_jw(c.s, c.len, t->text, tl) >= 0.9)
				s = 0.8;
			if (s > best)
				best = s;
		}
	}
	buf_free(&c);
	return best;
}

/* How well a date term agrees with the record's dates. */
static double
search_date_sim(const struct record *r, const struct search_term *t)
{
	const struct schema_form	*form = r->form;
	double				 best = 0;
	size_t				 i, j;
	const char			*v;

	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].search != SCHEMA_SEARCH_DATE)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			v = r->fields[i].v[j];
			if (strcmp(v, t->text) == 0)
				return 1.0;
			/* 1997-10-03 typed as 10/03/1997, month first. */
			if (strlen(v) == 10 && memcmp(v, t->text, 5) == 0 &&
			    memcmp(v + 5, t->text + 8, 2) == 0 &&
			    memcmp(v + 8, t->text + 5, 2) == 0)
				best = 0.6;
		}
	}
	return best;
}

/* Whether a two-letter term is a country the record has. */
static int
search_country(const struct record *r, const char *text)
{
	const struct schema_form	*form = r->form;
	size_t				 i, j;

	if (strlen(text) != 2)
		return 0;
	for (i = 0; i < form->nfields; i++) {
		if (form->fields[i].search != SCHEMA_SEARCH_COUNTRY)
			continue;
		for (j = 0; j < r->fields[i].n; j++)
			if (strcasecmp(r->fields[i].v[j], text) == 0)
				return 1;
	}
	return 0;
}

/* Score a record against the terms: 0 to 100, why, best field. */
static int
search_score(const struct record *r, const struct search_terms *ts,
    unsigned *why, const struct schema_field **field)
{
	struct search_names		 nm;
	const struct search_term	*t;
	struct buf			 j = BUF_INIT;
	double				 sim[SEARCH_TERMS], s, sj, total = 0;
	unsigned			 w, wj, covered = 0;
	size_t				 i, k, n, best, bestj;
	char				*sk;

	*why = 0;
	*field = NULL;
	search_names_get(r, &nm);
	for (i = 0; i < ts->n; i++)
		sim[i] = -1;
	for (i = 0; i < ts->n; i++) {
		t = &ts->t[i];
		if (sim[i] >= 0)
			continue;	/* covered by a run before */
		switch (t->kind) {
		case SEARCH_T_DATE:
			sim[i] = search_date_sim(r, t);
			if (sim[i] > 0)
				*why |= SEARCH_WHY_DATE;
			continue;
		case SEARCH_T_NUMBER:
			sim[i] = search_number_sim(r, t);
			if (sim[i] > 0)
				*why |= SEARCH_WHY_DOCUMENT;
			continue;
		case SEARCH_T_NAME:
			break;
		}
		if (search_country(r, t->text)) {
			sim[i] = 1.0;
			*why |= SEARCH_WHY_COUNTRY;
			continue;
		}
		s = search_best_unit(&nm, t->text, t->skel, t->prefix, 1,
		    &best, &w);
		/* A run of 2 or 3 query words against one unit. */
		for (k = 2; k <= MATCH_JOIN_MAX && i + k <= ts->n; k++) {
			if (ts->t[i + k - 1].kind != SEARCH_T_NAME ||
			    ts->t[i + k - 1].prefix)
				break;
			buf_reset(&j);
			for (n = i; n < i + k; n++)
				buf_adds(&j, ts->t[n].text);
			sk = search_join_skel(ts, i, k);
			sj = search_best_unit(&nm, buf_cstr(&j), sk, 0, k,
			    &bestj, &wj);
			free(sk);
			if (bestj != SIZE_MAX && (wj == SEARCH_WHY_EXACT ||
			    wj == SEARCH_WHY_SOUNDS) && sj > s) {
				for (n = i + 1; n < i + k; n++)
					sim[n] = sj;
				s = sj;
				best = bestj;
				w = wj;
			}
		}
		sim[i] = s;
		if (best == SIZE_MAX || s < 0.7)
			continue;
		if (w == SEARCH_WHY_EXACT)
			w = search_exactness(&nm, &nm.u[best], t);
		else if (w != SEARCH_WHY_PREFIX && !t->ascii)
			w |= SEARCH_WHY_TRANSLIT;
		*why |= w;
		if (nm.u[best].field->search == SCHEMA_SEARCH_ALIAS)
			*why |= SEARCH_WHY_ALIAS;
		else
			covered += (unsigned)nm.u[best].nwords;
		if (*field == NULL)
			*field = nm.u[best].field;
	}
	/* The first loop set sim[0] to sim[ts->n - 1]: cppcheck misses it. */
	for (i = 0; i < ts->n; i++)
		/* cppcheck-suppress uninitvar */
		total += sim[i] < 0 ? 0 : sim[i];
	/* Only a record matched exactly and wholly reaches 100. */
	total = (100.0 - SEARCH_COVER_BONUS) * total / (double)ts->n;
	if (nm.nprimary != 0 && covered >= nm.nprimary)
		total += SEARCH_COVER_BONUS;
	else if (nm.nprimary != 0)
		total += SEARCH_COVER_BONUS * (double)covered /
		    (double)nm.nprimary;
	else
		total += SEARCH_COVER_BONUS;	/* no names to cover */
	search_names_free(&nm);
	buf_free(&j);
	if (total > 100)
		total = 100;
	return (int)(total + 0.5);
}

/* A one-line summary of a record: its searched fields, as stored. */
static void
search_summary(const struct record *r, struct buf *out)
{
	const struct schema_form	*form = r->form;
	const struct schema_field	*f;
	size_t				 i, j;
	int				 aka = 0;

	for (i = 0; i < form->nfields; i++) {
		f = &form->fields[i];
		if (f->search == SCHEMA_SEARCH_NONE || r->fields[i].n == 0)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			if (out->len != 0)
				buf_adds(out, f->search == SCHEMA_SEARCH_NAME ?
				    " " : "; ");
			if (f->search == SCHEMA_SEARCH_ALIAS && !aka++)
				buf_adds(out, "aka ");
			else if (f->search != SCHEMA_SEARCH_NAME &&
			    f->search != SCHEMA_SEARCH_ALIAS)
				buf_addf(out, "%s ", f->name);
			buf_adds(out, r->fields[i].v[j]);
		}
	}
	/* One line: no tabs or newlines from the values. */
	for (i = 0; i < out->len; i++)
		if (out->s[i] == '\t' || out->s[i] == '\n' || out->s[i] == '\r')
			out->s[i] = ' ';
}

/* Order candidates: most terms, then most found exactly, then lower id. */
static int
search_cand_cmp(const void *va, const void *vb)
{
	const struct search_cand	*a = va, *b = vb;

	if (a->nterms != b->nterms)
		return a->nterms > b->nterms ? -1 : 1;
	if (a->nexact != b->nexact)
		return a->nexact > b->nexact ? -1 : 1;
	if (a->nterms != b->nterms)
		return a->nterms > b->nterms ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Order hits: best score first, then entity, then lower id. */
static int
search_hit_cmp(const void *va, const void *vb)
{
	const struct search_hit	*a = va, *b = vb;
	int			 c;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if ((c = strcmp(a->entity, b->entity)) != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Whether an office is already named in a list "A, B". */
static int
search_named(const struct buf *list, const char *office)
{
	const char	*p = buf_cstr(list);
	size_t		 len = strlen(office);

	for (; (p = strstr(p, office)) != NULL; p += len)
		if ((p == buf_cstr(list) || p[-1] == ' ') &&
		    (p[len] == '\0' || p[len] == ','))
			return 1;
	return 0;
}

/*
 * Whether the account sees a record; if not and count, count it as a
 * hidden match and note where it lies.
 */
static int
search_hide(struct store *st, const struct search_query *q,
    const struct record *r, int count, struct search_result *res, int *seen,
    struct ncen_err *err)
{
	struct auth_seen	 as = { 0, BUF_INIT };
	int			 error;

	*seen = 1;
	if (q->acct == NULL)
		return NCEN_OK;
	if ((error = auth_see(st, NULL, q->acct, r, &as, err)) != NCEN_OK) {
		buf_free(&as.office);
		return error;
	}
	*seen = as.seen;
	if (!as.seen && count) {
		if (res->hidden++ == 0)
			res->hidden_entity = r->form->name;
		else if (res->hidden_entity != NULL &&
		    strcmp(res->hidden_entity, r->form->name) != 0)
			res->hidden_entity = NULL;
		if (as.office.len == 0)
			res->unlinked++;
		else if (!search_named(&res->offices, buf_cstr(&as.office))) {
			if (res->offices.len != 0)
				buf_adds(&res->offices, ", ");
			buf_add(&res->offices, as.office.s, as.office.len);
		}
		buf_addf(&res->hidden_recs, "%s:%llu\n", r->form->name,
		    (unsigned long long)r->id);
	}
	buf_free(&as.office);
	return NCEN_OK;
}

/* Search one form: gather, read, score, keep what the account sees. */
static int
search_form(struct store *st, const struct search_query *q,
    const struct schema_form *form, const struct search_terms *ts,
    struct search_result *res, size_t *cap, struct ncen_err *err)
{
	struct search_set	 set;
	struct search_cand	*c = NULL;
	struct search_hit	*h;
	struct record		*r;
	struct buf		 sum = BUF_INIT;
	const struct schema_field *field;
	size_t			 i, n = 0;
	unsigned		 why;
	int			 score, seen, more = 0, error;

	memset(&set, 0, sizeof set);
	if ((error = store_search_ready(st, form->name, err)) != NCEN_OK ||
	    (error = search_gather(st, form->name, ts, &set, &more, err)) !=
	    NCEN_OK)
		goto out;
	if (more)
		res->more = 1;
	c = xcalloc(set.n == 0 ? 1 : set.n, sizeof *c);
	for (i = 0; i < set.cap; i++)
		if (set.c[i].id != 0)
			c[n++] = set.c[i];
	if (n > 1)
		qsort(c, n, sizeof *c, search_cand_cmp);
	if (n > SEARCH_CANDIDATES) {
		n = SEARCH_CANDIDATES;
		res->more = 1;
	}
	for (i = 0; i < n; i++) {
		r = NULL;
		if ((error = store_get(st, form->name, c[i].id, &r, err)) ==
		    NCEN_ENOTFOUND) {
			ncen_err_clear(err);	/* deleted meanwhile */
			continue;
		}
		if (error != NCEN_OK)
			goto out;
		score = search_score(r, ts, &why, &field);
		/* A weak match not seen is not worth telling about. */
		if ((error = search_hide(st, q, r, score >= SEARCH_HIDDEN_MIN,
		    res, &seen, err)) != NCEN_OK) {
			record_free(r);
			goto out;
		}
		if (!seen) {
			record_free(r);
			continue;
		}
		if (res->n == *cap) {
			*cap = *cap == 0 ? 64 : *cap * 2;
			res->hits = xreallocarray(res->hits, *cap,
			    sizeof *res->hits);
		}
		h = &res->hits[res->n++];
		memset(h, 0, sizeof *h);
		h->entity = form->name;
		h->id = r->id;
		h->score = score;
		h->why = why;
		h->field = field;
		buf_reset(&sum);
		search_summary(r, &sum);
		h->summary = xstrdup(buf_cstr(&sum));
		h->rec = r;
	}
	error = NCEN_OK;
out:
	free(c);
	free(set.c);
	buf_free(&sum);
	return error;
}

/* Search every form (or one) and keep the best hits. */
int
search_run(struct store *st, const struct search_query *q,
    struct search_result *res, struct ncen_err *err)
{
	const struct schema	*schema;
	struct search_terms	 ts;
	size_t			 i, limit, cap = 0;
	int			 error = NCEN_OK, any = 0;

	memset(res, 0, sizeof *res);
	memset(&ts, 0, sizeof ts);
	if (st == NULL || q == NULL || q->text == NULL)
		return ncen_err_set(err, NCEN_EUSAGE, "search_run: no store "
		    "or no query");
	limit = q->limit == 0 ? SEARCH_LIMIT_DEFAULT : q->limit;
	if (limit > SEARCH_LIMIT_MAX)
		limit = SEARCH_LIMIT_MAX;
	schema = store_schema(st);
	if (q->entity != NULL && !store_search_has(st, q->entity))
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no form of that "
		    "name has searched fields"), q->entity);
	if ((error = search_parse(q->text, q->flags, &ts, err)) != NCEN_OK)
		return error;
	for (i = 0; i < schema->nforms && error == NCEN_OK; i++) {
		if ((q->entity != NULL && strcmp(q->entity,
		    schema->forms[i]->name) != 0) ||
		    !store_search_has(st, schema->forms[i]->name))
			continue;
		any = 1;
		error = search_form(st, q, schema->forms[i], &ts, res, &cap,
		    err);
	}
	search_terms_free(&ts);
	if (error != NCEN_OK) {
		search_result_free(res);
		return error;
	}
	if (!any)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("no form has "
		    "searched fields (see `search` in ncen-forms(5))"));
	if (res->n > 1)
		qsort(res->hits, res->n, sizeof *res->hits, search_hit_cmp);
	if (res->n > limit) {
		for (i = limit; i < res->n; i++) {
			free(res->hits[i].summary);
			record_free(res->hits[i].rec);
		}
		res->n = limit;
		res->more = 1;
	}
	return NCEN_OK;
}

/* Release a result's hits and notes. */
void
search_result_free(struct search_result *res)
{
	size_t	i;

	if (res == NULL)
		return;
	for (i = 0; i < res->n; i++) {
		free(res->hits[i].summary);
		record_free(res->hits[i].rec);
	}
	free(res->hits);
	buf_free(&res->offices);
	buf_free(&res->hidden_recs);
	memset(res, 0, sizeof *res);
}
