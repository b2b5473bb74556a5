/*
 * internal.h: the runtime's private declarations, shared by its modules.
 *
 * Module prefixes (all under rt_, since the runtime is a static library
 * linked into the compiler and into applications): rt_ (handle.c), rt_url_
 * (url.c), rt_graph_ (graph.c), rt_lanes_ (graph_draw.c), rt_target_
 * (target.c), rt_call_ (call.c), rt_vt_ (version.c), rt_state_ (state.c),
 * rt_own_ (own.c), rt_lock_ (lock.c), rt_step_ (step.c), rt_migrate_
 * (migrate.c), rt_buf_ (buf.c), rt_fresh_ (fresh.c), rt_pipe_ (pipeline.c),
 * rt_script_ (script.c), rt_check_ (check.c: the drift
 * check), rt_fanout_ (fanout.c), rt_tenant_ (tenant.c), rt_db_ (the two
 * backends; db.h's static inline db_* wrappers have no linkage).
 */
#ifndef RETORT_INTERNAL_H
#define RETORT_INTERNAL_H

#include <stddef.h>

#include "retort/retort.h"
#include "db.h"

#define RT_ERRMAX 1024

struct retort {
    const retort_history *h;   /* NULL when retort_new() refused it */
    char vt[128];              /* version table name, validated */
    char rt[160];              /* retort's own table beside it: vt + "_retort" */
    char vt_sql[300];          /* vt as SQL, quoted where needed (rt_ident) */
    char rt_sql[300];          /* rt as SQL */
    int verbosity;             /* -1 quiet, 0 normal, 1 verbose */
    long lock_timeout_ms;      /* retort_options.lock_timeout_ms */
    FILE *log;
    /* progress.c: [n/N] and times on a terminal (total 0: plain lines). */
    struct {
        unsigned n, total;
        int open;              /* a line waits for its time */
        double start, run_start;
    } progress;
    db *db;                    /* NULL until retort_connect() */
    char *secrets;             /* the URL's passwords, NUL-separated, ending
                                * in "" (rt_url_scrub), or NULL */
    size_t secrets_len;
    char *url_shown;           /* the URL with its password redacted */
    char schema[128];          /* PostgreSQL: the session's current_schema()
                                * (tenant.c); "" on SQLite */
    /* The branches the `if`s of the revision being moved took (upgrade)
     * or recorded (downgrade): key k at [k-1], '1' then, '0' else, '-'
     * not reached; NULL when none.  step.c, own.c. */
    char *branches;
    /* rt_server_probe(), once per connection (PostgreSQL): the server is
     * a standby in recovery; a pooler sits between (the lock is then
     * taken per transaction, see lock.c). */
    int probed, in_recovery, pooled;
    int lock_waited;           /* "Waiting for the migration lock" was said */
    int moving_down;           /* the steps being run are a downgrade's
                                * (retort_call_downgrade); step.c */
    /* While a revision's statements are gathered to go in one round trip
     * (pipeline.c), the gathering; else NULL. */
    struct rt_pipe *pipe;
    char err[RT_ERRMAX];
};

/* 0 when the history targets dialect d (retort.conf); else fails with
 * RETORT_EUSAGE, naming the dialects it does target. */
int rt_dialect_targeted(retort *r, enum retort_dialect d);

/* --- json.c: the --json outputs (schemas in docs/migrator.md) --- */
/* s as a JSON string literal (NULL as ""). */
void rt_json_str(FILE *out, const char *s);
/* One revision as an object: revision, parents, depends_on,
 * branch_labels, message, created, path, head, branchpoint (kids > 1),
 * mergepoint. */
void rt_json_rev(FILE *out, const retort_history *h, unsigned rev, unsigned kids);
/* "key": [objects of revs[0..n)], kids (or NULL) the child counts. */
void rt_json_revs(FILE *out, const char *key, const retort_history *h,
                  const unsigned *revs, unsigned n, const unsigned *kids);

