/* test_redact.c - --redact on models built fact by fact: the analysis
 * finds on the redacted model what it finds on the original (pairing by
 * system UUID, by name across case and domain, by serials with
 * --redact-ids, the SMBIOS swap, units and the PMemDS- prefix), each
 * value is one token wherever it appears and a token one value,
 * structure is kept, input paths keep their shape, and the work is linear
 * in the text on inputs made to slow it down.
 * tests/redact-test.sh runs every fixture through the command line.
 */
#include "testutil.h"
#include "analyze.h"
#include "modelbuild.h"
#include "redact.h"

static struct analysis A;
static struct redactor *R;

static int setup(void **state)
{
	(void)state;
	model_init(&M);
	memset(&A, 0, sizeof(A));
	R = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	analysis_free(&A);
	model_free(&M);
	redactor_free(R);
	return 0;
}

static void redact_and_run(bool ids)
{
	R = redactor_new(ids);
	redact_model(R, &M);
	analyze(&M, &A);
}

/* The value of field key of the n-th fact of type. */
static const char *field_of(const char *type, size_t n, const char *key)
{
	for (size_t i = 0; i < M.nfacts; i++)
		if (!strcmp(M.facts[i].type, type) && n-- == 0)
			return fact_get(&M.facts[i], key);
	return NULL;
}

/* The token the map gives for value (NULL: none). */
static const char *token_of(const char *value)
{
	static char tok[256];
	struct json_object *map = redact_map_json(R, "test"), *toks;
	json_object_object_get_ex(map, "tokens", &toks);
	tok[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(toks); i++) {
		struct json_object *t = json_object_array_get_idx(toks, i), *v, *k;
		json_object_object_get_ex(t, "value", &v);
		json_object_object_get_ex(t, "token", &k);
		if (!strcmp(json_object_get_string(v), value))
			snprintf(tok, sizeof(tok), "%s", json_object_get_string(k));
	}
	json_object_put(map);
	return tok[0] ? tok : NULL;
}

static void healthy(uint32_t *h, uint32_t *g, const char *guest_name, const char *system_uuid)
{
	*h = bundle("cases/ACME Corp/esx-esx01.lab.example.com-2026-03-05--10.12-2107676.tgz", KIND_VMSUPPORT);
	*g = bundle("cases/ACME Corp/sosreport-pmem-guest-001-2026-03-05-kqzvbte.tar.xz", KIND_SOSREPORT);
	vm(*h, "pmem-guest-001", BIOS);
	slot(*h, "pmem-guest-001", 0, "pmem-guest-001.vmdk", "206b080c", "16384");
	slot(*h, "pmem-guest-001", 1, "pmem-guest-001_1.vmdk", "a2ebf260", "16384");
	guest(*g, guest_name, system_uuid, "2026-03-05 10:31:05");
	dimm(*g, 0, "206b080c", GIB16, "fsdax");
	dimm(*g, 1, "a2ebf260", GIB16, "fsdax");
	blkid(*g, 0, "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	fstab(*g, 15, "UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873", "/data");
	fstab(*g, 16, "/dev/pmem1", "/hana/PRD");
}

/* ---- the mapping is the original's ---------------------------------------- */

static void test_healthy_pair_redacted(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g, "pmem-guest-001.lab.example.com", BIOS_SWAPPED);
	redact_and_run(false);
	assert_true(M.redacted);
	assert_false(M.redacted_ids);
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->paired_by, "system-uuid");
	assert_true(A.complete);
	assert_int_equal(c->ndevs, 2);
	assert_string_equal(c->vm.name, "vm-1");
	assert_string_equal(c->guest.hostname, "vm-1.domain-1");
	assert_string_equal(c->vm.host, "host-1");
	/* a PMem datastore stays one; a file keeps its extension and unit */
	assert_string_equal(c->devs[1].vmdk, "/vmfs/volumes/PMemDS-datastore-1/vm-1/vm-1_1.vmdk");
	assert_string_equal(c->devs[1].nmem, "nmem1");
	assert_int_equal(c->devs[1].status, ST_MATCHED);
	/* UUIDs and serials kept */
	assert_string_equal(c->devs[0].vmdk_uuid, "6000c298-42c7-54f8-02c2-d49b206b080c");
	assert_string_equal(c->devs[0].serial, "206b080c");
	assert_string_equal(c->devs[0].ns[0].fstab.v[0], "UUID=3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873 /data xfs defaults,dax");
	/* a mount point: structure kept, the rest a token in its place */
	assert_string_equal(c->devs[1].ns[0].fstab.v[0], "/dev/pmem1 /path-1/path-2 xfs defaults,dax");
	/* the input paths keep their shape, not their names */
	assert_string_equal(M.bundles[h].path, "dir-1/dir-2/esx-host-1.domain-1-2026-03-05--10.12-2107676.tgz");
	assert_string_equal(M.bundles[g].path, "dir-1/dir-2/sosreport-vm-1-2026-03-05-kqzvbte.tar.xz");
	assert_string_equal(token_of("ACME Corp"), "dir-2");
	assert_string_equal(token_of("lab.example.com"), "domain-1");
	/* the descriptor's member names the VM's folder and file by their tokens */
	bool descriptor = false;
	for (size_t i = 0; i < c->devs[0].ev.n; i++)
		descriptor |= !strcmp(c->devs[0].ev.v[i].member, "vmfs/volumes/PMemDS-datastore-1/vm-1/vm-1.vmdk");
	assert_true(descriptor);
}

