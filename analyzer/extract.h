/* extract.h - turn the members of one bundle into facts.
 *
 * Ingest feeds members here as a stream of bytes: member_begin says
 * whether any rule wants the member (if not, ingest skips it without
 * copying), member_data hands over chunks, member_end closes it. The
 * extractor splits lines in place (copying only a line that straddles two
 * chunks), runs the rules bound to the member, and collects JSON text for
 * the structured parsers.
 */
#ifndef PMEMMAP_EXTRACT_H
#define PMEMMAP_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "model.h"
#include "rules.h"

struct litset;

struct extractor {
	const struct ruleset *rs;
	struct litset *litsets; /* compiled 'has' literal sets, by combination */
	size_t nlitsets;
	const struct limits *lim;
	struct model *m;
	uint64_t members_opened; /* across all bundles, for --stats */
	uint64_t lines;
	uint64_t matches;
};

struct xvar {
	const char *name; /* interned */
	const char *value; /* interned */
};

struct xbundle;

void extractor_init(struct extractor *x, const struct ruleset *rs, const struct limits *lim,
		    struct model *m);
void extractor_free(struct extractor *x);

/* loose: a single text file given as input (always a transcript). */
struct xbundle *extract_bundle_begin(struct extractor *x, const char *path, int parent, bool loose);
uint32_t extract_bundle_id(const struct xbundle *xb);
/* Settle the kind and drop facts of rules for other kinds. Frees xb. */
void extract_bundle_end(struct xbundle *xb);

/* Every regular member, read or not: whole-member rules fire here. */
void extract_member_seen(struct xbundle *xb, const char *path);
bool extract_member_begin(struct xbundle *xb, const char *path);
void extract_member_data(struct xbundle *xb, const char *p, size_t n);
void extract_member_end(struct xbundle *xb);

/* Does any rule want this path? (cheap; no state change) */
bool extract_wants(const struct xbundle *xb, const char *path);
/* Does a marking rule name this path? (tells a bundle folder by content) */
enum bundle_kind extract_marks_path(const struct extractor *x, const char *path);
/* The bundle's own name (its top folder, folder or file name): the rules
 * on names (`name = ...`) make their facts from it, with the bundle as a
 * whole for evidence. Called once, when the name is known. */
void extract_bundle_named(struct xbundle *xb, const char *name);
/* The kind a bundle folder's layout shows, before any member is read. */
void extract_bundle_kind(struct xbundle *xb, enum bundle_kind kind);

#endif
