"""Rules and the shared analysis walk subtrees with fitlint.script.walk, never libcst's visit:
libcst's traversal rebuilds and re-validates every node it passes, which once made rule walks cost
more than parsing the file (see benchmarks/bench_scan.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VISIT = re.compile(r"[\w\)\]]\.visit\(")
# lint/fix.py applies the fixes with a libcst transformer: rebuilding the tree is its job
ALLOWED = {"lint/fix.py"}


def test_no_libcst_visit_in_rules_or_analysis():
    offenders = []
    for path in sorted([*ROOT.glob("rules/*.py"), *ROOT.glob("lint/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if VISIT.search(code) and "``" not in line:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []
