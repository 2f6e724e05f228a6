/*
 * ui-attach.c - an attachment from its record screen (^A): export its
 * file to the administrator's outgoing folder, a setting of the data
 * directory (ncenctl attach outbox), so that no officer types a path.
 * attach_export decides who may (the role matrix's export on the record
 * it is attached to), checks the file and audits the copy.
 */
#include <curses.h>
#include <string.h>

#include "attach.h"
#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"

/*
 * ^A on an attachment: export it to the outgoing folder, asked first;
 * said on the status line either way.  1 when a copy was written.
 */
int
ui_attach_action(struct ui *u, const struct record *r)
{
	const char	*items[1];
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 dir = BUF_INIT, out = BUF_INIT, q = BUF_INIT;
	int		 done = 0;

	items[0] = _("Export it to the outgoing folder");
	if (ui_link_choose(u, _("Attachment"), items, 1) != 0)
		goto out;
	if (attach_outbox_get(u->st, &dir, &e) != NCEN_OK) {
		ui_status_error(u, _("Not exported: %s"), ncen_err_msg(&e));
		goto out;
	}
	buf_addf(&q, _("Export attachment %llu to %s? (y/n)"),
	    (unsigned long long)r->id, dir.s);
	if (!ui_confirm(u, buf_cstr(&q))) {
		ui_status(u, "%s", _("Not exported."));
		goto out;
	}
	if (attach_export(u->st, u->acct, r->id, &out, &e) != NCEN_OK) {
		if (e.code == NCEN_ERECOVER)
			ui_error(u, &e);
		else
			ui_status_error(u, _("Not exported: %s"),
			    ncen_err_msg(&e));
		goto out;
	}
	done = 1;
	ui_status(u, _("Exported to %s."), out.s);
out:
	buf_free(&dir);
	buf_free(&out);
	buf_free(&q);
	ncen_err_free(&e);
	return done;
}
