/*
 * parser.y: the lemon grammar of revision files and model files (SPEC
 * sections 1 to 3 and 5).
 *
 * Actions are thin: each is one call into a builder of compiler/ast.c
 * (declared in ast_build.h), which allocates in the arena and checks what
 * a grammar cannot.  The driver (compiler/parse.c) feeds the re2c lexer's
 * tokens and injects a first synthetic token, REVISION_FILE or MODEL_FILE,
 * to pick which kind of file this is.
 *
 * Nothing is ever freed by a destructor: every value on the parser stack
 * is either a token (pointing into the source text) or something allocated
 * in the arena, which is released as a whole after the compilation, so
 * nothing popped during an error or an overflow needs freeing.
 */

%name parse_lemon
%token_prefix TK_
%token_type {lex_token}
%default_type {lex_token}
%extra_context {parse_state *ps}
%start_symbol input

/* Nesting: each level of `if ... {` takes about four stack entries, so
 * this allows some 250 nested blocks, far beyond any real migration;
 * hostile input (100,000 nested blocks) ends here with one error rather
 * than anything worse.  Later passes recurse over blocks, so the limit
 * protects them too. */
%stack_size 1000
%stack_overflow {
    diag_error(ps->d, ps->tok.loc, "blocks nested too deeply");
    ps->stop = 1;
}

/* A destructor that frees nothing, on purpose (see the top): without any
 * destructor code, lemon's template leaves yy_destructor()'s `yypminor` and
 * the fetched `ps` unused, which -Wextra -Werror rejects. */
%token_destructor { (void)ps; (void)$$; }

%syntax_error {
    (void)yyminor;
    ps->stop = 1;
    parse_syntax_error(ps, yymajor);
}

%include {
#include "ast_build.h"
}

/* Token codes in a fixed order, so that parser.h does not shift whenever a
 * rule moves.  The synthetic start tokens come first. */
%token REVISION_FILE MODEL_FILE.
%token ID QID NUMBER STRING RAW LP RP COMMA SEMI LBRACE RBRACE DOT BRACKETS.
%token REVISION PARENT NONE BRANCH DEPENDS_ON MESSAGE CREATED TRANSACTION
    SCHEMA_CHECK OFF UPGRADE DOWNGRADE LOCK_TIMEOUT STATEMENT_TIMEOUT
    LOCK_TABLE CREATE_FUNCTION REPLACE_FUNCTION DROP_FUNCTION.
%token CREATE_TABLE DROP_TABLE RENAME_TABLE ADD_COLUMN DROP_COLUMN
    ALTER_COLUMN CREATE_INDEX DROP_INDEX CREATE_PRIMARY_KEY
    CREATE_UNIQUE_CONSTRAINT CREATE_CHECK_CONSTRAINT CREATE_FOREIGN_KEY
    DROP_CONSTRAINT EXECUTE BULK_INSERT.
%token IF ELSE NOT EXISTS TO TYPE USING SET NULL DROP DEFAULT RENAME ON ASC
    DESC UNIQUE WHERE CONCURRENTLY PRIMARY KEY AUTOINCREMENT REFERENCES CHECK
    CONSTRAINT FOREIGN DELETE UPDATE CASCADE RESTRICT NO ACTION VALUES TRUE
    FALSE CURRENT_TIMESTAMP CURRENT_DATE TABLE_EXISTS COLUMN_EXISTS
    INDEX_EXISTS CONSTRAINT_EXISTS DIALECT SQL.
%token VALIDATE_CONSTRAINT VALID INDEX INSERT INTO FROM SELECT EQ.
/* views and triggers */
%token CREATE_VIEW DROP_VIEW CREATE_TRIGGER DROP_TRIGGER AS.
/* comments */
%token ALTER_TABLE COMMENT.
/* enums */
%token CREATE_ENUM ALTER_ENUM DROP_ENUM ENUM ADD VALUE BEFORE AFTER.
/* application code */
%token CALL.
/* PostgreSQL objects; renames of constraints and indexes */
%token CREATE_EXTENSION DROP_EXTENSION CREATE_SCHEMA DROP_SCHEMA
    CREATE_SEQUENCE DROP_SEQUENCE START INCREMENT RENAME_CONSTRAINT
    RENAME_INDEX.
/* deferrable constraints */
%token DEFERRABLE INITIALLY DEFERRED IMMEDIATE.

/* Every keyword is also an identifier where the keyword itself cannot
 * appear: lemon retries a token that has no action as its fallback, so
 * `type`, `key`, `message`, `date`... name columns and tables.  Only where
 * the keyword is meaningful (`unique` or `check` starting a table
 * constraint) must such a name be quoted. */
