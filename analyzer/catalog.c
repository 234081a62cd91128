/* catalog.c - the findings catalog (catalog.h): one entry per finding. */
#include "catalog.h"

#include <string.h>

#define R_INTEL                                                                      \
	"Intel, Mapping VMware vSphere/ESXi PMem from Host to VM "                   \
	"<https://www.intel.com/content/www/us/en/developer/articles/training/"      \
	"mapping-vmware-vsphere-esxi-pmem-from-host-to-vm.html>"
#define R_VMW_PMEM                                                                   \
	"VMware vSphere Storage, persistent memory (PMem datastore, vNVDIMM) "       \
	"<https://docs.vmware.com/en/VMware-vSphere/8.0/vsphere-storage/"           \
	"GUID-93E5390A-8FCF-4CE1-8927-9FC36E889D00.html>"
#define R_NDCTL_NVDIMMS \
	"ndctl user guide, Managing NVDIMMs <https://docs.pmem.io/ndctl-user-guide/v71/managing-nvdimms>"
#define R_NDCTL_REGIONS \
	"ndctl user guide, Managing regions <https://docs.pmem.io/ndctl-user-guide/v70/managing-regions>"
#define R_CREATE_NAMESPACE "ndctl-create-namespace(1) (man ndctl-create-namespace)"
#define R_FSTAB "fstab(5): UUID= and LABEL= name a filesystem, not a device (man 5 fstab)"
#define R_SOS "sos-report(1): -o names the plugins to run, pmem among them (man sos-report)"
#define R_TIMEDATECTL "timedatectl(1): the time zone and whether NTP keeps the clock (man timedatectl)"

