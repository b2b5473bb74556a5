/*
 * sema_pgobj.c: PostgreSQL's extensions, schemas and sequences, and the
 * renames of constraints and indexes, checked against the schema model
 * and applied to it (sema_int.h).
 *
 * Extensions, schemas and sequences exist on PostgreSQL only: in a
 * history that also targets SQLite they must stand inside `if dialect
 * postgresql { }` (sema_need_dialects).  The model knows them by kind and
 * name, so creating one twice or dropping a missing one is an error at
 * build time, as PostgreSQL would refuse it at deploy time.  Qualified
 * tables do not require their schema to be known: histories have always
 * been allowed to name `billing.invoices` without creating `billing`
 * (the schema may come from outside the history); but dropping a schema
 * that still holds a table or view the history knows is an error.
 */
#include <string.h>

#include "sema_int.h"

/* "extension 'citext'", for messages. */
static const char *what(sctx *c, int kind, const char *name)
{
    return arena_printf(c->a, "%s '%s'", ast_object_word((enum ast_object_kind)kind),
                        name);
}

void chk_create_object(sctx *c, ast_stmt *st)
{
    const char *stmt = arena_printf(c->a, "create_%s",
                                    ast_object_word((enum ast_object_kind)st->object));
    sema_need_dialects(c, st->loc, DIALECT_POSTGRESQL, stmt);
    sch_object *old = schema_object(c->s, st->object, st->name.text);
    st->obj_before = st->obj_after = old;
    if (old) {
        if (!st->if_not_exists)
            ERR(c, st->name.loc, "%s already exists",
                what(c, st->object, st->name.text));
        return;
    }
    if (st->object == OBJ_SEQUENCE &&
        (schema_table(c->s, NULL, st->name.text) || schema_view(c->s, NULL, st->name.text) ||
         schema_index(c->s, st->name.text))) {
        /* A sequence is a relation: one namespace with tables, views
         * and indexes. */
        ERR(c, st->name.loc, "'%s' already names a table, view or index",
            st->name.text);
        return;
    }
    sch_object *o = arena_alloc(c->a, sizeof *o);
    o->kind = st->object;
    o->name = st->name.text;
    o->start = st->start;
    o->increment = st->increment;
    o->created_by = c->rev;
    o->loc = st->name.loc;
    o->seq = schema_next_seq(c->s);
    schema_put_object(c->s, o->kind, o->name, o);
    st->obj_after = o;
}

/* The first table or view of schema `name` that the model knows, for the
 * message; NULL when none. */
static const char *schema_user(sctx *c, const char *name)
{
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(c->s, &cursor));)
        if (t->name.schema.text && strcmp(t->name.schema.text, name) == 0)
            return arena_printf(c->a, "table '%s'", chk_qname_str(c->a, &t->name));
    ptr_list views = {0};
    schema_views(c->s, &views, c->a);
    for (int i = 0; i < views.count; i++) {
        const sch_view *v = views.items[i];
        if (v->name.schema.text && strcmp(v->name.schema.text, name) == 0)
            return arena_printf(c->a, "view '%s'", chk_qname_str(c->a, &v->name));
    }
    return NULL;
}

void chk_drop_object(sctx *c, ast_stmt *st)
{
    const char *stmt = arena_printf(c->a, "drop_%s",
                                    ast_object_word((enum ast_object_kind)st->object));
    sema_need_dialects(c, st->loc, DIALECT_POSTGRESQL, stmt);
    sch_object *o = schema_object(c->s, st->object, st->name.text);
    st->obj_before = st->obj_after = o;
    if (!o) {
        if (!st->if_exists)
            ERR(c, st->name.loc, "unknown %s", what(c, st->object, st->name.text));
        return;
    }
    if (st->object == OBJ_SCHEMA) {
        const char *user = schema_user(c, o->name);
        if (user) {
            ERR(c, st->name.loc, "cannot drop schema '%s': %s is in it", o->name, user);
            return;
        }
    }
    schema_put_object(c->s, o->kind, o->name, NULL);
    st->obj_after = NULL;
}

/* ---- renames ---- */

/* Is `name` free for constraint `old` of `t` (a key's name is also its
 * index's, one namespace with the schema's relations)? */
static int cons_name_free(sctx *c, const sch_table *t, const char *name, int key)
{
    if (sch_has_constraint(t, name))
        return 0;
    return !key || !schema_name_used(c->s, t->name.schema.text, name, 1);
}

