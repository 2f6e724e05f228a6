/*
 * rules.h - analytic rules as data: the ncen-rules language.
 *
 * A rules file (ncen-rules(5)) names rules; each has a title, who is
 * told (an account or a role, default "analyst"), conditions over a case
 * and the records linked to it ("when"), and at most one counting
 * condition over a window ("count").  The file is checked against the
 * forms it will run on: every ENTITY.FIELD must exist, a code must be a
 * code of the field's list, a comparison needs a number or date field.
 *
 * Contract: rules_parse returns NCEN_OK with *out set, or NCEN_EPARSE
 * with "FILE:LINE:COL: expected ..., found ..." (rules_load: NCEN_EIO
 * for a file that cannot be read; NCEN_OK with an empty set when the
 * data directory has no rules file).  It never crashes or exits on any
 * input.  The rule set owns everything in it; rules_free releases it
 * and accepts NULL.  Nothing here prints.  This layer knows nothing of
 * Berkeley DB: evaluation is in alert-rule.c.
 */
#ifndef NCEN_RULES_H
#define NCEN_RULES_H

#include <stddef.h>

#include "error.h"
#include "schema.h"

#define RULES_FILE		"alert.rules"	/* in the data directory */
#define RULES_VALUES_MAX	12		/* values of one condition */
#define RULES_DAYS_MAX		36600		/* a window of 100 years */

enum rules_op {
	RULES_EQ,		/* = : one of the values */
	RULES_NE,		/* != : none of the values */
	RULES_IN,		/* in : one of the values */
	RULES_GE,		/* >= a number or date */
	RULES_LE,
	RULES_GT,
	RULES_LT,
};

/* One condition: ENTITY.FIELD OP VALUE... */
struct rules_cond {
	const struct schema_form	*form;	/* case, seizure, person... */
	const struct schema_field	*field;
	enum rules_op			 op;
	char				*values[RULES_VALUES_MAX];
	size_t				 nvalues;
};

/*
 * count N [of case.FIELD] [within D days] by ENTITY [role ROLE]: N
 * cases (or N different values of the case field) among the cases of
 * one record linked to the checked case, dated in the D days up to the
 * checked case's date.
 */
struct rules_count {
	unsigned long			 n;	/* 0: no counting condition */
	const struct schema_field	*of;	/* NULL: the cases */
	unsigned long			 days;	/* 0: no window */
	const struct schema_form	*by;	/* person, business... */
	char				*role;	/* NULL: any role */
};

struct rules_rule {
	char			*name;
	char			*title;
	char			*notify;	/* account or role */
	struct rules_cond	*conds;
	size_t			 nconds;
	struct rules_count	 count;
	unsigned		 line;		/* where it starts */
};

struct rules {
	struct rules_rule	*v;
	size_t			 n;
};

int	 rules_parse(const char *path, const char *text, size_t len,
	     const struct schema *, struct rules **out, struct ncen_err *);
int	 rules_load_file(const char *path, const struct schema *,
	     struct rules **out, struct ncen_err *);
/* DIR/alert.rules, or an empty set when there is none. */
int	 rules_load(const char *home, const struct schema *,
	     struct rules **out, struct ncen_err *);
const struct rules_rule *rules_find(const struct rules *, const char *name);
void	 rules_free(struct rules *);
const char *rules_op_name(enum rules_op);

#endif
