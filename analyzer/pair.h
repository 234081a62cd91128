/* pair.h - which VM each guest bundle belongs to.
 *
 * By the guest's SMBIOS UUID against the VM's uuid.bios (as written, or
 * byte-swapped as a SMBIOS >= 2.6 guest reads it), else by the NVDIMM
 * serials they share, else by name; among VMs that tie (the same VM in
 * host bundles of several dates), the one collected nearest in time.
 */
#ifndef PMEMMAP_PAIR_H
#define PMEMMAP_PAIR_H

#include "case.h"
#include "guestside.h"
#include "hostside.h"

/* For guest i of gs: vm[i], the index of its VM in vs (or -1), and how[i],
 * how they were paired ("system-uuid", "serials", "name", "none"). */
void pair_guests(struct analysis *a, const struct vmset *vs, const struct guestset *gs, int *vm,
		 const char **how);

#endif
