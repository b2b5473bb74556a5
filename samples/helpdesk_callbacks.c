/*
 * helpdesk_callbacks.c: the application code of the help desk's history
 * (samples/helpdesk), linked into helpdesk-migrate with
 * retort_add_migrator(... CALLBACKS helpdesk_callbacks.c).
 *
 * fill_ticket_slugs gives every ticket the slug the application gives new
 * ones: "<id>-<subject in lower case, runs of other characters as one
 * '-'>", at most 60 characters.  SQL could approximate it; the point is
 * that the migration and the application share one definition.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <retort/retort.h>

int fill_ticket_slugs(retort_call *ctx);

/* The slug of ticket `id` with `subject`, into out (cap >= 64). */
static void slugify(const char *id, const char *subject, char *out, size_t cap)
{
    size_t n = (size_t)snprintf(out, cap, "%s-", id);
    int dash = 1;
    for (const unsigned char *p = (const unsigned char *)subject;
         *p && n + 1 < cap && n < 60; p++) {
        if (isalnum(*p) && *p < 128) {
            out[n++] = (char)tolower(*p);
            dash = 0;
        } else if (!dash) {
            out[n++] = '-';
            dash = 1;
        }
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = '\0';
}

/* Every ticket, a page at a time, in the revision's transaction. */
int fill_ticket_slugs(retort_call *ctx)
{
    char last[32] = "0";
    for (;;) {
        retort_rows *rows = NULL;
        const char *page[1] = {last};
        if (retort_call_query(&rows, ctx,
                              "SELECT id, subject FROM tickets WHERE id > $1 "
                              "ORDER BY id LIMIT 500", 1, page) < 0)
            return -1;
        size_t count = retort_rows_count(rows);
        for (size_t i = 0; i < count; i++) {
            const char *id = retort_rows_value(rows, i, 0);
            char slug[64];
            slugify(id, retort_rows_value(rows, i, 1), slug, sizeof slug);
            const char *args[2] = {slug, id};
            if (retort_call_exec(ctx, "UPDATE tickets SET slug = $1 WHERE id = $2",
                                 2, args) < 0) {
                retort_rows_free(rows);
                return -1;
            }
            snprintf(last, sizeof last, "%s", id);
        }
        retort_rows_free(rows);
        if (count < 500)
            return 0;
    }
}
