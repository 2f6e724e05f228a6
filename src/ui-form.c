/*
 * ui-form.c - create or edit a record in a form laid out from its form
 * file, and the drafts that keep what was typed until it is saved.
 *
 * The screen is the ncurses form library's: each field of the form file
 * is a label (inactive) and an input placed by its `at ROW COL` hint,
 * wrapped to the next line where the hints do not fit 80 columns, and
 * split into form pages when the body's rows run out.  A code or record
 * field shows the label of its value beside it; a repeated field one
 * input per value.  The form's own values live in a record (f->rec),
 * taken from the inputs as the officer leaves each one: that is when
 * the value is checked (ui-field.c, the project's validator), refused
 * in words while the cursor stays, and when the draft is written.
 *
 * Nothing is held while waiting for a key: the record is read when the
 * form opens, and ^W writes it in one short store_run transaction based
 * on the version read then, so a change made meanwhile by another
 * officer is refused with the store's conflict message, never
 * overwritten.  A hang-up saves the draft (drafts.db, or the spool file
 * when the store has stalled) through the hook registered here.
 */
#include <curses.h>
#include <form.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store-draft.h"
#include "statcase.h"
#include "store.h"
#include "ui-field.h"
#include "ui-screens.h"
#include "ui.h"
#include "validate.h"
#include "workflow.h"
#include "workflow-inv.h"
#include "xmalloc.h"

#define UI_FORM_LABEL_MAX	36	/* columns of a label */
#define UI_FORM_INPUT_MIN	8	/* columns an input needs at least */
#define UI_FORM_WHOLE_MAX	26	/* text this short is never scrolled */
#define UI_FORM_BESIDE_MIN	4	/* a code's label, or nothing */
#define UI_FORM_BESIDE_MAX	40
#define UI_FORM_REASON_MAX	200	/* characters of a check override */

/* What a new record gets in a field the system sets. */
enum ui_form_init {
	UI_FORM_NOTHING,
	UI_FORM_DRAFT,		/* the workflow's first status */
	UI_FORM_USER,		/* the signed-in officer */
	UI_FORM_INV_NEW,	/* an investigation's first status */
};

/* Fields the system sets: shown, never typed (workflow.c, demo.c). */
static const struct ui_form_system {
	const char		*entity;
	const char		*field;
	enum ui_form_init	 init;
} ui_form_system[] = {
	{ "case", "number", UI_FORM_NOTHING },
	{ "case", "status", UI_FORM_DRAFT },
	{ "case", "officer", UI_FORM_USER },
	{ "investigation", "number", UI_FORM_NOTHING },
	{ "investigation", "status", UI_FORM_INV_NEW },
	{ "investigation", "officers", UI_FORM_NOTHING },
	{ "investigation", "closed", UI_FORM_NOTHING },
	{ "person", STORE_CREATOR_FIELD, UI_FORM_USER },
	{ "business", STORE_CREATOR_FIELD, UI_FORM_USER },
	{ "conveyance", STORE_CREATOR_FIELD, UI_FORM_USER },
};

/* One input on the screen: a value of a field. */
struct ui_form_slot {
	size_t		 field;		/* index in the form */
	size_t		 value;		/* which of its values */
	FIELD		*in;
	FIELD		*beside;	/* a code's label; NULL if none */
	int		 readonly;
	int		 page;
};

struct ui_form {
	struct ui			*u;
	const struct schema_form	*form;
	uint64_t			 id;		/* 0: new */
	uint32_t			 version;	/* the edit's base */
	int64_t				 started;
	struct record			*rec;		/* what was typed */
	struct record			*base;		/* as it was */
	struct ui_form_slot		*slots;
	size_t				 nslots;
	FIELD				**fields;	/* NULL-terminated */
	size_t				 nfields, capfields;
	int				 newpage;
	int				 npages;
	FORM				*fm;
	WINDOW				*sub;
	size_t				 cur;		/* current slot */
	int				 over;		/* too long: said */
	int				 bad;		/* not UTF-8: said */
	int				 undrafted;	/* typed since the draft */
	int				 drafted;	/* drafts.db has one */
	int				 fresh;		/* base is the version
							   the edit began from */
	pthread_t			 thread;	/* the one drawing */
};

static const enum ui_op ui_form_ops[] = {
	UI_OP_SAVE, UI_OP_PICK, UI_OP_ADD, UI_OP_DELETE, UI_OP_HELP,
	UI_OP_BACK
};

static const char ui_form_help_text[] = N_(
    "Type in each field; Tab, Enter or Down go to the next field, "
    "Shift-Tab or Up to the previous one, PgDn and PgUp (^V, ^B) to the "
    "next or previous page.  What you type is checked as you leave a "
    "field: a value that does not fit is refused on the status line and "
    "the cursor stays.  Every field you leave is kept as a draft, so a "
    "dropped line loses nothing: the next sign-in offers to resume it.\n\n"
    "^P picks a code from its list, or a record; ^Y adds a value to a "
    "field that takes several and ^D removes one (or empties a field); "
    "^U empties the field.  ^W saves; ^X goes back (you are asked whether "
    "to keep your typing as a draft).\n\nFields:\n");

/* The row of a system-set field, or NULL. */
static const struct ui_form_system *
ui_form_system_find(const char *entity, const char *field)
{
	size_t	i;

	for (i = 0; i < sizeof ui_form_system / sizeof ui_form_system[0]; i++)
		if (strcmp(ui_form_system[i].entity, entity) == 0 &&
		    strcmp(ui_form_system[i].field, field) == 0)
			return &ui_form_system[i];
	return NULL;
}

/* The number of values field fi holds in r. */
static size_t
ui_form_nvalues(const struct record *r, size_t fi)
{
	return r->fields[fi].n;
}

/* Value vi of field fi in r, "" if it has none. */
static const char *
ui_form_value(const struct record *r, size_t fi, size_t vi)
{
	if (vi >= r->fields[fi].n || r->fields[fi].v[vi] == NULL)
		return "";
	return r->fields[fi].v[vi];
}

/*
 * Set value vi of field fi (appending empty ones up to it), or remove
 * it when s is NULL; 1 if that changed anything.  Goes through the
 * record API only: values a decoded record holds are not its own.
 */
static int
ui_form_value_set(struct record *r, size_t fi, size_t vi, const char *s)
{
	char	**v;
	size_t	  n = r->fields[fi].n, i, m;

	if (s != NULL && vi < n && strcmp(ui_form_value(r, fi, vi), s) == 0)
		return 0;
	if (s == NULL && vi >= n)
		return 0;
	if (s != NULL && vi >= n && *s == '\0' && vi == 0)
		return 0;
	m = n > vi + 1 ? n : vi + 1;
	v = xcalloc(m, sizeof *v);
	for (i = 0; i < m; i++)
		v[i] = xstrdup(i == vi && s != NULL ? s : ui_form_value(r, fi,
		    i));
	record_clear_field(r, fi);
	for (i = 0; i < m; i++) {
		if (!(s == NULL && i == vi))
			record_add_value(r, fi, v[i]);
		free(v[i]);
	}
	free(v);
	return 1;
}

/* Whether field fi has the same values (empty ones aside) in a and b. */
static int
ui_form_same(const struct record *a, const struct record *b, size_t fi)
{
	size_t	i, j;

	for (i = 0, j = 0;; i++, j++) {
		while (i < ui_form_nvalues(a, fi) &&
		    *ui_form_value(a, fi, i) == '\0')
			i++;
		while (j < ui_form_nvalues(b, fi) &&
		    *ui_form_value(b, fi, j) == '\0')
			j++;
		if (i >= ui_form_nvalues(a, fi) || j >= ui_form_nvalues(b, fi))
			break;
		if (strcmp(ui_form_value(a, fi, i), ui_form_value(b, fi, j)) !=
		    0)
			return 0;
	}
	return i >= ui_form_nvalues(a, fi) && j >= ui_form_nvalues(b, fi);
}

/* Whether the typed record differs from the one the edit began with. */
static int
ui_form_changed(const struct ui_form *f)
{
	size_t	fi;

	for (fi = 0; fi < f->form->nfields; fi++)
		if (!ui_form_same(f->rec, f->base, fi))
			return 1;
	return 0;
}

