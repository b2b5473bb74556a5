# retort lint: each rule positive (a table that existed before the
# revision) and negative (the same statement on a table the revision
# created, or a form that rewrites nothing), silencing comments, the
# merge hazards, --strict, --json, and the merge warnings of `retort check`.
set(lint_dir ${CMAKE_CURRENT_LIST_DIR})
add_test(NAME lint.rules
    COMMAND sh ${lint_dir}/run.sh 0 rules.out -- $<TARGET_FILE:retort> lint rules)
add_test(NAME lint.rules_strict
    COMMAND sh ${lint_dir}/run.sh 1 rules.out -- $<TARGET_FILE:retort> lint rules --strict)
add_test(NAME lint.merges
    COMMAND sh ${lint_dir}/run.sh 0 merges.out -- $<TARGET_FILE:retort> lint merges)
add_test(NAME lint.json
    COMMAND python3 ${lint_dir}/json_check.py $<TARGET_FILE:retort>
    WORKING_DIRECTORY ${lint_dir})
# `retort check` passes a history with merge hazards, and warns of each.
add_test(NAME lint.check_warns
    COMMAND sh -c "$0 check merges 2>&1 >/dev/null | grep -c 'warning: \\[merge-conflict\\]' | grep -qx 4"
            $<TARGET_FILE:retort>
    WORKING_DIRECTORY ${lint_dir})
# A history with no hazard: --strict passes and prints nothing.
add_test(NAME lint.strict_clean
    COMMAND sh ${lint_dir}/run.sh 0 empty.out -- $<TARGET_FILE:retort> lint clean --strict)
