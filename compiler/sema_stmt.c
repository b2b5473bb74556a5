/*
 * sema_stmt.c: one statement each: checks it against the schema at its point
 * and applies it.  A statement never changes a table version in place: it
 * installs a new one (sch_table_next), and the old and new versions become
 * the statement's `before` and `after`.  Errors name the offending name's
 * location; `if exists` / `if not exists` turn them into no-ops.
 */
#include "render.h"
#include "sema_int.h"
#include "sqlword.h"

#include <string.h>

const char *chk_qname_str(arena *a, const ast_qname *q)
{
    if (q->schema.text)
        return arena_printf(a, "%s.%s", q->schema.text, q->name.text);
    return q->name.text;
}

static const char *tname(sctx *c, const sch_table *t)
{
    return chk_qname_str(c->a, &t->name);
}

/* Warns once when an object that only one side of an earlier `if`
 * created or dropped is used outside any `if`. */
static void use_uncertain(sctx *c, int kind, const char *q, const char *n,
                          const char *sub, src_loc loc, const char *what)
{
    if (c->in_if || !c->check || schema_uncertain(c->s, kind, q, n, sub) != 1)
        return;
    diag_warning(c->d, loc, "%s '%s' may or may not exist here: it depends "
                 "on an earlier `if`", what, sub ? sub : n);
    schema_set_uncertain(c->s, kind, q, n, sub, 2);
}

/* Clears the mark of an object that an unconditional statement creates
 * or drops: its state is known again. */
static void settle(sctx *c, int kind, const char *q, const char *n,
                   const char *sub)
{
    if (!c->in_if && schema_uncertain(c->s, kind, q, n, sub))
        schema_set_uncertain(c->s, kind, q, n, sub, 0);
}

/* The table `q` names, or NULL after reporting it unknown (when
 * `report`). */
static sch_table *need_table(sctx *c, const ast_qname *q, int report)
{
    sch_table *t = schema_table(c->s, q->schema.text, q->name.text);
    if (!t) {
        if (report)
            ERR(c, q->name.loc, "unknown table '%s'", chk_qname_str(c->a, q));
        return NULL;
    }
    use_uncertain(c, 'T', q->schema.text, q->name.text, NULL, q->name.loc,
                  "table");
    return t;
}

sch_table *chk_need_table(sctx *c, const ast_qname *q, int report)
{
    return need_table(c, q, report);
}

/* 1 when `t` has column `n` (an opaque table has every column); else
 * reports it and returns 0. */
static int need_column(sctx *c, const sch_table *t, const ast_name *n)
{
    if (t->opaque || sch_column(t, n->text)) {
        use_uncertain(c, 'C', t->name.schema.text, t->name.name.text, n->text,
                      n->loc, "column");
        return 1;
    }
    ERR(c, n->loc, "unknown column '%s' in table '%s'", n->text, tname(c, t));
    return 0;
}

static void need_columns(sctx *c, const sch_table *t, const ptr_list *names)
{
    for (int i = 0; i < names->count; i++)
        need_column(c, t, names->items[i]);
}

/* Checks `references T2 (C, ...)` for `ncols` referencing columns; `self`
 * is the table being defined, which may reference itself. */
static void check_reference(sctx *c, const sch_table *self,
                            const ast_reference *r, int ncols)
{
    const sch_table *t = NULL;
    if (self && strcmp(r->table.name.text, self->name.name.text) == 0 &&
        !r->table.schema.text == !self->name.schema.text &&
        (!r->table.schema.text ||
         strcmp(r->table.schema.text, self->name.schema.text) == 0))
        t = self;
    else
        t = need_table(c, &r->table, 1);
    if (!t)
        return;
    need_columns(c, t, &r->columns);
    if (r->columns.count && ncols && r->columns.count != ncols)
        ERR(c, r->loc, "foreign key has %d column%s but references %d",
            ncols, ncols == 1 ? "" : "s", r->columns.count);
}

static int has_primary_key(const sch_table *t)
{
    for (int i = 0; i < t->columns.count; i++)
        if (((ast_coldef *)t->columns.items[i])->primary_key)
            return 1;
    for (int i = 0; i < t->constraints.count; i++)
        if (((ast_constraint *)t->constraints.items[i])->kind == CONS_PRIMARY_KEY)
            return 1;
    return 0;
}

/* --- what foreign keys reference (SPEC section 4: a drop that a foreign
 * key forbids is an error, as PostgreSQL refuses it at deploy time) --- */

static int names_column(const ptr_list *names, const char *col)
{
    for (int i = 0; i < names->count; i++)
        if (strcmp(((ast_name *)names->items[i])->text, col) == 0)
            return 1;
    return 0;
}

static int same_qname(const ast_qname *x, const ast_qname *y)
{
    return strcmp(x->name.text, y->name.text) == 0 &&
           !x->schema.text == !y->schema.text &&
           (!x->schema.text || strcmp(x->schema.text, y->schema.text) == 0);
}

/* The primary key columns of `t` (ast_name*), or an empty list. */
static ptr_list primary_key_columns(sctx *c, const sch_table *t)
{
    ptr_list l = {0};
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *col = t->columns.items[i];
        if (col->primary_key)
            list_push(c->a, &l, &col->name);
    }
    for (int i = 0; i < t->constraints.count && !l.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_PRIMARY_KEY)
            l = k->columns;
    }
    return l;
}

