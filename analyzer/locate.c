/* locate.c - find the rules, the manual and the guides from the binary's
 * own place (locate.h). */
#include "locate.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PMEMMAP_RULES_DIR
#define PMEMMAP_RULES_DIR "/usr/local/share/pmemmap/rules"
#endif

/* The folder above the binary's folder ("/usr" for /usr/bin/pmemmap),
 * into buf; NULL when /proc/self/exe cannot be read. */
static const char *exe_parent(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 2; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	int w = snprintf(buf, size, "%s", exe[0] ? exe : "/");
	return w > 0 && (size_t)w < size ? buf : NULL;
}

/* base/rel into buf when it exists and is a folder (dir) or a file */
static const char *existing(char *buf, size_t size, const char *base, const char *rel, bool dir)
{
	struct stat st;
	int w = snprintf(buf, size, "%s/%s", strcmp(base, "/") ? base : "", rel);
	if (w <= 0 || (size_t)w >= size || stat(buf, &st) != 0)
		return NULL;
	return (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)) ? buf : NULL;
}

const char *locate_rules_dir(char *buf, size_t size)
{
	char top[PATH_MAX];
	if (exe_parent(top, sizeof(top)) &&
	    (existing(buf, size, top, "share/pmemmap/rules", true) || existing(buf, size, top, "rules", true)))
		return buf;
	return PMEMMAP_RULES_DIR;
}

const char *locate_build_tree(char *buf, size_t size)
{
	char top[PATH_MAX], probe[PATH_MAX];
	if (!exe_parent(top, sizeof(top)) || !existing(probe, sizeof(probe), top, "rules", true) ||
	    !existing(probe, sizeof(probe), top, "docs/pmemmap.1", false))
		return NULL;
	int w = snprintf(buf, size, "%s", top);
	return w > 0 && (size_t)w < size ? buf : NULL;
}

const char *locate_doc_dir(char *buf, size_t size)
{
	char top[PATH_MAX], probe[PATH_MAX];
	if (!exe_parent(top, sizeof(top)) || !existing(probe, sizeof(probe), top, "share/doc/pmemmap/guide.md", false))
		return NULL;
	return existing(buf, size, top, "share/doc/pmemmap", true);
}
