/* facts.c - the fact contract (facts.h): the types and fields the analysis
 * reads, and the check of what rules and parsers make against it. */
#include "facts.h"

#include <string.h>

const struct fact_type_def fact_types[FT_COUNT] = {
	[FT_VMX_NAME] = { "vmx.name", "a VM, named by the displayName of its .vmx" },
	[FT_VMX_BIOS_UUID] = { "vmx.bios_uuid", "the VM's uuid.bios: pairs it with a guest's SMBIOS UUID" },
	[FT_VMX_NVDIMM] = { "vmx.nvdimm", "a .vmx key of an NVDIMM slot (nvdimm0:1.fileName, .size, .present)" },
	[FT_VMDK_UUID] = { "vmdk.uuid", "a .vmdk's UUID (descriptor ddb.uuid or vmkfstools -J getuuid)" },
	[FT_VMDK_EXTENT] = { "vmdk.extent", "an extent line of a .vmdk descriptor: the device size" },
	[FT_ESX_HOSTNAME] = { "esx.hostname", "the ESXi host's name" },
	[FT_ESX_VMLOG] = { "esx.vmlog", "an NVDIMM or PMem line of a vmware.log: the VM's last device change" },
	[FT_ESX_FILESYSTEM] = { "esx.filesystem", "a filesystem of the host: which datastores are PMem" },
	[FT_HOST_EVENT] = { "host.event", "a dated event of a vmware.log (power-on, power-off, NVDIMM configuration)" },
	[FT_ND_DIMM] = { "nd.dimm", "a guest nmem device (ndctl list -D)" },
	[FT_ND_REGION] = { "nd.region", "a guest region (ndctl list -R)" },
	[FT_ND_MAPPING] = { "nd.mapping", "a region's mapping onto an nmem" },
	[FT_ND_NAMESPACE] = { "nd.namespace", "a guest namespace (ndctl list -N)" },
	[FT_DAX_DEVICE] = { "dax.device", "a device-dax device of a namespace (ndctl list -X, daxctl list)" },
	[FT_GUEST_BLKID] = { "guest.blkid", "a filesystem on a guest block device (blkid)" },
	[FT_GUEST_MOUNT] = { "guest.mount", "a mounted filesystem (/proc/mounts)" },
	[FT_GUEST_FSTAB] = { "guest.fstab", "an /etc/fstab line" },
	[FT_GUEST_HOSTNAME] = { "guest.hostname", "the guest's host name" },
	[FT_GUEST_UNAME] = { "guest.uname", "the guest's node name (uname -a), when no host name is there" },
	[FT_GUEST_SYSTEM_UUID] = { "guest.system_uuid", "the guest's SMBIOS System UUID (dmidecode)" },
	[FT_GUEST_VMWARE_SERIAL] = { "guest.vmware_serial", "the UUID in the guest's VMware serial number" },
	[FT_GUEST_PRODUCT_UUID] = { "guest.product_uuid", "the guest's /sys/class/dmi/id/product_uuid" },
	[FT_GUEST_EVENT] = { "guest.event", "a dated event of the guest's logs (boot, pmem probe)" },
	[FT_GUEST_TIMEZONE] = { "guest.timezone", "the guest's time zone (timedatectl): its syslog times" },
	[FT_BUNDLE_COLLECTED] = { "bundle.collected", "when the bundle was collected" },
	[FT_SOS_PMEM_OUTPUT] = { "sos.pmem_output", "an output of the sos pmem plugin: ndctl ran" },
};

#define REQ true
#define OPT false

