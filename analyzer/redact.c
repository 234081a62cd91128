/* redact.c - the token table, and the one pass that rewrites a model
 * through it (redact.h). */
#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include "redact.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "escape.h"
#include "kind.h"
#include "output.h"
#include "util.h"

enum rkind {
	RK_HOST, RK_GUEST, RK_VM, RK_DOMAIN, RK_DATASTORE, RK_FOLDER, RK_FILE, RK_LABEL, RK_USER,
	RK_IP, RK_MAC, RK_EMAIL, RK_VOLUME, RK_DIR, RK_PATH, RK_INPUT, RK_UUID, RK_SERIAL, RK_COUNT
};

static const char *const kind_names[RK_COUNT] = {
	"host", "guest", "vm", "domain", "datastore", "folder", "file", "label", "user",
	"ip", "mac", "email", "volume", "dir", "path", "input", "uuid", "serial",
};

struct rtok {
	char *key; /* the value in lower case: what a text is matched against */
	char *value; /* the value as first seen */
	char *token;
	uint32_t klen;
	uint8_t kind;
	bool text; /* looked for in free text (a name); else replaced where it stands */
};

/* The values looked for, sorted by key: a text position is matched by
 * narrowing a range of them one byte at a time. */
struct matcher {
	uint32_t *ix;
	size_t n;
};

enum { RE_ADDR, RE_ESX, RE_SOS, RE_SOS_OLD, RE_HOME, RE_KEEP, RE_COUNT };
enum { G_MAC, G_VOL, G_UUID, G_SUUID, G_IP4, G_IP6, G_EMAIL, G_COUNT };
static const char *const group_names[G_COUNT] = { "mac", "vol", "uuid", "suuid", "ip4", "ip6", "email" };

/* How a string is rewritten. */
enum how { H_KEEP, H_TEXT, H_MOUNT, H_SERIAL, H_DIMM, H_MEMBER, H_LOOSE, H_INPUT, H_DIAG };

struct redactor {
	struct rtok *t;
	size_t n, cap;
	struct strmap by_key; /* key -> entry index + 1 (count) */
	unsigned counter[RK_COUNT];
	size_t ntext;
	bool ids, full_warned;
	uint8_t sbox[11][256]; /* ids: one permutation per byte position class */
	struct matcher names; /* the names */
	struct matcher all; /* and what is replaced where it stands: diagnostics */
	pcre2_code *re[RE_COUNT];
	uint32_t group[G_COUNT];
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	struct strmap done; /* (string, how) -> its rewrite, in the model */
	struct model *m;
};

/* ---- characters, parts ------------------------------------------------- */

static bool is_word(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c >= 0x80;
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 32) : c;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

/* Path parts and values that are structure, not names: kept as they are,
 * and never taken for a name (a VM called "dev" must not turn /dev/pmem0
 * into /vm-1/pmem0, nor one called "false" a slot's present = "FALSE").
 * Lower case, sorted. */
static const char *const structural[] = {
	"(stdin)", "..", "altbootbank", "backup", "block", "boot", "bootbank", "by-id", "by-label",
	"by-partlabel", "by-partuuid", "by-path", "by-uuid", "class", "commands", "config", "data",
	"date", "dev", "devices", "disk", "dmi", "efi", "etc", "false", "filesys", "general",
	"hardware", "home", "host", "hostd", "hostname", "hosts", "id", "images", "json", "kernel",
	"lib", "local", "locker", "log", "logs", "lost+found", "mapper", "media", "mnt", "mounts",
	"nd", "ndctl", "networking", "no", "none", "nvdimm", "opt", "pmem", "proc", "readme", "root",
	"run", "scratch", "share", "shared", "snap", "sos_commands", "sos_logs", "sos_reports",
	"sos_strings", "srv", "store", "swap", "sys", "tmp", "tools", "true", "usr", "var", "virtual",
	"vmfs", "vmimages", "vmkdump", "vmware", "volumes", "vsan", "yes",
};

static int structural_cmp(const void *key, const void *elem)
{
	const char *k = key;
	return strcasecmp(k, *(const char *const *)elem);
}

static bool re_whole(struct redactor *r, int which, const char *s, size_t n)
{
	int rc = pcre2_match(r->re[which], (PCRE2_SPTR)s, n, 0, 0, r->md, r->mctx);
	return rc >= 0 && pcre2_get_ovector_pointer(r->md)[0] == 0 && pcre2_get_ovector_pointer(r->md)[1] == n;
}

/* A part kept as it is: structure, a device name, a number. */
static bool keep_part(struct redactor *r, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.'))
		return true;
	if (n < 24) {
		char k[24];
		memcpy(k, s, n);
		k[n] = '\0';
		if (bsearch(k, structural, sizeof(structural) / sizeof(structural[0]), sizeof(structural[0]),
			    structural_cmp))
			return true;
	}
	return re_whole(r, RE_KEEP, s, n);
}

/* ---- the table ------------------------------------------------------------ */

static char *lower_dup(const char *s, size_t n)
{
	char *k = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		k[i] = (char)lower((unsigned char)s[i]);
	k[n] = '\0';
	return k;
}

static struct rtok *lookup(struct redactor *r, const char *s, size_t n)
{
	char *k = lower_dup(s, n);
	struct strmap_ent *e = strmap_get(&r->by_key, k, n, false);
	free(k);
	return e ? &r->t[e->count - 1] : NULL;
}

