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

/* An output written in pieces: into a temporary file beside path that
 * out_commit renames into place (or in place, or standard output, as
 * output_write decides), so a report of any size is never held whole. */
struct out;
/* NULL with a message in err when path cannot be written. */
struct out *out_open(const char *path, bool sync, struct buf *err);
/* The same in the folder dirfd, never through a link (the tool's own
 * output folders); no fsync (the batch flushes its folder once). */
struct out *out_open_at(int dirfd, const char *name, struct buf *err);
/* Append n bytes (a wbuf flush function: ctx is the struct out). */
int out_write(void *o, const char *p, size_t n);
/* Finish: fsync (when asked) and rename into place. 0, or -1 with a
 * message; the output is freed either way, and on failure nothing is left
 * behind. */
int out_commit(struct out *o, struct buf *err);
/* Give up: the temporary file is removed, the old file left as it was. */
void out_abort(struct out *o);

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

/* Write a file only its owner may read (mode 0600: the redaction map),
 * atomically like output_write; path must be a new or a regular file:
 * a symbolic link there is refused, never followed, and so is "-". */
int output_write_private(const char *path, const char *data, size_t n, struct buf *err);

/* Open the folder whose file system output_sync flushes; opened before
 * the files are written, so write-back errors met meanwhile are
 * reported. -1 if it cannot be opened. */
int output_sync_open(const char *dir);
/* syncfs on it: 0, or -1 (errno set). */
int output_sync(int fd);
/* Is path one of the inputs, or inside an input folder? */
int output_clashes(const char *path, char *const *inputs, int ninputs);
/* Do a and b (files that need not exist yet; NULL or "-": standard
 * output) name the same file? */
int output_same(const char *a, const char *b);

#endif
