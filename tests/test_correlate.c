/* test_correlate.c - the analysis on small models built fact by fact:
 * every finding code raised where it must be and not where it must not
 * (a near miss beside each), pairing by each key and byte order, the
 * orders of slots, nmems and findings, and what makes a mapping complete.
 *
 * Facts are made here as the shipped rules make them (the same types and
 * fields), so a test states the situation, not the bundle text that
 * leads to it; the CLI cases (tests/cases) cover the text.
 */
#include "testutil.h"
#include "analyze.h"
#include "modelbuild.h"
#include "when.h"

/* ---- reading an analysis ---------------------------------------------- */

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

static void run(void)
{
	analyze(&M, &A);
}

static const struct finding *finding_of(const struct acase *c, const char *code, size_t nth)
{
	for (size_t i = 0; i < c->nfinds; i++)
		if (!strcmp(c->finds[i].code, code) && nth-- == 0)
			return &c->finds[i];
	return NULL;
}

/* in every case, and of the inputs */
static size_t count_of(const char *code)
{
	size_t n = 0;
	for (size_t k = 0; k < A.ncases; k++)
		for (size_t i = 0; i < A.cases[k].nfinds; i++)
			n += !strcmp(A.cases[k].finds[i].code, code);
	for (size_t i = 0; i < A.nfinds; i++)
		n += !strcmp(A.finds[i].code, code);
	return n;
}

static const struct finding *expect_in(const struct finding *f, const char *code, enum severity sev, va_list ap)
{
	if (!f)
		fail_msg("no %s finding", code);
	assert_int_equal(f->severity, sev);
	for (const char *w; (w = va_arg(ap, const char *));)
		if (!strstr(f->message, w))
			fail_msg("%s: \"%s\" lacks \"%s\"", code, f->message, w);
	return f;
}

/* The finding must be there once, with this severity, and say each word. */
static const struct finding *expect(const struct acase *c, const char *code, enum severity sev, ...)
{
	va_list ap;
	va_start(ap, sev);
	const struct finding *f = expect_in(finding_of(c, code, 0), code, sev, ap);
	va_end(ap);
	return f;
}

/* The same, among the findings of the inputs that no case holds. */
static const struct finding *expect_input(const char *code, enum severity sev, ...)
{
	const struct finding *f = NULL;
	for (size_t i = 0; i < A.nfinds && !f; i++)
		if (!strcmp(A.finds[i].code, code))
			f = &A.finds[i];
	va_list ap;
	va_start(ap, sev);
	f = expect_in(f, code, sev, ap);
	va_end(ap);
	return f;
}

static const struct device *dev_by_nmem(const struct acase *c, const char *nmem)
{
	for (size_t i = 0; i < c->ndevs; i++)
		if (c->devs[i].nmem && !strcmp(c->devs[i].nmem, nmem))
			return &c->devs[i];
	return NULL;
}

static bool ev_has(const struct evlist *l, const char *member, uint64_t line)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].member, member) && l->v[i].line == line)
			return true;
	return false;
}

/* A healthy pair: two slots, two nmems, mounts by UUID. */
static void healthy(uint32_t *h, uint32_t *g)
{
	*h = bundle("esx.tgz", KIND_VMSUPPORT);
	*g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(*h, "vm1", BIOS);
	slot(*h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(*h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(*g, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(*g, 0, "206b080c", GIB16, "fsdax");
	dimm(*g, 1, "a2ebf260", GIB16, "fsdax");
	blkid(*g, 0, "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	fstab(*g, 15, "UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873", "/data");
}

/* ---- the healthy pair: no finding, complete ---------------------------- */

static void test_healthy_pair(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	run();
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->paired_by, "system-uuid");
	assert_int_equal(c->nfinds, 0);
	assert_int_equal(A.errors, 0);
	assert_true(A.complete);
	assert_int_equal(c->ndevs, 2);
	assert_string_equal(c->devs[0].slot, "nvdimm0:0");
	assert_string_equal(c->devs[0].nmem, "nmem0");
	assert_string_equal(c->devs[1].nmem, "nmem1");
	assert_int_equal(c->devs[0].status, ST_MATCHED);
	assert_int_equal(c->devs[0].confidence, CONF_HIGH);
	assert_int_equal(c->devs[0].size_host, 16384ULL * 1048576);
	assert_int_equal(c->devs[0].size_guest, 17179869184ULL);
	assert_string_equal(c->devs[0].region, "region0");
	assert_int_equal(c->devs[0].nns, 1);
	assert_string_equal(c->devs[0].ns[0].blockdev, "pmem0");
	assert_int_equal(c->devs[0].ns[0].fstab.n, 1);
	assert_string_equal(c->devs[0].ns[0].fstab.v[0],
			    "UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873 /data xfs defaults,dax");
	/* the chain's evidence: the vmx slot, the descriptor, dimm, mapping,
	 * region, namespace, blkid, fstab */
	assert_true(ev_has(&c->devs[0].ev, VMX("x"), 20));
	assert_true(ev_has(&c->devs[0].ev, "sos_commands/pmem/ndctl_list_-vvv", 100));
	assert_true(ev_has(&c->devs[0].ev, "sos_commands/pmem/ndctl_list_-vvv", 200));
	assert_true(ev_has(&c->devs[0].ev, "etc/fstab", 15));
	assert_false(ev_has(&c->devs[1].ev, "etc/fstab", 15));
}

/* ---- pairing ------------------------------------------------------------- */

static void test_pair_by_swapped_smbios_uuid(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "other-name", BIOS_SWAPPED, NULL);
	dimm(g, 0, "ffff0000", GIB16, "fsdax"); /* no shared serial */
	run();
	assert_int_equal(A.ncases, 1);
	assert_string_equal(A.cases[0].paired_by, "system-uuid");
}

static void test_pair_by_serials_then_name(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "someone-else", NULL, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 1);
	assert_string_equal(A.cases[0].paired_by, "serials");
}

static void test_pair_by_name_case_insensitive(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "PMEM-Guest-001", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "pmem-guest-001.lab.example.com", NULL, NULL);
	dimm(g, 0, "ffff0000", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 1);
	assert_string_equal(A.cases[0].paired_by, "name");
}

static void test_no_pair_is_two_cases(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "vm2", "11111111-2222-3333-4444-555555555555", NULL);
	dimm(g, 0, "ffff0000", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 2);
	assert_string_equal(A.cases[0].paired_by, "none");
	expect(&A.cases[0], "host-bundle-missing", SEV_WARNING, "vm2", "cannot be tied", NULL);
	expect(&A.cases[1], "guest-bundle-missing", SEV_WARNING, "vm1", "1 vPMem device:",
	       "sos report -o pmem", NULL);
	assert_false(A.complete);
}

/* the same VM in host bundles of two dates: the nearer one wins */
static void test_pair_nearest_date(void **state)
{
	(void)state;
	uint32_t h1 = bundle("esx-old.tgz", KIND_VMSUPPORT), h2 = bundle("esx-new.tgz", KIND_VMSUPPORT);
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h1, "vm1", BIOS);
	fact(h1, "README", 3, "bundle.collected", "time", "2026-03-01 08:00:00", NULL);
	vm(h2, "vm1", BIOS);
	fact(h2, "README", 3, "bundle.collected", "time", "2026-03-05 09:00:00", NULL);
	slot(h1, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h2, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	/* the guest's case has the newer host bundle; the older VM is a case
	 * of its own (no guest) */
	assert_int_equal(A.ncases, 2);
	assert_int_equal(A.cases[0].vm.bundle, (int)h2);
	assert_int_equal(A.cases[1].vm.bundle, (int)h1);
}