static void mark_text(struct redactor *r, struct rtok *t)
{
	if (t->text || t->klen > REDACT_VALUE_MAX)
		return;
	if (r->ntext >= REDACT_VALUES_MAX) {
		if (!r->full_warned)
			term_line(stderr, "pmemmap: redaction: more than %u names; the rest are replaced only "
					  "where a fact gives them whole",
				  REDACT_VALUES_MAX);
		r->full_warned = true;
		return;
	}
	t->text = true;
	r->ntext++;
}

/* The entry of s[0..n), made with the next token of kind when new (or
 * with token, when given: an ID's replacement). */
static struct rtok *token_for(struct redactor *r, enum rkind kind, const char *s, size_t n, bool text,
			      const char *token)
{
	char *key = lower_dup(s, n);
	struct strmap_ent *e = strmap_get(&r->by_key, key, n, true);
	if (e->count) {
		free(key);
		struct rtok *t = &r->t[e->count - 1];
		if (text)
			mark_text(r, t);
		return t;
	}
	e->count = r->n + 1;
	r->t = grow(r->t, &r->cap, r->n + 1, sizeof(*r->t));
	struct rtok *t = &r->t[r->n++];
	memset(t, 0, sizeof(*t));
	t->key = key;
	t->value = xstrndup(s, n);
	t->klen = (uint32_t)n;
	t->kind = (uint8_t)kind;
	if (token)
		t->token = xstrdup(token);
	else if (kind == RK_DATASTORE && n > 7 && !strncmp(s, "PMemDS-", 7))
		t->token = xasprintf("PMemDS-%s-%u", kind_names[kind], ++r->counter[kind]); /* a PMem datastore */
	else
		t->token = xasprintf("%s-%u", kind_names[kind], ++r->counter[kind]);
	if (text)
		mark_text(r, t);
	return t;
}

/* A kind of token that replaces a part of a path where it stands. */
static bool placed_kind(enum rkind k)
{
	return k == RK_DIR || k == RK_PATH || k == RK_INPUT;
}

static int rtok_cmp(const void *a, const void *b, void *ctx)
{
	const struct redactor *r = ctx;
	const struct rtok *x = &r->t[*(const uint32_t *)a], *y = &r->t[*(const uint32_t *)b];
	size_t n = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, n);
	return c ? c : CMP3(x->klen, y->klen);
}

/* all: also the parts replaced where they stand (input folders and
 * names, mount path parts) of 3 bytes or more, for diagnostics, which
 * quote them. */
static void matcher_build(struct redactor *r, struct matcher *mt, bool all)
{
	free(mt->ix);
	mt->ix = xcalloc(r->n + 1, sizeof(*mt->ix));
	mt->n = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct rtok *t = &r->t[i];
		if (t->text || (all && placed_kind(t->kind) && t->klen >= 3 && t->klen <= REDACT_VALUE_MAX))
			mt->ix[mt->n++] = (uint32_t)i;
	}
	qsort_r(mt->ix, mt->n, sizeof(*mt->ix), rtok_cmp, r);
}

/* In [lo, hi), whose keys share their first k bytes and are longer than
 * k: the first whose byte k is >= c (above: > c). */
