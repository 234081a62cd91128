/* jsonout.c - streamed JSON text (jsonout.h). */
#include "jsonout.h"

#include <string.h>

#include "escape.h"

/* Append text to b with two more spaces of indent per level after each
 * newline: a value printed at level 0 as it prints deeper (JSON strings
 * hold no raw newline, so every newline is json-c's). */
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

static void pad(struct buf *b, unsigned levels)
{
	for (unsigned i = 0; i < levels; i++)
		buf_puts(b, "  ");
}

void print_tree(struct wbuf *w, struct json_object *o, const struct jstyle *st, unsigned level)
{
	size_t n;
	const char *t = json_object_to_json_string_length(o, st->flags, &n);
	if (st->pretty)
		append_indented(&w->b, t, n, level);
	else
		buf_append(&w->b, t, n);
}

/* An array of n elements as json-c prints it, one element at a time: the
 * memory of one element's tree, never the array's. level: the depth of
 * the key that holds the array. */
static void stream_array(struct wbuf *w, const void *ctx, size_t n, jsonout_elem_fn elem,
			 const struct jstyle *st, unsigned level)
{
	buf_puts(&w->b, st->pretty ? "[\n" : "[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(&w->b, st->pretty ? ",\n" : ",");
		if (st->pretty)
			pad(&w->b, level + 1);
		elem(w, ctx, i, st, level + 1);
		wbuf_maybe_flush(w);
	}
	if (st->pretty) {
		buf_puts(&w->b, "\n");
		pad(&w->b, level);
	}
	buf_puts(&w->b, "]");
}

/* Print tree o at `level`, each placeholder string of arrs (in the order
 * they appear) replaced by its array, streamed. */
void print_with_arrays(struct wbuf *w, struct json_object *o, const struct jarray *arrs, size_t narrs, const struct jstyle *st,
			      unsigned level)
{
	size_t n;
	const char *t = json_object_to_json_string_length(o, st->flags, &n), *p = t;
	for (size_t k = 0; k < narrs; k++) {
		const char *at = arrs[k].n ? strstr(p, arrs[k].mark) : NULL;
		if (!at)
			continue;
		/* the depth of the key: its line's indent, plus where o sits */
		const char *line = at;
		while (line > t && line[-1] != '\n')
			line--;
		unsigned key_level = (unsigned)(strspn(line, " ") / 2) + level;
		if (st->pretty)
			append_indented(&w->b, p, (size_t)(at - p), level);
		else
			buf_append(&w->b, p, (size_t)(at - p));
		stream_array(w, arrs[k].ctx, arrs[k].n, arrs[k].elem, st, key_level);
		p = at + strlen(arrs[k].mark);
	}
	if (st->pretty)
		append_indented(&w->b, p, n - (size_t)(p - t), level);
	else
		buf_append(&w->b, p, n - (size_t)(p - t));
}

void jsonout_filter(struct buf *b)
{
	esc_json_text(b, 0);
}
