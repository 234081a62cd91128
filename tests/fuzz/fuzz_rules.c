/* fuzz_rules.c - the bytes are a .rules file. Written into a private
 * folder and loaded with rules_load_dir as `pmemmap rules check` does; if
 * it loads, the rules are applied to a small bundle of typical members
 * (presence, line and ndctl-json rules, variables, UUID and serial
 * fields) under the pcre2 match limit.
 */
#include "fuzz_common.h"

#include <fcntl.h>

static char fz_dir[] = "/tmp/pmemmap-fuzz-rules.XXXXXX";
static char fz_file[sizeof(fz_dir) + 16];

static void fz_cleanup(void)
{
	unlink(fz_file);
	rmdir(fz_dir);
}

static const struct {
	const char *path;
	const char *text;
} fz_members[] = {
	{ "commands/vmware_-vl.txt", "VMware ESXi 7.0.3 build-19193900\nVMware ESXi 7.0 Update 3\n" },
	{ "sos_commands/pmem/ndctl_list_-vvv",
	  "[\n  {\n    \"dev\":\"nmem0\",\n    \"id\":\"8902-206b080c\",\n    \"handle\":0\n  }\n]\n" },
	{ "vmfs/volumes/datastore1/vm/vm.vmx",
	  "displayName = \"pmem-guest-001\"\nnvdimm0:0.fileName = \"/vmfs/volumes/PMemDS/vm/vm.vmdk\"\n"
	  "uuid.bios = \"42 1e 3c 5f 6a 7b 8c 9d-ae bf c0 d1 e2 f3 04 15\"\n" },
	{ "notes.txt", "$ vmkfstools -J getuuid \"pmem-guest-001.vmdk\"\n"
		       "UUID is 60 00 C2 98 42 c7 54 f8-02 c2 d4 9b 20 6b 08 0c\n"
		       "ddb.uuid = \"60 00 C2 9d 90 45 42 66-d7 cf ed f7 a2 eb f2 60\"\n"
		       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n" },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset rs;
	struct rule_limits rl = { 100000, 1000 };
	struct buf errs;

	fz_init();
	if (!fz_file[0]) {
		if (!mkdtemp(fz_dir))
			abort();
		snprintf(fz_file, sizeof(fz_file), "%s/fuzz.rules", fz_dir);
		atexit(fz_cleanup);
	}
	int fd = open(fz_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		abort();
	for (size_t off = 0; off < size;) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	close(fd);

	buf_init(&errs);
	if (rules_load_dir(&rs, fz_dir, &rl, &errs) == 0) {
		struct model m;
		struct extractor x;
		model_init(&m);
		m.log = NULL;
		extractor_init(&x, &rs, &fz_lim, &m);
		for (int loose = 0; loose < 2; loose++) {
			struct xbundle *xb = extract_bundle_begin(&x, "fuzz-bundle", -1, loose);
			for (size_t i = 0; i < sizeof(fz_members) / sizeof(fz_members[0]); i++) {
				const char *p = fz_members[i].path;
				extract_member_seen(xb, p);
				if (extract_wants(xb, p) && extract_member_begin(xb, p)) {
					extract_member_data(xb, fz_members[i].text, strlen(fz_members[i].text));
					extract_member_end(xb);
				}
			}
			extract_bundle_end(xb);
		}
		extractor_free(&x);
		model_free(&m);
		rules_free(&rs);
	}
	buf_free(&errs);
	return 0;
}
