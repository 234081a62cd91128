/* test_util.c - the helpers the analysis leans on: the string map's own
 * key blocks, lists that start small, a buffer cut short, numbers, writes. */
#include "strtab.h"
#include "testutil.h"

#include <errno.h>
#include <unistd.h>

/* Keys are copies in the map's blocks: found after the table has grown
 * many times, a key too long for a block in a block of its own, the
 * empty key a key like any other, and a key's copy never moves. */
static void test_strmap_keys(void **state)
{
	struct strmap sm;
	char key[32];
	(void)state;
	strmap_init(&sm);
	struct strmap_ent *e = strmap_get(&sm, "", 0, true);
	assert_non_null(e);
	e->count = 7;
	const char *first = NULL;
	for (int i = 0; i < 20000; i++) {
		int n = snprintf(key, sizeof(key), "nmem%d", i);
		e = strmap_get(&sm, key, (size_t)n, true);
		assert_int_equal(e->count, 0);
		e->count = (size_t)i + 1;
		if (!i)
			first = e->key;
	}
	size_t big = 100 * 1024;
	char *long_key = xmalloc(big);
	memset(long_key, 'x', big);
	strmap_get(&sm, long_key, big, true)->count = 99;
	assert_int_equal(sm.len, 20002);
	for (int i = 0; i < 20000; i += 997) {
		int n = snprintf(key, sizeof(key), "nmem%d", i);
		e = strmap_get(&sm, key, (size_t)n, false);
		assert_non_null(e);
		assert_int_equal(e->count, (size_t)i + 1);
		assert_memory_equal(e->key, key, (size_t)n);
	}
	e = strmap_get(&sm, "nmem0", 5, false);
	assert_ptr_equal(e->key, first);
	assert_int_equal(strmap_get(&sm, "", 0, false)->count, 7);
	assert_int_equal(strmap_get(&sm, long_key, big, false)->count, 99);
	long_key[big - 1] = 'y';
	assert_null(strmap_get(&sm, long_key, big, false));
	assert_null(strmap_get(&sm, "nmem20000", 9, false));
	free(long_key);
	strmap_free(&sm);
	assert_null(sm.keys);
}

/* A list every device holds once starts with room for what it holds
 * (one namespace), then doubles like any other. */
static void test_grow_from(void **state)
{
	int *v = NULL;
	size_t cap = 0;
	(void)state;
	v = grow_from(v, &cap, 1, sizeof(*v), 1);
	assert_int_equal(cap, 1);
	v = grow_from(v, &cap, 1, sizeof(*v), 1);
	assert_int_equal(cap, 1);
	v = grow_from(v, &cap, 2, sizeof(*v), 1);
	assert_int_equal(cap, 2);
	v = grow_from(v, &cap, 5, sizeof(*v), 1);
	assert_int_equal(cap, 8);
	free(v);
	v = NULL;
	cap = 0;
	v = grow(v, &cap, 1, sizeof(*v));
	assert_int_equal(cap, 8);
	free(v);
}

static void test_buf_truncate(void **state)
{
	struct buf b;
	(void)state;
	buf_init(&b);
	buf_puts(&b, "[\n  {\"dev\":\"nmem0\"}");
	buf_truncate(&b, 4);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "[\n  ");
	buf_truncate(&b, 10); /* longer than it holds: unchanged */
	assert_string_equal(b.data, "[\n  ");
	buf_puts(&b, "null");
	assert_string_equal(b.data, "[\n  null");
	buf_reset(&b); /* empty, and still a string */
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

/* Numbers as ndctl and the vmx print them: spaces before, decimal or 0x
 * hex, never octal; junk and overflow refused. */
static void test_parse_u64(void **state)
{
	uint64_t v = 0;
	(void)state;
	assert_true(parse_u64("  42", &v));
	assert_int_equal(v, 42);
	assert_true(parse_u64("010", &v));
	assert_int_equal(v, 10);
	assert_true(parse_u64("0x1f", &v));
	assert_int_equal(v, 31);
	assert_false(parse_u64("-1", &v));
	assert_false(parse_u64("99999999999999999999999", &v));
}

/* write_all: every byte, or -1 with errno (a closed descriptor). */
static void test_write_all(void **state)
{
	int fd[2];
	char back[6] = { 0 };
	(void)state;
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(write_all(fd[1], "hello", 5), 0);
	assert_int_equal(read(fd[0], back, 5), 5);
	assert_string_equal(back, "hello");
	close(fd[0]);
	close(fd[1]);
	errno = 0;
	assert_int_equal(write_all(fd[1], "x", 1), -1);
	assert_int_equal(errno, EBADF);
}

/* The arena hands out aligned memory that lives with the table. */
static void test_strtab_alloc(void **state)
{
	struct strtab t;
	(void)state;
	strtab_init(&t);
	const char *s = strtab_intern(&t, "a", 1);
	for (int i = 0; i < 10000; i++) {
		void *p = strtab_alloc(&t, 24, 8);
		assert_int_equal((uintptr_t)p % 8, 0);
		memset(p, 0xab, 24);
	}
	assert_string_equal(s, "a");
	assert_ptr_equal(strtab_intern(&t, "a", 1), s);
	strtab_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strmap_keys),
		cmocka_unit_test(test_grow_from),
		cmocka_unit_test(test_buf_truncate),
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_write_all),
		cmocka_unit_test(test_strtab_alloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
