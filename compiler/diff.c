/*
 * diff.c: schema against schema; see diff.h.
 *
 * compare() walks both schemas once and records every difference as a
 * `change`.  diff_describe() words each change; diff_plan() turns them
 * into steps sorted into phases, so that nothing is used before it exists
 * or dropped while something still needs it:
 *
 *     drop foreign keys, indexes, other constraints   (on kept tables)
 *     column changes on kept tables                   (add, alter, drop)
 *     drop tables                                     (referencing first)
 *     create tables with their indexes                (referenced first)
 *     add columns that reference a new table
 *     create constraints, indexes, foreign keys       (on kept tables)
 *
 * with views and triggers dropped before everything else and created
 * after it (a view or trigger compares by name and by its body, one per
 * dialect; one whose body changed is dropped and created again).
 *
 * The downgrade is the same steps undone in reverse order.
 */
#include "ast_make.h"
#include "diff.h"

#include <ctype.h>
#include <string.h>

#include "unparse.h"

/* ---- equality ---------------------------------------------------------- */

static int str_eq(const char *x, const char *y)
{
    return x && y ? !strcmp(x, y) : x == y;
}

static const char *skip_space(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

/* Raw SQL with runs of white space taken as one: re-indenting a check or
 * a predicate in the model is not a schema change. */
static int sql_eq(const char *x, const char *y)
{
    if (!x || !y)
        return x == y;
    x = skip_space(x);
    y = skip_space(y);
    while (*x && *y) {
        if (isspace((unsigned char)*x) && isspace((unsigned char)*y)) {
            x = skip_space(x);
            y = skip_space(y);
            continue;
        }
        if (*x != *y)
            return 0;
        x++, y++;
    }
    return !*skip_space(x) && !*skip_space(y);
}

static int qname_eq(const ast_qname *x, const ast_qname *y)
{
    return str_eq(x->schema.text, y->schema.text) &&
           str_eq(x->name.text, y->name.text);
}

static int takes_args(enum ast_type_kind k)
{
    return k == TY_NUMERIC || k == TY_VARCHAR || k == TY_CHAR;
}

static int type_eq(const ast_type *x, const ast_type *y)
{
    if (x->kind != y->kind || x->array != y->array)
        return 0;
    if (x->kind == TY_RAW) {
        for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
            if (!sql_eq(ast_type_raw(x, (enum retort_dialect)d),
                        ast_type_raw(y, (enum retort_dialect)d)))
                return 0;
        return 1;
    }
    if (x->kind == TY_ENUM)
        return str_eq(x->en, y->en);
    return !takes_args(x->kind) || (x->p == y->p && x->s == y->s);
}

/* `default null` is the same as no default. */
static const ast_expr *real_default(const ast_expr *e)
{
    return e && e->kind != EX_NULL ? e : NULL;
}

static int expr_eq(const ast_expr *x, const ast_expr *y)
{
    x = real_default(x);
    y = real_default(y);
    if (!x || !y)
        return x == y;
    if (x->kind != y->kind)
        return 0;
    if (x->kind == EX_RAW)
        return sql_eq(x->text, y->text);
    return str_eq(x->text, y->text);
}

static int names_eq(const ptr_list *x, const ptr_list *y)
{
    if (x->count != y->count)
        return 0;
    for (int i = 0; i < x->count; i++)
        if (!str_eq(((ast_name *)x->items[i])->text,
                    ((ast_name *)y->items[i])->text))
            return 0;
    return 1;
}

/* No action is what an unspecified action means in both dialects. */
static enum ast_fk_action action(enum ast_fk_action a)
{
    return a == FK_UNSPECIFIED ? FK_NO_ACTION : a;
}

static int ref_eq(const ast_reference *x, const ast_reference *y)
{
    if (!x || !y)
        return x == y;
    return qname_eq(&x->table, &y->table) &&
           names_eq(&x->columns, &y->columns) &&
           action(x->on_delete) == action(y->on_delete) &&
           action(x->on_update) == action(y->on_update) &&
           x->deferral == y->deferral;
}

static int index_eq(const sch_index *x, const sch_index *y)
{
    if (!qname_eq(&x->table, &y->table) || !x->unique != !y->unique ||
        !str_eq(x->method, y->method) ||
        !sql_eq(x->where, y->where) || x->elems.count != y->elems.count)
        return 0;
    for (int i = 0; i < x->elems.count; i++) {
        const ast_index_elem *e = x->elems.items[i], *f = y->elems.items[i];
        if (!str_eq(e->column.text, f->column.text) ||
            !sql_eq(e->expr, f->expr) || !str_eq(e->opclass, f->opclass) ||
            (e->order ? e->order : 1) != (f->order ? f->order : 1))
            return 0;
    }
    return 1;
}

static ast_coldef *find_column(const sch_table *t, const char *name)
{
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *c = t->columns.items[i];
        if (str_eq(c->name.text, name))
            return c;
    }
    return NULL;
}

static const sch_table *other_table(const schema *s, const sch_table *t)
{
    return schema_table(s, t->name.schema.text, t->name.name.text);
}

/* Not null as the database enforces it: primary key columns are. */
static int not_null(const sch_table *t, const ast_coldef *c)
{
    if (c->not_null || c->primary_key)
        return 1;
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind != CONS_PRIMARY_KEY)
            continue;
        for (int j = 0; j < k->columns.count; j++)
            if (str_eq(((ast_name *)k->columns.items[j])->text, c->name.text))
                return 1;
    }
    return 0;
}

/* ---- constraints, normalized ------------------------------------------- */

/* A constraint of either form.  Column-level ones are rewritten as the
 * table constraint they stand for, without a name. */
typedef struct ncons {
    ast_constraint def;
    const ast_coldef *column;   /* declared on this column, or NULL */
    struct ncons *match;        /* its counterpart on the other side */
} ncons;

static int cons_eq(const ast_constraint *x, const ast_constraint *y)
{
    if (x->kind != y->kind)
        return 0;
    switch (x->kind) {
    case CONS_PRIMARY_KEY:
    case CONS_UNIQUE:
        return names_eq(&x->columns, &y->columns) && x->deferral == y->deferral;
    case CONS_CHECK:
        return sql_eq(x->check, y->check);
    case CONS_FOREIGN_KEY:
        return names_eq(&x->columns, &y->columns) &&
               ref_eq(x->references, y->references);
    }
    return 0;
}

static void push_col_cons(arena *a, ptr_list *out, const ast_coldef *c,
                          enum ast_constraint_kind kind)
{
    ncons *n = arena_alloc(a, sizeof *n);
    n->def.kind = kind;
    n->column = c;
    if (kind != CONS_CHECK)
        list_push(a, &n->def.columns, (void *)&c->name);
    n->def.check = c->check;
    n->def.references = c->references;
    list_push(a, out, n);
}

