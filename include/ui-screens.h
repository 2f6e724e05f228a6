/*
 * ui-screens.h - the screens of ncen and how they call each other.
 *
 * Each screen runs its own key loop and returns when the officer goes
 * back.  None holds a transaction, cursor or lock while waiting for a
 * key (another process would wait on it): they read, let the officer
 * work, then write in one short transaction with a version check.
 * Every call may end the process through ui_shutdown() on a hang-up
 * (after saving the draft).
 */
#ifndef NCEN_UI_SCREENS_H
#define NCEN_UI_SCREENS_H

#include <stdint.h>

#include "auth.h"
#include "buf.h"
#include "record.h"
#include "ui.h"

/* ui-list.c: a form's records, paged, sorted by an indexed field and
 * filtered as you type; Enter opens one (ui_view). */
void	ui_list(struct ui *, const char *entity);
/* The same list as a chooser: 1 and *id when one is chosen, 0 on Back. */
int	ui_list_pick(struct ui *, const char *entity, const char *title,
	    uint64_t *id);

/* ui-search.c: find persons, businesses, conveyances and cases by the
 * start of a name or number, through their indexes. */
void	ui_search(struct ui *);
/* ui-form.c: the short statistical form, then the case it made. */
void	ui_statcase(struct ui *);

/* ui-view.c: a record read-only with its linked records (Enter opens
 * one); a case goes to ui_case instead.  Shows nominal fields only to
 * roles that may see them, and audits each such display. */
void	ui_view(struct ui *, const char *entity, uint64_t id);
/* One line naming a record, for lists and links (UTF-8, not clipped). */
void	ui_view_summary(struct ui *, const struct record *, struct buf *);
/* A record's history from the audit log (roles allowed AUTH_AUDIT). */
void	ui_view_history(struct ui *, const char *entity, uint64_t id);
/* ui-message.c: ^A on a message (read, reply, cited cases); 1: a reply. */
int	ui_message_action(struct ui *, const struct record *);
/* ui-attach.c: ^A on an attachment (export it); 1 if exported. */
int	ui_attach_action(struct ui *, const struct record *);
/* ui-invest.c: ^A on an investigation (its steps); 1 if it changed. */
int	ui_invest_action(struct ui *, const struct record *);

/* ui-form.c: create (id 0) or edit a record in a form laid out from its
 * form file; 1 and *saved when stored, 0 when the officer went back
 * (typing is kept as a draft). */
int	ui_form_edit(struct ui *, const char *entity, uint64_t id,
	    uint64_t *saved);
/* After sign-in: offer the user's drafts to resume or discard. */
void	ui_form_drafts(struct ui *);

/* ui-pick.c: choose a code of a list, filtering as you type; 1 and the
 * code in *code, 0 on Back. */
int	ui_pick_code(struct ui *, const struct schema_codelist *,
	    const char *start, struct buf *code);
/* The same, the highlight first on the code at (NULL: the first). */
int	ui_pick_code_at(struct ui *, const struct schema_codelist *,
	    const char *start, const char *at, struct buf *);

/* ui-case.c: the whole case on one screen, with workflow actions. */
void	ui_case(struct ui *, uint64_t id);
/* ui-link.c: link a record (read at version) to a person, business or
 * conveyance, existing or created there, with a role (1 when linked); a
 * small chooser (the index chosen, -1 on Back); the version check that
 * changes to a record's links make in their transaction. */
int	ui_link(struct ui *, struct store_ref from, uint32_t version);
/* ui-dup.c: before a new record is saved, the ones it probably is. */
int	ui_dup_ask(struct ui *, const struct record *);
int	ui_link_choose(struct ui *, const char *title, const char *const *,
	    size_t);
int	ui_link_check(struct store_txn *, struct store_ref, uint32_t version,
	    enum schema_lang, struct ncen_err *);

/* ui-message.c: Messages received and written, ^N writes one to a
 * partner; the main menu's label with the user's unread count. */
void	ui_messages(struct ui *);
void	ui_messages_label(struct ui *, struct buf *);

/* ui-queue.c: the supervisor's queue, the submitted cases of his
 * offices oldest first, to validate or return; the menu's count. */
void	ui_queue(struct ui *);
void	ui_queue_label(struct ui *, struct buf *);
/* ui-mywork.c: My work, the account's assigned investigations,
 * returned cases and drafts. */
void	ui_mywork(struct ui *);
/* ui-alert.c: Alerts raised for the account, newest first, with the
 * analyst's decision; the main menu's label with the new ones' count. */
void	ui_alerts(struct ui *);
void	ui_alerts_label(struct ui *, struct buf *);

/* ui-partner.c: Partners, their status and agreements (AUTH_PARTNERS). */
void	ui_partners(struct ui *);

/* ui-retention.c: Retention review, what is due and applying it
 * (AUTH_RETENTION). */
void	ui_retention(struct ui *);

/* ui-stats.c: Statistics, the predefined queries with filters, their
 * figures as a table and a chart, exported as CSV (AUTH_STATS). */
void	ui_stats(struct ui *);

/* ui-admin.c: Administration, the accounts (AUTH_ACCOUNTS). */
void	ui_admin(struct ui *);

/* ui-signin.c: console sign-in (user and password, forced change),
 * the idle lock, and what the signed-in account may do. */
int	ui_signin(struct ui *, struct ncen_err *);
void	ui_signin_lock(struct ui *);
/* Set u->idle and u->on_idle from --idle SECONDS, else $NCEN_IDLE. */
int	ui_signin_idle(struct ui *, const char *, struct ncen_err *);
int	ui_may(const struct ui *, enum auth_action, const struct record *);
/* Whether the signed-in account sees a record at all (need to know). */
int	ui_sees(const struct ui *, const struct record *);

#endif
