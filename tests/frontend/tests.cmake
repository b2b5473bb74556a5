# Front end: lexer, grammar, AST builders, source reading.
set(FE ${CMAKE_CURRENT_LIST_DIR})

add_executable(parse_dump ${FE}/parse_dump.c)
set_target_properties(parse_dump PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON)
target_link_libraries(parse_dump PRIVATE retortc retort_warnings)

# Golden tests: the dump of each file must match its .out exactly.
function(frontend_golden name)
    add_test(NAME frontend.golden.${name}
        COMMAND ${CMAKE_COMMAND} -DDUMP=$<TARGET_FILE:parse_dump>
            "-DARGS=${ARGN}" -DEXPECTED=${FE}/${name}.out
            -P ${FE}/golden.cmake)
endfunction()
frontend_golden(all ${FE}/all.rev)
frontend_golden(model --model ${FE}/model.model)
frontend_golden(dir --dir ${FE}/dir)

# Error tests: exact `file:line:col: error:` prefix and message.
function(frontend_error name expected)
    add_test(NAME frontend.error.${name}
        COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "${expected}" -- $<TARGET_FILE:parse_dump> ${ARGN})
endfunction()
set(E ${FE}/errors)
frontend_error(missing_semicolon
    "${E}/missing_semicolon.rev:6:5: error: expected ';' before 'drop_table'"
    ${E}/missing_semicolon.rev)
frontend_error(unterminated_string
    "${E}/unterminated_string.rev:3:9: error: unterminated string"
    ${E}/unterminated_string.rev)
frontend_error(unterminated_raw
    "${E}/unterminated_raw.rev:5:13: error: unterminated raw SQL ($$ ... $$)"
    ${E}/unterminated_raw.rev)
frontend_error(unterminated_tag
    "${E}/unterminated_tag.rev:5:13: error: unterminated raw SQL ($body$ ... $body$)"
    ${E}/unterminated_tag.rev)
frontend_error(unterminated_qid
    "${E}/unterminated_qid.rev:5:16: error: unterminated quoted identifier"
    ${E}/unterminated_qid.rev)
frontend_error(stray_char
    "${E}/stray_char.rev:5:22: error: unexpected character '@'"
    ${E}/stray_char.rev)
frontend_error(missing_revision
    "${E}/missing_revision.rev:1:1: error: missing 'revision' line"
    ${E}/missing_revision.rev)
frontend_error(missing_parent
    "${E}/missing_parent.rev:1:1: error: missing 'parent' line"
    ${E}/missing_parent.rev)
frontend_error(missing_upgrade
    "${E}/missing_upgrade.rev:3:1: error: missing 'upgrade' block"
    ${E}/missing_upgrade.rev)
frontend_error(long_id
    "${E}/long_id.rev:1:10: error: revision id 'abcdefghijabcdefghijabcdefghijabc' is longer than 32 characters"
    ${E}/long_id.rev)
frontend_error(bad_id
    "${E}/bad_id.rev:1:10: error: revision id 'abc-1' may hold only letters, digits and '_'"
    ${E}/bad_id.rev)
frontend_error(duplicate_header
    "${E}/duplicate_header.rev:3:1: error: 'parent' line given twice"
    ${E}/duplicate_header.rev)
frontend_error(bad_type_arg
    "${E}/bad_type_arg.rev:5:35: error: bad type argument 'abc' for varchar"
    ${E}/bad_type_arg.rev)
frontend_error(type_arg_count
    "${E}/type_arg_count.rev:5:24: error: numeric takes (p) or (p, s)"
    ${E}/type_arg_count.rev)
frontend_error(unknown_type
    "${E}/unknown_type.rev:5:24: error: unknown type 'strng'"
    ${E}/unknown_type.rev)
frontend_error(autoincrement
    "${E}/autoincrement.rev:5:30: error: autoincrement on column 'id', which is not an integer"
    ${E}/autoincrement.rev)
frontend_error(missing_brace
    "${E}/missing_brace.rev:7:1: error: expected '}' before 'downgrade'"
    ${E}/missing_brace.rev)
frontend_error(unknown_header
    "${E}/unknown_header.rev:2:1: error: unknown header line 'parnt'"
    ${E}/unknown_header.rev)
frontend_error(bad_option
    "${E}/bad_option.rev:5:22: error: 'concurrently' does not apply to drop_table"
    ${E}/bad_option.rev)
frontend_error(model_stmt
    "${E}/model_stmt.model:2:1: error: a model file holds only create_table, create_index, create_view, create_trigger, create_enum and comment statements, not drop_table"
    --model ${E}/model_stmt.model)

# Hostile input, generated at test time rather than committed: 100,000
# nested braces, `if` blocks and parentheses; a NUL byte.
add_test(NAME frontend.hostile
    COMMAND sh ${FE}/hostile.sh $<TARGET_FILE:parse_dump>
        ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh)
add_test(NAME frontend.big_files
    COMMAND sh ${FE}/big.sh $<TARGET_FILE:retort> ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh)

# ---- views and triggers (issue 12) ----
frontend_golden(objects ${FE}/objects.rev)
frontend_golden(pgobjects ${FE}/pgobjects.rev)
frontend_error(body_twice "${E}/body_twice.rev:4:42: error: the sqlite body is given twice"
    ${E}/body_twice.rev)
frontend_error(body_mixed
    "${E}/body_mixed.rev:4:35: error: a body for every dialect was given already; give one body, or one per dialect"
    ${E}/body_mixed.rev)
frontend_error(trigger_not_create
    "${E}/trigger_not_create.rev:4:28: error: create_trigger takes the whole CREATE TRIGGER statement"
    ${E}/trigger_not_create.rev)
frontend_error(drop_view_on "${E}/drop_view_on.rev:4:17: error: 'on' does not apply to drop_view"
    ${E}/drop_view_on.rev)
# create_sequence's options; options of other statements
frontend_error(seq_start_twice "${E}/seq_start_twice.rev:4:31: error: 'start' given twice"
    ${E}/seq_start_twice.rev)
frontend_error(start_not_seq
    "${E}/start_not_seq.rev:4:24: error: 'start' applies to create_sequence only"
    ${E}/start_not_seq.rev)
frontend_error(seq_zero
    "${E}/seq_zero.rev:4:33: error: a sequence's increment cannot be zero"
    ${E}/seq_zero.rev)
frontend_error(schema_unique
    "${E}/schema_unique.rev:4:21: error: 'unique' does not apply to create_schema"
    ${E}/schema_unique.rev)
