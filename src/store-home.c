/*
 * store-home.c - open a data directory as every program does: its own
 * forms (DIR/forms) first, then the store they describe.
 */
#include <sys/stat.h>

#include <errno.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "schema.h"
#include "store.h"

/* Load the schema a data directory was made with (DIR/forms). */
int
store_home_schema(const char *home, struct schema **sp, struct ncen_err *err)
{
	struct stat	 sb;
	struct buf	 forms = BUF_INIT;
	int		 r;

	*sp = NULL;
	if (stat(home, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return ncen_err_set(err, NCEN_ENOTFOUND, _("%s: no such data "
		    "directory (ncenctl init makes one)"), home);
	buf_addf(&forms, "%s/forms", home);
	r = schema_load_dir(forms.s, sp, err);
	buf_free(&forms);
	if (r != NCEN_OK)
		*sp = NULL;
	return r;
}

/* Load a data directory's schema and open its store; both or neither. */
int
store_home_open(const struct store_options *o, struct schema **sp,
    struct store **stp, struct ncen_err *err)
{
	int	r;

	*stp = NULL;
	if ((r = store_home_schema(o->home, sp, err)) != NCEN_OK)
		return r;
	if ((r = store_open(o, *sp, stp, err)) != NCEN_OK) {
		schema_free(*sp);
		*sp = NULL;
		*stp = NULL;
	}
	return r;
}
