/* when.c - bounded time parsing (when.h). */
#include "when.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* n decimal digits at *p, advancing it; false if any is not a digit. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; no timegm, whose
 * handling of out-of-range fields we do not want to depend on). */
static int64_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return false;
}

static bool check_fields(int y, int mo, int d, int h, int mi, int s, const char **why)
{
	if (y < 1970 || y > 9999)
		return fail(why, "year out of range");
	if (mo < 1 || mo > 12)
		return fail(why, "no such month");
	if (d < 1 || d > days_in(y, mo))
		return fail(why, "no such day in that month");
	if (h > 23 || mi > 59 || s > 60) /* 60: a leap second */
		return fail(why, "no such time of day");
	return true;
}

bool when_parse_offset(const char *s, int *seconds)
{
	int h, m = 0;
	if (!s || (*s != '+' && *s != '-'))
		return false;
	const char *p = s + 1;
	if (!digits(&p, 2, &h))
		return false;
	if (*p == ':')
		p++;
	if (*p >= '0' && *p <= '9' && !digits(&p, 2, &m))
		return false;
	if (*p && *p != ' ' && *p != '\t')
		return false;
	if (m > 59 || h * 3600 + m * 60 > WHEN_MAX_OFFSET)
		return false;
	*seconds = (*s == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return true;
}

bool when_parse_iso(const char *s, int64_t *t, const char **why)
{
	int y, mo, d, h, mi, sec, off = 0;
	const char *p = s;

	if (!s)
		return fail(why, "no time");
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d) || (*p != 'T' && *p != ' ') || (p++, !digits(&p, 2, &h)) ||
	    *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec))
		return fail(why, "not a YYYY-MM-DD HH:MM:SS time");
	if (!check_fields(y, mo, d, h, mi, sec, why))
		return false;
	if (*p == '.' || *p == ',') {
		const char *f = ++p;
		while (*p >= '0' && *p <= '9' && p - f < 9)
			p++;
		if (p == f || (*p >= '0' && *p <= '9'))
			return fail(why, "bad fraction of a second");
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		const char *o = p;
		p++;
		while ((*p >= '0' && *p <= '9') || *p == ':')
			p++;
		char buf[8];
		size_t n = (size_t)(p - o);
		if (n >= sizeof(buf))
			return fail(why, "zone offset out of range");
		memcpy(buf, o, n);
		buf[n] = '\0';
		if (!when_parse_offset(buf, &off))
			return fail(why, "zone offset out of range");
	}
	if (*p && *p != ' ' && *p != '\t')
		return fail(why, "unexpected text after the time");
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return true;
}

int64_t parse_utc(const char *s)
{
	int64_t t;
	return when_parse_iso(s, &t, NULL) ? t : -1;
}

bool when_parse_syslog(const char *s, int64_t ref, int64_t *t, const char **why)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int mo = -1, d, h, mi, sec;
	const char *p = s;

	if (!s || strlen(s) < 15)
		return fail(why, "not a syslog time");
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			mo = i + 1;
	p += 3;
	if (mo < 0 || *p++ != ' ')
		return fail(why, "not a syslog time");
	if (*p == ' ')
		p++, d = 0;
	if (!digits(&p, p[1] == ' ' ? 1 : 2, &d) || *p++ != ' ' || !digits(&p, 2, &h) ||
	    *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec))
		return fail(why, "not a syslog time");
	time_t rt = (time_t)(ref > 0 ? ref : 0);
	struct tm tm;
	gmtime_r(&rt, &tm);
	/* the year of ref, or the one before: December lines in a January
	 * bundle, and Feb 29 seen from the year after a leap year */
	for (int y = tm.tm_year + 1900, k = 0; k < 2; k++, y--) {
		if (!check_fields(y, mo, d, h, mi, sec, why))
			continue;
		int64_t v = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
		if (k == 0 && ref > 0 && v > ref + 86400)
			continue;
		*t = v;
		return true;
	}
	return false;
}

bool when_parse_any(const char *s, int64_t ref, int64_t *t, const char **why)
{
	if (s && s[0] >= '0' && s[0] <= '9')
		return when_parse_iso(s, t, why);
	return when_parse_syslog(s, ref, t, why);
}

void format_utc(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}
