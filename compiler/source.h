/* source.h: reading revision and model files. */
#ifndef RETORT_SOURCE_H
#define RETORT_SOURCE_H

#include "arena.h"
#include "diag.h"

/* Every *.rev file under `dir` (recursively), sorted by relative path so
 * that output never depends on directory order.  Appends src_file* to
 * `out`.  Returns 0, or -1 after reporting why (no such directory, an
 * unreadable file, a file over 16 MiB or holding a NUL byte). */
int source_read_dir(arena *a, diag *d, const char *dir, ptr_list *out);

/* One file; NULL after reporting why. */
src_file *source_read_file(arena *a, diag *d, const char *path,
                           const char *rel);

#endif
