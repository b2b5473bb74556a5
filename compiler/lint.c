/*
 * lint.c: deploy hazards; see lint.h.
 *
 * Two walks.  The statement rules walk each revision's upgrade in order,
 * remembering the tables and columns the revision itself created: a
 * statement on those locks nothing anybody else uses.  The merge rule
 * takes each merge revision, finds the revisions that only one of its
 * parents' branches holds, and reports the objects that two such
 * branches both change.
 *
 * The PostgreSQL behaviour behind each rule, and the version where it
 * changed, is in docs/lint.md.
 */
#include "lint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "unparse.h"

/* ---- findings ------------------------------------------------------------ */

/* The start of 1-based line `n` of `f`, or NULL. */
static const char *line_start(const src_file *f, int n)
{
    const char *p = f->text, *end = f->text + f->len;
    for (int line = 1; line < n; line++) {
        p = memchr(p, '\n', (size_t)(end - p));
        if (!p)
            return NULL;
        p++;
    }
    return n >= 1 ? p : NULL;
}

/* Whether the line from `s` holds a comment `retort-lint: ignore RULE
 * [, RULE ...]` that names `rule`. */
static int ignores(const src_file *f, const char *s, const char *rule)
{
    static const char tag[] = "retort-lint:";
    const char *end = memchr(s, '\n', (size_t)(f->text + f->len - s));
    const char *c, *hit = NULL;
    int in_comment = 0;
    if (!end)
        end = f->text + f->len;
    for (c = s; c < end && !hit; c++) {
        if (*c == '#' || (c[0] == '-' && c + 1 < end && c[1] == '-'))
            in_comment = 1;
        if (in_comment && (size_t)(end - c) >= sizeof tag - 1 &&
            !strncmp(c, tag, sizeof tag - 1))
            hit = c;
    }
    if (!hit)
        return 0;
    c = hit + sizeof tag - 1;
    while (c < end && (*c == ' ' || *c == '\t'))
        c++;
    if (end - c < 6 || strncmp(c, "ignore", 6) != 0)
        return 0;
    for (c += 6; c < end;) {
        const char *w;
        while (c < end && !(isalpha((unsigned char)*c) || *c == '-'))
            c++;
        for (w = c; c < end && (isalpha((unsigned char)*c) || *c == '-'); c++)
            ;
        if ((size_t)(c - w) == strlen(rule) && !strncmp(w, rule, strlen(rule)))
            return 1;
    }
    return 0;
}

/* Whether the statement at `loc` is silenced for `rule` by a comment on
 * its own line or on the line above. */
static int silenced_at(src_loc loc, const char *rule)
{
    const char *s;
    if (!loc.file || loc.line < 1)
        return 0;
    if ((s = line_start(loc.file, loc.line)) && ignores(loc.file, s, rule))
        return 1;
    return (s = line_start(loc.file, loc.line - 1)) && ignores(loc.file, s, rule);
}

static void add(arena *a, ptr_list *out, const char *rule, src_loc loc,
                const char *message, const char *hint)
{
    lint_finding *f = arena_alloc(a, sizeof *f);
    f->rule = rule;
    f->loc = loc;
    f->message = message;
    f->hint = hint;
    f->silenced = silenced_at(loc, rule);
    list_push(a, out, f);
}

/* ---- what the revision itself created ------------------------------------ */

typedef struct rev_walk {
    arena *a;
    ptr_list *out;
    ptr_list created;         /* "t <table key>" and "c <table key>.<column>" */
    const char *rev_id;
} rev_walk;

/* A table's identity: "schema.name", with an empty schema when
 * unqualified. */
static const char *table_key(arena *a, const ast_qname *q)
{
    return arena_printf(a, "%s.%s", q->schema.text ? q->schema.text : "",
                        q->name.text ? q->name.text : "");
}

static int created(const rev_walk *w, const char *kind, const char *key)
{
    for (int i = 0; i < w->created.count; i++) {
        const char *s = w->created.items[i];
        if (s[0] == kind[0] && !strcmp(s + 2, key))
            return 1;
    }
    return 0;
}

