/* fsutil.c - folder listings and bounded reads (fsutil.h). */
#define _GNU_SOURCE
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_names(int dirfd, bool (*keep)(const char *name, void *ctx), void *ctx, struct namelist *out)
{
	out->v = NULL;
	out->n = 0;
	/* a second descriptor: closedir() closes the one it was given */
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	errno = 0;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (!strcmp(n, ".") || !strcmp(n, "..") || (keep && !keep(n, ctx)))
			continue;
		if (out->n == cap) {
			cap = cap ? cap * 2 : 16;
			out->v = xrealloc(out->v, cap * sizeof(*out->v));
		}
		out->v[out->n++] = xstrdup(n);
		errno = 0;
	}
	int e = errno; /* readdir's own error, not end of folder */
	closedir(d);
	if (e) {
		namelist_free(out);
		errno = e;
		return -1;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), name_cmp);
	return 0;
}

void namelist_free(struct namelist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int open_dir_at(int dirfd, const char *name)
{
	return openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* read_regular_at and read_regular_head_at: whole says whether a file
 * longer than max is refused (whole) or read to max (its head). */
static int read_regular(int dirfd, const char *name, bool follow, size_t max, bool whole, struct buf *out,
			struct buf *err)
{
	struct stat st;
	char chunk[65536];
	int r = -1;

	buf_reset(out);
	/* O_NONBLOCK: should a FIFO slip in between the check and the open,
	 * the open must not wait for a writer */
	int fd = openat(dirfd, name,
			O_RDONLY | (follow ? 0 : O_NOFOLLOW) | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		buf_printf(err, "%s: cannot open: %s", name,
			   errno == ELOOP ? "it is a symbolic link (not followed)" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		buf_printf(err, "%s: not a regular file", name);
		goto out;
	}
	if (whole && (uint64_t)st.st_size > max) {
		buf_printf(err, "%s: larger than %zu bytes", name, max);
		goto out;
	}
	while (out->len < max || whole) {
		size_t want = whole || max - out->len > sizeof(chunk) ? sizeof(chunk) : max - out->len;
		ssize_t got = read(fd, chunk, want);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			buf_printf(err, "%s: read error: %s", name, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (out->len + (size_t)got > max) { /* it grew while we read */
			buf_printf(err, "%s: larger than %zu bytes", name, max);
			goto out;
		}
		buf_append(out, chunk, (size_t)got);
	}
	if (!out->data)
		buf_append(out, "", 0);
	r = 0;
out:
	close(fd);
	return r;
}

int read_regular_at(int dirfd, const char *name, bool follow, size_t max, struct buf *out,
		    struct buf *err)
{
	return read_regular(dirfd, name, follow, max, true, out, err);
}

int read_regular_head_at(int dirfd, const char *name, size_t max, struct buf *out, struct buf *err)
{
	return read_regular(dirfd, name, false, max, false, out, err);
}
