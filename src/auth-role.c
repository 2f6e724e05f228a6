/*
 * auth-role.c - the role matrix: one table deciding every action for
 * every role, and the office limits of an account.
 */
#include <string.h>

#include "auth.h"
#include "buf.h"
#include "record.h"

#define N	0		/* no */
#define O	1		/* own: the record's officer is empty or the user */
#define Y	2		/* yes */

static const struct {
	const char	*name;
	unsigned	 bit;
} auth_roles[AUTH_NROLES] = {
	{ "officer",	AUTH_R_OFFICER },
	{ "supervisor",	AUTH_R_SUPERVISOR },
	{ "analyst",	AUTH_R_ANALYST },
	{ "ncp",	AUTH_R_NCP },
	{ "admin",	AUTH_R_ADMIN },
};

/*
 * The matrix.  Officers work on their own cases; supervisors on every
 * case of their offices and validate them; analysts read, export and
 * report on everything; the NCP deals with partners, agreements and
 * Icomm (and so sees and imports what is exchanged); admins manage
 * accounts and read the audit log, and see no case data.  Statistics
 * are aggregate figures, never names, but a narrow filter can point at
 * one case: supervisors (of their own offices only), analysts and the
 * NCP run them; officers and admins do not.  Linking a
 * record to a case changes the case, so it follows editing.  Merging
 * two records found to be one person (or business, conveyance) is for
 * those who see across cases: supervisors, analysts and the NCP.  Which
 * records an account sees at all (need to know) is auth-see.c's.
 */
static const struct {
	enum auth_action	 action;
	const char		*name;
	unsigned char		 cell[AUTH_NROLES];
} auth_matrix[AUTH_NACTIONS] = {
	/*				  off sup ana ncp adm */
	{ AUTH_VIEW, "view",		{ O,  Y,  Y,  Y,  N } },
	{ AUTH_VIEW_NOMINAL, "view-nominal", { O, Y, Y, Y, N } },
	{ AUTH_CREATE, "create",	{ Y,  Y,  N,  N,  N } },
	{ AUTH_EDIT, "edit",		{ O,  Y,  N,  N,  N } },
	{ AUTH_SUBMIT, "submit",	{ O,  Y,  N,  N,  N } },
	{ AUTH_VALIDATE, "validate",	{ N,  Y,  N,  N,  N } },
	{ AUTH_CLOSE, "close",		{ N,  Y,  N,  N,  N } },
	{ AUTH_REOPEN, "reopen",	{ N,  Y,  N,  N,  N } },
	{ AUTH_EXPORT, "export",	{ N,  Y,  Y,  Y,  N } },
	{ AUTH_IMPORT, "import",	{ N,  N,  N,  Y,  Y } },
	{ AUTH_LINK, "link",		{ O,  Y,  N,  N,  N } },
	{ AUTH_ATTACH, "attach",	{ O,  Y,  N,  N,  N } },
	{ AUTH_ACCOUNTS, "accounts",	{ N,  N,  N,  N,  Y } },
	{ AUTH_PARTNERS, "partners",	{ N,  N,  N,  Y,  N } },
	{ AUTH_ICOMM, "icomm",		{ N,  N,  N,  Y,  N } },
	{ AUTH_AUDIT, "audit",		{ N,  Y,  N,  N,  Y } },
	{ AUTH_RETENTION, "retention",	{ N,  Y,  N,  N,  N } },
	{ AUTH_MERGE, "merge",		{ N,  Y,  Y,  Y,  N } },
	{ AUTH_STATS, "stats",		{ N,  Y,  Y,  Y,  N } },
};

/* The name of an action, or "?". */
const char *
auth_action_name(enum auth_action a)
{
	if ((unsigned)a >= AUTH_NACTIONS)
		return "?";
	return auth_matrix[a].name;
}

/* The action of a name, or -1. */
int
auth_action_find(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < AUTH_NACTIONS; i++)
		if (strcmp(auth_matrix[i].name, name) == 0)
			return (int)auth_matrix[i].action;
	return -1;
}

/* The name of one role bit, or NULL. */
const char *
auth_role_name(unsigned bit)
{
	size_t	i;

	for (i = 0; i < AUTH_NROLES; i++)
		if (auth_roles[i].bit == bit)
			return auth_roles[i].name;
	return NULL;
}

/* The bit of a role name, 0 if unknown. */
unsigned
auth_role_bit(const char *name)
{
	size_t	i;

	for (i = 0; name != NULL && i < AUTH_NROLES; i++)
		if (strcmp(auth_roles[i].name, name) == 0)
			return auth_roles[i].bit;
	return 0;
}

