/* model.h - the facts read out of the inputs, with their evidence.
 *
 * Every string in the model is interned in one arena, so a fact costs a
 * few pointers and the many repeats of member paths, field names and
 * fact types are stored once. Facts grow with what is found, not with
 * the bytes read.
 */
#ifndef PMEMMAP_MODEL_H
#define PMEMMAP_MODEL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kind.h"
#include "strtab.h"
#include "util.h"

struct field {
	const char *key;
	const char *value;
};

struct evidence {
	uint32_t bundle; /* index into model.bundles */
	const char *member; /* root-relative path; "" for a loose file */
	uint64_t line; /* 1-based; 0 = the member as a whole */
};

struct fact {
	const char *type;
	struct field *fields;
	uint32_t nfields;
	enum bundle_kind rule_kind; /* kind of the rule that emitted it */
	struct evidence ev;
};

enum diag_level { DIAG_WARNING, DIAG_ERROR };

struct diag {
	enum diag_level level;
	uint32_t bundle;
	const char *member; /* may be "" */
	uint64_t line;
	const char *message;
};

/* One bundle read. Who writes what: the path, parent and first_fact
 * model_add_bundle; kind, empty and the member and byte counts the
 * extractor, as it reads the bundle; failed model_mark_failed (a bundle
 * read only in part: ingest, or a limit of the model); facts the model.
 * The analysis writes nothing here (its notes on a bundle are its own). */
struct bundle {
	const char *path; /* as given, or "outer!inner" when nested */
	enum bundle_kind kind;
	int parent; /* -1 for an input given on the command line */
	bool failed; /* could not be read to the end */
	bool empty; /* nested archive that held nothing we know: not reported */
	uint64_t members_seen, members_read, bytes_read, bytes_in;
	uint64_t facts; /* kept from this input (root bundles only) */
	size_t first_fact; /* the model's fact count when it was added */
};

struct model {
	struct strtab strs; /* every string of the model, interned */

	struct fact *facts;
	size_t nfacts, facts_cap;
	struct bundle *bundles;
	size_t nbundles, bundles_cap;
	struct diag *diags;
	size_t ndiags, diags_cap;

	FILE *log; /* diagnostics are also printed here as they happen (may be NULL) */
	uint64_t fact_limit; /* facts kept per input (root bundle); 0: no limit */
	bool redacted; /* its names are tokens (redact.h): every output says so */
	bool redacted_ids; /* and its UUIDs and serials replaced */
};

void model_init(struct model *m);
void model_free(struct model *m);

static inline const char *model_intern(struct model *m, const char *s, size_t n)
{
	return strtab_intern(&m->strs, s, n);
}
static inline const char *model_str(struct model *m, const char *s)
{
	return model_intern(m, s, __builtin_strlen(s));
}
/* The model's copy of s, or NULL when it holds none (m is not changed). */
static inline const char *model_find(const struct model *m, const char *s)
{
	return strtab_find(&m->strs, s, __builtin_strlen(s));
}

uint32_t model_add_bundle(struct model *m, const char *path, int parent);
/* Bundle b could not be read to the end. */
void model_mark_failed(struct model *m, uint32_t b);
/* Copy fields into the model (keys and values are interned). NULL when
 * the input (the bundle's root) already holds fact_limit facts: the first
 * such fact gives an error diagnostic and marks the root read in part. */
struct fact *model_add_fact(struct model *m, const char *type, const struct field *fields,
			    size_t n, enum bundle_kind rule_kind, const struct evidence *ev);
/* Drop the bundle's facts whose rule kind fits neither its kind nor "any". */
size_t model_filter_bundle(struct model *m, uint32_t bundle); /* facts kept */

void model_diag(struct model *m, enum diag_level level, uint32_t bundle, const char *member,
		uint64_t line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* d as one line on log: "pmemmap: bundle: member:line: level: message",
 * escaped for a terminal. */
void diag_print(FILE *log, const char *bundle_path, const struct diag *d);

const char *fact_get(const struct fact *f, const char *key);

/* JSON (ndctl style: one small function per type). */
struct json_object *evidence_to_json(const struct model *m, const struct evidence *ev);
struct json_object *fact_to_json(const struct model *m, const struct fact *f);
struct json_object *bundle_to_json(const struct model *m, uint32_t idx);
struct json_object *diag_to_json(const struct model *m, const struct diag *d);

/* o as JSON text with a final newline, safe for a terminal (escape.h's
 * esc_json_text); the caller frees it. */
char *json_to_text(struct json_object *o, int flags, size_t *len);

/* The pmemmap-facts/1 document of everything in m (what extract prints),
 * written into w one fact at a time, with a final newline. meta: a batch
 * worker's "batch" object, put first, or NULL. pretty: json-c's pretty
 * form, else plain. */
void model_facts_write(struct wbuf *w, const struct model *m, const char *version, const char *digest,
		       struct json_object *meta, bool pretty);
/* Merge a pmemmap-facts/1 document (what extract prints) into m. */
int model_load_json(struct model *m, struct json_object *doc, struct buf *err);

#endif
