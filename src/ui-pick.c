/* ui-pick.c - placeholder until the code picker lands (this session). */
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
int
ui_pick_code(struct ui *u, const struct schema_codelist *l,
    const char *start, struct buf *code)
{
	(void)start;
	(void)code;
	ui_status_error(u, "%s: the code picker is not built yet", l->name);
	return 0;
}
