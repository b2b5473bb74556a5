/*
 * render.c: SQL for one dialect.
 *
 * Every statement becomes one or more complete SQL statements (without the
 * final ';').  Identifiers are quoted only when they need it, user strings
 * are always single-quoted with '' doubling, so no name or string coming
 * from a revision file can break out of its token.  Raw SQL ($$...$$) is
 * the author's own and is copied verbatim.
 *
 * On SQLite, what ALTER TABLE cannot do in place is rendered as the table
 * rebuild of SQLite's documented 12-step procedure, from the snapshots that
 * sema left in ast_stmt.before/.after (render_sqlite.c).
 */
#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialect.h"
#include "render_int.h"
#include "sema.h"
#include "sql_reserved.h"
#include "sqlword.h"

void render_push(arena *a, ptr_list *out, strbuf *b, int expect_empty)
{
    render_sql *r = arena_alloc(a, sizeof *r);
    r->sql = sb_finish(a, b);
    r->expect_empty = expect_empty;
    list_push(a, out, r);
}

/* The body as written, without the white space around it: its start,
 * and its length in *n. */
static const char *trimmed(const char *body, size_t *n)
{
    while (isspace((unsigned char)*body))
        body++;
    *n = strlen(body);
    while (*n && isspace((unsigned char)body[*n - 1]))
        (*n)--;
    return body;
}

static void put_trimmed(strbuf *b, const char *body)
{
    size_t n;
    const char *p = trimmed(body, &n);
    sb_putn(b, p, n);
}

/* A CREATE FUNCTION statement as CREATE OR REPLACE FUNCTION: a replaced
 * function, and a derived downgrade putting back the body a function had,
 * run over a function that exists, whatever its body says. */
static void or_replace(strbuf *b, const char *body)
{
    size_t n;
    const char *p = trimmed(body, &n);
    int has_create = n > 6 && sqlword_eqn(p, "create", 6) && isspace((unsigned char)p[6]);
    const char *q = p + (has_create ? 6 : 0);
    while (has_create && isspace((unsigned char)*q))
        q++;
    if (!has_create || (sqlword_eqn(q, "or", 2) && isspace((unsigned char)q[2]))) {
        sb_putn(b, p, n);
        return;
    }
    sb_putn(b, p, 6);
    sb_put(b, " OR REPLACE");
    sb_putn(b, p + 6, n - 6);
}

/* ---- identifiers ---- */

/* The quoting rule for names, as SQLAlchemy's: anything but a lower-case
 * word that is not reserved (common/sql_reserved.h). */
static int needs_quotes(const char *s)
{
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z')))
        return 1;
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
            return 1;
    return sql_reserved(s, strlen(s));
}

void render_put_ident(strbuf *b, const char *name)
{
    if (!name)
        name = "";
    if (!needs_quotes(name)) {
        sb_put(b, name);
        return;
    }
    sb_put(b, "\"");
    for (const char *p = name; *p; p++)
        sb_put(b, *p == '"' ? "\"\"" : (char[2]){*p, 0});
    sb_put(b, "\"");
}

const char *render_ident(arena *a, const char *name)
{
    strbuf b = {0};
    render_put_ident(&b, name);
    return sb_finish(a, &b);
}

void render_put_qname(strbuf *b, const ast_qname *q)
{
    if (q->schema.text) {
        render_put_ident(b, q->schema.text);
        sb_put(b, ".");
    }
    render_put_ident(b, q->name.text);
}

const char *render_qname(arena *a, const ast_qname *q)
{
    strbuf b = {0};
    render_put_qname(&b, q);
    return sb_finish(a, &b);
}

/* ---- types, literals, defaults ---- */

void render_put_type(strbuf *b, enum retort_dialect d, const ast_type *t)
{
    char num[64];
    if (t->kind == TY_RAW) {
        sb_put(b, ast_type_raw(t, d));
        return;
    }
    if (t->kind == TY_ENUM && dialect_get(d)->native_enums) {
        render_put_ident(b, t->en);
        return;
    }
    if (t->kind == TY_ENUM) {
        size_t n = 1;
        for (int i = 0; t->en_def && i < t->en_def->labels.count; i++)
            if (strlen(t->en_def->labels.items[i]) > n)
                n = strlen(t->en_def->labels.items[i]);
        snprintf(num, sizeof num, "(%zu)", n);
        sb_put(b, dialect_get(d)->types[TY_ENUM]);
        sb_put(b, num);
        return;
    }
    sb_put(b, dialect_get(d)->types[t->kind]);
    if (t->kind == TY_NUMERIC || t->kind == TY_VARCHAR || t->kind == TY_CHAR) {
        if (t->p >= 0 && t->s >= 0 && t->kind == TY_NUMERIC)
            snprintf(num, sizeof num, "(%d, %d)", t->p, t->s);
        else if (t->p >= 0)
            snprintf(num, sizeof num, "(%d)", t->p);
        else
            num[0] = '\0';
        sb_put(b, num);
    }
    if (t->array)
        sb_put(b, "[]");
}

const char *render_type(arena *a, enum retort_dialect d, const ast_type *t)
{
    strbuf b = {0};
    render_put_type(&b, d, t);
    return sb_finish(a, &b);
}

void render_put_string(strbuf *b, const char *s)
{
    sb_put(b, "'");
    for (const char *p = s ? s : ""; *p; p++)
        sb_put(b, *p == '\'' ? "''" : (char[2]){*p, 0});
    sb_put(b, "'");
}

/* A default or a bulk_insert value, booleans as the dialect spells them;
 * raw SQL is parenthesised because SQLite accepts an expression as a
 * default only in parentheses. */