/* ---- ordering ------------------------------------------------------------ */

static void test_order_past_nine(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	char file[32], serial[16];
	vm(h, "vm1", BIOS);
	guest(g, "vm1", BIOS, NULL);
	/* slots and nmems 0..11 given in an order that sorts wrong as text */
	static const unsigned order[] = { 10, 2, 11, 0, 9, 1, 3, 4, 5, 6, 7, 8 };
	for (size_t i = 0; i < 12; i++) {
		unsigned u = order[i];
		snprintf(file, sizeof(file), "vm1_%u.vmdk", u);
		snprintf(serial, sizeof(serial), "%08x", 0x100 + u);
		slot(h, "vm1", u, file, serial, "16384");
		dimm(g, u, serial, GIB16, "fsdax");
	}
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->ndevs, 12);
	for (unsigned u = 0; u < 12; u++) {
		char want[16];
		snprintf(want, sizeof(want), "nvdimm0:%u", u);
		assert_string_equal(c->devs[u].slot, want);
		snprintf(want, sizeof(want), "nmem%u", u);
		assert_string_equal(c->devs[u].nmem, want);
	}
	assert_true(A.complete);
}

static void test_guest_rows_in_nmem_order(void **state)
{
	(void)state;
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, NULL);
	dimm(g, 10, "0000000a", GIB16, "fsdax");
	dimm(g, 2, "00000002", GIB16, "fsdax");
	dimm(g, 1, "00000001", GIB16, "fsdax");
	/* -vvv and -iBDFHMNRX list the same dimm twice: one row */
	fact(g, "sos_commands/pmem/ndctl_list_-iBDFHMNRX", 5, "nd.dimm", "dev", "nmem2", "id", "8902-00000002",
	     "serial", "00000002", NULL);
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->ndevs, 3);
	assert_string_equal(c->devs[0].nmem, "nmem1");
	assert_string_equal(c->devs[1].nmem, "nmem2");
	assert_string_equal(c->devs[2].nmem, "nmem10");
	assert_int_equal(c->devs[0].status, ST_GUEST_ONLY);
}

static void test_present_false_slot_dropped(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	slot(h, "vm1", 2, "vm1_2.vmdk", "c0ffee00", "16384");
	fact(h, VMX("x"), 60, "vmx.nvdimm", "device", "nvdimm0:2", "prop", "present", "value", "FALSE", NULL);
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->ndevs, 2);
	assert_int_equal(count_of("vpmem-without-guest-device"), 0);
	assert_true(A.complete);
}

static void test_findings_errors_first(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "raw"); /* a warning, raised first */
	run();
	const struct acase *c = &A.cases[0];
	assert_true(c->nfinds >= 2);
	assert_int_equal(c->finds[0].severity, SEV_ERROR);
	assert_string_equal(c->finds[0].code, "vpmem-without-guest-device");
	for (size_t i = 1; i < c->nfinds; i++)
		assert_true(c->finds[i - 1].severity <= c->finds[i].severity);
	assert_int_equal(c->errors, 1);
	assert_int_equal(A.errors, 1);
}

/* ---- every finding: raised, and a near miss that is not ------------------ */

static void test_evidence_missing_host(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", NULL, "16384"); /* no descriptor */
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	dimm(g, 1, "a2ebf260", GIB16, "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "evidence-missing", SEV_ERROR, "vm1", "vmkfstools -J getuuid", NULL);
	/* its evidence: the slot without a UUID, not the one with */
	assert_true(ev_has(&f->ev, VMX("x"), 21));
	assert_false(ev_has(&f->ev, VMX("x"), 20));
	/* without the host UUIDs a guest nmem is not "without vmdk" */
	assert_int_equal(count_of("guest-device-without-vmdk"), 0);
	assert_false(A.complete);
}

static void test_evidence_missing_guest(void **state)
{
	(void)state;
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	fact(g, "etc/hostname", 1, "guest.hostname", "hostname", "vm1", NULL);
	uint32_t g2 = bundle("sos2.tar.xz", KIND_SOSREPORT); /* ndctl ran, listed nothing */
	guest(g2, "vm2", NULL, NULL);
	run();
	assert_int_equal(A.ncases, 2);
	expect(&A.cases[0], "evidence-missing", SEV_ERROR, "sos.tar.xz", "no ndctl output",
	       "sos report -o pmem", NULL);
	assert_null(finding_of(&A.cases[1], "evidence-missing", 0));
}

static void test_vpmem_without_guest_device(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	const struct finding *f =
		expect(&A.cases[0], "vpmem-without-guest-device", SEV_ERROR, "vm1_1.vmdk", "nvdimm0:1", "a2ebf260", NULL);
	assert_true(ev_has(&f->ev, VMX("x"), 21));
	assert_int_equal(count_of("vpmem-without-guest-device"), 1);
	assert_int_equal(A.cases[0].devs[1].status, ST_HOST_ONLY);
}

static void test_vpmem_without_guest_device_near_miss(void **state)
{
	(void)state;
	/* a guest bundle without ndctl output cannot say a device is missing */
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	fact(g, "etc/hostname", 1, "guest.hostname", "hostname", "vm1", NULL);
	run();
	assert_int_equal(count_of("vpmem-without-guest-device"), 0);
	assert_int_equal(count_of("evidence-missing"), 1);
}

static void test_guest_device_without_vmdk(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	dimm(g, 2, "deadbeef", GIB16, "fsdax");
	run();
	const struct finding *f =
		expect(&A.cases[0], "guest-device-without-vmdk", SEV_ERROR, "nmem2", "8902-deadbeef", "vm1", NULL);
	assert_true(ev_has(&f->ev, "sos_commands/pmem/ndctl_list_-vvv", 102));
	assert_int_equal(count_of("guest-device-without-vmdk"), 1);
	assert_false(A.complete);
}

static void test_serial_collision_host_side(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "206b080c", "16384"); /* same last 32 bits */
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	expect(c, "serial-collision", SEV_ERROR, "another .vmdk of this VM shares its last 32 bits", "nmem0", NULL);
	assert_int_equal(count_of("serial-collision"), 2);
	/* no chain is presented as a match */
	for (size_t i = 0; i < c->ndevs; i++)
		assert_int_not_equal(c->devs[i].status, ST_MATCHED);
	assert_non_null(dev_by_nmem(c, "nmem0"));
	assert_int_equal(dev_by_nmem(c, "nmem0")->status, ST_AMBIGUOUS);
}

static void test_serial_collision_guest_side(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	dimm(g, 1, "206b080c", GIB16, "fsdax"); /* two nmems show it */
	run();
	const struct acase *c = &A.cases[0];
	expect(c, "serial-collision", SEV_ERROR, "two guest nmem devices show its last 32 bits",
	       "nmem0 or nmem1", NULL);
	assert_int_equal(count_of("serial-collision"), 1);
	assert_int_equal(c->devs[0].status, ST_AMBIGUOUS);
	assert_int_equal(dev_by_nmem(c, "nmem1")->status, ST_AMBIGUOUS);
	assert_int_equal(dev_by_nmem(c, "nmem0")->confidence, CONF_LOW);
}