/* The constraints of `t`, leaving out those declared on a column that
 * `other` lacks: they come and go with their column. */
static void normalize(arena *a, const sch_table *t, const sch_table *other,
                      ptr_list *out)
{
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (!find_column(other, c->name.text))
            continue;
        if (c->primary_key)
            push_col_cons(a, out, c, CONS_PRIMARY_KEY);
        if (c->unique)
            push_col_cons(a, out, c, CONS_UNIQUE);
        if (c->references)
            push_col_cons(a, out, c, CONS_FOREIGN_KEY);
        if (c->check)
            push_col_cons(a, out, c, CONS_CHECK);
    }
    for (int i = 0; i < t->constraints.count; i++) {
        ncons *n = arena_alloc(a, sizeof *n);
        n->def = *(const ast_constraint *)t->constraints.items[i];
        list_push(a, out, n);
    }
}

/* Pairs the two sides: by name first, then by definition when one side
 * has no name (an unnamed constraint can only be told by what it does). */
static void match_constraints(ptr_list *h, ptr_list *m)
{
    for (int i = 0; i < m->count; i++) {
        ncons *y = m->items[i];
        for (int j = 0; y->def.name.text && j < h->count; j++) {
            ncons *x = h->items[j];
            if (!x->match && str_eq(x->def.name.text, y->def.name.text)) {
                x->match = y, y->match = x;
                break;
            }
        }
    }
    for (int i = 0; i < m->count; i++) {
        ncons *y = m->items[i];
        for (int j = 0; !y->match && j < h->count; j++) {
            ncons *x = h->items[j];
            if (!x->match && (!x->def.name.text || !y->def.name.text) &&
                cons_eq(&x->def, &y->def))
                x->match = y, y->match = x;
        }
    }
}

/* ---- the comparison ---------------------------------------------------- */

enum change_kind {
    CH_TABLE_ADD, CH_TABLE_DROP,
    CH_COL_ADD, CH_COL_DROP, CH_COL_TYPE, CH_COL_NULL, CH_COL_DEFAULT,
    CH_COL_AUTOINC,
    CH_INDEX_ADD, CH_INDEX_DROP, CH_INDEX_CHANGE,
    CH_CONS_ADD, CH_CONS_DROP, CH_CONS_CHANGE,
    CH_VIEW_ADD, CH_VIEW_DROP, CH_VIEW_CHANGE,
    CH_TRIGGER_ADD, CH_TRIGGER_DROP, CH_TRIGGER_CHANGE,
    CH_TABLE_COMMENT, CH_COL_COMMENT,
    CH_ENUM_ADD, CH_ENUM_DROP, CH_ENUM_CHANGE
};

/* One difference.  h* is the history's side, m* the model's; a side is
 * NULL where the object is absent. */
typedef struct change {
    enum change_kind kind;
    const sch_table *ht, *mt;
    const ast_coldef *hc, *mc;
    const sch_index *hi, *mi;
    const ncons *hk, *mk;
    const sch_view *hv, *mv;
    const sch_trigger *hg, *mg;
    const sch_enum *he, *me;
} change;

static change *add_change(arena *a, ptr_list *out, enum change_kind kind,
                          const sch_table *ht, const sch_table *mt)
{
    change *c = arena_alloc(a, sizeof *c);
    c->kind = kind;
    c->ht = ht;
    c->mt = mt;
    list_push(a, out, c);
    return c;
}

static void compare_columns(arena *a, ptr_list *out, const sch_table *ht,
                            const sch_table *mt, const ast_coldef *hc,
                            const ast_coldef *mc)
{
    static const enum change_kind kinds[] = {
        CH_COL_TYPE, CH_COL_NULL, CH_COL_DEFAULT, CH_COL_AUTOINC};
    int differs[] = {
        !type_eq(&hc->type, &mc->type),
        not_null(ht, hc) != not_null(mt, mc),
        !expr_eq(hc->dflt, mc->dflt),
        !hc->autoincrement != !mc->autoincrement,
    };
    for (int i = 0; i < 4; i++) {
        if (!differs[i])
            continue;
        change *c = add_change(a, out, kinds[i], ht, mt);
        c->hc = hc;
        c->mc = mc;
    }
}

static void compare_tables(arena *a, ptr_list *out, const sch_table *ht,
                           const sch_table *mt)
{
    if (!str_eq(ht->comment, mt->comment))
        add_change(a, out, CH_TABLE_COMMENT, ht, mt);
    for (int i = 0; i < ht->columns.count; i++) {
        const ast_coldef *hc = ht->columns.items[i];
        if (!find_column(mt, hc->name.text))
            add_change(a, out, CH_COL_DROP, ht, mt)->hc = hc;
    }
    for (int i = 0; i < mt->columns.count; i++) {
        const ast_coldef *mc = mt->columns.items[i];
        const ast_coldef *hc = find_column(ht, mc->name.text);
        if (!hc) {
            add_change(a, out, CH_COL_ADD, ht, mt)->mc = mc;
        } else {
            compare_columns(a, out, ht, mt, hc, mc);
            if (!str_eq(hc->comment, mc->comment)) {
                change *c = add_change(a, out, CH_COL_COMMENT, ht, mt);
                c->hc = hc;
                c->mc = mc;
            }
        }
    }

    ptr_list hk = {0}, mk = {0};
    normalize(a, ht, mt, &hk);
    normalize(a, mt, ht, &mk);
    match_constraints(&hk, &mk);
    for (int i = 0; i < hk.count; i++) {
        ncons *x = hk.items[i];
        if (!x->match)
            add_change(a, out, CH_CONS_DROP, ht, mt)->hk = x;
        else if (!cons_eq(&x->def, &x->match->def)) {
            change *c = add_change(a, out, CH_CONS_CHANGE, ht, mt);
            c->hk = x;
            c->mk = x->match;
        }
    }
    for (int i = 0; i < mk.count; i++) {
        ncons *y = mk.items[i];
        if (!y->match)
            add_change(a, out, CH_CONS_ADD, ht, mt)->mk = y;
    }
}

/* Indexes of the tables that both schemas have, by name: those of a table
 * only one side has come and go with their table. */
static const sch_index *kept_index(const schema *s, const schema *other,
                                   const char *name, const sch_table **owner)
{
    const sch_index *ix = schema_index(s, name);
    if (!ix)
        return NULL;
    const sch_table *t = schema_table(s, ix->table.schema.text,
                                      ix->table.name.text);
    if (!t || !other_table(other, t))
        return NULL;
    *owner = t;
    return ix;
}

