/* dialect.c: the rows of the dialect table (see dialect.h). */
#include "dialect.h"
#include "sqlword.h"

static const dialect dialects[RETORT_DIALECT_COUNT] = {
    [RETORT_SQLITE] = {
        .id = RETORT_SQLITE,
        .name = "sqlite",
        .mask = DIALECT_SQLITE,
        .types = {
            [TY_SMALLINT] = "SMALLINT", [TY_INTEGER] = "INTEGER",
            [TY_BIGINT] = "BIGINT", [TY_BOOLEAN] = "BOOLEAN", [TY_REAL] = "REAL",
            [TY_DOUBLE] = "FLOAT", [TY_NUMERIC] = "NUMERIC",
            [TY_VARCHAR] = "VARCHAR", [TY_CHAR] = "CHAR", [TY_TEXT] = "TEXT",
            [TY_DATE] = "DATE", [TY_TIME] = "TIME",
            /* SQLAlchemy's names, which SQLite's type affinity accepts. */
            [TY_TIMESTAMP] = "DATETIME", [TY_TIMESTAMPTZ] = "DATETIME",
            [TY_BLOB] = "BLOB", [TY_JSON] = "JSON", [TY_JSONB] = "JSON",
            [TY_UUID] = "CHAR(32)", [TY_INTERVAL] = "VARCHAR(32)",
            [TY_ENUM] = "VARCHAR",   /* (longest label), render.c */
            [TY_RAW] = "",
        },
        /* Stored as 1/0, and older SQLite has no TRUE keyword. */
        .true_literal = "1",
        .false_literal = "0",
        .identity_columns = 0,
        .qualified_table_refs = 0,
        .add_column_if_not_exists = 0,
        .concurrent_index = 0,
        .alter_type_using = 0,
        .create_schema = 0,    /* a schema is an attached database */
        .not_valid_constraints = 0,
        .unique_using_index = 0,
        .drop_trigger_on_table = 0,
        .comment_on = 0,
        .native_enums = 0,
        .stores_default_names = 0,
        .index_methods = 0,
        .session_settings = 0,
        .lock_table = 0,
        .functions = 0,
        .extensions = 0,
        .sequences = 0,
        .rename_constraint = 0,   /* a table rebuild (render_sqlite.c) */
        .rename_index = 0,        /* dropped and created again */
        .rebuild = REBUILD_COPY_TABLE,
    },
    [RETORT_POSTGRESQL] = {
        .id = RETORT_POSTGRESQL,
        .name = "postgresql",
        .mask = DIALECT_POSTGRESQL,
        .types = {
            [TY_SMALLINT] = "SMALLINT", [TY_INTEGER] = "INTEGER",
            [TY_BIGINT] = "BIGINT", [TY_BOOLEAN] = "BOOLEAN", [TY_REAL] = "REAL",
            [TY_DOUBLE] = "DOUBLE PRECISION", [TY_NUMERIC] = "NUMERIC",
            [TY_VARCHAR] = "VARCHAR", [TY_CHAR] = "CHAR", [TY_TEXT] = "TEXT",
            [TY_DATE] = "DATE", [TY_TIME] = "TIME",
            [TY_TIMESTAMP] = "TIMESTAMP WITHOUT TIME ZONE",
            [TY_TIMESTAMPTZ] = "TIMESTAMP WITH TIME ZONE",
            [TY_BLOB] = "BYTEA", [TY_JSON] = "JSON", [TY_JSONB] = "JSONB",
            [TY_UUID] = "UUID", [TY_INTERVAL] = "INTERVAL",
            [TY_ENUM] = "",          /* the enum's own name, render.c */
            [TY_RAW] = "",
        },
        .true_literal = "TRUE",
        .false_literal = "FALSE",
        .identity_columns = 1,
        .qualified_table_refs = 1,
        .add_column_if_not_exists = 1,
        .concurrent_index = 1,
        .alter_type_using = 1,
        .create_schema = 1,
        .not_valid_constraints = 1,
        .unique_using_index = 1,
        .drop_trigger_on_table = 1,
        .comment_on = 1,
        .native_enums = 1,
        .stores_default_names = 1,
        .index_methods = 1,
        .session_settings = 1,
        .lock_table = 1,
        .functions = 1,
        .extensions = 1,
        .sequences = 1,
        .rename_constraint = 1,
        .rename_index = 1,
        .rebuild = REBUILD_NONE,
    },
};

const dialect *dialect_get(enum retort_dialect d)
{
    return &dialects[d];
}

const dialect *dialect_named(const char *word)
{
    for (int i = 0; i < RETORT_DIALECT_COUNT; i++)
        if (sqlword_eq(word, dialects[i].name))
            return &dialects[i];
    return NULL;
}

const dialect *dialect_of_mask(int mask)
{
    for (int i = 0; i < RETORT_DIALECT_COUNT; i++)
        if (dialects[i].mask == mask)
            return &dialects[i];
    return NULL;
}
