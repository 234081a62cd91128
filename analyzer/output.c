/* output.c - atomic report files. */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

struct out {
	char *path; /* where it goes (a link's target, resolved) */
	char *tmp; /* the temporary file, or NULL: in place or stdout */
	int fd;
	bool sync, to_stdout;
	int dirfd; /* tmp and path are relative to it (AT_FDCWD: not) */
	int error; /* errno of the first failed write */
};

static struct out *out_new(const char *path, int fd)
{
	struct out *o = xcalloc(1, sizeof(*o));
	o->path = xstrdup(path);
	o->fd = fd;
	o->dirfd = AT_FDCWD;
	return o;
}

static void out_free(struct out *o)
{
	free(o->path);
	free(o->tmp);
	free(o);
}

/* A temporary file beside path, to be renamed over it, of mode (mkstemp
 * makes it 0600: never more open than that in between). */
static struct out *open_replace_mode(const char *path, bool sync, mode_t mode, struct buf *err)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		buf_printf(err, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return NULL;
	}
	if (mode != 0600)
		fchmod(fd, mode);
	struct out *o = out_new(path, fd);
	o->tmp = tmp;
	o->sync = sync;
	return o;
}

static struct out *open_replace(const char *path, bool sync, struct buf *err)
{
	return open_replace_mode(path, sync, 0644, err);
}

/* A device or a FIFO ("-o /dev/null", a pipe to a pager): written into.
 * Renaming a file over it would replace the node itself. */
static struct out *open_in_place(const char *path, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
		return NULL;
	}
	return out_new(path, fd);
}

static const char *type_name(mode_t m)
{
	return S_ISDIR(m) ? "a folder" : S_ISBLK(m) ? "a block device" : S_ISSOCK(m) ? "a socket" : "not a file";
}

/*
 * What is at path decides how it is written, never its name: nothing (a
 * new file) or a regular file is replaced whole through a temporary file;
 * a character device or a FIFO is written in place; anything else is
 * refused. A symbolic link is judged by what it points at, and a regular
 * file behind one is replaced where it lies, so the link stays a link.
 */
struct out *out_open(const char *path, bool sync, struct buf *err)
{
	struct stat st;

	if (!path || !strcmp(path, "-")) {
		struct out *o = out_new("standard output", STDOUT_FILENO);
		o->to_stdout = true;
		return o;
	}
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT) {
			buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
			return NULL;
		}
		return open_replace(path, sync, err);
	}
	bool link = S_ISLNK(st.st_mode);
	if (link && stat(path, &st) < 0) {
		buf_printf(err, "%s: is a symbolic link to %s", path,
			   errno == ENOENT ? "nothing" : strerror(errno));
		return NULL;
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return open_in_place(path, err);
	if (!S_ISREG(st.st_mode)) {
		buf_printf(err, "%s: is %s; refusing to write there", path, type_name(st.st_mode));
		return NULL;
	}
	if (!link)
		return open_replace(path, sync, err);
	char *target = realpath(path, NULL);
	if (!target) {
		buf_printf(err, "%s: cannot resolve: %s", path, strerror(errno));
		return NULL;
	}
	struct out *o = open_replace(target, sync, err);
	free(target);
	return o;
}

int out_write(void *ctx, const char *p, size_t n)
{
	struct out *o = ctx;
	if (o->error)
		return -1;
	if (write_all(o->fd, p, n) < 0) {
		o->error = errno ? errno : EIO;
		return -1;
	}
	return 0;
}

void out_abort(struct out *o)
{
	if (!o)
		return;
	if (o->tmp) {
		close(o->fd);
		unlinkat(o->dirfd, o->tmp, 0);
	} else if (!o->to_stdout) {
		close(o->fd);
	}
	out_free(o);
}

int out_commit(struct out *o, struct buf *err)
{
	if (o->error) {
		buf_printf(err, "%s: cannot write: %s", o->path, strerror(o->error));
		out_abort(o);
		return -1;
	}
	if (o->to_stdout) {
		out_free(o);
		return 0;
	}
	if (!o->tmp) {
		close(o->fd);
		out_free(o);
		return 0;
	}
	if ((o->sync && fsync(o->fd) < 0) || close(o->fd) < 0) {
		buf_printf(err, "%s: cannot write: %s", o->path, strerror(errno));
		unlinkat(o->dirfd, o->tmp, 0);
		out_free(o);
		return -1;
	}
	/* renameat never follows a link at the target: it replaces it */
	if (renameat(o->dirfd, o->tmp, o->dirfd, o->path) < 0) {
		buf_printf(err, "%s: cannot rename into place: %s", o->path, strerror(errno));
		unlinkat(o->dirfd, o->tmp, 0);
		out_free(o);
		return -1;
	}
	out_free(o);
	return 0;
}

