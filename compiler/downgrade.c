/*
 * downgrade.c: deriving a revision's downgrade from its upgrade.
 *
 * The inverse of each statement is built from the statement and the
 * table as it stood around it (ast_stmt.before / .after, filled when sema
 * walked the upgrade), and the inverses run in reverse order.  A dropped
 * table comes back with its columns, constraints and indexes; a dropped
 * column with its definition and the indexes and constraints that went
 * with it; an alteration goes back to the old state.  A statement that
 * changed nothing (`if not exists` on something present) has no inverse.
 */
#include "ast_make.h"
#include "sema.h"

#include <string.h>

typedef struct dctx {
    arena *a;
    diag *d;
} dctx;

static void invert_list(dctx *c, const ptr_list *body, ptr_list *out);

static ast_stmt *new_stmt(dctx *c, enum ast_stmt_kind kind, const ast_stmt *from)
{
    return ast_make(c->a, kind, &from->table, from->loc);
}

static ast_name plain(const char *text, src_loc loc)
{
    return (ast_name){text, loc};
}

/* Unnamed, a constraint comes back under the name PostgreSQL gave it,
 * which the history's later statements may use. */
static ast_stmt *create_constraint_of(dctx *c, const ast_stmt *from,
                                      const sch_table *t,
                                      const ast_constraint *k)
{
    return ast_make_create_constraint(c->a, &t->name, k,
                                      k->name.text ? k->name : plain(k->pg_name, from->loc),
                                      from->loc);
}

static int has_member(const ptr_list *l, const void *item)
{
    for (int i = 0; i < l->count; i++)
        if (l->items[i] == item)
            return 1;
    return 0;
}

/* Column-level constraint `name` of `t` as a table-level one (a dropped
 * one comes back with ALTER TABLE ... ADD CONSTRAINT), or NULL. */
static const ast_constraint *column_constraint(dctx *c, const sch_table *t,
                                               const char *name)
{
    enum ast_constraint_kind kind;
    ast_coldef *col = sch_column_constraint(t, name, &kind);
    if (!col)
        return NULL;
    ast_constraint *k = arena_alloc(c->a, sizeof *k);
    k->kind = kind;
    k->name = plain(col->cons_name[kind], col->loc);
    if (kind != CONS_CHECK)
        list_push(c->a, &k->columns, &col->name);
    k->check = col->check;
    k->references = col->references;
    k->loc = col->loc;
    return k;
}

/* The definition the inverse needs is not known (an object only a
 * condition vouched for): the user must write the downgrade. */
static void unknown_def(dctx *c, const ast_stmt *st, const char *what,
                        const char *name)
{
    diag_error(c->d, st->loc, "cannot derive a downgrade: the definition of "
               "%s '%s' is unknown here; write a downgrade block", what, name);
}

/* Statements that change rows, not the schema: no downgrade can be
 * derived from them. */
static const char *data_word(enum ast_stmt_kind k)
{
    switch (k) {
    case ST_EXECUTE: return "execute";
    case ST_BULK_INSERT: return "bulk_insert";
    case ST_UPDATE: return "update";
    case ST_DELETE: return "delete";
    case ST_INSERT_SELECT: return "insert";
    case ST_CALL: return "call";
    case ST_CREATE_TABLE: case ST_DROP_TABLE: case ST_RENAME_TABLE:
    case ST_ADD_COLUMN: case ST_DROP_COLUMN: case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL: case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT: case ST_ALTER_DROP_DEFAULT: case ST_ALTER_RENAME:
    case ST_CREATE_INDEX: case ST_DROP_INDEX: case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE: case ST_CREATE_CHECK: case ST_CREATE_FOREIGN_KEY:
    case ST_DROP_CONSTRAINT: case ST_VALIDATE_CONSTRAINT: case ST_IF:
    case ST_LOCK_TABLE:
    case ST_CREATE_FUNCTION: case ST_REPLACE_FUNCTION: case ST_DROP_FUNCTION:
    case ST_CREATE_VIEW: case ST_DROP_VIEW: case ST_CREATE_TRIGGER:
    case ST_DROP_TRIGGER: case ST_TABLE_COMMENT: case ST_COLUMN_COMMENT:
    case ST_CREATE_ENUM: case ST_ALTER_ENUM_ADD: case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE: case ST_DROP_ENUM: case ST_ALTER_ENUM_RENAME_TYPE:
    case ST_CREATE_OBJECT: case ST_DROP_OBJECT: case ST_RENAME_CONSTRAINT:
    case ST_RENAME_INDEX:
        break;
    }
    return NULL;
}

