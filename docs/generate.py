"""Write the documentation pages of every rule (docs/rules/) and log check (docs/checks/) from their
docstrings: each page is what `fitlint explain CODE` prints.

    python docs/generate.py          # after changing a rule's or a check's docstring

tests/test_docs.py fails while a page is stale, missing or left over from a removed check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fitlint.logs.checks.base import all_checks
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent


def pages() -> dict[Path, str]:
    """Every generated page: its path and its text."""
    return {ROOT / check.page_path(): check.page() for check in (*all_rules(), *all_checks())}


def generated_folders() -> set[Path]:
    return {path.parent for path in pages()}


def stale(expected: dict[Path, str]) -> list[Path]:
    """The pages whose file differs from what they should say, and files no check generates."""
    wrong = [path for path, text in expected.items() if not path.is_file() or path.read_text() != text]
    extra = [path for folder in generated_folders() for path in folder.glob("*.md") if path not in expected]
    return sorted(wrong + extra)


def main() -> int:
    expected = pages()
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
