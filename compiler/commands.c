/*
 * commands.c: the `retort` subcommands.  Each one is the same front of the
 * pipeline (read, parse, order, check) followed by its own last step; the
 * commands that describe the graph hand the compiled plan to the runtime's
 * printers, so `retort heads` and `myapp-migrate heads` cannot disagree.
 */
#include "commands.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <retort/retort.h>

#include "arena.h"
#include "conf.h"
#include "dialect.h"
#include "authoring.h"
#include "diag.h"
#include "diff.h"
#include "emit.h"
#include "revgraph.h"
#include "lint.h"
#include "parse.h"
#include "plan.h"
#include "snapshot.h"
#include "render.h"
#include "schema.h"
#include "sema.h"
#include "source.h"
#include "unparse.h"

typedef struct compilation {
    arena *a;
    diag d;
    ptr_list revisions;       /* ast_revision* */
    rev_graph graph;
    schema *schema;           /* after sema */
} compilation;

/* Reads and parses every revision file of `dir` and builds the graph.
 * Returns 0, or -1 when errors were reported (all of them, across files). */
static int load(compilation *c, const char *dir)
{
    memset(c, 0, sizeof *c);
    c->a = arena_new();
    diag_init(&c->d, stderr);
    ptr_list files = {0};
    if (source_read_dir(c->a, &c->d, dir, &files) < 0)
        return -1;
    for (int i = 0; i < files.count; i++) {
        ast_revision *rev = parse_revision(c->a, &c->d, files.items[i]);
        if (rev)
            list_push(c->a, &c->revisions, rev);
    }
    if (diag_error_count(&c->d))
        return -1;
    if (graph_build(&c->graph, c->a, &c->d, &c->revisions) < 0)
        return -1;
    retort_conf conf;
    if (conf_read(c->a, &c->d, dir, &conf) < 0)
        return -1;
    c->graph.dialects = conf.dialects;
    c->graph.version_table = conf.version_table;
    return 0;
}

/* load() plus the static checks; the schema kept is the one after
 * revision `at` (all heads joined when NULL). */
static int load_checked(compilation *c, const char *dir, const char *at)
{
    if (load(c, dir) < 0)
        return -1;
    int capture = -1;
    if (at) {
        capture = graph_find(&c->graph, at);
        if (capture == -2) {
            diag_error(&c->d, (src_loc){0}, "ambiguous revision '%s'", at);
            return -1;
        }
        if (capture < 0) {
            diag_error(&c->d, (src_loc){0}, "unknown revision '%s'", at);
            return -1;
        }
    }
    c->schema = sema_run(c->a, &c->d, &c->graph, capture);
    if (!c->schema || diag_error_count(&c->d))
        return -1;
    return 0;
}

/* Ends a command: prints the error count and frees the compilation. */
static int finish(compilation *c, int status)
{
    diag_finish(&c->d);
    if (status == 0 && diag_error_count(&c->d))
        status = 1;
    arena_free(c->a);
    return status;
}


/* A runtime request answered from the compiled plan. */
typedef int (*plan_query)(retort *r, const cmd_options *o);

/* Checks DIR, hands the compiled plan to a runtime handle that never
 * connects, and runs `query` on it; returns the exit status. */
static int answer_from_plan(const cmd_options *o, plan_query query)
{
    compilation c;
    retort *r = NULL;
    int status = 1;
    if (load_checked(&c, o->dir, NULL) < 0)
        goto cleanup;
    retort_history *h = plan_build(c.a, &c.graph, "retort", NULL);
    if (!h || retort_new(&r, h, NULL) < 0) {
        fputs("retort: out of memory\n", stderr);
        goto cleanup;
    }
    int rc = query(r, o);
    /* An unknown or ambiguous revision is bad input, not bad usage: 1. */
    status = rc == 0 ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "retort: error: %s\n", retort_errmsg(r));
cleanup:
    retort_free(r);
    return finish(&c, status);
}

static int query_heads(retort *r, const cmd_options *o)
{
    return retort_heads(r, stdout, o->verbose);
}

