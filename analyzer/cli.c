/* cli.c - parse the command line into struct cli. */
#include "cli.h"

#include <limits.h>

#include "escape.h"
#include "locate.h"
#include "writers.h"
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#ifndef PMEMMAP_VERSION
#define PMEMMAP_VERSION "0.0-dev"
#endif

const char *pmemmap_version = PMEMMAP_VERSION;



const struct cli_option cli_options[] = {
	{ "--rules", 0, true, "--rules DIR", "read rule files from DIR instead of the installed ones" },
	{ "--output", 'o', true, "-o, --output FILE", "write the result to FILE (atomically); - is stdout; batch, merge: the output folder" },
	{ "--format", 'f', true, "-f, --format FMT", "analyze: html, md, json or term, the one-screen summary (default: from -o's extension, else term on a terminal, else md)" },
	{ "--color", 0, true, "--color WHEN", "analyze: colour the summary by severity: auto (on a terminal, unless NO_COLOR is set), always or never" },
	{ "--brief", 0, false, "--brief", "analyze: Markdown with the answer, the mapping and the findings with what to do; no evidence" },
	{ "--stats", 0, false, "--stats", "print counts (members, bytes, facts) and phase seconds on stderr" },
	{ "--jobs", 'j', true, "-j, --jobs N", "batch: worker processes (default: the number of cores)" },
	{ "--resume", 0, false, "--resume", "batch: keep what an interrupted run finished, do the rest" },
	{ "--timeout", 0, true, "--timeout SECS", "batch: time limit per bundle; a bundle over it is recorded as failed" },
	{ "--quiet", 'q', false, "-q, --quiet", "do not print diagnostics on stderr (they stay in the output)" },
	{ "--redact", 0, false, "--redact", "analyze, extract, batch, merge: host, VM and datastore names, addresses, user names, free-text path parts (input names too) become tokens (host-1, vm-2), the same in every output" },
	{ "--redact-ids", 0, false, "--redact-ids", "analyze, extract, batch, merge: --redact, and replace UUIDs and dimm serials too (a serial still ends its .vmdk UUID)" },
	{ "--redact-map", 0, true, "--redact-map FILE", "analyze, extract, batch, merge: --redact, and write the token table to FILE (mode 0600, never through a link); else it is written nowhere" },
	{ "--no-isal", 0, false, "--no-isal", "inflate gzip with libarchive's zlib instead of ISA-L" },
	{ "--help", 'h', false, "-h, --help", "show this help" },
	{ "--version", 'V', false, "-V, --version", "show the version of pmemmap and of each library it uses" },
};
const unsigned cli_option_count = sizeof(cli_options) / sizeof(cli_options[0]);

const struct cli_exit cli_exits[] = {
	{ EXIT_OK, "every input read; analyze: complete mapping and no error findings" },
	{ EXIT_FINDINGS, "done, but an input was read only in part (batch: or failed), error findings were raised, or analyze found no case or could not match every device" },
	{ EXIT_USAGE, "usage error, invalid rules, or no input could be read at all" },
	{ EXIT_OUTPUT, "the output file could not be written" },
};
const unsigned cli_exit_count = sizeof(cli_exits) / sizeof(cli_exits[0]);

static const struct cli_option *find_long(const char *arg, size_t n)
{
	for (unsigned i = 0; i < cli_option_count; i++)
		if (strlen(cli_options[i].name) == n && !strncmp(cli_options[i].name, arg, n))
			return &cli_options[i];
	return NULL;
}

static const struct cli_option *find_short(char c)
{
	for (unsigned i = 0; i < cli_option_count; i++)
		if (cli_options[i].short_name == c)
			return &cli_options[i];
	return NULL;
}

static int apply(struct cli *cli, const struct cli_option *o, const char *value)
{
	const char *n = o->name;
	if (!strcmp(n, "--help"))
		return CLI_HELP;
	if (!strcmp(n, "--version"))
		return CLI_VERSION;
	if (!strcmp(n, "--rules"))
		cli->rules_dir = value;
	else if (!strcmp(n, "--output"))
		cli->output = value;
	else if (!strcmp(n, "--format")) {
		if (!report_writer_named(value)) {
			term_line(stderr, "pmemmap: --format takes %s, not '%s'", report_format_names(), value);
			return CLI_ERROR;
		}
		cli->format = value;
	} else if (!strcmp(n, "--color")) {
		static const char *const when[] = { "auto", "always", "never" };
		unsigned k = 0;
		while (k < 3 && strcmp(value, when[k]))
			k++;
		if (k == 3) {
			term_line(stderr, "pmemmap: --color takes auto, always or never, not '%s'", value);
			return CLI_ERROR;
		}
		cli->color = (enum cli_color)k;
	} else if (!strcmp(n, "--brief"))
		cli->brief = true;
	else if (!strcmp(n, "--stats"))
		cli->stats = true;
	else if (!strcmp(n, "--quiet"))
		cli->quiet = true;
	else if (!strcmp(n, "--no-isal"))
		cli->no_isal = true;
	else if (!strcmp(n, "--resume"))
		cli->resume = true;
	else if (!strcmp(n, "--redact"))
		cli->redact = true;
	else if (!strcmp(n, "--redact-ids"))
		cli->redact = cli->redact_ids = true;
	else if (!strcmp(n, "--redact-map"))
		cli->redact = true, cli->redact_map = value;
	else if (!strcmp(n, "--jobs") || !strcmp(n, "--timeout")) {
		uint64_t v;
		if (!parse_u64(value, &v) || v == 0 || v > 100000) {
			term_line(stderr, "pmemmap: %s takes a positive number, not '%s'", n, value);
			return CLI_ERROR;
		}
		if (!strcmp(n, "--jobs"))
			cli->jobs = (unsigned)v;
		else
			cli->timeout = (double)v;
	}
	return CLI_OK;
}

