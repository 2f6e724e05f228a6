/*
 * report-case.c - the case report: a whole case as text for a line
 * printer (see report.h).
 *
 * The report is built in two passes: first the body, one line at a time
 * (each already within REPORT_COLS columns, wrapped at blanks), with the
 * lines that must not end a page (headings) marked; then the pages, so
 * that each header can say "page N of M".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "report.h"
#include "schema.h"
#include "store.h"
#include "workflow.h"
#include "xmalloc.h"

/* Columns a field's label takes before its value. */
#define REPORT_LABEL_COLS	36
/* Lines of a page the header takes: title, rule, blank. */
#define REPORT_HEAD_LINES	3
/* A heading is kept on the page of at least this many lines after it. */
#define REPORT_KEEP		2

/* One line of the body. */
struct report_line {
	char	*text;
	int	 keep;		/* must not end a page */
};

/* What a report keeps while it is built. */
struct report_doc {
	struct store			*st;
	const struct schema		*schema;
	const struct report_opts	*o;
	struct report_result		*res;
	struct report_line		*lines;
	size_t				 n;
	struct record			**seizures;
	size_t				 nseizures;
	struct store_link		*links;
	size_t				 nlinks;
	struct record			**steps;
	size_t				 nsteps;
};

/* How a field is printed when it is not like the others. */
enum report_how {
	REPORT_SKIP,		/* not at all: the section says it */
	REPORT_PLAIN,		/* always, never counted as nominal */
};

/* The fields printed differently (the case screen does the same). */
static const struct {
	const char	*form;
	const char	*field;
	enum report_how	 how;
} report_special[] = {
	{ "seizure", "case", REPORT_SKIP },
	{ "attachment", "entity", REPORT_SKIP },
	{ "attachment", "record", REPORT_SKIP },
	{ "case", "number", REPORT_SKIP },	/* in every page header */
	{ "case", "status", REPORT_PLAIN },
};

/* Sections of linked records, in the order printed. */
static const struct {
	const char	*entity;	/* NULL: any other */
	const char	*heading;	/* N_() */
} report_sections[] = {
	{ "person", N_("Persons") },
	{ "business", N_("Businesses") },
	{ "conveyance", N_("Conveyances") },
	{ NULL, N_("Other linked records") },
	{ "attachment", N_("Attachments") },
};
#define REPORT_NSECT (sizeof report_sections / sizeof report_sections[0])

/* Columns a UTF-8 string takes: one per character. */
static size_t
report_width(const char *s, size_t len)
{
	size_t	i, w = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

/* Bytes of the first `cols` characters of s (at most len). */
static size_t
report_bytes(const char *s, size_t len, size_t cols)
{
	size_t	i, w = 0;

	for (i = 0; i < len; i++) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (w == cols)
				break;
			w++;
		}
	}
	return i;
}

/* Add a line to the body (copied). */
static void
report_add(struct report_doc *d, const char *text, int keep)
{
	d->lines = xreallocarray(d->lines, d->n + 1, sizeof *d->lines);
	d->lines[d->n].text = xstrdup(text);
	d->lines[d->n].keep = keep;
	d->n++;
}

/*
 * Add text wrapped at blanks within REPORT_COLS: the first line starts
 * with head, the next ones with indent blanks; a new line in the text
 * starts a new line, a tab is a blank, a word too long for a line is
 * cut.
 */
