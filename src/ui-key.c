/*
 * ui-key.c - the key table: one row per operation.
 *
 * Every operation has a function key for terminals that have them, a
 * control key and an ESC-digit pair for those that do not (a vt100 or a
 * serial console), so no action needs an F-key.  Adding an operation is
 * adding a row.  ui_common_key() does what the shared keys (back, help,
 * redraw, resize) do on every screen.
 */
#include <curses.h>
#include <stddef.h>

#include "buf.h"
#include "i18n.h"
#include "ui.h"

#define CTRL(c)	((c) & 0x1f)

static const struct ui_key_row {
	enum ui_op	 op;
	int		 fn;		/* F-key number, 0 none */
	int		 ctrl;		/* control character, 0 none */
	int		 esc;		/* character after ESC, 0 none */
	const char	*label;		/* short, for the key line */
	const char	*what;		/* for the help screen */
} ui_key_table[] = {
	{ UI_OP_HELP, 1, CTRL('G'), '1', N_("Help"),
	  N_("help for this screen") },
	{ UI_OP_SAVE, 2, CTRL('W'), '2', N_("Save"),
	  N_("save the form") },
	{ UI_OP_ACTION, 3, CTRL('A'), '3', N_("Actions"),
	  N_("workflow actions: submit, validate, close, reopen") },
	{ UI_OP_PICK, 4, CTRL('P'), '4', N_("Pick"),
	  N_("choose a code from its list, or a record") },
	{ UI_OP_LINK, 5, CTRL('K'), '5', N_("Link"),
	  N_("link an existing record, or create and link a new one") },
	{ UI_OP_NEW, 6, CTRL('N'), '6', N_("New"),
	  N_("create a new record") },
	{ UI_OP_FILTER, 7, CTRL('F'), '7', N_("Filter"),
	  N_("show only the rows that match what you type") },
	{ UI_OP_SORT, 8, CTRL('T'), '8', N_("Sort"),
	  N_("sort by the next indexed field") },
	{ UI_OP_EDIT, 9, CTRL('E'), '9', N_("Edit"),
	  N_("edit the record shown") },
	{ UI_OP_BACK, 10, CTRL('X'), '0', N_("Back"),
	  N_("go back (also ESC ESC or ^C)") },
	{ UI_OP_GOTO, 0, CTRL('O'), 'g', N_("Page"),
	  N_("go to a page of the list") },
	{ UI_OP_HISTORY, 0, CTRL('R'), 'h', N_("History"),
	  N_("the record's history") },
	{ UI_OP_ADD, 0, CTRL('Y'), 'a', N_("Add"),
	  N_("add a value to a repeated field") },
	{ UI_OP_DELETE, 0, CTRL('D'), 'd', N_("Remove"),
	  N_("remove a value, or unlink the record") },
	/* ^P is Pick; ^Z does nothing else here (raw mode: no suspend). */
	{ UI_OP_PRINT, 0, CTRL('Z'), 'p', N_("Print"),
	  N_("print the case report where the administrator said") },
	{ UI_OP_REDRAW, 0, CTRL('L'), 0, N_("Redraw"),
	  N_("redraw the whole screen") },
};
#define UI_NKEYS (sizeof ui_key_table / sizeof ui_key_table[0])

/* The row of an operation, or NULL. */
static const struct ui_key_row *
ui_key_row(enum ui_op op)
{
	size_t	i;

	for (i = 0; i < UI_NKEYS; i++)
		if (ui_key_table[i].op == op)
			return &ui_key_table[i];
	return NULL;
}

/* The operation of a control character (^C is always Back). */
enum ui_op
ui_key_control(wint_t ch)
{
	size_t	i;

	if (ch == CTRL('C'))
		return UI_OP_BACK;
	for (i = 0; i < UI_NKEYS; i++)
		if (ui_key_table[i].ctrl != 0 &&
		    (wint_t)ui_key_table[i].ctrl == ch)
			return ui_key_table[i].op;
	return UI_OP_NONE;
}

/* The operation of function key Fn. */
enum ui_op
ui_key_function(int n)
{
	size_t	i;

	for (i = 0; i < UI_NKEYS; i++)
		if (ui_key_table[i].fn == n)
			return ui_key_table[i].op;
	return UI_OP_NONE;
}

/* The operation of ESC followed by ch (ESC ESC is Back). */
enum ui_op
ui_key_escape(wint_t ch)
{
	size_t	i;

	if (ch == 27)
		return UI_OP_BACK;
	for (i = 0; i < UI_NKEYS; i++)
		if (ui_key_table[i].esc != 0 &&
		    (wint_t)ui_key_table[i].esc == ch)
			return ui_key_table[i].op;
	return UI_OP_NONE;
}

/* The key an officer types for op, as the key line shows it ("^W"). */
const char *
ui_key_name(enum ui_op op)
{
	static char			 s[4];
	const struct ui_key_row		*k = ui_key_row(op);

	if (k == NULL || k->ctrl == 0)
		return "";
	s[0] = '^';
	s[1] = (char)(k->ctrl + '@');
	s[2] = '\0';
	return s;
}

/* The short translated label of op for the key line. */
const char *
ui_key_label(enum ui_op op)
{
	const struct ui_key_row	*k = ui_key_row(op);

	return k == NULL ? "" : _(k->label);
}

/* Append the whole table, one line per operation, for help screens. */
void
ui_key_help(struct ui *u, struct buf *b)
{
	const struct ui_key_row	*k;
	size_t			 i;
	int			 w, lw = 8;

	(void)u;
	/* Labels line up by columns, whatever their language. */
	for (i = 0; i < UI_NKEYS; i++)
		if ((w = ui_text_width(_(ui_key_table[i].label))) > lw)
			lw = w;
	buf_adds(b, _("Keys (every function key has a control key and an "
	    "ESC-digit alternative):\n\n"));
	for (i = 0; i < UI_NKEYS; i++) {
		k = &ui_key_table[i];
		buf_addf(b, "  ^%c", k->ctrl + '@');
		if (k->fn != 0)
			buf_addf(b, "  F%-2d", k->fn);
		else
			buf_adds(b, "     ");
		if (k->esc != 0)
			buf_addf(b, "  ESC %c", k->esc);
		else
			buf_adds(b, "       ");
		buf_addf(b, "  %s", _(k->label));
		for (w = ui_text_width(_(k->label)); w < lw; w++)
			buf_addc(b, ' ');
		buf_addf(b, " %s\n", _(k->what));
	}
	buf_adds(b, _("\n  Tab, Down, Enter   next field or row\n"
	    "  Up, Shift-Tab      previous field or row\n"
	    "  PgUp, PgDn         previous or next page (also ^B and ^V)\n"
	    "  Home, End          first or last (also ESC < and ESC >)\n"));
}

/* Back, help, redraw and resize, the same on every screen (see ui.h). */
enum ui_common_res
ui_common_key(struct ui *u, const struct ui_keypress *k,
    const struct ui_common *c)
{
	switch (k->op) {
	case UI_OP_BACK:
		return UI_COMMON_BACK;
	case UI_OP_HELP:
		if (c->help == NULL)
			return UI_COMMON_OTHER;
		ui_help(u, _(c->help_title), _(c->help));
		break;
	case UI_OP_REDRAW:
		clearok(curscr, TRUE);
		break;
	case UI_OP_RESIZE:
		if (c->resize != NULL && !c->resize(c->arg))
			return UI_COMMON_BACK;
		break;
	default:
		return UI_COMMON_OTHER;
	}
	if (c->draw != NULL)
		c->draw(c->arg);
	return UI_COMMON_DONE;
}