static int query_history(retort *r, const cmd_options *o)
{
    return retort_print_history(r, stdout, o->range,
                                (o->verbose ? RETORT_VERBOSE : 0) |
                                (o->graph ? RETORT_GRAPH : 0));
}

static int query_branches(retort *r, const cmd_options *o)
{
    return retort_branches(r, stdout, o->verbose);
}

static int query_show(retort *r, const cmd_options *o)
{
    return retort_show(r, stdout, o->rev);
}

/* The dialect was checked by cmd_sql before anything was read. */
static int query_script(retort *r, const cmd_options *o)
{
    enum retort_dialect d = (enum retort_dialect)retort_dialect_parse(o->dialect);
    return retort_offline_script(r, stdout, d, o->downgrade, o->range);
}

/* Writes `path` through a temporary name and a rename, so that an
 * interrupted build never leaves a truncated file that looks up to date.
 * `h` NULL writes the --library header instead of migrations.c. */
static int write_output(compilation *c, const char *path, const retort_history *h,
                        const char *library)
{
    char *tmp = arena_printf(c->a, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "retort: error: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    int failed = !h ? emit_header(f, library) < 0
               : library ? emit_c_library(f, h, library) < 0
               : emit_c(f, h) < 0;
    failed |= fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        fprintf(stderr, "retort: error: cannot write %s: %s\n", path, strerror(errno));
        remove(tmp);
        return -1;
    }
    return 0;
}

int cmd_compile(const cmd_options *o)
{
    compilation c;
    schema *kept = NULL;
    int at;
    /* load_checked(), keeping the schema at the fold point from the one
     * walk of the checks: migrations.c carries it as DDL (snapshot.h). */
    if (load(&c, o->dir) < 0)
        return finish(&c, 1);
    at = snapshot_fold_point(&c.graph);
    c.schema = sema_run_keep(c.a, &c.d, &c.graph, at, &kept);
    if (!c.schema || diag_error_count(&c.d))
        return finish(&c, 1);
    retort_history *h = plan_build_snapshot(c.a, &c.graph, o->name ? o->name : "migrate",
                                            o->default_url, at, kept);
    if (write_output(&c, o->output, h, o->library) < 0 ||
        (o->header && write_output(&c, o->header, NULL, o->library) < 0))
        return finish(&c, 1);
    return finish(&c, 0);
}

int cmd_check(const cmd_options *o)
{
    compilation c;
    if (load_checked(&c, o->dir, NULL) < 0)
        return finish(&c, 1);
    /* Merge hazards are warnings here; `retort lint` has the rest. */
    ptr_list hazards = {0};
    lint_merges(c.a, &c.graph, &hazards);
    lint_print_text(stderr, &hazards);
    if (o->model) {
        /* Every difference on stdout, one a line; the verdict on stderr. */
        schema *model = author_model(c.a, &c.d, o->model, c.graph.dialects);
        if (!model)
            return finish(&c, 1);
        ptr_list diffs = {0};
        diff_describe(c.a, c.schema, model, &diffs);
        for (int i = 0; i < diffs.count; i++)
            printf("model: %s\n", (const char *)diffs.items[i]);
        if (diffs.count) {
            fflush(stdout);
            fprintf(stderr, "retort: error: %s differs from the head schema "
                            "(%d difference%s)\n", o->model, diffs.count,
                    diffs.count == 1 ? "" : "s");
            return finish(&c, 1);
        }
    }
    return finish(&c, 0);
}

int cmd_heads(const cmd_options *o)
{
    return answer_from_plan(o, query_heads);
}

int cmd_history(const cmd_options *o)
{
    return answer_from_plan(o, query_history);
}

int cmd_branches(const cmd_options *o)
{
    return answer_from_plan(o, query_branches);
}

int cmd_show(const cmd_options *o)
{
    return answer_from_plan(o, query_show);
}

