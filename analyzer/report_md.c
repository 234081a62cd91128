/* report_md.c - Markdown for a ticket: the answer, the inputs (each
 * bundle's path once), then per case the mapping table and the findings
 * with what to do, the timeline and each device's evidence, and what
 * could not be read. Brief (--brief): the answer, the mapping tables and
 * the findings with what to do; no evidence, timeline or inputs table.
 *
 * Evidence names a bundle by its name in the inputs table (report.h,
 * bundle_names). Every line outside a table stays within MDW_MAX bytes
 * (mdwrap.h): paragraphs wrap where that is safe; bundle text too long
 * for a line is shortened, marked "…".
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "escape.h"
#include "mdwrap.h"
#include "util.h"
#include "when.h"

/* evidence items shown per finding and per device; the rest are counted */
#define EV_FINDING 6
#define EV_DEVICE 12
/* the longest code span of a member path, of a bundle name; a host or
 * guest name in a case title */
#define CODE_MEMBER 110
#define CODE_BUNDLE 70
#define TITLE_PART 50

struct md {
	struct wbuf *w;
	struct buf *b;
	const struct model *m;
	const struct analysis *a;
	struct bundle_names names;
};

static const char *bname(const struct md *x, uint32_t b)
{
	return bundle_name(&x->names, x->m, b);
}

/* ---- evidence ----------------------------------------------------------- */

/* "member:1,2,3" of the run of items from v[i] on in one member (or
 * "member" for a whole member): how many items it took. */
static size_t member_run(const struct evidence *v, size_t n, size_t i, struct buf *out)
{
	size_t k = i;
	buf_reset(out);
	buf_puts(out, v[i].member);
	for (; k < n && v[k].bundle == v[i].bundle && v[k].member == v[i].member; k++)
		if (v[k].line)
			buf_printf(out, "%s%llu", k == i || !v[k - 1].line ? ":" : ",", (unsigned long long)v[k].line);
	return k - i;
}

/* Items [i, end) of v, one bundle's, as "`bundle`: `member:1,2`,
 * `member2:5`", after first_sep. */
static void ev_group(struct mdpara *p, const struct md *x, const struct evidence *v, size_t i, size_t end,
		     const char *first_sep)
{
	struct buf mem;
	buf_init(&mem);
	mdp_code(p, first_sep, bname(x, v[i].bundle), CODE_BUNDLE);
	for (bool first = true; i < end;) {
		if (!*v[i].member) {
			i++; /* the bundle as a whole: its name says it */
			continue;
		}
		i += member_run(v, end, i, &mem);
		mdp_code(p, first ? ": " : ", ", mem.data, CODE_MEMBER);
		first = false;
	}
	buf_free(&mem);
}

/* The end of the run of items of v[i]'s bundle, within n. */
static size_t bundle_run(const struct evidence *v, size_t n, size_t i)
{
	size_t k = i;
	while (k < n && v[k].bundle == v[i].bundle)
		k++;
	return k;
}

static void ev_more(struct mdpara *p, const struct evlist *l, size_t shown)
{
	if (l->n + l->more > shown) {
		char more[48];
		snprintf(more, sizeof(more), "and %zu more", l->n + l->more - shown);
		mdp_ours(p, " ", more);
	}
}

/* The first max items of l in one paragraph, bundle runs joined by "; ". */
static void ev_inline(struct mdpara *p, const struct md *x, const struct evlist *l, size_t max)
{
	size_t shown = l->n < max ? l->n : max;
	for (size_t i = 0; i < shown;) {
		size_t end = bundle_run(l->v, shown, i);
		ev_group(p, x, l->v, i, end, i ? "; " : " ");
		i = end;
	}
	ev_more(p, l, shown);
}

/* One evidence item in a table cell: "bundle: member:line". */
static void ev_cell(struct buf *b, const struct md *x, const struct evidence *e)
{
	const char *bundle = bname(x, e->bundle);
	char *s = e->line ? xasprintf("%s: %s:%llu", bundle, e->member, (unsigned long long)e->line)
		  : *e->member ? xasprintf("%s: %s", bundle, e->member)
			       : xstrdup(bundle);
	esc_md_code(b, s, true);
	free(s);
}

/* ---- the answer and the inputs ------------------------------------------ */

void report_md_redacted(struct buf *b, const struct model *m)
{
	const char *note = report_redacted_note(m);
	if (!note)
		return;
	struct mdpara p;
	mdp_start(&p, b, ">", "> ");
	for (const char *w = note; *w;) {
		size_t n = strcspn(w, " ");
		char *word = xstrndup(w, n);
		mdp_ours(&p, " ", word);
		free(word);
		w += n + (w[n] == ' ');
	}
	mdp_end(&p);
	buf_puts(b, "\n");
}

