# The authoring commands: revision, merge, schema --model, check --model and
# revision --autogenerate (run.sh, one case per test, each on a copy of a
# history in the build tree), and unparse/diff unit tests (unit.c).
set(AUTHORING_DIR ${CMAKE_CURRENT_LIST_DIR})
set(AUTHORING_WORK ${CMAKE_CURRENT_BINARY_DIR}/authoring)

add_executable(authoring_unit ${AUTHORING_DIR}/unit.c)
set_target_properties(authoring_unit PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_definitions(authoring_unit PRIVATE _POSIX_C_SOURCE=200809L)
target_link_libraries(authoring_unit PRIVATE retortc retort_warnings)
add_test(NAME authoring.unit COMMAND authoring_unit)

foreach(case revision two_heads branch merge rev_id schema_model check_model rename_hint)
    add_test(NAME authoring.${case}
        COMMAND sh ${AUTHORING_DIR}/run.sh ${case} $<TARGET_FILE:retort>
                ${AUTHORING_WORK}/${case})
endforeach()

# The same round trip on the sample application's richer history.
add_test(NAME authoring.schema_model_shop
    COMMAND sh ${AUTHORING_DIR}/run.sh schema_model $<TARGET_FILE:retort>
            ${AUTHORING_WORK}/schema_model_shop ${PROJECT_SOURCE_DIR}/samples/shop)

# Autogenerate end to end: the new history is compiled and linked against
# the runtime at test time, as an application's build would do it.
find_program(AUTHORING_SQLITE3 sqlite3)
set(AUTHORING_CC_FLAGS "")
if(RETORT_SANITIZE)
    set(AUTHORING_CC_FLAGS -fsanitize=address,undefined)
endif()
# libpq is not linked: the runtime dlopen()s it (CMAKE_DL_LIBS: "dl" or empty).
set(AUTHORING_DL_FLAGS "")
if(CMAKE_DL_LIBS)
    set(AUTHORING_DL_FLAGS -l${CMAKE_DL_LIBS})
endif()
if(AUTHORING_SQLITE3)
    add_test(NAME authoring.autogenerate
        COMMAND sh ${AUTHORING_DIR}/run.sh autogenerate $<TARGET_FILE:retort>
                ${AUTHORING_WORK}/autogenerate ${CMAKE_C_COMPILER}
                ${PROJECT_SOURCE_DIR}/runtime/include
                ${AUTHORING_CC_FLAGS} $<TARGET_FILE:retort_runtime>
                ${SQLite3_LIBRARIES} ${AUTHORING_DL_FLAGS})
    # The generated revision must also bring PostgreSQL to the model.
    set_tests_properties(authoring.autogenerate PROPERTIES
        FIXTURES_REQUIRED pg ENVIRONMENT "AUTHORING_PG_DIR=${RETORT_PG_DIR}")
endif()
