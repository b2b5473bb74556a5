# The installed package, used by a user's project as SPEC section 5 shows.
add_test(NAME package.find_package_migrator
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/package.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/package ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")
