/*
 * ui-rows.h - a screen of selectable items read whole: Messages,
 * Partners, Accounts.
 *
 * The screen owns its items; ui_rows() owns the loop: it draws the
 * frame (title, headings, key line) and the items that fit with the
 * selected one marked, moves the selection (Up, Down, PgUp/^B,
 * PgDn/^V, Home, End), opens the help (^G), reads the items again on
 * ^L, and hands Enter and the screen's own operations to act() until
 * the officer goes back.
 */
#ifndef NCEN_UI_ROWS_H
#define NCEN_UI_ROWS_H

#include <stddef.h>

#include "ui.h"

/* Where the selection stands; a screen's functions read cur. */
struct ui_rows {
	size_t		 n;		/* items */
	size_t		 cur;		/* the selected one (n == 0: none) */
	size_t		 top;		/* the first one shown */
};

/* What act() asks of the loop afterwards. */
enum ui_rows_next {
	UI_ROWS_STAY = 0,		/* draw again */
	UI_ROWS_RELOAD,			/* the items changed: read them */
};

struct ui_rows_screen {
	const char	*help_title;	/* N_() */
	const char	*help;		/* N_() */
	int		 first;		/* the body row of the first item */
	int		 per;		/* screen rows an item takes */
	/* Read the items (again); returns how many. */
	size_t		(*load)(void *arg);
	/* Title, column headings, "nothing here" text and key line. */
	void		(*frame)(void *arg, size_t n);
	/* Draw item i from row y; sel: it is the selected one. */
	void		(*item)(void *arg, size_t i, int y, int sel);
	/* Enter (op UI_OP_NONE) or another operation on item r->cur. */
	enum ui_rows_next (*act)(void *arg, const struct ui_keypress *,
			    const struct ui_rows *);
};

void	 ui_rows(struct ui *, const struct ui_rows_screen *, void *arg);

#endif
