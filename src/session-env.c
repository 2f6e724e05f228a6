/*
 * session-env.c - which environment variables a session takes from the
 * officer's side: the client sends them, the server takes no others.
 */
#include <string.h>

#include "session.h"

/*
 * What a direct ncen reads from its environment: the terminal, the
 * language and time zone, where the officer comes from (the audit
 * trail), and ncen's own settings.  A name ending in '_' or '*' is a
 * prefix.
 */
static const char *const session_env_names[] = {
	"TERM", "TERMINFO", "TERMINFO_DIRS", "COLORTERM", "NO_COLOR",
	"LINES", "COLUMNS", "ESCDELAY",
	"LANG", "LANGUAGE", "LC_*", "TZ",
	"SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY",
	"NCEN_*",
};

/* Whether the environment entry NAME=VALUE goes with a session. */
int
session_env_passed(const char *assign)
{
	const char	*eq = strchr(assign, '='), *name;
	size_t		 i, n, len;

	if (eq == NULL || eq == assign)
		return 0;
	len = (size_t)(eq - assign);
	for (i = 0; i < sizeof session_env_names /
	    sizeof session_env_names[0]; i++) {
		name = session_env_names[i];
		n = strlen(name);
		if (name[n - 1] == '*') {
			if (len >= n && strncmp(assign, name, n - 1) == 0)
				return 1;
		} else if (len == n && strncmp(assign, name, n) == 0)
			return 1;
	}
	return 0;
}