%fallback ID
    REVISION PARENT NONE BRANCH DEPENDS_ON MESSAGE CREATED TRANSACTION
    SCHEMA_CHECK OFF UPGRADE DOWNGRADE
    CREATE_TABLE DROP_TABLE RENAME_TABLE ADD_COLUMN DROP_COLUMN
    ALTER_COLUMN CREATE_INDEX DROP_INDEX CREATE_PRIMARY_KEY
    CREATE_UNIQUE_CONSTRAINT CREATE_CHECK_CONSTRAINT CREATE_FOREIGN_KEY
    DROP_CONSTRAINT EXECUTE BULK_INSERT
    IF ELSE NOT EXISTS TO TYPE USING SET NULL DROP DEFAULT RENAME ON ASC
    DESC UNIQUE WHERE CONCURRENTLY PRIMARY KEY AUTOINCREMENT REFERENCES CHECK
    CONSTRAINT FOREIGN DELETE UPDATE CASCADE RESTRICT NO ACTION VALUES TRUE
    FALSE CURRENT_TIMESTAMP CURRENT_DATE TABLE_EXISTS COLUMN_EXISTS
    INDEX_EXISTS CONSTRAINT_EXISTS DIALECT SQL
    VALIDATE_CONSTRAINT VALID INDEX INSERT INTO FROM SELECT
    CREATE_VIEW DROP_VIEW CREATE_TRIGGER DROP_TRIGGER AS
    ALTER_TABLE COMMENT
    CREATE_ENUM ALTER_ENUM DROP_ENUM ENUM ADD VALUE BEFORE AFTER
    CALL
    CREATE_EXTENSION DROP_EXTENSION CREATE_SCHEMA DROP_SCHEMA
    CREATE_SEQUENCE DROP_SEQUENCE START INCREMENT RENAME_CONSTRAINT
    RENAME_INDEX
    DEFERRABLE INITIALLY DEFERRED IMMEDIATE.

input ::= REVISION_FILE revision.
input ::= MODEL_FILE stmts(L).                  { ast_model_finish(ps, L); }

/* ---- revision files: header lines in any order, then the blocks ---- */

revision ::= headers upgrade downgrade.         { ast_rev_finish(ps); }

headers ::= .
headers ::= headers header.

header ::= REVISION(K) id(I).                   { ast_rev_id(ps, &K, I); }
header ::= PARENT(K) NONE.                      { ast_rev_parents(ps, &K, NULL); }
header ::= PARENT(K) ids(L).                    { ast_rev_parents(ps, &K, &L); }
header ::= PARENT(K) LP ids(L) RP.              { ast_rev_parents(ps, &K, &L); }
header ::= BRANCH(K) ids(L).                    { ast_rev_branches(ps, &K, L); }
header ::= DEPENDS_ON(K) ids(L).                { ast_rev_depends_on(ps, &K, L); }
header ::= MESSAGE(K) STRING(S).                { ast_rev_message(ps, &K, &S); }
header ::= CREATED(K) STRING(S).                { ast_rev_created(ps, &K, &S); }
header ::= TRANSACTION(K) NONE.                 { ast_rev_transaction_none(ps, &K); }
header ::= SCHEMA_CHECK(K) OFF.                 { ast_rev_schema_check_off(ps, &K); }
header ::= LOCK_TIMEOUT(K) timeout(V).          { ast_rev_setting(ps, &K, SET_LOCK_TIMEOUT, &V); }
header ::= STATEMENT_TIMEOUT(K) timeout(V).     { ast_rev_setting(ps, &K, SET_STATEMENT_TIMEOUT, &V); }

%type timeout {lex_token}
timeout(A) ::= NUMBER(A).
timeout(A) ::= STRING(A).

upgrade ::= .
upgrade ::= UPGRADE(K) block(B).                { ast_rev_block(ps, &K, B, 0); }
downgrade ::= .
downgrade ::= DOWNGRADE(K) block(B).            { ast_rev_block(ps, &K, B, 1); }

/* Revision ids and labels may be numbers: `parent 20240101`. */
%type id {ast_name}
id(A) ::= name(A).
id(A) ::= NUMBER(X).                            { A = ast_name_word(ps, &X); }

%type ids {ptr_list}
ids(A) ::= id(I).                               { A = ast_names_new(ps, I); }
ids(A) ::= ids(A) COMMA id(I).                  { ast_names_push(ps, &A, I); }

/* ---- blocks and statements ---- */

%type block {ptr_list}
block(A) ::= LBRACE stmts(B) RBRACE.            { A = B; }

%type stmts {ptr_list}
stmts(A) ::= .                                  { A = (ptr_list){0}; }
stmts(A) ::= stmts(A) stmt(S) SEMI.             { ast_list_push(ps, &A, S); }
stmts(A) ::= stmts(A) ifstmt(S).                { ast_list_push(ps, &A, S); }
stmts(A) ::= stmts(A) SEMI.                     /* an empty statement */

