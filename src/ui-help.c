/*
 * ui-help.c - a full-screen page of text: help screens and histories.
 *
 * The text is split into lines at newlines and wrapped at the screen's
 * width (by columns, UTF-8 aware); Up/Down and PgUp/PgDn scroll, Back
 * returns.  Help screens end with the key table so that an officer on a
 * vt100 always finds the control-key alternative of an F-key.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"
#include "ui.h"
#include "xmalloc.h"

struct ui_lines {
	char	**v;
	size_t	  n, cap;
};

/* Append one screen line. */
static void
ui_help_line(struct ui_lines *l, const char *s, size_t len)
{
	if (l->n == l->cap) {
		l->cap = l->cap == 0 ? 64 : l->cap * 2;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n] = xmalloc(len + 1);
	memcpy(l->v[l->n], s, len);
	l->v[l->n][len] = '\0';
	l->n++;
}

/* Split text into lines no wider than width columns. */
static void
ui_help_wrap(struct ui_lines *l, const char *text, int width)
{
	struct buf	 b = BUF_INIT, line = BUF_INIT;
	const char	*s, *nl;
	size_t		 len, take;

	for (s = text; *s != '\0'; s = nl + (*nl == '\n')) {
		nl = strchr(s, '\n');
		if (nl == NULL)
			nl = s + strlen(s);
		len = (size_t)(nl - s);
		do {
			buf_reset(&line);
			buf_add(&line, s, len);
			buf_reset(&b);
			ui_text_clip(buf_cstr(&line), width, &b);
			take = b.len;
			/* Break at the last blank when the line goes on. */
			if (take < len) {
				size_t	 sp = take;

				while (sp > 0 && s[sp] != ' ')
					sp--;
				if (sp > 0)
					take = sp;
			}
			if (take == 0)		/* wider than the screen */
				take = len;
			ui_help_line(l, s, take);
			s += take;
			len -= take;
			while (len > 0 && *s == ' ') {
				s++;
				len--;
			}
		} while (len > 0);
		if (*nl == '\0')
			break;
	}
	buf_free(&line);
	buf_free(&b);
}

/* Show text a page at a time until the officer goes back. */
void
ui_pager(struct ui *u, const char *title, const char *text)
{
	static const enum ui_op	 ops[] = { UI_OP_BACK };
	struct ui_lines		 l;
	struct ui_keypress	 k;
	size_t			 top = 0, i, rows;
	char			*saved;
	int			 redraw = 1, y, saved_err;

	/* The screen under the pager gets its status line back. */
	saved = u->status != NULL ? xstrdup(u->status) : NULL;
	saved_err = u->status_err;
	memset(&l, 0, sizeof l);
	ui_help_wrap(&l, text, COLS - 2);
	for (;;) {
		rows = (size_t)ui_body_rows();
		if (redraw) {
			erase();
			ui_title(u, "%s", title);
			ui_keys(u, ops, 1);
			redraw = 0;
		}
		ui_clear_body();
		for (i = top, y = 1; i < l.n && y <= (int)rows; i++, y++)
			ui_text_put(y, 1, l.v[i], COLS - 2, 0);
		if (l.n > rows)
			ui_status(u, _("Lines %zu-%zu of %zu; PgDn, PgUp to "
			    "scroll"), top + 1, top + rows < l.n ? top + rows :
			    l.n, l.n);
		else
			ui_status(u, "%s", "");
		ui_key(u, &k);
		if (k.op == UI_OP_BACK || (k.op == UI_OP_NONE && !k.fkey &&
		    (k.key == 'q' || k.key == '\r')))
			break;
		if (k.op == UI_OP_RESIZE || k.op == UI_OP_REDRAW) {
			for (i = 0; i < l.n; i++)
				free(l.v[i]);
			l.n = 0;
			ui_help_wrap(&l, text, COLS - 2);
			top = 0;
			redraw = 1;
			if (k.op == UI_OP_REDRAW)
				clearok(curscr, TRUE);
			continue;
		}
		if (k.fkey && (k.key == KEY_DOWN) && top + rows < l.n)
			top++;
		else if (k.fkey && k.key == KEY_UP && top > 0)
			top--;
		else if ((k.fkey && k.key == KEY_NPAGE) || k.key == ' ' ||
		    k.key == 0x16)
			top = top + rows < l.n ? top + rows : top;
		else if ((k.fkey && k.key == KEY_PPAGE) || k.key == 0x02)
			top = top > rows ? top - rows : 0;
	}
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	erase();
	free(u->status);
	u->status = saved;
	u->status_err = saved_err;
}

/* A help screen: the screen's own text, then the key table. */
void
ui_help(struct ui *u, const char *title, const char *text)
{
	struct buf	b = BUF_INIT;

	buf_adds(&b, text);
	buf_adds(&b, "\n\n");
	ui_key_help(u, &b);
	ui_pager(u, title, buf_cstr(&b));
	buf_free(&b);
}