static void md_head(struct md *x)
{
	const struct analysis *a = x->a;
	struct buf *b = x->b;
	int errors = a->errors, warnings = a->warnings;
	buf_puts(b, "# pmemmap: vPMem mapping\n\n");
	buf_printf(b, "%zu case%s, %d error%s, %d warning%s.%s\n\n", a->ncases, a->ncases == 1 ? "" : "s", errors,
		   errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
		   a->brief ? " Brief: the timeline, the evidence and the inputs are in the full report." : "");
	for (size_t i = 0; i < a->ncases; i++)
		if (a->cases[i].answer) {
			char lead[64];
			struct mdpara p;
			snprintf(lead, sizeof(lead), "> **What changed (case %zu):**", i + 1);
			mdp_start(&p, b, lead, "> ");
			mdp_text(&p, " ", a->cases[i].answer);
			mdp_end(&p);
			buf_puts(b, "\n");
		}
}

/* Each input once: its name (as evidence names it) and its path. */
static void md_inputs(struct md *x)
{
	const struct model *m = x->m;
	struct buf *b = x->b;
	buf_puts(b, "## Inputs\n\n| Input | Kind | Host | Collected | Read | Path |\n|---|---|---|---|---|---|\n");
	for (uint32_t i = 0; i < m->nbundles; i++) {
		const struct bundle *bd = &m->bundles[i];
		if (!report_lists_bundle(m, x->a, i))
			continue;
		char when[256];
		buf_puts(b, "| ");
		esc_md_code(b, bname(x, i), true);
		buf_printf(b, " | %s | ", kind_name(bd->kind));
		esc_md_cell(b, bundle_host(x->a, i));
		buf_puts(b, " | ");
		esc_md_cell(b, bundle_collected_text(x->a, i, when, sizeof(when)));
		buf_printf(b, " | %s | ", !bd->failed ? "fully" : bd->members_seen ? "in part" : "no");
		esc_md_cell(b, bd->path);
		buf_puts(b, " |\n");
		wbuf_maybe_flush(x->w);
	}
	buf_puts(b, "\n");
}

/* ---- a case ------------------------------------------------------------- */

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
	char *ds = vmdk_datastore(d->vmdk);
	const char *cells[] = { d->slot, vmdk_file(d->vmdk), ds, d->vmdk_uuid, d->nmem, d->dimm_id, d->region,
				d->nns ? d->ns[0].dev : NULL, dev, fs, mounts.data };
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		buf_puts(b, i ? " | " : "| ");
		esc_md_cell(b, cells[i]);
	}
	buf_printf(b, " | %s | %s |\n", status_name(d->status), confidence_name(d->confidence));
	free(ds);
	buf_free(&mounts);
}

static void md_devices(struct md *x, const struct acase *c)
{
	struct buf *b = x->b;
	if (!c->ndevs) {
		buf_puts(b, "No vPMem device on either side.\n\n");
		return;
	}
	buf_puts(b, "| Slot | vmdk | datastore | vmdk UUID | nmem | dimm id | region | namespace | "
		    "device | filesystem | mounted on | status | confidence |\n");
	buf_puts(b, "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		md_device_row(b, &c->devs[k]);
		wbuf_maybe_flush(x->w);
	}
	buf_puts(b, "\n");
}

/* The longest command of the catalog that starts at s, or 0. */
static size_t command_at(const char *s)
{
	size_t best = 0;
	for (size_t k = 0; k < finding_ncommands; k++) {
		const char *c = finding_commands[k];
		size_t n = strlen(c);
		if (*s == *c && n > best && !strncmp(s, c, n))
			best = n;
	}
	return best;
}

/* Text with each command of the catalog in it set apart as a code span,
 * whole, to copy (never wrapped inside, never escaped); one pass. */
static void md_text_commands(struct mdpara *p, const char *sep, const char *s)
{
	size_t from = 0, i = 0;
	bool first = true;
	for (; s[i]; i++) {
		size_t n = command_at(s + i);
		if (!n)
			continue;
		size_t end = i;
		while (end > from && s[end - 1] == ' ')
			end--;
		char *text = xstrndup(s + from, end - from);
		mdp_text(p, first ? sep : "", text);
		free(text);
		char *cmd = xstrndup(s + i, n);
		mdp_code(p, end < i || (first && end == from) ? " " : "", cmd, MDW_MAX);
		free(cmd);
		first = false;
		from = i + n;
		i = from - 1;
	}
	mdp_text(p, first ? sep : "", s + from);
}

/* One line of ours under a finding: "  - To do: ..." */
static void md_sub(struct buf *b, const char *lead, const char *text)
{
	struct mdpara p;
	if (!text)
		return;
	mdp_start(&p, b, lead, "    ");
	md_text_commands(&p, " ", text);
	mdp_end(&p);
}

