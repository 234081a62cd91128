/* cli.c - parse the command line into struct cli. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const struct cli_option cli_options[] = {
	{ "--rules", 0, true, "--rules DIR", "read rule files from DIR instead of the installed ones" },
	{ "--output", 'o', true, "-o, --output FILE", "write the result to FILE (atomically); - is stdout" },
	{ "--format", 'f', true, "-f, --format FMT", "analyze: html, md or json (default: from -o's extension, else md)" },
	{ "--stats", 0, false, "--stats", "print counts (members seen and opened, bytes, facts) on stderr" },
	{ "--quiet", 'q', false, "-q, --quiet", "do not print diagnostics on stderr (they stay in the output)" },
	{ "--no-isal", 0, false, "--no-isal", "inflate gzip with libarchive's zlib instead of ISA-L" },
	{ "--help", 'h', false, "-h, --help", "show this help" },
	{ "--version", 'V', false, "-V, --version", "show the version" },
};
const unsigned cli_option_count = sizeof(cli_options) / sizeof(cli_options[0]);

const struct cli_exit cli_exits[] = {
	{ EXIT_OK, "every input read; analyze: complete mapping and no error findings" },
	{ EXIT_FINDINGS, "done, but an input was read only in part, or analyze raised error findings" },
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
		if (strcmp(value, "html") && strcmp(value, "md") && strcmp(value, "json")) {
			fprintf(stderr, "pmemmap: --format takes html, md or json, not '%s'\n", value);
			return CLI_ERROR;
		}
		cli->format = value;
	} else if (!strcmp(n, "--stats"))
		cli->stats = true;
	else if (!strcmp(n, "--quiet"))
		cli->quiet = true;
	else if (!strcmp(n, "--no-isal"))
		cli->no_isal = true;
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
				if (strcmp(arg, "extract") && strcmp(arg, "analyze") && strcmp(arg, "rules")) {
					fprintf(stderr, "pmemmap: unknown command '%s' (try --help)\n", arg);
					return CLI_ERROR;
				}
				cli->command = arg;
			} else {
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
					fprintf(stderr, "pmemmap: unknown option '%.*s' (try --help)\n", (int)n, arg);
					return CLI_ERROR;
				}
				value = eq ? eq + 1 : (i + 1 < argc ? argv[++i] : NULL);
				if (!value || !limits_set(&cli->lim, ld, value)) {
					fprintf(stderr, "pmemmap: %s takes a positive %s\n", ld->flag,
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
				fprintf(stderr, "pmemmap: unknown option '%s' (try --help)\n", arg);
				return CLI_ERROR;
			}
		}
		if (o->takes_value && !value) {
			if (i + 1 >= argc) {
				fprintf(stderr, "pmemmap: %s needs a value\n", o->name);
				return CLI_ERROR;
			}
			value = argv[++i];
		} else if (!o->takes_value && value) {
			fprintf(stderr, "pmemmap: %s takes no value\n", o->name);
			return CLI_ERROR;
		}
		int r = apply(cli, o, value);
		if (r != CLI_OK)
			return r;
	}
	if (!cli->command) {
		fprintf(stderr, "pmemmap: no command given\n");
		return CLI_NOCMD;
	}
	return CLI_OK;
}

void cli_free(struct cli *cli)
{
	free(cli->inputs);
	cli->inputs = NULL;
}
