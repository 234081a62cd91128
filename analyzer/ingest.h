/* ingest.h - read inputs as streams and hand their members to extract.
 *
 * An input is an archive of any format libarchive reads (detected by
 * content), a folder holding one bundle or several, a loose text file, or
 * "-" for standard input. Archives inside archives are read in the same
 * pass. Nothing is written to disk and member paths are only strings: no
 * member path is ever used as a file system path.
 */
#ifndef PMEMMAP_INGEST_H
#define PMEMMAP_INGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "extract.h"
#include "limits.h"
#include "model.h"

struct ingest {
	struct extractor *x;
	const struct limits *lim;
	struct model *m;
	bool use_isal; /* ISA-L for gzip; libarchive's zlib otherwise */
	bool use_prefetch; /* inflate on a second thread (off in batch workers) */
	unsigned inputs; /* inputs given */
	unsigned unreadable; /* inputs of which nothing could be read */
	_Atomic uint64_t bytes_in; /* compressed bytes read from inputs */
	uint64_t bytes_inflated; /* member bytes produced, all levels */
	uint64_t members; /* archive members and wanted files met, all levels */
	/* Progress: progress(progress_ctx, in) is called on the reading
	 * thread every INGEST_TICK_MEMBERS members and every INGEST_TICK_BYTES
	 * bytes inflated (never, when NULL); input and member are what is
	 * being read then (member NULL between members). The call is cheap
	 * to make and rare, so the reading loop pays nothing for it. */
	void (*progress)(void *ctx, const struct ingest *in);
	void *progress_ctx;
	const char *input, *member;
	uint64_t progress_at; /* bytes_inflated at the next call */
};
#define INGEST_TICK_MEMBERS 64
#define INGEST_TICK_BYTES (8u << 20)

void ingest_init(struct ingest *in, struct extractor *x, const struct limits *lim);

/* Read one command-line input. Returns 0 when it was read to the end,
 * 1 when it was read in part, 2 when nothing of it could be read. */
int ingest_input(struct ingest *in, const char *path);

/* The inputs a path stands for: itself, or the bundles of a folder of
 * bundles (walked as ingest_input walks it). Calls cb once per input. */
int ingest_discover(struct ingest *in, const char *path, void (*cb)(void *ctx, const char *path),
		    void *ctx);

#endif
