# `retort import` (tests/import/import.sh) on tests/import/shop, an Alembic
# project written for these tests: the import passes `retort check`, the
# migrator built from it matches Alembic on SQLite and PostgreSQL and takes
# over a database Alembic left half way; bad input fails with one line.
# Skipped (exit 77) without Debian's python3-alembic / python3-psycopg2.
find_program(IMPORT_SQLITE3 sqlite3)
find_program(IMPORT_PSQL psql)
if(NOT RETORT_PG_DIR)
    set(RETORT_PG_DIR ${CMAKE_BINARY_DIR}/pg-cluster)
endif()
set(IMPORT_ARGS $<TARGET_FILE:retort> ${CMAKE_C_COMPILER} $<TARGET_FILE:retort_runtime>
    ${PROJECT_SOURCE_DIR}/runtime/include)

if(IMPORT_SQLITE3)
    foreach(mode sqlite errors)
        add_test(NAME import.${mode}
            COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/import.sh ${mode}
                    ${CMAKE_CURRENT_BINARY_DIR}/import_${mode} ${IMPORT_ARGS})
        set_tests_properties(import.${mode} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
    endforeach()
endif()
if(IMPORT_PSQL)
    foreach(mode postgresql pgonly)
        add_test(NAME import.${mode}
            COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/import.sh ${mode}
                    ${CMAKE_CURRENT_BINARY_DIR}/import_${mode} ${IMPORT_ARGS} ${RETORT_PG_DIR})
        # One at a time: import.postgresql checks that no scratch database
        # (retort_import_*) is left on the cluster, which the other's
        # running import would have.
        set_tests_properties(import.${mode} PROPERTIES
            FIXTURES_REQUIRED pg SKIP_RETURN_CODE 77 TIMEOUT 300
            RESOURCE_LOCK import_scratch_pg)
    endforeach()
endif()

if(RETORT_SANITIZE)
    foreach(t import.sqlite import.postgresql import.pgonly)
        if(TEST ${t})
            set_tests_properties(${t} PROPERTIES
                ENVIRONMENT "MIGRATOR_CFLAGS=-fsanitize=address,undefined")
        endif()
    endforeach()
endif()
