/* findings.c - one check per finding of the catalog (findings.h). */
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "when.h"
#include "util.h"

const char *dev_label(const struct device *d)
{
	return d->vmdk ? path_base(d->vmdk) : d->nmem ? d->nmem : "?";
}

/* The kernel name of a device: /dev/pmemR... or /dev/daxR.N */
static const char *kernel_node(const struct device *d, char *buf, size_t size)
{
	for (size_t i = 0; i < d->nns; i++) {
		const char *n = d->ns[i].blockdev ? d->ns[i].blockdev : d->ns[i].chardev;
		if (n) {
			snprintf(buf, size, "/dev/%s", n);
			return buf;
		}
	}
	return NULL;
}

static bool is_kernel_name(const char *spec)
{
	return spec && (str_has_prefix(spec, "/dev/pmem") || str_has_prefix(spec, "/dev/dax"));
}

static const char *human(uint64_t n, char *buf, size_t size)
{
	if (n >= 1073741824ULL && n % 1073741824ULL == 0)
		snprintf(buf, size, "%llu GiB", (unsigned long long)(n / 1073741824ULL));
	else if (n >= 1048576 && n % 1048576 == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(n / 1048576));
	else
		snprintf(buf, size, "%llu bytes", (unsigned long long)n);
	return buf;
}

/* ---- evidence-missing, guest-bundle-missing, host-bundle-missing -------- */

static void check_evidence_missing(struct casework *cw)
{
	const struct vm *v = cw->v;
	const struct guest *g = cw->g;
	if (v && v->uuids_missing) {
		struct evlist ev = { 0 };
		for (size_t i = 0; i < v->ndevs; i++)
			if (!v->devs[i].uuid && v->devs[i].ev.n)
				evlist_add(&ev, &v->devs[i].ev.v[0]);
		RAISE(cw->a, cw->c, EVIDENCE_MISSING, &ev, MSG_EVIDENCE_MISSING_HOST, v->name ? v->name : "the VM",
		      ESX_ONELINER);
		free(ev.v);
	}
	if (g && !g->has_ndctl)
		RAISE(cw->a, cw->c, EVIDENCE_MISSING, NULL, MSG_EVIDENCE_MISSING_GUEST,
		      cw->a->m->bundles[g->bundle].path, SOS_PMEM);
}

static void check_nvdimm_config_missing(struct casework *cw)
{
	const struct vm *v = cw->v;
	if (!v || !v->ndevs)
		return;
	if (v->slots_from == SLOTS_LOG) {
		struct evidence ev = v->slots_log->ev;
		RAISE_EV(cw->a, cw->c, NVDIMM_CONFIG_MISSING, &ev, 1, MSG_NVDIMM_CONFIG_MISSING_LOG,
			 v->name ? v->name : "the VM", fget(v->slots_log, FF_HOST_EVENT_TIME), VMX_GREP);
	} else if (v->slots_from == SLOTS_DATASTORE) {
		struct evlist ev = { 0 };
		for (size_t i = 0; i < v->ndevs; i++)
			if (v->devs[i].ev.n)
				evlist_add(&ev, &v->devs[i].ev.v[0]);
		const char *folder = v->devs[0].vmdk ? v->devs[0].vmdk : "?";
		char *dir = path_dir(folder);
		RAISE(cw->a, cw->c, NVDIMM_CONFIG_MISSING, &ev, MSG_NVDIMM_CONFIG_MISSING_DATASTORE, v->ndevs,
		      v->ndevs == 1 ? "" : "s", dir, VMX_GREP);
		free(dir);
		free(ev.v);
	}
}

static void check_dimm_ids_missing(struct casework *cw)
{
	const struct guest *g = cw->g;
	if (g && g->nd_without_dimms)
		RAISE(cw->a, cw->c, DIMM_IDS_MISSING, NULL, MSG_DIMM_IDS_MISSING, cw->a->m->bundles[g->bundle].path,
		      g->nd_without_dimms);
}

static void check_guest_bundle_missing(struct casework *cw)
{
	const struct vm *v = cw->v;
	if (v && !cw->g && v->ndevs)
		RAISE(cw->a, cw->c, GUEST_BUNDLE_MISSING, &v->ev, MSG_GUEST_BUNDLE_MISSING,
		      v->name ? v->name : "this VM", v->ndevs, v->ndevs == 1 ? "" : "s", SOS_PMEM);
}

