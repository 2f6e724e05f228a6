/*
 * demo.c - the demo data generator: tables of names, goods, routes and
 * conveyances, a seeded PRNG of its own, and bulk transactions.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "demo.h"
#include "error.h"
#include "i18n.h"
#include "record.h"
#include "schema.h"
#include "store.h"
#include "validate.h"
#include "workflow.h"
#include "xmalloc.h"

#define DEMO_NELEM(a)	(sizeof (a) / sizeof (a)[0])

/* Modes of transport a case can have (bit per mode). */
#define DEMO_AIR	0x01
#define DEMO_SEA	0x02
#define DEMO_ROAD	0x04
#define DEMO_RAIL	0x08
#define DEMO_MAIL	0x10
#define DEMO_ANY	0x1f

/* The UN/ECE Rec. 19 code of each mode. */
static const struct {
	unsigned	 mode;
	const char	*code;
	const char	*words;		/* for the narrative */
} demo_modes[] = {
	{ DEMO_AIR, "4", "the flight" },
	{ DEMO_SEA, "1", "the consignment" },
	{ DEMO_ROAD, "3", "the vehicle" },
	{ DEMO_RAIL, "2", "the train" },
	{ DEMO_MAIL, "5", "the parcel" },
};

/* Words in an office's English label that say how its goods travel. */
static const struct {
	const char	*word;
	unsigned	 modes;
} demo_office_words[] = {
	{ "postal", DEMO_MAIL }, { "express", DEMO_MAIL },
	{ "airport", DEMO_AIR }, { "seaport", DEMO_SEA },
	{ "ferry", DEMO_SEA | DEMO_ROAD }, { "port", DEMO_SEA },
	{ "railway", DEMO_RAIL }, { "rail", DEMO_RAIL },
	{ "road", DEMO_ROAD }, { "land border", DEMO_ROAD },
};

/*
 * Routes by commodity: where the goods leave from, pass through and go
 * to (ISO 3166-1 alpha-2), after the public WCO and UNODC reports.
 */
enum {
	R_COCAINE, R_HEROIN, R_RESIN, R_HERB, R_SYNTH, R_CAPTAGON, R_TOBACCO,
	R_WILDLIFE, R_FAKE, R_CASH, R_WEAPONS, R_MEDS, R_KHAT, R_REVENUE,
	R_CULTURE, R_WASTE, R_PRECURSOR,
};
static const struct demo_route {
	const char	*dep[10];
	const char	*via[10];
	const char	*dest[8];
} demo_routes[] = {
	[R_COCAINE] = { { "CO", "PE", "BO", "EC", "BR", "VE", "PY" },
	    { "PA", "DO", "CR", "GH", "NG", "CV", "ES", "PT", "NL", "BE" },
	    { "ES", "NL", "BE", "IT", "DE", "GB" } },
	[R_HEROIN] = { { "AF", "PK", "IR" },
	    { "TR", "IR", "BG", "RS", "GR", "AL" },
	    { "NL", "DE", "BE", "GB", "IT" } },
	[R_RESIN] = { { "MA" }, { "ES", "DZ" }, { "BE", "NL", "IT" } },
	[R_HERB] = { { "AL", "ES", "NL", "CA", "US", "TH", "JM", "ZA" },
	    { "ES", "NL", "BE", "IT" }, { "GB", "DE", "BE" } },
	[R_SYNTH] = { { "NL", "BE", "PL", "CZ", "CN", "IN", "MX" },
	    { "DE", "BE", "NL" }, { "GB", "ES", "AU", "JP" } },
	[R_CAPTAGON] = { { "SY", "LB" }, { "TR", "JO", "GR", "IT" },
	    { "SA", "AE", "JO", "KW" } },
	[R_TOBACCO] = { { "AE", "CN", "BY", "UA", "VN", "DZ", "TR" },
	    { "PL", "LT", "BE", "NL", "ES" }, { "GB", "DE", "IE" } },
	[R_WILDLIFE] = { { "NG", "CM", "CD", "MZ", "KE", "TZ", "UG", "ZA",
	    "AO" }, { "ET", "QA", "AE", "BE", "TR" },
	    { "CN", "VN", "HK", "TH", "LA", "MY" } },
	[R_FAKE] = { { "CN", "HK", "TR", "VN", "IN" },
	    { "AE", "SG", "PA", "MY" }, { "DE", "ES", "IT", "BE" } },
	[R_CASH] = { { "DZ", "MA", "TN", "TR", "AE", "CN", "LB", "NG", "SN" },
	    { "ES", "BE", "CH" }, { "DZ", "MA", "TR", "AE", "LB", "CN" } },
	[R_WEAPONS] = { { "US", "TR", "RS", "BA", "UA", "CZ" },
	    { "DE", "AT", "IT" }, { "GB", "BE", "ES" } },
	[R_MEDS] = { { "IN", "CN", "PK" }, { "AE", "BE", "NL" },
	    { "NG", "GH", "BJ", "TG", "EG", "NE" } },
	[R_KHAT] = { { "ET", "KE" }, { "BE", "NL" },
	    { "GB", "US", "CA", "SE" } },
	[R_REVENUE] = { { "GB", "DE", "BE", "LU", "ES", "IT", "AD" },
	    { "BE", "ES" }, { "GB", "ES", "IT" } },
	[R_CULTURE] = { { "IQ", "SY", "EG", "LY", "PE", "MX", "ML" },
	    { "LB", "TR", "AE" }, { "BE", "CH", "DE", "US", "GB" } },
	[R_WASTE] = { { "NG", "GH", "TR", "MY", "ID", "VN" },
	    { "ES", "BE", "NL" }, { "NG", "GH", "TR", "MY", "ID", "VN" } },
	[R_PRECURSOR] = { { "CN", "IN" }, { "NL", "BE" },
	    { "NL", "BE", "MX", "DE" } },
};

/*
 * Goods: the commodity type, the unit and the range of a seizure's
 * quantity in thousandths of the unit (quantities are multiples of
 * step and skewed towards the low end, as real seizures are), a value
 * per unit in cents, an HS code (its digits, as stored), a package,
 * where the goods are met, how often, their route, how often they leave
 * the country instead of entering it (percent) and, for CITES goods,
 * the species (a code of species.codes).
 */
static const struct demo_goods {
	const char	*type;
	const char	*unit;
	uint64_t	 lo, hi, step;
	uint64_t	 price;
	const char	*hs;
	const char	*package;
	unsigned	 modes;
	unsigned	 weight;
	int		 route;
	unsigned	 export;
	unsigned	 purity;	/* 1: give a purity */
	const char	*species;
	const char	*what;		/* for descriptions */
} demo_goods[] = {
	{ "DRUG-COC", "KGM", 500, 500000, 1, 3500000, "293971", "PA",
	  DEMO_AIR | DEMO_SEA | DEMO_ROAD, 14, R_COCAINE, 0, 1, NULL,
	  "cocaine bricks" },
	{ "DRUG-HERB", "KGM", 1000, 5000000, 1, 600000, "121190", "BL",
	  DEMO_SEA | DEMO_ROAD | DEMO_MAIL | DEMO_AIR, 12, R_HERB, 0, 0,
	  NULL, "vacuum-packed cannabis herb" },
	{ "DRUG-RESIN", "KGM", 500, 3000000, 1, 500000, "130190", "PA",
	  DEMO_ROAD | DEMO_SEA | DEMO_RAIL, 10, R_RESIN, 0, 0, NULL,
	  "cannabis resin plates" },
	{ "DRUG-HER", "KGM", 200, 300000, 1, 3000000, "293911", "PA",
	  DEMO_ROAD | DEMO_AIR | DEMO_SEA, 5, R_HEROIN, 0, 1, NULL,
	  "heroin packages" },
	{ "DRUG-METH", "KGM", 100, 1000000, 1, 2000000, "293971", "PA",
	  DEMO_AIR | DEMO_MAIL | DEMO_SEA, 3, R_SYNTH, 0, 1, NULL,
	  "crystal methamphetamine" },
	{ "DRUG-MDMA", "H87", 100000, 1000000000, 1000, 500, "293299",
	  "BG", DEMO_MAIL | DEMO_ROAD | DEMO_AIR, 4, R_SYNTH, 40, 0, NULL,
	  "ecstasy tablets" },
	{ "DRUG-CAPT", "H87", 1000000, 10000000000ULL, 1000, 300, "293979",
	  "BG", DEMO_SEA | DEMO_ROAD, 2, R_CAPTAGON, 0, 0, NULL,
	  "Captagon tablets" },
	{ "DRUG-KHAT", "KGM", 10000, 2000000, 100, 30000, "121190", "BE",
	  DEMO_AIR | DEMO_MAIL, 3, R_KHAT, 0, 0, NULL, "fresh khat" },
	{ "DRUG-TRAM", "H87", 1000000, 5000000000ULL, 1000, 20, "300490",
	  "CT", DEMO_SEA | DEMO_AIR | DEMO_MAIL, 4, R_MEDS, 30, 0, NULL,
	  "tramadol tablets" },
	{ "DRUG-FENT", "GRM", 1000, 5000000, 1, 5000, "293339", "PO",
	  DEMO_MAIL, 1, R_SYNTH, 0, 1, NULL, "fentanyl powder" },
	{ "DRUG-NPS", "GRM", 10000, 20000000, 1, 1000, "293399", "PO",
	  DEMO_MAIL, 3, R_SYNTH, 0, 0, NULL, "powder sold as research "
	  "chemicals" },
	{ "PREC-PMK", "LTR", 10000, 10000000, 1000, 2000, "293292", "DR",
	  DEMO_SEA | DEMO_ROAD, 1, R_PRECURSOR, 0, 0, NULL,
	  "PMK glycidate in drums" },
	{ "TOB-CIG", "H87", 1000000, 10000000000ULL, 200000, 30, "240220",
	  "CT", DEMO_SEA | DEMO_ROAD | DEMO_AIR | DEMO_RAIL, 14, R_TOBACCO,
	  0, 0, NULL, "cigarettes without tax stamps" },
	{ "TOB-WATER", "KGM", 5000, 20000000, 1000, 5000, "240311", "CT",
	  DEMO_SEA | DEMO_ROAD, 3, R_TOBACCO, 0, 0, NULL,
	  "water-pipe tobacco" },
	{ "TOB-RAW", "KGM", 100000, 50000000, 1000, 800, "240120", "BL",
	  DEMO_SEA | DEMO_ROAD, 1, R_TOBACCO, 0, 0, NULL, "raw tobacco "
	  "leaves" },
	{ "ALC-SPIRIT", "LTR", 10000, 30000000, 700, 1500, "220830", "CS",
	  DEMO_ROAD | DEMO_SEA, 3, R_REVENUE, 0, 0, NULL,
	  "spirits without excise documents" },
	{ "REV-FUEL", "LTR", 200000, 500000000, 1000, 150, "271019", "NE",
	  DEMO_ROAD, 2, R_REVENUE, 0, 0, NULL, "diesel in a modified tank" },
	{ "IPR-CLOTHING", "H87", 10000, 50000000, 1000, 2500, "610910",
	  "CT", DEMO_SEA | DEMO_MAIL | DEMO_AIR, 6, R_FAKE, 0, 0, NULL,
	  "counterfeit sportswear" },
	{ "IPR-WATCH", "H87", 5000, 5000000, 1000, 8000, "910211", "BX",
	  DEMO_AIR | DEMO_MAIL | DEMO_SEA, 3, R_FAKE, 0, 0, NULL,
	  "counterfeit watches" },
	{ "IPR-PHONE", "H87", 5000, 10000000, 1000, 6000, "851713", "CT",
	  DEMO_SEA | DEMO_MAIL, 2, R_FAKE, 0, 0, NULL, "counterfeit phones "
	  "and accessories" },
	{ "IPR-TOYS", "H87", 50000, 50000000, 1000, 800, "950300", "CT",
	  DEMO_SEA, 2, R_FAKE, 0, 0, NULL, "counterfeit toys" },
	{ "HEALTH-MED", "H87", 100000, 2000000000, 1000, 50, "300490", "BX",
	  DEMO_MAIL | DEMO_AIR | DEMO_SEA, 4, R_MEDS, 0, 0, NULL,
	  "falsified medicines" },
	{ "ENV-IVORY", "KGM", 1000, 500000, 1, 150000, "050710", "CS",
	  DEMO_AIR | DEMO_SEA, 2, R_WILDLIFE, 0, 0, "LOXAFR",
	  "raw and worked elephant ivory" },
	{ "ENV-PANGOLIN", "KGM", 5000, 8000000, 1, 40000, "050790", "BG",
	  DEMO_SEA | DEMO_AIR, 1, R_WILDLIFE, 0, 0, "PHATRI",
	  "pangolin scales" },
	{ "ENV-RHINO", "KGM", 500, 50000, 1, 6000000, "050790", "LE",
	  DEMO_AIR, 1, R_WILDLIFE, 0, 0, "CERSIM",
	  "rhinoceros horn pieces" },
	{ "ENV-CITES-LIVE", "H87", 1000, 500000, 1000, 20000, "010639",
	  "CR", DEMO_AIR, 1, R_WILDLIFE, 0, 0, "PSIERI",
	  "live grey parrots" },
	{ "ENV-TIMBER", "MTQ", 1000, 500000, 1, 120000, "440349", "NE",
	  DEMO_SEA, 1, R_WILDLIFE, 0, 0, "DALSPP",
	  "rosewood logs" },
	{ "ENV-WASTE", "TNE", 1000, 500000, 1, 5000, "391590", "BL",
	  DEMO_SEA, 1, R_WASTE, 100, 0, NULL, "mixed plastic waste "
	  "declared as raw material" },
	{ "ENV-ODS", "KGM", 10000, 10000000, 1000, 2000, "290379", "CY",
	  DEMO_ROAD | DEMO_SEA, 1, R_FAKE, 0, 0, NULL, "refrigerant gas "
	  "cylinders" },
	{ "CULT-ARCH", "H87", 1000, 200000, 1000, 300000, "970510", "CR",
	  DEMO_AIR | DEMO_MAIL | DEMO_SEA, 1, R_CULTURE, 0, 0, NULL,
	  "archaeological objects without export permits" },
	{ "WEAP-FIREARM", "H87", 1000, 50000, 1000, 80000, "930200", "CS",
	  DEMO_ROAD | DEMO_MAIL, 2, R_WEAPONS, 0, 0, NULL, "handguns" },
	{ "WEAP-AMMO", "H87", 50000, 50000000, 1000, 50, "930630", "BX",
	  DEMO_ROAD | DEMO_MAIL, 1, R_WEAPONS, 0, 0, NULL, "cartridges" },
	{ "CASH-NOTES", "C62", 10000000, 2000000000, 10000, 100, NULL, "BG",
	  DEMO_AIR | DEMO_ROAD | DEMO_SEA, 8, R_CASH, 60, 0, NULL,
	  "undeclared banknotes" },
};

