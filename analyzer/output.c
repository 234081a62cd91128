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
#include <sys/stat.h>
#include <unistd.h>

static int write_file(const char *path, const char *data, size_t n, bool sync, struct buf *err)
{
	if (!path || !strcmp(path, "-")) {
		if (write_all(STDOUT_FILENO, data, n) < 0) {
			buf_printf(err, "cannot write to standard output: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	/* "-o /dev/null" or a FIFO: write into it. Renaming a temp file over
	 * it would replace the device node with a plain file. */
	struct stat st;
	bool special = str_has_prefix(path, "/dev/") || str_has_prefix(path, "/proc/");
	if (stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || special)) {
		if (S_ISDIR(st.st_mode)) {
			buf_printf(err, "%s: is a folder", path);
			return -1;
		}
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
