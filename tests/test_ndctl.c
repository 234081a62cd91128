/* test_ndctl.c - the ndctl/daxctl JSON extractor on every shape ndctl
 * emits (formats.md 1.2-1.5), and on broken JSON.
 */
#include "jsonfix.h"
#include "ndctl.h"
#include "testutil.h"

struct nd {
	struct model m;
	struct limits lim;
};

/* Feed text line by line, as extract does, under --max-json-bytes
 * json_bytes (0: the default). */
static void feed_limited(struct nd *t, const char *text, bool quiet, uint64_t json_bytes)
{
	struct ndjson nj;
	struct evidence ev;
	uint64_t line = 0;

	model_init(&t->m);
	limits_default(&t->lim);
	if (json_bytes)
		t->lim.json_bytes = json_bytes;
	ev.bundle = model_add_bundle(&t->m, "sosreport-g1.tar.xz", -1);
	ev.member = model_str(&t->m, "sos_commands/pmem/ndctl_list_-vvv");
	ev.line = 0;
	memset(&nj, 0, sizeof(nj));
	ndjson_begin(&nj, &t->m, &t->lim, &ev, KIND_SOSREPORT, quiet);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		ndjson_line(&nj, p, n, ++line);
		p += n + (nl ? 1 : 0);
	}
	ndjson_end(&nj);
}

static void feed(struct nd *t, const char *text, bool quiet)
{
	feed_limited(t, text, quiet, 0);
}

static void test_seed_dimms_array(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\n    \"dev\":\"nmem1\",\n    \"id\":\"8902-a2ebf260\",\n    \"handle\":1,\n"
	     "    \"phys_id\":103\n  },\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"8902-206b080c\",\n"
	     "    \"handle\":0,\n    \"phys_id\":102\n  }\n]\n",
	     false);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 2);
	const struct fact *f = find_fact(&t.m, "nd.dimm", "dev", "nmem0");
	assert_string_equal(must_get(f, "serial"), "206b080c");
	assert_string_equal(must_get(f, "handle"), "0");
	assert_int_equal(f->ev.line, 9); /* the line of "dev":"nmem0" */
	f = find_fact(&t.m, "nd.dimm", "dev", "nmem1");
	assert_string_equal(must_get(f, "serial"), "a2ebf260");
	assert_int_equal(f->ev.line, 3);
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
}

static void test_pre_v62_bare_object(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "{\n  \"dev\":\"namespace0.0\",\n  \"mode\":\"memory\",\n  \"size\":17179869184,\n"
	     "  \"blockdev\":\"pmem0\"\n}\n",
	     false);
	const struct fact *f = find_fact(&t.m, "nd.namespace", "dev", "namespace0.0");
	assert_string_equal(must_get(f, "mode"), "memory");
	assert_string_equal(must_get(f, "blockdev"), "pmem0");
	assert_string_equal(must_get(f, "size"), "17179869184");
	assert_string_equal(must_get(f, "region"), "region0"); /* from the name */
	model_free(&t.m);
}

static void test_wrapper_with_nested_namespaces_and_mappings(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "{\n  \"dimms\":[\n    {\"dev\":\"nmem0\",\"id\":\"8902-c4197b3e\",\"handle\":0,\"phys_id\":2}\n  ],\n"
	     "  \"regions\":[\n    {\n      \"dev\":\"region3\",\n      \"size\":8589934592,\n"
	     "      \"available_size\":0,\n      \"type\":\"pmem\",\n      \"iset_id\":-6382611090938810793,\n"
	     "      \"mappings\":[{\"dimm\":\"nmem0\",\"offset\":0,\"length\":8589934592,\"position\":0}],\n"
	     "      \"persistence_domain\":\"memory_controller\",\n"
	     "      \"namespaces\":[{\"dev\":\"namespace3.0\",\"mode\":\"devdax\",\"map\":\"dev\",\"size\":8453619712,"
	     "\"uuid\":\"7B3E2D34-1F5A-4C9B-8E0D-2A6F9C1B5D77\",\"chardev\":\"dax3.0\",\"align\":2097152}]\n"
	     "    }\n  ]\n}\n",
	     false);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 1);
	const struct fact *r = find_fact(&t.m, "nd.region", "dev", "region3");
	assert_string_equal(must_get(r, "iset_id"), "-6382611090938810793");
	assert_string_equal(must_get(r, "size"), "8589934592");
	const struct fact *mp = find_fact(&t.m, "nd.mapping", "dimm", "nmem0");
	assert_string_equal(must_get(mp, "region"), "region3");
	const struct fact *ns = find_fact(&t.m, "nd.namespace", "dev", "namespace3.0");
	assert_string_equal(must_get(ns, "region"), "region3");
	assert_string_equal(must_get(ns, "chardev"), "dax3.0");
	assert_string_equal(must_get(ns, "uuid"), "7b3e2d34-1f5a-4c9b-8e0d-2a6f9c1b5d77");
	model_free(&t.m);
}

