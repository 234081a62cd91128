/* timeline.c - each case's events on one UTC time line, and clock-skew
 * (timeline.h). */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "util.h"
#include "when.h"

static int event_cmp(const void *a, const void *b)
{
	const struct tevent *x = a, *y = b;
	int r;
	if ((r = CMP3(x->t, y->t)) || (r = strcmp(x->side, y->side)) || (r = strcmp(x->ev.member, y->ev.member)))
		return r;
	/* the same second in one log: the log's own order */
	return CMP3(x->ev.line, y->ev.line);
}

/* How the guest's syslog times are read: the zone, the year. */
struct guest_clock {
	int64_t year_from; /* the collection time that dates a yearless time; -1: none */
	int off; /* the zone's offset in seconds */
	const char *tz; /* the zone's name, or NULL */
	bool have_tz;
	bool assumed; /* a time was read as UTC for want of a zone */
	size_t yearless; /* syslog lines with no collection time to date them */
};

/* The guest's zone offset in seconds from a guest.timezone fact, if any. */
static bool guest_offset(const struct fl *tz, uint32_t b, int *off, const char **name)
{
	FOR_BUNDLE(i, tz, b) {
		const struct fact *f = tz->byb[i];
		if (!when_parse_offset(fget(f, FF_GUEST_TIMEZONE_OFFSET), off))
			continue;
		*name = fget(f, FF_GUEST_TIMEZONE_TZ);
		return true;
	}
	return false;
}

static void add_event(struct acase *c, const struct tevent *e)
{
	c->events = grow(c->events, &c->events_cap, c->nevents + 1, sizeof(*c->events));
	c->events[c->nevents++] = *e;
}

/* The UTC time of a guest event, or -1 (a syslog time without a year and
 * nothing to date it: counted in clk->yearless). */
static int64_t guest_time(const char *t, struct guest_clock *clk)
{
	int64_t v;
	bool syslog = t && !(t[0] >= '0' && t[0] <= '9');
	if (syslog && clk->year_from < 0) {
		clk->yearless++; /* "Mar  5 09:57:45" in which year? */
		return -1;
	}
	if (!when_parse_any(t, clk->year_from, &v, NULL))
		return -1;
	if (v >= 0 && syslog) {
		v -= clk->off; /* local syslog time to UTC */
		clk->assumed |= !clk->have_tz;
	}
	return v;
}

/* A fact of the case's timeline as an event; false when it has no time
 * that can be read. */
