/*
 * ui-menu.c - the main menu.
 *
 * A table of entries, each with the form it lists and the action a role
 * needs to see it: an entry whose feature is not built, whose form is
 * not in this data directory, or that the account's roles may not use,
 * is not shown (no dead entries).  Built on the ncurses menu library.
 */
#include <curses.h>
#include <menu.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "i18n.h"
#include "schema.h"
#include "ui.h"
#include "ui-screens.h"
#include "xmalloc.h"

struct ui_menu_entry {
	const char		*label;		/* N_() */
	const char		*entity;	/* the form it lists, or NULL */
	void			(*screen)(struct ui *);	/* or this screen */
	enum auth_action	 need;
	const char		*key;		/* its letter: NC_() */
	/* or the label in words, computed each time the menu is shown */
	void			(*label_fn)(struct ui *, struct buf *);
};

/*
 * The main menu, in the order ncen(1) lists it.  An entry's letter is a
 * letter of its label, so it is translated with it: a French officer
 * types a letter of the word he reads (each must stay unique).
 */
static const struct ui_menu_entry ui_menu_table[] = {
	{ N_("Cases"), "case", NULL, AUTH_VIEW,
	  /* TRANSLATORS: the letter that opens an entry, a letter of the
	     entry's label; each entry's letter must differ. */
	  NC_("main menu letter", "c"), NULL },
	{ N_("My work"), "case", ui_mywork, AUTH_CREATE,
	  NC_("main menu letter", "k"), NULL },
	{ N_("Cases to validate"), "case", ui_queue, AUTH_VALIDATE,
	  NC_("main menu letter", "d"), ui_queue_label },
	{ N_("Persons"), "person", NULL, AUTH_VIEW,
	  NC_("main menu letter", "p"), NULL },
	{ N_("Businesses"), "business", NULL, AUTH_VIEW,
	  NC_("main menu letter", "b"), NULL },
	{ N_("Conveyances"), "conveyance", NULL, AUTH_VIEW,
	  NC_("main menu letter", "v"), NULL },
	{ N_("Investigations"), "investigation", NULL, AUTH_VIEW,
	  NC_("main menu letter", "i"), NULL },
	{ N_("Search"), NULL, ui_search, AUTH_VIEW,
	  NC_("main menu letter", "s"), NULL },
	{ N_("Messages"), "message", ui_messages, AUTH_VIEW,
	  NC_("main menu letter", "m"), ui_messages_label },
	{ N_("Alerts"), "alert", ui_alerts, AUTH_VIEW,
	  NC_("main menu letter", "l"), ui_alerts_label },
	{ N_("Partners"), NULL, ui_partners, AUTH_PARTNERS,
	  NC_("main menu letter", "t"), NULL },
	{ N_("Retention review"), NULL, ui_retention, AUTH_RETENTION,
	  NC_("main menu letter", "r"), NULL },
	{ N_("Statistics and charts"), NULL, ui_stats, AUTH_STATS,
	  NC_("main menu letter", "h"), NULL },
	{ N_("Administration: accounts"), NULL, ui_admin, AUTH_ACCOUNTS,
	  NC_("main menu letter", "a"), NULL },
	{ N_("Statistical return (short form)"), "statcase", ui_statcase,
	  AUTH_CREATE, NC_("main menu letter", "u"), NULL },
};
#define UI_MENU_N (sizeof ui_menu_table / sizeof ui_menu_table[0])

static const char ui_menu_help[] = N_(
    "The main menu lists what your roles let you open.  Move with Up and "
    "Down (or type the letter in front of an entry) and press Enter.  ^X or ESC ESC "
    "signs out.\n\n"
    "Every list can be sorted by its indexed fields (^T), filtered by "
    "typing (^F) and paged (PgUp, PgDn, ^O to go to a page).  Enter opens "
    "a record; ^N creates one.");

/* An entry's letter in the reader's language, as a wide character. */
static wint_t
ui_menu_letter(const struct ui_menu_entry *m)
{
	const char	*s = i18n_ctx(m->key);
	mbstate_t	 ps;
	wchar_t		 wc;

	memset(&ps, 0, sizeof ps);
	if (mbrtowc(&wc, s, strlen(s), &ps) > (size_t)-3 || wc == L'\0')
		return (wint_t)(unsigned char)*i18n_ctx(m->key);
	return (wint_t)wc;
}

/* Whether an entry is shown to this account in this data directory. */
static int
ui_menu_shown(struct ui *u, const struct ui_menu_entry *m)
{
	if (m->entity != NULL && schema_form_find(u->schema, m->entity) ==
	    NULL)
		return 0;
	return (auth_roles_allowed(m->need) & u->acct->roles) != 0;
}

