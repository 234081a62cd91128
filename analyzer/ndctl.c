/* ndctl.c - find ndctl/daxctl JSON in text and turn it into facts.
 *
 * Shapes accepted (formats.md 1.2): a bare object (ndctl < v62, or
 * --human with one element), an array, the {"dimms":..,"regions":..,
 * "namespaces":..} wrapper, arrays of buses nesting all of those, regions
 * nesting namespaces and mappings, daxctl regions nesting devices, and
 * read-labels output. Fields present in some ndctl versions only are
 * copied when present; --human strings are converted back to numbers.
 */
#define _GNU_SOURCE /* memmem */
#include "ndctl.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "facts.h"
#include "uuid.h"

#define MAX_FIELDS 40

struct fields {
	struct field f[MAX_FIELDS];
	size_t n;
};

static void fput(struct fields *fs, const char *key, const char *value)
{
	if (value && fs->n < MAX_FIELDS) {
		fs->f[fs->n].key = key;
		fs->f[fs->n++].value = value;
	}
}

static struct json_object *jget(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* The text of a JSON string. An escaped NUL (\u0000) would end it early
 * as a C string and hide the rest: it is replaced in the tree by U+FFFD,
 * as the model does with a raw NUL, so nothing after it is lost. */
static const char *jtext(struct json_object *v)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v);
	if (strlen(s) == len)
		return s;
	struct buf b;
	buf_init(&b);
	for (size_t i = 0; i < len; i++) {
		if (s[i])
			buf_append(&b, s + i, 1);
		else
			buf_puts(&b, "\xef\xbf\xbd");
	}
	json_object_set_string_len(v, b.data, (int)b.len);
	buf_free(&b);
	return json_object_get_string(v);
}

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v = jget(o, key);
	if (!v)
		return NULL;
	switch (json_object_get_type(v)) {
	case json_type_string:
		return jtext(v);
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		return json_object_get_string(v);
	default:
		return NULL;
	}
}

/* Copy a numeric field. --human strings ("16.00 GiB (17.18 GB)", "0x1")
 * become decimal numbers and keep their text in <key>_human. */
static void fput_number(struct ndjson *nj, struct fields *fs, struct json_object *o,
			const char *key)
{
	struct json_object *v = jget(o, key);
	uint64_t n;
	char num[24], hkey[64];

	if (!v)
		return;
	if (json_object_is_type(v, json_type_string)) {
		const char *s = jtext(v);
		if (parse_size(s, &n)) {
			snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
			fput(fs, key, model_str(nj->m, num));
			snprintf(hkey, sizeof(hkey), "%s_human", key);
			fput(fs, model_str(nj->m, hkey), s);
			return;
		}
	}
	fput(fs, key, jstr(o, key));
}

static void fput_strings(struct fields *fs, struct json_object *o, const char *const *keys)
{
	for (; *keys; keys++)
		fput(fs, *keys, jstr(o, *keys));
}

static void fput_numbers(struct ndjson *nj, struct fields *fs, struct json_object *o,
			 const char *const *keys)
{
	for (; *keys; keys++)
		fput_number(nj, fs, o, *keys);
}

/* The line breaks in p[0..n). */
static uint64_t lines_in(const char *p, size_t n)
{
	uint64_t k = 0;
	for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		k++;
	return k;
}

/* The line of `"key":"value"` inside the current JSON text. Objects are
 * walked in document order, so the search starts where the last one was
 * found (linear in the text, not quadratic) and wraps once if needed. */
static uint64_t line_of(struct ndjson *nj, const char *key, const char *value)
{
	char pat[256];
	const char *text = nj->vdata, *end = text + nj->vlen;

	if (!value || nj->overflow || !text)
		return nj->vfirst;
	for (int pass = 0; pass < 2; pass++) {
		const char *from = pass ? text : text + nj->cursor;
		uint64_t line = pass ? nj->vfirst : nj->cursor_line;
		const char *hit = NULL;
		for (int spaced = 0; spaced < 2 && !hit; spaced++) {
			int n = snprintf(pat, sizeof(pat), "\"%s\":%s\"%s\"", key, spaced ? " " : "", value);
			if (n > 0 && (size_t)n < sizeof(pat))
				hit = memmem(from, (size_t)(end - from), pat, (size_t)n);
		}
		if (!hit)
			continue;
		line += lines_in(from, (size_t)(hit - from));
		nj->cursor = (size_t)(hit - text);
		nj->cursor_line = line;
		return line;
	}
	return nj->vfirst;
}

