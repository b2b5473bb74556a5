/*
 * lint.h: deploy hazards of a checked history (`retort lint`).
 *
 * sema has already followed the schema through the graph, so each
 * statement knows the table it changes as it stood before it
 * (ast_stmt.before).  lint adds what single-file linters cannot know:
 * whether the table existed before the revision (a table created earlier
 * in the same revision is never flagged), and what the branches joined by
 * a merge both changed.  The rules follow PostgreSQL 11 and later; each
 * finding names the safe form.
 */
#ifndef RETORT_LINT_H
#define RETORT_LINT_H

#include <stdio.h>

#include "revgraph.h"

typedef struct lint_finding {
    const char *rule;         /* "index-not-concurrent", ... */
    src_loc loc;              /* the statement */
    const char *message;
    const char *hint;         /* the safe form */
    src_loc other;            /* merge-conflict: the other branch's
                                 statement; other.file NULL otherwise */
    int silenced;             /* a `retort-lint: ignore RULE` comment */
} lint_finding;

/* Every finding of every rule over the checked graph `g`, in revision
 * order, as lint_finding* in `out`. */
void lint_run(arena *a, const rev_graph *g, ptr_list *out);

/* Only the merge-conflict findings (what `retort check` warns about). */
void lint_merges(arena *a, const rev_graph *g, ptr_list *out);

/* Prints findings as `file:line:col: warning: [RULE] message`, the source
 * line and a caret, then the hint; a silenced one as a note. */
void lint_print_text(FILE *out, const ptr_list *findings);

/* Prints findings as one JSON array (docs/lint.md has the schema). */
void lint_print_json(FILE *out, const ptr_list *findings);

#endif
