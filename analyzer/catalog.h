/* catalog.h - every finding the analysis can raise, one entry each.
 *
 * An entry says what a finding is (its code and severity), what raises
 * it, what to do about it (the command that collects what is missing, or
 * the fix to apply), where to read more, and its message: a printf format
 * MSG_<NAME> defined here, so that the text is in one place and the
 * compiler checks the arguments of each RAISE against it.
 *
 * Adding a finding: an enum value and an entry below (catalog.c), its
 * MSG_ format, one check function that RAISEs it (findings.c lists the
 * checks in the order they run), a test that it is raised and one that
 * it is not (tests/test_correlate.c), and its row in the table of
 * docs/json-schema.md and the man page (tests/test_catalog.c holds the
 * three to the catalog). docs/hacking.md walks through one.
 */
#ifndef PMEMMAP_CATALOG_H
#define PMEMMAP_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "case.h"

/* In the order the checks run (findings.c), which is the order of the
 * table in docs/json-schema.md: within a severity, findings keep it. */
enum finding_id {
	F_EVIDENCE_MISSING,
	F_NVDIMM_CONFIG_MISSING,
	F_DIMM_IDS_MISSING,
	F_GUEST_BUNDLE_MISSING,
	F_HOST_BUNDLE_MISSING,
	F_VPMEM_WITHOUT_GUEST_DEVICE,
	F_GUEST_DEVICE_WITHOUT_VMDK,
	F_SERIAL_COLLISION,
	F_SIZE_MISMATCH,
	F_NAMESPACE_MISSING,
	F_NAMESPACE_RAW,
	F_MOUNT_BY_KERNEL_NAME,
	F_RENUMBERED,
	F_FSTAB_DEVICE_MISSING,
	F_FSTAB_MOUNT_DISAGREE,
	F_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE,
	F_CLOCK_SKEW,
	F_MAPPING_CHANGED,
	F_INPUT_NOT_RECOGNISED,
	F_PMEM_EVIDENCE_MISSING,
	F_COUNT
};

struct finding_def {
	const char *code;
	enum severity severity; /* as a rule */
	bool severity_varies; /* the check may raise it as a warning instead */
	const char *summary; /* one line: what it means */
	const char *remedy; /* what to do: a command to run, a fix to apply */
	const char *reference; /* "title <URL>" of a public reference, or NULL */
	const char *message; /* the MSG_ format (the first, if several) */
	bool absent; /* it says that evidence was expected and is absent */
};

extern const struct finding_def finding_catalog[F_COUNT];

/* The catalog entry of a code, or NULL. */
const struct finding_def *finding_by_code(const char *code);

/* Commands that messages and remedies both name. */
#define ESX_ONELINER \
	"for f in /vmfs/volumes/PMemDS-*/*/*.vmdk; do echo \"$f\"; vmkfstools -J getuuid \"$f\"; done"
#define SOS_PMEM "sos report -o pmem,hardware,block,filesys"
#define VMX_GREP "grep -i nvdimm /vmfs/volumes/*/*/*.vmx"
/* the collection scripts (collect.h) */
#define COLLECT_ESXI "pmemmap collect esxi > c.sh, then sh c.sh on the host"
#define COLLECT_GUEST "pmemmap collect guest > c.sh, then sh c.sh in the guest"

/* Every command the remedies and messages name, whole: a report may set
 * each apart as code (the Markdown report does), to copy as it is. */
extern const char *const finding_commands[];
extern const size_t finding_ncommands;

/* Raise finding id in case c with severity sev (the catalog's, unless the
 * check chooses), evidence list l (may be NULL) and the message fmt, one
 * of the MSG_ formats below; _ev takes an array of evidence instead. */
