/*
 * schema.h - the forms language: forms, fields and code lists.
 *
 * A schema is everything in a forms directory: one form per entity
 * (NAME.form) and the code lists (NAME.codes).  The same definitions
 * drive storage and indices (store-*), validation (schema-validate),
 * screens, CSV and sharing.  This layer knows nothing of Berkeley DB.
 *
 * Contract: parse and load functions return NCEN_OK or NCEN_EPARSE /
 * NCEN_EIO / NCEN_ENOTFOUND (NCEN_EUSAGE for a file that is neither
 * NAME.form nor NAME.codes) and fill the error with "FILE:LINE:COL:
 * expected ..., found ..." (a file that cannot be read: "FILE: ...").  They never crash or exit on any
 * input.  A struct schema owns all its forms, fields and code lists;
 * schema_free() releases everything.  Find functions return borrowed
 * pointers (NULL when absent) valid until schema_free().
 *
 * The language itself is documented in ncen-forms(5).  Code lookups:
 * schema_code_find() is exact; schema_code_find_label() matches an
 * English or French label ignoring ASCII case and answers only when
 * exactly one code has that label (schema_code_label_matches() counts).
 */
#ifndef NCEN_SCHEMA_H
#define NCEN_SCHEMA_H

#include <stddef.h>

#include "error.h"
#include "i18n.h"

/* Languages labels and help come in; index 0 is the fallback. */
enum schema_lang {
	SCHEMA_EN = I18N_EN,
	SCHEMA_FR = I18N_FR,
	SCHEMA_NLANG
};

enum schema_type {
	SCHEMA_TEXT,		/* text(n): at most n characters of UTF-8 */
	SCHEMA_INTEGER,		/* signed 64-bit decimal integer */
	SCHEMA_DECIMAL,		/* decimal(p,s): p digits, s after the point */
	SCHEMA_DATE,		/* ISO 8601 YYYY-MM-DD */
	SCHEMA_DATETIME,	/* ISO 8601 YYYY-MM-DDTHH:MM[:SS] */
	SCHEMA_CODE,		/* code:LIST: a code of that list */
	SCHEMA_REF,		/* ref:ENTITY: the id of a record of that form */
};

enum schema_share {
	SCHEMA_LOCAL = 0,	/* never leaves this node (the default) */
	SCHEMA_PARTNER,		/* to partners under an agreement */
	SCHEMA_CEN,		/* non-personal: to the global database */
};

/* The public identifier a text field holds (schema-check.c). */
enum schema_check {
	SCHEMA_CHECK_NONE = 0,
	SCHEMA_CHECK_IMO,	/* IMO ship number: 7 digits, check digit */
	SCHEMA_CHECK_ISO6346,	/* container: 4 letters, 7 digits, check */
	SCHEMA_CHECK_VIN,	/* ISO 3779: 17 characters, no I, O, Q */
};

/*
 * The strict shape a text field's values have (schema-pattern.c): what
 * makes a text field fit to be shared at cen level.
 */
enum schema_pattern {
	SCHEMA_PATTERN_NONE = 0,	/* free text */
	SCHEMA_PATTERN_HS,		/* 4, 6, 8 or 10 digits */
	SCHEMA_PATTERN_TIME,		/* HH:MM, 00:00 to 23:59 */
	SCHEMA_PATTERN_UTC_OFFSET,	/* +HH:MM, -12:00 to +14:00 */
};

/* How search (search.h) reads a field: its `search KIND` attribute. */
enum schema_search {
	SCHEMA_SEARCH_NONE = 0,
	SCHEMA_SEARCH_NAME,		/* a name: words in any script */
	SCHEMA_SEARCH_ALIAS,		/* another name the record goes by */
	SCHEMA_SEARCH_NUMBER,		/* a document, phone, plate... */
	SCHEMA_SEARCH_DATE,		/* a date (of birth) */
	SCHEMA_SEARCH_COUNTRY,		/* a country: ranks, never found by */
};