static void emit(struct ndjson *nj, const char *type, struct fields *fs, uint64_t line)
{
	struct evidence ev = nj->ev;
	ev.line = line;
	model_add_fact(nj->m, type, fs->f, fs->n, nj->rule_kind, &ev);
}

static void walk(struct ndjson *nj, struct json_object *v, const char *region, unsigned depth);

static void walk_key(struct ndjson *nj, struct json_object *o, const char *key,
		     const char *region, unsigned depth)
{
	struct json_object *v = jget(o, key);
	if (v)
		walk(nj, v, region, depth + 1);
}

/* ---- what each kind of object gives: fields copied as strings, as
 * numbers, and made here (ndctl_makers lists them for the contract) ---- */

static const char *const dimm_strs[] = { "dev", "id", "state", "security", NULL };
static const char *const dimm_nums[] = { "handle", "phys_id", NULL };
static const char *const dimm_made[] = { "serial", "flags", "health_state", "shutdown_state", NULL };
static const char *const label_strs[] = { "uuid", "name", NULL };
static const char *const label_nums[] = { "slot", "position", "nlabel", "dpa", "rawsize", NULL };
static const char *const label_made[] = { "dimm", NULL };
static const char *const mapping_nums[] = { "offset", "length", "position", NULL };
static const char *const mapping_made[] = { "region", "dimm", NULL };
static const char *const region_strs[] = { "dev", "type", "persistence_domain", "state", "iset_id", "numa_node", NULL };
static const char *const region_nums[] = { "size", "available_size", "max_available_extent", "align", NULL };
static const char *const dax_strs[] = { "chardev", "mode", "target_node", "state", NULL };
static const char *const dax_nums[] = { "size", "align", NULL };
static const char *const dax_made[] = { "region", "namespace", NULL };
static const char *const ns_strs[] = { "dev", "mode", "map", "uuid", "raw_uuid", "blockdev", "chardev", "name", "state",
				       "numa_node", NULL };
static const char *const ns_nums[] = { "size", "sector_size", "align", NULL };
static const char *const ns_made[] = { "region", NULL };
static const char *const bus_strs[] = { "dev", "provider", "scrub_state", NULL };

static const struct fact_maker makers[] = {
	{ "the ndctl JSON parser", "nd.dimm", { dimm_strs, dimm_nums, dimm_made } },
	{ "the ndctl JSON parser", "nd.label", { label_strs, label_nums, label_made } },
	{ "the ndctl JSON parser", "nd.mapping", { mapping_nums, mapping_made, NULL } },
	{ "the ndctl JSON parser", "nd.region", { region_strs, region_nums, NULL } },
	{ "the ndctl JSON parser", "dax.device", { dax_strs, dax_nums, dax_made } },
	{ "the ndctl JSON parser", "nd.namespace", { ns_strs, ns_nums, ns_made } },
	{ "the ndctl JSON parser", "nd.bus", { bus_strs, NULL, NULL } },
};

const struct fact_maker *ndctl_makers(size_t *n)
{
	*n = sizeof(makers) / sizeof(makers[0]);
	return makers;
}

static void do_dimm(struct ndjson *nj, struct json_object *o, const char *dev)
{
	struct fields fs = { .n = 0 };
	char serial[9];
	struct buf flags;

	fput_strings(&fs, o, dimm_strs);
	fput_numbers(nj, &fs, o, dimm_nums);
	const char *id = jstr(o, "id");
	if (id && dimm_id_serial(id, serial))
		fput(&fs, "serial", model_str(nj->m, serial));

	/* flag_failed_* and flag_smart_event appear only when true */
	buf_init(&flags);
	json_object_object_foreach(o, key, val)
	{
		if (str_has_prefix(key, "flag_") && json_object_get_boolean(val))
			buf_printf(&flags, "%s%s", flags.len ? "," : "", key + 5);
	}
	if (flags.len)
		fput(&fs, "flags", model_str(nj->m, flags.data));
	buf_free(&flags);

	struct json_object *health = jget(o, "health");
	if (health) {
		fput(&fs, "health_state", jstr(health, "health_state"));
		fput(&fs, "shutdown_state", jstr(health, "shutdown_state"));
	}
	emit(nj, "nd.dimm", &fs, line_of(nj, "dev", dev));
}

