/*
 * ui-view.c - one record read-only, laid out from its form, with the
 * records linked to it; a record's history; summaries of records.
 *
 * The view is a document of lines built once per display: the record's
 * fields where their `at` hints put them (a long value wraps under its
 * label), then the linked records, one line each.  The screen shows a
 * window of it: Up and Down select a linked record (Enter opens it),
 * PgUp and PgDn scroll.  Nominal fields (not `cen`) show only to roles
 * that may see them on this record, and each display of them is
 * audited; nothing is held open while the officer reads.
 */
#include <curses.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "merge.h"
#include "ui.h"
#include "ui-screens.h"
#include "ui-view.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define UI_VIEW_LINKS_MAX	500	/* links shown (and read) per record */
#define UI_VIEW_CODES_LABELLED	100	/* lists short enough to name codes */

/* The fields that name a record of a form in one line, in order. */
static const struct ui_view_name {
	const char	*entity;
	const char	*fields[10];
} ui_view_names[] = {
	{ "case", { "number", "date", "office", NULL } },
	{ "person", { "family_name", "given_names", "birth_date", NULL } },
	{ "business", { "name", "country", NULL } },
	{ "conveyance", { "kind", "name", "imo", "flight",
	    "aircraft_registration", "plate", "vin", "container", "tracking",
	    NULL } },
	{ "seizure", { "commodity", "quantity", "unit", NULL } },
	{ "investigation", { "number", "title", "status", NULL } },
	{ "message", { "date", "node", "subject", NULL } },
	{ "transition", { "at", "from", "to", "user", NULL } },
	{ "attachment", { "kind", "caption", "file_name", "size", NULL } },
};
#define UI_VIEW_NNAMES (sizeof ui_view_names / sizeof ui_view_names[0])

/* One piece of a line: text at a column, at most width columns. */
struct ui_view_seg {
	int	 col, width;
	char	*text;
};

struct ui_view_line {
	struct ui_view_seg	*seg;
	size_t			 nseg;
	int			 link;		/* index of a link, or -1 */
};

struct ui_view_link {
	struct store_link	 l;
	char			*line;
};

/* The view screen's state. */
struct ui_view {
	struct ui		*u;
	const char		*entity;
	uint64_t		 id;
	struct record		*rec;
	struct ui_view_line	*lines;
	size_t			 nlines, cap;
	struct ui_view_link	*links;
	size_t			 nlinks;
	int			 truncated;	/* more links than shown */
	size_t			 top;		/* first line shown */
	int			 sel;		/* selected link, -1 none */
};

static const char ui_view_help[] = N_(
    "The record as stored, laid out like its form, then the records "
    "linked to it.\n\n"
    "Up and Down select a linked record and Enter opens it; PgUp and PgDn "
    "(^B, ^V) scroll.  ^E edits the record and ^R shows its history, "
    "when your roles allow it (the key line shows only what you may "
    "do).\n\n"
    "^A (Actions) on a person, business or conveyance offers \"Merge "
    "into another record\" to supervisors, analysts and the NCP: pick "
    "the record to keep, read what will move to it, and answer y.  The "
    "record shown is then deleted: its links, attachments and values "
    "go to the one kept (other names become aliases, what has no place "
    "goes into its remarks), and the merge is audited.\n\n"
    "Personal data (names, documents, addresses...) shows only to roles "
    "that may see it, and each time it is shown the audit log records "
    "who saw which record.");

/* What ^A offers on a record that may be merged. */
static const char *const ui_view_actions[] = {
	N_("Merge into another record..."),
};

/* The navigation keys: function keys and their control-key twins. */
static const struct {
	int		 fkey;
	wint_t		 key;
	enum ui_nav	 nav;
} ui_view_navs[] = {
	{ 1, KEY_UP, UI_NAV_UP },
	{ 1, KEY_DOWN, UI_NAV_DOWN },
	{ 1, KEY_PPAGE, UI_NAV_PGUP },
	{ 0, 0x02, UI_NAV_PGUP },		/* ^B */
	{ 1, KEY_NPAGE, UI_NAV_PGDN },
	{ 0, 0x16, UI_NAV_PGDN },		/* ^V */
	{ 1, KEY_HOME, UI_NAV_HOME },
	{ 1, KEY_END, UI_NAV_END },
	{ 1, KEY_ENTER, UI_NAV_ENTER },
	{ 0, '\r', UI_NAV_ENTER },
	{ 0, '\n', UI_NAV_ENTER },
	{ 1, KEY_BACKSPACE, UI_NAV_ERASE },
};

/* What an ordinary key does in a list or a page, if it moves. */
enum ui_nav
ui_view_nav(const struct ui_keypress *k)
{
	size_t	i;

	if (k->op != UI_OP_NONE)
		return UI_NAV_NONE;
	for (i = 0; i < sizeof ui_view_navs / sizeof ui_view_navs[0]; i++)
		if (ui_view_navs[i].fkey == k->fkey &&
		    ui_view_navs[i].key == k->key)
			return ui_view_navs[i].nav;
	return UI_NAV_NONE;
}

/* Whether a field holds nominal data (anything not `cen`). */
int
ui_view_nominal(const struct schema_field *f)
{
	return f->share != SCHEMA_CEN;
}

