"""rimp_write.py: the recorded revisions as .rev files, and the report.

Every text is built before anything is written; the files go to a fresh
folder beside the output that is renamed into place at the end, so a
failure leaves nothing behind.
"""
import difflib
import os
import re
import shutil

from rimp_base import Failure, shown
from rimp_project import conditions
from rimp_sql import ident, raw, string

_DDL = re.compile(r"\s*(CREATE|ALTER|DROP|RENAME)\b", re.I)
# `SET lock_timeout = '4s'` and the like: a header line of the revision.
_SETTING = re.compile(r"\s*SET\s+(?:LOCAL\s+|SESSION\s+)?(lock_timeout|statement_timeout)"
                      r"\s*(?:=|\s+TO\s+)\s*'?(\d+(?:\.\d+)?\s*(?:us|ms|s|min|h|d)?)'?"
                      r"\s*;?\s*$", re.I)
# `LOCK TABLE a, b IN SHARE MODE`: lock_table (plain names only).
_LOCK = re.compile(r"\s*LOCK\s+(?:TABLE\s+)?((?:[A-Za-z_][\w.]*\s*,\s*)*[A-Za-z_][\w.]*)"
                   r"(?:\s+IN\s+([A-Za-z ]+?)\s+MODE)?\s*;?\s*$", re.I)
IND = "    "


def _as_list(v):
    if v is None:
        return []
    if isinstance(v, str):
        return [v]
    return list(v)


def _one_line(s, n=160):
    s = re.sub(r"\s+", " ", str(s)).strip()
    return s if len(s) <= n else s[:n - 3] + "..."


def _sql(entry, dialect, single):
    """The SQL of an execute/data entry for `dialect`, or None."""
    if entry is None:
        return None
    t = entry.text
    if isinstance(t, str):
        return t if (single or entry.dialect == dialect) else None
    return t.get(dialect)


class Block:
    """Renders one upgrade or downgrade body."""

    def __init__(self, rev_path, report, stats):
        self.lines = []
        self.irreversible = False
        self.ddl_execute = False
        self.rev_path = rev_path
        self.report = report
        self.stats = stats
        self._todo = None
        self._tainted = False
        self.settings = {}     # lock_timeout / statement_timeout: value

    def _flush_todo(self, ind):
        if not self._todo:
            return
        where, sent = self._todo
        self.lines.append(ind + "# TODO(retort import): the Python data migration at %s"
                          % where)
        self.lines.append(ind + "# was not converted.  On the scratch database it sent:")
        for s in sent:
            self.lines.append(ind + "#   " + s)
        self.lines.append(ind + "# retort never replays recorded rows: write it here as checked data")
        self.lines.append(ind + "# statements (update, delete, insert ... select) or, for what SQL")
        self.lines.append(ind + "# cannot do, as application code: `call NAME;` (docs/migrator.md).")
        self.lines.append(ind + "execute %s;" % raw(
            "SELECT 'TODO: the data migration of %s'" % where.replace("'", "")))
        self.report.append("%s: TODO: Python data migration written as a marked "
                           "execute; port it by hand" % where)
        self.irreversible = True
        self.stats["todo"] += 1
        self._todo = None

    def _add_todo(self, e, text):
        if self._todo is None:
            self._todo = (e.where, [])
        desc = _one_line(text)
        if e.params:
            desc += "   (values bound from Python%s)" % (
                ", %d times" % e.count if e.count > 1 else "")
        self._todo[1].append(desc)

    def _statement(self, ind, s_sql, p_sql, where):
        """A recorded SET of a timeout, or a LOCK TABLE, as retort writes
        it (a header line, lock_table); False for any other SQL.  Both are
        PostgreSQL's: SQLite's record of them is absent or the same."""
        q = p_sql if p_sql is not None else s_sql
        if q is None or (s_sql is not None and s_sql != q):
            return False
        m = _SETTING.match(q)
        if m:
            name, value = m.group(1).lower(), m.group(2)
            self.settings[name] = value
            self.report.append("%s: %s: a header line `%s %s`, for this revision only "
                               "(Alembic kept it for the rest of the run)"
                               % (where, _one_line(q), name, string(value)))
            self.stats["native"] += 1
            return True
        m = _LOCK.match(q)
        if m:
            tables = ", ".join(".".join(ident(p) for p in t.strip().split("."))
                               for t in m.group(1).split(","))
            mode = " " + " ".join(m.group(2).lower().split()) if m.group(2) else ""
            self.lines.append(ind + "lock_table %s%s;" % (tables, mode))
            self.stats["native"] += 1
            return True
        return False

    def _execute(self, ind, s_sql, p_sql, where):
        if self._statement(ind, s_sql, p_sql, where):
            return
        self.irreversible = True
        self.stats["execute"] += 1
        if s_sql is not None and s_sql == p_sql:
            self.lines.append(ind + "execute %s;" % raw(s_sql))
            sqls = [s_sql]
        else:
            sqls = []
            for d, q in (("sqlite", s_sql), ("postgresql", p_sql)):
                if q is None:
                    self.report.append("%s: no %s SQL for this statement (run with "
                                       "--pg-url to record it)" % (where, d))
                    continue
                self.lines.append(ind + "execute %s %s;" % (d, raw(q)))
                sqls.append(q)
        if any(_DDL.match(q) for q in sqls):
            self.ddl_execute = True

    def add(self, pairs, ind, single=None):
        """pairs: [(sqlite entry, postgresql entry)], either may be None;
        single: the one dialect of an `if dialect` block, else None."""
        for es, ep in pairs:
            e = es or ep
            if e.kind not in ("read", "data", "introspect"):
                self._flush_todo(ind)
            if e.kind in ("schema", "bulk"):
                # PostgreSQL's text where both ran: it has the names the
                # database gave (_key).
                t = (ep or es).text
                self.lines.append(ind + t.replace("\n", "\n" + ind) + ";")
                self.stats["native"] += 1
                if e.kind == "bulk":
                    self.irreversible = True
            elif e.kind == "execute":
                if single:
                    q = _sql(e, single, True)
                    self._execute(ind, q, q, e.where)
                else:
                    s = _sql(es, "sqlite", ep is None)
                    p = _sql(ep, "postgresql", True) if ep else _sql(es, "postgresql", True)
                    self._execute(ind, s, p, e.where)
            elif e.kind == "introspect":
                self.stats["introspect"] += 1
            elif e.kind == "read":
                self._tainted = True
                self._add_todo(e, e.text)
            elif e.kind == "data":
                if e.params or self._tainted:
                    self._add_todo(e, e.text)
                else:
                    self._flush_todo(ind)
                    s = es.text if es else None
                    p = ep.text if ep else (s if single is None else None)
                    if single:
                        s = p = e.text
                    self._execute(ind, s, p, e.where)
        self._flush_todo(ind)


