/* main.c - the pmemmap command line: parse options, run a command.
 *
 * The work is done by the stages (ingest, extract, correlate, report);
 * this file only turns arguments into calls and results into exit codes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "collect.h"
#include "contract.h"
#include "analyze.h"
#include "extract.h"
#include "ingest.h"
#include "escape.h"
#include "limits.h"
#include "locate.h"
#include "model.h"
#include "output.h"
#include "progress.h"
#include "redact.h"
#include "report.h"
#include "writers.h"
#include "rules.h"
#include "stream.h"
#include "util.h"
#include "version.h"

/* Where the manual and the guides are: in a build tree, the files in
 * docs/ (named from the current folder when that is the tree, else in
 * full); installed, `man pmemmap` and the guides in share/doc/pmemmap. */
static void usage_docs(FILE *f)
{
	char tree[PATH_MAX], cwd[PATH_MAX], doc[PATH_MAX];
	const char *t = locate_build_tree(tree, sizeof(tree));
	fputc('\n', f);
	if (t) {
		const char *p = getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, t) ? "" : t;
		const char *sep = *p && strcmp(p, "/") ? "/" : "";
		term_line(f, "Documentation: man -l %s%sdocs/pmemmap.1, %s%sdocs/guide.md, %s%sdocs/rules.md", p, sep,
			  p, sep, p, sep);
	} else if (locate_doc_dir(doc, sizeof(doc))) {
		term_line(f, "Documentation: man pmemmap, %s/guide.md, %s/rules.md", doc, doc);
	} else {
		fputs("Documentation: man pmemmap\n", f);
	}
}

static void usage(FILE *f)
{
	fputs("usage: pmemmap extract [OPTIONS] INPUT...\n"
	      "       pmemmap analyze [OPTIONS] [--format html|md|json|term] INPUT...\n"
	      "       pmemmap batch [-j N] [-o OUTDIR] [--resume] [--timeout SECS] INPUT...\n"
	      "       pmemmap merge -o OUTDIR PARTIAL-OUTDIR...\n"
	      "       pmemmap rules check [DIR]\n"
	      "       pmemmap collect esxi|guest [-o FILE]\n"
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
	      "  batch          analyze many bundles (folders are walked for bundles) in\n"
	      "                 worker processes; writes an index, per-case reports,\n"
	      "                 results.jsonl and run.json into OUTDIR; resumable\n"
	      "  merge          build one index from the outputs of partial batch runs\n"
	      "  rules check    validate the rule files in DIR (default: the rules in use)\n"
	      "  collect        print the script that collects what the mapping needs:\n"
	      "                 esxi (run with sh on the ESXi host) writes a host bundle,\n"
	      "                 guest (run with sh in the Linux guest) a guest bundle\n"
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
	usage_docs(f);
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
							       : locate_rules_dir(buf, sizeof(buf));
	if (load_rules_dir_cli(&rs, dir, &cli->lim))
		return EXIT_USAGE;
	/* every rule is valid; do they still make what the analysis reads? */
	struct buf errs;
	buf_init(&errs);
	size_t bad = rules_check_contract(&rs, &errs);
	for (char *line = errs.data, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		term_line(stderr, "pmemmap: %s: %s", dir, line);
	}
	buf_free(&errs);
	if (bad)
		term_line(stderr, "pmemmap: %s: %zu rules in %zu files, but %zu breach%s of the fact contract "
				  "(docs/rules.md, \"What the analysis reads\")",
			  dir, rs.n, rs.nfiles, bad, bad == 1 ? "" : "es");
	else
		printf("%s: %zu rules in %zu files, all valid (digest %s)\n", dir, rs.n, rs.nfiles, rs.digest);
	rules_free(&rs);
	return bad ? EXIT_USAGE : EXIT_OK;
}

static void show_progress(void *ctx, const struct ingest *in)
{
	progress_show(ctx, in->bytes_in, in->bytes_inflated, in->members, in->input, in->member);
}

/* Read every input into the model. Returns the exit status so far. */
static int read_inputs(struct cli *cli, struct model *m, struct ruleset *rs, struct ingest *in,
		       struct extractor *x)
{
	if (load_rules_for(cli, rs))
		return EXIT_USAGE;
	/* redacted, the diagnostics are printed after the names are replaced
	 * (redact_inputs): the table is made from every input's facts */
	m->log = cli->quiet || cli->redact ? NULL : stderr;
	extractor_init(x, rs, &cli->lim, m);
	ingest_init(in, x, &cli->lim);
	if (cli->no_isal)
		in->use_isal = false;
	/* a long read says how far it is, on a terminal only */
	struct progress pg;
	bool show = !cli->quiet && isatty(STDERR_FILENO);
	if (show) {
		progress_start(&pg, stderr);
		in->progress = show_progress;
		in->progress_ctx = &pg;
		m->log = progress_log(&pg);
	}
	if (cli->redact)
		m->log = NULL;
	int worst = 0;
	for (int i = 0; i < cli->ninputs; i++) {
		int r = ingest_input(in, cli->inputs[i]);
		if (r > worst)
			worst = r;
	}
	if (show) {
		in->progress = NULL;
		m->log = cli->redact ? NULL : stderr;
		progress_end(&pg);
	}
	if (in->unreadable == in->inputs)
		return EXIT_USAGE; /* nothing readable */
	return worst ? EXIT_FINDINGS : EXIT_OK;
}

/* phase: seconds spent reading, correlating, reporting; NULL for extract */
static void print_stats(const struct cli *cli, const struct model *m, const struct ingest *in,
			const struct extractor *x, const double *phase)
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
	if (phase)
		term_line(stderr, "pmemmap: stats: seconds read %.3f, correlate %.3f, report %.3f",
			phase[0], phase[1], phase[2]);
}