int cmd_schema(const cmd_options *o)
{
    int dialect = o->dialect ? retort_dialect_parse(o->dialect) : RETORT_SQLITE;
    if (dialect < 0) {
        fprintf(stderr, "retort: error: unknown dialect '%s' "
                        "(sqlite or postgresql)\n", o->dialect);
        return 2;
    }
    compilation c;
    if (load_checked(&c, o->dir, o->at) < 0)
        return finish(&c, 1);
    /* Without --dialect: the first database the history targets. */
    for (int k = 0; !o->dialect && k < RETORT_DIALECT_COUNT; k++)
        if (c.graph.dialects & dialect_get((enum retort_dialect)k)->mask) {
            dialect = k;
            break;
        }
    if (!(c.graph.dialects & dialect_get((enum retort_dialect)dialect)->mask)) {
        fprintf(stderr, "retort: error: the history targets no %s database "
                        "(retort.conf)\n", dialect_get((enum retort_dialect)dialect)->name);
        return finish(&c, 1);
    }
    if (o->model_output) {
        fputs(unparse_schema(c.a, c.schema), stdout);
        return finish(&c, 0);
    }
    /* The history passed its checks; its schema as this dialect's
     * database gets it follows that dialect's side of `if dialect`. */
    int capture = o->at ? graph_find(&c.graph, o->at) : -1;
    c.schema = sema_run_dialect(c.a, &c.d, &c.graph, capture, dialect);
    if (!c.schema)
        return finish(&c, 1);
    fputs(render_schema(c.a, (enum retort_dialect)dialect, c.schema), stdout);
    return finish(&c, 0);
}

int cmd_sql(const cmd_options *o)
{
    if (retort_dialect_parse(o->dialect) < 0) {
        fprintf(stderr, "retort: error: sql needs --dialect sqlite or "
                        "--dialect postgresql\n");
        return 2;
    }
    return answer_from_plan(o, query_script);
}

/* Where a new revision goes: DIR, or DIR/SUB for --dir SUB (main.c has
 * made sure SUB stays inside DIR), made if missing.  NULL, after saying
 * why, when it cannot be made. */
static const char *target_dir(compilation *c, const cmd_options *o)
{
    const char *sub = o->subdir;
    if (!sub || !*sub)
        return o->dir;
    char *path = arena_printf(c->a, "%s/%s", o->dir, sub);
    /* mkdir -p, one component at a time. */
    for (char *p = path + strlen(o->dir) + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char keep = *p;
        *p = '\0';
        if (mkdir(path, 0777) < 0 && errno != EEXIST) {
            fprintf(stderr, "retort: error: cannot make %s: %s\n", path, strerror(errno));
            return NULL;
        }
        *p = keep;
        if (!keep)
            break;
    }
    return path;
}

/* Writes revision `r` into `dir` and checks the directory again: every
 * file written must pass `retort check`, and one that does not is taken
 * back rather than left to break the next build.  Prints the path;
 * returns the exit status. */
static int write_checked(compilation *c, const cmd_options *o, const author_rev *r,
                         const char *what)
{
    const char *dir = o->dir, *into = target_dir(c, o);
    if (!into)
        return 1;
    const char *path = author_write(c->a, into, r);
    if (!path)
        return 1;
    compilation v;
    int bad = load_checked(&v, dir, NULL) < 0;
    finish(&v, 0);
    if (bad) {
        remove(path);
        fprintf(stderr, "retort: error: %s does not pass the checks; "
                        "%s not written\n", what, path);
        return 1;
    }
    puts(path);
    return 0;
}

/* The new revision's id: --rev-id when given and usable (as Alembic's
 * revision --rev-id), else a fresh random one.  NULL after reporting. */
static const char *new_id(compilation *c, const cmd_options *o)
{
    const char *why;
    if (!o->rev_id)
        return author_new_id(c->a, &c->graph);
    if ((why = author_id_problem(&c->graph, o->rev_id)) != NULL) {
        fprintf(stderr, "retort: error: --rev-id %s: %s\n", o->rev_id, why);
        return NULL;
    }
    return o->rev_id;
}

