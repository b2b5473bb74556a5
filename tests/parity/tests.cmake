# Parity with Alembic (tests/parity/parity.sh): the history of
# bench/gen_history.py (40 revisions), upgraded by Alembic and by a migrator
# built in the test from the same history, leaves the same schema and
# alembic_version on SQLite and on PostgreSQL; and on SQLite each tool
# finishes what the other started half way.  Skipped (exit 77) without
# Debian's python3-alembic / python3-psycopg2.
find_program(PARITY_SQLITE3 sqlite3)
find_program(PARITY_PSQL psql)
find_program(PARITY_PYTHON3 python3)
# Where the `pg` fixture (tests/runtime/tests.cmake) keeps its cluster;
# that file may be included after this one.
if(NOT RETORT_PG_DIR)
    set(RETORT_PG_DIR ${CMAKE_BINARY_DIR}/pg-cluster)
endif()

set(PARITY_ARGS
    $<TARGET_FILE:retort> ${CMAKE_C_COMPILER} $<TARGET_FILE:retort_runtime>
    ${PROJECT_SOURCE_DIR}/runtime/include ${PROJECT_SOURCE_DIR}/bench/gen_history.py)

if(PARITY_SQLITE3 AND PARITY_PYTHON3)
    foreach(mode sqlite interop)
        add_test(NAME parity.${mode}
            COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/parity.sh ${mode}
                    ${CMAKE_CURRENT_BINARY_DIR}/parity_${mode} ${PARITY_ARGS})
        set_tests_properties(parity.${mode} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
    endforeach()
endif()
if(PARITY_PSQL AND PARITY_PYTHON3)
    add_test(NAME parity.postgresql
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/parity.sh postgresql
                ${CMAKE_CURRENT_BINARY_DIR}/parity_postgresql ${PARITY_ARGS} ${RETORT_PG_DIR})
    set_tests_properties(parity.postgresql PROPERTIES
        FIXTURES_REQUIRED pg SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()

# A runtime built with the sanitizers needs them in the migrator's link too.
if(RETORT_SANITIZE)
    foreach(t parity.sqlite parity.interop parity.postgresql)
        if(TEST ${t})
            set_tests_properties(${t} PROPERTIES
                ENVIRONMENT "MIGRATOR_CFLAGS=-fsanitize=address,undefined")
        endif()
    endforeach()
endif()
