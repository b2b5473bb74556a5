/*
 * unit.c: sema, graph and schema on hand-built trees (independent of the
 * parser).  Each case builds revisions, runs graph_build and sema_run with
 * diagnostics captured in a temporary file, and checks the outcome.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "revgraph.h"
#include "schema.h"
#include "sema.h"

static arena *A;
static int failures;
static src_file FILE_A = {"a.rev", "a.rev", "", 0};
static int line_no;

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,         \
                    __LINE__, #cond);                                      \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static src_loc L(void) { return (src_loc){&FILE_A, ++line_no, 1}; }
static ast_name N(const char *s) { return (ast_name){s, L()}; }
static ast_qname Q(const char *s) { return (ast_qname){{NULL, {0}}, N(s)}; }

static ast_revision *rev(const char *id, const char *parents)
{
    ast_revision *r = arena_alloc(A, sizeof *r);
    r->file = &FILE_A;
    r->id = N(id);
    r->transactional = r->schema_check = 1;
    r->has_parent = 1;
    if (parents) {
        char *p = arena_strdup(A, parents);
        for (char *t = strtok(p, ","); t; t = strtok(NULL, ",")) {
            ast_name *n = arena_alloc(A, sizeof *n);
            *n = N(t);
            list_push(A, &r->parents, n);
        }
    }
    return r;
}

static ast_coldef *col(const char *name, enum ast_type_kind k)
{
    ast_coldef *c = arena_alloc(A, sizeof *c);
    c->name = N(name);
    c->type.kind = k;
    c->type.p = c->type.s = -1;
    c->loc = c->name.loc;
    return c;
}

static ast_stmt *stmt(enum ast_stmt_kind k, const char *table)
{
    ast_stmt *s = arena_alloc(A, sizeof *s);
    s->kind = k;
    s->loc = L();
    if (table)
        s->table = Q(table);
    return s;
}

/* create_table T (cols...) with integer columns named in a comma list. */
static ast_stmt *create_table(const char *t, const char *cols)
{
    ast_stmt *s = stmt(ST_CREATE_TABLE, t);
    char *p = arena_strdup(A, cols);
    for (char *c = strtok(p, ","); c; c = strtok(NULL, ","))
        list_push(A, &s->columns, col(c, TY_INTEGER));
    return s;
}

static ast_stmt *create_index(const char *name, const char *t, const char *c)
{
    ast_stmt *s = stmt(ST_CREATE_INDEX, t);
    s->name = N(name);
    ast_index_elem *e = arena_alloc(A, sizeof *e);
    e->column = N(c);
    list_push(A, &s->elems, e);
    return s;
}

static ast_stmt *named(enum ast_stmt_kind k, const char *t, const char *name)
{
    ast_stmt *s = stmt(k, t);
    s->name = N(name);
    return s;
}

static ast_stmt *add_column(const char *t, const char *c)
{
    ast_stmt *s = stmt(ST_ADD_COLUMN, t);
    s->column = col(c, TY_TEXT);
    return s;
}

static void up(ast_revision *r, ast_stmt *s) { list_push(A, &r->upgrade, s); }

/* Runs graph + sema; returns the schema (NULL on errors) and leaves the
 * diagnostics text in *out. */
