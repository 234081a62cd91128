/* util.h - allocation wrappers and a growable byte buffer.
 *
 * Out-of-memory is not an input error we can report per bundle: the
 * x* wrappers print one line and abort, so callers never test for NULL.
 */
#ifndef PMEMMAP_UTIL_H
#define PMEMMAP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Room for at least need elements of elem bytes in p, whose capacity is
 * *cap: p, or p moved to a block twice as large. Arrays that grow one
 * item at a time go through here, so that n pushes cost O(n):
 *     v = grow(v, &cap, n + 1, sizeof(*v)); v[n++] = item; */
void *grow(void *p, size_t *cap, size_t need, size_t elem);
/* grow, room for `first` items at first: for the short lists every device
 * holds (its one namespace), where 8 would be mostly empty. */
void *grow_from(void *p, size_t *cap, size_t need, size_t elem, size_t first);

/* -1, 0 or 1 as a is below, equal to or above b: the one way qsort
 * comparators here order numbers and pointers (a and b evaluated twice) */
#define CMP3(a, b) (((a) > (b)) - ((a) < (b)))

/* A growable buffer, always NUL-terminated so it can be used as a string. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
/* Keep the first n bytes (n <= len). */
void buf_truncate(struct buf *b, size_t n);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give the string to the caller; the buffer is empty afterwards. */
char *buf_steal(struct buf *b);

/* A buffer that hands what it holds to flush() once it holds WBUF_CHUNK
 * bytes (at points the writer chooses: wbuf_maybe_flush), so that a report
 * of any size is written in pieces, never held whole. flush NULL: keep
 * everything in b (a report wanted as one string). */
#define WBUF_CHUNK (256 * 1024)
struct wbuf {
	struct buf b;
	int (*flush)(void *ctx, const char *p, size_t n); /* 0 or -1 */
	void *ctx;
	void (*filter)(struct buf *b); /* applied to b before each flush, or NULL */
	bool color; /* the sink is a terminal that shows colour (SGR codes) */
	int error; /* the first flush error */
};
void wbuf_init(struct wbuf *w, int (*flush)(void *ctx, const char *p, size_t n), void *ctx);
void wbuf_maybe_flush(struct wbuf *w);
/* Flush the rest: 0, or -1 when any flush failed. */
int wbuf_finish(struct wbuf *w);

bool str_has_suffix(const char *s, const char *suffix);
bool str_has_prefix(const char *s, const char *prefix);
/* Decode one UTF-8 sequence at p (n bytes left): its length, and the code
 * point in *cp; 0 when the bytes are not valid UTF-8 (overlong, surrogate,
 * past U+10FFFF, cut short). */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp);

/* The last part of path p (after its last '/'), or p; NULL for NULL. */
const char *path_base(const char *p);
/* The folder of path p (before its last '/'), allocated; "" without one. */
char *path_dir(const char *p);
/* Parse an unsigned decimal or 0x-hex number; false on junk or overflow. */
bool parse_u64(const char *s, uint64_t *out);
/* Parse "4.00 GiB (4.29 GB)", "16384", "0x400000000", "5.9T": bytes. */
bool parse_size(const char *s, uint64_t *out);
/* write(2) / read(2) all n bytes, again after EINTR; 0, or -1 (errno set;
 * read_all: also -1 at end of file before n bytes). */
int write_all(int fd, const void *p, size_t n);
int read_all(int fd, void *p, size_t n);

/* Seconds on the monotonic clock, for timings. */
double mono_seconds(void);
/* A 64-bit FNV-1a hash: stable, for what is kept on disk (rule digests,
 * batch keys). */
uint64_t hash_str(const char *s, size_t n, uint64_t seed);
/* A faster hash for in-memory tables, 8 bytes at a time; not stable
 * across versions, nor across runs once hash_seed_random() was called:
 * keys from a bundle cannot be chosen to collide (hash flooding would make
 * every table lookup a scan). */
uint64_t hash_mem(const void *p, size_t n);
/* Seed hash_mem from the kernel's random source; call once at start,
 * before any thread and any table exists. */
void hash_seed_random(void);

/* A map from byte strings to a pointer and a count, for lookups that
 * would otherwise scan a fact list once per item (open addressing; the
 * keys are copied into blocks of the map's own, freed with it: a map of
 * 100,000 keys leaves no 100,000 small holes in the heap between what
 * lives on, for later allocations to be scattered through). */
struct strmap_block;
struct strmap_ent {
	char *key;
	uint32_t klen; /* keys are lines or parts of them: far below 4 GiB */
	uint32_t hash; /* the low bits of hash_mem(key): most probes end here */
	const void *val;
	size_t count;
};
struct strmap {
	struct strmap_ent *e;
	size_t cap, len;
	struct strmap_block *keys; /* the newest block first */
};
void strmap_init(struct strmap *sm);
void strmap_free(struct strmap *sm);
/* The entry for key, made (val NULL, count 0) when absent and create is
 * set; NULL when absent otherwise. Valid until the next create. */
struct strmap_ent *strmap_get(struct strmap *sm, const void *key, size_t n, bool create);

#endif