/* Cash currencies: the currency a seizure of cash is in, by weight. */
static const struct {
	const char	*code;
	unsigned	 weight;
} demo_cash[] = {
	{ "EUR", 10 }, { "USD", 6 }, { "GBP", 2 }, { "CHF", 1 },
	{ "AED", 1 }, { "DZD", 1 }, { "MAD", 1 }, { "CNY", 1 },
	{ "XOF", 1 },
};

/* How goods are hidden, by mode: concealment and its location. */
static const struct {
	unsigned	 modes;
	const char	*how;
	const char	*where;
	const char	*words;
} demo_conceal[] = {
	{ DEMO_AIR, "BODY-SWALLOWED", "BODY", "swallowed in pellets" },
	{ DEMO_AIR, "BODY-STRAPPED", "BODY", "strapped to the body" },
	{ DEMO_AIR, "FALSE-BOTTOM", "BAGGAGE-HOLD", "in the false bottom "
	  "of a suitcase" },
	{ DEMO_AIR, "LINING", "BAGGAGE-HOLD", "in the lining of a "
	  "suitcase" },
	{ DEMO_AIR, "WORN", "CLOTHING", "in clothing and shoes" },
	{ DEMO_AIR, "NONE", "BAGGAGE-HAND", "in hand baggage, not "
	  "concealed" },
	{ DEMO_AIR | DEMO_SEA, "AMONG-GOODS", "CARGO", "among legitimate "
	  "goods" },
	{ DEMO_SEA, "RIP-ON", "CONTAINER", "in holdalls behind the doors "
	  "of a container" },
	{ DEMO_SEA, "NATURAL-VOID", "REEFER", "in the refrigeration unit "
	  "of a container" },
	{ DEMO_SEA, "MISDESCRIBED", "CARGO", "under a false description" },
	{ DEMO_SEA, "ATTACHED", "VESSEL-HULL", "in the sea chest of the "
	  "vessel" },
	{ DEMO_SEA | DEMO_MAIL, "INSIDE-GOODS", "CARGO", "inside other "
	  "goods" },
	{ DEMO_ROAD, "COMPARTMENT", "VEHICLE", "in a built-in compartment "
	  "of the vehicle" },
	{ DEMO_ROAD, "NATURAL-VOID", "FUEL-TANK", "in the fuel tank" },
	{ DEMO_ROAD, "AMONG-GOODS", "TRUCK", "among the load of the "
	  "trailer" },
	{ DEMO_ROAD, "NATURAL-VOID", "TYRE", "in the spare tyre" },
	{ DEMO_RAIL, "NATURAL-VOID", "TRAIN", "behind panels of a "
	  "carriage" },
	{ DEMO_RAIL, "AMONG-GOODS", "TRAIN", "among goods in a wagon" },
	{ DEMO_MAIL, "INSIDE-GOODS", "POSTAL", "inside goods in a postal "
	  "item" },
	{ DEMO_MAIL, "MISDESCRIBED", "EXPRESS", "in an express parcel "
	  "declared as gifts" },
};

/* How cases are detected, by mode. */
static const struct {
	unsigned	 modes;
	const char	*code;
	unsigned	 weight;
	const char	*words;
} demo_detect[] = {
	{ DEMO_ANY, "RISK", 10, "Selected by risk profiling" },
	{ DEMO_ANY, "INTEL", 5, "Acting on intelligence" },
	{ DEMO_ANY, "ROUTINE", 6, "During a routine control" },
	{ DEMO_ANY, "RANDOM", 3, "During a random check" },
	{ DEMO_AIR | DEMO_ROAD | DEMO_MAIL | DEMO_RAIL, "DOG", 4,
	  "After a detector dog indicated" },
	{ DEMO_SEA | DEMO_ROAD | DEMO_MAIL | DEMO_AIR, "XRAY", 6,
	  "After an X-ray scan" },
	{ DEMO_AIR | DEMO_RAIL, "BEHAVIOUR", 4, "Noticing nervous "
	  "behaviour" },
	{ DEMO_SEA | DEMO_MAIL, "DOCUMENT", 3, "After a document check" },
	{ DEMO_SEA | DEMO_AIR, "PARTNER", 1, "On information from a "
	  "partner administration" },
	{ DEMO_ROAD | DEMO_SEA, "AGENCY", 1, "On information from the "
	  "police" },
};

/* The customs procedure, by mode. */
static const struct {
	unsigned	 modes;
	const char	*code;
} demo_procedures[] = {
	{ DEMO_AIR, "TRAVELLER" }, { DEMO_AIR, "HOME" },
	{ DEMO_SEA, "HOME" }, { DEMO_SEA, "TRANSIT" },
	{ DEMO_SEA, "WAREHOUSE" },
	{ DEMO_ROAD, "TRANSIT" }, { DEMO_ROAD, "NONE" },
	{ DEMO_ROAD, "TRAVELLER" }, { DEMO_RAIL, "TRAVELLER" },
	{ DEMO_RAIL, "TRANSIT" }, { DEMO_MAIL, "POSTAL" },
	{ DEMO_MAIL, "EXPRESS" },
};

/* Countries persons and businesses come from: calling code, cities. */
static const struct demo_country {
	const char	*cc;
	const char	*dial;
	const char	*cities[4];
	const char	*legal;		/* company form */
	const char	*plate;		/* plate pattern: A letter, 9 digit */
} demo_countries[] = {
	{ "FR", "33", { "Paris", "Marseille", "Lyon", "Lille" }, "SARL",
	  "AA-999-AA" },
	{ "BE", "32", { "Bruxelles", "Antwerpen", "Liège", "Gent" }, "BV",
	  "9-AAA-999" },
	{ "ES", "34", { "Madrid", "Barcelona", "Algeciras", "Valencia" },
	  "S.L.", "9999 AAA" },
	{ "PT", "351", { "Lisboa", "Porto", "Setúbal", "Faro" }, "Lda",
	  "99-AA-99" },
	{ "DE", "49", { "Hamburg", "Berlin", "München", "Köln" }, "GmbH",
	  "AA AA 9999" },
	{ "AT", "43", { "Wien", "Graz", "Linz", "Salzburg" }, "GmbH",
	  "A 99999 A" },
	{ "NL", "31", { "Rotterdam", "Amsterdam", "Utrecht", "Venlo" },
	  "B.V.", "99-AAA-9" },
	{ "IT", "39", { "Napoli", "Genova", "Milano", "Gioia Tauro" },
	  "S.r.l.", "AA 999AA" },
	{ "GB", "44", { "London", "Liverpool", "Felixstowe", "Dover" },
	  "Ltd", "AA99 AAA" },
	{ "CO", "57", { "Bogotá", "Medellín", "Cali", "Barranquilla" },
	  "S.A.S.", "AAA 999" },
	{ "PE", "51", { "Lima", "Callao", "Arequipa", "Trujillo" }, "S.A.C.",
	  "AAA-999" },
	{ "EC", "593", { "Guayaquil", "Quito", "Manta", "Cuenca" }, "S.A.",
	  "AAA-9999" },
	{ "BR", "55", { "São Paulo", "Santos", "Rio de Janeiro", "Recife" },
	  "Ltda", "AAA9A99" },
	{ "CV", "238", { "Praia", "Mindelo", "Santa Maria", "Assomada" },
	  "Lda", "AA-99-AA" },
	{ "NG", "234", { "Lagos", "Abuja", "Kano", "Port Harcourt" }, "Ltd",
	  "AAA 999 AA" },
	{ "GH", "233", { "Accra", "Kumasi", "Tema", "Takoradi" }, "Ltd",
	  "AA 9999-99" },
	{ "SN", "221", { "Dakar", "Thiès", "Saint-Louis", "Touba" }, "SARL",
	  "AA 9999 A" },
	{ "ML", "223", { "Bamako", "Sikasso", "Mopti", "Kayes" }, "SARL",
	  "AA 9999 ML" },
	{ "CI", "225", { "Abidjan", "Bouaké", "San-Pédro", "Yamoussoukro" },
	  "SARL", "9999 AA 99" },
	{ "MA", "212", { "Casablanca", "Tanger", "Rabat", "Nador" }, "SARL",
	  "99999-A-9" },
	{ "DZ", "213", { "Alger", "Oran", "Annaba", "Constantine" }, "SARL",
	  "99999 999 99" },
	{ "TN", "216", { "Tunis", "Sfax", "Sousse", "Bizerte" }, "SARL",
	  "999 TU 9999" },
	{ "EG", "20", { "Cairo", "Alexandria", "Port Said", "Giza" }, "LLC",
	  "AAA 999" },
	{ "LB", "961", { "Beirut", "Tripoli", "Sidon", "Tyre" }, "SAL",
	  "A 999999" },
	{ "SY", "963", { "Damascus", "Aleppo", "Latakia", "Homs" }, "LLC",
	  "999999" },
	{ "AE", "971", { "Dubai", "Sharjah", "Abu Dhabi", "Ajman" }, "FZE",
	  "A 99999" },
	{ "RU", "7", { "Moskva", "Sankt-Peterburg", "Kaliningrad",
	  "Novorossiysk" }, "OOO", "A999AA 99" },
	{ "UA", "380", { "Kyiv", "Odesa", "Lviv", "Kharkiv" }, "TOV",
	  "AA 9999 AA" },
	{ "BY", "375", { "Minsk", "Brest", "Grodno", "Gomel" }, "OOO",
	  "9999 AA-9" },
	{ "BG", "359", { "Sofia", "Varna", "Burgas", "Plovdiv" }, "EOOD",
	  "AA 9999 AA" },
	{ "RS", "381", { "Beograd", "Novi Sad", "Niš", "Subotica" }, "d.o.o.",
	  "AA 999-AA" },
	{ "TR", "90", { "İstanbul", "Mersin", "İzmir", "Gaziantep" },
	  "Ltd. Şti.", "99 AAA 999" },
	{ "CN", "86", { "Shenzhen", "Guangzhou", "Yiwu", "Shanghai" },
	  "Co., Ltd.", "A99999" },
	{ "HK", "852", { "Hong Kong", "Kowloon", "Tsuen Wan", "Sha Tin" },
	  "Limited", "AA 9999" },
	{ "IN", "91", { "Mumbai", "New Delhi", "Chennai", "Kolkata" },
	  "Pvt. Ltd.", "AA 99 AA 9999" },
	{ "PA", "507", { "Panamá", "Colón", "Balboa", "David" }, "S.A.",
	  "AA9999" },
};

/* A name and its Latin transliteration (NULL: already Latin). */
struct demo_name {
	const char	*name;
	const char	*latin;
};

#define DN(a)		{ a, NULL }
#define DNT(a, b)	{ a, b }

