/* history.c - mapping-changed: a case against its VM's past (history.h). */
#include "history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "util.h"
#include "when.h"

/* One view of a VM's devices: from a case, or from a power-on's config.
 * An entry is known by its serial when it has one (a guest nmem no .vmdk
 * claims is still that device), else by its .vmdk's file name. */
struct view {
	const char *when; /* the time of the view, as text */
	size_t n;
	const char *vmdk[64]; /* basenames, or NULL */
	const char *serial[64]; /* or NULL */
	const char *label[64]; /* how a message names it: the .vmdk, else its serial */
	const char *nmem[64];
	const char *node[64]; /* /dev/pmemR, /dev/daxR.N */
	const char *mounts[64]; /* first mount point, or NULL */
	const char *fstab[64]; /* an fstab line by kernel name, or NULL */
};

static const char *node_of(struct analysis *a, const struct device *d)
{
	for (size_t i = 0; i < d->nns; i++) {
		const char *n = d->ns[i].blockdev ? d->ns[i].blockdev : d->ns[i].chardev;
		if (n)
			return analysis_printf(a, "/dev/%s", n);
	}
	return NULL;
}

static void view_of_case(struct analysis *a, const struct acase *c, struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->when = c->guest.collected_at;
	for (size_t i = 0; i < c->ndevs && v->n < 64; i++) {
		const struct device *d = &c->devs[i];
		bool guest_seen = d->status == ST_MATCHED || d->status == ST_GUEST_ONLY;
		if (!d->vmdk && !(d->status == ST_GUEST_ONLY && d->serial))
			continue;
		v->vmdk[v->n] = d->vmdk ? path_base(d->vmdk) : NULL;
		v->serial[v->n] = d->serial;
		v->label[v->n] = d->vmdk ? v->vmdk[v->n] : analysis_printf(a, "the vPMem with serial %s", d->serial);
		v->nmem[v->n] = guest_seen ? d->nmem : NULL;
		v->node[v->n] = guest_seen ? node_of(a, d) : NULL;
		for (size_t k = 0; k < d->nns; k++) {
			if (!v->mounts[v->n] && d->ns[k].mountpoints.n)
				v->mounts[v->n] = d->ns[k].mountpoints.v[0];
			for (size_t j = 0; j < d->ns[k].fstab.n; j++)
				if (str_has_prefix(d->ns[k].fstab.v[j], "/dev/"))
					v->fstab[v->n] = d->ns[k].fstab.v[j];
		}
		v->n++;
	}
}

/* Entry i of w in v: the same serial, or, when either has none, the same
 * .vmdk file name; -1. */
static int find(const struct view *v, const struct view *w, size_t i)
{
	for (size_t k = 0; k < v->n; k++) {
		if (v->serial[k] && w->serial[i] ? !strcmp(v->serial[k], w->serial[i])
						 : v->vmdk[k] && w->vmdk[i] && !strcmp(v->vmdk[k], w->vmdk[i]))
			return (int)k;
	}
	return -1;
}

/* Compare an earlier view with this case's; say what changed. */
static void explain(struct analysis *a, struct acase *c, const struct view *old, const struct view *now,
		    bool predicted, const struct evidence *ev, size_t nev)
{
	struct buf s, removed, added;
	bool moved_mount = false, any = false;

	buf_init(&s);
	buf_init(&removed);
	buf_init(&added);
	for (size_t i = 0; i < old->n; i++)
		if (find(now, old, i) < 0)
			buf_printf(&removed, "%s%s", removed.len ? " and " : "", old->label[i]);
	for (size_t i = 0; i < now->n; i++)
		if (find(old, now, i) < 0)
			buf_printf(&added, "%s%s", added.len ? " and " : "", now->label[i]);
	buf_printf(&s, "Between %.19s and %.19s", old->when ? old->when : "?", now->when ? now->when : "?");
	if (removed.len) {
		buf_printf(&s, ", %s was removed", removed.data);
		any = true;
	}
	if (added.len) {
		buf_printf(&s, "%s %s was added", removed.len ? " and" : ",", added.data);
		any = true;
	}
	for (size_t i = 0; i < now->n; i++) {
		int o = find(old, now, i);
		if (o < 0 || !now->nmem[i] || !old->nmem[o] || !strcmp(now->nmem[i], old->nmem[o]))
			continue;
		buf_printf(&s, "; at the next boot %s (%s) became %s", old->nmem[o], now->label[i], now->nmem[i]);
		if (old->node[o] && now->node[i] && strcmp(old->node[o], now->node[i]))
			buf_printf(&s, ", %s became %s", old->node[o], now->node[i]);
		any = true;
	}
	/* a kernel name, or a mount point, that now reaches another vmdk */
	for (size_t i = 0; i < now->n; i++) {
		if (!now->node[i])
			continue;
		for (size_t o = 0; o < old->n; o++) {
			if (!old->node[o] || strcmp(old->node[o], now->node[i]) || find(old, now, i) == (int)o)
				continue;
			const char *fl = now->fstab[i] ? now->fstab[i] : old->fstab[o];
			if (fl) {
				char spec[128], mnt[256];
				if (sscanf(fl, "%127s %255s", spec, mnt) == 2 && !strcmp(spec, now->node[i]))
					buf_printf(&s, "; /etc/fstab mounts %s on %s, which now reaches %s (it "
						       "was %s)",
						   spec, mnt, now->label[i], old->label[o]);
				else
					buf_printf(&s, "; %s now reaches %s (it was %s)", now->node[i],
						   now->label[i], old->label[o]);
				moved_mount = true;
			} else if (now->mounts[i]) {
				buf_printf(&s, "; %s, mounted on %s, now reaches %s (it was %s)", now->node[i],
					   now->mounts[i], now->label[i], old->label[o]);
				moved_mount = true;
			} else {
				buf_printf(&s, "; %s now reaches %s (it was %s)", now->node[i], now->label[i],
					   old->label[o]);
			}
			any = true;
		}
	}
	if (any) {
		buf_puts(&s, ".");
		if (predicted)
			buf_puts(&s, " (The earlier numbering is read from the host's NVDIMM configuration "
				     "at that power-on, in slot order.)");
		c->answer = analysis_str(a, s.data);
		RAISE_EV_SEV(a, c, MAPPING_CHANGED, moved_mount ? SEV_ERROR : SEV_WARNING, ev, nev, MSG_MAPPING_CHANGED,
			     s.data);
	}
	buf_free(&s);
	buf_free(&removed);
	buf_free(&added);
}

