/*
 * ast.h: the syntax tree of revision files and model files.
 *
 * The parser (grammar/parser.y) builds it through the ast_* builders only,
 * one call per grammar action.  Every node lives in the compilation's arena.
 * Lists are ptr_list of the element type named in the comment beside them.
 *
 * Names keep their case exactly as written (quoted or not); two names are
 * the same object when their texts are equal (strcmp).
 */
#ifndef RETORT_AST_H
#define RETORT_AST_H

#include "arena.h"
#include "diag.h"
#include "retort/history.h"

typedef struct ast_name {
    const char *text;   /* NULL when absent */
    src_loc loc;
} ast_name;

/* A table name, optionally qualified by a schema: `billing.invoices`. */
typedef struct ast_qname {
    ast_name schema;    /* schema.text NULL when unqualified */
    ast_name name;
} ast_qname;

enum ast_type_kind {
    TY_SMALLINT, TY_INTEGER, TY_BIGINT, TY_BOOLEAN, TY_REAL, TY_DOUBLE,
    TY_NUMERIC, TY_VARCHAR, TY_CHAR, TY_TEXT, TY_DATE, TY_TIME,
    TY_TIMESTAMP, TY_TIMESTAMPTZ, TY_BLOB, TY_JSON, TY_JSONB, TY_UUID,
    TY_INTERVAL,
    TY_ENUM,            /* enum N: `en` names it */
    TY_RAW              /* sql $$...$$: `raw` is copied verbatim */
};

typedef struct sch_enum sch_enum;     /* schema.h */

/* The word that names a type kind ("varchar", "sql" for TY_RAW), and
 * whether `word` (any case) names one: ast.c's table serves the parser and
 * the printers alike. */
const char *ast_type_word(enum ast_type_kind kind);
int ast_is_type_word(const char *word);

typedef struct ast_type {
    enum ast_type_kind kind;
    int p, s;           /* arguments: varchar(p), numeric(p, s); -1 if absent */
    const char *raw;    /* TY_RAW: the same SQL on every dialect, or NULL */
    /* TY_RAW written `sql sqlite $$A$$ postgresql $$B$$`: each dialect's
     * SQL (raw is then NULL).  ast_type_raw() picks. */
    const char *raw_for[RETORT_DIALECT_COUNT];
    int array;          /* TYPE[]: an array of the type (PostgreSQL only) */
    src_loc loc;
    const char *en;     /* TY_ENUM: the enum's name */
    /* TY_ENUM, filled by sema: the enum as it stands where the type is
     * used (its labels give SQLite's VARCHAR length and CHECK). */
    const sch_enum *en_def;
} ast_type;

/* A TY_RAW type's SQL on dialect d. */
const char *ast_type_raw(const ast_type *t, enum retort_dialect d);
/* 1 when TY_RAW types x and y write the same SQL on every dialect. */
int ast_type_raw_eq(const ast_type *x, const ast_type *y);

enum ast_expr_kind {
    EX_NUMBER, EX_STRING, EX_TRUE, EX_FALSE, EX_NULL,
    EX_CURRENT_TIMESTAMP, EX_CURRENT_DATE,
    EX_RAW              /* $$...$$ */
};

/* A default (EXPR) or a bulk_insert value (LITERAL). */
typedef struct ast_expr {
    enum ast_expr_kind kind;
    const char *text;   /* NUMBER: digits as written; STRING: the value with
                           '' already folded to '; RAW: the SQL */
    src_loc loc;
} ast_expr;

enum ast_fk_action {
    FK_UNSPECIFIED = 0, FK_CASCADE, FK_SET_NULL, FK_SET_DEFAULT,
    FK_RESTRICT, FK_NO_ACTION
};

/* When a constraint is checked: at each statement (not deferrable, the
 * default), or it may be put off to COMMIT (`deferrable`: checked at each
 * statement unless SET CONSTRAINTS defers it; `deferrable initially
 * deferred`: at COMMIT unless SET CONSTRAINTS says otherwise). */