static void compare_indexes(arena *a, ptr_list *out, const schema *h,
                            const schema *m, const ptr_list *htables,
                            const ptr_list *mtables)
{
    for (int i = 0; i < htables->count; i++) {
        const sch_table *ht = htables->items[i];
        if (!other_table(m, ht))
            continue;
        for (int j = 0; j < ht->indexes.count; j++) {
            const sch_index *hi = ht->indexes.items[j];
            const sch_table *mt = NULL;
            const sch_index *mi = kept_index(m, h, hi->name, &mt);
            if (mi && index_eq(hi, mi))
                continue;
            change *c = add_change(a, out, mi ? CH_INDEX_CHANGE : CH_INDEX_DROP,
                                   ht, mt);
            c->hi = hi;
            c->mi = mi;
        }
    }
    for (int i = 0; i < mtables->count; i++) {
        const sch_table *mt = mtables->items[i];
        if (!other_table(h, mt))
            continue;
        for (int j = 0; j < mt->indexes.count; j++) {
            const sch_index *mi = mt->indexes.items[j];
            const sch_table *ht = NULL;
            if (!kept_index(h, m, mi->name, &ht))
                add_change(a, out, CH_INDEX_ADD, other_table(h, mt), mt)->mi = mi;
        }
    }
}

static int bodies_eq(const char *const x[2], const char *const y[2])
{
    return sql_eq(x[0], y[0]) && sql_eq(x[1], y[1]);
}

/* Triggers of the tables both schemas have, by name and body. */
static void compare_triggers(arena *a, ptr_list *out, const schema *m,
                             const ptr_list *htables)
{
    for (int i = 0; i < htables->count; i++) {
        const sch_table *ht = htables->items[i];
        const sch_table *mt = other_table(m, ht);
        if (!mt)
            continue;
        for (int j = 0; j < ht->triggers.count; j++) {
            const sch_trigger *hg = ht->triggers.items[j];
            const sch_trigger *mg = sch_trigger_of(mt, hg->name);
            if (mg && bodies_eq(hg->bodies, mg->bodies))
                continue;
            change *c = add_change(a, out, mg ? CH_TRIGGER_CHANGE : CH_TRIGGER_DROP,
                                   ht, mt);
            c->hg = hg;
            c->mg = mg;
        }
        for (int j = 0; j < mt->triggers.count; j++) {
            const sch_trigger *mg = mt->triggers.items[j];
            if (!sch_trigger_of(ht, mg->name))
                add_change(a, out, CH_TRIGGER_ADD, ht, mt)->mg = mg;
        }
    }
}

static void compare_views(arena *a, ptr_list *out, const schema *h,
                          const schema *m)
{
    ptr_list hv = {0}, mv = {0};
    schema_views(h, &hv, a);
    schema_views(m, &mv, a);
    for (int i = 0; i < hv.count; i++) {
        const sch_view *x = hv.items[i];
        const sch_view *y = schema_view(m, x->name.schema.text, x->name.name.text);
        if (y && bodies_eq(x->bodies, y->bodies))
            continue;
        change *c = add_change(a, out, y ? CH_VIEW_CHANGE : CH_VIEW_DROP, NULL, NULL);
        c->hv = x;
        c->mv = y;
    }
    for (int i = 0; i < mv.count; i++) {
        const sch_view *y = mv.items[i];
        if (!schema_view(h, y->name.schema.text, y->name.name.text))
            add_change(a, out, CH_VIEW_ADD, NULL, NULL)->mv = y;
    }
}

static int labels_eq(const sch_enum *x, const sch_enum *y)
{
    if (x->labels.count != y->labels.count)
        return 0;
    for (int i = 0; i < x->labels.count; i++)
        if (strcmp(x->labels.items[i], y->labels.items[i]) != 0)
            return 0;
    return 1;
}

static void compare_enums(arena *a, ptr_list *out, const schema *h, const schema *m)
{
    ptr_list he = {0}, me = {0};
    schema_enums(h, &he, a);
    schema_enums(m, &me, a);
    for (int i = 0; i < he.count; i++) {
        const sch_enum *x = he.items[i], *y = schema_enum(m, x->name);
        if (y && labels_eq(x, y))
            continue;
        change *c = add_change(a, out, y ? CH_ENUM_CHANGE : CH_ENUM_DROP, NULL, NULL);
        c->he = x;
        c->me = y;
    }
    for (int i = 0; i < me.count; i++) {
        const sch_enum *y = me.items[i];
        if (!schema_enum(h, y->name))
            add_change(a, out, CH_ENUM_ADD, NULL, NULL)->me = y;
    }
}

/* Every difference between `h` and `m`, tables first, then each model
 * table's columns and constraints, then indexes, triggers, views and
 * enums. */
static void compare(arena *a, const schema *h, const schema *m, ptr_list *out)
{
    ptr_list htables = {0}, mtables = {0};
    schema_tables(h, &htables, a);
    schema_tables(m, &mtables, a);
    for (int i = 0; i < htables.count; i++) {
        const sch_table *ht = htables.items[i];
        if (!other_table(m, ht))
            add_change(a, out, CH_TABLE_DROP, ht, NULL);
    }
    for (int i = 0; i < mtables.count; i++) {
        const sch_table *mt = mtables.items[i];
        const sch_table *ht = other_table(h, mt);
        if (!ht)
            add_change(a, out, CH_TABLE_ADD, NULL, mt);
        else
            compare_tables(a, out, ht, mt);
    }
    compare_indexes(a, out, h, m, &htables, &mtables);
    compare_triggers(a, out, m, &htables);
    compare_views(a, out, h, m);
    compare_enums(a, out, h, m);
}

/* ---- messages ---------------------------------------------------------- */

static const char *column_name(arena *a, const sch_table *t,
                               const ast_coldef *c)
{
    return arena_printf(a, "%s.%s", unparse_qname(a, &t->name),
                        unparse_ident(a, c->name.text));
}

static const char *default_text(arena *a, const ast_expr *e)
{
    e = real_default(e);
    return e ? arena_printf(a, "default %s", unparse_expr(a, e))
             : "no default";
}

/* A constraint as written in a create_table, without its name. */
static const char *cons_text(arena *a, const ncons *k)
{
    ast_constraint def = k->def;
    def.name.text = NULL;
    return unparse_constraint(a, &def);
}

/* `unique`, `references users (id)`: a column-level constraint as it is
 * written on its column. */