static size_t bound(const struct redactor *r, const struct matcher *mt, size_t lo, size_t hi, size_t k,
		    unsigned char c, bool above)
{
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		unsigned char b = (unsigned char)r->t[mt->ix[mid]].key[k];
		if (above ? b <= c : b < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The longest value at s[i..] that ends where a word does; -1: none. */
static long match_at(const struct redactor *r, const struct matcher *mt, const unsigned char *s, size_t n,
		     size_t i)
{
	size_t lo = 0, hi = mt->n, k = 0;
	long best = -1;
	while (lo < hi) {
		const struct rtok *t = &r->t[mt->ix[lo]];
		if (t->klen == k) {
			/* a value ending in a letter may not end inside a word */
			if (k && !(is_word((unsigned char)t->key[k - 1]) && i + k < n && is_word(s[i + k])))
				best = (long)mt->ix[lo];
			if (++lo == hi)
				break;
		}
		if (i + k >= n)
			break;
		unsigned char c = lower(s[i + k]);
		size_t a = bound(r, mt, lo, hi, k, c, false);
		hi = bound(r, mt, a, hi, k, c, true);
		lo = a;
		k++;
	}
	return best;
}

/* Every value of mt in s replaced by its token (each value starting where
 * a word does); true when any was. */
static bool replace_names(const struct redactor *r, const struct matcher *mt, const char *s, size_t n,
			  struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, done = 0;
	bool any = false;
	while (i < n) {
		if (!(i && is_word(u[i - 1]) && is_word(u[i]))) {
			long e = match_at(r, mt, u, n, i);
			if (e >= 0) {
				buf_append(out, s + done, i - done);
				buf_puts(out, r->t[e].token);
				i += r->t[e].klen;
				done = i;
				any = true;
				continue;
			}
		}
		i++;
	}
	buf_append(out, s + done, n - done);
	return any;
}

/* ---- IDs (--redact-ids) ------------------------------------------------- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void sboxes_init(struct redactor *r)
{
	uint64_t seed = 0;
	if (getrandom(&seed, sizeof(seed), 0) != (ssize_t)sizeof(seed))
		seed = (uint64_t)(mono_seconds() * 1e9) ^ (uint64_t)(uintptr_t)r;
	for (size_t c = 0; c < 11; c++) {
		for (size_t i = 0; i < 256; i++)
			r->sbox[c][i] = (uint8_t)i;
		for (size_t i = 255; i > 0; i--) {
			size_t j = (size_t)(splitmix(&seed) % (i + 1));
			uint8_t x = r->sbox[c][i];
			r->sbox[c][i] = r->sbox[c][j];
			r->sbox[c][j] = x;
		}
	}
}

/* The permutation of UUID byte b: the first three fields one each (the
 * SMBIOS swap reverses bytes within them), then one per byte. */
static unsigned byte_class(unsigned b)
{
	return b < 4 ? 0 : b < 6 ? 1 : b < 8 ? 2 : 3 + (b - 8);
}

static int hexval(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 32) - 'a' + 10;
}

/* s (n bytes: hex digit pairs and separators) with each byte mapped, the
 * first of them UUID byte first; separators and letter case kept. */
static void map_hex(const struct redactor *r, const char *s, size_t n, unsigned first, struct buf *out)
{
	bool upper = false;
	for (size_t i = 0; i < n; i++)
		upper |= s[i] >= 'A' && s[i] <= 'F';
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	unsigned b = first;
	for (size_t i = 0; i < n;) {
		if (i + 1 < n && is_hex((unsigned char)s[i]) && is_hex((unsigned char)s[i + 1])) {
			unsigned v = r->sbox[byte_class(b++ % 16)][hexval((unsigned char)s[i]) * 16 +
								     hexval((unsigned char)s[i + 1])];
			buf_append(out, &digits[v >> 4], 1);
			buf_append(out, &digits[v & 15], 1);
			i += 2;
		} else {
			buf_append(out, s + i, 1);
			i++;
		}
	}
}

/* The replacement of an ID (a UUID from byte 0, a serial from byte 12),
 * kept in the table so that the map reads it back. */
static const char *id_token(struct redactor *r, enum rkind kind, const char *s, size_t n)
{
	struct rtok *t = lookup(r, s, n);
	if (t)
		return t->token;
	struct buf b;
	buf_init(&b);
	map_hex(r, s, n, kind == RK_SERIAL ? 12 : 0, &b);
	t = token_for(r, kind, s, n, false, b.data);
	buf_free(&b);
	return t->token;
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_hex((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* A filesystem's UUID in a path (/dev/disk/by-uuid/...): hex digits and
 * dashes, 8 digits at least. */
static bool uuid_like(const char *s, size_t n)
{
	size_t digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (is_hex((unsigned char)s[i]))
			digits++;
		else if (s[i] != '-')
			return false;
	}
	return digits >= 8 && memchr(s, '-', n);
}

/* ---- addresses ------------------------------------------------------------ */

static bool ip4_ok(const char *s, size_t n)
{
	unsigned v = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (v > 255)
				return false;
			v = 0;
		} else {
			v = v * 10 + (unsigned)(s[i] - '0');
		}
	}
	return true;
}

/* The token of an address match of group g; NULL: not one after all. */
static const char *addr_token(struct redactor *r, int g, const char *s, size_t n)
{
	switch (g) {
	case G_MAC:
		return token_for(r, RK_MAC, s, n, false, NULL)->token;
	case G_VOL:
		return token_for(r, RK_VOLUME, s, n, false, NULL)->token;
	case G_UUID:
	case G_SUUID:
		return id_token(r, RK_UUID, s, n);
	case G_IP4:
		return ip4_ok(s, n) ? token_for(r, RK_IP, s, n, false, NULL)->token : NULL;
	case G_IP6:
		return token_for(r, RK_IP, s, n, false, NULL)->token;
	default:
		return token_for(r, RK_EMAIL, s, n, false, NULL)->token;
	}
}

/* Addresses (and with ids, UUIDs) in s replaced; true when any was. */
static bool replace_addrs(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	size_t off = 0, done = 0;
	bool any = false;
	while (off < n && pcre2_match(r->re[RE_ADDR], (PCRE2_SPTR)s, n, off, 0, r->md, r->mctx) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t a = ov[0], b = ov[1];
		int g = 0;
		while (g < G_COUNT - 1 && (!r->group[g] || ov[2 * r->group[g]] == PCRE2_UNSET))
			g++;
		const char *tok = b > a ? addr_token(r, g, s + a, b - a) : NULL;
		if (tok) {
			buf_append(out, s + done, a - done);
			buf_puts(out, tok);
			done = b;
			any = true;
		}
		off = b > a ? b : a + 1;
	}
	buf_append(out, s + done, n - done);
	return any;
}

/* s through the names of mt, then the addresses: out; true when changed.
 * A name the table holds whole is its token (a name too long to be looked
 * for in text); so is a part replaced where it stands, in a diagnostic
 * (mt all), which quotes them. */
static bool rewrite_text(struct redactor *r, const struct matcher *mt, const char *s, size_t n, struct buf *out)
{
	const struct rtok *t = n ? lookup(r, s, n) : NULL;
	if (t && (!placed_kind(t->kind) || mt == &r->all)) {
		buf_puts(out, t->token);
		return true;
	}
	struct buf tmp;
	buf_init(&tmp);
	bool any = replace_names(r, mt, s, n, &tmp);
	any |= replace_addrs(r, tmp.data ? tmp.data : "", tmp.len, out);
	buf_free(&tmp);
	return any;
}

/* ---- paths ---------------------------------------------------------------- */

/* The length of s[0..n)'s extension: up to three ".abc" parts (a letter
 * first, 8 bytes at most each), never the whole of s. */
static size_t ext_len(const char *s, size_t n)
{
	size_t e = n;
	for (int parts = 0; parts < 3; parts++) {
		size_t d = e;
		while (d > 0 && e - d < 8 && (unsigned char)s[d - 1] < 0x80 && is_word((unsigned char)s[d - 1]))
			d--;
		if (d == e || d < 2 || s[d - 1] != '.' || !((s[d] | 32) >= 'a' && (s[d] | 32) <= 'z'))
			break;
		e = d - 1;
	}
	return n - e;
}

/* A part replaced where it stands: its stem a token of kind (the token
 * the table has for it, if any), its extension kept. */
static void placed_part(struct redactor *r, enum rkind kind, const char *s, size_t n, struct buf *out)
{
	size_t x = ext_len(s, n);
	buf_puts(out, token_for(r, kind, s, n - x, false, NULL)->token);
	buf_append(out, s + n - x, x);
}

/* A part of a path the guest mounts: kept if structure, else its names
 * and addresses replaced, else the part replaced whole. */
static void mount_part(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	if (keep_part(r, s, n)) {
		buf_append(out, s, n);
		return;
	}
	if (uuid_like(s, n)) { /* a filesystem's: kept, or with ids replaced as UUIDs are */
		if (r->ids)
			replace_addrs(r, s, n, out);
		else
			buf_append(out, s, n);
		return;
	}
	struct buf b;
	buf_init(&b);
	if (rewrite_text(r, &r->names, s, n, &b))
		buf_append(out, b.data, b.len);
	else
		placed_part(r, RK_PATH, s, n, out);
	buf_free(&b);
}

/* A path the guest mounts: the names in it replaced first (a name may
 * hold a '/'), then each part between '/'s that no name touched through
 * mount_part. */
static void mount_path(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, part = 0;
	bool named = false;
	struct buf cur; /* the part so far, its names replaced */
	buf_init(&cur);
	while (i <= n) {
		if (i == n || s[i] == '/') {
			if (named)
				replace_addrs(r, cur.data, cur.len, out);
			else
				mount_part(r, s + part, i - part, out);
			if (i < n)
				buf_append(out, "/", 1);
			buf_reset(&cur);
			named = false;
			part = ++i;
			continue;
		}
		long e = i && is_word(u[i - 1]) && is_word(u[i]) ? -1 : match_at(r, &r->names, u, n, i);
		if (e >= 0) {
			buf_puts(&cur, r->t[e].token);
			i += r->t[e].klen;
			named = true;
		} else {
			buf_append(&cur, s + i++, 1);
		}
	}
	buf_free(&cur);
}

/* A part of a member of a vm-support or sosreport (names the tool that
 * made the bundle chose, but for the names in them). */
static void member_part(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	if (keep_part(r, s, n))
		buf_append(out, s, n);
	else
		rewrite_text(r, &r->names, s, n, out);
}

/* The name part of an input name (esx-NAME-...): its token. */
static void input_host(struct redactor *r, enum rkind kind, const char *s, size_t n, struct buf *out)
{
	struct buf b;
	buf_init(&b);
	if (rewrite_text(r, &r->names, s, n, &b))
		buf_append(out, b.data, b.len);
	else
		buf_puts(out, token_for(r, kind, s, n, true, NULL)->token);
	buf_free(&b);
}

/* An input's file name: esx-HOST-DATE... and sosreport-HOST-DATE... keep
 * all but HOST; any other name becomes input-N with its extension. */
static void input_name(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	static const int forms[] = { RE_ESX, RE_SOS, RE_SOS_OLD };
	if (keep_part(r, s, n)) {
		buf_append(out, s, n);
		return;
	}
	for (size_t f = 0; f < 3; f++) {
		if (pcre2_match(r->re[forms[f]], (PCRE2_SPTR)s, n, 0, 0, r->md, r->mctx) < 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t host = ov[2], host_end = ov[3];
		buf_append(out, s, host);
		input_host(r, forms[f] == RE_ESX ? RK_HOST : RK_GUEST, s + host, host_end - host, out);
		buf_append(out, s + host_end, n - host_end);
		return;
	}
	const struct rtok *t = lookup(r, s, n - ext_len(s, n));
	if (t) {
		buf_puts(out, t->token);
		buf_append(out, s + n - ext_len(s, n), ext_len(s, n));
		return;
	}
	placed_part(r, RK_INPUT, s, n, out);
}

/* A folder of an input path, or of a member of pasted text. */
static void dir_part(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	if (keep_part(r, s, n)) {
		buf_append(out, s, n);
		return;
	}
	const struct rtok *t = lookup(r, s, n);
	buf_puts(out, t ? t->token : token_for(r, RK_DIR, s, n, false, NULL)->token);
}

/* A path, each '/' part through part (the last through last); the
 * separators kept. */
static void path_parts(struct redactor *r, const char *s, size_t n,
		       void (*part)(struct redactor *, const char *, size_t, struct buf *),
		       void (*last)(struct redactor *, const char *, size_t, struct buf *), struct buf *out)
{
	size_t i = 0;
	while (i <= n) {
		size_t j = i;
		while (j < n && s[j] != '/')
			j++;
		(j == n ? last : part)(r, s + i, j - i, out);
		if (j < n)
			buf_append(out, "/", 1);
		i = j + 1;
	}
}

/* An input path as given: its folders and its name. */
static void input_path(struct redactor *r, const char *s, size_t n, struct buf *out)
{
	path_parts(r, s, n, dir_part, input_name, out);
}

/* Where a bundle's own name starts in its path: after "OUTER!" for an
 * archive in an archive (parent's path), else 0 (a name may hold a '!'). */
static size_t inner_name(const struct model *m, const char *const *orig, uint32_t b)
{
	int p = m->bundles[b].parent;
	if (p < 0)
		return 0;
	size_t n = strlen(orig[p]);
	return !strncmp(orig[b], orig[p], n) && orig[b][n] == '!' ? n + 1 : 0;
}

/* ---- what to look for: the names the facts give ----------------------- */

/* A name to look for everywhere, unless it is structure or an address
 * (those have their own tokens), or holds no letter or digit (a name "-"
 * would be every dash). */
static void add_name(struct redactor *r, enum rkind kind, const char *s, size_t n)
{
	size_t letters = 0;
	for (size_t i = 0; i < n; i++)
		letters += is_word((unsigned char)s[i]);
	if (!letters || keep_part(r, s, n))
		return;
	/* an address, or one after a prefix ("pmem:<volume UUID>") */
	const char *colon = memrchr(s, ':', n);
	size_t at = colon && colon + 1 < s + n ? (size_t)(colon + 1 - s) : 0;
	for (size_t from = 0; from <= at; from += at ? at : 1)
		if (pcre2_match(r->re[RE_ADDR], (PCRE2_SPTR)s, n, from, PCRE2_ANCHORED, r->md, r->mctx) >= 0 &&
		    pcre2_get_ovector_pointer(r->md)[1] == n)
			return;
	token_for(r, kind, s, n, true, NULL);
}

/* A host or VM name: the part before the first dot and the rest after
 * it (a domain, mostly) are names of their own: pairing compares the
 * first parts, and a VM's files are named by its first part. */
static void add_host_name(struct redactor *r, enum rkind kind, const char *s)
{
	size_t n = strlen(s), head = strcspn(s, ".");
	if (head && head + 1 < n) {
		add_name(r, kind, s, head);
		add_name(r, RK_DOMAIN, s + head + 1, n - head - 1);
	} else {
		add_name(r, kind, s, n);
	}
}

/* Which facts name what, in the order their kinds are preferred (a VM
 * named like its guest is vm-N in both). A type ending in '.' is a prefix. */
static const struct {
	const char *type, *key;
	enum rkind kind;
	bool host;
} name_facts[] = {
	{ "vmx.name", "name", RK_VM, true },
	{ "guest.hostname", "hostname", RK_GUEST, true },
	{ "guest.uname", "hostname", RK_GUEST, true },
	{ "guest.", "host", RK_GUEST, true },
	{ "esx.hostname", "hostname", RK_HOST, true },
	{ NULL, "hostname", RK_HOST, true },
	{ NULL, "host", RK_HOST, true },
	{ "esx.filesystem", "name", RK_DATASTORE, false },
	{ NULL, "datastore", RK_DATASTORE, false },
	{ NULL, "vmdir", RK_FOLDER, false },
	{ "guest.blkid", "label", RK_LABEL, false },
	{ "guest.lsblk", "label", RK_LABEL, false },
};

static bool type_is(const char *type, const char *want)
{
	if (!want)
		return true;
	size_t n = strlen(want);
	return want[n - 1] == '.' ? !strncmp(type, want, n) : !strcmp(type, want);
}

static bool is_disk_file(const char *s, size_t n)
{
	static const char *const exts[] = { ".vmdk", ".vmx", ".vmsd", ".vmxf", ".nvram" };
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && !strncasecmp(s + n - e, exts[i], e))
			return true;
	}
	return false;
}

