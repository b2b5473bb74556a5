# The installed package, used by a user's project as SPEC section 5 shows.
add_test(NAME package.find_package_migrator
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/package.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/package ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")

# Deleting, renaming or adding a .rev file regenerates migrations.c, with
# both generators retort_add_migrator() is used with (scripts/install-deps.sh
# installs ninja-build).
foreach(gen "Unix Makefiles" "Ninja")
    string(REGEX REPLACE "[^A-Za-z]" "_" tag "${gen}")
    add_test(NAME package.rebuild_on_change.${tag}
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/rebuild.sh ${CMAKE_BINARY_DIR}
                ${CMAKE_BINARY_DIR}/tests/package_rebuild_${tag}
                ${CMAKE_C_COMPILER} ${gen}
                "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")
endforeach()

# retort.pc used by a plain Makefile project.
add_test(NAME package.pkgconfig_makefile
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/pkgconfig.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/package_pkgconfig ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")

# The Debian package made by cpack, unpacked and used by a CMake project.
add_test(NAME package.debian
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/deb.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/package_deb ${CMAKE_C_COMPILER}
            "$<$<BOOL:${RETORT_SANITIZE}>:-fsanitize=address,undefined>")
set_tests_properties(package.debian PROPERTIES SKIP_RETURN_CODE 77)

# A C++-only project (project(x CXX)) uses the package.  Not in the
# sanitizer build: its runtime is clang's ASan, which the C++ compiler
# found here (g++) must not be asked to link; the strict build runs it.
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER AND NOT RETORT_SANITIZE)
    add_test(NAME package.cxx_project
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cxx.sh ${CMAKE_BINARY_DIR}
                ${CMAKE_BINARY_DIR}/tests/package_cxx ${CMAKE_CXX_COMPILER})
endif()

# The man pages made from docs/man/*.md at build time, installed, rendered
# without warnings, and naming every command and option of both --helps.
add_test(NAME package.man
    COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/man.sh ${CMAKE_BINARY_DIR}
            ${CMAKE_BINARY_DIR}/tests/package_man $<TARGET_FILE:retort>
            $<TARGET_FILE:shop-migrate>)

# Embedding from the installed package: a C++-only project links
# retort_add_migrator(... LIBRARY) libraries (with a C++ `call` function,
# and STATIC) into applications that migrate themselves.  Not in the
# sanitizer build, for the same reason as package.cxx_project.
if(CMAKE_CXX_COMPILER AND NOT RETORT_SANITIZE)
    add_test(NAME package.cxx_library
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/cxxlib.sh ${CMAKE_BINARY_DIR}
                ${CMAKE_BINARY_DIR}/tests/package_cxxlib ${CMAKE_CXX_COMPILER})
endif()

# LIBRARY with a NAME whose function would take the runtime's names.
add_test(NAME package.library_reserved_name
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "retort_demo_history would take the runtime's names"
            -- ${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR}/reserved
               -B ${CMAKE_BINARY_DIR}/tests/package_reserved
               -DRETORT_MIGRATOR_CMAKE=${PROJECT_SOURCE_DIR}/cmake/RetortMigrator.cmake)
