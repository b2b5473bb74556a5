/*
 * schema.c: the schema model; see schema.h.
 *
 * A schema is string-keyed hash maps: tables (qualifier + name), indexes
 * (name), uncertainty marks, views, enums, and PostgreSQL's extensions,
 * schemas and sequences (kind + name).  Removing a key stores NULL, so a
 * key once seen keeps its slot; that keeps the maps free of tombstones and
 * makes the undo journal a plain list of (map, key, old value).
 *
 * Table versions are immutable once installed: sema makes a new version
 * per statement with sch_table_next(), which shares the column,
 * constraint and index structs.  Cloning a schema at a branch point thus
 * copies the maps only, and a merge can tell which side changed a table
 * by walking the `prev` chains to their common version.
 */
#include "schema.h"
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef strmap_entry sch_entry;
typedef strmap sch_map;

typedef struct sch_undo {
    sch_map *map;
    const char *key;
    void *old;
} sch_undo;

struct schema {
    arena *a;
    sch_map tables, indexes, uncertain, views, enums, objects, functions;
    /* Every constraint name (qualifier + name) any table version installed
     * here ever had: a superset of the names in use, never journaled, so
     * that looking for a free name scans the tables only on a hit. */
    sch_map cnames;
    int seq;
    /* An index made by raw SQL was ever put here: never journaled (a
     * superset, like cnames), so that a history without any skips the
     * scan for them on every drop and rename of a table. */
    int raw_seen;
    int journal_on;
    sch_undo *journal;
    int jlen, jcap;
};

/* --- maps (strmap.h) --- */

/* Sets key to val, recording the old value when the journal is on.
 * `key` may be a temporary: it is copied on first insertion. */
static void map_set(schema *s, sch_map *m, const char *key, void *val)
{
    sch_entry *e = strmap_slot(m, key);
    void *old = e && e->key ? e->val : NULL;
    if (old == val)
        return;
    const char *k = e && e->key ? e->key : arena_strdup(s->a, key);
    if (s->journal_on) {
        if (s->jlen == s->jcap) {
            int cap = s->jcap ? s->jcap * 2 : 64;
            sch_undo *j = arena_alloc(s->a, sizeof *j * (size_t)cap);
            if (s->jlen)
                memcpy(j, s->journal, sizeof *j * (size_t)s->jlen);
            s->journal = j;
            s->jcap = cap;
        }
        s->journal[s->jlen++] = (sch_undo){m, k, old};
    }
    strmap_put(s->a, m, k, val);
}

static void map_copy(arena *a, sch_map *dst, const sch_map *src)
{
    *dst = (sch_map){0};
    for (int i = 0; i < src->cap; i++)
        if (src->v[i].key && src->v[i].val)
            strmap_put(a, dst, src->v[i].key, src->v[i].val);
}

/* "qualifier\x1fname", or the name alone, in `buf` when it fits. */
static const char *table_key(char *buf, size_t n, arena *a, const char *q,
                             const char *name)
{
    if (!q)
        return name;
    size_t need = strlen(q) + strlen(name) + 2;
    char *p = need <= n ? buf : arena_alloc(a, need);
    strcpy(p, q);
    strcat(p, "\x1f");
    strcat(p, name);
    return p;
}

/* --- the public interface --- */

schema *schema_new(arena *a)
{
    schema *s = arena_alloc(a, sizeof *s);
    s->a = a;
    return s;
}

schema *schema_clone(arena *a, const schema *s)
{
    schema *c = schema_new(a);
    map_copy(a, &c->tables, &s->tables);
    map_copy(a, &c->indexes, &s->indexes);
    map_copy(a, &c->uncertain, &s->uncertain);
    map_copy(a, &c->views, &s->views);
    map_copy(a, &c->enums, &s->enums);
    map_copy(a, &c->functions, &s->functions);
    map_copy(a, &c->objects, &s->objects);
    map_copy(a, &c->cnames, &s->cnames);
    c->seq = s->seq;
    c->raw_seen = s->raw_seen;
    return c;
}

sch_table *schema_table(const schema *s, const char *qualifier,
                        const char *name)
{
    if (!s || !name)
        return NULL;
    char buf[256];
    return strmap_get(&s->tables, table_key(buf, sizeof buf, s->a, qualifier, name));
}

