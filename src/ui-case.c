/*
 * ui-case.c - the case screen: the whole case at once, and its workflow.
 *
 * One scrollable page shows the case's fields (labels from the form in
 * the officer's language), its seizure lines (seizures whose `case`
 * field names it), the persons, businesses and conveyances linked to it
 * with their roles, its attachments and the last steps of its workflow.
 * Up and Down select a seizure line, a linked record, an investigation
 * or a long text (the narrative) and Enter opens it (a long text in the
 * pager, whole); the keys edit the case, add a seizure line, link or unlink a
 * record, take a workflow step, show the history or print the case
 * report (^Z, report.h), each shown on the key line only to roles that
 * may use it (the key table below).
 *
 * The screen reads the case and remembers its version; nothing is held
 * while the officer looks.  Every change it makes is one short
 * transaction that first checks the case is still at that version
 * (ui_link_check, workflow_apply), so a case someone else changed is
 * never overwritten: the conflict is reported in words and the case is
 * read again.  Content (fields, seizure lines) changes only while the
 * case is a draft; after submission a supervisor reopens it first.
 *
 * Nominal fields (any not shared at cen level, ncen-forms(5)) are shown only
 * to roles that may see them, and each record whose nominal fields were
 * shown is audited once per visit as view.nominal.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "report.h"
#include "schema.h"
#include "store.h"
#include "store-draft.h"
#include "ui.h"
#include "ui-screens.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

/* How many workflow steps the screen shows (^R shows them all). */
#define UI_CASE_STEPS		5
/* Lines a long value (the narrative) may take. */
#define UI_CASE_LONG_LINES	3

enum ui_case_kind {
	UI_CASE_TEXT,		/* a line of fields or a heading */
	UI_CASE_SEIZURE,	/* a seizure line */
	UI_CASE_LINKED,		/* a linked record */
	UI_CASE_ATTACHMENT,	/* an attached file */
	UI_CASE_LONG,		/* a long field cut short: the pager */
	UI_CASE_INVESTIGATION,	/* an investigation that names the case */
};

/* One line of the page; seizure lines and linked records are selectable. */
struct ui_case_line {
	char			*text;
	int			 heading;
	enum ui_case_kind	 kind;
	size_t			 item;		/* into seizures or links */
};

/* A link of the case with the record at its other end (NULL: unreadable). */
struct ui_case_link {
	struct store_link	 l;
	struct record		*rec;
};

struct ui_case {
	struct ui		*u;
	uint64_t		 id;
	struct record		*rec;		/* the case as read */
	int			 nominal;	/* may see its nominal fields */
	struct record		**seizures;
	size_t			 nseizures;
	struct ui_case_link	*links;
	size_t			 nlinks;
	struct record		**invs;		/* investigations naming it */
	size_t			 ninvs;
	struct record		*steps[UI_CASE_STEPS];	/* last first */
	size_t			 nsteps, allsteps;
	struct ui_case_line	*lines;
	size_t			 nlines;
	int			 cols;		/* the width laid out for */
	size_t			 top;		/* first line shown */
	size_t			 sel;		/* selected, nlines: none */
	struct buf		 audited;	/* "entity:id\n" seen */
	struct buf		 toaudit;
	int			 gone;		/* the case cannot be shown */
};

/* Sections of linked records, in the order they are shown. */
static const struct {
	const char	*entity;	/* NULL: any other */
	const char	*heading;	/* N_() */
} ui_case_sections[] = {
	{ "person", N_("Persons") },
	{ "business", N_("Businesses") },
	{ "conveyance", N_("Conveyances") },
	{ NULL, N_("Other links") },
};
#define UI_CASE_NSECT (sizeof ui_case_sections / sizeof ui_case_sections[0])

/* The fields shown first, as the header; the others follow in form order. */
static const char *const ui_case_header[] = {
	"status", "date", "office", "direction",
};
#define UI_CASE_NHEAD (sizeof ui_case_header / sizeof ui_case_header[0])

/*
 * The workflow actions the screen offers: which the account may take is
 * the role matrix's answer (ui_may), which start from the case's status
 * and which ask why is the workflow's (workflow_can,
 * workflow_needs_reason), so that only steps that can succeed are
 * offered; workflow_apply still decides, the seizure lines included.
 */
static const struct ui_case_action {
	const char		*action;
	const char		*label;		/* N_() */
	enum auth_action	 need;
	const char		*only;		/* offered from this status only */
	const char		*not;		/* or from any but this one */
} ui_case_actions[] = {
	{ "submit", N_("Submit"), AUTH_SUBMIT, NULL, NULL },
	{ "validate", N_("Validate"), AUTH_VALIDATE, NULL, NULL },
	{ "close", N_("Close"), AUTH_CLOSE, NULL, NULL },
	/* Reopening a submitted case hands it back to its officer. */
	{ "reopen", N_("Return to the officer (give a reason)"), AUTH_REOPEN,
	  "submitted", NULL },
	{ "reopen", N_("Reopen (give a reason)"), AUTH_REOPEN, NULL,
	  "submitted" },
};
#define UI_CASE_NACT (sizeof ui_case_actions / sizeof ui_case_actions[0])

static const char ui_case_help[] = N_(
    "The case screen shows the whole case: its fields, its seizure lines, "
    "the persons, businesses and conveyances linked to it with their "
    "roles, its attachments and the last steps of its workflow.\n\n"
    "Up and Down select a seizure line, a linked record, an "
    "investigation or a long text such as the narrative; Enter opens it "
    "(a long text whole, in a pager).  PgUp and PgDn scroll.\n\n"
    "^E edits the case and ^N adds a seizure line, while the case is a "
    "draft.  ^K links a person, business or conveyance: an existing one "
    "or a new one made there and then, with its role.  ^D unlinks the "
    "selected record, or removes the selected seizure line.  ^A offers "
    "the workflow steps your roles may take: submit, validate, close, "
    "reopen.  ^R shows the whole history.  ^Z prints the case report "
    "(what you may see of it) where the administrator said: a file or "
    "a printer; the status line says where.\n\n"
    "If someone else changed the case since it was shown, nothing is "
    "overwritten: the screen says who changed it and when, and shows it "
    "again.  Keys your roles may not use are not shown.");

/* The case's status ("draft" when it has none). */
static const char *
ui_case_status(const struct ui_case *c)
{
	return workflow_status(c->rec);
}

/* A named field's first value, or "" when it has none. */
static const char *
ui_case_get(const struct record *r, const char *name)
{
	const char	*v = record_get(r, name);

	return v != NULL ? v : "";
}

/* Whether a field is nominal: anything not shared at cen level. */
static int
ui_case_nominal(const struct schema_field *f)
{
	return f->share != SCHEMA_CEN;
}

/* Whether a record has a value in any nominal field. */
static int
ui_case_has_nominal(const struct record *r)
{
	size_t	i;

	for (i = 0; i < r->form->nfields; i++)
		if (ui_case_nominal(&r->form->fields[i]) && r->fields[i].n > 0)
			return 1;
	return 0;
}