/* The inverse of an enum statement, from the enum before and after it. */
static void invert_enum(dctx *c, const ast_stmt *st, ptr_list *out)
{
    const sch_enum *b = st->enum_before, *af = st->enum_after;
    if (b == af)
        return;
    ast_stmt *s = ast_make(c->a, ST_DROP_ENUM, NULL, st->loc);
    s->name = st->name;
    if (!b) {                                   /* created: drop it */
        list_push(c->a, out, s);
        return;
    }
    if (!af) {                                  /* dropped: create it again */
        s->kind = ST_CREATE_ENUM;
        s->labels = b->labels;
        list_push(c->a, out, s);
        return;
    }
    s->label_loc = s->label2_loc = st->loc;
    if (st->kind == ST_ALTER_ENUM_RENAME_TYPE) {
        s->kind = ST_ALTER_ENUM_RENAME_TYPE;
        s->name = st->new_name;
        s->new_name = st->name;
    } else if (st->kind == ST_ALTER_ENUM_ADD) {
        s->kind = ST_ALTER_ENUM_DROP_VALUE;
        s->label = st->label;
    } else if (st->kind == ST_ALTER_ENUM_RENAME) {
        s->kind = ST_ALTER_ENUM_RENAME;
        s->label = st->label2;
        s->label2 = st->label;
    } else {                                    /* a dropped label comes back */
        int at = sch_enum_label(b, st->label);
        s->kind = ST_ALTER_ENUM_ADD;
        s->label = st->label;
        s->label2 = at > 0 ? b->labels.items[at - 1] : b->labels.items[1];
        s->position = at > 0 ? 2 : 1;
    }
    list_push(c->a, out, s);
}

/* The inverse of create_extension / drop_schema / ...: from the object
 * before and after.  A create that found the object there (`if not
 * exists`) and a drop that found none (`if exists`) changed nothing and
 * have no inverse; a created object is dropped (`if exists` when it was
 * created `if not exists`), a dropped one created again as the model
 * knew it. */
static void invert_object(dctx *c, const ast_stmt *st, ptr_list *out)
{
    const sch_object *b = st->obj_before, *af = st->obj_after;
    if (b == af)
        return;
    ast_stmt *s = ast_make(c->a, ST_DROP_OBJECT, NULL, st->loc);
    s->name = st->name;
    s->object = st->object;
    if (!b) {
        s->if_exists = st->if_not_exists;
    } else {
        s->kind = ST_CREATE_OBJECT;
        s->start = b->start;
        s->increment = b->increment;
    }
    list_push(c->a, out, s);
}

