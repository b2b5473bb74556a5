/*
 * cname.c: the names PostgreSQL gives constraints that the history leaves
 * unnamed (SPEC section 2), so that `drop_constraint users_team_id_fkey on
 * users` works on every dialect.
 *
 * The rules are PostgreSQL 15's (makeObjectName, ChooseConstraintName,
 * ChooseRelationName, ChooseIndexNameAddition): `<table>_<columns>_<label>`
 * with the columns joined by `_`, cut to 63 bytes by shortening the longer
 * of the table and column parts one byte at a time (never inside a UTF-8
 * character), and a number after the label (`_fkey1`, `_fkey2`, ...) while
 * the name is taken.  A CHECK is named after its column when its
 * expression reads exactly one column of the table, else `<table>_check`;
 * a PRIMARY KEY is always `<table>_pkey`.  A CHECK or FOREIGN KEY must not
 * share its name with any constraint of the same schema; the index behind
 * a PRIMARY KEY or UNIQUE must not share it with a table or index either.
 * The names are given when the constraint is created and never change
 * (PostgreSQL keeps them through table and column renames).
 */
#include "sema_int.h"
#include "sqlword.h"

#include <string.h>

#define NAMEDATALEN 64

static const char *const labels[] = {
    [CONS_PRIMARY_KEY] = "pkey", [CONS_UNIQUE] = "key",
    [CONS_CHECK] = "check", [CONS_FOREIGN_KEY] = "fkey",
};

/* The longest prefix of s[0..n) that does not cut a UTF-8 character
 * (pg_mbcliplen on a UTF-8 database). */
static size_t clip(const char *s, size_t n)
{
    if (n < strlen(s))
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    return n;
}

/* makeObjectName(): name1[_name2][_label] in at most 63 bytes. */
static const char *object_name(arena *a, const char *name1, const char *name2,
                               const char *label)
{
    size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
    size_t overhead = (name2 ? 1 : 0) + strlen(label) + 1;
    size_t avail = NAMEDATALEN - 1 - overhead;
    while (n1 + n2 > avail) {
        if (n1 > n2)
            n1--;
        else
            n2--;
    }
    n1 = clip(name1, n1);
    if (name2)
        n2 = clip(name2, n2);
    return arena_printf(a, "%.*s%s%.*s_%s", (int)n1, name1, name2 ? "_" : "",
                        (int)n2, name2 ? name2 : "", label);
}

/* ChooseIndexNameAddition(): the column names joined by `_`, stopping
 * once 64 bytes are reached. */
static const char *columns_part(arena *a, const ptr_list *names)
{
    char buf[NAMEDATALEN * 2 + 1];
    size_t len = 0;
    for (int i = 0; i < names->count; i++) {
        const char *n = ((const ast_name *)names->items[i])->text;
        size_t k = strlen(n);
        if (k > NAMEDATALEN - 1)
            k = NAMEDATALEN - 1;
        if (len > 0)
            buf[len++] = '_';
        memcpy(buf + len, n, k);
        len += k;
        if (len >= NAMEDATALEN)
            break;
    }
    buf[len] = '\0';
    return arena_strdup(a, buf);
}

/* The one column of `t` that a CHECK expression reads, or NULL when it
 * reads none or several (PostgreSQL counts the distinct columns of the
 * parsed expression). */
static const char *check_column(arena *a, const sch_table *t, const char *sql)
{
    const char *found = NULL;
    const char *p = sql ? sql : "";
    sql_word w;
    while (sqlword_next(&p, &w)) {
        if (!w.column)
            continue;
        const ast_coldef *col = sch_column(t, w.text);
        if (!col)
            continue;
        if (found && strcmp(found, col->name.text) != 0)
            return NULL;
        found = col->name.text;
    }
    return found ? arena_strdup(a, found) : NULL;
}

/* Whether column `col` carries a column-level constraint of `kind`. */
static int column_has(const ast_coldef *col, enum ast_constraint_kind kind)
{
    return kind == CONS_PRIMARY_KEY ? col->primary_key
         : kind == CONS_UNIQUE ? col->unique
         : kind == CONS_CHECK ? col->check != NULL
         : col->references != NULL;
}

/* The middle of a default name (makeObjectName's name2): none for a
 * PRIMARY KEY, the one column a CHECK reads (or none), else the columns. */
static const char *column_part(arena *a, const sch_table *t,
                               const ast_coldef *col,
                               enum ast_constraint_kind kind)
{
    return kind == CONS_PRIMARY_KEY ? NULL
         : kind == CONS_CHECK ? check_column(a, t, col->check)
         : col->name.text;
}

static const char *table_part(arena *a, const sch_table *t,
                              const ast_constraint *k)
{
    return k->kind == CONS_PRIMARY_KEY ? NULL
         : k->kind == CONS_CHECK ? check_column(a, t, k->check)
         : columns_part(a, &k->columns);
}

