# A fully static SQLite-only migrator (issue 3): samples/shop built with
# retort_add_migrator(... STATIC), checked for having no dynamic part at
# all, walked to head and back to base on SQLite, and refusing a
# postgresql:// URL with one line and exit 1.
#
# Not in the sanitizer or fuzzing builds: AddressSanitizer's runtime is a
# shared library (-fsanitize=address cannot be linked with -static), so
# there the migrator is not even built.
find_program(STATIC_SQLITE3 sqlite3)
if(NOT RETORT_SANITIZE AND NOT RETORT_FUZZ AND STATIC_SQLITE3)
    retort_add_migrator(shop-static MIGRATIONS ${PROJECT_SOURCE_DIR}/samples/shop STATIC)
    add_test(NAME static.shop_sqlite
        COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/static.sh $<TARGET_FILE:shop-static>
                ${CMAKE_CURRENT_BINARY_DIR}/static_shop 358af917e1b3)
endif()
