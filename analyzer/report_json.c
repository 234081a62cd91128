/* report_json.c - the pmemmap/1 JSON document (docs/json-schema.md).
 * Fields may be added, never renamed.
 */
#include "report.h"
#include "jsonout.h"
#include "escape.h"
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
	/* lists stop at LIST_MAX items; the rest are counted (only when any) */
	if (ns->mountpoints.more)
		json_object_object_add(o, "mountpoints_omitted",
				       json_object_new_int64((int64_t)ns->mountpoints.more));
	if (ns->fstab.more)
		json_object_object_add(o, "fstab_omitted", json_object_new_int64((int64_t)ns->fstab.more));
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
	if (d->ev.more)
		json_object_object_add(o, "evidence_omitted", json_object_new_int64((int64_t)d->ev.more));
	return o;
}

static struct json_object *finding_to_json(const struct model *m, const struct finding *f)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "severity", jstr(severity_name(f->severity)));
	json_object_object_add(o, "code", jstr(f->code));
	json_object_object_add(o, "message", jstr(f->message));
	/* from the catalog: what to do, and where to read more */
	const char *remedy = finding_remedy(f), *ref = finding_reference(f);
	json_object_object_add(o, "remedy", remedy ? jstr(remedy) : NULL);
	json_object_object_add(o, "reference", ref ? jstr(ref) : NULL);
	json_object_object_add(o, "evidence", evlist_to_json(m, &f->ev));
	if (f->ev.more)
		json_object_object_add(o, "evidence_omitted", json_object_new_int64((int64_t)f->ev.more));
	return o;
}

static struct json_object *event_to_json(const struct model *m, const struct tevent *e)
{
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
	return ev;
}

/* The case as a tree; with shell set, its long arrays (when not empty) are
 * the strings "@devices@", "@findings@" and "@timeline@", for
 * case_write to print element by element. */
static struct json_object *case_tree(const struct model *m, const struct acase *c, bool shell)
{
	struct json_object *o = json_object_new_object();
	struct json_object *vm = json_object_new_object(), *g = json_object_new_object();

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
	if (shell && c->ndevs) {
		json_object_object_add(o, "devices", json_object_new_string("@devices@"));
	} else {
		struct json_object *devs = json_object_new_array();
		for (size_t i = 0; i < c->ndevs; i++)
			json_object_array_add(devs, device_to_json(m, &c->devs[i]));
		json_object_object_add(o, "devices", devs);
	}
	if (shell && c->nfinds) {
		json_object_object_add(o, "findings", json_object_new_string("@findings@"));
	} else {
		struct json_object *finds = json_object_new_array();
		for (size_t i = 0; i < c->nfinds; i++)
			json_object_array_add(finds, finding_to_json(m, &c->finds[i]));
		json_object_object_add(o, "findings", finds);
	}
	/* postmortem (added in pmemmap/1: new fields only) */
	json_object_object_add(o, "answer", jstr(c->answer));
	json_object_object_add(o, "time_note", jstr(c->time_note));
	if (shell && c->nevents) {
		json_object_object_add(o, "timeline", json_object_new_string("@timeline@"));
	} else {
		struct json_object *tl = json_object_new_array();
		for (size_t i = 0; i < c->nevents; i++)
			json_object_array_add(tl, event_to_json(m, &c->events[i]));
		json_object_object_add(o, "timeline", tl);
	}
	return o;
}

struct json_object *case_to_json(const struct model *m, const struct acase *c)
{
	return case_tree(m, c, false);
}