typedef struct namer {
    sctx *c;
    const sch_table *t;       /* the new version, not installed yet */
    ptr_list taken;           /* const char*: chosen in this statement */
} namer;

static int taken(namer *m, const char *name, int relations)
{
    for (int i = 0; i < m->taken.count; i++)
        if (strcmp(m->taken.items[i], name) == 0)
            return 1;
    if (sch_has_constraint(m->t, name))
        return 1;
    if (relations && strcmp(m->t->name.name.text, name) == 0)
        return 1;
    return schema_name_used(m->c->s, m->t->name.schema.text, name, relations);
}

/* ChooseConstraintName() / ChooseRelationName(). */
static const char *choose(namer *m, enum ast_constraint_kind kind,
                          const char *name2)
{
    arena *a = m->c->a;
    const char *table = m->t->name.name.text;
    int relations = kind == CONS_PRIMARY_KEY || kind == CONS_UNIQUE;
    const char *name = object_name(a, table, name2, labels[kind]);
    for (int pass = 1; taken(m, name, relations); pass++)
        name = object_name(a, table, name2,
                           arena_printf(a, "%s%d", labels[kind], pass));
    list_push(a, &m->taken, (void *)name);
    return name;
}

static int same_names(const ptr_list *x, const ptr_list *y)
{
    if (x->count != y->count)
        return 0;
    for (int i = 0; i < x->count; i++)
        if (strcmp(((const ast_name *)x->items[i])->text,
                   ((const ast_name *)y->items[i])->text) != 0)
            return 0;
    return 1;
}

static ptr_list one_name(arena *a, const ast_coldef *col)
{
    ptr_list l = {0};
    list_push(a, &l, (void *)&col->name);
    return l;
}

/* Whether a UNIQUE on `cols` repeats a key of `keys`: PostgreSQL (and
 * SQLite, but for a UNIQUE on its rowid, INTEGER PRIMARY KEY, where it
 * makes a redundant index) merges it into that key. */
static int repeated_key(const ptr_list *keys, const ptr_list *cols)
{
    for (int j = 0; j < keys->count; j++)
        if (same_names(keys->items[j], cols))
            return 1;
    return 0;
}

/* The unnamed constraints that `t` gains from columns[from_col..] and
 * constraints[from_cons..], in the order PostgreSQL creates them: CHECKs,
 * the PRIMARY KEY, UNIQUEs, FOREIGN KEYs; column-level ones before
 * table-level ones.  An unnamed UNIQUE that repeats the columns of the
 * primary key or of an earlier key is merged into it, as PostgreSQL does:
 * it leaves `t`.  The model follows PostgreSQL on SQLite too, so that
 * both agree once the key is dropped.  The columns and constraints of `t` may be the AST's
 * (shared by every walk of the history: `retort schema` walks it again
 * for one dialect), so a named or changed one is a copy in `t`: another
 * walk starts from the history as written and gives the same model. */
void cname_assign(sctx *c, sch_table *t, int from_col, int from_cons)
{
    namer m = {c, t, {0}};
    arena *a = c->a;
    ptr_list keys = {0};      /* ptr_list*: column lists of keys so far */
    static const enum ast_constraint_kind order[] = {
        CONS_CHECK, CONS_PRIMARY_KEY, CONS_UNIQUE, CONS_FOREIGN_KEY,
    };
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *col = t->columns.items[i];
        if (col->primary_key) {
            ptr_list *l = arena_alloc(a, sizeof *l);
            *l = one_name(a, col);
            list_push(a, &keys, l);
        }
    }
    for (int i = 0; i < t->constraints.count; i++) {
        ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_PRIMARY_KEY)
            list_push(a, &keys, &k->columns);
    }
    /* An identity's sequence is made with its column, before the
     * constraints are named (transformColumnDefinition). */
    for (int i = from_col; i < t->columns.count; i++) {
        ast_coldef *col = t->columns.items[i];
        if (!col->autoincrement || col->identity_seq ||
            (col->type.kind != TY_SMALLINT && col->type.kind != TY_INTEGER &&
             col->type.kind != TY_BIGINT) || col->type.array)
            continue;
        ast_coldef *n = arena_alloc(a, sizeof *n);
        *n = *col;
        const char *name = object_name(a, t->name.name.text, n->name.text, "seq");
        for (int pass = 1; taken(&m, name, 1); pass++)
            name = object_name(a, t->name.name.text, n->name.text,
                               arena_printf(a, "seq%d", pass));
        list_push(a, &m.taken, (void *)name);
        n->identity_seq = name;
        t->columns.items[i] = n;
    }
    for (int o = 0; o < 4; o++) {
        enum ast_constraint_kind kind = order[o];
        for (int i = from_col; i < t->columns.count; i++) {
            ast_coldef *col = t->columns.items[i];
            if (!column_has(col, kind) || col->cons_name[kind])
                continue;
            ptr_list cols = one_name(a, col);
            ast_coldef *n = arena_alloc(a, sizeof *n);
            *n = *col;
            t->columns.items[i] = n;
            if (kind == CONS_UNIQUE) {
                if (repeated_key(&keys, &cols)) {
                    n->unique = 0;
                    continue;
                }
                ptr_list *l = arena_alloc(a, sizeof *l);
                *l = one_name(a, n);
                list_push(a, &keys, l);
            }
            n->cons_name[kind] = choose(&m, kind, column_part(a, t, n, kind));
        }
        for (int i = from_cons; i < t->constraints.count; i++) {
            ast_constraint *k = t->constraints.items[i];
            if (k->kind != kind || k->name.text || k->pg_name)
                continue;
            if (kind == CONS_UNIQUE) {
                if (repeated_key(&keys, &k->columns)) {
                    memmove(&t->constraints.items[i], &t->constraints.items[i + 1],
                            sizeof(void *) * (size_t)(t->constraints.count - i - 1));
                    t->constraints.count--;
                    i--;
                    continue;
                }
                list_push(a, &keys, &k->columns);
            }
            ast_constraint *n = arena_alloc(a, sizeof *n);
            *n = *k;
            n->pg_name = choose(&m, kind, table_part(a, t, n));
            t->constraints.items[i] = n;
        }
    }
}

