/*
 * ui-message.c - Messages: those received from partner nodes and those
 * written to them, newest first, with the signed-in user's unread ones
 * marked; and the main menu's "Messages (N unread)" label.
 *
 * Opening a received message (Enter) marks it read for this user in one
 * short transaction (store-reads.h), then shows it with ui_view; the
 * list itself marks nothing.  ^N writes a message to a partner node
 * for roles allowed AUTH_ICOMM: it is stored and queued in the outbox
 * in one transaction (store-outbox.h); ncen-icomm sends it.  ncen never
 * opens a socket.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "icomm.h"
#include "record.h"
#include "schema.h"
#include "store-outbox.h"
#include "store-reads.h"
#include "store.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "xmalloc.h"

#define UI_MESSAGE_CITES_MAX	16
#define UI_MESSAGE_LINES_MAX	60	/* lines of a message typed */
#define UI_MESSAGE_LINE_MAX	200	/* characters of one line */

struct ui_message_row {
	uint64_t	 id;
	int		 in;		/* received */
	int		 unread;
	char		*date, *node, *subject;
};

/* Where the columns of a row start. */
enum { UI_MSG_DATE = 3, UI_MSG_DIR = 21, UI_MSG_NODE = 31, UI_MSG_SUBJ = 45 };

struct ui_messages {
	struct ui		*u;
	struct ui_message_row	*v;
	size_t			 n, cap;
	size_t			 unread;
};

static const char ui_message_help[] = N_(
    "Messages: those received from partner nodes and those written to "
    "them, newest first.  A star marks a received message you "
    "have not opened yet; Enter opens one and marks it read for you.\n\n"
    "^N writes a message to a partner node (the ncp role): its partner "
    "node id, a subject, the text, and optionally the cases it cites, "
    "by their numbers or as case:ID, separated by spaces.  The text is "
    "typed a line at a time; an empty line ends it.  A cited case travels "
    "with it under the agreement with that partner, and only once "
    "validated.  A message no agreement in force lets go to the partner "
    "is refused at once.  The message is queued here; ncen-icomm sends "
    "it.\n\n"
    "On a message, ^A reads it whole with its thread (the message it "
    "answers and the replies), replies to it (the ncp role: to the node "
    "it came from, in its thread), or opens a case it cites.");

/* A field's value copied, "" when empty. */
static char *
ui_messages_field(const struct record *r, const char *name)
{
	const char	*s = record_get(r, name);

	return xstrdup(s != NULL ? s : "");
}

/* Keep one message's row (store_record_fn). */
static int
ui_messages_collect(const struct record *r, void *arg)
{
	struct ui_messages	*m = arg;
	const char		*dir = record_get(r, "direction");

	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 32 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof *m->v);
	}
	m->v[m->n].id = r->id;
	m->v[m->n].in = dir != NULL && strcmp(dir, "IN") == 0;
	m->v[m->n].unread = 0;
	m->v[m->n].date = ui_messages_field(r, "date");
	m->v[m->n].node = ui_messages_field(r, "node");
	m->v[m->n].subject = ui_messages_field(r, "subject");
	m->n++;
	return 0;
}

/* Which received messages the user has not read (in a transaction). */
static int
ui_messages_marks(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct ui_messages	*m = arg;
	size_t			 i;
	int			 rc;

	m->unread = 0;
	for (i = 0; i < m->n; i++) {
		if (!m->v[i].in)
			continue;
		rc = store_reads_seen(t, m->u->acct->name, m->v[i].id, err);
		if (rc < 0)
			return -rc;
		m->v[i].unread = rc == 0;
		m->unread += rc == 0;
	}
	return NCEN_OK;
}

/* Forget the loaded messages. */
static void
ui_messages_clear(struct ui_messages *m)
{
	size_t	i;

	for (i = 0; i < m->n; i++) {
		free(m->v[i].date);
		free(m->v[i].node);
		free(m->v[i].subject);
	}
	m->n = 0;
}

/* (Re)read the messages, newest first (ui_rows_screen.load). */
static size_t
ui_messages_load(void *arg)
{
	struct ui_messages	*m = arg;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ui_message_row	 t;
	size_t			 i;

	ui_messages_clear(m);
	if (store_scan(m->u->st, "message", ui_messages_collect, m, &e) !=
	    NCEN_OK || store_run(m->u->st, ui_messages_marks, m, &e) !=
	    NCEN_OK)
		ui_error(m->u, &e);
	ncen_err_free(&e);
	for (i = 0; i < m->n / 2; i++) {
		t = m->v[i];
		m->v[i] = m->v[m->n - 1 - i];
		m->v[m->n - 1 - i] = t;
	}
	return m->n;
}

