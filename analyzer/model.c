/* model.c - fact store: string arena, interning, facts and diagnostics. */
#include "model.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "jsonout.h"
#include "util.h"

void model_init(struct model *m)
{
	memset(m, 0, sizeof(*m));
	strtab_init(&m->strs);
}

void model_free(struct model *m)
{
	strtab_free(&m->strs); /* the facts' strings and fields */
	free(m->facts);
	free(m->bundles);
	free(m->diags);
	memset(m, 0, sizeof(*m));
}

uint32_t model_add_bundle(struct model *m, const char *path, int parent)
{
	m->bundles = grow(m->bundles, &m->bundles_cap, m->nbundles + 1, sizeof(*m->bundles));
	struct bundle *b = &m->bundles[m->nbundles];
	memset(b, 0, sizeof(*b));
	b->path = model_str(m, path);
	b->parent = parent;
	b->first_fact = m->nfacts;
	return (uint32_t)m->nbundles++;
}

void model_mark_failed(struct model *m, uint32_t b)
{
	m->bundles[b].failed = true;
}

/* The input a bundle was read from: its outermost parent. */
static uint32_t root_of(const struct model *m, uint32_t b)
{
	while (m->bundles[b].parent >= 0)
		b = (uint32_t)m->bundles[b].parent;
	return b;
}

struct fact *model_add_fact(struct model *m, const char *type, const struct field *fields,
			    size_t n, enum bundle_kind rule_kind, const struct evidence *ev)
{
	if (m->fact_limit) {
		struct bundle *root = &m->bundles[root_of(m, ev->bundle)];
		if (root->facts >= m->fact_limit) {
			if (root->facts++ == m->fact_limit) {
				model_mark_failed(m, root_of(m, ev->bundle));
				model_diag(m, DIAG_ERROR, ev->bundle, ev->member, ev->line,
					   "more than %llu facts from this input: the rest are left out "
					   "(--max-facts)",
					   (unsigned long long)m->fact_limit);
			}
			return NULL;
		}
		root->facts++;
	}
	if (m->nfacts == m->facts_cap) {
		m->facts_cap = m->facts_cap ? m->facts_cap * 2 : 256;
		m->facts = xrealloc(m->facts, m->facts_cap * sizeof(*m->facts));
	}
	struct fact *f = &m->facts[m->nfacts++];
	f->type = model_str(m, type);
	f->fields = strtab_alloc(&m->strs, n * sizeof(*f->fields), _Alignof(struct field));
	f->nfields = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		f->fields[i].key = model_str(m, fields[i].key);
		f->fields[i].value = model_str(m, fields[i].value);
	}
	f->rule_kind = rule_kind;
	f->ev = *ev;
	f->ev.member = model_str(m, ev->member ? ev->member : "");
	return f;
}

size_t model_filter_bundle(struct model *m, uint32_t bundle)
{
	enum bundle_kind kind = m->bundles[bundle].kind;
	/* a bundle's facts all come after it was added: the facts before are
	 * left as they are, and the filter costs what the bundle holds */
	size_t start = m->bundles[bundle].first_fact;
	size_t o = start, kept = 0;
	for (size_t i = start; i < m->nfacts; i++) {
		struct fact *f = &m->facts[i];
		if (f->ev.bundle == bundle && f->rule_kind != KIND_ANY && f->rule_kind != kind) {
			continue; /* its fields stay in the model's arena */
		}
		kept += f->ev.bundle == bundle;
		m->facts[o++] = *f;
	}
	m->nfacts = o;
	return kept;
}

void model_diag(struct model *m, enum diag_level level, uint32_t bundle, const char *member,
		uint64_t line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	m->diags = grow(m->diags, &m->diags_cap, m->ndiags + 1, sizeof(*m->diags));
	struct diag *d = &m->diags[m->ndiags++];
	d->level = level;
	d->bundle = bundle;
	d->member = model_str(m, member ? member : "");
	d->line = line;
	d->message = model_str(m, msg);
	free(msg);
	if (m->log)
		diag_print(m->log, m->bundles[bundle].path, d);
}

void diag_print(FILE *log, const char *bundle_path, const struct diag *d)
{
	struct buf b;
	buf_init(&b);
	/* one line, "bundle: member:line: level: message" */
	buf_printf(&b, "pmemmap: %s", bundle_path);
	if (*d->member)
		buf_printf(&b, ": %s", d->member);
	if (d->line)
		buf_printf(&b, ":%llu", (unsigned long long)d->line);
	buf_printf(&b, ": %s: %s", d->level == DIAG_ERROR ? "error" : "warning", d->message);
	/* names from a bundle may carry terminal escapes: never print them raw */
	term_line(log, "%s", b.data);
	buf_free(&b);
}