%type ifstmt {ast_stmt *}
ifstmt(A) ::= IF(K) cond(C) block(B).           { A = ast_if(ps, &K, C, B, NULL); }
ifstmt(A) ::= IF(K) cond(C) block(B) ELSE block(E).
                                                { A = ast_if(ps, &K, C, B, &E); }

%type cond {ast_cond *}
cond(A) ::= NOT(K) cond1(C).                    { A = ast_cond_not(ps, &K, C); }
cond(A) ::= cond1(A).

%type cond1 {ast_cond *}
cond1(A) ::= TABLE_EXISTS(K) qname(T).
    { A = ast_cond_new(ps, COND_TABLE_EXISTS, &K, &T, NULL); }
cond1(A) ::= COLUMN_EXISTS(K) qname(T) name(C).
    { A = ast_cond_new(ps, COND_COLUMN_EXISTS, &K, &T, &C); }
cond1(A) ::= INDEX_EXISTS(K) name(N).
    { A = ast_cond_new(ps, COND_INDEX_EXISTS, &K, NULL, &N); }
cond1(A) ::= CONSTRAINT_EXISTS(K) name(N) ON qname(T).
    { A = ast_cond_new(ps, COND_CONSTRAINT_EXISTS, &K, &T, &N); }
cond1(A) ::= DIALECT(K) name(N).
    { A = ast_cond_new(ps, COND_DIALECT, &K, NULL, &N); }

/* Statements that take options (`if exists`, `unique`, ...) are `ostmt`;
 * the options are suffixes, so their order is free, and ast_stmt_option
 * reports one that does not apply or is given twice.  Statements ending in
 * a column definition or a reference stay out of ostmt: there `unique` and
 * `on` would be ambiguous. */
%type stmt {ast_stmt *}
stmt(A) ::= ostmt(A).
stmt(A) ::= RENAME_TABLE(K) qname(T) TO name(N).
    { A = ast_rename(ps, ST_RENAME_TABLE, &K, T, NULL, N); }
stmt(A) ::= addcol(A).
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) TYPE type(Y) using(U).
    { A = ast_alter_type(ps, &K, T, C, Y, U); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) SET NOT NULL.
    { A = ast_stmt_new(ps, ST_ALTER_SET_NOT_NULL, &K, &T, &C); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) DROP NOT NULL.
    { A = ast_stmt_new(ps, ST_ALTER_DROP_NOT_NULL, &K, &T, &C); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) SET DEFAULT expr(E).
    { A = ast_alter_default(ps, &K, T, C, E); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) DROP DEFAULT.
    { A = ast_stmt_new(ps, ST_ALTER_DROP_DEFAULT, &K, &T, &C); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) RENAME TO name(N).
    { A = ast_rename(ps, ST_ALTER_RENAME, &K, T, &C, N); }
stmt(A) ::= CREATE_PRIMARY_KEY(K) name(N) ON qname(T) LP names(L) RP.
    { A = ast_constraint_stmt(ps, ST_CREATE_PRIMARY_KEY, &K, N, T, &L, NULL, NULL); }
stmt(A) ::= CREATE_PRIMARY_KEY(K) name(N) ON qname(T) LP names(L) RP deferral(D).
    { A = ast_stmt_deferral(ast_constraint_stmt(ps, ST_CREATE_PRIMARY_KEY, &K, N, T, &L, NULL, NULL), &D); }
stmt(A) ::= CREATE_UNIQUE_CONSTRAINT(K) name(N) ON qname(T) LP names(L) RP.
    { A = ast_constraint_stmt(ps, ST_CREATE_UNIQUE, &K, N, T, &L, NULL, NULL); }
stmt(A) ::= CREATE_UNIQUE_CONSTRAINT(K) name(N) ON qname(T) LP names(L) RP deferral(D).
    { A = ast_stmt_deferral(ast_constraint_stmt(ps, ST_CREATE_UNIQUE, &K, N, T, &L, NULL, NULL), &D); }
stmt(A) ::= CREATE_UNIQUE_CONSTRAINT(K) name(N) ON qname(T) USING INDEX name(I).
    { A = ast_unique_using_index(ps, &K, N, T, I); }
stmt(A) ::= CREATE_UNIQUE_CONSTRAINT(K) ON qname(T) LP names(L) RP.
    { A = ast_constraint_stmt(ps, ST_CREATE_UNIQUE, &K, ast_no_name, T, &L, NULL, NULL); }
stmt(A) ::= CREATE_UNIQUE_CONSTRAINT(K) ON qname(T) LP names(L) RP deferral(D).
    { A = ast_stmt_deferral(ast_constraint_stmt(ps, ST_CREATE_UNIQUE, &K, ast_no_name, T, &L, NULL, NULL), &D); }
stmt(A) ::= CREATE_CHECK_CONSTRAINT(K) ON qname(T) RAW(R).
    { A = ast_constraint_stmt(ps, ST_CREATE_CHECK, &K, ast_no_name, T, NULL, &R, NULL); }
