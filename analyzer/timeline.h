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

/* "2026-03-05T09:57:41.536Z", "2026-03-05 10:31:05": seconds, UTC; -1 if
 * not such a time. */
int64_t parse_utc(const char *s);
void format_utc(int64_t t, char *buf, size_t size);

#endif
