/* escape.h - the only way text from a bundle reaches an output.
 *
 * Every byte of a bundle is hostile: a VM name, a member path, the name of
 * the uploaded file itself. Each output context has one function here and
 * every writer calls it for every string it did not write itself. All of
 * them show control characters (C0, DEL, C1), bidirectional overrides,
 * line separators and invalid UTF-8 as visible text ("\x1b", "\u202e"), so
 * nothing from a bundle can drive a terminal, break a line, or reorder
 * what a reader sees, whichever context the text lands in.
 */
#ifndef PMEMMAP_ESCAPE_H
#define PMEMMAP_ESCAPE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "util.h"

/* Markdown inline text (a paragraph or list item, after text of ours):
 * every character CommonMark or GFM would read as markup is
 * backslash-escaped, so the text renders as itself and makes no element,
 * link or autolink. NULL or "" gives nothing. */
void esc_md_text(struct buf *b, const char *s);
/* A Markdown (GFM) table cell: esc_md_text plus the cell separator; NULL
 * or "" gives "–" so that the row keeps its columns. */
void esc_md_cell(struct buf *b, const char *s);
/* A Markdown code span: fenced by a backtick run longer than any inside
 * (CommonMark 6.1), padded when the text starts or ends with a backtick;
 * in_table also escapes '|' as GFM requires inside a cell. */
void esc_md_code(struct buf *b, const char *s, bool in_table);
/* HTML text and double- or single-quoted attribute values. */
void esc_html(struct buf *b, const char *s);
/* A terminal line: text as is, control characters visible. */
void esc_term(struct buf *b, const char *s);
/* How esc_term_fit shortens a text too wide for its room. */
enum term_cut {
	CUT_END, /* keep the start: "/etc/fstab line \"/dev/pm…" */
	CUT_MIDDLE, /* keep both ends, for names that differ at the end:
		     * "pmem-gu…001_1.vmdk" */
};
/* esc_term's text, shortened to at most cols terminal columns with "…"
 * where text was cut (escapes such as "\x1b" count as the columns they
 * take; wide characters count two). The columns written. */
size_t esc_term_fit(struct buf *b, const char *s, size_t cols, enum term_cut cut);
/* The columns the text esc_term makes of s takes on a terminal. */
size_t esc_term_width(const char *s);

/* Print one line to f (the newline is added): the formatted text goes
 * through esc_term, so names from bundles and file systems in it cannot
 * reach the terminal raw. */
void term_line(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void term_vline(FILE *f, const char *fmt, va_list ap);

/* JSON text as json-c prints it escapes only C0 controls: also escape DEL,
 * C1 controls, bidirectional overrides and line separators (as \uXXXX,
 * the same string to a JSON reader), in place in b from offset `from`. */
void esc_json_text(struct buf *b, size_t from);

#endif
