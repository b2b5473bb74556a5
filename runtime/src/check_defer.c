/*
 * check_defer.c: whether each foreign key of a SQLite table is deferrable.
 *
 * SQLite keeps `DEFERRABLE INITIALLY DEFERRED` only in the CREATE TABLE
 * text (pragma_foreign_key_list does not report it), so the drift check
 * reads it there: every REFERENCES clause of the text, in the order
 * written, and the words up to the end of its column or table constraint.
 * SQLite numbers the foreign keys of pragma_foreign_key_list in the
 * reverse of that order (the last clause written is id 0).
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "check.h"

/* The next token of `s` at or after *pos: a word (sets *len), a quoted
 * string or name (skipped whole, returns ' '), one punctuation byte, or
 * 0 at the end.  Comments are skipped as white space. */
static int next_tok(const char *s, size_t *pos, size_t *start, size_t *len)
{
    size_t i = *pos;
    for (;;) {
        while (s[i] && isspace((unsigned char)s[i]))
            i++;
        if (s[i] == '-' && s[i + 1] == '-') {
            while (s[i] && s[i] != '\n')
                i++;
            continue;
        }
        if (s[i] == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            i = e ? (size_t)(e - s) + 2 : strlen(s);
            continue;
        }
        break;
    }
    *start = i;
    if (!s[i]) {
        *pos = i;
        return 0;
    }
    if (s[i] == '\'' || s[i] == '"' || s[i] == '`' || s[i] == '[') {
        char close = s[i] == '[' ? ']' : s[i];
        i++;
        while (s[i]) {
            if (s[i] == close) {
                if (close != ']' && s[i + 1] == close) {
                    i += 2;
                    continue;
                }
                i++;
                break;
            }
            i++;
        }
        *len = i - *start;
        *pos = i;
        return '\'';
    }
    if (isalnum((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80) {
        while (isalnum((unsigned char)s[i]) || s[i] == '_' || (unsigned char)s[i] >= 0x80)
            i++;
        *len = i - *start;
        *pos = i;
        return 'w';
    }
    *len = 1;
    *pos = i + 1;
    return (unsigned char)s[*start];
}

static int word_is(const char *s, size_t start, size_t len, const char *w)
{
    return strlen(w) == len && strncasecmp(s + start, w, len) == 0;
}

/* Contract: out[k] is the deferral of the k-th REFERENCES clause of the
 * CREATE TABLE text `sql` in the order written (RT_DEFER_NONE,
 * RT_DEFER_IMMEDIATE for DEFERRABLE [INITIALLY IMMEDIATE],
 * RT_DEFER_DEFERRED for DEFERRABLE INITIALLY DEFERRED); returns how many
 * clauses there are (at most `max` are stored). */
int rt_sq_deferrals(const char *sql, unsigned char *out, int max)
{
    size_t pos = 0, st, len;
    int depth = 0, n = 0, open = 0, tk, prev_not = 0, prev_initially = 0;
    if (!sql)
        return 0;
    while ((tk = next_tok(sql, &pos, &st, &len)) != 0) {
        if (tk == '(') {
            depth++;
            continue;
        }
        if (tk == ')') {
            if (--depth <= 0)
                break;
            continue;
        }
        if (tk == ',' && depth == 1) {
            open = 0;
            continue;
        }
        if (tk != 'w' || depth != 1) {
            prev_not = prev_initially = 0;
            continue;
        }
        if (word_is(sql, st, len, "REFERENCES")) {
            open = 1;
            n++;
            if (n <= max)
                out[n - 1] = RT_DEFER_NONE;
        } else if (open && n <= max && word_is(sql, st, len, "DEFERRABLE")) {
            out[n - 1] = prev_not ? RT_DEFER_NONE : RT_DEFER_IMMEDIATE;
        } else if (open && n <= max && prev_initially && word_is(sql, st, len, "DEFERRED") &&
                   out[n - 1] != RT_DEFER_NONE) {
            out[n - 1] = RT_DEFER_DEFERRED;
        }
        prev_not = word_is(sql, st, len, "NOT");
        prev_initially = word_is(sql, st, len, "INITIALLY");
    }
    return n;
}