/* Remember that a record's nominal fields are on the screen. */
static void
ui_case_shown(struct ui_case *c, const struct record *r)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%s:%llu\n", r->form->name, (unsigned long long)r->id);
	if (strstr(buf_cstr(&c->audited), b.s) == NULL &&
	    strstr(buf_cstr(&c->toaudit), b.s) == NULL)
		buf_adds(&c->toaudit, b.s);
	buf_free(&b);
}

/* Whether a code mixes letters and digits (FRCDG01, not 5 or RISK). */
static int
ui_case_identifier(const char *v)
{
	return strpbrk(v, "0123456789") != NULL &&
	    strpbrk(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL;
}

/*
 * Append a value as the officer reads it: a code's label, when it fits
 * in max columns (0: any label, for fields that wrap), else the code.
 * A code of letters and digits is an identifier people use as it is
 * (an office, FRCDG01): it stays a code.
 */
static void
ui_case_value(struct ui_case *c, const struct schema_field *f, const char *v,
    int max, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*code;
	const char			*label;

	if (f->type == SCHEMA_CODE && !ui_case_identifier(v) &&
	    (l = schema_list_find(c->u->schema, f->target)) != NULL &&
	    (code = schema_code_find(l, v)) != NULL &&
	    (label = schema_label(code->label, c->u->lang)) != NULL &&
	    *label != '\0' && (max == 0 || ui_text_width(label) <= max)) {
		buf_adds(b, label);
		return;
	}
	buf_adds(b, v);
}

/* A named field's value as the officer reads it, or "" (into b). */
static void
ui_case_field(struct ui_case *c, const struct record *r, const char *name,
    int max, struct buf *b)
{
	const struct schema_field	*f;
	const char			*v;

	buf_reset(b);
	if ((f = schema_field_find(r->form, name)) == NULL ||
	    (v = record_get(r, name)) == NULL || *v == '\0')
		return;
	ui_case_value(c, f, v, max, b);
}

/* Add a line to the page (text is copied). */
static struct ui_case_line *
ui_case_add(struct ui_case *c, const char *text, enum ui_case_kind kind,
    size_t item)
{
	struct ui_case_line	*l;

	c->lines = xreallocarray(c->lines, c->nlines + 1, sizeof *c->lines);
	l = &c->lines[c->nlines++];
	memset(l, 0, sizeof *l);
	l->text = xstrdup(text);
	l->kind = kind;
	l->item = item;
	return l;
}

/* Add a section heading. */
static void
ui_case_heading(struct ui_case *c, const char *title, size_t n)
{
	struct buf	b = BUF_INIT;

	buf_addf(&b, "%s (%zu)", title, n);
	ui_case_add(c, b.s, UI_CASE_TEXT, 0)->heading = 1;
	buf_free(&b);
}

/* Append text clipped and padded to width columns. */
static void
ui_case_cell(struct buf *b, const char *text, int width)
{
	struct buf	clip = BUF_INIT;
	int		w;

	ui_text_clip(text, width, &clip);
	buf_adds(b, buf_cstr(&clip));
	for (w = ui_text_width(buf_cstr(&clip)); w < width; w++)
		buf_addc(b, ' ');
	buf_free(&clip);
}

/*
 * Add "Label: value" items packed into lines; long ones wrap, their
 * first line selectable (field: the field's index) to read them whole.
 */
static void
ui_case_pack(struct ui_case *c, struct buf *line, const char *item, int width,
    size_t field)
{
	struct buf	 part = BUF_INIT, shown = BUF_INIT;
	const char	*s;
	size_t		 take, sp;
	int		 n, last;

	/* Cut what the terminal shows (on an ASCII one, transliterated). */
	s = item = ui_text_shown(item, &shown);
	if (line->len > 0 &&
	    ui_text_width(line->s) + 3 + ui_text_width(item) > width) {
		ui_case_add(c, line->s, UI_CASE_TEXT, 0);
		buf_reset(line);
	}
	if (ui_text_width(item) <= width) {
		if (line->len > 0)
			buf_adds(line, "   ");
		buf_adds(line, item);
		buf_free(&shown);
		return;
	}
	for (n = 0; *s != '\0' && n < UI_CASE_LONG_LINES; n++) {
		last = n + 1 == UI_CASE_LONG_LINES;
		buf_reset(&part);
		ui_text_clip(s, last ? width - 3 : width, &part);
		if ((take = part.len) == 0)
			break;
		/* Break at the last blank, or end with "..." if cut. */
		if (s[take] != '\0' && !last) {
			for (sp = take; sp > 0 && s[sp] != ' '; sp--)
				;
			take = sp > 0 ? sp : take;
		}
		buf_reset(&part);
		buf_add(&part, s, take);
		s += take;
		while (*s == ' ')
			s++;
		if (last && *s != '\0')
			buf_adds(&part, "...");
		ui_case_add(c, buf_cstr(&part), n == 0 ? UI_CASE_LONG :
		    UI_CASE_TEXT, field);
	}
	buf_free(&part);
	buf_free(&shown);
}

/* Lay out one case field as "Label: value, value". */
static void
ui_case_lay_field(struct ui_case *c, size_t i, struct buf *line, int width)
{
	const struct schema_field	*f = &c->rec->form->fields[i];
	const struct record_values	*v = &c->rec->fields[i];
	struct buf			 item = BUF_INIT;
	size_t				 j;

	/* A case without a status is a draft: say so. */
	if (strcmp(f->name, "status") == 0) {
		buf_addf(&item, "%s: ", schema_label(f->label, c->u->lang));
		ui_case_value(c, f, ui_case_status(c), 0, &item);
		ui_case_pack(c, line, buf_cstr(&item), width, i);
		buf_free(&item);
		return;
	}
	if (v->n == 0 || strcmp(f->name, "number") == 0)
		return;
	if (ui_case_nominal(f)) {
		if (!c->nominal)
			return;
		ui_case_shown(c, c->rec);
	}
	buf_addf(&item, "%s: ", schema_label(f->label, c->u->lang));
	for (j = 0; j < v->n; j++) {
		if (j > 0)
			buf_adds(&item, ", ");
		ui_case_value(c, f, v->v[j], 0, &item);
	}
	ui_case_pack(c, line, buf_cstr(&item), width, i);
	buf_free(&item);
}

/* The case's own fields: the header ones first, then the others. */
static void
ui_case_lay_fields(struct ui_case *c, int width)
{
	const struct schema_form	*f = c->rec->form;
	struct buf			 line = BUF_INIT;
	size_t				 i, h;
	int				 k;

	for (h = 0; h < UI_CASE_NHEAD; h++)
		if ((k = schema_field_index(f, ui_case_header[h])) >= 0)
			ui_case_lay_field(c, (size_t)k, &line, width);
	for (i = 0; i < f->nfields; i++) {
		for (h = 0; h < UI_CASE_NHEAD; h++)
			if (strcmp(f->fields[i].name, ui_case_header[h]) == 0)
				break;
		if (h == UI_CASE_NHEAD)
			ui_case_lay_field(c, i, &line, width);
	}
	if (line.len > 0)
		ui_case_add(c, buf_cstr(&line), UI_CASE_TEXT, 0);
	buf_free(&line);
}

/* A seizure line: commodity, type, quantity and unit, value and currency. */
static void
ui_case_lay_seizure(struct ui_case *c, size_t k)
{
	const struct record	*s = c->seizures[k];
	struct buf		 line = BUF_INIT, v = BUF_INIT, q = BUF_INIT;

	/* The group's code is short; the type's label says what it is. */
	if (record_get(s, "commodity") == NULL) {
		/* Made by ^N, left with a draft: Enter goes on with it. */
		buf_addf(&line, "? %s", _("(not complete: Enter goes on)"));
		ui_case_add(c, buf_cstr(&line), UI_CASE_SEIZURE, k);
		buf_free(&line);
		return;
	}
	ui_case_cell(&line, record_get(s, "commodity"), 7);
	buf_adds(&line, " ");
	ui_case_field(c, s, "commodity_type", 37, &v);
	ui_case_cell(&line, buf_cstr(&v), 37);
	buf_adds(&line, " ");
	buf_addf(&q, "%s %s", ui_case_get(s, "quantity"),
	    ui_case_get(s, "unit"));
	ui_case_cell(&line, buf_cstr(&q), 16);
	buf_adds(&line, " ");
	buf_reset(&q);
	if (record_get(s, "value") != NULL)
		buf_addf(&q, "%s %s", record_get(s, "value"),
		    ui_case_get(s, "currency"));
	buf_adds(&line, buf_cstr(&q));
	ui_case_add(c, buf_cstr(&line), UI_CASE_SEIZURE, k);
	buf_free(&line);
	buf_free(&v);
	buf_free(&q);
}

/* A role as the officer reads it: its label in the role list. */
static void
ui_case_role(struct ui_case *c, const char *role, struct buf *b)
{
	const struct schema_codelist	*l;
	const struct schema_code	*code;

	if ((l = schema_list_find(c->u->schema, "role")) != NULL &&
	    (code = schema_code_find(l, role)) != NULL)
		buf_adds(b, schema_label(code->label, c->u->lang));
	else
		buf_adds(b, role);
}

/* A linked record's line: its role and its summary (if it may be seen). */
static void
ui_case_lay_link(struct ui_case *c, size_t k)
{
	const struct ui_case_link	*l = &c->links[k];
	const struct schema_form	*f;
	struct buf			 line = BUF_INIT, role = BUF_INIT;
	struct buf			 sum = BUF_INIT;

	ui_case_role(c, l->l.role, &role);
	ui_case_cell(&line, buf_cstr(&role), 20);
	buf_adds(&line, " ");
	/* The summary leaves out nominal values the role may not see. */
	if (l->rec != NULL && ui_sees(c->u, l->rec)) {
		ui_view_summary(c->u, l->rec, &sum);
		if (ui_may(c->u, AUTH_VIEW_NOMINAL, l->rec) &&
		    ui_case_has_nominal(l->rec))
			ui_case_shown(c, l->rec);
	}
	if (sum.len == 0) {
		f = schema_form_find(c->u->schema, l->l.entity);
		buf_addf(&sum, "%s %llu", f != NULL ?
		    schema_label(f->label, c->u->lang) : l->l.entity,
		    (unsigned long long)l->l.id);
	}
	buf_adds(&line, buf_cstr(&sum));
	ui_case_add(c, buf_cstr(&line), UI_CASE_LINKED, k);
	buf_free(&line);
	buf_free(&role);
	buf_free(&sum);
}

/* An attachment's line: caption (nominal), kind and size. */
static void
ui_case_lay_attachment(struct ui_case *c, size_t k)
{
	const struct record	*a = c->links[k].rec;
	struct buf		 line = BUF_INIT, v = BUF_INIT;
	const char		*size;

	if (a == NULL) {
		buf_addf(&line, "%s %llu", _("attachment"),
		    (unsigned long long)c->links[k].l.id);
		ui_case_add(c, buf_cstr(&line), UI_CASE_ATTACHMENT, k);
		buf_free(&line);
		return;
	}
	if (ui_may(c->u, AUTH_VIEW_NOMINAL, a) &&
	    record_get(a, "caption") != NULL) {
		ui_case_field(c, a, "caption", 44, &v);
		ui_case_shown(c, a);
	} else
		ui_case_field(c, a, "media_type", 44, &v);
	ui_case_cell(&line, buf_cstr(&v), 44);
	buf_adds(&line, " ");
	ui_case_field(c, a, "kind", 20, &v);
	ui_case_cell(&line, buf_cstr(&v), 20);
	if ((size = record_get(a, "size")) != NULL)
		buf_addf(&line, " %s %s", size, _("bytes"));
	ui_case_add(c, buf_cstr(&line), UI_CASE_ATTACHMENT, k);
	buf_free(&line);
	buf_free(&v);
}

/* An investigation that names the case: number, status, title. */
static void
ui_case_lay_investigation(struct ui_case *c, size_t k)
{
	const struct record	*r = c->invs[k];
	struct buf		 line = BUF_INIT, v = BUF_INIT;

	ui_case_field(c, r, "number", 18, &v);
	if (v.len == 0)
		buf_addf(&v, "%llu", (unsigned long long)r->id);
	ui_case_cell(&line, buf_cstr(&v), 18);
	ui_case_field(c, r, "status", 24, &v);
	buf_adds(&line, " ");
	ui_case_cell(&line, buf_cstr(&v), 24);
	buf_addf(&line, " %s", ui_case_get(r, "title"));
	ui_case_add(c, buf_cstr(&line), UI_CASE_INVESTIGATION, k);
	buf_free(&line);
	buf_free(&v);
}

/* The last workflow steps: when, who, from -> to. */
static void
ui_case_lay_steps(struct ui_case *c)
{
	struct buf	 line = BUF_INIT, h = BUF_INIT;
	const char	*v;
	size_t		 i;

	if (c->allsteps > c->nsteps)
		buf_addf(&h, _("Workflow (the last %zu of %zu steps)"),
		    c->nsteps, c->allsteps);
	else
		buf_addf(&h, "%s (%zu)", _("Workflow"), c->allsteps);
	ui_case_add(c, buf_cstr(&h), UI_CASE_TEXT, 0)->heading = 1;
	for (i = c->nsteps; i > 0; i--) {
		const struct record	*s = c->steps[i - 1];

		buf_reset(&line);
		ui_case_cell(&line, ui_case_get(s, "at"), 20);
		buf_adds(&line, " ");
		ui_case_cell(&line, ui_case_get(s, "user"), 16);
		buf_addf(&line, " %s -> %s", ui_case_get(s, "from"),
		    ui_case_get(s, "to"));
		if ((v = record_get(s, "reason")) != NULL)
			buf_addf(&line, "  (%s)", v);
		ui_case_add(c, buf_cstr(&line), UI_CASE_TEXT, 0);
	}
	buf_free(&line);
	buf_free(&h);
}

/* Which section of linked records a link goes in, or -1 (attachments). */
static int
ui_case_section(const struct ui_case_link *l)
{
	size_t	i;

	if (strcmp(l->l.role, ATTACH_ROLE) == 0 &&
	    strcmp(l->l.entity, "attachment") == 0)
		return -1;
	for (i = 0; i < UI_CASE_NSECT; i++)
		if (ui_case_sections[i].entity == NULL ||
		    strcmp(ui_case_sections[i].entity, l->l.entity) == 0)
			return (int)i;
	return (int)UI_CASE_NSECT - 1;
}

/* Free the page's lines. */
static void
ui_case_lines_free(struct ui_case *c)
{
	size_t	i;

	for (i = 0; i < c->nlines; i++)
		free(c->lines[i].text);
	free(c->lines);
	c->lines = NULL;
	c->nlines = 0;
}

/* Lay the whole page out for the screen's width, keeping the selection. */
static void
ui_case_layout(struct ui_case *c)
{
	enum ui_case_kind	kind = UI_CASE_TEXT;
	size_t			item = 0, i, k, n;
	int			width = COLS - 2;

	if (c->sel < c->nlines) {
		kind = c->lines[c->sel].kind;
		item = c->lines[c->sel].item;
	}
	ui_case_lines_free(c);
	c->cols = COLS;
	ui_case_lay_fields(c, width);
	ui_case_heading(c, _("Seizures"), c->nseizures);
	for (k = 0; k < c->nseizures; k++)
		ui_case_lay_seizure(c, k);
	for (i = 0; i < UI_CASE_NSECT; i++) {
		for (k = 0, n = 0; k < c->nlinks; k++)
			n += ui_case_section(&c->links[k]) == (int)i;
		if (n == 0 && ui_case_sections[i].entity == NULL)
			continue;
		ui_case_heading(c, _(ui_case_sections[i].heading), n);
		for (k = 0; k < c->nlinks; k++)
			if (ui_case_section(&c->links[k]) == (int)i)
				ui_case_lay_link(c, k);
	}
	if (c->ninvs > 0) {
		ui_case_heading(c, _("Investigations"), c->ninvs);
		for (k = 0; k < c->ninvs; k++)
			ui_case_lay_investigation(c, k);
	}
	for (k = 0, n = 0; k < c->nlinks; k++)
		n += ui_case_section(&c->links[k]) == -1;
	ui_case_heading(c, _("Attachments"), n);
	for (k = 0; k < c->nlinks; k++)
		if (ui_case_section(&c->links[k]) == -1)
			ui_case_lay_attachment(c, k);
	ui_case_lay_steps(c);
	/*
	 * The same sub-record stays selected, else the first one (a long
	 * field only when there is no sub-record: Up reaches it).
	 */
	c->sel = c->nlines;
	for (i = 0; i < c->nlines; i++)
		if (c->lines[i].kind != UI_CASE_TEXT &&
		    (c->sel == c->nlines || (c->lines[c->sel].kind ==
		    UI_CASE_LONG && c->lines[i].kind != UI_CASE_LONG) ||
		    (c->lines[i].kind == kind && c->lines[i].item == item))) {
			c->sel = i;
			if (c->lines[i].kind == kind &&
			    c->lines[i].item == item)
				break;
		}
	if (c->top >= c->nlines)
		c->top = 0;
}

/* Free what was read of the case. */
static void
ui_case_forget(struct ui_case *c)
{
	size_t	i;

	record_free(c->rec);
	c->rec = NULL;
	for (i = 0; i < c->nseizures; i++)
		record_free(c->seizures[i]);
	free(c->seizures);
	c->seizures = NULL;
	c->nseizures = 0;
	for (i = 0; i < c->nlinks; i++) {
		free(c->links[i].l.role);
		free(c->links[i].l.entity);
		record_free(c->links[i].rec);
	}
	free(c->links);
	c->links = NULL;
	c->nlinks = 0;
	for (i = 0; i < c->nsteps; i++)
		record_free(c->steps[i]);
	c->nsteps = c->allsteps = 0;
	for (i = 0; i < c->ninvs; i++)
		record_free(c->invs[i]);
	free(c->invs);
	c->invs = NULL;
	c->ninvs = 0;
}

/* store_find callback: keep an investigation the account may see. */
static int
ui_case_read_investigation(const struct record *r, void *arg)
{
	struct ui_case	*c = arg;

	if (!ui_sees(c->u, r))
		return 0;
	c->invs = xreallocarray(c->invs, c->ninvs + 1, sizeof *c->invs);
	c->invs[c->ninvs++] = record_copy(r);
	return 0;
}

/* store_find callback: keep a copy of each seizure line. */
static int
ui_case_read_seizure(const struct record *r, void *arg)
{
	struct ui_case	*c = arg;

	c->seizures = xreallocarray(c->seizures, c->nseizures + 1,
	    sizeof *c->seizures);
	c->seizures[c->nseizures++] = record_copy(r);
	return 0;
}

/* store_links callback: keep a copy of each link. */
static int
ui_case_read_link(const struct store_link *l, void *arg)
{
	struct ui_case		*c = arg;
	struct ui_case_link	*k;

	c->links = xreallocarray(c->links, c->nlinks + 1, sizeof *c->links);
	k = &c->links[c->nlinks++];
	memset(k, 0, sizeof *k);
	k->l.role = xstrdup(l->role);
	k->l.entity = xstrdup(l->entity);
	k->l.id = l->id;
	k->l.incoming = l->incoming;
	return 0;
}

/* workflow_history callback: keep the last steps (newest first). */
static int
ui_case_read_step(const struct record *r, void *arg)
{
	struct ui_case	*c = arg;
	size_t		 i;

	if (c->nsteps == UI_CASE_STEPS)
		record_free(c->steps[--c->nsteps]);
	for (i = c->nsteps; i > 0; i--)
		c->steps[i] = c->steps[i - 1];
	c->steps[0] = record_copy(r);
	c->nsteps++;
	c->allsteps++;
	return 0;
}

/* Whether this data directory's forms index a form's field. */
static int
ui_case_indexed(struct ui *u, const char *entity, const char *field)
{
	const struct schema_form	*f = schema_form_find(u->schema,
					    entity);
	const struct schema_field	*fd;

	return f != NULL && (fd = schema_field_find(f, field)) != NULL &&
	    fd->indexed;
}

/* Audit each record whose nominal fields are now on screen (one txn). */
static int
ui_case_audit_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_case	*c = arg;
	struct buf	 rec = BUF_INIT, why = BUF_INIT;
	const char	*s, *nl;
	int		 error = NCEN_OK;

	buf_addf(&why, "the case screen of case %llu",
	    (unsigned long long)c->id);
	for (s = buf_cstr(&c->toaudit); *s != '\0' && error == NCEN_OK;
	    s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		buf_reset(&rec);
		buf_add(&rec, s, (size_t)(nl - s));
		error = audit_append(t, c->u->acct->name, "view.nominal",
		    rec.s, why.s, e);
	}
	buf_free(&rec);
	buf_free(&why);
	return error;
}

