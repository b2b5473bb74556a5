# Fresh databases through the history's snapshot (runtime/src/fresh.c):
# equiv.py compares, on SQLite and PostgreSQL, an empty database upgraded
# through the snapshot with one upgraded statement by statement
# (RETORT_REPLAY=1), for every history under samples/ and tests/ and for
# random histories (gen_random.py).  schema_equiv.py compares the same
# replayed upgrade with `retort schema` loaded into an empty database.
# The histories are compiled and linked against the runtime at test time,
# as an application's build does.
set(FRESH_DIR ${CMAKE_CURRENT_LIST_DIR})
set(FRESH_WORK ${CMAKE_CURRENT_BINARY_DIR}/fresh)
find_program(FRESH_PYTHON3 python3)
set(FRESH_CC_FLAGS "")
if(RETORT_SANITIZE)
    set(FRESH_CC_FLAGS -fsanitize=address,undefined)
endif()
set(FRESH_DL_FLAGS "")
if(CMAKE_DL_LIBS)
    set(FRESH_DL_FLAGS -l${CMAKE_DL_LIBS})
endif()
if(FRESH_PYTHON3)
    foreach(dialect sqlite postgresql)
        set(pg "")
        if(dialect STREQUAL "postgresql")
            set(pg --pgdir ${CMAKE_BINARY_DIR}/pg-cluster)
        endif()
        add_test(NAME fresh.equivalence_${dialect}
            COMMAND ${FRESH_PYTHON3} ${FRESH_DIR}/equiv.py --dialect ${dialect} ${pg}
                    --retort $<TARGET_FILE:retort> --work ${FRESH_WORK}/histories_${dialect}
                    --source-root ${PROJECT_SOURCE_DIR}
                    --histories ${PROJECT_SOURCE_DIR}/samples ${PROJECT_SOURCE_DIR}/tests
                    -- ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR}/runtime/include
                    ${FRESH_CC_FLAGS} $<TARGET_FILE:retort_runtime>
                    ${SQLite3_LIBRARIES} ${FRESH_DL_FLAGS} -lpthread)
        # Every revision on SQLite; each history's heads on PostgreSQL,
        # where a target costs a round of server work (schema_equiv.py).
        set(schema_targets "")
        if(dialect STREQUAL "postgresql")
            set(schema_targets --heads-only)
        endif()
        add_test(NAME fresh.schema_${dialect}
            COMMAND ${FRESH_PYTHON3} ${FRESH_DIR}/schema_equiv.py --dialect ${dialect} ${pg} ${schema_targets}
                    --retort $<TARGET_FILE:retort> --work ${FRESH_WORK}/schema_${dialect}
                    --source-root ${PROJECT_SOURCE_DIR}
                    --histories ${PROJECT_SOURCE_DIR}/samples ${PROJECT_SOURCE_DIR}/tests
                    -- ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR}/runtime/include
                    ${FRESH_CC_FLAGS} $<TARGET_FILE:retort_runtime>
                    ${SQLite3_LIBRARIES} ${FRESH_DL_FLAGS} -lpthread)
        add_test(NAME fresh.random_${dialect}
            COMMAND ${FRESH_PYTHON3} ${FRESH_DIR}/equiv.py --dialect ${dialect} ${pg}
                    --retort $<TARGET_FILE:retort> --work ${FRESH_WORK}/random_${dialect}
                    --random 12 --seed 1
                    -- ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR}/runtime/include
                    ${FRESH_CC_FLAGS} $<TARGET_FILE:retort_runtime>
                    ${SQLite3_LIBRARIES} ${FRESH_DL_FLAGS} -lpthread)
    endforeach()
    set_tests_properties(fresh.equivalence_postgresql fresh.random_postgresql
        fresh.schema_postgresql PROPERTIES FIXTURES_REQUIRED pg)
    set_tests_properties(fresh.equivalence_sqlite fresh.equivalence_postgresql
        fresh.schema_sqlite fresh.schema_postgresql
        fresh.random_sqlite fresh.random_postgresql PROPERTIES TIMEOUT 3000)
endif()
