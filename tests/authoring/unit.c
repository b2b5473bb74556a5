/*
 * unit.c: unit tests of unparse.c, diff.c and the pure parts of
 * authoring.c.
 *
 * The main property: unparsing is a fixed point.  Every statement of a
 * revision that uses every construct, unparsed, parses back to a tree
 * that unparses to the same text.
 */
#include <stdio.h>
#include <string.h>

#include "authoring.h"
#include "diff.h"
#include "parse.h"
#include "sema.h"
#include "unparse.h"

static int failures;

#define EXPECT_STR(got, want)                                               \
    do {                                                                    \
        const char *g_ = (got), *w_ = (want);                               \
        if (strcmp(g_, w_) != 0) {                                          \
            fprintf(stderr, "%s:%d: got  <%s>\n%*swant <%s>\n", __FILE__,   \
                    __LINE__, g_, (int)strlen(__FILE__) + 6, "", w_);       \
            failures++;                                                     \
        }                                                                   \
    } while (0)

#define EXPECT(cond)                                                        \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__,      \
                    #cond);                                                 \
            failures++;                                                     \
        }                                                                   \
    } while (0)

static const char every_construct[] =
    "revision abc123\n"
    "parent none\n"
    "upgrade {\n"
    "  create_table billing.\"Invoices\" (\n"
    "    id bigint primary key autoincrement, \"Full Name\" text null,\n"
    "    \"type\" varchar(10) default 'it''s', d date default current_date,\n"
    "    k integer default -1, ratio numeric(10, 2) default 0.5,\n"
    "    code char(2) check $$code <> ''$$, on_ boolean not null default true,\n"
    "    off_ boolean default false, m text default null,\n"
    "    c timestamp not null default current_timestamp,\n"
    "    tz timestamptz default $$now()$$, x sql $t$int4range$t$,\n"
    "    u integer unique references users (id) on delete cascade on update set null,\n"
    "    s smallint, r real, dd double, b blob, j json, uu uuid, t time,\n"
    "    constraint pk_inv primary key (id, code), unique (code),\n"
    "    constraint ck check $$k > 0$$,\n"
    "    foreign key (u, code) references public.users (id, code) on delete set default on update restrict\n"
    "  ) if not exists;\n"
    "  drop_table old if exists;\n"
    "  rename_table a to b;\n"
    "  add_column users age integer not null default 0 if not exists;\n"
    "  drop_column users age if exists;\n"
    "  alter_column users age type bigint using $$age::bigint$$;\n"
    "  alter_column users age set not null;\n"
    "  alter_column users age drop not null;\n"
    "  alter_column users age set default 42;\n"
    "  alter_column users age drop default;\n"
    "  alter_column users age rename to years;\n"
    "  create_index ix_a on users (email, age desc, name asc, $$lower(email)$$)\n"
    "      unique where $q$age > 0 AND x = '$$'$q$ concurrently if not exists;\n"
    "  drop_index ix_a on users concurrently if exists;\n"
    "  create_primary_key pk_users on users (id);\n"
    "  create_unique_constraint uq on users (a, b);\n"
    "  create_check_constraint ck on users $$a > b$$;\n"
    "  create_foreign_key fk on users (a) references t (b) on delete no action;\n"
    "  drop_constraint fk on users;\n"
    "  execute $$SELECT 1$$;\n"
    "  execute sqlite $$SELECT $1$$;\n"
    "  execute postgresql $$SELECT 2$$;\n"
    "  bulk_insert users (id, name) values (1, 'a'), (2, null), (3, true);\n"
    "  if not column_exists users age { add_column users age integer; }\n"
    "  if table_exists legacy { drop_table legacy; } else { execute $$SELECT 1$$; }\n"
    "  if index_exists ix { drop_index ix; }\n"
    "  if constraint_exists fk on orders { drop_constraint fk on orders; }\n"
    "  if dialect postgresql { execute $$CREATE EXTENSION citext$$; }\n"
    "}\n";

/* The statements of a revision's upgrade, unparsed, as one text. */
static const char *unparse_upgrade(arena *a, const char *text)
{
    diag d;
    diag_init(&d, stderr);
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = f->rel = "unit.rev";
    f->text = text;
    f->len = strlen(text);
    ast_revision *rev = parse_revision(a, &d, f);
    if (!rev || diag_error_count(&d)) {
        fprintf(stderr, "cannot parse:\n%s", text);
        failures++;
        return "";
    }
    const char *out = "";
    for (int i = 0; i < rev->upgrade.count; i++)
        out = arena_printf(a, "%s%s", out,
                           unparse_stmt(a, rev->upgrade.items[i], 4));
    return out;
}

static void test_round_trip(arena *a)
{
    const char *once = unparse_upgrade(a, every_construct);
    const char *text = arena_printf(a, "revision abc123\nparent none\n"
                                       "upgrade {\n%s}\n", once);
    const char *twice = unparse_upgrade(a, text);
    EXPECT_STR(twice, once);
    EXPECT(strstr(once, "create_table billing.Invoices (\n"));
    EXPECT(strstr(once, "\n        \"type\" "));
    EXPECT(strstr(once, "default 'it''s'"));
    EXPECT(strstr(once, "where $r$age > 0 AND x = '$$'$r$"));
    EXPECT(strstr(once, "execute sqlite $$SELECT $1$$;"));
}

