# The portable types (SPEC section 3) on both databases.
retort_add_migrator(types-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME types.portable_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/types.sh sqlite $<TARGET_FILE:types-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/types_sqlite)
add_test(NAME types.portable_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/types.sh postgresql $<TARGET_FILE:types-migrate>
            ${RETORT_PG_DIR}/types_postgresql ${RETORT_PG_DIR})
set_tests_properties(types.portable_postgresql PROPERTIES FIXTURES_REQUIRED pg)
