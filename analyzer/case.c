/* case.c - the result types of the analysis and their helpers (case.h). */
#include "case.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *status_name(enum dev_status s)
{
	static const char *const n[] = { "matched", "host-only", "guest-only", "ambiguous" };
	return n[s];
}

const char *confidence_name(enum confidence c)
{
	static const char *const n[] = { "high", "medium", "low", "none" };
	return n[c];
}

const char *severity_name(enum severity s)
{
	static const char *const n[] = { "error", "warning", "info" };
	return n[s];
}

void evlist_add(struct evlist *l, const struct evidence *ev)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].bundle == ev->bundle && l->v[i].member == ev->member && l->v[i].line == ev->line)
			return;
	if (l->n >= LIST_MAX) {
		l->more++;
		return;
	}
	l->v = grow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *ev;
}

void strlist_add(struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	if (l->n >= LIST_MAX) {
		l->more++;
		return;
	}
	l->v = grow_from(l->v, &l->cap, l->n + 1, sizeof(*l->v), 2);
	l->v[l->n++] = s;
}

void analysis_init(struct analysis *a, const struct model *m)
{
	memset(a, 0, sizeof(*a));
	a->m = m;
	a->log = m->log;
	strtab_init(&a->strs);
	a->notes = xcalloc(m->nbundles + 1, sizeof(*a->notes));
	for (size_t b = 0; b < m->nbundles; b++)
		a->notes[b].collected_t = -1;
}

static void case_free(struct acase *c)
{
	for (size_t k = 0; k < c->ndevs; k++) {
		struct device *d = &c->devs[k];
		for (size_t n = 0; n < d->nns; n++) {
			free(d->ns[n].mountpoints.v);
			free(d->ns[n].fstab.v);
			free(d->ns[n].fstab_ev);
		}
		free(d->ns);
		free(d->ev.v);
	}
	free(c->devs);
	for (size_t k = 0; k < c->nfinds; k++)
		free(c->finds[k].ev.v);
	free(c->finds);
	free(c->events);
}

void analysis_free(struct analysis *a)
{
	for (size_t i = 0; i < a->ncases; i++)
		case_free(&a->cases[i]);
	free(a->cases);
	for (size_t k = 0; k < a->nfinds; k++)
		free(a->finds[k].ev.v);
	free(a->finds);
	free(a->notes);
	free(a->diags);
	strtab_free(&a->strs);
	memset(a, 0, sizeof(*a));
}

struct acase *analysis_add_case(struct analysis *a)
{
	a->cases = grow(a->cases, &a->cases_cap, a->ncases + 1, sizeof(*a->cases));
	struct acase *c = &a->cases[a->ncases++];
	memset(c, 0, sizeof(*c));
	return c;
}

struct analysis analysis_one(const struct analysis *a, size_t i)
{
	struct analysis one = *a;
	one.cases = &a->cases[i];
	one.ncases = 1;
	one.cases_cap = 0;
	one.errors = a->cases[i].errors;
	one.warnings = a->cases[i].warnings;
	one.finds = NULL;
	one.nfinds = one.finds_cap = 0;
	one.scoped = true;
	return one;
}

const char *analysis_intern(struct analysis *a, const char *s, size_t n)
{
	const char *in_model = strtab_find(&a->m->strs, s, n);
	return in_model ? in_model : strtab_intern(&a->strs, s, n);
}

const char *analysis_printf(struct analysis *a, const char *fmt, ...)
{
	/* most texts fit the stack: no allocation that lives shorter than
	 * the analysis, between the ones that live as long */
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(small))
		return analysis_intern(a, small, (size_t)n);
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	const char *r = analysis_str(a, s);
	free(s);
	return r;
}

void analysis_diag(struct analysis *a, enum diag_level level, uint32_t bundle, const char *member,
		   uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	a->diags = grow(a->diags, &a->diags_cap, a->ndiags + 1, sizeof(*a->diags));
	struct diag *d = &a->diags[a->ndiags++];
	d->level = level;
	d->bundle = bundle;
	d->member = analysis_str(a, member ? member : "");
	d->line = line;
	d->message = analysis_str(a, msg);
	free(msg);
	if (a->log)
		diag_print(a->log, a->m->bundles[bundle].path, d);
}

void case_add_finding(struct analysis *a, struct acase *c, enum severity sev, const char *code,
		      const struct evidence *ev, size_t nev, size_t more, const char *fmt, va_list ap)
{
	struct finding f;
	char *text = xvasprintf(fmt, ap);

	memset(&f, 0, sizeof(f));
	f.severity = sev;
	f.code = code;
	f.message = analysis_str(a, text);
	free(text);
	for (size_t i = 0; i < nev; i++)
		evlist_add(&f.ev, &ev[i]);
	f.ev.more += more;
	struct finding **v = c ? &c->finds : &a->finds;
	size_t *n = c ? &c->nfinds : &a->nfinds, *cap = c ? &c->finds_cap : &a->finds_cap;
	*v = grow(*v, cap, *n + 1, sizeof(**v));
	(*v)[(*n)++] = f;
	if (sev == SEV_ERROR)
		c ? c->errors++ : a->errors++;
	else if (sev == SEV_WARNING)
		c ? c->warnings++ : a->warnings++;
}
