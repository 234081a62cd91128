/* batch.c - the batch and merge commands (see batch.h). */
#define _GNU_SOURCE
#include "batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analyze.h"
#include "escape.h"
#include "extract.h"
#include "fsutil.h"
#include "ingest.h"
#include "model.h"
#include "outdir.h"
#include "output.h"
#include "redact.h"
#include "report.h"
#include "writers.h"
#include "rules.h"
#include "util.h"


enum job_state { JOB_PENDING, JOB_RUNNING, JOB_DONE, JOB_FAILED };

struct job {
	char *path;
	char key[17];
	uint64_t size;
	enum job_state state;
	pid_t pid;
	double started, seconds;
	char *reason; /* why it failed */
	bool cached; /* finished by an earlier run */
};

struct batch {
	struct cli *cli;
	const char *out; /* OUTDIR as given, for messages */
	struct outdir *od;
	struct ruleset rs;
	struct job *jobs;
	size_t njobs;
	unsigned workers;
	uint64_t bytes_total, bytes_done;
	size_t done;
	double t0, last_progress;
	bool tty;
};

static double now(void)
{
	return mono_seconds();
}

/* A facts or failure file of ours is at most this large; a larger one
 * was not written by a worker. */
#define WORK_FILE_MAX ((size_t)1 << 30)

/* The JSON document in file name of folder dirfd (never through a link,
 * regular files only, size-bounded): NULL with the reason in err. */
static struct json_object *parse_at(int dirfd, const char *name, struct buf *err)
{
	struct buf text;
	struct json_object *doc = NULL;
	buf_init(&text);
	if (read_regular_at(dirfd, name, false, WORK_FILE_MAX, &text, err) == 0) {
		doc = json_tokener_parse(text.data);
		if (!doc)
			buf_printf(err, "%s: not JSON, or cut short", name);
	}
	buf_free(&text);
	return doc;
}

/* Many small files: written without fsync (each still atomic, by rename,
 * and never through a link) and flushed at once with output_sync at the
 * end of the run. shown names the folder in messages. */
static int write_text_at(int dirfd, const char *shown, const char *name, const char *text)
{
	struct buf err;
	buf_init(&err);
	int r = output_write_at(dirfd, name, text, strlen(text), false, &err);
	if (r < 0)
		term_line(stderr, "pmemmap: %s/%s", shown, err.data);
	buf_free(&err);
	return r;
}

static int write_jsonobj_at(int dirfd, const char *shown, const char *name, struct json_object *o,
			    int flags)
{
	char *text = json_to_text(o, flags, NULL);
	int r = write_text_at(dirfd, shown, name, text);
	free(text);
	return r;
}

static bool is_tmp(const char *name, void *ctx)
{
	(void)ctx;
	return strstr(name, ".tmp.") != NULL;
}

static bool is_tmp_or_json(const char *name, void *ctx)
{
	return is_tmp(name, ctx) || str_has_suffix(name, ".json");
}

/* A work file of ours: "<key>.json", not a temporary one. */
static bool is_work_file(const char *name, void *ctx)
{
	return str_has_suffix(name, ".json") && !is_tmp(name, ctx);
}

/* Same input, same size and time, same rules: same key, so --resume can
 * trust what an earlier run wrote. */
static void job_key(struct job *j, const char *digest)
{
	struct stat st;
	char *abs = realpath(j->path, NULL);
	uint64_t h = hash_str(abs ? abs : j->path, strlen(abs ? abs : j->path), 0);
	if (stat(j->path, &st) == 0) {
		j->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
		h = hash_str((const char *)&st.st_size, sizeof(st.st_size), h);
		h = hash_str((const char *)&st.st_mtim, sizeof(st.st_mtim), h);
	}
	h = hash_str(digest, strlen(digest), h);
	snprintf(j->key, sizeof(j->key), "%016llx", (unsigned long long)h);
	free(abs);
}

static void add_job(void *ctx, const char *path)
{
	struct batch *b = ctx;
	b->jobs = xrealloc(b->jobs, (b->njobs + 1) * sizeof(*b->jobs));
	struct job *j = &b->jobs[b->njobs++];
	memset(j, 0, sizeof(*j));
	j->path = xstrdup(path);
}

/* "<key>.json", the name of a job's facts or failure file. */
static char *work_name(const struct job *j)
{
	return xasprintf("%s.json", j->key);
}

/* Remove what an interrupted run may have left half-made (temp files) and,
 * unless resuming, the results of earlier runs; all inside OUTDIR, links
 * removed as links. */
static void clean_work(const struct batch *b, bool keep_results)
{
	const struct outdir *o = b->od;
	outdir_prune(o->facts, keep_results ? is_tmp : is_tmp_or_json, NULL);
	outdir_prune(o->failed, keep_results ? is_tmp : is_tmp_or_json, NULL);
	outdir_prune(o->cases, is_tmp, NULL);
	outdir_prune(o->fd, is_tmp, NULL);
}

/* ---- phase 1: worker processes, one input at a time -------------------- */

/* Read one input and write its facts file; 0, or 3 if it cannot be
 * written. Runs in a worker process: a crash or a hang costs that process
 * only. */
static int run_job(struct batch *b, struct job *j)
{
	struct model m;
	struct extractor x;
	struct ingest in;
	double t = now();

	model_init(&m);
	extractor_init(&x, &b->rs, &b->cli->lim, &m);
	ingest_init(&in, &x, &b->cli->lim);
	if (b->cli->no_isal)
		in.use_isal = false;
	in.use_prefetch = false; /* -j workers share the cores already */
	ingest_input(&in, j->path);
	struct json_object *meta = json_object_new_object();
	json_object_object_add(meta, "input", json_object_new_string(j->path));
	json_object_object_add(meta, "seconds", json_object_new_double(now() - t));
	json_object_object_add(meta, "bytes", json_object_new_int64((int64_t)j->size));
	/* "batch" first: phase 2 finds the input in the file's first bytes */
	char *name = work_name(j);
	int r = -1;
	struct buf err;
	buf_init(&err);
	struct out *o = out_open_at(b->od->facts, name, &err);
	if (o) {
		struct wbuf w;
		wbuf_init(&w, out_write, o);
		model_facts_write(&w, &m, pmemmap_version, b->rs.digest, meta, false);
		r = wbuf_finish(&w) < 0 ? (out_commit(o, &err), -1) : out_commit(o, &err);
	}
	if (r < 0)
		term_line(stderr, "pmemmap: %s/work/facts/%s", b->out, err.data);
	buf_free(&err);
	free(name);
	json_object_put(meta);
	extractor_free(&x);
	model_free(&m);
	return r < 0 ? 3 : 0;
}

