/*
 * ui-partner.c - Partners: for the NCP (AUTH_PARTNERS), each partner
 * node with what the uploader last noted for it — entries queued, in
 * flight, the last success and the last error in words — partners
 * that keep failing marked with "!", and (Enter) the agreements with
 * the selected partner; ^N adds one, ^D ends one.
 *
 * Everything is read from the database (store-partner.h), where ncenctl
 * and ncen-icomm write it, and agreements are added and ended through
 * the functions ncenctl agreement uses; ncen opens no socket.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "buf.h"
#include "i18n.h"
#include "store-partner.h"
#include "ui.h"
#include "ui-rows.h"
#include "ui-screens.h"

#define UI_PARTNER_FAILING	3	/* failures in a row that mark one */
#define UI_PARTNER_ROWS		3	/* screen rows per partner */

struct ui_partners {
	struct ui		*u;
	struct store_partner	*v;
	size_t			 n;
	size_t			 cur;		/* the selected one, for act */
};

static const char ui_partner_help[] = N_(
    "Partners: the partner nodes this node exchanges with, and what "
    "ncen-icomm last noted for each: the entries queued in the outbox, "
    "those in the batch being sent, the last success and the last error. "
    "A partner marked ! has failed three times or more in a row: its "
    "link, its web server or its certificate needs looking at.\n\n"
    "Enter shows the selected partner's last error in full and the "
    "agreements with it (legal basis, direction, commodity groups, "
    "level, validity).  ^L reads the status again.  ^N adds an agreement "
    "with the selected partner: its legal basis, direction, highest "
    "level, commodity groups and validity dates.  ^D ends one from now "
    "on.  Both are audited.  Partners are registered with ncenctl "
    "partner.");

/* A time in UTC words, or "never". */
static void
ui_partner_time(int64_t t, struct buf *b)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		s[32];

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(s, sizeof s, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		buf_adds(b, _("never"));
	else
		buf_adds(b, s);
}

/* (Re)read the partners (ui_rows_screen.load). */
static size_t
ui_partners_load(void *arg)
{
	struct ui_partners	*p = arg;
	struct ncen_err		 e = NCEN_ERR_INIT;

	store_partner_free(p->v, p->n);
	p->v = NULL;
	p->n = 0;
	if (store_partner_list(p->u->st, 1, &p->v, &p->n, &e) != NCEN_OK)
		ui_error(p->u, &e);
	ncen_err_free(&e);
	return p->n;
}

/* The last error of a partner in words: when, how many, what. */
static void
ui_partner_error(const struct store_partner *s, struct buf *b)
{
	if (s->last_error == NULL) {
		buf_adds(b, _("last error never"));
		return;
	}
	buf_adds(b, _("last error "));
	ui_partner_time(s->last_error_at, b);
	buf_addf(b, _(" (failures in a row: %u):"), s->failures);
}

/* Draw one partner on UI_PARTNER_ROWS rows from y (ui_rows_screen.item). */
static void
ui_partners_item(void *arg, size_t i, int y, int sel)
{
	const struct ui_partners	*p = arg;
	const struct store_partner	*s = &p->v[i];
	struct buf			 b = BUF_INIT;

	ui_sel(p->u, y, sel);
	mvaddstr(y, 1, s->failures >= UI_PARTNER_FAILING ? "!" : " ");
	buf_addf(&b, "%s (%s)  ", s->id, store_role_name(s->role));
	buf_addf(&b, _("queued %llu, in flight %llu"),
	    (unsigned long long)s->queued, (unsigned long long)s->inflight);
	ui_text_put(y, 3, buf_cstr(&b), COLS - 4, 1);
	buf_reset(&b);
	buf_adds(&b, _("last success "));
	ui_partner_time(s->last_success, &b);
	buf_adds(&b, "; ");
	ui_partner_error(s, &b);
	ui_text_put(y + 1, 5, buf_cstr(&b), COLS - 6, 1);
	ui_text_put(y + 2, 7, s->last_error != NULL ? s->last_error : "",
	    COLS - 8, 1);
	ui_sel_end(p->u, sel);
	buf_free(&b);
}

