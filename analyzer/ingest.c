/* ingest.c - walk inputs (archives, nested archives, folders, text) and
 * stream their members into the extractor.
 *
 * One pass per input: members no rule wants are drained without copying,
 * members that are themselves archives are opened on the fly over the
 * parent's data, and every byte produced is counted against the limits
 * so an archive bomb stops with a message instead of filling memory or
 * running for hours.
 */
#define _GNU_SOURCE
#include "ingest.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "stream.h"
#include "util.h"

/* One command-line input, and what it has cost so far. */
struct input {
	struct ingest *in;
	const char *path;
	_Atomic uint64_t compressed; /* counted by the prefetch thread too */
	uint64_t inflated;
	bool stop;
	char stop_reason[256];
};

/* One bundle being read (an input, or an archive inside one). */
struct bstate {
	struct input *inp;
	struct xbundle *xb;
	unsigned depth;
	bool failed;
	bool warned_name, warned_depth, warned_members;
	uint64_t members;
	/* the single top directory real bundles have, stripped from paths */
	char *root;
	bool root_known;
	/* other top directories of the same archive: bundles side by side
	 * (a host tree and a guest tree in one ticket tarball), each read as
	 * a bundle of its own inside the archive's */
	struct bstate **side;
	size_t nside, side_cap;
	/* a file split into NAME.FRAG-00000, -00001, ... read as one member */
	char *frag_base;
	unsigned frag_next;
	bool frag_open;
};

static void read_entries(struct bstate *bs, struct archive *a, struct archive_entry *e, int r);

void ingest_init(struct ingest *in, struct extractor *x, const struct limits *lim)
{
	memset(in, 0, sizeof(*in));
	in->x = x;
	in->lim = lim;
	in->m = x->m;
	in->use_isal = gz_stream_available();
	in->use_prefetch = true;
}

/* ---- accounting ---------------------------------------------------- */

static bool account(struct input *inp, size_t n)
{
	const struct limits *lim = inp->in->lim;

	inp->inflated += n;
	inp->in->bytes_inflated += n;
	if (inp->in->progress && inp->in->bytes_inflated >= inp->in->progress_at) {
		inp->in->progress_at = inp->in->bytes_inflated + INGEST_TICK_BYTES;
		inp->in->progress(inp->in->progress_ctx, inp->in);
	}
	if (inp->stop)
		return false;
	if (inp->inflated > lim->total_bytes) {
		snprintf(inp->stop_reason, sizeof(inp->stop_reason),
			 "stopped after %llu inflated bytes (--max-total-bytes)",
			 (unsigned long long)lim->total_bytes);
		inp->stop = true;
	} else if (inp->inflated > lim->ratio_floor &&
		   inp->inflated / (atomic_load(&inp->compressed) ? atomic_load(&inp->compressed) : 1) >
			   lim->ratio) {
		snprintf(inp->stop_reason, sizeof(inp->stop_reason),
			 "stopped: %llu bytes read inflate to %llu, more than %llu:1 (--max-ratio); "
			 "an archive bomb?",
			 (unsigned long long)atomic_load(&inp->compressed), (unsigned long long)inp->inflated,
			 (unsigned long long)lim->ratio);
		inp->stop = true;
	}
	return !inp->stop;
}

/* Counts the compressed bytes read from an input file. */
struct counted_stream {
	struct stream s;
	struct stream *in;
	struct input *inp;
};

static ssize_t counted_read(struct stream *s, const void **buf)
{
	struct counted_stream *c = (struct counted_stream *)s;
	ssize_t n = c->in->read(c->in, buf);
	if (n < 0)
		memcpy(s->error, c->in->error, sizeof(s->error));
	else {
		atomic_fetch_add(&c->inp->compressed, (uint64_t)n);
		atomic_fetch_add(&c->inp->in->bytes_in, (uint64_t)n);
	}
	return n;
}

/* The data of the current archive entry, counted against the limits. */
struct entry_stream {
	struct stream s;
	struct archive *a;
	struct input *inp;
	bool fatal; /* the archive cannot go on */
	char warn[256]; /* the archive's first warning on this entry (a bad CRC) */
};

