/* timeline.h - what happened when, per case.
 *
 * Events come from rules (host.event from the VM's vmware.log files,
 * guest.event from the guest's logs), put on one UTC time line: guest
 * syslog times in the zone timedatectl showed (else read as UTC, and
 * said so), without a year dated by the bundle's collection time (else
 * left off, and counted). A guest boot far from every VM power-on raises
 * clock-skew.
 */
#ifndef PMEMMAP_TIMELINE_H
#define PMEMMAP_TIMELINE_H

#include "case.h"
#include "index.h"

/* Every case's events, in time order, its time note, and clock-skew. */
void timelines_build(struct analysis *a, const struct factindex *fx);

#endif
