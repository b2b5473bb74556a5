/*
 * checksum.h: what a revision means for one dialect, as a SHA-256.
 *
 * The migrator records this checksum for every revision it applies and
 * refuses to go on when an applied revision's checksum has changed.  It is
 * computed from the revision's canonical source for that dialect (its
 * transaction mode and the upgrade statements that run there, unparsed),
 * never from rendered SQL: comments, layout, keyword case, an edit that
 * concerns only the other dialect, and a newer retort that renders the
 * same statements differently all leave it as it is.
 */
#ifndef RETORT_CHECKSUM_H
#define RETORT_CHECKSUM_H

#include <retort/history.h>

#include "ast.h"

/* The checksum of `rev` for dialect `d`: 64 lowercase hex digits and a
 * NUL in `out`.  Temporary text goes into `a`. */
void checksum_revision(arena *a, const ast_revision *rev, enum retort_dialect d,
                       char out[65]);

#endif
