/* main.c - the pmemmap command line: parse options, run a command.
 *
 * The work is done by the stages (ingest, extract, correlate, report);
 * this file only turns arguments into calls and results into exit codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>

#include "cli.h"
#include "correlate.h"
#include "extract.h"
#include "ingest.h"
#include "limits.h"
#include "model.h"
#include "output.h"
#include "report.h"
#include "rules.h"
#include "stream.h"
#include "util.h"

#ifndef PMEMMAP_VERSION
#define PMEMMAP_VERSION "0.0-dev"
#endif
#ifndef PMEMMAP_RULES_DIR
#define PMEMMAP_RULES_DIR "/usr/local/share/pmemmap/rules"
#endif

const char *pmemmap_version = PMEMMAP_VERSION;

static void usage(FILE *f)
{
	fputs("usage: pmemmap extract [OPTIONS] INPUT...\n"
	      "       pmemmap analyze [OPTIONS] [--format html|md|json] INPUT...\n"
	      "       pmemmap rules check [DIR]\n"
	      "       pmemmap --help | --version\n"
	      "\n"
	      "Map ESXi vPMem .vmdk files to Linux guest nmem/pmem devices from\n"
	      "vm-support bundles, sosreports and pasted command output.\n"
	      "INPUT is an archive (tgz, tar.xz, zip, tar.zst, ... nested too), an\n"
	      "extracted bundle folder, a folder of bundles, a text file, or - for stdin.\n"
	      "\n"
	      "Commands:\n"
	      "  extract        print every fact found, with its evidence, as JSON\n"
	      "  analyze        map vmdk -> nmem -> region -> namespace -> device -> mount\n"
	      "  rules check    validate the rule files in DIR (default: the rules in use)\n"
	      "\n"
	      "Options:\n",
	      f);
	for (unsigned i = 0; i < cli_option_count; i++)
		fprintf(f, "  %-22s %s\n", cli_options[i].usage, cli_options[i].help);
	fputs("\nLimits (a limit hit is reported; it never hangs the run):\n", f);
	for (unsigned i = 0; i < limit_count; i++) {
		char u[40];
		snprintf(u, sizeof(u), "%s=%s", limit_table[i].flag, limit_table[i].bytes ? "BYTES" : "N");
		fprintf(f, "  %-22s %s (default %llu)\n", u, limit_table[i].help,
			(unsigned long long)limit_table[i].def);
	}
	fputs("\nExit status:\n", f);
	for (unsigned i = 0; i < cli_exit_count; i++)
		fprintf(f, "  %d  %s\n", cli_exits[i].code, cli_exits[i].meaning);
	fputs("\nDocumentation: man pmemmap, docs/guide.md, docs/rules.md\n", f);
}

/* The rules folder: --rules, else installed, else next to the binary. */
static const char *default_rules_dir(char *buf, size_t size)
{
	struct stat st;
	char exe[PATH_MAX];
	ssize_t n;

	if (stat(PMEMMAP_RULES_DIR, &st) == 0 && S_ISDIR(st.st_mode))
		return PMEMMAP_RULES_DIR;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			int w = snprintf(buf, size, "%.4000s/../rules", exe);
			if (w > 0 && (size_t)w < size && stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return PMEMMAP_RULES_DIR;
}

static int load_rules(struct ruleset *rs, const char *dir, const struct limits *lim)
{
	struct rule_limits rl = { (uint32_t)lim->match_limit, (uint32_t)lim->depth_limit };
	struct buf errs;
	buf_init(&errs);
	int n = rules_load_dir(rs, dir, &rl, &errs);
	if (n)
		fprintf(stderr, "%spmemmap: %d error%s in the rules in %s; nothing was read\n",
			errs.data, n, n == 1 ? "" : "s", dir);
	buf_free(&errs);
	return n;
}

static int cmd_rules(int argc, char **argv, struct cli *cli)
{
	struct ruleset rs;
	char buf[PATH_MAX];

	if (argc < 1 || strcmp(argv[0], "check") || argc > 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *dir = argc == 2 ? argv[1] : cli->rules_dir ? cli->rules_dir
							       : default_rules_dir(buf, sizeof(buf));
	if (load_rules(&rs, dir, &cli->lim))
		return EXIT_USAGE;
	printf("%s: %zu rules in %zu files, all valid (digest %s)\n", dir, rs.n, rs.nfiles,
	       rs.digest);
	rules_free(&rs);
	return EXIT_OK;
}

/* Read every input into the model. Returns the exit status so far. */
static int read_inputs(struct cli *cli, struct model *m, struct ruleset *rs, struct ingest *in,
		       struct extractor *x)
{
	char buf[PATH_MAX];
	const char *dir = cli->rules_dir ? cli->rules_dir : default_rules_dir(buf, sizeof(buf));

	if (load_rules(rs, dir, &cli->lim))
		return EXIT_USAGE;
	m->log = cli->quiet ? NULL : stderr;
	extractor_init(x, rs, &cli->lim, m);
	ingest_init(in, x, &cli->lim);
	if (cli->no_isal)
		in->use_isal = false;
	int worst = 0;
	for (int i = 0; i < cli->ninputs; i++) {
		int r = ingest_input(in, cli->inputs[i]);
		if (r > worst)
			worst = r;
	}
	if (in->unreadable == in->inputs)
		return EXIT_USAGE; /* nothing readable */
	return worst ? EXIT_FINDINGS : EXIT_OK;
}

static void print_stats(const struct cli *cli, const struct model *m, const struct ingest *in,
			const struct extractor *x)
{
	uint64_t seen = 0;
	if (!cli->stats)
		return;
	for (size_t i = 0; i < m->nbundles; i++)
		seen += m->bundles[i].members_seen;
	fprintf(stderr,
		"pmemmap: stats: inputs %u, bundles %zu, members seen %llu, members opened %llu, "
		"bytes in %llu, bytes inflated %llu, lines matched against %llu, matches %llu, "
		"facts %zu, gzip via %s\n",
		in->inputs, m->nbundles, (unsigned long long)seen,
		(unsigned long long)x->members_opened, (unsigned long long)in->bytes_in,
		(unsigned long long)in->bytes_inflated, (unsigned long long)x->lines,
		(unsigned long long)x->matches, m->nfacts, in->use_isal ? "ISA-L" : "zlib");
}

static int write_json(const struct cli *cli, struct json_object *doc)
{
	struct buf err;
	size_t n;
	const char *s = json_object_to_json_string_length(
		doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	char *text = xasprintf("%s\n", s);
	buf_init(&err);
	int r = output_write(cli->output, text, n + 1, &err);
	if (r < 0)
		fprintf(stderr, "pmemmap: %s\n", err.data);
	free(text);
	buf_free(&err);
	return r < 0 ? EXIT_OUTPUT : 0;
}

static int cmd_extract(struct cli *cli)
{
	struct model m;
	struct ruleset rs;
	struct ingest in;
	struct extractor x;

	model_init(&m);
	rules_init(&rs);
	int status = read_inputs(cli, &m, &rs, &in, &x);
	if (status == EXIT_USAGE && rs.n == 0) {
		model_free(&m);
		return status;
	}

	struct json_object *doc = json_object_new_object();
	struct json_object *inputs = json_object_new_array();
	struct json_object *facts = json_object_new_array();
	struct json_object *diags = json_object_new_array();
	json_object_object_add(doc, "schema", json_object_new_string("pmemmap-facts/1"));
	json_object_object_add(doc, "pmemmap", json_object_new_string(pmemmap_version));
	json_object_object_add(doc, "rules_digest", json_object_new_string(rs.digest));
	for (size_t i = 0; i < m.nbundles; i++)
		if (!m.bundles[i].empty)
			json_object_array_add(inputs, bundle_to_json(&m, (uint32_t)i));
	for (size_t i = 0; i < m.nfacts; i++)
		json_object_array_add(facts, fact_to_json(&m, &m.facts[i]));
	for (size_t i = 0; i < m.ndiags; i++)
		json_object_array_add(diags, diag_to_json(&m, &m.diags[i]));
	json_object_object_add(doc, "inputs", inputs);
	json_object_object_add(doc, "facts", facts);
	json_object_object_add(doc, "diagnostics", diags);

	int w = write_json(cli, doc);
	print_stats(cli, &m, &in, &x);
	json_object_put(doc);
	rules_free(&rs);
	model_free(&m);
	return w ? w : status;
}

/* The format: --format, else the output file's extension, else md. */
static const char *pick_format(const struct cli *cli)
{
	if (cli->format)
		return cli->format;
	if (cli->output && (str_has_suffix(cli->output, ".html") || str_has_suffix(cli->output, ".htm")))
		return "html";
	if (cli->output && str_has_suffix(cli->output, ".json"))
		return "json";
	return "md";
}

int cmd_analyze(struct cli *cli)
{
	struct model m;
	struct ruleset rs;
	struct ingest in;
	struct extractor x;
	struct analysis a;
	struct buf err;
	int w = 0;

	model_init(&m);
	rules_init(&rs);
	int status = read_inputs(cli, &m, &rs, &in, &x);
	if (status == EXIT_USAGE) {
		rules_free(&rs);
		model_free(&m);
		return status;
	}
	correlate(&m, &a);
	const char *fmt = pick_format(cli);
	if (!strcmp(fmt, "json")) {
		struct json_object *doc = report_json(&m, &a);
		json_object_object_add(doc, "pmemmap", json_object_new_string(pmemmap_version));
		json_object_object_add(doc, "rules_digest", json_object_new_string(rs.digest));
		w = write_json(cli, doc);
		json_object_put(doc);
	} else {
		char *text = !strcmp(fmt, "html") ? report_html(&m, &a) : report_md(&m, &a);
		buf_init(&err);
		if (output_write(cli->output, text, strlen(text), &err) < 0) {
			fprintf(stderr, "pmemmap: %s\n", err.data);
			w = EXIT_OUTPUT;
		}
		buf_free(&err);
		free(text);
	}
	print_stats(cli, &m, &in, &x);
	if (!w && a.errors)
		status = EXIT_FINDINGS;
	analysis_free(&a);
	rules_free(&rs);
	model_free(&m);
	return w ? w : status;
}

int main(int argc, char **argv)
{
	struct cli cli;
	int r = cli_parse(&cli, argc, argv);

	if (r == CLI_HELP || r == CLI_VERSION)
		cli_free(&cli);
	if (r == CLI_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	if (r == CLI_VERSION) {
		printf("pmemmap %s (libarchive %s, pcre2, json-c %s, gzip via %s)\n", pmemmap_version,
		       archive_version_string(), json_c_version(),
		       gz_stream_available() ? "ISA-L" : "zlib");
		return EXIT_OK;
	}
	if (r != CLI_OK) {
		if (r == CLI_NOCMD)
			usage(stderr);
		cli_free(&cli);
		return EXIT_USAGE;
	}
	if (!strcmp(cli.command, "rules")) {
		r = cmd_rules(cli.ninputs, cli.inputs, &cli);
	} else if (cli.ninputs == 0) {
		fprintf(stderr, "pmemmap %s: no INPUT given (try --help)\n", cli.command);
		r = EXIT_USAGE;
	} else if (output_clashes(cli.output, cli.inputs, cli.ninputs)) {
		fprintf(stderr, "pmemmap: refusing to write %s: it is an input or inside one\n",
			cli.output);
		r = EXIT_USAGE;
	} else if (!strcmp(cli.command, "extract")) {
		r = cmd_extract(&cli);
	} else {
		r = cmd_analyze(&cli);
	}
	cli_free(&cli);
	return r;
}