/* Appends the inverse of `st` to `out`, in execution order. */
static void invert(dctx *c, const ast_stmt *st, ptr_list *out)
{
    const sch_table *b = st->before, *af = st->after;
    ast_stmt *s;
    if (data_word(st->kind)) {
        diag_error(c->d, st->loc, "irreversible statement '%s' in an upgrade "
                   "without a downgrade block", data_word(st->kind));
        return;
    }
    if (st->kind == ST_IF) {
        /* The condition cannot be asked again: the upgrade changed what
         * it looks at (`if not table_exists t { create_table t ...; }`
         * leaves t either way).  The downgrade undoes the branch the
         * upgrade took.  A dialect condition is decided per dialect at
         * compile time, the same way both ways. */
        s = new_stmt(c, ST_IF, st);
        s->cond = st->cond;
        if (st->cond.kind != COND_DIALECT)
            s->cond.replay = 1;
        invert_list(c, &st->then_body, &s->then_body);
        invert_list(c, &st->else_body, &s->else_body);
        list_push(c->a, out, s);
        return;
    }
    if (st->kind == ST_CREATE_VIEW || st->kind == ST_DROP_VIEW) {
        /* Views are no table: their own before and after. */
        if (st->view_before == st->view_after)
            return;
        if (st->view_after) {
            s = new_stmt(c, ST_DROP_VIEW, st);
            s->table = st->view_after->name;
        } else {
            s = ast_make_create_view(c->a, st->view_before, st->loc);
        }
        list_push(c->a, out, s);
        return;
    }
    if (st->kind == ST_CREATE_FUNCTION || st->kind == ST_REPLACE_FUNCTION ||
        st->kind == ST_DROP_FUNCTION) {
        /* Functions are no table either: put back what was there. */
        const sch_function *b = st->function_before, *af = st->function_after;
        if (b == af)
            return;
        if (!b) {
            s = new_stmt(c, ST_DROP_FUNCTION, st);
            s->table = af->name;
        } else {
            s = new_stmt(c, af ? ST_REPLACE_FUNCTION : ST_CREATE_FUNCTION, st);
            s->table = b->name;
            s->raw = b->body;
        }
        list_push(c->a, out, s);
        return;
    }
    if (st->kind == ST_CREATE_ENUM || st->kind == ST_DROP_ENUM ||
        st->kind == ST_ALTER_ENUM_ADD || st->kind == ST_ALTER_ENUM_RENAME ||
        st->kind == ST_ALTER_ENUM_DROP_VALUE || st->kind == ST_ALTER_ENUM_RENAME_TYPE) {
        invert_enum(c, st, out);
        return;
    }
    if (st->kind == ST_CREATE_OBJECT || st->kind == ST_DROP_OBJECT) {
        invert_object(c, st, out);
        return;
    }
    if (st->kind == ST_RENAME_CONSTRAINT || st->kind == ST_RENAME_INDEX) {
        /* Renamed back, also for an index of a table the history does
         * not know (PostgreSQL only), which has no before and after. */
        s = new_stmt(c, st->kind, st);
        s->name = st->new_name;
        s->new_name = st->name;
        list_push(c->a, out, s);
        return;
    }
    if (b == af)      /* nothing changed, or the statement did not fit */
        return;
    switch (st->kind) {
    case ST_CREATE_TABLE:
        s = new_stmt(c, ST_DROP_TABLE, st);
        s->table = af->name;
        list_push(c->a, out, s);
        break;
    case ST_DROP_TABLE:
        if (b->opaque) {
            unknown_def(c, st, "table", b->name.name.text);
            break;
        }
        list_push(c->a, out, ast_make_create_table(c->a, b, st->loc));
        for (int i = 0; i < b->indexes.count; i++)
            list_push(c->a, out, ast_make_create_index(c->a, b->indexes.items[i], st->loc));
        for (int i = 0; i < b->triggers.count; i++)
            list_push(c->a, out, ast_make_create_trigger(c->a, &b->name,
                                                         b->triggers.items[i], st->loc));
        ast_make_comments(c->a, b, st->loc, out);
        break;
    case ST_RENAME_TABLE:
        s = new_stmt(c, ST_RENAME_TABLE, st);
        s->table = af->name;
        s->new_name = b->name.name;
        list_push(c->a, out, s);
        break;
    case ST_ADD_COLUMN:
        s = new_stmt(c, ST_DROP_COLUMN, st);
        s->name = st->column->name;
        list_push(c->a, out, s);
        break;
    case ST_DROP_COLUMN: {
        ast_coldef *col = sch_column(b, st->name.text);
        if (!col || sema_is_assumed(col)) {
            unknown_def(c, st, "column", st->name.text);
            break;
        }
        s = new_stmt(c, ST_ADD_COLUMN, st);
        s->column = col;
        list_push(c->a, out, s);
        if (col->comment)
            list_push(c->a, out, ast_make_column_comment(c->a, &b->name, col->name.text,
                                                         col->comment, st->loc));
        for (int i = 0; i < b->constraints.count; i++)
            if (!has_member(&af->constraints, b->constraints.items[i]))
                list_push(c->a, out,
                          create_constraint_of(c, st, b, b->constraints.items[i]));
        for (int i = 0; i < b->indexes.count; i++)
            if (!has_member(&af->indexes, b->indexes.items[i]))
                list_push(c->a, out, ast_make_create_index(c->a, b->indexes.items[i], st->loc));
        break;
    }
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT: {
        const ast_coldef *old = sch_column(b, st->name.text);
        if (!old)
            break;
        if (st->kind == ST_ALTER_TYPE) {
            s = new_stmt(c, ST_ALTER_TYPE, st);
            s->type = old->type;
        } else if (st->kind == ST_ALTER_SET_NOT_NULL ||
                   st->kind == ST_ALTER_DROP_NOT_NULL) {
            s = new_stmt(c, old->not_null ? ST_ALTER_SET_NOT_NULL
                                          : ST_ALTER_DROP_NOT_NULL, st);
        } else if (old->dflt) {
            s = new_stmt(c, ST_ALTER_SET_DEFAULT, st);
            s->dflt = old->dflt;
        } else {
            s = new_stmt(c, ST_ALTER_DROP_DEFAULT, st);
        }
        s->name = st->name;
        list_push(c->a, out, s);
        break;
    }
    case ST_ALTER_RENAME:
        s = new_stmt(c, ST_ALTER_RENAME, st);
        s->name = st->new_name;
        s->new_name = st->name;
        list_push(c->a, out, s);
        break;
    case ST_CREATE_INDEX:
        s = new_stmt(c, ST_DROP_INDEX, st);
        s->name = st->name;
        /* An index built concurrently (in a `transaction none` revision)
         * is dropped the same way, so the downgrade takes no long lock. */
        s->concurrently = st->concurrently;
        list_push(c->a, out, s);
        break;
    case ST_DROP_INDEX: {
        const sch_index *ix = NULL;
        for (int i = 0; b && i < b->indexes.count; i++)
            if (strcmp(((sch_index *)b->indexes.items[i])->name, st->name.text) == 0)
                ix = b->indexes.items[i];
        if (!ix && st->raw_index_sql) {
            /* Its text names the table and columns as they were when it
             * was made: replaying it later could make another index, or
             * fail, so the user writes it. */
            diag_error(c->d, st->loc, "cannot derive a downgrade: index '%s' was "
                       "made by raw SQL, whose columns retort does not read; write "
                       "a downgrade block (it can execute the CREATE INDEX again)",
                       st->name.text);
            break;
        }
        if (!ix) {
            unknown_def(c, st, "index", st->name.text);
            break;
        }
        s = ast_make_create_index(c->a, ix, st->loc);
        s->concurrently = st->concurrently;
        list_push(c->a, out, s);
        break;
    }
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY:
        s = new_stmt(c, ST_DROP_CONSTRAINT, st);
        s->name = st->name;
        if (!s->name.text)
            s->name.text = st->given_name;
        list_push(c->a, out, s);
        /* `using index I`: dropping the constraint drops the index it
         * took, which the schema had before: build it again. */
        for (int i = 0; st->using_index.text && i < b->indexes.count; i++)
            if (strcmp(((sch_index *)b->indexes.items[i])->name, st->using_index.text) == 0)
                list_push(c->a, out, ast_make_create_index(c->a, b->indexes.items[i], st->loc));
        break;
    case ST_VALIDATE_CONSTRAINT:
        /* Nothing to undo: a validated constraint holds for the rows the
         * downgrade finds, and PostgreSQL cannot mark it not valid again. */
        break;
    case ST_LOCK_TABLE:
        /* Nothing to undo: the lock ends with the transaction.  Locking
         * again at the end of the downgrade would protect nothing. */
        break;
    case ST_DROP_CONSTRAINT: {
        const ast_constraint *k = sch_constraint(b, st->name.text);
        if (!k)
            k = column_constraint(c, b, st->name.text);
        if (!k || (k->kind == CONS_CHECK && k->check && !*k->check)) {
            unknown_def(c, st, "constraint", st->name.text);
            break;
        }
        list_push(c->a, out, create_constraint_of(c, st, b, k));
        break;
    }
    case ST_CREATE_TRIGGER:
        s = new_stmt(c, ST_DROP_TRIGGER, st);
        s->table = af->name;
        s->name = st->name;
        list_push(c->a, out, s);
        break;
    case ST_DROP_TRIGGER: {
        const sch_trigger *g = sch_trigger_of(b, st->name.text);
        if (!g) {
            unknown_def(c, st, "trigger", st->name.text);
            break;
        }
        list_push(c->a, out, ast_make_create_trigger(c->a, &b->name, g, st->loc));
        break;
    }
    case ST_TABLE_COMMENT:
        /* Back to the comment it had (none: drop comment). */
        s = new_stmt(c, ST_TABLE_COMMENT, st);
        s->comment = b->comment;
        list_push(c->a, out, s);
        break;
    case ST_COLUMN_COMMENT: {
        const ast_coldef *old = sch_column(b, st->name.text);
        if (old)
            list_push(c->a, out, ast_make_column_comment(c->a, &st->table, st->name.text,
                                                         old->comment, st->loc));
        break;
    }
    case ST_UPDATE:
    case ST_DELETE:
    case ST_INSERT_SELECT:
    case ST_EXECUTE:
    case ST_BULK_INSERT:
    case ST_CALL:
    case ST_IF:
    case ST_CREATE_VIEW:
    case ST_DROP_VIEW:
    case ST_CREATE_ENUM:
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_DROP_ENUM:
    case ST_CREATE_FUNCTION:
    case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
    case ST_ALTER_ENUM_RENAME_TYPE:
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
    case ST_RENAME_CONSTRAINT:
    case ST_RENAME_INDEX:
        break;   /* inverted before this switch */
    }
}

