/* chain.c - a case's devices, from the vmx slot to the mount (chain.h). */
#include "chain.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

void chainidx_build(struct chainidx *ci, const struct factindex *fx)
{
	fkey_build(&ci->mapping_by_dimm, &fx->t[FT_ND_MAPPING], FF_ND_MAPPING_DIMM);
	fkey_build(&ci->region_by_dev, &fx->t[FT_ND_REGION], FF_ND_REGION_DEV);
	fkey_build(&ci->ns_by_region, &fx->t[FT_ND_NAMESPACE], FF_ND_NAMESPACE_REGION);
	fkey_build(&ci->dax_by_ns, &fx->t[FT_DAX_DEVICE], FF_DAX_DEVICE_NAMESPACE);
	fkey_build(&ci->blkid_by_device, &fx->t[FT_GUEST_BLKID], FF_GUEST_BLKID_DEVICE);
	fkey_build(&ci->mount_by_source, &fx->t[FT_GUEST_MOUNT], FF_GUEST_MOUNT_SOURCE);
	fkey_build(&ci->fstab_by_spec, &fx->t[FT_GUEST_FSTAB], FF_GUEST_FSTAB_SPEC);
}

void chainidx_free(struct chainidx *ci)
{
	struct fkey *keys[] = { &ci->mapping_by_dimm, &ci->region_by_dev, &ci->ns_by_region, &ci->dax_by_ns,
				&ci->blkid_by_device, &ci->mount_by_source, &ci->fstab_by_spec };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fkey_free(keys[i]);
}

bool sizes_agree(uint64_t a, uint64_t b)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;
	return hi - lo <= hi / 50;
}

static void device_add_ns(struct device *d, const struct nsinfo *ns)
{
	d->ns = grow_from(d->ns, &d->ns_cap, d->nns + 1, sizeof(*d->ns), 1);
	d->ns[d->nns++] = *ns;
}

/* The facts of up to four lookups, merged back into fact order (facts sit
 * in one array) and each once: what one scan testing four names found.
 * *out is allocated (free it); the count is returned. */
static size_t merge_slices(struct casework *cw, const struct fslice *s, size_t ns)
{
	size_t n = 0, total = 0, at[4] = { 0, 0, 0, 0 };
	for (size_t j = 0; j < ns; j++)
		total += s[j].n;
	cw->hit = grow(cw->hit, &cw->hit_cap, total + 1, sizeof(*cw->hit));
	for (;;) {
		const struct fact *next = NULL;
		for (size_t j = 0; j < ns; j++)
			if (at[j] < s[j].n && (!next || s[j].v[at[j]] < next))
				next = s[j].v[at[j]];
		if (!next)
			break;
		for (size_t j = 0; j < ns; j++)
			if (at[j] < s[j].n && s[j].v[at[j]] == next)
				at[j]++;
		cw->hit[n++] = next;
	}
	return n;
}

/* cw->names[i] holds prefix + s, or NULL when s is. */
static const char *scratch_name(struct casework *cw, size_t i, const char *prefix, const char *s)
{
	if (!s)
		return NULL;
	buf_reset(&cw->names[i]);
	buf_puts(&cw->names[i], prefix);
	buf_puts(&cw->names[i], s);
	return cw->names[i].data;
}

/* Mounts and fstab lines of one namespace, by the names that reach it:
 * the device node (cw->names[0]), UUID=, LABEL= and /dev/disk/by-uuid/. */
static void ns_mounts(struct casework *cw, const struct chainidx *ci, struct nsinfo *ns, const char *node,
		      struct device *d)
{
	uint32_t b = cw->g->bundle;
	const char *names[] = { node, scratch_name(cw, 1, "UUID=", ns->fs_uuid),
				scratch_name(cw, 2, "LABEL=", ns->label),
				scratch_name(cw, 3, "/dev/disk/by-uuid/", ns->fs_uuid) };
	struct fslice s[4];
	size_t n;

	for (size_t j = 0; j < 4; j++)
		s[j] = fkey_find(&ci->mount_by_source, b, names[j]);
	n = merge_slices(cw, s, 4);
	for (size_t k = 0; k < n; k++) {
		strlist_add(&ns->mountpoints, fget(cw->hit[k], FF_GUEST_MOUNT_TARGET));
		evlist_add(&d->ev, &cw->hit[k]->ev);
	}
	for (size_t j = 0; j < 4; j++)
		s[j] = fkey_find(&ci->fstab_by_spec, b, names[j]);
	n = merge_slices(cw, s, 4);
	for (size_t k = 0; k < n; k++) {
		const struct fact *ft = cw->hit[k];
		const char *opts = fget(ft, FF_GUEST_FSTAB_OPTIONS);
		const char *line = analysis_printf(cw->a, "%s %s %s %s", fget(ft, FF_GUEST_FSTAB_SPEC),
						   fget(ft, FF_GUEST_FSTAB_FILE), fget(ft, FF_GUEST_FSTAB_VFSTYPE),
						   opts ? opts : "");
		size_t had = ns->fstab.n;
		strlist_add(&ns->fstab, line);
		if (ns->fstab.n > had) {
			ns->fstab_ev = grow_from(ns->fstab_ev, &ns->fstab_ev_cap, ns->fstab.n, sizeof(*ns->fstab_ev), 1);
			ns->fstab_ev[had] = ft->ev;
		}
		evlist_add(&d->ev, &ft->ev);
	}
}

