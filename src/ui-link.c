/*
 * ui-link.c - link a record to a person, business or conveyance without
 * leaving it: choose what to link, pick an existing record or create a
 * new one on the spot, choose its role, and store the link.
 *
 * Nothing is held while the officer chooses: the link is written in one
 * short store_run() transaction that first checks that the record linked
 * from is still at the version the screen read (ui_link_check), so a
 * link is never added to a record someone else changed meanwhile.  The
 * store's audit hook records the link.  Also here: the small chooser
 * the case screen shares for its workflow actions.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "xmalloc.h"

/* The code list of the roles a linked record plays. */
#define UI_LINK_ROLES	"role"

/* What may be linked from a case, in the order the chooser offers it. */
static const char *const ui_link_entities[] = {
	"person", "business", "conveyance",
};
#define UI_LINK_NENT (sizeof ui_link_entities / sizeof ui_link_entities[0])

/* One link to write, for the transaction. */
struct ui_link_txn {
	struct store_ref	 from;
	uint32_t		 version;
	struct store_ref	 to;
	const char		*role;
	enum schema_lang	 lang;
};

/* Draw the chooser: a box with a title and one numbered row per item. */
static void
ui_link_choose_draw(const char *title, const char *const *items, size_t n,
    size_t cur, int top, int left, int width)
{
	struct buf	b = BUF_INIT;
	size_t		i;
	int		y;

	for (y = top; y < top + (int)n + 4; y++)
		mvhline(y, left, ' ', width);
	mvhline(top, left + 1, ACS_HLINE, width - 2);
	mvhline(top + (int)n + 3, left + 1, ACS_HLINE, width - 2);
	mvvline(top + 1, left, ACS_VLINE, (int)n + 2);
	mvvline(top + 1, left + width - 1, ACS_VLINE, (int)n + 2);
	mvaddch(top, left, ACS_ULCORNER);
	mvaddch(top, left + width - 1, ACS_URCORNER);
	mvaddch(top + (int)n + 3, left, ACS_LLCORNER);
	mvaddch(top + (int)n + 3, left + width - 1, ACS_LRCORNER);
	attron(A_BOLD);
	ui_text_put(top + 1, left + 2, title, width - 4, 0);
	attroff(A_BOLD);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		buf_addf(&b, "%c %zu  %s", i == cur ? '>' : ' ', i + 1,
		    items[i]);
		if (i == cur)
			attron(A_REVERSE);
		ui_text_put(top + 3 + (int)i, left + 2, buf_cstr(&b),
		    width - 4, 1);
		if (i == cur)
			attroff(A_REVERSE);
	}
	move(top + 3 + (int)cur, left + 2);
	buf_free(&b);
}

/*
 * Ask the officer to choose one of n items (Up, Down and Enter, or the
 * item's number); the index chosen, or -1 on Back.  What the box
 * covered is put back on the way out (not refreshed), so that another
 * chooser opened next, or the caller's screen drawn again, costs only
 * the cells that change.
 */
int
ui_link_choose(struct ui *u, const char *title, const char *const *items,
    size_t n)
{
	struct ui_keypress	k;
	WINDOW			*under;
	size_t			i, cur = 0;
	int			w, width, top = 3, left = 6, chosen = -2, avail;

	if (n == 0)
		return -1;
	width = ui_text_width(title);
	for (i = 0; i < n; i++)
		if ((w = ui_text_width(items[i]) + 5) > width)
			width = w;
	width += 4;
	if (width > COLS - left - 2)
		width = COLS - left - 2;
	/* As many rows as fit, one at least: never more than there are. */
	avail = ui_body_rows() - top - 4;
	if ((int)n > avail)
		n = avail > 1 ? (size_t)avail : 1;
	under = dupwin(stdscr);
	while (chosen == -2) {
		ui_link_choose_draw(title, items, n, cur, top, left, width);
		ui_key(u, &k);
		if (k.op == UI_OP_BACK)
			chosen = -1;
		else if (k.op == UI_OP_HELP)
			ui_status(u, "%s", _("Choose with Up and Down and "
			    "press Enter, or type the number; ^X goes back."));
		else if (k.op == UI_OP_RESIZE || k.op == UI_OP_REDRAW)
			clearok(curscr, TRUE);
		else if (k.op != UI_OP_NONE)
			beep();
		else if (k.fkey && k.key == KEY_UP)
			cur = cur > 0 ? cur - 1 : n - 1;
		else if ((k.fkey && k.key == KEY_DOWN) ||
		    (!k.fkey && k.key == '\t'))
			cur = cur + 1 < n ? cur + 1 : 0;
		else if ((!k.fkey && (k.key == '\r' || k.key == '\n')) ||
		    (k.fkey && k.key == KEY_ENTER))
			chosen = (int)cur;
		else if (!k.fkey && k.key >= '1' && k.key <= '9' &&
		    (size_t)(k.key - '0') <= n)
			chosen = (int)(k.key - '1');
		else
			beep();
	}
	if (under != NULL) {
		(void)copywin(under, stdscr, top, left, top, left,
		    top + (int)n + 3, left + width - 1, FALSE);
		delwin(under);
	} else
		for (w = top; w < top + (int)n + 4; w++)
			mvhline(w, left, ' ', width);
	return chosen;
}

/*
 * Inside a transaction: refuse with a conflict message naming who
 * changed the record and when (short enough for the status line) when
 * it is no longer at the version the screen read (0: any).
 */
int
ui_link_check(struct store_txn *t, struct store_ref ref, uint32_t version,
    enum schema_lang lang, struct ncen_err *e)
{
	struct record	*r = NULL;
	struct buf	 when = BUF_INIT;
	int		 error;