def _key(e):
    if e.kind in ("schema", "bulk"):
        # A constraint the history left unnamed: PostgreSQL's run knows
        # the name it got, SQLite's does not; the two are one statement.
        return e.anon or e.text
    return e.kind


def _pairs(entries_by_dialect, only=None):
    """Aligns the two runs' entries; returns a list of ('both', pairs) /
    ('split', s_entries, p_entries) chunks.  With `only` (--dialect), the
    one run's entries are the whole block."""
    if only:
        es = entries_by_dialect.get(only) or []
        return [("both", [(e, None) if only == "sqlite" else (None, e) for e in es])]
    s = entries_by_dialect.get("sqlite") or []
    p = entries_by_dialect.get("postgresql")
    if p is None:
        return [("both", [(e, None) for e in s])]
    out = []
    sm = difflib.SequenceMatcher(None, [_key(e) for e in s], [_key(e) for e in p],
                                 autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            out.append(("both", list(zip(s[i1:i2], p[j1:j2]))))
        else:
            out.append(("split", s[i1:i2], p[j1:j2]))
    return out


def _block(entries_by_dialect, rev_path, report, stats, only=None):
    b = Block(rev_path, report, stats)
    for chunk in _pairs(entries_by_dialect, only):
        if chunk[0] == "both":
            b.add(chunk[1], IND, single=only)
            continue
        for d, es in (("sqlite", chunk[1]), ("postgresql", chunk[2])):
            if not es:
                continue
            b.lines.append(IND + "if dialect %s {" % d)
            n = len(b.lines)
            b.add([(e, None) if d == "sqlite" else (None, e) for e in es],
                  IND * 2, single=d)
            if len(b.lines) == n:
                b.lines.pop()    # only introspection or settings: no block
            else:
                b.lines.append(IND + "}")
    return b


def _created(script):
    m = re.search(r"^\s*Create Date:\s*(.+?)\s*$", script.module.__doc__ or "", re.M)
    return m.group(1) if m else None


def _header(rec, src):
    s = rec.script
    mod = s.module
    out = ["# Imported by retort import from %s." % src]
    out.append("revision %s" % s.revision)
    parents = _as_list(getattr(mod, "down_revision", None))
    if not parents:
        out.append("parent   none")
    elif len(parents) == 1:
        out.append("parent   %s" % parents[0])
    else:
        out.append("parent   (%s)" % ", ".join(parents))
    labels = _as_list(getattr(mod, "branch_labels", None))
    if labels:
        out.append("branch   %s" % ", ".join(labels))
    deps = _as_list(getattr(mod, "depends_on", None))
    if deps:
        out.append("depends_on %s" % ", ".join(deps))
    doc = _one_line(s.doc or "", 10000)
    if doc:
        out.append("message  %s" % string(doc))
    created = _created(s)
    if created:
        out.append("created  %s" % string(created))
    if rec.no_transaction:
        out.append("transaction none")
    return out


def _check_names(rec):
    mod = rec.script.module
    for v in _as_list(getattr(mod, "branch_labels", None)) + \
            _as_list(getattr(mod, "depends_on", None)):
        if not re.fullmatch(r"[A-Za-z0-9_]{1,32}", v):
            raise Failure("%s: '%s' cannot be a retort revision id or branch "
                          "label (letters, digits and _)" % (
                              shown(rec.script.path), v))


def render(project, rec, report, stats, only=None):
    """The text of one .rev file; `only`: the one dialect of --dialect."""
    _check_names(rec)
    path = rec.script.path
    src = os.path.relpath(path, project.root)
    where = shown(path)
    head = _header(rec, src)
    up = _block(rec.up, where, report, stats, only)
    notes = []
    for w, n in rec.notes:
        if (w, n) not in notes:
            notes.append((w, n))
            report.append("%s: %s" % (w, n))
    review = conditions(path, "upgrade")
    if review:
        lines = ", ".join(str(x) for x in review)
        head.insert(1, "# REVIEW: upgrade() decides in Python around its ops (line %s);"
                    % lines)
        head.insert(2, "# this records the path it took on a fresh database.")
        report.append("%s:%d: REVIEW: Python condition around ops; recorded the "
                      "path taken on a fresh database" % (where, review[0]))
    for name in ("lock_timeout", "statement_timeout"):
        if name in up.settings:
            head.append("%s %s" % (name, string(up.settings[name])))
    if up.ddl_execute:
        head.append("schema_check off")
        report.append("%s: raw SQL changes the schema: schema_check off" % where)

    down_lines = None
    if rec.down_broken:
        report.append("%s: Alembic's downgrade() fails: %s" % (where, rec.down_broken))
        if up.irreversible:
            down_lines = [
                IND + "# Alembic's downgrade() fails: %s" % _one_line(rec.down_broken),
                IND + "execute %s;" % raw(
                    'SELECT * FROM "retort import: the downgrade of %s failed '
                    'under Alembic"' % rec.script.revision)]
        else:
            report.append("%s: retort derives the downgrade instead" % where)
    else:
        down = _block(rec.down, where, [], {"native": 0, "execute": 0,
                                            "todo": 0, "introspect": 0}, only)
        derivable = (not up.irreversible and not down.irreversible
                     and rec.down_restores)
        if not derivable:
            down = _block(rec.down, where, report, stats, only)
            down_lines = down.lines
            if not rec.down_restores:
                report.append("%s: downgrade() does not bring the schema back to "
                              "the parent's: kept as written" % where)
        else:
            stats["derived"] += 1
    text = head + ["", "upgrade {"] + up.lines + ["}"]
    if down_lines is not None:
        text += ["", "downgrade {"] + down_lines + ["}"]
    return "\n".join(text) + "\n"


def _target(project, script):
    p = os.path.abspath(script.path)
    for d in sorted(project.version_dirs, key=len, reverse=True):
        if p.startswith(d + os.sep):
            rel = os.path.relpath(p, d)
            break
    else:
        rel = os.path.basename(p)
    return re.sub(r"\.pyc?$", "", rel) + ".rev"


def write(project, records, out, only=None):
    """Writes every .rev under `out` (and, with `only`, a retort.conf saying
    the history targets that database alone); returns the report lines."""
    report = []
    stats = {"native": 0, "execute": 0, "todo": 0, "introspect": 0, "derived": 0}
    files = {}
    for rec in records:
        files[_target(project, rec.script)] = render(project, rec, report, stats, only)
    if only:
        files["retort.conf"] = ("# Written by retort import --dialect %s: the Alembic "
                                "history was\n# recorded on %s alone.\n"
                                "dialects %s\n" % (only, only, only))
    tmp = out + ".retort-import-tmp"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    try:
        for rel, text in files.items():
            p = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
        if os.path.isdir(out):
            os.rmdir(out)
        os.rename(tmp, out)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise Failure("%s: %s" % (out, exc.strerror or exc))
    report.append("retort import: %d revisions written to %s: %d statements "
                  "native, %d execute, %d data-migration TODOs; %d downgrades "
                  "left to retort" % (len(records), shown(out),
                                      stats["native"], stats["execute"],
                                      stats["todo"], stats["derived"]))
    return report