/* Do two column lists hold the same columns (in any order)? */
static int same_column_set(const ptr_list *x, const ptr_list *y)
{
    if (x->count != y->count || !x->count)
        return 0;
    for (int i = 0; i < x->count; i++)
        if (!names_column(y, ((const ast_name *)x->items[i])->text))
            return 0;
    return 1;
}

/* What a drop takes away from table `target`: the whole table (col and
 * key NULL), one column, or one key (its columns). */
typedef struct dropped {
    const sch_table *target;
    const char *col;
    const ptr_list *key;
} dropped;

/* Does foreign key `r` of table `from` (its columns `cols`) stop the
 * drop `dr`? */
static int blocks(sctx *c, const sch_table *from, const ptr_list *cols,
                  const ast_reference *r, const dropped *dr)
{
    if (!r || !same_qname(&r->table, &dr->target->name))
        return 0;
    int self = same_qname(&from->name, &dr->target->name);
    ptr_list to = r->columns;
    if (!to.count)
        to = primary_key_columns(c, dr->target);
    if (dr->col)
        return names_column(&to, dr->col) &&
               !(self && names_column(cols, dr->col));
    if (dr->key)
        return same_column_set(&to, dr->key);
    return !self;
}

/* Reports the drop `dr` at `loc` (`what` describes it) when a foreign key
 * still references what it takes away. */
static void check_referenced(sctx *c, const dropped *dr, src_loc loc,
                             const char *what)
{
    if (!c->check)
        return;
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(c->s, &cursor));) {
        for (int i = 0; i < t->columns.count; i++) {
            ast_coldef *col = t->columns.items[i];
            void *one[1] = {&col->name};
            ptr_list cols = {one, 1, 1};
            if (!col->references)
                continue;
            if (blocks(c, t, &cols, col->references, dr)) {
                ERR(c, loc, "cannot drop %s: foreign key '%s' of table '%s' "
                    "references it", what,
                    col->cons_name[CONS_FOREIGN_KEY]
                        ? col->cons_name[CONS_FOREIGN_KEY] : col->name.text,
                    tname(c, t));
                return;
            }
        }
        for (int i = 0; i < t->constraints.count; i++) {
            const ast_constraint *k = t->constraints.items[i];
            if (k->kind == CONS_FOREIGN_KEY &&
                blocks(c, t, &k->columns, k->references, dr)) {
                const char *n = sch_cons_name(k);
                ERR(c, loc, "cannot drop %s: foreign key '%s' of table '%s' "
                    "references it", what, n ? n : "(unnamed)", tname(c, t));
                return;
            }
        }
    }
}

void chk_install(sctx *c, sch_table *t)
{
    schema_put_table(c->s, t->name.schema.text, t->name.name.text, t);
}

/* Installs `t` minus the index at position k. */
void chk_remove_index_at(sctx *c, sch_table *t, int k)
{
    sch_index *ix = t->indexes.items[k];
    memmove(&t->indexes.items[k], &t->indexes.items[k + 1],
            sizeof(void *) * (size_t)(t->indexes.count - k - 1));
    t->indexes.count--;
    schema_put_index(c->s, ix->name, NULL);
}

/* Checks and adds one constraint to the new version `t`. */
static void add_constraint(sctx *c, sch_table *t, ast_constraint *k)
{
    if (k->name.text && sch_has_constraint(t, k->name.text)) {
        ERR(c, k->name.loc, "constraint '%s' already exists on table '%s'",
            k->name.text, tname(c, t));
        return;
    }
    if (k->kind == CONS_PRIMARY_KEY && has_primary_key(t))
        ERR(c, k->name.text ? k->name.loc : k->loc,
            "table '%s' already has a primary key", tname(c, t));
    need_columns(c, t, &k->columns);
    if (k->kind == CONS_FOREIGN_KEY && k->references)
        check_reference(c, t, k->references, k->columns.count);
    list_push(c->a, &t->constraints, k);
    settle(c, 'K', t->name.schema.text, t->name.name.text, sch_cons_name(k));
}

/* --- one statement each --- */

/* A type the databases the statement runs on all have. */
static void check_type(sctx *c, const ast_type *t)
{
    if (t->array)
        sema_need_dialects(c, t->loc, DIALECT_POSTGRESQL, "an array type");
}

static void create_table(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sch_table *old = schema_table(c->s, q->schema.text, q->name.text);
    if (old) {
        if (!st->if_not_exists)
            ERR(c, q->name.loc, "table '%s' already exists", chk_qname_str(c->a, q));
        st->before = st->after = old;
        return;
    }
    if (schema_view(c->s, q->schema.text, q->name.text)) {
        ERR(c, q->name.loc, "'%s' is a view: a table cannot take its name",
            chk_qname_str(c->a, q));
        return;
    }
    sch_table *t = sch_table_next(c->a, NULL);
    t->name = *q;
    t->created_by = c->rev;
    t->loc = q->name.loc;
    t->seq = schema_next_seq(c->s);
    int pks = 0;
    for (int i = 0; i < st->columns.count; i++) {
        ast_coldef *col = st->columns.items[i];
        if (sch_column(t, col->name.text)) {
            ERR(c, col->name.loc, "duplicate column '%s' in table '%s'",
                col->name.text, tname(c, t));
            continue;
        }
        if (col->primary_key && ++pks == 2)
            ERR(c, col->loc, "table '%s' has more than one primary key",
                tname(c, t));
        list_push(c->a, &t->columns, chk_uncommented(c, chk_enum_column(c, col)));
    }
    for (int i = 0; i < st->columns.count; i++) {
        ast_coldef *col = st->columns.items[i];
        check_type(c, &col->type);
        if (col->references)
            check_reference(c, t, col->references, 1);
    }
    for (int i = 0; i < st->constraints.count; i++)
        add_constraint(c, t, st->constraints.items[i]);
    cname_assign(c, t, 0, 0);
    chk_install(c, t);
    settle(c, 'T', q->schema.text, q->name.text, NULL);
    st->before = NULL;
    st->after = t;
}