void render_put_expr(strbuf *b, enum retort_dialect d, const ast_expr *e)
{
    const dialect *D = dialect_get(d);
    switch (e->kind) {
    case EX_NUMBER: sb_put(b, e->text); break;
    case EX_STRING: render_put_string(b, e->text); break;
    case EX_TRUE: sb_put(b, D->true_literal); break;
    case EX_FALSE: sb_put(b, D->false_literal); break;
    case EX_NULL: sb_put(b, "NULL"); break;
    case EX_CURRENT_TIMESTAMP: sb_put(b, "CURRENT_TIMESTAMP"); break;
    case EX_CURRENT_DATE: sb_put(b, "CURRENT_DATE"); break;
    case EX_RAW:
        sb_put(b, "(");
        sb_put(b, e->text);
        sb_put(b, ")");
        break;
    }
}

/* ---- column and table definitions ---- */

static int is_int_type(enum ast_type_kind k)
{
    return k == TY_SMALLINT || k == TY_INTEGER || k == TY_BIGINT;
}

static void put_names(strbuf *b, const ptr_list *names)
{
    for (int i = 0; i < names->count; i++) {
        const ast_name *n = names->items[i];
        if (i)
            sb_put(b, ", ");
        render_put_ident(b, n->text);
    }
}

static void put_action(strbuf *b, const char *what, enum ast_fk_action act)
{
    static const char *const names[] = {
        [FK_CASCADE] = "CASCADE", [FK_SET_NULL] = "SET NULL",
        [FK_SET_DEFAULT] = "SET DEFAULT", [FK_RESTRICT] = "RESTRICT",
        [FK_NO_ACTION] = "NO ACTION",
    };
    if (act == FK_UNSPECIFIED)
        return;
    sb_put(b, what);
    sb_put(b, names[act]);
}

/* PostgreSQL and SQLite spell deferrable foreign keys alike. */
static const char *const deferral_sql[] = {
    [DEFER_NONE] = "", [DEFER_IMMEDIATE] = " DEFERRABLE",
    [DEFER_DEFERRED] = " DEFERRABLE INITIALLY DEFERRED",
};

/* SQLite's REFERENCES takes a bare table name (the parent lives in the
 * same database), so the schema is dropped there. */
static void put_reference(strbuf *b, enum retort_dialect d, const ast_reference *r)
{
    sb_put(b, "REFERENCES ");
    if (dialect_get(d)->qualified_table_refs)
        render_put_qname(b, &r->table);
    else
        render_put_ident(b, r->table.name.text);
    if (r->columns.count) {
        sb_put(b, " (");
        put_names(b, &r->columns);
        sb_put(b, ")");
    }
    put_action(b, " ON DELETE ", r->on_delete);
    put_action(b, " ON UPDATE ", r->on_update);
    sb_put(b, deferral_sql[r->deferral]);
}

/* `integer primary key autoincrement` is SQLite's rowid alias, which must
 * be spelt INTEGER exactly; on PostgreSQL an autoincrement integer is an
 * identity column (BY DEFAULT, so explicit ids still insert, as with
 * serial). */
/* 'a', 'b', ... */
static void put_labels(strbuf *b, const ptr_list *labels)
{
    for (int i = 0; i < labels->count; i++) {
        sb_put(b, i ? ", " : "");
        render_put_string(b, labels->items[i]);
    }
}

void render_put_coldef(strbuf *b, enum retort_dialect d, const ast_coldef *c)
{
    int has_identity = dialect_get(d)->identity_columns;
    int identity = has_identity && c->autoincrement && is_int_type(c->type.kind);
    int rowid = !has_identity && c->autoincrement && c->primary_key &&
                is_int_type(c->type.kind);

    render_put_ident(b, c->name.text);
    sb_put(b, " ");
    if (rowid) {
        sb_put(b, "INTEGER PRIMARY KEY AUTOINCREMENT");
    } else {
        render_put_type(b, d, &c->type);
        if (identity)
            sb_put(b, " GENERATED BY DEFAULT AS IDENTITY");
        if (c->primary_key)
            sb_put(b, " PRIMARY KEY");
    }
    if (c->not_null)
        sb_put(b, " NOT NULL");
    else if (c->explicit_null && !identity && !c->primary_key)
        sb_put(b, " NULL");
    if (c->unique)
        sb_put(b, " UNIQUE");
    if (c->dflt && !identity) {
        sb_put(b, " DEFAULT ");
        render_put_expr(b, d, c->dflt);
    }
    if (c->references) {
        sb_put(b, " ");
        put_reference(b, d, c->references);
    }
    if (c->check) {
        sb_put(b, " CHECK (");
        sb_put(b, c->check);
        sb_put(b, ")");
    }
    if (c->type.kind == TY_ENUM && !dialect_get(d)->native_enums && c->type.en_def) {
        sb_put(b, " CHECK (");
        render_put_ident(b, c->name.text);
        sb_put(b, " IN (");
        put_labels(b, &c->type.en_def->labels);
        sb_put(b, "))");
    }
}

void render_put_constraint(strbuf *b, enum retort_dialect d, const ast_constraint *k)
{
    if (k->name.text) {
        sb_put(b, "CONSTRAINT ");
        render_put_ident(b, k->name.text);
        sb_put(b, " ");
    }
    switch (k->kind) {
    case CONS_PRIMARY_KEY:
    case CONS_UNIQUE:
        sb_put(b, k->kind == CONS_UNIQUE ? "UNIQUE (" : "PRIMARY KEY (");
        put_names(b, &k->columns);
        sb_put(b, ")");
        if (dialect_get(d)->deferrable_keys)
            sb_put(b, deferral_sql[k->deferral]);
        break;
    case CONS_CHECK:
        sb_put(b, "CHECK (");
        sb_put(b, k->check);
        sb_put(b, ")");
        break;
    case CONS_FOREIGN_KEY:
        sb_put(b, "FOREIGN KEY (");
        put_names(b, &k->columns);
        sb_put(b, ") ");
        put_reference(b, d, k->references);
        break;
    }
}