enum ast_deferral {
    DEFER_NONE = 0, DEFER_IMMEDIATE, DEFER_DEFERRED
};

/* A `deferrable ...` clause as parsed, with where it starts. */
typedef struct ast_deferral_tok {
    enum ast_deferral deferral;
    src_loc loc;
} ast_deferral_tok;

/* `references T2 (C, ...) [on delete A] [on update A] [deferrable ...]` */
typedef struct ast_reference {
    ast_qname table;
    ptr_list columns;   /* ast_name* */
    enum ast_fk_action on_delete, on_update;
    enum ast_deferral deferral;
    src_loc loc;
} ast_reference;

enum ast_constraint_kind {
    CONS_PRIMARY_KEY, CONS_UNIQUE, CONS_CHECK, CONS_FOREIGN_KEY
};

typedef struct ast_coldef {
    ast_name name;
    ast_type type;
    unsigned primary_key : 1;
    unsigned autoincrement : 1;
    unsigned not_null : 1;
    unsigned explicit_null : 1;   /* `null` was written */
    unsigned unique : 1;
    ast_expr *dflt;               /* NULL: no default */
    ast_reference *references;    /* NULL: none */
    const char *check;            /* raw SQL, NULL: none */
    /* The column's comment in the schema model (set by alter_column ...
     * set comment only; a column enters a table without one). */
    const char *comment;
    src_loc loc;
    /* Filled by sema when the column enters a table: the name PostgreSQL
     * gives each column-level constraint (indexed by enum
     * ast_constraint_kind; NULL where there is none). */
    const char *cons_name[4];
    /* Filled by sema (cname.c) when an `autoincrement` integer column
     * enters a table: the name PostgreSQL gives the sequence of its
     * identity, which it keeps through renames of the table and column. */
    const char *identity_seq;
} ast_coldef;

typedef struct ast_constraint {
    enum ast_constraint_kind kind;
    ast_name name;            /* name.text NULL when unnamed */
    ptr_list columns;         /* ast_name*: PRIMARY_KEY, UNIQUE, FOREIGN_KEY */
    const char *check;        /* CHECK: raw SQL */
    ast_reference *references;/* FOREIGN_KEY */
    src_loc loc;
    /* CHECK, FOREIGN_KEY added `not valid` and not validated since:
     * existing rows are not known to satisfy it (PostgreSQL). */
    int not_valid;
    /* PRIMARY_KEY, UNIQUE (a FOREIGN_KEY's is its reference's). */
    enum ast_deferral deferral;
    /* Filled by sema for an unnamed constraint: the name PostgreSQL gives
     * it (sch_cons_name() is the name either way). */
    const char *pg_name;
} ast_constraint;

/* One element of an index: a column, or a raw expression. */
typedef struct ast_index_elem {
    ast_name column;          /* column.text NULL for an expression */
    const char *expr;         /* raw SQL, or NULL */
    const char *opclass;      /* operator class (PostgreSQL), or NULL */
    int order;                /* 0 unspecified, 1 asc, 2 desc */
    src_loc loc;
} ast_index_elem;

enum ast_cond_kind {
    COND_TABLE_EXISTS, COND_COLUMN_EXISTS, COND_INDEX_EXISTS,
    COND_CONSTRAINT_EXISTS, COND_DIALECT
};

enum ast_dialect_mask {
    DIALECT_ALL = 0, DIALECT_SQLITE = 1, DIALECT_POSTGRESQL = 2
};

