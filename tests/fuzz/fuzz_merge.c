/* fuzz_merge.c - the bytes are a partial batch output (the folder given to
 * `pmemmap merge`), built fresh for each input in a private scratch folder,
 * then merged with cmd_merge into another fresh folder, as
 * `pmemmap merge -o OUT PART` does.
 *
 * The input is split at each "\n##\n"; each piece becomes one entry of
 * PART/work/: its first byte says what:
 *   'F' work/facts/<n>.json, the rest of the piece its content
 *   'X' work/failed/<n>.json, likewise
 *   'L' work/facts/<n>.json, a symbolic link to the previous entry, or to
 *       /dev/zero when the piece is empty after the 'L'
 *   'D' work/facts/<n>.json, a folder
 *   'P' work/facts/<n>.json, a FIFO nobody writes
 *   'W' work itself a symbolic link to another folder (the rest ignored)
 * Nothing outside the scratch folder may be read or written, and merge
 * must end (exit status 0 to 3), never abort or hang.
 */
#include "fuzz_common.h"

#include <dirent.h>
#include <ftw.h>

#include "batch.h"
#include "cli.h"

static char fz_scratch[FZ_PATH_MAX];

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void rm_tree(const char *p)
{
	nftw(p, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *path, const char *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	fwrite(p, 1, n, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char part[FZ_PATH_MAX + 64], path[FZ_PATH_MAX + 128], prev[FZ_PATH_MAX + 128] = "";
	fz_init();
	if (!fz_scratch[0]) {
		snprintf(fz_scratch, sizeof(fz_scratch), "/tmp/pmemmap-fuzz-merge.%d", (int)getpid());
		rm_tree(fz_scratch);
		if (mkdir(fz_scratch, 0700) < 0)
			abort();
	}
	snprintf(part, sizeof(part), "%s/part", fz_scratch);
	rm_tree(part);
	snprintf(path, sizeof(path), "%s/out", fz_scratch);
	rm_tree(path);
	mkdir(part, 0700);
	snprintf(path, sizeof(path), "%s/work", part);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/work/facts", part);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/work/failed", part);
	mkdir(path, 0700);

	const char *p = (const char *)data, *end = p + size;
	for (unsigned n = 0; p < end && n < 64; n++) {
		const char *sep = memmem(p, (size_t)(end - p), "\n##\n", 4);
		const char *stop = sep ? sep : end;
		char kind = *p;
		const char *body = p + 1;
		size_t len = stop > body ? (size_t)(stop - body) : 0;
		snprintf(path, sizeof(path), "%s/work/%s/%016x.json", part, kind == 'X' ? "failed" : "facts", n);
		switch (kind) {
		case 'F':
		case 'X':
			put(path, body, len);
			snprintf(prev, sizeof(prev), "%s", path);
			break;
		case 'L':
			(void)!symlink(len || !prev[0] ? "/dev/zero" : prev, path);
			break;
		case 'D':
			mkdir(path, 0700);
			break;
		case 'P':
			mkfifo(path, 0600);
			break;
		case 'W': {
			char work[FZ_PATH_MAX + 64], other[FZ_PATH_MAX + 64];
			snprintf(work, sizeof(work), "%s/work", part);
			snprintf(other, sizeof(other), "%s/elsewhere", fz_scratch);
			mkdir(other, 0700);
			rename(work, other);
			(void)!symlink(other, work);
			break;
		}
		default:
			break;
		}
		p = sep ? sep + 4 : end;
	}

	char out[FZ_PATH_MAX + 64];
	snprintf(out, sizeof(out), "%s/out", fz_scratch);
	char *inputs[] = { part };
	struct cli cli;
	memset(&cli, 0, sizeof(cli));
	cli.command = "merge";
	cli.inputs = inputs;
	cli.ninputs = 1;
	cli.output = out;
	cli.rules_dir = fz_rules_dir();
	cli.quiet = true;
	cli.jobs = 1;
	cli.lim = fz_lim;
	cli.lim.facts = 1000;
	int r = cmd_merge(&cli);
	if (r < 0 || r > 3)
		abort();
	snprintf(path, sizeof(path), "%s/elsewhere", fz_scratch);
	rm_tree(path);
	return 0;
}
