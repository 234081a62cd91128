/* correlate.c - pair guests with VMs, follow each device's chain, raise
 * findings. Reads the model, writes an analysis; never reaches back into
 * ingest or extract.
 */
#define _GNU_SOURCE
#include "correlate.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "index.h"
#include "timeline.h"
#include "util.h"
#include "uuid.h"
#include "when.h"

const char *status_name(enum dev_status s)
{
	static const char *const n[] = { "matched", "host-only", "guest-only", "ambiguous" };
	return n[s];
}

const char *confidence_name(enum confidence c)
{
	static const char *const n[] = { "high", "medium", "low", "none" };
	return n[c];
}

const char *severity_name(enum severity s)
{
	static const char *const n[] = { "error", "warning", "info" };
	return n[s];
}

struct index {
	struct model *m;
	struct fl vmx_name, vmx_bios, vmx_nvdimm, vmdk_uuid, vmdk_extent, esx_host, vmlog;
	struct fl dimm, region, mapping, ns, blkid, mount, fstab, ghost, guname, gsys, gserial,
		gproduct, gsmbios, collected, pmem_out, dax, esx_fs;
	/* vmdk descriptors by bundle and member, by bundle and the member's
	 * last one or two path parts (PMem datastores only), and their sizes */
	struct strmap desc_exact, desc_tail, desc_size;
	/* the lookups of a device's chain, by bundle and one field */
	struct fkey mapping_by_dimm, region_by_dev, ns_by_region, dax_by_ns, blkid_by_device,
		mount_by_source, fstab_by_spec;
	/* PMem datastores by bundle and name (esx.filesystem of type PMEM) */
	struct strmap pmem_ds;
	/* the latest vmware.log time of each VM folder: "<bundle>\1<dir>" */
	struct strmap vmlog_latest;
	/* each bundle's collection time, as text and seconds (-1: none) */
	const char **btime;
	int64_t *btime_t;
	bool btime_done;
};

static bool on_pmem_datastore(struct index *x, const struct fact *desc);
static const char *bundle_time(struct index *x, uint32_t b);
static const char *get(const struct fact *f, const char *key);

/* The key "<bundle>\x01<tag><text>" in b. */
static void desc_key(struct buf *b, uint32_t bundle, char tag, const char *text)
{
	buf_reset(b);
	buf_printf(b, "%u\x01%c%s", bundle, tag, text);
}

static void descriptor_index(struct index *x)
{
	struct buf k;
	buf_init(&k);
	strmap_init(&x->desc_exact);
	strmap_init(&x->desc_tail);
	strmap_init(&x->desc_size);
	for (size_t i = 0; i < x->vmdk_uuid.n; i++) {
		const struct fact *f = x->vmdk_uuid.v[i];
		desc_key(&k, f->ev.bundle, 'm', f->ev.member);
		struct strmap_ent *e = strmap_get(&x->desc_exact, k.data, k.len, true);
		if (!e->val) /* the first one wins, as a scan in order would */
			e->val = f;
		if (!on_pmem_datastore(x, f))
			continue;
		/* "<file>" after a '/', and "<dir>/<file>" after a '/' */
		const char *mem = f->ev.member, *cut = mem + strlen(mem);
		for (int parts = 1; parts <= 2; parts++) {
			while (cut > mem && cut[-1] != '/')
				cut--;
			if (cut == mem)
				break; /* no '/' before this part */
			desc_key(&k, f->ev.bundle, (char)('0' + parts), cut);
			e = strmap_get(&x->desc_tail, k.data, k.len, true);
			if (!e->val)
				e->val = f;
			e->count++;
			cut--; /* onto the '/' */
		}
	}
	for (size_t i = 0; i < x->vmdk_extent.n; i++) {
		const struct fact *f = x->vmdk_extent.v[i];
		uint64_t n;
		const char *sectors = get(f, "sectors");
		if (!sectors || !parse_u64(sectors, &n))
			continue;
		desc_key(&k, f->ev.bundle, 'm', f->ev.member);
		strmap_get(&x->desc_size, k.data, k.len, true)->count += n * 512;
	}
	buf_free(&k);
}

static const struct {
	const char *type;
	size_t off;
} index_lists[] = {
		{ "vmx.name", offsetof(struct index, vmx_name) },
		{ "vmx.bios_uuid", offsetof(struct index, vmx_bios) },
		{ "vmx.nvdimm", offsetof(struct index, vmx_nvdimm) },
		{ "vmdk.uuid", offsetof(struct index, vmdk_uuid) },
		{ "vmdk.extent", offsetof(struct index, vmdk_extent) },
		{ "esx.hostname", offsetof(struct index, esx_host) },
		{ "esx.vmlog", offsetof(struct index, vmlog) },
		{ "nd.dimm", offsetof(struct index, dimm) },
		{ "nd.region", offsetof(struct index, region) },
		{ "nd.mapping", offsetof(struct index, mapping) },
		{ "nd.namespace", offsetof(struct index, ns) },
		{ "guest.blkid", offsetof(struct index, blkid) },
		{ "guest.mount", offsetof(struct index, mount) },
		{ "guest.fstab", offsetof(struct index, fstab) },
		{ "guest.hostname", offsetof(struct index, ghost) },
		{ "guest.uname", offsetof(struct index, guname) },
		{ "guest.system_uuid", offsetof(struct index, gsys) },
		{ "guest.vmware_serial", offsetof(struct index, gserial) },
		{ "guest.product_uuid", offsetof(struct index, gproduct) },
		{ "guest.smbios", offsetof(struct index, gsmbios) },
		{ "bundle.collected", offsetof(struct index, collected) },
		{ "sos.pmem_output", offsetof(struct index, pmem_out) },
		{ "dax.device", offsetof(struct index, dax) },
	{ "esx.filesystem", offsetof(struct index, esx_fs) },
};
#define NLISTS (sizeof(index_lists) / sizeof(index_lists[0]))

static struct fl *index_list(struct index *x, size_t k)
{
	return (struct fl *)((char *)x + index_lists[k].off);
}

/* The key "<bundle>\1<text>" in b. */
static void bkey(struct buf *b, uint32_t bundle, const char *text, size_t n)
{
	buf_reset(b);
	buf_printf(b, "%u\x01", bundle);
	buf_append(b, text, n);
}

static void pmem_datastores(struct index *x)
{
	struct buf k;
	buf_init(&k);
	strmap_init(&x->pmem_ds);
	for (size_t i = 0; i < x->esx_fs.n; i++) {
		const struct fact *f = x->esx_fs.v[i];
		const char *type = get(f, "type"), *mount = get(f, "mount"), *name = get(f, "name");
		if (!type || strcmp(type, "PMEM"))
			continue;
		if (mount && strchr(mount, '/')) {
			const char *b = strrchr(mount, '/') + 1;
			bkey(&k, f->ev.bundle, b, strlen(b));
			strmap_get(&x->pmem_ds, k.data, k.len, true);
		}
		if (name) {
			bkey(&k, f->ev.bundle, name, strlen(name));
			strmap_get(&x->pmem_ds, k.data, k.len, true);
		}
	}
	buf_free(&k);
}

/* The latest real time in each VM folder's vmware logs: the folder of the
 * log itself (vmware.log sits next to the .vmx). */
static void vmlog_index(struct index *x)
{
	struct buf k;
	buf_init(&k);
	strmap_init(&x->vmlog_latest);
	for (size_t i = 0; i < x->vmlog.n; i++) {
		const struct fact *f = x->vmlog.v[i];
		const char *t = get(f, "time"), *slash = strrchr(f->ev.member, '/');
		if (!t || !slash || parse_utc(t) < 0)
			continue;
		bkey(&k, f->ev.bundle, f->ev.member, (size_t)(slash - f->ev.member));
		struct strmap_ent *e = strmap_get(&x->vmlog_latest, k.data, k.len, true);
		if (!e->val || strcmp(t, get(e->val, "time")) > 0)
			e->val = f;
	}
	buf_free(&k);
}