static const char *column_cons_text(arena *a, const ncons *k)
{
    switch (k->def.kind) {
    case CONS_PRIMARY_KEY: return "primary key";
    case CONS_UNIQUE: return "unique";
    case CONS_CHECK:
        return arena_printf(a, "check %s", unparse_raw(a, k->def.check));
    case CONS_FOREIGN_KEY: return unparse_reference(a, k->def.references);
    }
    return "";
}

/* A constraint on one side only; `in_model` says which. */
static const char *cons_missing(arena *a, const sch_table *t, const ncons *k,
                                int in_model)
{
    const char *where = in_model ? "is missing from the {h}"
                                 : "is in the {h} but not in the {m}";
    if (k->column)
        return arena_printf(a, "column %s: %s in the %s, not in the %s",
                            column_name(a, t, k->column),
                            column_cons_text(a, k),
                            in_model ? "{m}" : "{h}",
                            in_model ? "{h}" : "{m}");
    if (k->def.name.text)
        return arena_printf(a, "table %s: constraint '%s' (%s) %s",
                            unparse_qname(a, &t->name), k->def.name.text,
                            cons_text(a, k), where);
    return arena_printf(a, "table %s: %s %s", unparse_qname(a, &t->name),
                        cons_text(a, k), where);
}

static const char *comment_text(arena *a, const char *comment)
{
    return comment ? arena_printf(a, "comment %s", unparse_string(a, comment))
                   : "no comment";
}

static const char *labels_text(arena *a, const sch_enum *e)
{
    const char *s = "";
    for (int i = 0; i < e->labels.count; i++)
        s = arena_printf(a, "%s%s%s", s, i ? ", " : "", unparse_string(a, e->labels.items[i]));
    return arena_printf(a, "(%s)", s);
}

static const char *describe(arena *a, const change *c)
{
    if (c->kind == CH_ENUM_ADD || c->kind == CH_ENUM_DROP || c->kind == CH_ENUM_CHANGE) {
        const char *en = unparse_ident(a, (c->he ? c->he : c->me)->name);
        return c->kind == CH_ENUM_ADD
            ? arena_printf(a, "enum '%s' is missing from the {h}", en)
            : c->kind == CH_ENUM_DROP
            ? arena_printf(a, "enum '%s' is in the {h} but not in the {m}", en)
            : arena_printf(a, "enum '%s': %s in the {h}, %s in the {m}", en,
                           labels_text(a, c->he), labels_text(a, c->me));
    }
    if (c->kind == CH_VIEW_ADD || c->kind == CH_VIEW_DROP ||
        c->kind == CH_VIEW_CHANGE) {
        const sch_view *v = c->hv ? c->hv : c->mv;
        const char *vn = unparse_qname(a, &v->name);
        return c->kind == CH_VIEW_ADD
            ? arena_printf(a, "view '%s' is missing from the {h}", vn)
            : c->kind == CH_VIEW_DROP
            ? arena_printf(a, "view '%s' is in the {h} but not in the {m}", vn)
            : arena_printf(a, "view '%s': its query differs between the {h} "
                              "and the {m}", vn);
    }
    const sch_table *t = c->mt ? c->mt : c->ht;
    const char *tn = unparse_qname(a, &t->name);
    switch (c->kind) {
    case CH_TABLE_ADD:
        return arena_printf(a, "table '%s' is missing from the {h}", tn);
    case CH_TABLE_DROP:
        return arena_printf(a, "table '%s' is in the {h} but not in the "
                               "{m}", tn);
    case CH_COL_ADD:
        return arena_printf(a, "column %s is missing from the {h}",
                            column_name(a, t, c->mc));
    case CH_COL_DROP:
        return arena_printf(a, "column %s is in the {h} but not in the "
                               "{m}", column_name(a, t, c->hc));
    case CH_COL_TYPE:
        return arena_printf(a, "column %s: type %s in the {h}, %s in the "
                               "{m}", column_name(a, t, c->hc),
                            unparse_type(a, &c->hc->type),
                            unparse_type(a, &c->mc->type));
    case CH_COL_NULL:
        return arena_printf(a, "column %s: %s in the {h}, %s in the {m}",
                            column_name(a, t, c->hc),
                            not_null(c->ht, c->hc) ? "not null" : "nullable",
                            not_null(c->mt, c->mc) ? "not null" : "nullable");
    case CH_COL_DEFAULT:
        return arena_printf(a, "column %s: %s in the {h}, %s in the "
                               "{m}", column_name(a, t, c->hc),
                            default_text(a, c->hc->dflt),
                            default_text(a, c->mc->dflt));
    case CH_COL_AUTOINC:
        return arena_printf(a, "column %s: %s in the {h}, %s in the {m}",
                            column_name(a, t, c->hc),
                            c->hc->autoincrement ? "autoincrement"
                                                 : "no autoincrement",
                            c->mc->autoincrement ? "autoincrement"
                                                 : "no autoincrement");
    case CH_INDEX_ADD:
        return arena_printf(a, "index '%s' (%s) is missing from the {h}",
                            c->mi->name, unparse_index_def(a, c->mi));
    case CH_INDEX_DROP:
        return arena_printf(a, "index '%s' (%s) is in the {h} but not in "
                               "the {m}", c->hi->name,
                            unparse_index_def(a, c->hi));
    case CH_INDEX_CHANGE:
        return arena_printf(a, "index '%s': %s in the {h}, %s in the "
                               "{m}", c->hi->name,
                            unparse_index_def(a, c->hi),
                            unparse_index_def(a, c->mi));
    case CH_CONS_ADD:
        return cons_missing(a, t, c->mk, 1);
    case CH_CONS_DROP:
        return cons_missing(a, t, c->hk, 0);
    case CH_CONS_CHANGE:
        return arena_printf(a, "table %s: constraint '%s': %s in the {h}, "
                               "%s in the {m}", tn, c->hk->def.name.text,
                            cons_text(a, c->hk), cons_text(a, c->mk));
    case CH_TRIGGER_ADD:
        return arena_printf(a, "trigger '%s' on %s is missing from the {h}",
                            c->mg->name, tn);
    case CH_TRIGGER_DROP:
        return arena_printf(a, "trigger '%s' on %s is in the {h} but not in "
                               "the {m}", c->hg->name, tn);
    case CH_TRIGGER_CHANGE:
        return arena_printf(a, "trigger '%s' on %s: its statement differs between "
                               "the {h} and the {m}", c->hg->name, tn);
    case CH_TABLE_COMMENT:
        return arena_printf(a, "table %s: %s in the {h}, %s in the {m}", tn,
                            comment_text(a, c->ht->comment),
                            comment_text(a, c->mt->comment));
    case CH_COL_COMMENT:
        return arena_printf(a, "column %s: %s in the {h}, %s in the {m}",
                            column_name(a, t, c->hc), comment_text(a, c->hc->comment),
                            comment_text(a, c->mc->comment));
    case CH_VIEW_ADD:
    case CH_VIEW_DROP:
    case CH_VIEW_CHANGE:
    case CH_ENUM_ADD:
    case CH_ENUM_DROP:
    case CH_ENUM_CHANGE:
        break;   /* worded above */
    }
    return "";
}