static int write_file(const char *path, const char *data, size_t n, bool sync, struct buf *err)
{
	struct out *o = out_open(path, sync, err);
	if (!o)
		return -1;
	out_write(o, data, n);
	return out_commit(o, err);
}

struct out *out_open_at(int dirfd, const char *name, struct buf *err)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char *tmp = NULL;
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		unsigned char rnd[6];
		char suffix[7];
		if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
			for (size_t i = 0; i < sizeof(rnd); i++)
				rnd[i] = (unsigned char)(rand() ^ (int)(mono_seconds() * 1e9));
		for (size_t i = 0; i < 6; i++)
			suffix[i] = letters[rnd[i] % (sizeof(letters) - 1)];
		suffix[6] = '\0';
		free(tmp);
		tmp = xasprintf("%s.tmp.%s", name, suffix);
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		buf_printf(err, "%s: cannot create: %s", name, strerror(errno));
		free(tmp);
		return NULL;
	}
	struct out *o = out_new(name, fd);
	o->tmp = tmp;
	o->dirfd = dirfd;
	return o;
}

int output_write_at(int dirfd, const char *name, const char *data, size_t n, bool sync,
		    struct buf *err)
{
	struct out *o = out_open_at(dirfd, name, err);
	if (!o)
		return -1;
	o->sync = sync;
	out_write(o, data, n);
	return out_commit(o, err);
}

int output_write(const char *path, const char *data, size_t n, struct buf *err)
{
	return write_file(path, data, n, true, err);
}

int output_write_private(const char *path, const char *data, size_t n, struct buf *err)
{
	struct stat st;
	if (!path || !strcmp(path, "-")) {
		buf_printf(err, "-: a private file is written to a file, never to standard output");
		return -1;
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		buf_printf(err, "%s: is %s; refusing to write there", path,
			   S_ISLNK(st.st_mode) ? "a symbolic link" : type_name(st.st_mode));
		return -1;
	}
	/* the rename replaces whatever is at path by then (a link included)
	 * without following it */
	struct out *o = open_replace_mode(path, true, 0600, err);
	if (!o)
		return -1;
	out_write(o, data, n);
	return out_commit(o, err);
}

int output_write_nosync(const char *path, const char *data, size_t n, struct buf *err)
{
	return write_file(path, data, n, false, err);
}

int output_sync_open(const char *dir)
{
	return open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int output_sync(int fd)
{
	return fd < 0 ? -1 : syncfs(fd);
}

/* The absolute name of a file that need not exist yet (its folder
 * resolved) in out; false when its folder cannot be. */
static bool resolve_out(const char *path, char out[PATH_MAX])
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? path + (slash - dir) + 1 : path;
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*dir ? dir : "/") : ".", out)) {
		free(dir);
		return false;
	}
	free(dir);
	size_t len = strlen(out);
	snprintf(out + len, PATH_MAX - len, "/%s", name);
	return true;
}

int output_same(const char *a, const char *b)
{
	char x[PATH_MAX], y[PATH_MAX];
	bool out_a = !a || !strcmp(a, "-"), out_b = !b || !strcmp(b, "-");
	if (out_a || out_b)
		return out_a && out_b;
	if (!resolve_out(a, x) || !resolve_out(b, y))
		return !strcmp(a, b);
	return !strcmp(x, y);
}

int output_clashes(const char *path, char *const *inputs, int ninputs)
{
	char out[PATH_MAX], in[PATH_MAX];

	if (!path || !strcmp(path, "-"))
		return 0;
	/* the output file need not exist yet: resolve its folder */
	if (!resolve_out(path, out))
		return 0;
	for (int i = 0; i < ninputs; i++) {
		if (!strcmp(inputs[i], "-") || !realpath(inputs[i], in))
			continue;
		size_t l = strlen(in);
		if (!strcmp(out, in) || (!strncmp(out, in, l) && out[l] == '/'))
			return 1;
	}
	return 0;
}
