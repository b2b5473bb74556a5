/*
 * parse_dump.c: parse one revision file (or, with --model, one model file)
 * and print its AST compactly, one node a line, for the golden tests.
 * Diagnostics go to stderr; the exit status is 1 when any was an error.
 *
 *     parse_dump [--model] FILE
 *     parse_dump --dir DIR        list what source_read_dir finds
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "source.h"

static void indent(int n)
{
    printf("%*s", 2 * n, "");
}

static void loc(src_loc l)
{
    printf(" @%d:%d", l.line, l.col);
}

static void qname(const ast_qname *q)
{
    if (q->schema.text)
        printf("%s.", q->schema.text);
    printf("%s", q->name.text ? q->name.text : "-");
}

static void names(const ptr_list *l)
{
    putchar('(');
    for (int i = 0; i < l->count; i++)
        printf("%s%s", i ? ", " : "", ((ast_name *)l->items[i])->text);
    putchar(')');
}

static void type(const ast_type *t)
{
    printf("%s", ast_type_word(t->kind));
    if (t->kind == TY_ENUM)
        printf(" %s", t->en);
    if (t->kind == TY_RAW && t->raw)
        printf(" $$%s$$", t->raw);
    else if (t->kind == TY_RAW)
        printf(" sqlite $$%s$$ postgresql $$%s$$", t->raw_for[RETORT_SQLITE],
               t->raw_for[RETORT_POSTGRESQL]);
    if (t->p >= 0)
        printf(t->s >= 0 ? "(%d, %d)" : "(%d)", t->p, t->s);
}

static void expr(const ast_expr *e)
{
    switch (e->kind) {
    case EX_NUMBER:            printf("%s", e->text); break;
    case EX_STRING:            printf("'%s'", e->text); break;
    case EX_TRUE:              printf("true"); break;
    case EX_FALSE:             printf("false"); break;
    case EX_NULL:              printf("null"); break;
    case EX_CURRENT_TIMESTAMP: printf("current_timestamp"); break;
    case EX_CURRENT_DATE:      printf("current_date"); break;
    case EX_RAW:               printf("$$%s$$", e->text); break;
    }
}

static void reference(const ast_reference *r)
{
    static const char *const actions[] = {
        "", "cascade", "set null", "set default", "restrict", "no action",
    };
    printf(" references ");
    qname(&r->table);
    names(&r->columns);
    if (r->on_delete)
        printf(" on delete %s", actions[r->on_delete]);
    if (r->on_update)
        printf(" on update %s", actions[r->on_update]);
}

static void coldef(const ast_coldef *c)
{
    printf("%s ", c->name.text);
    type(&c->type);
    if (c->primary_key)   printf(" primary_key");
    if (c->autoincrement) printf(" autoincrement");
    if (c->not_null)      printf(" not_null");
    if (c->explicit_null) printf(" null");
    if (c->unique)        printf(" unique");
    if (c->dflt) {
        printf(" default ");
        expr(c->dflt);
    }
    if (c->references)
        reference(c->references);
    if (c->check)
        printf(" check $$%s$$", c->check);
    loc(c->loc);
}

static void constraint(const ast_constraint *c)
{
    static const char *const kinds[] = {"primary_key", "unique", "check",
                                        "foreign_key"};
    printf("constraint %s %s", c->name.text ? c->name.text : "-",
           kinds[c->kind]);
    if (c->kind == CONS_CHECK)
        printf(" $$%s$$", c->check);
    else
        names(&c->columns);
    if (c->references)
        reference(c->references);
    loc(c->loc);
}

static void cond(const ast_cond *c)
{
    static const char *const kinds[] = {"table_exists", "column_exists",
                                        "index_exists", "constraint_exists",
                                        "dialect"};
    printf("%s%s ", c->negate ? "not " : "", kinds[c->kind]);
    switch (c->kind) {
    case COND_TABLE_EXISTS: qname(&c->table); break;
    case COND_COLUMN_EXISTS: qname(&c->table); printf(" %s", c->name.text); break;
    case COND_INDEX_EXISTS: printf("%s", c->name.text); break;
    case COND_CONSTRAINT_EXISTS:
        printf("%s on ", c->name.text);
        qname(&c->table);
        break;
    case COND_DIALECT: printf("%d", c->dialect); break;
    }
}

static void stmts(const ptr_list *l, int depth);

static void stmt(const ast_stmt *s, int depth)
{
    /* By kind, so that a new kind cannot shift the others (grep ORDER STMT). */
    static const char *const kinds[] = {
        [ST_CREATE_TABLE] = "create_table", [ST_DROP_TABLE] = "drop_table",
        [ST_RENAME_TABLE] = "rename_table", [ST_ADD_COLUMN] = "add_column",
        [ST_DROP_COLUMN] = "drop_column", [ST_ALTER_TYPE] = "alter_type",
        [ST_ALTER_SET_NOT_NULL] = "alter_set_not_null",
        [ST_ALTER_DROP_NOT_NULL] = "alter_drop_not_null",
        [ST_ALTER_SET_DEFAULT] = "alter_set_default",
        [ST_ALTER_DROP_DEFAULT] = "alter_drop_default",
        [ST_ALTER_RENAME] = "alter_rename", [ST_CREATE_INDEX] = "create_index",
        [ST_DROP_INDEX] = "drop_index", [ST_CREATE_PRIMARY_KEY] = "create_primary_key",
        [ST_CREATE_UNIQUE] = "create_unique", [ST_CREATE_CHECK] = "create_check",
        [ST_CREATE_FOREIGN_KEY] = "create_foreign_key",
        [ST_DROP_CONSTRAINT] = "drop_constraint",
        [ST_VALIDATE_CONSTRAINT] = "validate_constraint", [ST_UPDATE] = "update",
        [ST_DELETE] = "delete", [ST_INSERT_SELECT] = "insert_select", [ST_EXECUTE] = "execute",
        [ST_BULK_INSERT] = "bulk_insert", [ST_CALL] = "call", [ST_IF] = "if",
        [ST_CREATE_VIEW] = "create_view", [ST_DROP_VIEW] = "drop_view",
        [ST_CREATE_TRIGGER] = "create_trigger", [ST_DROP_TRIGGER] = "drop_trigger",
        [ST_TABLE_COMMENT] = "table_comment", [ST_COLUMN_COMMENT] = "column_comment",
        [ST_CREATE_ENUM] = "create_enum", [ST_ALTER_ENUM_ADD] = "alter_enum_add",
        [ST_ALTER_ENUM_RENAME] = "alter_enum_rename",
        [ST_ALTER_ENUM_DROP_VALUE] = "alter_enum_drop_value", [ST_DROP_ENUM] = "drop_enum",
        [ST_ALTER_ENUM_RENAME_TYPE] = "alter_enum_rename_type",
        [ST_CREATE_OBJECT] = "create_object", [ST_DROP_OBJECT] = "drop_object",
        [ST_RENAME_CONSTRAINT] = "rename_constraint", [ST_RENAME_INDEX] = "rename_index",
    };
    indent(depth);
    printf("%s", kinds[s->kind]);
    if (s->kind == ST_IF) {
        putchar(' ');
        cond(&s->cond);
        loc(s->loc);
        putchar('\n');
        stmts(&s->then_body, depth + 1);
        if (s->else_body.count) {
            indent(depth);
            printf("else\n");
            stmts(&s->else_body, depth + 1);
        }
        return;
    }
    if (s->table.name.text) {
        putchar(' ');
        qname(&s->table);
    }
    if (s->name.text)
        printf(" name=%s", s->name.text);
    if (s->new_name.text)
        printf(" to=%s", s->new_name.text);
    if (s->kind == ST_ALTER_TYPE) {
        printf(" type=");
        type(&s->type);
    }
    if (s->using_expr)
        printf(" using=$$%s$$", s->using_expr);
    if (s->dflt) {
        printf(" default=");
        expr(s->dflt);
    }
    if (s->cols.count) {
        putchar(' ');
        names(&s->cols);
    }
    if (s->raw)
        printf(" $$%s$$", s->raw);
    if (s->kind == ST_EXECUTE)
        printf(" dialect=%d", s->dialect);
    if (s->kind == ST_CREATE_OBJECT || s->kind == ST_DROP_OBJECT)
        printf(" %s", ast_object_word((enum ast_object_kind)s->object));
    if (s->start)
        printf(" start=%s", s->start);
    if (s->increment)
        printf(" increment=%s", s->increment);
    for (int i = 0; i < s->labels.count; i++)
        printf("%s'%s'", i ? ", " : " (", (const char *)s->labels.items[i]);
    if (s->labels.count)
        printf(")");
    if (s->label)
        printf(" label='%s'", s->label);
    if (s->label2)
        printf(" %s='%s'", s->kind == ST_ALTER_ENUM_RENAME ? "to"
                           : s->position == 1 ? "before" : "after", s->label2);
    if (s->kind == ST_TABLE_COMMENT || s->kind == ST_COLUMN_COMMENT)
        printf(s->comment ? " comment='%s'" : " drop_comment", s->comment);
    if (s->bodies[0] && s->bodies[0] == s->bodies[1])
        printf(" body=$$%s$$", s->bodies[0]);
    else if (s->bodies[0] || s->bodies[1])
        printf(" sqlite=$$%s$$ postgresql=$$%s$$", s->bodies[0] ? s->bodies[0] : "-",
               s->bodies[1] ? s->bodies[1] : "-");
    if (s->references)
        reference(s->references);
    if (s->where)
        printf(" where=$$%s$$", s->where);
    if (s->if_exists)     printf(" if_exists");
    if (s->if_not_exists) printf(" if_not_exists");
    if (s->unique)        printf(" unique");
    if (s->concurrently)  printf(" concurrently");
    loc(s->loc);
    putchar('\n');
    if (s->column) {
        indent(depth + 1);
        printf("column ");
        coldef(s->column);
        putchar('\n');
    }
    for (int i = 0; i < s->columns.count; i++) {
        indent(depth + 1);
        printf("column ");
        coldef(s->columns.items[i]);
        putchar('\n');
    }
    for (int i = 0; i < s->constraints.count; i++) {
        indent(depth + 1);
        constraint(s->constraints.items[i]);
        putchar('\n');
    }
    for (int i = 0; i < s->elems.count; i++) {
        const ast_index_elem *e = s->elems.items[i];
        indent(depth + 1);
        if (e->column.text)
            printf("elem %s", e->column.text);
        else
            printf("elem $$%s$$", e->expr);
        if (e->order)
            printf(e->order == 1 ? " asc" : " desc");
        loc(e->loc);
        putchar('\n');
    }
    for (int i = 0; i < s->rows.count; i++) {
        const ptr_list *row = s->rows.items[i];
        indent(depth + 1);
        printf("row");
        for (int j = 0; j < row->count; j++) {
            putchar(' ');
            expr(row->items[j]);
        }
        putchar('\n');
    }
}

