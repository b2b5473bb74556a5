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
 * Laid out as retort/history.h says: strings are offsets into one
 * pool.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retort/retort.h"

/* The string pool: every string once, NUL-terminated, end to end; O(x) is
 * the offset of string x.  A struct of char arrays has no padding (checked
 * below), so its bytes are the pool. */
#define SUM_A "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809"
#define SUM_B "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
#define SUM_B2 "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2"
#define SUM_C "c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0"
#define SUM_D "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"
#define SUM_E "e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0"
#define STRINGS(X) \
    X(empty, "") \
    X(create_users, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL)") \
    X(drop_users, "DROP TABLE users") \
    X(add_age, "ALTER TABLE users ADD COLUMN age INTEGER") \
    X(select_1, "SELECT 1") \
    X(create_cond_ok, "CREATE TABLE cond_ok (x INTEGER)") \
    X(create_cond_bad, "CREATE TABLE cond_bad (x INTEGER)") \
    X(create_account, "CREATE TABLE account (id INTEGER PRIMARY KEY, user_id INTEGER, " \
                      "CONSTRAINT fk_account_user FOREIGN KEY (user_id) REFERENCES users (id))") \
    X(drop_cond_ok, "DROP TABLE IF EXISTS cond_ok") \
    X(drop_account, "DROP TABLE account") \
    X(drop_age, "ALTER TABLE users DROP COLUMN age") \
    X(create_side_t, "CREATE TABLE side_t (x INTEGER)") \
    X(drop_side_t, "DROP TABLE side_t") \
    X(create_index, "CREATE INDEX ix_account_user ON account (user_id)") \
    X(create_index_cc, "CREATE INDEX CONCURRENTLY ix_account_user ON account (user_id)") \
    X(create_idx_ok, "CREATE TABLE idx_ok (x INTEGER)") \
    X(drop_idx_ok, "DROP TABLE idx_ok") \
    X(drop_index, "DROP INDEX ix_account_user") \
    X(create_ok_t, "CREATE TABLE ok_t (x INTEGER)") \
    X(insert_bad, "INSERT INTO no_such_table VALUES (1)") \
    X(fk_check, "SELECT * FROM pragma_foreign_key_check('account')") \
    X(users, "users") \
    X(age, "age") \
    X(account, "account") \
    X(fk_account_user, "fk_account_user") \
    X(ix_account_user, "ix_account_user") \
    X(side_t, "side_t") \
    X(side, "side") \
    X(aaa100, "aaa100") X(bbb200, "bbb200") X(aab300, "aab300") \
    X(ddd400, "ddd400") X(eee500, "eee500") X(fff600, "fff600") \
    X(m_initial, "initial schema") X(m_account, "add account") \
    X(m_side, "side branch") X(m_merge, "merge") X(m_index, "add index") \
    X(m_broken, "broken") X(created_a, "2025-10-13 22:37:00") \
    X(f_aaa100, "aaa100_initial.rev") X(f_bbb200, "bbb200_account.rev") \
    X(f_aab300, "aab300_side.rev") X(f_ddd400, "ddd400_merge.rev") \
    X(f_eee500, "eee500_index.rev") X(f_fff600, "fff600_broken.rev") \
    X(sum_a, SUM_A) X(sum_b, SUM_B) X(sum_b2, SUM_B2) X(sum_c, SUM_C) \
    X(sum_d, SUM_D) X(sum_e, SUM_E)

#define MEMBER(n, s) char n[sizeof s];
#define INIT(n, s) s,
#define SIZE(n, s) sizeof s +
struct pool { STRINGS(MEMBER) };
static const struct pool pool = { STRINGS(INIT) };
typedef char pool_is_contiguous[sizeof(struct pool) == STRINGS(SIZE) 0 ? 1 : -1];
#define O(n) ((unsigned)offsetof(struct pool, n))
#define NONE RETORT_NO_STRING

