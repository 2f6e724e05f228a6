/*
 * session-msg.c - read and check the one message a client sends the
 * session server: SESSION_MAGIC, "A" arguments, "E" variables, and
 * SESSION_NFDS descriptors (session.h).  Anything else is refused in
 * words, with every descriptor that came with it closed.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "session-int.h"
#include "xmalloc.h"

/* Close the descriptors of a control message (those we did not want). */
static void
session_msg_close_rights(struct msghdr *m)
{
	struct cmsghdr	*c;
	size_t		 i, n;
	int		 fd;

	for (c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (i = 0; i < n; i++) {
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
			(void)close(fd);
		}
	}
}

/* Take exactly SESSION_NFDS descriptors from the control message. */
static int
session_msg_rights(struct msghdr *m, struct session_msg *sm,
    struct ncen_err *err)
{
	struct cmsghdr	*c = CMSG_FIRSTHDR(m);

	if (c == NULL || c->cmsg_level != SOL_SOCKET ||
	    c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(SESSION_NFDS * sizeof(int)) ||
	    CMSG_NXTHDR(m, c) != NULL) {
		session_msg_close_rights(m);
		return ncen_err_set(err, NCEN_EUSAGE, _("a message without "
		    "the %d descriptors of a terminal"), SESSION_NFDS);
	}
	memcpy(sm->fds, CMSG_DATA(c), sizeof sm->fds);
	return NCEN_OK;
}

/* Split the bytes into arguments and variables; check each string. */
static int
session_msg_parse(struct session_msg *sm, size_t len, struct ncen_err *err)
{
	const char	*p, *end = sm->bytes + len;
	size_t		 n = 0, na = 0, ne = 0;

	if (len < sizeof SESSION_MAGIC ||
	    memcmp(sm->bytes, SESSION_MAGIC, sizeof SESSION_MAGIC) != 0)
		return ncen_err_set(err, NCEN_EUSAGE, "%s", _("not a message "
		    "from ncen (wrong greeting)"));
	if (sm->bytes[len - 1] != '\0')
		return ncen_err_set(err, NCEN_EUSAGE, "%s", _("a message "
		    "cut short"));
	for (p = sm->bytes + sizeof SESSION_MAGIC; p < end; p += n + 1) {
		n = strlen(p);
		if (*p == 'A')
			na++;
		else if (*p == 'E' && session_env_passed(p + 1))
			ne++;
		else
			return ncen_err_set(err, NCEN_EUSAGE, "%s", _("a "
			    "message with an entry that is neither an "
			    "argument nor a passed variable"));
	}
	if (na == 0)
		return ncen_err_set(err, NCEN_EUSAGE, "%s", _("a message "
		    "without arguments"));
	sm->argv = xcalloc(na + 1, sizeof *sm->argv);
	sm->env = xcalloc(ne + 1, sizeof *sm->env);
	for (p = sm->bytes + sizeof SESSION_MAGIC; p < end; p += n + 1) {
		n = strlen(p);
		if (*p == 'A')
			sm->argv[sm->argc++] = (char *)p + 1;
		else
			sm->env[sm->nenv++] = (char *)p + 1;
	}
	return NCEN_OK;
}

/* An empty message, holding no descriptor (-1, not 0: stdin is ours). */
void
session_msg_init(struct session_msg *sm)
{
	size_t	i;

	memset(sm, 0, sizeof *sm);
	for (i = 0; i < SESSION_NFDS; i++)
		sm->fds[i] = -1;
}

/* Read the client's message from socket s (a timeout is set on it). */
int
session_msg_read(int s, struct session_msg *sm, struct ncen_err *err)
{
	union {
		struct cmsghdr	hdr;
		char		buf[CMSG_SPACE((SESSION_NFDS + 4) *
				    sizeof(int))];
	} cm;
	struct msghdr	msg;
	struct iovec	iov;
	ssize_t		n;
	int		r;

	session_msg_init(sm);
	sm->bytes = xmalloc(SESSION_MSG_MAX + 1);
	memset(&msg, 0, sizeof msg);
	memset(&cm, 0, sizeof cm);
	iov.iov_base = sm->bytes;
	iov.iov_len = SESSION_MSG_MAX + 1;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cm.buf;
	msg.msg_controllen = sizeof cm.buf;
	while ((n = recvmsg(s, &msg, MSG_CMSG_CLOEXEC)) == -1 &&
	    errno == EINTR)
		;
	if (n == -1)
		return ncen_err_set(err, NCEN_EIO, _("no message from the "
		    "client: %s"), errno == EAGAIN ? _("it said nothing in "
		    "time") : strerror(errno));
	if (n == 0)
		return ncen_err_set(err, NCEN_EIO, "%s", _("no message from "
		    "the client: it closed the connection"));
	if (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		session_msg_close_rights(&msg);
		return ncen_err_set(err, NCEN_EUSAGE, _("a message longer "
		    "than %d bytes or with too many descriptors"),
		    SESSION_MSG_MAX);
	}
	if ((r = session_msg_rights(&msg, sm, err)) != NCEN_OK)
		return r;
	sm->bytes[n] = '\0';
	return session_msg_parse(sm, (size_t)n, err);
}

/* Close what descriptors are left and free the message. */
void
session_msg_free(struct session_msg *sm)
{
	size_t	i;

	for (i = 0; i < SESSION_NFDS; i++)
		if (sm->fds[i] != -1)
			(void)close(sm->fds[i]);
	free(sm->bytes);
	free(sm->argv);
	free(sm->env);
	session_msg_init(sm);
}
