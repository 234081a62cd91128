/* util.h - allocation wrappers and a growable byte buffer.
 *
 * Out-of-memory is not an input error we can report per bundle: the
 * x* wrappers print one line and abort, so callers never test for NULL.
 */
#ifndef PMEMMAP_UTIL_H
#define PMEMMAP_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A growable buffer, always NUL-terminated so it can be used as a string. */
struct buf {
	char *data;
	size_t len;
	size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Give the string to the caller; the buffer is empty afterwards. */
char *buf_steal(struct buf *b);

bool str_has_suffix(const char *s, const char *suffix);
bool str_has_prefix(const char *s, const char *prefix);
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
 * across versions. */
uint64_t hash_mem(const void *p, size_t n);

/* A map from byte strings to a pointer and a count, for lookups that
 * would otherwise scan a fact list once per item (open addressing; the
 * keys are copied). */
struct strmap_ent {
	char *key;
	size_t klen;
	const void *val;
	size_t count;
};
struct strmap {
	struct strmap_ent *e;
	size_t cap, len;
};
void strmap_init(struct strmap *sm);
void strmap_free(struct strmap *sm);
/* The entry for key, made (val NULL, count 0) when absent and create is
 * set; NULL when absent otherwise. Valid until the next create. */
struct strmap_ent *strmap_get(struct strmap *sm, const void *key, size_t n, bool create);

#endif
