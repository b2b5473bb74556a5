/*
 * check_expect.c: the expected PostgreSQL schema, from the facts the
 * compiler wrote into the history (retort/history.h, ABI 4), and the
 * normal form in which PostgreSQL facts compare.
 *
 * Why facts and not a replay: replaying the history needs somewhere to
 * run it, and on PostgreSQL the only place is the live database (a scratch
 * schema needs CREATE, meets the live tables through the search_path and
 * `if not exists`, and advances sequences).  The compiler knows the schema
 * every revision leaves; the runtime only has to read the live one.
 *
 * Why a normal form: the history writes `kind IN ('a', 'b')`, PostgreSQL
 * reports `((kind)::text = ANY ((ARRAY['a'::character varying, ...])))`.
 * Both sides go through rt_check_canon(), which drops what PostgreSQL adds
 * (casts, parentheses, quotes) and undoes the rewrites it makes, so the
 * two compare equal; anything it does not undo shows as a difference
 * (never as a silent match): see docs/check.md.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

/* ---- the normal form ---------------------------------------------------- */

typedef struct toks {
    char **v;
    size_t n, cap;
    int oom;
} toks;

static void tok_push(toks *t, const char *s, size_t len)
{
    char *c;
    if (t->oom)
        return;
    if (t->n == t->cap) {
        size_t cap = t->cap * 2 + 16;
        char **g = realloc(t->v, cap * sizeof *g);
        if (!g) {
            t->oom = 1;
            return;
        }
        t->v = g;
        t->cap = cap;
    }
    if (!(c = malloc(len + 1))) {
        t->oom = 1;
        return;
    }
    memcpy(c, s, len);
    c[len] = '\0';
    t->v[t->n++] = c;
}

static void tok_clear(toks *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i]);
    free(t->v);
}

static int is_word(int c)
{
    return isalnum(c) || c == '_' || c == '$' || c == '.';
}