static void test_buses_with_health_and_flags(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\n    \"provider\":\"ACPI.NFIT\",\n    \"dev\":\"ndbus0\",\n    \"scrub_state\":\"idle\",\n"
	     "    \"dimms\":[\n      {\n        \"dev\":\"nmem0\",\n        \"id\":\"8902-206b080c\",\n"
	     "        \"handle\":0,\n        \"phys_id\":102,\n        \"flag_failed_flush\":true,\n"
	     "        \"flag_smart_event\":true,\n"
	     "        \"health\":{\"health_state\":\"ok\",\"shutdown_state\":\"clean\"}\n      }\n    ],\n"
	     "    \"regions\":[\n      {\"dev\":\"region0\",\"size\":17179869184,\"type\":\"pmem\",\n"
	     "       \"mappings\":[{\"dimm\":\"nmem0\",\"offset\":0,\"length\":17179869184}],\n"
	     "       \"namespaces\":[{\"dev\":\"namespace0.0\",\"mode\":\"fsdax\",\"map\":\"dev\",\"size\":16909336576,\"uuid\":\"0a9e8b0c-38a8-4ed5-a7c6-4f3e1a2b3c4d\",\"sector_size\":512,\"align\":2097152,\"blockdev\":\"pmem0\"}]}\n"
	     "    ]\n  }\n]\n",
	     false);
	assert_non_null(find_fact(&t.m, "nd.bus", "provider", "ACPI.NFIT"));
	const struct fact *d = find_fact(&t.m, "nd.dimm", "dev", "nmem0");
	assert_string_equal(must_get(d, "health_state"), "ok");
	assert_string_equal(must_get(d, "flags"), "failed_flush,smart_event");
	const struct fact *ns = find_fact(&t.m, "nd.namespace", "blockdev", "pmem0");
	assert_string_equal(must_get(ns, "region"), "region0");
	assert_string_equal(must_get(ns, "mode"), "fsdax");
	model_free(&t.m);
}

static void test_human_sizes(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "{\n  \"dev\":\"region1\",\n  \"size\":\"16.00 GiB (17.18 GB)\",\n"
	     "  \"available_size\":0,\n  \"type\":\"pmem\",\n"
	     "  \"mappings\":[{\"dimm\":\"nmem1\",\"offset\":\"0\",\"length\":\"16.00 GiB (17.18 GB)\"}]\n}\n"
	     "{\"dev\":\"nmem1\",\"id\":\"8902-a2ebf260\",\"handle\":\"0x1\",\"phys_id\":\"0x67\"}\n",
	     false);
	const struct fact *r = find_fact(&t.m, "nd.region", "dev", "region1");
	assert_string_equal(must_get(r, "size"), "17179869184");
	assert_string_equal(must_get(r, "size_human"), "16.00 GiB (17.18 GB)");
	const struct fact *d = find_fact(&t.m, "nd.dimm", "dev", "nmem1");
	assert_string_equal(must_get(d, "handle"), "1");
	assert_string_equal(must_get(d, "phys_id"), "103");
	model_free(&t.m);
}

static void test_long_form_id_and_warning_preamble(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "warning: no matching devices found\n"
	     "libndctl: ndctl_dimm_enable: nmem3: failed to enable\n"
	     "[\n  {\"dev\":\"nmem3\",\"id\":\"8089-a2-1837-00000be8\",\"handle\":4097,\"phys_id\":44,"
	     "\"state\":\"disabled\"}\n]\n",
	     false);
	const struct fact *d = find_fact(&t.m, "nd.dimm", "dev", "nmem3");
	assert_string_equal(must_get(d, "serial"), "00000be8");
	assert_string_equal(must_get(d, "state"), "disabled");
	assert_int_equal(d->ev.line, 4);
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
}

