/*
 * render_sqlite.c: the SQLite table rebuild.
 *
 * SQLite's ALTER TABLE can rename a table or a column, add a plain column
 * and drop an unreferenced one; nothing else.  For the rest this file
 * writes the procedure of https://sqlite.org/lang_altertable.html#otheralter
 * from the table as sema knows it after the statement (ast_stmt.after):
 *
 *     CREATE TABLE "_retort_new_T" (the new definition)
 *     INSERT INTO "_retort_new_T" (common columns) SELECT ... FROM T
 *     DROP TABLE T
 *     ALTER TABLE "_retort_new_T" RENAME TO T
 *     CREATE INDEX ... (every index of T, dropped with the old table)
 *     PRAGMA foreign_key_check(T)    -- a step that must return no row
 *
 * The procedure requires foreign_keys to be off while it runs (otherwise
 * DROP TABLE would cascade or fail); the runtime keeps it off during SQLite
 * migrations, which is why the foreign keys are checked explicitly at the
 * end.  Because the rebuild comes from the compiler's own knowledge of the
 * table, online and offline scripts are the same.
 */
#include <ctype.h>
#include <string.h>

#include "render_int.h"

/* ASCII case-insensitive prefix comparison (strncasecmp is POSIX, and its
 * result would follow the locale). */
static int prefix_ci(const char *s, const char *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)s[i]) != tolower((unsigned char)w[i]))
            return 0;
    return 1;
}

/* Does raw SQL mention `word` as an identifier?  Case-insensitive and
 * blind to quoting: a false positive costs a rebuild, never correctness. */
static int mentions(const char *sql, const char *word)
{
    size_t n = strlen(word);
    if (!sql || n == 0)
        return 0;
    for (const char *p = sql; *p; p++) {
        if (!prefix_ci(p, word, n))
            continue;
        int before = p > sql && (isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after)
            return 1;
    }
    return 0;
}

static int names_has(const ptr_list *names, const char *s)
{
    for (int i = 0; i < names->count; i++)
        if (strcmp(((const ast_name *)names->items[i])->text, s) == 0)
            return 1;
    return 0;
}

static int index_uses(const ptr_list *elems, const char *where, const char *col)
{
    for (int i = 0; i < elems->count; i++) {
        const ast_index_elem *e = elems->items[i];
        if (e->column.text ? strcmp(e->column.text, col) == 0 : mentions(e->expr, col))
            return 1;
    }
    return mentions(where, col);
}

/* SQLite's DROP COLUMN refuses a column that is part of a key, an index,
 * a foreign key or another column's or the table's CHECK. */
static int drop_needs_rebuild(const sch_table *t, const char *col)
{
    const ast_coldef *c = sch_column(t, col);
    if (!c)
        return 0;
    if (c->primary_key || c->unique || c->references)
        return 1;
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *o = t->columns.items[i];
        if (o == c)
            continue;
        if (mentions(o->check, col))
            return 1;
        if (o->references && !o->references->table.schema.text &&
            strcmp(o->references->table.name.text, t->name.name.text) == 0 &&
            names_has(&o->references->columns, col))
            return 1;
    }
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (names_has(&k->columns, col) || mentions(k->check, col))
            return 1;
        if (k->references && names_has(&k->references->columns, col))
            return 1;
    }
    for (int i = 0; i < t->indexes.count; i++) {
        const sch_index *ix = t->indexes.items[i];
        if (index_uses(&ix->elems, ix->where, col))
            return 1;
    }
    return 0;
}

/* ADD COLUMN refuses PRIMARY KEY, UNIQUE, NOT NULL without a non-null
 * default, and a non-constant default. */
static int add_needs_rebuild(const ast_coldef *c)
{
    if (c->primary_key || c->unique)
        return 1;
    if (c->not_null && (!c->dflt || c->dflt->kind == EX_NULL))
        return 1;
    return c->dflt && (c->dflt->kind == EX_CURRENT_TIMESTAMP ||
                       c->dflt->kind == EX_CURRENT_DATE ||
                       c->dflt->kind == EX_RAW);
}

