/* stream.c - the byte-stream sources: file, replay, prefetch thread, and
 * the decoders (ISA-L gzip, liblzma xz, libzstd zstd, libarchive filters). */
#include "stream.h"

#include <archive.h>
#include <lzma.h>
#include <zstd.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "util.h"

#define BLOCK (256 * 1024)

struct fd_stream {
	struct stream s;
	int fd;
	unsigned char buf[BLOCK];
};

static ssize_t fd_read(struct stream *s, const void **buf)
{
	struct fd_stream *f = (struct fd_stream *)s;
	ssize_t n;
	do
		n = read(f->fd, f->buf, sizeof(f->buf));
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(s->error, sizeof(s->error), "read error: %s", strerror(errno));
		return -1;
	}
	*buf = f->buf;
	return n;
}

struct stream *fd_stream_new(int fd)
{
	struct fd_stream *f = xcalloc(1, sizeof(*f));
	f->s.read = fd_read;
	f->fd = fd;
	return &f->s;
}

void fd_stream_free(struct stream *s)
{
	free(s);
}

struct replay_stream {
	struct stream s;
	struct stream *in;
	const void *first;
	size_t n;
};

static ssize_t replay_read(struct stream *s, const void **buf)
{
	struct replay_stream *r = (struct replay_stream *)s;
	if (r->first) {
		*buf = r->first;
		r->first = NULL;
		return (ssize_t)r->n;
	}
	ssize_t n = r->in->read(r->in, buf);
	if (n < 0)
		memcpy(s->error, r->in->error, sizeof(s->error));
	return n;
}

struct stream *replay_stream_new(struct stream *in, const void *first, size_t n)
{
	struct replay_stream *r = xcalloc(1, sizeof(*r));
	r->s.read = replay_read;
	r->in = in;
	r->first = n ? first : NULL;
	r->n = n;
	return &r->s;
}

void replay_stream_free(struct stream *s)
{
	free(s);
}

/* ---- decoders: gzip, xz, zstd ---------------------------------------- */

/* A decoder writes into any buffer it is given: its own for read(), the
 * prefetch thread's slot for read_into(). What decodes before an error is
 * handed over first; the error comes on the next call. */
struct decoder {
	struct stream s;
	ssize_t (*produce)(struct decoder *d, unsigned char *out, size_t cap);
	unsigned char out[BLOCK];
};

static ssize_t decoder_read(struct stream *s, const void **buf)
{
	struct decoder *d = (struct decoder *)s;
	*buf = d->out;
	return d->produce(d, d->out, sizeof(d->out));
}

static ssize_t decoder_read_into(struct stream *s, void *dst, size_t cap)
{
	struct decoder *d = (struct decoder *)s;
	return d->produce(d, dst, cap);
}

static void decoder_init(struct decoder *d,
			 ssize_t (*produce)(struct decoder *d, unsigned char *out, size_t cap))
{
	d->s.read = decoder_read;
	d->s.read_into = decoder_read_into;
	d->produce = produce;
}

#ifdef HAVE_ISAL
struct gz_stream {
	struct decoder d;
	struct stream *in;
	struct inflate_state st;
	bool in_eof, member_done, done;
	int failed; /* an error to report after the good bytes before it */
	uint64_t produced; /* bytes out, all members */
	uint8_t *join; /* a member's first byte and the input block after it */
	size_t join_cap;
};

/* Take the next block of compressed input (ISA-L reads it in place). */
static int gz_fill(struct gz_stream *g)
{
	const void *p;
	ssize_t n = g->in->read(g->in, &p);
	if (n < 0) {
		memcpy(g->d.s.error, g->in->error, sizeof(g->d.s.error));
		return -1;
	}
	g->in_eof = n == 0;
	g->st.next_in = (uint8_t *)p;
	g->st.avail_in = (uint32_t)n;
	return 0;
}