static void index_build(struct index *x, struct model *m)
{
	const char *types[NLISTS];
	memset(x, 0, sizeof(*x));
	x->m = m;
	for (size_t k = 0; k < NLISTS; k++)
		types[k] = model_str(m, index_lists[k].type); /* fact types are interned */
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		for (size_t k = 0; k < NLISTS; k++)
			if (f->type == types[k])
				fl_add(index_list(x, k), f);
	}
	for (size_t k = 0; k < NLISTS; k++)
		fl_finish(index_list(x, k));
	pmem_datastores(x);
	descriptor_index(x);
	vmlog_index(x);
	fkey_build(&x->mapping_by_dimm, &x->mapping, "dimm");
	fkey_build(&x->region_by_dev, &x->region, "dev");
	fkey_build(&x->ns_by_region, &x->ns, "region");
	fkey_build(&x->dax_by_ns, &x->dax, "namespace");
	fkey_build(&x->blkid_by_device, &x->blkid, "device");
	fkey_build(&x->mount_by_source, &x->mount, "source");
	fkey_build(&x->fstab_by_spec, &x->fstab, "spec");
}

static void index_free(struct index *x)
{
	for (size_t k = 0; k < NLISTS; k++)
		fl_free(index_list(x, k));
	struct strmap *maps[] = { &x->desc_exact, &x->desc_tail, &x->desc_size, &x->pmem_ds,
				  &x->vmlog_latest };
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		strmap_free(maps[i]);
	struct fkey *keys[] = { &x->mapping_by_dimm, &x->region_by_dev, &x->ns_by_region, &x->dax_by_ns,
				&x->blkid_by_device, &x->mount_by_source, &x->fstab_by_spec };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		fkey_free(keys[i]);
	free(x->btime);
	free(x->btime_t);
}

/* First fact of list l in bundle b whose key equals value (key NULL: any). */
static const struct fact *first(const struct fl *l, uint32_t b, const char *key, const char *value)
{
	FOR_BUNDLE(i, l, b) {
		const struct fact *f = l->byb[i];
		const char *v = key ? fact_get(f, key) : NULL;
		if (!key || (v && !strcmp(v, value)))
			return f;
	}
	return NULL;
}

static const char *get(const struct fact *f, const char *key)
{
	return f ? fact_get(f, key) : NULL;
}

/* ---- host side ------------------------------------------------------- */

struct hdev {
	const char *slot, *vmdk, *uuid, *serial;
	uint64_t size;
	unsigned ctl, unit;
	size_t order; /* as first seen: ties in the slot order keep it */
	bool removed; /* present = "FALSE" */
	struct evlist ev;
};

struct vm {
	uint32_t bundle;
	const char *member; /* the .vmx, or NULL for a transcript's vmdks */
	const char *name, *bios_uuid, *host, *dir;
	const char *bios_swapped; /* bios_uuid as a SMBIOS >= 2.6 guest reads it */
	struct hdev *devs;
	size_t ndevs, devs_cap;
	struct strmap slots; /* slot name -> index + 1 (count) */
	bool uuids_missing; /* slots whose descriptor UUID we never saw */
	struct evlist ev;
};

static struct hdev *vm_add_dev(struct vm *v, const struct hdev *h)
{
	v->devs = grow(v->devs, &v->devs_cap, v->ndevs + 1, sizeof(*v->devs));
	v->devs[v->ndevs] = *h;
	v->devs[v->ndevs].order = v->ndevs;
	return &v->devs[v->ndevs++];
}

static struct hdev *slot_get(struct vm *v, const char *slot)
{
	struct strmap_ent *e = strmap_get(&v->slots, slot, strlen(slot), true);
	if (e->count)
		return &v->devs[e->count - 1];
	struct hdev h;
	memset(&h, 0, sizeof(h));
	h.slot = slot;
	sscanf(slot, "nvdimm%u:%u", &h.ctl, &h.unit);
	e->count = v->ndevs + 1;
	return vm_add_dev(v, &h);
}

static int hdev_cmp(const void *a, const void *b)
{
	const struct hdev *x = a, *y = b;
	int r;
	if ((r = CMP3(x->ctl, y->ctl)) || (r = CMP3(x->unit, y->unit)) ||
	    (r = strcmp(x->vmdk ? x->vmdk : "", y->vmdk ? y->vmdk : "")))
		return r;
	return CMP3(x->order, y->order);
}

/* Is this descriptor on the host's PMem datastore (named PMemDS-..., or
 * a datastore that df / esxcli list with type PMEM)? */
static bool on_pmem_datastore(struct index *x, const struct fact *desc)
{
	const char *ds = get(desc, "datastore");
	if (!ds)
		return false;
	if (str_has_prefix(ds, "PMemDS-"))
		return true;
	struct buf k;
	buf_init(&k);
	bkey(&k, desc->ev.bundle, ds, strlen(ds));
	bool found = strmap_get(&x->pmem_ds, k.data, k.len, false) != NULL;
	buf_free(&k);
	return found;
}

/* The descriptor the vmx's fileName points at, by member path. */
static const struct fact *find_descriptor(struct index *x, const struct vm *v, const char *file)
{
	char *want;
	struct buf k;

	if (file[0] == '/')
		want = xstrdup(file + 1);
	else
		want = xasprintf("%s/%s", v->dir, file);
	buf_init(&k);
	desc_key(&k, v->bundle, 'm', want);
	const struct strmap_ent *e = strmap_get(&x->desc_exact, k.data, k.len, false);
	if (!e) {
		/* the datastore may be named by UUID on one side and by label on
		 * the other: fall back to "<vmdir>/<file>" when that is unique.
		 * Only a descriptor on a PMem datastore can back an NVDIMM: the OS
		 * disk often has the same "<vm>/<vm>.vmdk" tail. */
		const char *tail = want, *s;
		int slashes = 0;
		for (s = want + strlen(want); s > want; s--)
			if (*s == '/' && ++slashes == 2) {
				tail = s + 1;
				break;
			}
		desc_key(&k, v->bundle, strchr(tail, '/') ? '2' : '1', tail);
		e = strmap_get(&x->desc_tail, k.data, k.len, false);
		if (e && e->count != 1)
			e = NULL;
	}
	buf_free(&k);
	free(want);
	return e ? e->val : NULL;
}

static uint64_t descriptor_size(struct index *x, const struct fact *desc)
{
	struct buf k;
	buf_init(&k);
	desc_key(&k, desc->ev.bundle, 'm', desc->ev.member);
	const struct strmap_ent *e = strmap_get(&x->desc_size, k.data, k.len, false);
	buf_free(&k);
	return e ? e->count : 0;
}

static char *dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? xstrndup(path, (size_t)(s - path)) : xstrdup("");
}

/* The last two path parts of p ("<dir>/<file>"), or p when it has fewer. */
static const char *tail2(const char *p)
{
	const char *last = strrchr(p, '/');
	if (!last)
		return p;
	for (const char *s = last; s > p; s--)
		if (s[-1] == '/')
			return s;
	return p;
}

/* vmkfstools -J getuuid results pasted in transcripts, by their path and
 * by its "<dir>/<file>" tail (the first one of each, in fact order). */
struct pasted {
	struct strmap exact, tail;
	bool *used; /* by index into the vmdk.uuid list */
};

static void pasted_index(struct index *x, struct pasted *p)
{
	strmap_init(&p->exact);
	strmap_init(&p->tail);
	p->used = xcalloc(x->vmdk_uuid.n + 1, sizeof(bool));
	for (size_t i = 0; i < x->vmdk_uuid.n; i++) {
		const struct fact *f = x->vmdk_uuid.v[i];
		const char *v = get(f, "vmdk");
		if (!v || x->m->bundles[f->ev.bundle].kind != KIND_TRANSCRIPT)
			continue;
		struct strmap_ent *e = strmap_get(&p->exact, v, strlen(v), true);
		if (!e->count)
			e->count = i + 1;
		const char *t = tail2(v);
		e = strmap_get(&p->tail, t, strlen(t), true);
		if (!e->count)
			e->count = i + 1;
	}
}

static void pasted_free(struct pasted *p)
{
	strmap_free(&p->exact);
	strmap_free(&p->tail);
	free(p->used);
}

/* A vmkfstools -J getuuid result from a transcript for this vmx fileName:
 * the same absolute path, or the same "<dir>/<file>" tail; the first in
 * fact order when both are pasted. */
