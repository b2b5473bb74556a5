/*
 * render_test.c: the renderer, plan and emitter on hand-built syntax trees
 * (independent of the parser).
 *
 *   render_test unit        assertions; exit status 0 when all hold
 *   render_test rebuild     a SQLite script: set-up, data, the rebuilds,
 *                           then queries whose output rebuild.sh compares
 *   render_test schema      render_schema() of two tables, for sqlite3
 *   render_test emit        migrations.c of a small history on stdout
 *   render_test big N       migrations.c of an N-revision chain
 *   render_test empty       migrations.c of a history without revisions
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "revgraph.h"
#include "plan.h"
#include "render.h"
#include "schema.h"
#include "sha256.h"
#include "sql_reserved.h"

static arena *A;
static int failures;

#define CHECK_STR(got, want) check_str(__LINE__, (got), (want))

static void check_str(int line, const char *got, const char *want)
{
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "render_test.c:%d: got\n%s\nwant\n%s\n", line, got, want);
        failures++;
    }
}

/* ---- builders ---- */

static ast_name nm(const char *s)
{
    ast_name n = {0};
    n.text = s;
    return n;
}

static ast_qname qn(const char *schema, const char *name)
{
    ast_qname q = {{0}, {0}};
    q.schema = nm(schema);
    q.name = nm(name);
    return q;
}

static ast_type ty(enum ast_type_kind k, int p, int s)
{
    ast_type t = {0};
    t.kind = k;
    t.p = p;
    t.s = s;
    return t;
}

static ast_expr *ex(enum ast_expr_kind k, const char *text)
{
    ast_expr *e = arena_alloc(A, sizeof *e);
    e->kind = k;
    e->text = text;
    return e;
}

static ast_coldef *col(const char *name, enum ast_type_kind k, int p)
{
    ast_coldef *c = arena_alloc(A, sizeof *c);
    c->name = nm(name);
    c->type = ty(k, p, -1);
    return c;
}

static ptr_list names(const char *a, const char *b)
{
    ptr_list l = {0};
    ast_name *x = arena_alloc(A, sizeof *x);
    *x = nm(a);
    list_push(A, &l, x);
    if (b) {
        ast_name *y = arena_alloc(A, sizeof *y);
        *y = nm(b);
        list_push(A, &l, y);
    }
    return l;
}

static ast_reference *ref(const char *table, const char *column)
{
    ast_reference *r = arena_alloc(A, sizeof *r);
    r->table = qn(NULL, table);
    r->columns = names(column, NULL);
    return r;
}

static sch_index *index_on(const char *name, const char *table, const char *column,
                           int unique)
{
    sch_index *ix = arena_alloc(A, sizeof *ix);
    ast_index_elem *e = arena_alloc(A, sizeof *e);
    e->column = nm(column);
    ix->name = name;
    ix->table = qn(NULL, table);
    list_push(A, &ix->elems, e);
    ix->unique = unique;
    return ix;
}

static sch_table *table(const char *name, ast_coldef **cols)
{
    sch_table *t = arena_alloc(A, sizeof *t);
    t->name = qn(NULL, name);
    for (; *cols; cols++)
        list_push(A, &t->columns, *cols);
    return t;
}

static ast_stmt *stmt(enum ast_stmt_kind k, const char *table_name)
{
    ast_stmt *s = arena_alloc(A, sizeof *s);
    s->kind = k;
    s->table = qn(NULL, table_name);
    return s;
}

/* All SQL of a statement, each followed by ";\n". */
static const char *sql_of(enum retort_dialect d, const ast_stmt *st)
{
    ptr_list out = {0};
    size_t n = 1;
    render_stmt(A, d, st, &out);
    for (int i = 0; i < out.count; i++)
        n += strlen(((render_sql *)out.items[i])->sql) + 2;
    char *s = arena_alloc(A, n);
    for (int i = 0; i < out.count; i++) {
        strcat(s, ((render_sql *)out.items[i])->sql);
        strcat(s, ";\n");
    }
    return s;
}

/* ---- the tables of the tests ---- */

static ast_coldef *id_col(void)
{
    ast_coldef *c = col("id", TY_INTEGER, -1);
    c->primary_key = c->autoincrement = 1;
    return c;
}

static sch_table *parent_table(void)
{
    ast_coldef *cols[] = {id_col(), col("name", TY_TEXT, -1), NULL};
    return table("parent", cols);
}

