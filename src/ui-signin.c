/* ui-signin.c - placeholder until console sign-in lands (this session). */
#include "i18n.h"
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
int
ui_signin(struct ui *u, struct ncen_err *e)
{
	(void)u;
	return ncen_err_set(e, NCEN_EUSAGE, "%s", _("console sign-in is "
	    "not built yet; sign in over SSH (ncen --as USER)"));
}

/* Not built yet. */
void
ui_signin_lock(struct ui *u)
{
	(void)u;
}

/* Whether the signed-in account may take an action on a record. */
int
ui_may(const struct ui *u, enum auth_action a, const struct record *r)
{
	return u->acct != NULL && auth_may(u->acct, a, r);
}
