/* ui-form.c - placeholder until the form screen lands (this session). */
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
int
ui_form_edit(struct ui *u, const char *entity, uint64_t id, uint64_t *saved)
{
	(void)id;
	(void)saved;
	ui_status_error(u, "%s: the form screen is not built yet", entity);
	return 0;
}

/* Not built yet. */
void
ui_form_drafts(struct ui *u)
{
	(void)u;
}
