/* litscan.h - find where any of a few short literals first occurs.
 *
 * The extractor's prefilter: a member's rules name literals (`has`), and
 * most of a log holds none of them. Scanning 16 bytes at a time for each
 * literal's first and last byte together (SSE2 where the compiler has it)
 * and confirming candidates with memcmp runs at several GB/s, where a
 * regex alternation of the same literals walks a byte at a time.
 */
#ifndef PMEMMAP_LITSCAN_H
#define PMEMMAP_LITSCAN_H

#include <stddef.h>
#include <stdint.h>

struct litscan;

/* NULL when n is 0. A literal that is empty makes every position a hit. */
struct litscan *litscan_new(const char *const *lits, const size_t *lens, size_t n);
void litscan_free(struct litscan *ls);

/* The first position in [p, end) where one of the literals starts and is
 * whole inside [p, end); NULL when there is none. */
const char *litscan_find(const struct litscan *ls, const char *p, const char *end);

/* How many times byte c occurs in [p, end). */
uint64_t count_byte(const char *p, const char *end, char c);

#endif
