/* test_ingest.c - every way a bundle arrives gives the same facts: the
 * extracted folder, each archive format, nested archives; FRAG pieces are
 * rejoined; broken inputs are reported by bundle and member while the
 * other inputs are still read.
 */
#include "testutil.h"
#include "analyze.h"
#include "report.h"

#define HOST "esx-esx01-2026-03-05--10.12-2107676"
#define GUEST1 "sosreport-pmem-guest-001-2026-03-05-kqzvbte"
#define GUEST2 "sosreport-pmem-guest-002-2026-03-05-mhtrwpa"

/* Facts (with member and line, without bundle path) of one input. */
static char *facts_of(const char *path, bool packed_fixture, int *status, enum bundle_kind *kind)
{
	struct run r;
	char *p = packed_fixture ? packed(path) : src_path(path);
	run_init(&r);
	r.m.log = NULL;
	int s = run_input(&r, p);
	if (status)
		*status = s;
	if (s)
		dump_diags(&r.m);
	if (kind)
		*kind = r.m.nbundles ? r.m.bundles[0].kind : KIND_UNKNOWN;
	char *text = facts_text(&r.m, true);
	run_free(&r);
	free(p);
	return text;
}

static void test_host_folder_facts(void **state)
{
	struct run r;
	char *p = src_path("fixtures/bundles/" HOST);
	(void)state;
	run_init(&r);
	r.m.log = NULL;
	assert_int_equal(run_input(&r, p), 0);
	assert_int_equal(r.m.bundles[0].kind, KIND_VMSUPPORT);
	const struct fact *f = find_fact(&r.m, "vmdk.uuid", "uuid", "6000c298-42c7-54f8-02c2-d49b206b080c");
	assert_non_null(f);
	assert_string_equal(must_get(f, "vmdk"), "pmem-guest-001.vmdk");
	assert_string_equal(must_get(f, "serial"), "206b080c");
	assert_string_equal(f->ev.member,
			    "vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/pmem-guest-001/pmem-guest-001.vmdk");
	f = find_fact(&r.m, "vmdk.uuid", "uuid", "6000c29d-9045-4266-d7cf-edf7a2ebf260");
	assert_string_equal(must_get(f, "serial"), "a2ebf260");
	assert_non_null(find_fact(&r.m, "vmx.nvdimm", "device", "nvdimm0:1"));
	assert_non_null(find_fact(&r.m, "esx.version", "build", "19193900"));
	assert_non_null(find_fact(&r.m, "esx.hostname", "hostname", "esx01.lab.example.com"));
	assert_non_null(find_fact(&r.m, "esx.filesystem", "type", "PMEM"));
	assert_int_equal(count_facts(&r.m, "vmx.name"), 2);
	/* no guest rule leaked into a host bundle */
	assert_int_equal(count_facts(&r.m, "nd.dimm"), 0);
	/* only members that rules ask for were opened */
	assert_true(r.x.members_opened < r.m.bundles[0].members_seen);
	run_free(&r);
	free(p);
}

static void test_guest_folder_facts(void **state)
{
	struct run r;
	char *p = src_path("fixtures/bundles/" GUEST1);
	(void)state;
	run_init(&r);
	r.m.log = NULL;
	assert_int_equal(run_input(&r, p), 0);
	assert_int_equal(r.m.bundles[0].kind, KIND_SOSREPORT);
	const struct fact *d = find_fact(&r.m, "nd.dimm", "dev", "nmem0");
	assert_string_equal(must_get(d, "id"), "8902-206b080c");
	d = find_fact(&r.m, "nd.dimm", "dev", "nmem1");
	assert_string_equal(must_get(d, "id"), "8902-a2ebf260");
	assert_non_null(find_fact(&r.m, "nd.mapping", "dimm", "nmem1"));
	assert_non_null(find_fact(&r.m, "nd.namespace", "blockdev", "pmem1"));
	assert_non_null(find_fact(&r.m, "guest.fstab", "spec", "/dev/pmem1"));
	assert_non_null(find_fact(&r.m, "guest.hostname", "hostname", "pmem-guest-001"));
	assert_non_null(find_fact(&r.m, "guest.system_uuid", NULL, NULL));
	assert_non_null(find_fact(&r.m, "guest.blkid", "device", "/dev/pmem0"));
	assert_non_null(find_fact(&r.m, "guest.kernel", NULL, NULL));
	assert_int_equal(count_facts(&r.m, "vmdk.uuid"), 0);
	run_free(&r);
	free(p);
}

