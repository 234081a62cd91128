/* test_when.c - times as bundles write them: every accepted form, the
 * calendar's bounds, zone offsets of both signs, syslog's missing year. */
#include "testutil.h"
#include "when.h"

/* 2026-03-05 10:31:05 UTC */
#define T0 1772706665LL

static void test_iso_forms(void **state)
{
	int64_t t;
	(void)state;
	assert_int_equal(parse_utc("2026-03-05 10:31:05"), T0);
	assert_int_equal(parse_utc("2026-03-05T10:31:05Z"), T0);
	assert_int_equal(parse_utc("2026-03-05T10:31:05.123456"), T0);
	assert_int_equal(parse_utc("2026-03-05 10:31:05 UTC"), T0); /* text after a blank */
	/* an offset east of UTC is subtracted, west is added */
	assert_int_equal(parse_utc("2026-03-05T11:31:05+01:00"), T0);
	assert_int_equal(parse_utc("2026-03-05T11:31:05+0100"), T0);
	assert_int_equal(parse_utc("2026-03-05T11:31:05+01"), T0);
	assert_int_equal(parse_utc("2026-03-05T05:01:05-05:30"), T0);
	assert_int_equal(parse_utc("2026-03-06T00:31:05+14:00"), T0);
	/* leap years and a leap second */
	assert_true(when_parse_iso("2024-02-29 00:00:00", &t, NULL));
	assert_true(when_parse_iso("2000-02-29 00:00:00", &t, NULL));
	assert_true(when_parse_iso("2016-12-31 23:59:60", &t, NULL));
	assert_int_equal(parse_utc("1970-01-01 00:00:00"), 0);
}

static void test_iso_rejects(void **state)
{
	const char *why = NULL;
	int64_t t;
	(void)state;
	assert_false(when_parse_iso("9999-99-99 99:99:99", &t, &why));
	assert_string_equal(why, "no such month");
	assert_false(when_parse_iso("2026-03-05T1:2:3", &t, &why));
	assert_string_equal(why, "not a YYYY-MM-DD HH:MM:SS time");
	assert_false(when_parse_iso("2026-03-05T10:31:05+99:99", &t, &why));
	assert_string_equal(why, "zone offset out of range");
	assert_false(when_parse_iso("2026-03-05T10:31:05+14:01", &t, NULL));
	assert_false(when_parse_iso("2026-03-05T10:31:05+01:60", &t, NULL));
	assert_false(when_parse_iso("2025-02-29 00:00:00", &t, &why));
	assert_string_equal(why, "no such day in that month");
	assert_false(when_parse_iso("1900-02-29 00:00:00", &t, NULL));
	assert_false(when_parse_iso("2026-04-31 00:00:00", &t, NULL));
	assert_false(when_parse_iso("2026-03-05 24:00:00", &t, NULL));
	assert_false(when_parse_iso("2026-03-05 10:60:00", &t, NULL));
	assert_false(when_parse_iso("1969-12-31 23:59:59", &t, NULL));
	assert_false(when_parse_iso("2026-03-05 10:31:05x", &t, NULL));
	assert_false(when_parse_iso("2026-03-05 10:31:05.", &t, NULL));
	assert_false(when_parse_iso("2026-03-05 10:31", &t, NULL));
	assert_false(when_parse_iso("", &t, NULL));
	assert_false(when_parse_iso(NULL, &t, NULL));
	assert_int_equal(parse_utc("2026-3-5 10:31:05"), -1);
}

static void test_offsets(void **state)
{
	int o;
	(void)state;
	assert_true(when_parse_offset("+0100", &o));
	assert_int_equal(o, 3600);
	assert_true(when_parse_offset("-0530", &o));
	assert_int_equal(o, -(5 * 3600 + 30 * 60));
	assert_true(when_parse_offset("+14:00", &o));
	assert_int_equal(o, 14 * 3600);
	assert_false(when_parse_offset("+9999", &o));
	assert_false(when_parse_offset("0100", &o));
	assert_false(when_parse_offset("+1", &o));
	assert_false(when_parse_offset(NULL, &o));
}

static void test_syslog(void **state)
{
	int64_t t;
	(void)state;
	/* the year of the collection time */
	assert_true(when_parse_syslog("Mar  5 10:31:05", T0, &t, NULL));
	assert_int_equal(t, T0);
	assert_true(when_parse_syslog("Mar 05 10:31:05", T0, &t, NULL));
	assert_int_equal(t, T0);
	/* a December line in a January bundle belongs to the year before */
	int64_t jan2 = parse_utc("2026-01-02 08:00:00");
	assert_true(when_parse_syslog("Dec 31 23:00:00", jan2, &t, NULL));
	assert_int_equal(t, parse_utc("2025-12-31 23:00:00"));
	/* up to a day after the collection time stays in its year (zones) */
	assert_true(when_parse_syslog("Jan  2 20:00:00", jan2, &t, NULL));
	assert_int_equal(t, parse_utc("2026-01-02 20:00:00"));
	/* Feb 29 seen from the year after a leap year */
	assert_true(when_parse_syslog("Feb 29 12:00:00", parse_utc("2025-03-01 00:00:00"), &t, NULL));
	assert_int_equal(t, parse_utc("2024-02-29 12:00:00"));
	assert_false(when_parse_syslog("Feb 30 12:00:00", T0, &t, NULL));
	assert_false(when_parse_syslog("Foo  5 10:31:05", T0, &t, NULL));
	assert_false(when_parse_syslog("Mar  5 25:31:05", T0, &t, NULL));
	assert_false(when_parse_syslog("Mar  5", T0, &t, NULL));
	/* either form by its first character */
	assert_true(when_parse_any("2026-03-05 10:31:05", 0, &t, NULL));
	assert_int_equal(t, T0);
	assert_true(when_parse_any("Mar  5 10:31:05", T0, &t, NULL));
	assert_int_equal(t, T0);
}

static void test_format(void **state)
{
	char buf[32];
	(void)state;
	format_utc(T0, buf, sizeof(buf));
	assert_string_equal(buf, "2026-03-05 10:31:05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iso_forms),   cmocka_unit_test(test_iso_rejects),
		cmocka_unit_test(test_offsets),     cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
