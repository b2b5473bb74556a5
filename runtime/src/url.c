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

int rt_url_dialect(const char *url)
{
    if (has_prefix(url, "sqlite:"))
        return RETORT_SQLITE;
    if (has_prefix(url, "postgresql:") || has_prefix(url, "postgres:"))
        return RETORT_POSTGRESQL;
    return -1;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into a new string. */
static char *decode(const char *s, size_t n)
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
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

/* Finds the password of a postgresql URL: [start, end) in url, or 0.
 * Either in the userinfo (user:pass@) or a password= parameter. */
static int find_password(const char *url, size_t *start, size_t *end)
{
    const char *auth = strstr(url, "://");
    if (!auth)
        return 0;
    auth += 3;
    size_t alen = strcspn(auth, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < alen; i++)
        if (auth[i] == '@')
            at = auth + i;          /* the last @ ends the userinfo */
    if (at) {
        const char *colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon) {
            *start = (size_t)(colon + 1 - url);
            *end = (size_t)(at - url);
            return 1;
        }
    }
    const char *q = strchr(url, '?');
    while (q) {
        q++;
        if (has_prefix(q, "password=")) {
            *start = (size_t)(q + 9 - url);
            *end = *start + strcspn(q + 9, "&#");
            return 1;
        }
        q = strchr(q, '&');
    }
    return 0;
}

char *rt_url_redact(const char *url)
{
    size_t s, e, n = strlen(url);
    char *out;
    if (!find_password(url, &s, &e)) {
        out = malloc(n + 1);
        if (out)
            memcpy(out, url, n + 1);
        return out;
    }
    out = malloc(n + 4);
    if (!out)
        return NULL;
    memcpy(out, url, s);
    memcpy(out + s, "***", 3);
    memcpy(out + s + 3, url + e, n - e + 1);
    return out;
}

void rt_url_scrub(char *msg, size_t cap, const char *secret)
{
    size_t sl;
    char *from = msg, *p;
    if (!secret || !*secret || cap < 4)
        return;
    sl = strlen(secret);
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

void rt_url_info_clear(url_info *u)
{
    if (u->password) {
        memset(u->password, 0, strlen(u->password));
        free(u->password);
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

int rt_url_parse(url_info *out, const char *url, char *err, size_t errlen)
{
    int rc = 0;
    int dialect = rt_url_dialect(url);
    memset(out, 0, sizeof *out);
    out->shown = rt_url_redact(url);
    if (!out->shown)
        return RETORT_ENOMEM;
    if (!*url) {
        snprintf(err, errlen, "empty database URL (use sqlite:///path.db or "
                 "postgresql://...)");
        rc = RETORT_EUSAGE;
        goto cleanup;
    }
    if (dialect < 0) {
        size_t n = strcspn(url, ":");
        snprintf(err, errlen, "unsupported database URL scheme '%.*s' in '%s' "
                 "(use sqlite:/// or postgresql://)",
                 (int)(n > 40 ? 40 : n), url, out->shown);
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
        size_t s, e;
        if (find_password(url, &s, &e)) {
            out->password = decode(url + s, e - s);
            if (!out->password) {
                rc = RETORT_ENOMEM;
                goto cleanup;
            }
        }
        out->target = dup(url);
    }
    if (!out->target)
        rc = RETORT_ENOMEM;
cleanup:
    if (rc < 0)
        rt_url_info_clear(out);
    return rc;
}
