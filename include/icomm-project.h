/*
 * icomm-project.h - what of a case leaves this node: its projection.
 *
 * A field goes to a partner only when its sharing level (forms, `share`)
 * is allowed by the level an agreement grants: level partner lets
 * partner and cen fields go, level cen only cen fields; local fields
 * (and fields without a level) never go.  A global partner is never
 * granted more than cen (icomm_agreement_level).
 *
 * icomm_project_record() gives one record's allowed fields as a JSON
 * object {"entity", "id", "version", "fields": {NAME: [VALUE...]}};
 * fields with no value allowed are left out, and so are references to
 * records the item does not carry.  icomm_project_case() gives one
 * batch item: the case, its seizures (by their `case` reference) and
 * the persons, businesses and conveyances linked to it, each projected,
 * with the links between the case and them:
 *   {"kind":"record","entity":"case","id":N,"version":V,
 *    "records":[...], "links":[{"from":"case:N","to":"person:M",
 *    "role":"COURIER"}]}
 * Link roles are codes (role.codes) and travel at every level.
 *
 * What never leaves, whatever the agreement: a text value whose field
 * has a pattern but that does not fit it (kept from before the field
 * had its pattern, validate.h), and at level cen any text without a
 * pattern.  At level cen, persons and businesses are named by their
 * pseudonym for the partner (icomm-pseudo.h: the record's "id" is the
 * pseudonym, a string, and links name "person:PSEUDONYM"), never by this
 * node's id; icomm_project_case() needs the pseudonym key then (ps; it
 * may be NULL at level partner) and answers NCEN_EUSAGE without one.
 *
 * Contract: the json_t returned is the caller's (json_decref); store
 * errors come back as ncen codes.  Nothing here prints or exits.
 */
#ifndef NCEN_ICOMM_PROJECT_H
#define NCEN_ICOMM_PROJECT_H

#include <jansson.h>
#include <stdint.h>

#include "error.h"
#include "icomm-pseudo.h"
#include "record.h"
#include "schema.h"
#include "store.h"

/* Whether a field of a sharing level may go under an agreement level. */
int	 icomm_share_allows(enum schema_share level, enum schema_share field);
json_t	*icomm_project_record(const struct record *, enum schema_share level,
	     int (*carried)(const char *entity, uint64_t id, void *),
	     void *arg);
int	 icomm_project_case(struct store *, uint64_t case_id,
	     enum schema_share level, const struct icomm_pseudo *,
	     json_t **item, struct ncen_err *);
/* Whether records of a form travel with the cases they are linked to. */
int	 icomm_project_linked(const char *entity);

#endif