static void stmts(const ptr_list *l, int depth)
{
    for (int i = 0; i < l->count; i++)
        stmt(l->items[i], depth);
}

static void revision(const ast_revision *r)
{
    printf("revision %s", r->id.text ? r->id.text : "-");
    if (r->id.text)
        loc(r->id.loc);
    printf("\nparent ");
    if (!r->has_parent)
        printf("-");
    else if (!r->parents.count)
        printf("none");
    else
        names(&r->parents);
    putchar('\n');
    if (r->branches.count) {
        printf("branch ");
        names(&r->branches);
        putchar('\n');
    }
    if (r->depends_on.count) {
        printf("depends_on ");
        names(&r->depends_on);
        putchar('\n');
    }
    if (r->message)
        printf("message '%s'\n", r->message);
    if (r->created)
        printf("created '%s'\n", r->created);
    printf("transactional %d schema_check %d\n", r->transactional,
           r->schema_check);
    if (r->has_upgrade) {
        printf("upgrade");
        loc(r->upgrade_loc);
        putchar('\n');
        stmts(&r->upgrade, 1);
    }
    if (r->has_downgrade) {
        printf("downgrade");
        loc(r->downgrade_loc);
        putchar('\n');
        stmts(&r->downgrade, 1);
    }
}

int main(int argc, char **argv)
{
    int model = argc == 3 && strcmp(argv[1], "--model") == 0;
    int dir = argc == 3 && strcmp(argv[1], "--dir") == 0;
    if (argc != 2 && !model && !dir) {
        fputs("usage: parse_dump [--model | --dir] PATH\n", stderr);
        return 2;
    }
    const char *path = argv[argc - 1];
    arena *a = arena_new();
    diag d;
    diag_init(&d, stderr);
    if (dir) {
        ptr_list files = {0};
        source_read_dir(a, &d, path, &files);
        for (int i = 0; i < files.count; i++) {
            const src_file *f = files.items[i];
            printf("%s %zu\n", f->rel, f->len);
        }
    } else {
        src_file *f = source_read_file(a, &d, path, path);
        if (f && model) {
            ast_model *m = parse_model(a, &d, f);
            if (m && !diag_error_count(&d))
                stmts(&m->stmts, 0);
        } else if (f) {
            ast_revision *r = parse_revision(a, &d, f);
            if (r && !diag_error_count(&d))
                revision(r);
        }
    }
    diag_finish(&d);
    int status = diag_error_count(&d) ? 1 : 0;
    arena_free(a);
    return status;
}