static void do_labels(struct ndjson *nj, struct json_object *o, const char *dev)
{
	struct json_object *labels = jget(o, "label");
	size_t n = labels && json_object_is_type(labels, json_type_array) ?
			   json_object_array_length(labels) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *l = json_object_array_get_idx(labels, i);
		struct fields fs = { .n = 0 };
		char canon[UUID_STR_LEN + 1];
		fput(&fs, "dimm", dev);
		fput_strings(&fs, l, label_strs);
		fput_numbers(nj, &fs, l, label_nums);
		const char *uuid = jstr(l, "uuid");
		for (size_t k = 0; k < fs.n; k++)
			if (!strcmp(fs.f[k].key, "uuid") && uuid_normalize(uuid, canon))
				fs.f[k].value = model_str(nj->m, canon);
		emit(nj, "nd.label", &fs, line_of(nj, "uuid", uuid));
	}
}

static void do_mappings(struct ndjson *nj, struct json_object *o, const char *region)
{
	struct json_object *maps = jget(o, "mappings");
	size_t n = maps && json_object_is_type(maps, json_type_array) ?
			   json_object_array_length(maps) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *mp = json_object_array_get_idx(maps, i);
		struct fields fs = { .n = 0 };
		const char *dimm = jstr(mp, "dimm");
		fput(&fs, "region", region);
		fput(&fs, "dimm", dimm);
		fput_numbers(nj, &fs, mp, mapping_nums);
		emit(nj, "nd.mapping", &fs, line_of(nj, "dimm", dimm));
	}
}

static void do_region(struct ndjson *nj, struct json_object *o, const char *dev, unsigned depth)
{
	struct fields fs = { .n = 0 };

	fput_strings(&fs, o, region_strs);
	fput_numbers(nj, &fs, o, region_nums);
	emit(nj, "nd.region", &fs, line_of(nj, "dev", dev));
	do_mappings(nj, o, dev);
	walk_key(nj, o, "namespaces", dev, depth);
}

static void do_dax(struct ndjson *nj, struct json_object *o, const char *region,
		   const char *ns)
{
	struct fields fs = { .n = 0 };
	const char *chardev = jstr(o, "chardev");

	fput_strings(&fs, o, dax_strs);
	fput_numbers(nj, &fs, o, dax_nums);
	fput(&fs, "region", region);
	fput(&fs, "namespace", ns);
	emit(nj, "dax.device", &fs, line_of(nj, "chardev", chardev));
}

static void do_dax_devices(struct ndjson *nj, struct json_object *o, const char *region,
			   const char *ns)
{
	struct json_object *devs = jget(o, "devices");
	size_t n = devs && json_object_is_type(devs, json_type_array) ?
			   json_object_array_length(devs) : 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *d = json_object_array_get_idx(devs, i);
		if (jstr(d, "chardev"))
			do_dax(nj, d, region, ns);
	}
}

/* "namespace1.0" -> "region1" when the namespace is not nested. */
static const char *region_of_namespace(struct ndjson *nj, const char *dev)
{
	char buf[64];
	const char *p = dev + strlen("namespace");
	size_t n = strspn(p, "0123456789");
	if (!n || n > 20 || p[n] != '.')
		return NULL;
	snprintf(buf, sizeof(buf), "region%.*s", (int)n, p);
	return model_str(nj->m, buf);
}

static void do_namespace(struct ndjson *nj, struct json_object *o, const char *dev,
			 const char *region)
{
	struct fields fs = { .n = 0 };
	char canon[UUID_STR_LEN + 1];

	fput_strings(&fs, o, ns_strs);
	fput_numbers(nj, &fs, o, ns_nums);
	if (!region)
		region = region_of_namespace(nj, dev);
	fput(&fs, "region", region);
	for (size_t i = 0; i < fs.n; i++)
		if (!strcmp(fs.f[i].key, "uuid") && uuid_normalize(fs.f[i].value, canon))
			fs.f[i].value = model_str(nj->m, canon);
	emit(nj, "nd.namespace", &fs, line_of(nj, "dev", dev));

	struct json_object *dr = jget(o, "daxregion");
	if (dr)
		do_dax_devices(nj, dr, region, dev);
}

static void do_bus(struct ndjson *nj, struct json_object *o, const char *dev, unsigned depth)
{
	struct fields fs = { .n = 0 };

	fput_strings(&fs, o, bus_strs);
	emit(nj, "nd.bus", &fs, line_of(nj, "dev", dev));
	walk_key(nj, o, "dimms", NULL, depth);
	walk_key(nj, o, "regions", NULL, depth);
	walk_key(nj, o, "namespaces", NULL, depth);
}

