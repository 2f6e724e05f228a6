/*
 * ui.h - the officer's terminal program: what every screen shares.
 *
 * One struct ui per session holds the store, the signed-in account, the
 * language and the state of the terminal.  Screens are functions that
 * run their own key loop and return when the officer goes back; they
 * draw rows 1 .. LINES-3 and leave row 0 (title), LINES-2 (status) and
 * LINES-1 (keys) to ui_title, ui_status and ui_keys.
 *
 * Keys come through ui_key(), which turns function keys, their control
 * key and ESC-digit alternatives into one operation (enum ui_op), so a
 * vt100 with no F-keys does everything.  A hang-up (SIGHUP, SIGTERM,
 * SIGPIPE) seen while waiting for a key saves the open draft through the
 * hook a form screen registered, leaves curses, closes the store and
 * exits 0: screens never see it.  Nothing here draws unless asked: no
 * clock, no redraw on idle.
 *
 * Errors from library calls are shown with ui_error() on the status line;
 * nothing is written to stderr while curses owns the screen.
 */
#ifndef NCEN_UI_H
#define NCEN_UI_H

#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "buf.h"
#include "error.h"
#include "record.h"
#include "schema.h"

struct store;
struct auth_account;
struct ui;

#define UI_MIN_COLS	80
#define UI_MIN_LINES	24

/* What a key means, whatever the terminal sent for it. */
enum ui_op {
	UI_OP_NONE = 0,		/* an ordinary key: see ui_keypress.key/ch */
	UI_OP_HELP,		/* F1, ^G, ESC 1 */
	UI_OP_SAVE,		/* F2, ^W, ESC 2 */
	UI_OP_ACTION,		/* F3, ^A, ESC 3: workflow actions */
	UI_OP_PICK,		/* F4, ^P, ESC 4: pick a code or record */
	UI_OP_LINK,		/* F5, ^K, ESC 5: link a record */
	UI_OP_NEW,		/* F6, ^N, ESC 6: new record */
	UI_OP_FILTER,		/* F7, ^F, ESC 7: filter a list */
	UI_OP_SORT,		/* F8, ^T, ESC 8: sort a list */
	UI_OP_EDIT,		/* F9, ^E, ESC 9: edit the record shown */
	UI_OP_BACK,		/* F10, ^X, ESC 0, ESC ESC, ^C */
	UI_OP_GOTO,		/* ^O: go to a page */
	UI_OP_HISTORY,		/* ^R: a record's history */
	UI_OP_REDRAW,		/* ^L: redraw the whole screen */
	UI_OP_RESIZE,		/* the terminal changed size */
	UI_OP_ADD,		/* ^Y: add a value to a repeated field */
	UI_OP_DELETE,		/* ^D: remove a value or unlink */
	UI_OP_PRINT,		/* ^Z: print the record (a case report) */
	UI_NOPS
};

struct ui_keypress {
	enum ui_op	 op;
	int		 fkey;		/* 1: key is a KEY_* code */
	wint_t		 key;		/* KEY_* code or a character */
};
/* fkey 1 and this key: bytes that are not UTF-8 were typed (dropped). */
#define UI_KEY_BADBYTES	0x7fff0

/* The hook a screen with unsaved typing registers for a hang-up. */
typedef void (*ui_hangup_fn)(void *arg);
/* The hook that locks an idle session (ui-signin.c). */
typedef void (*ui_idle_fn)(struct ui *);

struct ui {
	struct store		*st;
	const struct schema	*schema;
	struct auth_account	*acct;
	enum schema_lang	 lang;
	int			 color;		/* has_colors() and no NO_COLOR */
	int			 fkeys;		/* the terminal has F1..F10 */
	unsigned		 idle;		/* seconds before locking, 0 never */
	ui_idle_fn		 on_idle;
	ui_hangup_fn		 on_hangup;
	void			*hangup_arg;
	int			 started;	/* curses is on */
	volatile int		 stalled;	/* the store stopped answering:
						   drafts go to the spool */
	int			 resized;	/* a question took a resize that
						   ui_key gives its caller next */
	char			*status;	/* the status line's text */
	int			 status_err;	/* shown as an error */
};

/* ui-term.c: the terminal. */
int	 ui_start(struct ui *, struct ncen_err *);
void	 ui_stop(struct ui *);
int	 ui_key(struct ui *, struct ui_keypress *);
int	 ui_key_pause(struct ui *, int ms);
void	 ui_sel(const struct ui *, int y, int sel);
void	 ui_sel_end(const struct ui *, int sel);
void	 ui_shutdown(struct ui *, int status);
int	 ui_size_ok(void);
void	 ui_set_hangup(struct ui *, ui_hangup_fn, void *arg);
void	 ui_title(struct ui *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
void	 ui_status(struct ui *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
void	 ui_error(struct ui *, const struct ncen_err *);
void	 ui_status_error(struct ui *, const char *fmt, ...)
	     __attribute__((format(printf, 2, 3)));
void	 ui_keys(struct ui *, const enum ui_op *, size_t);
void	 ui_clear_body(void);
int	 ui_body_rows(void);

/* ui-key.c: the key table. */
enum ui_op ui_key_control(wint_t ch);
enum ui_op ui_key_function(int n);
enum ui_op ui_key_escape(wint_t ch);
const char *ui_key_name(enum ui_op);
const char *ui_key_label(enum ui_op);
void	 ui_key_help(struct ui *, struct buf *);

/*
 * The keys every screen treats alike: back, help, redraw (^L) and a
 * resize.  help_title and help are N_() strings (NULL: help is not one
 * of those keys here); draw (NULL: nothing)
 * repaints the screen after help, a redraw or a resize; resize (NULL:
 * none) lays the screen out again first, 0 to go back.
 */
struct ui_common {
	const char	*help_title;
	const char	*help;
	void		(*draw)(void *);
	int		(*resize)(void *);
	void		*arg;
};
enum ui_common_res {
	UI_COMMON_OTHER = 0,	/* not one of those keys: the screen's own */
	UI_COMMON_DONE,		/* handled */
	UI_COMMON_BACK		/* the screen ends */
};
enum ui_common_res ui_common_key(struct ui *, const struct ui_keypress *,
	     const struct ui_common *);

/* ui-text.c: UTF-8 text in terminal columns. */
void	 ui_text_init(void);
int	 ui_text_transliterated(void);
const char *ui_text_shown(const char *, struct buf *);
int	 ui_text_width(const char *);
void	 ui_text_put(int y, int x, const char *, int width, int pad);
void	 ui_text_clip(const char *, int width, struct buf *);
int	 ui_text_valid(const char *, size_t);

/* ui-help.c: a full-screen page of text (help, history). */
void	 ui_pager(struct ui *, const char *title, const char *text);
void	 ui_help(struct ui *, const char *title, const char *text);

/* ui-prompt.c: a one-line question on the status line. */
int	 ui_prompt(struct ui *, const char *question, size_t maxchars,
	     int secret, struct buf *answer);
int	 ui_confirm(struct ui *, const char *question);

/* ui-menu.c: the main menu. */
void	 ui_menu(struct ui *);

#endif
