/*
 * ui-dup.c - before a new person, business or conveyance is saved: the
 * records it probably repeats (search_duplicates: the same document or
 * registration number, or the same names and date of birth), and the
 * question whether to save it all the same.
 *
 * The candidates are a chooser: Enter on one shows it (and comes back
 * to the question), "Save it as a new record" saves, Back returns to the
 * form with everything typed.  A candidate the account may not see is
 * named by its form and where to ask, never by its values (need to
 * know); one shown with nominal values is audited like a list.
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "search.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"
#include "ui-view.h"
#include "xmalloc.h"

#define UI_DUP_SHOWN	6	/* candidates offered */

/* One candidate's line (into line); 1 when it shows nominal values. */
static int
ui_dup_line(struct ui *u, const char *entity, uint64_t id, struct buf *line,
    int *seen)
{
	struct auth_seen	 s = { 0, BUF_INIT };
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct record		*r = NULL;
	const char		*label = entity;
	int			 nominal = 0;

	*seen = 0;
	if (store_get(u->st, entity, id, &r, &e) == NCEN_OK) {
		label = schema_label(r->form->label, u->lang);
		if (auth_see(u->st, NULL, u->acct, r, &s, &e) == NCEN_OK)
			*seen = s.seen;
	}
	buf_addf(line, "%s %llu", label, (unsigned long long)id);
	if (r != NULL && *seen) {
		buf_adds(line, "  ");
		nominal = ui_view_summary_line(u, r, line);
	} else if (s.office.len != 0)
		buf_addf(line, _(" (in a case of %s: ask its supervisor)"),
		    buf_cstr(&s.office));
	else
		buf_adds(line, _(" (another officer's)"));
	record_free(r);
	buf_free(&s.office);
	ncen_err_free(&e);
	return nominal;
}

/*
 * Ask before r (new, not yet saved) is stored: 1 to save it, 0 to go
 * back to the form.  Nothing to ask (no candidate, or the look failed,
 * which the status line says) is 1.
 */
int
ui_dup_ask(struct ui *u, const struct record *r)
{
	struct store_search_ids	 ids;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		*lines, shown = BUF_INIT;
	const char		**items;
	size_t			 i, n;
	int			 c, *seen, answer = -1;

	if (search_duplicates(u->st, r, &ids, &e) != NCEN_OK) {
		ui_error(u, &e);
		ncen_err_free(&e);
		return 1;
	}
	ncen_err_free(&e);	/* a retried read may have filled it */
	if (ids.n == 0) {
		store_search_ids_free(&ids);
		return 1;
	}
	n = ids.n < UI_DUP_SHOWN ? ids.n : UI_DUP_SHOWN;
	lines = xcalloc(n, sizeof *lines);
	seen = xcalloc(n, sizeof *seen);
	items = xcalloc(n + 1, sizeof *items);
	for (i = 0; i < n; i++) {
		if (ui_dup_line(u, r->form->name, ids.ids[i], &lines[i],
		    &seen[i]))
			buf_addf(&shown, "%s:%llu\n", r->form->name,
			    (unsigned long long)ids.ids[i]);
		items[i] = buf_cstr(&lines[i]);
	}
	items[n] = _("Save it as a new record all the same");
	ui_view_audit(u, &shown, "ncen showed it as a probable duplicate");
	ui_status(u, "%s", _("Enter on one shows it; ^X goes back to the "
	    "form, nothing saved."));
	while (answer < 0) {
		c = ui_link_choose(u, _("Probably recorded already:"), items,
		    n + 1);
		if (c < 0)
			answer = 0;
		else if ((size_t)c == n)
			answer = 1;
		else if (!seen[c])
			ui_status_error(u, "%s", _("Your roles may not see that "
			    "record: ask where it says."));
		else {
			ui_view(u, r->form->name, ids.ids[c]);
			ui_status(u, "%s", _("Enter on one shows it; ^X goes "
			    "back to the form, nothing saved."));
		}
	}
	ui_status(u, "%s", "");
	for (i = 0; i < n; i++)
		buf_free(&lines[i]);
	free(lines);
	free(seen);
	free(items);
	buf_free(&shown);
	store_search_ids_free(&ids);
	return answer;
}
