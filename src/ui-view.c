/* ui-view.c - placeholder until the record view lands (this session). */
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
void
ui_view(struct ui *u, const char *entity, uint64_t id)
{
	(void)id;
	ui_status_error(u, "%s: the record view is not built yet", entity);
}

/* Not built yet. */
void
ui_view_summary(struct ui *u, const struct record *r, struct buf *b)
{
	(void)u;
	buf_addf(b, "%s %llu", r->form->name, (unsigned long long)r->id);
}

/* Not built yet. */
void
ui_view_history(struct ui *u, const char *entity, uint64_t id)
{
	ui_view(u, entity, id);
}
