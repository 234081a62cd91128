/* report_html.c - one self-contained HTML page: inline CSS, no script,
 * a Content-Security-Policy that forbids scripts and fetches, and every
 * string from a bundle escaped by html() below.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
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

/* The CSS of every page: one colour per severity (the same in a report
 * and in the batch index, always beside its word), tables that scroll
 * sideways in a narrow window with a hint and shadows at the cut edges,
 * and a print stylesheet that opens every <details> and hides nothing. */
static const char *const BASE_CSS =
	":root{--err:#b00020;--err-bg:#fde7ea;--warn:#7a4f00;--warn-bg:#fff1cc;--inc:#a33c00;--inc-bg:#ffe6d5;"
	"--ok:#1b5e20;--ok-bg:#e3f2e4;--info:#37474f;--info-bg:#eceff1}"
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;overflow-wrap:break-word}"
	"@media (max-width:600px){body{margin:.6em}h1{font-size:22px}}"
	"table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:3px 6px;"
	"text-align:left;vertical-align:top}thead th{background:#f3f3f3}code{font-size:12px}"
	".sev{display:inline-block;padding:0 .35em;border:1px solid;border-radius:3px;font-weight:bold}"
	".sev.error{color:var(--err);background:var(--err-bg)}.sev.warning{color:var(--warn);background:var(--warn-bg)}"
	".sev.info{color:var(--info);background:var(--info-bg)}.sev.none{color:#666;background:#fff;font-weight:normal}"
	".scroll{overflow-x:auto;max-width:100%;"
	"background:linear-gradient(to right,#fff 30%,rgba(255,255,255,0)) left/40px 100% no-repeat local,"
	"linear-gradient(to left,#fff 30%,rgba(255,255,255,0)) right/40px 100% no-repeat local,"
	"radial-gradient(farthest-side at 0 50%,rgba(0,0,0,.3),rgba(0,0,0,0)) left/14px 100% no-repeat scroll,"
	"radial-gradient(farthest-side at 100% 50%,rgba(0,0,0,.3),rgba(0,0,0,0)) right/14px 100% no-repeat scroll}"
	".scroll>table{margin:0 0 .3em}.hint{display:none;color:#555;font-size:12px;margin:.3em 0}"
	"@media (max-width:900px){.hint{display:block}}"
	"@media print{body{margin:0;font-size:11px;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"details::details-content{content-visibility:visible;display:block}"
	"details>summary{list-style:none}.scroll{overflow:visible;background:none}.hint{display:none}"
	"table{width:100%;font-size:10px}code,small{overflow-wrap:anywhere}tr{break-inside:avoid}"
	"svg{max-width:100%;height:auto}a{color:inherit;text-decoration:none}}";

void html_page_begin(struct buf *b, const char *title, const char *css)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=\"utf-8\">\n"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		    "style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; "
		    "form-action 'none'\">\n"
		    "<meta name=viewport content=\"width=device-width\">\n<title>");
	esc_html(b, title);
	buf_puts(b, "</title>\n<style>");
	buf_puts(b, BASE_CSS);
	buf_puts(b, css);
	buf_puts(b, "</style></head><body>\n");
}

void html_page_end(struct buf *b)
{
	buf_puts(b, "</body></html>\n");
}

static const char *const CSS =
	"code{overflow-wrap:anywhere}.na{color:#999}ul.ev{margin:0;padding-left:1.2em}details{margin:.3em 0}"
	"ul.findings li{margin:.2em 0}.todo{margin:.15em 0 0 1em}.counts{font-size:15px}.counts .sev{margin-right:.2em}"
	".answer{border:2px solid var(--err);background:#fff5f5;padding:.6em .8em;margin:.6em 0;font-size:15px}"
	"td.st{font-weight:bold;white-space:nowrap}td.matched{color:var(--ok);background:var(--ok-bg)}"
	"td.host-only,td.guest-only{color:var(--inc);background:var(--inc-bg)}"
	"td.ambiguous{color:var(--err);background:var(--err-bg)}small.dir{color:#666}table.mapping td:nth-child(2){min-width:14em}"
	"tr.host td:nth-child(3){color:#1565c0}tr.guest td:nth-child(3){color:#2e7d32}.note{color:#555}"
	"svg.lanes text{font-size:11px}svg.lanes .lab{fill:#222}svg.lanes line.lead{stroke:#bbb}"
	".k-on{fill:#1565c0;background:#1565c0}.k-off{fill:#555;background:#555}"
	".k-cfg{fill:#ef6c00;background:#ef6c00}.k-other{fill:#2e7d32;background:#2e7d32}"
	"ul.legend{list-style:none;padding:0;margin:.2em 0 .6em;display:flex;flex-wrap:wrap;gap:.3em 1.2em}"
	"ul.legend span{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:.3em}";

