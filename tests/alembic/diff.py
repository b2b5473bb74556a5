#!/usr/bin/python3
"""diff.py: retort's revision graph against Alembic's, side by side.

    diff.py --retort RETORT --cc CC --lib LIBRETORT --inc INCLUDE --work DIR
            [--cases] [--seed S] [--count N] [--only NAME] [--targets K]

Every history is written twice, as an Alembic project (env.py and
versions/*.py) and as .rev files; a migrator is compiled from the .rev files,
and the installed Alembic (Debian's python3-alembic, run in this process)
and the migrator are given the same commands on copies of the same SQLite
file.  Revision X creates table t_X, so the tables of a database say which
revisions are applied; its alembic_version rows say what the tool recorded.

Compared, for each history: heads, branches, history and history ranges
(as sets of lines: several topological orders may be valid), and from
several starting states every target form of upgrade, downgrade and stamp
(success or failure, then the applied set and the version rows), offline
upgrade and downgrade scripts run through sqlite3, and takeover (one tool
part way, the other to the heads, and the reverse).

--cases runs the hand-made histories (one per point of issue 9); --count N
random histories from --seed S.  The disagreements that are deliberate
(docs/alembic-compat.md) are recognised by `known()` and reported as such,
not as failures.  Exit 0 when everything else agreed, 1 otherwise, 77 when
Alembic is not installed for this python.
"""
import argparse
import contextlib
import io
import logging
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys

try:
    from alembic import command as alembic_command
    from alembic.config import Config
except ImportError:
    print("SKIP: Alembic is not installed for %s" % sys.executable)
    sys.exit(77)

logging.disable(logging.CRITICAL)


# ---- histories -------------------------------------------------------------

class Rev:
    def __init__(self, rid, parents=(), labels=(), depends=()):
        self.id = rid
        self.parents = list(parents)
        self.labels = list(labels)
        self.depends = list(depends)


class History:
    def __init__(self, name, revs):
        self.name = name
        self.revs = revs           # topological order
        self.by_id = {r.id: r for r in revs}

    def label_owner(self, label):
        for r in self.revs:
            if label in r.labels:
                return r.id
        return None


def random_history(rng, name):
    """A random graph: linear runs, branches, merges of 2-3 parents, several
    roots, labels, depends_on, and ids that share prefixes."""
    n = rng.randint(3, 14)
    revs = []
    used = set()
    prefixes = ["a", "ab", "abc", "b", "c1", "c2", "d"]
    labels_left = ["feat", "fix", "abc", "lib", "ui"]
    for i in range(n):
        while True:
            p = rng.choice(prefixes)
            rid = p + "%x" % rng.randint(0, 4095)
            if rid not in used and rid not in labels_left:
                break
        used.add(rid)
        parents = []
        if revs:
            roll = rng.random()
            heads = [r.id for r in revs if not any(r.id in q.parents for q in revs)]
            if roll < 0.10:
                parents = []                       # another root
            elif roll < 0.30 and len(heads) >= 2:
                parents = rng.sample(heads, min(len(heads), rng.choice([2, 2, 3])))
            elif roll < 0.55:
                parents = [rng.choice(revs).id]    # maybe a branch point
            else:
                parents = [rng.choice(heads)]      # a linear run
        depends = []
        if revs and rng.random() < 0.2:
            cand = [r.id for r in revs if r.id not in parents]
            if cand:
                depends = [rng.choice(cand)]
        labels = []
        if labels_left and rng.random() < 0.2:
            labels = [labels_left.pop(rng.randrange(len(labels_left)))]
        revs.append(Rev(rid, parents, labels, depends))
    # A depends_on naming an ancestor or a descendant through parents is
    # legal but dull; keep the ones Alembic accepts (all are acyclic here).
    return History(name, revs)