static ssize_t entry_read(struct stream *s, const void **buf)
{
	struct entry_stream *es = (struct entry_stream *)s;
	size_t size;
	la_int64_t off;

	for (;;) {
		int r = archive_read_data_block(es->a, buf, &size, &off);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(es->a);
			snprintf(s->error, sizeof(s->error), "%s", msg ? msg : "archive read error");
			es->fatal = r == ARCHIVE_FATAL;
			return -1;
		}
		if (r == ARCHIVE_WARN && !es->warn[0]) {
			/* the data came, but the archive doubts it (zip: "ZIP bad
			 * CRC"): kept, and said when the member ends */
			const char *msg = archive_error_string(es->a);
			snprintf(es->warn, sizeof(es->warn), "%s", msg ? msg : "archive warning");
			size_t l = strlen(es->warn); /* libarchive may end it with a newline */
			while (l && (es->warn[l - 1] == '\n' || es->warn[l - 1] == ' '))
				es->warn[--l] = '\0';
		}
		if (!account(es->inp, size)) {
			snprintf(s->error, sizeof(s->error), "%s", es->inp->stop_reason);
			return -1;
		}
		if (size)
			return (ssize_t)size;
	}
}

static struct archive *new_reader(void)
{
	struct archive *a = archive_read_new();

