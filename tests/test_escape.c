/* test_escape.c - every output context's escape, on the strings an
 * attacker would put in a name, and the wrapping of Markdown paragraphs
 * (mdwrap.h) around them. tests/md-check.sh renders whole reports with
 * real CommonMark renderers; these pin the rules one by one. */
#include "testutil.h"
#include "escape.h"
#include "mdwrap.h"

static char *run_esc(void (*f)(struct buf *, const char *), const char *s)
{
	struct buf b;
	buf_init(&b);
	f(&b, s);
	return buf_steal(&b);
}

static char *code(const char *s, bool cell)
{
	struct buf b;
	buf_init(&b);
	esc_md_code(&b, s, cell);
	return buf_steal(&b);
}

#define EXPECT(call, want)                       \
	do {                                     \
		char *got_ = (call);             \
		assert_string_equal(got_, want); \
		free(got_);                      \
	} while (0)

static void test_md_text(void **state)
{
	(void)state;
	EXPECT(run_esc(esc_md_text, "pmem-guest-001.vmdk (16 GiB)"), "pmem-guest-001.vmdk (16 GiB)");
	EXPECT(run_esc(esc_md_text, "<img src=x>"), "\\<img src=x\\>");
	EXPECT(run_esc(esc_md_text, "[a](javascript:alert(1))"), "\\[a\\](javascript:alert(1))");
	EXPECT(run_esc(esc_md_text, "*e* _u_ ~~s~~ `c` a|b &amp; #h ![i](x) \\"),
	       "\\*e\\* \\_u\\_ \\~\\~s\\~\\~ \\`c\\` a\\|b \\&amp; \\#h !\\[i\\](x) \\\\");
	/* GFM autolinks start at "www." and "://": an escaped character breaks them */
	EXPECT(run_esc(esc_md_text, "see https://x.example and WWW.x.example"),
	       "see https\\://x.example and WWW\\.x.example");
	EXPECT(run_esc(esc_md_text, NULL), "");
	EXPECT(run_esc(esc_md_cell, ""), "–");
	EXPECT(run_esc(esc_md_cell, NULL), "–");
	EXPECT(run_esc(esc_md_cell, "/data|x"), "/data\\|x");
}

static void test_md_code(void **state)
{
	(void)state;
	EXPECT(code("a/b.vmx:12", false), "`a/b.vmx:12`");
	/* a fence longer than the longest backtick run inside */
	EXPECT(code("x``<img>``", false), "``` x``<img>`` ```");
	EXPECT(code("x``<img>``y", false), "```x``<img>``y```");
	EXPECT(code("a`b", false), "``a`b``");
	/* text that starts or ends with a backtick or a space is padded */
	EXPECT(code("`x", false), "`` `x ``");
	EXPECT(code(" x", false), "` x`");
	EXPECT(code(" x ", false), "`  x  `");
	EXPECT(code("", false), "` `");
	/* inside a GFM table cell '|' needs its backslash even in code */
	EXPECT(code("a|b", true), "`a\\|b`");
	EXPECT(code("a|b", false), "`a|b`");
	EXPECT(code("line\nbreak", false), "`line\\x0abreak`");
}

static void test_controls_visible(void **state)
{
	(void)state;
	/* C0, DEL, C1 (as UTF-8), bidi override, line separator, bad UTF-8 */
	EXPECT(run_esc(esc_term, "a\x1b]0;T\x07" "b"), "a\\x1b]0;T\\x07b");
	EXPECT(run_esc(esc_term, "\x7f\xc2\x9b" "31m"), "\\x7f\\x9b31m");
	EXPECT(run_esc(esc_term, "abc\xe2\x80\xae" "fdp.exe"), "abc\\u202efdp.exe");
	EXPECT(run_esc(esc_term, "x\xe2\x80\xa8y"), "x\\u2028y");
	EXPECT(run_esc(esc_term, "\xff\xfe ok"), "\\xff\\xfe ok");
	EXPECT(run_esc(esc_term, "caf\xc3\xa9 \xe2\x80\x93 ok"), "caf\xc3\xa9 \xe2\x80\x93 ok");
	/* in Markdown text the backslash of the visible form is escaped too */
	EXPECT(run_esc(esc_md_text, "a\x1b" "b"), "a\\\\x1bb");
	EXPECT(run_esc(esc_html, "<b title='x'>\x07&"), "&lt;b title=&#39;x&#39;&gt;\\x07&amp;");
}