static void remember(rev_walk *w, const char *kind, const char *key)
{
    list_push(w->a, &w->created, arena_printf(w->a, "%s %s", kind, key));
}

static int new_table(const rev_walk *w, const ast_qname *q)
{
    return created(w, "t", table_key(w->a, q));
}

static const char *column_key(arena *a, const ast_qname *q, const char *col)
{
    return arena_printf(a, "%s.%s", table_key(a, q), col ? col : "");
}

/* ---- the rules ------------------------------------------------------------ */

/* Does changing a column from `from` to `to` rewrite the table on
 * PostgreSQL?  Only binary-coercible changes that need no check of the
 * existing values are free: a longer or unbounded varchar, varchar to
 * text, a numeric with more precision and the same scale. */
static int type_rewrites(const ast_type *from, const ast_type *to)
{
    if (!from)
        return 1;
    if (from->array != to->array)
        return 1;
    if (to->kind == TY_TEXT && !to->array &&
        (from->kind == TY_VARCHAR || from->kind == TY_TEXT))
        return 0;
    if (from->kind != to->kind)
        return 1;
    switch (to->kind) {
    case TY_VARCHAR:
        return !(to->p < 0 || (from->p >= 0 && to->p >= from->p));
    case TY_NUMERIC:
        if (to->p < 0)
            return 0;
        return !(from->p >= 0 && to->p >= from->p && to->s == from->s);
    case TY_RAW:
        return !ast_type_raw_eq(from, to);
    case TY_CHAR:
        return to->p != from->p;
    case TY_SMALLINT: case TY_INTEGER: case TY_BIGINT: case TY_BOOLEAN:
    case TY_REAL: case TY_DOUBLE: case TY_TEXT: case TY_DATE: case TY_TIME:
    case TY_TIMESTAMP: case TY_TIMESTAMPTZ: case TY_BLOB: case TY_JSON:
    case TY_JSONB: case TY_UUID: case TY_INTERVAL:
        return 0;
    case TY_ENUM:
        return from->en && to->en ? strcmp(from->en, to->en) != 0 : 1;
    }
    return 1;
}

/* Whether a default is volatile, so that PostgreSQL (11+) must write it
 * into every existing row: a raw expression calling a volatile function.
 * Constants, current_timestamp and now() are evaluated once. */
static int volatile_default(const ast_expr *e)
{
    static const char *const fns[] = {
        "random(", "clock_timestamp(", "gen_random_uuid(", "uuid_generate_v",
        "timeofday(", "nextval(", "txid_current(", "setseed(",
    };
    char low[512];
    size_t n = 0;
    if (!e || e->kind != EX_RAW || !e->text)
        return 0;
    for (const char *p = e->text; *p && n + 1 < sizeof low; p++)
        if (!isspace((unsigned char)*p))
            low[n++] = (char)tolower((unsigned char)*p);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (strstr(low, fns[i]))
            return 1;
    return 0;
}

/* `expr`, lower case, without spaces, quotes and parentheses. */
static void squeeze(const char *expr, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = expr; p && *p && n + 1 < cap; p++)
        if (!isspace((unsigned char)*p) && *p != '"' && *p != '(' && *p != ')')
            out[n++] = (char)tolower((unsigned char)*p);
    out[n] = '\0';
}

/* Does `t` hold a CHECK (C IS NOT NULL)?  Then PostgreSQL 12+ sets NOT
 * NULL without scanning the table. */
static int has_not_null_check(const sch_table *t, const char *col)
{
    char want[256], got[256];
    if (!t || !col)
        return 0;
    squeeze(col, want, sizeof want - 16);
    strcat(want, "isnotnull");
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind != CONS_CHECK || !k->check)
            continue;
        squeeze(k->check, got, sizeof got);
        if (!strcmp(got, want))
            return 1;
    }
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (!c->check)
            continue;
        squeeze(c->check, got, sizeof got);
        if (!strcmp(got, want))
            return 1;
    }
    return 0;
}

static void walk_body(rev_walk *w, const ptr_list *body);

/* One statement: flag it if it locks or rewrites a table the revision did
 * not create, then remember what it created. */