/* The NVDIMM configuration at each power-on, from the case's timeline:
 * the last one that differs from the newest becomes the earlier view. */
static bool view_from_power_ons(struct analysis *a, struct acase *c, struct view *old, int64_t *when_new,
				struct evidence *ev)
{
	const char *members[32];
	int64_t times[32];
	size_t np = 0;

	for (size_t i = 0; i < c->nevents && np < 32; i++) {
		const struct tevent *e = &c->events[i];
		if (strcmp(e->label, "nvdimm-config"))
			continue;
		if (np && members[np - 1] == e->ev.member)
			continue;
		members[np] = e->ev.member;
		times[np++] = e->t;
	}
	if (np < 2)
		return false;
	/* configs as sorted lists of backing files */
	struct view cfg[32];
	for (size_t p = 0; p < np; p++) {
		memset(&cfg[p], 0, sizeof(cfg[p]));
		for (size_t i = 0; i < c->nevents && cfg[p].n < 64; i++) {
			const struct tevent *e = &c->events[i];
			if (!strcmp(e->label, "nvdimm-config") && e->ev.member == members[p]) {
				const char *file = strstr(e->text, " backed by ");
				cfg[p].vmdk[cfg[p].n] = cfg[p].label[cfg[p].n] = file ? analysis_str(a, file + 11) : e->text;
				cfg[p].n++;
			}
		}
	}
	size_t last = np - 1, prev = np;
	for (size_t p = last; p-- > 0;) {
		bool same = cfg[p].n == cfg[last].n;
		for (size_t i = 0; same && i < cfg[p].n; i++)
			same = find(&cfg[last], &cfg[p], i) >= 0;
		if (!same) {
			prev = p;
			break;
		}
	}
	if (prev == np)
		return false;
	*old = cfg[prev];
	/* slot order gives the guest's numbering then: nmemK, /dev/pmemK */
	for (size_t i = 0; i < old->n; i++) {
		old->nmem[i] = analysis_printf(a, "nmem%zu", i);
		old->node[i] = analysis_printf(a, "/dev/pmem%zu", i);
	}
	char when[32];
	format_utc(times[prev], when, sizeof(when));
	old->when = analysis_str(a, when);
	*when_new = times[last];
	for (size_t i = 0; i < c->nevents; i++)
		if (!strcmp(c->events[i].label, "nvdimm-config") && (c->events[i].ev.member == members[prev] ||
								       c->events[i].ev.member == members[last]))
			ev[(c->events[i].ev.member == members[prev]) ? 0 : 1] = c->events[i].ev;
	return true;
}

/* When the case's guest bundle was collected (bundleinfo.h); -1: unknown. */
static int64_t case_time(const struct analysis *a, const struct acase *c)
{
	return c->guest.bundle_id < 0 ? -1 : a->notes[c->guest.bundle_id].collected_t;
}

/* Cases with a VM name and a collection time, sorted for the search of
 * each one's predecessor: the latest earlier case of the same VM on the
 * same host (a case whose host is unknown fits any host). */
struct dated {
	const char *name, *host; /* interned; host NULL: unknown */
	int64_t when;
	size_t i;
};

static int dated_cmp_host(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	int r;
	if ((r = CMP3((uintptr_t)x->name, (uintptr_t)y->name)) || (r = CMP3((uintptr_t)x->host, (uintptr_t)y->host)) ||
	    (r = CMP3(x->when, y->when)))
		return r;
	return CMP3(x->i, y->i);
}

static int dated_cmp_any(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	int r;
	if ((r = CMP3((uintptr_t)x->name, (uintptr_t)y->name)) || (r = CMP3(x->when, y->when)))
		return r;
	return CMP3(x->i, y->i);
}