/* A field's values as the officer reads them, joined by "; ". */
void
ui_view_value(struct ui *u, const struct record *r, size_t field,
    int labelled, struct buf *b)
{
	const struct schema_field	*f = &r->form->fields[field];
	const struct schema_codelist	*cl = NULL;
	const struct schema_code	*c;
	size_t				 i;

	if (f->type == SCHEMA_CODE)
		cl = schema_list_find(u->schema, f->target);
	for (i = 0; i < r->fields[field].n; i++) {
		const char	*v = r->fields[field].v[i];

		if (i != 0)
			buf_adds(b, "; ");
		if (f->type == SCHEMA_REF)
			buf_addc(b, '#');
		buf_adds(b, v);
		if (labelled && cl != NULL &&
		    (c = schema_code_find(cl, v)) != NULL)
			buf_addf(b, " %s", schema_label(c->label, u->lang));
	}
}

/* The naming fields of a form, or NULL for its first text fields. */
static const struct ui_view_name *
ui_view_name_find(const char *entity)
{
	size_t	i;

	for (i = 0; i < UI_VIEW_NNAMES; i++)
		if (strcmp(ui_view_names[i].entity, entity) == 0)
			return &ui_view_names[i];
	return NULL;
}

/* Add one field's values to a summary; 1 if they were nominal. */
static int
ui_view_summary_field(struct ui *u, const struct record *r, size_t fi,
    int see, struct buf *b)
{
	const struct schema_field	*f = &r->form->fields[fi];
	const struct schema_codelist	*cl;
	const struct schema_code	*c;
	size_t				 i;

	if (r->fields[fi].n == 0 || r->fields[fi].v[0][0] == '\0')
		return 0;
	if (ui_view_nominal(f) && !see)
		return 0;
	if (b->len != 0)
		buf_adds(b, "  ");
	cl = f->type == SCHEMA_CODE ? schema_list_find(u->schema, f->target) :
	    NULL;
	for (i = 0; i < r->fields[fi].n; i++) {
		const char	*v = r->fields[fi].v[i];

		if (i != 0)
			buf_adds(b, ", ");
		/* Short lists by name (Vessel, kg), long ones by code (FR). */
		if (cl != NULL && cl->ncodes <= UI_VIEW_CODES_LABELLED &&
		    (c = schema_code_find(cl, v)) != NULL)
			buf_adds(b, schema_label(c->label, u->lang));
		else
			buf_adds(b, v);
	}
	return ui_view_nominal(f);
}

/* The summary line of a record; 1 when it shows nominal values. */
int
ui_view_summary_line(struct ui *u, const struct record *r, struct buf *b)
{
	const struct ui_view_name	*nm = ui_view_name_find(r->form->name);
	struct buf			 s = BUF_INIT;
	size_t				 i, n = 0;
	int				 see, fi, nominal = 0;

	see = ui_may(u, AUTH_VIEW_NOMINAL, r);
	if (nm != NULL) {
		for (i = 0; nm->fields[i] != NULL; i++)
			if ((fi = schema_field_index(r->form,
			    nm->fields[i])) >= 0)
				nominal |= ui_view_summary_field(u, r,
				    (size_t)fi, see, &s);
	} else
		for (i = 0; i < r->form->nfields && n < 3; i++)
			if (r->form->fields[i].type == SCHEMA_TEXT &&
			    r->fields[i].n != 0) {
				nominal |= ui_view_summary_field(u, r, i, see,
				    &s);
				n++;
			}
	if (s.len == 0)
		buf_addf(&s, "%s %llu", schema_label(r->form->label, u->lang),
		    (unsigned long long)r->id);
	buf_add(b, s.s, s.len);
	buf_free(&s);
	return nominal;
}

/* One line naming a record (nominal values only if the role may). */
void
ui_view_summary(struct ui *u, const struct record *r, struct buf *b)
{
	(void)ui_view_summary_line(u, r, b);
}

/* Append one view.nominal entry per line of `shown`. */
static int
ui_view_audit_fn(struct store_txn *t, void *varg, struct ncen_err *e)
{
	void		**a = varg;
	struct ui	 *u = a[0];
	const struct buf *shown = a[1];
	const char	 *details = a[2], *s, *nl;
	struct buf	  rec = BUF_INIT;
	int		  error = NCEN_OK;

	for (s = buf_cstr(shown); *s != '\0' && error == NCEN_OK; s = nl + 1) {
		if ((nl = strchr(s, '\n')) == NULL)
			break;
		buf_reset(&rec);
		buf_add(&rec, s, (size_t)(nl - s));
		error = audit_append(t, u->acct->name, "view.nominal",
		    buf_cstr(&rec), details, e);
	}
	buf_free(&rec);
	return error;
}

/* Audit the display of nominal data of the records listed in shown. */
void
ui_view_audit(struct ui *u, const struct buf *shown, const char *details)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	void		*a[3];

	if (shown->len == 0 || u->acct == NULL)
		return;
	a[0] = u;
	a[1] = (void *)(uintptr_t)shown;
	a[2] = (void *)(uintptr_t)details;
	if (store_run(u->st, ui_view_audit_fn, a, &e) != NCEN_OK)
		ui_error(u, &e);
	ncen_err_free(&e);
}

