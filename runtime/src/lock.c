/* lock.c: the migration lock, which keeps two migrators from moving one
 * database at once.  On SQLite the database's own write lock (db_lock);
 * on PostgreSQL an advisory lock keyed by the version table.  Two forms
 * there: on a direct connection a session lock held for the whole command
 * (rt_lock_take); through a connection pooler, where a session lock would
 * stay on whichever server connection took it, a transaction-scoped lock
 * taken again by every transaction that writes the bookkeeping
 * (rt_lock_tx_begin).  rt_lock_probe tells the two apart.  Prefix
 * rt_lock_. */
#include <string.h>

#include "internal.h"

/* One line for every waiter that gave up: the same words whichever
 * form of the lock it waited for. */
int rt_lock_gave_up(retort *r, const char *holder)
{
    return rt_fail(r, RETORT_ELOCKED, "gave up waiting for the migration lock on %s "
                   "after %g s: another migrator holds it%s%s%s",
                   r->url_shown ? r->url_shown : "the database",
                   r->lock_timeout_ms > 0 ? r->lock_timeout_ms / 1000.0 : 0.0,
                   holder && *holder ? " (" : "", holder ? holder : "",
                   holder && *holder ? ")" : "");
}

/* An advisory-lock key per version table: FNV-1a of "retort:" + its
 * schema-qualified name (tenant.c found the schema). */
long long rt_lock_key(const retort *r)
{
    unsigned long long h = 1469598103934665603ULL;
    int qualify = r->schema[0] && !strchr(r->vt, '.');
    const char *parts[4] = {"retort:", qualify ? r->schema : "", qualify ? "." : "",
                            r->vt};
    for (int k = 0; k < 4; k++)
        for (const char *p = parts[k]; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 1099511628211ULL;
        }
    return (long long)(h & 0x7fffffffffffffffULL);
}

/* Asked once per connection: the answer decides the lock's form. */
int rt_lock_probe(retort *r)
{
    if (r->probed || r->db->dialect != RETORT_POSTGRESQL)
        return 0;
    if (rt_db_postgresql_probe(r->db, &r->in_recovery, &r->pooled) < 0)
        return rt_fail_db(r, "asking the server whether it is a standby");
    r->probed = 1;
    if (r->pooled && r->verbosity > 0)
        rt_log(r, "-- a connection pooler sits between: the migration lock is taken "
               "by each transaction");
    return 0;
}

/* Through a pooler: a transaction holding the migration lock, which ends
 * with it.  Says once per handle that it waits, as rt_lock_take() does. */
static int locked_begin(retort *r)
{
    int rc = rt_db_postgresql_xact_lock(r->db, rt_lock_key(r), -1, 0);
    if (rc == RETORT_ELOCKED && r->lock_timeout_ms >= 0) {
        const char *holder = db_errmsg(r->db);
        if (!r->lock_waited)
            rt_log(r, "Waiting for the migration lock on %s: another migrator holds "
                   "it%s%s%s", r->url_shown ? r->url_shown : "the database",
                   *holder ? " (" : "", holder, *holder ? ")" : "");
        r->lock_waited = 1;
        rc = rt_db_postgresql_xact_lock(r->db, rt_lock_key(r), r->lock_timeout_ms, 0);
    }
    if (rc < 0)
        return rc == RETORT_ELOCKED ? rt_lock_gave_up(r, db_errmsg(r->db))
                                    : rt_fail_db(r, "taking the migration lock");
    return 0;
}

/* A transaction that writes the version table or retort's own: under
 * the migration lock when a pooler sits between (the session lock of
 * rt_lock_take() is not taken there); `what` names a failure to begin. */
int rt_lock_tx_begin(retort *r, const char *what)
{
    if (r->pooled)
        return locked_begin(r);
    if (db_begin(r->db) < 0)
        return rt_fail_db(r, what);
    return 0;
}

/* The command's lock, before anything reads the bookkeeping, so that a
 * migrator that waited sees what the other one did. */
int rt_lock_take(retort *r, int *locked)
{
    int rc;
    *locked = 0;
    if (r->pooled)
        return locked_begin(r);
    /* A first try that does not wait, so that a migrator about to wait
     * says so, and for whom (PostgreSQL names the holder's backend). */
    rc = db_lock(r->db, rt_lock_key(r), -1);
    if (rc == RETORT_ELOCKED && r->lock_timeout_ms >= 0) {
        const char *holder = db_errmsg(r->db);
        rt_log(r, "Waiting for the migration lock on %s: another migrator holds it%s%s%s",
               r->url_shown ? r->url_shown : "the database", *holder ? " (" : "",
               holder, *holder ? ")" : "");
        rc = db_lock(r->db, rt_lock_key(r), r->lock_timeout_ms);
    }
    if (rc < 0)
        return rc == RETORT_ELOCKED ? rt_lock_gave_up(r, db_errmsg(r->db))
                                    : rt_fail_db(r, "taking the migration lock");
    *locked = 1;
    return 0;
}

/* Only the session form needs releasing; the pooled form ended with
 * its transaction. */
void rt_lock_release(retort *r, int locked)
{
    if (locked)
        db_unlock(r->db, rt_lock_key(r));
}
