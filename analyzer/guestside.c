/* guestside.c - guests and their nmem devices from the guest facts
 * (guestside.h). */
#include "guestside.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static int dimm_cmp(const void *a, const void *b)
{
	const char *x = fget(*(const struct fact *const *)a, FF_ND_DIMM_DEV);
	const char *y = fget(*(const struct fact *const *)b, FF_ND_DIMM_DEV);
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? CMP3(lx, ly) : strcmp(x, y);
}

static int sidx_cmp(const void *a, const void *b)
{
	const struct sidx *x = a, *y = b;
	int r = CMP3((uintptr_t)x->serial, (uintptr_t)y->serial);
	return r ? r : CMP3(x->i, y->i);
}

size_t guest_serial_range(const struct guest *g, const char *serial, size_t *lo)
{
	size_t a = 0, z = g->nby_serial;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if ((uintptr_t)g->by_serial[mid].serial < (uintptr_t)serial)
			a = mid + 1;
		else
			z = mid;
	}
	*lo = a;
	z = g->nby_serial;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if ((uintptr_t)g->by_serial[mid].serial <= (uintptr_t)serial)
			a = mid + 1;
		else
			z = mid;
	}
	return a;
}

/* The dimms of the guest's bundle, each once (-vvv and -iBDFHMNRX list
 * the same dimms), in nmem order, and by serial. */
static void guest_dimms(const struct fl *dimms, struct guest *gg)
{
	struct strmap seen;
	size_t cap = 0;
	strmap_init(&seen);
	FOR_BUNDLE(i, dimms, gg->bundle) {
		const struct fact *f = dimms->byb[i];
		const char *dev = fget(f, FF_ND_DIMM_DEV);
		if (!dev)
			continue;
		struct strmap_ent *e = strmap_get(&seen, dev, strlen(dev), true);
		if (e->count++)
			continue;
		gg->dimms = grow(gg->dimms, &cap, gg->ndimms + 1, sizeof(*gg->dimms));
		gg->dimms[gg->ndimms++] = f;
	}
	strmap_free(&seen);
	if (gg->ndimms)
		qsort(gg->dimms, gg->ndimms, sizeof(*gg->dimms), dimm_cmp);
	gg->serials = xcalloc(gg->ndimms + 1, sizeof(*gg->serials));
	gg->by_serial = xcalloc(gg->ndimms + 1, sizeof(*gg->by_serial));
	for (size_t k = 0; k < gg->ndimms; k++) {
		gg->serials[k] = fget(gg->dimms[k], FF_ND_DIMM_SERIAL);
		if (gg->serials[k])
			gg->by_serial[gg->nby_serial++] = (struct sidx){ gg->serials[k], k };
	}
	qsort(gg->by_serial, gg->nby_serial, sizeof(*gg->by_serial), sidx_cmp);
}

static const char *first_of(const struct factindex *fx, enum fact_type t, uint32_t b, enum fact_field f)
{
	return fget(fl_first(&fx->t[t], b), f);
}

void guestset_build(struct guestset *gs, const struct analysis *a, const struct factindex *fx)
{
	const struct model *m = a->m;
	const struct fl *dimms = &fx->t[FT_ND_DIMM];
	size_t cap = 0;

	memset(gs, 0, sizeof(*gs));
	for (uint32_t b = 0; b < m->nbundles; b++) {
		const struct bundle *bd = &m->bundles[b];
		bool sos = bd->kind == KIND_SOSREPORT;
		const struct fact *ns = fl_first(&fx->t[FT_ND_NAMESPACE], b), *rg = fl_first(&fx->t[FT_ND_REGION], b);
		if (bd->empty || (!sos && !fl_first(dimms, b) && !ns && !rg))
			continue;
		struct guest gg;
		memset(&gg, 0, sizeof(gg));
		gg.bundle = b;
		gg.hostname = first_of(fx, FT_GUEST_HOSTNAME, b, FF_GUEST_HOSTNAME_HOSTNAME);
		if (!gg.hostname)
			gg.hostname = first_of(fx, FT_GUEST_UNAME, b, FF_GUEST_UNAME_HOSTNAME);
		gg.system_uuid = first_of(fx, FT_GUEST_SYSTEM_UUID, b, FF_GUEST_SYSTEM_UUID_UUID);
		gg.vmware_serial = first_of(fx, FT_GUEST_VMWARE_SERIAL, b, FF_GUEST_VMWARE_SERIAL_UUID);
		gg.product_uuid = first_of(fx, FT_GUEST_PRODUCT_UUID, b, FF_GUEST_PRODUCT_UUID_UUID);
		gg.collected = a->notes[b].collected;
		gg.has_ndctl = fl_first(&fx->t[FT_SOS_PMEM_OUTPUT], b) || fl_first(dimms, b) || ns || rg;
		guest_dimms(dimms, &gg);
		if (!gg.ndimms && (ns || rg))
			gg.nd_without_dimms = ns ? "namespaces" : "regions";
		gs->g = grow(gs->g, &cap, gs->n + 1, sizeof(*gs->g));
		gs->g[gs->n++] = gg;
	}
}

void guestset_free(struct guestset *gs)
{
	for (size_t i = 0; i < gs->n; i++) {
		free(gs->g[i].dimms);
		free(gs->g[i].serials);
		free(gs->g[i].by_serial);
	}
	free(gs->g);
	memset(gs, 0, sizeof(*gs));
}