/* Inverts `body` into `out`: inverses in reverse order. */
static void invert_list(dctx *c, const ptr_list *body, ptr_list *out)
{
    for (int i = body->count - 1; i >= 0; i--)
        invert(c, body->items[i], out);
}

/* Numbers the `if`s of `body` (not dialect ones) from *next on, outer
 * before inner: the keys the migrator records their branches under. */
static void number_ifs(ptr_list *body, int *next)
{
    for (int i = 0; i < body->count; i++) {
        ast_stmt *st = body->items[i];
        if (st->kind != ST_IF)
            continue;
        if (st->cond.kind != COND_DIALECT)
            st->cond.branch_key = (*next)++;
        number_ifs(&st->then_body, next);
        number_ifs(&st->else_body, next);
    }
}

void sema_derive_downgrade(arena *a, diag *d, ast_revision *rev,
                           const schema *before)
{
    dctx c = {a, d};
    int next = 1;
    number_ifs(&rev->upgrade, &next);
    if (before) {
        /* A caller outside sema_run: walk the upgrade on a copy first so
         * that its statements have their before/after. */
        schema *s = schema_clone(a, before);
        for (int i = 0; i < rev->upgrade.count; i++)
            sema_apply(a, d, s, rev->upgrade.items[i],
                       rev->id.text ? rev->id.text : "");
    }
    rev->downgrade = (ptr_list){0};
    invert_list(&c, &rev->upgrade, &rev->downgrade);
    rev->downgrade_derived = 1;
}
