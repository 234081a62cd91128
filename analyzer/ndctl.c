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

/* The line of `"key":"value"` inside the current JSON text. Objects are
 * walked in document order, so the search starts where the last one was
 * found (linear in the text, not quadratic) and wraps once if needed. */
static uint64_t line_of(struct ndjson *nj, const char *key, const char *value)
{
	char pat[256];
	const char *text = nj->text.data, *end = text + nj->text.len;

	if (!value || nj->overflow || !text)
		return nj->first_line;
	if (nj->cursor > nj->text.len) {
		nj->cursor = 0;
		nj->cursor_line = nj->first_line;
	}
	for (int pass = 0; pass < 2; pass++) {
		const char *from = pass ? text : text + nj->cursor;
		uint64_t line = pass ? nj->first_line : nj->cursor_line;
		const char *hit = NULL;
		for (int spaced = 0; spaced < 2 && !hit; spaced++) {
			int n = snprintf(pat, sizeof(pat), "\"%s\":%s\"%s\"", key, spaced ? " " : "", value);
			if (n > 0 && (size_t)n < sizeof(pat))
				hit = memmem(from, (size_t)(end - from), pat, (size_t)n);
		}
		if (!hit)
			continue;
		for (const char *p = from; (p = memchr(p, '\n', (size_t)(hit - p))); p++)
			line++;
		nj->cursor = (size_t)(hit - text);
		nj->cursor_line = line;
		return line;
	}
	return nj->first_line;
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

void ndctl_interpret(struct ndjson *nj, struct json_object *root)
{
	walk(nj, root, NULL, 0);
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
		nj->cursor = 0;
		nj->cursor_line = nj->first_line;
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
	} else if (nj->quiet && looks_ndctl(nj)) {
		model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->salvage_line,
			   "ndctl JSON that could not be read (%s) was left out", nj->salvage_why);
	} else {
		char msg[160];
		bool cut = strstr(nj->salvage_why, "truncated output") != NULL;
		snprintf(msg, sizeof(msg), cut ? "%s" : "malformed JSON (%s)", nj->salvage_why);
		fail(nj, msg, cut ? at : nj->salvage_line);
	}
	buf_free(&fixed);
	nj->salvage = false;
	nj->first_line = 0;
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
		nj->salvage = false;
		nj->jsonish = starts_like_json(line, n);
		memset(&nj->scan, 0, sizeof(nj->scan));
		nj->cursor = 0;
		nj->cursor_line = line_no;
	}
	if (!nj->overflow) {
		if (nj->text.len + n + 1 > nj->lim->json_bytes) {
			nj->overflow = true;
			model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->first_line,
				   "JSON text larger than %llu bytes (--max-json-bytes); not parsed",
				   (unsigned long long)nj->lim->json_bytes);
			buf_reset(&nj->text);
		} else {
			buf_append(&nj->text, line, n);
			buf_append(&nj->text, "\n", 1);
			jscan_feed(&nj->scan, line, n);
		}
	}
	if (nj->overflow) {
		/* skip until a line that closes a top-level value */
		if (n && (line[0] == ']' || line[0] == '}'))
			nj->first_line = 0;
		return;
	}
	if (nj->salvage) {
		/* a value that failed: read to its end, then repair it */
		if (jscan_closed(&nj->scan))
			salvage(nj);
		return;
	}

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
		/* a limit that was hit is said, in prose too (quiet or not) */
		if (!nj->too_deep_warned)
			model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->first_line,
				   "JSON nested deeper than %llu levels (--max-json-depth); that value is "
				   "not parsed",
				   (unsigned long long)nj->lim->json_depth);
		nj->too_deep_warned = true;
		nj->first_line = 0;
	} else if (err != json_tokener_continue && !nj->jsonish) {
		/* prose that began with a bracket (a prompt, "[root@esx01:~]"): not JSON */
		char msg[140];
		snprintf(msg, sizeof(msg), "malformed JSON (%s)", json_tokener_error_desc(err));
		fail(nj, msg, line_no);
		nj->first_line = 0;
	} else if (err != json_tokener_continue) {
		nj->salvage = true;
		nj->salvage_line = line_no;
		snprintf(nj->salvage_why, sizeof(nj->salvage_why), "%s", json_tokener_error_desc(err));
		if (jscan_closed(&nj->scan))
			salvage(nj);
	}
}

void ndjson_blank_lines(struct ndjson *nj, uint64_t n)
{
	/* outside a JSON value blank lines mean nothing; inside one they
	 * only move the line numbers of what follows */
	if (!active(nj) || nj->overflow)
		return;
	for (uint64_t i = 0; i < n && nj->text.len + 1 <= nj->lim->json_bytes; i++)
		buf_append(&nj->text, "\n", 1);
}

void ndjson_end(struct ndjson *nj)
{
	if (active(nj) && !nj->overflow) {
		/* the text ended inside a value: its whole elements are read */
		if (!nj->salvage) {
			nj->salvage = true;
			nj->salvage_line = nj->first_line;
			snprintf(nj->salvage_why, sizeof(nj->salvage_why), "%s",
				 "JSON text ends before its value closes (truncated output?)");
		}
		salvage(nj);
	}
	if (nj->failures && !nj->quiet)
		model_diag(nj->m, DIAG_WARNING, nj->ev.bundle, nj->ev.member, nj->failure_line,
			   "%s; %u JSON value%s read from this member", nj->failure, nj->values,
			   nj->values == 1 ? "" : "s");
	if (nj->tok) {
		json_tokener_free(nj->tok);
		nj->tok = NULL;
	}
	buf_free(&nj->text);
}
