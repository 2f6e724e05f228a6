/*
 * ui-admin.c - Administration: the accounts screen.
 *
 * For roles that may manage accounts (AUTH_ACCOUNTS): the accounts with
 * their roles, offices and state, and the changes ncenctl user makes —
 * add, change roles or offices, lock, unlock, set a password that must
 * be changed at the next sign-in.  Each line tells an administrator's
 * lock (key and password) from the password's lock after wrong
 * passwords (auth_account_describe).  Every change goes through auth-*.c,
 * which refuses what the role may not do and audits what it does.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"
#include "xmalloc.h"

struct ui_admin_row {
	char	*name;
	char	*line;		/* roles, offices, state */
};

struct ui_admin {
	struct ui		*u;
	struct ui_admin_row	*v;
	size_t			 n, cap;
	size_t			 cur;		/* the selected one, for act */
};

/* What ^A offers, one row per change. */
static const struct ui_admin_action {
	char		 key;
	const char	*what;		/* N_() */
} ui_admin_actions[] = {
	{ 'r', N_("r roles") },
	{ 'o', N_("o offices") },
	{ 'l', N_("l lock") },
	{ 'u', N_("u unlock") },
	{ 'p', N_("p password") },
};

static const char ui_admin_help[] = N_(
    "Accounts: every person who signs in to ncen, with their roles, the "
    "customs offices they are limited to (all when none), and their "
    "state: locked (by an administrator: neither the SSH key nor the "
    "password signs in), password-locked until a time (after wrong "
    "passwords; the SSH key still signs in), password to change, failed "
    "sign-ins in a row.\n\n"
    "^N adds an account: its password must be changed at the first "
    "sign-in.  ^A changes the selected account: its roles, its offices, "
    "lock, unlock (which lifts the password's lock too), or a new "
    "password.  Accounts are removed with ncenctl "
    "user del, which disables an account that records or the audit log "
    "name.  Every change is audited.");

/* Keep one account's line (auth_account_fn). */
static int
ui_admin_collect(const struct auth_account *a, void *arg)
{
	struct ui_admin	*ad = arg;
	struct buf	 b = BUF_INIT;

	if (ad->n == ad->cap) {
		ad->cap = ad->cap == 0 ? 32 : ad->cap * 2;
		ad->v = xreallocarray(ad->v, ad->cap, sizeof *ad->v);
	}
	auth_account_describe(a, auth_now(), &b);
	ad->v[ad->n].name = xstrdup(a->name);
	ad->v[ad->n].line = buf_detach(&b);
	ad->n++;
	return 0;
}

/* Forget the loaded accounts. */
static void
ui_admin_clear(struct ui_admin *ad)
{
	size_t	i;

	for (i = 0; i < ad->n; i++) {
		free(ad->v[i].name);
		free(ad->v[i].line);
	}
	ad->n = 0;
}

/* (Re)read the accounts (ui_rows_screen.load). */
static size_t
ui_admin_load(void *arg)
{
	struct ui_admin	*ad = arg;
	struct ncen_err	 e = NCEN_ERR_INIT;

	ui_admin_clear(ad);
	if (auth_account_list(ad->u->st, ui_admin_collect, ad, &e) != NCEN_OK)
		ui_error(ad->u, &e);
	ncen_err_free(&e);
	return ad->n;
}

/* Title, headings and key line (ui_rows_screen.frame). */
static void
ui_admin_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_NEW,
	    UI_OP_ACTION, UI_OP_BACK };
	struct ui_admin		*ad = arg;

	ui_title(ad->u, _("Accounts (%zu)"), n);
	attron(A_BOLD);
	ui_text_put(1, 2, _("Name"), 16, 1);
	ui_text_put(1, 20, _("Roles, offices and state"), COLS - 21, 0);
	attroff(A_BOLD);
	ui_keys(ad->u, ops, sizeof ops / sizeof ops[0]);
}

/* One account's row (ui_rows_screen.item). */
static void
ui_admin_item(void *arg, size_t i, int y, int sel)
{
	struct ui_admin	*ad = arg;

	ui_sel(ad->u, y, sel);
	addstr(" ");
	ui_text_put(y, 2, ad->v[i].name, 17, 1);
	ui_text_put(y, 20, ad->v[i].line, COLS - 21, 1);
	ui_sel_end(ad->u, sel);
}

/* Ask for a new password twice; 1 and the password when they agree. */
static int
ui_admin_password(struct ui *u, struct buf *pw)
{
	struct buf	again = BUF_INIT;
	int		ok = 0;

	if (ui_prompt(u, _("New password:"), 256, 1, pw) == 1 &&
	    ui_prompt(u, _("The same again:"), 256, 1, &again) == 1) {
		ok = pw->len == again.len && (pw->len == 0 ||
		    memcmp(pw->s, again.s, pw->len) == 0);
		if (!ok)
			ui_status_error(u, "%s", _("The two passwords differ; "
			    "nothing was changed."));
	}
	buf_free(&again);
	return ok;
}

