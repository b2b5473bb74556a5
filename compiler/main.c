/*
 * main.c: `retort`, the migration compiler.
 *
 * The pipeline behind every command is the same:
 *     read the .rev files        source_read_dir
 *     parse each one             parse_revision     (re2c + lemon)
 *     order the graph            graph_build
 *     follow the schema          sema_run           (checks, downgrades)
 *     render both dialects       plan_build
 *     write migrations.c         emit_c
 *     (or report deploy hazards) lint_run
 * and each command stops where it has what it needs (commands.c).
 * This file only reads the command line.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <retort/history.h>

#include "commands.h"

typedef int (*command_fn)(const cmd_options *);

/* Every command with its synopsis and what it does: the overview, each
 * `retort COMMAND --help` and the "did you mean" hints all come from
 * here. */
static const struct command {
    const char *name;
    command_fn run;
    const char *synopsis;
    const char *help;
} commands[] = {
    {"compile", cmd_compile,
     "DIR -o migrations.c [--name NAME] [--default-url URL] [--library PREFIX [--header FILE]]",
     "Checks the history in DIR and writes the C source of its migrator.\n"
     "--name names the application in messages; --default-url is the URL\n"
     "the migrator uses when neither --url nor $DATABASE_URL is given.\n"
     "--library writes no main() but `const retort_history *PREFIX_history(void)`\n"
     "for an application that migrates itself; --header FILE declares it."},
    {"check", cmd_check, "DIR [--model MODEL]",
     "Runs every static check on DIR; writes nothing.  With --model, also\n"
     "fails when the head schema differs from the MODEL file.  Merge hazards\n"
     "are reported as warnings."},
    {"heads", cmd_heads, "DIR [--verbose]", "Prints the head revisions."},
    {"history", cmd_history, "DIR [-r A:B] [--verbose | --graph]",
     "Prints the revisions, newest first; -r limits them to a range.\n"
     "--graph draws branches and merges beside them, as git log --graph."},
    {"branches", cmd_branches, "DIR [--verbose]",
     "Prints the revisions where the history branches."},
    {"show", cmd_show, "DIR REV", "Prints one revision."},
    {"schema", cmd_schema, "DIR [--at REV] [--dialect sqlite|postgresql] [--model]",
     "Prints the schema after REV (default: all heads) as DDL for a dialect,\n"
     "or as a MODEL file with --model."},
    {"sql", cmd_sql, "DIR --dialect D [upgrade|downgrade] [A:]B",
     "Prints the offline script of an upgrade or downgrade, with no build."},
    {"revision", cmd_revision,
     "DIR -m MESSAGE [--head REV] [--branch LABEL] [--autogenerate MODEL] [--dir SUB]",
     "Writes a new revision file on a head.  --autogenerate fills its\n"
     "upgrade with what turns the head schema into MODEL.  --dir writes it\n"
     "into the subdirectory SUB of DIR (made if missing).  --rev-id ID\n"
     "names it ID instead of a random id, as Alembic's --rev-id does."},
    {"merge", cmd_merge, "DIR -m MESSAGE [REV ...] [--dir SUB] [--rev-id ID]",
     "Writes a merge revision of the given revisions (default: all heads).\n"
     "--rev-id ID names it ID instead of a random id."},
    {"lint", cmd_lint, "DIR [--strict] [--json]",
     "Reports statements that lock or rewrite a PostgreSQL table that\n"
     "existed before their revision, breaking renames and merge hazards.\n"
     "--strict exits 1 when any is reported (docs/lint.md)."},
    {"inspect", cmd_inspect, "URL [--schema S] [--version-table NAME]",
     "Prints a live SQLite or PostgreSQL database as a MODEL file, the form\n"
     "`revision --autogenerate` reads: the baseline of a project that has no\n"
     "root revision (docs/import.md).  --schema reads that PostgreSQL schema\n"
     "(default: the current one).  The version tables (alembic_version and\n"
     "--version-table NAME, each with its _retort table) are left out.  What\n"
     "a model cannot express is printed as a comment line and said on stderr."},
    /* Listed for the overview only: main() hands `import` and all its
     * arguments to cmd_import() before any option parsing. */
    {"import", NULL, "ALEMBIC_DIR -o DIR [--pg-url URL] [--dialect D] [--python-path P]",
     "Writes an Alembic history as .rev files, by running it under the\n"
     "project's Alembic on scratch databases (docs/import.md)."},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

/* Every option, for "did you mean". */
static const char *const options[] = {
    "-o", "--name", "--default-url", "--library", "--header", "-r", "--at", "--dialect",
    "--model", "--autogenerate", "-m", "--head", "--branch", "--dir", "--rev-id", "--verbose",
    "--strict", "--json", "--graph", "--schema", "--version-table", "--help", "--version",
};
#define OPTION_COUNT (sizeof options / sizeof options[0])

static void print_usage(FILE *out)
{
    fputs("usage: retort COMMAND DIR [OPTIONS]\n", out);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].synopsis);
    fputs("'retort COMMAND --help' says more; 'retort --version'\n", out);
}

