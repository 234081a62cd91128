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

#include "correlate.h"
#include "escape.h"
#include "extract.h"
#include "ingest.h"
#include "model.h"
#include "output.h"
#include "report.h"
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
	const char *out;
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

static int mkdir_p(const char *path)
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
	int r = mkdir(p, 0755) < 0 && errno != EEXIST ? -1 : 0;
	free(p);
	return r;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

static struct json_object *parse_file(const char *path)
{
	char *text = read_file(path);
	struct json_object *doc = text ? json_tokener_parse(text) : NULL;
	free(text);
	return doc;
}

/* Many small files: written without fsync (each still atomic, by rename)
 * and flushed at once with output_sync at the end of the run. */
static int write_text_nosync(const char *path, const char *text)
{
	struct buf err;
	buf_init(&err);
	int r = output_write_nosync(path, text, strlen(text), &err);
	if (r < 0)
		fprintf(stderr, "pmemmap: %s\n", err.data);
	buf_free(&err);
	return r;
}

static int write_jsonobj(const char *path, struct json_object *o, int flags)
{
	char *text = json_to_text(o, flags, NULL);
	int r = write_text_nosync(path, text);
	free(text);
	return r;
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

static char *work_path(const struct batch *b, const char *kind, const char *key)
{
	return xasprintf("%s/work/%s/%s.json", b->out, kind, key);
}

/* Remove what an interrupted run may have left half-made (temp files) and,
 * unless resuming, the results of earlier runs. */
static void clean_work(const struct batch *b, bool keep_results)
{
	static const char *const dirs[] = { "work/facts", "work/failed", "cases", "." };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		char *d = xasprintf("%s/%s", b->out, dirs[i]);
		DIR *dir = opendir(d);
		struct dirent *de;
		while (dir && (de = readdir(dir))) {
			bool tmp = strstr(de->d_name, ".tmp.") != NULL;
			bool result = i < 2 && str_has_suffix(de->d_name, ".json");
			if (tmp || (result && !keep_results)) {
				char *f = xasprintf("%s/%s", d, de->d_name);
				unlink(f);
				free(f);
			}
		}
		if (dir)
			closedir(dir);
		free(d);
	}
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
	struct json_object *facts = model_facts_json(&m, pmemmap_version, b->rs.digest);
	struct json_object *meta = json_object_new_object();
	json_object_object_add(meta, "input", json_object_new_string(j->path));
	json_object_object_add(meta, "seconds", json_object_new_double(now() - t));
	json_object_object_add(meta, "bytes", json_object_new_int64((int64_t)j->size));
	/* "batch" first: phase 2 finds the input in the file's first bytes */
	struct json_object *doc = json_object_new_object();
	json_object_object_add(doc, "batch", meta);
	json_object_object_foreach(facts, key, val)
		json_object_object_add(doc, key, json_object_get(val));
	json_object_put(facts);
	char *path = work_path(b, "facts", j->key);
	int r = write_jsonobj(path, doc, JSON_C_TO_STRING_PLAIN);
	free(path);
	json_object_put(doc);
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
	char *path = work_path(b, "failed", j->key);
	write_jsonobj(path, o, JSON_C_TO_STRING_PLAIN);
	free(path);
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

static void run_workers(struct batch *b)
{
	size_t next = 0, left = 0;
	unsigned handover_failures = 0;
	double timeout = b->cli->timeout;
	struct wproc *wp = xcalloc(b->workers, sizeof(*wp));
	struct pollfd *pfd = xcalloc(b->workers, sizeof(*pfd));
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_pipe;

	sigaction(SIGPIPE, &ign, &old_pipe); /* a dead worker's pipe: EPIPE */
	for (size_t i = 0; i < b->njobs; i++)
		left += b->jobs[i].state == JOB_PENDING;
	for (unsigned i = 0; i < b->workers; i++)
		wp[i] = (struct wproc){ 0, -1, -1, NULL, 0 };
	while (left) {
		/* give each idle worker the next input, starting workers as needed */
		for (unsigned i = 0; i < b->workers; i++) {
			struct wproc *w = &wp[i];
			while (!w->job && next < b->njobs && b->jobs[next].state != JOB_PENDING)
				next++;
			if (w->job || next >= b->njobs)
				continue;
			if (w->pid > 0 && w->jobs >= WORKER_JOBS)
				end_worker(b, w, NULL); /* retire it: no job, nothing failed */
			if (w->pid <= 0 && !spawn_worker(b, w, wp, b->workers)) {
				struct job *j = &b->jobs[next++];
				record_failure(b, j, "could not start a worker process");
				b->done++;
				left--;
				continue;
			}
			uint32_t k = (uint32_t)next;
			if (write_all(w->to, &k, sizeof(k)) < 0) {
				/* it died idle (killed from outside): the input was never
				 * handed over, so it goes to a new worker */
				end_worker(b, w, NULL);
				if (++handover_failures < 3) {
					i--;
					continue;
				}
				record_failure(b, &b->jobs[next++], "no worker process would take it");
				b->done++;
				left--;
				continue;
			}
			handover_failures = 0;
			struct job *j = &b->jobs[next++];
			j->state = JOB_RUNNING;
			j->started = now();
			w->job = j;
			w->jobs++;
		}
		size_t busy = 0;
		for (unsigned i = 0; i < b->workers; i++) {
			pfd[i].fd = wp[i].job ? wp[i].from : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			busy += wp[i].job != NULL;
		}
		if (!busy)
			continue;
		int n = poll(pfd, b->workers, 100);
		for (unsigned i = 0; n > 0 && i < b->workers; i++) {
			struct wproc *w = &wp[i];
			if (!w->job || !pfd[i].revents)
				continue;
			struct wmsg msg;
			if (read_all(w->from, &msg, sizeof(msg)) < 0 || msg.job != (uint32_t)(w->job - b->jobs)) {
				end_worker(b, w, NULL); /* crashed inside the job */
				left--;
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
			left--;
		}
		/* the time limit: kill the worker, fail its input, start another */
		double t = now();
		for (unsigned i = 0; timeout > 0 && i < b->workers; i++) {
			struct wproc *w = &wp[i];
			if (w->job && t - w->job->started > timeout) {
				struct pollfd q = { w->from, POLLIN, 0 };
				if (poll(&q, 1, 0) > 0)
					continue; /* it finished just now: read that first */
				char reason[128];
				snprintf(reason, sizeof(reason), "timed out after %.0f s (--timeout)", timeout);
				kill(w->pid, SIGKILL);
				end_worker(b, w, reason);
				left--;
			}
		}
		progress(b, false);
	}
	for (unsigned i = 0; i < b->workers; i++)
		if (wp[i].pid > 0)
			end_worker(b, &wp[i], NULL); /* idle: EOF on its pipe ends it */
	sigaction(SIGPIPE, &old_pipe, NULL);
	free(wp);
	free(pfd);
	progress(b, true);
}

/* ---- phase 2: cases across the whole set ------------------------------ */

struct loaded {
	char *input;
	char *facts_path;
};

static int loaded_cmp(const void *a, const void *b)
{
	return strcmp(((const struct loaded *)a)->input, ((const struct loaded *)b)->input);
}

/* The input named by a facts file parsed whole; NULL if it does not
 * parse or names none. */
static char *facts_input_whole(const char *path)
{
	struct json_object *doc = parse_file(path), *meta, *in;
	char *input = NULL;
	if (doc && json_object_object_get_ex(doc, "batch", &meta) &&
	    json_object_object_get_ex(meta, "input", &in))
		input = xstrdup(json_object_get_string(in));
	json_object_put(doc);
	return input;
}

/* The input a facts file was made from. The worker writes it first,
 * {"batch":{"input":"...", so its first bytes name it without parsing
 * the whole file; a file laid out otherwise (an older pmemmap, edited by
 * hand) is parsed whole. NULL if it is not a batch facts file. */
static char *facts_input(const char *path)
{
	static const char head[] = "{\"batch\":{\"input\":\"";
	char pre[16384];
	char *input = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = fread(pre, 1, sizeof(pre) - 1, f);
	fclose(f);
	if (n > sizeof(head) - 1 && !memcmp(pre, head, sizeof(head) - 1)) {
		size_t i = sizeof(head) - 1;
		while (i < n && pre[i] != '"')
			i += pre[i] == '\\' ? 2 : 1;
		if (i < n) { /* the whole JSON string, quotes included: json-c decodes it */
			pre[i + 1] = '\0'; /* i + 1 <= n < sizeof(pre) */
			struct json_object *str = json_tokener_parse(pre + sizeof(head) - 2);
			if (json_object_is_type(str, json_type_string))
				input = xstrdup(json_object_get_string(str));
			json_object_put(str);
			if (input)
				return input;
		}
	}
	return facts_input_whole(path);
}

/* Whether a facts file parses whole and names its input. */
static bool facts_complete(const char *path)
{
	char *input = facts_input_whole(path);
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
	fprintf(stderr, "pmemmap: %s: %s; its input is left out\n", path, why);
}

/* Every facts file of OUTDIR/work, in input order (the same whichever
 * machine or run produced them). */
static void collect_facts(const char *out, struct loaded **v, size_t *n, struct json_object *fails)
{
	char *dir = xasprintf("%s/work/facts", out);
	DIR *d = opendir(dir);
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (!str_has_suffix(de->d_name, ".json") || strstr(de->d_name, ".tmp."))
			continue;
		char *path = xasprintf("%s/%s", dir, de->d_name);
		char *input = facts_input(path);
		if (input) {
			*v = xrealloc(*v, (*n + 1) * sizeof(**v));
			(*v)[*n].input = input;
			(*v)[*n].facts_path = path;
			(*n)++;
		} else {
			/* empty or cut (a crash before the data reached the disk),
			 * or not ours: its input is missing from the results */
			load_failure(fails, path, "facts file is empty, cut short or not a batch facts file");
			free(path);
		}
	}
	if (d)
		closedir(d);
	free(dir);
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
		struct json_object *doc = parse_file(r->v[i].facts_path);
		pthread_mutex_lock(&r->lock);
		r->slot[i % READ_AHEAD] = (struct reader_slot){ doc, true, id };
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
}

static void reader_start(struct reader *r, const struct loaded *v, size_t n, unsigned threads)
{
	memset(r, 0, sizeof(*r));
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
	if (!r->started)
		return parse_file(r->v[i].facts_path);
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

static const char *worst_finding(const struct acase *c)
{
	for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
		for (size_t i = 0; i < c->nfinds; i++)
			if ((int)c->finds[i].severity == sev)
				return c->finds[i].code;
	return NULL;
}

/* The per-case reports, cases k, k+n, k+2n, ... (one share per worker). */
static int write_case_reports(const char *out, struct model *m, struct analysis *a, size_t k, size_t n)
{
	int r = 0;
	for (size_t i = k; i < a->ncases; i += n) {
		struct analysis one = { .cases = &a->cases[i], .ncases = 1, .errors = a->cases[i].errors,
					.scoped = true };
		char *text = report_md(m, &one);
		char *p = xasprintf("%s/cases/case-%04zu.md", out, i + 1);
		r |= write_text_nosync(p, text);
		free(p);
		free(text);
		text = report_html(m, &one);
		p = xasprintf("%s/cases/case-%04zu.html", out, i + 1);
		r |= write_text_nosync(p, text);
		free(p);
		free(text);
	}
	return r;
}

/* Fan the per-case reports out to N processes: they share the model by
 * fork, so this is the same code as a serial run, N times shorter, and the
 * parent builds the index meanwhile. With one worker the parent writes
 * them itself, after the index (one core). Returns the pids (NULL: none
 * started). */
static pid_t *start_case_reports(const char *out, struct model *m, struct analysis *a,
				 unsigned workers)
{
	if (workers < 2)
		return NULL;
	pid_t *pids = xcalloc(workers, sizeof(*pids));
	fflush(NULL);
	for (unsigned k = 0; k < workers; k++) {
		pids[k] = fork();
		if (pids[k] == 0)
			_exit(write_case_reports(out, m, a, k, workers) ? 3 : 0);
	}
	return pids;
}

static int finish_case_reports(const char *out, struct model *m, struct analysis *a,
			       unsigned workers, pid_t *pids)
{
	int r = 0;
	if (!pids)
		return write_case_reports(out, m, a, 0, 1);
	for (unsigned k = 0; k < workers; k++) {
		int status;
		if (pids[k] < 0)
			r |= write_case_reports(out, m, a, k, workers); /* fork failed: do it here */
		else if (waitpid(pids[k], &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			r = -1;
	}
	free(pids);
	return r;
}

static int write_outputs(const char *out, struct model *m, struct analysis *a, const char *digest,
			 struct json_object *run, unsigned workers)
{
	struct buf jsonl, md, html;
	int r = 0;

	pid_t *pids = start_case_reports(out, m, a, workers);
	buf_init(&jsonl);
	buf_init(&md);
	buf_init(&html);
	buf_puts(&md, "# pmemmap batch index\n\n| Case | VM | Host | Guest | Collected | Devices matched | Worst finding | Report |\n|---|---|---|---|---|---|---|---|\n");
	buf_puts(&html, "<!DOCTYPE html>\n<html lang=en><head><meta charset=\"utf-8\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
			"style-src 'unsafe-inline'; script-src 'none'; base-uri 'none'; form-action 'none'\">\n"
			"<title>pmemmap batch index</title><style>body{font:14px system-ui,sans-serif;margin:1.5em}"
			"table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left}"
			"th{background:#f3f3f3}</style></head><body><h1>pmemmap batch index</h1>\n"
			"<table><thead><tr><th>Case<th>VM<th>Host<th>Guest<th>Collected<th>Devices matched<th>Worst finding"
			"<th>Report</tr></thead><tbody>\n");
	for (size_t i = 0; i < a->ncases; i++) {
		struct acase *c = &a->cases[i];
		char id[32];
		size_t matched = 0;
		snprintf(id, sizeof(id), "case-%04zu", i + 1);
		for (size_t k = 0; k < c->ndevs; k++)
			matched += c->devs[k].status == ST_MATCHED;

		struct json_object *cj = case_to_json(m, c);
		json_object_object_add(cj, "id", json_object_new_string(id));
		char *line = json_to_text(cj, JSON_C_TO_STRING_PLAIN, NULL);
		buf_puts(&jsonl, line);
		free(line);
		json_object_put(cj);


		const char *worst = worst_finding(c);
		const char *guest = c->guest.hostname ? c->guest.hostname : c->guest.bundle;
		/* index cells hold bundle text: escaped as in the reports */
		buf_printf(&md, "| %s | ", id);
		const char *vals[] = { c->vm.name, c->vm.host, guest, c->guest.collected_at };
		for (size_t k = 0; k < 4; k++) {
			esc_md_cell(&md, vals[k]);
			buf_puts(&md, " | ");
		}
		buf_printf(&md, "%zu / %zu | %s | [md](cases/%s.md) [html](cases/%s.html) |\n", matched,
			   c->ndevs, worst ? worst : "none", id, id);
		buf_printf(&html, "<tr><td>%s", id);
		for (size_t k = 0; k < 4; k++) {
			buf_puts(&html, "<td>");
			if (vals[k])
				esc_html(&html, vals[k]);
			else
				buf_puts(&html, "–");
		}
		buf_printf(&html, "<td>%zu / %zu<td>%s<td><a href=\"cases/%s.html\">html</a> "
				  "<a href=\"cases/%s.md\">md</a></tr>\n",
			   matched, c->ndevs, worst ? worst : "none", id, id);
	}
	buf_puts(&html, "</tbody></table></body></html>\n");
	r |= finish_case_reports(out, m, a, workers, pids);
	/* the index after the reports it names; all flushed by phase2 */
	char *p = xasprintf("%s/results.jsonl", out);
	r |= write_text_nosync(p, jsonl.data ? jsonl.data : "");
	free(p);
	p = xasprintf("%s/index.md", out);
	r |= write_text_nosync(p, md.data);
	free(p);
	p = xasprintf("%s/index.html", out);
	r |= write_text_nosync(p, html.data);
	free(p);
	json_object_object_add(run, "pmemmap", json_object_new_string(pmemmap_version));
	json_object_object_add(run, "rules_digest", json_object_new_string(digest));
	json_object_object_add(run, "cases", json_object_new_int64((int64_t)a->ncases));
	buf_free(&jsonl);
	buf_free(&md);
	buf_free(&html);
	return r;
}

/* Load the facts of OUTDIR/work, pair cases, write everything. */
static int phase2(const char *out, const char *digest, struct json_object *run, bool quiet,
		  unsigned workers, int sync_fd)
{
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
	size_t fails_before = json_object_array_length(fails);
	model_init(&m);
	buf_init(&err);
	collect_facts(out, &v, &n, fails);
	struct reader rd;
	/* -j 1 stays on one core; with more, parsing runs beside the loading */
	reader_start(&rd, v, n, workers > 1 ? workers : 0);
	for (size_t i = 0; i < n; i++) {
		unsigned owner = 0;
		struct json_object *doc = reader_next(&rd, i, &owner);
		if (!doc || model_load_json(&m, doc, &err) < 0) {
			char *why = xasprintf("facts file cannot be loaded (%s)", err.len ? err.data : "not JSON");
			load_failure(fails, v[i].facts_path, why);
			free(why);
		}
		buf_reset(&err);
		reader_done(&rd, owner, doc);
	}
	reader_stop(&rd);
	for (size_t i = 0; i < n; i++) {
		free(v[i].input);
		free(v[i].facts_path);
	}
	free(v);
	double t_load = now() - t;
	bool partial = json_object_array_length(fails) > fails_before;
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
	correlate(&m, &a);
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
	char *p = xasprintf("%s/run.json", out);
	r |= write_jsonobj(p, run, JSON_C_TO_STRING_PRETTY);
	free(p);
	/* one flush for every file of the run (facts, reports, index): each
	 * was renamed into place whole, so a kill never leaves half a file */
	if (output_sync(sync_fd) < 0) {
		fprintf(stderr, "pmemmap: %s: cannot flush to disk: %s\n", out, strerror(errno));
		r = -1;
	}
	if (!quiet)
		fprintf(stderr, "pmemmap: %zu cases from %zu bundles, %d error finding%s; index in %s/index.html\n",
			a.ncases, m.nbundles, a.errors, a.errors == 1 ? "" : "s", out);
	int status = r ? EXIT_OUTPUT : (a.errors || partial) ? EXIT_FINDINGS : EXIT_OK;
	analysis_free(&a);
	model_free(&m);
	buf_free(&err);
	return status;
}

static struct json_object *failures_json(const char *out)
{
	struct json_object *arr = json_object_new_array();
	char *dir = xasprintf("%s/work/failed", out);
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	while (d && (de = readdir(d)))
		if (str_has_suffix(de->d_name, ".json") && !strstr(de->d_name, ".tmp.")) {
			names = xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = xasprintf("%s/%s", dir, de->d_name);
		}
	if (d)
		closedir(d);
	for (size_t i = 0; i < n; i++) {
		char *text = read_file(names[i]);
		struct json_object *o = text ? json_tokener_parse(text) : NULL;
		if (o)
			json_object_array_add(arr, o);
		free(text);
		free(names[i]);
	}
	free(names);
	free(dir);
	return arr;
}

static int prepare_out(const char *out)
{
	const char *sub[] = { "work/facts", "work/failed", "cases" };
	for (size_t i = 0; i < 3; i++) {
		char *p = xasprintf("%s/%s", out, sub[i]);
		int r = mkdir_p(p);
		free(p);
		if (r < 0) {
			fprintf(stderr, "pmemmap: cannot create %s: %s\n", out, strerror(errno));
			return -1;
		}
	}
	return 0;
}

int cmd_batch(struct cli *cli)
{
	struct batch b;
	struct ingest in;
	struct extractor x;
	struct model scratch;

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
	if (prepare_out(b.out) < 0) {
		rules_free(&b.rs);
		return EXIT_OUTPUT;
	}
	int sync_fd = output_sync_open(b.out);
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
		char *f = work_path(&b, "facts", j->key), *g = work_path(&b, "failed", j->key);
		/* a facts file counts only if it parses whole: a crash before the
		 * final syncfs can leave it empty or cut, and then it is redone */
		bool have = access(f, F_OK) == 0;
		if (have && !facts_complete(f)) {
			unlink(f);
			have = false;
		}
		if (have || access(g, F_OK) == 0) {
			j->state = have ? JOB_DONE : JOB_FAILED;
			j->cached = true;
			b.done++;
			b.bytes_done += j->size;
			cached++;
		}
		free(f);
		free(g);
	}
	if (!cli->quiet)
		fprintf(stderr, "pmemmap batch: %zu inputs (%zu done by an earlier run), %u workers\n",
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
	json_object_object_add(run, "failures", failures_json(b.out));
	json_object_object_add(run, "workers", json_object_new_int((int)b.workers));
	struct json_object *timing = json_object_new_object();
	json_object_object_add(timing, "extract_seconds", json_object_new_double(extract_s));
	json_object_object_add(run, "timings", timing);
	int status = phase2(b.out, b.rs.digest, run, cli->quiet, b.workers, sync_fd);
	if (sync_fd >= 0)
		close(sync_fd);
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

/* Copy the work files of a partial run into out/work. */
static int merge_from(const char *src, const char *out, const char *kind)
{
	char *dir = xasprintf("%s/work/%s", src, kind);
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = 0;
	if (!d) {
		fprintf(stderr, "pmemmap merge: %s: not a batch output (%s)\n", src, strerror(errno));
		free(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!str_has_suffix(de->d_name, ".json") || strstr(de->d_name, ".tmp."))
			continue;
		char *from = xasprintf("%s/%s", dir, de->d_name);
		char *to = xasprintf("%s/work/%s/%s", out, kind, de->d_name);
		char *text = read_file(from);
		if (text && access(to, F_OK) != 0)
			r |= write_text_nosync(to, text);
		free(text);
		free(from);
		free(to);
	}
	closedir(d);
	free(dir);
	return r;
}

int cmd_merge(struct cli *cli)
{
	struct ruleset rs;
	const char *out = cli->output;

	if (!out) {
		fprintf(stderr, "pmemmap merge: give the merged folder with -o OUTDIR\n");
		return EXIT_USAGE;
	}
	if (prepare_out(out) < 0)
		return EXIT_OUTPUT;
	int sync_fd = output_sync_open(out);
	for (int i = 0; i < cli->ninputs; i++) {
		char *a = realpath(cli->inputs[i], NULL), *b = realpath(out, NULL);
		bool same = a && b && !strcmp(a, b);
		free(a);
		free(b);
		if (!same && (merge_from(cli->inputs[i], out, "facts") < 0 ||
			      merge_from(cli->inputs[i], out, "failed") < 0)) {
			if (sync_fd >= 0)
				close(sync_fd);
			return EXIT_USAGE;
		}
	}
	rules_init(&rs);
	const char *digest = load_rules_for(cli, &rs) ? "unknown" : rs.digest;
	struct json_object *run = json_object_new_object();
	json_object_object_add(run, "merged_from", json_object_new_int(cli->ninputs));
	json_object_object_add(run, "failures", failures_json(out));
	int status = phase2(out, digest, run, cli->quiet, cli->jobs ? cli->jobs : 1, sync_fd);
	if (sync_fd >= 0)
		close(sync_fd);
	json_object_put(run);
	rules_free(&rs);
	return status;
}
