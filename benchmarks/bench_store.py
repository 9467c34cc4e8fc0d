"""Times the FILE cache store's warm path; never calls AWS and never imports boto3.

1. ``store.load`` of a valid cache file (open, ownership check, read, checksum, decode, index)
   against a plain ``json.loads`` of the same bytes, median of many runs in one interpreter.
2. A fresh interpreter (subprocess) from ``import`` to the first answer (``catalog.get(name,
   region)``) from a warm FILE cache, median of several runs; each run also reports whether boto3
   was imported.

The cache file is built from the bundled data (``bundled.load_bundled()`` then ``save``). Figures
go to stdout and to ``docs/performance.md`` under "## Cache store".

    python benchmarks/bench_store.py [--runs 300] [--fresh-runs 11] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _perfdoc import PERFORMANCE_DOC, write_section

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Cache store"
FOREVER = timedelta(days=36500)

_FRESH = """
import time
started = time.perf_counter()
import sys
from datetime import timedelta
from bestehorn_llmmanager.bedrock.catalog._store import open_store
imported = time.perf_counter()
catalog = open_store("file", sys.argv[1]).load(None, max_age=timedelta(days=36500))
loaded = time.perf_counter()
access = catalog.get(sys.argv[2], sys.argv[3])
answered = time.perf_counter()
assert access is not None
print(imported - started, loaded - imported, answered - loaded, answered - started,
      "boto3" in sys.modules)