/* A .vmdk as its file name, with the folder it is in below, smaller:
 * the name is what an engineer looks for, the datastore path is long. */
static void vmdk_cell(struct buf *b, const char *vmdk)
{
	const char *name = path_base(vmdk);
	buf_puts(b, "<td>");
	html(b, name);
	if (name && name != vmdk) {
		char *dir = xstrndup(vmdk, (size_t)(name - vmdk));
		buf_puts(b, "<br><small class=dir>");
		esc_html(b, dir);
		buf_puts(b, "</small>");
		free(dir);
	}
	buf_puts(b, "</td>");
}

/* The columns an engineer reads first come first (slot to mount, then the
 * status), the identifiers after them. */
static void device_row(struct buf *b, const struct device *d)
{
	buf_printf(b, "<tr class=\"%s\">", status_name(d->status));
	td(b, d->slot);
	vmdk_cell(b, d->vmdk);
	td(b, d->nmem);
	const struct nsinfo *ns = d->nns ? &d->ns[0] : NULL;
	char node[80] = "";
	if (ns && (ns->blockdev || ns->chardev))
		snprintf(node, sizeof(node), "/dev/%s", ns->blockdev ? ns->blockdev : ns->chardev);
	td(b, ns ? node : NULL);
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
	buf_printf(b, "<td class=\"st %s\">%s</td><td>%s</td>", status_name(d->status), status_name(d->status),
		   confidence_name(d->confidence));
	td(b, ns ? ns->dev : NULL);
	td(b, d->region);
	td(b, d->dimm_id);
	td(b, d->vmdk_uuid);
	td(b, ns ? ns->fs_uuid : NULL);
	buf_puts(b, "</tr>\n");
}

/* The timeline drawing: a host lane and a guest lane, a dot per event
 * coloured by its kind (the legend says which), and beside the dots their
 * numbers in the table below and their kind ("12–14 nvdimm" for a run of
 * events of one kind at one point), in rows that do not overlap (above
 * the host lane, below the guest lane), so that it reads without
 * hovering; the <title> of a dot still holds the whole line. */
enum { TL_W = 900, TL_L = 70, TL_ROWS = 8, TL_ROW_H = 14, TL_LABEL_MAX = 24 };

enum ev_kind { K_ON, K_OFF, K_CFG, K_OTHER, K_N };
static const char *const KIND_CLASS[K_N] = { "k-on", "k-off", "k-cfg", "k-other" };
static const char *const KIND_WORDS[K_N] = { "power-on, boot", "power-off", "nvdimm-config", "other events" };

static enum ev_kind ev_kind(const char *label)
{
	return !strcmp(label, "power-on") || !strcmp(label, "boot") ? K_ON
	       : !strcmp(label, "power-off")			    ? K_OFF
	       : !strcmp(label, "nvdimm-config")		    ? K_CFG
								    : K_OTHER;
}

/* One label of the drawing: events first..last (numbered from 0), on one
 * lane, of one kind, at one point. */
struct tlabel {
	size_t first, last;
	double x, x0; /* the dots, the start of the text */
	int row;
	bool host, end; /* text before the dots (text-anchor end) */
};

/* The text of label l, "N kind" or "N–M kind", the kind cut at
 * TL_LABEL_MAX characters (labels are valid UTF-8: cut between
 * characters); its length in characters. */