def case_histories():
    """One history per point of issue 9."""
    H = []
    # Two roots, b1 depends on a1 which has no children (the crash), and a1
    # continued: version rows with depends_on, downgrade across it.
    H.append(History("depends_roots", [
        Rev("a1"), Rev("a2", ["a1"]), Rev("b1", [], ["bee"], ["a1"]),
        Rev("b2", ["b1"])]))
    # A label whose branch depends on another head; history -r a1:.
    H.append(History("label_depends", [
        Rev("a1", [], ["alpha"]), Rev("a2", ["a1"]), Rev("b1", [], ["beta"]),
        Rev("b2", ["b1"], [], ["a2"]), Rev("b3", ["b2"])]))
    # An exact label against an id prefix.
    H.append(History("label_vs_prefix", [
        Rev("abc12345"), Rev("abd67890", ["abc12345"], ["abc"]),
        Rev("abc99999", ["abd67890"])]))
    # A linear run c01..c11, a branch with a label, a merge of three.
    lin = [Rev("c%02d" % i, ["c%02d" % (i - 1)] if i > 1 else []) for i in range(1, 12)]
    H.append(History("linear", lin))
    H.append(History("branches", [
        Rev("r0"), Rev("r1", ["r0"]), Rev("f1", ["r1"], ["feature"]),
        Rev("f2", ["f1"]), Rev("g1", ["r1"], ["other"]), Rev("g2", ["g1"]),
        Rev("h1", ["r0"]), Rev("m1", ["f2", "g2", "h1"]), Rev("m2", ["m1"])]))
    # Several roots joined later, a dependency onto a label.
    H.append(History("roots_merge", [
        Rev("x1", [], ["xl"]), Rev("y1", [], ["yl"]), Rev("x2", ["x1"]),
        Rev("y2", ["y1"], [], ["x1"]), Rev("z1", ["x2", "y2"]), Rev("z2", ["z1"])]))
    # A merge of three whose depends_on names an ancestor of its parents
    # (seed 5): Alembic crashes writing m1's row; a takeover of the
    # database it left must finish the job, not re-run m1.
    H.append(History("merge3_depends", [
        Rev("r1"), Rev("p1", ["r1"]), Rev("p2", ["r1"]), Rev("p3", ["r1"]),
        Rev("s1"), Rev("m1", ["p1", "p2", "p3"], [], ["r1"]), Rev("n1", ["m1"]),
        Rev("q1", ["s1", "n1"], [], ["r1"])]))
    return H


# ---- writing the two projects --------------------------------------------

ENV_PY = '''\
"""The differential test's Alembic environment: the URL comes from the
Config's attributes; one transaction per revision, as retort does.  The
sqlite3 module commits DDL on its own unless it is told not to begin or
end transactions itself: then a revision that fails (or on which Alembic
crashes) is rolled back whole, as in retort."""
from alembic import context
from sqlalchemy import create_engine, event, pool

config = context.config
url = config.attributes["url"]

if context.is_offline_mode():
    context.configure(url=url, literal_binds=True,
                      transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url, poolclass=pool.NullPool)

    @event.listens_for(engine, "connect")
    def _driver_leaves_transactions_alone(dbapi_conn, record):
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin_for_real(conn):
        conn.exec_driver_sql("BEGIN")

    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
'''


def py_tuple(xs):
    if not xs:
        return "None"
    if len(xs) == 1:
        return repr(xs[0])
    return "(" + ", ".join(repr(x) for x in xs) + ")"


def write_projects(h, d):
    """d/alembic (Alembic) and d/rev (.rev files)."""
    os.makedirs(d + "/alembic/versions")
    os.makedirs(d + "/rev")
    with open(d + "/alembic/env.py", "w") as f:
        f.write(ENV_PY)
    for r in h.revs:
        with open(d + "/alembic/versions/%s.py" % r.id, "w") as f:
            f.write('"""%s"""\nfrom alembic import op\n\n' % r.id)
            f.write("revision = %r\ndown_revision = %s\nbranch_labels = %s\n"
                    "depends_on = %s\n\n\n" % (r.id, py_tuple(r.parents),
                                               py_tuple(r.labels), py_tuple(r.depends)))
            f.write("def upgrade():\n    op.execute('CREATE TABLE t_%s (id INTEGER)')\n\n\n"
                    "def downgrade():\n    op.execute('DROP TABLE t_%s')\n" % (r.id, r.id))
        lines = ["revision %s" % r.id,
                 "parent %s" % ("none" if not r.parents else
                                r.parents[0] if len(r.parents) == 1 else
                                "(" + ", ".join(r.parents) + ")")]
        if r.labels:
            lines.append("branch " + ", ".join(r.labels))
        if r.depends:
            lines.append("depends_on " + ", ".join(r.depends))
        lines.append("message '%s'" % r.id)
        lines += ["", "upgrade {", "    create_table t_%s (id integer);" % r.id, "}"]
        with open(d + "/rev/%s.rev" % r.id, "w") as f:
            f.write("\n".join(lines) + "\n")