static const struct demo_name demo_fr_family[] = {
	DN("Martin"), DN("Bernard"), DN("Dubois"), DN("Thomas"), DN("Robert"),
	DN("Richard"), DN("Petit"), DN("Durand"), DN("Leroy"), DN("Moreau"),
	DN("Simon"), DN("Laurent"), DN("Lefèvre"), DN("Michel"),
	DN("Fontaine"), DN("Chevalier"), DN("Rousseau"), DN("Girard"),
};
static const struct demo_name demo_fr_male[] = {
	DN("Jean"), DN("Pierre"), DN("Nicolas"), DN("Julien"), DN("Luc"),
	DN("François"), DN("Mathieu"), DN("Sébastien"), DN("Karim"),
	DN("Olivier"), DN("Thierry"), DN("Yannick"),
};
static const struct demo_name demo_fr_female[] = {
	DN("Marie"), DN("Sophie"), DN("Camille"), DN("Isabelle"),
	DN("Élodie"), DN("Hélène"), DN("Nathalie"), DN("Céline"),
};
static const struct demo_name demo_es_family[] = {
	DN("García"), DN("Fernández"), DN("González"), DN("Rodríguez"),
	DN("López"), DN("Martínez"), DN("Sánchez"), DN("Pérez"),
	DN("Gómez"), DN("Jiménez"), DN("Ruiz"), DN("Hernández"), DN("Díaz"),
	DN("Moreno"), DN("Muñoz"), DN("Álvarez"), DN("Castaño"),
	DN("Restrepo"), DN("Quispe"), DN("Vargas"),
};
static const struct demo_name demo_es_male[] = {
	DN("José"), DN("Antonio"), DN("Manuel"), DN("Francisco"), DN("Juan"),
	DN("Javier"), DN("Alejandro"), DN("Sergio"), DN("Andrés"),
	DN("Jhon Jairo"), DN("Luis Fernando"), DN("Óscar"),
};
static const struct demo_name demo_es_female[] = {
	DN("María"), DN("Carmen"), DN("Lucía"), DN("Ana"), DN("Isabel"),
	DN("Pilar"), DN("Daniela"), DN("Valentina"), DN("Luz Marina"),
};
static const struct demo_name demo_pt_family[] = {
	DN("Silva"), DN("Santos"), DN("Oliveira"), DN("Souza"), DN("Pereira"),
	DN("Costa"), DN("Rodrigues"), DN("Almeida"), DN("Nascimento"),
	DN("Lima"), DN("Araújo"), DN("Fernandes"), DN("Carvalho"),
	DN("Gomes"), DN("Ribeiro"), DN("Gonçalves"),
};
static const struct demo_name demo_pt_male[] = {
	DN("João"), DN("Antônio"), DN("Carlos"), DN("Paulo"), DN("Pedro"),
	DN("Lucas"), DN("Luiz"), DN("Gonçalo"), DN("Tiago"), DN("Rui"),
};
static const struct demo_name demo_pt_female[] = {
	DN("Ana"), DN("Maria"), DN("Fernanda"), DN("Juliana"), DN("Beatriz"),
	DN("Inês"), DN("Conceição"),
};
static const struct demo_name demo_de_family[] = {
	DN("Müller"), DN("Schmidt"), DN("Schneider"), DN("Fischer"),
	DN("Weber"), DN("Meyer"), DN("Wagner"), DN("Becker"), DN("Schulz"),
	DN("Hoffmann"), DN("Koch"), DN("Richter"), DN("Wolf"),
	DN("Schröder"), DN("Van den Berg"), DN("De Vries"),
};
static const struct demo_name demo_de_male[] = {
	DN("Thomas"), DN("Michael"), DN("Andreas"), DN("Stefan"),
	DN("Jürgen"), DN("Klaus"), DN("Jörg"), DN("Lukas"), DN("Dirk"),
	DN("Pieter"),
};
static const struct demo_name demo_de_female[] = {
	DN("Sabine"), DN("Petra"), DN("Monika"), DN("Katrin"), DN("Leonie"),
	DN("Anke"),
};
static const struct demo_name demo_wa_family[] = {
	DN("Okafor"), DN("Adeyemi"), DN("Okonkwo"), DN("Eze"), DN("Balogun"),
	DN("Obi"), DN("Nwosu"), DN("Adebayo"), DN("Chukwu"), DN("Mensah"),
	DN("Boateng"), DN("Owusu"), DN("Diallo"), DN("Traoré"),
	DN("Coulibaly"), DN("Keïta"), DN("Ndiaye"), DN("Sow"), DN("Koné"),
	DN("Ouattara"),
};
static const struct demo_name demo_wa_male[] = {
	DN("Chinedu"), DN("Emeka"), DN("Oluwaseun"), DN("Babajide"),
	DN("Kwame"), DN("Kofi"), DN("Mamadou"), DN("Ousmane"),
	DN("Ibrahima"), DN("Seydou"), DN("Yaw"), DN("Ikechukwu"),
};
static const struct demo_name demo_wa_female[] = {
	DN("Adaeze"), DN("Ngozi"), DN("Ama"), DN("Abena"), DN("Fatoumata"),
	DN("Aminata"), DN("Aïssatou"), DN("Folake"),
};
static const struct demo_name demo_ar_family[] = {
	DNT("الحداد", "El Haddad"), DNT("النجار", "Najjar"),
	DNT("الخطيب", "El Khatib"), DNT("المصري", "El Masri"),
	DNT("الشامي", "Chami"), DNT("البغدادي", "Baghdadi"),
	DNT("العمري", "El Omari"), DNT("بن علي", "Ben Ali"),
	DNT("منصور", "Mansour"), DNT("حداد", "Haddad"),
	DNT("بن يوسف", "Benyoussef"), DNT("العلوي", "Alaoui"),
	DNT("التازي", "Tazi"), DNT("بوزيد", "Bouzid"),
	DNT("السيد", "El Sayed"), DNT("الزين", "Zein"),
};
static const struct demo_name demo_ar_male[] = {
	DNT("محمد", "Mohamed"), DNT("أحمد", "Ahmed"), DNT("علي", "Ali"),
	DNT("حسن", "Hassan"), DNT("عمر", "Omar"), DNT("يوسف", "Youssef"),
	DNT("خالد", "Khaled"), DNT("إبراهيم", "Ibrahim"),
	DNT("مصطفى", "Mustafa"), DNT("عبد الله", "Abdallah"),
	DNT("كريم", "Karim"), DNT("رشيد", "Rachid"),
};
static const struct demo_name demo_ar_female[] = {
	DNT("فاطمة", "Fatima"), DNT("عائشة", "Aicha"), DNT("مريم", "Meriem"),
	DNT("زينب", "Zineb"), DNT("سارة", "Sara"), DNT("نادية", "Nadia"),
	DNT("خديجة", "Khadija"),
};
static const struct demo_name demo_cy_family[] = {
	DNT("Иванов", "Ivanov"), DNT("Смирнов", "Smirnov"),
	DNT("Кузнецов", "Kuznetsov"), DNT("Попов", "Popov"),
	DNT("Петров", "Petrov"), DNT("Соколов", "Sokolov"),
	DNT("Волков", "Volkov"), DNT("Морозов", "Morozov"),
	DNT("Шевченко", "Shevchenko"), DNT("Коваленко", "Kovalenko"),
	DNT("Бондаренко", "Bondarenko"), DNT("Ткаченко", "Tkachenko"),
	DNT("Георгиев", "Georgiev"), DNT("Димитров", "Dimitrov"),
	DNT("Петровић", "Petrović"), DNT("Јовановић", "Jovanović"),
};
static const struct demo_name demo_cy_male[] = {
	DNT("Александр", "Aleksandr"), DNT("Сергей", "Sergey"),
	DNT("Дмитрий", "Dmitriy"), DNT("Андрей", "Andrey"),
	DNT("Алексей", "Aleksey"), DNT("Иван", "Ivan"), DNT("Олег", "Oleg"),
	DNT("Тарас", "Taras"), DNT("Богдан", "Bohdan"),
	DNT("Никола", "Nikola"), DNT("Георги", "Georgi"),
};
static const struct demo_name demo_cy_female[] = {
	DNT("Наталья", "Natalya"), DNT("Елена", "Elena"),
	DNT("Ольга", "Olga"), DNT("Татьяна", "Tatyana"),
	DNT("Ирина", "Irina"), DNT("Светлана", "Svetlana"),
	DNT("Милена", "Milena"),
};

#define DEMO_NAMES(a)	a, DEMO_NELEM(a)

/* Where persons come from: names by region and script, and countries. */
static const struct demo_region {
	const char		*countries[8];
	const struct demo_name	*family;
	size_t			 nfamily;
	const struct demo_name	*male;
	size_t			 nmale;
	const struct demo_name	*female;
	size_t			 nfemale;
	int			 feminine;	/* -ov -> -ova for women */
	const char		*streets[3];
	unsigned		 weight;
} demo_regions[] = {
	{ { "FR", "BE" }, DEMO_NAMES(demo_fr_family),
	  DEMO_NAMES(demo_fr_male), DEMO_NAMES(demo_fr_female), 0,
	  { "rue Victor Hugo", "avenue de la République", "boulevard "
	  "Gambetta" }, 14 },
	{ { "ES", "CO", "PE", "EC" }, DEMO_NAMES(demo_es_family),
	  DEMO_NAMES(demo_es_male), DEMO_NAMES(demo_es_female), 0,
	  { "Calle Mayor", "Avenida de la Constitución", "Carrera 7" }, 12 },
	{ { "PT", "BR", "CV" }, DEMO_NAMES(demo_pt_family),
	  DEMO_NAMES(demo_pt_male), DEMO_NAMES(demo_pt_female), 0,
	  { "Rua das Flores", "Avenida da Liberdade", "Rua Augusta" }, 7 },
	{ { "DE", "AT", "NL" }, DEMO_NAMES(demo_de_family),
	  DEMO_NAMES(demo_de_male), DEMO_NAMES(demo_de_female), 0,
	  { "Hauptstraße", "Bahnhofstraße", "Schillerstraße" }, 6 },
	{ { "NG", "GH", "SN", "ML", "CI" }, DEMO_NAMES(demo_wa_family),
	  DEMO_NAMES(demo_wa_male), DEMO_NAMES(demo_wa_female), 0,
	  { "Allen Avenue", "Ring Road", "Avenue Cheikh Anta Diop" }, 11 },
	{ { "MA", "DZ", "TN", "EG", "LB", "SY", "AE" },
	  DEMO_NAMES(demo_ar_family), DEMO_NAMES(demo_ar_male),
	  DEMO_NAMES(demo_ar_female), 0,
	  { "شارع محمد الخامس", "شارع الحرية", "نهج الحبيب بورقيبة" }, 12 },
	{ { "RU", "UA", "BY", "BG", "RS" }, DEMO_NAMES(demo_cy_family),
	  DEMO_NAMES(demo_cy_male), DEMO_NAMES(demo_cy_female), 1,
	  { "ул. Ленина", "проспект Мира", "ул. Шевченко" }, 8 },
};

/* What persons do for a living, when they say. */
static const char *demo_occupations[] = {
	"lorry driver", "trader", "student", "unemployed", "mechanic",
	"seafarer", "businessman", "taxi driver", "cook", "nurse",
	"construction worker", "shop owner", "farmer", "dock worker",
};

/* Nicknames some persons are known by. */
static const char *demo_nicknames[] = {
	"Le Gros", "El Flaco", "Big Man", "Toto", "Doc", "Papa",
};

/* Parts of company names. */
static const char *demo_company_a[] = {
	"Atlas", "Orion", "Sahel", "Baltic", "Rainbow", "Euro-Asia", "Delta",
	"Phoenix", "Silverline", "Nova", "Meridian", "Pacific", "Andes",
	"Sirius", "Horizon", "Oasis", "Cedar", "Lotus", "Tamarind", "Falcon",
};
static const char *demo_company_b[] = {
	"Trading", "Import Export", "Logistics", "Freight", "General Trading",
	"Distribution", "Shipping", "Commodities", "Food Products",
	"Textiles", "Auto Parts", "Electronics",
};

/* Vessels, shipping lines, airlines, vehicles. */
static const char *demo_vessels[] = {
	"Atlantic Dawn", "Sea Falcon", "Nordic Star", "Aurora Bay",
	"Cap Blanc", "Santa Lucia", "Oriental Pearl", "Golden Horizon",
	"Marina Express", "Baltic Trader", "Southern Cross", "Blue Fin",
};
static const char *demo_lines[] = {
	"Oceanic Star Lines", "Blue Anchor Shipping", "Transmar Container "
	"Line", "Gulfstream Feeder Services", "Cape Verde Maritime",
};
static const char *demo_flags[] = {
	"PA", "LR", "MH", "MT", "BS", "CY", "SG", "PT", "HK",
};
static const struct {
	const char	*designator;
	const char	*airline;
	const char	*reg;		/* registration prefix */
} demo_airlines[] = {
	{ "XK", "Air Meridian", "F-" }, { "QV", "Andes Air", "HK-" },
	{ "ZN", "Sahel Airways", "5N-" }, { "WG", "Gulf Horizon", "A6-" },
	{ "YB", "Atlantic Wings", "CS-" }, { "JX", "Levant Air", "OD-" },
};
static const char *demo_makes[] = {
	"Renault Master", "Mercedes-Benz Sprinter", "Volvo FH", "Scania R450",
	"Peugeot 308", "BMW X5", "Toyota Land Cruiser", "Iveco Daily",
	"DAF XF", "Volkswagen Golf", "Audi A6", "Ford Transit",
};
static const char *demo_hauliers[] = {
	"Transports Rapides", "EuroRoute Logistics", "Trans-Balkan Cargo",
	"Iberia Camiones", "Nord Express Fracht",
};

