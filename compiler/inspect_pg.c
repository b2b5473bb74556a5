/*
 * inspect_pg.c: one PostgreSQL schema as model source (inspect.h).
 *
 * Read from the catalog: enums, tables with their columns (format_type,
 * NOT NULL, default, identity or serial), constraints, the indexes that
 * back no constraint, views and comments.  A constraint whose name is the
 * one PostgreSQL (and the compiler, cname.c) gives an unnamed one is
 * written unnamed, on its column when it has one column; any other name
 * is kept with `constraint N`.  Expressions (CHECKs, index expressions and
 * predicates, defaults that are not plain literals, view queries) are
 * PostgreSQL's own re-printed text, which it prints back the same way, so
 * the round trip through a revision is exact though the text may differ
 * from what a history wrote.
 */
#include "inspect.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "unparse.h"

/* format_type() text as a model type, or `sql $$...$$`.  `enum_schema`
 * is the type's schema when it is an enum (typtype 'e'). */
static const char *model_type(insp *in, const char *ft, int is_enum, const char *typname)
{
    static const struct { const char *sql, *model; } plain[] = {
        {"integer", "integer"}, {"smallint", "smallint"}, {"bigint", "bigint"},
        {"boolean", "boolean"}, {"real", "real"}, {"double precision", "double"},
        {"text", "text"}, {"date", "date"}, {"bytea", "blob"}, {"json", "json"},
        {"jsonb", "jsonb"}, {"uuid", "uuid"}, {"interval", "interval"},
        {"time without time zone", "time"},
        {"timestamp without time zone", "timestamp"},
        {"timestamp with time zone", "timestamptz"},
    };
    size_t n = strlen(ft);
    unsigned p, s;
    char tail;
    if (n > 2 && strcmp(ft + n - 2, "[]") == 0) {
        const char *base = model_type(in, arena_strndup(in->a, ft, n - 2), is_enum, typname);
        /* The model has arrays of its own types, not of enums. */
        if (strncmp(base, "sql ", 4) == 0 || strncmp(base, "enum ", 5) == 0)
            return arena_printf(in->a, "sql %s", unparse_raw(in->a, ft));
        return arena_printf(in->a, "%s[]", base);
    }
    if (is_enum)
        return arena_printf(in->a, "enum %s", insp_name(in, typname));
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (strcmp(ft, plain[i].sql) == 0)
            return plain[i].model;
    if (sscanf(ft, "character varying(%u)%c", &p, &tail) == 1)
        return arena_printf(in->a, "varchar(%u)", p);
    if (sscanf(ft, "character(%u)%c", &p, &tail) == 1)
        return arena_printf(in->a, "char(%u)", p);
    if (sscanf(ft, "numeric(%u,%u)%c", &p, &s, &tail) == 2)
        return arena_printf(in->a, "numeric(%u, %u)", p, s);
    return arena_printf(in->a, "sql %s", unparse_raw(in->a, ft));
}

static int numeric_type(const char *model)
{
    return !strcmp(model, "integer") || !strcmp(model, "smallint") ||
           !strcmp(model, "bigint") || !strcmp(model, "real") || !strcmp(model, "double") ||
           !strncmp(model, "numeric(", 8);
}

static int is_number(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && s[i] == '-')
        i++;
    for (; i < n && isdigit((unsigned char)s[i]); i++)
        digits++;
    if (i < n && s[i] == '.')
        for (i++; i < n && isdigit((unsigned char)s[i]); i++)
            digits++;
    return digits && i == n;
}

/* The end of a '...' literal starting at s (just past its quote), or NULL. */
static const char *literal_end(const char *s)
{
    for (s++; *s; s++)
        if (*s == '\'') {
            if (s[1] == '\'') {
                s++;
                continue;
            }
            return s + 1;
        }
    return NULL;
}

/* Whether s is nothing or one cast to a type ("::character varying"). */
static int cast_only(const char *s)
{
    if (!*s)
        return 1;
    for (s += 2; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr(" _\"()[].,", *s))
            return 0;
    return 1;
}

