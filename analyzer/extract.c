/* extract.c - apply the rules to the members of one bundle.
 *
 * Lines are matched where they lie in the chunk ingest hands us; only a
 * line that straddles two chunks is copied, into one reused buffer. The
 * rules bound to a member are chosen once, when the member starts. When
 * they all have 'has' literals, the lines holding none are skipped in
 * bulk (litscan); a line that holds one costs one memmem per literal and
 * one JIT match per bound rule.
 */
#define _GNU_SOURCE /* memmem */
#include "extract.h"

#include <stdlib.h>
#include <string.h>

#include "litscan.h"
#include "ndctl.h"
#include "uuid.h"
#include "util.h"

struct active {
	const struct rule *r;
	unsigned count;
	bool done;
	bool limit_warned;
};

struct xbundle {
	struct extractor *x;
	uint32_t id;
	bool loose;
	enum bundle_kind kind; /* from marking rules; UNKNOWN until one fires */
	const char *kind_member; /* what marked it */
	bool conflict_warned;

	/* the member being read */
	bool in_member;
	char *path;
	const char *ipath;
	struct active *act;
	size_t nact, act_cap;
	struct ndjson nj;
	bool json;
	struct buf carry;
	bool overlong, overlong_warned, capped;
	uint64_t line_no, bytes;
	struct xvar *vars;
	size_t nvars, vars_cap;
	struct field *fields;
	size_t fields_cap;

	/* When every rule bound to the member has 'has' literals, whole runs of
	 * lines without any of them are skipped with one litscan per chunk
	 * instead of one memmem per line per rule. */
	bool skip_ahead;
	bool blank_lines_matter; /* a bound rule without 'has' could match "" */
	const struct litscan *lits; /* the member's literals, one scanner */
	const char *chunk; /* the chunk being read, and the next hit in it */
	size_t chunk_len;
	const char *next_hit;
	bool hit_known;
};

void extractor_init(struct extractor *x, const struct ruleset *rs, const struct limits *lim,
		    struct model *m)
{
	memset(x, 0, sizeof(*x));
	x->rs = rs;
	x->lim = lim;
	x->m = m;
	m->fact_limit = lim->facts;
}

struct xbundle *extract_bundle_begin(struct extractor *x, const char *path, int parent, bool loose)
{
	struct xbundle *xb = xcalloc(1, sizeof(*xb));
	xb->x = x;
	xb->id = model_add_bundle(x->m, path, parent);
	xb->loose = loose;
	xb->kind = loose ? KIND_TRANSCRIPT : KIND_UNKNOWN;
	buf_init(&xb->carry);
	return xb;
}

uint32_t extract_bundle_id(const struct xbundle *xb)
{
	return xb->id;
}

bool extract_wants(const struct xbundle *xb, const char *path)
{
	/* a loose file is a transcript; an archive's kind settles when a
	 * marking rule fires: from then on only its kind's rules count */
	if (xb->kind == KIND_UNKNOWN || (xb->kind == KIND_TRANSCRIPT && !xb->loose))
		return rules_any_content(xb->x->rs, path, strlen(path));
	return rules_kind_content(xb->x->rs, xb->kind, path, strlen(path));
}

enum bundle_kind extract_marks_path(const struct extractor *x, const char *path)
{
	const struct ruleset *rs = x->rs;
	for (size_t i = 0; i < rs->n; i++)
		if (rs->rules[i].marks && rule_re_match(rs, &rs->rules[i].member, path, strlen(path)) > 0)
			return rs->rules[i].kind;
	return KIND_UNKNOWN;
}

void extract_bundle_kind(struct xbundle *xb, enum bundle_kind kind)
{
	if (xb->kind == KIND_UNKNOWN && kind != KIND_UNKNOWN)
		xb->kind = kind;
}

/* Does a rule of this kind apply to the bundle as far as we know it? */
static bool kind_applies(const struct xbundle *xb, enum bundle_kind rk)
{
	if (rk == KIND_ANY || xb->kind == KIND_UNKNOWN)
		return true;
	return rk == xb->kind;
}

