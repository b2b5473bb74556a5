#!/usr/bin/env python3
"""gen_random.py SEED DIR DIALECT: a random history for tests/fresh/equiv.py.

Revisions of one to four statements drawn from the schema statements the
snapshot folds (create/drop table, add/drop column, defaults, indexes,
unique, check and foreign key constraints, views, comments) and, now and
then, from the barriers (bulk_insert, update, execute, a rename), so that
the fold point lands anywhere and data written before later statements
must be kept.  One revision in eight starts a short side branch that a
merge joins again.  The same seed writes the same files.  It tracks the
schema it builds so that every statement is valid; only the standard
library is used.
"""
import os
import random
import sys

TYPES = [("integer", "0"), ("text", "'x'"), ("varchar(20)", "'y'"),
         ("numeric(10, 2)", "1.5"), ("boolean", "true"), ("bigint", "7")]


class Model:
    def __init__(self, rnd, dialect):
        self.rnd = rnd
        self.dialect = dialect
        self.tables = {}        # name -> {"cols": {name: type}, "plain": [...]}
        self.indexes = {}       # name -> table
        self.views = {}         # name -> table
        self.fks = set()        # referenced table names
        self.n = 0

    def new(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def create_table(self, fk=True):
        t = self.new("t")
        cols = {"id": "integer"}
        lines = ["id integer primary key"]
        plain = []
        for _ in range(self.rnd.randint(1, 4)):
            c = self.new("c")
            ty, dflt = self.rnd.choice(TYPES)
            extra = ""
            r = self.rnd.random()
            if r < 0.25:
                extra = " not null default %s" % dflt
            elif r < 0.4:
                extra = " default %s" % dflt
            elif r < 0.5 and ty == "integer":
                extra = " check $$%s >= 0$$" % c
            elif r < 0.6:
                extra = " unique"
            lines.append("%s %s%s" % (c, ty, extra))
            cols[c] = ty
            if not extra:
                plain.append(c)
        if fk and self.tables and self.rnd.random() < 0.4:
            ref = self.rnd.choice(sorted(self.tables))
            c = self.new("c")
            lines.append("%s integer references %s (id) on delete cascade" % (c, ref))
            cols[c] = "integer"
            self.fks.add(ref)
        if self.rnd.random() < 0.3:
            c = self.new("c")
            lines.append("%s integer" % c)
            cols[c] = "integer"
            lines.append("unique (id, %s)" % c)
        self.tables[t] = {"cols": cols, "plain": plain}
        return "create_table %s (\n        %s\n    );" % (t, ",\n        ".join(lines))

    def pick(self):
        return self.rnd.choice(sorted(self.tables)) if self.tables else None

    def statement(self, barriers):
        rnd = self.rnd
        t = self.pick()
        if t is None:
            return self.create_table()
        tab = self.tables[t]
        r = rnd.random()
        if r < 0.18:
            return self.create_table()
        if r < 0.36:
            c = self.new("c")
            ty, dflt = rnd.choice(TYPES)
            tab["cols"][c] = ty
            if rnd.random() < 0.5:
                tab["plain"].append(c)
                return "add_column %s %s %s;" % (t, c, ty)
            return "add_column %s %s %s not null default %s;" % (t, c, ty, dflt)
        if r < 0.46:
            ix = self.new("ix_")
            c = rnd.choice(sorted(tab["cols"]))
            if c in tab["plain"]:
                tab["plain"].remove(c)
            self.indexes[ix] = t
            return "create_index %s on %s (%s)%s;" % (ix, t, c,
                                                     " unique" if rnd.random() < 0.3 else "")
        if r < 0.52 and self.indexes:
            ix = rnd.choice(sorted(self.indexes))
            del self.indexes[ix]
            return "drop_index %s;" % ix
        if r < 0.6 and tab["plain"]:
            c = rnd.choice(tab["plain"])
            tab["plain"].remove(c)
            del tab["cols"][c]
            return "drop_column %s %s;" % (t, c)
        if r < 0.66 and tab["plain"]:
            c = rnd.choice(tab["plain"])
            ty = tab["cols"][c]
            dflt = dict(TYPES)[ty]
            return "alter_column %s %s set default %s;" % (t, c, dflt)
        if r < 0.7 and tab["plain"]:
            c = rnd.choice(tab["plain"])
            tab["plain"].remove(c)
            return "create_unique_constraint uq_%s_%s on %s (%s);" % (t, c, t, c)
        if r < 0.74:
            ints = [c for c in tab["plain"] if tab["cols"][c] == "integer"]
            if ints:
                c = ints[0]
                tab["plain"].remove(c)
                if len(self.tables) > 1 and rnd.random() < 0.5:
                    ref = rnd.choice(sorted(x for x in self.tables if x != t))
                    self.fks.add(ref)
                    return "create_foreign_key fk_%s_%s on %s (%s) references %s (id);" % (
                        t, c, t, c, ref)
                return "create_check_constraint ck_%s_%s on %s $$%s <> -1$$;" % (t, c, t, c)
        if r < 0.78:
            return "alter_table %s set comment 'table %s';" % (t, t)
        if r < 0.82:
            v = self.new("v")
            self.views[v] = t
            return "create_view %s as $$SELECT id FROM %s$$;" % (v, t)
        if r < 0.85 and self.views:
            v = rnd.choice(sorted(self.views))
            del self.views[v]
            return "drop_view %s;" % v
        if r < 0.88:
            free = [x for x in sorted(self.tables) if x not in self.fks
                    and x not in self.views.values() and x not in self.indexes.values()]
            if free and len(self.tables) > 1:
                x = free[0]
                del self.tables[x]
                return "drop_table %s;" % x
        if barriers and tab["plain"]:
            # A rename: derivable, but not folded.
            c = rnd.choice(tab["plain"])
            n = self.new("r")
            tab["plain"].remove(c)
            ty = tab["cols"].pop(c)
            tab["cols"][n] = ty
            return "alter_column %s %s rename to %s;" % (t, c, n)
        return self.create_table()

    def barrier(self):
        """A statement on rows or raw SQL: its revision gets an empty
        downgrade (they cannot be derived)."""
        rnd = self.rnd
        t = self.pick()
        if t is None:
            return "execute $$SELECT 1$$;"
        tab = self.tables[t]
        r = rnd.random()
        if r < 0.45:
            k = self.new("")
            return "bulk_insert %s (id) values (%s), (%d);" % (t, k, int(k) + 100000)
        if r < 0.7:
            ints = [c for c in tab["cols"] if tab["cols"][c] == "integer" and c != "id"
                    and c in tab["plain"]]
            if ints:
                return "update %s set %s = 3;" % (t, ints[0])
            return "execute $$SELECT 1$$;"
        return "execute $$SELECT 1$$;"


def write(d, rid, parents, body, k, down=None):
    par = "none" if not parents else (parents[0] if len(parents) == 1
                                      else "(%s)" % ", ".join(parents))
    with open(os.path.join(d, "r%03d_%s.rev" % (k, rid)), "w") as f:
        f.write("revision %s\nparent   %s\nmessage  'random %d'\n\nupgrade {\n%s\n}\n"
                % (rid, par, k, "\n".join("    " + s for s in body)))
        if down is not None:
            f.write("\ndowngrade {\n%s}\n" % "".join("    %s\n" % s for s in down))


def main():
    seed, d, dialect = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    rnd = random.Random(seed)
    os.makedirs(d, exist_ok=True)
    m = Model(rnd, dialect)
    count = rnd.randint(4, 30)
    # Where barriers may start: often late, so that long prefixes fold.
    barrier_from = rnd.choice([0, count // 3, count // 2, count])
    head, k = None, 0
    while k < count:
        k += 1
        rid = "r%d_%03d" % (seed, k)
        if head and rnd.random() < 0.12 and k + 3 <= count:
            # A side branch: two revisions off `head`, then a merge.
            a, b = rid + "a", rid + "b"
            # New tables only: the two sides must not touch the same one.
            write(d, a, [head], [m.create_table(False)], k)
            write(d, b, [head], [m.create_table(False)], k)
            k += 1
            mid = "r%d_%03d" % (seed, k)
            write(d, mid, [a, b], [m.statement(k >= barrier_from)], k)
            head = mid
            continue
        if k >= barrier_from and rnd.random() < 0.3:
            write(d, rid, [head] if head else [], [m.barrier()], k, [])
        else:
            body = [m.statement(k >= barrier_from) for _ in range(rnd.randint(1, 4))]
            write(d, rid, [head] if head else [], body, k)
        head = rid


if __name__ == "__main__":
    main()
