/*
 * schema-load.c - a whole forms directory, checked as one schema.
 *
 * Files are read in name order, parsed by their suffix (.form or .codes)
 * and then cross-checked: a file's name matches what it declares, no
 * form or list is defined twice, every code:LIST names a loaded list and
 * every ref:ENTITY a loaded form.  The first problem found is returned
 * as "FILE:LINE:COL: expected ..., found ...".
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "schema.h"
#include "xmalloc.h"

#define SCHEMA_LOAD_MAXSIZE	(16 * 1024 * 1024)
#define SCHEMA_LOAD_MAXNAMES	12

/* What each file suffix holds. */
enum schema_load_kind {
	SCHEMA_LOAD_FORM,
	SCHEMA_LOAD_CODES,
};

static const struct {
	const char		*suffix;
	enum schema_load_kind	 kind;
} schema_load_suffixes[] = {
	{ ".form",	SCHEMA_LOAD_FORM },
	{ ".codes",	SCHEMA_LOAD_CODES },
};

/* The suffix table entry for a file name, or -1. */
static int
schema_load_kind(const char *path)
{
	size_t	k, n = strlen(path), s;

	for (k = 0; k < sizeof schema_load_suffixes /
	    sizeof schema_load_suffixes[0]; k++) {
		s = strlen(schema_load_suffixes[k].suffix);
		if (n > s && strcmp(path + n - s,
		    schema_load_suffixes[k].suffix) == 0)
			return (int)k;
	}
	return -1;
}

/* Read a whole file into b. */
static int
schema_load_read(const char *path, struct buf *b, struct ncen_err *err)
{
	FILE	*f;
	char	 chunk[8192];
	size_t	 n;
	int	 saved;

	if ((f = fopen(path, "rb")) == NULL) {
		saved = errno;
		return ncen_err_set(err, saved == ENOENT ? NCEN_ENOTFOUND :
		    NCEN_EIO, _("%s: cannot open: %s"), path, strerror(saved));
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > SCHEMA_LOAD_MAXSIZE) {
			fclose(f);
			return ncen_err_set(err, NCEN_EIO,
			    _("%s: expected at most "
			    "%d bytes, found more"), path, SCHEMA_LOAD_MAXSIZE);
		}
		buf_add(b, chunk, n);
	}
	if (ferror(f)) {
		saved = errno;
		fclose(f);
		return ncen_err_set(err, NCEN_EIO, _("%s: cannot read: %s"),
		    path,
		    strerror(saved));
	}
	fclose(f);
	return NCEN_OK;
}

/* The name a file's own name promises: "case" for "forms/case.form". */
static char *
schema_load_stem(const char *path)
{
	const char	*base = strrchr(path, '/'), *dot;

	base = base != NULL ? base + 1 : path;
	dot = strrchr(base, '.');
	return xstrndup(base, dot != NULL ? (size_t)(dot - base) : strlen(base));
}

/* Refuse a declared name that is not the file's own name. */
static int
schema_load_match_name(const char *path, const char *what, const char *name,
    unsigned line, unsigned col, struct ncen_err *err)
{
	char	*stem = schema_load_stem(path);
	int	 r = NCEN_OK;

	if (strcmp(stem, name) != 0) {
		r = ncen_err_set(err, NCEN_EPARSE,
		    _("%s:%u:%u: expected %s '%s' "
		    "(the file's name), found '%s'"), path, line, col, _(what),
		    stem, name);
	}
	free(stem);
	return r;
}

/* Parse one file into the schema. */
static int
schema_load_file(struct schema *s, const char *path, struct ncen_err *err)
{
	struct buf		 b = BUF_INIT;
	struct schema_form	*form;
	struct schema_codelist	*list;
	int			 k, r;

	if ((k = schema_load_kind(path)) < 0) {
		return ncen_err_set(err, NCEN_EUSAGE, _("%s: expected a file "
		    "named NAME.form or NAME.codes, found another name"), path);
	}
	if ((r = schema_load_read(path, &b, err)) != NCEN_OK) {
		buf_free(&b);
		return r;
	}
	switch (schema_load_suffixes[k].kind) {
	case SCHEMA_LOAD_FORM:
		r = schema_form_parse(path, b.s, b.len, &form, err);
		if (r != NCEN_OK)
			break;
		s->forms = xreallocarray(s->forms, s->nforms + 1,
		    sizeof *s->forms);
		s->forms[s->nforms++] = form;
		r = schema_load_match_name(path, N_("form"), form->name,
		    form->line, form->col, err);
		break;
	case SCHEMA_LOAD_CODES:
		r = schema_codes_parse(path, b.s, b.len, &list, err);
		if (r != NCEN_OK)
			break;
		s->lists = xreallocarray(s->lists, s->nlists + 1,
		    sizeof *s->lists);
		s->lists[s->nlists++] = list;
		r = schema_load_match_name(path, N_("list"), list->name,
		    list->line, list->col, err);
		break;
	}
	buf_free(&b);
	return r;
}

