/*
 * checksum.c: the per-dialect revision checksum; see checksum.h.
 *
 * The canonical text is a first line naming the form ("retort checksum 1",
 * so that a deliberate change of form is visible), `transaction none` when
 * the revision says so, then the upgrade's statements as unparse.c prints
 * them, with every choice that the dialect settles made:
 *   - `if dialect X { A } else { B }` is replaced by A or B, inline;
 *   - `execute sqlite` / `execute postgresql` statements for the other
 *     dialect are left out, and those for this one are printed as a plain
 *     `execute`, since on this database the two mean the same.
 * Conditions on the live database (table_exists ...) stay, with both of
 * their branches: which one runs is decided at run time.
 *
 * Only the upgrade is covered: the checksum guards what was applied, and
 * a corrected downgrade must not make deployed databases refuse.
 */
#include <string.h>

#include "dialect.h"
#include "checksum.h"
#include "sha256.h"
#include "unparse.h"

static void hash_text(sha256_ctx *c, const char *s)
{
    sha256_update(c, s, strlen(s));
}

static int dialect_bit(enum retort_dialect d)
{
    return dialect_get(d)->mask;
}

static void hash_body(sha256_ctx *c, arena *a, const ptr_list *body, int bit);

/* One statement of the body, as it stands for the dialect `bit`. */
static void hash_stmt(sha256_ctx *c, arena *a, const ast_stmt *st, int bit)
{
    if (st->kind == ST_IF && st->cond.kind == COND_DIALECT) {
        int holds = (st->cond.dialect == bit) != (st->cond.negate != 0);
        hash_body(c, a, holds ? &st->then_body : &st->else_body, bit);
        return;
    }
    if (st->kind == ST_IF) {
        hash_text(c, "if ");
        hash_text(c, unparse_cond(a, &st->cond, 1));
        hash_text(c, " {\n");
        hash_body(c, a, &st->then_body, bit);
        hash_text(c, "} else {\n");
        hash_body(c, a, &st->else_body, bit);
        hash_text(c, "}\n");
        return;
    }
    if (st->kind == ST_EXECUTE && st->dialect != DIALECT_ALL) {
        ast_stmt plain;
        if (st->dialect != bit)
            return;
        plain = *st;
        plain.dialect = DIALECT_ALL;
        hash_text(c, unparse_stmt_canonical(a, &plain));
        return;
    }
    if ((st->kind == ST_CREATE_VIEW || st->kind == ST_CREATE_TRIGGER) &&
        st->bodies[0] != st->bodies[1]) {
        /* One body per dialect: only this dialect's concerns it. */
        ast_stmt plain = *st;
        for (int d = 0; d < RETORT_DIALECT_COUNT; d++)
            if (dialect_bit((enum retort_dialect)d) == bit)
                plain.bodies[0] = plain.bodies[1] = st->bodies[d];
        hash_text(c, unparse_stmt_canonical(a, &plain));
        return;
    }
    hash_text(c, unparse_stmt_canonical(a, st));
}

static void hash_body(sha256_ctx *c, arena *a, const ptr_list *body, int bit)
{
    for (int i = 0; i < body->count; i++)
        hash_stmt(c, a, body->items[i], bit);
}

void checksum_revision(arena *a, const ast_revision *rev, enum retort_dialect d,
                       char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char digest[32];
    sha256_ctx c;
    sha256_init(&c);
    hash_text(&c, "retort checksum 1\n");
    if (!rev->transactional)
        hash_text(&c, "transaction none\n");
    hash_body(&c, a, &rev->upgrade, dialect_bit(d));
    sha256_final(&c, digest);
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}
