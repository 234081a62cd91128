/* modelbuild.h - models built fact by fact for the analysis and report
 * tests: the fact types and fields the shipped rules make, so a test
 * states the situation, not the bundle text that leads to it. */
#ifndef PMEMMAP_MODELBUILD_H
#define PMEMMAP_MODELBUILD_H

#include "testutil.h"

static struct model M;

/* ---- building a model ------------------------------------------------- */

static inline uint32_t bundle(const char *path, enum bundle_kind kind)
{
	uint32_t b = model_add_bundle(&M, path, -1);
	M.bundles[b].kind = kind;
	return b;
}

/* fact(b, member, line, type, "key", "value", ..., NULL) */
static inline void fact(uint32_t b, const char *member, unsigned line, const char *type, ...)
{
	struct field f[32];
	size_t n = 0;
	va_list ap;
	va_start(ap, type);
	for (const char *k; n < 32 && (k = va_arg(ap, const char *));) {
		f[n].key = k;
		f[n++].value = va_arg(ap, const char *);
	}
	va_end(ap);
	struct evidence ev = { b, member, line };
	assert_non_null(model_add_fact(&M, type, f, n, KIND_ANY, &ev));
}

#define VMX(vm) "vmfs/volumes/datastore1/" vm "/" vm ".vmx"
#define PMEMDS "/vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/"

/* A .vmx slot backed by file (on the PMem datastore, with a descriptor
 * whose UUID ends in serial) of size_mb MB; uuid NULL: no descriptor. */
static inline void slot(uint32_t b, const char *vm, unsigned unit, const char *file, const char *serial,
		 const char *size_mb)
{
	char dev[32], path[256], member[256], uuid[64];
	snprintf(dev, sizeof(dev), "nvdimm0:%u", unit);
	snprintf(path, sizeof(path), PMEMDS "%s/%s", vm, file);
	fact(b, VMX("x"), 20 + unit, "vmx.nvdimm", "device", dev, "prop", "fileName", "value", path, NULL);
	if (size_mb)
		fact(b, VMX("x"), 40 + unit, "vmx.nvdimm", "device", dev, "prop", "size", "value", size_mb,
		     NULL);
	if (!serial)
		return;
	snprintf(member, sizeof(member), "%s", path + 1);
	snprintf(uuid, sizeof(uuid), "6000c298-42c7-54f8-02c2-d49b%s", serial);
	fact(b, member, 12, "vmdk.uuid", "uuid", uuid, "serial", serial, "datastore",
	     "PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d", "vmdk", file, NULL);
}

/* The facts of one .vmx are its member's: slot() names VMX("x"), so one
 * VM per bundle here, with its name and BIOS UUID. */
static inline void vm(uint32_t b, const char *name, const char *bios)
{
	fact(b, VMX("x"), 1, "vmx.name", "name", name, NULL);
	if (bios)
		fact(b, VMX("x"), 2, "vmx.bios_uuid", "uuid", bios, NULL);
	fact(b, "etc/vmware/esx.conf", 1, "esx.hostname", "hostname", "esx01", NULL);
}

static inline void guest(uint32_t b, const char *hostname, const char *system_uuid, const char *collected)
{
	if (hostname)
		fact(b, "etc/hostname", 1, "guest.hostname", "hostname", hostname, NULL);
	if (system_uuid)
		fact(b, "sys/devices/virtual/dmi/id/product_uuid", 1, "guest.system_uuid", "uuid",
		     system_uuid, NULL);
	if (collected)
		fact(b, "sos_reports/manifest.json", 4, "bundle.collected", "time", collected, "source", "manifest",
		     NULL);
	fact(b, "sos_commands/pmem/ndctl_list_-vvv", 0, "sos.pmem_output", "file", "ndctl_list_-vvv", NULL);
}

/* nmemN with serial (8 hex), in regionR of size bytes, with namespace
 * R.0 in mode, block device pmemR when mode is not devdax. */
static inline void dimm(uint32_t b, unsigned n, const char *serial, const char *size, const char *mode)
{
	char nmem[16], id[32], region[16], ns[24], blk[16];
	snprintf(nmem, sizeof(nmem), "nmem%u", n);
	snprintf(id, sizeof(id), "8902-%s", serial);
	snprintf(region, sizeof(region), "region%u", n);
	snprintf(ns, sizeof(ns), "namespace%u.0", n);
	snprintf(blk, sizeof(blk), "pmem%u", n);
	const char *m = "sos_commands/pmem/ndctl_list_-vvv";
	fact(b, m, 100 + n, "nd.dimm", "dev", nmem, "id", id, "serial", serial, NULL);
	fact(b, m, 200 + n, "nd.mapping", "region", region, "dimm", nmem, "length", size, NULL);
	fact(b, m, 300 + n, "nd.region", "dev", region, "size", size, NULL);
	if (mode)
		fact(b, m, 400 + n, "nd.namespace", "dev", ns, "region", region, "mode", mode, "size", size,
		     !strcmp(mode, "devdax") ? "chardev" : "blockdev",
		     !strcmp(mode, "devdax") ? "dax0.0" : blk, NULL);
}

static inline void fstab(uint32_t b, unsigned line, const char *spec, const char *file)
{
	fact(b, "etc/fstab", line, "guest.fstab", "spec", spec, "file", file, "vfstype", "xfs", "options",
	     "defaults,dax", NULL);
}

static inline void blkid(uint32_t b, unsigned n, const char *uuid)
{
	char dev[24];
	snprintf(dev, sizeof(dev), "/dev/pmem%u", n);
	fact(b, "sos_commands/block/blkid_-c_.dev.null", n + 1, "guest.blkid", "device", dev, "fs_uuid",
	     uuid, "fstype", "xfs", NULL);
}

#define BIOS "421c5e3b-7a90-c1d2-8e4f-a763d5190b2e"
/* the same as a SMBIOS >= 2.6 guest reads it: the first three fields swapped */
#define BIOS_SWAPPED "3b5e1c42-907a-d2c1-8e4f-a763d5190b2e"
#define GIB16 "17179869184"

#endif