#define SQL(s) {RETORT_STEP_SQL, 0, 0, 0, O(s), NONE, NONE, NONE, NONE, 0, 0, 0, 0, 0}
#define EXPECT_EMPTY(s) {RETORT_STEP_EXPECT_EMPTY, 0, 0, 0, O(s), NONE, NONE, NONE, NONE, 0, 0, 0, 0, 0}
#define IF(c, neg, off, t, n, tf, tc, ef, ec) \
    {RETORT_STEP_IF, c, neg, off, NONE, NONE, t, n, NONE, tf, tc, ef, ec, 0}

static const retort_step steps[] = {
    /* 0 */ SQL(create_users),
    /* 1 */ SQL(drop_users),
    /* 2 */ SQL(add_age),
    /* 3 */ SQL(select_1),
    /* 4 */ SQL(create_cond_ok),
    /* 5 */ SQL(create_cond_bad),
    /* 6 */ SQL(create_account),
    /* 7 */ IF(RETORT_COND_COLUMN_EXISTS, 1, 1, O(users), O(age), 2, 1, 3, 1),
    /* 8 */ IF(RETORT_COND_CONSTRAINT_EXISTS, 0, 1, O(account), O(fk_account_user), 4, 1, 5, 1),
    /* 9 */ SQL(drop_cond_ok),
    /* 10 */ SQL(drop_account),
    /* 11 */ SQL(drop_age),
    /* 12 */ SQL(create_side_t),
    /* 13 */ SQL(drop_side_t),
    /* 14 */ SQL(create_index),
    /* 15 */ IF(RETORT_COND_INDEX_EXISTS, 0, 1, NONE, O(ix_account_user), 18, 1, 0, 0),
    /* 16 */ SQL(create_index_cc),
    /* 17 */ IF(RETORT_COND_INDEX_EXISTS, 0, 1, NONE, O(ix_account_user), 18, 1, 0, 0),
    /* 18 */ SQL(create_idx_ok),
    /* 19 */ SQL(drop_idx_ok),
    /* 20 */ SQL(drop_index),
    /* 21 */ SQL(create_ok_t),
    /* 22 */ SQL(insert_bad),
    /* 23 */ EXPECT_EMPTY(fk_check),
    /* 24 */ IF(RETORT_COND_TABLE_EXISTS, 0, 1, O(side_t), NONE, 13, 1, 0, 0),
};

static const unsigned refs[] = {0, 0, 1, 2, 3, 4};
static const unsigned labels[] = {O(side)};

#define S(f, c) {f, c}
/* The revisions, with bbb200's checksum as a parameter: `changed` is the
 * same history whose bbb200 was edited after it was applied. */
#define REVISIONS(sum_b) { \
    {O(aaa100), O(m_initial), O(created_a), O(f_aaa100), \
     0, 0, 0, 0, 0, 0, 1, {O(sum_a), O(sum_a)}, O(empty), \
     {S(0, 1), S(0, 1)}, {S(1, 1), S(1, 1)}, 0, 0, 0}, \
    {O(bbb200), O(m_account), O(empty), O(f_bbb200), \
     0, 1, 0, 0, 0, 0, 1, {O(sum_b), O(sum_b)}, O(empty), \
     {S(6, 3), S(6, 3)}, {S(9, 3), S(9, 3)}, 0, 0, 0}, \
    {O(aab300), O(m_side), O(empty), O(f_aab300), \
     1, 1, 0, 0, 0, 1, 1, {O(sum_c), O(sum_c)}, O(empty), \
     {S(12, 1), S(12, 1)}, {S(24, 1), S(24, 1)}, 0, 0, 0}, \
    {O(ddd400), O(m_merge), O(empty), O(f_ddd400), \
     2, 2, 0, 0, 0, 0, 1, {O(sum_d), O(sum_d)}, O(empty), \
     {S(23, 1), S(0, 0)}, {S(0, 0), S(0, 0)}, 0, 0, 0}, \
    {O(eee500), O(m_index), O(empty), O(f_eee500), \
     4, 1, 0, 0, 0, 0, 0, {O(sum_e), O(sum_e)}, O(empty), \
     {S(14, 2), S(16, 2)}, {S(19, 2), S(19, 2)}, 0, 0, 0}, \
    {O(fff600), O(m_broken), O(empty), O(f_fff600), \
     5, 1, 0, 0, 0, 0, 1, {O(empty), O(empty)}, O(empty), \
     {S(21, 2), S(21, 2)}, {S(0, 0), S(0, 0)}, 0, 0, 0}, \
}
static const retort_revision revisions[] = REVISIONS(sum_b);
static const retort_revision revisions_changed[] = REVISIONS(sum_b2);

