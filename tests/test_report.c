/* test_report.c - what the reports say, field by field: the JSON values of
 * a device (sizes, serial, status, evidence and its count), the Markdown
 * table cells and evidence lists with their "and N more", the escaping of
 * a bundle string in each context, and the counts of what a list left out.
 * The whole-file checks (CommonMark rendering, the browser) are elsewhere;
 * these say which field holds what.
 */
#include "testutil.h"
#include "analyze.h"
#include "catalog.h"
#include "modelbuild.h"
#include "report.h"
#include "escape.h"
#include "writers.h"

static struct analysis A;

static int setup(void **state)
{
	(void)state;
	model_init(&M);
	memset(&A, 0, sizeof(A));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&A);
	model_free(&M);
	return 0;
}

/* host and guest of one VM: nvdimm0:0 16 GiB mapped to nmem0 (fsdax,
 * /data by UUID), nvdimm0:1 mapped to nmem1 whose region is smaller
 * (16000 MiB: a size mismatch), mounted by kernel name on /logs */
static void pair(void)
{
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos|pipe.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	dimm(g, 1, "a2ebf260", "16777216000", "fsdax");
	blkid(g, 0, "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	fact(g, "proc/mounts", 26, "guest.mount", "source", "/dev/pmem0", "target", "/data", NULL);
	fact(g, "proc/mounts", 27, "guest.mount", "source", "/dev/pmem1", "target", "/logs|x", NULL);
	fstab(g, 15, "UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873", "/data");
	fstab(g, 16, "/dev/pmem1", "/logs|x");
	analyze(&M, &A);
}

static struct json_object *json_doc(void)
{
	size_t n;
	char *text = report_json_text(&M, &A, "9.9", "d1g3st", &n);
	struct json_object *doc = json_tokener_parse(text);
	assert_non_null(doc);
	free(text);
	return doc;
}

static struct json_object *at(struct json_object *o, const char *path)
{
	/* "cases.0.devices.1.size_host" */
	char *p = xstrdup(path), *save = NULL;
	for (char *k = strtok_r(p, ".", &save); k && o; k = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!json_object_object_get_ex(o, k, &o))
			o = NULL;
	}
	free(p);
	return o;
}

static const char *str_at(struct json_object *doc, const char *path)
{
	struct json_object *o = at(doc, path);
	return o && json_object_is_type(o, json_type_string) ? json_object_get_string(o) : NULL;
}

