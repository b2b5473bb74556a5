"""json_check.py RETORT: `retort lint rules --json` is one JSON array whose
objects carry rule, at, message, hint and silenced, with the findings that
rules.out shows as text."""
import collections, json, subprocess, sys

out = subprocess.run([sys.argv[1], "lint", "rules", "--json"], capture_output=True,
                     text=True, check=True).stdout
findings = json.loads(out)
got = collections.Counter((f["rule"], f["silenced"]) for f in findings)
want = collections.Counter({
    ("breaking-rename", False): 3, ("check-not-valid", False): 2,
    ("index-not-concurrent", False): 1, ("not-null-rewrite", False): 1,
    ("type-rewrite", False): 1, ("fk-not-valid", False): 1,
    ("unique-lock", False): 1, ("volatile-default", False): 1,
    ("index-not-concurrent", True): 1, ("check-not-valid", True): 1,
})
assert got == want, f"rules: got {dict(got)}"
first = findings[0]
assert set(first) == {"rule", "at", "message", "hint", "silenced"}, first
assert first["at"] == {"file": "rules/a2_hazards.rev", "line": 6, "column": 5}, first["at"]
merges = json.loads(subprocess.run([sys.argv[1], "lint", "merges", "--json"],
                                   capture_output=True, text=True, check=True).stdout)
conflict = [f for f in merges if f["rule"] == "merge-conflict"]
assert len(conflict) == 4 and all("other" in f for f in conflict), conflict
print("ok: lint --json")
