/* test_rules.c - the rule loader: shipped rules, every error it must
 * report as file:line, limits on hostile patterns, and rules dropped in
 * without a rebuild.
 */
#include <dirent.h>

#include "testutil.h"

static char tmpdir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pmemmap-rules-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);
	(void)state;
	int r = system(cmd);
	free(cmd);
	return r;
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* Load one rule file on its own; return the error text. */
static char *load_errors(const char *text, int *nerr)
{
	struct ruleset rs;
	struct rule_limits rl = { 1000000, 10000 };
	struct buf errs;
	char *dir = xasprintf("%s/one", tmpdir);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
	write_file(dir, "bad.rules", text);
	buf_init(&errs);
	*nerr = rules_load_dir(&rs, dir, &rl, &errs);
	if (!*nerr)
		rules_free(&rs);
	free(cmd);
	free(dir);
	return buf_steal(&errs);
}

static void test_shipped_rules_load(void **state)
{
	struct run r;
	(void)state;
	run_init(&r);
	assert_true(r.rs.n >= 40);
	assert_int_equal(strlen(r.rs.digest), 16);
	run_free(&r);
}

struct bad_case {
	const char *text;
	const char *expect; /* substring of the error, with file:line */
};

static void test_bad_rules_report_file_and_line(void **state)
{
	static const struct bad_case cases[] = {
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = (unclosed\nfact = t\n",
		  "bad.rules:4: rule [a]: line regex: missing closing parenthesis" },
		{ "[a]\nkind = host\nmember = ^x$\nline = x\nfact = t\n",
		  "bad.rules:2: rule [a]: kind 'host' is not one of" },
		{ "[a]\nmember = ^x$\nline = x\nfact = t\n", "bad.rules:1: rule [a]: missing 'kind'" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = x\nfact = t\ncolour = red\n",
		  "bad.rules:6: rule [a]: unknown key 'colour'" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = (?<u>x)\nfact = t\nuuid = uuid\n",
		  "bad.rules:6: rule [a]: 'uuid' names 'uuid', which no named group captures" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = x\n",
		  "bad.rules:1: rule [a]: rule does nothing" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = x\nfact = t\n[a]\nkind = sosreport\nmember = y\nfact = u\n",
		  "bad.rules:6: rule [a] is already defined at" },
		{ "kind = sosreport\n", "bad.rules:1: 'kind' outside of a [rule]" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = x\nparser = ndctl-json\n",
		  "bad.rules:5: rule [a]: 'parser' and 'line' exclude each other" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nparser = yaml\n",
		  "bad.rules:4: rule [a]: unknown parser 'yaml'" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = (?<v>x)\nfact = t\nwith = nothere\n",
		  "rule [a]: 'with' names 'nothere', which no 'set' rule captures" },
		{ "[a]\nkind = sosreport\nmember = ^x$\nline = x\nfact = t\nkind = vm-support\n",
		  "bad.rules:6: rule [a]: 'kind' given twice (first at line 2)" },
		{ "[a b]\n", "bad.rules:1: rule name 'a b' may only hold" },
		{ "[a]\nkind = any\nmember = x\nmarks = yes\n",
		  "bad.rules:4: rule [a]: a marking rule must name one bundle kind" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n;
		char *errs = load_errors(cases[i].text, &n);
		if (!strstr(errs, cases[i].expect))
			fail_msg("case %zu: expected \"%s\" in:\n%s", i, cases[i].expect, errs);
		assert_true(n >= 1);
		free(errs);
	}
}

static void test_good_rule_no_errors(void **state)
{
	int n;
	char *errs = load_errors("# ok\n[a]\nkind = transcript\nmember = .\nline = (?<x>foo)\nfact = t\n", &n);
	(void)state;
	assert_int_equal(n, 0);
	assert_string_equal(errs, "");
	free(errs);
}

/* A copy of rules/ plus one new file yields new facts: no C change. */
static void test_dropped_in_rule_adds_facts(void **state)
{
	struct run r;
	char *rules = src_path("rules");
	char *copy = xasprintf("%s/rules", tmpdir);
	char *cmd = xasprintf("rm -rf '%s' && cp -r '%s' '%s'", copy, rules, copy);
	char *notes = xasprintf("%s/notes.txt", tmpdir);
	(void)state;

	assert_int_equal(system(cmd), 0);
	write_file(tmpdir, "notes.txt",
		   "guest $ uname -r\n5.15.0-91-generic\nguest $ ndctl --version\n72.1\n");
	write_file(copy, "90-local.rules",
		   "[local-ndctl-version]\nkind = transcript\nmember = .\n"
		   "line = ^(?<version>\\d+\\.\\d+)$\nfact = local.ndctl_version\n");

	run_init_rules(&r, copy);
	assert_int_equal(run_input(&r, notes), 0);
	const struct fact *f = find_fact(&r.m, "local.ndctl_version", NULL, NULL);
	assert_non_null(f);
	assert_string_equal(must_get(f, "version"), "72.1");
	assert_int_equal(f->ev.line, 4);
	run_free(&r);

	/* the shipped rules alone do not know this fact */
	run_init(&r);
	assert_int_equal(run_input(&r, notes), 0);
	assert_null(find_fact(&r.m, "local.ndctl_version", NULL, NULL));
	run_free(&r);
	free(rules);
	free(copy);
	free(cmd);
	free(notes);
}

/* A pattern with catastrophic backtracking hits the match limit: the run
 * reports it and goes on instead of hanging. */
static void test_backtracking_rule_cannot_hang(void **state)
{
	struct run r;
	char *dir = xasprintf("%s/evil", tmpdir);
	char *cmd = xasprintf("rm -rf '%s' && mkdir -p '%s'", dir, dir);
	char *input = xasprintf("%s/input.txt", tmpdir);
	struct buf text;
	(void)state;

	assert_int_equal(system(cmd), 0);
	write_file(dir, "evil.rules",
		   "[evil]\nkind = transcript\nmember = .\nline = ^(a|aa)+$\nfact = evil\n"
		   "[fine]\nkind = transcript\nmember = .\nline = ^(?<w>done)$\nfact = fine\n");
	buf_init(&text);
	for (int i = 0; i < 5000; i++)
		buf_puts(&text, "a");
	buf_puts(&text, "b\ndone\n");
	write_file(tmpdir, "input.txt", text.data);
	buf_free(&text);

	run_init_rules(&r, dir);
	r.m.log = NULL;
	assert_int_equal(run_input(&r, input), 0);
	assert_true(diag_contains(&r.m, DIAG_WARNING, "rule [evil] gave up on this line"));
	assert_null(find_fact(&r.m, "evil", NULL, NULL));
	assert_non_null(find_fact(&r.m, "fine", "w", "done")); /* later lines still read */
	run_free(&r);
	free(dir);
	free(cmd);
	free(input);
}

/* ---- real samples against the shipped rules (tests/data/rule-samples.txt) */

struct sample {
	char rule[128], member[512], name[512], line[1024], notline[1024];
	char want[16][512];
	size_t nwant;
	unsigned at; /* its first line in the file */
};

static const struct rule *rule_named(const struct ruleset *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (!strcmp(rs->rules[i].name, name))
			return &rs->rules[i];
	return NULL;
}

/* The value field k captured in s by re (member or line), or NULL (in buf). */
static const char *captured(const struct rule_re *re, const char *s, const char *k, char *buf, size_t size)
{
	for (size_t g = 0; g < re->ngroups; g++) {
		const char *p;
		size_t n;
		if (strcmp(re->groups[g].name, k) || !rule_re_group(re, s, re->groups[g].number, &p, &n))
			continue;
		snprintf(buf, size, "%.*s", (int)n, p);
		return buf;
	}
	return NULL;
}

static void check_sample(const struct ruleset *rs, const struct sample *sm)
{
	const struct rule *r = rule_named(rs, sm->rule);
	char got[1024];
	if (!r)
		fail_msg("rule-samples.txt:%u: no rule [%s]", sm->at, sm->rule);
	const char *member = sm->name[0] ? sm->name : sm->member;
	if (member[0] && rule_re_match(rs, &r->member, member, strlen(member)) <= 0)
		fail_msg("rule-samples.txt:%u: [%s] does not take \"%s\"", sm->at, sm->rule, member);
	if (sm->line[0] && rule_re_match(rs, &r->line, sm->line, strlen(sm->line)) <= 0)
		fail_msg("rule-samples.txt:%u: [%s] does not match \"%s\"", sm->at, sm->rule, sm->line);
	if (sm->notline[0] && rule_re_match(rs, &r->line, sm->notline, strlen(sm->notline)) > 0)
		fail_msg("rule-samples.txt:%u: [%s] matches \"%s\"", sm->at, sm->rule, sm->notline);
	for (size_t i = 0; i < sm->nwant; i++) {
		char key[128];
		const char *eq = strchr(sm->want[i], '=');
		assert_non_null(eq);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - sm->want[i]), sm->want[i]);
		const char *v = sm->line[0] ? captured(&r->line, sm->line, key, got, sizeof(got)) : NULL;
		if (!v)
			v = captured(&r->member, member, key, got, sizeof(got));
		if (!v || strcmp(v, eq + 1))
			fail_msg("rule-samples.txt:%u: [%s] gives %s=\"%s\", want \"%s\"", sm->at, sm->rule, key,
				 v ? v : "(nothing)", eq + 1);
	}
}

