/* writers.c - the report formats (writers.h). */
#include "writers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_term.h"
#include "util.h"

static void md_write(struct wbuf *w, const struct model *m, const struct analysis *a, const char *version,
		     const char *digest)
{
	(void)version;
	(void)digest;
	report_md_write(w, m, a);
}

static void html_write(struct wbuf *w, const struct model *m, const struct analysis *a, const char *version,
		       const char *digest)
{
	(void)version;
	(void)digest;
	report_html_write(w, m, a);
}

static void term_write(struct wbuf *w, const struct model *m, const struct analysis *a, const char *version,
		       const char *digest)
{
	(void)version;
	(void)digest;
	report_term_write(w, m, a);
}

const struct report_writer report_writers[] = {
	{ "html", ".html", ".htm", true, html_write, report_index_html_write },
	{ "md", ".md", NULL, true, md_write, report_index_md_write },
	{ "json", ".json", NULL, false, report_json_write, NULL },
	/* the one-screen summary: analyze's default on a terminal; no file
	 * extension picks it */
	{ "term", NULL, NULL, false, term_write, NULL },
};
const size_t report_nwriters = sizeof(report_writers) / sizeof(report_writers[0]);

const struct report_writer *report_writer_named(const char *name)
{
	for (size_t i = 0; name && i < report_nwriters; i++)
		if (!strcmp(report_writers[i].name, name))
			return &report_writers[i];
	return NULL;
}

const struct report_writer *report_writer_for_path(const char *path)
{
	for (size_t i = 0; path && i < report_nwriters; i++)
		if ((report_writers[i].ext && str_has_suffix(path, report_writers[i].ext)) ||
		    (report_writers[i].ext2 && str_has_suffix(path, report_writers[i].ext2)))
			return &report_writers[i];
	return NULL;
}

const char *report_format_names(void)
{
	static char names[256];
	size_t n = 0;
	if (names[0])
		return names;
	for (size_t i = 0; i < report_nwriters; i++)
		n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", !i ? "" : i + 1 == report_nwriters ? " or " : ", ",
				      report_writers[i].name);
	return names;
}

char *report_text(const struct report_writer *wr, const struct model *m, const struct analysis *a,
		  const char *version, const char *digest)
{
	struct wbuf w;
	wbuf_init(&w, NULL, NULL);
	wr->write(&w, m, a, version, digest);
	wbuf_finish(&w);
	return buf_steal(&w.b);
}

const struct report_writer *const *report_case_formats(const char *own, size_t *n)
{
	static const struct report_writer *order[sizeof(report_writers) / sizeof(report_writers[0])];
	const struct report_writer *o = report_writer_named(own);
	*n = 0;
	if (o && o->per_case)
		order[(*n)++] = o;
	for (size_t i = 0; i < report_nwriters; i++)
		if (report_writers[i].per_case && &report_writers[i] != o)
			order[(*n)++] = &report_writers[i];
	return order;
}