static void record_failure(struct batch *b, struct job *j, const char *reason)
{
	struct json_object *o = json_object_new_object();
	j->state = JOB_FAILED;
	j->reason = xstrdup(reason);
	json_object_object_add(o, "input", json_object_new_string(j->path));
	json_object_object_add(o, "reason", json_object_new_string(reason));
	json_object_object_add(o, "seconds", json_object_new_double(j->seconds));
	char *name = work_name(j), *shown = xasprintf("%s/work/failed", b->out);
	write_jsonobj_at(b->od->failed, shown, name, o, JSON_C_TO_STRING_PLAIN);
	free(name);
	free(shown);
	json_object_put(o);
}

static void progress(struct batch *b, bool final)
{
	double t = now(), el = t - b->t0;
	if (b->cli->quiet || (!final && t - b->last_progress < (b->tty ? 0.2 : 5.0)))
		return;
	b->last_progress = t;
	double rate = el > 0 ? (double)b->bytes_done / el : 0;
	double eta = rate > 0 ? (double)(b->bytes_total - b->bytes_done) / rate : 0;
	if (b->tty) {
		int width = 30, fill = b->njobs ? (int)(width * b->done / b->njobs) : width;
		fprintf(stderr, "\r[%.*s%*s] %zu/%zu bundles, %.1f MiB, %.1f MiB/s, ETA %.0fs ", fill,
			"##############################", width - fill, "", b->done, b->njobs,
			(double)b->bytes_done / 1048576, rate / 1048576, eta);
		if (final)
			fputc('\n', stderr);
	} else {
		fprintf(stderr, "pmemmap batch: %zu/%zu bundles, %.1f MiB, %.1f MiB/s, ETA %.0fs\n",
			b->done, b->njobs, (double)b->bytes_done / 1048576, rate / 1048576, eta);
	}
}

/*
 * The workers live across jobs: a fork per input cost the parent a page
 * table copy and copy-on-write faults each time, a large share of a
 * small input's work. The parent hands out job numbers on a pipe and
 * reads back "job, status"; a worker that dies (crash, or killed for its
 * time limit) is seen as end of file on its pipe and replaced, and its
 * job is recorded as failed. A worker is also replaced after
 * WORKER_JOBS inputs, so nothing one input leaves behind lasts.
 */
#define WORKER_JOBS 256

struct wproc {
	pid_t pid;
	int to, from;   /* job numbers out, results in */
	struct job *job; /* the one it is reading, or NULL */
	unsigned jobs;  /* handed to it so far */
};

struct wmsg {
	uint32_t job;
	int32_t status;
};

static void worker_loop(struct batch *b, int in, int out)
{
	uint32_t k;
	while (read_all(in, &k, sizeof(k)) == 0 && k < b->njobs) {
		struct wmsg msg = { k, run_job(b, &b->jobs[k]) };
		if (write_all(out, &msg, sizeof(msg)) < 0)
			break;
	}
	_exit(0);
}