def build_migrator(args, d):
    subprocess.run([args.retort, "compile", d + "/rev", "-o", d + "/m.c", "--name", "m"],
                   check=True)
    cflags = os.environ.get("MIGRATOR_CFLAGS", "").split()
    subprocess.run([args.cc, "-O0"] + cflags + [d + "/m.c", "-I", args.inc, args.lib,
                    "-lsqlite3", "-ldl", "-o", d + "/m"], check=True)
    return d + "/m"


# ---- the two tools ---------------------------------------------------------

class Outcome:
    """What a command did: ok, its text output, and the database after."""
    def __init__(self, ok, out, err=""):
        self.ok = ok
        self.out = out
        self.err = err


def alembic_run(d, db, cmd, *a, **kw):
    out = io.StringIO()
    cfg = Config(stdout=out, output_buffer=out)
    cfg.set_main_option("script_location", d + "/alembic")
    cfg.attributes["url"] = "sqlite:///" + db
    err = ""
    ok = True
    try:
        with contextlib.redirect_stdout(out):
            getattr(alembic_command, cmd)(cfg, *a, **kw)
    except Exception as e:            # CommandError, and Alembic's own bugs
        ok = False
        err = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    return Outcome(ok, out.getvalue(), err)


PROGRESS = re.compile(r"Running (upgrade|downgrade) ")


def migrator_run(m, db, *a):
    p = subprocess.run([m, "--url", "sqlite:///" + db] + list(a),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1, 2):
        raise SystemExit("FAIL: the migrator died (%d) on %s: %s"
                         % (p.returncode, " ".join(a), p.stderr))
    # Progress lines come before the reason when whole revisions were
    # applied before one failed (SPEC section 6: one transaction each).
    reason = [l for l in p.stderr.strip().splitlines() if not PROGRESS.match(l)]
    if p.returncode != 0 and len(reason) != 1:
        raise SystemExit("FAIL: %s: not one line on stderr: %r" % (" ".join(a), p.stderr))
    return Outcome(p.returncode == 0, p.stdout, p.stderr.strip())


def db_state(db):
    """(applied revisions, version rows) of a SQLite file."""
    if not os.path.exists(db):
        return (frozenset(), frozenset())
    c = sqlite3.connect(db)
    try:
        tabs = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        applied = frozenset(t[2:] for t in tabs if t.startswith("t_"))
        rows = frozenset()
        if "alembic_version" in tabs:
            rows = frozenset(r[0] for r in c.execute("SELECT version_num FROM alembic_version"))
        return (applied, rows)
    finally:
        c.close()


def show(state):
    return "applied {%s} rows {%s}" % (" ".join(sorted(state[0])), " ".join(sorted(state[1])))


# ---- the comparison ---------------------------------------------------------

class Run:
    def __init__(self, args):
        self.args = args
        self.failures = 0
        self.known = 0
        self.checks = 0

    def fail(self, h, what, detail):
        self.failures += 1
        print("FAIL [%s] %s: %s" % (h.name, what, detail))

    def agree(self, h, what, a, b, known=None, names=("alembic", "retort")):
        self.checks += 1
        if a == b:
            return True
        said = "%s %s, %s %s" % (names[0], a, names[1], b)
        if known:
            self.known += 1
            if self.args.verbose:
                print("known [%s] %s: %s (%s)" % (h.name, what, known, said))
            return True
        self.fail(h, what, said)
        return False


def lines_of(text, drop_info=True):
    return sorted(l.rstrip() for l in text.splitlines()
                  if l.strip() and not (drop_info and l.startswith("INFO")))


MARKS = {"(head)", "(branchpoint)", "(mergepoint)", "(current)"}


def plain(lines):
    """Listing lines without branch labels and depends_on in parentheses:
    Alembic shows a label on every revision of its branch and a
    revision's dependencies after its parents; retort shows a label on
    the revision that declares it (docs/alembic-compat.md)."""
    out = []
    for l in lines or []:
        l = re.sub(r" \(([^()]*)\)", lambda m: m.group(0) if m.group(0)[1:] in MARKS else "", l)
        out.append(l)
    return sorted(out)