/* "2026-11-27 10:14" in local time. */
static void
ui_form_when(int64_t t, struct buf *b)
{
	char		s[32];
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (localtime_r(&tt, &tm) != NULL &&
	    strftime(s, sizeof s, "%Y-%m-%d %H:%M", &tm) != 0)
		buf_adds(b, s);
}

/* The draft of this form as it stands. */
static void
ui_form_draft_fill(struct ui_form *f, struct store_draft *d)
{
	memset(d, 0, sizeof *d);
	d->user = f->u->acct->name;
	d->entity = f->form->name;
	d->id = f->id;
	d->version = f->version;
	d->field = f->nslots != 0 ? (uint32_t)f->slots[f->cur].field : 0;
	d->started = f->started;
	d->saved = (int64_t)time(NULL);
	d->rec = f->rec;
	d->base = f->id != 0 && f->fresh ? f->base : NULL;
}

/* Write the draft to drafts.db (said on the status line if it fails). */
static void
ui_form_draft_put(struct ui_form *f)
{
	struct store_draft	d;
	struct ncen_err		e = NCEN_ERR_INIT;

	ui_form_draft_fill(f, &d);
	if (store_draft_put(f->u->st, &d, &e) != NCEN_OK) {
		/* A store that needs recovery ends the session (spool). */
		if (e.code == NCEN_ERECOVER)
			ui_error(f->u, &e);
		ui_status_error(f->u, _("Your typing could not be kept as a "
		    "draft: %s"), ncen_err_msg(&e));
	} else {
		f->drafted = 1;
		f->undrafted = 0;
	}
	ncen_err_free(&e);
}

/* Forget the draft (after a save, or when the officer says so). */
static void
ui_form_draft_del(struct ui_form *f)
{
	struct ncen_err	e = NCEN_ERR_INIT;

	if (store_draft_del(f->u->st, f->u->acct->name, f->form->name, f->id,
	    &e) != NCEN_OK)
		ui_error(f->u, &e);
	f->drafted = 0;
	ncen_err_free(&e);
}

/* The current input's text, trimmed of the blanks that pad it. */
static void
ui_form_typed(struct ui_form *f, const struct ui_form_slot *s, struct buf *b)
{
	const char	*t;
	size_t		 n;

	buf_reset(b);
	if ((t = field_buffer(s->in, 0)) == NULL)
		return;
	n = strlen(t);
	while (n > 0 && t[n - 1] == ' ')
		n--;
	while (n > 0 && *t == ' ') {
		t++;
		n--;
	}
	buf_add(b, t, n);
	(void)f;
}

/* Show beside a code its label, beside a record reference its summary. */
static void
ui_form_beside(struct ui_form *f, const struct ui_form_slot *s)
{
	const struct schema_field	*sf = &f->form->fields[s->field];
	const char			*v = ui_form_value(f->rec, s->field,
					    s->value);
	struct buf			 b = BUF_INIT;
	struct record			*r = NULL;
	struct ncen_err			 e = NCEN_ERR_INIT;
	char				*end;
	unsigned long long		 id;

	if (s->beside == NULL)
		return;
	if (sf->type == SCHEMA_CODE)
		ui_field_code_label(f->u, sf, v, &b);
	else if (sf->type == SCHEMA_REF && *v != '\0') {
		id = strtoull(v, &end, 10);
		if (*end == '\0' && store_get(f->u->st, sf->target, id, &r,
		    &e) == NCEN_OK)
			ui_view_summary(f->u, r, &b);
		record_free(r);
		ncen_err_free(&e);
	}
	set_field_buffer(s->beside, 0, buf_cstr(&b));
	buf_free(&b);
}

/* Whether a record exists (schema_validate's reference check). */
static int
ui_form_ref_exists(const char *entity, uint64_t id, void *arg)
{
	struct ui_form	*f = arg;
	struct record	*r = NULL;
	struct ncen_err	 e = NCEN_ERR_INIT;
	int		 rc;

	rc = store_get(f->u->st, entity, id, &r, &e);
	record_free(r);
	ncen_err_free(&e);
	if (rc == NCEN_ENOTFOUND)
		return 0;
	return rc == NCEN_OK ? 1 : -rc;
}

/*
 * A value whose check digit is wrong (check imo|iso6346) is a warning:
 * say what the digit should be and ask for a reason to keep it.  0 when
 * it is right, was kept before, or the officer gives a reason (kept
 * with the record as its override, see validate.h); -1 with the refusal
 * on the status line when they go back to fix it.
 */
static int
ui_form_keep(struct ui_form *f, const struct schema_field *sf,
    const char *value)
{
	struct buf	q = BUF_INIT, refusal = BUF_INIT, reason = BUF_INIT;
	int		rc = 0;

	if (schema_check_override(f->rec, sf->name, value) != NULL ||
	    !ui_field_digit(f->u, sf, value, &q, &refusal))
		return 0;
	if (ui_prompt(f->u, buf_cstr(&q), UI_FORM_REASON_MAX, 0,
	    &reason) == 1 && reason.len != 0) {
		schema_check_override_set(f->rec, sf->name, value, reason.s);
		f->undrafted = 1;
		ui_status(f->u, _("%s %s kept: %s"), ui_field_label(f->u, sf),
		    value, reason.s);
	} else {
		ui_status_error(f->u, "%s", buf_cstr(&refusal));
		rc = -1;
	}
	buf_free(&q);
	buf_free(&refusal);
	buf_free(&reason);
	return rc;
}

/*
 * Take the current input into the record.  With check, the value must
 * pass (else -1, refused in words on the status line, and the cursor
 * stays); the draft is written when anything changed.  Without check
 * (a hang-up, going back) the raw text is kept as typed.
 */
static int
ui_form_take(struct ui_form *f, int check)
{
	struct ui_form_slot		*s;
	const struct schema_field	*sf;
	struct buf			 typed = BUF_INIT, canon = BUF_INIT;
	struct buf			 msg = BUF_INIT;
	int				 rc = 0;
	char				*end;

	if (f->nslots == 0 || (s = &f->slots[f->cur])->readonly)
		return 0;
	sf = &f->form->fields[s->field];
	form_driver(f->fm, REQ_VALIDATION);
	ui_form_typed(f, s, &typed);
	if (!check) {
		if (ui_form_value_set(f->rec, s->field, s->value,
		    buf_cstr(&typed)))
			f->undrafted = 1;
		goto out;
	}
	if (ui_field_check(f->u, sf, buf_cstr(&typed), &canon, &msg) != 0) {
		rc = -1;
	} else if (sf->type == SCHEMA_REF && canon.len != 0 &&
	    ui_form_ref_exists(sf->target, strtoull(canon.s, &end, 10),
	    f) != 1) {
		buf_addf(&msg, _("There is no %s record %s: ^P picks one"),
		    sf->target, canon.s);
		rc = -1;
	}
	if (rc != 0) {
		ui_status_error(f->u, "%s", buf_cstr(&msg));
		/* Refused, but kept as typed: the draft must not lose it. */
		if (ui_form_value_set(f->rec, s->field, s->value,
		    buf_cstr(&typed)))
			f->undrafted = 1;
		goto out;
	}
	if (strcmp(buf_cstr(&canon), buf_cstr(&typed)) != 0)
		set_field_buffer(s->in, 0, buf_cstr(&canon));
	if (ui_form_value_set(f->rec, s->field, s->value, buf_cstr(&canon)))
		f->undrafted = 1;
	if (canon.len != 0 && ui_form_keep(f, sf, canon.s) != 0) {
		rc = -1;
		goto out;
	}
	ui_form_beside(f, s);
	if (f->undrafted)
		ui_form_draft_put(f);
out:
	buf_free(&typed);
	buf_free(&canon);
	buf_free(&msg);
	return rc;
}

/* Add a FIELD to the form's array (the first of a page starts it). */
static FIELD *
ui_form_field(struct ui_form *f, int y, int x, int w, int active)
{
	FIELD	*fld;

	if (w < 1 || (fld = new_field(1, w, y, x, 0, 0)) == NULL)
		return NULL;
	if (f->nfields + 2 > f->capfields) {
		f->capfields = f->capfields == 0 ? 64 : f->capfields * 2;
		f->fields = xreallocarray(f->fields, f->capfields,
		    sizeof *f->fields);
	}
	f->fields[f->nfields++] = fld;
	f->fields[f->nfields] = NULL;
	if (f->newpage) {
		set_new_page(fld, TRUE);
		f->newpage = 0;
	}
	if (!active)
		field_opts_off(fld, O_ACTIVE);
	field_opts_off(fld, O_AUTOSKIP | O_BLANK);
	return fld;
}