/* The end of a disk file's name part s[0..e) without its "-flat",
 * "-000001", "_1" and such. */
static size_t disk_core(const char *s, size_t e)
{
	static const char *const tails[] = { "-flat", "-ctk", "-delta", "-sesparse", "-rdm", "-rdmp", "-pmem" };
	for (bool cut = true; cut && e;) {
		cut = false;
		for (size_t i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
			size_t t = strlen(tails[i]);
			if (e > t && !strncasecmp(s + e - t, tails[i], t)) {
				e -= t;
				cut = true;
			}
		}
		size_t d = e;
		while (d && s[d - 1] >= '0' && s[d - 1] <= '9')
			d--;
		if (d < e && d > 1 && (s[d - 1] == '_' || (s[d - 1] == '-' && e - d == 6))) {
			e = d - 1;
			cut = true;
		}
	}
	return e;
}

/* A disk file's name: the VM's name mostly, up to its first dot (as the
 * analysis cuts it), and what is between that dot and the extension. */
static void add_disk_stem(struct redactor *r, const char *s, size_t n)
{
	size_t ext = n;
	while (ext && s[ext - 1] != '.')
		ext--;
	ext = ext ? ext - 1 : n;
	size_t head = strcspn(s, ".");
	add_name(r, RK_FILE, s, disk_core(s, head < ext ? head : ext));
	if (head < ext)
		add_name(r, RK_FILE, s + head + 1, disk_core(s + head + 1, ext - head - 1));
}

