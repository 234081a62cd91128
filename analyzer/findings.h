/* findings.h - the checks of one case, in catalog order.
 *
 * Each finding of the catalog (catalog.h) has one check function; this
 * runs those that need only the case itself, once its devices are built,
 * in the order of the catalog (checks of a device run device by device).
 * clock-skew and mapping-changed need the timelines of every case: the
 * timeline and history passes check them (timeline.h, history.h).
 */
#ifndef PMEMMAP_FINDINGS_H
#define PMEMMAP_FINDINGS_H

#include "chain.h"

void findings_check(struct casework *cw);

/* The inputs no case holds: one that gave nothing the analysis reads, and
 * one that gave facts but no vPMem evidence (findings of the analysis, in
 * no case). After the cases are built. */
void findings_check_inputs(struct analysis *a, const struct factindex *fx);

/* The name a message gives a device: its .vmdk file name, else its nmem. */
const char *dev_label(const struct device *d);

#endif