/* Parse a comma-separated list of roles; 0 if empty or one is unknown. */
unsigned
auth_roles_parse(const char *s)
{
	const char	*p, *end;
	char		 word[16];
	unsigned	 bits = 0, bit;
	size_t		 len;

	if (s == NULL || *s == '\0')
		return 0;
	for (p = s; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0 || len >= sizeof word)
			return 0;
		memcpy(word, p, len);
		word[len] = '\0';
		if ((bit = auth_role_bit(word)) == 0)
			return 0;
		bits |= bit;
	}
	return bits;
}

/* Append a role set as "officer,analyst". */
void
auth_roles_format(unsigned bits, struct buf *b)
{
	size_t	i, n = 0;

	for (i = 0; i < AUTH_NROLES; i++)
		if (bits & auth_roles[i].bit)
			buf_addf(b, "%s%s", n++ == 0 ? "" : ",",
			    auth_roles[i].name);
}

/* Whether a record lies in the account's offices (or it has no limit). */
static int
auth_role_office(const struct auth_account *a, const struct record *r)
{
	const char	*office;
	size_t		 i;

	if (a->noffices == 0 || r == NULL)
		return 1;
	if ((office = record_get(r, "office")) == NULL)
		return 1;	/* records without an office: not limited */
	for (i = 0; i < a->noffices; i++)
		if (strcmp(a->offices[i], office) == 0)
			return 1;
	return 0;
}

/* Whether the account owns the record (its officer is empty or the user). */
static int
auth_role_own(const struct auth_account *a, const struct record *r)
{
	const char	*officer;

	if (r == NULL)
		return 1;
	officer = record_get(r, AUTH_OWNER_FIELD);
	return officer == NULL || *officer == '\0' ||
	    strcmp(officer, a->name) == 0;
}

/* The account's name when its roles allow the action on its own only. */
const char *
auth_own_only(const struct auth_account *a, enum auth_action action)
{
	size_t	i;
	int	own = 0;

	if (a == NULL || (unsigned)action >= AUTH_NACTIONS || a->disabled)
		return NULL;
	for (i = 0; i < AUTH_NROLES; i++) {
		if (!(a->roles & auth_roles[i].bit))
			continue;
		if (auth_matrix[action].cell[i] == Y)
			return NULL;
		if (auth_matrix[action].cell[i] == O)
			own = 1;
	}
	return own ? a->name : NULL;
}

/* Whether one role bit allows the action on the record. */
static int
auth_role_cell(const struct auth_account *a, size_t role,
    enum auth_action action, const struct record *r)
{
	switch (auth_matrix[action].cell[role]) {
	case Y:
		return 1;
	case O:
		return auth_role_own(a, r);
	default:
		return 0;
	}
}

/* Whether an account may take an action, on a record or in general. */
int
auth_may(const struct auth_account *a, enum auth_action action,
    const struct record *r)
{
	return auth_role_for(a, action, r) != NULL;
}

/* The first of the account's roles that allows the action, or NULL. */
const char *
auth_role_for(const struct auth_account *a, enum auth_action action,
    const struct record *r)
{
	size_t	i;

	if (a == NULL || (unsigned)action >= AUTH_NACTIONS || a->disabled)
		return NULL;
	if (!auth_role_office(a, r))
		return NULL;
	for (i = 0; i < AUTH_NROLES; i++)
		if ((a->roles & auth_roles[i].bit) &&
		    auth_role_cell(a, i, action, r))
			return auth_roles[i].name;
	return NULL;
}

/* The roles whose cell for the action is not "no". */
unsigned
auth_roles_allowed(enum auth_action action)
{
	unsigned	bits = 0;
	size_t		i;

	if ((unsigned)action >= AUTH_NACTIONS)
		return 0;
	for (i = 0; i < AUTH_NROLES; i++)
		if (auth_matrix[action].cell[i] != N)
			bits |= auth_roles[i].bit;
	return bits;
}

/*
 * Whether the account may take the action on every record: one of its
 * roles allows it without the "own" limit, and no office limits it.
 */
int
auth_all(const struct auth_account *a, enum auth_action action)
{
	size_t	i;

	if (a == NULL || (unsigned)action >= AUTH_NACTIONS || a->disabled ||
	    a->noffices != 0)
		return 0;
	for (i = 0; i < AUTH_NROLES; i++)
		if ((a->roles & auth_roles[i].bit) &&
		    auth_matrix[action].cell[i] == Y)
			return 1;
	return 0;
}
