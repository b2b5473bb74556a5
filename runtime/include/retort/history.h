/*
 * retort/history.h: the data that `retort compile` writes into migrations.c.
 *
 * This header is the whole interface between the compiler and the runtime.
 * migrations.c defines one `const retort_history` and a main() that hands it
 * to retort_cli_main(); the compiler also builds the same structures in
 * memory to print offline scripts (`retort sql`) with the runtime's printer.
 *
 * Everything here is plain constant data and no start-up work, so a
 * migrator of 10,000 revisions starts as fast as one of ten.  The one
 * exception is `calls` (ABI 6): a pointer to each distinct application
 * function that `call NAME` statements name, one relocation per function,
 * not per step.  Steps and revision references are indices into flat arrays rather
 * than pointers, which keeps the emitted file quick to compile.
 *
 * Strings are offsets, not pointers (since ABI 2).  Every string of the steps,
 * revisions and labels is an `unsigned` offset into one pool of
 * NUL-terminated strings, `retort_history.strings`; RETORT_NO_STRING stands
 * for an absent one (NULL).  Read them with retort_str().  The tables then
 * hold no pointer at all: a position-independent migrator needs no dynamic
 * relocation for them, so they stay in read-only, shared pages that the
 * loader never touches, and start-up does not grow with the history (ABI 1
 * held ~17 pointers per revision: 170,000 relocations, 7.7 MiB written at
 * every start for 10,000 revisions).  Only `name`, `default_url` and the
 * array pointers of retort_history itself are relocated.
 *
 * Invariants the compiler guarantees:
 *   - revisions[] is in topological order: every parent and depends_on
 *     target comes before the revisions that name it;
 *   - by_id[] lists revision indices sorted by strcmp() of their ids;
 *   - heads[] lists the revisions that are nobody's parent, in
 *     revisions[] order;
 *   - every SQL step is one statement, without its final ';';
 *   - each script is already specialised for its dialect: `dialect`
 *     conditions and dialect-specific `execute` were decided at compile time.
 *
 * ABI 4 adds the expected PostgreSQL schema (retort_fact), which `check`
 * compares the live database with instead of replaying the history into
 * it.  SQLite needs no such data: its check replays the history into a
 * private in-memory database, which touches nothing live.
 *
 * ABI 5 adds retort_step.alias, and retort_history.dialects and
 * .version_table (retort.conf).
 *
 * ABI 6 adds RETORT_STEP_CALL (`call NAME`: the application's C function,
 * run on the migrator's connection inside the revision's transaction),
 * retort_step.call and retort_history.calls / .call_count.
 *
 * ABI 7 adds retort_snapshot (retort_history.snapshots): the schema at a
 * fold point as DDL, which an upgrade of an empty database runs instead
 * of replaying every revision up to there (docs/migrator.md).
 */
#ifndef RETORT_HISTORY_H
#define RETORT_HISTORY_H