static bool spawn_worker(struct batch *b, struct wproc *w, struct wproc *all, size_t nall)
{
	int down[2], up[2];
	if (pipe(down) < 0)
		return false;
	if (pipe(up) < 0) {
		close(down[0]);
		close(down[1]);
		return false;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		/* the other workers' pipes: held here, they would hide their EOF */
		for (size_t i = 0; i < nall; i++)
			if (all[i].pid > 0) {
				close(all[i].to);
				close(all[i].from);
			}
		close(down[1]);
		close(up[0]);
		signal(SIGPIPE, SIG_DFL);
		worker_loop(b, down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	if (pid < 0) {
		close(down[1]);
		close(up[0]);
		return false;
	}
	*w = (struct wproc){ pid, down[1], up[0], NULL, 0 };
	return true;
}

/* The worker is gone or going: collect it, fail its job with the reason. */
static void end_worker(struct batch *b, struct wproc *w, const char *reason)
{
	int status = 0;
	close(w->to);
	close(w->from);
	if (w->pid > 0 && reason) {
		/* killed for its time limit: a worker stuck in the kernel (a hung
		 * NFS read) may not die at once; the run does not wait for it */
		pid_t r = 0;
		for (int tries = 0; tries < 100 && (r = waitpid(w->pid, &status, WNOHANG)) == 0; tries++) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (r == 0)
			fprintf(stderr, "pmemmap batch: worker %d did not end after SIGKILL; left behind\n",
				(int)w->pid);
	} else if (w->pid > 0) {
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	struct job *j = w->job;
	if (j) {
		char why[160];
		j->seconds = now() - j->started;
		if (!reason && WIFSIGNALED(status))
			snprintf(why, sizeof(why), "the worker died of signal %d (%s) reading it",
				 WTERMSIG(status), strsignal(WTERMSIG(status)));
		else if (!reason)
			snprintf(why, sizeof(why), "the worker ended while reading it (exit status %d)",
				 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		record_failure(b, j, reason ? reason : why);
		b->done++;
		b->bytes_done += j->size;
	}
	*w = (struct wproc){ 0, -1, -1, NULL, 0 };
}

/* The state of phase 1 in the parent. */
struct pool {
	struct wproc *wp;
	struct pollfd *pfd;
	size_t next; /* the next job to hand out */
	size_t left; /* jobs not yet done or failed */
	unsigned handover_failures;
};

/* Give worker i the next pending input, starting it as needed. */
static void hand_out(struct batch *b, struct pool *p, unsigned i)
{
	struct wproc *w = &p->wp[i];
	for (;;) {
		while (!w->job && p->next < b->njobs && b->jobs[p->next].state != JOB_PENDING)
			p->next++;
		if (w->job || p->next >= b->njobs)
			return;
		if (w->pid > 0 && w->jobs >= WORKER_JOBS)
			end_worker(b, w, NULL); /* retire it: no job, nothing failed */
		if (w->pid <= 0 && !spawn_worker(b, w, p->wp, b->workers)) {
			record_failure(b, &b->jobs[p->next++], "could not start a worker process");
			b->done++;
			p->left--;
			return;
		}
		uint32_t k = (uint32_t)p->next;
		if (write_all(w->to, &k, sizeof(k)) < 0) {
			/* it died idle (killed from outside): the input was never
			 * handed over, so it goes to a new worker */
			end_worker(b, w, NULL);
			if (++p->handover_failures < 3)
				continue;
			record_failure(b, &b->jobs[p->next++], "no worker process would take it");
			b->done++;
			p->left--;
			return;
		}
		p->handover_failures = 0;
		struct job *j = &b->jobs[p->next++];
		j->state = JOB_RUNNING;
		j->started = now();
		w->job = j;
		w->jobs++;
		return;
	}
}

/* Read the answer of each worker that has one: its job done, or failed;
 * a worker that died inside a job is seen here as end of file. */
static void collect_answers(struct batch *b, struct pool *p)
{
	for (unsigned i = 0; i < b->workers; i++) {
		struct wproc *w = &p->wp[i];
		if (!w->job || !p->pfd[i].revents)
			continue;
		struct wmsg msg = { UINT32_MAX, 0 }; /* until read: no job's number */
		if (read_all(w->from, &msg, sizeof(msg)) < 0 || msg.job != (uint32_t)(w->job - b->jobs)) {
			end_worker(b, w, NULL); /* crashed inside the job */
			p->left--;
			continue;
		}
		struct job *j = w->job;
		j->seconds = now() - j->started;
		b->done++;
		b->bytes_done += j->size;
		if (msg.status == 0)
			j->state = JOB_DONE;
		else
			record_failure(b, j, "the worker could not write its results");
		w->job = NULL;
		p->left--;
	}
}

/* The time limit: kill the worker, fail its input, start another. */
static void enforce_timeout(struct batch *b, struct pool *p)
{
	double timeout = b->cli->timeout, t = now();
	for (unsigned i = 0; timeout > 0 && i < b->workers; i++) {
		struct wproc *w = &p->wp[i];
		if (!w->job || t - w->job->started <= timeout)
			continue;
		struct pollfd q = { w->from, POLLIN, 0 };
		if (poll(&q, 1, 0) > 0)
			continue; /* it finished just now: read that first */
		char reason[128];
		snprintf(reason, sizeof(reason), "timed out after %.0f s (--timeout)", timeout);
		kill(w->pid, SIGKILL);
		end_worker(b, w, reason);
		p->left--;
	}
}

static void run_workers(struct batch *b)
{
	struct pool p = { xcalloc(b->workers, sizeof(*p.wp)), xcalloc(b->workers, sizeof(*p.pfd)), 0, 0, 0 };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;

	sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker's pipe: EPIPE */
	for (size_t i = 0; i < b->njobs; i++)
		p.left += b->jobs[i].state == JOB_PENDING;
	for (unsigned i = 0; i < b->workers; i++)
		p.wp[i] = (struct wproc){ 0, -1, -1, NULL, 0 };
	while (p.left) {
		size_t busy = 0;
		for (unsigned i = 0; i < b->workers; i++) {
			hand_out(b, &p, i);
			p.pfd[i].fd = p.wp[i].job ? p.wp[i].from : -1;
			p.pfd[i].events = POLLIN;
			p.pfd[i].revents = 0;
			busy += p.wp[i].job != NULL;
		}
		if (!busy)
			continue;
		if (poll(p.pfd, b->workers, 100) > 0)
			collect_answers(b, &p);
		enforce_timeout(b, &p);
		progress(b, false);
	}
	for (unsigned i = 0; i < b->workers; i++)
		if (p.wp[i].pid > 0)
			end_worker(b, &p.wp[i], NULL); /* idle: EOF on its pipe ends it */
	sigaction(SIGPIPE, &old_pipe, NULL);
	free(p.wp);
	free(p.pfd);
	progress(b, true);
}

/* ---- phase 2: cases across the whole set ------------------------------ */

struct loaded {
	char *input;
	char *name; /* of its facts file in OUTDIR/work/facts */
};

static int loaded_cmp(const void *a, const void *b)
{
	return strcmp(((const struct loaded *)a)->input, ((const struct loaded *)b)->input);
}

/* The input named by a facts file parsed whole; NULL if it does not
 * parse or names none. */
static char *facts_input_whole(int dirfd, const char *name)
{
	struct buf err;
	buf_init(&err);
	struct json_object *doc = parse_at(dirfd, name, &err), *meta, *in;
	char *input = NULL;
	if (doc && json_object_object_get_ex(doc, "batch", &meta) &&
	    json_object_is_type(meta, json_type_object) && json_object_object_get_ex(meta, "input", &in) &&
	    json_object_is_type(in, json_type_string))
		input = xstrdup(json_object_get_string(in));
	json_object_put(doc);
	buf_free(&err);
	return input;
}

/* The input a facts file was made from. The worker writes it first,
 * {"batch":{"input":"...", so its first bytes name it without parsing
 * the whole file; a file laid out otherwise (an older pmemmap, edited by
 * hand) is parsed whole. NULL if it is not a batch facts file, or not a
 * regular file (a link is not followed). */
static char *facts_input(int dirfd, const char *name)
{
	static const char head[] = "{\"batch\":{\"input\":\"";
	struct buf pre, err;
	char *input = NULL;
	buf_init(&pre);
	buf_init(&err);
	int r = read_regular_head_at(dirfd, name, 16383, &pre, &err);
	buf_free(&err);
	if (r < 0) {
		buf_free(&pre);
		return NULL;
	}
	size_t n = pre.len;
	if (n > sizeof(head) - 1 && !memcmp(pre.data, head, sizeof(head) - 1)) {
		size_t i = sizeof(head) - 1;
		while (i < n && pre.data[i] != '"')
			i += pre.data[i] == '\\' ? 2 : 1;
		if (i < n) { /* the whole JSON string, quotes included: json-c decodes it */
			pre.data[i + 1] = '\0'; /* i + 1 <= n: the buffer holds n + 1 bytes */
			struct json_object *str = json_tokener_parse(pre.data + sizeof(head) - 2);
			if (json_object_is_type(str, json_type_string))
				input = xstrdup(json_object_get_string(str));
			json_object_put(str);
		}
	}
	buf_free(&pre);
	if (input)
		return input;
	return facts_input_whole(dirfd, name);
}

/* Whether a facts file parses whole and names its input. */
static bool facts_complete(int dirfd, const char *name)
{
	char *input = facts_input_whole(dirfd, name);
	free(input);
	return input != NULL;
}

/* A facts file phase 2 could not use, in run.json's failures. */
static void add_failure(struct json_object *fails, const char *input, const char *why,
			const char *status)
{
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "input", json_object_new_string(input));
	json_object_object_add(o, "reason", json_object_new_string(why));
	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_array_add(fails, o);
}

static void load_failure(struct json_object *fails, const char *path, const char *why)
{
	add_failure(fails, path, why, "unreadable");
	term_line(stderr, "pmemmap: %s: %s; its input is left out", path, why);
}

/* Every facts file of OUTDIR/work/facts, in input order (the same
 * whichever machine or run produced them). */
static void collect_facts(const struct outdir *o, struct loaded **v, size_t *n, struct json_object *fails)
{
	struct namelist names;
	if (dir_names(o->facts, is_work_file, NULL, &names) < 0) {
		char *why = xasprintf("cannot list: %s", strerror(errno));
		char *dir = xasprintf("%s/work/facts", o->path);
		load_failure(fails, dir, why);
		free(dir);
		free(why);
		return;
	}
	*v = xcalloc(names.n + 1, sizeof(**v));
	for (size_t i = 0; i < names.n; i++) {
		char *input = facts_input(o->facts, names.v[i]);
		if (input) {
			(*v)[*n].input = input;
			(*v)[*n].name = xstrdup(names.v[i]);
			(*n)++;
		} else {
			/* empty or cut (a crash before the data reached the disk),
			 * not a regular file, or not ours: its input is missing */
			char *path = xasprintf("%s/work/facts/%s", o->path, names.v[i]);
			load_failure(fails, path,
				     "facts file is empty, cut short, not a regular file or not a batch facts file");
			free(path);
		}
	}
	namelist_free(&names);
	if (*n)
		qsort(*v, *n, sizeof(**v), loaded_cmp);
}

/* Reading and parsing the facts files on other threads while this one
 * loads them into the model, in order; a window of documents ahead. */
#define READ_AHEAD 16
#define READERS_MAX 4

struct reader_slot {
	struct json_object *doc;
	bool ready;
	unsigned owner; /* the thread that parsed it, and must free it */
};

struct reader {
	int dirfd; /* OUTDIR/work/facts */
	const struct loaded *v;
	size_t n, claimed, taken; /* files claimed by a thread, taken by the loader */
	struct reader_slot slot[READ_AHEAD];
	/* loaded documents, to be freed by the thread that made them: a free
	 * from another thread contends for that thread's malloc arena */
	struct json_object **spent[READERS_MAX];
	size_t nspent[READERS_MAX];
	unsigned nthreads, started;
	bool stop;
	pthread_t thread[READERS_MAX];
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

struct reader_arg {
	struct reader *r;
	unsigned id;
};

static void *reader_main(void *arg)
{
	struct reader *r = ((struct reader_arg *)arg)->r;
	unsigned id = ((struct reader_arg *)arg)->id;
	free(arg);
	for (;;) {
		pthread_mutex_lock(&r->lock);
		while (!r->stop && r->claimed < r->n && r->claimed - r->taken >= READ_AHEAD)
			pthread_cond_wait(&r->cond, &r->lock);
		bool stop = r->stop || r->claimed >= r->n;
		size_t i = r->claimed;
		if (!stop)
			r->claimed++;
		struct json_object **spent = r->spent[id];
		size_t nspent = r->nspent[id];
		r->spent[id] = NULL;
		r->nspent[id] = 0;
		pthread_mutex_unlock(&r->lock);
		for (size_t k = 0; k < nspent; k++)
			json_object_put(spent[k]);
		free(spent);
		if (stop)
			return NULL;
		struct buf err;
		buf_init(&err);
		struct json_object *doc = parse_at(r->dirfd, r->v[i].name, &err);
		buf_free(&err);
		pthread_mutex_lock(&r->lock);
		r->slot[i % READ_AHEAD] = (struct reader_slot){ doc, true, id };
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
}

static void reader_start(struct reader *r, int dirfd, const struct loaded *v, size_t n,
			 unsigned threads)
{
	memset(r, 0, sizeof(*r));
	r->dirfd = dirfd;
	r->v = v;
	r->n = n;
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	r->nthreads = threads > READERS_MAX ? READERS_MAX : threads;
	if (n < 2)
		r->nthreads = 0;
	for (unsigned t = 0; t < r->nthreads; t++) {
		struct reader_arg *a = xmalloc(sizeof(*a));
		*a = (struct reader_arg){ r, t };
		if (pthread_create(&r->thread[t], NULL, reader_main, a) != 0) {
			free(a);
			break;
		}
		r->started++;
	}
}

/* Document i (i = 0, 1, ... in turn), NULL if the file is gone or not
 * JSON; give it back with reader_done. */
static struct json_object *reader_next(struct reader *r, size_t i, unsigned *owner)
{
	if (!r->started) {
		struct buf err;
		buf_init(&err);
		struct json_object *doc = parse_at(r->dirfd, r->v[i].name, &err);
		buf_free(&err);
		return doc;
	}
	pthread_mutex_lock(&r->lock);
	while (!r->slot[i % READ_AHEAD].ready)
		pthread_cond_wait(&r->cond, &r->lock);
	struct reader_slot sl = r->slot[i % READ_AHEAD];
	r->slot[i % READ_AHEAD].ready = false;
	r->taken = i + 1;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	*owner = sl.owner;
	return sl.doc;
}

static void reader_done(struct reader *r, unsigned owner, struct json_object *doc)
{
	if (!r->started || !doc) {
		json_object_put(doc);
		return;
	}
	pthread_mutex_lock(&r->lock);
	r->spent[owner] = xrealloc(r->spent[owner], (r->nspent[owner] + 1) * sizeof(*r->spent[owner]));
	r->spent[owner][r->nspent[owner]++] = doc;
	pthread_mutex_unlock(&r->lock);
}

static void reader_stop(struct reader *r)
{
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	for (unsigned t = 0; t < r->started; t++)
		pthread_join(r->thread[t], NULL);
	for (size_t k = 0; k < READ_AHEAD; k++)
		if (r->slot[k].ready)
			json_object_put(r->slot[k].doc);
	for (unsigned t = 0; t < READERS_MAX; t++) {
		for (size_t k = 0; k < r->nspent[t]; k++)
			json_object_put(r->spent[t][k]);
		free(r->spent[t]);
	}
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
}

/* The per-case reports, cases k, k+n, k+2n, ... (one share per worker),
 * in every format of the writer table that has them. */
static int write_case_reports(const struct outdir *o, struct model *m, struct analysis *a, const char *digest,
			      size_t k, size_t n)
{
	int r = 0;
	char *shown = xasprintf("%s/cases", o->path);
	for (size_t i = k; i < a->ncases; i += n) {
		struct analysis one = analysis_one(a, i);
		for (size_t f = 0; f < report_nwriters; f++) {
			const struct report_writer *wr = &report_writers[f];
			if (!wr->per_case)
				continue;
			char *text = report_text(wr, m, &one, pmemmap_version, digest);
			char *p = xasprintf("case-%04zu%s", i + 1, wr->ext);
			r |= write_text_at(o->cases, shown, p, text);
			free(p);
			free(text);
		}
	}
	free(shown);
	return r;
}

/* Fan the per-case reports out to N processes: they share the model by
 * fork, so this is the same code as a serial run, N times shorter, and the
 * parent builds the index meanwhile. With one worker the parent writes
 * them itself, after the index (one core). Returns the pids (NULL: none
 * started). */
static pid_t *start_case_reports(const struct outdir *out, struct model *m, struct analysis *a, const char *digest,
				 unsigned workers)
{
	if (workers < 2)
		return NULL;
	pid_t *pids = xcalloc(workers, sizeof(*pids));
	fflush(NULL);
	for (unsigned k = 0; k < workers; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(write_case_reports(out, m, a, digest, k, workers) ? 3 : 0);
	}
	return pids;
}

static int finish_case_reports(const struct outdir *out, struct model *m, struct analysis *a, const char *digest,
			       unsigned workers, pid_t *pids)
{
	int r = 0;
	if (!pids)
		return write_case_reports(out, m, a, digest, 0, 1);
	for (unsigned k = 0; k < workers; k++) {
		int status;
		if (pids[k] < 0)
			r |= write_case_reports(out, m, a, digest, k, workers); /* fork failed: do it here */
		else if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			r = -1;
	}
	free(pids);
	return r;
}

/* "case-NNNN.EXT" (a per-case format's) with NNNN past the cases of this
 * run: a report of an earlier, larger run that the new index does not list. */
static bool is_stale_case(const char *name, void *ctx)
{
	size_t ncases = *(const size_t *)ctx;
	const char *p = name + 5;
	char *end;
	if (strncmp(name, "case-", 5) || *p < '0' || *p > '9')
		return false;
	unsigned long long k = strtoull(p, &end, 10);
	const struct report_writer *wr = report_writer_named(*end == '.' ? end + 1 : "");
	return wr && wr->per_case && !strcmp(end, wr->ext) && (k == 0 || k > ncases);
}

/* The failures of run.json as the index lists them (n of them; the
 * strings stay run's). */
static struct index_failure *index_failures(struct json_object *run, size_t *n)
{
	struct json_object *fails, *in, *why, *status;
	*n = 0;
	if (!json_object_object_get_ex(run, "failures", &fails) || !json_object_is_type(fails, json_type_array))
		return NULL;
	size_t len = json_object_array_length(fails);
	struct index_failure *v = xcalloc(len ? len : 1, sizeof(*v));
	for (size_t i = 0; i < len; i++) {
		struct json_object *o = json_object_array_get_idx(fails, i);
		if (!json_object_object_get_ex(o, "input", &in))
			continue;
		v[*n].input = json_object_get_string(in);
		v[*n].reason = json_object_object_get_ex(o, "reason", &why) ? json_object_get_string(why) : NULL;
		v[*n].partial = json_object_object_get_ex(o, "status", &status) &&
				!strcmp(json_object_get_string(status), "partial");
		(*n)++;
	}
	return v;
}

/* The batch index in every format of the writer table that has one:
 * index[f] the text of OUTDIR/index.EXT of writer f, or NULL. */
static void build_indexes(struct model *m, struct analysis *a, struct json_object *run, char **index)
{
	size_t nfails;
	struct index_failure *fails = index_failures(run, &nfails);
	for (size_t f = 0; f < report_nwriters; f++) {
		struct wbuf w;
		index[f] = NULL;
		if (!report_writers[f].index)
			continue;
		size_t nf;
		const struct report_writer *const *fmts = report_case_formats(report_writers[f].name, &nf);
		wbuf_init(&w, NULL, NULL);
		report_writers[f].index(&w, m, a, fmts, nf, fails, nfails);
		wbuf_finish(&w);
		index[f] = buf_steal(&w.b);
	}
	free(fails);
}

static int write_indexes(const struct outdir *out, char **index)
{
	int r = 0;
	for (size_t f = 0; f < report_nwriters; f++) {
		if (!index[f])
			continue;
		char *name = xasprintf("index%s", report_writers[f].ext);
		r |= write_text_at(out->fd, out->path, name, index[f]);
		free(name);
		free(index[f]);
	}
	return r;
}

/* results.jsonl, one case per line with its "id", streamed into its
 * temporary file jo (a case may be large; NULL: it could not be opened). */
static void stream_results(struct wbuf *jsonl, struct model *m, struct analysis *a, struct out *jo)
{
	wbuf_init(jsonl, jo ? out_write : NULL, jo);
	for (size_t i = 0; i < a->ncases; i++) {
		char id[32];
		snprintf(id, sizeof(id), "case-%04zu", i + 1);
		struct json_object *extra = json_object_new_object();
		json_object_object_add(extra, "id", json_object_new_string(id));
		if (m->redacted) /* each line says it, as every report does */
			json_object_object_add(extra, "redacted", json_object_new_boolean(true));
		report_case_jsonl(jsonl, m, &a->cases[i], extra);
		json_object_put(extra);
		if (!jo)
			buf_reset(&jsonl->b); /* no file to write it to: said when committed */
	}
}

static int commit_results(const struct outdir *out, struct wbuf *jsonl, struct out *jo, struct buf *err)
{
	int r = 0;
	if (!jo || wbuf_finish(jsonl) < 0 || out_commit(jo, err) < 0) {
		if (jo && jsonl->error)
			out_commit(jo, err); /* the write error, the temporary file removed */
		term_line(stderr, "pmemmap: %s/%s", out->path, err->data);
		r = -1;
	}
	buf_free(&jsonl->b);
	return r;
}

static int write_outputs(const struct outdir *out, struct model *m, struct analysis *a, const char *digest,
			 struct json_object *run, unsigned workers)
{
	struct buf err;
	struct wbuf jsonl;
	char **index = xcalloc(report_nwriters, sizeof(*index));
	int r = 0;

	/* the case reports in worker processes; meanwhile the results and
	 * the index here, renamed into place after the reports they name
	 * (everything flushed to disk by phase2) */
	pid_t *pids = start_case_reports(out, m, a, digest, workers);
	buf_init(&err);
	struct out *jo = out_open_at(out->fd, "results.jsonl", &err);
	stream_results(&jsonl, m, a, jo);
	build_indexes(m, a, run, index);
	r |= finish_case_reports(out, m, a, digest, workers, pids);
	/* reports of an earlier run that this index does not list */
	outdir_prune(out->cases, is_stale_case, &a->ncases);
	r |= commit_results(out, &jsonl, jo, &err);
	r |= write_indexes(out, index);
	free(index);
	json_object_object_add(run, "pmemmap", json_object_new_string(pmemmap_version));
	json_object_object_add(run, "rules_digest", json_object_new_string(digest));
	json_object_object_add(run, "cases", json_object_new_int64((int64_t)a->ncases));
	buf_free(&err);
	return r;
}

/* The facts files of phase 1 are flushed to disk on a thread while
 * phase 2 loads and reports, so the one flush at the end waits only
 * for what phase 2 wrote: that wait is the serial part of a batch that
 * -j cannot shorten. The final flush still covers every file. */
struct early_sync {
	pthread_t thread;
	int fd;
	bool started;
};

static void *early_sync_main(void *arg)
{
	struct early_sync *s = arg;
	(void)output_sync(s->fd); /* a failure shows again in the final flush */
	return NULL;
}

static void early_sync_start(struct early_sync *s, int fd)
{
	s->fd = fd;
	s->started = pthread_create(&s->thread, NULL, early_sync_main, s) == 0;
}

static void early_sync_join(struct early_sync *s)
{
	if (s->started)
		pthread_join(s->thread, NULL);
	s->started = false;
}

/* --redact: the inputs and failures of run.json through the table of
 * the model (each "input" an input path, each "reason" a message). */
static void redact_run(struct redactor *r, struct json_object *run)
{
	static const char *const lists[] = { "inputs", "failures" };
	for (size_t l = 0; l < 2; l++) {
		struct json_object *arr;
		if (!json_object_object_get_ex(run, lists[l], &arr) || !json_object_is_type(arr, json_type_array))
			continue;
		for (size_t i = 0; i < json_object_array_length(arr); i++) {
			struct json_object *o = json_object_array_get_idx(arr, i), *v;
			static const char *const keys[] = { "path", "input", "reason" };
			for (size_t k = 0; k < 3; k++) {
				if (!json_object_object_get_ex(o, keys[k], &v) || !json_object_is_type(v, json_type_string))
					continue;
				char *s = k < 2 ? redact_input_path(r, json_object_get_string(v))
						: redact_message(r, json_object_get_string(v));
				json_object_object_add(o, keys[k], json_object_new_string(s));
				free(s);
			}
		}
	}
	json_object_object_add(run, "redacted", json_object_new_boolean(true));
}

/* --redact: one table for every input of the run, made here where all
 * their facts are (the facts files in work/ keep the originals); run.json's
 * inputs and failures so far through it. NULL without --redact. */
static struct redactor *redact_phase2(const struct cli *cli, struct model *m, struct json_object *run)
{
	if (!cli->redact)
		return NULL;
	struct redactor *r = redactor_new(cli->redact_ids);
	redact_model(r, m);
	redact_run(r, run); /* before failures of the (redacted) model join it */
	return r;
}

/* --redact-map FILE, and the redactor freed: 0, or -1 (said on stderr). */
static int redact_done(const struct cli *cli, struct redactor *r)
{
	struct buf err;
	int rc = 0;
	buf_init(&err);
	if (r && cli->redact_map && redact_map_write(r, cli->redact_map, pmemmap_version, &err) < 0) {
		term_line(stderr, "pmemmap: %s", err.data);
		rc = -1;
	}
	buf_free(&err);
	redactor_free(r);
	return rc;
}

/* Load the facts of OUTDIR/work, pair cases, write everything. */
static int phase2(const struct outdir *out, const char *digest, struct json_object *run, unsigned workers,
		  const struct cli *cli)
{
	bool quiet = cli->quiet;
	const struct limits *lim = &cli->lim;
	struct model m;
	struct analysis a;
	struct loaded *v = NULL;
	size_t n = 0;
	struct buf err;
	double t = now();

	/* inputs not read, read only in part, or whose facts are unusable */
	struct json_object *fails;
	if (!json_object_object_get_ex(run, "failures", &fails)) {
		fails = json_object_new_array();
		json_object_object_add(run, "failures", fails);
	}
	struct early_sync es;
	early_sync_start(&es, out->fd);
	model_init(&m);
	m.fact_limit = lim->facts;
	buf_init(&err);
	collect_facts(out, &v, &n, fails);
	struct reader rd;
	/* -j 1 stays on one core; with more, parsing runs beside the loading */
	reader_start(&rd, out->facts, v, n, workers > 1 ? workers : 0);
	for (size_t i = 0; i < n; i++) {
		unsigned owner = 0;
		struct json_object *doc = reader_next(&rd, i, &owner);
		if (!doc || model_load_json(&m, doc, &err) < 0) {
			char *why = xasprintf("facts file cannot be loaded (%s)", err.len ? err.data : "not JSON");
			char *path = xasprintf("%s/work/facts/%s", out->path, v[i].name);
			load_failure(fails, path, why);
			free(path);
			free(why);
		}
		buf_reset(&err);
		reader_done(&rd, owner, doc);
	}
	reader_stop(&rd);
	for (size_t i = 0; i < n; i++) {
		free(v[i].input);
		free(v[i].name);
	}
	free(v);
	double t_load = now() - t;
	struct redactor *red = redact_phase2(cli, &m, run);
	/* any input failed, read in part, or left out: merge says so as batch does */
	bool partial = json_object_array_length(fails) > 0;
	for (uint32_t bi = 0; bi < m.nbundles; bi++) {
		if (!m.bundles[bi].failed)
			continue;
		const char *why = "read only in part";
		for (size_t d = 0; d < m.ndiags; d++)
			if (m.diags[d].bundle == bi && m.diags[d].level == DIAG_ERROR) {
				why = m.diags[d].message;
				break;
			}
		add_failure(fails, m.bundles[bi].path, why,
			    m.bundles[bi].members_seen ? "partial" : "unreadable");
		partial = true;
	}
	analyze(&m, &a);
	double t_corr = now() - t - t_load;
	int r = write_outputs(out, &m, &a, digest, run, workers);
	struct json_object *timing;
	if (!json_object_object_get_ex(run, "timings", &timing)) {
		timing = json_object_new_object();
		json_object_object_add(run, "timings", timing);
	}
	json_object_object_add(timing, "load_seconds", json_object_new_double(t_load));
	json_object_object_add(timing, "correlate_seconds", json_object_new_double(t_corr));
	json_object_object_add(timing, "report_seconds", json_object_new_double(now() - t - t_load - t_corr));
	r |= write_jsonobj_at(out->fd, out->path, "run.json", run, JSON_C_TO_STRING_PRETTY);
	r |= redact_done(cli, red);
	/* one flush for every file of the run (facts, reports, index): each
	 * was renamed into place whole, so a kill never leaves half a file */
	early_sync_join(&es);
	if (output_sync(out->fd) < 0) {
		term_line(stderr, "pmemmap: %s: cannot flush to disk: %s", out->path, strerror(errno));
		r = -1;
	}
	if (!quiet)
		term_line(stderr, "pmemmap: %zu cases from %zu bundles, %d error finding%s; index in %s/index.html",
			  a.ncases, m.nbundles, a.errors, a.errors == 1 ? "" : "s", out->path);
	int status = r ? EXIT_OUTPUT : (a.errors || partial) ? EXIT_FINDINGS : EXIT_OK;
	analysis_free(&a);
	model_free(&m);
	buf_free(&err);
	return status;
}

/* The failure records of OUTDIR/work/failed; one that cannot be read or
 * is not a record of ours is itself listed, with the reason. */
static struct json_object *failures_json(const struct outdir *o)
{
	struct json_object *arr = json_object_new_array();
	struct namelist names;
	struct buf err;

	buf_init(&err);
	if (dir_names(o->failed, is_work_file, NULL, &names) < 0)
		return arr;
	for (size_t i = 0; i < names.n; i++) {
		struct json_object *rec = parse_at(o->failed, names.v[i], &err), *in, *why;
		if (json_object_is_type(rec, json_type_object) && json_object_object_get_ex(rec, "input", &in) &&
		    json_object_is_type(in, json_type_string) && json_object_object_get_ex(rec, "reason", &why) &&
		    json_object_is_type(why, json_type_string)) {
			json_object_array_add(arr, rec);
		} else {
			char *path = xasprintf("%s/work/failed/%s", o->path, names.v[i]);
			add_failure(arr, path, err.len ? err.data : "not a failure record of pmemmap batch",
				    "unreadable");
			free(path);
			json_object_put(rec);
		}
		buf_reset(&err);
	}
	namelist_free(&names);
	buf_free(&err);
	return arr;
}

/* Open and lock OUTDIR for cmd; on failure the message is printed and the
 * exit status returned (2: refused, 3: cannot create). */
static int open_outdir(struct outdir *o, const char *path, const char *cmd)
{
	struct buf err;
	buf_init(&err);
	enum outdir_result r = outdir_open(o, path, cmd, &err);
	if (r != OUTDIR_OK)
		term_line(stderr, "pmemmap %s: %s", cmd, err.data);
	buf_free(&err);
	return r == OUTDIR_OK ? 0 : r == OUTDIR_REFUSED ? EXIT_USAGE : EXIT_OUTPUT;
}

int cmd_batch(struct cli *cli)
{
	struct batch b;
	struct ingest in;
	struct extractor x;
	struct model scratch;
	struct outdir od;

	memset(&b, 0, sizeof(b));
	b.cli = cli;
	b.out = cli->output ? cli->output : "pmemmap-batch";
	b.workers = cli->jobs ? cli->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (b.workers < 1)
		b.workers = 1;
	b.tty = isatty(STDERR_FILENO);
	b.t0 = now();
	if (load_rules_for(cli, &b.rs))
		return EXIT_USAGE;
	int refused = open_outdir(&od, b.out, "batch");
	if (refused) {
		rules_free(&b.rs);
		return refused;
	}
	b.od = &od;
	clean_work(&b, cli->resume);

	/* discover the inputs: bundles, or folders walked for bundles */
	model_init(&scratch);
	extractor_init(&x, &b.rs, &cli->lim, &scratch);
	ingest_init(&in, &x, &cli->lim);
	for (int i = 0; i < cli->ninputs; i++)
		ingest_discover(&in, cli->inputs[i], add_job, &b);
	extractor_free(&x);
	model_free(&scratch);

	size_t cached = 0;
	for (size_t i = 0; i < b.njobs; i++) {
		struct job *j = &b.jobs[i];
		job_key(j, b.rs.digest);
		b.bytes_total += j->size;
		char *f = work_name(j);
		/* a facts file counts only if it parses whole: a crash before the
		 * final syncfs can leave it empty or cut, and then it is redone */
		bool have = faccessat(od.facts, f, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
		if (have && !facts_complete(od.facts, f)) {
			unlinkat(od.facts, f, 0);
			have = false;
		}
		if (have || faccessat(od.failed, f, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
			j->state = have ? JOB_DONE : JOB_FAILED;
			j->cached = true;
			b.done++;
			b.bytes_done += j->size;
			cached++;
		}
		free(f);
	}
	if (!cli->quiet)
		term_line(stderr, "pmemmap batch: %zu inputs (%zu done by an earlier run), %u workers",
			  b.njobs, cached, b.workers);
	double t1 = now();
	run_workers(&b);
	double extract_s = now() - t1;

	struct json_object *run = json_object_new_object();
	struct json_object *inputs = json_object_new_array();
	for (size_t i = 0; i < b.njobs; i++) {
		struct job *j = &b.jobs[i];
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "path", json_object_new_string(j->path));
		json_object_object_add(o, "key", json_object_new_string(j->key));
		json_object_object_add(o, "bytes", json_object_new_int64((int64_t)j->size));
		json_object_object_add(o, "state", json_object_new_string(j->state == JOB_DONE ? "done" : "failed"));
		json_object_object_add(o, "from_earlier_run", json_object_new_boolean(j->cached));
		if (!j->cached)
			json_object_object_add(o, "seconds", json_object_new_double(j->seconds));
		json_object_array_add(inputs, o);
	}
	json_object_object_add(run, "inputs", inputs);
	json_object_object_add(run, "failures", failures_json(&od));
	json_object_object_add(run, "workers", json_object_new_int((int)b.workers));
	struct json_object *timing = json_object_new_object();
	json_object_object_add(timing, "extract_seconds", json_object_new_double(extract_s));
	json_object_object_add(run, "timings", timing);
	int status = phase2(&od, b.rs.digest, run, b.workers, cli);
	outdir_close(&od);
	json_object_put(run);

	bool failed = false;
	for (size_t i = 0; i < b.njobs; i++) {
		failed |= b.jobs[i].state == JOB_FAILED;
		free(b.jobs[i].path);
		free(b.jobs[i].reason);
	}
	free(b.jobs);
	rules_free(&b.rs);
	return status == EXIT_OK && failed ? EXIT_FINDINGS : status;
}

/* Copy the work files (kind: "facts" or "failed") of the partial output
 * src into the merged OUTDIR. A partial output may come from anywhere:
 * its files are read as regular files only, never through a link and
 * never past WORK_FILE_MAX; each one refused is a failure of the merged
 * run, with the reason. 0, or -1 when src is no batch output. */
static int merge_from(int srcfd, const char *src, const struct outdir *o, const char *kind,
		      struct json_object *fails)
{
	int work = open_dir_at(srcfd, "work");
	int dir = work >= 0 ? open_dir_at(work, kind) : -1;
	struct namelist names;
	struct buf text, err;

	if (dir < 0 || dir_names(dir, is_work_file, NULL, &names) < 0) {
		term_line(stderr, "pmemmap merge: %s: not a batch output (work/%s: %s)", src, kind,
			  errno == ELOOP ? "a symbolic link, not followed" : strerror(errno));
		if (work >= 0)
			close(work);
		if (dir >= 0)
			close(dir);
		return -1;
	}
	int to = !strcmp(kind, "facts") ? o->facts : o->failed;
	char *shown = xasprintf("%s/work/%s", o->path, kind);
	buf_init(&text);
	buf_init(&err);
	for (size_t i = 0; i < names.n; i++) {
		if (faccessat(to, names.v[i], F_OK, AT_SYMLINK_NOFOLLOW) == 0)
			continue; /* the same input from another partial output */
		if (read_regular_at(dir, names.v[i], false, WORK_FILE_MAX, &text, &err) < 0) {
			char *path = xasprintf("%s/work/%s/%s", src, kind, names.v[i]);
			char *why = xasprintf("not merged: %s", err.data);
			load_failure(fails, path, why);
			free(why);
			free(path);
		} else {
			write_text_at(to, shown, names.v[i], text.data);
		}
		buf_reset(&err);
	}
	buf_free(&text);
	buf_free(&err);
	free(shown);
	namelist_free(&names);
	close(dir);
	close(work);
	return 0;
}

/* Merge one partial output given on the command line: 0, or the exit
 * status when it cannot be used. */
static int merge_one(const char *src, const struct outdir *o, struct json_object *fails)
{
	struct stat a, b;
	struct buf holder;
	int r = 0;

	int srcfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (srcfd < 0) {
		term_line(stderr, "pmemmap merge: %s: not a batch output (%s)", src, strerror(errno));
		return EXIT_USAGE;
	}
	if (fstat(srcfd, &a) == 0 && fstat(o->fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		close(srcfd);
		return 0; /* OUTDIR itself, given as a partial output too */
	}
	buf_init(&holder);
	if (outdir_busy(srcfd, &holder)) {
		term_line(stderr, "pmemmap merge: %s is in use by %s; merge it when that run has finished",
			  src, holder.data);
		r = EXIT_USAGE;
	} else if (merge_from(srcfd, src, o, "facts", fails) < 0 ||
		   merge_from(srcfd, src, o, "failed", fails) < 0) {
		r = EXIT_USAGE;
	}
	buf_free(&holder);
	close(srcfd);
	return r;
}

int cmd_merge(struct cli *cli)
{
	struct ruleset rs;
	struct outdir od;
	const char *out = cli->output;

	if (!out) {
		term_line(stderr, "pmemmap merge: give the merged folder with -o OUTDIR");
		return EXIT_USAGE;
	}
	int r = open_outdir(&od, out, "merge");
	if (r)
		return r;
	struct json_object *skipped = json_object_new_array();
	for (int i = 0; i < cli->ninputs && !r; i++)
		r = merge_one(cli->inputs[i], &od, skipped);
	if (r) {
		json_object_put(skipped);
		outdir_close(&od);
		return r;
	}
	rules_init(&rs);
	const char *digest = load_rules_for(cli, &rs) ? "unknown" : rs.digest;
	struct json_object *run = json_object_new_object();
	json_object_object_add(run, "merged_from", json_object_new_int(cli->ninputs));
	struct json_object *fails = failures_json(&od);
	for (size_t i = 0; i < json_object_array_length(skipped); i++)
		json_object_array_add(fails, json_object_get(json_object_array_get_idx(skipped, i)));
	json_object_put(skipped);
	json_object_object_add(run, "failures", fails);
	int status = phase2(&od, digest, run, cli->jobs ? cli->jobs : 1, cli);
	outdir_close(&od);
	json_object_put(run);
	rules_free(&rs);
	return status;
}