static int needs_rebuild(const ast_stmt *st)
{
    switch (st->kind) {
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY:
    case ST_DROP_CONSTRAINT:
    case ST_RENAME_CONSTRAINT:    /* the table's text carries the name */
        return 1;
    case ST_ADD_COLUMN:
        return st->column && add_needs_rebuild(st->column);
    case ST_DROP_COLUMN:
        return st->before && drop_needs_rebuild(st->before, st->name.text);
    case ST_CREATE_TABLE:
    case ST_DROP_TABLE:
    case ST_RENAME_TABLE:
    case ST_ALTER_RENAME:
    case ST_CREATE_INDEX:
    case ST_DROP_INDEX:
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
    case ST_ALTER_ENUM_ADD:       /* rebuilt in render_sqlite_rebuild() */
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_DROP_ENUM:
    case ST_ALTER_ENUM_RENAME_TYPE: /* the CHECK does not name the type */
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
    case ST_RENAME_INDEX:
        break;
    }
    return 0;
}

static int same_type(const ast_type *x, const ast_type *y)
{
    if (x->kind != y->kind || x->p != y->p || x->s != y->s || x->array != y->array)
        return 0;
    if (x->kind == TY_ENUM)
        return strcmp(x->en, y->en) == 0;
    return x->kind != TY_RAW || ast_type_raw_eq(x, y);
}

/* The copy expression of a column whose type changed: a CAST where it
 * changes the stored value (SQLite's column affinity does the rest; a
 * CAST to DATETIME, say, would turn a date string into a number). */
static void put_copy_expr(strbuf *b, const ast_coldef *old, const ast_coldef *new,
                          const ast_stmt *renamed)
{
    const char *to = NULL;
    if (renamed && new->type.kind == TY_ENUM &&
        strcmp(new->type.en, renamed->name.text) == 0) {
        /* alter_enum ... rename value: the rows follow the label. */
        sb_put(b, "CASE ");
        render_put_ident(b, new->name.text);
        sb_put(b, " WHEN ");
        render_put_string(b, renamed->label);
        sb_put(b, " THEN ");
        render_put_string(b, renamed->label2);
        sb_put(b, " ELSE ");
        render_put_ident(b, new->name.text);
        sb_put(b, " END");
        return;
    }
    if (!same_type(&old->type, &new->type)) {
        switch (new->type.kind) {
        case TY_SMALLINT: case TY_INTEGER: case TY_BIGINT: to = "INTEGER"; break;
        case TY_REAL: case TY_DOUBLE: to = "REAL"; break;
        case TY_VARCHAR: case TY_CHAR: case TY_TEXT: to = "TEXT"; break;
        default: break;
        }
    }
    if (to)
        sb_put(b, "CAST(");
    render_put_ident(b, new->name.text);
    if (to) {
        sb_put(b, " AS ");
        sb_put(b, to);
        sb_put(b, ")");
    }
}

static void put_schema_prefix(strbuf *b, const ast_qname *q)
{
    if (q->schema.text) {
        render_put_ident(b, q->schema.text);
        sb_put(b, ".");
    }
}

/* An index that names a column the new table lacks went with the column
 * (as PostgreSQL drops it too); recreating it would fail. */
static int index_fits(const sch_table *t, const sch_index *ix)
{
    for (int i = 0; i < ix->elems.count; i++) {
        const ast_index_elem *e = ix->elems.items[i];
        if (e->column.text && !sch_column(t, e->column.text))
            return 0;
    }
    return 1;
}

/* A name inside a `--` comment line: a control character (a newline in
 * a quoted name) would end the comment and let the rest run as SQL. */
static void put_comment_text(strbuf *b, const char *s)
{
    for (const char *p = s; *p; p++)
        sb_put(b, (unsigned char)*p < 0x20 ? "?" : (char[2]){*p, 0});
}

