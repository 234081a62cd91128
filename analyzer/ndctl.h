/* ndctl.h - the structured extractor for ndctl and daxctl JSON.
 *
 * Fed line by line, it finds JSON values in the text (a whole sos
 * "ndctl list" file, or JSON pasted into a ticket between prose), parses
 * each with json-c, and turns every shape ndctl emits into facts:
 * nd.bus, nd.dimm, nd.region, nd.mapping, nd.namespace, dax.device and
 * nd.label. Each fact's evidence line is the line of its "dev" key.
 */
#ifndef PMEMMAP_NDCTL_H
#define PMEMMAP_NDCTL_H

#include <json-c/json.h>
#include <stdbool.h>

#include "facts.h"
#include "jsonfix.h"
#include "limits.h"
#include "model.h"
#include "util.h"

struct ndjson {
	struct model *m;
	const struct limits *lim;
	struct evidence ev; /* bundle and member; line is set per fact */
	enum bundle_kind rule_kind;
	bool quiet; /* prose around the JSON is expected: do not warn on junk */

	struct json_tokener *tok;
	struct buf text; /* the current JSON value's text, for line lookups */
	uint64_t first_line;
	size_t cursor; /* where line_of last found an object, and its line */
	uint64_t cursor_line;
	bool overflow;
	bool too_deep_warned; /* --max-json-depth said, once per member */
	unsigned values; /* JSON values interpreted in this member */
	struct jscan scan; /* the current value's brackets */
	bool salvage; /* it failed to parse: read to its end, then repaired (jsonfix.h) */
	bool jsonish; /* its first line looks like JSON's ("[", "{\"dev\"..."), not a prompt's "[root@" */
	uint64_t salvage_line; /* where it failed */
	char salvage_why[120];
	unsigned failures;
	char failure[160];
	uint64_t failure_line;
};

void ndjson_begin(struct ndjson *nj, struct model *m, const struct limits *lim,
		  const struct evidence *ev, enum bundle_kind rule_kind, bool quiet);
void ndjson_line(struct ndjson *nj, const char *line, size_t n, uint64_t line_no);
/* n empty lines, given without calling ndjson_line for each */
void ndjson_blank_lines(struct ndjson *nj, uint64_t n);
void ndjson_end(struct ndjson *nj);

/* Interpret one parsed JSON value; text and first_line locate evidence. */
void ndctl_interpret(struct ndjson *nj, struct json_object *root);

/* The fact types the parser makes and their fields (the contract check
 * of `pmemmap rules check`, facts.h). */
const struct fact_maker *ndctl_makers(size_t *n);

#endif
