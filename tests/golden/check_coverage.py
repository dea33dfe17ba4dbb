#!/usr/bin/env python3
"""Every numbered rule of grammar/semantics.md must be cited by a test.

usage: check_coverage.py REPO_ROOT

A citation is the rule id (R-J5, R-I4, ...) in a golden case comment
('# semantics: R-J5, R-G1') or in a test source comment under tests/.
Prints the uncited rules and exits 1 when there are any.
"""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1])
rules = re.findall(r"^- \*\*(R-[A-Z]+\d+)", (root / "grammar" / "semantics.md").read_text(encoding="utf-8"), re.M)
cited = set()
for path in (root / "tests").rglob("*"):
    if path.suffix in (".case", ".cpp", ".py", ".sh"):
        cited.update(re.findall(r"R-[A-Z]+\d+", path.read_text(encoding="utf-8", errors="replace")))
missing = [r for r in rules if r not in cited]
print(f"semantics coverage: {len(rules) - len(missing)} of {len(rules)} rules cited by tests")
for r in missing:
    print(f"  not cited: {r}")
sys.exit(1 if missing else 0)