/* pg_get_expr() of a default as a model default. */
static const char *model_default(insp *in, const char *type, const char *d)
{
    const char *e;
    if (!d)
        return NULL;
    if (!strcmp(d, "true") || !strcmp(d, "false"))
        return d;
    if (!strcmp(d, "CURRENT_TIMESTAMP"))
        return "current_timestamp";
    if (!strcmp(d, "CURRENT_DATE"))
        return "current_date";
    if (!strncmp(d, "NULL::", 6) || !strcmp(d, "NULL"))
        return "null";
    if (is_number(d, strlen(d)))
        return d;
    /* (0)::numeric, (-1) */
    if (d[0] == '(') {
        const char *close = strchr(d, ')');
        if (close && is_number(d + 1, (size_t)(close - d - 1)) &&
            (!close[1] || !strncmp(close + 1, "::", 2)) && numeric_type(type))
            return arena_strndup(in->a, d + 1, (size_t)(close - d - 1));
    }
    /* 'text'::type: a string, or a number the parser kept quoted */
    if (d[0] == '\'' && (e = literal_end(d)) && (!*e || !strncmp(e, "::", 2)) &&
        cast_only(e)) {
        if (numeric_type(type) && is_number(d + 1, (size_t)(e - d - 2)))
            return arena_strndup(in->a, d + 1, (size_t)(e - d - 2));
        return arena_strndup(in->a, d, (size_t)(e - d));
    }
    return unparse_raw(in->a, d);
}

/* Names as PostgreSQL gives them to unnamed constraints (cname.c), for
 * the short names where no truncation or numbering happened. */
static const char *default_name(insp *in, const char *table, const char *cols,
                                const char *label)
{
    char *s = arena_printf(in->a, "%s_%s_%s", table, cols, label);
    for (char *p = s + strlen(table); *p; p++)
        if (p[0] == ',' && p[1] == ' ')
            memmove(p, p + 1, strlen(p));
    for (char *p = s + strlen(table); *p; p++)
        if (*p == ',')
            *p = '_';
    return s;
}

static const char *named(insp *in, const char *name)
{
    return arena_printf(in->a, "constraint %s ", insp_name(in, name));
}

/* The columns of one table, in order. */
static int read_columns(insp *in, insp_table *t, const char *oid)
{
    insp_rows r = {0};
    const char *p[1] = {oid};
    int rc = insp_query(in, &r,
        "SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, "
        "pg_catalog.pg_get_serial_sequence(a.attrelid::regclass::text, a.attname), "
        "CASE WHEN et.typtype = 'e' AND et.typnamespace = c.relnamespace "
        "THEN et.typname END, "
        "a.attcollation <> 0 AND a.attcollation <> ty.typcollation "
        "FROM pg_catalog.pg_attribute a "
        "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
        "JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid "
        "LEFT JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN ty.typelem <> 0 "
        "AND ty.typlen = -1 THEN ty.typelem ELSE ty.oid END "
        "LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum "
        "WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char **v = r.v[i];
        insp_col *c = insp_col_new(in, t, v[0]);
        c->type = model_type(in, v[1] ? v[1] : "", v[7] != NULL, v[7]);
        c->notnull = v[2] && v[2][0] == 't';
        if (v[5] && v[5][0] == 's') {
            insp_note(in, "generated column %s.%s (GENERATED ALWAYS AS (%s) STORED): "
                          "written as a plain column", t->raw, v[0], v[3] ? v[3] : "");
        } else if (v[6]) {
            c->autoinc = 1;    /* serial: owns its sequence; the default is it */
        } else {
            c->dflt = model_default(in, c->type, v[3]);
        }
        if (v[4] && v[4][0] == 'a') {
            insp_note(in, "column %s.%s is GENERATED ALWAYS AS IDENTITY: the model's "
                          "autoincrement is BY DEFAULT", t->raw, v[0]);
            c->autoinc = 1;
        } else if (v[4] && v[4][0] == 'd') {
            c->autoinc = 1;
        }
        if (v[8] && v[8][0] == 't')
            insp_note(in, "column %s.%s has a COLLATE of its own: written without it",
                      t->raw, v[0]);
    }
    return rc;
}

static const char *action(char c)
{
    switch (c) {
    case 'r': return " restrict";
    case 'c': return " cascade";
    case 'n': return " set null";
    case 'd': return " set default";
    default: return NULL;
    }
}