static void walk_stmt(rev_walk *w, const ast_stmt *st)
{
    arena *a = w->a;
    const char *tname = st->table.name.text ? unparse_qname(a, &st->table) : "";
    int fresh = st->table.name.text && new_table(w, &st->table);
    const char *ckey = st->table.name.text ? column_key(a, &st->table, st->name.text) : "";

    switch (st->kind) {
    case ST_CREATE_TABLE:
        remember(w, "t", table_key(a, &st->table));
        return;
    case ST_RENAME_TABLE:
        if (fresh) {
            ast_qname to = st->table;
            to.name = st->new_name;
            remember(w, "t", table_key(a, &to));
            return;
        }
        add(a, w->out, "breaking-rename", st->loc,
            arena_printf(a, "renaming table %s, which the previous revision had: "
                         "the application still running reads it by its old name", tname),
            "deploy code that works with both names first (a view under the old "
            "name helps), and rename in a later release");
        return;
    case ST_DROP_TABLE:
        if (!fresh)
            add(a, w->out, "breaking-rename", st->loc,
                arena_printf(a, "dropping table %s, which the previous revision had: "
                             "the application still running may use it", tname),
                "stop using the table in a release before the one that drops it");
        return;
    case ST_DROP_COLUMN:
        if (!fresh && !created(w, "c", ckey))
            add(a, w->out, "breaking-rename", st->loc,
                arena_printf(a, "dropping column %s.%s, which the previous revision "
                             "had: the application still running may use it",
                             tname, st->name.text),
                "stop using the column in a release before the one that drops it");
        return;
    case ST_ALTER_RENAME:
        if (!fresh && !created(w, "c", ckey))
            add(a, w->out, "breaking-rename", st->loc,
                arena_printf(a, "renaming column %s.%s, which the previous revision "
                             "had: the application still running uses the old name",
                             tname, st->name.text),
                "add the new column, write both, backfill, and drop the old one in "
                "a later release");
        else
            remember(w, "c", column_key(a, &st->table, st->new_name.text));
        return;
    case ST_ADD_COLUMN:
        remember(w, "c", column_key(a, &st->table, st->column->name.text));
        if (!fresh && volatile_default(st->column->dflt))
            add(a, w->out, "volatile-default", st->loc,
                arena_printf(a, "adding column %s.%s with a volatile default rewrites "
                             "the whole table under an ACCESS EXCLUSIVE lock",
                             tname, st->column->name.text),
                "add the column without a default (or with a constant one), then "
                "backfill in batches and set the default afterwards");
        return;
    case ST_ALTER_TYPE: {
        const ast_coldef *old = st->before ? sch_column(st->before, st->name.text) : NULL;
        if (!fresh && !created(w, "c", ckey) &&
            type_rewrites(old ? &old->type : NULL, &st->type))
            add(a, w->out, "type-rewrite", st->loc,
                arena_printf(a, "changing the type of %s.%s to %s rewrites the table "
                             "and its indexes under an ACCESS EXCLUSIVE lock",
                             tname, st->name.text, unparse_type(a, &st->type)),
                "add a column of the new type, backfill it in batches, switch the "
                "application over, then drop the old column");
        return;
    }
    case ST_ALTER_SET_NOT_NULL:
        if (!fresh && !created(w, "c", ckey) &&
            !has_not_null_check(st->before, st->name.text))
            add(a, w->out, "not-null-rewrite", st->loc,
                arena_printf(a, "setting %s.%s not null scans the whole table under "
                             "an ACCESS EXCLUSIVE lock", tname, st->name.text),
                arena_printf(a, "create_check_constraint ... on %s $$%s IS NOT NULL$$ "
                             "not valid, then validate_constraint, then set not null "
                             "(PostgreSQL 12+ then skips the scan)",
                             tname, st->name.text));
        return;
    case ST_CREATE_INDEX:
        if (!fresh && !st->concurrently)
            add(a, w->out, "index-not-concurrent", st->loc,
                arena_printf(a, "creating index %s blocks writes to %s while it is "
                             "built", st->name.text, tname),
                "create_index ... concurrently, in a revision with `transaction none`");
        return;
    case ST_CREATE_UNIQUE:
        /* `using index`: the index was built before, concurrently or not
         * (create_index has its own rule); taking it is instant. */
        if (!fresh && !st->using_index.text)
            add(a, w->out, "unique-lock", st->loc,
                arena_printf(a, "adding unique constraint %s builds its index while "
                             "blocking writes to %s",
                             st->name.text ? st->name.text : "(unnamed)", tname),
                "create_index ... unique concurrently (transaction none), then "
                "create_unique_constraint N on T using index I");
        return;
    case ST_CREATE_CHECK:
        if (!fresh && !st->not_valid)
            add(a, w->out, "check-not-valid", st->loc,
                arena_printf(a, "adding check constraint %s scans %s under an ACCESS "
                             "EXCLUSIVE lock",
                             st->name.text ? st->name.text : "(unnamed)", tname),
                "create_check_constraint ... not valid, then validate_constraint in a "
                "later revision");
        return;
    case ST_CREATE_FOREIGN_KEY:
        if (!fresh && !st->not_valid)
            add(a, w->out, "fk-not-valid", st->loc,
                arena_printf(a, "adding foreign key %s validates every row of %s while "
                             "holding locks on both tables",
                             st->name.text ? st->name.text : "(unnamed)", tname),
                "create_foreign_key ... not valid, then validate_constraint in a "
                "later revision");
        return;
    case ST_IF:
        walk_body(w, &st->then_body);
        walk_body(w, &st->else_body);
        return;
    case ST_DROP_INDEX:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_CREATE_PRIMARY_KEY:
    case ST_DROP_CONSTRAINT:
    case ST_VALIDATE_CONSTRAINT:   /* SHARE UPDATE EXCLUSIVE: writes go on */
    case ST_LOCK_TABLE:            /* the lock the author asked for */
    case ST_CREATE_FUNCTION:       /* no table */
    case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
    case ST_UPDATE:                /* row locks only */
    case ST_DELETE:
    case ST_INSERT_SELECT:
    case ST_EXECUTE:
    case ST_BULK_INSERT:
    case ST_CALL:                  /* the application's rows: row locks */
    case ST_CREATE_VIEW:           /* no lock on the tables it reads */
    case ST_DROP_VIEW:
    case ST_CREATE_TRIGGER:        /* SHARE ROW EXCLUSIVE, brief: no rewrite */
    case ST_DROP_TRIGGER:
    case ST_TABLE_COMMENT:         /* SHARE UPDATE EXCLUSIVE: writes go on */
    case ST_COLUMN_COMMENT:
    case ST_CREATE_ENUM:           /* a type: no table locked */
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_DROP_ENUM:
    case ST_ALTER_ENUM_RENAME_TYPE:
    case ST_CREATE_OBJECT:         /* extensions, schemas, sequences */
    case ST_DROP_OBJECT:
    case ST_RENAME_CONSTRAINT:     /* a catalog change: no rewrite */
    case ST_RENAME_INDEX:
        return;
    case ST_ALTER_ENUM_DROP_VALUE:
        if (st->retyped.count)
            add(a, w->out, "type-rewrite", st->loc,
                arena_printf(a, "dropping a label of enum %s converts every column "
                             "of that type, rewriting its tables under an ACCESS "
                             "EXCLUSIVE lock", st->name.text),
                "stop writing the label first; drop it in a quiet period");
        return;
    }
}

