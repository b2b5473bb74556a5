/*
 * strmap.c: open addressing with linear probing over a power-of-two
 * table (strmap.h).
 */
#include "strmap.h"

#include <stdint.h>
#include <string.h>

/* FNV-1a: short keys, no adversary (the names come from the history). */
static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

strmap_entry *strmap_slot(const strmap *m, const char *key)
{
    if (m->cap == 0)
        return NULL;
    uint32_t mask = (uint32_t)m->cap - 1;
    for (uint32_t i = hash_str(key) & mask;; i = (i + 1) & mask) {
        strmap_entry *e = &m->v[i];
        if (!e->key || strcmp(e->key, key) == 0)
            return e;
    }
}

void *strmap_get(const strmap *m, const char *key)
{
    strmap_entry *e = strmap_slot(m, key);
    return e && e->key ? e->val : NULL;
}

/* Twice the room, dropping the entries set to NULL on the way. */
static void grow(arena *a, strmap *m)
{
    strmap n = {0};
    n.cap = m->cap ? m->cap * 2 : 64;
    n.v = arena_alloc(a, sizeof *n.v * (size_t)n.cap);
    for (int i = 0; i < m->cap; i++) {
        if (m->v[i].key && m->v[i].val) {
            *strmap_slot(&n, m->v[i].key) = m->v[i];
            n.used++;
        }
    }
    *m = n;
}

void strmap_put(arena *a, strmap *m, const char *key, void *val)
{
    if ((m->used + 1) * 4 >= m->cap * 3)
        grow(a, m);
    strmap_entry *e = strmap_slot(m, key);
    if (!e->key) {
        e->key = key;
        m->used++;
    }
    e->val = val;
}