/* A descriptor on a PMem datastore that no .vmx names is a device of its
 * folder's VM: the analysis knows the datastore by its PMemDS- prefix,
 * which its token keeps. */
static void test_pmem_datastore_kept(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	fact(h, "vmfs/volumes/PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d/db9/db9_1.vmdk", 20, "vmdk.uuid", "uuid",
	     "6000c29d-9045-4266-d7cf-edf7a2ebf260", "serial", "a2ebf260", "datastore",
	     "PMemDS-2ab23afe-ef87-eb45-9e0d-8db94ea7740d", NULL);
	redact_and_run(false);
	assert_int_equal(A.ncases, 1);
	assert_int_equal(A.cases[0].ndevs, 1);
	assert_string_equal(A.cases[0].vm.name, "folder-1");
	assert_string_equal(A.cases[0].devs[0].vmdk, "/vmfs/volumes/PMemDS-datastore-1/folder-1/folder-1_1.vmdk");
}

static void test_pair_by_name_kept(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "PMEM-Guest-001", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "pmem-guest-001.lab.example.com", NULL, NULL);
	dimm(g, 0, "ffff0000", GIB16, "fsdax");
	redact_and_run(false);
	assert_int_equal(A.ncases, 1);
	assert_string_equal(A.cases[0].paired_by, "name");
	/* one token for the name in either case */
	assert_string_equal(A.cases[0].vm.name, "vm-1");
	assert_string_equal(A.cases[0].guest.hostname, "vm-1.domain-1");
}

static void test_pair_by_name_near_miss(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "pmem-guest-001", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	guest(g, "pmem-guest-0011", NULL, NULL);
	dimm(g, 0, "ffff0000", GIB16, "fsdax");
	redact_and_run(false);
	assert_int_equal(A.ncases, 2); /* two names, two tokens: no pair */
	assert_string_equal(field_of("guest.hostname", 0, "hostname"), "guest-1");
}

static void test_ids_keep_the_links(void **state)
{
	uint32_t h, g;
	(void)state;
	healthy(&h, &g, "someone-else", BIOS_SWAPPED);
	redact_and_run(true);
	assert_true(M.redacted_ids);
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->paired_by, "system-uuid"); /* through the SMBIOS swap */
	assert_true(A.complete);
	for (size_t i = 0; i < 2; i++) {
		const struct device *d = &c->devs[i];
		assert_int_equal(d->status, ST_MATCHED);
		assert_int_equal(strlen(d->vmdk_uuid), 36);
		assert_string_equal(d->vmdk_uuid + 28, d->serial);
		assert_string_equal(d->dimm_id + 5, d->serial);
		assert_memory_equal(d->dimm_id, "8902-", 5);
	}
	assert_string_not_equal(c->devs[0].serial, "206b080c");
	assert_string_not_equal(c->devs[1].serial, "a2ebf260");
	assert_string_not_equal(c->vm.bios_uuid, BIOS);
	/* the filesystem UUID, the same wherever it is written */
	char want[80];
	snprintf(want, sizeof(want), "UUID=%s /data xfs defaults,dax", c->devs[0].ns[0].fs_uuid);
	assert_string_equal(c->devs[0].ns[0].fstab.v[0], want);
	assert_string_not_equal(c->devs[0].ns[0].fs_uuid, "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	/* the map reads each back */
	assert_string_equal(token_of("206b080c"), c->devs[0].serial);
}

static void test_ids_keep_serials_apart(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", NULL);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "206b080d", "16384");
	guest(g, "other", NULL, NULL);
	dimm(g, 0, "206b080d", GIB16, "fsdax");
	dimm(g, 1, "206b080c", GIB16, "fsdax");
	redact_and_run(true);
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_string_equal(c->paired_by, "serials");
	assert_string_not_equal(c->devs[0].serial, c->devs[1].serial);
	assert_string_equal(c->devs[0].nmem, "nmem1");
	assert_string_equal(c->devs[1].nmem, "nmem0");
}

