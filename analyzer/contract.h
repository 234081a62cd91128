/* contract.h - a rules folder held to the fact contract (facts.h): what
 * its rules (and the ndctl parser, when a rule hands it JSON) can make,
 * against what the analysis reads. `pmemmap rules check` runs it.
 */
#ifndef PMEMMAP_CONTRACT_H
#define PMEMMAP_CONTRACT_H

#include <stddef.h>

#include "rules.h"
#include "util.h"

/* Each breach as one line of errs, naming the rule and the field; the
 * number of breaches. */
size_t rules_check_contract(const struct ruleset *rs, struct buf *errs);

#endif