static void drop_table(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, !st->if_exists);
    st->before = t;
    st->after = NULL;
    if (!t)
        return;
    dropped dr = {t, NULL, NULL};
    check_referenced(c, &dr, st->table.name.loc,
                     arena_printf(c->a, "table '%s'", tname(c, t)));
    chk_views_reading(c, &t->name, NULL, st->table.name.loc,
                      arena_printf(c->a, "drop table '%s'", tname(c, t)));
    for (int i = 0; i < t->indexes.count; i++)
        schema_put_index(c->s, ((sch_index *)t->indexes.items[i])->name, NULL);
    chk_raw_indexes_follow(c, &t->name, NULL);
    schema_put_table(c->s, t->name.schema.text, t->name.name.text, NULL);
    settle(c, 'T', t->name.schema.text, t->name.name.text, NULL);
}

/* Renames column `from` to `to` in an index's or constraint's list. */
static void rename_in_names(arena *a, ptr_list *names, const char *from,
                            const ast_name *to)
{
    ptr_list l = {0};
    for (int i = 0; i < names->count; i++) {
        ast_name *n = names->items[i];
        if (strcmp(n->text, from) == 0) {
            ast_name *r = arena_alloc(a, sizeof *r);
            *r = *to;
            n = r;
        }
        list_push(a, &l, n);
    }
    *names = l;
}

/* A copy of reference `r` to `table`, with column `from` (when not NULL)
 * called `to`. */
static ast_reference *renamed_reference(sctx *c, const ast_reference *r,
                                        const ast_qname *table,
                                        const char *from, const ast_name *to)
{
    ast_reference *n = arena_alloc(c->a, sizeof *n);
    *n = *r;
    n->table = *table;
    if (from)
        rename_in_names(c->a, &n->columns, from, to);
    return n;
}

/* Makes every foreign key that references table `old` follow its rename
 * to `renamed` and, when `from` is not NULL, the rename of its column
 * `from` to `to`.  Both databases do so themselves (PostgreSQL keeps keys
 * by object, SQLite's RENAME rewrites the REFERENCES text), so the model
 * must: else a later SQLite rebuild of a referencing table writes a key
 * to a table or column that no longer exists, and `check` expects it. */
static void follow_references(sctx *c, const ast_qname *old,
                              const ast_qname *renamed, const char *from,
                              const ast_name *to)
{
    ptr_list tables = {0};
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(c->s, &cursor));)
        list_push(c->a, &tables, (void *)t);
    for (int ti = 0; ti < tables.count; ti++) {
        const sch_table *t = tables.items[ti];
        sch_table *n = NULL;
        for (int i = 0; i < t->columns.count; i++) {
            const ast_coldef *col = t->columns.items[i];
            if (!col->references || !same_qname(&col->references->table, old))
                continue;
            if (!n)
                n = sch_table_next(c->a, t);
            ast_coldef *ncol = arena_alloc(c->a, sizeof *ncol);
            *ncol = *col;
            ncol->references = renamed_reference(c, col->references, renamed,
                                                 from, to);
            n->columns.items[i] = ncol;
        }
        for (int i = 0; i < t->constraints.count; i++) {
            const ast_constraint *k = t->constraints.items[i];
            if (k->kind != CONS_FOREIGN_KEY || !k->references ||
                !same_qname(&k->references->table, old))
                continue;
            if (!n)
                n = sch_table_next(c->a, t);
            ast_constraint *nk = arena_alloc(c->a, sizeof *nk);
            *nk = *k;
            nk->references = renamed_reference(c, k->references, renamed,
                                               from, to);
            n->constraints.items[i] = nk;
        }
        if (n)
            chk_install(c, n);
    }
}

static void rename_table(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    if (!t)
        return;
    if (schema_table(c->s, t->name.schema.text, st->new_name.text) ||
        schema_view(c->s, t->name.schema.text, st->new_name.text)) {
        ERR(c, st->new_name.loc, "%s '%s' already exists",
            schema_table(c->s, t->name.schema.text, st->new_name.text) ? "table"
                                                                        : "view",
            st->new_name.text);
        return;
    }
    /* PostgreSQL's views follow a rename, but the view's body as the
     * history wrote it (which a derived downgrade recreates) would not. */
    if (chk_views_reading(c, &t->name, NULL, st->table.name.loc,
                          arena_printf(c->a, "rename table '%s'", tname(c, t))))
        return;
    sch_table *n = sch_table_next(c->a, t);
    n->name.name = st->new_name;
    for (int i = 0; i < n->indexes.count; i++) {
        sch_index *ix = arena_alloc(c->a, sizeof *ix);
        *ix = *(sch_index *)n->indexes.items[i];
        ix->table = n->name;
        n->indexes.items[i] = ix;
        schema_put_index(c->s, ix->name, ix);
    }
    schema_put_table(c->s, t->name.schema.text, t->name.name.text, NULL);
    chk_install(c, n);
    follow_references(c, &t->name, &n->name, NULL, NULL);
    chk_raw_indexes_follow(c, &t->name, &n->name);
    settle(c, 'T', n->name.schema.text, n->name.name.text, NULL);
    st->before = t;
    st->after = schema_table(c->s, n->name.schema.text, n->name.name.text);
}