/* Officers and supervisors who record and validate cases. */
static const char *demo_officers[] = {
	"j.dupont", "m.bernard", "a.benali", "s.martin", "k.nguyen",
	"l.moreau", "r.garcia", "c.petit", "t.lefevre", "n.diallo",
	"h.roux", "e.fontaine", "y.mensah", "p.costa", "i.kovac",
	"f.haddad",
};
static const char *demo_supervisors[] = {
	"chef.durand", "chef.leclerc", "chef.rousseau", "chef.amrani",
};

/* Why supervisors reopen cases. */
static const char *demo_reopen[] = {
	"Laboratory report: purity and weight corrected",
	"New evidence from the follow-up investigation",
	"Wrong office recorded; corrected at the officer's request",
	"Partner administration identified a further suspect",
};

/* A pool of records that come back in later cases. */
struct demo_pool {
	uint64_t	*id;
	size_t		 n, cap;
};

/* What a batch may change and must give back if it is retried. */
struct demo_mut {
	uint64_t		 rng[4];
	uint64_t		 next;		/* index of the next case */
	struct demo_stats	 stats;
	size_t			 npersons, nbusinesses, nvessels, nvehicles;
	size_t			 nflights;
};

/* The generator. */
struct demo_gen {
	const struct demo_options	*o;
	const struct schema		*s;
	const char			*user;
	const struct schema_form	*fcase, *fseizure, *fperson;
	const struct schema_form	*fbusiness, *fconveyance;
	int				 history;	/* a transition form */
	const struct schema_codelist	*countries, *currencies, *offices;
	const struct schema_codelist	*types;
	unsigned			*office_modes;
	unsigned			 goods_weight[DEMO_NELEM(demo_goods)];
	char				 home[3];
	const char			*currency;	/* of values */
	int				 cet;		/* home is on CET */
	int64_t				 first, last;	/* days since 1970 */
	int				 year0, nyears;
	uint32_t			*numbers, *numbers_saved;
	struct demo_pool		 persons, businesses, vessels;
	struct demo_pool		 vehicles, flights;
	struct demo_mut			 cur, saved;
	uint64_t			 batch_n;	/* cases this batch */
	/* Scratch, reused for every case. */
	struct buf			 b, problems;
	uint64_t			 in_case[8];
	size_t				 nin_case;
};

/* One step of splitmix64 (seeds the main generator). */
static uint64_t
demo_splitmix(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Rotate left. */
static uint64_t
demo_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The next 64 random bits (xoshiro256**). */
static uint64_t
demo_next(struct demo_gen *g)
{
	uint64_t	*s = g->cur.rng;
	uint64_t	 r = demo_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = demo_rotl(s[3], 45);
	return r;
}

/* A number in [0, n) (n > 0). */
static uint64_t
demo_below(struct demo_gen *g, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)demo_next(g) * n) >> 64);
}

/* A number in [lo, hi]. */
static uint64_t
demo_range(struct demo_gen *g, uint64_t lo, uint64_t hi)
{
	return lo + demo_below(g, hi - lo + 1);
}

/* True pct times in a hundred. */
static int
demo_pct(struct demo_gen *g, unsigned pct)
{
	return demo_below(g, 100) < pct;
}

/* One of n strings. */
static const char *
demo_pick(struct demo_gen *g, const char *const *a, size_t n)
{
	return a[demo_below(g, n)];
}
#define DEMO_PICK(g, a)	demo_pick(g, a, DEMO_NELEM(a))

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static int64_t
demo_days(int y, unsigned m, unsigned d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* The civil date of a day number. */
static void
demo_civil(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t		era;
	unsigned	doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400) + (*m <= 2);
}

/* Parse "YYYY-MM-DD" (a constant of ours) into a day number. */
static int64_t
demo_parse_day(const char *s)
{
	return demo_days(atoi(s), (unsigned)atoi(s + 5), (unsigned)atoi(s + 8));
}

/* Append a day number as YYYY-MM-DD. */
static void
demo_add_date(struct buf *b, int64_t day)
{
	int		y;
	unsigned	m, d;

	demo_civil(day, &y, &m, &d);
	buf_addf(b, "%04d-%02u-%02u", y, m, d);
}

/* The last Sunday of a month (day number). */
static int64_t
demo_last_sunday(int y, unsigned m)
{
	int64_t	last;

	last = demo_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;

	/* 1970-01-01 was a Thursday: (day + 4) % 7 is 0 on Sundays. */
	return last - ((last % 7 + 7 + 4) % 7);
}

/* Add an id to a pool. */
static void
demo_pool_add(struct demo_pool *p, uint64_t id)
{
	if (p->n == p->cap) {
		p->cap = p->cap == 0 ? 64 : p->cap * 2;
		p->id = xreallocarray(p->id, p->cap, sizeof *p->id);
	}
	p->id[p->n++] = id;
}

/* An id from a pool, favouring the first ones (the regulars). */
static uint64_t
demo_pool_pick(struct demo_gen *g, const struct demo_pool *p)
{
	return p->id[demo_below(g, demo_below(g, p->n) + 1)];
}

/* Whether a country code is in this data directory's list. */
static int
demo_country_ok(struct demo_gen *g, const char *cc)
{
	return cc != NULL && schema_code_find(g->countries, cc) != NULL;
}

/* A country of a NULL-ended list that exists and is none of the others. */
static const char *
demo_country(struct demo_gen *g, const char *const *list, size_t max,
    const char *not1, const char *not2)
{
	size_t	n, i, k;

	for (n = 0; n < max && list[n] != NULL; n++)
		;
	if (n == 0)
		return NULL;
	k = (size_t)demo_below(g, n);
	for (i = 0; i < n; i++) {
		const char	*cc = list[(k + i) % n];

		if (demo_country_ok(g, cc) &&
		    (not1 == NULL || strcmp(cc, not1) != 0) &&
		    (not2 == NULL || strcmp(cc, not2) != 0))
			return cc;
	}
	return NULL;
}

/* The row of demo_countries for a code, or NULL. */
static const struct demo_country *
demo_country_info(const char *cc)
{
	size_t	i;

	for (i = 0; cc != NULL && i < DEMO_NELEM(demo_countries); i++)
		if (strcmp(demo_countries[i].cc, cc) == 0)
			return &demo_countries[i];
	return NULL;
}

/* Append random characters after a pattern: A a letter, 9 a digit. */
static void
demo_pattern(struct demo_gen *g, struct buf *b, const char *pat)
{
	static const char	letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";

	for (; *pat != '\0'; pat++) {
		if (*pat == 'A')
			buf_addc(b, letters[demo_below(g, sizeof letters - 1)]);
		else if (*pat == '9')
			buf_addc(b, '0' + (int)demo_below(g, 10));
		else
			buf_addc(b, *pat);
	}
}

/* Set a field of a record, all of whose values the generator made. */
static void
demo_set(struct record *r, const char *name, const char *value)
{
	int	i = schema_field_index(r->form, name);

	if (i >= 0 && value != NULL && *value != '\0')
		record_add_value(r, (size_t)i, value);
}

/* Set a field from the scratch buffer, then empty it. */
static void
demo_set_buf(struct demo_gen *g, struct record *r, const char *name)
{
	demo_set(r, name, buf_cstr(&g->b));
	buf_reset(&g->b);
}

/* References made here are to records this transaction just wrote. */
static int
demo_ref_ok(const char *entity, uint64_t id, void *arg)
{
	(void)entity;
	(void)arg;
	return id != 0;
}

/* Check a generated record against its form, then store it. */
static int
demo_put(struct demo_gen *g, struct store_txn *t, struct record *r,
    enum schema_mode mode, struct ncen_err *err)
{
	buf_reset(&g->problems);
	if (schema_validate(g->s, r, mode, demo_ref_ok, NULL, &g->problems) !=
	    NCEN_OK)
		return ncen_err_set(err, NCEN_EINVALID, _("demo: case %llu "
		    "(seed %llu): a generated %s record is refused: %s"),
		    (unsigned long long)g->cur.next + 1,
		    (unsigned long long)g->o->seed, r->form->name,
		    buf_cstr(&g->problems));
	return store_put(t, r, g->user, err);
}

/* Link a case to a record with a role, unless it is linked already. */
static int
demo_link(struct demo_gen *g, struct store_txn *t, uint64_t case_id,
    const char *entity, uint64_t id, const char *role, struct ncen_err *err)
{
	struct store_ref	a, b;
	int			error;

	a.entity = "case";
	a.id = case_id;
	b.entity = entity;
	b.id = id;
	if ((error = store_link_add(t, a, b, role, err)) == NCEN_OK)
		g->cur.stats.links++;
	return error;
}

/* Whether a record is already part of the case being made. */
static int
demo_in_case(struct demo_gen *g, uint64_t id, int add)
{
	size_t	i;

	for (i = 0; i < g->nin_case; i++)
		if (g->in_case[i] == id)
			return 1;
	if (add && g->nin_case < DEMO_NELEM(g->in_case))
		g->in_case[g->nin_case++] = id;
	return 0;
}

/* Append a name, made feminine (-ov -> -ova) where the region does so. */
static void
demo_add_name(struct buf *b, const char *name, int feminine)
{
	size_t	n = strlen(name);

	buf_adds(b, name);
	if (!feminine || n < 2)
		return;
	/* Cyrillic "в" or "н" (2 bytes each), or Latin v or n, at the end. */
	if ((n >= 2 && (strcmp(name + n - 2, "в") == 0 ||
	    strcmp(name + n - 2, "н") == 0)))
		buf_adds(b, "а");
	else if (name[n - 1] == 'v' || name[n - 1] == 'n')
		buf_addc(b, 'a');
}

/* Append the ASCII letters of a name in lower case (for e-mail addresses). */
static void
demo_add_ascii(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s >= 'A' && *s <= 'Z')
			buf_addc(b, *s - 'A' + 'a');
		else if (*s >= 'a' && *s <= 'z')
			buf_addc(b, *s);
	}
}

/* A weighted region, or the one a country belongs to. */
static size_t
demo_region(struct demo_gen *g, const char *cc)
{
	size_t		i, j;
	unsigned	total = 0, k;

	for (i = 0; cc != NULL && i < DEMO_NELEM(demo_regions); i++)
		for (j = 0; j < DEMO_NELEM(demo_regions[i].countries) &&
		    demo_regions[i].countries[j] != NULL; j++)
			if (strcmp(demo_regions[i].countries[j], cc) == 0)
				return i;
	for (i = 0; i < DEMO_NELEM(demo_regions); i++)
		total += demo_regions[i].weight;
	k = (unsigned)demo_below(g, total);
	for (i = 0; i < DEMO_NELEM(demo_regions); i++) {
		if (k < demo_regions[i].weight)
			return i;
		k -= demo_regions[i].weight;
	}
	return 0;
}