	/* Filters and formats by content. Not "all": mtree and warc bid on
	 * plain text and would misread a transcript. */
	stream_support_filters(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_cpio(a);
	archive_read_support_format_zip(a);
	archive_read_support_format_7zip(a);
	archive_read_support_format_rar(a);
	archive_read_support_format_rar5(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_xar(a);
	archive_read_support_format_cab(a);
	archive_read_support_format_lha(a);
	archive_read_support_format_iso9660(a);
	archive_read_support_format_raw(a);
	archive_read_support_format_empty(a);
	return a;
}

/* An ISO 9660 image names itself at byte 32769, after a system area that
 * is zeros as a rule: a member that starts with zeros is looked at that
 * far before it is taken for text. */
#define ISO_MAGIC_AT 32769
#define LOOK_AHEAD (ISO_MAGIC_AT + 5)

/* Does this block start an archive or a compressed stream? */
static bool looks_packed(const unsigned char *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} sig[] = {
		{ "\x1f\x8b", 2 }, /* gzip */
		{ "BZh", 3 }, /* bzip2 */
		{ "\xfd" "7zXZ\0", 6 }, /* xz */
		{ "\x28\xb5\x2f\xfd", 4 }, /* zstd */
		{ "\x04\x22\x4d\x18", 4 }, /* lz4 */
		{ "PK\x03\x04", 4 }, /* zip */
		{ "PK\x05\x06", 4 }, /* empty zip */
		{ "7z\xbc\xaf\x27\x1c", 6 }, /* 7-zip */
		{ "Rar!\x1a\x07", 6 }, /* rar */
		{ "070701", 6 }, /* cpio newc */
		{ "070702", 6 }, /* cpio newc with checksums */
		{ "070707", 6 }, /* cpio odc */
		{ "\xc7\x71", 2 }, /* cpio binary, little-endian */
		{ "\x71\xc7", 2 }, /* cpio binary, big-endian */
		{ "!<arch>\n", 8 }, /* ar */
		{ "LZIP", 4 },
		{ "xar!", 4 },
		{ "\x1f\x9d", 2 }, /* compress */
	};
	for (size_t i = 0; i < sizeof(sig) / sizeof(sig[0]); i++)
		if (n >= sig[i].len && memcmp(p, sig[i].magic, sig[i].len) == 0)
			return true;
	if (n >= ISO_MAGIC_AT + 5 && memcmp(p + ISO_MAGIC_AT, "CD001", 5) == 0)
		return true; /* ISO 9660 */
	return n >= 262 && memcmp(p + 257, "ustar", 5) == 0;
}

static bool starts_with_zeros(const unsigned char *p, size_t n)
{
	if (n < 16)
		return false;
	for (size_t i = 0; i < 16; i++)
		if (p[i])
			return false;
	return true;
}

/* The member's first LOOK_AHEAD bytes in look (as far as there are any),
 * read on from ms after the first block p, n. The member's data read so
 * far is then look->data, look->len. */
static ssize_t look_further(struct stream *ms, const void *p, ssize_t n, struct buf *look)
{
	buf_append(look, p, (size_t)n);
	while (look->len < LOOK_AHEAD) {
		const void *q;
		ssize_t m = ms->read(ms, &q);
		if (m <= 0)
			return m < 0 ? m : (ssize_t)look->len;
		buf_append(look, q, (size_t)m);
	}
	return (ssize_t)look->len;
}

/* ---- members ------------------------------------------------------- */

static bool frag_split(const char *path, size_t *base_len, unsigned *idx)
{
	const char *tag = strstr(path, ".FRAG-");
	if (!tag)
		return false;
	const char *d = tag + 6;
	if (strlen(d) != 5 || strspn(d, "0123456789") != 5)
		return false;
	*base_len = (size_t)(tag - path);
	*idx = (unsigned)atoi(d);
	return true;
}

static void frag_close(struct bstate *bs)
{
	if (bs->frag_open)
		extract_member_end(bs->xb);
	bs->frag_open = false;
	free(bs->frag_base);
	bs->frag_base = NULL;
}

static void drain(struct stream *ms)
{
	const void *p;
	while (ms->read(ms, &p) > 0)
		;
}

static void member_error(struct bstate *bs, const char *member, const char *what, const char *why)
{
	model_diag(bs->inp->in->m, DIAG_ERROR, extract_bundle_id(bs->xb), member, 0, "%s: %s", what,
		   why);
	bs->failed = true;
}

static void pump(struct bstate *bs, const char *member, struct stream *ms, const void *p, ssize_t n)
{
	while (n > 0) {
		extract_member_data(bs->xb, p, (size_t)n);
		n = ms->read(ms, &p);
	}
	if (n < 0)
		member_error(bs, member, "member could not be read to the end", ms->error);
}

/* The bundle's own name, for the rules on names: its top folder when it
 * has one, else the last part of its path (a folder, a file, a nested
 * archive's member name). */
static void bundle_named(struct bstate *bs)
{
	const char *path = bs->inp->in->m->bundles[extract_bundle_id(bs->xb)].path;
	const char *inner = strrchr(path, '!');
	char *own = xstrdup(inner ? inner + 1 : path);
	size_t n = strlen(own);
	while (n > 1 && own[n - 1] == '/')
		own[--n] = '\0';
	extract_bundle_named(bs->xb, bs->root ? bs->root : path_base(own));
	free(own);
}

static void bundle_finish(struct bstate *bs)
{
	for (size_t i = 0; i < bs->nside; i++) {
		bundle_finish(bs->side[i]);
		free(bs->side[i]);
	}
	free(bs->side);
	frag_close(bs);
	bundle_named(bs);
	if (bs->failed)
		model_mark_failed(bs->inp->in->m, extract_bundle_id(bs->xb));
	extract_bundle_end(bs->xb);
	free(bs->root);
	free(bs->frag_base);
}

/* A member that starts like an archive or compressed file. */
static void read_nested(struct bstate *bs, const char *path, struct stream *ms, const void *first,
			size_t n, bool wanted)
{
	struct ingest *in = bs->inp->in;
	struct stream *rs = replay_stream_new(ms, first, n);
	/* rotated logs (vmkernel.0.gz), an inner .tgz or .tar.xz: decoded as
	 * the outer file is, in this thread */
	void (*dec_free)(struct stream *) = NULL;
	struct stream *dec = decoder_for(rs, first, n, in->use_isal, false, &dec_free);
	struct stream *src = dec ? dec : rs;
	struct archive *a = new_reader();
	struct archive_entry *e;
	int r = stream_open_archive(a, src);

	if (r == ARCHIVE_OK)
		r = archive_read_next_header(a, &e);
	if (r == ARCHIVE_EOF && src->error[0]) { /* a read error while sniffing */
		member_error(bs, path, "looks like an archive but cannot be opened", src->error);
		goto out;
	}
	if (r == ARCHIVE_EOF)
		goto out;
	if (r < ARCHIVE_WARN) {
		const char *msg = archive_error_string(a);
		member_error(bs, path, "looks like an archive but cannot be opened",
			     msg ? msg : "unknown format");
		goto out;
	}
	if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
		/* a compressed single file, e.g. a rotated vmkernel.0.gz */
		struct entry_stream es = { .s.read = entry_read, .a = a, .inp = bs->inp };
		if (wanted && extract_member_begin(bs->xb, path)) {
			const void *p;
			ssize_t got = es.s.read(&es.s, &p);
			pump(bs, path, &es.s, p, got);
			extract_member_end(bs->xb);
		}
		if (es.warn[0])
			member_error(bs, path, "the archive says this member is damaged", es.warn);
		goto out;
	}

	char *name = xasprintf("%s!%s", in->m->bundles[extract_bundle_id(bs->xb)].path, path);
	struct bstate child = { .inp = bs->inp, .depth = bs->depth + 1 };
	child.xb = extract_bundle_begin(in->x, name, (int)extract_bundle_id(bs->xb), false);
	read_entries(&child, a, e, r);
	if (child.failed)
		bs->failed = true;
	bundle_finish(&child);
	free(name);
out:
	archive_read_free(a);
	if (dec)
		dec_free(dec);
	replay_stream_free(rs);
}

