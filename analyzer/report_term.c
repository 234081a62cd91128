/* report_term.c - the one-screen summary for a terminal (report_term.h).
 *
 * Each line is built in columns that are counted as the terminal counts
 * them: text of ours is ASCII, text from a bundle is escaped and cut by
 * esc_term_fit, which says how many columns it took.
 */
#include "report_term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report.h"

/* What a piece of text means, and so its colour. */
enum tone { T_PLAIN, T_BOLD, T_ERROR, T_WARNING, T_INFO, T_OK };
static const char *const tone_sgr[] = { "", "\033[1m", "\033[1;31m", "\033[33m", "\033[36m", "\033[32m" };

struct tw {
	struct buf *b;
	bool color;
};

static void tone_on(struct tw *t, enum tone k)
{
	if (t->color && k != T_PLAIN)
		buf_puts(t->b, tone_sgr[k]);
}

static void tone_off(struct tw *t, enum tone k)
{
	if (t->color && k != T_PLAIN)
		buf_puts(t->b, "\033[0m");
}

/* Spaces from column used up to column width (none past it). */
static void pad(struct tw *t, size_t width, size_t used)
{
	for (size_t i = used; i < width; i++)
		buf_append(t->b, " ", 1);
}

/* Our own text (ASCII) in tone k; its columns. */
static size_t put(struct tw *t, enum tone k, const char *s)
{
	tone_on(t, k);
	buf_puts(t->b, s);
	tone_off(t, k);
	return strlen(s);
}

/* Text from a bundle in at most cols columns, "-" for none; its columns. */
static size_t fit(struct tw *t, enum tone k, const char *s, size_t cols, enum term_cut cut)
{
	if (!s || !*s)
		s = "-";
	tone_on(t, k);
	size_t n = esc_term_fit(t->b, s, cols, cut);
	tone_off(t, k);
	return n;
}

static enum tone severity_tone(enum severity s)
{
	return s == SEV_ERROR ? T_ERROR : s == SEV_WARNING ? T_WARNING : T_INFO;
}

static enum tone status_tone(enum dev_status s)
{
	return s == ST_MATCHED ? T_OK : s == ST_AMBIGUOUS ? T_ERROR : T_WARNING;
}

static size_t text_cols(const char *s)
{
	return esc_term_width(s && *s ? s : "-");
}

/* Cut widths w[0..n) to fit budget columns in all: the widest are cut
 * first, down to one width they share. */
static void fit_widths(size_t *w, size_t n, size_t budget)
{
	size_t cap = budget;
	for (;;) {
		size_t sum = 0;
		for (size_t i = 0; i < n; i++)
			sum += w[i] < cap ? w[i] : cap;
		if (sum <= budget || cap <= 1)
			break;
		cap--;
	}
	for (size_t i = 0; i < n; i++)
		if (w[i] > cap)
			w[i] = cap;
}

/* ---- a case ------------------------------------------------------------ */

/* "Case 1: VM pmem-guest-001 on esx01 / guest pmem-guest-001", the names
 * cut (in the middle: names of one customer often differ at the end) so
 * that the line fits. */
static void term_identity(struct tw *t, const struct acase *c, size_t i)
{
	const char *vm = c->vm.name ? c->vm.name : "(no VM found)";
	const char *g = c->guest.hostname ? c->guest.hostname
					  : c->guest.bundle ? c->guest.bundle : "(no guest bundle)";
	const char *names[3] = { vm, c->vm.host, g };
	char head[32];
	snprintf(head, sizeof(head), "Case %zu: VM ", i + 1);
	size_t fixed = strlen(head) + (c->vm.host ? strlen(" on ") : 0) + strlen(" / guest ");
	size_t w[3] = { text_cols(vm), c->vm.host ? text_cols(c->vm.host) : 0, text_cols(g) };
	fit_widths(w, 3, TERM_COLS - fixed);
	tone_on(t, T_BOLD);
	buf_puts(t->b, head);
	esc_term_fit(t->b, names[0], w[0], CUT_MIDDLE);
	if (c->vm.host) {
		buf_puts(t->b, " on ");
		esc_term_fit(t->b, names[1], w[1], CUT_MIDDLE);
	}
	buf_puts(t->b, " / guest ");
	esc_term_fit(t->b, names[2], w[2], CUT_MIDDLE);
	tone_off(t, T_BOLD);
	buf_puts(t->b, "\n");
}

enum { C_SLOT, C_VMDK, C_NMEM, C_DEV, C_MOUNT, C_STATUS, NCOLS };
static const char *const col_title[NCOLS] = { "slot", "vmdk", "nmem", "device", "mount", "status" };

