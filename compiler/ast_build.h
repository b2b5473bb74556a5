/*
 * ast_build.h: the builders that grammar/parser.y calls, one per action.
 *
 * Each builder takes the parse state first.  Tokens are passed by pointer
 * (their text points into the source); names, qualified names, types and
 * lists by value; nodes by pointer.  Everything is allocated in ps->a.
 * Builders check what the grammar cannot (type names and arguments,
 * revision ids, header lines given twice, ...), report through ps->d at the
 * offending token and go on with a usable node, so that one run shows
 * every such mistake.
 */
#ifndef RETORT_AST_BUILD_H
#define RETORT_AST_BUILD_H

#include "ast.h"
#include "lexer.h"

/* Header lines, to catch one given twice. */
enum ast_header {
    HDR_REVISION, HDR_PARENT, HDR_BRANCH, HDR_DEPENDS_ON, HDR_MESSAGE,
    HDR_CREATED, HDR_TRANSACTION, HDR_SCHEMA_CHECK, HDR_LOCK_TIMEOUT,
    HDR_STATEMENT_TIMEOUT, HDR_COUNT
};

/* Column attributes without a value. */
enum ast_col_attr {
    COL_PRIMARY_KEY, COL_AUTOINCREMENT, COL_NOT_NULL, COL_NULL, COL_UNIQUE
};

/* Statement options written as suffixes (`if exists`, `concurrently`...). */
enum ast_stmt_opt {
    OPT_IF_EXISTS, OPT_IF_NOT_EXISTS, OPT_UNIQUE, OPT_CONCURRENTLY
};

/* The parser's %extra_context: what the actions build into, and what the
 * driver (compiler/parse.c) tells %syntax_error about the input. */
typedef struct parse_state {
    arena *a;
    diag *d;
    const src_file *file;
    ast_revision *rev;          /* revision files, else NULL */
    ast_model *model;           /* model files, else NULL */
    lex_token tok;              /* the token being fed (TK_* in `major`) */
    int major;
    int prev_major;             /* the token fed before it; 0 at the start */
    int stop;                   /* syntax error or overflow: feed no more */
    int depth;                  /* '{' fed minus '}' fed */
    int in_blocks;              /* past the header: a block was opened */
    src_loc header_loc[HDR_COUNT];  /* where each header line was seen */
} parse_state;

/* Defined in parse.c: report the syntax error at ps->tok, of code major. */
void parse_syntax_error(parse_state *ps, int major);

/* Names and lists. */
ast_name ast_name_word(parse_state *ps, const lex_token *t);
ast_name ast_name_quoted(parse_state *ps, const lex_token *t);
ast_qname ast_qname_make(parse_state *ps, const ast_name *schema,
                         ast_name name);
ptr_list ast_names_new(parse_state *ps, ast_name n);
void ast_names_push(parse_state *ps, ptr_list *l, ast_name n);
ptr_list ast_qnames_new(parse_state *ps, ast_qname n);
void ast_qnames_push(parse_state *ps, ptr_list *l, ast_qname n);
ptr_list ast_list_new(parse_state *ps, void *item);
void ast_list_push(parse_state *ps, ptr_list *l, void *item);
const char *ast_raw(parse_state *ps, const lex_token *raw);

/* Types, defaults and literals. */
ast_type ast_type_named(parse_state *ps, ast_name name, const ptr_list *args);
ast_type ast_type_sql(parse_state *ps, const lex_token *kw,
                      const lex_token *raw);
/* `sql sqlite $$A$$ postgresql $$B$$`: started at `sql`, one dialect's
 * SQL added at a time, then checked to name every dialect once. */
ast_type ast_type_sql_for(void);
/* TYPE[]. */
ast_type ast_type_array(ast_type t);
void ast_type_sql_add(parse_state *ps, ast_type *t, ast_name dialect_name,
                      const lex_token *raw);
void ast_type_sql_done(parse_state *ps, const ast_type *t);
ast_expr *ast_expr_new(parse_state *ps, enum ast_expr_kind kind,
                       const lex_token *t);
ptr_list *ast_row(parse_state *ps, ptr_list values);

/* Column definitions, references and table constraints. */
ast_coldef *ast_coldef_new(parse_state *ps, ast_name name, ast_type type);
void ast_coldef_attr(parse_state *ps, ast_coldef *c, enum ast_col_attr attr,
                     const lex_token *kw);
void ast_coldef_default(parse_state *ps, ast_coldef *c, ast_expr *e);
void ast_coldef_references(parse_state *ps, ast_coldef *c,
                           ast_reference *r);
void ast_coldef_check(parse_state *ps, ast_coldef *c, const lex_token *raw);
ast_reference *ast_reference_new(parse_state *ps, const lex_token *kw,
                                 ast_qname table, ptr_list cols);
void ast_reference_action(parse_state *ps, ast_reference *r, int on_update,
                          enum ast_fk_action action, const lex_token *kw);
