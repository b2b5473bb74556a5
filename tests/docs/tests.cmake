# The documentation stays true: links stay inside the repository, revision
# examples pass `retort check`, and the commands named exist.
add_test(NAME docs.examples
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/docs_check.py ${PROJECT_SOURCE_DIR}
            $<TARGET_FILE:retort>)

# docs/tutorial.md is a transcript: every command in it is run again on the
# installed package and must print what the page shows.
add_test(NAME docs.tutorial
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/tutorial.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/docs_tutorial ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")