/* `text` with each "{h}" and "{m}" of describe()'s wording replaced by the
 * names of the two sides. */
static const char *name_sides(arena *a, const char *text, const char *h,
                              const char *m)
{
    const char *out = "";
    for (;;) {
        const char *ph = strstr(text, "{h}"), *pm = strstr(text, "{m}");
        const char *p = !ph ? pm : !pm ? ph : ph < pm ? ph : pm;
        if (!p)
            return arena_printf(a, "%s%s", out, text);
        out = arena_printf(a, "%s%.*s%s", out, (int)(p - text), text,
                           p == ph ? h : m);
        text = p + 3;
    }
}

void diff_describe_as(arena *a, const schema *from, const char *from_name,
                      const schema *to, const char *to_name, ptr_list *out)
{
    ptr_list changes = {0};
    compare(a, from, to, &changes);
    for (int i = 0; i < changes.count; i++)
        list_push(a, out, (void *)name_sides(a, describe(a, changes.items[i]),
                                             from_name, to_name));
}

void diff_describe(arena *a, const schema *history, const schema *model,
                   ptr_list *out)
{
    diff_describe_as(a, history, "history", model, "model", out);
}

/* ---- statements -------------------------------------------------------- */

static ast_stmt *stmt(arena *a, enum ast_stmt_kind kind, const sch_table *t)
{
    return ast_make(a, kind, t ? &t->name : NULL, (src_loc){0});
}

static ast_stmt *column_stmt(arena *a, enum ast_stmt_kind kind,
                             const sch_table *t, const ast_coldef *c)
{
    ast_stmt *st = stmt(a, kind, t);
    /* A copy, so that applying the statement never changes `c`. */
    ast_coldef *copy = arena_alloc(a, sizeof *copy);
    *copy = *c;
    st->name = c->name;
    st->column = copy;
    st->type = c->type;
    st->dflt = (ast_expr *)c->dflt;
    return st;
}

static ast_stmt *drop_index_stmt(arena *a, const sch_index *ix)
{
    ast_stmt *st = stmt(a, ST_DROP_INDEX, NULL);
    st->name.text = ix->name;
    return st;
}

/* create_primary_key / create_unique_constraint / ... named `name`. */
static ast_stmt *create_cons_stmt(arena *a, const sch_table *t,
                                  const ast_constraint *k, const char *name)
{
    return ast_make_create_constraint(a, &t->name, k, (ast_name){name, {0}},
                                      (src_loc){0});
}

static ast_stmt *drop_cons_stmt(arena *a, const sch_table *t, const char *name)
{
    ast_stmt *st = stmt(a, ST_DROP_CONSTRAINT, t);
    st->name.text = name;
    return st;
}

/* ---- the plan ---------------------------------------------------------- */

enum phase {
    P_DROP_VIEWS, P_CREATE_ENUMS,
    P_DROP_FK, P_DROP_INDEX, P_DROP_CONS,
    P_COLUMNS, P_DROP_TABLES, P_CREATE_TABLES, P_LATE_COLUMNS,
    P_CREATE_CONS, P_CREATE_INDEX, P_CREATE_FK,
    P_CREATE_VIEWS, P_DROP_ENUMS,
    N_PHASES
};

typedef struct planner {
    arena *a;
    const schema *from, *to;
    ptr_list changes;         /* change* */
    ptr_list phases[N_PHASES];/* diff_step* */
    ptr_list names;           /* constraint names given so far (char*) */
} planner;

static diff_step *new_step(planner *p, enum phase ph)
{
    diff_step *s = arena_alloc(p->a, sizeof *s);
    list_push(p->a, &p->phases[ph], s);
    return s;
}

static void up(planner *p, diff_step *s, ast_stmt *st)
{
    list_push(p->a, &s->up, st);
}

static void down(planner *p, diff_step *s, ast_stmt *st)
{
    list_push(p->a, &s->down, st);
}

static void plan_tables(planner *p)
{
    ptr_list dropped = {0}, created = {0}, order = {0};
    for (int i = 0; i < p->changes.count; i++) {
        const change *c = p->changes.items[i];
        if (c->kind == CH_TABLE_DROP)
            list_push(p->a, &dropped, (void *)c->ht);
        else if (c->kind == CH_TABLE_ADD)
            list_push(p->a, &created, (void *)c->mt);
    }
    /* Drops go referencing tables first: the reverse of creation order. */
    schema_order_tables(p->a, &dropped, &order);
    for (int i = order.count - 1; i >= 0; i--) {
        const sch_table *t = order.items[i];
        diff_step *s = new_step(p, P_DROP_TABLES);
        up(p, s, stmt(p->a, ST_DROP_TABLE, t));
        down(p, s, ast_make_create_table(p->a, t, (src_loc){0}));
        for (int j = 0; j < t->indexes.count; j++)
            down(p, s, ast_make_create_index(p->a, t->indexes.items[j], (src_loc){0}));
        for (int j = 0; j < t->triggers.count; j++)
            down(p, s, ast_make_create_trigger(p->a, &t->name, t->triggers.items[j],
                                               (src_loc){0}));
        ast_make_comments(p->a, t, (src_loc){0}, &s->down);
    }
    order.count = 0;
    schema_order_tables(p->a, &created, &order);
    for (int i = 0; i < order.count; i++) {
        const sch_table *t = order.items[i];
        diff_step *s = new_step(p, P_CREATE_TABLES);
        up(p, s, ast_make_create_table(p->a, t, (src_loc){0}));
        for (int j = 0; j < t->indexes.count; j++)
            up(p, s, ast_make_create_index(p->a, t->indexes.items[j], (src_loc){0}));
        for (int j = 0; j < t->triggers.count; j++)
            up(p, s, ast_make_create_trigger(p->a, &t->name, t->triggers.items[j],
                                             (src_loc){0}));
        ast_make_comments(p->a, t, (src_loc){0}, &s->up);
        down(p, s, stmt(p->a, ST_DROP_TABLE, t));
    }
}

/* Does column `c` reference a table that exists in `s`? */
static int references_into(const schema *s, const ast_coldef *c)
{
    return c->references && schema_table(s, c->references->table.schema.text,
                                         c->references->table.name.text);
}

