/* jsonout.h - JSON text streamed as json-c prints it, one element of a
 * long array at a time.
 *
 * A report or facts document is a small tree of json-c objects holding
 * placeholder strings where its long arrays go; each placeholder is
 * replaced, as the text is written, by the array printed element by
 * element (each element a small tree built, printed and freed). The text
 * is byte for byte what printing the whole tree would give, in json-c's
 * pretty or plain form; memory holds one element at a time.
 */
#ifndef PMEMMAP_JSONOUT_H
#define PMEMMAP_JSONOUT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* json-c's pretty form (flags with JSON_C_TO_STRING_PRETTY), or plain. */
struct jstyle {
	int flags;
	bool pretty;
};

/* Element i of an array, printed at depth `level` (pretty form). */
typedef void (*jsonout_elem_fn)(struct wbuf *w, const void *ctx, size_t i, const struct jstyle *st,
				unsigned level);

struct jarray {
	const char *mark; /* the placeholder as printed, quotes included */
	size_t n; /* 0: the tree holds the (empty) array itself */
	jsonout_elem_fn elem;
	const void *ctx;
};

/* Print tree o at depth level into w. */
void print_tree(struct wbuf *w, struct json_object *o, const struct jstyle *st, unsigned level);
/* Print tree o at depth level, each placeholder of arrs (in the order
 * they appear in the text) replaced by its array, streamed. */
void print_with_arrays(struct wbuf *w, struct json_object *o, const struct jarray *arrs, size_t narrs,
		       const struct jstyle *st, unsigned level);
/* A wbuf filter: escape.h's esc_json_text over the whole buffer. */
void jsonout_filter(struct buf *b);

#endif
