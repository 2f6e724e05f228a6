/*
 * ctl-offices.c - ncenctl offices load: the customs offices from CSV.
 *
 * The national list of customs offices comes as a CSV file with the
 * columns code, en and fr.  It becomes DIR/forms/office.codes, whose
 * version goes up by one, once every row is right, no record uses a
 * code the new list leaves out, and the forms load with it; the new
 * file is written beside the old one and renamed over it.
 */
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "ctl-csv.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "xmalloc.h"

/* A whole small file, NUL-terminated; NULL when it cannot be read. */
static char *
ctl_offices_slurp(const char *path, size_t *len)
{
	struct buf	 b = BUF_INIT;
	char		 tmp[8192];
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof tmp, f)) != 0)
		buf_add(&b, tmp, n);
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	buf_add(&b, "", 0);
	*len = b.len;
	return buf_detach(&b);
}

/* One office read from the CSV. */
struct ctl_offices_entry {
	char		*code;
	char		*label[SCHEMA_NLANG];
	unsigned	 line;
};

/* Order offices by code, as the .codes file keeps them. */
static int
ctl_offices_cmp(const void *a, const void *b)
{
	const struct ctl_offices_entry	*x = a, *y = b;

	return strcmp(x->code, y->code);
}

/* Append a label as a .codes quoted string. */
static void
ctl_offices_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_addc(b, '\\');
		buf_addc(b, *s);
	}
	buf_addc(b, '"');
}

/* Whether a code is what a .codes file accepts: [A-Za-z0-9._-]{1,32}. */
static int
ctl_offices_code_ok(const char *s)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '-' || s[i] == '_')
			continue;
		return 0;
	}
	return i >= 1 && i <= 32;
}

/* Read the offices CSV: code,en,fr; problems noted; 0 or the exit status. */
static int
ctl_offices_read(struct ctl_csv_input *in, FILE *f,
    struct ctl_offices_entry **out, size_t *nout)
{
	static const char *const cols[] = { "code", "en", "fr" };
	struct csv_reader	*rd;
	struct csv_row		*row;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ctl_offices_entry	 o;
	struct ctl_csv_slot	*sl;
	struct ctl_csv_set	 codes = { BUF_INIT, NULL, 0, 0 };
	struct buf		 v = BUF_INIT;
	int			 at[3] = { -1, -1, -1 }, rc, r = 0, headed = 0;
	int			 added, bad;
	size_t			 i, k, len, cap = 0, ncols = 0;

