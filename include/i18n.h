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

/* Bind the text domain once, at the start of a program. */
void	i18n_init(void);

#endif
