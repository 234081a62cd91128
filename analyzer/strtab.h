/* strtab.h - interned strings: each distinct text stored once, in an
 * arena, so that equal texts are one pointer and compare by ==.
 *
 * Bundle text may be any bytes; what is interned is valid UTF-8 without
 * NULs (bad bytes become U+FFFD), so that every report is well-formed.
 * The model keeps the strings of the facts in one table; the analysis
 * keeps the texts it makes in its own, after looking in the model's, so
 * that a text the model holds keeps the model's pointer.
 */
#ifndef PMEMMAP_STRTAB_H
#define PMEMMAP_STRTAB_H

#include <stddef.h>

struct arena_block;

struct strtab {
	struct arena_block *arena;
	const char **slot; /* open addressing */
	size_t cap, len;
};

void strtab_init(struct strtab *t);
void strtab_free(struct strtab *t);
/* n bytes (align a power of two) that live as long as the table: memory
 * of the model that is never freed on its own. */
void *strtab_alloc(struct strtab *t, size_t n, size_t align);
/* The one copy of s[0..n) (cleaned to UTF-8) in t, added if new. */
const char *strtab_intern(struct strtab *t, const char *s, size_t n);
/* The same, or NULL when t does not hold it; t is not changed. */
const char *strtab_find(const struct strtab *t, const char *s, size_t n);

#endif
