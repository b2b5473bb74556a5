/*
 * emit.c: migrations.c from a compiled history.
 *
 * The file is plain constant data and a main() (or, for a library, the
 * function PREFIX_history() returning the data), so it must compile quickly
 * and cleanly under -std=c99 -Wall -Wextra -Werror -pedantic whatever the
 * SQL holds, and the data must need no relocation at start-up
 * (retort/history.h: strings are offsets into one pool):
 *
 *   - Every distinct string is stored once, in one contiguous pool: the
 *     two-dimensional array `static const char S[][ROW]`, whose rows lie
 *     end to end, so `(const char *)S + offset` reaches any byte of it.
 *     The steps, revisions and labels hold those offsets: plain integers,
 *     so their arrays go to read-only data with no relocation.
 *   - A row is normally one string literal of at most 4095 characters
 *     after escapes are decoded (the longest literal C99 promises;
 *     -pedantic errors past it), its NUL in the row's last byte or earlier.
 *     Strings that fit in a row (up to STR_MAX bytes) are packed into it,
 *     NUL-separated, never across rows.  A longer string (a big
 *     bulk_insert) starts a new row and runs on across rows; a row whose
 *     last byte is not a NUL is written as a brace list of bytes instead.
 *     No literal fills a row exactly without its NUL: GCC 15 and clang 21
 *     warn about that under -Wextra (-Wunterminated-string-initialization).
 *   - Every byte outside printable ASCII is a three-digit octal escape (an
 *     octal escape stops after three digits, unlike \x), and '?' is
 *     escaped so that no trigraph can form.
 *   - steps, revisions, refs, labels, by_id, heads and facts (ABI 4: the
 *     expected PostgreSQL schema, see retort_fact) are one array each,
 *     so the compiler sees a handful of big initialisers, not thousands of
 *     objects.
 *
 * Strings are placed in one fixed walk of the history, so identical input
 * gives a byte-identical file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "emit.h"

#define ROW 4096              /* bytes per row of S */
#define ROW_TEXT (ROW - 1)    /* longest literal: 4095 */
#define STR_MAX (ROW_TEXT - 1)/* a packed string and its NUL fit a literal */

typedef struct str_ref {
    const char *s;
    size_t len;
    size_t off;               /* offset in the pool */
} str_ref;

typedef struct strtab {
    str_ref *refs;            /* in order of first use */
    size_t count;
    size_t *slots;            /* hash table: index + 1 into refs, 0 empty */
    size_t mask;
    size_t size;              /* bytes of the pool used so far */
    int overflow;             /* an offset would not fit an unsigned */
} strtab;

static size_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;   /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return (size_t)h;
}

/* The string's offset in the pool, placing it on first sight;
 * RETORT_NO_STRING for NULL. */
static unsigned intern(strtab *t, const char *s)
{
    if (!s)
        return RETORT_NO_STRING;
    size_t n = strlen(s), i = hash(s, n) & t->mask;
    for (; t->slots[i]; i = (i + 1) & t->mask) {
        str_ref *r = &t->refs[t->slots[i] - 1];
        if (r->len == n && memcmp(r->s, s, n) == 0)
            return (unsigned)r->off;
    }
    str_ref *r = &t->refs[t->count++];
    t->slots[i] = t->count;
    r->s = s;
    r->len = n;
    size_t at = t->size, col = at % ROW;
    if (col && (n > STR_MAX || col + n + 1 > ROW_TEXT))
        at += ROW - col;      /* a new row */
    r->off = at;
    t->size = at + n + 1;
    if (t->size >= RETORT_NO_STRING)
        t->overflow = 1;
    return (unsigned)r->off;
}