static void same_as_folder(const char *folder, const char *const *archives, size_t n)
{
	char *rel = xasprintf("fixtures/bundles/%s", folder);
	int status;
	char *want = facts_of(rel, false, &status, NULL);
	assert_int_equal(status, 0);
	assert_true(strlen(want) > 100);
	for (size_t i = 0; i < n; i++) {
		enum bundle_kind kind;
		char *got = facts_of(archives[i], true, &status, &kind);
		if (strcmp(want, got))
			fail_msg("%s gives other facts than the folder:\n--- folder\n%s\n--- %s\n%s",
				 archives[i], want, archives[i], got);
		assert_int_equal(status, 0);
		free(got);
	}
	free(want);
	free(rel);
}

static void test_host_archive_formats(void **state)
{
	static const char *const a[] = { HOST ".tgz" };
	(void)state;
	same_as_folder(HOST, a, 1);
}

static void test_guest_archive_formats(void **state)
{
	static const char *const a[] = { GUEST1 ".tar.xz", GUEST1 ".tar.gz", GUEST1 ".tar.bz2",
					 GUEST1 ".zip", GUEST1 ".tar.zst" };
	(void)state;
	same_as_folder(GUEST1, a, sizeof(a) / sizeof(a[0]));
}

/* The gzip fast path (ISA-L) and libarchive's zlib give the same facts. */
static void test_isal_and_zlib_agree(void **state)
{
	struct run r1, r2;
	char *p = packed(HOST ".tgz");
	(void)state;
	run_init(&r1);
	run_init(&r2);
	r1.m.log = r2.m.log = NULL;
	r2.in.use_isal = false;
	assert_int_equal(run_input(&r1, p), 0);
	assert_int_equal(run_input(&r2, p), 0);
	char *a = facts_text(&r1.m, true), *b = facts_text(&r2.m, true);
	assert_string_equal(a, b);
	free(a);
	free(b);
	run_free(&r1);
	run_free(&r2);
	free(p);
}

/* A ticket zip holding a host .tgz, a guest .tar.xz and a transcript. */
static void test_nested_ticket_zip(void **state)
{
	struct run r;
	char *p = packed("ticket-48213.zip");
	(void)state;
	run_init(&r);
	r.m.log = NULL;
	assert_int_equal(run_input(&r, p), 0);
	int host = -1, guest = -1;
	for (size_t i = 0; i < r.m.nbundles; i++) {
		if (r.m.bundles[i].empty)
			continue;
		if (r.m.bundles[i].kind == KIND_VMSUPPORT)
			host = (int)i;
		if (r.m.bundles[i].kind == KIND_SOSREPORT)
			guest = (int)i;
	}
	assert_true(host > 0 && guest > 0);
	assert_non_null(strstr(r.m.bundles[host].path, "ticket-48213.zip!"));
	assert_int_equal(r.m.bundles[host].parent, 0);
	const struct fact *f = find_fact(&r.m, "vmdk.uuid", "serial", "a2ebf260");
	assert_non_null(f);
	assert_non_null(find_fact(&r.m, "nd.dimm", "id", "8902-206b080c"));
	run_free(&r);
	free(p);

	/* the nested host bundle gives exactly the facts of the .tgz alone */
	run_init(&r);
	r.m.log = NULL;
	p = packed("vcenter-export.zip");
	assert_int_equal(run_input(&r, p), 0);
	char *nested = facts_text(&r.m, true);
	char *alone = facts_of(HOST ".tgz", true, NULL, NULL);
	assert_string_equal(nested, alone);
	free(nested);
	free(alone);
	run_free(&r);
	free(p);
}

/* vmkernel.log.FRAG-0000N are read as one member; the line cut at the
 * join is whole again. */
