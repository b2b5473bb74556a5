# A revision's session settings: lock_timeout and statement_timeout.
retort_add_migrator(settings-timeouts-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/timeouts)
add_test(NAME settings.timeouts_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/timeouts.sh $<TARGET_FILE:settings-timeouts-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/settings_timeouts_sqlite)
add_test(NAME settings.timeouts_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/timeouts.sh $<TARGET_FILE:settings-timeouts-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/settings_timeouts_postgresql ${RETORT_PG_DIR})
set_tests_properties(settings.timeouts_postgresql PROPERTIES FIXTURES_REQUIRED pg)
# Golden SQL of both dialects (tests/objects/golden.sh).
add_test(NAME settings.timeouts_golden
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/objects/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/timeouts ${CMAKE_CURRENT_BINARY_DIR}/settings_timeouts_golden
            ${CMAKE_CURRENT_LIST_DIR}/timeouts)

# lock_table: the locks are held, in the mode written.
retort_add_migrator(settings-locks-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/locks)
add_test(NAME settings.locks_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/locks.sh $<TARGET_FILE:settings-locks-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/settings_locks_sqlite)
add_test(NAME settings.locks_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/locks.sh $<TARGET_FILE:settings-locks-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/settings_locks_postgresql ${RETORT_PG_DIR})
set_tests_properties(settings.locks_postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME settings.locks_golden
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/objects/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/locks ${CMAKE_CURRENT_BINARY_DIR}/settings_locks_golden
            ${CMAKE_CURRENT_LIST_DIR}/locks)