/* "  - See: title `URL`": the catalog's reference, its address a code
 * span (text to copy, never a link: the report links nothing outside). */
static void md_reference(struct buf *b, const char *ref)
{
	struct mdpara p;
	if (!ref)
		return;
	const char *lt = strstr(ref, " <");
	size_t n = strlen(ref);
	mdp_start(&p, b, "  - See:", "    ");
	if (lt && ref[n - 1] == '>') {
		char *title = xstrndup(ref, (size_t)(lt - ref)), *url = xstrndup(lt + 2, n - (size_t)(lt - ref) - 3);
		mdp_text(&p, " ", title);
		mdp_code(&p, " ", url, MDW_WIDTH + 40);
		free(title);
		free(url);
	} else {
		mdp_text(&p, " ", ref);
	}
	mdp_end(&p);
}

/* Each finding with what to do about it, where to read more and (not
 * brief) the evidence it rests on, the most relevant first (the order
 * the check gave it, findings.c). */
static void md_finding_list(struct md *x, const struct finding *finds, size_t n)
{
	struct buf *b = x->b;
	for (size_t k = 0; k < n; k++) {
		const struct finding *f = &finds[k];
		struct mdpara p;
		char lead[96];
		snprintf(lead, sizeof(lead), "- **%s** `%s`:", severity_name(f->severity), f->code);
		mdp_start(&p, b, lead, "  ");
		md_text_commands(&p, " ", f->message);
		mdp_end(&p);
		md_sub(b, "  - To do:", finding_remedy(f));
		md_reference(b, finding_reference(f));
		if (!x->a->brief) {
			if (f->ev.n) {
				mdp_start(&p, b, "  - Evidence:", "    ");
				ev_inline(&p, x, &f->ev, EV_FINDING);
				mdp_end(&p);
			}
		}
		wbuf_maybe_flush(x->w);
	}
	buf_puts(b, "\n");
}

static void md_timeline(struct md *x, const struct acase *c)
{
	struct buf *b = x->b;
	if (c->nevents || c->time_note) {
		buf_puts(b, "### Timeline\n\n");
		if (c->time_note) {
			struct mdpara p;
			mdp_start(&p, b, "", "");
			mdp_text(&p, "", c->time_note);
			mdp_end(&p);
			buf_puts(b, "\n");
		}
	}
	if (!c->nevents)
		return;
	buf_puts(b, "| Time (UTC) | Side | Event | What | Evidence |\n|---|---|---|---|---|\n");
	for (size_t k = 0; k < c->nevents; k++) {
		const struct tevent *e = &c->events[k];
		char when[32];
		format_utc(e->t, when, sizeof(when));
		buf_printf(b, "| %s | %s | ", when, e->side);
		esc_md_cell(b, e->label);
		buf_puts(b, " | ");
		esc_md_cell(b, e->text);
		buf_puts(b, " | ");
		ev_cell(b, x, &e->ev);
		buf_puts(b, " |\n");
		wbuf_maybe_flush(x->w);
	}
	buf_puts(b, "\n");
}

/* Per device: its name, then one item per bundle of its evidence. */
static void md_device_evidence(struct md *x, const struct acase *c)
{
	struct buf *b = x->b;
	if (!c->ndevs)
		return;
	buf_puts(b, "### Evidence per device\n\n");
	for (size_t k = 0; k < c->ndevs; k++) {
		const struct device *d = &c->devs[k];
		struct mdpara p;
		mdp_start(&p, b, "-", "  ");
		mdp_text(&p, " ", d->vmdk ? vmdk_file(d->vmdk) : d->nmem ? d->nmem : "?");
		if (d->serial) {
			mdp_ours(&p, " ", "(serial");
			mdp_text(&p, " ", d->serial);
			mdp_ours(&p, "", ")");
		}
		mdp_ours(&p, "", ":");
		size_t shown = d->ev.n < EV_DEVICE ? d->ev.n : EV_DEVICE;
		for (size_t i = 0; i < shown;) {
			size_t end = bundle_run(d->ev.v, shown, i);
			mdp_end(&p);
			mdp_start(&p, b, "  -", "    ");
			ev_group(&p, x, d->ev.v, i, end, " ");
			i = end;
		}
		ev_more(&p, &d->ev, shown);
		mdp_end(&p);
		wbuf_maybe_flush(x->w);
	}
	buf_puts(b, "\n");
}

/* The case title (case_title's) on one line: each name in it escaped
 * and shortened on its own, the host and guest names first, the VM name
 * in what is left, so that a long name leaves the others in view. */