/* The fixed walk that places every string of the history. */
static void intern_all(strtab *t, const retort_history *h)
{
    intern(t, h->name);
    intern(t, h->default_url);
    intern(t, h->version_table);
    for (unsigned i = 0; i < h->revision_count; i++) {
        const retort_revision *r = &h->revisions[i];
        intern(t, retort_str(h, r->id));
        intern(t, retort_str(h, r->message));
        intern(t, retort_str(h, r->created));
        intern(t, retort_str(h, r->file));
        for (int k = 0; k < RETORT_DIALECT_COUNT; k++)
            intern(t, retort_str(h, r->checksum[k]));
        intern(t, retort_str(h, r->legacy_checksum));
    }
    for (unsigned i = 0; i < h->label_count; i++)
        intern(t, retort_str(h, h->labels[i]));
    for (unsigned i = 0; i < h->step_count; i++) {
        const retort_step *s = &h->steps[i];
        intern(t, retort_str(h, s->sql));
        intern(t, retort_str(h, s->schema));
        intern(t, retort_str(h, s->table));
        intern(t, retort_str(h, s->name));
        intern(t, retort_str(h, s->alias));
    }
    for (unsigned i = 0; i < h->fact_count; i++) {
        const retort_fact *f = &h->facts[i];
        intern(t, retort_str(h, f->table));
        intern(t, retort_str(h, f->name));
        intern(t, retort_str(h, f->a));
        intern(t, retort_str(h, f->b));
        intern(t, retort_str(h, f->c));
    }
}

/* The offset of a string of the history in migrations.c's pool. */
static void put_str(FILE *out, strtab *t, const retort_history *h, unsigned off)
{
    unsigned o = intern(t, retort_str(h, off));
    if (o == RETORT_NO_STRING)
        fputs("NOSTR", out);
    else
        fprintf(out, "%u", o);
}

/* A pointer to a string: `(const char *)S + 120` or `0`. */
static void put_ptr(FILE *out, strtab *t, const char *s)
{
    unsigned o = intern(t, s);
    if (o == RETORT_NO_STRING)
        fputs("0", out);
    else
        fprintf(out, "(const char *)S + %u", o);
}

/* One row as a literal: bytes [0, n), line breaks after every NUL (the
 * end of a string) and newline.  Not when that would make exactly two
 * literals: clang's -Wstring-concatenation (in -Wextra) takes a row of two
 * concatenated literals among single ones for a missing comma. */
static void put_literal(FILE *out, const unsigned char *b, size_t n)
{
    size_t breaks = 0;
    for (size_t i = 0; i + 1 < n; i++)
        breaks += b[i] == '\n' || b[i] == '\0';
    fputs("    \"", out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = b[i];
        switch (c) {
        case '\\': fputs("\\\\", out); break;
        case '"': fputs("\\\"", out); break;
        case '?': fputs("\\?", out); break;
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        default:
            if (c >= 0x20 && c < 0x7f)
                fputc(c, out);
            else
                fprintf(out, "\\%03o", c);
        }
        /* Keep source lines short: continue the literal on a new line
         * (adjacent literals concatenate). */
        if ((c == '\n' || c == '\0') && i + 1 < n && breaks != 1)
            fputs("\"\n    \"", out);
    }
    fputs("\",\n", out);
}

/* One row as a brace list of bytes [0, n). */
static void put_bytes(FILE *out, const unsigned char *b, size_t n)
{
    fputs("    {", out);
    for (size_t k = 0; k < n; k++) {
        if (k % 16 == 0)
            fputs("\n    ", out);
        /* Bytes past 127 as octal character constants: an int above
         * CHAR_MAX would warn where char is signed. */
        if (b[k] < 0x80)
            fprintf(out, " %u,", b[k]);
        else
            fprintf(out, " '\\%03o',", b[k]);
    }
    fputs("\n    },\n", out);
}

static int put_strings(FILE *out, const strtab *t)
{
    if (!t->size)
        return 0;
    size_t rows = (t->size + ROW - 1) / ROW;
    unsigned char *pool = xcalloc(rows, ROW);
    for (size_t i = 0; i < t->count; i++)
        memcpy(pool + t->refs[i].off, t->refs[i].s, t->refs[i].len);
    fprintf(out, "static const char S[][%d] = {\n", ROW);
    for (size_t r = 0; r < rows; r++) {
        const unsigned char *b = pool + r * ROW;
        size_t n = ROW;
        while (n > 0 && b[n - 1] == 0)   /* the rest is zero-filled */
            n--;
        if (b[ROW - 1] == 0)
            put_literal(out, b, n);      /* n <= ROW_TEXT */
        else
            put_bytes(out, b, n);
    }
    fputs("};\n", out);
    free(pool);
    return 0;
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
        put_str(out, t, h, s->sql);
        fputs(", ", out);
        put_str(out, t, h, s->schema);
        fputs(", ", out);
        put_str(out, t, h, s->table);
        fputs(", ", out);
        put_str(out, t, h, s->name);
        fputs(", ", out);
        put_str(out, t, h, s->alias);
        fprintf(out, ", %u, %u, %u, %u, %u},\n", s->then_first, s->then_count,
                s->else_first, s->else_count, s->call);
    }
    fputs("};\n", out);
}

