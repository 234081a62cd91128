/* natsort.h - natural order of names: "vm2" before "vm10".
 *
 * Names come from bundles and are hostile: a digit run of any length is
 * compared without converting it to a number (no overflow), by its length
 * once leading zeros are stripped, then digit by digit. Letters compare
 * without regard to ASCII case. The cost is linear in the lengths of the
 * two names, so sorting n names is n log n comparisons.
 */
#ifndef PMEMMAP_NATSORT_H
#define PMEMMAP_NATSORT_H

/* <0, 0 or >0 as a sorts before, with or after b in natural order. A
 * total order: names that differ only in leading zeros ("vm01", "vm1") or
 * in case compare by their first such difference; 0 only for equal
 * strings. NULL sorts after every name. */
int nat_compare(const char *a, const char *b);

#endif