/* Title, headings and key line (ui_rows_screen.frame). */
static void
ui_messages_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_NEW,
	    UI_OP_BACK };
	static const enum ui_op	 read_ops[] = { UI_OP_HELP, UI_OP_BACK };
	struct ui_messages	*m = arg;
	struct ui		*u = m->u;

	ui_title(u, _("Messages (%zu, %zu unread)"), n, m->unread);
	attron(A_BOLD);
	ui_text_put(1, UI_MSG_DATE, _("Date"), UI_MSG_DIR - UI_MSG_DATE, 1);
	ui_text_put(1, UI_MSG_DIR, _("Way"), UI_MSG_NODE - UI_MSG_DIR, 1);
	ui_text_put(1, UI_MSG_NODE, _("Partner"), UI_MSG_SUBJ - UI_MSG_NODE,
	    1);
	ui_text_put(1, UI_MSG_SUBJ, _("Subject"), COLS - UI_MSG_SUBJ - 1, 0);
	attroff(A_BOLD);
	if (n == 0)
		ui_text_put(2, UI_MSG_DATE, _("No messages."), COLS - 4, 0);
	if (ui_may(u, AUTH_ICOMM, NULL))
		ui_keys(u, ops, sizeof ops / sizeof ops[0]);
	else
		ui_keys(u, read_ops, sizeof read_ops / sizeof read_ops[0]);
}

/* One message's row (ui_rows_screen.item). */
static void
ui_messages_item(void *arg, size_t i, int y, int sel)
{
	struct ui_messages	*m = arg;

	ui_sel(m->u, y, sel);
	mvaddstr(y, 1, m->v[i].unread ? "* " : "  ");
	ui_text_put(y, UI_MSG_DATE, m->v[i].date, UI_MSG_DIR - UI_MSG_DATE, 1);
	ui_text_put(y, UI_MSG_DIR, m->v[i].in ? _("received") : _("sent"),
	    UI_MSG_NODE - UI_MSG_DIR, 1);
	ui_text_put(y, UI_MSG_NODE, m->v[i].node, UI_MSG_SUBJ - UI_MSG_NODE,
	    1);
	ui_text_put(y, UI_MSG_SUBJ, m->v[i].subject, COLS - UI_MSG_SUBJ - 1,
	    1);
	ui_sel_end(m->u, sel);
}

struct ui_message_mark {
	const char	*user;
	uint64_t	 id;
};

/* Mark one message read (in a transaction). */
static int
ui_message_mark_txn(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct ui_message_mark	*mk = arg;

	return store_reads_mark(t, mk->user, mk->id, err);
}

/* Open a message, marking it read if it was received. */
static void
ui_messages_open(struct ui_messages *m, size_t cur)
{
	struct ui_message_mark	mk;
	struct ncen_err		e = NCEN_ERR_INIT;

	if (m->v[cur].in && m->v[cur].unread) {
		mk.user = m->u->acct->name;
		mk.id = m->v[cur].id;
		if (store_run(m->u->st, ui_message_mark_txn, &mk, &e) !=
		    NCEN_OK)
			ui_error(m->u, &e);
		ncen_err_free(&e);
	}
	ui_view(m->u, "message", m->v[cur].id);
}

/* Split "case:1 case:2" into words (pointing into s, which is cut). */
static size_t
ui_message_words(char *s, char **v, size_t max)
{
	size_t	n = 0;
	char	*p;

	for (p = strtok(s, " ,"); p != NULL && n < max;
	    p = strtok(NULL, " ,"))
		v[n++] = p;
	return n;
}

/* Keep the id of the case found (store_record_fn). */
static int
ui_message_case_found(const struct record *r, void *arg)
{
	*(uint64_t *)arg = r->id;
	return 1;
}

/*
 * A citation as the officer typed it: "case:ID" as is, a case number
 * (CC-OFFICE-YYYY-NNNNNN) turned into case:ID through its index; what
 * is neither is left for icomm_message_write to refuse in words.
 */
static char *
ui_message_cite(struct ui *u, const char *word)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	struct buf	b = BUF_INIT;
	uint64_t	id = 0;

	if (strncmp(word, "case:", 5) != 0)
		store_find(u->st, "case", "number", word, NULL,
		    ui_message_case_found, &id, &e);
	ncen_err_free(&e);
	if (id != 0)
		buf_addf(&b, "case:%llu", (unsigned long long)id);
	else
		buf_adds(&b, word);
	return buf_detach(&b);
}

/*
 * The text, a line per prompt until an empty line (a terminal's one-line
 * prompt, so that a message may hold several lines); 1 when it was
 * typed, 0 on Back.
 */