static void
report_wrap(struct report_doc *d, const char *head, const char *text,
    size_t indent)
{
	struct buf	 line = BUF_INIT;
	const char	*s = text, *w;
	size_t		 col, wl, ww, room, take;
	int		 fresh;

	buf_adds(&line, head);
	col = report_width(line.s, line.len);
	fresh = 1;
	while (*s != '\0') {
		if (*s == '\n') {
			report_add(d, buf_cstr(&line), 0);
			buf_reset(&line);
			for (col = 0; col < indent; col++)
				buf_addc(&line, ' ');
			fresh = 1;
			s++;
			continue;
		}
		if (*s == ' ' || *s == '\t' || (unsigned char)*s < 0x20) {
			s++;
			continue;
		}
		for (w = s; *s != '\0' && *s != ' ' && *s != '\t' &&
		    *s != '\n' && (unsigned char)*s >= 0x20; s++)
			;
		wl = (size_t)(s - w);
		ww = report_width(w, wl);
		if (col + (fresh ? 0 : 1) + ww > REPORT_COLS && !(fresh &&
		    col == indent && ww > REPORT_COLS - indent)) {
			report_add(d, buf_cstr(&line), 0);
			buf_reset(&line);
			for (col = 0; col < indent; col++)
				buf_addc(&line, ' ');
			fresh = 1;
		}
		/* A word wider than a whole line: cut it. */
		while (col + (fresh ? 0 : 1) + ww > REPORT_COLS) {
			if (!fresh) {
				buf_addc(&line, ' ');
				col++;
			}
			room = REPORT_COLS - col;
			take = report_bytes(w, wl, room);
			buf_add(&line, w, take);
			w += take;
			wl -= take;
			ww -= room;
			report_add(d, buf_cstr(&line), 0);
			buf_reset(&line);
			for (col = 0; col < indent; col++)
				buf_addc(&line, ' ');
			fresh = 1;
		}
		if (!fresh) {
			buf_addc(&line, ' ');
			col++;
		}
		buf_add(&line, w, wl);
		col += ww;
		fresh = 0;
	}
	report_add(d, buf_cstr(&line), 0);
	buf_free(&line);
}

/* A section heading, underlined, kept with what follows. */
static void
report_heading(struct report_doc *d, const char *title)
{
	struct buf	u = BUF_INIT;
	size_t		i, w;

	report_add(d, "", 0);
	w = report_width(title, strlen(title));
	report_add(d, title, 1);
	for (i = 0; i < w && i < REPORT_COLS; i++)
		buf_addc(&u, '-');
	report_add(d, buf_cstr(&u), 1);
	buf_free(&u);
}

/* A value as the reader reads it: a code's label, a reference's form. */
static void
report_value(struct report_doc *d, const struct schema_field *f,
    const char *v, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*c;
	const struct schema_form	*t;
	const char			*label;

	if (f->type == SCHEMA_CODE &&
	    (l = schema_list_find(d->schema, f->target)) != NULL &&
	    (c = schema_code_find(l, v)) != NULL &&
	    (label = schema_label(c->label, d->o->lang)) != NULL &&
	    *label != '\0') {
		buf_adds(b, label);
		return;
	}
	if (f->type == SCHEMA_REF &&
	    (t = schema_form_find(d->schema, f->target)) != NULL) {
		buf_addf(b, "%s %s", schema_label(t->label, d->o->lang), v);
		return;
	}
	buf_adds(b, v);
}

/* Whether a field of a record is printed in a special way. */
static int
report_is(const struct record *r, const struct schema_field *f,
    enum report_how how)
{
	size_t	i;

	for (i = 0; i < sizeof report_special / sizeof report_special[0]; i++)
		if (report_special[i].how == how &&
		    strcmp(report_special[i].form, r->form->name) == 0 &&
		    strcmp(report_special[i].field, f->name) == 0)
			return 1;
	return 0;
}

/* Whether the account may read a record's nominal fields. */
static int
report_may_nominal(const struct report_doc *d, const struct record *r)
{
	return d->o->acct == NULL ||
	    auth_may(d->o->acct, AUTH_VIEW_NOMINAL, r);
}

/*
 * Every field of a record that has a value, "Label: value, value", the
 * values from column REPORT_LABEL_COLS (a long one below its label);
 * nominal fields only when the account may read them, with a line
 * saying so when some were left out.
 */