const char *fact_get(const struct fact *f, const char *key)
{
	for (uint32_t i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].key, key) == 0)
			return f->fields[i].value;
	return NULL;
}

struct json_object *evidence_to_json(const struct model *m, const struct evidence *ev)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "bundle", json_object_new_string(m->bundles[ev->bundle].path));
	json_object_object_add(o, "member", json_object_new_string(ev->member));
	json_object_object_add(o, "line", json_object_new_int64((int64_t)ev->line));
	return o;
}

struct json_object *fact_to_json(const struct model *m, const struct fact *f)
{
	struct json_object *o = json_object_new_object();
	struct json_object *fields = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(f->type));
	for (uint32_t i = 0; i < f->nfields; i++)
		json_object_object_add(fields, f->fields[i].key,
				       json_object_new_string(f->fields[i].value));
	json_object_object_add(o, "fields", fields);
	json_object_object_add(o, "evidence", evidence_to_json(m, &f->ev));
	return o;
}

struct json_object *bundle_to_json(const struct model *m, uint32_t idx)
{
	const struct bundle *b = &m->bundles[idx];
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "path", json_object_new_string(b->path));
	json_object_object_add(o, "kind", json_object_new_string(kind_name(b->kind)));
	if (b->parent >= 0)
		json_object_object_add(o, "inside",
				       json_object_new_string(m->bundles[b->parent].path));
	const char *status = !b->failed ? "read" : b->members_seen ? "partial" : "unreadable";
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "members_seen", json_object_new_int64((int64_t)b->members_seen));
	json_object_object_add(o, "members_read", json_object_new_int64((int64_t)b->members_read));
	json_object_object_add(o, "bytes_read", json_object_new_int64((int64_t)b->bytes_read));
	return o;
}

struct json_object *diag_to_json(const struct model *m, const struct diag *d)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "level",
			       json_object_new_string(d->level == DIAG_ERROR ? "error" : "warning"));
	json_object_object_add(o, "bundle", json_object_new_string(m->bundles[d->bundle].path));
	json_object_object_add(o, "member", json_object_new_string(d->member));
	json_object_object_add(o, "line", json_object_new_int64((int64_t)d->line));
	json_object_object_add(o, "message", json_object_new_string(d->message));
	return o;
}

/* ---- reading a facts document back (batch, merge) ------------------- */

/* A facts file is untrusted input like any bundle (a partial output given
 * to merge may come from anywhere): json-c asserts on a wrong type, so
 * every value is checked here before anything is taken from it. */

static bool is_type(struct json_object *o, enum json_type t)
{
	return json_object_is_type(o, t);
}

/* o[key] when present: of type t (or absent and !required). */
static bool field_ok(struct json_object *o, const char *key, enum json_type t, bool required)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return !required;
	return is_type(v, t) || (t == json_type_string && !required && is_type(v, json_type_null));
}

static bool array_at(struct json_object *doc, const char *key, struct json_object **arr,
		     struct buf *err)
{
	*arr = NULL;
	if (!json_object_object_get_ex(doc, key, arr))
		return true;
	if (is_type(*arr, json_type_array))
		return true;
	buf_printf(err, "\"%s\" is not an array", key);
	return false;
}

static bool facts_doc_valid(struct json_object *doc, struct buf *err)
{
	struct json_object *inputs, *facts, *diags;
	struct json_object *schema;

	if (!is_type(doc, json_type_object)) {
		buf_printf(err, "not a JSON object");
		return false;
	}
	if (!json_object_object_get_ex(doc, "schema", &schema) || !is_type(schema, json_type_string) ||
	    strcmp(json_object_get_string(schema), "pmemmap-facts/1")) {
		buf_printf(err, "not a pmemmap-facts/1 document");
		return false;
	}
	if (!array_at(doc, "inputs", &inputs, err) || !array_at(doc, "facts", &facts, err) ||
	    !array_at(doc, "diagnostics", &diags, err))
		return false;
	for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
		struct json_object *o = json_object_array_get_idx(inputs, i);
		if (!is_type(o, json_type_object) || !field_ok(o, "path", json_type_string, true) ||
		    !field_ok(o, "kind", json_type_string, false) ||
		    !field_ok(o, "inside", json_type_string, false) ||
		    !field_ok(o, "status", json_type_string, false) ||
		    !field_ok(o, "members_seen", json_type_int, false) ||
		    !field_ok(o, "members_read", json_type_int, false) ||
		    !field_ok(o, "bytes_read", json_type_int, false)) {
			buf_printf(err, "inputs[%zu] is not an input object of the expected types", i);
			return false;
		}
	}
	for (size_t i = 0; facts && i < json_object_array_length(facts); i++) {
		struct json_object *o = json_object_array_get_idx(facts, i), *fo, *ev;
		if (!is_type(o, json_type_object) || !field_ok(o, "type", json_type_string, true) ||
		    !json_object_object_get_ex(o, "fields", &fo) || !is_type(fo, json_type_object) ||
		    !json_object_object_get_ex(o, "evidence", &ev) || !is_type(ev, json_type_object) ||
		    !field_ok(ev, "bundle", json_type_string, true) ||
		    !field_ok(ev, "member", json_type_string, false) ||
		    !field_ok(ev, "line", json_type_int, false)) {
			buf_printf(err, "facts[%zu] is not a fact object of the expected types", i);
			return false;
		}
		json_object_object_foreach(fo, key, val)
		{
			(void)key;
			if (!is_type(val, json_type_string)) {
				buf_printf(err, "facts[%zu].fields holds a value that is not a string", i);
				return false;
			}
		}
	}
	for (size_t i = 0; diags && i < json_object_array_length(diags); i++) {
		struct json_object *o = json_object_array_get_idx(diags, i);
		if (!is_type(o, json_type_object) || !field_ok(o, "bundle", json_type_string, true) ||
		    !field_ok(o, "level", json_type_string, false) ||
		    !field_ok(o, "member", json_type_string, false) ||
		    !field_ok(o, "line", json_type_int, false) ||
		    !field_ok(o, "message", json_type_string, false)) {
			buf_printf(err, "diagnostics[%zu] is not a diagnostic object of the expected types", i);
			return false;
		}
	}
	return true;
}

