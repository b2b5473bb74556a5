"""docs_check.py ROOT RETORT: keeps the documentation true.

- Every relative link in README.md and docs/*.md names a file of the
  repository (a clone has no ../shared/, nor anything outside it).
- Every code block that is a whole revision file with `parent none` passes
  `retort check` on its own.
- Every `retort WORD` in a code block (not a C or C++ one, where `retort`
  is the runtime's handle type) names a command that `retort --help`
  lists (or --version / --help).
"""
import os, re, subprocess, sys, tempfile

root, retort = sys.argv[1], sys.argv[2]
pages = ["README.md"] + sorted("docs/" + f for f in os.listdir(os.path.join(root, "docs"))
                               if f.endswith(".md"))
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL:", msg, file=sys.stderr)


help_text = subprocess.run([retort, "--help"], capture_output=True, text=True).stdout
commands = set(re.findall(r"^  (\w+) ", help_text, re.M)) | {"--version", "--help"}
if "compile" not in commands:
    fail(f"retort --help lists no commands: {help_text!r}")

checked = 0
for page in pages:
    path = os.path.join(root, page)
    text = open(path, encoding="utf-8").read()
    # Links: [text](target), relative ones only.
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file_part = target.split("#")[0]
        resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part))
        if not resolved.startswith(os.path.abspath(root) + os.sep) and \
           not os.path.abspath(resolved).startswith(os.path.abspath(root) + os.sep):
            fail(f"{page}: link {target} leaves the repository")
        elif not os.path.exists(resolved):
            fail(f"{page}: link {target} names no file")
    if "shared/" in text:
        fail(f"{page}: mentions shared/, which a clone does not have")
    # Code blocks.
    for lang, block in re.findall(r"^```([^\n]*)\n(.*?)^```", text, re.M | re.S):
        lines = [l for l in block.splitlines() if l.strip() and not l.lstrip().startswith("#")]
        if lines and lines[0].startswith("revision ") and \
           any(re.match(r"parent\s+none\b", l) for l in lines):
            with tempfile.TemporaryDirectory() as d:
                with open(os.path.join(d, "example.rev"), "w") as f:
                    f.write(block)
                r = subprocess.run([retort, "check", d], capture_output=True, text=True)
                checked += 1
                if r.returncode != 0:
                    fail(f"{page}: a revision example fails retort check:\n{r.stderr}")
        if lang.strip() in ("c", "cpp", "c++"):
            continue                # `retort *r` there is the runtime's type
        for word in re.findall(r"^\s*(?:\$\s*)?retort\s+(\S+)", block, re.M):
            if word.endswith(":"):
                continue            # a message of retort's, not a command line
            word = word.rstrip(";,")
            if word not in commands:
                fail(f"{page}: `retort {word}` is not a command")

if checked == 0:
    fail("no revision example was checked")
print(f"{len(pages)} pages, {checked} revision examples checked, {failures} failures")
sys.exit(1 if failures else 0)