static const struct fact *pasted_uuid(struct index *x, struct pasted *p, const char *file)
{
	const struct strmap_ent *e = strmap_get(&p->exact, file, strlen(file), false);
	size_t best = e ? e->count : 0;
	if (strchr(file, '/')) {
		const char *t = tail2(file);
		/* a tail of one part ("/x.vmdk") matches only that path itself */
		if (strchr(t, '/') && (e = strmap_get(&p->tail, t, strlen(t), false)) &&
		    (!best || e->count < best))
			best = e->count;
	}
	if (!best)
		return NULL;
	p->used[best - 1] = true;
	return x->vmdk_uuid.v[best - 1];
}

/* The VM of a .vmx: made on the first fact of that member. */
static struct vm *vmx_vm(struct index *x, struct strmap *by_vmx, struct vm **vms, size_t *n,
			 size_t *cap, const struct fact *f)
{
	struct {
		uint32_t bundle;
		const char *member;
	} key;
	memset(&key, 0, sizeof(key));
	key.bundle = f->ev.bundle;
	key.member = f->ev.member; /* interned */
	struct strmap_ent *e = strmap_get(by_vmx, &key, sizeof(key), true);
	if (e->count)
		return &(*vms)[e->count - 1];
	*vms = grow(*vms, cap, *n + 1, sizeof(**vms));
	struct vm *v = &(*vms)[*n];
	memset(v, 0, sizeof(*v));
	e->count = ++*n;
	v->bundle = f->ev.bundle;
	v->member = f->ev.member;
	char *d = dir_of(f->ev.member);
	v->dir = model_str(x->m, d);
	free(d);
	const struct fact *h = first(&x->esx_host, v->bundle, NULL, NULL);
	v->host = get(h, "hostname");
	strmap_init(&v->slots);
	return v;
}

static void vmx_fact(struct model *m, struct vm *v, const struct fact *f)
{
	if (!strcmp(f->type, "vmx.name")) {
		v->name = get(f, "name");
		evlist_add(&v->ev, &f->ev);
	} else if (!strcmp(f->type, "vmx.bios_uuid")) {
		v->bios_uuid = get(f, "uuid");
		/* the rules give it canonical (uuid = ...); a rule set that does
		 * not is matched as written, without the SMBIOS byte swap */
		char canon[UUID_STR_LEN + 1], swapped[UUID_STR_LEN + 1];
		if (v->bios_uuid && uuid_normalize(v->bios_uuid, canon)) {
			v->bios_uuid = model_str(m, canon);
			uuid_swap_smbios(canon, swapped);
			v->bios_swapped = model_str(m, swapped);
		}
	} else {
		const char *dev = get(f, "device"), *prop = get(f, "prop"), *val = get(f, "value");
		if (!dev || !prop || !val || !strchr(dev, ':'))
			return; /* controller keys */
		struct hdev *h = slot_get(v, dev);
		evlist_add(&h->ev, &f->ev);
		if (!strcasecmp(prop, "fileName"))
			h->vmdk = val;
		else if (!strcasecmp(prop, "size"))
			parse_u64(val, &h->size), h->size *= 1024 * 1024;
		else if (!strcasecmp(prop, "present") && !strcasecmp(val, "FALSE"))
			h->removed = true;
	}
}

/* Each slot's .vmdk, UUID and serial, from its descriptor or a pasted
 * getuuid; slots marked not present, or without a file, are dropped. */
static void vm_resolve(struct index *x, struct pasted *p, struct vm *v)
{
	size_t o = 0;
	for (size_t i = 0; i < v->ndevs; i++) {
		struct hdev *h = &v->devs[i];
		if (h->removed || !h->vmdk) {
			free(h->ev.v);
			continue;
		}
		const struct fact *d = find_descriptor(x, v, h->vmdk);
		if (d) {
			h->uuid = get(d, "uuid");
			h->serial = get(d, "serial");
			evlist_add(&h->ev, &d->ev);
			if (!h->size)
				h->size = descriptor_size(x, d);
		} else if ((d = pasted_uuid(x, p, h->vmdk))) {
			/* vmkfstools output pasted next to the bundle names this file */
			h->uuid = get(d, "uuid");
			h->serial = get(d, "serial");
			evlist_add(&h->ev, &d->ev);
		} else {
			v->uuids_missing = true;
		}
		v->devs[o++] = *h;
	}
	v->ndevs = o;
	if (v->ndevs)
		qsort(v->devs, v->ndevs, sizeof(*v->devs), hdev_cmp);
}

/* vmkfstools output pasted in a transcript, for no bundle's VM: one VM
 * per name stem (pmem-guest-001.vmdk and pmem-guest-001_1.vmdk). */
static void pasted_vms(struct index *x, struct pasted *p, struct vm **vms, size_t *n, size_t *cap)
{
	struct model *m = x->m;
	struct strmap by_stem; /* (bundle, interned stem) -> index + 1 */
	size_t first_new = *n;

	strmap_init(&by_stem);
	for (size_t i = 0; i < x->vmdk_uuid.n; i++) {
		const struct fact *f = x->vmdk_uuid.v[i];
		if (m->bundles[f->ev.bundle].kind != KIND_TRANSCRIPT || p->used[i])
			continue;
		const char *file = get(f, "vmdk");
		const char *base = file ? strrchr(file, '/') : NULL;
		base = base ? base + 1 : file ? file : "unknown.vmdk";
		size_t stem = strcspn(base, ".");
		const char *us = strrchr(base, '_');
		unsigned unit = 0;
		if (us && (size_t)(us - base) < stem && isdigit((unsigned char)us[1])) {
			unit = (unsigned)atoi(us + 1);
			stem = (size_t)(us - base);
		}
		struct {
			uint32_t bundle;
			const char *name;
		} key;
		memset(&key, 0, sizeof(key));
		key.bundle = f->ev.bundle;
		key.name = model_intern(m, base, stem);
		struct strmap_ent *e = strmap_get(&by_stem, &key, sizeof(key), true);
		if (!e->count) {
			*vms = grow(*vms, cap, *n + 1, sizeof(**vms));
			struct vm *v = &(*vms)[*n];
			memset(v, 0, sizeof(*v));
			v->bundle = f->ev.bundle;
			v->name = key.name;
			strmap_init(&v->slots);
			e->count = ++*n;
		}
		struct hdev h;
		memset(&h, 0, sizeof(h));
		h.vmdk = file ? file : "";
		h.uuid = get(f, "uuid");
		h.serial = get(f, "serial");
		h.unit = unit;
		evlist_add(&h.ev, &f->ev);
		vm_add_dev(&(*vms)[e->count - 1], &h);
	}
	for (size_t k = first_new; k < *n; k++)
		qsort((*vms)[k].devs, (*vms)[k].ndevs, sizeof(struct hdev), hdev_cmp);
	strmap_free(&by_stem);
}

static void host_vms(struct index *x, struct vm **out, size_t *nout)
{
	struct model *m = x->m;
	struct vm *vms = NULL;
	size_t n = 0, cap = 0;
	struct strmap by_vmx;
	struct pasted p;

	strmap_init(&by_vmx);
	pasted_index(x, &p);
	/* every .vmx seen in a vm-support bundle */
	const struct fl *lists[] = { &x->vmx_name, &x->vmx_bios, &x->vmx_nvdimm };
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct fact *f = lists[l]->v[i];
			if (m->bundles[f->ev.bundle].kind == KIND_VMSUPPORT)
				vmx_fact(m, vmx_vm(x, &by_vmx, &vms, &n, &cap, f), f);
		}
	for (size_t k = 0; k < n; k++)
		vm_resolve(x, &p, &vms[k]);
	pasted_vms(x, &p, &vms, &n, &cap);
	pasted_free(&p);
	strmap_free(&by_vmx);
	*out = vms;
	*nout = n;
}

/* ---- guest side ------------------------------------------------------ */

/* A guest's dimm by serial: its index in dimms[] (sorted by serial
 * pointer, then index: equal serials are the same interned pointer). */
struct sidx {
	const char *serial;
	size_t i;
};

struct guest {
	uint32_t bundle;
	const char *hostname, *system_uuid, *vmware_serial, *product_uuid, *collected;
	bool has_ndctl; /* any ndctl output, even empty */
	const struct fact **dimms;
	const char **serials; /* of each dimm, interned, or NULL */
	size_t ndimms;
	struct sidx *by_serial; /* the dimms with a serial, by serial */
	size_t nby_serial;
};

