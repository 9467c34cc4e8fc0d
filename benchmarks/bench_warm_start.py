"""Warm start: a fresh process answering one question from a warm FILE cache, against the floor.

The floor is a bare ``python -c "import json; json.loads(open(F,'rb').read())"`` on the same
cache file. Both commands run as whole fresh processes, interleaved pair by pair (the order
alternates, so neither always runs on a warmer machine), with bytecode caches in a private
``PYTHONPYCACHEPREFIX`` (as an installed wheel has them). Reports each median, the ratio of the
medians and the median of the per-pair ratios; goal: at most 1.25x. Two interpreter set-ups:
as configured (``site`` runs this machine's ``.pth`` hooks in both commands), and ``-S`` (no
``site`` in either: the floor of the interpreter itself). It also lists any module on the warm
path that only the API step, the bundle, the transform or the CLI needs. Never calls AWS.

    python benchmarks/bench_warm_start.py [--pairs 30] [--snapshot DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from _perfdoc import write_section

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.warm_path import WARM_PATH_FORBIDDEN as FORBIDDEN  # noqa: E402 - the one list

SRC = ROOT / "src"
SECTION = "## Warm start"
DEFAULT_SNAPSHOT = Path("/work/shared/bedrock-snapshot-2026-10")

#: The one question: the first ``get_model_info`` of a fresh process, served by the cache file.
_QUESTION = (
    "import sys; sys.path.insert(0, {src!r}); "
    "from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog; "
    "BedrockModelCatalog(cache_directory={cache!r}).get_model_info('Claude Haiku 4.5', 'us-east-1')"
)
_BARE = "import json; json.loads(open({path!r}, 'rb').read())"

_NOTES = (
    "Before this work the warm start was 1.77x (71.6 ms against 40.5 ms, same machine). What "
    "moved off the path: `importlib.resources` (the bundle's version is read on demand, not "
    "stamped on every load), `dataclasses` and with it `inspect`, `ast`, `dis` and `tokenize` "
    "(the values a warm start builds are hand-written frozen classes on `_value.Value`), "
    "`logging` (`_log.getLogger` imports it only for a record someone can see), `hashlib` (the "
    "built-in SHA-256), `typing` (`TYPE_CHECKING = False`), the `datetime` module (`_clock` "
    "takes the same classes from the C module), `_types`, `_transform`, `_bundle` and the "
    "error module (loaded only on a failure). The rest of the gap is the package's own ~25 "
    "small modules (their enums, classes and regexes) and the one `decode` of the file. The "
    "-S row runs both commands without `site`: this machine's `site` hooks import certifi "
    "(and with it `typing`, `tempfile`, `pathlib`) into every process, the bare one too, so "
    "-S shows the interpreter's own floor; the goal is stated for the interpreter as "
    "configured, as users run it."
)


def write_warm_cache(directory: Path, snapshot: Path) -> Path:
    """A fresh FILE cache holding the snapshot's data (as the bundle does), answered now."""
    sys.path.insert(0, str(SRC))
    from bestehorn_llmmanager.bedrock.catalog import CatalogSource, build_catalog
    from bestehorn_llmmanager.bedrock.catalog._generate import read_snapshot
    from bestehorn_llmmanager.bedrock.catalog._store import open_store

    catalog = build_catalog(read_snapshot(snapshot)).with_metadata(
        source=CatalogSource.API, retrieved_at=datetime.now(timezone.utc)
    )
    store = open_store("file", directory)
    if not store.save(catalog) or store.path is None:
        raise SystemExit(f"could not write a cache file in {directory}")
    return store.path


def child_env(pycache: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "BEDROCK_CATALOG_")) and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        PYTHONPYCACHEPREFIX=str(pycache),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION="us-east-1",
    )
    return env


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one whole child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, cwd=tempfile.gettempdir())
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


class Paired:
    """Medians of interleaved runs: wall and CPU time of each command, and per-pair ratios."""

    def __init__(self, ours: list[str], bare: list[str], env: dict[str, str], pairs: int) -> None:
        for argv in (ours, bare, ours, bare):  # bytecode caches and the page cache are warm after
            run_once(argv, env)
        mine: list[tuple[float, float]] = []
        floor: list[tuple[float, float]] = []
        for i in range(pairs):
            if i % 2:
                floor.append(run_once(bare, env))
                mine.append(run_once(ours, env))
            else:
                mine.append(run_once(ours, env))
                floor.append(run_once(bare, env))
        self.wall = statistics.median(m[0] for m in mine)
        self.bare_wall = statistics.median(f[0] for f in floor)
        self.pair_ratio = statistics.median(m[0] / f[0] for m, f in zip(mine, floor, strict=True))
        self.cpu = statistics.median(m[1] for m in mine)
        self.bare_cpu = statistics.median(f[1] for f in floor)


def imported_forbidden(question: str, bare: str, env: dict[str, str], flags: list[str]) -> str:
    """The FORBIDDEN modules the warm start imports that the bare script does not (site may)."""
    listing = "; import sys; print(' '.join(sorted(sys.modules)))"
    loaded = []
    for code in (question, bare):
        out = subprocess.run(
            [sys.executable, *flags, "-c", code + listing],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        loaded.append(set(out.stdout.split()))
    extra = [m for m in FORBIDDEN if m in loaded[0] and m not in loaded[1]]
    return " ".join(extra) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=30)
    parser.add_argument("--snapshot", type=Path, default=DEFAULT_SNAPSHOT)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-warm-"))
    cache_file = write_warm_cache(work / "cache", args.snapshot)
    env = child_env(work / "pycache")
    question = _QUESTION.format(src=str(SRC), cache=str(cache_file.parent))
    bare = _BARE.format(path=str(cache_file))
    rows = []
    for label, flags in (("as configured", []), ("-S (no site)", ["-S"])):
        ours_argv = [sys.executable, *flags, "-c", question]
        bare_argv = [sys.executable, *flags, "-c", bare]
        runs = Paired(ours_argv, bare_argv, env, args.pairs)
        extra = imported_forbidden(question, bare, env, flags)
        rows.append(
            f"| {label} | {runs.wall * 1000:.1f} ms | {runs.bare_wall * 1000:.1f} ms "
            f"| **{runs.pair_ratio:.2f}x** | {runs.wall / runs.bare_wall:.2f}x "
            f"| {runs.cpu * 1000:.0f} / {runs.bare_cpu * 1000:.0f} ms = "
            f"{runs.cpu / runs.bare_cpu:.2f}x | {extra} |"
        )
    text = (
        f"{SECTION}\n\n`python benchmarks/bench_warm_start.py --pairs {args.pairs}`: a fresh "
        "process that answers `BedrockModelCatalog(cache_directory=D).get_model_info('Claude "
        "Haiku 4.5', 'us-east-1')` from a warm FILE cache, against a bare `python -c \"import "
        "json; json.loads(open(F,'rb').read())\"` on the same file; whole processes, "
        f"{args.pairs} interleaved pairs (the order alternates), bytecode cached. Goal: the "
        "median of the per-pair wall-time ratios at most 1.25x. The CPU time (user + system of "
        "the child) is shown too: it moves less than wall time when other work shares the "
        f"machine. Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end (other processes share the CPUs).\n\n"
        "| interpreter | warm start (median) | bare json.loads (median) | median pair ratio "
        "| ratio of medians | CPU time, ours / bare | forbidden modules imported |\n"
        "|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        f"{_NOTES}\n"
    )
    print(text)
    write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