#ifdef __cplusplus
extern "C" {
#endif

#define RETORT_HISTORY_ABI 7

/* The offset of an absent string. */
#define RETORT_NO_STRING 0xFFFFFFFFu

enum retort_dialect {
    RETORT_SQLITE = 0,
    RETORT_POSTGRESQL = 1,
    RETORT_DIALECT_COUNT = 2
};

enum retort_step_kind {
    /* Run `sql`. */
    RETORT_STEP_SQL = 0,
    /* Run `sql`, a query; any row it returns is a failure whose message is
     * the first row (used for the foreign key check after a rebuild).
     * Offline scripts select its row count into a table whose CHECK fails
     * on a row, so `sql` must be usable as a subquery (a SELECT, not a
     * PRAGMA); a leading `-- text` line names the failure there. */
    RETORT_STEP_EXPECT_EMPTY = 1,
    /* Evaluate `cond` on the live database; run the then or else range. */
    RETORT_STEP_IF = 2,
    /* Run the application's function calls[call] (ABI 6); `name` is its
     * name, for messages.  Offline scripts cannot: they stop before
     * writing anything. */
    RETORT_STEP_CALL = 3
};

/* Application code (`call NAME`, ABI 6): migrations.c declares
 * `int NAME(retort_call *ctx);` for each function the history calls and
 * lists them in retort_history.calls.  The function returns 0 on success;
 * retort.h has what it may do with ctx. */
typedef struct retort_call retort_call;
typedef int retort_call_fn(retort_call *ctx);

enum retort_condition {
    RETORT_COND_TABLE_EXISTS = 0,      /* schema?, table */
    RETORT_COND_COLUMN_EXISTS = 1,     /* schema?, table, name = column */
    RETORT_COND_INDEX_EXISTS = 2,      /* schema?, name = index (table may be NULL) */
    RETORT_COND_CONSTRAINT_EXISTS = 3, /* schema?, table, name = constraint */
    /* In a derived downgrade: "the upgrade's `if` number `sql` took its
     * then branch", as the migrator recorded when it ran the upgrade
     * (`offline` when nothing was recorded, and in offline scripts);
     * `name` is that condition as written, for messages. */
    RETORT_COND_RECORDED = 4
};

typedef struct retort_step {
    unsigned char kind;      /* enum retort_step_kind */
    unsigned char cond;      /* IF: enum retort_condition */
    unsigned char negate;    /* IF: the condition was written with `not` */
    unsigned char offline;   /* IF: 1 when the condition, negation applied,
                                holds in the schema the history implies at
                                this point; offline scripts follow it */
    /* Strings: offsets into the pool (retort_str()). */
    unsigned sql;            /* SQL, EXPECT_EMPTY: the statement; IF: the
                                decimal key under which the branch taken
                                is recorded (upgrade), or read (RECORDED),
                                or none */
    unsigned schema;         /* IF: schema of the table, or none */
    unsigned table;          /* IF: table name, or none */
    unsigned name;           /* IF: column, index or constraint name, or none */
    unsigned alias;          /* IF, CONSTRAINT_EXISTS (ABI 5): a second name
                                the constraint answers to, or none.  A
                                database that keeps no names for unnamed
                                constraints (SQLite) derives them from the
                                table's text as it is now; after a rename
                                that is not the name PostgreSQL gave it */
    unsigned then_first, then_count;  /* IF: range of steps[] */
    unsigned else_first, else_count;  /* IF: range of steps[] */
    unsigned call;           /* CALL (ABI 6): index into retort_history.calls */
} retort_step;

/* A run of top-level steps: steps[first .. first + count). */
typedef struct retort_script {
    unsigned first, count;
} retort_script;

/* The PostgreSQL schema a revision leaves, as facts (ABI 4).  Each
 * revision lists, for every table its upgrade touched, the whole table as
 * it stands after the revision: a TABLE fact followed by that table's
 * COLUMN, constraint and INDEX facts, or a lone DROP fact for a table it
 * dropped (or renamed away).  Applying the lists of the applied revisions
 * in revisions[] order, each replacing the tables it names, gives the
 * expected schema.  Strings are pool offsets; expressions and types are
 * written the way the history writes them, and `check` normalises them
 * and what PostgreSQL reports the same way before comparing. */
enum retort_fact_kind {
    RETORT_FACT_TABLE = 0,        /* table: name, "schema.name" if qualified */
    RETORT_FACT_DROP = 1,         /* table */
    RETORT_FACT_COLUMN = 2,       /* name; a = "TYPE[ NOT NULL][ DEFAULT e]
                                     [ AUTOINCREMENT]" */
    RETORT_FACT_PRIMARY_KEY = 3,  /* name (none: unnamed); a = "c1, c2";
                                     c = " DEFERRABLE[ INITIALLY
                                     DEFERRED]" or none */
    RETORT_FACT_UNIQUE = 4,       /* name; a = "c1, c2"; c as for
                                     PRIMARY_KEY */
    RETORT_FACT_FOREIGN_KEY = 5,  /* name; a = "c1, c2"; b = referenced
                                     table; c = "r1, r2|ON DELETE x ON
                                     UPDATE y[ DEFERRABLE[ INITIALLY
                                     DEFERRED]]" */
    RETORT_FACT_CHECK = 6,        /* name; a = expression */
    RETORT_FACT_INDEX = 7,        /* name; a = "[UNIQUE ](elements)";
                                     b = predicate or none */
    RETORT_FACT_TRIGGER = 8,      /* name: a trigger of the table */
    RETORT_FACT_VIEW = 9,         /* table: a view of that name stands
                                     there (alone, like DROP) */
    RETORT_FACT_COMMENT = 10,     /* name: the column (none: the table);
                                     a = the comment */
    RETORT_FACT_ENUM = 11,        /* table: an enum of that name stands
                                     there (alone, like DROP); a = its
                                     labels, "'a', 'b'" */
    RETORT_FACT_OBJECT = 12       /* table: "extension N", "schema N" or
                                     "sequence N" stands (alone, like
                                     DROP, which removes one); a = a
                                     sequence's "START s INCREMENT i",
                                     else "" */
};

typedef struct retort_fact {
    unsigned char kind;           /* enum retort_fact_kind */
    unsigned table, name, a, b, c;
} retort_fact;

typedef struct retort_revision {
    /* Strings: offsets into the pool (retort_str()). */
    unsigned id;
    unsigned message;        /* "" when absent */
    unsigned created;        /* "" when absent */
    unsigned file;           /* path relative to the migrations directory */
    unsigned parents_first, parents_count;   /* range of refs[]: revision indices */
    unsigned depends_first, depends_count;   /* range of refs[]: revision indices */
    unsigned labels_first, labels_count;     /* range of labels[]: branch labels */
    unsigned char transactional;             /* 0 for `transaction none` */
    /* Hex SHA-256 of what the revision's upgrade means on each dialect
     * (ABI 3; compiler/checksum.h says what it covers), and the ABI 2 form,
     * a hash of the rendered upgrade scripts of all dialects, which
     * databases may still hold: the runtime accepts it and replaces it. */
    unsigned checksum[RETORT_DIALECT_COUNT];
    unsigned legacy_checksum;
    retort_script upgrade[RETORT_DIALECT_COUNT];
    retort_script downgrade[RETORT_DIALECT_COUNT];
    unsigned pg_facts_first, pg_facts_count; /* range of facts[] */
    unsigned char schema_known;   /* 0 for `schema_check off`: its raw SQL
                                     may change what the facts say */
} retort_revision;

/* A fold point (ABI 7): revisions[0 .. count) are a chain ending at
 * `revision` (each the only parent of the next, no depends_on), and their
 * upgrades hold only statements whose effect the
 * compiler's schema model knows completely (compiler/snapshot.c lists
 * them: no data statement, raw SQL, call, if, nor a revision outside a
 * transaction).  script[d] is that schema as DDL on dialect d (SQL steps
 * only; empty for a dialect the history does not target).  On a database
 * holding nothing, running it and recording the prefix's version row and
 * checksums leaves what replaying revisions[0 .. count) would. */
typedef struct retort_snapshot {
    unsigned revision;                  /* index into revisions[] */
    unsigned count;                     /* revision + 1 */
    retort_script script[RETORT_DIALECT_COUNT];
} retort_snapshot;

typedef struct retort_history {
    unsigned abi;                    /* RETORT_HISTORY_ABI */
    const char *name;                /* application name, for messages */
    const char *default_url;         /* NULL when none was compiled in */
    /* The string pool: NUL-terminated strings at the offsets the steps,
     * revisions and labels hold.  Anything may lie between two strings
     * (migrations.c pads to its rows); only the offsets mean something. */
    const char *strings;
    const retort_revision *revisions;
    unsigned revision_count;
    const retort_step *steps;
    unsigned step_count;
    const unsigned *refs;
    unsigned ref_count;
    const unsigned *labels;          /* branch labels: pool offsets */
    unsigned label_count;
    const unsigned *by_id;           /* revision_count entries */
    const unsigned *heads;
    unsigned head_count;
    const retort_fact *facts;        /* ABI 4: see retort_fact */
    unsigned fact_count;
    /* ABI 5 (retort.conf): the databases the history targets, a bit
     * (1 << enum retort_dialect) each, 0 meaning every one; the scripts
     * of the others are empty and the migrator refuses their URLs.  And
     * the version table used when no --version-table is given (NULL:
     * alembic_version). */
    unsigned dialects;
    const char *version_table;
    /* ABI 6: the application functions CALL steps run, by step.call.
     * The compiler's own in-memory history (`retort sql`) has none: NULL,
     * with call_count still the number of distinct functions. */
    retort_call_fn *const *calls;
    unsigned call_count;
    /* ABI 7: the fold points (at most one today: the last revision of
     * the longest foldable prefix). */
    const retort_snapshot *snapshots;
    unsigned snapshot_count;
} retort_history;

/* The string at offset `off` of the pool, or NULL for RETORT_NO_STRING. */
static inline const char *retort_str(const retort_history *h, unsigned off)
{
    return off == RETORT_NO_STRING ? (const char *)0 : h->strings + off;
}

#ifdef __cplusplus
}
#endif

#endif