static void check_host_bundle_missing(struct casework *cw)
{
	const struct guest *g = cw->g;
	if (g && !cw->v)
		RAISE(cw->a, cw->c, HOST_BUNDLE_MISSING, NULL, MSG_HOST_BUNDLE_MISSING,
		      g->hostname ? g->hostname : cw->a->m->bundles[g->bundle].path);
}

/* ---- device by device ----------------------------------------------------- */

static void check_vpmem_without_guest_device(struct casework *cw, struct device *d)
{
	const struct guest *g = cw->g;
	if (d->status == ST_HOST_ONLY && g && g->has_ndctl && d->serial)
		RAISE(cw->a, cw->c, VPMEM_WITHOUT_GUEST_DEVICE, &d->ev, MSG_VPMEM_WITHOUT_GUEST_DEVICE, dev_label(d),
		      d->slot ? d->slot : "slot unknown", d->serial, g->hostname ? g->hostname : "?");
}

/* A guest nmem no .vmdk claims: an error, unless the host bundle was taken
 * later than the guest's (a warning then: the vPMem may be gone since). */
static void check_guest_device_without_vmdk(struct casework *cw, struct device *d)
{
	const struct vm *v = cw->v;
	if (d->status != ST_GUEST_ONLY || !v || v->uuids_missing)
		return;
	const struct bundle_note *hn = &cw->a->notes[v->bundle], *gn = &cw->a->notes[cw->g->bundle];
	const char *id = d->dimm_id ? d->dimm_id : "?", *name = v->name ? v->name : "the VM";
	if (hn->collected_t >= 0 && gn->collected_t >= 0 && hn->collected_t > gn->collected_t)
		RAISE_EV_SEV(cw->a, cw->c, GUEST_DEVICE_WITHOUT_VMDK, SEV_WARNING, d->ev.v, d->ev.n,
			     MSG_GUEST_DEVICE_WITHOUT_VMDK_LATER, d->nmem, id, name, hn->collected, gn->collected,
			     d->serial ? d->serial : "?");
	else
		RAISE(cw->a, cw->c, GUEST_DEVICE_WITHOUT_VMDK, &d->ev, MSG_GUEST_DEVICE_WITHOUT_VMDK, d->nmem, id, name,
		      d->serial ? d->serial : "?");
}

/* At most this many candidate nmems named in a serial-collision finding. */
#define CANDIDATES_SHOWN 8

static void check_serial_collision(struct casework *cw, struct device *d)
{
	const struct guest *g = cw->g;
	if (d->status != ST_AMBIGUOUS || !d->vmdk)
		return;
	/* the guest's nmems with this serial, a few by name */
	struct buf cands;
	buf_init(&cands);
	size_t lo = 0, hi = guest_serial_range(g, d->serial, &lo);
	for (size_t k = lo; k < hi && k - lo < CANDIDATES_SHOWN; k++)
		buf_printf(&cands, "%s%s", cands.len ? " or " : "",
			   fget(g->dimms[g->by_serial[k].i], FF_ND_DIMM_DEV));
	if (hi - lo > CANDIDATES_SHOWN)
		buf_printf(&cands, " (or one of %zu more)", hi - lo - CANDIDATES_SHOWN);
	bool host_twice = strmap_get(&cw->host_serials, &d->serial, sizeof(char *), false)->count > 1;
	RAISE(cw->a, cw->c, SERIAL_COLLISION, &d->ev, MSG_SERIAL_COLLISION, dev_label(d),
	      host_twice ? "another .vmdk of this VM shares its last 32 bits"
			 : "two guest nmem devices show its last 32 bits",
	      d->serial, cands.len ? cands.data : "one of the guest's nmem devices");
	buf_free(&cands);
}

static void check_size_mismatch(struct casework *cw, struct device *d)
{
	char h1[32], h2[32];
	if ((d->status == ST_MATCHED || d->status == ST_AMBIGUOUS) && d->size_host && d->size_guest &&
	    !sizes_agree(d->size_host, d->size_guest))
		RAISE(cw->a, cw->c, SIZE_MISMATCH, &d->ev, MSG_SIZE_MISMATCH, dev_label(d),
		      human(d->size_host, h1, sizeof(h1)), d->nmem, d->region ? d->region : "?",
		      human(d->size_guest, h2, sizeof(h2)));
}