static void add_column(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t || !st->column)
        return;
    ast_coldef *col = st->column;
    check_type(c, &col->type);
    if (sch_column(t, col->name.text)) {
        if (!st->if_not_exists)
            ERR(c, col->name.loc, "column '%s' already exists in table '%s'",
                col->name.text, tname(c, t));
        return;
    }
    if (col->primary_key && has_primary_key(t))
        ERR(c, col->loc, "table '%s' already has a primary key", tname(c, t));
    if (col->references)
        check_reference(c, t, col->references, 1);
    sch_table *n = sch_table_next(c->a, t);
    list_push(c->a, &n->columns, chk_uncommented(c, chk_enum_column(c, col)));
    cname_assign(c, n, n->columns.count - 1, n->constraints.count);
    chk_install(c, n);
    settle(c, 'C', t->name.schema.text, t->name.name.text, col->name.text);
    st->after = n;
}

static int index_uses(const sch_index *ix, const char *col)
{
    for (int i = 0; i < ix->elems.count; i++) {
        const ast_index_elem *e = ix->elems.items[i];
        if (e->column.text && strcmp(e->column.text, col) == 0)
            return 1;
    }
    return 0;
}

static void drop_column(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    if (!sch_column(t, st->name.text)) {
        if (!st->if_exists && !t->opaque)
            ERR(c, st->name.loc, "unknown column '%s' in table '%s'",
                st->name.text, tname(c, t));
        return;
    }
    use_uncertain(c, 'C', t->name.schema.text, t->name.name.text,
                  st->name.text, st->name.loc, "column");
    dropped dr = {t, st->name.text, NULL};
    check_referenced(c, &dr, st->name.loc,
                     arena_printf(c->a, "column '%s' of table '%s'",
                                  st->name.text, tname(c, t)));
    /* The column goes with the indexes and constraints that use it, as
     * PostgreSQL does it; the derived downgrade brings them back. */
    sch_table *n = sch_table_next(c->a, t);
    n->columns.count = 0;
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *col = t->columns.items[i];
        if (strcmp(col->name.text, st->name.text) != 0)
            n->columns.items[n->columns.count++] = col;
    }
    n->constraints.count = 0;
    for (int i = 0; i < t->constraints.count; i++) {
        ast_constraint *k = t->constraints.items[i];
        if (!names_column(&k->columns, st->name.text))
            n->constraints.items[n->constraints.count++] = k;
    }
    for (int i = n->indexes.count - 1; i >= 0; i--)
        if (index_uses(n->indexes.items[i], st->name.text))
            chk_remove_index_at(c, n, i);
    chk_install(c, n);
    settle(c, 'C', t->name.schema.text, t->name.name.text, st->name.text);
    st->after = n;
}

/* Raw SQL `sql` with each column reference to `from` written as `to`, or
 * NULL when it has none.  Both databases keep expressions by what they
 * mean, not as text (PostgreSQL parses them; SQLite's RENAME COLUMN
 * rewrites them), so the model's text must follow a rename: else a later
 * SQLite rebuild writes CHECK (old > 0) and fails, and PostgreSQL's
 * default CHECK name is read off the wrong column. */
static const char *rename_in_sql(arena *a, const char *sql, const char *from,
                                 const char *to)
{
    if (!sql)
        return NULL;
    const char *q = NULL;     /* `to` as the SQL writes it */
    const char *p = sql, *done = sql;
    char *out = NULL;
    sql_word w;
    while (sqlword_next(&p, &w)) {
        if (!w.column || !sqlword_is(&w, from))
            continue;
        if (!q)
            q = render_ident(a, to);
        out = arena_printf(a, "%s%.*s%s", out ? out : "", (int)(w.start - done),
                           done, q);
        done = w.start + w.len;
    }
    return out ? arena_printf(a, "%s%s", out, done) : NULL;
}

/* Makes the other members of `n` follow a column rename: key and index
 * column lists, and every expression that reads the column. */
static void follow_rename(sctx *c, sch_table *n, const char *from,
                          const ast_name *to)
{
    for (int i = 0; i < n->columns.count; i++) {
        ast_coldef *col = n->columns.items[i];
        const char *check = rename_in_sql(c->a, col->check, from, to->text);
        if (!check)
            continue;
        ast_coldef *ncol = arena_alloc(c->a, sizeof *ncol);
        *ncol = *col;
        ncol->check = check;
        n->columns.items[i] = ncol;
    }
    for (int i = 0; i < n->constraints.count; i++) {
        ast_constraint *k = n->constraints.items[i];
        const char *check = rename_in_sql(c->a, k->check, from, to->text);
        if (!names_column(&k->columns, from) && !check)
            continue;
        ast_constraint *nk = arena_alloc(c->a, sizeof *nk);
        *nk = *k;
        rename_in_names(c->a, &nk->columns, from, to);
        if (check)
            nk->check = check;
        n->constraints.items[i] = nk;
    }
    for (int i = 0; i < n->indexes.count; i++) {
        sch_index *ix = n->indexes.items[i];
        const char *where = rename_in_sql(c->a, ix->where, from, to->text);
        int changed = where != NULL;
        ptr_list elems = {0};
        for (int k = 0; k < ix->elems.count; k++) {
            ast_index_elem *e = ix->elems.items[k];
            const char *expr = rename_in_sql(c->a, e->expr, from, to->text);
            if ((e->column.text && strcmp(e->column.text, from) == 0) || expr) {
                ast_index_elem *ne = arena_alloc(c->a, sizeof *ne);
                *ne = *e;
                if (expr)
                    ne->expr = expr;
                else
                    ne->column.text = to->text;
                e = ne;
                changed = 1;
            }
            list_push(c->a, &elems, e);
        }
        if (!changed)
            continue;
        sch_index *nx = arena_alloc(c->a, sizeof *nx);
        *nx = *ix;
        if (where)
            nx->where = where;
        nx->elems = elems;
        n->indexes.items[i] = nx;
        schema_put_index(c->s, nx->name, nx);
    }
}

