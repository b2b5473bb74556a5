/*
 * parse.h: the parser driver.  Feeds the re2c lexer's tokens to the lemon
 * parser; syntax errors go to `d` and parsing continues to the end of the
 * file only as far as it can make sense of it.
 */
#ifndef RETORT_PARSE_H
#define RETORT_PARSE_H

#include "ast.h"

/* NULL only when the file could not be parsed at all; a partial tree may
 * come back with errors reported. */
ast_revision *parse_revision(arena *a, diag *d, const src_file *f);
ast_model *parse_model(arena *a, diag *d, const src_file *f);

#endif
