/*
 * expect.c: the PostgreSQL schema each revision leaves, as facts for
 * `check` (retort/history.h, ABI 4: retort_fact).
 *
 * sema leaves on every statement the table it touched as it stands after
 * the statement (ast_stmt.after).  The last snapshot of each table touched
 * by a revision's upgrade is that table after the revision; a revision's
 * facts are those tables, whole, or a DROP for a table it dropped or
 * renamed away.  The runtime applies the facts of the applied revisions in
 * order, so a table is always described by the last revision that touched
 * it, and nothing is needed per revision for the tables it left alone.
 *
 * Conditions: `dialect` is decided for PostgreSQL; any other `if` takes
 * the side that holds in the history (ast_cond.offline_value), as sema and
 * the offline script take it: on a database built by the history from
 * base, which is what `check` compares with, that is the branch that ran,
 * whether it was `if not table_exists t` (true) or `if not
 * constraint_exists k` on a key the history created (false).  Raw
 * `execute` SQL is opaque: a revision marked `schema_check off` is flagged
 * so that `check` says what it cannot verify (plan.c sets
 * retort_revision.schema_known).
 *
 * Types are written as PostgreSQL's format_type() names them; defaults,
 * CHECK expressions, index elements and predicates as the history writes
 * them: the runtime normalises them and what PostgreSQL reports alike.
 * Unnamed constraints carry no name (PostgreSQL names them itself; check
 * then compares them by what they are).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "expect.h"
#include "render_int.h"   /* render_put_*: SQL pieces into a strbuf */
#include "strmap.h"

/* The latest snapshot of every table seen so far, by qualified name: the
 * referenced table of a foreign key without columns gives its primary
 * key.  Tables touched by the current revision are in `touched`.  Both
 * are looked up by name through a map: a revision may touch tens of
 * thousands of tables. */
typedef struct entry {
    const char *key;          /* "schema.name" or "name" */
    int rev;                  /* the revision (expect.rev) it was touched in */
    const sch_table *t;       /* NULL: dropped (or a view) */
    const sch_view *v;        /* a view stands under this name */
    const sch_enum *en;       /* an enum stands under this name */
    const sch_object *ob;     /* an extension, schema or sequence stands
                                 under this name ("extension citext") */
} entry;

struct expect {
    arena *a;
    strmap known;             /* key -> entry* */
    ptr_list touched;         /* entry*, in order of first touch */
    strmap touched_ix;        /* key -> entry*; current only when its rev is */
    int rev;                  /* counts expect_revision() calls */
};

expect *expect_new(arena *a)
{
    expect *e = arena_alloc(a, sizeof *e);
    memset(e, 0, sizeof *e);
    e->a = a;
    return e;
}

static const char *qkey(arena *a, const ast_qname *q)
{
    strbuf b = {0};
    if (q->schema.text) {
        sb_put(&b, q->schema.text);
        sb_put(&b, ".");
    }
    sb_put(&b, q->name.text ? q->name.text : "");
    return sb_finish(a, &b);
}

/* The entry the current revision touched under `key`, or NULL. */
static entry *find_touched(const expect *e, const char *key)
{
    entry *x = strmap_get(&e->touched_ix, key);
    return x && x->rev == e->rev ? x : NULL;
}

static entry *touched(expect *e, const char *key)
{
    entry *x = find_touched(e, key);
    if (!x) {
        x = arena_alloc(e->a, sizeof *x);
        x->key = key;
        x->rev = e->rev;
        list_push(e->a, &e->touched, x);
        strmap_put(e->a, &e->touched_ix, key, x);
    }
    return x;
}

/* Records that `key` stands as `t` (NULL: gone) after the revision. */
static void touch(expect *e, const char *key, const sch_table *t)
{
    entry *x = touched(e, key);
    x->t = t;
    x->v = NULL;
    x->en = NULL;
    x->ob = NULL;
}

/* Records that object `ob` (NULL: none) stands under `key`. */
static void touch_object(expect *e, const char *key, const sch_object *ob)
{
    entry *x = touched(e, key);
    x->t = NULL;
    x->v = NULL;
    x->en = NULL;
    x->ob = ob;
}