const struct fact_field_def fact_fields[FF_COUNT] = {
	[FF_VMX_NAME_NAME] = { FT_VMX_NAME, "name", REQ, "the VM's name" },
	[FF_VMX_BIOS_UUID_UUID] = { FT_VMX_BIOS_UUID, "uuid", REQ, "uuid.bios, canonical" },
	[FF_VMX_NVDIMM_DEVICE] = { FT_VMX_NVDIMM, "device", REQ, "the slot, nvdimm0:1" },
	[FF_VMX_NVDIMM_PROP] = { FT_VMX_NVDIMM, "prop", REQ, "the key: fileName, size or present" },
	[FF_VMX_NVDIMM_VALUE] = { FT_VMX_NVDIMM, "value", REQ, "its value" },
	[FF_VMDK_UUID_UUID] = { FT_VMDK_UUID, "uuid", REQ, "the .vmdk UUID, canonical" },
	[FF_VMDK_UUID_SERIAL] = { FT_VMDK_UUID, "serial", REQ, "its last 8 hex digits: the guest nmem serial" },
	[FF_VMDK_UUID_DATASTORE] = { FT_VMDK_UUID, "datastore", OPT, "the datastore the descriptor is on" },
	[FF_VMDK_UUID_VMDK] = { FT_VMDK_UUID, "vmdk", OPT, "the .vmdk path a transcript or a getuuid listing names" },
	[FF_VMDK_EXTENT_SECTORS] = { FT_VMDK_EXTENT, "sectors", REQ, "the extent's size in 512-byte sectors" },
	[FF_ESX_HOSTNAME_HOSTNAME] = { FT_ESX_HOSTNAME, "hostname", REQ, "the host name" },
	[FF_ESX_VMLOG_TIME] = { FT_ESX_VMLOG, "time", REQ, "the time of the line" },
	[FF_ESX_FILESYSTEM_TYPE] = { FT_ESX_FILESYSTEM, "type", REQ, "the filesystem type: PMEM" },
	[FF_ESX_FILESYSTEM_MOUNT] = { FT_ESX_FILESYSTEM, "mount", OPT, "its mount point, /vmfs/volumes/<uuid>" },
	[FF_ESX_FILESYSTEM_NAME] = { FT_ESX_FILESYSTEM, "name", OPT, "its volume name, PMemDS-..." },
	[FF_HOST_EVENT_TIME] = { FT_HOST_EVENT, "time", REQ, "when, in UTC" },
	[FF_HOST_EVENT_LABEL] = { FT_HOST_EVENT, "label", REQ, "what: power-on, power-off, nvdimm-config, ..." },
	[FF_HOST_EVENT_MESSAGE] = { FT_HOST_EVENT, "message", OPT, "the log text" },
	[FF_HOST_EVENT_DEVICE] = { FT_HOST_EVENT, "device", OPT, "nvdimm-config: the slot" },
	[FF_HOST_EVENT_FILE] = { FT_HOST_EVENT, "file", OPT, "nvdimm-config: the slot's backing .vmdk" },
	[FF_ND_DIMM_DEV] = { FT_ND_DIMM, "dev", REQ, "nmemN" },
	[FF_ND_DIMM_ID] = { FT_ND_DIMM, "id", OPT, "the dimm id, 8902-206b080c" },
	[FF_ND_DIMM_SERIAL] = { FT_ND_DIMM, "serial", OPT, "the id's last 8 hex digits" },
	[FF_ND_REGION_DEV] = { FT_ND_REGION, "dev", REQ, "regionN" },
	[FF_ND_REGION_SIZE] = { FT_ND_REGION, "size", OPT, "its size in bytes: the guest size" },
	[FF_ND_MAPPING_DIMM] = { FT_ND_MAPPING, "dimm", REQ, "the nmem mapped" },
	[FF_ND_MAPPING_REGION] = { FT_ND_MAPPING, "region", REQ, "the region it belongs to" },
	[FF_ND_MAPPING_LENGTH] = { FT_ND_MAPPING, "length", OPT, "its length: the guest size without a region size" },
	[FF_ND_NAMESPACE_DEV] = { FT_ND_NAMESPACE, "dev", REQ, "namespaceR.N" },
	[FF_ND_NAMESPACE_REGION] = { FT_ND_NAMESPACE, "region", REQ, "its region" },
	[FF_ND_NAMESPACE_MODE] = { FT_ND_NAMESPACE, "mode", OPT, "fsdax, devdax, sector or raw" },
	[FF_ND_NAMESPACE_BLOCKDEV] = { FT_ND_NAMESPACE, "blockdev", OPT, "its block device, pmemR" },
	[FF_ND_NAMESPACE_CHARDEV] = { FT_ND_NAMESPACE, "chardev", OPT, "its char device, daxR.N" },
	[FF_ND_NAMESPACE_STATE] = { FT_ND_NAMESPACE, "state", OPT, "disabled: with size 0, the seed, left out" },
	[FF_ND_NAMESPACE_SIZE] = { FT_ND_NAMESPACE, "size", OPT, "its size" },
	[FF_DAX_DEVICE_NAMESPACE] = { FT_DAX_DEVICE, "namespace", REQ, "the namespace it is on" },
	[FF_DAX_DEVICE_CHARDEV] = { FT_DAX_DEVICE, "chardev", REQ, "daxR.N" },
	[FF_GUEST_BLKID_DEVICE] = { FT_GUEST_BLKID, "device", REQ, "/dev/pmemR" },
	[FF_GUEST_BLKID_FS_UUID] = { FT_GUEST_BLKID, "fs_uuid", OPT, "the filesystem UUID: mounts by UUID=" },
	[FF_GUEST_BLKID_LABEL] = { FT_GUEST_BLKID, "label", OPT, "the filesystem label: mounts by LABEL=" },
	[FF_GUEST_BLKID_FSTYPE] = { FT_GUEST_BLKID, "fstype", OPT, "xfs, ext4, ..." },
	[FF_GUEST_MOUNT_SOURCE] = { FT_GUEST_MOUNT, "source", REQ, "what is mounted" },
	[FF_GUEST_MOUNT_TARGET] = { FT_GUEST_MOUNT, "target", REQ, "where" },
	[FF_GUEST_FSTAB_SPEC] = { FT_GUEST_FSTAB, "spec", REQ, "the device, UUID= or LABEL=" },
	[FF_GUEST_FSTAB_FILE] = { FT_GUEST_FSTAB, "file", REQ, "the mount point" },
	[FF_GUEST_FSTAB_VFSTYPE] = { FT_GUEST_FSTAB, "vfstype", OPT, "the filesystem type" },
	[FF_GUEST_FSTAB_OPTIONS] = { FT_GUEST_FSTAB, "options", OPT, "the options: dax marks a DAX mount" },
	[FF_GUEST_HOSTNAME_HOSTNAME] = { FT_GUEST_HOSTNAME, "hostname", REQ, "the host name" },
	[FF_GUEST_UNAME_HOSTNAME] = { FT_GUEST_UNAME, "hostname", REQ, "the node name" },
	[FF_GUEST_SYSTEM_UUID_UUID] = { FT_GUEST_SYSTEM_UUID, "uuid", REQ, "canonical" },
	[FF_GUEST_VMWARE_SERIAL_UUID] = { FT_GUEST_VMWARE_SERIAL, "uuid", REQ, "canonical" },
	[FF_GUEST_PRODUCT_UUID_UUID] = { FT_GUEST_PRODUCT_UUID, "uuid", REQ, "canonical" },
	[FF_GUEST_EVENT_TIME] = { FT_GUEST_EVENT, "time", REQ, "when, as the log writes it" },
	[FF_GUEST_EVENT_LABEL] = { FT_GUEST_EVENT, "label", REQ, "what: boot, ..." },
	[FF_GUEST_EVENT_MESSAGE] = { FT_GUEST_EVENT, "message", OPT, "the log text" },
	[FF_GUEST_TIMEZONE_TZ] = { FT_GUEST_TIMEZONE, "tz", OPT, "the zone's name" },
	[FF_GUEST_TIMEZONE_OFFSET] = { FT_GUEST_TIMEZONE, "offset", REQ, "its offset, +HHMM" },
	[FF_BUNDLE_COLLECTED_TIME] = { FT_BUNDLE_COLLECTED, "time", REQ, "the collection time" },
	[FF_BUNDLE_COLLECTED_SOURCE] = { FT_BUNDLE_COLLECTED, "source", OPT,
					 "where it was read: manifest, readme, date-utc, date, name (the first used)" },
};

