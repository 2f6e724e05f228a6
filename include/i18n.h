/*
 * i18n.h - program strings through gettext.
 *
 * Every string a program shows a person goes through _() (or N_() where
 * it sits in a static table and is translated when shown).  Form labels
 * and help are not program strings: they come from the form files in
 * the officer's language (schema_label).  Without NLS the macros leave
 * the English text as it is.
 */
#ifndef NCEN_I18N_H
#define NCEN_I18N_H

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#if defined(ENABLE_NLS) && ENABLE_NLS
#include <libintl.h>
#define _(s)		gettext(s)
#define ngettext_(s, p, n) ngettext(s, p, n)
#else
#define _(s)		((const char *)(s))
#define ngettext_(s, p, n) ((n) == 1 ? (const char *)(s) : (const char *)(p))
#endif
#define N_(s)		s
/*
 * NC_(context, s) marks a short string whose msgid alone would mean
 * several things (a key letter): the catalogue holds it with its
 * context, i18n_ctx() translates it when shown.
 */
#define NC_(c, s)	c "\004" s

/* A string marked with NC_(), translated, or its English text. */
const char	*i18n_ctx(const char *);

/* Bind the text domain once, at the start of a program. */
void	i18n_init(void);
/* The languages of labels, in the order of enum schema_lang (schema.h). */
enum i18n_lang {
	I18N_EN = 0,
	I18N_FR
};

/*
 * The language of form and code labels, from LC_ALL, LC_MESSAGES or
 * LANG: an enum i18n_lang, I18N_FR for French.
 */
int	i18n_lang(void);

#endif