/* child as created: email varchar(100) not null, an FK, two indexes. */
static sch_table *child_table(void)
{
    ast_coldef *pid = col("parent_id", TY_INTEGER, -1);
    ast_coldef *email = col("email", TY_VARCHAR, 100);
    ast_coldef *flag = col("flag", TY_BOOLEAN, -1);
    pid->references = ref("parent", "id");
    pid->references->on_delete = FK_CASCADE;
    email->not_null = 1;
    flag->dflt = ex(EX_TRUE, NULL);
    ast_coldef *cols[] = {id_col(), pid, email, flag, NULL};
    sch_table *t = table("child", cols);
    list_push(A, &t->indexes, index_on("ix_child_email", "child", "email", 1));
    list_push(A, &t->indexes, index_on("ix_child_parent", "child", "parent_id", 0));
    return t;
}

/* A copy whose columns can be changed without touching the original
 * (what sema's snapshots are). */
static sch_table *copy(const sch_table *t)
{
    sch_table *n = arena_alloc(A, sizeof *n);
    *n = *t;
    n->columns = (ptr_list){0};
    n->constraints = (ptr_list){0};
    n->indexes = (ptr_list){0};
    for (int i = 0; i < t->columns.count; i++) {
        ast_coldef *c = arena_alloc(A, sizeof *c);
        *c = *(ast_coldef *)t->columns.items[i];
        list_push(A, &n->columns, c);
    }
    for (int i = 0; i < t->constraints.count; i++)
        list_push(A, &n->constraints, t->constraints.items[i]);
    for (int i = 0; i < t->indexes.count; i++)
        list_push(A, &n->indexes, t->indexes.items[i]);
    return n;
}

static ast_coldef *column(sch_table *t, const char *name)
{
    ast_coldef *c = sch_column(t, name);
    if (!c) {
        fprintf(stderr, "no column %s\n", name);
        exit(1);
    }
    return c;
}

static void remove_column(sch_table *t, const char *name)
{
    ptr_list l = {0};
    for (int i = 0; i < t->columns.count; i++)
        if (strcmp(((ast_coldef *)t->columns.items[i])->name.text, name) != 0)
            list_push(A, &l, t->columns.items[i]);
    t->columns = l;
}

/* ---- unit ---- */

static int in_list(const char *w, size_t n)
{
    for (size_t i = 0; i < sizeof sql_reserved_words / sizeof sql_reserved_words[0]; i++)
        if (strlen(sql_reserved_words[i]) == n && !strncmp(sql_reserved_words[i], w, n))
            return 1;
    return 0;
}

/* The shared reserved-word list is sorted (its binary search depends on
 * it), and the search agrees with a plain scan on each word, its prefixes
 * and an extension of it. */
static void test_reserved_list(void)
{
    size_t n = sizeof sql_reserved_words / sizeof sql_reserved_words[0];
    for (size_t i = 0; i < n; i++) {
        const char *w = sql_reserved_words[i];
        char longer[64];
        if (i > 0 && strcmp(sql_reserved_words[i - 1], w) >= 0) {
            fprintf(stderr, "sql_reserved.h: '%s' before '%s'\n", sql_reserved_words[i - 1], w);
            failures++;
        }
        snprintf(longer, sizeof longer, "%s_", w);
        for (size_t k = 1; k <= strlen(longer); k++)
            if (sql_reserved(longer, k) != in_list(longer, k)) {
                fprintf(stderr, "sql_reserved('%.*s') wrong\n", (int)k, longer);
                failures++;
            }
    }
}

static void test_idents(void)
{
    CHECK_STR(render_ident(A, "users"), "users");
    CHECK_STR(render_ident(A, "_x9"), "_x9");
    CHECK_STR(render_ident(A, "user"), "\"user\"");
    CHECK_STR(render_ident(A, "order"), "\"order\"");
    CHECK_STR(render_ident(A, "Users"), "\"Users\"");
    CHECK_STR(render_ident(A, "9lives"), "\"9lives\"");
    CHECK_STR(render_ident(A, "a b"), "\"a b\"");
    CHECK_STR(render_ident(A, "x\"; DROP TABLE t; --"), "\"x\"\"; DROP TABLE t; --\"");
    CHECK_STR(render_ident(A, "caf\xc3\xa9"), "\"caf\xc3\xa9\"");
    CHECK_STR(render_ident(A, ""), "\"\"");
    ast_qname q = qn("billing", "invoices");
    CHECK_STR(render_qname(A, &q), "billing.invoices");
}