/* Records that view `v` (NULL: none) stands under `key`. */
static void touch_view(expect *e, const char *key, const sch_view *v)
{
    entry *x = touched(e, key);
    x->t = NULL;
    x->v = v;
    x->en = NULL;
    x->ob = NULL;
}

/* Records that enum `en` (NULL: none) stands under `key`. */
static void touch_enum(expect *e, const char *key, const sch_enum *en)
{
    entry *x = touched(e, key);
    x->t = NULL;
    x->v = NULL;
    x->en = en;
    x->ob = NULL;
}

/* "extension citext": the name an object's facts go under, which no
 * table's key can take (a table's has no space unless quoted so). */
static const char *object_key(arena *a, int kind, const char *name)
{
    return arena_printf(a, "%s %s", ast_object_word((enum ast_object_kind)kind), name);
}

static void walk(expect *e, const ptr_list *stmts)
{
    for (int i = 0; i < stmts->count; i++) {
        const ast_stmt *st = stmts->items[i];
        switch (st->kind) {
        case ST_IF:
            if (st->cond.kind == COND_DIALECT) {
                int holds = (st->cond.dialect == dialect_get(RETORT_POSTGRESQL)->mask) !=
                            (st->cond.negate != 0);
                walk(e, holds ? &st->then_body : &st->else_body);
            } else {
                walk(e, st->cond.offline_value != 0 ? &st->then_body
                                                    : &st->else_body);
            }
            break;
        case ST_DROP_TABLE:
            touch(e, qkey(e->a, &st->table), NULL);
            break;
        case ST_RENAME_TABLE:
            touch(e, qkey(e->a, &st->table), NULL);
            if (st->after)
                touch(e, qkey(e->a, &st->after->name), st->after);
            break;
        case ST_EXECUTE:
        case ST_BULK_INSERT:
        case ST_LOCK_TABLE:
        case ST_CREATE_FUNCTION:      /* not compared by check (yet) */
        case ST_REPLACE_FUNCTION:
        case ST_DROP_FUNCTION:
        case ST_CALL:
        case ST_UPDATE:
        case ST_DELETE:
        case ST_INSERT_SELECT:
            break;
        case ST_CREATE_OBJECT:
        case ST_DROP_OBJECT:
            if (st->obj_before != st->obj_after)
                touch_object(e, object_key(e->a, st->object, st->name.text),
                             st->obj_after);
            break;
        case ST_CREATE_VIEW:
        case ST_DROP_VIEW:
            if (st->view_before != st->view_after)
                touch_view(e, qkey(e->a, &st->table), st->view_after);
            break;
        case ST_CREATE_ENUM:
        case ST_ALTER_ENUM_ADD:
        case ST_ALTER_ENUM_RENAME:
        case ST_ALTER_ENUM_DROP_VALUE:
        case ST_DROP_ENUM:
        case ST_ALTER_ENUM_RENAME_TYPE:
            if (st->enum_before != st->enum_after && st->kind == ST_ALTER_ENUM_RENAME_TYPE) {
                touch_enum(e, st->name.text, NULL);
                touch_enum(e, st->new_name.text, st->enum_after);
            } else if (st->enum_before != st->enum_after) {
                touch_enum(e, st->name.text, st->enum_after);
            }
            for (int k = 1; k < st->retyped.count; k += 2) {
                const sch_table *t = st->retyped.items[k];
                touch(e, qkey(e->a, &t->name), t);
            }
            break;
        case ST_CREATE_TRIGGER:
        case ST_DROP_TRIGGER:
        case ST_TABLE_COMMENT:
        case ST_COLUMN_COMMENT:
        case ST_CREATE_TABLE:
        case ST_ADD_COLUMN:
        case ST_DROP_COLUMN:
        case ST_ALTER_TYPE:
        case ST_ALTER_SET_NOT_NULL:
        case ST_ALTER_DROP_NOT_NULL:
        case ST_ALTER_SET_DEFAULT:
        case ST_ALTER_DROP_DEFAULT:
        case ST_ALTER_RENAME:
        case ST_CREATE_INDEX:
        case ST_DROP_INDEX:
        case ST_CREATE_PRIMARY_KEY:
        case ST_CREATE_UNIQUE:
        case ST_CREATE_CHECK:
        case ST_CREATE_FOREIGN_KEY:
        case ST_DROP_CONSTRAINT:
        case ST_VALIDATE_CONSTRAINT:
        case ST_RENAME_CONSTRAINT:
        case ST_RENAME_INDEX:
            if (st->after)
                touch(e, qkey(e->a, &st->after->name), st->after);
            break;
        }
    }
}

