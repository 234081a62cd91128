/* strtab.c - interned strings in an arena (strtab.h). */
#include "strtab.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	char data[];
};

void *strtab_alloc(struct strtab *t, size_t n, size_t align)
{
	struct arena_block *b = t->arena;
	size_t off = b ? (b->used + align - 1) & ~(align - 1) : 0;

	if (!b || off + n > b->cap) {
		size_t cap = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = xmalloc(sizeof(*b) + cap);
		b->next = t->arena;
		b->used = 0;
		b->cap = cap;
		t->arena = b;
		off = 0;
	}
	b->used = off + n;
	return b->data + off;
}

void strtab_init(struct strtab *t)
{
	memset(t, 0, sizeof(*t));
}

void strtab_free(struct strtab *t)
{
	struct arena_block *b = t->arena;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

static void intern_grow(struct strtab *t)
{
	size_t cap = t->cap ? t->cap * 2 : 1024;
	const char **slot = xcalloc(cap, sizeof(*slot));
	for (size_t i = 0; i < t->cap; i++) {
		const char *s = t->slot[i];
		if (!s)
			continue;
		size_t j = hash_mem(s, strlen(s)) & (cap - 1);
		while (slot[j])
			j = (j + 1) & (cap - 1);
		slot[j] = s;
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
}

/* Bundle text may be any bytes; the model holds valid UTF-8 without NULs
 * so that every report is well-formed. Bad bytes become U+FFFD. */
static char *utf8_clean(const char *s, size_t n, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	uint32_t cp;
	/* most text is ASCII: 8 bytes at a time while none is >= 0x80 or NUL */
	for (uint64_t v; i + 8 <= n; i += 8) {
		memcpy(&v, p + i, 8);
		if ((v | ((v - 0x0101010101010101ULL) & ~v)) & 0x8080808080808080ULL)
			break;
	}
	while (i < n) {
		size_t l = p[i] ? utf8_decode(p + i, n - i, &cp) : 0;
		if (!l)
			break;
		i += l;
	}
	if (i == n)
		return NULL; /* already clean */
	struct buf b;
	buf_init(&b);
	buf_append(&b, s, i);
	while (i < n) {
		size_t l = p[i] ? utf8_decode(p + i, n - i, &cp) : 0;
		if (l) {
			buf_append(&b, p + i, l);
			i += l;
		} else {
			buf_append(&b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
	*out_len = b.len;
	return buf_steal(&b);
}

/* The slot of s (clean) in t: where it is, or the empty slot it would take. */
static size_t find_slot(const struct strtab *t, const char *s, size_t n)
{
	size_t j = hash_mem(s, n) & (t->cap - 1);
	while (t->slot[j]) {
		const char *x = t->slot[j];
		if (strncmp(x, s, n) == 0 && x[n] == '\0')
			break;
		j = (j + 1) & (t->cap - 1);
	}
	return j;
}

/* s[0..n) cleaned to UTF-8 in t: found, or added when add (else NULL). */
static const char *lookup(struct strtab *t, const char *s, size_t n, bool add)
{
	size_t clean_len;
	char *clean = utf8_clean(s, n, &clean_len);
	if (clean) {
		const char *r = lookup(t, clean, clean_len, add);
		free(clean);
		return r;
	}
	if (!add)
		return t->cap ? t->slot[find_slot(t, s, n)] : NULL;
	if ((t->len + 1) * 2 > t->cap)
		intern_grow(t);
	size_t j = find_slot(t, s, n);
	if (t->slot[j])
		return t->slot[j];
	char *copy = strtab_alloc(t, n + 1, 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	t->slot[j] = copy;
	t->len++;
	return copy;
}

const char *strtab_intern(struct strtab *t, const char *s, size_t n)
{
	return lookup(t, s, n, true);
}

const char *strtab_find(const struct strtab *t, const char *s, size_t n)
{
	return lookup((struct strtab *)t, s, n, false); /* not changed when !add */
}
