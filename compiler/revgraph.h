/*
 * revgraph.h: the revision graph.  Resolves parents, depends_on and branch
 * labels, rejects duplicates, unknown references and cycles, and orders
 * the revisions topologically (parents first; ties broken by id so that
 * the order is deterministic).
 */
#ifndef RETORT_GRAPH_H
#define RETORT_GRAPH_H

#include "ast.h"

typedef struct rev_node {
    ast_revision *rev;
    int *parents;             /* node indices */
    int parent_count;
    int *depends;             /* node indices */
    int depends_count;
    int *children;            /* node indices */
    int child_count;
} rev_node;

typedef struct rev_graph {
    rev_node *nodes;          /* topological order */
    int count;
    int *heads;               /* node indices, ascending */
    int head_count;
    struct graph_index *index;/* graph_find's lookup tables (revgraph.c) */
    /* retort.conf (conf.h), which the commands set after graph_build: the
     * databases the history targets (DIALECT_* bits; graph_build sets
     * both) and the migrator's default version table (NULL: its own). */
    int dialects;
    const char *version_table;
} rev_graph;

/* `revisions` holds ast_revision*.  Returns 0, or -1 when errors were
 * reported to `d` (then `g` must not be used). */
int graph_build(rev_graph *g, arena *a, diag *d, const ptr_list *revisions);

/* A node by full id, unique id prefix or branch label (LABEL resolves to
 * the head of that branch).  -1 when unknown; -2 when the prefix is
 * ambiguous. */
int graph_find(const rev_graph *g, const char *name);

#endif
