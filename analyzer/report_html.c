/* report_html.c - one self-contained HTML page: inline CSS, no script,
 * a Content-Security-Policy that forbids scripts and fetches, and every
 * string from a bundle escaped by html() below.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "escape.h"
#include "util.h"
#include "when.h"

static void html(struct buf *b, const char *s)
{
	if (!s)
		buf_puts(b, "<span class=na>–</span>");
	else
		esc_html(b, s);
}

static void td(struct buf *b, const char *s)
{
	buf_puts(b, "<td>");
	html(b, s);
	buf_puts(b, "</td>");
}

static void ev_html(struct buf *b, const struct model *m, const struct evlist *l)
{
	buf_puts(b, "<ul class=ev>");
	for (size_t i = 0; i < l->n; i++) {
		const struct evidence *e = &l->v[i];
		buf_puts(b, "<li><code>");
		html(b, m->bundles[e->bundle].path);
		if (*e->member || e->line) { /* member "": the bundle as a whole */
			buf_puts(b, ": ");
			html(b, e->member);
		}
		if (e->line)
			buf_printf(b, ":%llu", (unsigned long long)e->line);
		buf_puts(b, "</code></li>");
	}
	if (l->more)
		buf_printf(b, "<li>and %zu more</li>", l->more);
	buf_puts(b, "</ul>");
}

void html_page_begin(struct buf *b, const char *title, const char *css)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; "
		    "form-action 'none'\">\n"
		    "<meta name=viewport content=\"width=device-width\">\n<title>");
	esc_html(b, title);
	buf_puts(b, "</title>\n<style>");
	buf_puts(b, css);
	buf_puts(b, "</style></head><body>\n");
}

void html_page_end(struct buf *b)
{
	buf_puts(b, "</body></html>\n");
}

static const char *const CSS =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:3px 6px;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:12px}"
	".matched{background:#e8f5e9}.host-only,.guest-only{background:#fff3e0}.ambiguous{background:#ffebee}"
	".error{color:#b00020;font-weight:bold}.warning{color:#8a5a00;font-weight:bold}.info{color:#555}"
	".na{color:#999}ul.ev{margin:0;padding-left:1.2em}details{margin:.3em 0}"
	".answer{border:2px solid #b00020;background:#fff5f5;padding:.6em .8em;margin:.6em 0;font-size:15px}"
	"tr.host td:nth-child(2){color:#1565c0}tr.guest td:nth-child(2){color:#2e7d32}.note{color:#555}";

static void device_row(struct buf *b, const struct device *d)
{
	buf_printf(b, "<tr class=\"%s\">", status_name(d->status));
	td(b, d->slot);
	td(b, d->vmdk);
	td(b, d->vmdk_uuid);
	td(b, d->nmem);
	td(b, d->dimm_id);
	td(b, d->region);
	const struct nsinfo *ns = d->nns ? &d->ns[0] : NULL;
	td(b, ns ? ns->dev : NULL);
	char node[80] = "";
	if (ns && (ns->blockdev || ns->chardev))
		snprintf(node, sizeof(node), "/dev/%s", ns->blockdev ? ns->blockdev : ns->chardev);
	td(b, ns ? node : NULL);
	td(b, ns ? ns->fs_uuid : NULL);
	buf_puts(b, "<td>");
	for (size_t i = 0; i < d->nns; i++) {
		for (size_t k = 0; k < d->ns[i].mountpoints.n; k++) {
			html(b, d->ns[i].mountpoints.v[k]);
			buf_puts(b, " ");
		}
		if (d->ns[i].mountpoints.more)
			buf_printf(b, "(and %zu more) ", d->ns[i].mountpoints.more);
	}
	buf_puts(b, "</td>");
	buf_printf(b, "<td>%s</td><td>%s</td></tr>\n", status_name(d->status),
		   confidence_name(d->confidence));
}

/* A host lane and a guest lane, one dot per event (its text in a
 * <title>, which browsers show on hover without any script). */
static void lanes_svg(struct buf *b, const struct acase *c)
{
	const int W = 900, L = 70;
	int64_t t0 = c->events[0].t, t1 = c->events[c->nevents - 1].t;
	double span = t1 > t0 ? (double)(t1 - t0) : 1;
	char when[32];

	buf_printf(b, "<svg class=lanes width=\"%d\" height=\"110\" viewBox=\"0 0 %d 110\" "
		      "xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"timeline\">"
		      "<text x=0 y=34>host</text><text x=0 y=74>guest</text>"
		      "<line x1=%d y1=30 x2=%d y2=30 stroke=#999 /><line x1=%d y1=70 x2=%d y2=70 stroke=#999 />",
		   W + L + 10, W + L + 10, L, W + L, L, W + L);
	for (size_t i = 0; i < c->nevents; i++) {
		const struct tevent *e = &c->events[i];
		bool host = !strcmp(e->side, "host");
		double x = L + (double)(e->t - t0) / span * W;
		const char *color = !strcmp(e->label, "power-on") || !strcmp(e->label, "boot") ? "#1565c0"
				    : !strcmp(e->label, "power-off") ? "#555"
				    : !strcmp(e->label, "nvdimm-config") ? "#ef6c00" : "#2e7d32";
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%d\" r=4 fill=\"%s\"><title>", x, host ? 30 : 70, color);
		buf_printf(b, "%s %s ", when, e->side);
		html(b, e->label);
		buf_puts(b, ": ");
		html(b, e->text);
		buf_puts(b, "</title></circle>");
	}
	format_utc(t0, when, sizeof(when));
	buf_printf(b, "<text x=%d y=100 font-size=11>%s</text>", L, when);
	format_utc(t1, when, sizeof(when));
	buf_printf(b, "<text x=%d y=100 font-size=11 text-anchor=end>%s UTC</text></svg>\n", W + L, when);
}

