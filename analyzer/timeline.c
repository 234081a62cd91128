/* timeline.c - timelines, clock skew and mapping history (timeline.h). */
#define _GNU_SOURCE
#include "timeline.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "index.h"
#include "util.h"
#include "when.h"

static const char *get(const struct fact *f, const char *k)
{
	return f ? fact_get(f, k) : NULL;
}

static const char *base(const char *p)
{
	const char *s = p ? strrchr(p, '/') : NULL;
	return s ? s + 1 : p;
}

/* ---- timeline ----------------------------------------------------------- */

static int event_cmp(const void *a, const void *b)
{
	const struct tevent *x = a, *y = b;
	int r;
	if ((r = CMP3(x->t, y->t)) || (r = strcmp(x->side, y->side)) || (r = strcmp(x->ev.member, y->ev.member)))
		return r;
	/* the same second in one log: the log's own order */
	return CMP3(x->ev.line, y->ev.line);
}

/* The facts a timeline reads, gathered once for all cases: events and
 * zones by bundle, host events also by the VM folder of their log, so that
 * a case reads its own events, not every case's. */
struct evfacts {
	struct fl host, guest, tz;
	struct fkey host_by_dir; /* host.event by (bundle, folder of the log) */
};

/* The guest's zone offset in seconds from a guest.timezone fact, if any. */
static bool guest_offset(const struct evfacts *evs, uint32_t b, int *off, const char **tz)
{
	FOR_BUNDLE(i, &evs->tz, b) {
		const struct fact *f = evs->tz.byb[i];
		if (!when_parse_offset(get(f, "offset"), off))
			continue;
		*tz = get(f, "tz");
		return true;
	}
	return false;
}

static void add_event(struct acase *c, const struct tevent *e)
{
	c->events = grow(c->events, &c->events_cap, c->nevents + 1, sizeof(*c->events));
	c->events[c->nevents++] = *e;
}

/* A fact of the case's timeline as an event; false when it has no time
 * that can be read (a syslog time without a year: counted in *yearless). */
static bool to_event(struct model *m, const struct fact *f, bool host, int64_t gyear, int off,
		     bool *assumed, bool have_tz, size_t *yearless, struct tevent *e)
{
	const char *t = get(f, "time");
	if (host) {
		e->t = parse_utc(t);
		e->side = "host";
	} else {
		if (t && !(t[0] >= '0' && t[0] <= '9') && gyear < 0) {
			(*yearless)++; /* "Mar  5 09:57:45" in which year? */
			return false;
		}
		if (!when_parse_any(t, gyear, &e->t, NULL))
			e->t = -1;
		if (e->t >= 0 && t && !(t[0] >= '0' && t[0] <= '9')) {
			e->t -= off; /* local syslog time to UTC */
			*assumed |= !have_tz;
		}
		e->side = "guest";
	}
	if (e->t < 0)
		return false;
	e->label = get(f, "label") ? get(f, "label") : "event";
	const char *msg = get(f, "message");
	if (!strcmp(e->label, "nvdimm-config")) {
		if (!get(f, "device") || !get(f, "file"))
			return false;
		char *text = xasprintf("%s backed by %s", get(f, "device"), base(get(f, "file")));
		e->text = model_str(m, text);
		free(text);
	} else {
		e->text = msg ? msg : e->label;
	}
	e->ev = f->ev;
	return true;
}

/* The first of the power-ons (indexes into the case's events, in time
 * order) at or after target: on[lo .. n). */
static size_t first_at_or_after(const struct acase *c, const size_t *on, size_t n, int64_t target)
{
	size_t a = 0, z = n;
	while (a < z) {
		size_t mid = a + (z - a) / 2;
		if (c->events[on[mid]].t < target)
			a = mid + 1;
		else
			z = mid;
	}
	return a;
}

