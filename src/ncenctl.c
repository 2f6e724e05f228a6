/*
 * ncenctl.c - the administration program: global options, the command
 * table, then a call into the command (ctl-*.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "ctl.h"
#include "error.h"
#include "i18n.h"
#include "store.h"

/* What the stall handler writes, made before any database call. */
static struct buf	ncenctl_stall_msg;
/* The same when the command's work was done and only closing stalled. */
static struct buf	ncenctl_stall_done_msg;
/* The same when its change had committed but was not yet on disk. */
static struct buf	ncenctl_stall_doubt_msg;

/* Every command: adding one is adding a row. */
const struct ctl_cmd ctl_cmds[] = {
	{ "init", ctl_init, N_("create a data directory and its databases"),
	  /* TRANSLATORS: in the usage lines translate only the words in
	     capitals (DIR, FILE...), never the options or subcommands. */
	  N_("[--forms DIR] [--encrypt]"),
	  N_(
	  "  --forms DIR  copy the forms from DIR (default: the installed forms)\n"
	  "  --encrypt    generate a key file and encrypt every database\n"
	  "The key goes to the -k path, else to DIR.key beside the data\n"
	  "directory, created with mode 0600.\n") },
	{ "verify", ctl_verify, N_("check every database and index"),
	  "", NULL },
	{ "recover", ctl_recover, N_("run recovery on the environment"),
	  N_("[--catastrophic]"),
	  N_("  --catastrophic  replay every log file (after a restore or a\n"
	  "                  damaged environment), not just since the last\n"
	  "                  checkpoint\n"
	  "No other process may use the data directory meanwhile.\n") },
	{ "backup", ctl_backup, N_("hot backup into a new directory"),
	  N_("[--wait SECONDS] DIR2"),
	  N_("  --wait SECONDS  how long to wait for the imports under way\n"
	  "                  (default 3600; 0: not at all)\n"
	  "Copies every database and log file while others keep working,\n"
	  "then the forms and a MANIFEST, and makes the copy consistent by\n"
	  "catastrophic recovery.  It holds each import whole or not at\n"
	  "all: it waits for the imports under way, and new ones wait for\n"
	  "it.  DIR2 must not exist or be empty.\n") },
	{ "restore", ctl_restore,
	  N_("restore a backup into the data directory"),
	  N_("[--force] DIR2"),
	  N_("  --force  replace an existing data directory (no process may\n"
	  "           be using it)\n") },
	{ "stats", ctl_stats, N_("count records, links and log files"),
	  "", NULL },
	{ "search", ctl_search,
	  N_("find persons, businesses, conveyances... by free text"),
	  N_("[--entity ENTITY] [--limit N] [--as USER] [--prefix] QUERY..."),
	  N_("  --entity ENTITY  search one form only (default: every form\n"
	  "                   with searched fields)\n"
	  "  --limit N        at most N hits (default 20, at most 500)\n"
	  "  --as USER        only what that account may see (need to\n"
	  "                   know); the other matches are counted\n"
	  "  --prefix         the last word may be unfinished\n"
	  "QUERY: names in any order and any script, a document, phone or\n"
	  "plate number, a date (1997-10-23, 23/10/1997, 23.10.1997).  One\n"
	  "hit a line, best first: ENTITY:ID TAB SCORE TAB WHY TAB SUMMARY.\n") },
	{ "watch", ctl_watch, N_("the watch list: persons, businesses, "
	  "documents, vehicles..."),
	  N_("add --kind KIND (--name NAME [--born DATE] | --number N) "
	  "--reason TEXT --owner USER [--until DATE] | list | del ID"),
	  N_("  --kind KIND    PERSON, BUSINESS, DOCUMENT, PLATE, IMO,\n"
	  "                 CONTAINER or VIN (watch_kind.codes)\n"
	  "  --name NAME    a person's or business's names, any script\n"
	  "  --born DATE    a person's date of birth (YYYY-MM-DD)\n"
	  "  --number N     the document, plate, IMO, container number, VIN\n"
	  "  --owner USER   the account (or role) the alerts are for\n"
	  "  --until DATE   watched until then (default: until removed)\n"
	  "A case whose linked records meet an entry raises an alert.\n"
	  "list prints ID, kind, name, born, number, owner, until, reason.\n") },
	{ "rules", ctl_rules, N_("check, install and run the analytic rules"),
	  N_("check FILE | install FILE | list | run [--since DATE] "
	  "[--rule NAME] [--file FILE] [--no-watch]"),
	  N_("  check FILE    report a bad rules file as FILE:LINE:COL (exit 1)\n"
	  "  install FILE  check it, then make it DIR/alert.rules (audited)\n"
	  "  run           retro-hunt: check the cases dated since DATE\n"
	  "                (default: all) against the rules (or --rule NAME,\n"
	  "                or those of --file FILE) and the watch list\n"
	  "                (unless --no-watch), raising what they meet\n"
	  "The language is in ncen-rules(5).\n") },
	{ "alerts", ctl_alerts, N_("list alerts, check waiting cases, decide"),
	  N_("list [--state S] [--as USER] | check [--max N] | pending | "
	  "decide ID "
	  "SEEN|ACTED|DISMISSED --as USER [--reason TEXT]"),
	  N_("  list    ID, raised, state, case, source, owner, title, why,\n"
	  "          handled by, reason; --as: only that account's alerts\n"
	  "          in cases it sees\n"
	  "  check   check the cases saved since the last check (at most N)\n"
	  "  pending how many cases wait to be checked\n"
	  "  decide  record the decision (DISMISSED needs --reason)\n") },
	{ "dump", ctl_dump,
	  N_("write records and links as text (ncen-dump(5))"),
	  N_("[-o FILE] [ENTITY...]"),
	  N_("  -o FILE  write to FILE instead of standard output\n"
	  "Without ENTITY, every form is dumped; links are dumped when both\n"
	  "of their records are.\n") },
	{ "load", ctl_load, N_("load a dump (all or nothing)"),
	  N_("FILE"),
	  N_("Every record is checked against the forms first; one bad line\n"
	  "and nothing is stored.  Ids, versions and times are kept.\n") },
	{ "forms", ctl_forms, N_("check form and code list files"),
	  N_("check FILE..."),
	  N_("Parses the .form and .codes files given and cross-checks them;\n"
	  "each problem is printed as FILE:LINE:COL: message.\n") },
	{ "case", ctl_case, N_("take a case through its workflow, or show it"),
	  N_("submit|validate|close|reopen ID --as USER "
	  "[--reason TEXT] [--version N] | history ID | "
	  "four-eyes [on|off --as ADMIN]"),
	  N_(
	  "  --as USER       who takes the step: an account (ncenctl user);\n"
	  "                  its roles decide what it may do\n"
	  "  --reason TEXT   why (required to reopen)\n"
	  "  --version N     refuse if the case changed since version N\n"
	  "draft -> submitted (officer, supervisor) -> validated (supervisor)\n"
	  "-> closed (supervisor); reopen (supervisor, with a reason) takes a\n"
	  "submitted, validated or closed case back to draft.  Required\n"
	  "fields are checked at submission and validation.  history lists\n"
	  "each step with who, when and why.\n") },
	{ "investigation", ctl_investigation,
	  N_("take an investigation through its workflow, or show it"),
	  N_("activate|suspend|resume|close|reopen|assign|unassign ID "
	  "--as USER [--reason TEXT] [--outcome STATUS] [--officer USER] "
	  "[--version N] | history ID"),
	  N_(
	  "  --as USER         who takes the step: an account (ncenctl user)\n"
	  "  --reason TEXT     why (required to suspend, close and reopen)\n"
	  "  --outcome STATUS  close: CLOSED-RESULT, CLOSED-NFA or REFERRED\n"
	  "  --officer USER    assign, unassign: an officer's account\n"
	  "  --version N       refuse if it changed since version N\n"
	  "NEW (opened) -> OPEN (active) <-> SUSPENDED -> closed; reopen takes\n"
	  "a closed one back to OPEN.  A supervisor of its office takes every\n"
	  "step; an officer assigned to it may activate, suspend and resume\n"
	  "it.  history lists each step with who, when and why.\n") },
	{ "report", ctl_reports,
	  N_("printable reports: a case, statistics"),
	  N_("case ID [--as USER] [--format text|pdf] [-o FILE]\n"
	  "          stats [QUERY] [--from DATE] [--to DATE] [--office CODE]...\n"
	  "          [--commodity CODE] [--direction CODE] [--status CODE]\n"
	  "          [--format text|csv] [-o FILE] [--as USER]"),
	  N_(
	  "case prints every field of the case, its seizure lines, linked\n"
	  "persons, businesses and conveyances with their roles, the workflow\n"
	  "history and the attachments, with labels in the language of LANG.\n"
	  "A report showing nominal data is audited as case.print.\n"
	  "  --as USER      print what that account may see (need to know);\n"
	  "                 linked records it may not see are left out, and\n"
	  "                 the report says how many\n"
	  "  --format F     text (default: for a line printer, 80 columns,\n"
	  "                 66 lines a page, form feeds between pages) or pdf\n"
	  "                 (through groff, Debian package groff)\n"
	  "  -o FILE        write to FILE instead of standard output\n"
	  "stats runs a predefined query (DIR/forms/*.queries,\n"
	  "ncen-queries(5)); without QUERY, it lists them.\n"
	  "  --from, --to the period (case dates, inclusive)\n"
	  "  --office     only these offices (repeat, or CODE,CODE)\n"
	  "  --commodity  only the seizure lines of this group or type\n"
	  "  --direction, --status  only the cases with this code\n"
	  "  --format     text (a table for a printer, the default) or csv\n"
	  "  --as USER    for an account (roles: supervisor, analyst, ncp;\n"
	  "               an account limited to offices gets only those)\n"
	  "Without filters every case counts, whatever its status.\n"
	  "Values are summed in the reporting currency of\n"
	  "DIR/forms/exchange.rates (ncen-queries(5)).\n") },
	{ "attach", ctl_attach, N_("attach a file to a record"),
	  N_("[--caption TEXT] [--kind KIND] [--as USER] [--max-size BYTES] "
	  "ENTITY:ID FILE | outbox [DIR --as ADMIN]"),
	  N_("  --caption TEXT    what the file shows\n"
	  "  --kind KIND       attachment_kind code (default: from the type)\n"
	  "  --as USER         an account that may attach to the record\n"
	  "                    (default: the login running ncenctl)\n"
	  "  --max-size BYTES  refuse larger files (default: 64 MiB)\n"
	  "The file is copied to DIR/attachments/XX/SHA256 (the same content\n"
	  "is stored once) and an attachment record linked to ENTITY:ID.\n"
	  "outbox shows or sets (an administrator) the folder where ncen\n"
	  "exports attachments; no one types a path in ncen.\n") },
	{ "merge", ctl_merge,
	  N_("merge two records of one person, business or conveyance"),
	  N_("[--as USER] [--dry-run] ENTITY KEEP OTHER"),
	  N_("  --as USER  an account that may merge (supervisor, analyst,\n"
	  "             ncp) and sees both records\n"
	  "  --dry-run  say what would move, change nothing\n"
	  "ENTITY is person, business or conveyance; KEEP and OTHER are ids\n"
	  "(or ENTITY:ID).  OTHER's links and attachments move to KEEP, its\n"
	  "values KEEP lacks are copied, other names become aliases (other\n"
	  "names of a business), other documents go to other_documents, and\n"
	  "what has no place is written into KEEP's remarks.  OTHER is then\n"
	  "deleted; its id still leads to KEEP.  Audited as record.merge.\n") },
	{ "demo", ctl_demo, N_("generate a reproducible demo data set"),
	  N_("--cases N [--seed S] [--batch B] [--as USER]"),
	  N_("  --cases N  how many cases (each with seizures, persons,\n"
	  "             businesses, conveyances and workflow steps)\n"
	  "  --seed S   the same seed gives the same data (default 1)\n"
	  "  --batch B  cases per transaction (default 500)\n"
	  "  --as USER  an account that may import (ncp, admin)\n") },
	{ "user", ctl_user, N_("manage accounts and their SSH keys"),
	  N_("add|mod|lock|unlock|passwd|list|del [--roles R] [--offices O] "
	  "[--password-stdin] [USER] | key add|del|list USER [KEYFILE]"),
	  N_("  --roles R         officer, supervisor, analyst, ncp, admin\n"
	  "                    (comma-separated)\n"
	  "  --offices O       limit to these customs offices ('' for all)\n"
	  "  --password-stdin  add: read a first password from stdin (the\n"
	  "                    user must change it at first sign-in)\n"
	  "  --authorized-keys FILE  key: the service account's file (else\n"
	  "                    $NCEN_AUTHORIZED_KEYS, else ~/.ssh/authorized_keys)\n"
	  "  --ncen PATH       key add: the ncen to force (default: beside\n"
	  "                    ncenctl, else the installed one)\n"
	  "passwd reads the new password from standard input and makes the\n"
	  "user change it at sign-in.  del disables an account that records\n"
	  "or audit entries name.  key add writes one line\n"
	  "restrict,pty,command=\"ncen -d DIR --as USER\" KEY ncen:USER; key\n"
	  "del removes the user's line for KEYFILE (or all of them); other lines\n"
	  "are never touched.\n") },
	{ "audit", ctl_audit, N_("verify or show the audit log"),
	  N_("verify | show [--user U] [--record E:ID] [--action A] "
	  "[--since T] [--until T]"),
	  N_("  verify      recompute the hash chain; name the first entry\n"
	  "              changed, removed or inserted (exit 1)\n"
	  "  --action A  exact, or a prefix ending in '.' (record.)\n"
	  "  T           YYYY-MM-DD[THH:MM[:SS]] in UTC, or epoch seconds\n") },
	{ "retention", ctl_retention,
	  N_("list and apply the forms' retention periods"),
	  N_("list|apply [--form FORM] [--as USER] [--dry-run]"),
	  N_(
	  "  --form FORM  only the records of that form\n"
	  "  --as USER    an account allowed to apply retention (supervisor);\n"
	  "               default: the login running ncenctl\n"
	  "  --dry-run    apply: say what would be done, change nothing\n"
	  "list prints each record due: form, id, delete or anonymise, why,\n"
	  "since when and when it fell due.  apply deletes or anonymises each\n"
	  "in its own transaction, audited (retention.delete or\n"
	  "retention.anonymise); a deleted case is withdrawn from the partners\n"
	  "that hold it, and attachments go with their record.  The periods\n"
	  "are the forms' retain lines (ncen-forms(5)).\n") },
	{ "import", ctl_import, N_("import records from CSV (all or nothing)"),
	  N_("[--partial REJECTS.csv] [--override-check REASON] [--raw] "
	  "[--duplicates report|refuse|none] [--as USER] ENTITY FILE.csv|-"),
	  N_(
	  "  --partial REJECTS.csv  store the good rows and write the others,\n"
	  "                         with a reason column, to REJECTS.csv\n"
	  "  --override-check REASON  keep values whose check digit is wrong\n"
	  "                         (IMO, ISO 6346), recording REASON with\n"
	  "                         each record and in the audit log\n"
	  "  --raw                  values exactly as written (a file from\n"
	  "                         export --raw): keep a leading quote\n"
	  "  --duplicates MODE      rows that stored records probably are\n"
	  "                         (same number, or names and birth date):\n"
	  "                         report (default), refuse or none\n"
	  "  --rollback             only roll back imports that died (no\n"
	  "                         ENTITY or FILE)\n"
	  "  --as USER              an account that may import (ncp, admin)\n"
	  "The header row names the form's fields (and optionally id).  The\n"
	  "whole file is checked first; every problem is printed as\n"
	  "FILE:LINE: FIELD: reason and then nothing is stored (exit 1).\n"
	  "ENTITY 'links' imports from_entity,from_id,to_entity,to_id,role.\n") },
	{ "export", ctl_export, N_("export records as CSV"),
	  N_("[-o FILE] [--where F=V] [--from F=LO] [--to F=HI] [--raw] "
	  "[--as USER] ENTITY"),
	  N_("  -o FILE       write to FILE instead of standard output\n"
	  "  --where F=V   only records whose field F is V\n"
	  "  --from F=LO   only records whose field F is LO or after\n"
	  "  --to F=HI     only records whose field F is HI or before\n"
	  "  --raw         values exactly as stored, for programs: no quote\n"
	  "                before a cell starting with = + - @ TAB CR '\n"
	  "  --as USER     an account that may export; only its records\n"
	  "                (own, offices) are written\n"
	  "Filters combine (all must hold); F may be id.  Rows come in id\n"
	  "order with an id column first, so import gives them back.\n"
	  "A cell a spreadsheet would run as a formula gets a quote in\n"
	  "front; import takes it off.\n") },
	{ "template", ctl_template,
	  N_("print a form's CSV header and an example"),
	  N_("ENTITY"), NULL },
	{ "offices", ctl_offices, N_("load the customs offices from CSV"),
	  N_("load FILE.csv"),
	  N_(
	  "FILE.csv has the columns code, en and fr.  Every row is checked,\n"
	  "then DIR/forms/office.codes is replaced at once (its list version\n"
	  "goes up by one); codes that records still use must stay.\n") },
	{ "node", ctl_node, N_("this node's Icomm identity"),
	  N_("init --id ID [--role national|hub|global] [--days N] | show"),
	  N_(
	  "  --id ID     this node's id (letters, digits, '.', '_', '-')\n"
	  "  --role R    national (default), hub or global (the global\n"
	  "              database, which accepts only cen fields)\n"
	  "  --days N    validity of the certificate (default 3650)\n"
	  "init makes DIR/node.key (P-256, mode 0600) and DIR/node.crt (a\n"
	  "self-signed certificate, CN = ID): partners register node.crt.\n") },
	{ "partner", ctl_partner, N_("register the partner nodes of Icomm"),
	  N_("add ID --role R --url URL --cert FILE [--tls-ca FILE] | list | "
	  "del ID"),
	  N_(
	  "  --role R       national, hub or global\n"
	  "  --url URL      the https:// endpoint of its receiver\n"
	  "  --cert FILE    its node certificate (PEM): signs its batches and\n"
	  "                 receipts, and is the client certificate it shows\n"
	  "  --tls-ca FILE  the CA of its web server's certificate (default:\n"
	  "                 the node certificate itself)\n") },
	{ "agreement", ctl_agreement, N_("the agreements that allow sharing"),
	  N_("add --partner ID --basis TEXT --dir in|out|both --level "
	  "partner|cen --from DATE --to DATE [--groups G,G|all] | list | "
	  "end N"),
	  N_(
	  "  --basis TEXT   the legal basis (title and date of the agreement)\n"
	  "  --dir D        out: we send, in: we receive, both\n"
	  "  --level L      the highest sharing level: partner (nominal data\n"
	  "                 allowed) or cen (non-personal fields only)\n"
	  "  --groups G,G   commodity groups covered (forms/commodity.codes);\n"
	  "                 all (the default) covers every group\n"
	  "  --from, --to   validity, YYYY-MM-DD, inclusive\n"
	  "A validated case is queued for a partner when an agreement in\n"
	  "force covers every commodity group of its seizures.  end stops\n"
	  "an agreement from now on (it is kept, for the record).\n") },
	{ "help", NULL, N_("list the commands, or explain one"), N_("[COMMAND]"),
	  NULL },
	{ NULL, NULL, NULL, NULL, NULL }
};