static const char *jget_str(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static uint64_t jget_count(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
		return 0;
	int64_t n = json_object_get_int64(v);
	return n > 0 ? (uint64_t)n : 0;
}

/* Bundles by path, for the facts and diagnostics that name them. */
static int bundle_by_path(struct strmap *paths, const char *path)
{
	const struct strmap_ent *e = strmap_get(paths, path, strlen(path), false);
	return e ? (int)e->count - 1 : -1;
}

static uint32_t bundle_add(struct model *m, struct strmap *paths, const char *path, int parent)
{
	uint32_t b = model_add_bundle(m, path, parent);
	strmap_get(paths, path, strlen(path), true)->count = b + 1; /* the last one wins */
	return b;
}

/* The bundle an evidence names: known, or a nested one the facts document
 * left out of "inputs" because it held nothing. */
static uint32_t bundle_ref(struct model *m, struct strmap *paths, const char *path)
{
	int b = bundle_by_path(paths, path);
	return b >= 0 ? (uint32_t)b : bundle_add(m, paths, path, -1);
}

int model_load_json(struct model *m, struct json_object *doc, struct buf *err)
{
	struct json_object *inputs = NULL, *facts = NULL, *diags = NULL;
	struct strmap paths;

	if (!facts_doc_valid(doc, err))
		return -1;
	json_object_object_get_ex(doc, "inputs", &inputs);
	json_object_object_get_ex(doc, "facts", &facts);
	json_object_object_get_ex(doc, "diagnostics", &diags);
	/* one input's facts: a worker kept at most fact_limit of them */
	if (facts && m->fact_limit && json_object_array_length(facts) > m->fact_limit) {
		buf_printf(err, "more than %llu facts (--max-facts)", (unsigned long long)m->fact_limit);
		return -1;
	}
	/* a document's evidence names its own inputs: a map per document keeps
	 * loading linear in a batch of thousands */
	strmap_init(&paths);
	for (size_t i = 0; inputs && i < json_object_array_length(inputs); i++) {
		struct json_object *o = json_object_array_get_idx(inputs, i);
		const char *path = jget_str(o, "path"), *kind = jget_str(o, "kind");
		const char *inside = jget_str(o, "inside"), *status = jget_str(o, "status");
		int parent = inside ? bundle_by_path(&paths, inside) : -1;
		uint32_t b = bundle_add(m, &paths, path, parent);
		struct bundle *bd = &m->bundles[b];
		if (kind)
			kind_parse(kind, &bd->kind);
		bd->failed = status && strcmp(status, "read");
		bd->members_seen = jget_count(o, "members_seen");
		bd->members_read = jget_count(o, "members_read");
		bd->bytes_read = jget_count(o, "bytes_read");
	}
	struct field *fields = NULL;
	size_t fields_cap = 0;
	for (size_t i = 0; facts && i < json_object_array_length(facts); i++) {
		struct json_object *o = json_object_array_get_idx(facts, i), *fo, *ev;
		json_object_object_get_ex(o, "fields", &fo);
		json_object_object_get_ex(o, "evidence", &ev);
		size_t n = (size_t)json_object_object_length(fo), k = 0;
		if (n + 1 > fields_cap) {
			fields_cap = n + 1;
			fields = xrealloc(fields, fields_cap * sizeof(*fields));
		}
		json_object_object_foreach(fo, key, val)
		{
			fields[k].key = key;
			fields[k++].value = json_object_get_string(val);
		}
		struct evidence e = { bundle_ref(m, &paths, jget_str(ev, "bundle")), jget_str(ev, "member"),
				      jget_count(ev, "line") };
		model_add_fact(m, jget_str(o, "type"), fields, k, KIND_ANY, &e);
	}
	free(fields);
	if (diags) {
		FILE *log = m->log;
		m->log = NULL; /* already reported when they happened */
		for (size_t i = 0; i < json_object_array_length(diags); i++) {
			struct json_object *o = json_object_array_get_idx(diags, i);
			const char *level = jget_str(o, "level");
			const char *msg = jget_str(o, "message");
			model_diag(m, level && !strcmp(level, "error") ? DIAG_ERROR : DIAG_WARNING,
				   bundle_ref(m, &paths, jget_str(o, "bundle")), jget_str(o, "member"),
				   jget_count(o, "line"), "%s", msg ? msg : "");
		}
		m->log = log;
	}
	strmap_free(&paths);
	return 0;
}

static void bundle_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
			unsigned level)
{
	const struct model *m = ctx;
	struct json_object *o = bundle_to_json(m, (uint32_t)i);
	print_tree(w, o, st, level);
	json_object_put(o);
}

