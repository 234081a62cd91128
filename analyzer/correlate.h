/* correlate.h - from facts to answers: cases, device chains, findings.
 *
 * A case is one VM (host side) with the guest bundle that belongs to it.
 * For every vPMem device the chain is followed from the vmx slot to the
 * .vmdk, its UUID and serial, the guest nmem with that serial, its region
 * (through the region's mappings, never by number), namespaces, block or
 * char device, filesystem and mounts. Every link keeps its evidence.
 */
#ifndef PMEMMAP_CORRELATE_H
#define PMEMMAP_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

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
	const char *code;
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
	/* postmortem (timeline.c) */
	struct tevent *events;
	size_t nevents, events_cap;
	const char *time_note; /* how guest times were read; clock skew */
	const char *answer; /* what changed and what it hit, or NULL */
};

struct analysis {
	struct acase *cases;
	size_t ncases;
	int errors; /* error findings in all cases */
	bool scoped; /* reports list only the inputs of these cases */
	bool complete; /* every device of every case matched */
};

void correlate(struct model *m, struct analysis *a);
/* Add a finding to case c (message formatted; evidence copied). */
void case_finding(struct model *m, struct acase *c, enum severity sev, const char *code,
		  const struct evidence *ev, size_t nev, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void analysis_free(struct analysis *a);

#endif