static void test_types(void)
{
    static const struct { enum ast_type_kind k; int p, s; const char *lite, *pg; } cases[] = {
        {TY_SMALLINT, -1, -1, "SMALLINT", "SMALLINT"},
        {TY_BIGINT, -1, -1, "BIGINT", "BIGINT"},
        {TY_BOOLEAN, -1, -1, "BOOLEAN", "BOOLEAN"},
        {TY_REAL, -1, -1, "REAL", "REAL"},
        {TY_DOUBLE, -1, -1, "FLOAT", "DOUBLE PRECISION"},
        {TY_NUMERIC, 10, 2, "NUMERIC(10, 2)", "NUMERIC(10, 2)"},
        {TY_NUMERIC, -1, -1, "NUMERIC", "NUMERIC"},
        {TY_VARCHAR, 255, -1, "VARCHAR(255)", "VARCHAR(255)"},
        {TY_CHAR, 2, -1, "CHAR(2)", "CHAR(2)"},
        {TY_TEXT, -1, -1, "TEXT", "TEXT"},
        {TY_DATE, -1, -1, "DATE", "DATE"},
        {TY_TIME, -1, -1, "TIME", "TIME"},
        {TY_TIMESTAMP, -1, -1, "DATETIME", "TIMESTAMP WITHOUT TIME ZONE"},
        {TY_TIMESTAMPTZ, -1, -1, "DATETIME", "TIMESTAMP WITH TIME ZONE"},
        {TY_BLOB, -1, -1, "BLOB", "BYTEA"},
        {TY_JSON, -1, -1, "JSON", "JSON"},
        {TY_JSONB, -1, -1, "JSON", "JSONB"},
        {TY_UUID, -1, -1, "CHAR(32)", "UUID"},
        {TY_INTERVAL, -1, -1, "VARCHAR(32)", "INTERVAL"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ast_type t = ty(cases[i].k, cases[i].p, cases[i].s);
        CHECK_STR(render_type(A, RETORT_SQLITE, &t), cases[i].lite);
        CHECK_STR(render_type(A, RETORT_POSTGRESQL, &t), cases[i].pg);
    }
    ast_type raw = ty(TY_RAW, -1, -1);
    raw.raw = "citext";
    CHECK_STR(render_type(A, RETORT_POSTGRESQL, &raw), "citext");
    ast_type per = ty(TY_RAW, -1, -1);
    per.raw_for[RETORT_SQLITE] = "TEXT";
    per.raw_for[RETORT_POSTGRESQL] = "CITEXT";
    CHECK_STR(render_type(A, RETORT_SQLITE, &per), "TEXT");
    CHECK_STR(render_type(A, RETORT_POSTGRESQL, &per), "CITEXT");
}

static void test_statements(void)
{
    /* The SPEC's users table. */
    ast_stmt *ct = stmt(ST_CREATE_TABLE, "users");
    ast_coldef *id = col("id", TY_BIGINT, -1);
    id->primary_key = id->autoincrement = 1;
    ast_coldef *email = col("email", TY_VARCHAR, 255);
    email->not_null = email->unique = 1;
    ast_coldef *active = col("is_active", TY_BOOLEAN, -1);
    active->not_null = 1;
    active->dflt = ex(EX_TRUE, NULL);
    ast_coldef *created = col("created_at", TY_TIMESTAMP, -1);
    created->not_null = 1;
    created->dflt = ex(EX_CURRENT_TIMESTAMP, NULL);
    ast_coldef *note = col("note", TY_TEXT, -1);
    note->dflt = ex(EX_STRING, "it's; -- fine");
    list_push(A, &ct->columns, id);
    list_push(A, &ct->columns, email);
    list_push(A, &ct->columns, active);
    list_push(A, &ct->columns, created);
    list_push(A, &ct->columns, note);
    CHECK_STR(sql_of(RETORT_SQLITE, ct),
              "CREATE TABLE users (\n"
              "    id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
              "    email VARCHAR(255) NOT NULL UNIQUE,\n"
              "    is_active BOOLEAN NOT NULL DEFAULT 1,\n"
              "    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
              "    note TEXT DEFAULT 'it''s; -- fine'\n"
              ");\n");
    CHECK_STR(sql_of(RETORT_POSTGRESQL, ct),
              "CREATE TABLE users (\n"
              "    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,\n"
              "    email VARCHAR(255) NOT NULL UNIQUE,\n"
              "    is_active BOOLEAN NOT NULL DEFAULT TRUE,\n"
              "    created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
              "    note TEXT DEFAULT 'it''s; -- fine'\n"
              ");\n");

    ast_stmt *ix = stmt(ST_CREATE_INDEX, "users");
    ix->name = nm("ix_users_email");
    ast_index_elem *e = arena_alloc(A, sizeof *e);
    e->column = nm("email");
    e->order = 2;
    ast_index_elem *e2 = arena_alloc(A, sizeof *e2);
    e2->expr = "lower(full_name)";
    list_push(A, &ix->elems, e);
    list_push(A, &ix->elems, e2);
    ix->unique = ix->concurrently = ix->if_not_exists = 1;
    ix->where = "is_active";
    CHECK_STR(sql_of(RETORT_SQLITE, ix),
              "CREATE UNIQUE INDEX IF NOT EXISTS ix_users_email ON users (email DESC, (lower(full_name))) WHERE is_active;\n");
    CHECK_STR(sql_of(RETORT_POSTGRESQL, ix),
              "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ix_users_email ON users (email DESC, (lower(full_name))) WHERE is_active;\n");

    ast_stmt *di = stmt(ST_DROP_INDEX, NULL);
    di->name = nm("ix_inv");
    di->if_exists = 1;
    sch_table *inv = arena_alloc(A, sizeof *inv);
    inv->name = qn("billing", "invoices");
    di->before = inv;
    CHECK_STR(sql_of(RETORT_POSTGRESQL, di), "DROP INDEX IF EXISTS billing.ix_inv;\n");

    ast_stmt *at = stmt(ST_ALTER_TYPE, "users");
    at->name = nm("age");
    at->type = ty(TY_BIGINT, -1, -1);
    at->using_expr = "age::bigint";
    CHECK_STR(sql_of(RETORT_POSTGRESQL, at),
              "ALTER TABLE users ALTER COLUMN age TYPE BIGINT USING age::bigint;\n");

    ast_stmt *bi = stmt(ST_BULK_INSERT, "User");
    bi->cols = names("name", "active");
    for (int i = 0; i < 2; i++) {
        ptr_list *row = arena_alloc(A, sizeof *row);
        list_push(A, row, ex(EX_STRING, i ? "o'brien" : "x"));
        list_push(A, row, ex(i ? EX_NULL : EX_FALSE, NULL));
        list_push(A, &bi->rows, row);
    }
    CHECK_STR(sql_of(RETORT_SQLITE, bi),
              "INSERT INTO \"User\" (name, active) VALUES\n    ('x', 0),\n    ('o''brien', NULL);\n");
    CHECK_STR(sql_of(RETORT_POSTGRESQL, bi),
              "INSERT INTO \"User\" (name, active) VALUES\n    ('x', FALSE),\n    ('o''brien', NULL);\n");

    ast_stmt *xs = stmt(ST_EXECUTE, NULL);
    xs->raw = "  PRAGMA journal_mode=WAL;  \n";
    xs->dialect = DIALECT_SQLITE;
    CHECK_STR(sql_of(RETORT_SQLITE, xs), "PRAGMA journal_mode=WAL;\n");
    CHECK_STR(sql_of(RETORT_POSTGRESQL, xs), "");

    ast_stmt *ac = stmt(ST_ADD_COLUMN, "users");
    ac->column = col("age", TY_INTEGER, -1);
    ac->if_not_exists = 1;
    CHECK_STR(sql_of(RETORT_POSTGRESQL, ac), "ALTER TABLE users ADD COLUMN IF NOT EXISTS age INTEGER;\n");
    CHECK_STR(sql_of(RETORT_SQLITE, ac), "ALTER TABLE users ADD COLUMN age INTEGER;\n");

    ast_stmt *fk = stmt(ST_CREATE_FOREIGN_KEY, "orders");
    fk->name = nm("fk_orders_user");
    fk->cols = names("user_id", NULL);
    fk->references = ref("users", "id");
    fk->references->on_delete = FK_SET_NULL;
    CHECK_STR(sql_of(RETORT_POSTGRESQL, fk),
              "ALTER TABLE orders ADD CONSTRAINT fk_orders_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL;\n");
}

static void test_sha256(void)
{
    static const struct { const char *in, *out; } v[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
        {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    };
    char out[65];
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        sha256_hex(v[i].in, strlen(v[i].in), out);
        CHECK_STR(out, v[i].out);
    }
    /* A million 'a', fed in uneven pieces. */
    static char m[1000000];
    memset(m, 'a', sizeof m);
    sha256_ctx c;
    unsigned char d[32];
    sha256_init(&c);
    for (size_t off = 0; off < sizeof m;) {
        size_t k = sizeof m - off < 777 ? sizeof m - off : 777;
        sha256_update(&c, m + off, k);
        off += k;
    }
    sha256_final(&c, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    CHECK_STR(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* ---- a small history ---- */

static src_file the_file = {"r.rev", "sub/r.rev", "", 0};

static ast_revision *revision(const char *id, const char *parent)
{
    ast_revision *r = arena_alloc(A, sizeof *r);
    r->file = &the_file;
    r->id = nm(id);
    r->has_parent = 1;
    if (parent)
        r->parents = names(parent, NULL);
    r->transactional = 1;
    r->message = "a \"quoted\" message ?\?= with trigraph\n\xe2\x9c\x93";
    return r;
}

static rev_graph small_history(void)
{
    ast_revision *r1 = revision("dcd397241ba3", NULL);
    ast_revision *r2 = revision("1975ea83b712", "dcd397241ba3");
    {
        ast_name *label = arena_alloc(A, sizeof *label);
        *label = nm("feature");
        list_push(A, &r2->branches, label);
    }
    ast_stmt *ct = stmt(ST_CREATE_TABLE, "parent");
    ct->columns = parent_table()->columns;
    list_push(A, &r1->upgrade, ct);
    list_push(A, &r1->downgrade, stmt(ST_DROP_TABLE, "parent"));

    /* r2: an IF with a dialect IF inside, a long bulk insert, a rebuild. */
    ast_stmt *iff = stmt(ST_IF, NULL);
    iff->cond.kind = COND_TABLE_EXISTS;
    iff->cond.table = qn(NULL, "legacy");
    iff->cond.offline_value = 0;
    ast_stmt *dia = stmt(ST_IF, NULL);
    dia->cond.kind = COND_DIALECT;
    dia->cond.dialect = DIALECT_POSTGRESQL;
    ast_stmt *x1 = stmt(ST_EXECUTE, NULL);
    x1->raw = "SELECT 'pg only'";
    ast_stmt *x2 = stmt(ST_EXECUTE, NULL);
    x2->raw = "SELECT 'sqlite only'";
    list_push(A, &dia->then_body, x1);
    list_push(A, &dia->else_body, x2);
    list_push(A, &iff->then_body, dia);
    list_push(A, &iff->then_body, stmt(ST_DROP_TABLE, "legacy"));
    list_push(A, &r2->upgrade, iff);

    ast_stmt *bi = stmt(ST_BULK_INSERT, "parent");
    bi->cols = names("name", NULL);
    for (int i = 0; i < 600; i++) {
        ptr_list *row = arena_alloc(A, sizeof *row);
        list_push(A, row, ex(EX_STRING, arena_printf(A, "name %d \\ \"?\" \x01", i)));
        list_push(A, &bi->rows, row);
    }
    list_push(A, &r2->upgrade, bi);

    ast_stmt *sd = stmt(ST_ALTER_SET_DEFAULT, "parent");
    sd->name = nm("name");
    sd->dflt = ex(EX_STRING, "anon");
    sd->before = parent_table();
    sch_table *after = copy(sd->before);
    column(after, "name")->dflt = sd->dflt;
    sd->after = after;
    list_push(A, &r2->upgrade, sd);
    ast_stmt *x3 = stmt(ST_EXECUTE, NULL);
    x3->raw = "DELETE FROM parent";
    list_push(A, &r2->downgrade, x3);

    ptr_list revs = {0};
    list_push(A, &revs, r1);
    list_push(A, &revs, r2);
    rev_graph g;
    diag d;
    diag_init(&d, stderr);
    if (graph_build(&g, A, &d, &revs) != 0) {
        fprintf(stderr, "graph_build failed\n");
        exit(1);
    }
    return g;
}

static char *emit_to_string(const retort_history *h)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f || emit_c(f, h) != 0)
        exit(1);
    fclose(f);
    return buf;
}

static void test_plan(void)
{
    rev_graph g = small_history();
    retort_history *h = plan_build(A, &g, "app", NULL);
    if (h->revision_count != 2 || h->head_count != 1 || h->heads[0] != 1) {
        fprintf(stderr, "plan: bad revisions/heads\n");
        failures++;
        return;
    }
    const retort_revision *r2 = &h->revisions[1];
    CHECK_STR(retort_str(h, r2->id), "1975ea83b712");
    CHECK_STR(retort_str(h, h->revisions[h->by_id[0]].id), "1975ea83b712");
    if (r2->parents_count != 1 || h->refs[r2->parents_first] != 0 ||
        r2->labels_count != 1 ||
        strcmp(retort_str(h, h->labels[r2->labels_first]), "feature") != 0) {
        fprintf(stderr, "plan: bad refs or labels\n");
        failures++;
    }
    CHECK_STR(retort_str(h, r2->file), "sub/r.rev");
    /* The upgrade's first step is the IF; its then range holds the
     * dialect's own execute and the drop. */
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++) {
        const retort_step *s = &h->steps[r2->upgrade[d].first];
        if (s->kind != RETORT_STEP_IF || s->then_count != 2 || s->else_count != 0) {
            fprintf(stderr, "plan: bad IF\n");
            failures++;
            continue;
        }
        CHECK_STR(retort_str(h, h->steps[s->then_first].sql),
                  d == RETORT_SQLITE ? "SELECT 'sqlite only'" : "SELECT 'pg only'");
        CHECK_STR(retort_str(h, s->table), "legacy");
        if (s->sql != RETORT_NO_STRING || s->schema != RETORT_NO_STRING ||
            h->steps[s->then_first].schema != RETORT_NO_STRING) {
            fprintf(stderr, "plan: an absent string is not RETORT_NO_STRING\n");
            failures++;
        }
    }
    const retort_step *last = &h->steps[r2->upgrade[RETORT_SQLITE].first +
                                        r2->upgrade[RETORT_SQLITE].count - 1];
    if (last->kind != RETORT_STEP_EXPECT_EMPTY) {
        fprintf(stderr, "plan: the SQLite rebuild should end with a check\n");
        failures++;
    }
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
        if (strlen(retort_str(h, r2->checksum[d])) != 64) {
            fprintf(stderr, "plan: bad checksum\n");
            failures++;
        }
    /* r2's upgrade runs different statements on each dialect. */
    if (!strcmp(retort_str(h, r2->checksum[RETORT_SQLITE]),
                retort_str(h, r2->checksum[RETORT_POSTGRESQL]))) {
        fprintf(stderr, "plan: one checksum for two different upgrades\n");
        failures++;
    }
    /* Identical input, identical output. */
    rev_graph g2 = small_history();
    retort_history *h2 = plan_build(A, &g2, "app", NULL);
    for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
        CHECK_STR(retort_str(h2, h2->revisions[1].checksum[d]),
                  retort_str(h, r2->checksum[d]));
    char *c1 = emit_to_string(h), *c2 = emit_to_string(h2);
    CHECK_STR(c1, c2);
    free(c1);
    free(c2);
}

/* call NAME: no SQL; one CALL step each, naming its function, and one
 * calls[] entry (one declaration in migrations.c) per distinct function. */
static void test_plan_calls(void)
{
    static const char *const order[] = {"hash_a", "log_b", "hash_a"};
    ast_revision *r = revision("c0ffee000001", NULL);
    for (int i = 0; i < 3; i++) {
        ast_stmt *c = stmt(ST_CALL, NULL);
        c->name = nm(order[i]);
        list_push(A, &r->upgrade, c);
    }
    ast_stmt *down = stmt(ST_CALL, NULL);
    down->name = nm("log_b");
    list_push(A, &r->downgrade, down);
    ptr_list out = {0};
    render_stmt(A, RETORT_POSTGRESQL, down, &out);
    render_stmt(A, RETORT_SQLITE, down, &out);
    if (out.count != 0) {
        fprintf(stderr, "call: rendered %d SQL statements\n", out.count);
        failures++;
    }
    ptr_list revs = {0};
    list_push(A, &revs, r);
    rev_graph g;
    diag d;
    diag_init(&d, stderr);
    if (graph_build(&g, A, &d, &revs) != 0)
        exit(1);
    retort_history *h = plan_build(A, &g, "app", NULL);
    if (h->call_count != 2 || h->calls != NULL) {
        fprintf(stderr, "call: call_count %u (want 2), calls %p (want none)\n",
                h->call_count, (const void *)h->calls);
        failures++;
        return;
    }
    const retort_revision *v = &h->revisions[0];
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
        if (v->upgrade[k].count != 3 || v->downgrade[k].count != 1) {
            fprintf(stderr, "call: %u up / %u down steps\n", v->upgrade[k].count,
                    v->downgrade[k].count);
            failures++;
            continue;
        }
        for (unsigned i = 0; i < 3; i++) {
            const retort_step *s = &h->steps[v->upgrade[k].first + i];
            if (s->kind != RETORT_STEP_CALL || s->call != (i == 1) ||
                s->sql != RETORT_NO_STRING) {
                fprintf(stderr, "call: step %u: kind %u call %u\n", i, s->kind, s->call);
                failures++;
            }
            CHECK_STR(retort_str(h, s->name), order[i]);
        }
        if (h->steps[v->downgrade[k].first].call != 1) {
            fprintf(stderr, "call: the downgrade's log_b is not calls[1]\n");
            failures++;
        }
    }
    char *c = emit_to_string(h);
    const char *decl = strstr(c, "int hash_a(retort_call *ctx);\n");
    if (!decl || strstr(decl + 1, "int hash_a(") || !strstr(c, "int log_b(retort_call *ctx);\n") ||
        !strstr(c, "static retort_call_fn *const calls[] = {\n    hash_a, log_b,\n};") ||
        !strstr(c, "    calls, 2,\n    0, 0\n};")) {
        fprintf(stderr, "call: migrations.c lacks the declarations or calls[]:\n%s\n", c);
        failures++;
    }
    free(c);
}

