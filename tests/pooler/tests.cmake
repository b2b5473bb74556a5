# Through a connection pooler and next to a replica (issue 17): PgBouncer
# in transaction pooling mode (tests/lib/pgbouncer.sh) and a streaming
# standby (tests/lib/pg_standby.sh), both in front of / beside the `pg`
# fixture's cluster and started by the tests themselves.
set(POOL_SRC ${CMAKE_CURRENT_LIST_DIR})
if(NOT RETORT_PG_DIR)
    set(RETORT_PG_DIR ${CMAKE_BINARY_DIR}/pg-cluster)
endif()
retort_add_migrator(pool_hist MIGRATIONS ${POOL_SRC}/history)

add_test(NAME pooler.concurrency_pgbouncer
    COMMAND sh ${POOL_SRC}/concurrency.sh $<TARGET_FILE:pool_hist>
            ${RETORT_PG_DIR}/pooler/concurrency ${RETORT_PG_DIR})
set_tests_properties(pooler.concurrency_pgbouncer PROPERTIES FIXTURES_REQUIRED pg)

add_test(NAME pooler.standby
    COMMAND sh ${POOL_SRC}/standby.sh $<TARGET_FILE:pool_hist>
            ${RETORT_PG_DIR}/pooler/standby ${RETORT_PG_DIR})
set_tests_properties(pooler.standby PROPERTIES FIXTURES_REQUIRED pg)