	if ((error = store_txn_get(t, ref.entity, ref.id, &r, e)) != NCEN_OK)
		return error;
	if (version != 0 && r->version != version) {
		audit_format_time(&when, r->mtime);
		error = ncen_err_set(e, NCEN_ECONFLICT, _("%s %llu was "
		    "changed by %s at %s; it is shown again."),
		    schema_label(r->form->label, lang),
		    (unsigned long long)ref.id,
		    r->muser != NULL ? r->muser : "?", buf_cstr(&when));
	}
	record_free(r);
	buf_free(&when);
	return error;
}

/* The transaction: the version check, then the link both ways. */
static int
ui_link_write(struct store_txn *t, void *arg, struct ncen_err *e)
{
	struct ui_link_txn	*l = arg;
	int			 error;

	if ((error = ui_link_check(t, l->from, l->version, l->lang, e)) !=
	    NCEN_OK)
		return error;
	return store_link_add(t, l->from, l->to, l->role, e);
}

/* Choose which kind of record to link; its form, or NULL on Back. */
static const struct schema_form *
ui_link_entity(struct ui *u)
{
	const struct schema_form	*forms[UI_LINK_NENT], *f;
	const char			*names[UI_LINK_NENT];
	size_t				 i, n = 0;
	int				 c;

	for (i = 0; i < UI_LINK_NENT; i++) {
		if ((f = schema_form_find(u->schema, ui_link_entities[i])) ==
		    NULL)
			continue;
		forms[n] = f;
		names[n++] = schema_label(f->label, u->lang);
	}
	if (n == 0) {
		ui_status_error(u, "%s", _("These forms have nothing that "
		    "can be linked here."));
		return NULL;
	}
	c = ui_link_choose(u, _("Link what?"), names, n);
	return c < 0 ? NULL : forms[c];
}

/*
 * Pick an existing record or create a new one; 1 with its id, 0 when
 * the officer went back.  *created says which.
 */
static int
ui_link_record(struct ui *u, const struct schema_form *f, uint64_t *id,
    int *created)
{
	const char	*how[2];
	struct buf	 title = BUF_INIT;
	size_t		 n = 0;
	int		 c, r;

	how[n++] = _("Link an existing one");
	if (ui_may(u, AUTH_CREATE, NULL))
		how[n++] = _("Create a new one and link it");
	c = ui_link_choose(u, schema_label(f->label, u->lang), how, n);
	*created = c == 1;
	if (c < 0)
		return 0;
	if (c == 0) {
		buf_addf(&title, _("Choose the %s to link"),
		    schema_label(f->label, u->lang));
		r = ui_list_pick(u, f->name, buf_cstr(&title), id);
		buf_free(&title);
		return r;
	}
	return ui_form_edit(u, f->name, 0, id);
}

/*
 * Pick the role of a record of kind f: the roles that apply to that
 * kind (role.codes: "for person* business"), the highlight on the
 * likely one.  1 with the code in role, 0 on Back.
 */
static int
ui_link_role(struct ui *u, const struct schema_codelist *roles,
    const struct schema_form *f, struct buf *role)
{
	struct schema_codelist	 own;
	const char		*likely = NULL;
	size_t			 i;
	int			 a, r;

	memset(&own, 0, sizeof own);
	own.name = roles->name;
	own.codes = xcalloc(roles->ncodes + 1, sizeof *own.codes);
	for (i = 0; i < roles->ncodes; i++) {
		if ((a = schema_code_applies(&roles->codes[i], f->name)) == 0)
			continue;
		if (a == 2 && likely == NULL)
			likely = roles->codes[i].code;
		own.codes[own.ncodes++] = roles->codes[i];
	}
	r = ui_pick_code_at(u, own.ncodes > 0 ? &own : roles, NULL, likely,
	    role);
	free(own.codes);
	return r;
}

/*
 * Link a record (read at version) to a person, business or conveyance:
 * chosen, or created here, with a role.  1 when linked, 0 otherwise;
 * what happened is on the status line either way.
 */
int
ui_link(struct ui *u, struct store_ref from, uint32_t version)
{
	const struct schema_form	*f;
	const struct schema_codelist	*roles;
	struct ui_link_txn		 l;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 role = BUF_INIT;
	const char			*label;
	uint64_t			 id = 0;
	int				 created = 0, linked = 0;

	if ((roles = schema_list_find(u->schema, UI_LINK_ROLES)) == NULL) {
		ui_status_error(u, _("These forms have no code list '%s' "
		    "for the roles of linked records."), UI_LINK_ROLES);
		return 0;
	}
	if ((f = ui_link_entity(u)) == NULL ||
	    !ui_link_record(u, f, &id, &created) || id == 0)
		return 0;
	label = schema_label(f->label, u->lang);
	if (!ui_link_role(u, roles, f, &role) || role.len == 0) {
		if (created)
			ui_status(u, _("%s %llu was stored but not linked; "
			    "^K links it."), label, (unsigned long long)id);
		else
			ui_status(u, "%s", _("Nothing was linked."));
		buf_free(&role);
		return 0;
	}
	memset(&l, 0, sizeof l);
	l.from = from;
	l.version = version;
	l.to.entity = f->name;
	l.to.id = id;
	l.role = role.s;
	l.lang = u->lang;
	if (store_run(u->st, ui_link_write, &l, &e) != NCEN_OK) {
		if (e.code == NCEN_EEXISTS)
			ui_status_error(u, _("%s %llu is linked already."),
			    label, (unsigned long long)id);
		else
			ui_error(u, &e);
	} else {
		ui_status(u, _("%s %llu linked as %s."), label,
		    (unsigned long long)id, role.s);
		linked = 1;
	}
	ncen_err_free(&e);
	buf_free(&role);
	return linked;
}
