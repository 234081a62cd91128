/* case.h - what the analysis finds, the types at the bottom of it.
 *
 * An analysis is a list of cases. A case is one VM (the host side) with
 * the guest bundle that belongs to it; each of its devices is one vPMem
 * .vmdk, one guest nmem, or both, with the chain followed from the vmx
 * slot to the mount and the evidence of every link; its findings say what
 * is wrong, risky or missing. Every pass of the analysis (analyze.h) adds
 * to these; the reports read them. Nothing here calls a pass.
 *
 * The analysis reads the model and never changes it: what it learns of a
 * bundle (host name, collection time) and the diagnostics it raises are
 * kept here, and so are the texts it makes (messages, canonical UUIDs),
 * interned in its own table after a look in the model's, so that a text
 * the model holds keeps the model's pointer and strings still compare
 * by ==.
 */
#ifndef PMEMMAP_CASE_H
#define PMEMMAP_CASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "strtab.h"

enum dev_status { ST_MATCHED, ST_HOST_ONLY, ST_GUEST_ONLY, ST_AMBIGUOUS };
enum confidence { CONF_HIGH, CONF_MEDIUM, CONF_LOW, CONF_NONE };
enum severity { SEV_ERROR, SEV_WARNING, SEV_INFO };

const char *status_name(enum dev_status s);
const char *confidence_name(enum confidence c);
const char *severity_name(enum severity s);

/* At most this many items in an evidence or string list; past it they
 * are counted in `more`, so that no input makes a list (or the scan that
 * keeps it free of repeats) grow without bound. */
#define LIST_MAX 64

struct evlist {
	struct evidence *v;
	size_t n, cap;
	size_t more; /* items left out past LIST_MAX */
};

struct strlist {
	const char **v;
	size_t n, cap;
	size_t more;
};

/* Add ev (s) unless the list holds it already; past LIST_MAX, count it. */
void evlist_add(struct evlist *l, const struct evidence *ev);
void strlist_add(struct strlist *l, const char *s);

struct nsinfo {
	const char *dev, *mode, *blockdev, *chardev, *fs_uuid, *label, *fstype;
	struct strlist mountpoints; /* from the mount table */
	struct strlist fstab; /* fstab lines that name this device */
	struct evidence *fstab_ev; /* [i]: where fstab.v[i] was read */
	size_t fstab_ev_cap;
};

struct device {
	const char *slot; /* nvdimm0:1, or NULL */
	const char *vmdk; /* as the vmx or the datastore names it */
	const char *vmdk_uuid, *serial;
	const char *nmem, *dimm_id, *region;
	struct nsinfo *ns;
	size_t nns, ns_cap;
	uint64_t size_host, size_guest; /* 0 = unknown */
	enum dev_status status;
	enum confidence confidence;
	struct evlist ev;
};

struct finding {
	enum severity severity;
	const char *code; /* the catalog's (catalog.h) */
	const char *message;
	struct evlist ev;
};

struct vmside {
	const char *name, *vmx, *bios_uuid, *host;
	int bundle; /* -1: no host side */
};

struct guestside {
	const char *hostname, *bundle, *system_uuid, *collected_at;
	int bundle_id; /* -1: no guest side */
};

struct tevent {
	int64_t t; /* UTC seconds */
	const char *side; /* "host" or "guest" */
	const char *label; /* power-on, power-off, nvdimm-config, boot, ... */
	const char *text;
	struct evidence ev;
};

struct acase {
	struct vmside vm;
	struct guestside guest;
	const char *paired_by; /* system-uuid, serials, name, none */
	struct device *devs;
	size_t ndevs, devs_cap;
	struct finding *finds;
	size_t nfinds, finds_cap;
	int errors, warnings;
	/* postmortem (timeline.h, history.h) */
	struct tevent *events;
	size_t nevents, events_cap;
	const char *time_note; /* how guest times were read; clock skew */
	const char *answer; /* what changed and what it hit, or NULL */
};

/* What the analysis learnt of one bundle of the model. */
struct bundle_note {
	const char *host; /* hostname a fact names, or NULL */
	const char *collected; /* collection time as the bundle writes it, or NULL */
	int64_t collected_t; /* the same in UTC seconds; -1: none */
	const struct fact *collected_from; /* the bundle.collected fact used, or NULL */
};

struct analysis {
	const struct model *m;
	struct acase *cases;
	size_t ncases, cases_cap;
	int errors; /* error findings in all cases and of the inputs */
	bool scoped; /* reports list only the inputs of these cases */
	bool brief; /* reports show the answer and the findings only (--brief) */
	bool complete; /* every device of every case matched */
	struct finding *finds; /* of the inputs, tied to no case (the input in evidence) */
	size_t nfinds, finds_cap;
	int warnings; /* warning findings in all cases and of the inputs */
	struct bundle_note *notes; /* one per bundle of m */
	struct diag *diags; /* raised by the analysis, after the model's */
	size_t ndiags, diags_cap;
	struct strtab strs;
	FILE *log; /* diagnostics are also printed here (may be NULL) */
};

void analysis_init(struct analysis *a, const struct model *m);
void analysis_free(struct analysis *a);
/* A case added at the end, zeroed (the pointer holds until the next). */
struct acase *analysis_add_case(struct analysis *a);
/* One of a's cases as an analysis of its own, for a report of that case
 * alone (scoped): it shares a's notes and strings; free nothing of it. */
struct analysis analysis_one(const struct analysis *a, size_t i);

/* s (n bytes) as a text of the analysis: the model's copy, else a's own. */
const char *analysis_intern(struct analysis *a, const char *s, size_t n);
static inline const char *analysis_str(struct analysis *a, const char *s)
{
	return analysis_intern(a, s, __builtin_strlen(s));
}
/* The same, formatted. */
const char *analysis_printf(struct analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void analysis_diag(struct analysis *a, enum diag_level level, uint32_t bundle, const char *member,
		   uint64_t line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Add a finding to case c (NULL: to the analysis, a finding of inputs
 * that no case holds), its message made from fmt and ap, the first nev
 * evidence entries copied, and more counted as left out. The codes and
 * messages of findings are the catalog's: raise them with RAISE
 * (catalog.h), not with this. */
void case_add_finding(struct analysis *a, struct acase *c, enum severity sev, const char *code,
		      const struct evidence *ev, size_t nev, size_t more, const char *fmt, va_list ap);

#endif