/* Inflate into out (cap bytes): >0 bytes there, 0 at the end, <0 error. */
static ssize_t gz_produce(struct decoder *d, unsigned char *out, size_t cap)
{
	struct gz_stream *g = (struct gz_stream *)d;
	struct stream *s = &d->s;

	if (g->failed)
		return -1;
	while (!g->done) {
		if (g->member_done) {
			/* another gzip member may follow (pigz, concatenated logs) */
			if (g->st.avail_in == 0 && !g->in_eof) {
				if (gz_fill(g) < 0)
					return -1;
				continue;
			}
			if (g->st.avail_in == 1 && !g->in_eof) {
				/* the next member's first byte ends this input block: join
				 * it to the next block before looking for the magic */
				uint8_t first = g->st.next_in[0];
				if (gz_fill(g) < 0)
					return -1;
				size_t need = (size_t)g->st.avail_in + 1;
				if (need > g->join_cap) {
					g->join = xrealloc(g->join, need);
					g->join_cap = need;
				}
				g->join[0] = first;
				if (g->st.avail_in)
					memcpy(g->join + 1, g->st.next_in, g->st.avail_in);
				g->st.next_in = g->join;
				g->st.avail_in = (uint32_t)need;
				continue;
			}
			if (g->st.avail_in < 2 || g->st.next_in[0] != 0x1f || g->st.next_in[1] != 0x8b) {
				g->done = true; /* end, or trailing bytes that are not gzip */
				if (!g->produced && g->st.avail_in) {
					snprintf(s->error, sizeof(s->error), "gzip data is corrupt (no data before junk)");
					return -1;
				}
				break;
			}
			uint8_t *next = g->st.next_in;
			uint32_t avail = g->st.avail_in;
			isal_inflate_reset(&g->st);
			g->st.crc_flag = ISAL_GZIP;
			g->st.next_in = next;
			g->st.avail_in = avail;
			g->member_done = false;
		}
		if (g->st.avail_in == 0 && !g->in_eof && gz_fill(g) < 0)
			return -1;
		g->st.next_out = out;
		g->st.avail_out = (uint32_t)cap;
		int ret = isal_inflate(&g->st);
		size_t produced = cap - g->st.avail_out;
		g->produced += produced;
		if (ret < 0) {
			snprintf(s->error, sizeof(s->error), "gzip data is corrupt (%s)",
				 ret == ISAL_INCORRECT_CHECKSUM ? "CRC mismatch" : "invalid deflate data");
			g->failed = 1;
			/* hand over what came before the damage */
			return produced ? (ssize_t)produced : -1;
		}
		if (g->st.block_state == ISAL_BLOCK_FINISH)
			g->member_done = true;
		if (produced)
			return (ssize_t)produced;
		if (!g->member_done && g->in_eof && g->st.avail_in == 0) {
			snprintf(s->error, sizeof(s->error), "gzip data ends early (truncated file?)");
			return -1;
		}
	}
	return 0;
}

static struct stream *gz_stream_new(struct stream *in)
{
	struct gz_stream *g = xcalloc(1, sizeof(*g));
	decoder_init(&g->d, gz_produce);
	g->in = in;
	isal_inflate_init(&g->st);
	g->st.crc_flag = ISAL_GZIP;
	return &g->d.s;
}

bool gz_stream_available(void)
{
	return true;
}
#else
static struct stream *gz_stream_new(struct stream *in)
{
	(void)in;
	return NULL;
}

bool gz_stream_available(void)
{
	return false;
}
#endif

static void gz_stream_free(struct stream *s)
{
#ifdef HAVE_ISAL
	if (s)
		free(((struct gz_stream *)s)->join);
#endif
	free(s);
}

/* ---- xz: liblzma directly --------------------------------------------- */

/* libarchive's xz reader drops the block it was decoding when the decoder
 * fails, so garbage after the last stream (or damage near the end) cost
 * the last members of a .tar.xz. Here the bytes decoded before an error
 * are handed over first, and the error comes on the next read. */
struct xz_stream {
	struct decoder d;
	struct stream *in;
	lzma_stream z;
	bool in_eof, done;
	int failed;
};

static const char *xz_error(lzma_ret r)
{
	switch (r) {
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_MEMLIMIT_ERROR: return "needs more than 256 MiB of memory to decompress (refused)";
	case LZMA_FORMAT_ERROR: return "data after the xz stream is not xz (trailing garbage)";
	case LZMA_OPTIONS_ERROR: return "unsupported xz options";
	case LZMA_DATA_ERROR: return "xz data is corrupt";
	case LZMA_BUF_ERROR: return "xz data ends early (truncated file?)";
	default: return "xz decoder error";
	}
}

