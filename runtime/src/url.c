/* url.c: database URLs, and keeping passwords out of every message. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* See retort.h. */
int retort_dialect_parse(const char *name)
{
    if (!name)
        return -1;
    if (strcmp(name, "sqlite") == 0)
        return RETORT_SQLITE;
    if (strcmp(name, "postgresql") == 0 || strcmp(name, "postgres") == 0)
        return RETORT_POSTGRESQL;
    return -1;
}

/* SQLAlchemy's driver suffixes (`postgresql+psycopg2://`) that name a
 * Python driver of the same database: the migrator speaks to the
 * database itself, so the suffix changes nothing and is dropped.  Others
 * (an encrypting pysqlcipher, a driver for another database) are
 * refused by rt_url_parse(). */
static const struct { int dialect; const char *driver; } drivers[] = {
    {RETORT_SQLITE, "pysqlite"}, {RETORT_SQLITE, "aiosqlite"},
    {RETORT_POSTGRESQL, "psycopg2"}, {RETORT_POSTGRESQL, "psycopg"},
    {RETORT_POSTGRESQL, "asyncpg"}, {RETORT_POSTGRESQL, "pg8000"},
    {RETORT_POSTGRESQL, "psycopg2cffi"}};

/* The dialect of the scheme's database part (before any '+driver'), or
 * -1; *driver and *driver_len the suffix (0 when none). */
static int scheme_dialect(const char *url, const char **driver, size_t *driver_len)
{
    size_t n = strcspn(url, ":+");
    *driver = NULL;
    *driver_len = 0;
    if (url[n] == '+') {
        *driver = url + n + 1;
        *driver_len = strcspn(*driver, ":");
        if ((*driver)[*driver_len] != ':')
            return -1;
    } else if (url[n] != ':') {
        return -1;
    }
    if (n == 6 && !strncmp(url, "sqlite", 6))
        return RETORT_SQLITE;
    if ((n == 10 && !strncmp(url, "postgresql", 10)) ||
        (n == 8 && !strncmp(url, "postgres", 8)))
        return RETORT_POSTGRESQL;
    return -1;
}

int rt_url_dialect(const char *url)
{
    const char *driver;
    size_t len;
    return scheme_dialect(url, &driver, &len);
}

/* url without a known driver suffix (malloc'd), or NULL with the reason
 * in err when the suffix is not one for this dialect (or out of memory:
 * err ""). */
