/* rules.c - load, check and compile rule files; match members and lines.
 *
 * Format (docs/rules.md):
 *
 *   # comment
 *   [rule-name]
 *   kind   = vm-support | sosreport | transcript | any
 *   member = regex on the member path, relative to the bundle root
 *   line   = regex on each line; named groups become fact fields
 *   fact   = fact.type
 *
 * Every pattern is compiled once at start (JIT where available) and runs
 * under the match and depth limits, so a rule prone to catastrophic
 * backtracking costs a diagnostic, not a hang.
 */
#define _GNU_SOURCE
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

void rules_init(struct ruleset *rs)
{
	memset(rs, 0, sizeof(*rs));
}

static void re_free(struct rule_re *re)
{
	free(re->pattern);
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->groups);
	memset(re, 0, sizeof(*re));
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void rule_free(struct rule *r)
{
	free(r->name);
	free(r->file);
	re_free(&r->member);
	re_free(&r->line);
	strv_free(r->has, r->nhas);
	free(r->has_len);
	free(r->fact);
	strv_free(r->uuid_fields, r->nuuid);
	free(r->serial_from);
	strv_free(r->with, r->nwith);
	free(r->label);
	free(r->source);
}

void rules_free(struct ruleset *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		rule_free(&rs->rules[i]);
	free(rs->rules);
	pcre2_code_free(rs->any_content);
	pcre2_match_data_free(rs->any_content_md);
	pcre2_code_free(rs->any_presence);
	pcre2_match_data_free(rs->any_presence_md);
	for (int k = 0; k < 5; k++) {
		pcre2_code_free(rs->content_by_kind[k]);
		pcre2_match_data_free(rs->content_by_kind_md[k]);
	}
	pcre2_match_context_free(rs->mctx);
	pcre2_jit_stack_free(rs->jit_stack);
	rules_init(rs);
}

static bool re_compile(struct rule_re *re, const char *pattern, uint32_t options, struct buf *msg)
{
	int errcode;
	PCRE2_SIZE erroff;

	re->pattern = xstrdup(pattern);
	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &errcode,
				 &erroff, NULL);
	if (!re->code) {
		PCRE2_UCHAR text[256];
		pcre2_get_error_message(errcode, text, sizeof(text));
		buf_printf(msg, "%s at offset %zu", (char *)text, (size_t)erroff);
		return false;
	}
	/* JIT is an optimisation: without it (unsupported CPU) we still match.
	 * PMEMMAP_NO_JIT turns it off for valgrind, to which JIT code is opaque
	 * (it reports its reads as uninitialised). */
	if (!getenv("PMEMMAP_NO_JIT"))
		pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);

	uint32_t count = 0, entry = 0;
	PCRE2_SPTR table = NULL;
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
	re->groups = xcalloc(count, sizeof(*re->groups));
	re->ngroups = count;
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR e = table + (size_t)i * entry;
		re->groups[i].number = ((uint32_t)e[0] << 8) | e[1];
		re->groups[i].name = (const char *)(e + 2);
	}
	return true;
}

static bool re_has_group(const struct rule_re *re, const char *name)
{
	for (size_t i = 0; re->code && i < re->ngroups; i++)
		if (strcmp(re->groups[i].name, name) == 0)
			return true;
	return false;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Split "a, b,c" into a vector of trimmed names. */
static char **split_list(const char *s, size_t *n)
{
	char *copy = xstrdup(s), *save = NULL;
	char **v = NULL;
	*n = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		tok = trim(tok);
		if (!*tok)
			continue;
		v = xrealloc(v, (*n + 1) * sizeof(*v));
		v[(*n)++] = xstrdup(tok);
	}
	free(copy);
	return v;
}

static bool valid_ident(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return true;
}

/* Raw key/values of the rule being read, checked when the rule ends. */
struct pending {
	bool open;
	char *name;
	int line_no;
	char *kv[15];
	int kv_line[15];
};