/* The names in a path: under vmfs/volumes/ the datastore and the VM's
 * folder, and the name of every VM file. */
static void add_path_names(struct redactor *r, const char *s)
{
	const char *part[64];
	size_t len[64], k = 0;
	for (const char *p = s; k < 64;) {
		size_t n = strcspn(p, "/");
		part[k] = p;
		len[k++] = n;
		if (!p[n])
			break;
		p += n + 1;
	}
	for (size_t j = 0; j + 2 < k; j++) {
		if (len[j] != 4 || strncmp(part[j], "vmfs", 4) || len[j + 1] != 7 || strncmp(part[j + 1], "volumes", 7))
			continue;
		add_name(r, RK_DATASTORE, part[j + 2], len[j + 2]);
		if (j + 3 < k && !is_disk_file(part[j + 3], len[j + 3]))
			add_name(r, RK_FOLDER, part[j + 3], len[j + 3]);
	}
	for (size_t j = 0; j < k; j++)
		if (is_disk_file(part[j], len[j]))
			add_disk_stem(r, part[j], len[j]);
}

/* User names: home/USER anywhere in s. */
static void add_users(struct redactor *r, const char *s)
{
	size_t n = strlen(s), off = 0;
	while (off < n && pcre2_match(r->re[RE_HOME], (PCRE2_SPTR)s, n, off, 0, r->md, r->mctx) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
		size_t a = ov[2], b = ov[3];
		off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		add_name(r, RK_USER, s + a, b - a);
	}
}

