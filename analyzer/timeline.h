/* timeline.h - the postmortem view of a case: what happened when.
 *
 * Events come from rules (host.event from each VM's vmware.log, guest.event
 * from the guest's kernel log), put on one UTC time line. History compares
 * the views of the same VM at different dates, from several guest bundles
 * or from the NVDIMM configuration vmware.log records at every power-on,
 * and says in one sentence what changed and what it hit.
 */
#ifndef PMEMMAP_TIMELINE_H
#define PMEMMAP_TIMELINE_H

#include <stdint.h>

#include "correlate.h"
#include "model.h"

/* Fill every case's timeline, clock notes, history findings and answer.
 * Called by correlate() once the cases are built. */
void postmortem(struct model *m, struct analysis *a);

#endif