static void timeline_html(struct buf *b, const struct model *m, const struct acase *c)
{
	char when[32];

	buf_puts(b, "<h3>Timeline</h3>\n");
	if (c->time_note) {
		buf_puts(b, "<p class=note>");
		html(b, c->time_note);
		buf_puts(b, "</p>\n");
	}
	lanes_svg(b, c);
	buf_puts(b, "<table class=timeline><thead><tr><th>Time (UTC)<th>Side<th>Event<th>What<th>Evidence"
		    "</tr></thead><tbody>\n");
	for (size_t i = 0; i < c->nevents; i++) {
		const struct tevent *e = &c->events[i];
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "<tr class=\"%s\"><td>%s</td>", e->side, when);
		td(b, e->side);
		td(b, e->label);
		td(b, e->text);
		buf_puts(b, "<td><code>");
		html(b, m->bundles[e->ev.bundle].path);
		buf_puts(b, ": ");
		html(b, e->ev.member);
		buf_printf(b, ":%llu</code></td></tr>\n", (unsigned long long)e->ev.line);
	}
	buf_puts(b, "</tbody></table>\n");
}

/* The postmortem answers lead the first screen. */
static void html_answers(struct buf *b, const struct model *m, const struct analysis *a)
{
	for (size_t i = 0; i < a->ncases; i++) {
		if (!a->cases[i].answer)
			continue;
		buf_printf(b, "<div class=answer><b>What changed</b> (<a href=\"#case-%zu\">case %zu</a>): ", i + 1, i + 1);
		html(b, a->cases[i].answer);
		for (size_t k = 0; k < a->cases[i].nfinds; k++)
			if (!strcmp(a->cases[i].finds[k].code, finding_catalog[F_MAPPING_CHANGED].code)) {
				buf_puts(b, "<div class=ev-title>Evidence:</div>");
				ev_html(b, m, &a->cases[i].finds[k].ev);
				break;
			}
		buf_puts(b, "</div>\n");
	}
}

static void html_devices(struct wbuf *w, const struct acase *c)
{
	struct buf *b = &w->b;
	buf_puts(b, "<table class=mapping><thead><tr><th>Slot<th>vmdk<th>vmdk UUID<th>nmem"
		    "<th>dimm id<th>region<th>namespace<th>device<th>fs UUID<th>mounted on"
		    "<th>status<th>confidence</tr></thead><tbody>\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		device_row(b, &c->devs[k]);
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "</tbody></table>\n");
}

