# Constraints created without a name (SPEC section 2), end to end.
retort_add_migrator(unnamed-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME unnamed.constraints_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/unnamed.sh sqlite $<TARGET_FILE:unnamed-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/unnamed_sqlite)
add_test(NAME unnamed.constraints_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/unnamed.sh postgresql $<TARGET_FILE:unnamed-migrate>
            ${RETORT_PG_DIR}/unnamed_postgresql ${RETORT_PG_DIR})
set_tests_properties(unnamed.constraints_postgresql PROPERTIES FIXTURES_REQUIRED pg)
