# Default constraint names, derived downgrades, conditional blocks and
# drops that a foreign key forbids (docs/downgrades-and-constraints.md).
# Each history is compiled into a real migrator and run on SQLite files
# and on the `pg` fixture's PostgreSQL.
set(down_dir ${CMAKE_CURRENT_LIST_DIR})

find_program(SQLITE3_CLI sqlite3)
if(SQLITE3_CLI)
    retort_add_migrator(down_names MIGRATIONS ${down_dir}/names)
    add_test(NAME downgrades.default_names
        COMMAND sh ${down_dir}/names.sh $<TARGET_FILE:down_names> ${SQLITE3_CLI}
                ${CMAKE_CURRENT_BINARY_DIR}/down_names_work ${RETORT_PG_DIR})
    set_tests_properties(downgrades.default_names PROPERTIES FIXTURES_REQUIRED pg)
endif()

# Derived downgrades of conditional blocks: an MLflow-style root that
# creates its tables only where missing, on SQLite and PostgreSQL.
if(SQLITE3_CLI)
    retort_add_migrator(down_cond MIGRATIONS ${down_dir}/cond)
    add_test(NAME downgrades.cond_sqlite
        COMMAND sh ${down_dir}/cond.sh $<TARGET_FILE:down_cond> sqlite
                ${CMAKE_CURRENT_BINARY_DIR}/down_cond_sqlite ${SQLITE3_CLI})
    add_test(NAME downgrades.cond_postgresql
        COMMAND sh ${down_dir}/cond.sh $<TARGET_FILE:down_cond> postgresql
                ${CMAKE_CURRENT_BINARY_DIR}/down_cond_postgresql ${RETORT_PG_DIR})
    set_tests_properties(downgrades.cond_postgresql PROPERTIES FIXTURES_REQUIRED pg)
endif()