static int dimm_cmp(const void *a, const void *b)
{
	const char *x = get(*(const struct fact *const *)a, "dev");
	const char *y = get(*(const struct fact *const *)b, "dev");
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? CMP3(lx, ly) : strcmp(x, y);
}

static int sidx_cmp(const void *a, const void *b)
{
	const struct sidx *x = a, *y = b;
	int r = CMP3((uintptr_t)x->serial, (uintptr_t)y->serial);
	return r ? r : CMP3(x->i, y->i);
}

/* The guest's dimms with this serial: by_serial[*lo .. return value). */
static size_t guest_serial_range(const struct guest *g, const char *serial, size_t *lo)
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

/* The dimms of bundle b, each once (-vvv and -iBDFHMNRX list the same
 * dimms), in nmem order. */
static void guest_dimms(struct index *x, struct guest *gg)
{
	struct strmap seen;
	size_t cap = 0;
	strmap_init(&seen);
	FOR_BUNDLE(i, &x->dimm, gg->bundle) {
		const struct fact *f = x->dimm.byb[i];
		const char *dev = get(f, "dev");
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
		gg->serials[k] = get(gg->dimms[k], "serial");
		if (gg->serials[k])
			gg->by_serial[gg->nby_serial++] = (struct sidx){ gg->serials[k], k };
	}
	qsort(gg->by_serial, gg->nby_serial, sizeof(*gg->by_serial), sidx_cmp);
}

static void guests(struct index *x, struct guest **out, size_t *nout)
{
	struct model *m = x->m;
	struct guest *g = NULL;
	size_t n = 0, cap = 0;

	for (uint32_t b = 0; b < m->nbundles; b++) {
		const struct bundle *bd = &m->bundles[b];
		bool sos = bd->kind == KIND_SOSREPORT;
		if (bd->empty || (!sos && !first(&x->dimm, b, NULL, NULL)))
			continue;
		struct guest gg;
		memset(&gg, 0, sizeof(gg));
		gg.bundle = b;
		gg.hostname = get(first(&x->ghost, b, NULL, NULL), "hostname");
		if (!gg.hostname)
			gg.hostname = get(first(&x->guname, b, NULL, NULL), "hostname");
		gg.system_uuid = get(first(&x->gsys, b, NULL, NULL), "uuid");
		gg.vmware_serial = get(first(&x->gserial, b, NULL, NULL), "uuid");
		gg.product_uuid = get(first(&x->gproduct, b, NULL, NULL), "uuid");
		gg.collected = bundle_time(x, b);
		gg.has_ndctl = first(&x->pmem_out, b, NULL, NULL) || first(&x->dimm, b, NULL, NULL);
		guest_dimms(x, &gg);
		g = grow(g, &cap, n + 1, sizeof(*g));
		g[n++] = gg;
	}
	*out = g;
	*nout = n;
}

/* ---- time ----------------------------------------------------------- */

/* The bundle's collection time: the first one that is a real time (a
 * bad one was reported by check_times), found once per bundle. */
static const char *bundle_time(struct index *x, uint32_t b)
{
	if (!x->btime_done) {
		x->btime = xcalloc(x->m->nbundles + 1, sizeof(*x->btime));
		x->btime_t = xcalloc(x->m->nbundles + 1, sizeof(*x->btime_t));
		for (uint32_t k = 0; k < x->m->nbundles; k++) {
			x->btime_t[k] = -1;
			FOR_BUNDLE(i, &x->collected, k) {
				const char *t = get(x->collected.byb[i], "time");
				int64_t v = parse_utc(t);
				if (v >= 0) {
					x->btime[k] = t;
					x->btime_t[k] = v;
					break;
				}
			}
		}
		x->btime_done = true;
	}
	return x->btime[b];
}

/* At most this many bad-time diagnostics per bundle, then one count. */
#define TIME_DIAGS 5

/* Every time a rule captured is checked against the calendar once: a
 * time that never was ("9999-99-99 99:99:99", "+99:99", a kernel-log time
 * cut short) gets a diagnostic naming bundle, member and line, and is
 * then left unused wherever times are read. */
static void check_times(struct index *x)
{
	struct model *m = x->m;
	const char *time_key = model_str(m, "time"), *offset_key = model_str(m, "offset");
	const char *tz_type = model_str(m, "guest.timezone");
	size_t *bad = xcalloc(m->nbundles + 1, sizeof(*bad));
	const struct fact *last = NULL; /* two rules may take a time from one line */

	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		const char *t = NULL, *o = NULL, *why = NULL;
		for (uint32_t k = 0; k < f->nfields; k++) {
			if (f->fields[k].key == time_key)
				t = f->fields[k].value;
			else if (f->fields[k].key == offset_key && f->type == tz_type)
				o = f->fields[k].value;
		}
		int64_t v;
		int off;
		bool bad_time = t && !when_parse_any(t, 0, &v, &why);
		bool bad_offset = o && !when_parse_offset(o, &off);
		if (!bad_time && !bad_offset)
			continue;
		bool same_line = last && last->ev.bundle == f->ev.bundle && last->ev.member == f->ev.member &&
				 last->ev.line == f->ev.line;
		last = f;
		if (!same_line && bad[f->ev.bundle]++ < TIME_DIAGS) {
			if (bad_time)
				model_diag(m, DIAG_WARNING, f->ev.bundle, f->ev.member, f->ev.line,
					   "time \"%s\" (%s): %s; not used", t, f->type,
					   why ? why : "not a time");
			else
				model_diag(m, DIAG_WARNING, f->ev.bundle, f->ev.member, f->ev.line,
					   "zone offset \"%s\" (%s): not within -12:00..+14:00; not used", o,
					   f->type);
		}
	}
	for (uint32_t b = 0; b < m->nbundles; b++)
		if (bad[b] > TIME_DIAGS)
			model_diag(m, DIAG_WARNING, b, "", 0,
				   "%zu more captured times are not real times; not used", bad[b] - TIME_DIAGS);
	free(bad);
}

/* How far apart two bundles were collected; unknown counts as far. */
static int64_t time_gap(struct index *x, uint32_t a, uint32_t b)
{
	if (a == b)
		return -1; /* host and guest side in one transcript */
	bundle_time(x, a);
	int64_t ta = x->btime_t[a], tb = x->btime_t[b];
	if (ta < 0 || tb < 0)
		return INT64_MAX / 2;
	return ta > tb ? ta - tb : tb - ta;
}

/* ---- pairing --------------------------------------------------------- */