static void set_kind(struct xbundle *xb, enum bundle_kind k, uint64_t line)
{
	struct model *m = xb->x->m;
	if (xb->kind == k)
		return;
	if (xb->kind == KIND_UNKNOWN || (xb->kind == KIND_TRANSCRIPT && !xb->loose)) {
		xb->kind = k;
		xb->kind_member = model_str(m, xb->ipath);
		return;
	}
	if (!xb->conflict_warned && !xb->loose) {
		model_diag(m, DIAG_WARNING, xb->id, xb->ipath, line,
			   "looks like a %s bundle, but %s marked it as %s first; keeping %s",
			   kind_name(k), xb->kind_member, kind_name(xb->kind), kind_name(xb->kind));
		xb->conflict_warned = true;
	}
}

static void var_set(struct xbundle *xb, const char *name, const char *value)
{
	for (size_t i = 0; i < xb->nvars; i++) {
		if (xb->vars[i].name == name) {
			xb->vars[i].value = value;
			return;
		}
	}
	if (xb->nvars == xb->vars_cap) {
		xb->vars_cap = xb->vars_cap ? xb->vars_cap * 2 : 8;
		xb->vars = xrealloc(xb->vars, xb->vars_cap * sizeof(*xb->vars));
	}
	xb->vars[xb->nvars].name = name;
	xb->vars[xb->nvars++].value = value;
}

static void field_push(struct xbundle *xb, size_t *n, const char *key, const char *value)
{
	for (size_t i = 0; i < *n; i++) {
		if (xb->fields[i].key == key) { /* interned: later groups win */
			xb->fields[i].value = value;
			return;
		}
	}
	if (*n == xb->fields_cap) {
		xb->fields_cap = xb->fields_cap ? xb->fields_cap * 2 : 16;
		xb->fields = xrealloc(xb->fields, xb->fields_cap * sizeof(*xb->fields));
	}
	xb->fields[*n].key = key;
	xb->fields[(*n)++].value = value;
}

static void push_groups(struct xbundle *xb, size_t *n, const struct rule_re *re, const char *s)
{
	struct model *m = xb->x->m;
	for (size_t g = 0; g < re->ngroups; g++) {
		const char *p;
		size_t len;
		if (rule_re_group(re, s, re->groups[g].number, &p, &len))
			field_push(xb, n, model_str(m, re->groups[g].name), model_intern(m, p, len));
	}
}

static struct field *field_find(struct xbundle *xb, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(xb->fields[i].key, key) == 0)
			return &xb->fields[i];
	return NULL;
}

/* A rule matched (line NULL: the member as a whole). */
static void on_match(struct xbundle *xb, struct active *a, const char *line, uint64_t line_no)
{
	struct model *m = xb->x->m;
	const struct rule *r = a->r;
	size_t n = 0;

	xb->x->matches++;
	if (r->marks)
		set_kind(xb, r->kind, line_no);
	if (r->set && line) {
		for (size_t g = 0; g < r->line.ngroups; g++) {
			const char *p;
			size_t len;
			if (rule_re_group(&r->line, line, r->line.groups[g].number, &p, &len))
				var_set(xb, model_str(m, r->line.groups[g].name), model_intern(m, p, len));
		}
	}
	if (!r->fact)
		return;

	push_groups(xb, &n, &r->member, xb->path);
	if (line)
		push_groups(xb, &n, &r->line, line);
	for (size_t w = 0; w < r->nwith; w++) {
		const char *name = model_str(m, r->with[w]);
		for (size_t v = 0; v < xb->nvars; v++)
			if (xb->vars[v].name == name)
				field_push(xb, &n, name, xb->vars[v].value);
	}
	for (size_t u = 0; u < r->nuuid; u++) {
		struct field *f = field_find(xb, n, r->uuid_fields[u]);
		char canon[UUID_STR_LEN + 1];
		if (!f)
			continue;
		if (!uuid_normalize(f->value, canon)) {
			model_diag(m, DIAG_WARNING, xb->id, xb->ipath, line_no,
				   "rule [%s]: '%s' is not a UUID; fact %s dropped", r->name, f->value,
				   r->fact);
			return;
		}
		f->value = model_str(m, canon);
	}
	if (r->serial_from) {
		struct field *f = field_find(xb, n, r->serial_from);
		char serial[9];
		if (f) {
			if (strlen(f->value) == UUID_STR_LEN && f->value[8] == '-')
				uuid_serial(f->value, serial);
			else if (!dimm_id_serial(f->value, serial))
				serial[0] = '\0';
			if (serial[0])
				field_push(xb, &n, model_str(m, "serial"), model_str(m, serial));
		}
	}
	if (r->label)
		field_push(xb, &n, model_str(m, "label"), model_str(m, r->label));
	if (r->source)
		field_push(xb, &n, model_str(m, "source"), model_str(m, r->source));
	struct evidence ev = { xb->id, xb->ipath, line_no };
	model_add_fact(m, r->fact, xb->fields, n, r->kind, &ev);
	if (r->max && ++a->count >= r->max)
		a->done = true;
}