static void fact_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
		      unsigned level)
{
	const struct model *m = ctx;
	struct json_object *o = fact_to_json(m, &m->facts[i]);
	print_tree(w, o, st, level);
	json_object_put(o);
}

static void diag_elem(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
		      unsigned level)
{
	const struct model *m = ctx;
	struct json_object *o = diag_to_json(m, &m->diags[i]);
	print_tree(w, o, st, level);
	json_object_put(o);
}

/* "inputs" lists the bundles that are not empty nested ones: when every
 * bundle is listed, they stream by index; otherwise (few, in practice)
 * they are built as a tree. */
static bool all_listed(const struct model *m)
{
	for (size_t i = 0; i < m->nbundles; i++)
		if (m->bundles[i].empty)
			return false;
	return true;
}

void model_facts_write(struct wbuf *w, const struct model *m, const char *version, const char *digest,
		       struct json_object *meta, bool pretty)
{
	const struct jstyle st = { (pretty ? JSON_C_TO_STRING_PRETTY : JSON_C_TO_STRING_PLAIN) |
					   JSON_C_TO_STRING_NOSLASHESCAPE,
				   pretty };
	struct json_object *doc = json_object_new_object();
	bool stream_inputs = all_listed(m) && m->nbundles;

	if (meta)
		json_object_object_add(doc, "batch", json_object_get(meta));
	json_object_object_add(doc, "schema", json_object_new_string("pmemmap-facts/1"));
	json_object_object_add(doc, "pmemmap", json_object_new_string(version));
	json_object_object_add(doc, "rules_digest", json_object_new_string(digest));
	json_object_object_add(doc, "redacted", json_object_new_boolean(m->redacted));
	json_object_object_add(doc, "redacted_ids", json_object_new_boolean(m->redacted_ids));
	if (stream_inputs) {
		json_object_object_add(doc, "inputs", json_object_new_string("@inputs@"));
	} else {
		struct json_object *inputs = json_object_new_array();
		for (size_t i = 0; i < m->nbundles; i++)
			if (!m->bundles[i].empty)
				json_object_array_add(inputs, bundle_to_json(m, (uint32_t)i));
		json_object_object_add(doc, "inputs", inputs);
	}
	json_object_object_add(doc, "facts", m->nfacts ? json_object_new_string("@facts@")
						       : json_object_new_array());
	json_object_object_add(doc, "diagnostics", m->ndiags ? json_object_new_string("@diagnostics@")
							     : json_object_new_array());
	const struct jarray arrs[] = {
		{ "\"@inputs@\"", stream_inputs ? m->nbundles : 0, bundle_elem, m },
		{ "\"@facts@\"", m->nfacts, fact_elem, m },
		{ "\"@diagnostics@\"", m->ndiags, diag_elem, m },
	};
	w->filter = jsonout_filter;
	print_with_arrays(w, doc, arrs, 3, &st, 0);
	buf_puts(&w->b, "\n");
	json_object_put(doc);
}

char *json_to_text(struct json_object *o, int flags, size_t *len)
{
	struct buf b;
	size_t n;
	const char *s = json_object_to_json_string_length(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	buf_init(&b);
	buf_append(&b, s, n);
	buf_append(&b, "\n", 1);
	esc_json_text(&b, 0);
	if (len)
		*len = b.len;
	return buf_steal(&b);
}
