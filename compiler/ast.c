/*
 * ast.c: the AST builders called by grammar/parser.y; see ast_build.h.
 *
 * Each builder makes or fills one node and checks what the grammar leaves
 * open.  A builder that finds a mistake reports it and still returns a
 * usable node, so the parse goes on and shows every such mistake at once.
 */
#include "ast_make.h"
#include "dialect.h"
#include "ast_build.h"
#include "sqlword.h"

#include <ctype.h>
#include <string.h>

/* ---- helpers ---- */

/* The text between quotes, with each doubled quote `q` folded to one. */
static char *unquote(arena *a, const char *s, int n, char q)
{
    char *out = arena_alloc(a, (size_t)n + 1), *o = out;
    for (int i = 0; i < n; i++) {
        *o++ = s[i];
        if (s[i] == q && i + 1 < n && s[i + 1] == q)
            i++;
    }
    *o = '\0';
    return out;
}

static ast_stmt *stmt_new(parse_state *ps, enum ast_stmt_kind kind,
                          const lex_token *kw)
{
    return ast_make(ps->a, kind, NULL, kw->loc);
}

/* The keyword that starts a statement of each kind, for messages. */
static const char *stmt_word(enum ast_stmt_kind kind)
{
    static const char *const words[] = {
        [ST_CREATE_TABLE] = "create_table", [ST_DROP_TABLE] = "drop_table",
        [ST_RENAME_TABLE] = "rename_table", [ST_ADD_COLUMN] = "add_column",
        [ST_DROP_COLUMN] = "drop_column", [ST_ALTER_TYPE] = "alter_column",
        [ST_ALTER_SET_NOT_NULL] = "alter_column",
        [ST_ALTER_DROP_NOT_NULL] = "alter_column",
        [ST_ALTER_SET_DEFAULT] = "alter_column",
        [ST_ALTER_DROP_DEFAULT] = "alter_column",
        [ST_ALTER_RENAME] = "alter_column", [ST_CREATE_INDEX] = "create_index",
        [ST_DROP_INDEX] = "drop_index",
        [ST_CREATE_PRIMARY_KEY] = "create_primary_key",
        [ST_CREATE_UNIQUE] = "create_unique_constraint",
        [ST_CREATE_CHECK] = "create_check_constraint",
        [ST_CREATE_FOREIGN_KEY] = "create_foreign_key",
        [ST_DROP_CONSTRAINT] = "drop_constraint",
        [ST_VALIDATE_CONSTRAINT] = "validate_constraint", [ST_UPDATE] = "update",
        [ST_LOCK_TABLE] = "lock_table",
        [ST_CREATE_FUNCTION] = "create_function",
        [ST_REPLACE_FUNCTION] = "replace_function",
        [ST_DROP_FUNCTION] = "drop_function",
        [ST_DELETE] = "delete", [ST_INSERT_SELECT] = "insert", [ST_EXECUTE] = "execute",
        [ST_BULK_INSERT] = "bulk_insert", [ST_CALL] = "call", [ST_IF] = "if",
        [ST_CREATE_VIEW] = "create_view", [ST_DROP_VIEW] = "drop_view",
        [ST_CREATE_TRIGGER] = "create_trigger", [ST_DROP_TRIGGER] = "drop_trigger",
        [ST_TABLE_COMMENT] = "alter_table", [ST_COLUMN_COMMENT] = "alter_column",
        [ST_CREATE_ENUM] = "create_enum", [ST_ALTER_ENUM_ADD] = "alter_enum",
        [ST_ALTER_ENUM_RENAME] = "alter_enum", [ST_ALTER_ENUM_DROP_VALUE] = "alter_enum",
        [ST_DROP_ENUM] = "drop_enum", [ST_ALTER_ENUM_RENAME_TYPE] = "alter_enum",
        [ST_CREATE_OBJECT] = "create_object", [ST_DROP_OBJECT] = "drop_object",
        [ST_RENAME_CONSTRAINT] = "rename_constraint",
        [ST_RENAME_INDEX] = "rename_index",
    };
    return words[kind];
}

const char *ast_object_word(enum ast_object_kind k)
{
    switch (k) {
    case OBJ_EXTENSION: return "extension";
    case OBJ_SCHEMA: return "schema";
    case OBJ_SEQUENCE: return "sequence";
    }
    return "object";
}

/* The statement's keyword as written: create_object and drop_object are
 * create_extension, drop_schema, ... */
static const char *st_word(arena *a, const ast_stmt *st)
{
    if (st->kind != ST_CREATE_OBJECT && st->kind != ST_DROP_OBJECT)
        return stmt_word(st->kind);
    const char *verb = st->kind == ST_CREATE_OBJECT ? "create_" : "drop_";
    const char *obj = ast_object_word((enum ast_object_kind)st->object);
    char *w = arena_alloc(a, strlen(verb) + strlen(obj) + 1);
    strcpy(w, verb);
    strcat(w, obj);
    return w;
}

/* A dialect's name (any case) as its mask; anything else is reported and
 * taken as every dialect. */
