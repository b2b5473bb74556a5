# retort_add_migrator(NAME MIGRATIONS DIR [DEFAULT_URL URL] [STATIC]
#                     [LIBRARY] [CALLBACKS file.c ...])
#
# Compiles the .rev files under DIR into ${NAME}_migrations.c in the build
# tree (regenerated whenever a .rev file or retort.conf is added, removed
# or changed) and
# links the migrator executable NAME against the retort runtime.
#
# LIBRARY: a static library NAME instead of the executable, for an
# application that migrates itself at start-up (SPEC section 6).  It
# exports `const retort_history *PREFIX_history(void)`, PREFIX being NAME
# made a C identifier (string(MAKE_C_IDENTIFIER): notes-db gives
# notes_db_history), declared in the generated header PREFIX_history.h, and
# carries the runtime in its link interface:
#     target_link_libraries(app PRIVATE NAME)
# gives the application the header, <retort/retort.h> and the runtime.
# With STATIC, the library carries the SQLite-only runtime and
# libsqlite3.a instead (PostgreSQL URLs refused); linking the application
# -static is left to it.
#
# STATIC: a fully static executable for SQLite only (no shared library at
# all, `ldd` says "not a dynamic executable"), linked against
# retort::runtime_sqlite and the static libsqlite3.a (libsqlite3-dev).  It
# answers a postgresql:// URL with "this migrator was built without
# PostgreSQL support".  Not with AddressSanitizer, whose runtime is a
# shared library.
#
# CALLBACKS: the application's sources that define the functions `call
# NAME` statements run, `int NAME(retort_call *ctx)` (<retort/retort.h>),
# compiled into the migrator.  migrations.c declares every function the
# history calls, so one that no CALLBACKS source defines is a link error
# naming it, at build time.
#
# Used both inside retort's own build and, through the installed package
# (find_package(retort)), by applications.
function(retort_add_migrator name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "STATIC;LIBRARY" "MIGRATIONS;DEFAULT_URL" "CALLBACKS")
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "retort_add_migrator(${name}): unknown arguments "
                            "${ARG_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT ARG_MIGRATIONS)
        message(FATAL_ERROR "retort_add_migrator(${name}): MIGRATIONS DIR is required")
    endif()
    get_filename_component(dir "${ARG_MIGRATIONS}" ABSOLUTE)
    # Rebuild on change.  An edited file is newer than migrations.c, so
    # depending on each file catches edits; a deleted or renamed file, or
    # one added with an old modification time (cp -p, git checkout, a
    # restored backup), makes nothing newer.  CONFIGURE_DEPENDS makes every
    # build (Make and Ninja) re-run the glob and re-configure when the set
    # of names changed; the list of names is then written to
    # ${name}_revs.txt, touched only when its content differs, and
    # migrations.c depends on that list too.
    file(GLOB_RECURSE revs CONFIGURE_DEPENDS LIST_DIRECTORIES false
         RELATIVE "${dir}" "${dir}/*.rev")
    # retort.conf (the targeted databases, the version table) counts too.
    file(GLOB conf CONFIGURE_DEPENDS LIST_DIRECTORIES false
         RELATIVE "${dir}" "${dir}/retort.conf")
    list(APPEND revs ${conf})
    list(SORT revs)
    string(REPLACE ";" "\n" names "${revs}")
    set(list_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_revs.txt")
    file(WRITE "${list_file}.new" "${names}\n")
    # COPYONLY: no @VAR@ substitution in file names; the copy happens only
    # when the content differs, so an unchanged list keeps its time stamp.
    configure_file("${list_file}.new" "${list_file}" COPYONLY)
    list(TRANSFORM revs PREPEND "${dir}/")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}_migrations.c")
    set(url_args "")
    if(ARG_DEFAULT_URL)
        set(url_args --default-url "${ARG_DEFAULT_URL}")
    endif()
    set(outputs "${out}")
    set(library_args "")
    if(ARG_LIBRARY)
        string(MAKE_C_IDENTIFIER "${name}" prefix)
        if(prefix MATCHES "^(retort$|retort_|rt_)")
            message(FATAL_ERROR "retort_add_migrator(${name} ... LIBRARY): the function "
                "${prefix}_history would take the runtime's names (retort, retort_*, rt_*); "
                "choose another NAME")
        endif()
        set(include_dir "${CMAKE_CURRENT_BINARY_DIR}/${name}_include")
        set(header "${include_dir}/${prefix}_history.h")
        file(MAKE_DIRECTORY "${include_dir}")
        list(APPEND outputs "${header}")
        set(library_args --library "${prefix}" --header "${header}")
    endif()
    add_custom_command(
        OUTPUT ${outputs}
        COMMAND retort::retort compile "${dir}" -o "${out}" --name "${name}"
                ${url_args} ${library_args}
        DEPENDS ${revs} "${list_file}" retort::retort
        COMMENT "retort compile ${dir}"
        VERBATIM)
    if(ARG_LIBRARY)
        # The header is a source too, so the library's target generates it
        # and the application's objects wait for it.
        add_library(${name} STATIC ${outputs} ${ARG_CALLBACKS})
        target_include_directories(${name} PUBLIC "$<BUILD_INTERFACE:${include_dir}>")
        set(scope PUBLIC)
    else()
        add_executable(${name} "${out}" ${ARG_CALLBACKS})
        set(scope PRIVATE)
    endif()
    set_target_properties(${name} PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON)
    if(NOT ARG_STATIC)
        target_link_libraries(${name} ${scope} retort::runtime)
        return()
    endif()
    # SQLite::SQLite3 names the shared library, which -static cannot link.
    find_library(RETORT_SQLITE3_STATIC NAMES libsqlite3.a
        DOC "static SQLite for retort_add_migrator(... STATIC)")
    if(NOT RETORT_SQLITE3_STATIC)
        message(FATAL_ERROR "retort_add_migrator(${name} ... STATIC) needs the "
                            "static SQLite library libsqlite3.a (libsqlite3-dev)")
    endif()
    set(THREADS_PREFER_PTHREAD_FLAG ON)
    find_package(Threads REQUIRED)
    # libsqlite3.a calls into libm, pthreads and dlopen (its extension
    # loader, never used by the migrator).
    target_link_libraries(${name} ${scope} retort::runtime_sqlite
        "${RETORT_SQLITE3_STATIC}" m Threads::Threads ${CMAKE_DL_LIBS})
    if(NOT ARG_LIBRARY)
        target_link_options(${name} PRIVATE -static)
    endif()
endfunction()