static void check_namespace_missing(struct casework *cw, struct device *d)
{
	if (d->nmem && d->region && d->nns == 0)
		RAISE(cw->a, cw->c, NAMESPACE_MISSING, &d->ev, MSG_NAMESPACE_MISSING, d->nmem, d->region, d->region);
}

static void check_namespace_raw(struct casework *cw, struct device *d)
{
	for (size_t k = 0; k < d->nns; k++)
		if (d->ns[k].mode && !strcmp(d->ns[k].mode, "raw"))
			RAISE(cw->a, cw->c, NAMESPACE_RAW, &d->ev, MSG_NAMESPACE_RAW, d->ns[k].dev, d->nmem,
			      d->ns[k].dev);
}

/* The evidence of a finding about one line (an fstab line) of device d:
 * that line first, then the device's chain, so that a report that shows
 * the first few shows the line the finding is about. */
static void ev_led_by(const struct evidence *lead, const struct device *d, struct evlist *out)
{
	memset(out, 0, sizeof(*out));
	if (lead)
		evlist_add(out, lead);
	for (size_t i = 0; i < d->ev.n; i++)
		evlist_add(out, &d->ev.v[i]);
	out->more += d->ev.more;
}

/* ---- mount-by-kernel-name ---------------------------------------------- */

/* At most this many "If X were removed" sentences in one finding; the
 * rest are counted: the consequence is the same for each. */
#define REMOVALS_SHOWN 3

/* The devices whose removal would shift a kernel name: every device but
 * the guest-only ones; how many come before each device, and the first
 * few, found once per case. */
struct removals {
	size_t *before; /* [i]: such devices before device i */
	size_t first[REMOVALS_SHOWN], nfirst;
	bool predict; /* numbers_follow_slots, found once per case */
};

static bool numbers_follow_slots(const struct acase *c);

static void removals_of(const struct acase *c, struct removals *r)
{
	r->before = xcalloc(c->ndevs + 1, sizeof(*r->before));
	r->nfirst = 0;
	for (size_t i = 0, n = 0; i < c->ndevs; i++) {
		r->before[i] = n;
		if (c->devs[i].status == ST_GUEST_ONLY)
			continue;
		n++;
		if (r->nfirst < REMOVALS_SHOWN)
			r->first[r->nfirst++] = i;
	}
	r->predict = numbers_follow_slots(c);
}

/*
 * A mount by kernel name: say which device it would reach if each other
 * vPMem were removed, assuming the guest numbers devices in slot order
 * (the renumbering the seed article warns about).
 */
/* Does the guest number its devices in slot order, as far as the matched
 * devices show (their nmem numbers rise with their slots)? */
static bool numbers_follow_slots(const struct acase *c)
{
	unsigned last = 0;
	bool any = false;
	for (size_t i = 0; i < c->ndevs; i++) {
		unsigned n;
		const struct device *d = &c->devs[i];
		if (d->status != ST_MATCHED || !d->slot || !d->nmem || sscanf(d->nmem, "nmem%u", &n) != 1)
			continue;
		if (any && n <= last)
			return false;
		last = n;
		any = true;
	}
	return true;
}