static schema *run(ptr_list *revs, char **out, diag *dd, rev_graph *g)
{
    FILE *f = tmpfile();
    diag_init(dd, f);
    schema *s = NULL;
    if (graph_build(g, A, dd, revs) == 0)
        s = sema_run(A, dd, g, -1);
    fflush(f);
    long n = ftell(f);
    rewind(f);
    *out = arena_alloc(A, (size_t)n + 1);
    if (fread(*out, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    return s;
}

static void test_graph_errors(void)
{
    ptr_list revs = {0};
    list_push(A, &revs, rev("a", NULL));
    list_push(A, &revs, rev("b", "a"));
    list_push(A, &revs, rev("a", NULL));
    list_push(A, &revs, rev("c", "zz"));
    char *out; diag d; rev_graph g;
    run(&revs, &out, &d, &g);
    CHECK(strstr(out, "duplicate revision id 'a'"));
    CHECK(strstr(out, "parent 'zz' names no revision"));

    ptr_list cyc = {0};
    list_push(A, &cyc, rev("root", NULL));
    list_push(A, &cyc, rev("x", "z,root"));
    list_push(A, &cyc, rev("y", "x"));
    list_push(A, &cyc, rev("z", "y"));
    run(&cyc, &out, &d, &g);
    CHECK(strstr(out, "cycle: x -> y -> z -> x"));
}

static void test_graph_order(void)
{
    ptr_list revs = {0};
    ast_revision *m = rev("m", "c,b");
    list_push(A, &revs, m);
    list_push(A, &revs, rev("c", "a"));
    list_push(A, &revs, rev("b", "a"));
    ast_revision *a = rev("a", NULL);
    ast_name *lab = arena_alloc(A, sizeof *lab);
    *lab = N("feature");
    list_push(A, &a->branches, lab);
    list_push(A, &revs, a);
    char *out; diag d; rev_graph g;
    run(&revs, &out, &d, &g);
    CHECK(d.errors == 0);
    CHECK(g.count == 4);
    CHECK(strcmp(g.nodes[0].rev->id.text, "a") == 0);
    CHECK(strcmp(g.nodes[1].rev->id.text, "b") == 0);
    CHECK(strcmp(g.nodes[3].rev->id.text, "m") == 0);
    CHECK(g.head_count == 1 && g.heads[0] == 3);
    CHECK(graph_find(&g, "m") == 3);
    CHECK(graph_find(&g, "feature") == 3);
    CHECK(graph_find(&g, "q") == -1);
}

static void test_unknown_column(void)
{
    ptr_list revs = {0};
    ast_revision *r = rev("r1", NULL);
    up(r, create_table("users", "id,email"));
    ast_stmt *dc = named(ST_DROP_COLUMN, "users", "emial");
    up(r, dc);
    up(r, create_index("ix", "users", "nope"));
    up(r, named(ST_DROP_COLUMN, "nosuch", "x"));
    list_push(A, &revs, r);
    char *out; diag d; rev_graph g;
    schema *s = run(&revs, &out, &d, &g);
    CHECK(!s);
    char want[128];
    snprintf(want, sizeof want, "a.rev:%d:1: error: unknown column 'emial' in table 'users'",
             dc->name.loc.line);
    CHECK(strstr(out, want));
    CHECK(strstr(out, "unknown column 'nope' in table 'users'"));
    CHECK(strstr(out, "unknown table 'nosuch'"));
}

static void test_derived_downgrade(void)
{
    ptr_list revs = {0};
    ast_revision *r1 = rev("r1", NULL);
    up(r1, create_table("users", "id,email"));
    up(r1, create_index("ix_email", "users", "email"));
    ast_revision *r2 = rev("r2", "r1");
    up(r2, named(ST_DROP_COLUMN, "users", "email"));
    up(r2, named(ST_DROP_TABLE, "users", NULL));
    list_push(A, &revs, r1);
    list_push(A, &revs, r2);
    char *out; diag d; rev_graph g;
    schema *s = run(&revs, &out, &d, &g);
    CHECK(s && d.errors == 0);
    CHECK(r2->downgrade_derived);
    /* create_table users (id), create... wait: reverse order: first undo
     * the drop_table (users with id only), then add email back with its
     * index. */
    CHECK(r2->downgrade.count == 3);
    ast_stmt *s0 = r2->downgrade.items[0], *s1 = r2->downgrade.items[1],
             *s2 = r2->downgrade.items[2];
    CHECK(s0->kind == ST_CREATE_TABLE && s0->columns.count == 1);
    CHECK(s1->kind == ST_ADD_COLUMN && strcmp(s1->column->name.text, "email") == 0);
    CHECK(s2->kind == ST_CREATE_INDEX && strcmp(s2->name.text, "ix_email") == 0);
    CHECK(s2->after && s2->after->indexes.count == 1);
    CHECK(r1->downgrade.count == 2);
    CHECK(((ast_stmt *)r1->downgrade.items[0])->kind == ST_DROP_INDEX);
    CHECK(((ast_stmt *)r1->downgrade.items[0])->before != NULL);
    CHECK(s && !schema_table(s, NULL, "users"));

    ptr_list bad = {0};
    ast_revision *r = rev("x", NULL);
    up(r, stmt(ST_EXECUTE, NULL));
    list_push(A, &bad, r);
    run(&bad, &out, &d, &g);
    CHECK(strstr(out, "irreversible statement 'execute' in an upgrade without a downgrade block"));
}

static void test_merge(void)
{
    ptr_list revs = {0};
    ast_revision *a = rev("a", NULL);
    up(a, create_table("users", "id"));
    up(a, create_table("gone", "id"));
    ast_revision *b = rev("b", "a");
    up(b, add_column("users", "bcol"));
    up(b, named(ST_DROP_TABLE, "gone", NULL));
    ast_revision *c = rev("c", "a");
    up(c, add_column("users", "ccol"));
    ast_revision *m = rev("m", "b,c");
    list_push(A, &revs, a);
    list_push(A, &revs, b);
    list_push(A, &revs, c);
    list_push(A, &revs, m);
    char *out; diag d; rev_graph g;
    schema *s = run(&revs, &out, &d, &g);
    CHECK(s && d.errors == 0);
    sch_table *u = schema_table(s, NULL, "users");
    CHECK(u && u->columns.count == 3);
    CHECK(!schema_table(s, NULL, "gone"));

    ptr_list two = {0};
    list_push(A, &two, rev("a", NULL));
    ast_revision *x = rev("x", "a"), *y = rev("y", "a");
    up(x, create_table("t", "id"));
    up(y, create_table("t", "id"));
    list_push(A, &two, x);
    list_push(A, &two, y);
    list_push(A, &two, rev("mm", "x,y"));
    run(&two, &out, &d, &g);
    CHECK(strstr(out, "table 't' is created on two branches"));
}

static void test_if(void)
{
    ptr_list revs = {0};
    ast_revision *a = rev("a", NULL);
    up(a, create_table("users", "id"));
    ast_stmt *i1 = stmt(ST_IF, NULL);
    i1->cond.kind = COND_COLUMN_EXISTS;
    i1->cond.negate = 1;
    i1->cond.table = Q("users");
    i1->cond.name = N("age");
    list_push(A, &i1->then_body, add_column("users", "age"));
    up(a, i1);
    ast_stmt *i2 = stmt(ST_IF, NULL);
    i2->cond.kind = COND_TABLE_EXISTS;
    i2->cond.table = Q("legacy");
    list_push(A, &i2->then_body, named(ST_DROP_COLUMN, "legacy", "x"));
    list_push(A, &i2->then_body, named(ST_DROP_TABLE, "legacy", NULL));
    list_push(A, &i2->else_body, create_table("other", "id"));
    up(a, i2);
    up(a, add_column("other", "z"));
    a->has_downgrade = 1;      /* `downgrade { }` */
    ast_revision *b = rev("b", "a");
    ast_stmt *i3 = stmt(ST_IF, NULL);
    i3->cond = i1->cond;
    list_push(A, &i3->then_body, add_column("users", "age2"));
    up(b, i3);
    list_push(A, &revs, a);
    list_push(A, &revs, b);
    char *out; diag d; rev_graph g;
    schema *s = run(&revs, &out, &d, &g);
    if (d.errors)
        fputs(out, stderr);
    CHECK(s && d.errors == 0);
    CHECK(i1->cond.offline_value == 1);
    CHECK(i2->cond.offline_value == 0);
    CHECK(sch_column(schema_table(s, NULL, "users"), "age"));
    CHECK(schema_table(s, NULL, "other"));
    CHECK(strstr(out, "warning: table 'other' may or may not exist"));
    CHECK(a->downgrade.count == 0 && !a->downgrade_derived);
    /* b: the same condition, the inverse body */
    CHECK(b->downgrade.count == 1);
    ast_stmt *inv = b->downgrade.items[0];
    CHECK(inv->kind == ST_IF && inv->cond.negate == 1 &&
          inv->then_body.count == 1 &&
          ((ast_stmt *)inv->then_body.items[0])->kind == ST_DROP_COLUMN);
}

static void test_unknown_definition(void)
{
    ptr_list revs = {0};
    ast_revision *a = rev("a", NULL);
    ast_stmt *i = stmt(ST_IF, NULL);
    i->cond.kind = COND_TABLE_EXISTS;
    i->cond.table = Q("legacy");
    list_push(A, &i->then_body, named(ST_DROP_TABLE, "legacy", NULL));
    up(a, i);
    list_push(A, &revs, a);
    char *out; diag d; rev_graph g;
    CHECK(!run(&revs, &out, &d, &g));
    CHECK(strstr(out, "the definition of table 'legacy' is unknown"));
}

static void test_perf(void)
{
    enum { N_REV = 10000 };
    ptr_list revs = {0};
    char prev[32] = "", t[32], pt[32], ix[32];
    for (int i = 0; i < N_REV; i++) {
        char id[32];
        snprintf(id, sizeof id, "r%05d", i);
        ast_revision *r = rev(arena_strdup(A, id), i ? arena_strdup(A, prev) : NULL);
        snprintf(t, sizeof t, "t%d", i);
        snprintf(ix, sizeof ix, "ix%d", i);
        up(r, create_table(arena_strdup(A, t), "id,a,b"));
        up(r, create_index(arena_strdup(A, ix), arena_strdup(A, t), "a"));
        if (i) {
            snprintf(pt, sizeof pt, "t%d", i - 1);
            up(r, add_column(arena_strdup(A, pt), "c"));
        }
        list_push(A, &revs, r);
        strcpy(prev, id);
    }
    clock_t t0 = clock();
    char *out; diag d; rev_graph g;
    schema *s = run(&revs, &out, &d, &g);
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    printf("10000 revisions: graph + sema in %.1f ms\n", ms);
    CHECK(s && d.errors == 0);
    ptr_list all = {0};
    schema_tables(s, &all, A);
    CHECK(all.count == N_REV);
    /* No bound on the time: the machine is shared (bench/ measures). */
}

int main(void)
{
    A = arena_new();
    test_graph_errors();
    test_graph_order();
    test_unknown_column();
    test_derived_downgrade();
    test_merge();
    test_if();
    test_unknown_definition();
    test_perf();
    arena_free(A);
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    return failures != 0;
}
