# Checked data statements end to end on both databases.
retort_add_migrator(data-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME data.statements_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/data.sh sqlite $<TARGET_FILE:data-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/data_sqlite)
add_test(NAME data.statements_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/data.sh postgresql $<TARGET_FILE:data-migrate>
            ${RETORT_PG_DIR}/data_postgresql ${RETORT_PG_DIR})
set_tests_properties(data.statements_postgresql PROPERTIES FIXTURES_REQUIRED pg)
