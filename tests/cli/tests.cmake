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
# compile --library/--header: migrations.c without main() for embedding
# (SPEC section 6), its header from C and C++.
include(CheckLanguage)
check_language(CXX)
set(cli_cxx "")
if(CMAKE_CXX_COMPILER AND NOT RETORT_SANITIZE)
    set(cli_cxx ${CMAKE_CXX_COMPILER})
endif()
add_test(NAME cli.compile_library
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/library.sh $<TARGET_FILE:retort>
            ${CMAKE_C_COMPILER} ${CMAKE_CURRENT_BINARY_DIR}/cli_library ${cli_cxx})