static bool to_event(struct analysis *a, const struct fact *f, bool host, struct guest_clock *clk,
		     struct tevent *e)
{
	const char *t = fget(f, host ? FF_HOST_EVENT_TIME : FF_GUEST_EVENT_TIME);
	e->t = host ? parse_utc(t) : guest_time(t, clk);
	e->side = host ? "host" : "guest";
	if (e->t < 0)
		return false;
	const char *label = fget(f, host ? FF_HOST_EVENT_LABEL : FF_GUEST_EVENT_LABEL);
	const char *msg = fget(f, host ? FF_HOST_EVENT_MESSAGE : FF_GUEST_EVENT_MESSAGE);
	e->label = label ? label : "event";
	if (!strcmp(e->label, "nvdimm-config")) {
		const char *dev = fget(f, FF_HOST_EVENT_DEVICE), *file = fget(f, FF_HOST_EVENT_FILE);
		if (!dev || !file)
			return false;
		e->text = analysis_printf(a, "%s backed by %s", dev, path_base(file));
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

/* clock-skew: a guest boot follows its VM's power-on within seconds; the
 * note says it too. */
static void check_clock_skew(struct analysis *a, struct acase *c, struct buf *note)
{
	int64_t best = INT64_MAX;
	const struct tevent *gb = NULL, *hp = NULL;
	nearest_power_on(c, &best, &gb, &hp);
	/* within a day's zone offsets: farther apart, the logs simply do not
	 * cover the same power-on */
	if (!gb || (best >= -60 && best <= 600) || best <= -14 * 3600 || best >= 15 * 3600)
		return;
	char g[32], h[32];
	struct evidence ev[2] = { gb->ev, hp->ev };
	format_utc(gb->t, g, sizeof(g));
	format_utc(hp->t, h, sizeof(h));
	int64_t mag = best < 0 ? -best : best;
	buf_printf(note, "The guest clock disagrees with the host by about %lldh%02lldm (guest boot at %s, nearest VM "
			 "power-on at %s): compare times across the two sides with care.",
		   (long long)(mag / 3600), (long long)(mag % 3600 / 60), g, h);
	RAISE_EV(a, c, CLOCK_SKEW, ev, 2, MSG_CLOCK_SKEW, g, h, (long long)(mag / 60), best > 0 ? "ahead of" : "behind");
}

/* The host events of the VM's folder and the guest's events, merged back
 * into fact order (the order the events were read in), as events. */
static void case_events(struct analysis *a, struct acase *c, const struct factindex *fx, const struct fkey *host_by_dir,
			struct guest_clock *clk)
{
	const struct fl *guest = &fx->t[FT_GUEST_EVENT];
	struct fslice host = { NULL, 0 };
	if (c->vm.bundle >= 0 && c->vm.vmx) {
		char *dir = strrchr(c->vm.vmx, '/') ? path_dir(c->vm.vmx) : NULL;
		if (dir)
			host = fkey_find(host_by_dir, (uint32_t)c->vm.bundle, dir);
		free(dir);
	}
	size_t glo = 0, ghi = c->guest.bundle_id >= 0 ? fl_range(guest, (uint32_t)c->guest.bundle_id, &glo) : 0;
	for (size_t h = 0, g = glo; h < host.n || g < ghi;) {
		bool take_host = g >= ghi || (h < host.n && host.v[h] < guest->byb[g]);
		const struct fact *f = take_host ? host.v[h++] : guest->byb[g++];
		struct tevent e;
		if (to_event(a, f, take_host, clk, &e))
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
}

static void build_timeline(struct analysis *a, struct acase *c, const struct factindex *fx, const struct fkey *host_by_dir)
{
	struct buf note;
	struct guest_clock clk = { .year_from = c->guest.bundle_id < 0 ? -1 : a->notes[c->guest.bundle_id].collected_t };

	buf_init(&note);
	clk.have_tz = c->guest.bundle_id >= 0 &&
		      guest_offset(&fx->t[FT_GUEST_TIMEZONE], (uint32_t)c->guest.bundle_id, &clk.off, &clk.tz);
	case_events(a, c, fx, host_by_dir, &clk);
	if (clk.have_tz)
		buf_printf(&note, "Guest syslog times are read in the guest's zone %s and shown in UTC. ", clk.tz ? clk.tz : "");
	else if (clk.assumed)
		buf_puts(&note, "Guest syslog times carry no zone and no zone was collected (timedatectl); they are read as "
				"UTC. Host times are UTC. ");
	if (clk.yearless)
		buf_printf(&note, "%zu guest log line%s carry a syslog time without a year and the guest bundle's collection "
				  "time is unknown: they are not on the timeline. ",
			   clk.yearless, clk.yearless == 1 ? "" : "s");
	check_clock_skew(a, c, &note);
	while (note.len && note.data[note.len - 1] == ' ')
		note.data[--note.len] = '\0';
	if (note.len)
		c->time_note = analysis_str(a, note.data);
	buf_free(&note);
}

void timelines_build(struct analysis *a, const struct factindex *fx)
{
	struct fkey host_by_dir; /* host.event by (bundle, folder of the log) */
	fkey_build_by_dir(&host_by_dir, &fx->t[FT_HOST_EVENT]);
	for (size_t i = 0; i < a->ncases; i++)
		build_timeline(a, &a->cases[i], fx, &host_by_dir);
	fkey_free(&host_by_dir);
}
