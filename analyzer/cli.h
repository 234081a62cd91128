/* cli.h - options, their help text and the exit codes, in one table each,
 * so --help, the man page test and the README cannot drift apart.
 */
#ifndef PMEMMAP_CLI_H
#define PMEMMAP_CLI_H

#include <stdbool.h>

#include "limits.h"

enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,
	EXIT_USAGE = 2,
	EXIT_OUTPUT = 3,
};

struct cli_exit {
	int code;
	const char *meaning;
};

struct cli_option {
	const char *name; /* "--rules" */
	char short_name; /* 'o', or 0 */
	bool takes_value;
	const char *usage; /* "--rules DIR" */
	const char *help;
};

extern const struct cli_option cli_options[];
extern const unsigned cli_option_count;
extern const struct cli_exit cli_exits[];
extern const unsigned cli_exit_count;

/* --color: the order of its words */
enum cli_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct cli {
	const char *command; /* extract, analyze, rules, batch, merge, collect */
	char **inputs;
	int ninputs;
	const char *rules_dir;
	const char *output; /* NULL = stdout */
	const char *format; /* NULL = from -o's extension, else term on a terminal, else md */
	enum cli_color color;
	bool stats, quiet, no_isal, resume, brief;
	bool redact, redact_ids; /* --redact, --redact-ids (which implies --redact) */
	const char *redact_map; /* --redact-map FILE (implies --redact), or NULL */
	unsigned jobs;
	double timeout;
	struct limits lim;
};

enum { CLI_OK, CLI_HELP, CLI_VERSION, CLI_ERROR, CLI_NOCMD };

int cli_parse(struct cli *cli, int argc, char **argv);
void cli_free(struct cli *cli);

extern const char *pmemmap_version;

struct ruleset;
/* Load the rules named by --rules, or the installed ones; errors printed. */
int load_rules_for(struct cli *cli, struct ruleset *rs);
/* Load the rules of dir; errors printed as file:line: message. */
int load_rules_dir_cli(struct ruleset *rs, const char *dir, const struct limits *lim);

#endif