static void md_title(const struct md *x, const struct acase *c, size_t i)
{
	struct buf *b = x->b, e[3];
	/* a guest without a host name by its bundle's name in the inputs table */
	const char *guest = c->guest.hostname ? c->guest.hostname
			    : c->guest.bundle_id >= 0 ? bname(x, (uint32_t)c->guest.bundle_id)
						      : c->guest.bundle;
	const char *raw[3] = { c->vm.host, guest, c->vm.name };
	for (size_t k = 0; k < 3; k++) {
		buf_init(&e[k]);
		if (raw[k] && k < 2)
			md_fit(&e[k], raw[k], TITLE_PART, false, false);
	}
	/* the names escaped already: case_title adds only words of ours */
	struct acase t = { .vm = c->vm, .guest = c->guest };
	t.vm.host = raw[0] ? e[0].data : NULL;
	t.guest.hostname = raw[1] ? e[1].data : NULL;
	t.guest.bundle = NULL;
	char text[MDW_MAX + 64], head[32];
	int hn = snprintf(head, sizeof(head), "## Case %zu: ", i + 1);
	if (raw[2]) {
		/* the VM name gets what the rest of the line leaves */
		t.vm.name = "";
		size_t rest = (size_t)hn + strlen(case_title(&t, text, sizeof(text)));
		md_fit(&e[2], raw[2], rest < MDW_MAX - 8 ? MDW_MAX - rest : 8, false, false);
		t.vm.name = e[2].data;
	}
	buf_printf(b, "%s%s\n\n", head, case_title(&t, text, sizeof(text)));
	for (size_t k = 0; k < 3; k++)
		buf_free(&e[k]);
}

static void md_case(struct md *x, const struct acase *c, size_t i)
{
	struct buf *b = x->b;
	md_title(x, c, i);
	struct mdpara p;
	mdp_start(&p, b, "Paired by:", "");
	mdp_ours(&p, " ", c->paired_by);
	if (c->guest.collected_at) {
		mdp_ours(&p, "", ". Guest collected at");
		mdp_text(&p, " ", c->guest.collected_at);
	}
	mdp_ours(&p, "", ".");
	mdp_end(&p);
	buf_puts(b, "\n");
	md_devices(x, c);
	if (c->nfinds) {
		if (!x->a->brief)
			buf_puts(b, "### Findings\n\n");
		md_finding_list(x, c->finds, c->nfinds);
	}
	if (x->a->brief)
		return;
	md_timeline(x, c);
	md_device_evidence(x, c);
}

/* ---- what could not be read --------------------------------------------- */

static void md_diagnostics(struct md *x)
{
	const struct analysis *a = x->a;
	size_t shown = 0, errors = 0;
	for (size_t i = 0; i < report_ndiags(a); i++) {
		const struct diag *d = report_diag(a, i);
		if (!report_lists_diag(x->m, a, d))
			continue;
		errors += d->level == DIAG_ERROR;
		if (a->brief) {
			shown++;
			continue;
		}
		if (!shown++)
			buf_puts(x->b, "## What could not be read\n\n");
		struct mdpara p;
		mdp_start(&p, x->b, d->level == DIAG_ERROR ? "- error:" : "- warning:", "  ");
		mdp_code(&p, " ", bname(x, d->bundle), CODE_BUNDLE);
		if (*d->member)
			mdp_code(&p, " ", d->member, CODE_MEMBER);
		if (d->line) {
			char line[40];
			snprintf(line, sizeof(line), "line %llu", (unsigned long long)d->line);
			mdp_ours(&p, " ", line);
		}
		mdp_ours(&p, "", ":");
		mdp_text(&p, " ", d->message);
		mdp_end(&p);
		wbuf_maybe_flush(x->w);
	}
	if (a->brief && shown)
		buf_printf(x->b, "Reading the inputs gave %zu error%s and %zu warning%s: see the full report.\n",
			   errors, errors == 1 ? "" : "s", shown - errors, shown - errors == 1 ? "" : "s");
}

void report_md_write(struct wbuf *w, const struct model *m, const struct analysis *a)
{
	struct md x = { w, &w->b, m, a, { NULL, 0 } };
	bundle_names_init(&x.names, m, a);
	md_head(&x);
	report_md_redacted(x.b, m);
	if (!a->brief)
		md_inputs(&x);
	for (size_t i = 0; i < a->ncases; i++)
		md_case(&x, &a->cases[i], i);
	if (a->nfinds) {
		buf_puts(x.b, "## Inputs without a case\n\n");
		md_finding_list(&x, a->finds, a->nfinds);
	}
	md_diagnostics(&x);
	bundle_names_free(&x.names);
}

char *report_md(const struct model *m, const struct analysis *a)
{
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	report_md_write(&w, m, a);
	wbuf_finish(&w);
	return buf_steal(&w.b);
}