static int dialect_of(parse_state *ps, const ast_name *n)
{
    const dialect *D = dialect_named(n->text);
    if (D)
        return D->mask;
    diag_error(ps->d, n->loc,
               "unknown dialect '%s' (expected sqlite or postgresql)",
               n->text);
    return DIALECT_ALL;
}

/* ---- names and lists ---- */

/* Keeps `n` for sema when it stands in a revision's blocks (the header's
 * ids and labels are no database's names) and is longer than some
 * database keeps. */
static ast_name note_long(parse_state *ps, ast_name n)
{
    int limit = dialect_min_name_bytes();
    if (ps->rev && ps->in_blocks && limit && strlen(n.text) > (size_t)limit) {
        ast_name *k = arena_alloc(ps->a, sizeof *k);
        *k = n;
        list_push(ps->a, &ps->rev->long_names, k);
    }
    return n;
}

/* A bare word, a number or a keyword used as a name: kept as written. */
ast_name ast_name_word(parse_state *ps, const lex_token *t)
{
    return note_long(ps, (ast_name){arena_strndup(ps->a, t->text, (size_t)t->len),
                                    t->loc});
}

/* "quoted": case and characters kept, "" folded to one quote. */
ast_name ast_name_quoted(parse_state *ps, const lex_token *t)
{
    ast_name n = {unquote(ps->a, t->text, t->len, '"'), t->loc};
    if (!n.text[0])
        diag_error(ps->d, t->loc, "empty quoted identifier");
    return note_long(ps, n);
}

ast_qname ast_qname_make(parse_state *ps, const ast_name *schema,
                         ast_name name)
{
    (void)ps;
    ast_qname q = {.name = name};
    if (schema)
        q.schema = *schema;
    return q;
}

ptr_list ast_names_new(parse_state *ps, ast_name n)
{
    ptr_list l = {0};
    ast_names_push(ps, &l, n);
    return l;
}

void ast_names_push(parse_state *ps, ptr_list *l, ast_name n)
{
    ast_name *p = arena_alloc(ps->a, sizeof *p);
    *p = n;
    list_push(ps->a, l, p);
}

ptr_list ast_qnames_new(parse_state *ps, ast_qname n)
{
    ptr_list l = {0};
    ast_qnames_push(ps, &l, n);
    return l;
}

void ast_qnames_push(parse_state *ps, ptr_list *l, ast_qname n)
{
    ast_qname *p = arena_alloc(ps->a, sizeof *p);
    *p = n;
    list_push(ps->a, l, p);
}

ptr_list ast_list_new(parse_state *ps, void *item)
{
    ptr_list l = {0};
    list_push(ps->a, &l, item);
    return l;
}

void ast_list_push(parse_state *ps, ptr_list *l, void *item)
{
    list_push(ps->a, l, item);
}

const char *ast_raw(parse_state *ps, const lex_token *raw)
{
    return arena_strndup(ps->a, raw->text, (size_t)raw->len);
}

/* ---- types, defaults, literals ---- */

static const struct {
    const char *name;
    enum ast_type_kind kind;
    int min_args, max_args;
} type_names[] = {
    {"smallint", TY_SMALLINT, 0, 0},   {"integer", TY_INTEGER, 0, 0},
    {"bigint", TY_BIGINT, 0, 0},       {"boolean", TY_BOOLEAN, 0, 0},
    {"real", TY_REAL, 0, 0},           {"double", TY_DOUBLE, 0, 0},
    {"numeric", TY_NUMERIC, 0, 2},     {"varchar", TY_VARCHAR, 1, 1},
    {"char", TY_CHAR, 1, 1},           {"text", TY_TEXT, 0, 0},
    {"date", TY_DATE, 0, 0},           {"time", TY_TIME, 0, 0},
    {"timestamp", TY_TIMESTAMP, 0, 0}, {"timestamptz", TY_TIMESTAMPTZ, 0, 0},
    {"blob", TY_BLOB, 0, 0},           {"json", TY_JSON, 0, 0},
    {"jsonb", TY_JSONB, 0, 0},         {"uuid", TY_UUID, 0, 0},
    {"interval", TY_INTERVAL, 0, 0},
};

const char *ast_type_raw(const ast_type *t, enum retort_dialect d)
{
    const char *s = t->raw ? t->raw : t->raw_for[d];
    return s ? s : "";
}

int ast_type_raw_eq(const ast_type *x, const ast_type *y)
{
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
        if (strcmp(ast_type_raw(x, (enum retort_dialect)d),
                   ast_type_raw(y, (enum retort_dialect)d)) != 0)
            return 0;
    return 1;
}

const char *ast_type_word(enum ast_type_kind kind)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (type_names[i].kind == kind)
            return type_names[i].name;
    return kind == TY_ENUM ? "enum" : "sql";   /* TY_RAW: `sql $$...$$` */
}

int ast_is_type_word(const char *word)
{
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (sqlword_eq(word, type_names[i].name))
            return 1;
    return 0;
}

/* One type argument: digits only, at least `min`, at most 9 digits.
 * Returns it, or -1 after reporting it. */
