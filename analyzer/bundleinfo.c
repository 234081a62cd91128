/* bundleinfo.c - host names, collection times and bad times of each
 * bundle (bundleinfo.h). */
#include "bundleinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "when.h"

/* The sources of a collection time, the most precise first; one not named
 * here (a rule of your own) comes after them, and the bundle's name, which
 * may give the day alone, last. */
static const char *const collected_order[] = { "manifest", "readme", "date-utc", "date", NULL, "name" };

static size_t collected_rank(const struct fact *f)
{
	const char *src = fget(f, FF_BUNDLE_COLLECTED_SOURCE);
	size_t n = sizeof(collected_order) / sizeof(collected_order[0]), other = 0;
	for (size_t i = 0; i < n; i++)
		if (!collected_order[i])
			other = i;
		else if (src && !strcmp(src, collected_order[i]))
			return i;
	return other;
}

/* Farther apart than this, two collection times of one bundle are said
 * to disagree: a day for a name that gives the date alone, and the
 * widest zone offset, as a local and a UTC time of the same moment. */
#define COLLECTED_SLACK ((24 + 15) * 3600)

/* The bundle's collection time from the best source that gives a real
 * time; every other that disagrees with it gets a diagnostic. */
static void collected_time(struct analysis *a, const struct fl *col, uint32_t b)
{
	struct bundle_note *n = &a->notes[b];
	size_t best_rank = SIZE_MAX;
	n->collected_t = -1;
	FOR_BUNDLE(i, col, b) {
		const struct fact *f = col->byb[i];
		int64_t v;
		size_t r = collected_rank(f);
		if (r < best_rank && when_parse_any(fget(f, FF_BUNDLE_COLLECTED_TIME), 0, &v, NULL)) {
			best_rank = r;
			n->collected = fget(f, FF_BUNDLE_COLLECTED_TIME);
			n->collected_t = v;
			n->collected_from = f;
		}
	}
	FOR_BUNDLE(i, col, b) {
		const struct fact *f = col->byb[i];
		int64_t v;
		if (f == n->collected_from || !when_parse_any(fget(f, FF_BUNDLE_COLLECTED_TIME), 0, &v, NULL) ||
		    llabs(v - n->collected_t) <= COLLECTED_SLACK)
			continue;
		const char *used = fget(n->collected_from, FF_BUNDLE_COLLECTED_SOURCE);
		const char *other = fget(f, FF_BUNDLE_COLLECTED_SOURCE);
		analysis_diag(a, DIAG_WARNING, b, f->ev.member, f->ev.line,
			      "collection time \"%s\" (%s) is %lld h from \"%s\" (%s), which is used",
			      fget(f, FF_BUNDLE_COLLECTED_TIME), other ? other : "?", (long long)(llabs(v - n->collected_t) / 3600),
			      n->collected, used ? used : "?");
	}
}

void bundle_notes(struct analysis *a, const struct factindex *fx)
{
	const struct model *m = a->m;
	for (uint32_t b = 0; b < m->nbundles; b++)
		collected_time(a, &fx->t[FT_BUNDLE_COLLECTED], b);
	static const struct {
		enum fact_type type;
		enum fact_field field;
	} names[] = { { FT_ESX_HOSTNAME, FF_ESX_HOSTNAME_HOSTNAME },
		      { FT_GUEST_HOSTNAME, FF_GUEST_HOSTNAME_HOSTNAME },
		      { FT_GUEST_UNAME, FF_GUEST_UNAME_HOSTNAME } };
	for (size_t l = 0; l < sizeof(names) / sizeof(names[0]); l++) {
		const struct fl *list = &fx->t[names[l].type];
		for (size_t i = 0; i < list->n; i++) {
			struct bundle_note *n = &a->notes[list->v[i]->ev.bundle];
			if (!n->host)
				n->host = fget(list->v[i], names[l].field);
		}
	}
}

/* At most this many bad-time diagnostics per bundle, then one count. */
#define TIME_DIAGS 5

/* The time and zone offset fields of f (interned keys), or NULL. */
static void times_of(const struct fact *f, const char *time_key, const char *offset_key, const char *tz_type,
		     const char **t, const char **o)
{
	*t = *o = NULL;
	for (uint32_t k = 0; k < f->nfields; k++) {
		if (f->fields[k].key == time_key)
			*t = f->fields[k].value;
		else if (f->fields[k].key == offset_key && f->type == tz_type)
			*o = f->fields[k].value;
	}
}

void check_times(struct analysis *a)
{
	const struct model *m = a->m;
	/* keys and types are interned: what the model does not hold, no fact has */
	const char *time_key = model_find(m, FACT_TIME_FIELD);
	const char *offset_key = model_find(m, fact_fields[FF_GUEST_TIMEZONE_OFFSET].name);
	const char *tz_type = model_find(m, fact_types[FT_GUEST_TIMEZONE].name);
	size_t *bad = xcalloc(m->nbundles + 1, sizeof(*bad));
	const struct fact *last = NULL; /* two rules may take a time from one line */

	for (size_t i = 0; (time_key || offset_key) && i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		const char *t, *o, *why = NULL;
		int64_t v;
		int off;
		times_of(f, time_key, offset_key, tz_type, &t, &o);
		bool bad_time = t && !when_parse_any(t, 0, &v, &why);
		bool bad_offset = o && !when_parse_offset(o, &off);
		if (!bad_time && !bad_offset)
			continue;
		bool same_line = last && last->ev.bundle == f->ev.bundle && last->ev.member == f->ev.member &&
				 last->ev.line == f->ev.line;
		last = f;
		if (same_line || bad[f->ev.bundle]++ >= TIME_DIAGS)
			continue;
		if (bad_time)
			analysis_diag(a, DIAG_WARNING, f->ev.bundle, f->ev.member, f->ev.line,
				      "time \"%s\" (%s): %s; not used", t, f->type, why ? why : "not a time");
		else
			analysis_diag(a, DIAG_WARNING, f->ev.bundle, f->ev.member, f->ev.line,
				      "zone offset \"%s\" (%s): not within -12:00..+14:00; not used", o, f->type);
	}
	for (uint32_t b = 0; b < m->nbundles; b++)
		if (bad[b] > TIME_DIAGS)
			analysis_diag(a, DIAG_WARNING, b, "", 0, "%zu more captured times are not real times; not used",
				      bad[b] - TIME_DIAGS);
	free(bad);
}