/* Start a new line of the document. */
static struct ui_view_line *
ui_view_line(struct ui_view *v)
{
	struct ui_view_line	*l;

	if (v->nlines == v->cap) {
		v->cap = v->cap == 0 ? 64 : v->cap * 2;
		v->lines = xreallocarray(v->lines, v->cap, sizeof *v->lines);
	}
	l = &v->lines[v->nlines++];
	memset(l, 0, sizeof *l);
	l->link = -1;
	return l;
}

/* Add a piece of text to a line. */
static void
ui_view_seg_add(struct ui_view_line *l, int col, int width, const char *s,
    size_t len)
{
	struct ui_view_seg	*g;

	l->seg = xreallocarray(l->seg, l->nseg + 1, sizeof *l->seg);
	g = &l->seg[l->nseg++];
	g->col = col;
	g->width = width;
	g->text = xstrndup(s, len);
}

/*
 * Put text at col on the last line, wrapping what does not fit in
 * width onto lines below at indent (words kept whole where possible).
 */
static void
ui_view_wrap(struct ui_view *v, int col, int width, int indent,
    const char *s)
{
	struct ui_view_line	*l = &v->lines[v->nlines - 1];
	struct buf		 fit = BUF_INIT, shown = BUF_INIT;
	size_t			 len, take, sp;
	int			 w = width;

	/* Cut what the terminal shows (on an ASCII one, transliterated). */
	s = ui_text_shown(s, &shown);
	if (width < 8)
		w = width = 8;
	for (;;) {
		len = strlen(s);
		buf_reset(&fit);
		ui_text_clip(s, w, &fit);
		take = fit.len;
		if (take < len) {
			for (sp = take; sp > 0 && s[sp] != ' '; sp--)
				;
			if (sp > 0)
				take = sp;
		}
		if (take == 0)
			take = len;	/* cannot happen with w >= 8 */
		ui_view_seg_add(l, col, w, s, take);
		s += take;
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		l = ui_view_line(v);
		w = width - (indent - col);
		col = indent;
	}
	buf_free(&fit);
	buf_free(&shown);
}