/*
 * Read the case and everything shown with it, lay the page out and
 * audit what it shows of nominal data; 0 when it cannot be shown (the
 * reason is on the status line).  Errors reading sub-records are shown
 * but the case still is.
 */
static int
ui_case_load(struct ui_case *c)
{
	struct ui		*u = c->u;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct store_ref	 ref;
	struct buf		 key = BUF_INIT;
	size_t			 i;
	int			 ok = 0;

	ui_case_forget(c);
	if (store_get(u->st, "case", c->id, &c->rec, &e) != NCEN_OK) {
		ui_error(u, &e);
		goto out;
	}
	if (!ui_sees(u, c->rec)) {
		ui_status_error(u, _("Case %llu is not yours to see."),
		    (unsigned long long)c->id);
		goto out;
	}
	c->nominal = ui_may(u, AUTH_VIEW_NOMINAL, c->rec);
	buf_addf(&key, "%llu", (unsigned long long)c->id);
	ref.entity = "case";
	ref.id = c->id;
	if ((schema_form_find(u->schema, "seizure") != NULL &&
	    store_find(u->st, "seizure", "case", key.s, NULL,
	    ui_case_read_seizure, c, &e) != NCEN_OK) ||
	    store_links(u->st, ref, ui_case_read_link, c, &e) != NCEN_OK ||
	    (schema_form_find(u->schema, WORKFLOW_FORM) != NULL &&
	    workflow_history(u->st, c->id, ui_case_read_step, c, &e) !=
	    NCEN_OK)) {
		ui_error(u, &e);
		ncen_err_clear(&e);
	}
	if (ui_case_indexed(u, "investigation", "cases") &&
	    store_find(u->st, "investigation", "cases", key.s, NULL,
	    ui_case_read_investigation, c, &e) != NCEN_OK) {
		ui_error(u, &e);
		ncen_err_clear(&e);
	}
	for (i = 0; i < c->nlinks; i++)
		if (store_get(u->st, c->links[i].l.entity, c->links[i].l.id,
		    &c->links[i].rec, &e) != NCEN_OK) {
			c->links[i].rec = NULL;
			ui_error(u, &e);
			ncen_err_clear(&e);
		}
	ok = 1;
	ui_case_layout(c);
	if (c->toaudit.len > 0) {
		if (store_run(u->st, ui_case_audit_txn, c, &e) != NCEN_OK) {
			/* Nominal data is not shown unless it is audited. */
			ui_error(u, &e);
			ok = 0;
		} else
			buf_adds(&c->audited, buf_cstr(&c->toaudit));
		buf_reset(&c->toaudit);
	}
out:
	buf_free(&key);
	ncen_err_free(&e);
	c->gone = !ok;
	return ok;
}

