/* hostside.c - VMs and their vPMem devices from the host facts
 * (hostside.h). */
#define _GNU_SOURCE
#include "hostside.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "uuid.h"
#include "when.h"

/* What the host side looks facts up by, built once. */
struct hostidx {
	struct analysis *a;
	const struct factindex *fx;
	/* vmdk descriptors by bundle and member, by bundle and the member's
	 * last one or two path parts (PMem datastores only), and their sizes */
	struct strmap desc_exact, desc_tail, desc_size;
	/* PMem datastores by bundle and name (esx.filesystem of type PMEM) */
	struct strmap pmem_ds;
	/* the latest vmware.log time of each VM folder: "<bundle>\1<dir>" */
	struct strmap vmlog_latest;
	/* host.event by (bundle, VM folder of the log) */
	struct fkey events_by_dir;
	/* descriptors a slot of a VM took (by fact pointer) */
	struct strmap claimed;
	/* "<bundle>\1<folder>" of every file a slot names, present or not: a
	 * file there that no slot names is not attached, not a device */
	struct strmap owned;
};

/* The key "<bundle>\1<text>" in b. */
static void bkey(struct buf *b, uint32_t bundle, const char *text, size_t n)
{
	buf_reset(b);
	buf_printf(b, "%u\x01", bundle);
	buf_append(b, text, n);
}

/* The key "<bundle>\x01<tag><text>" in b. */
static void desc_key(struct buf *b, uint32_t bundle, char tag, const char *text)
{
	buf_reset(b);
	buf_printf(b, "%u\x01%c%s", bundle, tag, text);
}

