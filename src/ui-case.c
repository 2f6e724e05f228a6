/* ui-case.c - placeholder until the case screen lands (this session). */
#include "ui.h"
#include "ui-screens.h"

/* Not built yet. */
void
ui_case(struct ui *u, uint64_t id)
{
	ui_view(u, "case", id);
}