static void put_facts(FILE *out, strtab *t, const retort_history *h)
{
    if (!h->fact_count)
        return;
    fputs("static const retort_fact facts[] = {\n", out);
    for (unsigned i = 0; i < h->fact_count; i++) {
        const retort_fact *f = &h->facts[i];
        fprintf(out, "    {%u, ", f->kind);
        put_str(out, t, h, f->table);
        fputs(", ", out);
        put_str(out, t, h, f->name);
        fputs(", ", out);
        put_str(out, t, h, f->a);
        fputs(", ", out);
        put_str(out, t, h, f->b);
        fputs(", ", out);
        put_str(out, t, h, f->c);
        fputs("},\n", out);
    }
    fputs("};\n", out);
}

/* The application's functions (`call NAME`): a declaration of each, so
 * that one the application does not define is a link error when the
 * migrator is built, and `calls[]`, indexed by retort_step.call.  The
 * names come from the CALL steps; every index below call_count has one. */
static int put_calls(FILE *out, const retort_history *h)
{
    if (!h->call_count)
        return 0;
    const char **names = xcalloc(h->call_count, sizeof *names);
    int rc = 0;
    for (unsigned i = 0; i < h->step_count; i++) {
        const retort_step *s = &h->steps[i];
        if (s->kind == RETORT_STEP_CALL && s->call < h->call_count)
            names[s->call] = retort_str(h, s->name);
    }
    fputs("/* The application's functions that `call` statements name. */\n", out);
    for (unsigned k = 0; k < h->call_count && !rc; k++) {
        if (!names[k])
            rc = -1;
        else
            fprintf(out, "int %s(retort_call *ctx);\n", names[k]);
    }
    if (!rc) {
        fputs("static retort_call_fn *const calls[] = {", out);
        for (unsigned k = 0; k < h->call_count; k++)
            fprintf(out, "%s%s,", k % 4 ? " " : "\n    ", names[k]);
        fputs("\n};\n\n", out);
    }
    free(names);
    return rc;
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
        /* Ids are letters, digits and '_': safe inside a comment. */
        fprintf(out, "    /* %u: %s */\n", i, retort_str(h, r->id));
        fputs("    {", out);
        put_str(out, t, h, r->id);
        fputs(", ", out);
        put_str(out, t, h, r->message);
        fputs(", ", out);
        put_str(out, t, h, r->created);
        fputs(", ", out);
        put_str(out, t, h, r->file);
        fprintf(out, ",\n     %u, %u, %u, %u, %u, %u, %u, ",
                r->parents_first, r->parents_count, r->depends_first,
                r->depends_count, r->labels_first, r->labels_count,
                r->transactional);
        fputs("{", out);
        for (int k = 0; k < RETORT_DIALECT_COUNT; k++) {
            put_str(out, t, h, r->checksum[k]);
            fputs(k + 1 < RETORT_DIALECT_COUNT ? ", " : "}, ", out);
        }
        put_str(out, t, h, r->legacy_checksum);
        fputs(",\n     ", out);
        put_scripts(out, r->upgrade);
        fputs(", ", out);
        put_scripts(out, r->downgrade);
        fprintf(out, ", %u, %u, %u},\n", r->pg_facts_first, r->pg_facts_count,
                r->schema_known);
    }
    fputs("};\n", out);
}

static void put_snapshots(FILE *out, const retort_history *h)
{
    if (!h->snapshot_count)
        return;
    fputs("static const retort_snapshot snapshots[] = {\n", out);
    for (unsigned i = 0; i < h->snapshot_count; i++) {
        const retort_snapshot *s = &h->snapshots[i];
        fprintf(out, "    {%u, %u, ", s->revision, s->count);
        put_scripts(out, s->script);
        fputs("},\n", out);
    }
    fputs("};\n", out);
}

/* The whole file; `prefix` NULL writes the migrator's main(), else the
 * library's PREFIX_history() (declared first, so the file stays clean
 * under -Wmissing-prototypes). */