static void test_schema(void);

static void unit(void)
{
    test_reserved_list();
    test_idents();
    test_types();
    test_statements();
    test_sha256();
    test_plan();
    test_plan_calls();
    test_schema();
}

/* ---- rebuild: a SQLite script ---- */

static void print(enum retort_dialect d, const ast_stmt *st)
{
    fputs(sql_of(d, st), stdout);
}

static void rebuild_script(void)
{
    puts(".bail on");
    /* Set-up, as the runtime runs a migration: foreign keys off. */
    puts("PRAGMA foreign_keys = OFF;");
    ast_stmt *cp = stmt(ST_CREATE_TABLE, "parent");
    cp->columns = parent_table()->columns;
    print(RETORT_SQLITE, cp);
    sch_table *child = child_table();
    ast_stmt *cc = stmt(ST_CREATE_TABLE, "child");
    cc->columns = child->columns;
    print(RETORT_SQLITE, cc);
    for (int i = 0; i < child->indexes.count; i++) {
        const sch_index *ix = child->indexes.items[i];
        ast_stmt *ci = stmt(ST_CREATE_INDEX, "child");
        ci->name = nm(ix->name);
        ci->elems = ix->elems;
        ci->unique = ix->unique;
        print(RETORT_SQLITE, ci);
    }
    puts("INSERT INTO parent (name) VALUES ('a'), ('b');");
    puts("INSERT INTO child (parent_id, email, flag) VALUES (1, 'x@a', 0), (2, '12', 1), (NULL, 'z@c', 1);");

    /* 1. alter type email varchar(100) -> text (a CAST to TEXT). */
    ast_stmt *s = stmt(ST_ALTER_TYPE, "child");
    s->name = nm("email");
    s->type = ty(TY_TEXT, -1, -1);
    s->before = child;
    child = copy(child);
    column(child, "email")->type = s->type;
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 2. set not null on flag, then drop its default. */
    s = stmt(ST_ALTER_SET_NOT_NULL, "child");
    s->name = nm("flag");
    s->before = child;
    child = copy(child);
    column(child, "flag")->not_null = 1;
    s->after = child;
    print(RETORT_SQLITE, s);
    s = stmt(ST_ALTER_DROP_DEFAULT, "child");
    s->name = nm("flag");
    s->before = child;
    child = copy(child);
    column(child, "flag")->dflt = NULL;
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 3. a named unique constraint and a check. */
    s = stmt(ST_CREATE_UNIQUE, "child");
    s->name = nm("uq_child_email_parent");
    s->cols = names("email", "parent_id");
    s->before = child;
    child = copy(child);
    ast_constraint *k = arena_alloc(A, sizeof *k);
    k->kind = CONS_UNIQUE;
    k->name = s->name;
    k->columns = s->cols;
    list_push(A, &child->constraints, k);
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 4. add a column with a non-constant default. */
    s = stmt(ST_ADD_COLUMN, "child");
    s->column = col("created_at", TY_TIMESTAMP, -1);
    s->column->not_null = 1;
    s->column->dflt = ex(EX_CURRENT_TIMESTAMP, NULL);
    s->before = child;
    child = copy(child);
    list_push(A, &child->columns, s->column);
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 5. drop the indexed, FK'd parent_id (its index and the unique
     * constraint go too). */
    s = stmt(ST_DROP_COLUMN, "child");
    s->name = nm("parent_id");
    s->before = child;
    child = copy(child);
    remove_column(child, "parent_id");
    child->constraints = (ptr_list){0};
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 6. bring the FK back as a constraint: the check passes. */
    s = stmt(ST_ADD_COLUMN, "child");
    s->column = col("owner", TY_INTEGER, -1);
    s->before = child;
    child = copy(child);
    list_push(A, &child->columns, s->column);
    s->after = child;
    print(RETORT_SQLITE, s);
    puts("UPDATE child SET owner = 1;");
    s = stmt(ST_CREATE_FOREIGN_KEY, "child");
    s->name = nm("fk_child_owner");
    s->cols = names("owner", NULL);
    s->references = ref("parent", "id");
    s->before = child;
    child = copy(child);
    k = arena_alloc(A, sizeof *k);
    k->kind = CONS_FOREIGN_KEY;
    k->name = s->name;
    k->columns = s->cols;
    k->references = s->references;
    list_push(A, &child->constraints, k);
    s->after = child;
    print(RETORT_SQLITE, s);

    /* 7. integer cents to numeric units: `using` computes the new value
     * on SQLite too. */
    s = stmt(ST_ADD_COLUMN, "child");
    s->column = col("price", TY_INTEGER, -1);
    s->column->dflt = ex(EX_NUMBER, "1999");
    s->before = child;
    child = copy(child);
    list_push(A, &child->columns, s->column);
    s->after = child;
    print(RETORT_SQLITE, s);
    s = stmt(ST_ALTER_TYPE, "child");
    s->name = nm("price");
    s->type = ty(TY_NUMERIC, 10, 2);
    s->using_expr = "price / 100.0";
    s->before = child;
    child = copy(child);
    column(child, "price")->type = s->type;
    s->after = child;
    print(RETORT_SQLITE, s);

    /* What rebuild.sh compares. */
    puts(".print ---rows");
    puts("SELECT id, email, typeof(email), flag, owner, created_at IS NOT NULL, price FROM child ORDER BY id;");
    puts(".print ---indexes");
    puts("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'child' ORDER BY name;");
    puts(".print ---fks");
    puts("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('child');");
    puts(".print ---tables");
    puts("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name;");
    puts(".print ---integrity");
    puts("PRAGMA integrity_check;");
    /* A violating row makes the final check of a rebuild return a row. */
    puts(".print ---violation");
    puts("UPDATE child SET owner = 99 WHERE id = 1;");
    ast_stmt *sn = stmt(ST_ALTER_SET_NOT_NULL, "child");
    sn->name = nm("owner");
    sn->before = child;
    child = copy(child);
    column(child, "owner")->not_null = 1;
    sn->after = child;
    print(RETORT_SQLITE, sn);
}

