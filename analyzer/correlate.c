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

#include "util.h"
#include "when.h"
#include "timeline.h"
#include "uuid.h"

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

/* ---- small containers ------------------------------------------------ */

#define PUSH(arr, n, item)                                            \
	do {                                                          \
		(arr) = xrealloc((arr), ((n) + 1) * sizeof(*(arr)));  \
		(arr)[(n)++] = (item);                                \
	} while (0)

static void ev_add(struct evlist *l, const struct evidence *ev)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].bundle == ev->bundle && l->v[i].member == ev->member &&
		    l->v[i].line == ev->line)
			return;
	PUSH(l->v, l->n, *ev);
}

static void str_add(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	PUSH(l->v, l->n, s);
}

/* Facts of one type, indexed once: lookups walk these short arrays. */
struct fl {
	const struct fact **v; /* in fact order */
	size_t n;
	const struct fact **byb; /* the same, by bundle (fact order within one) */
};

static int byb_cmp(const void *a, const void *b)
{
	const struct fact *x = *(const struct fact *const *)a, *y = *(const struct fact *const *)b;
	if (x->ev.bundle != y->ev.bundle)
		return x->ev.bundle < y->ev.bundle ? -1 : 1;
	return x < y ? -1 : x > y; /* facts sit in one array: its order */
}

/* The facts of bundle b are l->byb[*lo .. return value). A batch holds
 * hundreds of bundles: per-bundle lookups must not scan them all. */
static size_t fl_range(const struct fl *l, uint32_t b, size_t *lo)
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