static size_t label_text(char *out, size_t size, const struct tlabel *l, const char *kind)
{
	bool run = l->first != l->last;
	size_t n = run ? (size_t)snprintf(out, size, "%zu–%zu ", l->first + 1, l->last + 1)
		       : (size_t)snprintf(out, size, "%zu ", l->first + 1);
	size_t chars = run ? n - 2 : n, k = 0; /* "–": 3 bytes, 1 character */
	const char *p = kind;
	while (*p && k < TL_LABEL_MAX && n + 8 < size) {
		do
			out[n++] = *p++;
		while (((unsigned char)*p & 0xc0) == 0x80 && n + 1 < size);
		k++;
	}
	if (*p && n + 4 < size) {
		memcpy(out + n, "…", 3);
		n += 3, k++;
	}
	out[n] = 0;
	return chars + k;
}

/* The row of a label over [x0, x1): the first row free there, else the
 * one free soonest (the labels overlap: more points at once than rows). */
static int label_row(double *end, double x0, double x1)
{
	int best = 0;
	for (int r = 0; r < TL_ROWS; r++) {
		if (end[r] <= x0) {
			end[r] = x1;
			return r;
		}
		if (end[r] < end[best])
			best = r;
	}
	if (x1 > end[best])
		end[best] = x1;
	return best;
}

static double event_x(const struct acase *c, size_t i)
{
	int64_t t0 = c->events[0].t, t1 = c->events[c->nevents - 1].t;
	return TL_L + (double)(c->events[i].t - t0) / (t1 > t0 ? (double)(t1 - t0) : 1) * TL_W;
}

/* The labels of the drawing, *n of them, with their rows; the rows used
 * by each lane (rows[1]: host, rows[0]: guest). */
static struct tlabel *place_labels(const struct acase *c, size_t *n, int rows[2])
{
	struct tlabel *v = xcalloc(c->nevents, sizeof(*v));
	struct tlabel *open[2] = { NULL, NULL }; /* the last label of each lane */
	*n = 0;
	for (size_t i = 0; i < c->nevents; i++) {
		bool host = !strcmp(c->events[i].side, "host");
		double x = event_x(c, i);
		struct tlabel *o = open[host];
		if (o && o->last + 1 == i && x - o->x < 3 && !strcmp(c->events[i].label, c->events[o->first].label)) {
			o->last = i;
			continue;
		}
		v[*n] = (struct tlabel){ .first = i, .last = i, .x = x, .host = host };
		open[host] = &v[(*n)++];
	}
	double end[2][TL_ROWS];
	for (int r = 0; r < TL_ROWS; r++)
		end[0][r] = end[1][r] = -1e9;
	rows[0] = rows[1] = 0;
	for (size_t k = 0; k < *n; k++) {
		char text[160];
		struct tlabel *l = &v[k];
		double w = (double)label_text(text, sizeof(text), l, c->events[l->first].label) * 6.5 + 4;
		l->end = l->x + 5 + w > TL_L + TL_W + 60;
		l->x0 = l->end ? l->x - 5 - w : l->x + 5;
		l->row = label_row(end[l->host], l->x0 - 3, l->x0 + w);
		if (l->row + 1 > rows[l->host])
			rows[l->host] = l->row + 1;
	}
	return v;
}

