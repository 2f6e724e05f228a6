/*
 * ui-signin.c - who is at the keyboard: console sign-in with a user name
 * and a password, the forced change of a password an administrator set,
 * the lock of an idle session, and what the signed-in account may do.
 *
 * Every password goes through auth_signin_password(), which counts the
 * failures, locks the password after too many in a row (the SSH key
 * still signs in) and audits each attempt; this file asks, and says why
 * in words when it is refused.  After a wrong password the next one is
 * not asked before the policy's delay (auth_delay: 1, 2, 4... seconds)
 * has run out, counted down on the status line, whether the user name
 * is an account's or not.  A password stays in memory only until it is
 * checked, then is wiped.
 *
 * The idle lock covers the screen without touching what was under it:
 * the screen is copied before and put back after, the draft the officer
 * was typing stays in memory (and a hang-up at the lock saves it through
 * the form's hook), and ui_key() hands UI_OP_REDRAW to the screen.  An
 * SSH session whose account has no password cannot be unlocked: it saves
 * the draft and ends, saying so.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "store.h"
#include "ui.h"
#include "ui-screens.h"

#define UI_SIGNIN_TRIES		3	/* console tries before ncen ends */
#define UI_SIGNIN_PWMAX		256	/* characters of a typed password */
#define UI_SIGNIN_IDLE		900	/* default seconds before the lock */
#define UI_SIGNIN_IDLE_MAX	86400	/* a day */
#define UI_SIGNIN_ROW		3	/* first row of the text */
#define UI_SIGNIN_MSGROW	12	/* the row of the last refusal */

static const char *const ui_signin_text[] = {
	N_("National customs enforcement network."),
	"",
	N_("Type your user name, then your password (it is not shown);"),
	N_("end each with Enter.  ^X leaves."),
};

static const char *const ui_signin_change_text[] = {
	N_("An administrator set your password: choose your own before"),
	N_("going on.  Type it twice (it is not shown).  ^X signs out."),
};

static const char *const ui_signin_lock_text[] = {
	N_("This session is locked: no key was pressed for a while."),
	N_("What you were typing is kept and comes back after the password."),
	"",
	N_("Type the password to go on; ^X signs out (your typing is saved)."),
};

/* Wipe a buffer that held a password. */
static void
ui_signin_wipe(struct buf *b)
{
	if (b->s != NULL)
		OPENSSL_cleanse(b->s, b->cap);
	buf_reset(b);
}

/* Draw text from row y on, broken at blanks to width columns, in rows rows. */
static void
ui_signin_wrap(int y, int x, const char *text, int width, int rows)
{
	struct buf	 line = BUF_INIT;
	size_t		 take;

	for (; *text != '\0' && rows > 0; y++, rows--) {
		buf_reset(&line);
		ui_text_clip(text, width, &line);
		take = line.len;
		if (text[take] != '\0' && rows > 1) {
			while (take > 0 && text[take] != ' ')
				take--;
			if (take == 0)
				take = line.len;
		}
		buf_reset(&line);
		buf_add(&line, text, take);
		ui_text_put(y, x, buf_cstr(&line), width, 0);
		for (text += take; *text == ' '; text++)
			;
	}
	buf_free(&line);
}

