"""Writes one benchmark's section of docs/performance.md, leaving every other section as it is."""

from __future__ import annotations

from pathlib import Path

PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(section: str, text: str, doc: Path = PERFORMANCE_DOC) -> None:
    """Replace the ``section`` heading's block (up to the next ``## ``) with ``text``, or append."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    existing = doc.read_text() if doc.exists() else "# Performance\n"
    lines = existing.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == section), None)
    if start is None:
        body = existing.rstrip("\n") + "\n\n" + text
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        tail = "".join(lines[end:])
        body = "".join(lines[:start]) + text + ("\n" + tail if tail else "")
    doc.write_text(body)