/* One namespace of the device's region: its devices, filesystem, mounts. */
static void guest_ns(struct casework *cw, const struct chainidx *ci, const struct fact *f, struct device *d)
{
	uint32_t b = cw->g->bundle;
	struct nsinfo ns;

	memset(&ns, 0, sizeof(ns));
	ns.dev = fget(f, FF_ND_NAMESPACE_DEV);
	ns.mode = fget(f, FF_ND_NAMESPACE_MODE);
	ns.blockdev = fget(f, FF_ND_NAMESPACE_BLOCKDEV);
	ns.chardev = fget(f, FF_ND_NAMESPACE_CHARDEV);
	evlist_add(&d->ev, &f->ev);
	if (!ns.chardev && !ns.blockdev) {
		/* ndctl list -X names the dax device inside "daxregion" */
		const struct fact *dx = fkey_first(&ci->dax_by_ns, b, ns.dev);
		if (dx) {
			ns.chardev = fget(dx, FF_DAX_DEVICE_CHARDEV);
			evlist_add(&d->ev, &dx->ev);
		}
	}
	const char *node = scratch_name(cw, 0, "/dev/", ns.blockdev);
	const struct fact *bl = node ? fkey_first(&ci->blkid_by_device, b, node) : NULL;
	if (bl) {
		ns.fs_uuid = fget(bl, FF_GUEST_BLKID_FS_UUID);
		ns.label = fget(bl, FF_GUEST_BLKID_LABEL);
		ns.fstype = fget(bl, FF_GUEST_BLKID_FSTYPE);
		evlist_add(&d->ev, &bl->ev);
	}
	ns_mounts(cw, ci, &ns, node, d);
	device_add_ns(d, &ns);
}

/* The guest size of the device's region: the region's, else the mapping's. */
static void region_size(const struct fact *rg, const struct fact *mp, struct device *d)
{
	uint64_t size;
	const char *rs = fget(rg, FF_ND_REGION_SIZE), *ml = fget(mp, FF_ND_MAPPING_LENGTH);
	if (rg && parse_u64(rs ? rs : "", &size))
		d->size_guest = size;
	else if (parse_u64(ml ? ml : "", &size))
		d->size_guest = size;
}

/* Follow nmem -> region -> namespaces -> devices -> filesystems -> mounts. */
static void guest_chain(struct casework *cw, const struct chainidx *ci, const struct fact *dimm, struct device *d)
{
	uint32_t b = cw->g->bundle;
	const char *nmem = fget(dimm, FF_ND_DIMM_DEV);

	d->nmem = nmem;
	d->dimm_id = fget(dimm, FF_ND_DIMM_ID);
	evlist_add(&d->ev, &dimm->ev);
	const struct fact *mp = fkey_first(&ci->mapping_by_dimm, b, nmem);
	if (!mp)
		return;
	evlist_add(&d->ev, &mp->ev);
	d->region = fget(mp, FF_ND_MAPPING_REGION);
	const struct fact *rg = fkey_first(&ci->region_by_dev, b, d->region);
	region_size(rg, mp, d);
	if (rg)
		evlist_add(&d->ev, &rg->ev);

	struct fslice nss = fkey_find(&ci->ns_by_region, b, d->region);
	struct strmap seen;
	strmap_init(&seen);
	for (size_t i = 0; i < nss.n; i++) {
		const struct fact *f = nss.v[i];
		const char *dev = fget(f, FF_ND_NAMESPACE_DEV);
		if (!dev)
			continue;
		const char *state = fget(f, FF_ND_NAMESPACE_STATE), *sz = fget(f, FF_ND_NAMESPACE_SIZE);
		if (state && !strcmp(state, "disabled") && sz && !strcmp(sz, "0"))
			continue; /* the zero-size seed namespace of ndctl list -i */
		if (strmap_get(&seen, dev, strlen(dev), true)->count++)
			continue; /* listed again by another ndctl command */
		guest_ns(cw, ci, f, d);
	}
	strmap_free(&seen);
}

static void case_add_device(struct acase *c, const struct device *d)
{
	c->devs = grow(c->devs, &c->devs_cap, c->ndevs + 1, sizeof(*c->devs));
	c->devs[c->ndevs++] = *d;
}