static void kernel_name_finding(struct casework *cw, const struct removals *rm, size_t i, const char *node,
				const char *how, const struct evidence *line)
{
	const struct acase *c = cw->c;
	const struct device *d = &c->devs[i];
	char other[64];
	struct buf msg;

	buf_init(&msg);
	buf_printf(&msg, "%s reaches %s (%s) by kernel name. Kernel names follow probe order and change when a "
			 "vPMem is removed.",
		   how, node, dev_label(d));
	/* removing an earlier device shifts every later one down by one: this
	 * name then belongs to the device after this one */
	const struct device *next = i + 1 < c->ndevs ? &c->devs[i + 1] : NULL;
	bool next_named = next && kernel_node(next, other, sizeof(other));
	bool predict = rm->predict;
	size_t shown = !predict ? 0 : rm->before[i] < rm->nfirst ? rm->before[i] : rm->nfirst;
	size_t more = predict ? rm->before[i] - shown : 0;
	if (shown)
		buf_puts(&msg, " A prediction, if the guest numbers its devices in slot order as it does now.");
	else if (!predict)
		buf_puts(&msg, " What a removal would make it reach cannot be predicted: this guest does not number its "
			       "devices in slot order.");
	for (size_t k = 0; k < shown; k++) {
		const char *gone = dev_label(&c->devs[rm->first[k]]);
		if (next_named)
			buf_printf(&msg, " If %s were removed, %s would reach %s instead.", gone, node, dev_label(next));
		else
			buf_printf(&msg, " If %s were removed, %s would no longer exist and %s would take the name of "
					 "the device before it: this mount would fail.",
				   gone, node, dev_label(d));
	}
	if (more)
		buf_printf(&msg, " The same holds for each of %zu more vPMem devices before it.", more);
	const struct nsinfo *ns = d->nns ? &d->ns[0] : NULL;
	if (ns && ns->fs_uuid)
		buf_printf(&msg, " Mount by UUID=%s instead.", ns->fs_uuid);
	else
		buf_puts(&msg, " Mount by UUID= or LABEL= instead.");
	struct evlist ev;
	ev_led_by(line, d, &ev);
	RAISE(cw->a, cw->c, MOUNT_BY_KERNEL_NAME, &ev, MSG_MOUNT_BY_KERNEL_NAME, msg.data);
	free(ev.v);
	buf_free(&msg);
}

static void check_mount_by_kernel_name(struct casework *cw)
{
	struct acase *c = cw->c;
	char node[64];
	struct removals rm;

	removals_of(c, &rm);
	for (size_t i = 0; i < c->ndevs; i++) {
		struct device *d = &c->devs[i];
		if (d->status == ST_AMBIGUOUS || !kernel_node(d, node, sizeof(node)))
			continue;
		/* only fstab says how a mount is made: /proc/mounts shows the
		 * kernel name even for a mount by UUID */
		for (size_t k = 0; k < d->nns; k++)
			for (size_t j = 0; j < d->ns[k].fstab.n; j++) {
				if (!is_kernel_name(d->ns[k].fstab.v[j]))
					continue;
				char *how = xasprintf("/etc/fstab line \"%s\"", d->ns[k].fstab.v[j]);
				kernel_name_finding(cw, &rm, i, node, how, &d->ns[k].fstab_ev[j]);
				free(how);
			}
	}
	free(rm.before);
}

/* ---- renumbered ------------------------------------------------------- */

/* The slot units of controller 0 present in the case (one flag each), and
 * how many there are below each: the rank a device would have in a guest
 * that numbers devices in slot order. */
static bool slot_unit(const struct device *d, unsigned *unit)
{
	unsigned ctl;
	return d->slot && sscanf(d->slot, "nvdimm%u:%u", &ctl, unit) == 2 && ctl == 0;
}

/* The slot units of the case's devices (not guest-only), sorted, so that
 * how many lie below a unit is a binary search: one pass per case, not
 * one per device. */
struct units {
	unsigned *v;
	size_t n;
};

static int unit_cmp(const void *a, const void *b)
{
	return CMP3(*(const unsigned *)a, *(const unsigned *)b);
}

static void units_of(const struct acase *c, struct units *u)
{
	u->v = xcalloc(c->ndevs + 1, sizeof(*u->v));
	u->n = 0;
	for (size_t i = 0; i < c->ndevs; i++)
		if (c->devs[i].status != ST_GUEST_ONLY && slot_unit(&c->devs[i], &u->v[u->n]))
			u->n++;
	qsort(u->v, u->n, sizeof(*u->v), unit_cmp);
}

static size_t units_below(const struct units *u, unsigned unit)
{
	size_t a = 0, z = u->n;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (u->v[mid] < unit)
			a = mid + 1;
		else
			z = mid;
	}
	return a;
}

/* A device in slot nvdimm0:M that the guest calls nmemN, N < M, where
 * the slots below M hold exactly N devices: the gap below it says that a
 * vPMem there was removed (or never added), and the guest, numbering in
 * slot order, numbered the devices after it down. Only that is evidence:
 * a guest whose numbers merely differ from the slots (the order is not
 * documented to follow them) raises nothing; a change between two dates
 * is mapping-changed's. */