/* Whether the case's content may be changed now (a draft, the role). */
static int
ui_case_may_edit(const struct ui_case *c)
{
	return strcmp(ui_case_status(c), WORKFLOW_DRAFT) == 0 &&
	    ui_may(c->u, AUTH_EDIT, c->rec);
}

/*
 * Whether the account may link records to the case or unlink them: a
 * link changes the case, so only while its content may change.
 */
static int
ui_case_may_link(const struct ui_case *c)
{
	return ui_case_may_edit(c) && ui_may(c->u, AUTH_LINK, c->rec);
}

/* Whether the selected line can be removed (unlinked or deleted). */
static int
ui_case_may_remove(const struct ui_case *c)
{
	if (c->sel >= c->nlines)
		return 0;
	switch (c->lines[c->sel].kind) {
	case UI_CASE_SEIZURE:
		return ui_case_may_edit(c);
	case UI_CASE_LINKED:
		return ui_case_may_link(c);
	default:
		return 0;
	}
}

/* Whether the account may take an action from the case's status. */
static int
ui_case_action_allowed(const struct ui_case *c, const struct ui_case_action *a)
{
	const char	*st = ui_case_status(c);

	if ((a->only != NULL && strcmp(st, a->only) != 0) ||
	    (a->not != NULL && strcmp(st, a->not) == 0))
		return 0;
	return workflow_can(a->action, c->rec) &&
	    ui_may(c->u, a->need, c->rec);
}