/* Type names as format_type() spells them; a word not here stays. */
static const char *alias(const char *w)
{
    static const char *const map[][2] = {
        {"int", "integer"}, {"int4", "integer"}, {"int8", "bigint"},
        {"int2", "smallint"}, {"float8", "double precision"},
        {"float4", "real"}, {"bool", "boolean"},
        {"varchar", "character varying"}, {"char", "character"},
        {"bpchar", "character"}, {"decimal", "numeric"},
        {"timestamptz", "timestamp with time zone"},
        {"timetz", "time with time zone"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(w, map[i][0]) == 0)
            return map[i][1];
    return w;
}

static int is_type_tail(const char *w)
{
    return strcmp(w, "varying") == 0 || strcmp(w, "precision") == 0 ||
           strcmp(w, "with") == 0 || strcmp(w, "without") == 0 ||
           strcmp(w, "time") == 0 || strcmp(w, "zone") == 0;
}

/* Skips a cast's type at `p` (after the `::`): a word or quoted name,
 * the words of multi-word names, a modifier and array brackets. */
static const char *skip_type(const char *p)
{
    for (int first = 1;; first = 0) {
        const char *q = p, *w;
        char word[32];
        size_t n;
        while (*q == ' ')
            q++;
        if (first && *q == '"') {
            for (q++; *q && !(*q == '"' && q[1] != '"'); q += *q == '"' ? 2 : 1)
                ;
            p = *q ? q + 1 : q;
            continue;
        }
        w = q;
        while (is_word((unsigned char)*q))
            q++;
        n = (size_t)(q - w);
        if (n == 0 || n >= sizeof word)
            break;
        for (size_t i = 0; i < n; i++)
            word[i] = (char)tolower((unsigned char)w[i]);
        word[n] = '\0';
        if (!first && !is_type_tail(word))
            break;
        p = q;
    }
    while (*p == ' ')
        p++;
    if (*p == '(') {
        int depth = 0;
        for (; *p; p++) {
            depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
            if (depth == 0) {
                p++;
                break;
            }
        }
    }
    while (p[0] == '[' && p[1] == ']')
        p += 2;
    return p;
}

/* '-5' (a number in a string literal, before a cast) is -5. */
static void unquote_number(toks *t)
{
    char *s;
    size_t n;
    if (t->n == 0)
        return;
    s = t->v[t->n - 1];
    n = strlen(s);
    if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
        return;
    for (size_t i = 1; i + 1 < n; i++)
        if (!(isdigit((unsigned char)s[i]) || s[i] == '.' || (i == 1 && s[i] == '-')))
            return;
    memmove(s, s + 1, n - 2);
    s[n - 2] = '\0';
    /* Unquoted, -5 is two tokens (the sign is an operator to tokenise):
     * so is this one, or DEFAULT -1 never matches '-1'::integer. */
    if (s[0] == '-') {
        char digits[64];
        snprintf(digits, sizeof digits, "%s", s + 1);
        s[1] = '\0';
        tok_push(t, digits, strlen(digits));
    }
}

static void tokenise(const char *p, toks *t)
{
    while (*p) {
        const char *s = p;
        if (isspace((unsigned char)*p) || strchr("()[]", *p)) {
            p++;
        } else if (*p == '\'') {
            for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
                ;
            if (*p)
                p++;
            tok_push(t, s, (size_t)(p - s));
        } else if (*p == '"') {
            char buf[512];
            size_t n = 0;
            /* Lower-cased as unquoted words are: the compiler's facts name
             * "FullName" and "Mood" unquoted, PostgreSQL quoted. */
            for (p++; *p && !(*p == '"' && p[1] != '"'); p += *p == '"' ? 2 : 1)
                if (n + 1 < sizeof buf)
                    buf[n++] = (char)tolower((unsigned char)*p);
            if (*p)
                p++;
            tok_push(t, buf, n);
        } else if (p[0] == ':' && p[1] == ':') {
            p = skip_type(p + 2);
            unquote_number(t);
        } else if (is_word((unsigned char)*p)) {
            char buf[512];
            size_t n = 0;
            const char *a;
            while (is_word((unsigned char)*p)) {
                if (n + 1 < sizeof buf)
                    buf[n++] = (char)tolower((unsigned char)*p);
                p++;
            }
            buf[n] = '\0';
            a = alias(buf);
            /* Multi-word names become their words. */
            while (*a) {
                const char *e = strchr(a, ' ');
                size_t len = e ? (size_t)(e - a) : strlen(a);
                tok_push(t, a, len);
                a += len + (e != NULL);
            }
        } else if (*p == ',') {
            tok_push(t, p++, 1);
        } else {
            while (*p && !isspace((unsigned char)*p) && !is_word((unsigned char)*p) &&
                   !strchr("()[]',\"", *p) && !(p[0] == ':' && p[1] == ':'))
                p++;
            if (p == s)
                p++;
            tok_push(t, s, (size_t)(p - s));
        }
    }
}

static int is(const toks *t, size_t i, const char *s)
{
    return i < t->n && strcmp(t->v[i], s) == 0;
}

/* Replaces tokens [i, i + n) by the `m` strings of `with`. */
static void splice(toks *t, size_t i, size_t n, const char *const *with, size_t m)
{
    toks r = {0};
    for (size_t k = 0; k < i; k++)
        tok_push(&r, t->v[k], strlen(t->v[k]));
    for (size_t k = 0; k < m; k++)
        tok_push(&r, with[k], strlen(with[k]));
    for (size_t k = i + n; k < t->n; k++)
        tok_push(&r, t->v[k], strlen(t->v[k]));
    if (r.oom) {
        tok_clear(&r);
        t->oom = 1;
        return;
    }
    tok_clear(t);
    *t = r;
}

/* Undoes PostgreSQL's rewrites, on both sides alike. */
static void rewrite(toks *t)
{
    for (size_t i = 0; i < t->n && !t->oom; i++) {
        if (is(t, i, "=") && is(t, i + 1, "any") && is(t, i + 2, "array")) {
            const char *w[] = {"in"};
            splice(t, i, 3, w, 1);
        } else if (is(t, i, "<>") && is(t, i + 1, "all") && is(t, i + 2, "array")) {
            const char *w[] = {"not", "in"};
            splice(t, i, 3, w, 2);
        } else if (is(t, i, "!=")) {
            const char *w[] = {"<>"};
            splice(t, i, 1, w, 1);
        } else if (is(t, i, "~~") || is(t, i, "~~*")) {
            const char *w[] = {is(t, i, "~~") ? "like" : "ilike"};
            splice(t, i, 1, w, 1);
        } else if (is(t, i, "!~~") || is(t, i, "!~~*")) {
            const char *w[] = {"not", is(t, i, "!~~") ? "like" : "ilike"};
            splice(t, i, 1, w, 2);
        } else if (i > 0 && is(t, i, "between") && i + 3 < t->n && is(t, i + 2, "and")) {
            /* x BETWEEN a AND b: PostgreSQL keeps x >= a AND x <= b. */
            const char *w[] = {t->v[i - 1], ">=", t->v[i + 1], "and",
                               t->v[i - 1], "<=", t->v[i + 3]};
            int neg = i > 1 && is(t, i - 1, "not");
            if (neg) {
                const char *x[] = {t->v[i - 2], "<", t->v[i + 1], "or",
                                   t->v[i - 2], ">", t->v[i + 3]};
                splice(t, i - 2, 6, x, 7);
            } else {
                splice(t, i - 1, 5, w, 7);
            }
        }
    }
}

char *rt_check_canon(const char *in)
{
    toks t = {0};
    size_t len = 1;
    char *out, *p;
    tokenise(in ? in : "", &t);
    rewrite(&t);
    if (t.oom) {
        tok_clear(&t);
        return NULL;
    }
    for (size_t i = 0; i < t.n; i++)
        len += strlen(t.v[i]) + 1;
    if ((out = p = malloc(len))) {
        *p = '\0';
        for (size_t i = 0; i < t.n; i++) {
            size_t n = strlen(t.v[i]);
            if (i)
                *p++ = ' ';
            memcpy(p, t.v[i], n + 1);
            p += n;
        }
    }
    tok_clear(&t);
    return out;
}

/* ---- the expected schema ------------------------------------------------ */

/* A table of the expected schema: the revision facts that last described
 * it (facts[first .. end)), or dropped. */
typedef struct slot {
    const char *name;         /* as the facts name it */
    unsigned first, end;
    int dropped;
} slot;

/* The table name check uses: without the current schema. */
static const char *local(const char *name, const char *current, char *buf, size_t cap)
{
    size_t n = strlen(current);
    if (strncmp(name, current, n) == 0 && name[n] == '.')
        return name + n + 1;
    snprintf(buf, cap, "%s", name);
    return buf;
}

static int add_schema(const char *table, char ***schemas, size_t *n)
{
    const char *dot = strchr(table, '.');
    char **g, *s;
    if (!dot)
        return 0;
    for (size_t i = 0; i < *n; i++)
        if (strlen((*schemas)[i]) == (size_t)(dot - table) &&
            strncmp((*schemas)[i], table, (size_t)(dot - table)) == 0)
            return 0;
    if (!(g = realloc(*schemas, (*n + 1) * sizeof *g)))
        return -1;
    *schemas = g;
    if (!(s = malloc((size_t)(dot - table) + 1)))
        return -1;
    memcpy(s, table, (size_t)(dot - table));
    s[dot - table] = '\0';
    g[(*n)++] = s;
    return 0;
}

static void expect_fact(const retort_history *h, const retort_fact *f, const char *t,
                        const char *current, rt_facts *out)
{
    const char *name = retort_str(h, f->name), *a = rt_str(h, f->a);
    const char *b = rt_str(h, f->b), *c = rt_str(h, f->c);
    char value[4096], *canon;
    switch ((enum retort_fact_kind)f->kind) {
    case RETORT_FACT_TABLE:
        rt_check_add(out, t, RT_RANK_TABLE, "", NULL, NULL, "table %s", t);
        return;
    case RETORT_FACT_DROP:
        return;
    case RETORT_FACT_VIEW:
        /* By name: PostgreSQL keeps a view's query re-parsed, not as
         * written (docs/check.md). */
        rt_check_add(out, t, RT_RANK_TABLE, "", NULL, NULL, "view %s", t);
        return;
    case RETORT_FACT_ENUM:
        rt_check_add(out, t, RT_RANK_TABLE, a, NULL, NULL, "enum %s", t);
        return;
    case RETORT_FACT_OBJECT:
        /* "extension citext", "sequence s": the name is the key. */
        rt_check_add(out, t, RT_RANK_TABLE, a, NULL, NULL, "%s", t);
        return;
    case RETORT_FACT_COMMENT:
        rt_check_add_comment(out, t, name, a);
        return;
    case RETORT_FACT_TRIGGER:
        rt_check_add(out, t, RT_RANK_TRIGGER, "", NULL, NULL, "trigger %s on %s",
                     name, t);
        return;
    case RETORT_FACT_COLUMN:
        if (!(canon = rt_check_canon(a)))
            break;
        rt_check_add(out, t, RT_RANK_COLUMN, a, canon, NULL, "column %s.%s", t, name);
        free(canon);
        return;
    case RETORT_FACT_PRIMARY_KEY:
        /* c: the deferrability, spelt as check_intro.c's pg_deferral. */
        snprintf(value, sizeof value, "%s%s", a, c);
        if (!(canon = rt_check_canon(value)))
            break;
        rt_check_add(out, t, RT_RANK_PRIMARY_KEY, value, canon, name, "primary key on %s", t);
        free(canon);
        return;
    case RETORT_FACT_UNIQUE:
        snprintf(value, sizeof value, "UNIQUE%s", c);
        if (!(canon = rt_check_canon(value)))
            break;
        rt_check_add(out, t, RT_RANK_CONSTRAINT, value, canon, name,
                     "unique constraint on %s (%s)", t, a);
        free(canon);
        return;
    case RETORT_FACT_FOREIGN_KEY: {
        const char *bar = strchr(c, '|');
        char ref[300];
        if (!bar)
            return;
        if (!(canon = rt_check_canon(bar + 1)))
            break;
        rt_check_add(out, t, RT_RANK_FOREIGN_KEY, bar + 1, canon, name,
                     "foreign key on %s (%s) references %s (%.*s)", t, a,
                     local(b, current, ref, sizeof ref), (int)(bar - c), c);
        free(canon);
        return;
    }
    case RETORT_FACT_CHECK:
        snprintf(value, sizeof value, "CHECK (%s)", a);
        if (!(canon = rt_check_canon(value)))
            break;
        rt_check_add(out, t, RT_RANK_CONSTRAINT, value, canon, name,
                     "check constraint on %s (%s)", t,
                     strncmp(canon, "check ", 6) == 0 ? canon + 6 : canon);
        free(canon);
        return;
    case RETORT_FACT_INDEX:
        snprintf(value, sizeof value, "%s%s%s", a, b[0] ? " WHERE " : "", b);
        if (!(canon = rt_check_canon(value)))
            break;
        rt_check_add(out, t, RT_RANK_INDEX, value, canon, NULL, "index %s on %s", name, t);
        free(canon);
        return;
    }
    out->oom = 1;
}

void rt_check_keep_objects(const retort_history *h, rt_facts *live)
{
    static const char *const kinds[] = {"extension ", "schema ", "sequence "};
    size_t kept = 0;
    for (size_t i = 0; i < live->n; i++) {
        rt_fact *x = &live->v[i];
        int object = 0, named = 0;
        for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
            object |= strncmp(x->key, kinds[k], strlen(kinds[k])) == 0;
        for (unsigned f = 0; object && !named && f < h->fact_count; f++)
            named = h->facts[f].kind == RETORT_FACT_OBJECT &&
                    strcmp(rt_str(h, h->facts[f].table), x->key) == 0;
        if (object && !named) {
            free(x->table);
            free(x->key);
            free(x->value);
            free(x->cmp);
            free(x->name);
            continue;
        }
        live->v[kept++] = *x;
    }
    live->n = kept;
}

/* Does a fact of this kind start what stands under one name (a table and
 * its facts, or a lone view, enum, object or drop)? */
static int heads_slot(unsigned kind)
{
    return kind == RETORT_FACT_TABLE || kind == RETORT_FACT_DROP ||
           kind == RETORT_FACT_VIEW || kind == RETORT_FACT_ENUM ||
           kind == RETORT_FACT_OBJECT;
}

int rt_check_expected(const retort_history *h, const unsigned char *applied,
                      const char *current, rt_facts *out, char ***schemas,
                      size_t *nschemas, long *unknown)
{
    slot *slots = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    *unknown = -1;
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *r = &h->revisions[i];
        unsigned end = r->pg_facts_first + r->pg_facts_count;
        if (!applied[i])
            continue;
        if (!r->schema_known && *unknown < 0)
            *unknown = (long)i;
        if (end > h->fact_count)
            continue;
        for (unsigned k = r->pg_facts_first; k < end; k++) {
            const retort_fact *f = &h->facts[k];
            const char *name = rt_str(h, f->table);
            unsigned e = k + 1;
            size_t s;
            if (!heads_slot(f->kind))
                continue;
            while (e < end && !heads_slot(h->facts[e].kind))
                e++;
            for (s = 0; s < n && strcmp(slots[s].name, name) != 0; s++)
                ;
            if (s == n) {
                if (n == cap) {
                    slot *g = realloc(slots, (cap = cap * 2 + 16) * sizeof *g);
                    if (!g) {
                        rc = RETORT_ENOMEM;
                        goto cleanup;
                    }
                    slots = g;
                }
                slots[n++].name = name;
            }
            slots[s].first = k;
            slots[s].end = e;
            slots[s].dropped = f->kind == RETORT_FACT_DROP;
        }
    }
    for (size_t s = 0; s < n; s++) {
        char buf[300];
        const char *t;
        if (slots[s].dropped)
            continue;
        t = local(slots[s].name, current, buf, sizeof buf);
        if (h->facts[slots[s].first].kind != RETORT_FACT_OBJECT &&
            add_schema(t, schemas, nschemas) < 0) {
            rc = RETORT_ENOMEM;
            goto cleanup;
        }
        for (unsigned k = slots[s].first; k < slots[s].end; k++) {
            expect_fact(h, &h->facts[k], t, current, out);
        }
    }
    if (out->oom)
        rc = RETORT_ENOMEM;
    else
        rt_check_sort(out);
cleanup:
    free(slots);
    return rc;
}
