/* limits.c - the limit table: defaults, flags and help text. */
#include "limits.h"

#include <stddef.h>

#include "util.h"

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)

const struct limit_desc limit_table[] = {
	{ "--max-member-bytes", "bytes read from one member", offsetof(struct limits, member_bytes),
	  16 * GiB, true },
	{ "--max-total-bytes", "inflated bytes from one input, nested archives included",
	  offsetof(struct limits, total_bytes), 256 * GiB, true },
	{ "--max-ratio", "inflated:compressed ratio of one input (archive bombs)",
	  offsetof(struct limits, ratio), 250, false },
	{ "--ratio-floor", "inflated bytes before --max-ratio is checked",
	  offsetof(struct limits, ratio_floor), 256 * MiB, true },
	{ "--max-depth", "levels of archives, the input the first (a zip holding a tgz is 2)",
	  offsetof(struct limits, depth), 4, false },
	{ "--max-line-bytes", "longest line matched; longer lines are skipped with a warning",
	  offsetof(struct limits, line_bytes), 1 * MiB, true },
	{ "--max-members", "members read from one bundle", offsetof(struct limits, members),
	  2000000, false },
	{ "--max-json-bytes", "largest JSON value read from one member",
	  offsetof(struct limits, json_bytes), 64 * MiB, true },
	{ "--max-json-depth", "nesting depth of JSON values", offsetof(struct limits, json_depth), 64,
	  false },
	{ "--match-limit", "pcre2 match limit per line and rule", offsetof(struct limits, match_limit),
	  1000000, false },
	{ "--match-depth", "pcre2 backtracking depth limit per line and rule",
	  offsetof(struct limits, depth_limit), 10000, false },
	{ "--max-facts", "facts kept from one input, nested archives included; the rest are dropped "
	  "with an error (a batch's facts files likewise)",
	  offsetof(struct limits, facts), 500000, false },
};

const unsigned limit_count = sizeof(limit_table) / sizeof(limit_table[0]);

uint64_t *limit_field(struct limits *l, const struct limit_desc *d)
{
	return (uint64_t *)((char *)l + d->offset);
}

void limits_default(struct limits *l)
{
	for (unsigned i = 0; i < limit_count; i++)
		*limit_field(l, &limit_table[i]) = limit_table[i].def;
}

bool limits_set(struct limits *l, const struct limit_desc *d, const char *value)
{
	uint64_t v;
	if (d->bytes ? !parse_size(value, &v) : !parse_u64(value, &v))
		return false;
	if (v == 0)
		return false;
	*limit_field(l, d) = v;
	return true;
}
