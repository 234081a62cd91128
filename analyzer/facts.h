/* facts.h - the fact contract: what the analysis reads of the facts.
 *
 * Rules (rules/) and the ndctl JSON parser make facts; the analysis reads
 * some of their types and fields. This table is the one list of those:
 * each type and field with what the analysis takes it for, and whether
 * every maker of the type must give the field (required) or one of them
 * must (optional). The analysis names a field only through it (fget), the
 * index of facts by type is built from it (index.h), `pmemmap rules check`
 * holds a rules folder to it (a rule that renames a field the analysis
 * reads fails the check, naming the rule and the field), and docs/rules.md
 * prints it (tests/doc-check.sh holds the two the same).
 */
#ifndef PMEMMAP_FACTS_H
#define PMEMMAP_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model.h"
#include "util.h"

enum fact_type {
	FT_VMX_NAME,
	FT_VMX_BIOS_UUID,
	FT_VMX_NVDIMM,
	FT_VMDK_UUID,
	FT_VMDK_EXTENT,
	FT_ESX_HOSTNAME,
	FT_ESX_VMLOG,
	FT_ESX_FILESYSTEM,
	FT_HOST_EVENT,
	FT_ND_DIMM,
	FT_ND_REGION,
	FT_ND_MAPPING,
	FT_ND_NAMESPACE,
	FT_DAX_DEVICE,
	FT_GUEST_BLKID,
	FT_GUEST_MOUNT,
	FT_GUEST_FSTAB,
	FT_GUEST_HOSTNAME,
	FT_GUEST_UNAME,
	FT_GUEST_SYSTEM_UUID,
	FT_GUEST_VMWARE_SERIAL,
	FT_GUEST_PRODUCT_UUID,
	FT_GUEST_EVENT,
	FT_GUEST_TIMEZONE,
	FT_BUNDLE_COLLECTED,
	FT_SOS_PMEM_OUTPUT,
	FT_COUNT
};

enum fact_field {
	FF_VMX_NAME_NAME,
	FF_VMX_BIOS_UUID_UUID,
	FF_VMX_NVDIMM_DEVICE,
	FF_VMX_NVDIMM_PROP,
	FF_VMX_NVDIMM_VALUE,
	FF_VMDK_UUID_UUID,
	FF_VMDK_UUID_SERIAL,
	FF_VMDK_UUID_DATASTORE,
	FF_VMDK_UUID_VMDK,
	FF_VMDK_EXTENT_SECTORS,
	FF_ESX_HOSTNAME_HOSTNAME,
	FF_ESX_VMLOG_TIME,
	FF_ESX_FILESYSTEM_TYPE,
	FF_ESX_FILESYSTEM_MOUNT,
	FF_ESX_FILESYSTEM_NAME,
	FF_HOST_EVENT_TIME,
	FF_HOST_EVENT_LABEL,
	FF_HOST_EVENT_MESSAGE,
	FF_HOST_EVENT_DEVICE,
	FF_HOST_EVENT_FILE,
	FF_ND_DIMM_DEV,
	FF_ND_DIMM_ID,
	FF_ND_DIMM_SERIAL,
	FF_ND_REGION_DEV,
	FF_ND_REGION_SIZE,
	FF_ND_MAPPING_DIMM,
	FF_ND_MAPPING_REGION,
	FF_ND_MAPPING_LENGTH,
	FF_ND_NAMESPACE_DEV,
	FF_ND_NAMESPACE_REGION,
	FF_ND_NAMESPACE_MODE,
	FF_ND_NAMESPACE_BLOCKDEV,
	FF_ND_NAMESPACE_CHARDEV,
	FF_ND_NAMESPACE_STATE,
	FF_ND_NAMESPACE_SIZE,
	FF_DAX_DEVICE_NAMESPACE,
	FF_DAX_DEVICE_CHARDEV,
	FF_GUEST_BLKID_DEVICE,
	FF_GUEST_BLKID_FS_UUID,
	FF_GUEST_BLKID_LABEL,
	FF_GUEST_BLKID_FSTYPE,
	FF_GUEST_MOUNT_SOURCE,
	FF_GUEST_MOUNT_TARGET,
	FF_GUEST_FSTAB_SPEC,
	FF_GUEST_FSTAB_FILE,
	FF_GUEST_FSTAB_VFSTYPE,
	FF_GUEST_FSTAB_OPTIONS,
	FF_GUEST_HOSTNAME_HOSTNAME,
	FF_GUEST_UNAME_HOSTNAME,
	FF_GUEST_SYSTEM_UUID_UUID,
	FF_GUEST_VMWARE_SERIAL_UUID,
	FF_GUEST_PRODUCT_UUID_UUID,
	FF_GUEST_EVENT_TIME,
	FF_GUEST_EVENT_LABEL,
	FF_GUEST_EVENT_MESSAGE,
	FF_GUEST_TIMEZONE_TZ,
	FF_GUEST_TIMEZONE_OFFSET,
	FF_BUNDLE_COLLECTED_TIME,
	FF_BUNDLE_COLLECTED_SOURCE,
	FF_COUNT
};

struct fact_type_def {
	const char *name; /* "vmx.nvdimm" */
	const char *meaning; /* what the analysis takes the facts of this type for */
};

struct fact_field_def {
	enum fact_type type;
	const char *name; /* "fileName" */
	bool required; /* every maker of the type gives it (else: one does) */
	const char *meaning;
};

extern const struct fact_type_def fact_types[FT_COUNT];
extern const struct fact_field_def fact_fields[FF_COUNT];

/* Every captured field of this name, of any type, is checked as a time
 * (a time that never was is reported and not used). */
#define FACT_TIME_FIELD "time"

/* Field k of fact f (NULL when f is NULL or has no such field). */
static inline const char *fget(const struct fact *f, enum fact_field k)
{
	return f ? fact_get(f, fact_fields[k].name) : NULL;
}

/* Something that makes facts of one type with these fields (three
 * NULL-terminated lists, any of them NULL): a rule, or the ndctl parser. */
struct fact_maker {
	const char *who; /* "rule [vmx-nvdimm] (rules/10-esxi.rules:20)", "the ndctl JSON parser" */
	const char *type;
	const char *const *fields[3];
};

/* Hold makers to the contract: every type the analysis reads has a maker,
 * every maker gives the required fields of its type, and every optional
 * field has a maker. Each breach is one line in errs naming the maker (or
 * the makers) and the field; returns how many. */
size_t facts_check_makers(const struct fact_maker *mk, size_t n, struct buf *errs);

/* The contract as Markdown tables (docs/rules.md holds this text). */
void facts_contract_md(struct buf *out);

#endif
