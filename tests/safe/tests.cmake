# The safe forms of lint's hints (`not valid`, validate_constraint,
# `using index`), end to end on both databases.
retort_add_migrator(safe-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/history)
add_test(NAME safe.forms_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/safe.sh sqlite $<TARGET_FILE:safe-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/safe_sqlite)
add_test(NAME safe.forms_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/safe.sh postgresql $<TARGET_FILE:safe-migrate>
            ${RETORT_PG_DIR}/safe_postgresql ${RETORT_PG_DIR})
set_tests_properties(safe.forms_postgresql PROPERTIES FIXTURES_REQUIRED pg)
# Written in the safe forms, the history is clean under lint --strict.
add_test(NAME safe.lint_clean
    COMMAND $<TARGET_FILE:retort> lint ${CMAKE_CURRENT_LIST_DIR}/history --strict)