/* Make a person of a region met on the given day; its id goes to *id. */
static int
demo_person(struct demo_gen *g, struct store_txn *t, const char *cc,
    int64_t day, uint64_t *id, struct ncen_err *err)
{
	const struct demo_region	*rg;
	const struct demo_name		*fam, *giv, *giv2 = NULL;
	const struct demo_country	*ci;
	struct record			*r;
	const char			*nat;
	size_t				 k;
	int				 female, error;

	/* Half the time the region of the route, else any. */
	k = demo_region(g, demo_pct(g, 50) ? cc : NULL);
	rg = &demo_regions[k];
	female = demo_pct(g, 22);
	fam = &rg->family[demo_below(g, rg->nfamily)];
	if (female)
		giv = &rg->female[demo_below(g, rg->nfemale)];
	else
		giv = &rg->male[demo_below(g, rg->nmale)];
	if (k <= 2 && demo_pct(g, 20))	/* French, Spanish, Portuguese */
		giv2 = female ? &rg->female[demo_below(g, rg->nfemale)] :
		    &rg->male[demo_below(g, rg->nmale)];
	if (giv2 == giv)
		giv2 = NULL;
	nat = demo_country(g, rg->countries, DEMO_NELEM(rg->countries), NULL,
	    NULL);
	ci = demo_country_info(nat);

	r = record_new(g->fperson);
	demo_add_name(&g->b, fam->name, female && rg->feminine);
	demo_set_buf(g, r, "family_name");
	buf_adds(&g->b, giv->name);
	if (giv2 != NULL)
		buf_addf(&g->b, " %s", giv2->name);
	demo_set_buf(g, r, "given_names");
	if (fam->latin != NULL) {
		/* As the passport's machine-readable zone spells it. */
		buf_addf(&g->b, "%s ", giv->latin != NULL ? giv->latin :
		    giv->name);
		demo_add_name(&g->b, fam->latin, female && rg->feminine);
		demo_set_buf(g, r, "aliases");
	}
	if (demo_pct(g, 6)) {
		demo_set(r, "aliases", DEMO_PICK(g, demo_nicknames));
	}
	demo_add_date(&g->b, day - 18 * 365 - (int64_t)demo_below(g, 47 * 365));
	demo_set_buf(g, r, "birth_date");
	if (ci != NULL) {
		demo_set(r, "birth_place", ci->cities[demo_below(g, 4)]);
		demo_set(r, "birth_country", nat);
	}
	demo_set(r, "sex", female ? "2" : "1");
	demo_set(r, "nationality", nat);
	if (demo_pct(g, 6) && strcmp(nat != NULL ? nat : "", g->home) != 0)
		demo_set(r, "nationality", g->home);
	demo_set(r, "document_type", demo_pct(g, 85) ? "P" : "I");
	demo_pattern(g, &g->b, demo_pct(g, 50) ? "99AA99999" : "A99999999");
	demo_set_buf(g, r, "document_number");
	demo_set(r, "document_country", nat);
	demo_add_date(&g->b, day + 30 + (int64_t)demo_below(g, 3650));
	demo_set_buf(g, r, "document_expiry");
	if (ci != NULL && demo_pct(g, 40)) {
		buf_addf(&g->b, "%u %s, %s", (unsigned)demo_range(g, 1, 180),
		    DEMO_PICK(g, rg->streets), ci->cities[demo_below(g, 4)]);
		demo_set_buf(g, r, "address");
	}
	if (ci != NULL && demo_pct(g, 60)) {
		buf_addf(&g->b, "+%s ", ci->dial);
		demo_pattern(g, &g->b, "999 999 999");
		demo_set_buf(g, r, "phone");
	}
	if (demo_pct(g, 15)) {
		demo_add_ascii(&g->b, giv->latin != NULL ? giv->latin :
		    giv->name);
		buf_addc(&g->b, '.');
		demo_add_ascii(&g->b, fam->latin != NULL ? fam->latin :
		    fam->name);
		buf_addf(&g->b, "%u@example.net", (unsigned)demo_below(g, 100));
		demo_set_buf(g, r, "email");
	}
	if (demo_pct(g, 50))
		demo_set(r, "occupation", DEMO_PICK(g, demo_occupations));
	if ((error = demo_put(g, t, r, SCHEMA_SUBMIT, err)) == NCEN_OK) {
		*id = r->id;
		g->cur.stats.persons++;
	}
	record_free(r);
	return error;
}

/* The kind of business a role in a case suggests. */
static const char *
demo_business_kind(const char *role)
{
	static const char	*kinds[][2] = {
		{ "CONSIGNEE", "IMPORTER" }, { "CONSIGNOR", "EXPORTER" },
		{ "DECLARANT", "BROKER" }, { "CARRIER", "CARRIER" },
		{ "FORWARDER", "FORWARDER" },
	};
	size_t			 i;

	for (i = 0; i < DEMO_NELEM(kinds); i++)
		if (strcmp(kinds[i][0], role) == 0)
			return kinds[i][1];
	return "WHOLESALER";
}

/* Make a business of a country with a role; its id goes to *id. */
static int
demo_business(struct demo_gen *g, struct store_txn *t, const char *cc,
    const char *role, uint64_t *id, struct ncen_err *err)
{
	const struct demo_country	*ci = demo_country_info(cc);
	struct record			*r = record_new(g->fbusiness);
	const char			*a, *b;
	int				 error;

	a = DEMO_PICK(g, demo_company_a);
	b = strcmp(role, "CARRIER") == 0 ? "Transport" :
	    DEMO_PICK(g, demo_company_b);
	buf_addf(&g->b, "%s %s %s", a, b, ci != NULL ? ci->legal : "Ltd");
	demo_set_buf(g, r, "name");
	if (demo_pct(g, 10)) {
		buf_addf(&g->b, "%s %s", a, DEMO_PICK(g, demo_company_b));
		demo_set_buf(g, r, "other_names");
	}
	demo_set(r, "kind", demo_business_kind(role));
	demo_set(r, "country", cc);
	demo_pattern(g, &g->b, "999999999");
	demo_set_buf(g, r, "registration_number");
	if (cc != NULL && demo_pct(g, 60)) {
		buf_adds(&g->b, cc);
		demo_pattern(g, &g->b, "99999999999");
		demo_set_buf(g, r, "tax_number");
	}
	if (cc != NULL && strcmp(cc, g->home) == 0) {
		buf_adds(&g->b, cc);
		demo_pattern(g, &g->b, "99999999999999");
		demo_set_buf(g, r, "trader_number");
	}
	if (ci != NULL) {
		buf_addf(&g->b, "Zone industrielle, lot %u, %s",
		    (unsigned)demo_range(g, 1, 400),
		    ci->cities[demo_below(g, 4)]);
		demo_set_buf(g, r, "address");
		buf_addf(&g->b, "+%s ", ci->dial);
		demo_pattern(g, &g->b, "99 999 9999");
		demo_set_buf(g, r, "phone");
	}
	buf_adds(&g->b, "contact@");
	demo_add_ascii(&g->b, a);
	buf_adds(&g->b, "-");
	demo_add_ascii(&g->b, b);
	buf_adds(&g->b, ".example");
	demo_set_buf(g, r, "email");
	if ((error = demo_put(g, t, r, SCHEMA_SUBMIT, err)) == NCEN_OK) {
		*id = r->id;
		g->cur.stats.businesses++;
	}
	record_free(r);
	return error;
}

/* Append a valid IMO ship number: six digits and their check digit. */
static void
demo_imo(struct demo_gen *g, struct buf *b)
{
	size_t	start = b->len;

	buf_addc(b, '9');
	demo_pattern(g, b, "99999");
	buf_addc(b, schema_check_compute(SCHEMA_CHECK_IMO, b->s + start));
}

/* Append a valid ISO 6346 container number: owner, U, serial, check. */
static void
demo_container(struct demo_gen *g, struct buf *b)
{
	size_t	start = b->len;

	demo_pattern(g, b, "AAAU999999");
	buf_addc(b, schema_check_compute(SCHEMA_CHECK_ISO6346, b->s + start));
}

