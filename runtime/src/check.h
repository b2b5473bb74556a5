/*
 * check.h: what the three files of the drift check share (not for the
 * rest of the runtime, which calls retort_check()).
 *
 *   check.c         the command: one consistent read of the live database,
 *                   the expected schema, the comparison and the report;
 *   check_intro.c   facts, and reading them from a database (SQLite's
 *                   pragmas, PostgreSQL's catalog);
 *   check_expect.c  the expected PostgreSQL schema from the history's
 *                   facts (retort/history.h, ABI 4), and rt_check_canon(),
 *                   the normal form in which PostgreSQL facts compare.
 *
 * A fact is one thing about the schema: a key that names it ("column
 * users.email", "index ix on users", ...) and a value.  Two facts with the
 * same key match when their `cmp` strings are equal (the value itself on
 * SQLite; rt_check_canon() of it on PostgreSQL) and, when the expected
 * one has a name, their names are equal.
 */
#ifndef RETORT_CHECK_H
#define RETORT_CHECK_H

#include "internal.h"

typedef struct rt_fact {
    char *table;
    char *key;
    char *value;     /* as shown; "" for a table */
    char *cmp;       /* what is compared */
    char *name;      /* a constraint's name; NULL: none or not compared */
    int rank;        /* 0 for the table itself, so it sorts first */
} rt_fact;

typedef struct rt_facts {
    rt_fact *v;
    size_t n, cap;
    int oom;
} rt_facts;

/* Ranks: the order of a table's facts in the report. */
enum {
    RT_RANK_TABLE = 0, RT_RANK_COLUMN = 1, RT_RANK_PRIMARY_KEY = 2,
    RT_RANK_CONSTRAINT = 3, RT_RANK_FOREIGN_KEY = 4, RT_RANK_INDEX = 5,
    RT_RANK_TRIGGER = 6, RT_RANK_COMMENT = 7
};

/* A comment fact (PostgreSQL): on the table (`column` NULL) or a column;
 * shown quoted, compared as it is. */
void rt_check_add_comment(rt_facts *f, const char *table, const char *column,
                          const char *text);

/* Adds a fact; `cmp` NULL compares the value itself.  Out of memory sets
 * f->oom and adds nothing. */
void rt_check_add(rt_facts *f, const char *table, int rank, const char *value,
                  const char *cmp, const char *name, const char *keyfmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 7, 8)))
#endif
    ;
void rt_check_clear(rt_facts *f);
/* Sorts by table, rank, key. */
void rt_check_sort(rt_facts *f);

/* Reads the schema of `d` into `out`, leaving out the tables named in
 * `skip` (NULL entries allowed).  SQLite: the main database.  PostgreSQL:
 * the schemas in `schemas` (the first is the current one: its tables are
 * named without it; others as "schema.table").  Sorted.  The message is
 * on `d`. */
int rt_check_read(db *d, const char *const *schemas, size_t nschemas,
                  const char *skip[2], rt_facts *out);

/* rt_check_read on SQLite, for the tables (and views) in `only` alone,
 * sorted by strcmp(): verify's walk reads facts only where the schema
 * text says two databases part (check.c). */
int rt_check_read_only(db *d, const char *skip[2], const char *const *only, size_t nonly,
                       rt_facts *out);

/* The normal form in which PostgreSQL facts compare: the tokens of `in`,
 * lower-cased outside strings, without casts, parentheses, brackets and
 * identifier quotes, with PostgreSQL's rewrites undone (`= ANY (ARRAY[..])`
 * is IN, `~~` is LIKE, BETWEEN is two comparisons), joined by one space.
 * malloc'd; NULL when out of memory. */
char *rt_check_canon(const char *in);

/* A foreign key's deferral as SQLite's table text says it (check_defer.c). */
enum rt_deferral { RT_DEFER_NONE, RT_DEFER_IMMEDIATE, RT_DEFER_DEFERRED };
int rt_sq_deferrals(const char *sql, unsigned char *out, int max);

/* The expected PostgreSQL schema after the applied revisions
 * (applied[rev] != 0), in `out`; tables of `current` (the current schema)
 * named without it.  The schemas the facts name besides `current` are
 * added to `schemas` (which the caller frees, each and the array).
 * *unknown is set to the first applied revision whose schema the
 * compiler does not know (schema_check off), or -1. */
int rt_check_expected(const retort_history *h, const unsigned char *applied,
                      const char *current, rt_facts *out, char ***schemas,
                      size_t *nschemas, long *unknown);

/* Leaves out of `live` the extensions, schemas and sequences (facts read
 * by rt_check_read) that no fact of the history names: a database keeps
 * objects of its own (plpgsql, a DBA's extension, a sequence made by raw
 * SQL) that are not the history's to compare.  Order is kept. */
void rt_check_keep_objects(const retort_history *h, rt_facts *live);

/* Leaves out of `live` the extensions, schemas and sequences (facts read
 * by rt_check_read) that no fact of the history names: a database keeps
 * objects of its own (plpgsql, a DBA's extension, a sequence made by raw
 * SQL) that are not the history's to compare.  Order is kept. */
void rt_check_keep_objects(const retort_history *h, rt_facts *live);

#endif