/* Add a slot. */
static struct ui_form_slot *
ui_form_slot_add(struct ui_form *f)
{
	f->slots = xreallocarray(f->slots, f->nslots + 1, sizeof *f->slots);
	memset(&f->slots[f->nslots], 0, sizeof f->slots[0]);
	return &f->slots[f->nslots++];
}

/* The form's fields in screen order: by hint row, then column. */
static int
ui_form_order_cmp(const void *a, const void *b, void *arg)
{
	const struct schema_form	*form = arg;
	const struct schema_field	*x = &form->fields[*(const size_t *)a];
	const struct schema_field	*y = &form->fields[*(const size_t *)b];
	long				 rx = x->row < 0 ? 1L << 30 : x->row;
	long				 ry = y->row < 0 ? 1L << 30 : y->row;

	if (rx != ry)
		return rx < ry ? -1 : 1;
	if (x->row >= 0 && x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 :
	    *(const size_t *)a > *(const size_t *)b;
}

/* Where one field goes: label at x, input after it, its label beside. */
struct ui_form_place {
	int	x, lw, iw, bw;
};

/* Fit a field at the cursor (y, xcur), wrapping when it does not fit. */
static void
ui_form_place(struct ui_form *f, const struct schema_field *sf, int nextcol,
    int *y, int xcur, struct ui_form_place *p)
{
	struct buf	lab = BUF_INIT;
	int		want, minw, limit, col = sf->col < 0 ? 1 : sf->col;

	ui_text_clip(ui_field_label(f->u, sf), UI_FORM_LABEL_MAX, &lab);
	p->lw = ui_text_width(buf_cstr(&lab));
	buf_free(&lab);
	/* One column more than it holds, for the cursor after the end. */
	want = ui_field_width(f->u->schema, sf) + 1;
	/*
	 * Dates, codes, numbers and short text (identifiers such as a VIN
	 * or a plate) are read whole; longer text may scroll.
	 */
	minw = sf->type != SCHEMA_TEXT || want <= UI_FORM_WHOLE_MAX ? want :
	    UI_FORM_INPUT_MIN;
	p->x = col > xcur ? col : xcur;
	if (p->x + p->lw + 1 + minw > COLS - 1) {
		if (xcur > 0)
			(*y)++;
		p->x = col + p->lw + 1 + minw <= COLS - 1 ? col : 1;
	}
	limit = COLS - 1;
	if (nextcol > p->x + p->lw + 1 + minw + 1)
		limit = nextcol - 1;
	p->iw = limit - (p->x + p->lw + 1);
	if (p->iw > want)
		p->iw = want;
	p->bw = 0;
	/* The label of a code only up to the next field, or not at all. */
	if (nextcol < COLS && nextcol - 1 < limit)
		limit = nextcol - 1;
	if (sf->type == SCHEMA_CODE || sf->type == SCHEMA_REF) {
		/* After the input's closing bracket and a blank. */
		p->bw = limit - (p->x + p->lw + 1 + p->iw + 2);
		if (p->bw < UI_FORM_BESIDE_MIN)
			p->bw = 0;
		if (p->bw > UI_FORM_BESIDE_MAX)
			p->bw = UI_FORM_BESIDE_MAX;
	}
}

/* Make the inputs of one field (one per value) at the place found. */
static void
ui_form_make(struct ui_form *f, size_t fi, const struct ui_form_place *p,
    int *y, int rows, int *page)
{
	const struct schema_field	*sf = &f->form->fields[fi];
	struct ui_form_slot		*s;
	struct buf			 lab = BUF_INIT;
	FIELD				*l;
	size_t				 nv = 1, v;
	int				 ro;

	ro = ui_form_system_find(f->form->name, sf->name) != NULL;
	if (sf->repeated && ui_form_nvalues(f->rec, fi) > 1)
		nv = ui_form_nvalues(f->rec, fi);
	for (v = 0; v < nv; v++) {
		if (v > 0)
			(*y)++;
		if (*y >= rows) {
			(*page)++;
			*y = 0;
			f->newpage = 1;
		}
		if (v == 0) {
			ui_text_clip(ui_field_label(f->u, sf),
			    UI_FORM_LABEL_MAX, &lab);
			if ((l = ui_form_field(f, *y, p->x, p->lw, 0)) != NULL)
				set_field_buffer(l, 0, buf_cstr(&lab));
		}
		s = ui_form_slot_add(f);
		s->field = fi;
		s->value = v;
		s->readonly = ro;
		s->page = *page;
		s->in = ui_form_field(f, *y, p->x + p->lw + 1, p->iw, !ro);
		if (s->in == NULL) {
			f->nslots--;
			continue;
		}
		if (!ro) {
			/* Shown by brackets (ui_form_brackets), not an
			 * attribute: echoing a character under underline
			 * costs a vt100 12 bytes, plain it costs 1. */
			if (ui_field_max(sf) + 1 > p->iw) {
				field_opts_off(s->in, O_STATIC);
				set_max_field(s->in, ui_field_max(sf) + 1);
			}
		}
		/* A code set by the system reads as its label alone. */
		buf_reset(&lab);
		if (ro && sf->type == SCHEMA_CODE)
			ui_field_code_label(f->u, sf, ui_form_value(f->rec, fi,
			    v), &lab);
		set_field_buffer(s->in, 0, lab.len != 0 ? buf_cstr(&lab) :
		    ui_form_value(f->rec, fi, v));
		if (p->bw > 0 && !(ro && sf->type == SCHEMA_CODE))
			s->beside = ui_form_field(f, *y, p->x + p->lw + 1 +
			    p->iw + 2, p->bw, 0);
		ui_form_beside(f, s);
	}
	buf_free(&lab);
}

/* Lay the form out for the screen as it is now, and build its FIELDs. */
static void
ui_form_layout(struct ui_form *f)
{
	const struct schema_field	*sf, *nx;
	struct ui_form_place		 p;
	size_t				*order, i, n = f->form->nfields;
	int				 rows = ui_body_rows(), y = -1;
	int				 page = 0, xcur = 0, prow = -2, nextcol;

	order = xcalloc(n + 1, sizeof *order);
	for (i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, ui_form_order_cmp,
	    (void *)(uintptr_t)f->form);
	f->newpage = 0;
	for (i = 0; i < n; i++) {
		sf = &f->form->fields[order[i]];
		if (sf->row < 0 || sf->row != prow) {
			/* A new row of hints; one blank line for a gap. */
			y += y < 0 ? 1 : (prow >= 0 && sf->row > prow + 1 ?
			    2 : 1);
			xcur = 0;
		}
		prow = sf->row;
		nextcol = COLS;
		if (i + 1 < n) {
			nx = &f->form->fields[order[i + 1]];
			if (sf->row >= 0 && nx->row == sf->row)
				nextcol = nx->col;
		}
		ui_form_place(f, sf, nextcol, &y, xcur, &p);
		if (y >= rows) {
			page++;
			y = 0;
			f->newpage = 1;
		}
		ui_form_make(f, order[i], &p, &y, rows, &page);
		xcur = p.x + p.lw + 1 + p.iw + (p.bw > 0 ? p.bw + 1 : 0) + 2;
		if (sf->repeated && ui_form_nvalues(f->rec, order[i]) > 1)
			xcur = COLS;	/* what follows goes below */
	}
	f->npages = page + 1;
	free(order);
}

/* Unpost and free the form's FIELDs (the record stays). */
static void
ui_form_unbuild(struct ui_form *f)
{
	size_t	i;

	if (f->fm != NULL) {
		unpost_form(f->fm);
		free_form(f->fm);
		f->fm = NULL;
	}
	for (i = 0; i < f->nfields; i++)
		free_field(f->fields[i]);
	free(f->fields);
	f->fields = NULL;
	f->nfields = f->capfields = 0;
	free(f->slots);
	f->slots = NULL;
	f->nslots = 0;
	if (f->sub != NULL)
		delwin(f->sub);
	f->sub = NULL;
}

/* The slot of (field, value), else the field's last, else the first. */
static size_t
ui_form_slot_find(const struct ui_form *f, size_t fi, size_t vi)
{
	size_t	i, best = f->nslots;

	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].field == fi && !f->slots[i].readonly) {
			if (f->slots[i].value == vi)
				return i;
			best = i;
		}
	if (best < f->nslots)
		return best;
	for (i = 0; i < f->nslots; i++)
		if (!f->slots[i].readonly)
			return i;
	return 0;
}