/* The table's own catalog: "main".sqlite_master or that of its schema. */
static void put_master(strbuf *b, const ast_qname *t)
{
    render_put_ident(b, t->schema.text ? t->schema.text : "main");
    sb_put(b, ".sqlite_master");
}

/* `render_put_qname` with the schema spelt out ("main" when unqualified): REINDEX
 * of a bare name means a collation first, a table only when none is
 * called so. */
static void put_full_name(strbuf *b, const ast_qname *t)
{
    render_put_ident(b, t->schema.text ? t->schema.text : "main");
    sb_put(b, ".");
    render_put_ident(b, t->name.text);
}

/* `, 'schema'` as the last argument of a pragma function, or nothing. */
static void put_schema_arg(strbuf *b, const ast_qname *t)
{
    if (t->schema.text) {
        sb_put(b, ", ");
        render_put_string(b, t->schema.text);
    }
}

static int has_autoincrement(const sch_table *t)
{
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (c->autoincrement && c->primary_key)
            return 1;
    }
    return 0;
}

static int has_index(const sch_table *t, const char *name)
{
    for (int i = 0; i < t->indexes.count; i++)
        if (strcmp(((const sch_index *)t->indexes.items[i])->name, name) == 0)
            return 1;
    return 0;
}

/* `'a', 'b'`: the indexes of `t`, and those of `old` that `t` lost. */
static int put_index_names(strbuf *b, const sch_table *t, const sch_table *old)
{
    int n = 0;
    for (int k = 0; k < 2; k++) {
        const sch_table *x = k ? old : t;
        for (int i = 0; i < x->indexes.count; i++) {
            const sch_index *ix = x->indexes.items[i];
            if (k && has_index(t, ix->name))
                continue;
            sb_put(b, n++ ? ", " : "");
            render_put_string(b, ix->name);
        }
    }
    return n;
}

/* Does the new table lack a column of the old one? */
static int drops_column(const sch_table *t, const sch_table *old)
{
    for (int i = 0; i < old->columns.count; i++)
        if (!sch_column(t, ((const ast_coldef *)old->columns.items[i])->name.text))
            return 1;
    return 0;
}

/* Step 3 of SQLite's procedure, for what the compiler does not know: the
 * indexes and triggers of T that raw SQL (or another tool) created are
 * read from the catalog into temp."_retort_keep" at run time, inside the
 * migration's transaction, so that online and offline scripts carry over
 * the same objects.  The indexes the compiler knows are left out: it
 * recreates those itself, minus any that named a dropped column. */
static void put_keep(arena *a, ptr_list *out, const sch_table *t,
                     const sch_table *old)
{
    strbuf b = {0}, names = {0};
    int n = put_index_names(&names, t, old);
    sb_put(&b, "CREATE TEMP TABLE \"_retort_keep\" AS SELECT type, name, tbl_name, sql FROM ");
    put_master(&b, &t->name);
    sb_put(&b, " WHERE tbl_name = ");
    render_put_string(&b, t->name.name.text);
    sb_put(&b, " COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL");
    if (n) {
        sb_put(&b, " AND name COLLATE NOCASE NOT IN (");
        sb_put(&b, names.p);
        sb_put(&b, ")");
    }
    sb_finish(a, &names);
    render_push(a, out, &b, 0);

    /* A kept index on a column the new table lacks could not be rebuilt;
     * say so by name (as SQLite's own DROP COLUMN refuses) rather than
     * let the schema reload fail on it.  Expression columns have no name
     * here; one that names a dropped column fails at the reload. */
    if (!drops_column(t, old))
        return;
    sb_put(&b, "-- an index kept by the rebuild of ");
    put_comment_text(&b, t->name.name.text);
    sb_put(&b, " uses a column it drops\n");
    sb_put(&b, "SELECT 'index ' || k.name || ' uses column ' || i.name || ', which ");
    sb_put(&b, "the rebuild of ' || k.tbl_name || ' drops; drop the index first' ");
    sb_put(&b, "FROM temp.\"_retort_keep\" AS k, pragma_index_info(k.name");
    put_schema_arg(&b, &t->name);
    sb_put(&b, ") AS i WHERE k.type = 'index' AND i.name IS NOT NULL AND i.name ");
    sb_put(&b, "COLLATE NOCASE NOT IN (");
    for (int i = 0; i < t->columns.count; i++) {
        sb_put(&b, i ? ", " : "");
        render_put_string(&b, ((const ast_coldef *)t->columns.items[i])->name.text);
    }
    sb_put(&b, ")");
    render_push(a, out, &b, 1);
}