/* Order fields by their `at` hint (row, then column); no hint last. */
static int
ui_view_at_cmp(const void *a, const void *b)
{
	const struct schema_field	*x = *(const struct schema_field *const *)a;
	const struct schema_field	*y = *(const struct schema_field *const *)b;
	int				 rx = x->row < 0 ? 1 << 20 : x->row;
	int				 ry = y->row < 0 ? 1 << 20 : y->row;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * Values kept with a wrong check digit, each with the reason given
 * (validate.h): one line each under the fields, hidden like the value
 * when the officer may not see nominal data.
 */
static void
ui_view_overrides(struct ui_view *v, int see)
{
	const struct schema_field	*f;
	const char			*p, *dot;
	struct buf			 t = BUF_INIT;
	size_t				 i, plen = strlen(SCHEMA_CHECK_EXTRA);
	int				 first = 1;

	for (i = 0; i < v->rec->nextra; i++) {
		p = v->rec->extra[i].name;
		if (strncmp(p, SCHEMA_CHECK_EXTRA, plen) != 0 ||
		    (dot = strchr(p += plen, '.')) == NULL)
			continue;
		buf_reset(&t);
		buf_add(&t, p, (size_t)(dot - p));
		if ((f = schema_field_find(v->rec->form, t.s)) == NULL ||
		    (ui_view_nominal(f) && !see))
			continue;
		buf_reset(&t);
		buf_addf(&t, _("%s %s kept with a wrong check digit: %s"),
		    schema_label(f->label, v->u->lang), dot + 1,
		    v->rec->extra[i].value);
		if (first)
			(void)ui_view_line(v);	/* a gap under the fields */
		first = 0;
		(void)ui_view_line(v);
		ui_view_wrap(v, 2, COLS - 2, 4, buf_cstr(&t));
	}
	buf_free(&t);
}

/* Lay the record's fields out; 1 when nominal values were shown. */
static int
ui_view_layout(struct ui_view *v)
{
	const struct schema_form	 *form = v->rec->form;
	const struct schema_field	**order;
	const struct schema_field	 *f, *next;
	struct ui_view_line		 *l = NULL;
	struct buf			  t = BUF_INIT;
	size_t				  i, fi, len;
	int				  see, nominal = 0, prow = -2, col, end;

	see = ui_may(v->u, AUTH_VIEW_NOMINAL, v->rec);
	order = xcalloc(form->nfields, sizeof *order);
	for (i = 0; i < form->nfields; i++)
		order[i] = &form->fields[i];
	qsort(order, form->nfields, sizeof *order, ui_view_at_cmp);
	for (i = 0; i < form->nfields; i++) {
		f = order[i];
		fi = (size_t)(f - form->fields);
		next = i + 1 < form->nfields ? order[i + 1] : NULL;
		if (f->row < 0 || f->row != prow) {
			if (prow >= 0 && f->row > prow + 1)
				(void)ui_view_line(v);	/* a gap in the form */
			l = ui_view_line(v);
			prow = f->row;
		}
		col = f->row < 0 || f->col < 1 ? 2 : f->col;
		if (col > COLS - 10)
			col = COLS - 10;
		end = next != NULL && f->row >= 0 && next->row == f->row &&
		    next->col > col ? next->col - 1 : COLS;
		buf_reset(&t);
		buf_addf(&t, "%s: ", schema_label(f->label, v->u->lang));
		if (v->rec->fields[fi].n != 0 && ui_view_nominal(f) && !see)
			buf_adds(&t, UI_VIEW_HIDDEN);
		else {
			len = t.len;
			ui_view_value(v->u, v->rec, fi, 1, &t);
			if (ui_text_width(buf_cstr(&t)) > end - col) {
				/* Codes without their names where it is tight. */
				t.len = len;
				t.s[len] = '\0';
				ui_view_value(v->u, v->rec, fi, 0, &t);
			}
			nominal |= ui_view_nominal(f) &&
			    v->rec->fields[fi].n != 0;
		}
		if (end == COLS)
			ui_view_wrap(v, col, end - col, col + 2, buf_cstr(&t));
		else
			ui_view_seg_add(l, col, end - col, t.s, t.len);
		l = &v->lines[v->nlines - 1];
	}
	free(order);
	buf_free(&t);
	ui_view_overrides(v, see);
	return nominal;
}

/* Read a record's links and name each; nominal ones go to shown. */
struct ui_view_links_arg {
	struct ui_view	*v;
	size_t		 cap;
};

/* Keep one link (store_links callback). */
static int
ui_view_link_fn(const struct store_link *l, void *varg)
{
	struct ui_view_links_arg	*a = varg;
	struct ui_view			*v = a->v;
	struct ui_view_link		*k;

	if (v->nlinks == UI_VIEW_LINKS_MAX) {
		v->truncated = 1;
		return 1;
	}
	if (v->nlinks == a->cap) {
		a->cap = a->cap == 0 ? 16 : a->cap * 2;
		v->links = xreallocarray(v->links, a->cap, sizeof *v->links);
	}
	k = &v->links[v->nlinks++];
	memset(k, 0, sizeof *k);
	k->l.role = xstrdup(l->role);
	k->l.entity = xstrdup(l->entity);
	k->l.id = l->id;
	k->l.incoming = l->incoming;
	return 0;
}

/*
 * The investigations that name a record in one of their reference
 * fields (a case in cases, a person in persons...): which field names
 * which kind of record.
 */
static const struct {
	const char	*entity;
	const char	*field;
} ui_view_inv_fields[] = {
	{ "case", "cases" },
	{ "person", "persons" },
	{ "business", "businesses" },
	{ "conveyance", "conveyances" },
};

/* Keep an investigation naming the record as a link (store_record_fn). */
static int
ui_view_inv_fn(const struct record *r, void *varg)
{
	struct store_link	l;

	memset(&l, 0, sizeof l);
	l.role = (char *)"investigation";
	l.entity = (char *)"investigation";
	l.id = r->id;
	return ui_view_link_fn(&l, varg);
}

/* Add the investigations naming the record to its links. */
static void
ui_view_investigations(struct ui_view *v, struct ui_view_links_arg *a,
    struct ncen_err *e)
{
	const struct schema_form	*f;
	const struct schema_field	*fd;
	struct buf			 key = BUF_INIT;
	size_t				 i;

	if ((f = schema_form_find(v->u->schema, "investigation")) == NULL)
		return;
	buf_addf(&key, "%llu", (unsigned long long)v->id);
	for (i = 0; i < sizeof ui_view_inv_fields /
	    sizeof ui_view_inv_fields[0]; i++)
		if (strcmp(ui_view_inv_fields[i].entity, v->entity) == 0 &&
		    (fd = schema_field_find(f, ui_view_inv_fields[i].field)) !=
		    NULL && fd->indexed &&
		    store_find(v->u->st, "investigation",
		    ui_view_inv_fields[i].field, key.s, NULL, ui_view_inv_fn,
		    a, e) != NCEN_OK && e->code != NCEN_ENOTFOUND)
			ui_error(v->u, e);
	ncen_err_clear(e);
	buf_free(&key);
}

/* The role of a link as the officer reads it. */
static const char *
ui_view_role(struct ui *u, const char *role)
{
	const struct schema_codelist	*cl = schema_list_find(u->schema,
					    "role");
	const struct schema_code	*c;

	if (cl != NULL && (c = schema_code_find(cl, role)) != NULL)
		return schema_label(c->label, u->lang);
	if (strcmp(role, "investigation") == 0)
		return _("Investigation");
	return role;
}

/* Read the links and their records' summaries; lines for each. */
static void
ui_view_links(struct ui_view *v, struct buf *shown)
{
	struct ui_view_links_arg	 a = { v, 0 };
	const struct schema_form	*form;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct ui_view_line		*l;
	struct record			*r;
	struct store_ref		 ref = { v->entity, v->id };
	struct buf			 t = BUF_INIT;
	size_t				 i, n = 0, hidden = 0;
	const char			*role;
	int				 rw = 16, error;

	if (store_links(v->u->st, ref, ui_view_link_fn, &a, &e) != NCEN_OK &&
	    ncen_err_msg(&e) != NULL && *ncen_err_msg(&e) != '\0')
		ui_error(v->u, &e);
	ncen_err_clear(&e);
	ui_view_investigations(v, &a, &e);
	/* Name each link's record; those the role may not see are left out. */
	for (i = 0; i < v->nlinks; i++) {
		struct ui_view_link	*k = &v->links[i];

		r = NULL;
		if ((error = store_get(v->u->st, k->l.entity, k->l.id, &r,
		    &e)) != NCEN_OK && error != NCEN_ENOTFOUND)
			ui_error(v->u, &e);
		if (error != NCEN_OK || !ui_sees(v->u, r)) {
			free(k->l.role);
			free(k->l.entity);
			hidden++;
		} else {
			form = schema_form_find(v->u->schema, k->l.entity);
			buf_reset(&t);
			buf_addf(&t, "%s %llu  ", form != NULL ?
			    schema_label(form->label, v->u->lang) :
			    k->l.entity, (unsigned long long)k->l.id);
			if (ui_view_summary_line(v->u, r, &t))
				buf_addf(shown, "%s:%llu\n", k->l.entity,
				    (unsigned long long)k->l.id);
			k->line = buf_detach(&t);
			v->links[n++] = *k;
		}
		ncen_err_clear(&e);
		record_free(r);
	}
	v->nlinks = n;
	(void)ui_view_line(v);
	l = ui_view_line(v);
	buf_reset(&t);
	buf_addf(&t, n == 0 ? _("No linked records.") :
	    _("Linked records (%zu%s):"), n, v->truncated ? "+" : "");
	if (hidden != 0)
		buf_addf(&t, _("  %zu more your roles may not see."), hidden);
	ui_view_seg_add(l, 0, COLS, t.s, t.len);
	for (i = 0; i < n; i++) {
		l = ui_view_line(v);
		l->link = (int)i;
		/* The role is drawn on its own so that it lines up by columns. */
		role = ui_view_role(v->u, v->links[i].l.role);
		ui_view_seg_add(l, 2, rw, role, strlen(role));
		ui_view_seg_add(l, 2 + rw + 2, COLS - rw - 5,
		    v->links[i].line, strlen(v->links[i].line));
	}
	buf_free(&t);
	ncen_err_free(&e);
}

/* Forget the document and links. */
static void
ui_view_clear(struct ui_view *v)
{
	size_t	i, j;

	for (i = 0; i < v->nlines; i++) {
		for (j = 0; j < v->lines[i].nseg; j++)
			free(v->lines[i].seg[j].text);
		free(v->lines[i].seg);
	}
	free(v->lines);
	v->lines = NULL;
	v->nlines = v->cap = 0;
	for (i = 0; i < v->nlinks; i++) {
		free(v->links[i].l.role);
		free(v->links[i].l.entity);
		free(v->links[i].line);
	}
	free(v->links);
	v->links = NULL;
	v->nlinks = 0;
	v->truncated = 0;
	record_free(v->rec);
	v->rec = NULL;
}

/* Read the record and build its document; 0 if it cannot be shown. */
static int
ui_view_load(struct ui_view *v)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ui_view_line	*l;
	struct buf		 t = BUF_INIT, shown = BUF_INIT;

	ui_view_clear(v);
	if (store_get(v->u->st, v->entity, v->id, &v->rec, &e) != NCEN_OK) {
		ui_error(v->u, &e);
		ncen_err_free(&e);
		return 0;
	}
	if (!ui_sees(v->u, v->rec)) {
		ui_status_error(v->u, _("Your roles may not see %s %llu."),
		    schema_label(v->rec->form->label, v->u->lang),
		    (unsigned long long)v->id);
		return 0;
	}
	l = ui_view_line(v);
	buf_addf(&t, _("%s %llu, version %u, changed "),
	    schema_label(v->rec->form->label, v->u->lang),
	    (unsigned long long)v->id, v->rec->version);
	audit_format_time(&t, v->rec->mtime);
	if (v->rec->muser != NULL)
		buf_addf(&t, _(" by %s"), v->rec->muser);
	ui_view_seg_add(l, 0, COLS, t.s, t.len);
	(void)ui_view_line(v);
	if (ui_view_layout(v))
		buf_addf(&shown, "%s:%llu\n", v->entity,
		    (unsigned long long)v->id);
	ui_view_links(v, &shown);
	ui_view_audit(v->u, &shown, "ncen showed its nominal fields");
	if (v->sel >= (int)v->nlinks)
		v->sel = (int)v->nlinks - 1;
	if (v->sel < 0 && v->nlinks != 0)
		v->sel = 0;
	buf_free(&t);
	buf_free(&shown);
	ncen_err_free(&e);
	return 1;
}

