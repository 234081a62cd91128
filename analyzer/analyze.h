/* analyze.h - from facts to answers: the one analysis pipeline.
 *
 * The passes, in order, each reading what the ones before made:
 *
 *   model (facts, read only)
 *     -> index      facts by type (the contract, facts.h)
 *     -> bundles    host name, collection time, bad times (bundleinfo.h)
 *     -> sides      the VMs of the host bundles, the guests (hostside.h, guestside.h)
 *     -> pair       each guest's VM (pair.h)
 *     -> chain      each case's devices, vmx slot to mount (chain.h)
 *     -> findings   the checks of each case (findings.h, catalog.h)
 *     -> timeline   each case's events, clock-skew (timeline.h)
 *     -> history    what changed, mapping-changed (history.h)
 *     -> order      findings errors first, totals
 *   = analysis (case.h), which the reports read (report.h)
 *
 * `pmemmap analyze` and `pmemmap batch` (and merge) both call analyze().
 */
#ifndef PMEMMAP_ANALYZE_H
#define PMEMMAP_ANALYZE_H

#include "case.h"
#include "model.h"

/* Analyse m into a (initialised here; free it with analysis_free). The
 * model is not changed; a must not outlive it. */
void analyze(const struct model *m, struct analysis *a);

#endif
