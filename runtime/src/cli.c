/* cli.c: the migrator's command line (SPEC section 6). */
#include <errno.h>
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
    const char *extra;        /* a second positional argument (an error) */
    const char *range;        /* history -r */
    const char *dialect;      /* --dialect */
    const char *lock_timeout; /* --lock-timeout SECONDS, as typed */
    const char *bad_option;   /* the first unknown option */
    const char *needs_value;  /* an option given without its value */
    const char **urls;        /* every --url, in order (room for argc) */
    size_t nurls;
    const char *urls_from;    /* --urls-from FILE|- */
    const char *jobs;         /* --jobs N, as typed */
    int fail_fast;
    int verbose, sql, purge, help, force, json, version, indicate, graph;
    unsigned used;            /* OPT_* of the command options given */
} cli;

/* The options that belong to some commands only. */
enum {
    OPT_SQL = 1, OPT_DIALECT = 2, OPT_PURGE = 4, OPT_FORCE = 8,
    OPT_JSON = 16, OPT_RANGE = 32, OPT_INDICATE = 64, OPT_GRAPH = 128
};

/* A command: its arguments' shape, the options it takes and its help. */
typedef struct command {
    const char *name;
    enum { ARG_NONE, ARG_OPTIONAL, ARG_REQUIRED } arg;
    unsigned options;
    const char *synopsis;     /* after the name */
    const char *help;         /* what it does, for COMMAND --help */
} command;

static const command commands[] = {
    {"upgrade", ARG_OPTIONAL, OPT_SQL | OPT_DIALECT, "[TARGET]",
     "Applies the revisions up to TARGET (default head), each in its own\n"
     "transaction with its version-table row.  TARGET: head, heads, a\n"
     "revision id or unique prefix, a branch label, +N, REV+N, LABEL@head,\n"
     "LABEL@+N, LABEL@REV, REV@head.  With --sql [--dialect D] [A:]B prints\n"
     "the script instead and connects to nothing."},
    {"downgrade", ARG_REQUIRED, OPT_SQL | OPT_DIALECT, "TARGET",
     "Unapplies revisions down to TARGET: -1, -N, base, a revision, REV-N,\n"
     "LABEL@-N, LABEL@base.  With --sql [--dialect D] FROM:TO prints the\n"
     "script instead."},
    {"current", ARG_NONE, OPT_JSON, "[--verbose] [--json]",
     "Prints the database's revisions (its version rows)."},
    {"status", ARG_NONE, OPT_JSON, "[--json]",
     "Prints the database's revisions and the revisions upgrade would\n"
     "apply to reach the heads, in the order it would apply them."},
    {"history", ARG_NONE, OPT_RANGE | OPT_JSON | OPT_INDICATE | OPT_GRAPH,
     "[-r A:B] [--verbose] [-i] [--graph] [--json]",
     "Lists the revisions, newest first; -r A:B only those from A to B\n"
     "(either end may be empty, base, heads or current).  -i\n"
     "(--indicate-current) marks the database's revisions (current).\n"
     "--graph draws branches and merges beside the list, as git log\n"
     "--graph does."},
    {"heads", ARG_NONE, OPT_JSON, "[--verbose] [--json]",
     "Lists the heads of the history."},
    {"branches", ARG_NONE, 0, "[--verbose]",
     "Lists the branch points and the revisions they branch into."},
    {"show", ARG_REQUIRED, 0, "REV",
     "Prints one revision in full."},
    {"stamp", ARG_REQUIRED, OPT_PURGE | OPT_SQL | OPT_DIALECT, "TARGET [--purge]",
     "Sets the version table to TARGET without running any migration.\n"
     "--purge empties the table first (to repair one that contradicts\n"
     "itself).  With --sql [--dialect D] [FROM:]TARGET prints the\n"
     "version-table statements instead and connects to nothing."},
    {"check", ARG_NONE, OPT_JSON, "[--json]",
     "Exit 0 if the database is at head and its schema matches what the\n"
     "history implies; else exit 1 and what differs."},
    {"verify", ARG_NONE, OPT_FORCE, "[--force]",
     "On a scratch database: each revision up, down and up again, the\n"
     "schema compared with the history's after every step.  --force starts\n"
     "from a database that is not empty."},
};
#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

