/* history.h - what changed in a VM's NVDIMM mapping, and what it hit.
 *
 * A case is compared with the latest earlier case of the same VM (and the
 * same ESXi host, when both are known) that has a guest bundle: a .vmdk
 * removed or added, a .vmdk whose nmem changed, a kernel name or mount
 * that now reaches another .vmdk. With one guest bundle only, the VM's
 * last two different NVDIMM configurations logged at power-on are
 * compared instead, the earlier numbering predicted in slot order (and
 * the message says it is a prediction). What changed is the case's
 * answer and a mapping-changed finding.
 */
#ifndef PMEMMAP_HISTORY_H
#define PMEMMAP_HISTORY_H

#include "case.h"

/* Every case's answer and mapping-changed finding (after the timelines). */
void history_check(struct analysis *a);

#endif
