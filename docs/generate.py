"""Write the documentation pages of every rule (docs/rules/) and log check (docs/checks/) from their
docstrings (each page is what `fitlint explain CODE` prints), and the README's real output
(the block after `<!-- SCAN_OUTPUT -->`: what `fitlint scan examples/` prints).

    python docs/generate.py          # after changing a docstring, a message or an example

tests/test_docs.py fails while a page or the README's output is stale, or a page is left over
from a removed check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from fitlint.logs.checks.base import all_checks
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
SCAN_OUTPUT = "<!-- SCAN_OUTPUT -->\n```\n"


def pages() -> dict[Path, str]:
    """Every generated page: its path and its text."""
    return {ROOT / check.page_path(): check.page() for check in (*all_rules(), *all_checks())}


def readme() -> dict[Path, str]:
    """The README with the block after its SCAN_OUTPUT mark as `fitlint scan examples/` prints it now."""
    path = ROOT / "README.md"
    before, rest = path.read_text().split(SCAN_OUTPUT, 1)
    after = rest.split("\n```\n", 1)[1]
    done = subprocess.run([sys.executable, "-m", "fitlint", "scan", "--no-color", "examples/"], cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode != 1 or done.stderr:
        raise SystemExit(f"fitlint scan examples/ exited {done.returncode}: {done.stderr}")
    return {path: f"{before}{SCAN_OUTPUT}{done.stdout}```\n{after}"}


def generated_folders() -> set[Path]:
    return {path.parent for path in pages()}


def stale(expected: dict[Path, str]) -> list[Path]:
    """The pages whose file differs from what they should say, and files no check generates."""
    wrong = [path for path, text in expected.items() if not path.is_file() or path.read_text() != text]
    extra = [path for folder in generated_folders() for path in folder.glob("*.md") if path not in expected]
    return sorted(wrong + extra)


def main() -> int:
    expected = {**pages(), **readme()}
    changed = stale(expected)
    for path in changed:
        if path in expected:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(expected[path])
        else:
            path.unlink()
        print(f"{'wrote' if path in expected else 'removed'} {path.relative_to(ROOT)}")
    print(f"{len(expected)} pages, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
