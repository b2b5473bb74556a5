/*
 * parse.c: the parser driver; see parse.h.
 *
 * Feeds the re2c lexer's tokens to the lemon parser (grammar/parser.y),
 * after a synthetic first token that picks the file kind.  Error policy:
 * the first syntax error, nesting overflow or lexical error stops the
 * parser (one clear message beats a cascade born of a bad guess at what
 * was meant).  Lexing goes on after a lexical error only, to report the
 * other lexical errors, which do not depend on the grammar.  Builder
 * checks (ast.c) report as they go and never stop anything.
 */
#include "parse.h"

#include <stdio.h>
#include <stdlib.h>

#include "ast_build.h"

/* lemon's entry points (%name parse_lemon); its parser.h has only the
 * token codes. */
void *parse_lemonAlloc(void *(*alloc)(size_t), parse_state *ps);
void parse_lemon(void *parser, int major, lex_token minor);
void parse_lemonFree(void *parser, void (*dealloc)(void *));

/* Tokens that begin a statement, or close a block: when one comes where it
 * cannot and the previous token was not a `;`, the `;` was forgotten. */
static int ends_statement(int major)
{
    switch (major) {
    case TK_CREATE_TABLE: case TK_DROP_TABLE: case TK_RENAME_TABLE:
    case TK_ADD_COLUMN: case TK_DROP_COLUMN: case TK_ALTER_COLUMN:
    case TK_CREATE_INDEX: case TK_DROP_INDEX: case TK_CREATE_PRIMARY_KEY:
    case TK_CREATE_UNIQUE_CONSTRAINT: case TK_CREATE_CHECK_CONSTRAINT:
    case TK_CREATE_FOREIGN_KEY: case TK_DROP_CONSTRAINT: case TK_EXECUTE:
    case TK_BULK_INSERT: case TK_CALL: case TK_IF: case TK_RBRACE:
    case TK_CREATE_EXTENSION: case TK_DROP_EXTENSION: case TK_CREATE_SCHEMA:
    case TK_DROP_SCHEMA: case TK_CREATE_SEQUENCE: case TK_DROP_SEQUENCE:
    case TK_RENAME_CONSTRAINT: case TK_RENAME_INDEX:
    case TK_LOCK_TABLE: case TK_CREATE_FUNCTION: case TK_REPLACE_FUNCTION:
    case TK_DROP_FUNCTION:
        return 1;
    }
    return 0;
}

/* The offending token as the message shows it. */
static const char *describe(parse_state *ps, int major, const lex_token *t)
{
    int n = t->len > 40 ? 40 : t->len;
    const char *more = t->len > 40 ? "..." : "";
    switch (major) {
    case 0:
        return "end of file";
    case TK_RAW:
        return "raw SQL";
    case TK_STRING:
        return arena_printf(ps->a, "string '%.*s%s'", n, t->text, more);
    case TK_QID:
        return arena_printf(ps->a, "identifier \"%.*s%s\"", n, t->text, more);
    case TK_NUMBER:
        return arena_printf(ps->a, "number %.*s", n, t->text);
    }
    return arena_printf(ps->a, "'%.*s%s'", n, t->text, more);
}

/* Called by %syntax_error for the token in ps->tok: say what was most
 * likely meant. */
void parse_syntax_error(parse_state *ps, int major)
{
    const lex_token *t = &ps->tok;
    int prev = ps->prev_major;
    const char *what = describe(ps, major, t);
    if (major == 0 && ps->depth > 0)
        diag_error(ps->d, t->loc, "unexpected end of file: missing '}'");
    else if ((major == TK_UPGRADE || major == TK_DOWNGRADE) && ps->depth > 0)
        diag_error(ps->d, t->loc, "expected '}' before %s", what);
    else if (ends_statement(major) && prev != TK_SEMI && prev != TK_LBRACE &&
             prev != TK_RBRACE && (ps->depth > 0 || ps->model))
        diag_error(ps->d, t->loc, "expected ';' before %s", what);
    else if (major == TK_ID && ps->rev && !ps->in_blocks && prev != TK_LP &&
             prev != TK_COMMA)
        diag_error(ps->d, t->loc, "unknown header line %s", what);
    else
        diag_error(ps->d, t->loc, "syntax error: unexpected %s", what);
}

/* Lex and parse the whole file, starting with the synthetic token
 * `start`. */
static void run(parse_state *ps, int start)
{
    void *parser = parse_lemonAlloc(xmalloc, ps);
    if (!parser)
        oom();
    lex_state ls;
    lex_init(&ls, ps->d, ps->file);
    ps->tok = (lex_token){ps->file->text, 0, {ps->file, 1, 1}};
    ps->major = start;
    parse_lemon(parser, start, ps->tok);

    int feeding = 1, major;
    do {
        lex_token t;
        major = lex_next(&ls, &t);
        if (ls.errors)
            feeding = 0;
        if (!feeding)
            continue;
        ps->prev_major = ps->major;
        ps->major = major;
        ps->tok = t;
        /* depth counts the blocks open around this token: a '}' still
         * counts as inside for its own error message. */
        if (major == TK_LBRACE) {
            ps->depth++;
            ps->in_blocks = 1;
        }
        parse_lemon(parser, major, t);
        if (major == TK_RBRACE)
            ps->depth--;
        if (ps->stop)
            break;
    } while (major != 0);
    parse_lemonFree(parser, free);
}

/* A revision file: header, upgrade block, optional downgrade block. */
ast_revision *parse_revision(arena *a, diag *d, const src_file *f)
{
    ast_revision *r = arena_alloc(a, sizeof *r);
    r->file = f;
    r->transactional = 1;
    r->schema_check = 1;
    parse_state ps = {.a = a, .d = d, .file = f, .rev = r};
    run(&ps, TK_REVISION_FILE);
    return r;
}

/* A model file: bare create_table and create_index statements. */
ast_model *parse_model(arena *a, diag *d, const src_file *f)
{
    ast_model *m = arena_alloc(a, sizeof *m);
    m->file = f;
    parse_state ps = {.a = a, .d = d, .file = f, .model = m};
    run(&ps, TK_MODEL_FILE);
    return m;
}
