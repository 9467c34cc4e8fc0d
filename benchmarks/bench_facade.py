"""Cold start to first answer through BedrockModelCatalog, in fresh interpreters; never calls AWS.

(a) a warm FILE cache, (b) no credentials -> bundled data, (c) the API from the local Bedrock
server (full snapshot, 50 ms per call); plus the median of ``get_model_info`` in a warm process.
Figures go to stdout and to ``docs/performance.md`` under "## BedrockModelCatalog".

    python benchmarks/bench_facade.py [--snapshot DIR] [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _perfdoc import write_section
from bench_fetch import DEFAULT_SNAPSHOT, ROOT, isolate_from_aws, start_server

SECTION = "## BedrockModelCatalog"

_FIRST_ANSWER = """
import sys, time
t = time.perf_counter()
from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog
c = BedrockModelCatalog(cache_mode=sys.argv[1], cache_directory=sys.argv[2] or None)
c.get_model_info("Claude Haiku 4.5", "us-east-1")
print(time.perf_counter() - t, c.metadata.source.value, "boto3" in sys.modules)
"""


def first_answer(mode: str, cache_dir: str, env: dict[str, str]) -> tuple[float, str, bool]:
    out = subprocess.run(
        [sys.executable, "-c", _FIRST_ANSWER, mode, cache_dir],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    ).stdout.split()
    return float(out[0]), out[1], out[2] == "True"


def series(runs: int, mode: str, cache_dir: str, env: dict[str, str]) -> tuple[float, str, bool]:
    results = [first_answer(mode, cache_dir, env) for _ in range(runs)]
    return statistics.median(r[0] for r in results), results[0][1], results[0][2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--snapshot", type=Path, default=DEFAULT_SNAPSHOT)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    isolate_from_aws()
    rows: list[tuple[str, str]] = []
    cache_dir = tempfile.mkdtemp(prefix="bench-facade-")

    server, url = start_server(args.snapshot, 0.05, 10)
    try:
        env = dict(os.environ, AWS_ENDPOINT_URL_BEDROCK=url)
        api, source, _ = series(max(3, args.runs // 3), "none", "", env)
        rows.append(
            (
                "(c) cold start, API from the local server (50 ms/call, 33 regions)",
                f"{api * 1000:.0f} ms ({source})",
            )
        )
        first_answer("file", cache_dir, env)  # writes the cache
        warm, source, boto3_loaded = series(args.runs, "file", cache_dir, env)
        rows.append(
            (
                "(a) cold start, warm FILE cache",
                f"{warm * 1000:.0f} ms ({source}; boto3 imported: {boto3_loaded})",
            )
        )
    finally:
        server.terminate()
        server.wait()

    bare = {
        k: v
        for k, v in os.environ.items()
        if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
    }
    bundled, source, _ = series(args.runs, "none", "", bare)
    rows.append(
        ("(b) cold start, no credentials -> bundled", f"{bundled * 1000:.0f} ms ({source})")
    )

    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    catalog = BedrockModelCatalog(cache_mode="none", offline=True)
    catalog.load()
    for name in ("Claude Haiku 4.5", "anthropic.claude-haiku-4-5-20251001-v1:0"):
        samples = []
        for _ in range(20000):
            t = time.perf_counter_ns()
            catalog.get_model_info(name, "us-east-1")
            samples.append(time.perf_counter_ns() - t)
        rows.append(
            (
                f"get_model_info({name!r}, 'us-east-1') median",
                f"{statistics.median(samples) / 1000:.2f} us",
            )
        )

    table = "\n".join(f"| {k} | {v} |" for k, v in rows)
    text = (
        f"{SECTION}\n\n`python benchmarks/bench_facade.py`: each cold start is a fresh interpreter "
        f"from `import` to the first `get_model_info` answer, median of {args.runs} runs "
        "(the API case: fewer runs); the local server runs in its own process. "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.1f} at the end (other processes share the CPUs).\n\n"
        f"| figure | value |\n|---|---|\n{table}\n"
    )
    print(text)
    write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