static int read_constraints(insp *in, insp_table *t, const char *oid)
{
    insp_rows r = {0};
    const char *p[1] = {oid};
    int rc = insp_query(in, &r,
        "SELECT co.conname, co.contype, "
        "pg_catalog.array_to_string(ARRAY(SELECT a.attname FROM pg_catalog.unnest(co.conkey) "
        "WITH ORDINALITY AS k(num, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = "
        "co.conrelid AND a.attnum = k.num ORDER BY k.ord), ', '), "
        "rt.relname, rn.nspname = n.nspname, "
        "pg_catalog.array_to_string(ARRAY(SELECT a.attname FROM pg_catalog.unnest(co.confkey) "
        "WITH ORDINALITY AS k(num, ord) JOIN pg_catalog.pg_attribute a ON a.attrelid = "
        "co.confrelid AND a.attnum = k.num ORDER BY k.ord), ', '), "
        "co.confupdtype, co.confdeltype, pg_catalog.pg_get_expr(co.conbin, co.conrelid), "
        "co.condeferrable, co.confmatchtype, pg_catalog.pg_get_constraintdef(co.oid), "
        "rn.nspname, co.condeferred "
        "FROM pg_catalog.pg_constraint co "
        "JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_catalog.pg_class rt ON rt.oid = co.confrelid "
        "LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.relnamespace "
        "WHERE co.conrelid = $1::oid AND co.contype IN ('p', 'u', 'c', 'f', 'x') "
        "ORDER BY CASE co.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 WHEN 'c' THEN 2 "
        "ELSE 3 END, co.conname", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char **v = r.v[i];
        const char *name = v[0], *cols = v[2] ? v[2] : "";
        int one = cols[0] && !strchr(cols, ',');
        insp_col *c = one ? insp_col_find(t, insp_name(in, cols)) : NULL;
        char kind = v[1] ? v[1][0] : 'x';
        int deferrable = v[9] && v[9][0] == 't';
        const char *deferral = !deferrable ? ""
                               : v[13] && v[13][0] == 't' ? " deferrable initially deferred"
                                                          : " deferrable";
        if (deferrable && kind != 'f' && kind != 'p' && kind != 'u')
            insp_note(in, "constraint %s on %s is DEFERRABLE: written without it", name,
                      t->raw);
        switch (kind) {
        case 'p':
            /* A deferrable key is a table constraint: a column's
             * `primary key` / `unique` has no deferral. */
            if (c && !deferrable && !strcmp(name, arena_printf(in->a, "%s_pkey", t->raw))) {
                c->pk = 1;
                if (c->autoinc && strcmp(c->type, "integer") && strcmp(c->type, "bigint"))
                    c->autoinc = 0;
            } else {
                insp_add_cons(in, t, i, "%sprimary key (%s)%s",
                              strcmp(name, arena_printf(in->a, "%s_pkey", t->raw))
                                  ? named(in, name) : "",
                              insp_names(in, cols), deferral);
            }
            break;
        case 'u':
            if (c && !deferrable && !c->unique &&
                !strcmp(name, default_name(in, t->raw, cols, "key")))
                c->unique = 1;
            else
                insp_add_cons(in, t, i, "%sunique (%s)%s",
                              strcmp(name, default_name(in, t->raw, cols, "key"))
                                  ? named(in, name) : "",
                              insp_names(in, cols), deferral);
            break;
        case 'c': {
            const char *expr = insp_unparen(in, v[8] ? v[8] : "");
            if (c && !c->check && !strcmp(name, default_name(in, t->raw, cols, "check")))
                c->check = expr;
            else
                insp_add_cons(in, t, i, "%scheck %s",
                              strcmp(name, default_name(in, t->raw, cols, "check")) &&
                                      strcmp(name, arena_printf(in->a, "%s_check", t->raw))
                                  ? named(in, name) : "",
                              unparse_raw(in->a, expr));
            break;
        }
        case 'f': {
            const char *del = action(v[7] ? v[7][0] : 'a'), *upd = action(v[6] ? v[6][0] : 'a');
            const char *parent = v[4] && v[4][0] == 't'
                                     ? insp_qname(in, v[3] ? v[3] : "")
                                     : arena_printf(in->a, "%s.%s",
                                                    insp_name(in, v[12] ? v[12] : ""),
                                                    insp_name(in, v[3] ? v[3] : ""));
            const char *ref = arena_printf(in->a, "references %s (%s)%s%s%s%s%s", parent,
                                           insp_names(in, v[5] ? v[5] : ""),
                                           del ? " on delete" : "", del ? del : "",
                                           upd ? " on update" : "", upd ? upd : "",
                                           deferral);
            if (!(v[4] && v[4][0] == 't')) {
                insp_note(in, "foreign key %s on %s references %s.%s, outside the schema "
                              "read: left out", name, t->raw, v[12] ? v[12] : "?",
                          v[3] ? v[3] : "?");
                break;
            }
            if (v[10] && v[10][0] == 'f')
                insp_note(in, "foreign key %s on %s is MATCH FULL: written without it", name,
                          t->raw);
            if (c && !c->ref && !strcmp(name, default_name(in, t->raw, cols, "fkey")))
                c->ref = ref;
            else
                insp_add_cons(in, t, i, "%sforeign key (%s) %s",
                              strcmp(name, default_name(in, t->raw, cols, "fkey"))
                                  ? named(in, name) : "",
                              insp_names(in, cols), ref);
            break;
        }
        default:
            insp_note(in, "constraint %s on %s: %s", name, t->raw, v[11] ? v[11] : "");
            break;
        }
    }
    /* autoincrement goes with a one-column integer primary key only. */
    for (int k = 0; k < t->cols.count; k++) {
        insp_col *c = t->cols.items[k];
        if (c->autoinc && !c->pk) {
            insp_note(in, "column %s.%s is an identity or serial column outside a one-column "
                          "integer primary key: written without it", t->raw, c->name);
            c->autoinc = 0;
        }
    }
    return rc;
}

