/* report_index.c - the batch index, one row per case, in each format of
 * the writer table that has an index (writers.h). */
#include "writers.h"

#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "util.h"

static const char *const INDEX_CSS =
	"body{font:14px system-ui,sans-serif;margin:1.5em}table{border-collapse:collapse}"
	"th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}th{background:#f3f3f3}";

/* The code of the case's worst finding (errors first), or NULL. */
static const char *worst_finding(const struct acase *c)
{
	for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
		for (size_t i = 0; i < c->nfinds; i++)
			if ((int)c->finds[i].severity == sev)
				return c->finds[i].code;
	return NULL;
}

static size_t matched(const struct acase *c)
{
	size_t n = 0;
	for (size_t k = 0; k < c->ndevs; k++)
		n += c->devs[k].status == ST_MATCHED;
	return n;
}

/* The cells of a row that hold bundle text: VM, host, guest, collected. */
static void row_values(const struct acase *c, const char *vals[4])
{
	vals[0] = c->vm.name;
	vals[1] = c->vm.host;
	vals[2] = c->guest.hostname ? c->guest.hostname : c->guest.bundle;
	vals[3] = c->guest.collected_at;
}

void report_index_md_write(struct wbuf *w, const struct model *m, const struct analysis *a,
			   const struct report_writer *const *fmt, size_t nf)
{
	struct buf *b = &w->b;
	buf_puts(b, "# pmemmap batch index\n\n");
	if (report_redacted_note(m))
		buf_printf(b, "> %s\n\n", report_redacted_note(m));
	buf_puts(b, "| Case | VM | Host | Guest | Collected | Devices matched | Worst finding "
		    "| Report |\n|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		const char *vals[4], *worst = worst_finding(c);
		row_values(c, vals);
		buf_printf(b, "| case-%04zu | ", i + 1);
		for (size_t k = 0; k < 4; k++) {
			esc_md_cell(b, vals[k]); /* index cells hold bundle text: escaped as in the reports */
			buf_puts(b, " | ");
		}
		buf_printf(b, "%zu / %zu | %s |", matched(c), c->ndevs, worst ? worst : "none");
		for (size_t f = 0; f < nf; f++)
			buf_printf(b, " [%s](cases/case-%04zu%s)", fmt[f]->name, i + 1, fmt[f]->ext);
		buf_puts(b, " |\n");
		wbuf_maybe_flush(w);
	}
}

void report_index_html_write(struct wbuf *w, const struct model *m, const struct analysis *a,
			     const struct report_writer *const *fmt, size_t nf)
{
	struct buf *b = &w->b;
	html_page_begin(b, "pmemmap batch index", INDEX_CSS);
	buf_puts(b, "<h1>pmemmap batch index</h1>\n");
	if (report_redacted_note(m))
		buf_printf(b, "<p class=redacted>%s</p>\n", report_redacted_note(m));
	buf_puts(b, "<table><thead><tr><th>Case<th>VM<th>Host<th>Guest<th>Collected"
		    "<th>Devices matched<th>Worst finding<th>Report</tr></thead><tbody>\n");
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		const char *vals[4], *worst = worst_finding(c);
		row_values(c, vals);
		buf_printf(b, "<tr><td>case-%04zu", i + 1);
		for (size_t k = 0; k < 4; k++) {
			buf_puts(b, "<td>");
			if (vals[k])
				esc_html(b, vals[k]);
			else
				buf_puts(b, "–");
		}
		buf_printf(b, "<td>%zu / %zu<td>%s<td>", matched(c), c->ndevs, worst ? worst : "none");
		for (size_t f = 0; f < nf; f++)
			buf_printf(b, "%s<a href=\"cases/case-%04zu%s\">%s</a>", f ? " " : "", i + 1, fmt[f]->ext,
				   fmt[f]->name);
		buf_puts(b, "</tr>\n");
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "</tbody></table>\n");
	html_page_end(b);
}