static void
report_fields(struct report_doc *d, const struct record *r, size_t indent)
{
	const struct schema_field	*f;
	struct buf			 head = BUF_INIT, v = BUF_INIT;
	size_t				 i, j, w, left = 0;
	int				 see = report_may_nominal(d, r), plain;

	for (i = 0; i < r->form->nfields; i++) {
		f = &r->form->fields[i];
		if (r->fields[i].n == 0 || report_is(r, f, REPORT_SKIP))
			continue;
		plain = report_is(r, f, REPORT_PLAIN);
		if (f->share != SCHEMA_CEN && !plain) {
			if (!see) {
				left++;
				continue;
			}
			d->res->nominal = 1;
		}
		buf_reset(&v);
		for (j = 0; j < r->fields[i].n; j++) {
			if (j > 0)
				buf_adds(&v, ", ");
			report_value(d, f, r->fields[i].v[j], &v);
		}
		buf_reset(&head);
		for (j = 0; j < indent; j++)
			buf_addc(&head, ' ');
		buf_addf(&head, "%s:", schema_label(f->label, d->o->lang));
		w = report_width(head.s, head.len);
		/* A value that would wrap more than twice goes below. */
		if (w >= REPORT_LABEL_COLS || (report_width(v.s, v.len) >
		    2 * (REPORT_COLS - REPORT_LABEL_COLS) ||
		    strchr(buf_cstr(&v), '\n') != NULL)) {
			report_add(d, buf_cstr(&head), 0);
			buf_reset(&head);
			for (j = 0; j < indent + 2; j++)
				buf_addc(&head, ' ');
			report_wrap(d, buf_cstr(&head), buf_cstr(&v),
			    indent + 2);
			continue;
		}
		for (; w < REPORT_LABEL_COLS; w++)
			buf_addc(&head, ' ');
		report_wrap(d, buf_cstr(&head), buf_cstr(&v),
		    REPORT_LABEL_COLS);
	}
	if (left > 0) {
		buf_reset(&head);
		for (j = 0; j < indent; j++)
			buf_addc(&head, ' ');
		buf_reset(&v);
		buf_addf(&v, ngettext_("(%zu nominal field is left out: "
		    "not yours to see)", "(%zu nominal fields are left out: "
		    "not yours to see)", left), left);
		report_wrap(d, buf_cstr(&head), buf_cstr(&v), indent);
	}
	buf_free(&head);
	buf_free(&v);
}

/* store_find callback: keep a copy of each seizure line. */
static int
report_read_seizure(const struct record *r, void *arg)
{
	struct report_doc	*d = arg;

	d->seizures = xreallocarray(d->seizures, d->nseizures + 1,
	    sizeof *d->seizures);
	d->seizures[d->nseizures++] = record_copy(r);
	return 0;
}

/* store_links callback: keep a copy of each link. */
static int
report_read_link(const struct store_link *l, void *arg)
{
	struct report_doc	*d = arg;
	struct store_link	*c;

	d->links = xreallocarray(d->links, d->nlinks + 1, sizeof *d->links);
	c = &d->links[d->nlinks++];
	c->role = xstrdup(l->role != NULL ? l->role : "");
	c->entity = xstrdup(l->entity);
	c->id = l->id;
	c->incoming = l->incoming;
	return 0;
}

/* workflow_history callback: keep a copy of each step. */
static int
report_read_step(const struct record *r, void *arg)
{
	struct report_doc	*d = arg;

	d->steps = xreallocarray(d->steps, d->nsteps + 1, sizeof *d->steps);
	d->steps[d->nsteps++] = record_copy(r);
	return 0;
}

/* The seizure lines, each with all its fields. */
static void
report_seizures(struct report_doc *d)
{
	struct buf	h = BUF_INIT;
	size_t		i;

	buf_addf(&h, "%s (%zu)", _("Seizure lines"), d->nseizures);
	report_heading(d, buf_cstr(&h));
	for (i = 0; i < d->nseizures; i++) {
		buf_reset(&h);
		buf_addf(&h, _("  Seizure line %zu (record %" PRIu64 ")"),
		    i + 1, d->seizures[i]->id);
		if (i > 0)
			report_add(d, "", 0);
		report_add(d, buf_cstr(&h), 1);
		report_fields(d, d->seizures[i], 4);
	}
	buf_free(&h);
}

/* Which section a link goes in. */
static size_t
report_section(const struct store_link *l)
{
	size_t	i;

	for (i = 0; i < REPORT_NSECT; i++)
		if (report_sections[i].entity != NULL &&
		    strcmp(report_sections[i].entity, l->entity) == 0)
			return i;
	for (i = 0; i < REPORT_NSECT; i++)
		if (report_sections[i].entity == NULL)
			return i;
	return 0;
}