static void walk_body(rev_walk *w, const ptr_list *body)
{
    for (int i = 0; i < body->count; i++)
        walk_stmt(w, body->items[i]);
}

/* ---- merge hazards ---------------------------------------------------------- */

/* One object a statement changes: `key` says what it is ("column
 * users.email"), `table` the table it belongs to (for the coarse,
 * same-table report), `loc` the statement. */
typedef struct touch {
    const char *key;
    const char *table;
    const char *what;         /* for the message: "column users.email" */
    src_loc loc;
    int fine;                 /* a column, index or constraint, not a table */
} touch;

static void touch_add(arena *a, ptr_list *out, const char *kind, const char *name,
                      const char *table, const char *shown, src_loc loc, int fine)
{
    touch *t = arena_alloc(a, sizeof *t);
    t->key = arena_printf(a, "%s %s", kind, name);
    t->table = table;
    t->what = arena_printf(a, "%s %s", kind, shown);
    t->loc = loc;
    t->fine = fine;
    list_push(a, out, t);
}

static void touches_of(arena *a, const ptr_list *body, ptr_list *out);

static void touches_stmt(arena *a, const ast_stmt *st, ptr_list *out)
{
    const char *tk = st->table.name.text ? table_key(a, &st->table) : NULL;
    const char *tn = st->table.name.text ? unparse_qname(a, &st->table) : NULL;
    const char *col = st->kind == ST_ADD_COLUMN ? st->column->name.text : st->name.text;

    switch (st->kind) {
    case ST_CREATE_TABLE:
    case ST_DROP_TABLE:
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_RENAME_TABLE: {
        ast_qname to = st->table;
        to.name = st->new_name;
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        touch_add(a, out, "table", table_key(a, &to), table_key(a, &to),
                  unparse_qname(a, &to), st->loc, 0);
        return;
    }
    case ST_ADD_COLUMN:
    case ST_DROP_COLUMN:
    case ST_ALTER_TYPE:
    case ST_ALTER_SET_NOT_NULL:
    case ST_ALTER_DROP_NOT_NULL:
    case ST_ALTER_SET_DEFAULT:
    case ST_ALTER_DROP_DEFAULT:
    case ST_ALTER_RENAME:
        touch_add(a, out, "column", arena_printf(a, "%s.%s", tk, col), tk,
                  arena_printf(a, "%s.%s", tn, col), st->loc, 1);
        if (st->kind == ST_ALTER_RENAME)
            touch_add(a, out, "column", arena_printf(a, "%s.%s", tk, st->new_name.text),
                      tk, arena_printf(a, "%s.%s", tn, st->new_name.text), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_CREATE_INDEX:
    case ST_DROP_INDEX:
        /* Index names are one namespace per schema, whatever the table. */
        touch_add(a, out, "index", st->name.text, tk, st->name.text, st->loc, 1);
        if (tk)
            touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_CREATE_PRIMARY_KEY:
    case ST_CREATE_UNIQUE:
    case ST_CREATE_CHECK:
    case ST_CREATE_FOREIGN_KEY:
    case ST_DROP_CONSTRAINT:
    case ST_VALIDATE_CONSTRAINT:
        if (st->using_index.text)
            touch_add(a, out, "index", st->using_index.text, tk, st->using_index.text,
                      st->loc, 1);
        if (st->name.text)
            touch_add(a, out, "constraint", arena_printf(a, "%s on %s", st->name.text, tk),
                      tk, arena_printf(a, "%s on %s", st->name.text, tn), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_CREATE_VIEW:
    case ST_DROP_VIEW:
        /* A view shares the tables' namespace. */
        touch_add(a, out, "view", tk, tk, tn, st->loc, 0);
        return;
    case ST_CREATE_ENUM:
    case ST_ALTER_ENUM_ADD:
    case ST_ALTER_ENUM_RENAME:
    case ST_ALTER_ENUM_DROP_VALUE:
    case ST_DROP_ENUM:
        touch_add(a, out, "enum", st->name.text, NULL, st->name.text, st->loc, 1);
        return;
    case ST_ALTER_ENUM_RENAME_TYPE:
        touch_add(a, out, "enum", st->name.text, NULL, st->name.text, st->loc, 1);
        touch_add(a, out, "enum", st->new_name.text, NULL, st->new_name.text, st->loc, 1);
        return;
    case ST_CREATE_OBJECT:
    case ST_DROP_OBJECT: {
        const char *kind = ast_object_word((enum ast_object_kind)st->object);
        touch_add(a, out, kind, st->name.text, NULL, st->name.text, st->loc, 1);
        return;
    }
    case ST_RENAME_CONSTRAINT:
        touch_add(a, out, "constraint", arena_printf(a, "%s on %s", st->name.text, tk),
                  tk, arena_printf(a, "%s on %s", st->name.text, tn), st->loc, 1);
        touch_add(a, out, "constraint", arena_printf(a, "%s on %s", st->new_name.text, tk),
                  tk, arena_printf(a, "%s on %s", st->new_name.text, tn), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_RENAME_INDEX:
        touch_add(a, out, "index", st->name.text, tk, st->name.text, st->loc, 1);
        touch_add(a, out, "index", st->new_name.text, tk, st->new_name.text, st->loc, 1);
        if (tk)
            touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_TABLE_COMMENT:
        touch_add(a, out, "comment", arena_printf(a, "on %s", tk), tk,
                  arena_printf(a, "on %s", tn), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_COLUMN_COMMENT:
        touch_add(a, out, "comment", arena_printf(a, "on %s.%s", tk, col), tk,
                  arena_printf(a, "on %s.%s", tn, col), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_CREATE_TRIGGER:
    case ST_DROP_TRIGGER:
        touch_add(a, out, "trigger", arena_printf(a, "%s on %s", st->name.text, tk),
                  tk, arena_printf(a, "%s on %s", st->name.text, tn), st->loc, 1);
        touch_add(a, out, "table", tk, tk, tn, st->loc, 0);
        return;
    case ST_IF:
        touches_of(a, &st->then_body, out);
        touches_of(a, &st->else_body, out);
        return;
    case ST_EXECUTE:
    case ST_BULK_INSERT:
    case ST_LOCK_TABLE:
    case ST_CALL:
    case ST_UPDATE:
    case ST_DELETE:
    case ST_INSERT_SELECT:
    case ST_CREATE_FUNCTION:      /* not followed for merge hazards (yet) */
    case ST_REPLACE_FUNCTION:
    case ST_DROP_FUNCTION:
        /* Rows, not the schema: no object the merge could conflict on. */
        return;
    }
}

static void touches_of(arena *a, const ptr_list *body, ptr_list *out)
{
    for (int i = 0; i < body->count; i++)
        touches_stmt(a, body->items[i], out);
}

/* mark[i] = 1 for `node` and every revision it needs (parents and
 * depends_on), walking back through the topological order. */
static void ancestors(const rev_graph *g, int node, unsigned char *mark)
{
    memset(mark, 0, (size_t)g->count);
    mark[node] = 1;
    for (int i = node; i >= 0; i--) {
        if (!mark[i])
            continue;
        const rev_node *n = &g->nodes[i];
        for (int k = 0; k < n->parent_count; k++)
            mark[n->parents[k]] = 1;
        for (int k = 0; k < n->depends_count; k++)
            mark[n->depends[k]] = 1;
    }
}

static const touch *find_touch(const ptr_list *l, const char *key)
{
    for (int i = 0; i < l->count; i++) {
        const touch *t = l->items[i];
        if (!strcmp(t->key, key))
            return t;
    }
    return NULL;
}

static int listed(const ptr_list *l, const char *s)
{
    for (int i = 0; i < l->count; i++)
        if (!strcmp(l->items[i], s))
            return 1;
    return 0;
}

/* The objects two branches of merge `m` both change.  Fine keys
 * (columns, indexes, constraints) are reported one by one; two branches
 * that change the same table in different places are reported once for
 * the table. */
static void merge_pair(arena *a, const rev_node *m, const ptr_list *x,
                       const ptr_list *y, ptr_list *out)
{
    ptr_list reported = {0};
    for (int pass = 1; pass >= 0; pass--)
        for (int i = 0; i < y->count; i++) {
            const touch *ty = y->items[i], *tx;
            if (ty->fine != pass || listed(&reported, ty->key) ||
                (!pass && listed(&reported, ty->table ? ty->table : "")))
                continue;
            if (!(tx = find_touch(x, ty->key)))
                continue;
            list_push(a, &reported, (void *)ty->key);
            if (ty->table)
                list_push(a, &reported, (void *)ty->table);
            lint_finding *f = arena_alloc(a, sizeof *f);
            f->rule = "merge-conflict";
            f->loc = ty->loc;
            f->other = tx->loc;
            f->message = arena_printf(a, "the branches that revision %s merges both "
                                      "change %s", m->rev->id.text, ty->what);
            f->hint = "check that the two changes agree, and order them in the merge "
                      "revision or a revision after it";
            f->silenced = silenced_at(ty->loc, f->rule);
            list_push(a, out, f);
        }
}

void lint_merges(arena *a, const rev_graph *g, ptr_list *out)
{
    unsigned char *mine = NULL, *theirs = NULL;
    for (int mi = 0; mi < g->count; mi++) {
        const rev_node *m = &g->nodes[mi];
        if (m->parent_count < 2)
            continue;
        if (!mine) {
            mine = xcalloc((size_t)g->count + 1, 1);
            theirs = xcalloc((size_t)g->count + 1, 1);
        }
        /* side[k]: what only parent k's branch changed. */
        ptr_list *side = arena_alloc(a, sizeof *side * (size_t)m->parent_count);
        for (int k = 0; k < m->parent_count; k++) {
            ancestors(g, m->parents[k], mine);
            memset(theirs, 0, (size_t)g->count);
            for (int j = 0; j < m->parent_count; j++) {
                if (j == k)
                    continue;
                unsigned char *tmp = xcalloc((size_t)g->count + 1, 1);
                ancestors(g, m->parents[j], tmp);
                for (int i = 0; i < g->count; i++)
                    theirs[i] |= tmp[i];
                free(tmp);
            }
            memset(&side[k], 0, sizeof side[k]);
            for (int i = 0; i < g->count; i++)
                if (mine[i] && !theirs[i])
                    touches_of(a, &g->nodes[i].rev->upgrade, &side[k]);
        }
        for (int k = 0; k < m->parent_count; k++)
            for (int j = k + 1; j < m->parent_count; j++)
                merge_pair(a, m, &side[k], &side[j], out);
    }
    free(mine);
    free(theirs);
}

void lint_run(arena *a, const rev_graph *g, ptr_list *out)
{
    for (int i = 0; i < g->count; i++) {
        rev_walk w = {a, out, {0}, g->nodes[i].rev->id.text};
        walk_body(&w, &g->nodes[i].rev->upgrade);
    }
    lint_merges(a, g, out);
}

/* ---- output ------------------------------------------------------------------ */

void lint_print_text(FILE *out, const ptr_list *findings)
{
    diag d;
    diag_init(&d, out);
    for (int i = 0; i < findings->count; i++) {
        const lint_finding *f = findings->items[i];
        if (f->silenced) {
            diag_note(&d, f->loc, "[%s] silenced by a retort-lint comment: %s",
                      f->rule, f->message);
            continue;
        }
        diag_warning(&d, f->loc, "[%s] %s", f->rule, f->message);
        if (f->other.file)
            diag_note(&d, f->other, "the other branch changes it here");
        fprintf(out, "    hint: %s\n", f->hint);
    }
}

static void json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

static void json_loc(FILE *out, const char *name, src_loc loc)
{
    fprintf(out, "\"%s\": {\"file\": ", name);
    json_string(out, loc.file ? loc.file->path : "");
    fprintf(out, ", \"line\": %d, \"column\": %d}", loc.line, loc.col);
}

void lint_print_json(FILE *out, const ptr_list *findings)
{
    fputs("[", out);
    for (int i = 0; i < findings->count; i++) {
        const lint_finding *f = findings->items[i];
        fputs(i ? ",\n " : "\n ", out);
        fputs("{\"rule\": ", out);
        json_string(out, f->rule);
        fputs(", ", out);
        json_loc(out, "at", f->loc);
        fputs(", \"message\": ", out);
        json_string(out, f->message);
        fputs(", \"hint\": ", out);
        json_string(out, f->hint);
        fprintf(out, ", \"silenced\": %s", f->silenced ? "true" : "false");
        if (f->other.file) {
            fputs(", ", out);
            json_loc(out, "other", f->other);
        }
        fputs("}", out);
    }
    fputs(findings->count ? "\n]\n" : "]\n", out);
}
