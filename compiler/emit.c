/*
 * emit.c: migrations.c from a compiled history.
 *
 * The file is plain constant data and a main(), so it must compile quickly
 * and cleanly under -std=c99 -pedantic whatever the SQL holds:
 *
 *   - Every distinct string is stored once.  Strings up to STR_MAX bytes
 *     are packed, NUL-separated, into the rows of one two-dimensional array
 *     `S[][ROW]`, each row a single string literal of at most 4095
 *     characters (the longest literal C99 promises; -pedantic errors past
 *     it), and referred to as `S[row] + offset`.  A longer string (a big
 *     bulk_insert) gets its own array written as a brace list of bytes.
 *   - Every byte outside printable ASCII is a three-digit octal escape (an
 *     octal escape stops after three digits, unlike \x), and '?' is
 *     escaped so that no trigraph can form.
 *   - steps, revisions, refs, labels, by_id and heads are one array each,
 *     so the compiler sees a handful of big initialisers, not thousands of
 *     objects.
 *
 * Strings are numbered in one fixed walk of the history, so identical
 * input gives a byte-identical file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

#define ROW 4096              /* bytes per row of S */
#define ROW_TEXT (ROW - 1)    /* longest literal: 4095 */
#define STR_MAX (ROW_TEXT - 1)/* a packed string and its NUL fit a row */

typedef struct str_ref {
    const char *s;
    size_t len;
    long row;                 /* row of S, or -1 for a long string */
    size_t off;               /* offset in the row, or number of the L array */
} str_ref;

typedef struct strtab {
    str_ref *refs;            /* in order of first use */
    size_t count;
    size_t *slots;            /* hash table: index + 1 into refs, 0 empty */
    size_t mask;
    long row;                 /* current row */
    size_t fill;              /* bytes used in the current row */
    size_t longs;             /* long strings so far */
} strtab;

static size_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)h;
}

/* The string's entry, interned on first sight.  NULL stays NULL. */
static const str_ref *intern(strtab *t, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s), i = hash(s, n) & t->mask;
    for (; t->slots[i]; i = (i + 1) & t->mask) {
        str_ref *r = &t->refs[t->slots[i] - 1];
        if (r->len == n && memcmp(r->s, s, n) == 0)
            return r;
    }
    str_ref *r = &t->refs[t->count++];
    t->slots[i] = t->count;
    r->s = s;
    r->len = n;
    if (n > STR_MAX) {
        r->row = -1;
        r->off = t->longs++;
    } else {
        if (t->row < 0 || t->fill + n + 1 > ROW_TEXT) {
            t->row++;
            t->fill = 0;
        }
        r->row = t->row;
        r->off = t->fill;
        t->fill += n + 1;
    }
    return r;
}

/* The fixed walk that numbers every string of the history. */
static void intern_all(strtab *t, const retort_history *h)
{
    intern(t, h->name);
    intern(t, h->default_url);
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *r = &h->revisions[i];
        intern(t, r->id);
        intern(t, r->message);
        intern(t, r->created);
        intern(t, r->file);
        intern(t, r->checksum);
    }
    for (unsigned i = 0; i < h->label_count; i++)
        intern(t, h->labels[i]);
    for (unsigned i = 0; i < h->step_count; i++) {
        const retort_step *s = &h->steps[i];
        intern(t, s->sql);
        intern(t, s->schema);
        intern(t, s->table);
        intern(t, s->name);
    }
}

/* A C expression for the string: `S[3] + 120`, `L0` or `0`. */
static void put_ref(FILE *out, strtab *t, const char *s)
{
    const str_ref *r = intern(t, s);
    if (!r)
        fputs("0", out);
    else if (r->row < 0)
        fprintf(out, "L%zu", r->off);
    else
        fprintf(out, "S[%ld] + %zu", r->row, r->off);
}

static void put_escaped(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\\': fputs("\\\\", out); break;
        case '"': fputs("\\\"", out); break;
        case '?': fputs("\\?", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n':
            /* Keep source lines short: continue the literal on a new
             * line (adjacent literals concatenate). */
            fputs(i + 1 < n ? "\\n\"\n    \"" : "\\n", out);
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                fputc(c, out);
            else
                fprintf(out, "\\%03o", c);
        }
    }
}

static void put_strings(FILE *out, const strtab *t)
{
    if (t->row >= 0) {
        long row = -1;
        fprintf(out, "static const char S[][%d] = {\n", ROW);
        for (size_t i = 0; i < t->count; i++) {
            const str_ref *r = &t->refs[i];
            if (r->row < 0)
                continue;
            if (r->row != row) {
                fputs(row < 0 ? "    \"" : "\",\n    \"", out);
                row = r->row;
            } else {
                fputs("\"\n    \"", out);
            }
            put_escaped(out, r->s, r->len);
            fputs("\\000", out);
        }
        fputs("\"\n};\n", out);
    }
    for (size_t i = 0; i < t->count; i++) {
        const str_ref *r = &t->refs[i];
        if (r->row >= 0)
            continue;
        fprintf(out, "static const char L%zu[] = {", r->off);
        for (size_t k = 0; k <= r->len; k++) {
            unsigned char c = k < r->len ? (unsigned char)r->s[k] : 0;
            if (k % 16 == 0)
                fputs("\n   ", out);
            /* Bytes past 127 as octal character constants: an int above
             * CHAR_MAX would warn where char is signed. */
            if (c < 0x80)
                fprintf(out, " %u,", c);
            else
                fprintf(out, " '\\%03o',", c);
        }
        fputs("\n};\n", out);
    }
}