static void case_sides(struct casework *cw, const char *paired_by)
{
	struct acase *c = cw->c;
	const struct vm *v = cw->v;
	const struct guest *g = cw->g;

	c->paired_by = paired_by;
	c->vm.bundle = v ? (int)v->bundle : -1;
	c->guest.bundle_id = g ? (int)g->bundle : -1;
	if (v) {
		c->vm.name = v->name;
		c->vm.vmx = v->member;
		c->vm.bios_uuid = v->bios_uuid;
		c->vm.host = v->host;
	}
	if (g) {
		c->guest.hostname = g->hostname;
		c->guest.bundle = cw->a->m->bundles[g->bundle].path;
		c->guest.system_uuid = g->system_uuid ? g->system_uuid : g->product_uuid;
		c->guest.collected_at = g->collected;
	}
}

/* The row of host device h: matched to the last guest dimm of its serial,
 * ambiguous when the serial is the VM's more than once or the guest's. */
static void host_row(struct casework *cw, const struct chainidx *ci, const struct hdev *h, bool *used,
		     bool *ambiguous)
{
	const struct guest *g = cw->g;
	struct device d;
	memset(&d, 0, sizeof(d));
	d.slot = h->slot;
	d.vmdk = h->vmdk;
	d.vmdk_uuid = h->uuid;
	d.serial = h->serial;
	d.size_host = h->size;
	d.status = ST_HOST_ONLY;
	d.confidence = CONF_NONE;
	for (size_t e = 0; e < h->ev.n; e++)
		evlist_add(&d.ev, &h->ev.v[e]);
	d.ev.more += h->ev.more;

	struct strmap_ent *hs = h->serial ? strmap_get(&cw->host_serials, &h->serial, sizeof(char *), false) : NULL;
	size_t same_host = hs ? hs->count : 0;
	size_t lo = 0, hi = g && h->serial ? guest_serial_range(g, h->serial, &lo) : 0;
	size_t hits = hi - lo;
	/* the last guest dimm with this serial, in nmem order */
	const struct fact *hit = hits ? g->dimms[g->by_serial[hi - 1].i] : NULL;
	/* the guest's dimms of a serial are marked once, however many of the
	 * VM's devices share it */
	bool first_of_serial = hits && !hs->val;
	if (first_of_serial)
		hs->val = h;
	bool amb = hit && (same_host > 1 || hits > 1);
	for (size_t k = lo; first_of_serial && k < hi; k++) {
		used[g->by_serial[k].i] = true;
		ambiguous[g->by_serial[k].i] = amb;
	}
	if (amb) {
		/* the serial cannot tell these apart: no chain is presented as a
		 * match; the candidate nmems get rows of their own */
		d.status = ST_AMBIGUOUS;
		d.confidence = CONF_LOW;
	} else if (hit) {
		guest_chain(cw, ci, hit, &d);
		d.status = ST_MATCHED;
		/* high: the serial, both sizes agreeing, and the slot known */
		d.confidence = d.slot && d.size_host && d.size_guest && sizes_agree(d.size_host, d.size_guest)
				       ? CONF_HIGH
				       : CONF_MEDIUM;
	}
	case_add_device(cw->c, &d);
}

void chain_case(struct casework *cw, const struct chainidx *ci, const char *paired_by)
{
	const struct vm *v = cw->v;
	const struct guest *g = cw->g;

	case_sides(cw, paired_by);
	/* host devices, in slot order; how many of the VM's share each serial */
	bool *used = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
	bool *ambiguous = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
	strmap_init(&cw->host_serials);
	for (size_t i = 0; v && i < v->ndevs; i++)
		if (v->devs[i].serial)
			strmap_get(&cw->host_serials, &v->devs[i].serial, sizeof(char *), true)->count++;
	for (size_t i = 0; v && i < v->ndevs; i++)
		host_row(cw, ci, &v->devs[i], used, ambiguous);
	/* guest devices no vmdk claimed */
	for (size_t k = 0; g && k < g->ndimms; k++) {
		if (used[k] && !ambiguous[k])
			continue;
		struct device d;
		memset(&d, 0, sizeof(d));
		d.serial = fget(g->dimms[k], FF_ND_DIMM_SERIAL);
		d.status = ambiguous[k] ? ST_AMBIGUOUS : ST_GUEST_ONLY;
		d.confidence = ambiguous[k] ? CONF_LOW : CONF_NONE;
		guest_chain(cw, ci, g->dimms[k], &d);
		case_add_device(cw->c, &d);
	}
	free(used);
	free(ambiguous);
}

void casework_free(struct casework *cw)
{
	strmap_free(&cw->host_serials);
	for (size_t i = 0; i < 4; i++)
		buf_free(&cw->names[i]);
	free(cw->hit);
}