static void test_serial_collision_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g); /* serials differ in one hex digit */
	run();
	assert_int_equal(count_of("serial-collision"), 0);
}

static void test_size_mismatch(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384"); /* 16 GiB */
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	/* 2.1 % smaller: a mismatch; 1.9 % smaller: within tolerance */
	dimm(g, 0, "206b080c", "16819159040", "fsdax");
	dimm(g, 1, "a2ebf260", "16853514240", "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "size-mismatch", SEV_WARNING, "vm1.vmdk is 16 GiB on the host",
					 "nmem0 (region0) is 16040 MiB in the guest", NULL);
	assert_true(ev_has(&f->ev, "sos_commands/pmem/ndctl_list_-vvv", 300));
	assert_int_equal(count_of("size-mismatch"), 1);
	assert_int_equal(c->devs[0].confidence, CONF_MEDIUM);
	assert_int_equal(c->devs[1].confidence, CONF_HIGH);
}

static void test_namespace_missing_and_raw(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	slot(h, "vm1", 2, "vm1_2.vmdk", "c0ffee00", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, NULL); /* no namespace */
	/* only the disabled zero-size seed namespace of ndctl list -i */
	fact(g, "sos_commands/pmem/ndctl_list_-vvv", 500, "nd.namespace", "dev", "namespace0.1", "region",
	     "region0", "mode", "raw", "size", "0", "state", "disabled", NULL);
	dimm(g, 1, "a2ebf260", GIB16, "raw");
	dimm(g, 2, "c0ffee00", GIB16, "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	expect(c, "namespace-missing", SEV_WARNING, "nmem0 (region0)", "ndctl create-namespace -r region0", NULL);
	expect(c, "namespace-raw", SEV_WARNING, "namespace1.0 on nmem1 is in raw mode", "-m fsdax", NULL);
	assert_int_equal(count_of("namespace-missing"), 1);
	assert_int_equal(count_of("namespace-raw"), 1);
	assert_int_equal(c->devs[0].nns, 0);
}

static void test_mount_by_kernel_name(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fstab(g, 16, "/dev/pmem1", "/logs");
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "mount-by-kernel-name", SEV_WARNING,
					 "/etc/fstab line \"/dev/pmem1 /logs xfs defaults,dax\" reaches /dev/pmem1 (vm1_1.vmdk)",
					 "If vm1.vmdk were removed, /dev/pmem1 would no longer exist", NULL);
	/* only the devices before it are removals that shift its name */
	assert_null(strstr(f->message, "If vm1_1.vmdk were removed"));
	assert_null(strstr(f->message, "more vPMem devices before it"));
	assert_true(ev_has(&f->ev, "etc/fstab", 16));
	/* the line the finding is about leads its evidence, the chain after it */
	assert_string_equal(f->ev.v[0].member, "etc/fstab");
	assert_int_equal(f->ev.v[0].line, 16);
	assert_true(f->ev.n > 4);
	/* the UUID mount of nmem0 raises nothing */
	assert_int_equal(count_of("mount-by-kernel-name"), 1);
	assert_int_equal(count_of("fstab-device-missing"), 0);
}

static void nvdimm_config(uint32_t h, const char *log, unsigned line, const char *time, const char *dev,
			  const char *file)
{
	fact(h, log, line, "host.event", "time", time, "label", "nvdimm-config", "device", dev, "file", file,
	     NULL);
}

/* ---- devices known without the .vmx NVDIMM keys --------------------------- */

/* A descriptor on the PMem datastore, in folder dir, for a serial. */
static void pmem_descriptor(uint32_t b, const char *dir, const char *file, const char *serial)
{
	char member[256], uuid[64];
	snprintf(member, sizeof(member), "vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/%s/%s", dir, file);
	snprintf(uuid, sizeof(uuid), "6000c298-42c7-54f8-02c2-d49b%s", serial);
	fact(b, member, 20, "vmdk.uuid", "uuid", uuid, "serial", serial, "datastore",
	     "PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d", "vmdk", file, NULL);
}

/* the .vmx names no backing file in a key pmemmap reads, nor does its
 * log: the descriptors in the VM's folder on PMemDS are its devices */
static void test_devices_from_the_pmem_folder(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	fact(h, VMX("x"), 20, "vmx.nvdimm", "device", "nvdimm0:0", "prop", "backing.fileName", "value",
	     PMEMDS "x/x.vmdk", NULL);
	pmem_descriptor(h, "x", "x_1.vmdk", "a2ebf260");
	pmem_descriptor(h, "x", "x.vmdk", "206b080c");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	dimm(g, 1, "a2ebf260", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->vm.name, "vm1");
	assert_int_equal(c->ndevs, 2);
	/* in file name order, each matched by its serial, no slot */
	assert_string_equal(c->devs[0].serial, "206b080c");
	assert_string_equal(c->devs[1].serial, "a2ebf260");
	assert_null(c->devs[0].slot);
	assert_int_equal(c->devs[0].status, ST_MATCHED);
	assert_int_equal(c->devs[0].confidence, CONF_MEDIUM);
	const struct finding *f = expect(c, "nvdimm-config-missing", SEV_WARNING, "the 2 .vmdk files in folder "
					 "/vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/x of the PMem datastore",
					 "their slots unknown", "grep -i nvdimm", NULL);
	assert_int_equal(f->ev.n, 2);
	assert_int_equal(count_of("guest-device-without-vmdk"), 0);
	assert_int_equal(count_of("renumbered"), 0);
}

/* no .vmx at all: the folder's descriptors are a VM of that name */
static void test_pmem_folder_without_vmx(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	fact(h, "etc/vmware/esx.conf", 1, "esx.hostname", "hostname", "esx01", NULL);
	pmem_descriptor(h, "vmA", "vmA.vmdk", "206b080c");
	guest(g, "guestA", NULL, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->vm.name, "vmA");
	assert_string_equal(c->vm.host, "esx01");
	assert_string_equal(c->paired_by, "serials");
	assert_int_equal(c->devs[0].status, ST_MATCHED);
	expect(c, "nvdimm-config-missing", SEV_WARNING, "the 1 .vmdk file in folder", NULL);
}

/* the .vmx names no backing file; its vmware.log dumped the configuration
 * at the last power-on: the slots are read from it */
static void test_slots_from_the_log(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	const char *old = "vmfs/volumes/datastore1/x/vmware-1.log", *now = "vmfs/volumes/datastore1/x/vmware.log";
	vm(h, "vm1", BIOS);
	nvdimm_config(h, old, 46, "2026-03-04T14:02:11.014Z", "nvdimm0:0", PMEMDS "x/x_old.vmdk");
	nvdimm_config(h, now, 46, "2026-03-05T09:57:41.014Z", "nvdimm0:1", PMEMDS "x/x.vmdk");
	pmem_descriptor(h, "x", "x.vmdk", "206b080c");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->ndevs, 1);
	assert_string_equal(c->devs[0].slot, "nvdimm0:1");
	assert_int_equal(c->devs[0].status, ST_MATCHED);
	assert_true(ev_has(&c->devs[0].ev, now, 46));
	const struct finding *f = expect(c, "nvdimm-config-missing", SEV_WARNING,
					 "The .vmx of vm1 names no NVDIMM backing file",
					 "recorded at the power-on of 2026-03-05T09:57:41.014Z", NULL);
	assert_true(ev_has(&f->ev, now, 46));
	assert_int_equal(count_of("nvdimm-config-missing"), 1);
}

