# The installed package: bin/retort, the runtime library and headers, and
# lib/cmake/retort/ with retortConfig.cmake exporting retort::retort and
# retort::runtime, retort::runtime_sqlite (for STATIC migrators) plus
# retort_add_migrator().
include(CMakePackageConfigHelpers)

install(TARGETS retort EXPORT retortTargets RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS retort_runtime retort_runtime_sqlite EXPORT retortTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY runtime/include/retort DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(cmakedir ${CMAKE_INSTALL_LIBDIR}/cmake/retort)
install(EXPORT retortTargets NAMESPACE retort:: DESTINATION ${cmakedir})
configure_package_config_file(cmake/retortConfig.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/retortConfig.cmake INSTALL_DESTINATION ${cmakedir})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/retortConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES
    ${CMAKE_CURRENT_BINARY_DIR}/retortConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/retortConfigVersion.cmake
    cmake/RetortMigrator.cmake
    DESTINATION ${cmakedir})

# retort.pc, for projects built without CMake:
#   retort compile migrations -o migrations.c
#   cc migrations.c $(pkg-config --cflags --libs retort) -o app-migrate
set(CMAKE_DL_LIBS_FLAG "")
if(CMAKE_DL_LIBS)
    set(CMAKE_DL_LIBS_FLAG "-l${CMAKE_DL_LIBS}")
endif()
file(RELATIVE_PATH RETORT_PC_TO_PREFIX "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" RETORT_PC_TO_PREFIX "${RETORT_PC_TO_PREFIX}")
configure_file(cmake/retort.pc.in ${CMAKE_CURRENT_BINARY_DIR}/retort.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/retort.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Shell completion for retort.
install(FILES completions/retort.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME retort)
install(FILES completions/_retort DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)

# `retort import` (compiler/commands.c) execs the Python importer: the one
# installed under share/retort/importer (found relative to bin/retort), else
# the source tree's, for a build tree.
install(DIRECTORY importer/ DESTINATION ${CMAKE_INSTALL_DATADIR}/retort/importer
    FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
file(RELATIVE_PATH retort_importer_rel ${CMAKE_INSTALL_FULL_BINDIR}
    ${CMAKE_INSTALL_FULL_DATADIR}/retort/importer/retort_import.py)
target_compile_definitions(retortc PRIVATE
    RETORT_IMPORTER_SOURCE="${PROJECT_SOURCE_DIR}/importer/retort_import.py"
    RETORT_IMPORTER_INSTALLED="${retort_importer_rel}")

# Man pages, made at build time from docs/man/*.md (cmake/md2man.py), so
# that the pages and the docs cannot disagree.  Python is needed only for
# this; without it the pages are left out, and said so.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
    set(retort_man_pages "")
    foreach(page retort.1 retort-migrator.1)
        set(out ${CMAKE_BINARY_DIR}/man/${page})
        add_custom_command(OUTPUT ${out}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
            COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/cmake/md2man.py
                    ${PROJECT_SOURCE_DIR}/docs/man/${page}.md ${out} ${PROJECT_VERSION}
            DEPENDS ${PROJECT_SOURCE_DIR}/cmake/md2man.py
                    ${PROJECT_SOURCE_DIR}/docs/man/${page}.md
            COMMENT "Writing the man page ${page}")
        list(APPEND retort_man_pages ${out})
    endforeach()
    add_custom_target(retort_man ALL DEPENDS ${retort_man_pages})
    install(FILES ${retort_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
    message(STATUS "retort: no Python 3 found; the man pages are not built")
endif()
