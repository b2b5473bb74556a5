/*
 * lexer.re: the lexer of revision and model files; see lexer.h.
 *
 * re2c matches one token at a time on the NUL-terminated source (the NUL
 * at file->len is the sentinel, so no YYFILL).  Keywords are re2c's
 * case-insensitive '...' strings listed before the bare-word rule: on a tie
 * the first rule wins, so `Create_Table` is a keyword and `create_tables`
 * a word.  Which keywords may also be identifiers is the parser's business
 * (%fallback in parser.y).
 */
#include "lexer.h"

#include <string.h>

void lex_init(lex_state *ls, diag *d, const src_file *f)
{
    memset(ls, 0, sizeof *ls);
    ls->file = f;
    ls->d = d;
    ls->cur = f->text;
    ls->lim = f->text + f->len;
    ls->line_start = f->text;
    ls->line = 1;
}

/* Move the cursor to `end`, keeping the line count right: tokens such as
 * strings and raw SQL may span lines. */
static void advance(lex_state *ls, const char *end)
{
    for (const char *p = ls->cur; p < end; p++)
        if (*p == '\n') {
            ls->line++;
            ls->line_start = p + 1;
        }
    ls->cur = end;
}

/* Finish a token spanning [ls->cur, end); `trim` bytes are dropped at each
 * side of its text (the quotes of strings and quoted identifiers). */
static int token(lex_state *ls, lex_token *t, const char *end, int trim,
                 int code)
{
    t->text = ls->cur + trim;
    t->len = (int)(end - ls->cur) - 2 * trim;
    advance(ls, end);
    return code;
}

/* An unterminated token: report it where it starts, and end the input
 * there, since whatever follows was meant to be inside it. */
static void unterminated(lex_state *ls, const lex_token *t, const char *what)
{
    diag_error(ls->d, t->loc, "unterminated %s", what);
    ls->errors++;
    advance(ls, ls->lim);
}

/* Raw SQL: the opening delimiter `$tag$` spans [ls->cur, body).  The
 * closing one is the same text; everything between is kept verbatim.
 * re2c cannot match a back-reference, hence this search by hand. */
static int raw_sql(lex_state *ls, lex_token *t, const char *body)
{
    size_t dlen = (size_t)(body - ls->cur);
    for (const char *p = body; p + dlen <= ls->lim; p++)
        if (*p == '$' && memcmp(p, ls->cur, dlen) == 0) {
            advance(ls, p + dlen);
            t->text = body;
            t->len = (int)(p - body);
            return TK_RAW;
        }
    diag_error(ls->d, t->loc, "unterminated raw SQL (%.*s ... %.*s)",
               (int)dlen, ls->cur, (int)dlen, ls->cur);
    ls->errors++;
    advance(ls, ls->lim);
    return -1;
}

