# SQLite table rebuilds (SPEC section 4): what they keep, and the foreign
# key check online and in offline scripts.
retort_add_migrator(rebuild-keep-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/keep)
add_test(NAME rebuild.keeps_objects_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/keep.sh $<TARGET_FILE:rebuild-keep-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_keep)

retort_add_migrator(rebuild-fkcheck-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/fkcheck)
add_test(NAME rebuild.fk_check_offline_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/fkcheck.sh $<TARGET_FILE:rebuild-fkcheck-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_fkcheck)

retort_add_migrator(rebuild-refk-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/refk)
add_test(NAME rebuild.replace_unnamed_fk_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/refk.sh $<TARGET_FILE:rebuild-refk-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_refk_sqlite)
add_test(NAME rebuild.replace_unnamed_fk_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/refk.sh $<TARGET_FILE:rebuild-refk-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_refk_postgresql ${RETORT_PG_DIR})
set_tests_properties(rebuild.replace_unnamed_fk_postgresql PROPERTIES FIXTURES_REQUIRED pg)

add_executable(rebuild_names_probe ${CMAKE_CURRENT_LIST_DIR}/names_probe.c)
target_include_directories(rebuild_names_probe PRIVATE ${CMAKE_SOURCE_DIR}/runtime/src)
target_link_libraries(rebuild_names_probe PRIVATE retort_runtime retort_warnings)
add_test(NAME rebuild.sqlite_default_names_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/names.sh $<TARGET_FILE:rebuild_names_probe>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_names ${RETORT_PG_DIR})
set_tests_properties(rebuild.sqlite_default_names_postgresql PROPERTIES FIXTURES_REQUIRED pg)

retort_add_migrator(rebuild-renamed-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/renamed)
add_test(NAME rebuild.names_after_renames_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/renamed.sh $<TARGET_FILE:rebuild-renamed-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_renamed_sqlite)
add_test(NAME rebuild.names_after_renames_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/renamed.sh $<TARGET_FILE:rebuild-renamed-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/rebuild_renamed_postgresql ${RETORT_PG_DIR})
set_tests_properties(rebuild.names_after_renames_postgresql PROPERTIES FIXTURES_REQUIRED pg)
