#!/usr/bin/env python3
"""history --graph, judged by reading the drawing back.

For random histories (linear runs, branch points, merges of two and three
parents, several roots, depends_on) and for ranges of them, the lanes of
`retort history DIR --graph` are followed row by row, as a reader's eye
would, and the parent edges they draw must be exactly the edges the plain
`history` lists ("parents -> id"), restricted to the revisions shown; every
revision is drawn once, in the plain list's order, with the same marks.
One small history is also compared with its exact drawing.

With a migrator (MIGRATE, built from any history), `history --graph -i`
on a database upgraded part way is the same drawing with "(current)" on
the database's revisions and nowhere else.

usage: history_graph.py RETORT [MIGRATE]
"""
import random
import subprocess
import sys
import tempfile
import os

RETORT = sys.argv[1]
MIGRATE = sys.argv[2] if len(sys.argv) > 2 else None
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def run(*args, prog=None):
    p = subprocess.run([prog or RETORT] + list(args), capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def judge_current(top):
    """The migrator's -i on the drawing, at a revision part way up."""
    url = "sqlite:///" + os.path.join(top, "current.db")
    rc, plain, err = run("history", prog=MIGRATE)
    ids = [l.partition(" -> ")[2].split(" ")[0].rstrip(",") for l in plain.splitlines()]
    target = ids[len(ids) // 2]
    rc, _, err = run("--url", url, "upgrade", target, prog=MIGRATE)
    if rc != 0:
        fail("upgrade %s: %s" % (target, err))
        return
    rc, marked, err = run("--url", url, "history", "--graph", "-i", prog=MIGRATE)
    rc2, drawn, err2 = run("history", "--graph", prog=MIGRATE)
    if rc != 0 or rc2 != 0:
        fail("history --graph -i: exit %d/%d %s%s" % (rc, rc2, err, err2))
        return
    a, b = marked.splitlines(), drawn.splitlines()
    hits = [x for x in a if " (current)" in x]
    if len(a) != len(b) or len(hits) != 1 or target not in hits[0] or \
            [x.replace(" (current)", "") for x in a] != b:
        fail("history --graph -i at %s:\n%s\nwithout -i:\n%s" % (target, marked, drawn))


def write_history(path, revs):
    """revs: list of (id, [parents], [depends]) in creation order."""
    for rid, parents, deps in revs:
        with open(os.path.join(path, rid + ".rev"), "w") as f:
            f.write("revision %s\n" % rid)
            if not parents:
                f.write("parent none\n")
            elif len(parents) == 1:
                f.write("parent %s\n" % parents[0])
            else:
                f.write("parent (%s)\n" % ", ".join(parents))
            if deps:
                f.write("depends_on %s\n" % ", ".join(deps))
            f.write("message 'm %s'\n\nupgrade {\n    create_table t_%s (id integer);\n}\n"
                    % (rid, rid))


def random_history(rng, n):
    revs, heads = [], []
    for i in range(n):
        rid = "r%03d" % i
        roll = rng.random()
        if not revs or roll < 0.06:
            parents = []                                # another root
        elif roll < 0.25 and len(heads) >= 2:
            parents = rng.sample(heads, min(len(heads), rng.choice([2, 2, 3])))
        elif roll < 0.45:
            parents = [rng.choice(revs)[0]]             # maybe a branch point
        else:
            parents = [rng.choice(heads)] if heads else [rng.choice(revs)[0]]
        deps = []
        if revs and rng.random() < 0.08:
            d = rng.choice(revs)[0]
            if d not in parents:
                deps = [d]
        revs.append((rid, parents, deps))
        heads = [h for h in heads if h not in parents] + [rid]
    return revs


def plain_edges(text):
    """{id: set(parents)} and the order, from `history` lines
    'p1, p2 (deps) -> id (marks), message'."""
    order, parents = [], {}
    for line in text.splitlines():
        left, _, right = line.partition(" -> ")
        rid = right.split(" ")[0].rstrip(",")
        ps = left.split(" (")[0]
        parents[rid] = set() if ps == "<base>" else set(p.strip() for p in ps.split(","))
        order.append(rid)
    return order, parents


def read_drawing(text):
    """Follows the lanes; returns (order, {id: set(parents drawn)}, texts)."""
    lanes = []              # each: set of ids whose parent edge it carries
    order, drawn, texts = [], {}, {}
    for line in text.splitlines():
        star = line.find("*")
        if star >= 0 and line[:star].replace("|", "").replace(" ", "") == "" \
                and star % 2 == 0:
            col = star // 2
            rest = line[star + 1:]
            # the lanes right of the node, then the text after them
            k = 0
            while rest[k:k + 2] == " |":
                k += 2
            txt = rest[k:].lstrip(" ")
            rid = txt.split(" ")[0].rstrip(",")
            if col > len(lanes):
                fail("node %s drawn beyond the lanes: %r" % (rid, line))
                return order, drawn, texts
            if col == len(lanes):
                lanes.append(set())
            if 1 + k // 2 + col != len(lanes):
                fail("row of %s shows %d lanes, %d are open: %r"
                     % (rid, 1 + col + k // 2, len(lanes), line))
            for child in lanes[col]:
                drawn.setdefault(child, set()).add(rid)
            drawn.setdefault(rid, set())
            lanes[col] = {rid}
            order.append(rid)
            texts[rid] = txt
            continue
        # a row between nodes: where each open lane goes
        row = line.ljust(2 * len(lanes) + 2)
        new = {}
        for k, owners in enumerate(lanes):
            here = row[2 * k]
            if here == "|":
                new.setdefault(k, set()).update(owners)
                if row[2 * k + 1] == "\\":            # a lane opens from k
                    new.setdefault(k + 1, set()).update(owners)
            elif k > 0 and row[2 * k - 1] == "/":
                p = 2 * k - 1
                while p >= 2 and row[p - 2] == "_":
                    p -= 2
                new.setdefault((p - 1) // 2, set()).update(owners)
            elif row[2 * k + 1] == "\\":
                new.setdefault(k + 1, set()).update(owners)
            elif here == " ":
                for child in owners:        # the lane ends: no parent shown
                    drawn.setdefault(child, set())
            else:
                fail("unreadable row %r at lane %d" % (line, k))
                return order, drawn, texts
        if sorted(new) != list(range(len(new))):
            fail("lanes with a gap after %r: %s" % (line, sorted(new)))
            return order, drawn, texts
        lanes = [new[i] for i in range(len(new))]
    # what is still open at the bottom has no parent below
    return order, drawn, texts


def judge(name, d, *rng_args):
    rc1, plain, err1 = run("history", d, *rng_args)
    rc2, graph, err2 = run("history", d, "--graph", *rng_args)
    if rc1 != 0 or rc2 != 0:
        fail("%s: exit %d/%d: %s%s" % (name, rc1, rc2, err1, err2))
        return
    order, parents = plain_edges(plain)
    gorder, drawn, texts = read_drawing(graph)
    if gorder != order:
        fail("%s %s: drawn order %s, listed %s" % (name, rng_args, gorder, order))
        return
    shown = set(order)
    for rid in order:
        want = parents[rid] & shown
        if drawn.get(rid, set()) != want:
            fail("%s %s: %s drawn with parents %s, has %s\n%s"
                 % (name, rng_args, rid, sorted(drawn.get(rid, set())),
                    sorted(want), graph))
            return
    for line in plain.splitlines():
        rid = line.partition(" -> ")[2].split(" ")[0].rstrip(",")
        marks = [m for m in ("(head)", "(branchpoint)", "(mergepoint)", "(effective head)")
                 if m in line.partition(" -> ")[2]]
        gmarks = [m for m in ("(head)", "(branchpoint)", "(mergepoint)", "(effective head)")
                  if m in texts[rid]]
        if marks != gmarks or not texts[rid].endswith(", m " + rid):
            fail("%s: %s listed %r, drawn %r" % (name, rid, line, texts[rid]))
            return


def main():
    rng = random.Random(20261205)
    with tempfile.TemporaryDirectory() as top:
        # The exact drawing of one branch and merge.
        d = os.path.join(top, "small")
        os.mkdir(d)
        write_history(d, [("a", [], []), ("b", ["a"], []), ("c", ["a"], []),
                          ("d", ["b", "c"], []), ("e", ["d"], [])])
        rc, out, err = run("history", d, "--graph")
        want = ("* e (head), m e\n"
                "* d (mergepoint), m d\n"
                "|\\\n"
                "| * c, m c\n"
                "* | b, m b\n"
                "|/\n"
                "* a (branchpoint), m a\n")
        if rc != 0 or out != want:
            fail("small history drawn as\n%s%s\nwanted\n%s" % (out, err, want))
        rc, out, err = run("history", d, "--graph", "--verbose")
        if rc != 2 or "--graph" not in err:
            fail("--graph --verbose: exit %d, %r (wanted a usage error)" % (rc, err))

        for i in range(60):
            d = os.path.join(top, "h%02d" % i)
            os.mkdir(d)
            revs = random_history(rng, rng.randint(2, 40))
            write_history(d, revs)
            judge("h%02d" % i, d)
            a = rng.choice(revs)[0]
            judge("h%02d" % i, d, "-r", a + ":heads")
            judge("h%02d" % i, d, "-r", "base:" + rng.choice(revs)[0])
        if MIGRATE:
            judge_current(top)
    if failures:
        print("%d failure(s)" % failures)
        sys.exit(1)
    print("ok: history --graph read back on 60 random histories and ranges")


main()