/* The next token: its TK_* code, or 0 at the end of the input. */
int lex_next(lex_state *ls, lex_token *t)
{
    for (;;) {
        const unsigned char *YYCURSOR = (const unsigned char *)ls->cur;
        const unsigned char *YYMARKER = YYCURSOR;
        t->text = ls->cur;
        t->len = 0;
        t->loc = (src_loc){ls->file, ls->line,
                           (int)(ls->cur - ls->line_start) + 1};
#define END ((const char *)YYCURSOR)
        /*!re2c
        re2c:define:YYCTYPE = "unsigned char";
        re2c:yyfill:enable = 0;

        word = [a-zA-Z0-9_]+;

        "\x00" {
            if (ls->cur == ls->lim)
                return 0;
            diag_error(ls->d, t->loc, "unexpected NUL byte");
            ls->errors++;
            advance(ls, END);
            continue;
        }
        [ \t\r\n\f\v]+              { advance(ls, END); continue; }
        ("#" | "--") [^\n\x00]*     { advance(ls, END); continue; }

        "[" [ \t]* "]"  { return token(ls, t, END, 0, TK_BRACKETS); }
        "("  { return token(ls, t, END, 0, TK_LP); }
        ")"  { return token(ls, t, END, 0, TK_RP); }
        ","  { return token(ls, t, END, 0, TK_COMMA); }
        ";"  { return token(ls, t, END, 0, TK_SEMI); }
        "{"  { return token(ls, t, END, 0, TK_LBRACE); }
        "}"  { return token(ls, t, END, 0, TK_RBRACE); }
        "."  { return token(ls, t, END, 0, TK_DOT); }
        "="  { return token(ls, t, END, 0, TK_EQ); }

        'revision'                   { return token(ls, t, END, 0, TK_REVISION); }
        'parent'                     { return token(ls, t, END, 0, TK_PARENT); }
        'none'                       { return token(ls, t, END, 0, TK_NONE); }
        'branch'                     { return token(ls, t, END, 0, TK_BRANCH); }
        'depends_on'                 { return token(ls, t, END, 0, TK_DEPENDS_ON); }
        'message'                    { return token(ls, t, END, 0, TK_MESSAGE); }
        'created'                    { return token(ls, t, END, 0, TK_CREATED); }
        'transaction'                { return token(ls, t, END, 0, TK_TRANSACTION); }
        'schema_check'               { return token(ls, t, END, 0, TK_SCHEMA_CHECK); }
        'off'                        { return token(ls, t, END, 0, TK_OFF); }
        'lock_timeout'               { return token(ls, t, END, 0, TK_LOCK_TIMEOUT); }
        'lock_table'                 { return token(ls, t, END, 0, TK_LOCK_TABLE); }
        'create_function'            { return token(ls, t, END, 0, TK_CREATE_FUNCTION); }
        'replace_function'           { return token(ls, t, END, 0, TK_REPLACE_FUNCTION); }
        'drop_function'              { return token(ls, t, END, 0, TK_DROP_FUNCTION); }
        'statement_timeout'          { return token(ls, t, END, 0, TK_STATEMENT_TIMEOUT); }
        'upgrade'                    { return token(ls, t, END, 0, TK_UPGRADE); }
        'downgrade'                  { return token(ls, t, END, 0, TK_DOWNGRADE); }
        'create_table'               { return token(ls, t, END, 0, TK_CREATE_TABLE); }
        'drop_table'                 { return token(ls, t, END, 0, TK_DROP_TABLE); }
        'rename_table'               { return token(ls, t, END, 0, TK_RENAME_TABLE); }
        'add_column'                 { return token(ls, t, END, 0, TK_ADD_COLUMN); }
        'drop_column'                { return token(ls, t, END, 0, TK_DROP_COLUMN); }
        'alter_column'               { return token(ls, t, END, 0, TK_ALTER_COLUMN); }
        'create_index'               { return token(ls, t, END, 0, TK_CREATE_INDEX); }
        'drop_index'                 { return token(ls, t, END, 0, TK_DROP_INDEX); }
        'create_primary_key'         { return token(ls, t, END, 0, TK_CREATE_PRIMARY_KEY); }
        'create_unique_constraint'   { return token(ls, t, END, 0, TK_CREATE_UNIQUE_CONSTRAINT); }
        'create_check_constraint'    { return token(ls, t, END, 0, TK_CREATE_CHECK_CONSTRAINT); }
        'create_foreign_key'         { return token(ls, t, END, 0, TK_CREATE_FOREIGN_KEY); }
        'drop_constraint'            { return token(ls, t, END, 0, TK_DROP_CONSTRAINT); }
        'validate_constraint'        { return token(ls, t, END, 0, TK_VALIDATE_CONSTRAINT); }
        'valid'                      { return token(ls, t, END, 0, TK_VALID); }
        'index'                      { return token(ls, t, END, 0, TK_INDEX); }
        'insert'                     { return token(ls, t, END, 0, TK_INSERT); }
        'into'                       { return token(ls, t, END, 0, TK_INTO); }
        'from'                       { return token(ls, t, END, 0, TK_FROM); }
        'select'                     { return token(ls, t, END, 0, TK_SELECT); }
        'execute'                    { return token(ls, t, END, 0, TK_EXECUTE); }
        'bulk_insert'                { return token(ls, t, END, 0, TK_BULK_INSERT); }
        'call'                       { return token(ls, t, END, 0, TK_CALL); }
        'create_view'                { return token(ls, t, END, 0, TK_CREATE_VIEW); }
        'drop_view'                  { return token(ls, t, END, 0, TK_DROP_VIEW); }
        'create_trigger'             { return token(ls, t, END, 0, TK_CREATE_TRIGGER); }
        'drop_trigger'               { return token(ls, t, END, 0, TK_DROP_TRIGGER); }
        'as'                         { return token(ls, t, END, 0, TK_AS); }
        'alter_table'                { return token(ls, t, END, 0, TK_ALTER_TABLE); }
        'comment'                    { return token(ls, t, END, 0, TK_COMMENT); }
        'create_enum'                { return token(ls, t, END, 0, TK_CREATE_ENUM); }
        'alter_enum'                 { return token(ls, t, END, 0, TK_ALTER_ENUM); }
        'drop_enum'                  { return token(ls, t, END, 0, TK_DROP_ENUM); }
        'enum'                       { return token(ls, t, END, 0, TK_ENUM); }
        'create_extension'           { return token(ls, t, END, 0, TK_CREATE_EXTENSION); }
        'drop_extension'             { return token(ls, t, END, 0, TK_DROP_EXTENSION); }
        'create_schema'              { return token(ls, t, END, 0, TK_CREATE_SCHEMA); }
        'drop_schema'                { return token(ls, t, END, 0, TK_DROP_SCHEMA); }
        'create_sequence'            { return token(ls, t, END, 0, TK_CREATE_SEQUENCE); }
        'drop_sequence'              { return token(ls, t, END, 0, TK_DROP_SEQUENCE); }
        'start'                      { return token(ls, t, END, 0, TK_START); }
        'increment'                  { return token(ls, t, END, 0, TK_INCREMENT); }
        'rename_constraint'          { return token(ls, t, END, 0, TK_RENAME_CONSTRAINT); }
        'rename_index'               { return token(ls, t, END, 0, TK_RENAME_INDEX); }
        'add'                        { return token(ls, t, END, 0, TK_ADD); }
        'value'                      { return token(ls, t, END, 0, TK_VALUE); }
        'before'                     { return token(ls, t, END, 0, TK_BEFORE); }
        'after'                      { return token(ls, t, END, 0, TK_AFTER); }
        'if'                         { return token(ls, t, END, 0, TK_IF); }
        'else'                       { return token(ls, t, END, 0, TK_ELSE); }
        'not'                        { return token(ls, t, END, 0, TK_NOT); }
        'exists'                     { return token(ls, t, END, 0, TK_EXISTS); }
        'to'                         { return token(ls, t, END, 0, TK_TO); }
        'type'                       { return token(ls, t, END, 0, TK_TYPE); }
        'using'                      { return token(ls, t, END, 0, TK_USING); }
        'set'                        { return token(ls, t, END, 0, TK_SET); }
        'null'                       { return token(ls, t, END, 0, TK_NULL); }
        'drop'                       { return token(ls, t, END, 0, TK_DROP); }
        'default'                    { return token(ls, t, END, 0, TK_DEFAULT); }
        'rename'                     { return token(ls, t, END, 0, TK_RENAME); }
        'on'                         { return token(ls, t, END, 0, TK_ON); }
        'asc'                        { return token(ls, t, END, 0, TK_ASC); }
        'desc'                       { return token(ls, t, END, 0, TK_DESC); }
        'unique'                     { return token(ls, t, END, 0, TK_UNIQUE); }
        'where'                      { return token(ls, t, END, 0, TK_WHERE); }
        'concurrently'               { return token(ls, t, END, 0, TK_CONCURRENTLY); }
        'primary'                    { return token(ls, t, END, 0, TK_PRIMARY); }
        'key'                        { return token(ls, t, END, 0, TK_KEY); }
        'autoincrement'              { return token(ls, t, END, 0, TK_AUTOINCREMENT); }
        'references'                 { return token(ls, t, END, 0, TK_REFERENCES); }
        'check'                      { return token(ls, t, END, 0, TK_CHECK); }
        'constraint'                 { return token(ls, t, END, 0, TK_CONSTRAINT); }
        'foreign'                    { return token(ls, t, END, 0, TK_FOREIGN); }
        'delete'                     { return token(ls, t, END, 0, TK_DELETE); }
        'update'                     { return token(ls, t, END, 0, TK_UPDATE); }
        'cascade'                    { return token(ls, t, END, 0, TK_CASCADE); }
        'restrict'                   { return token(ls, t, END, 0, TK_RESTRICT); }
        'deferrable'                 { return token(ls, t, END, 0, TK_DEFERRABLE); }
        'initially'                  { return token(ls, t, END, 0, TK_INITIALLY); }
        'deferred'                   { return token(ls, t, END, 0, TK_DEFERRED); }
        'immediate'                  { return token(ls, t, END, 0, TK_IMMEDIATE); }
        'no'                         { return token(ls, t, END, 0, TK_NO); }
        'action'                     { return token(ls, t, END, 0, TK_ACTION); }
        'values'                     { return token(ls, t, END, 0, TK_VALUES); }
        'true'                       { return token(ls, t, END, 0, TK_TRUE); }
        'false'                      { return token(ls, t, END, 0, TK_FALSE); }
        'current_timestamp'          { return token(ls, t, END, 0, TK_CURRENT_TIMESTAMP); }
        'current_date'               { return token(ls, t, END, 0, TK_CURRENT_DATE); }
        'table_exists'               { return token(ls, t, END, 0, TK_TABLE_EXISTS); }
        'column_exists'              { return token(ls, t, END, 0, TK_COLUMN_EXISTS); }
        'index_exists'               { return token(ls, t, END, 0, TK_INDEX_EXISTS); }
        'constraint_exists'          { return token(ls, t, END, 0, TK_CONSTRAINT_EXISTS); }
        'dialect'                    { return token(ls, t, END, 0, TK_DIALECT); }
        'sql'                        { return token(ls, t, END, 0, TK_SQL); }

        "-"? [0-9]+ ("." [0-9]+)?   { return token(ls, t, END, 0, TK_NUMBER); }
        word                        { return token(ls, t, END, 0, TK_ID); }

        "'" ([^'\x00] | "''")* "'"  { return token(ls, t, END, 1, TK_STRING); }
        "'" ([^'\x00] | "''")*      { unterminated(ls, t, "string"); continue; }
        ["] ([^"\x00] | ["]["])* ["] { return token(ls, t, END, 1, TK_QID); }
        ["] ([^"\x00] | ["]["])*    {
            unterminated(ls, t, "quoted identifier");
            continue;
        }
        "$" [a-zA-Z0-9_]* "$" {
            int code = raw_sql(ls, t, END);
            if (code < 0)
                continue;
            return code;
        }

        * {
            unsigned char c = (unsigned char)*ls->cur;
            if (c > ' ' && c < 127)
                diag_error(ls->d, t->loc, "unexpected character '%c'", c);
            else
                diag_error(ls->d, t->loc, "unexpected byte 0x%02x", c);
            ls->errors++;
            advance(ls, END);
            continue;
        }
        */
#undef END
    }
}

/* Asks the scanner itself, so that printers which must quote keywords
 * (unparse.c) share the one list of them written above. */
int lex_is_keyword(const char *word)
{
    size_t len = strlen(word);
    if (len == 0 || strspn(word, "abcdefghijklmnopqrstuvwxyz"
                                 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != len)
        return 0;
    /* A plain word cannot hold a lexical error, so the diag stays unused. */
    diag d;
    diag_init(&d, NULL);
    src_file f = {"", "", word, len};
    lex_state ls;
    lex_token t;
    lex_init(&ls, &d, &f);
    int code = lex_next(&ls, &t);
    return code != TK_ID && code != TK_NUMBER && (size_t)t.len == len;
}