/* A name chosen for the table's text: taken when a constraint of `named`
 * (explicit names) or `chosen` (given so far) has it, in any case, since
 * the migrator compares them so (db_sqlite_names.c). */
static int text_taken(const ptr_list *named, const ptr_list *chosen,
                      const char *name)
{
    for (int i = 0; i < named->count; i++)
        if (sqlword_eq(named->items[i], name))
            return 1;
    for (int i = 0; i < chosen->count; i++)
        if (sqlword_eq(chosen->items[i], name))
            return 1;
    return 0;
}

/* Why not cname_assign(): PostgreSQL named the constraint once, with the
 * table and columns as they were and numbers counted across the schema;
 * SQLite's migrator names it each time it reads the table's text, with
 * the names the text holds now and numbers counted within the table.  The
 * order of naming is the same (CHECKs, the PRIMARY KEY, UNIQUEs, FOREIGN
 * KEYs; column-level before table-level), and the keys that cname_assign
 * merged are already gone from `t`. */
const char *cname_text_name(arena *a, const sch_table *t, const char *name)
{
    static const enum ast_constraint_kind order[] = {
        CONS_CHECK, CONS_PRIMARY_KEY, CONS_UNIQUE, CONS_FOREIGN_KEY,
    };
    ptr_list named = {0}, chosen = {0};
    const char *table = t->name.name.text;
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->name.text)
            list_push(a, &named, (void *)k->name.text);
    }
    for (int o = 0; o < 4; o++) {
        enum ast_constraint_kind kind = order[o];
        int ncols = t->columns.count, n = ncols + t->constraints.count;
        for (int i = 0; i < n; i++) {
            const char *pg, *name2;
            if (i < ncols) {
                const ast_coldef *col = t->columns.items[i];
                pg = col->cons_name[kind];
                if (!column_has(col, kind) || !pg)
                    continue;
                name2 = column_part(a, t, col, kind);
            } else {
                const ast_constraint *k = t->constraints.items[i - ncols];
                pg = k->pg_name;
                if (k->kind != kind || k->name.text || !pg)
                    continue;
                name2 = table_part(a, t, k);
            }
            const char *text = object_name(a, table, name2, labels[kind]);
            for (int pass = 1; text_taken(&named, &chosen, text); pass++)
                text = object_name(a, table, name2,
                                   arena_printf(a, "%s%d", labels[kind], pass));
            list_push(a, &chosen, (void *)text);
            if (strcmp(pg, name) == 0)
                return strcmp(text, name) == 0 ? NULL : text;
        }
    }
    return NULL;
}

/* Unlike CREATE TABLE, ALTER TABLE ... ADD UNIQUE makes a new key even on
 * the columns of an existing one, so nothing is merged here. */
const char *cname_added(sctx *c, const sch_table *t, const ast_constraint *k)
{
    namer m = {c, t, {0}};
    return choose(&m, k->kind, table_part(c->a, t, k));
}

/* The name PostgreSQL gives the identity sequence of column `col` of `t`
 * when the table is made as it is now, with no other relation in the way
 * (what `retort schema` output makes). */
const char *cname_identity_seq(arena *a, const sch_table *t, const ast_coldef *col)
{
    return object_name(a, t->name.name.text, col->name.text, "seq");
}
