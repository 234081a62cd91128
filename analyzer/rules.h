/* rules.h - extraction rules kept as data in rules/ (one .rules file per source).
 *
 * A rule picks members of a bundle by path and lines of a member by a
 * regex; named groups become the fields of the fact it emits. The C code
 * knows how to apply a rule; the rule knows what to look for. The file
 * format is documented in docs/rules.md.
 */
#ifndef PMEMMAP_RULES_H
#define PMEMMAP_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kind.h"
#include "util.h"

enum rule_parser {
	PARSER_NONE = 0, /* line regex */
	PARSER_NDCTL_JSON, /* ndctl / daxctl JSON found anywhere in the text */
};

/* A named capture group: its number and name. */
struct rule_group {
	uint32_t number;
	const char *name; /* points into the pattern's name table */
};

struct rule_re {
	char *pattern;
	pcre2_code *code;
	pcre2_match_data *md;
	struct rule_group *groups;
	size_t ngroups;
};

struct rule {
	char *name;
	char *file; /* where it was defined, for messages */
	int line_no;
	enum bundle_kind kind;
	struct rule_re member;
	struct rule_re line; /* code == NULL when the rule has no line regex */
	char **has; /* literal prefilters: a line must hold one of them */
	size_t *has_len;
	size_t nhas;
	enum rule_parser parser;
	char *fact; /* fact type, or NULL */
	bool marks; /* a match marks the bundle as being of `kind` */
	bool set; /* captures are remembered as member variables */
	unsigned max; /* at most this many facts per member; 0 = no limit */
	char **uuid_fields; /* fields normalised as UUIDs */
	size_t nuuid;
	char *serial_from; /* derive field "serial" from this field */
	char **with; /* member variables added to each fact */
	size_t nwith;
	char *label; /* a constant field "label" of every fact, or NULL */
	char *source; /* a constant field "source" of every fact, or NULL */
	bool by_name; /* matched against the bundle's name, not its members (member holds the pattern) */
};

struct ruleset {
	struct rule *rules;
	size_t n;
	pcre2_code *any_content; /* union of member regexes of rules that read */
	pcre2_match_data *any_content_md;
	pcre2_code *content_by_kind[5]; /* any_content, per bundle kind (+ any) */
	pcre2_match_data *content_by_kind_md[5];
	pcre2_code *any_presence; /* union of member regexes of whole-member rules */
	pcre2_match_data *any_presence_md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	char digest[17]; /* hash of all rule text, for run records */
	uint64_t text_hash;
	size_t nfiles;
};

/* Limits that apply to matching; set before loading. */
struct rule_limits {
	uint32_t match_limit;
	uint32_t depth_limit;
};

/*
 * Load every *.rules file of dir (sorted by name). Errors are appended to
 * errs as "file:line: message" lines; returns the number of errors. On
 * success (0) rs is ready; on failure it is freed.
 */
int rules_load_dir(struct ruleset *rs, const char *dir, const struct rule_limits *lim,
		   struct buf *errs);
/* Load one file (used by load_dir and by tests). */
int rules_load_file(struct ruleset *rs, const char *path, struct buf *errs);
/* Finish loading: build the fast-reject union. Returns errors. */
int rules_finish(struct ruleset *rs, const struct rule_limits *lim, struct buf *errs);
void rules_init(struct ruleset *rs);
void rules_free(struct ruleset *rs);

/*
 * Match re against subject. Returns >0 on a match, 0 on no match, and <0
 * on a matching error (PCRE2_ERROR_MATCHLIMIT and friends).
 */
int rule_re_match(const struct ruleset *rs, const struct rule_re *re, const char *s, size_t n);
/* The value of group g after a successful match, as pointer and length. */
bool rule_re_group(const struct rule_re *re, const char *s, uint32_t g, const char **p, size_t *n);
/* Does any rule want to read this member? */
bool rules_any_content(const struct ruleset *rs, const char *path, size_t n);
/* Does a reading rule for this bundle kind (or any kind) want it? */
bool rules_kind_content(const struct ruleset *rs, enum bundle_kind kind, const char *path, size_t n);
/* Does any whole-member rule (no line, no parser) name this path? */
bool rules_any_presence(const struct ruleset *rs, const char *path, size_t n);
/* Whole-member rules need no bytes: they fire on the name alone. */
static inline bool rule_reads(const struct rule *r)
{
	return r->line.code || r->parser;
}

#endif
