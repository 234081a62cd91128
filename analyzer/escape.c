/* escape.c - one escape per output context (escape.h). */
#define _GNU_SOURCE /* wcwidth */
#include "escape.h"

#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

/* Characters that must never reach a reader as themselves: they move the
 * cursor, ring, recolour, end a line, or reorder the text around them. */
static bool unsafe_cp(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x061c || c == 0x200e || c == 0x200f ||
	       (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

/* An output context: how one safe ASCII character is written. Bytes of
 * safe non-ASCII characters are copied as they are. */
typedef void (*emit_fn)(struct buf *b, const char *s, size_t i, char c);

static void emit_plain(struct buf *b, const char *s, size_t i, char c)
{
	(void)s;
	(void)i;
	buf_append(b, &c, 1);
}

/* Walk s, writing safe characters through emit and everything else as
 * visible text ("\x1b", "\u202e") through the same emit, so that the
 * backslash of the visible form is itself escaped where it must be. */
static void walk(struct buf *b, const char *s, emit_fn emit)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char vis[16];

	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t l = utf8_decode(p + i, n - i, &c);
		if (l && !unsafe_cp(c)) {
			if (l == 1)
				emit(b, s, i, (char)c);
			else
				buf_append(b, p + i, l);
			i += l;
			continue;
		}
		if (l)
			snprintf(vis, sizeof(vis), c < 0x100 ? "\\x%02x" : "\\u%04x", (unsigned)c);
		else
			snprintf(vis, sizeof(vis), "\\x%02x", p[i]);
		for (const char *v = vis; *v; v++)
			emit(b, vis, (size_t)(v - vis), *v);
		i += l ? l : 1;
	}
}

/* ---- Markdown ------------------------------------------------------------ */

/* Is s[i] the '.' of "www." or the ':' of "://"? GFM's extended autolinks
 * start there; an escaped character breaks them. */
static bool autolink_at(const char *s, size_t i, char c)
{
	if (c == ':')
		return s[i + 1] == '/' && s[i + 2] == '/';
	if (c == '.')
		return i >= 3 && !strncasecmp(s + i - 3, "www", 3);
	return false;
}

static void emit_md(struct buf *b, const char *s, size_t i, char c)
{
	/* inline markup (emphasis, code, links, raw HTML, entities, GFM
	 * strikethrough and tables); '#' also, though only a line start makes
	 * a heading of it, and our writers never start a line with bundle text.
	 * '!' makes an image only before '[', which is escaped. */
	if (strchr("\\`*_[]<>&|~#", c) || autolink_at(s, i, c))
		buf_append(b, "\\", 1);
	buf_append(b, &c, 1);
}

void esc_md_text(struct buf *b, const char *s)
{
	if (s)
		walk(b, s, emit_md);
}

void esc_md_cell(struct buf *b, const char *s)
{
	if (!s || !*s)
		buf_puts(b, "–");
	else
		walk(b, s, emit_md);
}

static void emit_code(struct buf *b, const char *s, size_t i, char c)
{
	(void)s;
	(void)i;
	buf_append(b, &c, 1);
}

static void emit_code_cell(struct buf *b, const char *s, size_t i, char c)
{
	(void)s;
	(void)i;
	if (c == '|')
		buf_append(b, "\\", 1);
	buf_append(b, &c, 1);
}