static void test_daxctl_regions_and_devices(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\n    \"id\":0,\n    \"size\":8453619712,\n    \"align\":2097152,\n"
	     "    \"devices\":[\n      {\n        \"chardev\":\"dax0.0\",\n        \"size\":8453619712,\n"
	     "        \"target_node\":0,\n        \"align\":2097152,\n        \"mode\":\"devdax\"\n      }\n    ]\n  }\n]\n",
	     false);
	const struct fact *d = find_fact(&t.m, "dax.device", "chardev", "dax0.0");
	assert_string_equal(must_get(d, "region"), "region0");
	assert_string_equal(must_get(d, "mode"), "devdax");
	assert_int_equal(d->ev.line, 8);
	model_free(&t.m);
}

static void test_read_labels(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\n    \"dev\":\"nmem0\",\n    \"index\":[{\"signature\":\"NAMESPACE_INDEX\",\"major\":1,\"minor\":2,\"labelsize\":256,\"seq\":1,\"nslot\":1022}],\n"
	     "    \"label\":[{\"uuid\":\"0A9E8B0C-38A8-4ED5-A7C6-4F3E1A2B3C4D\",\"name\":\"data\",\"slot\":0,\"position\":0,\"nlabel\":1,\"isetcookie\":1,\"lbasize\":0,\"dpa\":0,\"rawsize\":17179869184}]\n  }\n]\n",
	     false);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 0); /* labels, not a dimm listing */
	const struct fact *l = find_fact(&t.m, "nd.label", "dimm", "nmem0");
	assert_string_equal(must_get(l, "uuid"), "0a9e8b0c-38a8-4ed5-a7c6-4f3e1a2b3c4d");
	assert_string_equal(must_get(l, "name"), "data");
	model_free(&t.m);
}

static void test_malformed_json_warns_with_line(void **state)
{
	struct nd t;
	(void)state;
	feed(&t, "[\n  {\n    \"dev\":\"nmem0\",\n    \"id\" \"8902-206b080c\"\n  }\n]\n", false);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 0);
	assert_int_equal(t.m.ndiags, 1);
	assert_non_null(strstr(t.m.diags[0].message, "malformed JSON"));
	assert_string_equal(t.m.diags[0].member, "sos_commands/pmem/ndctl_list_-vvv");
	assert_int_equal(t.m.diags[0].line, 4);
	model_free(&t.m);
}

static void test_truncated_json_warns(void **state)
{
	struct nd t;
	(void)state;
	feed(&t, "[\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"8902-206b080c\",\n", false);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 0);
	assert_true(diag_contains(&t.m, DIAG_WARNING, "truncated output?"));
	model_free(&t.m);
}

/* A value past --max-json-bytes is skipped to the line that closes it;
 * the next value in the same output is read. */
static void test_oversized_value_then_the_next(void **state)
{
	struct nd t;
	struct buf text;
	(void)state;
	buf_init(&text);
	buf_puts(&text, "[\n");
	for (int i = 0; i < 40; i++)
		buf_printf(&text, "  {\n    \"dev\":\"nmem%d\",\n    \"id\":\"8902-%08x\"\n  },\n", i, i);
	buf_puts(&text, "  {}\n]\n{\n  \"dev\":\"nmem77\",\n  \"id\":\"8902-a2ebf260\"\n}\n");
	feed_limited(&t, text.data, false, 512);
	/* the elements that closed within the 512 bytes are read, as they
	 * close (53 bytes each, after the 2 of "["): nmem0 to nmem8; the line
	 * of nmem9's "id" passes the limit, and the rest of the value is not
	 * read, which the warning says */
	assert_true(diag_contains(&t.m, DIAG_WARNING,
				  "JSON text larger than 512 bytes (--max-json-bytes); the rest of it not parsed"));
	const struct fact *f = find_fact(&t.m, "nd.dimm", "dev", "nmem8");
	assert_non_null(f);
	assert_int_equal(f->ev.line, 35);
	assert_null(find_fact(&t.m, "nd.dimm", "dev", "nmem9"));
	assert_null(find_fact(&t.m, "nd.dimm", "dev", "nmem39"));
	f = find_fact(&t.m, "nd.dimm", "dev", "nmem77");
	assert_non_null(f);
	assert_string_equal(must_get(f, "serial"), "a2ebf260");
	assert_int_equal(f->ev.line, 165);
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 10);
	buf_free(&text);
	model_free(&t.m);

	/* a value over the limit before any element closed: none of it */
	buf_init(&text);
	buf_puts(&text, "[\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"");
	for (int i = 0; i < 600; i++)
		buf_puts(&text, "x");
	buf_puts(&text, "\"\n  }\n]\n");
	feed_limited(&t, text.data, false, 512);
	assert_true(diag_contains(&t.m, DIAG_WARNING, "JSON text larger than 512 bytes (--max-json-bytes); not parsed"));
	assert_int_equal(count_facts(&t.m, "nd.dimm"), 0);
	buf_free(&text);
	model_free(&t.m);
}

