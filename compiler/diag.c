/* diag.c: printing of located messages; see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

void diag_init(diag *d, FILE *out)
{
    memset(d, 0, sizeof *d);
    d->out = out ? out : stderr;
    d->max_errors = 50;
}

/* Print the source line of `loc` and a caret under its column.  Tabs are
 * kept in the caret line so that the caret lines up in any terminal. */
static void show_line(diag *d, src_loc loc)
{
    const char *p = loc.file->text, *end = p + loc.file->len;
    for (int line = 1; line < loc.line && p < end; p++)
        if (*p == '\n')
            line++;
    const char *eol = p;
    while (eol < end && *eol != '\n' && *eol != '\r')
        eol++;
    fprintf(d->out, "    %.*s\n    ", (int)(eol - p), p);
    for (int i = 1; i < loc.col && p + i - 1 < eol; i++)
        fputc(p[i - 1] == '\t' ? '\t' : ' ', d->out);
    fputs("^\n", d->out);
}

static void vreport(diag *d, src_loc loc, const char *kind, const char *fmt,
                    va_list ap)
{
    if (loc.file)
        fprintf(d->out, "%s:%d:%d: %s: ", loc.file->path, loc.line, loc.col,
                kind);
    else
        fprintf(d->out, "retort: %s: ", kind);
    vfprintf(d->out, fmt, ap);
    fputc('\n', d->out);
    if (loc.file && loc.line > 0)
        show_line(d, loc);
}

void diag_error(diag *d, src_loc loc, const char *fmt, ...)
{
    d->errors++;
    if (d->errors > d->max_errors) {
        d->suppressed++;
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vreport(d, loc, "error", fmt, ap);
    va_end(ap);
}

void diag_warning(diag *d, src_loc loc, const char *fmt, ...)
{
    d->warnings++;
    va_list ap;
    va_start(ap, fmt);
    vreport(d, loc, "warning", fmt, ap);
    va_end(ap);
}

void diag_note(diag *d, src_loc loc, const char *fmt, ...)
{
    if (d->errors > d->max_errors)
        return;
    va_list ap;
    va_start(ap, fmt);
    vreport(d, loc, "note", fmt, ap);
    va_end(ap);
}

void diag_finish(diag *d)
{
    if (d->suppressed)
        fprintf(d->out, "retort: %d more errors not shown\n", d->suppressed);
    if (d->errors)
        fprintf(d->out, "retort: %d error%s\n", d->errors,
                d->errors == 1 ? "" : "s");
}
