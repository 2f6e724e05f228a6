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

/* A page of text being shown. */
struct ui_pager {
	const char	*text;
	struct ui_lines	 l;
	size_t		 top;		/* first line shown */
	int		 redraw;	/* the title and keys too */
};

/* Free the lines of a page. */
static void
ui_pager_free(struct ui_lines *l)
{
	size_t	i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Wrap the text at the screen's width again, from the top (ui_common). */
static void
ui_pager_wrap(void *arg)
{
	struct ui_pager	*p = arg;

	ui_pager_free(&p->l);
	ui_help_wrap(&p->l, p->text, COLS - 2);
	p->top = 0;
	p->redraw = 1;
}

/* Draw the lines that fit from the top one, and where they are. */
static void
ui_pager_draw(struct ui *u, struct ui_pager *p, const char *title,
    size_t rows)
{
	static const enum ui_op	 ops[] = { UI_OP_BACK };
	size_t			 i;
	int			 y;

	if (p->redraw) {
		erase();
		ui_title(u, "%s", title);
		ui_keys(u, ops, 1);
		p->redraw = 0;
	}
	ui_clear_body();
	for (i = p->top, y = 1; i < p->l.n && y <= (int)rows; i++, y++)
		ui_text_put(y, 1, p->l.v[i], COLS - 2, 0);
	if (p->l.n > rows)
		ui_status(u, _("Lines %zu-%zu of %zu; PgDn, PgUp to scroll"),
		    p->top + 1, p->top + rows < p->l.n ? p->top + rows :
		    p->l.n, p->l.n);
	else
		ui_status(u, "%s", "");
}

/* Scroll by a line (Down, Up) or a page (PgDn, Space, ^V; PgUp, ^B). */
static void
ui_pager_scroll(struct ui_pager *p, const struct ui_keypress *k, size_t rows)
{
	if (k->fkey && k->key == KEY_DOWN && p->top + rows < p->l.n)
		p->top++;
	else if (k->fkey && k->key == KEY_UP && p->top > 0)
		p->top--;
	else if ((k->fkey && k->key == KEY_NPAGE) || k->key == ' ' ||
	    k->key == 0x16) {
		if (p->top + rows < p->l.n)
			p->top += rows;
	} else if ((k->fkey && k->key == KEY_PPAGE) || k->key == 0x02)
		p->top = p->top > rows ? p->top - rows : 0;
}

/* Show text a page at a time until the officer goes back. */
void
ui_pager(struct ui *u, const char *title, const char *text)
{
	struct ui_pager		 p;
	/* Help inside the pager is no key of its own. */
	const struct ui_common	 common = { NULL, NULL, ui_pager_wrap, NULL,
				     &p };
	struct ui_keypress	 k;
	enum ui_common_res	 c;
	size_t			 rows;
	char			*saved;
	int			 saved_err;

	/* The screen under the pager gets its status line back. */
	saved = u->status != NULL ? xstrdup(u->status) : NULL;
	saved_err = u->status_err;
	memset(&p, 0, sizeof p);
	p.text = text;
	ui_pager_wrap(&p);
	for (;;) {
		rows = (size_t)ui_body_rows();
		ui_pager_draw(u, &p, title, rows);
		ui_key(u, &k);
		if (k.op == UI_OP_NONE && !k.fkey && (k.key == 'q' ||
		    k.key == '\r'))
			break;
		if ((c = ui_common_key(u, &k, &common)) == UI_COMMON_BACK)
			break;
		if (c == UI_COMMON_OTHER)
			ui_pager_scroll(&p, &k, rows);
	}
	ui_pager_free(&p.l);
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
