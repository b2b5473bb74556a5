# The compiler's command line: --version, COMMAND --help, did-you-mean,
# usage errors.
add_test(NAME cli.compiler
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cli.sh $<TARGET_FILE:retort> ${PROJECT_VERSION})
add_test(NAME cli.bash_completion
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/completion.sh
            ${PROJECT_SOURCE_DIR}/completions/retort.bash $<TARGET_FILE:retort>)
# history --graph: the drawing read back into edges on random histories,
# and -i on it through a migrator.
add_test(NAME cli.history_graph
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/history_graph.py
            $<TARGET_FILE:retort> $<TARGET_FILE:shop-migrate>)