/* fstab names a filesystem by /dev/disk/by-uuid/: the chain still reaches
 * it with the UUIDs replaced, a short (vfat) one and a canonical one. */
static void test_ids_by_uuid_path(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT), g = bundle("sos.tar.xz", KIND_SOSREPORT);
	vm(h, "vm1", BIOS);
	slot(h, "vm1", 0, "vm1.vmdk", "206b080c", "16384");
	slot(h, "vm1", 1, "vm1_1.vmdk", "a2ebf260", "16384");
	guest(g, "vm1", BIOS, NULL);
	dimm(g, 0, "206b080c", GIB16, "fsdax");
	dimm(g, 1, "a2ebf260", GIB16, "fsdax");
	blkid(g, 0, "7A3C-91E4");
	blkid(g, 1, "3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873");
	fstab(g, 15, "/dev/disk/by-uuid/7A3C-91E4", "/data");
	fstab(g, 16, "/dev/disk/by-uuid/3f6c2a9e-8d41-4b7a-9c25-e1f0a6d4b873", "/logs");
	redact_and_run(true);
	assert_int_equal(A.ncases, 1);
	const struct acase *c = &A.cases[0];
	assert_int_equal(c->devs[0].ns[0].fstab.n, 1);
	assert_int_equal(c->devs[1].ns[0].fstab.n, 1);
	assert_null(strstr(c->devs[1].ns[0].fstab.v[0], "3f6c2a9e"));
}

/* ---- text ----------------------------------------------------------------- */

static void test_text_tokens(void **state)
{
	(void)state;
	uint32_t h = bundle("esx.tgz", KIND_VMSUPPORT);
	vm(h, "db", NULL);
	fact(h, "commands/uname_-a.txt", 1, "esx.hostname", "hostname", "esx01.lab.example.com", NULL);
	fact(h, "vmfs/volumes/datastore1/db/vmware.log", 3, "host.event", "time", "2026-03-05T10:00:00Z", "label",
	     "power-on", "message",
	     "DB started by alice@example.org from 10.1.2.3 (00:50:56:AB:cd:ef), fe80::1 and 999.1.1.1; dbus ok; "
	     "esx01 on ESX01.lab.example.com, db.",
	     NULL);
	fact(h, "home/alice/.bash_history", 1, "x.note", "text", "cd /home/alice", NULL);
	redact_and_run(false);
	assert_string_equal(field_of("host.event", 0, "message"),
			    "vm-1 started by email-1 from ip-1 (mac-1), ip-2 and 999.1.1.1; dbus ok; "
			    "host-1 on host-1.domain-1, vm-1.");
	assert_string_equal(field_of("host.event", 0, "label"), "power-on");
	assert_string_equal(field_of("x.note", 0, "text"), "cd /home/user-1");
	assert_string_equal(M.facts[M.nfacts - 1].ev.member, "home/user-1/.bash_history");
}

static void test_structure_kept(void **state)
{
	(void)state;
	static const char *const words[] = { "(stdin)", "altbootbank", "by-partuuid", "dev", "lost+found",
					     "mnt", "sos_commands", "vmfs", "vsan", "data", "false", "TRUE",
					     "yes", "-" };
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		fact(g, "etc/hostname", 1, "guest.hostname", "hostname", words[i], NULL);
	fact(g, "proc/mounts", 1, "guest.mount", "source", "/dev/pmem0", "target", "/mnt/vsan/data", NULL);
	fact(g, "etc/fstab", 1, "guest.fstab", "spec", "LABEL=dev", "file", "/dev/dax0.0", NULL);
	fact(g, "var/log/messages", 1, "guest.event", "time", "Mar  5 09:57:45", "label", "boot", "message",
	     "dax=false - yes", NULL);
	redact_and_run(false);
	assert_string_equal(field_of("guest.event", 0, "message"), "dax=false - yes");
	/* names that are structure too are kept, and so is the structure */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		assert_string_equal(field_of("guest.hostname", i, "hostname"), words[i]);
	assert_string_equal(field_of("guest.mount", 0, "source"), "/dev/pmem0");
	assert_string_equal(field_of("guest.mount", 0, "target"), "/mnt/vsan/data");
	assert_string_equal(field_of("guest.fstab", 0, "file"), "/dev/dax0.0");
}

/* An archive in an archive is its parent's path, "!", its own name; a
 * name may hold a '!' of its own. */
