"""Reading the ``## Section`` blocks of rule and check docstrings (no dependencies: both the
scanner and the log analyzer import it)."""

from __future__ import annotations


def doc_sections(doc: str) -> dict[str, str]:
    """Split a docstring into its ``## Section`` blocks."""
    sections: dict[str, str] = {}
    current = None
    lines: list[str] = []
    for line in doc.splitlines():
        if line.startswith("## "):
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = line[3:].strip(), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections
