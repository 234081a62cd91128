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

/* Write to a temporary name beside path and rename it into place. */
static int replace_file(const char *path, const char *data, size_t n, bool sync, struct buf *err)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		buf_printf(err, "%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0644);
	if (write_all(fd, data, n) < 0 || (sync && fsync(fd) < 0)) {
		buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		buf_printf(err, "%s: cannot rename into place: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* A device or a FIFO ("-o /dev/null", a pipe to a pager): write into it.
 * Renaming a file over it would replace the node itself. */
static int write_in_place(const char *path, const char *data, size_t n, struct buf *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0 || write_all(fd, data, n) < 0) {
		buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
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
static int write_file(const char *path, const char *data, size_t n, bool sync, struct buf *err)
{
	struct stat st;

	if (!path || !strcmp(path, "-")) {
		if (write_all(STDOUT_FILENO, data, n) < 0) {
			buf_printf(err, "cannot write to standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT) {
			buf_printf(err, "%s: cannot write: %s", path, strerror(errno));
			return -1;
		}
		return replace_file(path, data, n, sync, err);
	}
	bool link = S_ISLNK(st.st_mode);
	if (link && stat(path, &st) < 0) {
		buf_printf(err, "%s: is a symbolic link to %s", path,
			   errno == ENOENT ? "nothing" : strerror(errno));
		return -1;
	}
	if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
		return write_in_place(path, data, n, err);
	if (!S_ISREG(st.st_mode)) {
		buf_printf(err, "%s: is %s; refusing to write there", path, type_name(st.st_mode));
		return -1;
	}
	if (!link)
		return replace_file(path, data, n, sync, err);
	char *target = realpath(path, NULL);
	if (!target) {
		buf_printf(err, "%s: cannot resolve: %s", path, strerror(errno));
		return -1;
	}
	int r = replace_file(target, data, n, sync, err);
	free(target);
	return r;
}

int output_write_at(int dirfd, const char *name, const char *data, size_t n, bool sync,
		    struct buf *err)
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
		return -1;
	}
	if (write_all(fd, data, n) < 0 || (sync && fsync(fd) < 0)) {
		buf_printf(err, "%s: cannot write: %s", name, strerror(errno));
		close(fd);
		unlinkat(dirfd, tmp, 0);
		free(tmp);
		return -1;
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		buf_printf(err, "%s: cannot rename into place: %s", name, strerror(errno));
		unlinkat(dirfd, tmp, 0);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int output_write(const char *path, const char *data, size_t n, struct buf *err)
{
	return write_file(path, data, n, true, err);
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

int output_clashes(const char *path, char *const *inputs, int ninputs)
{
	char out[PATH_MAX], in[PATH_MAX];
	char *dir;

	if (!path || !strcmp(path, "-"))
		return 0;
	/* the output file need not exist yet: resolve its folder */
	dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *name = slash ? path + (slash - dir) + 1 : path;
	if (slash)
		*slash = '\0';
	if (!realpath(slash ? (*dir ? dir : "/") : ".", out)) {
		free(dir);
		return 0;
	}
	free(dir);
	size_t len = strlen(out);
	snprintf(out + len, sizeof(out) - len, "/%s", name);
	for (int i = 0; i < ninputs; i++) {
		if (!strcmp(inputs[i], "-") || !realpath(inputs[i], in))
			continue;
		size_t l = strlen(in);
		if (!strcmp(out, in) || (!strncmp(out, in, l) && out[l] == '/'))
			return 1;
	}
	return 0;
}
