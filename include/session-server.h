/*
 * session-server.h - the session server: one process per data directory
 * that has loaded what every ncen session makes alike (the libraries,
 * the parsed forms and code lists, ICU's transliterators, OpenSSL's
 * tables, the locale) and forks a session for each client that hands it
 * a terminal over DIR/session.sock (session.h says what goes over it).
 * The sessions share those pages copy-on-write.
 *
 * The server opens no Berkeley DB environment or handle: each session
 * opens its own after the fork, as a direct ncen does.
 *
 * Contract: session_server_run() returns only when the server stops
 * (SIGTERM, SIGINT) or cannot start, with an ncen error code and a
 * message; it writes one line for each refused client on stderr (its
 * log, not a terminal).  In a forked session the callback's status is
 * the process's exit status, sent to the client as well.
 */
#ifndef NCEN_SESSION_SERVER_H
#define NCEN_SESSION_SERVER_H

#include "error.h"
#include "schema.h"

/* A session: ncen's main path with the server's schema. */
typedef int	(*session_run_fn)(int, char **, struct schema *);

int	session_server_run(const char *, session_run_fn, struct ncen_err *);

/* In a session: refuse a data directory other than the server's. */
int	session_child_home(const char *, struct ncen_err *);

/* In a session: curses is up, a closed client may now hang it up. */
void	session_child_ready(void);

#endif