stmt(A) ::= CREATE_CHECK_CONSTRAINT(K) ON qname(T) RAW(R) NOT(V) VALID.
    { A = ast_not_valid(ps, ast_constraint_stmt(ps, ST_CREATE_CHECK, &K, ast_no_name, T, NULL, &R, NULL), &V); }
stmt(A) ::= CREATE_FOREIGN_KEY(K) ON qname(T) LP names(L) RP ref(F).
    { A = ast_constraint_stmt(ps, ST_CREATE_FOREIGN_KEY, &K, ast_no_name, T, &L, NULL, F); }
stmt(A) ::= CREATE_FOREIGN_KEY(K) ON qname(T) LP names(L) RP ref(F) NOT(V) VALID.
    { A = ast_not_valid(ps, ast_constraint_stmt(ps, ST_CREATE_FOREIGN_KEY, &K, ast_no_name, T, &L, NULL, F), &V); }
stmt(A) ::= CREATE_CHECK_CONSTRAINT(K) name(N) ON qname(T) RAW(R).
    { A = ast_constraint_stmt(ps, ST_CREATE_CHECK, &K, N, T, NULL, &R, NULL); }
stmt(A) ::= CREATE_CHECK_CONSTRAINT(K) name(N) ON qname(T) RAW(R) NOT(V) VALID.
    { A = ast_not_valid(ps, ast_constraint_stmt(ps, ST_CREATE_CHECK, &K, N, T, NULL, &R, NULL), &V); }
stmt(A) ::= CREATE_FOREIGN_KEY(K) name(N) ON qname(T) LP names(L) RP ref(F).
    { A = ast_constraint_stmt(ps, ST_CREATE_FOREIGN_KEY, &K, N, T, &L, NULL, F); }
stmt(A) ::= CREATE_FOREIGN_KEY(K) name(N) ON qname(T) LP names(L) RP ref(F) NOT(V) VALID.
    { A = ast_not_valid(ps, ast_constraint_stmt(ps, ST_CREATE_FOREIGN_KEY, &K, N, T, &L, NULL, F), &V); }
stmt(A) ::= VALIDATE_CONSTRAINT(K) name(N) ON qname(T).
    { A = ast_stmt_new(ps, ST_VALIDATE_CONSTRAINT, &K, &T, &N); }
stmt(A) ::= upd(A).
stmt(A) ::= upd(A) WHERE RAW(R).                { ast_stmt_where(ps, A, &R); }
stmt(A) ::= upd(A) FROM updfrom(L).             { ast_update_from(ps, A, L); }
stmt(A) ::= upd(A) FROM updfrom(L) WHERE RAW(R).
    { ast_update_from(ps, A, L); ast_stmt_where(ps, A, &R); }
stmt(A) ::= DELETE(K) FROM qname(T).
    { A = ast_stmt_new(ps, ST_DELETE, &K, &T, NULL); }
stmt(A) ::= DELETE(K) FROM qname(T) WHERE RAW(R).
    { A = ast_stmt_new(ps, ST_DELETE, &K, &T, NULL); ast_stmt_where(ps, A, &R); }
stmt(A) ::= INSERT(K) INTO qname(T) LP names(L) RP SELECT RAW(R).
    { A = ast_insert_select(ps, &K, T, L, &R); }

/* update T set C = VALUE, ...: one assignment at a time. */
%type upd {ast_stmt *}
upd(A) ::= UPDATE(K) qname(T) SET name(C) EQ expr(E).
    { A = ast_update(ps, &K, T, C, E); }
upd(A) ::= upd(A) COMMA name(C) EQ expr(E).     { ast_update_set(ps, A, C, E); }
/* lock_table T, ... [MODE WORDS]: PostgreSQL's lock mode, without IN and
 * MODE (`share row exclusive`); checked by the builder. */
stmt(A) ::= LOCK_TABLE(K) updfrom(L).           { A = ast_lock_table(ps, &K, L, NULL); }
stmt(A) ::= LOCK_TABLE(K) updfrom(L) lockmode(M). { A = ast_lock_table(ps, &K, L, &M); }
%type lockmode {ptr_list}
lockmode(A) ::= name(N).                        { A = ast_names_new(ps, N); }
lockmode(A) ::= lockmode(A) name(N).            { ast_names_push(ps, &A, N); }
%type updfrom {ptr_list}
updfrom(A) ::= qname(T).                        { A = ast_qnames_new(ps, T); }
updfrom(A) ::= updfrom(A) COMMA qname(T).       { ast_qnames_push(ps, &A, T); }
stmt(A) ::= DROP_CONSTRAINT(K) name(N) ON qname(T).
    { A = ast_stmt_new(ps, ST_DROP_CONSTRAINT, &K, &T, &N); }
