/* collect.h - the collection scripts `pmemmap collect NAME` prints.
 *
 * Their sources are collect/esxi.sh (run on the ESXi host) and
 * collect/guest.sh (run in the Linux guest); the build embeds them byte
 * for byte (scripts/embed.sh writes build/gen/collect_scripts.c, linked
 * into the program only) and `make install` copies the same files to
 * share/pmemmap/collect/, so the printed and the installed script are one.
 */
#ifndef PMEMMAP_COLLECT_H
#define PMEMMAP_COLLECT_H

#include <stddef.h>

struct collect_script {
	const char *name; /* "esxi", "guest": the argument of pmemmap collect */
	const char *source; /* "collect/esxi.sh", the file it was made from */
	const char *text; /* the script, len bytes (NUL-terminated too) */
	size_t len;
};

extern const struct collect_script collect_scripts[];
extern const unsigned collect_script_count;

#endif