/* Order forms by name, then path. */
static int
schema_load_cmp_form(const void *a, const void *b)
{
	const struct schema_form	*x = *(struct schema_form *const *)a;
	const struct schema_form	*y = *(struct schema_form *const *)b;
	int				 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* Order code lists by name, then path. */
static int
schema_load_cmp_list(const void *a, const void *b)
{
	const struct schema_codelist	*x = *(struct schema_codelist *const *)a;
	const struct schema_codelist	*y = *(struct schema_codelist *const *)b;
	int				 c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->path, y->path);
}

/* Sort forms and lists and refuse any name defined twice. */
static int
schema_load_sort(struct schema *s, struct ncen_err *err)
{
	const struct schema_form	*f;
	const struct schema_codelist	*l;
	size_t				 i;

	if (s->nforms > 1)
		qsort(s->forms, s->nforms, sizeof *s->forms,
		    schema_load_cmp_form);
	if (s->nlists > 1)
		qsort(s->lists, s->nlists, sizeof *s->lists,
		    schema_load_cmp_list);
	for (i = 1; i < s->nforms; i++) {
		f = s->forms[i];
		if (strcmp(s->forms[i - 1]->name, f->name) == 0) {
			return ncen_err_set(err, NCEN_EPARSE, _("%s:%u:%u: "
			    "expected a new form name, found '%s' (already "
			    "defined in %s)"), f->path, f->line, f->col,
			    f->name,
			    s->forms[i - 1]->path);
		}
	}
	for (i = 1; i < s->nlists; i++) {
		l = s->lists[i];
		if (strcmp(s->lists[i - 1]->name, l->name) == 0) {
			return ncen_err_set(err, NCEN_EPARSE, _("%s:%u:%u: "
			    "expected a new list name, found '%s' (already "
			    "defined in %s)"), l->path, l->line, l->col,
			    l->name,
			    s->lists[i - 1]->path);
		}
	}
	return NCEN_OK;
}

/* Refuse a field whose code:LIST or ref:ENTITY names nothing loaded. */
static int
schema_load_check_field(const struct schema *s, const struct schema_form *f,
    const struct schema_field *fl, struct ncen_err *err)
{
	struct buf	 w = BUF_INIT;
	size_t		 i, n;
	const char	*sep = "";
	int		 code;

	if (fl->type == SCHEMA_CODE) {
		if (schema_list_find(s, fl->target) != NULL)
			return NCEN_OK;
		code = 1;
		n = s->nlists;
		for (i = 0; i < n && i < SCHEMA_LOAD_MAXNAMES; i++) {
			buf_addf(&w, "%s%s", sep, s->lists[i]->name);
			sep = ", ";
		}
	} else if (fl->type == SCHEMA_REF) {
		if (schema_form_find(s, fl->target) != NULL)
			return NCEN_OK;
		code = 0;
		n = s->nforms;
		for (i = 0; i < n && i < SCHEMA_LOAD_MAXNAMES; i++) {
			buf_addf(&w, "%s%s", sep, s->forms[i]->name);
			sep = ", ";
		}
	} else
		return NCEN_OK;
	if (n > SCHEMA_LOAD_MAXNAMES)
		buf_adds(&w, ", ...");
	if (n == 0)
		buf_adds(&w, _("none is loaded"));
	ncen_err_set(err, NCEN_EPARSE, code ? _("%s:%u:%u: expected a loaded "
	    "code list (%s), found '%s'") : _("%s:%u:%u: expected a loaded "
	    "form "
	    "(%s), found '%s'"), f->path, fl->line, fl->typecol, buf_cstr(&w),
	    fl->target);
	buf_free(&w);
	return NCEN_EPARSE;
}

/* Load the named files as one schema and cross-check them. */
int
schema_load_files(const char *const *paths, size_t npaths,
    struct schema **out, struct ncen_err *err)
{
	struct schema	*s;
	size_t		 i, j;
	int		 r;

	*out = NULL;
	s = xcalloc(1, sizeof *s);
	for (i = 0; i < npaths; i++) {
		if ((r = schema_load_file(s, paths[i], err)) != NCEN_OK)
			goto fail;
	}
	if (s->nforms == 0) {
		r = ncen_err_set(err, NCEN_ENOTFOUND, _("expected at least one "
		    ".form file, found none"));
		goto fail;
	}
	if ((r = schema_load_sort(s, err)) != NCEN_OK)
		goto fail;
	for (i = 0; i < s->nforms; i++) {
		for (j = 0; j < s->forms[i]->nfields; j++) {
			r = schema_load_check_field(s, s->forms[i],
			    &s->forms[i]->fields[j], err);
			if (r != NCEN_OK)
				goto fail;
		}
	}
	*out = s;
	return NCEN_OK;

fail:
	schema_free(s);
	return r;
}

