#!/bin/sh
# gen.sh KIND DIR: writes a generated history of .rev files into DIR
# (replacing what is there), for the reliability tests.
#   chain   51 small transactional revisions: c000 creates `counter`
#           (n unique), then ten blocks of five build tables t0..t9, with
#           one data statement per block (INSERT INTO counter), so that a
#           double run fails; blocks 0 and 1 alter columns (SQLite table
#           rebuilds: several statements in one transaction).
#   nontx   n1 -> n2 (transaction none, four statements: a concurrent
#           index build on PostgreSQL, a VACUUM) -> n3.
#   big     b1 -> b2, whose INSERT writes about 1 MB (the full-disk test).
set -eu
kind=${1:?usage: gen.sh chain|nontx|big DIR}
final=${2:?usage: gen.sh chain|nontx|big DIR}
# Written aside, and moved in only when something changed, so that a
# reconfigure does not make the migrators rebuild.
dir=$final.new
rm -rf "$dir"
mkdir -p "$dir"

# rev ID PARENT SLUG [HEADER_LINE]: the header; the body follows on stdin.
rev() {
    f="$dir/20250101_0000-$1_$3.rev"
    {
        echo "revision $1"
        echo "parent $2"
        echo "message '$3'"
        [ -n "${4:-}" ] && echo "$4"
        echo
        cat
    } >"$f"
}

case $kind in
chain)
    rev c000 none counter <<'EOF'
upgrade {
    create_table counter (id integer primary key, n integer not null unique);
}
EOF
    prev=c000
    i=1
    b=0
    while [ $b -lt 10 ]; do
        if [ $b -eq 0 ]; then
            ref=""
        else
            ref=", parent_id integer references t$((b - 1)) (id) on delete cascade"
        fi
        id=$(printf 'c%03d' $i)
        rev $id $prev "create_t$b" <<EOF
upgrade {
    create_table t$b (id integer primary key, name varchar(40) not null default 'x'$ref);
}
EOF
        prev=$id; i=$((i + 1)); id=$(printf 'c%03d' $i)
        rev $id $prev "note_t$b" <<EOF
upgrade {
    add_column t$b note text;
    create_index ix_t${b}_name on t$b (name);
}
EOF
        prev=$id; i=$((i + 1)); id=$(printf 'c%03d' $i)
        # Blocks 0 and 1 alter columns: table rebuilds on SQLite, several
        # statements in one transaction.  The others stay small.
        if [ $b -lt 2 ]; then
            alter="alter_column t$b note type varchar(200);"
            unalter="alter_column t$b note type text;"
            setdef="alter_column t$b name set default 'y';"
        else
            alter="" unalter="" setdef=""
        fi
        rev $id $prev "count_t$b" <<EOF
upgrade {
    execute \$\$INSERT INTO counter (id, n) VALUES ($i, $i)\$\$;
    $alter
}
downgrade {
    $unalter
    execute \$\$DELETE FROM counter WHERE n = $i\$\$;
}
EOF
        prev=$id; i=$((i + 1)); id=$(printf 'c%03d' $i)
        rev $id $prev "default_t$b" <<EOF
upgrade {
    $setdef
    add_column t$b flag boolean not null default false;
}
EOF
        prev=$id; i=$((i + 1)); id=$(printf 'c%03d' $i)
        rev $id $prev "unique_t$b" <<EOF
upgrade {
    create_index ux_t${b}_flag on t$b (flag, name) unique;
}
EOF
        prev=$id; i=$((i + 1))
        b=$((b + 1))
    done
    ;;
nontx)
    rev n1 none base <<'EOF'
upgrade {
    create_table items (id integer primary key, name varchar(40) not null);
}
EOF
    rev n2 n1 outside "transaction none" <<'EOF'
upgrade {
    add_column items b integer;
    create_index ix_items_b on items (b) concurrently;
    execute sqlite $$VACUUM$$;
    execute postgresql $$VACUUM items$$;
    add_column items c integer;
}
downgrade {
    drop_column items c;
    drop_index ix_items_b concurrently;
    drop_column items b;
}
EOF
    rev n3 n2 after <<'EOF'
upgrade {
    create_table after_t (id integer primary key);
}
EOF
    ;;
big)
    rev b1 none base <<'EOF'
upgrade {
    create_table blobs (id integer primary key, body text not null);
}
EOF
    rev b2 b1 fill <<'EOF'
upgrade {
    execute sqlite $$WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 1000) INSERT INTO blobs (id, body) SELECT i, printf('%.1000c', 'x') FROM s$$;
    execute postgresql $$INSERT INTO blobs (id, body) SELECT i, repeat('x', 1000) FROM generate_series(1, 1000) AS i$$;
}
downgrade {
    execute $$DELETE FROM blobs$$;
}
EOF
    ;;
*)
    echo "gen.sh: unknown kind '$kind'" >&2
    exit 2
    ;;
esac

if [ -d "$final" ] && diff -r "$dir" "$final" >/dev/null 2>&1; then
    rm -rf "$dir"
else
    rm -rf "$final"
    mv "$dir" "$final"
fi
