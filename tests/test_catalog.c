/* test_catalog.c - the one-place tables against what is said of them
 * elsewhere: the findings catalog (catalog.h) against the code table of
 * docs/json-schema.md, the man page and the tests of test_correlate.c; the
 * fact contract (facts.h) against docs/rules.md and the shipped rules;
 * the writer table (report.h) against --format.
 */
#include "testutil.h"
#include "catalog.h"
#include "cli.h"
#include "contract.h"
#include "facts.h"
#include "report.h"
#include "writers.h"

static char *slurp(const char *rel)
{
	char *p = src_path(rel);
	char *text = read_text(p);
	free(p);
	return text;
}

/* What to do, as a sentence of its own: a command, a change or a question
 * (at least two words and a full stop, a colon or a question mark), not a
 * placeholder. A reference, when there is one, is "title <URL>" or names
 * a man page "(man PAGE)". */
static bool says_what_to_do(const char *remedy)
{
	return remedy && strlen(remedy) > 20 && strchr(remedy, ' ') && strpbrk(remedy, ".:?") &&
	       (remedy[0] >= 'A' && remedy[0] <= 'Z');
}

static bool names_a_reference(const char *ref)
{
	if (!ref)
		return true;
	const char *lt = strstr(ref, " <https://");
	return (lt && str_has_suffix(ref, ">") && lt > ref) || strstr(ref, "(man ");
}

/* Every entry: a code of lower-case words, unique, something to do, a
 * message format; finding_by_code finds it. */
static void test_catalog_entries(void **state)
{
	(void)state;
	assert_false(says_what_to_do(""));
	assert_false(says_what_to_do(NULL));
	assert_false(says_what_to_do("ndctl create-namespace -r REGION"));
	assert_false(names_a_reference("https://example.org"));
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct finding_def *f = &finding_catalog[i];
		assert_non_null(f->code);
		assert_int_equal(strspn(f->code, "abcdefghijklmnopqrstuvwxyz-"), strlen(f->code));
		assert_true(f->summary && strlen(f->summary) > 20);
		if (!says_what_to_do(f->remedy))
			fail_msg("finding %s: its remedy does not say what to do: \"%s\"", f->code,
				 f->remedy ? f->remedy : "(none)");
		if (!names_a_reference(f->reference))
			fail_msg("finding %s: reference \"%s\" is neither \"title <URL>\" nor a man page", f->code,
				 f->reference);
		assert_non_null(f->message);
		assert_ptr_equal(finding_by_code(f->code), f);
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(finding_catalog[k].code, f->code);
	}
	assert_null(finding_by_code("no-such-finding"));
	/* each command a report sets apart is named by a remedy or a message */
	for (size_t k = 0; k < finding_ncommands; k++) {
		bool named = false;
		for (size_t i = 0; i < F_COUNT && !named; i++)
			named = strstr(finding_catalog[i].remedy, finding_commands[k]) ||
				strstr(finding_catalog[i].message, finding_commands[k]);
		if (!named)
			fail_msg("finding_commands[%zu] \"%s\" is in no remedy or message", k, finding_commands[k]);
	}
}

/* The rows "| `code` | severity | ..." of the findings table, in order,
 * name the catalog's codes in its order (evidence-missing twice: host
 * and guest side), each with its severity. */
static void test_json_schema_table(void **state)
{
	(void)state;
	char *doc = slurp("docs/json-schema.md");
	const char *p = strstr(doc, "| code | severity | raised when | evidence |");
	assert_non_null(p);
	size_t next = 0, rows = 0;
	for (p = strchr(p, '\n') + 1; p && *p == '|'; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char code[64], sev[256];
		if (sscanf(p, "| `%63[^`]` | %255[^|]|", code, sev) != 2)
			continue; /* the |---| line */
		rows++;
		const struct finding_def *f = finding_by_code(code);
		if (!f)
			fail_msg("docs/json-schema.md lists code %s, which the catalog does not hold", code);
		size_t at = (size_t)(f - finding_catalog);
		if (at != next && !(next && at == next - 1))
			fail_msg("docs/json-schema.md lists %s out of the catalog's order", code);
		next = at + 1;
		assert_non_null(strstr(sev, severity_name(f->severity)));
		if (f->severity_varies)
			assert_non_null(strstr(sev, "warning"));
	}
	assert_int_equal(next, F_COUNT);
	assert_int_equal(rows, F_COUNT + 1);
	free(doc);
}

/* The man page's FINDINGS section: each code with its severity, summary,
 * remedy and reference, as the catalog has them. */
