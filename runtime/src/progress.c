/*
 * progress.c: the progress of upgrade and downgrade on a terminal.
 *
 * Not on a terminal (a log, a pipe, CI), the migrator writes Alembic's
 * plain "Running upgrade A -> B, message" lines and nothing else, so that
 * scripts reading them keep working.  On a terminal each line also says
 * where the run is ([3/17]) and, when the revision is done, how long it
 * took; a summary line ends the run.  With -v the statements come between
 * the line and its time, so the time gets a line of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void rt_progress_begin(retort *r, unsigned total)
{
    r->progress.total = 0;
    r->progress.n = 0;
    r->progress.open = 0;
    if (r->verbosity < 0 || !r->log || !isatty(fileno(r->log)))
        return;
    r->progress.total = total;
    r->progress.run_start = now();
}

void rt_progress_line(retort *r, const char *fmt, ...)
{
    va_list ap;
    if (r->verbosity < 0)
        return;
    va_start(ap, fmt);
    if (!r->progress.total) {
        vfprintf(r->log, fmt, ap);
        fputc('\n', r->log);
    } else {
        fprintf(r->log, "[%u/%u] ", ++r->progress.n, r->progress.total);
        vfprintf(r->log, fmt, ap);
        if (r->verbosity > 0)
            fputc('\n', r->log);
        else
            r->progress.open = 1;
        r->progress.start = now();
    }
    va_end(ap);
    fflush(r->log);
}

void rt_progress_done(retort *r, int ok)
{
    if (!r->progress.total || !r->progress.n)
        return;
    double s = now() - r->progress.start;
    if (r->progress.open)
        fprintf(r->log, ok ? " (%.2f s)\n" : " failed after %.2f s\n", s);
    else
        fprintf(r->log, ok ? "[%u/%u] done in %.2f s\n" : "[%u/%u] failed after %.2f s\n",
                r->progress.n, r->progress.total, s);
    r->progress.open = 0;
    fflush(r->log);
}

void rt_progress_end(retort *r, unsigned moved, int down)
{
    if (r->progress.total && moved)
        fprintf(r->log, "%s %u revision%s in %.2f s\n", down ? "Downgraded" : "Upgraded",
                moved, moved == 1 ? "" : "s", now() - r->progress.run_start);
    r->progress.total = 0;
}