/* alter_column: type, nullability, default, rename. */
static void alter_column(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    ast_coldef *old = sch_column(t, st->name.text);
    if (!old) {
        if (!t->opaque)
            ERR(c, st->name.loc, "unknown column '%s' in table '%s'",
                st->name.text, tname(c, t));
        return;
    }
    use_uncertain(c, 'C', t->name.schema.text, t->name.name.text,
                  st->name.text, st->name.loc, "column");
    ast_coldef *col = arena_alloc(c->a, sizeof *col);
    *col = *old;
    switch (st->kind) {
    case ST_ALTER_TYPE:
        chk_enum_type(c, &st->type);
        check_type(c, &st->type);
        col->type = st->type;
        /* PostgreSQL refuses ALTER COLUMN TYPE under a view that reads
         * the table (SQLite's rebuild keeps the views). */
        if (c->reach & DIALECT_POSTGRESQL)
            chk_views_using(c, &t->name, st->name.text, NULL, st->name.loc,
                              arena_printf(c->a, "change the type of column '%s'",
                                           st->name.text));
        break;
    case ST_ALTER_SET_NOT_NULL:
        col->not_null = 1;
        col->explicit_null = 0;
        break;
    case ST_ALTER_DROP_NOT_NULL:
        if (old->primary_key)
            ERR(c, st->name.loc, "column '%s' is part of the primary key of "
                "table '%s'", st->name.text, tname(c, t));
        col->not_null = 0;
        break;
    case ST_ALTER_SET_DEFAULT:
        col->dflt = st->dflt;
        col = chk_enum_column(c, col);
        break;
    case ST_ALTER_DROP_DEFAULT:
        col->dflt = NULL;
        break;
    case ST_ALTER_RENAME:
        if (sch_column(t, st->new_name.text)) {
            ERR(c, st->new_name.loc, "column '%s' already exists in table '%s'",
                st->new_name.text, tname(c, t));
            return;
        }
        col->name = st->new_name;
        chk_raw_indexes_follow(c, &t->name, &t->name);
        break;
    case ST_CREATE_TABLE:
    case ST_DROP_TABLE:
    case ST_RENAME_TABLE:
    case ST_ADD_COLUMN:
    case ST_DROP_COLUMN:
    case ST_CREATE_INDEX:
    case ST_DROP_INDEX:
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY:
    case ST_DROP_CONSTRAINT:
    case ST_VALIDATE_CONSTRAINT:
    case ST_UPDATE:
    case ST_DELETE:
    case ST_INSERT_SELECT:
    case ST_EXECUTE:
    case ST_BULK_INSERT:
    case ST_LOCK_TABLE:
    case ST_CREATE_FUNCTION:
    case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
    case ST_CALL:
    case ST_IF:
    case ST_CREATE_VIEW:
    case ST_DROP_VIEW:
    case ST_CREATE_TRIGGER:
    case ST_DROP_TRIGGER:
    case ST_TABLE_COMMENT:
    case ST_COLUMN_COMMENT:
    case ST_CREATE_ENUM:
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_DROP_ENUM:
    case ST_ALTER_ENUM_RENAME_TYPE:
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
    case ST_RENAME_CONSTRAINT:
    case ST_RENAME_INDEX:
        return;   /* not a column change: never passed here */
    }
    sch_table *n = sch_table_next(c->a, t);
    for (int i = 0; i < n->columns.count; i++)
        if (n->columns.items[i] == old)
            n->columns.items[i] = col;
    if (st->kind == ST_ALTER_RENAME)
        follow_rename(c, n, old->name.text, &st->new_name);
    chk_install(c, n);
    if (st->kind == ST_ALTER_RENAME)
        follow_references(c, &n->name, &n->name, old->name.text, &st->new_name);
    st->after = schema_table(c->s, n->name.schema.text, n->name.name.text);
}

static void create_index(sctx *c, ast_stmt *st)
{
    sch_index *old = schema_index(c->s, st->name.text);
    if (old) {
        if (!st->if_not_exists)
            ERR(c, st->name.loc, "index '%s' already exists", st->name.text);
        st->before = st->after = old->table.name.text
            ? schema_table(c->s, old->table.schema.text, old->table.name.text)
            : NULL;
        return;
    }
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    for (int i = 0; i < st->elems.count; i++) {
        ast_index_elem *e = st->elems.items[i];
        if (e->column.text)
            need_column(c, t, &e->column);
        if (e->opclass)
            sema_need_dialects(c, e->loc, DIALECT_POSTGRESQL, "an operator class");
    }
    if (st->method && strcmp(st->method, "btree") != 0)
        sema_need_dialects(c, st->name.loc, DIALECT_POSTGRESQL,
                           arena_printf(c->a, "index method '%s'", st->method));
    sch_index *ix = arena_alloc(c->a, sizeof *ix);
    ix->name = st->name.text;
    ix->method = st->method && strcmp(st->method, "btree") != 0 ? st->method : NULL;
    ix->table = t->name;
    ix->elems = st->elems;
    ix->unique = st->unique;
    ix->where = st->where;
    ix->loc = st->name.loc;
    sch_table *n = sch_table_next(c->a, t);
    list_push(c->a, &n->indexes, ix);
    chk_install(c, n);
    schema_put_index(c->s, ix->name, ix);
    settle(c, 'I', NULL, ix->name, NULL);
    st->after = n;
}