/* A role as the reader reads it: its label in the role list. */
static void
report_role(struct report_doc *d, const char *role, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*c;

	if ((l = schema_list_find(d->schema, "role")) != NULL &&
	    (c = schema_code_find(l, role)) != NULL)
		buf_adds(b, schema_label(c->label, d->o->lang));
	else
		buf_adds(b, role);
}

/*
 * One section of linked records: each the account sees, under its role,
 * with all its fields; a line says how many were left out.
 */
static int
report_links(struct report_doc *d, size_t sect, struct ncen_err *e)
{
	const struct schema_form	*f;
	struct record			*r;
	struct buf			 h = BUF_INIT, line = BUF_INIT;
	size_t				 i, n = 0, hidden = 0, shown = 0;
	int				 error = NCEN_OK;

	for (i = 0; i < d->nlinks; i++)
		if (report_section(&d->links[i]) == sect)
			n++;
	buf_addf(&h, "%s (%zu)", _(report_sections[sect].heading), n);
	report_heading(d, buf_cstr(&h));
	for (i = 0; i < d->nlinks; i++) {
		const struct store_link	*l = &d->links[i];

		if (report_section(l) != sect)
			continue;
		r = NULL;
		if ((error = store_get(d->st, l->entity, l->id, &r, e)) !=
		    NCEN_OK) {
			if (error != NCEN_ENOTFOUND)
				goto out;
			/* A link to a record gone meanwhile: say so. */
			ncen_err_clear(e);
			error = NCEN_OK;
		}
		if (r != NULL && d->o->acct != NULL &&
		    !auth_sees(d->st, NULL, d->o->acct, r)) {
			hidden++;
			record_free(r);
			continue;
		}
		buf_reset(&line);
		buf_adds(&line, "  ");
		if (strcmp(l->role, "attachment") != 0 && *l->role != '\0') {
			report_role(d, l->role, &line);
			buf_adds(&line, ": ");
		}
		f = schema_form_find(d->schema, l->entity);
		buf_addf(&line, "%s %" PRIu64, f != NULL ?
		    schema_label(f->label, d->o->lang) : l->entity, l->id);
		if (shown++ > 0)
			report_add(d, "", 0);
		if (r == NULL) {
			buf_addf(&line, " (%s)", _("no longer there"));
			report_wrap(d, "", buf_cstr(&line), 4);
			continue;
		}
		report_add(d, buf_cstr(&line), 1);
		report_fields(d, r, 4);
		record_free(r);
	}
	if (hidden > 0) {
		buf_reset(&line);
		buf_addf(&line, ngettext_("%zu linked record is left out: "
		    "not yours to see.", "%zu linked records are left out: "
		    "not yours to see.", hidden), hidden);
		if (shown > 0)
			report_add(d, "", 0);
		report_wrap(d, "  ", buf_cstr(&line), 2);
		d->res->hidden += hidden;
	} else if (n == 0)
		report_add(d, _("  (none)"), 0);
out:
	buf_free(&h);
	buf_free(&line);
	return error;
}

/* A status code's label. */
static void
report_status(struct report_doc *d, const char *code, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*c;

	if ((l = schema_list_find(d->schema, "status")) != NULL &&
	    (c = schema_code_find(l, code)) != NULL)
		buf_adds(b, schema_label(c->label, d->o->lang));
	else
		buf_adds(b, code);
}

/* The workflow history: when, who (role), from -> to, and why. */
static void
report_history(struct report_doc *d)
{
	struct buf	 h = BUF_INIT, line = BUF_INIT;
	const char	*v;
	size_t		 i;

	buf_addf(&h, "%s (%zu)", _("Workflow history"), d->nsteps);
	report_heading(d, buf_cstr(&h));
	if (d->nsteps == 0)
		report_add(d, _("  (no step taken: a draft)"), 0);
	for (i = 0; i < d->nsteps; i++) {
		const struct record	*s = d->steps[i];

		buf_reset(&line);
		buf_addf(&line, "%s  ", (v = record_get(s, "at")) != NULL ?
		    v : "?");
		report_status(d, (v = record_get(s, "from")) != NULL ? v :
		    "?", &line);
		buf_adds(&line, " -> ");
		report_status(d, (v = record_get(s, "to")) != NULL ? v : "?",
		    &line);
		/* TRANSLATORS: a workflow step: by USER. */
		buf_addf(&line, "  %s %s", _("by"),
		    (v = record_get(s, "user")) != NULL ? v : "?");
		if ((v = record_get(s, "role")) != NULL && *v != '\0')
			buf_addf(&line, " (%s)", v);
		report_wrap(d, "  ", buf_cstr(&line), 6);
		if ((v = record_get(s, "reason")) != NULL && *v != '\0') {
			buf_reset(&line);
			buf_addf(&line, "%s: %s", _("Why"), v);
			report_wrap(d, "      ", buf_cstr(&line), 6);
		}
	}
	buf_free(&h);
	buf_free(&line);
}