static void test_frag_rejoin(void **state)
{
	struct run r;
	char *dir = src_path("fixtures/bundles/" HOST "/var/run/log");
	char *f0 = xasprintf("%s/vmkernel.log.FRAG-00000", dir);
	char *f1 = xasprintf("%s/vmkernel.log.FRAG-00001", dir);
	char *a = read_text(f0), *b = read_text(f1);
	(void)state;
	assert_true(a[strlen(a) - 1] != '\n'); /* the fixture cuts a line */
	char *tail = strrchr(a, '\n') + 1;
	char *joined = xasprintf("%s%.*s", tail, (int)strcspn(b, "\n"), b);
	char *msg = strstr(joined, "Z ") + 2; /* after the timestamp */

	char *p = packed(HOST ".tgz");
	run_init(&r);
	r.m.log = NULL;
	assert_int_equal(run_input(&r, p), 0);
	const struct fact *f = find_fact(&r.m, "esx.log", "message", msg);
	if (!f)
		fail_msg("no fact for the rejoined line: %s", msg);
	assert_string_equal(f->ev.member, "var/run/log/vmkernel.log");
	/* its line number counts the lines of FRAG-00000 */
	size_t lines = 0;
	for (char *s = a; *s; s++)
		lines += *s == '\n';
	assert_int_equal(f->ev.line, lines + 1);
	/* a compressed rotated log is read too */
	assert_non_null(find_fact(&r.m, "esx.log", NULL, NULL));
	bool rotated = false;
	for (size_t i = 0; i < r.m.nfacts; i++)
		rotated |= !strcmp(r.m.facts[i].ev.member, "var/run/log/vmkernel.0.gz");
	assert_true(rotated);
	run_free(&r);
	free(p);
	free(joined);
	free(a);
	free(b);
	free(f0);
	free(f1);
	free(dir);
}

static void test_crlf_transcript_same_facts(void **state)
{
	char *lf = facts_of("fixtures/transcripts/ticket-48213-notes.txt", false, NULL, NULL);
	char *crlf = facts_of("fixtures/transcripts/ticket-48213-notes-crlf.txt", false, NULL, NULL);
	(void)state;
	assert_non_null(strstr(lf, "vmdk.uuid"));
	assert_non_null(strstr(lf, "nd.dimm"));
	/* values identical; only the member name differs */
	char *a = lf, *b = crlf;
	size_t na = 0, nb = 0;
	for (; *a; a++)
		na += *a == '\n';
	for (; *b; b++)
		nb += *b == '\n';
	assert_int_equal(na, nb);
	assert_non_null(strstr(crlf, "uuid=6000c298-42c7-54f8-02c2-d49b206b080c"));
	assert_null(strstr(crlf, "\r"));
	free(lf);
	free(crlf);
}

