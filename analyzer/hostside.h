/* hostside.h - the VMs of the host bundles and their vPMem devices.
 *
 * A VM is a .vmx seen in a vm-support bundle, or, for pasted text, the
 * .vmdk files a transcript names (one VM per file name stem). Each of its
 * devices is an NVDIMM slot of the .vmx with its backing .vmdk, whose
 * UUID (and so the serial the guest shows) comes from the descriptor on
 * the PMem datastore or from a pasted vmkfstools -J getuuid.
 */
#ifndef PMEMMAP_HOSTSIDE_H
#define PMEMMAP_HOSTSIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "case.h"
#include "index.h"
#include "util.h"

struct hdev {
	const char *slot, *vmdk, *uuid, *serial;
	uint64_t size;
	unsigned ctl, unit;
	size_t order; /* as first seen: ties in the slot order keep it */
	bool removed; /* present = "FALSE" */
	struct evlist ev;
};

/* Where a VM's vPMem devices were read from: its .vmx NVDIMM keys (the
 * decisive source), the configuration its vmware.log dumped at its last
 * power-on, or, with neither, the descriptors in its folder on the PMem
 * datastore (the slots then unknown); a transcript's pasted lines. */
enum slots_from { SLOTS_VMX, SLOTS_LOG, SLOTS_DATASTORE, SLOTS_PASTED };

struct vm {
	uint32_t bundle;
	const char *member; /* the .vmx, or NULL for a transcript's vmdks and a PMem folder */
	const char *name, *bios_uuid, *host, *dir;
	const char *bios_swapped; /* bios_uuid as a SMBIOS >= 2.6 guest reads it */
	struct hdev *devs; /* in slot order */
	size_t ndevs, devs_cap;
	struct strmap slots; /* slot name -> index + 1 (count) */
	bool uuids_missing; /* slots whose descriptor UUID we never saw */
	enum slots_from slots_from;
	const struct fact *slots_log; /* SLOTS_LOG: a line of the configuration read */
	const struct fact *last_change; /* the latest esx.vmlog line of its folder, or NULL */
	struct evlist ev;
};

struct vmset {
	struct vm *vms;
	size_t n;
};

void vmset_build(struct vmset *hs, struct analysis *a, const struct factindex *fx);
void vmset_free(struct vmset *hs);

#endif