static int type_arg(parse_state *ps, const ast_name *arg, const char *type,
                    int min)
{
    const char *s = arg->text;
    size_t n = strspn(s, "0123456789");
    int v = -1;
    if (n > 0 && n <= 9 && s[n] == '\0') {
        v = 0;
        for (const char *p = s; *p; p++)
            v = v * 10 + (*p - '0');
    }
    if (v < min) {
        diag_error(ps->d, arg->loc, "bad type argument '%s' for %s", s, type);
        return -1;
    }
    return v;
}

/* `name` or `name(args)`: one of SPEC section 3's portable types.  An
 * unknown name or bad argument is reported; the type then reads as text
 * (or without arguments) so that the checks that follow still make sense. */
ast_type ast_type_named(parse_state *ps, ast_name name, const ptr_list *args)
{
    ast_type t = {.kind = TY_TEXT, .p = -1, .s = -1, .loc = name.loc};
    int nargs = args ? args->count : 0;
    size_t i = 0, n = sizeof type_names / sizeof type_names[0];
    while (i < n && !sqlword_eq(name.text, type_names[i].name))
        i++;
    if (i == n) {
        diag_error(ps->d, name.loc, "unknown type '%s'", name.text);
        return t;
    }
    const char *tn = type_names[i].name;
    t.kind = type_names[i].kind;
    if (nargs < type_names[i].min_args || nargs > type_names[i].max_args) {
        if (t.kind == TY_NUMERIC)
            diag_error(ps->d, name.loc, "numeric takes (p) or (p, s)");
        else if (type_names[i].max_args == 1)
            diag_error(ps->d, name.loc, "%s takes one argument, its length",
                       tn);
        else
            diag_error(ps->d, name.loc, "%s takes no arguments", tn);
        return t;
    }
    if (nargs >= 1)
        t.p = type_arg(ps, args->items[0], tn, 1);
    if (nargs == 2) {
        const ast_name *s = args->items[1];
        t.s = type_arg(ps, s, tn, 0);
        if (t.p >= 0 && t.s > t.p) {
            diag_error(ps->d, s->loc,
                       "bad type argument '%s' for numeric: the scale "
                       "exceeds the precision", s->text);
            t.s = -1;
        }
    }
    return t;
}

/* `sql $$...$$`: a type copied verbatim into every dialect. */
ast_type ast_type_sql(parse_state *ps, const lex_token *kw,
                      const lex_token *raw)
{
    return (ast_type){.kind = TY_RAW, .p = -1, .s = -1, .raw = ast_raw(ps, raw),
                      .loc = kw->loc};
}

ast_type ast_type_sql_for(void)
{
    return (ast_type){.kind = TY_RAW, .p = -1, .s = -1};
}

ast_type ast_type_array(ast_type t)
{
    t.array = 1;
    return t;
}

void ast_type_sql_add(parse_state *ps, ast_type *t, ast_name dialect_name,
                      const lex_token *raw)
{
    const dialect *D = dialect_named(dialect_name.text);
    if (!D) {
        dialect_of(ps, &dialect_name);   /* reports it */
        return;
    }
    if (t->raw_for[D->id])
        diag_error(ps->d, dialect_name.loc, "the type names %s twice", D->name);
    t->raw_for[D->id] = ast_raw(ps, raw);
}

void ast_type_sql_done(parse_state *ps, const ast_type *t)
{
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
        if (!t->raw_for[d])
            diag_error(ps->d, t->loc, "the type has no SQL for %s",
                       dialect_get((enum retort_dialect)d)->name);
}

/* A default or literal.  Numbers and raw SQL keep their text as written,
 * strings fold '' to one quote; the keywords need no text. */
ast_expr *ast_expr_new(parse_state *ps, enum ast_expr_kind kind,
                       const lex_token *t)
{
    ast_expr *e = arena_alloc(ps->a, sizeof *e);
    e->kind = kind;
    e->loc = t->loc;
    if (kind == EX_STRING)
        e->text = unquote(ps->a, t->text, t->len, '\'');
    else if (kind == EX_NUMBER || kind == EX_RAW)
        e->text = ast_raw(ps, t);
    return e;
}

/* One `(LITERAL, ...)` of bulk_insert, kept as a list of its own. */
ptr_list *ast_row(parse_state *ps, ptr_list values)
{
    ptr_list *row = arena_alloc(ps->a, sizeof *row);
    *row = values;
    return row;
}

/* ---- column definitions, references, table constraints ---- */

ast_coldef *ast_coldef_new(parse_state *ps, ast_name name, ast_type type)
{
    ast_coldef *c = arena_alloc(ps->a, sizeof *c);
    c->name = name;
    c->type = type;
    c->loc = name.loc;
    return c;
}

/* An attribute without a value; one given twice, `null` with `not null`
 * and autoincrement on anything but an integer column are errors. */