/* Say on the status line what the current field is for. */
static void
ui_form_field_help(struct ui_form *f)
{
	const struct schema_field	*sf;
	struct buf			 b = BUF_INIT;
	const char			*h;

	if (f->nslots == 0)
		return;
	sf = &f->form->fields[f->slots[f->cur].field];
	h = schema_label(sf->help, f->u->lang);
	buf_addf(&b, "%s: ", ui_field_label(f->u, sf));
	if (h != NULL && *h != '\0')
		buf_adds(&b, h);
	else
		ui_field_describe(f->u, sf, &b);
	ui_status(f->u, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The title: what is edited, and the page when there are several. */
static void
ui_form_title(struct ui_form *f)
{
	struct buf	 b = BUF_INIT;
	const char	*what = schema_label(f->form->label, f->u->lang);

	if (f->id == 0)
		buf_addf(&b, _("New %s"), what);
	else
		buf_addf(&b, _("%s %llu, version %u"), what,
		    (unsigned long long)f->id, f->version);
	if (f->npages > 1 && f->nslots != 0)
		buf_addf(&b, _("  (page %d of %d)"), f->slots[f->cur].page + 1,
		    f->npages);
	ui_title(f->u, "%s", buf_cstr(&b));
	buf_free(&b);
}

/*
 * Brackets around the inputs of the page shown, in the columns the
 * layout leaves free on each side of an input (ui_form_place); the form
 * library erases its window when it turns a page.
 */
static void
ui_form_brackets(struct ui_form *f)
{
	size_t	i;
	int	rows, cols, y, x, page;

	if (f->nslots == 0 || f->fm == NULL)
		return;
	page = f->slots[f->cur].page;
	for (i = 0; i < f->nslots; i++) {
		if (f->slots[i].page != page || f->slots[i].readonly ||
		    field_info(f->slots[i].in, &rows, &cols, &y, &x, NULL,
		    NULL) != E_OK)
			continue;
		if (x > 0)
			mvwaddch(f->sub, y, x - 1, '[');
		if (x + cols < COLS)
			mvwaddch(f->sub, y, x + cols, ']');
	}
}

/* Make the current slot current in the form library too. */
static void
ui_form_focus(struct ui_form *f, size_t to)
{
	int	page = f->nslots != 0 ? f->slots[f->cur].page : 0;

	if (f->nslots == 0)
		return;
	f->cur = to;
	set_current_field(f->fm, f->slots[to].in);
	form_driver(f->fm, REQ_END_FIELD);	/* typing goes after the text */
	if (f->slots[to].page != page) {
		ui_form_title(f);
		ui_form_brackets(f);
	}
	f->over = f->bad = 0;
	ui_form_field_help(f);
}

/* Build and post the form, the current slot at (field, value). */
static void
ui_form_build(struct ui_form *f, size_t fi, size_t vi)
{
	erase();
	ui_form_layout(f);
	f->sub = derwin(stdscr, ui_body_rows(), COLS, 1, 0);
	f->cur = ui_form_slot_find(f, fi, vi);
	f->fm = new_form(f->fields);
	if (f->fm != NULL) {
		set_form_win(f->fm, stdscr);
		set_form_sub(f->fm, f->sub);
		post_form(f->fm);
	}
	ui_form_title(f);
	ui_keys(f->u, ui_form_ops, sizeof ui_form_ops / sizeof ui_form_ops[0]);
	if (f->nslots != 0 && f->fm != NULL) {
		ui_form_focus(f, f->cur);
		ui_form_brackets(f);
	}
}

/* Build again where the cursor is (after a resize, ^Y, ^D, a picker). */
static void
ui_form_rebuild(struct ui_form *f, size_t fi, size_t vi)
{
	char	*keep = f->u->status != NULL ? xstrdup(f->u->status) : NULL;
	int	 err = f->u->status_err;

	ui_form_unbuild(f);
	ui_form_build(f, fi, vi);
	if (keep != NULL) {
		if (err)
			ui_status_error(f->u, "%s", keep);
		else
			ui_status(f->u, "%s", keep);
	}
	free(keep);
}

/* Go to slot to, if the current value may be left. */
static void
ui_form_go(struct ui_form *f, size_t to)
{
	if (f->nslots == 0 || ui_form_take(f, 1) != 0)
		return;
	ui_form_focus(f, to);
}

/* The next (dir 1) or previous (-1) input, wrapping around. */
static size_t
ui_form_next(const struct ui_form *f, int dir)
{
	size_t	i = f->cur, n;

	for (n = 0; n < f->nslots; n++) {
		i = (i + f->nslots + (size_t)(long)dir) % f->nslots;
		if (!f->slots[i].readonly)
			return i;
	}
	return f->cur;
}

/* The first input of the next (dir 1) or previous (-1) page. */
static size_t
ui_form_page(const struct ui_form *f, int dir)
{
	int	page = f->slots[f->cur].page + dir;
	size_t	i;

	if (page < 0 || page >= f->npages)
		return f->cur;
	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].page == page && !f->slots[i].readonly)
			return i;
	return f->cur;
}

/* The full help screen: what each field takes. */
static void
ui_form_help(struct ui_form *f)
{
	const struct schema_field	*sf;
	struct buf			 b = BUF_INIT, t = BUF_INIT;
	const char			*h;
	size_t				 i;

	buf_adds(&b, _(ui_form_help_text));
	for (i = 0; i < f->form->nfields; i++) {
		sf = &f->form->fields[i];
		buf_addf(&b, "\n  %s: ", ui_field_label(f->u, sf));
		if (ui_form_system_find(f->form->name, sf->name) != NULL)
			buf_adds(&b, _("set by the system"));
		else
			ui_field_describe(f->u, sf, &b);
		if (sf->required)
			buf_adds(&b, _(", required"));
		h = schema_label(sf->help, f->u->lang);
		if (h != NULL && *h != '\0')
			buf_addf(&b, ". %s", h);
	}
	buf_addf(&t, _("Help: %s form"), schema_label(f->form->label,
	    f->u->lang));
	ui_help(f->u, buf_cstr(&t), buf_cstr(&b));
	buf_free(&b);
	buf_free(&t);
}

/*
 * Code fields whose picker shows only the codes of the group another
 * field chose: a code of the list is the group's code, '-', and a word
 * (commodity_type.codes: DRUG-COC is cocaine, in DRUG).
 */
static const struct ui_form_narrow {
	const char	*entity;
	const char	*field;
	const char	*by;		/* the field holding the group */
} ui_form_narrows[] = {
	{ "seizure", "commodity_type", "commodity" },
};

/*
 * The list to pick from for field sf: the whole list, or, when the
 * group is chosen, a shallow copy of its codes of that group (in *own,
 * freed by the caller; NULL when the whole list is used).
 */
static const struct schema_codelist *
ui_form_pick_list(struct ui_form *f, const struct schema_field *sf,
    const struct schema_codelist *l, struct schema_codelist **own)
{
	const char	*group = NULL;
	size_t		 i, n, len;
	int		 k;

	*own = NULL;
	for (i = 0; i < sizeof ui_form_narrows / sizeof ui_form_narrows[0];
	    i++)
		if (strcmp(ui_form_narrows[i].entity, f->form->name) == 0 &&
		    strcmp(ui_form_narrows[i].field, sf->name) == 0 &&
		    (k = schema_field_index(f->form, ui_form_narrows[i].by)) >=
		    0 && ui_form_nvalues(f->rec, (size_t)k) > 0)
			group = ui_form_value(f->rec, (size_t)k, 0);
	if (group == NULL || *group == '\0')
		return l;
	len = strlen(group);
	*own = xcalloc(1, sizeof **own);
	(*own)->name = l->name;
	(*own)->codes = xcalloc(l->ncodes + 1, sizeof *(*own)->codes);
	for (i = n = 0; i < l->ncodes; i++)
		if (strncmp(l->codes[i].code, group, len) == 0 &&
		    l->codes[i].code[len] == '-')
			(*own)->codes[n++] = l->codes[i];
	(*own)->ncodes = n;
	if (n == 0) {		/* a group without types: all of them */
		free((*own)->codes);
		free(*own);
		*own = NULL;
		return l;
	}
	return *own;
}