typedef struct ast_cond {
    enum ast_cond_kind kind;
    int negate;
    ast_qname table;          /* TABLE, COLUMN, CONSTRAINT */
    ast_name name;            /* COLUMN: column; INDEX, CONSTRAINT: its name */
    int dialect;              /* DIALECT: DIALECT_SQLITE or DIALECT_POSTGRESQL */
    src_loc loc;
    /* Filled by sema: does the condition (negation applied) hold in the
     * schema that the history implies before the `if`?  Offline scripts
     * follow this. */
    int offline_value;
    /* Filled by sema for an `if` of an upgrade whose downgrade is
     * derived: its number in the revision (1, 2, ...), under which the
     * migrator records the branch it took; 0 for none. */
    int branch_key;
    /* An `if` of a derived downgrade: it takes the branch that the
     * upgrade's `if` number branch_key took (recorded online; offline,
     * and when nothing was recorded, offline_value), not the condition's
     * value now.  `kind` and the rest still describe that condition. */
    int replay;
    /* Filled by sema for CONSTRAINT: when the history knows the
     * constraint and gave it PostgreSQL's default name, the name a
     * database that keeps no such names (SQLite, read from the table's
     * text: runtime/src/db_sqlite_names.c) finds for it now, after any
     * table or column renames; NULL when that is `name` itself. */
    const char *text_name;
} ast_cond;

/* grep ORDER STMT if you change this: every switch over statement kinds
 * lists each kind, with no `default:`, so that -Wswitch names each pass
 * a new kind must touch (docs/ARCHITECTURE.md, "Adding a statement"). */
enum ast_stmt_kind {
    ST_CREATE_TABLE,          /* table, columns, constraints, if_not_exists */
    ST_DROP_TABLE,            /* table, if_exists */
    ST_RENAME_TABLE,          /* table, new_name */
    ST_ADD_COLUMN,            /* table, column, if_not_exists */
    ST_DROP_COLUMN,           /* table, name, if_exists */
    ST_ALTER_TYPE,            /* table, name, type, using_expr */
    ST_ALTER_SET_NOT_NULL,    /* table, name */
    ST_ALTER_DROP_NOT_NULL,   /* table, name */
    ST_ALTER_SET_DEFAULT,     /* table, name, dflt */
    ST_ALTER_DROP_DEFAULT,    /* table, name */
    ST_ALTER_RENAME,          /* table, name, new_name */
    ST_CREATE_INDEX,          /* name, table, elems, unique, where,
                                 concurrently, if_not_exists */
    ST_DROP_INDEX,            /* name, table (schema.text/name.text may be
                                 NULL), concurrently, if_exists */
    ST_CREATE_PRIMARY_KEY,    /* name, table, cols */
    ST_CREATE_UNIQUE,         /* name, table, cols */
    ST_CREATE_CHECK,          /* name, table, raw */
    ST_CREATE_FOREIGN_KEY,    /* name, table, cols, references */
    ST_DROP_CONSTRAINT,       /* name, table */
    ST_VALIDATE_CONSTRAINT,   /* name, table */
    ST_UPDATE,                /* table, cols, values, where */
    ST_DELETE,                /* table, where */
    ST_INSERT_SELECT,         /* table, cols, raw (the query) */
    ST_EXECUTE,               /* raw, dialect */
    ST_BULK_INSERT,           /* table, cols, rows */
    ST_LOCK_TABLE,            /* tables, lock_mode */
    ST_CALL,                  /* name: the application's C function */
    ST_IF,                    /* cond, then_body, else_body */
    /* views and triggers (schema objects) */
    ST_CREATE_VIEW,           /* table (the view's name), bodies */
    ST_DROP_VIEW,             /* table (the view's name), if_exists */
    ST_CREATE_TRIGGER,        /* name, table, bodies */
    ST_DROP_TRIGGER,          /* name, table, if_exists */
    /* comments */
    ST_TABLE_COMMENT,         /* table, comment (NULL: drop comment) */
    ST_COLUMN_COMMENT,        /* table, name, comment (NULL: drop comment) */
    /* enums */
    ST_CREATE_ENUM,           /* name, labels */
    ST_ALTER_ENUM_ADD,        /* name, label, label2 and position */
    ST_ALTER_ENUM_RENAME,     /* name, label (old), label2 (new) */
    ST_ALTER_ENUM_DROP_VALUE, /* name, label */
    ST_DROP_ENUM,             /* name, if_exists */
    /* PostgreSQL functions (schema objects without a table) */
    ST_CREATE_FUNCTION,       /* table (the function's name), raw */
    ST_REPLACE_FUNCTION,      /* table (the function's name), raw */
    ST_DROP_FUNCTION,         /* table (the function's name), if_exists */
    ST_ALTER_ENUM_RENAME_TYPE,/* name, new_name */
    /* PostgreSQL objects: extensions, schemas, sequences */
    ST_CREATE_OBJECT,         /* object, name, if_not_exists, start,
                                 increment */
    ST_DROP_OBJECT,           /* object, name, if_exists */
    /* renames of constraints and indexes */
    ST_RENAME_CONSTRAINT,     /* name, table, new_name */
    ST_RENAME_INDEX           /* name, new_name, table (name.text may be
                                 NULL) */
};

