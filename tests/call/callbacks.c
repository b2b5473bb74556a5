/*
 * callbacks.c: the application code the call tests' history runs
 * (`call NAME` statements in tests/call/history).  Written as an
 * application would: through <retort/retort.h> only.
 *
 * CALL_FAIL_C3 makes rehash_or_fail fail after changing rows, each way a
 * function can fail: "message" (retort_call_error), "nonzero" (returns 7,
 * no message), "badsql" (a failing statement whose error it ignores,
 * returning 0), "commit" (tries to end the revision's transaction).
 * CALL_FAIL_C4=leave_open makes log_in_batches leave a transaction open
 * in its `transaction none` revision.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retort/retort.h>

int hash_passwords(retort_call *ctx);
int log_downgrade(retort_call *ctx);
int rehash_or_fail(retort_call *ctx);
int log_in_batches(retort_call *ctx);

/* 64-bit FNV-1a of s, as 16 hex digits: a deterministic stand-in for a
 * password hash, computed here and nowhere in SQL. */
static void fnv1a(const char *s, char out[17])
{
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(out, 17, "%016llx", h);
}

/* Every user's hash, row by row, a page of two rows at a time: the query
 * and the UPDATE take bound parameters (the UPDATE names $2 before $1). */
int hash_passwords(retort_call *ctx)
{
    char last[32] = "0";
    for (;;) {
        retort_rows *rows = NULL;
        const char *p[1] = {last};
        if (retort_call_query(&rows, ctx, "SELECT id, password FROM users WHERE id > $1 "
                                          "ORDER BY id LIMIT 2", 1, p) < 0)
            return -1;
        size_t n = retort_rows_count(rows);
        for (size_t i = 0; i < n; i++) {
            char hash[17];
            const char *id = retort_rows_value(rows, i, 0);
            const char *pw = retort_rows_value(rows, i, 1);
            if (!id || !pw || retort_rows_columns(rows) != 2) {
                retort_rows_free(rows);
                return retort_call_error(ctx, "unexpected row %zu", i);
            }
            fnv1a(pw, hash);
            const char *u[2] = {id, hash};
            if (retort_call_exec(ctx, "UPDATE users SET password_hash = $2 WHERE id = $1",
                                 2, u) < 0) {
                retort_rows_free(rows);
                return -1;
            }
            snprintf(last, sizeof last, "%s", id);
        }
        retort_rows_free(rows);
        if (n < 2)
            return 0;
    }
}

/* The downgrade's note: which revision, which database, how many users. */
int log_downgrade(retort_call *ctx)
{
    retort_rows *rows = NULL;
    char note[200];
    if (retort_call_query(&rows, ctx, "SELECT count(*) FROM users", 0, NULL) < 0)
        return -1;
    snprintf(note, sizeof note, "%s %s on %s: %s users",
             retort_call_downgrade(ctx) ? "downgrade" : "upgrade",
             retort_call_revision(ctx),
             retort_call_dialect(ctx) == RETORT_POSTGRESQL ? "postgresql" : "sqlite",
             retort_rows_value(rows, 0, 0) ? retort_rows_value(rows, 0, 0) : "?");
    retort_rows_free(rows);
    const char *p[1] = {note};
    return retort_call_exec(ctx, "INSERT INTO call_log (note) VALUES ($1)", 1, p) < 0 ? -1 : 0;
}

int rehash_or_fail(retort_call *ctx)
{
    const char *mode = getenv("CALL_FAIL_C3");
    const char *p[1] = {"changed"};
    /* A change of every row first: a failure must undo it. */
    if (retort_call_exec(ctx, "UPDATE users SET password_hash = $1", 1, p) < 0)
        return -1;
    if (!mode || !*mode) {
        if (hash_passwords(ctx) != 0)
            return -1;
        return retort_call_exec(ctx, "UPDATE users SET checked = true", 0, NULL) < 0 ? -1 : 0;
    }
    if (strcmp(mode, "message") == 0)
        return retort_call_error(ctx, "refusing after changing %s rows", "5");
    if (strcmp(mode, "nonzero") == 0)
        return 7;
    if (strcmp(mode, "badsql") == 0) {
        (void)retort_call_exec(ctx, "UPDATE no_such_table SET x = 1", 0, NULL);
        return 0;
    }
    if (strcmp(mode, "commit") == 0) {
        (void)retort_call_exec(ctx, "COMMIT", 0, NULL);
        return 0;
    }
    return retort_call_error(ctx, "unknown CALL_FAIL_C3 '%s'", mode);
}

/* Outside a transaction: two batches, each its own BEGIN ... COMMIT. */
int log_in_batches(retort_call *ctx)
{
    const char *mode = getenv("CALL_FAIL_C4");
    for (int b = 1; b <= 2; b++) {
        char note[32];
        const char *p[1] = {note};
        snprintf(note, sizeof note, "batch %d", b);
        if (retort_call_exec(ctx, "BEGIN", 0, NULL) < 0 ||
            retort_call_exec(ctx, "INSERT INTO call_log (note) VALUES ($1)", 1, p) < 0)
            return -1;
        if (mode && strcmp(mode, "leave_open") == 0 && b == 2)
            return 0;
        if (retort_call_exec(ctx, "COMMIT", 0, NULL) < 0)
            return -1;
    }
    return 0;
}
