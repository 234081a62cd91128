/* mdwrap.c - Markdown paragraphs in lines of bounded length (mdwrap.h). */
#include "mdwrap.h"

#include <stdlib.h>
#include <string.h>

#include "escape.h"

char *md_shorten(const char *s, size_t keep)
{
	static const char mark[] = "…";
	size_t n = strlen(s), m = sizeof(mark) - 1;
	if (n <= keep)
		return xstrdup(s);
	if (keep < m + 2)
		keep = m + 2;
	/* the end says more of a path (the file, the line): two thirds of it */
	size_t head = (keep - m) / 3, tail = keep - m - head;
	while (head > 0 && ((unsigned char)s[head] & 0xc0) == 0x80)
		head--;
	size_t from = n - tail;
	while (from < n && ((unsigned char)s[from] & 0xc0) == 0x80)
		from++;
	char *r = xmalloc(head + m + (n - from) + 1);
	memcpy(r, s, head);
	memcpy(r + head, mark, m);
	memcpy(r + head + m, s + from, n - from + 1);
	return r;
}

static void esc_into(struct buf *out, const char *s, bool code, bool in_table)
{
	buf_reset(out);
	if (code)
		esc_md_code(out, s, in_table);
	else if (in_table)
		esc_md_cell(out, s);
	else
		esc_md_text(out, s);
}

void md_fit(struct buf *out, const char *s, size_t max, bool code, bool in_table)
{
	size_t keep = strlen(s);
	esc_into(out, s, code, in_table);
	/* escaping lengthens (a control byte is four characters, a backtick
	 * run lengthens the fence): shorten the text until the result fits */
	while (out->len > max && keep > 8) {
		size_t next = keep * max / out->len;
		keep = next < keep ? next : keep - 1;
		char *t = md_shorten(s, keep);
		esc_into(out, t, code, in_table);
		free(t);
	}
}

void mdp_start(struct mdpara *p, struct buf *b, const char *lead, const char *cont)
{
	p->b = b;
	p->cont = cont;
	p->cut = false;
	buf_puts(b, lead);
	p->col = strlen(lead);
}

void mdp_end(struct mdpara *p)
{
	buf_puts(p->b, "\n");
	p->col = 0;
}

/* Can a continuation line start with the escaped atom a (n bytes), and
 * stay in the paragraph? Not as a list item ("-", "+", "1." or "1)"), a
 * thematic break or setext underline ("-", "="), or a code fence ("```").
 * Every other block start ('#', '>', '<', '|', '*', '_', '~', '`' of
 * text) is backslash-escaped by esc_md_text. SAFE; or where a backslash
 * makes text safe (the '-' of "-x", the '.' of "1."); or NEVER (a fence:
 * a backslash would change the code span). */
enum { SAFE = -1, NEVER = -2 };

static long line_start(const char *a, size_t n)
{
	if (!n || !strncmp(a, "```", 3))
		return NEVER;
	if (a[0] == '-' || a[0] == '+' || a[0] == '=')
		return 0;
	size_t d = strspn(a, "0123456789");
	return d && d + 1 == n && (a[d] == '.' || a[d] == ')') ? (long)d : SAFE;
}

/* Add atom a (n bytes) after separator sep (its glue, such as ',', then
 * spaces). Past MDW_WIDTH, wrap: at the spaces of sep, when the atom can
 * start a line (text made safe with a backslash, kind TEXT); else before
 * the glue, which then starts the line. Past MDW_MAX with no such break,
 * cut the paragraph. */
enum kind { OURS, TEXT, CODE };

static void atom(struct mdpara *p, const char *sep, const char *a, size_t n, enum kind k)
{
	size_t seplen = strlen(sep), glue = strcspn(sep, " ");
	size_t cont = strlen(p->cont), cut = strlen(MDW_CUT);
	if (p->cut)
		return;
	if (p->col + seplen + n > MDW_WIDTH && p->col > cont && glue < seplen) {
		long at = line_start(a, n);
		if (at == SAFE || (at >= 0 && k == TEXT)) {
			buf_append(p->b, sep, glue);
			buf_puts(p->b, "\n");
			buf_puts(p->b, p->cont);
			p->col = cont;
			if (at >= 0) {
				buf_append(p->b, a, (size_t)at);
				buf_puts(p->b, "\\");
				buf_append(p->b, a + at, n - (size_t)at);
				p->col += n + 1;
				return;
			}
			seplen = 0;
			sep = "";
		} else if (glue) {
			buf_puts(p->b, "\n");
			buf_puts(p->b, p->cont);
			p->col = cont;
		}
	}
	if (p->col + seplen + n + cut > MDW_MAX) {
		buf_puts(p->b, MDW_CUT);
		p->cut = true;
		return;
	}
	buf_puts(p->b, sep);
	buf_append(p->b, a, n);
	p->col += seplen + n;
}

void mdp_ours(struct mdpara *p, const char *sep, const char *text)
{
	atom(p, sep, text, strlen(text), OURS);
}

void mdp_code(struct mdpara *p, const char *sep, const char *s, size_t max)
{
	struct buf e;
	buf_init(&e);
	md_fit(&e, s ? s : "", max, true, false);
	atom(p, sep, e.data, e.len, CODE);
	buf_free(&e);
}

void mdp_text(struct mdpara *p, const char *sep, const char *s)
{
	struct buf e, gap;
	if (!s)
		return;
	buf_init(&e);
	buf_init(&gap);
	buf_puts(&gap, sep);
	for (const char *w = s; *w && !p->cut;) {
		size_t sp = strspn(w, " ");
		if (sp) {
			buf_append(&gap, w, sp);
			w += sp;
			continue;
		}
		size_t n = strcspn(w, " ");
		char *word = xstrndup(w, n);
		md_fit(&e, word, MDW_WORD, false, false);
		free(word);
		atom(p, gap.data ? gap.data : "", e.data, e.len, TEXT);
		buf_reset(&gap);
		w += n;
	}
	buf_free(&e);
	buf_free(&gap);
}
