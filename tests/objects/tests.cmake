# Schema objects beyond tables (issue 12): views and triggers, end to end
# on both databases.
retort_add_migrator(objects-views-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/views)
add_test(NAME objects.views_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/views.sh $<TARGET_FILE:objects-views-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_views_sqlite)
add_test(NAME objects.views_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/views.sh $<TARGET_FILE:objects-views-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_views_postgresql ${RETORT_PG_DIR})
set_tests_properties(objects.views_postgresql PROPERTIES FIXTURES_REQUIRED pg)
# Golden SQL of both dialects and the --model text (regenerate with the
# commands in golden.sh after a deliberate change).
add_test(NAME objects.views_golden
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/views ${CMAKE_CURRENT_BINARY_DIR}/objects_views_golden
            ${CMAKE_CURRENT_LIST_DIR}/views)
# schema --model, check --model and revision --autogenerate.
add_test(NAME objects.views_model
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/model.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/views ${CMAKE_CURRENT_BINARY_DIR}/objects_views_model)
# A merge joins the views and triggers of both branches.
add_test(NAME objects.views_merge
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/merge.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/merge)

# Comments (issue 12, item 2).
retort_add_migrator(objects-comments-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/comments)
add_test(NAME objects.comments_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/comments.sh $<TARGET_FILE:objects-comments-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_comments_sqlite)
add_test(NAME objects.comments_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/comments.sh $<TARGET_FILE:objects-comments-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_comments_postgresql ${RETORT_PG_DIR})
set_tests_properties(objects.comments_postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME objects.comments_golden
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/comments ${CMAKE_CURRENT_BINARY_DIR}/objects_comments_golden
            ${CMAKE_CURRENT_LIST_DIR}/comments)
add_test(NAME objects.comments_model
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/comments_model.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/comments ${CMAKE_CURRENT_BINARY_DIR}/objects_comments_model)

# Enums (issue 12, item 3).
retort_add_migrator(objects-enums-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/enums)
add_test(NAME objects.enums_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/enums.sh $<TARGET_FILE:objects-enums-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_enums_sqlite)
add_test(NAME objects.enums_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/enums.sh $<TARGET_FILE:objects-enums-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_enums_postgresql ${RETORT_PG_DIR})
set_tests_properties(objects.enums_postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME objects.enums_golden
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/enums ${CMAKE_CURRENT_BINARY_DIR}/objects_enums_golden
            ${CMAKE_CURRENT_LIST_DIR}/enums)
add_test(NAME objects.enums_model
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/enums_model.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/enums ${CMAKE_CURRENT_BINARY_DIR}/objects_enums_model)

# PostgreSQL objects (extensions, schemas, sequences) and renames of
# constraints, indexes and enum types (issue 12, item 6).
retort_add_migrator(objects-pgobj-migrate MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/pgobj)
add_test(NAME objects.pgobj_sqlite
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pgobj.sh $<TARGET_FILE:objects-pgobj-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_pgobj_sqlite)
add_test(NAME objects.pgobj_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pgobj.sh $<TARGET_FILE:objects-pgobj-migrate>
            ${CMAKE_CURRENT_BINARY_DIR}/objects_pgobj_postgresql ${RETORT_PG_DIR})
set_tests_properties(objects.pgobj_postgresql PROPERTIES FIXTURES_REQUIRED pg)
add_test(NAME objects.pgobj_golden
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/golden.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/pgobj ${CMAKE_CURRENT_BINARY_DIR}/objects_pgobj_golden
            ${CMAKE_CURRENT_LIST_DIR}/pgobj)
