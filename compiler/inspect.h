/*
 * inspect.h: `retort inspect URL`, a live database as a MODEL file.
 *
 *   inspect.c          the command: connect (rt_live.h, the runtime's own
 *                      URL handling and backends), read, print; the parts
 *                      of a table and the notes on what a model cannot say;
 *   inspect_sqlite.c   SQLite: pragmas, and the CREATE TABLE text for what
 *                      the pragmas do not tell (CHECKs, constraint names,
 *                      AUTOINCREMENT, which constraints sit on a column);
 *   inspect_pg.c       PostgreSQL: the catalog of one schema.
 *
 * A reader fills an `insp` with model source text, piece by piece; the
 * printer assembles it, loads it as a model file (the parser and sema
 * check it like any model) and prints that schema with unparse_schema(),
 * so the output is the canonical form `retort schema --model` prints.
 */
#ifndef RETORT_INSPECT_H
#define RETORT_INSPECT_H

#include "arena.h"
#include "rt_live.h"
#include "strbuf.h"

/* One column, as model source pieces. */
typedef struct insp_col {
    const char *name;        /* quoted as the model needs */
    const char *type;        /* model type text */
    const char *dflt;        /* `default` expression text, or NULL */
    int notnull;
    int pk, autoinc, unique; /* inline primary key [autoincrement], unique */
    const char *check;       /* inline check's raw SQL, or NULL */
    const char *ref;         /* inline "references T (C) [on ...]", or NULL */
} insp_col;

/* A table constraint as source text; printed in `pos` order (where the
 * CREATE TABLE text has it on SQLite; as read on PostgreSQL). */
typedef struct insp_cons {
    int pos;
    const char *text;
} insp_cons;

typedef struct insp_table {
    const char *raw;         /* the name as the database has it */
    const char *name;        /* as model source (quoted, qualified) */
    ptr_list cols;           /* insp_col* */
    ptr_list cons;           /* insp_cons*: table constraints */
} insp_table;

typedef struct insp {
    arena *a;
    rt_live *l;
    int dialect;             /* enum retort_dialect */
    const char *schema;      /* PostgreSQL: the schema read */
    const char *qualifier;   /* "" or "schema." for names in the model */
    const char *skip[4];     /* retort's own tables, left out */
    ptr_list tables;         /* insp_table* */
    strbuf before;           /* create_enum statements */
    strbuf after;            /* indexes, views, triggers, comments */
    strbuf notes;            /* comment lines: what a model cannot say */
    int nnotes;
    int oom;
} insp;

/* Whether `table` is one of retort's own (the version tables). */
int insp_skipped(const insp *in, const char *table);
insp_table *insp_table_new(insp *in, const char *raw);
insp_col *insp_col_new(insp *in, insp_table *t, const char *raw);
insp_col *insp_col_find(insp_table *t, const char *quoted);
void insp_add_cons(insp *in, insp_table *t, int pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
/* Something the model cannot express: one comment line in the output
 * and one line on stderr, never a silent omission. */
void insp_note(insp *in, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A name as model source: quoted as needed, with the qualifier. */
const char *insp_name(insp *in, const char *raw);
const char *insp_qname(insp *in, const char *raw);
/* "a, b" of names split by ", " in `list` (as the readers build them),
 * each quoted for the model. */
const char *insp_names(insp *in, const char *list);
/* A referential action as the model spells it, or NULL for NO ACTION. */
const char *insp_action(const char *sql_upper);
/* Raw SQL without white space (and a final ';') around it. */
const char *insp_trim(insp *in, const char *sql);
/* insp_trim, and without one pair of parentheses around all of it. */
const char *insp_unparen(insp *in, const char *sql);

/* All rows of one query, copied into the arena: v[row][col], NULL for
 * SQL NULL, at least `ncols` columns a row. */
typedef struct insp_rows {
    int n, ncols;
    const char ***v;
} insp_rows;
/* Runs the query; 0, or a negative code with the message on the
 * connection (rt_live_error). */
int insp_query(insp *in, insp_rows *out, const char *sql, int nparams,
               const char *const *params);

int insp_read_sqlite(insp *in);
int insp_read_postgresql(insp *in);

#endif