/* The cells of a device's row (dev and mount made here: free them). */
struct row {
	const char *cell[NCOLS];
	char *dev, *mount;
};

static void row_of(struct row *r, const struct device *d)
{
	struct buf mounts;
	buf_init(&mounts);
	r->dev = NULL;
	for (size_t i = 0; i < d->nns; i++) {
		const struct nsinfo *ns = &d->ns[i];
		if (!r->dev && (ns->blockdev || ns->chardev))
			r->dev = xasprintf("/dev/%s", ns->blockdev ? ns->blockdev : ns->chardev);
		for (size_t k = 0; k < ns->mountpoints.n; k++)
			buf_printf(&mounts, "%s%s", mounts.len ? ", " : "", ns->mountpoints.v[k]);
		if (ns->mountpoints.more)
			buf_printf(&mounts, " +%zu", ns->mountpoints.more);
	}
	r->mount = buf_steal(&mounts);
	r->cell[C_SLOT] = d->slot;
	r->cell[C_VMDK] = path_base(d->vmdk);
	r->cell[C_NMEM] = d->nmem;
	r->cell[C_DEV] = r->dev;
	r->cell[C_MOUNT] = r->mount;
	r->cell[C_STATUS] = status_name(d->status);
}

/* The table of a case's devices: each column as wide as its widest cell,
 * the widest cut first when the row would pass TERM_COLS. */
static void term_devices(struct tw *t, const struct acase *c)
{
	if (!c->ndevs) {
		buf_puts(t->b, "  No vPMem device on either side.\n");
		return;
	}
	struct row *rows = xcalloc(c->ndevs, sizeof(*rows));
	size_t w[NCOLS];
	for (size_t k = 0; k < NCOLS; k++)
		w[k] = strlen(col_title[k]);
	for (size_t i = 0; i < c->ndevs; i++) {
		row_of(&rows[i], &c->devs[i]);
		for (size_t k = 0; k < NCOLS; k++) {
			size_t n = text_cols(rows[i].cell[k]);
			w[k] = n > w[k] ? n : w[k];
		}
	}
	/* indent 2, two spaces between columns; status is ours and short */
	fit_widths(w, C_STATUS, TERM_COLS - 2 - 2 * (NCOLS - 1) - w[C_STATUS]);
	buf_puts(t->b, " ");
	for (size_t k = 0; k < NCOLS; k++) {
		pad(t, k ? 2 : 1, 0);
		size_t n = put(t, T_PLAIN, col_title[k]);
		if (k + 1 < NCOLS)
			pad(t, w[k], n);
	}
	buf_puts(t->b, "\n");
	for (size_t i = 0; i < c->ndevs; i++) {
		for (size_t k = 0; k < NCOLS; k++) {
			pad(t, 2, 0);
			enum tone tone = k == C_STATUS ? status_tone(c->devs[i].status) : T_PLAIN;
			enum term_cut cut = k == C_VMDK || k == C_MOUNT ? CUT_MIDDLE : CUT_END;
			size_t n = fit(t, tone, rows[i].cell[k], w[k], cut);
			if (k + 1 < NCOLS)
				pad(t, w[k], n);
		}
		buf_puts(t->b, "\n");
		free(rows[i].dev);
		free(rows[i].mount);
	}
	free(rows);
}

/* "  warning mount-by-kernel-name: /etc/fstab line "/dev/pmem1 /l…" */
static void term_findings(struct tw *t, const struct finding *finds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &finds[i];
		size_t used = 2 + 7 + 1;
		pad(t, 2, 0);
		size_t sev = put(t, severity_tone(f->severity), severity_name(f->severity));
		pad(t, 8, sev);
		used += fit(t, T_PLAIN, f->code, TERM_COLS - used - 2, CUT_END);
		buf_puts(t->b, ": ");
		used += 2;
		if (used < TERM_COLS)
			fit(t, T_PLAIN, f->message, TERM_COLS - used, CUT_END);
		buf_puts(t->b, "\n");
	}
}

static void term_case(struct wbuf *w, struct tw *t, const struct acase *c, size_t i)
{
	term_identity(t, c, i);
	if (c->answer) {
		size_t used = put(t, T_BOLD, "  What changed: ");
		fit(t, T_BOLD, c->answer, TERM_COLS - used, CUT_END);
		buf_puts(t->b, "\n");
	}
	term_devices(t, c);
	term_findings(t, c->finds, c->nfinds);
	buf_puts(t->b, "\n");
	wbuf_maybe_flush(w);
}

/* ---- the counts -------------------------------------------------------- */