static void walk(struct ndjson *nj, struct json_object *v, const char *region, unsigned depth)
{
	if (!v || depth > 16)
		return;
	if (json_object_is_type(v, json_type_array)) {
		size_t n = json_object_array_length(v);
		for (size_t i = 0; i < n; i++)
			walk(nj, json_object_array_get_idx(v, i), region, depth + 1);
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;

	const char *dev = jstr(v, "dev");
	if (dev && str_has_prefix(dev, "ndbus")) {
		do_bus(nj, v, dev, depth);
	} else if (dev && str_has_prefix(dev, "nmem")) {
		if (jget(v, "label") || jget(v, "index"))
			do_labels(nj, v, dev);
		else
			do_dimm(nj, v, dev);
	} else if (dev && str_has_prefix(dev, "region")) {
		do_region(nj, v, dev, depth);
	} else if (dev && str_has_prefix(dev, "namespace")) {
		do_namespace(nj, v, dev, region);
	} else if (!dev && jget(v, "devices") && jget(v, "id")) {
		/* daxctl region: {"id":0,"size":..,"devices":[..]} */
		char name[32];
		const char *id = jstr(v, "id");
		snprintf(name, sizeof(name), "region%.20s", id ? id : "?");
		do_dax_devices(nj, v, model_str(nj->m, name), NULL);
	} else if (!dev && jstr(v, "chardev")) {
		do_dax(nj, v, region, NULL); /* daxctl list device */
	} else if (!dev) {
		/* {"dimms":[..],"regions":[..],"namespaces":[..]} or {"buses":..} */
		walk_key(nj, v, "buses", region, depth);
		walk_key(nj, v, "dimms", region, depth);
		walk_key(nj, v, "regions", region, depth);
		walk_key(nj, v, "namespaces", region, depth);
	}
}

/* Interpret o, the value (or element) whose text is text[0..len), first on
 * line `first`: its facts' lines are looked up there. */
static void interpret_in(struct ndjson *nj, struct json_object *o, const char *text, size_t len,
			 uint64_t first, unsigned depth)
{
	nj->vdata = text;
	nj->vlen = len;
	nj->vfirst = first;
	nj->cursor = 0;
	nj->cursor_line = first;
	walk(nj, o, NULL, depth);
}

void ndctl_interpret(struct ndjson *nj, struct json_object *root)
{
	interpret_in(nj, root, nj->text.data, nj->text.len, nj->first_line, 0);
}

void ndjson_begin(struct ndjson *nj, struct model *m, const struct limits *lim,
		  const struct evidence *ev, enum bundle_kind rule_kind, bool quiet)
{
	memset(nj, 0, sizeof(*nj));
	nj->m = m;
	nj->lim = lim;
	nj->ev = *ev;
	nj->rule_kind = rule_kind;
	nj->quiet = quiet;
	nj->too_deep_warned = false;
	buf_init(&nj->text);
}

static void fail(struct ndjson *nj, const char *what, uint64_t line)
{
	if (!nj->failures++) {
		snprintf(nj->failure, sizeof(nj->failure), "%s", what);
		nj->failure_line = line;
	}
}

/* true while a JSON value is open */
static bool active(const struct ndjson *nj)
{
	return nj->first_line != 0;
}

/* A line that opens a JSON value as ndctl prints it: the bracket, then
 * nothing, a string, another bracket or a closing one. */
static bool starts_like_json(const char *line, size_t n)
{
	size_t i = 1; /* past the opening bracket */
	while (i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == n)
		return true;
	unsigned char c = (unsigned char)line[i];
	return c == '"' || c == '{' || c == '[' || c == '}' || c == ']' || c == 0xe2; /* a typographic quote */
}

/* Does the text look like ndctl's (a JSON value with a "dev" key)? In
 * prose, a malformed value that does is said, one that does not is not. */
static bool looks_ndctl(const struct ndjson *nj)
{
	return memmem(nj->text.data, nj->text.len, "\"dev\"", 5) != NULL;
}

/* The value that failed to parse, repaired where that is certain
 * (jsonfix.h) and read; what was repaired, or why it was left out, said. */
static void salvage(struct ndjson *nj)
{
	struct buf fixed;
	struct jsonfix fx;
	struct json_object *obj = NULL;
	uint64_t at = nj->first_line;

	buf_init(&fixed);
	if (jsonfix_repair(nj->text.data, nj->text.len, &fixed, &fx)) {
		json_tokener_reset(nj->tok);
		obj = json_tokener_parse_ex(nj->tok, fixed.data, (int)fixed.len);
	}
	if (obj) {
		/* the lines of the repaired text are the pasted text's: look the
		 * objects' lines up in it (its quotes straight) */
		struct buf t = nj->text;
		nj->text = fixed;
		fixed = t;
		nj->values++;
		ndctl_interpret(nj, obj);
		json_object_put(obj);
		struct buf what;
		buf_init(&what);
		if (fx.quotes)
			buf_printf(&what, "%u typographic quote%s made straight", fx.quotes, fx.quotes == 1 ? "" : "s");
		if (fx.commas)
			buf_printf(&what, "%s%u missing comma%s put back (the first after line %llu)", what.len ? "; " : "",
				   fx.commas, fx.commas == 1 ? "" : "s", (unsigned long long)(at + fx.comma_line - 1));
		if (fx.cut)
			buf_printf(&what, "%sit was cut short (truncated output?): read up to line %llu, the rest left out",
				   what.len ? "; " : "", (unsigned long long)(at + fx.cut_line - 1));
		model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->salvage_line, "ndctl JSON repaired: %s",
			   what.data);
		buf_free(&what);
	} else if (nj->quiet && (nj->elements || looks_ndctl(nj))) {
		if (nj->elements)
			model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->salvage_line,
				   "ndctl JSON that could not be read (%s): the %u element%s that closed before %s "
				   "read, the rest left out",
				   nj->salvage_why, nj->elements, nj->elements == 1 ? "" : "s",
				   nj->elements == 1 ? "was" : "were");
		else
			model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->salvage_line,
				   "ndctl JSON that could not be read (%s) was left out", nj->salvage_why);
	} else {
		nj->orphans += nj->elements;
		char msg[160];
		bool cut = strstr(nj->salvage_why, "truncated output") != NULL;
		snprintf(msg, sizeof(msg), cut ? "%s" : "malformed JSON (%s)", nj->salvage_why);
		fail(nj, msg, cut ? at : nj->salvage_line);
	}
	buf_free(&fixed);
	nj->first_line = 0;
}