"""

# What the store and the file format must keep off the warm path (issue 10): imported lazily,
# only on the write, warn, info or clear paths.
_WRITE_ONLY = (
    "logging",
    "tempfile",
    "shutil",
    "dataclasses",
    "hashlib",
    "typing",
    "importlib.resources",
)
_OWN = (
    "bestehorn_llmmanager.bedrock.catalog._store",
    "bestehorn_llmmanager.bedrock.catalog._fileformat",
)


def own_import_ms(env: dict[str, str]) -> tuple[float, list[str]]:
    """Self import time of the store package and the file format (``-X importtime``, ms), and
    which modules of _WRITE_ONLY the store's and file format's own imports pulled in."""
    code = (
        "import json, sys, datetime\n"
        "import bestehorn_llmmanager.bedrock.catalog._catalog\n"
        "before = set(sys.modules)\n"
        "import bestehorn_llmmanager.bedrock.catalog._fileformat\n"
        "import bestehorn_llmmanager.bedrock.catalog._store\n"
        f"print(sorted(m for m in set(sys.modules) - before if m in {_WRITE_ONLY!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    total = 0
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[2].strip().startswith(_OWN):
            total += int(parts[0].split(":")[1])
    return total / 1000.0, eval(done.stdout.strip())


def median_seconds(action: object, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--fresh-runs", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/performance.md")
    args = parser.parse_args()

    from bestehorn_llmmanager.bedrock.catalog._bundle import load_bundled
    from bestehorn_llmmanager.bedrock.catalog._fileformat import decode
    from bestehorn_llmmanager.bedrock.catalog._store import open_store

    directory = Path(tempfile.mkdtemp(prefix="bench-store-"))
    bundled = load_bundled()
    store = open_store("file", directory)
    if not store.save(bundled):
        raise SystemExit(f"could not write the cache in {directory}")
    path = directory / "bedrock_catalog.json"
    data = path.read_bytes()

    def load() -> None:
        assert store.load(None, max_age=FOREVER) is not None

    def plain() -> None:
        json.loads(data)

    def decode_only() -> None:
        decode(data)

    def read_and_parse() -> None:
        json.loads(path.read_bytes())

    for action in (load, plain, decode_only, read_and_parse):  # warm up
        median_seconds(action, 20)
    t_load = median_seconds(load, args.runs)
    t_json = median_seconds(plain, args.runs)
    t_read_json = median_seconds(read_and_parse, args.runs)
    t_decode = median_seconds(decode_only, args.runs)
    # The checksum uses OpenSSL's SHA-256 when the process already loaded it, else the
    # interpreter's built-in one (importing hashlib costs a fresh process more than it saves).
    openssl_before = "_hashlib" in sys.modules
    import hashlib  # noqa: F401  (loads OpenSSL's _hashlib, as ssl or boto3 would)

    t_load_openssl = median_seconds(load, args.runs)
    t_decode_openssl = median_seconds(decode_only, args.runs)

    model = next(m for m in bundled.models.values() if m.regions and m.name)
    region = sorted(model.regions)[0]
    assert bundled.resolve(model.name).model_id == model.model_id
    # The package's bytecode is cached (as in an installed wheel) in a private prefix, so the
    # figures do not include compiling sources; a warm-up run fills it.
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(directory / "pycache")
    argv = [sys.executable, "-c", _FRESH, str(directory), model.name, region]
    subprocess.run(argv, capture_output=True, check=True, env=env)
    fresh = []
    wall = []
    for _ in range(args.fresh_runs):
        started = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=True, env=env)
        wall.append(time.perf_counter() - started)
        fields = done.stdout.split()
        fresh.append((*map(float, fields[:4]), fields[4] == "True"))
    t_import = statistics.median(f[0] for f in fresh)
    t_fresh_load = statistics.median(f[1] for f in fresh)
    t_answer = statistics.median(f[2] for f in fresh)
    t_total = statistics.median(f[3] for f in fresh)
    boto3_seen = any(f[4] for f in fresh)
    t_wall = statistics.median(wall)
    no_bytecode = {**env, "PYTHONDONTWRITEBYTECODE": "1"}
    no_bytecode.pop("PYTHONPYCACHEPREFIX")
    uncached = [
        float(
            subprocess.run(
                argv, capture_output=True, text=True, check=True, env=no_bytecode
            ).stdout.split()[3]
        )
        for _ in range(args.fresh_runs)
    ]
    t_total_uncached = statistics.median(uncached)
    owns = [own_import_ms(env) for _ in range(args.fresh_runs)]
    t_own = statistics.median(o[0] for o in owns)
    pulled = sorted({m for o in owns for m in o[1]})

    ms = 1000.0
    python = f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    text = (
        f"{SECTION}\n\n"
        "`python benchmarks/bench_store.py`: a FILE cache written from the bundled catalog "
        f"({len(bundled)} models, {len(bundled.metadata.region_outcomes)} regions, "
        f"{len(data) / 1024:.0f} KiB). {python}.\n\n"
        "| figure | value |\n"
        "|---|---|\n"
        f"| `store.load` (open, owner/mode check, read, SHA-256, decode, index), "
        f"median of {args.runs} | {t_load * ms:.2f} ms |\n"
        f"| plain `json.loads` of the same bytes (already in memory) | {t_json * ms:.2f} ms |\n"
        f"| ratio | {t_load / t_json:.2f}x (goal <= 2x) |\n"
        f"| of which `fileformat.decode` of the bytes in memory | {t_decode * ms:.2f} ms "
        f"({t_decode / t_json:.2f}x `json.loads`) |\n"
        f"| the same two when OpenSSL is already loaded (any process that imported ssl, "
        f"hashlib or boto3) | load {t_load_openssl * ms:.2f} ms ({t_load_openssl / t_json:.2f}x), "
        f"decode {t_decode_openssl * ms:.2f} ms |\n"
        f"| of which the store itself (open, fstat checks, read, freshness and coverage) "
        f"| {(t_load - t_decode) * ms:.2f} ms |\n"
        f"| read the file + `json.loads` | {t_read_json * ms:.2f} ms "
        f"(ratio {t_load / t_read_json:.2f}x) |\n"
        f"| fresh interpreter: `import` of the store module | {t_import * ms:.1f} ms |\n"
        f"| of which the store package and the file format themselves (`-X importtime` self) "
        f"| {t_own:.2f} ms |\n"
        f"| write-only modules their imports pull onto the warm path "
        f"| {', '.join(pulled) or 'none'} |\n"
        f"| fresh interpreter: first `store.load` | {t_fresh_load * ms:.1f} ms |\n"
        f"| fresh interpreter: first `catalog.get(name, region)` (builds the name index) "
        f"| {t_answer * ms:.1f} ms |\n"
        f"| fresh interpreter: import to first answer, median of {args.fresh_runs} "
        f"| {t_total * ms:.1f} ms |\n"
        f"| the same without cached bytecode of the package (sources compiled each run) "
        f"| {t_total_uncached * ms:.1f} ms |\n"
        f"| whole process (interpreter start to exit), median | {t_wall * ms:.0f} ms |\n"
        f"| boto3 imported on the warm path | {'yes' if boto3_seen else 'no'} |\n\n"
        + (
            f"Against `json.loads` of bytes already in memory the <= 2x goal is "
            f"{'**not met**' if t_load / t_json > 2 else 'met'} ({t_load / t_json:.2f}x); "
            f"against reading the file and `json.loads` (the same I/O on both sides) it is "
            f"{'**not met**' if t_load / t_read_json > 2 else 'met'} "
            f"({t_load / t_read_json:.2f}x). "
        )
        + "Almost all of `store.load` is `fileformat.decode` (its shape checks and the "
        "SHA-256); the store's own work (syscalls, owner and mode checks, freshness and "
        "coverage) is the small remainder. The SHA-256 is OpenSSL's when the process already "
        "loaded it, else the interpreter's built-in one: that costs about 0.3 ms more per "
        "load of this file, where importing hashlib (OpenSSL) would cost a fresh process "
        "about 2.5 ms; one load per process is the common case, so the warm start wins"
        + (" (OpenSSL was loaded before the first measurement here)" if openssl_before else "")
        + ". Models are built from their "
        "validated rows on first access and the name index on the first lookup by name, so "
        "the first answer pays for what it touches once.\n"
    )
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
        print(f"wrote the {SECTION!r} section of {PERFORMANCE_DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
