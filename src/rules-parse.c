/*
 * rules-parse.c - the ncen-rules language (rules.h, ncen-rules(5)).
 *
 * Line based, like the forms: the lexer of schema-parse.c splits each
 * line into words and strings; each line is read by the row of the
 * table below that its first word names.  Every problem is reported at
 * its file, line and column, and a file with one problem gives no rules
 * at all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "rules.h"
#include "schema.h"
#include "xmalloc.h"

#define RULES_MAGIC	"ncen-rules"
#define RULES_MAX	1000		/* rules in a file */
#define RULES_CONDS_MAX	32		/* conditions of a rule */
#define RULES_TEXT_MAX	200		/* bytes of a title */

/* The forms a condition may name; the count's ENTITY is one of the last. */
static const char *const rules_entities[] = {
	"case", "seizure", "person", "business", "conveyance",
};
#define RULES_NENTITIES	(sizeof rules_entities / sizeof rules_entities[0])
#define RULES_LINKED	2	/* person and after: linked to the case */

static const struct {
	const char	*name;
	enum rules_op	 op;
} rules_ops[] = {
	{ "=", RULES_EQ }, { "!=", RULES_NE }, { "in", RULES_IN },
	{ ">=", RULES_GE }, { "<=", RULES_LE }, { ">", RULES_GT },
	{ "<", RULES_LT },
};
#define RULES_NOPS	(sizeof rules_ops / sizeof rules_ops[0])

struct rules_parse {
	struct schema_lex	 lx;
	const struct schema	*schema;
	struct rules		*rules;
	size_t			 cap;
	struct rules_rule	*rule;		/* the open rule */
	unsigned		 rulecol;
};

typedef int (*rules_line_fn)(struct rules_parse *);

/* The name of an operator. */
const char *
rules_op_name(enum rules_op op)
{
	size_t	i;

	for (i = 0; i < RULES_NOPS; i++)
		if (rules_ops[i].op == op)
			return rules_ops[i].name;
	return "?";
}

/* Token i as a new string. */
static char *
rules_tok(const struct rules_parse *p, size_t i)
{
	return xstrndup(p->lx.tok[i].s, p->lx.tok[i].len);
}

/* Refuse a second line of a kind the rule has already. */
static int
rules_once(struct rules_parse *p, int given, const char *what)
{
	if (!given)
		return 0;
	return schema_lex_error(&p->lx, p->lx.tok[0].col,
	    _("'%s' is given twice in rule '%s'"), what, p->rule->name);
}

/* Check the open rule once it is complete. */
static int
rules_close(struct rules_parse *p)
{
	struct rules_rule	*r = p->rule;
	unsigned		 line = p->lx.line;
	int			 rc = 0;

	if (r == NULL)
		return 0;
	p->lx.line = r->line;
	if (r->title == NULL)
		rc = schema_lex_error(&p->lx, p->rulecol,
		    _("rule '%s' has no title line"), r->name);
	else if (r->nconds == 0 && r->count.n == 0)
		rc = schema_lex_error(&p->lx, p->rulecol,
		    _("rule '%s' has no 'when' or 'count' line"), r->name);
	p->lx.line = line;
	p->rule = NULL;
	return rc;
}

