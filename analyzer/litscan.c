/* litscan.c - find where any of a few short literals first occurs.
 *
 * For each literal, a candidate is a position whose byte equals the
 * literal's first byte and whose byte len-1 further on equals its last
 * one (W. Mula's "SIMD-friendly" substring search): two compares per
 * literal per 16 bytes, OR-ed into one mask, and memcmp only where a bit
 * is set. Logs rarely hold both bytes at the right distance, so the scan
 * runs near memory speed. Without SSE2 it falls back to memmem.
 *
 * Literals that share their anchors share the compares: bytes are
 * compared with the ASCII case bit (0x20) set, and the second anchor is
 * the last byte that is not a digit, so NVDIMM/nvdimm/Nvdimm is one
 * compare pair and so is pmem0..pmem9. The memcmp stays exact.
 */
#define _GNU_SOURCE /* memmem */
#include "litscan.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#define LITSCAN_SSE2 1
#endif

struct lit {
	const char *s;
	size_t len;
};

/* one compare pair: a literal starts here if (byte | 0x20) == first and
 * (byte at off | 0x20) == second */
struct anchor {
	unsigned char first, second;
	size_t off;
};

struct litscan {
	size_t n, nanchor;
	size_t maxoff; /* the largest anchor offset: how far past a block we look */
	bool any;      /* an empty literal: every position is a hit */
	struct lit *l;
	struct anchor *a;
	char *store;
};

static void add_anchor(struct litscan *ls, const char *s, size_t len)
{
	size_t off = len - 1;
	while (off > 0 && s[off] >= '0' && s[off] <= '9')
		off--;
	struct anchor a = { (unsigned char)(s[0] | 0x20), (unsigned char)(s[off] | 0x20), off };
	for (size_t i = 0; i < ls->nanchor; i++)
		if (ls->a[i].first == a.first && ls->a[i].second == a.second && ls->a[i].off == a.off)
			return;
	ls->a[ls->nanchor++] = a;
	if (off > ls->maxoff)
		ls->maxoff = off;
}

struct litscan *litscan_new(const char *const *lits, const size_t *lens, size_t n)
{
	if (n == 0)
		return NULL;
	struct litscan *ls = xcalloc(1, sizeof(*ls));
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += lens[i];
	ls->store = xmalloc(total + 1);
	ls->l = xcalloc(n, sizeof(*ls->l));
	ls->a = xcalloc(n, sizeof(*ls->a));
	char *w = ls->store;
	for (size_t i = 0; i < n; i++) {
		if (lens[i] == 0) {
			ls->any = true;
			continue;
		}
		bool dup = false; /* two rules may name the same literal */
		for (size_t j = 0; j < i && !dup; j++)
			dup = lens[j] == lens[i] && !memcmp(lits[j], lits[i], lens[i]);
		if (dup)
			continue;
		memcpy(w, lits[i], lens[i]);
		ls->l[ls->n].s = w;
		ls->l[ls->n].len = lens[i];
		add_anchor(ls, lits[i], lens[i]);
		ls->n++;
		w += lens[i];
	}
	return ls;
}

void litscan_free(struct litscan *ls)
{
	if (!ls)
		return;
	free(ls->store);
	free(ls->l);
	free(ls->a);
	free(ls);
}

/* Whether one of the literals starts at q and ends by end. */
static bool hit_at(const struct litscan *ls, const char *q, const char *end)
{
	for (size_t k = 0; k < ls->n; k++) {
		const struct lit *l = &ls->l[k];
		if ((size_t)(end - q) >= l->len && q[0] == l->s[0] && !memcmp(q, l->s, l->len))
			return true;
	}
	return false;
}

const char *litscan_find(const struct litscan *ls, const char *p, const char *end)
{
	if (!ls || p >= end)
		return NULL;
	if (ls->any)
		return p;
	size_t len = (size_t)(end - p), i = 0;
#ifdef LITSCAN_SSE2
	enum { MAXV = 32 };
	if (len >= 16 + ls->maxoff && ls->nanchor <= MAXV) {
		__m128i first[MAXV], second[MAXV];
		const size_t nv = ls->nanchor;
		const __m128i lower = _mm_set1_epi8(0x20);
		for (size_t k = 0; k < nv; k++) {
			first[k] = _mm_set1_epi8((char)ls->a[k].first);
			second[k] = _mm_set1_epi8((char)ls->a[k].second);
		}
		size_t stop = len - 16 - ls->maxoff;
		for (; i <= stop; i += 16) {
			__m128i b0 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), lower);
			unsigned mask = 0;
			for (size_t k = 0; k < nv; k++) {
				const char *q = p + i + ls->a[k].off;
				__m128i b1 = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)q), lower);
				__m128i eq = _mm_and_si128(_mm_cmpeq_epi8(b0, first[k]),
							   _mm_cmpeq_epi8(b1, second[k]));
				mask |= (unsigned)_mm_movemask_epi8(eq);
			}
			while (mask) {
				const char *q = p + i + (unsigned)__builtin_ctz(mask);
				if (hit_at(ls, q, end))
					return q;
				mask &= mask - 1;
			}
		}
	}
	if (len - i <= 16 + ls->maxoff) {
		for (; i < len; i++)
			if (hit_at(ls, p + i, end))
				return p + i;
		return NULL;
	}
#endif
	/* no SSE2 (or very many literals): the earliest memmem */
	const char *best = NULL;
	for (size_t k = 0; k < ls->n; k++) {
		const char *lim = best ? best + ls->l[k].len : end;
		if (lim > end)
			lim = end;
		const char *q = memmem(p + i, (size_t)(lim - (p + i)), ls->l[k].s, ls->l[k].len);
		if (q && (!best || q < best))
			best = q;
	}
	return best;
}

uint64_t count_byte(const char *p, const char *end, char c)
{
	uint64_t n = 0;
	size_t len = (size_t)(end - p), i = 0;
#ifdef LITSCAN_SSE2
	const __m128i cv = _mm_set1_epi8(c), zero = _mm_setzero_si128();
	while (len - i >= 16) {
		size_t blocks = (len - i) / 16;
		if (blocks > 255) /* a byte lane counts to 255 */
			blocks = 255;
		__m128i acc = zero;
		for (size_t b = 0; b < blocks; b++, i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, cv));
		}
		uint64_t s[2];
		_mm_storeu_si128((__m128i *)(void *)s, _mm_sad_epu8(acc, zero));
		n += s[0] + s[1];
	}
#endif
	for (; i < len; i++)
		n += p[i] == c;
	return n;
}