static void lanes_svg(struct buf *b, const struct acase *c)
{
	int rows[2];
	char when[32], text[160];
	size_t nl;
	struct tlabel *v = place_labels(c, &nl, rows);
	int yh = 10 + rows[1] * TL_ROW_H + 8, yg = yh + 36, ya = yg + 10 + rows[0] * TL_ROW_H + 14;
	int width = TL_W + TL_L + 70;

	buf_printf(b, "<div class=scroll><svg class=lanes width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "xmlns=\"http://www.w3.org/2000/svg\" role=img aria-label=\"timeline: host and guest events\">"
		      "<text x=0 y=%d>host</text><text x=0 y=%d>guest</text>"
		      "<line x1=%d y1=%d x2=%d y2=%d stroke=#999 /><line x1=%d y1=%d x2=%d y2=%d stroke=#999 />",
		   width, ya + 6, width, ya + 6, yh + 4, yg + 4, TL_L, yh, TL_W + TL_L, yh, TL_L, yg, TL_W + TL_L, yg);
	for (size_t k = 0; k < nl; k++) {
		const struct tlabel *l = &v[k];
		int y = l->host ? yh : yg;
		int ly = l->host ? yh - 8 - l->row * TL_ROW_H : yg + 16 + l->row * TL_ROW_H;
		buf_printf(b, "<line class=lead x1=\"%.1f\" y1=%d x2=\"%.1f\" y2=%d />", l->x, y, l->x, ly - 4);
		label_text(text, sizeof(text), l, c->events[l->first].label);
		buf_printf(b, "<text class=lab x=\"%.1f\" y=%d%s>", l->end ? l->x - 5 : l->x0, ly,
			   l->end ? " text-anchor=end" : "");
		html(b, text);
		buf_puts(b, "</text>");
	}
	for (size_t i = 0; i < c->nevents; i++) {
		const struct tevent *e = &c->events[i];
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "<circle cx=\"%.1f\" cy=\"%d\" r=4 class=%s><title>%s %s ", event_x(c, i),
			   !strcmp(e->side, "host") ? yh : yg, KIND_CLASS[ev_kind(e->label)], when, e->side);
		html(b, e->label);
		buf_puts(b, ": ");
		html(b, e->text);
		buf_puts(b, "</title></circle>");
	}
	format_utc(c->events[0].t, when, sizeof(when));
	buf_printf(b, "<text x=%d y=%d>%s</text>", TL_L, ya, when);
	format_utc(c->events[c->nevents - 1].t, when, sizeof(when));
	buf_printf(b, "<text x=%d y=%d text-anchor=end>%s UTC</text></svg></div>\n", TL_W + TL_L, ya, when);
	free(v);
}

/* The colours of the drawing, each with its word (the kinds present). */
static void lanes_legend(struct buf *b, const struct acase *c)
{
	bool seen[K_N] = { false };
	for (size_t i = 0; i < c->nevents; i++)
		seen[ev_kind(c->events[i].label)] = true;
	buf_puts(b, "<ul class=legend><li>Above the host lane, below the guest lane: the number of the event in "
		    "the table, and its kind.</li>");
	for (int k = 0; k < K_N; k++)
		if (seen[k])
			buf_printf(b, "<li><span class=%s></span>%s</li>", KIND_CLASS[k], KIND_WORDS[k]);
	buf_puts(b, "</ul>\n");
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
	lanes_legend(b, c);
	buf_puts(b, "<div class=scroll><table class=timeline><thead><tr><th>#<th>Time (UTC)<th>Side<th>Event<th>What"
		    "<th>Evidence</tr></thead><tbody>\n");
	for (size_t i = 0; i < c->nevents; i++) {
		const struct tevent *e = &c->events[i];
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "<tr class=\"%s\"><td>%zu</td><td>%s</td>", e->side, i + 1, when);
		td(b, e->side);
		td(b, e->label);
		td(b, e->text);
		buf_puts(b, "<td><code>");
		html(b, m->bundles[e->ev.bundle].path);
		buf_puts(b, ": ");
		html(b, e->ev.member);
		buf_printf(b, ":%llu</code></td></tr>\n", (unsigned long long)e->ev.line);
	}
	buf_puts(b, "</tbody></table></div>\n");
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
	if (!c->ndevs)
		return;
	buf_puts(b, "<p class=hint>The table scrolls sideways: status is the sixth column.</p>\n"
		    "<div class=scroll><table class=mapping><thead><tr><th>Slot<th>vmdk<th>nmem<th>device"
		    "<th>mounted on<th>status<th>confidence<th>namespace<th>region<th>dimm id<th>vmdk UUID"
		    "<th>fs UUID</tr></thead><tbody>\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		device_row(b, &c->devs[k]);
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "</tbody></table></div>\n");
}

