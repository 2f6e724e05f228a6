/*
 * demo.h - a reproducible, realistic demo data set.
 *
 * demo_generate() adds N cases to a store, each with 1-3 seizures and
 * 1-4 persons, businesses and conveyances linked to it with roles of
 * role.codes (a conveyance is linked as the CARRIER of the goods, a
 * road driver also to the vehicle as DRIVER), and the workflow history
 * of its status (transition records).  Everything comes from the
 * generator's own PRNG (xoshiro256** seeded by splitmix64) and integer
 * arithmetic, so a seed gives the same records on every machine, given
 * the same forms and code lists (offices come from office.codes; the
 * countries and currencies the tables name are used only if the lists
 * hold them).  Into an empty data directory the ids are the same too;
 * only the store's own stamps (mtime) differ between runs.
 *
 * What it makes: offices and modes of transport from office.codes
 * (air, sea, road, rail, post by the office's label), commodity types
 * with quantity ranges and units per type, routes per commodity
 * (departure, transit, destination), persons whose names come from
 * several regions and scripts (Latin: French, Spanish, Portuguese,
 * German, West African; Arabic script; Cyrillic; the others with a
 * Latin transliteration as an alias), businesses, vessels with valid
 * IMO numbers, containers with valid ISO 6346 numbers, vehicles with
 * plates and VINs, flights, parcels with valid UPU S10 numbers, a pool
 * of repeat offenders, vehicles, vessels and businesses that come back
 * in several cases, dates from DEMO_FIRST_DAY to DEMO_LAST_DAY in case
 * order, and statuses mostly validated or closed, some drafts (some of
 * them incomplete).  Every record passes schema_validate()
 * (SCHEMA_SUBMIT, except draft cases: SCHEMA_DRAFT).
 *
 * Cases are written `batch` per store_run() transaction; a batch
 * retried after a deadlock generates the same records again.  The
 * progress callback (may be NULL) runs after each committed batch,
 * outside any transaction.  Returns NCEN_OK or the store's error (a
 * record the forms refuse is NCEN_EINVALID naming it: a generator bug or
 * forms the tables do not fit, such as a removed code).  Nothing here
 * prints or exits.
 */
#ifndef NCEN_DEMO_H
#define NCEN_DEMO_H

#include <stdint.h>

#include "error.h"
#include "store.h"

#define DEMO_BATCH		500
#define DEMO_FIRST_DAY		"2020-01-01"
#define DEMO_LAST_DAY		"2026-06-30"

typedef void (*demo_progress_fn)(uint64_t done, uint64_t total, void *arg);

struct demo_options {
	uint64_t		 cases;
	uint64_t		 seed;
	unsigned		 batch;		/* cases per transaction, 0: DEMO_BATCH */
	const char		*user;		/* who stores them, NULL: "demo" */
	demo_progress_fn	 progress;
	void			*arg;
};

struct demo_stats {
	uint64_t	 cases;
	uint64_t	 seizures;
	uint64_t	 persons;
	uint64_t	 businesses;
	uint64_t	 conveyances;
	uint64_t	 transitions;
	uint64_t	 links;
};

int	demo_generate(struct store *, const struct demo_options *,
	    struct demo_stats *, struct ncen_err *);

#endif