/* Append text padded with blanks to a width in columns. */
static void
report_pad(struct buf *b, const char *text, size_t cols)
{
	size_t	len = strlen(text), w;

	len = report_bytes(text, len, cols);
	buf_add(b, text, len);
	for (w = report_width(text, len); w < cols; w++)
		buf_addc(b, ' ');
}

/* Cut the body into pages, each under its header, into out. */
static void
report_pages(struct report_doc *d, struct buf *out)
{
	struct buf	 title = BUF_INIT, page = BUF_INIT;
	size_t		*starts, np = 0, i, room, used, j, k;
	unsigned	 lines = d->o->lines != 0 ? d->o->lines : REPORT_LINES;

	if (lines < REPORT_HEAD_LINES + REPORT_KEEP + 2)
		lines = REPORT_HEAD_LINES + REPORT_KEEP + 2;
	room = lines - REPORT_HEAD_LINES;
	starts = xreallocarray(NULL, d->n + 1, sizeof *starts);
	/* Where each page starts: a heading never ends one. */
	for (i = 0; i < d->n; ) {
		starts[np++] = i;
		used = 0;
		while (i < d->n && used < room) {
			if (d->lines[i].keep && used > 0) {
				for (k = i; k < d->n && d->lines[k].keep; k++)
					;
				if (used + (k - i) + REPORT_KEEP > room)
					break;
			}
			i++;
			used++;
		}
		/* A blank line does not start a page. */
		while (i < d->n && *d->lines[i].text == '\0' && used >= room)
			i++;
	}
	if (np == 0)
		starts[np++] = 0;
	starts[np] = d->n;
	buf_addf(&title, "%s %s", _("Case report"), buf_cstr(&d->res->number));
	for (j = 0; j < np; j++) {
		if (j > 0)
			buf_addc(out, '\f');
		buf_reset(&page);
		buf_addf(&page, _("Page %zu of %zu"), j + 1, np);
		report_pad(out, buf_cstr(&title), REPORT_COLS - 1 -
		    report_width(page.s, page.len));
		buf_addf(out, " %s\n", page.s);
		for (k = 0; k < REPORT_COLS; k++)
			buf_addc(out, '=');
		buf_adds(out, "\n\n");
		i = starts[j];
		/* A page after the first starts at its first non-blank. */
		while (j > 0 && i < starts[j + 1] && *d->lines[i].text == '\0')
			i++;
		for (; i < starts[j + 1]; i++)
			buf_addf(out, "%s\n", d->lines[i].text);
	}
	d->res->pages = (unsigned)np;
	free(starts);
	buf_free(&title);
	buf_free(&page);
}

/* Free what a report read and built. */
static void
report_doc_free(struct report_doc *d)
{
	size_t	i;

	for (i = 0; i < d->n; i++)
		free(d->lines[i].text);
	free(d->lines);
	for (i = 0; i < d->nseizures; i++)
		record_free(d->seizures[i]);
	free(d->seizures);
	for (i = 0; i < d->nlinks; i++) {
		free(d->links[i].role);
		free(d->links[i].entity);
	}
	free(d->links);
	for (i = 0; i < d->nsteps; i++)
		record_free(d->steps[i]);
	free(d->steps);
}