def targets_for(h, rng):
    """Every target form over this history's names."""
    ids = [r.id for r in h.revs]
    labels = [l for r in h.revs for l in r.labels]
    t = ["head", "heads", "base", "+1", "+2", "-1", "-2"]
    t += ids
    t += sorted({i[:k] for i in ids for k in (1, 2, 3) if k < len(i)})
    t += labels
    for l in labels:
        t += [l + "@head", l + "@base", l + "@+1", l + "@-1", l + "@+2"]
        t += [l + "@" + rng.choice(ids)]
    for i in rng.sample(ids, min(4, len(ids))):
        t += [i + "+1", i + "-1", i + "+2", i + "@head"]
    t += ["nosuch", "heads+1", "head-1"]
    return t


def compare_listing(run, h, d, m):
    db = d + "/none.db"
    for cmd, margs in (("heads", ()), ("branches", ()), ("history", ())):
        a = alembic_run(d, db, cmd, *margs)
        b = migrator_run(m, db, cmd)
        la, lb = lines_of(a.out), lines_of(b.out)
        run.agree(h, cmd, la, lb,
                  "labels shown per branch" if plain(la) == plain(lb) else None)
    ids = [r.id for r in h.revs]
    ends = ["base", "head", "heads"] + ids
    rng = random.Random(h.name)
    pairs = [(x, y) for x in ends for y in ends]
    rng.shuffle(pairs)
    for x, y in pairs[:40] + [("base", "base")]:
        rg = "%s:%s" % (x, y)
        a = alembic_run(d, db, "history", rev_range=rg)
        b = migrator_run(m, db, "history", "-r", rg)
        known = None
        la, lb = lines_of(a.out) if a.ok else None, lines_of(b.out) if b.ok else None
        if not a.ok and a.err.split(":")[0] in ("KeyError", "AssertionError"):
            known = "Alembic crashes on this range (%s)" % a.err
        elif a.ok and b.ok and plain(la) == plain(lb):
            known = "labels shown per branch"
        if not run.agree(h, "history -r %s" % rg, (a.ok, la), (b.ok, lb), known):
            print("    alembic: %s | retort: %s" % (a.err, b.err))


def start_states(h, rng, d, m):
    """Databases (paths) at several states, made by Alembic upgrades."""
    states = [("base", [])]
    ids = [r.id for r in h.revs]
    for t in rng.sample(ids, min(3, len(ids))):
        states.append((t, [t]))
    if len(ids) >= 2:
        two = rng.sample(ids, 2)
        states.append(("+".join(two), two))
    states.append(("heads", ["heads"]))
    out = []
    for name, ups in states:
        db = d + "/start_%s.db" % len(out)
        ok = True
        for t in ups:
            ok = ok and alembic_run(d, db, "upgrade", t).ok
        if not ok:
            continue
        if not os.path.exists(db):
            alembic_run(d, db, "stamp", "base")
        out.append((name, db))
    return out


def compare_moves(run, h, d, m, rng):
    targets = targets_for(h, rng)
    if run.args.targets and len(targets) > run.args.targets:
        targets = rng.sample(targets, run.args.targets)
    for sname, start in start_states(h, rng, d, m):
        # history -i marks the revisions of the version rows (current).
        a = alembic_run(d, start, "history", indicate_current=True)
        b = migrator_run(m, start, "history", "-i")
        la, lb = lines_of(a.out) if a.ok else None, lines_of(b.out) if b.ok else None
        known = "labels shown per branch" if a.ok and b.ok and plain(la) == plain(lb) else None
        run.agree(h, "history -i from %s" % sname, (a.ok, la), (b.ok, lb), known)
        for cmd in ("upgrade", "downgrade", "stamp"):
            for t in targets:
                if cmd == "downgrade" and t in ("head", "heads"):
                    continue
                compare_move(run, h, d, m, sname, start, cmd, t)


def names_target(t, err):
    """Whether a refusal names the target the user typed: the whole of it,
    or (unknown names) the part before '@' or the revision it starts
    with.  A message quoting a cut-off target misleads."""
    if t in err:
        return True
    if t.startswith("head") and "multiple heads" in err:
        return True            # 'head' itself is what cannot be resolved
    parts = [t.split("@")[0], t.split("@")[-1]] + [REL.match(t).group(2) or ""
                                                   if REL.match(t) else ""]
    return any(p and ("unknown revision '%s'" % p in err or
                      "no such branch: '%s'" % p in err) for p in parts)