static ssize_t xz_produce(struct decoder *d, unsigned char *out, size_t cap)
{
	struct xz_stream *x = (struct xz_stream *)d;
	struct stream *s = &d->s;
	if (x->failed)
		return -1;
	if (x->done)
		return 0;
	x->z.next_out = out;
	x->z.avail_out = cap;
	for (;;) {
		if (x->z.avail_in == 0 && !x->in_eof) {
			const void *p;
			ssize_t n = x->in->read(x->in, &p);
			if (n < 0) {
				memcpy(s->error, x->in->error, sizeof(s->error));
				x->failed = 1;
				break;
			}
			x->in_eof = n == 0;
			x->z.next_in = p;
			x->z.avail_in = (size_t)n;
		}
		lzma_ret r = lzma_code(&x->z, x->in_eof ? LZMA_FINISH : LZMA_RUN);
		if (r == LZMA_STREAM_END) {
			x->done = true;
			break;
		}
		if (r != LZMA_OK) {
			snprintf(s->error, sizeof(s->error), "%s", xz_error(r));
			x->failed = 1;
			break;
		}
		if (x->z.avail_out == 0)
			break;
	}
	size_t produced = cap - x->z.avail_out;
	if (produced)
		return (ssize_t)produced; /* the error, if any, on the next read */
	return x->failed ? -1 : 0;
}

static struct stream *xz_stream_new(struct stream *in)
{
	struct xz_stream *x = xcalloc(1, sizeof(*x));
	lzma_stream init = LZMA_STREAM_INIT;
	decoder_init(&x->d, xz_produce);
	x->in = in;
	x->z = init;
	/* concatenated streams (pixz, pxz) are one file; a dictionary beyond
	 * 256 MiB is refused rather than allocated */
	lzma_ret r = lzma_stream_decoder(&x->z, 256u << 20, LZMA_CONCATENATED);
	if (r != LZMA_OK) {
		snprintf(x->d.s.error, sizeof(x->d.s.error), "%s", xz_error(r));
		x->failed = 1;
	}
	return &x->d.s;
}

static void xz_stream_free(struct stream *s)
{
	struct xz_stream *x = (struct xz_stream *)s;
	if (!s)
		return;
	lzma_end(&x->z);
	free(x);
}

static bool xz_stream_magic(const void *p, size_t n)
{
	return n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6);
}

/* ---- zstd: libzstd directly ------------------------------------------- */

/* As with xz: libarchive's zstd reader gives nothing of a truncated
 * .tar.zst; libzstd hands over every byte that decodes. */
struct zstd_stream {
	struct decoder d;
	struct stream *in;
	ZSTD_DStream *z;
	ZSTD_inBuffer ib;
	bool in_eof, frame_open;
	int failed;
};

static ssize_t zstd_produce(struct decoder *d, unsigned char *out, size_t cap)
{
	struct zstd_stream *x = (struct zstd_stream *)d;
	struct stream *s = &d->s;
	ZSTD_outBuffer ob = { out, cap, 0 };
	if (x->failed)
		return -1;
	while (ob.pos < ob.size) {
		if (x->ib.pos == x->ib.size) {
			if (x->in_eof)
				break;
			const void *p;
			ssize_t n = x->in->read(x->in, &p);
			if (n < 0) {
				memcpy(s->error, x->in->error, sizeof(s->error));
				x->failed = 1;
				break;
			}
			x->in_eof = n == 0;
			x->ib = (ZSTD_inBuffer){ p, (size_t)n, 0 };
			continue;
		}
		size_t r = ZSTD_decompressStream(x->z, &ob, &x->ib);
		if (ZSTD_isError(r)) {
			snprintf(s->error, sizeof(s->error), "zstd data is corrupt (%s)", ZSTD_getErrorName(r));
			x->failed = 1;
			break;
		}
		x->frame_open = r != 0; /* 0: a frame ended; another may follow */
	}
	if (!x->failed && x->in_eof && x->ib.pos == x->ib.size && ob.pos < ob.size && x->frame_open) {
		snprintf(s->error, sizeof(s->error), "zstd data ends early (truncated file?)");
		x->failed = 1;
	}
	if (ob.pos)
		return (ssize_t)ob.pos; /* the error, if any, on the next read */
	return x->failed ? -1 : 0;
}

static struct stream *zstd_stream_new(struct stream *in)
{
	struct zstd_stream *x = xcalloc(1, sizeof(*x));
	decoder_init(&x->d, zstd_produce);
	x->in = in;
	x->z = ZSTD_createDStream();
	/* a window beyond 256 MiB (--long=28) is refused rather than allocated */
	if (!x->z || ZSTD_isError(ZSTD_DCtx_setParameter(x->z, ZSTD_d_windowLogMax, 28))) {
		snprintf(x->d.s.error, sizeof(x->d.s.error), "cannot start the zstd decoder");
		x->failed = 1;
	}
	return &x->d.s;
}