/* Append a valid UPU S10 item number: service, serial, check, country. */
static void
demo_s10(struct demo_gen *g, struct buf *b, const char *cc)
{
	static const unsigned	w[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
	static const char	*services[] = { "RR", "CP", "EE", "LX", "CX" };
	unsigned		d, sum = 0, c, i;

	buf_adds(b, DEMO_PICK(g, services));
	for (i = 0; i < 8; i++) {
		d = (unsigned)demo_below(g, 10);
		sum += d * w[i];
		buf_addc(b, '0' + (int)d);
	}
	c = 11 - sum % 11;
	buf_addc(b, '0' + (int)(c == 10 ? 0 : c == 11 ? 5 : c));
	buf_adds(b, cc != NULL ? cc : "CN");
}

/* Append a 17-character VIN (ISO 3779: no I, O or Q). */
static void
demo_vin(struct demo_gen *g, struct buf *b)
{
	static const char	*wmi[] = { "VF1", "WDB", "YV2", "YS2", "VF3",
	    "WBA", "JTE", "ZCF", "XLR", "WVW", "WAU", "WF0" };

	buf_adds(b, DEMO_PICK(g, wmi));
	demo_pattern(g, b, "AAAAA9A9A99999");
}

/* Store a conveyance record being built; its id goes to *id. */
static int
demo_conveyance_put(struct demo_gen *g, struct store_txn *t, struct record *r,
    uint64_t *id, struct ncen_err *err)
{
	int	error;

	if ((error = demo_put(g, t, r, SCHEMA_SUBMIT, err)) == NCEN_OK) {
		*id = r->id;
		g->cur.stats.conveyances++;
	}
	record_free(r);
	return error;
}

/*
 * Make (or find again in its pool) the conveyance of a case's mode;
 * *id gets it.
 */
static int
demo_conveyance(struct demo_gen *g, struct store_txn *t, unsigned mode,
    int container, const char *dep, uint64_t *id, struct ncen_err *err)
{
	struct record			*r;
	const struct demo_country	*ci;
	size_t				 k;
	const char			*cc;
	int				 error;

	if (mode == DEMO_SEA && !container && g->vessels.n > 0 &&
	    demo_pct(g, 60)) {
		*id = demo_pool_pick(g, &g->vessels);
		return NCEN_OK;
	}
	if (mode == DEMO_ROAD && g->vehicles.n > 0 && demo_pct(g, 8)) {
		*id = demo_pool_pick(g, &g->vehicles);
		return NCEN_OK;
	}
	if (mode == DEMO_AIR && g->flights.n > 20 && demo_pct(g, 50)) {
		*id = demo_pool_pick(g, &g->flights);
		return NCEN_OK;
	}
	r = record_new(g->fconveyance);
	switch (mode) {
	case DEMO_SEA:
		if (container) {
			demo_set(r, "kind", "CONTAINER");
			demo_container(g, &g->b);
			demo_set_buf(g, r, "container");
			demo_pattern(g, &g->b, "AA9999999");
			demo_set_buf(g, r, "seal");
			demo_set(r, "carrier", DEMO_PICK(g, demo_lines));
			return demo_conveyance_put(g, t, r, id, err);
		}
		demo_set(r, "kind", "VESSEL");
		cc = DEMO_PICK(g, demo_flags);
		demo_set(r, "flag", demo_country_ok(g, cc) ? cc : NULL);
		demo_set(r, "name", DEMO_PICK(g, demo_vessels));
		demo_imo(g, &g->b);
		demo_set_buf(g, r, "imo");
		demo_set(r, "carrier", DEMO_PICK(g, demo_lines));
		if ((error = demo_conveyance_put(g, t, r, id, err)) !=
		    NCEN_OK)
			return error;
		demo_pool_add(&g->vessels, *id);
		return NCEN_OK;
	case DEMO_AIR:
		k = (size_t)demo_below(g, DEMO_NELEM(demo_airlines));
		demo_set(r, "kind", "AIRCRAFT");
		buf_addf(&g->b, "%s%u", demo_airlines[k].designator,
		    (unsigned)demo_range(g, 10, 2999));
		demo_set_buf(g, r, "flight");
		buf_adds(&g->b, demo_airlines[k].reg);
		demo_pattern(g, &g->b, strcmp(demo_airlines[k].reg, "HK-") ==
		    0 ? "9999" : strcmp(demo_airlines[k].reg, "F-") == 0 ?
		    "AAAA" : "AAA");
		demo_set_buf(g, r, "aircraft_registration");
		demo_set(r, "carrier", demo_airlines[k].airline);
		if ((error = demo_conveyance_put(g, t, r, id, err)) !=
		    NCEN_OK)
			return error;
		demo_pool_add(&g->flights, *id);
		return NCEN_OK;
	case DEMO_ROAD:
		cc = demo_pct(g, 50) && demo_country_info(dep) != NULL ? dep :
		    g->home;
		ci = demo_country_info(cc);
		demo_set(r, "kind", demo_pct(g, 20) ? "TRAILER" : "VEHICLE");
		demo_set(r, "flag", demo_country_ok(g, cc) ? cc : NULL);
		demo_pattern(g, &g->b, ci != NULL ? ci->plate : "AA 9999");
		demo_set_buf(g, r, "plate");
		demo_vin(g, &g->b);
		demo_set_buf(g, r, "vin");
		demo_set(r, "make_model", DEMO_PICK(g, demo_makes));
		if (demo_pct(g, 40))
			demo_set(r, "carrier", DEMO_PICK(g, demo_hauliers));
		if ((error = demo_conveyance_put(g, t, r, id, err)) !=
		    NCEN_OK)
			return error;
		if (demo_pct(g, 20))
			demo_pool_add(&g->vehicles, *id);
		return NCEN_OK;
	case DEMO_RAIL:
		demo_set(r, "kind", "TRAIN");
		buf_addf(&g->b, "Train %u",
		    (unsigned)demo_range(g, 100, 99999));
		demo_set_buf(g, r, "name");
		demo_set(r, "carrier", "National railway operator");
		return demo_conveyance_put(g, t, r, id, err);
	default:
		demo_set(r, "kind", "PARCEL");
		demo_s10(g, &g->b, demo_country_ok(g, dep) ? dep : NULL);
		demo_set_buf(g, r, "tracking");
		demo_set(r, "carrier", demo_pct(g, 60) ? "Postal operator" :
		    "Express courier");
		return demo_conveyance_put(g, t, r, id, err);
	}
}

/* Brands on cigarettes and counterfeits (invented ones). */
static const char *demo_brands[] = {
	"Royal Crown", "Gold Coast", "Premier Line", "Capitan", "Red Falcon",
	"Sportiva", "Luxe Paris", "Urban Stride",
};

/* Packages per unit of quantity: a seizure of q units is q / n packages. */
static const struct {
	const char	*unit;
	uint64_t	 per;		/* thousandths of a unit a package */
} demo_packs[] = {
	{ "KGM", 1000 }, { "GRM", 100000 }, { "H87", 10000000 },
	{ "LTR", 10000 }, { "TNE", 1000 }, { "MTQ", 1000 },
	{ "C62", 10000000 },
};

/* How a quantity in a unit reads in a narrative ("12.5 kg of ..."). */
static const char *demo_unit_words[][2] = {
	{ "KGM", "kg of " }, { "GRM", "g of " }, { "LTR", "litres of " },
	{ "TNE", "tonnes of " }, { "MTQ", "cubic metres of " },
	{ "H87", "" }, { "C62", "" },
};

/* The goods of a seizure in a mode, by weight. */
static const struct demo_goods *
demo_goods_pick(struct demo_gen *g, unsigned mode)
{
	uint64_t	total = 0, k;
	size_t		i;
	unsigned	m = mode;

	for (i = 0; i < DEMO_NELEM(demo_goods); i++)
		if (demo_goods[i].modes & m)
			total += g->goods_weight[i];
	if (total == 0) {
		m = DEMO_ANY;
		for (i = 0; i < DEMO_NELEM(demo_goods); i++)
			total += g->goods_weight[i];
	}
	k = demo_below(g, total);
	for (i = 0; i < DEMO_NELEM(demo_goods); i++) {
		if ((demo_goods[i].modes & m) == 0)
			continue;
		if (k < g->goods_weight[i])
			return &demo_goods[i];
		k -= g->goods_weight[i];
	}
	return &demo_goods[0];
}

/* Append thousandths as a decimal, trimmed for reading ("12.5"). */
static void
demo_add_amount(struct buf *b, uint64_t milli)
{
	uint64_t	f = milli % 1000;

	buf_addf(b, "%llu", (unsigned long long)(milli / 1000));
	if (f == 0)
		return;
	if (f % 100 == 0)
		buf_addf(b, ".%llu", (unsigned long long)(f / 100));
	else if (f % 10 == 0)
		buf_addf(b, ".%02llu", (unsigned long long)(f / 10));
	else
		buf_addf(b, ".%03llu", (unsigned long long)f);
}

/* Lower-case the first letter of an ASCII label for a sentence. */
static void
demo_add_lower(struct buf *b, const char *s)
{
	if (*s >= 'A' && *s <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
		buf_addc(b, *s - 'A' + 'a');
		s++;
	}
	buf_adds(b, s);
}

/* A country's English name for the narrative. */
static const char *
demo_country_name(struct demo_gen *g, const char *cc)
{
	const struct schema_code	*c = schema_code_find(g->countries, cc);

	return c != NULL ? schema_label(c->label, SCHEMA_EN) : cc;
}

/*
 * Make one seizure (its case is set later, when the case is stored);
 * what was found goes to the narrative's words.
 */
static struct record *
demo_seizure(struct demo_gen *g, const struct demo_goods *gd, unsigned mode,
    const char *origin, struct buf *words)
{
	const struct schema_codelist	*units = schema_list_find(g->s, "unit");
	const struct schema_code	*u;
	struct record			*r = record_new(g->fseizure);
	uint64_t			 hi, q, u20, cents, per = 0;
	const char			*cur = g->currency, *dash;
	size_t				 i;

	dash = strchr(gd->type, '-');
	buf_add(&g->b, gd->type, dash != NULL ? (size_t)(dash - gd->type) :
	    strlen(gd->type));
	demo_set_buf(g, r, "commodity");
	demo_set(r, "commodity_type", gd->type);
	demo_set(r, "hs", gd->hs);
	demo_set(r, "description", gd->what);
	if (strncmp(gd->type, "TOB-CIG", 7) == 0 ||
	    strncmp(gd->type, "IPR-", 4) == 0)
		demo_set(r, "brand", DEMO_PICK(g, demo_brands));
	demo_set(r, "species", gd->species);
	if (strncmp(gd->type, "CASH-", 5) != 0 && demo_country_ok(g, origin))
		demo_set(r, "origin", origin);

	/* Small amounts through passengers and post, skewed to the low end. */
	hi = gd->hi;
	if (mode == DEMO_AIR || mode == DEMO_MAIL)
		hi = gd->lo + (gd->hi - gd->lo) / 40;
	u20 = demo_next(g) >> 44;
	q = gd->lo + (uint64_t)(((unsigned __int128)(hi - gd->lo) *
	    (u20 * u20 * u20)) >> 60);
	q -= q % gd->step;
	if (q == 0)
		q = gd->step;
	buf_addf(&g->b, "%llu.%03llu", (unsigned long long)(q / 1000),
	    (unsigned long long)(q % 1000));
	demo_set_buf(g, r, "quantity");
	demo_set(r, "unit", gd->unit);
	if (gd->purity) {
		buf_addf(&g->b, "%u.%02u", (unsigned)demo_range(g, 15, 94),
		    (unsigned)demo_below(g, 100));
		demo_set_buf(g, r, "purity");
	}
	for (i = 0; i < DEMO_NELEM(demo_packs); i++)
		if (strcmp(demo_packs[i].unit, gd->unit) == 0)
			per = demo_packs[i].per;
	if (per != 0) {
		buf_addf(&g->b, "%llu", (unsigned long long)(q / per + 1));
		demo_set_buf(g, r, "packages");
		demo_set(r, "package_type", gd->package);
	}
	cents = (uint64_t)(((unsigned __int128)q * gd->price *
	    demo_range(g, 80, 120)) / 100000);
	if (strncmp(gd->type, "CASH-", 5) == 0) {
		cents = q / 10;		/* the amount itself */
		per = 0;
		for (i = 0; i < DEMO_NELEM(demo_cash); i++)
			per += demo_cash[i].weight;
		per = demo_below(g, per);
		for (i = 0; i < DEMO_NELEM(demo_cash); i++) {
			if (per < demo_cash[i].weight)
				break;
			per -= demo_cash[i].weight;
		}
		if (i < DEMO_NELEM(demo_cash) && schema_code_find(
		    g->currencies, demo_cash[i].code) != NULL)
			cur = demo_cash[i].code;
	}
	if (cur != NULL && cents < 1000000000000000ULL) {
		buf_addf(&g->b, "%llu.%02llu",
		    (unsigned long long)(cents / 100),
		    (unsigned long long)(cents % 100));
		demo_set_buf(g, r, "value");
		demo_set(r, "currency", cur);
	}

	/* "12.5 kilogram of cocaine bricks" */
	if (words->len > 0)
		buf_adds(words, " and ");
	if (strncmp(gd->type, "CASH-", 5) == 0 && cur != NULL) {
		demo_add_amount(words, q);
		buf_addf(words, " %s in %s", cur, gd->what);
	} else {
		demo_add_amount(words, q);
		buf_addc(words, ' ');
		for (i = 0; i < DEMO_NELEM(demo_unit_words); i++)
			if (strcmp(demo_unit_words[i][0], gd->unit) == 0)
				break;
		if (i < DEMO_NELEM(demo_unit_words))
			buf_adds(words, demo_unit_words[i][1]);
		else if ((u = schema_code_find(units, gd->unit)) != NULL) {
			demo_add_lower(words, schema_label(u->label,
			    SCHEMA_EN));
			buf_adds(words, " of ");
		}
		buf_adds(words, gd->what);
	}
	return r;
}

enum demo_status { DEMO_DRAFT, DEMO_SUBMITTED, DEMO_VALIDATED, DEMO_CLOSED };

static const char *demo_status_names[] = {
	"draft", "submitted", "validated", "closed",
};

/* How cases of an age (days before DEMO_LAST_DAY) stand, in percent. */
static const struct {
	int64_t		 age;		/* up to this age */
	unsigned	 pct[4];	/* by enum demo_status */
} demo_status_ages[] = {
	{ 20, { 35, 35, 30, 0 } },
	{ 200, { 5, 10, 55, 30 } },
	{ INT64_MAX, { 2, 2, 36, 60 } },
};

/* One participant of a case to make: what, with which role, how often. */
struct demo_part {
	char		 kind;		/* p, b, c or k (container) */
	const char	*role;
	unsigned	 pct;
};

/* Who and what a case of each mode involves, most important first. */
static const struct {
	unsigned		mode;
	struct demo_part	parts[6];
} demo_parts[] = {
	{ DEMO_AIR, { { 'p', "COURIER", 100 }, { 'c', "CARRIER", 90 },
	  { 'p', "COURIER", 20 }, { 'p', "ORGANISER", 8 },
	  { 'b', "CONSIGNEE", 10 } } },
	{ DEMO_SEA, { { 'k', "CARRIER", 85 }, { 'b', "CONSIGNEE", 75 },
	  { 'c', "CARRIER", 60 }, { 'b', "CONSIGNOR", 40 },
	  { 'p', "SUSPECT", 30 }, { 'b', "DECLARANT", 20 } } },
	{ DEMO_ROAD, { { 'c', "CARRIER", 90 }, { 'p', "DRIVER", 100 },
	  { 'p', "PASSENGER", 25 }, { 'b', "CARRIER", 25 },
	  { 'p', "OWNER", 10 } } },
	{ DEMO_RAIL, { { 'p', "OFFENDER", 100 }, { 'c', "CARRIER", 40 },
	  { 'p', "COURIER", 30 } } },
	{ DEMO_MAIL, { { 'c', "CARRIER", 100 }, { 'p', "CONSIGNEE", 75 },
	  { 'b', "CONSIGNOR", 45 } } },
};

#define DEMO_MAX_PARTS	4

/* Roles whose persons may be regulars (the repeat offenders). */
static int
demo_role_repeats(const char *role)
{
	return strcmp(role, "PASSENGER") != 0 && strcmp(role, "CREW") != 0 &&
	    strcmp(role, "WITNESS") != 0;
}

/* A person for a case: a regular from the pool, or a new one. */
static int
demo_case_person(struct demo_gen *g, struct store_txn *t, const char *role,
    const char *cc, int64_t day, uint64_t *id, struct ncen_err *err)
{
	int	error, tries;

	if (demo_role_repeats(role) && g->persons.n > 0 && demo_pct(g, 12)) {
		for (tries = 0; tries < 3; tries++) {
			*id = demo_pool_pick(g, &g->persons);
			if (!demo_in_case(g, *id * 8 + 'p', 0))
				return NCEN_OK;
		}
	}
	if ((error = demo_person(g, t, cc, day, id, err)) != NCEN_OK)
		return error;
	if (demo_role_repeats(role) && demo_pct(g, 10))
		demo_pool_add(&g->persons, *id);
	return NCEN_OK;
}

/* A business for a case: a regular from the pool, or a new one. */
static int
demo_case_business(struct demo_gen *g, struct store_txn *t, const char *role,
    const char *cc, uint64_t *id, struct ncen_err *err)
{
	int	error;

	if (g->businesses.n > 0 && demo_pct(g, 30)) {
		*id = demo_pool_pick(g, &g->businesses);
		if (!demo_in_case(g, *id * 8 + 'b', 0))
			return NCEN_OK;
	}
	if ((error = demo_business(g, t, cc, role, id, err)) != NCEN_OK)
		return error;
	if (demo_pct(g, 40))
		demo_pool_add(&g->businesses, *id);
	return NCEN_OK;
}

/* Choose who and what a case of a mode involves; returns how many. */
static size_t
demo_case_plan(struct demo_gen *g, unsigned mode,
    const struct demo_part *plan[DEMO_MAX_PARTS], unsigned *npersons)
{
	const struct demo_part	*parts = NULL;
	size_t			 i, n = 0;

	*npersons = 0;
	for (i = 0; i < DEMO_NELEM(demo_parts); i++)
		if (demo_parts[i].mode == mode)
			parts = demo_parts[i].parts;
	for (i = 0; parts != NULL && i < 6 && parts[i].kind != 0 &&
	    n < DEMO_MAX_PARTS; i++) {
		if (!demo_pct(g, parts[i].pct))
			continue;
		if (parts[i].kind == 'p')
			(*npersons)++;
		plan[n++] = &parts[i];
	}
	return n;
}

/* Make and link the persons, businesses and conveyances of a case. */
static int
demo_case_parts(struct demo_gen *g, struct store_txn *t, uint64_t case_id,
    unsigned mode, const char *dep, const char *dest, int64_t day,
    const struct demo_part *const *plan, size_t nplan, struct ncen_err *err)
{
	const struct demo_part	*p;
	struct store_ref	 a, b;
	const char		*entity, *cc;
	uint64_t		 id, vehicle = 0;
	size_t			 i;
	int			 error;

	g->nin_case = 0;
	for (i = 0; i < nplan; i++) {
		p = plan[i];
		switch (p->kind) {
		case 'p':
			cc = strcmp(p->role, "CONSIGNEE") == 0 ? dest : dep;
			error = demo_case_person(g, t, p->role, cc, day, &id,
			    err);
			entity = "person";
			break;
		case 'b':
			cc = strcmp(p->role, "CONSIGNEE") == 0 ? dest :
			    strcmp(p->role, "CONSIGNOR") == 0 ? dep : g->home;
			error = demo_case_business(g, t, p->role, cc, &id, err);
			entity = "business";
			break;
		default:
			error = demo_conveyance(g, t, mode, p->kind == 'k', dep,
			    &id, err);
			entity = "conveyance";
			if (mode == DEMO_ROAD)
				vehicle = id;
			break;
		}
		if (error != NCEN_OK)
			return error;
		if (demo_in_case(g, id * 8 + (uint64_t)*entity, 1))
			continue;
		if ((error = demo_link(g, t, case_id, entity, id, p->role,
		    err)) != NCEN_OK)
			return error;
		/* The driver drove the vehicle: link analysis follows it. */
		if (*entity == 'p' && strcmp(p->role, "DRIVER") == 0 &&
		    vehicle != 0) {
			a.entity = "person";
			a.id = id;
			b.entity = "conveyance";
			b.id = vehicle;
			error = store_link_add(t, a, b, "DRIVER", err);
			if (error == NCEN_EEXISTS)
				ncen_err_clear(err);
			else if (error != NCEN_OK)
				return error;
			else
				g->cur.stats.links++;
		}
	}
	return NCEN_OK;
}

/* A time no earlier than prev and no later than the cap. */
static int64_t
demo_later(int64_t prev, int64_t add, int64_t cap)
{
	int64_t	t = prev + add;

	if (t > cap)
		t = cap;
	return t < prev ? prev : t;
}

/* Write the workflow history that leads a case to its status. */
static int
demo_history(struct demo_gen *g, struct store_txn *t, uint64_t case_id,
    enum demo_status st, int64_t start, const char *officer,
    const char *supervisor, struct ncen_err *err)
{
	int64_t		cap = (g->last + 90) * 86400, at = start;
	const char	*reason;
	int		error, reopen, k;

	if (!g->history || st == DEMO_DRAFT)
		return NCEN_OK;
	reopen = st == DEMO_CLOSED && demo_pct(g, 4);
	reason = DEMO_PICK(g, demo_reopen);
	for (k = 0; k < (reopen ? 2 : 1); k++) {
		if (k == 1) {
			at = demo_later(at, 86400 *
			    (int64_t)demo_range(g, 1, 60), cap);
			if ((error = workflow_note(t, g->s, case_id, "closed",
			    "draft", supervisor, "supervisor", at, reason,
			    NULL, err)) != NCEN_OK)
				return error;
			g->cur.stats.transitions++;
		}
		at = demo_later(at, 3600 * (int64_t)demo_range(g, 1, 48), cap);
		if ((error = workflow_note(t, g->s, case_id, "draft",
		    "submitted", officer, "officer", at, NULL, NULL, err)) !=
		    NCEN_OK)
			return error;
		g->cur.stats.transitions++;
		if (st == DEMO_SUBMITTED)
			return NCEN_OK;
		at = demo_later(at, 3600 * (int64_t)demo_range(g, 2, 240),
		    cap);
		if ((error = workflow_note(t, g->s, case_id, "submitted",
		    "validated", supervisor, "supervisor", at, NULL, NULL,
		    err)) != NCEN_OK)
			return error;
		g->cur.stats.transitions++;
		if (st == DEMO_VALIDATED)
			return NCEN_OK;
		at = demo_later(at, 86400 * (int64_t)demo_range(g, 20, 300),
		    cap);
		if ((error = workflow_note(t, g->s, case_id, "validated",
		    "closed", supervisor, "supervisor", at, NULL, NULL, err)) !=
		    NCEN_OK)
			return error;
		g->cur.stats.transitions++;
	}
	return NCEN_OK;
}

/* Pick the mode of transport of a case at an office. */
static unsigned
demo_mode(struct demo_gen *g, unsigned modes)
{
	unsigned	n = 0;
	uint64_t	k;
	size_t		i;

	/* No mode of the table (none set, or unknown bits): any mode. */
	if ((modes & DEMO_ANY) == 0)
		modes = DEMO_ANY;
	for (i = 0; i < DEMO_NELEM(demo_modes); i++)
		if (modes & demo_modes[i].mode)
			n++;
	/* The k-th mode of the table that is one of modes. */
	k = demo_below(g, n);
	for (i = 0; i < DEMO_NELEM(demo_modes) - 1; i++)
		if ((modes & demo_modes[i].mode) && k-- == 0)
			break;
	return demo_modes[i].mode;
}

/* The row of demo_modes of a mode. */
static size_t
demo_mode_row(unsigned mode)
{
	size_t	i;

	for (i = 0; i < DEMO_NELEM(demo_modes); i++)
		if (demo_modes[i].mode == mode)
			return i;
	return 0;
}

/* Append the route of a case to the narrative. */
static void
demo_route_words(struct demo_gen *g, struct buf *w, const char *dep,
    const char *const *via, size_t nvia, const char *dest)
{
	size_t	i;

	if (dep != NULL)
		buf_addf(w, " from %s", demo_country_name(g, dep));
	for (i = 0; i < nvia; i++)
		buf_addf(w, "%s%s", i == 0 ? " via " : " and ",
		    demo_country_name(g, via[i]));
	if (dest != NULL)
		buf_addf(w, " bound for %s", demo_country_name(g, dest));
}

/* What the steps of demo_case() decide, in the order they draw. */
struct demo_case {
	size_t			 oi;		/* the office's index */
	const struct schema_code *office;
	unsigned		 mode;
	int64_t			 day, offset;	/* offset: minutes from UTC */
	unsigned		 minute;
	const struct demo_goods	*gd;
	const char		*dir, *dep, *dest, *via[3];
	size_t			 nvia;
	enum demo_status	 st;
	const char		*officer, *supervisor;
	size_t			 conceal;	/* row of demo_conceal */
	struct record		*r, *seiz[3];
	unsigned		 nseized;
	const struct demo_part	*plan[DEMO_MAX_PARTS];
	size_t			 nplan;
	struct buf		 narr;
};

/* The office, mode, day, time and main goods of a case. */
static void
demo_case_where(struct demo_gen *g, struct demo_case *c)
{
	int64_t	span;

	c->oi = (size_t)demo_below(g, g->offices->ncodes);
	c->office = &g->offices->codes[c->oi];
	c->mode = demo_mode(g, g->office_modes[c->oi]);
	span = g->last - g->first + 1;
	c->day = g->first + (int64_t)((g->cur.next * (uint64_t)span) /
	    g->o->cases);
	c->minute = (unsigned)demo_below(g, 24 * 12) * 5;
	c->gd = demo_goods_pick(g, c->mode);
}

/* Inward: up to two or three countries of transit, each once. */
static void
demo_case_transits(struct demo_gen *g, struct demo_case *c,
    const struct demo_route *rt)
{
	unsigned	k, i;
	size_t		j;

	k = (unsigned)demo_below(g, c->mode == DEMO_SEA ||
	    c->mode == DEMO_AIR ? 3 : 2);
	for (i = 0; i < k; i++) {
		c->via[c->nvia] = demo_country(g, rt->via,
		    DEMO_NELEM(rt->via), g->home, c->dep);
		for (j = 0; c->via[c->nvia] != NULL && j < c->nvia; j++)
			if (strcmp(c->via[j], c->via[c->nvia]) == 0)
				break;
		if (c->via[c->nvia] != NULL && j == c->nvia)
			c->nvia++;
	}
}

/* The direction and the route: export, transit, or import. */
static void
demo_case_route(struct demo_gen *g, struct demo_case *c)
{
	const struct demo_route	*rt = &demo_routes[c->gd->route];

	if (demo_pct(g, c->gd->export)) {
		c->dir = "EXP";
		c->dep = g->home;
		c->dest = demo_country(g, rt->dest, DEMO_NELEM(rt->dest),
		    g->home, NULL);
		if (demo_pct(g, 30) && (c->via[0] = demo_country(g, rt->via,
		    DEMO_NELEM(rt->via), g->home, c->dest)) != NULL)
			c->nvia = 1;
	} else if (demo_pct(g, 8)) {
		c->dir = c->mode == DEMO_SEA ? "TRS" : "TRA";
		c->dep = demo_country(g, rt->dep, DEMO_NELEM(rt->dep),
		    g->home, NULL);
		c->dest = demo_country(g, rt->dest, DEMO_NELEM(rt->dest),
		    g->home, c->dep);
		c->via[c->nvia++] = g->home;
	} else {
		c->dir = demo_pct(g, 3) ? "INL" : "IMP";
		c->dep = demo_country(g, rt->dep, DEMO_NELEM(rt->dep),
		    g->home, NULL);
		c->dest = g->home;
		demo_case_transits(g, c, rt);
	}
}

/* The status by the case's age, and the officer and supervisor. */
static void
demo_case_status(struct demo_gen *g, struct demo_case *c)
{
	unsigned	pct;
	size_t		i;

	for (i = 0; i < DEMO_NELEM(demo_status_ages) - 1 &&
	    g->last - c->day > demo_status_ages[i].age; i++)
		;
	pct = (unsigned)demo_below(g, 100);
	for (c->st = DEMO_DRAFT; c->st < DEMO_CLOSED; c->st++) {
		if (pct < demo_status_ages[i].pct[c->st])
			break;
		pct -= demo_status_ages[i].pct[c->st];
	}
	c->officer = demo_officers[(c->oi * 3 + demo_below(g, 4)) %
	    DEMO_NELEM(demo_officers)];
	c->supervisor = demo_supervisors[c->oi % DEMO_NELEM(demo_supervisors)];
}

/* Number, status, date, time and its offset from UTC. */
static void
demo_case_when(struct demo_gen *g, struct demo_case *c)
{
	uint32_t	*num;
	int		 y;
	unsigned	 m, dd;

	demo_civil(c->day, &y, &m, &dd);
	num = &g->numbers[c->oi * (size_t)g->nyears + (size_t)(y - g->year0)];
	(*num)++;
	workflow_number_format(&g->b, c->office->code, y, *num);
	demo_set_buf(g, c->r, "number");
	demo_set(c->r, "status", demo_status_names[c->st]);
	demo_add_date(&g->b, c->day);
	demo_set_buf(g, c->r, "date");
	buf_addf(&g->b, "%02u:%02u", c->minute / 60, c->minute % 60);
	demo_set_buf(g, c->r, "time");
	c->offset = 60;
	if (g->cet && c->day >= demo_last_sunday(y, 3) &&
	    c->day < demo_last_sunday(y, 10))
		c->offset = 120;
	if (g->cet) {
		buf_addf(&g->b, "+%02d:00", (int)(c->offset / 60));
		demo_set_buf(g, c->r, "utc_offset");
	}
}

/* Office, country and place (the office's name, at most 80 bytes). */
static void
demo_case_place(struct demo_gen *g, struct demo_case *c)
{
	size_t	n;

	demo_set(c->r, "office", c->office->code);
	demo_set(c->r, "country", g->home);
	buf_adds(&g->b, schema_label(c->office->label, SCHEMA_EN));
	if (g->b.len > 80) {
		/* Cut at a character boundary. */
		for (n = 80; n > 0 && (g->b.s[n] & 0xc0) == 0x80; n--)
			;
		g->b.len = n;
		g->b.s[n] = '\0';
	}
	demo_set_buf(g, c->r, "place");
	if (!(c->st == DEMO_DRAFT && demo_pct(g, 40)))
		demo_set(c->r, "direction", c->dir);
}

/* A customs procedure of the mode, and the mode of transport. */
static void
demo_case_procedure(struct demo_gen *g, struct demo_case *c)
{
	unsigned	k = 0;
	size_t		i;

	for (i = 0; i < DEMO_NELEM(demo_procedures); i++)
		if (demo_procedures[i].modes & c->mode)
			k++;
	k = (unsigned)demo_below(g, k);
	for (i = 0; i < DEMO_NELEM(demo_procedures); i++)
		if ((demo_procedures[i].modes & c->mode) && k-- == 0) {
			demo_set(c->r, "procedure", demo_procedures[i].code);
			break;
		}
	demo_set(c->r, "transport", demo_modes[demo_mode_row(c->mode)].code);
}

/* How it was detected (weighted by mode), and the narrative's start. */
static void
demo_case_detection(struct demo_gen *g, struct demo_case *c)
{
	unsigned	k = 0;
	size_t		i;

	for (i = 0; i < DEMO_NELEM(demo_detect); i++)
		if (demo_detect[i].modes & c->mode)
			k += demo_detect[i].weight;
	k = (unsigned)demo_below(g, k);
	for (i = 0; i < DEMO_NELEM(demo_detect) - 1; i++) {
		if ((demo_detect[i].modes & c->mode) == 0)
			continue;
		if (k < demo_detect[i].weight)
			break;
		k -= demo_detect[i].weight;
	}
	demo_set(c->r, "detection", demo_detect[i].code);
	buf_addf(&c->narr, "%s, officers at %s examined %s",
	    demo_detect[i].words, schema_label(c->office->label, SCHEMA_EN),
	    demo_modes[demo_mode_row(c->mode)].words);
	demo_route_words(g, &c->narr, c->dep, c->via, c->nvia, c->dest);
}

/* Where the goods were hidden, and the route's fields. */
static void
demo_case_concealment(struct demo_gen *g, struct demo_case *c)
{
	unsigned	k = 0;
	size_t		i;

	for (i = 0; i < DEMO_NELEM(demo_conceal); i++)
		if (demo_conceal[i].modes & c->mode)
			k++;
	k = (unsigned)demo_below(g, k);
	for (i = 0; i < DEMO_NELEM(demo_conceal) - 1; i++)
		if ((demo_conceal[i].modes & c->mode) && k-- == 0)
			break;
	c->conceal = i;
	demo_set(c->r, "concealment", demo_conceal[i].how);
	demo_set(c->r, "concealment_location", demo_conceal[i].where);
	demo_set(c->r, "departure", c->dep);
	for (i = 0; i < c->nvia; i++)
		demo_set(c->r, "transit", c->via[i]);
	demo_set(c->r, "destination", c->dest);
	demo_set(c->r, "officer", c->officer);
}

/* Seizures (the main goods, sometimes more of the same mode), the narrative. */
static void
demo_case_seizures(struct demo_gen *g, struct demo_case *c)
{
	const struct demo_goods	*gd2;
	struct buf		 goods = BUF_INIT;
	unsigned		 pct, nseiz, npers, k;

	pct = (unsigned)demo_below(g, 100);
	nseiz = pct < 65 ? 1 : pct < 92 ? 2 : 3;
	for (k = 0; k < nseiz; k++) {
		gd2 = k == 0 ? c->gd : demo_goods_pick(g, c->mode);
		if (k > 0 && gd2 == c->gd)
			continue;
		c->seiz[c->nseized++] = demo_seizure(g, gd2, c->mode,
		    c->dir[0] == 'E' ? g->home : c->dep, &goods);
	}
	c->nplan = demo_case_plan(g, c->mode, c->plan, &npers);
	buf_addf(&c->narr, ". They found %s %s.", buf_cstr(&goods),
	    demo_conceal[c->conceal].words);
	if (npers > 0)
		buf_addf(&c->narr, " %u person%s questioned and held.", npers,
		    npers == 1 ? " was" : "s were");
	demo_set(c->r, "narrative", c->narr.s);
	buf_free(&goods);
}

/* Write the case, its seizures, participants and history. */
static int
demo_case_write(struct demo_gen *g, struct store_txn *t, struct demo_case *c,
    struct ncen_err *err)
{
	uint64_t	case_id;
	int64_t		start;
	unsigned	k;
	int		error;

	if ((error = demo_put(g, t, c->r, c->st == DEMO_DRAFT ? SCHEMA_DRAFT :
	    SCHEMA_SUBMIT, err)) != NCEN_OK)
		return error;
	case_id = c->r->id;
	g->cur.stats.cases++;
	for (k = 0; k < c->nseized; k++) {
		buf_addf(&g->b, "%llu", (unsigned long long)case_id);
		demo_set_buf(g, c->seiz[k], "case");
		if ((error = demo_put(g, t, c->seiz[k], SCHEMA_SUBMIT, err)) !=
		    NCEN_OK)
			return error;
		g->cur.stats.seizures++;
	}
	start = c->day * 86400 + (int64_t)c->minute * 60 - (c->offset * 60);
	if ((error = demo_case_parts(g, t, case_id, c->mode, c->dep, c->dest,
	    c->day, c->plan, c->nplan, err)) != NCEN_OK)
		return error;
	return demo_history(g, t, case_id, c->st, start, c->officer,
	    c->supervisor, err);
}

/*
 * Make one case with its seizures, participants and history: the steps
 * draw from the generator in this order, which keeps a seed's data set.
 */
static int
demo_case(struct demo_gen *g, struct store_txn *t, struct ncen_err *err)
{
	struct demo_case	c;
	unsigned		k;
	int			error;

	memset(&c, 0, sizeof c);
	demo_case_where(g, &c);
	demo_case_route(g, &c);
	demo_case_status(g, &c);
	c.r = record_new(g->fcase);
	demo_case_when(g, &c);
	demo_case_place(g, &c);
	demo_case_procedure(g, &c);
	demo_case_detection(g, &c);
	demo_case_concealment(g, &c);
	demo_case_seizures(g, &c);
	error = demo_case_write(g, t, &c, err);
	for (k = 0; k < c.nseized; k++)
		record_free(c.seiz[k]);
	record_free(c.r);
	buf_free(&c.narr);
	return error;
}

/* Remember the state after a committed batch. */
static void
demo_save(struct demo_gen *g)
{
	g->cur.npersons = g->persons.n;
	g->cur.nbusinesses = g->businesses.n;
	g->cur.nvessels = g->vessels.n;
	g->cur.nvehicles = g->vehicles.n;
	g->cur.nflights = g->flights.n;
	g->saved = g->cur;
	memcpy(g->numbers_saved, g->numbers, (size_t)g->nyears *
	    g->offices->ncodes * sizeof *g->numbers);
}

/* Go back to the state of the last committed batch (a retried batch). */
static void
demo_restore(struct demo_gen *g)
{
	g->cur = g->saved;
	g->persons.n = g->cur.npersons;
	g->businesses.n = g->cur.nbusinesses;
	g->vessels.n = g->cur.nvessels;
	g->vehicles.n = g->cur.nvehicles;
	g->flights.n = g->cur.nflights;
	memcpy(g->numbers, g->numbers_saved, (size_t)g->nyears *
	    g->offices->ncodes * sizeof *g->numbers);
}

/* One transaction: a batch of cases. */
static int
demo_batch(struct store_txn *t, void *arg, struct ncen_err *err)
{
	struct demo_gen	*g = arg;
	uint64_t	 i;
	int		 error;

	demo_restore(g);
	for (i = 0; i < g->batch_n; i++) {
		if ((error = demo_case(g, t, err)) != NCEN_OK)
			return error;
		g->cur.next++;
	}
	return NCEN_OK;
}

/* The modes of transport an office's label suggests (0: any). */
static unsigned
demo_office_modes(const struct schema_code *c)
{
	const char	*label = schema_label(c->label, SCHEMA_EN);
	struct buf	 low = BUF_INIT;
	unsigned	 modes = 0;
	size_t		 i;

	for (i = 0; label[i] != '\0'; i++)
		buf_addc(&low, label[i] >= 'A' && label[i] <= 'Z' ?
		    label[i] - 'A' + 'a' : label[i]);
	for (i = 0; i < DEMO_NELEM(demo_office_words); i++) {
		if (strstr(buf_cstr(&low), demo_office_words[i].word) != NULL) {
			modes = demo_office_words[i].modes;
			break;
		}
	}
	/* An airport's freight terminal also sees post and express. */
	if (modes == DEMO_AIR && strstr(buf_cstr(&low), "freight") != NULL)
		modes |= DEMO_MAIL;
	buf_free(&low);
	return modes;
}

/* Set up the generator from the forms; NCEN_ENOTFOUND if one is missing. */
static int
demo_init(struct demo_gen *g, struct store *st, const struct demo_options *o,
    struct ncen_err *err)
{
	static const char	*cet[] = { "FR", "BE", "NL", "LU", "DE", "ES",
	    "IT", "AT", "CH", "DK", "SE", "NO", "PL", "CZ" };
	const struct schema_codelist	*units;
	uint64_t			 x = o->seed;
	size_t				 i;
	int				 y;
	unsigned			 m, d;

	memset(g, 0, sizeof *g);
	g->o = o;
	g->s = store_schema(st);
	g->user = o->user != NULL ? o->user : "demo";
	if ((g->fcase = schema_form_find(g->s, "case")) == NULL ||
	    (g->fseizure = schema_form_find(g->s, "seizure")) == NULL ||
	    (g->fperson = schema_form_find(g->s, "person")) == NULL ||
	    (g->fbusiness = schema_form_find(g->s, "business")) == NULL ||
	    (g->fconveyance = schema_form_find(g->s, "conveyance")) == NULL)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("demo: the forms "
		    "need case, seizure, person, business and conveyance"));
	g->history = schema_form_find(g->s, WORKFLOW_FORM) != NULL;
	if ((g->countries = schema_list_find(g->s, "country")) == NULL ||
	    (g->currencies = schema_list_find(g->s, "currency")) == NULL ||
	    (g->offices = schema_list_find(g->s, "office")) == NULL ||
	    (g->types = schema_list_find(g->s, "commodity_type")) == NULL ||
	    (units = schema_list_find(g->s, "unit")) == NULL ||
	    g->offices->ncodes == 0 || g->countries->ncodes == 0)
		return ncen_err_set(err, NCEN_ENOTFOUND, _("demo: the forms "
		    "need the country, currency, office, commodity_type and "
		    "unit lists, with offices and countries in them"));
	g->office_modes = xcalloc(g->offices->ncodes, sizeof *g->office_modes);
	for (i = 0; i < g->offices->ncodes; i++)
		g->office_modes[i] = demo_office_modes(&g->offices->codes[i]);
	for (i = 0; i < DEMO_NELEM(demo_goods); i++)
		if (schema_code_find(g->types, demo_goods[i].type) != NULL &&
		    schema_code_find(units, demo_goods[i].unit) != NULL)
			g->goods_weight[i] = demo_goods[i].weight;

	/* Home: the country of the first office's code, else FR. */
	memcpy(g->home, g->offices->codes[0].code, 2);
	g->home[2] = '\0';
	if (!demo_country_ok(g, g->home))
		memcpy(g->home, demo_country_ok(g, "FR") ? "FR" :
		    g->countries->codes[0].code, 3);
	for (i = 0; i < DEMO_NELEM(cet); i++)
		if (strcmp(cet[i], g->home) == 0)
			g->cet = 1;
	g->currency = schema_code_find(g->currencies, "EUR") != NULL ? "EUR" :
	    NULL;

	g->first = demo_parse_day(DEMO_FIRST_DAY);
	g->last = demo_parse_day(DEMO_LAST_DAY);
	demo_civil(g->first, &g->year0, &m, &d);
	demo_civil(g->last, &y, &m, &d);
	g->nyears = y - g->year0 + 1;
	g->numbers = xcalloc((size_t)g->nyears * g->offices->ncodes,
	    sizeof *g->numbers);
	g->numbers_saved = xcalloc((size_t)g->nyears * g->offices->ncodes,
	    sizeof *g->numbers);
	for (i = 0; i < 4; i++)
		g->cur.rng[i] = demo_splitmix(&x);
	demo_save(g);
	return NCEN_OK;
}