/* The indexes of the schema that back no constraint. */
static int read_indexes(insp *in, const char *ns)
{
    insp_rows r = {0};
    const char *p[1] = {ns};
    int rc = insp_query(in, &r,
        "SELECT ix.indexrelid, i.relname, t.relname, ix.indisunique, am.amname, "
        "ix.indnkeyatts, ix.indnatts, pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) "
        "FROM pg_catalog.pg_index ix "
        "JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid "
        "JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid "
        "JOIN pg_catalog.pg_am am ON am.oid = i.relam "
        "WHERE t.relnamespace = $1::oid AND t.relkind IN ('r', 'p') "
        "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co "
        "WHERE co.conindid = ix.indexrelid AND co.conrelid = ix.indrelid "
        "AND co.contype IN ('p', 'u', 'x')) ORDER BY i.relname", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char **v = r.v[i];
        insp_rows k = {0};
        const char *q[1] = {v[0]};
        strbuf items = {0};
        if (insp_skipped(in, v[2]))
            continue;
        rc = insp_query(in, &k,
            "SELECT pg_catalog.pg_get_indexdef(ix.indexrelid, g.k, true), "
            "ix.indkey[g.k - 1] = 0, ix.indoption[g.k - 1], "
            "CASE WHEN oc.opcdefault THEN NULL ELSE oc.opcname END "
            "FROM pg_catalog.pg_index ix "
            "CROSS JOIN pg_catalog.generate_series(1, ix.indnkeyatts) AS g(k) "
            "JOIN pg_catalog.pg_opclass oc ON oc.oid = ix.indclass[g.k - 1] "
            "WHERE ix.indexrelid = $1::oid ORDER BY g.k", 1, q);
        for (int j = 0; rc == 0 && j < k.n; j++) {
            const char **w = k.v[j];
            int opt = w[2] ? atoi(w[2]) : 0, desc = opt & 1, nulls_first = (opt & 2) != 0;
            if (j)
                sb_put(&items, ", ");
            if (w[1] && w[1][0] == 't') {
                sb_put(&items, unparse_raw(in->a, w[0] ? w[0] : ""));
                if (desc)
                    insp_note(in, "index %s: DESC on an expression: written without it",
                              v[1]);
            } else {
                /* pg_get_indexdef quotes as SQL does; the model quotes itself. */
                const char *col = w[0] ? w[0] : "";
                size_t n = strlen(col);
                if (n >= 2 && col[0] == '"' && col[n - 1] == '"') {
                    char *u = arena_strndup(in->a, col + 1, n - 2), *o = u;
                    for (char *s = u; *s; s++) {
                        *o++ = *s;
                        if (s[0] == '"' && s[1] == '"')
                            s++;
                    }
                    *o = '\0';
                    col = u;
                }
                sb_put(&items, insp_name(in, col));
            }
            if (w[3])
                sb_putf(&items, " %s", insp_name(in, w[3]));
            if (desc && !(w[1] && w[1][0] == 't'))
                sb_put(&items, " desc");
            if (desc != nulls_first)
                insp_note(in, "index %s: NULLS %s: written without it", v[1],
                          nulls_first ? "FIRST" : "LAST");
        }
        if (rc < 0) {
            sb_free(&items);
            break;
        }
        if (v[5] && v[6] && strcmp(v[5], v[6]) != 0)
            insp_note(in, "index %s has INCLUDE columns: written without them", v[1]);
        {
            const char *method = v[4] && strcmp(v[4], "btree") ? v[4] : NULL;
            const char *pred = v[7] ? insp_unparen(in, v[7]) : NULL;
            sb_putf(&in->after, "create_index %s on %s%s%s (%s)%s%s%s;\n",
                    insp_name(in, v[1]), insp_qname(in, v[2]), method ? " using " : "",
                    method ? insp_name(in, method) : "", items.p ? items.p : "",
                    v[3] && v[3][0] == 't' ? " unique" : "", pred ? " where " : "",
                    pred ? unparse_raw(in->a, pred) : "");
        }
        sb_free(&items);
    }
    return rc;
}

