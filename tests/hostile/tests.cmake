# Hostile identifiers and strings, end to end on both databases.
retort_add_migrator(hostile-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME hostile.names_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/hostile.sh $<TARGET_FILE:hostile-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/hostile_sqlite)
add_test(NAME hostile.names_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/hostile.sh $<TARGET_FILE:hostile-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/hostile_postgresql ${RETORT_PG_DIR})
set_tests_properties(hostile.names_postgresql PROPERTIES FIXTURES_REQUIRED pg)