/* The edit distance of a and b (words under 64 bytes; others are far). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64];
    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* Of the n words at `first`, `stride` bytes apart, the one closest to
 * `word` if it is close enough to be a typo of it, else NULL. */
static const char *closest(const char *word, const char *const *first, size_t n,
                           size_t stride)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const char *c = *(const char *const *)((const char *)first + i * stride);
        size_t d = distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    return best_d <= (strlen(word) > 4 ? 2u : 1u) ? best : NULL;
}

static int usage_error(const char *fmt, const char *arg)
{
    fputs("retort: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    print_usage(stderr);
    return 2;
}

/* An unknown command or option: one line, with the likely intended word. */
static int unknown(const char *what, const char *word, const char *guess)
{
    if (guess)
        fprintf(stderr, "retort: unknown %s '%s'; did you mean '%s'?\n", what, word, guess);
    else
        fprintf(stderr, "retort: unknown %s '%s' ('retort --help' lists them)\n",
                what, word);
    return 2;
}

/* An option that is not one, or not one of this command. */
static int unknown_option(const struct command *cmd, const char *arg)
{
    const char *guess = closest(arg, options, OPTION_COUNT, sizeof options[0]);
    if (guess && !strcmp(guess, arg)) {
        fprintf(stderr, "retort: option '%s' does not go with '%s' ('retort %s --help')\n",
                arg, cmd->name, cmd->name);
        return 2;
    }
    return unknown("option", arg, guess);
}

/* An option that takes a value: returns the slot for it, or NULL. */
static const char **value_slot(cmd_options *o, const char *opt)
{
    static const struct {
        const char *flag;
        size_t offset;
    } table[] = {
        {"-o", offsetof(cmd_options, output)},
        {"--name", offsetof(cmd_options, name)},
        {"--default-url", offsetof(cmd_options, default_url)},
        {"--library", offsetof(cmd_options, library)},
        {"--header", offsetof(cmd_options, header)},
        {"-r", offsetof(cmd_options, range)},
        {"--at", offsetof(cmd_options, at)},
        {"--dialect", offsetof(cmd_options, dialect)},
        {"--model", offsetof(cmd_options, model)},
        {"--autogenerate", offsetof(cmd_options, model)},
        {"-m", offsetof(cmd_options, message)},
        {"--head", offsetof(cmd_options, head)},
        {"--branch", offsetof(cmd_options, branch)},
        {"--dir", offsetof(cmd_options, subdir)},
        {"--rev-id", offsetof(cmd_options, rev_id)},
        {"--schema", offsetof(cmd_options, schema_name)},
        {"--version-table", offsetof(cmd_options, version_table)},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(opt, table[i].flag))
            return (const char **)((char *)o + table[i].offset);
    return NULL;
}

/* compile --library PREFIX: the prefix of a C function that the
 * application declares (PREFIX_history), so a C identifier, and none of
 * the runtime's names (retort_history is its type).  Returns the reason
 * it is refused, or NULL. */
static const char *library_prefix_error(const char *p)
{
    if (!*p || (*p >= '0' && *p <= '9'))
        return "--library '%s' is not a C identifier (letters, digits and '_', "
               "not starting with a digit)";
    for (const char *c = p; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
              (*c >= '0' && *c <= '9') || *c == '_'))
            return "--library '%s' is not a C identifier (letters, digits and '_', "
                   "not starting with a digit)";
    if (!strcmp(p, "retort") || !strncmp(p, "retort_", 7) || !strncmp(p, "rt_", 3))
        return "--library '%s': the prefix must not be retort or start with "
               "retort_ or rt_ (the runtime's names)";
    return NULL;
}

