/* fuzz_vmdk.c - the bytes are a .vmdk descriptor on the PMem datastore
 * (vmfs/volumes/PMemDS-.../pmem-guest-001/pmem-guest-001.vmdk) inside a
 * vm-support bundle built as a tar in a memfd, read with ingest_input; the
 * shipped vmdk rules (ddb.uuid, extents, createType) run on it, then
 * the analysis and the three reports.
 */
#include "fuzz_tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	const char *path = fz_tar_bundle(
		"vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/pmem-guest-001/pmem-guest-001.vmdk",
		data, size);
	fz_analyze_path(path, 1);
	return 0;
}
