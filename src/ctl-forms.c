/* ctl-forms.c - ncenctl forms check: parse and cross-check form files. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "error.h"
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
	int		 r = 0;

	if (argc < 2)
		return ctl_usage(ctx->cmd, "no subcommand (check)");
	if (strcmp(argv[1], "check") != 0)
		return ctl_usage(ctx->cmd, "unknown subcommand '%s'", argv[1]);
	if (argc < 3)
		return ctl_usage(ctx->cmd, "no files to check");
	if (schema_load_files((const char *const *)argv + 2,
	    (size_t)(argc - 2), &s, &e) != NCEN_OK) {
		ctl_forms_print(&e);
		r = ncen_err_exit(e.code);
	} else
		printf("%zu form%s and %zu code list%s: no problems found\n",
		    s->nforms, s->nforms == 1 ? "" : "s", s->nlists,
		    s->nlists == 1 ? "" : "s");
	schema_free(s);
	ncen_err_free(&e);
	return r;
}