/* ^P: pick a code from its list, or a record, into the current input. */
static void
ui_form_pick(struct ui_form *f)
{
	struct ui_form_slot		*s = &f->slots[f->cur];
	const struct schema_field	*sf = &f->form->fields[s->field];
	const struct schema_codelist	*l;
	struct schema_codelist		*own = NULL;
	struct buf			 typed = BUF_INIT, got = BUF_INIT;
	struct buf			 title = BUF_INIT;
	uint64_t			 id;
	int				 r = 0;

	form_driver(f->fm, REQ_VALIDATION);
	ui_form_typed(f, s, &typed);
	if (sf->type == SCHEMA_CODE &&
	    (l = schema_list_find(f->u->schema, sf->target)) != NULL) {
		l = ui_form_pick_list(f, sf, l, &own);
		r = ui_pick_code(f->u, l, buf_cstr(&typed), &got);
		if (own != NULL)
			free(own->codes);
		free(own);
	} else if (sf->type == SCHEMA_REF) {
		buf_addf(&title, _("Pick a record for %s"),
		    ui_field_label(f->u, sf));
		if ((r = ui_list_pick(f->u, sf->target, buf_cstr(&title),
		    &id)) == 1)
			buf_addf(&got, "%llu", (unsigned long long)id);
	} else {
		ui_status_error(f->u, _("^P picks in code and record fields "
		    "only; %s takes %s"), ui_field_label(f->u, sf),
		    sf->type == SCHEMA_TEXT ? _("text") :
		    schema_type_name(sf->type));
		goto out;
	}
	if (r == 1) {
		set_field_buffer(s->in, 0, buf_cstr(&got));
		if (ui_form_value_set(f->rec, s->field, s->value,
		    buf_cstr(&got)))
			ui_form_draft_put(f);
	}
	ui_form_rebuild(f, s->field, s->value);
	ui_form_field_help(f);
out:
	buf_free(&typed);
	buf_free(&got);
	buf_free(&title);
}

/* ^Y: one more value for a field that takes several. */
static void
ui_form_add(struct ui_form *f)
{
	struct ui_form_slot		*s = &f->slots[f->cur];
	const struct schema_field	*sf = &f->form->fields[s->field];
	size_t				 fi = s->field, n;

	if (!sf->repeated) {
		ui_status_error(f->u, _("%s takes one value; ^Y adds values "
		    "to fields that take several"), ui_field_label(f->u, sf));
		return;
	}
	if (ui_form_take(f, 1) != 0)
		return;
	n = ui_form_nvalues(f->rec, fi);
	if (n == 0 || *ui_form_value(f->rec, fi, n - 1) == '\0') {
		ui_status_error(f->u, _("Type the value of %s first, then ^Y "
		    "adds another"), ui_field_label(f->u, sf));
		return;
	}
	ui_form_value_set(f->rec, fi, n, "");
	ui_form_rebuild(f, fi, n);
	ui_form_field_help(f);
}

/* ^D: remove the current value (or empty a single-valued field). */
static void
ui_form_remove(struct ui_form *f)
{
	struct ui_form_slot	*s = &f->slots[f->cur];
	size_t			 fi = s->field, vi = s->value;

	if (!f->form->fields[fi].repeated) {
		set_field_buffer(s->in, 0, "");
		if (ui_form_value_set(f->rec, fi, 0, ""))
			ui_form_draft_put(f);
		ui_form_beside(f, s);
		return;
	}
	if (ui_form_value_set(f->rec, fi, vi, NULL))
		ui_form_draft_put(f);
	ui_form_rebuild(f, fi, vi > 0 ? vi - 1 : 0);
}

/* What a new record gets in the fields the system sets. */
static void
ui_form_system_init(struct ui_form *f, struct record *r)
{
	const struct ui_form_system	*sys;
	size_t				 i;

	for (i = 0; i < f->form->nfields; i++) {
		sys = ui_form_system_find(f->form->name,
		    f->form->fields[i].name);
		if (sys == NULL || ui_form_nvalues(r, i) != 0)
			continue;
		if (sys->init == UI_FORM_DRAFT)
			record_add_value(r, i, WORKFLOW_DRAFT);
		else if (sys->init == UI_FORM_USER)
			record_add_value(r, i, f->u->acct->name);
		else if (sys->init == UI_FORM_INV_NEW)
			record_add_value(r, i, WORKFLOW_INV_NEW);
	}
}

/*
 * The overrides of wrong check digits are the edit's (f->rec), for the
 * values it holds; a wrong digit without one (a resumed draft, a value
 * stored before its field had a check) puts the cursor there, so that
 * leaving the field asks for a reason.
 */
static void
ui_form_overrides(struct ui_form *f, struct record *r, size_t *bad,
    size_t *badv, struct buf *msg)
{
	const struct schema_field	*sf;
	struct buf			 q = BUF_INIT;
	size_t				 fi, vi;
	const char			*v;

	schema_check_take(r, f->rec);
	for (fi = 0; fi < f->form->nfields && *bad == (size_t)-1; fi++) {
		sf = &f->form->fields[fi];
		for (vi = 0; vi < ui_form_nvalues(r, fi); vi++) {
			v = ui_form_value(r, fi, vi);
			if (schema_check_override(r, sf->name, v) != NULL ||
			    !ui_field_digit(f->u, sf, v, &q, msg))
				continue;
			*bad = fi;
			*badv = vi;
			break;
		}
	}
	buf_free(&q);
}

/*
 * Check every value again (a resumed draft holds unchecked ones) and
 * build the record to store; 0, or -1 with the cursor on the first
 * field refused and the reason on the status line.
 */
static int
ui_form_final(struct ui_form *f, struct record **out)
{
	const struct schema_field	*sf;
	struct record			*r = record_copy(f->base);
	struct buf			 canon = BUF_INIT, msg = BUF_INIT;
	struct buf			 problems = BUF_INIT;
	size_t				 fi, vi, bad = (size_t)-1, badv = 0;
	enum schema_mode		 mode;
	char				*nl;
	int				 rc;

	*out = NULL;
	for (fi = 0; fi < f->form->nfields && bad == (size_t)-1; fi++) {
		sf = &f->form->fields[fi];
		if (ui_form_system_find(f->form->name, sf->name) != NULL)
			continue;
		record_clear_field(r, fi);
		for (vi = 0; vi < ui_form_nvalues(f->rec, fi); vi++) {
			if (ui_field_check(f->u, sf, ui_form_value(f->rec, fi,
			    vi), &canon, &msg) != 0) {
				bad = fi;
				badv = vi;
				break;
			}
			if (canon.len != 0)
				record_add_value(r, fi, canon.s);
		}
	}
	/* Cases are checked whole at submission; other records now. */
	mode = strcmp(f->form->name, "case") == 0 ? SCHEMA_DRAFT :
	    SCHEMA_SUBMIT;
	for (fi = 0; bad == (size_t)-1 && mode == SCHEMA_SUBMIT &&
	    fi < f->form->nfields; fi++)
		if (f->form->fields[fi].required &&
		    ui_form_nvalues(r, fi) == 0) {
			bad = fi;
			buf_addf(&msg, _("%s is required: type it before "
			    "saving"), ui_field_label(f->u,
			    &f->form->fields[fi]));
		}
	if (bad == (size_t)-1)
		ui_form_overrides(f, r, &bad, &badv, &msg);
	if (bad == (size_t)-1 && f->id == 0)
		ui_form_system_init(f, r);
	if (bad == (size_t)-1 && schema_validate(f->u->schema, r, mode,
	    ui_form_ref_exists, f, &problems) != NCEN_OK) {
		/* "field: reason": put the cursor on that field. */
		if ((nl = strchr(problems.s, ':')) != NULL) {
			*nl = '\0';
			if ((rc = schema_field_index(f->form, problems.s)) >= 0)
				bad = (size_t)rc;
			*nl = ':';
		}
		if ((nl = strchr(problems.s, '\n')) != NULL)
			*nl = '\0';
		buf_addf(&msg, _("Not saved: %s"), problems.s);
		if (bad == (size_t)-1)
			bad = f->slots[f->cur].field;
	}
	if (bad != (size_t)-1) {
		ui_form_focus(f, ui_form_slot_find(f, bad, badv));
		ui_status_error(f->u, "%s", buf_cstr(&msg));
		record_free(r);
		r = NULL;
	}
	buf_free(&canon);
	buf_free(&msg);
	buf_free(&problems);
	*out = r;
	return r == NULL ? -1 : 0;
}

