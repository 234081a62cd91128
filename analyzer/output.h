/* output.h - write a result where the user asked, never half-written.
 *
 * A file is written to a temporary name in the same folder and renamed
 * into place, so a reader (or a batch resumed after kill -9) sees the old
 * file or the whole new one. "-" is standard output.
 */
#ifndef PMEMMAP_OUTPUT_H
#define PMEMMAP_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* 0 on success; on failure a message in err and -1. The file is fsync'ed
 * before the rename. */
int output_write(const char *path, const char *data, size_t n, struct buf *err);
/* The same without the fsync: still never half-written for a reader or
 * after kill -9, but not yet on disk; for the many files of a batch, which
 * makes them durable with one output_sync_dir at the end. */
int output_write_nosync(const char *path, const char *data, size_t n, struct buf *err);
/* Write name in the folder dirfd the same way (temporary name, then
 * renameat), never through a link: a link planted at name is replaced,
 * not followed. For the tool's own output folders. */
int output_write_at(int dirfd, const char *name, const char *data, size_t n, bool sync,
		    struct buf *err);

/* Open the folder whose file system output_sync flushes; opened before
 * the files are written, so write-back errors met meanwhile are
 * reported. -1 if it cannot be opened. */
int output_sync_open(const char *dir);
/* syncfs on it: 0, or -1 (errno set). */
int output_sync(int fd);
/* Is path one of the inputs, or inside an input folder? */
int output_clashes(const char *path, char *const *inputs, int ninputs);

#endif