/* `CREATE TABLE name (` columns and constraints, one per line `)`. */
void render_put_create_table(strbuf *b, enum retort_dialect d, const ast_qname *name,
                             const ptr_list *columns, const ptr_list *constraints,
                             int if_not_exists)
{
    sb_put(b, if_not_exists ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ");
    render_put_qname(b, name);
    sb_put(b, " (");
    for (int i = 0; i < columns->count; i++) {
        sb_put(b, i ? ",\n    " : "\n    ");
        render_put_coldef(b, d, columns->items[i]);
    }
    for (int i = 0; i < constraints->count; i++) {
        sb_put(b, columns->count || i ? ",\n    " : "\n    ");
        render_put_constraint(b, d, constraints->items[i]);
    }
    sb_put(b, "\n)");
}

/* CREATE INDEX.  PostgreSQL creates the index in its table's schema and
 * refuses a qualified index name; SQLite wants the schema on the index
 * name and a bare table name. */
void render_put_create_index(strbuf *b, enum retort_dialect d, const char *name,
                             const ast_qname *table, const ptr_list *elems,
                             const char *method, int unique, const char *where, int concurrently,
                             int if_not_exists)
{
    const dialect *D = dialect_get(d);
    sb_put(b, unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
    if (D->concurrent_index && concurrently)
        sb_put(b, "CONCURRENTLY ");
    if (if_not_exists)
        sb_put(b, "IF NOT EXISTS ");
    if (!D->qualified_table_refs && table->schema.text) {
        render_put_ident(b, table->schema.text);
        sb_put(b, ".");
    }
    render_put_ident(b, name);
    sb_put(b, " ON ");
    if (D->qualified_table_refs)
        render_put_qname(b, table);
    else
        render_put_ident(b, table->name.text);
    if (method && D->index_methods) {
        sb_put(b, " USING ");
        sb_put(b, method);
    }
    sb_put(b, " (");
    for (int i = 0; i < elems->count; i++) {
        const ast_index_elem *e = elems->items[i];
        if (i)
            sb_put(b, ", ");
        if (e->column.text) {
            render_put_ident(b, e->column.text);
        } else {
            sb_put(b, "(");
            sb_put(b, e->expr ? e->expr : "");
            sb_put(b, ")");
        }
        if (e->opclass && D->index_methods) {
            sb_put(b, " ");
            render_put_ident(b, e->opclass);
        }
        if (e->order == 1)
            sb_put(b, " ASC");
        else if (e->order == 2)
            sb_put(b, " DESC");
    }
    sb_put(b, ")");
    if (where) {
        sb_put(b, " WHERE ");
        sb_put(b, where);
    }
}

/* ---- statements ---- */

static void alter_table(strbuf *b, const ast_stmt *st)
{
    sb_put(b, "ALTER TABLE ");
    render_put_qname(b, &st->table);
    sb_put(b, " ");
}

static void alter_column(strbuf *b, const ast_stmt *st)
{
    alter_table(b, st);
    sb_put(b, "ALTER COLUMN ");
    render_put_ident(b, st->name.text);
    sb_put(b, " ");
}

/* Raw SQL without trailing blanks and a final ';' (steps carry none). */
static void put_raw_statement(strbuf *b, const char *sql)
{
    size_t n = strlen(sql);
    while (n && (sql[n - 1] == ' ' || sql[n - 1] == '\t' ||
                 sql[n - 1] == '\n' || sql[n - 1] == '\r' || sql[n - 1] == ';'))
        n--;
    size_t i = 0;
    while (i < n && (sql[i] == ' ' || sql[i] == '\t' || sql[i] == '\n' || sql[i] == '\r'))
        i++;
    sb_putn(b, sql + i, n - i);
}

static void add_constraint(strbuf *b, enum retort_dialect d, const ast_stmt *st,
                           enum ast_constraint_kind kind)
{
    ast_constraint k = {0};
    k.kind = kind;
    k.name = st->name;
    if (!k.name.text)         /* written without: the name it was given */
        k.name.text = st->given_name;
    k.columns = st->cols;
    k.check = st->raw;
    k.references = st->references;
    k.deferral = st->deferral;
    alter_table(b, st);
    sb_put(b, "ADD ");
    if (st->using_index.text && dialect_get(d)->unique_using_index) {
        sb_put(b, "CONSTRAINT ");
        render_put_ident(b, st->name.text);
        sb_put(b, " UNIQUE USING INDEX ");
        render_put_ident(b, st->using_index.text);
        return;
    }
    render_put_constraint(b, d, &k);
    if (st->not_valid && dialect_get(d)->not_valid_constraints)
        sb_put(b, " NOT VALID");
}

static void bulk_insert(strbuf *b, enum retort_dialect d, const ast_stmt *st)
{
    sb_put(b, "INSERT INTO ");
    render_put_qname(b, &st->table);
    sb_put(b, " (");
    put_names(b, &st->cols);
    sb_put(b, ") VALUES");
    for (int i = 0; i < st->rows.count; i++) {
        const ptr_list *row = st->rows.items[i];
        sb_put(b, i ? ",\n    (" : "\n    (");
        for (int j = 0; j < row->count; j++) {
            if (j)
                sb_put(b, ", ");
            render_put_expr(b, d, row->items[j]);
        }
        sb_put(b, ")");
    }
}

static void put_where(strbuf *b, const char *where)
{
    if (!where)
        return;
    sb_put(b, " WHERE ");
    put_raw_statement(b, where);
}

/* insert ... select $$query$$: the query may be written with or without
 * its leading SELECT (or WITH); the SQL has it once. */
static void put_query(strbuf *b, const char *q)
{
    const char *p = q;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    static const char *const heads[] = {"select", "with", "values"};
    int has = 0;
    for (size_t i = 0; i < sizeof heads / sizeof heads[0] && !has; i++) {
        size_t n = strlen(heads[i]), k = 0;
        while (k < n && p[k] && (p[k] | 0x20) == heads[i][k])
            k++;
        has = k == n && !((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
                          (p[n] >= '0' && p[n] <= '9') || p[n] == '_');
    }
    if (!has)
        sb_put(b, "SELECT ");
    put_raw_statement(b, p);
}

/* ---- views and triggers ---- */

static void create_view(strbuf *b, enum retort_dialect d, const ast_qname *q,
                        const char *const bodies[2])
{
    sb_put(b, "CREATE VIEW ");
    render_put_qname(b, q);
    sb_put(b, " AS ");
    put_raw_statement(b, bodies[d] ? bodies[d] : "");
}

static void drop_trigger(strbuf *b, enum retort_dialect d, const ast_stmt *st)
{
    sb_put(b, st->if_exists ? "DROP TRIGGER IF EXISTS " : "DROP TRIGGER ");
    if (dialect_get(d)->drop_trigger_on_table) {
        render_put_ident(b, st->name.text);
        sb_put(b, " ON ");
        render_put_qname(b, &st->table);
        return;
    }
    if (st->table.schema.text) {
        render_put_ident(b, st->table.schema.text);
        sb_put(b, ".");
    }
    render_put_ident(b, st->name.text);
}

/* COMMENT ON TABLE T / COLUMN T.C IS 'text' (NULL: removed). */
static void comment_on(strbuf *b, const ast_qname *t, const char *column,
                       const char *comment)
{
    sb_put(b, column ? "COMMENT ON COLUMN " : "COMMENT ON TABLE ");
    render_put_qname(b, t);
    if (column) {
        sb_put(b, ".");
        render_put_ident(b, column);
    }
    sb_put(b, " IS ");
    if (comment)
        render_put_string(b, comment);
    else
        sb_put(b, "NULL");
}

/* ---- enums ---- */

/* PostgreSQL has no DROP VALUE: the type is replaced.  The old one is
 * renamed away, the new one created with the labels left, each column
 * that used it converted through text (its default dropped around the
 * change, which a default of the old type would stop), the old type
 * dropped.  A row holding the dropped label fails the conversion. */
static void drop_enum_value(arena *a, const ast_stmt *st, ptr_list *out)
{
    strbuf b = {0};
    const char *old = arena_printf(a, "%s_retort_old", st->name.text);
    sb_put(&b, "ALTER TYPE ");
    render_put_ident(&b, st->name.text);
    sb_put(&b, " RENAME TO ");
    render_put_ident(&b, old);
    render_push(a, out, &b, 0);
    sb_put(&b, "CREATE TYPE ");
    render_put_ident(&b, st->name.text);
    sb_put(&b, " AS ENUM (");
    put_labels(&b, &st->enum_after->labels);
    sb_put(&b, ")");
    render_push(a, out, &b, 0);
    for (int i = 1; i < st->retyped.count; i += 2) {
        const sch_table *t = st->retyped.items[i];
        for (int k = 0; k < t->columns.count; k++) {
            const ast_coldef *c = t->columns.items[k];
            if (c->type.kind != TY_ENUM || strcmp(c->type.en, st->name.text) != 0)
                continue;
            ast_stmt at = {.table = t->name, .name = c->name};
            if (c->dflt) {
                alter_column(&b, &at);
                sb_put(&b, "DROP DEFAULT");
                render_push(a, out, &b, 0);
            }
            alter_column(&b, &at);
            sb_put(&b, "TYPE ");
            render_put_ident(&b, st->name.text);
            sb_put(&b, " USING ");
            render_put_ident(&b, c->name.text);
            sb_put(&b, "::text::");
            render_put_ident(&b, st->name.text);
            render_push(a, out, &b, 0);
            if (c->dflt) {
                alter_column(&b, &at);
                sb_put(&b, "SET DEFAULT ");
                render_put_expr(&b, RETORT_POSTGRESQL, c->dflt);
                render_push(a, out, &b, 0);
            }
        }
    }
    sb_put(&b, "DROP TYPE ");
    render_put_ident(&b, old);
    render_push(a, out, &b, 0);
}

/* ---- PostgreSQL objects and renames ---- */

/* CREATE / DROP EXTENSION, SCHEMA, SEQUENCE; 0 when the dialect has no
 * such object (nothing is written). */
static int object_sql(strbuf *b, const dialect *D, const ast_stmt *st)
{
    static const char *const words[] = {
        [OBJ_EXTENSION] = "EXTENSION ", [OBJ_SCHEMA] = "SCHEMA ",
        [OBJ_SEQUENCE] = "SEQUENCE ",
    };
    int has = st->object == OBJ_EXTENSION ? D->extensions
            : st->object == OBJ_SCHEMA ? D->create_schema : D->sequences;
    if (!has)
        return 0;
    int create = st->kind == ST_CREATE_OBJECT;
    sb_put(b, create ? "CREATE " : "DROP ");
    sb_put(b, words[st->object]);
    if (create ? st->if_not_exists : st->if_exists)
        sb_put(b, create ? "IF NOT EXISTS " : "IF EXISTS ");
    render_put_ident(b, st->name.text);
    if (create && st->start) {
        sb_put(b, " START WITH ");
        sb_put(b, st->start);
    }
    if (create && st->increment) {
        sb_put(b, " INCREMENT BY ");
        sb_put(b, st->increment);
    }
    return 1;
}

/* rename_index on a dialect without ALTER INDEX ... RENAME: the index is
 * dropped and created under its new name, as the model knows it (sema
 * refuses the rename where the model does not). */
static void rename_index_again(arena *a, enum retort_dialect d, const ast_stmt *st,
                               ptr_list *out)
{
    const sch_index *ix = NULL;
    for (int i = 0; st->after && i < st->after->indexes.count; i++)
        if (strcmp(((const sch_index *)st->after->indexes.items[i])->name,
                   st->new_name.text) == 0)
            ix = st->after->indexes.items[i];
    strbuf b = {0};
    if (!ix) {
        /* Unreachable after sema; the database refuses it rather than
         * have the rename vanish. */
        sb_put(&b, "ALTER INDEX ");
        render_put_ident(&b, st->name.text);
        sb_put(&b, " RENAME TO ");
        render_put_ident(&b, st->new_name.text);
        render_push(a, out, &b, 0);
        return;
    }
    sb_put(&b, "DROP INDEX ");
    if (ix->table.schema.text) {
        render_put_ident(&b, ix->table.schema.text);
        sb_put(&b, ".");
    }
    render_put_ident(&b, st->name.text);
    render_push(a, out, &b, 0);
    render_put_create_index(&b, d, ix->name, &ix->table, &ix->elems, ix->method, ix->unique,
                            ix->where, 0, 0);
    render_push(a, out, &b, 0);
}

/* The statement as written, in the dialect's syntax; on SQLite only what
 * SQLite runs in place reaches this (render_sqlite.c decides). */
static void render_plain(arena *a, enum retort_dialect d, const ast_stmt *st,
                         ptr_list *out)
{
    const dialect *D = dialect_get(d);
    strbuf b = {0};

    switch (st->kind) {
    case ST_CREATE_TABLE:
        render_put_create_table(&b, d, &st->table, &st->columns, &st->constraints,
                                st->if_not_exists);
        break;
    case ST_DROP_TABLE:
        sb_put(&b, st->if_exists ? "DROP TABLE IF EXISTS " : "DROP TABLE ");
        render_put_qname(&b, &st->table);
        break;
    case ST_RENAME_TABLE:
        alter_table(&b, st);
        sb_put(&b, "RENAME TO ");
        render_put_ident(&b, st->new_name.text);
        break;
    case ST_ADD_COLUMN:
        alter_table(&b, st);
        sb_put(&b, D->add_column_if_not_exists && st->if_not_exists
                        ? "ADD COLUMN IF NOT EXISTS " : "ADD COLUMN ");
        render_put_coldef(&b, d, st->column);
        break;
    case ST_DROP_COLUMN:
        alter_table(&b, st);
        sb_put(&b, D->add_column_if_not_exists && st->if_exists
                        ? "DROP COLUMN IF EXISTS " : "DROP COLUMN ");
        render_put_ident(&b, st->name.text);
        break;
    case ST_ALTER_TYPE:
        alter_column(&b, st);
        sb_put(&b, "TYPE ");
        render_put_type(&b, d, &st->type);
        if (st->using_expr && D->alter_type_using) {
            sb_put(&b, " USING ");
            sb_put(&b, st->using_expr);
        } else if (st->type.kind == TY_ENUM && D->native_enums && D->alter_type_using) {
            /* No implicit cast reaches an enum: through its text. */
            sb_put(&b, " USING ");
            render_put_ident(&b, st->name.text);
            sb_put(&b, "::text::");
            render_put_ident(&b, st->type.en);
        }
        break;
    case ST_ALTER_SET_NOT_NULL:
        alter_column(&b, st);
        sb_put(&b, "SET NOT NULL");
        break;
    case ST_ALTER_DROP_NOT_NULL:
        alter_column(&b, st);
        sb_put(&b, "DROP NOT NULL");
        break;
    case ST_ALTER_SET_DEFAULT:
        alter_column(&b, st);
        sb_put(&b, "SET DEFAULT ");
        render_put_expr(&b, d, st->dflt);
        break;
    case ST_ALTER_DROP_DEFAULT:
        alter_column(&b, st);
        sb_put(&b, "DROP DEFAULT");
        break;
    case ST_ALTER_RENAME:
        alter_table(&b, st);
        sb_put(&b, "RENAME COLUMN ");
        render_put_ident(&b, st->name.text);
        sb_put(&b, " TO ");
        render_put_ident(&b, st->new_name.text);
        break;
    case ST_CREATE_INDEX:
        render_put_create_index(&b, d, st->name.text, &st->table, &st->elems,
                                st->method, st->unique, st->where, st->concurrently,
                                st->if_not_exists);
        break;
    case ST_DROP_INDEX: {
        /* The index lives in its table's schema on both dialects. */
        const char *schema = st->table.schema.text;
        if (!schema && st->before)
            schema = st->before->name.schema.text;
        sb_put(&b, "DROP INDEX ");
        if (D->concurrent_index && st->concurrently)
            sb_put(&b, "CONCURRENTLY ");
        if (st->if_exists)
            sb_put(&b, "IF EXISTS ");
        if (schema) {
            render_put_ident(&b, schema);
            sb_put(&b, ".");
        }
        render_put_ident(&b, st->name.text);
        break;
    }
    case ST_CREATE_PRIMARY_KEY:
        add_constraint(&b, d, st, CONS_PRIMARY_KEY);
        break;
    case ST_CREATE_UNIQUE:
        add_constraint(&b, d, st, CONS_UNIQUE);
        break;
    case ST_CREATE_CHECK:
        add_constraint(&b, d, st, CONS_CHECK);
        break;
    case ST_CREATE_FOREIGN_KEY:
        add_constraint(&b, d, st, CONS_FOREIGN_KEY);
        break;
    case ST_DROP_CONSTRAINT:
        alter_table(&b, st);
        sb_put(&b, "DROP CONSTRAINT ");
        render_put_ident(&b, st->name.text);
        break;
    case ST_VALIDATE_CONSTRAINT:
        if (!D->not_valid_constraints)
            return;   /* every constraint holds for every row already */
        alter_table(&b, st);
        sb_put(&b, "VALIDATE CONSTRAINT ");
        render_put_ident(&b, st->name.text);
        break;
    case ST_CREATE_FUNCTION:
        if (!D->functions)
            return;   /* sema keeps functions to databases that have them */
        put_trimmed(&b, st->raw);
        break;
    case ST_REPLACE_FUNCTION:
        if (!D->functions)
            return;
        or_replace(&b, st->raw);
        break;
    case ST_DROP_FUNCTION:
        if (!D->functions)
            return;
        sb_put(&b, st->if_exists ? "DROP FUNCTION IF EXISTS " : "DROP FUNCTION ");
        render_put_qname(&b, &st->table);
        break;
    case ST_LOCK_TABLE:
        if (!D->lock_table)
            return;   /* the migrator's write transaction locks the file */
        sb_put(&b, "LOCK TABLE ");
        for (int i = 0; i < st->tables.count; i++) {
            sb_put(&b, i ? ", " : "");
            render_put_qname(&b, st->tables.items[i]);
        }
        sb_put(&b, " IN ");
        sb_put(&b, st->lock_mode);
        sb_put(&b, " MODE");
        break;
    case ST_EXECUTE:
        if (st->dialect != DIALECT_ALL && !(st->dialect & D->mask))
            return;
        put_raw_statement(&b, st->raw ? st->raw : "");
        if (b.len == 0) {
            sb_finish(a, &b);
            return;
        }
        break;
    case ST_BULK_INSERT:
        if (st->rows.count == 0)
            return;
        bulk_insert(&b, d, st);
        break;
    case ST_UPDATE:
        sb_put(&b, "UPDATE ");
        render_put_qname(&b, &st->table);
        sb_put(&b, " SET ");
        for (int i = 0; i < st->cols.count; i++) {
            sb_put(&b, i ? ", " : "");
            render_put_ident(&b, ((const ast_name *)st->cols.items[i])->text);
            sb_put(&b, " = ");
            render_put_expr(&b, d, st->values.items[i]);
        }
        for (int i = 0; i < st->from.count; i++) {
            sb_put(&b, i ? ", " : " FROM ");
            render_put_qname(&b, st->from.items[i]);
        }
        put_where(&b, st->where);
        break;
    case ST_DELETE:
        sb_put(&b, "DELETE FROM ");
        render_put_qname(&b, &st->table);
        put_where(&b, st->where);
        break;
    case ST_INSERT_SELECT:
        sb_put(&b, "INSERT INTO ");
        render_put_qname(&b, &st->table);
        sb_put(&b, " (");
        put_names(&b, &st->cols);
        sb_put(&b, ") ");
        put_query(&b, st->raw ? st->raw : "");
        break;
    case ST_CREATE_VIEW:
        create_view(&b, d, &st->table, st->bodies);
        break;
    case ST_DROP_VIEW:
        sb_put(&b, st->if_exists ? "DROP VIEW IF EXISTS " : "DROP VIEW ");
        render_put_qname(&b, &st->table);
        break;
    case ST_CREATE_TRIGGER:
        put_raw_statement(&b, st->bodies[d] ? st->bodies[d] : "");
        break;
    case ST_DROP_TRIGGER:
        drop_trigger(&b, d, st);
        break;
    case ST_CREATE_ENUM:
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_DROP_ENUM:
        if (!D->native_enums)
            return;   /* the labels live in the columns (render_sqlite.c) */
        if (st->kind == ST_ALTER_ENUM_DROP_VALUE) {
            if (st->enum_after)
                drop_enum_value(a, st, out);
            return;
        }
        if (st->kind == ST_CREATE_ENUM) {
            sb_put(&b, "CREATE TYPE ");
            render_put_ident(&b, st->name.text);
            sb_put(&b, " AS ENUM (");
            put_labels(&b, &st->labels);
            sb_put(&b, ")");
        } else if (st->kind == ST_DROP_ENUM) {
            sb_put(&b, st->if_exists ? "DROP TYPE IF EXISTS " : "DROP TYPE ");
            render_put_ident(&b, st->name.text);
        } else {
            sb_put(&b, "ALTER TYPE ");
            render_put_ident(&b, st->name.text);
            sb_put(&b, st->kind == ST_ALTER_ENUM_ADD ? " ADD VALUE " : " RENAME VALUE ");
            render_put_string(&b, st->label);
            if (st->kind == ST_ALTER_ENUM_RENAME || st->position) {
                sb_put(&b, st->kind == ST_ALTER_ENUM_RENAME ? " TO "
                             : st->position == 1 ? " BEFORE " : " AFTER ");
                render_put_string(&b, st->label2);
            }
        }
        break;
    case ST_ALTER_ENUM_RENAME_TYPE:
        if (!D->native_enums)
            return;   /* VARCHAR + CHECK: the name is the model's only */
        sb_put(&b, "ALTER TYPE ");
        render_put_ident(&b, st->name.text);
        sb_put(&b, " RENAME TO ");
        render_put_ident(&b, st->new_name.text);
        break;
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
        if (!object_sql(&b, D, st))
            return;
        break;
    case ST_RENAME_CONSTRAINT:
        /* Without RENAME CONSTRAINT the table is rebuilt (render_sqlite.c);
         * nothing else reaches here. */
        alter_table(&b, st);
        sb_put(&b, "RENAME CONSTRAINT ");
        render_put_ident(&b, st->name.text);
        sb_put(&b, " TO ");
        render_put_ident(&b, st->new_name.text);
        break;
    case ST_RENAME_INDEX: {
        if (!D->rename_index) {
            rename_index_again(a, d, st, out);
            return;
        }
        const char *schema = st->table.schema.text;
        if (!schema && st->before)
            schema = st->before->name.schema.text;
        sb_put(&b, "ALTER INDEX ");
        if (schema) {
            render_put_ident(&b, schema);
            sb_put(&b, ".");
        }
        render_put_ident(&b, st->name.text);
        sb_put(&b, " RENAME TO ");
        render_put_ident(&b, st->new_name.text);
        break;
    }
    case ST_TABLE_COMMENT:
    case ST_COLUMN_COMMENT:
        if (!D->comment_on)
            return;   /* kept in the schema model only */
        comment_on(&b, &st->table, st->kind == ST_COLUMN_COMMENT ? st->name.text : NULL,
                   st->comment);
        break;
    case ST_IF:
        return;   /* plan.c turns IF into steps */
    case ST_CALL:
        return;   /* no SQL: plan.c makes it a RETORT_STEP_CALL */
    }
    render_push(a, out, &b, 0);
}

void render_stmt(arena *a, enum retort_dialect d, const ast_stmt *st,
                 ptr_list *out)
{
    switch (dialect_get(d)->rebuild) {
    case REBUILD_COPY_TABLE:
        if (render_sqlite_rebuild(a, st, out))
            return;
        break;
    case REBUILD_NONE:
        break;
    }
    render_plain(a, d, st, out);
}

/* `SET LOCAL lock_timeout = '5s'` before a revision's statements and
 * `SET LOCAL lock_timeout TO DEFAULT` after them.  LOCAL, so that a value
 * never outlives the revision's transaction (nor, in an offline script
 * that runs every revision in one transaction, reaches the next
 * revision); outside a transaction, SET and RESET. */
void render_settings(arena *a, enum retort_dialect d, const ast_revision *rev,
                     int begin, ptr_list *out)
{
    if (!dialect_get(d)->session_settings)
        return;
    for (int k = 0; k < SET_COUNT; k++) {
        const char *name = ast_setting_name((enum ast_setting)k);
        if (!rev->settings[k])
            continue;
        strbuf b = {0};
        if (begin) {
            sb_put(&b, rev->transactional ? "SET LOCAL " : "SET ");
            sb_put(&b, name);
            sb_put(&b, " = ");
            render_put_string(&b, rev->settings[k]);
        } else {
            sb_put(&b, rev->transactional ? "SET LOCAL " : "RESET ");
            sb_put(&b, name);
            if (rev->transactional)
                sb_put(&b, " TO DEFAULT");
        }
        render_push(a, out, &b, 0);
    }
}

/* ---- whole schema ---- */

/* One render_sql per statement, so that a snapshot (snapshot.c) can run
 * them as steps: trigger and view bodies hold semicolons of their own. */
/* The indexes made by raw SQL (sema_rawsql.c) whose statement still
 * names its table and columns as they are (moved = 0), or those whose
 * table or a column was renamed since (moved = 1), by name. */
static ptr_list raw_indexes(arena *a, const schema *s, int moved)
{
    ptr_list l = {0};
    int cursor = 0;
    for (const sch_index *ix; (ix = schema_next_index(s, &cursor));) {
        if (!ix->raw || ix->raw_moved != moved)
            continue;
        list_push(a, &l, (void *)ix);
        for (int k = l.count - 1;
             k > 0 && strcmp(((const sch_index *)l.items[k - 1])->name, ix->name) > 0; k--) {
            l.items[k] = l.items[k - 1];
            l.items[k - 1] = (void *)ix;
        }
    }
    return l;
}

/* `t` with the name the database gave an unnamed constraint written out
 * (CONSTRAINT name) where a CREATE TABLE of `t` as it is now would give
 * another (cname_text_name): PostgreSQL keeps the names it derived from a
 * table's or column's old name through renames.  Such a column's
 * constraint becomes a table constraint of the same meaning. */
static void named_parts(arena *a, const sch_table *t, ptr_list *cols, ptr_list *cons)
{
    static const enum ast_constraint_kind kinds[] = {
        CONS_CHECK, CONS_PRIMARY_KEY, CONS_UNIQUE, CONS_FOREIGN_KEY,
    };
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        ast_coldef *n = arena_alloc(a, sizeof *n);
        *n = *c;
        list_push(a, cols, n);
        for (int j = 0; j < 4; j++) {
            enum ast_constraint_kind kind = kinds[j];
            int has = kind == CONS_PRIMARY_KEY ? c->primary_key
                    : kind == CONS_UNIQUE ? c->unique
                    : kind == CONS_CHECK ? c->check != NULL : c->references != NULL;
            if (!has || !c->cons_name[kind] ||
                !cname_text_name(a, t, c->cons_name[kind]))
                continue;
            ast_constraint *k = arena_alloc(a, sizeof *k);
            k->kind = kind;
            k->name.text = c->cons_name[kind];
            k->check = c->check;
            k->references = c->references;
            if (kind != CONS_CHECK)
                list_push(a, &k->columns, (void *)&n->name);
            list_push(a, cons, k);
            switch (kind) {
            case CONS_PRIMARY_KEY: n->primary_key = 0; n->not_null = 1; break;
            case CONS_UNIQUE: n->unique = 0; break;
            case CONS_CHECK: n->check = NULL; break;
            case CONS_FOREIGN_KEY: n->references = NULL; break;
            }
        }
    }
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->not_valid)
            continue;         /* schema_stmts: after the tables */
        if (k->name.text || !k->pg_name || !cname_text_name(a, t, k->pg_name)) {
            list_push(a, cons, (void *)k);
            continue;
        }
        ast_constraint *n = arena_alloc(a, sizeof *n);
        *n = *k;
        n->name.text = k->pg_name;
        list_push(a, cons, n);
    }
}

