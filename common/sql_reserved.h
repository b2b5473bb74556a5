/*
 * sql_reserved.h: the words that cannot stand unquoted as a table or
 * column name in at least one dialect: PostgreSQL's reserved keywords
 * (both "reserved" classes), the SQLite keywords without an identifier
 * fallback, and a few SQL standard words.
 *
 * One list for both halves: the compiler's renderer (compiler/render.c)
 * quotes the names it writes by it, and the runtime (runtime/src/handle.c)
 * quotes the version table's name by it, so a table is spelt alike by the
 * statement that creates it and the query that reads it.  Header-only,
 * since the compiler and the runtime share no other internal code.
 */
#ifndef RETORT_SQL_RESERVED_H
#define RETORT_SQL_RESERVED_H

#include <stddef.h>
#include <string.h>

/* Sorted (strcmp) for the binary search; tests/render checks the order. */
static const char *const sql_reserved_words[] = {
    "abort", "add", "all", "alter", "analyse", "analyze", "and", "any",
    "array", "as", "asc", "asymmetric", "authorization", "autoincrement",
    "between", "binary", "both", "by", "case", "cast", "check", "collate",
    "collation", "column", "commit", "concurrently", "constraint",
    "create", "cross", "current_catalog", "current_date", "current_role",
    "current_schema", "current_time", "current_timestamp", "current_user",
    "default", "deferrable", "delete", "desc", "distinct", "do", "drop",
    "else", "end", "escape", "except", "exists", "false", "fetch",
    "filter", "for", "foreign", "freeze", "from", "full", "glob", "grant",
    "group", "having", "ilike", "in", "index", "initially", "inner",
    "insert", "intersect", "into", "is", "isnull", "join", "lateral",
    "leading", "left", "like", "limit", "localtime", "localtimestamp",
    "match", "natural", "not", "nothing", "notnull", "null", "offset",
    "on", "only", "or", "order", "outer", "over", "overlaps", "placing",
    "primary", "references", "regexp", "returning", "right", "select",
    "session_user", "set", "similar", "some", "symmetric", "system_user",
    "table", "tablesample", "then", "to", "trailing", "transaction",
    "true", "union", "unique", "update", "user", "using", "values",
    "variadic", "verbose", "when", "where", "window", "with",
};

/* Whether the word w[0..n) is in the list. */
static inline int sql_reserved(const char *w, size_t n)
{
    size_t lo = 0, hi = sizeof sql_reserved_words / sizeof sql_reserved_words[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(w, sql_reserved_words[mid], n);
        if (c == 0 && sql_reserved_words[mid][n] != '\0')
            c = -1;
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

#endif
