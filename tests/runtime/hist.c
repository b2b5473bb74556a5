/*
 * hist.c: a small history written by hand, for the runtime's tests until
 * the compiler writes them.  RT_HISTORY picks a variant:
 *   (unset)   aaa100 -> bbb200 \
 *                    -> aab300 (label side) -> ddd400 (merge) -> eee500
 *   twoheads  aaa100, bbb200, aab300 only: two heads
 *   fail      the main history plus fff600, whose second statement fails
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
static const retort_revision revisions[] = {
    {"aaa100", "initial schema", "2025-10-13 22:37:00", "aaa100_initial.rev",
     0, 0, 0, 0, 0, 0, 1, "",
     {S(0, 1), S(0, 1)}, {S(1, 1), S(1, 1)}},
    {"bbb200", "add account", "", "bbb200_account.rev",
     0, 1, 0, 0, 0, 0, 1, "",
     {S(6, 3), S(6, 3)}, {S(9, 3), S(9, 3)}},
    {"aab300", "side branch", "", "aab300_side.rev",
     1, 1, 0, 0, 0, 1, 1, "",
     {S(12, 1), S(12, 1)}, {S(24, 1), S(24, 1)}},
    {"ddd400", "merge", "", "ddd400_merge.rev",
     2, 2, 0, 0, 0, 0, 1, "",
     {S(23, 1), S(0, 0)}, {S(0, 0), S(0, 0)}},
    {"eee500", "add index", "", "eee500_index.rev",
     4, 1, 0, 0, 0, 0, 0, "",
     {S(14, 2), S(16, 2)}, {S(19, 2), S(19, 2)}},
    {"fff600", "broken", "", "fff600_broken.rev",
     5, 1, 0, 0, 0, 0, 1, "",
     {S(21, 2), S(21, 2)}, {S(0, 0), S(0, 0)}},
};

static const unsigned by_id_main[] = {0, 2, 1, 3, 4};
static const unsigned by_id_two[] = {0, 2, 1};
static const unsigned by_id_fail[] = {0, 2, 1, 3, 4, 5};
static const unsigned heads_main[] = {4};
static const unsigned heads_two[] = {1, 2};
static const unsigned heads_fail[] = {5};

#define HISTORY(n, byid, hd, nh) {RETORT_HISTORY_ABI, "rt-hist", NULL, revisions, n, \
    steps, sizeof steps / sizeof steps[0], refs, 6, labels, 1, byid, hd, nh}

static const retort_history main_history = HISTORY(5, by_id_main, heads_main, 1);
static const retort_history two_heads = HISTORY(3, by_id_two, heads_two, 2);
static const retort_history failing = HISTORY(6, by_id_fail, heads_fail, 1);

int main(int argc, char **argv)
{
    const char *v = getenv("RT_HISTORY");
    const retort_history *h = &main_history;
    if (v && strcmp(v, "twoheads") == 0)
        h = &two_heads;
    else if (v && strcmp(v, "fail") == 0)
        h = &failing;
    return retort_cli_main(h, argc, argv);
}
