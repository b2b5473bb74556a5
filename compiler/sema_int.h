/*
 * sema_int.h: what sema.c (graph walk, conditions) and sema_stmt.c (one
 * statement each) share.  Not for the rest of the compiler.
 */
#ifndef RETORT_SEMA_INT_H
#define RETORT_SEMA_INT_H

#include "sema.h"

typedef struct sctx {
    arena *a;
    diag *d;
    schema *s;
    const char *rev;          /* id of the revision being walked */
    int check;                /* report errors (off: schema_check off, or
                                 a derived downgrade) */
    int in_if;                /* inside an `if` block */
    int transactional;        /* the revision runs in a transaction */
    int dialect;              /* enum retort_dialect whose schema is
                                 followed, or -1: every dialect's checks */
    int reach;                /* the databases (DIALECT_* bits) the
                                 statement walked may run on: the history's
                                 (retort.conf), narrowed by `if dialect` */
    int derives_down;         /* the revision has no downgrade block: the
                                 compiler derives one from the upgrade */
} sctx;

/* Reports `what` at `loc` when the statement walked may run on a database
 * outside `has` (DIALECT_* bits of the databases that have it). */
void sema_need_dialects(sctx *c, src_loc loc, int has, const char *what);

/* Reports an error unless checks are off for what is being walked. */
#define ERR(c, loc, ...)                                        \
    do {                                                        \
        if ((c)->check)                                         \
            diag_error((c)->d, (loc), __VA_ARGS__);             \
    } while (0)

/* Checks and applies one statement other than `if` (sema_stmt.c). */
void chk_stmt(sctx *c, ast_stmt *st);
/* Installs table version `t` in the schema. */
void chk_install(sctx *c, sch_table *t);
/* Removes the index at position k from the new version `t` and from the
 * schema's index map. */
void chk_remove_index_at(sctx *c, sch_table *t, int k);

/* Reads the index that raw SQL statement `st` creates or drops, when it
 * is one simple statement (sema_rawsql.c); else nothing. */
void chk_raw_sql(sctx *c, ast_stmt *st);
/* The indexes made by raw SQL on table `from` follow it to `to` (also
 * `from` itself, when a column of it is renamed), or leave the schema
 * with it when `to` is NULL. */
void chk_raw_indexes_follow(sctx *c, const ast_qname *from, const ast_qname *to);

/* Names the unnamed constraints that the new table version `t` gains from
 * columns[from_col..] and constraints[from_cons..] as PostgreSQL would
 * (cname.c). */
void cname_assign(sctx *c, sch_table *t, int from_col, int from_cons);
/* The name PostgreSQL gives constraint `k`, written without a name, when
 * ALTER TABLE adds it to table `t` (which does not hold it yet). */
const char *cname_added(sctx *c, const sch_table *t, const ast_constraint *k);

/* Removes constraint `name` (either level) from the new version `t`;
 * 1 when it was there. */
int chk_remove_constraint(sctx *c, sch_table *t, const char *name);

/* The table `q` names, or NULL after reporting it unknown (when
 * `report`); sema_stmt.c. */
sch_table *chk_need_table(sctx *c, const ast_qname *q, int report);
/* `schema.name` or `name`, for messages. */
const char *chk_qname_str(arena *a, const ast_qname *q);

/* --- views and triggers (sema_objects.c) --- */
void chk_create_view(sctx *c, ast_stmt *st);
void chk_drop_view(sctx *c, ast_stmt *st);
void chk_create_trigger(sctx *c, ast_stmt *st);
void chk_drop_trigger(sctx *c, ast_stmt *st);
void chk_table_comment(sctx *c, ast_stmt *st);
void chk_column_comment(sctx *c, ast_stmt *st);
/* `col` as it enters a table: without a comment (only the comment
 * statements set one). */
ast_coldef *chk_uncommented(sctx *c, ast_coldef *col);
void chk_create_enum(sctx *c, ast_stmt *st);
void chk_alter_enum(sctx *c, ast_stmt *st);
void chk_drop_enum(sctx *c, ast_stmt *st);
/* Functions (sema_functions.c). */
void chk_create_function(sctx *c, ast_stmt *st);
void chk_replace_function(sctx *c, ast_stmt *st);
void chk_drop_function(sctx *c, ast_stmt *st);
/* `col` with its enum type resolved (the enum as it stands now; unknown
 * is reported) and its default checked against the labels: the coldef
 * itself when it was unresolved, else a copy if the enum changed. */
ast_coldef *chk_enum_column(sctx *c, ast_coldef *col);
/* Resolves an `enum N` type in place (alter_column ... type). */
void chk_enum_type(sctx *c, ast_type *t);
/* --- PostgreSQL objects, renames of constraints and indexes
 * (sema_pgobj.c) --- */
void chk_create_object(sctx *c, ast_stmt *st);
void chk_drop_object(sctx *c, ast_stmt *st);
void chk_rename_constraint(sctx *c, ast_stmt *st);
void chk_rename_index(sctx *c, ast_stmt *st);
/* Reports, at `loc`, that `what` (e.g. "drop table 'users'") cannot be
 * done while a view other than `self` (may be NULL) reads relation `q`;
 * 1 when it did. */
/* chk_views_reading for the views that may use column `col` of `q` (name
 * it, or select `*`): what PostgreSQL refuses to retype under a view. */
int chk_views_using(sctx *c, const ast_qname *q, const char *col,
                    const sch_view *self, src_loc loc, const char *what);
int chk_views_reading(sctx *c, const ast_qname *q, const sch_view *self,
                      src_loc loc, const char *what);

#endif
