/* jsonfix.h - JSON as people paste it, put right where that is certain.
 *
 * ndctl output copied from a terminal into a ticket or an e-mail loses
 * things in known ways: a line cut out takes its comma with it, an editor
 * or a mail client turns "" into typographic quotes, a paste stops before
 * the end. jsonfix scans a JSON text (strings skipped) and repairs these
 * three, and only these, saying what it did; whatever else is wrong stays
 * wrong and the parser refuses it.
 */
#ifndef PMEMMAP_JSONFIX_H
#define PMEMMAP_JSONFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The length of a typographic double quote (U+201C, U+201D) at p, or 0:
 * it counts as a quote wherever quotes are looked for. */
size_t jsonfix_curly(const unsigned char *p, const unsigned char *end);

/* What a repair did; lines are 1-based within the text. */
struct jsonfix {
	unsigned quotes; /* typographic quotes made straight */
	unsigned commas; /* commas put back between two lines */
	uint64_t comma_line; /* the line after which the first was put */
	bool cut; /* the text ended inside the value: closed after its last whole element */
	uint64_t cut_line; /* the line where that element ends */
};

/* The text repaired into out (replacing what it held): typographic quotes
 * straightened, a comma put back where a line ends a value and the next
 * begins another in the same object or array, and, when the text ends
 * inside the value, the value cut after its last complete element and
 * closed. True when anything was changed. */
bool jsonfix_repair(const char *text, size_t n, struct buf *out, struct jsonfix *fx);

#endif
