/* fanout.c: one command on many databases (SPEC section 6, "Fan-out").
 *
 * The migrator's --url (repeated) and --urls-from hand this module a list
 * of URLs and a command (cli.c).  Each database gets a handle of its own,
 * in a thread of its own (--jobs N threads take the next database as they
 * finish one), with the command's output and progress lines written to
 * buffers of its own.  The results are printed in the order of the list,
 * whatever order the databases finish in: one line each, the command's
 * output under it where it says more (a failure, or -v), and a summary.
 * Nothing here is global: every thread touches its own job and handle, and
 * the pool's counter and the jobs' states are read and written under the
 * pool's mutex.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

enum job_state { JOB_WAITING, JOB_RUNNING, JOB_DONE };

typedef struct job {
    const char *url;
    enum job_state state;      /* under the pool's mutex once threads run */
    int rc;
    retort_status_info *before, *after;   /* NULL when not read */
    double seconds;
    char err[RT_ERRMAX];
    char *out;                 /* the command's own output */
    size_t out_len;
    char *log;                 /* its progress lines */
    size_t log_len;
} job;

typedef struct pool {
    const rt_fanout *f;
    job *jobs;
    size_t next;               /* the next job to start */
    int stop;                  /* --fail-fast: start no more */
    pthread_mutex_t mu;
    pthread_cond_t done;       /* a job became JOB_DONE */
} pool;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the command on one database, start to end, on its own handle;
 * everything it says lands in the job. */
static void run_job(const rt_fanout *f, job *j)
{
    retort *r = NULL;
    retort_options o = f->opts;
    FILE *out = open_memstream(&j->out, &j->out_len);
    FILE *log = open_memstream(&j->log, &j->log_len);
    double start = now_s();
    int rc;
    if (!out || !log) {
        rc = RETORT_ENOMEM;
        goto cleanup;
    }
    o.log = log;
    rc = retort_new(&r, f->history, &o);
    if (rc == 0)
        rc = retort_connect(r, j->url);
    /* The revisions before, for "from -> to"; a failure to read them is
     * the command's to report. */
    if (rc == 0 && f->moves && retort_status(r, &j->before) < 0)
        j->before = NULL;
    if (rc == 0)
        rc = f->run(r, out, f->ctx);
    if (rc < 0)
        snprintf(j->err, sizeof j->err, "%s", r ? retort_errmsg(r) : "out of memory");
    /* Where it ended, also after a failure (an upgrade stopped half-way).
     * Reading it may replace the handle's message: err was kept above. */
    if (r && r->db && retort_status(r, &j->after) < 0)
        j->after = NULL;
cleanup:
    if (rc == RETORT_ENOMEM && !j->err[0])
        snprintf(j->err, sizeof j->err, "out of memory");
    j->rc = rc;
    retort_free(r);
    if (out)
        fclose(out);
    if (log)
        fclose(log);
    j->seconds = now_s() - start;
}

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stop && p->next < p->f->count) {
        job *j = &p->jobs[p->next++];
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        run_job(p->f, j);
        pthread_mutex_lock(&p->mu);
        j->state = JOB_DONE;
        if (j->rc < 0 && p->f->fail_fast)
            p->stop = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* The revision ids of n as "a, b", or "base". */
static void put_revs(FILE *o, const char *const *ids, unsigned n)
{
    if (n == 0)
        fputs("base", o);
    for (unsigned i = 0; i < n; i++)
        fprintf(o, "%s%s", i ? ", " : "", ids[i]);
}

/* buf[0..len) with every line indented by four spaces. */
static void put_indented(FILE *o, const char *buf, size_t len)
{
    int start = 1;
    for (size_t i = 0; i < len; i++) {
        if (start)
            fputs("    ", o);
        fputc(buf[i], o);
        start = buf[i] == '\n';
    }
    if (!start)
        fputc('\n', o);
}

static void print_text(FILE *o, const rt_fanout *f, const job *j, const char *shown)
{
    const retort_status_info *a = j->after;
    if (j->state != JOB_DONE) {
        fprintf(o, "skipped %s: not started (--fail-fast)\n", shown);
        return;
    }
    if (j->rc < 0) {
        fprintf(o, "FAILED  %s: %s (%.2f s)\n", shown, j->err, j->seconds);
    } else {
        fprintf(o, "ok      %s: ", shown);
        if (f->moves) {
            if (j->before)
                put_revs(o, j->before->current, j->before->current_count);
            else
                fputs("?", o);
            fputs(" -> ", o);
        } else {
            fputs("at ", o);
        }
        if (a)
            put_revs(o, a->current, a->current_count);
        else
            fputs("?", o);
        if (!f->moves && a)
            fprintf(o, a->pending_count ? " (%u pending)" : " (head)", a->pending_count);
        fprintf(o, " (%.2f s)\n", j->seconds);
    }
    /* What the command itself said: its report of what failed (check's
     * differences), or everything with -v. */
    if (f->details || j->rc < 0)
        put_indented(o, j->out, j->out_len);
    if (f->details)
        put_indented(o, j->log, j->log_len);
}

static void json_revs(FILE *o, const char *key, const char *const *ids, unsigned n)
{
    fprintf(o, ", \"%s\": [", key);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            fputs(", ", o);
        rt_json_str(o, ids[i]);
    }
    fputc(']', o);
}

