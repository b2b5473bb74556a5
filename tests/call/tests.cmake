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

# A history that calls a function the application does not provide fails
# to link (naming it) in a user's project on the installed package, and
# links with CALLBACKS.
add_test(NAME call.link_missing_function
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/link.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/call_link ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")
