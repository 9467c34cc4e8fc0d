"""Figures of name resolution on the bundled catalog: misses, forgiving spellings, the memo.

    python benchmarks/bench_names.py [--runs 2000] [--no-write]

Writes its figures to the "## Name resolution" section of docs/performance.md.

(a) an unknown name (``ModelNotFoundError`` raised and caught, suggestions not read): goal
    <= 0.3 ms. Suggestions are computed only when read; their cost is shown on its own.
(b) a spelling that only the forgiving rules resolve (word order, a unique part of a name).
(c) the one-time cost of the word index, built on the first spelling that is no name.
(d) memory: 10,000 distinct 32 KB spellings leave the memo at its bound.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time

from _perfdoc import PERFORMANCE_DOC, write_section
from bench_catalog import median_per_call

from bestehorn_llmmanager.bedrock.catalog import ModelNotFoundError
from bestehorn_llmmanager.bedrock.catalog._bundle import read_bundled_bytes
from bestehorn_llmmanager.bedrock.catalog._fileformat import decode
from bestehorn_llmmanager.bedrock.catalog._names import NameIndex

SECTION = "## Name resolution"
UNKNOWN = ("NonExistentModel", "Claude Opus 4.9", "Claude 3 Hiku")
FORGIVING = ("Claude Sonnet 3.7", "Llama 3.3 70B", "Claude Haiku 4 5 20251001")


def miss(index: NameIndex, name: str, read_suggestions: bool = False) -> None:
    try:
        index.resolve(name)
    except ModelNotFoundError as exc:
        if read_suggestions:
            exc.suggestions  # noqa: B018 - reading them is what is measured
    else:
        raise AssertionError(f"{name!r} resolved")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    args = parser.parse_args(argv)
    catalog = decode(read_bundled_bytes())

    builds = []
    for _ in range(max(5, args.runs // 100)):
        fresh = NameIndex(catalog.models)
        start = time.perf_counter()
        fresh._word_index()
        builds.append(time.perf_counter() - start)
    build = statistics.median(builds)

    index = NameIndex(catalog.models)
    for name in FORGIVING:
        index.resolve(name)
    rows = [("first spelling that is no name: builds the word index", f"{build * 1e3:.3f} ms")]
    for name in UNKNOWN:
        cost = median_per_call(lambda name=name: miss(index, name), args.runs // 100, calls=20)
        rows.append((f"unknown {name!r}, suggestions not read", f"{cost * 1e6:.1f} us"))
    suggesting = []
    for name in UNKNOWN[1:]:
        runs = max(5, args.runs // 200)
        cost = median_per_call(lambda name=name: miss(index, name, True), runs, calls=2)
        suggesting.append(cost)
        rows.append((f"unknown {name!r}, suggestions read", f"{cost * 1e3:.2f} ms"))
    for name in FORGIVING:
        cost = median_per_call(lambda name=name: index.resolve(name), args.runs // 100, calls=20)
        rows.append((f"{name!r} (a forgiving rule, no memo)", f"{cost * 1e6:.1f} us"))

    long_names = catalog.__class__(list(catalog.models.values())[:3], catalog.metadata)
    for n in range(10_000):
        with contextlib.suppress(ModelNotFoundError):
            long_names.resolve(f"{n} " + "x" * 32_768)
        try:
            padded = " " * (n % 100) + next(iter(long_names.models)).upper() + " " * (n // 100)
            long_names.resolve(padded)
        except ModelNotFoundError:
            pass
    rows.append(
        (
            "memo after 10,000 distinct spellings (32 KB misses and padded ids)",
            f"{len(long_names._resolved)} entries (bound {long_names._resolved.limit})",
        )
    )

    python = f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    text = (
        f"{SECTION}\n\n"
        "`python benchmarks/bench_names.py`: `NameIndex.resolve` on the bundled catalog, "
        f"medians in a warm interpreter. {python}. Goal for an unknown name: <= 0.3 ms.\n\n"
        f"| figure | value |\n|---|---|\n{table}\n\n"
        "An unknown name costs a few microseconds: a word no model has ends the search at one "
        "dict lookup, and the suggestions (a `difflib` pass over every name, "
        f"{statistics.median(suggesting) * 1e3:.1f} ms here) run "
        "only when the error's `suggestions` or message is read. Names longer than 256 "
        "characters are refused before any work, and the memo of resolved spellings keeps at "
        "most 1,024 of them.\n"
    )
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"updated {PERFORMANCE_DOC}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