void esc_md_code(struct buf *b, const char *s, bool in_table)
{
	size_t run = 0, longest = 0, n;

	if (!s || !*s) {
		buf_puts(b, "` `"); /* "``" would open a span, not make an empty one */
		return;
	}
	n = strlen(s);
	for (size_t i = 0; i < n; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	/* CommonMark strips one space from each side when the text starts and
	 * ends with one (and is not only spaces), and a backtick next to the
	 * fence would lengthen it: pad with a space on each side then */
	bool spaces = strspn(s, " ") == n;
	bool pad = s[0] == '`' || s[n - 1] == '`' || (s[0] == ' ' && s[n - 1] == ' ' && !spaces);
	for (size_t i = 0; i <= longest; i++)
		buf_append(b, "`", 1);
	if (pad)
		buf_append(b, " ", 1);
	walk(b, s, in_table ? emit_code_cell : emit_code);
	if (pad)
		buf_append(b, " ", 1);
	for (size_t i = 0; i <= longest; i++)
		buf_append(b, "`", 1);
}

/* ---- HTML and terminals -------------------------------------------------- */

static void emit_html(struct buf *b, const char *s, size_t i, char c)
{
	(void)s;
	(void)i;
	switch (c) {
	case '&': buf_puts(b, "&amp;"); break;
	case '<': buf_puts(b, "&lt;"); break;
	case '>': buf_puts(b, "&gt;"); break;
	case '"': buf_puts(b, "&quot;"); break;
	case '\'': buf_puts(b, "&#39;"); break;
	default: buf_append(b, &c, 1);
	}
}

void esc_html(struct buf *b, const char *s)
{
	if (s)
		walk(b, s, emit_html);
}

void esc_term(struct buf *b, const char *s)
{
	if (s)
		walk(b, s, emit_plain);
}

/* The columns code point c takes: wcwidth in a UTF-8 locale (the
 * program runs in the "C" one, where only ASCII has a width); 1 when no
 * UTF-8 locale exists or it does not know c. c is never a control here:
 * esc_term made those visible text. */
static size_t cp_width(uint32_t c)
{
	static locale_t utf8;
	static bool tried;
	if (c < 0x80)
		return 1;
	if (!tried) {
		tried = true;
		utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	}
	if (!utf8)
		return 1;
	locale_t was = uselocale(utf8);
	int w = wcwidth((wchar_t)c);
	uselocale(was);
	return w < 0 ? 1 : (size_t)w;
}

/* The code point at p[i] (n bytes) and its length (esc_term's text is
 * valid UTF-8; a stray byte would count as one column). */
static size_t cp_at(const unsigned char *p, size_t i, size_t n, size_t *cols)
{
	uint32_t c = '?';
	size_t l = utf8_decode(p + i, n - i, &c);
	*cols = cp_width(c);
	return l ? l : 1;
}

static size_t text_width(const struct buf *t)
{
	const unsigned char *p = (const unsigned char *)t->data;
	size_t cols = 0, w;
	for (size_t i = 0; i < t->len; cols += w)
		i += cp_at(p, i, t->len, &w);
	return cols;
}

size_t esc_term_width(const char *s)
{
	struct buf t;
	buf_init(&t);
	esc_term(&t, s);
	size_t cols = text_width(&t);
	buf_free(&t);
	return cols;
}

size_t esc_term_fit(struct buf *b, const char *s, size_t cols, enum term_cut cut)
{
	struct buf t;
	buf_init(&t);
	esc_term(&t, s);
	const unsigned char *p = (const unsigned char *)t.data;
	size_t total = text_width(&t), w;
	if (total <= cols || !cols) {
		if (total <= cols)
			buf_append(b, t.data, t.len);
		buf_free(&t);
		return total <= cols ? total : 0;
	}
	/* one column for the mark; the rest to the start, or to both ends */
	size_t tail = cut == CUT_MIDDLE ? (cols - 1) / 2 : 0, head = cols - 1 - tail;
	size_t i = 0, hw = 0, j = t.len, tw = 0;
	for (size_t l; i < t.len && (l = cp_at(p, i, t.len, &w), hw + w <= head); i += l)
		hw += w;
	while (j > i) {
		size_t k = j - 1;
		while (k > i && (p[k] & 0xc0) == 0x80)
			k--;
		cp_at(p, k, t.len, &w);
		if (tw + w > tail)
			break;
		tw += w;
		j = k;
	}
	buf_append(b, t.data, i);
	buf_puts(b, "\xe2\x80\xa6"); /* … */
	buf_append(b, t.data + j, t.len - j);
	buf_free(&t);
	return hw + 1 + tw;
}

void term_vline(FILE *f, const char *fmt, va_list ap)
{
	struct buf out;
	va_list cp;

	buf_init(&out);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	char *text = xmalloc((size_t)n + 1);
	vsnprintf(text, (size_t)n + 1, fmt, ap);
	esc_term(&out, text);
	buf_append(&out, "\n", 1);
	fwrite(out.data, 1, out.len, f);
	free(text);
	buf_free(&out);
}

void term_line(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	term_vline(f, fmt, ap);
	va_end(ap);
}

/* ---- JSON ---------------------------------------------------------------- */

void esc_json_text(struct buf *b, size_t from)
{
	const unsigned char *p = (const unsigned char *)b->data;
	size_t i = from;

	/* most text needs nothing: find the first byte that might */
	while (i < b->len && p[i] != 0x7f && p[i] < 0xc2)
		i++;
	if (i == b->len)
		return;
	struct buf out;
	buf_init(&out);
	buf_append(&out, b->data, i);
	while (i < b->len) {
		uint32_t c;
		size_t l = utf8_decode(p + i, b->len - i, &c);
		if (l && c >= 0x7f && unsafe_cp(c))
			buf_printf(&out, "\\u%04x", (unsigned)c);
		else
			buf_append(&out, p + i, l ? l : 1);
		i += l ? l : 1;
	}
	buf_free(b);
	*b = out;
}
