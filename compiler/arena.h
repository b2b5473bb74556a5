/*
 * arena.h: one arena per compilation.  Every AST node, string and schema
 * snapshot is allocated here and released at once by arena_free().
 */
#ifndef RETORT_ARENA_H
#define RETORT_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);

/* Zeroed, aligned memory that lives until arena_free().  Never NULL: an
 * out-of-memory condition aborts the compiler with a message. */
void *arena_alloc(arena *a, size_t size);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The compiler's one out-of-memory policy: print "retort: out of memory"
 * and exit 1 (a clean failure, never a crash).  Every allocation outside
 * the arena goes through these, so none returns NULL. */
_Noreturn void oom(void);
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);

/* A growable array of pointers, kept in the arena. */
typedef struct ptr_list {
    void **items;
    int count, cap;
} ptr_list;

void list_push(arena *a, ptr_list *l, void *item);

#endif
