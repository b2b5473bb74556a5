/* pipeline.c: a revision's move in one round trip on PostgreSQL.
 *
 * Over a real link, what an upgrade costs is the number of times the
 * client waits for the server.  Sent one by one, a revision costs BEGIN,
 * each statement, the version-table change with retort's row, and
 * COMMIT: a round trip each.  rt_step_move() (step.c) instead gathers them
 * here and sends them together (db_exec_each: one simple query), so a
 * plain transactional revision costs one round trip.  What needs the
 * server's answer before going on sends what was gathered first: an `if`
 * (its condition is a query), a checked data statement (its rows), a
 * `call` (application code on the connection), and reading the branches a
 * downgrade undoes.  `transaction none` revisions and SQLite (no round
 * trips to save) do not gather.
 *
 * A failure names what failed exactly as running the texts one by one
 * would have: the failing statement of the revision (rt_step_fail), or
 * "starting a transaction", "updating the version table", "committing".
 * The server skips everything after it, COMMIT included, and the caller
 * rolls the transaction back. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int rt_pipe_fits(const retort *r, const retort_revision *v)
{
    return r->db && r->db->dialect == RETORT_POSTGRESQL && v->transactional;
}

void rt_pipe_init(rt_pipe *p, retort *r, unsigned rev)
{
    memset(p, 0, sizeof *p);
    p->r = r;
    p->rev = rev;
}

/* Forgets what was gathered, keeping the arrays. */
static void pipe_empty(rt_pipe *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->owned[i]);
    p->n = 0;
}

void rt_pipe_free(rt_pipe *p)
{
    pipe_empty(p);
    free(p->st);
    free(p->kind);
    free(p->owned);
    p->st = NULL;
    p->kind = NULL;
    p->owned = NULL;
    p->cap = 0;
}

int rt_pipe_add(rt_pipe *p, enum rt_pipe_kind kind, const char *sql,
                unsigned count, int copy)
{
    char *own = NULL;
    if (p->n == p->cap) {
        size_t cap = p->cap * 2 + 16;
        db_stmt *st = realloc(p->st, cap * sizeof *st);
        if (st)
            p->st = st;
        unsigned char *k = st ? realloc(p->kind, cap) : NULL;
        if (k)
            p->kind = k;
        char **o = k ? realloc(p->owned, cap * sizeof *o) : NULL;
        if (!o)
            return rt_fail(p->r, RETORT_ENOMEM, "out of memory");
        p->owned = o;
        p->cap = cap;
    }
    if (copy && !(own = strdup(sql)))
        return rt_fail(p->r, RETORT_ENOMEM, "out of memory");
    p->st[p->n].sql = own ? own : sql;
    p->st[p->n].count = count;
    p->kind[p->n] = (unsigned char)kind;
    p->owned[p->n] = own;
    p->n++;
    return 0;
}

unsigned rt_pipe_count(const char *sql)
{
    const char *s = sql;
    /* No ';' at all: at most one statement.  One at least unless it is
     * blank or starts with a comment (a comment alone is none; the server
     * answers nothing for it, and counting it would shift every later
     * answer).  Anything else the server counts (a marker follows). */
    if (strchr(s, ';'))
        return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s || (s[0] == '-' && s[1] == '-') || (s[0] == '/' && s[1] == '*'))
        return 0;
    return 1;
}

int rt_pipe_flush(rt_pipe *p)
{
    retort *r;
    size_t failed = 0;
    int rc = 0;
    if (!p || p->n == 0)
        return 0;
    r = p->r;
    if (db_exec_each(r->db, p->st, p->n, &failed) < 0) {
        switch ((enum rt_pipe_kind)p->kind[failed]) {
        case RT_PIPE_BEGIN:
            rc = rt_fail_db(r, "starting a transaction");
            break;
        case RT_PIPE_STEP:
            rc = rt_step_fail(r, p->rev, p->st[failed].sql, r->db);
            break;
        case RT_PIPE_BOOK:
            rc = rt_fail_db(r, "updating the version table");
            break;
        case RT_PIPE_COMMIT:
            rc = rt_fail_db(r, "committing");
            break;
        }
        if (rc == 0)
            rc = RETORT_ERROR;
    }
    pipe_empty(p);
    return rc;
}
