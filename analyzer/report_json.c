/* report_json.c - the pmemmap/1 JSON document (docs/json-schema.md).
 * Fields may be added, never renamed.
 */
#include "report.h"
#include "escape.h"
#include "timeline.h"
#include "when.h"

#include <stdio.h>
#include <string.h>

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL; /* NULL prints as null */
}

static struct json_object *jsize(uint64_t n)
{
	return n ? json_object_new_int64((int64_t)n) : NULL;
}

static struct json_object *evlist_to_json(const struct model *m, const struct evlist *l)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(a, evidence_to_json(m, &l->v[i]));
	return a;
}

static struct json_object *strlist_to_json(const struct strlist *l)
{
	struct json_object *a = json_object_new_array();
	for (size_t i = 0; i < l->n; i++)
		json_object_array_add(a, json_object_new_string(l->v[i]));
	return a;
}

static struct json_object *ns_to_json(const struct nsinfo *ns)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "dev", jstr(ns->dev));
	json_object_object_add(o, "mode", jstr(ns->mode));
	json_object_object_add(o, "blockdev", jstr(ns->blockdev));
	json_object_object_add(o, "chardev", jstr(ns->chardev));
	json_object_object_add(o, "fs_uuid", jstr(ns->fs_uuid));
	json_object_object_add(o, "fs_label", jstr(ns->label));
	json_object_object_add(o, "fs_type", jstr(ns->fstype));
	json_object_object_add(o, "mountpoints", strlist_to_json(&ns->mountpoints));
	json_object_object_add(o, "fstab", strlist_to_json(&ns->fstab));
	return o;
}

static struct json_object *device_to_json(const struct model *m, const struct device *d)
{
	struct json_object *o = json_object_new_object();
	struct json_object *ns = json_object_new_array();
	json_object_object_add(o, "slot", jstr(d->slot));
	json_object_object_add(o, "vmdk", jstr(d->vmdk));
	json_object_object_add(o, "vmdk_uuid", jstr(d->vmdk_uuid));
	json_object_object_add(o, "serial", jstr(d->serial));
	json_object_object_add(o, "nmem", jstr(d->nmem));
	json_object_object_add(o, "dimm_id", jstr(d->dimm_id));
	json_object_object_add(o, "region", jstr(d->region));
	for (size_t i = 0; i < d->nns; i++)
		json_object_array_add(ns, ns_to_json(&d->ns[i]));
	json_object_object_add(o, "namespaces", ns);
	json_object_object_add(o, "size_host", jsize(d->size_host));
	json_object_object_add(o, "size_guest", jsize(d->size_guest));
	json_object_object_add(o, "status", jstr(status_name(d->status)));
	json_object_object_add(o, "confidence", jstr(confidence_name(d->confidence)));
	json_object_object_add(o, "evidence", evlist_to_json(m, &d->ev));
	return o;
}

static struct json_object *finding_to_json(const struct model *m, const struct finding *f)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "severity", jstr(severity_name(f->severity)));
	json_object_object_add(o, "code", jstr(f->code));
	json_object_object_add(o, "message", jstr(f->message));
	json_object_object_add(o, "evidence", evlist_to_json(m, &f->ev));
	return o;
}

struct json_object *case_to_json(const struct model *m, const struct acase *c)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vm = json_object_new_object(), *g = json_object_new_object();
	struct json_object *devs = json_object_new_array(), *finds = json_object_new_array();

	json_object_object_add(vm, "name", jstr(c->vm.name));
	json_object_object_add(vm, "vmx", jstr(c->vm.vmx));
	json_object_object_add(vm, "bios_uuid", jstr(c->vm.bios_uuid));
	json_object_object_add(vm, "host", jstr(c->vm.host));
	json_object_object_add(vm, "bundle", c->vm.bundle >= 0 ? jstr(m->bundles[c->vm.bundle].path) : NULL);
	json_object_object_add(g, "hostname", jstr(c->guest.hostname));
	json_object_object_add(g, "bundle", jstr(c->guest.bundle));
	json_object_object_add(g, "system_uuid", jstr(c->guest.system_uuid));
	json_object_object_add(g, "collected_at", jstr(c->guest.collected_at));
	json_object_object_add(o, "vm", vm);
	json_object_object_add(o, "guest", g);
	json_object_object_add(o, "paired_by", jstr(c->paired_by));
	for (size_t i = 0; i < c->ndevs; i++)
		json_object_array_add(devs, device_to_json(m, &c->devs[i]));
	for (size_t i = 0; i < c->nfinds; i++)
		json_object_array_add(finds, finding_to_json(m, &c->finds[i]));
	json_object_object_add(o, "devices", devs);
	json_object_object_add(o, "findings", finds);
	/* postmortem (added in pmemmap/1: new fields only) */
	json_object_object_add(o, "answer", jstr(c->answer));
	json_object_object_add(o, "time_note", jstr(c->time_note));
	struct json_object *tl = json_object_new_array();
	for (size_t i = 0; i < c->nevents; i++) {
		const struct tevent *e = &c->events[i];
		struct json_object *ev = json_object_new_object();
		char when[32];
		format_utc(e->t, when, sizeof(when));
		when[10] = 'T';
		strcat(when, "Z");
		json_object_object_add(ev, "time", json_object_new_string(when));
		json_object_object_add(ev, "side", jstr(e->side));
		json_object_object_add(ev, "label", jstr(e->label));
		json_object_object_add(ev, "text", jstr(e->text));
		json_object_object_add(ev, "evidence", evidence_to_json(m, &e->ev));
		json_object_array_add(tl, ev);
	}
	json_object_object_add(o, "timeline", tl);
	return o;
}