/* Positionals after DIR, which mean something different per command. */
static int take_positional(cmd_options *o, const char *cmd, const char *arg)
{
    if (!strcmp(cmd, "show") && !o->rev) {
        o->rev = arg;
    } else if (!strcmp(cmd, "sql") && !o->range &&
               (!strcmp(arg, "upgrade") || !strcmp(arg, "downgrade"))) {
        o->downgrade = !strcmp(arg, "downgrade");
    } else if (!strcmp(cmd, "sql") && !o->range) {
        o->range = arg;
    } else if (!strcmp(cmd, "merge")) {
        o->revs[o->rev_count++] = arg;
    } else {
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "import"))
        return cmd_import(argc - 2, argv + 2);
    if (!strcmp(argv[1], "--version")) {
        printf("retort %s (history ABI %d)\n", RETORT_VERSION_STRING, RETORT_HISTORY_ABI);
        return 0;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return unknown("command", argv[1],
                       closest(argv[1], &commands[0].name, COMMAND_COUNT, sizeof commands[0]));
    for (int i = 2; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: retort %s %s\n\n%s\n", cmd->name, cmd->synopsis, cmd->help);
            return 0;
        }

    cmd_options o = {0};
    const char *revs[argc > 0 ? argc : 1];
    o.revs = revs;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = value_slot(&o, arg);
        if (slot && !(!strcmp(arg, "--model") && !strcmp(cmd->name, "schema"))) {
            if (i + 1 >= argc)
                return usage_error("%s needs a value", arg);
            *slot = argv[++i];
        } else if (!strcmp(arg, "--model")) {
            o.model_output = 1;
        } else if (!strcmp(arg, "--verbose") || !strcmp(arg, "-v")) {
            o.verbose = 1;
        } else if (!strcmp(arg, "--strict") && !strcmp(cmd->name, "lint")) {
            o.strict = 1;
        } else if (!strcmp(arg, "--json") && !strcmp(cmd->name, "lint")) {
            o.json = 1;
        } else if (!strcmp(arg, "--graph") && !strcmp(cmd->name, "history")) {
            o.graph = 1;
        } else if (arg[0] == '-' && arg[1] && !(arg[1] >= '0' && arg[1] <= '9')) {
            return unknown_option(cmd, arg);
        } else if (!o.dir) {
            o.dir = arg;
        } else if (take_positional(&o, cmd->name, arg) < 0) {
            return usage_error("unexpected argument '%s'", arg);
        }
    }
    if (!o.dir && !strcmp(cmd->name, "inspect"))
        return usage_error("%s needs a database URL", cmd->name);
    if (!o.dir)
        return usage_error("%s needs a migrations directory", cmd->name);
    if ((o.schema_name || o.version_table) && strcmp(cmd->name, "inspect"))
        return usage_error("%s goes with inspect",
                           o.schema_name ? "--schema" : "--version-table");
    if (!strcmp(cmd->name, "compile") && !o.output)
        return usage_error("%s needs -o FILE", cmd->name);
    if ((o.library || o.header) && strcmp(cmd->name, "compile"))
        return usage_error("--library and --header go with compile, not %s", cmd->name);
    if (o.header && !o.library)
        return usage_error("%s: --header needs --library", o.header);
    if (o.library && library_prefix_error(o.library))
        return usage_error(library_prefix_error(o.library), o.library);
    if (!strcmp(cmd->name, "show") && !o.rev)
        return usage_error("%s needs a revision", cmd->name);
    if ((!strcmp(cmd->name, "revision") || !strcmp(cmd->name, "merge")) &&
        !o.message)
        return usage_error("%s needs -m MESSAGE", cmd->name);
    if (o.subdir && (o.subdir[0] == '/' || !strcmp(o.subdir, "..") ||
                     !strncmp(o.subdir, "../", 3) || strstr(o.subdir, "/../") ||
                     (strlen(o.subdir) >= 3 && !strcmp(o.subdir + strlen(o.subdir) - 3, "/.."))))
        return usage_error("--dir %s must name a folder inside the migrations directory",
                           o.subdir);
    if (!strcmp(cmd->name, "sql") && !o.range)
        return usage_error("%s needs a target ([A:]B)", cmd->name);
    if (o.rev_id && strcmp(cmd->name, "revision") && strcmp(cmd->name, "merge"))
        return usage_error("%s goes with revision and merge", "--rev-id");
    if (o.graph && o.verbose)
        return usage_error("%s draws the one-line list: not with --verbose", "--graph");
    return cmd->run(&o);
}