/* The columns of an index (ast_name*); empty when it has an expression. */
static ptr_list index_columns(sctx *c, const sch_index *ix)
{
    ptr_list l = {0};
    for (int i = 0; i < ix->elems.count; i++) {
        ast_index_elem *e = ix->elems.items[i];
        if (!e->column.text)
            return (ptr_list){0};
        list_push(c->a, &l, &e->column);
    }
    return l;
}

/* Could a foreign key depend on unique index `ix` of `t`?  PostgreSQL
 * ties a foreign key to the first unique index over the referenced
 * columns; a primary key or unique constraint over them (created with the
 * table or before the index, in the histories this matters for) or an
 * earlier unique index takes that role instead. */
static int index_is_fk_target(sctx *c, const sch_table *t, const sch_index *ix)
{
    ptr_list key = index_columns(c, ix);
    if (!ix->unique || ix->where || !key.count)
        return 0;
    ptr_list pk = primary_key_columns(c, t);
    if (same_column_set(&pk, &key))
        return 0;
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *col = t->columns.items[i];
        void *name[1] = {&col->name};
        ptr_list one = {name, 1, 1};
        if (col->unique && same_column_set(&one, &key))
            return 0;
    }
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_UNIQUE && same_column_set(&k->columns, &key))
            return 0;
    }
    for (int i = 0; i < t->indexes.count && t->indexes.items[i] != ix; i++) {
        const sch_index *o = t->indexes.items[i];
        ptr_list ok = index_columns(c, o);
        if (o->unique && !o->where && same_column_set(&ok, &key))
            return 0;
    }
    return 1;
}

static void drop_index(sctx *c, ast_stmt *st)
{
    sch_index *ix = schema_index(c->s, st->name.text);
    st->before = st->after = NULL;
    st->raw_index_sql = NULL;
    if (!ix) {
        if (!st->if_exists)
            ERR(c, st->name.loc, "unknown index '%s'", st->name.text);
        return;
    }
    st->raw_index_sql = ix->raw;
    use_uncertain(c, 'I', NULL, st->name.text, NULL, st->name.loc, "index");
    if (st->table.name.text && ix->table.name.text &&
        (strcmp(st->table.name.text, ix->table.name.text) != 0)) {
        ERR(c, st->table.name.loc, "index '%s' is on table '%s', not '%s'",
            st->name.text, chk_qname_str(c->a, &ix->table),
            chk_qname_str(c->a, &st->table));
        return;
    }
    schema_put_index(c->s, ix->name, NULL);
    settle(c, 'I', NULL, ix->name, NULL);
    sch_table *t = ix->table.name.text
        ? schema_table(c->s, ix->table.schema.text, ix->table.name.text) : NULL;
    st->before = st->after = t;
    if (!t)
        return;
    if (index_is_fk_target(c, t, ix)) {
        ptr_list key = index_columns(c, ix);
        dropped dr = {t, NULL, &key};
        check_referenced(c, &dr, st->name.loc,
                         arena_printf(c->a, "index '%s'", ix->name));
    }
    sch_table *n = sch_table_next(c->a, t);
    for (int i = 0; i < n->indexes.count; i++)
        if (strcmp(((sch_index *)n->indexes.items[i])->name, ix->name) == 0)
            chk_remove_index_at(c, n, i--);
    chk_install(c, n);
    st->after = n;
}

static int take_index(sctx *c, ast_stmt *st, sch_table *n, ast_constraint *k);

static void create_constraint(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    ast_constraint *k = arena_alloc(c->a, sizeof *k);
    k->kind = st->kind == ST_CREATE_PRIMARY_KEY ? CONS_PRIMARY_KEY
            : st->kind == ST_CREATE_UNIQUE ? CONS_UNIQUE
            : st->kind == ST_CREATE_CHECK ? CONS_CHECK : CONS_FOREIGN_KEY;
    k->name = st->name;
    k->columns = st->cols;
    k->check = st->raw;
    k->references = st->references;
    k->loc = st->loc;
    k->not_valid = st->not_valid;
    k->deferral = st->deferral;
    if (k->name.text && sch_has_constraint(t, k->name.text)) {
        ERR(c, k->name.loc, "constraint '%s' already exists on table '%s'",
            k->name.text, tname(c, t));
        return;
    }
    sch_table *n = sch_table_next(c->a, t);
    if (st->using_index.text && !take_index(c, st, n, k))
        return;
    if (!k->name.text)
        st->given_name = k->pg_name = cname_added(c, n, k);
    add_constraint(c, n, k);
    chk_install(c, n);
    st->after = n;
}

