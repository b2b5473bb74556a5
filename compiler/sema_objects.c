/*
 * sema_objects.c: views, triggers, comments and enums against the schema
 * (see sema_int.h).
 *
 * A trigger belongs to its table (sch_table.triggers): it is created on a
 * table that exists, its name is free among the triggers of the table's
 * schema (SQLite's rule, stricter than PostgreSQL's per-table one, so
 * that a history works on both), and it goes with its table.  A view
 * lives beside the tables, in their namespace.
 *
 * What a view reads is taken from its body: the names after FROM and JOIN
 * (and after commas of a FROM list).  Dropping or renaming a table, or
 * dropping a view, that another view reads this way is an error, as
 * PostgreSQL refuses the drop (and a rename would leave the body the
 * history recreates on a downgrade naming the old table).  A name that
 * the reader does not see (in a subquery of a function call, say) is the
 * database's to refuse at deploy time.
 */
#include "sema_int.h"

#include <ctype.h>
#include <string.h>

#include "sqlword.h"

/* ---- what a view's body reads ---- */

typedef struct tok {
    char text[128];
    int quoted;               /* a "quoted" identifier */
    int punct;                /* one punctuation character */
} tok;

/* The next token of `p` in *t: a word, a quoted name or one character;
 * strings and comments are skipped.  NULL at the end. */
static const char *next_tok(const char *p, tok *t)
{
    for (;;) {
        while (isspace((unsigned char)*p))
            p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            p = e ? e + 2 : p + strlen(p);
        } else if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p++)
                if (*p == '\'')
                    p++;
            if (*p)
                p++;
        } else {
            break;
        }
    }
    if (!*p)
        return NULL;
    size_t n = 0;
    t->quoted = t->punct = 0;
    if (*p == '"') {
        t->quoted = 1;
        for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
            if (*p == '"')
                p++;
            if (n + 1 < sizeof t->text)
                t->text[n++] = *p;
        }
        t->text[n] = '\0';
        return *p ? p + 1 : p;
    }
    if (isalnum((unsigned char)*p) || *p == '_') {
        while (isalnum((unsigned char)*p) || *p == '_' || *p == '$') {
            if (n + 1 < sizeof t->text)
                t->text[n++] = *p;
            p++;
        }
        t->text[n] = '\0';
        return p;
    }
    t->punct = 1;
    t->text[0] = *p;
    t->text[1] = '\0';
    return p + 1;
}

static int is_kw(const tok *t, const char *kw)
{
    if (t->quoted || t->punct)
        return 0;
    const char *w = t->text;
    for (; *w && *kw; w++, kw++)
        if (tolower((unsigned char)*w) != *kw)
            return 0;
    return !*w && !*kw;
}

/* An unquoted name folds (PostgreSQL folds to lower case, SQLite ignores
 * case): compared without case; a quoted one exactly. */
static int tok_names(const tok *t, const char *name)
{
    if (t->quoted)
        return strcmp(t->text, name) == 0;
    const char *w = t->text;
    for (; *w && *name; w++, name++)
        if (tolower((unsigned char)*w) != tolower((unsigned char)*name))
            return 0;
    return !*w && !*name;
}

/* Does the query `sql` read relation `q` (FROM q, JOIN q, FROM x, q)? */
static int reads(const char *sql, const ast_qname *q)
{
    tok t, n1, n2;
    const char *p = sql;
    int in_from = 0;          /* a FROM list is being read */
    while (p && (p = next_tok(p, &t))) {
        int starts = is_kw(&t, "from") || is_kw(&t, "join");
        if (!starts && !(in_from && t.punct && t.text[0] == ',')) {
            if (t.punct && t.text[0] != ',')
                in_from = 0;
            else if (is_kw(&t, "where") || is_kw(&t, "group") || is_kw(&t, "order") ||
                     is_kw(&t, "on") || is_kw(&t, "select") || is_kw(&t, "union") ||
                     is_kw(&t, "having") || is_kw(&t, "limit"))
                in_from = 0;
            continue;
        }
        in_from = 1;
        const char *after = next_tok(p, &n1);
        if (!after || n1.punct)
            continue;
        const tok *schema = NULL, *name = &n1;
        tok dot;
        const char *more = next_tok(after, &dot);
        if (more && dot.punct && dot.text[0] == '.' && next_tok(more, &n2)) {
            schema = &n1;
            name = &n2;
            after = next_tok(more, &n2);
        }
        p = after;
        if (!tok_names(name, q->name.text))
            continue;
        if (schema && !(q->schema.text ? tok_names(schema, q->schema.text)
                                       : tok_names(schema, "public") ||
                                         tok_names(schema, "main")))
            continue;
        return 1;
    }
    return 0;
}

