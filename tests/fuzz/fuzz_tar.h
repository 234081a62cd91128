/* fuzz_tar.h - build a small vm-support tar in a memfd with libarchive's
 * write API: the marker member (commands/vmware_-vl.txt) and the fuzzed
 * bytes as one member at the given path, under one top folder as real
 * bundles have. Then ingest it like any input file.
 */
#ifndef PMEMMAP_FUZZ_TAR_H
#define PMEMMAP_FUZZ_TAR_H

#include "fuzz_common.h" /* first: it defines _GNU_SOURCE */

#include <archive.h>
#include <archive_entry.h>

static void fz_tar_add(struct archive *a, const char *name, const void *data, size_t size)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, 1772707500, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK)
		abort();
	if (size && archive_write_data(a, data, size) != (la_ssize_t)size)
		abort();
	archive_entry_free(e);
}

/* Returns the path of the memfd holding the tar. */
static const char *fz_tar_bundle(const char *member, const uint8_t *data, size_t size)
{
	static const char marker[] = "VMware ESXi 7.0.3 build-19193900\nVMware ESXi 7.0 Update 3\n";
	static const char conf[] = "/adv/Misc/HostName = \"esx-fuzz.example.com\"\n";
	const char *path = fz_memfd_put(NULL, 0);
	struct archive *a = archive_write_new();
	char name[512];

	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	if (lseek(fz_memfd, 0, SEEK_SET) < 0 || archive_write_open_fd(a, fz_memfd) != ARCHIVE_OK)
		abort();
	fz_tar_add(a, "esx-fuzz-2026-03-05--10.12-1/commands/vmware_-vl.txt", marker, sizeof(marker) - 1);
	fz_tar_add(a, "esx-fuzz-2026-03-05--10.12-1/etc/vmware/esx.conf", conf, sizeof(conf) - 1);
	snprintf(name, sizeof(name), "esx-fuzz-2026-03-05--10.12-1/%s", member);
	fz_tar_add(a, name, data, size);
	archive_write_close(a);
	archive_write_free(a);
	return path;
}

#endif