static void html_finding_list(struct buf *b, const struct model *m, const struct finding *finds, size_t n)
{
	buf_puts(b, "<ul class=findings>\n");
	for (size_t k = 0; k < n; k++) {
		const struct finding *f = &finds[k];
		buf_printf(b, "<li><span class=\"sev %s\">%s</span> <code>%s</code>: ", severity_name(f->severity),
			   severity_name(f->severity), f->code);
		html(b, f->message);
		/* what to do and where to read more, from the catalog */
		const char *remedy = finding_remedy(f), *ref = finding_reference(f);
		if (remedy) {
			buf_puts(b, "<div class=todo><b>To do:</b> ");
			html(b, remedy);
			buf_puts(b, "</div>");
		}
		if (ref) {
			buf_puts(b, "<div class=todo><b>See:</b> ");
			html(b, ref);
			buf_puts(b, "</div>");
		}
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
	if (!c->ndevs)
		return;
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

/* Appendix: what was read. */
static void html_inputs(struct buf *b, const struct model *m, const struct analysis *a)
{
	bool any = false;
	for (uint32_t i = 0; i < m->nbundles && !any; i++)
		any = report_lists_bundle(m, a, i);
	if (!any)
		return;
	buf_puts(b, "<section id=appendix><h2>Appendix: inputs</h2><div class=scroll><table><thead><tr><th>Input"
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
	buf_puts(b, "</tbody></table></div></section>\n");
}

/* The list items of what was expected but absent (the findings that say
 * so, of each case and then of the inputs). */
static void absent_items(struct buf *b, const struct analysis *a)
{
	for (size_t i = 0; i <= a->ncases; i++) {
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
}

/* The list items of what could not be read (the diagnostics). */
static void unreadable_items(struct buf *b, const struct model *m, const struct analysis *a)
{
	for (size_t i = 0; i < report_ndiags(a); i++) {
		const struct diag *d = report_diag(a, i);
		if (!report_lists_diag(m, a, d))
			continue;
		const char *level = d->level == DIAG_ERROR ? "error" : "warning";
		buf_printf(b, "<li><span class=\"sev %s\">%s</span> <code>", level, level);
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
}

/* What was expected but absent, and what could not be read: the heading
 * only over a list that has something in it. */
static void html_absent(struct buf *b, const struct model *m, const struct analysis *a)
{
	struct buf items;
	buf_init(&items);
	absent_items(&items, a);
	unreadable_items(&items, m, a);
	if (items.len) {
		buf_puts(b, "<section id=absent><h2>Expected but absent, or unreadable</h2><ul>\n");
		buf_append(b, items.data, items.len);
		buf_puts(b, "</ul></section>\n");
	}
	buf_free(&items);
}

/* The first line: how many findings of each severity, each a word in its
 * colour, then how much of the mapping holds and what was not read. */
static void html_counts(struct buf *b, const struct model *m, const struct analysis *a)
{
	size_t n[3], devs = 0, matched = 0, part = 0;
	report_severity_counts(a, n);
	for (size_t i = 0; i < a->ncases; i++)
		for (size_t k = 0; k < a->cases[i].ndevs; k++, devs++)
			matched += a->cases[i].devs[k].status == ST_MATCHED;
	for (uint32_t i = 0; i < m->nbundles; i++)
		part += m->bundles[i].failed && report_lists_bundle(m, a, i);
	buf_puts(b, "<p class=counts>");
	for (int s = SEV_ERROR; s <= SEV_INFO; s++)
		buf_printf(b, "<span class=\"sev %s\">%zu %s%s</span> ", n[s] ? severity_name((enum severity)s) : "none",
			   n[s], s == SEV_INFO ? "info" : severity_name((enum severity)s), s != SEV_INFO && n[s] != 1 ? "s" : "");
	buf_printf(b, "in %zu case%s; %zu of %zu device%s matched", a->ncases, a->ncases == 1 ? "" : "s", matched,
		   devs, devs == 1 ? "" : "s");
	if (part)
		buf_printf(b, "; <a href=\"#appendix\">%zu input%s not read to the end</a>", part, part == 1 ? "" : "s");
	buf_puts(b, ".</p>\n");
}

void report_html_write(struct wbuf *w, const struct model *m, const struct analysis *a)
{
	html_page_begin(&w->b, "pmemmap report", CSS);
	buf_puts(&w->b, "<h1>pmemmap: vPMem mapping</h1>\n");
	if (report_redacted_note(m))
		buf_printf(&w->b, "<p class=redacted>%s</p>\n", report_redacted_note(m));
	/* first screen: the counts, the answer, the mapping and the findings of every case */
	html_counts(&w->b, m, a);
	html_answers(&w->b, m, a);
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
