/* progress.h - how far a long read is, on one terminal line.
 *
 * "reading: 1.2 GiB in, 4.8 GiB out, 35120 members; esx-….tgz: var/log/…"
 * (bytes read from the inputs, bytes of members inflated from them)
 * rewritten in place (\r) at most ten times a second, first shown when the
 * read has taken a second, and cleared at the end, so that a short run
 * prints nothing and the terminal is left as it was found. The caller
 * decides whether there is a terminal to show it on (stderr, not -q).
 * Names from bundles go through the terminal escape and are cut to the
 * terminal's width.
 */
#ifndef PMEMMAP_PROGRESS_H
#define PMEMMAP_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct progress {
	FILE *out; /* the terminal */
	FILE *log; /* progress_log's stream, or NULL */
	double start, last;
	bool shown; /* the line is on the terminal now */
	unsigned cols;
};

/* Start timing now; the line goes to out (a terminal). */
void progress_start(struct progress *p, FILE *out);
/* Show the counts and the member being read (input, member may be NULL),
 * if the read has taken a second and the line was not redrawn lately. */
void progress_show(struct progress *p, uint64_t bytes_in, uint64_t bytes_inflated, uint64_t members,
		   const char *input, const char *member);
/* A stream for the lines printed while the progress line may be shown
 * (diagnostics): each write clears the line first, so that a message is
 * never glued to it. Valid until progress_end. */
FILE *progress_log(struct progress *p);
/* Clear the line if it is shown; close progress_log's stream. */
void progress_end(struct progress *p);

#endif