/* Open what an entry leads to. */
static void
ui_menu_open(struct ui *u, const struct ui_menu_entry *m)
{
	ui_status(u, "%s", "");
	if (m->screen != NULL)
		m->screen(u);
	else
		ui_list(u, m->entity);
}

/* Draw the frame around the menu. */
static void
ui_menu_frame(struct ui *u)
{
	static const enum ui_op	ops[] = { UI_OP_HELP, UI_OP_BACK };

	erase();
	ui_title(u, "%s", _("Main menu"));
	ui_keys(u, ops, sizeof ops / sizeof ops[0]);
	if (u->status != NULL)
		ui_status(u, "%s", u->status);
}

/* Make the menu of the entries shown, labels as they are now. */
static MENU *
ui_menu_build(struct ui *u, const struct ui_menu_entry *const *shown,
    size_t n, ITEM **items, char **names, WINDOW *sub, int cur)
{
	MENU	*menu;
	size_t	 i;

	for (i = 0; i < n; i++) {
		struct buf	b = BUF_INIT;

		buf_addf(&b, "%s  ", i18n_ctx(shown[i]->key));
		if (shown[i]->label_fn != NULL)
			shown[i]->label_fn(u, &b);
		else
			buf_adds(&b, _(shown[i]->label));
		names[i] = buf_detach(&b);
		items[i] = new_item(names[i], "");
	}
	items[n] = NULL;
	menu = new_menu(items);
	set_menu_mark(menu, "> ");
	set_menu_win(menu, stdscr);
	set_menu_sub(menu, sub);
	if (cur > 0 && (size_t)cur < n)
		set_current_item(menu, items[cur]);
	return menu;
}

/* Free a menu and its items. */
static void
ui_menu_free(MENU *menu, ITEM **items, char **names, size_t n)
{
	size_t	i;

	free_menu(menu);
	for (i = 0; i < n; i++) {
		free_item(items[i]);
		free(names[i]);
	}
}

/*
 * Move in the menu, or open the entry chosen with Enter or its letter
 * (1: the menu is built again after it).
 */
static int
ui_menu_key(struct ui *u, MENU *menu, const struct ui_menu_entry **shown,
    ITEM **items, size_t n, const struct ui_keypress *k)
{
	size_t	i;

	if (k->op != UI_OP_NONE) {
		beep();
		return 0;
	}
	if (k->fkey && k->key == KEY_DOWN)
		menu_driver(menu, REQ_DOWN_ITEM);
	else if (k->fkey && k->key == KEY_UP)
		menu_driver(menu, REQ_UP_ITEM);
	else if (k->key == '\r' || (k->fkey && k->key == KEY_ENTER)) {
		i = (size_t)item_index(current_item(menu));
		unpost_menu(menu);
		ui_menu_open(u, shown[i]);
		return 1;
	} else if (!k->fkey) {
		for (i = 0; i < n && ui_menu_letter(shown[i]) != k->key; i++)
			;
		if (i == n) {
			beep();
			return 0;
		}
		set_current_item(menu, items[i]);
		unpost_menu(menu);
		ui_menu_open(u, shown[i]);
		return 1;
	}
	return 0;
}

/* Run the main menu until the officer signs out. */
void
ui_menu(struct ui *u)
{
	const struct ui_menu_entry	*shown[UI_MENU_N];
	ITEM				*items[UI_MENU_N + 1];
	char				*names[UI_MENU_N];
	MENU				*menu;
	WINDOW				*sub;
	struct ui_keypress		 k;
	const struct ui_common		 common = { N_("Help: main menu"),
					     ui_menu_help, NULL, NULL, NULL };
	enum ui_common_res		 c;
	size_t				 n = 0, i;
	int				 done = 0, cur;

	for (i = 0; i < UI_MENU_N; i++)
		if (ui_menu_shown(u, &ui_menu_table[i]))
			shown[n++] = &ui_menu_table[i];
	sub = derwin(stdscr, (int)n + 1, 40, 3, 4);
	menu = ui_menu_build(u, shown, n, items, names, sub, 0);
	ui_menu_frame(u);
	post_menu(menu);
	while (!done) {
		ui_key(u, &k);
		c = ui_common_key(u, &k, &common);
		if (c == UI_COMMON_BACK) {
			done = 1;
			continue;
		}
		if (c == UI_COMMON_OTHER &&
		    !ui_menu_key(u, menu, shown, items, n, &k))
			continue;
		unpost_menu(menu);
		cur = item_index(current_item(menu));
		ui_menu_free(menu, items, names, n);
		menu = ui_menu_build(u, shown, n, items, names, sub, cur);
		ui_menu_frame(u);
		post_menu(menu);
	}
	unpost_menu(menu);
	ui_menu_free(menu, items, names, n);
	delwin(sub);
}