/* The kinds of PostgreSQL object that ST_CREATE_OBJECT / ST_DROP_OBJECT
 * name (ast_stmt.object). */
enum ast_object_kind {
    OBJ_EXTENSION, OBJ_SCHEMA, OBJ_SEQUENCE
};
/* "extension", "schema", "sequence". */
const char *ast_object_word(enum ast_object_kind k);

typedef struct sch_object sch_object; /* schema.h */

typedef struct sch_view sch_view;     /* schema.h */
typedef struct sch_function sch_function; /* schema.h */

typedef struct sch_table sch_table;   /* schema.h */

typedef struct ast_stmt {
    enum ast_stmt_kind kind;
    src_loc loc;              /* the statement's first token */
    ast_qname table;
    ast_name name;            /* column, index or constraint name */
    ast_name new_name;        /* renames */
    ast_coldef *column;       /* ADD_COLUMN */
    ptr_list columns;         /* CREATE_TABLE: ast_coldef* */
    ptr_list constraints;     /* CREATE_TABLE: ast_constraint* */
    ptr_list elems;           /* CREATE_INDEX: ast_index_elem* */
    ptr_list cols;            /* PK, UNIQUE, FK, BULK_INSERT, UPDATE,
                                 INSERT_SELECT: ast_name* */
    ptr_list values;          /* UPDATE: ast_expr*, one per column */
    ptr_list tables;          /* LOCK_TABLE: ast_qname*, in lock order */
    const char *lock_mode;    /* LOCK_TABLE: "SHARE ROW EXCLUSIVE", ... */
    ptr_list from;            /* UPDATE ... FROM: ast_qname* of the other
                               * tables the values and predicate read */
    ast_reference *references;/* CREATE_FOREIGN_KEY */
    enum ast_deferral deferral; /* CREATE_PRIMARY_KEY, CREATE_UNIQUE */
    ast_type type;            /* ALTER_TYPE */
    const char *using_expr;   /* ALTER_TYPE: raw SQL or NULL */
    ast_expr *dflt;           /* ALTER_SET_DEFAULT */
    const char *raw;          /* EXECUTE: SQL; CREATE_CHECK: expression;
                                 INSERT_SELECT: the query */
    const char *where;        /* CREATE_INDEX, UPDATE, DELETE: predicate or NULL */
    const char *method;       /* CREATE_INDEX `using METHOD`, or NULL (btree) */
    int dialect;              /* EXECUTE: enum ast_dialect_mask */
    unsigned if_exists : 1;
    unsigned if_not_exists : 1;
    unsigned unique : 1;
    unsigned concurrently : 1;
    unsigned not_valid : 1;   /* CREATE_CHECK, CREATE_FOREIGN_KEY */
    ast_name using_index;     /* CREATE_UNIQUE ... using index: text or NULL */
    ptr_list rows;            /* BULK_INSERT: ptr_list* of ast_expr* */
    ast_cond cond;            /* IF */
    /* CREATE_VIEW: the query; CREATE_TRIGGER: the whole CREATE TRIGGER
     * statement.  Indexed by enum retort_dialect (0 SQLite, 1
     * PostgreSQL); the two point to the same text when one body serves
     * every dialect. */
    const char *bodies[2];
    const char *comment;      /* TABLE_COMMENT, COLUMN_COMMENT; NULL: drop */
    ptr_list labels;          /* CREATE_ENUM: const char*, in order */
    const char *label, *label2;  /* ALTER_ENUM_*: the label(s) named */
    src_loc label_loc, label2_loc;
    int position;             /* ALTER_ENUM_ADD: 0 last, 1 before label2,
                                 2 after label2 */
    ptr_list then_body;       /* IF: ast_stmt* */
    ptr_list else_body;       /* IF: ast_stmt* */

    /* Filled by sema for the renderer: the affected table as it stands
     * before and after this statement (deep copies; NULL when the
     * statement touches no table or the table is unknown).  The SQLite
     * table rebuild is rendered from `after`. */
    const sch_table *before, *after;
    /* Filled by sema for CREATE_VIEW and DROP_VIEW: the view before and
     * after the statement (NULL: absent). */
    const sch_view *view_before, *view_after;
    /* Filled by sema for the function statements: the function before and
     * after (NULL where absent). */
    const sch_function *function_before, *function_after;
    /* Filled by sema for the enum statements: the enum before and after,
     * and for ALTER_ENUM_* the tables with a column of that enum, as
     * pairs (before, after): items[2k], items[2k + 1]. */
    const sch_enum *enum_before, *enum_after;
    ptr_list retyped;
    /* CREATE_OBJECT, DROP_OBJECT: what kind of object (enum
     * ast_object_kind); CREATE_OBJECT of a sequence: `start N`,
     * `increment N` as written (digits), or NULL. */
    int object;
    const char *start, *increment;
    /* Filled by sema for CREATE_OBJECT and DROP_OBJECT: the object before
     * and after the statement (NULL: absent). */
    const sch_object *obj_before, *obj_after;
    /* Filled by sema for CREATE_UNIQUE, CREATE_CHECK, CREATE_FOREIGN_KEY
     * written without a name: the name PostgreSQL gives the constraint
     * (cname.c), which the renderer writes and a derived downgrade drops. */
    const char *given_name;
    /* Filled by sema for DROP_INDEX: the index made by raw SQL that it
     * drops (sema_rawsql.c), whose definition a derived downgrade lacks;
     * else NULL. */
    const char *raw_index_sql;
} ast_stmt;