void ast_coldef_attr(parse_state *ps, ast_coldef *c, enum ast_col_attr attr,
                     const lex_token *kw)
{
    static const char *const words[] = {
        [COL_PRIMARY_KEY] = "primary key", [COL_AUTOINCREMENT] = "autoincrement",
        [COL_NOT_NULL] = "not null", [COL_NULL] = "null",
        [COL_UNIQUE] = "unique",
    };
    int was = 0;
    switch (attr) {
    case COL_PRIMARY_KEY:   was = c->primary_key;   c->primary_key = 1;   break;
    case COL_AUTOINCREMENT: was = c->autoincrement; c->autoincrement = 1; break;
    case COL_NOT_NULL:      was = c->not_null;      c->not_null = 1;      break;
    case COL_NULL:          was = c->explicit_null; c->explicit_null = 1; break;
    case COL_UNIQUE:        was = c->unique;        c->unique = 1;        break;
    }
    if (was)
        diag_error(ps->d, kw->loc, "'%s' given twice for column '%s'",
                   words[attr], c->name.text);
    else if (c->not_null && c->explicit_null)
        diag_error(ps->d, kw->loc, "column '%s' is both 'null' and 'not null'",
                   c->name.text);
    else if (attr == COL_AUTOINCREMENT && c->type.kind != TY_SMALLINT &&
             c->type.kind != TY_INTEGER && c->type.kind != TY_BIGINT)
        diag_error(ps->d, kw->loc,
                   "autoincrement on column '%s', which is not an integer",
                   c->name.text);
}

void ast_coldef_default(parse_state *ps, ast_coldef *c, ast_expr *e)
{
    if (c->dflt)
        diag_error(ps->d, e->loc, "two defaults for column '%s'",
                   c->name.text);
    c->dflt = e;
}

void ast_coldef_references(parse_state *ps, ast_coldef *c, ast_reference *r)
{
    if (c->references)
        diag_error(ps->d, r->loc, "two references for column '%s'",
                   c->name.text);
    c->references = r;
}

void ast_coldef_check(parse_state *ps, ast_coldef *c, const lex_token *raw)
{
    if (c->check)
        diag_error(ps->d, raw->loc, "two checks for column '%s'",
                   c->name.text);
    c->check = ast_raw(ps, raw);
}

ast_reference *ast_reference_new(parse_state *ps, const lex_token *kw,
                                 ast_qname table, ptr_list cols)
{
    ast_reference *r = arena_alloc(ps->a, sizeof *r);
    r->table = table;
    r->columns = cols;
    r->loc = kw->loc;
    return r;
}

/* `on delete ACTION` (on_update 0) or `on update ACTION`, each once. */
void ast_reference_action(parse_state *ps, ast_reference *r, int on_update,
                          enum ast_fk_action action, const lex_token *kw)
{
    enum ast_fk_action *slot = on_update ? &r->on_update : &r->on_delete;
    if (*slot != FK_UNSPECIFIED)
        diag_error(ps->d, kw->loc, "'on %s' given twice",
                   on_update ? "update" : "delete");
    *slot = action;
}

/* `deferrable ...` once per reference. */
void ast_reference_deferral(parse_state *ps, ast_reference *r,
                            const ast_deferral_tok *d)
{
    if (r->deferral != DEFER_NONE)
        diag_error(ps->d, d->loc, "'deferrable' given twice");
    r->deferral = d->deferral;
}

/* A primary key's or unique constraint's `deferrable ...` (the grammar
 * allows one, after the columns). */
ast_constraint *ast_constraint_deferral(ast_constraint *k, const ast_deferral_tok *d)
{
    k->deferral = d->deferral;
    return k;
}

ast_stmt *ast_stmt_deferral(ast_stmt *st, const ast_deferral_tok *d)
{
    st->deferral = d->deferral;
    return st;
}

ast_constraint *ast_constraint_new(parse_state *ps,
                                   enum ast_constraint_kind kind,
                                   const lex_token *kw, const ptr_list *cols,
                                   const lex_token *raw, ast_reference *ref)
{
    ast_constraint *c = arena_alloc(ps->a, sizeof *c);
    c->kind = kind;
    if (cols)
        c->columns = *cols;
    if (raw)
        c->check = ast_raw(ps, raw);
    c->references = ref;
    c->loc = kw->loc;
    return c;
}

/* `constraint N ...`: the constraint now starts at `constraint`. */
ast_constraint *ast_constraint_named(parse_state *ps, const lex_token *kw,
                                     ast_name name, ast_constraint *c)
{
    (void)ps;
    c->name = name;
    c->loc = kw->loc;
    return c;
}

/* ---- statements ---- */

ast_stmt *ast_stmt_new(parse_state *ps, enum ast_stmt_kind kind,
                       const lex_token *kw, const ast_qname *table,
                       const ast_name *name)
{
    ast_stmt *st = stmt_new(ps, kind, kw);
    if (table)
        st->table = *table;
    if (name)
        st->name = *name;
    return st;
}