static void schema_stmts(arena *a, enum retort_dialect d, const schema *s,
                         ptr_list *out, int named);

void render_schema_stmts(arena *a, enum retort_dialect d, const schema *s,
                         ptr_list *out)
{
    schema_stmts(a, d, s, out, 0);
}

/* render_schema_stmts(), with named_parts() when `named`. */
static void schema_stmts(arena *a, enum retort_dialect d, const schema *s,
                         ptr_list *out, int named)
{
    ptr_list created = {0}, tables = {0};
    strbuf b = {0};
    schema_tables(s, &created, a);
    schema_order_tables(a, &created, &tables);
    const sch_table *const *order = (const sch_table *const *)tables.items;

    /* Extensions, schemas, sequences (where the dialect has them), in the
     * order the history created them: an extension's types may be what
     * the tables use. */
    ptr_list objects = {0};
    schema_objects(s, &objects, a);
    for (int i = 0; i < objects.count; i++) {
        const sch_object *o = objects.items[i];
        ast_stmt st = {.kind = ST_CREATE_OBJECT, .object = o->kind,
                       .name = {o->name, o->loc}, .start = o->start,
                       .increment = o->increment};
        if (object_sql(&b, dialect_get(d), &st))
            render_push(a, out, &b, 0);
    }
    if (dialect_get(d)->native_enums) {
        ptr_list enums = {0};
        schema_enums(s, &enums, a);
        for (int i = 0; i < enums.count; i++) {
            const sch_enum *e = enums.items[i];
            sb_put(&b, "CREATE TYPE ");
            render_put_ident(&b, e->name);
            sb_put(&b, " AS ENUM (");
            put_labels(&b, &e->labels);
            sb_put(&b, ")");
            render_push(a, out, &b, 0);
        }
    }
    if (dialect_get(d)->create_schema) {
        /* Each schema once, in order of first use. */
        for (int i = 0; i < tables.count; i++) {
            const char *sc = order[i]->name.schema.text;
            int seen = !sc || strcmp(sc, "public") == 0 ||
                       schema_object(s, OBJ_SCHEMA, sc) != NULL;
            for (int j = 0; j < i && !seen; j++)
                seen = order[j]->name.schema.text &&
                       strcmp(order[j]->name.schema.text, sc) == 0;
            if (seen)
                continue;
            sb_put(&b, "CREATE SCHEMA IF NOT EXISTS ");
            render_put_ident(&b, sc);
            render_push(a, out, &b, 0);
        }
    }
    for (int i = 0; i < tables.count; i++) {
        ptr_list cols = {0}, cons = {0};
        if (named)
            named_parts(a, order[i], &cols, &cons);
        render_put_create_table(&b, d, &order[i]->name,
                                named ? &cols : &order[i]->columns,
                                named ? &cons : &order[i]->constraints, 0);
        render_push(a, out, &b, 0);
        /* An identity's sequence keeps the name it had before renames. */
        for (int j = 0; named && dialect_get(d)->identity_columns &&
                        j < order[i]->columns.count; j++) {
            const ast_coldef *c = order[i]->columns.items[j];
            const char *now = c->identity_seq
                ? cname_identity_seq(a, order[i], c) : NULL;
            if (!now || strcmp(now, c->identity_seq) == 0)
                continue;
            sb_put(&b, "ALTER SEQUENCE ");
            if (order[i]->name.schema.text) {
                render_put_ident(&b, order[i]->name.schema.text);
                sb_put(&b, ".");
            }
            render_put_ident(&b, now);
            sb_put(&b, " RENAME TO ");
            render_put_ident(&b, c->identity_seq);
            render_push(a, out, &b, 0);
        }
    }
    /* A constraint added `not valid` and not validated since stays so:
     * a CREATE TABLE would check the rows it never checked. */
    for (int i = 0; named && dialect_get(d)->not_valid_constraints && i < tables.count; i++) {
        const sch_table *t = order[i];
        for (int j = 0; j < t->constraints.count; j++) {
            const ast_constraint *k = t->constraints.items[j];
            if (!k->not_valid)
                continue;
            ast_constraint n = *k;
            n.name.text = sch_cons_name(k);
            sb_put(&b, "ALTER TABLE ");
            render_put_qname(&b, &t->name);
            sb_put(&b, " ADD ");
            render_put_constraint(&b, d, &n);
            sb_put(&b, " NOT VALID");
            render_push(a, out, &b, 0);
        }
    }
    for (int i = 0; i < tables.count; i++) {
        const sch_table *t = order[i];
        for (int j = 0; j < t->indexes.count; j++) {
            const sch_index *ix = t->indexes.items[j];
            render_put_create_index(&b, d, ix->name, &t->name, &ix->elems,
                                    ix->method, ix->unique, ix->where, 0, 0);
            render_push(a, out, &b, 0);
        }
    }
    ptr_list raw = raw_indexes(a, s, 0);
    for (int i = 0; i < raw.count; i++) {
        put_raw_statement(&b, ((const sch_index *)raw.items[i])->raw);
        render_push(a, out, &b, 0);
    }
    /* Functions before the triggers that run them (a history that has
     * functions targets only databases that have them: sema). */
    ptr_list functions = {0};
    if (dialect_get(d)->functions)
        schema_functions(s, &functions, a);
    for (int i = 0; i < functions.count; i++) {
        put_raw_statement(&b, ((const sch_function *)functions.items[i])->body);
        render_push(a, out, &b, 0);
    }
    for (int i = 0; i < tables.count; i++) {
        const sch_table *t = order[i];
        for (int j = 0; j < t->triggers.count; j++) {
            const sch_trigger *g = t->triggers.items[j];
            put_raw_statement(&b, g->bodies[d] ? g->bodies[d] : "");
            render_push(a, out, &b, 0);
        }
    }
    ptr_list views = {0};
    schema_views(s, &views, a);
    for (int i = 0; i < views.count; i++) {
        const sch_view *v = views.items[i];
        create_view(&b, d, &v->name, v->bodies);
        render_push(a, out, &b, 0);
    }
    for (int i = 0; i < tables.count && dialect_get(d)->comment_on; i++) {
        const sch_table *t = order[i];
        if (t->comment) {
            comment_on(&b, &t->name, NULL, t->comment);
            render_push(a, out, &b, 0);
        }
        for (int j = 0; j < t->columns.count; j++) {
            const ast_coldef *c = t->columns.items[j];
            if (c->comment) {
                comment_on(&b, &t->name, c->name.text, c->comment);
                render_push(a, out, &b, 0);
            }
        }
    }
}

char *render_schema(arena *a, enum retort_dialect d, const schema *s)
{
    ptr_list stmts = {0};
    strbuf b = {0};
    schema_stmts(a, d, s, &stmts, dialect_get(d)->stores_default_names);
    for (int i = 0; i < stmts.count; i++) {
        sb_put(&b, ((const render_sql *)stmts.items[i])->sql);
        sb_put(&b, ";\n");
    }
    /* Not left out in silence: the reader learns what is missing. */
    ptr_list moved = raw_indexes(a, s, 1);
    for (int i = 0; i < moved.count; i++) {
        sb_put(&b, "-- index ");
        /* A quoted name may hold a line break: it must not end the
         * comment. */
        for (const char *p = ((const sch_index *)moved.items[i])->name; *p; p++)
            sb_putn(&b, (unsigned char)*p < 0x20 ? "?" : p, 1);
        sb_put(&b, " (made by raw SQL) is not printed: its table or a column "
                   "of it was renamed since\n");
    }
    return sb_finish(a, &b);
}
