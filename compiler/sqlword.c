/*
 * sqlword.c: identifiers of raw SQL fragments (see sqlword.h).
 */
#include "sqlword.h"

#include <ctype.h>
#include <string.h>

static int word_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

int sqlword_next(const char **pp, sql_word *w)
{
    const char *p = *pp;
    int cast = 0;             /* the previous token was `::` */
    while (*p) {
        size_t n = 0;
        if (*p == '\'') {     /* a string: '' inside is a quote */
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (*p)
                p++;
            cast = 0;
            continue;
        }
        if (isdigit((unsigned char)*p)) {
            while (isalnum((unsigned char)*p) || *p == '.')
                p++;
            cast = 0;
            continue;
        }
        if (*p != '"' && !(isalpha((unsigned char)*p) || *p == '_' ||
                           (unsigned char)*p >= 0x80)) {
            cast = p[0] == ':' && p[1] == ':';
            p += cast ? 2 : 1;
            continue;
        }
        w->start = p;
        w->quoted = *p == '"';
        if (w->quoted) {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
                if (n < sizeof w->text - 1)
                    w->text[n++] = *p;
            if (*p)
                p++;
        } else {
            for (; word_byte((unsigned char)*p); p++)
                if (n < sizeof w->text - 1)
                    w->text[n++] = (char)tolower((unsigned char)*p);
        }
        w->text[n] = '\0';
        w->len = (size_t)(p - w->start);
        const char *q = p;
        while (isspace((unsigned char)*q))
            q++;
        w->column = !cast && *q != '(';
        *pp = p;
        return 1;
    }
    *pp = p;
    return 0;
}

int sqlword_is(const sql_word *w, const char *name)
{
    return w->quoted ? strcmp(w->text, name) == 0 : sqlword_eq(w->text, name);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

int sqlword_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (lower(*a) != lower(*b))
            return 0;
    return *a == *b;
}

int sqlword_eqn(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (lower(a[i]) != lower(b[i]))
            return 0;
        if (!a[i])
            return 1;
    }
    return 1;
}