static int cmp_table_seq(const void *x, const void *y)
{
    const sch_table *a = *(sch_table *const *)x, *b = *(sch_table *const *)y;
    if (a->seq != b->seq)
        return a->seq < b->seq ? -1 : 1;
    int c = strcmp(a->name.name.text, b->name.name.text);
    if (c)
        return c;
    const char *qa = a->name.schema.text ? a->name.schema.text : "";
    const char *qb = b->name.schema.text ? b->name.schema.text : "";
    return strcmp(qa, qb);
}

void schema_tables(const schema *s, ptr_list *out, arena *a)
{
    int first = out->count;
    for (int i = 0; i < s->tables.cap; i++)
        if (s->tables.v[i].key && s->tables.v[i].val)
            list_push(a, out, s->tables.v[i].val);
    if (out->count > first)   /* items is NULL while the list is empty */
        qsort(out->items + first, (size_t)(out->count - first),
              sizeof(void *), cmp_table_seq);
}

static int qname_eq(const ast_qname *x, const ast_qname *y)
{
    const char *xs = x->schema.text, *ys = y->schema.text;
    return !strcmp(x->name.text, y->name.text) &&
           (xs && ys ? !strcmp(xs, ys) : xs == ys);
}

/* Does table `t` reference the table named `q`? */
static int references(const sch_table *t, const ast_qname *q)
{
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        if (c->references && qname_eq(&c->references->table, q))
            return 1;
    }
    for (int i = 0; i < t->constraints.count; i++) {
        const ast_constraint *k = t->constraints.items[i];
        if (k->kind == CONS_FOREIGN_KEY && k->references &&
            qname_eq(&k->references->table, q))
            return 1;
    }
    return 0;
}

static void visit(arena *a, const ptr_list *set, int i, char *state,
                  ptr_list *out)
{
    if (state[i])
        return;
    state[i] = 1;
    const sch_table *t = set->items[i];
    for (int j = 0; j < set->count; j++)
        if (j != i && references(t, &((sch_table *)set->items[j])->name))
            visit(a, set, j, state, out);
    list_push(a, out, (void *)t);
}

void schema_order_tables(arena *a, const ptr_list *tables, ptr_list *out)
{
    char *state = arena_alloc(a, (size_t)tables->count + 1);
    for (int i = 0; i < tables->count; i++)
        visit(a, tables, i, state, out);
}

const sch_table *schema_next_table(const schema *s, int *cursor)
{
    while (*cursor < s->tables.cap) {
        const sch_entry *e = &s->tables.v[(*cursor)++];
        if (e->key && e->val)
            return e->val;
    }
    return NULL;
}

sch_index *schema_index(const schema *s, const char *name)
{
    return s && name ? strmap_get(&s->indexes, name) : NULL;
}

const sch_index *schema_next_index(const schema *s, int *cursor)
{
    while (*cursor < s->indexes.cap) {
        const sch_entry *e = &s->indexes.v[(*cursor)++];
        if (e->key && e->val)
            return e->val;
    }
    return NULL;
}

sch_view *schema_view(const schema *s, const char *qualifier, const char *name)
{
    if (!s || !name)
        return NULL;
    char buf[256];
    return strmap_get(&s->views, table_key(buf, sizeof buf, s->a, qualifier, name));
}

sch_function *schema_function(const schema *s, const char *qualifier,
                              const char *name)
{
    if (!s || !name)
        return NULL;
    char buf[256];
    return strmap_get(&s->functions, table_key(buf, sizeof buf, s->a, qualifier, name));
}

