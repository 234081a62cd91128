/* output.h - write a result where the user asked, never half-written.
 *
 * A file is written to a temporary name in the same folder and renamed
 * into place, so a reader (or a batch resumed after kill -9) sees the old
 * file or the whole new one. "-" is standard output.
 */
#ifndef PMEMMAP_OUTPUT_H
#define PMEMMAP_OUTPUT_H

#include <stddef.h>

#include "util.h"

/* 0 on success; on failure a message in err and -1. */
int output_write(const char *path, const char *data, size_t n, struct buf *err);
/* Is path one of the inputs, or inside an input folder? */
int output_clashes(const char *path, char *const *inputs, int ninputs);

#endif