/*
 * Everything about one member: rejoin fragments, open nested archives,
 * feed wanted members to the extractor, drain the rest.
 */
static void read_member_data(struct bstate *bs, const char *path, struct stream *ms)
{
	struct ingest *in = bs->inp->in;
	size_t base_len = 0;
	unsigned idx = 0;
	bool frag = frag_split(path, &base_len, &idx);

	if (frag && bs->frag_base && strlen(bs->frag_base) == base_len &&
	    !strncmp(path, bs->frag_base, base_len)) {
		if (idx == bs->frag_next) {
			bs->frag_next++;
			if (bs->frag_open) {
				const void *p;
				ssize_t n = ms->read(ms, &p);
				pump(bs, path, ms, p, n);
			} else {
				drain(ms);
			}
			return;
		}
		model_diag(in->m, DIAG_WARNING, extract_bundle_id(bs->xb), path, 0,
			   "fragment out of order (expected %05u); it is read on its own and the "
			   "line at each join may be split",
			   bs->frag_next);
	}
	frag_close(bs);

	char *logical = frag ? xstrndup(path, base_len) : xstrdup(path);
	extract_member_seen(bs->xb, logical);
	bool wanted = extract_wants(bs->xb, logical);
	const void *p;
	ssize_t n = ms->read(ms, &p);
	struct buf look;
	buf_init(&look);

	if (n > 0 && n < LOOK_AHEAD && starts_with_zeros(p, (size_t)n)) {
		n = look_further(ms, p, n, &look);
		p = look.data;
	}
	if (n < 0) {
		member_error(bs, path, "member could not be read", ms->error);
		goto out;
	}
	if (n > 0 && looks_packed(p, (size_t)n)) {
		if (bs->depth + 1 < in->lim->depth) {
			read_nested(bs, logical, ms, p, (size_t)n, wanted);
			drain(ms);
			goto out;
		}
		if (!bs->warned_depth)
			model_diag(in->m, DIAG_WARNING, extract_bundle_id(bs->xb), path, 0,
				   "archive at level %u (the input is level 1), past --max-depth %llu; "
				   "not opened",
				   bs->depth + 2, (unsigned long long)in->lim->depth);
		bs->warned_depth = true;
		wanted = false;
	}
	if (!wanted || !extract_member_begin(bs->xb, logical)) {
		if (n > 0)
			drain(ms);
		goto out;
	}
	pump(bs, path, ms, p, n);
	buf_free(&look);
	if (frag) {
		bs->frag_open = true;
		bs->frag_base = logical;
		bs->frag_next = idx + 1;
		return;
	}
	extract_member_end(bs->xb);
out:
	buf_free(&look);
	if (frag && !bs->frag_base) {
		bs->frag_base = logical; /* remember the chain even when unwanted */
		bs->frag_next = idx + 1;
		return;
	}
	free(logical);
}

/* One member, counted and named for the progress line (a nested
 * archive's members name themselves, then give the name back). */
static void read_member(struct bstate *bs, const char *path, struct stream *ms)
{
	struct ingest *in = bs->inp->in;
	const char *outer = in->member;
	in->member = path;
	if (++in->members % INGEST_TICK_MEMBERS == 0 && in->progress)
		in->progress(in->progress_ctx, in);
	read_member_data(bs, path, ms);
	in->member = outer;
}

/* The member path relative to the bundle root; NULL for the root itself.
 * Real bundles hold one top folder (esx-<host>-<date>/, sosreport-.../):
 * it is the first member's first component, unless that member already
 * looks like a bundle-relative path (a tar made from inside the folder). */
static const char *root_relative(struct bstate *bs, const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (!bs->root_known) {
		const char *slash = strchr(path, '/');
		bs->root_known = true;
		if (slash && slash != path && strncmp(path, "../", 3) != 0 &&
		    extract_marks_path(bs->inp->in->x, path) == KIND_UNKNOWN)
			bs->root = xstrndup(path, (size_t)(slash - path));
	}
	if (bs->root) {
		size_t n = strlen(bs->root);
		if (!strncmp(path, bs->root, n) && path[n] == '/')
			path += n + 1;
		else if (!strcmp(path, bs->root))
			return NULL;
	}
	return path;
}