/* What the schema holds that a model cannot: each one a note. */
static int read_others(insp *in, const char *ns)
{
    insp_rows r = {0};
    const char *p[1] = {ns};
    int rc = insp_query(in, &r,
        "SELECT 'materialized view', c.relname FROM pg_catalog.pg_class c "
        "WHERE c.relnamespace = $1::oid AND c.relkind = 'm' "
        "UNION ALL SELECT 'foreign table', c.relname FROM pg_catalog.pg_class c "
        "WHERE c.relnamespace = $1::oid AND c.relkind = 'f' "
        "UNION ALL SELECT 'sequence', c.relname FROM pg_catalog.pg_class c "
        "WHERE c.relnamespace = $1::oid AND c.relkind = 'S' AND NOT EXISTS ("
        "SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = c.oid "
        "AND d.deptype IN ('a', 'i')) "
        "UNION ALL SELECT 'function', p.proname || '(' || "
        "pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' "
        "FROM pg_catalog.pg_proc p WHERE p.pronamespace = $1::oid AND NOT EXISTS ("
        "SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
        "'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objid = p.oid AND d.deptype = 'e') "
        "UNION ALL SELECT 'trigger', tg.tgname || ' on ' || c.relname "
        "FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid "
        "WHERE c.relnamespace = $1::oid AND NOT tg.tgisinternal "
        "UNION ALL SELECT CASE ty.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' "
        "ELSE 'composite type' END, ty.typname FROM pg_catalog.pg_type ty "
        "WHERE ty.typnamespace = $1::oid AND (ty.typtype IN ('d', 'r') OR (ty.typtype = 'c' "
        "AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = ty.typrelid "
        "AND c.relkind = 'c'))) "
        "UNION ALL SELECT 'extension', e.extname FROM pg_catalog.pg_extension e "
        "WHERE e.extname <> 'plpgsql' "
        "ORDER BY 1, 2", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        if (!strcmp(r.v[i][0], "sequence") && insp_skipped(in, r.v[i][1]))
            continue;
        insp_note(in, "%s %s", r.v[i][0], r.v[i][1] ? r.v[i][1] : "");
    }
    return rc;
}

