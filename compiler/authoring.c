/*
 * authoring.c: new revision files and model files; see authoring.h.
 */
#include "authoring.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "parse.h"
#include "sema.h"
#include "source.h"
#include "unparse.h"

static const src_loc nowhere;

/* ---- where the new revision goes --------------------------------------- */

static int is_head(const rev_graph *g, int node)
{
    for (int i = 0; i < g->head_count; i++)
        if (g->heads[i] == node)
            return 1;
    return 0;
}

static const char *node_id(const rev_graph *g, int node)
{
    return g->nodes[node].rev->id.text;
}

/* "a1, b2, c3": the ids of `nodes`. */
static const char *id_list(arena *a, const rev_graph *g, const int *nodes,
                           int n)
{
    const char *s = "";
    for (int i = 0; i < n; i++)
        s = arena_printf(a, "%s%s%s", s, i ? ", " : "", node_id(g, nodes[i]));
    return s;
}

/* The revision that carries branch label `label`, or -1. */
static int label_owner(const rev_graph *g, const char *label)
{
    for (int i = 0; i < g->count; i++) {
        const ptr_list *b = &g->nodes[i].rev->branches;
        for (int j = 0; j < b->count; j++)
            if (!strcmp(((ast_name *)b->items[j])->text, label))
                return i;
    }
    return -1;
}

/* What a revision id or a label may be: 1 to 32 letters, digits or `_`,
 * not all digits. */
static int valid_name(const char *s)
{
    size_t n = strlen(s);
    int digits = 1;
    if (n < 1 || n > 32)
        return 0;
    for (const char *p = s; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_')
            return 0;
        digits &= isdigit((unsigned char)*p) != 0;
    }
    return !digits;
}

/* A revision named on the command line: an id, a unique prefix, a label,
 * or LABEL@head.  The node, or -1 after reporting. */
static int resolve(arena *a, diag *d, const rev_graph *g, const char *name)
{
    const char *at = strstr(name, "@head");
    if (at && !at[5])
        name = arena_strndup(a, name, (size_t)(at - name));
    int node = graph_find(g, name);
    if (node == -2)
        diag_error(d, nowhere, "ambiguous revision '%s'", name);
    else if (node < 0)
        diag_error(d, nowhere, "unknown revision '%s'", name);
    return node < 0 ? -1 : node;
}

int author_place(arena *a, diag *d, const rev_graph *g, const char *head,
                 const char *branch, author_rev *r)
{
    if (head && !strcmp(head, "head"))
        head = NULL;
    int owner = branch ? label_owner(g, branch) : -1;
    if (branch && !valid_name(branch)) {
        diag_error(d, nowhere, "bad branch label '%s': 1 to 32 letters, "
                               "digits or _, not all digits", branch);
        return -2;
    }
    int at;
    if (owner >= 0) {
        /* An existing label: the revision extends that branch, as
         * `--head LABEL@head` would, and the label stays where it is. */
        if (head) {
            diag_error(d, nowhere, "branch label '%s' is already used by "
                       "revision %s; leave out --head to add a revision to "
                       "that branch", branch, node_id(g, owner));
            return -2;
        }
        if ((at = resolve(a, d, g, branch)) < 0)
            return -2;
        branch = NULL;
    } else if (head && !strcmp(head, "base")) {
        at = -1;
    } else if (head) {
        if ((at = resolve(a, d, g, head)) < 0)
            return -2;
        if (!is_head(g, at) && !branch) {
            diag_error(d, nowhere, "revision %s is not a head: a revision on "
                       "it starts a new branch; say so with --branch LABEL",
                       node_id(g, at));
            return -2;
        }
    } else if (g->head_count == 0) {
        at = -1;
    } else if (g->head_count == 1) {
        at = g->heads[0];
    } else {
        diag_error(d, nowhere, "the history has %d heads (%s); choose one "
                   "with --head REV, or join them first with retort merge",
                   g->head_count, id_list(a, g, g->heads, g->head_count));
        return -2;
    }
    if (at >= 0)
        list_push(a, &r->parents, (void *)node_id(g, at));
    r->branch = branch;
    return at;
}

/* Is `x` an ancestor of `y`?  Parents come before children in the
 * topological order, so the walk never looks past `x`. */
static int is_ancestor(const rev_graph *g, int x, int y, char *seen)
{
    if (y == x)
        return 1;
    if (y < x || seen[y])
        return 0;
    seen[y] = 1;
    for (int i = 0; i < g->nodes[y].parent_count; i++)
        if (is_ancestor(g, x, g->nodes[y].parents[i], seen))
            return 1;
    return 0;
}