static void html_finding_list(struct buf *b, const struct model *m, const struct finding *finds, size_t n)
{
	buf_puts(b, "<ul class=findings>\n");
	for (size_t k = 0; k < n; k++) {
		const struct finding *f = &finds[k];
		buf_printf(b, "<li><span class=%s>%s</span> <code>%s</code>: ", severity_name(f->severity),
			   severity_name(f->severity), f->code);
		html(b, f->message);
		if (f->ev.n) {
			buf_printf(b, "<details><summary>evidence (%zu)</summary>", f->ev.n);
			ev_html(b, m, &f->ev);
			buf_puts(b, "</details>");
		}
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul>\n");
}

static void html_findings(struct buf *b, const struct model *m, const struct acase *c)
{
	if (!c->nfinds)
		return;
	buf_puts(b, "<h3>Findings</h3>");
	html_finding_list(b, m, c->finds, c->nfinds);
}

/* The findings of inputs that no case holds. */
static void html_input_findings(struct buf *b, const struct model *m, const struct analysis *a)
{
	if (!a->nfinds)
		return;
	buf_puts(b, "<section id=inputs-without-a-case><h2>Inputs without a case</h2>");
	html_finding_list(b, m, a->finds, a->nfinds);
	buf_puts(b, "</section>\n");
}

/* One line per device: its chain, from vmdk to fstab, then its evidence. */
static void html_chains(struct wbuf *w, const struct model *m, const struct acase *c)
{
	struct buf *b = &w->b;
	buf_puts(b, "<h3>Chain per device</h3>\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		const struct device *d = &c->devs[k];
		buf_puts(b, "<details><summary>");
		html(b, d->vmdk ? d->vmdk : d->nmem);
		buf_puts(b, " → ");
		html(b, d->nmem);
		buf_puts(b, " → ");
		html(b, d->region);
		for (size_t n = 0; n < d->nns; n++) {
			buf_puts(b, " → ");
			html(b, d->ns[n].dev);
			buf_puts(b, " (");
			html(b, d->ns[n].mode);
			buf_puts(b, ")");
			for (size_t f = 0; f < d->ns[n].fstab.n; f++) {
				buf_puts(b, " fstab: <code>");
				html(b, d->ns[n].fstab.v[f]);
				buf_puts(b, "</code>");
			}
		}
		buf_puts(b, "</summary>");
		ev_html(b, m, &d->ev);
		buf_puts(b, "</details>\n");
		wbuf_maybe_flush(w);
	}
}

static void html_case(struct wbuf *w, const struct model *m, const struct acase *c, size_t i)
{
	struct buf *b = &w->b;
	char title[512];
	buf_printf(b, "<section id=\"case-%zu\"><h2>Case %zu: ", i + 1, i + 1);
	html(b, case_title(c, title, sizeof(title)));
	buf_puts(b, "</h2>\n<p>Paired by <b>");
	html(b, c->paired_by);
	buf_puts(b, "</b>");
	if (c->guest.collected_at) {
		buf_puts(b, "; guest collected at ");
		html(b, c->guest.collected_at);
	}
	buf_puts(b, ".</p>\n");
	html_devices(w, c);
	html_findings(b, m, c);
	if (c->nevents)
		timeline_html(b, m, c);
	else if (c->time_note) {
		buf_puts(b, "<h3>Timeline</h3>\n<p class=note>");
		html(b, c->time_note);
		buf_puts(b, "</p>\n");
	}
	html_chains(w, m, c);
	buf_puts(b, "</section>\n");
}

static void html_inputs(struct buf *b, const struct model *m, const struct analysis *a)
{
	buf_puts(b, "<section id=appendix><h2>Appendix: inputs</h2><table><thead><tr><th>Input"
		    "<th>Kind<th>Host<th>Collected<th>Read</tr></thead><tbody>\n");
	for (uint32_t i = 0; i < m->nbundles; i++) {
		const struct bundle *bd = &m->bundles[i];
		if (!report_lists_bundle(m, a, i))
			continue;
		buf_puts(b, "<tr>");
		td(b, bd->path);
		td(b, kind_name(bd->kind));
		td(b, bundle_host(a, i));
		char when[256];
		td(b, bundle_collected_text(a, i, when, sizeof(when)));
		td(b, !bd->failed ? "fully" : bd->members_seen ? "in part" : "no");
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table>\n");
}

/* What was expected but absent (the findings that say so), and what
 * could not be read (the diagnostics). */
static void html_absent(struct buf *b, const struct model *m, const struct analysis *a)
{
	buf_puts(b, "<h2>Expected but absent, or unreadable</h2><ul>\n");
	for (size_t i = 0; i <= a->ncases; i++) {
		/* each case's, then the inputs' */
		const struct finding *finds = i < a->ncases ? a->cases[i].finds : a->finds;
		size_t n = i < a->ncases ? a->cases[i].nfinds : a->nfinds;
		for (size_t k = 0; k < n; k++) {
			const struct finding_def *def = finding_by_code(finds[k].code);
			if (!def || !def->absent)
				continue;
			buf_puts(b, "<li>");
			html(b, finds[k].message);
			buf_puts(b, "</li>\n");
		}
	}
	for (size_t i = 0; i < report_ndiags(a); i++) {
		const struct diag *d = report_diag(a, i);
		if (!report_lists_diag(m, a, d))
			continue;
		const char *level = d->level == DIAG_ERROR ? "error" : "warning";
		buf_printf(b, "<li><span class=%s>%s</span> <code>", level, level);
		html(b, m->bundles[d->bundle].path);
		if (*d->member) {
			buf_puts(b, ": ");
			html(b, d->member);
		}
		if (d->line)
			buf_printf(b, ":%llu", (unsigned long long)d->line);
		buf_puts(b, "</code> ");
		html(b, d->message);
		buf_puts(b, "</li>\n");
	}
	buf_puts(b, "</ul></section>\n");
}

void report_html_write(struct wbuf *w, const struct model *m, const struct analysis *a)
{
	html_page_begin(&w->b, "pmemmap report", CSS);
	buf_puts(&w->b, "<h1>pmemmap: vPMem mapping</h1>\n");
	if (report_redacted_note(m))
		buf_printf(&w->b, "<p class=redacted>%s</p>\n", report_redacted_note(m));
	html_answers(&w->b, m, a);
	/* first screen: the mapping and the findings of every case */
	for (size_t i = 0; i < a->ncases; i++)
		html_case(w, m, &a->cases[i], i);
	html_input_findings(&w->b, m, a);
	/* appendix: what was read, and what was expected but absent */
	html_inputs(&w->b, m, a);
	html_absent(&w->b, m, a);
	html_page_end(&w->b);
}

char *report_html(const struct model *m, const struct analysis *a)
{
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	report_html_write(&w, m, a);
	wbuf_finish(&w);
	return buf_steal(&w.b);
}
