/* locate.h - where the files the binary reads or names live: its rules,
 * its manual page and its guides.
 *
 * Each is found from the binary's own place (/proc/self/exe), so that an
 * install moved elsewhere (a DESTDIR, a package unpacked with dpkg -x, a
 * copied prefix) and a build tree each use their own files, and only when
 * neither layout is there from the prefix compiled in. Nothing here reads
 * an input; the paths printed are of our own installation.
 *
 * Every function writes into buf (size bytes) and returns buf, or returns
 * a constant string, or NULL; none allocates.
 */
#ifndef PMEMMAP_LOCATE_H
#define PMEMMAP_LOCATE_H

#include <stddef.h>

/* The rules folder, in this order: ../share/pmemmap/rules beside the
 * binary (an install, wherever its prefix now is), ../rules (a build
 * tree: build/pmemmap reads rules/), else the compiled-in
 * PREFIX/share/pmemmap/rules. */
const char *locate_rules_dir(char *buf, size_t size);

/* The source tree the binary runs from: the folder above the binary's
 * folder when it holds rules/ and docs/pmemmap.1 (build/pmemmap in a
 * clone), else NULL (an installed binary). */
const char *locate_build_tree(char *buf, size_t size);

/* The installed documentation folder, ../share/doc/pmemmap beside the
 * binary, when it holds guide.md; else NULL. */
const char *locate_doc_dir(char *buf, size_t size);

#endif
