/* chain.h - the devices of one case, each link followed with its evidence.
 *
 * For every vPMem of the VM, in slot order: the .vmdk, its UUID and
 * serial, the guest nmem with that serial, its region (through the
 * region's mappings, never by number), namespaces, block or char device,
 * filesystem and mounts. Then the guest's nmems that no .vmdk claimed. A
 * serial that two .vmdk files or two nmems share matches nothing: those
 * rows are ambiguous.
 */
#ifndef PMEMMAP_CHAIN_H
#define PMEMMAP_CHAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "case.h"
#include "guestside.h"
#include "hostside.h"
#include "index.h"

/* The lookups of a device's chain, by bundle and one field, built once. */
struct chainidx {
	struct fkey mapping_by_dimm, region_by_dev, ns_by_region, dax_by_ns, blkid_by_device, mount_by_source,
		fstab_by_spec;
};

void chainidx_build(struct chainidx *ci, const struct factindex *fx);
void chainidx_free(struct chainidx *ci);

/* One case as it is built: its sides, and what the findings read. */
struct casework {
	struct analysis *a;
	const struct factindex *fx;
	const struct vm *v; /* NULL: no host side */
	const struct guest *g; /* NULL: no guest bundle */
	struct acase *c;
	struct strmap host_serials; /* serial pointer -> how many of the VM's devices have it */
	/* scratch, reused device after device: looking up one namespace
	 * allocates nothing that lives shorter than the case, so the heap
	 * keeps no holes between the devices for the report to wander */
	struct buf names[4]; /* its node, UUID=, LABEL=, /dev/disk/by-uuid/ */
	const struct fact **hit;
	size_t hit_cap;
};

/* Fill cw->c (added to cw->a by the caller) from v and g: who it is, how
 * it was paired, its devices. */
void chain_case(struct casework *cw, const struct chainidx *ci, const char *paired_by);
void casework_free(struct casework *cw);

/* Sizes within 2 % of the larger: the same device seen from both sides. */
bool sizes_agree(uint64_t a, uint64_t b);

#endif
