/*
 * ui-view.h - what the list, view and search screens share
 * (ui-list.c, ui-view.c, ui-search.c); other screens use ui-screens.h.
 *
 * A field is nominal when its sharing level is not `cen` (ncen-forms(5)):
 * its values are shown only to roles that may see nominal data on that
 * record (AUTH_VIEW_NOMINAL), and every display of them is audited as
 * "view.nominal", one entry per record, in one short transaction.
 */
#ifndef NCEN_UI_VIEW_H
#define NCEN_UI_VIEW_H

#include "buf.h"
#include "record.h"
#include "schema.h"
#include "ui.h"

#define UI_VIEW_HIDDEN	"***"	/* in place of a nominal value refused */

/* The keys that move about a list or a page, whatever sent them. */
enum ui_nav {
	UI_NAV_NONE = 0,
	UI_NAV_UP,
	UI_NAV_DOWN,
	UI_NAV_PGUP,		/* PgUp, ^B */
	UI_NAV_PGDN,		/* PgDn, ^V */
	UI_NAV_HOME,
	UI_NAV_END,
	UI_NAV_ENTER,		/* Enter, Return */
	UI_NAV_ERASE,		/* Backspace */
};
enum ui_nav ui_view_nav(const struct ui_keypress *);

/* Whether a field holds nominal data. */
int	 ui_view_nominal(const struct schema_field *);
/*
 * A field's values as the officer reads them, joined by "; ": codes as
 * "CODE Label" (labelled) or as the code alone, references as "#ID".
 * Nothing is appended when the field is empty.
 */
void	 ui_view_value(struct ui *, const struct record *, size_t field,
	     int labelled, struct buf *);
/*
 * The summary line of a record; 1 when it shows nominal values (which
 * the caller must audit), 0 when not (refused ones are left out).
 */
int	 ui_view_summary_line(struct ui *, const struct record *,
	     struct buf *);
/*
 * Audit the display of nominal data: `shown` holds one "entity:id" per
 * line; one view.nominal entry per line, all in one transaction.
 * Failures go to the status line.
 */
void	 ui_view_audit(struct ui *, const struct buf *shown,
	     const char *details);

#endif