/* Keeps the kept indexes' b-trees alive across DROP TABLE T: their
 * catalog rows are moved onto an empty holder table, as indexes on its
 * one column, so that DROP TABLE does not free them and SQLite itself
 * keeps their root pages up to date if it moves pages (auto_vacuum).
 * The rows are re-inserted rather than updated because the schema is
 * loaded in rowid order and an index must come after its table. */
static void put_detach(arena *a, ptr_list *out, const sch_table *t)
{
    strbuf b = {0};
    sb_put(&b, "CREATE TABLE ");
    put_schema_prefix(&b, &t->name);
    sb_put(&b, "\"_retort_hold\" (x)");
    render_push(a, out, &b, 0);
    sb_put(&b, "PRAGMA writable_schema=ON");
    render_push(a, out, &b, 0);
    sb_put(&b, "INSERT INTO ");
    put_master(&b, &t->name);
    sb_put(&b, " (type, name, tbl_name, rootpage, sql) SELECT 'index', name, "
                 "'_retort_hold', rootpage, 'CREATE INDEX \"' || replace(name, '\"', '\"\"') "
                 "|| '\" ON \"_retort_hold\" (x)' FROM ");
    put_master(&b, &t->name);
    sb_put(&b, " WHERE type = 'index' AND tbl_name = ");
    render_put_string(&b, t->name.name.text);
    sb_put(&b, " COLLATE NOCASE AND name IN (SELECT name FROM temp.\"_retort_keep\" "
                 "WHERE type = 'index')");
    render_push(a, out, &b, 0);
    sb_put(&b, "DELETE FROM ");
    put_master(&b, &t->name);
    sb_put(&b, " WHERE type = 'index' AND tbl_name = ");
    render_put_string(&b, t->name.name.text);
    sb_put(&b, " COLLATE NOCASE AND name IN (SELECT name FROM temp.\"_retort_keep\" "
                 "WHERE type = 'index')");
    render_push(a, out, &b, 0);
    /* Documented: RESET turns writable_schema off and reloads the schema. */
    sb_put(&b, "PRAGMA writable_schema=RESET");
    render_push(a, out, &b, 0);
}

/* Step 8 for the kept objects: the indexes go back onto the new T with
 * their own SQL and are rebuilt from its rows (REINDEX empties a b-tree
 * before filling it); the triggers, which own no b-tree, are inserted back
 * as they were.  Renaming the holder is SQLite's own check of every view
 * and trigger against the new schema (what ALTER TABLE DROP COLUMN does):
 * one that names a column the rebuild removed fails here instead of at
 * its next use. */