static void check_renumbered(struct casework *cw)
{
	struct acase *c = cw->c;
	char node[64];
	struct units below;

	units_of(c, &below);
	for (size_t i = 0; i < c->ndevs; i++) {
		const struct device *d = &c->devs[i];
		unsigned unit, n;
		if (d->status != ST_MATCHED || !d->nmem || !slot_unit(d, &unit) || sscanf(d->nmem, "nmem%u", &n) != 1 ||
		    n >= unit || units_below(&below, unit) != n)
			continue;
		const char *kn = kernel_node(d, node, sizeof(node));
		unsigned empty = unit - n;
		RAISE(cw->a, c, RENUMBERED, &d->ev, MSG_RENUMBERED, dev_label(d), d->slot, d->nmem, unit, empty,
		      empty == 1 ? "" : "s", empty == 1 ? "is" : "are", kn ? kn : d->nmem, dev_label(d));
	}
	free(below.v);
}

/* ---- fstab-device-missing ----------------------------------------------- */

static void add_node(struct strmap *nodes, const char *name)
{
	char node[64];
	if (name) {
		snprintf(node, sizeof(node), "/dev/%s", name);
		strmap_get(nodes, node, strlen(node), true);
	}
}

/* The kernel names (/dev/...) and filesystem UUIDs the guest's pmem
 * provides: every namespace and dax device of the guest, reached from a
 * listed dimm or not (a region whose dimm ndctl did not list still
 * provides its devices), the filesystems blkid sees on them, and those of
 * the case's devices. */
static void provided(struct casework *cw, uint32_t b, struct strmap *nodes, struct strmap *uuids)
{
	const struct fl *ns = &cw->fx->t[FT_ND_NAMESPACE], *dax = &cw->fx->t[FT_DAX_DEVICE];
	const struct fl *blkid = &cw->fx->t[FT_GUEST_BLKID];
	const struct acase *c = cw->c;

	FOR_BUNDLE(k, ns, b) {
		add_node(nodes, fget(ns->byb[k], FF_ND_NAMESPACE_BLOCKDEV));
		add_node(nodes, fget(ns->byb[k], FF_ND_NAMESPACE_CHARDEV));
	}
	FOR_BUNDLE(k, dax, b)
		add_node(nodes, fget(dax->byb[k], FF_DAX_DEVICE_CHARDEV));
	FOR_BUNDLE(k, blkid, b) {
		const char *dev = fget(blkid->byb[k], FF_GUEST_BLKID_DEVICE), *u = fget(blkid->byb[k], FF_GUEST_BLKID_FS_UUID);
		if (dev && u && strmap_get(nodes, dev, strlen(dev), false))
			strmap_get(uuids, u, strlen(u), true);
	}
	for (size_t i = 0; i < c->ndevs; i++)
		for (size_t n = 0; n < c->devs[i].nns; n++) {
			const struct nsinfo *s = &c->devs[i].ns[n];
			add_node(nodes, s->blockdev);
			add_node(nodes, s->chardev);
			if (s->fs_uuid)
				strmap_get(uuids, s->fs_uuid, strlen(s->fs_uuid), true);
		}
}

/* An fstab line for a pmem device that no device of the guest provides:
 * by kernel name (the name moved or vanished) or a DAX mount by UUID whose
 * filesystem is on no namespace any more. */
static void check_fstab_device_missing(struct casework *cw)
{
	if (!cw->g)
		return;
	uint32_t b = cw->g->bundle;
	const struct fl *fstab = &cw->fx->t[FT_GUEST_FSTAB];
	struct strmap nodes, uuids;

	strmap_init(&nodes);
	strmap_init(&uuids);
	provided(cw, b, &nodes, &uuids);
	FOR_BUNDLE(k, fstab, b) {
		const struct fact *ft = fstab->byb[k];
		const char *spec = fget(ft, FF_GUEST_FSTAB_SPEC), *opts = fget(ft, FF_GUEST_FSTAB_OPTIONS);
		if (!spec)
			continue;
		bool kernel = is_kernel_name(spec);
		bool dax_uuid = str_has_prefix(spec, "UUID=") && opts && strstr(opts, "dax");
		if (!kernel && !dax_uuid)
			continue;
		/* a kernel name is compared as it is put into a 64-byte node */
		bool found = kernel ? strlen(spec) < 64 && strmap_get(&nodes, spec, strlen(spec), false) != NULL
				    : strmap_get(&uuids, spec + 5, strlen(spec + 5), false) != NULL;
		if (found)
			continue;
		const char *file = fget(ft, FF_GUEST_FSTAB_FILE);
		RAISE_EV(cw->a, cw->c, FSTAB_DEVICE_MISSING, &ft->ev, 1, MSG_FSTAB_DEVICE_MISSING, spec,
			 file ? file : "?", kernel ? "that device" : "that filesystem",
			 kernel ? ", or after a renumbering reaches a device it was not meant for" : "");
	}
	strmap_free(&nodes);
	strmap_free(&uuids);
}