/* Add an account: name, roles, offices, first password. */
static void
ui_admin_add(struct ui *u)
{
	struct buf	name = BUF_INIT, roles = BUF_INIT, offices = BUF_INIT;
	struct buf	pw = BUF_INIT;
	struct ncen_err	e = NCEN_ERR_INIT;

	if (ui_prompt(u, _("User name:"), AUTH_NAME_MAX, 0, &name) != 1 ||
	    ui_prompt(u, _("Roles (officer,supervisor,analyst,ncp,admin):"),
	    80, 0, &roles) != 1 ||
	    ui_prompt(u, _("Offices (blank for all):"), 200, 0,
	    &offices) != 1 || !ui_admin_password(u, &pw))
		goto out;
	if (auth_account_add(u->st, u->acct->name, buf_cstr(&name),
	    buf_cstr(&roles), buf_cstr(&offices), buf_cstr(&pw), &e) !=
	    NCEN_OK)
		ui_error(u, &e);
	else {
		ui_status(u, _("Account %s added; the password must be "
		    "changed at the first sign-in."), buf_cstr(&name));
	}
out:
	if (pw.s != NULL)
		memset(pw.s, 0, pw.len);
	buf_free(&pw);
	buf_free(&name);
	buf_free(&roles);
	buf_free(&offices);
	ncen_err_free(&e);
}

/* Change the selected account as the officer chooses. */
static void
ui_admin_change(struct ui *u, struct ui_admin *ad)
{
	struct buf		 q = BUF_INIT, a = BUF_INIT, v = BUF_INIT;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct auth_change	 c;
	const char		*name;
	size_t			 i;
	int			 r = -1;

	if (ad->n == 0)
		return;
	name = ad->v[ad->cur].name;
	buf_addf(&q, _("%s:"), name);
	for (i = 0; i < sizeof ui_admin_actions / sizeof ui_admin_actions[0];
	    i++)
		buf_addf(&q, " %s", _(ui_admin_actions[i].what));
	buf_adds(&q, " ?");
	if (ui_prompt(u, buf_cstr(&q), 1, 0, &a) != 1 || a.len == 0)
		goto out;
	memset(&c, 0, sizeof c);
	switch (a.s[0]) {
	case 'r':
		if (ui_prompt(u, _("Roles:"), 80, 0, &v) == 1) {
			c.roles = buf_cstr(&v);
			r = auth_account_mod(u->st, u->acct->name, name, &c,
			    &e);
		}
		break;
	case 'o':
		if (ui_prompt(u, _("Offices (blank for all):"), 200, 0,
		    &v) == 1) {
			c.offices = buf_cstr(&v);
			r = auth_account_mod(u->st, u->acct->name, name, &c,
			    &e);
		}
		break;
	case 'l':
		if (strcmp(name, u->acct->name) == 0) {
			ui_status_error(u, "%s", _("You cannot lock your own "
			    "account."));
			goto out;
		}
		/* FALLTHROUGH */
	case 'u':
		r = auth_account_lock(u->st, u->acct->name, name,
		    a.s[0] == 'l', &e);
		break;
	case 'p':
		if (ui_admin_password(u, &v))
			r = auth_account_passwd(u->st, u->acct->name, name,
			    buf_cstr(&v), &e);
		if (v.s != NULL)
			memset(v.s, 0, v.len);
		break;
	default:
		ui_status_error(u, _("'%s' is not one of the changes "
		    "offered."), buf_cstr(&a));
		goto out;
	}
	if (r == NCEN_OK)
		ui_status(u, _("Account %s changed."), name);
	else if (r > 0)
		ui_error(u, &e);
out:
	buf_free(&q);
	buf_free(&a);
	buf_free(&v);
	ncen_err_free(&e);
}

/* ^N adds an account, ^A changes the selected one (act). */
static enum ui_rows_next
ui_admin_act(void *arg, const struct ui_keypress *k, const struct ui_rows *r)
{
	struct ui_admin	*ad = arg;

	ad->cur = r->cur;
	if (k->op == UI_OP_NEW)
		ui_admin_add(ad->u);
	else if (k->op == UI_OP_ACTION)
		ui_admin_change(ad->u, ad);
	else
		return UI_ROWS_STAY;
	return UI_ROWS_RELOAD;
}

/* The accounts screen, until the officer goes back. */
void
ui_admin(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: accounts"), ui_admin_help, 2, 1,
		ui_admin_load, ui_admin_frame, ui_admin_item, ui_admin_act,
	};
	struct ui_admin	ad;

	memset(&ad, 0, sizeof ad);
	ad.u = u;
	ui_rows(u, &screen, &ad);
	ui_admin_clear(&ad);
	free(ad.v);
}
