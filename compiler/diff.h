/*
 * diff.h: the differences between two schemas, as messages and as
 * statements.
 *
 * `retort check --model` lists the differences between the head schema and
 * a model; `retort revision --autogenerate` turns them into the upgrade and
 * downgrade of a new revision.  Both come from one comparison, so a
 * revision written by autogenerate leaves nothing for check to report.
 *
 * What counts: tables; columns (type with its arguments, nullability,
 * default, autoincrement); indexes (table, elements, unique, where);
 * constraints (primary key, unique, check, foreign key).  Column order and
 * the spelling of raw SQL whitespace do not.  A constraint written on a
 * column (`email text unique`) is the same as a table constraint with the
 * same definition; two constraints match when their names are equal, or
 * when at least one of them has no name and their definitions are equal.
 * A primary key column counts as not null.
 */
#ifndef RETORT_DIFF_H
#define RETORT_DIFF_H

#include "schema.h"

/* Appends one message (char*) per difference to `out`, in a stable order,
 * worded from the point of view of `history` versus `model`, e.g.
 * "column users.email: type varchar(255) in the history, varchar(320) in
 * the model". */
void diff_describe(arena *a, const schema *history, const schema *model,
                   ptr_list *out);

/* diff_describe() with other names for the two sides: "column users.age
 * is in the FROM_NAME but not in the TO_NAME". */
void diff_describe_as(arena *a, const schema *from, const char *from_name,
                      const schema *to, const char *to_name, ptr_list *out);

/* One unit of change: statements that do it and statements that undo it. */
typedef struct diff_step {
    const char *comment;      /* lines to write above `up`, or NULL */
    const char *down_comment; /* lines to write above `down`, or NULL */
    ptr_list up;              /* ast_stmt*, in execution order */
    ptr_list down;            /* ast_stmt*: undoes `up`, in execution order */
} diff_step;

/* Appends to `steps` the diff_step* that turn `from` into `to`, in
 * execution order; the downgrade runs every step's `down` in reverse step
 * order.  Nothing is appended when the schemas are equal.  A difference
 * that no statement can express (an unnamed constraint to drop, a changed
 * autoincrement) becomes a step with a comment and no statements. */
void diff_plan(arena *a, const schema *from, const schema *to,
               ptr_list *steps);

#endif
