/*
 * i18n.c - the locale and the message catalogue.
 */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
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

#if defined(ENABLE_NLS) && ENABLE_NLS
/*
 * Where the catalogues are: NCEN_LOCALEDIR; else, for a program run
 * from its build tree (BUILD/src/ncen, BUILD holding config.status), the
 * build's BUILD/locale; else the installed LOCALEDIR.
 */
static const char *
i18n_dir(struct buf *b)
{
	const char	*dir = getenv("NCEN_LOCALEDIR");
	char		 self[PATH_MAX], *slash;
	ssize_t		 n;
	int		 up;

	if (dir != NULL && *dir != '\0')
		return dir;
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) <= 0)
		return LOCALEDIR;
	self[n] = '\0';
	for (up = 0; up < 2; up++) {
		if ((slash = strrchr(self, '/')) == NULL)
			return LOCALEDIR;
		*slash = '\0';
	}
	buf_addf(b, "%s/config.status", self);
	if (access(buf_cstr(b), F_OK) != 0)
		return LOCALEDIR;
	buf_reset(b);
	buf_addf(b, "%s/locale", self);
	return buf_cstr(b);
}
#endif

/* Take the locale from the environment and bind ncen's catalogue. */
void
i18n_init(void)
{
	if (setlocale(LC_ALL, "") == NULL)
		i18n_fallback();
	/* Numbers keep the point that forms, CSV and dumps use. */
	(void)setlocale(LC_NUMERIC, "C");
#if defined(ENABLE_NLS) && ENABLE_NLS
	{
		struct buf	b = BUF_INIT;

		/* bindtextdomain keeps its own copy of the directory. */
		(void)bindtextdomain(PACKAGE, i18n_dir(&b));
		(void)bind_textdomain_codeset(PACKAGE, "UTF-8");
		(void)textdomain(PACKAGE);
		buf_free(&b);
	}
#endif
}

/* A string marked with NC_(): its translation, or the text after the context. */
const char *
i18n_ctx(const char *id)
{
	const char	*t = _(id), *eot;

	if (t == id && (eot = strchr(id, '\004')) != NULL)
		return eot + 1;
	return t;
}

/* The language of labels, from LC_ALL, LC_MESSAGES or LANG. */
int
i18n_lang(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		v = getenv(vars[i]);
		if (v != NULL && *v != '\0')
			return strncmp(v, "fr", 2) == 0 ? I18N_FR : I18N_EN;
	}
	return I18N_EN;
}