/* for each index i of bundle b's facts in l->byb */
#define FOR_BUNDLE(i, l, b) \
	for (size_t i##_lo, i##_hi = fl_range((l), (b), &i##_lo), i = i##_lo; i < i##_hi; i++)

struct index {
	struct model *m;
	struct fl vmx_name, vmx_bios, vmx_nvdimm, vmdk_uuid, vmdk_extent, esx_host, vmlog;
	struct fl dimm, region, mapping, ns, blkid, mount, fstab, ghost, guname, gsys, gserial,
		gproduct, gsmbios, collected, pmem_out, dax, esx_fs;
	/* vmdk descriptors by bundle and member, by bundle and the member's
	 * last one or two path parts (PMem datastores only), and their sizes */
	struct strmap desc_exact, desc_tail, desc_size;
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

static void index_build(struct index *x, struct model *m)
{
	static const struct {
		const char *type;
		size_t off;
	} map[] = {
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
	const size_t ntypes = sizeof(map) / sizeof(map[0]);
	const char *types[sizeof(map) / sizeof(map[0])];
	memset(x, 0, sizeof(*x));
	x->m = m;
	for (size_t k = 0; k < ntypes; k++)
		types[k] = model_str(m, map[k].type); /* fact types are interned */
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		for (size_t k = 0; k < ntypes; k++) {
			if (f->type != types[k])
				continue;
			struct fl *l = (struct fl *)((char *)x + map[k].off);
			PUSH(l->v, l->n, f);
		}
	}
	for (size_t k = 0; k < ntypes; k++) {
		struct fl *l = (struct fl *)((char *)x + map[k].off);
		l->byb = xcalloc(l->n + 1, sizeof(*l->byb));
		if (l->n)
			memcpy(l->byb, l->v, l->n * sizeof(*l->v));
		qsort(l->byb, l->n, sizeof(*l->byb), byb_cmp);
	}
	descriptor_index(x);
}

static void index_free(struct index *x)
{
	struct fl *lists[] = { &x->vmx_name, &x->vmx_bios, &x->vmx_nvdimm, &x->vmdk_uuid,
			       &x->vmdk_extent, &x->esx_host, &x->vmlog, &x->dimm, &x->region,
			       &x->mapping, &x->ns, &x->blkid, &x->mount, &x->fstab, &x->ghost,
			       &x->guname, &x->gsys, &x->gserial, &x->gproduct, &x->gsmbios,
			       &x->collected, &x->pmem_out, &x->dax, &x->esx_fs };
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		free(lists[i]->v);
		free(lists[i]->byb);
	}
	strmap_free(&x->desc_exact);
	strmap_free(&x->desc_tail);
	strmap_free(&x->desc_size);
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
	struct evlist ev;
};

struct vm {
	uint32_t bundle;
	const char *member; /* the .vmx, or NULL for a transcript's vmdks */
	const char *name, *bios_uuid, *host, *dir;
	const char *bios_swapped; /* bios_uuid as a SMBIOS >= 2.6 guest reads it */
	struct hdev *devs;
	size_t ndevs;
	bool uuids_missing; /* slots whose descriptor UUID we never saw */
	struct evlist ev;
};

static struct hdev *slot_get(struct vm *v, const char *slot)
{
	for (size_t i = 0; i < v->ndevs; i++)
		if (!strcmp(v->devs[i].slot, slot))
			return &v->devs[i];
	struct hdev h;
	memset(&h, 0, sizeof(h));
	h.slot = slot;
	sscanf(slot, "nvdimm%u:%u", &h.ctl, &h.unit);
	PUSH(v->devs, v->ndevs, h);
	return &v->devs[v->ndevs - 1];
}

static int hdev_cmp(const void *a, const void *b)
{
	const struct hdev *x = a, *y = b;
	if (x->ctl != y->ctl)
		return x->ctl < y->ctl ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	return strcmp(x->vmdk ? x->vmdk : "", y->vmdk ? y->vmdk : "");
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
	FOR_BUNDLE(i, &x->esx_fs, desc->ev.bundle) {
		const struct fact *f = x->esx_fs.byb[i];
		const char *type = get(f, "type"), *mount = get(f, "mount"), *name = get(f, "name");
		const char *base = mount ? strrchr(mount, '/') : NULL;
		if (f->ev.bundle == desc->ev.bundle && type && !strcmp(type, "PMEM") &&
		    ((base && !strcmp(base + 1, ds)) || (name && !strcmp(name, ds))))
			return true;
	}
	return false;
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

/* A vmkfstools -J getuuid result from a transcript for this vmx fileName:
 * the same absolute path, or the same "<dir>/<file>" tail. */
static const struct fact *pasted_uuid(struct index *x, const char *file, bool *used)
{
	const char *base = strrchr(file, '/');
	const char *tail = file;
	for (const char *s = base; s && s > file; s--)
		if (*(s - 1) == '/') {
			tail = s;
			break;
		}
	for (size_t i = 0; i < x->vmdk_uuid.n; i++) {
		const struct fact *f = x->vmdk_uuid.v[i];
		const char *p = get(f, "vmdk");
		if (!p || x->m->bundles[f->ev.bundle].kind != KIND_TRANSCRIPT)
			continue;
		size_t pl = strlen(p), tl = strlen(tail);
		if (!strcmp(p, file) || (base && pl >= tl && !strcmp(p + pl - tl, tail) &&
					 (pl == tl || p[pl - tl - 1] == '/'))) {
			used[i] = true;
			return f;
		}
	}
	return NULL;
}

static void host_vms(struct index *x, struct vm **out, size_t *nout)
{
	struct model *m = x->m;
	struct vm *vms = NULL;
	size_t n = 0;
	bool *used_pasted = xcalloc(x->vmdk_uuid.n + 1, sizeof(bool));
	struct strmap by_vmx;

	strmap_init(&by_vmx);
	/* every .vmx seen in a vm-support bundle */
	const struct fl *lists[] = { &x->vmx_name, &x->vmx_bios, &x->vmx_nvdimm };
	for (size_t l = 0; l < 3; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct fact *f = lists[l]->v[i];
			if (m->bundles[f->ev.bundle].kind != KIND_VMSUPPORT)
				continue;
			/* the VM of this .vmx: (bundle, interned member) -> index + 1 */
			struct { uint32_t bundle; const char *member; } key;
			memset(&key, 0, sizeof(key));
			key.bundle = f->ev.bundle;
			key.member = f->ev.member;
			struct strmap_ent *e = strmap_get(&by_vmx, &key, sizeof(key), true);
			size_t k = e->count ? e->count - 1 : n;
			if (k == n) {
				e->count = n + 1;
				struct vm v;
				memset(&v, 0, sizeof(v));
				v.bundle = f->ev.bundle;
				v.member = f->ev.member;
				char *d = dir_of(f->ev.member);
				v.dir = model_str(m, d);
				free(d);
				const struct fact *h = first(&x->esx_host, v.bundle, NULL, NULL);
				v.host = get(h, "hostname");
				PUSH(vms, n, v);
			}
			struct vm *v = &vms[k];
			if (!strcmp(f->type, "vmx.name")) {
				v->name = get(f, "name");
				ev_add(&v->ev, &f->ev);
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
				const char *dev = get(f, "device"), *prop = get(f, "prop"),
					   *val = get(f, "value");
				if (!dev || !prop || !val || !strchr(dev, ':'))
					continue; /* controller keys */
				struct hdev *h = slot_get(v, dev);
				ev_add(&h->ev, &f->ev);
				if (!strcasecmp(prop, "fileName"))
					h->vmdk = val;
				else if (!strcasecmp(prop, "size"))
					parse_u64(val, &h->size), h->size *= 1024 * 1024;
				else if (!strcasecmp(prop, "present") && !strcasecmp(val, "FALSE"))
					h->unit = 1u << 30; /* marked for removal below */
			}
		}
	}
	for (size_t k = 0; k < n; k++) {
		struct vm *v = &vms[k];
		size_t o = 0;
		for (size_t i = 0; i < v->ndevs; i++) {
			struct hdev *h = &v->devs[i];
			if (h->unit == 1u << 30 || !h->vmdk) {
				free(h->ev.v);
				continue;
			}
			const struct fact *d = find_descriptor(x, v, h->vmdk);
			if (d) {
				h->uuid = get(d, "uuid");
				h->serial = get(d, "serial");
				ev_add(&h->ev, &d->ev);
				if (!h->size)
					h->size = descriptor_size(x, d);
			} else if ((d = pasted_uuid(x, h->vmdk, used_pasted))) {
				/* vmkfstools output pasted next to the bundle names this file */
				h->uuid = get(d, "uuid");
				h->serial = get(d, "serial");
				ev_add(&h->ev, &d->ev);
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
	 * per name stem */
	for (size_t i = 0; i < x->vmdk_uuid.n; i++) {
		const struct fact *f = x->vmdk_uuid.v[i];
		if (m->bundles[f->ev.bundle].kind != KIND_TRANSCRIPT || used_pasted[i])
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
		char *name = xstrndup(base, stem);
		const char *iname = model_str(m, name);
		free(name);
		size_t k;
		for (k = 0; k < n; k++)
			if (vms[k].bundle == f->ev.bundle && !vms[k].member && vms[k].name == iname)
				break;
		if (k == n) {
			struct vm v;
			memset(&v, 0, sizeof(v));
			v.bundle = f->ev.bundle;
			v.name = iname;
			PUSH(vms, n, v);
		}
		struct hdev h;
		memset(&h, 0, sizeof(h));
		h.vmdk = file ? file : "";
		h.uuid = get(f, "uuid");
		h.serial = get(f, "serial");
		h.unit = unit;
		ev_add(&h.ev, &f->ev);
		PUSH(vms[k].devs, vms[k].ndevs, h);
		qsort(vms[k].devs, vms[k].ndevs, sizeof(struct hdev), hdev_cmp);
	}
	free(used_pasted);
	strmap_free(&by_vmx);
	*out = vms;
	*nout = n;
}

/* ---- guest side ------------------------------------------------------ */

struct guest {
	uint32_t bundle;
	const char *hostname, *system_uuid, *vmware_serial, *product_uuid, *collected;
	bool has_ndctl; /* any ndctl output, even empty */
	const struct fact **dimms;
	const char **serials; /* of each dimm, interned, or NULL */
	size_t ndimms;
};

static int dimm_cmp(const void *a, const void *b)
{
	const char *x = get(*(const struct fact *const *)a, "dev");
	const char *y = get(*(const struct fact *const *)b, "dev");
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static void guests(struct index *x, struct guest **out, size_t *nout)
{
	struct model *m = x->m;
	struct guest *g = NULL;
	size_t n = 0;

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
		FOR_BUNDLE(i, &x->dimm, b) {
			const struct fact *f = x->dimm.byb[i];
			if (f->ev.bundle != b || !get(f, "dev"))
				continue;
			bool dup = false; /* -vvv and -iBDFHMNRX list the same dimms */
			for (size_t k = 0; k < gg.ndimms && !dup; k++)
				dup = !strcmp(get(gg.dimms[k], "dev"), get(f, "dev"));
			if (!dup)
				PUSH(gg.dimms, gg.ndimms, f);
		}
		if (gg.ndimms)
			qsort(gg.dimms, gg.ndimms, sizeof(*gg.dimms), dimm_cmp);
		gg.serials = xcalloc(gg.ndimms + 1, sizeof(*gg.serials));
		for (size_t k = 0; k < gg.ndimms; k++)
			gg.serials[k] = get(gg.dimms[k], "serial");
		PUSH(g, n, gg);
	}
	*out = g;
	*nout = n;
}

/* ---- time ----------------------------------------------------------- */

/* The bundle's collection time: the first one that is a real time (a
 * bad one was reported by check_times). */
static const char *bundle_time(struct index *x, uint32_t b)
{
	FOR_BUNDLE(i, &x->collected, b) {
		const char *t = get(x->collected.byb[i], "time");
		if (parse_utc(t) >= 0)
			return t;
	}
	return NULL;
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
	int64_t ta = parse_utc(bundle_time(x, a)), tb = parse_utc(bundle_time(x, b));
	if (ta < 0 || tb < 0)
		return INT64_MAX / 2;
	return ta > tb ? ta - tb : tb - ta;
}

/* ---- pairing --------------------------------------------------------- */

/* The strings compared here and in shared_serials are interned in the
 * model: equal text is the same pointer, and pairing every guest with
 * every VM of a batch stays cheap. */
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
	size_t n = 0;
	for (size_t i = 0; i < v->ndevs; i++)
		for (size_t k = 0; v->devs[i].serial && k < g->ndimms; k++)
			n += g->serials[k] == v->devs[i].serial;
	return n;
}

static bool same_name(const struct vm *v, const struct guest *g)
{
	if (!v->name || !g->hostname)
		return false;
	size_t a = strcspn(v->name, "."), b = strcspn(g->hostname, ".");
	return a == b && !strncasecmp(v->name, g->hostname, a);
}

/* ---- building a case ------------------------------------------------- */

struct ctx {
	struct index *x;
	struct model *m;
	struct acase *c;
};

void case_finding(struct model *m, struct acase *c, enum severity sev, const char *code,
		  const struct evidence *ev, size_t nev, const char *fmt, ...)
{
	struct finding f;
	va_list ap;
	char msg[1536];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.severity = sev;
	f.code = code;
	f.message = model_str(m, msg);
	for (size_t i = 0; i < nev; i++)
		ev_add(&f.ev, &ev[i]);
	PUSH(c->finds, c->nfinds, f);
	if (sev == SEV_ERROR)
		c->errors++;
	else if (sev == SEV_WARNING)
		c->warnings++;
}

static void finding(struct ctx *cx, enum severity sev, const char *code, const struct evlist *ev,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void finding(struct ctx *cx, enum severity sev, const char *code, const struct evlist *ev,
		    const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	case_finding(cx->m, cx->c, sev, code, ev ? ev->v : NULL, ev ? ev->n : 0, "%s", msg);
}

static bool is_kernel_name(const char *spec)
{
	return spec && (str_has_prefix(spec, "/dev/pmem") || str_has_prefix(spec, "/dev/dax"));
}

/* Follow nmem -> region -> namespaces -> devices -> filesystems -> mounts. */
static void guest_chain(struct ctx *cx, uint32_t b, const struct fact *dimm, struct device *d)
{
	struct index *x = cx->x;
	const char *nmem = get(dimm, "dev");
	uint64_t size;

	d->nmem = nmem;
	d->dimm_id = get(dimm, "id");
	ev_add(&d->ev, &dimm->ev);
	const struct fact *mp = first(&x->mapping, b, "dimm", nmem);
	if (!mp)
		return;
	ev_add(&d->ev, &mp->ev);
	d->region = get(mp, "region");
	const struct fact *rg = first(&x->region, b, "dev", d->region);
	if (rg && parse_u64(get(rg, "size") ? get(rg, "size") : "", &size))
		d->size_guest = size;
	else if (parse_u64(get(mp, "length") ? get(mp, "length") : "", &size))
		d->size_guest = size;
	if (rg)
		ev_add(&d->ev, &rg->ev);

	FOR_BUNDLE(i, &x->ns, b) {
		const struct fact *f = x->ns.byb[i];
		const char *region = get(f, "region"), *dev = get(f, "dev");
		if (f->ev.bundle != b || !region || strcmp(region, d->region) || !dev)
			continue;
		const char *state = get(f, "state"), *sz = get(f, "size");
		if (state && !strcmp(state, "disabled") && sz && !strcmp(sz, "0"))
			continue; /* the zero-size seed namespace of ndctl list -i */
		bool dup = false;
		for (size_t k = 0; k < d->nns && !dup; k++)
			dup = !strcmp(d->ns[k].dev, dev);
		if (dup)
			continue;
		struct nsinfo ns;
		memset(&ns, 0, sizeof(ns));
		ns.dev = dev;
		ns.mode = get(f, "mode");
		ns.blockdev = get(f, "blockdev");
		ns.chardev = get(f, "chardev");
		ev_add(&d->ev, &f->ev);
		if (!ns.chardev && !ns.blockdev) {
			/* ndctl list -X names the dax device inside "daxregion" */
			const struct fact *dx = first(&x->dax, b, "namespace", dev);
			if (dx) {
				ns.chardev = get(dx, "chardev");
				ev_add(&d->ev, &dx->ev);
			}
		}
		char *node = ns.blockdev ? xasprintf("/dev/%s", ns.blockdev) : NULL;
		const struct fact *bl = node ? first(&x->blkid, b, "device", node) : NULL;
		if (bl) {
			ns.fs_uuid = get(bl, "fs_uuid");
			ns.label = get(bl, "label");
			ns.fstype = get(bl, "fstype");
			ev_add(&d->ev, &bl->ev);
		}
		char *by_uuid = ns.fs_uuid ? xasprintf("UUID=%s", ns.fs_uuid) : NULL;
		char *by_label = ns.label ? xasprintf("LABEL=%s", ns.label) : NULL;
		char *by_path = ns.fs_uuid ? xasprintf("/dev/disk/by-uuid/%s", ns.fs_uuid) : NULL;
		const char *names[] = { node, by_uuid, by_label, by_path };
		FOR_BUNDLE(k, &x->mount, b) {
			const struct fact *mt = x->mount.byb[k];
			const char *src = get(mt, "source");
			for (size_t j = 0; mt->ev.bundle == b && src && j < 4; j++)
				if (names[j] && !strcmp(src, names[j])) {
					str_add(&ns.mountpoints, get(mt, "target"));
					ev_add(&d->ev, &mt->ev);
				}
		}
		FOR_BUNDLE(k, &x->fstab, b) {
			const struct fact *ft = x->fstab.byb[k];
			const char *spec = get(ft, "spec");
			for (size_t j = 0; ft->ev.bundle == b && spec && j < 4; j++)
				if (names[j] && !strcmp(spec, names[j])) {
					char *line = xasprintf("%s %s %s %s", spec, get(ft, "file"),
							       get(ft, "vfstype"),
							       get(ft, "options") ? get(ft, "options") : "");
					str_add(&ns.fstab, model_str(cx->m, line));
					free(line);
					ev_add(&d->ev, &ft->ev);
				}
		}
		free(node);
		free(by_uuid);
		free(by_label);
		free(by_path);
		PUSH(d->ns, d->nns, ns);
	}
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

/*
 * A mount by kernel name: say which device it would reach if each other
 * vPMem were removed, assuming the guest numbers devices in slot order
 * (the renumbering the seed article warns about).
 */
static void kernel_name_finding(struct ctx *cx, size_t i, const char *node, const char *how)
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
	for (size_t r = 0; r < i; r++) {
		/* removing an earlier device shifts every later one down by one:
		 * this name then belongs to the device after this one */
		if (c->devs[r].status == ST_GUEST_ONLY)
			continue;
		const struct device *next = i + 1 < c->ndevs ? &c->devs[i + 1] : NULL;
		if (next && kernel_node(next, other, sizeof(other)))
			buf_printf(&msg, " If %s were removed, %s would reach %s instead.",
				   dev_label(&c->devs[r]), node, dev_label(next));
		else
			buf_printf(&msg, " If %s were removed, %s would no longer exist and %s would "
				   "take the name of the device before it: this mount would fail.",
				   dev_label(&c->devs[r]), node, dev_label(d));
	}
	const struct nsinfo *ns = d->nns ? &d->ns[0] : NULL;
	if (ns && ns->fs_uuid)
		buf_printf(&msg, " Mount by UUID=%s instead.", ns->fs_uuid);
	else
		buf_puts(&msg, " Mount by UUID= or LABEL= instead.");
	finding(cx, SEV_WARNING, "mount-by-kernel-name", &d->ev, "%s", msg.data);
	buf_free(&msg);
}

/*
 * Mounts by kernel name: say which device each would reach if another
 * vPMem were removed, assuming the guest numbers devices in slot order
 * (the renumbering the seed article warns about).
 */
static void kernel_name_findings(struct ctx *cx)
{
	struct acase *c = cx->c;
	char node[64];

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
				kernel_name_finding(cx, i, node, how);
				free(how);
			}
		}
	}
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
	char node[64];

	FOR_BUNDLE(k, &x->fstab, b) {
		const struct fact *ft = x->fstab.byb[k];
		const char *spec = get(ft, "spec"), *opts = get(ft, "options");
		if (ft->ev.bundle != b || !spec)
			continue;
		bool kernel = is_kernel_name(spec);
		bool dax_uuid = str_has_prefix(spec, "UUID=") && opts && strstr(opts, "dax");
		if (!kernel && !dax_uuid)
			continue;
		bool found = false;
		for (size_t i = 0; i < c->ndevs && !found; i++)
			for (size_t n = 0; n < c->devs[i].nns && !found; n++) {
				const struct nsinfo *ns = &c->devs[i].ns[n];
				if (kernel && ns->blockdev) {
					snprintf(node, sizeof(node), "/dev/%s", ns->blockdev);
					found = !strcmp(node, spec);
				}
				if (kernel && !found && ns->chardev) {
					snprintf(node, sizeof(node), "/dev/%s", ns->chardev);
					found = !strcmp(node, spec);
				}
				if (dax_uuid && ns->fs_uuid)
					found = !strcmp(spec + 5, ns->fs_uuid);
			}
		if (found)
			continue;
		struct evlist ev = { 0 };
		ev_add(&ev, &ft->ev);
		finding(cx, SEV_WARNING, "fstab-device-missing", &ev,
			"/etc/fstab mounts %s on %s, but no pmem namespace of this guest provides %s: "
			"the mount fails at boot%s.",
			spec, get(ft, "file") ? get(ft, "file") : "?", kernel ? "that device" : "that filesystem",
			kernel ? ", or after a renumbering reaches a device it was not meant for" : "");
		free(ev.v);
	}
}

static const char *const ESX_ONELINER =
	"for f in /vmfs/volumes/PMemDS-*/*/*.vmdk; do echo \"$f\"; vmkfstools -J getuuid \"$f\"; done";

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

	/* host devices, in slot order */
	bool *used = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
	bool *ambiguous = g ? xcalloc(g->ndimms + 1, sizeof(bool)) : NULL;
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
			ev_add(&d.ev, &h->ev.v[e]);

		size_t same_host = 0;
		for (size_t k = 0; h->serial && k < v->ndevs; k++)
			same_host += v->devs[k].serial && !strcmp(v->devs[k].serial, h->serial);
		const struct fact *hit = NULL;
		size_t hits = 0;
		for (size_t k = 0; g && h->serial && k < g->ndimms; k++) {
			const char *s = get(g->dimms[k], "serial");
			if (s && !strcmp(s, h->serial)) {
				hit = g->dimms[k];
				used[k] = true;
				hits++;
			}
		}
		if (hit && (same_host > 1 || hits > 1)) {
			/* the serial cannot tell these apart: no chain is presented
			 * as a match; the candidate nmems get rows of their own */
			d.status = ST_AMBIGUOUS;
			d.confidence = CONF_LOW;
			for (size_t k = 0; k < g->ndimms; k++) {
				const char *s = get(g->dimms[k], "serial");
				if (s && !strcmp(s, h->serial))
					ambiguous[k] = true;
			}
		} else if (hit) {
			guest_chain(cx, g->bundle, hit, &d);
			d.status = ST_MATCHED;
			if (d.size_host && d.size_guest && sizes_agree(d.size_host, d.size_guest))
				d.confidence = CONF_HIGH;
			else
				d.confidence = CONF_MEDIUM;
		}
		PUSH(c->devs, c->ndevs, d);
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
		PUSH(c->devs, c->ndevs, d);
	}
	free(used);
	free(ambiguous);

	/* findings */
	bool host_uuids = v && !v->uuids_missing;
	if (v && v->uuids_missing) {
		struct evlist ev = { 0 };
		for (size_t i = 0; i < v->ndevs; i++)
			if (!v->devs[i].uuid && v->devs[i].ev.n)
				ev_add(&ev, &v->devs[i].ev.v[0]);
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
			struct buf cands;
			buf_init(&cands);
			for (size_t k = 0; k < c->ndevs; k++)
				if (c->devs[k].status == ST_AMBIGUOUS && c->devs[k].nmem && c->devs[k].serial &&
				    !strcmp(c->devs[k].serial, d->serial))
					buf_printf(&cands, "%s%s", cands.len ? " or " : "", c->devs[k].nmem);
			bool host_twice = false;
			for (size_t k = 0; k < c->ndevs; k++)
				host_twice |= k != i && c->devs[k].vmdk && c->devs[k].serial &&
					      !strcmp(c->devs[k].serial, d->serial);
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
	kernel_name_findings(cx);
	renumber_findings(cx);
	if (g)
		fstab_findings(cx, g->bundle);

	/* guest bundle older than the VM's last NVDIMM configuration */
	if (v && g && g->collected) {
		const struct fact *last = NULL;
		char *dir = v->member ? dir_of(v->member) : NULL;
		FOR_BUNDLE(i, &x->vmlog, v->bundle) {
			const struct fact *f = x->vmlog.byb[i];
			const char *t = dir ? get(f, "time") : NULL;
			if (f->ev.bundle == v->bundle && t && parse_utc(t) >= 0 && str_has_prefix(f->ev.member, dir) &&
			    f->ev.member[strlen(dir)] == '/' && (!last || strcmp(t, get(last, "time")) > 0))
				last = f;
		}
		free(dir);
		char gt[32];
		snprintf(gt, sizeof(gt), "%s", g->collected);
		if (gt[10] == ' ')
			gt[10] = 'T';
		if (last && strncmp(gt, get(last, "time"), 19) < 0) {
			struct evlist ev = { 0 };
			ev_add(&ev, &last->ev);
			finding(cx, SEV_WARNING, "guest-bundle-older-than-host-change", &ev,
				"The guest bundle was collected at %s (taken as UTC), before the VM's last "
				"NVDIMM configuration at %s: the guest view may predate a device change. "
				"Collect a new guest bundle.",
				g->collected, get(last, "time"));
			free(ev.v);
		}
	}
}

