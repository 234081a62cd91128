/* fuzz_ingest.c - the bytes are an input file: archive (any format,
 * nested), compressed text or loose text. Written to a memfd and read
 * with ingest_input("/proc/self/fd/N") exactly as the command line reads a
 * file, then analysed and rendered as JSON, Markdown and HTML. A gzip
 * input is read twice: through ISA-L and through libarchive's zlib.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	const char *path = fz_memfd_put(data, size);
	fz_analyze_path(path, 1);
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		fz_analyze_path(path, 0);
	return 0;
}
