# The documentation stays true: links stay inside the repository, revision
# examples pass `retort check`, and the commands named exist.
add_test(NAME docs.examples
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/docs_check.py ${PROJECT_SOURCE_DIR}
            $<TARGET_FILE:retort>)
