/* report_md.c - Markdown for a ticket: the mapping table and findings
 * first, then each device's evidence, then what was read and what not.
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "util.h"
#include "when.h"

/* Every string below that the writer did not make goes through one of
 * escape.h's Markdown contexts: text, a table cell, or a code span. */
static void md_ev(struct buf *b, const struct model *m, const struct evlist *l, size_t max,
		  bool in_table)
{
	for (size_t i = 0; i < l->n && i < max; i++) {
		const struct evidence *e = &l->v[i];
		const char *bundle = m->bundles[e->bundle].path;
		/* member "": the bundle as a whole */
		char *s = e->line ? xasprintf("%s: %s:%llu", bundle, e->member, (unsigned long long)e->line)
			  : *e->member ? xasprintf("%s: %s", bundle, e->member)
				       : xstrdup(bundle);
		buf_puts(b, i ? ", " : "");
		esc_md_code(b, s, in_table);
		free(s);
	}
	size_t shown = l->n < max ? l->n : max;
	if (l->n + l->more > shown)
		buf_printf(b, " and %zu more", l->n + l->more - shown);
}

static void md_device_row(struct buf *b, const struct device *d)
{
	char dev[64] = "", fs[160] = "";
	struct buf mounts;
	buf_init(&mounts);
	for (size_t i = 0; i < d->nns; i++) {
		const struct nsinfo *ns = &d->ns[i];
		if (!dev[0] && (ns->blockdev || ns->chardev))
			snprintf(dev, sizeof(dev), "/dev/%s", ns->blockdev ? ns->blockdev : ns->chardev);
		if (!fs[0] && ns->fs_uuid)
			snprintf(fs, sizeof(fs), "%s UUID=%s", ns->fstype ? ns->fstype : "", ns->fs_uuid);
		for (size_t k = 0; k < ns->mountpoints.n; k++)
			buf_printf(&mounts, "%s%s", mounts.len ? ", " : "", ns->mountpoints.v[k]);
		if (ns->mountpoints.more)
			buf_printf(&mounts, " and %zu more", ns->mountpoints.more);
	}
	const char *cells[] = { d->slot, d->vmdk, d->vmdk_uuid, d->nmem, d->dimm_id, d->region,
				d->nns ? d->ns[0].dev : NULL, dev, fs, mounts.data };
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		buf_puts(b, i ? " | " : "| ");
		esc_md_cell(b, cells[i]);
	}
	buf_printf(b, " | %s | %s |\n", status_name(d->status), confidence_name(d->confidence));
	buf_free(&mounts);
}

/* The title, the counts, and the postmortem answers first. */
static void md_head(struct buf *b, const struct analysis *a)
{
	int errors = a->errors, warnings = a->warnings;
	buf_puts(b, "# pmemmap: vPMem mapping\n\n");
	buf_printf(b, "%zu case%s, %d error%s, %d warning%s.\n\n", a->ncases, a->ncases == 1 ? "" : "s", errors,
		   errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	for (size_t i = 0; i < a->ncases; i++)
		if (a->cases[i].answer) {
			buf_printf(b, "> **What changed (case %zu):** ", i + 1);
			esc_md_text(b, a->cases[i].answer);
			buf_puts(b, "\n\n");
		}
}

static void md_devices(struct wbuf *w, const struct acase *c)
{
	struct buf *b = &w->b;
	if (!c->ndevs) {
		buf_puts(b, "No vPMem device on either side.\n\n");
		return;
	}
	buf_puts(b, "| Slot | vmdk | vmdk UUID | nmem | dimm id | region | namespace | "
		    "device | filesystem | mounted on | status | confidence |\n");
	buf_puts(b, "|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		md_device_row(b, &c->devs[k]);
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "\n");
}

static void md_finding_list(struct buf *b, const struct model *m, const struct finding *finds, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct finding *f = &finds[k];
		buf_printf(b, "- **%s** `%s`: ", severity_name(f->severity), f->code);
		esc_md_text(b, f->message);
		if (f->ev.n) {
			buf_puts(b, " — evidence: ");
			md_ev(b, m, &f->ev, 4, false);
		}
		buf_puts(b, "\n");
	}
	buf_puts(b, "\n");
}

static void md_findings(struct buf *b, const struct model *m, const struct acase *c)
{
	if (!c->nfinds)
		return;
	buf_puts(b, "### Findings\n\n");
	md_finding_list(b, m, c->finds, c->nfinds);
}

/* The findings of inputs that no case holds. */
static void md_input_findings(struct buf *b, const struct model *m, const struct analysis *a)
{
	if (!a->nfinds)
		return;
	buf_puts(b, "## Inputs without a case\n\n");
	md_finding_list(b, m, a->finds, a->nfinds);
}

