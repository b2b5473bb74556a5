# `verify`, the stairway test: the sample history passes, a planted
# non-inverse downgrade is caught at its step.
retort_add_migrator(verify-planted-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/planted)
if(TARGET shop-migrate)
    add_test(NAME verify.stairway_sqlite
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/verify.sh sqlite $<TARGET_FILE:shop-migrate>
                $<TARGET_FILE:verify-planted-migrate> ${CMAKE_CURRENT_BINARY_DIR}/verify_sqlite)
    add_test(NAME verify.stairway_postgresql
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/verify.sh postgresql $<TARGET_FILE:shop-migrate>
                $<TARGET_FILE:verify-planted-migrate> ${RETORT_PG_DIR}/verify_postgresql
                ${RETORT_PG_DIR})
    set_tests_properties(verify.stairway_postgresql PROPERTIES FIXTURES_REQUIRED pg)
endif()

# A difference in a table the walked revision's upgrade does not touch.
retort_add_migrator(verify-untouched-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/untouched)
add_test(NAME verify.untouched_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/untouched.sh sqlite
            $<TARGET_FILE:verify-untouched-migrate> ${CMAKE_CURRENT_BINARY_DIR}/untouched_sqlite)
add_test(NAME verify.untouched_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/untouched.sh postgresql
            $<TARGET_FILE:verify-untouched-migrate> ${RETORT_PG_DIR}/untouched_postgresql
            ${RETORT_PG_DIR})
set_tests_properties(verify.untouched_postgresql PROPERTIES FIXTURES_REQUIRED pg)
