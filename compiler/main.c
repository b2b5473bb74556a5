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

#include "commands.h"

static const char usage[] =
    "usage: retort COMMAND DIR [OPTIONS]\n"
    "  compile  DIR -o migrations.c [--name NAME] [--default-url URL]\n"
    "  check    DIR [--model MODEL]\n"
    "  heads    DIR [--verbose]\n"
    "  history  DIR [-r A:B] [--verbose]\n"
    "  branches DIR [--verbose]\n"
    "  show     DIR REV\n"
    "  schema   DIR [--at REV] [--dialect sqlite|postgresql] [--model]\n"
    "  sql      DIR --dialect D [upgrade|downgrade] [A:]B\n"
    "  revision DIR -m MESSAGE [--head REV] [--branch LABEL] "
    "[--autogenerate MODEL]\n"
    "  merge    DIR -m MESSAGE [REV ...]\n"
    "  lint     DIR [--strict] [--json]\n";

typedef int (*command_fn)(const cmd_options *);

static const struct command {
    const char *name;
    command_fn run;
} commands[] = {
    {"compile", cmd_compile},   {"check", cmd_check},
    {"heads", cmd_heads},       {"history", cmd_history},
    {"branches", cmd_branches}, {"show", cmd_show},
    {"schema", cmd_schema},     {"sql", cmd_sql},
    {"revision", cmd_revision}, {"merge", cmd_merge},
    {"lint", cmd_lint},
};

static int usage_error(const char *fmt, const char *arg)
{
    fputs("retort: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return 2;
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
        {"-r", offsetof(cmd_options, range)},
        {"--at", offsetof(cmd_options, at)},
        {"--dialect", offsetof(cmd_options, dialect)},
        {"--model", offsetof(cmd_options, model)},
        {"--autogenerate", offsetof(cmd_options, model)},
        {"-m", offsetof(cmd_options, message)},
        {"--head", offsetof(cmd_options, head)},
        {"--branch", offsetof(cmd_options, branch)},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (!strcmp(opt, table[i].flag))
            return (const char **)((char *)o + table[i].offset);
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
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const struct command *cmd = NULL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            cmd = &commands[i];
    if (!cmd)
        return usage_error("unknown command '%s'", argv[1]);

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
        } else if (arg[0] == '-' && arg[1] && !(arg[1] >= '0' && arg[1] <= '9')) {
            return usage_error("unknown option '%s'", arg);
        } else if (!o.dir) {
            o.dir = arg;
        } else if (take_positional(&o, cmd->name, arg) < 0) {
            return usage_error("unexpected argument '%s'", arg);
        }
    }
    if (!o.dir)
        return usage_error("%s needs a migrations directory", cmd->name);
    if (!strcmp(cmd->name, "compile") && !o.output)
        return usage_error("%s needs -o FILE", cmd->name);
    if (!strcmp(cmd->name, "show") && !o.rev)
        return usage_error("%s needs a revision", cmd->name);
    if ((!strcmp(cmd->name, "revision") || !strcmp(cmd->name, "merge")) &&
        !o.message)
        return usage_error("%s needs -m MESSAGE", cmd->name);
    if (!strcmp(cmd->name, "sql") && !o.range)
        return usage_error("%s needs a target ([A:]B)", cmd->name);
    return cmd->run(&o);
}