static void put_restore(arena *a, ptr_list *out, const sch_table *t)
{
    strbuf b = {0};
    sb_put(&b, "PRAGMA writable_schema=ON");
    render_push(a, out, &b, 0);
    sb_put(&b, "UPDATE ");
    put_master(&b, &t->name);
    sb_put(&b, " SET (tbl_name, sql) = (SELECT k.tbl_name, k.sql FROM "
                 "temp.\"_retort_keep\" AS k WHERE k.type = 'index' AND k.name = "
                 "sqlite_master.name) WHERE type = 'index' AND tbl_name = '_retort_hold'");
    render_push(a, out, &b, 0);
    sb_put(&b, "INSERT INTO ");
    put_master(&b, &t->name);
    sb_put(&b, " (type, name, tbl_name, rootpage, sql) SELECT type, name, tbl_name, 0, sql "
                 "FROM temp.\"_retort_keep\" WHERE type = 'trigger'");
    render_push(a, out, &b, 0);
    sb_put(&b, "PRAGMA writable_schema=RESET");
    render_push(a, out, &b, 0);
    sb_put(&b, "REINDEX ");
    put_full_name(&b, &t->name);
    render_push(a, out, &b, 0);
    sb_put(&b, "ALTER TABLE ");
    put_schema_prefix(&b, &t->name);
    sb_put(&b, "\"_retort_hold\" RENAME TO \"_retort_hold_checked\"");
    render_push(a, out, &b, 0);
    sb_put(&b, "DROP TABLE ");
    put_schema_prefix(&b, &t->name);
    sb_put(&b, "\"_retort_hold_checked\"");
    render_push(a, out, &b, 0);
    sb_put(&b, "DROP TABLE temp.\"_retort_keep\"");
    render_push(a, out, &b, 0);
}

/* `using_col`/`using_expr`: an alter_column ... using, whose expression
 * (portable SQL over the old row, as the samples write it) computes the
 * new value on SQLite too, where PostgreSQL would run ALTER ... USING. */
static void rebuild(arena *a, const sch_table *t, const sch_table *old,
                    const char *using_col, const char *using_expr,
                    const ast_stmt *renamed, ptr_list *out)
{
    strbuf b = {0};
    ast_qname tmp = t->name;
    tmp.name.text = arena_printf(a, "_retort_new_%s", t->name.name.text);

    render_put_create_table(&b, RETORT_SQLITE, &tmp, &t->columns, &t->constraints, 0);
    render_push(a, out, &b, 0);

    /* The AUTOINCREMENT counter: DROP TABLE deletes T's sqlite_sequence
     * row and the copy would leave the new one at the largest id copied,
     * so an id deleted from the end would be handed out again.  Seeded
     * here, the copy only raises it, and RENAME carries it over to T. */
    if (has_autoincrement(t)) {
        sb_put(&b, "INSERT INTO ");
        put_schema_prefix(&b, &t->name);
        sb_put(&b, "sqlite_sequence (name, seq) SELECT ");
        render_put_string(&b, tmp.name.text);
        sb_put(&b, ", seq FROM ");
        put_schema_prefix(&b, &t->name);
        sb_put(&b, "sqlite_sequence WHERE name = ");
        render_put_string(&b, t->name.name.text);
        sb_put(&b, " COLLATE NOCASE");
        render_push(a, out, &b, 0);
    }

    /* Copy the columns that exist on both sides; new ones take their
     * defaults. */
    strbuf cols = {0}, exprs = {0};
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        const ast_coldef *o = sch_column(old, c->name.text);
        if (!o)
            continue;
        if (cols.len) {
            sb_put(&cols, ", ");
            sb_put(&exprs, ", ");
        }
        render_put_ident(&cols, c->name.text);
        if (using_expr && strcmp(c->name.text, using_col) == 0) {
            sb_put(&exprs, "(");
            sb_put(&exprs, using_expr);
            sb_put(&exprs, ")");
        } else {
            put_copy_expr(&exprs, o, c, renamed);
        }
    }
    if (cols.len) {
        sb_put(&b, "INSERT INTO ");
        render_put_qname(&b, &tmp);
        sb_put(&b, " (");
        sb_put(&b, cols.p);
        sb_put(&b, ") SELECT ");
        sb_put(&b, exprs.p);
        sb_put(&b, " FROM ");
        render_put_qname(&b, &t->name);
        render_push(a, out, &b, 0);
    }
    sb_finish(a, &cols);
    sb_finish(a, &exprs);

    put_keep(a, out, t, old);
    put_detach(a, out, t);

    sb_put(&b, "DROP TABLE ");
    render_put_qname(&b, &t->name);
    render_push(a, out, &b, 0);

    /* Views and triggers of other tables that name T would fail SQLite's
     * check of the schema during RENAME, T being gone at that moment;
     * legacy_alter_table skips that check (and rewrites none of them,
     * which is right: they name T, and T is what the new table becomes).
     * The check is made in put_restore(), once T exists again. */
    sb_put(&b, "PRAGMA legacy_alter_table=ON");
    render_push(a, out, &b, 0);
    sb_put(&b, "ALTER TABLE ");
    render_put_qname(&b, &tmp);
    sb_put(&b, " RENAME TO ");
    render_put_ident(&b, t->name.name.text);
    render_push(a, out, &b, 0);
    sb_put(&b, "PRAGMA legacy_alter_table=OFF");
    render_push(a, out, &b, 0);

    put_restore(a, out, t);

    for (int i = 0; i < t->indexes.count; i++) {
        const sch_index *ix = t->indexes.items[i];
        if (!index_fits(t, ix))
            continue;
        render_put_create_index(&b, RETORT_SQLITE, ix->name, &t->name, &ix->elems,
                                ix->method, ix->unique, ix->where, 0, 0);
        render_push(a, out, &b, 0);
    }

    /* A query, not PRAGMA foreign_key_check(T): offline scripts turn a
     * check step into a statement that fails on a row, which needs a
     * query they can select from (runtime/src/script.c). */
    sb_put(&b, "-- the rebuild of ");
    put_comment_text(&b, t->name.name.text);
    sb_put(&b, " leaves a foreign key violated\n");
    sb_put(&b, "SELECT * FROM pragma_foreign_key_check(");
    render_put_string(&b, t->name.name.text);
    put_schema_arg(&b, &t->name);
    sb_put(&b, ")");
    render_push(a, out, &b, 1);
}

