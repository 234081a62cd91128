/* fuzz_ndctl.c - the bytes are the text of an ndctl/daxctl output (or a
 * ticket with JSON pasted between prose), fed line by line to the ndctl
 * JSON extractor as extract.c feeds it: '\n' splits lines, a trailing
 * '\r' is dropped. The first byte picks quiet (transcript) or loud
 * (sosreport) mode; the rest is the text.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	struct ndjson nj;

	fz_init();
	if (size == 0)
		return 0;
	bool quiet = data[0] & 1;
	const char *p = (const char *)data + 1, *end = (const char *)data + size;

	model_init(&m);
	m.log = NULL;
	uint32_t id = model_add_bundle(&m, "fuzz-sosreport.tar.xz", -1);
	struct evidence ev = { id, model_str(&m, "sos_commands/pmem/ndctl_list_-vvv"), 0 };
	ndjson_begin(&nj, &m, &fz_lim, &ev, quiet ? KIND_TRANSCRIPT : KIND_SOSREPORT, quiet);
	uint64_t line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t k = n;
		if (k && p[k - 1] == '\r')
			k--;
		ndjson_line(&nj, p, k, ++line);
		p += n + (nl ? 1 : 0);
	}
	ndjson_end(&nj);
	struct wbuf facts;
	wbuf_init(&facts, NULL, NULL);
	model_facts_write(&facts, &m, "fuzz", "fuzz", NULL, true);
	wbuf_finish(&facts);
	buf_free(&facts.b);
	model_free(&m);
	return 0;
}
