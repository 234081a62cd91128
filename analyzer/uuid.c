/* uuid.c - UUID normalisation and the 32-bit serial used as join key. */
#include "uuid.h"

#include <ctype.h>
#include <string.h>

bool uuid_normalize(const char *in, char out[UUID_STR_LEN + 1])
{
	char hex[32];
	int n = 0;

	for (const char *p = in; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isxdigit(c)) {
			if (n == 32)
				return false;
			hex[n++] = (char)tolower(c);
		} else if (!strchr(" -:{}\t", c)) {
			return false;
		}
	}
	if (n != 32)
		return false;
	int o = 0;
	for (int i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			out[o++] = '-';
		out[o++] = hex[i];
	}
	out[o] = '\0';
	return true;
}

void uuid_swap_smbios(const char in[UUID_STR_LEN + 1], char out[UUID_STR_LEN + 1])
{
	/* byte positions (as pairs of chars) in canonical text */
	static const int order[] = { 6, 4, 2, 0, 11, 9, 16, 14 };
	memcpy(out, in, UUID_STR_LEN + 1);
	int o[] = { 0, 2, 4, 6, 9, 11, 14, 16 };
	for (int i = 0; i < 8; i++) {
		out[o[i]] = in[order[i]];
		out[o[i] + 1] = in[order[i] + 1];
	}
}

void uuid_serial(const char canon[UUID_STR_LEN + 1], char out[9])
{
	memcpy(out, canon + UUID_STR_LEN - 8, 8);
	out[8] = '\0';
}

bool dimm_id_serial(const char *id, char out[9])
{
	const char *last = strrchr(id, '-');
	last = last ? last + 1 : id;
	if (strlen(last) != 8)
		return false;
	for (int i = 0; i < 8; i++) {
		if (!isxdigit((unsigned char)last[i]))
			return false;
		out[i] = (char)tolower((unsigned char)last[i]);
	}
	out[8] = '\0';
	return true;
}