static bool unsafe_name(const char *p)
{
	return p[0] == '/' || !strncmp(p, "../", 3) || strstr(p, "/../") || !strcmp(p, "..") ||
	       str_has_suffix(p, "/..");
}

/* The tree a member belongs to: the archive's own (its top directory), or,
 * for a member under another top directory, the bundle of that directory,
 * "ARCHIVE!DIR", started at its first member. */
static struct bstate *tree_of(struct bstate *bs, const char **raw)
{
	const char *p = *raw, *slash;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	slash = strchr(p, '/');
	if (!bs->root_known || !bs->root || !slash || slash == p || unsafe_name(p) ||
	    ((size_t)(slash - p) == strlen(bs->root) && !strncmp(p, bs->root, (size_t)(slash - p))))
		return bs;
	for (size_t i = 0; i < bs->nside; i++)
		if (strlen(bs->side[i]->root) == (size_t)(slash - p) && !strncmp(p, bs->side[i]->root, (size_t)(slash - p)))
			return bs->side[i];
	struct bstate *t = xcalloc(1, sizeof(*t));
	struct model *m = bs->inp->in->m;
	uint32_t parent = extract_bundle_id(bs->xb);
	t->inp = bs->inp;
	t->depth = bs->depth;
	t->root = xstrndup(p, (size_t)(slash - p));
	t->root_known = true;
	char *name = xasprintf("%s!%s", m->bundles[parent].path, t->root);
	t->xb = extract_bundle_begin(bs->inp->in->x, name, (int)parent, false);
	free(name);
	bs->side = grow(bs->side, &bs->side_cap, bs->nside + 1, sizeof(*bs->side));
	bs->side[bs->nside++] = t;
	return t;
}

static void read_entries(struct bstate *bs, struct archive *a, struct archive_entry *e, int r)
{
	struct ingest *in = bs->inp->in;
	uint32_t id = extract_bundle_id(bs->xb);
	const char *last = NULL;
	char *last_copy = NULL;
	bool damaged = false;

	for (; r != ARCHIVE_EOF; r = archive_read_next_header(a, &e)) {
		if (r == ARCHIVE_RETRY) {
			/* a damaged header: libarchive scans ahead block by block for
			 * the next good one; say so once per damaged stretch */
			const char *msg = archive_error_string(a);
			if (!damaged)
				model_diag(in->m, DIAG_ERROR, id, last ? last : "", 0,
					   "archive is damaged%s (%s); members may be missing from here on",
					   last ? " after this member" : "", msg ? msg : "bad header");
			damaged = true;
			bs->failed = true;
			continue;
		}
		damaged = false;
		if (r == ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			model_diag(in->m, DIAG_WARNING, id, last ? last : "", 0, "%s",
				   msg ? msg : "archive warning");
		} else if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(a);
			model_diag(in->m, DIAG_ERROR, id, last ? last : "", 0,
				   "archive is damaged%s: %s", last ? " after this member" : "",
				   msg ? msg : "read error");
			bs->failed = true;
			if (r == ARCHIVE_FATAL)
				break;
			continue;
		}
		if (bs->inp->stop)
			break;
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		const char *raw = archive_entry_pathname(e);
		if (!raw || !*raw)
			raw = "(member without a name)";
		if (++bs->members > in->lim->members) {
			model_diag(in->m, DIAG_ERROR, id, raw, 0,
				   "more than %llu members (--max-members); the rest is not read",
				   (unsigned long long)in->lim->members);
			bs->failed = true;
			break;
		}
		if (unsafe_name(raw) && !bs->warned_name) {
			model_diag(in->m, DIAG_WARNING, id, raw, 0,
				   "member name points outside the bundle; it is read as a name only");
			bs->warned_name = true;
		}
		struct bstate *tree = tree_of(bs, &raw);
		const char *path = root_relative(tree, raw);
		if (!path || !*path)
			continue;
		free(last_copy);
		last = last_copy = xstrdup(path);

		struct entry_stream es = { .s.read = entry_read, .a = a, .inp = bs->inp };
		read_member(tree, last, &es.s);
		if (es.warn[0])
			member_error(tree, last, "the archive says this member is damaged", es.warn);
		if (es.fatal || bs->inp->stop)
			break;
	}
	free(last_copy);
}

/* ---- folders ------------------------------------------------------- */

/* Sorted names of a folder (so FRAG pieces come in order); none when it
 * cannot be read. */
static struct namelist list_dir(int dirfd)
{
	struct namelist l;
	if (dir_names(dirfd, NULL, NULL, &l) < 0) {
		l.v = NULL;
		l.n = 0;
	}
	return l;
}