/* A revision's session settings, PostgreSQL's lock_timeout and
 * statement_timeout for the revision's own statements (grep ORDER
 * SETTING if you change this: ast_setting_name in ast.c). */
enum ast_setting { SET_LOCK_TIMEOUT, SET_STATEMENT_TIMEOUT, SET_COUNT };

/* The word of a setting, as written in a header and in SQL. */
const char *ast_setting_name(enum ast_setting s);

typedef struct ast_revision {
    const src_file *file;
    ast_name id;              /* id.text NULL when the line is missing */
    int has_parent;           /* a `parent` line was seen */
    ptr_list parents;         /* ast_name*; empty for `parent none` */
    ptr_list branches;        /* ast_name* */
    ptr_list depends_on;      /* ast_name* */
    const char *message;      /* NULL when absent */
    const char *created;      /* NULL when absent */
    int transactional;        /* 0 for `transaction none`; default 1 */
    int schema_check;         /* 0 for `schema_check off`; default 1 */
    /* `lock_timeout '5s'`: the value as PostgreSQL reads it ('5s',
     * '5000'), or NULL when the line is absent. */
    const char *settings[SET_COUNT];
    ptr_list upgrade;         /* ast_stmt* */
    int has_upgrade;
    int has_downgrade;        /* a downgrade block was written */
    ptr_list downgrade;       /* ast_stmt*: written, or derived by sema */
    int downgrade_derived;    /* sema filled `downgrade` */
    src_loc upgrade_loc, downgrade_loc;
    /* ast_name*: the names in its blocks longer than some database keeps
     * (dialect_min_name_bytes); sema warns for the databases it targets. */
    ptr_list long_names;
} ast_revision;

/* A model file: bare create_table and create_index statements. */
typedef struct ast_model {
    const src_file *file;
    ptr_list stmts;           /* ast_stmt* */
} ast_model;

#endif