/* ---- the split path: a value read element by element (ndctl.h) ---- */

/* What an object's keys so far say it is. Only the top-level object, or
 * an element of the top-level array, can have its lists split: walk()
 * reads those with no region whatever they hold, so reading an element
 * early gives the facts reading it late would. */
enum { K_NONE, /* deeper: never split */
       K_WRAPPER, /* no "dev", "chardev" or "devices" key yet: a {"dimms":..} wrapper */
       K_DEV, /* its "dev" key, value not yet read */
       K_BUS, /* "dev":"ndbus..." */
       K_OTHER };

enum { CAP_NONE, CAP_KEY, CAP_DEV };
#define KEY_LONG 0xfe /* longer than any key looked for */
#define KEY_ESCAPED 0xff /* escaped or typographic: could be any key */

static bool key_is(const struct nd_frame *f, const char *k)
{
	return f->keylen == strlen(k) && !memcmp(f->key, k, f->keylen);
}

/* Are the elements of the list f is opening read on their own? */
static bool splits_list(const struct nd_frame *f)
{
	if (f->kind == K_BUS)
		return key_is(f, "dimms") || key_is(f, "regions") || key_is(f, "namespaces");
	if (f->kind == K_WRAPPER)
		return key_is(f, "buses") || key_is(f, "dimms") || key_is(f, "regions") ||
		       key_is(f, "namespaces");
	return false;
}

/* A key that says what the object is, after elements of its lists were
 * read as a bus's or a wrapper's: ndctl prints "dev" first, so this is not
 * its output; said once per member. */
static void doubt(struct ndjson *nj, const struct nd_frame *f)
{
	if (!f->split_any || nj->doubt_warned)
		return;
	nj->doubt_warned = true;
	model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, f->line,
		   "ndctl JSON object with a \"dev\", \"chardev\" or \"devices\" key after its lists "
		   "(ndctl prints it first): their elements were read before it");
}