int author_merge_parents(arena *a, diag *d, const rev_graph *g,
                         const char *const *revs, int n, author_rev *r)
{
    int *nodes = arena_alloc(a, sizeof(int) * (size_t)(n + g->head_count + 1));
    int count = 0;
    if (n == 0) {
        for (int i = 0; i < g->head_count; i++)
            nodes[count++] = g->heads[i];
        if (count < 2) {
            diag_error(d, nowhere, "nothing to merge: the history has %s",
                       count ? arena_printf(a, "one head (%s)",
                                            node_id(g, nodes[0]))
                             : "no revision");
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        int node = resolve(a, d, g, revs[i]);
        if (node < 0)
            return -1;
        int dup = 0;
        for (int j = 0; j < count; j++)
            dup |= nodes[j] == node;
        if (!dup)
            nodes[count++] = node;
    }
    if (count < 2) {
        diag_error(d, nowhere, "a merge needs two or more different "
                               "revisions");
        return -1;
    }
    char *seen = arena_alloc(a, (size_t)g->count + 1);
    for (int i = 0; i < count; i++)
        for (int j = 0; j < count; j++) {
            if (i == j)
                continue;
            memset(seen, 0, (size_t)g->count + 1);
            if (is_ancestor(g, nodes[i], nodes[j], seen)) {
                diag_error(d, nowhere, "%s is an ancestor of %s: there is "
                           "nothing to merge", node_id(g, nodes[i]),
                           node_id(g, nodes[j]));
                return -1;
            }
        }
    for (int i = 0; i < count; i++)
        list_push(a, &r->parents, (void *)node_id(g, nodes[i]));
    return 0;
}

/* ---- ids, names and text ----------------------------------------------- */

static int id_taken(const rev_graph *g, const char *id)
{
    size_t n = strlen(id);
    for (int i = 0; i < g->count; i++) {
        const char *old = node_id(g, i);
        /* A new id that prefixes an old one would make that prefix
         * ambiguous wherever it is used as a short form. */
        if (old && !strncmp(old, id, n))
            return 1;
    }
    return label_owner(g, id) >= 0;
}

const char *author_id_problem(const rev_graph *g, const char *id)
{
    if (!valid_name(id))
        return "an id is 1 to 32 letters, digits and '_', not digits only";
    if (id_taken(g, id))
        return "it is an id, the prefix of one, or a branch label already";
    return NULL;
}

const char *author_new_id(arena *a, const rev_graph *g)
{
    static unsigned long long fallback = 0x9e3779b97f4a7c15ULL;
    FILE *f = fopen("/dev/urandom", "rb");
    for (;;) {
        unsigned char b[6];
        if (!f || fread(b, 1, sizeof b, f) != sizeof b) {
            /* No /dev/urandom: a clock-seeded xorshift is unique enough
             * for one directory, and collisions are checked below. */
            fallback ^= (unsigned long long)time(NULL) + (unsigned long long)clock();
            for (size_t i = 0; i < sizeof b; i++) {
                fallback ^= fallback << 13;
                fallback ^= fallback >> 7;
                fallback ^= fallback << 17;
                b[i] = (unsigned char)fallback;
            }
        }
        const char *id = arena_printf(a, "%02x%02x%02x%02x%02x%02x", b[0],
                                      b[1], b[2], b[3], b[4], b[5]);
        if (valid_name(id) && !id_taken(g, id)) {
            if (f)
                fclose(f);
            return id;
        }
    }
}

const char *author_slug(arena *a, const char *message)
{
    size_t n = strlen(message), len = 0;
    char *s = arena_alloc(a, n + 1);
    for (const char *p = message; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c) || c == '_')
            s[len++] = (char)tolower(c);
        else if (len && s[len - 1] != '_')
            s[len++] = '_';
    }
    while (len && s[len - 1] == '_')
        len--;
    if (len > 40) {
        /* Cut at the last word boundary, as Alembic does. */
        size_t cut = 40;
        while (cut > 0 && s[cut] != '_')
            cut--;
        len = cut ? cut : 40;
    }
    s[len] = '\0';
    return s;
}