/* The document line of a link. */
static size_t
ui_view_link_line(const struct ui_view *v, int link)
{
	size_t	i;

	for (i = 0; i < v->nlines; i++)
		if (v->lines[i].link == link)
			return i;
	return 0;
}

/* Draw one document line at screen row y. */
static void
ui_view_draw_line(struct ui_view *v, size_t i, int y)
{
	const struct ui_view_line	*l = &v->lines[i];
	size_t				 j;
	int				 hi = l->link >= 0 && l->link == v->sel;

	move(y, 0);
	clrtoeol();
	ui_sel(v->u, y, hi);
	for (j = 0; j < l->nseg; j++) {
		int	w = l->seg[j].width;

		if (l->seg[j].col + w > COLS)
			w = COLS - l->seg[j].col;
		ui_text_put(y, l->seg[j].col, l->seg[j].text, w, hi);
	}
	ui_sel_end(v->u, hi);
}

/* Draw the window of the document. */
static void
ui_view_draw_body(struct ui_view *v)
{
	int	y, rows = ui_body_rows();
	size_t	i;

	for (y = 1, i = v->top; y <= rows; y++, i++) {
		if (i < v->nlines)
			ui_view_draw_line(v, i, y);
		else {
			move(y, 0);
			clrtoeol();
		}
	}
}

