/* version.c - the program's and the libraries' versions (version.h). */
#include "version.h"

#include <string.h>

#include <archive.h>
#include <json-c/json.h>
#include <lzma.h>
#include <zstd.h>
#ifdef HAVE_ISAL
#include <isa-l.h>
#endif

#include "cli.h"
#include "rules.h" /* pcre2.h, 8-bit */
#include "stream.h"

/* libarchive's details are its version, then the libraries it was built
 * with: "libarchive 3.6.2 zlib/1.2.13 liblzma/5.4.1 ..." */
static void print_libarchive(FILE *f)
{
	const char *name = archive_version_string(), *details = archive_version_details();
	size_t n = strlen(name);
	if (!strncmp(details, name, n) && details[n] == ' ')
		fprintf(f, "  %s (%s)\n", name, details + n + 1);
	else
		fprintf(f, "  %s\n", details);
}

void version_print(FILE *f)
{
	char pcre[64] = "unknown";
	if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) > (int)sizeof(pcre) ||
	    pcre2_config(PCRE2_CONFIG_VERSION, pcre) < 0)
		strcpy(pcre, "unknown");
	fprintf(f, "pmemmap %s\n", pmemmap_version);
	print_libarchive(f);
	fprintf(f, "  pcre2 %s\n", pcre);
	fprintf(f, "  json-c %s\n", json_c_version());
	fprintf(f, "  liblzma %s\n", lzma_version_string());
	fprintf(f, "  libzstd %s\n", ZSTD_versionString());
#ifdef HAVE_ISAL
	if (gz_stream_available())
		fprintf(f, "  isa-l %d.%d.%d (built against; inflates gzip unless --no-isal)\n", ISAL_MAJOR_VERSION,
			ISAL_MINOR_VERSION, ISAL_PATCH_VERSION);
#endif
	if (!gz_stream_available())
		fprintf(f, "  (built without ISA-L: gzip is inflated by libarchive's zlib)\n");
}