static void put_uints(FILE *out, const char *name, const unsigned *v, unsigned n)
{
    if (!n)
        return;
    fprintf(out, "static const unsigned %s[] = {", name);
    for (unsigned i = 0; i < n; i++)
        fprintf(out, "%s%u,", i % 16 ? " " : "\n    ", v[i]);
    fputs("\n};\n", out);
}

static void put_steps(FILE *out, strtab *t, const retort_history *h)
{
    if (!h->step_count)
        return;
    fputs("static const retort_step steps[] = {\n", out);
    for (unsigned i = 0; i < h->step_count; i++) {
        const retort_step *s = &h->steps[i];
        fprintf(out, "    {%u, %u, %u, %u, ", s->kind, s->cond, s->negate, s->offline);
        put_ref(out, t, s->sql);
        fputs(", ", out);
        put_ref(out, t, s->schema);
        fputs(", ", out);
        put_ref(out, t, s->table);
        fputs(", ", out);
        put_ref(out, t, s->name);
        fprintf(out, ", %u, %u, %u, %u},\n", s->then_first, s->then_count,
                s->else_first, s->else_count);
    }
    fputs("};\n", out);
}

static void put_scripts(FILE *out, const retort_script *sc)
{
    fputs("{", out);
    for (int k = 0; k < RETORT_DIALECT_COUNT; k++)
        fprintf(out, "%s{%u, %u}", k ? ", " : "", sc[k].first, sc[k].count);
    fputs("}", out);
}

static void put_revisions(FILE *out, strtab *t, const retort_history *h)
{
    if (!h->revision_count)
        return;
    fputs("static const retort_revision revisions[] = {\n", out);
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *r = &h->revisions[i];
        fputs("    {", out);
        put_ref(out, t, r->id);
        fputs(", ", out);
        put_ref(out, t, r->message);
        fputs(", ", out);
        put_ref(out, t, r->created);
        fputs(", ", out);
        put_ref(out, t, r->file);
        fprintf(out, ",\n     %u, %u, %u, %u, %u, %u, %u, ",
                r->parents_first, r->parents_count, r->depends_first,
                r->depends_count, r->labels_first, r->labels_count,
                r->transactional);
        put_ref(out, t, r->checksum);
        fputs(",\n     ", out);
        put_scripts(out, r->upgrade);
        fputs(", ", out);
        put_scripts(out, r->downgrade);
        fputs("},\n", out);
    }
    fputs("};\n", out);
}

int emit_c(FILE *out, const retort_history *h)
{
    size_t bound = 2 + 5 * (size_t)h->revision_count + h->label_count +
                   4 * (size_t)h->step_count;
    size_t size = 16;
    while (size < 2 * bound)
        size *= 2;
    strtab t = {0};
    t.refs = calloc(bound, sizeof *t.refs);
    t.slots = calloc(size, sizeof *t.slots);
    t.mask = size - 1;
    t.row = -1;
    if (!t.refs || !t.slots) {
        free(t.refs);
        free(t.slots);
        return -1;
    }
    intern_all(&t, h);

    fputs("/* migrations.c: generated by `retort compile` from the revision files;\n"
          " * do not edit. */\n"
          "#include <retort/retort.h>\n\n", out);
    put_strings(out, &t);
    put_steps(out, &t, h);
    put_revisions(out, &t, h);
    put_uints(out, "refs", h->refs, h->ref_count);
    if (h->label_count) {
        fputs("static const char *const labels[] = {\n", out);
        for (unsigned i = 0; i < h->label_count; i++) {
            fputs("    ", out);
            put_ref(out, &t, h->labels[i]);
            fputs(",\n", out);
        }
        fputs("};\n", out);
    }
    put_uints(out, "by_id", h->by_id, h->revision_count);
    put_uints(out, "heads", h->heads, h->head_count);

    fputs("\nstatic const retort_history history = {\n    RETORT_HISTORY_ABI, ", out);
    put_ref(out, &t, h->name);
    fputs(", ", out);
    put_ref(out, &t, h->default_url);
    fprintf(out, ",\n    %s, %u,\n    %s, %u,\n    %s, %u,\n    %s, %u,\n"
                 "    %s,\n    %s, %u\n};\n\n",
            h->revision_count ? "revisions" : "0", h->revision_count,
            h->step_count ? "steps" : "0", h->step_count,
            h->ref_count ? "refs" : "0", h->ref_count,
            h->label_count ? "labels" : "0", h->label_count,
            h->revision_count ? "by_id" : "0",
            h->head_count ? "heads" : "0", h->head_count);
    fputs("int main(int argc, char **argv)\n{\n"
          "    return retort_cli_main(&history, argc, argv);\n}\n", out);

    free(t.refs);
    free(t.slots);
    return ferror(out) ? -1 : 0;
}