static void zstd_stream_free(struct stream *s)
{
	struct zstd_stream *x = (struct zstd_stream *)s;
	if (!s)
		return;
	ZSTD_freeDStream(x->z);
	free(x);
}

static bool zstd_stream_magic(const void *p, size_t n)
{
	return n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4);
}

void stream_support_filters(struct archive *a)
{
	archive_read_support_filter_gzip(a);
	archive_read_support_filter_bzip2(a);
	archive_read_support_filter_xz(a);
	archive_read_support_filter_lzma(a);
	archive_read_support_filter_lzip(a);
	archive_read_support_filter_zstd(a);
	archive_read_support_filter_lz4(a);
	archive_read_support_filter_compress(a);
}

/* ---- filter: decompression only, by libarchive ---------------------- */

struct filter_stream {
	struct stream s;
	struct stream *in;
	struct archive *a;
	bool opened, done;
};

static ssize_t filter_read(struct stream *s, const void **buf)
{
	struct filter_stream *f = (struct filter_stream *)s;
	if (f->done)
		return 0;
	if (!f->opened) {
		struct archive_entry *e;
		f->opened = true;
		if (stream_open_archive(f->a, f->in) != ARCHIVE_OK ||
		    archive_read_next_header(f->a, &e) != ARCHIVE_OK) {
			const char *msg = archive_error_string(f->a);
			snprintf(s->error, sizeof(s->error), "%s", msg ? msg : "cannot decompress");
			f->done = true;
			return -1;
		}
	}
	for (;;) {
		size_t size;
		la_int64_t off;
		int r = archive_read_data_block(f->a, buf, &size, &off);
		if (r == ARCHIVE_EOF) {
			f->done = true;
			return 0;
		}
		if (r < ARCHIVE_WARN) {
			const char *msg = archive_error_string(f->a);
			snprintf(s->error, sizeof(s->error), "%s", msg ? msg : "cannot decompress");
			f->done = true;
			return -1;
		}
		if (size)
			return (ssize_t)size;
	}
}

static struct stream *filter_stream_new(struct stream *in)
{
	struct filter_stream *f = xcalloc(1, sizeof(*f));
	f->s.read = filter_read;
	f->in = in;
	f->a = archive_read_new();
	stream_support_filters(f->a);
	archive_read_support_format_raw(f->a);
	return &f->s;
}

static void filter_stream_free(struct stream *s)
{
	struct filter_stream *f = (struct filter_stream *)s;
	if (!s)
		return;
	archive_read_free(f->a);
	free(f);
}

static bool filter_stream_magic(const void *p, size_t n)
{
	static const struct {
		const char *magic;
		size_t len;
	} m[] = {
		{ "\xfd" "7zXZ\0", 6 },      /* xz */
		{ "\x28\xb5\x2f\xfd", 4 }, /* zstd */
		{ "BZh", 3 },                /* bzip2 */
		{ "\x04\x22\x4d\x18", 4 }, /* lz4 */
		{ "LZIP", 4 },               /* lzip */
		{ "\x1f\x8b\x08", 3 },      /* gzip, when ISA-L is not used */
	};
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (n >= m[i].len && !memcmp(p, m[i].magic, m[i].len))
			return true;
	return false;
}

/* ---- prefetch: read the inner stream on a second core ------------------- */

#define NSLOT 6

struct prefetch_stream {
	struct stream s;
	struct stream *in;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	/* slots [tail, head) are filled; the consumer holds slot tail-1 until
	 * its next read (the caller's buffer must stay valid until then) */
	uint64_t head, tail;
	bool holding, eof, stop, threadless;
	ssize_t error; /* < 0 once the inner stream failed */
	char error_text[256];
	size_t len[NSLOT];
	unsigned char *slot[NSLOT];
};

