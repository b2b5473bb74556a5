/* json.c: the few JSON writers the --json outputs need (docs/migrator.md
 * gives their schemas).  Output only: retort never reads JSON. */
#include <string.h>

#include "internal.h"

void rt_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"':  fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
        }
    }
    fputc('"', out);
}

/* ["a", "b"]: the ids of revisions refs[first..first+n), or (labels) the
 * pool strings at those offsets. */
static void str_list(FILE *out, const retort_history *h, const unsigned *refs,
                     unsigned first, unsigned n, int labels)
{
    fputc('[', out);
    for (unsigned k = 0; k < n; k++) {
        if (k)
            fputs(", ", out);
        rt_json_str(out, labels ? rt_str(h, refs[first + k])
                                : rt_str(h, h->revisions[refs[first + k]].id));
    }
    fputc(']', out);
}

void rt_json_rev(FILE *out, const retort_history *h, unsigned rev, unsigned kids)
{
    const retort_revision *v = &h->revisions[rev];
    fputs("{\"revision\": ", out);
    rt_json_str(out, rt_str(h, v->id));
    fputs(", \"parents\": ", out);
    str_list(out, h, h->refs, v->parents_first, v->parents_count, 0);
    fputs(", \"depends_on\": ", out);
    str_list(out, h, h->refs, v->depends_first, v->depends_count, 0);
    fputs(", \"branch_labels\": ", out);
    str_list(out, h, h->labels, v->labels_first, v->labels_count, 1);
    fputs(", \"message\": ", out);
    rt_json_str(out, rt_str_or(h, v->message, ""));
    fputs(", \"created\": ", out);
    rt_json_str(out, rt_str_or(h, v->created, ""));
    fputs(", \"path\": ", out);
    rt_json_str(out, rt_str_or(h, v->file, ""));
    fprintf(out, ", \"head\": %s, \"branchpoint\": %s, \"mergepoint\": %s}",
            rt_graph_is_head(h, rev) ? "true" : "false",
            kids > 1 ? "true" : "false",
            v->parents_count > 1 ? "true" : "false");
}

void rt_json_revs(FILE *out, const char *key, const retort_history *h,
                  const unsigned *revs, unsigned n, const unsigned *kids)
{
    fprintf(out, "\"%s\": [", key);
    for (unsigned i = 0; i < n; i++) {
        fputs(i ? ",\n    " : "\n    ", out);
        rt_json_rev(out, h, revs[i], kids ? kids[revs[i]] : 0);
    }
    fputs(n ? "\n  ]" : "]", out);
}
