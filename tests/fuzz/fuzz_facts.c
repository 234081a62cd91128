/* fuzz_facts.c - the bytes are a facts document (what extract prints and
 * a batch worker writes to OUTDIR/work/facts), parsed by json-c and loaded
 * with model_load_json as batch phase 2 and merge load them; loaded twice
 * into one model (two inputs of a batch), then the analysis and the three
 * reports. A facts file is untrusted input: any type in any place must be
 * a failure with its reason, never an abort. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	struct buf err;

	fz_init();
	char *text = xstrndup((const char *)data, size);
	struct json_tokener *tok = json_tokener_new_ex(32); /* json_tokener_parse's depth */
	struct json_object *doc = json_tokener_parse_ex(tok, text, (int)strlen(text));
	json_tokener_free(tok);
	free(text);
	if (!doc)
		return 0;
	model_init(&m);
	m.log = NULL;
	m.fact_limit = 1000; /* --max-facts, small: its path is reached */
	buf_init(&err);
	for (int i = 0; i < 2; i++) {
		int r = model_load_json(&m, doc, &err);
		if (r < 0 && !err.len)
			abort(); /* a refusal always says why */
		buf_reset(&err);
	}
	json_object_put(doc);
	fz_report_all(&m);
	buf_free(&err);
	model_free(&m);
	return 0;
}
