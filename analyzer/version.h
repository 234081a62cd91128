/* version.h - what `pmemmap --version` prints: the program's version on
 * the first line ("pmemmap 0.1.0"), then one line per library it reads
 * with, each "  NAME VERSION", the version as the library itself reports
 * it at run time (ISA-L has no such call: the version built against).
 */
#ifndef PMEMMAP_VERSION_H
#define PMEMMAP_VERSION_H

#include <stdio.h>

void version_print(FILE *f);

#endif