void raise_finding(struct analysis *a, struct acase *c, enum finding_id id, enum severity sev,
		   const struct evlist *l, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void raise_finding_ev(struct analysis *a, struct acase *c, enum finding_id id, enum severity sev,
		      const struct evidence *ev, size_t nev, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

#define RAISE(a, c, ID, l, ...) raise_finding((a), (c), F_##ID, finding_catalog[F_##ID].severity, (l), __VA_ARGS__)
#define RAISE_EV(a, c, ID, ev, nev, ...) \
	raise_finding_ev((a), (c), F_##ID, finding_catalog[F_##ID].severity, (ev), (nev), __VA_ARGS__)
/* a finding whose severity varies (severity_varies), with the one chosen */
#define RAISE_EV_SEV(a, c, ID, sev, ev, nev, ...) raise_finding_ev((a), (c), F_##ID, (sev), (ev), (nev), __VA_ARGS__)

/* ---- the messages ------------------------------------------------------- */

#define MSG_EVIDENCE_MISSING_HOST                                                                      \
	"The host bundle has no .vmdk UUID for some of %s's vPMem devices (the NVDIMM descriptors on the " \
	"PMem datastore were not collected). Run on the host and attach the output: %s"
#define MSG_EVIDENCE_MISSING_GUEST                                                                  \
	"The guest bundle %s has no ndctl output (the sos 'pmem' plugin did not run or ndctl is not " \
	"installed). Collect it with: %s (or run: ndctl list -vvv)"
#define MSG_NVDIMM_CONFIG_MISSING_LOG                                                                    \
	"The .vmx of %s names no NVDIMM backing file (no nvdimmN:M.fileName key pmemmap reads): its vPMem " \
	"devices are read from the configuration its vmware.log recorded at the power-on of %s. Check the " \
	"VM's configuration on the host: %s"
#define MSG_NVDIMM_CONFIG_MISSING_DATASTORE                                                               \
	"No NVDIMM configuration names the %zu .vmdk file%s in folder %s of the PMem datastore (no "        \
	"nvdimmN:M.fileName key in a .vmx or a vmware.log pmemmap reads): they are taken as the VM's vPMem " \
	"devices by their descriptors, their slots unknown, and so is the order the guest numbers them in. " \
	"Collect the VM's .vmx, or run on the host: %s"
#define MSG_DIMM_IDS_MISSING                                                                          \
	"The ndctl output of %s lists %s but no dimms (nmem devices with their ids): the serials that tie " \
	"the guest's devices to .vmdk files are not there. Run in the guest: ndctl list -D (or ndctl "      \
	"list -vvv)"
#define MSG_GUEST_BUNDLE_MISSING                                                                   \
	"No guest bundle was given for %s, which has %zu vPMem device%s: the guest side cannot be " \
	"mapped. Collect: %s"
#define MSG_HOST_BUNDLE_MISSING                                                                        \
	"No VM in the host bundles matches guest %s (by SMBIOS UUID, NVDIMM serials or name): its nmem " \
	"devices cannot be tied to .vmdk files."
#define MSG_VPMEM_WITHOUT_GUEST_DEVICE \
	"%s (%s, serial %s) has no nmem device in guest %s: the guest does not see this vPMem."
#define MSG_GUEST_DEVICE_WITHOUT_VMDK "Guest %s (id %s) matches no .vmdk of %s: no vPMem of this VM has serial %s."
#define MSG_GUEST_DEVICE_WITHOUT_VMDK_LATER                                                             \
	"Guest %s (id %s) matches no .vmdk of %s in the host bundle, which was collected after this guest " \
	"bundle (%s, against %s): the vPMem with serial %s may have been removed since."
#define MSG_SERIAL_COLLISION                                                                           \
	"%s: %s (%s), and the guest shows only those 32 bits: it is %s, and the serial cannot say which. " \
	"Compare sizes, then the vmx slot order with each nmem's handle; to be certain, re-create one of " \
	"the two vPMem devices (it gets a new UUID)."
#define MSG_SIZE_MISMATCH "%s is %s on the host but %s (%s) is %s in the guest."
#define MSG_NAMESPACE_MISSING                                                                    \
	"%s (%s) has no namespace, or only disabled ones: no /dev/pmem or /dev/dax device exists " \
	"for it. Create one with: ndctl create-namespace -r %s"
#define MSG_NAMESPACE_RAW                                                                        \
	"%s on %s is in raw mode (no DAX, no sector atomicity); VMware vNVDIMMs start this way. " \
	"Reconfigure with: ndctl create-namespace -f -e %s -m fsdax"
/* the text of a mount-by-kernel-name finding is built in parts */
#define MSG_MOUNT_BY_KERNEL_NAME "%s"
#define MSG_RENUMBERED                                                                                \
	"%s (slot %s) is %s in the guest, not nmem%u: %u slot%s below it %s empty, so a vPMem there "      \
	"was removed (or never added) and the guest numbered the devices after it down. %s now reaches "  \
	"%s; anything that still names the old kernel names reaches another device or none."
#define MSG_FSTAB_DEVICE_MISSING                                                                      \
	"/etc/fstab mounts %s on %s, but no pmem namespace of this guest provides %s: the mount fails " \
	"at boot%s."
#define MSG_FSTAB_MOUNT_DISAGREE                                                                    \
	"/etc/fstab mounts %s (%s) on %s, but the live mount table has it on %s: the next boot mounts it " \
	"where the fstab says, not where it is now."
#define MSG_GUEST_BUNDLE_OLDER_THAN_HOST_CHANGE                                                  \
	"The guest bundle was collected at %s (taken as UTC), before the VM's last NVDIMM "       \
	"configuration at %s: the guest view may predate a device change. Collect a new guest " \
	"bundle."
#define MSG_CLOCK_SKEW                                                                                 \
	"The guest's boot is logged at %s but the VM's nearest power-on on the host is at %s (UTC): the " \
	"guest clock (or its zone) is about %lld min %s the host. The timeline shows guest times "       \
	"converted as the time note says, not corrected for this skew."
/* the text of a mapping-changed finding is the case's answer, built in parts */
#define MSG_MAPPING_CHANGED "%s"
#define MSG_INPUT_NOT_RECOGNISED                                                                         \
	"%zu input%s hold%s nothing pmemmap recognises (no ESXi vm-support or sosreport layout, no command " \
	"output its rules read): %s. Give the ESXi host's vm-support bundle and the guest's sosreport (%s), " \
	"or paste the output of vmkfstools -J getuuid and ndctl list -vvv"
#define MSG_PMEM_EVIDENCE_MISSING_HOST                                                                   \
	"The host bundle %s holds no vPMem: no .vmx with an NVDIMM and no .vmdk on a PMem datastore. If a VM " \
	"of this host has vPMem devices, collect its .vmx and descriptors: %s"
#define MSG_PMEM_EVIDENCE_MISSING_OTHER                                                                  \
	"%s was read, but nothing in it is vPMem evidence (no NVDIMM slot, .vmdk UUID or ndctl device): "    \
	"paste the output of vmkfstools -J getuuid on the host and ndctl list -vvv in the guest"

#endif