/* Whether the account may merge the record shown into another. */
static int
ui_view_may_merge(const struct ui_view *v)
{
	return merge_entity_ok(v->entity) && ui_may(v->u, AUTH_MERGE, v->rec);
}

/* Whether ^A offers anything: an investigation's steps, or a merge. */
static int
ui_view_has_actions(const struct ui_view *v)
{
	return strcmp(v->entity, "investigation") == 0 ||
	    strcmp(v->entity, "message") == 0 ||
	    (strcmp(v->entity, "attachment") == 0 &&
	    ui_may(v->u, AUTH_EXPORT, NULL)) || ui_view_may_merge(v);
}

/* The title, key line and body. */
static void
ui_view_draw(struct ui_view *v)
{
	enum ui_op	ops[6];
	size_t		n = 0;

	erase();
	ui_title(v->u, "%s %llu", schema_label(v->rec->form->label,
	    v->u->lang), (unsigned long long)v->id);
	ops[n++] = UI_OP_HELP;
	if (ui_may(v->u, AUTH_EDIT, v->rec))
		ops[n++] = UI_OP_EDIT;
	if (ui_may(v->u, AUTH_AUDIT, v->rec))
		ops[n++] = UI_OP_HISTORY;
	if (ui_view_has_actions(v))
		ops[n++] = UI_OP_ACTION;
	ops[n++] = UI_OP_BACK;
	ui_keys(v->u, ops, n);
	ui_view_draw_body(v);
	if (v->u->status != NULL)
		ui_status(v->u, "%s", v->u->status);
}

/* Scroll so that the selected link shows; 1 if the window moved. */
static int
ui_view_show_sel(struct ui_view *v)
{
	size_t	line, rows = (size_t)ui_body_rows();

	if (v->sel < 0)
		return 0;
	line = ui_view_link_line(v, v->sel);
	if (line < v->top) {
		v->top = line;
		return 1;
	}
	if (line >= v->top + rows) {
		v->top = line - rows + 1;
		return 1;
	}
	return 0;
}

/* Move the selection among links (or scroll when there are none). */
static void
ui_view_move(struct ui_view *v, int by)
{
	size_t	rows = (size_t)ui_body_rows(), old;
	int	prev = v->sel;

	if (v->nlinks == 0) {
		old = v->top;
		if (by < 0 && v->top > 0)
			v->top--;
		else if (by > 0 && v->top + rows < v->nlines)
			v->top++;
		if (v->top != old)
			ui_view_draw_body(v);
		return;
	}
	if (v->sel + by < 0 || v->sel + by >= (int)v->nlinks) {
		beep();
		return;
	}
	v->sel += by;
	if (ui_view_show_sel(v)) {
		ui_view_draw_body(v);
		return;
	}
	/* Only the two lines that changed. */
	ui_view_draw_line(v, ui_view_link_line(v, prev),
	    1 + (int)(ui_view_link_line(v, prev) - v->top));
	ui_view_draw_line(v, ui_view_link_line(v, v->sel),
	    1 + (int)(ui_view_link_line(v, v->sel) - v->top));
}

/* Scroll a page; the selection follows to a link in the window. */
static void
ui_view_page(struct ui_view *v, int dir)
{
	size_t	rows = (size_t)ui_body_rows(), old = v->top, line;
	int	i;

	if (dir > 0 && v->top + rows < v->nlines)
		v->top += rows;
	else if (dir < 0)
		v->top = v->top > rows ? v->top - rows : 0;
	if (v->top == old) {
		beep();
		return;
	}
	for (i = 0; i < (int)v->nlinks; i++) {
		line = ui_view_link_line(v, i);
		if (line >= v->top && line < v->top + rows) {
			if (dir > 0 || v->sel < 0 ||
			    ui_view_link_line(v, v->sel) >= v->top + rows)
				v->sel = i;
			if (dir > 0)
				break;
		}
	}
	ui_view_draw_body(v);
}

/* A merge of the record shown into keep, as asked (dry_run: the plan). */
static int
ui_view_merge_run(struct ui_view *v, uint64_t keep, uint32_t keep_version,
    int dry_run, struct merge_result *res, struct ncen_err *e)
{
	struct merge_request	req;

	memset(&req, 0, sizeof req);
	req.keep.entity = req.other.entity = v->entity;
	req.keep.id = keep;
	req.keep_version = keep_version;
	req.other.id = v->id;
	req.other_version = v->rec->version;
	req.account = v->u->acct;
	req.user = v->u->acct->name;
	req.lang = v->u->lang;
	req.dry_run = dry_run;
	return merge_records(v->u->st, &req, res, e);
}

/*
 * "Merge into another record": pick the record to keep, show what will
 * move, ask, merge.  1 when the record shown was merged (it is gone).
 */