static int emit_source(FILE *out, const retort_history *h, const char *prefix)
{
    size_t bound = 2 + (5 + RETORT_DIALECT_COUNT) * (size_t)h->revision_count + h->label_count +
                   4 * (size_t)h->step_count + 5 * (size_t)h->fact_count;
    size_t size = 16;
    while (size < 2 * bound)
        size *= 2;
    strtab t = {0};
    t.refs = xcalloc(bound, sizeof *t.refs);
    t.slots = xcalloc(size, sizeof *t.slots);
    t.mask = size - 1;
    if (!t.refs || !t.slots || (intern_all(&t, h), t.overflow)) {
        free(t.refs);
        free(t.slots);
        return -1;
    }

    fputs("/* migrations.c: generated by `retort compile` from the revision files;\n"
          " * do not edit. */\n"
          "#include <retort/retort.h>\n\n", out);
    /* The struct below is laid out for this compiler's ABI; a runtime
     * header of another ABI must stop the build, not misread the data. */
    fprintf(out, "#if RETORT_HISTORY_ABI != %d\n"
                 "#error \"migrations.c was generated for retort history ABI %d: "
                 "regenerate it with the retort of this runtime\"\n#endif\n\n",
            RETORT_HISTORY_ABI, RETORT_HISTORY_ABI);
    fputs("#define NOSTR RETORT_NO_STRING\n\n", out);
    int rc = put_calls(out, h);
    if (put_strings(out, &t) < 0)
        rc = -1;
    put_steps(out, &t, h);
    put_revisions(out, &t, h);
    put_facts(out, &t, h);
    put_snapshots(out, h);
    put_uints(out, "refs", h->refs, h->ref_count);
    if (h->label_count) {
        fputs("static const unsigned labels[] = {\n", out);
        for (unsigned i = 0; i < h->label_count; i++) {
            fputs("    ", out);
            put_str(out, &t, h, h->labels[i]);
            fputs(",\n", out);
        }
        fputs("};\n", out);
    }
    put_uints(out, "by_id", h->by_id, h->revision_count);
    put_uints(out, "heads", h->heads, h->head_count);

    fprintf(out, "\nstatic const retort_history history = {\n    %d, ", RETORT_HISTORY_ABI);
    put_ptr(out, &t, h->name);
    fputs(", ", out);
    put_ptr(out, &t, h->default_url);
    fprintf(out, ",\n    %s,\n    %s, %u,\n    %s, %u,\n    %s, %u,\n    %s, %u,\n"
                 "    %s,\n    %s, %u,\n    %s, %u,\n    %u, ",
            t.size ? "(const char *)S" : "\"\"",
            h->revision_count ? "revisions" : "0", h->revision_count,
            h->step_count ? "steps" : "0", h->step_count,
            h->ref_count ? "refs" : "0", h->ref_count,
            h->label_count ? "labels" : "0", h->label_count,
            h->revision_count ? "by_id" : "0",
            h->head_count ? "heads" : "0", h->head_count,
            h->fact_count ? "facts" : "0", h->fact_count, h->dialects);
    put_ptr(out, &t, h->version_table);
    fprintf(out, ",\n    %s, %u,\n    %s, %u\n};\n\n", h->call_count ? "calls" : "0",
            h->call_count, h->snapshot_count ? "snapshots" : "0", h->snapshot_count);
    if (prefix)
        fprintf(out, "const retort_history *%s_history(void);\n\n"
                     "const retort_history *%s_history(void)\n{\n"
                     "    return &history;\n}\n", prefix, prefix);
    else
        fputs("int main(int argc, char **argv)\n{\n"
              "    return retort_cli_main(&history, argc, argv);\n}\n", out);

    free(t.refs);
    free(t.slots);
    return rc < 0 || ferror(out) ? -1 : 0;
}

int emit_c(FILE *out, const retort_history *h)
{
    return emit_source(out, h, NULL);
}

int emit_c_library(FILE *out, const retort_history *h, const char *prefix)
{
    return emit_source(out, h, prefix);
}

int emit_header(FILE *out, const char *prefix)
{
    fprintf(out, "/* %s_history(): generated by `retort compile --library %s`;\n"
                 " * do not edit.  The compiled migration history, for the runtime's\n"
                 " * retort_new() (<retort/retort.h>). */\n"
                 "#ifndef RETORT_LIBRARY_%s_H\n#define RETORT_LIBRARY_%s_H\n\n"
                 "#include <retort/retort.h>\n\n"
                 "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
                 "const retort_history *%s_history(void);\n\n"
                 "#ifdef __cplusplus\n}\n#endif\n\n#endif\n",
            prefix, prefix, prefix, prefix, prefix);
    return ferror(out) ? -1 : 0;
}