static const char *const keys[] = { "kind", "member", "line", "has", "parser", "fact", "marks", "set",
				    "max", "uuid", "serial", "with", "label", "name", "source" };
enum { K_KIND, K_MEMBER, K_LINE, K_HAS, K_PARSER, K_FACT, K_MARKS, K_SET, K_MAX, K_UUID,
       K_SERIAL, K_WITH, K_LABEL, K_NAME, K_SOURCE, K_COUNT };

static void pending_clear(struct pending *p)
{
	free(p->name);
	for (int i = 0; i < K_COUNT; i++)
		free(p->kv[i]);
	memset(p, 0, sizeof(*p));
}

static bool yes_no(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "no") || !strcmp(v, "false")) {
		*out = false;
		return true;
	}
	return false;
}

#define RULE_ERR(ln, ...)                                              \
	do {                                                           \
		buf_printf(errs, "%s:%d: rule [%s]: ", path, (ln), p->name); \
		buf_printf(errs, __VA_ARGS__);                         \
		buf_puts(errs, "\n");                                  \
		nerr++;                                                \
	} while (0)

/* Turn the pending key/values into a compiled rule. Returns errors. */
/* What a rule reads: kind, member and line patterns, parser, literals. */
static int pending_reads(struct pending *p, struct rule *rp, const char *path, struct buf *errs)
{
	struct rule r = *rp;
	struct buf msg;
	int nerr = 0;

	buf_init(&msg);
	if (!p->kv[K_KIND])
		RULE_ERR(p->line_no, "missing 'kind'");
	else if (!kind_parse(p->kv[K_KIND], &r.kind))
		RULE_ERR(p->kv_line[K_KIND],
			 "kind '%s' is not one of vm-support, sosreport, transcript, any",
			 p->kv[K_KIND]);
	if (p->kv[K_MEMBER] && p->kv[K_NAME]) {
		RULE_ERR(p->kv_line[K_NAME], "'member' and 'name' exclude each other");
	} else if (p->kv[K_NAME]) {
		/* a rule on the bundle's own name: kept as its member pattern */
		r.by_name = true;
		if (!re_compile(&r.member, p->kv[K_NAME], 0, &msg))
			RULE_ERR(p->kv_line[K_NAME], "name regex: %s", msg.data);
		if (p->kv[K_LINE] || p->kv[K_PARSER] || p->kv[K_SET] || p->kv[K_MARKS])
			RULE_ERR(p->kv_line[K_NAME], "a 'name' rule reads no member: drop 'line', 'parser', 'set' and 'marks'");
	} else if (!p->kv[K_MEMBER]) {
		RULE_ERR(p->line_no, "missing 'member' (or 'name')");
	} else if (!re_compile(&r.member, p->kv[K_MEMBER], 0, &msg)) {
		RULE_ERR(p->kv_line[K_MEMBER], "member regex: %s", msg.data);
	}
	buf_reset(&msg);
	if (p->kv[K_LINE] && !re_compile(&r.line, p->kv[K_LINE], 0, &msg))
		RULE_ERR(p->kv_line[K_LINE], "line regex: %s", msg.data);
	if (p->kv[K_PARSER]) {
		if (!strcmp(p->kv[K_PARSER], "ndctl-json"))
			r.parser = PARSER_NDCTL_JSON;
		else
			RULE_ERR(p->kv_line[K_PARSER], "unknown parser '%s' (known: ndctl-json)",
				 p->kv[K_PARSER]);
		if (p->kv[K_LINE])
			RULE_ERR(p->kv_line[K_PARSER], "'parser' and 'line' exclude each other");
	}
	if (p->kv[K_HAS]) {
		if (!p->kv[K_LINE])
			RULE_ERR(p->kv_line[K_HAS], "'has' needs a 'line' regex");
		/* "a|b|c": any of the literals; a line without one is not matched */
		char *copy = xstrdup(p->kv[K_HAS]), *save = NULL;
		for (char *t = strtok_r(copy, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
			r.has = xrealloc(r.has, (r.nhas + 1) * sizeof(*r.has));
			r.has_len = xrealloc(r.has_len, (r.nhas + 1) * sizeof(*r.has_len));
			r.has[r.nhas] = xstrdup(t);
			r.has_len[r.nhas++] = strlen(t);
		}
		free(copy);
		if (!r.nhas)
			RULE_ERR(p->kv_line[K_HAS], "'has' names no literal");
	}
	buf_free(&msg);
	*rp = r;
	return nerr;
}

/* What a rule makes: fact, marks, set, and how fields are made. */
static int pending_makes(struct pending *p, struct rule *rp, const char *path, struct buf *errs)
{
	struct rule r = *rp;
	int nerr = 0;

	if (p->kv[K_FACT]) {
		if (!valid_ident(p->kv[K_FACT], "._-"))
			RULE_ERR(p->kv_line[K_FACT], "fact type '%s' may only hold letters, digits, '.', '_', '-'",
				 p->kv[K_FACT]);
		r.fact = xstrdup(p->kv[K_FACT]);
	}
	if (p->kv[K_MARKS] && !yes_no(p->kv[K_MARKS], &r.marks))
		RULE_ERR(p->kv_line[K_MARKS], "'marks' takes yes or no");
	if (p->kv[K_SET] && !yes_no(p->kv[K_SET], &r.set))
		RULE_ERR(p->kv_line[K_SET], "'set' takes yes or no");
	if (r.set && !p->kv[K_LINE])
		RULE_ERR(p->kv_line[K_SET], "'set' needs a 'line' regex");
	if (r.marks && (r.kind == KIND_ANY || r.kind == KIND_UNKNOWN))
		RULE_ERR(p->kv_line[K_MARKS], "a marking rule must name one bundle kind");
	if (!r.fact && !r.marks && !r.set && !r.parser)
		RULE_ERR(p->line_no, "rule does nothing: give 'fact', 'parser', 'marks' or 'set'");
	if (r.parser && r.fact)
		RULE_ERR(p->kv_line[K_FACT], "a 'parser' rule emits its own facts; drop 'fact'");
	if (p->kv[K_MAX]) {
		uint64_t v;
		if (!parse_u64(p->kv[K_MAX], &v) || v > 1000000)
			RULE_ERR(p->kv_line[K_MAX], "'max' takes a number from 0 to 1000000");
		else
			r.max = (unsigned)v;
	}
	if (p->kv[K_UUID]) {
		r.uuid_fields = split_list(p->kv[K_UUID], &r.nuuid);
		for (size_t i = 0; i < r.nuuid; i++)
			if (!re_has_group(&r.line, r.uuid_fields[i]) &&
			    !re_has_group(&r.member, r.uuid_fields[i]))
				RULE_ERR(p->kv_line[K_UUID], "'uuid' names '%s', which no named group captures",
					 r.uuid_fields[i]);
	}
	if (p->kv[K_SERIAL]) {
		r.serial_from = xstrdup(p->kv[K_SERIAL]);
		if (!re_has_group(&r.line, r.serial_from) && !re_has_group(&r.member, r.serial_from))
			RULE_ERR(p->kv_line[K_SERIAL], "'serial' names '%s', which no named group captures",
				 r.serial_from);
	}
	if (p->kv[K_WITH])
		r.with = split_list(p->kv[K_WITH], &r.nwith);
	if (p->kv[K_LABEL]) {
		if (!r.fact)
			RULE_ERR(p->kv_line[K_LABEL], "'label' needs a 'fact'");
		r.label = xstrdup(p->kv[K_LABEL]);
	}
	if (p->kv[K_SOURCE]) {
		if (!r.fact)
			RULE_ERR(p->kv_line[K_SOURCE], "'source' needs a 'fact'");
		r.source = xstrdup(p->kv[K_SOURCE]);
	}
	*rp = r;
	return nerr;
}

static int pending_commit(struct ruleset *rs, struct pending *p, const char *path, struct buf *errs)
{
	struct rule r;
	memset(&r, 0, sizeof(r));
	r.name = xstrdup(p->name);
	r.file = xstrdup(path);
	r.line_no = p->line_no;
	int nerr = pending_reads(p, &r, path, errs);
	nerr += pending_makes(p, &r, path, errs);
	if (nerr) {
		rule_free(&r);
		return nerr;
	}
	rs->rules = xrealloc(rs->rules, (rs->n + 1) * sizeof(*rs->rules));
	rs->rules[rs->n++] = r;
	return 0;
}

/* Parse the text of one rule file (path names it in messages). */
static int rules_load_text(struct ruleset *rs, const char *path, const char *text, size_t size,
			   struct buf *errs)
{
	struct pending pend, *p = &pend;
	struct buf cur;
	int ln = 0, nerr = 0;

	memset(&pend, 0, sizeof(pend));
	buf_init(&cur);
	rs->nfiles++;
	for (size_t off = 0; off < size;) {
		const char *nl = memchr(text + off, '\n', size - off);
		size_t len = nl ? (size_t)(nl - (text + off)) + 1 : size - off;
		ln++;
		rs->text_hash = hash_str(text + off, len, rs->text_hash);
		if (len > 64 * 1024) {
			buf_printf(errs, "%s:%d: line longer than 65536 bytes\n", path, ln);
			nerr++;
			break;
		}
		if (memchr(text + off, '\0', len)) {
			buf_printf(errs, "%s:%d: NUL byte in rule file\n", path, ln);
			nerr++;
			break;
		}
		buf_reset(&cur);
		buf_append(&cur, text + off, len);
		off += len;
		char *s = trim(cur.data);
		if (!*s || *s == '#')
			continue;
		if (*s == '[') {
			size_t n = strlen(s);
			if (p->open)
				nerr += pending_commit(rs, p, path, errs);
			pending_clear(p);
			if (s[n - 1] != ']' || n < 3) {
				buf_printf(errs, "%s:%d: expected '[rule-name]'\n", path, ln);
				nerr++;
				continue;
			}
			s[n - 1] = '\0';
			char *name = trim(s + 1);
			if (!valid_ident(name, "._-")) {
				buf_printf(errs, "%s:%d: rule name '%s' may only hold letters, digits, '.', '_', '-'\n",
					   path, ln, name);
				nerr++;
				continue;
			}
			for (size_t i = 0; i < rs->n; i++) {
				if (!strcmp(rs->rules[i].name, name)) {
					buf_printf(errs, "%s:%d: rule [%s] is already defined at %s:%d\n",
						   path, ln, name, rs->rules[i].file, rs->rules[i].line_no);
					nerr++;
				}
			}
			p->open = true;
			p->name = xstrdup(name);
			p->line_no = ln;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			buf_printf(errs, "%s:%d: expected 'key = value' or '[rule-name]'\n", path, ln);
			nerr++;
			continue;
		}
		*eq = '\0';
		char *key = trim(s), *val = trim(eq + 1);
		if (!p->open) {
			buf_printf(errs, "%s:%d: '%s' outside of a [rule]\n", path, ln, key);
			nerr++;
			continue;
		}
		int k;
		for (k = 0; k < K_COUNT; k++)
			if (!strcmp(key, keys[k]))
				break;
		if (k == K_COUNT) {
			buf_printf(errs, "%s:%d: rule [%s]: unknown key '%s'\n", path, ln, p->name, key);
			nerr++;
		} else if (p->kv[k]) {
			buf_printf(errs, "%s:%d: rule [%s]: '%s' given twice (first at line %d)\n", path, ln,
				   p->name, key, p->kv_line[k]);
			nerr++;
		} else if (!*val) {
			buf_printf(errs, "%s:%d: rule [%s]: '%s' has an empty value\n", path, ln, p->name, key);
			nerr++;
		} else {
			p->kv[k] = xstrdup(val);
			p->kv_line[k] = ln;
		}
	}
	if (p->open)
		nerr += pending_commit(rs, p, path, errs);
	pending_clear(p);
	buf_free(&cur);
	return nerr;
}

/* Rule files are small; a larger one is a mistake, or a device. */
#define RULES_FILE_MAX (16u << 20)

/* Read one rule file below dirfd (links followed, but only to a regular
 * file: never a FIFO, a device or /dev/zero) and parse it. */
static int rules_load_at(struct ruleset *rs, int dirfd, const char *name, const char *shown,
			 struct buf *errs)
{
	struct buf text, err;
	buf_init(&text);
	buf_init(&err);
	int nerr;
	if (read_regular_at(dirfd, name, true, RULES_FILE_MAX, &text, &err) < 0) {
		/* err names the file by name: say it with the folder */
		const char *why = strchr(err.data, ':');
		buf_printf(errs, "%s:0: %s\n", shown, why ? why + 2 : err.data);
		nerr = 1;
	} else {
		nerr = rules_load_text(rs, shown, text.data, text.len, errs);
	}
	buf_free(&text);
	buf_free(&err);
	return nerr;
}

int rules_load_file(struct ruleset *rs, const char *path, struct buf *errs)
{
	return rules_load_at(rs, AT_FDCWD, path, path, errs);
}

/* One regex that matches where any of the selected member regexes does:
 * most members of a bundle are rejected by this single match. */
static int build_union(struct ruleset *rs, bool reads, enum bundle_kind kind, pcre2_code **code,
		       pcre2_match_data **md, struct buf *errs)
{
	struct buf pat, msg;
	struct rule_re any;
	int nerr = 0;

	buf_init(&pat);
	buf_init(&msg);
	for (size_t i = 0; i < rs->n; i++)
		if (!rs->rules[i].by_name && rule_reads(&rs->rules[i]) == reads &&
		    (kind == KIND_UNKNOWN || rs->rules[i].kind == kind || rs->rules[i].kind == KIND_ANY))
			buf_printf(&pat, "%s(?:%s)", pat.len ? "|" : "", rs->rules[i].member.pattern);
	if (!pat.len)
		buf_puts(&pat, "(*FAIL)");
	memset(&any, 0, sizeof(any));
	if (!re_compile(&any, pat.data, PCRE2_DUPNAMES | PCRE2_NO_AUTO_CAPTURE, &msg)) {
		buf_printf(errs, "rules: cannot combine member patterns: %s\n", msg.data);
		nerr++;
	} else {
		*code = any.code;
		*md = any.md;
		any.code = NULL;
		any.md = NULL;
	}
	re_free(&any);
	buf_free(&pat);
	buf_free(&msg);
	return nerr;
}

int rules_finish(struct ruleset *rs, const struct rule_limits *lim, struct buf *errs)
{
	int nerr = 0;

	/* every 'with' must name something a 'set' rule captures */
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->rules[i];
		for (size_t w = 0; w < r->nwith; w++) {
			bool found = false;
			for (size_t j = 0; j < rs->n && !found; j++)
				found = rs->rules[j].set && re_has_group(&rs->rules[j].line, r->with[w]);
			if (!found) {
				buf_printf(errs, "%s:%d: rule [%s]: 'with' names '%s', which no 'set' rule captures\n",
					   r->file, r->line_no, r->name, r->with[w]);
				nerr++;
			}
		}
	}
	if (nerr)
		return nerr;
	if (rs->n == 0) {
		buf_puts(errs, "no rules loaded\n");
		return 1;
	}

	snprintf(rs->digest, sizeof(rs->digest), "%016llx", (unsigned long long)rs->text_hash);
	nerr += build_union(rs, true, KIND_UNKNOWN, &rs->any_content, &rs->any_content_md, errs);
	nerr += build_union(rs, false, KIND_UNKNOWN, &rs->any_presence, &rs->any_presence_md, errs);
	/* once a bundle's kind is known, only its kind's rules can want a member */
	for (int k = KIND_VMSUPPORT; k <= KIND_TRANSCRIPT; k++)
		nerr += build_union(rs, true, (enum bundle_kind)k, &rs->content_by_kind[k],
				    &rs->content_by_kind_md[k], errs);

	rs->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rs->mctx, lim->match_limit);
	pcre2_set_depth_limit(rs->mctx, lim->depth_limit);
	/* JIT ignores the depth limit; its stack is the bound there instead */
	size_t jit_max = (size_t)lim->depth_limit * 100;
	jit_max = jit_max < 32 * 1024 ? 32 * 1024 : jit_max > 1024 * 1024 ? 1024 * 1024 : jit_max;
	rs->jit_stack = pcre2_jit_stack_create(16 * 1024, jit_max, NULL);
	pcre2_jit_stack_assign(rs->mctx, NULL, rs->jit_stack);
	return nerr;
}