static void walk_bundle_dir(struct bstate *bs, int dirfd, const char *prefix, unsigned level)
{
	struct ingest *in = bs->inp->in;
	uint32_t id = extract_bundle_id(bs->xb);
	struct namelist nl = list_dir(dirfd);
	char **names = nl.v;
	size_t n = nl.n;

	for (size_t i = 0; i < n && !bs->inp->stop; i++) {
		struct stat st;
		char *rel = *prefix ? xasprintf("%s/%s", prefix, names[i]) : xstrdup(names[i]);

		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			model_diag(in->m, DIAG_WARNING, id, rel, 0, "cannot stat: %s", strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				model_diag(in->m, DIAG_WARNING, id, rel, 0, "cannot open folder: %s",
					   strerror(errno));
			else if (level >= 64)
				model_diag(in->m, DIAG_WARNING, id, rel, 0, "folders nested too deep; skipped");
			else
				walk_bundle_dir(bs, fd, rel, level + 1);
			if (fd >= 0)
				close(fd);
		} else if (S_ISLNK(st.st_mode)) {
			/* never followed: sos links point at files the walk reads anyway */
		} else if (!S_ISREG(st.st_mode)) {
			model_diag(in->m, DIAG_WARNING, id, rel, 0,
				   "not a regular file (fifo, socket or device); skipped");
		} else {
			size_t base_len;
			unsigned idx;
			char *logical = frag_split(rel, &base_len, &idx) ? xstrndup(rel, base_len)
									 : xstrdup(rel);
			bool continues = bs->frag_open && !strcmp(logical, bs->frag_base);
			if (!continues && !extract_wants(bs->xb, logical)) {
				frag_close(bs);
				extract_member_seen(bs->xb, logical);
			} else {
				int fd = openat(dirfd, names[i],
						O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
				if (fd < 0) {
					model_diag(in->m, DIAG_WARNING, id, rel, 0, "cannot open: %s",
						   strerror(errno));
				} else {
					struct stream *fs = fd_stream_new(fd);
					struct counted_stream cs = { .s.read = counted_read, .in = fs,
								     .inp = bs->inp };
					read_member(bs, rel, &cs.s);
					fd_stream_free(fs);
					close(fd);
				}
			}
			free(logical);
		}
		free(rel);
	}
	namelist_free(&nl);
}

/* Do the folder's first two levels hold what marks a bundle root? The
 * kind they mark, or KIND_UNKNOWN. */
static enum bundle_kind dir_is_bundle(struct ingest *in, int dirfd)
{
	struct namelist nl = list_dir(dirfd);
	char **names = nl.v;
	size_t n = nl.n;
	enum bundle_kind found = KIND_UNKNOWN;

	for (size_t i = 0; i < n && i < 4096 && !found; i++) {
		struct stat st;
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			found = extract_marks_path(in->x, names[i]);
			continue;
		}
		int fd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct namelist sub = { NULL, 0 };
		if (fd >= 0)
			sub = list_dir(fd);
		for (size_t j = 0; j < sub.n && j < 4096 && !found; j++) {
			char *rel = xasprintf("%s/%s", names[i], sub.v[j]);
			found = extract_marks_path(in->x, rel);
			free(rel);
		}
		namelist_free(&sub);
		if (fd >= 0)
			close(fd);
	}
	namelist_free(&nl);
	return found;
}

/* Read a folder that holds one bundle. */
static int read_bundle_dir(struct ingest *in, const char *path, int fd)
{
	struct input inp = { .in = in, .path = path };
	struct bstate bs = { .inp = &inp, .root_known = true };
	bs.xb = extract_bundle_begin(in->x, path, -1, false);
	/* the layout already says the kind: only its rules open files */
	extract_bundle_kind(bs.xb, dir_is_bundle(in, fd));
	walk_bundle_dir(&bs, fd, "", 0);
	if (inp.stop) {
		model_diag(in->m, DIAG_ERROR, extract_bundle_id(bs.xb), "", 0, "%s", inp.stop_reason);
		bs.failed = true;
	}
	int worst = bs.failed ? 1 : 0;
	bundle_finish(&bs);
	return worst;
}

/* fd >= 0: a bundle folder open at fd; fd < 0: a file to open by path */
typedef int (*input_fn)(struct ingest *in, const char *path, int fd, void *ctx);