/* `create_unique_constraint N on T using index I`: the index becomes the
 * constraint's (PostgreSQL renames it N), so it leaves `n`, and its
 * columns are the key.  PostgreSQL takes only a unique index of T on
 * plain columns in default order, without a predicate. */
static int take_index(sctx *c, ast_stmt *st, sch_table *n, ast_constraint *k)
{
    const ast_name *in = &st->using_index;
    int at = -1;
    for (int i = 0; i < n->indexes.count; i++)
        if (strcmp(((sch_index *)n->indexes.items[i])->name, in->text) == 0)
            at = i;
    if (at < 0) {
        if (!n->opaque)
            ERR(c, in->loc, "table '%s' has no index '%s'", tname(c, n), in->text);
        return 0;
    }
    const sch_index *ix = n->indexes.items[at];
    const char *why = !ix->unique ? "is not unique"
                    : ix->where ? "is partial (where ...)" : NULL;
    ptr_list cols = {0};
    for (int i = 0; i < ix->elems.count && !why; i++) {
        const ast_index_elem *e = ix->elems.items[i];
        if (!e->column.text)
            why = "has an expression";
        else if (e->order == 2)
            why = "has a descending column";
        else
            list_push(c->a, &cols, (void *)&e->column);
    }
    if (why) {
        ERR(c, in->loc, "index '%s' %s: a unique constraint can take only a unique "
            "index on plain columns", in->text, why);
        return 0;
    }
    k->columns = cols;
    st->cols = cols;
    chk_remove_index_at(c, n, at);
    return 1;
}

/* validate_constraint N on T: the check or foreign key added `not valid`
 * now holds for every row.  On one already valid it is a no-op, as in
 * PostgreSQL. */
static void validate_constraint(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    enum ast_constraint_kind kind = CONS_CHECK;
    const ast_constraint *k = sch_constraint(t, st->name.text);
    if (!k && !sch_column_constraint(t, st->name.text, &kind)) {
        if (!t->opaque)
            ERR(c, st->name.loc, "unknown constraint '%s' on table '%s'",
                st->name.text, tname(c, t));
        return;
    }
    if (k)
        kind = k->kind;
    if (kind != CONS_CHECK && kind != CONS_FOREIGN_KEY) {
        ERR(c, st->name.loc, "constraint '%s' is a %s: only check constraints and "
            "foreign keys are validated", st->name.text,
            kind == CONS_UNIQUE ? "unique constraint" : "primary key");
        return;
    }
    if (!k || !k->not_valid)
        return;
    sch_table *n = sch_table_next(c->a, t);
    ast_constraint *v = arena_alloc(c->a, sizeof *v);
    *v = *k;
    v->not_valid = 0;
    for (int i = 0; i < n->constraints.count; i++)
        if (n->constraints.items[i] == k)
            n->constraints.items[i] = v;
    chk_install(c, n);
    st->after = n;
}

int chk_remove_constraint(sctx *c, sch_table *t, const char *name)
{
    ast_constraint *k = sch_constraint(t, name);
    if (k) {
        int n = 0;
        for (int i = 0; i < t->constraints.count; i++)
            if (t->constraints.items[i] != k)
                t->constraints.items[n++] = t->constraints.items[i];
        t->constraints.count = n;
        return 1;
    }
    enum ast_constraint_kind kind;
    ast_coldef *old = sch_column_constraint(t, name, &kind);
    if (!old)
        return 0;
    /* A column-level constraint: the column comes back without it. */
    ast_coldef *col = arena_alloc(c->a, sizeof *col);
    *col = *old;
    col->cons_name[kind] = NULL;
    switch (kind) {
    case CONS_PRIMARY_KEY:
        /* PostgreSQL keeps the NOT NULL that the key implied; SQLite
         * allows AUTOINCREMENT on a primary key only. */
        col->primary_key = 0;
        col->autoincrement = 0;
        col->not_null = 1;
        col->explicit_null = 0;
        break;
    case CONS_UNIQUE:
        col->unique = 0;
        break;
    case CONS_CHECK:
        col->check = NULL;
        break;
    case CONS_FOREIGN_KEY:
        col->references = NULL;
        break;
    }
    for (int i = 0; i < t->columns.count; i++)
        if (t->columns.items[i] == old)
            t->columns.items[i] = col;
    return 1;
}

static void drop_constraint(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    if (!sch_has_constraint(t, st->name.text)) {
        if (!t->opaque)
            ERR(c, st->name.loc, "unknown constraint '%s' on table '%s'",
                st->name.text, tname(c, t));
        return;
    }
    use_uncertain(c, 'K', t->name.schema.text, t->name.name.text,
                  st->name.text, st->name.loc, "constraint");
    ptr_list key = {0};
    const ast_constraint *k = sch_constraint(t, st->name.text);
    enum ast_constraint_kind kind = CONS_CHECK;
    ast_coldef *col = k ? NULL : sch_column_constraint(t, st->name.text, &kind);
    if (k && (k->kind == CONS_PRIMARY_KEY || k->kind == CONS_UNIQUE))
        key = k->columns;
    else if (col && (kind == CONS_PRIMARY_KEY || kind == CONS_UNIQUE))
        list_push(c->a, &key, &col->name);
    if (key.count) {
        dropped dr = {t, NULL, &key};
        check_referenced(c, &dr, st->name.loc,
                         arena_printf(c->a, "constraint '%s' on table '%s'",
                                      st->name.text, tname(c, t)));
    }
    sch_table *n = sch_table_next(c->a, t);
    chk_remove_constraint(c, n, st->name.text);
    chk_install(c, n);
    settle(c, 'K', t->name.schema.text, t->name.name.text, st->name.text);
    st->after = n;
}

