# SQLite table rebuilds (SPEC section 4): what they keep, and the foreign
# key check online and in offline scripts.
retort_add_migrator(rebuild-keep-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/keep)
add_test(NAME rebuild.keeps_objects_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/keep.sh $<TARGET_FILE:rebuild-keep-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_keep)