/* Write what writer puts into a wbuf to -o (or stdout), streamed: never
 * half-written (a temporary file renamed into place). 0, or EXIT_OUTPUT. */
static int write_output(const char *path, void (*writer)(struct wbuf *w, void *ctx), void *ctx)
{
	struct buf err;
	struct wbuf w;
	int r = 0;

	buf_init(&err);
	struct out *o = out_open(path, true, &err);
	if (!o) {
		r = -1;
	} else {
		wbuf_init(&w, out_write, o);
		writer(&w, ctx);
		if (wbuf_finish(&w) < 0) {
			out_commit(o, &err); /* reports the write error, removes the temp file */
			r = -1;
		} else {
			r = out_commit(o, &err);
		}
	}
	if (r < 0)
		term_line(stderr, "pmemmap: %s", err.data);
	buf_free(&err);
	return r < 0 ? EXIT_OUTPUT : 0;
}

/* --redact: the names of m replaced (redact.h), then the diagnostics that
 * reading held back printed. The redactor, for the table; NULL without. */
static struct redactor *redact_inputs(const struct cli *cli, struct model *m)
{
	if (!cli->redact)
		return NULL;
	struct redactor *r = redactor_new(cli->redact_ids);
	redact_model(r, m);
	for (size_t i = 0; i < m->ndiags && !cli->quiet; i++)
		diag_print(stderr, m->bundles[m->diags[i].bundle].path, &m->diags[i]);
	return r;
}

/* --redact-map FILE: the table, readable by its owner only. 0, or EXIT_OUTPUT. */
static int write_redact_map(const struct cli *cli, struct redactor *r)
{
	struct buf err;
	if (!r || !cli->redact_map)
		return 0;
	buf_init(&err);
	int rc = redact_map_write(r, cli->redact_map, pmemmap_version, &err);
	if (rc < 0)
		term_line(stderr, "pmemmap: %s", err.data);
	buf_free(&err);
	return rc < 0 ? EXIT_OUTPUT : 0;
}

static void script_writer(struct wbuf *w, void *ctx)
{
	const struct collect_script *s = ctx;
	buf_append(&w->b, s->text, s->len);
}

/* collect esxi|guest: the collection script (collect.h), to -o or stdout. */
static int cmd_collect(struct cli *cli)
{
	const struct collect_script *s = NULL;
	for (unsigned i = 0; cli->ninputs == 1 && i < collect_script_count; i++)
		if (!strcmp(collect_scripts[i].name, cli->inputs[0]))
			s = &collect_scripts[i];
	if (!s) {
		term_line(stderr, "pmemmap collect: name the script: esxi (for the ESXi host) or guest (for the "
				  "Linux guest), e.g. pmemmap collect esxi > collect.sh");
		return EXIT_USAGE;
	}
	return write_output(cli->output, script_writer, (void *)s);
}

struct facts_job {
	const struct model *m;
	const char *digest;
};

static void facts_writer(struct wbuf *w, void *ctx)
{
	const struct facts_job *j = ctx;
	model_facts_write(w, j->m, pmemmap_version, j->digest, NULL, true);
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

	struct redactor *red = redact_inputs(cli, &m);
	struct facts_job job = { &m, rs.digest };
	int w = write_output(cli->output, facts_writer, &job);
	int wm = write_redact_map(cli, red);
	w = w ? w : wm;
	redactor_free(red);
	print_stats(cli, &m, &in, &x, NULL);
	extractor_free(&x);
	rules_free(&rs);
	model_free(&m);
	return w ? w : status;
}

struct report_job {
	const struct model *m;
	const struct analysis *a;
	const char *digest;
	const struct report_writer *wr;
	bool color;
};

static void report_writer(struct wbuf *w, void *ctx)
{
	const struct report_job *j = ctx;
	w->color = j->color;
	j->wr->write(w, j->m, j->a, pmemmap_version, j->digest);
}