const struct finding_def finding_catalog[F_COUNT] = {
	[F_EVIDENCE_MISSING] = {
		.code = "evidence-missing",
		.severity = SEV_ERROR,
		.severity_varies = false,
		.summary = "A .vmdk UUID (host side) or the ndctl output (guest side) the mapping needs is "
			"not in the bundles.",
		.remedy = "Run " COLLECT_ESXI " (quick paste: " ESX_ONELINER "), and " COLLECT_GUEST " (or " SOS_PMEM
			", or ndctl list -vvv).",
		.reference = R_INTEL,
		.message = MSG_EVIDENCE_MISSING_HOST,
		.absent = true,
	},
	[F_NVDIMM_CONFIG_MISSING] = {
		.code = "nvdimm-config-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A VM's vPMem devices are known from its vmware.log or from the descriptors on the PMem "
			"datastore, not from its .vmx: their slots are less certain, or unknown.",
		.remedy = "Collect the VM's .vmx: " COLLECT_ESXI " (vm-support copies it too), or paste the output "
			"of: " VMX_GREP,
		.reference = R_VMW_PMEM,
		.message = MSG_NVDIMM_CONFIG_MISSING_LOG,
		.absent = true,
	},
	[F_DIMM_IDS_MISSING] = {
		.code = "dimm-ids-missing",
		.severity = SEV_ERROR,
		.severity_varies = false,
		.summary = "The guest's ndctl output lists namespaces or regions but no dimms: no serial ties its devices "
			"to .vmdk files.",
		.remedy = "Run " COLLECT_GUEST " (quick paste: ndctl list -D, or ndctl list -vvv).",
		.reference = R_NDCTL_NVDIMMS,
		.message = MSG_DIMM_IDS_MISSING,
		.absent = true,
	},
	[F_GUEST_BUNDLE_MISSING] = {
		.code = "guest-bundle-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A VM with vPMem devices has no guest bundle: its guest side cannot be mapped.",
		.remedy = "Collect a guest bundle in the VM: " COLLECT_GUEST " (or " SOS_PMEM ").",
		.reference = R_SOS,
		.message = MSG_GUEST_BUNDLE_MISSING,
		.absent = true,
	},
	[F_HOST_BUNDLE_MISSING] = {
		.code = "host-bundle-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A guest bundle matches no VM of the host bundles given.",
		.remedy = "Collect the ESXi host's bundle (vm-support) of the host the VM runs on, or paste "
			"the output of: " ESX_ONELINER,
		.reference = R_INTEL,
		.message = MSG_HOST_BUNDLE_MISSING,
		.absent = true,
	},
	[F_VPMEM_WITHOUT_GUEST_DEVICE] = {
		.code = "vpmem-without-guest-device",
		.severity = SEV_ERROR,
		.severity_varies = false,
		.summary = "A vPMem of the VM has no nmem device in the guest.",
		.remedy = "In the guest, run ndctl list -D and dmesg | grep -i -e nfit -e nvdimm: does the kernel "
			"see NVDIMMs? Ask the customer whether the guest bundle was taken after this vPMem was "
			"added and the VM powered on with it.",
		.reference = R_NDCTL_NVDIMMS,
		.message = MSG_VPMEM_WITHOUT_GUEST_DEVICE,
		.absent = false,
	},
	[F_GUEST_DEVICE_WITHOUT_VMDK] = {
		.code = "guest-device-without-vmdk",
		.severity = SEV_ERROR,
		.severity_varies = true,
		.summary = "A guest nmem matches no .vmdk of the VM.",
		.remedy = "Check that the guest bundle is of this VM and was taken after its last NVDIMM "
			"change; on the host: " ESX_ONELINER,
		.reference = R_INTEL,
		.message = MSG_GUEST_DEVICE_WITHOUT_VMDK,
		.absent = false,
	},
	[F_SERIAL_COLLISION] = {
		.code = "serial-collision",
		.severity = SEV_ERROR,
		.severity_varies = false,
		.summary = "Two .vmdk UUIDs (or two nmems) share the 32 bits the guest shows: the serial "
			"cannot tell them apart.",
		.remedy = "Compare sizes and the vmx slot order with each nmem's handle; to be certain, "
			"re-create one of the two vPMem devices (it gets a new UUID).",
		.reference = R_INTEL,
		.message = MSG_SERIAL_COLLISION,
		.absent = false,
	},
	[F_SIZE_MISMATCH] = {
		.code = "size-mismatch",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A device's size on the host and in the guest differ by more than 2 %.",
		.remedy = "Compare the vmx nvdimm size with ndctl list -R; check that the pair is the right "
			"one.",
		.reference = R_NDCTL_REGIONS,
		.message = MSG_SIZE_MISMATCH,
		.absent = false,
	},
	[F_NAMESPACE_MISSING] = {
		.code = "namespace-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "An nmem's region has no namespace: no /dev/pmem or /dev/dax device exists for "
			"it.",
		.remedy = "In the guest: ndctl create-namespace -r REGION (the message names the region).",
		.reference = R_CREATE_NAMESPACE,
		.message = MSG_NAMESPACE_MISSING,
		.absent = false,
	},
	[F_NAMESPACE_RAW] = {
		.code = "namespace-raw",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A namespace is in raw mode (no DAX, no sector atomicity).",
		.remedy = "Back up its data, then in the guest: ndctl create-namespace -f -e NAMESPACE -m fsdax "
			"(reconfiguring erases the namespace).",
		.reference = R_CREATE_NAMESPACE,
		.message = MSG_NAMESPACE_RAW,
		.absent = false,
	},
	[F_MOUNT_BY_KERNEL_NAME] = {
		.code = "mount-by-kernel-name",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "/etc/fstab names a pmem device by kernel name, which changes when a vPMem is "
			"removed.",
		.remedy = "Mount by UUID= (blkid shows it) or LABEL= in /etc/fstab.",
		.reference = R_FSTAB,
		.message = MSG_MOUNT_BY_KERNEL_NAME,
		.absent = false,
	},
	[F_RENUMBERED] = {
		.code = "renumbered",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "A slot below a device's is empty and the guest numbered the device down: kernel names have "
			"shifted.",
		.remedy = "Find every mount and configuration that names /dev/pmemN, /dev/daxN.M or nmemN "
			"and name the device by UUID= or LABEL= instead.",
		.reference = R_INTEL,
		.message = MSG_RENUMBERED,
		.absent = false,
	},
	[F_FSTAB_DEVICE_MISSING] = {
		.code = "fstab-device-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "/etc/fstab mounts a pmem device or DAX filesystem that no namespace of the guest "
			"provides.",
		.remedy = "Correct or remove the /etc/fstab line (mount by UUID=), or restore the device.",
		.reference = R_FSTAB,
		.message = MSG_FSTAB_DEVICE_MISSING,
		.absent = false,
	},
	[F_FSTAB_MOUNT_DISAGREE] = {
		.code = "fstab-mount-disagree",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "/etc/fstab mounts a device on one mount point while the live mount table has it on "
			"another: the next boot changes what is mounted where.",
		.remedy = "Decide which is right; correct /etc/fstab (mount by UUID=) before the next reboot.",
		.reference = R_FSTAB,
		.message = MSG_FSTAB_MOUNT_DISAGREE,
		.absent = false,
	},
	[F_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE] = {
		.code = "guest-bundle-older-than-host-change",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "The guest bundle was taken before the VM's last NVDIMM configuration.",
		.remedy = "Collect a new guest bundle: " COLLECT_GUEST " (or " SOS_PMEM ").",
		.reference = R_SOS,
		.message = MSG_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE,
		.absent = false,
	},
	[F_CLOCK_SKEW] = {
		.code = "clock-skew",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "The guest clock (or its zone) disagrees with the host's by more than the usual "
			"boot delay.",
		.remedy = "In the guest: timedatectl (zone, NTP); compare times across the two sides with "
			"care.",
		.reference = R_TIMEDATECTL,
		.message = MSG_CLOCK_SKEW,
		.absent = false,
	},
	[F_MAPPING_CHANGED] = {
		.code = "mapping-changed",
		.severity = SEV_ERROR,
		.severity_varies = true,
		.summary = "What a kernel name or mount reaches changed between two dates of the same VM.",
		.remedy = "Check what each /dev/pmem name and mount now reaches before writing to it; mount "
			"by UUID= or LABEL=; restore from backup what was written to the wrong device.",
		.reference = R_INTEL,
		.message = MSG_MAPPING_CHANGED,
		.absent = false,
	},
	[F_INPUT_NOT_RECOGNISED] = {
		.code = "input-not-recognised",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "An input holds nothing pmemmap recognises: not a vm-support bundle, not a sosreport, no "
			"command output its rules read.",
		.remedy = "Give the ESXi host's bundle (" COLLECT_ESXI ", or vm-support) and the guest's (" COLLECT_GUEST
			", or " SOS_PMEM "), or paste the output of vmkfstools -J getuuid and ndctl list -vvv.",
		.reference = R_INTEL,
		.message = MSG_INPUT_NOT_RECOGNISED,
		.absent = true,
	},
	[F_PMEM_EVIDENCE_MISSING] = {
		.code = "pmem-evidence-missing",
		.severity = SEV_WARNING,
		.severity_varies = false,
		.summary = "An input was recognised, but holds no vPMem evidence: no NVDIMM slot, .vmdk UUID or ndctl "
			"device.",
		.remedy = "Run " COLLECT_ESXI " (quick paste: " ESX_ONELINER "), and " COLLECT_GUEST
			" (or ndctl list -vvv).",
		.reference = R_VMW_PMEM,
		.message = MSG_PMEM_EVIDENCE_MISSING_HOST,
		.absent = true,
	},
};

