/*
 * strmap.h: a map from strings to pointers, kept in the arena.  The
 * schema model (schema.c) and the expected schema (expect.c) look up
 * tables by name with it: a history of tens of thousands of tables must
 * not cost a scan per lookup.
 *
 * Keys are not copied: they must live as long as the map (in the arena).
 * A NULL value reads as absent; an entry is never removed, only set to
 * NULL.  Callers may walk v[0..cap) and skip entries whose key or val is
 * NULL.
 */
#ifndef RETORT_STRMAP_H
#define RETORT_STRMAP_H

#include "arena.h"

typedef struct strmap_entry {
    const char *key;          /* NULL: empty slot */
    void *val;                /* NULL: absent */
} strmap_entry;

typedef struct strmap {
    strmap_entry *v;
    int cap, used;
} strmap;

/* The slot of `key`: its entry, or the empty slot it would take; NULL
 * while the map has never been given an entry. */
strmap_entry *strmap_slot(const strmap *m, const char *key);

/* The value of `key`, or NULL. */
void *strmap_get(const strmap *m, const char *key);

/* Sets `key` to `val`, growing the map first when it is three quarters
 * full. */
void strmap_put(arena *a, strmap *m, const char *key, void *val);

#endif