/* rule NAME */
static int
rules_line_rule(struct rules_parse *p)
{
	struct rules_rule	*r;
	struct buf		 n = BUF_INIT;
	size_t			 i;

	if (rules_close(p) != 0)
		return -1;
	if (p->lx.ntok < 2 || p->lx.tok[1].quoted ||
	    !schema_lex_name(p->lx.tok[1].s, p->lx.tok[1].len))
		return schema_lex_expected(&p->lx, 1, _("a rule name (a "
		    "lower-case letter, then letters, digits or _, at most 32)"));
	if (schema_lex_end(&p->lx, 2) != 0)
		return -1;
	buf_add(&n, p->lx.tok[1].s, p->lx.tok[1].len);
	for (i = 0; i < p->rules->n; i++)
		if (strcmp(p->rules->v[i].name, buf_cstr(&n)) == 0) {
			schema_lex_error(&p->lx, p->lx.tok[1].col,
			    _("rule '%s' is defined twice (first at line %u)"),
			    buf_cstr(&n), p->rules->v[i].line);
			buf_free(&n);
			return -1;
		}
	if (p->rules->n == RULES_MAX) {
		buf_free(&n);
		return schema_lex_error(&p->lx, p->lx.tok[0].col,
		    _("expected at most %d rules in a file, found more"),
		    RULES_MAX);
	}
	if (p->rules->n == p->cap) {
		p->cap = p->cap == 0 ? 8 : p->cap * 2;
		p->rules->v = xreallocarray(p->rules->v, p->cap,
		    sizeof *p->rules->v);
	}
	r = &p->rules->v[p->rules->n++];
	memset(r, 0, sizeof *r);
	r->name = buf_detach(&n);
	r->line = p->lx.line;
	p->rule = r;
	p->rulecol = p->lx.tok[1].col;
	return 0;
}

/* title "TEXT" */
static int
rules_line_title(struct rules_parse *p)
{
	if (rules_once(p, p->rule->title != NULL, "title") != 0)
		return -1;
	if (p->lx.ntok < 2 || !p->lx.tok[1].quoted || p->lx.tok[1].len == 0 ||
	    p->lx.tok[1].len > RULES_TEXT_MAX)
		return schema_lex_expected(&p->lx, 1, _("a title as a "
		    "\"string\" of 1 to 200 bytes"));
	if (schema_lex_end(&p->lx, 2) != 0)
		return -1;
	p->rule->title = rules_tok(p, 1);
	return 0;
}

/* notify ACCOUNT-OR-ROLE */
static int
rules_line_notify(struct rules_parse *p)
{
	if (rules_once(p, p->rule->notify != NULL, "notify") != 0)
		return -1;
	if (p->lx.ntok < 2 || p->lx.tok[1].quoted || p->lx.tok[1].len > 32)
		return schema_lex_expected(&p->lx, 1, _("an account or role "
		    "name"));
	if (schema_lex_end(&p->lx, 2) != 0)
		return -1;
	p->rule->notify = rules_tok(p, 1);
	return 0;
}

/* Token i as ENTITY.FIELD of the forms (from != 0: case.FIELD only). */
static int
rules_path(struct rules_parse *p, size_t i, size_t from,
    const struct schema_form **fp, const struct schema_field **fieldp)
{
	const struct schema_tok	*t = &p->lx.tok[i];
	const struct schema_form *f = NULL;
	const char		*dot;
	struct buf		 b = BUF_INIT;
	size_t			 e;
	int			 rc = 0;

	if (i >= p->lx.ntok || t->quoted || (dot = memchr(t->s, '.',
	    t->len)) == NULL)
		return schema_lex_expected(&p->lx, i, from == 0 ?
		    _("ENTITY.FIELD (case.office, seizure.commodity, "
		    "person.nationality...)") : _("case.FIELD"));
	for (e = 0; e < RULES_NENTITIES; e++)
		if (strlen(rules_entities[e]) == (size_t)(dot - t->s) &&
		    memcmp(rules_entities[e], t->s, (size_t)(dot - t->s)) == 0)
			break;
	if (from != 0 && e != 0)
		e = RULES_NENTITIES;
	if (e == RULES_NENTITIES || (f = schema_form_find(p->schema,
	    rules_entities[e])) == NULL) {
		schema_lex_found(&p->lx, i, &b);
		rc = schema_lex_error(&p->lx, t->col, _("expected %s, found %s"),
		    from != 0 ? _("case.FIELD") : _("case, seizure, person, "
		    "business or conveyance (forms of this database) before "
		    "the dot"), buf_cstr(&b));
		buf_free(&b);
		return rc;
	}
	buf_add(&b, dot + 1, t->len - (size_t)(dot + 1 - t->s));
	*fieldp = schema_field_find(f, buf_cstr(&b));
	if (*fieldp == NULL)
		rc = schema_lex_error(&p->lx, t->col + (unsigned)(dot + 1 -
		    t->s), _("form '%s' has no field '%s'"), f->name,
		    buf_cstr(&b));
	buf_free(&b);
	*fp = f;
	return rc;
}

