/*
 * ctl.h - the commands of ncenctl and what they share.
 *
 * ncenctl.c parses the global options, finds the command in the table
 * (ctl_cmds) and calls its function with the command's own arguments
 * (argv[0] is the command name).  A command returns the exit status:
 * 0 ok, 1 a check found a problem, 2 usage or environment error with
 * nothing changed.  Once a command's work is committed it exits 0: a
 * failure to close the store after it is only a warning (ctl_close).
 * Commands and these helpers are program code: they report to stderr as
 * "ncenctl: what: why" and may print results on stdout; the library
 * layers under them never do.
 */
#ifndef NCEN_CTL_H
#define NCEN_CTL_H

#include <stdint.h>
#include <stdio.h>

#include "auth.h"
#include "error.h"
#include "schema.h"
#include "store.h"

struct ctl_cmd;

/* What the global options decided, for every command. */
struct ctl_ctx {
	const char		*home;		/* -d or $NCEN_HOME, else NULL */
	const char		*keyfile;	/* -k or $NCEN_KEYFILE, else NULL */
	const struct ctl_cmd	*cmd;		/* the command running */
	unsigned		 watchdog;	/* seconds a call may take, 0: default */
};

typedef int (*ctl_fn)(struct ctl_ctx *, int, char **);

/* One row of the command table. */
struct ctl_cmd {
	const char	*name;
	ctl_fn		 fn;
	const char	*summary;	/* one line for the list */
	const char	*usage;		/* arguments, after the name */
	const char	*help;		/* the rest of --help, or NULL */
};

extern const struct ctl_cmd	ctl_cmds[];

/* The commands (ctl-*.c). */
int	ctl_init(struct ctl_ctx *, int, char **);
int	ctl_verify(struct ctl_ctx *, int, char **);
int	ctl_recover(struct ctl_ctx *, int, char **);
int	ctl_backup(struct ctl_ctx *, int, char **);
int	ctl_restore(struct ctl_ctx *, int, char **);
int	ctl_stats(struct ctl_ctx *, int, char **);
int	ctl_search(struct ctl_ctx *, int, char **);
int	ctl_watch(struct ctl_ctx *, int, char **);
int	ctl_rules(struct ctl_ctx *, int, char **);
int	ctl_alerts(struct ctl_ctx *, int, char **);
int	ctl_dump(struct ctl_ctx *, int, char **);
int	ctl_load(struct ctl_ctx *, int, char **);
int	ctl_forms(struct ctl_ctx *, int, char **);
int	ctl_import(struct ctl_ctx *, int, char **);
int	ctl_export(struct ctl_ctx *, int, char **);
int	ctl_template(struct ctl_ctx *, int, char **);
int	ctl_offices(struct ctl_ctx *, int, char **);
int	ctl_case(struct ctl_ctx *, int, char **);
int	ctl_investigation(struct ctl_ctx *, int, char **);
int	ctl_attach(struct ctl_ctx *, int, char **);
int	ctl_merge(struct ctl_ctx *, int, char **);
int	ctl_demo(struct ctl_ctx *, int, char **);
int	ctl_user(struct ctl_ctx *, int, char **);
int	ctl_audit(struct ctl_ctx *, int, char **);
int	ctl_retention(struct ctl_ctx *, int, char **);
int	ctl_node(struct ctl_ctx *, int, char **);
int	ctl_partner(struct ctl_ctx *, int, char **);
int	ctl_agreement(struct ctl_ctx *, int, char **);
/* ncenctl report (ctl-report.c) and its reports (ctl-report-*.c). */
int	ctl_reports(struct ctl_ctx *, int, char **);
int	ctl_report_case(struct ctl_ctx *, int, char **);
int	ctl_report_stats(struct ctl_ctx *, int, char **);
/* ctl-case.c: a record id typed on the command line, 0 if it is not one. */
uint64_t ctl_parse_id(const char *);

/* ctl-util.c: reporting and opening the store. */
void	ctl_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
int	ctl_usage(const struct ctl_cmd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
#ifdef __clang_analyzer__
/* ctl_usage() returns 2: said to clang's analyser (see error.h). */
#define ctl_usage(c, ...)	((ctl_usage)((c), __VA_ARGS__), 2)
#endif
void	ctl_help(const struct ctl_cmd *, FILE *);
int	ctl_report(const char *, const struct ncen_err *);
int	ctl_need_home(struct ctl_ctx *);
int	ctl_schema(struct ctl_ctx *, struct schema **);
int	ctl_open(struct ctl_ctx *, struct schema **, struct store **);
const char *ctl_login(void);
int	ctl_as(struct ctl_ctx *, struct store *, const char *user,
	    enum auth_action, const struct record *, struct auth_account **);
int	ctl_exists(struct store *, const char *, uint64_t);
int	ctl_close(struct ctl_ctx *, struct schema *, struct store *, int);
int	ctl_closing_done(void);
int	ctl_change_in_doubt(void);
void	ctl_committed(void);
void	ctl_one_change(void);
int	ctl_is_dir(const char *);
int	ctl_is_empty_dir(const char *);

#endif