struct schema_field {
	char			*name;
	enum schema_type	 type;
	unsigned		 size;		/* text(n) n; decimal(p,s) p */
	unsigned		 scale;		/* decimal(p,s) s */
	char			*target;	/* code list or entity name */
	int			 repeated;	/* several values allowed */
	int			 required;	/* needed at submission */
	int			 indexed;	/* has a secondary index */
	enum schema_share	 share;
	enum schema_check	 check;		/* its identifier's rule */
	enum schema_pattern	 pattern;	/* its values' shape */
	enum schema_search	 search;	/* how search reads it */
	char			*label[SCHEMA_NLANG];
	char			*help[SCHEMA_NLANG];
	char			*heading[SCHEMA_NLANG];	/* a list's column */
	int			 row, col;	/* screen position hint, -1 none */
	unsigned		 line;		/* where it is defined */
	unsigned		 namecol;	/* column of its name */
	unsigned		 typecol;	/* column of its type */
};

/* From when a form's records count their retention (its retain line). */
enum schema_retain_from {
	SCHEMA_RETAIN_NONE = 0,		/* no retain line: kept for ever */
	SCHEMA_RETAIN_CASE_CLOSED,	/* the last of its cases closed */
	SCHEMA_RETAIN_MODIFIED,		/* its last change */
	SCHEMA_RETAIN_WITH_RECORD,	/* goes with the record it is linked to */
};

enum schema_retain_action {
	SCHEMA_RETAIN_DELETE = 0,
	SCHEMA_RETAIN_ANONYMISE,	/* nominal fields emptied, record kept */
};

/* What anonymising puts in a required nominal text field. */
#define SCHEMA_RETAIN_PLACEHOLDER	"ANONYMISED"

/* "retain N(y|m|d) after FROM ACTION" or "retain with record". */
struct schema_retain {
	enum schema_retain_from	 from;
	unsigned		 count;		/* how many units, 1 to 999 */
	char			 unit;		/* 'y' years, 'm' months, 'd' days */
	enum schema_retain_action action;
	unsigned		 line, col;	/* where it is given, 0: not */
};

struct schema_form {
	char			*name;		/* entity name, e.g. "case" */
	unsigned		 version;	/* the form's own version */
	char			*label[SCHEMA_NLANG];
	struct schema_field	*fields;
	size_t			 nfields;
	char			*path;		/* file it came from */
	unsigned		 line, col;	/* where its name is declared */
	struct schema_retain	 retain;	/* how long records are kept */
};

struct schema_code {
	char			*code;
	char			*label[SCHEMA_NLANG];
	/* "= FACTOR BASE": one of this code is FACTOR of BASE (units). */
	char			*factor;	/* decimal text, or NULL */
	char			*base;		/* a code of the list, or NULL */
	/* "for KIND...": the kinds it applies to ("person* business",
	   '*' the likely one), or NULL for every kind. */
	char			*kinds;
};

struct schema_codelist {
	char			*name;
	struct schema_code	*codes;		/* sorted by code */
	size_t			 ncodes;
	char			*path;
	unsigned		 version;	/* the list's own version */
	unsigned		 line, col;	/* where its name is declared */
};

struct schema {
	struct schema_form	**forms;	/* sorted by name */
	size_t			  nforms;
	struct schema_codelist	**lists;	/* sorted by name */
	size_t			  nlists;
};

/* schema-parse.c: the .form language. */
int	schema_form_parse(const char *path, const char *text, size_t len,
	    struct schema_form **, struct ncen_err *);
void	schema_form_free(struct schema_form *);

/* schema-codes.c: the .codes language and lookups. */
int	schema_codes_parse(const char *path, const char *text, size_t len,
	    struct schema_codelist **, struct ncen_err *);
void	schema_codes_free(struct schema_codelist *);
const struct schema_code *schema_code_find(const struct schema_codelist *,
	    const char *code);
