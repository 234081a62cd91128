/* report_html.c - one self-contained HTML page: inline CSS, no script,
 * a Content-Security-Policy that forbids scripts and fetches, and every
 * string from a bundle escaped by html() below.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

static void html(struct buf *b, const char *s)
{
	if (!s) {
		buf_puts(b, "<span class=na>–</span>");
		return;
	}
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_append(b, s, 1);
		}
	}
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
		buf_puts(b, ": ");
		html(b, e->member);
		if (e->line)
			buf_printf(b, ":%llu", (unsigned long long)e->line);
		buf_puts(b, "</code></li>");
	}
	buf_puts(b, "</ul>");
}

static const char *const CSS =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:3px 6px;"
	"text-align:left;vertical-align:top}th{background:#f3f3f3}code{font-size:12px}"
	".matched{background:#e8f5e9}.host-only,.guest-only{background:#fff3e0}.ambiguous{background:#ffebee}"
	".error{color:#b00020;font-weight:bold}.warning{color:#8a5a00;font-weight:bold}.info{color:#555}"
	".na{color:#999}ul.ev{margin:0;padding-left:1.2em}details{margin:.3em 0}";

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
	for (size_t i = 0; i < d->nns; i++)
		for (size_t k = 0; k < d->ns[i].mountpoints.n; k++) {
			html(b, d->ns[i].mountpoints.v[k]);
			buf_puts(b, " ");
		}
	buf_puts(b, "</td>");
	buf_printf(b, "<td>%s</td><td>%s</td></tr>\n", status_name(d->status),
		   confidence_name(d->confidence));
}

char *report_html(const struct model *m, const struct analysis *a)
{
	struct buf b;
	char title[512];

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; "
		     "form-action 'none'\">\n"
		     "<meta name=viewport content=\"width=device-width\">\n"
		     "<title>pmemmap report</title>\n<style>");
	buf_puts(&b, CSS);
	buf_puts(&b, "</style></head><body>\n<h1>pmemmap: vPMem mapping</h1>\n");

	/* first screen: the mapping and the findings of every case */
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		buf_printf(&b, "<section id=\"case-%zu\"><h2>Case %zu: ", i + 1, i + 1);
		html(&b, case_title(c, title, sizeof(title)));
		buf_puts(&b, "</h2>\n<p>Paired by <b>");
		html(&b, c->paired_by);
		buf_puts(&b, "</b>");
		if (c->guest.collected_at) {
			buf_puts(&b, "; guest collected at ");
			html(&b, c->guest.collected_at);
		}
		buf_puts(&b, ".</p>\n");
		buf_puts(&b, "<table class=mapping><thead><tr><th>Slot<th>vmdk<th>vmdk UUID<th>nmem"
			     "<th>dimm id<th>region<th>namespace<th>device<th>fs UUID<th>mounted on"
			     "<th>status<th>confidence</tr></thead><tbody>\n");
		for (size_t k = 0; k < c->ndevs; k++)
			device_row(&b, &c->devs[k]);
		buf_puts(&b, "</tbody></table>\n");
		if (c->nfinds) {
			buf_puts(&b, "<h3>Findings</h3><ul class=findings>\n");
			for (size_t k = 0; k < c->nfinds; k++) {
				const struct finding *f = &c->finds[k];
				buf_printf(&b, "<li><span class=%s>%s</span> <code>%s</code>: ",
					   severity_name(f->severity), severity_name(f->severity), f->code);
				html(&b, f->message);
				if (f->ev.n)
					ev_html(&b, m, &f->ev);
				buf_puts(&b, "</li>\n");
			}
			buf_puts(&b, "</ul>\n");
		}
		buf_puts(&b, "<h3>Chain per device</h3>\n");
		for (size_t k = 0; k < c->ndevs; k++) {
			const struct device *d = &c->devs[k];
			buf_puts(&b, "<details><summary>");
			html(&b, d->vmdk ? d->vmdk : d->nmem);
			buf_puts(&b, " → ");
			html(&b, d->nmem);
			buf_puts(&b, " → ");
			html(&b, d->region);
			for (size_t n = 0; n < d->nns; n++) {
				buf_puts(&b, " → ");
				html(&b, d->ns[n].dev);
				buf_puts(&b, " (");
				html(&b, d->ns[n].mode);
				buf_puts(&b, ")");
				for (size_t f = 0; f < d->ns[n].fstab.n; f++) {
					buf_puts(&b, " fstab: <code>");
					html(&b, d->ns[n].fstab.v[f]);
					buf_puts(&b, "</code>");
				}
			}
			buf_puts(&b, "</summary>");
			ev_html(&b, m, &d->ev);
			buf_puts(&b, "</details>\n");
		}
		buf_puts(&b, "</section>\n");
	}

	/* appendix: what was read, and what was expected but absent */
	buf_puts(&b, "<section id=appendix><h2>Appendix: inputs</h2><table><thead><tr><th>Input"
		     "<th>Kind<th>Host<th>Collected<th>Read</tr></thead><tbody>\n");
	for (uint32_t i = 0; i < m->nbundles; i++) {
		const struct bundle *bd = &m->bundles[i];
		if (!report_lists_bundle(m, a, i))
			continue;
		buf_puts(&b, "<tr>");
		td(&b, bd->path);
		td(&b, kind_name(bd->kind));
		td(&b, bundle_host(m, i));
		td(&b, bundle_collected(m, i));
		td(&b, !bd->failed ? "fully" : bd->members_seen ? "in part" : "no");
		buf_puts(&b, "</tr>\n");
	}
	buf_puts(&b, "</tbody></table>\n<h2>Expected but absent, or unreadable</h2><ul>\n");
	for (size_t i = 0; i < a->ncases; i++)
		for (size_t k = 0; k < a->cases[i].nfinds; k++) {
			const struct finding *f = &a->cases[i].finds[k];
			if (strcmp(f->code, "evidence-missing") && !strstr(f->code, "bundle-missing"))
				continue;
			buf_puts(&b, "<li>");
			html(&b, f->message);
			buf_puts(&b, "</li>\n");
		}
	for (size_t i = 0; i < m->ndiags; i++) {
		const struct diag *d = &m->diags[i];
		buf_printf(&b, "<li><span class=%s>%s</span> <code>", d->level == DIAG_ERROR ? "error" : "warning",
			   d->level == DIAG_ERROR ? "error" : "warning");
		html(&b, m->bundles[d->bundle].path);
		if (*d->member) {
			buf_puts(&b, ": ");
			html(&b, d->member);
		}
		if (d->line)
			buf_printf(&b, ":%llu", (unsigned long long)d->line);
		buf_puts(&b, "</code> ");
		html(&b, d->message);
		buf_puts(&b, "</li>\n");
	}
	buf_puts(&b, "</ul></section>\n</body></html>\n");
	return buf_steal(&b);
}