/* child created before the parent it references: the DDL must still
 * order parent first. */
static void test_schema(void)
{
    schema *sc = schema_new(A);
    sch_table *child = child_table(), *parent = parent_table();
    child->seq = schema_next_seq(sc);
    parent->seq = schema_next_seq(sc);
    schema_put_table(sc, NULL, "child", child);
    schema_put_table(sc, NULL, "parent", parent);
    const char *ddl = render_schema(A, RETORT_POSTGRESQL, sc);
    const char *p = strstr(ddl, "CREATE TABLE parent"), *c = strstr(ddl, "CREATE TABLE child");
    if (!p || !c || p > c || !strstr(ddl, "CREATE INDEX ix_child_parent ON child (parent_id);\n")) {
        fprintf(stderr, "render_schema: bad DDL\n%s", ddl);
        failures++;
    }
}

static void print_schema(void)
{
    schema *sc = schema_new(A);
    sch_table *child = child_table(), *parent = parent_table();
    child->seq = schema_next_seq(sc);
    parent->seq = schema_next_seq(sc);
    schema_put_table(sc, NULL, "child", child);
    schema_put_table(sc, NULL, "parent", parent);
    fputs(render_schema(A, RETORT_SQLITE, sc), stdout);
}

static void emit_small(void)
{
    rev_graph g = small_history();
    retort_history *h = plan_build(A, &g, "app", "sqlite:///app.db");
    if (emit_c(stdout, h) != 0)
        exit(1);
}