static void *prefetch_main(void *arg)
{
	struct prefetch_stream *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->stop && p->head - p->tail + (p->holding ? 1 : 0) >= NSLOT)
			pthread_cond_wait(&p->cond, &p->lock);
		bool stop = p->stop;
		pthread_mutex_unlock(&p->lock);
		if (stop)
			return NULL;

		size_t i = (size_t)(p->head % NSLOT);
		ssize_t n;
		if (p->in->read_into) { /* the slot is free: fill it in place */
			n = p->in->read_into(p->in, p->slot[i], BLOCK);
		} else {
			const void *buf;
			n = p->in->read(p->in, &buf);
			if (n > 0)
				memcpy(p->slot[i], buf, (size_t)n);
		}

		pthread_mutex_lock(&p->lock);
		if (n > 0) {
			p->len[i] = (size_t)n;
			p->head++;
		} else {
			if (n < 0) {
				p->error = n;
				memcpy(p->error_text, p->in->error, sizeof(p->error_text));
			}
			p->eof = true;
		}
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		if (n <= 0)
			return NULL;
	}
}

static ssize_t prefetch_read(struct stream *s, const void **buf)
{
	struct prefetch_stream *p = (struct prefetch_stream *)s;
	ssize_t r;

	if (!p->started && !p->threadless) {
		p->started = pthread_create(&p->thread, NULL, prefetch_main, p) == 0;
		p->threadless = !p->started;
	}
	if (p->threadless) { /* no thread to be had: read in this one */
		ssize_t n = p->in->read(p->in, buf);
		if (n < 0)
			memcpy(s->error, p->in->error, sizeof(s->error));
		return n;
	}
	pthread_mutex_lock(&p->lock);
	p->holding = false; /* the previous block is done with */
	pthread_cond_broadcast(&p->cond);
	while (p->head == p->tail && !p->eof)
		pthread_cond_wait(&p->cond, &p->lock);
	if (p->head != p->tail) {
		size_t i = (size_t)(p->tail % NSLOT);
		*buf = p->slot[i];
		r = (ssize_t)p->len[i];
		p->tail++;
		p->holding = true;
	} else if (p->error < 0) {
		memcpy(s->error, p->error_text, sizeof(s->error));
		r = -1;
	} else {
		r = 0;
	}
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return r;
}

struct stream *prefetch_stream_new(struct stream *in)
{
	struct prefetch_stream *p = xcalloc(1, sizeof(*p));
	p->s.read = prefetch_read;
	p->in = in;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->cond, NULL);
	for (size_t i = 0; i < NSLOT; i++)
		p->slot[i] = xmalloc(BLOCK);
	return &p->s;
}

void prefetch_stream_free(struct stream *s)
{
	struct prefetch_stream *p = (struct prefetch_stream *)s;
	if (!s)
		return;
	if (p->started) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->cond);
		pthread_mutex_unlock(&p->lock);
		pthread_join(p->thread, NULL);
	}
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->cond);
	for (size_t i = 0; i < NSLOT; i++)
		free(p->slot[i]);
	free(p);
}

static la_ssize_t archive_read_cb(struct archive *a, void *ctx, const void **buf)
{
	struct stream *s = ctx;
	ssize_t n = s->read(s, buf);
	if (n < 0) {
		archive_set_error(a, EIO, "%s", s->error);
		return ARCHIVE_FATAL;
	}
	return n;
}

int stream_open_archive(struct archive *a, struct stream *s)
{
	return archive_read_open(a, s, NULL, archive_read_cb, NULL);
}

/* ---- choosing a decoder by the first bytes -------------------------- */

static bool gz_magic(const void *p, size_t n)
{
	return n >= 3 && !memcmp(p, "\x1f\x8b\x08", 3);
}

struct stream *decoder_for(struct stream *in, const void *p, size_t n, bool isal, bool threaded,
			   void (**destroy)(struct stream *s))
{
	static const struct {
		bool (*magic)(const void *p, size_t n);
		struct stream *(*make)(struct stream *in);
		void (*destroy)(struct stream *s);
		bool isal, threaded; /* only with ISA-L, only under a prefetch thread */
	} dec[] = {
		{ gz_magic, gz_stream_new, gz_stream_free, true, false },
		{ xz_stream_magic, xz_stream_new, xz_stream_free, false, false },
		{ zstd_stream_magic, zstd_stream_new, zstd_stream_free, false, false },
		/* the rest: libarchive's own filters, worth it only on a thread */
		{ filter_stream_magic, filter_stream_new, filter_stream_free, false, true },
	};
	for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
		if ((dec[i].isal && (!isal || !gz_stream_available())) || (dec[i].threaded && !threaded) ||
		    !dec[i].magic(p, n))
			continue;
		*destroy = dec[i].destroy;
		return dec[i].make(in);
	}
	return NULL;
}
