/* index.h - facts of one type, indexed once, so that no lookup scans.
 *
 * The analysis asks two kinds of question of the facts: "the facts of
 * type T in bundle b" and "the facts of type T in bundle b whose field F
 * is V". The first is a range of a list sorted by bundle, the second a
 * hash lookup; both answer in fact order, as a scan would. Whatever a
 * bundle holds, a lookup costs what it returns, never what the bundle
 * holds: that is what keeps the analysis linear in its input.
 */
#ifndef PMEMMAP_INDEX_H
#define PMEMMAP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "facts.h"
#include "model.h"
#include "util.h"

/* Facts of one type: in fact order, and the same by bundle. */
struct fl {
	const struct fact **v;
	size_t n, cap;
	const struct fact **byb; /* by bundle, fact order within one */
};

void fl_add(struct fl *l, const struct fact *f);
/* Sort the by-bundle view; call once the list is complete. */
void fl_finish(struct fl *l);
void fl_free(struct fl *l);
/* The facts of bundle b are l->byb[*lo .. return value). */
size_t fl_range(const struct fl *l, uint32_t b, size_t *lo);

/* The first fact of bundle b in l (fact order), or NULL. */
const struct fact *fl_first(const struct fl *l, uint32_t b);

/* for each index i of bundle b's facts in l->byb */
#define FOR_BUNDLE(i, l, b) \
	for (size_t i##_lo, i##_hi = fl_range((l), (b), &i##_lo), i = i##_lo; i < i##_hi; i++)

/* A run of facts, in fact order. */
struct fslice {
	const struct fact *const *v;
	size_t n;
};

/* The facts of a list by (bundle, value of one field). */
struct fkey {
	struct strmap map; /* "<bundle>\1<value>" -> start + 1 (val) and count */
	const struct fact **sorted;
};

/* keyed by field k of each fact (which is of the list's type) */
void fkey_build(struct fkey *k, const struct fl *l, enum fact_field field);
/* The same keyed by what value(f, ctx, scratch) returns (NULL: not
 * indexed); scratch may hold the text returned. */
void fkey_build_with(struct fkey *k, const struct fl *l,
		     const char *(*value)(const struct fact *f, void *ctx, struct buf *scratch), void *ctx);
/* keyed by the folder of each fact's member: a VM's logs by the VM folder */
void fkey_build_by_dir(struct fkey *k, const struct fl *l);
struct fslice fkey_find(const struct fkey *k, uint32_t bundle, const char *value);
/* The first of them, or NULL. */
const struct fact *fkey_first(const struct fkey *k, uint32_t bundle, const char *value);
void fkey_free(struct fkey *k);

/* The facts of each type of the contract (facts.h), read once. */
struct factindex {
	const struct model *m;
	struct fl t[FT_COUNT];
};

void factindex_build(struct factindex *fx, const struct model *m);
void factindex_free(struct factindex *fx);

#endif
