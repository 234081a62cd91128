/* test_natsort.c - natural order of names: numbers by value however long,
 * a total order, and linear in the names' lengths. */
#include "natsort.h"
#include "testutil.h"

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_numbers_by_value(void **state)
{
	(void)state;
	assert_true(nat_compare("vm2", "vm10") < 0);
	assert_true(nat_compare("vm10", "vm2") > 0);
	assert_true(nat_compare("vm9-b", "vm10-a") < 0);
	assert_true(nat_compare("esx2-vm10", "esx2-vm9") > 0);
	assert_true(nat_compare("vm1", "vm1-a") < 0);
	assert_true(nat_compare("vm", "vm0") < 0);
	assert_int_equal(nat_compare("vm10", "vm10"), 0);
	/* letters without regard to case, before the tie on case */
	assert_true(nat_compare("VM2", "vm10") < 0);
	assert_true(nat_compare("Alpha", "beta") < 0);
}

static void test_total_order(void **state)
{
	(void)state;
	/* equal by value: the fewer leading zeros first, never 0 */
	assert_true(nat_compare("vm1", "vm01") < 0);
	assert_true(nat_compare("vm01", "vm1") > 0);
	assert_true(nat_compare("vm0", "vm00") < 0);
	assert_true(nat_compare("VM1", "vm1") < 0);
	assert_true(nat_compare("vm1", "VM1") > 0);
	/* the value decides before the zeros */
	assert_true(nat_compare("vm01", "vm2") < 0);
	/* NULL after every name */
	assert_true(nat_compare(NULL, "vm1") > 0);
	assert_true(nat_compare("vm1", NULL) < 0);
	assert_int_equal(nat_compare(NULL, NULL), 0);
	/* antisymmetric and transitive on a mixed set */
	const char *v[] = { "a", "a0", "a00", "a1", "a01", "A1", "a2", "a10", "a010", "b", "B", "a1b", "a1B", "", "0", "00", "9", "10" };
	size_t n = sizeof(v) / sizeof(v[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++) {
			assert_int_equal(sign(nat_compare(v[i], v[j])), -sign(nat_compare(v[j], v[i])));
			assert_true(i == j || nat_compare(v[i], v[j]) != 0);
			for (size_t k = 0; k < n; k++)
				if (nat_compare(v[i], v[j]) < 0 && nat_compare(v[j], v[k]) < 0)
					assert_true(nat_compare(v[i], v[k]) < 0);
		}
}

/* Digit runs far past any integer type: compared by length, then digits. */
static void test_long_digit_runs(void **state)
{
	(void)state;
	size_t n = 100000;
	char *a = malloc(n + 4), *b = malloc(n + 4), *c = malloc(n + 8);
	memcpy(a, "vm", 2);
	memset(a + 2, '9', n);
	a[n + 2] = 0;
	memcpy(b, "vm1", 3);
	memset(b + 3, '0', n);
	b[n + 3] = 0; /* 10^n: one digit longer than a */
	memcpy(c, "vm0000", 6);
	memcpy(c + 6, a + 2, n + 1); /* a's value with leading zeros */
	assert_true(nat_compare(a, b) < 0);
	assert_true(nat_compare(b, a) > 0);
	assert_true(nat_compare(a, c) < 0);
	assert_true(nat_compare(c, b) < 0);
	b[3] = '1'; /* 1100...0 > 1000...0 with the same length */
	char *d = strdup(b);
	d[3] = '0';
	assert_true(nat_compare(d, b) < 0);
	free(a);
	free(b);
	free(c);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_by_value),
		cmocka_unit_test(test_total_order),
		cmocka_unit_test(test_long_digit_runs),
	};
	return cmocka_run_group_tests_name("natsort", tests, NULL, NULL);
}
