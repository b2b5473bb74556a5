#!/usr/bin/env python3
"""Writes a man page (roff, the man macros) from one of docs/man/*.md.

The pages are written in the small part of Markdown they need: a title
line "# name(section) -- summary", "## SECTION" headings, paragraphs,
"- " items (an item that starts with `term`: becomes a tagged paragraph),
fenced code, `code` (bold) and *word* (italic).  Anything else is an
error, so that a page never renders differently from how it reads.

usage: md2man.py PAGE.md OUT VERSION
"""
import re
import sys


def inline(text):
    text = text.replace("\\", "\\e")
    out, pos = [], 0
    for m in re.finditer(r"`([^`]+)`|\*([^*]+)\*", text):
        out.append(text[pos:m.start()])
        if m.group(1) is not None:
            out.append("\\fB" + m.group(1) + "\\fR")
        else:
            out.append("\\fI" + m.group(2) + "\\fR")
        pos = m.end()
    out.append(text[pos:])
    s = "".join(out).replace("-", "\\-")
    # A line must not start with a control character.
    return "\\&" + s if s[:1] in (".", "'") else s


def convert(lines, version):
    m = re.fullmatch(r"# ([a-z0-9-]+)\((\d)\) -- (.+)", lines[0])
    if not m:
        raise SystemExit("md2man: the first line must be '# name(N) -- summary'")
    name, section, summary = m.groups()
    out = ['.TH "%s" "%s" "" "retort %s" "retort manual"' % (name.upper(), section, version),
           ".SH NAME", "%s \\- %s" % (name, inline(summary))]
    para, code = [], False

    def flush():
        if para:
            out.append(".PP")
            out.append(inline(" ".join(para)))
            para.clear()

    for n, line in enumerate(lines[1:], 2):
        if line.startswith("```"):
            flush()
            code = not code
            out.append(".nf\n.RS 4" if code else ".RE\n.fi")
        elif code:
            out.append("\\&" + line.replace("\\", "\\e"))
        elif line.startswith("## "):
            flush()
            out.append(".SH " + line[3:].strip().upper())
        elif line.startswith("- "):
            flush()
            item = line[2:]
            t = re.match(r"((?:`[^`]+`(?:, )?)+):\s*(.*)", item)
            if t:
                out.append(".TP\n" + inline(t.group(1)) + "\n" + inline(t.group(2)))
            else:
                out.append(".IP \\(bu 2\n" + inline(item))
        elif not line.strip():
            flush()
        elif line.startswith("#") or line.startswith("|") or line.startswith(">"):
            raise SystemExit("md2man: line %d: not in the subset man pages use" % n)
        else:
            para.append(line.strip())
    flush()
    if code:
        raise SystemExit("md2man: unterminated code block")
    return "\n".join(out) + "\n"


def main():
    src, dst, version = sys.argv[1:4]
    with open(src) as f:
        page = convert(f.read().split("\n"), version)
    with open(dst, "w") as f:
        f.write(page)


main()