const char *const finding_commands[] = {
	ESX_ONELINER,
	SOS_PMEM,
	VMX_GREP,
	"ndctl list -vvv",
	"ndctl list -D",
	"ndctl list -R",
	"ndctl create-namespace -r REGION",
	"ndctl create-namespace -f -e NAMESPACE -m fsdax",
	"dmesg | grep -i -e nfit -e nvdimm",
	"vmkfstools -J getuuid",
	"pmemmap collect esxi > c.sh",
	"pmemmap collect guest > c.sh",
	"sh c.sh",
};
const size_t finding_ncommands = sizeof(finding_commands) / sizeof(finding_commands[0]);

const struct finding_def *finding_by_code(const char *code)
{
	for (size_t i = 0; i < F_COUNT; i++)
		if (!strcmp(finding_catalog[i].code, code))
			return &finding_catalog[i];
	return NULL;
}

void raise_finding(struct analysis *a, struct acase *c, enum finding_id id, enum severity sev,
		   const struct evlist *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	case_add_finding(a, c, sev, finding_catalog[id].code, l ? l->v : NULL, l ? l->n : 0, l ? l->more : 0,
			 fmt, ap);
	va_end(ap);
}

void raise_finding_ev(struct analysis *a, struct acase *c, enum finding_id id, enum severity sev,
		      const struct evidence *ev, size_t nev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	case_add_finding(a, c, sev, finding_catalog[id].code, ev, nev, 0, fmt, ap);
	va_end(ap);
}