static void test_man_page(void **state)
{
	(void)state;
	char *man = slurp("docs/pmemmap.1");
	const char *sec = strstr(man, ".SH FINDINGS\n");
	assert_non_null(sec);
	for (size_t i = 0; i < F_COUNT; i++) {
		const struct finding_def *f = &finding_catalog[i];
		char *entry = xasprintf(".TP\n.BR \\%%%s \" (%s%s)\"\n%s\n.br\nTo do: %s\n%s%s%s", f->code,
					severity_name(f->severity), f->severity_varies ? " or warning" : "", f->summary,
					f->remedy, f->reference ? ".br\nSee: " : "", f->reference ? f->reference : "",
					f->reference ? "\n" : "");
		if (!strstr(sec, entry))
			fail_msg("docs/pmemmap.1 FINDINGS lacks, or differs from the catalog at:\n%s", entry);
		free(entry);
	}
	free(man);
}

/* Each code is raised in a test of test_correlate.c (expect(..., "code",
 * ...) or expect_input("code", ...)) and shown not raised in a near miss
 * (count_of("code"), 0). */
static void test_each_finding_tested(void **state)
{
	(void)state;
	char *t = slurp("tests/test_correlate.c");
	for (size_t i = 0; i < F_COUNT; i++) {
		const char *code = finding_catalog[i].code;
		char *raised = xasprintf("\"%s\", SEV_", code);
		char *not_raised = xasprintf("count_of(\"%s\"), 0)", code);
		if (!strstr(t, raised))
			fail_msg("no test expects %s to be raised", code);
		if (!strstr(t, not_raised))
			fail_msg("no test asserts %s is not raised (a near miss)", code);
		free(raised);
		free(not_raised);
	}
	free(t);
}

/* docs/rules.md holds the contract as facts_contract_md prints it. */
static void test_rules_doc_contract(void **state)
{
	(void)state;
	char *doc = slurp("docs/rules.md");
	struct buf want;
	buf_init(&want);
	buf_puts(&want, "<!-- contract: begin (generated from analyzer/facts.c) -->\n");
	facts_contract_md(&want);
	buf_puts(&want, "<!-- contract: end -->\n");
	if (!strstr(doc, want.data))
		fail_msg("docs/rules.md differs from the contract; its text between the markers should be:\n%s",
			 want.data);
	buf_free(&want);
	free(doc);
}

/* The shipped rules keep the contract; every field of it names a type of
 * it; a maker that lacks a field fails naming it. */
static void test_contract(void **state)
{
	struct run r;
	struct buf errs;
	(void)state;
	run_init(&r);
	buf_init(&errs);
	assert_int_equal(rules_check_contract(&r.rs, &errs), 0);
	assert_int_equal(errs.len, 0);
	for (size_t f = 0; f < FF_COUNT; f++)
		assert_true(fact_fields[f].type < FT_COUNT);

	static const char *const some[] = { "device", "value", NULL };
	struct fact_maker mk = { "rule [x] (x.rules:1)", "vmx.nvdimm", { some, NULL, NULL } };
	assert_true(facts_check_makers(&mk, 1, &errs) > 0);
	assert_non_null(strstr(errs.data, "rule [x] (x.rules:1): makes vmx.nvdimm without field 'prop'"));
	assert_non_null(strstr(errs.data, "no rule makes fact type vmx.name"));
	buf_free(&errs);
	run_free(&r);
}

/* --format names every writer; each name and extension finds its writer. */
static void test_writer_table(void **state)
{
	(void)state;
	const char *help = NULL;
	for (unsigned i = 0; i < cli_option_count; i++)
		if (!strcmp(cli_options[i].usage, "-f, --format FMT"))
			help = cli_options[i].help;
	assert_non_null(help);
	for (size_t i = 0; i < report_nwriters; i++) {
		const struct report_writer *wr = &report_writers[i];
		assert_non_null(strstr(help, wr->name));
		assert_non_null(strstr(report_format_names(), wr->name));
		assert_ptr_equal(report_writer_named(wr->name), wr);
		if (!wr->ext) /* the terminal summary: no file name picks it */
			continue;
		char *path = xasprintf("out/report%s", wr->ext);
		assert_ptr_equal(report_writer_for_path(path), wr);
		free(path);
	}
	assert_null(report_writer_named("pdf"));
	assert_null(report_writer_for_path("out/report.txt"));
	assert_string_equal(report_format_names(), "html, md, json or term");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_entries),
		cmocka_unit_test(test_json_schema_table),
		cmocka_unit_test(test_man_page),
		cmocka_unit_test(test_each_finding_tested),
		cmocka_unit_test(test_rules_doc_contract),
		cmocka_unit_test(test_contract),
		cmocka_unit_test(test_writer_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