/* the .vmx names its files: the log's configuration and an unattached
 * descriptor in the folder change nothing */
static void test_nvdimm_config_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	nvdimm_config(h, "vmfs/volumes/datastore1/x/vmware.log", 46, "2026-03-05T09:57:41.014Z", "nvdimm0:0",
		      PMEMDS "vm1/vm1.vmdk");
	pmem_descriptor(h, "vm1", "vm1_2.vmdk", "c0ffee00");
	run();
	assert_int_equal(A.ncases, 1);
	assert_int_equal(A.cases[0].ndevs, 2);
	assert_int_equal(count_of("nvdimm-config-missing"), 0);
	assert_int_equal(A.cases[0].devs[0].confidence, CONF_HIGH);
}

static void nvdimm_file(uint32_t b, const char *path)
{
	fact(b, VMX("x"), 20, "vmx.nvdimm", "device", "nvdimm0:0", "prop", "fileName", "value", path, NULL);
}

/* ---- what is never silently empty -------------------------------------- */

/* a plain ndctl list pasted (namespaces, no dimm): a guest of its own,
 * whose ids are missing */
static void test_dimm_ids_missing(void **state)
{
	(void)state;
	uint32_t t = bundle("ticket-note.txt", KIND_TRANSCRIPT);
	fact(t, "ticket-note.txt", 4, "nd.namespace", "dev", "namespace0.0", "region", "region0", "mode", "fsdax",
	     "blockdev", "pmem0", NULL);
	run();
	assert_int_equal(A.ncases, 1);
	expect(&A.cases[0], "dimm-ids-missing", SEV_ERROR, "ticket-note.txt lists namespaces but no dimms",
	       "ndctl list -D", NULL);
	assert_int_equal(count_of("evidence-missing"), 0);
}

static void test_dimm_ids_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	run();
	assert_int_equal(count_of("dimm-ids-missing"), 0);
}

/* inputs that give nothing the analysis reads: one finding names them */
static void test_inputs_not_recognised(void **state)
{
	(void)state;
	uint32_t a = bundle("notes.txt", KIND_TRANSCRIPT), b = bundle("network.txt", KIND_TRANSCRIPT);
	fact(a, "notes.txt", 1, "guest.smbios", "version", "2.7", NULL); /* read, but not by the analysis */
	(void)b;
	run();
	assert_int_equal(A.ncases, 0);
	const struct finding *f = expect_input("input-not-recognised", SEV_WARNING, "2 inputs hold nothing",
					       "notes.txt, network.txt", NULL);
	assert_int_equal(f->ev.n, 2);
	assert_int_equal(A.warnings, 1);
}

/* a host bundle without any vPMem: recognised, but empty of what matters */
static void test_host_without_pmem(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS); /* a VM without NVDIMM */
	run();
	assert_int_equal(A.ncases, 0);
	expect_input("pmem-evidence-missing", SEV_WARNING, "The host bundle esx.tgz holds no vPMem", NULL);
	assert_int_equal(count_of("input-not-recognised"), 0);
}

/* every input in a case (the transcript through its pasted UUID): none */
static void test_inputs_in_cases_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), t = bundle("notes.txt", KIND_TRANSCRIPT);
	vm(h, "vm1", BIOS);
	nvdimm_file(h, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk");
	fact(t, "notes.txt", 7, "vmdk.uuid", "uuid", "6000c298-42c7-54f8-02c2-d49b55555555", "serial", "55555555",
	     "vmdk", "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk", NULL);
	run();
	assert_int_equal(A.ncases, 1);
	assert_int_equal(count_of("input-not-recognised"), 0);
	assert_int_equal(count_of("pmem-evidence-missing"), 0);
	assert_int_equal(A.nfinds, 0);
}

/* ---- history from guest bundles, fstab against the mount table -------- */

/* Only the host bundle after the removal; guest bundles from before and
 * after: the two guest bundles show, by serial, which vanished and who
 * moved where, and the earlier one's vanished device is not an error. */
static void test_history_by_serial(void **state)
{
	(void)state;
	uint32_t h = bundle("esx-after.tgz", KIND_VMSUPPORT);
	uint32_t g1 = bundle("sos-before.tar.xz", KIND_SOSREPORT), g2 = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	fact(h, "README", 3, "bundle.collected", "time", "2026-03-07 08:40:02", "source", "readme", NULL);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g1, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(g1, 0, "206b080c", GIB16, "fsdax");
	dimm(g1, 1, "a2ebf260", GIB16, "fsdax");
	fstab(g1, 16, "/dev/pmem0", "/data");
	guest(g2, "vm1", BIOS, "2026-03-07 08:55:12");
	dimm(g2, 0, "a2ebf260", GIB16, "fsdax");
	fstab(g2, 16, "/dev/pmem0", "/data");
	run();
	assert_int_equal(A.ncases, 2);
	const struct acase *before = &A.cases[0], *after = &A.cases[1];
	assert_null(before->answer);
	expect(before, "guest-device-without-vmdk", SEV_WARNING, "which was collected after this guest bundle",
	       "may have been removed since", NULL);
	const struct finding *f = expect(after, "mapping-changed", SEV_ERROR, "the vPMem with serial 206b080c was removed",
					 "at the next boot nmem1 (vm1_1.vmdk) became nmem0, /dev/pmem1 became /dev/pmem0",
					 "/etc/fstab mounts /dev/pmem0 on /data, which now reaches vm1_1.vmdk (it was the vPMem "
					 "with serial 206b080c)",
					 NULL);
	assert_string_equal(after->answer, f->message);
}

/* fstab mounts the device on /data, the live mount table has it on /wal */
static void test_fstab_mount_disagree(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(g, "proc/mounts", 26, "guest.mount", "source", "/dev/pmem0", "target", "/wal", NULL);
	run();
	const struct finding *f = expect(&A.cases[0], "fstab-mount-disagree", SEV_WARNING,
					 "/etc/fstab mounts UUID=3f6c2a9e", "(vm1.vmdk) on /data",
					 "the live mount table has it on /wal", NULL);
	assert_int_equal(count_of("fstab-mount-disagree"), 1);
	/* the fstab line first */
	assert_string_equal(f->ev.v[0].member, "etc/fstab");
	assert_int_equal(f->ev.v[0].line, 15);
}

static void test_fstab_mount_agree_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(g, "proc/mounts", 26, "guest.mount", "source", "/dev/pmem0", "target", "/data", NULL);
	fact(g, "proc/mounts", 27, "guest.mount", "source", "/dev/pmem1", "target", "/scratch", NULL); /* no fstab line */
	run();
	assert_int_equal(count_of("fstab-mount-disagree"), 0);
}

/* ---- near misses of the findings above -------------------------------- */

/* a VM with both bundles; and a VM without vPMem devices, whose guest
 * bundle is not given: neither bundle is missing */