/* Whether any workflow action is open to the account. */
static int
ui_case_may_act(const struct ui_case *c)
{
	size_t	i;

	for (i = 0; i < UI_CASE_NACT; i++)
		if (ui_case_action_allowed(c, &ui_case_actions[i]))
			return 1;
	return 0;
}

/* Whether the account may read the case's history. */
static int
ui_case_may_audit(const struct ui_case *c)
{
	return ui_may(c->u, AUTH_AUDIT, c->rec);
}

/* A version check alone, in its own transaction. */
static int
ui_case_check_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_case		*c = arg;
	struct store_ref	 ref;

	ref.entity = "case";
	ref.id = c->id;
	return ui_link_check(t, ref, c->rec->version, c->u->lang, e);
}

/* Whether the case is still as shown; if not, say so and read it again. */
static int
ui_case_fresh(struct ui_case *c)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		ok = 1;

	if (store_run(c->u->st, ui_case_check_txn, c, &e) != NCEN_OK) {
		ui_error(c->u, &e);
		(void)ui_case_load(c);
		ok = 0;
	}
	ncen_err_free(&e);
	return ok;
}

/* ^E: edit the case in its form, then read it again. */
static void
ui_case_edit(struct ui_case *c)
{
	uint64_t	saved = 0;

	if (!ui_case_fresh(c))
		return;
	if (ui_form_edit(c->u, "case", c->id, &saved))
		ui_status(c->u, _("Case %llu saved."),
		    (unsigned long long)c->id);
	(void)ui_case_load(c);
}

/* A new seizure line to make: the case it belongs to. */
struct ui_case_new {
	struct ui_case	*c;
	uint64_t	 id;		/* the seizure made */
	uint32_t	 version;	/* delete: the version made */
};

/* Make a seizure line that names the case (if the case is as shown). */
static int
ui_case_seizure_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_case_new		*n = arg;
	const struct schema_form	*f;
	struct store_ref		 ref;
	struct record			*r;
	struct buf			 id = BUF_INIT;
	int				 error;

	ref.entity = "case";
	ref.id = n->c->id;
	if ((error = ui_link_check(t, ref, n->c->rec->version,
	    n->c->u->lang, e)) != NCEN_OK)
		return error;
	if ((f = schema_form_find(n->c->u->schema, "seizure")) == NULL)
		return ncen_err_set(e, NCEN_ENOTFOUND, "%s", _("these forms "
		    "have no seizure form"));
	r = record_new(f);
	buf_addf(&id, "%llu", (unsigned long long)n->c->id);
	if ((error = record_set(r, "case", id.s, e)) == NCEN_OK &&
	    (error = store_put(t, r, n->c->u->acct->name, e)) == NCEN_OK)
		n->id = r->id;
	record_free(r);
	buf_free(&id);
	return error;
}

