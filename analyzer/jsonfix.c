/* jsonfix.c - pasted JSON repaired where that is certain (jsonfix.h). */
#include "jsonfix.h"

#include <string.h>

size_t jsonfix_curly(const unsigned char *p, const unsigned char *end)
{
	return end - p >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x9c || p[2] == 0x9d) ? 3 : 0;
}

/* The state of a repair as it goes through the text. */
struct fixer {
	struct buf *out;
	struct jsonfix *fx;
	struct buf stack; /* the open containers, '{' or '[' */
	bool in_str, esc;
	bool value_end; /* the last thing outside a string ended a value */
	bool newline; /* a line ended since */
	uint64_t line, value_line;
	size_t cut_at, cut_depth; /* after the last element closed inside the value */
	uint64_t cut_line;
	bool can_cut;
	bool lit; /* in a literal or a number, begun at out[lit_at] */
	size_t lit_at;
};

static bool starts_value(unsigned char c)
{
	return c == '"' || c == '{' || c == '[' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' ||
	       c == 'n';
}

/* Before c starts something after a line break: when the last thing was
 * a whole value inside an object or array, the comma between them went
 * with a line that was cut out. */
static void comma_check(struct fixer *f, unsigned char c)
{
	if (f->value_end && f->newline && f->stack.len && starts_value(c)) {
		buf_append(f->out, ",", 1);
		if (!f->fx->commas++)
			f->fx->comma_line = f->value_line;
	}
	f->newline = false;
}

/* A literal ended at the end of out: a `null` element of an array is a
 * whole element, as a closed bracket is (the ndctl parser leaves each
 * element it has read as `null`). */
static void literal_ends(struct fixer *f)
{
	f->lit = false;
	if (f->out->len - f->lit_at == 4 && !memcmp(f->out->data + f->lit_at, "null", 4) && f->stack.len &&
	    f->stack.data[f->stack.len - 1] == '[') {
		f->cut_at = f->out->len;
		f->cut_depth = f->stack.len;
		f->cut_line = f->line;
		f->can_cut = true;
	}
}

/* One byte (a typographic quote given as '"') outside a string. */
static void outside(struct fixer *f, unsigned char c)
{
	bool literal = !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '{' || c == '[' ||
			 c == '}' || c == ']' || c == ',' || c == ':');
	if (f->lit && !literal)
		literal_ends(f);
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
		if (c == '\n') {
			f->newline = true;
			f->line++;
		}
		buf_append(f->out, &c, 1);
		return;
	}
	comma_check(f, c);
	buf_append(f->out, &c, 1);
	if (c == '"') {
		f->in_str = true;
		f->value_end = false;
		return;
	}
	if (c == '{' || c == '[') {
		buf_append(&f->stack, &c, 1);
		f->value_end = false;
	} else if ((c == '}' || c == ']') && f->stack.len) {
		f->stack.len--;
		f->value_end = true;
		if (f->stack.len) { /* an element closed inside the value */
			f->cut_at = f->out->len;
			f->cut_depth = f->stack.len;
			f->cut_line = f->line;
			f->can_cut = true;
		}
	} else {
		/* a literal or a number goes on; a separator ends nothing */
		f->value_end = c != ',' && c != ':';
		if (literal && !f->lit) {
			f->lit = true;
			f->lit_at = f->out->len - 1;
		}
	}
	if (f->value_end)
		f->value_line = f->line;
}

/* One byte inside a string. */
static void inside(struct fixer *f, unsigned char c)
{
	buf_append(f->out, &c, 1);
	if (c == '\n')
		f->line++;
	if (f->esc) {
		f->esc = false;
	} else if (c == '\\') {
		f->esc = true;
	} else if (c == '"') {
		f->in_str = false;
		f->value_end = true;
		f->value_line = f->line;
	}
}

bool jsonfix_repair(const char *text, size_t n, struct buf *out, struct jsonfix *fx)
{
	const unsigned char *p = (const unsigned char *)text, *end = p + n;
	struct fixer f = { .out = out, .fx = fx, .line = 1 };

	memset(fx, 0, sizeof(*fx));
	buf_reset(out);
	buf_init(&f.stack);
	for (; p < end; p++) {
		size_t q = jsonfix_curly(p, end);
		fx->quotes += q != 0;
		if (q)
			p += q - 1;
		if (f.in_str)
			inside(&f, q ? '"' : *p);
		else
			outside(&f, q ? '"' : *p);
	}
	if ((f.stack.len || f.in_str) && f.can_cut) {
		/* the text stopped inside the value: keep its whole elements */
		out->len = f.cut_at;
		for (size_t i = f.cut_depth; i-- > 0;)
			buf_append(out, f.stack.data[i] == '{' ? "}" : "]", 1);
		fx->cut = true;
		fx->cut_line = f.cut_line;
	}
	buf_append(out, "", 0);
	buf_free(&f.stack);
	return fx->quotes || fx->commas || fx->cut;
}
