/* batch.h - many bundles in one run, resumable, fanned out to workers.
 *
 * Phase 1 reads each input in a worker process of its own and keeps its
 * facts in OUTDIR/work/facts/<key>.json (written atomically, so a run
 * killed at any point resumes where it stopped). Phase 2 loads every
 * facts file, pairs cases across the whole set and writes the index, the
 * per-case reports, results.jsonl and run.json. `merge` runs phase 2 over
 * the work folders of several partial runs.
 */
#ifndef PMEMMAP_BATCH_H
#define PMEMMAP_BATCH_H

#include "cli.h"

int cmd_batch(struct cli *cli);
int cmd_merge(struct cli *cli);

#endif