static int needs_new_table(planner *p, const ast_coldef *c)
{
    return c->references && !references_into(p->from, c);
}

/* The rename hint: one step that drops `hc` and adds `mc`, with a comment
 * saying what it may really be. */
static void plan_pair(planner *p, const sch_table *ht, const ast_coldef *hc,
                      const ast_coldef *mc)
{
    arena *a = p->a;
    const char *tn = unparse_qname(a, &ht->name);
    const char *o = unparse_ident(a, hc->name.text);
    const char *n = unparse_ident(a, mc->name.text);
    diff_step *s = new_step(p, P_COLUMNS);
    s->comment = arena_printf(a,
        "# %s.%s is gone and %s.%s is new, of the same type.\n"
        "# Like Alembic, retort cannot tell a rename from a drop and an\n"
        "# add; if this is a rename, replace the next two statements with\n"
        "#     alter_column %s %s rename to %s;\n"
        "# to keep the column's data.",
        tn, o, tn, n, tn, o, n);
    s->down_comment = arena_printf(a,
        "# If the upgrade renames %s.%s, replace the next two statements with\n"
        "#     alter_column %s %s rename to %s;",
        tn, o, tn, n, o);
    up(p, s, column_stmt(a, ST_DROP_COLUMN, ht, hc));
    up(p, s, column_stmt(a, ST_ADD_COLUMN, ht, mc));
    if (mc->comment)
        up(p, s, ast_make_column_comment(a, &ht->name, mc->name.text, mc->comment,
                                         (src_loc){0}));
    down(p, s, column_stmt(a, ST_DROP_COLUMN, ht, mc));
    down(p, s, column_stmt(a, ST_ADD_COLUMN, ht, hc));
    if (hc->comment)
        down(p, s, ast_make_column_comment(a, &ht->name, hc->name.text, hc->comment,
                                           (src_loc){0}));
}

static void plan_add(planner *p, const sch_table *ht, const sch_table *mt,
                     const ast_coldef *mc)
{
    diff_step *s = new_step(p, needs_new_table(p, mc) ? P_LATE_COLUMNS
                                                      : P_COLUMNS);
    if (not_null(mt, mc) && !real_default(mc->dflt) && !mc->autoincrement)
        s->comment = arena_printf(p->a,
            "# %s is not null and has no default: adding it fails on a\n"
            "# table that has rows.  Give it a default, or add it nullable,\n"
            "# fill it, then set not null.", column_name(p->a, ht, mc));
    up(p, s, column_stmt(p->a, ST_ADD_COLUMN, ht, mc));
    if (mc->comment)
        up(p, s, ast_make_column_comment(p->a, &ht->name, mc->name.text, mc->comment,
                                         (src_loc){0}));
    down(p, s, column_stmt(p->a, ST_DROP_COLUMN, ht, mc));
}

static void plan_drop(planner *p, const sch_table *ht, const ast_coldef *hc)
{
    diff_step *s = new_step(p, P_COLUMNS);
    up(p, s, column_stmt(p->a, ST_DROP_COLUMN, ht, hc));
    down(p, s, column_stmt(p->a, ST_ADD_COLUMN, ht, hc));
    if (hc->comment)
        down(p, s, ast_make_column_comment(p->a, &ht->name, hc->name.text, hc->comment,
                                           (src_loc){0}));
}

/* Type, default and nullability of one column, in that order (a default
 * is in place before not null is enforced), undone in reverse. */
static void plan_alter(planner *p, const sch_table *ht, const sch_table *mt,
                       const ast_coldef *hc, const ast_coldef *mc)
{
    arena *a = p->a;
    if (!hc->autoincrement != !mc->autoincrement) {
        diff_step *s = new_step(p, P_COLUMNS);
        s->comment = arena_printf(a,
            "# %s: autoincrement cannot be changed in place; recreate the\n"
            "# table by hand (create the new one, copy, drop, rename).",
            column_name(a, ht, hc));
    }
    int type = !type_eq(&hc->type, &mc->type);
    int dflt = !expr_eq(hc->dflt, mc->dflt);
    int nn = not_null(ht, hc) != not_null(mt, mc);
    if (!type && !dflt && !nn)
        return;
    diff_step *s = new_step(p, P_COLUMNS);
    if (type)
        up(p, s, column_stmt(a, ST_ALTER_TYPE, ht, mc));
    if (dflt)
        up(p, s, column_stmt(a, real_default(mc->dflt) ? ST_ALTER_SET_DEFAULT
                                                       : ST_ALTER_DROP_DEFAULT,
                             ht, mc));
    if (nn)
        up(p, s, column_stmt(a, not_null(mt, mc) ? ST_ALTER_SET_NOT_NULL
                                                 : ST_ALTER_DROP_NOT_NULL,
                             ht, mc));
    if (nn)
        down(p, s, column_stmt(a, not_null(ht, hc) ? ST_ALTER_SET_NOT_NULL
                                                   : ST_ALTER_DROP_NOT_NULL,
                               ht, hc));
    if (dflt)
        down(p, s, column_stmt(a, real_default(hc->dflt) ? ST_ALTER_SET_DEFAULT
                                                         : ST_ALTER_DROP_DEFAULT,
                               ht, hc));
    if (type)
        down(p, s, column_stmt(a, ST_ALTER_TYPE, ht, hc));
}

/* Column changes of one kept table: rename candidates, adds, alters, drops. */
static void plan_columns(planner *p, const sch_table *ht, const sch_table *mt)
{
    arena *a = p->a;
    ptr_list drops = {0}, adds = {0};
    for (int i = 0; i < p->changes.count; i++) {
        const change *c = p->changes.items[i];
        if (c->ht != ht)
            continue;
        if (c->kind == CH_COL_DROP)
            list_push(a, &drops, (void *)c->hc);
        else if (c->kind == CH_COL_ADD)
            list_push(a, &adds, (void *)c->mc);
    }
    /* A dropped column pairs with the first new column of its type, unless
     * either must be handled apart: one referencing a table that is about
     * to be dropped or that is yet to be created. */
    char *paired = arena_alloc(a, (size_t)adds.count + 1);
    char *dpaired = arena_alloc(a, (size_t)drops.count + 1);
    for (int i = 0; i < drops.count; i++) {
        const ast_coldef *hc = drops.items[i];
        if (hc->references && !references_into(p->to, hc))
            continue;
        for (int j = 0; j < adds.count; j++) {
            const ast_coldef *mc = adds.items[j];
            if (paired[j] || needs_new_table(p, mc) ||
                !type_eq(&hc->type, &mc->type))
                continue;
            paired[j] = dpaired[i] = 1;
            plan_pair(p, ht, hc, mc);
            break;
        }
    }
    for (int j = 0; j < adds.count; j++)
        if (!paired[j])
            plan_add(p, ht, mt, adds.items[j]);
    for (int i = 0; i < mt->columns.count; i++) {
        const ast_coldef *mc = mt->columns.items[i];
        const ast_coldef *hc = find_column(ht, mc->name.text);
        if (hc)
            plan_alter(p, ht, mt, hc, mc);
    }
    for (int i = 0; i < drops.count; i++)
        if (!dpaired[i])
            plan_drop(p, ht, drops.items[i]);
}