/* The literals of a set of rules as one scanner, cached: a member's rules
 * come in few combinations. The key is the literals, each after its
 * length, so no two sets share one. */
struct litset {
	char *key;
	size_t key_len;
	struct litscan *scan;
};

static const struct litscan *litset_for(struct extractor *x, const struct active *act, size_t n)
{
	struct buf key;
	buf_init(&key);
	size_t nlits = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t h = 0; h < act[i].r->nhas; h++) {
			buf_printf(&key, "%zu:", act[i].r->has_len[h]);
			buf_append(&key, act[i].r->has[h], act[i].r->has_len[h]);
			nlits++;
		}
	for (size_t i = 0; i < x->nlitsets; i++)
		if (x->litsets[i].key_len == key.len && !memcmp(x->litsets[i].key, key.data, key.len)) {
			buf_free(&key);
			return x->litsets[i].scan;
		}
	const char **lits = xcalloc(nlits, sizeof(*lits));
	size_t *lens = xcalloc(nlits, sizeof(*lens));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t h = 0; h < act[i].r->nhas; h++, k++) {
			lits[k] = act[i].r->has[h];
			lens[k] = act[i].r->has_len[h];
		}
	struct litscan *scan = litscan_new(lits, lens, nlits);
	free(lits);
	free(lens);
	x->litsets = xrealloc(x->litsets, (x->nlitsets + 1) * sizeof(*x->litsets));
	struct litset *l = &x->litsets[x->nlitsets++];
	l->key_len = key.len;
	l->key = buf_steal(&key);
	l->scan = scan;
	return scan;
}

void extractor_free(struct extractor *x)
{
	for (size_t i = 0; i < x->nlitsets; i++) {
		free(x->litsets[i].key);
		litscan_free(x->litsets[i].scan);
	}
	free(x->litsets);
	x->litsets = NULL;
	x->nlitsets = 0;
}

static void set_member(struct xbundle *xb, const char *path)
{
	free(xb->path);
	xb->path = xstrdup(path);
	xb->ipath = model_str(xb->x->m, path);
}

void extract_member_seen(struct xbundle *xb, const char *path)
{
	struct extractor *x = xb->x;
	const struct ruleset *rs = x->rs;
	size_t len = strlen(path);

	x->m->bundles[xb->id].members_seen++;
	if (!rules_any_presence(rs, path, len))
		return;
	set_member(xb, path);
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct active a = { .r = r };
		if (r->by_name || rule_reads(r) || (!r->marks && !kind_applies(xb, r->kind)))
			continue;
		if (rule_re_match(rs, &r->member, xb->path, len) > 0)
			on_match(xb, &a, NULL, 0);
	}
}

void extract_bundle_named(struct xbundle *xb, const char *name)
{
	const struct ruleset *rs = xb->x->rs;
	size_t len = strlen(name);
	/* the fields come from the name; the evidence is the bundle itself */
	free(xb->path);
	xb->path = xstrdup(name);
	xb->ipath = model_str(xb->x->m, "");
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		struct active a = { .r = r };
		if (r->by_name && rule_re_match(rs, &r->member, name, len) > 0)
			on_match(xb, &a, NULL, 0);
	}
}