/* Print the usage line and the list of commands. */
static void
ncenctl_list(FILE *f)
{
	const struct ctl_cmd	*c;

	fputs(_("usage: ncenctl [-d DIR] [-k KEYFILE] COMMAND [ARGS]\n"
	    "       ncenctl --version\n"
	    "  -d DIR      data directory (else $NCEN_HOME)\n"
	    "  -k KEYFILE  encryption key file (else $NCEN_KEYFILE)\n"
	    "commands:\n"), f);
	for (c = ctl_cmds; c->name != NULL; c++)
		fprintf(f, "  %-8s %s\n", c->name, _(c->summary));
	fputs(_("`ncenctl COMMAND --help` explains one.\n"), f);
}

/* Write a whole message on standard error (no stdio: the watchdog's thread). */
static void
ncenctl_stall_say(const struct buf *m)
{
	size_t	off;
	ssize_t	w;

	for (off = 0; off < m->len; off += (size_t)w) {
		w = write(STDERR_FILENO, m->s + off, m->len - off);
		if (w == -1 && errno != EINTR)
			return;
		if (w == -1)
			w = 0;
	}
}

/*
 * A database call overran the watchdog: say so (the store then exits
 * 75, "run the command again").  When only the closing of a command
 * that succeeded stalled, its work is committed: running it again
 * would do it twice, so this says so and exits 0.  When its one change
 * had committed and only the log's flush stalled, the change is kept if
 * its record reached the disk before the other process died: that is
 * for the officer to look at (exit 2, as for a commit that met a
 * recovery).
 */