static bool is_rule_file(const char *name, void *ctx)
{
	(void)ctx;
	return name[0] != '.' && str_has_suffix(name, ".rules");
}

int rules_load_dir(struct ruleset *rs, const char *dir, const struct rule_limits *lim,
		   struct buf *errs)
{
	struct namelist names;
	int nerr = 0;

	rules_init(rs);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || dir_names(dfd, is_rule_file, NULL, &names) < 0) {
		buf_printf(errs, "%s: cannot read rules folder: %s\n", dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return 1;
	}
	for (size_t i = 0; i < names.n; i++) {
		char *shown = xasprintf("%s/%s", dir, names.v[i]);
		nerr += rules_load_at(rs, dfd, names.v[i], shown, errs);
		free(shown);
	}
	namelist_free(&names);
	close(dfd);
	if (!nerr)
		nerr = rules_finish(rs, lim, errs);
	if (nerr)
		rules_free(rs);
	return nerr;
}

int rule_re_match(const struct ruleset *rs, const struct rule_re *re, const char *s, size_t n)
{
	int rc = pcre2_match(re->code, (PCRE2_SPTR)s, n, 0, 0, re->md, rs->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0)
		return rc;
	return rc ? rc : 1;
}

bool rule_re_group(const struct rule_re *re, const char *s, uint32_t g, const char **p, size_t *n)
{
	uint32_t count = pcre2_get_ovector_count(re->md);
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	if (g >= count || ov[2 * g] == PCRE2_UNSET)
		return false;
	*p = s + ov[2 * g];
	*n = ov[2 * g + 1] - ov[2 * g];
	return true;
}

bool rules_any_content(const struct ruleset *rs, const char *path, size_t n)
{
	int rc = pcre2_match(rs->any_content, (PCRE2_SPTR)path, n, 0, 0, rs->any_content_md,
			     rs->mctx);
	return rc >= 0 || rc == PCRE2_ERROR_MATCHLIMIT;
}

bool rules_kind_content(const struct ruleset *rs, enum bundle_kind kind, const char *path, size_t n)
{
	if (kind < KIND_VMSUPPORT || kind > KIND_TRANSCRIPT || !rs->content_by_kind[kind])
		return rules_any_content(rs, path, n);
	int rc = pcre2_match(rs->content_by_kind[kind], (PCRE2_SPTR)path, n, 0, 0,
			     rs->content_by_kind_md[kind], rs->mctx);
	return rc >= 0 || rc == PCRE2_ERROR_MATCHLIMIT;
}

bool rules_any_presence(const struct ruleset *rs, const char *path, size_t n)
{
	int rc = pcre2_match(rs->any_presence, (PCRE2_SPTR)path, n, 0, 0, rs->any_presence_md,
			     rs->mctx);
	return rc >= 0 || rc == PCRE2_ERROR_MATCHLIMIT;
}