/* "key: value": copy value into dst when the line has that key. */
static bool take(const char *line, const char *key, char *dst, size_t size)
{
	size_t k = strlen(key);
	if (strncmp(line, key, k) || line[k] != ':' || line[k + 1] != ' ')
		return false;
	snprintf(dst, size, "%s", line + k + 2);
	return true;
}

static void test_rule_samples(void **state)
{
	struct run r;
	struct sample sm;
	char line[2048];
	unsigned no = 0, n = 0;
	(void)state;
	run_init(&r);
	char *path = src_path("tests/data/rule-samples.txt");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	memset(&sm, 0, sizeof(sm));
	for (bool more = true; more;) {
		more = fgets(line, sizeof(line), f) != NULL;
		no += more;
		line[strcspn(line, "\n")] = '\0';
		if (!more || !line[0]) {
			if (sm.rule[0]) {
				check_sample(&r.rs, &sm);
				n++;
			}
			memset(&sm, 0, sizeof(sm));
			continue;
		}
		if (line[0] == '#')
			continue;
		if (!sm.at)
			sm.at = no;
		if (take(line, "want", sm.want[sm.nwant], sizeof(sm.want[0])) && sm.nwant < 15)
			sm.nwant++;
		else if (!take(line, "rule", sm.rule, sizeof(sm.rule)) && !take(line, "member", sm.member, sizeof(sm.member)) &&
			 !take(line, "name", sm.name, sizeof(sm.name)) && !take(line, "line", sm.line, sizeof(sm.line)) &&
			 !take(line, "!line", sm.notline, sizeof(sm.notline)) && strncmp(line, "source: ", 8))
			fail_msg("rule-samples.txt:%u: not a key of a sample: %s", no, line);
	}
	fclose(f);
	free(path);
	assert_true(n >= 40);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules_load),
		cmocka_unit_test(test_bad_rules_report_file_and_line),
		cmocka_unit_test(test_good_rule_no_errors),
		cmocka_unit_test(test_dropped_in_rule_adds_facts),
		cmocka_unit_test(test_backtracking_rule_cannot_hang),
		cmocka_unit_test(test_rule_samples),
	};
	return cmocka_run_group_tests_name("rules", tests, setup, teardown);
}