static char *drop_driver(const char *url, const char *shown, char *err,
                         size_t errlen)
{
    const char *driver;
    size_t len, n;
    int d = scheme_dialect(url, &driver, &len);
    char *out;
    err[0] = '\0';
    if (driver) {
        size_t k;
        for (k = 0; k < sizeof drivers / sizeof drivers[0]; k++)
            if (drivers[k].dialect == d && strlen(drivers[k].driver) == len &&
                !strncmp(drivers[k].driver, driver, len))
                break;
        if (k == sizeof drivers / sizeof drivers[0]) {
            snprintf(err, errlen, "unsupported driver '%.*s' in '%s' (the migrator "
                     "talks to the database itself; it accepts %s)", (int)(len > 40 ? 40 : len),
                     driver, shown, d == RETORT_SQLITE ? "sqlite+pysqlite and sqlite+aiosqlite"
                     : "postgresql+psycopg2, +psycopg, +asyncpg, +pg8000 and +psycopg2cffi");
            return NULL;
        }
    }
    out = malloc(strlen(url) + 1);
    if (!out)
        return NULL;
    n = driver ? (size_t)(driver - 1 - url) : 0;
    if (driver) {
        memcpy(out, url, n);
        strcpy(out + n, driver + len);
    } else {
        strcpy(out, url);
    }
    return out;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into a new string; *bad is set when an escape
 * is malformed (then kept as written, as the caller refuses the URL). */
static char *decode(const char *s, size_t n, int *bad)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            if (s[i] == '%' && bad)
                *bad = 1;
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* Where the secrets of a URL are.  A password can stand in the userinfo
 * (user:PASS@host) or in any number of password= parameters, the key
 * itself percent-encoded or not (libpq decodes keys: %70assword=).
 * Byte ranges [start, end) of url. */
#define URL_MAX_SPANS 16
typedef struct spans {
    size_t start[URL_MAX_SPANS], end[URL_MAX_SPANS];
    size_t cut[URL_MAX_SPANS];  /* where removing it starts: ':' or the key */
    int n;
    int userinfo;      /* span 0 is the userinfo password */
    size_t query;      /* offset of the query's '?', or strlen(url) */
} spans;

static void add_span(spans *sp, size_t cut, size_t a, size_t b)
{
    if (sp->n < URL_MAX_SPANS) {
        sp->cut[sp->n] = cut;
        sp->start[sp->n] = a;
        sp->end[sp->n] = b;
        sp->n++;
    }
}

/* The userinfo password as libpq reads it, widened for what libpq would
 * misread: the userinfo ends at the last '@' before the host part.  A
 * password may hold an unencoded '/', '?' or '@' (SQLAlchemy reads
 * postgresql://u:pa/ss@h as password "pa/ss"); a '@' that follows both a
 * '/' and a '?' is taken as part of the query (?user=me@corp). */
static void find_userinfo(const char *url, spans *sp)
{
    const char *s = strstr(url, "://"), *first_at, *slash, *qm, *end;
    size_t stop;
    sp->query = strlen(url);
    if (!s)
        return;
    s += 3;
    first_at = strchr(s, '@');
    slash = strchr(s, '/');
    qm = strchr(s, '?');
    if (!first_at || (slash && slash < first_at && qm && qm < first_at)) {
        if (qm)
            sp->query = (size_t)(qm - url);
        return;
    }
    /* The last '@' before the first '/' or '?' that follows first_at. */
    stop = strcspn(first_at, "/?#");
    end = first_at;
    for (size_t i = 0; i < stop; i++)
        if (first_at[i] == '@')
            end = first_at + i;
    qm = strchr(end, '?');
    if (qm)
        sp->query = (size_t)(qm - url);
    const char *colon = memchr(s, ':', (size_t)(end - s));
    if (colon) {
        add_span(sp, (size_t)(colon - url), (size_t)(colon + 1 - url),
                 (size_t)(end - url));
        sp->userinfo = 1;
    }
}

/* Every password= parameter after `from`, its key decoded. */
static void find_params(const char *url, size_t from, spans *sp)
{
    const char *q = url + from;
    while ((q = strpbrk(q, "?&")) != NULL) {
        q++;
        size_t klen = strcspn(q, "=&#");
        if (q[klen] != '=') {
            q += klen;
            continue;
        }
        char *key = decode(q, klen, NULL);
        int is_pw = key && strcmp(key, "password") == 0;
        free(key);
        if (is_pw) {
            size_t a = (size_t)(q + klen + 1 - url);
            add_span(sp, (size_t)(q - url), a, a + strcspn(q + klen + 1, "&#"));
        }
        q += klen;
    }
}

/* The secrets a message must not show: the precise spans, plus, for the
 * printed URL only, everything between the first ':' after the scheme and
 * the last '@' whatever the scheme (mysql://u:pa/ss@h), and every
 * password= after any '?'. */
static void find_spans(const char *url, spans *sp, int wide)
{
    memset(sp, 0, sizeof *sp);
    find_userinfo(url, sp);
    find_params(url, wide ? 0 : sp->query, sp);
    if (wide) {
        const char *s = strstr(url, "://");
        const char *at = s ? strrchr(s + 3, '@') : NULL;
        const char *colon = at ? memchr(s + 3, ':', (size_t)(at - s - 3)) : NULL;
        if (colon)
            add_span(sp, (size_t)(colon - url), (size_t)(colon + 1 - url),
                     (size_t)(at - url));
    }
}

char *rt_url_redact(const char *url)
{
    size_t n = strlen(url), o = 0;
    spans sp;
    unsigned char *hide = calloc(n + 1, 1);
    char *out = malloc(n * 3 + 4);
    if (!hide || !out) {
        free(hide);
        free(out);
        return NULL;
    }
    find_spans(url, &sp, 1);
    for (int k = 0; k < sp.n; k++)
        for (size_t i = sp.start[k]; i < sp.end[k]; i++)
            hide[i] = 1;
    for (size_t i = 0; i < n; i++) {
        if (!hide[i])
            out[o++] = url[i];
        else if (i == 0 || !hide[i - 1]) {
            memcpy(out + o, "***", 3);
            o += 3;
        }
    }
    out[o] = '\0';
    free(hide);
    return out;
}

void rt_url_scrub(char *msg, size_t cap, const char *secrets)
{
    if (!secrets || cap < 4)
        return;
    for (const char *secret = secrets; *secret; secret += strlen(secret) + 1) {
        size_t sl = strlen(secret);
        char *from = msg, *p;
        while ((p = strstr(from, secret)) != NULL) {
            size_t len = strlen(msg), tail = strlen(p + sl);
            if ((size_t)(p - msg) + 4 > cap) {
                *p = '\0';
                break;
            }
            /* A short secret grows the message: cut the tail to fit cap. */
            if (len - sl + 3 >= cap)
                tail = cap - 1 - (size_t)(p - msg) - 3;
            memmove(p + 3, p + sl, tail);
            p[3 + tail] = '\0';
            memcpy(p, "***", 3);
            from = p + 3;
        }
    }
}

void rt_url_info_clear(url_info *u)
{
    if (u->password) {
        memset(u->password, 0, strlen(u->password));
        free(u->password);
    }
    if (u->secrets) {
        memset(u->secrets, 0, u->secrets_len);
        free(u->secrets);
    }
    free(u->target);
    free(u->shown);
    memset(u, 0, sizeof *u);
}

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Appends s[0..n) to the NUL-separated list (ending in an empty string)
 * unless empty or already there. */
static int secrets_add(url_info *u, const char *s, size_t n)
{
    size_t have = u->secrets_len;
    char *grown;
    if (n == 0)
        return 0;
    for (const char *p = u->secrets; p && *p; p += strlen(p) + 1)
        if (strlen(p) == n && memcmp(p, s, n) == 0)
            return 0;
    /* Longer first: scrubbing "pw" must not break "pw%41" apart. */
    grown = malloc(have + n + 2);
    if (!grown)
        return RETORT_ENOMEM;
    size_t o = 0;
    const char *p = u->secrets;
    for (; p && *p && strlen(p) >= n; p += strlen(p) + 1) {
        memcpy(grown + o, p, strlen(p) + 1);
        o += strlen(p) + 1;
    }
    memcpy(grown + o, s, n);
    grown[o + n] = '\0';
    o += n + 1;
    for (; p && *p; p += strlen(p) + 1) {
        memcpy(grown + o, p, strlen(p) + 1);
        o += strlen(p) + 1;
    }
    grown[o++] = '\0';
    if (u->secrets) {
        memset(u->secrets, 0, u->secrets_len);
        free(u->secrets);
    }
    u->secrets = grown;
    u->secrets_len = o;
    return 0;
}

/* Every secret of the URL as written and decoded, for rt_url_scrub. */
static int collect_secrets(url_info *u, const char *url)
{
    spans sp;
    find_spans(url, &sp, 1);
    for (int k = 0; k < sp.n; k++) {
        size_t n = sp.end[k] - sp.start[k];
        char *d = decode(url + sp.start[k], n, NULL);
        int rc = d ? secrets_add(u, url + sp.start[k], n) : RETORT_ENOMEM;
        if (rc == 0)
            rc = secrets_add(u, d, strlen(d));
        if (d) {
            memset(d, 0, strlen(d));
            free(d);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* The PostgreSQL URL for libpq without any password (which goes to libpq
 * as a keyword of its own, so that no libpq message can echo it, encoded
 * or not), and the password libpq would use: the last one written. */
static int pg_split(url_info *u, const char *url, char *err, size_t errlen)
{
    size_t n = strlen(url), o = 0;
    spans sp;
    unsigned char *drop = calloc(n + 1, 1);
    int rc = 0;
    find_spans(url, &sp, 0);
    u->target = malloc(n + 1);
    if (!drop || !u->target) {
        free(drop);
        return RETORT_ENOMEM;
    }
    for (int k = 0; k < sp.n; k++) {
        int bad = 0;
        char *pw = decode(url + sp.start[k], sp.end[k] - sp.start[k], &bad);
        if (!pw) {
            rc = RETORT_ENOMEM;
            break;
        }
        if (bad) {
            memset(pw, 0, strlen(pw));
            free(pw);
            snprintf(err, errlen, "malformed %%-escape in the password of '%s' "
                     "(write %% as %%25)", u->shown);
            rc = RETORT_EUSAGE;
            break;
        }
        if (u->password) {
            memset(u->password, 0, strlen(u->password));
            free(u->password);
        }
        u->password = pw;
        /* user:PASS@ loses ":PASS"; a parameter loses itself and one
         * separator, so that the query stays well formed. */
        size_t a = sp.cut[k], b = sp.end[k];
        if (!(sp.userinfo && k == 0)) {
            if (url[b] == '&')
                b++;
            else if (a > 0)
                a--;
        }
        for (size_t i = a; i < b; i++)
            drop[i] = 1;
    }
    for (size_t i = 0; i < n; i++)
        if (!drop[i])
            u->target[o++] = url[i];
    u->target[o] = '\0';
    free(drop);
    return rc;
}

int rt_url_parse(url_info *out, const char *typed, char *err, size_t errlen)
{
    int rc = 0;
    int dialect = rt_url_dialect(typed);
    char *owned = NULL;
    const char *url = typed;
    memset(out, 0, sizeof *out);
    out->shown = rt_url_redact(typed);
    if (!out->shown || collect_secrets(out, typed) < 0) {
        rt_url_info_clear(out);
        return RETORT_ENOMEM;
    }
    if (dialect >= 0) {
        if (!(owned = drop_driver(typed, out->shown, err, errlen))) {
            rt_url_info_clear(out);
            return err[0] ? RETORT_EUSAGE : RETORT_ENOMEM;
        }
        url = owned;
    }
    if (!*url) {
        snprintf(err, errlen, "empty database URL (use sqlite:///path.db or "
                 "postgresql://...)");
        rc = RETORT_EUSAGE;
        goto cleanup;
    }
    if (dialect < 0) {
        size_t n = strcspn(out->shown, ":");
        snprintf(err, errlen, "unsupported database URL scheme '%.*s' in '%s' "
                 "(use sqlite:/// or postgresql://)",
                 (int)(n > 40 ? 40 : n), out->shown, out->shown);
        rc = RETORT_EUSAGE;
        goto cleanup;
    }
    out->dialect = (enum retort_dialect)dialect;
    if (dialect == RETORT_SQLITE) {
        /* sqlite:///rel.db -> rel.db, sqlite:////abs.db -> /abs.db,
         * sqlite://:memory: and sqlite:// -> :memory: */
        const char *p;
        if (!has_prefix(url, "sqlite://")) {
            snprintf(err, errlen, "bad SQLite URL '%s' (expected sqlite:///path.db)",
                     out->shown);
            rc = RETORT_EUSAGE;
            goto cleanup;
        }
        p = url + 9;
        if (*p == '/')
            p++;
        if (strchr(p, '?')) {
            snprintf(err, errlen, "SQLite URL '%s': query parameters are not supported",
                     out->shown);
            rc = RETORT_EUSAGE;
            goto cleanup;
        }
        out->target = dup(*p ? p : ":memory:");
    } else {
        rc = pg_split(out, url, err, errlen);
        if (rc < 0)
            goto cleanup;
    }
    if (!out->target)
        rc = RETORT_ENOMEM;
cleanup:
    free(owned);
    if (rc < 0)
        rt_url_info_clear(out);
    return rc;
}