int insp_read_postgresql(insp *in)
{
    insp_rows r = {0};
    const char *ns = NULL;
    const char *p[1] = {in->schema};
    int rc;
    rc = insp_query(in, &r,
                    in->schema ? "SELECT oid, nspname, nspname = current_schema() "
                                 "FROM pg_catalog.pg_namespace WHERE nspname = $1"
                               : "SELECT oid, nspname, true FROM pg_catalog.pg_namespace "
                                 "WHERE nspname = current_schema()",
                    in->schema ? 1 : 0, in->schema ? p : NULL);
    if (rc < 0)
        return rc;
    if (r.n != 1) {
        fprintf(stderr, "retort: error: %s: %s\n", rt_live_shown(in->l),
                in->schema ? arena_printf(in->a, "no schema %s", in->schema)
                           : "no current schema (search_path names none that exists)");
        return -2;
    }
    ns = r.v[0][0];
    in->schema = r.v[0][1];
    if (!(r.v[0][2] && r.v[0][2][0] == 't'))
        in->qualifier = arena_printf(in->a, "%s.", insp_name(in, in->schema));
    p[0] = ns;
    /* Enums */
    rc = insp_query(in, &r,
        "SELECT ty.typname, pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), "
        "', ' ORDER BY e.enumsortorder) FROM pg_catalog.pg_type ty "
        "JOIN pg_catalog.pg_enum e ON e.enumtypid = ty.oid "
        "WHERE ty.typnamespace = $1::oid GROUP BY ty.oid, ty.typname ORDER BY ty.typname",
        1, p);
    for (int i = 0; rc == 0 && i < r.n; i++)
        sb_putf(&in->before, "create_enum %s (%s);\n", insp_name(in, r.v[i][0]),
                r.v[i][1] ? r.v[i][1] : "");
    if (rc < 0)
        return rc;
    /* Tables */
    rc = insp_query(in, &r,
        "SELECT c.oid, c.relname, c.relkind, c.relispartition, "
        "pg_catalog.obj_description(c.oid, 'pg_class') FROM pg_catalog.pg_class c "
        "WHERE c.relnamespace = $1::oid AND c.relkind IN ('r', 'p') ORDER BY c.relname",
        1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char **v = r.v[i];
        insp_table *t;
        if (insp_skipped(in, v[1]))
            continue;
        if (v[2][0] == 'p' || (v[3] && v[3][0] == 't'))
            insp_note(in, "table %s is %s: written as an ordinary table", v[1],
                      v[2][0] == 'p' ? "partitioned" : "a partition");
        t = insp_table_new(in, v[1]);
        if ((rc = read_columns(in, t, v[0])) < 0 || (rc = read_constraints(in, t, v[0])) < 0)
            break;
        if (v[4])
            sb_putf(&in->after, "alter_table %s set comment %s;\n", t->name,
                    unparse_string(in->a, v[4]));
        {
            insp_rows cm = {0};
            const char *q[1] = {v[0]};
            rc = insp_query(in, &cm,
                "SELECT a.attname, pg_catalog.col_description(a.attrelid, a.attnum) "
                "FROM pg_catalog.pg_attribute a WHERE a.attrelid = $1::oid AND a.attnum > 0 "
                "AND NOT a.attisdropped AND pg_catalog.col_description(a.attrelid, a.attnum) "
                "IS NOT NULL ORDER BY a.attnum", 1, q);
            for (int k = 0; rc == 0 && k < cm.n; k++)
                sb_putf(&in->after, "alter_column %s %s set comment %s;\n", t->name,
                        insp_name(in, cm.v[k][0]), unparse_string(in->a, cm.v[k][1]));
        }
    }
    if (rc == 0)
        rc = read_indexes(in, ns);
    /* Views, in creation order (a view reads those made before it). */
    if (rc == 0)
        rc = insp_query(in, &r,
            "SELECT c.relname, pg_catalog.pg_get_viewdef(c.oid, true) FROM pg_catalog.pg_class c "
            "WHERE c.relnamespace = $1::oid AND c.relkind = 'v' ORDER BY c.oid", 1, p);
    for (int i = 0; rc == 0 && i < r.n; i++) {
        const char *body = insp_unparen(in, r.v[i][1] ? r.v[i][1] : "");
        size_t n = strlen(body);
        while (n && (body[n - 1] == ';' || isspace((unsigned char)body[n - 1])))
            n--;
        sb_putf(&in->after, "create_view %s as %s;\n", insp_qname(in, r.v[i][0]),
                unparse_raw(in->a, arena_strndup(in->a, body, n)));
    }
    if (rc == 0)
        rc = read_others(in, ns);
    return rc;
}
