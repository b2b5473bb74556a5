/*
 * sema_functions.c: PostgreSQL functions against the schema (see
 * sema_int.h).
 *
 * A function lives beside the tables, by (schema, name).  The model keeps
 * the CREATE FUNCTION statement that made it as it is now, so a derived
 * downgrade can put back the body a replace_function or drop_function
 * found.  Overloads (one name, several argument lists) are not told apart:
 * a history that has them writes `execute postgresql`.  Functions exist
 * on PostgreSQL only.
 *
 * A trigger that runs a function is found by the words after EXECUTE
 * FUNCTION (or PROCEDURE) in its PostgreSQL body: dropping that function
 * is an error, as PostgreSQL refuses it.
 */
#include "sema_int.h"

#include <string.h>

#include "dialect.h"
#include "sqlword.h"

/* Whether `body` (a CREATE TRIGGER statement) runs function `name`: the
 * word before the `(` after EXECUTE FUNCTION / EXECUTE PROCEDURE (a
 * schema before it is skipped), compared as sqlword_is does. */
static int trigger_runs(const char *body, const char *name)
{
    sql_word w;
    int state = 0;            /* 1 after EXECUTE, 2 after its FUNCTION */
    for (const char *p = body; sqlword_next(&p, &w);) {
        if (state == 2) {
            if (!w.column)    /* followed by `(`: the function */
                return sqlword_is(&w, name);
            continue;
        }
        if (!w.quoted && sqlword_eq(w.text, "execute"))
            state = 1;
        else
            state = state == 1 && !w.quoted && (sqlword_eq(w.text, "function") ||
                                                sqlword_eq(w.text, "procedure"))
                ? 2 : 0;
    }
    return 0;
}

/* The first trigger whose body runs function `name`, its table in *table. */
static const sch_trigger *trigger_running(const schema *s, const char *name,
                                          const sch_table **table)
{
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(s, &cursor));)
        for (int i = 0; i < t->triggers.count; i++) {
            const sch_trigger *g = t->triggers.items[i];
            const char *body = g->bodies[RETORT_POSTGRESQL];
            if (body && trigger_runs(body, name)) {
                *table = t;
                return g;
            }
        }
    return NULL;
}

static sch_function *new_function(sctx *c, const ast_stmt *st)
{
    sch_function *f = arena_alloc(c->a, sizeof *f);
    f->name = st->table;
    f->body = st->raw;
    f->created_by = c->rev;
    f->loc = st->table.name.loc;
    f->seq = schema_next_seq(c->s);
    return f;
}

void chk_create_function(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sema_need_dialects(c, st->loc, DIALECT_POSTGRESQL, "a function");
    sch_function *old = schema_function(c->s, q->schema.text, q->name.text);
    st->function_before = st->function_after = old;
    if (old) {
        ERR(c, q->name.loc, "function '%s' already exists; change it with "
            "replace_function", chk_qname_str(c->a, q));
        return;
    }
    sch_function *f = new_function(c, st);
    schema_put_function(c->s, q->schema.text, q->name.text, f);
    st->function_after = f;
}

void chk_replace_function(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sema_need_dialects(c, st->loc, DIALECT_POSTGRESQL, "a function");
    sch_function *old = schema_function(c->s, q->schema.text, q->name.text);
    st->function_before = st->function_after = old;
    if (!old) {
        ERR(c, q->name.loc, "unknown function '%s'; make it with create_function",
            chk_qname_str(c->a, q));
        return;
    }
    sch_function *f = new_function(c, st);
    schema_put_function(c->s, q->schema.text, q->name.text, f);
    st->function_after = f;
}

void chk_drop_function(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sema_need_dialects(c, st->loc, DIALECT_POSTGRESQL, "a function");
    sch_function *f = schema_function(c->s, q->schema.text, q->name.text);
    st->function_before = st->function_after = f;
    if (!f) {
        if (!st->if_exists)
            ERR(c, q->name.loc, "unknown function '%s'", chk_qname_str(c->a, q));
        return;
    }
    const sch_table *t = NULL;
    const sch_trigger *g = trigger_running(c->s, q->name.text, &t);
    if (g) {
        ERR(c, q->name.loc, "cannot drop function '%s': trigger '%s' on '%s' "
            "runs it", chk_qname_str(c->a, q), g->name, chk_qname_str(c->a, &t->name));
        return;
    }
    schema_put_function(c->s, q->schema.text, q->name.text, NULL);
    st->function_after = NULL;
}