/* The options and what they are called, for messages and suggestions. */
static const char *const option_names[] = {
    "--url", "--version-table", "--lock-timeout", "--quiet", "--verbose",
    "--help", "--version", "--sql", "--dialect", "--purge", "--force",
    "--json", "--rev-range", "--indicate-current", "--graph", "--urls-from",
    "--jobs", "--fail-fast"};

static const struct { unsigned opt; const char *name; } option_of[] = {
    {OPT_SQL, "--sql"}, {OPT_DIALECT, "--dialect"}, {OPT_PURGE, "--purge"},
    {OPT_FORCE, "--force"}, {OPT_JSON, "--json"}, {OPT_RANGE, "-r"},
    {OPT_INDICATE, "-i"}, {OPT_GRAPH, "--graph"}};

static const command *command_find(const char *name)
{
    for (size_t i = 0; name && i < COMMAND_COUNT; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

static void usage(FILE *out, const char *prog)
{
    fprintf(out, "usage: %s [--url URL] [--version-table NAME] [--lock-timeout SECONDS]\n"
            "       [-q|-v] COMMAND [ARGS]\n", prog);
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].synopsis);
    fputs("  upgrade|downgrade --sql [--dialect sqlite|postgresql] [A:]B\n"
          "URL: --url, else $DATABASE_URL, else the default compiled in.\n"
          "Many databases: --url repeated or --urls-from FILE|- (one URL a line),\n"
          "[--jobs N] [--fail-fast] [--json]: upgrade, downgrade, current, status,\n"
          "check, stamp or verify on each, N at a time; one line each, a summary,\n"
          "exit 1 if any failed.\n"
          "--lock-timeout SECONDS: give up (exit 1) when another migrator holds\n"
          "the migration lock that long; 0: do not wait.\n", out);
    fprintf(out, "'%s COMMAND --help' says more; '%s --version'\n", prog, prog);
}

static void command_help(FILE *out, const char *prog, const command *c)
{
    fprintf(out, "usage: %s [--url URL] [--version-table NAME] [--lock-timeout SECONDS]\n"
            "       [-q|-v] %s %s\n\n%s\n", prog, c->name, c->synopsis, c->help);
}

/* The edit distance of a and b (words under 64 bytes; others are far). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* Of names[0..n), the one close enough to `word` to be a typo of it
 * (1 edit for short words, 2 for longer ones), or NULL. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best_d <= (strlen(word) > 4 ? 2u : 1u) ? best : NULL;
}

/* "error: unknown WHAT 'word'" with "; did you mean 'x'?" when one of
 * names is close. */