static void key_read(struct ndjson *nj, struct nd_frame *f)
{
	bool escaped = f->keylen == KEY_ESCAPED;
	if (f->kind == K_DEV)
		doubt(nj, f); /* "dev" had no string value: no bus, unless a later "dev" says so */
	if (f->kind == K_WRAPPER && key_is(f, "dev")) {
		f->kind = K_DEV; /* a bus reads the lists a wrapper does, "buses" aside */
	} else if (f->kind == K_WRAPPER && (escaped || key_is(f, "chardev") || key_is(f, "devices"))) {
		doubt(nj, f);
		f->kind = K_OTHER;
	} else if (f->kind == K_BUS && (escaped || key_is(f, "dev"))) {
		doubt(nj, f); /* a second "dev": json-c keeps the last */
		f->kind = K_OTHER;
	}
}

static void string_ends(struct ndjson *nj)
{
	struct nd_frame *f = &nj->frames[nj->nframes - 1];
	if (nj->cap == CAP_KEY) {
		f->keylen = nj->caplen;
		memcpy(f->key, nj->capbuf, sizeof(f->key));
		f->want_key = false;
		key_read(nj, f);
	} else if (nj->cap == CAP_DEV && f->kind == K_DEV) {
		bool bus = nj->caplen != KEY_ESCAPED && nj->caplen >= 5 && !memcmp(nj->capbuf, "ndbus", 5);
		if (!bus || f->split_buses)
			doubt(nj, f);
		f->kind = bus ? K_BUS : K_OTHER;
	}
	nj->cap = CAP_NONE;
}

static void string_starts(struct ndjson *nj, bool plain)
{
	struct nd_frame *f = &nj->frames[nj->nframes - 1];
	nj->in_str = true;
	nj->esc = false;
	nj->caplen = plain ? 0 : KEY_ESCAPED;
	if (f->type != '{')
		return;
	if (f->want_key)
		nj->cap = CAP_KEY;
	else if (f->kind == K_DEV && key_is(f, "dev"))
		nj->cap = CAP_DEV;
}

static void capture(struct ndjson *nj, unsigned char c)
{
	if (nj->caplen == KEY_ESCAPED || nj->caplen == KEY_LONG)
		return;
	if (nj->caplen < sizeof(nj->capbuf))
		nj->capbuf[nj->caplen++] = (char)c;
	else if (nj->cap == CAP_KEY)
		nj->caplen = KEY_LONG; /* a dev value keeps its first bytes */
}

/* The first failure of the value's split path, kept for the repair. */
static void split_error(struct ndjson *nj, const char *why, uint64_t line)
{
	if (nj->split_failed)
		return;
	nj->split_failed = true;
	nj->salvage_line = line;
	snprintf(nj->salvage_why, sizeof(nj->salvage_why), "%s", why);
}

/* text[0..len), first on line `first`, parsed as one whole value: its
 * tree, or NULL with why not and the line where it went wrong. */
static struct json_object *parse_whole(struct ndjson *nj, const char *text, size_t len, uint64_t first,
				       enum json_tokener_error *err, uint64_t *line)
{
	json_tokener_reset(nj->tok);
	struct json_object *obj = json_tokener_parse_ex(nj->tok, text, (int)len);
	size_t used = json_tokener_get_parse_end(nj->tok);
	*err = json_tokener_get_error(nj->tok);
	if (obj && used == len)
		return obj;
	json_object_put(obj); /* a value that ends before the text does */
	*line = first + lines_in(text, used < len ? used : len);
	return NULL;
}

static const char *parse_error(enum json_tokener_error err)
{
	if (err == json_tokener_success)
		return "brackets that do not pair";
	if (err == json_tokener_continue)
		return "a value that does not close";
	return json_tokener_error_desc(err);
}

/* An element that closed at the end of the text: parsed, interpreted and
 * left in the text as `null` on its last line (the lines of what follows
 * kept); when it does not parse, left as written for the repair at the
 * end. */
static void read_element(struct ndjson *nj, const struct nd_frame *f, unsigned depth)
{
	const char *span = nj->text.data + f->start;
	size_t len = nj->text.len - f->start;
	enum json_tokener_error err;
	uint64_t at;

	struct json_object *obj = parse_whole(nj, span, len, f->line, &err, &at);
	if (!obj) {
		split_error(nj, parse_error(err), at);
		return;
	}
	interpret_in(nj, obj, span, len, f->line, depth);
	json_object_put(obj);
	nj->elements++;
	uint64_t k = lines_in(span, len);
	buf_truncate(&nj->text, f->start);
	for (uint64_t i = 0; i < k; i++)
		buf_append(&nj->text, "\n", 1);
	buf_puts(&nj->text, "null");
}

