/* report.h - the three views of one analysis: JSON for machines
 * (schema pmemmap/1, docs/json-schema.md), Markdown for a ticket, and a
 * self-contained HTML page. All take the same model and analysis; every
 * string from a bundle is escaped in one place per format.
 */
#ifndef PMEMMAP_REPORT_H
#define PMEMMAP_REPORT_H

#include <json-c/json.h>

#include "case.h"
#include "model.h"
#include "util.h"

struct json_object *report_json(const struct model *m, const struct analysis *a);
struct json_object *case_to_json(const struct model *m, const struct acase *c);
/* The pmemmap/1 document as text, with version and rules digest, built
 * one case at a time (the same text as printing report_json's tree). */
char *report_json_text(const struct model *m, const struct analysis *a, const char *version,
		       const char *digest, size_t *len);
/* Is bundle b listed in a report of a? All bundles, unless a is scoped to
 * its cases (a batch's per-case report). */
bool report_lists_bundle(const struct model *m, const struct analysis *a, uint32_t b);

/* The findings of the run by severity (n[SEV_ERROR], n[SEV_WARNING],
 * n[SEV_INFO]): errors and warnings as the analysis counted them, info
 * the rest. */
void report_severity_counts(const struct analysis *a, size_t n[3]);
/* Is diagnostic d listed? All of them, unless a is scoped to its cases:
 * then only those of the bundles it lists (a batch's case report must not
 * carry every other bundle's diagnostics). */
bool report_lists_diag(const struct model *m, const struct analysis *a, const struct diag *d);
/* Each writer writes into w, flushing it in pieces as it goes; the plain
 * forms return the whole text (a batch case report, a test). */
void report_md_write(struct wbuf *w, const struct model *m, const struct analysis *a);
void report_html_write(struct wbuf *w, const struct model *m, const struct analysis *a);
void report_json_write(struct wbuf *w, const struct model *m, const struct analysis *a,
		       const char *version, const char *digest);
/* One case as one line of JSON (a batch's results.jsonl), with the
 * fields of extra (may be NULL) added after its own. */
void report_case_jsonl(struct wbuf *w, const struct model *m, const struct acase *c,
		       struct json_object *extra);
char *report_md(const struct model *m, const struct analysis *a);
char *report_html(const struct model *m, const struct analysis *a);

/* An input of a batch that could not be read, or only in part (run.json's
 * "failures"), as the batch index lists it. */
struct index_failure {
	const char *input, *reason;
	bool partial; /* read in part: cases of it may be in the index */
};

/* The batch index: one row per case, linking each case's report in the
 * formats given (the writer table's per-case formats, writers.h), and the
 * inputs that failed. The HTML index is a triage view: counts at the top,
 * cases worst first (errors, incomplete mapping, warnings, clean), then by
 * host and VM in natural order (natsort.h). */
struct report_writer;
void report_index_md_write(struct wbuf *w, const struct model *m, const struct analysis *a,
			   const struct report_writer *const *formats, size_t nformats,
			   const struct index_failure *fails, size_t nfails);
void report_index_html_write(struct wbuf *w, const struct model *m, const struct analysis *a,
			     const struct report_writer *const *formats, size_t nformats,
			     const struct index_failure *fails, size_t nfails);

/* The one page skeleton of every HTML file (reports, the batch index):
 * the Content-Security-Policy that forbids scripts and fetches, the
 * viewport, the title (escaped here), the CSS every page shares (the
 * severity colours, tables that scroll sideways in a narrow window, the
 * print stylesheet) and then the page's own CSS. */
void html_page_begin(struct buf *b, const char *title, const char *css);
void html_page_end(struct buf *b);

/* Shared by the writers: names and titles (escaped by each writer with
 * escape.h, like every other string from a bundle). */
const char *bundle_host(const struct analysis *a, uint32_t b);
const char *bundle_collected(const struct analysis *a, uint32_t b);
/* Where that time was read (manifest, readme, date-utc, date, name), or NULL. */
const char *bundle_collected_source(const struct analysis *a, uint32_t b);
/* The collection time with its source, "2026-03-05 10:31:05 (manifest)",
 * in buf; NULL when there is none. */
const char *bundle_collected_text(const struct analysis *a, uint32_t b, char *buf, size_t size);
/* The diagnostics of a report: the model's, then the analysis's. */
size_t report_ndiags(const struct analysis *a);
const struct diag *report_diag(const struct analysis *a, size_t i);
const char *case_title(const struct acase *c, char *buf, size_t size);
/* What a redacted report says of itself (--redact, redact.h), or NULL
 * when m is not redacted. */
const char *report_redacted_note(const struct model *m);
/* That note as a Markdown quote and a blank line, nothing when m is not
 * redacted (reports and the batch index). */
void report_md_redacted(struct buf *b, const struct model *m);

/* The names of the bundles in one report, made once by a writer: each
 * listed bundle by its file name, the input as given without its folders
 * ("esx01.tgz"; "ticket.zip!esx01.tgz" when nested); where two listed
 * bundles would share a name, with the folder above it, then as given,
 * then numbered " (2)", " (3)"... The report's inputs table gives the
 * path of each name once. Linear in the bundles but for one sort. */
struct bundle_names {
	char **v; /* [b] for every bundle b of the model; NULL: not listed */
	size_t n;
};
void bundle_names_init(struct bundle_names *bn, const struct model *m, const struct analysis *a);
/* The name of bundle b (its path, if the report does not list it). */
const char *bundle_name(const struct bundle_names *bn, const struct model *m, uint32_t b);
void bundle_names_free(struct bundle_names *bn);

/* A .vmdk as the vmx names it, in two parts: its file name ("x.vmdk" of
 * "/vmfs/volumes/DS/vm/x.vmdk" or "[DS] vm/x.vmdk"), a pointer into
 * vmdk; and its datastore ("DS"), allocated, or NULL when the path names
 * none. */
const char *vmdk_file(const char *vmdk);
char *vmdk_datastore(const char *vmdk);

/* What to do about finding f and where to read more: the catalog entry's
 * remedy and reference (catalog.h), or NULL. */
const char *finding_remedy(const struct finding *f);
const char *finding_reference(const struct finding *f);

#endif