/* Compare two strings through pointers, for sorting file names. */
static int
schema_load_cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every NAME.form and NAME.codes of a directory (dot files skipped). */
int
schema_load_dir(const char *dir, struct schema **out, struct ncen_err *err)
{
	DIR		 *d;
	struct dirent	 *de;
	struct buf	  b = BUF_INIT;
	char		**paths = NULL;
	size_t		  n = 0, i;
	int		  r, saved;

	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		saved = errno;
		return ncen_err_set(err, saved == ENOENT ? NCEN_ENOTFOUND :
		    NCEN_EIO, _("%s: cannot open the forms directory: %s"), dir,
		    strerror(saved));
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || schema_load_kind(de->d_name) < 0)
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s/%s", dir, de->d_name);
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = xstrdup(buf_cstr(&b));
	}
	closedir(d);
	buf_free(&b);
	for (i = 0; i < n; i++)
		if (schema_load_suffixes[schema_load_kind(paths[i])].kind ==
		    SCHEMA_LOAD_FORM)
			break;
	if (i == n) {
		r = ncen_err_set(err, NCEN_ENOTFOUND, _("%s: expected at least "
		    "one .form file, found none"), dir);
		goto out;
	}
	if (n > 1)
		qsort(paths, n, sizeof *paths, schema_load_cmp_name);
	r = schema_load_files((const char *const *)paths, n, out, err);
out:
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	return r;
}

/* Release a schema and everything in it. */
void
schema_free(struct schema *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nforms; i++)
		schema_form_free(s->forms[i]);
	for (i = 0; i < s->nlists; i++)
		schema_codes_free(s->lists[i]);
	free(s->forms);
	free(s->lists);
	free(s);
}

/* Compare a name looked for with a form, for bsearch. */
static int
schema_load_key_form(const void *key, const void *elem)
{
	return strcmp(key, (*(struct schema_form *const *)elem)->name);
}

/* Compare a name looked for with a code list, for bsearch. */
static int
schema_load_key_list(const void *key, const void *elem)
{
	return strcmp(key, (*(struct schema_codelist *const *)elem)->name);
}

/* The form of that name, or NULL. */
const struct schema_form *
schema_form_find(const struct schema *s, const char *name)
{
	struct schema_form	**f;

	if (s == NULL || name == NULL || s->nforms == 0)
		return NULL;
	f = bsearch(name, s->forms, s->nforms, sizeof *s->forms,
	    schema_load_key_form);
	return f != NULL ? *f : NULL;
}

/* The code list of that name, or NULL. */
const struct schema_codelist *
schema_list_find(const struct schema *s, const char *name)
{
	struct schema_codelist	**l;

	if (s == NULL || name == NULL || s->nlists == 0)
		return NULL;
	l = bsearch(name, s->lists, s->nlists, sizeof *s->lists,
	    schema_load_key_list);
	return l != NULL ? *l : NULL;
}

/* The field of that name in a form, or NULL. */
const struct schema_field *
schema_field_find(const struct schema_form *form, const char *name)
{
	int	i = schema_field_index(form, name);

	return i < 0 ? NULL : &form->fields[i];
}

/* The position of a field in its form, or -1. */
int
schema_field_index(const struct schema_form *form, const char *name)
{
	size_t	i;

	if (form == NULL || name == NULL)
		return -1;
	for (i = 0; i < form->nfields; i++)
		if (strcmp(form->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* A label in the language asked for, else English, else "". */
const char *
schema_label(char *const label[SCHEMA_NLANG], enum schema_lang lang)
{
	if (label == NULL)
		return "";
	if ((unsigned)lang < SCHEMA_NLANG && label[lang] != NULL)
		return label[lang];
	return label[SCHEMA_EN] != NULL ? label[SCHEMA_EN] : "";
}

/* Type names as the language writes them, by enum schema_type. */
static const char *schema_load_types[] = {
	"text", "integer", "decimal", "date", "datetime", "code", "ref"
};

/* The name of a type ("decimal"). */
const char *
schema_type_name(enum schema_type type)
{
	if ((unsigned)type < sizeof schema_load_types /
	    sizeof schema_load_types[0])
		return schema_load_types[type];
	return "unknown";
}

/* Sharing levels as the language writes them, by enum schema_share. */
static const char *schema_load_shares[] = { "local", "partner", "cen" };

/* The name of a sharing level ("cen"). */
const char *
schema_share_name(enum schema_share share)
{
	if ((unsigned)share < sizeof schema_load_shares /
	    sizeof schema_load_shares[0])
		return schema_load_shares[share];
	return "unknown";
}

/* Append a field's full type as written in a form ("decimal(12,2)"). */
void
schema_field_type(const struct schema_field *f, struct buf *b)
{
	buf_adds(b, schema_type_name(f->type));
	switch (f->type) {
	case SCHEMA_TEXT:
		buf_addf(b, "(%u)", f->size);
		break;
	case SCHEMA_DECIMAL:
		buf_addf(b, "(%u,%u)", f->size, f->scale);
		break;
	case SCHEMA_CODE:
	case SCHEMA_REF:
		buf_addf(b, ":%s", f->target != NULL ? f->target : "");
		break;
	default:
		break;
	}
}