/* 0: the code does not apply to the kind, 1: it does, 2: the likely one. */
int	schema_code_applies(const struct schema_code *, const char *kind);
const struct schema_code *schema_code_find_label(
	    const struct schema_codelist *, const char *label);
size_t	schema_code_label_matches(const struct schema_codelist *,
	    const char *label, const struct schema_code **first);

/* schema-load.c: a whole directory, with cross-checks between files. */
int	schema_load_dir(const char *dir, struct schema **, struct ncen_err *);
int	schema_load_files(const char *const *paths, size_t npaths,
	    struct schema **, struct ncen_err *);
void	schema_free(struct schema *);
const struct schema_form *schema_form_find(const struct schema *,
	    const char *name);
const struct schema_codelist *schema_list_find(const struct schema *,
	    const char *name);
const struct schema_field *schema_field_find(const struct schema_form *,
	    const char *name);
int	schema_field_index(const struct schema_form *, const char *name);
const char *schema_label(char *const label[SCHEMA_NLANG], enum schema_lang);
const char *schema_type_name(enum schema_type);
const char *schema_share_name(enum schema_share);
void	schema_field_type(const struct schema_field *, struct buf *);
/* schema-check.c: "imo", "iso6346", "vin" (NULL for none). */
const char *schema_check_name(enum schema_check);
int	schema_check_lookup(const char *, size_t, enum schema_check *);
/* schema-pattern.c: "hs", "time", "utc-offset" (NULL for none). */
const char *schema_pattern_name(enum schema_pattern);
int	schema_pattern_lookup(const char *, size_t, enum schema_pattern *);
unsigned schema_pattern_max(enum schema_pattern);
/* schema-parse.c: "name", "alias", "number", "date", "country". */
const char *schema_search_name(enum schema_search);
/* Whether a form has fields that search reads (name, alias, number, date). */
int	schema_form_searched(const struct schema_form *);

/*
 * schema-parse.c: the line lexer both languages share (not for other
 * layers).  schema_lex_line() reads the next line that holds a word,
 * checking UTF-8 and control characters, splitting it into bare words
 * and quoted strings (escapes decoded); it returns 1 with a line, 0 at
 * the end of the text, or -1 with the error set.
 */
#define SCHEMA_LEX_MAXTOK 16

struct schema_tok {
	int			 quoted;	/* a "string" (escapes decoded) */
	const char		*s;		/* the word, or the decoded string */
	size_t			 len;
	unsigned		 col;		/* 1-based, in characters */
	char			*own;		/* decoded string storage */
};

struct schema_lex {
	const char		*path;
	const char		*text;
	size_t			 len;
	size_t			 pos;		/* start of the next line */
	unsigned		 line;		/* number of the current line */
	unsigned		 endcol;	/* column just past its last byte */
	int			 eof;		/* the end was reached */
	struct schema_tok	 tok[SCHEMA_LEX_MAXTOK];
	size_t			 ntok;
	struct ncen_err		*err;
};

void	schema_lex_init(struct schema_lex *, const char *path,
	    const char *text, size_t len, struct ncen_err *);
int	schema_lex_line(struct schema_lex *);
void	schema_lex_free(struct schema_lex *);
int	schema_lex_error(struct schema_lex *, unsigned col, const char *fmt,
	    ...) __attribute__((format(printf, 3, 4)));
void	schema_lex_found(struct schema_lex *, size_t i, struct buf *);
int	schema_lex_name(const char *, size_t);
int	schema_lex_number(const char *, size_t, unsigned long max,
	    unsigned long *);
int	schema_lex_is(const struct schema_lex *, size_t i, const char *word);
int	schema_lex_expected(struct schema_lex *, size_t i, const char *what);
int	schema_lex_end(struct schema_lex *, size_t i);
int	schema_lex_magic(struct schema_lex *, const char *magic);
int	schema_lex_decl(struct schema_lex *, const char *keyword,
	    const char *what, char **name, unsigned *version, unsigned *line,
	    unsigned *col);

#endif
