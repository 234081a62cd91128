/* limits.h - every bound on what one input may cost, in one table.
 *
 * Each limit has a default, a command-line flag and a message when hit;
 * the table drives option parsing, --help and the man page text, so the
 * three cannot drift apart.
 */
#ifndef PMEMMAP_LIMITS_H
#define PMEMMAP_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct limits {
	uint64_t member_bytes; /* bytes read from one member */
	uint64_t total_bytes; /* inflated bytes from one input, all levels */
	uint64_t ratio; /* inflated : compressed, once past ratio_floor */
	uint64_t ratio_floor;
	uint64_t depth; /* archives inside archives */
	uint64_t line_bytes; /* longest line matched; longer ones are skipped */
	uint64_t members; /* members of one bundle */
	uint64_t json_bytes; /* largest JSON value read (its elements that close within it are) */
	uint64_t json_depth;
	uint64_t match_limit; /* pcre2 match limit per line */
	uint64_t depth_limit; /* pcre2 backtracking depth per line */
	uint64_t facts; /* facts kept from one input, nested archives included */
};

struct limit_desc {
	const char *flag; /* "--max-member-bytes" */
	const char *help;
	size_t offset; /* into struct limits */
	uint64_t def;
	bool bytes; /* accepts K/M/G suffixes */
};

extern const struct limit_desc limit_table[];
extern const unsigned limit_count;

void limits_default(struct limits *l);
uint64_t *limit_field(struct limits *l, const struct limit_desc *d);
/* Parse "--flag=VALUE" or "--flag VALUE" value into l. */
bool limits_set(struct limits *l, const struct limit_desc *d, const char *value);

#endif