static int name_taken(planner *p, const sch_table *ht, const sch_table *mt,
                      const char *name)
{
    for (int i = 0; i < p->names.count; i++)
        if (!strcmp(p->names.items[i], name))
            return 1;
    for (int i = 0; i < ht->constraints.count; i++)
        if (str_eq(((ast_constraint *)ht->constraints.items[i])->name.text, name))
            return 1;
    for (int i = 0; i < mt->constraints.count; i++)
        if (str_eq(((ast_constraint *)mt->constraints.items[i])->name.text, name))
            return 1;
    /* PostgreSQL backs unique and primary keys with an index of the same
     * name, so index names are taken too. */
    return schema_index(p->from, name) || schema_index(p->to, name);
}

/* A name for a constraint the model leaves unnamed, after the usual
 * conventions (pk_T, uq_T_C, ck_T, fk_T_C_T2), made unique. */
static const char *constraint_name(planner *p, const sch_table *ht,
                                   const sch_table *mt, const ast_constraint *k)
{
    arena *a = p->a;
    static const char *const prefix[] = {
        [CONS_PRIMARY_KEY] = "pk", [CONS_UNIQUE] = "uq",
        [CONS_CHECK] = "ck", [CONS_FOREIGN_KEY] = "fk",
    };
    char *base = arena_printf(a, "%s_%s", prefix[k->kind], mt->name.name.text);
    if (k->kind == CONS_UNIQUE || k->kind == CONS_FOREIGN_KEY)
        for (int i = 0; i < k->columns.count; i++)
            base = arena_printf(a, "%s_%s", base,
                                ((ast_name *)k->columns.items[i])->text);
    if (k->kind == CONS_FOREIGN_KEY)
        base = arena_printf(a, "%s_%s", base, k->references->table.name.text);
    /* PostgreSQL cuts names at 63 bytes; keep room for a suffix. */
    if (strlen(base) > 56)
        base[56] = '\0';
    const char *name = base;
    for (int n = 2; name_taken(p, ht, mt, name); n++)
        name = arena_printf(a, "%s_%d", base, n);
    list_push(a, &p->names, (void *)name);
    return name;
}

/* Does constraint `k` name a column that table `mt` lacks? */
static int uses_dropped_column(const ncons *k, const sch_table *mt)
{
    for (int i = 0; i < k->def.columns.count; i++)
        if (!find_column(mt, ((ast_name *)k->def.columns.items[i])->text))
            return 1;
    return 0;
}

static void plan_cons_drop(planner *p, const sch_table *ht,
                           const sch_table *mt, const ncons *k)
{
    arena *a = p->a;
    diff_step *s = new_step(p, k->def.kind == CONS_FOREIGN_KEY ? P_DROP_FK
                                                               : P_DROP_CONS);
    if (!k->def.name.text && uses_dropped_column(k, mt)) {
        /* Dropping the column drops the constraint with it; the downgrade
         * brings it back under a conventional name, which matches an
         * unnamed one. */
        down(p, s, create_cons_stmt(a, ht, &k->def,
                                    constraint_name(p, ht, mt, &k->def)));
        return;
    }
    if (!k->def.name.text) {
        s->comment = arena_printf(a,
            "# Not in the model, but cannot be dropped here: on %s,\n"
            "#     %s\n"
            "# has no name, and drop_constraint needs one.  Rebuild the table\n"
            "# by hand, or name the constraint where the history creates it.",
            unparse_qname(a, &ht->name), cons_text(a, k));
        return;
    }
    up(p, s, drop_cons_stmt(a, ht, k->def.name.text));
    down(p, s, create_cons_stmt(a, ht, &k->def, k->def.name.text));
}

static void plan_cons_add(planner *p, const sch_table *ht, const sch_table *mt,
                          const ncons *k)
{
    const char *name = k->def.name.text ? k->def.name.text
                                        : constraint_name(p, ht, mt, &k->def);
    diff_step *s = new_step(p, k->def.kind == CONS_FOREIGN_KEY ? P_CREATE_FK
                                                               : P_CREATE_CONS);
    up(p, s, create_cons_stmt(p->a, ht, &k->def, name));
    down(p, s, drop_cons_stmt(p->a, ht, name));
}

static void plan_index_drop(planner *p, const sch_index *ix)
{
    diff_step *s = new_step(p, P_DROP_INDEX);
    up(p, s, drop_index_stmt(p->a, ix));
    down(p, s, ast_make_create_index(p->a, ix, (src_loc){0}));
}

static void plan_index_add(planner *p, const sch_index *ix)
{
    diff_step *s = new_step(p, P_CREATE_INDEX);
    up(p, s, ast_make_create_index(p->a, ix, (src_loc){0}));
    down(p, s, drop_index_stmt(p->a, ix));
}

static ast_stmt *drop_view_stmt(arena *a, const sch_view *v)
{
    return ast_make(a, ST_DROP_VIEW, &v->name, (src_loc){0});
}

static ast_stmt *drop_trigger_stmt(arena *a, const sch_table *t,
                                   const sch_trigger *g)
{
    ast_stmt *st = stmt(a, ST_DROP_TRIGGER, t);
    st->name.text = g->name;
    return st;
}

/* A view or trigger goes (`old`) and/or comes (`new`): dropped first,
 * created last. */
static void plan_view(planner *p, const sch_view *old, const sch_view *new)
{
    if (old) {
        diff_step *s = new_step(p, P_DROP_VIEWS);
        up(p, s, drop_view_stmt(p->a, old));
        down(p, s, ast_make_create_view(p->a, old, (src_loc){0}));
    }
    if (new) {
        diff_step *s = new_step(p, P_CREATE_VIEWS);
        up(p, s, ast_make_create_view(p->a, new, (src_loc){0}));
        down(p, s, drop_view_stmt(p->a, new));
    }
}