/* ---- fstab-mount-disagree ------------------------------------------------- */

/* An fstab line of the device names another mount point than the live
 * mount table gives it (and the table does not have it there too). */
static void check_fstab_mount_disagree(struct casework *cw, struct device *d)
{
	for (size_t k = 0; k < d->nns; k++) {
		const struct nsinfo *ns = &d->ns[k];
		for (size_t j = 0; j < ns->fstab.n && ns->mountpoints.n; j++) {
			char spec[256], file[256];
			bool there = false;
			if (sscanf(ns->fstab.v[j], "%255s %255s", spec, file) != 2)
				continue;
			for (size_t m = 0; m < ns->mountpoints.n; m++)
				there |= !strcmp(ns->mountpoints.v[m], file);
			if (there)
				continue;
			struct evlist ev;
			ev_led_by(&ns->fstab_ev[j], d, &ev);
			RAISE(cw->a, cw->c, FSTAB_MOUNT_DISAGREE, &ev, MSG_FSTAB_MOUNT_DISAGREE, spec, dev_label(d), file,
			      ns->mountpoints.v[0]);
			free(ev.v);
		}
	}
}

/* ---- guest-bundle-older-than-host-change ----------------------------------- */

static void check_guest_bundle_older(struct casework *cw)
{
	const struct vm *v = cw->v;
	const struct guest *g = cw->g;
	if (!v || !g || !g->collected)
		return;
	const struct fact *last = v->last_change;
	const char *lt = fget(last, FF_ESX_VMLOG_TIME);
	int64_t gt = cw->a->notes[g->bundle].collected_t;
	/* to the second; the guest bundle's time as its best source writes it,
	 * taken as UTC (bundleinfo.h) */
	if (last && gt >= 0 && gt < parse_utc(lt))
		RAISE_EV(cw->a, cw->c, GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE, &last->ev, 1,
			 MSG_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE, g->collected, lt);
}

/* ---- the checks, in catalog order ------------------------------------------ */

static const struct check {
	enum finding_id id;
	void (*per_case)(struct casework *cw); /* or */
	void (*per_device)(struct casework *cw, struct device *d);
} checks[] = {
	{ F_EVIDENCE_MISSING, check_evidence_missing, NULL },
	{ F_NVDIMM_CONFIG_MISSING, check_nvdimm_config_missing, NULL },
	{ F_DIMM_IDS_MISSING, check_dimm_ids_missing, NULL },
	{ F_GUEST_BUNDLE_MISSING, check_guest_bundle_missing, NULL },
	{ F_HOST_BUNDLE_MISSING, check_host_bundle_missing, NULL },
	{ F_VPMEM_WITHOUT_GUEST_DEVICE, NULL, check_vpmem_without_guest_device },
	{ F_GUEST_DEVICE_WITHOUT_VMDK, NULL, check_guest_device_without_vmdk },
	{ F_SERIAL_COLLISION, NULL, check_serial_collision },
	{ F_SIZE_MISMATCH, NULL, check_size_mismatch },
	{ F_NAMESPACE_MISSING, NULL, check_namespace_missing },
	{ F_NAMESPACE_RAW, NULL, check_namespace_raw },
	{ F_MOUNT_BY_KERNEL_NAME, check_mount_by_kernel_name, NULL },
	{ F_RENUMBERED, check_renumbered, NULL },
	{ F_FSTAB_DEVICE_MISSING, check_fstab_device_missing, NULL },
	{ F_FSTAB_MOUNT_DISAGREE, NULL, check_fstab_mount_disagree },
	{ F_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE, check_guest_bundle_older, NULL },
};

