/* ast_make.c: statements the compiler builds (see ast_make.h). */
#include "ast_make.h"

ast_stmt *ast_make(arena *a, enum ast_stmt_kind kind, const ast_qname *table,
                   src_loc loc)
{
    ast_stmt *st = arena_alloc(a, sizeof *st);
    st->kind = kind;
    st->loc = loc;
    if (table)
        st->table = *table;
    return st;
}

ast_stmt *ast_make_create_table(arena *a, const sch_table *t, src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_CREATE_TABLE, &t->name, loc);
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *c = arena_alloc(a, sizeof *c);
        *c = *(const ast_coldef *)t->columns.items[i];
        list_push(a, &st->columns, c);
    }
    for (int i = 0; i < t->constraints.count; i++) {
        ast_constraint *k = arena_alloc(a, sizeof *k);
        *k = *(const ast_constraint *)t->constraints.items[i];
        list_push(a, &st->constraints, k);
    }
    return st;
}

ast_stmt *ast_make_create_index(arena *a, const sch_index *ix, src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_CREATE_INDEX, &ix->table, loc);
    st->name.text = ix->name;
    st->name.loc = loc;
    for (int i = 0; i < ix->elems.count; i++)
        list_push(a, &st->elems, ix->elems.items[i]);
    st->unique = ix->unique ? 1 : 0;
    st->where = ix->where;
    st->method = ix->method;
    return st;
}

ast_stmt *ast_make_create_constraint(arena *a, const ast_qname *table,
                                     const ast_constraint *k, ast_name name,
                                     src_loc loc)
{
    static const enum ast_stmt_kind kinds[] = {
        [CONS_PRIMARY_KEY] = ST_CREATE_PRIMARY_KEY,
        [CONS_UNIQUE] = ST_CREATE_UNIQUE,
        [CONS_CHECK] = ST_CREATE_CHECK,
        [CONS_FOREIGN_KEY] = ST_CREATE_FOREIGN_KEY,
    };
    ast_stmt *st = ast_make(a, kinds[k->kind], table, loc);
    st->name = name;
    st->cols = k->columns;
    st->raw = k->check;
    st->references = k->references;
    st->not_valid = k->not_valid ? 1 : 0;
    st->deferral = k->deferral;
    return st;
}

ast_stmt *ast_make_create_view(arena *a, const sch_view *v, src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_CREATE_VIEW, &v->name, loc);
    st->bodies[0] = v->bodies[0];
    st->bodies[1] = v->bodies[1];
    return st;
}

ast_stmt *ast_make_create_trigger(arena *a, const ast_qname *table,
                                  const sch_trigger *g, src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_CREATE_TRIGGER, table, loc);
    st->name.text = g->name;
    st->name.loc = loc;
    st->bodies[0] = g->bodies[0];
    st->bodies[1] = g->bodies[1];
    return st;
}

ast_stmt *ast_make_column_comment(arena *a, const ast_qname *table,
                                  const char *column, const char *comment,
                                  src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_COLUMN_COMMENT, table, loc);
    st->name.text = column;
    st->name.loc = loc;
    st->comment = comment;
    return st;
}

void ast_make_comments(arena *a, const sch_table *t, src_loc loc, ptr_list *out)
{
    if (t->comment) {
        ast_stmt *st = ast_make(a, ST_TABLE_COMMENT, &t->name, loc);
        st->comment = t->comment;
        list_push(a, out, st);
    }
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (c->comment)
            list_push(a, out, ast_make_column_comment(a, &t->name, c->name.text,
                                                      c->comment, loc));
    }
}

ast_stmt *ast_make_create_enum(arena *a, const sch_enum *e, src_loc loc)
{
    ast_stmt *st = ast_make(a, ST_CREATE_ENUM, NULL, loc);
    st->name.text = e->name;
    st->name.loc = loc;
    st->labels = e->labels;
    return st;
}
