/* report_index.c - the batch index, one row per case, in each format of
 * the writer table that has an index (writers.h). The HTML one is a
 * triage view: counts at the top that link to their rows, the cases worst
 * first and then by host and VM in natural order, the failed inputs. It
 * must stay light with 10,000 rows: plain cells, colour from the row's
 * class and the column, no markup per cell. */
#include "writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "natsort.h"
#include "util.h"

/* The status word of a row is coloured by its row's class; the severity
 * counts by their column (8: errors, 9: warnings, 10: info). */
static const char *const INDEX_CSS =
	"table.idx td{white-space:nowrap}table.idx td:first-child{font-weight:bold}"
	"tr.e td:first-child{color:var(--err);background:var(--err-bg)}"
	"tr.i td:first-child{color:var(--inc);background:var(--inc-bg)}"
	"tr.w td:first-child{color:var(--warn);background:var(--warn-bg)}"
	"tr.c td:first-child{color:var(--ok);background:var(--ok-bg)}"
	"table.idx td:nth-child(8){color:var(--err);font-weight:bold;text-align:right}"
	"table.idx td:nth-child(9){color:var(--warn);font-weight:bold;text-align:right}"
	"table.idx td:nth-child(10){color:var(--info);text-align:right}"
	"tr.g th{background:#fff;border-left:0;border-right:0;padding-top:.8em;font-size:15px}"
	"ul.triage{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4em}"
	"ul.triage li{border:1px solid #ccc;border-radius:4px;padding:.2em .6em}"
	"ul.triage b{font-size:17px}.t-e b{color:var(--err)}.t-i b{color:var(--inc)}.t-w b{color:var(--warn)}"
	".t-c b{color:var(--ok)}.t-f b,.t-p b{color:var(--err)}ul.triage li.t-0 b{color:#666}"
	"table.fails td:first-child{font-weight:bold;color:var(--err);background:var(--err-bg);white-space:nowrap}";

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
			   const struct report_writer *const *fmt, size_t nf, const struct index_failure *fails,
			   size_t nfails)
{
	struct buf *b = &w->b;
	(void)fails;
	(void)nfails;
	buf_puts(b, "# pmemmap batch index\n\n");
	report_md_redacted(b, m);
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

/* The triage groups of the index, worst first: a case is in the first
 * that holds for it. */
enum triage { T_ERROR, T_INCOMPLETE, T_WARNING, T_CLEAN, T_NGROUPS };
static const struct {
	const char *id, *cls, *word, *what;
} GROUPS[T_NGROUPS] = {
	{ "errors", "e", "error", "with errors" },
	{ "incomplete", "i", "incomplete", "with an incomplete mapping, no error" },
	{ "warnings", "w", "warning", "with warnings, complete, no error" },
	{ "clean", "c", "clean", "clean: complete, no error or warning" },
};

struct row {
	enum triage group;
	const char *host, *vm;
	size_t i; /* the case */
};

static enum triage triage_of(const struct acase *c)
{
	bool errors = false, warnings = false;
	for (size_t k = 0; k < c->nfinds; k++) {
		errors |= c->finds[k].severity == SEV_ERROR;
		warnings |= c->finds[k].severity == SEV_WARNING;
	}
	return errors ? T_ERROR : !c->ndevs || matched(c) < c->ndevs ? T_INCOMPLETE : warnings ? T_WARNING : T_CLEAN;
}

static int row_order(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int r = CMP3(a->group, b->group);
	if (!r)
		r = nat_compare(a->host, b->host);
	if (!r)
		r = nat_compare(a->vm, b->vm);
	return r ? r : CMP3(a->i, b->i);
}

/* The cases in the order of the index; how many of each group in count. */
static struct row *index_rows(const struct analysis *a, size_t count[T_NGROUPS])
{
	struct row *v = xcalloc(a->ncases ? a->ncases : 1, sizeof(*v));
	memset(count, 0, T_NGROUPS * sizeof(count[0]));
	for (size_t i = 0; i < a->ncases; i++) {
		const struct acase *c = &a->cases[i];
		v[i].group = triage_of(c);
		v[i].host = c->vm.host;
		v[i].vm = c->vm.name ? c->vm.name : c->guest.hostname;
		v[i].i = i;
		count[v[i].group]++;
	}
	qsort(v, a->ncases, sizeof(*v), row_order);
	return v;
}

static int failure_order(const void *pa, const void *pb)
{
	const struct index_failure *a = pa, *b = pb;
	int r = CMP3(a->partial, b->partial);
	return r ? r : nat_compare(a->input, b->input);
}

static void cell(struct buf *b, const char *s)
{
	buf_puts(b, "<td>");
	if (s)
		esc_html(b, s);
	else
		buf_puts(b, "–");
}

/* A count of the summary: a link to its rows, or plain when there are none. */
static void summary_item(struct buf *b, const char *cls, const char *id, size_t n, const char *what)
{
	buf_printf(b, "<li class=t-%s>", n ? cls : "0");
	if (n)
		buf_printf(b, "<a href=\"#%s\"><b>%zu</b> %s</a></li>\n", id, n, what);
	else
		buf_printf(b, "<b>%zu</b> %s</li>\n", n, what);
}

static void index_summary(struct buf *b, const struct analysis *a, const size_t count[T_NGROUPS],
			  const struct index_failure *fails, size_t nfails)
{
	size_t partial = 0;
	for (size_t i = 0; i < nfails; i++)
		partial += fails[i].partial;
	buf_printf(b, "<p>%zu case%s; each is counted once, under the first that holds:</p>\n<ul class=triage>\n",
		   a->ncases, a->ncases == 1 ? "" : "s");
	for (int g = 0; g < T_NGROUPS; g++) {
		char what[96];
		snprintf(what, sizeof(what), "case%s %s", count[g] == 1 ? "" : "s", GROUPS[g].what);
		summary_item(b, GROUPS[g].cls, GROUPS[g].id, count[g], what);
	}
	summary_item(b, "f", "failed", nfails - partial, nfails - partial == 1 ? "input failed" : "inputs failed");
	summary_item(b, "p", "partial", partial, partial == 1 ? "input read in part" : "inputs read in part");
	buf_puts(b, "</ul>\n");
}

static void case_row(struct buf *b, const struct acase *c, size_t i, enum triage g,
		     const struct report_writer *const *fmt, size_t nf)
{
	size_t nsev[3] = { 0, 0, 0 };
	const char *worst = worst_finding(c);
	for (size_t k = 0; k < c->nfinds; k++)
		if ((unsigned)c->finds[k].severity < 3)
			nsev[c->finds[k].severity]++;
	buf_printf(b, "<tr class=%s><td>%s<td>", GROUPS[g].cls, GROUPS[g].word);
	if (nf) /* the case links its report in the index's own format */
		buf_printf(b, "<a href=\"cases/case-%04zu%s\">case-%04zu</a>", i + 1, fmt[0]->ext, i + 1);
	else
		buf_printf(b, "case-%04zu", i + 1);
	cell(b, c->vm.host);
	cell(b, c->vm.name);
	cell(b, c->guest.hostname ? c->guest.hostname : c->guest.bundle);
	cell(b, c->guest.collected_at);
	buf_printf(b, "<td>%zu / %zu", matched(c), c->ndevs);
	for (int s = 0; s < 3; s++) {
		if (nsev[s])
			buf_printf(b, "<td>%zu", nsev[s]);
		else
			buf_puts(b, "<td>");
	}
	buf_printf(b, "<td>%s<td>", worst ? worst : "none");
	for (size_t f = 1; f < nf; f++)
		buf_printf(b, "%s<a href=\"cases/case-%04zu%s\">%s</a>", f > 1 ? " " : "", i + 1, fmt[f]->ext,
			   fmt[f]->name);
	buf_puts(b, "\n");
}

static void index_cases(struct wbuf *w, const struct analysis *a, const struct row *rows,
			const size_t count[T_NGROUPS], const struct report_writer *const *fmt, size_t nf)
{
	struct buf *b = &w->b;
	if (!a->ncases)
		return;
	buf_puts(b, "<h2>Cases</h2>\n<p class=hint>The table scrolls sideways: status is the first column, "
		    "the reports the last.</p>\n<div class=scroll><table class=idx><thead><tr><th>Status<th>Case"
		    "<th>Host<th>VM<th>Guest<th>Collected<th>Devices matched<th>Errors<th>Warnings<th>Info"
		    "<th>Worst finding<th>Other reports</tr></thead>\n");
	for (size_t r = 0; r < a->ncases; r++) {
		enum triage g = rows[r].group;
		if (!r || rows[r - 1].group != g)
			buf_printf(b, "%s<tbody id=%s><tr class=g><th colspan=12>%zu case%s %s</th></tr>\n",
				   r ? "</tbody>" : "", GROUPS[g].id, count[g], count[g] == 1 ? "" : "s", GROUPS[g].what);
		case_row(b, &a->cases[rows[r].i], rows[r].i, g, fmt, nf);
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "</tbody></table></div>\n");
}

/* The inputs that failed, then those read in part, each part anchored. */
static void index_failed_inputs(struct wbuf *w, const struct index_failure *fails, size_t nfails)
{
	struct buf *b = &w->b;
	if (!nfails)
		return;
	struct index_failure *v = xcalloc(nfails, sizeof(*v));
	memcpy(v, fails, nfails * sizeof(*v));
	qsort(v, nfails, sizeof(*v), failure_order);
	buf_puts(b, "<h2>Inputs that failed or were read in part</h2>\n<div class=scroll><table class=fails>"
		    "<thead><tr><th>Status<th>Input<th>Reason</tr></thead>\n");
	for (size_t i = 0; i < nfails; i++) {
		if (!i || v[i - 1].partial != v[i].partial)
			buf_printf(b, "%s<tbody id=%s>", i ? "</tbody>" : "", v[i].partial ? "partial" : "failed");
		buf_printf(b, "<tr class=%s><td>%s", v[i].partial ? "p" : "f", v[i].partial ? "read in part" : "failed");
		cell(b, v[i].input);
		cell(b, v[i].reason);
		buf_puts(b, "\n");
		wbuf_maybe_flush(w);
	}
	buf_puts(b, "</tbody></table></div>\n");
	free(v);
}

void report_index_html_write(struct wbuf *w, const struct model *m, const struct analysis *a,
			     const struct report_writer *const *fmt, size_t nf,
			     const struct index_failure *fails, size_t nfails)
{
	size_t count[T_NGROUPS];
	struct row *rows = index_rows(a, count);
	html_page_begin(&w->b, "pmemmap batch index", INDEX_CSS);
	buf_puts(&w->b, "<h1>pmemmap batch index</h1>\n");
	if (report_redacted_note(m))
		buf_printf(&w->b, "<p class=redacted>%s</p>\n", report_redacted_note(m));
	index_summary(&w->b, a, count, fails, nfails);
	index_cases(w, a, rows, count, fmt, nf);
	index_failed_inputs(w, fails, nfails);
	html_page_end(&w->b);
	free(rows);
}