	rd = csv_open_file(f, in->path);
	while ((rc = csv_read(rd, &row, &e)) != 0) {
		if (rc < 0 && e.code != NCEN_EPARSE) {
			r = ctl_report("offices", &e);
			goto out;
		}
		if (rc < 0) {
			ctl_csv_problem(in, row->badline, NULL, _("column %u: "
			    "%s"), row->badcol, buf_cstr(&row->why));
			if (!headed)
				goto out;
			continue;
		}
		if (!headed) {
			headed = 1;
			for (i = 0; i < row->n; i++) {
				for (k = 0; k < 3; k++)
					if (strcmp(row->f[i], cols[k]) == 0)
						break;
				if (k == 3 || at[k] != -1) {
					ctl_csv_problem(in, row->line,
					    row->f[i], "%s", k == 3 ?
					    _("expected the columns code, en "
					    "and fr, found another") :
					    _("the column appears twice"));
					continue;
				}
				at[k] = (int)i;
			}
			for (k = 0; k < 3; k++)
				if (at[k] == -1)
					ctl_csv_problem(in, row->line, cols[k],
					    _("expected this column, found "
					    "none"));
			if (in->nproblems != 0)
				goto out;
			ncols = row->n;
			continue;
		}
		for (i = 0; i < row->n; i++)
			if (!ctl_csv_blank(row->f[i], row->len[i]))
				break;
		if (i == row->n)
			continue;
		if (row->n != ncols) {
			ctl_csv_problem(in, row->line, NULL, _("expected %zu "
			    "fields (as many as the header has), found %zu"),
			    ncols, row->n);
			continue;
		}
		memset(&o, 0, sizeof o);
		o.line = row->line;
		bad = 0;
		for (k = 0; k < 3; k++) {
			const char	*s = row->f[at[k]];

			len = row->len[at[k]];
			while (len > 0 && (*s == ' ' || *s == '\t')) {
				s++;
				len--;
			}
			while (len > 0 && (s[len - 1] == ' ' ||
			    s[len - 1] == '\t'))
				len--;
			buf_reset(&v);
			buf_add(&v, s, len);
			buf_addc(&v, '\0');
			for (i = 0; i < len; i++)
				if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
					break;
			if (k == 0 && !ctl_offices_code_ok(v.s)) {
				ctl_csv_problem(in, row->line, "code",
				    _("expected a code (letters, digits, '.', "
				    "'-' or '_', at most 32), found '%s'"),
				    v.s);
				bad = 1;
			} else if (k != 0 && (len == 0 || i != len)) {
				ctl_csv_problem(in, row->line, cols[k],
				    "%s", len == 0 ?
				    _("expected a label, found none") :
				    _("expected a label on one line without "
				    "control characters, found one"));
				bad = 1;
			} else if (k == 0)
				o.code = xstrdup(v.s);
			else
				o.label[k - 1] = xstrdup(v.s);
		}
		if (!bad) {
			sl = ctl_csv_set_put(&codes, o.code,
			    strlen(o.code), row->line, &added);
			if (!added) {
				ctl_csv_problem(in, row->line, "code",
				    _("'%s' "
				    "appears twice (first at line %u)"), o.code,
				    sl->line);
				bad = 1;
			}
		}
		if (bad) {
			free(o.code);
			free(o.label[0]);
			free(o.label[1]);
			continue;
		}
		*out = ctl_csv_grow(*out, *nout, &cap, sizeof **out);
		(*out)[(*nout)++] = o;
	}
	if (!headed)
		ctl_csv_problem(in, 1, NULL, _("expected a header row "
		    "code,en,fr, found an empty file"));
out:
	csv_close(rd);
	buf_free(&v);
	ctl_csv_set_free(&codes);
	ncen_err_free(&e);
	if (r == 0 && in->nproblems != 0)
		r = 1;
	return r;
}

/* Count records whose code:office fields hold a code (for removed codes). */
struct ctl_offices_uses {
	const struct schema_form	 *form;
	const struct schema_codelist	 *keep;		/* the new list */
	size_t				  n;
	char				 *example;
};

static int
ctl_offices_use(const struct record *r, void *arg)
{
	struct ctl_offices_uses		*u = arg;
	const struct schema_field	*fd;
	size_t				 i, j;

	for (i = 0; i < u->form->nfields; i++) {
		fd = &u->form->fields[i];
		if (fd->type != SCHEMA_CODE ||
		    strcmp(fd->target, "office") != 0)
			continue;
		for (j = 0; j < r->fields[i].n; j++) {
			if (schema_code_find(u->keep, r->fields[i].v[j]) !=
			    NULL)
				continue;
			if (u->n++ == 0)
				u->example = xstrdup(r->fields[i].v[j]);
		}
	}
	return 0;
}

/* Refuse a list that drops codes records still use; 0 or the exit status. */
static int
ctl_offices_used(const struct schema *s, struct store *st,
    const struct schema_codelist *list)
{
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct ctl_offices_uses	 u;
	size_t			 i, j;
	int			 r = 0, uses;

	for (i = 0; i < s->nforms && r == 0; i++) {
		uses = 0;
		for (j = 0; j < s->forms[i]->nfields; j++)
			if (s->forms[i]->fields[j].type == SCHEMA_CODE &&
			    strcmp(s->forms[i]->fields[j].target, "office") ==
			    0)
				uses = 1;
		if (!uses)
			continue;
		memset(&u, 0, sizeof u);
		u.form = s->forms[i];
		u.keep = list;
		if (store_scan(st, u.form->name, ctl_offices_use, &u, &e) !=
		    NCEN_OK)
			r = ctl_report("offices", &e);
		else if (u.n != 0) {
			ctl_warn(ngettext_("offices: %zu %s record uses "
			    "office codes the new list leaves out (such as "
			    "'%s'): keep them in the list", "offices: %zu %s "
			    "records use office codes the new list leaves out "
			    "(such as '%s'): keep them in the list", u.n),
			    u.n, u.form->name, u.example);
			r = 1;
		}
		free(u.example);
	}
	ncen_err_free(&e);
	return r;
}

