/* testutil.h - shared helpers for the cmocka suites: run the real
 * pipeline (rules from the source tree, ingest, extract) on a fixture and
 * look facts up in the model.
 */
#ifndef PMEMMAP_TESTUTIL_H
#define PMEMMAP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "extract.h"
#include "ingest.h"
#include "limits.h"
#include "model.h"
#include "rules.h"
#include "util.h"

struct run {
	struct limits lim;
	struct ruleset rs;
	struct model m;
	struct extractor x;
	struct ingest in;
};

static inline const char *src_dir(void)
{
	const char *s = getenv("PMEMMAP_SRC");
	return s ? s : ".";
}

/* A path in the source tree (fixtures/bundles/...). Caller frees. */
static inline char *src_path(const char *rel)
{
	return xasprintf("%s/%s", src_dir(), rel);
}

/* A packed fixture built by fixtures/pack.sh (make fixtures). */
/* The whole file at path, NUL-terminated (the test fails if it cannot). */
static inline char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;
	assert_non_null(f);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	buf_append(&b, "", 0);
	return buf_steal(&b);
}

static inline char *packed(const char *rel)
{
	const char *d = getenv("PMEMMAP_FIXTURES");
	return xasprintf("%s/%s", d ? d : "build/fixtures", rel);
}

static inline void run_init_rules(struct run *r, const char *rules_dir)
{
	struct rule_limits rl;
	struct buf errs;

	memset(r, 0, sizeof(*r));
	limits_default(&r->lim);
	rl.match_limit = (uint32_t)r->lim.match_limit;
	rl.depth_limit = (uint32_t)r->lim.depth_limit;
	buf_init(&errs);
	int n = rules_load_dir(&r->rs, rules_dir, &rl, &errs);
	if (n)
		fprintf(stderr, "%s", errs.data);
	buf_free(&errs);
	assert_int_equal(n, 0);
	model_init(&r->m);
	extractor_init(&r->x, &r->rs, &r->lim, &r->m);
	ingest_init(&r->in, &r->x, &r->lim);
}

static inline void run_init(struct run *r)
{
	char *dir = src_path("rules");
	run_init_rules(r, dir);
	free(dir);
}

static inline int run_input(struct run *r, const char *path)
{
	return ingest_input(&r->in, path);
}

static inline void run_free(struct run *r)
{
	extractor_free(&r->x);
	model_free(&r->m);
	rules_free(&r->rs);
}

/* First fact of this type whose field key equals value (key NULL: any). */
static inline const struct fact *find_fact(const struct model *m, const char *type,
					   const char *key, const char *value)
{
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		if (strcmp(f->type, type))
			continue;
		if (!key)
			return f;
		const char *v = fact_get(f, key);
		if (v && !strcmp(v, value))
			return f;
	}
	return NULL;
}

static inline size_t count_facts(const struct model *m, const char *type)
{
	size_t n = 0;
	for (size_t i = 0; i < m->nfacts; i++)
		n += !strcmp(m->facts[i].type, type);
	return n;
}

static inline const char *must_get(const struct fact *f, const char *key)
{
	assert_non_null(f);
	const char *v = fact_get(f, key);
	if (!v)
		fail_msg("fact %s has no field %s", f->type, key);
	return v;
}

static inline int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The facts as sorted text, one per line: "type member:line k=v k=v".
 * Evidence lines and members are kept (they must agree across formats),
 * the bundle path is not. Caller frees.
 */
static inline char *facts_text(const struct model *m, bool with_evidence)
{
	char **lines = xcalloc(m->nfacts + 1, sizeof(char *));
	struct buf b;
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		buf_init(&b);
		buf_puts(&b, f->type);
		if (with_evidence)
			buf_printf(&b, " %s:%llu", f->ev.member, (unsigned long long)f->ev.line);
		for (uint32_t k = 0; k < f->nfields; k++)
			buf_printf(&b, " %s=%s", f->fields[k].key, f->fields[k].value);
		lines[i] = buf_steal(&b);
	}
	qsort(lines, m->nfacts, sizeof(char *), cmp_str);
	buf_init(&b);
	for (size_t i = 0; i < m->nfacts; i++) {
		buf_printf(&b, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	return buf_steal(&b);
}

static inline bool diag_contains(const struct model *m, enum diag_level level, const char *text)
{
	for (size_t i = 0; i < m->ndiags; i++)
		if (m->diags[i].level == level && (strstr(m->diags[i].message, text) ||
						   strstr(m->diags[i].member, text)))
			return true;
	return false;
}

static inline void dump_diags(const struct model *m)
{
	for (size_t i = 0; i < m->ndiags; i++)
		fprintf(stderr, "  diag: %s %s: %s\n", m->bundles[m->diags[i].bundle].path,
			m->diags[i].member, m->diags[i].message);
}

#endif
