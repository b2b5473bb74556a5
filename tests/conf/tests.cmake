# retort.conf (SPEC section 7): a PostgreSQL-only history and its version
# table; the migrator refuses other databases.
retort_add_migrator(conf-pgonly-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/pgonly)
add_test(NAME conf.postgresql_only
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/conf.sh $<TARGET_FILE:conf-pgonly-migrate>
            $<TARGET_FILE:retort> ${CMAKE_CURRENT_LIST_DIR}/pgonly
            ${RETORT_PG_DIR}/conf_postgresql ${RETORT_PG_DIR})
set_tests_properties(conf.postgresql_only PROPERTIES FIXTURES_REQUIRED pg)
