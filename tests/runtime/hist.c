/*
 * hist.c: a small history written by hand, for the runtime's tests until
 * the compiler writes them.  RT_HISTORY picks a variant:
 *   (unset)   aaa100 -> bbb200 \
 *                    -> aab300 (label side) -> ddd400 (merge) -> eee500
 *   twoheads  aaa100, bbb200, aab300 only: two heads
 *   fail      the main history plus fff600, whose second statement fails
 *   changed   the main history with another checksum for bbb200 (as if
 *             its file was edited after it was applied); fff600 has none
 * eee500 is `transaction none` (CREATE INDEX CONCURRENTLY on PostgreSQL).
 */
#include <stdlib.h>
#include <string.h>

#include "retort/retort.h"

#define SQL(s) {RETORT_STEP_SQL, 0, 0, 0, s, NULL, NULL, NULL, 0, 0, 0, 0}
#define EXPECT_EMPTY(s) {RETORT_STEP_EXPECT_EMPTY, 0, 0, 0, s, NULL, NULL, NULL, 0, 0, 0, 0}
#define IF(c, neg, off, t, n, tf, tc, ef, ec) \
    {RETORT_STEP_IF, c, neg, off, NULL, NULL, t, n, tf, tc, ef, ec}

static const retort_step steps[] = {
    /* 0 */ SQL("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)"),
    /* 1 */ SQL("DROP TABLE users"),
    /* 2 */ SQL("ALTER TABLE users ADD COLUMN age INTEGER"),
    /* 3 */ SQL("SELECT 1"),
    /* 4 */ SQL("CREATE TABLE cond_ok (x INTEGER)"),
    /* 5 */ SQL("CREATE TABLE cond_bad (x INTEGER)"),
    /* 6 */ SQL("CREATE TABLE account (id INTEGER PRIMARY KEY, user_id INTEGER, "
                "CONSTRAINT fk_account_user FOREIGN KEY (user_id) REFERENCES users (id))"),
    /* 7 */ IF(RETORT_COND_COLUMN_EXISTS, 1, 1, "users", "age", 2, 1, 3, 1),
    /* 8 */ IF(RETORT_COND_CONSTRAINT_EXISTS, 0, 1, "account", "fk_account_user", 4, 1, 5, 1),
    /* 9 */ SQL("DROP TABLE IF EXISTS cond_ok"),
    /* 10 */ SQL("DROP TABLE account"),
    /* 11 */ SQL("ALTER TABLE users DROP COLUMN age"),
    /* 12 */ SQL("CREATE TABLE side_t (x INTEGER)"),
    /* 13 */ SQL("DROP TABLE side_t"),
    /* 14 */ SQL("CREATE INDEX ix_account_user ON account (user_id)"),
    /* 15 */ IF(RETORT_COND_INDEX_EXISTS, 0, 1, NULL, "ix_account_user", 18, 1, 0, 0),
    /* 16 */ SQL("CREATE INDEX CONCURRENTLY ix_account_user ON account (user_id)"),
    /* 17 */ IF(RETORT_COND_INDEX_EXISTS, 0, 1, NULL, "ix_account_user", 18, 1, 0, 0),
    /* 18 */ SQL("CREATE TABLE idx_ok (x INTEGER)"),
    /* 19 */ SQL("DROP TABLE idx_ok"),
    /* 20 */ SQL("DROP INDEX ix_account_user"),
    /* 21 */ SQL("CREATE TABLE ok_t (x INTEGER)"),
    /* 22 */ SQL("INSERT INTO no_such_table VALUES (1)"),
    /* 23 */ EXPECT_EMPTY("PRAGMA foreign_key_check(account)"),
    /* 24 */ IF(RETORT_COND_TABLE_EXISTS, 0, 1, "side_t", NULL, 13, 1, 0, 0),
};

static const unsigned refs[] = {0, 0, 1, 2, 3, 4};
static const char *const labels[] = {"side"};

#define S(f, c) {f, c}
#define SUM_A "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
#define SUM_B "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
#define SUM_B2 "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
#define SUM_C "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0"
#define SUM_D "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"
#define SUM_E "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"
/* The revisions, with bbb200's checksum as a parameter: `changed` is the
 * same history whose bbb200 was edited after it was applied. */
#define REVISIONS(sum_b) { \
    {"aaa100", "initial schema", "2025-10-13 22:37:00", "aaa100_initial.rev", \
     0, 0, 0, 0, 0, 0, 1, SUM_A, \
     {S(0, 1), S(0, 1)}, {S(1, 1), S(1, 1)}}, \
    {"bbb200", "add account", "", "bbb200_account.rev", \
     0, 1, 0, 0, 0, 0, 1, sum_b, \
     {S(6, 3), S(6, 3)}, {S(9, 3), S(9, 3)}}, \
    {"aab300", "side branch", "", "aab300_side.rev", \
     1, 1, 0, 0, 0, 1, 1, SUM_C, \
     {S(12, 1), S(12, 1)}, {S(24, 1), S(24, 1)}}, \
    {"ddd400", "merge", "", "ddd400_merge.rev", \
     2, 2, 0, 0, 0, 0, 1, SUM_D, \
     {S(23, 1), S(0, 0)}, {S(0, 0), S(0, 0)}}, \
    {"eee500", "add index", "", "eee500_index.rev", \
     4, 1, 0, 0, 0, 0, 0, SUM_E, \
     {S(14, 2), S(16, 2)}, {S(19, 2), S(19, 2)}}, \
    {"fff600", "broken", "", "fff600_broken.rev", \
     5, 1, 0, 0, 0, 0, 1, "", \
     {S(21, 2), S(21, 2)}, {S(0, 0), S(0, 0)}}, \
}
static const retort_revision revisions[] = REVISIONS(SUM_B);
static const retort_revision revisions_changed[] = REVISIONS(SUM_B2);

static const unsigned by_id_main[] = {0, 2, 1, 3, 4};
static const unsigned by_id_two[] = {0, 2, 1};
static const unsigned by_id_fail[] = {0, 2, 1, 3, 4, 5};
static const unsigned heads_main[] = {4};
static const unsigned heads_two[] = {1, 2};
static const unsigned heads_fail[] = {5};

#define HISTORY(revs, n, byid, hd, nh) {RETORT_HISTORY_ABI, "rt-hist", NULL, revs, n, \
    steps, sizeof steps / sizeof steps[0], refs, 6, labels, 1, byid, hd, nh}

static const retort_history main_history = HISTORY(revisions, 5, by_id_main, heads_main, 1);
static const retort_history two_heads = HISTORY(revisions, 3, by_id_two, heads_two, 2);
static const retort_history failing = HISTORY(revisions, 6, by_id_fail, heads_fail, 1);
static const retort_history changed = HISTORY(revisions_changed, 5, by_id_main, heads_main, 1);

int main(int argc, char **argv)
{
    const char *v = getenv("RT_HISTORY");
    const retort_history *h = &main_history;
    if (v && strcmp(v, "twoheads") == 0)
        h = &two_heads;
    else if (v && strcmp(v, "fail") == 0)
        h = &failing;
    else if (v && strcmp(v, "changed") == 0)
        h = &changed;
    return retort_cli_main(h, argc, argv);
}