static void unknown(const char *what, const char *word, const char *const *names,
                    size_t n)
{
    char head[64];
    const char *near;
    size_t k = strcspn(word, "=");
    snprintf(head, sizeof head, "%.*s", (int)(k < 63 ? k : 63), word);
    near = closest(head, names, n);
    fprintf(stderr, "error: unknown %s '%s'", what, word);
    if (near)
        fprintf(stderr, "; did you mean '%s'?", near);
    fputc('\n', stderr);
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

/* Reads argv into c.  Never fails: what is wrong (an unknown option, a
 * missing value, an extra argument) is kept for usage_error(), so that
 * `COMMAND --help` works whatever else the line holds. */
static void parse(cli *c, int argc, char **argv)
{
    int only_args = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int got;
        unsigned opt = 0;
        if (!only_args && a[0] == '-' && a[1] && !is_number_arg(a)) {
            if (strcmp(a, "--") == 0) {
                only_args = 1;
                continue;
            }
            if ((got = option_value(argc, argv, &i, "--url", &c->url)) > 0 && c->urls)
                c->urls[c->nurls++] = c->url;
            if (got ||
                (got = option_value(argc, argv, &i, "--urls-from", &c->urls_from)) ||
                (got = option_value(argc, argv, &i, "--jobs", &c->jobs)) ||
                (got = option_value(argc, argv, &i, "--version-table", &c->version_table)) ||
                (got = option_value(argc, argv, &i, "--lock-timeout", &c->lock_timeout)) ||
                (opt = OPT_DIALECT,
                 got = option_value(argc, argv, &i, "--dialect", &c->dialect)) ||
                (opt = OPT_RANGE,
                 got = option_value(argc, argv, &i, "--rev-range", &c->range)) ||
                (got = option_value(argc, argv, &i, "-r", &c->range))) {
                if (got < 0 && !c->needs_value)
                    c->needs_value = a;
                c->used |= opt;
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
                c->sql = 1, c->used |= OPT_SQL;
            else if (strcmp(a, "--purge") == 0)
                c->purge = 1, c->used |= OPT_PURGE;
            else if (strcmp(a, "--force") == 0)
                c->force = 1, c->used |= OPT_FORCE;
            else if (strcmp(a, "--fail-fast") == 0)
                c->fail_fast = 1;
            else if (strcmp(a, "--json") == 0)
                c->json = 1, c->used |= OPT_JSON;
            else if (strcmp(a, "-i") == 0 || strcmp(a, "--indicate-current") == 0)
                c->indicate = 1, c->used |= OPT_INDICATE;
            else if (strcmp(a, "--graph") == 0)
                c->graph = 1, c->used |= OPT_GRAPH;
            else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
                c->help = 1;
            else if (strcmp(a, "--version") == 0)
                c->version = 1;
            else if (!c->bad_option)
                c->bad_option = a;
            continue;
        }
        if (!c->command)
            c->command = a;
        else if (!c->arg)
            c->arg = a;
        else if (!c->extra)
            c->extra = a;
    }
}

/* Exit status 2 is for a command line of the wrong shape (usage_error);
 * everything the library refuses, a bad target or URL included, is bad
 * input and exits 1 with its one-line reason. */
static int status_of(int rc)
{
    return rc == 0 ? 0 : 1;
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

/* Fan-out: the same command on many databases (fanout.c), asked for by
 * --urls-from, a repeated --url, --jobs or --fail-fast. */
static int fanning(const cli *c)
{
    return c->urls_from || c->nurls > 1 || c->jobs || c->fail_fast;
}

/* The commands that run on each database of a fan-out: those that work
 * on one database and need nothing else. */
static int fans_out(const command *cmd)
{
    static const char *const names[] = {"upgrade", "downgrade", "current", "status",
                                        "check", "stamp", "verify"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(cmd->name, names[i]))
            return 1;
    return 0;
}

/* --jobs N: 1 to RT_FANOUT_MAX_JOBS, else 0. */
static unsigned jobs_of(const char *text)
{
    char *end;
    long n;
    if (!text || *text < '0' || *text > '9')
        return 0;
    n = strtol(text, &end, 10);
    return *end || n < 1 || n > RT_FANOUT_MAX_JOBS ? 0 : (unsigned)n;
}

/* The fan-out's own usage errors into buf; NULL when there is none. */
static const char *fan_usage_error(const cli *c, const command *cmd, char *buf,
                                   size_t cap)
{
    if (!fanning(c))
        return NULL;
    if (!fans_out(cmd))
        snprintf(buf, cap, "%s does not fan out over several databases (upgrade, "
                 "downgrade, current, status, check, stamp and verify do)", cmd->name);
    else if (c->sql)
        snprintf(buf, cap, "--sql connects to no database: it does not go with "
                 "several --url, --urls-from, --jobs or --fail-fast");
    else if (c->jobs && !jobs_of(c->jobs))
        snprintf(buf, cap, "--jobs needs a number of databases at once, 1 to %d",
                 RT_FANOUT_MAX_JOBS);
    else
        return NULL;
    return buf;
}

/* The command line's shape, checked before anything runs: prints the
 * one-line reason and returns 1 when it is wrong, else 0. */
static int usage_error(const cli *c, const command *cmd)
{
    const char *msg = NULL;
    char buf[256];
    unsigned allowed;
    if (c->bad_option) {
        unknown("option", c->bad_option, option_names,
                sizeof option_names / sizeof option_names[0]);
        return 1;
    }
    if (c->needs_value) {
        fprintf(stderr, "error: %s needs a value\n", c->needs_value);
        return 1;
    }
    if (!cmd) {
        const char *names[COMMAND_COUNT];
        for (size_t i = 0; i < COMMAND_COUNT; i++)
            names[i] = commands[i].name;
        unknown("command", c->command, names, COMMAND_COUNT);
        return 1;
    }
    if ((msg = fan_usage_error(c, cmd, buf, sizeof buf)) != NULL) {
        fprintf(stderr, "error: %s\n", msg);
        return 1;
    }
    /* A fan-out's --json is its own: one object per database. */
    allowed = cmd->options | (fanning(c) ? OPT_JSON : 0);
    for (size_t i = 0; i < sizeof option_of / sizeof option_of[0]; i++)
        if ((c->used & option_of[i].opt) && !(allowed & option_of[i].opt)) {
            snprintf(buf, sizeof buf, "%s does not go with %s (see '%s %s --help')",
                     option_of[i].name, cmd->name, c->prog, cmd->name);
            msg = buf;
            break;
        }
    if (msg)
        ;
    else if (cmd->arg == ARG_REQUIRED && !c->arg)
        snprintf(buf, sizeof buf, "%s needs %s", cmd->name,
                 strcmp(cmd->name, "show") ? "a target" : "a revision"), msg = buf;
    else if ((cmd->arg == ARG_NONE && c->arg) || c->extra)
        snprintf(buf, sizeof buf, "unexpected argument '%s' (%s %s)",
                 c->extra ? c->extra : c->arg, cmd->name, cmd->synopsis), msg = buf;
    else if (c->graph && (c->json || c->verbose))
        msg = "--graph draws the one-line list: not with --json or --verbose";
    else if (c->dialect && !c->sql)
        msg = "--dialect goes with --sql";
    else if (c->range && !strchr(c->range, ':'))
        snprintf(buf, sizeof buf, "-r '%.60s': a range is A:B (either end may be empty)",
                 c->range), msg = buf;
    else if (c->sql && !strcmp(cmd->name, "downgrade") && !strchr(c->arg, ':'))
        msg = "downgrade --sql needs FROM:TO";
    else if (c->sql && c->purge)
        msg = "--purge does not go with --sql (a script starts from FROM, not "
              "from a table to repair)";
    else if (c->dialect && retort_dialect_parse(c->dialect) < 0)
        msg = "unknown --dialect (sqlite or postgresql)";
    else if (c->lock_timeout && lock_timeout_ms(c->lock_timeout) == -2)
        msg = "--lock-timeout needs a number of seconds (0 to 604800)";
    if (!msg)
        return 0;
    fprintf(stderr, "error: %s\n", msg);
    return 1;
}

/* The URL by precedence: --url, $DATABASE_URL, the compiled-in default;
 * *source (when not NULL) says which gave it, for -v. */
static const char *pick_url_from(const cli *c, const retort_history *h,
                                 const char **source)
{
    const char *env = getenv("DATABASE_URL"), *from;
    const char *url;
    if (c->url) {
        url = c->url;
        from = "--url";
    } else if (env && *env) {
        url = env;
        from = "$DATABASE_URL";
    } else {
        url = h->default_url;
        from = env ? "the default compiled in ($DATABASE_URL is set but empty)"
                   : "the default compiled in (no --url, $DATABASE_URL unset)";
    }
    if (source)
        *source = from;
    return url;
}

static const char *pick_url(const cli *c, const retort_history *h)
{
    return pick_url_from(c, h, NULL);
}

/* With -v, one line on stderr: which source gave the URL, and the URL
 * with its password redacted. */
static void say_url_source(const cli *c, const retort_history *h)
{
    const char *source, *url = pick_url_from(c, h, &source);
    char *shown;
    if (c->verbosity < 1 || !url)
        return;
    shown = rt_url_redact(url);
    fprintf(stderr, "Database URL from %s: %s\n", source, shown ? shown : "(out of memory)");
    free(shown);
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
        say_url_source(c, h);
        d = rt_url_dialect(url);
        if (d < 0)
            return rt_fail(r, RETORT_EUSAGE,
                           "cannot tell the dialect from the URL; pass --dialect");
    } else {
        return rt_fail(r, RETORT_EUSAGE, "--sql needs --dialect or a database URL");
    }
    if (strcmp(c->command, "stamp") == 0)
        return retort_offline_stamp(r, stdout, (enum retort_dialect)d, c->arg);
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
    say_url_source(c, h);
    return retort_connect(r, url);
}

static int cli_flags(const cli *c)
{
    return (c->verbose ? RETORT_VERBOSE : 0) | (c->json ? RETORT_JSON : 0) |
           (c->indicate ? RETORT_CURRENT : 0) | (c->graph ? RETORT_GRAPH : 0);
}

/* The commands that work on one connected database, output to out. */
static int run_connected(retort *r, const cli *c, FILE *out)
{
    const char *cmd = c->command;
    int flags = cli_flags(c);
    if (!strcmp(cmd, "upgrade"))
        return retort_upgrade(r, c->arg ? c->arg : "head");
    if (!strcmp(cmd, "downgrade"))
        return retort_downgrade(r, c->arg);
    if (!strcmp(cmd, "stamp"))
        return retort_stamp(r, c->arg, c->purge);
    if (!strcmp(cmd, "current"))
        return retort_current(r, out, flags);
    if (!strcmp(cmd, "status"))
        return retort_print_status(r, out, flags);
    if (!strcmp(cmd, "verify"))
        return retort_verify(r, out, c->force);
    return retort_print_check(r, out, flags);
}

static int run(retort *r, const cli *c, const retort_history *h)
{
    const char *cmd = c->command;
    int rc;
    int flags = cli_flags(c);
    if (!strcmp(cmd, "heads"))
        return retort_heads(r, stdout, flags);
    if (!strcmp(cmd, "branches"))
        return retort_branches(r, stdout, flags);
    if (!strcmp(cmd, "history")) {
        /* `current` in a range is read from the database. */
        if (((c->range && strstr(c->range, "current")) || c->indicate) &&
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
    return run_connected(r, c, stdout);
}

/* ---- fan-out -------------------------------------------------------- */

typedef struct url_list {
    char **v;
    size_t n, cap;
} url_list;

static int list_add(url_list *l, const char *s, size_t len)
{
    char *d;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    if (!(d = malloc(len + 1)))
        return -1;
    memcpy(d, s, len);
    d[len] = '\0';
    l->v[l->n++] = d;
    return 0;
}

static void list_free(url_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* The URLs of --urls-from: one a line, blanks around it dropped; a '#' at
 * the start of a line or after a blank starts a comment (a URL holds no
 * blank; a '#' inside one is its own).  Prints the reason and returns -1
 * when the file cannot be read. */
static int read_urls(url_list *l, const char *name)
{
    FILE *f = strcmp(name, "-") ? fopen(name, "r") : stdin;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = 0;
    if (!f) {
        fprintf(stderr, "error: --urls-from %s: %s\n", name, strerror(errno));
        return -1;
    }
    while ((got = getline(&line, &cap, f)) >= 0) {
        char *p = line, *e;
        for (char *h = line; *h; h++)
            if (*h == '#' && (h == line || h[-1] == ' ' || h[-1] == '\t')) {
                *h = '\0';
                break;
            }
        while (*p == ' ' || *p == '\t')
            p++;
        e = p + strlen(p);
        while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (e > p && list_add(l, p, (size_t)(e - p)) < 0) {
            fputs("error: out of memory\n", stderr);
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "error: --urls-from %s: %s\n", name, strerror(errno));
        rc = -1;
    }
    free(line);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* The fan-out's URLs (every --url, then --urls-from's), each checked
 * before any database is touched: a list that names nothing, a URL of
 * no database the migrator knows, a URL listed twice or a version table
 * one of the databases cannot hold is a usage error.  0, or prints the
 * reason and returns -1. */
static int fan_urls(url_list *l, const cli *c)
{
    const char *bad;
    for (size_t i = 0; i < c->nurls; i++)
        if (list_add(l, c->urls[i], strlen(c->urls[i])) < 0) {
            fputs("error: out of memory\n", stderr);
            return -1;
        }
    if (c->urls_from && read_urls(l, c->urls_from) < 0)
        return -1;
    if (l->n == 0) {
        fprintf(stderr, "error: no database URL in --urls-from %s\n", c->urls_from);
        return -1;
    }
    for (size_t i = 0; i < l->n; i++) {
        char *shown = rt_url_redact(l->v[i]);
        const char *s = shown ? shown : "(out of memory)";
        int d = rt_url_dialect(l->v[i]);
        int dup = 0;
        for (size_t k = 0; k < i && !dup; k++)
            dup = !strcmp(l->v[k], l->v[i]);
        bad = d < 0 ? "is not a database URL (sqlite:///path.db or postgresql://...)"
            : dup ? "is listed twice"
            : NULL;
        if (bad)
            fprintf(stderr, "error: %s %s\n", s, bad);
        else if (c->version_table && (bad = rt_vt_name_error(c->version_table, d)))
            fprintf(stderr, "error: --version-table %s: %s (%s)\n", c->version_table,
                    bad, s);
        free(shown);
        if (bad)
            return -1;
    }
    return 0;
}

static int fan_run(retort *r, FILE *out, void *ctx)
{
    return run_connected(r, ctx, out);
}

/* The command on every database of the fan-out; the exit status. */
static int fan_out(const cli *c, const command *cmd, const retort_history *h)
{
    url_list l = {0};
    rt_fanout f;
    int status;
    if (fan_urls(&l, c) < 0) {
        list_free(&l);
        return 2;
    }
    memset(&f, 0, sizeof f);
    f.history = h;
    f.opts.version_table = c->version_table;
    f.opts.verbosity = c->verbosity;
    if (c->lock_timeout)
        f.opts.lock_timeout_ms = lock_timeout_ms(c->lock_timeout);
    f.urls = (const char *const *)l.v;
    f.count = l.n;
    f.jobs = c->jobs ? jobs_of(c->jobs) : 1;
    f.fail_fast = c->fail_fast;
    f.json = c->json;
    f.details = c->verbosity > 0 || c->verbose;
    f.moves = !strcmp(cmd->name, "upgrade") || !strcmp(cmd->name, "downgrade") ||
              !strcmp(cmd->name, "stamp");
    f.json_result = c->json && (cmd->options & OPT_JSON);
    f.run = fan_run;
    f.ctx = (void *)c;
    status = rt_fanout_main(&f, stdout, stderr);
    if (fflush(stdout) != 0) {
        fputs("error: cannot write to standard output\n", stderr);
        status = 1;
    }
    list_free(&l);
    return status;
}

/* The command line after parse(): what it asks, run; the exit status. */
static int cli_run(cli *cp, const retort_history *history)
{
    cli c = *cp;
    retort *r = NULL;
    retort_options opts = {0};
    const command *cmd;
    const char *bad;
    int rc, status;
    cmd = command_find(c.command);
    if (c.help && (cmd || !c.command)) {
        if (cmd)
            command_help(stdout, c.prog, cmd);
        else
            usage(stdout, c.prog);
        return 0;
    }
    if (c.version && !c.command) {
        printf("%s (retort %s, history ABI %d)\n",
               history && history->name ? history->name : c.prog,
               RETORT_VERSION_STRING, RETORT_HISTORY_ABI);
        return 0;
    }
    if (!c.command && !c.bad_option && !c.needs_value) {
        usage(stderr, c.prog);
        return 2;
    }
    if (c.version && !c.bad_option) {
        fprintf(stderr, "error: --version goes alone ('%s --version')\n", c.prog);
        return 2;
    }
    if (usage_error(&c, cmd))
        return 2;
    if (fanning(&c))
        return fan_out(&c, cmd, history);
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

int retort_cli_main(const retort_history *history, int argc, char **argv)
{
    cli c = {0};
    int status;
    c.prog = argc > 0 && argv[0] ? argv[0] : (history && history->name ? history->name : "migrate");
    if (strrchr(c.prog, '/'))
        c.prog = strrchr(c.prog, '/') + 1;
    /* Room for every --url (at most one per argument). */
    if (!(c.urls = calloc(argc > 0 ? (size_t)argc : 1, sizeof *c.urls))) {
        fputs("error: out of memory\n", stderr);
        return 1;
    }
    parse(&c, argc, argv);
    status = cli_run(&c, history);
    free(c.urls);
    return status;
}