/* The guest boot and VM power-on closest to "30 s apart" (a boot follows
 * its power-on by about that): for each boot, the power-ons on either side
 * of boot - 30 s, by binary search; ties go to the earlier boot, then the
 * earlier power-on, as a comparison of every pair would pick. */
static void nearest_power_on(const struct acase *c, int64_t *best, const struct tevent **gb,
			     const struct tevent **hp)
{
	size_t *on = xcalloc(c->nevents + 1, sizeof(*on)), n = 0;
	for (size_t k = 0; k < c->nevents; k++)
		if (!strcmp(c->events[k].label, "power-on"))
			on[n++] = k; /* events are in time order */
	for (size_t i = 0; n && i < c->nevents; i++) {
		if (strcmp(c->events[i].label, "boot"))
			continue;
		int64_t target = c->events[i].t - 30;
		size_t at = first_at_or_after(c, on, n, target);
		size_t cand[2], nc = 0;
		if (at > 0) /* the first power-on of the latest time before target */
			cand[nc++] = first_at_or_after(c, on, n, c->events[on[at - 1]].t);
		if (at < n)
			cand[nc++] = at;
		for (size_t j = 0; j < nc; j++) {
			const struct tevent *p = &c->events[on[cand[j]]];
			int64_t d = c->events[i].t - p->t;
			if (llabs(d - 30) < llabs(*best - 30)) {
				*best = d;
				*gb = &c->events[i];
				*hp = p;
			}
		}
	}
	free(on);
}

static void build_timeline(struct model *m, struct acase *c, const struct evfacts *evs)
{
	struct buf note;
	int off = 0;
	const char *tz = NULL;

	buf_init(&note);
	int64_t gyear = c->guest.collected_at ? parse_utc(c->guest.collected_at) : -1;
	bool have_tz = c->guest.bundle_id >= 0 && guest_offset(evs, (uint32_t)c->guest.bundle_id, &off, &tz);
	bool guest_assumed = false;
	size_t yearless = 0; /* syslog lines with no collection time to date them */

	/* the host events of the VM's folder and the guest's events, merged
	 * back into fact order (the order the events were read in) */
	struct fslice host = { NULL, 0 };
	if (c->vm.bundle >= 0 && c->vm.vmx) {
		const char *s = strrchr(c->vm.vmx, '/');
		char *dir = s ? xstrndup(c->vm.vmx, (size_t)(s - c->vm.vmx)) : NULL;
		if (dir)
			host = fkey_find(&evs->host_by_dir, (uint32_t)c->vm.bundle, dir);
		free(dir);
	}
	size_t glo = 0, ghi = c->guest.bundle_id >= 0 ? fl_range(&evs->guest, (uint32_t)c->guest.bundle_id, &glo) : 0;
	for (size_t h = 0, g = glo; h < host.n || g < ghi;) {
		bool take_host = g >= ghi || (h < host.n && host.v[h] < evs->guest.byb[g]);
		const struct fact *f = take_host ? host.v[h++] : evs->guest.byb[g++];
		struct tevent e;
		if (to_event(m, f, take_host, gyear, off, &guest_assumed, have_tz, &yearless, &e))
			add_event(c, &e);
	}
	if (c->nevents)
		qsort(c->events, c->nevents, sizeof(*c->events), event_cmp);
	/* var/log and var/run/log (or a log and its rotated copy) repeat lines */
	size_t o = 0;
	for (size_t i = 0; i < c->nevents; i++)
		if (!o || c->events[o - 1].t != c->events[i].t || strcmp(c->events[o - 1].text, c->events[i].text))
			c->events[o++] = c->events[i];
	c->nevents = o;

	if (have_tz)
		buf_printf(&note, "Guest syslog times are read in the guest's zone %s and shown in UTC. ",
			   tz ? tz : "");
	else if (guest_assumed)
		buf_puts(&note, "Guest syslog times carry no zone and no zone was collected "
				"(timedatectl); they are read as UTC. Host times are UTC. ");
	if (yearless)
		buf_printf(&note, "%zu guest log line%s carry a syslog time without a year and the guest "
				  "bundle's collection time is unknown: they are not on the timeline. ",
			   yearless, yearless == 1 ? "" : "s");

	/* clock skew: a guest boot follows its VM's power-on within seconds */
	int64_t best = INT64_MAX;
	const struct tevent *gb = NULL, *hp = NULL;
	nearest_power_on(c, &best, &gb, &hp);
	/* within a day's zone offsets: farther apart, the logs simply do not
	 * cover the same power-on */
	if (gb && (best < -60 || best > 600) && best > -14 * 3600 && best < 15 * 3600) {
		char a[32], b[32];
		struct evidence ev[2] = { gb->ev, hp->ev };
		format_utc(gb->t, a, sizeof(a));
		format_utc(hp->t, b, sizeof(b));
		int64_t mag = best < 0 ? -best : best;
		buf_printf(&note, "The guest clock disagrees with the host by about %lldh%02lldm (guest "
				  "boot at %s, nearest VM power-on at %s): compare times across the two "
				  "sides with care.",
			   (long long)(mag / 3600), (long long)(mag % 3600 / 60), a, b);
		case_finding(m, c, SEV_WARNING, "clock-skew", ev, 2,
			    "The guest's boot is logged at %s but the VM's nearest power-on on the host "
			    "is at %s (UTC): the guest clock (or its zone) is about %lld min %s the host. "
			    "The timeline shows guest times converted as the time note says, not corrected "
			    "for this skew.",
			    a, b, (long long)(mag / 60), best > 0 ? "ahead of" : "behind");
	}
	while (note.len && note.data[note.len - 1] == ' ')
		note.data[--note.len] = '\0';
	if (note.len)
		c->time_note = model_str(m, note.data);
	buf_free(&note);
}