/* Write the new list in a directory of its own; 0 or the exit status. */
static int
ctl_offices_write(const char *tmpdir, const char *text, size_t len,
    struct buf *path)
{
	FILE	*f;
	int	 bad;

	buf_reset(path);
	buf_addf(path, "%s/office.codes", tmpdir);
	if ((f = fopen(path->s, "w")) == NULL) {
		ctl_warn(_("offices: %s: %s"), path->s, strerror(errno));
		return 2;
	}
	bad = fwrite(text, 1, len, f) != len || fflush(f) == EOF ||
	    fsync(fileno(f)) == -1;
	if (fclose(f) == EOF)
		bad = 1;
	if (bad) {
		ctl_warn(_("offices: %s: %s"), path->s, strerror(errno));
		return 2;
	}
	return 0;
}

/* Load DIR/forms with the new office.codes in place of the old one. */
static int
ctl_offices_check(const char *forms, const char *newlist)
{
	struct ncen_err	  e = NCEN_ERR_INIT;
	struct schema	 *s = NULL;
	struct buf	  b = BUF_INIT;
	struct dirent	 *de;
	DIR		 *d;
	char		**paths = NULL;
	size_t		  n = 0, i, len;
	int		  r = 0;

	if ((d = opendir(forms)) == NULL) {
		ctl_warn(_("offices: %s: %s"), forms, strerror(errno));
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || strcmp(de->d_name,
		    "office.codes") == 0 || !((len > 5 && strcmp(de->d_name +
		    len - 5, ".form") == 0) || (len > 6 && strcmp(de->d_name +
		    len - 6, ".codes") == 0)))
			continue;
		buf_reset(&b);
		buf_addf(&b, "%s/%s", forms, de->d_name);
		paths = xreallocarray(paths, n + 1, sizeof *paths);
		paths[n++] = xstrdup(b.s);
	}
	closedir(d);
	paths = xreallocarray(paths, n + 1, sizeof *paths);
	paths[n++] = xstrdup(newlist);
	if (schema_load_files((const char *const *)paths, n, &s, &e) !=
	    NCEN_OK) {
		ctl_warn(_("offices: the forms do not load with the new list: "
		    "%s"), ncen_err_msg(&e));
		r = 1;
	}
	schema_free(s);
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	buf_free(&b);
	ncen_err_free(&e);
	return r;
}

