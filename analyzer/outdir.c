/* outdir.c - the batch output folder, opened once and never through a
 * link (outdir.h). */
#define _GNU_SOURCE
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "when.h"

#define LOCK_NAME "pmemmap.lock"

/* mkdir -p of path's parents: the user's own path, links in it are his */
static int make_parents(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* O_NOFOLLOW | O_DIRECTORY on a link fails with ENOTDIR (or ELOOP): ask
 * what it is, to say so. */
static bool is_link_at(int dirfd, const char *name)
{
	struct stat st;
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
}

/* mkdirat + open, the last part never a link: a descriptor, or -1 with
 * the reason in err (refused: *refused set). */
static int subdir(int parent, const char *name, const char *shown, bool *refused, struct buf *err)
{
	if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST) {
		buf_printf(err, "%s: cannot create: %s", shown, strerror(errno));
		return -1;
	}
	int fd = open_dir_at(parent, name);
	if (fd < 0) {
		int e = errno;
		*refused = e == ELOOP || e == ENOTDIR;
		buf_printf(err, "%s: %s", shown,
			   is_link_at(parent, name) ? "is a symbolic link; refusing to follow it in an output "
						      "folder (remove it or choose another OUTDIR)"
			   : e == ENOTDIR ? "is not a folder; refusing to use it (remove it or choose another OUTDIR)"
					  : strerror(e));
	}
	return fd;
}

static void holder_of(int lock_fd, struct buf *holder)
{
	char text[256];
	ssize_t n = pread(lock_fd, text, sizeof(text) - 1, 0);
	buf_reset(holder);
	if (n <= 0) {
		buf_puts(holder, "another pmemmap process");
		return;
	}
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	buf_puts(holder, text);
}

static enum outdir_result take_lock(struct outdir *o, const char *who, struct buf *err)
{
	o->lock_fd = openat(o->fd, LOCK_NAME, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (o->lock_fd < 0) {
		bool link = errno == ELOOP;
		buf_printf(err, "%s/%s: %s", o->path, LOCK_NAME,
			   link ? "is a symbolic link; refusing to follow it" : strerror(errno));
		return link ? OUTDIR_REFUSED : OUTDIR_CANNOT;
	}
	if (flock(o->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		struct buf holder;
		buf_init(&holder);
		holder_of(o->lock_fd, &holder);
		buf_printf(err, "%s is in use by %s; wait for it to finish or choose another OUTDIR",
			   o->path, holder.data);
		buf_free(&holder);
		return OUTDIR_REFUSED;
	}
	char when[32], line[160];
	format_utc((int64_t)time(NULL), when, sizeof(when));
	int n = snprintf(line, sizeof(line), "pmemmap %s (pid %ld, started %s UTC)\n", who,
			 (long)getpid(), when);
	if (ftruncate(o->lock_fd, 0) == 0)
		(void)!pwrite(o->lock_fd, line, (size_t)n, 0);
	return OUTDIR_OK;
}

enum outdir_result outdir_open(struct outdir *o, const char *path, const char *who, struct buf *err)
{
	static const struct {
		const char *name;
		size_t parent, self; /* index into fds[]: 0 OUTDIR */
	} subs[] = { { "work", 0, 1 }, { "facts", 1, 2 }, { "failed", 1, 3 }, { "cases", 0, 4 } };
	int fds[5] = { -1, -1, -1, -1, -1 };
	bool refused = false;

	memset(o, 0, sizeof(*o));
	o->path = xstrdup(path);
	o->fd = o->lock_fd = o->work = o->facts = o->failed = o->cases = -1;
	if (make_parents(path) < 0 || (mkdir(path, 0755) < 0 && errno != EEXIST)) {
		buf_printf(err, "cannot create %s: %s", path, strerror(errno));
		goto fail;
	}
	o->fd = fds[0] = open_dir_at(AT_FDCWD, path);
	if (o->fd < 0) {
		int e = errno;
		refused = e == ELOOP || e == ENOTDIR;
		buf_printf(err, "%s: %s", path,
			   is_link_at(AT_FDCWD, path) ? "is a symbolic link; give the folder it points to"
						      : strerror(e));
		goto fail;
	}
	enum outdir_result r = take_lock(o, who, err);
	if (r != OUTDIR_OK) {
		refused = r == OUTDIR_REFUSED;
		goto fail;
	}
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *shown = xasprintf("%s/%s%s", path, subs[i].parent ? "work/" : "", subs[i].name);
		fds[subs[i].self] = subdir(fds[subs[i].parent], subs[i].name, shown, &refused, err);
		free(shown);
		if (fds[subs[i].self] < 0)
			goto fail;
	}
	o->work = fds[1];
	o->facts = fds[2];
	o->failed = fds[3];
	o->cases = fds[4];
	return OUTDIR_OK;
fail:
	for (size_t i = 1; i < 5; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	o->work = o->facts = o->failed = o->cases = -1;
	outdir_close(o);
	return refused ? OUTDIR_REFUSED : OUTDIR_CANNOT;
}

void outdir_close(struct outdir *o)
{
	int *fds[] = { &o->cases, &o->failed, &o->facts, &o->work, &o->lock_fd, &o->fd };
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]); /* the lock goes with its descriptor */
			*fds[i] = -1;
		}
	free(o->path);
	o->path = NULL;
}

bool outdir_busy(int dirfd, struct buf *holder)
{
	int fd = openat(dirfd, LOCK_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false; /* no lock file: no run of ours ever held it */
	bool busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	if (busy)
		holder_of(fd, holder);
	close(fd);
	return busy;
}

int outdir_prune(int dirfd, bool (*drop)(const char *name, void *ctx), void *ctx)
{
	struct namelist names;
	int n = 0;
	if (dir_names(dirfd, drop, ctx, &names) < 0)
		return -1;
	for (size_t i = 0; i < names.n; i++) {
		struct stat st;
		if (fstatat(dirfd, names.v[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISDIR(st.st_mode) &&
		    unlinkat(dirfd, names.v[i], 0) == 0)
			n++;
	}
	namelist_free(&names);
	return n;
}