def compare_move(run, h, d, m, sname, start, cmd, t):
    """One command on copies of `start` by both tools: success or failure,
    then the applied set and the rows; a failure leaves the database as it
    was and names the target; a success is also compared offline."""
    s0 = db_state(start)
    da, dr = d + "/a.db", d + "/r.db"
    shutil.copy(start, da)
    shutil.copy(start, dr)
    a = alembic_run(d, da, cmd, t)
    b = migrator_run(m, dr, cmd, t)
    sa, sr = db_state(da), db_state(dr)
    what = "%s %s from %s" % (cmd, t, sname)
    if not b.ok and sr != s0:
        run.fail(h, what, "failed but changed the database: %s" % show(sr))
    if not b.ok and "contradicts itself" not in b.err and not names_target(t, b.err):
        run.fail(h, what, "the message does not name the target: %s" % b.err)
    known = known_move(h, cmd, t, s0, a, sa, b, sr)
    if not run.agree(h, what, (a.ok, show(sa) if a.ok else ""),
                     (b.ok, show(sr) if b.ok else ""), known):
        print("    alembic: %s | retort: %s" % (a.err, b.err))
    if a.ok and b.ok and cmd == "stamp":
        # stamp's deliberate differences (known_move) hold online and
        # offline alike: its script must do what the migrator did.
        compare_offline(run, h, d, m, cmd, t, start, s0, sr, ("online", "offline"))
    elif a.ok and b.ok:
        compare_offline(run, h, d, m, cmd, t, start, s0, sa)
    return a, b


def state_by(d, name, ups, rows=()):
    """A database Alembic upgraded to each of `ups` in turn, then given the
    extra version rows `rows` (a table that contradicts itself)."""
    db = d + "/%s.db" % name
    if os.path.exists(db):
        os.remove(db)
    for t in ups:
        alembic_run(d, db, "upgrade", t)
    if not os.path.exists(db):
        alembic_run(d, db, "stamp", "base")
    if rows:
        c = sqlite3.connect(db)
        c.executemany("INSERT INTO alembic_version VALUES (?)", [(x,) for x in rows])
        c.commit()
        c.close()
    return db


# Hand-made commands, one or more per point of issue 9, run whenever the
# case histories are (compare_moves samples targets and may miss them):
# (history, Alembic upgrades to the start, command, arguments).
CASE_MOVES = [
    # version rows with depends_on: b1 implies a1
    ("depends_roots", [], "upgrade", "b1"),
    ("depends_roots", [], "stamp", "b1"),
    ("depends_roots", ["b1"], "upgrade", "+1"),
    ("depends_roots", [], "upgrade", "bee@head"),
    ("depends_roots", [], "upgrade", "b1+1"),
    ("depends_roots", ["a1"], "upgrade", "b1"),
    # downgrade across depends_on unapplies only a1's children
    ("depends_roots", ["heads"], "downgrade", "a1"),
    ("depends_roots", ["heads"], "downgrade", "b1"),
    ("depends_roots", ["heads"], "downgrade", "bee@base"),
    # LABEL@head when a depends_on edge reaches another head
    ("label_depends", [], "upgrade", "alpha@head"),
    ("label_depends", [], "upgrade", "beta@head"),
    ("label_depends", ["heads"], "downgrade", "alpha@base"),
    # an exact branch label beats an id prefix
    ("label_vs_prefix", [], "upgrade", "abc"),
    ("label_vs_prefix", ["heads"], "downgrade", "abc"),
    ("label_vs_prefix", [], "stamp", "abc"),
    # the target forms
    ("branches", ["f2"], "downgrade", "feature@base"),
    ("branches", ["g2"], "downgrade", "feature@base"),
    ("branches", ["r1"], "upgrade", "feature@base"),
    ("branches", ["f1"], "upgrade", "feature@+1"),
    ("branches", [], "upgrade", "feature@+1"),
    ("branches", ["f2"], "downgrade", "feature@-1"),
    ("branches", ["heads"], "downgrade", "feature@-1"),
    ("branches", ["heads"], "downgrade", "feature@-2"),
    ("branches", ["r1"], "upgrade", "feature@f2"),
    ("branches", ["r1"], "upgrade", "feature@g1"),
    ("branches", ["heads"], "downgrade", "feature@f1"),
    ("branches", [], "upgrade", "r1@head"),
    ("branches", [], "upgrade", "f1@head"),
    ("branches", ["f2"], "downgrade", "f2-1"),
    ("branches", ["heads"], "downgrade", "m2-2"),
    ("branches", ["heads"], "upgrade", "feature@+1"),
    ("branches", ["heads"], "upgrade", "feature@+3"),
    ("linear", ["c05"], "downgrade", "c05-2"),
    ("linear", ["c05"], "upgrade", "c05+2"),
    # invalid moves: exit 1, one line, nothing changed
    ("linear", ["c05"], "downgrade", "c08"),
    ("linear", ["c05"], "upgrade", "c03"),
    ("linear", ["c05"], "downgrade", "c05+1"),
    ("linear", ["c05"], "downgrade", "nosuch"),
    ("linear", [], "upgrade", "nosuch@head"),
]

