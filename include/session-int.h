/*
 * session-int.h - between the session server's files: the client's
 * message (session-msg.c), the server's loop (session-server.c) and the
 * forked session (session-child.c).
 *
 * Contract: session_msg_init() empties a struct session_msg (no
 * descriptor: -1); session_msg_read() fills one that owns its
 * bytes, its arrays and the descriptors received; session_msg_free()
 * closes whatever descriptors are still open (-1 marks one taken) and
 * accepts a zeroed struct.  Nothing here prints or exits, but
 * session_child_start() does not return.
 */
#ifndef NCEN_SESSION_INT_H
#define NCEN_SESSION_INT_H

#include <sys/stat.h>

#include "error.h"
#include "schema.h"
#include "session.h"
#include "session-server.h"

struct session_msg {
	char	*bytes;			/* the message, NUL-terminated strings */
	char	**argv;			/* argc + 1, into bytes */
	int	 argc;
	char	**env;			/* nenv + 1, into bytes */
	size_t	 nenv;
	int	 fds[SESSION_NFDS];	/* stdin, stdout, stderr, cwd; or -1 */
};

void	session_msg_init(struct session_msg *);
int	session_msg_read(int, struct session_msg *, struct ncen_err *);
void	session_msg_free(struct session_msg *);

/* The server's data directory, for session_child_home(). */
extern struct stat	session_home_sb;

void	session_child_start(int, struct session_msg *, session_run_fn,
	    struct schema *) __attribute__((noreturn));

#endif