/* esc_term_fit's text in cols columns, and the columns it says it took */
static char *term_fit(const char *s, size_t cols, enum term_cut cut, size_t *took)
{
	struct buf b;
	buf_init(&b);
	*took = esc_term_fit(&b, s, cols, cut);
	return buf_steal(&b);
}

#define FIT(s, cols, cut, want, want_cols)                        \
	do {                                                      \
		size_t took_;                                     \
		EXPECT(term_fit(s, cols, cut, &took_), want);     \
		assert_int_equal(took_, want_cols);               \
	} while (0)

static void test_term_fit(void **state)
{
	(void)state;
	/* fits: as esc_term makes it */
	FIT("pmem-guest-001.vmdk", 19, CUT_END, "pmem-guest-001.vmdk", 19);
	FIT("", 5, CUT_END, "", 0);
	/* one column short: cut, and the mark takes the last column */
	FIT("pmem-guest-001.vmdk", 18, CUT_END, "pmem-guest-001.vm\xe2\x80\xa6", 18);
	/* the middle: names that differ at the end stay told apart */
	FIT("pmem-guest-001_1.vmdk", 11, CUT_MIDDLE, "pmem-\xe2\x80\xa6.vmdk", 11);
	FIT("pmem-guest-001_1.vmdk", 12, CUT_MIDDLE, "pmem-g\xe2\x80\xa6.vmdk", 12);
	/* a control character counts as the visible text it becomes */
	FIT("a\x1b[2Jb", 6, CUT_END, "a\\x1b\xe2\x80\xa6", 6);
	FIT("a\x1b[2Jb", 9, CUT_END, "a\\x1b[2Jb", 9);
	/* wide characters take two columns, combining marks none; never half a character */
	FIT("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6, CUT_END, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 6);
	FIT("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 5, CUT_END, "\xe6\x97\xa5\xe6\x9c\xac\xe2\x80\xa6", 5);
	FIT("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 4, CUT_END, "\xe6\x97\xa5\xe2\x80\xa6", 3);
	FIT("e\xcc\x81te", 3, CUT_END, "e\xcc\x81te", 3);
	/* bytes that are no UTF-8 are escaped first, then counted */
	FIT("\xff\xfe", 8, CUT_END, "\\xff\\xfe", 8);
	FIT("\xff\xfe", 7, CUT_MIDDLE, "\\xf\xe2\x80\xa6xfe", 7);
	/* no room at all: nothing */
	FIT("abc", 0, CUT_END, "", 0);
	FIT("abc", 1, CUT_MIDDLE, "\xe2\x80\xa6", 1);
	assert_int_equal(esc_term_width("a\tb\xe6\x97\xa5"), 1 + 4 + 1 + 2);
}

static void test_json_text(void **state)
{
	struct buf b;
	(void)state;
	buf_init(&b);
	buf_puts(&b, "{\"a\":\"x\x7fy\xc2\x85z\xe2\x80\xaeq\xc3\xa9\"}");
	esc_json_text(&b, 0);
	assert_string_equal(b.data, "{\"a\":\"x\\u007fy\\u0085z\\u202eq\xc3\xa9\"}");
	buf_free(&b);
}

/* ---- mdwrap: paragraphs in lines of bounded length ------------------------ */

/* Every line of md within MDW_MAX bytes; every line after the first
 * starts with cont and then with nothing that starts a block. */
static void assert_wrapped(const char *md, const char *cont)
{
	size_t n = strlen(cont), lines = 0;
	for (const char *l = md, *e; *l; l = e + 1, lines++) {
		e = strchr(l, '\n');
		assert_non_null(e);
		if ((size_t)(e - l) > MDW_MAX)
			fail_msg("line of %zu bytes: %.60s", (size_t)(e - l), l);
		if (l == md)
			continue;
		assert_memory_equal(l, cont, n);
		const char *t = l + n;
		size_t d = strspn(t, "0123456789");
		if (*t == '-' || *t == '+' || *t == '=' || !strncmp(t, "```", 3) || *t == ' ' ||
		    (d && (t[d] == '.' || t[d] == ')') && (t[d + 1] == ' ' || t + d + 1 == e)))
			fail_msg("a continuation line starts a block: %.60s", l);
	}
	assert_true(lines > 1);
}

static char *para(const char *cont, void (*fill)(struct mdpara *p))
{
	struct buf b;
	struct mdpara p;
	buf_init(&b);
	mdp_start(&p, &b, "- lead:", cont);
	fill(&p);
	mdp_end(&p);
	return buf_steal(&b);
}

static const char *special; /* the word words_then_special puts at line ends */
static size_t filler_len;

/* fillers, then the special word often enough to fall on a line's start */
static void words_then_special(struct mdpara *p)
{
	char filler[32];
	memset(filler, 'a', filler_len);
	filler[filler_len] = '\0';
	for (int i = 0; i < 60; i++) {
		mdp_text(p, " ", filler);
		mdp_text(p, " ", special);
	}
}

/* A line breaks before a word that would start a list item, a rule or a
 * heading only with a backslash that keeps it text. */
static void test_wrap_block_starts(void **state)
{
	static const char *const starts[][2] = { { "-", "\\-" },     { "+", "\\+" },	  { "=", "\\=" },
						 { "1.", "1\\." },   { "2)", "2\\)" },   { "===", "\\===" },
						 { "---", "\\---" }, { "10.", "10\\." }, { "1.5", "1.5" } };
	(void)state;
	for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
		bool seen = false;
		special = starts[i][0];
		for (filler_len = 1; filler_len < 20; filler_len++) {
			char *md = para("  ", words_then_special);
			assert_wrapped(md, "  ");
			assert_null(strstr(md, MDW_CUT));
			char *want = xasprintf("\n  %s ", starts[i][1]);
			seen |= strstr(md, want) != NULL;
			free(want);
			free(md);
		}
		if (!seen)
			fail_msg("no line started with %s", starts[i][1]);
	}
}

static void fenced_spans(struct mdpara *p)
{
	for (int i = 0; i < 20; i++)
		mdp_code(p, ", ", "member``with-backticks/and/a/path/long/enough", 110);
}

static void fenced_spans_no_glue(struct mdpara *p)
{
	for (int i = 0; i < 20; i++)
		mdp_code(p, " ", "member``with-backticks/and/a/path/long/enough", 110);
}

/* A code span fenced by three backticks cannot start a line: the line
 * breaks before its separator; with none, the paragraph is cut, marked. */
static void test_wrap_fenced_spans(void **state)
{
	(void)state;
	char *md = para("    ", fenced_spans);
	assert_wrapped(md, "    ");
	assert_non_null(strstr(md, "\n    , ```member``with"));
	assert_null(strstr(md, MDW_CUT));
	free(md);
	md = para("    ", fenced_spans_no_glue);
	assert_non_null(strstr(md, MDW_CUT "\n"));
	assert_null(strchr(md, '\n') + 1 < md + strlen(md) ? strchr(strchr(md, '\n') + 1, '\n') : NULL);
	assert_true(strlen(md) - 1 <= MDW_MAX);
	free(md);
}

static void long_words(struct mdpara *p)
{
	char *w = xmalloc(3001);
	memset(w, 'x', 3000);
	w[3000] = '\0';
	memcpy(w + 2990, "-end", 4);
	mdp_text(p, " ", "before");
	mdp_text(p, " ", w);
	mdp_text(p, " ", "\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b\x1b"
			     "\x1b\x1b\x1b\x1b\x1b\x1b");
	mdp_code(p, " ", w, 110);
	mdp_text(p, " ", "after");
	free(w);
}

/* A word or code span too long for a line is shortened in its middle,
 * marked, its end kept; escaping that lengthens it counts. */
static void test_wrap_long_words(void **state)
{
	(void)state;
	char *md = para("  ", long_words);
	assert_wrapped(md, "  ");
	assert_non_null(strstr(md, "xxx…xxx"));
	assert_non_null(strstr(md, "xx-endxxxxxx"));
	assert_non_null(strstr(md, "\\\\x1b…\\\\x1b"));
	assert_non_null(strstr(md, " after\n"));
	free(md);
	/* at character boundaries: é is two bytes */
	char *s = md_shorten("éééééééééééééééééééé", 11);
	assert_true(strlen(s) <= 11);
	assert_string_equal(s, "é…ééé");
	free(s);
	s = md_shorten("éééééééééééééééééééé", 12); /* the cut falls inside an é: before it */
	assert_string_equal(s, "é…ééé");
	free(s);
	s = md_shorten("short", 11);
	assert_string_equal(s, "short");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md_text),
		cmocka_unit_test(test_md_code),
		cmocka_unit_test(test_controls_visible),
		cmocka_unit_test(test_json_text),
		cmocka_unit_test(test_term_fit),
		cmocka_unit_test(test_wrap_block_starts),
		cmocka_unit_test(test_wrap_fenced_spans),
		cmocka_unit_test(test_wrap_long_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
