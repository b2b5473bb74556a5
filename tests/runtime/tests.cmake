# The runtime's tests: a hand-written history (hist.c) driven by shell
# scripts against real SQLite files and a throwaway PostgreSQL cluster.
#
# The `pg` fixture (tests/lib/pg_cluster.sh) is for every area: add
#   set_tests_properties(T PROPERTIES FIXTURES_REQUIRED pg)
# and read the URL from ${RETORT_PG_DIR}/url (see pg_cluster.sh).
set(RETORT_PG_DIR ${CMAKE_BINARY_DIR}/pg-cluster)

add_test(NAME pg_cluster_start
    COMMAND sh ${CMAKE_SOURCE_DIR}/tests/lib/pg_cluster.sh start ${RETORT_PG_DIR})
set_tests_properties(pg_cluster_start PROPERTIES FIXTURES_SETUP pg)
add_test(NAME pg_cluster_stop
    COMMAND sh ${CMAKE_SOURCE_DIR}/tests/lib/pg_cluster.sh stop ${RETORT_PG_DIR})
set_tests_properties(pg_cluster_stop PROPERTIES FIXTURES_CLEANUP pg)

add_executable(runtime_hist ${CMAKE_CURRENT_LIST_DIR}/hist.c)
target_link_libraries(runtime_hist PRIVATE retort_runtime retort_warnings)

add_test(NAME runtime_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/sqlite.sh $<TARGET_FILE:runtime_hist>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_sqlite)
add_test(NAME runtime_cli
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cli.sh $<TARGET_FILE:runtime_hist>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_cli)
add_test(NAME runtime_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/postgresql.sh $<TARGET_FILE:runtime_hist>
            ${RETORT_PG_DIR})
set_tests_properties(runtime_postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME runtime_version_table_names
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/vtnames.sh $<TARGET_FILE:runtime_hist>
            ${RETORT_PG_DIR})
set_tests_properties(runtime_version_table_names PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME runtime_url_redaction
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/redact.sh $<TARGET_FILE:runtime_hist>
            ${RETORT_PG_DIR})
set_tests_properties(runtime_url_redaction PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME runtime_sqlite_readonly
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/readonly.sh $<TARGET_FILE:runtime_hist>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_sqlite_readonly)
add_test(NAME runtime_errors_by_code_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/errcodes.sh $<TARGET_FILE:runtime_hist>
            ${RETORT_PG_DIR})
set_tests_properties(runtime_errors_by_code_postgresql PROPERTIES FIXTURES_REQUIRED pg)

# --lock-timeout with two migrators at once (tests/runtime/lock: a slow
# middle revision holds the migration lock).
retort_add_migrator(runtime_lock MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/lock)
add_test(NAME runtime_lock_timeout_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/locktimeout.sh sqlite $<TARGET_FILE:runtime_lock>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_lock_timeout_sqlite)
add_test(NAME runtime_lock_timeout_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/locktimeout.sh postgresql $<TARGET_FILE:runtime_lock>
            ${RETORT_PG_DIR}/runtime_lock_timeout ${RETORT_PG_DIR})
set_tests_properties(runtime_lock_timeout_postgresql PROPERTIES FIXTURES_REQUIRED pg)

# check waiting for the migration lock while the migrator holding it
# builds an index concurrently: neither may be killed as a deadlock.
retort_add_migrator(runtime_checklock MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/checklock)
add_test(NAME runtime_check_lock_concurrently_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/checklock.sh $<TARGET_FILE:runtime_checklock>
            ${RETORT_PG_DIR})
set_tests_properties(runtime_check_lock_concurrently_postgresql PROPERTIES FIXTURES_REQUIRED pg)

# status, and --json on current, heads, history and status.
add_test(NAME runtime_status_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/status.sh $<TARGET_FILE:runtime_hist>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_status_sqlite)
add_test(NAME runtime_status_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/status.sh $<TARGET_FILE:runtime_hist>
            ${RETORT_PG_DIR}/runtime_status ${RETORT_PG_DIR})
set_tests_properties(runtime_status_postgresql PROPERTIES FIXTURES_REQUIRED pg)

# SQLAlchemy driver suffixes in URLs, and -v naming the URL's source.
retort_add_migrator(runtime_urls MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/lock
    DEFAULT_URL sqlite:///urls_default.db)
add_test(NAME runtime_urls_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/urls.sh $<TARGET_FILE:runtime_urls>
            ${CMAKE_CURRENT_BINARY_DIR}/runtime_urls_sqlite)
add_test(NAME runtime_urls_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/urls.sh $<TARGET_FILE:runtime_urls>
            ${RETORT_PG_DIR}/runtime_urls ${RETORT_PG_DIR})
set_tests_properties(runtime_urls_postgresql PROPERTIES FIXTURES_REQUIRED pg)