static void md_timeline(struct buf *b, const struct model *m, const struct acase *c)
{
	if (c->nevents || c->time_note) {
		buf_puts(b, "### Timeline\n\n");
		if (c->time_note) {
			esc_md_text(b, c->time_note);
			buf_puts(b, "\n\n");
		}
	}
	if (!c->nevents)
		return;
	buf_puts(b, "| Time (UTC) | Side | Event | What | Evidence |\n|---|---|---|---|---|\n");
	for (size_t k = 0; k < c->nevents; k++) {
		const struct tevent *e = &c->events[k];
		char when[32];
		struct evlist one = { .v = (struct evidence *)&e->ev, .n = 1 };
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "| %s | %s | ", when, e->side);
		esc_md_cell(b, e->label);
		buf_puts(b, " | ");
		esc_md_cell(b, e->text);
		buf_puts(b, " | ");
		md_ev(b, m, &one, 1, true);
		buf_puts(b, " |\n");
	}
	buf_puts(b, "\n");
}

static void md_device_evidence(struct wbuf *w, const struct model *m, const struct acase *c)
{
	struct buf *b = &w->b;
	if (!c->ndevs)
		return;
	buf_puts(b, "### Evidence per device\n\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		const struct device *d = &c->devs[k];
		buf_puts(b, "- ");
		esc_md_text(b, d->vmdk ? d->vmdk : d->nmem ? d->nmem : "?");
		if (d->serial) {
			buf_puts(b, " (serial ");
			esc_md_text(b, d->serial);
			buf_puts(b, ")");
		}
		buf_puts(b, ": ");
		md_ev(b, m, &d->ev, 12, false);
		buf_puts(b, "\n");
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "\n");
}

static void md_case(struct wbuf *w, const struct model *m, const struct acase *c, size_t i)
{
	struct buf *b = &w->b;
	char title[512];
	buf_printf(b, "## Case %zu: ", i + 1);
	esc_md_text(b, case_title(c, title, sizeof(title)));
	buf_printf(b, "\n\nPaired by: %s", c->paired_by);
	if (c->guest.collected_at) {
		buf_puts(b, ". Guest collected at ");
		esc_md_text(b, c->guest.collected_at);
	}
	buf_puts(b, ".\n\n");
	md_devices(w, c);
	md_findings(b, m, c);
	md_timeline(b, m, c);
	md_device_evidence(w, m, c);
}

static void md_inputs(struct buf *b, const struct model *m, const struct analysis *a)
{
	buf_puts(b, "## Inputs\n\n| Input | Kind | Host | Collected | Read |\n|---|---|---|---|---|\n");
	for (uint32_t i = 0; i < m->nbundles; i++) {
		const struct bundle *bd = &m->bundles[i];
		if (!report_lists_bundle(m, a, i))
			continue;
		buf_puts(b, "| ");
		esc_md_cell(b, bd->path);
		buf_printf(b, " | %s | ", kind_name(bd->kind));
		esc_md_cell(b, bundle_host(a, i));
		buf_puts(b, " | ");
		char when[256];
		esc_md_cell(b, bundle_collected_text(a, i, when, sizeof(when)));
		buf_printf(b, " | %s |\n", !bd->failed ? "fully" : bd->members_seen ? "in part" : "no");
	}
}

static void md_diagnostics(struct buf *b, const struct model *m, const struct analysis *a)
{
	size_t shown = 0;
	for (size_t i = 0; i < report_ndiags(a); i++) {
		const struct diag *d = report_diag(a, i);
		if (!report_lists_diag(m, a, d))
			continue;
		if (!shown++)
			buf_puts(b, "\n## What could not be read\n\n");
		buf_printf(b, "- %s: ", d->level == DIAG_ERROR ? "error" : "warning");
		esc_md_text(b, m->bundles[d->bundle].path);
		if (*d->member) {
			buf_puts(b, " ");
			esc_md_code(b, d->member, false);
		}
		if (d->line)
			buf_printf(b, " line %llu", (unsigned long long)d->line);
		buf_puts(b, ": ");
		esc_md_text(b, d->message);
		buf_puts(b, "\n");
	}
}

void report_md_write(struct wbuf *w, const struct model *m, const struct analysis *a)
{
	md_head(&w->b, a);
	if (report_redacted_note(m))
		buf_printf(&w->b, "> %s\n\n", report_redacted_note(m));
	for (size_t i = 0; i < a->ncases; i++)
		md_case(w, m, &a->cases[i], i);
	md_input_findings(&w->b, m, a);
	md_inputs(&w->b, m, a);
	md_diagnostics(&w->b, m, a);
}

char *report_md(const struct model *m, const struct analysis *a)
{
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	report_md_write(&w, m, a);
	wbuf_finish(&w);
	return buf_steal(&w.b);
}
