/* mdwrap.h - a Markdown paragraph (a list item, a quote, plain text)
 * written in lines a person can read and a ticket can hold.
 *
 * Text is added in pieces ("atoms"): words of bundle text, each escaped
 * by escape.h's Markdown contexts; code spans; text of ours. A line is
 * wrapped before an atom once it would pass MDW_WIDTH, so that the next
 * line cannot start a block (escape.h makes every other block start
 * literal): a word that begins with '-', '+', '=' or is a list number
 * ("1.") gets a backslash there; before a code span fenced by three
 * backticks or more the line breaks before the separator (", ") instead,
 * or not at all. Wrapping never changes what a renderer shows. A word or
 * code span of bundle text longer than its limit is shortened in the
 * middle, marked "…". Where no break comes before MDW_MAX, the rest of
 * the paragraph is left out, marked MDW_CUT: no line of a paragraph
 * passes MDW_MAX bytes, whatever a bundle holds.
 */
#ifndef PMEMMAP_MDWRAP_H
#define PMEMMAP_MDWRAP_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define MDW_WIDTH 100 /* wrap past this many bytes */
#define MDW_MAX 200 /* never a line longer than this (bytes) */
#define MDW_WORD 80 /* a word of bundle text, escaped, at most */
#define MDW_CUT " …(cut)"

struct mdpara {
	struct buf *b;
	const char *cont; /* what starts each continuation line: "  ", "> " */
	size_t col; /* bytes on the current line */
	bool cut; /* the rest was left out */
};

/* Start a paragraph at the start of a line of b with lead (ours: "- ",
 * "> **What changed:** "); continuation lines start with cont. */
void mdp_start(struct mdpara *p, struct buf *b, const char *lead, const char *cont);
/* End it: the newline. */
void mdp_end(struct mdpara *p);
/* Text of ours after sep (", ", " ", "": no break there). */
void mdp_ours(struct mdpara *p, const char *sep, const char *text);
/* Bundle text, escaped word by word; the spaces in it are kept, and the
 * first word follows sep. NULL or "" adds nothing. */
void mdp_text(struct mdpara *p, const char *sep, const char *s);
/* Bundle text as one code span of at most max bytes (shortened). */
void mdp_code(struct mdpara *p, const char *sep, const char *s, size_t max);

/* s shortened to at most keep bytes: its start and end around "…", cut
 * at character boundaries; a copy of s when it fits. */
char *md_shorten(const char *s, size_t keep);
/* s escaped for Markdown text (code: a code span; in_table: in a cell)
 * into out, shortened as needed to keep the result within max bytes. */
void md_fit(struct buf *out, const char *s, size_t max, bool code, bool in_table);

#endif