struct json_object *report_json(const struct model *m, const struct analysis *a)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *inputs = json_object_new_array(), *cases = json_object_new_array();
	struct json_object *diags = json_object_new_array();

	json_object_object_add(doc, "schema", json_object_new_string("pmemmap/1"));
	json_object_object_add(doc, "redacted", json_object_new_boolean(m->redacted));
	json_object_object_add(doc, "redacted_ids", json_object_new_boolean(m->redacted_ids));
	for (uint32_t b = 0; b < m->nbundles; b++) {
		const struct bundle *bd = &m->bundles[b];
		if (!report_lists_bundle(m, a, b))
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "path", jstr(bd->path));
		json_object_object_add(o, "kind", jstr(kind_name(bd->kind)));
		json_object_object_add(o, "host", jstr(bundle_host(a, b)));
		json_object_object_add(o, "collected_at", jstr(bundle_collected(a, b)));
		const struct fact *from = a->notes[b].collected_from;
		struct json_object *cf = NULL;
		if (from) {
			cf = json_object_new_object();
			json_object_object_add(cf, "source", jstr(bundle_collected_source(a, b)));
			json_object_object_add(cf, "evidence", evidence_to_json(m, &from->ev));
		}
		json_object_object_add(o, "collected_from", cf);
		json_object_object_add(o, "status", jstr(!bd->failed ? "read" : bd->members_seen ? "partial" : "unreadable"));
		json_object_array_add(inputs, o);
	}
	for (size_t i = 0; i < a->ncases; i++)
		json_object_array_add(cases, case_to_json(m, &a->cases[i]));
	struct json_object *finds = json_object_new_array();
	for (size_t i = 0; i < a->nfinds; i++)
		json_object_array_add(finds, finding_to_json(m, &a->finds[i]));
	for (size_t i = 0; i < report_ndiags(a); i++)
		if (report_lists_diag(m, a, report_diag(a, i)))
			json_object_array_add(diags, diag_to_json(m, report_diag(a, i)));
	json_object_object_add(doc, "inputs", inputs);
	json_object_object_add(doc, "cases", cases);
	json_object_object_add(doc, "findings", finds);
	json_object_object_add(doc, "diagnostics", diags);
	return doc;
}

/* What an element of a case's arrays needs: the model and the case. */
struct rctx {
	const struct model *m;
	const struct acase *c;
	const struct analysis *a;
};

static void device_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
			unsigned level)
{
	const struct rctx *r = ctx;
	struct json_object *o = device_to_json(r->m, &r->c->devs[i]);
	print_tree(w, o, st, level);
	json_object_put(o);
}

static void finding_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
			 unsigned level)
{
	const struct rctx *r = ctx;
	struct json_object *o = finding_to_json(r->m, &r->c->finds[i]);
	print_tree(w, o, st, level);
	json_object_put(o);
}

static void event_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
		       unsigned level)
{
	const struct rctx *r = ctx;
	struct json_object *o = event_to_json(r->m, &r->c->events[i]);
	print_tree(w, o, st, level);
	json_object_put(o);
}

/* One case, its devices, findings and timeline streamed; extra: fields
 * added after the case's own (a batch's "id"), or NULL. */
static void case_write(struct wbuf *w, const struct model *m, const struct acase *c,
		       const struct jstyle *st, unsigned level, struct json_object *extra)
{
	struct json_object *o = case_tree(m, c, true);
	const struct rctx r = { m, c, NULL };
	if (extra) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(o, k, json_object_get(v));
	}
	const struct jarray arrs[] = {
		{ "\"@devices@\"", c->ndevs, device_elem, &r },
		{ "\"@findings@\"", c->nfinds, finding_elem, &r },
		{ "\"@timeline@\"", c->nevents, event_elem, &r },
	};
	print_with_arrays(w, o, arrs, 3, st, level);
	json_object_put(o);
}

static void case_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
		      unsigned level)
{
	const struct rctx *r = ctx;
	case_write(w, r->m, &r->a->cases[i], st, level, NULL);
}

void report_case_jsonl(struct wbuf *w, const struct model *m, const struct acase *c,
		       struct json_object *extra)
{
	const struct jstyle st = { JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, false };
	w->filter = jsonout_filter;
	case_write(w, m, c, &st, 0, extra);
	buf_puts(&w->b, "\n");
	wbuf_maybe_flush(w);
}

void report_json_write(struct wbuf *w, const struct model *m, const struct analysis *a,
		       const char *version, const char *digest)
{
	const struct jstyle st = { JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, true };
	struct analysis none = *a;
	none.cases = NULL;
	none.ncases = 0;
	/* the document without its cases (they are the bulk), each case then
	 * printed on its own, and within it each device, finding and event:
	 * memory holds one element's tree at a time */
	struct json_object *doc = report_json(m, a->ncases ? &none : a);
	if (a->ncases)
		json_object_object_add(doc, "cases", json_object_new_string("@cases@"));
	json_object_object_add(doc, "pmemmap", json_object_new_string(version));
	json_object_object_add(doc, "rules_digest", json_object_new_string(digest));
	const struct rctx r = { m, NULL, a };
	const struct jarray arrs[] = { { "\"@cases@\"", a->ncases, case_elem, &r } };
	w->filter = jsonout_filter;
	print_with_arrays(w, doc, arrs, 1, &st, 0);
	buf_puts(&w->b, "\n");
	json_object_put(doc);
}

char *report_json_text(const struct model *m, const struct analysis *a, const char *version,
		       const char *digest, size_t *len)
{
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	report_json_write(&w, m, a, version, digest);
	wbuf_finish(&w);
	*len = w.b.len;
	return buf_steal(&w.b);
}