/* ---- one table's facts ---- */

typedef struct out_ctx {
    expect *e;
    const expect_sink *out;
    unsigned table;
} out_ctx;

static void put(out_ctx *o, int kind, const char *name, const char *a,
                const char *b, const char *c)
{
    retort_fact f;
    f.kind = (unsigned char)kind;
    f.table = o->table;
    f.name = o->out->str(o->out->ctx, name);
    f.a = o->out->str(o->out->ctx, a);
    f.b = o->out->str(o->out->ctx, b);
    f.c = o->out->str(o->out->ctx, c);
    o->out->fact(o->out->ctx, &f);
}

/* format_type()'s name of a type; raw types as written. */
static void put_type(strbuf *b, const ast_type *t)
{
    static const char *const names[] = {
        [TY_SMALLINT] = "smallint", [TY_INTEGER] = "integer",
        [TY_BIGINT] = "bigint", [TY_BOOLEAN] = "boolean", [TY_REAL] = "real",
        [TY_DOUBLE] = "double precision", [TY_NUMERIC] = "numeric",
        [TY_VARCHAR] = "character varying", [TY_CHAR] = "character",
        [TY_TEXT] = "text", [TY_DATE] = "date",
        [TY_TIME] = "time without time zone",
        [TY_TIMESTAMP] = "timestamp without time zone",
        [TY_TIMESTAMPTZ] = "timestamp with time zone", [TY_BLOB] = "bytea",
        [TY_JSON] = "json", [TY_JSONB] = "jsonb", [TY_UUID] = "uuid",
        [TY_INTERVAL] = "interval", [TY_ENUM] = "", [TY_RAW] = "",
    };
    char num[64] = "";
    if (t->kind == TY_RAW) {
        sb_put(b, ast_type_raw(t, RETORT_POSTGRESQL));
        return;
    }
    if (t->kind == TY_ENUM) {
        sb_put(b, t->en ? t->en : "");
        return;
    }
    sb_put(b, names[t->kind]);
    if (t->kind == TY_NUMERIC && t->p >= 0 && t->s >= 0)
        snprintf(num, sizeof num, "(%d,%d)", t->p, t->s);
    else if ((t->kind == TY_NUMERIC || t->kind == TY_VARCHAR) && t->p >= 0)
        snprintf(num, sizeof num, "(%d)", t->p);
    else if (t->kind == TY_CHAR)
        snprintf(num, sizeof num, "(%d)", t->p >= 0 ? t->p : 1);
    sb_put(b, num);
    if (t->array)
        sb_put(b, "[]");
}

static void put_expr(strbuf *b, const ast_expr *x)
{
    switch (x->kind) {
    case EX_NUMBER: sb_put(b, x->text); break;
    case EX_STRING: render_put_string(b, x->text); break;
    case EX_TRUE: sb_put(b, "true"); break;
    case EX_FALSE: sb_put(b, "false"); break;
    case EX_NULL: sb_put(b, "NULL"); break;
    case EX_CURRENT_TIMESTAMP: sb_put(b, "CURRENT_TIMESTAMP"); break;
    case EX_CURRENT_DATE: sb_put(b, "CURRENT_DATE"); break;
    case EX_RAW: sb_put(b, x->text); break;
    }
}

static int is_int(enum ast_type_kind k)
{
    return k == TY_SMALLINT || k == TY_INTEGER || k == TY_BIGINT;
}

static void put_names(strbuf *b, const ptr_list *names)
{
    for (int i = 0; i < names->count; i++) {
        if (i)
            sb_put(b, ", ");
        sb_put(b, ((const ast_name *)names->items[i])->text);
    }
}