/* Title, "no partners" and key line (ui_rows_screen.frame). */
static void
ui_partners_frame(void *arg, size_t n)
{
	static const enum ui_op	 ops[] = { UI_OP_HELP, UI_OP_REDRAW,
	    UI_OP_NEW, UI_OP_DELETE, UI_OP_BACK };
	struct ui_partners	*p = arg;

	ui_title(p->u, _("Partners (%zu)"), n);
	if (n == 0)
		ui_text_put(2, 3, _("No partners: ncenctl partner add "
		    "registers one."), COLS - 4, 0);
	ui_keys(p->u, ops, sizeof ops / sizeof ops[0]);
}

/* Show the agreements with the selected partner. */
static void
ui_partners_agreements(struct ui_partners *p)
{
	struct store_agreement	*a = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 t = BUF_INIT, title = BUF_INIT, g = BUF_INIT;
	const char		*id;
	size_t			 n = 0, i, j;

	if (p->n == 0)
		return;
	id = p->v[p->cur].id;
	if (store_agreement_list(p->u->st, id, &a, &n, &e) != NCEN_OK) {
		ui_error(p->u, &e);
		goto out;
	}
	buf_addf(&t, "%s (%s) %s\n", id,
	    store_role_name(p->v[p->cur].role), p->v[p->cur].url);
	ui_partner_error(&p->v[p->cur], &t);
	buf_addf(&t, "\n  %s\n\n", p->v[p->cur].last_error != NULL ?
	    p->v[p->cur].last_error : "");
	if (n == 0)
		buf_adds(&t, _("No agreement with this partner: nothing is "
		    "shared with it or accepted from it."));
	for (i = 0; i < n; i++) {
		buf_addf(&t, _("Agreement %llu: %s\n"),
		    (unsigned long long)a[i].id, a[i].basis);
		buf_reset(&g);
		for (j = 0; j < a[i].ngroups; j++)
			buf_addf(&g, "%s%s", j > 0 ? " " : "", a[i].groups[j]);
		buf_addf(&t, _("  direction %s, level %s, groups %s\n"),
		    store_dir_name(a[i].dir), schema_share_name(a[i].level),
		    g.len > 0 ? buf_cstr(&g) : _("all"));
		buf_addf(&t, _("  valid from %s to %s"), a[i].from, a[i].to);
		if (a[i].ended != 0) {
			buf_adds(&t, _(", ended "));
			ui_partner_time(a[i].ended, &t);
		}
		buf_adds(&t, "\n\n");
	}
	buf_addf(&title, _("Partner %s"), id);
	ui_pager(p->u, buf_cstr(&title), buf_cstr(&t));
out:
	store_agreement_free(a, n);
	buf_free(&t);
	buf_free(&title);
	buf_free(&g);
	ncen_err_free(&e);
}

/* Add an agreement with the selected partner, asked field by field. */
static void
ui_partners_add(struct ui_partners *p)
{
	struct store_agreement_add	 a;
	struct ncen_err			 e = NCEN_ERR_INIT;
	struct buf			 basis = BUF_INIT, dir = BUF_INIT;
	struct buf			 level = BUF_INIT, groups = BUF_INIT;
	struct buf			 from = BUF_INIT, to = BUF_INIT;
	char				*gv[64], *w;
	uint64_t			 id;
	size_t				 ng = 0;

	if (p->n == 0)
		return;
	memset(&a, 0, sizeof a);
	if (ui_prompt(p->u, _("Legal basis (title and date):"), 200, 0,
	    &basis) != 1 ||
	    ui_prompt(p->u, _("Direction (in, out or both):"), 4, 0,
	    &dir) != 1 ||
	    ui_prompt(p->u, _("Highest level (partner or cen):"), 7, 0,
	    &level) != 1 ||
	    ui_prompt(p->u, _("Commodity groups (codes, blank for all):"),
	    200, 0, &groups) != 1 ||
	    ui_prompt(p->u, _("Valid from (YYYY-MM-DD):"), 10, 0,
	    &from) != 1 ||
	    ui_prompt(p->u, _("Valid to (YYYY-MM-DD):"), 10, 0, &to) != 1)
		goto out;
	if (store_dir_parse(buf_cstr(&dir), &a.dir) != 0)
		a.dir = 0;		/* refused below, in words */
	a.level = strcmp(buf_cstr(&level), "partner") == 0 ? SCHEMA_PARTNER :
	    strcmp(buf_cstr(&level), "cen") == 0 ? SCHEMA_CEN : SCHEMA_LOCAL;
	w = groups.len > 0 ? strtok(groups.s, " ,") : NULL;
	for (; w != NULL && ng < sizeof gv / sizeof gv[0];
	    w = strtok(NULL, " ,"))
		gv[ng++] = w;
	a.partner = p->v[p->cur].id;
	a.basis = buf_cstr(&basis);
	a.groups = gv;
	a.ngroups = ng;
	a.from = buf_cstr(&from);
	a.to = buf_cstr(&to);
	if (store_agreement_add(p->u->st, p->u->acct->name, &a, &id, &e) !=
	    NCEN_OK)
		ui_error(p->u, &e);
	else
		ui_status(p->u, _("Agreement %llu added with %s."),
		    (unsigned long long)id, a.partner);
out:
	buf_free(&basis);
	buf_free(&dir);
	buf_free(&level);
	buf_free(&groups);
	buf_free(&from);
	buf_free(&to);
	ncen_err_free(&e);
}