/* In v (sorted by cmp), the first entry that is not below key. */
static size_t dated_lower(const struct dated *v, size_t n, const struct dated *key,
			  int (*cmp)(const void *, const void *))
{
	size_t a = 0, z = n;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (cmp(&v[mid], key) < 0)
			a = mid + 1;
		else
			z = mid;
	}
	return a;
}

/* The latest entry before t of the run (name, host) — host NULL with
 * dated_cmp_any: of any host — the first of its time; or NULL. */
static const struct dated *latest_before(const struct dated *v, size_t n, const char *name,
					 const char *host, int64_t t,
					 int (*cmp)(const void *, const void *))
{
	struct dated key = { name, host, t, 0 };
	size_t at = dated_lower(v, n, &key, cmp);
	if (!at || v[at - 1].name != name || (cmp == dated_cmp_host && v[at - 1].host != host))
		return NULL;
	key.when = v[at - 1].when; /* the first case of that time */
	return &v[dated_lower(v, n, &key, cmp)];
}

/* The predecessor of case i as a scan of every case would choose it: the
 * latest earlier time, the lowest case number among equal times. */
static const struct acase *predecessor(const struct analysis *a, const struct dated *by_host,
				       const struct dated *by_any, size_t n, const struct dated *me)
{
	const struct dated *best = NULL;
	if (!me->host) {
		best = latest_before(by_any, n, me->name, NULL, me->when, dated_cmp_any);
	} else {
		/* the same host, or a case whose host is unknown */
		const struct dated *x = latest_before(by_host, n, me->name, me->host, me->when, dated_cmp_host);
		const struct dated *y = latest_before(by_host, n, me->name, NULL, me->when, dated_cmp_host);
		best = !x ? y : !y ? x : x->when != y->when ? (x->when > y->when ? x : y) : (x->i < y->i ? x : y);
	}
	return best ? &a->cases[best->i] : NULL;
}

/* At most this many lines of evidence for a change between two cases. */
#define HISTORY_EV 16

/* The evidence of a change between two cases: of each device of each,
 * the first .vmx, ndctl and fstab line. */
static size_t history_evidence(const struct acase *prev, const struct acase *c, struct evidence *ev)
{
	static const char *const kinds[] = { ".vmx", "ndctl_list", "etc/fstab" };
	const struct acase *both[2] = { prev, c };
	size_t nev = 0;
	for (size_t s = 0; s < 2; s++)
		for (size_t d = 0; d < both[s]->ndevs; d++)
			for (size_t k = 0; k < 3; k++)
				for (size_t e = 0; e < both[s]->devs[d].ev.n && nev < HISTORY_EV; e++) {
					const struct evidence *x = &both[s]->devs[d].ev.v[e];
					if (strstr(x->member, kinds[k])) {
						ev[nev++] = *x; /* the first of each kind */
						break;
					}
				}
	return nev;
}

void history_check(struct analysis *a)
{
	/* each case's guest collection time, parsed once; the cases that have
	 * one and a VM name, sorted two ways for the predecessor search */
	struct dated *by_host = xcalloc(a->ncases + 1, sizeof(*by_host));
	struct dated *by_any = xcalloc(a->ncases + 1, sizeof(*by_any));
	struct dated *mine = xcalloc(a->ncases + 1, sizeof(*mine));
	size_t nd = 0;
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		int64_t t = case_time(a, c);
		mine[i] = (struct dated){ c->vm.name, c->vm.host, t, i };
		if (c->vm.name && t >= 0)
			by_host[nd++] = mine[i];
	}
	memcpy(by_any, by_host, nd * sizeof(*by_host));
	qsort(by_host, nd, sizeof(*by_host), dated_cmp_host);
	qsort(by_any, nd, sizeof(*by_any), dated_cmp_any);
	for (size_t i = 0; i < a->ncases; i++) {
		struct acase *c = &a->cases[i];
		if (!c->vm.name || mine[i].when < 0)
			continue;
		/* the latest earlier case of the same VM on the same host */
		const struct acase *prev = predecessor(a, by_host, by_any, nd, &mine[i]);
		struct view old, now;
		view_of_case(a, c, &now);
		if (prev) {
			struct evidence ev[HISTORY_EV];
			size_t nev = history_evidence(prev, c, ev);
			view_of_case(a, prev, &old);
			explain(a, c, &old, &now, false, ev, nev);
			continue;
		}
		/* one guest bundle: the host's power-on configurations tell the past */
		int64_t when_new;
		struct evidence ev[2];
		memset(ev, 0, sizeof(ev));
		/* only a guest bundle taken after the newest power-on shows its
		 * configuration (an older one predates it: said elsewhere) */
		if (view_from_power_ons(a, c, &old, &when_new, ev) && case_time(a, c) >= when_new) {
			char w[32];
			format_utc(when_new, w, sizeof(w));
			now.when = analysis_str(a, w);
			explain(a, c, &old, &now, true, ev, 2);
		}
	}
	free(by_host);
	free(by_any);
	free(mine);
}