/* Whether `sql` names column `col`. */
static int names_column(const char *sql, const char *col)
{
    sql_word w;
    for (const char *p = sql; p && sqlword_next(&p, &w);)
        if (w.column && sqlword_is(&w, col))
            return 1;
    return 0;
}

/* Whether the query `sql` may use column `col`: it names it, or it
 * selects `*` (which PostgreSQL expands to every column when the view is
 * made).  NULL col: any column. */
static int uses_column(const char *sql, const char *col)
{
    return !col || strchr(sql, '*') || names_column(sql, col);
}

int chk_views_reading(sctx *c, const ast_qname *q, const sch_view *self,
                      src_loc loc, const char *what)
{
    return chk_views_using(c, q, NULL, self, loc, what);
}

int chk_views_using(sctx *c, const ast_qname *q, const char *col,
                    const sch_view *self, src_loc loc, const char *what)
{
    if (!c->check)
        return 0;
    ptr_list views = {0};
    schema_views(c->s, &views, c->a);
    for (int i = 0; i < views.count; i++) {
        const sch_view *v = views.items[i];
        if (v == self)
            continue;
        for (int d = 0; d < 2; d++) {
            if (!v->bodies[d] || !reads(v->bodies[d], q) ||
                !uses_column(v->bodies[d], col))
                continue;
            diag_error(c->d, loc, "cannot %s: view '%s' reads it; drop the view "
                       "first (and create it again after)", what,
                       chk_qname_str(c->a, &v->name));
            diag_note(c->d, v->loc, "view '%s' is created here",
                      chk_qname_str(c->a, &v->name));
            return 1;
        }
    }
    return 0;
}

/* ---- views ---- */

void chk_create_view(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sch_view *old = schema_view(c->s, q->schema.text, q->name.text);
    st->view_before = st->view_after = old;
    if (old) {
        ERR(c, q->name.loc, "view '%s' already exists", chk_qname_str(c->a, q));
        return;
    }
    if (schema_table(c->s, q->schema.text, q->name.text)) {
        ERR(c, q->name.loc, "'%s' is a table: a view cannot take its name",
            chk_qname_str(c->a, q));
        return;
    }
    sch_view *v = arena_alloc(c->a, sizeof *v);
    v->name = *q;
    v->bodies[0] = st->bodies[0];
    v->bodies[1] = st->bodies[1];
    v->created_by = c->rev;
    v->loc = q->name.loc;
    v->seq = schema_next_seq(c->s);
    schema_put_view(c->s, q->schema.text, q->name.text, v);
    st->view_after = v;
}

void chk_drop_view(sctx *c, ast_stmt *st)
{
    const ast_qname *q = &st->table;
    sch_view *v = schema_view(c->s, q->schema.text, q->name.text);
    st->view_before = st->view_after = v;
    if (!v) {
        if (!st->if_exists) {
            if (schema_table(c->s, q->schema.text, q->name.text))
                ERR(c, q->name.loc, "'%s' is a table, not a view; drop it with "
                    "drop_table", chk_qname_str(c->a, q));
            else
                ERR(c, q->name.loc, "unknown view '%s'", chk_qname_str(c->a, q));
        }
        return;
    }
    chk_views_reading(c, q, v, q->name.loc,
                      arena_printf(c->a, "drop view '%s'", chk_qname_str(c->a, q)));
    schema_put_view(c->s, q->schema.text, q->name.text, NULL);
    st->view_after = NULL;
}

/* ---- triggers ---- */

