/* when.h - times as bundles write them, read by field with bounds.
 *
 * Every time in a bundle is hostile text: "9999-99-99 99:99:99", an offset
 * of +99:99, a kernel-log time cut to "2026-03-05T1:2:3". These parsers
 * read each field with its exact width, check it against the calendar and
 * say why they refused, so that the caller can name the bundle, member
 * and line in a diagnostic instead of printing a time that never was.
 */
#ifndef PMEMMAP_WHEN_H
#define PMEMMAP_WHEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest accepted zone offset: UTC+14:00 (Line Islands), UTC-12:00. */
#define WHEN_MAX_OFFSET (14 * 3600)

/*
 * "YYYY-MM-DD[T ]HH:MM:SS[.frac][Z|+HH:MM|+HHMM|+HH]", or the forms of
 * bundle names: "YYYY-MM-DD" (its midnight), "YYYY-MM-DD--HH.MM"
 * (vm-support) and "YYYYmmddHHMMSS" (sos 3.x); then the end of the string
 * or a blank (the rest is ignored): seconds since the epoch, UTC (a time
 * without offset is taken as UTC). false, with a reason in *why (may be
 * NULL), when s is not such a time or names none that exists.
 */
bool when_parse_iso(const char *s, int64_t *t, const char **why);
/* The same, -1 when it is not a valid time. */
int64_t parse_utc(const char *s);

/* "Mar  5 09:57:45" (syslog, no year, local time): read in the year of
 * ref (seconds, UTC; <= 0: 1970), one year earlier when that puts it more
 * than a day after ref (December lines in a January bundle). */
bool when_parse_syslog(const char *s, int64_t ref, int64_t *t, const char **why);

/* A zone offset as timedatectl prints it, "+0100" or "-0530": seconds. */
bool when_parse_offset(const char *s, int *seconds);

/* date(1) in the C locale, "Wed Oct  2 02:54:30 UTC 2019": an offset
 * (+0100) is applied, a zone name other than UTC/GMT is not known here and
 * the time is read as written. */
bool when_parse_date(const char *s, int64_t *t, const char **why);

/* Any form, as the rules capture it: a leading digit means ISO, a day of
 * the week date(1), else syslog. */
bool when_parse_any(const char *s, int64_t ref, int64_t *t, const char **why);

/* "2026-03-05 10:31:05" (UTC). */
void format_utc(int64_t t, char *buf, size_t size);

#endif
