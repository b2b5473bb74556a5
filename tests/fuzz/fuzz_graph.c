/*
 * fuzz_graph.c: a libFuzzer target over graph shapes.
 *
 * fuzz_compile.c mutates the text of revision files, which rarely yields a
 * second valid revision, let alone a merge or a depends_on.  Here the input
 * bytes choose a history instead: up to 16 revisions, each a root, a child
 * or a merge of 2-3 earlier revisions, with depends_on (by id or by branch
 * label), branch labels, ids that share prefixes, and statements that touch
 * the tables of the revisions it builds on.  The files are written as
 * text and go through the whole front end; a history that passes the
 * checks then goes through the runtime's graph commands and target
 * selection (history ranges, offline scripts for many target forms).
 * Only crashes, sanitizer reports and leaks count.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <retort/retort.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "revgraph.h"
#include "parse.h"
#include "plan.h"
#include "sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXREV 16

typedef struct reader {
    const uint8_t *p;
    size_t n;
} reader;

static unsigned next(reader *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

/* Ids share prefixes on purpose ("abc0", "abd1", "ab2", ...). */
static void rev_id(char *buf, size_t cap, unsigned i, unsigned style)
{
    static const char *const pre[] = {"abc", "abd", "ab", "c", "abc1"};
    snprintf(buf, cap, "%s%u", pre[style % 5], i);
}

/* The text of revision i of the history the bytes describe. */
static const char *revision_text(arena *a, reader *in, unsigned i,
                                 char ids[][16], int *labelled)
{
    unsigned b0 = next(in), b1 = next(in), b2 = next(in), b3 = next(in);
    char parents[64] = "none", extra[160] = "", body[256];
    unsigned p[3], np = 0;
    rev_id(ids[i], sizeof ids[i], i, b2 >> 4);
    if (i > 0 && (b0 & 3) != 0) {
        p[np++] = b1 % i;
        if ((b0 & 3) == 3 && i > 1) {
            unsigned q = (b1 / 16) % i;
            if (q != p[0])
                p[np++] = q;
            q = b3 % i;
            if ((b3 & 0x80) && q != p[0] && (np < 2 || q != p[1]))
                p[np++] = q;
        }
    }
    if (np == 1)
        snprintf(parents, sizeof parents, "%s", ids[p[0]]);
    else if (np > 1)
        snprintf(parents, sizeof parents, "(%s, %s%s%s)", ids[p[0]], ids[p[1]],
                 np > 2 ? ", " : "", np > 2 ? ids[p[2]] : "");
    if ((b0 & 0x10) && i > 0) {
        unsigned d = (b3 & 0x7f) % i;
        if (labelled[d] && (b0 & 0x80))
            snprintf(extra, sizeof extra, "depends_on lab%u\n", d);
        else
            snprintf(extra, sizeof extra, "depends_on %s\n", ids[d]);
    }
    if (b0 & 0x20) {
        labelled[i] = 1;
        size_t n = strlen(extra);
        snprintf(extra + n, sizeof extra - n, "branch lab%u\n", i);
    }
    /* A statement on an earlier revision's table: fine when that table is
     * in this revision's schema, an error (not a crash) otherwise. */
    if ((b0 & 0x40) && i > 0)
        snprintf(body, sizeof body, "    create_table t%u (id integer);\n"
                 "    %s t%u;\n", i, (b2 & 1) ? "drop_table" : "create_index ix on",
                 (b2 >> 1) % i);
    else
        snprintf(body, sizeof body, "    create_table t%u (id integer);\n", i);
    if ((b0 & 0x40) && i > 0 && !(b2 & 1))
        snprintf(body, sizeof body, "    create_table t%u (id integer);\n"
                 "    add_column t%u c%u integer;\n", i, (b2 >> 1) % i, i);
    return arena_printf(a, "revision %s\nparent %s\n%supgrade {\n%s}\n",
                        ids[i], parents, extra, body);
}

/* Runs the runtime's graph commands and selections over a history that
 * passed the checks; each may fail, none may crash. */
static void exercise_runtime(const retort_history *h, FILE *null, reader *in,
                             char ids[][16], unsigned n)
{
    retort *r = NULL;
    if (retort_new(&r, h, NULL) < 0) {
        retort_free(r);
        return;
    }
    retort_heads(r, null, 0);
    retort_branches(r, null, 0);
    retort_print_history(r, null, NULL, 0);
    static const char *const forms[] = {
        "%s", "%s@head", "%s+1", "%s-1", "lab%u@head", "lab%u@base",
        "lab%u@+1", "lab%u@-1", "lab%u@%s", "heads", "head", "base", "+1",
        "%.2s"};
    for (int k = 0; k < 6; k++) {
        char a[64], b[64], range[140];
        unsigned x = next(in), y = next(in), fa = next(in), fb = next(in);
        unsigned ia = x % n, ib = y % n;
        if (strstr(forms[fa % 14], "lab%u"))
            snprintf(a, sizeof a, forms[fa % 14], ia, ids[ib]);
        else
            snprintf(a, sizeof a, forms[fa % 14], ids[ia]);
        if (strstr(forms[fb % 14], "lab%u"))
            snprintf(b, sizeof b, forms[fb % 14], ib, ids[ia]);
        else
            snprintf(b, sizeof b, forms[fb % 14], ids[ib]);
        snprintf(range, sizeof range, "%s:%s", a, b);
        retort_print_history(r, null, range, k & 1);
        retort_offline_script(r, null, RETORT_SQLITE, 0, range);
        retort_offline_script(r, null, RETORT_POSTGRESQL, 1, range);
        retort_show(r, null, a);
    }
    retort_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return 0;
    reader in = {data, size};
    unsigned n = 1 + next(&in) % MAXREV;
    char ids[MAXREV][16];
    int labelled[MAXREV] = {0};
    arena *a = arena_new();
    diag d;
    diag_init(&d, null);
    ptr_list revisions = {0};
    for (unsigned i = 0; i < n; i++) {
        src_file *f = arena_alloc(a, sizeof *f);
        f->path = f->rel = arena_printf(a, "f%u.rev", i);
        f->text = revision_text(a, &in, i, ids, labelled);
        f->len = strlen(f->text);
        ast_revision *rev = parse_revision(a, &d, f);
        if (rev)
            list_push(a, &revisions, rev);
    }
    rev_graph g;
    if (!diag_error_count(&d) && graph_build(&g, a, &d, &revisions) == 0) {
        for (unsigned i = 0; i < n; i++)
            graph_find(&g, ids[i]);
        if (sema_run(a, &d, &g, -1) && !diag_error_count(&d)) {
            retort_history *h = plan_build(a, &g, "fuzz", NULL);
            if (h) {
                emit_c(null, h);
                exercise_runtime(h, null, &in, ids, n);
            }
        }
    }
    arena_free(a);
    fclose(null);
    return 0;
}