bool extract_member_begin(struct xbundle *xb, const char *path)
{
	struct extractor *x = xb->x;
	const struct ruleset *rs = x->rs;
	size_t len = strlen(path);
	struct bundle *b = &x->m->bundles[xb->id];

	if (!rules_any_content(rs, path, len))
		return false;

	xb->nact = 0;
	xb->json = false;
	set_member(xb, path);
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rules[i];
		if (!rule_reads(r) || !kind_applies(xb, r->kind))
			continue;
		int rc = rule_re_match(rs, &r->member, xb->path, len);
		if (rc <= 0)
			continue;
		if (xb->nact == xb->act_cap) {
			xb->act_cap = xb->act_cap ? xb->act_cap * 2 : 8;
			xb->act = xrealloc(xb->act, xb->act_cap * sizeof(*xb->act));
		}
		struct active *a = &xb->act[xb->nact];
		memset(a, 0, sizeof(*a));
		a->r = r;
		if (r->parser == PARSER_NDCTL_JSON) {
			if (!xb->json) {
				struct evidence ev = { xb->id, xb->ipath, 0 };
				ndjson_begin(&xb->nj, x->m, x->lim, &ev, r->kind,
					     r->kind == KIND_TRANSCRIPT || r->kind == KIND_ANY);
				xb->json = true;
			}
			continue;
		}
		xb->nact++;
	}
	if (xb->nact == 0 && !xb->json)
		return false;

	xb->blank_lines_matter = false;
	for (size_t i = 0; i < xb->nact; i++)
		xb->blank_lines_matter |= xb->act[i].r->nhas == 0;
	xb->skip_ahead = !xb->json && !xb->blank_lines_matter;
	xb->lits = xb->skip_ahead ? litset_for(x, xb->act, xb->nact) : NULL;
	xb->skip_ahead = xb->lits != NULL;

	x->members_opened++;
	b->members_read++;
	xb->in_member = true;
	xb->line_no = 0;
	xb->bytes = 0;
	xb->overlong = xb->overlong_warned = xb->capped = false;
	xb->nvars = 0;
	buf_reset(&xb->carry);
	return true;
}

/* Pasted text: the marks a mail reply ("> ", ">> ", "> > "), a ticket
 * system ("| ") or a terminal logger ("[10:42:13] ") puts before each line
 * are not part of it. */
static size_t strip_paste(const char **sp, size_t n)
{
	const char *s = *sp, *e = s + n;
	for (;;) {
		const char *p = s;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p == '>') {
			s = p + 1;
		} else if (p + 1 < e && *p == '|' && p[1] == ' ') {
			s = p + 2;
		} else if (e - p >= 11 && p[0] == '[' && p[3] == ':' && p[6] == ':' && p[9] == ']' && p[10] == ' ' &&
			   strspn(p + 1, "0123456789") == 2 && strspn(p + 4, "0123456789") == 2 &&
			   strspn(p + 7, "0123456789") == 2) {
			s = p + 11;
		} else {
			break;
		}
		if (s < e && *s == ' ' && s[-1] == '>')
			s++;
	}
	*sp = s;
	return (size_t)(e - s);
}

static void process_line(struct xbundle *xb, const char *s, size_t n)
{
	const struct ruleset *rs = xb->x->rs;

	xb->line_no++;
	xb->x->lines++;
	if (n && s[n - 1] == '\r')
		n--;
	if (xb->kind != KIND_VMSUPPORT && xb->kind != KIND_SOSREPORT)
		n = strip_paste(&s, n);
	if (xb->json)
		ndjson_line(&xb->nj, s, n, xb->line_no);
	for (size_t i = 0; i < xb->nact; i++) {
		struct active *a = &xb->act[i];
		const struct rule *r = a->r;
		if (a->done || !kind_applies(xb, r->kind))
			continue;
		if (r->nhas) {
			size_t h = 0;
			while (h < r->nhas && !memmem(s, n, r->has[h], r->has_len[h]))
				h++;
			if (h == r->nhas)
				continue;
		}
		int rc = rule_re_match(rs, &r->line, s, n);
		if (rc == 0)
			continue;
		if (rc < 0) {
			if (!a->limit_warned) {
				PCRE2_UCHAR text[120];
				pcre2_get_error_message(rc, text, sizeof(text));
				model_diag(xb->x->m, DIAG_WARNING, xb->id, xb->ipath, xb->line_no,
					   "rule [%s] gave up on this line (%s); later lines still matched",
					   r->name, (char *)text);
				a->limit_warned = true;
			}
			continue;
		}
		on_match(xb, a, s, xb->line_no);
	}
}

/*
 * Skip the whole lines from p on that hold none of the member's literals.
 * Returns where to go on: the start of the first line with a hit, or the
 * start of the last, unfinished line of the chunk.
 */