/* "3 errors" ("1 error"; "2 info": plural false), in tone k unless n is 0. */
static void count(struct tw *t, size_t n, const char *what, bool plural, enum tone k)
{
	char s[64];
	snprintf(s, sizeof(s), "%zu %s%s", n, what, plural && n != 1 ? "s" : "");
	put(t, n ? k : T_PLAIN, s);
}

/* "Devices: 3 in 2 cases: 2 matched, 1 host-only." */
static void term_device_counts(struct tw *t, const struct analysis *a)
{
	size_t ndevs = 0, by_status[ST_AMBIGUOUS + 1] = { 0 };
	for (size_t i = 0; i < a->ncases; i++) {
		ndevs += a->cases[i].ndevs;
		for (size_t k = 0; k < a->cases[i].ndevs; k++)
			by_status[a->cases[i].devs[k].status]++;
	}
	buf_printf(t->b, "Devices: %zu in ", ndevs);
	count(t, a->ncases, "case", true, T_PLAIN);
	for (int s = ST_MATCHED, shown = 0; s <= ST_AMBIGUOUS; s++)
		if (by_status[s]) {
			buf_printf(t->b, "%s%zu ", shown++ ? ", " : ": ", by_status[s]);
			put(t, status_tone((enum dev_status)s), status_name((enum dev_status)s));
		}
	buf_puts(t->b, ".\n");
}

/* "Findings: 0 errors, 1 warning." (and "2 info" when there are some) */
static void term_finding_counts(struct tw *t, const struct analysis *a)
{
	size_t n[3];
	report_severity_counts(a, n);
	buf_puts(t->b, "Findings: ");
	count(t, n[SEV_ERROR], "error", true, T_ERROR);
	buf_puts(t->b, ", ");
	count(t, n[SEV_WARNING], "warning", true, T_WARNING);
	if (n[SEV_INFO]) {
		buf_puts(t->b, ", ");
		count(t, n[SEV_INFO], "info", false, T_INFO);
	}
	buf_puts(t->b, ".\n");
}

/* "Inputs: 3, read in full." or "Inputs: 3; 1 read in part; 2 errors,
 * 1 warning while reading (listed in the full report)." */
static void term_input_counts(struct tw *t, const struct model *m, const struct analysis *a)
{
	size_t inputs = 0, part = 0, none = 0, errs = 0, warns = 0;
	for (uint32_t i = 0; i < m->nbundles; i++) {
		const struct bundle *bd = &m->bundles[i];
		if (bd->parent >= 0 || !report_lists_bundle(m, a, i))
			continue;
		inputs++;
		part += bd->failed && bd->members_seen;
		none += bd->failed && !bd->members_seen;
	}
	for (size_t i = 0; i < report_ndiags(a); i++) {
		const struct diag *d = report_diag(a, i);
		if (report_lists_diag(m, a, d)) {
			errs += d->level == DIAG_ERROR;
			warns += d->level != DIAG_ERROR;
		}
	}
	buf_printf(t->b, "Inputs: %zu", inputs);
	if (!part && !none && !errs && !warns) {
		buf_puts(t->b, ", read in full.\n");
		return;
	}
	if (part) {
		buf_puts(t->b, "; ");
		count(t, part, "read in part", false, T_WARNING);
	}
	if (none) {
		buf_puts(t->b, "; ");
		count(t, none, "not read at all", false, T_ERROR);
	}
	buf_puts(t->b, "; while reading: ");
	count(t, errs, "error", true, T_ERROR);
	buf_puts(t->b, ", ");
	count(t, warns, "warning", true, T_WARNING);
	buf_puts(t->b, ".\n");
}

void report_term_write(struct wbuf *w, const struct model *m, const struct analysis *a)
{
	struct tw t = { &w->b, w->color };
	if (m->redacted) { /* within 80 columns, as every line here */
		put(&t, T_INFO, m->redacted_ids ? "Redacted (--redact-ids): names, addresses, paths, UUIDs are tokens."
						: "Redacted (--redact): names, addresses and paths are tokens.");
		buf_puts(t.b, "\n\n");
	}
	if (!a->ncases)
		buf_puts(t.b, "No case: no VM with vPMem devices and no guest with nmem devices found.\n\n");
	for (size_t i = 0; i < a->ncases; i++)
		term_case(w, &t, &a->cases[i], i);
	if (a->nfinds) {
		put(&t, T_BOLD, "Inputs without a case");
		buf_puts(t.b, "\n");
		term_findings(&t, a->finds, a->nfinds);
		buf_puts(t.b, "\n");
	}
	term_device_counts(&t, a);
	term_finding_counts(&t, a);
	term_input_counts(&t, m, a);
	buf_puts(t.b, "Full report: pmemmap analyze -f md ... (or -o report.html, -f json)\n");
}