static bool path_key(const char *key)
{
	static const char *const keys[] = { "vmx", "vmdk", "file", "extent", "mount", "value", "fileName", "path" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/* Once per string (the model's are interned: equal text, one pointer). */
static bool first_time(struct strmap *seen, const char *s)
{
	struct strmap_ent *e = strmap_get(seen, &s, sizeof(s), true);
	return e->count++ == 0;
}

static void collect_fields(struct redactor *r, const struct model *m, struct strmap *seen)
{
	for (size_t i = 0; i < m->nfacts; i++) {
		const struct fact *f = &m->facts[i];
		for (uint32_t k = 0; k < f->nfields; k++) {
			const char *key = f->fields[k].key, *v = f->fields[k].value;
			if (!first_time(seen, v))
				continue;
			if (path_key(key))
				add_path_names(r, v);
			if (!strcmp(key, "spec") && !strncmp(v, "LABEL=", 6))
				add_name(r, RK_LABEL, v + 6, strlen(v + 6));
			add_users(r, v);
		}
		if (first_time(seen, f->ev.member)) {
			add_path_names(r, f->ev.member);
			add_users(r, f->ev.member);
		}
	}
	for (size_t i = 0; i < m->ndiags; i++)
		if (first_time(seen, m->diags[i].member)) {
			add_path_names(r, m->diags[i].member);
			add_users(r, m->diags[i].member);
		}
}

/* The host part of each input's esx-HOST-... or sosreport-HOST-... name. */
static void collect_inputs(struct redactor *r, const struct model *m, const char *const *orig)
{
	static const int forms[] = { RE_ESX, RE_SOS, RE_SOS_OLD };
	for (uint32_t b = 0; b < m->nbundles; b++) {
		const char *name = orig[b] + inner_name(m, orig, b), *base = strrchr(name, '/');
		base = base ? base + 1 : name;
		for (size_t f = 0; f < 3; f++)
			if (pcre2_match(r->re[forms[f]], (PCRE2_SPTR)base, strlen(base), 0, 0, r->md, r->mctx) >= 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
				char *host = xstrndup(base + ov[2], ov[3] - ov[2]);
				add_host_name(r, f ? RK_GUEST : RK_HOST, host);
				free(host);
				break;
			}
	}
}

static void collect(struct redactor *r, const struct model *m, const char *const *orig)
{
	struct strmap seen;
	for (size_t l = 0; l < sizeof(name_facts) / sizeof(name_facts[0]); l++)
		for (size_t i = 0; i < m->nfacts; i++) {
			const struct fact *f = &m->facts[i];
			const char *v = type_is(f->type, name_facts[l].type) ? fact_get(f, name_facts[l].key) : NULL;
			if (v && name_facts[l].host)
				add_host_name(r, name_facts[l].kind, v);
			else if (v)
				add_name(r, name_facts[l].kind, v, strlen(v));
		}
	strmap_init(&seen);
	collect_fields(r, m, &seen);
	strmap_free(&seen);
	collect_inputs(r, m, orig);
}

/* ---- the rewrite ---------------------------------------------------------- */

static bool key_in(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, list[i]))
			return true;
	return false;
}

/* How a field is rewritten: the structure the analysis reads is kept,
 * paths the guest mounts have their parts replaced, IDs are kept unless
 * ids, and everything else is text. */
static enum how field_how(const struct redactor *r, const char *type, const char *key)
{
	static const char *const keep[] = { "time", "device", "prop", "mode", "sectors", "fstype", "vfstype",
					     "options", "type", "size", "state", "dev", "region", "chardev",
					     "blockdev", "length", "namespace", "dimm", "offset", "thread" };
	static const char *const mounts[] = { "source", "target", "spec", "file", "mountpoint" };
	bool guest = !strncmp(type, "guest.", 6);
	/* the UUIDs of VMs, disks, guests and filesystems; a VMFS volume's
	 * (esx.filesystem) ends in a MAC: text, its address replaced */
	bool ids = guest || !strncmp(type, "vmx.", 4) || !strncmp(type, "vmdk.", 5) || !strncmp(type, "nd.", 3);
	if ((!strcmp(key, "uuid") || !strcmp(key, "fs_uuid")) && ids)
		return r->ids ? H_TEXT : H_KEEP;
	if (!strcmp(key, "serial"))
		return r->ids ? H_SERIAL : H_KEEP;
	if (!strcmp(type, "nd.dimm") && !strcmp(key, "id"))
		return r->ids ? H_DIMM : H_KEEP;
	if (!strncmp(type, "nd.", 3) || !strncmp(type, "dax.", 4))
		return strcmp(key, "name") ? H_KEEP : H_TEXT; /* a namespace's name is the admin's */
	if (type_is(type, "bundle.collected") || (type_is(type, "guest.timezone") && strcmp(key, "tz")))
		return H_KEEP;
	if (guest && (key_in(key, mounts, sizeof(mounts) / sizeof(mounts[0])) ||
		      (!strcmp(type, "guest.blkid") && !strcmp(key, "device"))))
		return H_MOUNT;
	if (!strcmp(key, "label"))
		return str_has_suffix(type, ".event") ? H_KEEP : H_TEXT;
	return key_in(key, keep, sizeof(keep) / sizeof(keep[0])) ? H_KEEP : H_TEXT;
}

