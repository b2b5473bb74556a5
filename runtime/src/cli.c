/* cli.c: the migrator's command line (SPEC section 6). */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct cli {
    const char *prog;
    const char *url;
    const char *version_table;
    int verbosity;
    const char *command;
    const char *arg;          /* the one positional argument */
    const char *range;        /* history -r */
    const char *dialect;      /* --dialect */
    const char *lock_timeout; /* --lock-timeout SECONDS, as typed */
    int verbose, sql, purge, help, force, json;
} cli;

static void usage(FILE *out, const char *prog)
{
    fprintf(out,
        "usage: %s [--url URL] [--version-table NAME] [-q|-v] COMMAND [ARGS]\n"
        "  upgrade   [TARGET]        default head\n"
        "  downgrade TARGET          -1, -N, base, or a revision\n"
        "  current   [--verbose] [--json]\n"
        "  status    [--json]        the current revisions, and those upgrade would\n"
        "                            apply, in order\n"
        "  history   [-r A:B] [--verbose] [--json]\n"
        "  heads     [--verbose] [--json]\n"
        "  branches  [--verbose]\n"
        "  show      REV\n"
        "  stamp     TARGET [--purge]\n"
        "  check                     exit 0 if the database is at head and its\n"
        "                            schema matches the history; else what differs\n"
        "  verify    [--force]       on a scratch database: each revision up, down and\n"
        "                            up again, the schema compared after every step\n"
        "  upgrade|downgrade --sql [--dialect sqlite|postgresql] [A:]B\n"
        "  --lock-timeout SECONDS    give up (exit 1) when another migrator holds\n"
        "                            the migration lock that long; 0: do not wait\n"
        "URL: --url, else $DATABASE_URL, else the default compiled in.\n",
        prog);
}

/* "-1", "-12": a relative target, not an option. */
static int is_number_arg(const char *a)
{
    if (a[0] != '-' || a[1] < '0' || a[1] > '9')
        return 0;
    for (const char *p = a + 1; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

/* Takes the value of an option, as `--opt VALUE` or `--opt=VALUE`. */
static int option_value(int argc, char **argv, int *i, const char *name,
                        const char **out)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *out = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        *out = NULL;
        return -1;
    }
    *out = argv[++*i];
    return 1;
}

static int parse(cli *c, int argc, char **argv)
{
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got;
        if (!only_args && a[0] == '-' && a[1] && !is_number_arg(a)) {
            if (strcmp(a, "--") == 0) {
                only_args = 1;
                continue;
            }
            if ((got = option_value(argc, argv, &i, "--url", &c->url)) ||
                (got = option_value(argc, argv, &i, "--version-table", &c->version_table)) ||
                (got = option_value(argc, argv, &i, "--dialect", &c->dialect)) ||
                (got = option_value(argc, argv, &i, "--lock-timeout", &c->lock_timeout)) ||
                (got = option_value(argc, argv, &i, "--rev-range", &c->range)) ||
                (got = option_value(argc, argv, &i, "-r", &c->range))) {
                if (got < 0) {
                    fprintf(stderr, "error: %s needs a value\n", a);
                    return -1;
                }
                continue;
            }
            if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
                c->verbosity = -1;
            else if (strcmp(a, "-v") == 0 && !c->command)
                c->verbosity = 1;
            else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
                /* After an information command -v means --verbose, as in
                 * Alembic; after upgrade and friends it prints statements. */
                c->verbose = 1;
                if (strcmp(a, "-v") == 0)
                    c->verbosity = 1;
            } else if (strcmp(a, "--sql") == 0)
                c->sql = 1;
            else if (strcmp(a, "--purge") == 0)
                c->purge = 1;
            else if (strcmp(a, "--force") == 0)
                c->force = 1;
            else if (strcmp(a, "--json") == 0)
                c->json = 1;
            else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
                c->help = 1;
            else {
                fprintf(stderr, "error: unknown option '%s'\n", a);
                return -1;
            }
            continue;
        }
        if (!c->command)
            c->command = a;
        else if (!c->arg)
            c->arg = a;
        else {
            fprintf(stderr, "error: unexpected argument '%s'\n", a);
            return -1;
        }
    }
    return 0;
}