static void
ncenctl_stall(void *arg)
{
	(void)arg;
	if (ctl_closing_done()) {
		ncenctl_stall_say(&ncenctl_stall_done_msg);
		_exit(0);
	}
	if (ctl_change_in_doubt()) {
		ncenctl_stall_say(&ncenctl_stall_doubt_msg);
		_exit(2);
	}
	ncenctl_stall_say(&ncenctl_stall_msg);
}

/* Find a command by name. */
static const struct ctl_cmd *
ncenctl_find(const char *name)
{
	const struct ctl_cmd	*c;

	for (c = ctl_cmds; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* Whether a command's arguments ask for help (before any "--"). */
static int
ncenctl_wants_help(int argc, char **argv)
{
	int	i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

/* The help command: the list, or one command's help. */
static int
ncenctl_help(int argc, char **argv)
{
	const struct ctl_cmd	*c;

	if (argc < 2) {
		ncenctl_list(stdout);
		return 0;
	}
	if (argc > 2 || (c = ncenctl_find(argv[1])) == NULL) {
		ctl_warn(_("help: %s: unknown command"), argv[1]);
		ncenctl_list(stderr);
		return 2;
	}
	ctl_help(c, stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct ctl_ctx		 ctx;
	struct ncen_err		 e = NCEN_ERR_INIT;
	struct sigaction	 sa;
	const struct ctl_cmd	*c;
	int			 ch, r;

	/* What ncenctl makes (regions, logs, backups, exports): ours alone. */
	umask(077);
	/*
	 * A reader that goes away (ncenctl dump | head) must not kill
	 * ncenctl inside the database library, which would make every
	 * other process recover: a write fails with EPIPE instead, and
	 * the command stops and closes the store like on any error.
	 */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGPIPE, &sa, NULL);
	i18n_init();
	memset(&ctx, 0, sizeof ctx);
	ctx.home = getenv("NCEN_HOME");
	ctx.keyfile = getenv("NCEN_KEYFILE");
	while ((ch = getopt_long(argc, argv, "+d:k:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			ctx.home = optarg;
			break;
		case 'k':
			ctx.keyfile = optarg;
			break;
		case 'h':
			ncenctl_list(stdout);
			return 0;
		case 'V':
			printf("ncenctl %s\n", PACKAGE_VERSION);
			return 0;
		default:
			ncenctl_list(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (ctx.home != NULL && *ctx.home == '\0')
		ctx.home = NULL;
	if (ctx.keyfile != NULL && *ctx.keyfile == '\0')
		ctx.keyfile = NULL;

	if (argc == 0) {
		ctl_warn(_("no command given"));
		ncenctl_list(stderr);
		return 2;
	}
	if ((c = ncenctl_find(argv[0])) == NULL) {
		ctl_warn(_("%s: unknown command"), argv[0]);
		ncenctl_list(stderr);
		return 2;
	}
	if (ncenctl_wants_help(argc, argv)) {
		ctl_help(c, stdout);
		return 0;
	}
	if (c->fn == NULL)
		return ncenctl_help(argc, argv);

	/* Refuse to run on a libdb other than the one we were built with. */
	if (store_version_check(&e) != NCEN_OK) {
		r = ctl_report("libdb", &e);
		ncen_err_free(&e);
		return r;
	}
	ctx.cmd = c;
	buf_addf(&ncenctl_stall_msg, _("ncenctl: %s: a database call did not "
	    "return in time: another process probably died inside the "
	    "database library; run the command again (recovery runs at "
	    "the next start)\n"), c->name);
	buf_addf(&ncenctl_stall_done_msg, _("ncenctl: %s: warning: closing "
	    "the database did not finish in time (another process probably "
	    "died inside the database library); the command's work is done "
	    "and kept: do not run it again (recovery runs at the next "
	    "start)\n"), c->name);
	buf_addf(&ncenctl_stall_doubt_msg, _("ncenctl: %s: writing the "
	    "change to disk did not finish in time (another process "
	    "probably died inside the database library): it may or may not "
	    "have been kept; look before running the command again "
	    "(recovery runs at the next start)\n"), c->name);
	store_set_stall_handler(ncenctl_stall, NULL);
	optind = 0;	/* the command parses its own options afresh */
	r = c->fn(&ctx, argc, argv);
	buf_free(&ncenctl_stall_msg);
	buf_free(&ncenctl_stall_done_msg);
	buf_free(&ncenctl_stall_doubt_msg);
	return r;
}