/* The first lines: who printed it and when, then the case's fields. */
static void
report_case_head(struct report_doc *d, const struct record *c)
{
	struct buf	 line = BUF_INIT, when = BUF_INIT;
	struct record	*draft = NULL;
	struct ncen_err	 e = NCEN_ERR_INIT;
	int64_t		 now = d->o->now != 0 ? d->o->now : (int64_t)time(NULL);

	audit_format_time(&when, now);
	buf_addf(&line, _("Printed %s by %s."), buf_cstr(&when),
	    d->o->user != NULL ? d->o->user : "?");
	report_wrap(d, "", buf_cstr(&line), 0);
	buf_reset(&line);
	buf_addf(&line, "%s %s", schema_label(c->form->label, d->o->lang),
	    buf_cstr(&d->res->number));
	report_heading(d, buf_cstr(&line));
	/* A case without a status is a draft: say so. */
	if (record_get(c, "status") == NULL &&
	    schema_field_find(c->form, "status") != NULL &&
	    (draft = record_copy(c)) != NULL &&
	    record_set(draft, "status", WORKFLOW_DRAFT, &e) == NCEN_OK)
		c = draft;
	report_fields(d, c, 2);
	record_free(draft);
	ncen_err_free(&e);
	buf_free(&line);
	buf_free(&when);
}

/* Write the report of case id into out (see report.h). */
int
report_case(struct store *st, uint64_t id, const struct report_opts *o,
    struct buf *out, struct report_result *res, struct ncen_err *e)
{
	struct report_doc	 d;
	struct record		*c = NULL;
	struct store_ref	 ref;
	struct buf		 key = BUF_INIT;
	const char		*number;
	size_t			 s;
	int			 error;

	memset(&d, 0, sizeof d);
	memset(res, 0, sizeof *res);
	d.st = st;
	d.schema = store_schema(st);
	d.o = o;
	d.res = res;
	if ((error = store_get(st, "case", id, &c, e)) != NCEN_OK)
		goto out;
	if (o->acct != NULL && !auth_sees(st, NULL, o->acct, c)) {
		error = ncen_err_set(e, NCEN_EINVALID, _("case %" PRIu64 " is "
		    "not yours to see"), id);
		goto out;
	}
	if ((number = record_get(c, "number")) != NULL && *number != '\0')
		buf_adds(&res->number, number);
	else
		buf_addf(&res->number, "%" PRIu64, id);
	buf_addf(&key, "%" PRIu64, id);
	ref.entity = "case";
	ref.id = id;
	if ((schema_form_find(d.schema, "seizure") != NULL &&
	    (error = store_find(st, "seizure", "case", key.s, NULL,
	    report_read_seizure, &d, e)) != NCEN_OK) ||
	    (error = store_links(st, ref, report_read_link, &d, e)) !=
	    NCEN_OK ||
	    (schema_form_find(d.schema, WORKFLOW_FORM) != NULL &&
	    (error = workflow_history(st, id, report_read_step, &d, e)) !=
	    NCEN_OK))
		goto out;
	report_case_head(&d, c);
	report_seizures(&d);
	for (s = 0; s < REPORT_NSECT; s++)
		if ((error = report_links(&d, s, e)) != NCEN_OK)
			goto out;
	report_history(&d);
	report_add(&d, "", 0);
	report_add(&d, _("End of the case report."), 0);
	report_pages(&d, out);
out:
	record_free(c);
	buf_free(&key);
	report_doc_free(&d);
	return error;
}

/* Free what a result holds. */
void
report_result_free(struct report_result *res)
{
	buf_free(&res->number);
}

/* Audit the printing of a case report (case.print), in its own txn. */
int
report_case_audit(struct store *st, const char *user, uint64_t id,
    const char *format, const struct report_result *res, struct ncen_err *e)
{
	struct buf	rec = BUF_INIT, details = BUF_INIT;
	int		error;

	buf_addf(&rec, "case:%" PRIu64, id);
	buf_addf(&details, "number %s, %s, %u page%s, %zu linked record%s "
	    "left out", buf_cstr(&res->number), format, res->pages,
	    res->pages == 1 ? "" : "s", res->hidden,
	    res->hidden == 1 ? "" : "s");
	error = audit_log(st, user, "case.print", rec.s, details.s, e);
	buf_free(&rec);
	buf_free(&details);
	return error;
}
