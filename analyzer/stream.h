/* stream.h - a pull stream of byte blocks, the one shape every source has.
 *
 * A file, the ISA-L inflater over it, an archive member, and "the first
 * block again, then the rest" are all streams; libarchive reads any of
 * them through one callback, which is how archives nest without temp
 * files.
 */
#ifndef PMEMMAP_STREAM_H
#define PMEMMAP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct archive;

struct stream {
	/* >0: bytes at *buf (valid until the next call); 0: end; <0: error */
	ssize_t (*read)(struct stream *s, const void **buf);
	/* optional: the same, written into dst (at most cap bytes), for a
	 * reader that owns the buffer; saves a copy */
	ssize_t (*read_into)(struct stream *s, void *dst, size_t cap);
	char error[256]; /* set when read or read_into returns <0 */
};

/* read(2) from fd into an owned buffer; the fd is not closed. */
struct stream *fd_stream_new(int fd);
void fd_stream_free(struct stream *s);

/* Whether gzip is inflated with ISA-L (built with it). */
bool gz_stream_available(void);

/* The compressions libarchive undoes for us, by name (not "all", which
 * would also run external programs): for every reader we open. */
void stream_support_filters(struct archive *a);

/* The decoder for a stream that starts with the n bytes at p: gzip by
 * ISA-L (if isal and built with it), xz by liblzma, zstd by libzstd, and,
 * if threaded (it will run under a prefetch stream), anything
 * libarchive's filters undo. The first three hand over what decodes
 * before damage, then the error. NULL when none applies; *destroy frees
 * it. Does not own `in`. */
struct stream *decoder_for(struct stream *in, const void *p, size_t n, bool isal, bool threaded,
			   void (**destroy)(struct stream *s));

/* The block at first (already read from `in`), then the rest of `in`. */
struct stream *replay_stream_new(struct stream *in, const void *first, size_t n);
void replay_stream_free(struct stream *s);

/* Read `in` ahead on a second thread, a few blocks at most (bounded
 * memory), so inflating and matching run on two cores. Does not own `in`;
 * the thread is stopped by free. */
struct stream *prefetch_stream_new(struct stream *in);
void prefetch_stream_free(struct stream *s);

/* Hand a stream to libarchive. The archive must be freed before s. */
int stream_open_archive(struct archive *a, struct stream *s);

#endif
