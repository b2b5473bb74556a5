// main.cpp: a C++ application migrating itself through the library that
// retort_add_migrator(... LIBRARY) builds: the pending revisions before,
// the current ones after.  HISTORY_FN names the library's function.
#include <cstdio>

#include HISTORY_HEADER

int main(int argc, char **argv)
{
    if (argc != 2) {
        std::fputs("usage: app URL\n", stderr);
        return 2;
    }
    retort *r = nullptr;
    retort_status_info *st = nullptr;
    int rc = retort_new(&r, HISTORY_FN(), nullptr);
    if (rc == 0)
        rc = retort_connect(r, argv[1]);
    if (rc == 0)
        rc = retort_status(r, &st);
    if (rc == 0) {
        std::printf("pending:");
        for (unsigned i = 0; i < st->pending_count; i++)
            std::printf(" %s", st->pending[i]);
        std::printf("\n");
        retort_status_free(st);
        st = nullptr;
        rc = retort_upgrade(r, "heads");
    }
    if (rc == 0)
        rc = retort_status(r, &st);
    if (rc == 0) {
        std::printf("current:");
        for (unsigned i = 0; i < st->current_count; i++)
            std::printf(" %s", st->current[i]);
        std::printf("\n");
    }
    if (rc < 0)
        std::fprintf(stderr, "app: %s\n", r ? retort_errmsg(r) : "out of memory");
    retort_status_free(st);
    retort_free(r);
    return rc < 0;
}