static int
ui_message_text(struct ui *u, struct buf *body)
{
	struct buf	line = BUF_INIT, q = BUF_INIT;
	size_t		n;
	int		rc = 1;

	buf_reset(body);
	for (n = 1; n <= UI_MESSAGE_LINES_MAX; n++) {
		buf_reset(&q);
		buf_addf(&q, _("Text, line %zu (an empty line ends it):"), n);
		buf_reset(&line);
		if (ui_prompt(u, buf_cstr(&q), UI_MESSAGE_LINE_MAX, 0,
		    &line) != 1) {
			rc = 0;
			break;
		}
		if (line.len == 0)
			break;
		if (body->len > 0)
			buf_addc(body, '\n');
		buf_add(body, line.s, line.len);
	}
	buf_free(&line);
	buf_free(&q);
	return rc;
}

/*
 * Write a message to a partner (node, subject, text, citations), or a
 * reply to r (to its node, in its thread; an empty subject is "Re: "
 * its subject).  1 when one was queued.
 */
static int
ui_message_compose(struct ui *u, const struct record *r)
{
	struct icomm_message	 msg;
	struct buf		 node = BUF_INIT, subj = BUF_INIT;
	struct buf		 body = BUF_INIT, cites = BUF_INIT;
	struct ncen_err		 e = NCEN_ERR_INIT;
	char			*cv[UI_MESSAGE_CITES_MAX];
	size_t			 nc = 0, i;
	uint64_t		 id;
	int			 done = 0;

	if (!ui_may(u, AUTH_ICOMM, NULL)) {
		ui_status_error(u, "%s", _("Your roles may not write to "
		    "partner nodes (the ncp role may)."));
		return 0;
	}
	if (r == NULL && (ui_prompt(u, _("To partner node:"), 64, 0,
	    &node) != 1 || node.len == 0))
		goto out;
	if (ui_prompt(u, r == NULL ? _("Subject:") : _("Subject (empty: "
	    "Re: the message's):"), 200, 0, &subj) != 1 ||
	    !ui_message_text(u, &body) ||
	    ui_prompt(u, _("Cited cases (numbers or case:ID, blank for "
	    "none):"), 200, 0, &cites) != 1)
		goto out;
	buf_cstr(&cites);
	nc = cites.len > 0 ? ui_message_words(cites.s, cv,
	    UI_MESSAGE_CITES_MAX) : 0;
	for (i = 0; i < nc; i++)
		cv[i] = ui_message_cite(u, cv[i]);
	memset(&msg, 0, sizeof msg);
	msg.partner = r == NULL ? buf_cstr(&node) : NULL;
	msg.subject = buf_cstr(&subj);
	msg.body = buf_cstr(&body);
	msg.cites = cv;
	msg.ncites = nc;
	msg.reply_to = r != NULL ? r->id : 0;
	if (icomm_message_write(u->st, u->acct, &msg, &id, &e) != NCEN_OK) {
		if (e.code == NCEN_ERECOVER)
			ui_error(u, &e);
		else
			ui_status_error(u, _("Not written: %s"),
			    ncen_err_msg(&e));
	} else {
		done = 1;
		ui_status(u, _("Message %llu queued for %s."),
		    (unsigned long long)id, r != NULL ? record_get(r, "node") :
		    buf_cstr(&node));
	}
out:
	for (i = 0; i < nc; i++)
		free(cv[i]);
	buf_free(&node);
	buf_free(&subj);
	buf_free(&body);
	buf_free(&cites);
	ncen_err_free(&e);
	return done;
}

/* Write a message to a partner (^N on the list). */
static void
ui_messages_write(struct ui_messages *m)
{
	ui_message_compose(m->u, NULL);
}

/* One message of a thread, a line of the reading (store_record_fn). */
static int
ui_message_thread_line(const struct record *r, void *arg)
{
	struct buf	*b = arg;
	const char	*dir = record_get(r, "direction");
	const char	*subj = record_get(r, "subject");

	buf_addf(b, "  %s  %s %s  %s\n", record_get(r, "date"),
	    dir != NULL && strcmp(dir, "IN") == 0 ? _("from") : _("to"),
	    record_get(r, "node"), subj != NULL ? subj : "");
	return 0;
}