stmt(A) ::= EXECUTE(K) RAW(R).                  { A = ast_execute(ps, &K, NULL, &R); }
stmt(A) ::= EXECUTE(K) name(D) RAW(R).          { A = ast_execute(ps, &K, &D, &R); }
stmt(A) ::= BULK_INSERT(K) qname(T) LP names(L) RP VALUES rows(R).
    { A = ast_bulk_insert(ps, &K, T, L, R); }
/* call NAME: the application's C function NAME. */
stmt(A) ::= CALL(K) name(N).                    { A = ast_call(ps, &K, N); }

/* ---- views and triggers ---- */

/* create_view N as BODY; create_trigger N on T BODY, where BODY is
 * $$sql$$ for every dialect or `sqlite $$A$$ postgresql $$B$$`. */
stmt(A) ::= CREATE_VIEW(K) qname(V) AS body(B).
    { A = ast_create_view(ps, &K, V, &B); }
stmt(A) ::= CREATE_TRIGGER(K) name(N) ON qname(T) body(B).
    { A = ast_create_trigger(ps, &K, N, T, &B); }
ostmt(A) ::= DROP_VIEW(K) qname(V).
    { A = ast_stmt_new(ps, ST_DROP_VIEW, &K, &V, NULL); }
ostmt(A) ::= DROP_TRIGGER(K) name(N) ON qname(T).
    { A = ast_stmt_new(ps, ST_DROP_TRIGGER, &K, &T, &N); }

/* ---- functions (PostgreSQL) ---- */

stmt(A) ::= CREATE_FUNCTION(K) qname(N) RAW(R).
    { A = ast_function(ps, ST_CREATE_FUNCTION, &K, N, &R); }
stmt(A) ::= REPLACE_FUNCTION(K) qname(N) RAW(R).
    { A = ast_function(ps, ST_REPLACE_FUNCTION, &K, N, &R); }
ostmt(A) ::= DROP_FUNCTION(K) qname(N).
    { A = ast_stmt_new(ps, ST_DROP_FUNCTION, &K, &N, NULL); }

/* ---- comments ---- */

stmt(A) ::= ALTER_TABLE(K) qname(T) SET COMMENT STRING(S).
    { A = ast_comment(ps, &K, T, NULL, &S); }
stmt(A) ::= ALTER_TABLE(K) qname(T) DROP COMMENT.
    { A = ast_comment(ps, &K, T, NULL, NULL); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) SET COMMENT STRING(S).
    { A = ast_comment(ps, &K, T, &C, &S); }
stmt(A) ::= ALTER_COLUMN(K) qname(T) name(C) DROP COMMENT.
    { A = ast_comment(ps, &K, T, &C, NULL); }

/* ---- enums ---- */

stmt(A) ::= CREATE_ENUM(K) name(N) LP strings(L) RP.
    { A = ast_create_enum(ps, &K, N, L); }
stmt(A) ::= ALTER_ENUM(K) name(N) ADD VALUE STRING(S).
    { A = ast_alter_enum(ps, ST_ALTER_ENUM_ADD, &K, N, &S, NULL, 0); }
stmt(A) ::= ALTER_ENUM(K) name(N) ADD VALUE STRING(S) BEFORE STRING(B).
    { A = ast_alter_enum(ps, ST_ALTER_ENUM_ADD, &K, N, &S, &B, 1); }
stmt(A) ::= ALTER_ENUM(K) name(N) ADD VALUE STRING(S) AFTER STRING(B).
    { A = ast_alter_enum(ps, ST_ALTER_ENUM_ADD, &K, N, &S, &B, 2); }
stmt(A) ::= ALTER_ENUM(K) name(N) RENAME VALUE STRING(S) TO STRING(B).
    { A = ast_alter_enum(ps, ST_ALTER_ENUM_RENAME, &K, N, &S, &B, 0); }
stmt(A) ::= ALTER_ENUM(K) name(N) DROP VALUE STRING(S).
    { A = ast_alter_enum(ps, ST_ALTER_ENUM_DROP_VALUE, &K, N, &S, NULL, 0); }
ostmt(A) ::= DROP_ENUM(K) name(N).
    { A = ast_stmt_new(ps, ST_DROP_ENUM, &K, NULL, &N); }
stmt(A) ::= ALTER_ENUM(K) name(N) RENAME TO name(M).
    { A = ast_rename(ps, ST_ALTER_ENUM_RENAME_TYPE, &K, (ast_qname){0}, &N, M); }

/* ---- PostgreSQL objects ---- */

ostmt(A) ::= CREATE_EXTENSION(K) name(N).
    { A = ast_object(ps, ST_CREATE_OBJECT, OBJ_EXTENSION, &K, N); }
ostmt(A) ::= DROP_EXTENSION(K) name(N).
    { A = ast_object(ps, ST_DROP_OBJECT, OBJ_EXTENSION, &K, N); }
