/* ctl-forms.c - ncenctl forms check: parse and cross-check form files. */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"

/* Print an error message line by line, as FILE:LINE:COL: message. */
static void
ctl_forms_print(const struct ncen_err *e)
{
	const char	*p, *nl;

	for (p = ncen_err_msg(e); *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if (nl > p)
			fprintf(stderr, "%.*s\n", (int)(nl - p), p);
		if (*nl == '\n')
			nl++;
	}
}

/* forms check FILE...: exit 0 when they load together, 1 on errors. */
int
ctl_forms(struct ctl_ctx *ctx, int argc, char **argv)
{
	struct ncen_err	 e = NCEN_ERR_INIT;
	struct schema	*s = NULL;
	struct buf	 forms = BUF_INIT, lists = BUF_INIT;
	int		 r = 0;

	if (argc < 2)
		return ctl_usage(ctx->cmd, _("no subcommand (check)"));
	if (strcmp(argv[1], "check") != 0)
		return ctl_usage(ctx->cmd, _("unknown subcommand '%s'"),
		    argv[1]);
	if (argc < 3)
		return ctl_usage(ctx->cmd, _("no files to check"));
	if (schema_load_files((const char *const *)argv + 2,
	    (size_t)(argc - 2), &s, &e) != NCEN_OK) {
		ctl_forms_print(&e);
		r = ncen_err_exit(e.code);
	} else {
		buf_addf(&forms, ngettext_("%zu form", "%zu forms",
		    s->nforms), s->nforms);
		buf_addf(&lists, ngettext_("%zu code list", "%zu code lists",
		    s->nlists), s->nlists);
		/* TRANSLATORS: 9 forms and 1 code list: no problems found. */
		printf(_("%s and %s: no problems found\n"), forms.s, lists.s);
	}
	buf_free(&forms);
	buf_free(&lists);
	schema_free(s);
	ncen_err_free(&e);
	return r;
}
