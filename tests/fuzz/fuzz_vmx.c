/* fuzz_vmx.c - the bytes are a VM's .vmx file inside a vm-support bundle
 * (vmfs/volumes/datastore1/pmem-guest-001/pmem-guest-001.vmx), built as a
 * tar in a memfd and read with ingest_input like any bundle; the shipped
 * vmx rules (name, BIOS UUID, hardware version, nvdimm keys, disks) run on
 * it, then the analysis and the three reports.
 */
#include "fuzz_tar.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_init();
	const char *path = fz_tar_bundle("vmfs/volumes/datastore1/pmem-guest-001/pmem-guest-001.vmx", data, size);
	fz_analyze_path(path, 1);
	return 0;
}