/* Every ndctl shape sample yields dimm, region or namespace facts. */
static void test_ndctl_shape_samples(void **state)
{
	static const struct {
		const char *file, *type, *key, *value;
	} cases[] = {
		{ "array-dimms.json", "nd.dimm", "serial", "a2ebf260" },
		{ "bare-object-pre-v62-dimm.json", "nd.dimm", NULL, NULL },
		{ "bare-object-pre-v62-namespace.json", "nd.namespace", "mode", "memory" },
		{ "bus-array-vvv-physical.json", "nd.dimm", NULL, NULL },
		{ "bus-array-vvv-vmware-guest.json", "nd.mapping", "dimm", "nmem1" },
		{ "daxctl-list-iDR.json", "dax.device", NULL, NULL },
		{ "human-DRN.json", "nd.region", "size", "17179869184" },
		{ "human-single-dimm-bare.json", "nd.dimm", NULL, NULL },
		{ "long-id-physical-dimms.json", "nd.dimm", NULL, NULL },
		{ "raw-labelless-namespaces.json", "nd.namespace", "mode", "raw" },
		{ "read-labels-j-all.txt", "nd.label", NULL, NULL },
		{ "warning-prefix.txt", "nd.dimm", "dev", "nmem1" },
		{ "wrapper-dimms-namespaces.json", "nd.namespace", NULL, NULL },
		{ "wrapper-dimms-regions-namespaces.json", "nd.mapping", NULL, NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct run r;
		char *rel = xasprintf("fixtures/ndctl/%s", cases[i].file);
		char *p = src_path(rel);
		run_init(&r);
		r.m.log = NULL;
		assert_int_equal(run_input(&r, p), 0);
		if (!find_fact(&r.m, cases[i].type, cases[i].key, cases[i].value))
			fail_msg("%s: no %s fact with %s=%s", cases[i].file, cases[i].type,
				 cases[i].key ? cases[i].key : "*", cases[i].value ? cases[i].value : "*");
		run_free(&r);
		free(p);
		free(rel);
	}
}

/* The model keeps valid UTF-8 without NULs: bad bytes anywhere in a
 * string (inside the 8-byte ASCII fast path's words or after them) become
 * U+FFFD, clean text comes back as it went in, and equal text is one
 * pointer. */
static void test_model_strings(void **state)
{
	(void)state;
	struct model m;
	model_init(&m);
	const char ascii[] = "vmfs/volumes/PMemDS-1/pmem-guest-001/pmem-guest-001_1.vmdk";
	const char *a = model_intern(&m, ascii, sizeof(ascii) - 1);
	assert_string_equal(a, ascii);
	assert_ptr_equal(a, model_str(&m, ascii));
	/* a bad byte at every offset of a 20-byte string */
	for (size_t at = 0; at < 20; at++) {
		char in[20], want[32];
		memset(in, 'x', sizeof(in));
		in[at] = (char)(at % 2 ? 0xff : 0x00);
		size_t w = 0;
		for (size_t i = 0; i < sizeof(in); i++) {
			if (i == at) {
				memcpy(want + w, "\xef\xbf\xbd", 3);
				w += 3;
			} else {
				want[w++] = 'x';
			}
		}
		want[w] = '\0';
		assert_string_equal(model_intern(&m, in, sizeof(in)), want);
	}
	/* valid multi-byte text is kept, also after an ASCII run */
	const char utf[] = "mount point /data/m\xc3\xbcller \xe2\x82\xac";
	assert_string_equal(model_intern(&m, utf, sizeof(utf) - 1), utf);
	model_free(&m);
}

/* analyze --format json prints the cases one at a time; the text must be
 * exactly what printing the whole tree gives, for the example (two
 * cases) and for an input with no case. */
static void test_json_text_equals_tree(void **state)
{
	(void)state;
	const char *sets[][3] = {
		{ "fixtures/bundles/esx-esx01-2026-03-05--10.12-2107676",
		  "fixtures/bundles/sosreport-pmem-guest-001-2026-03-05-kqzvbte",
		  "fixtures/bundles/sosreport-pmem-guest-002-2026-03-05-mhtrwpa" },
		{ "fixtures/transcripts/ndctl-list-D.json", NULL, NULL },
	};
	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		struct run r;
		struct analysis a;
		run_init(&r);
		for (size_t i = 0; i < 3 && sets[k][i]; i++) {
			char *p = src_path(sets[k][i]);
			run_input(&r, p);
			free(p);
		}
		analyze(&r.m, &a);
		if (k == 0)
			assert_int_equal(a.ncases, 2);
		struct json_object *doc = report_json(&r.m, &a);
		json_object_object_add(doc, "pmemmap", json_object_new_string("9.9"));
		json_object_object_add(doc, "rules_digest", json_object_new_string("abc"));
		char *want = xasprintf("%s\n", json_object_to_json_string_ext(
			doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		size_t n;
		char *got = report_json_text(&r.m, &a, "9.9", "abc", &n);
		assert_int_equal(n, strlen(want));
		assert_string_equal(got, want);
		free(got);
		free(want);
		json_object_put(doc);
		analysis_free(&a);
		run_free(&r);
	}
}

/* A rule set may leave uuid.bios as the .vmx writes it (47 characters,
 * spaces and a dash): correlate must neither read past it (ASan) nor miss
 * the guest whose SMBIOS reads it byte-swapped. */
static void test_raw_bios_uuid_pairs(void **state)
{
	(void)state;
	struct model m;
	struct analysis a;
	model_init(&m);
	m.log = NULL;
	uint32_t host = model_add_bundle(&m, "esx-esx01-2026-03-05--10.12-2107676", -1);
	uint32_t guest = model_add_bundle(&m, "sosreport-pmem-guest-001-2026-03-05-kqzvbte", -1);
	m.bundles[host].kind = KIND_VMSUPPORT;
	m.bundles[guest].kind = KIND_SOSREPORT;
	struct evidence vmx = { host, "vmfs/volumes/datastore1/pmem-guest-001/pmem-guest-001.vmx", 0 };
	struct field name[] = { { "name", "pmem-guest-001" } };
	struct field bios[] = { { "uuid", "42 13 38 a5 0a 6a b9 b4-b6 47 30 07 99 1c f1 d6" } };
	model_add_fact(&m, "vmx.name", name, 1, KIND_VMSUPPORT, &vmx);
	model_add_fact(&m, "vmx.bios_uuid", bios, 1, KIND_VMSUPPORT, &vmx);
	struct evidence dmi = { guest, "dmidecode", 5 };
	struct field sys[] = { { "uuid", "a5381342-6a0a-b4b9-b647-3007991cf1d6" } };
	struct field host_name[] = { { "hostname", "other-name" } };
	model_add_fact(&m, "guest.system_uuid", sys, 1, KIND_SOSREPORT, &dmi);
	model_add_fact(&m, "guest.hostname", host_name, 1, KIND_SOSREPORT, &dmi);
	analyze(&m, &a);
	assert_int_equal(a.ncases, 1);
	assert_string_equal(a.cases[0].paired_by, "system-uuid");
	analysis_free(&a);
	model_free(&m);
}

/* A line longer than --max-line-bytes that goes on over several chunks
 * is skipped to its end, once; the lines after it keep their numbers. */
static void test_overlong_line_over_chunks(void **state)
{
	struct run r;
	char chunk[200];
	(void)state;
	run_init(&r);
	r.m.log = NULL;
	r.lim.line_bytes = 64;
	struct xbundle *xb = extract_bundle_begin(&r.x, "notes.txt", -1, true);
	assert_true(extract_member_begin(xb, "notes.txt"));
	const char *first = "nvdimm0:0.present = \"TRUE\"\n";
	extract_member_data(xb, first, strlen(first));
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 3; i++) /* line 2: 600 bytes in three chunks */
		extract_member_data(xb, chunk, sizeof(chunk));
	const char *rest = "xxxx\nnvdimm0:0.fileName = \"/vmfs/volumes/pmemds/vm1/vm1.vmdk\"\n";
	extract_member_data(xb, rest, strlen(rest));
	extract_member_end(xb);
	extract_bundle_end(xb);
	const struct fact *f = find_fact(&r.m, "vmx.nvdimm", "prop", "fileName");
	assert_non_null(f);
	assert_int_equal(f->ev.line, 3);
	assert_int_equal(find_fact(&r.m, "vmx.nvdimm", "prop", "present")->ev.line, 1);
	assert_int_equal(r.m.ndiags, 1);
	assert_non_null(strstr(r.m.diags[0].message, "line longer than 64 bytes (--max-line-bytes); skipped"));
	assert_int_equal(r.m.diags[0].line, 2);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_strings),
		cmocka_unit_test(test_json_text_equals_tree),
		cmocka_unit_test(test_raw_bios_uuid_pairs),
		cmocka_unit_test(test_host_folder_facts),
		cmocka_unit_test(test_guest_folder_facts),
		cmocka_unit_test(test_host_archive_formats),
		cmocka_unit_test(test_guest_archive_formats),
		cmocka_unit_test(test_isal_and_zlib_agree),
		cmocka_unit_test(test_nested_ticket_zip),
		cmocka_unit_test(test_frag_rejoin),
		cmocka_unit_test(test_crlf_transcript_same_facts),
		cmocka_unit_test(test_ndctl_shape_samples),
		cmocka_unit_test(test_overlong_line_over_chunks),
	};
	return cmocka_run_group_tests_name("ingest", tests, NULL, NULL);
}