/* A folder is one bundle, or a folder of inputs (walked, links skipped). */
static int walk_inputs(struct ingest *in, const char *path, int fd, unsigned level, input_fn fn,
		       void *ctx)
{
	int worst = 0;

	if (dir_is_bundle(in, fd) != KIND_UNKNOWN)
		return fn(in, path, fd, ctx);
	struct namelist nl = list_dir(fd);
	char **names = nl.v;
	size_t n = nl.n;
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (fstatat(fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISLNK(st.st_mode))
			continue;
		char *child = xasprintf("%s/%s", path, names[i]);
		int r = 0;
		if (S_ISDIR(st.st_mode) && level < 8) {
			int cfd = openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (cfd >= 0) {
				r = walk_inputs(in, child, cfd, level + 1, fn, ctx);
				close(cfd);
			}
		} else if (S_ISREG(st.st_mode)) {
			r = fn(in, child, -1, ctx);
		}
		if (r > worst)
			worst = r;
		free(child);
	}
	namelist_free(&nl);
	return worst;
}

static int read_one(struct ingest *in, const char *path, int fd, void *ctx)
{
	(void)ctx;
	return fd >= 0 ? read_bundle_dir(in, path, fd) : ingest_input(in, path);
}

static int ingest_dir(struct ingest *in, const char *path, int fd, unsigned level)
{
	return walk_inputs(in, path, fd, level, read_one, NULL);
}

struct discover {
	void (*cb)(void *ctx, const char *path);
	void *ctx;
};

static int discovered(struct ingest *in, const char *path, int fd, void *ctx)
{
	struct discover *d = ctx;
	(void)in;
	(void)fd;
	d->cb(d->ctx, path);
	return 0;
}

int ingest_discover(struct ingest *in, const char *path, void (*cb)(void *ctx, const char *path),
		    void *ctx)
{
	struct discover d = { cb, ctx };
	struct stat st;
	int fd;

	if (!strcmp(path, "-") || stat(path, &st) < 0 || !S_ISDIR(st.st_mode)) {
		cb(ctx, path); /* reading it will say what is wrong with it */
		return 0;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		cb(ctx, path);
		return 0;
	}
	walk_inputs(in, path, fd, 0, discovered, &d);
	close(fd);
	return 0;
}

/* ---- files and standard input ------------------------------------- */

static int unreadable(struct ingest *in, const char *path, const char *fmt, const char *why)
{
	uint32_t id = model_add_bundle(in->m, path, -1);
	model_mark_failed(in->m, id);
	model_diag(in->m, DIAG_ERROR, id, "", 0, fmt, why);
	in->unreadable++;
	return 2;
}

/* A loose text file (maybe compressed): one member, named as the file.
 * 0, or the status of an input refused as binary data. */
static int read_loose(struct ingest *in, struct input *inp, struct bstate *bs, struct archive *a, const char *path)
{
	struct entry_stream es = { .s.read = entry_read, .a = a, .inp = inp };
	const char *member = path_base(path);
	const void *p;
	ssize_t got = es.s.read(&es.s, &p);
	if (got > 0 && memchr(p, '\0', (size_t)got < 4096 ? (size_t)got : 4096))
		return unreadable(in, path, "%s", "neither an archive pmemmap can read nor text (binary data)");
	bs->xb = extract_bundle_begin(in->x, path, -1, true);
	bs->root_known = true;
	extract_member_seen(bs->xb, member);
	if (got < 0)
		member_error(bs, member, "cannot read", es.s.error);
	else if (extract_member_begin(bs->xb, member)) {
		pump(bs, member, &es.s, p, got);
		extract_member_end(bs->xb);
	}
	if (es.warn[0])
		member_error(bs, member, "the archive says this member is damaged", es.warn);
	return 0;
}

/* After the last member: a limit that stopped the reading, or the rest of
 * a compressed stream (libarchive stops at the tar end; the gzip trailer,
 * CRC and size, the xz index and anything after them are checked only if
 * read). */
static void read_to_end(struct ingest *in, struct input *inp, struct bstate *bs, struct stream *src, bool compressed)
{
	const void *p;
	ssize_t got;
	if (inp->stop) {
		model_diag(in->m, DIAG_ERROR, extract_bundle_id(bs->xb), "", 0, "%s", inp->stop_reason);
		bs->failed = true;
		return;
	}
	if (!compressed || bs->failed)
		return;
	while ((got = src->read(src, &p)) > 0)
		;
	if (got < 0) {
		model_diag(in->m, DIAG_ERROR, extract_bundle_id(bs->xb), "", 0, "%s, after the last member",
			   src->error);
		bs->failed = true;
	}
}