# Takeover from a revision part way: (history, revision).
CASE_TAKEOVERS = [
    ("merge3_depends", "m1"),
    ("merge3_depends", "n1"),
    ("merge3_depends", "q1"),
    ("merge3_depends", "p2"),
]

# history -r RANGE from a database state: (history, upgrades, range).
CASE_RANGES = [
    ("label_depends", [], "a1:"),
    ("label_depends", [], "b1:b3"),
    ("linear", [], "c08:c03"),
    ("linear", [], "base:base"),
    ("linear", ["c05"], "current:"),
    ("linear", ["c05"], "c02:current"),
    ("linear", ["c05"], "current:c08"),
    ("branches", ["f2"], "current:"),
    ("branches", ["f2"], "r0:current"),
    ("branches", ["heads"], "current:heads"),
    ("branches", [], "f1:g1"),
    ("roots_merge", [], "y1:"),
]


def compare_cases(run, h, d, m):
    """The hand-made commands of CASE_MOVES and CASE_RANGES on history h,
    `show LABEL`, and the issue's contradictory table (rows c05 and c08)."""
    for name, ups, cmd, t in CASE_MOVES:
        if name == h.name:
            compare_move(run, h, d, m, "+".join(ups) or "base",
                         state_by(d, "case", ups), cmd, t)
    for name, ups, rg in CASE_RANGES:
        if name != h.name:
            continue
        db = state_by(d, "case", ups)
        a = alembic_run(d, db, "history", rev_range=rg)
        b = migrator_run(m, db, "history", "-r", rg)
        la, lb = lines_of(a.out) if a.ok else None, lines_of(b.out) if b.ok else None
        known = None
        if not a.ok and a.err.split(":")[0] in ("KeyError", "AssertionError"):
            known = "Alembic crashes on this range (%s)" % a.err
        elif a.ok and b.ok and plain(la) == plain(lb):
            known = "labels shown per branch"
        if not run.agree(h, "history -r %s from %s" % (rg, "+".join(ups) or "base"),
                         (a.ok, la), (b.ok, lb), known):
            print("    alembic: %s | retort: %s" % (a.err, b.err))
    for label in [l for r in h.revs for l in r.labels]:
        a = alembic_run(d, d + "/none.db", "show", label)
        b = migrator_run(m, d + "/none.db", "show", label)
        first = lambda o: o.out.splitlines()[0] if o.ok and o.out else o.ok
        run.agree(h, "show %s" % label, first(a), first(b))
    if h.name == "linear":
        compare_contradiction(run, h, d, m, "c05", "c08")
    mids = [mid for name, mid in CASE_TAKEOVERS if name == h.name]
    if mids:
        compare_takeover(run, h, d, m, mids)


REL = re.compile(r"(?:(.+?)@)?(\w+)?([+-]\d+)$")


def ancestors(h, ids):
    """Everything applied before the revisions `ids` (parents, depends_on)."""
    out, todo = set(), list(ids)
    while todo:
        r = h.by_id[todo.pop()]
        for p in r.parents + [h.label_owner(x) or x for x in r.depends]:
            if p not in out:
                out.add(p)
                todo.append(p)
    return out


