/*
 * statcase.h - the simplified statistical form: a short entry form
 * whose saving makes an ordinary case and its seizure line.
 *
 * Administrations that report figures without full case files fill
 * the statcase form (forms/statcase.form): only what the global
 * enforcement database needs.  Its records are never stored as such:
 * statcase_store() makes, in the caller's transaction, a case (kind
 * STATCASE_KIND, numbered as ncen numbers cases, a draft, its officer
 * the user) and one seizure line of that case, each field of the
 * statistical record going to the case or seizure field of the same
 * name.  So the statistics, the workflow, Icomm and every screen read
 * them as any other case.
 *
 * Contract: NCEN_OK, or NCEN_ENOTFOUND (no case or seizure form),
 * NCEN_EINVALID (a statcase field that neither form has with the same
 * type, naming it), or a store error; made[0] gets the case and
 * made[1] the seizure line as stored (the caller's to free, NULL on an
 * error).  Nothing here prints or exits.
 */
#ifndef NCEN_STATCASE_H
#define NCEN_STATCASE_H

#include "error.h"
#include "record.h"
#include "schema.h"
#include "store.h"

#define STATCASE_FORM	"statcase"
#define STATCASE_KIND	"statistical"	/* the case's kind (case_kind.codes) */

int	 statcase_is(const struct schema_form *);
int	 statcase_store(struct store_txn *, const struct schema *,
	     const struct record *, const char *user, struct record *made[2],
	     struct ncen_err *);

#endif