/* The value closed: what is left of it (its elements read are `null`)
 * parsed and interpreted, or repaired. */
static void split_close(struct ndjson *nj)
{
	enum json_tokener_error err;
	uint64_t at;
	struct json_object *obj = parse_whole(nj, nj->text.data, nj->text.len, nj->first_line, &err, &at);
	if (obj && !nj->split_failed) {
		nj->values++;
		ndctl_interpret(nj, obj);
		json_object_put(obj);
		nj->first_line = 0;
		return;
	}
	if (!obj)
		split_error(nj, parse_error(err), at);
	json_object_put(obj);
	salvage(nj);
}

static void too_deep(struct ndjson *nj)
{
	/* a limit that was hit is said, in prose too (quiet or not) */
	if (!nj->too_deep_warned)
		model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->first_line,
			   "JSON nested deeper than %llu levels (--max-json-depth); %s",
			   (unsigned long long)nj->lim->json_depth,
			   nj->elements ? "the rest of that value is not parsed" : "that value is not parsed");
	nj->too_deep_warned = true;
	nj->first_line = 0;
}

/* A bracket opens at text offset `at`; false when that is one too deep. */
static bool opens(struct ndjson *nj, char c, size_t at, uint64_t line_no)
{
	if (nj->nframes >= nj->lim->json_depth) {
		too_deep(nj);
		return false;
	}
	struct nd_frame *p = nj->nframes ? &nj->frames[nj->nframes - 1] : NULL;
	struct nd_frame *f = &nj->frames[nj->nframes++];
	memset(f, 0, sizeof(*f));
	f->start = at;
	f->line = line_no;
	f->type = c;
	f->want_key = c == '{';
	f->elem = c == '{' && p && p->type == '[' && p->split_elems;
	f->split_elems = c == '[' && (!p || (p->type == '{' && splits_list(p)));
	if (f->split_elems && p) {
		p->split_any = true;
		p->split_buses |= key_is(p, "buses");
	}
	if (c == '{' && (!p || (nj->nframes == 2 && p->type == '[')))
		f->kind = K_WRAPPER;
	return true;
}

/* Feed one line on the split path. */
static void split_line(struct ndjson *nj, const char *line, size_t n, uint64_t line_no)
{
	const unsigned char *p = (const unsigned char *)line, *end = p + n;
	const char *from = line; /* not yet appended */

	for (; p < end; p++) {
		size_t q = *p == 0xe2 ? jsonfix_curly(p, end) : 0; /* the first byte of a typographic quote */
		if (nj->in_str) {
			if (nj->esc) {
				nj->esc = false;
			} else if (*p == '\\') {
				nj->esc = true;
				nj->caplen = KEY_ESCAPED;
			} else if (*p == '"' || q) {
				nj->in_str = false;
				string_ends(nj);
			} else if (nj->cap) {
				capture(nj, *p);
			}
		} else if ((*p == '"' || q) && nj->nframes) {
			string_starts(nj, !q);
		} else if (*p == '{' || *p == '[') {
			if (!opens(nj, (char)*p, nj->text.len + (size_t)((const char *)p - from), line_no))
				return;
		} else if ((*p == '}' || *p == ']') && nj->nframes) {
			struct nd_frame f = nj->frames[--nj->nframes];
			buf_append(&nj->text, from, (size_t)((const char *)p - from) + 1);
			from = (const char *)p + 1;
			if (f.elem)
				read_element(nj, &f, nj->nframes);
			if (!nj->nframes) {
				split_close(nj); /* what follows on the line is not read */
				return;
			}
		} else if (*p == ',' && nj->nframes && nj->frames[nj->nframes - 1].type == '{') {
			nj->frames[nj->nframes - 1].want_key = true;
		}
		if (q)
			p += q - 1;
	}
	buf_append(&nj->text, from, (size_t)((const char *)end - from));
	buf_append(&nj->text, "\n", 1);
}

