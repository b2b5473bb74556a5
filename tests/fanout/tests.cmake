# Fan-out (SPEC section 6): one command on many databases (--url repeated,
# --urls-from, --jobs, --fail-fast, --json), and schema-per-tenant on
# PostgreSQL (the URL's options=-csearch_path).  The history in hist/ has a
# data statement, so the tests can count that it ran once per database.
retort_add_migrator(fanout_migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/hist)
add_test(NAME fanout_many
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/many.sh $<TARGET_FILE:fanout_migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/fanout_many ${RETORT_PG_DIR})
set_tests_properties(fanout_many PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME fanout_options
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/options.sh $<TARGET_FILE:fanout_migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/fanout_options)
add_test(NAME fanout_tenants_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/tenants.sh $<TARGET_FILE:fanout_migrate>
            $<TARGET_FILE:runtime_lock> ${CMAKE_CURRENT_BINARY_DIR}/fanout_tenants
            ${RETORT_PG_DIR})
set_tests_properties(fanout_tenants_postgresql PROPERTIES FIXTURES_REQUIRED pg)
