/* report.c - what the three report writers share: names and titles. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
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

void report_severity_counts(const struct analysis *a, size_t n[3])
{
	size_t all = a->nfinds;
	for (size_t i = 0; i < a->ncases; i++)
		all += a->cases[i].nfinds;
	n[SEV_ERROR] = (size_t)a->errors;
	n[SEV_WARNING] = (size_t)a->warnings;
	n[SEV_INFO] = all - n[SEV_ERROR] - n[SEV_WARNING];
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

/* ---- names of bundles ---------------------------------------------------- */

/* The last `level` parts of path p's outermost input, with what is
 * nested in it: level 1 of "in/t.zip!a/b.tgz" is "t.zip!a/b.tgz", level
 * 2 "in/t.zip!a/b.tgz"; SIZE_MAX (or past its folders) the whole path. */
static const char *name_at(const char *p, size_t level)
{
	const char *bang = strchr(p, '!');
	const char *end = bang ? bang : p + strlen(p);
	for (const char *s = end; s > p; s--)
		if (s[-1] == '/' && s < end && !--level)
			return s;
	return p;
}

struct named {
	const char *name;
	uint32_t b;
};

static int by_name(const void *x, const void *y)
{
	const struct named *a = x, *b = y;
	int r = strcmp(a->name, b->name);
	return r ? r : (a->b > b->b) - (a->b < b->b);
}

/* Sort v by name; mark in dup[] each entry whose name another bundle
 * with another path shares (the same input given twice is numbered, not
 * named longer). Returns whether any is marked. */
static bool mark_shared(const struct model *m, struct named *v, size_t n, bool *dup)
{
	bool any = false;
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0, end; i < n; i = end) {
		bool differ = false;
		for (end = i + 1; end < n && !strcmp(v[end].name, v[i].name); end++)
			differ |= strcmp(m->bundles[v[end].b].path, m->bundles[v[i].b].path) != 0;
		for (size_t k = i; k < end; k++)
			dup[k] = differ;
		any |= differ;
	}
	return any;
}

void bundle_names_init(struct bundle_names *bn, const struct model *m, const struct analysis *a)
{
	static const size_t levels[] = { 2, SIZE_MAX };
	struct named *v = xcalloc(m->nbundles + 1, sizeof(*v));
	bool *dup = xcalloc(m->nbundles + 1, sizeof(*dup));
	size_t n = 0;

	bn->n = m->nbundles;
	bn->v = xcalloc(m->nbundles + 1, sizeof(*bn->v));
	for (uint32_t b = 0; b < m->nbundles; b++)
		if (report_lists_bundle(m, a, b))
			v[n++] = (struct named){ name_at(m->bundles[b].path, 1), b };
	/* a shared name grows by a folder, then to the whole path: three sorts at most */
	for (size_t k = 0; k < 2 && mark_shared(m, v, n, dup); k++)
		for (size_t i = 0; i < n; i++)
			if (dup[i])
				v[i].name = name_at(m->bundles[v[i].b].path, levels[k]);
	qsort(v, n, sizeof(*v), by_name);
	for (size_t i = 0, same = 0; i < n; i++) {
		same = i > 0 && !strcmp(v[i].name, v[i - 1].name) ? same + 1 : 0;
		bn->v[v[i].b] = same ? xasprintf("%s (%zu)", v[i].name, same + 1) : xstrdup(v[i].name);
	}
	free(v);
	free(dup);
}

const char *bundle_name(const struct bundle_names *bn, const struct model *m, uint32_t b)
{
	return b < bn->n && bn->v[b] ? bn->v[b] : m->bundles[b].path;
}

void bundle_names_free(struct bundle_names *bn)
{
	for (size_t i = 0; i < bn->n; i++)
		free(bn->v[i]);
	free(bn->v);
	memset(bn, 0, sizeof(*bn));
}

/* ---- .vmdk paths and findings ------------------------------------------ */

const char *vmdk_file(const char *vmdk)
{
	if (!vmdk)
		return NULL;
	const char *f = path_base(vmdk);
	if (f == vmdk && vmdk[0] == '[') {
		const char *close = strstr(vmdk, "] ");
		f = close ? close + 2 : vmdk;
	}
	return *f ? f : vmdk;
}

char *vmdk_datastore(const char *vmdk)
{
	static const char vols[] = "/vmfs/volumes/";
	if (!vmdk)
		return NULL;
	if (str_has_prefix(vmdk, vols)) {
		const char *ds = vmdk + sizeof(vols) - 1, *slash = strchr(ds, '/');
		return slash && slash > ds ? xstrndup(ds, (size_t)(slash - ds)) : NULL;
	}
	const char *close = vmdk[0] == '[' ? strstr(vmdk, "] ") : NULL;
	return close && close > vmdk + 1 ? xstrndup(vmdk + 1, (size_t)(close - vmdk - 1)) : NULL;
}

const char *finding_remedy(const struct finding *f)
{
	const struct finding_def *d = finding_by_code(f->code);
	return d ? d->remedy : NULL;
}

const char *finding_reference(const struct finding *f)
{
	const struct finding_def *d = finding_by_code(f->code);
	return d ? d->reference : NULL;
}
