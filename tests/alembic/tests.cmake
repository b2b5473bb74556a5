# The revision graph against Alembic's: hand-made histories through the
# compiler's graph commands, and (alembic.diff.*) the differential test
# that runs Debian's Alembic 1.8 and a migrator side by side on generated
# histories (tests/alembic/diff.py).
set(alembic_dir ${CMAKE_CURRENT_LIST_DIR})

# A depends_on that names a revision without children (two roots, b1
# depends on a1) once crashed every command that read the graph.  Each
# command must succeed; both roots are heads, as `alembic heads` says (a1 an
# effective one: b1 depends on it); the head schema is b1's (it dropped
# a1's table after a1 ran).
foreach(cmd check heads history branches compile schema)
    set(extra)
    if(cmd STREQUAL "compile")
        set(extra -o ${CMAKE_CURRENT_BINARY_DIR}/depends_childless.c)
    endif()
    add_test(NAME alembic.depends_childless.${cmd}
        COMMAND retort ${cmd} ${alembic_dir}/depends_childless ${extra})
endforeach()
set_tests_properties(alembic.depends_childless.heads PROPERTIES
    PASS_REGULAR_EXPRESSION "^a1 \\(effective head\\)\nb1 \\(head\\)\n$")
set_tests_properties(alembic.depends_childless.schema PROPERTIES
    PASS_REGULAR_EXPRESSION "CREATE TABLE tb1"
    FAIL_REGULAR_EXPRESSION "CREATE TABLE ta1")

# The differential test: the hand-made histories of issue 9 with the
# commands of each point of the issue (CASE_MOVES, CASE_RANGES in diff.py)
# and a few random histories from fixed seeds, each target form sampled
# (--targets); a longer run: tests/alembic/diff_long.sh BUILD SEED COUNT.  Skipped
# (exit 77) without Debian's python3-alembic.
if(EXISTS /usr/bin/python3)
    set(alembic_diff /usr/bin/python3 ${alembic_dir}/diff.py
        --retort $<TARGET_FILE:retort> --cc ${CMAKE_C_COMPILER}
        --lib $<TARGET_FILE:retort_runtime> --inc ${PROJECT_SOURCE_DIR}/runtime/include)
    # Under the sanitizers every migrator is built and run instrumented,
    # several times slower: the same cases and seed, fewer target forms
    # sampled, so that the pass stays well inside its time.
    if(RETORT_SANITIZE)
        set(cases_targets 8)
        set(seeds_args --seed 7 --count 2 --targets 10)
    else()
        set(cases_targets 20)
        set(seeds_args --seed 7 --count 3 --targets 25)
    endif()
    add_test(NAME alembic.diff.cases COMMAND ${alembic_diff}
        --work ${CMAKE_CURRENT_BINARY_DIR}/alembic_cases --cases --targets ${cases_targets})
    add_test(NAME alembic.diff.seeds COMMAND ${alembic_diff}
        --work ${CMAKE_CURRENT_BINARY_DIR}/alembic_seeds ${seeds_args})
    set_tests_properties(alembic.diff.cases alembic.diff.seeds PROPERTIES
        SKIP_RETURN_CODE 77 TIMEOUT 1200)
    if(RETORT_SANITIZE)
        set_tests_properties(alembic.diff.cases alembic.diff.seeds PROPERTIES
            ENVIRONMENT "MIGRATOR_CFLAGS=-fsanitize=address,undefined")
    endif()
endif()
