# A revision in one round trip on PostgreSQL (runtime/src/pipeline.c):
# the behaviour is what running the statements one by one gave
# (behaviour.sh), and the round trips are counted, not timed (trips.py,
# a counting proxy between the migrator and the `pg` fixture's cluster).
retort_add_migrator(pipeline_hist MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/hist)
retort_add_migrator(pipeline_syntax MIGRATIONS ${CMAKE_CURRENT_LIST_DIR}/syntax)
add_test(NAME pipeline.behaviour_postgresql
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/behaviour.sh $<TARGET_FILE:pipeline_hist>
            $<TARGET_FILE:pipeline_syntax> ${RETORT_PG_DIR})
set_tests_properties(pipeline.behaviour_postgresql PROPERTIES FIXTURES_REQUIRED pg)

# A linear history of 30 plain revisions (k01..k30: a table, a column on
# the previous table, an index), written at configure time; a file is
# rewritten only when its text changes, so a reconfigure rebuilds nothing.
set(pl_trips ${CMAKE_CURRENT_BINARY_DIR}/pipeline/trips)
foreach(i RANGE 1 30)
    math(EXPR p "${i} - 1")
    string(LENGTH "${i}" len)
    set(id "k${i}")
    set(pid "k${p}")
    if(len EQUAL 1)
        set(id "k0${i}")
    endif()
    string(LENGTH "${p}" plen)
    if(plen EQUAL 1)
        set(pid "k0${p}")
    endif()
    set(body "revision ${id}\n")
    if(i EQUAL 1)
        string(APPEND body "parent none\n")
    else()
        string(APPEND body "parent ${pid}\n")
    endif()
    string(APPEND body "message 'table ${i}'\n\nupgrade {\n"
        "    create_table kt${i} (id integer primary key, name varchar(40) not null);\n")
    if(i GREATER 1)
        string(APPEND body "    add_column kt${p} extra integer;\n")
    endif()
    string(APPEND body "    create_index ix_kt${i}_name on kt${i} (name);\n}\n")
    set(f ${pl_trips}/20250301_${id}.rev)
    set(old "")
    if(EXISTS ${f})
        file(READ ${f} old)
    endif()
    if(NOT old STREQUAL body)
        file(WRITE ${f} "${body}")
    endif()
endforeach()
retort_add_migrator(pipeline_trips MIGRATIONS ${pl_trips})
add_test(NAME pipeline.round_trips_postgresql
    COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/trips.py $<TARGET_FILE:pipeline_trips>
            ${RETORT_PG_DIR})
set_tests_properties(pipeline.round_trips_postgresql PROPERTIES FIXTURES_REQUIRED pg)
