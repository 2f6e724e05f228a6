/*
 * session.h - the session server's socket and what goes over it.
 *
 * `ncen` (ncen-client.c, linked against libc alone) connects to
 * DIR/session.sock, a SOCK_SEQPACKET socket of `ncen-session --server`
 * (session-server.c), and sends one message: SESSION_MAGIC, then each
 * argument as "A" ARG and each passed variable as "E" NAME=VALUE, every
 * string ending in NUL, with SESSION_NFDS descriptors (SCM_RIGHTS): its
 * standard input, output and error and its working directory.  The
 * server answers with packets of text: "started PID", then "exit N" or
 * "signal N" when the session ends; or "refused MESSAGE" instead.
 *
 * Nothing here allocates, prints or exits.
 */
#ifndef NCEN_SESSION_H
#define NCEN_SESSION_H

#define SESSION_SOCKET	"session.sock"
#define SESSION_MAGIC	"ncen-session 1"
#define SESSION_MSG_MAX	65536		/* bytes in the client's message */
#define SESSION_NFDS	4		/* stdin, stdout, stderr, cwd */
#define SESSION_FULL	"ncen-session"	/* the full program's name */

/* Whether the environment entry NAME=VALUE goes with a session. */
int	session_env_passed(const char *);

#endif