static bool makes_field(const struct fact_maker *mk, const char *field)
{
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; mk->fields[l] && mk->fields[l][i]; i++)
			if (!strcmp(mk->fields[l][i], field))
				return true;
	return false;
}

/* The makers of type t, by name, as "a, b and c" in out; how many. */
static size_t makers_of(const struct fact_maker *mk, size_t n, const char *t, struct buf *out)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(mk[i].type, t))
			buf_printf(out, "%s%s", k++ ? ", " : "", mk[i].who);
	return k;
}

static size_t check_type(const struct fact_maker *mk, size_t n, enum fact_type t, struct buf *errs)
{
	const char *name = fact_types[t].name;
	size_t bad = 0;
	struct buf who;
	buf_init(&who);
	if (!makers_of(mk, n, name, &who)) {
		buf_printf(errs, "no rule makes fact type %s, which the analysis reads (%s)\n", name,
			   fact_types[t].meaning);
		buf_free(&who);
		return 1;
	}
	for (size_t f = 0; f < FF_COUNT; f++) {
		const struct fact_field_def *d = &fact_fields[f];
		if (d->type != t)
			continue;
		size_t have = 0;
		for (size_t i = 0; i < n; i++) {
			if (strcmp(mk[i].type, name))
				continue;
			bool made = makes_field(&mk[i], d->name);
			have += made;
			if (d->required && !made) {
				buf_printf(errs, "%s: makes %s without field '%s', which the analysis reads (%s)\n",
					   mk[i].who, name, d->name, d->meaning);
				bad++;
			}
		}
		if (!d->required && !have) {
			buf_printf(errs, "%s: no maker of %s makes field '%s', which the analysis reads (%s)\n",
				   who.data, name, d->name, d->meaning);
			bad++;
		}
	}
	buf_free(&who);
	return bad;
}

size_t facts_check_makers(const struct fact_maker *mk, size_t n, struct buf *errs)
{
	size_t bad = 0;
	for (size_t t = 0; t < FT_COUNT; t++)
		bad += check_type(mk, n, (enum fact_type)t, errs);
	return bad;
}

void facts_contract_md(struct buf *out)
{
	buf_puts(out, "| fact type | what the analysis takes it for |\n|---|---|\n");
	for (size_t t = 0; t < FT_COUNT; t++)
		buf_printf(out, "| `%s` | %s |\n", fact_types[t].name, fact_types[t].meaning);
	buf_puts(out, "\n| fact type | field | required | what the analysis takes it for |\n|---|---|---|---|\n");
	for (size_t f = 0; f < FF_COUNT; f++)
		buf_printf(out, "| `%s` | `%s` | %s | %s |\n", fact_types[fact_fields[f].type].name,
			   fact_fields[f].name, fact_fields[f].required ? "every maker" : "one maker",
			   fact_fields[f].meaning);
}
