/*
 * source.c: reading revision and model files; see source.h.
 *
 * Files are read whole into the arena and NUL-terminated, which the lexer
 * relies on as its sentinel; that is also why a NUL byte inside a file is
 * refused.  The size limit keeps a stray huge file from exhausting memory
 * and keeps every offset well inside an int.
 */
#include "source.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SOURCE_MAX (16u << 20)      /* 16 MiB */

static const src_loc nowhere;

/* One file; NULL after reporting why. */
src_file *source_read_file(arena *a, diag *d, const char *path,
                           const char *rel)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        diag_error(d, nowhere, "cannot open '%s': %s", path, strerror(errno));
        return NULL;
    }
    /* Read in chunks rather than trusting the size that stat reports:
     * the file may be a pipe, or change under us. */
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    int too_big = 0, failed = 0;
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (len > SOURCE_MAX) {
            too_big = 1;
            break;
        }
        if (n == 0) {
            failed = ferror(fp);
            break;
        }
    }
    fclose(fp);
    src_file *f = NULL;
    if (too_big)
        diag_error(d, nowhere, "'%s' is larger than 16 MiB", path);
    else if (failed)
        diag_error(d, nowhere, "cannot read '%s'", path);
    else {
        f = arena_alloc(a, sizeof *f);
        f->path = arena_strdup(a, path);
        f->rel = arena_strdup(a, rel ? rel : path);
        f->text = arena_strndup(a, buf, len);
        f->len = len;
        const char *nul = memchr(f->text, '\0', len);
        if (nul) {
            /* Point at the byte itself: the rest of the file is fine. */
            src_loc loc = {f, 1, 1};
            for (const char *p = f->text; p < nul; p++, loc.col++)
                if (*p == '\n') {
                    loc.line++;
                    loc.col = 0;
                }
            diag_error(d, loc, "the file holds a NUL byte");
            f = NULL;
        }
    }
    free(buf);
    return f;
}

static int by_name(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

static int is_rev(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".rev") == 0;
}

/* Collect the relative paths of the *.rev files under root/rel (rel "" for
 * root itself) into `out`.  Symbolic links to directories are not
 * followed, so a link cycle cannot loop. */
static int collect(arena *a, diag *d, const char *root, const char *rel,
                   ptr_list *out)
{
    const char *dir = *rel ? arena_printf(a, "%s/%s", root, rel) : root;
    DIR *dp = opendir(dir);
    if (!dp) {
        diag_error(d, nowhere, "cannot read directory '%s': %s", dir,
                   strerror(errno));
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        const char *sub = *rel ? arena_printf(a, "%s/%s", rel, e->d_name)
                               : arena_strdup(a, e->d_name);
        const char *full = arena_printf(a, "%s/%s", root, sub);
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;       /* vanished meanwhile */
        if (S_ISDIR(st.st_mode)) {
            if (collect(a, d, root, sub, out) != 0)
                rc = -1;
        } else if (is_rev(e->d_name))
            list_push(a, out, (void *)sub);
    }
    closedir(dp);
    return rc;
}

/* Every *.rev under dir, sorted by relative path. */
int source_read_dir(arena *a, diag *d, const char *dir, ptr_list *out)
{
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        diag_error(d, nowhere, "'%s' is not a directory", dir);
        return -1;
    }
    /* Messages show dir/rel; drop a trailing '/' so as not to double it. */
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *root = arena_strndup(a, dir, n);

    ptr_list rels = {0};
    int rc = collect(a, d, root, "", &rels);
    if (rels.count > 1)
        qsort(rels.items, (size_t)rels.count, sizeof *rels.items, by_name);
    for (int i = 0; i < rels.count; i++) {
        const char *rel = rels.items[i];
        src_file *f = source_read_file(
            a, d, arena_printf(a, "%s/%s", root, rel), rel);
        if (f)
            list_push(a, out, f);
        else
            rc = -1;
    }
    return rc;
}
