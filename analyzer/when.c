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

/* After "YYYY-MM-DD": "[T ]HH:MM:SS[.frac]", or "--HH.MM" (the time in
 * a vm-support name), or nothing (a date alone is its midnight). */
static bool clock_part(const char **pp, int *h, int *mi, int *sec, bool *seconds)
{
	const char *p = *pp;
	*h = *mi = *sec = 0;
	*seconds = false;
	if (p[0] == '-' && p[1] == '-') {
		p += 2;
		if (!digits(&p, 2, h) || *p++ != '.' || !digits(&p, 2, mi))
			return false;
	} else if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(&p, 2, h) || *p++ != ':' || !digits(&p, 2, mi) || *p++ != ':' || !digits(&p, 2, sec))
			return false;
		*seconds = true;
	} else if (*p && *p != '\t') {
		return false;
	}
	*pp = p;
	return true;
}

/* A zone after the time: Z, +HH:MM, +HHMM, +HH; 0 when there is none. */
static bool zone_part(const char **pp, int *off, const char **why)
{
	const char *p = *pp;
	*off = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		const char *o = p++;
		while ((*p >= '0' && *p <= '9') || *p == ':')
			p++;
		char buf[8];
		size_t n = (size_t)(p - o);
		if (n >= sizeof(buf) || (memcpy(buf, o, n), buf[n] = '\0', !when_parse_offset(buf, off)))
			return fail(why, "zone offset out of range");
	}
	*pp = p;
	return true;
}

/* "YYYYmmddHHMMSS", the time in an sos 3.x archive name. */
static bool compact(const char *s, int64_t *t, const char **why)
{
	int y, mo, d, h, mi, sec;
	const char *p = s;
	if (!digits(&p, 4, &y) || !digits(&p, 2, &mo) || !digits(&p, 2, &d) || !digits(&p, 2, &h) ||
	    !digits(&p, 2, &mi) || !digits(&p, 2, &sec) || (*p >= '0' && *p <= '9'))
		return fail(why, "not a YYYY-MM-DD HH:MM:SS time");
	if (!check_fields(y, mo, d, h, mi, sec, why))
		return false;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return true;
}

bool when_parse_iso(const char *s, int64_t *t, const char **why)
{
	int y, mo, d, h, mi, sec, off = 0;
	bool seconds;
	const char *p = s;

	if (!s)
		return fail(why, "no time");
	if (strspn(s, "0123456789") == 14)
		return compact(s, t, why);
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d) ||
	    !clock_part(&p, &h, &mi, &sec, &seconds))
		return fail(why, "not a YYYY-MM-DD HH:MM:SS time");
	if (!check_fields(y, mo, d, h, mi, sec, why))
		return false;
	if (seconds && (*p == '.' || *p == ',')) {
		const char *f = ++p;
		while (*p >= '0' && *p <= '9' && p - f < 9)
			p++;
		if (p == f || (*p >= '0' && *p <= '9'))
			return fail(why, "bad fraction of a second");
	}
	if (seconds && !zone_part(&p, &off, why))
		return false;
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

static int month_of(const char *p)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months + 3 * i, 3))
			return i + 1;
	return -1;
}

bool when_parse_syslog(const char *s, int64_t ref, int64_t *t, const char **why)
{
	int mo, d, h, mi, sec;
	const char *p = s;

	if (!s || strlen(s) < 15)
		return fail(why, "not a syslog time");
	mo = month_of(p);
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


bool when_parse_date(const char *s, int64_t *t, const char **why)
{
	static const char days[] = "MonTueWedThuFriSatSun";
	int y, mo, d, h, mi, sec, off = 0;
	const char *p = s;
	bool wday = false;

	for (int i = 0; s && i < 7 && !wday; i++)
		wday = !memcmp(s, days + 3 * i, 3) && s[3] == ' ';
	if (!wday || (mo = month_of(s + 4)) < 0 || s[7] != ' ')
		return fail(why, "not a date(1) time");
	p = s + 8;
	if (*p == ' ')
		p++;
	if (!digits(&p, p[1] == ' ' ? 1 : 2, &d) || *p++ != ' ' || !digits(&p, 2, &h) || *p++ != ':' ||
	    !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec) || *p++ != ' ')
		return fail(why, "not a date(1) time");
	/* the zone: UTC, an offset, or a local abbreviation (CET, KST: its
	 * offset is not written, the time is read as written) */
	const char *z = p;
	while (*p && *p != ' ')
		p++;
	if ((*z == '+' || *z == '-') && p - z == 5) {
		char buf[6];
		memcpy(buf, z, 5);
		buf[5] = '\0';
		if (!when_parse_offset(buf, &off))
			return fail(why, "zone offset out of range");
	}
	if (*p++ != ' ' || !digits(&p, 4, &y) || (*p && *p != ' ' && *p != '\n'))
		return fail(why, "not a date(1) time");
	if (!check_fields(y, mo, d, h, mi, sec, why))
		return false;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
	return true;
}

bool when_parse_any(const char *s, int64_t ref, int64_t *t, const char **why)
{
	if (s && s[0] >= '0' && s[0] <= '9')
		return when_parse_iso(s, t, why);
	if (s && strlen(s) > 8 && s[3] == ' ' && month_of(s + 4) > 0)
		return when_parse_date(s, t, why);
	return when_parse_syslog(s, ref, t, why);
}

void format_utc(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}
