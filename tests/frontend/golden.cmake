# cmake -DDUMP=parse_dump -DARGS=... -DEXPECTED=file.out -P golden.cmake
# Runs the dump and fails unless it succeeds with exactly EXPECTED.
execute_process(COMMAND ${DUMP} ${ARGS} RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "parse_dump ${ARGS} failed (${rc}):\n${err}")
endif()
file(READ ${EXPECTED} want)
if(NOT out STREQUAL want)
    message(FATAL_ERROR "dump differs from ${EXPECTED}; got:\n${out}")
endif()
