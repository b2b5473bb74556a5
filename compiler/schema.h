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
    const char *method;       /* `using METHOD`, or NULL for btree */
    src_loc loc;              /* where it was created */
    /* Made by raw SQL (sema_rawsql.c): the statement.  Such an index is in
     * the schema's index map only, not in its table's list: its elems are
     * not known. */
    const char *raw;
    /* Its table or a column of it was renamed since: `raw` no longer
     * names them as they are. */
    int raw_moved;
} sch_index;

/* A trigger belongs to its table and goes with it. */
typedef struct sch_trigger {
    const char *name;
    const char *bodies[2];    /* the CREATE TRIGGER statement per dialect */
    src_loc loc;              /* where it was created */
} sch_trigger;

/* A view: its query, per dialect.  Views live beside the tables, in the
 * same namespace. */
struct sch_view {
    ast_qname name;
    const char *bodies[2];
    const char *created_by;   /* id of the revision that created it */
    src_loc loc;
    int seq;                  /* creation order (shared with tables) */
};

/* A PostgreSQL function: the CREATE FUNCTION statement that made it as it
 * is now.  By (schema, name): overloads are not told apart. */
struct sch_function {
    ast_qname name;
    const char *body;
    const char *created_by;   /* id of the revision that created it */
    src_loc loc;
    int seq;                  /* creation order (shared with tables) */
};

/* An enum: its labels (const char*) in order. */
struct sch_enum {
    const char *name;
    ptr_list labels;
    const char *created_by;
    src_loc loc;
    int seq;
    const sch_enum *prev;     /* the version an alter_enum derived it from */
};

/* An extension, a schema or a sequence (PostgreSQL's; the model knows
 * them so that a second create or a drop of a missing one is an error,
 * and so that a derived downgrade can create a dropped one again). */
struct sch_object {
    int kind;                 /* enum ast_object_kind */
    const char *name;
    const char *start, *increment;   /* a sequence's, as written, or NULL */
    const char *created_by;
    src_loc loc;
    int seq;
};

/* The position of `label` in `e`, or -1. */
int sch_enum_label(const sch_enum *e, const char *label);

