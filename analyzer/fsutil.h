/* fsutil.h - folders and files the tool reads or owns, without surprises.
 *
 * One folder listing and one bounded file reader for every place that
 * needs them (rules folders, the batch output folder, merge inputs), so
 * that "regular files only, never through a link, never more than N
 * bytes, every read error said" holds everywhere at once. Paths below a
 * folder are opened relative to its descriptor with O_NOFOLLOW: a link
 * planted in a folder of ours is refused, never followed.
 */
#ifndef PMEMMAP_FSUTIL_H
#define PMEMMAP_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct namelist {
	char **v;
	size_t n;
};

/* The names of folder dirfd (its entries other than "." and ".."), those
 * for which keep(name, ctx) is true (keep NULL: all), sorted bytewise. 0,
 * or -1 with errno set. The folder is read from its start; dirfd stays
 * open and owned by the caller. */
int dir_names(int dirfd, bool (*keep)(const char *name, void *ctx), void *ctx, struct namelist *out);
void namelist_free(struct namelist *l);

/* Open the folder name below dirfd (AT_FDCWD: the working folder), never
 * through a symbolic link in its last part: a descriptor, or -1 (errno
 * ELOOP or ENOTDIR for a link or a non-folder). */
int open_dir_at(int dirfd, const char *name);

/*
 * Read the regular file name below dirfd whole, at most max bytes, into
 * out (replacing what it held). Refused, with a message in err: a link
 * unless follow is set (in a folder of the tool's own, never), anything
 * but a regular file once opened (a FIFO is never waited on, a device
 * never read), a file larger than max; and every read error is reported,
 * never taken for the end of the file. 0 or -1.
 */
int read_regular_at(int dirfd, const char *name, bool follow, size_t max, struct buf *out,
		    struct buf *err);

/* The first max bytes (or fewer, to its end) of the regular file name
 * below dirfd, never through a link: refused and reported as above. */
int read_regular_head_at(int dirfd, const char *name, size_t max, struct buf *out, struct buf *err);

#endif