/* The message whole in the pager: who, when, subject, text, thread. */
static void
ui_message_read(struct ui *u, const struct record *r)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct buf	 text = BUF_INIT, title = BUF_INIT;
	const char	*dir = record_get(r, "direction");
	const char	*v;
	int		 k;
	size_t		 i;

	if (dir != NULL && strcmp(dir, "IN") == 0)
		buf_addf(&text, _("From %s\n"), record_get(r, "node"));
	else
		buf_addf(&text, _("To %s\n"), record_get(r, "node"));
	buf_addf(&text, _("Date: %s\n"), record_get(r, "date"));
	v = record_get(r, "subject");
	buf_addf(&text, _("Subject: %s\n"), v != NULL ? v : "");
	if ((k = schema_field_index(r->form, "cites")) >= 0 &&
	    r->fields[k].n > 0) {
		buf_adds(&text, _("Cites:"));
		for (i = 0; i < r->fields[k].n; i++)
			buf_addf(&text, " %s", r->fields[k].v[i]);
		buf_addc(&text, '\n');
	}
	v = record_get(r, "body");
	buf_addf(&text, "\n%s\n", v != NULL ? v : "");
	v = record_get(r, "thread");
	if (v != NULL && *v != '\0') {
		buf_addf(&text, _("\nThe thread, oldest first:\n"));
		if (store_find(u->st, "message", "thread", v, NULL,
		    ui_message_thread_line, &text, &e) != NCEN_OK) {
			ui_error(u, &e);
			goto out;
		}
	}
	buf_addf(&title, _("Message %llu"), (unsigned long long)r->id);
	ui_pager(u, buf_cstr(&title), buf_cstr(&text));
out:
	buf_free(&text);
	buf_free(&title);
	ncen_err_free(&e);
}

/*
 * ^A on a message: read it whole with its thread, reply (the ncp role),
 * or open a case it cites; 1 when a reply was queued.
 */
int
ui_message_action(struct ui *u, const struct record *r)
{
	struct buf	 labels[UI_MESSAGE_CITES_MAX];
	const char	*items[UI_MESSAGE_CITES_MAX + 2];
	uint64_t	 ids[UI_MESSAGE_CITES_MAX + 2];
	struct record	*c;
	struct ncen_err	 e = NCEN_ERR_INIT;
	const char	*v, *num;
	char		*end;
	size_t		 n = 0, ncase = 0, i;
	int		 k, pick, done = 0;

	items[n] = _("Read it whole, with its thread");
	ids[n++] = 0;
	if (ui_may(u, AUTH_ICOMM, NULL)) {
		items[n] = _("Reply");
		ids[n++] = 0;
	}
	k = schema_field_index(r->form, "cites");
	for (i = 0; k >= 0 && i < r->fields[k].n && ncase <
	    UI_MESSAGE_CITES_MAX; i++) {
		v = r->fields[k].v[i];
		if (strncmp(v, "case:", 5) != 0)
			continue;
		ids[n] = strtoull(v + 5, &end, 10);
		if (ids[n] == 0 || *end != '\0')
			continue;
		buf_init(&labels[ncase]);
		c = NULL;
		num = NULL;
		if (store_get(u->st, "case", ids[n], &c, &e) == NCEN_OK)
			num = record_get(c, "number");
		ncen_err_clear(&e);
		buf_addf(&labels[ncase], _("Open the cited case %llu %s"),
		    (unsigned long long)ids[n], num != NULL ? num : "");
		record_free(c);
		items[n++] = buf_cstr(&labels[ncase++]);
	}
	pick = ui_link_choose(u, _("Message"), items, n);
	if (pick == 0)
		ui_message_read(u, r);
	else if (pick > 0 && ids[pick] == 0)
		done = ui_message_compose(u, r);
	else if (pick > 0)
		ui_view(u, "case", ids[pick]);
	for (i = 0; i < ncase; i++)
		buf_free(&labels[i]);
	ncen_err_free(&e);
	return done;
}

/* Enter opens the selected message, ^N writes one (act). */
static enum ui_rows_next
ui_messages_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *r)
{
	struct ui_messages	*m = arg;

	if (k->op == UI_OP_NEW)
		ui_messages_write(m);
	else if (k->op == UI_OP_NONE)
		ui_messages_open(m, r->cur);
	else
		return UI_ROWS_STAY;
	return UI_ROWS_RELOAD;
}

/* The Messages screen, until the officer goes back. */
void
ui_messages(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: messages"), ui_message_help, 2, 1,
		ui_messages_load, ui_messages_frame, ui_messages_item,
		ui_messages_act,
	};
	struct ui_messages	m;

	memset(&m, 0, sizeof m);
	m.u = u;
	ui_rows(u, &screen, &m);
	ui_messages_clear(&m);
	free(m.v);
}

/* The main menu's label: "Messages (N unread)" for the signed-in user. */
void
ui_messages_label(struct ui *u, struct buf *b)
{
	struct ncen_err	e = NCEN_ERR_INIT;
	uint64_t	n = 0;

	if (store_reads_unread(u->st, u->acct->name, &n, &e) != NCEN_OK ||
	    n == 0)
		buf_adds(b, _("Messages"));
	else
		buf_addf(b, _("Messages (%llu unread)"),
		    (unsigned long long)n);
	ncen_err_free(&e);
}