/* A suffix option: it must apply to the statement and be given once. */
void ast_stmt_option(parse_state *ps, ast_stmt *st, enum ast_stmt_opt opt,
                     const lex_token *kw)
{
    static const char *const words[] = {
        [OPT_IF_EXISTS] = "if exists", [OPT_IF_NOT_EXISTS] = "if not exists",
        [OPT_UNIQUE] = "unique", [OPT_CONCURRENTLY] = "concurrently",
    };
    int ok = 0, was = 0;
    switch (opt) {
    case OPT_IF_EXISTS:
        ok = st->kind == ST_DROP_TABLE || st->kind == ST_DROP_COLUMN ||
             st->kind == ST_DROP_INDEX || st->kind == ST_DROP_VIEW ||
             st->kind == ST_DROP_TRIGGER || st->kind == ST_DROP_ENUM ||
             st->kind == ST_DROP_OBJECT;
        was = st->if_exists;
        st->if_exists = 1;
        break;
    case OPT_IF_NOT_EXISTS:
        ok = st->kind == ST_CREATE_TABLE || st->kind == ST_ADD_COLUMN ||
             st->kind == ST_CREATE_INDEX || st->kind == ST_CREATE_OBJECT;
        was = st->if_not_exists;
        st->if_not_exists = 1;
        break;
    case OPT_UNIQUE:
        ok = st->kind == ST_CREATE_INDEX;
        was = st->unique;
        st->unique = 1;
        break;
    case OPT_CONCURRENTLY:
        ok = st->kind == ST_CREATE_INDEX || st->kind == ST_DROP_INDEX;
        was = st->concurrently;
        st->concurrently = 1;
        break;
    }
    if (!ok)
        diag_error(ps->d, kw->loc, "'%s' does not apply to %s", words[opt],
                   st_word(ps->a, st));
    else if (was)
        diag_error(ps->d, kw->loc, "'%s' given twice", words[opt]);
}

/* `where $$predicate$$` of create_index. */
void ast_stmt_where(parse_state *ps, ast_stmt *st, const lex_token *raw)
{
    if (st->kind != ST_CREATE_INDEX && st->kind != ST_UPDATE && st->kind != ST_DELETE)
        diag_error(ps->d, raw->loc, "'where' does not apply to %s",
                   st_word(ps->a, st));
    else if (st->where)
        diag_error(ps->d, raw->loc, "'where' given twice");
    st->where = ast_raw(ps, raw);
}

/* `on T` of drop_index. */
void ast_stmt_on(parse_state *ps, ast_stmt *st, const lex_token *kw,
                 ast_qname table)
{
    if (st->kind != ST_DROP_INDEX)
        diag_error(ps->d, kw->loc, "'on' does not apply to %s",
                   st_word(ps->a, st));
    else if (st->table.name.text)
        diag_error(ps->d, kw->loc, "'on' given twice");
    st->table = table;
}

ast_stmt *ast_table_elem(parse_state *ps, ast_stmt *st, ast_coldef *col,
                         ast_constraint *cons)
{
    if (!st) {
        st = arena_alloc(ps->a, sizeof *st);
        st->kind = ST_CREATE_TABLE;
    }
    if (col)
        list_push(ps->a, &st->columns, col);
    else
        list_push(ps->a, &st->constraints, cons);
    return st;
}

/* `create_table T (...)`: the elements came first, in `elems`. */
ast_stmt *ast_create_table(parse_state *ps, const lex_token *kw,
                           ast_qname table, ast_stmt *elems)
{
    elems->loc = kw->loc;
    elems->table = table;
    if (elems->columns.count == 0)
        diag_error(ps->d, table.name.loc, "table '%s' has no columns",
                   table.name.text);
    return elems;
}

ast_stmt *ast_add_column(parse_state *ps, const lex_token *kw,
                         ast_qname table, ast_coldef *col)
{
    ast_stmt *st = stmt_new(ps, ST_ADD_COLUMN, kw);
    st->table = table;
    st->column = col;
    st->name = col->name;
    return st;
}

/* rename_table T to N (column NULL), alter_column T C rename to N. */
ast_stmt *ast_rename(parse_state *ps, enum ast_stmt_kind kind,
                     const lex_token *kw, ast_qname table,
                     const ast_name *column, ast_name new_name)
{
    ast_stmt *st = ast_stmt_new(ps, kind, kw, &table, column);
    st->new_name = new_name;
    return st;
}

ast_stmt *ast_alter_type(parse_state *ps, const lex_token *kw,
                         ast_qname table, ast_name column, ast_type type,
                         const char *using_expr)
{
    ast_stmt *st = ast_stmt_new(ps, ST_ALTER_TYPE, kw, &table, &column);
    st->type = type;
    st->using_expr = using_expr;
    return st;
}

ast_stmt *ast_alter_default(parse_state *ps, const lex_token *kw,
                            ast_qname table, ast_name column, ast_expr *e)
{
    ast_stmt *st = ast_stmt_new(ps, ST_ALTER_SET_DEFAULT, kw, &table, &column);
    st->dflt = e;
    return st;
}

/* A column (raw NULL) or a $$expression$$ (column NULL), with its order. */
ast_index_elem *ast_index_elem_new(parse_state *ps, const ast_name *column,
                                   const lex_token *raw, const ast_name *opclass,
                                   int order)
{
    ast_index_elem *e = arena_alloc(ps->a, sizeof *e);
    e->opclass = opclass ? opclass->text : NULL;
    if (column) {
        e->column = *column;
        e->loc = column->loc;
    } else {
        e->expr = ast_raw(ps, raw);
        e->loc = raw->loc;
    }
    e->order = order;
    return e;
}

ast_stmt *ast_create_index(parse_state *ps, const lex_token *kw,
                           ast_name name, ast_qname table, ptr_list elems)
{
    ast_stmt *st = ast_stmt_new(ps, ST_CREATE_INDEX, kw, &table, &name);
    st->elems = elems;
    return st;
}