void ast_reference_deferral(parse_state *ps, ast_reference *r,
                            const ast_deferral_tok *d);
ast_constraint *ast_constraint_deferral(ast_constraint *k, const ast_deferral_tok *d);
ast_stmt *ast_stmt_deferral(ast_stmt *st, const ast_deferral_tok *d);
ast_constraint *ast_constraint_new(parse_state *ps,
                                   enum ast_constraint_kind kind,
                                   const lex_token *kw, const ptr_list *cols,
                                   const lex_token *raw, ast_reference *ref);
ast_constraint *ast_constraint_named(parse_state *ps, const lex_token *kw,
                                     ast_name name, ast_constraint *c);

/* Statements.  ast_stmt_new covers those made of a table and a name only
 * (drop_table, drop_column, set/drop not null, drop default,
 * drop_constraint, drop_index); the options are added by suffix rules. */
ast_stmt *ast_stmt_new(parse_state *ps, enum ast_stmt_kind kind,
                       const lex_token *kw, const ast_qname *table,
                       const ast_name *name);
void ast_stmt_option(parse_state *ps, ast_stmt *st, enum ast_stmt_opt opt,
                     const lex_token *kw);
void ast_stmt_where(parse_state *ps, ast_stmt *st, const lex_token *raw);
void ast_stmt_on(parse_state *ps, ast_stmt *st, const lex_token *kw,
                 ast_qname table);
/* Table elements accumulate in a CREATE_TABLE statement made by the first
 * one (st NULL); exactly one of col and cons is given. */
ast_stmt *ast_table_elem(parse_state *ps, ast_stmt *st, ast_coldef *col,
                         ast_constraint *cons);
ast_stmt *ast_create_table(parse_state *ps, const lex_token *kw,
                           ast_qname table, ast_stmt *elems);
ast_stmt *ast_add_column(parse_state *ps, const lex_token *kw,
                         ast_qname table, ast_coldef *col);
ast_stmt *ast_rename(parse_state *ps, enum ast_stmt_kind kind,
                     const lex_token *kw, ast_qname table,
                     const ast_name *column, ast_name new_name);
ast_stmt *ast_alter_type(parse_state *ps, const lex_token *kw,
                         ast_qname table, ast_name column, ast_type type,
                         const char *using_expr);
ast_stmt *ast_alter_default(parse_state *ps, const lex_token *kw,
                            ast_qname table, ast_name column, ast_expr *e);
ast_index_elem *ast_index_elem_new(parse_state *ps, const ast_name *column,
                                   const lex_token *raw, const ast_name *opclass,
                                   int order);
ast_stmt *ast_create_index(parse_state *ps, const lex_token *kw,
                           ast_name name, ast_qname table, ptr_list elems);
/* `using METHOD` on an index: one of PostgreSQL's methods, else reported. */
ast_stmt *ast_index_using(parse_state *ps, ast_stmt *st, ast_name method);
/* The name of a constraint written without one (name.text NULL). */
extern const ast_name ast_no_name;
ast_stmt *ast_constraint_stmt(parse_state *ps, enum ast_stmt_kind kind,
                              const lex_token *kw, ast_name name,
                              ast_qname table, const ptr_list *cols,
                              const lex_token *raw, ast_reference *ref);
/* `create_unique_constraint N on T using index I`. */
ast_stmt *ast_unique_using_index(parse_state *ps, const lex_token *kw, ast_name name,
                                 ast_qname table, ast_name index);
/* update T set C = E (the first assignment), and each further one. */
ast_stmt *ast_update(parse_state *ps, const lex_token *kw, ast_qname table,
                     ast_name column, ast_expr *value);
void ast_update_set(parse_state *ps, ast_stmt *st, ast_name column, ast_expr *value);
/* create_function / replace_function N $$CREATE [OR REPLACE] FUNCTION
 * N(...) ...$$: the body must create the function it names. */
ast_stmt *ast_function(parse_state *ps, enum ast_stmt_kind kind,
                       const lex_token *kw, ast_qname name, const lex_token *body);
/* `lock_table T, ... [MODE WORDS]`; mode NULL for the default, ACCESS
 * EXCLUSIVE, as PostgreSQL's LOCK TABLE. */
ast_stmt *ast_lock_table(parse_state *ps, const lex_token *kw, ptr_list tables,
                         const ptr_list *mode);
/* `update ... from T2, T3`: the other tables the update reads. */
void ast_update_from(parse_state *ps, ast_stmt *st, ptr_list tables);
/* insert into T (C, ...) select $$query$$ */
ast_stmt *ast_insert_select(parse_state *ps, const lex_token *kw, ast_qname table,
                            ptr_list cols, const lex_token *query);
/* Marks a new check or foreign key `not valid` (kw: the `not`). */
ast_stmt *ast_not_valid(parse_state *ps, ast_stmt *st, const lex_token *kw);
ast_stmt *ast_execute(parse_state *ps, const lex_token *kw,
                      const ast_name *dname, const lex_token *raw);
