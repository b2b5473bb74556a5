# Application code: `call NAME` runs the migrator's linked C functions
# (retort_add_migrator(... CALLBACKS)), end to end on both databases.
retort_add_migrator(call-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history
                    CALLBACKS ${CMAKE_CURRENT_LIST_DIR}/callbacks.c)
target_link_libraries(call-migrate PRIVATE retort_warnings)
add_test(NAME call.hash_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/call.sh sqlite $<TARGET_FILE:call-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/call_sqlite)
add_test(NAME call.hash_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/call.sh postgresql $<TARGET_FILE:call-migrate>
            ${RETORT_PG_DIR}/call_postgresql ${RETORT_PG_DIR})
set_tests_properties(call.hash_postgresql PROPERTIES FIXTURES_REQUIRED pg)