/* Whether s is a decimal number: digits, at most one point, a sign. */
static int
rules_is_number(const char *s)
{
	char	*end;

	if (*s == '\0')
		return 0;
	errno = 0;
	(void)strtod(s, &end);
	return *end == '\0' && errno == 0 && strspn(s, "+-.0123456789") ==
	    strlen(s);
}

/* Whether s is YYYY-MM-DD. */
static int
rules_is_date(const char *s)
{
	static const char	shape[] = "dddd-dd-dd";
	size_t			i;

	if (strlen(s) != sizeof shape - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return 0;
	return 1;
}

/* Check value token i against the condition's field and operator. */
static int
rules_value(struct rules_parse *p, size_t i, const struct rules_cond *c,
    const char *v)
{
	const struct schema_field	*f = c->field;
	const struct schema_codelist	*l;

	if (c->op >= RULES_GE) {
		if (f->type == SCHEMA_DATE || f->type == SCHEMA_DATETIME) {
			if (!rules_is_date(v))
				return schema_lex_expected(&p->lx, i,
				    _("a date YYYY-MM-DD"));
		} else if (f->type == SCHEMA_INTEGER ||
		    f->type == SCHEMA_DECIMAL) {
			if (!rules_is_number(v))
				return schema_lex_expected(&p->lx, i,
				    _("a number"));
		} else
			return schema_lex_error(&p->lx, p->lx.tok[i - 1].col,
			    _("'%s' compares numbers and dates; %s.%s is "
			    "neither"), rules_op_name(c->op), c->form->name,
			    f->name);
		return 0;
	}
	if (f->type == SCHEMA_CODE &&
	    (l = schema_list_find(p->schema, f->target)) != NULL &&
	    schema_code_find(l, v) == NULL)
		return schema_lex_error(&p->lx, p->lx.tok[i].col,
		    _("'%s' is not a code of list '%s' (%s.%s)"), v, l->name,
		    c->form->name, f->name);
	return 0;
}

/* when ENTITY.FIELD OP VALUE... */
static int
rules_line_when(struct rules_parse *p)
{
	struct rules_rule	*r = p->rule;
	struct rules_cond	 c;
	size_t			 i, o;

	memset(&c, 0, sizeof c);
	if (r->nconds == RULES_CONDS_MAX)
		return schema_lex_error(&p->lx, p->lx.tok[0].col,
		    _("expected at most %d conditions in a rule, found more"),
		    RULES_CONDS_MAX);
	if (rules_path(p, 1, 0, &c.form, &c.field) != 0)
		return -1;
	for (o = 0; o < RULES_NOPS; o++)
		if (schema_lex_is(&p->lx, 2, rules_ops[o].name))
			break;
	if (o == RULES_NOPS)
		return schema_lex_expected(&p->lx, 2,
		    _("an operator (=, !=, in, >=, <=, >, <)"));
	c.op = rules_ops[o].op;
	if (p->lx.ntok < 4)
		return schema_lex_expected(&p->lx, 3, _("a value"));
	if (c.op != RULES_IN && c.op != RULES_EQ && c.op != RULES_NE &&
	    schema_lex_end(&p->lx, 4) != 0)
		return -1;
	if (p->lx.ntok - 3 > RULES_VALUES_MAX)
		return schema_lex_error(&p->lx, p->lx.tok[3 +
		    RULES_VALUES_MAX].col, _("expected at most %d values, "
		    "found more"), RULES_VALUES_MAX);
	for (i = 3; i < p->lx.ntok; i++) {
		c.values[c.nvalues] = rules_tok(p, i);
		c.nvalues++;
		if (rules_value(p, i, &c, c.values[c.nvalues - 1]) != 0) {
			while (c.nvalues > 0)
				free(c.values[--c.nvalues]);
			return -1;
		}
	}
	r->conds = xreallocarray(r->conds, r->nconds + 1, sizeof *r->conds);
	r->conds[r->nconds++] = c;
	return 0;
}

/* Token i as a whole number from 1 to max. */
static int
rules_number(struct rules_parse *p, size_t i, unsigned long max,
    unsigned long *v, const char *what)
{
	if (i >= p->lx.ntok || p->lx.tok[i].quoted ||
	    !schema_lex_number(p->lx.tok[i].s, p->lx.tok[i].len, max, v) ||
	    *v == 0)
		return schema_lex_expected(&p->lx, i, what);
	return 0;
}

/* count N [of case.FIELD] [within D days] by ENTITY [role ROLE] */
static int
rules_line_count(struct rules_parse *p)
{
	struct rules_count		*c = &p->rule->count;
	const struct schema_form	*f;
	const struct schema_codelist	*l;
	size_t				 i = 2, e;

	if (rules_once(p, c->n != 0, "count") != 0)
		return -1;
	if (rules_number(p, 1, 10000, &c->n, _("how many (2 to 10000)")) != 0)
		return -1;
	if (c->n < 2) {
		c->n = 0;
		return schema_lex_expected(&p->lx, 1, _("how many (2 to "
		    "10000)"));
	}
	if (schema_lex_is(&p->lx, i, "of")) {
		if (rules_path(p, i + 1, 1, &f, &c->of) != 0)
			goto fail;
		i += 2;
	}
	if (schema_lex_is(&p->lx, i, "within")) {
		if (rules_number(p, i + 1, RULES_DAYS_MAX, &c->days,
		    _("a number of days (1 to 36600)")) != 0)
			goto fail;
		if (!schema_lex_is(&p->lx, i + 2, "days")) {
			schema_lex_expected(&p->lx, i + 2, "'days'");
			goto fail;
		}
		i += 3;
	}
	if (!schema_lex_is(&p->lx, i, "by")) {
		schema_lex_expected(&p->lx, i, c->of == NULL && c->days == 0 ?
		    _("'of', 'within' or 'by'") : _("'by'"));
		goto fail;
	}
	for (e = RULES_LINKED; e < RULES_NENTITIES; e++)
		if (schema_lex_is(&p->lx, i + 1, rules_entities[e]) &&
		    (c->by = schema_form_find(p->schema, rules_entities[e])) !=
		    NULL)
			break;
	if (c->by == NULL) {
		schema_lex_expected(&p->lx, i + 1, _("person, business or "
		    "conveyance (forms of this database)"));
		goto fail;
	}
	i += 2;
	if (schema_lex_is(&p->lx, i, "role")) {
		if (i + 1 >= p->lx.ntok || p->lx.tok[i + 1].quoted) {
			schema_lex_expected(&p->lx, i + 1, _("a role code"));
			goto fail;
		}
		c->role = rules_tok(p, i + 1);
		/* Roles are codes of the role list when the forms have it. */
		if ((l = schema_list_find(p->schema, "role")) != NULL &&
		    schema_code_find(l, c->role) == NULL) {
			schema_lex_error(&p->lx, p->lx.tok[i + 1].col,
			    _("'%s' is not a code of list '%s'"), c->role,
			    l->name);
			goto fail;
		}
		i += 2;
	}
	if (schema_lex_end(&p->lx, i) != 0)
		goto fail;
	return 0;
fail:
	free(c->role);
	memset(c, 0, sizeof *c);
	return -1;
}

/* The lines of a rule, by their first word. */
static const struct {
	const char	*word;
	rules_line_fn	 fn;
} rules_lines[] = {
	{ "rule", rules_line_rule },
	{ "title", rules_line_title },
	{ "notify", rules_line_notify },
	{ "when", rules_line_when },
	{ "count", rules_line_count },
};
#define RULES_NLINES	(sizeof rules_lines / sizeof rules_lines[0])

/* Parse a rules file's text, checked against the forms. */
int
rules_parse(const char *path, const char *text, size_t len,
    const struct schema *schema, struct rules **out, struct ncen_err *err)
{
	struct rules_parse	 p;
	size_t			 i;
	int			 r;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.schema = schema;
	p.rules = xcalloc(1, sizeof *p.rules);
	schema_lex_init(&p.lx, path, text, len, err);
	if (schema_lex_magic(&p.lx, RULES_MAGIC) != 0)
		goto fail;
	while ((r = schema_lex_line(&p.lx)) == 1) {
		for (i = 0; i < RULES_NLINES; i++)
			if (schema_lex_is(&p.lx, 0, rules_lines[i].word))
				break;
		if (i == RULES_NLINES || (i != 0 && p.rule == NULL)) {
			schema_lex_expected(&p.lx, 0, p.rule == NULL ?
			    _("'rule NAME'") : _("'rule', 'title', 'notify', "
			    "'when' or 'count'"));
			goto fail;
		}
		if (rules_lines[i].fn(&p) != 0)
			goto fail;
	}
	if (r < 0 || rules_close(&p) != 0)
		goto fail;
	schema_lex_free(&p.lx);
	for (i = 0; i < p.rules->n; i++)
		if (p.rules->v[i].notify == NULL)
			p.rules->v[i].notify = xstrdup("analyst");
	*out = p.rules;
	return NCEN_OK;
fail:
	schema_lex_free(&p.lx);
	rules_free(p.rules);
	if (err->code == NCEN_OK)
		ncen_err_set(err, NCEN_EPARSE, "%s: %s", path,
		    _("malformed rules file"));
	return (int)err->code;
}

/* Read and parse a rules file. */
int
rules_load_file(const char *path, const struct schema *schema,
    struct rules **out, struct ncen_err *err)
{
	struct buf	 b = BUF_INIT;
	char		 chunk[8192];
	FILE		*fp;
	size_t		 n;
	int		 rc;

	*out = NULL;
	if ((fp = fopen(path, "r")) == NULL)
		return ncen_err_set(err, errno == ENOENT ? NCEN_ENOTFOUND :
		    NCEN_EIO, "%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fclose(fp);
		buf_free(&b);
		return ncen_err_set(err, NCEN_EIO, "%s: %s", path,
		    _("cannot read the file"));
	}
	fclose(fp);
	rc = rules_parse(path, b.s != NULL ? b.s : "", b.len, schema, out,
	    err);
	buf_free(&b);
	return rc;
}

/* The data directory's rules (DIR/alert.rules), empty when absent. */
int
rules_load(const char *home, const struct schema *schema,
    struct rules **out, struct ncen_err *err)
{
	struct buf	path = BUF_INIT;
	int		rc;

	buf_addf(&path, "%s/%s", home, RULES_FILE);
	rc = rules_load_file(buf_cstr(&path), schema, out, err);
	if (rc == NCEN_ENOTFOUND) {
		ncen_err_clear(err);
		*out = xcalloc(1, sizeof **out);
		rc = NCEN_OK;
	}
	buf_free(&path);
	return rc;
}

/* A rule by name, or NULL. */
const struct rules_rule *
rules_find(const struct rules *rs, const char *name)
{
	size_t	i;

	for (i = 0; rs != NULL && i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return &rs->v[i];
	return NULL;
}

/* Release a rule set. */
void
rules_free(struct rules *rs)
{
	size_t	i, j, k;

	if (rs == NULL)
		return;
	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->v[i].nconds; j++)
			for (k = 0; k < rs->v[i].conds[j].nvalues; k++)
				free(rs->v[i].conds[j].values[k]);
		free(rs->v[i].conds);
		free(rs->v[i].name);
		free(rs->v[i].title);
		free(rs->v[i].notify);
		free(rs->v[i].count.role);
	}
	free(rs->v);
	free(rs);
}
