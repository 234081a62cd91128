/* progress.c - the progress line of a long read (progress.h). */
#define _GNU_SOURCE /* fopencookie */
#include "progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "util.h"

#define PROGRESS_AFTER 1.0 /* seconds before the line first shows */
#define PROGRESS_EVERY 0.1 /* seconds between redraws */

void progress_start(struct progress *p, FILE *out)
{
	struct winsize ws;
	memset(p, 0, sizeof(*p));
	p->out = out;
	p->start = mono_seconds();
	p->cols = 80;
	if (ioctl(fileno(out), TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		p->cols = ws.ws_col;
}

static void clear_line(struct progress *p)
{
	if (!p->shown)
		return;
	fputs("\r\033[K", p->out);
	p->shown = false;
}

/* "1.2 GiB", "512 KiB", "300 B" */
static void size_text(char *s, size_t n, uint64_t bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)bytes;
	unsigned u = 0;
	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	snprintf(s, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

void progress_show(struct progress *p, uint64_t bytes_in, uint64_t bytes_inflated, uint64_t members,
		   const char *input, const char *member)
{
	double now = mono_seconds();
	if (now - p->start < PROGRESS_AFTER || (p->shown && now - p->last < PROGRESS_EVERY))
		return;
	char in[32], out[32];
	size_text(in, sizeof(in), bytes_in);
	size_text(out, sizeof(out), bytes_inflated);
	struct buf b;
	buf_init(&b);
	buf_printf(&b, "\rreading: %s in, %s out, %llu members", in, out, (unsigned long long)members);
	/* one column short of the width: a full line would wrap on some terminals */
	size_t used = b.len - 1, room = p->cols - 1;
	if (input && used + 2 < room) {
		struct buf name;
		buf_init(&name);
		buf_puts(&name, path_base(input));
		if (member)
			buf_printf(&name, ": %s", member);
		buf_puts(&b, "; ");
		esc_term_fit(&b, name.data, room - used - 2, CUT_MIDDLE);
		buf_free(&name);
	}
	buf_puts(&b, "\033[K");
	fwrite(b.data, 1, b.len, p->out);
	fflush(p->out);
	buf_free(&b);
	p->shown = true;
	p->last = now;
}

static ssize_t log_write(void *cookie, const char *data, size_t n)
{
	struct progress *p = cookie;
	clear_line(p);
	return (ssize_t)fwrite(data, 1, n, p->out);
}

FILE *progress_log(struct progress *p)
{
	if (!p->log) {
		cookie_io_functions_t io = { .write = log_write };
		p->log = fopencookie(p, "w", io);
		if (!p->log)
			return p->out; /* no clearing, but no message lost */
		setvbuf(p->log, NULL, _IONBF, 0);
	}
	return p->log;
}

void progress_end(struct progress *p)
{
	clear_line(p);
	fflush(p->out);
	if (p->log)
		fclose(p->log);
	p->log = NULL;
}