/* ---- history ------------------------------------------------------------ */

/* One view of a VM's devices: from a case, or from a power-on's config. */
struct view {
	const char *when; /* the time of the view, as text */
	size_t n;
	const char *vmdk[64]; /* basenames */
	const char *nmem[64];
	const char *node[64]; /* /dev/pmemR, /dev/daxR.N */
	const char *mounts[64]; /* first mount point, or NULL */
	const char *fstab[64]; /* an fstab line by kernel name, or NULL */
};

static const char *node_of(struct model *m, const struct device *d)
{
	for (size_t i = 0; i < d->nns; i++) {
		const char *n = d->ns[i].blockdev ? d->ns[i].blockdev : d->ns[i].chardev;
		if (n) {
			char *s = xasprintf("/dev/%s", n);
			const char *r = model_str(m, s);
			free(s);
			return r;
		}
	}
	return NULL;
}

static void view_of_case(struct model *m, const struct acase *c, struct view *v)
{
	memset(v, 0, sizeof(*v));
	v->when = c->guest.collected_at;
	for (size_t i = 0; i < c->ndevs && v->n < 64; i++) {
		const struct device *d = &c->devs[i];
		if (!d->vmdk)
			continue;
		v->vmdk[v->n] = base(d->vmdk);
		v->nmem[v->n] = d->status == ST_MATCHED ? d->nmem : NULL;
		v->node[v->n] = d->status == ST_MATCHED ? node_of(m, d) : NULL;
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

static int find(const struct view *v, const char *vmdk)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->vmdk[i] && !strcmp(v->vmdk[i], vmdk))
			return (int)i;
	return -1;
}

