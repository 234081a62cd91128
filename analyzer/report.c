/* report.c - what the three report writers share: names and titles. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "util.h"

/* Both are the analysis's notes (bundleinfo.h), one per bundle. */
const char *bundle_host(const struct analysis *a, uint32_t b)
{
	return a->notes[b].host;
}

const char *bundle_collected(const struct analysis *a, uint32_t b)
{
	return a->notes[b].collected;
}

const char *bundle_collected_source(const struct analysis *a, uint32_t b)
{
	return fget(a->notes[b].collected_from, FF_BUNDLE_COLLECTED_SOURCE);
}

const char *bundle_collected_text(const struct analysis *a, uint32_t b, char *buf, size_t size)
{
	const char *t = bundle_collected(a, b), *src = bundle_collected_source(a, b);
	if (!t)
		return NULL;
	if (src)
		snprintf(buf, size, "%s (%s)", t, src);
	else
		snprintf(buf, size, "%s", t);
	return buf;
}

size_t report_ndiags(const struct analysis *a)
{
	return a->m->ndiags + a->ndiags;
}

const struct diag *report_diag(const struct analysis *a, size_t i)
{
	return i < a->m->ndiags ? &a->m->diags[i] : &a->diags[i - a->m->ndiags];
}

const char *report_redacted_note(const struct model *m)
{
	if (!m->redacted)
		return NULL;
	return m->redacted_ids
		       ? "Redacted (pmemmap --redact --redact-ids): host, VM, guest and datastore names, "
			 "addresses, user names, free-text parts of paths, UUIDs and serials are tokens; "
			 "whoever ran pmemmap holds the table."
		       : "Redacted (pmemmap --redact): host, VM, guest and datastore names, addresses, user "
			 "names and free-text parts of paths are tokens; UUIDs and serials are as read; "
			 "whoever ran pmemmap holds the table.";
}

const char *case_title(const struct acase *c, char *buf, size_t size)
{
	const char *vm = c->vm.name ? c->vm.name : "(no VM found)";
	const char *g = c->guest.hostname ? c->guest.hostname
					  : c->guest.bundle ? c->guest.bundle : "(no guest bundle)";
	if (c->vm.host)
		snprintf(buf, size, "VM %s on %s / guest %s", vm, c->vm.host, g);
	else
		snprintf(buf, size, "VM %s / guest %s", vm, g);
	return buf;
}

bool report_lists_bundle(const struct model *m, const struct analysis *a, uint32_t b)
{
	if (m->bundles[b].empty)
		return false;
	if (!a->scoped)
		return true;
	for (size_t i = 0; i < a->ncases; i++) {
		int ids[] = { a->cases[i].vm.bundle, a->cases[i].guest.bundle_id };
		for (size_t k = 0; k < 2; k++)
			for (int x = ids[k]; x >= 0; x = m->bundles[x].parent)
				if ((uint32_t)x == b)
					return true;
	}
	return false;
}

bool report_lists_diag(const struct model *m, const struct analysis *a, const struct diag *d)
{
	return !a->scoped || report_lists_bundle(m, a, d->bundle);
}
