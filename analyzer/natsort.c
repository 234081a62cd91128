/* natsort.c - natural order of names (natsort.h). */
#include "natsort.h"

#include <stddef.h>

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Compare the digit runs at *pa and *pb, moving both past their runs;
 * *tie gets the first difference in leading zeros, if none before. */
static int digit_runs(const unsigned char **pa, const unsigned char **pb, int *tie)
{
	const unsigned char *a = *pa, *b = *pb;
	size_t za = 0, zb = 0, la = 0, lb = 0;
	while (*a == '0')
		a++, za++;
	while (*b == '0')
		b++, zb++;
	const unsigned char *da = a, *db = b;
	while (is_digit(*a))
		a++, la++;
	while (is_digit(*b))
		b++, lb++;
	*pa = a;
	*pb = b;
	if (la != lb) /* more significant digits: the larger number */
		return la < lb ? -1 : 1;
	for (size_t i = 0; i < la; i++)
		if (da[i] != db[i])
			return da[i] < db[i] ? -1 : 1;
	if (!*tie && za != zb)
		*tie = za < zb ? -1 : 1;
	return 0;
}

int nat_compare(const char *sa, const char *sb)
{
	if (!sa || !sb)
		return sa == sb ? 0 : sa ? -1 : 1;
	const unsigned char *a = (const unsigned char *)sa, *b = (const unsigned char *)sb;
	int tie = 0;
	while (*a && *b) {
		if (is_digit(*a) && is_digit(*b)) {
			int r = digit_runs(&a, &b, &tie);
			if (r)
				return r;
			continue;
		}
		if (fold(*a) != fold(*b))
			return fold(*a) < fold(*b) ? -1 : 1;
		if (!tie && *a != *b)
			tie = *a < *b ? -1 : 1;
		a++, b++;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	return tie;
}
