/*
 * commands.h: the `retort` subcommands.  Each takes its already-parsed
 * options and returns the process exit status (0 ok, 1 failure, 2 usage).
 */
#ifndef RETORT_COMMANDS_H
#define RETORT_COMMANDS_H

typedef struct cmd_options {
    const char *dir;          /* the migrations directory */
    const char *output;       /* compile: -o */
    const char *name;         /* compile: --name */
    const char *default_url;  /* compile: --default-url */
    const char *library;      /* compile: --library PREFIX (no main()) */
    const char *header;       /* compile: --header FILE (with --library) */
    const char *range;        /* history -r, sql [A:]B */
    const char *at;           /* schema --at */
    const char *dialect;      /* schema, sql */
    const char *rev;          /* show REV */
    const char *model;        /* check --model, revision --autogenerate */
    const char *message;      /* revision, merge: -m */
    const char *head;         /* revision --head */
    const char *branch;       /* revision --branch */
    const char *subdir;       /* revision, merge: --dir */
    const char *rev_id;       /* revision, merge: --rev-id */
    const char *schema_name;  /* inspect: --schema */
    const char *version_table; /* inspect: --version-table */
    int model_output;         /* schema --model */
    int downgrade;            /* sql downgrade */
    int verbose;
    int strict;               /* lint --strict */
    int json;                 /* lint --json */
    int graph;                /* history --graph */
    const char **revs;        /* merge: REV ... */
    int rev_count;
} cmd_options;

int cmd_compile(const cmd_options *o);
int cmd_check(const cmd_options *o);
int cmd_heads(const cmd_options *o);
int cmd_history(const cmd_options *o);
int cmd_branches(const cmd_options *o);
int cmd_show(const cmd_options *o);
int cmd_schema(const cmd_options *o);
int cmd_sql(const cmd_options *o);
int cmd_revision(const cmd_options *o);
int cmd_merge(const cmd_options *o);
int cmd_lint(const cmd_options *o);
/* dir is the URL (inspect.c). */
int cmd_inspect(const cmd_options *o);
/* import takes its arguments raw: the Python importer parses them. */
int cmd_import(int argc, char **argv);

#endif
