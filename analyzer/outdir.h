/* outdir.h - the output folder of batch and merge: the tool's own.
 *
 * Everything in it is made, read, replaced and removed relative to
 * descriptors opened once, never through a symbolic link: a link planted
 * at OUTDIR itself, at work/, work/facts/, work/failed/ or cases/, or at
 * any file in them, is refused or replaced, never followed. The folder is
 * locked (flock on OUTDIR/pmemmap.lock) for the whole run, so two runs
 * cannot clean up each other's files.
 */
#ifndef PMEMMAP_OUTDIR_H
#define PMEMMAP_OUTDIR_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct outdir {
	char *path; /* as given, for messages */
	int fd; /* OUTDIR */
	int lock_fd;
	int work, facts, failed, cases; /* work/, work/facts/, work/failed/, cases/ */
};

enum outdir_result {
	OUTDIR_OK = 0,
	OUTDIR_CANNOT = -1, /* could not be created or opened: exit 3 */
	OUTDIR_REFUSED = -2, /* a link where a folder of ours should be, or in use: exit 2 */
};

/* Create OUTDIR (and its parents, as mkdir -p) and its subfolders, open
 * them without following links, and lock it for command `who`. The
 * message says what went wrong, naming the path. */
enum outdir_result outdir_open(struct outdir *o, const char *path, const char *who, struct buf *err);
void outdir_close(struct outdir *o);

/* Is a partial output (merge input) in use by a batch that still runs? */
bool outdir_busy(int dirfd, struct buf *holder);

/* Remove the entries of folder dirfd for which drop(name, ctx) is true
 * (a link is removed as a link; a folder is left alone). The number
 * removed, or -1. */
int outdir_prune(int dirfd, bool (*drop)(const char *name, void *ctx), void *ctx);

#endif
