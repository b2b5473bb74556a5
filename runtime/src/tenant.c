/* tenant.c: the schema a PostgreSQL connection works in.
 *
 * Schema-per-tenant (SPEC section 6, "Fan-out"): a URL names the tenant
 * through libpq's options, `?options=-csearch_path%3Dtenant_42`, and every
 * unqualified name the migrator writes (the version table, retort's own
 * table, the revisions' tables) lands in the first schema of that
 * search_path.  PostgreSQL skips a search_path schema that does not exist
 * (or that the role may not use) without a word, so a misspelt tenant
 * would silently be migrated in the next schema of the path, `public`
 * often.  rt_tenant_schema() refuses that at connect time, and keeps the
 * schema on the handle: the migration lock's key includes it, so that
 * tenants of one database do not wait for each other's migrations.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct session {
    char current[128];      /* current_schema(), "" when NULL */
    char path[1024];        /* current_setting('search_path') */
    char user[128];         /* current_user */
    int got;
} session;

static int take_session(void *ctx, int n, const char *const *v)
{
    session *s = ctx;
    if (n < 3)
        return 0;
    snprintf(s->current, sizeof s->current, "%s", v[0] ? v[0] : "");
    snprintf(s->path, sizeof s->path, "%s", v[1] ? v[1] : "");
    snprintf(s->user, sizeof s->user, "%s", v[2] ? v[2] : "");
    s->got = 1;
    return 0;
}

/* The next search_path entry after *p as PostgreSQL reads it (quotes
 * removed, "" as ", an unquoted name lower-cased) into out; 0 when the
 * list is over. */
static int next_entry(const char **p, char *out, size_t cap)
{
    const char *s = *p;
    size_t o = 0;
    while (*s == ' ' || *s == '\t' || *s == ',')
        s++;
    if (!*s)
        return 0;
    if (*s == '"') {
        for (s++; *s; s++) {
            if (*s == '"' && s[1] == '"')
                s++;
            else if (*s == '"') {
                s++;
                break;
            }
            if (o + 1 < cap)
                out[o++] = *s;
        }
    }
    for (; *s && *s != ','; s++)
        if (*s != ' ' && *s != '\t' && o + 1 < cap)
            out[o++] = (*s >= 'A' && *s <= 'Z') ? (char)(*s + 32) : *s;
    out[o] = '\0';
    *p = s;
    return 1;
}

/* Reads the session's current schema into r->schema; fails (one line)
 * when a schema the search_path names before it is missing, or when none
 * is there at all.  Runs before the crash hook counts statements. */
int rt_tenant_schema(retort *r, db *d)
{
    session s = {0};
    char name[128];
    const char *p;
    if (d->dialect != RETORT_POSTGRESQL) {
        r->schema[0] = '\0';
        return 0;
    }
    if (db_query(d, "SELECT pg_catalog.current_schema(), "
                 "pg_catalog.current_setting('search_path'), current_user",
                 0, NULL, take_session, &s) < 0)
        return rt_fail_db_as(r, d, "reading the search_path", NULL);
    p = s.path;
    while (next_entry(&p, name, sizeof name)) {
        if (s.current[0] && !strcmp(name, "$user") && !strcmp(s.user, s.current))
            break;
        if (!strcmp(name, "$user"))
            continue;         /* PostgreSQL skips it when there is no such schema */
        if (s.current[0] && !strcmp(name, s.current))
            break;
        return rt_fail(r, RETORT_ERROR, "the schema \"%s\" of the search_path "
                       "(%s) does not exist or the role may not use it: "
                       "create it first (the migrator would work in %s%s%s)",
                       name, s.path,
                       s.current[0] ? "\"" : "", s.current[0] ? s.current : "no schema",
                       s.current[0] ? "\"" : "");
    }
    if (!s.current[0])
        return rt_fail(r, RETORT_ERROR, "no schema of the search_path (%s) "
                       "exists: create the schema first",
                       s.path);
    snprintf(r->schema, sizeof r->schema, "%s", s.current);
    return 0;
}
