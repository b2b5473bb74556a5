/*
 * authoring.h: writing new revision files (`retort revision`, `retort
 * merge`, `retort revision --autogenerate`) and reading model files.
 *
 * Alembic's workflow from the files alone: the new revision goes on the
 * single head (or the one named), gets a fresh random id, and is named
 * YYYYMMDD_HHMM-<id>_<slug>.rev.
 */
#ifndef RETORT_AUTHORING_H
#define RETORT_AUTHORING_H

#include <time.h>

#include "revgraph.h"
#include "schema.h"

typedef struct author_rev {
    const char *id;
    ptr_list parents;         /* const char* revision ids; empty: a root */
    const char *branch;       /* a branch label to write, or NULL */
    const char *message;
    time_t now;               /* `created` and the file name */
    const char *note;         /* comment lines opening the upgrade, or NULL */
    const ptr_list *steps;    /* diff_step*, or NULL for empty blocks */
} author_rev;

/* Where a new revision goes, from --head and --branch (either may be
 * NULL): fills r->parents and r->branch.  Returns the parent's node, -1
 * for a new root, or -2 after reporting to `d` why there is no answer
 * (several heads and no --head, an unknown revision, ...). */
int author_place(arena *a, diag *d, const rev_graph *g, const char *head,
                 const char *branch, author_rev *r);

/* The parents of a merge: `revs` (n of them), or every head when n is 0.
 * Fills r->parents.  Returns 0, or -1 after reporting to `d`. */
int author_merge_parents(arena *a, diag *d, const rev_graph *g,
                         const char *const *revs, int n, author_rev *r);

/* A fresh id: 12 hex digits from /dev/urandom that are no existing id,
 * prefix of one, or branch label, and are not all digits (a word of
 * digits is read as a number). */
const char *author_new_id(arena *a, const rev_graph *g);

/* Why `id`, chosen by the user (--rev-id), cannot name a new revision
 * (the rules author_new_id keeps), or NULL when it can. */
const char *author_id_problem(const rev_graph *g, const char *id);

/* The message lower-cased, each run of characters other than letters,
 * digits and `_` made one `_`, cut to about 40 characters at a `_`. */
const char *author_slug(arena *a, const char *message);

/* The whole text of the revision file. */
const char *author_text(arena *a, const author_rev *r);

/* Writes the revision into `dir` under its canonical name, never over an
 * existing file.  Returns the path, or NULL after printing why. */
const char *author_write(arena *a, const char *dir, const author_rev *r);

/* Reads a model file and builds its schema, checked for the databases in
 * `dialects` (DIALECT_* bits: the history's retort.conf).  NULL after
 * reporting errors to `d`. */
schema *author_model(arena *a, diag *d, const char *path, int dialects);
/* The same for model text already in memory (retort inspect's). */
schema *author_model_source(arena *a, diag *d, const src_file *f, int dialects);

/* The steps (diff_step*) that turn `head` into `model`; returns how many.
 * Replays them on a copy of `head` and warns on stderr about whatever
 * they could not express. */
int author_autogenerate(arena *a, const schema *head, const schema *model,
                        ptr_list *steps);

#endif