/* Compare an earlier view with this case's; say what changed. */
static void explain(struct model *m, struct acase *c, const struct view *old, const struct view *now,
		    bool predicted, const struct evidence *ev, size_t nev)
{
	struct buf s, removed, added;
	bool moved_mount = false, any = false;

	buf_init(&s);
	buf_init(&removed);
	buf_init(&added);
	for (size_t i = 0; i < old->n; i++)
		if (find(now, old->vmdk[i]) < 0)
			buf_printf(&removed, "%s%s", removed.len ? " and " : "", old->vmdk[i]);
	for (size_t i = 0; i < now->n; i++)
		if (find(old, now->vmdk[i]) < 0)
			buf_printf(&added, "%s%s", added.len ? " and " : "", now->vmdk[i]);
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
		int o = find(old, now->vmdk[i]);
		if (o < 0 || !now->nmem[i] || !old->nmem[o] || !strcmp(now->nmem[i], old->nmem[o]))
			continue;
		buf_printf(&s, "; at the next boot %s (%s) became %s", old->nmem[o], now->vmdk[i], now->nmem[i]);
		if (old->node[o] && now->node[i] && strcmp(old->node[o], now->node[i]))
			buf_printf(&s, ", %s became %s", old->node[o], now->node[i]);
		any = true;
	}
	/* a kernel name, or a mount point, that now reaches another vmdk */
	for (size_t i = 0; i < now->n; i++) {
		if (!now->node[i])
			continue;
		for (size_t o = 0; o < old->n; o++) {
			if (!old->node[o] || strcmp(old->node[o], now->node[i]) ||
			    !strcmp(old->vmdk[o], now->vmdk[i]))
				continue;
			const char *fl = now->fstab[i] ? now->fstab[i] : old->fstab[o];
			if (fl) {
				char spec[128], mnt[256];
				if (sscanf(fl, "%127s %255s", spec, mnt) == 2 && !strcmp(spec, now->node[i]))
					buf_printf(&s, "; /etc/fstab mounts %s on %s, which now reaches %s (it "
						       "was %s)",
						   spec, mnt, now->vmdk[i], old->vmdk[o]);
				else
					buf_printf(&s, "; %s now reaches %s (it was %s)", now->node[i],
						   now->vmdk[i], old->vmdk[o]);
				moved_mount = true;
			} else if (now->mounts[i]) {
				buf_printf(&s, "; %s, mounted on %s, now reaches %s (it was %s)", now->node[i],
					   now->mounts[i], now->vmdk[i], old->vmdk[o]);
				moved_mount = true;
			} else {
				buf_printf(&s, "; %s now reaches %s (it was %s)", now->node[i], now->vmdk[i],
					   old->vmdk[o]);
			}
			any = true;
		}
	}
	if (any) {
		buf_puts(&s, ".");
		if (predicted)
			buf_puts(&s, " (The earlier numbering is read from the host's NVDIMM configuration "
				     "at that power-on, in slot order.)");
		c->answer = model_str(m, s.data);
		case_finding(m, c, moved_mount ? SEV_ERROR : SEV_WARNING, "mapping-changed", ev, nev, "%s",
			    s.data);
	}
	buf_free(&s);
	buf_free(&removed);
	buf_free(&added);
}

/* The NVDIMM configuration at each power-on, from the case's timeline:
 * the last one that differs from the newest becomes the earlier view. */
static bool view_from_power_ons(struct model *m, struct acase *c, struct view *old, int64_t *when_new,
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
				cfg[p].vmdk[cfg[p].n++] = file ? model_str(m, file + 11) : e->text;
			}
		}
	}
	size_t last = np - 1, prev = np;
	for (size_t p = last; p-- > 0;) {
		bool same = cfg[p].n == cfg[last].n;
		for (size_t i = 0; same && i < cfg[p].n; i++)
			same = find(&cfg[last], cfg[p].vmdk[i]) >= 0;
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
		char *a = xasprintf("nmem%zu", i), *b = xasprintf("/dev/pmem%zu", i);
		old->nmem[i] = model_str(m, a);
		old->node[i] = model_str(m, b);
		free(a);
		free(b);
	}
	char when[32];
	format_utc(times[prev], when, sizeof(when));
	old->when = model_str(m, when);
	*when_new = times[last];
	for (size_t i = 0; i < c->nevents; i++)
		if (!strcmp(c->events[i].label, "nvdimm-config") && (c->events[i].ev.member == members[prev] ||
								       c->events[i].ev.member == members[last]))
			ev[(c->events[i].ev.member == members[prev]) ? 0 : 1] = c->events[i].ev;
	return true;
}

