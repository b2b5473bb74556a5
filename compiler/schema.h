/*
 * schema.h: the schema that the history implies at one point.
 *
 * sema follows it through the revision graph; the renderer reads table
 * snapshots (ast_stmt.before / .after) to write the SQLite table rebuild,
 * and `retort schema` prints it as DDL.
 *
 * A table owns its columns, constraints and indexes.  Column definitions
 * keep the column-level `primary key`, `unique`, `references` and `check`
 * exactly as written; table-level and added constraints are in
 * `constraints`.  Everything is allocated in the compilation's arena.
 */
#ifndef RETORT_SCHEMA_H
#define RETORT_SCHEMA_H

#include "ast.h"

typedef struct sch_index {
    const char *name;
    ast_qname table;
    ptr_list elems;           /* ast_index_elem* */
    int unique;
    const char *where;        /* raw predicate or NULL */
    src_loc loc;              /* where it was created */
} sch_index;

struct sch_table {
    ast_qname name;
    ptr_list columns;         /* ast_coldef*, in table order */
    ptr_list constraints;     /* ast_constraint* */
    ptr_list indexes;         /* sch_index*, in creation order */
    const char *created_by;   /* id of the revision that created it */
    src_loc loc;              /* where it was created */
};

typedef struct schema schema;

schema *schema_new(arena *a);
/* A deep copy, for a revision with several children. */
schema *schema_clone(arena *a, const schema *s);

/* NULL when absent.  `qualifier` may be NULL (unqualified). */
sch_table *schema_table(const schema *s, const char *qualifier,
                        const char *name);
/* Tables in creation order (dropped ones are skipped). */
void schema_tables(const schema *s, ptr_list *out, arena *a);
sch_index *schema_index(const schema *s, const char *name);

/* Deep copy of one table, for ast_stmt.before / .after. */
sch_table *schema_table_copy(arena *a, const sch_table *t);
ast_coldef *sch_column(const sch_table *t, const char *name);
ast_constraint *sch_constraint(const sch_table *t, const char *name);

#endif