static void test_bundles_present_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(h, "vmfs/volumes/datastore1/plain/plain.vmx", 1, "vmx.name", "name", "plain", NULL);
	run();
	assert_int_equal(A.ncases, 1);
	assert_int_equal(count_of("guest-bundle-missing"), 0);
	assert_int_equal(count_of("host-bundle-missing"), 0);
}

/* sizes 1.9 % apart: within tolerance */
static void test_size_within_tolerance_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", "16853514240", "fsdax");
	run();
	assert_int_equal(count_of("size-mismatch"), 0);
	assert_int_equal(A.cases[0].devs[0].confidence, CONF_HIGH);
}

/* an nmem in no region (ndctl listed the dimm alone) has no namespace to
 * miss; a sector-mode namespace is not raw */
static void test_namespace_present_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	fact(g, "sos_commands/pmem/ndctl_list_-D", 3, "nd.dimm", "dev", "nmem0", "id", "8902-206b080c", "serial",
	     "206b080c", NULL);
	dimm(g, 1, "a2ebf260", GIB16, "sector");
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->devs[0].status, ST_MATCHED);
	assert_null(c->devs[0].region);
	assert_int_equal(count_of("namespace-missing"), 0);
	assert_int_equal(count_of("namespace-raw"), 0);
}

/* the mount table names the kernel name, as it does for every mount;
 * fstab mounts by UUID= and LABEL=: no mount by kernel name */
static void test_mount_by_uuid_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(g, "proc/mounts", 26, "guest.mount", "source", "/dev/pmem0", "target", "/data", NULL);
	fact(g, "sos_commands/block/blkid_-c_.dev.null", 9, "guest.blkid", "device", "/dev/pmem1", "fs_uuid",
	     "9d1c7c1e-5c0b-4f55-8b1e-6f4f8c9a0b11", "label", "logs", "fstype", "xfs", NULL);
	fstab(g, 16, "LABEL=logs", "/logs");
	run();
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->devs[1].ns[0].fstab.n, 1);
	assert_int_equal(count_of("mount-by-kernel-name"), 0);
	assert_int_equal(c->nfinds, 0);
}

static void test_fstab_device_missing(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fstab(g, 17, "/dev/pmem7", "/old");
	fstab(g, 18, "/dev/pmem1", "/logs"); /* exists: not missing */
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "fstab-device-missing", SEV_WARNING, "/etc/fstab mounts /dev/pmem7 on /old",
					 "provides that device", NULL);
	assert_true(ev_has(&f->ev, "etc/fstab", 17));
	assert_int_equal(count_of("fstab-device-missing"), 1);
}

/* a region whose mapping names a dimm ndctl did not list still provides
 * its namespace: its device is not "missing" */
static void test_fstab_device_of_an_unlisted_dimm(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	const char *m = "sos_commands/pmem/ndctl_list_-vvv";
	fact(g, m, 210, "nd.mapping", "region", "region7", "dimm", "nmem7", "length", GIB16, NULL);
	fact(g, m, 310, "nd.region", "dev", "region7", "size", GIB16, NULL);
	fact(g, m, 410, "nd.namespace", "dev", "namespace7.0", "region", "region7", "mode", "fsdax",
	     "blockdev", "pmem7", NULL);
	fstab(g, 17, "/dev/pmem7", "/seven");
	run();
	assert_int_equal(count_of("fstab-device-missing"), 0);
}

/* a descriptor by its member path, on one of two PMem datastores that both
 * hold "vm1/vm1.vmdk": the exact path decides, never the shared tail */
static void descriptor_on(uint32_t b, const char *ds, const char *serial)
{
	char member[256], uuid[64];
	snprintf(member, sizeof(member), "vmfs/volumes/%s/vm1/vm1.vmdk", ds);
	snprintf(uuid, sizeof(uuid), "6000c298-42c7-54f8-02c2-d49b%s", serial);
	fact(b, member, 12, "vmdk.uuid", "uuid", uuid, "serial", serial, "datastore", ds, "vmdk", "vm1.vmdk",
	     NULL);
}


static void test_descriptor_exact_path(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	descriptor_on(h, "PMemDS-aaaa", "11111111");
	descriptor_on(h, "PMemDS-bbbb", "22222222");
	nvdimm_file(h, "/vmfs/volumes/PMemDS-bbbb/vm1/vm1.vmdk");
	run();
	assert_string_equal(A.cases[0].devs[0].serial, "22222222");
	assert_int_equal(count_of("evidence-missing"), 0);
}

static void test_descriptor_by_tail(void **state)
{
	(void)state;
	/* the vmx names the datastore by UUID, the bundle by label */
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	descriptor_on(h, "PMemDS-aaaa", "11111111");
	descriptor_on(h, "datastore1", "33333333"); /* the OS disk: not on a PMem datastore */
	nvdimm_file(h, "/vmfs/volumes/5d2dd5df-0f51180a-72c9-e4434b7ba70c/vm1/vm1.vmdk");
	run();
	assert_non_null(A.cases[0].devs[0].serial);
	assert_string_equal(A.cases[0].devs[0].serial, "11111111");
	/* a relative fileName is the VM folder's */
	analysis_free(&A);
	model_free(&M);
	model_init(&M);
	h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	fact(h, "vmfs/volumes/datastore1/x/vm1_2.vmdk", 12, "vmdk.uuid", "uuid",
	     "6000c298-42c7-54f8-02c2-d49b44444444", "serial", "44444444", "datastore", "datastore1", NULL);
	fact(h, VMX("x"), 20, "vmx.nvdimm", "device", "nvdimm0:0", "prop", "fileName", "value", "vm1_2.vmdk", NULL);
	run();
	assert_string_equal(A.cases[0].devs[0].serial, "44444444");
}

static void test_descriptor_tail_ambiguous(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	descriptor_on(h, "PMemDS-aaaa", "11111111");
	descriptor_on(h, "PMemDS-bbbb", "22222222");
	nvdimm_file(h, "/vmfs/volumes/5d2dd5df-0f51180a-72c9-e4434b7ba70c/vm1/vm1.vmdk");
	run();
	/* two candidates by tail: neither is taken */
	assert_null(A.cases[0].devs[0].serial);
	expect(&A.cases[0], "evidence-missing", SEV_ERROR, "vm1", NULL);
}

static void test_pasted_getuuid_by_tail(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), t = bundle("notes.txt", KIND_TRANSCRIPT);
	vm(h, "vm1", BIOS);
	nvdimm_file(h, "/vmfs/volumes/5d2dd5df-0f51180a-72c9-e4434b7ba70c/vm1/vm1.vmdk");
	/* another VM's file of the same name, pasted first, is not it: the
	 * tail is "<dir>/<file>", not the file name alone */
	fact(t, "notes.txt", 5, "vmdk.uuid", "uuid", "6000c298-42c7-54f8-02c2-d49b66666666", "serial", "66666666",
	     "vmdk", "/vmfs/volumes/PMemDS-aaaa/vm2/vm1.vmdk", NULL);
	/* the one-liner names the file on the PMem datastore by label */
	fact(t, "notes.txt", 7, "vmdk.uuid", "uuid", "6000c298-42c7-54f8-02c2-d49b55555555", "serial", "55555555",
	     "vmdk", "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk", NULL);
	run();
	assert_string_equal(A.cases[0].devs[0].serial, "55555555");
	assert_true(ev_has(&A.cases[0].devs[0].ev, "notes.txt", 7));
	/* the unclaimed one is a transcript VM of its own */
	assert_int_equal(A.ncases, 2);
	assert_string_equal(A.cases[1].vm.name, "vm1");
	assert_string_equal(A.cases[1].devs[0].serial, "66666666");
}

