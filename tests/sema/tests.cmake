# sema, graph and schema: unit tests on hand-built trees, and error-class
# tests on directories of revision files through `retort check`.
add_executable(sema_unit ${CMAKE_CURRENT_LIST_DIR}/unit.c)
set_target_properties(sema_unit PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_link_libraries(sema_unit PRIVATE retortc retort_warnings)
add_test(NAME sema.unit COMMAND sema_unit)

# One directory per error class: `retort check DIR` must fail with exactly
# this "file:line:col: error: message" (run from this directory, so the
# paths in messages are DIR/file.rev).
set(sema_dir ${CMAKE_CURRENT_LIST_DIR})
function(sema_expect_fail name expected)
    add_test(NAME sema.${name}
        COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh "${expected}"
                -- $<TARGET_FILE:retort> check ${name}
        WORKING_DIRECTORY ${sema_dir})
endfunction()

sema_expect_fail(dup_id "dup_id/b.rev:1:10: error: duplicate revision id 'aaa'")
add_test(NAME sema.dup_id_note
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "dup_id/a.rev:1:10: note: 'aaa' is first defined in dup_id/a.rev"
            -- $<TARGET_FILE:retort> check dup_id
    WORKING_DIRECTORY ${sema_dir})
sema_expect_fail(unknown_parent
    "unknown_parent/b.rev:2:8: error: parent 'zzz' names no revision or branch label")
sema_expect_fail(unknown_depends
    "unknown_depends/b.rev:3:12: error: depends_on 'nowhere' names no revision or branch label")
sema_expect_fail(cycle "cycle/x.rev:1:10: error: cycle: x -> y -> z -> x")
sema_expect_fail(unknown_table "unknown_table/a.rev:5:16: error: unknown table 'userz'")
sema_expect_fail(unknown_column
    "unknown_column/b.rev:4:23: error: unknown column 'emial' in table 'users'")
sema_expect_fail(index_missing_column
    "index_missing_column/a.rev:5:49: error: unknown column 'name' in table 'users'")
sema_expect_fail(dup_table "dup_table/b.rev:4:18: error: table 'users' already exists")
sema_expect_fail(irreversible
    "irreversible/a.rev:5:5: error: irreversible statement 'execute' in an upgrade without a downgrade block")
sema_expect_fail(merge_conflict
    "merge_conflict/d.rev:1:10: error: table 'audit' is created on two branches (in left and right)")

# A valid history: a branch, a merge, conditionals, derived downgrades.
add_test(NAME sema.valid COMMAND retort check valid WORKING_DIRECTORY ${sema_dir})
sema_expect_fail(concurrently_in_txn
    "concurrently_in_txn/a.rev:5:5: error: 'concurrently' cannot run inside a transaction; add 'transaction none' to the revision's header")
# Default constraint names (SPEC section 2): users_email_key exists, the
# UNIQUE repeating the primary key does not (PostgreSQL merges it).
sema_expect_fail(default_name_merged
    "default_name_merged/a.rev:9:21: error: unknown constraint 'users_id_key' on table 'users'")
# A drop that a foreign key of another table forbids (SPEC section 4),
# as PostgreSQL refuses it; in a written downgrade too.
sema_expect_fail(fk_drop_table
    "fk_drop_table/b.rev:6:16: error: cannot drop table 'teams': foreign key 'users_team_id_fkey' of table 'users' references it")
sema_expect_fail(fk_drop_column
    "fk_drop_column/b.rev:6:23: error: cannot drop column 'id' of table 'teams': foreign key 'users_team_id_fkey' of table 'users' references it")
sema_expect_fail(fk_drop_key
    "fk_drop_key/b.rev:6:21: error: cannot drop constraint 'teams_code_key' on table 'teams': foreign key 'users_team_code_fkey' of table 'users' references it")
add_test(NAME sema.fk_drop_index
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "fk_drop_key/b.rev:7:16: error: cannot drop index 'ux_plain_id': foreign key 'fk_users_plain' of table 'users' references it"
            -- $<TARGET_FILE:retort> check fk_drop_key
    WORKING_DIRECTORY ${sema_dir})
sema_expect_fail(fk_drop_downgrade
    "fk_drop_downgrade/b.rev:10:16: error: cannot drop table 'teams': foreign key 'members_team_id_fkey' of table 'members' references it")
add_test(NAME sema.fk_drop_ok COMMAND retort check fk_drop_ok WORKING_DIRECTORY ${sema_dir})
# `retort schema --dialect D` follows D's side of `if dialect` (issue 11).
add_test(NAME sema.dialect_schema
    COMMAND sh ${sema_dir}/dialect_schema.sh $<TARGET_FILE:retort> ${sema_dir}/dialect_schema)
add_test(NAME sema.table_order
    COMMAND sh ${sema_dir}/table_order.sh $<TARGET_FILE:retort> ${sema_dir}/table_order)
# The safe forms (docs/lint.md): what PostgreSQL would refuse, refused here.
sema_expect_fail(using_index_not_unique
    "using_index_not_unique/a.rev:7:57: error: index 'ix_t_code' is not unique: a unique constraint can take only a unique index on plain columns")
sema_expect_fail(validate_unique
    "validate_unique/a.rev:7:25: error: constraint 'uq_t_code' is a unique constraint: only check constraints and foreign keys are validated")
sema_expect_fail(validate_unknown
    "validate_unknown/a.rev:6:25: error: unknown constraint 'ck_nothing' on table 't'")
# Checked data statements: the table and every column named, at that point.
sema_expect_fail(data_unknown_column
    "data_unknown_column/a.rev:6:22: error: unknown column 'emial' in table 'users'")
sema_expect_fail(data_not_null
    "data_not_null/a.rev:6:30: error: column 'email' of table 'users' is not null")
sema_expect_fail(data_irreversible
    "data_irreversible/a.rev:6:5: error: irreversible statement 'delete' in an upgrade without a downgrade block")

# ---- views and triggers (issue 12) ----
sema_expect_fail(view_reads_drop
    "view_reads_drop/a.rev:7:16: error: cannot drop table 'items': view 'v_stock' reads it; drop the view first (and create it again after)")
sema_expect_fail(view_unknown "view_unknown/a.rev:6:15: error: unknown view 'v_itemz'")
sema_expect_fail(view_dup "view_dup/a.rev:7:17: error: view 'v_items' already exists")
sema_expect_fail(view_not_query
    "view_not_query/a.rev:6:28: error: create_view takes the view's query ($$select ...$$), not a CREATE VIEW statement")
sema_expect_fail(view_one_dialect
    "view_one_dialect/a.rev:6:28: error: create_view has no sqlite body")
sema_expect_fail(trigger_unknown_table
    "trigger_unknown_table/a.rev:6:28: error: unknown table 'itemz'")
sema_expect_fail(trigger_dup
    "trigger_dup/a.rev:8:20: error: trigger 'tr_x' already exists (on table 'items')")
sema_expect_fail(trigger_wrong_name
    "trigger_wrong_name/a.rev:6:34: error: the body creates trigger 'tr_y', not 'tr_x'")
sema_expect_fail(trigger_other_table
    "trigger_other_table/a.rev:8:18: error: trigger 'tr_x' is on table 'items', not 'other'")
# ---- comments (issue 12) ----
sema_expect_fail(comment_unknown_column
    "comment_unknown_column/a.rev:6:23: error: unknown column 'titel' in table 'docs'")
sema_expect_fail(comment_unknown_table
    "comment_unknown_table/a.rev:6:17: error: unknown table 'doc'")
# ---- enums (issue 12) ----
sema_expect_fail(enum_unknown_type "enum_unknown_type/a.rev:5:58: error: unknown enum 'mod'")
sema_expect_fail(enum_bad_default
    "enum_bad_default/a.rev:6:76: error: 'fine' is not a label of enum 'mood'")
sema_expect_fail(enum_add_existing
    "enum_add_existing/a.rev:6:31: error: enum 'mood' already has a label 'ok'")
sema_expect_fail(enum_unknown_label
    "enum_unknown_label/a.rev:6:45: error: enum 'mood' has no label 'fine'")
sema_expect_fail(enum_drop_in_use
    "enum_drop_in_use/a.rev:7:15: error: cannot drop enum 'mood': column people.feeling uses it")
sema_expect_fail(enum_drop_default_label
    "enum_drop_default_label/a.rev:7:32: error: cannot drop label 'ok': it is the default of column people.feeling")
sema_expect_fail(enum_dup_label "enum_dup_label/a.rev:5:36: error: label 'sad' is given twice")
sema_expect_fail(enum_long_label
    "enum_long_label/a.rev:5:32: error: an enum label has at most 63 bytes")
# An empty label is allowed (PostgreSQL takes it).
add_test(NAME sema.enum_empty_label
    COMMAND $<TARGET_FILE:retort> check enum_empty_label WORKING_DIRECTORY ${sema_dir})
# A constraint added without a name holds PostgreSQL's default name.
sema_expect_fail(unnamed_taken
    "unnamed_taken/a.rev:10:30: error: constraint 'users_team_id_fkey' already exists on table 'users'")
# `sql sqlite $$A$$ postgresql $$B$$` names every dialect.
sema_expect_fail(type_sql_missing
    "type_sql_missing/a.rev:6:47: error: the type has no SQL for sqlite")
# PostgreSQL-only types in a history that also targets SQLite, outside
# `if dialect postgresql`; retort.conf's mistakes at their place.
sema_expect_fail(array_two_dialects
    "array_two_dialects/a.rev:11:22: error: an array type exists on postgresql only")
sema_expect_fail(conf_bad
    "conf_bad/retort.conf:1:21: error: unknown dialect 'mysql' (expected sqlite or postgresql)")
add_test(NAME sema.conf_bad_key
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "conf_bad/retort.conf:2:1: error: unknown setting 'version_tabel' (expected dialects or version_table)"
            -- $<TARGET_FILE:retort> check conf_bad
    WORKING_DIRECTORY ${sema_dir})
# Index methods: PostgreSQL's only, and known ones only.
sema_expect_fail(index_method_two_dialects
    "index_method_two_dialects/a.rev:10:18: error: index method 'hash' exists on postgresql only")
sema_expect_fail(index_method_unknown
    "index_method_unknown/a.rev:6:34: error: unknown index method 'bloom' (expected btree, hash, gin, gist, brin or spgist)")

# A written downgrade that does not bring the schema back (the template's
# empty block left as it was) is a warning, with what differs.
add_test(NAME sema.written_downgrade
    COMMAND sh ${sema_dir}/written_downgrade.sh $<TARGET_FILE:retort>
    WORKING_DIRECTORY ${sema_dir})
# A timeout PostgreSQL would refuse fails the build, not the deploy.
sema_expect_fail(setting_bad
    "setting_bad/a.rev:3:14: error: 'lock_timeout' takes milliseconds (5000) or a time with a unit ('5s', '2min', '500ms'), not '5 seconds'")
# update ... from: every table named must exist, and the updated table is
# not named again.
sema_expect_fail(data_from_unknown
    "data_from_unknown/b.rev:4:54: error: unknown table 'teamz'")
add_test(NAME sema.data_from_twice
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "data_from_unknown/b.rev:5:50: error: table 'users' is the table updated: name it once"
            -- $<TARGET_FILE:retort> check data_from_unknown
    WORKING_DIRECTORY ${sema_dir})
# lock_table: a mode PostgreSQL does not have, an unknown table, and a
# revision without a transaction to hold the lock.
sema_expect_fail(lock_bad
    "lock_bad/b.rev:4:18: error: unknown lock mode 'share exclusive row'")
add_test(NAME sema.lock_unknown_table
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "lock_unknown/b.rev:4:19: error: unknown table 'u'"
            -- $<TARGET_FILE:retort> check lock_unknown
    WORKING_DIRECTORY ${sema_dir})
add_test(NAME sema.lock_no_transaction
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "lock_no_txn/c.rev:5:5: error: 'lock_table' holds its lock until the transaction ends"
            -- $<TARGET_FILE:retort> check lock_no_txn
    WORKING_DIRECTORY ${sema_dir})
# Functions: PostgreSQL only, the body creates the function named, created
# once, replaced or dropped only when known, not dropped under a trigger.
sema_expect_fail(fn_two_dialects
    "fn_two_dialects/a.rev:4:5: error: a function exists on postgresql only")
sema_expect_fail(fn_name "fn_name/a.rev:5:27: error: the body creates function 'g', not 'f'")
sema_expect_fail(fn_errors
    "fn_errors/b.rev:4:21: error: function 'f' already exists; change it with replace_function")
add_test(NAME sema.fn_replace_unknown
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "fn_errors/b.rev:5:22: error: unknown function 'nope'; make it with create_function"
            -- $<TARGET_FILE:retort> check fn_errors
    WORKING_DIRECTORY ${sema_dir})
add_test(NAME sema.fn_drop_under_trigger
    COMMAND sh ${PROJECT_SOURCE_DIR}/tests/lib/expect_fail.sh
            "fn_errors/b.rev:6:19: error: cannot drop function 'f': trigger 't_f' on 't' runs it"
            -- $<TARGET_FILE:retort> check fn_errors
    WORKING_DIRECTORY ${sema_dir})
# call NAME: irreversible like execute; NAME must be a C function's name
# that migrations.c can declare (not one the runtime or C reserves).
sema_expect_fail(call_irreversible
    "call_irreversible/a.rev:5:5: error: irreversible statement 'call' in an upgrade without a downgrade block")
sema_expect_fail(call_bad_name
    "call_bad_name/a.rev:5:10: error: call 'hash passwords': the name of a C function may hold only letters, digits and '_'")
sema_expect_fail(call_reserved_name
    "call_reserved_name/a.rev:8:10: error: call 'rt_fail': the name of a C function must not start with rt_ or retort_ (the runtime's names)")
# PostgreSQL objects and renames (issue 12, item 6).
sema_expect_fail(pgobj_two_dialects
    "pgobj_two_dialects/a.rev:5:5: error: create_extension exists on postgresql only: write it inside")
sema_expect_fail(pgobj_exists "pgobj_exists/a.rev:5:22: error: extension 'citext' already exists")
sema_expect_fail(pgobj_unknown "pgobj_unknown/a.rev:5:19: error: unknown sequence 's2'")
sema_expect_fail(schema_in_use
    "schema_in_use/a.rev:6:17: error: cannot drop schema 'billing': table 'billing.invoices' is in it")
sema_expect_fail(sequence_name_taken
    "sequence_name_taken/a.rev:5:21: error: 'users' already names a table, view or index")
sema_expect_fail(rename_constraint_unknown
    "rename_constraint_unknown/a.rev:5:23: error: unknown constraint 'users_mail_key' on table 'users'")
sema_expect_fail(rename_constraint_taken
    "rename_constraint_taken/a.rev:5:41: error: the name 'users_email_key' is taken on table 'users'")
sema_expect_fail(rename_index_unknown "rename_index_unknown/a.rev:5:18: error: unknown index 'ix_nope'")
sema_expect_fail(rename_index_taken
    "rename_index_taken/a.rev:7:26: error: 'ix_b' already names an index, table, view or sequence")
sema_expect_fail(rename_index_wrong_table
    "rename_index_wrong_table/a.rev:7:26: error: index 'ix_a' is on table 'users', not 'teams'")
sema_expect_fail(enum_rename_taken
    "enum_rename_taken/a.rev:6:31: error: 'feeling' already names an enum, table or view")
sema_expect_fail(enum_rename_unknown "enum_rename_unknown/a.rev:4:16: error: unknown enum 'mood'")
# PostgreSQL refuses to retype a column that a view reads (ALTER COLUMN
# TYPE, and dropping an enum label): a build error, not a deploy error; a
# column the view does not read is fine.
sema_expect_fail(view_retype
    "view_retype/b.rev:6:20: error: cannot change the type of column 'n': view 'v' reads it")
sema_expect_fail(enum_drop_under_view
    "enum_drop_under_view/b.rev:4:32: error: cannot drop label 'flat': it retypes column t.m: view 'v' reads it")
sema_expect_fail(enum_drop_under_index
    "enum_drop_under_index/b.rev:4:32: error: cannot drop label 'flat': it retypes column t.m, which index 'ix_t_not_flat' reads")
# The same for the downgrade the compiler would derive from adding a label.
sema_expect_fail(enum_add_derived_under_view
    "enum_add_derived_under_view/b.rev:6:31: error: cannot derive the downgrade of adding label 'sideways' (dropping it retypes column t.m): write a downgrade block")
# A name PostgreSQL would cut to 63 bytes in silence: a warning at its
# place, only where the history targets PostgreSQL.
add_test(NAME sema.long_names
    COMMAND sh ${sema_dir}/long_names.sh $<TARGET_FILE:retort> ${sema_dir}/long_names)

# Indexes that simple raw SQL makes and drops (sema_rawsql.c): drop_index,
# a raw DROP INDEX and a table rename follow them; anything else stays
# opaque; a derived downgrade or a SQLite rename of one cannot be made.
add_test(NAME sema.raw_index COMMAND retort check raw_index WORKING_DIRECTORY ${sema_dir})
sema_expect_fail(raw_index_underived
    "raw_index_underived/b.rev:4:5: error: cannot derive a downgrade: index 'foo' was made by raw SQL, whose columns retort does not read; write a downgrade block (it can execute the CREATE INDEX again)")
sema_expect_fail(raw_index_rename
    "raw_index_rename/a.rev:6:18: error: the history does not know how index 'foo' is made (raw SQL made it), so SQLite cannot rename it")
sema_expect_fail(raw_index_opaque
    "raw_index_opaque/a.rev:7:16: error: unknown index 'foo'")
add_test(NAME sema.raw_index_schema
    COMMAND sh ${sema_dir}/raw_index_schema.sh $<TARGET_FILE:retort> ${sema_dir}/raw_index)
add_test(NAME sema.raw_index_rename_pg COMMAND retort check raw_index_rename_pg
    WORKING_DIRECTORY ${sema_dir})
# ... and across a merge (schema_join keeps it while its table stands).
add_test(NAME sema.raw_index_merge COMMAND retort check raw_index_merge
    WORKING_DIRECTORY ${sema_dir})