/* A serial: its 4 bytes as the last 4 of a UUID; a dimm id: its last
 * "-"-separated field as a serial. */
static void rewrite_id(struct redactor *r, enum how how, const char *s, size_t n, struct buf *out)
{
	size_t at = 0;
	if (how == H_DIMM) {
		const char *dash = memrchr(s, '-', n);
		at = dash ? (size_t)(dash - s) + 1 : 0;
	}
	if (n - at == 8 && all_hex(s + at, 8)) {
		buf_append(out, s, at);
		buf_puts(out, id_token(r, RK_SERIAL, s + at, 8));
	} else {
		rewrite_text(r, &r->names, s, n, out);
	}
}

static void rewrite_into(struct redactor *r, enum how how, const char *s, struct buf *out)
{
	size_t n = strlen(s);
	switch (how) {
	case H_KEEP:
		buf_append(out, s, n);
		break;
	case H_SERIAL:
	case H_DIMM:
		rewrite_id(r, how, s, n, out);
		break;
	case H_MOUNT:
		if (s[0] == '/')
			mount_path(r, s, n, out);
		else
			rewrite_text(r, &r->names, s, n, out);
		break;
	case H_MEMBER:
		path_parts(r, s, n, member_part, member_part, out);
		break;
	case H_LOOSE:
		path_parts(r, s, n, dir_part, input_name, out);
		break;
	case H_INPUT:
		input_path(r, s, n, out);
		break;
	case H_DIAG:
		rewrite_text(r, &r->all, s, n, out);
		break;
	default:
		rewrite_text(r, &r->names, s, n, out);
	}
}

/* s rewritten, as a string of the model; each (string, how) once. */
static const char *rewrite(struct redactor *r, enum how how, const char *s)
{
	struct {
		const char *s;
		uintptr_t how;
	} key = { s, (uintptr_t)how };
	if (how == H_KEEP || !*s)
		return s;
	const struct strmap_ent *e = strmap_get(&r->done, &key, sizeof(key), false);
	if (e)
		return e->val;
	struct buf b;
	buf_init(&b);
	rewrite_into(r, how, s, &b);
	const char *res = model_intern(r->m, b.data ? b.data : "", b.len);
	buf_free(&b);
	strmap_get(&r->done, &key, sizeof(key), true)->val = res;
	return res;
}

static enum how member_how(const struct model *m, uint32_t bundle)
{
	enum bundle_kind k = m->bundles[bundle].kind;
	return k == KIND_VMSUPPORT || k == KIND_SOSREPORT ? H_MEMBER : H_LOOSE;
}

/* Each bundle's path: an archive in an archive is its parent's, "!", and
 * its own name in the parent, as a member of pasted text is. */
static void redact_bundles(struct redactor *r, struct model *m, const char **orig)
{
	for (uint32_t b = 0; b < m->nbundles; b++) {
		size_t at = inner_name(m, orig, b);
		if (!at) {
			m->bundles[b].path = rewrite(r, H_INPUT, orig[b]);
			continue;
		}
		const char *inner = rewrite(r, H_LOOSE, model_str(m, orig[b] + at));
		char *p = xasprintf("%s!%s", m->bundles[m->bundles[b].parent].path, inner);
		m->bundles[b].path = model_str(m, p);
		free(p);
	}
}

void redact_model(struct redactor *r, struct model *m)
{
	const char **orig = xcalloc(m->nbundles + 1, sizeof(*orig));
	for (size_t b = 0; b < m->nbundles; b++)
		orig[b] = m->bundles[b].path;
	r->m = m;
	collect(r, m, orig);
	matcher_build(r, &r->names, false);
	for (size_t i = 0; i < m->nfacts; i++) {
		struct fact *f = &m->facts[i];
		for (uint32_t k = 0; k < f->nfields; k++)
			f->fields[k].value = rewrite(r, field_how(r, f->type, f->fields[k].key), f->fields[k].value);
		f->ev.member = rewrite(r, member_how(m, f->ev.bundle), f->ev.member);
	}
	redact_bundles(r, m, orig);
	free(orig);
	matcher_build(r, &r->all, true);
	for (size_t i = 0; i < m->ndiags; i++) {
		struct diag *d = &m->diags[i];
		d->member = rewrite(r, member_how(m, d->bundle), d->member);
		d->message = rewrite(r, H_DIAG, d->message);
	}
	m->redacted = true;
	m->redacted_ids = r->ids;
}

char *redact_input_path(struct redactor *r, const char *path)
{
	struct buf b;
	buf_init(&b);
	input_path(r, path, strlen(path), &b);
	buf_puts(&b, "");
	return buf_steal(&b);
}

char *redact_message(struct redactor *r, const char *text)
{
	struct buf b;
	buf_init(&b);
	if (!r->all.ix)
		matcher_build(r, &r->all, true);
	rewrite_text(r, &r->all, text, strlen(text), &b);
	buf_puts(&b, "");
	return buf_steal(&b);
}

struct json_object *redact_map_json(const struct redactor *r, const char *version)
{
	struct json_object *doc = json_object_new_object(), *toks = json_object_new_array();
	json_object_object_add(doc, "schema", json_object_new_string("pmemmap-redact-map/1"));
	json_object_object_add(doc, "pmemmap", json_object_new_string(version));
	json_object_object_add(doc, "ids", json_object_new_boolean(r->ids));
	for (size_t i = 0; i < r->n; i++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "token", json_object_new_string(r->t[i].token));
		json_object_object_add(o, "kind", json_object_new_string(kind_names[r->t[i].kind]));
		json_object_object_add(o, "value", json_object_new_string(r->t[i].value));
		json_object_array_add(toks, o);
	}
	json_object_object_add(doc, "tokens", toks);
	return doc;
}

