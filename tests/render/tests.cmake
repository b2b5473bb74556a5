# Renderer, plan and emitter: unit tests on hand-built trees, the SQLite
# rebuild run by the sqlite3 CLI, and the emitted C compiled -pedantic.
add_executable(render_test ${CMAKE_CURRENT_LIST_DIR}/render_test.c)
set_target_properties(render_test PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_definitions(render_test PRIVATE _POSIX_C_SOURCE=200809L)
target_include_directories(render_test PRIVATE ${PROJECT_SOURCE_DIR}/common)
target_link_libraries(render_test PRIVATE retortc retort_warnings)

add_test(NAME render.unit COMMAND render_test unit)

find_program(SQLITE3_CLI sqlite3)
if(SQLITE3_CLI)
    add_test(NAME render.sqlite_rebuild
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/rebuild.sh $<TARGET_FILE:render_test>
                ${SQLITE3_CLI} ${CMAKE_CURRENT_BINARY_DIR}/render_rebuild
                ${CMAKE_CURRENT_LIST_DIR}/rebuild.expected)
endif()

add_test(NAME render.emit_pedantic
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/emit.sh $<TARGET_FILE:render_test>
            ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR}/runtime/include
            ${CMAKE_CURRENT_BINARY_DIR}/render_emit)

# Strings around the rows of migrations.c's string pool, through a real
# migrator: it must print what the compiler's plan holds (pool.sh).
set(RENDER_POOL_REVS ${CMAKE_CURRENT_BINARY_DIR}/render_pool_revs)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_LIST_DIR}/pool.sh)
execute_process(COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pool.sh gen ${RENDER_POOL_REVS}
                RESULT_VARIABLE render_pool_rc)
if(render_pool_rc)
    message(FATAL_ERROR "tests/render/pool.sh gen failed")
endif()
retort_add_migrator(render_pool MIGRATIONS ${RENDER_POOL_REVS})
add_test(NAME render.string_pool
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pool.sh check $<TARGET_FILE:retort>
            $<TARGET_FILE:render_pool> ${CMAKE_C_COMPILER}
            ${PROJECT_SOURCE_DIR}/runtime/include ${RENDER_POOL_REVS}
            ${CMAKE_CURRENT_BINARY_DIR}/render_pool_work)

# The emitted file linked with the runtime: a real migrator, run on SQLite.
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/render_small_migrations.c
    COMMAND render_test emit > ${CMAKE_CURRENT_BINARY_DIR}/render_small_migrations.c
    DEPENDS render_test VERBATIM)
add_executable(render_migrator ${CMAKE_CURRENT_BINARY_DIR}/render_small_migrations.c)
set_target_properties(render_migrator PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_link_libraries(render_migrator PRIVATE retort_runtime)
if(SQLITE3_CLI)
    add_test(NAME render.migrator_sqlite
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/migrator.sh $<TARGET_FILE:render_migrator>
                ${SQLITE3_CLI} ${CMAKE_CURRENT_BINARY_DIR}/render_migrator_work)
endif()

# Revision files through the whole compiler (parser, sema, plan, emit).
if(SQLITE3_CLI)
    add_test(NAME render.revs
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/revs.sh $<TARGET_FILE:retort>
                ${SQLITE3_CLI} ${CMAKE_C_COMPILER} ${PROJECT_SOURCE_DIR}/runtime/include
                ${CMAKE_CURRENT_LIST_DIR} ${CMAKE_CURRENT_BINARY_DIR}/render_revs)
endif()

add_test(NAME render.checksums_survive_new_keywords
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/later_keywords.sh $<TARGET_FILE:retort>
            ${CMAKE_CURRENT_LIST_DIR}/later_keywords ${CMAKE_CURRENT_BINARY_DIR}/later_keywords)
