/*
 * unparse.c: trees and schemas back to retort source; see unparse.h.
 *
 * Text is built in a strbuf (strbuf.h), copied into the arena once
 * complete.
 */
#include "ast_make.h"
#include "dialect.h"
#include "unparse.h"
#include "sqlword.h"
#include "strbuf.h"

#include "lexer.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where the printer writes: the text, and how names are quoted in it. */
typedef struct writer {
    strbuf text;
    /* Writing the canonical text that checksums hash: names are quoted
     * by the frozen list of checksum form 1, not by today's keywords. */
    int canonical;
} writer;

static void put_n(writer *b, const char *s, size_t n) { sb_putn(&b->text, s, n); }
static void put(writer *b, const char *s) { sb_put(&b->text, s); }
static void putf(writer *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void putf(writer *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vputf(&b->text, fmt, ap);
    va_end(ap);
}

/* Moves the writer's text into the arena and releases it. */
static const char *done(arena *a, writer *b)
{
    return sb_finish(a, &b->text);
}

static void indent_to(writer *b, int n)
{
    for (int i = 0; i < n; i++)
        put(b, " ");
}

/* A name the language gives a meaning (in any case) is quoted:
 * the lexer's keywords, the type names, and the dialect names, which the
 * lexer reads as plain words.  Over-quoting is always safe, and quoting
 * types and dialects too keeps a file written now readable should one of
 * them become a keyword. */

/* The words checksum form 1 quotes: the keywords, type names and dialect
 * names of the language when the form was fixed.  Never change this list:
 * a word added here, or a keyword added to the language and quoted by
 * its canonical text, would change the checksum of every applied
 * revision naming such a column or table, and every database holding
 * one would refuse to upgrade.  Sorted (strcmp). */
static const char *const form1_words[] = {
    "action", "add_column", "alter_column", "asc", "autoincrement", "bigint",
    "blob", "boolean", "branch", "bulk_insert", "cascade", "char", "check",
    "column_exists", "concurrently", "constraint", "constraint_exists",
    "create_check_constraint", "create_foreign_key", "create_index",
    "create_primary_key", "create_table", "create_unique_constraint",
    "created", "current_date", "current_timestamp", "date", "default",
    "delete", "depends_on", "desc", "dialect", "double", "downgrade", "drop",
    "drop_column", "drop_constraint", "drop_index", "drop_table", "else",
    "execute", "exists", "false", "foreign", "if", "index_exists", "integer",
    "json", "key", "message", "no", "none", "not", "null", "numeric", "off",
    "on", "parent", "postgres", "postgresql", "primary", "real", "references",
    "rename", "rename_table", "restrict", "revision", "schema_check", "set",
    "smallint", "sql", "sqlite", "table_exists", "text", "time", "timestamp",
    "timestamptz", "to", "transaction", "true", "type", "unique", "update",
    "upgrade", "using", "uuid", "values", "varchar", "where",
};

static int is_form1_word(const char *s)
{
    size_t lo = 0, hi = sizeof form1_words / sizeof form1_words[0];
    char low[32];
    size_t n = strlen(s);
    if (n >= sizeof low)
        return 0;
    for (size_t i = 0; i <= n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(low, form1_words[mid]);
        if (c == 0)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static int is_keyword(const char *s)
{
    static const char *const dialects[] = {"sqlite", "postgresql", "postgres"};
    if (lex_is_keyword(s) || ast_is_type_word(s))
        return 1;
    for (size_t i = 0; i < sizeof dialects / sizeof dialects[0]; i++)
        if (sqlword_eq(s, dialects[i]))
            return 1;
    return 0;
}

static int is_plain_word(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

static void put_ident(writer *b, const char *name)
{
    if (is_plain_word(name) && !(b->canonical ? is_form1_word(name) : is_keyword(name))) {
        put(b, name);
        return;
    }
    /* A double quote inside a quoted name is doubled, as in SQL. */
    put(b, "\"");
    for (const char *p = name; *p; p++)
        put_n(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
    put(b, "\"");
}

static void put_qname(writer *b, const ast_qname *q)
{
    if (q->schema.text) {
        put_ident(b, q->schema.text);
        put(b, ".");
    }
    put_ident(b, q->name.text ? q->name.text : "");
}

static void put_string(writer *b, const char *s)
{
    put(b, "'");
    for (const char *p = s; *p; p++)
        put_n(b, *p == '\'' ? "''" : p, *p == '\'' ? 2 : 1);
    put(b, "'");
}

/* Does `tag` close raw SQL `sql` exactly at its end?  The lexer ends the
 * body at the first occurrence of the tag, which may straddle the end of
 * the SQL (SQL ending in `$`, with tag `$$`). */
static int closes_at_end(const char *sql, const char *tag)
{
    size_t n = strlen(sql), t = strlen(tag);
    char *text = xmalloc(n + t + 1);
    memcpy(text, sql, n);
    memcpy(text + n, tag, t + 1);
    const char *first = strstr(text, tag);
    int ok = first == text + n;
    free(text);
    return ok;
}

/* $$sql$$, or $r$sql$r$ (then $r1$, $r2$, ...) when $$ would end it too
 * early: raw SQL is copied verbatim, so it can never be escaped. */
static void put_raw(writer *b, const char *sql)
{
    char tag[32] = "$$";
    if (!closes_at_end(sql, tag)) {
        strcpy(tag, "$r$");
        for (int n = 1; !closes_at_end(sql, tag); n++)
            snprintf(tag, sizeof tag, "$r%d$", n);
    }
    putf(b, "%s%s%s", tag, sql, tag);
}


static void put_type(writer *b, const ast_type *t)
{
    if (t->kind == TY_RAW && !t->raw) {
        put(b, "sql");
        for (int d = 0; d < RETORT_DIALECT_COUNT; d++) {
            putf(b, " %s ", dialect_get((enum retort_dialect)d)->name);
            put_raw(b, ast_type_raw(t, (enum retort_dialect)d));
        }
        return;
    }
    if (t->kind == TY_RAW) {
        put(b, "sql ");
        put_raw(b, t->raw);
        return;
    }
    put(b, ast_type_word(t->kind));
    if (t->kind == TY_ENUM) {
        put(b, " ");
        put_ident(b, t->en);
        return;
    }
    if (t->p >= 0 && t->s >= 0)
        putf(b, "(%d, %d)", t->p, t->s);
    else if (t->p >= 0)
        putf(b, "(%d)", t->p);
    if (t->array)
        put(b, "[]");
}

static void put_expr(writer *b, const ast_expr *e)
{
    switch (e->kind) {
    case EX_NUMBER: put(b, e->text); break;
    case EX_STRING: put_string(b, e->text); break;
    case EX_TRUE: put(b, "true"); break;
    case EX_FALSE: put(b, "false"); break;
    case EX_NULL: put(b, "null"); break;
    case EX_CURRENT_TIMESTAMP: put(b, "current_timestamp"); break;
    case EX_CURRENT_DATE: put(b, "current_date"); break;
    case EX_RAW: put_raw(b, e->text); break;
    }
}

/* `(a, b, c)` from a list of ast_name*. */
static void put_names(writer *b, const ptr_list *names)
{
    put(b, "(");
    for (int i = 0; i < names->count; i++) {
        const ast_name *n = names->items[i];
        if (i)
            put(b, ", ");
        put_ident(b, n->text);
    }
    put(b, ")");
}

static const char *const fk_actions[] = {
    [FK_UNSPECIFIED] = "", [FK_CASCADE] = "cascade",
    [FK_SET_NULL] = "set null", [FK_SET_DEFAULT] = "set default",
    [FK_RESTRICT] = "restrict", [FK_NO_ACTION] = "no action",
};

/* The canonical spelling: `initially immediate` is the default of
 * `deferrable`, so it is not written. */
static const char *const deferral_words[] = {
    [DEFER_NONE] = "", [DEFER_IMMEDIATE] = " deferrable",
    [DEFER_DEFERRED] = " deferrable initially deferred",
};

static void put_reference(writer *b, const ast_reference *r)
{
    put(b, "references ");
    put_qname(b, &r->table);
    if (r->columns.count) {
        put(b, " ");
        put_names(b, &r->columns);
    }
    if (r->on_delete)
        putf(b, " on delete %s", fk_actions[r->on_delete]);
    if (r->on_update)
        putf(b, " on update %s", fk_actions[r->on_update]);
    put(b, deferral_words[r->deferral]);
}

/* The attributes of a column after its type, in one fixed order. */
static void put_col_attrs(writer *b, const ast_coldef *c)
{
    if (c->primary_key)
        put(b, " primary key");
    if (c->autoincrement)
        put(b, " autoincrement");
    if (c->not_null)
        put(b, " not null");
    if (c->unique)
        put(b, " unique");
    if (c->dflt) {
        put(b, " default ");
        put_expr(b, c->dflt);
    }
    if (c->references) {
        put(b, " ");
        put_reference(b, c->references);
    }
    if (c->check) {
        put(b, " check ");
        put_raw(b, c->check);
    }
}

static void put_coldef(writer *b, const ast_coldef *c)
{
    put_ident(b, c->name.text);
    put(b, " ");
    put_type(b, &c->type);
    put_col_attrs(b, c);
}

static void put_constraint(writer *b, const ast_constraint *c)
{
    if (c->name.text) {
        put(b, "constraint ");
        put_ident(b, c->name.text);
        put(b, " ");
    }
    switch (c->kind) {
    case CONS_PRIMARY_KEY:
        put(b, "primary key ");
        put_names(b, &c->columns);
        put(b, deferral_words[c->deferral]);
        break;
    case CONS_UNIQUE:
        put(b, "unique ");
        put_names(b, &c->columns);
        put(b, deferral_words[c->deferral]);
        break;
    case CONS_CHECK:
        put(b, "check ");
        put_raw(b, c->check ? c->check : "");
        break;
    case CONS_FOREIGN_KEY:
        put(b, "foreign key ");
        put_names(b, &c->columns);
        put(b, " ");
        put_reference(b, c->references);
        break;
    }
}

/* create_table with one column per line, names and types aligned the way
 * the SPEC's examples are written. */
static void put_create_table(writer *b, const ast_stmt *st, int indent)
{
    put(b, "create_table ");
    put_qname(b, &st->table);
    put(b, " (\n");
    size_t name_w = 0, type_w = 0;
    for (int i = 0; i < st->columns.count; i++) {
        const ast_coldef *c = st->columns.items[i];
        writer n = {.canonical = b->canonical}, t = {.canonical = b->canonical};
        put_ident(&n, c->name.text);
        put_type(&t, &c->type);
        name_w = n.text.len > name_w ? n.text.len : name_w;
        type_w = t.text.len > type_w ? t.text.len : type_w;
        sb_free(&n.text);
        sb_free(&t.text);
    }
    int items = st->columns.count + st->constraints.count;
    for (int i = 0; i < st->columns.count; i++) {
        const ast_coldef *c = st->columns.items[i];
        writer n = {.canonical = b->canonical}, t = {.canonical = b->canonical};
        writer rest = {.canonical = b->canonical};
        put_ident(&n, c->name.text);
        put_type(&t, &c->type);
        put_col_attrs(&rest, c);
        indent_to(b, indent + 4);
        put(b, n.text.p);
        indent_to(b, (int)(name_w - n.text.len) + 1);
        put(b, t.text.p);
        if (rest.text.len) {
            indent_to(b, (int)(type_w - t.text.len));
            put(b, rest.text.p);
        }
        put(b, i + 1 < items ? ",\n" : "\n");
        sb_free(&n.text);
        sb_free(&t.text);
        sb_free(&rest.text);
    }
    for (int i = 0; i < st->constraints.count; i++) {
        indent_to(b, indent + 4);
        put_constraint(b, st->constraints.items[i]);
        put(b, st->columns.count + i + 1 < items ? ",\n" : "\n");
    }
    indent_to(b, indent);
    put(b, ")");
    if (st->if_not_exists)
        put(b, " if not exists");
}

static void put_index_elems(writer *b, const char *method, const ptr_list *elems)
{
    if (method) {
        put(b, "using ");
        put(b, method);
        put(b, " ");
    }
    put(b, "(");
    for (int i = 0; i < elems->count; i++) {
        const ast_index_elem *e = elems->items[i];
        if (i)
            put(b, ", ");
        if (e->column.text)
            put_ident(b, e->column.text);
        else
            put_raw(b, e->expr ? e->expr : "");
        if (e->opclass) {
            put(b, " ");
            put_ident(b, e->opclass);
        }
        if (e->order == 1)
            put(b, " asc");
        else if (e->order == 2)
            put(b, " desc");
    }
    put(b, ")");
}

static void put_cond(writer *b, const ast_cond *c)
{
    if (c->kind == COND_DIALECT) {
        const dialect *D = dialect_of_mask(c->dialect);
        put(b, "dialect ");
        put(b, D ? D->name : "?");
        return;
    }
    if (c->negate)
        put(b, "not ");
    switch (c->kind) {
    case COND_TABLE_EXISTS:
        put(b, "table_exists ");
        put_qname(b, &c->table);
        break;
    case COND_COLUMN_EXISTS:
        put(b, "column_exists ");
        put_qname(b, &c->table);
        put(b, " ");
        put_ident(b, c->name.text);
        break;
    case COND_INDEX_EXISTS:
        put(b, "index_exists ");
        put_ident(b, c->name.text);
        break;
    case COND_CONSTRAINT_EXISTS:
        put(b, "constraint_exists ");
        put_ident(b, c->name.text);
        put(b, " on ");
        put_qname(b, &c->table);
        break;
    case COND_DIALECT:
        break;
    }
}

static void put_stmt(writer *b, const ast_stmt *st, int indent);

/* A view's or trigger's body: ` $$sql$$`, or one per dialect, each on a
 * line of its own. */
static void put_bodies(writer *b, const char *const bodies[2], int indent)
{
    if (bodies[0] == bodies[1] ||
        (bodies[0] && bodies[1] && strcmp(bodies[0], bodies[1]) == 0)) {
        put(b, " ");
        put_raw(b, bodies[0] ? bodies[0] : "");
        return;
    }
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++) {
        put(b, "\n");
        indent_to(b, indent + 4);
        put(b, dialect_get((enum retort_dialect)d)->name);
        put(b, " ");
        put_raw(b, bodies[d] ? bodies[d] : "");
    }
}

/* A create_* constraint's name and a space, or nothing for one written
 * without a name (it has PostgreSQL's default name, which is not source). */
static void put_cons_name(writer *b, const ast_stmt *st)
{
    if (!st->name.text)
        return;
    put_ident(b, st->name.text);
    put(b, " ");
}

static void put_body(writer *b, const ptr_list *body, int indent)
{
    put(b, "{\n");
    for (int i = 0; i < body->count; i++)
        put_stmt(b, body->items[i], indent + 4);
    indent_to(b, indent);
    put(b, "}");
}

/* One statement, indented, with its `;` and newline (an if block ends in
 * its closing brace instead). */
static void put_stmt(writer *b, const ast_stmt *st, int indent)
{
    indent_to(b, indent);
    switch (st->kind) {
    case ST_CREATE_TABLE:
        put_create_table(b, st, indent);
        break;
    case ST_DROP_TABLE:
        put(b, "drop_table ");
        put_qname(b, &st->table);
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_RENAME_TABLE:
        put(b, "rename_table ");
        put_qname(b, &st->table);
        put(b, " to ");
        put_ident(b, st->new_name.text);
        break;
    case ST_ADD_COLUMN:
        put(b, "add_column ");
        put_qname(b, &st->table);
        put(b, " ");
        put_coldef(b, st->column);
        if (st->if_not_exists)
            put(b, " if not exists");
        break;
    case ST_DROP_COLUMN:
        put(b, "drop_column ");
        put_qname(b, &st->table);
        put(b, " ");
        put_ident(b, st->name.text);
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_ALTER_RENAME:
        put(b, "alter_column ");
        put_qname(b, &st->table);
        put(b, " ");
        put_ident(b, st->name.text);
        if (st->kind == ST_ALTER_TYPE) {
            put(b, " type ");
            put_type(b, &st->type);
            if (st->using_expr) {
                put(b, " using ");
                put_raw(b, st->using_expr);
            }
        } else if (st->kind == ST_ALTER_SET_NOT_NULL) {
            put(b, " set not null");
        } else if (st->kind == ST_ALTER_DROP_NOT_NULL) {
            put(b, " drop not null");
        } else if (st->kind == ST_ALTER_SET_DEFAULT) {
            put(b, " set default ");
            put_expr(b, st->dflt);
        } else if (st->kind == ST_ALTER_DROP_DEFAULT) {
            put(b, " drop default");
        } else {
            put(b, " rename to ");
            put_ident(b, st->new_name.text);
        }
        break;
    case ST_CREATE_INDEX:
        put(b, "create_index ");
        put_ident(b, st->name.text);
        put(b, " on ");
        put_qname(b, &st->table);
        put(b, " ");
        put_index_elems(b, st->method, &st->elems);
        if (st->unique)
            put(b, " unique");
        if (st->where) {
            put(b, " where ");
            put_raw(b, st->where);
        }
        if (st->concurrently)
            put(b, " concurrently");
        if (st->if_not_exists)
            put(b, " if not exists");
        break;
    case ST_DROP_INDEX:
        put(b, "drop_index ");
        put_ident(b, st->name.text);
        if (st->table.name.text) {
            put(b, " on ");
            put_qname(b, &st->table);
        }
        if (st->concurrently)
            put(b, " concurrently");
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
        put(b, st->kind == ST_CREATE_PRIMARY_KEY ? "create_primary_key "
                                                 : "create_unique_constraint ");
        put_cons_name(b, st);
        put(b, "on ");
        put_qname(b, &st->table);
        if (st->using_index.text) {
            put(b, " using index ");
            put_ident(b, st->using_index.text);
            break;
        }
        put(b, " ");
        put_names(b, &st->cols);
        put(b, deferral_words[st->deferral]);
        break;
    case ST_CREATE_CHECK:
        put(b, "create_check_constraint ");
        put_cons_name(b, st);
        put(b, "on ");
        put_qname(b, &st->table);
        put(b, " ");
        put_raw(b, st->raw ? st->raw : "");
        if (st->not_valid)
            put(b, " not valid");
        break;
    case ST_CREATE_FOREIGN_KEY:
        put(b, "create_foreign_key ");
        put_cons_name(b, st);
        put(b, "on ");
        put_qname(b, &st->table);
        put(b, " ");
        put_names(b, &st->cols);
        put(b, " ");
        put_reference(b, st->references);
        if (st->not_valid)
            put(b, " not valid");
        break;
    case ST_DROP_CONSTRAINT:
    case ST_VALIDATE_CONSTRAINT:
        put(b, st->kind == ST_DROP_CONSTRAINT ? "drop_constraint "
                                              : "validate_constraint ");
        put_ident(b, st->name.text);
        put(b, " on ");
        put_qname(b, &st->table);
        break;
    case ST_EXECUTE:
        put(b, "execute ");
        if (st->dialect != DIALECT_ALL && dialect_of_mask(st->dialect)) {
            put(b, dialect_of_mask(st->dialect)->name);
            put(b, " ");
        }
        put_raw(b, st->raw ? st->raw : "");
        break;
    case ST_CALL:
        /* A C identifier (the parser checked): never quoted, so the
         * canonical text shows the function's name as the C code spells it. */
        put(b, "call ");
        put(b, st->name.text);
        break;
    case ST_BULK_INSERT:
        put(b, "bulk_insert ");
        put_qname(b, &st->table);
        put(b, " ");
        put_names(b, &st->cols);
        put(b, " values");
        for (int i = 0; i < st->rows.count; i++) {
            const ptr_list *row = st->rows.items[i];
            put(b, i ? ",\n" : "\n");
            indent_to(b, indent + 4);
            put(b, "(");
            for (int j = 0; j < row->count; j++) {
                if (j)
                    put(b, ", ");
                put_expr(b, row->items[j]);
            }
            put(b, ")");
        }
        break;
    case ST_CREATE_FUNCTION:
    case ST_REPLACE_FUNCTION:
        put(b, st->kind == ST_CREATE_FUNCTION ? "create_function " : "replace_function ");
        put_qname(b, &st->table);
        put(b, " ");
        put_raw(b, st->raw);
        break;
    case ST_DROP_FUNCTION:
        put(b, "drop_function ");
        put_qname(b, &st->table);
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_LOCK_TABLE: {
        put(b, "lock_table ");
        for (int i = 0; i < st->tables.count; i++) {
            put(b, i ? ", " : "");
            put_qname(b, st->tables.items[i]);
        }
        put(b, " ");
        /* The mode in lower case: "share row exclusive". */
        for (const char *p = st->lock_mode; *p; p++) {
            char ch[2] = {(char)tolower((unsigned char)*p), '\0'};
            put(b, ch);
        }
        break;
    }
    case ST_UPDATE:
        put(b, "update ");
        put_qname(b, &st->table);
        put(b, " set ");
        for (int i = 0; i < st->cols.count; i++) {
            put(b, i ? ", " : "");
            put_ident(b, ((const ast_name *)st->cols.items[i])->text);
            put(b, " = ");
            put_expr(b, st->values.items[i]);
        }
        for (int i = 0; i < st->from.count; i++) {
            put(b, i ? ", " : " from ");
            put_qname(b, st->from.items[i]);
        }
        if (st->where) {
            put(b, " where ");
            put_raw(b, st->where);
        }
        break;
    case ST_DELETE:
        put(b, "delete from ");
        put_qname(b, &st->table);
        if (st->where) {
            put(b, " where ");
            put_raw(b, st->where);
        }
        break;
    case ST_INSERT_SELECT:
        put(b, "insert into ");
        put_qname(b, &st->table);
        put(b, " ");
        put_names(b, &st->cols);
        put(b, " select ");
        put_raw(b, st->raw ? st->raw : "");
        break;
    case ST_CREATE_VIEW:
        put(b, "create_view ");
        put_qname(b, &st->table);
        put(b, " as");
        put_bodies(b, st->bodies, indent);
        break;
    case ST_DROP_VIEW:
        put(b, "drop_view ");
        put_qname(b, &st->table);
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_CREATE_TRIGGER:
    case ST_DROP_TRIGGER:
        put(b, st->kind == ST_CREATE_TRIGGER ? "create_trigger " : "drop_trigger ");
        put_ident(b, st->name.text);
        put(b, " on ");
        put_qname(b, &st->table);
        if (st->kind == ST_CREATE_TRIGGER) {
            put_bodies(b, st->bodies, indent);
        } else if (st->if_exists) {
            put(b, " if exists");
        }
        break;
    case ST_CREATE_ENUM:
        put(b, "create_enum ");
        put_ident(b, st->name.text);
        put(b, " (");
        for (int i = 0; i < st->labels.count; i++) {
            put(b, i ? ", " : "");
            put_string(b, st->labels.items[i]);
        }
        put(b, ")");
        break;
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
        put(b, "alter_enum ");
        put_ident(b, st->name.text);
        put(b, st->kind == ST_ALTER_ENUM_ADD ? " add value "
               : st->kind == ST_ALTER_ENUM_RENAME ? " rename value " : " drop value ");
        put_string(b, st->label);
        if (st->kind == ST_ALTER_ENUM_RENAME || st->position) {
            put(b, st->kind == ST_ALTER_ENUM_RENAME ? " to "
                   : st->position == 1 ? " before " : " after ");
            put_string(b, st->label2);
        }
        break;
    case ST_DROP_ENUM:
        put(b, "drop_enum ");
        put_ident(b, st->name.text);
        if (st->if_exists)
            put(b, " if exists");
        break;
    case ST_ALTER_ENUM_RENAME_TYPE:
        put(b, "alter_enum ");
        put_ident(b, st->name.text);
        put(b, " rename to ");
        put_ident(b, st->new_name.text);
        break;
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT:
        put(b, st->kind == ST_CREATE_OBJECT ? "create_" : "drop_");
        put(b, ast_object_word((enum ast_object_kind)st->object));
        put(b, " ");
        put_ident(b, st->name.text);
        if (st->start) {
            put(b, " start ");
            put(b, st->start);
        }
        if (st->increment) {
            put(b, " increment ");
            put(b, st->increment);
        }
        if (st->if_exists)
            put(b, " if exists");
        if (st->if_not_exists)
            put(b, " if not exists");
        break;
    case ST_RENAME_CONSTRAINT:
        put(b, "rename_constraint ");
        put_ident(b, st->name.text);
        put(b, " on ");
        put_qname(b, &st->table);
        put(b, " to ");
        put_ident(b, st->new_name.text);
        break;
    case ST_RENAME_INDEX:
        put(b, "rename_index ");
        put_ident(b, st->name.text);
        if (st->table.name.text) {
            put(b, " on ");
            put_qname(b, &st->table);
        }
        put(b, " to ");
        put_ident(b, st->new_name.text);
        break;
    case ST_TABLE_COMMENT:
    case ST_COLUMN_COMMENT:
        put(b, st->kind == ST_TABLE_COMMENT ? "alter_table " : "alter_column ");
        put_qname(b, &st->table);
        if (st->kind == ST_COLUMN_COMMENT) {
            put(b, " ");
            put_ident(b, st->name.text);
        }
        if (st->comment) {
            put(b, " set comment ");
            put_string(b, st->comment);
        } else {
            put(b, " drop comment");
        }
        break;
    case ST_IF:
        put(b, "if ");
        put_cond(b, &st->cond);
        put(b, " ");
        put_body(b, &st->then_body, indent);
        if (st->else_body.count) {
            put(b, " else ");
            put_body(b, &st->else_body, indent);
        }
        put(b, "\n");
        return;
    }
    put(b, ";\n");
}

const char *unparse_ident(arena *a, const char *name)
{
    writer b = {0};
    put_ident(&b, name);
    return done(a, &b);
}

const char *unparse_qname(arena *a, const ast_qname *q)
{
    writer b = {0};
    put_qname(&b, q);
    return done(a, &b);
}

const char *unparse_string(arena *a, const char *s)
{
    writer b = {0};
    put_string(&b, s);
    return done(a, &b);
}

const char *unparse_raw(arena *a, const char *sql)
{
    writer b = {0};
    put_raw(&b, sql);
    return done(a, &b);
}

const char *unparse_type(arena *a, const ast_type *t)
{
    writer b = {0};
    put_type(&b, t);
    return done(a, &b);
}

const char *unparse_expr(arena *a, const ast_expr *e)
{
    writer b = {0};
    put_expr(&b, e);
    return done(a, &b);
}

const char *unparse_coldef(arena *a, const ast_coldef *c)
{
    writer b = {0};
    put_coldef(&b, c);
    return done(a, &b);
}

const char *unparse_constraint(arena *a, const ast_constraint *c)
{
    writer b = {0};
    put_constraint(&b, c);
    return done(a, &b);
}

const char *unparse_reference(arena *a, const ast_reference *r)
{
    writer b = {0};
    put_reference(&b, r);
    return done(a, &b);
}

const char *unparse_index_def(arena *a, const sch_index *ix)
{
    writer b = {0};
    put(&b, "on ");
    put_qname(&b, &ix->table);
    put(&b, " ");
    put_index_elems(&b, ix->method, &ix->elems);
    if (ix->unique)
        put(&b, " unique");
    if (ix->where) {
        put(&b, " where ");
        put_raw(&b, ix->where);
    }
    return done(a, &b);
}

const char *unparse_cond(arena *a, const ast_cond *c, int canonical)
{
    writer b = {0};
    b.canonical = canonical;
    put_cond(&b, c);
    return done(a, &b);
}

const char *unparse_stmt(arena *a, const ast_stmt *st, int indent)
{
    writer b = {0};
    put_stmt(&b, st, indent);
    return done(a, &b);
}

const char *unparse_stmt_canonical(arena *a, const ast_stmt *st)
{
    writer b = {0};
    b.canonical = 1;
    put_stmt(&b, st, 0);
    return done(a, &b);
}

const char *unparse_schema(arena *a, const schema *s)
{
    writer b = {0};
    ptr_list created = {0}, tables = {0}, enums = {0};
    schema_tables(s, &created, a);
    schema_order_tables(a, &created, &tables);
    schema_enums(s, &enums, a);
    for (int i = 0; i < enums.count; i++)
        put_stmt(&b, ast_make_create_enum(a, enums.items[i], (src_loc){0}), 0);
    for (int i = 0; i < tables.count; i++) {
        const sch_table *t = tables.items[i];
        if (i || enums.count)
            put(&b, "\n");
        put_stmt(&b, ast_make_create_table(a, t, (src_loc){0}), 0);
        for (int j = 0; j < t->indexes.count; j++)
            put_stmt(&b, ast_make_create_index(a, t->indexes.items[j], (src_loc){0}), 0);
        for (int j = 0; j < t->triggers.count; j++)
            put_stmt(&b, ast_make_create_trigger(a, &t->name, t->triggers.items[j],
                                                 (src_loc){0}), 0);
        ptr_list comments = {0};
        ast_make_comments(a, t, (src_loc){0}, &comments);
        for (int j = 0; j < comments.count; j++)
            put_stmt(&b, comments.items[j], 0);
    }
    ptr_list views = {0};
    schema_views(s, &views, a);
    for (int i = 0; i < views.count; i++) {
        put(&b, tables.count || i ? "\n" : "");
        put_stmt(&b, ast_make_create_view(a, views.items[i], (src_loc){0}), 0);
    }
    return done(a, &b);
}