static void plan_trigger(planner *p, const sch_table *ht, const sch_trigger *old,
                         const sch_trigger *new)
{
    if (old) {
        diff_step *s = new_step(p, P_DROP_VIEWS);
        up(p, s, drop_trigger_stmt(p->a, ht, old));
        down(p, s, ast_make_create_trigger(p->a, &ht->name, old, (src_loc){0}));
    }
    if (new) {
        diff_step *s = new_step(p, P_CREATE_VIEWS);
        up(p, s, ast_make_create_trigger(p->a, &ht->name, new, (src_loc){0}));
        down(p, s, drop_trigger_stmt(p->a, ht, new));
    }
}

/* alter_enum N add value L placed as in `in` (after the label before
 * it, else before the one after it); drop value L. */
static ast_stmt *enum_label_stmt(arena *a, const sch_enum *in, const char *l, int add)
{
    ast_stmt *st = ast_make(a, add ? ST_ALTER_ENUM_ADD : ST_ALTER_ENUM_DROP_VALUE,
                            NULL, (src_loc){0});
    st->name.text = in->name;
    st->label = l;
    int at = sch_enum_label(in, l);
    if (add && at > 0) {
        st->position = 2;
        st->label2 = in->labels.items[at - 1];
    } else if (add && in->labels.count > 1) {
        st->position = 1;
        st->label2 = in->labels.items[1];
    }
    return st;
}

/* An enum created (before the tables that may use it), dropped (after
 * everything that used it), or given the model's labels: new labels
 * first, in the model's order, labels gone last.  A different order of
 * the same labels cannot be written. */
static void plan_enum(planner *p, const sch_enum *h, const sch_enum *m)
{
    arena *a = p->a;
    if (!h || !m) {
        ast_stmt *drop = ast_make(a, ST_DROP_ENUM, NULL, (src_loc){0});
        drop->name.text = (h ? h : m)->name;
        diff_step *s = new_step(p, h ? P_DROP_ENUMS : P_CREATE_ENUMS);
        up(p, s, h ? drop : ast_make_create_enum(a, m, (src_loc){0}));
        down(p, s, h ? ast_make_create_enum(a, h, (src_loc){0}) : drop);
        return;
    }
    int changed = 0;
    for (int i = 0; i < m->labels.count; i++) {
        const char *l = m->labels.items[i];
        if (sch_enum_label(h, l) >= 0)
            continue;
        diff_step *s = new_step(p, P_CREATE_ENUMS);
        up(p, s, enum_label_stmt(a, m, l, 1));
        down(p, s, enum_label_stmt(a, m, l, 0));
        changed = 1;
    }
    /* Last first: the downgrade adds them back first first, each after
     * the label before it. */
    for (int i = h->labels.count - 1; i >= 0; i--) {
        const char *l = h->labels.items[i];
        if (sch_enum_label(m, l) >= 0)
            continue;
        diff_step *s = new_step(p, P_DROP_ENUMS);
        up(p, s, enum_label_stmt(a, h, l, 0));
        down(p, s, enum_label_stmt(a, h, l, 1));
        changed = 1;
    }
    if (!changed)
        new_step(p, P_CREATE_ENUMS)->comment = arena_printf(a,
            "# enum %s: the model orders its labels differently; retort\n"
            "# cannot reorder an enum's labels.", unparse_ident(a, h->name));
}

/* A table's or column's comment: set to the model's, back to the
 * history's. */
static void plan_comment(planner *p, const change *c)
{
    diff_step *s = new_step(p, P_COLUMNS);
    if (c->kind == CH_TABLE_COMMENT) {
        ast_stmt *u = stmt(p->a, ST_TABLE_COMMENT, c->ht);
        ast_stmt *d = stmt(p->a, ST_TABLE_COMMENT, c->ht);
        u->comment = c->mt->comment;
        d->comment = c->ht->comment;
        up(p, s, u);
        down(p, s, d);
        return;
    }
    up(p, s, ast_make_column_comment(p->a, &c->ht->name, c->hc->name.text,
                                     c->mc->comment, (src_loc){0}));
    down(p, s, ast_make_column_comment(p->a, &c->ht->name, c->hc->name.text,
                                       c->hc->comment, (src_loc){0}));
}

void diff_plan(arena *a, const schema *from, const schema *to, ptr_list *steps)
{
    planner p = {.a = a, .from = from, .to = to};
    compare(a, from, to, &p.changes);
    plan_tables(&p);

    ptr_list mtables = {0};
    schema_tables(to, &mtables, a);
    for (int i = 0; i < mtables.count; i++) {
        const sch_table *ht = other_table(from, mtables.items[i]);
        if (ht)
            plan_columns(&p, ht, mtables.items[i]);
    }

    for (int i = 0; i < p.changes.count; i++) {
        const change *c = p.changes.items[i];
        switch (c->kind) {
        case CH_INDEX_DROP: plan_index_drop(&p, c->hi); break;
        case CH_INDEX_ADD: plan_index_add(&p, c->mi); break;
        case CH_INDEX_CHANGE:
            plan_index_drop(&p, c->hi);
            plan_index_add(&p, c->mi);
            break;
        case CH_CONS_DROP: plan_cons_drop(&p, c->ht, c->mt, c->hk); break;
        case CH_CONS_ADD: plan_cons_add(&p, c->ht, c->mt, c->mk); break;
        case CH_CONS_CHANGE:
            plan_cons_drop(&p, c->ht, c->mt, c->hk);
            plan_cons_add(&p, c->ht, c->mt, c->mk);
            break;
        case CH_VIEW_ADD:
        case CH_VIEW_DROP:
        case CH_VIEW_CHANGE:
            plan_view(&p, c->hv, c->mv);
            break;
        case CH_TRIGGER_ADD:
        case CH_TRIGGER_DROP:
        case CH_TRIGGER_CHANGE:
            plan_trigger(&p, c->ht, c->hg, c->mg);
            break;
        case CH_TABLE_COMMENT:
        case CH_COL_COMMENT:
            plan_comment(&p, c);
            break;
        case CH_ENUM_ADD:
        case CH_ENUM_DROP:
        case CH_ENUM_CHANGE:
            plan_enum(&p, c->he, c->me);
            break;
        default:
            break;
        }
    }
    /* Views and triggers go in the reverse of their creation order: a
     * view that reads another goes first. */
    ptr_list *dv = &p.phases[P_DROP_VIEWS];
    for (int i = 0, j = dv->count - 1; i < j; i++, j--) {
        void *x = dv->items[i];
        dv->items[i] = dv->items[j];
        dv->items[j] = x;
    }
    for (int ph = 0; ph < N_PHASES; ph++)
        for (int i = 0; i < p.phases[ph].count; i++)
            list_push(a, steps, p.phases[ph].items[i]);
}