/* A host bundle's own getuuid listing (pmemmap collect esxi): it fills the
 * slots of its bundle whose descriptor was not collected, after the
 * descriptor, never another bundle's slots, and makes no VM of its own. */
static void getuuid_listed(uint32_t b, unsigned line, const char *path, const char *serial)
{
	char uuid[64];
	snprintf(uuid, sizeof(uuid), "6000c298-42c7-54f8-02c2-d49b%s", serial);
	fact(b, "commands/vmkfstools_-J_getuuid.txt", line, "vmdk.uuid", "uuid", uuid, "serial", serial, "vmdk", path,
	     NULL);
}

static void test_bundle_getuuid_listing(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	nvdimm_file(h, "/vmfs/volumes/5d2dd5df-0f51180a-72c9-e4434b7ba70c/vm1/vm1.vmdk");
	getuuid_listed(h, 2, "/vmfs/volumes/PMemDS-aaaa/vm9/vm9.vmdk", "99999999");
	getuuid_listed(h, 4, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk", "77777777");
	run();
	assert_int_equal(A.ncases, 1); /* vm9's line is no VM */
	assert_non_null(A.cases[0].devs[0].serial);
	assert_string_equal(A.cases[0].devs[0].serial, "77777777");
	assert_true(ev_has(&A.cases[0].devs[0].ev, "commands/vmkfstools_-J_getuuid.txt", 4));
	assert_int_equal(count_of("evidence-missing"), 0);

	/* the descriptor first */
	analysis_free(&A);
	model_free(&M);
	model_init(&M);
	h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	nvdimm_file(h, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk");
	getuuid_listed(h, 2, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk", "77777777");
	descriptor_on(h, "PMemDS-aaaa", "11111111");
	run();
	assert_string_equal(A.cases[0].devs[0].serial, "11111111");

	/* another host bundle's listing is not this bundle's */
	analysis_free(&A);
	model_free(&M);
	model_init(&M);
	h = bundle("esx.tgz", KIND_VMSUPPORT);
	uint32_t later = bundle("esx-later.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	nvdimm_file(h, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk");
	getuuid_listed(later, 2, "/vmfs/volumes/PMemDS-aaaa/vm1/vm1.vmdk", "88888888");
	run();
	assert_int_equal(A.ncases, 1);
	assert_null(A.cases[0].devs[0].serial);
	expect(&A.cases[0], "evidence-missing", SEV_ERROR, "vm1", NULL);
}

static void test_pair_by_bios_alone(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "other-name", BIOS, NULL); /* as written, not swapped; no shared serial */
	dimm(g, 0, "ffff0000", GIB16, "fsdax");
	run();
	assert_int_equal(A.ncases, 1);
	assert_string_equal(A.cases[0].paired_by, "system-uuid");
}

static void test_bad_times_counted(void **state)
{
	(void)state;
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, NULL);
	for (unsigned i = 0; i < 7; i++)
		fact(g, "var/log/kern.log", 10 + i, "guest.event", "time", "2026-13-05T10:00:00Z", "label", "boot",
		     NULL);
	/* two facts from one line are one diagnostic */
	fact(g, "var/log/kern.log", 16, "guest.kernel", "time", "2026-13-05T10:00:00Z", NULL);
	run();
	size_t each = 0, summary = 0;
	/* the analysis's diagnostics: the model is read, never written */
	assert_int_equal(M.ndiags, 0);
	for (size_t i = 0; i < A.ndiags; i++) {
		if (strstr(A.diags[i].message, "no such month; not used"))
			each++;
		if (strstr(A.diags[i].message, "2 more captured times are not real times"))
			summary++;
	}
	assert_int_equal(each, 5);
	assert_int_equal(summary, 1);
	assert_int_equal(A.cases[0].nevents, 0);
}

/* three guest bundles of one VM: each compares with the one just before */
/* Collection times from several sources: the most precise that is a real
 * time is used (manifest before date before the name); one that
 * disagrees by more than a day and a zone offset is said. */
static void test_collection_time_sources(void **state)
{
	(void)state;
	uint32_t g = bundle("sosreport-vm1-2026-03-01-abcdefg.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, NULL);
	fact(g, "", 0, "bundle.collected", "time", "2026-03-01", "source", "name", NULL);
	fact(g, "sos_commands/date/date", 1, "bundle.collected", "time", "Thu Mar  5 10:31:05 CET 2026", "source",
	     "date", NULL);
	fact(g, "sos_reports/manifest.json", 4, "bundle.collected", "time", "9999-99-99 99:99:99", "source",
	     "manifest", NULL);
	run();
	assert_string_equal(A.notes[g].collected, "Thu Mar  5 10:31:05 CET 2026");
	assert_string_equal(fact_get(A.notes[g].collected_from, "source"), "date");
	assert_int_equal(A.notes[g].collected_t, parse_utc("2026-03-05T10:31:05Z"));
	size_t said = 0;
	for (size_t i = 0; i < A.ndiags; i++)
		said += strstr(A.diags[i].message, "collection time \"2026-03-01\" (name) is 106 h from "
						    "\"Thu Mar  5 10:31:05 CET 2026\" (date), which is used") != NULL;
	assert_int_equal(said, 1);
	assert_string_equal(A.cases[0].guest.collected_at, "Thu Mar  5 10:31:05 CET 2026");
}

/* a date only in the name, the day before the manifest's time: no word */
static void test_collection_time_sources_agree(void **state)
{
	(void)state;
	uint32_t g = bundle("sosreport-vm1-2026-03-05-abcdefg.tar.xz", KIND_SOSREPORT);
	guest(g, "vm1", NULL, "2026-03-05 23:59:00");
	fact(g, "", 0, "bundle.collected", "time", "2026-03-05", "source", "name", NULL);
	run();
	assert_string_equal(A.notes[g].collected, "2026-03-05 23:59:00");
	assert_int_equal(A.ndiags, 0);
}

static void test_history_compares_with_the_latest_earlier(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	const char *when[] = { "2026-03-07 08:00:00", "2026-03-01 08:00:00", "2026-03-04 08:00:00" };
	const char *file[] = { "sos-c.tar.xz", "sos-a.tar.xz", "sos-b.tar.xz" };
	for (int k = 0; k < 3; k++) {
		uint32_t g = bundle(file[k], KIND_SOSREPORT);
		guest(g, "vm1", BIOS, when[k]);
		/* the device is nmem0, then nmem1, then nmem2 (renamed each time) */
		unsigned n = k == 1 ? 0 : k == 2 ? 1 : 2;
		dimm(g, n, "206b080c", GIB16, "fsdax");
	}
	run();
	assert_int_equal(count_of("mapping-changed"), 2);
	for (size_t i = 0; i < A.ncases; i++) {
		const struct acase *c = &A.cases[i];
		if (!strcmp(c->guest.collected_at, "2026-03-07 08:00:00"))
			assert_non_null(strstr(c->answer, "Between 2026-03-04 08:00:00 and 2026-03-07 08:00:00"));
		else if (!strcmp(c->guest.collected_at, "2026-03-04 08:00:00"))
			assert_non_null(strstr(c->answer, "Between 2026-03-01 08:00:00 and 2026-03-04 08:00:00"));
		else
			assert_null(c->answer);
	}
}

/* a devdax device that daxctl lists, and no namespace names, is there */
static void test_fstab_dax_device_listed_by_daxctl(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(g, "sos_commands/pmem/daxctl_list", 3, "dax.device", "chardev", "dax9.0", "mode", "devdax", NULL);
	fstab(g, 17, "/dev/dax9.0", "/dax");
	run();
	assert_int_equal(count_of("fstab-device-missing"), 0);
}

static void test_renumbered(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384"); /* slot 0 is empty now */
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	run();
	const struct acase *c = &A.cases[0];
	expect(c, "renumbered", SEV_WARNING, "vm1_1.vmdk (slot nvdimm0:1) is nmem0 in the guest, not nmem1",
	       "removed", NULL);
	assert_int_equal(count_of("renumbered"), 1);
}

/* a guest that numbers its devices otherwise than the slots, all slots
 * present: no evidence of a change, no finding (and never "added in a
 * lower slot" for slot 0) */
static void test_out_of_slot_order_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	dimm(g, 1, "206b080c", GIB16, "fsdax");
	run();
	assert_string_equal(A.cases[0].devs[0].nmem, "nmem1");
	assert_int_equal(count_of("renumbered"), 0);
	assert_int_equal(A.cases[0].nfinds, 0);
}

/* slots 1 and 2, nmem1 in slot 1 and nmem0 in slot 2: a gap, but numbers
 * that slot order does not explain: nothing is said */
static void test_gap_unexplained_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 1, "vm1_1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 2, "vm1_2.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 1, "206b080c", GIB16, "fsdax");
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	run();
	assert_int_equal(count_of("renumbered"), 0);
}