/* Remove a seizure line never saved from its form (still version 1). */
static int
ui_case_unmake_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_case_new	*n = arg;

	return store_delete(t, "seizure", n->id, n->version, e);
}

/* Whether the officer left typing in a draft for a record. */
static int
ui_case_drafted(struct ui_case *c, const char *entity, uint64_t id)
{
	struct store_draft	*d = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	int			 found;

	found = store_draft_get(c->u->st, c->u->acct->name, entity, id, &d,
	    &e) == NCEN_OK;
	store_draft_free(d);
	ncen_err_free(&e);
	return found;
}

/*
 * ^N: a new seizure line.  It is made at once with its `case` field
 * naming this case, then opened in its form, so the officer never types
 * the case's id; if the officer goes back without saving it or leaving
 * typing in a draft, the line is removed again (unless it was saved).
 */
static void
ui_case_new_seizure(struct ui_case *c)
{
	struct ui_case_new	n;
	struct ncen_err		e = NCEN_ERR_INIT;
	uint64_t		saved = 0;

	memset(&n, 0, sizeof n);
	n.c = c;
	if (store_run(c->u->st, ui_case_seizure_txn, &n, &e) != NCEN_OK) {
		ui_error(c->u, &e);
		if (e.code == NCEN_ECONFLICT)
			(void)ui_case_load(c);
		ncen_err_free(&e);
		return;
	}
	if (ui_form_edit(c->u, "seizure", n.id, &saved))
		ui_status(c->u, _("Seizure line %llu saved."),
		    (unsigned long long)n.id);
	else if (ui_case_drafted(c, "seizure", n.id))
		ui_status(c->u, _("Seizure line %llu is kept with what "
		    "was typed: Enter on it goes on."),
		    (unsigned long long)n.id);
	else {
		n.version = 1;
		/* Saved meanwhile, or gone: nothing to undo. */
		if (store_run(c->u->st, ui_case_unmake_txn, &n, &e) ==
		    NCEN_OK)
			ui_status(c->u, "%s", _("No seizure line was added."));
		else if (e.code != NCEN_ECONFLICT && e.code != NCEN_ENOTFOUND)
			ui_error(c->u, &e);
	}
	ncen_err_free(&e);
	(void)ui_case_load(c);
}

/* ^K: link a person, business or conveyance, then read the case again. */
static void
ui_case_link(struct ui_case *c)
{
	struct store_ref	ref;

	ref.entity = "case";
	ref.id = c->id;
	(void)ui_link(c->u, ref, c->rec->version);
	(void)ui_case_load(c);
}

/* What ^D removes, for its transaction. */
struct ui_case_remove {
	struct ui_case		*c;
	const struct ui_case_line *line;
};

/* Unlink the selected record, or delete the selected seizure line. */
static int
ui_case_remove_txn(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_case_remove	*rm = arg;
	struct ui_case		*c = rm->c;
	const struct record	*s;
	struct store_ref	 ref, other;
	int			 error;

	ref.entity = "case";
	ref.id = c->id;
	if ((error = ui_link_check(t, ref, c->rec->version, c->u->lang,
	    e)) != NCEN_OK)
		return error;
	if (rm->line->kind == UI_CASE_SEIZURE) {
		s = c->seizures[rm->line->item];
		return store_delete(t, "seizure", s->id, s->version, e);
	}
	other.entity = c->links[rm->line->item].l.entity;
	other.id = c->links[rm->line->item].l.id;
	return store_link_remove(t, ref, other, c->links[rm->line->item].l.role,
	    e);
}

/* ^D: unlink the selected record or remove the seizure line (asked). */
static void
ui_case_remove(struct ui_case *c)
{
	struct ui_case_remove	rm;
	struct ncen_err		e = NCEN_ERR_INIT;
	struct buf		q = BUF_INIT, what = BUF_INIT;
	const char		*t;

	rm.c = c;
	rm.line = &c->lines[c->sel];
	/* The line without the spaces that align its columns. */
	for (t = rm.line->text; *t != '\0'; t++)
		if (*t != ' ' || (t[1] != ' ' && t[1] != '\0' &&
		    what.len > 0))
			buf_addc(&what, *t);
	if (rm.line->kind == UI_CASE_SEIZURE)
		buf_addf(&q, _("Remove the seizure line %s? (y/n) "),
		    buf_cstr(&what));
	else
		buf_addf(&q, _("Unlink %s? (y/n) "), buf_cstr(&what));
	if (!ui_confirm(c->u, buf_cstr(&q))) {
		ui_status(c->u, "%s", _("Nothing was removed."));
		buf_free(&q);
		buf_free(&what);
		return;
	}
	if (store_run(c->u->st, ui_case_remove_txn, &rm, &e) != NCEN_OK)
		ui_error(c->u, &e);
	else if (rm.line->kind == UI_CASE_SEIZURE)
		ui_status(c->u, "%s", _("The seizure line was removed."));
	else
		ui_status(c->u, "%s", _("Unlinked."));
	ncen_err_free(&e);
	buf_free(&q);
	buf_free(&what);
	(void)ui_case_load(c);
}

/*
 * An incomplete case was refused: the problems (the case's own and its
 * seizure lines', one a line: req.lines) are shown in the pager, since
 * they seldom fit the status line.
 */
static void
ui_case_incomplete(struct ui_case *c, const struct ncen_err *e)
{
	ui_pager(c->u, _("Why the case is not complete"), buf_cstr(&e->msg));
	ui_status_error(c->u, _("Case %llu is not complete: nothing was "
	    "done."), (unsigned long long)c->id);
}

/* ^A: choose a workflow step the account may take, and take it. */
static void
ui_case_act(struct ui_case *c)
{
	const struct ui_case_action	*open[UI_CASE_NACT];
	const char			*labels[UI_CASE_NACT];
	struct workflow_request		 req;
	struct workflow_result		 res;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 reason = BUF_INIT;
	size_t				 i, n = 0;
	int				 k;

	for (i = 0; i < UI_CASE_NACT; i++)
		if (ui_case_action_allowed(c, &ui_case_actions[i])) {
			open[n] = &ui_case_actions[i];
			labels[n++] = _(ui_case_actions[i].label);
		}
	if ((k = ui_link_choose(c->u, _("Workflow step"), labels, n)) < 0)
		return;
	if (workflow_needs_reason(open[k]->action) && (!ui_prompt(c->u, _("Why? "), 500, 0,
	    &reason) || reason.len == 0)) {
		ui_status(c->u, "%s", _("Nothing was done: a reason is "
		    "needed."));
		buf_free(&reason);
		return;
	}
	memset(&req, 0, sizeof req);
	req.case_id = c->id;
	req.version = c->rec->version;
	req.action = open[k]->action;
	req.user = c->u->acct->name;
	req.account = c->u->acct;
	req.reason = reason.len > 0 ? reason.s : NULL;
	req.lines = 1;
	if (workflow_apply(c->u->st, &req, &res, &e) != NCEN_OK) {
		/* Say who changed it, shortly, as every conflict here. */
		if (res.refusal == WORKFLOW_INCOMPLETE)
			ui_case_incomplete(c, &e);
		else if (e.code != NCEN_ECONFLICT || ui_case_fresh(c))
			ui_error(c->u, &e);
	} else
		ui_status(c->u, _("Case %llu: %s -> %s."),
		    (unsigned long long)c->id, res.from, res.to);
	ncen_err_free(&e);
	buf_free(&reason);
	(void)ui_case_load(c);
}

