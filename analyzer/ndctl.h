/* ndctl.h - the structured extractor for ndctl and daxctl JSON.
 *
 * Fed line by line, it finds JSON values in the text (a whole sos
 * "ndctl list" file, or JSON pasted into a ticket between prose), parses
 * each with json-c, and turns every shape ndctl emits into facts:
 * nd.bus, nd.dimm, nd.region, nd.mapping, nd.namespace, dax.device and
 * nd.label. Each fact's evidence line is the line of its "dev" key.
 *
 * A value as ndctl prints it is read as it goes: each element of the
 * top-level array, and of a bus's (or the wrapper's) "dimms", "regions"
 * and "namespaces" lists, is parsed and interpreted when it closes and
 * is then left as `null` in the text kept, so memory holds one element's
 * tree, not the document's (100,000 dimms are 35 MB of text, and were
 * 450 MB of json-c objects). What does not parse is kept as written and
 * repaired or reported when the value ends, as before.
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

/* An open bracket of the value being split (ndctl.c). */
struct nd_frame {
	size_t start; /* its offset in text */
	uint64_t line; /* its line */
	char type; /* '{' or '[' */
	unsigned char kind; /* objects: what its keys so far say it is (ndctl.c) */
	bool elem; /* an object read on its own when it closes */
	bool split_elems; /* an array whose object elements are */
	bool want_key; /* objects: the next string is a key */
	bool split_any; /* objects: elements of its lists were read on their own */
	bool split_buses; /* of its "buses" list among them */
	unsigned char keylen; /* the current member's key, when plain and short */
	char key[11];
};

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
	bool jsonish; /* its first line looks like JSON's ("[", "{\"dev\"..."), not a prompt's "[root@" */
	uint64_t salvage_line; /* where it failed */
	char salvage_why[120];
	unsigned failures;
	char failure[160];
	uint64_t failure_line;

	/* the split path, for values whose first line looks like JSON */
	bool split; /* the current value is read element by element */
	struct nd_frame *frames; /* its open brackets, at most --max-json-depth */
	unsigned nframes;
	bool in_str, esc, str_plain; /* in a string; after a backslash; opened by a straight quote */
	unsigned char cap; /* what the string is captured for (ndctl.c) */
	unsigned char caplen;
	char capbuf[11];
	uint64_t raw_len; /* bytes of the value as written (--max-json-bytes) */
	unsigned elements; /* elements of the current value read on their own */
	unsigned orphans; /* elements read of values that then failed */
	bool split_failed; /* an element did not parse: repair at the end */
	bool doubt_warned;
	/* the text line_of searches, and the line it starts on */
	const char *vdata;
	size_t vlen;
	uint64_t vfirst;
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