def implied_rows(h, sa, sr):
    """Alembic kept rows that another of its rows implies (after a
    downgrade across a depends_on that names an ancestor); retort's rows
    are the same without them."""
    extra = sa[1] - sr[1]
    return sa[0] == sr[0] and sr[1] < sa[1] and extra <= ancestors(h, sr[1])


def known_move(h, cmd, t, s0, a, sa, b, sr):
    """The reason when a disagreement is one docs/alembic-compat.md lists
    as deliberate (or as Alembic's bug); None otherwise."""
    if alembic_crashed(a):
        return "Alembic crashes (%s)" % a.err
    if a.ok and b.ok and implied_rows(h, sa, sr):
        return "Alembic keeps a row implied by another row"
    if cmd == "upgrade" and a.ok and sa == s0 and not b.ok and "already applied" in b.err:
        return "upgrade to a revision below the rows: Alembic does nothing, retort refuses"
    if cmd == "upgrade" and not a.ok and b.ok and sr == s0 and REL.match(t):
        return "a relative upgrade target below a root is base for retort"
    if cmd == "stamp" and REL.match(t):
        return "Alembic's stamp does not resolve relative targets"
    if cmd == "stamp" and a.ok and b.ok and sa[0] == sr[0] and len(s0[1]) > 1:
        return "Alembic's stamp from several rows drops a head's row"
    if cmd == "downgrade" and len(s0[1]) > 1 and REL.match(t) and not b.ok:
        return "downgrade -N from several rows: Alembic picks one row, retort refuses"
    if cmd == "downgrade" and t.endswith("@head") and not a.ok and \
            "Multiple head" in a.err:
        return "Alembic's downgrade ignores LABEL in LABEL@head"
    if cmd == "stamp" and a.ok and b.ok and sa[0] == sr[0] and sa[1] < sr[1]:
        return "Alembic's stamp drops the rows of revisions that stay applied"
    if cmd == "stamp" and t.endswith("@base") and a.ok and b.ok and sa[0] == sr[0]:
        return "Alembic's stamp LABEL@base drops rows outside the branch"
    if REL.match(t) and not a.ok and "Ambiguous walk" in a.err:
        return "-N across a merge walks the first parent"
    return None