ostmt(A) ::= CREATE_SCHEMA(K) name(N).
    { A = ast_object(ps, ST_CREATE_OBJECT, OBJ_SCHEMA, &K, N); }
ostmt(A) ::= DROP_SCHEMA(K) name(N).
    { A = ast_object(ps, ST_DROP_OBJECT, OBJ_SCHEMA, &K, N); }
ostmt(A) ::= CREATE_SEQUENCE(K) name(N).
    { A = ast_object(ps, ST_CREATE_OBJECT, OBJ_SEQUENCE, &K, N); }
ostmt(A) ::= DROP_SEQUENCE(K) name(N).
    { A = ast_object(ps, ST_DROP_OBJECT, OBJ_SEQUENCE, &K, N); }
ostmt(A) ::= ostmt(A) START(K) NUMBER(X).       { ast_sequence_option(ps, A, 0, &K, &X); }
ostmt(A) ::= ostmt(A) INCREMENT(K) NUMBER(X).   { ast_sequence_option(ps, A, 1, &K, &X); }

/* ---- renames of constraints and indexes ---- */

stmt(A) ::= RENAME_CONSTRAINT(K) name(N) ON qname(T) TO name(M).
    { A = ast_rename(ps, ST_RENAME_CONSTRAINT, &K, T, &N, M); }
stmt(A) ::= RENAME_INDEX(K) name(N) TO name(M).
    { A = ast_rename(ps, ST_RENAME_INDEX, &K, (ast_qname){0}, &N, M); }
stmt(A) ::= RENAME_INDEX(K) name(N) ON qname(T) TO name(M).
    { A = ast_rename(ps, ST_RENAME_INDEX, &K, T, &N, M); }

%type strings {ptr_list}
strings(A) ::= STRING(S).                       { A = ast_strings_new(ps, NULL, &S); }
strings(A) ::= strings(L) COMMA STRING(S).      { A = ast_strings_new(ps, &L, &S); }

%type body {ast_body}
body(A) ::= RAW(R).                             { A = ast_body_new(ps, NULL, &R); }
body(A) ::= name(D) RAW(R).                     { A = ast_body_new(ps, &D, &R); }
body(A) ::= body(A) name(D) RAW(R).             { ast_body_add(ps, &A, &D, &R); }

%type addcol {ast_stmt *}
addcol(A) ::= ADD_COLUMN(K) qname(T) coldef(C). { A = ast_add_column(ps, &K, T, C); }
addcol(A) ::= addcol(A) IF(K) NOT EXISTS.       { ast_stmt_option(ps, A, OPT_IF_NOT_EXISTS, &K); }

%type ostmt {ast_stmt *}
ostmt(A) ::= ctable(A).
ostmt(A) ::= DROP_TABLE(K) qname(T).
    { A = ast_stmt_new(ps, ST_DROP_TABLE, &K, &T, NULL); }
ostmt(A) ::= DROP_COLUMN(K) qname(T) name(C).
    { A = ast_stmt_new(ps, ST_DROP_COLUMN, &K, &T, &C); }
ostmt(A) ::= cindex(A).
ostmt(A) ::= DROP_INDEX(K) name(N).
    { A = ast_stmt_new(ps, ST_DROP_INDEX, &K, NULL, &N); }
ostmt(A) ::= ostmt(A) IF(K) EXISTS.             { ast_stmt_option(ps, A, OPT_IF_EXISTS, &K); }
ostmt(A) ::= ostmt(A) IF(K) NOT EXISTS.         { ast_stmt_option(ps, A, OPT_IF_NOT_EXISTS, &K); }
ostmt(A) ::= ostmt(A) UNIQUE(K).                { ast_stmt_option(ps, A, OPT_UNIQUE, &K); }
ostmt(A) ::= ostmt(A) CONCURRENTLY(K).          { ast_stmt_option(ps, A, OPT_CONCURRENTLY, &K); }
ostmt(A) ::= ostmt(A) WHERE RAW(R).             { ast_stmt_where(ps, A, &R); }
ostmt(A) ::= ostmt(A) ON(K) qname(T).           { ast_stmt_on(ps, A, &K, T); }

%type ctable {ast_stmt *}
ctable(A) ::= CREATE_TABLE(K) qname(T) LP tabelems(E) RP.
    { A = ast_create_table(ps, &K, T, E); }

%type tabelems {ast_stmt *}
tabelems(A) ::= coldef(C).                      { A = ast_table_elem(ps, NULL, C, NULL); }
tabelems(A) ::= tabcons(K).                     { A = ast_table_elem(ps, NULL, NULL, K); }
tabelems(A) ::= tabelems(A) COMMA coldef(C).    { A = ast_table_elem(ps, A, C, NULL); }
tabelems(A) ::= tabelems(A) COMMA tabcons(K).   { A = ast_table_elem(ps, A, NULL, K); }