const sch_table *render_sqlite_rebuilt(const ast_stmt *st)
{
    if (st->kind == ST_ALTER_ENUM_ADD || st->kind == ST_ALTER_ENUM_RENAME ||
        st->kind == ST_ALTER_ENUM_DROP_VALUE)
        return NULL;
    if (!st->after || st->after->opaque || (st->before && st->before->opaque) ||
        !needs_rebuild(st))
        return NULL;
    return st->after;
}

int render_sqlite_rebuild(arena *a, const ast_stmt *st, ptr_list *out)
{
    if (st->kind == ST_ALTER_ENUM_ADD || st->kind == ST_ALTER_ENUM_RENAME ||
        st->kind == ST_ALTER_ENUM_DROP_VALUE) {
        /* The labels are in the CHECK of every column of the enum: each
         * table with one is rebuilt (one whose columns are unknown keeps
         * its old CHECK, as SQLite cannot change it otherwise). */
        for (int i = 0; i + 1 < st->retyped.count; i += 2) {
            const sch_table *old = st->retyped.items[i], *t = st->retyped.items[i + 1];
            if (!t->opaque)
                rebuild(a, t, old, NULL, NULL,
                        st->kind == ST_ALTER_ENUM_RENAME ? st : NULL, out);
        }
        return 1;
    }
    /* Without a full snapshot (an unknown table under `schema_check off`,
     * or one only assumed by `if table_exists`, whose columns are unknown)
     * the plain ALTER TABLE is emitted and SQLite reports what it refuses;
     * a rebuild from a partial definition would lose columns. */
    if (!st->after || st->after->opaque || (st->before && st->before->opaque) ||
        !needs_rebuild(st))
        return 0;
    const char *using_expr = st->kind == ST_ALTER_TYPE ? st->using_expr : NULL;
    rebuild(a, st->after, st->before ? st->before : st->after, st->name.text,
            using_expr, NULL, out);
    return 1;
}
