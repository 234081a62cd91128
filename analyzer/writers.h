/* writers.h - the report formats, one table.
 *
 * Each entry is a format: its name, its file extension, whether batch
 * writes a report of each case in it, its writer, and its batch index
 * writer. `analyze --format NAME` (or -o FILE.EXT) picks one; batch and
 * merge write every per-case format and every index. Adding a format is
 * one entry in writers.c and its write function; docs/hacking.md shows one.
 */
#ifndef PMEMMAP_WRITERS_H
#define PMEMMAP_WRITERS_H

#include <stdbool.h>
#include <stddef.h>

#include "report.h"

struct report_writer {
	const char *name; /* --format NAME */
	const char *ext; /* of a file in this format, ".md"; NULL: none (term) */
	const char *ext2; /* another, or NULL (".htm") */
	bool per_case; /* batch writes cases/case-NNNN.EXT in it */
	void (*write)(struct wbuf *w, const struct model *m, const struct analysis *a, const char *version,
		      const char *digest);
	/* the batch index in this format (OUTDIR/index.EXT), or NULL */
	void (*index)(struct wbuf *w, const struct model *m, const struct analysis *a,
		      const struct report_writer *const *formats, size_t nformats,
		      const struct index_failure *fails, size_t nfails);
};

extern const struct report_writer report_writers[];
extern const size_t report_nwriters;
/* The writer of --format name, or NULL. */
const struct report_writer *report_writer_named(const char *name);
/* The writer whose extension path ends in, or NULL. */
const struct report_writer *report_writer_for_path(const char *path);
/* The names, "html, md or json" (static). */
const char *report_format_names(void);
/* The whole text of a report in writer wr's format (free it). */
char *report_text(const struct report_writer *wr, const struct model *m, const struct analysis *a,
		  const char *version, const char *digest);

/* The per-case formats, the one named own first (for an index in that
 * format to link its own first); how many in *n. Static storage. */
const struct report_writer *const *report_case_formats(const char *own, size_t *n);

#endif