/* two slots empty below: said with the count */
static void test_renumbered_two_below(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 2, "vm1_2.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	run();
	expect(&A.cases[0], "renumbered", SEV_WARNING, "is nmem0 in the guest, not nmem2: 2 slots below it are empty",
	       NULL);
}

/* Devices below the gap are counted exactly: slots 0, 1, 2 and 5, the
 * guest numbering them 0 to 3: only slot 5's device moved down, by 2. */
static void test_renumbered_after_three(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	static const char *const serial[] = { "206b080c", "a2ebf260", "5c1d77e0", "9e02f4b1" };
	static const unsigned unit[] = { 0, 1, 2, 5 };
	char file[32];
	vm(h, "vm1", BIOS);
	guest(g, "vm1", BIOS, NULL);
	for (unsigned k = 0; k < 4; k++) {
		snprintf(file, sizeof(file), k ? "vm1_%u.vmdk" : "vm1.vmdk", unit[k]);
		slot(h, "vm1", unit[k], file, serial[k], "16384");
		dimm(g, k, serial[k], GIB16, "fsdax");
	}
	run();
	expect(&A.cases[0], "renumbered", SEV_WARNING, "vm1_5.vmdk (slot nvdimm0:5) is nmem3 in the guest, not nmem5: "
	       "2 slots below it are empty", NULL);
	assert_int_equal(count_of("renumbered"), 1);
}

static void test_renumbered_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g); /* slot N is nmemN */
	run();
	assert_int_equal(count_of("renumbered"), 0);
}

static void test_guest_older_than_host_change(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g); /* guest collected 2026-03-05 10:31:05 */
	fact(h, "vmfs/volumes/datastore1/x/vmware.log", 50, "esx.vmlog", "time", "2026-03-05T11:00:00.000Z", NULL);
	run();
	const struct finding *f = expect(&A.cases[0], "guest-bundle-older-than-host-change", SEV_WARNING,
					 "collected at 2026-03-05 10:31:05", "2026-03-05T11:00:00.000Z", NULL);
	assert_true(ev_has(&f->ev, "vmfs/volumes/datastore1/x/vmware.log", 50));
}

static void test_guest_older_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	fact(h, "vmfs/volumes/datastore1/x/vmware.log", 50, "esx.vmlog", "time", "2026-03-05T10:00:00.000Z", NULL);
	/* a log of another VM's folder is not this VM's configuration */
	fact(h, "vmfs/volumes/datastore1/other/vmware.log", 50, "esx.vmlog", "time", "2026-03-06T10:00:00.000Z",
	     NULL);
	run();
	assert_int_equal(count_of("guest-bundle-older-than-host-change"), 0);
}

static void power_on_and_boot(uint32_t h, uint32_t g, const char *boot)
{
	fact(h, "vmfs/volumes/datastore1/x/vmware.log", 1, "host.event", "time", "2026-03-05T09:57:41.000Z",
	     "label", "power-on", "message", "Log for VMware ESX", NULL);
	fact(g, "var/log/kern.log", 1, "guest.event", "time", boot, "label", "boot", "message",
	     "Linux version 5.15", NULL);
}

static void test_clock_skew(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	power_on_and_boot(h, g, "2026-03-05T11:58:10Z"); /* two hours after */
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "clock-skew", SEV_WARNING, "2026-03-05 11:58:10", "2026-03-05 09:57:41",
					 "about 120 min ahead of", NULL);
	assert_int_equal(f->ev.n, 2);
	assert_int_equal(c->nevents, 2);
	assert_non_null(c->time_note);
}

static void test_clock_skew_near_miss(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	power_on_and_boot(h, g, "2026-03-05T09:58:10Z"); /* 29 s after */
	run();
	assert_int_equal(count_of("clock-skew"), 0);
	assert_int_equal(A.cases[0].nevents, 2);
	/* events in time order, host before guest */
	assert_string_equal(A.cases[0].events[0].side, "host");
}

static void test_mapping_changed(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	uint32_t g1 = bundle("sos-before.tar.xz", KIND_SOSREPORT), g2 = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	/* before: the second device was nmem1 / pmem1, mounted by kernel name */
	guest(g1, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(g1, 0, "206b080c", GIB16, "fsdax");
	dimm(g1, 1, "a2ebf260", GIB16, "fsdax");
	fstab(g1, 16, "/dev/pmem0", "/data");
	/* after the removal of the first: it is nmem0 / pmem0 */
	guest(g2, "vm1", BIOS, "2026-03-07 08:55:12");
	dimm(g2, 0, "a2ebf260", GIB16, "fsdax");
	fstab(g2, 16, "/dev/pmem0", "/data");
	run();
	size_t changed = count_of("mapping-changed");
	assert_int_equal(changed, 1);
	const struct acase *c = NULL;
	for (size_t i = 0; i < A.ncases; i++)
		if (finding_of(&A.cases[i], "mapping-changed", 0))
			c = &A.cases[i];
	assert_non_null(c);
	assert_non_null(c->answer);
	assert_non_null(strstr(c->answer, "nmem1 (vm1_1.vmdk) became nmem0"));
}

static void test_mapping_unchanged_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	uint32_t g1 = bundle("sos-before.tar.xz", KIND_SOSREPORT), g2 = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g1, "vm1", BIOS, "2026-03-05 10:31:05");
	dimm(g1, 0, "206b080c", GIB16, "fsdax");
	guest(g2, "vm1", BIOS, "2026-03-07 08:55:12");
	dimm(g2, 0, "206b080c", GIB16, "fsdax");
	run();
	assert_int_equal(count_of("mapping-changed"), 0);
	for (size_t i = 0; i < A.ncases; i++)
		assert_null(A.cases[i].answer);
}