/* A chain of n revisions, each creating a table with an index and
 * altering it (a rebuild on SQLite): the size test of the emitter. */
static void emit_big(int n)
{
    ptr_list revs = {0};
    for (int i = 0; i < n; i++) {
        ast_revision *r = revision(arena_printf(A, "rev%05d", i),
                                   i ? arena_printf(A, "rev%05d", i - 1) : NULL);
        const char *tn = arena_printf(A, "table_%d", i);
        sch_table *t = child_table();
        t->name = qn(NULL, tn);
        ast_stmt *ct = stmt(ST_CREATE_TABLE, tn);
        ct->columns = t->columns;
        list_push(A, &r->upgrade, ct);
        ast_stmt *sd = stmt(ST_ALTER_SET_DEFAULT, tn);
        sd->name = nm("email");
        sd->dflt = ex(EX_STRING, "none");
        sd->before = t;
        sd->after = copy(t);
        column((sch_table *)sd->after, "email")->dflt = sd->dflt;
        list_push(A, &r->upgrade, sd);
        list_push(A, &r->downgrade, stmt(ST_DROP_TABLE, tn));
        list_push(A, &revs, r);
    }
    rev_graph g;
    diag d;
    diag_init(&d, stderr);
    if (graph_build(&g, A, &d, &revs) != 0)
        exit(1);
    if (emit_c(stdout, plan_build(A, &g, "big", NULL)) != 0)
        exit(1);
}

int main(int argc, char **argv)
{
    A = arena_new();
    if (argc == 2 && strcmp(argv[1], "unit") == 0) {
        unit();
        if (failures)
            fprintf(stderr, "%d failures\n", failures);
        else
            puts("ok");
    } else if (argc == 2 && strcmp(argv[1], "rebuild") == 0) {
        rebuild_script();
    } else if (argc == 2 && strcmp(argv[1], "schema") == 0) {
        print_schema();
    } else if (argc == 2 && strcmp(argv[1], "emit") == 0) {
        emit_small();
    } else if (argc == 2 && strcmp(argv[1], "empty") == 0) {
        retort_history h = {RETORT_HISTORY_ABI, "empty", NULL, "", NULL, 0, NULL, 0,
                            NULL, 0, NULL, 0, NULL, NULL, 0, NULL, 0, 0, NULL, NULL, 0, NULL, 0};
        if (emit_c(stdout, &h) != 0)
            return 1;
    } else if (argc == 3 && strcmp(argv[1], "big") == 0) {
        emit_big(atoi(argv[2]));
    } else {
        fprintf(stderr, "usage: render_test unit|rebuild|emit\n");
        return 2;
    }
    arena_free(A);
    return failures != 0;
}
