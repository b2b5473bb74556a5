/*
 * conf.c: retort.conf (see conf.h).  A typo in a setting must not pass
 * silently (a misspelt `dialects` would compile a PostgreSQL-only history
 * for SQLite), so every unknown key or value is an error at its place.
 */
#include "conf.h"

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>

#include "ast.h"
#include "dialect.h"
#include "source.h"

/* The next word of `line` from *p: start in *w, length returned; 0 at the
 * end of the line or at a comment.  Commas separate words too. */
static size_t word(const char **p, const char **w)
{
    const char *s = *p;
    while (*s == ' ' || *s == '\t' || *s == ',' || *s == '\r')
        s++;
    *w = s;
    if (!*s || *s == '\n' || *s == '#') {
        *p = s;
        return 0;
    }
    const char *e = s;
    while (*e && !isspace((unsigned char)*e) && *e != ',' && *e != '#')
        e++;
    *p = e;
    return (size_t)(e - s);
}

static src_loc at(const src_file *f, int line, const char *linestart,
                  const char *w)
{
    return (src_loc){f, line, (int)(w - linestart) + 1};
}

int conf_read(arena *a, diag *d, const char *dir, retort_conf *out)
{
    out->dialects = DIALECT_SQLITE | DIALECT_POSTGRESQL;
    out->version_table = NULL;
    out->file = NULL;
    const char *path = arena_printf(a, "%s/retort.conf", dir);
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    const src_file *f = source_read_file(a, d, path, "retort.conf");
    if (!f)
        return -1;
    out->file = f;
    int errors = 0, line = 1;
    for (const char *ls = f->text; *ls; line++) {
        const char *p = ls, *k, *v;
        size_t kn = word(&p, &k);
        if (kn == 0) {
            /* blank or comment */
        } else if (kn == 8 && memcmp(k, "dialects", 8) == 0) {
            int mask = 0;
            size_t vn;
            while ((vn = word(&p, &v)) > 0) {
                char *name = arena_strndup(a, v, vn);
                const dialect *D = dialect_named(name);
                if (!D) {
                    diag_error(d, at(f, line, ls, v), "unknown dialect '%s' "
                               "(expected sqlite or postgresql)", name);
                    errors++;
                    continue;
                }
                mask |= D->mask;
            }
            if (!mask && !errors) {
                diag_error(d, at(f, line, ls, k), "dialects needs at least "
                           "one of sqlite, postgresql");
                errors++;
            }
            if (mask)
                out->dialects = mask;
        } else if (kn == 13 && memcmp(k, "version_table", 13) == 0) {
            size_t vn = word(&p, &v);
            if (vn == 0) {
                diag_error(d, at(f, line, ls, k), "version_table needs a name");
                errors++;
            } else {
                out->version_table = arena_strndup(a, v, vn);
                const char *x;
                if (word(&p, &x) > 0) {
                    diag_error(d, at(f, line, ls, x), "version_table takes "
                               "one name");
                    errors++;
                }
            }
        } else {
            diag_error(d, at(f, line, ls, k), "unknown setting '%s' (expected "
                       "dialects or version_table)", arena_strndup(a, k, kn));
            errors++;
        }
        const char *nl = strchr(ls, '\n');
        if (!nl)
            break;
        ls = nl + 1;
    }
    return errors ? -1 : 0;
}