/* Draw a whole sign-in page: title, lines of text, extra line, refusal. */
static void
ui_signin_page(struct ui *u, const char *title, const char *const *text,
    size_t n, const char *extra, const char *msg)
{
	static const enum ui_op	 ops[] = { UI_OP_BACK };
	int			 y = UI_SIGNIN_ROW;
	size_t			 i;

	erase();
	ui_title(u, "%s", title);
	for (i = 0; i < n; i++, y++)
		if (*text[i] != '\0')
			ui_text_put(y, 4, _(text[i]), COLS - 8, 0);
	if (extra != NULL)
		ui_text_put(y + 1, 4, extra, COLS - 8, 0);
	if (msg != NULL && *msg != '\0') {
		attron(u->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
		ui_signin_wrap(UI_SIGNIN_MSGROW, 4, msg, COLS - 8, 3);
		attroff(u->color ? COLOR_PAIR(2) | A_BOLD : A_BOLD);
	}
	ui_keys(u, ops, sizeof ops / sizeof ops[0]);
}

/* Say on the status line that the slow password check is running. */
static void
ui_signin_checking(void)
{
	move(LINES - 2, 0);
	clrtoeol();
	ui_text_put(LINES - 2, 0, _("Checking the password..."), COLS - 1, 0);
	refresh();
}

/*
 * Wait out the delay after a wrong password before the next is asked:
 * the longer of the policy's delay for this session's failures in a row
 * (the same for a name that is no account) and what the account's own
 * failures, wherever typed, still ask.  Counted down on the status line.
 */
static void
ui_signin_delay(struct ui *u, const char *user, unsigned failures)
{
	struct auth_account	*a = NULL;
	unsigned		 wait = auth_delay(failures), w;

	if (auth_account_get(u->st, user, &a, NULL) == NCEN_OK &&
	    (w = auth_password_wait(a, auth_now())) > wait)
		wait = w;
	auth_account_free(a);
	for (; wait > 0; wait--) {
		ui_status(u, _("The next try in %u s..."), wait);
		refresh();
		napms(1000);
	}
	move(LINES - 2, 0);
	clrtoeol();
}

/* Set *msg to a refusal in words: "Refused: why." */
static void
ui_signin_refused(struct buf *msg, const struct ncen_err *e)
{
	buf_reset(msg);
	buf_addf(msg, _("Refused: %s."), ncen_err_msg(e));
}

/*
 * End the session from a lock: save the draft through the hang-up hook,
 * leave curses, say why on the terminal, close the store and exit.
 */
static void ui_signin_end(struct ui *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
ui_signin_end(struct ui *u, int status, const char *fmt, ...)
{
	va_list	ap;

	if (u->on_hangup != NULL)
		u->on_hangup(u->hangup_arg);
	u->on_hangup = NULL;
	ui_stop(u);
	fputs("ncen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ui_shutdown(u, status);
}

/*
 * The forced change: the new password twice, until the policy takes
 * it.  NCEN_OK when changed; an error when the officer goes back.
 */
static int
ui_signin_change(struct ui *u, struct auth_account *a, const char *old,
    struct ncen_err *e)
{
	struct buf	 pw = BUF_INIT, again = BUF_INIT, msg = BUF_INIT;
	struct buf	 rule = BUF_INIT;
	struct ncen_err	 err = NCEN_ERR_INIT;
	int		 r = NCEN_OK;

	buf_addf(&rule, _("At least %zu characters, and not containing your "
	    "user name."), auth_policy.min_length);
	for (;;) {
		ui_signin_page(u, _("Change your password"),
		    ui_signin_change_text, sizeof ui_signin_change_text /
		    sizeof ui_signin_change_text[0], rule.s, msg.s);
		if (!ui_prompt(u, _("New password:"), UI_SIGNIN_PWMAX, 1,
		    &pw)) {
			r = ncen_err_set(e, NCEN_EINVALID, "%s", _("the "
			    "password must be changed before signing in"));
			break;
		}
		if (!ui_prompt(u, _("The new password again:"),
		    UI_SIGNIN_PWMAX, 1, &again))
			continue;
		if (strcmp(buf_cstr(&pw), buf_cstr(&again)) != 0) {
			buf_reset(&msg);
			buf_adds(&msg, _("The two passwords differ: type them "
			    "again."));
			continue;
		}
		/* The policy first: it answers at once, the hash does not. */
		if (auth_password_check(a->name, buf_cstr(&pw), &err) !=
		    NCEN_OK) {
			ui_signin_refused(&msg, &err);
			ncen_err_clear(&err);
			continue;
		}
		ui_signin_checking();
		if (auth_password_change(u->st, a->name, old, buf_cstr(&pw),
		    &err) != NCEN_OK) {
			ui_signin_refused(&msg, &err);
			ncen_err_clear(&err);
			continue;
		}
		a->must_change = 0;
		ui_status(u, "%s", _("Your password was changed."));
		break;
	}
	ui_signin_wipe(&pw);
	ui_signin_wipe(&again);
	buf_free(&pw);
	buf_free(&again);
	buf_free(&msg);
	buf_free(&rule);
	ncen_err_free(&err);
	return r;
}

/*
 * Console sign-in: ask a user name and a password, at most
 * UI_SIGNIN_TRIES times, then force a change if an administrator set
 * the password.  Sets u->acct; an error when no one signed in.
 */
int
ui_signin(struct ui *u, struct ncen_err *e)
{
	struct auth_account	*a = NULL;
	struct buf		 user = BUF_INIT, pw = BUF_INIT, msg = BUF_INIT;
	struct ncen_err		 err = NCEN_ERR_INIT;
	int			 tries = 0, r = NCEN_OK;
	unsigned		 wrong = 0;	/* in a row, this session */

	while (a == NULL) {
		if (tries == UI_SIGNIN_TRIES) {
			r = ncen_err_set(e, NCEN_EINVALID, _("%d sign-ins "
			    "failed; the last: %s"), UI_SIGNIN_TRIES,
			    ncen_err_msg(&err));
			goto out;
		}
		ui_signin_page(u, _("Sign in"), ui_signin_text,
		    sizeof ui_signin_text / sizeof ui_signin_text[0], NULL,
		    msg.s);
		if (!ui_prompt(u, _("User name:"), AUTH_NAME_MAX, 0, &user)) {
			r = ncen_err_set(e, NCEN_EINVALID, "%s", _("no one "
			    "signed in"));
			goto out;
		}
		if (user.len == 0)
			continue;
		if (!ui_prompt(u, _("Password:"), UI_SIGNIN_PWMAX, 1, &pw))
			continue;
		tries++;
		ui_signin_checking();
		if (auth_signin_password(u->st, buf_cstr(&user),
		    buf_cstr(&pw), &a, &err) != NCEN_OK) {
			ui_signin_wipe(&pw);
			ui_signin_refused(&msg, &err);
			if (tries == UI_SIGNIN_TRIES)
				continue;
			ui_signin_page(u, _("Sign in"), ui_signin_text,
			    sizeof ui_signin_text / sizeof ui_signin_text[0],
			    NULL, msg.s);
			ui_signin_delay(u, buf_cstr(&user), ++wrong);
		}
	}
	/* The loop leaves with an account (or goes out): cppcheck misses it. */
	/* cppcheck-suppress nullPointerRedundantCheck */
	if (a->must_change && (r = ui_signin_change(u, a, buf_cstr(&pw),
	    e)) != NCEN_OK) {
		auth_account_free(a);
		goto out;
	}
	u->acct = a;
out:
	ui_signin_wipe(&pw);
	buf_free(&pw);
	buf_free(&user);
	buf_free(&msg);
	ncen_err_free(&err);
	return r;
}

/*
 * Ask the signed-in user's password until it is right.  Back signs out
 * and a failure that locks the account ends the session, both after
 * saving the draft.
 */
static void
ui_signin_unlock(struct ui *u)
{
	struct auth_account	*a = NULL;
	struct buf		 pw = BUF_INIT, msg = BUF_INIT, who = BUF_INIT;
	struct ncen_err		 err = NCEN_ERR_INIT;
	const char		*name = u->acct->name;
	unsigned		 wrong = 0;
	int			 rc;

	buf_addf(&who, _("Signed in as %s."), name);
	for (;;) {
		ui_signin_page(u, _("Locked"), ui_signin_lock_text,
		    sizeof ui_signin_lock_text / sizeof ui_signin_lock_text[0],
		    who.s, msg.s);
		if (!ui_prompt(u, _("Password:"), UI_SIGNIN_PWMAX, 1, &pw))
			ui_signin_end(u, 0, "%s", _("signed out at the lock "
			    "screen; your typing was saved as a draft."));
		if (pw.len == 0)
			continue;
		ui_signin_checking();
		rc = auth_signin_password(u->st, name, buf_cstr(&pw), &a,
		    &err);
		ui_signin_wipe(&pw);
		auth_account_free(a);
		a = NULL;
		if (rc == NCEN_OK)
			break;
		ui_signin_refused(&msg, &err);
		ncen_err_clear(&err);
		/* Too many failures lock the password: the session ends. */
		if (auth_account_get(u->st, name, &a, &err) == NCEN_OK &&
		    auth_password_usable(a, auth_now(), 0, &err) != NCEN_OK)
			ui_signin_end(u, 1, _("%s; your typing was saved as a "
			    "draft."), ncen_err_msg(&err));
		auth_account_free(a);
		a = NULL;
		ncen_err_clear(&err);
		ui_signin_page(u, _("Locked"), ui_signin_lock_text,
		    sizeof ui_signin_lock_text / sizeof ui_signin_lock_text[0],
		    who.s, msg.s);
		ui_signin_delay(u, name, ++wrong);
	}
	buf_free(&pw);
	buf_free(&msg);
	buf_free(&who);
	ncen_err_free(&err);
}

/* The screen under the lock and the hang-up hook of the screen locked. */
struct ui_signin_under {
	WINDOW		*saved;
	ui_hangup_fn	 fn;
	void		*arg;
};

/*
 * A hang-up (or a lock-out) at the lock: put the screen back before
 * the locked screen's hook saves its draft, because a form's fields
 * are read back from their windows, which the lock drew over.
 */
static void
ui_signin_lock_hangup(void *arg)
{
	struct ui_signin_under	*under = arg;

	if (under->saved != NULL)
		overwrite(under->saved, stdscr);
	under->fn(under->arg);
}

/*
 * The idle hook (ui_key calls it after u->idle seconds without a key):
 * cover the screen with the lock, and put the screen back after the
 * password.  An account without a password (signed in by SSH key)
 * cannot unlock: its session saves the draft and ends.
 */
void
ui_signin_lock(struct ui *u)
{
	struct ui_signin_under	 under;
	ui_idle_fn		 fn = u->on_idle;
	unsigned		 idle = u->idle;
	int			 y, x, cursor;

	if (u->acct == NULL)		/* still signing in */
		return;
	if (u->acct->iterations == 0)
		ui_signin_end(u, 0, _("the session was idle for %u seconds "
		    "and has ended; your typing was saved as a draft.  Sign "
		    "in again to go on."), idle);
	getyx(stdscr, y, x);
	cursor = curs_set(0);
	under.saved = dupwin(stdscr);
	under.fn = u->on_hangup;
	under.arg = u->hangup_arg;
	if (under.fn != NULL)
		ui_set_hangup(u, ui_signin_lock_hangup, &under);
	u->on_idle = NULL;		/* no lock over the lock */
	u->idle = 0;
	ui_signin_unlock(u);
	u->on_idle = fn;
	u->idle = idle;
	ui_set_hangup(u, under.fn, under.arg);
	if (under.saved != NULL) {
		overwrite(under.saved, stdscr);
		delwin(under.saved);
	}
	move(y, x);
	if (cursor != ERR)
		curs_set(cursor);
	/* Every screen gets UI_OP_REDRAW next; repaint all of it once. */
	clearok(curscr, TRUE);
	refresh();
}

/*
 * How long a session may stay idle before it locks: the --idle value,
 * else $NCEN_IDLE, else UI_SIGNIN_IDLE seconds; 0 never locks.
 */
int
ui_signin_idle(struct ui *u, const char *arg, struct ncen_err *e)
{
	const char	*v = arg != NULL ? arg : getenv("NCEN_IDLE");
	char		*end;
	unsigned long	 n = UI_SIGNIN_IDLE;

	if (v != NULL && *v != '\0') {
		n = strtoul(v, &end, 10);
		if (*v < '0' || *v > '9' || *end != '\0' ||
		    n > UI_SIGNIN_IDLE_MAX)
			return ncen_err_set(e, NCEN_EUSAGE, _("bad idle time "
			    "'%s': give seconds, from 0 (never lock) to %d"),
			    v, UI_SIGNIN_IDLE_MAX);
	}
	u->idle = (unsigned)n;
	u->on_idle = n != 0 ? ui_signin_lock : NULL;
	return NCEN_OK;
}

/* Whether the signed-in account sees a record (auth_see; not in a run). */
int
ui_sees(const struct ui *u, const struct record *r)
{
	return u->acct != NULL && auth_sees(u->st, NULL, u->acct, r);
}

/* Whether the signed-in account may take an action on a record. */
int
ui_may(const struct ui *u, enum auth_action a, const struct record *r)
{
	return u->acct != NULL && auth_may(u->acct, a, r);
}