static void sort_findings(struct acase *c)
{
	/* insertion sort: stable, and a case has a handful of findings */
	for (size_t i = 1; i < c->nfinds; i++) {
		struct finding f = c->finds[i];
		size_t k = i;
		while (k > 0 && c->finds[k - 1].severity > f.severity) {
			c->finds[k] = c->finds[k - 1];
			k--;
		}
		c->finds[k] = f;
	}
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

	bool *vm_used = xcalloc(nv + 1, sizeof(bool));
	for (size_t gi = 0; gi < ng; gi++) {
		struct guest *g = &gs[gi];
		int best = -1, rank = 0;
		size_t best_shared = 0;
		int64_t best_gap = 0;
		const char *how = "none";
		for (size_t vi = 0; vi < nv; vi++) {
			size_t shared = shared_serials(&vms[vi], g);
			int r = same_system(&vms[vi], g) ? 3 : shared ? 2 : same_name(&vms[vi], g) ? 1 : 0;
			/* the same VM in host bundles of several dates: the nearest wins */
			int64_t gap = r ? time_gap(&x, vms[vi].bundle, g->bundle) : 0;
			if (r > rank || (r == rank && r && (shared > best_shared ||
							    (shared == best_shared && gap < best_gap)))) {
				rank = r;
				best = (int)vi;
				best_shared = shared;
				best_gap = gap;
			}
		}
		if (rank == 3)
			how = "system-uuid";
		else if (rank == 2)
			how = "serials";
		else if (rank == 1)
			how = "name";
		struct ctx cx = { &x, m, NULL };
		a->cases = xrealloc(a->cases, (a->ncases + 1) * sizeof(*a->cases));
		cx.c = &a->cases[a->ncases++];
		build_case(&cx, best >= 0 ? &vms[best] : NULL, g, how);
		if (best >= 0)
			vm_used[best] = true;
	}
	for (size_t vi = 0; vi < nv; vi++) {
		if (vm_used[vi] || !vms[vi].ndevs)
			continue;
		struct ctx cx = { &x, m, NULL };
		a->cases = xrealloc(a->cases, (a->ncases + 1) * sizeof(*a->cases));
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
	}
	free(vms);
	for (size_t i = 0; i < ng; i++) {
		free(gs[i].dimms);
		free(gs[i].serials);
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
