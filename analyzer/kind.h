/* kind.h - what a bundle is: an ESXi vm-support, a guest sosreport, or
 * pasted text (a transcript). Rules name the kind they apply to; the
 * model records the kind of each bundle; the analysis reads it.
 */
#ifndef PMEMMAP_KIND_H
#define PMEMMAP_KIND_H

#include <stdbool.h>

enum bundle_kind {
	KIND_UNKNOWN = 0,
	KIND_VMSUPPORT,
	KIND_SOSREPORT,
	KIND_TRANSCRIPT,
	KIND_ANY, /* rules only: applies to every kind */
};

/* "vm-support", "sosreport", "transcript", "any", else "unknown" */
const char *kind_name(enum bundle_kind k);
/* The kind a rule file names (every name above but "unknown"). */
bool kind_parse(const char *s, enum bundle_kind *k);

#endif
