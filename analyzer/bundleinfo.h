/* bundleinfo.h - what the analysis learns of each bundle before pairing:
 * its host name and collection time (kept in the analysis's notes, read
 * by pairing, the cases and the reports), and which captured times are
 * not real times (a diagnostic each, then the time is not used).
 */
#ifndef PMEMMAP_BUNDLEINFO_H
#define PMEMMAP_BUNDLEINFO_H

#include "case.h"
#include "index.h"

/* a->notes[b] for every bundle b: the first hostname fact of the bundle
 * (the ESXi host's before the guest's), the first collection time that
 * is a real time. */
void bundle_notes(struct analysis *a, const struct factindex *fx);

/* Every time a rule captured, checked against the calendar once: a time
 * that never was gets a diagnostic naming bundle, member and line (at most
 * five per bundle, then a count). */
void check_times(struct analysis *a);

#endif
