# Deferrable foreign keys (deferrable.sh) end to end on both databases.
retort_add_migrator(deferrable-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
find_program(DEFERRABLE_SQLITE3 sqlite3)
set(DEFERRABLE_ENV RETORT=$<TARGET_FILE:retort> SRC=${CMAKE_CURRENT_LIST_DIR})
if(DEFERRABLE_SQLITE3)
    add_test(NAME deferrable.sqlite
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/deferrable.sh sqlite
                $<TARGET_FILE:deferrable-migrate> ${CMAKE_CURRENT_BINARY_DIR}/deferrable_sqlite)
    set_tests_properties(deferrable.sqlite PROPERTIES ENVIRONMENT "${DEFERRABLE_ENV}")
endif()
add_test(NAME deferrable.postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/deferrable.sh postgresql
            $<TARGET_FILE:deferrable-migrate> ${RETORT_PG_DIR}/deferrable_postgresql
            ${RETORT_PG_DIR})
set_tests_properties(deferrable.postgresql PROPERTIES FIXTURES_REQUIRED pg
                     ENVIRONMENT "${DEFERRABLE_ENV}")