int cmd_revision(const cmd_options *o)
{
    compilation c;
    if (load(&c, o->dir) < 0)
        return finish(&c, 1);
    author_rev r = {.message = o->message, .now = time(NULL)};
    int at = author_place(c.a, &c.d, &c.graph, o->head, o->branch, &r);
    if (at < -1)
        return finish(&c, 1);
    /* The history must pass its checks before anything goes on top; the
     * schema kept is the one the new revision starts from. */
    c.schema = sema_run(c.a, &c.d, &c.graph, at);
    if (!c.schema || diag_error_count(&c.d))
        return finish(&c, 1);
    if (!(r.id = new_id(&c, o)))
        return finish(&c, 1);
    ptr_list steps = {0};
    if (o->model) {
        schema *model = author_model(c.a, &c.d, o->model, c.graph.dialects);
        if (!model)
            return finish(&c, 1);
        /* Unlike Alembic, which writes an empty revision, no changes
         * means no file: an empty revision only lengthens the history. */
        if (!author_autogenerate(c.a, at >= 0 ? c.schema : schema_new(c.a),
                                 model, &steps)) {
            printf("no changes detected between the head schema and %s; "
                   "no revision written\n", o->model);
            return finish(&c, 0);
        }
        r.steps = &steps;
        r.note = "# generated by retort revision --autogenerate: please review";
    }
    return finish(&c, write_checked(&c, o, &r, "the new revision"));
}

int cmd_merge(const cmd_options *o)
{
    compilation c;
    if (load(&c, o->dir) < 0)
        return finish(&c, 1);
    author_rev r = {.message = o->message, .now = time(NULL)};
    if (author_merge_parents(c.a, &c.d, &c.graph, o->revs, o->rev_count,
                             &r) < 0)
        return finish(&c, 1);
    c.schema = sema_run(c.a, &c.d, &c.graph, -1);
    if (!c.schema || diag_error_count(&c.d))
        return finish(&c, 1);
    if (!(r.id = new_id(&c, o)))
        return finish(&c, 1);
    /* The merge joins the branches' schemas; if they conflict (both
     * create one table), the checks say so and the file is taken back. */
    return finish(&c, write_checked(&c, o, &r, "the merge"));
}

int cmd_lint(const cmd_options *o)
{
    compilation c;
    ptr_list findings = {0};
    int shown = 0;
    if (load_checked(&c, o->dir, NULL) < 0)
        return finish(&c, 1);
    lint_run(c.a, &c.graph, &findings);
    if (o->json)
        lint_print_json(stdout, &findings);
    else
        lint_print_text(stdout, &findings);
    for (int i = 0; i < findings.count; i++)
        shown += !((const lint_finding *)findings.items[i])->silenced;
    if (!o->json)
        fprintf(stderr, "retort: %d warning%s, %d silenced\n", shown,
                shown == 1 ? "" : "s", findings.count - shown);
    return finish(&c, o->strict && shown ? 1 : 0);
}

/* `retort import`: the importer is a Python program (it runs the user's own
 * Alembic), so this only finds it and execs it with the arguments as given;
 * it reports its own usage and errors.  The interpreter is $RETORT_PYTHON,
 * else python3 on PATH (the project's virtualenv when one is active).  The
 * program is $RETORT_IMPORTER, else the one installed beside this binary
 * (RETORT_IMPORTER_INSTALLED, relative to the binary's folder), else the
 * source tree's (RETORT_IMPORTER_SOURCE: a build tree). */
int cmd_import(int argc, char **argv)
{
    char exe[4096], installed[8192];
    const char *script = getenv("RETORT_IMPORTER");
    if (!script || !*script) {
        script = RETORT_IMPORTER_SOURCE;
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        char *slash = n > 0 ? (exe[n] = 0, strrchr(exe, '/')) : NULL;
        if (slash) {
            *slash = 0;
            snprintf(installed, sizeof installed, "%s/%s", exe,
                     RETORT_IMPORTER_INSTALLED);
            if (access(installed, R_OK) == 0)
                script = installed;
        }
    }
    const char *python = getenv("RETORT_PYTHON");
    if (!python || !*python)
        python = "python3";
    char **args = xcalloc((size_t)argc + 3, sizeof *args);
    args[0] = (char *)python;
    args[1] = (char *)script;
    for (int i = 0; i < argc; i++)
        args[i + 2] = argv[i];
    fflush(NULL);
    execvp(python, args);
    fprintf(stderr, "retort import: cannot run %s: %s (set RETORT_PYTHON to "
            "a Python with Alembic)\n", python, strerror(errno));
    free(args);
    return 1;
}
