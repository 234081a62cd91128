/* uuid.h - one canonical form for the UUIDs we compare.
 *
 * The same 128-bit value appears as "60 00 C2 98 42 c7 54 f8-02 c2 d4 9b
 * 20 6b 08 0c" (vmkfstools, ddb.uuid, uuid.bios), as 8-4-4-4-12 in either
 * case (dmidecode, sysfs), and as 32 bare hex digits. We normalise all of
 * them to lowercase 8-4-4-4-12 once, at extraction time.
 */
#ifndef PMEMMAP_UUID_H
#define PMEMMAP_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 36 /* without the NUL */

/* Accept 32 hex digits separated by any of " -:{}"; write canonical form. */
bool uuid_normalize(const char *in, char out[UUID_STR_LEN + 1]);
/* SMBIOS >= 2.6 stores the first three fields little-endian: swap them. */
void uuid_swap_smbios(const char in[UUID_STR_LEN + 1], char out[UUID_STR_LEN + 1]);
/* The serial used for matching: the last 32 bits, 8 lowercase hex digits. */
void uuid_serial(const char canon[UUID_STR_LEN + 1], char out[9]);
/* ndctl dimm id "8902-206b080c" or "8089-a2-1837-00000be8": last field. */
bool dimm_id_serial(const char *id, char out[9]);

#endif