static void pmem_datastores(struct hostidx *x)
{
	const struct fl *fs = &x->fx->t[FT_ESX_FILESYSTEM];
	struct buf k;
	buf_init(&k);
	strmap_init(&x->pmem_ds);
	for (size_t i = 0; i < fs->n; i++) {
		const struct fact *f = fs->v[i];
		const char *type = fget(f, FF_ESX_FILESYSTEM_TYPE), *mount = fget(f, FF_ESX_FILESYSTEM_MOUNT);
		const char *name = fget(f, FF_ESX_FILESYSTEM_NAME);
		if (!type || strcmp(type, "PMEM"))
			continue;
		if (mount && strchr(mount, '/')) {
			const char *b = path_base(mount);
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

/* Is this descriptor on the host's PMem datastore (named PMemDS-..., or
 * a datastore that df / esxcli list with type PMEM)? */
static bool on_pmem_datastore(struct hostidx *x, const struct fact *desc)
{
	const char *ds = fget(desc, FF_VMDK_UUID_DATASTORE);
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

/* A descriptor under "<file>" and "<dir>/<file>" of its member path. */
static void desc_tails(struct hostidx *x, struct buf *k, const struct fact *f)
{
	const char *mem = f->ev.member, *cut = mem + strlen(mem);
	for (int parts = 1; parts <= 2; parts++) {
		while (cut > mem && cut[-1] != '/')
			cut--;
		if (cut == mem)
			break; /* no '/' before this part */
		desc_key(k, f->ev.bundle, (char)('0' + parts), cut);
		struct strmap_ent *e = strmap_get(&x->desc_tail, k->data, k->len, true);
		if (!e->val)
			e->val = f;
		e->count++;
		cut--; /* onto the '/' */
	}
}

static void descriptor_index(struct hostidx *x)
{
	const struct fl *uuids = &x->fx->t[FT_VMDK_UUID], *extents = &x->fx->t[FT_VMDK_EXTENT];
	struct buf k;
	buf_init(&k);
	strmap_init(&x->desc_exact);
	strmap_init(&x->desc_tail);
	strmap_init(&x->desc_size);
	for (size_t i = 0; i < uuids->n; i++) {
		const struct fact *f = uuids->v[i];
		desc_key(&k, f->ev.bundle, 'm', f->ev.member);
		struct strmap_ent *e = strmap_get(&x->desc_exact, k.data, k.len, true);
		if (!e->val) /* the first one wins, as a scan in order would */
			e->val = f;
		if (on_pmem_datastore(x, f))
			desc_tails(x, &k, f);
	}
	for (size_t i = 0; i < extents->n; i++) {
		const struct fact *f = extents->v[i];
		uint64_t n;
		const char *sectors = fget(f, FF_VMDK_EXTENT_SECTORS);
		if (!sectors || !parse_u64(sectors, &n))
			continue;
		desc_key(&k, f->ev.bundle, 'm', f->ev.member);
		strmap_get(&x->desc_size, k.data, k.len, true)->count += n * 512;
	}
	buf_free(&k);
}

/* The latest real time in each VM folder's vmware logs: the folder of the
 * log itself (vmware.log sits next to the .vmx). */
static void vmlog_index(struct hostidx *x)
{
	const struct fl *logs = &x->fx->t[FT_ESX_VMLOG];
	struct buf k;
	buf_init(&k);
	strmap_init(&x->vmlog_latest);
	for (size_t i = 0; i < logs->n; i++) {
		const struct fact *f = logs->v[i];
		const char *t = fget(f, FF_ESX_VMLOG_TIME), *slash = strrchr(f->ev.member, '/');
		if (!t || !slash || parse_utc(t) < 0)
			continue;
		bkey(&k, f->ev.bundle, f->ev.member, (size_t)(slash - f->ev.member));
		struct strmap_ent *e = strmap_get(&x->vmlog_latest, k.data, k.len, true);
		if (!e->val || strcmp(t, fget(e->val, FF_ESX_VMLOG_TIME)) > 0)
			e->val = f;
	}
	buf_free(&k);
}

static void hostidx_free(struct hostidx *x)
{
	struct strmap *maps[] = { &x->desc_exact, &x->desc_tail, &x->desc_size, &x->pmem_ds, &x->vmlog_latest,
				  &x->claimed, &x->owned };
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		strmap_free(maps[i]);
	fkey_free(&x->events_by_dir);
}

static void claim(struct hostidx *x, const struct fact *desc)
{
	strmap_get(&x->claimed, &desc, sizeof(desc), true);
}

static bool claimed(struct hostidx *x, const struct fact *desc)
{
	return strmap_get(&x->claimed, &desc, sizeof(desc), false) != NULL;
}

/* ---- the devices of one VM -------------------------------------------- */

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

/* The descriptor the vmx's fileName points at, by member path; else the
 * one descriptor on a PMem datastore with the same "<vmdir>/<file>". */
static const struct fact *find_descriptor(struct hostidx *x, const struct vm *v, const char *file)
{
	struct buf k;
	char *want = file[0] == '/' ? xstrdup(file + 1) : xasprintf("%s/%s", v->dir, file);

	buf_init(&k);
	desc_key(&k, v->bundle, 'm', want);
	const struct strmap_ent *e = strmap_get(&x->desc_exact, k.data, k.len, false);
	if (!e) {
		/* the datastore may be named by UUID on one side and by label on
		 * the other: fall back to "<vmdir>/<file>" when that is unique.
		 * Only a descriptor on a PMem datastore can back an NVDIMM: the OS
		 * disk often has the same "<vm>/<vm>.vmdk" tail. */
		const char *tail = want;
		int slashes = 0;
		for (const char *s = want + strlen(want); s > want; s--)
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

static uint64_t descriptor_size(struct hostidx *x, const struct fact *desc)
{
	struct buf k;
	buf_init(&k);
	desc_key(&k, desc->ev.bundle, 'm', desc->ev.member);
	const struct strmap_ent *e = strmap_get(&x->desc_size, k.data, k.len, false);
	buf_free(&k);
	return e ? e->count : 0;
}

/* ---- pasted getuuid results --------------------------------------------- */

/* vmkfstools -J getuuid results, by their path and by its "<dir>/<file>"
 * tail (the first one of each, in fact order): pasted in transcripts, for
 * the slots of any bundle, and listed in a host bundle by `pmemmap collect
 * esxi` (commands/vmkfstools_-J_getuuid.txt), for that bundle's slots. */
struct pasted {
	struct strmap exact, tail;
	bool *used; /* by index into the vmdk.uuid list */
};

/* "<bundle>\1<path>" for a host bundle's own listing, "\1<path>" for
 * pasted text. */
static void pasted_key(struct buf *k, bool own, uint32_t bundle, const char *path)
{
	buf_reset(k);
	if (own)
		buf_printf(k, "%u", bundle);
	buf_printf(k, "\x01%s", path);
}

/* A getuuid result: a transcript's, or a host bundle's own (own set); a
 * descriptor's vmdk.uuid names its datastore and a file name, not a path. */
static bool getuuid_fact(const struct hostidx *x, const struct fact *f, bool *own)
{
	const char *v = fget(f, FF_VMDK_UUID_VMDK);
	enum bundle_kind kind = x->a->m->bundles[f->ev.bundle].kind;
	*own = kind == KIND_VMSUPPORT;
	if (!v)
		return false;
	return kind == KIND_TRANSCRIPT || (*own && v[0] == '/' && !fget(f, FF_VMDK_UUID_DATASTORE));
}

static void pasted_index(struct hostidx *x, struct pasted *p)
{
	const struct fl *uuids = &x->fx->t[FT_VMDK_UUID];
	struct buf k;
	buf_init(&k);
	strmap_init(&p->exact);
	strmap_init(&p->tail);
	p->used = xcalloc(uuids->n + 1, sizeof(bool));
	for (size_t i = 0; i < uuids->n; i++) {
		const struct fact *f = uuids->v[i];
		bool own;
		if (!getuuid_fact(x, f, &own))
			continue;
		const char *v = fget(f, FF_VMDK_UUID_VMDK);
		pasted_key(&k, own, f->ev.bundle, v);
		struct strmap_ent *e = strmap_get(&p->exact, k.data, k.len, true);
		if (!e->count)
			e->count = i + 1;
		pasted_key(&k, own, f->ev.bundle, tail2(v));
		e = strmap_get(&p->tail, k.data, k.len, true);
		if (!e->count)
			e->count = i + 1;
	}
	buf_free(&k);
}

static void pasted_free(struct pasted *p)
{
	strmap_free(&p->exact);
	strmap_free(&p->tail);
	free(p->used);
}

/* The getuuid result (index + 1) of one origin for this vmx fileName:
 * the same absolute path, or the same "<dir>/<file>" tail; the first in
 * fact order when both are there. 0: none. */
static size_t pasted_find(struct pasted *p, struct buf *k, bool own, uint32_t bundle, const char *file)
{
	pasted_key(k, own, bundle, file);
	const struct strmap_ent *e = strmap_get(&p->exact, k->data, k->len, false);
	size_t best = e ? e->count : 0;
	if (strchr(file, '/')) {
		const char *t = tail2(file);
		pasted_key(k, own, bundle, t);
		/* a tail of one part ("/x.vmdk") matches only that path itself */
		if (strchr(t, '/') && (e = strmap_get(&p->tail, k->data, k->len, false)) && (!best || e->count < best))
			best = e->count;
	}
	return best;
}

/* A vmkfstools -J getuuid result for this vmx fileName of a VM of bundle:
 * that bundle's own listing first, else pasted text. */
static const struct fact *pasted_uuid(struct hostidx *x, struct pasted *p, uint32_t bundle, const char *file)
{
	struct buf k;
	buf_init(&k);
	size_t best = pasted_find(p, &k, true, bundle, file);
	if (!best)
		best = pasted_find(p, &k, false, bundle, file);
	buf_free(&k);
	if (!best)
		return NULL;
	p->used[best - 1] = true;
	return x->fx->t[FT_VMDK_UUID].v[best - 1];
}

/* ---- VMs of .vmx files ------------------------------------------------ */

struct vms {
	struct vm *v;
	size_t n, cap;
};

static struct vm *vms_add(struct vms *vs, uint32_t bundle)
{
	vs->v = grow(vs->v, &vs->cap, vs->n + 1, sizeof(*vs->v));
	struct vm *v = &vs->v[vs->n++];
	memset(v, 0, sizeof(*v));
	v->bundle = bundle;
	strmap_init(&v->slots);
	return v;
}

/* The VM of a .vmx: made on the first fact of that member. */
static struct vm *vmx_vm(struct hostidx *x, struct strmap *by_vmx, struct vms *vs, const struct fact *f)
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
		return &vs->v[e->count - 1];
	struct vm *v = vms_add(vs, f->ev.bundle);
	e->count = vs->n;
	v->member = f->ev.member;
	char *d = path_dir(f->ev.member);
	v->dir = analysis_str(x->a, d);
	free(d);
	v->host = fget(fl_first(&x->fx->t[FT_ESX_HOSTNAME], v->bundle), FF_ESX_HOSTNAME_HOSTNAME);
	return v;
}

static void vmx_nvdimm(struct vm *v, const struct fact *f)
{
	const char *dev = fget(f, FF_VMX_NVDIMM_DEVICE), *prop = fget(f, FF_VMX_NVDIMM_PROP);
	const char *val = fget(f, FF_VMX_NVDIMM_VALUE);
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

static void vmx_fact(struct analysis *a, struct vm *v, enum fact_type t, const struct fact *f)
{
	if (t == FT_VMX_NAME) {
		v->name = fget(f, FF_VMX_NAME_NAME);
		evlist_add(&v->ev, &f->ev);
	} else if (t == FT_VMX_BIOS_UUID) {
		v->bios_uuid = fget(f, FF_VMX_BIOS_UUID_UUID);
		/* the rules give it canonical (uuid = ...); a rule set that does
		 * not is matched as written, without the SMBIOS byte swap */
		char canon[UUID_STR_LEN + 1], swapped[UUID_STR_LEN + 1];
		if (v->bios_uuid && uuid_normalize(v->bios_uuid, canon)) {
			v->bios_uuid = analysis_str(a, canon);
			uuid_swap_smbios(canon, swapped);
			v->bios_swapped = analysis_str(a, swapped);
		}
	} else {
		vmx_nvdimm(v, f);
	}
}

/* Each slot's .vmdk, UUID and serial, from its descriptor or a pasted
 * getuuid; slots marked not present, or without a file, are dropped. */
static void vm_resolve(struct hostidx *x, struct pasted *p, struct vm *v)
{
	size_t o = 0;
	struct buf k;
	buf_init(&k);
	for (size_t i = 0; i < v->ndevs; i++) {
		struct hdev *h = &v->devs[i];
		/* the folder of the file, without a leading '/': "/x.vmdk"
		 * and "x.vmdk" have none */
		const char *rel = h->vmdk && h->vmdk[0] == '/' ? h->vmdk + 1 : h->vmdk;
		const char *slash = rel ? strrchr(rel, '/') : NULL;
		if (slash) {
			bkey(&k, v->bundle, rel, (size_t)(slash - rel));
			strmap_get(&x->owned, k.data, k.len, true);
		}
		if (h->removed || !h->vmdk) {
			free(h->ev.v);
			continue;
		}
		const struct fact *d = find_descriptor(x, v, h->vmdk);
		bool descriptor = d != NULL;
		if (d)
			claim(x, d);
		if (!d)
			d = pasted_uuid(x, p, v->bundle, h->vmdk); /* vmkfstools output, listed or pasted */
		if (d) {
			h->uuid = fget(d, FF_VMDK_UUID_UUID);
			h->serial = fget(d, FF_VMDK_UUID_SERIAL);
			evlist_add(&h->ev, &d->ev);
			if (descriptor && !h->size)
				h->size = descriptor_size(x, d);
		} else {
			v->uuids_missing = true;
		}
		v->devs[o++] = *h;
	}
	v->ndevs = o;
	if (v->ndevs)
		qsort(v->devs, v->ndevs, sizeof(*v->devs), hdev_cmp);
	buf_free(&k);
}

/* The VM's folder's latest NVDIMM or PMem line of its vmware logs. */
static const struct fact *last_change(struct hostidx *x, const struct vm *v)
{
	struct buf k;
	buf_init(&k);
	bkey(&k, v->bundle, v->dir, strlen(v->dir));
	const struct strmap_ent *e = strmap_get(&x->vmlog_latest, k.data, k.len, false);
	buf_free(&k);
	return e ? e->val : NULL;
}

/* The unit of a file name stem "pmem-guest-001_1" (1), its length cut
 * before the "_1"; unit 0 and the stem up to the first '.' otherwise. */
static unsigned stem_unit(const char *base, size_t *stem)
{
	*stem = strcspn(base, ".");
	const char *us = strrchr(base, '_');
	if (us && (size_t)(us - base) < *stem && isdigit((unsigned char)us[1])) {
		*stem = (size_t)(us - base);
		return (unsigned)atoi(us + 1);
	}
	return 0;
}

/* ---- slots from a VM's log, devices from its PMem folder ---------------- */

static bool names_a_file(const struct vm *v)
{
	for (size_t i = 0; i < v->ndevs; i++)
		if (v->devs[i].vmdk)
			return true;
	return false;
}

static bool is_config(const struct fact *f)
{
	const char *label = fget(f, FF_HOST_EVENT_LABEL);
	return label && !strcmp(label, "nvdimm-config") && fget(f, FF_HOST_EVENT_DEVICE) && fget(f, FF_HOST_EVENT_FILE);
}

/* A VM whose .vmx names no backing file: the slots of the configuration
 * its vmware.log dumped at its latest power-on (the nvdimm-config lines
 * of the log member, in its folder, with the latest time). */
static void slots_from_log(struct hostidx *x, struct vm *v)
{
	if (!v->dir || names_a_file(v))
		return;
	struct fslice ev = fkey_find(&x->events_by_dir, v->bundle, v->dir);
	const struct fact *latest = NULL;
	int64_t best = -1;
	for (size_t i = 0; i < ev.n; i++) {
		int64_t t = parse_utc(fget(ev.v[i], FF_HOST_EVENT_TIME));
		if (is_config(ev.v[i]) && t > best) {
			best = t;
			latest = ev.v[i];
		}
	}
	if (!latest)
		return;
	for (size_t i = 0; i < ev.n; i++) {
		const struct fact *f = ev.v[i];
		if (f->ev.member != latest->ev.member || !is_config(f))
			continue;
		struct hdev *h = slot_get(v, fget(f, FF_HOST_EVENT_DEVICE));
		h->vmdk = fget(f, FF_HOST_EVENT_FILE);
		evlist_add(&h->ev, &f->ev);
	}
	v->slots_from = SLOTS_LOG;
	v->slots_log = latest;
}

/* The device of a descriptor alone: no slot; the unit its file name
 * suggests orders it ("<vm>_1.vmdk" after "<vm>.vmdk"). */
static void descriptor_dev(struct hostidx *x, struct vm *v, const struct fact *d)
{
	struct hdev h;
	size_t stem;
	memset(&h, 0, sizeof(h));
	h.vmdk = analysis_printf(x->a, "/%s", d->ev.member);
	h.uuid = fget(d, FF_VMDK_UUID_UUID);
	h.serial = fget(d, FF_VMDK_UUID_SERIAL);
	h.size = descriptor_size(x, d);
	h.unit = stem_unit(path_base(d->ev.member), &stem);
	evlist_add(&h.ev, &d->ev);
	vm_add_dev(v, &h);
	claim(x, d);
}

/* "<bundle>\1<last part of dir>": a VM folder by its name in a bundle. */
static void folder_key(struct buf *k, uint32_t bundle, const char *dir, size_t n)
{
	const char *base = dir + n;
	while (base > dir && base[-1] != '/')
		base--;
	bkey(k, bundle, base, (size_t)(dir + n - base));
}

/* Descriptors on a PMem datastore that no slot took, by the folder they
 * are in ("vmfs/volumes/<PMem datastore>/<vm folder>/"): a VM of the same
 * folder name without devices takes them, else they are a VM of their own.
 * Their VM then says that its configuration was not read. */
static void datastore_vms(struct hostidx *x, struct vms *vs)
{
	const struct fl *uuids = &x->fx->t[FT_VMDK_UUID];
	struct strmap by_folder;
	struct buf k;

	strmap_init(&by_folder);
	buf_init(&k);
	for (size_t i = 0; i < vs->n; i++) {
		const struct vm *v = &vs->v[i];
		if (v->member && !v->ndevs) {
			folder_key(&k, v->bundle, v->dir, strlen(v->dir));
			strmap_get(&by_folder, k.data, k.len, true)->count = i + 1;
		}
	}
	for (size_t i = 0; i < uuids->n; i++) {
		const struct fact *d = uuids->v[i];
		const char *slash = strrchr(d->ev.member, '/');
		if (x->a->m->bundles[d->ev.bundle].kind != KIND_VMSUPPORT || !slash || claimed(x, d) ||
		    !on_pmem_datastore(x, d))
			continue;
		bkey(&k, d->ev.bundle, d->ev.member, (size_t)(slash - d->ev.member));
		if (strmap_get(&x->owned, k.data, k.len, false))
			continue;
		folder_key(&k, d->ev.bundle, d->ev.member, (size_t)(slash - d->ev.member));
		struct strmap_ent *e = strmap_get(&by_folder, k.data, k.len, true);
		if (!e->count) {
			char *dir = path_dir(d->ev.member);
			struct vm *v = vms_add(vs, d->ev.bundle);
			v->dir = analysis_str(x->a, dir);
			v->name = analysis_str(x->a, path_base(dir));
			v->host = fget(fl_first(&x->fx->t[FT_ESX_HOSTNAME], v->bundle), FF_ESX_HOSTNAME_HOSTNAME);
			free(dir);
			e->count = vs->n;
		}
		struct vm *v = &vs->v[e->count - 1];
		v->slots_from = SLOTS_DATASTORE;
		descriptor_dev(x, v, d);
	}
	for (size_t i = 0; i < vs->n; i++)
		if (vs->v[i].slots_from == SLOTS_DATASTORE)
			qsort(vs->v[i].devs, vs->v[i].ndevs, sizeof(struct hdev), hdev_cmp);
	buf_free(&k);
	strmap_free(&by_folder);
}

/* ---- VMs of pasted text ------------------------------------------------- */


/* vmkfstools output pasted in a transcript, for no bundle's VM: one VM
 * per name stem (pmem-guest-001.vmdk and pmem-guest-001_1.vmdk). */
static void pasted_vms(struct hostidx *x, struct pasted *p, struct vms *vs)
{
	const struct fl *uuids = &x->fx->t[FT_VMDK_UUID];
	struct strmap by_stem; /* (bundle, interned stem) -> index + 1 */
	size_t first_new = vs->n;

	strmap_init(&by_stem);
	for (size_t i = 0; i < uuids->n; i++) {
		const struct fact *f = uuids->v[i];
		if (x->a->m->bundles[f->ev.bundle].kind != KIND_TRANSCRIPT || p->used[i])
			continue;
		const char *file = fget(f, FF_VMDK_UUID_VMDK);
		const char *base = file ? path_base(file) : "unknown.vmdk";
		size_t stem;
		unsigned unit = stem_unit(base, &stem);
		struct {
			uint32_t bundle;
			const char *name;
		} key;
		memset(&key, 0, sizeof(key));
		key.bundle = f->ev.bundle;
		key.name = analysis_intern(x->a, base, stem);
		struct strmap_ent *e = strmap_get(&by_stem, &key, sizeof(key), true);
		if (!e->count) {
			struct vm *v = vms_add(vs, f->ev.bundle);
			v->name = key.name;
			v->slots_from = SLOTS_PASTED;
			e->count = vs->n;
		}
		struct hdev h;
		memset(&h, 0, sizeof(h));
		h.vmdk = file ? file : "";
		h.uuid = fget(f, FF_VMDK_UUID_UUID);
		h.serial = fget(f, FF_VMDK_UUID_SERIAL);
		h.unit = unit;
		evlist_add(&h.ev, &f->ev);
		vm_add_dev(&vs->v[e->count - 1], &h);
	}
	for (size_t k = first_new; k < vs->n; k++)
		qsort(vs->v[k].devs, vs->v[k].ndevs, sizeof(struct hdev), hdev_cmp);
	strmap_free(&by_stem);
}

void vmset_build(struct vmset *hs, struct analysis *a, const struct factindex *fx)
{
	struct hostidx x = { .a = a, .fx = fx };
	struct vms vs = { NULL, 0, 0 };
	struct strmap by_vmx;
	struct pasted p;

	pmem_datastores(&x);
	descriptor_index(&x);
	vmlog_index(&x);
	fkey_build_by_dir(&x.events_by_dir, &fx->t[FT_HOST_EVENT]);
	strmap_init(&x.claimed);
	strmap_init(&x.owned);
	strmap_init(&by_vmx);
	pasted_index(&x, &p);
	/* every .vmx seen in a vm-support bundle */
	static const enum fact_type vmx_types[] = { FT_VMX_NAME, FT_VMX_BIOS_UUID, FT_VMX_NVDIMM };
	for (size_t l = 0; l < 3; l++) {
		const struct fl *list = &fx->t[vmx_types[l]];
		for (size_t i = 0; i < list->n; i++) {
			const struct fact *f = list->v[i];
			if (a->m->bundles[f->ev.bundle].kind == KIND_VMSUPPORT)
				vmx_fact(a, vmx_vm(&x, &by_vmx, &vs, f), vmx_types[l], f);
		}
	}
	for (size_t k = 0; k < vs.n; k++) {
		slots_from_log(&x, &vs.v[k]);
		vm_resolve(&x, &p, &vs.v[k]);
		vs.v[k].last_change = last_change(&x, &vs.v[k]);
	}
	datastore_vms(&x, &vs);
	pasted_vms(&x, &p, &vs);
	pasted_free(&p);
	strmap_free(&by_vmx);
	hostidx_free(&x);
	hs->vms = vs.v;
	hs->n = vs.n;
}

void vmset_free(struct vmset *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		struct vm *v = &hs->vms[i];
		for (size_t k = 0; k < v->ndevs; k++)
			free(v->devs[k].ev.v);
		free(v->devs);
		free(v->ev.v);
		strmap_free(&v->slots);
	}
	free(hs->vms);
	memset(hs, 0, sizeof(*hs));
}