/* PostgreSQL's index access methods (SPEC section 2). */
static const char *const index_methods[] = {
    "btree", "hash", "gin", "gist", "brin", "spgist",
};

ast_stmt *ast_index_using(parse_state *ps, ast_stmt *st, ast_name method)
{
    for (size_t i = 0; i < sizeof index_methods / sizeof index_methods[0]; i++)
        if (sqlword_eq(method.text, index_methods[i])) {
            st->method = index_methods[i];
            return st;
        }
    diag_error(ps->d, method.loc, "unknown index method '%s' (expected btree, "
               "hash, gin, gist, brin or spgist)", method.text);
    return st;
}

/* create_primary_key, create_unique_constraint (cols),
 * create_check_constraint (raw), create_foreign_key (cols and ref). */
const ast_name ast_no_name;

ast_stmt *ast_constraint_stmt(parse_state *ps, enum ast_stmt_kind kind,
                              const lex_token *kw, ast_name name,
                              ast_qname table, const ptr_list *cols,
                              const lex_token *raw, ast_reference *ref)
{
    ast_stmt *st = ast_stmt_new(ps, kind, kw, &table, &name);
    if (cols)
        st->cols = *cols;
    if (raw)
        st->raw = ast_raw(ps, raw);
    st->references = ref;
    return st;
}

ast_stmt *ast_unique_using_index(parse_state *ps, const lex_token *kw, ast_name name,
                                 ast_qname table, ast_name index)
{
    ast_stmt *st = ast_stmt_new(ps, ST_CREATE_UNIQUE, kw, &table, &name);
    st->using_index = index;
    return st;
}

ast_stmt *ast_update(parse_state *ps, const lex_token *kw, ast_qname table,
                     ast_name column, ast_expr *value)
{
    ast_stmt *st = ast_stmt_new(ps, ST_UPDATE, kw, &table, NULL);
    ast_update_set(ps, st, column, value);
    return st;
}

void ast_update_set(parse_state *ps, ast_stmt *st, ast_name column, ast_expr *value)
{
    ast_names_push(ps, &st->cols, column);
    list_push(ps->a, &st->values, value);
}