/* One guest bundle, taken after the change: the earlier numbering is
 * predicted from the NVDIMM configuration the host logged at the power-on
 * before, and the finding cites that configuration and the newest one. */
static void test_mapping_changed_from_power_ons(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	const char *old_log = "vmfs/volumes/datastore1/x/vmware-1.log", *new_log = "vmfs/volumes/datastore1/x/vmware.log";
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	nvdimm_config(h, old_log, 310, "2026-03-04T14:02:11.210Z", "nvdimm0:0", PMEMDS "vm1/vm1.vmdk");
	nvdimm_config(h, old_log, 311, "2026-03-04T14:02:11.210Z", "nvdimm0:1", PMEMDS "vm1/vm1_1.vmdk");
	nvdimm_config(h, new_log, 305, "2026-03-07T08:37:41.450Z", "nvdimm0:1", PMEMDS "vm1/vm1_1.vmdk");
	guest(g, "vm1", BIOS, "2026-03-07 08:55:12");
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	fstab(g, 16, "/dev/pmem0", "/data");
	run();
	const struct acase *c = &A.cases[0];
	const struct finding *f = expect(c, "mapping-changed", SEV_ERROR, "2026-03-04 14:02:11", "2026-03-07 08:37:41",
					 "vm1.vmdk was removed", "nmem1 (vm1_1.vmdk) became nmem0",
					 "/etc/fstab mounts /dev/pmem0 on /data, which now reaches vm1_1.vmdk (it was vm1.vmdk)",
					 "read from the host's NVDIMM configuration at that power-on", NULL);
	assert_int_equal(f->ev.n, 2);
	assert_true(ev_has(&f->ev, old_log, 311));
	assert_true(ev_has(&f->ev, new_log, 305));
	assert_string_equal(c->answer, f->message);
}

/* A guest bundle dated the very second of the newest power-on is not
 * older than it (guest-bundle-older-than-host-change is for earlier
 * ones): the change is still told, never neither. */
static void test_power_ons_guest_same_second(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	const char *old_log = "vmfs/volumes/datastore1/x/vmware-1.log", *new_log = "vmfs/volumes/datastore1/x/vmware.log";
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	nvdimm_config(h, old_log, 310, "2026-03-04T14:02:11.210Z", "nvdimm0:0", PMEMDS "vm1/vm1.vmdk");
	nvdimm_config(h, old_log, 311, "2026-03-04T14:02:11.210Z", "nvdimm0:1", PMEMDS "vm1/vm1_1.vmdk");
	nvdimm_config(h, new_log, 305, "2026-03-07T08:37:41.450Z", "nvdimm0:1", PMEMDS "vm1/vm1_1.vmdk");
	guest(g, "vm1", BIOS, "2026-03-07 08:37:41");
	dimm(g, 0, "a2ebf260", GIB16, "fsdax");
	run();
	assert_int_equal(count_of("mapping-changed"), 1);
	assert_int_equal(count_of("guest-bundle-older-than-host-change"), 0);
}

/* the same configuration at both power-ons: nothing changed, nothing said */
static void test_power_ons_same_config_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos-after.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	nvdimm_config(h, "vmfs/volumes/datastore1/x/vmware-1.log", 310, "2026-03-04T14:02:11.210Z", "nvdimm0:0",
		      PMEMDS "vm1/vm1.vmdk");
	nvdimm_config(h, "vmfs/volumes/datastore1/x/vmware.log", 305, "2026-03-07T08:37:41.450Z", "nvdimm0:0",
		      PMEMDS "vm1/vm1.vmdk");
	guest(g, "vm1", BIOS, "2026-03-07 08:55:12");
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	run();
	assert_int_equal(count_of("mapping-changed"), 0);
	assert_null(A.cases[0].answer);
	assert_int_equal(A.cases[0].nevents, 2);
}

/* Without a size in the .vmx, each device's size is the sum of its own
 * descriptor's extents, never another descriptor's. */
static void test_size_from_each_descriptor(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", NULL);
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", NULL);
	const char *d0 = PMEMDS "vm1/vm1.vmdk", *d1 = PMEMDS "vm1/vm1_1.vmdk";
	fact(h, d0 + 1, 20, "vmdk.extent", "sectors", "33554432", NULL); /* 16 GiB */
	fact(h, d1 + 1, 20, "vmdk.extent", "sectors", "16777216", NULL); /* 8 GiB in two extents */
	fact(h, d1 + 1, 21, "vmdk.extent", "sectors", "16777216", NULL);
	fact(h, d1 + 1, 22, "vmdk.extent", "sectors", "2097152", NULL); /* and 1 GiB */
	run();
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->ndevs, 2);
	assert_string_equal(c->devs[0].slot, "nvdimm0:0");
	assert_int_equal(c->devs[0].size_host, 16ULL << 30);
	assert_int_equal(c->devs[1].size_host, 17ULL << 30);
}

/* ---- a complete mapping, and what keeps one from being complete -------- */

static void test_complete_needs_every_row_matched(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g);
	run();
	assert_true(A.complete);
	analysis_free(&A);
	/* a guest-only device makes it incomplete even without an error */
	uint32_t g2 = bundle("sos-other.tar.xz", KIND_SOSREPORT);
	guest(g2, "lonely", NULL, NULL);
	dimm(g2, 0, "99999999", GIB16, "fsdax");
	run();
	assert_false(A.complete);
	assert_int_equal(A.errors, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy_pair, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_from_each_descriptor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_swapped_smbios_uuid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_serials_then_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_name_case_insensitive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_pair_is_two_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_nearest_date, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_past_nine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_rows_in_nmem_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_present_false_slot_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_findings_errors_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_missing_host, setup, teardown),
		cmocka_unit_test_setup_teardown(test_evidence_missing_guest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpmem_without_guest_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpmem_without_guest_device_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_device_without_vmdk, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serial_collision_host_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serial_collision_guest_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serial_collision_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_namespace_missing_and_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_by_kernel_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices_from_the_pmem_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmem_folder_without_vmx, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slots_from_the_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nvdimm_config_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_by_serial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_mount_disagree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_mount_agree_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dimm_ids_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dimm_ids_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inputs_not_recognised, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_without_pmem, setup, teardown),
		cmocka_unit_test_setup_teardown(test_inputs_in_cases_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bundles_present_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_size_within_tolerance_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_namespace_present_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mount_by_uuid_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_device_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_device_of_an_unlisted_dimm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptor_exact_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptor_by_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptor_tail_ambiguous, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pasted_getuuid_by_tail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bundle_getuuid_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_bios_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_times_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collection_time_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_collection_time_sources_agree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_history_compares_with_the_latest_earlier, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fstab_dax_device_listed_by_daxctl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumbered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumbered_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumbered_after_three, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_slot_order_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gap_unexplained_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renumbered_two_below, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_older_than_host_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_guest_older_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_skew, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_skew_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapping_changed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapping_unchanged_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mapping_changed_from_power_ons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_ons_same_config_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_ons_guest_same_second, setup, teardown),
		cmocka_unit_test_setup_teardown(test_complete_needs_every_row_matched, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