/* A JSON document on one line: its newlines and the indentation after
 * them go (JSON strings hold no raw newline, so none is inside one). */
static void put_one_line(FILE *o, const char *buf, size_t len)
{
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        len--;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] != '\n') {
            fputc(buf[i], o);
            continue;
        }
        while (i + 1 < len && buf[i + 1] == ' ')
            i++;
    }
}

/* One object a line: url, status (ok, failed, not_started), seconds,
 * error; from and to (upgrade, downgrade, stamp) or current and pending;
 * result, the command's own JSON document (current, status, check), or
 * output, its text (verify). */
static void print_json(FILE *o, const rt_fanout *f, const job *j, const char *shown)
{
    const retort_status_info *a = j->after;
    fputs("{\"url\": ", o);
    rt_json_str(o, shown);
    fprintf(o, ", \"status\": \"%s\"", j->state != JOB_DONE ? "not_started"
            : j->rc < 0 ? "failed" : "ok");
    if (j->state != JOB_DONE) {
        fputs("}\n", o);
        return;
    }
    fprintf(o, ", \"seconds\": %.3f, \"error\": ", j->seconds);
    if (j->rc < 0)
        rt_json_str(o, j->err);
    else
        fputs("null", o);
    if (f->moves && j->before)
        json_revs(o, "from", j->before->current, j->before->current_count);
    if (a)
        json_revs(o, f->moves ? "to" : "current", a->current, a->current_count);
    if (!f->moves && a)
        json_revs(o, "pending", a->pending, a->pending_count);
    if (j->out_len > 0 && f->json_result) {
        fputs(", \"result\": ", o);
        put_one_line(o, j->out, j->out_len);
    } else if (j->out_len > 0) {
        fputs(", \"output\": ", o);
        rt_json_str(o, j->out);
    }
    fputs("}\n", o);
}

/* Prints job j and lets go of what it holds; counts it. */
static void report(FILE *o, const rt_fanout *f, job *j, size_t *ok, size_t *failed)
{
    char *shown = rt_url_redact(j->url);
    const char *s = shown ? shown : "(out of memory)";
    if (f->json)
        print_json(o, f, j, s);
    else
        print_text(o, f, j, s);
    if (j->state == JOB_DONE)
        ++*(j->rc < 0 ? failed : ok);
    retort_status_free(j->before);
    retort_status_free(j->after);
    free(j->out);
    free(j->log);
    j->before = j->after = NULL;
    j->out = j->log = NULL;
    free(shown);
}

/* "N databases: A ok, B failed (url, url), C not started". */
static void summary(FILE *o, const rt_fanout *f, const job *jobs, size_t ok,
                    size_t failed)
{
    size_t skipped = f->count - ok - failed, k = 0;
    fprintf(o, "%zu database%s: %zu ok, %zu failed", f->count,
            f->count == 1 ? "" : "s", ok, failed);
    for (size_t i = 0; i < f->count && failed; i++) {
        char *shown;
        if (jobs[i].state != JOB_DONE || jobs[i].rc >= 0)
            continue;
        shown = rt_url_redact(jobs[i].url);
        fprintf(o, "%s%s", k++ ? ", " : " (", shown ? shown : "(out of memory)");
        free(shown);
    }
    if (failed)
        fputc(')', o);
    if (skipped)
        fprintf(o, ", %zu not started (--fail-fast)", skipped);
    fputc('\n', o);
}

int rt_fanout_main(const rt_fanout *f, FILE *out, FILE *err)
{
    job *jobs = calloc(f->count ? f->count : 1, sizeof *jobs);
    pthread_t threads[RT_FANOUT_MAX_JOBS];
    unsigned started = 0, want = f->jobs < 1 ? 1 : f->jobs;
    size_t ok = 0, failed = 0;
    pool p;
    if (!jobs) {
        fputs("error: out of memory\n", err);
        return 1;
    }
    for (size_t i = 0; i < f->count; i++)
        jobs[i].url = f->urls[i];
    if (want > RT_FANOUT_MAX_JOBS)
        want = RT_FANOUT_MAX_JOBS;
    if (want > f->count)
        want = (unsigned)f->count;
    memset(&p, 0, sizeof p);
    p.f = f;
    p.jobs = jobs;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.done, NULL);
    for (unsigned t = 0; want > 1 && t < want; t++)
        if (pthread_create(&threads[t], NULL, worker, &p) == 0)
            started++;
    for (size_t i = 0; i < f->count; i++) {
        job *j = &jobs[i];
        if (started == 0) {
            /* --jobs 1 (or no thread could start): here, in order. */
            if (!p.stop) {
                run_job(f, j);
                j->state = JOB_DONE;
                if (j->rc < 0 && f->fail_fast)
                    p.stop = 1;
            }
        } else {
            pthread_mutex_lock(&p.mu);
            while (j->state == JOB_RUNNING || (j->state == JOB_WAITING && !p.stop))
                pthread_cond_wait(&p.done, &p.mu);
            pthread_mutex_unlock(&p.mu);
        }
        report(out, f, j, &ok, &failed);
        fflush(out);
    }
    for (unsigned t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    summary(f->json ? err : out, f, jobs, ok, failed);
    pthread_cond_destroy(&p.done);
    pthread_mutex_destroy(&p.mu);
    free(jobs);
    return ok == f->count ? 0 : 1;
}