struct json_object *report_json(const struct model *m, const struct analysis *a)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *inputs = json_object_new_array(), *cases = json_object_new_array();
	struct json_object *diags = json_object_new_array();

	json_object_object_add(doc, "schema", json_object_new_string("pmemmap/1"));
	for (uint32_t b = 0; b < m->nbundles; b++) {
		const struct bundle *bd = &m->bundles[b];
		if (!report_lists_bundle(m, a, b))
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "path", jstr(bd->path));
		json_object_object_add(o, "kind", jstr(kind_name(bd->kind)));
		json_object_object_add(o, "host", jstr(bundle_host(m, b)));
		json_object_object_add(o, "collected_at", jstr(bundle_collected(m, b)));
		json_object_object_add(o, "status", jstr(!bd->failed ? "read" : bd->members_seen ? "partial" : "unreadable"));
		json_object_array_add(inputs, o);
	}
	for (size_t i = 0; i < a->ncases; i++)
		json_object_array_add(cases, case_to_json(m, &a->cases[i]));
	for (size_t i = 0; i < m->ndiags; i++)
		if (report_lists_diag(m, a, &m->diags[i]))
			json_object_array_add(diags, diag_to_json(m, &m->diags[i]));
	json_object_object_add(doc, "inputs", inputs);
	json_object_object_add(doc, "cases", cases);
	json_object_object_add(doc, "diagnostics", diags);
	return doc;
}

/* Append text to b with two more spaces of indent after each newline: a
 * value printed at level 0 as it prints at level 1 (JSON strings hold no
 * raw newline, so every newline is json-c's). */
static void append_indented(struct buf *b, const char *text, size_t n, unsigned extra_levels)
{
	const char *p = text, *end = text + n, *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		buf_append(b, p, (size_t)(nl - p) + 1);
		for (unsigned i = 0; i < extra_levels; i++)
			buf_puts(b, "  ");
		p = nl + 1;
	}
	buf_append(b, p, (size_t)(end - p));
}

char *report_json_text(const struct model *m, const struct analysis *a, const char *version,
		       const char *digest, size_t *len)
{
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE;
	static const char mark[] = "\"cases\":\"@cases@\"";
	struct analysis none = *a;
	none.cases = NULL;
	none.ncases = 0;
	/* the document without its cases (they are the bulk: a tree of every
	 * device's evidence); each case is then printed on its own and freed,
	 * so memory holds one case's tree at a time */
	struct json_object *doc = report_json(m, a->ncases ? &none : a);
	if (a->ncases)
		json_object_object_add(doc, "cases", json_object_new_string("@cases@"));
	json_object_object_add(doc, "pmemmap", json_object_new_string(version));
	json_object_object_add(doc, "rules_digest", json_object_new_string(digest));
	size_t n;
	const char *head = json_object_to_json_string_length(doc, flags, &n);
	const char *at = a->ncases ? strstr(head, mark) : NULL;
	struct buf b;
	buf_init(&b);
	if (!at) {
		buf_append(&b, head, n);
	} else {
		buf_append(&b, head, (size_t)(at - head));
		buf_puts(&b, "\"cases\":[\n");
		for (size_t i = 0; i < a->ncases; i++) {
			struct json_object *cj = case_to_json(m, &a->cases[i]);
			size_t cn;
			const char *ct = json_object_to_json_string_length(cj, flags, &cn);
			buf_puts(&b, i ? ",\n    " : "    ");
			append_indented(&b, ct, cn, 2);
			json_object_put(cj);
		}
		buf_puts(&b, "\n  ]");
		const char *rest = at + sizeof(mark) - 1;
		buf_append(&b, rest, n - (size_t)(rest - head));
	}
	buf_puts(&b, "\n");
	esc_json_text(&b, 0);
	json_object_put(doc);
	*len = b.len;
	return buf_steal(&b);
}