static int
ui_view_merge(struct ui_view *v)
{
	struct merge_result	 res;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct record		*k = NULL;
	struct buf		 text = BUF_INIT, q = BUF_INIT;
	const char		*label = schema_label(v->rec->form->label,
				     v->u->lang);
	uint64_t		 keep;
	int			 merged = 0;

	memset(&res, 0, sizeof res);
	buf_addf(&q, _("Merge %s %llu into which record?"), label,
	    (unsigned long long)v->id);
	if (ui_list_pick(v->u, v->entity, buf_cstr(&q), &keep) != 1)
		goto out;
	if (keep != v->id && store_get(v->u->st, v->entity, keep, &k, &e) !=
	    NCEN_OK) {
		ui_error(v->u, &e);
		goto out;
	}
	if (ui_view_merge_run(v, keep, k != NULL ? k->version : 0, 1, &res,
	    &e) != NCEN_OK) {
		ui_error(v->u, &e);
		goto out;
	}
	buf_addf(&text, _("%s %llu will be merged into %s %llu, then "
	    "deleted.  What moves to %s %llu:\n\n"), label,
	    (unsigned long long)v->id, label, (unsigned long long)keep, label,
	    (unsigned long long)keep);
	buf_adds(&text, res.summary.len != 0 ? buf_cstr(&res.summary) :
	    _("(nothing: the two records hold the same)\n"));
	buf_addf(&text, _("\nBack (^X) to answer.\n"));
	buf_reset(&q);
	buf_addf(&q, _("Merge: %s %llu into %s %llu"), label,
	    (unsigned long long)v->id, label, (unsigned long long)keep);
	ui_pager(v->u, buf_cstr(&q), buf_cstr(&text));
	ui_view_draw(v);
	buf_reset(&q);
	buf_addf(&q, _("Merge %s %llu into %s %llu and delete it? (y/n)"),
	    label, (unsigned long long)v->id, label, (unsigned long long)keep);
	if (!ui_confirm(v->u, buf_cstr(&q))) {
		ui_status(v->u, "%s", _("Not merged."));
		goto out;
	}
	merge_result_free(&res);
	if (ui_view_merge_run(v, keep, k != NULL ? k->version : 0, 0, &res,
	    &e) != NCEN_OK) {
		ui_error(v->u, &e);
		goto out;
	}
	merged = 1;
	ui_status(v->u, _("%s %llu merged into %s %llu."), label,
	    (unsigned long long)v->id, label, (unsigned long long)keep);
	ui_view(v->u, v->entity, keep);
out:
	merge_result_free(&res);
	record_free(k);
	buf_free(&text);
	buf_free(&q);
	ncen_err_free(&e);
	return merged;
}

/* The view of a case goes to the case screen, except from inside it. */
static int ui_view_in_case;

/* Draw the record again (a ui_common draw). */
static void
ui_view_redraw(void *arg)
{
	ui_view_draw(arg);
}

/* Lay the record out for a new size (a ui_common resize); 0: gone. */
static int
ui_view_resize(void *arg)
{
	return ui_view_load(arg);
}

/* Show a record until the officer goes back. */
void
ui_view(struct ui *u, const char *entity, uint64_t id)
{
	struct ui_view		v;
	struct ui_keypress	k;
	const struct ui_common	common = { N_("Help: record"), ui_view_help,
				    ui_view_redraw, ui_view_resize, &v };
	enum ui_common_res	c;
	uint64_t		saved;
	const char		*actions[1];
	int			done = 0, outer;

	if (strcmp(entity, "case") == 0 && !ui_view_in_case) {
		/* ui_case may come back here to show the fields alone. */
		ui_view_in_case = 1;
		ui_case(u, id);
		ui_view_in_case = 0;
		return;
	}
	/* A case shown here is shown whole; what it opens goes anew. */
	outer = ui_view_in_case;
	ui_view_in_case = 0;
	memset(&v, 0, sizeof v);
	v.u = u;
	v.entity = entity;
	v.id = id;
	v.sel = -1;
	if (!ui_view_load(&v)) {
		ui_view_clear(&v);
		ui_view_in_case = outer;
		return;
	}
	ui_status(u, "%s", "");
	ui_view_draw(&v);
	while (!done) {
		ui_key(u, &k);
		if ((c = ui_common_key(u, &k, &common)) != UI_COMMON_OTHER) {
			done = c == UI_COMMON_BACK;
			continue;
		}
		switch (k.op) {
		case UI_OP_EDIT:
			if (!ui_may(u, AUTH_EDIT, v.rec)) {
				ui_status_error(u, "%s", _("Your roles may not "
				    "edit this record."));
				break;
			}
			if (ui_form_edit(u, entity, id, &saved) == 1)
				ui_status(u, "%s", _("Saved."));
			if (!ui_view_load(&v))
				done = 1;
			else
				ui_view_draw(&v);
			break;
		case UI_OP_ACTION:
			if (strcmp(entity, "investigation") == 0 ||
			    strcmp(entity, "message") == 0 ||
			    strcmp(entity, "attachment") == 0) {
				if (strcmp(entity, "message") == 0)
					ui_message_action(u, v.rec);
				else if (strcmp(entity, "attachment") == 0)
					ui_attach_action(u, v.rec);
				else
					ui_invest_action(u, v.rec);
				if (!ui_view_load(&v))
					done = 1;
				else
					ui_view_draw(&v);
				break;
			}
			if (!ui_view_may_merge(&v)) {
				beep();
				break;
			}
			actions[0] = _(ui_view_actions[0]);
			if (ui_link_choose(u, _("Actions"), actions, 1) != 0) {
				ui_view_draw(&v);
				break;
			}
			if (ui_view_merge(&v)) {
				done = 1;
				break;
			}
			if (!ui_view_load(&v))
				done = 1;
			else
				ui_view_draw(&v);
			break;
		case UI_OP_HISTORY:
			if (!ui_may(u, AUTH_AUDIT, v.rec)) {
				ui_status_error(u, "%s", _("Your roles may not "
				    "read this record's history."));
				break;
			}
			ui_view_history(u, entity, id);
			ui_view_draw(&v);
			break;
		case UI_OP_NONE:
			switch (ui_view_nav(&k)) {
			case UI_NAV_UP:
				ui_view_move(&v, -1);
				break;
			case UI_NAV_DOWN:
				ui_view_move(&v, 1);
				break;
			case UI_NAV_PGDN:
				ui_view_page(&v, 1);
				break;
			case UI_NAV_PGUP:
				ui_view_page(&v, -1);
				break;
			case UI_NAV_ENTER:
				if (v.sel < 0) {
					beep();
					break;
				}
				ui_view(u, v.links[v.sel].l.entity,
				    v.links[v.sel].l.id);
				if (!ui_view_load(&v))
					done = 1;
				else {
					ui_view_show_sel(&v);
					ui_view_draw(&v);
				}
				break;
			default:
				beep();
				break;
			}
			break;
		default:
			beep();
			break;
		}
	}
	ui_view_clear(&v);
	ui_view_in_case = outer;
	erase();
}

