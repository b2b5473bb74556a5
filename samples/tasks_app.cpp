// tasks_app.cpp: a C++ application that migrates its own database at
// start-up (SPEC section 6, embedding), through the runtime's C API.
//
//     tasks-app [URL]          URL: else $DATABASE_URL
//
// It links the library that retort_add_migrator(tasks MIGRATIONS
// tasks LIBRARY) builds (samples/CMakeLists.txt); tasks_history.h declares
// tasks_history() with C linkage.  The runtime handle lives in a
// std::unique_ptr, failures become exceptions.  After migrating, the
// application adds a task with a tag through SQLite's or libpq's own API
// and counts both tables.
//
// Output, one fact a line (tests/samples/embed.sh reads it):
//     current: 7a5c00000001            (or "(base)")
//     pending: 7a5c00000002            (or "(none)")
//     upgraded to: 7a5c00000002        (or "already at head")
//     tasks: 3, tags: 3
// Failures: one line on stderr, exit 1; usage: exit 2.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "tasks_history.h"

namespace {

struct retort_closer {
    void operator()(retort *r) const { retort_free(r); }
};
struct status_closer {
    void operator()(retort_status_info *s) const { retort_status_free(s); }
};
using retort_ptr = std::unique_ptr<retort, retort_closer>;
using status_ptr = std::unique_ptr<retort_status_info, status_closer>;

std::string join(const char *const *ids, unsigned n, const char *empty)
{
    std::string s;
    for (unsigned i = 0; i < n; i++)
        s += std::string(i ? " " : "") + ids[i];
    return n ? s : empty;
}

// The database's current and pending revisions, as the runtime says.
status_ptr status(retort *r)
{
    retort_status_info *s = nullptr;
    if (retort_status(r, &s) < 0)
        throw std::runtime_error(retort_errmsg(r));
    return status_ptr(s);
}

// Brings the database at `url` to head; the handle (and its connection)
// is gone before the application connects itself.
void migrate(const std::string &url)
{
    retort_options opts{};
    opts.log = stderr;             // "Running upgrade ..." lines
    opts.lock_timeout_ms = 60000;  // another instance migrating: wait a minute
    retort *raw = nullptr;
    int rc = retort_new(&raw, tasks_history(), &opts);
    retort_ptr r(raw);
    if (!r)
        throw std::runtime_error("out of memory");
    if (rc < 0 || retort_connect(r.get(), url.c_str()) < 0)
        throw std::runtime_error(retort_errmsg(r.get()));
    status_ptr st = status(r.get());
    std::printf("current: %s\n", join(st->current, st->current_count, "(base)").c_str());
    std::printf("pending: %s\n", join(st->pending, st->pending_count, "(none)").c_str());
    if (!st->pending_count) {
        std::puts("already at head");
        return;
    }
    if (retort_upgrade(r.get(), "heads") < 0)
        throw std::runtime_error(retort_errmsg(r.get()));
    st = status(r.get());
    std::printf("upgraded to: %s\n", join(st->current, st->current_count, "(base)").c_str());
}

// The application's own statements; $1 is a parameter on both databases.
const char *const add_task = "INSERT INTO tasks (title) VALUES ($1)";
const char *const tag_task =
    "INSERT INTO task_tags (task_id, tag) SELECT max(id), 'boot' FROM tasks";
const char *const counts =
    "SELECT (SELECT count(*) FROM tasks), (SELECT count(*) FROM task_tags)";

void work_sqlite(const std::string &path, const std::string &title)
{
    sqlite3 *raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(raw, sqlite3_close);
    auto fail = [&]() { throw std::runtime_error(db ? sqlite3_errmsg(db.get()) : "out of memory"); };
    if (rc != SQLITE_OK)
        fail();
    auto run = [&](const char *sql, const char *param, bool row) {
        sqlite3_stmt *st = nullptr;
        if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK)
            fail();
        std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> owned(st, sqlite3_finalize);
        if (param && sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT) != SQLITE_OK)
            fail();
        if (sqlite3_step(st) != (row ? SQLITE_ROW : SQLITE_DONE))
            fail();
        if (row)
            std::printf("tasks: %d, tags: %d\n", sqlite3_column_int(st, 0),
                        sqlite3_column_int(st, 1));
    };
    run(add_task, title.c_str(), false);
    run(tag_task, nullptr, false);
    run(counts, nullptr, true);
}

void work_postgresql(std::string url, const std::string &title)
{
    // libpq takes the URL once an SQLAlchemy driver suffix is cut out.
    std::string::size_type plus = url.find('+'), rest = url.find("://");
    if (plus != std::string::npos && rest != std::string::npos && plus < rest)
        url.erase(plus, rest - plus);
    std::unique_ptr<PGconn, void (*)(PGconn *)> c(PQconnectdb(url.c_str()), PQfinish);
    auto fail = [&]() {
        std::string m = PQerrorMessage(c.get());
        if (!m.empty() && m.back() == '\n')
            m.pop_back();
        throw std::runtime_error(m);
    };
    if (PQstatus(c.get()) != CONNECTION_OK)
        fail();
    auto run = [&](const char *sql, const char *param, ExecStatusType want) {
        std::unique_ptr<PGresult, void (*)(PGresult *)> res(
            PQexecParams(c.get(), sql, param ? 1 : 0, nullptr, &param, nullptr, nullptr, 0),
            PQclear);
        if (PQresultStatus(res.get()) != want)
            fail();
        if (want == PGRES_TUPLES_OK)
            std::printf("tasks: %s, tags: %s\n", PQgetvalue(res.get(), 0, 0),
                        PQgetvalue(res.get(), 0, 1));
    };
    run(add_task, title.c_str(), PGRES_COMMAND_OK);
    run(tag_task, nullptr, PGRES_COMMAND_OK);
    run(counts, nullptr, PGRES_TUPLES_OK);
}

} // namespace

int main(int argc, char **argv)
{
    const char *env = std::getenv("DATABASE_URL");
    std::string url = argc > 1 ? argv[1] : env ? env : "";
    if (argc > 2 || url.empty()) {
        std::fputs("usage: tasks-app [URL] (URL: else $DATABASE_URL)\n", stderr);
        return 2;
    }
    try {
        migrate(url);
        // The runtime accepted the URL, so it is one of its forms:
        // sqlite:///rel.db -> rel.db, sqlite:////abs.db -> /abs.db.
        if (url.compare(0, 6, "sqlite") == 0) {
            std::string path = url.substr(url.find("://") + 3);
            work_sqlite(path[0] == '/' ? path.substr(1) : path, "check the backups");
        } else {
            work_postgresql(url, "check the backups");
        }
    } catch (const std::exception &e) {
        std::fprintf(stderr, "tasks: %s\n", e.what());
        return 1;
    }
    return 0;
}