struct ui_form_write {
	struct record	*rec;
	const char	*user;
	int		 isnew;
	const struct schema *schema;
	uint64_t	 made;		/* a statistical return's case */
};

/* Store the record: one short transaction, version-checked on update. */
static int
ui_form_store_fn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct ui_form_write	*w = arg;
	struct record		*made[2];
	int			 error;

	/* A statistical return is stored as a case and its seizure line. */
	if (statcase_is(w->rec->form)) {
		if ((error = statcase_store(t, w->schema, w->rec, w->user,
		    made, err)) != NCEN_OK)
			return error;
		w->made = made[0]->id;
		record_free(made[0]);
		record_free(made[1]);
		return NCEN_OK;
	}
	/* A case gets its number as soon as its office and date are in. */
	if (strcmp(w->rec->form->name, "case") == 0 &&
	    (error = workflow_number(t, w->rec, err)) != NCEN_OK)
		return error;
	/* An investigation: opened, numbered, its first step kept. */
	if (strcmp(w->rec->form->name, WORKFLOW_INV_ENTITY) == 0) {
		if ((error = workflow_inv_prepare(t, w->rec, err)) != NCEN_OK)
			return error;
		if (w->isnew &&
		    ((error = store_put(t, w->rec, w->user, err)) != NCEN_OK ||
		    (error = workflow_inv_opened(t, w->schema, w->rec, w->user,
		    NULL, err)) != NCEN_OK))
			return error;
		if (w->isnew)
			return NCEN_OK;
	}
	if (w->isnew)
		return store_put(t, w->rec, w->user, err);
	return store_update(t, w->rec, w->user, err);
}

/*
 * Another officer saved the record since the form opened: say who and
 * when, and offer to put this officer's changes (the fields they
 * changed from the version they began with) on the new version, to be
 * checked and saved again.  Nothing is stored here.
 */
static void
ui_form_conflict(struct ui_form *f, const struct ncen_err *e)
{
	struct record	*cur = NULL, *m;
	struct ncen_err	 e2 = NCEN_ERR_INIT;
	struct buf	 when = BUF_INIT, msg = BUF_INIT, q = BUF_INIT;
	const char	*who;
	size_t		 fi, vi;

	if (store_get(f->u->st, f->form->name, f->id, &cur, &e2) != NCEN_OK) {
		ui_status_error(f->u, _("Not saved: %s"), ncen_err_msg(e));
		ncen_err_free(&e2);
		return;
	}
	ui_form_when(cur->mtime, &when);
	who = cur->muser != NULL ? cur->muser : "?";
	buf_addf(&msg, _("Not saved: %s changed it at %s (version %u); your "
	    "typing is kept"), who, buf_cstr(&when) + (when.len > 11 ? 11 : 0),
	    cur->version);
	/* Only an edit that knows the version it began from can merge. */
	if (!f->fresh) {
		ui_status_error(f->u, "%s", buf_cstr(&msg));
		goto out;
	}
	attron(A_BOLD);
	move(LINES - 3, 0);
	clrtoeol();
	ui_text_put(LINES - 3, 0, buf_cstr(&msg), COLS - 1, 0);
	attroff(A_BOLD);
	buf_addf(&q, _("Put your changes on version %u? (y/n)"), cur->version);
	if (!ui_confirm(f->u, buf_cstr(&q))) {
		ui_form_rebuild(f, f->slots[f->cur].field,
		    f->slots[f->cur].value);
		ui_status_error(f->u, "%s", buf_cstr(&msg));
		goto out;
	}
	m = record_copy(cur);
	for (fi = 0; fi < f->form->nfields; fi++) {
		if (ui_form_same(f->rec, f->base, fi))
			continue;
		record_clear_field(m, fi);
		for (vi = 0; vi < ui_form_nvalues(f->rec, fi); vi++)
			record_add_value(m, fi, ui_form_value(f->rec, fi, vi));
	}
	record_free(f->rec);
	record_free(f->base);
	f->rec = m;
	f->base = cur;
	f->version = cur->version;
	cur = NULL;
	ui_form_draft_put(f);
	ui_form_rebuild(f, f->slots[f->cur].field, f->slots[f->cur].value);
	ui_status(f->u, _("Your changes are on version %u now: check them, "
	    "then ^W saves."), f->version);
out:
	record_free(cur);
	buf_free(&when);
	buf_free(&msg);
	buf_free(&q);
}

/* ^W: check, store, forget the draft; 1 when stored. */
static int
ui_form_save(struct ui_form *f, uint64_t *saved)
{
	struct ui_form_write	 w;
	struct record		*r;
	struct ncen_err		 e = NCEN_ERR_INIT;
	enum auth_action	 a = f->id == 0 ? AUTH_CREATE : AUTH_EDIT;
	int			 rc;

	if (ui_form_take(f, 1) != 0 || ui_form_final(f, &r) != 0)
		return 0;
	if (!ui_may(f->u, a, f->id == 0 ? r : f->base)) {
		ui_status_error(f->u, a == AUTH_CREATE ? _("Your roles may not "
		    "create this record; nothing was saved") : _("Your roles "
		    "may not change this record; nothing was saved"));
		record_free(r);
		return 0;
	}
	/* A new record that one stored probably is: ask first. */
	if (f->id == 0 && !ui_dup_ask(f->u, r)) {
		record_free(r);
		ui_form_rebuild(f, f->slots[f->cur].field,
		    f->slots[f->cur].value);
		return 0;
	}
	r->id = f->id;
	r->version = f->version;
	memset(&w, 0, sizeof w);
	w.rec = r;
	w.user = f->u->acct->name;
	w.isnew = f->id == 0;
	w.schema = f->u->schema;
	if ((rc = store_run(f->u->st, ui_form_store_fn, &w, &e)) != NCEN_OK) {
		if (f->undrafted || !f->drafted)
			ui_form_draft_put(f);
		if (rc == NCEN_ECONFLICT)
			ui_form_conflict(f, &e);
		else if (rc == NCEN_ERECOVER)
			ui_error(f->u, &e);	/* ends the session */
		else
			ui_status_error(f->u, _("Not saved: %s"),
			    ncen_err_msg(&e));
		ncen_err_free(&e);
		record_free(r);
		return 0;
	}
	if (f->drafted || f->undrafted)
		ui_form_draft_del(f);
	if (w.made != 0) {
		*saved = w.made;
		ui_status(f->u, _("Saved as case %llu, a draft with one seizure "
		    "line."), (unsigned long long)w.made);
		record_free(r);
		ncen_err_free(&e);
		return 1;
	}
	/* A new record's draft lives under id 0, an edit's under its id. */
	*saved = r->id;
	ui_status(f->u, _("%s %llu saved (version %u)."),
	    schema_label(f->form->label, f->u->lang),
	    (unsigned long long)r->id, r->version);
	record_free(r);
	ncen_err_free(&e);
	return 1;
}

/* A hang-up or a stalled store: keep what was typed, wherever it can go. */
static void
ui_form_hangup(void *arg)
{
	struct ui_form		*f = arg;
	struct store_draft	 d;
	struct ncen_err		 e = NCEN_ERR_INIT;

	/* The watchdog's thread (a stalled store) leaves curses alone. */
	if (f->fm != NULL && pthread_equal(pthread_self(), f->thread))
		(void)ui_form_take(f, 0);
	if (!ui_form_changed(f) && !f->drafted)
		return;
	ui_form_draft_fill(f, &d);
	if (f->u->stalled)
		(void)store_draft_spool(store_home(f->u->st), &d, &e);
	else
		(void)store_draft_put(f->u->st, &d, &e);
	ncen_err_free(&e);
}

