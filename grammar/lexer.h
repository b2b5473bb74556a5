/*
 * lexer.h: the re2c lexer of revision and model files (grammar/lexer.re).
 *
 * lex_next() returns lemon's token codes (TK_* of the generated parser.h)
 * directly, 0 at the end of the input.  A token's text points into the
 * source buffer and is not NUL-terminated:
 *   TK_STRING   between the quotes, '' still doubled
 *   TK_QID      between the quotes, "" still doubled
 *   TK_RAW      between the $$ (or $tag$) delimiters, verbatim
 *   otherwise   the token as written
 * Lexical errors go to the diag; an unterminated token ends the input.
 */
#ifndef RETORT_LEXER_H
#define RETORT_LEXER_H

#include "diag.h"
#include "parser.h"

typedef struct lex_token {
    const char *text;
    int len;
    src_loc loc;            /* the first byte of the token as written */
} lex_token;

typedef struct lex_state {
    const src_file *file;
    diag *d;
    const char *cur;        /* next byte to scan */
    const char *lim;        /* file->text + file->len, a NUL byte */
    const char *line_start; /* first byte of the current line */
    int line;
    int errors;             /* lexical errors reported so far */
} lex_state;

void lex_init(lex_state *ls, diag *d, const src_file *f);
int lex_next(lex_state *ls, lex_token *t);
/* Would the lexer read `word` (letters, digits, `_`) as a keyword? */
int lex_is_keyword(const char *word);

#endif