/* libarchive on the stream src, or on fd itself for 7-Zip (its index is
 * at the end: libarchive must seek); the first header in *e. */
static int open_reader(struct archive *a, struct input *inp, int fd, struct stream *src, const unsigned char *u,
		       size_t n, bool decoded, struct archive_entry **e)
{
	int r;
	if (!decoded && n >= 6 && !memcmp(u, "7z\xbc\xaf\x27\x1c", 6) && lseek(fd, 0, SEEK_SET) == 0) {
		struct stat st;
		if (fstat(fd, &st) == 0)
			atomic_store(&inp->compressed, (uint64_t)st.st_size);
		r = archive_read_open_fd(a, fd, 256 * 1024);
	} else {
		r = stream_open_archive(a, src);
	}
	return r == ARCHIVE_OK ? archive_read_next_header(a, e) : r;
}

static int ingest_fd(struct ingest *in, const char *path, int fd)
{
	struct input inp = { .in = in, .path = path };
	struct stream *fs = fd_stream_new(fd);
	struct counted_stream cs = { .s.read = counted_read, .in = fs, .inp = &inp };
	struct stream *src = &cs.s, *dec = NULL, *replay = NULL, *ahead = NULL;
	void (*dec_free)(struct stream *) = NULL;
	struct archive *a = NULL;
	struct archive_entry *e;
	const void *p;
	int result = 0;

	ssize_t n = cs.s.read(&cs.s, &p);
	if (n <= 0) {
		result = n < 0 ? unreadable(in, path, "cannot read: %s", cs.s.error)
			       : unreadable(in, path, "%s", "empty file: nothing to read");
		goto out;
	}
	replay = replay_stream_new(&cs.s, p, (size_t)n);
	src = replay;
	/* .tgz: ISA-L; .tar.xz, .tar.zst: liblzma, libzstd; others through
	 * libarchive's filters; decompressing on the other core when we may */
	dec = decoder_for(replay, p, (size_t)n, in->use_isal, in->use_prefetch, &dec_free);
	if (dec)
		src = in->use_prefetch ? (ahead = prefetch_stream_new(dec)) : dec;
	a = new_reader();
	int r = open_reader(a, &inp, fd, src, p, (size_t)n, dec != NULL, &e);
	if (r < ARCHIVE_WARN) {
		const char *msg = archive_error_string(a);
		result = unreadable(in, path, "cannot read: %s", msg ? msg : "unknown format");
		goto out;
	}
	if (r == ARCHIVE_EOF) {
		/* a read error while libarchive sniffed the format looks like an
		 * empty input to it: say what really happened */
		result = src->error[0] ? unreadable(in, path, "cannot read: %s", src->error)
				       : unreadable(in, path, "%s", "archive holds no members");
		goto out;
	}
	struct bstate bs = { .inp = &inp };
	if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
		/* not an archive: loose text pasted from a ticket */
		if ((result = read_loose(in, &inp, &bs, a, path)))
			goto out;
	} else {
		bs.xb = extract_bundle_begin(in->x, path, -1, false);
		read_entries(&bs, a, e, r);
	}
	read_to_end(in, &inp, &bs, src, dec != NULL);
	result = bs.failed ? 1 : 0;
	bundle_finish(&bs);
out:
	if (a)
		archive_read_free(a);
	prefetch_stream_free(ahead); /* stops its thread before dec goes */
	if (dec)
		dec_free(dec);
	if (replay)
		replay_stream_free(replay);
	fd_stream_free(fs);
	return result;
}

int ingest_input(struct ingest *in, const char *path)
{
	struct stat st;
	int fd, result;

	in->inputs++;
	in->input = strcmp(path, "-") ? path : "(stdin)";
	if (!strcmp(path, "-"))
		return ingest_fd(in, "(stdin)", STDIN_FILENO);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return unreadable(in, path, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) < 0) {
		result = unreadable(in, path, "cannot stat: %s", strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		size_t before = in->m->nbundles;
		result = ingest_dir(in, path, fd, 0);
		if (in->m->nbundles == before) /* nothing in it to read: say so */
			result = unreadable(in, path, "%s", "folder holds no bundle and no file to read");
	} else if (S_ISREG(st.st_mode)) {
		/* O_NONBLOCK was only there so a fifo cannot hang the open */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		result = ingest_fd(in, path, fd);
	} else {
		result = unreadable(in, path, "%s",
				    "not a file or folder (fifo, socket or device); use - for a pipe");
	}
	close(fd);
	return result;
}