/* What the history screen collects. */
struct ui_view_hist {
	struct ui	*u;
	struct buf	 text;
	size_t		 n;
};

/* One audit entry as a line of the history. */
static int
ui_view_hist_audit(const struct audit_entry *a, void *varg)
{
	struct ui_view_hist	*h = varg;

	audit_format_time(&h->text, a->time);
	buf_addf(&h->text, "  %s  %s", a->user, a->action);
	if (a->details != NULL && *a->details != '\0')
		buf_addf(&h->text, "  %s", a->details);
	buf_addc(&h->text, '\n');
	h->n++;
	return 0;
}

/* One workflow step of a case as a line of the history. */
static int
ui_view_hist_step(const struct record *r, void *varg)
{
	struct ui_view_hist	*h = varg;
	const char		*role = record_get(r, "role");
	const char		*why = record_get(r, "reason");

	buf_addf(&h->text, "%s  %s", record_get(r, "at") != NULL ?
	    record_get(r, "at") : "", record_get(r, "user") != NULL ?
	    record_get(r, "user") : "");
	if (role != NULL && *role != '\0')
		buf_addf(&h->text, " (%s)", role);
	buf_addf(&h->text, "  %s -> %s", record_get(r, "from") != NULL ?
	    record_get(r, "from") : "", record_get(r, "to") != NULL ?
	    record_get(r, "to") : "");
	if (why != NULL && *why != '\0')
		buf_addf(&h->text, "  %s", why);
	buf_addc(&h->text, '\n');
	h->n++;
	return 0;
}

/* A record's history: its audit entries and, for a case, its workflow. */
void
ui_view_history(struct ui *u, const char *entity, uint64_t id)
{
	struct ui_view_hist	 h;
	struct audit_filter	 f;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 rec = BUF_INIT, title = BUF_INIT;
	const struct schema_form *form = schema_form_find(u->schema, entity);

	memset(&h, 0, sizeof h);
	h.u = u;
	buf_addf(&rec, "%s:%llu", entity, (unsigned long long)id);
	memset(&f, 0, sizeof f);
	f.record = buf_cstr(&rec);
	ui_status(u, "%s", _("Reading the audit log..."));
	refresh();
	if (strcmp(entity, "case") == 0) {
		buf_addf(&h.text, "%s\n\n", _("Workflow:"));
		h.n = 0;
		if (workflow_history(u->st, id, ui_view_hist_step, &h, &e) !=
		    NCEN_OK)
			buf_addf(&h.text, "%s\n", ncen_err_msg(&e));
		else if (h.n == 0)
			buf_addf(&h.text, "%s\n", _("No workflow steps."));
		ncen_err_clear(&e);
		buf_addf(&h.text, "\n%s\n\n", _("Audit log:"));
	}
	h.n = 0;
	if (audit_scan(u->st, &f, ui_view_hist_audit, &h, &e) != NCEN_OK)
		buf_addf(&h.text, "%s\n", ncen_err_msg(&e));
	else if (h.n == 0)
		buf_addf(&h.text, "%s\n", _("No audit entries."));
	ui_status(u, "%s", "");
	buf_addf(&title, _("History: %s %llu"), form != NULL ?
	    schema_label(form->label, u->lang) : entity,
	    (unsigned long long)id);
	ui_pager(u, buf_cstr(&title), buf_cstr(&h.text));
	buf_free(&h.text);
	buf_free(&rec);
	buf_free(&title);
	ncen_err_free(&e);
}