static int in_names(const ptr_list *names, const char *s)
{
    for (int i = 0; i < names->count; i++)
        if (strcmp(((const ast_name *)names->items[i])->text, s) == 0)
            return 1;
    return 0;
}

/* The primary key's columns of `t`, or "" when it has none. */
static void put_pk(strbuf *b, const sch_table *t)
{
    int n = 0;
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_PRIMARY_KEY) {
            put_names(b, &k->columns);
            return;
        }
    }
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (c->primary_key) {
            sb_put(b, n++ ? ", " : "");
            sb_put(b, c->name.text);
        }
    }
}

static const char *action(enum ast_fk_action a)
{
    switch (a) {
    case FK_CASCADE: return "CASCADE";
    case FK_SET_NULL: return "SET NULL";
    case FK_SET_DEFAULT: return "SET DEFAULT";
    case FK_RESTRICT: return "RESTRICT";
    case FK_UNSPECIFIED:
    case FK_NO_ACTION: return "NO ACTION";
    }
    return "NO ACTION";
}

/* As the runtime's reading of pg_constraint (check_intro.c, pg_deferral)
 * spells condeferrable / condeferred after the actions. */
static const char *deferral(enum ast_deferral d)
{
    switch (d) {
    case DEFER_NONE: return "";
    case DEFER_IMMEDIATE: return " DEFERRABLE";
    case DEFER_DEFERRED: return " DEFERRABLE INITIALLY DEFERRED";
    }
    return "";
}

static void put_fk(out_ctx *o, const char *name, const ptr_list *cols,
                   const char *col, const ast_reference *r)
{
    arena *a = o->e->a;
    strbuf b = {0};
    const char *from, *to;
    if (cols)
        put_names(&b, cols);
    else
        sb_put(&b, col);
    from = sb_finish(a, &b);
    to = qkey(a, &r->table);
    if (r->columns.count) {
        put_names(&b, &r->columns);
    } else {
        entry *x = find_touched(o->e, to);
        if (!x)
            x = strmap_get(&o->e->known, to);
        if (x && x->t)
            put_pk(&b, x->t);
    }
    sb_put(&b, "|ON DELETE ");
    sb_put(&b, action(r->on_delete));
    sb_put(&b, " ON UPDATE ");
    sb_put(&b, action(r->on_update));
    sb_put(&b, deferral(r->deferral));
    put(o, RETORT_FACT_FOREIGN_KEY, name, from, to, sb_finish(a, &b));
}