static int64_t case_time(const struct acase *c)
{
	return c->guest.collected_at ? parse_utc(c->guest.collected_at) : -1;
}

/* The folder of a host event's log: the VM folder, as "<vm>.vmx" names it. */
static const char *log_dir(const struct fact *f, void *ctx, struct buf *scratch)
{
	(void)ctx;
	const char *s = strrchr(f->ev.member, '/');
	if (!s)
		return NULL;
	buf_reset(scratch);
	buf_append(scratch, f->ev.member, (size_t)(s - f->ev.member));
	return scratch->data;
}

static void evfacts_build(struct model *m, struct evfacts *evs)
{
	/* fact types are interned: compare pointers */
	const char *host_ev = model_str(m, "host.event"), *guest_ev = model_str(m, "guest.event");
	const char *tz = model_str(m, "guest.timezone");
	memset(evs, 0, sizeof(*evs));
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		if (f->type == host_ev)
			fl_add(&evs->host, f);
		else if (f->type == guest_ev)
			fl_add(&evs->guest, f);
		else if (f->type == tz)
			fl_add(&evs->tz, f);
	}
	fl_finish(&evs->host);
	fl_finish(&evs->guest);
	fl_finish(&evs->tz);
	fkey_build_with(&evs->host_by_dir, &evs->host, log_dir, NULL);
}

static void evfacts_free(struct evfacts *evs)
{
	fl_free(&evs->host);
	fl_free(&evs->guest);
	fl_free(&evs->tz);
	fkey_free(&evs->host_by_dir);
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

void postmortem(struct model *m, struct analysis *a)
{
	struct evfacts evs;
	evfacts_build(m, &evs);
	for (size_t i = 0; i < a->ncases; i++)
		build_timeline(m, &a->cases[i], &evs);
	evfacts_free(&evs);

	/* each case's guest collection time, parsed once; the cases that have
	 * one and a VM name, sorted two ways for the predecessor search */
	struct dated *by_host = xcalloc(a->ncases + 1, sizeof(*by_host));
	struct dated *by_any = xcalloc(a->ncases + 1, sizeof(*by_any));
	struct dated *mine = xcalloc(a->ncases + 1, sizeof(*mine));
	size_t nd = 0;
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		int64_t t = c->guest.bundle_id < 0 ? -1 : case_time(c);
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
		view_of_case(m, c, &now);
		if (prev) {
			/* evidence: each side's nmem lines and fstab lines */
			struct evidence ev[16];
			size_t nev = 0;
			const struct acase *both[2] = { prev, c };
			static const char *const kinds[] = { ".vmx", "ndctl_list", "etc/fstab" };
			for (size_t s = 0; s < 2; s++)
				for (size_t d = 0; d < both[s]->ndevs; d++)
					for (size_t k = 0; k < 3; k++)
						for (size_t e = 0; e < both[s]->devs[d].ev.n && nev < 16; e++) {
							const struct evidence *x = &both[s]->devs[d].ev.v[e];
							if (strstr(x->member, kinds[k])) {
								ev[nev++] = *x; /* the first of each kind */
								break;
							}
						}
			view_of_case(m, prev, &old);
			explain(m, c, &old, &now, false, ev, nev);
			continue;
		}
		/* one guest bundle: the host's power-on configurations tell the past */
		int64_t when_new;
		struct evidence ev[2];
		memset(ev, 0, sizeof(ev));
		if (view_from_power_ons(m, c, &old, &when_new, ev)) {
			char w[32];
			format_utc(when_new, w, sizeof(w));
			now.when = model_str(m, w);
			explain(m, c, &old, &now, true, ev, 2);
		}
	}
	free(by_host);
	free(by_any);
	free(mine);
}
