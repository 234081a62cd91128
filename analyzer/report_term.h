/* report_term.h - the summary for a terminal: what an engineer reads on
 * one screen.
 *
 * Per case one line of identity (VM, host, guest), a compact table (slot,
 * .vmdk file name, nmem, /dev name, mount, status), one line per finding
 * with its severity and code, then the counts and how to get the full
 * report. Every line fits 80 columns: each string from a bundle goes
 * through the terminal escape (escape.h) and is cut, marked with "…",
 * when it is too wide; a two-device VM takes a dozen lines. Colour (SGR
 * codes, by severity and status) only when the sink takes it (w->color);
 * `analyze` picks this format on a terminal, and `-f term` anywhere.
 */
#ifndef PMEMMAP_REPORT_TERM_H
#define PMEMMAP_REPORT_TERM_H

#include "case.h"
#include "model.h"
#include "util.h"

/* The width every line of the summary fits in. */
#define TERM_COLS 80

void report_term_write(struct wbuf *w, const struct model *m, const struct analysis *a);

#endif
