/* test_uuid.c - UUID normalisation, SMBIOS byte order, serials. */
#include "testutil.h"
#include "uuid.h"

static void test_normalize_forms(void **state)
{
	char a[UUID_STR_LEN + 1], b[UUID_STR_LEN + 1], c[UUID_STR_LEN + 1];
	(void)state;
	/* vmkfstools / ddb.uuid form, with the seed article's value */
	assert_true(uuid_normalize("60 00 C2 98 42 c7 54 f8-02 c2 d4 9b 20 6b 08 0c", a));
	assert_string_equal(a, "6000c298-42c7-54f8-02c2-d49b206b080c");
	assert_true(uuid_normalize("6000C298-42C7-54F8-02C2-D49B206B080C", b));
	assert_true(uuid_normalize("6000c29842c754f802c2d49b206b080c", c));
	assert_string_equal(a, b);
	assert_string_equal(a, c);
}

static void test_normalize_rejects(void **state)
{
	char out[UUID_STR_LEN + 1];
	(void)state;
	assert_false(uuid_normalize("60 00 C2 98", out)); /* too short */
	assert_false(uuid_normalize("60 00 C2 98 42 c7 54 f8-02 c2 d4 9b 20 6b 08 0c 11", out));
	assert_false(uuid_normalize("zz 00 C2 98 42 c7 54 f8-02 c2 d4 9b 20 6b 08 0c", out));
	assert_false(uuid_normalize("", out));
}

static void test_serial(void **state)
{
	char canon[UUID_STR_LEN + 1], serial[9];
	(void)state;
	assert_true(uuid_normalize("60 00 C2 9d 90 45 42 66-d7 cf ed f7 a2 eb f2 60", canon));
	uuid_serial(canon, serial);
	assert_string_equal(serial, "a2ebf260");
	assert_true(dimm_id_serial("8902-a2ebf260", serial));
	assert_string_equal(serial, "a2ebf260");
	/* long form of physical Intel DIMMs */
	assert_true(dimm_id_serial("8089-a2-1837-00000be8", serial));
	assert_string_equal(serial, "00000be8");
	assert_true(dimm_id_serial("8902-A2EBF260", serial));
	assert_string_equal(serial, "a2ebf260");
	assert_false(dimm_id_serial("8902-a2ebf2", serial));
	assert_false(dimm_id_serial("8902-a2ebf26z", serial));
}

static void test_smbios_swap(void **state)
{
	char bios[UUID_STR_LEN + 1], swapped[UUID_STR_LEN + 1], back[UUID_STR_LEN + 1];
	(void)state;
	/* formats.md 3.4: uuid.bios 42 13 38 a5 0a 6a b9 b4-b6 47 ... is seen by a
	 * SMBIOS >= 2.6 guest as a5381342-6a0a-b4b9-b647-... */
	assert_true(uuid_normalize("42 13 38 a5 0a 6a b9 b4-b6 47 30 07 99 1c f1 d6", bios));
	uuid_swap_smbios(bios, swapped);
	assert_string_equal(swapped, "a5381342-6a0a-b4b9-b647-3007991cf1d6");
	uuid_swap_smbios(swapped, back);
	assert_string_equal(back, bios);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_forms),
		cmocka_unit_test(test_normalize_rejects),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_smbios_swap),
	};
	return cmocka_run_group_tests_name("uuid", tests, NULL, NULL);
}