/* Exit status 2 is for a command line of the wrong shape (usage_error);
 * everything the library refuses, a bad target or URL included, is bad
 * input and exits 1 with its one-line reason. */
static int status_of(int rc)
{
    return rc == 0 ? 0 : 1;
}

static int is_command(const char *cmd)
{
    static const char *const names[] = {
        "upgrade", "downgrade", "current", "history", "heads",
        "branches", "show", "stamp", "check", "verify", "status"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(cmd, names[i]))
            return 1;
    return 0;
}

/* --lock-timeout SECONDS as retort_options.lock_timeout_ms: a decimal
 * number of seconds from 0 (do not wait: -1) to a week; -2 when it is
 * not one. */
static long lock_timeout_ms(const char *text)
{
    char *end;
    double s;
    if (!text || !*text || *text == '-' || *text == '+')
        return -2;
    s = strtod(text, &end);
    if (*end || !(s >= 0 && s <= 7 * 24 * 3600.0))
        return -2;
    if (s == 0)
        return -1;
    return s * 1000 < 1 ? 1 : (long)(s * 1000 + 0.5);
}

/* The command line's shape, checked before anything runs: NULL when it
 * is fine, else the reason. */
static const char *usage_error(const cli *c)
{
    const char *cmd = c->command;
    if (!is_command(cmd))
        return "unknown command";
    if (!strcmp(cmd, "show") && !c->arg)
        return "show needs a revision";
    if ((!strcmp(cmd, "downgrade") || !strcmp(cmd, "stamp")) && !c->arg)
        return "downgrade and stamp need a target";
    if (c->sql && strcmp(cmd, "upgrade") && strcmp(cmd, "downgrade"))
        return "--sql goes with upgrade or downgrade";
    if (c->force && strcmp(cmd, "verify"))
        return "--force goes with verify";
    if (c->json && strcmp(cmd, "current") && strcmp(cmd, "heads") &&
        strcmp(cmd, "history") && strcmp(cmd, "status"))
        return "--json goes with current, heads, history or status";
    if (c->sql && !strcmp(cmd, "downgrade") && !strchr(c->arg, ':'))
        return "downgrade --sql needs FROM:TO";
    if (c->dialect && retort_dialect_parse(c->dialect) < 0)
        return "unknown --dialect (sqlite or postgresql)";
    if (c->lock_timeout && lock_timeout_ms(c->lock_timeout) == -2)
        return "--lock-timeout needs a number of seconds (0 to 604800)";
    return NULL;
}

/* The URL by precedence: --url, $DATABASE_URL, the compiled-in default. */
static const char *pick_url(const cli *c, const retort_history *h)
{
    const char *env;
    if (c->url)
        return c->url;
    env = getenv("DATABASE_URL");
    if (env && *env)
        return env;
    return h->default_url;
}

/* The --version-table name against the database the command will use
 * (the --sql dialect or the URL's): NULL when it can hold it, else the
 * reason, a usage error checked before anything connects. */
static const char *version_table_error(const cli *c, const retort_history *h)
{
    const char *url = pick_url(c, h);
    int d;
    if (!c->version_table || !strcmp(c->command, "heads") ||
        !strcmp(c->command, "branches") || !strcmp(c->command, "history") ||
        !strcmp(c->command, "show"))
        return NULL;
    if (c->sql && c->dialect)
        d = retort_dialect_parse(c->dialect);
    else
        d = url ? rt_url_dialect(url) : -1;
    return rt_vt_name_error(c->version_table, d);
}