void chk_create_trigger(sctx *c, ast_stmt *st)
{
    sch_table *t = chk_need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    const sch_table *owner = NULL;
    if (schema_trigger(c->s, t->name.schema.text, st->name.text, &owner)) {
        ERR(c, st->name.loc, "trigger '%s' already exists (on table '%s')",
            st->name.text, chk_qname_str(c->a, &owner->name));
        return;
    }
    sch_trigger *g = arena_alloc(c->a, sizeof *g);
    g->name = st->name.text;
    g->bodies[0] = st->bodies[0];
    g->bodies[1] = st->bodies[1];
    g->loc = st->name.loc;
    sch_table *n = sch_table_next(c->a, t);
    list_push(c->a, &n->triggers, g);
    chk_install(c, n);
    st->after = n;
}

void chk_drop_trigger(sctx *c, ast_stmt *st)
{
    sch_table *t = chk_need_table(c, &st->table, !st->if_exists);
    st->before = st->after = t;
    if (!t)
        return;
    const sch_trigger *g = sch_trigger_of(t, st->name.text);
    if (!g) {
        const sch_table *owner = NULL;
        if (schema_trigger(c->s, t->name.schema.text, st->name.text, &owner))
            ERR(c, st->name.loc, "trigger '%s' is on table '%s', not '%s'",
                st->name.text, chk_qname_str(c->a, &owner->name),
                chk_qname_str(c->a, &t->name));
        else if (!st->if_exists && !t->opaque)
            ERR(c, st->name.loc, "unknown trigger '%s' on table '%s'",
                st->name.text, chk_qname_str(c->a, &t->name));
        return;
    }
    sch_table *n = sch_table_next(c->a, t);
    n->triggers.count = 0;
    for (int i = 0; i < t->triggers.count; i++)
        if (t->triggers.items[i] != g)
            n->triggers.items[n->triggers.count++] = t->triggers.items[i];
    chk_install(c, n);
    st->after = n;
}

/* ---- comments ---- */

ast_coldef *chk_uncommented(sctx *c, ast_coldef *col)
{
    if (!col->comment)
        return col;
    ast_coldef *n = arena_alloc(c->a, sizeof *n);
    *n = *col;
    n->comment = NULL;
    return n;
}

static int same_text(const char *x, const char *y)
{
    return x && y ? strcmp(x, y) == 0 : x == y;
}

void chk_table_comment(sctx *c, ast_stmt *st)
{
    sch_table *t = chk_need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t || same_text(t->comment, st->comment))
        return;
    sch_table *n = sch_table_next(c->a, t);
    n->comment = st->comment;
    chk_install(c, n);
    st->after = n;
}

void chk_column_comment(sctx *c, ast_stmt *st)
{
    sch_table *t = chk_need_table(c, &st->table, 1);
    st->before = st->after = t;
    if (!t)
        return;
    ast_coldef *old = sch_column(t, st->name.text);
    if (!old) {
        if (!t->opaque)
            ERR(c, st->name.loc, "unknown column '%s' in table '%s'",
                st->name.text, chk_qname_str(c->a, &t->name));
        return;
    }
    if (same_text(old->comment, st->comment))
        return;
    ast_coldef *col = arena_alloc(c->a, sizeof *col);
    *col = *old;
    col->comment = st->comment;
    sch_table *n = sch_table_next(c->a, t);
    for (int i = 0; i < n->columns.count; i++)
        if (n->columns.items[i] == old)
            n->columns.items[i] = col;
    chk_install(c, n);
    st->after = n;
}

/* ---- enums ---- */

void chk_enum_type(sctx *c, ast_type *t)
{
    if (t->kind != TY_ENUM)
        return;
    sch_enum *e = schema_enum(c->s, t->en);
    if (!e) {
        ERR(c, t->loc, "unknown enum '%s'", t->en);
        return;
    }
    t->en_def = e;
}