/* The strings compared here are interned in the model: equal text is the
 * same pointer. */
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
static const char *short_name(struct model *m, const char *name)
{
	char small[128] = "";
	size_t n = strcspn(name, ".");
	char *low = n < sizeof(small) ? small : xmalloc(n);
	for (size_t i = 0; i < n; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	const char *r = model_intern(m, low, n);
	if (low != small)
		free(low);
	return r;
}

struct pairing {
	struct vkeys by_bios, by_serial, by_name;
};

static void pairing_index(struct model *m, struct pairing *p, const struct vm *vms, size_t nv)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < nv; i++) {
		vkeys_add(&p->by_bios, vms[i].bios_uuid, i);
		vkeys_add(&p->by_bios, vms[i].bios_swapped, i);
		if (vms[i].name)
			vkeys_add(&p->by_name, short_name(m, vms[i].name), i);
		for (size_t k = 0; k < vms[i].ndevs; k++)
			vkeys_add(&p->by_serial, vms[i].devs[k].serial, i);
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

/* The VM that belongs to guest g, as a comparison of every VM would pick
 * it (first by SMBIOS UUID, then by shared serials, then by name; the
 * nearest date breaks ties, then the first VM), among the candidates. */
static int pick_vm(struct index *x, struct pairing *p, struct vm *vms, const struct guest *g,
		   const char **how)
{
	size_t *cand = NULL, nc = 0, cap = 0;
	const char *sys[] = { g->system_uuid, g->product_uuid, g->vmware_serial };
	for (size_t i = 0; i < 3; i++)
		vkeys_find(&p->by_bios, sys[i], &cand, &nc, &cap);
	for (size_t k = 0; k < g->nby_serial; k++)
		if (!k || g->by_serial[k].serial != g->by_serial[k - 1].serial)
			vkeys_find(&p->by_serial, g->by_serial[k].serial, &cand, &nc, &cap);
	if (g->hostname)
		vkeys_find(&p->by_name, short_name(x->m, g->hostname), &cand, &nc, &cap);
	if (nc)
		qsort(cand, nc, sizeof(*cand), size_cmp);

	int best = -1, rank = 0;
	size_t best_shared = 0;
	int64_t best_gap = 0;
	for (size_t c = 0; c < nc; c++) {
		if (c && cand[c] == cand[c - 1])
			continue;
		const struct vm *v = &vms[cand[c]];
		size_t shared = shared_serials(v, g);
		int r = same_system(v, g) ? 3 : shared ? 2 : same_name(v, g) ? 1 : 0;
		/* the same VM in host bundles of several dates: the nearest wins */
		int64_t gap = r ? time_gap(x, v->bundle, g->bundle) : 0;
		if (r > rank ||
		    (r == rank && r && (shared > best_shared || (shared == best_shared && gap < best_gap)))) {
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

/* ---- building a case ------------------------------------------------- */

struct ctx {
	struct index *x;
	struct model *m;
	struct acase *c;
};

void evlist_add(struct evlist *l, const struct evidence *ev)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].bundle == ev->bundle && l->v[i].member == ev->member &&
		    l->v[i].line == ev->line)
			return;
	if (l->n >= LIST_MAX) {
		l->more++;
		return;
	}
	l->v = grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *ev;
}

void strlist_add(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	if (l->n >= LIST_MAX) {
		l->more++;
		return;
	}
	l->v = grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

static void case_vfinding(struct model *m, struct acase *c, enum severity sev, const char *code,
			  const struct evidence *ev, size_t nev, size_t more, const char *fmt, va_list ap)
{
	struct finding f;
	va_list cp;

	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *text = xmalloc(n > 0 ? (size_t)n + 1 : 1);
	vsnprintf(text, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
	memset(&f, 0, sizeof(f));
	f.severity = sev;
	f.code = code;
	f.message = model_str(m, text);
	free(text);
	for (size_t i = 0; i < nev; i++)
		evlist_add(&f.ev, &ev[i]);
	f.ev.more += more;
	c->finds = grow(c->finds, &c->finds_cap, c->nfinds + 1, sizeof(*c->finds));
	c->finds[c->nfinds++] = f;
	if (sev == SEV_ERROR)
		c->errors++;
	else if (sev == SEV_WARNING)
		c->warnings++;
}

void case_finding(struct model *m, struct acase *c, enum severity sev, const char *code,
		  const struct evidence *ev, size_t nev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	case_vfinding(m, c, sev, code, ev, nev, 0, fmt, ap);
	va_end(ap);
}

static void finding(struct ctx *cx, enum severity sev, const char *code, const struct evlist *ev,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void finding(struct ctx *cx, enum severity sev, const char *code, const struct evlist *ev,
		    const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	case_vfinding(cx->m, cx->c, sev, code, ev ? ev->v : NULL, ev ? ev->n : 0, ev ? ev->more : 0,
		      fmt, ap);
	va_end(ap);
}

static bool is_kernel_name(const char *spec)
{
	return spec && (str_has_prefix(spec, "/dev/pmem") || str_has_prefix(spec, "/dev/dax"));
}

static void device_add_ns(struct device *d, const struct nsinfo *ns)
{
	d->ns = grow(d->ns, &d->ns_cap, d->nns + 1, sizeof(*d->ns));
	d->ns[d->nns++] = *ns;
}

/* The facts of up to four lookups, merged back into fact order (facts sit
 * in one array) and each once: what one scan testing four names found.
 * *out is allocated (free it); the count is returned. */
static size_t merge_slices(const struct fslice *s, size_t ns, const struct fact ***out)
{
	size_t n = 0, total = 0, at[4] = { 0, 0, 0, 0 };
	for (size_t j = 0; j < ns; j++)
		total += s[j].n;
	*out = xcalloc(total + 1, sizeof(**out));
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
		(*out)[n++] = next;
	}
	return n;
}

/* Mounts and fstab lines of one namespace, by the names that reach it:
 * the device node, UUID=, LABEL= and /dev/disk/by-uuid/. */
static void ns_mounts(struct ctx *cx, uint32_t b, struct nsinfo *ns, const char *node,
		      struct device *d)
{
	struct index *x = cx->x;
	char *by_uuid = ns->fs_uuid ? xasprintf("UUID=%s", ns->fs_uuid) : NULL;
	char *by_label = ns->label ? xasprintf("LABEL=%s", ns->label) : NULL;
	char *by_path = ns->fs_uuid ? xasprintf("/dev/disk/by-uuid/%s", ns->fs_uuid) : NULL;
	const char *names[] = { node, by_uuid, by_label, by_path };
	struct fslice s[4];
	const struct fact **hit;
	size_t n;

	for (size_t j = 0; j < 4; j++)
		s[j] = fkey_find(&x->mount_by_source, b, names[j]);
	n = merge_slices(s, 4, &hit);
	for (size_t k = 0; k < n; k++) {
		strlist_add(&ns->mountpoints, get(hit[k], "target"));
		evlist_add(&d->ev, &hit[k]->ev);
	}
	free(hit);
	for (size_t j = 0; j < 4; j++)
		s[j] = fkey_find(&x->fstab_by_spec, b, names[j]);
	n = merge_slices(s, 4, &hit);
	for (size_t k = 0; k < n; k++) {
		const struct fact *ft = hit[k];
		char *line = xasprintf("%s %s %s %s", get(ft, "spec"), get(ft, "file"), get(ft, "vfstype"),
				       get(ft, "options") ? get(ft, "options") : "");
		strlist_add(&ns->fstab, model_str(cx->m, line));
		free(line);
		evlist_add(&d->ev, &ft->ev);
	}
	free(hit);
	free(by_uuid);
	free(by_label);
	free(by_path);
}

/* One namespace of the device's region: its devices, filesystem, mounts. */
static void guest_ns(struct ctx *cx, uint32_t b, const struct fact *f, struct device *d)
{
	struct index *x = cx->x;
	struct nsinfo ns;

	memset(&ns, 0, sizeof(ns));
	ns.dev = get(f, "dev");
	ns.mode = get(f, "mode");
	ns.blockdev = get(f, "blockdev");
	ns.chardev = get(f, "chardev");
	evlist_add(&d->ev, &f->ev);
	if (!ns.chardev && !ns.blockdev) {
		/* ndctl list -X names the dax device inside "daxregion" */
		const struct fact *dx = fkey_first(&x->dax_by_ns, b, ns.dev);
		if (dx) {
			ns.chardev = get(dx, "chardev");
			evlist_add(&d->ev, &dx->ev);
		}
	}
	char *node = ns.blockdev ? xasprintf("/dev/%s", ns.blockdev) : NULL;
	const struct fact *bl = node ? fkey_first(&x->blkid_by_device, b, node) : NULL;
	if (bl) {
		ns.fs_uuid = get(bl, "fs_uuid");
		ns.label = get(bl, "label");
		ns.fstype = get(bl, "fstype");
		evlist_add(&d->ev, &bl->ev);
	}
	ns_mounts(cx, b, &ns, node, d);
	free(node);
	device_add_ns(d, &ns);
}

/* Follow nmem -> region -> namespaces -> devices -> filesystems -> mounts. */
static void guest_chain(struct ctx *cx, uint32_t b, const struct fact *dimm, struct device *d)
{
	struct index *x = cx->x;
	const char *nmem = get(dimm, "dev");
	uint64_t size;

	d->nmem = nmem;
	d->dimm_id = get(dimm, "id");
	evlist_add(&d->ev, &dimm->ev);
	const struct fact *mp = fkey_first(&x->mapping_by_dimm, b, nmem);
	if (!mp)
		return;
	evlist_add(&d->ev, &mp->ev);
	d->region = get(mp, "region");
	const struct fact *rg = fkey_first(&x->region_by_dev, b, d->region);
	if (rg && parse_u64(get(rg, "size") ? get(rg, "size") : "", &size))
		d->size_guest = size;
	else if (parse_u64(get(mp, "length") ? get(mp, "length") : "", &size))
		d->size_guest = size;
	if (rg)
		evlist_add(&d->ev, &rg->ev);

	struct fslice nss = fkey_find(&x->ns_by_region, b, d->region);
	struct strmap seen;
	strmap_init(&seen);
	for (size_t i = 0; i < nss.n; i++) {
		const struct fact *f = nss.v[i];
		const char *dev = get(f, "dev");
		if (!dev)
			continue;
		const char *state = get(f, "state"), *sz = get(f, "size");
		if (state && !strcmp(state, "disabled") && sz && !strcmp(sz, "0"))
			continue; /* the zero-size seed namespace of ndctl list -i */
		if (strmap_get(&seen, dev, strlen(dev), true)->count++)
			continue; /* listed again by another ndctl command */
		guest_ns(cx, b, f, d);
	}
	strmap_free(&seen);
}

static bool sizes_agree(uint64_t a, uint64_t b)
{
	uint64_t hi = a > b ? a : b, lo = a > b ? b : a;
	return hi - lo <= hi / 50;
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

static const char *dev_label(const struct device *d)
{
	const char *s = d->vmdk ? strrchr(d->vmdk, '/') : NULL;
	return s ? s + 1 : d->vmdk ? d->vmdk : d->nmem ? d->nmem : "?";
}

/* The kernel name of a device: /dev/pmemR... or /dev/daxR.N */
static const char *kernel_node(const struct device *d, char *buf, size_t size)
{
	for (size_t i = 0; i < d->nns; i++) {
		if (d->ns[i].blockdev) {
			snprintf(buf, size, "/dev/%s", d->ns[i].blockdev);
			return buf;
		}
		if (d->ns[i].chardev) {
			snprintf(buf, size, "/dev/%s", d->ns[i].chardev);
			return buf;
		}
	}
	return NULL;
}

/* At most this many "If X were removed" sentences in one finding; the
 * rest are counted: the consequence is the same for each. */
#define REMOVALS_SHOWN 3

/*
 * A mount by kernel name: say which device it would reach if each other
 * vPMem were removed, assuming the guest numbers devices in slot order
 * (the renumbering the seed article warns about).
 */
/* The devices whose removal would shift a kernel name: every device but
 * the guest-only ones; how many come before each device, and the first
 * few, found once per case. */
struct removals {
	size_t *before; /* [i]: such devices before device i */
	size_t first[REMOVALS_SHOWN], nfirst;
};

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
}

static void kernel_name_finding(struct ctx *cx, const struct removals *rm, size_t i, const char *node,
				const char *how)
{
	struct acase *c = cx->c;
	struct device *d = &c->devs[i];
	char other[64];
	struct buf msg;

	buf_init(&msg);
	buf_printf(&msg,
		   "%s reaches %s (%s) by kernel name. Kernel names follow probe order and "
		   "change when a vPMem is removed.",
		   how, node, dev_label(d));
	/* removing an earlier device shifts every later one down by one: this
	 * name then belongs to the device after this one */
	const struct device *next = i + 1 < c->ndevs ? &c->devs[i + 1] : NULL;
	bool next_named = next && kernel_node(next, other, sizeof(other));
	size_t shown = rm->before[i] < rm->nfirst ? rm->before[i] : rm->nfirst;
	size_t more = rm->before[i] - shown;
	for (size_t k = 0; k < shown; k++) {
		size_t r = rm->first[k];
		if (next_named)
			buf_printf(&msg, " If %s were removed, %s would reach %s instead.",
				   dev_label(&c->devs[r]), node, dev_label(next));
		else
			buf_printf(&msg, " If %s were removed, %s would no longer exist and %s would "
				   "take the name of the device before it: this mount would fail.",
				   dev_label(&c->devs[r]), node, dev_label(d));
	}
	if (more)
		buf_printf(&msg, " The same holds for each of %zu more vPMem devices before it.", more);
	const struct nsinfo *ns = d->nns ? &d->ns[0] : NULL;
	if (ns && ns->fs_uuid)
		buf_printf(&msg, " Mount by UUID=%s instead.", ns->fs_uuid);
	else
		buf_puts(&msg, " Mount by UUID= or LABEL= instead.");
	finding(cx, SEV_WARNING, "mount-by-kernel-name", &d->ev, "%s", msg.data);
	buf_free(&msg);
}

static void kernel_name_findings(struct ctx *cx)
{
	struct acase *c = cx->c;
	char node[64];
	struct removals rm;

	removals_of(c, &rm);
	for (size_t i = 0; i < c->ndevs; i++) {
		struct device *d = &c->devs[i];
		if (d->status == ST_AMBIGUOUS || !kernel_node(d, node, sizeof(node)))
			continue;
		for (size_t k = 0; k < d->nns; k++) {
			struct nsinfo *ns = &d->ns[k];
			/* only fstab says how a mount is made: /proc/mounts shows the
			 * kernel name even for a mount by UUID */
			for (size_t j = 0; j < ns->fstab.n; j++) {
				if (!is_kernel_name(ns->fstab.v[j]))
					continue;
				char *how = xasprintf("/etc/fstab line \"%s\"", ns->fstab.v[j]);
				kernel_name_finding(cx, &rm, i, node, how);
				free(how);
			}
		}
	}
	free(rm.before);
}

/* With one NVDIMM controller the guest numbers nmem devices in slot
 * order: nmemN sitting in slot nvdimm0:M with M != N means a lower slot
 * is empty now, so kernel names have shifted (formats.md 1.4: ids, not
 * numbers, are stable). */
static void renumber_findings(struct ctx *cx)
{
	struct acase *c = cx->c;
	char node[64];

	for (size_t i = 0; i < c->ndevs; i++) {
		const struct device *d = &c->devs[i];
		unsigned ctl, unit, n;
		if (d->status != ST_MATCHED || !d->slot || !d->nmem ||
		    sscanf(d->slot, "nvdimm%u:%u", &ctl, &unit) != 2 || ctl != 0 ||
		    sscanf(d->nmem, "nmem%u", &n) != 1 || n == unit)
			continue;
		const char *kn = kernel_node(d, node, sizeof(node));
		finding(cx, SEV_WARNING, "renumbered", &d->ev,
			"%s (slot %s) is %s in the guest, not nmem%u: %s, so the guest numbered the "
			"devices after it down. %s now reaches %s; anything that still names the old "
			"kernel names reaches another device or none.",
			dev_label(d), d->slot, d->nmem, unit,
			n < unit ? "a vPMem in a lower slot was removed (or never added)"
				 : "a vPMem was added in a lower slot",
			kn ? kn : d->nmem, dev_label(d));
	}
}

/* An fstab line for a pmem device that no device of the guest provides:
 * by kernel name (the name moved or vanished) or a DAX mount by UUID whose
 * filesystem is on no namespace any more. */
static void fstab_findings(struct ctx *cx, uint32_t b)
{
	struct acase *c = cx->c;
	struct index *x = cx->x;
	struct strmap nodes, uuids; /* what the case's namespaces provide */
	char node[64];

	strmap_init(&nodes);
	strmap_init(&uuids);
	/* every namespace and dax device of the guest, reached from a listed
	 * dimm or not (a region whose dimm ndctl did not list still provides
	 * its devices), and the filesystems blkid sees on them */
	FOR_BUNDLE(k, &x->ns, b) {
		const char *names[] = { get(x->ns.byb[k], "blockdev"), get(x->ns.byb[k], "chardev") };
		for (size_t j = 0; j < 2; j++)
			if (names[j]) {
				snprintf(node, sizeof(node), "/dev/%s", names[j]);
				strmap_get(&nodes, node, strlen(node), true);
			}
	}
	FOR_BUNDLE(k, &x->dax, b) {
		const char *dax = get(x->dax.byb[k], "chardev");
		if (dax) {
			snprintf(node, sizeof(node), "/dev/%s", dax);
			strmap_get(&nodes, node, strlen(node), true);
		}
	}
	FOR_BUNDLE(k, &x->blkid, b) {
		const char *dev = get(x->blkid.byb[k], "device"), *u = get(x->blkid.byb[k], "fs_uuid");
		if (dev && u && strmap_get(&nodes, dev, strlen(dev), false))
			strmap_get(&uuids, u, strlen(u), true);
	}
	for (size_t i = 0; i < c->ndevs; i++)
		for (size_t n = 0; n < c->devs[i].nns; n++) {
			const struct nsinfo *ns = &c->devs[i].ns[n];
			const char *names[] = { ns->blockdev, ns->chardev };
			for (size_t k = 0; k < 2; k++)
				if (names[k]) {
					snprintf(node, sizeof(node), "/dev/%s", names[k]);
					strmap_get(&nodes, node, strlen(node), true);
				}
			if (ns->fs_uuid)
				strmap_get(&uuids, ns->fs_uuid, strlen(ns->fs_uuid), true);
		}
	FOR_BUNDLE(k, &x->fstab, b) {
		const struct fact *ft = x->fstab.byb[k];
		const char *spec = get(ft, "spec"), *opts = get(ft, "options");
		if (!spec)
			continue;
		bool kernel = is_kernel_name(spec);
		bool dax_uuid = str_has_prefix(spec, "UUID=") && opts && strstr(opts, "dax");
		if (!kernel && !dax_uuid)
			continue;
		/* a kernel name is compared as snprintf'd into node[64] was */
		bool found = kernel ? strlen(spec) < sizeof(node) &&
					      strmap_get(&nodes, spec, strlen(spec), false) != NULL
				    : strmap_get(&uuids, spec + 5, strlen(spec + 5), false) != NULL;
		if (found)
			continue;
		struct evlist ev = { 0 };
		evlist_add(&ev, &ft->ev);
		finding(cx, SEV_WARNING, "fstab-device-missing", &ev,
			"/etc/fstab mounts %s on %s, but no pmem namespace of this guest provides %s: "
			"the mount fails at boot%s.",
			spec, get(ft, "file") ? get(ft, "file") : "?", kernel ? "that device" : "that filesystem",
			kernel ? ", or after a renumbering reaches a device it was not meant for" : "");
		free(ev.v);
	}
	strmap_free(&nodes);
	strmap_free(&uuids);
}

static const char *const ESX_ONELINER =
	"for f in /vmfs/volumes/PMemDS-*/*/*.vmdk; do echo \"$f\"; vmkfstools -J getuuid \"$f\"; done";

/* At most this many candidate nmems named in a serial-collision finding. */
#define CANDIDATES_SHOWN 8

static void build_case(struct ctx *cx, struct vm *v, struct guest *g, const char *paired_by)
{
	struct model *m = cx->m;
	struct index *x = cx->x;
	struct acase *c = cx->c;
	char h1[32], h2[32];

	memset(c, 0, sizeof(*c));
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
		c->guest.bundle = m->bundles[g->bundle].path;
		c->guest.system_uuid = g->system_uuid ? g->system_uuid : g->product_uuid;
		c->guest.collected_at = g->collected;
	}

	/* host devices, in slot order; how many of the VM's share each serial */
	bool *used = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
	bool *ambiguous = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
	struct strmap host_serials;
	strmap_init(&host_serials);
	for (size_t i = 0; v && i < v->ndevs; i++)
		if (v->devs[i].serial)
			strmap_get(&host_serials, &v->devs[i].serial, sizeof(char *), true)->count++;
	for (size_t i = 0; v && i < v->ndevs; i++) {
		struct hdev *h = &v->devs[i];
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

		size_t same_host = h->serial ? strmap_get(&host_serials, &h->serial, sizeof(char *), false)->count : 0;
		size_t lo = 0, hi = g && h->serial ? guest_serial_range(g, h->serial, &lo) : 0;
		size_t hits = hi - lo;
		/* the last guest dimm with this serial, in nmem order */
		const struct fact *hit = hits ? g->dimms[g->by_serial[hi - 1].i] : NULL;
		/* the guest's dimms of a serial are marked once, however many of
		 * the VM's devices share it */
		bool first_of_serial = hits && !strmap_get(&host_serials, &h->serial, sizeof(char *), false)->val;
		if (first_of_serial)
			strmap_get(&host_serials, &h->serial, sizeof(char *), false)->val = h;
		bool amb = hit && (same_host > 1 || hits > 1);
		for (size_t k = lo; first_of_serial && k < hi; k++) {
			used[g->by_serial[k].i] = true;
			ambiguous[g->by_serial[k].i] = amb;
		}
		if (amb) {
			/* the serial cannot tell these apart: no chain is presented
			 * as a match; the candidate nmems get rows of their own */
			d.status = ST_AMBIGUOUS;
			d.confidence = CONF_LOW;
		} else if (hit) {
			guest_chain(cx, g->bundle, hit, &d);
			d.status = ST_MATCHED;
			if (d.size_host && d.size_guest && sizes_agree(d.size_host, d.size_guest))
				d.confidence = CONF_HIGH;
			else
				d.confidence = CONF_MEDIUM;
		}
		c->devs = grow(c->devs, &c->devs_cap, c->ndevs + 1, sizeof(*c->devs));
		c->devs[c->ndevs++] = d;
	}
	/* guest devices no vmdk claimed */
	for (size_t k = 0; g && k < g->ndimms; k++) {
		if (used[k] && !ambiguous[k])
			continue;
		struct device d;
		memset(&d, 0, sizeof(d));
		d.serial = get(g->dimms[k], "serial");
		d.status = ambiguous[k] ? ST_AMBIGUOUS : ST_GUEST_ONLY;
		d.confidence = ambiguous[k] ? CONF_LOW : CONF_NONE;
		guest_chain(cx, g->bundle, g->dimms[k], &d);
		c->devs = grow(c->devs, &c->devs_cap, c->ndevs + 1, sizeof(*c->devs));
		c->devs[c->ndevs++] = d;
	}
	free(used);
	free(ambiguous);

	/* findings */
	bool host_uuids = v && !v->uuids_missing;
	if (v && v->uuids_missing) {
		struct evlist ev = { 0 };
		for (size_t i = 0; i < v->ndevs; i++)
			if (!v->devs[i].uuid && v->devs[i].ev.n)
				evlist_add(&ev, &v->devs[i].ev.v[0]);
		finding(cx, SEV_ERROR, "evidence-missing", &ev,
			"The host bundle has no .vmdk UUID for some of %s's vPMem devices (the NVDIMM "
			"descriptors on the PMem datastore were not collected). Run on the host and "
			"attach the output: %s",
			v->name ? v->name : "the VM", ESX_ONELINER);
		free(ev.v);
	}
	if (g && !g->has_ndctl) {
		finding(cx, SEV_ERROR, "evidence-missing", NULL,
			"The guest bundle %s has no ndctl output (the sos 'pmem' plugin did not run or "
			"ndctl is not installed). Collect it with: sos report -o pmem,hardware,block,filesys "
			"(or run: ndctl list -vvv)",
			m->bundles[g->bundle].path);
	}
	if (v && !g && v->ndevs)
		finding(cx, SEV_WARNING, "guest-bundle-missing", &v->ev,
			"No guest bundle was given for %s, which has %zu vPMem device%s: the guest side "
			"cannot be mapped. Collect: sos report -o pmem,hardware,block,filesys",
			v->name ? v->name : "this VM", v->ndevs, v->ndevs == 1 ? "" : "s");
	if (g && !v)
		finding(cx, SEV_WARNING, "host-bundle-missing", NULL,
			"No VM in the host bundles matches guest %s (by SMBIOS UUID, NVDIMM serials or "
			"name): its nmem devices cannot be tied to .vmdk files.",
			g->hostname ? g->hostname : m->bundles[g->bundle].path);

	for (size_t i = 0; i < c->ndevs; i++) {
		struct device *d = &c->devs[i];
		if (d->status == ST_HOST_ONLY && g && g->has_ndctl && d->serial)
			finding(cx, SEV_ERROR, "vpmem-without-guest-device", &d->ev,
				"%s (%s, serial %s) has no nmem device in guest %s: the guest does not "
				"see this vPMem.",
				dev_label(d), d->slot ? d->slot : "slot unknown", d->serial,
				g->hostname ? g->hostname : "?");
		if (d->status == ST_GUEST_ONLY && v && host_uuids)
			finding(cx, SEV_ERROR, "guest-device-without-vmdk", &d->ev,
				"Guest %s (id %s) matches no .vmdk of %s: no vPMem of this VM has serial %s.",
				d->nmem, d->dimm_id ? d->dimm_id : "?", v->name ? v->name : "the VM",
				d->serial ? d->serial : "?");
		if (d->status == ST_AMBIGUOUS && d->vmdk) {
			/* the guest's nmems with this serial, a few by name */
			struct buf cands;
			buf_init(&cands);
			size_t lo = 0, hi = guest_serial_range(g, d->serial, &lo);
			for (size_t k = lo; k < hi && k - lo < CANDIDATES_SHOWN; k++)
				buf_printf(&cands, "%s%s", cands.len ? " or " : "",
					   get(g->dimms[g->by_serial[k].i], "dev"));
			if (hi - lo > CANDIDATES_SHOWN)
				buf_printf(&cands, " (or one of %zu more)", hi - lo - CANDIDATES_SHOWN);
			bool host_twice =
				strmap_get(&host_serials, &d->serial, sizeof(char *), false)->count > 1;
			finding(cx, SEV_ERROR, "serial-collision", &d->ev,
				"%s: %s (%s), and the guest shows only those 32 bits: it is %s, and the serial cannot say which. "
				"Compare sizes, then the vmx slot order with each nmem's handle; to be "
				"certain, re-create one of the two vPMem devices (it gets a new UUID).",
				dev_label(d),
				host_twice ? "another .vmdk of this VM shares its last 32 bits"
					   : "two guest nmem devices show its last 32 bits",
				d->serial, cands.len ? cands.data : "one of the guest's nmem devices");
			buf_free(&cands);
		}
		if ((d->status == ST_MATCHED || d->status == ST_AMBIGUOUS) && d->size_host &&
		    d->size_guest && !sizes_agree(d->size_host, d->size_guest))
			finding(cx, SEV_WARNING, "size-mismatch", &d->ev,
				"%s is %s on the host but %s (%s) is %s in the guest.", dev_label(d),
				human(d->size_host, h1, sizeof(h1)), d->nmem, d->region ? d->region : "?",
				human(d->size_guest, h2, sizeof(h2)));
		if (d->nmem && d->region && d->nns == 0)
			finding(cx, SEV_WARNING, "namespace-missing", &d->ev,
				"%s (%s) has no namespace, or only disabled ones: no /dev/pmem or /dev/dax device exists "
				"for it. Create one with: ndctl create-namespace -r %s",
				d->nmem, d->region, d->region);
		for (size_t k = 0; k < d->nns; k++)
			if (d->ns[k].mode && !strcmp(d->ns[k].mode, "raw"))
				finding(cx, SEV_WARNING, "namespace-raw", &d->ev,
					"%s on %s is in raw mode (no DAX, no sector atomicity); VMware "
					"vNVDIMMs start this way. Reconfigure with: ndctl create-namespace "
					"-f -e %s -m fsdax",
					d->ns[k].dev, d->nmem, d->ns[k].dev);
	}
	strmap_free(&host_serials);
	kernel_name_findings(cx);
	renumber_findings(cx);
	if (g)
		fstab_findings(cx, g->bundle);

	/* guest bundle older than the VM's last NVDIMM configuration */
	if (v && g && g->collected) {
		const struct fact *last = NULL;
		if (v->member) {
			struct buf k;
			buf_init(&k);
			bkey(&k, v->bundle, v->dir, strlen(v->dir));
			const struct strmap_ent *e = strmap_get(&x->vmlog_latest, k.data, k.len, false);
			last = e ? e->val : NULL;
			buf_free(&k);
		}
		char gt[32];
		snprintf(gt, sizeof(gt), "%s", g->collected);
		if (gt[10] == ' ')
			gt[10] = 'T';
		if (last && strncmp(gt, get(last, "time"), 19) < 0) {
			struct evlist ev = { 0 };
			evlist_add(&ev, &last->ev);
			finding(cx, SEV_WARNING, "guest-bundle-older-than-host-change", &ev,
				"The guest bundle was collected at %s (taken as UTC), before the VM's last "
				"NVDIMM configuration at %s: the guest view may predate a device change. "
				"Collect a new guest bundle.",
				g->collected, get(last, "time"));
			free(ev.v);
		}
	}
}

/* Errors first, then warnings, then the rest, each in the order raised:
 * a counting sort, stable and linear however many findings a case has. */
static void sort_findings(struct acase *c)
{
	size_t start[SEV_INFO + 2] = { 0 };
	if (c->nfinds < 2)
		return;
	for (size_t i = 0; i < c->nfinds; i++)
		start[c->finds[i].severity + 1]++;
	for (int s = 1; s <= SEV_INFO + 1; s++)
		start[s] += start[s - 1];
	struct finding *sorted = xmalloc(c->nfinds * sizeof(*sorted));
	for (size_t i = 0; i < c->nfinds; i++)
		sorted[start[c->finds[i].severity]++] = c->finds[i];
	free(c->finds);
	c->finds = sorted;
	c->finds_cap = c->nfinds;
}

void correlate(struct model *m, struct analysis *a)
{
	struct index x;
	struct vm *vms;
	struct guest *gs;
	size_t nv, ng;

	memset(a, 0, sizeof(*a));
	index_build(&x, m);
	check_times(&x);
	/* each bundle's host name and collection time, once, for the reports */
	for (uint32_t b = 0; b < m->nbundles; b++) {
		m->bundles[b].host = NULL;
		m->bundles[b].collected = bundle_time(&x, b);
	}
	const struct fl *names[] = { &x.esx_host, &x.ghost, &x.guname };
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < names[l]->n; i++) {
			struct bundle *bd = &m->bundles[names[l]->v[i]->ev.bundle];
			if (!bd->host)
				bd->host = get(names[l]->v[i], "hostname");
		}
	host_vms(&x, &vms, &nv);
	guests(&x, &gs, &ng);

	struct pairing pr;
	pairing_index(m, &pr, vms, nv);
	bool *vm_used = xcalloc(nv + 1, sizeof(bool));
	size_t cap = 0;
	for (size_t gi = 0; gi < ng; gi++) {
		const char *how;
		int best = pick_vm(&x, &pr, vms, &gs[gi], &how);
		struct ctx cx = { &x, m, NULL };
		a->cases = grow(a->cases, &cap, a->ncases + 1, sizeof(*a->cases));
		cx.c = &a->cases[a->ncases++];
		build_case(&cx, best >= 0 ? &vms[best] : NULL, &gs[gi], how);
		if (best >= 0)
			vm_used[best] = true;
	}
	pairing_free(&pr);
	for (size_t vi = 0; vi < nv; vi++) {
		if (vm_used[vi] || !vms[vi].ndevs)
			continue;
		struct ctx cx = { &x, m, NULL };
		a->cases = grow(a->cases, &cap, a->ncases + 1, sizeof(*a->cases));
		cx.c = &a->cases[a->ncases++];
		build_case(&cx, &vms[vi], NULL, "none");
	}
	postmortem(m, a);
	for (size_t i = 0; i < a->ncases; i++) /* errors first, then warnings */
		sort_findings(&a->cases[i]);
	a->complete = true;
	for (size_t i = 0; i < a->ncases; i++) {
		a->errors += a->cases[i].errors;
		for (size_t k = 0; k < a->cases[i].ndevs; k++)
			a->complete &= a->cases[i].devs[k].status == ST_MATCHED;
	}

	free(vm_used);
	for (size_t i = 0; i < nv; i++) {
		for (size_t k = 0; k < vms[i].ndevs; k++)
			free(vms[i].devs[k].ev.v);
		free(vms[i].devs);
		free(vms[i].ev.v);
		strmap_free(&vms[i].slots);
	}
	free(vms);
	for (size_t i = 0; i < ng; i++) {
		free(gs[i].dimms);
		free(gs[i].serials);
		free(gs[i].by_serial);
	}
	free(gs);
	index_free(&x);
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ncases; i++) {
		struct acase *c = &a->cases[i];
		for (size_t k = 0; k < c->ndevs; k++) {
			struct device *d = &c->devs[k];
			for (size_t n = 0; n < d->nns; n++) {
				free(d->ns[n].mountpoints.v);
				free(d->ns[n].fstab.v);
			}
			free(d->ns);
			free(d->ev.v);
		}
		free(c->devs);
		for (size_t k = 0; k < c->nfinds; k++)
			free(c->finds[k].ev.v);
		free(c->finds);
		free(c->events);
	}
	free(a->cases);
	memset(a, 0, sizeof(*a));
}