int redact_map_write(const struct redactor *r, const char *path, const char *version, struct buf *err)
{
	size_t n;
	struct json_object *doc = redact_map_json(r, version);
	char *text = json_to_text(doc, JSON_C_TO_STRING_PRETTY, &n);
	int rc = output_write_private(path, text, n, err);
	free(text);
	json_object_put(doc);
	return rc;
}

/* ---- making and freeing ------------------------------------------------- */

/* The address patterns: each starts only where the text around allows,
 * so that a long run of characters is tried once, not at every byte. */
static char *addr_pattern(bool ids)
{
	return xasprintf(
		"(?<mac>(?<![\\w:.-])[[:xdigit:]]{2}(?<sep>[:-])[[:xdigit:]]{2}(?:\\k<sep>[[:xdigit:]]{2}){4}(?![\\w:-]))"
		"|(?<vol>(?<![[:alnum:]])[[:xdigit:]]{8}-[[:xdigit:]]{8}-[[:xdigit:]]{4}-[[:xdigit:]]{12}(?![[:alnum:]]))"
		"%s"
		"|(?<ip4>(?<![\\w.])(?:[0-9]{1,3}\\.){3}[0-9]{1,3}(?!\\w|\\.[0-9]))"
		"|(?<ip6>(?<![\\w:.])(?=:*[[:xdigit:]])(?:(?:[[:xdigit:]]{1,4}:){7}[[:xdigit:]]{1,4}"
		"|(?:[[:xdigit:]]{1,4}(?::[[:xdigit:]]{1,4}){0,6})?::(?:[[:xdigit:]]{1,4}(?::[[:xdigit:]]{1,4}){0,6})?)"
		"(?![\\w:.]))"
		"|(?<email>(?<![\\w.%%+-])[\\w.%%+-]{1,64}@[[:alnum:]-]{1,63}(?:\\.[[:alnum:]-]{1,63})+(?![\\w-]))",
		ids ? "|(?<uuid>(?<![[:alnum:]])[[:xdigit:]]{8}-[[:xdigit:]]{4}-[[:xdigit:]]{4}-[[:xdigit:]]{4}-"
		      "[[:xdigit:]]{12}(?![[:alnum:]]))"
		      "|(?<suuid>(?<![[:alnum:]])[[:xdigit:]]{2}(?: [[:xdigit:]]{2}){7}-[[:xdigit:]]{2}"
		      "(?: [[:xdigit:]]{2}){7}(?![[:alnum:]]))"
		    : "");
}

static pcre2_code *compile(const char *pattern, uint32_t options)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &err, &off, NULL);
	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof(msg));
		fprintf(stderr, "pmemmap: redact: pattern %s at %zu: %s\n", pattern, (size_t)off, (char *)msg);
		abort(); /* our own pattern: a bug, not an input error */
	}
	if (!getenv("PMEMMAP_NO_JIT"))
		pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
	return c;
}

struct redactor *redactor_new(bool ids)
{
	static const char *const input_ext = "((?:\\.[A-Za-z][A-Za-z0-9]{0,7}){0,3})$";
	struct redactor *r = xcalloc(1, sizeof(*r));
	r->ids = ids;
	strmap_init(&r->by_key);
	strmap_init(&r->done);
	char *addr = addr_pattern(ids);
	char *esx = xasprintf("^esx-(.+?)-[0-9]{4}-[0-9]{2}-[0-9]{2}--[0-9]{2}\\.[0-9]{2}-[0-9]+%s", input_ext);
	char *sos = xasprintf("^sosreport-(.+?)-[0-9]{4}-[0-9]{2}-[0-9]{2}-[a-z]{7}%s", input_ext);
	char *old = xasprintf("^sosreport-(.+?)-[0-9]{14}(?:-[0-9a-f]{4})?%s", input_ext);
	r->re[RE_ADDR] = compile(addr, 0);
	r->re[RE_ESX] = compile(esx, 0);
	r->re[RE_SOS] = compile(sos, 0);
	r->re[RE_SOS_OLD] = compile(old, 0);
	r->re[RE_HOME] = compile("(?<![\\w.-])home/([\\w.-]{1,64})(?=/|$|[\\s'\"])", 0);
	r->re[RE_KEEP] = compile("^(?:(?:pmem|nmem|dax|region|namespace|ndbus|btt|pfn|nvme|loop|md|sr|nbd|zram|"
				 "mmcblk|dm-|nvdimm)[0-9][0-9a-z.:p-]*|(?:sd|vd|xvd|hd)[a-z]{1,3}[0-9]*|[0-9][0-9.:_-]*)$",
				 PCRE2_CASELESS);
	free(addr);
	free(esx);
	free(sos);
	free(old);
	for (int g = 0; g < G_COUNT; g++) {
		int num = pcre2_substring_number_from_name(r->re[RE_ADDR], (PCRE2_SPTR)group_names[g]);
		r->group[g] = num > 0 ? (uint32_t)num : 0;
	}
	r->md = pcre2_match_data_create(32, NULL);
	r->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(r->mctx, 1000000);
	pcre2_set_depth_limit(r->mctx, 10000);
	if (ids)
		sboxes_init(r);
	return r;
}

void redactor_free(struct redactor *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->t[i].key);
		free(r->t[i].value);
		free(r->t[i].token);
	}
	free(r->t);
	free(r->names.ix);
	free(r->all.ix);
	strmap_free(&r->by_key);
	strmap_free(&r->done);
	for (int i = 0; i < RE_COUNT; i++)
		pcre2_code_free(r->re[i]);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r);
}
