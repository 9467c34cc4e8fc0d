"""Overhead of LLMManager.converse over boto3's own converse, against the same local server.

The server (tests/bedrock_server.py with the runtime routes of tests/bedrock_runtime.py, serving
tests/fixtures/runtime_world) runs in its own process so it does not share this process's GIL.
Calls alternate between the two arms (boto3 direct, then the manager) so drift hits both alike.

    python benchmarks/bench_llm_manager.py [--calls 2000] [--write-docs]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "performance.md"
HEADING = "## LLMManager"

_SERVER = """
import sys, threading
from tests.bedrock_server import BedrockServer
from tests.bedrock_runtime import install
server = BedrockServer.from_directory("tests/fixtures/runtime_world").start()
install(server)
print(server.url, flush=True)
sys.stdin.read()
server.stop()
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per arm")
    parser.add_argument("--write-docs", action="store_true", help=f"update {DOCS.name}")
    args = parser.parse_args()

    os.environ.update(
        AWS_ACCESS_KEY_ID="bench",
        AWS_SECRET_ACCESS_KEY="bench",
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        figures = measure(url, args.calls)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=10)

    section = render(figures, args.calls)
    print(section)
    if args.write_docs:
        write_section(section)
    return 0


def measure(url: str, calls: int) -> dict[str, float]:
    import boto3
    from botocore.config import Config

    from bestehorn_llmmanager import LLMManager
    from bestehorn_llmmanager.bedrock.catalog import BedrockModelCatalog

    regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]
    catalog = BedrockModelCatalog(cache_mode="none", regions=regions, endpoint_url=url)
    manager = LLMManager(
        ["Nova Pro", "Claude Haiku 4.5"],
        ["us-east-1", "us-west-2"],
        catalog=catalog,
        endpoint_url=url,
    )
    client = boto3.session.Session().client(
        "bedrock-runtime",
        region_name="us-east-1",
        endpoint_url=url,
        config=Config(retries={"mode": "standard", "total_max_attempts": 1}),
    )
    messages = [{"role": "user", "content": [{"text": "Hello"}]}]
    model_id = manager.targets[0].model_id

    def raw_text(answer: dict) -> str:  # what a boto3 user writes to get the text
        return "\n".join(b["text"] for b in answer["output"]["message"]["content"] if "text" in b)

    for _ in range(100):  # warm both arms: clients, connections, caches
        raw_text(client.converse(modelId=model_id, messages=messages))
        manager.converse(messages=messages).get_content()

    direct: list[float] = []
    managed: list[float] = []
    for _ in range(calls):
        started = time.perf_counter()
        raw_text(client.converse(modelId=model_id, messages=messages))
        direct.append(time.perf_counter() - started)
        started = time.perf_counter()
        manager.converse(messages=messages).get_content()
        managed.append(time.perf_counter() - started)
    pairs = [m - d for m, d in zip(managed, direct, strict=True)]
    return {
        "direct": statistics.median(direct),
        "managed": statistics.median(managed),
        "overhead": statistics.median(managed) - statistics.median(direct),
        "paired": statistics.median(pairs),
    }


def render(figures: dict[str, float], calls: int) -> str:
    ms = {k: v * 1000 for k, v in figures.items()}
    return f"""{HEADING}

`python benchmarks/bench_llm_manager.py --calls {calls}`: `LLMManager.converse` against boto3's
`converse` on the same local server (`tests/bedrock_server.py` with the runtime routes, in its own
process), {calls} calls per arm, interleaved, after 100 warm-up calls each. Both clients use one
attempt (no botocore retries); the manager's first target answers, so this is its fixed cost per
call: checking and building the request, choosing the target, the per-attempt deadline watch,
recording the attempt, and answering with 0.9's `BedrockResponse` (the text read with
`get_content()`; the boto3 arm joins the text blocks itself).
Python {platform.python_version()}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at
the end (other processes share the CPUs, so the figures move by a few hundredths of a ms).

| figure | value |
|---|---|
| boto3 `converse`, median | {ms["direct"]:.3f} ms |
| `LLMManager.converse`, median | {ms["managed"]:.3f} ms |
| overhead (difference of medians) | {ms["overhead"]:.3f} ms |
| overhead (median of paired differences) | {ms["paired"]:.3f} ms |
| goal | <= 0.1 ms |
"""


def write_section(section: str) -> None:
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Performance\n"
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
