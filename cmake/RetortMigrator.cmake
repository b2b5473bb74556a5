# retort_add_migrator(NAME MIGRATIONS DIR [DEFAULT_URL URL] [STATIC])
#
# Compiles the .rev files under DIR into ${NAME}_migrations.c in the build
# tree (regenerated whenever a .rev file is added, removed or changed) and
# links the migrator executable NAME against the retort runtime.
#
# Used both inside retort's own build and, through the installed package
# (find_package(retort)), by applications.
function(retort_add_migrator name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "STATIC" "MIGRATIONS;DEFAULT_URL" "")
    if(NOT ARG_MIGRATIONS)
        message(FATAL_ERROR "retort_add_migrator(${name}): MIGRATIONS DIR is required")
    endif()
    get_filename_component(dir "${ARG_MIGRATIONS}" ABSOLUTE)
    file(GLOB_RECURSE revs CONFIGURE_DEPENDS "${dir}/*.rev")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}_migrations.c")
    set(url_args "")
    if(ARG_DEFAULT_URL)
        set(url_args --default-url "${ARG_DEFAULT_URL}")
    endif()
    add_custom_command(
        OUTPUT "${out}"
        COMMAND retort::retort compile "${dir}" -o "${out}" --name "${name}" ${url_args}
        DEPENDS ${revs} retort::retort
        COMMENT "retort compile ${dir}"
        VERBATIM)
    add_executable(${name} "${out}")
    set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    target_link_libraries(${name} PRIVATE retort::runtime)
endfunction()
