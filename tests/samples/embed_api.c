/*
 * embed_api.c: the runtime API as an embedding application meets it,
 * misused included (samples.embed_api).  An application hands the
 * runtime what it has: getenv()'s NULL for a URL, the NULL handle of a
 * failed retort_new(), calls in the wrong order.  Each must be a negative
 * code with a message where there is a handle to hold one, never a crash;
 * and the right order still works afterwards on the same handle.
 *
 *     embed-api DB_PATH      a SQLite file, created
 */
#include <stdio.h>
#include <string.h>

#include "guestbook_history.h"

static int failures;

/* Expects `rc` to be `want`, and, when `needle` is given, the handle's
 * message to contain it. */
static void expect(const char *what, int rc, int want, const retort *r, const char *needle)
{
    const char *msg = retort_errmsg(r);
    if (rc != want || (needle && !strstr(msg, needle))) {
        fprintf(stderr, "FAIL: %s: rc %d (want %d), message [%s] (want [%s])\n", what, rc,
                want, msg, needle ? needle : "");
        failures++;
    } else {
        printf("ok: %s\n", what);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    char url[4096];
    snprintf(url, sizeof url, "sqlite:///%s", argv[1]);
    retort_status_info *st = (retort_status_info *)&st;   /* not NULL: must be reset */

    /* No handle at all (a failed retort_new). */
    expect("connect without a handle", retort_connect(NULL, url), RETORT_EUSAGE, NULL, NULL);
    expect("status without a handle", retort_status(NULL, &st), RETORT_EUSAGE, NULL, NULL);
    expect("status without a handle: out reset", st == NULL, 1, NULL, NULL);
    expect("upgrade without a handle", retort_upgrade(NULL, "heads"), RETORT_EUSAGE, NULL, NULL);
    expect("errmsg without a handle", strlen(retort_errmsg(NULL)) > 0, 1, NULL, NULL);

    retort *r = NULL;
    expect("new", retort_new(&r, guestbook_history(), NULL), RETORT_OK, r, NULL);
    st = (retort_status_info *)&st;
    expect("status before connect", retort_status(r, &st), RETORT_EUSAGE, r,
           "not connected");
    expect("status before connect: out reset", st == NULL, 1, r, NULL);
    expect("connect NULL", retort_connect(r, NULL), RETORT_EUSAGE, r, "no database URL");
    expect("status with no place for it", retort_status(r, NULL), RETORT_EUSAGE, r,
           "retort_status");

    /* The right order, on the same handle. */
    expect("connect", retort_connect(r, url), RETORT_OK, r, NULL);
    expect("status with no place for it, connected", retort_status(r, NULL), RETORT_EUSAGE, r,
           "retort_status");
    expect("status", retort_status(r, &st), RETORT_OK, r, NULL);
    expect("two pending", st ? (int)st->pending_count : -1, 2, r, NULL);
    retort_status_free(st);
    expect("upgrade", retort_upgrade(r, "heads"), RETORT_OK, r, NULL);
    expect("status after", retort_status(r, &st), RETORT_OK, r, NULL);
    expect("none pending", st ? (int)st->pending_count : -1, 0, r, NULL);
    expect("at the head", st && st->current_count == 1 &&
                          !strcmp(st->current[0], "9e57b0000002"), 1, r, NULL);
    retort_status_free(st);
    retort_status_free(NULL);
    retort_free(r);
    retort_free(NULL);
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    return failures != 0;
}