%type cindex {ast_stmt *}
cindex(A) ::= CREATE_INDEX(K) name(N) ON qname(T) LP ielems(E) RP.
    { A = ast_create_index(ps, &K, N, T, E); }
cindex(A) ::= CREATE_INDEX(K) name(N) ON qname(T) USING name(M) LP ielems(E) RP.
    { A = ast_index_using(ps, ast_create_index(ps, &K, N, T, E), M); }

%type ielems {ptr_list}
ielems(A) ::= ielem(E).                         { A = ast_list_new(ps, E); }
ielems(A) ::= ielems(A) COMMA ielem(E).         { ast_list_push(ps, &A, E); }

%type ielem {ast_index_elem *}
ielem(A) ::= name(C) order(O).                  { A = ast_index_elem_new(ps, &C, NULL, NULL, O); }
ielem(A) ::= RAW(R) order(O).                   { A = ast_index_elem_new(ps, NULL, &R, NULL, O); }
ielem(A) ::= name(C) name(P) order(O).          { A = ast_index_elem_new(ps, &C, NULL, &P, O); }
ielem(A) ::= RAW(R) name(P) order(O).           { A = ast_index_elem_new(ps, NULL, &R, &P, O); }

%type order {int}
order(A) ::= .                                  { A = 0; }
order(A) ::= ASC.                               { A = 1; }
order(A) ::= DESC.                              { A = 2; }

%type using {const char *}
using(A) ::= .                                  { A = NULL; }
using(A) ::= USING RAW(R).                      { A = ast_raw(ps, &R); }

/* ---- column definitions and constraints ---- */

%type coldef {ast_coldef *}
coldef(A) ::= name(N) type(T).                  { A = ast_coldef_new(ps, N, T); }
coldef(A) ::= coldef(A) PRIMARY(K) KEY.         { ast_coldef_attr(ps, A, COL_PRIMARY_KEY, &K); }
coldef(A) ::= coldef(A) AUTOINCREMENT(K).       { ast_coldef_attr(ps, A, COL_AUTOINCREMENT, &K); }
coldef(A) ::= coldef(A) NOT(K) NULL.            { ast_coldef_attr(ps, A, COL_NOT_NULL, &K); }
coldef(A) ::= coldef(A) NULL(K).                { ast_coldef_attr(ps, A, COL_NULL, &K); }
coldef(A) ::= coldef(A) UNIQUE(K).              { ast_coldef_attr(ps, A, COL_UNIQUE, &K); }
coldef(A) ::= coldef(A) DEFAULT expr(E).        { ast_coldef_default(ps, A, E); }
coldef(A) ::= coldef(A) ref(R).                 { ast_coldef_references(ps, A, R); }
coldef(A) ::= coldef(A) CHECK RAW(R).           { ast_coldef_check(ps, A, &R); }

%type ref {ast_reference *}
ref(A) ::= REFERENCES(K) qname(T) LP names(L) RP.
    { A = ast_reference_new(ps, &K, T, L); }
ref(A) ::= ref(A) ON DELETE(K) action(X).       { ast_reference_action(ps, A, 0, X, &K); }
ref(A) ::= ref(A) ON UPDATE(K) action(X).       { ast_reference_action(ps, A, 1, X, &K); }
ref(A) ::= ref(A) deferral(D).                  { ast_reference_deferral(ps, A, &D); }

/* `deferrable [initially deferred | initially immediate]`: PostgreSQL's
 * words; `initially deferred` alone (which PostgreSQL takes as deferrable)
 * is refused, so that one spelling means one thing. */
%type deferral {ast_deferral_tok}
deferral(A) ::= DEFERRABLE(K).
    { A.loc = K.loc; A.deferral = DEFER_IMMEDIATE; }
deferral(A) ::= DEFERRABLE(K) INITIALLY IMMEDIATE.
    { A.loc = K.loc; A.deferral = DEFER_IMMEDIATE; }
deferral(A) ::= DEFERRABLE(K) INITIALLY DEFERRED.
    { A.loc = K.loc; A.deferral = DEFER_DEFERRED; }

%type action {enum ast_fk_action}
action(A) ::= CASCADE.                          { A = FK_CASCADE; }
action(A) ::= SET NULL.                         { A = FK_SET_NULL; }
action(A) ::= SET DEFAULT.                      { A = FK_SET_DEFAULT; }
action(A) ::= RESTRICT.                         { A = FK_RESTRICT; }
action(A) ::= NO ACTION.                        { A = FK_NO_ACTION; }

%type tabcons {ast_constraint *}
tabcons(A) ::= conskind(A).
tabcons(A) ::= CONSTRAINT(K) name(N) conskind(C).
    { A = ast_constraint_named(ps, &K, N, C); }

%type conskind {ast_constraint *}
conskind(A) ::= PRIMARY(K) KEY LP names(L) RP.
    { A = ast_constraint_new(ps, CONS_PRIMARY_KEY, &K, &L, NULL, NULL); }
