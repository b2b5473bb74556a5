# The fuzz target, replayed over the saved corpus by ctest on every build
# (with ASan/UBSan when RETORT_SANITIZE is on).  With -DRETORT_FUZZ=ON and
# clang, fuzz_compile is also built as a libFuzzer binary:
#   build/fuzz_compile tests/fuzz/corpus -max_total_time=3600
set(fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
add_executable(fuzz_replay ${fuzz_dir}/fuzz_compile.c ${fuzz_dir}/replay_main.c)
set_target_properties(fuzz_replay PROPERTIES C_STANDARD 11)
target_compile_definitions(fuzz_replay PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(fuzz_replay PRIVATE retortc retort_warnings)
add_test(NAME fuzz.replay_corpus COMMAND fuzz_replay ${fuzz_dir}/corpus)

if(RETORT_FUZZ)
    add_executable(fuzz_compile ${fuzz_dir}/fuzz_compile.c)
    set_target_properties(fuzz_compile PROPERTIES C_STANDARD 11)
    target_link_options(fuzz_compile PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_compile PRIVATE retortc retort_warnings)
endif()

# The graph-shape target (fuzz_graph.c): its input bytes choose a history
# (branches, merges, labels, depends_on) rather than file text.  Replayed
# over its own corpus; with RETORT_FUZZ:
#   build/fuzz_graph tests/fuzz/graph_corpus -max_total_time=600
add_executable(fuzz_graph_replay ${fuzz_dir}/fuzz_graph.c ${fuzz_dir}/replay_main.c)
set_target_properties(fuzz_graph_replay PROPERTIES C_STANDARD 11)
target_compile_definitions(fuzz_graph_replay PRIVATE _POSIX_C_SOURCE=200809L _DEFAULT_SOURCE)
target_link_libraries(fuzz_graph_replay PRIVATE retortc retort_warnings)
add_test(NAME fuzz.replay_graph_corpus COMMAND fuzz_graph_replay ${fuzz_dir}/graph_corpus)

if(RETORT_FUZZ)
    add_executable(fuzz_graph ${fuzz_dir}/fuzz_graph.c)
    set_target_properties(fuzz_graph PROPERTIES C_STANDARD 11)
    target_link_options(fuzz_graph PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_graph PRIVATE retortc retort_warnings)
endif()
