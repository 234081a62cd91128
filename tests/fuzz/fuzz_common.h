/* fuzz_common.h - shared setup of the libFuzzer harnesses in tests/fuzz/.
 *
 * Each harness drives the real analyzer code (ingest, extract, ndctl,
 * rules, analysis, reports) built with ASan/UBSan and libFuzzer's
 * coverage (tests/fuzz/build.sh). The shipped rules are loaded once from
 * $PMEMMAP_SRC/rules, ./rules, ../rules or next to the binary
 * (build/fuzz/ -> ../../rules). Diagnostics stay in the model
 * (model.log = NULL): a fuzzer prints nothing per input.
 *
 * Limits are tighter than the defaults (16 MiB per input, ratio checked
 * after 1 MiB) so one input costs milliseconds,
 * and so that every limit path (member, total, ratio, line, JSON size and
 * depth, members, pcre2 match) is reached by small inputs.
 */
#ifndef PMEMMAP_FUZZ_COMMON_H
#define PMEMMAP_FUZZ_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyze.h"
#include "extract.h"
#include "ingest.h"
#include "limits.h"
#include "model.h"
#include "ndctl.h"
#include "report.h"
#include "rules.h"
#include "util.h"

/* <limits.h> is shadowed by analyzer/limits.h under -Ianalyzer */
#define FZ_PATH_MAX 4096

static struct limits fz_lim;
static struct ruleset fz_rules;
static int fz_ready;

static void fz_limits(struct limits *l)
{
	limits_default(l);
	l->member_bytes = 4u << 20;
	l->total_bytes = 16u << 20;
	l->ratio = 1000;
	l->ratio_floor = 1u << 20;
	l->line_bytes = 64u << 10;
	l->members = 5000;
	l->json_bytes = 1u << 20;
	l->match_limit = 200000;
}

static int fz_is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where the shipped rules are. */
static const char *fz_rules_dir(void)
{
	static char buf[FZ_PATH_MAX + 32];
	const char *src = getenv("PMEMMAP_SRC");
	if (src) {
		snprintf(buf, sizeof(buf), "%s/rules", src);
		if (fz_is_dir(buf))
			return buf;
	}
	char exe[FZ_PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, sizeof(buf), "%s/../../rules", exe);
			if (fz_is_dir(buf))
				return buf;
		}
	}
	static const char *const tries[] = { "rules", "../rules", "../../rules" };
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++)
		if (fz_is_dir(tries[i]))
			return tries[i];
	return "rules";
}

static void fz_init(void)
{
	struct rule_limits rl;
	struct buf errs;

	if (fz_ready)
		return;
	fz_ready = 1;
	fz_limits(&fz_lim);
	rl.match_limit = (uint32_t)fz_lim.match_limit;
	rl.depth_limit = (uint32_t)fz_lim.depth_limit;
	buf_init(&errs);
	const char *dir = fz_rules_dir();
	if (rules_load_dir(&fz_rules, dir, &rl, &errs)) {
		fprintf(stderr, "fuzz: the rules in %s do not load (set PMEMMAP_SRC):\n%s", dir,
			errs.data ? errs.data : "");
		abort();
	}
	buf_free(&errs);
}

/* A memfd holding the input, reachable by path as /proc/self/fd/N. */
static int fz_memfd = -1;
static char fz_memfd_path[64];

static const char *fz_memfd_put(const uint8_t *data, size_t size)
{
	if (fz_memfd < 0) {
		fz_memfd = memfd_create("pmemmap-fuzz", MFD_CLOEXEC);
		if (fz_memfd < 0) {
			perror("fuzz: memfd_create");
			abort();
		}
		snprintf(fz_memfd_path, sizeof(fz_memfd_path), "/proc/self/fd/%d", fz_memfd);
	}
	if (ftruncate(fz_memfd, 0) < 0)
		abort();
	size_t off = 0;
	while (off < size) {
		ssize_t w = pwrite(fz_memfd, data + off, size - off, (off_t)off);
		if (w <= 0)
			abort();
		off += (size_t)w;
	}
	return fz_memfd_path;
}

/* Analyse m and write every report of it, as the analyze command does. */
static inline void fz_report_all(struct model *m)
{
	struct analysis a;
	analyze(m, &a);
	size_t n;
	char *text = report_json_text(m, &a, "fuzz", "fuzz", &n);
	/* the streamed text must be one well-formed JSON document */
	struct json_object *back = json_tokener_parse(text);
	if (!back)
		abort();
	json_object_put(back);
	free(text);
	/* no Markdown line outside a table passes 200 bytes, full or brief */
	for (int brief = 0; brief < 2; brief++) {
		a.brief = brief;
		char *md = report_md(m, &a);
		for (const char *l = md; *l;) {
			const char *e = strchr(l, '\n');
			size_t len = e ? (size_t)(e - l) : strlen(l);
			if (*l != '|' && len > 200)
				abort();
			l += len + (e != NULL);
		}
		free(md);
	}
	a.brief = false;
	free(report_html(m, &a));
	analysis_free(&a);
}

static void fz_analyze_path(const char *path, int isal)
{
	struct model m;
	struct extractor x;
	struct ingest in;

	model_init(&m);
	m.log = NULL;
	extractor_init(&x, &fz_rules, &fz_lim, &m);
	ingest_init(&in, &x, &fz_lim);
	if (!isal)
		in.use_isal = false;
	int r = ingest_input(&in, path);
	if (getenv("PMEMMAP_FUZZ_DEBUG")) /* is the harness reaching the rules? */
		fprintf(stderr, "fuzz: ingest %d, %zu bundles, %zu facts, %zu diagnostics\n", r, m.nbundles,
			m.nfacts, m.ndiags);

	struct wbuf facts;
	wbuf_init(&facts, NULL, NULL);
	model_facts_write(&facts, &m, "fuzz", fz_rules.digest, NULL, true);
	wbuf_finish(&facts);
	buf_free(&facts.b);

	fz_report_all(&m);
	extractor_free(&x);
	model_free(&m);
}

/* A deterministic chunk-size sequence for one input (xorshift). */
static inline size_t fz_next_chunk(uint64_t *state, size_t max)
{
	uint64_t s = *state;
	s ^= s << 13;
	s ^= s >> 7;
	s ^= s << 17;
	*state = s;
	/* mostly small chunks so lines straddle them, sometimes large */
	size_t n = (s & 3) == 0 ? (size_t)(s >> 8) % 65536 : (size_t)(s >> 8) % 64;
	n += 1;
	return n < max ? n : max;
}

#endif