static const unsigned by_id_main[] = {0, 2, 1, 3, 4};
static const unsigned by_id_two[] = {0, 2, 1};
static const unsigned by_id_fail[] = {0, 2, 1, 3, 4, 5};
static const unsigned heads_main[] = {4};
static const unsigned heads_two[] = {1, 2};
static const unsigned heads_fail[] = {5};

#define HISTORY(revs, n, byid, hd, nh) {RETORT_HISTORY_ABI, "rt-hist", NULL, \
    (const char *)&pool, revs, n, steps, sizeof steps / sizeof steps[0], refs, 6, \
    labels, 1, byid, hd, nh, 0, 0, 0, NULL, NULL, 0, NULL, 0}

static const retort_history main_history = HISTORY(revisions, 5, by_id_main, heads_main, 1);
static const retort_history two_heads = HISTORY(revisions, 3, by_id_two, heads_two, 2);
static const retort_history failing = HISTORY(revisions, 6, by_id_fail, heads_fail, 1);
static const retort_history changed = HISTORY(revisions_changed, 5, by_id_main, heads_main, 1);
static const retort_history old_abi = {RETORT_HISTORY_ABI - 1, "rt-hist", NULL, NULL,
                                       NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, NULL,
                                       0, 0, 0, 0, NULL, NULL, 0, NULL, 0};

/* RT_API=upgrade: `runtime_hist URL TARGET` upgrades through the library
 * instead of the command line and prints "code N: MESSAGE", for tests of
 * the return codes an embedding application branches on.  RT_VT names the
 * version table; RT_HISTORY=oldabi hands over a history of another ABI. */
static int api_upgrade(const retort_history *h, int argc, char **argv)
{
    retort *r = NULL;
    retort_options opts = {getenv("RT_VT"), 0, NULL, 0};
    int rc;
    if (argc != 3) {
        fprintf(stderr, "usage: RT_API=upgrade runtime_hist URL TARGET\n");
        return 2;
    }
    if ((rc = retort_new(&r, h, &opts)) == 0 && (rc = retort_connect(r, argv[1])) == 0)
        rc = retort_upgrade(r, argv[2]);
    /* A refused handle answers every call with its reason. */
    if (rc == RETORT_EUSAGE && r && retort_upgrade(r, argv[2]) != RETORT_EUSAGE)
        rc = 99;
    printf("code %d: %s\n", rc, r ? retort_errmsg(r) : "no handle");
    retort_free(r);
    return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *v = getenv("RT_HISTORY");
    const char *api = getenv("RT_API");
    const retort_history *h = &main_history;
    if (v && strcmp(v, "twoheads") == 0)
        h = &two_heads;
    else if (v && strcmp(v, "fail") == 0)
        h = &failing;
    else if (v && strcmp(v, "changed") == 0)
        h = &changed;
    else if (v && strcmp(v, "oldabi") == 0)
        h = &old_abi;
    if (api && strcmp(api, "upgrade") == 0)
        return api_upgrade(h, argc, argv);
    return retort_cli_main(h, argc, argv);
}
