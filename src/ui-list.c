/* ui-list.c - placeholder until the list screen lands (this session). */
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
void
ui_list(struct ui *u, const char *entity)
{
	ui_status_error(u, "%s: the list screen is not built yet", entity);
}

/* Not built yet. */
int
ui_list_pick(struct ui *u, const char *entity, const char *title,
    uint64_t *id)
{
	(void)title;
	(void)id;
	ui_list(u, entity);
	return 0;
}
