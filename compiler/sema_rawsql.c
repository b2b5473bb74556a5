/*
 * sema_rawsql.c: the indexes that simple raw SQL makes and drops (see
 * sema_int.h).
 *
 * Raw SQL (`execute`) is opaque to the checks, but a history imported from
 * Alembic often creates an index with raw SQL and drops it later with
 * drop_index.  One statement of the forms
 *
 *   CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name
 *       ON [ONLY] [schema.]table ...
 *   DROP INDEX [CONCURRENTLY] [IF EXISTS] name
 *
 * run on every database the statement may reach is read: the index goes
 * into (or out of) the schema's index map with its table and the
 * statement's text, but not into its table's list of indexes, since its
 * columns are not read.  So drop_index and rename_index find it, `retort
 * schema` prints its statement (while its table and columns keep their
 * names: else a comment says it is not printed); a SQLite
 * rebuild keeps it as it keeps any index the model does not list
 * (render_sqlite.c); the downgrade of its drop_index cannot be derived
 * (downgrade.c: the definition is unknown there) and SQLite cannot rename
 * it (sema_pgobj.c).  Anything else (several statements, a comment, a
 * dollar quote, an unnamed index, one dialect's SQL) stays opaque.
 */
#include "sema_int.h"

#include <string.h>

#include "sqlword.h"

/* Whether `sql` holds one statement: no `;` but at its end, and nothing
 * the word reader does not follow (comments, dollar quotes). */
static int one_statement(const char *sql)
{
    for (const char *p = sql; *p; p++) {
        char q = *p;
        if (q == '\'' || q == '"') {
            for (p++; *p && !(*p == q && p[1] != q); p += *p == q ? 2 : 1)
                ;
            if (!*p)
                return 0;
        } else if (q == '$' || (q == '-' && p[1] == '-') || (q == '/' && p[1] == '*')) {
            return 0;
        } else if (q == ';') {
            for (p++; *p; p++)
                if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
                    return 0;
            return 1;
        }
    }
    return 1;
}

/* The next word, bare and equal to keyword `kw`: consumed. */
static int keyword(const char **p, const char *kw)
{
    const char *q = *p;
    sql_word w;
    if (!sqlword_next(&q, &w) || w.quoted || !sqlword_eq(w.text, kw))
        return 0;
    *p = q;
    return 1;
}

/* The text after the word that ends at `p`, white space skipped. */
static char after(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return *p;
}

/* Reads an index name (not schema-qualified, not a keyword left bare). */
static const char *index_name(sctx *c, const char **p)
{
    sql_word w;
    if (!sqlword_next(p, &w) || after(*p) == '.')
        return NULL;
    if (!w.quoted && (sqlword_eq(w.text, "on") || sqlword_eq(w.text, "if") ||
                      sqlword_eq(w.text, "concurrently")))
        return NULL;
    return arena_strdup(c->a, w.text);
}

static void create_index(sctx *c, const char *sql, const char *p, src_loc loc)
{
    keyword(&p, "unique");
    if (!keyword(&p, "index"))
        return;
    keyword(&p, "concurrently");
    if (keyword(&p, "if") && !(keyword(&p, "not") && keyword(&p, "exists")))
        return;
    const char *name = index_name(c, &p);
    if (!name || !keyword(&p, "on"))
        return;
    keyword(&p, "only");
    sql_word w;
    ast_qname table = {0};
    if (!sqlword_next(&p, &w))
        return;
    if (after(p) == '.') {
        table.schema.text = arena_strdup(c->a, w.text);
        if (!sqlword_next(&p, &w))
            return;
    }
    table.name.text = arena_strdup(c->a, w.text);
    table.name.loc = loc;
    if (schema_index(c->s, name))
        return;               /* IF NOT EXISTS, or the database refuses it */
    sch_index *ix = arena_alloc(c->a, sizeof *ix);
    ix->name = name;
    ix->table = table;
    ix->raw = sql;
    ix->loc = loc;
    schema_put_index(c->s, name, ix);
}

static void drop_index(sctx *c, const char *p)
{
    if (!keyword(&p, "index"))
        return;
    keyword(&p, "concurrently");
    if (keyword(&p, "if") && !keyword(&p, "exists"))
        return;
    const char *name = index_name(c, &p);
    if (!name)
        return;
    if (!keyword(&p, "cascade"))
        keyword(&p, "restrict");
    sql_word w;
    if (sqlword_next(&p, &w))
        return;               /* several indexes: not read */
    sch_index *ix = schema_index(c->s, name);
    if (!ix)
        return;
    schema_put_index(c->s, name, NULL);
    /* A listed index leaves its table's list too. */
    sch_table *t = ix->table.name.text
        ? schema_table(c->s, ix->table.schema.text, ix->table.name.text) : NULL;
    for (int i = 0; t && i < t->indexes.count; i++)
        if (strcmp(((sch_index *)t->indexes.items[i])->name, name) == 0) {
            sch_table *n = sch_table_next(c->a, t);
            chk_remove_index_at(c, n, i);
            chk_install(c, n);
            break;
        }
}

void chk_raw_sql(sctx *c, ast_stmt *st)
{
    const char *sql = st->raw;
    if (!sql || (st->dialect != DIALECT_ALL && (c->reach & ~st->dialect)) ||
        !one_statement(sql))
        return;
    const char *p = sql;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (keyword(&p, "create"))
        create_index(c, sql, p, st->loc);
    else if (keyword(&p, "drop"))
        drop_index(c, p);
}

void chk_raw_indexes_follow(sctx *c, const ast_qname *from, const ast_qname *to)
{
    ptr_list names = {0};
    int cursor = 0;
    if (!schema_may_have_raw_indexes(c->s))
        return;   /* a scan of every index per table dropped: quadratic */
    for (const sch_index *ix; (ix = schema_next_index(c->s, &cursor));)
        if (ix->raw && ix->table.name.text &&
            strcmp(ix->table.name.text, from->name.text) == 0 &&
            !ix->table.schema.text == !from->schema.text &&
            (!from->schema.text || strcmp(ix->table.schema.text, from->schema.text) == 0))
            list_push(c->a, &names, (void *)ix->name);
    for (int i = 0; i < names.count; i++) {
        sch_index *ix = schema_index(c->s, names.items[i]), *nx = NULL;
        if (to) {
            nx = arena_alloc(c->a, sizeof *nx);
            *nx = *ix;
            nx->table = *to;
            nx->raw_moved = 1;
        }
        schema_put_index(c->s, ix->name, nx);
    }
}
