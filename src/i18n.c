/*
 * i18n.c - the locale and the message catalogue.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/share/locale"
#endif

/*
 * The environment names a locale this system has not generated (say
 * LANG=fr_FR.UTF-8 before locale-gen): keep UTF-8 through C.UTF-8 and
 * name the language to gettext through LANGUAGE, so that messages still
 * speak the language the form labels take from the same variables.
 */
static void
i18n_fallback(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v = NULL;
	char		 lang[3];
	size_t		 i;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		(void)setlocale(LC_ALL, "C");
	for (i = 0; i < sizeof vars / sizeof vars[0] && v == NULL; i++)
		if ((v = getenv(vars[i])) != NULL && *v == '\0')
			v = NULL;
	if (v == NULL || getenv("LANGUAGE") != NULL ||
	    strspn(v, "abcdefghijklmnopqrstuvwxyz") != 2)
		return;
	memcpy(lang, v, 2);
	lang[2] = '\0';
	(void)setenv("LANGUAGE", lang, 0);
}

/*
 * Take the locale from the environment and bind ncen's catalogue;
 * NCEN_LOCALEDIR overrides the installed directory (tests use the
 * build tree's catalogue).
 */
void
i18n_init(void)
{
	if (setlocale(LC_ALL, "") == NULL)
		i18n_fallback();
	/* Numbers keep the point that forms, CSV and dumps use. */
	(void)setlocale(LC_NUMERIC, "C");
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