/* jsonfix: what is put right, and what is not touched */
static void test_jsonfix(void **state)
{
	struct buf out;
	struct jsonfix fx;
	(void)state;
	buf_init(&out);
	/* a comma lost with a line, between two keys and two objects */
	const char *comma = "[\n {\n  \"a\":1\n  \"b\":\"x\"\n }\n {\"c\":true}\n]\n";
	assert_true(jsonfix_repair(comma, strlen(comma), &out, &fx));
	assert_int_equal(fx.commas, 2);
	assert_int_equal(fx.comma_line, 3);
	assert_string_equal(out.data, "[\n {\n  \"a\":1\n  ,\"b\":\"x\"\n }\n ,{\"c\":true}\n]\n");
	/* typographic quotes; a value on the next line after ':' is no gap */
	const char *curly = "{\xe2\x80\x9c" "dev\xe2\x80\x9d:\n \"nmem0\"}";
	assert_true(jsonfix_repair(curly, strlen(curly), &out, &fx));
	assert_int_equal(fx.quotes, 2);
	assert_int_equal(fx.commas, 0);
	assert_string_equal(out.data, "{\"dev\":\n \"nmem0\"}");
	/* cut short: closed after the last whole element */
	const char *cut = "[\n {\"a\":[1,2]},\n {\"b\":\"x";
	assert_true(jsonfix_repair(cut, strlen(cut), &out, &fx));
	assert_true(fx.cut);
	assert_int_equal(fx.cut_line, 2);
	assert_string_equal(out.data, "[\n {\"a\":[1,2]}]");
	/* whole, and strings with brackets, quotes and newlines escaped: no change */
	const char *good = "{\"a\":\"}]\\\"[{\",\n\"b\":[]}";
	assert_false(jsonfix_repair(good, strlen(good), &out, &fx));
	assert_string_equal(out.data, good);
	/* cut before any element closed: nothing to keep */
	const char *early = "[\n {\"a\":1,";
	assert_false(jsonfix_repair(early, strlen(early), &out, &fx));
	buf_free(&out);
}

/* A prompt that opens with a bracket is not a JSON value to repair: the
 * ndctl output after it is read as ever. */
static void test_prompt_is_not_json(void **state)
{
	struct nd t;
	(void)state;
	feed(&t, "[root@esx01:~] ndctl list -D\n[\n  {\"dev\":\"nmem0\",\"id\":\"8902-206b080c\"}\n]\n", true);
	assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem0"));
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
	/* and prose JSON that is not ndctl's is dropped without a word */
	feed(&t, "[\n  {\"note\": \"see\" \"above\"}\n]\n", true);
	assert_int_equal(t.m.nfacts, 0);
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
}

/* A value is read as its elements close: the text kept of a long list is
 * a line break per line and a `null` per element read, not the list. */
static void test_elements_read_as_they_close(void **state)
{
	struct model m;
	struct limits lim;
	struct ndjson nj;
	struct evidence ev = { 0 };
	struct buf line;
	uint64_t no = 0;
	(void)state;
	model_init(&m);
	limits_default(&lim);
	ev.bundle = model_add_bundle(&m, "sosreport-g1.tar.xz", -1);
	ev.member = model_str(&m, "sos_commands/pmem/ndctl_list_-vvv");
	memset(&nj, 0, sizeof(nj));
	ndjson_begin(&nj, &m, &lim, &ev, KIND_SOSREPORT, false);
	buf_init(&line);
	const char *head[] = { "[", "  {", "    \"provider\":\"ACPI.NFIT\",", "    \"dev\":\"ndbus0\",",
			       "    \"dimms\":[" };
	for (size_t i = 0; i < 5; i++)
		ndjson_line(&nj, head[i], strlen(head[i]), ++no);
	for (int i = 0; i < 1000; i++) {
		buf_reset(&line);
		buf_printf(&line, "      {\"dev\":\"nmem%d\",\"id\":\"8902-%08x\",\"handle\":%d}%s", i, i, i,
			   i < 999 ? "," : "");
		ndjson_line(&nj, line.data, line.len, ++no);
	}
	/* every dimm is a fact before the value closes, on its own line */
	assert_int_equal(count_facts(&m, "nd.dimm"), 1000);
	const struct fact *f = find_fact(&m, "nd.dimm", "dev", "nmem999");
	assert_non_null(f);
	assert_int_equal(f->ev.line, 1005);
	assert_string_equal(must_get(f, "serial"), "000003e7");
	/* of the 1005 lines (58 KB), what is kept is the text around the
	 * elements: indent, `null`, comma and line break, 12 bytes a line */
	assert_true(nj.text.len <= 1000 * 12 + 100);
	assert_non_null(strstr(nj.text.data, "      null,\n      null,\n"));
	const char *tail[] = { "    ]", "  }", "]" };
	for (size_t i = 0; i < 3; i++)
		ndjson_line(&nj, tail[i], strlen(tail[i]), ++no);
	ndjson_end(&nj);
	/* the bus, read when its value closed, at its own line */
	f = find_fact(&m, "nd.bus", "dev", "ndbus0");
	assert_non_null(f);
	assert_int_equal(f->ev.line, 4);
	assert_int_equal(count_facts(&m, "nd.dimm"), 1000);
	assert_int_equal(m.ndiags, 0);
	buf_free(&line);
	model_free(&m);
}