/* Records a failure on the handle (password scrubbed) and returns code. */
int rt_fail(retort *r, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* Writes name + suffix (suffix may be NULL) as SQL into out: each part
 * of a schema-qualified name quoted where it needs to be, as Alembic
 * (SQLAlchemy) quotes it: any upper case, a leading digit or a reserved
 * word. */
void rt_ident(char *out, size_t cap, const char *name, const char *suffix);
/* Why the database of `dialect` (-1: any) cannot hold version table vt,
 * or NULL when it can. */
const char *rt_vt_name_error(const char *vt, int dialect);
/* Does the SQLite table `table`, whose CREATE TABLE text is create_sql,
 * have a constraint called `name`: written `CONSTRAINT name`, or unnamed
 * with `name` as the name PostgreSQL would give it (the compiler's default
 * names, SPEC section 2)?  1 or 0; -1 when out of memory.
 * db_sqlite_names.c. */
int rt_db_sqlite_has_constraint(const char *table, const char *create_sql,
                                const char *name);
/* rt_fail for the connection's last database message. */
int rt_fail_db(retort *r, const char *what);

/* A handle retort_new() refused (h is NULL) only tells why: every entry
 * point of the API starts with this, which keeps that message.  No handle
 * at all (the NULL of a retort_new() that ran out of memory, passed on by
 * an application that did not look) is the same usage error. */
#define RT_USABLE(r) do { if (!(r) || !(r)->h) return RETORT_EUSAGE; } while (0)
/* The same for the failure of connection d (r->db or a scratch one):
 * "WHAT: DETAIL : MESSAGE (HINT)", each part when given; the hint and
 * the code follow the failure's kind (db.h). */
int rt_fail_db_as(retort *r, const db *d, const char *what, const char *detail);
/* Progress line on the log unless quiet. */
void rt_log(retort *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* progress.c: the run's progress lines.  begin counts `total` moves (a
 * terminal only); line is a move's "Running ..." line (plain, or [n/N]);
 * done closes it with its time; end prints the summary. */
void rt_progress_begin(retort *r, unsigned total);
void rt_progress_line(retort *r, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void rt_progress_done(retort *r, int ok);
void rt_progress_end(retort *r, unsigned moved, int down);

/* --- fanout.c: one command on many databases --- */
#define RT_FANOUT_MAX_JOBS 256
typedef struct rt_fanout {
    const retort_history *history;
    retort_options opts;       /* every handle's (each gets its own log) */
    const char *const *urls;   /* in the order the results are printed */
    size_t count;
    unsigned jobs;             /* databases at once, 1..RT_FANOUT_MAX_JOBS */
    int fail_fast;             /* start no more after a failure */
    int json;                  /* one JSON object a line; summary on err */
    int details;               /* -v: each database's output and progress */
    int moves;                 /* the command changes the version rows:
                                * "from -> to" (else "at", and pending) */
    int json_result;           /* run() writes a JSON document */
    /* The command on a connected handle, its output to out. */
    int (*run)(retort *r, FILE *out, void *ctx);
    void *ctx;
} rt_fanout;
/* Runs f->run on every database and prints, in f->urls' order, one
 * result per database to out, then a summary (to err with f->json).
 * Returns the exit status: 0 when every database succeeded, else 1. */
int rt_fanout_main(const rt_fanout *f, FILE *out, FILE *err);

/* --- tenant.c --- */
/* Keeps connection d's current schema in r->schema (PostgreSQL); fails
 * with one line when the search_path names a schema that is not there
 * before the one the session would use, or none exists. */
int rt_tenant_schema(retort *r, db *d);

/* --- url.c --- */
typedef struct url_info {
    enum retort_dialect dialect;
    char *target;      /* SQLite: a file path; PostgreSQL: the URL for libpq,
                        * without its passwords */
    char *password;    /* decoded, for libpq; or NULL */
    char *secrets;     /* every password-like text, as written and decoded,
                        * NUL-separated, ending in "", longest first */
    size_t secrets_len;
    char *shown;       /* redacted for messages */
} url_info;
/* Parses `url`; on failure writes a one-line reason to err. */
int rt_url_parse(url_info *out, const char *url, char *err, size_t errlen);
void rt_url_info_clear(url_info *u);
/* The URL with any password replaced by ***; malloc'd (NULL: no memory). */
char *rt_url_redact(const char *url);
/* Replaces each occurrence of each of `secrets` (a url_info's list) in msg
 * (NUL-terminated) by ***. */
void rt_url_scrub(char *msg, size_t cap, const char *secrets);
/* The dialect of a URL's scheme, or -1. */
int rt_url_dialect(const char *url);

/* --- graph.c: plain walks over the history's arrays --- */
/* Index of the revision with exactly this id, or -1 (binary search). */
long rt_graph_find(const retort_history *h, const char *id);
/* The by_id[] slice [*lo, *hi) of ids starting with prefix. */
void rt_graph_prefix(const retort_history *h, const char *prefix,
                  unsigned *lo, unsigned *hi);
int rt_graph_is_head(const retort_history *h, unsigned rev);
/* Marks every ancestor of the marked revisions at or below index `hi`:
 * through parents, and with `deps` through depends_on too. */
void rt_graph_close_ancestors(const retort_history *h, unsigned char *mark,
                              unsigned hi, int deps);
/* Marks every descendant of the marked revisions at or above `lo`
 * (through parents; with `deps` through depends_on too). */
void rt_graph_close_descendants(const retort_history *h, unsigned char *mark,
                                unsigned lo, int deps);
/* The k-th distinct revision that must precede `rev` (parents, then
 * depends_on targets), or -1 when there are no more. */
long rt_graph_pred(const retort_history *h, unsigned rev, unsigned k);
/* kids[x] = how many marked revisions have x among their rt_graph_pred. */
void rt_graph_count_kids(const retort_history *h, const unsigned char *mark,
                         unsigned *kids);
/* Writes the heads of the marked set to out[] in revisions[] order:
 * the marked revisions no marked revision builds on, through parents or
 * depends_on (Alembic's version rows).  Returns how many, or
 * RETORT_ENOMEM.  out holds revision_count. */
int rt_graph_heads_of(const retort_history *h, const unsigned char *mark,
                      unsigned *out);
/* Number of revisions naming `rev` as a parent (a pass over refs). */
unsigned *rt_graph_child_counts(const retort_history *h);
/* "a, b" of a revision's parents, or "" for a root, into buf. */
void rt_graph_parents_text(const retort_history *h, unsigned rev, char *buf,
                        size_t cap);

/* --- graph_draw.c: the lanes of history --graph --- */
typedef struct rt_lanes rt_lanes;
/* Lanes for drawing h (NULL when out of memory); free with rt_lanes_free. */
rt_lanes *rt_lanes_new(const retort_history *h);
void rt_lanes_free(rt_lanes *L);
/* Draws the rows that join lanes waiting for `rev`, then rev's own row
 * up to where its text starts (no newline).  Revisions must come newest
 * first (children before parents). */
void rt_lanes_node(rt_lanes *L, FILE *out, unsigned rev);
/* After rev's text: its lane goes on to its first shown parent; other
 * shown parents open lanes ("|\"); a lane with no shown parent ends. */
void rt_lanes_edges(rt_lanes *L, FILE *out, const retort_history *h,
                    unsigned rev, const unsigned char *shown);

/* --- call.c: application code --- */
/* Runs CALL step s of revision rev on d (down: in a downgrade); a failure
 * is one line on the handle naming the revision and the function. */
int rt_call_step(retort *r, db *d, unsigned rev, const retort_step *s, int down);

/* --- target.c --- */
typedef struct rt_state rt_state;
/* Resolves one revision (id, branch label, unique prefix, head) to an
 * index. */
int rt_target_one(retort *r, const char *text, unsigned *out);
/* Marks the revisions an upgrade or stamp TARGET names, relative forms
 * read against state `s` (NULL: base). */
int rt_target_upgrade(retort *r, const char *text, const rt_state *s,
                      unsigned char *mark);
/* The one selection behind upgrade, downgrade and offline scripts: marks
 * in sel[] the revisions that moving to TARGET from state `s` applies
 * (down = 0) or unapplies (down = 1); an error for a target that names no
 * valid move. */
int rt_target_select(retort *r, int down, const char *text, const rt_state *s,
                     unsigned char *sel);
/* RETORT_ERROR when a version row is applied before another row. */
int rt_target_contradiction(retort *r, const rt_state *s);

/* --- buf.c: the one growing text --- */
/* SQL of unbounded length.  Zero-initialised is empty; p is NULL until
 * something was appended, then NUL-terminated.  Out of memory sets `oom`
 * and makes every later append do nothing: build freely, then ask
 * rt_buf_failed once before using p. */
typedef struct rt_buf {
    char *p;
    size_t n, cap;
    int oom;
} rt_buf;
void rt_buf_put(rt_buf *b, const char *s);
void rt_buf_add(rt_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* s as an SQL string literal, quotes doubled. */
void rt_buf_lit(rt_buf *b, const char *s);
/* sql as the next statement of a batch (";\n" between statements): the
 * batch goes to the server as one db_exec(). */
void rt_buf_stmt(rt_buf *b, const char *sql);
/* Empties b, keeping its memory. */
void rt_buf_clear(rt_buf *b);
/* rt_fail(r, RETORT_ENOMEM, "out of memory") when an append failed, else
 * 0: the one check before b->p is used. */
int rt_buf_failed(retort *r, const rt_buf *b);
void rt_buf_free(rt_buf *b);

/* --- version.c: the bookkeeping tables' SQL --- */
typedef int (*vt_emit_fn)(void *ctx, const char *sql);
/* The statements that turn row set `from` into `to` (Alembic style:
 * an UPDATE pairs one removed with one added row).  Shared with script.c,
 * whose offline scripts print what the live commands run. */
int rt_vt_change(retort *r, const unsigned *from, unsigned nfrom,
              const unsigned *to, unsigned nto, vt_emit_fn fn, void *ctx);
/* The version rows after moving revision x up or down, into `to` (room
 * for nrows + parents + depends + 1); kids[] counts, per revision, the
 * applied revisions built on it (rt_graph_count_kids), before the move. */
unsigned rt_vt_next_rows(const retort_history *h, const unsigned *rows,
                      unsigned nrows, const unsigned *kids, unsigned x,
                      int down, unsigned *to);
/* CREATE TABLE statement for the version table into buf. */
void rt_vt_create_sql(const retort *r, int if_not_exists, char *buf, size_t cap);
/* Writes the revision id at pool offset `id` into buf as an SQL string
 * literal, quotes doubled: statements carrying ids go out unparameterised
 * (batched, or printed by --sql).  0, or RETORT_ERROR when it does not
 * fit (only a hand-made history has such an id). */
int rt_vt_id_lit(retort *r, unsigned id, char *buf, size_t cap);
/* Whether table `name` (possibly schema-qualified) exists. */
int rt_vt_table_exists(retort *r, const char *name, int *exists);
/* 0 when the version table (own = 0) or retort's own (own = 1) is missing
 * or has the columns the migrator uses; else one line naming the table
 * and the way out, rather than "no such column" from whichever statement
 * meets it first. */
int rt_vt_shape_check(retort *r, int own);
/* Makes both tables (and retort's index of markers, and the column a
 * table of an older migrator lacks) inside the transaction the caller
 * began under the migration lock, so that concurrent migrators never race
 * on the catalog; commits it, or rolls it back on failure. */
int rt_vt_create_tables(retort *r);
/* Runs one bookkeeping statement, shown with -v; `what` names it in the
 * error. */
int rt_vt_exec(retort *r, const char *sql, const char *what);

/* --- lock.c: the migration lock --- */
/* The migration lock's key (PostgreSQL advisory lock): `check` takes it
 * in shared mode.  It names the version table with its schema (the
 * session's current one when the name has none), so that tenants'
 * schemas in one database have locks of their own. */
long long rt_lock_key(const retort *r);
/* Asks a PostgreSQL server, once per connection, whether it is a standby
 * in recovery and whether a pooler sits between (r->in_recovery,
 * r->pooled; both 0 on SQLite). */
int rt_lock_probe(retort *r);
/* The failure when the migration lock was not had within
 * r->lock_timeout_ms: RETORT_ELOCKED, one line naming the database and,
 * when known (holder not NULL or ""), who holds the lock. */
int rt_lock_gave_up(retort *r, const char *holder);
/* Takes the command's lock after rt_lock_probe: on a direct connection
 * the session lock (*locked = 1), saying first that it waits when another
 * migrator holds it; through a pooler a transaction holding the lock
 * (left open; *locked = 0). */
int rt_lock_take(retort *r, int *locked);
/* Begins a transaction that writes the bookkeeping: through a pooler it
 * takes the lock again (it ends with the transaction); `what` names a
 * failure to begin. */
int rt_lock_tx_begin(retort *r, const char *what);
/* Releases what rt_lock_take took (nothing when !locked). */
void rt_lock_release(retort *r, int locked);

/* --- state.c: what the bookkeeping tables say --- */
/* The state of a live database: its version rows and what they imply,
 * and the rows of retort's own table (checksums and interrupted-revision
 * markers; see migrate.c). */
enum rt_mark {
    RT_MARK_NONE = 0,          /* no row: never recorded (e.g. Alembic) */
    RT_MARK_APPLIED = 1,       /* applied with checksum sums[rev] */
    RT_MARK_UPGRADING = 2,     /* a `transaction none` upgrade began */
    RT_MARK_DOWNGRADING = 3    /* a `transaction none` downgrade began */
};

struct rt_state {
    unsigned *rows;            /* version rows as revision indices, sorted */
    unsigned nrows;
    unsigned char *applied;    /* closure of rows over parents and depends */
    unsigned *kids;            /* applied children (by parent edge) */
    unsigned char *mark;       /* enum rt_mark per revision */
    char *sums;                /* 65 bytes per revision: recorded checksum */
    char stray[40];            /* a marker row naming an unknown revision */
    int have_marks;            /* retort's table exists and was read */
};

void rt_state_free(rt_state *s);
/* Reads the version rows and, when its table exists, retort's own rows. */
int rt_state_read(retort *r, rt_state *s);
/* The same, but of retort's own rows only those that mark an interrupted
 * revision (no checksums): what `current` needs, at a cost that does not
 * grow with the history. */
int rt_state_read_markers(retort *r, rt_state *s);
/* The first interrupted revision (a marker row), or -1; *down when the
 * marker is a downgrade's.  -2 for a marker naming an unknown revision. */
long rt_state_interrupted(const retort *r, const rt_state *s, int *down);
/* The first applied revision at or after `from` whose recorded checksum
 * differs from the history's, or -1.  A recorded checksum of the ABI 2
 * form (rendered SQL) that matches is not a difference. */
long rt_state_changed(const retort *r, const rt_state *s, unsigned from);
/* Refuses a database whose records say it is not what this history
 * expects: contradicting version rows, an interrupted `transaction none`
 * revision, or an applied revision recorded with other contents.  Every
 * moving command runs it before any SQL of a revision. */
int rt_state_verify(retort *r, const rt_state *s);
/* The cached state after revision x moved up or down and its transaction
 * committed: `to` (malloc'd, rt_vt_next_rows) becomes the rows, and the
 * state takes it.  Saves reading the tables again per revision. */
void rt_state_moved(const retort *r, rt_state *s, unsigned x, int down,
                    unsigned *to, unsigned nto);

/* --- own.c: the rows of retort's own table --- */
/* The history's checksum of a revision for the connected database's
 * dialect, or "" when it has no usable one (1 to 64 hex digits: it is
 * pasted into SQL). */
const char *rt_own_checksum(const retort *r, const retort_revision *v);
/* Whether recorded checksum `rec` is revision v's in the ABI 2 form
 * (rendered SQL), which databases an older migrator moved still hold. */
int rt_own_legacy(const retort *r, const retort_revision *v, const char *rec);
/* One statement on retort's own table, shown with -v; rt_own_emit is the
 * same as a vt_emit_fn (ctx: the handle). */
int rt_own_exec(retort *r, const char *sql);
int rt_own_emit(void *ctx, const char *sql);
/* Hands fn the statement recording revision x with state `mark` (enum
 * rt_mark) and the branches in r->branches. */
int rt_own_record(retort *r, unsigned x, int mark, vt_emit_fn fn, void *ctx);
/* Hands fn the statement removing revision x's row. */
int rt_own_forget(retort *r, unsigned x, vt_emit_fn fn, void *ctx);
/* Reads the branches recorded for revision x into r->branches (NULL when
 * none): a derived downgrade undoes the branch each `if` of the upgrade
 * took, since asking the condition again would see the upgrade's work. */
int rt_own_branches_load(retort *r, unsigned x);
/* Moves every recorded checksum of the ABI 2 form to this history's
 * per-dialect form (one transaction), after rt_state_verify accepted it. */
int rt_own_refresh(retort *r, rt_state *s);
/* The most rows one statement of rt_own_applied_sql records. */
#define RT_OWN_ROWS 200
/* Appends to batch b (rt_buf_stmt's form) the statement that records
 * revisions revs[0 .. n) (n <= RT_OWN_ROWS) as applied with the history's
 * checksums, replacing any row they had but its branches: what stamp
 * and a fresh database's fold (fresh.c) write alike. */
void rt_own_applied_sql(retort *r, rt_buf *b, const unsigned *revs, unsigned n);
/* Makes the rows say what stamp's `next` says: each revision applied
 * after it carries the history's checksum, no other keeps a row, no
 * marker survives.  Inside stamp's transaction. */
int rt_own_sync(retort *r, const rt_state *s, const unsigned char *next);

/* fresh.c: on an empty database whose upgrade applies the whole prefix
 * of the history's snapshot (retort_snapshot), builds it from the
 * snapshot in one transaction, records its version row and checksums,
 * updates `s` and adds the revisions to *moved; does nothing (0) when
 * the database or the target does not allow it, or RETORT_REPLAY is set.
 * Under the migration lock, after rt_state_verify(). */
int rt_fresh_upgrade(retort *r, rt_state *s, const unsigned char *want,
                     unsigned *moved);

/* --- migrate.c: the commands (besides the public retort_*) --- */
/* The selection behind stamp, online and offline (script.c): in next[]
 * the revisions applied after stamping TARGET from state `s` (want[]:
 * scratch, the revisions TARGET names). */
int rt_migrate_stamp_select(retort *r, const rt_state *s, const char *target,
                            unsigned char *want, unsigned char *next);
/* Moving one revision at a time (verify.c): _begin takes the migration
 * lock, makes the bookkeeping tables and reads the state, refusing what
 * upgrade refuses; _move applies revision x's upgrade or downgrade (its
 * parents, or its children, must be in place); _end releases both. */
int rt_migrate_begin(retort *r, rt_state *s, int *locked);
int rt_migrate_move(retort *r, rt_state *s, unsigned x, int down);
void rt_migrate_end(retort *r, rt_state *s, int locked);

/* check.c: compares the live schema with what the history implies at the
 * revisions the database is at; prints each difference to `out` and sets
 * *ndiff.  Says nothing about being at head. */
int rt_check_compare(retort *r, FILE *out, unsigned *ndiff);
/* The same along verify's walk, on SQLite, without replaying the history
 * at every step: _start (on a database at base; else *out stays NULL and
 * verify uses rt_check_compare), then per walked revision x in order
 * _step, after which _compare compares the live schema with the one
 * before x's upgrade (after = 0) or after it (after = 1). */
typedef struct rt_check_walk rt_check_walk;
int rt_check_walk_start(retort *r, const rt_state *s, rt_check_walk **out);
int rt_check_walk_step(retort *r, rt_check_walk *w, unsigned x);
int rt_check_walk_compare(retort *r, rt_check_walk *w, int after, FILE *out,
                          unsigned *ndiff);
void rt_check_walk_free(rt_check_walk *w);

/* --- step.c: running a revision --- */
/* Runs steps[first .. first+count) of revision `rev` on `d`.  `scratch`:
 * replaying into the drift check's scratch space (nothing logged; a
 * `transaction none` revision runs inside the check's transaction, so
 * CONCURRENTLY is dropped and statements that refuse a transaction are
 * skipped). */
int rt_step_run(retort *r, db *d, unsigned rev, unsigned first,
                unsigned count, int scratch);
/* The failure of a statement of revision `rev` on d: "revision ID
 * (FILE): SQL : MESSAGE", the statement abbreviated. */
int rt_step_fail(retort *r, unsigned rev, const char *sql, const db *d);
/* Applies (or removes) one revision with its version-row change and its
 * row in retort's own table, in one transaction; a `transaction none`
 * revision is bracketed by a marker row committed before it starts.
 * Under the migration lock, on a state rt_state_verify accepted.  1 when,
 * through a pooler, another migrator had already done it. */
int rt_step_move(retort *r, rt_state *s, unsigned x, int down);

/* --- pipeline.c: a revision in one round trip (PostgreSQL) --- */
enum rt_pipe_kind {
    RT_PIPE_BEGIN,             /* fails as "starting a transaction" */
    RT_PIPE_STEP,              /* a statement of the revision: rt_step_fail */
    RT_PIPE_BOOK,              /* the version rows, retort's row */
    RT_PIPE_COMMIT             /* fails as "committing" */
};
typedef struct rt_pipe {
    retort *r;
    unsigned rev;
    db_stmt *st;
    unsigned char *kind;
    char **owned;              /* what st[i].sql points to when copied */
    size_t n, cap;
} rt_pipe;
/* Whether revision v's move may gather its statements: PostgreSQL, in a
 * transaction. */
int rt_pipe_fits(const retort *r, const retort_revision *v);
void rt_pipe_init(rt_pipe *p, retort *r, unsigned rev);
/* Gathers sql (copied when `copy`, else it must outlive the pipe), which
 * holds `count` statements (0: unknown, counted by the server). */
int rt_pipe_add(rt_pipe *p, enum rt_pipe_kind kind, const char *sql,
                unsigned count, int copy);
/* The number of statements a step's text holds: 1 when that is sure, 0
 * when it may hold several or none (raw SQL). */
unsigned rt_pipe_count(const char *sql);
/* Sends what was gathered in one round trip and empties the pipe (NULL:
 * nothing to do); a failure names what failed, as running the texts one
 * by one would have. */
int rt_pipe_flush(rt_pipe *p);
void rt_pipe_free(rt_pipe *p);

/* A string of the history's pool, "" for RETORT_NO_STRING: for the strings
 * a history always has (ids, messages, files, labels, SQL). */
static inline const char *rt_str(const retort_history *h, unsigned off)
{
    return off == RETORT_NO_STRING ? "" : h->strings + off;
}

/* A string of the history's pool, or `absent` for RETORT_NO_STRING. */
static inline const char *rt_str_or(const retort_history *h, unsigned off,
                                    const char *absent)
{
    return off == RETORT_NO_STRING ? absent : h->strings + off;
}

/* --- script.c --- */
/* Writes the text of a condition ("not table_exists users") into buf. */
void rt_script_cond_text(const rt_cond *s, char *buf, size_t cap);

#endif