void ndjson_line(struct ndjson *nj, const char *line, size_t n, uint64_t line_no)
{
	if (!active(nj)) {
		size_t skip = 0;
		while (skip < n && isspace((unsigned char)line[skip]))
			skip++;
		if (skip == n || (line[skip] != '{' && line[skip] != '['))
			return;
		line += skip;
		n -= skip;
		if (!nj->tok)
			nj->tok = json_tokener_new_ex((int)nj->lim->json_depth + 1) /* json-c counts one level more */;
		json_tokener_reset(nj->tok);
		buf_reset(&nj->text);
		nj->first_line = line_no;
		nj->overflow = false;
		nj->jsonish = starts_like_json(line, n);
		nj->raw_len = 0;
		/* JSON as ndctl prints it is read element by element; a line
		 * that only begins with a bracket (a prompt) as one value */
		nj->split = nj->jsonish;
		nj->nframes = 0;
		nj->in_str = nj->esc = false;
		nj->cap = CAP_NONE;
		nj->elements = 0;
		nj->split_failed = false;
		if (nj->split && !nj->frames)
			nj->frames = xcalloc(nj->lim->json_depth + 1, sizeof(*nj->frames));
	}
	if (!nj->overflow) {
		if (nj->raw_len + n + 1 > nj->lim->json_bytes) {
			nj->overflow = true;
			model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->first_line,
				   "JSON text larger than %llu bytes (--max-json-bytes); %s",
				   (unsigned long long)nj->lim->json_bytes,
				   nj->elements ? "the rest of it not parsed" : "not parsed");
			buf_reset(&nj->text);
		} else if (nj->split) {
			nj->raw_len += n + 1;
			split_line(nj, line, n, line_no);
			return;
		} else {
			nj->raw_len += n + 1;
			buf_append(&nj->text, line, n);
			buf_append(&nj->text, "\n", 1);
		}
	}
	if (nj->overflow) {
		/* skip until a line that closes a top-level value */
		if (n && (line[0] == ']' || line[0] == '}'))
			nj->first_line = 0;
		return;
	}

	/* a value whose first line is not JSON's: one parse, fed line by
	 * line, that stops at the first error (prose, a prompt) */

	struct json_object *obj = json_tokener_parse_ex(nj->tok, line, (int)n);
	enum json_tokener_error err = json_tokener_get_error(nj->tok);
	if (!obj && err == json_tokener_continue)
		obj = json_tokener_parse_ex(nj->tok, "\n", 1);
	err = json_tokener_get_error(nj->tok);
	if (obj) {
		nj->values++;
		ndctl_interpret(nj, obj);
		json_object_put(obj);
		nj->first_line = 0;
	} else if (err == json_tokener_error_depth) {
		too_deep(nj);
	} else if (err != json_tokener_continue) {
		/* prose that began with a bracket (a prompt, "[root@esx01:~]"): not JSON */
		char msg[140];
		snprintf(msg, sizeof(msg), "malformed JSON (%s)", json_tokener_error_desc(err));
		fail(nj, msg, line_no);
		nj->first_line = 0;
	}
}

void ndjson_blank_lines(struct ndjson *nj, uint64_t n)
{
	/* outside a JSON value blank lines mean nothing; inside one they
	 * only move the line numbers of what follows */
	if (!active(nj) || nj->overflow)
		return;
	for (uint64_t i = 0; i < n && nj->raw_len + 1 <= nj->lim->json_bytes; i++) {
		buf_append(&nj->text, "\n", 1);
		nj->raw_len++;
	}
}

void ndjson_end(struct ndjson *nj)
{
	if (active(nj) && !nj->overflow) {
		/* the text ended inside a value: its whole elements are read */
		if (nj->split && !nj->split_failed) {
			/* where what is left of it stops being JSON ("Regards,"), if it does */
			enum json_tokener_error err;
			uint64_t at;
			json_object_put(parse_whole(nj, nj->text.data, nj->text.len, nj->first_line, &err, &at));
			if (err != json_tokener_success && err != json_tokener_continue)
				split_error(nj, parse_error(err), at);
		}
		if (!nj->split_failed) {
			nj->salvage_line = nj->first_line;
			snprintf(nj->salvage_why, sizeof(nj->salvage_why), "%s",
				 "JSON text ends before its value closes (truncated output?)");
		}
		salvage(nj);
	}
	if (nj->failures && !nj->quiet)
		model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->failure_line,
			   "%s; %u JSON value%s read from this member%s", nj->failure, nj->values,
			   nj->values == 1 ? "" : "s",
			   nj->orphans ? ", and elements of one that did not parse whole" : "");
	free(nj->frames);
	nj->frames = NULL;
	if (nj->tok) {
		json_tokener_free(nj->tok);
		nj->tok = NULL;
	}
	buf_free(&nj->text);
}