/* Is the output standard output, and that a terminal? */
static bool output_is_terminal(const struct cli *cli)
{
	return (!cli->output || !strcmp(cli->output, "-")) && isatty(STDOUT_FILENO);
}

/* The format: --format, else the output file's extension, else the
 * summary when nothing was asked and standard output is a terminal,
 * else md (a pipe or a redirection gets the full report; --brief is a
 * Markdown report, on a terminal too). */
static const struct report_writer *pick_format(const struct cli *cli)
{
	const struct report_writer *wr = report_writer_named(cli->format);
	if (!wr)
		wr = report_writer_for_path(cli->output);
	if (!wr && !cli->output && !cli->brief && output_is_terminal(cli))
		wr = report_writer_named("term");
	return wr ? wr : report_writer_named("md");
}

/* --color: always, never, or auto: on a terminal, unless NO_COLOR is set
 * and not empty (https://no-color.org) or TERM is dumb. */
static bool use_color(const struct cli *cli)
{
	if (cli->color != COLOR_AUTO)
		return cli->color == COLOR_ALWAYS;
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	return output_is_terminal(cli) && !(no && *no) && !(term && !strcmp(term, "dumb"));
}

static int cmd_analyze(struct cli *cli)
{
	struct model m;
	struct ruleset rs;
	struct ingest in;
	struct extractor x;
	struct analysis a;
	int w = 0;

	const struct report_writer *wr = pick_format(cli);
	if (cli->brief && strcmp(wr->name, "md")) {
		term_line(stderr, "pmemmap: --brief applies to the Markdown report, not to %s", wr->name);
		return EXIT_USAGE;
	}
	double t[4];
	t[0] = mono_seconds();
	model_init(&m);
	rules_init(&rs);
	int status = read_inputs(cli, &m, &rs, &in, &x);
	if (status == EXIT_USAGE) {
		rules_free(&rs);
		model_free(&m);
		return status;
	}
	t[1] = mono_seconds();
	struct redactor *red = redact_inputs(cli, &m);
	analyze(&m, &a);
	a.brief = cli->brief;
	t[2] = mono_seconds();
	struct report_job job = { &m, &a, rs.digest, wr, use_color(cli) };
	w = write_output(cli->output, report_writer, &job);
	int wm = write_redact_map(cli, red);
	w = w ? w : wm;
	redactor_free(red);
	t[3] = mono_seconds();
	double phase[3] = { t[1] - t[0], t[2] - t[1], t[3] - t[2] };
	print_stats(cli, &m, &in, &x, phase);
	extractor_free(&x);
	/* no case at all is no mapping to show */
	if (!w && (a.errors || !a.complete || !a.ncases))
		status = EXIT_FINDINGS;
	analysis_free(&a);
	rules_free(&rs);
	model_free(&m);
	return w ? w : status;
}

/* Started with standard input, output or error closed, the first files
 * opened would take their numbers, and what is meant for the terminal
 * would be written into a report (or a report read as standard input):
 * each closed one is opened on /dev/null first (the lowest free number
 * is the one closed, those below it being open by then). */
static void std_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF && open("/dev/null", fd ? O_WRONLY : O_RDONLY) != fd)
			_exit(EXIT_OUTPUT);
}

int main(int argc, char **argv)
{
	struct cli cli;
	std_fds_open();
	hash_seed_random();
	int r = cli_parse(&cli, argc, argv);

	if (r == CLI_HELP || r == CLI_VERSION)
		cli_free(&cli);
	if (r == CLI_HELP) {
		usage(stdout);
		return EXIT_OK;
	}
	if (r == CLI_VERSION) {
		version_print(stdout);
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
	} else if (!strcmp(cli.command, "collect")) {
		r = cmd_collect(&cli);
	} else if (cli.ninputs == 0) {
		term_line(stderr, "pmemmap %s: no INPUT given (try --help)", cli.command);
		r = EXIT_USAGE;
	} else if (cli.redact_map && (output_clashes(cli.redact_map, cli.inputs, cli.ninputs) ||
				      output_same(cli.redact_map, cli.output))) {
		term_line(stderr, "pmemmap: refusing to write the redaction map to %s: it is an input, inside "
				  "one, or the output",
			  cli.redact_map);
		r = EXIT_USAGE;
	} else if (!strcmp(cli.command, "merge")) {
		r = cmd_merge(&cli);
	} else if (output_clashes(cli.output, cli.inputs, cli.ninputs)) {
		term_line(stderr, "pmemmap: refusing to write %s: it is an input or inside one",
			cli.output);
		r = EXIT_USAGE;
	} else if (!strcmp(cli.command, "extract")) {
		r = cmd_extract(&cli);
	} else if (!strcmp(cli.command, "batch")) {
		r = cmd_batch(&cli);
	} else {
		r = cmd_analyze(&cli);
	}
	cli_free(&cli);
	return r;
}
