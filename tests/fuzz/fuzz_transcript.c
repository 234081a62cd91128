/* fuzz_transcript.c - the bytes are a loose text file (a ticket note with
 * pasted command output): one transcript bundle, one member, run through
 * the shipped rules by the extractor as ingest does for a loose file
 * (extract_bundle_begin(loose), member_seen, member_begin, data, end).
 * The data arrives in chunks of varying size, so lines straddle chunk
 * boundaries the way they straddle libarchive's blocks. Then analysed
 * and rendered.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	struct extractor x;
	const char *member = "ticket-notes.txt";

	fz_init();
	model_init(&m);
	m.log = NULL;
	extractor_init(&x, &fz_rules, &fz_lim, &m);
	struct xbundle *xb = extract_bundle_begin(&x, "ticket-notes.txt", -1, true);
	extract_member_seen(xb, member);
	if (extract_member_begin(xb, member)) {
		uint64_t state = 0x9e3779b97f4a7c15ULL ^ size;
		size_t off = 0;
		while (off < size) {
			size_t n = fz_next_chunk(&state, size - off);
			extract_member_data(xb, (const char *)data + off, n);
			off += n;
		}
		extract_member_end(xb);
	}
	extract_bundle_end(xb);
	extractor_free(&x);

	fz_report_all(&m);
	model_free(&m);
	return 0;
}
