"""What the CLI writes: tables, one-line messages, JSON, sizes and times, safe text.

Renders values it is given; never calls the library. Text that came from a server (model names,
providers, reasons) goes through ``clean`` before it reaches a terminal, so a hostile answer can
neither set the window title nor move the cursor.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

PROG = "bedrock-catalog"

#: The width used for wrapping when stdout is not a terminal (a pipe or a file never gets cut).
PIPE_WRAP_WIDTH = 100

#: A table is never narrower than this, even on a tiny terminal (it wraps instead).
MIN_TABLE_WIDTH = 40

#: The legend of the ACCESS column; also quoted in `list --help`.
ACCESS_LEGEND = (
    "ACCESS: D = direct model ID, R = regional inference profile, G = global inference "
    "profile, - = not offered from this region"
)

# ESC-introduced sequences: CSI (ESC [ ... final byte), OSC/DCS/APC/PM/SOS (ESC ] ... BEL or
# ESC \), and two-byte escapes. Also their 8-bit C1 forms (\x9b CSI, \x9d OSC).
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[@-Z\\-_]?"
)


class Quiet:
    """Process-wide output switches set once from the options (-q)."""

    quiet = False


def clean(text: object) -> str:
    """``text`` without escape sequences, control or bidi-override characters, on one line."""
    value = str(text)
    if value.isprintable():
        return value
    value = _ESCAPES.sub("", value)
    kept = []
    for char in value:
        if char in "\t\n\r":
            kept.append(" ")
        elif char.isprintable() or (unicodedata.category(char) == "Zs"):
            kept.append(char)
        # everything else (Cc, Cf such as U+202E, Co, Cn) is dropped
    return "".join(kept)


def one_line(text: str) -> str:
    return " ".join(clean(text).split())


def err(message: str, hint: str = "") -> None:
    """``bedrock-catalog: error: ...`` and a ``hint:`` line on stderr."""
    _flush_stdout()
    print(f"{PROG}: error: {one_line(message)}", file=sys.stderr)
    if hint:
        print(f"hint: {one_line(hint)}", file=sys.stderr)


def note(message: str) -> None:
    """An informational line on stderr (silenced by -q)."""
    if Quiet.quiet:
        return
    _flush_stdout()
    print(f"{PROG}: {one_line(message)}", file=sys.stderr)


def _flush_stdout() -> None:
    with contextlib.suppress(ValueError):  # a closed stdout
        sys.stdout.flush()


def emit_json(value: Any) -> int:
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")
    return 0


def error_json(message: str, hint: str, exit_code: int) -> None:
    """The error object ``--json`` prints on stdout, so a script can parse every outcome."""
    emit_json({"error": one_line(message), "hint": one_line(hint) or None, "exit_code": exit_code})


def write_lines(lines: Iterable[str]) -> None:
    sys.stdout.write("".join(line + "\n" for line in lines))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def path_text(path: Path | None) -> str | None:
    return None if path is None else str(path)


def human_time(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc)
    if (utc.hour, utc.minute, utc.second) == (0, 0, 0):
        return utc.strftime("%Y-%m-%d")
    return utc.strftime("%Y-%m-%d %H:%M UTC")


def human_size(size: int) -> str:
    """Binary units, labelled as such: 1536 -> "1.5 KiB"."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / 1024 / 1024:.1f} MiB"


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def stdout_width() -> int | None:
    """The terminal's width when stdout is a terminal; None (never cut) for pipes and files."""
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    return max(MIN_TABLE_WIDTH, _columns(sys.stdout))


def _columns(stream: Any) -> int:
    """The width of the terminal behind ``stream``: $COLUMNS, else the terminal's own size, else
    80 (a pseudo-terminal nobody sized reports 0 columns; Python 3.10's shutil passes 0 on)."""
    override = os.environ.get("COLUMNS", "")
    if override.isdigit() and int(override) > 0:
        return int(override)
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns if columns > 0 else 80


def wrap_to_terminal(text: str) -> list[str]:
    """``text`` wrapped to the terminal's width (stdout), or one line into a pipe."""
    width = stdout_width()
    if width is None:
        return [text]
    return textwrap.wrap(text, width=width - 1, break_on_hyphens=False) or [""]


def stderr_width() -> int:
    return max(20, _columns(sys.stderr))


def wrapped(row: tuple[str, str], *, width: int) -> list[tuple[str, str]]:
    """A (key, value) row as several rows of at most ``width`` value characters (words kept)."""
    key, value = row
    lines = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
    return [(key if i == 0 else "", line) for i, line in enumerate(lines or [""])]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def print_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    shrink: Sequence[tuple[int, int]],
) -> None:
    """Aligned columns, two spaces apart. On a terminal the table fits its width: the
    ``shrink`` columns, given as (index, floor), are cut with "…" in that order, each down to
    its floor. Into a pipe or a file nothing is cut. Every cell is cleaned of control
    characters first."""
    table = [[clean(c) for c in header], *([clean(c) for c in row] for row in rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    limit = stdout_width()
    if limit is not None:
        excess = sum(widths) + 2 * (len(widths) - 1) - limit
        for index, least in shrink:
            if excess <= 0:
                break
            floor = max(len(header[index]), least)
            cut = min(excess, widths[index] - floor)
            if cut > 0:
                widths[index] -= cut
                excess -= cut
    last = len(widths) - 1
    lines = []
    for row in table:
        cells = [_cut(cell, widths[i]) for i, cell in enumerate(row)]
        lines.append(
            "  ".join(c if i == last else c.ljust(widths[i]) for i, c in enumerate(cells)).rstrip()
        )
    write_lines(lines)