conskind(A) ::= PRIMARY(K) KEY LP names(L) RP deferral(D).
    { A = ast_constraint_deferral(ast_constraint_new(ps, CONS_PRIMARY_KEY, &K, &L, NULL, NULL), &D); }
conskind(A) ::= UNIQUE(K) LP names(L) RP.
    { A = ast_constraint_new(ps, CONS_UNIQUE, &K, &L, NULL, NULL); }
conskind(A) ::= UNIQUE(K) LP names(L) RP deferral(D).
    { A = ast_constraint_deferral(ast_constraint_new(ps, CONS_UNIQUE, &K, &L, NULL, NULL), &D); }
conskind(A) ::= CHECK(K) RAW(R).
    { A = ast_constraint_new(ps, CONS_CHECK, &K, NULL, &R, NULL); }
conskind(A) ::= FOREIGN(K) KEY LP names(L) RP ref(F).
    { A = ast_constraint_new(ps, CONS_FOREIGN_KEY, &K, &L, NULL, F); }

/* ---- types, defaults, literals ---- */

%type type {ast_type}
%type sqlfor {ast_type}
type(A) ::= name(N).                            { A = ast_type_named(ps, N, NULL); }
type(A) ::= name(N) LP typeargs(L) RP.          { A = ast_type_named(ps, N, &L); }
type(A) ::= name(N) BRACKETS.                   { A = ast_type_array(ast_type_named(ps, N, NULL)); }
type(A) ::= name(N) LP typeargs(L) RP BRACKETS. { A = ast_type_array(ast_type_named(ps, N, &L)); }
type(A) ::= SQL(K) RAW(R).                      { A = ast_type_sql(ps, &K, &R); }
type(A) ::= ENUM(K) name(N).                    { A = ast_type_enum(ps, &K, N); }
type(A) ::= SQL(K) sqlfor(L).                   { A = L; A.loc = K.loc; ast_type_sql_done(ps, &A); }
sqlfor(A) ::= name(D) RAW(R).                   { A = ast_type_sql_for(); ast_type_sql_add(ps, &A, D, &R); }
sqlfor(A) ::= sqlfor(A) name(D) RAW(R).         { ast_type_sql_add(ps, &A, D, &R); }

/* Any word or number; ast_type_named checks them against the type. */
%type typeargs {ptr_list}
typeargs(A) ::= id(I).                          { A = ast_names_new(ps, I); }
typeargs(A) ::= typeargs(A) COMMA id(I).        { ast_names_push(ps, &A, I); }

%type expr {ast_expr *}
expr(A) ::= literal(A).
expr(A) ::= CURRENT_TIMESTAMP(X).               { A = ast_expr_new(ps, EX_CURRENT_TIMESTAMP, &X); }
expr(A) ::= CURRENT_DATE(X).                    { A = ast_expr_new(ps, EX_CURRENT_DATE, &X); }
expr(A) ::= RAW(X).                             { A = ast_expr_new(ps, EX_RAW, &X); }

%type literal {ast_expr *}
literal(A) ::= NUMBER(X).                       { A = ast_expr_new(ps, EX_NUMBER, &X); }
literal(A) ::= STRING(X).                       { A = ast_expr_new(ps, EX_STRING, &X); }
literal(A) ::= TRUE(X).                         { A = ast_expr_new(ps, EX_TRUE, &X); }
literal(A) ::= FALSE(X).                        { A = ast_expr_new(ps, EX_FALSE, &X); }
literal(A) ::= NULL(X).                         { A = ast_expr_new(ps, EX_NULL, &X); }

%type literals {ptr_list}
literals(A) ::= literal(E).                     { A = ast_list_new(ps, E); }
literals(A) ::= literals(A) COMMA literal(E).   { ast_list_push(ps, &A, E); }

%type rows {ptr_list}
rows(A) ::= row(R).                             { A = ast_list_new(ps, R); }
rows(A) ::= rows(A) COMMA row(R).               { ast_list_push(ps, &A, R); }

%type row {ptr_list *}
row(A) ::= LP literals(L) RP.                   { A = ast_row(ps, L); }

/* ---- names ---- */

%type qname {ast_qname}
qname(A) ::= name(N).                           { A = ast_qname_make(ps, NULL, N); }
qname(A) ::= name(S) DOT name(N).               { A = ast_qname_make(ps, &S, N); }

%type names {ptr_list}
names(A) ::= name(N).                           { A = ast_names_new(ps, N); }
names(A) ::= names(A) COMMA name(N).            { ast_names_push(ps, &A, N); }

%type name {ast_name}
name(A) ::= ID(X).                              { A = ast_name_word(ps, &X); }
name(A) ::= QID(X).                             { A = ast_name_quoted(ps, &X); }