static void test_json_fields(void **state)
{
	(void)state;
	pair();
	struct json_object *doc = json_doc();
	assert_string_equal(str_at(doc, "schema"), "pmemmap/1");
	assert_string_equal(str_at(doc, "pmemmap"), "9.9");
	assert_string_equal(str_at(doc, "rules_digest"), "d1g3st");
	assert_string_equal(str_at(doc, "cases.0.paired_by"), "system-uuid");
	assert_string_equal(str_at(doc, "cases.0.vm.name"), "vm1");
	assert_string_equal(str_at(doc, "cases.0.vm.host"), "esx01");
	assert_string_equal(str_at(doc, "cases.0.guest.collected_at"), "2026-03-05 10:31:05");
	/* sizes: host from the vmx MB, guest from the region */
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.0.size_host")), 17179869184LL);
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.0.size_guest")), 17179869184LL);
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.1.size_host")), 17179869184LL);
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.1.size_guest")), 16777216000LL);
	assert_string_equal(str_at(doc, "cases.0.devices.1.serial"), "a2ebf260");
	assert_string_equal(str_at(doc, "cases.0.devices.1.vmdk_uuid"), "6000c298-42c7-54f8-02c2-d49ba2ebf260");
	assert_string_equal(str_at(doc, "cases.0.devices.1.dimm_id"), "8902-a2ebf260");
	assert_string_equal(str_at(doc, "cases.0.devices.0.status"), "matched");
	assert_string_equal(str_at(doc, "cases.0.devices.0.confidence"), "high");
	assert_string_equal(str_at(doc, "cases.0.devices.1.confidence"), "medium");
	assert_string_equal(str_at(doc, "cases.0.devices.0.namespaces.0.fs_uuid"),
			    "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	assert_string_equal(str_at(doc, "cases.0.devices.0.namespaces.0.mountpoints.0"), "/data");
	assert_string_equal(str_at(doc, "cases.0.devices.1.namespaces.0.fstab.0"), "/dev/pmem1 /logs|x xfs defaults,dax");
	/* evidence: device 0 has its slot (2 vmx lines), descriptor, dimm,
	 * mapping, region, namespace, blkid, mount and fstab lines */
	struct json_object *ev = at(doc, "cases.0.devices.0.evidence");
	assert_int_equal(json_object_array_length(ev), 10);
	assert_string_equal(str_at(doc, "cases.0.devices.0.evidence.0.member"), VMX("x"));
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.0.evidence.0.line")), 20);
	assert_string_equal(str_at(doc, "cases.0.devices.0.evidence.0.bundle"), "esx.tgz");
	assert_null(at(doc, "cases.0.devices.0.evidence_omitted"));
	/* findings: errors first; the size mismatch before the kernel-name mount */
	assert_string_equal(str_at(doc, "cases.0.findings.0.code"), "size-mismatch");
	assert_string_equal(str_at(doc, "cases.0.findings.0.severity"), "warning");
	assert_string_equal(str_at(doc, "cases.0.findings.1.code"), "mount-by-kernel-name");
	assert_int_equal(json_object_array_length(at(doc, "cases.0.findings")), 2);
	assert_string_equal(str_at(doc, "inputs.1.path"), "sos|pipe.tar.xz");
	assert_string_equal(str_at(doc, "inputs.1.status"), "read");
	json_object_put(doc);
}

/* the line of text that holds needle */
static char *line_with(const char *text, const char *needle)
{
	const char *p = strstr(text, needle);
	if (!p)
		return NULL;
	const char *s = p, *e = p;
	while (s > text && s[-1] != '\n')
		s--;
	while (*e && *e != '\n')
		e++;
	return xstrndup(s, (size_t)(e - s));
}

static void test_markdown_fields(void **state)
{
	(void)state;
	pair();
	char *md = report_md(&M, &A);
	char *row = line_with(md, "| nvdimm0:1 |");
	assert_non_null(row);
	/* thirteen cells: the .vmdk's file name and its datastore apart; '|'
	 * in a mount point escaped, never a cell of its own */
	assert_string_equal(row, "| nvdimm0:1 | vm1\\_1.vmdk | PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d | "
				 "6000c298-42c7-54f8-02c2-d49ba2ebf260 | nmem1 | 8902-a2ebf260 | region1 | namespace1.0 | "
				 "/dev/pmem1 | – | /logs\\|x | matched | medium |");
	free(row);
	row = line_with(md, "| nvdimm0:0 |");
	assert_non_null(strstr(row, "| xfs UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873 | /data | matched | high |"));
	free(row);
	/* the summary counts */
	assert_non_null(strstr(md, "1 case, 0 errors, 2 warnings."));
	/* a finding, wrapped; what to do and where to read, from the catalog;
	 * its evidence, the fstab line first, 6 items shown, then how many
	 * more: 9 lines (2 vmx, descriptor, dimm, mapping, region, namespace,
	 * mount, fstab) */
	const char *f = strstr(md, "- **warning** `mount-by-kernel-name`: /etc/fstab line \"/dev/pmem1 /logs\\|x xfs "
				   "defaults,dax\" reaches\n  /dev/pmem1 (vm1\\_1.vmdk) by kernel name.");
	assert_non_null(f);
	const char *todo = strstr(f, "\n  - To do: Mount by UUID= (blkid shows it) or LABEL= in /etc/fstab.\n"
				     "  - See: fstab(5): UUID= and LABEL= name a filesystem, not a device (man 5 fstab)\n"
				     "  - Evidence: `sos|pipe.tar.xz`: `etc/fstab:16`; `esx.tgz`: `" VMX("x") ":21,41`,\n");
	assert_non_null(todo);
	char *ev = line_with(todo + 1, "ndctl_list_-vvv:101,201`");
	assert_non_null(ev);
	assert_non_null(strstr(ev, "` and 3 more"));
	free(ev);
	/* a reference with an address: the address a code span, never a link */
	assert_non_null(strstr(md, "  - See: ndctl user guide, Managing regions\n"
				   "    `https://docs.pmem.io/ndctl-user-guide/v70/managing-regions`\n"));
	/* a device lists 12 evidence items at most, one line per bundle of
	 * them, lines of one member together: device 1 has 10 */
	const char *d = strstr(md, "\n- vm1\\_1.vmdk (serial a2ebf260):\n  - `esx.tgz`: `" VMX("x") ":21,41`,\n"
				   "    `vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/vm1/vm1_1.vmdk:12`\n  - `sos|pipe.tar.xz`: `sos_commands/pmem/ndctl_list_-vvv:101,201,301,401`, "
				   "`proc/mounts:27`,\n    `etc/fstab:16`\n");
	assert_non_null(d);
	assert_null(strstr(d, "more"));
	/* the inputs table names each bundle and gives its path once, '|' escaped */
	assert_non_null(strstr(md, "| `sos\\|pipe.tar.xz` | sosreport | vm1 | 2026-03-05 10:31:05 (manifest) | fully | "
				   "sos\\|pipe.tar.xz |"));
	assert_true(strstr(md, "## Inputs") < strstr(md, "## Case 1"));
	free(md);
}

/* --brief: the answer, the table, the findings with what to do; no
 * evidence, timeline or inputs */
static void test_markdown_brief(void **state)
{
	(void)state;
	pair();
	A.brief = true;
	char *md = report_md(&M, &A);
	assert_non_null(strstr(md, "| nvdimm0:1 | vm1\\_1.vmdk | PMemDS-"));
	assert_non_null(strstr(md, "\n- **warning** `size-mismatch`: "));
	assert_non_null(strstr(md, "\n  - To do: Compare the vmx nvdimm size with `ndctl list -R`"));
	assert_non_null(strstr(md, "\n  - To do: Mount by UUID= (blkid shows it) or LABEL= in /etc/fstab.\n"));
	assert_null(strstr(md, "Evidence"));
	assert_null(strstr(md, "etc/fstab:"));
	assert_null(strstr(md, "## Inputs"));
	assert_null(strstr(md, "esx.tgz"));
	free(md);
}

/* A command of the catalog in a message or remedy is a code span, whole:
 * the ESXi one-liner is copied as it is, never wrapped or escaped. */
static void test_markdown_commands(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", NULL, "16384"); /* no descriptor, no guest bundle */
	analyze(&M, &A);
	char *md = report_md(&M, &A);
	/* in the message of evidence-missing and in its To do */
	const char *one = strstr(md, "`" ESX_ONELINER "`");
	assert_non_null(one);
	assert_non_null(strstr(one + 1, "`" ESX_ONELINER "`"));
	assert_non_null(strstr(md, "`" SOS_PMEM "`, or `ndctl list -vvv`)"));
	/* the collection script first, each command whole in its own span */
	assert_non_null(strstr(md, "  - To do: Collect a guest bundle in the VM: `pmemmap collect guest > c.sh`, then `sh c.sh`"));
	assert_non_null(strstr(md, "(or `" SOS_PMEM "`).\n"));
	assert_null(strstr(md, "PMemDS-\\*"));
	free(md);
}

/* Bundles by file name; a name two bundles would share grows by a
 * folder, or is numbered when the path is the same; nested ones keep
 * their container. A bundle the report does not list has no name. */
static void test_bundle_names(void **state)
{
	(void)state;
	uint32_t b[] = { bundle("/tickets/48213/esx01.tgz", KIND_VMSUPPORT), bundle("/a/x/sos.tar.xz", KIND_SOSREPORT),
			 bundle("/b/x/sos.tar.xz", KIND_SOSREPORT), bundle("/a/x/sos.tar.xz", KIND_SOSREPORT),
			 bundle("up/t.zip!in/esx02.tgz", KIND_VMSUPPORT), bundle("notes.txt", KIND_TRANSCRIPT),
			 bundle("/c/x/sos.tar.xz", KIND_SOSREPORT), bundle("/p/one/v.tgz", KIND_VMSUPPORT),
			 bundle("/p/two/v.tgz", KIND_VMSUPPORT) };
	M.bundles[b[6]].empty = true;
	analysis_init(&A, &M);
	struct bundle_names bn;
	bundle_names_init(&bn, &M, &A);
	assert_string_equal(bundle_name(&bn, &M, b[0]), "esx01.tgz");
	assert_string_equal(bundle_name(&bn, &M, b[7]), "one/v.tgz");
	assert_string_equal(bundle_name(&bn, &M, b[8]), "two/v.tgz");
	assert_string_equal(bundle_name(&bn, &M, b[1]), "/a/x/sos.tar.xz");
	assert_string_equal(bundle_name(&bn, &M, b[2]), "/b/x/sos.tar.xz");
	assert_string_equal(bundle_name(&bn, &M, b[3]), "/a/x/sos.tar.xz (2)");
	assert_string_equal(bundle_name(&bn, &M, b[4]), "t.zip!in/esx02.tgz");
	assert_string_equal(bundle_name(&bn, &M, b[5]), "notes.txt");
	assert_null(bn.v[b[6]]);
	assert_string_equal(bundle_name(&bn, &M, b[6]), "/c/x/sos.tar.xz");
	bundle_names_free(&bn);
}

/* A .vmdk path in its two parts. */
static void test_vmdk_parts(void **state)
{
	(void)state;
	static const char *const cases[][3] = {
		{ PMEMDS "vm1/vm1_1.vmdk", "vm1_1.vmdk", "PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d" },
		{ "[PMemDS-1] vm1/vm1.vmdk", "vm1.vmdk", "PMemDS-1" },
		{ "vm1.vmdk", "vm1.vmdk", NULL },
		{ "/vmfs/volumes/vm1.vmdk", "vm1.vmdk", NULL },
		{ "/vmfs/volumes//vm1.vmdk", "vm1.vmdk", NULL },
		{ "[] vm1.vmdk", "vm1.vmdk", NULL },
		{ "dir/", "dir/", NULL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_string_equal(vmdk_file(cases[i][0]), cases[i][1]);
		char *ds = vmdk_datastore(cases[i][0]);
		if (cases[i][2])
			assert_string_equal(ds, cases[i][2]);
		else
			assert_null(ds);
		free(ds);
	}
	assert_null(vmdk_file(NULL));
	assert_null(vmdk_datastore(NULL));
}

static void test_html_escapes_every_cell(void **state)
{
	(void)state;
	pair();
	char *html = report_html(&M, &A);
	assert_non_null(strstr(html, "<td>/logs|x </td>"));
	assert_non_null(strstr(html, "<td>sos|pipe.tar.xz</td>"));
	assert_non_null(strstr(html, "Content-Security-Policy"));
	/* a field without a value is a dash, marked */
	assert_non_null(strstr(html, "<td><span class=na>–</span></td>"));
	/* the chain of a device in one line */
	assert_non_null(strstr(html, "vm1_1.vmdk → nmem1 → region1 → namespace1.0 (fsdax) fstab: "
				     "<code>/dev/pmem1 /logs|x xfs defaults,dax</code></summary>"));
	/* nothing expected is absent and all was read: no heading over an
	 * empty list */
	assert_null(strstr(html, "Expected but absent"));
	/* the counts first, each severity a word in its colour */
	const char *counts = strstr(html, "<h1>pmemmap: vPMem mapping</h1>\n<p class=counts>"
					  "<span class=\"sev none\">0 errors</span> "
					  "<span class=\"sev warning\">2 warnings</span> "
					  "<span class=\"sev none\">0 info</span> in 1 case; 2 of 2 devices matched.</p>");
	assert_non_null(counts);
	/* a finding's severity is a word too, not a colour alone */
	assert_non_null(strstr(html, "<li><span class=\"sev warning\">warning</span> <code>"));
	/* the device table scrolls sideways inside its box, status in its word */
	assert_non_null(strstr(html, "<div class=scroll><table class=mapping>"));
	assert_non_null(strstr(html, "<td class=\"st matched\">matched</td>"));
	/* the .vmdk cell: its file name, its folder below it */
	assert_non_null(strstr(html, "<td>vm1_1.vmdk<br><small class=dir>"));
	/* the print stylesheet opens every <details> */
	assert_non_null(strstr(html, "@media print{"));
	assert_non_null(strstr(strstr(html, "@media print{"), "details::details-content{content-visibility:visible;"
								"display:block}"));
	free(html);
}

/* the findings of a case under their heading, and what was expected and
 * absent (evidence-missing, a bundle missing) listed again in the appendix */
static void test_html_findings_and_absent(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", NULL, "16384"); /* no descriptor, no guest bundle */
	analyze(&M, &A);
	char *html = report_html(&M, &A);
	const char *fh = strstr(html, "<h3>Findings</h3><ul class=findings>\n");
	assert_non_null(fh);
	assert_non_null(strstr(fh, "evidence-missing"));
	assert_non_null(strstr(fh, "guest-bundle-missing"));
	/* each finding says what to do: its catalog remedy, escaped */
	struct buf todo;
	buf_init(&todo);
	buf_puts(&todo, "<div class=todo><b>To do:</b> ");
	esc_html(&todo, finding_catalog[F_GUEST_BUNDLE_MISSING].remedy);
	buf_puts(&todo, "</div>");
	assert_non_null(strstr(fh, todo.data));
	buf_free(&todo);
	assert_non_null(strstr(fh, "<div class=todo><b>See:</b> "));
	const char *app = strstr(html, "<h2>Expected but absent, or unreadable</h2>");
	assert_non_null(app);
	assert_true(app > fh);
	/* both messages again, each in a list item of the appendix */
	for (size_t k = 0; k < A.cases[0].nfinds; k++) {
		const struct finding *f = &A.cases[0].finds[k];
		if (strcmp(f->code, "evidence-missing") && strcmp(f->code, "guest-bundle-missing"))
			continue;
		struct buf item;
		buf_init(&item);
		buf_puts(&item, "<li>");
		esc_html(&item, f->message);
		buf_puts(&item, "</li>");
		assert_non_null(strstr(app, item.data));
		buf_free(&item);
	}
	free(html);
}

/* a case without a host name, a timeline row, a note without events */
static void test_titles_and_timelines(void **state)
{
	(void)state;
	uint32_t t = bundle("notes.txt", KIND_TRANSCRIPT);
	fact(t, "notes.txt", 3, "vmdk.uuid", "uuid", "6000c298-42c7-54f8-02c2-d49b206b080c", "serial", "206b080c",
	     "vmdk", "/vmfs/volumes/PMemDS-1/vm1/vm1.vmdk", NULL);
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, NULL); /* no collection time: syslog times cannot be dated */
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	fact(g, "var/log/kern.log", 1, "guest.event", "time", "Mar  5 09:57:45", "label", "boot", NULL);
	analyze(&M, &A);
	char *md = report_md(&M, &A);
	assert_non_null(strstr(md, "## Case 1: VM vm1 / guest vm1\n"));
	free(md);
	char *html = report_html(&M, &A);
	assert_non_null(strstr(html, "<h3>Timeline</h3>\n<p class=note>1 guest log line carry a syslog time"));
	free(html);
	analysis_free(&A);
	model_free(&M);
	model_init(&M);
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	fact(h, "vmfs/volumes/datastore1/x/vmware.log", 1, "host.event", "time", "2026-03-05T09:57:41.000Z",
	     "label", "power-on", "message", "Log for VMware ESX", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	analyze(&M, &A);
	html = report_html(&M, &A);
	assert_non_null(strstr(html, "<tr class=\"host\"><td>1</td><td>2026-03-05 09:57:41</td><td>host</td>"
				     "<td>power-on</td><td>Log for VMware ESX</td>"));
	/* the drawing labels the dot without hovering, and a legend says
	 * what its colour is */
	assert_non_null(strstr(html, "<text class=lab x=\"75.0\" y=24>1 power-on</text>"));
	assert_non_null(strstr(html, "<li><span class=k-on></span>power-on, boot</li></ul>"));
	free(html);
	md = report_md(&M, &A);
	assert_non_null(strstr(md, "## Case 1: VM vm1 on esx01 / guest (no guest bundle)\n"));
	assert_non_null(strstr(md, "| 2026-03-05 09:57:41 | host | power-on | Log for VMware ESX | `esx.tgz: "));
	free(md);
}

/* A guest without a host name is titled by its bundle's name, the first
 * bundle of the run too; the Markdown's sections have their headings, and
 * every table starts after a blank line (else GFM reads the line before
 * it as the table's header). */
static void test_markdown_untitled_guest(void **state)
{
	(void)state;
	uint32_t g = bundle("/tickets/48213/sos-a.tar.xz", KIND_SOSREPORT);
	guest(g, NULL, NULL, "2026-03-05 10:31:05");
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	analyze(&M, &A);
	char *md = report_md(&M, &A);
	assert_non_null(strstr(md, "## Case 1: VM (no VM found) / guest sos-a.tar.xz\n"));
	assert_non_null(strstr(md, "\n### Evidence per device\n\n"));
	for (const char *p = strstr(md, "\n|"); p; p = strstr(p + 1, "\n|")) {
		const char *prev = p; /* the line before this table line */
		while (prev > md && prev[-1] != '\n')
			prev--;
		assert_true(prev == p || *prev == '|'); /* blank, or a row of the same table */
	}
	free(md);
}

/* report_json_text gives terminal-safe JSON: DEL, C1 and bidi as \u */
static void test_json_text_escapes_controls(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm\x7f\xc2\x9b\xe2\x80\xae", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	analyze(&M, &A);
	size_t n;
	char *text = report_json_text(&M, &A, "9.9", "d", &n);
	assert_non_null(strstr(text, "\"name\":\"vm\\u007f\\u009b\\u202e\""));
	assert_null(strchr(text, 0x7f));
	free(text);
}

/* a device named by 100 mount lines: 64 kept, the rest counted, in JSON
 * (evidence_omitted, mountpoints_omitted) and in Markdown ("and N more") */
static void test_long_lists_are_counted(void **state)
{
	(void)state;
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	for (unsigned i = 0; i < 300; i++) {
		char target[32];
		snprintf(target, sizeof(target), "/mnt/%u", i);
		fact(g, "proc/mounts", 1000 + i, "guest.mount", "source", "/dev/pmem0", "target", target, NULL);
	}
	analyze(&M, &A);
	const struct device *d = &A.cases[0].devs[0];
	assert_int_equal(d->ns[0].mountpoints.n, LIST_MAX);
	assert_int_equal(d->ns[0].mountpoints.more, 300 - LIST_MAX);
	/* dimm, mapping, region, namespace + 300 mounts: past what four
	 * lookups of 64 each would hold, every one counted */
	assert_int_equal(d->ev.n, LIST_MAX);
	assert_int_equal(d->ev.n + d->ev.more, 304);
	struct json_object *doc = json_doc();
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.0.evidence_omitted")), 304 - LIST_MAX);
	assert_int_equal(json_object_get_int64(at(doc, "cases.0.devices.0.namespaces.0.mountpoints_omitted")),
			 300 - LIST_MAX);
	assert_int_equal(json_object_array_length(at(doc, "cases.0.devices.0.evidence")), LIST_MAX);
	json_object_put(doc);
	char *md = report_md(&M, &A);
	char buf[64];
	snprintf(buf, sizeof(buf), "/mnt/63 and %d more |", 300 - LIST_MAX);
	assert_non_null(strstr(md, buf));
	snprintf(buf, sizeof(buf), "` and %d more\n", 304 - 12);
	assert_non_null(strstr(md, buf));
	/* the 12 shown are a dimm, mapping, region, namespace and 8 mounts:
	 * those of one member on one line, their line numbers together */
	assert_non_null(strstr(md, "`proc/mounts:1000,1001,1002,1003,1004,1005,1006,1007` and"));
	free(md);
}


/* A case of the index, built by hand: ndev devices of which nmatched
 * matched, and findings of the severities in sev ("ewi"). */
static void index_case(const char *host, const char *vm, size_t ndev, size_t nmatched, const char *sev)
{
	struct acase *c = analysis_add_case(&A);
	c->vm.host = host;
	c->vm.name = vm;
	c->vm.bundle = c->guest.bundle_id = -1;
	c->devs = xcalloc(ndev ? ndev : 1, sizeof(*c->devs));
	c->ndevs = ndev;
	for (size_t k = 0; k < ndev; k++)
		c->devs[k].status = k < nmatched ? ST_MATCHED : ST_HOST_ONLY;
	c->nfinds = strlen(sev);
	c->finds = xcalloc(c->nfinds + 1, sizeof(*c->finds));
	for (size_t k = 0; k < c->nfinds; k++) {
		c->finds[k].severity = sev[k] == 'e' ? SEV_ERROR : sev[k] == 'w' ? SEV_WARNING : SEV_INFO;
		c->finds[k].code = sev[k] == 'e' ? "mapping-changed" : sev[k] == 'w' ? "renumbered" : "note";
		c->finds[k].message = "m";
	}
}

/* Where the row of case id starts in html, or NULL. */
static const char *index_row(const char *html, unsigned id)
{
	char key[64];
	snprintf(key, sizeof(key), "<a href=\"cases/case-%04u.html\">", id);
	return strstr(html, key);
}

/* The batch index: counts at the top linking to their rows, the cases
 * worst first and then by host and VM in natural order, every name
 * escaped, the failed inputs after them. */
static void test_index_triage(void **state)
{
	(void)state;
	analysis_init(&A, &M);
	index_case("esx10", "vm1", 2, 2, "");     /* 1: clean */
	index_case("esx2", "vm10", 2, 2, "w");    /* 2: warning */
	index_case("esx2", "vm9", 2, 1, "w");     /* 3: incomplete (and a warning) */
	index_case("esx2", "vm2", 2, 2, "wwi");   /* 4: warning */
	index_case(NULL, "vm0", 1, 0, "e");       /* 5: error, no host: after the named */
	index_case("esx2", "<b>vm1</b>", 2, 2, "ew"); /* 6: error */
	index_case("esx1", "vm3", 0, 0, "");      /* 7: no device: incomplete */
	index_case("esx2", "vm02", 2, 2, "w");    /* 8: warning, after vm2 */
	struct index_failure fails[] = {
		{ "in/b10.tgz", "gzip data ends early", true },
		{ "in/<x>.tgz", "died of signal 11", false },
		{ "in/b9.tgz", "gzip data ends early", true },
	};
	size_t nf;
	const struct report_writer *const *fmt = report_case_formats("html", &nf);
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	report_index_html_write(&w, &M, &A, fmt, nf, fails, 3);
	wbuf_finish(&w);
	char *html = buf_steal(&w.b);

	assert_non_null(strstr(html, "<h1>pmemmap batch index</h1>\n"));
	/* the counts, each linking to its group */
	assert_non_null(strstr(html, "<li class=t-e><a href=\"#errors\"><b>2</b> cases with errors</a></li>"));
	assert_non_null(strstr(html, "<li class=t-i><a href=\"#incomplete\"><b>2</b> cases with an incomplete"));
	assert_non_null(strstr(html, "<li class=t-w><a href=\"#warnings\"><b>3</b> cases with warnings"));
	assert_non_null(strstr(html, "<li class=t-c><a href=\"#clean\"><b>1</b> case clean"));
	assert_non_null(strstr(html, "<li class=t-f><a href=\"#failed\"><b>1</b> input failed</a></li>"));
	assert_non_null(strstr(html, "<li class=t-p><a href=\"#partial\"><b>2</b> inputs read in part</a></li>"));
	/* worst first, then host and VM in natural order */
	const unsigned order[] = { 6, 5, 7, 3, 4, 8, 2, 1 };
	const char *prev = html;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		const char *row = index_row(html, order[k]);
		assert_non_null(row);
		assert_true(row > prev);
		prev = row;
	}
	assert_true(strstr(html, "<tbody id=errors>") < index_row(html, 6));
	assert_true(strstr(html, "<tbody id=incomplete>") < index_row(html, 7));
	assert_true(strstr(html, "<tbody id=incomplete>") > index_row(html, 5));
	assert_true(strstr(html, "<tbody id=clean>") < index_row(html, 1));
	/* a row: status word, severity counts in their columns, the other format */
	assert_non_null(strstr(html, "<tr class=w><td>warning<td><a href=\"cases/case-0004.html\">case-0004</a>"
				     "<td>esx2<td>vm2<td>–<td>–<td>2 / 2<td><td>2<td>1<td>renumbered"
				     "<td><a href=\"cases/case-0004.md\">md</a>\n"));
	assert_non_null(strstr(html, "<td>esx2<td>&lt;b&gt;vm1&lt;/b&gt;<td>"));
	assert_null(strstr(html, "<b>vm1"));
	/* the failed inputs: failed first, then read in part in natural order */
	const char *f = strstr(html, "<tbody id=failed><tr class=f><td>failed<td>in/&lt;x&gt;.tgz<td>died of signal 11");
	assert_non_null(f);
	const char *p9 = strstr(html, "<tbody id=partial><tr class=p><td>read in part<td>in/b9.tgz<td>");
	assert_non_null(p9);
	assert_true(f < p9 && p9 < strstr(html, "<td>in/b10.tgz<td>"));
	/* one page skeleton: the report's CSP */
	assert_non_null(strstr(html, "script-src 'none'"));
	free(html);
	/* an empty group is counted, unlinked, without a heading */
	analysis_free(&A);
	analysis_init(&A, &M);
	index_case("esx1", "vm1", 1, 1, "");
	wbuf_init(&w, NULL, NULL);
	report_index_html_write(&w, &M, &A, fmt, nf, NULL, 0);
	wbuf_finish(&w);
	html = buf_steal(&w.b);
	assert_non_null(strstr(html, "<li class=t-0><b>0</b> cases with errors</li>"));
	assert_null(strstr(html, "id=errors"));
	assert_null(strstr(html, "Inputs that failed"));
	assert_null(strstr(html, "class=redacted"));
	free(html);
	/* a redacted run's index says so, under its heading */
	M.redacted = true;
	wbuf_init(&w, NULL, NULL);
	report_index_html_write(&w, &M, &A, fmt, nf, NULL, 0);
	wbuf_finish(&w);
	html = buf_steal(&w.b);
	assert_non_null(strstr(html, "<h1>pmemmap batch index</h1>\n<p class=redacted>Redacted (pmemmap --redact): "));
	free(html);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_brief, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_untitled_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bundle_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vmdk_parts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_escapes_every_cell, setup, teardown),
		cmocka_unit_test_setup_teardown(test_html_findings_and_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_lists_are_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_titles_and_timelines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_text_escapes_controls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_triage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
