/*
 * i18n.c - the locale and the message catalogue.
 */
#include <locale.h>
#include <stdlib.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif

/*
 * Take the locale from the environment and bind ncen's catalogue;
 * NCEN_LOCALEDIR overrides the installed directory (tests use the
 * build tree's catalogue).
 */
void
i18n_init(void)
{
	(void)setlocale(LC_ALL, "");
#if defined(ENABLE_NLS) && ENABLE_NLS
	{
		const char	*dir = getenv("NCEN_LOCALEDIR");

		(void)bindtextdomain(PACKAGE, dir != NULL && *dir != '\0' ?
		    dir : LOCALEDIR);
		(void)bind_textdomain_codeset(PACKAGE, "UTF-8");
		(void)textdomain(PACKAGE);
	}
#endif
}