/* offices load FILE: the national list of customs offices from CSV. */
int
ctl_offices(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ctl_csv_input	 in;
	struct ctl_offices_entry	*offs = NULL;
	struct schema_codelist	*list = NULL, *old = NULL;
	struct schema		*s = NULL;
	struct store		*st = NULL;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct buf		 forms = BUF_INIT, dst = BUF_INIT;
	struct buf		 text = BUF_INIT, tmpdir = BUF_INIT;
	struct buf		 newpath = BUF_INIT;
	char			*oldtext;
	size_t			 n = 0, i, oldlen;
	unsigned		 version = 1;
	FILE			*f = NULL;
	int			 r, made = 0;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("expected 'load FILE'"));
	if (strcmp(argv[1], "load") != 0)
		return ctl_usage(ctx->cmd, _("unknown subcommand '%s'"),
		    argv[1]);
	if (argc < 3)
		return ctl_usage(ctx->cmd, _("expected a CSV file"));
	if (argc > 3)
		return ctl_usage(ctx->cmd, _("unexpected argument '%s'"),
		    argv[3]);
	if ((r = ctl_need_home(ctx)) != 0)
		return r;
	buf_addf(&forms, "%s/forms", ctx->home);
	buf_addf(&dst, "%s/office.codes", forms.s);
	if (!ctl_is_dir(forms.s)) {
		ctl_warn(_("offices: %s: no forms directory (ncenctl init "
		    "makes one)"), forms.s);
		r = 2;
		goto out;
	}
	memset(&in, 0, sizeof in);
	in.ctx = ctx;
	in.path = strcmp(argv[2], "-") == 0 ? "stdin" : argv[2];
	if (strcmp(argv[2], "-") == 0)
		f = stdin;
	else if ((f = fopen(argv[2], "r")) == NULL) {
		ctl_warn(_("offices: %s: %s"), argv[2], strerror(errno));
		r = 2;
		goto out;
	}
	r = ctl_offices_read(&in, f, &offs, &n);
	if (in.nproblems > CTL_CSV_MAXSHOWN)
		ctl_warn(_("offices: %s: ... and %zu more"), in.path,
		    in.nproblems - CTL_CSV_MAXSHOWN);
	buf_free(&in.why);
	if (r == 0 && n == 0) {
		ctl_warn(_("offices: %s: expected at least one office, found "
		    "none"), argv[2]);
		r = 1;
	}
	if (r != 0) {
		ctl_warn(_("offices: %s: nothing changed"), argv[2]);
		goto out;
	}

	/* The list's version goes up by one from the one it replaces. */
	if ((oldtext = ctl_offices_slurp(dst.s, &oldlen)) != NULL) {
		if (schema_codes_parse(dst.s, oldtext, oldlen, &old, &e) ==
		    NCEN_OK)
			version = old->version + 1;
		free(oldtext);
		ncen_err_clear(&e);
	}
	qsort(offs, n, sizeof *offs, ctl_offices_cmp);
	buf_addf(&text, "ncen-codes 1\n# office.codes - the customs offices "
	    "of the administration.\n# Written by ncenctl offices load from "
	    "%s: edit that CSV and load it\n# again rather than this file.\n"
	    "list office %u\n", in.path, version);
	for (i = 0; i < n; i++) {
		buf_addf(&text, "%s\t", offs[i].code);
		ctl_offices_quote(&text, offs[i].label[SCHEMA_EN]);
		buf_addc(&text, '\t');
		ctl_offices_quote(&text, offs[i].label[SCHEMA_FR]);
		buf_addc(&text, '\n');
	}
	if (schema_codes_parse(dst.s, text.s, text.len, &list, &e) !=
	    NCEN_OK) {
		r = ctl_report("offices", &e);
		goto out;
	}
	if ((r = ctl_open(ctx, &s, &st)) != 0)
		goto out;
	if ((r = ctl_offices_used(s, st, list)) != 0) {
		ctl_warn(_("offices: %s: nothing changed"), argv[2]);
		goto out;
	}

	/* A new file beside the old one, checked, then renamed over it. */
	buf_addf(&tmpdir, "%s/.offices.XXXXXX", forms.s);
	if (mkdtemp(tmpdir.s) == NULL) {
		ctl_warn(_("offices: %s: %s"), tmpdir.s, strerror(errno));
		r = 2;
		goto out;
	}
	made = 1;
	if ((r = ctl_offices_write(tmpdir.s, text.s, text.len,
	    &newpath)) != 0)
		goto out;
	if ((r = ctl_offices_check(forms.s, newpath.s)) != 0) {
		ctl_warn(_("offices: %s: nothing changed"), argv[2]);
		goto out;
	}
	if (rename(newpath.s, dst.s) == -1) {
		ctl_warn(_("offices: %s: %s"), dst.s, strerror(errno));
		r = 2;
		goto out;
	}
	ctl_csv_sync_dir(forms.s);
	buf_reset(&text);
	buf_addf(&text, "%zu office%s from %s, list version %u", n,
	    n == 1 ? "" : "s", in.path, version);
	r = ctl_csv_audit(ctx, st, "codes.load", "office", text.s, 0);
	printf(ngettext_("loaded %zu office into %s (list version %u)\n",
	    "loaded %zu offices into %s (list version %u)\n", n), n, dst.s,
	    version);
out:
	if (made) {
		if (newpath.len != 0)
			unlink(newpath.s);
		rmdir(tmpdir.s);
	}
	if (f != NULL && f != stdin)
		fclose(f);
	for (i = 0; i < n; i++) {
		free(offs[i].code);
		free(offs[i].label[0]);
		free(offs[i].label[1]);
	}
	free(offs);
	schema_codes_free(list);
	schema_codes_free(old);
	r = ctl_close(ctx, s, st, r);
	buf_free(&forms);
	buf_free(&dst);
	buf_free(&text);
	buf_free(&tmpdir);
	buf_free(&newpath);
	ncen_err_free(&e);
	return r;
}