/* ^R: the case's whole history. */
static void
ui_case_history(struct ui_case *c)
{
	ui_view_history(c->u, "case", c->id);
}

/* Whether the case may be printed: whoever sees it (what they see). */
static int
ui_case_may_print(const struct ui_case *c)
{
	return ui_may(c->u, AUTH_VIEW, c->rec);
}

/*
 * ^Z: the case report, with what the officer may see, audited when it
 * shows nominal data, sent where the administrator said (a directory or
 * a print command, report_deliver); the status line says where.
 */
static void
ui_case_print(struct ui_case *c)
{
	struct ui		*u = c->u;
	struct report_opts	 o;
	struct report_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 text = BUF_INIT, name = BUF_INIT;
	struct buf		 where = BUF_INIT, left = BUF_INIT;

	memset(&o, 0, sizeof o);
	o.acct = u->acct;
	o.lang = u->lang;
	o.user = u->acct->name;
	if (report_case(u->st, c->id, &o, &text, &res, &e) != NCEN_OK ||
	    (res.nominal && report_case_audit(u->st, u->acct->name, c->id,
	    "text", &res, &e) != NCEN_OK)) {
		ui_error(u, &e);
		goto out;
	}
	buf_addf(&name, "case-%s", buf_cstr(&res.number));
	if (report_deliver(store_home(u->st), name.s, &text, &where, &e) !=
	    NCEN_OK) {
		ui_status_error(u, _("Not printed: %s"), ncen_err_msg(&e));
		goto out;
	}
	if (res.hidden > 0)
		buf_addf(&left, ngettext_(", %zu linked record left out",
		    ", %zu linked records left out", res.hidden), res.hidden);
	/* Where it went first: a long path may not fit the line. */
	ui_status(u, ngettext_("Printed to %s (%u page%s).", "Printed to %s "
	    "(%u pages%s).", res.pages), buf_cstr(&where), res.pages,
	    buf_cstr(&left));
out:
	report_result_free(&res);
	buf_free(&text);
	buf_free(&name);
	buf_free(&where);
	buf_free(&left);
	ncen_err_free(&e);
}

/* ^G: what the screen does, then the keys. */
static void
ui_case_show_help(struct ui_case *c)
{
	ui_help(c->u, _("Help: the case screen"), _(ui_case_help));
}

/*
 * The screen's keys: whether each is offered (NULL: always) and what it
 * does.  The key line shows the offered ones in this order.
 */
static const struct ui_case_key {
	enum ui_op	 op;
	int		(*offered)(const struct ui_case *);
	void		(*run)(struct ui_case *);
} ui_case_keys[] = {
	{ UI_OP_HELP, NULL, ui_case_show_help },
	{ UI_OP_EDIT, ui_case_may_edit, ui_case_edit },
	{ UI_OP_NEW, ui_case_may_edit, ui_case_new_seizure },
	{ UI_OP_LINK, ui_case_may_link, ui_case_link },
	{ UI_OP_DELETE, ui_case_may_remove, ui_case_remove },
	{ UI_OP_ACTION, ui_case_may_act, ui_case_act },
	{ UI_OP_HISTORY, ui_case_may_audit, ui_case_history },
	{ UI_OP_PRINT, ui_case_may_print, ui_case_print },
	{ UI_OP_BACK, NULL, NULL },
};
#define UI_CASE_NKEYS (sizeof ui_case_keys / sizeof ui_case_keys[0])

/* The key line: the offered keys; Help goes first when it is too long. */
static void
ui_case_keyline(struct ui_case *c)
{
	enum ui_op	ops[UI_CASE_NKEYS];
	size_t		i, n = 0;
	int		w = 0;

	for (i = 0; i < UI_CASE_NKEYS; i++) {
		if (ui_case_keys[i].offered != NULL &&
		    !ui_case_keys[i].offered(c))
			continue;
		ops[n++] = ui_case_keys[i].op;
		w += 3 + ui_text_width(ui_key_label(ui_case_keys[i].op)) + 2;
	}
	if (w > COLS && n > 0 && ops[0] == UI_OP_HELP) {
		memmove(ops, ops + 1, (n - 1) * sizeof *ops);
		n--;
	}
	ui_keys(c->u, ops, n);
}

