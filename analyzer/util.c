/* util.c - allocation wrappers, the growable buffer and small parsers
 * shared by every stage.
 */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static void oom(size_t n)
{
	fprintf(stderr, "pmemmap: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *grow(void *p, size_t *cap, size_t need, size_t elem)
{
	return grow_from(p, cap, need, elem, 8);
}

void *grow_from(void *p, size_t *cap, size_t need, size_t elem, size_t first)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap : first;
	while (c < need)
		c *= 2;
	if (elem && c > SIZE_MAX / elem)
		oom(SIZE_MAX);
	*cap = c;
	return xrealloc(p, c * elem);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		oom(0);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_free(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_truncate(struct buf *b, size_t n)
{
	if (n < b->len) {
		b->len = n;
		b->data[n] = '\0';
	}
}

static void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *buf_steal(struct buf *b)
{
	char *s = b->data ? b->data : xstrdup("");
	buf_init(b);
	return s;
}

void wbuf_init(struct wbuf *w, int (*flush)(void *ctx, const char *p, size_t n), void *ctx)
{
	buf_init(&w->b);
	w->flush = flush;
	w->ctx = ctx;
	w->filter = NULL;
	w->color = false;
	w->error = 0;
}

static void wbuf_flush(struct wbuf *w)
{
	if (!w->flush || !w->b.len)
		return;
	if (w->filter)
		w->filter(&w->b);
	if (!w->error && w->flush(w->ctx, w->b.data, w->b.len) < 0)
		w->error = -1;
	buf_reset(&w->b);
}

void wbuf_maybe_flush(struct wbuf *w)
{
	if (w->b.len >= WBUF_CHUNK)
		wbuf_flush(w);
}

int wbuf_finish(struct wbuf *w)
{
	if (w->flush) {
		wbuf_flush(w);
		buf_free(&w->b);
	} else if (w->filter) {
		w->filter(&w->b);
	}
	return w->error;
}

bool str_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	/* decimal, or hex with 0x: never octal ("010" is ten) */
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || end == s)
		return false;
	while (isspace((unsigned char)*end))
		end++;
	if (*end)
		return false;
	*out = v;
	return true;
}

bool parse_size(const char *s, uint64_t *out)
{
	char *end;
	double v;
	uint64_t plain;

	if (parse_u64(s, &plain)) {
		*out = plain;
		return true;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || v < 0)
		return false;
	while (*end == ' ')
		end++;
	/* "GiB", "G", "GB": ndctl --human prints binary units first; df -h
	 * prints bare letters, which are binary too. Decimal only for "GB". */
	double mult = 1;
	bool decimal = end[0] && end[1] == 'B';
	switch (toupper((unsigned char)*end)) {
	case 'K': mult = decimal ? 1e3 : 1024.0; break;
	case 'M': mult = decimal ? 1e6 : 1048576.0; break;
	case 'G': mult = decimal ? 1e9 : 1073741824.0; break;
	case 'T': mult = decimal ? 1e12 : 1099511627776.0; break;
	case 'P': mult = decimal ? 1e15 : 1125899906842624.0; break;
	case '\0': case '(': case 'B': mult = 1; break;
	default: return false;
	}
	if (*end && *end != '(') {
		/* the unit, then nothing but an ndctl "(17.18 GB)" remark */
		const char *u = end + 1;
		while (*u == 'i' || *u == 'B')
			u++;
		while (*u == ' ')
			u++;
		if (*u && *u != '(')
			return false;
	}
	v *= mult;
	if (v >= 18446744073709551615.0)
		return false;
	*out = (uint64_t)(v + 0.5);
	return true;
}

uint64_t hash_str(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

struct strmap_block {
	struct strmap_block *next;
	size_t used, cap;
	char data[];
};

void strmap_init(struct strmap *sm)
{
	sm->cap = 16;
	sm->len = 0;
	sm->e = xcalloc(sm->cap, sizeof(*sm->e));
	sm->keys = NULL;
}

/* A copy of key in the map's blocks: 256 bytes first, doubling up to
 * 64 KiB (a longer key gets a block of its own size). */
static char *strmap_keep(struct strmap *sm, const void *key, size_t n)
{
	struct strmap_block *b = sm->keys;
	if (!b || b->cap - b->used < n) {
		size_t cap = b ? (b->cap < 32 * 1024 ? b->cap * 2 : 64 * 1024) : 256;
		if (cap < n)
			cap = n;
		struct strmap_block *nb = xmalloc(sizeof(*nb) + cap);
		nb->next = b;
		nb->used = 0;
		nb->cap = cap;
		sm->keys = b = nb;
	}
	char *p = b->data + b->used;
	memcpy(p, key, n);
	b->used += n;
	return p;
}

void strmap_free(struct strmap *sm)
{
	for (struct strmap_block *b = sm->keys, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	sm->keys = NULL;
	free(sm->e);
	sm->e = NULL;
	sm->cap = sm->len = 0;
}

/* The slot of key (hash h) in e: its entry, or the empty slot where it
 * goes. The stored hash settles most mismatches without reading the key. */
static struct strmap_ent *strmap_slot(struct strmap_ent *e, size_t cap, const void *key, size_t n, uint64_t h)
{
	size_t j = h & (cap - 1);
	while (e[j].key && (e[j].hash != (uint32_t)h || e[j].klen != n || memcmp(e[j].key, key, n)))
		j = (j + 1) & (cap - 1);
	return &e[j];
}

struct strmap_ent *strmap_get(struct strmap *sm, const void *key, size_t n, bool create)
{
	if (n > UINT32_MAX)
		oom(n); /* no key of ours is near this: a line is at most 1 GiB */
	uint64_t h = hash_mem(key, n);
	struct strmap_ent *ent = strmap_slot(sm->e, sm->cap, key, n, h);
	if (ent->key || !create)
		return ent->key ? ent : NULL;
	if ((sm->len + 1) * 2 > sm->cap) {
		size_t cap = sm->cap * 2;
		struct strmap_ent *e = xcalloc(cap, sizeof(*e));
		/* the table's size is a power of two at least 2^32 below: the
		 * stored 32 bits of the hash place an entry as the whole would */
		for (size_t i = 0; i < sm->cap; i++)
			if (sm->e[i].key)
				*strmap_slot(e, cap, sm->e[i].key, sm->e[i].klen, sm->e[i].hash) = sm->e[i];
		free(sm->e);
		sm->e = e;
		sm->cap = cap;
		ent = strmap_slot(sm->e, sm->cap, key, n, h);
	}
	ent->key = strmap_keep(sm, key, n);
	ent->klen = (uint32_t)n;
	ent->hash = (uint32_t)h;
	sm->len++;
	return ent;
}

double mono_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

static uint64_t hash_seed = 0x9e3779b97f4a7c15ULL;

void hash_seed_random(void)
{
	uint64_t s;
	if (getrandom(&s, sizeof(s), 0) == (ssize_t)sizeof(s))
		hash_seed ^= s;
}

uint64_t hash_mem(const void *p, size_t n)
{
	const unsigned char *c = p;
	uint64_t h = hash_seed ^ (n * 0xff51afd7ed558ccdULL), w;
	for (; n >= 8; c += 8, n -= 8) {
		memcpy(&w, c, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 31;
	}
	w = 0;
	memcpy(&w, c, n);
	h = (h ^ w) * 0x94d049bb133111ebULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return h ^ (h >> 32);
}

const char *path_base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p;
}

char *path_dir(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? xstrndup(p, (size_t)(s - p)) : xstrdup("");
}

/* Decode one UTF-8 sequence at p (n bytes left): its length, and the code
 * point in *cp; 0 when the bytes are not valid UTF-8. */
size_t utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	size_t len;
	uint32_t c, min;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xe0) == 0xc0) { len = 2; min = 0x80; c = p[0] & 0x1f; }
	else if ((p[0] & 0xf0) == 0xe0) { len = 3; min = 0x800; c = p[0] & 0x0f; }
	else if ((p[0] & 0xf8) == 0xf0) { len = 4; min = 0x10000; c = p[0] & 0x07; }
	else return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}
