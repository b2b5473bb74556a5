# PostgreSQL functions: create, replace, drop, derived downgrades.
retort_add_migrator(functions-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME functions.postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/functions.sh $<TARGET_FILE:functions-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/functions_postgresql ${RETORT_PG_DIR})
set_tests_properties(functions.postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME functions.golden
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/functions/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/history ${CMAKE_CURRENT_BINARY_DIR}/functions_golden
            ${CMAKE_CURRENT_LIST_DIR}/history.postgresql.sql)