void findings_check(struct casework *cw)
{
	const size_t n = sizeof(checks) / sizeof(checks[0]);
	for (size_t i = 0; i < n;) {
		if (checks[i].per_case) {
			checks[i++].per_case(cw);
			continue;
		}
		/* a run of device checks: all of them for one device, then the next */
		size_t end = i;
		while (end < n && checks[end].per_device)
			end++;
		for (size_t k = 0; k < cw->c->ndevs; k++)
			for (size_t j = i; j < end; j++)
				checks[j].per_device(cw, &cw->c->devs[k]);
		i = end;
	}
}

/* ---- inputs that no case holds ------------------------------------------ */

static uint32_t root_of(const struct model *m, uint32_t b)
{
	while (m->bundles[b].parent >= 0)
		b = (uint32_t)m->bundles[b].parent;
	return b;
}

static void used_by(const struct model *m, const struct evlist *l, bool *used)
{
	for (size_t i = 0; i < l->n; i++)
		used[root_of(m, l->v[i].bundle)] = true;
}

/* Of each input (a bundle given, not one inside another): does a case
 * hold it, a bundle inside it, or a line of it in its evidence (used; a
 * pasted getuuid that gave a slot its UUID is), does any fact of it fall
 * under the contract (known)? */
static void inputs_seen(struct analysis *a, const struct factindex *fx, bool *used, bool *known)
{
	const struct model *m = a->m;
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		int ids[] = { c->vm.bundle, c->guest.bundle_id };
		for (size_t k = 0; k < 2; k++)
			if (ids[k] >= 0)
				used[root_of(m, (uint32_t)ids[k])] = true;
		for (size_t k = 0; k < c->ndevs; k++)
			used_by(m, &c->devs[k].ev, used);
		for (size_t k = 0; k < c->nfinds; k++)
			used_by(m, &c->finds[k].ev, used);
	}
	for (size_t t = 0; t < FT_COUNT; t++)
		for (size_t i = 0; i < fx->t[t].n; i++)
			known[root_of(m, fx->t[t].v[i]->ev.bundle)] = true;
}

/* The names of the unrecognised inputs, a few, then how many more. */
static void names_of(const struct model *m, const struct evlist *ev, struct buf *out)
{
	size_t shown = 0;
	for (size_t i = 0; i < ev->n && shown < 3; i++, shown++)
		buf_printf(out, "%s%s", i ? ", " : "", m->bundles[ev->v[i].bundle].path);
	if (ev->n + ev->more > shown)
		buf_printf(out, " and %zu more", ev->n + ev->more - shown);
}

void findings_check_inputs(struct analysis *a, const struct factindex *fx)
{
	const struct model *m = a->m;
	bool *used = xcalloc(m->nbundles + 1, sizeof(bool)), *known = xcalloc(m->nbundles + 1, sizeof(bool));
	struct evlist unknown = { 0 };

	inputs_seen(a, fx, used, known);
	for (uint32_t b = 0; b < m->nbundles; b++) {
		const struct bundle *bd = &m->bundles[b];
		struct evidence ev = { b, "", 0 };
		if (bd->parent >= 0 || used[b] || (bd->failed && !bd->members_seen))
			continue; /* inside another, in a case, or unreadable (said already) */
		if (!known[b]) {
			evlist_add(&unknown, &ev);
		} else if (bd->kind == KIND_VMSUPPORT) {
			RAISE_EV(a, NULL, PMEM_EVIDENCE_MISSING, &ev, 1, MSG_PMEM_EVIDENCE_MISSING_HOST, bd->path,
				 ESX_ONELINER);
		} else {
			RAISE_EV(a, NULL, PMEM_EVIDENCE_MISSING, &ev, 1, MSG_PMEM_EVIDENCE_MISSING_OTHER, bd->path);
		}
	}
	if (unknown.n) {
		struct buf names;
		buf_init(&names);
		names_of(m, &unknown, &names);
		size_t n = unknown.n + unknown.more;
		RAISE(a, NULL, INPUT_NOT_RECOGNISED, &unknown, MSG_INPUT_NOT_RECOGNISED, n, n == 1 ? "" : "s",
		      n == 1 ? "s" : "", names.data, SOS_PMEM);
		buf_free(&names);
	}
	free(unknown.v);
	free(used);
	free(known);
}