/* Keep the selected line within the rows shown. */
static void
ui_case_scroll_to_sel(struct ui_case *c)
{
	size_t	rows = (size_t)ui_body_rows();

	if (c->sel >= c->nlines)
		return;
	if (c->sel < c->top)
		c->top = c->sel;
	else if (c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
}

/* Draw the title, the visible lines and the key line. */
static void
ui_case_draw(struct ui_case *c)
{
	const char	*number = record_get(c->rec, "number");
	size_t		 rows = (size_t)ui_body_rows(), i;
	int		 y;

	/* Resized while another screen or a chooser had the keys. */
	if (c->cols != COLS) {
		ui_case_layout(c);
		buf_reset(&c->toaudit);	/* audited already */
	}
	if (number != NULL && *number != '\0')
		ui_title(c->u, "%s %s", schema_label(c->rec->form->label,
		    c->u->lang), number);
	else
		ui_title(c->u, "%s %llu", schema_label(c->rec->form->label,
		    c->u->lang), (unsigned long long)c->id);
	ui_case_scroll_to_sel(c);
	for (y = 1, i = c->top; y <= (int)rows; y++, i++) {
		move(y, 0);
		clrtoeol();
		if (i >= c->nlines)
			continue;
		if (c->lines[i].heading) {
			attron(A_BOLD);
			ui_text_put(y, 0, c->lines[i].text, COLS, 0);
			attroff(A_BOLD);
		} else if (c->lines[i].kind == UI_CASE_TEXT)
			ui_text_put(y, 1, c->lines[i].text, COLS - 1, 0);
		else {
			ui_sel(c->u, y, i == c->sel);
			ui_text_put(y, 1, c->lines[i].text, COLS - 2,
			    i == c->sel);
			ui_sel_end(c->u, i == c->sel);
		}
	}
	if (c->top > 0 || c->top + rows < c->nlines) {
		move(LINES - 3, COLS - 1);
		addch(c->top + rows < c->nlines ? 'v' : '^');
	}
	ui_case_keyline(c);
	if (c->sel < c->nlines)
		move((int)(c->sel - c->top) + 1, 0);
}

/* Move the selection to the next sub-record up (-1) or down (1). */
static void
ui_case_move(struct ui_case *c, int dir)
{
	size_t	rows = (size_t)ui_body_rows();
	long	i;

	if (c->sel < c->nlines)
		i = (long)c->sel;
	else
		i = dir > 0 ? (long)c->top - 1 : (long)(c->top + rows);
	for (i += dir; i >= 0 && i < (long)c->nlines; i += dir)
		if (c->lines[i].kind != UI_CASE_TEXT) {
			c->sel = (size_t)i;
			return;
		}
	/* No sub-record that way: scroll the page instead. */
	if (dir < 0 && c->top > 0)
		c->top--;
	else if (dir > 0 && c->top + rows < c->nlines)
		c->top++;
	if (c->sel < c->nlines && (c->sel < c->top ||
	    c->sel >= c->top + rows))
		c->sel = c->nlines;
}

/*
 * Scroll a page up (-1) or down (1), or to the start (-2) or the end
 * (2), never past a full last page; select the first sub-record shown.
 */
static void
ui_case_page(struct ui_case *c, int dir)
{
	size_t	rows = (size_t)ui_body_rows(), i, last;

	last = c->nlines > rows ? c->nlines - rows : 0;
	if (dir == 2 || (dir == 1 && c->top + rows - 1 > last))
		c->top = last;
	else if (dir == 1)
		c->top += rows - 1;
	else if (dir == -2 || c->top < rows - 1)
		c->top = 0;
	else
		c->top -= rows - 1;
	c->sel = c->nlines;
	for (i = c->top; i < c->nlines && i < c->top + rows; i++)
		if (c->lines[i].kind != UI_CASE_TEXT &&
		    (c->sel == c->nlines ||
		    c->lines[c->sel].kind == UI_CASE_LONG)) {
			c->sel = i;
			if (c->lines[i].kind != UI_CASE_LONG)
				break;
		}
}

/* Enter on a long field: its values whole, in the pager. */
static void
ui_case_read_long(struct ui_case *c, size_t field)
{
	const struct schema_field	*f = &c->rec->form->fields[field];
	const struct record_values	*v = &c->rec->fields[field];
	struct buf			 text = BUF_INIT;
	size_t				 j;

	for (j = 0; j < v->n; j++) {
		if (j > 0)
			buf_adds(&text, "\n\n");
		buf_adds(&text, v->v[j]);
	}
	ui_pager(c->u, schema_label(f->label, c->u->lang), buf_cstr(&text));
	buf_free(&text);
}

/* Enter: open the selected seizure line or linked record. */
static void
ui_case_open(struct ui_case *c)
{
	const struct ui_case_line	*l;
	uint64_t			 saved = 0;

	if (c->sel >= c->nlines) {
		beep();
		return;
	}
	l = &c->lines[c->sel];
	if (l->kind == UI_CASE_LONG) {
		ui_case_read_long(c, l->item);
		return;
	}
	if (l->kind == UI_CASE_INVESTIGATION) {
		ui_view(c->u, "investigation", c->invs[l->item]->id);
		(void)ui_case_load(c);
		return;
	}
	if (l->kind == UI_CASE_SEIZURE) {
		if (ui_case_may_edit(c))
			(void)ui_form_edit(c->u, "seizure",
			    c->seizures[l->item]->id, &saved);
		else
			ui_view(c->u, "seizure", c->seizures[l->item]->id);
	} else
		ui_view(c->u, c->links[l->item].l.entity,
		    c->links[l->item].l.id);
	(void)ui_case_load(c);
}

/*
 * Put the status line back after another screen erased it, in the same
 * style as ui-term.c draws it but without its beep: the officer heard
 * it when the message came.
 */
static void
ui_case_restatus(struct ui *u)
{
	int	style = u->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD;

	move(LINES - 2, 0);
	clrtoeol();
	if (u->status == NULL)
		return;
	if (u->status_err)
		attron(style);
	ui_text_put(LINES - 2, 0, u->status, COLS - 1, 0);
	if (u->status_err)
		attroff(style);
}

/* Run one key of the table; 0 when it is Back. */
static int
ui_case_key(struct ui_case *c, enum ui_op op)
{
	size_t	i;

	for (i = 0; i < UI_CASE_NKEYS; i++) {
		if (ui_case_keys[i].op != op)
			continue;
		if (ui_case_keys[i].run == NULL)
			return 0;
		if (ui_case_keys[i].offered != NULL &&
		    !ui_case_keys[i].offered(c)) {
			ui_status_error(c->u, "%s", _("That key does "
			    "nothing here, or your roles may not use it."));
			return 1;
		}
		ui_case_keys[i].run(c);
		erase();
		ui_case_restatus(c->u);
		return 1;
	}
	beep();
	return 1;
}

/* The whole case on one screen, until the officer goes back. */
void
ui_case(struct ui *u, uint64_t id)
{
	struct ui_case		c;
	struct ui_keypress	k;
	int			go = 1;

	memset(&c, 0, sizeof c);
	c.u = u;
	c.id = id;
	if (!ui_case_load(&c)) {
		ui_case_forget(&c);
		ui_case_lines_free(&c);
		buf_free(&c.audited);
		buf_free(&c.toaudit);
		return;
	}
	erase();
	ui_case_restatus(u);
	while (go && !c.gone) {
		ui_case_draw(&c);
		ui_key(u, &k);
		switch (k.op) {
		case UI_OP_NONE:
			if (k.fkey && k.key == KEY_UP)
				ui_case_move(&c, -1);
			else if (k.fkey && k.key == KEY_DOWN)
				ui_case_move(&c, 1);
			else if ((k.fkey && k.key == KEY_NPAGE) ||
			    k.key == 0x16)
				ui_case_page(&c, 1);
			else if ((k.fkey && k.key == KEY_PPAGE) ||
			    k.key == 0x02)
				ui_case_page(&c, -1);
			else if (k.fkey && k.key == KEY_HOME)
				ui_case_page(&c, -2);
			else if (k.fkey && k.key == KEY_END)
				ui_case_page(&c, 2);
			else if (k.key == '\r' || k.key == '\n' ||
			    (k.fkey && k.key == KEY_ENTER)) {
				ui_case_open(&c);
				erase();
				ui_case_restatus(u);
			} else
				beep();
			break;
		case UI_OP_RESIZE:
		case UI_OP_REDRAW:
			if (k.op == UI_OP_REDRAW)
				clearok(curscr, TRUE);
			ui_case_layout(&c);
			buf_reset(&c.toaudit);	/* all audited already */
			erase();
			ui_case_restatus(u);
			break;
		default:
			go = ui_case_key(&c, k.op);
			break;
		}
	}
	ui_case_forget(&c);
	ui_case_lines_free(&c);
	buf_free(&c.audited);
	buf_free(&c.toaudit);
	erase();
}
