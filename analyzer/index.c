/* index.c - fact lists by type, bundle and field value (index.h). */
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fl_add(struct fl *l, const struct fact *f)
{
	l->v = grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = f;
}

static int byb_cmp(const void *a, const void *b)
{
	const struct fact *x = *(const struct fact *const *)a, *y = *(const struct fact *const *)b;
	int r = CMP3(x->ev.bundle, y->ev.bundle);
	return r ? r : CMP3(x, y); /* facts sit in one array: its order */
}

void fl_finish(struct fl *l)
{
	free(l->byb);
	l->byb = xcalloc(l->n + 1, sizeof(*l->byb));
	if (l->n)
		memcpy(l->byb, l->v, l->n * sizeof(*l->v));
	qsort(l->byb, l->n, sizeof(*l->byb), byb_cmp);
}

void fl_free(struct fl *l)
{
	free(l->v);
	free(l->byb);
	memset(l, 0, sizeof(*l));
}

size_t fl_range(const struct fl *l, uint32_t b, size_t *lo)
{
	size_t a = 0, z = l->n;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (l->byb[mid]->ev.bundle < b)
			a = mid + 1;
		else
			z = mid;
	}
	*lo = a;
	z = l->n;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (l->byb[mid]->ev.bundle <= b)
			a = mid + 1;
		else
			z = mid;
	}
	return a;
}

const struct fact *fl_first(const struct fl *l, uint32_t b)
{
	size_t lo, hi = fl_range(l, b, &lo);
	return lo < hi ? l->byb[lo] : NULL;
}

static void key_of(struct buf *k, uint32_t bundle, const char *value)
{
	buf_reset(k);
	buf_printf(k, "%u\x01%s", bundle, value);
}

static const char *field_value(const struct fact *f, void *ctx, struct buf *scratch)
{
	(void)scratch;
	return fact_get(f, ctx);
}

/* The folder of a fact's member ("<dir>/<file>": "<dir>"), or NULL. */
static const char *member_dir(const struct fact *f, void *ctx, struct buf *scratch)
{
	(void)ctx;
	const char *s = strrchr(f->ev.member, '/');
	if (!s)
		return NULL;
	buf_reset(scratch);
	buf_append(scratch, f->ev.member, (size_t)(s - f->ev.member));
	return scratch->data;
}

void fkey_build_by_dir(struct fkey *k, const struct fl *l)
{
	fkey_build_with(k, l, member_dir, NULL);
}

void fkey_build(struct fkey *k, const struct fl *l, enum fact_field field)
{
	fkey_build_with(k, l, field_value, (void *)fact_fields[field].name);
}

void fkey_build_with(struct fkey *k, const struct fl *l,
		     const char *(*value)(const struct fact *f, void *ctx, struct buf *scratch), void *ctx)
{
	struct buf key, scratch;
	size_t total = 0;

	buf_init(&key);
	buf_init(&scratch);
	strmap_init(&k->map);
	/* count each key's facts, then give each key its run of the sorted
	 * array, then fill the runs in fact order */
	for (size_t i = 0; i < l->n; i++) {
		const char *v = value(l->v[i], ctx, &scratch);
		if (!v)
			continue;
		key_of(&key, l->v[i]->ev.bundle, v);
		strmap_get(&k->map, key.data, key.len, true)->count++;
		total++;
	}
	size_t at = 0;
	for (size_t i = 0; i < k->map.cap; i++) {
		struct strmap_ent *e = &k->map.e[i];
		if (!e->key)
			continue;
		e->val = (const void *)(uintptr_t)(at + 1);
		at += e->count;
		e->count = 0; /* refilled below */
	}
	k->sorted = xcalloc(total + 1, sizeof(*k->sorted));
	for (size_t i = 0; i < l->n; i++) {
		const char *v = value(l->v[i], ctx, &scratch);
		if (!v)
			continue;
		key_of(&key, l->v[i]->ev.bundle, v);
		struct strmap_ent *e = strmap_get(&k->map, key.data, key.len, false);
		size_t start = (size_t)(uintptr_t)e->val - 1;
		k->sorted[start + e->count++] = l->v[i];
	}
	buf_free(&key);
	buf_free(&scratch);
}

struct fslice fkey_find(const struct fkey *k, uint32_t bundle, const char *value)
{
	struct fslice s = { NULL, 0 };
	char small[256];
	struct buf key;

	if (!value)
		return s;
	/* most keys are short: format them on the stack */
	int n = snprintf(small, sizeof(small), "%u\x01%s", bundle, value);
	const struct strmap_ent *e;
	if (n >= 0 && (size_t)n < sizeof(small)) {
		e = strmap_get((struct strmap *)&k->map, small, (size_t)n, false);
	} else {
		buf_init(&key);
		key_of(&key, bundle, value);
		e = strmap_get((struct strmap *)&k->map, key.data, key.len, false);
		buf_free(&key);
	}
	if (e) {
		s.v = k->sorted + ((size_t)(uintptr_t)e->val - 1);
		s.n = e->count;
	}
	return s;
}

const struct fact *fkey_first(const struct fkey *k, uint32_t bundle, const char *value)
{
	struct fslice s = fkey_find(k, bundle, value);
	return s.n ? s.v[0] : NULL;
}

void fkey_free(struct fkey *k)
{
	strmap_free(&k->map);
	free(k->sorted);
	k->sorted = NULL;
}

void factindex_build(struct factindex *fx, const struct model *m)
{
	const char *types[FT_COUNT];
	memset(fx, 0, sizeof(*fx));
	fx->m = m;
	/* fact types are interned: a type the model does not hold has no facts */
	for (size_t k = 0; k < FT_COUNT; k++)
		types[k] = model_find(m, fact_types[k].name);
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		for (size_t k = 0; k < FT_COUNT; k++)
			if (f->type == types[k]) {
				fl_add(&fx->t[k], f);
				break;
			}
	}
	for (size_t k = 0; k < FT_COUNT; k++)
		fl_finish(&fx->t[k]);
}

void factindex_free(struct factindex *fx)
{
	for (size_t k = 0; k < FT_COUNT; k++)
		fl_free(&fx->t[k]);
}