ast_coldef *chk_enum_column(sctx *c, ast_coldef *col)
{
    if (col->type.kind != TY_ENUM)
        return col;
    sch_enum *e = schema_enum(c->s, col->type.en);
    if (!e) {
        ERR(c, col->type.loc, "unknown enum '%s'", col->type.en);
        return col;
    }
    if (col->dflt && col->dflt->kind == EX_STRING && sch_enum_label(e, col->dflt->text) < 0)
        ERR(c, col->dflt->loc, "'%s' is not a label of enum '%s'", col->dflt->text,
            e->name);
    if (!col->type.en_def) {
        col->type.en_def = e;
    } else if (col->type.en_def != e) {
        ast_coldef *n = arena_alloc(c->a, sizeof *n);
        *n = *col;
        n->type.en_def = e;
        col = n;
    }
    return col;
}

static ptr_list copy_labels(arena *a, const ptr_list *l)
{
    ptr_list out = {0};
    for (int i = 0; i < l->count; i++)
        list_push(a, &out, l->items[i]);
    return out;
}

void chk_create_enum(sctx *c, ast_stmt *st)
{
    sch_enum *old = schema_enum(c->s, st->name.text);
    st->enum_before = st->enum_after = old;
    if (old) {
        ERR(c, st->name.loc, "enum '%s' already exists", st->name.text);
        return;
    }
    if (schema_table(c->s, NULL, st->name.text) || schema_view(c->s, NULL, st->name.text)) {
        ERR(c, st->name.loc, "'%s' names a table or view: PostgreSQL gives each its "
            "own type of that name", st->name.text);
        return;
    }
    sch_enum *e = arena_alloc(c->a, sizeof *e);
    e->name = st->name.text;
    e->labels = copy_labels(c->a, &st->labels);
    e->created_by = c->rev;
    e->loc = st->name.loc;
    e->seq = schema_next_seq(c->s);
    schema_put_enum(c->s, e->name, e);
    st->enum_after = e;
}

/* The first column of any table whose type is enum `name`, and its table;
 * NULL when none. */
static const ast_coldef *enum_user(sctx *c, const char *name, const sch_table **table)
{
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(c->s, &cursor));)
        for (int i = 0; i < t->columns.count; i++) {
            const ast_coldef *col = t->columns.items[i];
            if (col->type.kind == TY_ENUM && strcmp(col->type.en, name) == 0) {
                *table = t;
                return col;
            }
        }
    return NULL;
}

void chk_drop_enum(sctx *c, ast_stmt *st)
{
    sch_enum *e = schema_enum(c->s, st->name.text);
    st->enum_before = st->enum_after = e;
    if (!e) {
        if (!st->if_exists)
            ERR(c, st->name.loc, "unknown enum '%s'", st->name.text);
        return;
    }
    const sch_table *t = NULL;
    const ast_coldef *col = enum_user(c, e->name, &t);
    if (col) {
        ERR(c, st->name.loc, "cannot drop enum '%s': column %s.%s uses it", e->name,
            chk_qname_str(c->a, &t->name), col->name.text);
        return;
    }
    schema_put_enum(c->s, e->name, NULL);
    st->enum_after = NULL;
}

/* The label `l` at `loc` must (want 1) or must not (want 0) be in `e`. */
static int need_label(sctx *c, const sch_enum *e, const char *l, src_loc loc, int want)
{
    int has = sch_enum_label(e, l) >= 0;
    if (has == want)
        return 1;
    if (want)
        ERR(c, loc, "enum '%s' has no label '%s'", e->name, l);
    else
        ERR(c, loc, "enum '%s' already has a label '%s'", e->name, l);
    return 0;
}

/* Reports, for dropping an enum label, an index of `t` whose predicate or
 * expression reads column `col`: PostgreSQL rebuilds it on the new type
 * with the literals still of the old one, and fails ("operator does not
 * exist").  1 when reported. */