/* Back: keep the typing as a draft, or forget it, as the officer says. */
static void
ui_form_back(struct ui_form *f)
{
	(void)ui_form_take(f, 0);
	if (!ui_form_changed(f)) {
		if (f->drafted)
			ui_form_draft_del(f);
		return;
	}
	if (ui_confirm(f->u, _("Keep what you typed as a draft to finish "
	    "later? (y/n)"))) {
		if (f->undrafted || !f->drafted)
			ui_form_draft_put(f);
		ui_status(f->u, _("Your typing is kept as a draft."));
	} else {
		ui_form_draft_del(f);
		ui_status(f->u, _("Your typing was not kept."));
	}
}

/* Characters in the current input, up to its last non-blank. */
static int
ui_form_count(struct ui_form *f)
{
	const char	*t;
	size_t		 len, i;
	int		 n = 0;

	form_driver(f->fm, REQ_VALIDATION);	/* the buffer from the window */
	if ((t = field_buffer(f->slots[f->cur].in, 0)) == NULL)
		return 0;
	len = strlen(t);
	while (len > 0 && t[len - 1] == ' ')
		len--;
	for (i = 0; i < len; i++)
		if (((unsigned char)t[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* An ordinary key: edit the current input, or move. */
static void
ui_form_key(struct ui_form *f, const struct ui_keypress *k)
{
	const struct schema_field	*sf;
	int				 r;

	sf = &f->form->fields[f->slots[f->cur].field];
	if (k->fkey) {
		switch (k->key) {
		case KEY_DOWN:
			ui_form_go(f, ui_form_next(f, 1));
			return;
		case KEY_UP:
		case KEY_BTAB:
			ui_form_go(f, ui_form_next(f, -1));
			return;
		case KEY_NPAGE:
			ui_form_go(f, ui_form_page(f, 1));
			return;
		case KEY_PPAGE:
			ui_form_go(f, ui_form_page(f, -1));
			return;
		case KEY_ENTER:
			ui_form_go(f, ui_form_next(f, 1));
			return;
		case KEY_LEFT:
			form_driver(f->fm, REQ_LEFT_CHAR);
			return;
		case KEY_RIGHT:
			form_driver(f->fm, REQ_RIGHT_CHAR);
			return;
		case KEY_HOME:
			form_driver(f->fm, REQ_BEG_FIELD);
			return;
		case KEY_END:
			form_driver(f->fm, REQ_END_FIELD);
			return;
		case KEY_BACKSPACE:
			form_driver(f->fm, REQ_DEL_PREV);
			f->over = 0;
			return;
		case KEY_DC:
			form_driver(f->fm, REQ_DEL_CHAR);
			f->over = 0;
			return;
		case UI_KEY_BADBYTES:
			if (!f->bad)
				ui_status_error(f->u, _("%s: bytes that are not "
				    "UTF-8 text were refused"),
				    ui_field_label(f->u, sf));
			f->bad = 1;
			return;
		default:
			beep();
			return;
		}
	}
	switch (k->key) {
	case '\t':
	case '\r':
	case '\n':
		ui_form_go(f, ui_form_next(f, 1));
		return;
	case 0x16:	/* ^V */
		ui_form_go(f, ui_form_page(f, 1));
		return;
	case 0x02:	/* ^B */
		ui_form_go(f, ui_form_page(f, -1));
		return;
	case 0x15:	/* ^U */
		form_driver(f->fm, REQ_CLR_FIELD);
		f->over = 0;
		return;
	}
	if (k->key < 0x20 || k->key == 0x7f) {
		beep();
		return;
	}
	if (ui_form_count(f) < ui_field_max(sf))
		r = form_driver_w(f->fm, OK, (wchar_t)k->key);
	else
		r = E_REQUEST_DENIED;
	if (r == E_REQUEST_DENIED || r == E_UNKNOWN_COMMAND) {
		if (!f->over)
			ui_status_error(f->u, _("%s takes at most %d "
			    "characters; the rest was refused"),
			    ui_field_label(f->u, sf), ui_field_max(sf));
		f->over = 1;
	} else
		f->bad = 0;
}

/* Clear the hang-up hook and free everything of the form. */
static void
ui_form_free(struct ui_form *f)
{
	ui_form_unbuild(f);
	record_free(f->rec);
	record_free(f->base);
}

/*
 * The form's key loop, from a record (edit) or a new one, and from a
 * draft when d is given; 1 and *saved when stored.
 */
static int
ui_form_run(struct ui *u, const struct schema_form *form, uint64_t id,
    const struct store_draft *d, uint64_t *saved)
{
	struct ui_form		 f;
	struct ui_keypress	 k;
	struct ncen_err		 e = NCEN_ERR_INIT;
	ui_hangup_fn		 prev_fn = u->on_hangup;
	void			*prev_arg = u->hangup_arg;
	size_t			 start = 0;
	int			 done = -1, stale;

	memset(&f, 0, sizeof f);
	f.u = u;
	f.form = form;
	f.id = id;
	f.started = d != NULL ? d->started : (int64_t)time(NULL);
	if (id != 0) {
		if (store_get(u->st, form->name, id, &f.base, &e) != NCEN_OK) {
			ui_error(u, &e);
			ncen_err_free(&e);
			return 0;
		}
		f.version = d != NULL ? d->version : f.base->version;
		if (!ui_may(u, AUTH_EDIT, f.base) || !ui_sees(u, f.base)) {
			ui_status_error(u, _("Your roles may not change this "
			    "record."));
			record_free(f.base);
			return 0;
		}
	} else {
		f.base = record_new(form);
		ui_form_system_init(&f, f.base);
		if (!ui_may(u, AUTH_CREATE, f.base)) {
			ui_status_error(u, _("Your roles may not create "
			    "this record."));
			record_free(f.base);
			return 0;
		}
	}
	f.rec = record_copy(d != NULL ? d->rec : f.base);
	f.rec->id = id;
	f.drafted = d != NULL;
	f.fresh = d == NULL || d->version == f.base->version;
	stale = !f.fresh;
	if (!f.fresh && d->base != NULL) {
		/* The version the draft began from: changes can be merged. */
		record_free(f.base);
		f.base = record_copy(d->base);
		f.fresh = 1;
	}
	f.thread = pthread_self();
	if (d != NULL && d->field < form->nfields)
		start = d->field;
	ui_set_hangup(u, ui_form_hangup, &f);
	curs_set(1);
	ui_form_build(&f, start, 0);
	if (d != NULL)
		ui_status(u, _("Resumed your draft: check it, then ^W saves."));
	if (stale && f.fresh)
		ui_status_error(u, "%s", _("Changed since your draft began: ^W "
		    "offers to put your changes on it"));
	else if (stale)
		ui_status_error(u, _("Changed since your draft began (now "
		    "version %u): saving will be refused"), f.base->version);
	while (done < 0) {
		if (f.fm != NULL)
			pos_form_cursor(f.fm);
		ui_key(u, &k);
		if (f.nslots == 0 && k.op != UI_OP_BACK)
			continue;
		switch (k.op) {
		case UI_OP_NONE:
			ui_form_key(&f, &k);
			break;
		case UI_OP_SAVE:
			if (ui_form_save(&f, saved))
				done = 1;
			break;
		case UI_OP_BACK:
			ui_form_back(&f);
			done = 0;
			break;
		case UI_OP_HELP:
			ui_form_help(&f);
			ui_form_rebuild(&f, f.slots[f.cur].field,
			    f.slots[f.cur].value);
			break;
		case UI_OP_PICK:
			ui_form_pick(&f);
			break;
		case UI_OP_ADD:
			ui_form_add(&f);
			break;
		case UI_OP_DELETE:
			ui_form_remove(&f);
			break;
		case UI_OP_REDRAW:
			clearok(curscr, TRUE);
			/* FALLTHROUGH */
		case UI_OP_RESIZE:
			form_driver(f.fm, REQ_VALIDATION);
			(void)ui_form_take(&f, 0);
			ui_form_rebuild(&f, f.slots[f.cur].field,
			    f.slots[f.cur].value);
			break;
		default:
			ui_status_error(u, _("%s does nothing in a form."),
			    ui_key_label(k.op));
			break;
		}
	}
	ui_set_hangup(u, prev_fn, prev_arg);
	curs_set(0);
	ui_form_free(&f);
	erase();
	return done;
}

/* The form of an entity, or NULL (said on the status line). */
static const struct schema_form *
ui_form_find(struct ui *u, const char *entity)
{
	const struct schema_form	*form = schema_form_find(u->schema,
					    entity);

	if (form == NULL)
		ui_status_error(u, _("This data directory has no %s form."),
		    entity);
	return form;
}

/*
 * Create (id 0) or edit a record.  A draft the officer left of the same
 * record is offered first: resumed, or discarded.
 */
int
ui_form_edit(struct ui *u, const char *entity, uint64_t id, uint64_t *saved)
{
	const struct schema_form	*form;
	struct store_draft		*d = NULL;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 q = BUF_INIT;
	int				 r;

	if ((form = ui_form_find(u, entity)) == NULL)
		return 0;
	if (store_draft_get(u->st, u->acct->name, entity, id, &d, &e) ==
	    NCEN_OK) {
		buf_adds(&q, _("You have a draft of this from "));
		ui_form_when(d->saved, &q);
		buf_adds(&q, _("; resume it? (y/n)"));
		if (!ui_confirm(u, buf_cstr(&q))) {
			store_draft_free(d);
			d = NULL;
			if (store_draft_del(u->st, u->acct->name, entity, id,
			    &e) != NCEN_OK)
				ui_error(u, &e);
		}
	}
	r = ui_form_run(u, form, id, d, saved);
	store_draft_free(d);
	buf_free(&q);
	ncen_err_free(&e);
	return r;
}

struct ui_form_drafts {
	struct store_draft	**v;
	size_t			  n, cap;
};

/* Collect a draft (store_draft_list's callback). */
static int
ui_form_drafts_add(const struct store_draft *d, void *arg)
{
	struct ui_form_drafts	*all = arg;
	struct store_draft	*c;

	if (all->n == all->cap) {
		all->cap = all->cap == 0 ? 8 : all->cap * 2;
		all->v = xreallocarray(all->v, all->cap, sizeof *all->v);
	}
	c = xcalloc(1, sizeof *c);
	*c = *d;
	c->user = xstrdup(d->user);
	c->entity = xstrdup(d->entity);
	c->rec = record_copy(d->rec);
	c->base = d->base != NULL ? record_copy(d->base) : NULL;
	all->v[all->n++] = c;
	return 0;
}

/* Forget the collected drafts. */
static void
ui_form_drafts_clear(struct ui_form_drafts *all)
{
	size_t	i;

	for (i = 0; i < all->n; i++)
		store_draft_free(all->v[i]);
	all->n = 0;
}

/* One line naming a draft: "Case, new, started 2026-11-27 10:14". */
static void
ui_form_drafts_line(struct ui *u, const struct store_draft *d, struct buf *b)
{
	const struct schema_form	*form = schema_form_find(u->schema,
					    d->entity);

	buf_adds(b, form != NULL ? schema_label(form->label, u->lang) :
	    d->entity);
	if (d->id == 0)
		buf_adds(b, _(", new"));
	else
		buf_addf(b, " %llu", (unsigned long long)d->id);
	buf_adds(b, _(", started "));
	ui_form_when(d->started, b);
	buf_adds(b, _(", last typed "));
	ui_form_when(d->saved, b);
}

/* Draw the list of drafts with the current one in reverse. */
static void
ui_form_drafts_draw(struct ui *u, const struct ui_form_drafts *all,
    size_t cur)
{
	static const enum ui_op	 ops[] = { UI_OP_DELETE, UI_OP_HELP,
				    UI_OP_BACK };
	struct buf		 b = BUF_INIT;
	size_t			 i;
	int			 y;

	erase();
	ui_title(u, "%s", _("Unsaved drafts"));
	ui_keys(u, ops, sizeof ops / sizeof ops[0]);
	ui_text_put(2, 2, _("Left unsaved: Enter resumes one, ^D discards "
	    "it, ^X keeps them for later."), COLS - 4, 0);
	for (i = 0, y = 4; i < all->n && y < LINES - 2; i++, y++) {
		buf_reset(&b);
		ui_form_drafts_line(u, all->v[i], &b);
		ui_sel(u, y, i == cur);
		ui_text_put(y, 2, buf_cstr(&b), COLS - 4, i == cur);
		ui_sel_end(u, i == cur);
	}
	if (u->status != NULL) {
		if (u->status_err)
			ui_status_error(u, "%s", u->status);
		else
			ui_status(u, "%s", u->status);
	}
	buf_free(&b);
}

/* Read the user's drafts (a spooled one first goes into drafts.db). */
static int
ui_form_drafts_load(struct ui *u, struct ui_form_drafts *all)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	int		found;

	ui_form_drafts_clear(all);
	if (store_draft_unspool(u->st, u->acct->name, &found, &e) != NCEN_OK)
		ui_error(u, &e);
	if (store_draft_list(u->st, u->acct->name, ui_form_drafts_add, all,
	    &e) != NCEN_OK) {
		ui_error(u, &e);
		ncen_err_free(&e);
		return -1;
	}
	ncen_err_free(&e);
	return 0;
}

/* After sign-in: offer the user's drafts to resume or discard. */
void
ui_form_drafts(struct ui *u)
{
	static const char	 help[] = N_("These are records you began "
				    "and did not save (the line dropped, or "
				    "you went back and kept a draft).  Enter "
				    "opens the form with what you typed; ^W "
				    "there saves it.  ^D discards a draft for "
				    "good; ^X leaves them all for later: they "
				    "are offered again at the next sign-in.");
	struct ui_form_drafts	 all;
	struct ui_keypress	 k;
	const struct schema_form *form;
	struct ncen_err		 e = NCEN_ERR_INIT;
	size_t			 cur = 0;
	uint64_t		 saved;

	memset(&all, 0, sizeof all);
	if (ui_form_drafts_load(u, &all) != 0 || all.n == 0)
		goto out;
	for (;;) {
		if (all.n == 0)
			break;
		if (cur >= all.n)
			cur = all.n - 1;
		ui_form_drafts_draw(u, &all, cur);
		ui_key(u, &k);
		if (k.op == UI_OP_BACK)
			break;
		if (k.op == UI_OP_HELP) {
			ui_help(u, _("Help: unsaved drafts"), _(help));
			continue;
		}
		if (k.op == UI_OP_DELETE) {
			if (ui_confirm(u, _("Discard this draft for good? "
			    "(y/n)"))) {
				if (store_draft_del(u->st, u->acct->name,
				    all.v[cur]->entity, all.v[cur]->id, &e) !=
				    NCEN_OK)
					ui_error(u, &e);
				else
					ui_status(u, "%s",
					    _("The draft was discarded."));
				if (ui_form_drafts_load(u, &all) != 0)
					break;
			}
			continue;
		}
		if (k.op != UI_OP_NONE && k.op != UI_OP_RESIZE &&
		    k.op != UI_OP_REDRAW) {
			beep();
			continue;
		}
		if (k.fkey && k.key == KEY_DOWN && cur + 1 < all.n)
			cur++;
		else if (k.fkey && k.key == KEY_UP && cur > 0)
			cur--;
		else if (k.key == '\r' || (k.fkey && k.key == KEY_ENTER)) {
			if ((form = ui_form_find(u, all.v[cur]->entity)) !=
			    NULL)
				(void)ui_form_run(u, form, all.v[cur]->id,
				    all.v[cur], &saved);
			if (ui_form_drafts_load(u, &all) != 0)
				break;
		}
	}
out:
	ui_form_drafts_clear(&all);
	free(all.v);
	ncen_err_free(&e);
	erase();
}

/*
 * The main menu's short statistical form: a new return, which saving
 * stores as a case and its seizure line; that case is then shown.
 */
void
ui_statcase(struct ui *u)
{
	uint64_t	saved = 0;

	if (ui_form_edit(u, STATCASE_FORM, 0, &saved) && saved != 0)
		ui_case(u, saved);
}