static int offline(retort *r, const cli *c, const retort_history *h)
{
    const char *url = pick_url(c, h);
    int d = -1;
    if (c->dialect) {
        d = retort_dialect_parse(c->dialect);   /* checked by usage_error */
    } else if (url) {
        d = rt_url_dialect(url);
        if (d < 0)
            return rt_fail(r, RETORT_EUSAGE,
                           "cannot tell the dialect from the URL; pass --dialect");
    } else {
        return rt_fail(r, RETORT_EUSAGE, "--sql needs --dialect or a database URL");
    }
    return retort_offline_script(r, stdout, (enum retort_dialect)d,
                                 strcmp(c->command, "downgrade") == 0,
                                 c->arg ? c->arg : "head");
}

static int connect_url(retort *r, const cli *c, const retort_history *h)
{
    const char *url = pick_url(c, h);
    if (!url)
        return rt_fail(r, RETORT_EUSAGE,
                       "no database URL: pass --url or set DATABASE_URL");
    return retort_connect(r, url);
}

static int run(retort *r, const cli *c, const retort_history *h)
{
    const char *cmd = c->command;
    int rc;
    int flags = (c->verbose ? RETORT_VERBOSE : 0) | (c->json ? RETORT_JSON : 0);
    if (!strcmp(cmd, "heads"))
        return retort_heads(r, stdout, flags);
    if (!strcmp(cmd, "branches"))
        return retort_branches(r, stdout, flags);
    if (!strcmp(cmd, "history")) {
        /* `current` in a range is read from the database. */
        if (c->range && strstr(c->range, "current") &&
            (rc = connect_url(r, c, h)) < 0)
            return rc;
        return retort_print_history(r, stdout, c->range, flags);
    }
    if (!strcmp(cmd, "show"))
        return retort_show(r, stdout, c->arg);
    if (c->sql)
        return offline(r, c, h);
    if ((rc = connect_url(r, c, h)) < 0)
        return rc;
    if (!strcmp(cmd, "upgrade"))
        return retort_upgrade(r, c->arg ? c->arg : "head");
    if (!strcmp(cmd, "downgrade"))
        return retort_downgrade(r, c->arg);
    if (!strcmp(cmd, "stamp"))
        return retort_stamp(r, c->arg, c->purge);
    if (!strcmp(cmd, "current"))
        return retort_current(r, stdout, flags);
    if (!strcmp(cmd, "status"))
        return retort_print_status(r, stdout, flags);
    if (!strcmp(cmd, "verify"))
        return retort_verify(r, stdout, c->force);
    return retort_check(r, stdout);
}

int retort_cli_main(const retort_history *history, int argc, char **argv)
{
    cli c = {0};
    retort *r = NULL;
    retort_options opts = {0};
    int rc, status;
    c.prog = argc > 0 && argv[0] ? argv[0] : (history && history->name ? history->name : "migrate");
    if (parse(&c, argc, argv) < 0) {
        usage(stderr, c.prog);
        return 2;
    }
    if (c.help) {
        usage(stdout, c.prog);
        return 0;
    }
    if (!c.command) {
        usage(stderr, c.prog);
        return 2;
    }
    const char *bad = usage_error(&c);
    if (bad) {
        if (is_command(c.command))
            fprintf(stderr, "error: %s\n", bad);
        else
            fprintf(stderr, "error: unknown command '%s'\n", c.command);
        return 2;
    }
    if ((bad = version_table_error(&c, history)) != NULL) {
        fprintf(stderr, "error: --version-table %s: %s\n", c.version_table, bad);
        return 2;
    }
    opts.version_table = c.version_table;
    opts.verbosity = c.verbosity;
    if (c.lock_timeout)
        opts.lock_timeout_ms = lock_timeout_ms(c.lock_timeout);
    rc = retort_new(&r, history, &opts);
    if (rc < 0) {
        fprintf(stderr, "error: %s\n", r ? retort_errmsg(r) : "out of memory");
        retort_free(r);
        return rc == RETORT_EUSAGE ? 2 : 1;
    }
    rc = run(r, &c, history);
    if (fflush(stdout) != 0 && rc == 0)
        rc = rt_fail(r, RETORT_ERROR, "cannot write to standard output");
    status = status_of(rc);
    if (rc < 0)
        fprintf(stderr, "error: %s\n", retort_errmsg(r));
    retort_free(r);
    return status;
}