/* What an object is, said after its lists (not how ndctl prints it): a
 * bus's "dev" late reads them as a bus would (no word); another "dev"
 * late is said, since its lists were read before it was known. */
#define DIMMS0 "\"dimms\":[\n    {\"dev\":\"nmem0\",\"id\":\"8902-206b080c\"}\n  ]"
static void test_kind_after_lists(void **state)
{
	struct nd t;
	(void)state;
	static const struct {
		const char *list, *late; /* the list read first, the keys after it */
		const char *type, *dev; /* a fact it gives */
		bool said;
	} c[] = {
		/* a bus's "dev" late: its lists read as a bus would */
		{ DIMMS0, "\"dev\":\"ndbus0\"", "nd.bus", "ndbus0", false },
		{ DIMMS0, "\"dev\":\"nmem7\",\n  \"id\":\"8902-a2ebf260\"", "nd.dimm", "nmem7", true },
		/* a wrapper's "buses" read, then a bus's "dev": a bus does not
		 * read "buses" */
		{ "\"buses\":[\n    {\"dev\":\"ndbus1\",\"provider\":\"ACPI.NFIT\"}\n  ]", "\"dev\":\"ndbus0\"",
		  "nd.bus", "ndbus1", true },
		/* a "dev" that is not a string names no bus */
		{ DIMMS0, "\"dev\":5,\n  \"id\":\"8902-a2ebf260\"", "nd.dimm", "nmem0", true },
		/* an escaped key could be "dev" (json-c reads "d\u0065v" as one) */
		{ DIMMS0, "\"d\\u0065v\":\"nmem7\",\n  \"id\":\"8902-a2ebf260\"", "nd.dimm", "nmem7", true },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct buf text;
		buf_init(&text);
		buf_printf(&text, "{\n  %s,\n  %s\n}\n", c[i].list, c[i].late);
		feed(&t, text.data, false);
		if (strstr(c[i].list, "nmem0"))
			assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem0"));
		assert_non_null(find_fact(&t.m, c[i].type, "dev", c[i].dev));
		assert_int_equal(diag_contains(&t.m, DIAG_WARNING, "after its lists (ndctl prints it first)"), c[i].said);
		if (!c[i].said)
			assert_int_equal(t.m.ndiags, 0);
		buf_free(&text);
		model_free(&t.m);
	}
}

/* Brackets and quotes inside strings are text, not structure: an
 * element whose strings hold `\"`, `}` and `]` is read whole, once. */
static void test_brackets_in_strings(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\"dev\":\"namespace0.0\",\"mode\":\"fsdax\",\"name\":\"a\\\"}],[{\",\"blockdev\":\"pmem0\"},\n"
	     "  {\"dev\":\"nmem0\",\"id\":\"8902-206b080c\"}\n]\n",
	     false);
	const struct fact *f = find_fact(&t.m, "nd.namespace", "dev", "namespace0.0");
	assert_non_null(f);
	assert_string_equal(must_get(f, "name"), "a\"}],[{");
	assert_string_equal(must_get(f, "blockdev"), "pmem0");
	assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem0"));
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
}

/* An element that neither parses nor can be repaired: the others are
 * read, the value is reported, and the count says elements were read. */