static const char *skip_to_hit(struct xbundle *xb, const char *p, const char *end)
{
	if (!xb->hit_known || (xb->next_hit && xb->next_hit < p)) {
		/* NULL: no literal left in the chunk */
		xb->next_hit = litscan_find(xb->lits, p, xb->chunk + xb->chunk_len);
		xb->hit_known = true;
	}
	const char *hit = xb->next_hit;
	const char *stop = hit ? hit : end;
	const char *ls = stop > p ? memrchr(p, '\n', (size_t)(stop - p)) : NULL;
	if (!ls)
		return p; /* the hit (or the chunk's end) is on this line */
	uint64_t skipped = count_byte(p, ls + 1, '\n');
	xb->line_no += skipped;
	xb->x->lines += skipped;
	return ls + 1;
}

void extract_member_data(struct xbundle *xb, const char *p, size_t n)
{
	const struct limits *lim = xb->x->lim;

	if (!xb->in_member || xb->capped)
		return;
	xb->x->m->bundles[xb->id].bytes_read += n;
	if (xb->bytes + n > lim->member_bytes) {
		n = (size_t)(lim->member_bytes - xb->bytes);
		xb->capped = true;
		model_diag(xb->x->m, DIAG_WARNING, xb->id, xb->ipath, xb->line_no,
			   "member is larger than %llu bytes (--max-member-bytes); the rest is not read",
			   (unsigned long long)lim->member_bytes);
	}
	xb->bytes += n;

	const char *end = p + n;
	xb->chunk = p; /* a new chunk: search it afresh */
	xb->chunk_len = n;
	xb->hit_known = false;
	while (p < end) {
		if (xb->skip_ahead && !xb->carry.len && !xb->overlong) {
			p = skip_to_hit(xb, p, end);
			if (p >= end)
				break;
		}
		if (*p == '\n' && !xb->carry.len && !xb->overlong && !xb->blank_lines_matter) {
			/* a run of empty lines: count it, match nothing */
			const char *q = p;
			while (q < end && *q == '\n')
				q++;
			if (xb->json)
				ndjson_blank_lines(&xb->nj, (uint64_t)(q - p));
			xb->line_no += (uint64_t)(q - p);
			xb->x->lines += (uint64_t)(q - p);
			p = q;
			continue;
		}
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t seg = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (xb->overlong) {
			/* inside a line we already gave up on: drop to its end */
			if (nl) {
				xb->overlong = false;
				xb->line_no++;
			}
		} else if (xb->carry.len + seg > lim->line_bytes) {
			if (!xb->overlong_warned) {
				model_diag(xb->x->m, DIAG_WARNING, xb->id, xb->ipath, xb->line_no + 1,
					   "line longer than %llu bytes (--max-line-bytes); skipped",
					   (unsigned long long)lim->line_bytes);
				xb->overlong_warned = true;
			}
			buf_reset(&xb->carry);
			if (nl)
				xb->line_no++;
			else
				xb->overlong = true;
		} else if (!nl) {
			buf_append(&xb->carry, p, seg); /* finish it with the next chunk */
		} else if (xb->carry.len) {
			buf_append(&xb->carry, p, seg);
			process_line(xb, xb->carry.data, xb->carry.len);
			buf_reset(&xb->carry);
		} else {
			process_line(xb, p, seg);
		}
		p += seg + (nl ? 1 : 0);
	}
}

void extract_member_end(struct xbundle *xb)
{
	if (!xb->in_member)
		return;
	if (xb->carry.len && !xb->overlong)
		process_line(xb, xb->carry.data, xb->carry.len);
	buf_reset(&xb->carry);
	if (xb->json) {
		ndjson_end(&xb->nj);
		xb->json = false;
	}
	xb->in_member = false;
}

void extract_bundle_end(struct xbundle *xb)
{
	struct model *m = xb->x->m;
	struct bundle *b = &m->bundles[xb->id];

	extract_member_end(xb);
	bool marked = xb->kind != KIND_UNKNOWN;
	if (!marked)
		xb->kind = KIND_TRANSCRIPT; /* a ticket attachment of loose notes */
	b->kind = xb->kind;
	size_t kept = model_filter_bundle(m, xb->id);
	/* an archive inside a bundle that held nothing we know (bootbank
	 * images, tool tarballs) is not an input of its own */
	if (b->parent >= 0 && !marked && !kept && !b->failed)
		b->empty = true;
	free(xb->path);
	free(xb->act);
	free(xb->vars);
	free(xb->fields);
	buf_free(&xb->carry);
	free(xb);
}