static int index_expr_using(sctx *c, const ast_stmt *st, const sch_table *t,
                            const char *col)
{
    for (int i = 0; i < t->indexes.count; i++) {
        const sch_index *ix = t->indexes.items[i];
        int uses = ix->where && names_column(ix->where, col);
        for (int k = 0; !uses && k < ix->elems.count; k++) {
            const ast_index_elem *el = ix->elems.items[k];
            uses = el->expr && names_column(el->expr, col);
        }
        if (!uses || !c->check)
            continue;
        diag_error(c->d, st->label_loc, "cannot %s label '%s': %s column "
                   "%s.%s, which index '%s' reads in an expression or predicate that "
                   "PostgreSQL cannot rebuild on the new type; %s",
                   st->kind == ST_ALTER_ENUM_ADD ? "derive the downgrade of adding"
                                                 : "drop",
                   st->label,
                   st->kind == ST_ALTER_ENUM_ADD ? "dropping it retypes" : "it retypes",
                   chk_qname_str(c->a, &t->name), col, ix->name,
                   st->kind == ST_ALTER_ENUM_ADD
                       ? "write a downgrade block that drops the index first (and "
                         "creates it again after)"
                       : "drop the index first (and create it again after)");
        diag_note(c->d, ix->loc, "index '%s' is created here", ix->name);
        return 1;
    }
    return 0;
}

/* Every table with a column of enum `old_name` gets a new version whose
 * such columns carry `e` (and, when `from` is renamed `to`, defaults
 * that follow); the pairs go to st->retyped. */
static int retype_columns(sctx *c, ast_stmt *st, const char *old_name, const sch_enum *e,
                          const char *from, const char *to)
{
    ptr_list tables = {0};
    schema_tables(c->s, &tables, c->a);
    for (int i = 0; i < tables.count; i++) {
        const sch_table *t = tables.items[i];
        sch_table *n = NULL;
        for (int k = 0; k < t->columns.count; k++) {
            const ast_coldef *col = t->columns.items[k];
            if (col->type.kind != TY_ENUM || strcmp(col->type.en, old_name) != 0)
                continue;
            if (!from && col->dflt && col->dflt->kind == EX_STRING &&
                sch_enum_label(e, col->dflt->text) < 0) {
                ERR(c, st->label_loc, "cannot drop label '%s': it is the default of "
                    "column %s.%s", col->dflt->text, chk_qname_str(c->a, &t->name),
                    col->name.text);
                return 0;
            }
            /* Dropping a label retypes the column on PostgreSQL (a new
             * type, ALTER COLUMN TYPE), which it refuses under a view. */
            /* Adding a label without a downgrade block: the derived
             * downgrade drops it, which the same objects refuse. */
            int drops = st->kind == ST_ALTER_ENUM_DROP_VALUE ||
                        (st->kind == ST_ALTER_ENUM_ADD && c->derives_down);
            const char *what = st->kind == ST_ALTER_ENUM_DROP_VALUE
                ? arena_printf(c->a, "drop label '%s': it retypes column %s.%s",
                               st->label, chk_qname_str(c->a, &t->name), col->name.text)
                : arena_printf(c->a, "derive the downgrade of adding label '%s' (dropping "
                               "it retypes column %s.%s): write a downgrade block, as",
                               st->label, chk_qname_str(c->a, &t->name), col->name.text);
            if (drops && (c->reach & DIALECT_POSTGRESQL) &&
                (chk_views_using(c, &t->name, col->name.text, NULL, st->label_loc, what) ||
                 index_expr_using(c, st, t, col->name.text)))
                return 0;
            if (!n)
                n = sch_table_next(c->a, t);
            ast_coldef *nc = arena_alloc(c->a, sizeof *nc);
            *nc = *col;
            nc->type.en = e->name;
            nc->type.en_def = e;
            if (from && col->dflt && col->dflt->kind == EX_STRING &&
                strcmp(col->dflt->text, from) == 0) {
                ast_expr *d = arena_alloc(c->a, sizeof *d);
                *d = *col->dflt;
                d->text = to;
                nc->dflt = d;
            }
            n->columns.items[k] = nc;
        }
        if (!n)
            continue;
        chk_install(c, n);
        list_push(c->a, &st->retyped, (void *)t);
        list_push(c->a, &st->retyped, n);
    }
    return 1;
}