def compare_offline(run, h, d, m, cmd, t, start, s0, sa, names=("alembic", "retort")):
    """The offline script of the same move, run through sqlite3, must leave
    the state the online move left (Alembic's, or for stamp the migrator's
    own).  Only moves from one row (Alembic needs a single starting
    revision) or from base."""
    if len(s0[1]) > 1:
        return
    frm = next(iter(s0[1])) if s0[1] else "base"
    if cmd == "downgrade" and frm == "base":
        return
    if t[0] in "+-" or "@+" in t or "@-" in t:
        return                 # relative to the live database: not offline
    rg = "%s:%s" % (frm, t)
    dr = d + "/o.db"
    if os.path.exists(dr):
        os.remove(dr)
    if frm != "base":
        shutil.copy(start, dr)
    b = migrator_run(m, dr, cmd, "--sql", "--dialect", "sqlite", rg)
    what = "%s --sql %s" % (cmd, rg)
    if not b.ok:
        a = alembic_run(d, d + "/x.db", cmd, rg, sql=True)
        run.agree(h, what, a.ok, b.ok)
        return
    p = subprocess.run(["sqlite3", "-bail", dr], input=b.out, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        run.fail(h, what, "sqlite3 refused the script: %s" % p.stderr.strip())
        return
    sr = db_state(dr)
    run.agree(h, what, show(sa), show(sr),
              "Alembic keeps a row implied by another row"
              if names[0] == "alembic" and implied_rows(h, sa, sr) else None, names)


def full_state(h):
    """The state after every revision: all applied, a row per head that no
    other head needs through depends_on (Alembic's rows)."""
    heads = {r.id for r in h.revs if not any(r.id in q.parents for q in h.revs)}
    return (frozenset(r.id for r in h.revs), frozenset(heads - ancestors(h, heads)))


ALEMBIC_CRASH = ("KeyError", "AttributeError", "AssertionError", "TypeError",
                 "IndexError", "CommandError: Online migration expected")


def alembic_crashed(o):
    return not o.ok and o.err.startswith(ALEMBIC_CRASH)


def compare_takeover(run, h, d, m, mids):
    """One tool upgrades to each of `mids`, the other then to the heads:
    the result is every revision applied once, with the rows of the heads.
    Where Alembic crashes (its own bug, rolled back), the migrator must
    still finish from the rows Alembic left."""
    want = full_state(h)
    ref = d + "/ref.db"
    if os.path.exists(ref):
        os.remove(ref)
    a = alembic_run(d, ref, "upgrade", "heads")
    run.agree(h, "alembic to heads", (True, show(want)), (a.ok, show(db_state(ref))),
              "Alembic crashes (%s)" % a.err if alembic_crashed(a) else None,
              ("expected", "got"))
    for mid in mids:
        for first, second in (("alembic", "retort"), ("retort", "alembic")):
            db = d + "/take.db"
            if os.path.exists(db):
                os.remove(db)
            one = alembic_run(d, db, "upgrade", mid) if first == "alembic" else \
                migrator_run(m, db, "upgrade", mid)
            two = migrator_run(m, db, "upgrade", "heads") if second == "retort" else \
                alembic_run(d, db, "upgrade", "heads")
            got = (one.ok, two.ok, show(db_state(db)))
            known = None
            if first == "alembic" and alembic_crashed(one) and got[1:] == (True, show(want)):
                known = "Alembic crashes (%s); retort finishes from its rows" % one.err
            elif second == "alembic" and alembic_crashed(two):
                known = "Alembic crashes (%s)" % two.err
            if not run.agree(h, "%s to %s, then %s to heads" % (first, mid, second),
                             (True, True, show(want)), got, known, ("expected", "got")):
                print("    first: %s | then: %s" % (one.err, two.err))


def compare_contradiction(run, h, d, m, below=None, top=None):
    """Rows that contradict each other (`below` is applied before `top`,
    both are rows): both tools refuse to upgrade or downgrade on top of
    them; the migrator refuses before any SQL, with one line that says how
    to repair (stamp), and leaves the database as it was."""
    if top is None:
        ids = [r.id for r in h.revs if len(r.parents) == 1]
        if not ids:
            return
        top = ids[-1]
        below = h.by_id[top].parents[0]
    for cmd, t in (("upgrade", "heads"), ("upgrade", "+1"), ("downgrade", "-1"),
                   ("downgrade", "base")):
        for tool in ("alembic", "retort"):
            db = state_by(d, "contra_%s" % tool, [below], [top])
            s0 = db_state(db)
            o = alembic_run(d, db, cmd, t) if tool == "alembic" else \
                migrator_run(m, db, cmd, t)
            what = "%s: %s %s on rows %s and %s" % (tool, cmd, t, below, top)
            run.agree(h, what, False, o.ok)
            if tool == "retort":
                run.agree(h, what + ": untouched", show(s0), show(db_state(db)))
                run.agree(h, what + ": the refusal says stamp", True, "stamp" in o.err)


def check_history(run, h, work):
    d = os.path.join(work, h.name)
    shutil.rmtree(d, ignore_errors=True)
    write_projects(h, d)
    m = build_migrator(run.args, d)
    rng = random.Random(h.name)
    compare_listing(run, h, d, m)
    compare_moves(run, h, d, m, rng)
    ids = [r.id for r in h.revs]
    compare_takeover(run, h, d, m, rng.sample(ids, min(3, len(ids))))
    compare_contradiction(run, h, d, m)
    if run.args.cases:
        compare_cases(run, h, d, m)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--retort", required=True)
    ap.add_argument("--cc", required=True)
    ap.add_argument("--lib", required=True)
    ap.add_argument("--inc", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--cases", action="store_true")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=0)
    ap.add_argument("--only")
    ap.add_argument("--targets", type=int, default=0,
                    help="try this many target forms per state (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    run = Run(args)
    hs = case_histories() if args.cases else []
    rng = random.Random(args.seed)
    for i in range(args.count):
        hs.append(random_history(rng, "seed%d_%d" % (args.seed, i)))
    os.makedirs(args.work, exist_ok=True)
    for h in hs:
        if args.only and h.name != args.only:
            continue
        check_history(run, h, args.work)
    print("%d checks, %d failures, %d known disagreements" % (run.checks, run.failures, run.known))
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