struct sch_table {
    ast_qname name;
    ptr_list columns;         /* ast_coldef*, in table order */
    ptr_list constraints;     /* ast_constraint* */
    ptr_list indexes;         /* sch_index*, in creation order */
    ptr_list triggers;        /* sch_trigger*, in creation order */
    const char *comment;      /* alter_table ... set comment; NULL: none */
    const char *created_by;   /* id of the revision that created it */
    src_loc loc;              /* where it was created */
    /* sema's bookkeeping.  Table versions installed in a schema are never
     * changed in place: a statement makes a new version (prev points at
     * the one it replaced), so snapshots can be shared. */
    int seq;                  /* creation order */
    int opaque;               /* assumed by `if table_exists`: columns unknown */
    const sch_table *prev;    /* the version this one was derived from */
    int depth;                /* length of the prev chain */
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
/* The one table order of every printed schema (retort schema, --model,
 * autogenerate): the tables (sch_table*) of `tables` in their order,
 * except that a table comes after every table of the list it references.
 * A cycle of references is cut where the walk meets it. */
void schema_order_tables(arena *a, const ptr_list *tables, ptr_list *out);
/* The tables in no particular order, without allocating: start with
 * *cursor 0; NULL after the last. */
const sch_table *schema_next_table(const schema *s, int *cursor);
sch_index *schema_index(const schema *s, const char *name);
/* The indexes of the map in no set order: *cursor starts at 0. */
const sch_index *schema_next_index(const schema *s, int *cursor);
/* 0 when no index made by raw SQL was ever in `s` (nor in what it was
 * cloned or joined from): then there is none to look for. */
int schema_may_have_raw_indexes(const schema *s);

/* Views: by (qualifier, name), NULL when absent; all of them in creation
 * order. */
sch_view *schema_view(const schema *s, const char *qualifier, const char *name);
void schema_views(const schema *s, ptr_list *out, arena *a);
/* Functions: by (qualifier, name), NULL when absent. */
/* Appends every function to `out`, in the order the history made (or
 * last replaced) them. */
void schema_functions(const schema *s, ptr_list *out, arena *a);
sch_function *schema_function(const schema *s, const char *qualifier,
                              const char *name);
/* Enums: by name, NULL when absent; all of them in creation order. */
sch_enum *schema_enum(const schema *s, const char *name);
void schema_enums(const schema *s, ptr_list *out, arena *a);
/* Extensions, schemas, sequences: by kind and name, NULL when absent;
 * all of them (every kind) in creation order. */
sch_object *schema_object(const schema *s, int kind, const char *name);
void schema_objects(const schema *s, ptr_list *out, arena *a);
/* The trigger called `name` on any table of schema `qualifier` (trigger
 * names are one namespace per schema on SQLite), with its table in
 * *table when not NULL. */
const sch_trigger *schema_trigger(const schema *s, const char *qualifier,
                                  const char *name, const sch_table **table);
/* The trigger `name` of `t`, or NULL. */
const sch_trigger *sch_trigger_of(const sch_table *t, const char *name);

/* Deep copy of one table, for ast_stmt.before / .after. */
sch_table *schema_table_copy(arena *a, const sch_table *t);
ast_coldef *sch_column(const sch_table *t, const char *name);
/* A table-level constraint of `t` by name: the name written, or for an
 * unnamed one the name PostgreSQL gives it.  NULL when absent. */
ast_constraint *sch_constraint(const sch_table *t, const char *name);
/* The name of a table-level constraint (written or PostgreSQL's). */
const char *sch_cons_name(const ast_constraint *k);
/* The column whose column-level constraint is called `name` (its kind in
 * *kind, when not NULL), or NULL. */
ast_coldef *sch_column_constraint(const sch_table *t, const char *name,
                                  enum ast_constraint_kind *kind);
/* 1 when `t` has a constraint called `name` at either level. */
int sch_has_constraint(const sch_table *t, const char *name);
/* 1 when a table of schema `qualifier` (NULL: unqualified) has a
 * constraint called `name` or, with `relations`, when a table or index is
 * called so: the names PostgreSQL's automatic constraint names steer
 * clear of (constraints for CHECK and FOREIGN KEY; relations too for the
 * index behind a PRIMARY KEY or UNIQUE).  The indexes the model knows are
 * not per schema; any index counts. */
int schema_name_used(const schema *s, const char *qualifier, const char *name,
                     int relations);

/* --- sema's interface (schema.c); not for the renderer. --- */

/* A new version of `t` (NULL: a fresh table): the struct and its lists are
 * copied, the column, constraint and index structs are shared. */
sch_table *sch_table_next(arena *a, const sch_table *t);
/* Installs `t` under (qualifier, name), or removes the table when `t` is
 * NULL.  Index entries are not touched (see schema_put_index). */
void schema_put_table(schema *s, const char *qualifier, const char *name,
                      sch_table *t);
void schema_put_index(schema *s, const char *name, sch_index *ix);
/* Installs `v` under (qualifier, name), or removes the view (v NULL). */
void schema_put_view(schema *s, const char *qualifier, const char *name,
                     sch_view *v);
void schema_put_enum(schema *s, const char *name, sch_enum *e);
/* Installs `f` under (qualifier, name), or removes the function (f NULL). */
void schema_put_function(schema *s, const char *qualifier, const char *name,
                         sch_function *f);
/* Installs `o` under (kind, name), or removes the object (o NULL). */
void schema_put_object(schema *s, int kind, const char *name, sch_object *o);
int schema_next_seq(schema *s);

/* Uncertainty after an `if` (kind 'T' table, 'C' column, 'I' index, 'K'
 * constraint; `sub` the column or constraint name).  0 certain, 1
 * uncertain, 2 uncertain and already warned about. */
int schema_uncertain(const schema *s, int kind, const char *qualifier,
                     const char *name, const char *sub);
void schema_set_uncertain(schema *s, int kind, const char *qualifier,
                          const char *name, const char *sub, int v);

/* The undo journal: between schema_begin() and schema_end() every change
 * is recorded so that schema_undo() can roll back to a mark. */
int schema_begin(schema *s);
void schema_undo(schema *s, int mark);
int schema_mark(const schema *s);     /* the journal's current position */
void schema_end(schema *s);

/* The state of what changed since `mark`, for joining the two sides of
 * an `if`; changes from `body_mark` on are the body's (before it, the
 * side's assumption). */
typedef struct sch_branch sch_branch;
sch_branch *schema_capture(schema *s, int mark, int body_mark);
/* Installs the chosen side (`take_then`) of the keys either side touched
 * and marks what differs between the sides as uncertain. */
void schema_join_branches(schema *s, const sch_branch *then_side,
                          const sch_branch *else_side, int take_then);

/* Joins `other` (a parent's schema) into `acc` at a merge revision.
 * `is_ancestor(ctx, rev_id, side)` tells whether revision rev_id is an
 * ancestor of (or is) side 0 (acc) or side 1 (other).  Errors (two
 * branches creating one table) are reported at `at`. */
void schema_join(schema *acc, const schema *other, diag *d, src_loc at,
                 int (*is_ancestor)(void *ctx, const char *rev_id, int side),
                 void *ctx);

#endif