/* Indents every line of `text` by `indent` spaces. */
static void put_lines(FILE *f, const char *text, int indent)
{
    while (*text) {
        const char *eol = strchr(text, '\n');
        size_t n = eol ? (size_t)(eol - text) : strlen(text);
        fprintf(f, "%*s%.*s\n", indent, "", (int)n, text);
        text += n + (eol != NULL);
    }
}

/* One block's statements: the steps in order (up) or reversed (down). */
static void put_block(arena *a, FILE *f, const char *name,
                      const author_rev *r, int down)
{
    fprintf(f, "%s {\n", name);
    /* Alembic users expect an empty downgrade to do nothing, and here it
     * does; say how to get the derived one instead. */
    if (down && !r->steps)
        fputs("    # Empty: downgrading does nothing.  Delete this block and "
              "retort derives\n    # the downgrade from the upgrade.\n", f);
    if (!down && r->note)
        put_lines(f, r->note, 4);
    /* A commented step stands apart, with a blank line on each side. */
    int n = r->steps ? r->steps->count : 0, written = !down && r->note;
    int apart = 0;
    for (int k = 0; k < n; k++) {
        const diff_step *s = r->steps->items[down ? n - 1 - k : k];
        const char *comment = down ? s->down_comment : s->comment;
        const ptr_list *stmts = down ? &s->down : &s->up;
        if (written && (comment || apart) && (comment || stmts->count))
            fputc('\n', f);
        if (comment)
            put_lines(f, comment, 4);
        for (int i = 0; i < stmts->count; i++)
            fputs(unparse_stmt(a, stmts->items[i], 4), f);
        written |= comment || stmts->count;
        apart = comment != NULL;
    }
    fputs("}\n", f);
}

const char *author_text(arena *a, const author_rev *r)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (!f)
        oom();
    /* The message is one line: line breaks and other controls become
     * spaces. */
    char *msg = arena_strdup(a, r->message ? r->message : "");
    for (char *p = msg; *p; p++)
        if (iscntrl((unsigned char)*p))
            *p = ' ';
    char created[32];
    strftime(created, sizeof created, "%Y-%m-%d %H:%M:%S", localtime(&r->now));

    fprintf(f, "revision %s\n", r->id);
    if (r->parents.count == 0)
        fputs("parent   none\n", f);
    else if (r->parents.count == 1)
        fprintf(f, "parent   %s\n", (const char *)r->parents.items[0]);
    else {
        fputs("parent   (", f);
        for (int i = 0; i < r->parents.count; i++)
            fprintf(f, "%s%s", i ? ", " : "", (const char *)r->parents.items[i]);
        fputs(")\n", f);
    }
    if (r->branch)
        fprintf(f, "branch   %s\n", r->branch);
    fprintf(f, "message  %s\n", unparse_string(a, msg));
    fprintf(f, "created  '%s'\n\n", created);
    put_block(a, f, "upgrade", r, 0);
    fputc('\n', f);
    put_block(a, f, "downgrade", r, 1);
    fclose(f);
    const char *s = arena_strndup(a, text, size);
    free(text);
    return s;
}

const char *author_write(arena *a, const char *dir, const author_rev *r)
{
    const char *text = author_text(a, r);
    if (!text)
        return NULL;
    char stamp[16];
    strftime(stamp, sizeof stamp, "%Y%m%d_%H%M", localtime(&r->now));
    const char *slug = author_slug(a, r->message ? r->message : "");
    size_t dl = strlen(dir);
    const char *path = arena_printf(a, "%s%s%s-%s%s%s.rev", dir,
                                    dl && dir[dl - 1] == '/' ? "" : "/", stamp,
                                    r->id, *slug ? "_" : "", slug);
    /* "x": never over a file that is already there. */
    FILE *f = fopen(path, "wx");
    if (!f) {
        fprintf(stderr, "retort: error: cannot write %s: %s\n", path,
                strerror(errno));
        return NULL;
    }
    int failed = fputs(text, f) == EOF;
    failed |= fclose(f) != 0;
    if (failed) {
        fprintf(stderr, "retort: error: cannot write %s: %s\n", path,
                strerror(errno));
        remove(path);
        return NULL;
    }
    return path;
}

/* ---- models ------------------------------------------------------------ */

static int same_table(const ast_qname *x, const ast_qname *y)
{
    return !strcmp(x->name.text, y->name.text) &&
           (x->schema.text && y->schema.text
                ? !strcmp(x->schema.text, y->schema.text)
                : x->schema.text == y->schema.text);
}