/* End one of the selected partner's agreements, after a question. */
static void
ui_partners_end(struct ui_partners *p)
{
	struct store_agreement	*a = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 ans = BUF_INIT, q = BUF_INIT;
	unsigned long long	 id;
	char			*end;
	size_t			 n = 0, i;

	if (p->n == 0)
		return;
	if (store_agreement_list(p->u->st, p->v[p->cur].id, &a, &n, &e) !=
	    NCEN_OK) {
		ui_error(p->u, &e);
		goto out;
	}
	buf_addf(&q, _("End which agreement with %s (number)?"),
	    p->v[p->cur].id);
	if (ui_prompt(p->u, buf_cstr(&q), 20, 0, &ans) != 1 || ans.len == 0)
		goto out;
	id = strtoull(buf_cstr(&ans), &end, 10);
	for (i = 0; i < n && a[i].id != id; i++)
		;
	if (*end != '\0' || i == n) {
		ui_status_error(p->u, _("%s has no agreement %s."),
		    p->v[p->cur].id, buf_cstr(&ans));
		goto out;
	}
	buf_reset(&q);
	buf_addf(&q, _("End agreement %llu (%s) from now on? (y/n)"), id,
	    a[i].basis);
	if (!ui_confirm(p->u, buf_cstr(&q)))
		goto out;
	if (store_agreement_end(p->u->st, p->u->acct->name, id, &e) !=
	    NCEN_OK)
		ui_error(p->u, &e);
	else
		ui_status(p->u, _("Agreement %llu ended."), id);
out:
	store_agreement_free(a, n);
	buf_free(&ans);
	buf_free(&q);
	ncen_err_free(&e);
}

/* Enter shows the agreements, ^N adds one, ^D ends one (act). */
static enum ui_rows_next
ui_partners_act(void *arg, const struct ui_keypress *k,
    const struct ui_rows *r)
{
	struct ui_partners	*p = arg;

	p->cur = r->cur;
	if (k->op == UI_OP_NONE)
		ui_partners_agreements(p);
	else if (k->op == UI_OP_NEW)
		ui_partners_add(p);
	else if (k->op == UI_OP_DELETE)
		ui_partners_end(p);
	else
		return UI_ROWS_STAY;
	return UI_ROWS_RELOAD;
}

/* The Partners screen, until the NCP goes back. */
void
ui_partners(struct ui *u)
{
	static const struct ui_rows_screen screen = {
		N_("Help: partners"), ui_partner_help, 2, UI_PARTNER_ROWS,
		ui_partners_load, ui_partners_frame, ui_partners_item,
		ui_partners_act,
	};
	struct ui_partners	p;

	memset(&p, 0, sizeof p);
	p.u = u;
	ui_rows(u, &screen, &p);
	store_partner_free(p.v, p.n);
}
