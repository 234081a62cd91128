/* pair.c - guests to VMs (pair.h). */
#define _GNU_SOURCE
#include "pair.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* The strings compared here are interned: equal text is the same pointer. */
static bool same_system(const struct vm *v, const struct guest *g)
{
	if (!v->bios_uuid)
		return false;
	const char *cands[] = { g->system_uuid, g->product_uuid, g->vmware_serial };
	for (size_t i = 0; i < 3; i++) {
		if (!cands[i])
			continue;
		if (cands[i] == v->bios_uuid)
			return true;
		if (i < 2 && cands[i] == v->bios_swapped)
			return true;
	}
	return false;
}

static size_t shared_serials(const struct vm *v, const struct guest *g)
{
	size_t n = 0, lo;
	for (size_t i = 0; i < v->ndevs; i++)
		if (v->devs[i].serial)
			n += guest_serial_range(g, v->devs[i].serial, &lo) - lo;
	return n;
}

static bool same_name(const struct vm *v, const struct guest *g)
{
	if (!v->name || !g->hostname)
		return false;
	size_t a = strcspn(v->name, "."), b = strcspn(g->hostname, ".");
	return a == b && !strncasecmp(v->name, g->hostname, a);
}

/* How far apart two bundles were collected; unknown counts as far. */
static int64_t time_gap(const struct analysis *a, uint32_t x, uint32_t y)
{
	if (x == y)
		return -1; /* host and guest side in one transcript */
	int64_t tx = a->notes[x].collected_t, ty = a->notes[y].collected_t;
	if (tx < 0 || ty < 0)
		return INT64_MAX / 2;
	return tx > ty ? tx - ty : ty - tx;
}

/* VMs by a key pointer (a BIOS UUID, a serial, a short name, interned):
 * pairing looks at the VMs that share something with a guest, never at
 * every VM of a batch. */
struct vkey {
	const char *key;
	size_t vm;
};

static int vkey_cmp(const void *a, const void *b)
{
	const struct vkey *x = a, *y = b;
	int r = CMP3((uintptr_t)x->key, (uintptr_t)y->key);
	return r ? r : CMP3(x->vm, y->vm);
}

struct vkeys {
	struct vkey *v;
	size_t n, cap;
};

static void vkeys_add(struct vkeys *k, const char *key, size_t vm)
{
	if (!key)
		return;
	k->v = grow(k->v, &k->cap, k->n + 1, sizeof(*k->v));
	k->v[k->n++] = (struct vkey){ key, vm };
}

/* Append the VMs filed under key to *out. */
static void vkeys_find(const struct vkeys *k, const char *key, size_t **out, size_t *n, size_t *cap)
{
	size_t a = 0, z = k->n;
	if (!key)
		return;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if ((uintptr_t)k->v[mid].key < (uintptr_t)key)
			a = mid + 1;
		else
			z = mid;
	}
	for (; a < k->n && k->v[a].key == key; a++) {
		*out = grow(*out, cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = k->v[a].vm;
	}
}

/* A host or guest name as pairing compares it: up to the first dot, in
 * lower case, interned. */
static const char *short_name(struct analysis *a, const char *name)
{
	char small[128] = "";
	size_t n = strcspn(name, ".");
	char *low = n < sizeof(small) ? small : xmalloc(n);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	const char *r = analysis_intern(a, low, n);
	if (low != small)
		free(low);
	return r;
}

struct pairing {
	struct vkeys by_bios, by_serial, by_name;
};

static void pairing_index(struct analysis *a, struct pairing *p, const struct vmset *vs)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < vs->n; i++) {
		const struct vm *v = &vs->vms[i];
		vkeys_add(&p->by_bios, v->bios_uuid, i);
		vkeys_add(&p->by_bios, v->bios_swapped, i);
		if (v->name)
			vkeys_add(&p->by_name, short_name(a, v->name), i);
		for (size_t k = 0; k < v->ndevs; k++)
			vkeys_add(&p->by_serial, v->devs[k].serial, i);
	}
	struct vkeys *all[] = { &p->by_bios, &p->by_serial, &p->by_name };
	for (size_t i = 0; i < 3; i++)
		if (all[i]->n)
			qsort(all[i]->v, all[i]->n, sizeof(*all[i]->v), vkey_cmp);
}

static void pairing_free(struct pairing *p)
{
	free(p->by_bios.v);
	free(p->by_serial.v);
	free(p->by_name.v);
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return CMP3(x, y);
}

/* The VMs that share a key with guest g, sorted, repeats included. */
static size_t candidates(struct analysis *a, const struct pairing *p, const struct guest *g, size_t **cand)
{
	size_t nc = 0, cap = 0;
	const char *sys[] = { g->system_uuid, g->product_uuid, g->vmware_serial };
	*cand = NULL;
	for (size_t i = 0; i < 3; i++)
		vkeys_find(&p->by_bios, sys[i], cand, &nc, &cap);
	for (size_t k = 0; k < g->nby_serial; k++)
		if (!k || g->by_serial[k].serial != g->by_serial[k - 1].serial)
			vkeys_find(&p->by_serial, g->by_serial[k].serial, cand, &nc, &cap);
	if (g->hostname)
		vkeys_find(&p->by_name, short_name(a, g->hostname), cand, &nc, &cap);
	if (nc)
		qsort(*cand, nc, sizeof(**cand), size_cmp);
	return nc;
}

/* The VM that belongs to guest g, as a comparison of every VM would pick
 * it (first by SMBIOS UUID, then by shared serials, then by name; the
 * nearest date breaks ties, then the first VM), among the candidates. */
static int pick_vm(struct analysis *a, const struct pairing *p, const struct vmset *vs, const struct guest *g,
		   const char **how)
{
	size_t *cand;
	size_t nc = candidates(a, p, g, &cand);
	int best = -1, rank = 0;
	size_t best_shared = 0;
	int64_t best_gap = 0;
	for (size_t c = 0; c < nc; c++) {
		if (c && cand[c] == cand[c - 1])
			continue;
		const struct vm *v = &vs->vms[cand[c]];
		size_t shared = shared_serials(v, g);
		int r = same_system(v, g) ? 3 : shared ? 2 : same_name(v, g) ? 1 : 0;
		/* the same VM in host bundles of several dates: the nearest wins */
		int64_t gap = r ? time_gap(a, v->bundle, g->bundle) : 0;
		if (r > rank || (r == rank && r && (shared > best_shared || (shared == best_shared && gap < best_gap)))) {
			rank = r;
			best = (int)cand[c];
			best_shared = shared;
			best_gap = gap;
		}
	}
	free(cand);
	*how = rank == 3 ? "system-uuid" : rank == 2 ? "serials" : rank == 1 ? "name" : "none";
	return best;
}

void pair_guests(struct analysis *a, const struct vmset *vs, const struct guestset *gs, int *vm,
		 const char **how)
{
	struct pairing p;
	pairing_index(a, &p, vs);
	for (size_t i = 0; i < gs->n; i++)
		vm[i] = pick_vm(a, &p, vs, &gs->g[i], &how[i]);
	pairing_free(&p);
}
