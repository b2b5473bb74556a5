/*
 * fuzz_compile.c: a libFuzzer target over the compiler's whole front end.
 *
 * The input is one or more revision files separated by a line "%%%", so
 * the fuzzer reaches the graph (duplicates, cycles, merges) as well as the
 * lexer, parser, schema checks, downgrade derivation, rendering and C
 * emission.  Diagnostics go to /dev/null: only crashes, sanitizer reports
 * and leaks count.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "emit.h"
#include "revgraph.h"
#include "parse.h"
#include "plan.h"
#include "sema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits `text` at "\n%%%\n" into src_files named f0.rev, f1.rev, ... */
static void split_files(arena *a, const char *text, size_t len,
                        ptr_list *out)
{
    static const char sep[] = "\n%%%\n";
    size_t start = 0;
    for (int n = 0; start <= len && n < 64; n++) {
        const char *hit = NULL;
        for (size_t i = start; i + sizeof sep - 1 <= len; i++)
            if (!memcmp(text + i, sep, sizeof sep - 1)) {
                hit = text + i;
                break;
            }
        size_t end = hit ? (size_t)(hit - text) : len;
        src_file *f = arena_alloc(a, sizeof *f);
        f->path = f->rel = arena_printf(a, "f%d.rev", n);
        f->text = arena_strndup(a, text + start, end - start);
        f->len = strlen(f->text);   /* a NUL byte ends the file early */
        list_push(a, out, f);
        if (!hit)
            break;
        start = end + sizeof sep - 1;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *null = fopen("/dev/null", "w");
    if (!null)
        return 0;
    arena *a = arena_new();
    diag d;
    diag_init(&d, null);
    ptr_list files = {0}, revisions = {0};
    split_files(a, (const char *)data, size, &files);
    for (int i = 0; i < files.count; i++) {
        ast_revision *rev = parse_revision(a, &d, files.items[i]);
        if (rev)
            list_push(a, &revisions, rev);
    }
    rev_graph g;
    if (!diag_error_count(&d) && graph_build(&g, a, &d, &revisions) == 0 &&
        sema_run(a, &d, &g, -1) && !diag_error_count(&d)) {
        retort_history *h = plan_build(a, &g, "fuzz", NULL);
        if (h)
            emit_c(null, h);
    }
    arena_free(a);
    fclose(null);
    return 0;
}