void chk_rename_constraint(sctx *c, ast_stmt *st)
{
    sch_table *t = chk_need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    const char *from = st->name.text, *to = st->new_name.text;
    ast_constraint *k = sch_constraint(t, from);
    enum ast_constraint_kind kind = CONS_CHECK;
    ast_coldef *col = k ? NULL : sch_column_constraint(t, from, &kind);
    if (!k && !col) {
        if (!t->opaque)
            ERR(c, st->name.loc, "unknown constraint '%s' on table '%s'", from,
                chk_qname_str(c->a, &t->name));
        return;
    }
    if (k)
        kind = k->kind;
    if (strcmp(from, to) == 0 ||
        !cons_name_free(c, t, to, kind == CONS_PRIMARY_KEY || kind == CONS_UNIQUE)) {
        ERR(c, st->new_name.loc, "the name '%s' is taken on table '%s'%s", to,
            chk_qname_str(c->a, &t->name),
            kind == CONS_PRIMARY_KEY || kind == CONS_UNIQUE
                ? " or by a table or index of its schema" : "");
        return;
    }
    sch_table *n = sch_table_next(c->a, t);
    if (k) {
        ast_constraint *nk = arena_alloc(c->a, sizeof *nk);
        *nk = *k;
        nk->name = st->new_name;
        nk->pg_name = NULL;
        for (int i = 0; i < n->constraints.count; i++)
            if (n->constraints.items[i] == k)
                n->constraints.items[i] = nk;
    } else if (kind == CONS_PRIMARY_KEY) {
        /* A column's primary key stays on the column (SQLite's
         * AUTOINCREMENT needs it there) under its new name. */
        ast_coldef *nc = arena_alloc(c->a, sizeof *nc);
        *nc = *col;
        nc->cons_name[CONS_PRIMARY_KEY] = to;
        for (int i = 0; i < n->columns.count; i++)
            if (n->columns.items[i] == col)
                n->columns.items[i] = nc;
    } else {
        /* A column's unique, check or reference becomes a table
         * constraint with the name, so that every dialect's table text
         * carries it. */
        ast_constraint *nk = arena_alloc(c->a, sizeof *nk);
        nk->kind = kind;
        nk->name = st->new_name;
        nk->loc = st->loc;
        ast_name *cn = arena_alloc(c->a, sizeof *cn);
        *cn = col->name;
        if (kind != CONS_CHECK)
            list_push(c->a, &nk->columns, cn);
        nk->check = col->check;
        nk->references = col->references;
        chk_remove_constraint(c, n, from);
        list_push(c->a, &n->constraints, nk);
    }
    chk_install(c, n);
    st->after = n;
}

void chk_rename_index(sctx *c, ast_stmt *st)
{
    sch_index *ix = schema_index(c->s, st->name.text);
    st->before = st->after = NULL;
    if (!ix) {
        ERR(c, st->name.loc, "unknown index '%s'", st->name.text);
        return;
    }
    if (st->table.name.text && ix->table.name.text &&
        strcmp(st->table.name.text, ix->table.name.text) != 0) {
        ERR(c, st->table.name.loc, "index '%s' is on table '%s', not '%s'",
            st->name.text, chk_qname_str(c->a, &ix->table),
            chk_qname_str(c->a, &st->table));
        return;
    }
    const char *to = st->new_name.text;
    const char *q = ix->table.schema.text;
    if (schema_index(c->s, to) || schema_table(c->s, q, to) || schema_view(c->s, q, to) ||
        schema_object(c->s, OBJ_SEQUENCE, to)) {
        ERR(c, st->new_name.loc, "'%s' already names an index, table, view or sequence",
            to);
        return;
    }
    sch_table *t = ix->table.name.text ? schema_table(c->s, q, ix->table.name.text) : NULL;
    if ((!t || ix->raw) && (c->reach & DIALECT_SQLITE)) {
        /* SQLite renames an index by creating it again. */
        ERR(c, st->name.loc, "the history does not know how index '%s' is made%s, so "
            "SQLite cannot rename it", st->name.text,
            ix->raw ? " (raw SQL made it)" : "");
        return;
    }
    sch_index *nx = arena_alloc(c->a, sizeof *nx);
    *nx = *ix;
    nx->name = to;
    schema_put_index(c->s, ix->name, NULL);
    schema_put_index(c->s, to, nx);
    if (!t)
        return;
    st->before = t;
    sch_table *n = sch_table_next(c->a, t);
    /* By name: the table's list and the index map agree on names. */
    for (int i = 0; i < n->indexes.count; i++)
        if (strcmp(((sch_index *)n->indexes.items[i])->name, ix->name) == 0)
            n->indexes.items[i] = nx;
    chk_install(c, n);
    st->after = n;
}