void chk_alter_enum(sctx *c, ast_stmt *st)
{
    sch_enum *old = schema_enum(c->s, st->name.text);
    st->enum_before = st->enum_after = old;
    st->retyped = (ptr_list){0};
    if (!old) {
        ERR(c, st->name.loc, "unknown enum '%s'", st->name.text);
        return;
    }
    sch_enum *e = arena_alloc(c->a, sizeof *e);
    *e = *old;
    e->prev = old;
    e->labels = (ptr_list){0};
    const char *from = NULL, *to = NULL;
    switch (st->kind) {
    case ST_ALTER_ENUM_ADD: {
        if (!need_label(c, old, st->label, st->label_loc, 0) ||
            (st->position && !need_label(c, old, st->label2, st->label2_loc, 1)))
            return;
        int at = st->position ? sch_enum_label(old, st->label2) + (st->position == 2)
                              : old->labels.count;
        for (int i = 0; i <= old->labels.count; i++) {
            if (i == at)
                list_push(c->a, &e->labels, (void *)st->label);
            if (i < old->labels.count)
                list_push(c->a, &e->labels, old->labels.items[i]);
        }
        break;
    }
    case ST_ALTER_ENUM_RENAME:
        if (!need_label(c, old, st->label, st->label_loc, 1) ||
            !need_label(c, old, st->label2, st->label2_loc, 0))
            return;
        for (int i = 0; i < old->labels.count; i++)
            list_push(c->a, &e->labels, strcmp(old->labels.items[i], st->label) == 0
                                            ? (void *)st->label2 : old->labels.items[i]);
        from = st->label;
        to = st->label2;
        break;
    case ST_ALTER_ENUM_DROP_VALUE:
        if (!need_label(c, old, st->label, st->label_loc, 1))
            return;
        if (old->labels.count == 1) {
            ERR(c, st->label_loc, "cannot drop label '%s': enum '%s' would have none",
                st->label, old->name);
            return;
        }
        for (int i = 0; i < old->labels.count; i++)
            if (strcmp(old->labels.items[i], st->label) != 0)
                list_push(c->a, &e->labels, old->labels.items[i]);
        break;
    case ST_ALTER_ENUM_RENAME_TYPE:
        if (strcmp(old->name, st->new_name.text) == 0 ||
            schema_enum(c->s, st->new_name.text) ||
            schema_table(c->s, NULL, st->new_name.text) ||
            schema_view(c->s, NULL, st->new_name.text)) {
            ERR(c, st->new_name.loc, "'%s' already names an enum, table or view",
                st->new_name.text);
            return;
        }
        e->name = st->new_name.text;
        e->labels = old->labels;
        /* Under its new name the enum is this revision's: a merge must
         * not take the name's absence on the other branch for a drop. */
        e->created_by = c->rev;
        break;
    case ST_CREATE_OBJECT: case ST_DROP_OBJECT: case ST_RENAME_CONSTRAINT:
    case ST_RENAME_INDEX:
    case ST_CREATE_TABLE: case ST_DROP_TABLE: case ST_RENAME_TABLE: case ST_ADD_COLUMN:
    case ST_DROP_COLUMN: case ST_ALTER_TYPE: case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL: case ST_ALTER_SET_DEFAULT: case ST_ALTER_DROP_DEFAULT:
    case ST_ALTER_RENAME: case ST_CREATE_INDEX: case ST_DROP_INDEX:
    case ST_CREATE_PRIMARY_KEY: case ST_CREATE_UNIQUE: case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY: case ST_DROP_CONSTRAINT: case ST_VALIDATE_CONSTRAINT:
    case ST_UPDATE: case ST_DELETE: case ST_INSERT_SELECT: case ST_EXECUTE:
    case ST_BULK_INSERT: case ST_CALL: case ST_IF: case ST_CREATE_VIEW: case ST_DROP_VIEW:
    case ST_CREATE_TRIGGER: case ST_DROP_TRIGGER: case ST_TABLE_COMMENT:
    case ST_COLUMN_COMMENT: case ST_CREATE_ENUM: case ST_DROP_ENUM:
    case ST_LOCK_TABLE: case ST_CREATE_FUNCTION: case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
        return;   /* not an alter_enum: never passed here */
    }
    if (!retype_columns(c, st, old->name, e, from, to))
        return;
    if (strcmp(e->name, old->name) != 0)
        schema_put_enum(c->s, old->name, NULL);
    schema_put_enum(c->s, e->name, e);
    st->enum_after = e;
}