static void test_nested_inputs(void **state)
{
	(void)state;
	uint32_t z = bundle("/srv/tickets/ticket-48213.zip", KIND_TRANSCRIPT);
	uint32_t e = model_add_bundle(&M, "/srv/tickets/ticket-48213.zip!up/esx-esx01-2026-03-05--10.12-2107676.tgz", z);
	uint32_t w = bundle("/srv/x!y/weird<!--c-->.txt", KIND_TRANSCRIPT);
	M.bundles[e].kind = KIND_VMSUPPORT;
	fact(e, "etc/vmware/esx.conf", 1, "esx.hostname", "hostname", "esx01", NULL);
	fact(z, "ticket-48213-notes.txt", 4, "x.note", "text", "see esx01", NULL);
	fact(w, "weird<!--c-->.txt", 1, "x.note", "text", "-", NULL);
	redact_and_run(false);
	/* members first (input-1, input-2), then the paths */
	assert_string_equal(M.bundles[z].path, "/srv/dir-1/input-3.zip");
	assert_string_equal(M.bundles[e].path, "/srv/dir-1/input-3.zip!dir-2/esx-host-1-2026-03-05--10.12-2107676.tgz");
	assert_string_equal(M.bundles[w].path, "/srv/dir-3/input-2.txt");
	assert_string_equal(M.facts[1].ev.member, "input-1.txt");
	/* the loose file's name is the same token in its path and as its member */
	assert_string_equal(M.facts[2].ev.member, "input-2.txt");
	assert_string_equal(field_of("x.note", 0, "text"), "see host-1");
}

/* Diagnostics are messages: every name in them replaced, input names too. */
static void test_diagnostics(void **state)
{
	(void)state;
	uint32_t h = bundle("uploads/esx-esx01-2026-03-05--10.12-2107676.tgz", KIND_VMSUPPORT);
	fact(h, "etc/vmware/esx.conf", 1, "esx.hostname", "hostname", "esx01", NULL);
	model_diag(&M, DIAG_WARNING, h, "vmfs/volumes/datastore1/esx01-vm/esx01-vm.vmx", 3,
		   "rule [x] gave up on this line (esx01 uploads 10.0.0.1)");
	redact_and_run(false);
	assert_string_equal(M.diags[0].message, "rule [x] gave up on this line (host-1 dir-1 ip-1)");
	assert_string_equal(M.diags[0].member, "vmfs/volumes/datastore-1/folder-1/folder-1.vmx");
}

/* ---- cost --------------------------------------------------------------- */

/* Seconds to redact one message of n bytes of text made to slow the
 * matching down, with many names that share a long prefix. */
static double redact_seconds(size_t n)
{
	char prefix[REDACT_VALUE_MAX - 8];
	memset(prefix, 0, sizeof(prefix));
	for (size_t i = 0; i + 2 < sizeof(prefix); i += 2)
		memcpy(prefix + i, "a-", 2);
	model_init(&M);
	uint32_t g = bundle("sos.tar.xz", KIND_SOSREPORT);
	for (unsigned i = 0; i < 2000; i++) {
		char name[REDACT_VALUE_MAX + 1];
		snprintf(name, sizeof(name), "%s%u", prefix, i);
		fact(g, "etc/hostname", 1, "guest.hostname", "hostname", name, NULL);
	}
	static const char *const bits[] = { "a-", "1.1.1.", "ab:", "a_b.c", "::", "0a-", "x@" };
	struct buf text;
	buf_init(&text);
	for (size_t k = 0; text.len < n; k++)
		buf_puts(&text, bits[(k / 64) % 7]);
	fact(g, "var/log/messages", 1, "guest.event", "time", "Mar  5 09:57:45", "label", "boot", "message",
	     text.data, NULL);
	buf_free(&text);
	double t = mono_seconds();
	struct redactor *r = redactor_new(false);
	redact_model(r, &M);
	t = mono_seconds() - t;
	redactor_free(r);
	model_free(&M);
	return t;
}

static void test_linear_on_hostile_text(void **state)
{
	(void)state;
	double best_small = 1e9, best_large = 1e9;
	for (int i = 0; i < 2; i++) {
		double s = redact_seconds(32 * 1024), l = redact_seconds(256 * 1024);
		best_small = s < best_small ? s : best_small;
		best_large = l < best_large ? l : best_large;
	}
	/* 8 times the text: about 8 times the time (the names cost the same
	 * in both), far from the 64 of a quadratic scan */
	print_message("redact: 32 KiB %.3f s, 256 KiB %.3f s\n", best_small, best_large);
	assert_true(best_large < 16 * best_small + 0.05);
	model_init(&M); /* for the teardown */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy_pair_redacted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pmem_datastore_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_name_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pair_by_name_near_miss, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_keep_the_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_keep_serials_apart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids_by_uuid_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_structure_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diagnostics, setup, teardown),
		cmocka_unit_test_setup_teardown(test_linear_on_hostile_text, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
