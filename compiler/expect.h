/*
 * expect.h: the PostgreSQL schema each revision leaves, as the facts that
 * `check` compares the live database with (retort/history.h, ABI 4).
 *
 * plan.c calls expect_revision() for every revision in revisions[] order,
 * after sema, with a sink that puts strings in its pool and facts in its
 * facts[] array.
 */
#ifndef RETORT_EXPECT_H
#define RETORT_EXPECT_H

#include "retort/history.h"
#include "schema.h"

typedef struct expect_sink {
    void *ctx;
    unsigned (*str)(void *ctx, const char *s);   /* NULL: RETORT_NO_STRING */
    void (*fact)(void *ctx, const retort_fact *f);
} expect_sink;

typedef struct expect expect;

expect *expect_new(arena *a);

/* Writes, through `out`, the facts of every table that the upgrade of
 * `rev` touches, as the table stands after the revision. */
void expect_revision(expect *e, const ast_revision *rev, const expect_sink *out);

#endif