static void table_facts(out_ctx *o, const sch_table *t)
{
    arena *a = o->e->a;
    const ptr_list *pk_cols = NULL;
    strbuf b = {0}, pk = {0};
    int npk = 0;
    put(o, RETORT_FACT_TABLE, NULL, NULL, NULL, NULL);
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_PRIMARY_KEY)
            pk_cols = &k->columns;
    }
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        int identity = c->autoincrement && is_int(c->type.kind);
        put_type(&b, &c->type);
        if (c->not_null || c->primary_key || identity ||
            (pk_cols && in_names(pk_cols, c->name.text)))
            sb_put(&b, " NOT NULL");
        if (identity) {
            /* A SERIAL column (nextval default) is the same to check. */
            sb_put(&b, " AUTOINCREMENT");
        } else if (c->dflt && c->dflt->kind != EX_NULL) {
            /* PostgreSQL keeps no DEFAULT NULL: it is no default. */
            sb_put(&b, " DEFAULT ");
            put_expr(&b, c->dflt);
        }
        put(o, RETORT_FACT_COLUMN, c->name.text, sb_finish(a, &b), NULL, NULL);
        if (c->primary_key) {
            sb_put(&pk, npk++ ? ", " : "");
            sb_put(&pk, c->name.text);
        }
        if (c->unique)
            put(o, RETORT_FACT_UNIQUE, NULL, c->name.text, NULL, NULL);
        if (c->references)
            put_fk(o, NULL, NULL, c->name.text, c->references);
        if (c->check)
            put(o, RETORT_FACT_CHECK, NULL, c->check, NULL, NULL);
    }
    if (npk)
        put(o, RETORT_FACT_PRIMARY_KEY, NULL, sb_finish(a, &pk), NULL, NULL);
    free(pk.p);
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        switch (k->kind) {
        case CONS_PRIMARY_KEY:
        case CONS_UNIQUE:
            put_names(&b, &k->columns);
            put(o, k->kind == CONS_PRIMARY_KEY ? RETORT_FACT_PRIMARY_KEY
                                               : RETORT_FACT_UNIQUE,
                k->name.text, sb_finish(a, &b), NULL,
                k->deferral != DEFER_NONE ? deferral(k->deferral) : NULL);
            break;
        case CONS_CHECK:
            put(o, RETORT_FACT_CHECK, k->name.text, k->check, NULL, NULL);
            break;
        case CONS_FOREIGN_KEY:
            put_fk(o, k->name.text, &k->columns, NULL, k->references);
            break;
        }
    }
    for (int i = 0; i < t->indexes.count; i++) {
        const sch_index *ix = t->indexes.items[i];
        if (ix->unique)
            sb_put(&b, "UNIQUE ");
        sb_put(&b, ix->method ? ix->method : "btree");
        sb_put(&b, " (");
        for (int k = 0; k < ix->elems.count; k++) {
            const ast_index_elem *el = ix->elems.items[k];
            if (k)
                sb_put(&b, ", ");
            if (el->column.text) {
                sb_put(&b, el->column.text);
            } else {
                sb_put(&b, "(");
                sb_put(&b, el->expr ? el->expr : "");
                sb_put(&b, ")");
            }
            if (el->opclass) {
                sb_put(&b, " ");
                sb_put(&b, el->opclass);
            }
            if (el->order == 2)
                sb_put(&b, " DESC");
        }
        sb_put(&b, ")");
        put(o, RETORT_FACT_INDEX, ix->name, sb_finish(a, &b), ix->where, NULL);
    }
    for (int i = 0; i < t->triggers.count; i++)
        put(o, RETORT_FACT_TRIGGER, ((const sch_trigger *)t->triggers.items[i])->name,
            NULL, NULL, NULL);
    if (t->comment)
        put(o, RETORT_FACT_COMMENT, NULL, t->comment, NULL, NULL);
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (c->comment)
            put(o, RETORT_FACT_COMMENT, c->name.text, c->comment, NULL, NULL);
    }
}

/* 'a', 'b', ...: as the runtime reads them from pg_enum. */
static const char *enum_labels(arena *a, const sch_enum *en)
{
    strbuf b = {0};
    for (int i = 0; i < en->labels.count; i++) {
        sb_put(&b, i ? ", " : "");
        render_put_string(&b, en->labels.items[i]);
    }
    return sb_finish(a, &b);
}

/* A sequence's start and increment as check reads them back (PostgreSQL's
 * defaults for an ascending sequence when the history gave none); ""
 * for an extension or a schema. */
static const char *object_value(arena *a, const sch_object *o)
{
    if (o->kind != OBJ_SEQUENCE)
        return "";
    return arena_printf(a, "START %s INCREMENT %s", o->start ? o->start : "1",
                        o->increment ? o->increment : "1");
}

void expect_revision(expect *e, const ast_revision *rev, const expect_sink *out)
{
    e->touched.count = 0;
    e->rev++;
    walk(e, &rev->upgrade);
    for (int i = 0; i < e->touched.count; i++) {
        entry *x = e->touched.items[i];
        out_ctx o = {e, out, out->str(out->ctx, x->key)};
        if (x->t)
            table_facts(&o, x->t);
        else if (x->v)
            put(&o, RETORT_FACT_VIEW, NULL, NULL, NULL, NULL);
        else if (x->en)
            put(&o, RETORT_FACT_ENUM, NULL, enum_labels(e->a, x->en), NULL, NULL);
        else if (x->ob)
            put(&o, RETORT_FACT_OBJECT, NULL, object_value(e->a, x->ob), NULL, NULL);
        else
            put(&o, RETORT_FACT_DROP, NULL, NULL, NULL, NULL);
    }
    for (int i = 0; i < e->touched.count; i++) {
        entry *x = e->touched.items[i], *k = strmap_get(&e->known, x->key);
        if (k)
            k->t = x->t;
        else
            strmap_put(e->a, &e->known, x->key, x);
    }
}
