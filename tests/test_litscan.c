/* test_litscan.c - the extractor's literal prefilter against a plain
 * reference: the first position where any literal starts, and newline
 * counts. Buffers are allocated to their exact length so that ASan and
 * valgrind see any read past the end. */
#define _GNU_SOURCE
#include "testutil.h"
#include "litscan.h"

/* The reference: the earliest memmem of any literal. */
static const char *naive_find(const char *const *lits, const size_t *lens, size_t n,
			      const char *p, const char *end)
{
	const char *best = NULL;
	for (size_t k = 0; k < n; k++) {
		const char *q = lens[k] ? memmem(p, (size_t)(end - p), lits[k], lens[k]) : (p < end ? p : NULL);
		if (q && (!best || q < best))
			best = q;
	}
	return best;
}

static char *exact_copy(const char *s, size_t n)
{
	char *c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, s, n);
	return c;
}

static void test_log_lines(void **state)
{
	(void)state;
	/* the literal set of rule vmkernel-pmem, and of vmware.log's rules */
	const char *lits[] = { "NVDIMM", "nvdimm", "Nvdimm", "PMem", "PMEM", "NVDIMM:" };
	size_t lens[6];
	for (size_t i = 0; i < 6; i++)
		lens[i] = strlen(lits[i]);
	struct litscan *ls = litscan_new(lits, lens, 6);
	const char text[] =
		"2026-03-05T10:31:05.114Z cpu2:2097601)World: 12075: VC: 0: disabled\n"
		"2026-03-05T10:31:05.114Z cpu2:2097601)Nvdim no, NVDIM no, PMe no, pmem no\n"
		"2026-03-05T10:31:06.001Z cpu0:2097602)NVDIMM: 1511: nvdimm0 added\n";
	char *buf = exact_copy(text, sizeof(text) - 1);
	const char *end = buf + sizeof(text) - 1;
	const char *hit = litscan_find(ls, buf, end);
	assert_non_null(hit);
	assert_int_equal(hit - buf, strstr(text, "NVDIMM: 1511") - text);
	assert_int_equal(litscan_find(ls, hit + 1, end) - buf, strstr(text, "nvdimm0") - text);
	assert_null(litscan_find(ls, hit + 1 + 20, end));
	/* a literal cut by the end of the buffer is not a hit */
	assert_null(litscan_find(ls, buf, hit + 5));
	free(buf);
	litscan_free(ls);
}

static void test_against_reference(void **state)
{
	(void)state;
	/* a small alphabet makes hits, near misses and overlaps common */
	const char alpha[] = "abcAB1\n:";
	srand(4242);
	for (int round = 0; round < 3000; round++) {
		size_t n = 1 + (size_t)rand() % 6;
		char litbuf[6][9];
		const char *lits[6];
		size_t lens[6];
		for (size_t k = 0; k < n; k++) {
			lens[k] = 1 + (size_t)rand() % 8;
			if (round % 97 == 0 && k == 0)
				lens[k] = 0; /* an empty literal: every position */
			for (size_t j = 0; j < lens[k]; j++)
				litbuf[k][j] = alpha[rand() % 6]; /* no newline in a literal */
			lits[k] = litbuf[k];
		}
		if (n > 1 && round % 5 == 0) { /* one literal inside another */
			lens[1] = lens[0] > 2 ? lens[0] - 1 : lens[0];
			memcpy(litbuf[1], litbuf[0] + (lens[0] - lens[1]), lens[1]);
		}
		size_t tlen = (size_t)rand() % 300;
		char *text = malloc(tlen ? tlen : 1);
		assert_non_null(text);
		for (size_t j = 0; j < tlen; j++)
			text[j] = alpha[rand() % (sizeof(alpha) - 1)];
		struct litscan *ls = litscan_new(lits, lens, n);
		for (size_t from = 0; from <= tlen; from += 1 + (size_t)rand() % 7) {
			const char *want = naive_find(lits, lens, n, text + from, text + tlen);
			const char *got = litscan_find(ls, text + from, text + tlen);
			if (want != got)
				fail_msg("round %d from %zu: want %td, got %td", round, from,
					 want ? want - text : -1, got ? got - text : -1);
		}
		litscan_free(ls);
		free(text);
	}
}

static void test_many_literals(void **state)
{
	(void)state;
	/* more literals than the vector path takes: the memmem path answers */
	char litbuf[40][8];
	const char *lits[40];
	size_t lens[40];
	for (size_t k = 0; k < 40; k++) {
		snprintf(litbuf[k], sizeof(litbuf[k]), "key%02zu=", k);
		lits[k] = litbuf[k];
		lens[k] = strlen(litbuf[k]);
	}
	struct litscan *ls = litscan_new(lits, lens, 40);
	const char text[] = "key99= no\nkey4= no\nkey17=yes key03=also\n";
	char *buf = exact_copy(text, sizeof(text) - 1);
	const char *end = buf + sizeof(text) - 1;
	assert_int_equal(litscan_find(ls, buf, end) - buf, strstr(text, "key17") - text);
	assert_int_equal(litscan_find(ls, buf + 20, end) - buf, strstr(text, "key03") - text);
	free(buf);
	litscan_free(ls);
	assert_null(litscan_new(lits, lens, 0));
}

static void test_count_byte(void **state)
{
	(void)state;
	/* lengths around the 16-byte blocks and the 255-block flush */
	size_t sizes[] = { 0, 1, 15, 16, 17, 255 * 16 - 1, 255 * 16, 255 * 16 + 1, 3 * 255 * 16 + 77 };
	srand(7);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		char *buf = malloc(n ? n : 1);
		assert_non_null(buf);
		uint64_t want = 0;
		for (size_t i = 0; i < n; i++) {
			buf[i] = (rand() % 3 == 0) ? '\n' : (char)(rand() % 256);
			want += buf[i] == '\n';
		}
		assert_int_equal(count_byte(buf, buf + n, '\n'), want);
		memset(buf, '\n', n); /* every lane at its maximum */
		assert_int_equal(count_byte(buf, buf + n, '\n'), n);
		free(buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_lines),
		cmocka_unit_test(test_against_reference),
		cmocka_unit_test(test_many_literals),
		cmocka_unit_test(test_count_byte),
	};
	return cmocka_run_group_tests_name("litscan", tests, NULL, NULL);
}