static int cmp_view_seq(const void *x, const void *y)
{
    const sch_view *a = *(sch_view *const *)x, *b = *(sch_view *const *)y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void schema_views(const schema *s, ptr_list *out, arena *a)
{
    int first = out->count;
    for (int i = 0; i < s->views.cap; i++)
        if (s->views.v[i].key && s->views.v[i].val)
            list_push(a, out, s->views.v[i].val);
    if (out->count > first)
        qsort(out->items + first, (size_t)(out->count - first),
              sizeof(void *), cmp_view_seq);
}

static int cmp_function_seq(const void *x, const void *y)
{
    const sch_function *a = *(sch_function *const *)x, *b = *(sch_function *const *)y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void schema_functions(const schema *s, ptr_list *out, arena *a)
{
    int first = out->count;
    for (int i = 0; i < s->functions.cap; i++)
        if (s->functions.v[i].key && s->functions.v[i].val)
            list_push(a, out, s->functions.v[i].val);
    if (out->count > first)
        qsort(out->items + first, (size_t)(out->count - first),
              sizeof(void *), cmp_function_seq);
}

sch_enum *schema_enum(const schema *s, const char *name)
{
    return s && name ? strmap_get(&s->enums, name) : NULL;
}

static int cmp_enum_seq(const void *x, const void *y)
{
    const sch_enum *a = *(sch_enum *const *)x, *b = *(sch_enum *const *)y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void schema_enums(const schema *s, ptr_list *out, arena *a)
{
    int first = out->count;
    for (int i = 0; i < s->enums.cap; i++)
        if (s->enums.v[i].key && s->enums.v[i].val)
            list_push(a, out, s->enums.v[i].val);
    if (out->count > first)
        qsort(out->items + first, (size_t)(out->count - first),
              sizeof(void *), cmp_enum_seq);
}

/* "kind\x1fname" in `buf` (or the arena when it does not fit). */
static const char *object_key(char *buf, size_t n, arena *a, int kind,
                              const char *name)
{
    char k[2] = {(char)('0' + kind), 0};
    return table_key(buf, n, a, k, name);
}

sch_object *schema_object(const schema *s, int kind, const char *name)
{
    if (!s || !name)
        return NULL;
    char buf[256];
    return strmap_get(&s->objects, object_key(buf, sizeof buf, s->a, kind, name));
}

static int cmp_object_seq(const void *x, const void *y)
{
    const sch_object *a = *(sch_object *const *)x, *b = *(sch_object *const *)y;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void schema_objects(const schema *s, ptr_list *out, arena *a)
{
    int first = out->count;
    for (int i = 0; i < s->objects.cap; i++)
        if (s->objects.v[i].key && s->objects.v[i].val)
            list_push(a, out, s->objects.v[i].val);
    if (out->count > first)
        qsort(out->items + first, (size_t)(out->count - first),
              sizeof(void *), cmp_object_seq);
}

int sch_enum_label(const sch_enum *e, const char *label)
{
    for (int i = 0; e && label && i < e->labels.count; i++)
        if (strcmp(e->labels.items[i], label) == 0)
            return i;
    return -1;
}

const sch_trigger *sch_trigger_of(const sch_table *t, const char *name)
{
    for (int i = 0; t && name && i < t->triggers.count; i++) {
        const sch_trigger *g = t->triggers.items[i];
        if (strcmp(g->name, name) == 0)
            return g;
    }
    return NULL;
}

const sch_trigger *schema_trigger(const schema *s, const char *qualifier,
                                  const char *name, const sch_table **table)
{
    int cursor = 0;
    for (const sch_table *t; (t = schema_next_table(s, &cursor));) {
        if (!t->name.schema.text != !qualifier ||
            (qualifier && strcmp(t->name.schema.text, qualifier) != 0))
            continue;
        const sch_trigger *g = sch_trigger_of(t, name);
        if (g) {
            if (table)
                *table = t;
            return g;
        }
    }
    return NULL;
}

static void copy_list(arena *a, ptr_list *dst, const ptr_list *src)
{
    *dst = (ptr_list){0};
    if (src->count == 0)
        return;
    dst->cap = src->count;
    dst->count = src->count;
    dst->items = arena_alloc(a, sizeof(void *) * (size_t)src->count);
    memcpy(dst->items, src->items, sizeof(void *) * (size_t)src->count);
}

sch_table *sch_table_next(arena *a, const sch_table *t)
{
    sch_table *n = arena_alloc(a, sizeof *n);
    if (!t)
        return n;
    *n = *t;
    copy_list(a, &n->columns, &t->columns);
    copy_list(a, &n->constraints, &t->constraints);
    copy_list(a, &n->indexes, &t->indexes);
    copy_list(a, &n->triggers, &t->triggers);
    n->prev = t;
    n->depth = t->depth + 1;
    return n;
}

sch_table *schema_table_copy(arena *a, const sch_table *t)
{
    if (!t)
        return NULL;
    sch_table *n = sch_table_next(a, t);
    for (int i = 0; i < n->columns.count; i++) {
        ast_coldef *c = arena_alloc(a, sizeof *c);
        *c = *(ast_coldef *)n->columns.items[i];
        n->columns.items[i] = c;
    }
    for (int i = 0; i < n->constraints.count; i++) {
        const ast_constraint *old = n->constraints.items[i];
        ast_constraint *c = arena_alloc(a, sizeof *c);
        *c = *old;
        copy_list(a, &c->columns, &old->columns);
        n->constraints.items[i] = c;
    }
    for (int i = 0; i < n->indexes.count; i++) {
        const sch_index *old = n->indexes.items[i];
        sch_index *x = arena_alloc(a, sizeof *x);
        *x = *old;
        copy_list(a, &x->elems, &old->elems);
        n->indexes.items[i] = x;
    }
    return n;
}

ast_coldef *sch_column(const sch_table *t, const char *name)
{
    if (!t || !name)
        return NULL;
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *c = t->columns.items[i];
        if (strcmp(c->name.text, name) == 0)
            return c;
    }
    return NULL;
}

const char *sch_cons_name(const ast_constraint *k)
{
    return k->name.text ? k->name.text : k->pg_name;
}

ast_constraint *sch_constraint(const sch_table *t, const char *name)
{
    if (!t || !name)
        return NULL;
    for (int i = 0; i < t->constraints.count; i++) {
        ast_constraint *c = t->constraints.items[i];
        const char *n = sch_cons_name(c);
        if (n && strcmp(n, name) == 0)
            return c;
    }
    return NULL;
}

ast_coldef *sch_column_constraint(const sch_table *t, const char *name,
                                  enum ast_constraint_kind *kind)
{
    if (!t || !name)
        return NULL;
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *c = t->columns.items[i];
        for (int k = 0; k < 4; k++)
            if (c->cons_name[k] && strcmp(c->cons_name[k], name) == 0) {
                if (kind)
                    *kind = (enum ast_constraint_kind)k;
                return c;
            }
    }
    return NULL;
}

int sch_has_constraint(const sch_table *t, const char *name)
{
    return sch_constraint(t, name) || sch_column_constraint(t, name, NULL);
}

static void cname_note(schema *s, const ast_qname *q, const char *name)
{
    char buf[256];
    if (!name)
        return;
    const char *key = table_key(buf, sizeof buf, s->a, q->schema.text, name);
    if (!strmap_get(&s->cnames, key))
        strmap_put(s->a, &s->cnames, arena_strdup(s->a, key), (void *)1);
}

/* Records the constraint names of `t` in s->cnames. */
static void cnames_note(schema *s, const sch_table *t)
{
    for (int i = 0; i < t->constraints.count; i++)
        cname_note(s, &t->name, sch_cons_name(t->constraints.items[i]));
    for (int i = 0; i < t->columns.count; i++) {
        const ast_coldef *c = t->columns.items[i];
        for (int k = 0; k < 4; k++)
            cname_note(s, &t->name, c->cons_name[k]);
    }
}

int schema_name_used(const schema *s, const char *qualifier, const char *name,
                     int relations)
{
    char buf[256];
    if (relations && (schema_table(s, qualifier, name) || schema_index(s, name)))
        return 1;
    if (!strmap_get(&s->cnames, table_key(buf, sizeof buf, s->a, qualifier, name)))
        return 0;
    for (int i = 0; i < s->tables.cap; i++) {
        const sch_table *t = s->tables.v[i].key ? s->tables.v[i].val : NULL;
        if (!t || !t->name.schema.text != !qualifier ||
            (qualifier && strcmp(t->name.schema.text, qualifier) != 0))
            continue;
        if (sch_has_constraint(t, name))
            return 1;
    }
    return 0;
}

/* --- sema's interface --- */

void schema_put_table(schema *s, const char *qualifier, const char *name,
                      sch_table *t)
{
    char buf[256];
    map_set(s, &s->tables, table_key(buf, sizeof buf, s->a, qualifier, name), t);
    if (t)
        cnames_note(s, t);
}

void schema_put_index(schema *s, const char *name, sch_index *ix)
{
    if (ix && ix->raw)
        s->raw_seen = 1;
    map_set(s, &s->indexes, name, ix);
}

int schema_may_have_raw_indexes(const schema *s)
{
    return s->raw_seen;
}

void schema_put_enum(schema *s, const char *name, sch_enum *e)
{
    map_set(s, &s->enums, name, e);
}

void schema_put_object(schema *s, int kind, const char *name, sch_object *o)
{
    char buf[256];
    map_set(s, &s->objects, object_key(buf, sizeof buf, s->a, kind, name), o);
}

void schema_put_view(schema *s, const char *qualifier, const char *name,
                     sch_view *v)
{
    char buf[256];
    map_set(s, &s->views, table_key(buf, sizeof buf, s->a, qualifier, name), v);
}

void schema_put_function(schema *s, const char *qualifier, const char *name,
                         sch_function *f)
{
    char buf[256];
    map_set(s, &s->functions, table_key(buf, sizeof buf, s->a, qualifier, name), f);
}

int schema_next_seq(schema *s)
{
    return ++s->seq;
}

static const char *uncertain_key(arena *a, int kind, const char *q,
                                 const char *name, const char *sub)
{
    return arena_printf(a, "%c\x1f%s\x1f%s\x1f%s", kind, q ? q : "",
                        name ? name : "", sub ? sub : "");
}

int schema_uncertain(const schema *s, int kind, const char *qualifier,
                     const char *name, const char *sub)
{
    if (s->uncertain.used == 0)
        return 0;
    char buf[512];
    snprintf(buf, sizeof buf, "%c\x1f%s\x1f%s\x1f%s", kind,
             qualifier ? qualifier : "", name ? name : "", sub ? sub : "");
    return (int)(intptr_t)strmap_get(&s->uncertain, buf);
}

void schema_set_uncertain(schema *s, int kind, const char *qualifier,
                          const char *name, const char *sub, int v)
{
    if (v == 0 && s->uncertain.used == 0)
        return;
    map_set(s, &s->uncertain, uncertain_key(s->a, kind, qualifier, name, sub),
            (void *)(intptr_t)v);
}

int schema_begin(schema *s)
{
    s->journal_on++;
    return s->jlen;
}

void schema_undo(schema *s, int mark)
{
    while (s->jlen > mark) {
        sch_undo *u = &s->journal[--s->jlen];
        strmap_put(s->a, u->map, u->key, u->old);
    }
}

int schema_mark(const schema *s)
{
    return s->jlen;
}

void schema_end(schema *s)
{
    if (--s->journal_on == 0)
        s->jlen = 0;
}

struct sch_branch {
    int n;                    /* parallel arrays, one per touched key: */
    sch_map **map;
    const char **key;
    void **start;             /* the value when the body began */
    void **end;               /* the value when it ended */
    char *body;               /* the body (not only the assumption) touched it */
};

sch_branch *schema_capture(schema *s, int mark, int body_mark)
{
    sch_branch *b = arena_alloc(s->a, sizeof *b);
    int n = s->jlen - mark + 1;
    b->map = arena_alloc(s->a, sizeof *b->map * (size_t)n);
    b->key = arena_alloc(s->a, sizeof *b->key * (size_t)n);
    b->start = arena_alloc(s->a, sizeof *b->start * (size_t)n);
    b->end = arena_alloc(s->a, sizeof *b->end * (size_t)n);
    b->body = arena_alloc(s->a, (size_t)n);
    for (int i = mark; i < s->jlen; i++) {
        sch_undo *u = &s->journal[i];
        int k = 0;
        while (k < b->n && !(b->map[k] == u->map && strcmp(b->key[k], u->key) == 0))
            k++;
        if (k == b->n) {
            b->n++;
            b->map[k] = u->map;
            b->key[k] = u->key;
            b->end[k] = strmap_get(u->map, u->key);
        }
        if (i >= body_mark && !b->body[k]) {
            b->body[k] = 1;
            b->start[k] = u->old;
        }
    }
    return b;
}

/* Index of (m, key) in `b`, or -1.  Linear: the sides of an `if` touch a
 * handful of keys. */
static int branch_find(const sch_branch *b, sch_map *m, const char *key)
{
    for (int i = 0; i < b->n; i++)
        if (b->map[i] == m && strcmp(b->key[i], key) == 0)
            return i;
    return -1;
}

static const char *member_name(void *item, int what)
{
    return what == 'C' ? ((ast_coldef *)item)->name.text
         : what == 'K' ? ((ast_constraint *)item)->name.text
         : what == 'G' ? ((sch_trigger *)item)->name
         : ((sch_index *)item)->name;
}

static const ptr_list *members(const sch_table *t, int what)
{
    return what == 'C' ? &t->columns : what == 'K' ? &t->constraints
         : what == 'G' ? &t->triggers : &t->indexes;
}

static int has_member_named(const sch_table *t, int what, const char *name)
{
    if (!t)
        return 0;
    const ptr_list *l = members(t, what);
    for (int i = 0; i < l->count; i++) {
        const char *n = member_name(l->items[i], what);
        if (n && strcmp(n, name) == 0)
            return 1;
    }
    return 0;
}

/* Marks the members of kind `what` whose existence a body changed
 * (start -> end of one side) and that differ between the sides' ends. */
static void mark_changed(schema *s, const sch_table *start,
                         const sch_table *end, const sch_table *tt,
                         const sch_table *te, int what)
{
    for (int pass = 0; pass < 2; pass++) {
        const sch_table *t = pass ? start : end;
        if (!t)
            continue;
        const ptr_list *l = members(t, what);
        for (int i = 0; i < l->count; i++) {
            const char *n = member_name(l->items[i], what);
            if (!n || has_member_named(start, what, n) ==
                      has_member_named(end, what, n))
                continue;
            if (has_member_named(tt, what, n) == has_member_named(te, what, n))
                continue;
            if (what == 'I')
                schema_set_uncertain(s, 'I', NULL, n, NULL, 1);
            else
                schema_set_uncertain(s, what, t->name.schema.text,
                                     t->name.name.text, n, 1);
        }
    }
}

/* One key a body touched: install the kept side, mark what the bodies
 * made differ.  A difference that only the assumption made (`if
 * table_exists users` assumes users absent on the else side) is not an
 * effect of the `if` and is not marked. */
static void join_one(schema *s, const sch_branch *bt, const sch_branch *be,
                     sch_map *m, const char *key, int take_then)
{
    void *orig = strmap_get(m, key);
    int it = branch_find(bt, m, key), ie = branch_find(be, m, key);
    void *vt = it >= 0 ? bt->end[it] : orig;
    void *ve = ie >= 0 ? be->end[ie] : orig;
    if (m == &s->uncertain) {
        map_set(s, m, key, vt ? vt : ve);
        return;
    }
    map_set(s, m, key, take_then ? vt : ve);
    if (vt == ve || m == &s->views || m == &s->enums ||
        m == &s->objects || m == &s->functions)         /* no uncertainty marks */
        return;
    for (int side = 0; side < 2; side++) {
        const sch_branch *b = side ? be : bt;
        int i = side ? ie : it;
        if (i < 0 || !b->body[i])
            continue;
        void *start = b->start[i], *end = b->end[i];
        if (m == &s->indexes) {
            if (!start != !end && !vt != !ve)
                schema_set_uncertain(s, 'I', NULL, key, NULL, 1);
            continue;
        }
        const sch_table *ts = start, *tend = end;
        const sch_table *any = ts ? ts : tend;
        if (!any)
            continue;
        if (!ts != !tend && !vt != !ve)
            schema_set_uncertain(s, 'T', any->name.schema.text,
                                 any->name.name.text, NULL, 1);
        mark_changed(s, ts, tend, vt, ve, 'C');
        mark_changed(s, ts, tend, vt, ve, 'K');
        mark_changed(s, ts, tend, vt, ve, 'I');
        mark_changed(s, ts, tend, vt, ve, 'G');
    }
}

void schema_join_branches(schema *s, const sch_branch *bt,
                          const sch_branch *be, int take_then)
{
    for (int i = 0; i < bt->n; i++)
        if (bt->body[i])
            join_one(s, bt, be, bt->map[i], bt->key[i], take_then);
    for (int i = 0; i < be->n; i++)
        if (be->body[i])
            join_one(s, bt, be, be->map[i], be->key[i], take_then);
}

/* --- joining parents at a merge --- */

/* The latest version both `x` and `y` derive from, or NULL. */
static const sch_table *common_version(const sch_table *x, const sch_table *y)
{
    while (x && y && x != y) {
        if (x->depth >= y->depth)
            x = x->prev;
        else
            y = y->prev;
    }
    return x == y ? x : NULL;
}

static int same_version_chain(const sch_table *older, const sch_table *newer)
{
    while (newer && newer->depth > older->depth)
        newer = newer->prev;
    return newer == older;
}

/* The member of `l` named like `item` (unnamed ones match by pointer). */
static void *find_member(const ptr_list *l, void *item, int what)
{
    const char *n = member_name(item, what);
    for (int i = 0; i < l->count; i++) {
        if (l->items[i] == item)
            return item;
        const char *m = member_name(l->items[i], what);
        if (n && m && strcmp(n, m) == 0)
            return l->items[i];
    }
    return NULL;
}

/* Three-way merge of one member list: `out` starts as ours.  A member
 * changed (or added, or dropped) on one side only takes that side; a
 * member changed on both sides takes theirs, with a warning. */
static void merge_members(arena *a, diag *d, src_loc at, const sch_table *t,
                          ptr_list *out, const ptr_list *base,
                          const ptr_list *theirs, int what)
{
    ptr_list res = {0};
    for (int i = 0; i < out->count; i++) {
        void *o = out->items[i];
        void *b = find_member(base, o, what);
        void *th = find_member(theirs, o, what);
        if (b && !th) {
            if (o != b)   /* changed here, dropped there: dropped wins */
                diag_warning(d, at, "'%s' of table '%s' is changed on one "
                             "branch and dropped on the other; dropping it",
                             member_name(o, what), t->name.name.text);
            continue;
        }
        if (th && th != o) {
            if (o == b)
                o = th;
            else if (th != b) {
                diag_warning(d, at, "'%s' of table '%s' is changed on both "
                             "branches; keeping the later parent's version",
                             member_name(o, what) ? member_name(o, what) : "?",
                             t->name.name.text);
                o = th;
            }
        }
        list_push(a, &res, o);
    }
    for (int i = 0; i < theirs->count; i++) {
        void *th = theirs->items[i];
        if (find_member(out, th, what))
            continue;
        if (find_member(base, th, what))
            continue;             /* dropped here */
        list_push(a, &res, th);
    }
    *out = res;
}

static sch_table *merge_table(arena *a, diag *d, src_loc at,
                              const sch_table *ours, const sch_table *theirs)
{
    if (same_version_chain(ours, theirs))
        return (sch_table *)theirs;
    if (same_version_chain(theirs, ours))
        return (sch_table *)ours;
    const sch_table *base = common_version(ours, theirs);
    static const sch_table empty;
    if (!base)
        base = &empty;
    sch_table *t = sch_table_next(a, ours);
    merge_members(a, d, at, t, &t->columns, &base->columns, &theirs->columns, 'C');
    merge_members(a, d, at, t, &t->constraints, &base->constraints,
                  &theirs->constraints, 'K');
    merge_members(a, d, at, t, &t->indexes, &base->indexes, &theirs->indexes, 'I');
    merge_members(a, d, at, t, &t->triggers, &base->triggers, &theirs->triggers, 'G');
    if (ours->comment == base->comment)   /* changed there, or by neither */
        t->comment = theirs->comment;
    return t;
}

static void join_table(schema *acc, sch_table *ta, const sch_table *to,
                       const char *key, diag *d, src_loc at,
                       int (*is_ancestor)(void *, const char *, int), void *ctx)
{
    sch_table *res = ta;
    if (ta == to)
        return;
    if (ta && !to) {
        /* The other side dropped or renamed it if it had it at all. */
        if (is_ancestor(ctx, ta->created_by, 1))
            res = NULL;
    } else if (!ta && to) {
        if (!is_ancestor(ctx, to->created_by, 0))
            res = (sch_table *)to;
    } else if (strcmp(ta->created_by, to->created_by) == 0) {
        res = merge_table(acc->a, d, at, ta, to);
    } else if (is_ancestor(ctx, ta->created_by, 1)) {
        res = (sch_table *)to;    /* the other side replaced ours */
    } else if (is_ancestor(ctx, to->created_by, 0)) {
        res = ta;
    } else {
        diag_error(d, at, "table '%s' is created on two branches (in %s and %s)",
                   ta->name.name.text, ta->created_by, to->created_by);
        diag_note(d, ta->loc, "created here");
        diag_note(d, to->loc, "and here");
    }
    if (res != ta)
        map_set(acc, &acc->tables, key, res);
}

/* Is enum version `newer` derived from `older` (or the same)? */
static int derives(const sch_enum *newer, const sch_enum *older)
{
    for (; newer; newer = newer->prev)
        if (newer == older)
            return 1;
    return 0;
}

/* The revision that created view (what 0), enum (1) or object (2) `v`;
 * NULL for none. */
static const char *created_by(const void *v, int what)
{
    if (!v)
        return NULL;
    return what == 3 ? ((const sch_function *)v)->created_by
         : what == 2 ? ((const sch_object *)v)->created_by
         : what == 1 ? ((const sch_enum *)v)->created_by
         : ((const sch_view *)v)->created_by;
}

void schema_join(schema *acc, const schema *other, diag *d, src_loc at,
                 int (*is_ancestor)(void *ctx, const char *rev_id, int side),
                 void *ctx)
{
    /* Tables: every key either side holds. */
    for (int i = 0; i < acc->tables.cap; i++) {
        sch_entry *e = &acc->tables.v[i];
        if (e->key && e->val)
            join_table(acc, e->val, strmap_get(&other->tables, e->key), e->key,
                       d, at, is_ancestor, ctx);
    }
    for (int i = 0; i < other->tables.cap; i++) {
        const sch_entry *e = &other->tables.v[i];
        if (e->key && e->val && !strmap_get(&acc->tables, e->key))
            join_table(acc, NULL, e->val, e->key, d, at, is_ancestor, ctx);
    }
    /* Indexes follow their tables: rebuild the entries either side had. */
    ptr_list names = {0};
    for (int i = 0; i < acc->indexes.cap; i++)
        if (acc->indexes.v[i].key && acc->indexes.v[i].val)
            list_push(acc->a, &names, (void *)acc->indexes.v[i].key);
    for (int i = 0; i < other->indexes.cap; i++)
        if (other->indexes.v[i].key && other->indexes.v[i].val)
            list_push(acc->a, &names, (void *)other->indexes.v[i].key);
    for (int i = 0; i < names.count; i++) {
        const char *n = names.items[i];
        sch_index *ix = strmap_get(&acc->indexes, n);
        if (!ix)
            ix = strmap_get(&other->indexes, n);
        sch_table *t = schema_table(acc, ix->table.schema.text,
                                    ix->table.name.text);
        sch_index *found = NULL;
        for (int k = 0; t && k < t->indexes.count; k++)
            if (strcmp(((sch_index *)t->indexes.items[k])->name, n) == 0)
                found = t->indexes.items[k];
        /* One made by raw SQL is in no table's list (schema.h): it stays
         * while its table does.  Without a creator to ask, a drop on one
         * branch cannot be told from a creation on the other; keeping it
         * errs towards a refused statement at run time, never a false
         * error here. */
        if (!found && ix->raw && t)
            found = ix;
        map_set(acc, &acc->indexes, n, found);
    }
    /* Views, enums, objects and functions: as tables, but never merged
     * member by member (an enum changed on both branches keeps the later
     * parent's labels). */
    for (int side = 0; side < 8; side++) {
        int what = side / 2;   /* 0 views, 1 enums, 2 objects, 3 functions */
        int enums = what == 1;
        sch_map *am = what == 3 ? &acc->functions : what == 2 ? &acc->objects
                    : enums ? &acc->enums : &acc->views;
        const sch_map *om = what == 3 ? &other->functions : what == 2 ? &other->objects
                          : enums ? &other->enums : &other->views;
        const sch_map *m = side & 1 ? om : am;
        for (int i = 0; i < m->cap; i++) {
            const sch_entry *e = &m->v[i];
            if (!e->key || !e->val)
                continue;
            void *va = strmap_get(am, e->key), *vo = strmap_get(om, e->key);
            if (va == vo || ((side & 1) && va))
                continue;
            const char *ca = created_by(va, what), *co = created_by(vo, what);
            if (va && !vo && is_ancestor(ctx, ca, 1))
                map_set(acc, am, e->key, NULL);  /* dropped there */
            else if (!va && vo && !is_ancestor(ctx, co, 0))
                map_set(acc, am, e->key, vo);
            else if (va && vo && is_ancestor(ctx, ca, 1) &&
                     !(enums && derives(va, vo)))
                map_set(acc, am, e->key, vo);   /* theirs, or changed there */
        }
    }
    for (int i = 0; i < other->uncertain.cap; i++) {
        const sch_entry *e = &other->uncertain.v[i];
        if (e->key && e->val && !strmap_get(&acc->uncertain, e->key))
            map_set(acc, &acc->uncertain, e->key, e->val);
    }
    for (int i = 0; i < other->cnames.cap; i++) {
        const sch_entry *e = &other->cnames.v[i];
        if (e->key && !strmap_get(&acc->cnames, e->key))
            strmap_put(acc->a, &acc->cnames, e->key, e->val);
    }
    if (other->seq > acc->seq)
        acc->seq = other->seq;
    acc->raw_seen |= other->raw_seen;
}