static void test_bad_element_among_good(void **state)
{
	struct nd t;
	(void)state;
	feed(&t,
	     "[\n  {\"dev\":\"nmem0\",\"id\":\"8902-206b080c\"},\n  {\"dev\":\"nmem1\" : : 7},\n"
	     "  {\"dev\":\"nmem2\",\"id\":\"8902-a2ebf260\"}\n]\n",
	     false);
	assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem0"));
	assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem2"));
	assert_null(find_fact(&t.m, "nd.dimm", "dev", "nmem1"));
	assert_true(diag_contains(&t.m, DIAG_WARNING, "malformed JSON ("));
	assert_true(diag_contains(&t.m, DIAG_WARNING,
				  "0 JSON values read from this member, and elements of one that did not parse whole"));
	const struct diag *d = &t.m.diags[0];
	assert_int_equal(d->line, 3);
	model_free(&t.m);
}

static void test_hostile_json(void **state)
{
	struct nd t;
	struct buf deep;
	(void)state;
	/* duplicate keys: json-c keeps the last; huge numbers stay text */
	feed(&t, "{\"dev\":\"nmem0\",\"dev\":\"nmem9\",\"id\":\"8902-00000001\",\"handle\":99999999999999999999999}\n",
	     false);
	const struct fact *d = find_fact(&t.m, "nd.dimm", "dev", "nmem9");
	assert_non_null(d);
	assert_non_null(fact_get(d, "handle"));
	model_free(&t.m);

	/* lists in lists are read down to 16 levels, no deeper */
	buf_init(&deep);
	for (int i = 0; i < 15; i++)
		buf_puts(&deep, "[");
	buf_puts(&deep, "{\"dev\":\"nmem1\"}");
	for (int i = 0; i < 15; i++)
		buf_puts(&deep, "]");
	buf_puts(&deep, "\n");
	for (int i = 0; i < 17; i++)
		buf_puts(&deep, "[");
	buf_puts(&deep, "{\"dev\":\"nmem2\"}");
	for (int i = 0; i < 17; i++)
		buf_puts(&deep, "]");
	buf_puts(&deep, "\n");
	feed(&t, deep.data, false);
	assert_non_null(find_fact(&t.m, "nd.dimm", "dev", "nmem1"));
	assert_null(find_fact(&t.m, "nd.dimm", "dev", "nmem2"));
	buf_free(&deep);
	model_free(&t.m);

	/* nesting deeper than --max-json-depth: a warning, no crash */
	buf_init(&deep);
	for (int i = 0; i < 5000; i++)
		buf_puts(&deep, "[");
	buf_puts(&deep, "\n");
	feed(&t, deep.data, false);
	assert_int_equal(t.m.nfacts, 0);
	assert_true(t.m.ndiags >= 1);
	buf_free(&deep);
	model_free(&t.m);
}

static void test_prose_is_quiet_for_transcripts(void **state)
{
	struct nd t;
	(void)state;
	feed(&t, "[   12.345678] nd_pmem namespace0.0: unable to guarantee persistence of writes\n"
		 "{ this is prose in braces }\n",
	     true);
	assert_int_equal(t.m.nfacts, 0);
	assert_int_equal(t.m.ndiags, 0);
	model_free(&t.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_dimms_array),
		cmocka_unit_test(test_pre_v62_bare_object),
		cmocka_unit_test(test_wrapper_with_nested_namespaces_and_mappings),
		cmocka_unit_test(test_buses_with_health_and_flags),
		cmocka_unit_test(test_human_sizes),
		cmocka_unit_test(test_long_form_id_and_warning_preamble),
		cmocka_unit_test(test_daxctl_regions_and_devices),
		cmocka_unit_test(test_read_labels),
		cmocka_unit_test(test_malformed_json_warns_with_line),
		cmocka_unit_test(test_truncated_json_warns),
		cmocka_unit_test(test_oversized_value_then_the_next),
		cmocka_unit_test(test_jsonfix),
		cmocka_unit_test(test_prompt_is_not_json),
		cmocka_unit_test(test_elements_read_as_they_close),
		cmocka_unit_test(test_kind_after_lists),
		cmocka_unit_test(test_brackets_in_strings),
		cmocka_unit_test(test_bad_element_among_good),
		cmocka_unit_test(test_hostile_json),
		cmocka_unit_test(test_prose_is_quiet_for_transcripts),
	};
	return cmocka_run_group_tests_name("ndctl", tests, NULL, NULL);
}