ast_stmt *ast_lock_table(parse_state *ps, const lex_token *kw, ptr_list tables,
                         const ptr_list *mode)
{
    static const char *const modes[] = {
        "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
        "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
    };
    ast_stmt *st = ast_stmt_new(ps, ST_LOCK_TABLE, kw,
                                (const ast_qname *)tables.items[0], NULL);
    st->tables = tables;
    st->lock_mode = "ACCESS EXCLUSIVE";
    if (!mode)
        return st;
    const char *words = "";
    for (int i = 0; i < mode->count; i++) {
        const char *w = ((const ast_name *)mode->items[i])->text;
        words = arena_printf(ps->a, "%s%s%s", words, i ? " " : "", w);
    }
    char *upper = arena_strdup(ps->a, words);
    for (char *p = upper; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
        if (strcmp(upper, modes[i]) == 0) {
            st->lock_mode = modes[i];
            return st;
        }
    diag_error(ps->d, ((const ast_name *)mode->items[0])->loc,
               "unknown lock mode '%s' (PostgreSQL's: access share, row share, "
               "row exclusive, share update exclusive, share, share row "
               "exclusive, exclusive, access exclusive)", words);
    return st;
}

void ast_update_from(parse_state *ps, ast_stmt *st, ptr_list tables)
{
    (void)ps;
    st->from = tables;
}

ast_stmt *ast_insert_select(parse_state *ps, const lex_token *kw, ast_qname table,
                            ptr_list cols, const lex_token *query)
{
    ast_stmt *st = ast_stmt_new(ps, ST_INSERT_SELECT, kw, &table, NULL);
    st->cols = cols;
    st->raw = ast_raw(ps, query);
    return st;
}

ast_stmt *ast_not_valid(parse_state *ps, ast_stmt *st, const lex_token *kw)
{
    (void)ps;
    (void)kw;
    st->not_valid = 1;
    return st;
}

/* execute [DIALECT] $$sql$$ */
ast_stmt *ast_execute(parse_state *ps, const lex_token *kw,
                      const ast_name *dialect, const lex_token *raw)
{
    ast_stmt *st = stmt_new(ps, ST_EXECUTE, kw);
    st->raw = ast_raw(ps, raw);
    st->dialect = dialect ? dialect_of(ps, dialect) : DIALECT_ALL;
    return st;
}

/* bulk_insert T (C, ...) values (...), ...: every row has one value per
 * column. */
ast_stmt *ast_bulk_insert(parse_state *ps, const lex_token *kw,
                          ast_qname table, ptr_list cols, ptr_list rows)
{
    ast_stmt *st = stmt_new(ps, ST_BULK_INSERT, kw);
    st->table = table;
    st->cols = cols;
    st->rows = rows;
    for (int i = 0; i < rows.count; i++) {
        const ptr_list *row = rows.items[i];
        if (row->count != cols.count) {
            const ast_expr *first = row->items[0];
            diag_error(ps->d, first->loc,
                       "this row has %d value%s for %d column%s", row->count,
                       row->count == 1 ? "" : "s", cols.count,
                       cols.count == 1 ? "" : "s");
        }
    }
    return st;
}

/* Why `s` cannot name the application's C function for `call`, or NULL
 * when it can.  migrations.c declares `int NAME(retort_call *)` at file
 * scope beside <retort/retort.h> (which includes <stdio.h>), so NAME must
 * be an identifier that is no keyword and does not take a name reserved
 * to C or to the runtime (rt_*, retort_*: a runtime function of that
 * name would link in silently where the application's is missing). */
static const char *call_name_error(const char *s)
{
    static const char *const keywords[] = {
        "auto", "break", "case", "char", "const", "continue", "default",
        "do", "double", "else", "enum", "extern", "float", "for", "goto",
        "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch",
        "typedef", "union", "unsigned", "void", "volatile", "while",
        /* migrations.c's own names */
        "main", "history", "calls", "steps", "revisions", "facts", "refs",
        "labels", "by_id", "heads", "S", "NOSTR",
    };
    if (!*s || (*s >= '0' && *s <= '9'))
        return "must start with a letter";
    for (const char *p = s; *p; p++)
        if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9')))
            return "may hold only letters, digits and '_'";
    if (*s == '_')
        return "must start with a letter (names starting with '_' are reserved to C)";
    if (!strncmp(s, "rt_", 3) || !strncmp(s, "retort_", 7))
        return "must not start with rt_ or retort_ (the runtime's names)";
    for (size_t i = 0; i < sizeof keywords / sizeof *keywords; i++)
        if (!strcmp(s, keywords[i]))
            return "is a word C or migrations.c already uses";
    return NULL;
}

/* call NAME: the application's function `int NAME(retort_call *)`. */
ast_stmt *ast_call(parse_state *ps, const lex_token *kw, ast_name name)
{
    ast_stmt *st = stmt_new(ps, ST_CALL, kw);
    const char *why = call_name_error(name.text);
    st->name = name;
    if (why)
        diag_error(ps->d, name.loc, "call '%s': the name of a C function %s",
                   name.text, why);
    return st;
}

/* ---- conditional blocks ---- */

/* table_exists T, column_exists T C, index_exists N,
 * constraint_exists N on T, dialect NAME. */
ast_cond *ast_cond_new(parse_state *ps, enum ast_cond_kind kind,
                       const lex_token *kw, const ast_qname *table,
                       const ast_name *name)
{
    ast_cond *c = arena_alloc(ps->a, sizeof *c);
    c->kind = kind;
    c->loc = kw->loc;
    if (table)
        c->table = *table;
    if (kind == COND_DIALECT)
        c->dialect = dialect_of(ps, name);
    else if (name)
        c->name = *name;
    return c;
}

/* `not COND`: the condition now starts at `not`. */
ast_cond *ast_cond_not(parse_state *ps, const lex_token *kw, ast_cond *c)
{
    (void)ps;
    c->negate = 1;
    c->loc = kw->loc;
    return c;
}

ast_stmt *ast_if(parse_state *ps, const lex_token *kw, ast_cond *c,
                 ptr_list then_body, const ptr_list *else_body)
{
    ast_stmt *st = stmt_new(ps, ST_IF, kw);
    st->cond = *c;
    st->then_body = then_body;
    if (else_body)
        st->else_body = *else_body;
    return st;
}

/* ---- revision files ---- */

/* Record header line `which`; a second one is an error (returns 0). */
static int header_once(parse_state *ps, enum ast_header which,
                       const lex_token *kw)
{
    static const char *const words[] = {
        [HDR_REVISION] = "revision", [HDR_PARENT] = "parent",
        [HDR_BRANCH] = "branch", [HDR_DEPENDS_ON] = "depends_on",
        [HDR_MESSAGE] = "message", [HDR_CREATED] = "created",
        [HDR_TRANSACTION] = "transaction", [HDR_SCHEMA_CHECK] = "schema_check",
        [HDR_LOCK_TIMEOUT] = "lock_timeout",
        [HDR_STATEMENT_TIMEOUT] = "statement_timeout",
    };
    if (ps->header_loc[which].file) {
        diag_error(ps->d, kw->loc, "'%s' line given twice", words[which]);
        diag_note(ps->d, ps->header_loc[which], "first given here");
        return 0;
    }
    ps->header_loc[which] = kw->loc;
    return 1;
}

/* `revision ID`: 1 to 32 letters, digits or '_' (Alembic's version_num is
 * a VARCHAR(32)). */
void ast_rev_id(parse_state *ps, const lex_token *kw, ast_name id)
{
    if (!header_once(ps, HDR_REVISION, kw))
        return;
    size_t n = strlen(id.text);
    if (n > 32)
        diag_error(ps->d, id.loc,
                   "revision id '%s' is longer than 32 characters", id.text);
    else if (n == 0 || strspn(id.text, "abcdefghijklmnopqrstuvwxyz"
                                       "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                       "0123456789_") != n)
        diag_error(ps->d, id.loc,
                   "revision id '%s' may hold only letters, digits and '_'",
                   id.text);
    ps->rev->id = id;
}

/* `parent none` (ids NULL), `parent ID`, `parent (ID, ...)`. */
void ast_rev_parents(parse_state *ps, const lex_token *kw,
                     const ptr_list *ids)
{
    if (!header_once(ps, HDR_PARENT, kw))
        return;
    ps->rev->has_parent = 1;
    if (ids)
        ps->rev->parents = *ids;
}

void ast_rev_branches(parse_state *ps, const lex_token *kw, ptr_list ids)
{
    if (header_once(ps, HDR_BRANCH, kw))
        ps->rev->branches = ids;
}

void ast_rev_depends_on(parse_state *ps, const lex_token *kw, ptr_list ids)
{
    if (header_once(ps, HDR_DEPENDS_ON, kw))
        ps->rev->depends_on = ids;
}

void ast_rev_message(parse_state *ps, const lex_token *kw,
                     const lex_token *str)
{
    if (header_once(ps, HDR_MESSAGE, kw))
        ps->rev->message = unquote(ps->a, str->text, str->len, '\'');
}

void ast_rev_created(parse_state *ps, const lex_token *kw,
                     const lex_token *str)
{
    if (header_once(ps, HDR_CREATED, kw))
        ps->rev->created = unquote(ps->a, str->text, str->len, '\'');
}

void ast_rev_transaction_none(parse_state *ps, const lex_token *kw)
{
    if (header_once(ps, HDR_TRANSACTION, kw))
        ps->rev->transactional = 0;
}

void ast_rev_schema_check_off(parse_state *ps, const lex_token *kw)
{
    if (header_once(ps, HDR_SCHEMA_CHECK, kw))
        ps->rev->schema_check = 0;
}

const char *ast_setting_name(enum ast_setting s)
{
    switch (s) {
    case SET_LOCK_TIMEOUT: return "lock_timeout";
    case SET_STATEMENT_TIMEOUT: return "statement_timeout";
    case SET_COUNT: break;
    }
    return "";
}

/* Whether `v` is a time PostgreSQL reads for a timeout: a number, with
 * a fraction or not, and one of its time units or none (milliseconds).
 * Checked here so that a typo fails the build, not the deploy. */
static int timeout_value_ok(const char *v)
{
    static const char *const units[] = {"", "us", "ms", "s", "min", "h", "d"};
    const char *p = v;
    if (!isdigit((unsigned char)*p))
        return 0;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strcmp(p, units[i]) == 0)
            return 1;
    return 0;
}

void ast_rev_setting(parse_state *ps, const lex_token *kw,
                     enum ast_setting which, const lex_token *value)
{
    enum ast_header h = which == SET_LOCK_TIMEOUT ? HDR_LOCK_TIMEOUT
                                                  : HDR_STATEMENT_TIMEOUT;
    if (!header_once(ps, h, kw))
        return;
    const char *v = value->text[0] == '\''
        ? unquote(ps->a, value->text, value->len, '\'')
        : arena_strndup(ps->a, value->text, (size_t)value->len);
    if (!timeout_value_ok(v)) {
        diag_error(ps->d, value->loc,
                   "'%s' takes milliseconds (5000) or a time with a unit "
                   "('5s', '2min', '500ms'), not '%s'",
                   ast_setting_name(which), v);
        return;
    }
    ps->rev->settings[which] = v;
}

/* `upgrade { }` or `downgrade { }` (the grammar allows each once). */
void ast_rev_block(parse_state *ps, const lex_token *kw, ptr_list body,
                   int downgrade)
{
    ast_revision *r = ps->rev;
    if (downgrade) {
        r->has_downgrade = 1;
        r->downgrade = body;
        r->downgrade_loc = kw->loc;
    } else {
        r->has_upgrade = 1;
        r->upgrade = body;
        r->upgrade_loc = kw->loc;
    }
}

/* The whole file was read: the required parts must be there.  Called with
 * ps->tok at the end of the input. */
void ast_rev_finish(parse_state *ps)
{
    ast_revision *r = ps->rev;
    src_loc top = {ps->file, 1, 1};
    if (!r->id.text)
        diag_error(ps->d, top, "missing 'revision' line");
    if (!r->has_parent)
        diag_error(ps->d, r->id.text ? ps->header_loc[HDR_REVISION] : top,
                   "missing 'parent' line (write 'parent none' for a "
                   "first revision)");
    if (!r->has_upgrade)
        diag_error(ps->d, r->has_downgrade ? r->downgrade_loc : ps->tok.loc,
                   "missing 'upgrade' block");
}

/* ---- model files ---- */

void ast_model_finish(parse_state *ps, ptr_list stmts)
{
    for (int i = 0; i < stmts.count; i++) {
        const ast_stmt *st = stmts.items[i];
        if (st->kind != ST_CREATE_TABLE && st->kind != ST_CREATE_INDEX &&
            st->kind != ST_CREATE_VIEW && st->kind != ST_CREATE_TRIGGER &&
            st->kind != ST_TABLE_COMMENT && st->kind != ST_COLUMN_COMMENT &&
            st->kind != ST_CREATE_ENUM)
            diag_error(ps->d, st->loc,
                       "a model file holds only create_table, create_index, "
                       "create_view, create_trigger, create_enum and comment "
                       "statements, not %s",
                       st_word(ps->a, st));
    }
    ps->model->stmts = stmts;
}