int cli_parse(struct cli *cli, int argc, char **argv)
{
	bool only_inputs = false;

	memset(cli, 0, sizeof(*cli));
	limits_default(&cli->lim);
	cli->inputs = xcalloc((size_t)argc + 1, sizeof(char *));
	for (int i = 1; i < argc; i++) {
		char *arg = argv[i];
		if (only_inputs || arg[0] != '-' || !strcmp(arg, "-")) {
			if (!cli->command) {
				if (strcmp(arg, "extract") && strcmp(arg, "analyze") && strcmp(arg, "rules") &&
				    strcmp(arg, "batch") && strcmp(arg, "merge") && strcmp(arg, "collect")) {
					term_line(stderr, "pmemmap: unknown command '%s' (try --help)", arg);
					return CLI_ERROR;
				}
				cli->command = arg;
			} else {
				/* "bundle/" and "bundle" name the same input */
				size_t n = strlen(arg);
				while (n > 1 && arg[n - 1] == '/')
					arg[--n] = '\0';
				cli->inputs[cli->ninputs++] = arg;
			}
			continue;
		}
		if (!strcmp(arg, "--")) {
			only_inputs = true;
			continue;
		}
		const struct cli_option *o = NULL;
		const char *value = NULL;
		if (arg[1] == '-') {
			const char *eq = strchr(arg, '=');
			size_t n = eq ? (size_t)(eq - arg) : strlen(arg);
			o = find_long(arg, n);
			if (!o) {
				const struct limit_desc *ld = NULL;
				for (unsigned k = 0; k < limit_count; k++)
					if (strlen(limit_table[k].flag) == n && !strncmp(limit_table[k].flag, arg, n))
						ld = &limit_table[k];
				if (!ld) {
					term_line(stderr, "pmemmap: unknown option '%.*s' (try --help)", (int)n, arg);
					return CLI_ERROR;
				}
				value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!value || !limits_set(&cli->lim, ld, value)) {
					term_line(stderr, "pmemmap: %s takes a positive %s", ld->flag,
						ld->bytes ? "size (e.g. 64M)" : "number");
					return CLI_ERROR;
				}
				continue;
			}
			if (eq)
				value = eq + 1;
		} else {
			o = arg[2] == '\0' ? find_short(arg[1]) : NULL;
			if (!o) {
				term_line(stderr, "pmemmap: unknown option '%s' (try --help)", arg);
				return CLI_ERROR;
			}
		}
		if (o->takes_value && !value) {
			if (i + 1 >= argc) {
				term_line(stderr, "pmemmap: %s needs a value", o->name);
				return CLI_ERROR;
			}
			value = argv[++i];
		} else if (!o->takes_value && value) {
			term_line(stderr, "pmemmap: %s takes no value", o->name);
			return CLI_ERROR;
		}
		int r = apply(cli, o, value);
		if (r != CLI_OK)
			return r;
	}
	if (!cli->command) {
		term_line(stderr, "pmemmap: no command given");
		return CLI_NOCMD;
	}
	return CLI_OK;
}

void cli_free(struct cli *cli)
{
	free(cli->inputs);
	cli->inputs = NULL;
}

int load_rules_dir_cli(struct ruleset *rs, const char *dir, const struct limits *lim)
{
	struct rule_limits rl = { (uint32_t)lim->match_limit, (uint32_t)lim->depth_limit };
	struct buf errs;
	buf_init(&errs);
	int n = rules_load_dir(rs, dir, &rl, &errs);
	if (n) {
		/* one line per error, each escaped (a rule file's name is any bytes) */
		for (char *line = errs.data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			term_line(stderr, "%s", line);
		}
		term_line(stderr, "pmemmap: %d error%s in the rules in %s; nothing was read", n,
			  n == 1 ? "" : "s", dir);
	}
	buf_free(&errs);
	return n;
}

/* Load the rules named by --rules, or the installed ones. */
int load_rules_for(struct cli *cli, struct ruleset *rs)
{
	char buf[PATH_MAX];
	const char *dir = cli->rules_dir ? cli->rules_dir : locate_rules_dir(buf, sizeof(buf));
	return load_rules_dir_cli(rs, dir, &cli->lim);
}