/* update, delete and insert ... select: the table exists here, and so
 * does every column named; a column is set once, and a NOT NULL column
 * never to null.  The predicate and the query are the database's to
 * check. */
static void data_stmt(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    for (int i = 0; i < st->from.count; i++) {
        const ast_qname *q = st->from.items[i];
        need_table(c, q, 1);
        if (q->name.text && st->table.name.text &&
            strcmp(q->name.text, st->table.name.text) == 0 &&
            !!q->schema.text == !!st->table.schema.text &&
            (!q->schema.text || strcmp(q->schema.text, st->table.schema.text) == 0))
            ERR(c, q->name.loc, "table '%s' is the table updated: name it once",
                q->name.text);
    }
    if (!t)
        return;
    need_columns(c, t, &st->cols);
    for (int i = 0; i < st->cols.count; i++) {
        const ast_name *n = st->cols.items[i];
        for (int j = 0; j < i; j++)
            if (strcmp(((const ast_name *)st->cols.items[j])->text, n->text) == 0)
                ERR(c, n->loc, "column '%s' is named twice", n->text);
        const ast_coldef *col = sch_column(t, n->text);
        const ast_expr *v = i < st->values.count ? st->values.items[i] : NULL;
        if (col && col->not_null && v && v->kind == EX_NULL)
            ERR(c, v->loc, "column '%s' of table '%s' is not null", n->text, tname(c, t));
    }
}

/* lock_table: the tables exist; PostgreSQL refuses LOCK TABLE outside a
 * transaction block. */
static void lock_table(sctx *c, ast_stmt *st)
{
    for (int i = 0; i < st->tables.count; i++) {
        sch_table *t = need_table(c, st->tables.items[i], 1);
        if (i == 0)
            st->before = st->after = t;
    }
    if (!c->transactional)
        ERR(c, st->loc, "'lock_table' holds its lock until the transaction "
                        "ends, and a 'transaction none' revision has none");
}

static void bulk_insert(sctx *c, ast_stmt *st)
{
    sch_table *t = need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    need_columns(c, t, &st->cols);
    for (int i = 0; i < st->rows.count; i++) {
        ptr_list *row = st->rows.items[i];
        if (row->count != st->cols.count)
            ERR(c, row->count ? ((ast_expr *)row->items[0])->loc : st->loc,
                "bulk_insert row has %d value%s for %d column%s", row->count,
                row->count == 1 ? "" : "s", st->cols.count,
                st->cols.count == 1 ? "" : "s");
    }
}

void chk_stmt(sctx *c, ast_stmt *st)
{
    /* PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY in a transaction
     * block: catch at build time what would fail at deploy time. */
    if (st->concurrently && c->transactional)
        ERR(c, st->loc, "'concurrently' cannot run inside a transaction; "
                        "add 'transaction none' to the revision's header");
    switch (st->kind) {
    case ST_CREATE_TABLE: create_table(c, st); break;
    case ST_DROP_TABLE: drop_table(c, st); break;
    case ST_RENAME_TABLE: rename_table(c, st); break;
    case ST_ADD_COLUMN: add_column(c, st); break;
    case ST_DROP_COLUMN: drop_column(c, st); break;
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_ALTER_RENAME: alter_column(c, st); break;
    case ST_CREATE_INDEX: create_index(c, st); break;
    case ST_DROP_INDEX: drop_index(c, st); break;
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY: create_constraint(c, st); break;
    case ST_DROP_CONSTRAINT: drop_constraint(c, st); break;
    case ST_VALIDATE_CONSTRAINT: validate_constraint(c, st); break;
    case ST_UPDATE:
    case ST_DELETE:
    case ST_INSERT_SELECT: data_stmt(c, st); break;
    case ST_BULK_INSERT: bulk_insert(c, st); break;
    case ST_LOCK_TABLE: lock_table(c, st); break;
    case ST_CREATE_VIEW: chk_create_view(c, st); break;
    case ST_DROP_VIEW: chk_drop_view(c, st); break;
    case ST_CREATE_TRIGGER: chk_create_trigger(c, st); break;
    case ST_DROP_TRIGGER: chk_drop_trigger(c, st); break;
    case ST_TABLE_COMMENT: chk_table_comment(c, st); break;
    case ST_COLUMN_COMMENT: chk_column_comment(c, st); break;
    case ST_CREATE_ENUM: chk_create_enum(c, st); break;
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_ALTER_ENUM_RENAME_TYPE: chk_alter_enum(c, st); break;
    case ST_DROP_ENUM: chk_drop_enum(c, st); break;
    case ST_CREATE_FUNCTION: chk_create_function(c, st); break;
    case ST_REPLACE_FUNCTION: chk_replace_function(c, st); break;
    case ST_DROP_FUNCTION: chk_drop_function(c, st); break;
    case ST_CREATE_OBJECT: chk_create_object(c, st); break;
    case ST_DROP_OBJECT: chk_drop_object(c, st); break;
    case ST_RENAME_CONSTRAINT: chk_rename_constraint(c, st); break;
    case ST_RENAME_INDEX: chk_rename_index(c, st); break;
    case ST_EXECUTE: chk_raw_sql(c, st); break;   /* else opaque */
    case ST_CALL:             /* rows only; the name was checked by the parser */
    case ST_IF:               /* sema.c */
        break;
    }
}
