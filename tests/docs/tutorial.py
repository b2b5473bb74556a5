#!/usr/bin/env python3
"""Replays docs/tutorial.md and compares what each command prints.

The tutorial is a transcript: in its ```console blocks a line "$ CMD"
is a command (with a here-document, the lines up to its terminator
belong to it) and the lines after it, up to the next "$ ", are what it
printed, stdout and stderr together.  Each command runs with bash in one
working directory, against the installed package in PREFIX; every command
must exit 0 unless the next one is `echo $?`, which prints the status.

What cannot repeat from one run to the next is matched, not compared:
revision ids that retort made up (an id first seen in an output is bound
to the id printed in its place, and stands for it from then on, in
commands too), dates and the date prefix of file names.  An output of
just "..." is not compared (a build's chatter).

usage: tutorial.py TUTORIAL.md PREFIX WORKDIR [--record]
--record writes the outputs of this run into TUTORIAL.md instead.
"""
import os
import re
import subprocess
import sys

DOC, PREFIX, WORK = sys.argv[1:4]
RECORD = "--record" in sys.argv[4:]

HEX_ID = re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{12}(?![0-9A-Za-z])")
DATE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
FILE_DATE = re.compile(r"\b\d{8}_\d{4}-")


def parse(lines):
    """[(first line index, last line index + 1, command, expected lines)]"""
    steps, i, block = [], 0, False
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            block = line.strip() == "```console" if not block else False
            i += 1
            continue
        if not (block and line.startswith("$ ")):
            i += 1
            continue
        start, cmd = i, [line[2:]]
        m = re.search(r"<<'?(\w+)'?\s*$", line)
        i += 1
        if m:
            while i < len(lines) and lines[i] != m.group(1):
                cmd.append(lines[i])
                i += 1
            cmd.append(lines[i] if i < len(lines) else "")
            i += 1
        out_start = i
        while i < len(lines) and not lines[i].startswith("$ ") \
                and not lines[i].startswith("```"):
            i += 1
        steps.append((start, out_start, i, "\n".join(cmd), lines[out_start:i]))
    return steps


def pattern(expected, ids):
    """A regex for the expected lines; new ids become named groups."""
    text = "\n".join(expected)
    out, pos, fresh = [], 0, {}
    tokens = sorted([(m.start(), m.end(), "id", m.group()) for m in HEX_ID.finditer(text)] +
                    [(m.start(), m.end(), "date", m.group()) for m in DATE.finditer(text)] +
                    [(m.start(), m.end(), "fdate", m.group()) for m in FILE_DATE.finditer(text)])
    for s, e, kind, tok in tokens:
        if s < pos:
            continue
        out.append(re.escape(text[pos:s]))
        if kind == "date":
            out.append(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d")
        elif kind == "fdate":
            out.append(r"\d{8}_\d{4}-")
        elif tok in ids:
            out.append(re.escape(ids[tok]))
        elif tok in fresh:
            out.append("(?P=%s)" % fresh[tok])
        else:
            fresh[tok] = "g%d" % len(fresh)
            out.append("(?P<%s>[0-9a-f]{12})" % fresh[tok])
        pos = e
    out.append(re.escape(text[pos:]))
    return re.compile("".join(out)), fresh


def main():
    with open(DOC) as f:
        lines = f.read().split("\n")
    steps = parse(lines)
    if not steps:
        print("FAIL: no commands in " + DOC)
        return 1
    os.makedirs(WORK, exist_ok=True)
    env = dict(os.environ)
    env["PATH"] = os.path.join(PREFIX, "bin") + os.pathsep + env["PATH"]
    env["CMAKE_PREFIX_PATH"] = PREFIX
    env["LC_ALL"] = "C"
    env.pop("DATABASE_URL", None)
    # stdbuf makes stdout line-buffered, so that it interleaves with stderr
    # as on a terminal; under ASan its preload must not be refused.
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0").lstrip(":")
    ids, status, failures, recorded = {}, 0, 0, {}
    for n, (start, out_start, end, cmd, expected) in enumerate(steps):
        for doc_id, real in ids.items():
            cmd = cmd.replace(doc_id, real)
        if cmd.strip() == "echo $?":
            got = "%d\n" % status
            rc = 0
        else:
            p = subprocess.run(["stdbuf", "-oL", "-eL", "bash", "-c", cmd], cwd=WORK,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
            got, rc = p.stdout, p.returncode
        status = rc
        checked = n + 1 < len(steps) and steps[n + 1][3].strip() == "echo $?"
        if rc != 0 and not checked:
            print("FAIL: %s:%d: `%s` exited %d:\n%s" % (DOC, start + 1, cmd, rc, got))
            failures += 1
            break
        got_lines = got.rstrip("\n").split("\n") if got.strip() else []
        if RECORD:
            # Bind the ids the transcript showed to this run's, in order
            # of appearance, so that later commands name this run's.
            new = [t for t in dict.fromkeys(HEX_ID.findall("\n".join(expected)))
                   if t not in ids and t not in cmd]
            real = [t for t in dict.fromkeys(HEX_ID.findall(got))
                    if t not in ids.values() and t not in cmd]
            for a, b in zip(new, real):
                ids[a] = b
            shown = ["$ " + cmd.split("\n")[0]] + cmd.split("\n")[1:]
            recorded[start] = (end, shown + (["..."] if expected == ["..."] else got_lines))
            continue
        if expected == ["..."]:
            continue
        want = [l for l in expected]
        while want and want[-1] == "":
            want.pop()
        rx, fresh = pattern(want, ids)
        m = rx.fullmatch("\n".join(got_lines))
        if not m:
            print("FAIL: %s:%d: `%s` printed:\n%s\n--- the tutorial shows:\n%s\n"
                  % (DOC, start + 1, cmd, "\n".join(got_lines), "\n".join(want)))
            failures += 1
            break
        for tok, g in fresh.items():
            ids[tok] = m.group(g)
    if RECORD:
        out = []
        i = 0
        while i < len(lines):
            if i in recorded:
                end, got_lines = recorded[i]
                out.extend(got_lines)
                i = end
            else:
                out.append(lines[i])
                i += 1
        with open(DOC, "w") as f:
            f.write("\n".join(out))
        print("recorded %d outputs into %s" % (len(recorded), DOC))
        return 0
    if failures:
        return 1
    print("ok: %d commands of %s replayed" % (len(steps), DOC))
    return 0


sys.exit(main())