static void test_lexical(arena *a)
{
    EXPECT_STR(unparse_ident(a, "users"), "users");
    EXPECT_STR(unparse_ident(a, "Users_2"), "Users_2");
    EXPECT_STR(unparse_ident(a, "type"), "\"type\"");
    EXPECT_STR(unparse_ident(a, "KEY"), "\"KEY\"");
    EXPECT_STR(unparse_ident(a, "2fa"), "\"2fa\"");
    EXPECT_STR(unparse_ident(a, "full name"), "\"full name\"");
    EXPECT_STR(unparse_ident(a, "a\"b"), "\"a\"\"b\"");
    EXPECT_STR(unparse_string(a, "it's"), "'it''s'");
    EXPECT_STR(unparse_raw(a, "now()"), "$$now()$$");
    EXPECT_STR(unparse_raw(a, "a $$ b"), "$r$a $$ b$r$");
    EXPECT_STR(unparse_raw(a, "a$"), "$r$a$$r$");
    EXPECT_STR(unparse_raw(a, "$$ $r$"), "$r1$$$ $r$$r1$");
    EXPECT_STR(author_slug(a, "Add widgets, gadgets & more!"),
               "add_widgets_gadgets_more");
    EXPECT_STR(author_slug(a, "  --  "), "");
    EXPECT_STR(author_slug(a, "one two three four five six seven eight nine"),
               "one_two_three_four_five_six_seven_eight");
    EXPECT_STR(author_slug(a, "Ünïcode_names"), "n_code_names");
}

/* The schema that the statements `text` build from nothing. */
static schema *model(arena *a, const char *text)
{
    diag d;
    diag_init(&d, stderr);
    src_file *f = arena_alloc(a, sizeof *f);
    f->path = f->rel = "unit.rev";
    f->text = arena_printf(a, "revision m\nparent none\nupgrade {\n%s\n}\n",
                           text);
    f->len = strlen(f->text);
    ast_revision *rev = parse_revision(a, &d, f);
    schema *s = schema_new(a);
    for (int i = 0; rev && i < rev->upgrade.count; i++)
        sema_apply(a, &d, s, rev->upgrade.items[i], "unit");
    EXPECT(rev && diag_error_count(&d) == 0);
    return s;
}

static void test_diff(arena *a)
{
    /* A column-level constraint equals a table constraint that does the
     * same; spelling of raw SQL white space does not count. */
    schema *x = model(a, "create_table t (a integer unique, b text "
                         "check $$b <> ''$$);");
    schema *y = model(a, "create_table t (a integer, b text, unique (a), "
                         "check $$b  <>\n''$$);");
    ptr_list out = {0};
    diff_describe(a, x, y, &out);
    EXPECT(out.count == 0);
    for (int i = 0; i < out.count; i++)
        fprintf(stderr, "  %s\n", (const char *)out.items[i]);

    /* Creation order follows foreign keys, even where the schema's own
     * order does not (c was created first, its key added later); drops
     * go the other way. */
    schema *empty = schema_new(a);
    schema *z = model(a, "create_table c (id integer, b_id integer);"
                         "create_table b (id integer primary key, "
                         "a_id integer);"
                         "create_table a (id integer primary key);"
                         "create_foreign_key fk_c on c (b_id) references b (id);"
                         "create_foreign_key fk_b on b (a_id) references a (id);");
    ptr_list steps = {0};
    diff_plan(a, empty, z, &steps);
    EXPECT(steps.count == 3);
    const char *order = "";
    for (int i = 0; i < steps.count; i++) {
        const ast_stmt *st = ((diff_step *)steps.items[i])->up.items[0];
        order = arena_printf(a, "%s%s", order, st->table.name.text);
    }
    EXPECT_STR(order, "abc");
    steps.count = 0;
    diff_plan(a, z, empty, &steps);
    order = "";
    for (int i = 0; i < steps.count; i++) {
        const ast_stmt *st = ((diff_step *)steps.items[i])->up.items[0];
        order = arena_printf(a, "%s%s", order, st->table.name.text);
    }
    EXPECT_STR(order, "cba");

    /* An unnamed constraint added to a kept table gets a conventional name. */
    schema *p = model(a, "create_table t (a integer, b integer);");
    schema *q = model(a, "create_table t (a integer, b integer unique);");
    steps.count = 0;
    diff_plan(a, p, q, &steps);
    EXPECT(steps.count == 1);
    if (steps.count == 1) {
        const diff_step *s = steps.items[0];
        EXPECT_STR(unparse_stmt(a, s->up.items[0], 0),
                   "create_unique_constraint uq_t_b on t (b);\n");
        EXPECT_STR(unparse_stmt(a, s->down.items[0], 0),
                   "drop_constraint uq_t_b on t;\n");
    }
}

int main(void)
{
    arena *a = arena_new();
    test_lexical(a);
    test_round_trip(a);
    test_diff(a);
    arena_free(a);
    if (failures) {
        fprintf(stderr, "authoring unit: %d failure(s)\n", failures);
        return 1;
    }
    puts("authoring unit: ok");
    return 0;
}