ast_stmt *ast_bulk_insert(parse_state *ps, const lex_token *kw,
                          ast_qname table, ptr_list cols, ptr_list rows);
/* call NAME: NAME must be usable as a C function name. */
ast_stmt *ast_call(parse_state *ps, const lex_token *kw, ast_name name);

/* Conditional blocks. */
ast_cond *ast_cond_new(parse_state *ps, enum ast_cond_kind kind,
                       const lex_token *kw, const ast_qname *table,
                       const ast_name *name);
ast_cond *ast_cond_not(parse_state *ps, const lex_token *kw, ast_cond *c);
ast_stmt *ast_if(parse_state *ps, const lex_token *kw, ast_cond *c,
                 ptr_list then_body, const ptr_list *else_body);

/* Revision headers and blocks; ast_rev_finish checks what is missing. */
void ast_rev_id(parse_state *ps, const lex_token *kw, ast_name id);
void ast_rev_parents(parse_state *ps, const lex_token *kw,
                     const ptr_list *ids);
void ast_rev_branches(parse_state *ps, const lex_token *kw, ptr_list ids);
void ast_rev_depends_on(parse_state *ps, const lex_token *kw, ptr_list ids);
void ast_rev_message(parse_state *ps, const lex_token *kw,
                     const lex_token *str);
void ast_rev_created(parse_state *ps, const lex_token *kw,
                     const lex_token *str);
void ast_rev_transaction_none(parse_state *ps, const lex_token *kw);
void ast_rev_schema_check_off(parse_state *ps, const lex_token *kw);
/* `lock_timeout VALUE` / `statement_timeout VALUE`: a NUMBER of
 * milliseconds or a STRING such as '5s'. */
void ast_rev_setting(parse_state *ps, const lex_token *kw,
                     enum ast_setting which, const lex_token *value);
void ast_rev_block(parse_state *ps, const lex_token *kw, ptr_list body,
                   int downgrade);
void ast_rev_finish(parse_state *ps);

/* ---- views and triggers (ast_objects.c) ---- */

/* A body: $$sql$$ for every dialect, or one per dialect
 * (`sqlite $$A$$ postgresql $$B$$`), indexed by enum retort_dialect. */
typedef struct ast_body {
    const char *sql[2];
    int common;               /* one body for every dialect */
    src_loc loc;
} ast_body;

ast_body ast_body_new(parse_state *ps, const ast_name *dname,
                      const lex_token *raw);
void ast_body_add(parse_state *ps, ast_body *b, const ast_name *dname,
                  const lex_token *raw);
/* create_view N as BODY: the query, not a CREATE VIEW statement. */
ast_stmt *ast_create_view(parse_state *ps, const lex_token *kw, ast_qname view,
                          const ast_body *body);
/* create_trigger N on T BODY: each body is the whole CREATE TRIGGER
 * statement, and it creates the trigger called N. */
ast_stmt *ast_create_trigger(parse_state *ps, const lex_token *kw, ast_name name,
                             ast_qname table, const ast_body *body);

/* alter_table T set comment 'x' / drop comment (column NULL), and
 * alter_column T C set comment 'x' / drop comment (str NULL: drop). */
ast_stmt *ast_comment(parse_state *ps, const lex_token *kw, ast_qname table,
                      const ast_name *column, const lex_token *str);

/* ---- enums (ast_objects.c) ---- */

/* A list of labels (const char*, quotes folded), one more each call. */
ptr_list ast_strings_new(parse_state *ps, const ptr_list *l, const lex_token *str);
/* create_enum N ('a', ...): labels unique, 1 to 63 bytes. */
ast_stmt *ast_create_enum(parse_state *ps, const lex_token *kw, ast_name name,
                          ptr_list labels);
/* alter_enum N add value 'c' [before|after 'b'] (position 0, 1, 2),
 * rename value 'a' to 'z', drop value 'c'. */
ast_stmt *ast_alter_enum(parse_state *ps, enum ast_stmt_kind kind,
                         const lex_token *kw, ast_name name, const lex_token *label,
                         const lex_token *label2, int position);
/* The type `enum N`. */
ast_type ast_type_enum(parse_state *ps, const lex_token *kw, ast_name name);

/* ---- PostgreSQL objects (ast_objects.c) ---- */

/* create_extension N, drop_schema N, ...: kind ST_CREATE_OBJECT or
 * ST_DROP_OBJECT. */
ast_stmt *ast_object(parse_state *ps, enum ast_stmt_kind kind, enum ast_object_kind object,
                     const lex_token *kw, ast_name name);
/* `start N` (increment 0) or `increment N` (1) of create_sequence: given
 * once, within bigint, an increment other than zero. */
void ast_sequence_option(parse_state *ps, ast_stmt *st, int increment,
                         const lex_token *kw, const lex_token *num);

/* Model files: create_table, create_index, create_view, create_trigger,
 * and the comment statements. */
void ast_model_finish(parse_state *ps, ptr_list stmts);

#endif
