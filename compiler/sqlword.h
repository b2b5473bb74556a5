/*
 * sqlword.h: the identifiers of a raw SQL fragment (a CHECK expression, an
 * index expression or predicate), for the passes that must know which
 * columns the fragment reads: PostgreSQL's default CHECK names (cname.c)
 * and column renames (sema_stmt.c), which PostgreSQL and SQLite apply to
 * the stored expressions and so must the model.
 *
 * A word is an identifier outside string literals: a bare one (compared
 * as the databases do, case-insensitively) or a "quoted" one.  A word
 * followed by `(` is a function name and one after `::` a type name;
 * neither can be a column.  Numbers and punctuation are skipped.
 */
#ifndef RETORT_SQLWORD_H
#define RETORT_SQLWORD_H

#include <stddef.h>

typedef struct sql_word {
    const char *start;        /* the word as written, quotes included */
    size_t len;
    char text[256];           /* bare: lower-cased; quoted: unquoted */
    int quoted;
    int column;               /* may name a column: not a function or type */
} sql_word;

/* The next word of the fragment at *p (advancing *p past it): 1, or 0 at
 * the end of the text. */
int sqlword_next(const char **p, sql_word *w);

/* ASCII case-insensitive equality, the way the databases compare bare
 * words and retort its keywords and dialect names (strcasecmp is not
 * C11, and a locale must not change how a keyword reads).  The one copy
 * of this comparison in the compiler. */
int sqlword_eq(const char *a, const char *b);
/* The same over the first n bytes of each (a prefix test when b's length
 * is n). */
int sqlword_eqn(const char *a, const char *b, size_t n);

/* 1 when word `w` names column `name` (a model's column name). */
int sqlword_is(const sql_word *w, const char *name);

#endif