/* Free what the generator holds. */
static void
demo_free(struct demo_gen *g)
{
	free(g->office_modes);
	free(g->numbers);
	free(g->numbers_saved);
	free(g->persons.id);
	free(g->businesses.id);
	free(g->vessels.id);
	free(g->vehicles.id);
	free(g->flights.id);
	buf_free(&g->b);
	buf_free(&g->problems);
}

/* Generate the demo data set (see demo.h). */
int
demo_generate(struct store *st, const struct demo_options *o,
    struct demo_stats *stats, struct ncen_err *err)
{
	struct demo_gen	 g;
	uint64_t	 batch;
	int		 error;

	if (stats != NULL)
		memset(stats, 0, sizeof *stats);
	if (o->cases == 0)
		return NCEN_OK;
	if ((error = demo_init(&g, st, o, err)) != NCEN_OK) {
		demo_free(&g);
		return error;
	}
	batch = o->batch != 0 ? o->batch : DEMO_BATCH;
	while (g.cur.next < o->cases) {
		g.batch_n = o->cases - g.cur.next < batch ?
		    o->cases - g.cur.next : batch;
		if ((error = store_run(st, demo_batch, &g, err)) != NCEN_OK)
			break;
		demo_save(&g);
		if (o->progress != NULL)
			o->progress(g.cur.next, o->cases, o->arg);
	}
	if (stats != NULL)
		*stats = g.saved.stats;
	demo_free(&g);
	return error;
}