/* Does create_table `st` reference table `q`? */
static int references_table(const ast_stmt *st, const ast_qname *q)
{
    for (int i = 0; i < st->columns.count; i++) {
        const ast_coldef *c = st->columns.items[i];
        if (c->references && same_table(&c->references->table, q))
            return 1;
    }
    for (int i = 0; i < st->constraints.count; i++) {
        const ast_constraint *k = st->constraints.items[i];
        if (k->references && same_table(&k->references->table, q))
            return 1;
    }
    return 0;
}

/* Depth-first over the model's tables: those a table references first.
 * A cycle is left to the checks, which then report the unknown table. */
static void visit_model(arena *a, const ptr_list *tables, int i, char *state,
                        ptr_list *out)
{
    if (state[i])
        return;
    state[i] = 1;
    const ast_stmt *st = tables->items[i];
    for (int j = 0; j < tables->count; j++)
        if (j != i &&
            references_table(st, &((ast_stmt *)tables->items[j])->table))
            visit_model(a, tables, j, state, out);
    list_push(a, out, (void *)st);
}

schema *author_model(arena *a, diag *d, const char *path, int dialects)
{
    src_file *f = source_read_file(a, d, path, path);
    return f ? author_model_source(a, d, f, dialects) : NULL;
}

schema *author_model_source(arena *a, diag *d, const src_file *f, int dialects)
{
    int errors = diag_error_count(d);
    ast_model *m = parse_model(a, d, f);
    if (!m || diag_error_count(d) > errors)
        return NULL;
    /* A model describes a state, not steps: its tables may come in any
     * order, so they are created in an order that has every referenced
     * table first, and the indexes after all of them. */
    ptr_list tables = {0}, order = {0};
    /* Enums first: the tables' columns use them. */
    for (int i = 0; i < m->stmts.count; i++) {
        ast_stmt *st = m->stmts.items[i];
        if (st->kind == ST_CREATE_ENUM)
            list_push(a, &order, st);
    }
    for (int i = 0; i < m->stmts.count; i++) {
        ast_stmt *st = m->stmts.items[i];
        if (st->kind == ST_CREATE_TABLE)
            list_push(a, &tables, st);
    }
    char *state = arena_alloc(a, (size_t)tables.count + 1);
    for (int i = 0; i < tables.count; i++)
        visit_model(a, &tables, i, state, &order);
    for (int i = 0; i < m->stmts.count; i++) {
        ast_stmt *st = m->stmts.items[i];
        if (st->kind != ST_CREATE_TABLE && st->kind != ST_CREATE_ENUM)
            list_push(a, &order, st);
    }
    schema *s = schema_new(a);
    for (int i = 0; i < order.count; i++) {
        ast_stmt *st = order.items[i];
        if (st->kind == ST_CREATE_TABLE || st->kind == ST_CREATE_INDEX ||
            st->kind == ST_CREATE_VIEW || st->kind == ST_CREATE_TRIGGER ||
            st->kind == ST_TABLE_COMMENT || st->kind == ST_COLUMN_COMMENT ||
            st->kind == ST_CREATE_ENUM)
            sema_apply_for(a, d, s, st, "model", dialects);
        else
            diag_error(d, st->loc, "a model file holds create_table, "
                                   "create_index, create_view, create_trigger, "
                                   "create_enum and comment statements only");
    }
    return diag_error_count(d) > errors ? NULL : s;
}

int author_autogenerate(arena *a, const schema *head, const schema *model,
                        ptr_list *steps)
{
    diff_plan(a, head, model, steps);
    if (!steps->count)
        return 0;
    /* Replaying the upgrade on a copy of the head is cheap and tells the
     * user now, rather than at `check --model`, what still differs.  Its
     * own errors would only repeat what the final check reports. */
    FILE *devnull = fopen("/dev/null", "w");
    if (!devnull)
        return steps->count;
    diag quiet;
    diag_init(&quiet, devnull);
    schema *s = schema_clone(a, head);
    for (int i = 0; i < steps->count; i++) {
        const diff_step *step = steps->items[i];
        for (int j = 0; j < step->up.count; j++)
            sema_apply(a, &quiet, s, step->up.items[j], "autogenerate");
    }
    fclose(devnull);
    ptr_list left = {0};
    diff_describe(a, s, model, &left);
    for (int i = 0; i < left.count; i++)
        fprintf(stderr, "retort: warning: not expressed by the new revision: "
                        "%s\n", (const char *)left.items[i]);
    return steps->count;
}
